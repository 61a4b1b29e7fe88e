# The event's real-time half: the event ledger and its intake
# (dg-event, OpenADR 3 as a VEN) and the notices to the sites (dg-notify).
lib_libdgagg_la_SOURCES += lib/dg_ledger.c lib/dg_ledger_events.c
pkginclude_HEADERS += lib/dg_ledger.h
check_PROGRAMS += tests/unit/check_ledger
tests_unit_check_ledger_SOURCES = tests/unit/check_ledger.c
tests_unit_check_ledger_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_ledger_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_ledger
