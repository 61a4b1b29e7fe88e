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
lib_libdgagg_la_SOURCES += lib/dg_peakhunt.c lib/dg_peakhunt_run.c \
	lib/dg_peakhunt_eval.c lib/dg_peakhunt_int.h
pkginclude_HEADERS += lib/dg_peakhunt.h
bin_PROGRAMS += cmd/dg-peakhunt
cmd_dg_peakhunt_SOURCES = cmd/dg-peakhunt.c
cmd_dg_peakhunt_LDADD = $(DG_LDADD)
dist_man_MANS += man/dg-peakhunt.1
check_PROGRAMS += tests/unit/check_peakhunt
tests_unit_check_peakhunt_SOURCES = tests/unit/check_peakhunt.c
tests_unit_check_peakhunt_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_peakhunt_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_peakhunt
