/* check_quality.c: the quality column's format (dg_quality), as the
 * modules' flags use it. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dg_cbl.h"
#include "dg_forecast.h"
#include "dg_quality.h"
#include "dg_ucap.h"

static const char *const names[] = { "gap", "reset", "duplicate" };

/* --- core ---------------------------------------------------------------- */

START_TEST(join_in_bit_order)
{
	char b[64];

	ck_assert_str_eq(dg_quality_format(0, names, 3, b, sizeof(b)), "");
	ck_assert_str_eq(dg_quality_format(5, names, 3, b, sizeof(b)),
	    "gap;duplicate");
	ck_assert_str_eq(dg_quality_format(7, names, 3, b, sizeof(b)),
	    "gap;reset;duplicate");
	/* bits beyond the names are not named */
	ck_assert_str_eq(dg_quality_format(2 | 8, names, 3, b, sizeof(b)),
	    "reset");
}
END_TEST

/* The modules' own names through the one rule. */
START_TEST(modules)
{
	char b[128];

	dg_cbl_flags_format(DG_CBL_Q_NO_BASIS | DG_CBL_Q_MISSING_ACTUAL, b,
	    sizeof(b));
	ck_assert_str_eq(b, "no_basis;missing_actual");
	dg_ucap_flags_format(DG_UCAP_Q_NO_APMD | DG_UCAP_Q_NO_HOURS, b,
	    sizeof(b));
	ck_assert_str_eq(b, "no_apmd;no_hours");
	dg_fc_flags_format(DG_FC_Q_POOLED | DG_FC_Q_ZERORUN, b, sizeof(b));
	ck_assert_str_eq(b, "pooled;zero-run");
}
END_TEST

/* --- limits -------------------------------------------------------------- */

/* A name that does not fit is left out with the ones after it. */
START_TEST(small_buffer)
{
	char b[12];

	/* "gap;reset" is 9 bytes + NUL = 10: fits; ";duplicate" does not */
	ck_assert_str_eq(dg_quality_format(7, names, 3, b, sizeof(b)),
	    "gap;reset");
	ck_assert_str_eq(dg_quality_format(7, names, 3, b, 4), "gap");
	ck_assert_str_eq(dg_quality_format(7, names, 3, b, 3), "");
	b[0] = 'x';
	dg_quality_format(7, names, 3, b, 0);
	ck_assert_int_eq(b[0], 'x');
}
END_TEST

static Suite *
quality_suite(void)
{
	Suite *s = suite_create("quality");
	TCase *core = tcase_create("core");
	TCase *lim = tcase_create("limits");

	tcase_add_test(core, join_in_bit_order);
	tcase_add_test(core, modules);
	tcase_add_test(lim, small_buffer);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(quality_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
