/* check_extsort.c: the external sort against a stable sort in memory
 * (qsort with the insertion order as the last key), for budgets from one
 * byte (every record a run of its own, merged in several passes) to the
 * default (no spill). */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_extsort.h"

/* A record: its key (1 byte, few values so that many are equal), then
 * its insertion number (4 bytes), then filler; or empty (sorts first). */
struct rec {
	unsigned char *p;
	size_t len;
	size_t seq;
};

static int
cmp_key(const void *a, size_t alen, const void *b, size_t blen, void *arg)
{
	int ka = alen ? ((const unsigned char *)a)[0] : -1;
	int kb = blen ? ((const unsigned char *)b)[0] : -1;
	long *calls = arg;

	if (calls != NULL)
		(*calls)++;
	return (ka > kb) - (ka < kb);
}

static int
cmp_stable(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = cmp_key(x->p, x->len, y->p, y->len, NULL);

	if (c != 0)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* n records with lengths up to maxlen (and a few of 100 KB: larger than
 * a merge buffer), keys 0..nkeys-1. */
static struct rec *
make(size_t n, size_t maxlen, int nkeys, unsigned seed)
{
	struct rec *v = calloc(n ? n : 1, sizeof(*v));

	ck_assert_ptr_nonnull(v);
	srand(seed);
	for (size_t i = 0; i < n; i++) {
		size_t len = (size_t)rand() % (maxlen + 1);

		if (i % 997 == 13)
			len = 100000;
		if (len > 0 && len < 5)
			len = 5;
		v[i].len = len;
		v[i].seq = i;
		ck_assert_ptr_nonnull(v[i].p = malloc(len ? len : 1));
		for (size_t k = 0; k < len; k++)
			v[i].p[k] = (unsigned char)rand();
		if (len > 0) {
			uint32_t s = (uint32_t)i;

			v[i].p[0] = (unsigned char)(rand() % nkeys);
			memcpy(v[i].p + 1, &s, sizeof(s));
		}
	}
	return v;
}

static void
release(struct rec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].p);
	free(v);
}

/* Sorts v with budget mem and checks the order against qsort's; returns
 * the runs spilled. */
static size_t
check_sort(struct rec *v, size_t n, size_t mem)
{
	struct rec *want = malloc((n ? n : 1) * sizeof(*want));
	struct dg_extsort *xs;
	struct dg_error e;
	const void *p;
	size_t len, i = 0, runs;
	long calls = 0;
	int st;

	ck_assert_ptr_nonnull(want);
	memcpy(want, v, n * sizeof(*v));
	qsort(want, n, sizeof(*want), cmp_stable);
	ck_assert_int_eq(dg_extsort_open(&xs, cmp_key, &calls, mem, &e), DG_OK);
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(dg_extsort_add(xs, v[k].p, v[k].len), DG_OK);
	ck_assert_uint_eq(dg_extsort_count(xs), n);
	ck_assert_int_eq(dg_extsort_finish(xs), DG_OK);
	while ((st = dg_extsort_next(xs, &p, &len)) == DG_OK) {
		ck_assert_uint_lt(i, n);
		ck_assert_msg(len == want[i].len &&
		    memcmp(p, want[i].p, len) == 0,
		    "mem %zu: record %zu of %zu differs", mem, i, n);
		i++;
	}
	ck_assert_int_eq(st, DG_EOF);
	ck_assert_int_eq(dg_extsort_next(xs, &p, &len), DG_EOF);
	ck_assert_uint_eq(i, n);
	ck_assert(n < 2 || calls > 0);
	runs = dg_extsort_runs(xs);
	dg_extsort_free(xs);
	free(want);
	return runs;
}

START_TEST(random_budgets)
{
	static const size_t mem[] = { 1, 40, 333, 4096, 65536, 1 << 20, 0 };
	size_t n = 6000;
	struct rec *v = make(n, 60, 7, 2385);

	for (size_t m = 0; m < sizeof(mem) / sizeof(mem[0]); m++) {
		size_t runs = check_sort(v, n, mem[m]);

		/* one byte: every record a run of its own (6000 runs: merged
		 * 64 at a time, then the 94 left in a second pass); the
		 * default holds them all */
		if (mem[m] == 1)
			ck_assert_uint_eq(runs, n);
		if (mem[m] == 0)
			ck_assert_uint_eq(runs, 0);
		if (mem[m] == 4096)
			ck_assert_uint_gt(runs, DG_EXTSORT_FANIN);
	}
	release(v, n);
}
END_TEST

