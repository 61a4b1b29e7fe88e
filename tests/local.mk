# tests: Check unit tests of the library (one a module, two lines each: the
# program, its libraries), the CLI golden cases, the man pages' examples,
# and the tests against real components (each skipped, exit 77, without
# the program it needs).  tests/fuzz/local.mk: fuzzing and valgrind.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
CK_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(ZLIB_LIBS) $(LIBM)
# the unit tests that read testdata/ find it here
CK_TESTDATA = $(AM_CPPFLAGS) -DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'

check_PROGRAMS += tests/unit/check_acl
tests_unit_check_acl_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_bid
tests_unit_check_bid_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_blockopt
tests_unit_check_blockopt_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_capacity
tests_unit_check_capacity_LDADD = $(CK_LDADD)
tests_unit_check_capacity_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_cbl
tests_unit_check_cbl_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_core
tests_unit_check_core_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_econ
tests_unit_check_econ_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_events
tests_unit_check_events_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_extsort
tests_unit_check_extsort_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_fetch
tests_unit_check_fetch_LDADD = $(CK_LDADD)
tests_unit_check_fetch_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_forecast
tests_unit_check_forecast_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_gencost
tests_unit_check_gencost_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_health
tests_unit_check_health_LDADD = $(CK_LDADD)
tests_unit_check_health_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_http
tests_unit_check_http_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_intake
tests_unit_check_intake_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_ledger
tests_unit_check_ledger_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_manifest
tests_unit_check_manifest_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_pass
tests_unit_check_pass_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_peakhunt
tests_unit_check_peakhunt_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_plot
tests_unit_check_plot_LDADD = $(CK_LDADD)
tests_unit_check_plot_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_quality
tests_unit_check_quality_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_regress
tests_unit_check_regress_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_schedule
tests_unit_check_schedule_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_settle
tests_unit_check_settle_LDADD = $(CK_LDADD)
tests_unit_check_settle_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_track
tests_unit_check_track_LDADD = $(CK_LDADD)
tests_unit_check_track_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_ucap
tests_unit_check_ucap_LDADD = $(CK_LDADD)
check_PROGRAMS += tests/unit/check_weather
tests_unit_check_weather_LDADD = $(CK_LDADD)
tests_unit_check_weather_CPPFLAGS = $(CK_TESTDATA)
check_PROGRAMS += tests/unit/check_zones
tests_unit_check_zones_LDADD = $(CK_LDADD)
EXTRA_DIST += tests/unit/ck_dec.h

TESTS += $(check_PROGRAMS)
TESTS += tests/golden.sh
TESTS += tests/man-examples.sh
TESTS += tests/usage-synopsis.sh
TESTS += tests/settle-property.sh
TESTS += tests/schedule-milp.sh
TESTS += tests/econ-gnumeric.sh
TESTS += tests/sheet/ssconvert.sh
TESTS += tests/fetch/server-tests.sh
TESTS += tests/event/openadr-tests.sh
TESTS += tests/notify/notify-tests.sh
TESTS += tests/plot/charts.sh
TESTS += tests/plot/statement-browser.sh
# the golden cases are distributed whole (no test writes in tests/cases)
EXTRA_DIST += tests/cases
EXTRA_DIST += \
	tests/golden.sh \
	tests/man-examples.sh \
	tests/usage-synopsis.sh \
	tests/settle-property.sh \
	tests/settle-property.py \
	tests/schedule-milp.sh \
	tests/econ-gnumeric.sh \
	tests/valgrind.sh \
	tests/event/openadr-tests.sh \
	tests/event/vtn.py \
	tests/fetch/server-tests.sh \
	tests/fetch/server.py \
	tests/meter/nyiso-cbl.py \
	tests/notify/httpd.py \
	tests/notify/notify-tests.sh \
	tests/notify/smtpd.py \
	tests/plot/charts.sh \
	tests/plot/expected/day-25h-all.txt \
	tests/plot/expected/day-25h.txt \
	tests/plot/expected/day-none.txt \
	tests/plot/expected/duration.txt \
	tests/plot/expected/events-pledged.txt \
	tests/plot/expected/events-report.txt \
	tests/plot/expected/forecast.txt \
	tests/plot/expected/prices-23h.txt \
	tests/plot/expected/prices-bid.txt \
	tests/plot/expected/prices-da-rt.txt \
	tests/plot/expected/ucap.txt \
	tests/plot/same-figures-pdf.py \
	tests/plot/statement-browser.sh \
	tests/plot/svgcount.py \
	tests/sheet/gen-cases.py \
	tests/sheet/same-figures.py \
	tests/sheet/sheet.awk \
	tests/sheet/ssconvert.sh
