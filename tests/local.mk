# tests: Check unit tests of the library, CLI golden cases, man page examples
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
check_PROGRAMS += tests/unit/check_core
tests_unit_check_core_SOURCES = tests/unit/check_core.c
tests_unit_check_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_core_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_core tests/golden.sh tests/man-examples.sh
EXTRA_DIST += tests/golden.sh tests/man-examples.sh tests/cases testdata tests/meter bench/import.sh
EXTRA_DIST += doc
check_PROGRAMS += tests/unit/check_events
tests_unit_check_events_SOURCES = tests/unit/check_events.c
tests_unit_check_events_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_events_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_events
TESTS += tests/usage-synopsis.sh
EXTRA_DIST += tests/usage-synopsis.sh
# spreadsheets: the toolkit's output through Gnumeric's ssconvert (skipped
# without it)
TESTS += tests/sheet/ssconvert.sh
EXTRA_DIST += tests/sheet/ssconvert.sh tests/sheet/same-figures.py
