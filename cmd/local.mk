# The commands: one line a program, its source cmd/NAME.c; each links the
# global LDADD (Makefile.am): the shared command skeleton and libdgagg.
noinst_LTLIBRARIES += cmd/libdgcli.la
cmd_libdgcli_la_SOURCES = cmd/cli.c cmd/cli.h
cmd_libdgcli_la_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS)

bin_PROGRAMS += cmd/dg-bid
bin_PROGRAMS += cmd/dg-blockopt
bin_PROGRAMS += cmd/dg-capacity
bin_PROGRAMS += cmd/dg-cbl
bin_PROGRAMS += cmd/dg-econ
bin_PROGRAMS += cmd/dg-event
bin_PROGRAMS += cmd/dg-fetch
bin_PROGRAMS += cmd/dg-forecast
bin_PROGRAMS += cmd/dg-gencost
bin_PROGRAMS += cmd/dg-health
bin_PROGRAMS += cmd/dg-import
bin_PROGRAMS += cmd/dg-notify
bin_PROGRAMS += cmd/dg-peakhunt
bin_PROGRAMS += cmd/dg-plot
bin_PROGRAMS += cmd/dg-pulse2kwh
bin_PROGRAMS += cmd/dg-schedule
bin_PROGRAMS += cmd/dg-settle
bin_PROGRAMS += cmd/dg-track
bin_PROGRAMS += cmd/dg-ucap

# dg-settle: one file a subcommand (cmd/dg-settle.h)
cmd_dg_settle_SOURCES = cmd/dg-settle.c cmd/dg-settle.h \
	cmd/dg-settle-delta.c cmd/dg-settle-html.c cmd/dg-settle-pay.c \
	cmd/dg-settle-prices.c cmd/dg-settle-report.c cmd/dg-settle-shadow.c \
	cmd/dg-settle-statement.c cmd/dg-settle-summary.c cmd/dg-settle-verify.c

# dg-capacity: one file a subcommand (cmd/dg-capacity.h)
cmd_dg_capacity_SOURCES = cmd/dg-capacity.c cmd/dg-capacity.h \
	cmd/dg-capacity-certify.c cmd/dg-capacity-price.c
