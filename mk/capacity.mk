# dg-capacity: the capacity desk's money and certification (issue 15)
lib_libdgagg_la_SOURCES += lib/dg_capacity.c lib/dg_capacity_price.c
pkginclude_HEADERS += lib/dg_capacity.h
check_PROGRAMS += tests/unit/check_capacity
tests_unit_check_capacity_SOURCES = tests/unit/check_capacity.c
tests_unit_check_capacity_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_capacity_CPPFLAGS = $(AM_CPPFLAGS) -DDG_TESTDATA='"$(abs_top_srcdir)/testdata"'
tests_unit_check_capacity_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_capacity

bin_PROGRAMS += cmd/dg-capacity
cmd_dg_capacity_SOURCES = cmd/dg-capacity.c cmd/dg-capacity.h \
	cmd/dg-capacity-price.c cmd/dg-capacity-certify.c
cmd_dg_capacity_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-capacity.1
