# dg-econ: enrolment economics (cash flows, NPV, IRR, payback, the report's
# Table 7) and dg-peakhunt: coincident-peak and demand-charge hunting
# (issue 18)
lib_libdgagg_la_SOURCES += lib/dg_econ.c lib/dg_econ_fin.c \
	lib/dg_econ_port.c lib/dg_econ_int.h
pkginclude_HEADERS += lib/dg_econ.h
bin_PROGRAMS += cmd/dg-econ
cmd_dg_econ_SOURCES = cmd/dg-econ.c
cmd_dg_econ_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-econ.1
check_PROGRAMS += tests/unit/check_econ
tests_unit_check_econ_SOURCES = tests/unit/check_econ.c
tests_unit_check_econ_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_econ_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_econ tests/econ-gnumeric.sh
EXTRA_DIST += tests/econ-gnumeric.sh
