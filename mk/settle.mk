# dg-settle: payments, statements, shadow settlement, performance report.
# SHA-256 for --manifest comes from nettle (Debian: nettle-dev), which the
# core already links ($(NETTLE_LIBS) in lib/local.mk).
lib_libdgagg_la_SOURCES += lib/dg_settle.c lib/dg_settle_prices.c \
	lib/dg_settle_pay.c lib/dg_settle_stmt.c lib/dg_settle_shadow.c \
	lib/dg_settle_perf.c lib/dg_settle_input.c \
	lib/dg_settle_sum.c lib/dg_manifest.c
pkginclude_HEADERS += lib/dg_settle.h lib/dg_manifest.h
EXTRA_DIST += lib/dg_settle_int.h
bin_PROGRAMS += cmd/dg-settle
cmd_dg_settle_SOURCES = cmd/dg-settle.c cmd/dg-settle.h \
	cmd/dg-settle-pay.c cmd/dg-settle-statement.c cmd/dg-settle-shadow.c \
	cmd/dg-settle-report.c cmd/dg-settle-prices.c cmd/dg-settle-summary.c \
	cmd/dg-settle-delta.c cmd/dg-settle-verify.c
cmd_dg_settle_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-settle.1
EXTRA_DIST += scripts/monthly bench/settle.sh
check_PROGRAMS += tests/unit/check_settle
tests_unit_check_settle_SOURCES = tests/unit/check_settle.c
tests_unit_check_settle_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_settle_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_settle
# testdata/ and tests/cases/ are distributed whole (tests/local.mk)
check_PROGRAMS += tests/unit/check_manifest
tests_unit_check_manifest_SOURCES = tests/unit/check_manifest.c
tests_unit_check_manifest_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_manifest_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_manifest
TESTS += tests/settle-property.sh
EXTRA_DIST += tests/settle-property.sh tests/settle-property.py
