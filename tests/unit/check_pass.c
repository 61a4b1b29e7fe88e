/* check_pass.c: unit tests of lib/dg_pass (the input's other columns
 * passed through by an annotating filter). */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dgagg.h"

static struct dg_csv_opts co;

/* Reads text, passes the columns other than used, writes out's columns
 * (as "o") and the passed ones; returns what was written (free it). */
static char *
run(const char *text, const int *used_names_idx, size_t nused,
    const char *const *out, size_t nout, size_t *nrenamed)
{
	struct dg_csv *r;
	struct dg_error err;
	struct dg_pass p;
	struct dg_csvw w;
	char *buf = NULL;
	size_t len = 0;
	FILE *in = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
	FILE *fp = open_memstream(&buf, &len);
	int st;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(dg_csv_open_fp(&r, in, "t.csv", &co, &err), DG_OK);
	ck_assert_int_eq(dg_pass_init(&p, r, used_names_idx, nused, out, nout,
	    &err), DG_OK);
	dg_csvw_init(&w, fp, ',', 0, 0);
	ck_assert_int_eq(dg_pass_header(&p, &w, out, nout), DG_OK);
	while ((st = dg_csv_next(r)) == DG_OK) {
		for (size_t i = 0; i < nout; i++)
			dg_csvw_str(&w, "o");
		dg_pass_fields(&p, &w, r);
		ck_assert_int_eq(dg_csvw_end_row(&w), DG_OK);
	}
	ck_assert_int_eq(st, DG_EOF);
	*nrenamed = p.nrenamed;
	dg_pass_release(&p);
	dg_csv_close(r);
	fclose(in);
	fclose(fp);
	return buf;
}

/* The columns not read come after the program's, in input order, each
 * field byte for byte (commas, doubled quotes, a line end, spaces at the
 * ends, an empty field): what a spreadsheet's note column holds. */
START_TEST(order_and_fields)
{
	static const char text[] =
	    "note,site,x,time,empty\n"
	    "\"a, \"\"b\"\"\",S1,1.50,t1,\n"
	    "\"two\nlines\",S2,007,t2,\n"
	    "\" pad \",S3,-1,t3,\n";
	static const char *const out[] = { "site", "time", "v" };
	static const int used[] = { 1, -1, 3 };
	size_t nr;
	char *s = run(text, used, 3, out, 3, &nr);

	ck_assert_str_eq(s,
	    "site,time,v,note,x,empty\n"
	    "o,o,o,\"a, \"\"b\"\"\",1.50,\n"
	    "o,o,o,\"two\nlines\",007,\n"
	    "o,o,o,\" pad \",-1,\n");
	ck_assert_uint_eq(nr, 0);
	free(s);
}
END_TEST

/* A passed column named as an output column takes "in_" before its name,
 * again while an input column (or another passed one) has that name. */
START_TEST(clash_renamed)
{
	static const char text[] =
	    "site,quality,in_quality,gen_kw\nS1,ok,est,5\n";
	static const char *const out[] = { "site", "gen_kw", "quality" };
	static const int used[] = { 0 };
	size_t nr;
	char *s = run(text, used, 1, out, 3, &nr);

	ck_assert_str_eq(s,
	    "site,gen_kw,quality,in_in_quality,in_quality,in_gen_kw\n"
	    "o,o,o,ok,est,5\n");
	ck_assert_uint_eq(nr, 2);
	free(s);
}
END_TEST

/* Every column read: nothing passed, the header is the program's. */
START_TEST(nothing)
{
	static const char text[] = "a,b\n1,2\n";
	static const char *const out[] = { "a", "b" };
	static const int used[] = { 1, 0 };
	size_t nr;
	char *s = run(text, used, 2, out, 2, &nr);

	ck_assert_str_eq(s, "a,b\no,o\n");
	free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pass");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	dg_csv_opts_init(&co);
	tcase_add_test(tc, order_and_fields);
	tcase_add_test(tc, clash_renamed);
	tcase_add_test(tc, nothing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
