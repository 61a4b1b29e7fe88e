# track.mk: during the event and every night (issue 17): dg-track follows
# an event live (lib/dg_track*), dg-health finds what is stale or broken
# (lib/dg_health).
lib_libdgagg_la_SOURCES += lib/dg_track.c lib/dg_track_in.c \
	lib/dg_track_stream.c lib/dg_health.c lib/dg_health_meter.c
pkginclude_HEADERS += lib/dg_track.h lib/dg_health.h
EXTRA_DIST += lib/dg_track_int.h

check_PROGRAMS += tests/unit/check_track
tests_unit_check_track_SOURCES = tests/unit/check_track.c
tests_unit_check_track_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	-DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_track_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_track

bin_PROGRAMS += cmd/dg-track
cmd_dg_track_SOURCES = cmd/dg-track.c
cmd_dg_track_LDADD = $(DG_LDADD)

dist_man_MANS += man/dg-track.1
EXTRA_DIST += bench/track.sh bench/track-replay.sh bench/track-lag.c

check_PROGRAMS += tests/unit/check_health
tests_unit_check_health_SOURCES = tests/unit/check_health.c
tests_unit_check_health_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	-DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_health_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_health

bin_PROGRAMS += cmd/dg-health
cmd_dg_health_SOURCES = cmd/dg-health.c
cmd_dg_health_LDADD = $(DG_LDADD)

dist_man_MANS += man/dg-health.1
EXTRA_DIST += scripts/crontab.example
