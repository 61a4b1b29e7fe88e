# dg-fetch: market prices, loads and weather (libcurl, json-c, libzip,
# zlib, nettle; Debian: libcurl4-openssl-dev libjson-c-dev libzip-dev
# zlib1g-dev nettle-dev)
# The market formats (what dg-settle and dg-schedule use), the one-pass
# mode with its external sort, the cache, the download, the zone names.
lib_libdgagg_la_SOURCES += lib/dg_fetch.c \
	lib/dg_fetch_archive.c lib/dg_fetch_nyiso.c lib/dg_fetch_nyiso_icap.c \
	lib/dg_fetch_pjm.c \
	lib/dg_fetch_miso.c lib/dg_fetch_ercot.c lib/dg_fetch_caiso.c \
	lib/dg_fetch_nws.c \
	lib/dg_fetch_stream.c lib/dg_extsort.c \
	lib/dg_fetch_cache.c lib/dg_fetch_http.c lib/dg_zones.c
# private headers (not installed)
EXTRA_DIST += lib/dg_fetch_impl.h lib/dg_extsort.h
pkginclude_HEADERS += lib/dg_fetch.h lib/dg_fetch_stream.h \
	lib/dg_fetch_cache.h lib/dg_fetch_http.h lib/dg_zones.h
bin_PROGRAMS += cmd/dg-fetch
cmd_dg_fetch_SOURCES = cmd/dg-fetch.c
cmd_dg_fetch_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-fetch.1
check_PROGRAMS += tests/unit/check_fetch
tests_unit_check_fetch_SOURCES = tests/unit/check_fetch.c
tests_unit_check_fetch_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_check_fetch_CPPFLAGS = $(AM_CPPFLAGS) -DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_fetch_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(ZLIB_LIBS) $(LIBM)
TESTS += tests/unit/check_fetch tests/fetch/server-tests.sh
check_PROGRAMS += tests/unit/check_extsort
tests_unit_check_extsort_SOURCES = tests/unit/check_extsort.c
tests_unit_check_extsort_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_extsort_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(LIBM)
TESTS += tests/unit/check_extsort
check_PROGRAMS += tests/unit/check_zones
tests_unit_check_zones_SOURCES = tests/unit/check_zones.c
tests_unit_check_zones_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_zones_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(LIBM)
TESTS += tests/unit/check_zones
EXTRA_DIST += tests/fetch/server.py tests/fetch/server-tests.sh bench/fetch.sh
