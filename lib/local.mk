# libdgagg
lib_LTLIBRARIES += lib/libdgagg.la
lib_libdgagg_la_SOURCES = \
	lib/dg_status.c \
	lib/dg_dec.c \
	lib/dg_rat.c \
	lib/dg_time.c \
	lib/dg_cal.c \
	lib/dg_csv.c \
	lib/dg_pulse.c \
	lib/dg_sites.c \
	lib/dg_series.c \
	lib/dg_util.c \
	lib/dg_events.c \
	lib/dg_import.c \
	lib/version.c
lib_libdgagg_la_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS) $(CURL_CFLAGS) $(JSONC_CFLAGS) \
	$(LIBZIP_CFLAGS) $(ZLIB_CFLAGS) $(NETTLE_CFLAGS)
lib_libdgagg_la_LIBADD = $(CSV_LIBS) $(GSL_LIBS) $(CURL_LIBS) $(JSONC_LIBS) \
	$(LIBZIP_LIBS) $(ZLIB_LIBS) $(NETTLE_LIBS) $(LIBM)
lib_libdgagg_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(DG_LT_VERSION) -no-undefined
pkginclude_HEADERS += \
	lib/dgagg.h \
	lib/dg_status.h \
	lib/dg_dec.h \
	lib/dg_rat.h \
	lib/dg_time.h \
	lib/dg_cal.h \
	lib/dg_csv.h \
	lib/dg_pulse.h \
	lib/dg_sites.h \
	lib/dg_series.h \
	lib/dg_events.h \
	lib/dg_import.h
# private headers (not installed)
EXTRA_DIST += lib/dg_util.h lib/dg_cbl_int.h
