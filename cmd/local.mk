# the commands; each links the shared command skeleton and libdgagg
noinst_LTLIBRARIES += cmd/libdgcli.la
cmd_libdgcli_la_SOURCES = cmd/cli.c cmd/cli.h
cmd_libdgcli_la_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)
DG_LDADD = cmd/libdgcli.la lib/libdgagg.la $(GSL_LIBS) $(LIBM)

bin_PROGRAMS += cmd/dg-pulse2kwh
cmd_dg_pulse2kwh_SOURCES = cmd/dg-pulse2kwh.c
cmd_dg_pulse2kwh_LDADD = $(DG_LDADD)

bin_PROGRAMS += cmd/dg-import
cmd_dg_import_SOURCES = cmd/dg-import.c
cmd_dg_import_LDADD = $(DG_LDADD)
