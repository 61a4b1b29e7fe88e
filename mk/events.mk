# The event's real-time half: the event ledger and its intake
# (dg-event, OpenADR 3 as a VEN) and the notices to the sites (dg-notify).
lib_libdgagg_la_SOURCES += lib/dg_ledger.c lib/dg_ledger_events.c
pkginclude_HEADERS += lib/dg_ledger.h
check_PROGRAMS += tests/unit/check_ledger
tests_unit_check_ledger_SOURCES = tests/unit/check_ledger.c
tests_unit_check_ledger_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_ledger_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_ledger
lib_libdgagg_la_SOURCES += lib/dg_intake.c lib/dg_conf.c lib/dg_http.c \
	lib/dg_openadr.c lib/dg_openadr_ledger.c lib/dg_openadr_client.c
pkginclude_HEADERS += lib/dg_intake.h lib/dg_openadr.h lib/dg_http.h
EXTRA_DIST += lib/dg_conf.h lib/dg_openadr_int.h
bin_PROGRAMS += cmd/dg-event
cmd_dg_event_SOURCES = cmd/dg-event.c
cmd_dg_event_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-event.1
TESTS += tests/event/openadr-tests.sh
EXTRA_DIST += tests/event/vtn.py tests/event/openadr-tests.sh
check_PROGRAMS += tests/unit/check_intake
tests_unit_check_intake_SOURCES = tests/unit/check_intake.c
tests_unit_check_intake_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_intake_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_intake
EXTRA_DIST += testdata/events
check_PROGRAMS += tests/unit/check_http
tests_unit_check_http_SOURCES = tests/unit/check_http.c
tests_unit_check_http_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_http_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_http
lib_libdgagg_la_SOURCES += lib/dg_notify_contacts.c lib/dg_notify_state.c \
	lib/dg_notify_send.c lib/dg_notify_run.c lib/dg_notify_pass.c
pkginclude_HEADERS += lib/dg_notify.h
EXTRA_DIST += lib/dg_notify_int.h
bin_PROGRAMS += cmd/dg-notify
cmd_dg_notify_SOURCES = cmd/dg-notify.c
cmd_dg_notify_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-notify.1
TESTS += tests/notify/notify-tests.sh
EXTRA_DIST += tests/notify/smtpd.py tests/notify/httpd.py \
	tests/notify/notify-tests.sh testdata/notify
EXTRA_DIST += bench/notify.sh
EXTRA_DIST += scripts/event
