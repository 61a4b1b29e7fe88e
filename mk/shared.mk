# Library pieces that several commands share: the weather reader
# (dg-forecast, dg-gencost).
lib_libdgagg_la_SOURCES += lib/dg_weather.c
pkginclude_HEADERS += lib/dg_weather.h
check_PROGRAMS += tests/unit/check_weather
tests_unit_check_weather_SOURCES = tests/unit/check_weather.c
tests_unit_check_weather_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_weather_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_weather
# The quality column's flag names, one rule for every module.
lib_libdgagg_la_SOURCES += lib/dg_quality.c
pkginclude_HEADERS += lib/dg_quality.h
check_PROGRAMS += tests/unit/check_quality
tests_unit_check_quality_SOURCES = tests/unit/check_quality.c
tests_unit_check_quality_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_quality_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_quality
