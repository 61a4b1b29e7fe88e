# plot.mk: pictures people look at (issue 19): dg-plot draws the
# toolkit's outputs with gnuplot (lib/dg_plot*), run on pipes by
# lib/dg_proc.
lib_libdgagg_la_SOURCES += lib/dg_plot.c lib/dg_plot_axis.c \
	lib/dg_plot_day.c lib/dg_plot_events.c lib/dg_plot_fc.c \
	lib/dg_plot_price.c lib/dg_plot_ucap.c lib/dg_plot_gp.c lib/dg_proc.c
pkginclude_HEADERS += lib/dg_plot.h
EXTRA_DIST += lib/dg_plot_int.h lib/dg_proc.h

bin_PROGRAMS += cmd/dg-plot
cmd_dg_plot_SOURCES = cmd/dg-plot.c
cmd_dg_plot_LDADD = $(DG_LDADD)

dist_man_MANS += man/dg-plot.1

# Statements a customer can open: HTML with the charts inline, and PDF
# through headless Chromium (lib/dg_html*).
lib_libdgagg_la_SOURCES += lib/dg_html.c lib/dg_html_days.c \
	lib/dg_html_pdf.c
pkginclude_HEADERS += lib/dg_html.h
EXTRA_DIST += lib/dg_html_int.h

# Every chart kind through the real gnuplot, and the statements in headless
# Chromium (each skipped without the programs it needs).
TESTS += tests/plot/charts.sh tests/plot/statement-browser.sh
EXTRA_DIST += tests/plot

check_PROGRAMS += tests/unit/check_plot
tests_unit_check_plot_SOURCES = tests/unit/check_plot.c
tests_unit_check_plot_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	-DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_plot_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_plot

# dg-settle statement --format html | pdf (mk/settle.mk builds dg-settle).
cmd_dg_settle_SOURCES += cmd/dg-settle-html.c
