# dg-forecast: per-site hourly load forecast (issue 8)
lib_libdgagg_la_SOURCES += lib/dg_forecast.c
pkginclude_HEADERS += lib/dg_forecast.h
bin_PROGRAMS += cmd/dg-forecast
cmd_dg_forecast_SOURCES = cmd/dg-forecast.c
cmd_dg_forecast_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-forecast.1
check_PROGRAMS += tests/unit/check_forecast
tests_unit_check_forecast_SOURCES = tests/unit/check_forecast.c
tests_unit_check_forecast_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_forecast_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_forecast
EXTRA_DIST += testdata/forecast bench/forecast.sh bench/forecast-lbnl.sh