START_TEST(orders)
{
	/* sorted, reversed and all-equal input, one key */
	size_t n = 3000;
	struct rec *v = make(n, 20, 1, 7);

	check_sort(v, n, 1000);
	check_sort(v, n, 0);
	for (size_t i = 0; i < n; i++)
		if (v[i].len > 0)
			v[i].p[0] = (unsigned char)(i % 256);
	check_sort(v, n, 1000);
	for (size_t i = 0; i < n; i++)
		if (v[i].len > 0)
			v[i].p[0] = (unsigned char)(255 - i % 256);
	check_sort(v, n, 1000);
	check_sort(v, n, 0);
	release(v, n);
}
END_TEST

START_TEST(small_inputs)
{
	struct rec *v = make(1, 30, 3, 11);
	struct dg_extsort *xs;
	struct dg_error e;
	const void *p;
	size_t len;

	/* no record, one record, one empty record */
	ck_assert_uint_eq(check_sort(v, 0, 1), 0);
	ck_assert_uint_eq(check_sort(v, 0, 0), 0);
	ck_assert_uint_eq(check_sort(v, 1, 1), 0);
	ck_assert_uint_eq(check_sort(v, 1, 0), 0);
	ck_assert_int_eq(dg_extsort_open(&xs, cmp_key, NULL, 1, &e), DG_OK);
	ck_assert_int_eq(dg_extsort_add(xs, "", 0), DG_OK);
	ck_assert_int_eq(dg_extsort_add(xs, "\001abcd", 5), DG_OK);
	ck_assert_int_eq(dg_extsort_add(xs, "", 0), DG_OK);
	ck_assert_int_eq(dg_extsort_finish(xs), DG_OK);
	ck_assert_uint_eq(dg_extsort_runs(xs), 3);
	ck_assert_int_eq(dg_extsort_next(xs, &p, &len), DG_OK);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(dg_extsort_next(xs, &p, &len), DG_OK);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(dg_extsort_next(xs, &p, &len), DG_OK);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(p, "\001abcd", 5), 0);
	ck_assert_int_eq(dg_extsort_next(xs, &p, &len), DG_EOF);
	/* misuse is an internal error, not a crash */
	ck_assert_int_eq(dg_extsort_add(xs, "x", 1), DG_EINTERNAL);
	dg_extsort_free(xs);
	release(v, 1);
}
END_TEST

START_TEST(no_tmpdir)
{
	struct dg_extsort *xs;
	struct dg_error e;
	const char *old = getenv("TMPDIR");
	char *keep = old ? strdup(old) : NULL;

	/* a spill into a directory that does not exist: DG_ECREATE naming it */
	setenv("TMPDIR", "/nonexistent/dg-extsort", 1);
	ck_assert_int_eq(dg_extsort_open(&xs, cmp_key, NULL, 1, &e), DG_OK);
	ck_assert_int_eq(dg_extsort_add(xs, "\001abcd", 5), DG_OK);
	ck_assert_int_eq(dg_extsort_add(xs, "\002abcd", 5), DG_ECREATE);
	ck_assert_str_eq(e.file, "/nonexistent/dg-extsort");
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot create a temporary file"));
	dg_extsort_free(xs);
	if (keep != NULL)
		setenv("TMPDIR", keep, 1);
	else
		unsetenv("TMPDIR");
	free(keep);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("extsort");
	TCase *core = tcase_create("core");
	TCase *lim = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_set_timeout(core, 60);
	tcase_add_test(core, random_budgets);
	tcase_add_test(core, orders);
	suite_add_tcase(s, core);
	tcase_add_test(lim, small_inputs);
	tcase_add_test(lim, no_tmpdir);
	suite_add_tcase(s, lim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
