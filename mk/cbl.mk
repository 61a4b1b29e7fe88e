# dg-cbl and dg-ucap: baselines, curtailment and capacity (issue 4)
lib_libdgagg_la_SOURCES += lib/dg_cbl.c
pkginclude_HEADERS += lib/dg_cbl.h

check_PROGRAMS += tests/unit/check_cbl
tests_unit_check_cbl_SOURCES = tests/unit/check_cbl.c
tests_unit_check_cbl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_cbl_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_cbl

lib_libdgagg_la_SOURCES += lib/dg_ucap.c lib/dg_acl.c
pkginclude_HEADERS += lib/dg_ucap.h lib/dg_acl.h
check_PROGRAMS += tests/unit/check_ucap
tests_unit_check_ucap_SOURCES = tests/unit/check_ucap.c
tests_unit_check_ucap_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_ucap_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_ucap

bin_PROGRAMS += cmd/dg-cbl
cmd_dg_cbl_SOURCES = cmd/dg-cbl.c
cmd_dg_cbl_LDADD = $(DG_LDADD)

bin_PROGRAMS += cmd/dg-ucap
cmd_dg_ucap_SOURCES = cmd/dg-ucap.c
cmd_dg_ucap_LDADD = $(DG_LDADD)

dist_man_MANS += man/dg-cbl.1 man/dg-ucap.1
EXTRA_DIST += bench/cbl.sh bench/cbl-accuracy.sh

check_PROGRAMS += tests/unit/check_acl
tests_unit_check_acl_SOURCES = tests/unit/check_acl.c
tests_unit_check_acl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_acl_LDADD = lib/libdgagg.la $(CHECK_LIBS) $(GSL_LIBS) $(LIBM)
TESTS += tests/unit/check_acl
