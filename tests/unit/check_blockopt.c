/* check_blockopt: bid blocks against exhaustive search. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ck_dec.h"
#include "dg_blockopt.h"

/* Exhaustive search: every assignment of n sites to labels (restricted
 * growth strings, so each partition once) into at most nb blocks; the
 * largest feasible number of blocks, and the least premium with it. */
static void
exhaustive(const double *kw, const double *c, int n, int nb, double M,
    int *kbest, double *pbest)
{
	int a[16], maxl[16];

	*kbest = 0;
	*pbest = INFINITY;
	a[0] = 0;
	for (int i = 1; i < n; i++)
		a[i] = 0;
	for (;;) {
		int k = 0, ok = 1;
		double tot[16] = { 0 }, pr[16], prem = 0;

		for (int i = 0; i < n; i++)
			if (a[i] + 1 > k)
				k = a[i] + 1;
		for (int b = 0; b < k; b++)
			pr[b] = -INFINITY;
		for (int i = 0; i < n; i++) {
			tot[a[i]] += kw[i];
			if (c[i] > pr[a[i]])
				pr[a[i]] = c[i];
		}
		for (int b = 0; b < k; b++)
			if (tot[b] < M - DG_BLOCKOPT_KW_EPS)
				ok = 0;
		if (ok && k <= nb) {
			for (int i = 0; i < n; i++)
				prem += (pr[a[i]] - c[i]) * kw[i] / 1000;
			if (k > *kbest || (k == *kbest && prem < *pbest)) {
				*kbest = k;
				*pbest = prem;
			}
		}
		/* next restricted growth string */
		{
			int i;

			maxl[0] = 0;
			for (int j = 1; j < n; j++)
				maxl[j] = maxl[j - 1] > a[j - 1] ? maxl[j - 1] :
				    a[j - 1];
			for (i = n - 1; i >= 1; i--)
				if (a[i] <= maxl[i] && a[i] + 1 < nb)
					break;
			if (i < 1)
				return;
			a[i]++;
			for (int j = i + 1; j < n; j++)
				a[j] = 0;
		}
	}
}

/* The exact figures of the solver's blocks: their premiums, each rounded
 * to the cent, add up to the solver's premium within those roundings. */
static double
figures_premium(const double *kw, const double *c, int n, const int *block,
    int nb)
{
	dg_dec dkw[16], dc[16];
	double p = 0;

	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(dg_dec_from_double(kw[i], 3, &dkw[i]), DG_OK);
		ck_assert_int_eq(dg_dec_from_double(c[i], 2, &dc[i]), DG_OK);
	}
	for (int b = 1; b <= nb; b++) {
		struct dg_blockopt_figures f;

		ck_assert_int_eq(dg_blockopt_figures(dkw, dc, (size_t)n, block,
		    b, DG_BLOCKOPT_PRICE_MAX, &f, NULL), DG_OK);
		ck_assert_int_ge(dg_dec_sign(f.premium), 0);
		p += dg_dec_to_double(f.premium);
	}
	return p;
}

static void
check_valid(const double *kw, const double *c, int n, double M,
    const int *block, const struct dg_blockopt_result *r)
{
	double tot[16] = { 0 };

	for (int i = 0; i < n; i++) {
		ck_assert_int_ge(block[i], r->nblocks > 0 ? 1 : 0);
		ck_assert_int_le(block[i], r->nblocks);
		tot[block[i]] += kw[i];
	}
	for (int b = 1; b <= r->nblocks; b++)
		ck_assert_msg(tot[b] >= M - DG_BLOCKOPT_KW_EPS,
		    "block %d has %.3f kW < %.3f", b, tot[b], M);
	ck_assert_double_eq_tol(figures_premium(kw, c, n, block, r->nblocks),
	    r->premium_usd_per_h, 0.005 * r->nblocks + 1e-7);
}

START_TEST(test_figures)
{
	/* The trap's block {200 kW at $50, 800 kW at $90} (hand-computed):
	 * price 90.00, premium (90 - 50) x 200 / 1000 = 8.00 $/h; weighted,
	 * (200 x 50 + 800 x 90) / 1000 = 82.00 $/MWh and a premium of
	 * (82 - 50) x 0.2 + (82 - 90) x 0.8 = 0.00. */
	dg_dec kw[3], c[3];
	int block[] = { 2, 1, 2 };
	struct dg_blockopt_figures f;
	int which;

	ck_assert_int_eq(dg_blockopt_offer(dec("200"), dec("50"), &kw[0], &c[0],
	    &which), DG_OK);
	ck_assert_int_eq(dg_blockopt_offer(dec("1000"), dec("60"), &kw[1],
	    &c[1], &which), DG_OK);
	ck_assert_int_eq(dg_blockopt_offer(dec("800"), dec("90"), &kw[2], &c[2],
	    &which), DG_OK);
	ck_dec(kw[0], "200.000");
	ck_dec(c[0], "50.00");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 3, block, 2,
	    DG_BLOCKOPT_PRICE_MAX, &f, NULL), DG_OK);
	ck_assert_int_eq(f.n, 2);
	ck_dec(f.kw, "1000.000");
	ck_dec(f.price, "90.00");
	ck_dec(f.premium, "8.00");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 3, block, 2,
	    DG_BLOCKOPT_PRICE_WEIGHTED, &f, NULL), DG_OK);
	ck_dec(f.price, "82.00");
	ck_dec(f.premium, "0.00");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 3, block, 3,
	    DG_BLOCKOPT_PRICE_MAX, &f, NULL), DG_EINVAL);
}
END_TEST

START_TEST(test_figures_rounding)
{
	/* Rounded once, half away from zero (hand-computed): 125 kW at $49
	 * and 1 kW at $50: premium (50 - 49) x 125 / 1000 = 0.125 $/h, 0.13
	 * (in doubles printf's round-half-even gives 0.12).  Weighted, 1 kW
	 * at $10.00 and 1 kW at $10.01: (10.00 + 10.01) / 2 = 10.005, 10.01.
	 * An offer is rounded to the watt and the cent: 2.3855 kW at
	 * $40.125 is 2.386 kW at $40.13. */
	dg_dec kw[2], c[2], k, x;
	int block[] = { 1, 1 }, which;
	struct dg_blockopt_figures f;

	kw[0] = dec("125.000");
	c[0] = dec("49.00");
	kw[1] = dec("1.000");
	c[1] = dec("50.00");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 2, block, 1,
	    DG_BLOCKOPT_PRICE_MAX, &f, NULL), DG_OK);
	ck_dec(f.premium, "0.13");
	ck_dec(f.kw, "126.000");
	kw[0] = dec("1.000");
	c[0] = dec("10.00");
	c[1] = dec("10.01");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 2, block, 1,
	    DG_BLOCKOPT_PRICE_WEIGHTED, &f, NULL), DG_OK);
	ck_dec(f.price, "10.01");
	ck_assert_int_eq(dg_blockopt_offer(dec("2.3855"), dec("40.125"), &k, &x,
	    &which), DG_OK);
	ck_dec(k, "2.386");
	ck_dec(x, "40.13");
}
END_TEST

START_TEST(test_figures_range)
{
	/* totals past 18 digits: DG_ERANGE naming the member at fault */
	dg_dec kw[3], c[3], k, x;
	int block[] = { 1, 0, 1 }, which;
	struct dg_blockopt_figures f;
	size_t bad = 99;

	kw[0] = dec("900000000000000.000");
	kw[1] = dec("1.000");
	kw[2] = dec("900000000000000.000");
	c[0] = c[1] = c[2] = dec("1.00");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 3, block, 1,
	    DG_BLOCKOPT_PRICE_MAX, &f, &bad), DG_ERANGE);
	ck_assert_uint_eq(bad, 0);
	kw[0] = dec("9000000000.000");
	kw[2] = dec("9000000000.000");
	c[2] = dec("900000000.00");
	ck_assert_int_eq(dg_blockopt_figures(kw, c, 3, block, 1,
	    DG_BLOCKOPT_PRICE_MAX, &f, &bad), DG_ERANGE);
	ck_assert_uint_eq(bad, 2);
	/* an offer of 16 integer digits cannot take 3 decimals */
	ck_assert_int_eq(dg_blockopt_offer(dec("9999999999999999"), dec("1"),
	    &k, &x, &which), DG_ERANGE);
	ck_assert_int_eq(which, 0);
	ck_assert_int_eq(dg_blockopt_offer(dec("1"), dec("99999999999999999"),
	    &k, &x, &which), DG_ERANGE);
	ck_assert_int_eq(which, 1);
}
END_TEST

START_TEST(test_trap)
{
	/* the trap: 200 kW (cheapest, $50), 1000 kW ($60), 800 kW
	 * (dearest, $90) into two blocks of at least 1000 kW.  The only
	 * feasible partition is {1000} at $60 and {200, 800} at $90:
	 * hand-computed premium (90 - 50) x 200 / 1000 = 8.00 $/h. */
	double kw[] = { 200, 1000, 800 }, c[] = { 50, 60, 90 };
	int block[3];
	struct dg_blockopt_opts o;
	struct dg_blockopt_result r;
	struct dg_blockopt *w = dg_blockopt_alloc(3, 2);

	dg_blockopt_opts_init(&o);
	o.nblocks = 2;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 3, &o, block, &r), DG_OK);
	ck_assert_int_eq(r.nblocks, 2);
	ck_assert_int_eq(r.proven, 1);
	ck_assert_int_eq(r.method, DG_BLOCKOPT_BY_BNB);
	ck_assert_double_eq_tol(r.premium_usd_per_h, 8.0, 1e-9);
	ck_assert_double_eq(r.gap_usd_per_h, 0);
	ck_assert_int_eq(block[0], 2);
	ck_assert_int_eq(block[1], 1);
	ck_assert_int_eq(block[2], 2);
	dg_blockopt_free(w);
}
END_TEST

START_TEST(test_consecutive_proved)
{
	/* hand-computed: five sites, costs 71.25 > 69.6 > 44.1 > 40.2 > 38.5
	 * with 600, 500, 700, 450, 900 kW, three blocks of >= 1000 kW...
	 * 3 blocks need 3000 kW: total 3150, so the consecutive split
	 * {600,500} {700,450} {900} fails the last block (900 < 1000) and
	 * only 3 x 1000 <= 3150 leaves partitions like {600,450} {500,700}
	 * ... none reaches 1000 thrice with 5 sites?  600+450=1050,
	 * 500+700=1200, 900 < 1000: no.  So two blocks: consecutive
	 * {600,500} at 71.25 and {700,450,900} at 44.1: premium
	 * (1.65 x 500 + (44.1-40.2) x 450 + (44.1-38.5) x 900) / 1000
	 * = (825 + 1755 + 5040) / 1000 = 7.62 $/h, and the relaxation
	 * bound meets it (the cut at 1100 kW is a site boundary). */
	double kw[] = { 600, 500, 700, 450, 900 };
	double c[] = { 71.25, 69.6, 44.1, 40.2, 38.5 };
	int block[5];
	struct dg_blockopt_opts o;
	struct dg_blockopt_result r;
	struct dg_blockopt *w = dg_blockopt_alloc(5, 3);

	dg_blockopt_opts_init(&o);
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 5, &o, block, &r), DG_OK);
	ck_assert_int_eq(r.nblocks, 2);
	ck_assert_int_eq(r.proven, 1);
	ck_assert_double_eq_tol(r.premium_usd_per_h, 7.62, 1e-9);
	check_valid(kw, c, 5, 1000, block, &r);
	dg_blockopt_free(w);
}
END_TEST

static uint64_t rng = 20170721;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

START_TEST(test_random_vs_exhaustive)
{
	struct dg_blockopt *w = dg_blockopt_alloc(9, 3);
	int nbnb = 0, nfewer = 0, ncases = 0;

	for (int t = 0; t < 3000; t++) {
		int n = 1 + (int)(urand() * 9), nb = 1 + (int)(urand() * 3);
		double kw[9], c[9], M, pbest;
		int block[9], kbest;
		struct dg_blockopt_opts o;
		struct dg_blockopt_result r;

		for (int i = 0; i < n; i++) {
			/* kW with one decimal; some sites large, some small */
			kw[i] = round((urand() < 0.3 ? 600 + urand() * 700 :
			    50 + urand() * 400) * 10) / 10;
			/* costs with cents, with ties now and then */
			c[i] = urand() < 0.15 && i > 0 ? c[i - 1] :
			    round((35 + urand() * 140) * 100) / 100;
		}
		switch (t % 3) {
		case 0: M = 1000; break;
		case 1: M = round(urand() * 1500); break;
		default: M = 0; break;
		}
		dg_blockopt_opts_init(&o);
		o.nblocks = nb;
		o.min_block_kw = M;
		exhaustive(kw, c, n, nb, M, &kbest, &pbest);
		ck_assert_int_eq(dg_blockopt_solve(w, kw, c, (size_t)n, &o,
		    block, &r), DG_OK);
		ck_assert_msg(r.nblocks == kbest,
		    "case %d: %d blocks, exhaustive %d",
		    t, r.nblocks, kbest);
		ck_assert_int_eq(r.proven, 1);
		if (kbest > 0) {
			ck_assert_msg(fabs(r.premium_usd_per_h - pbest) < 1e-7,
			    "case %d: premium %.9f, exhaustive %.9f", t,
			    r.premium_usd_per_h, pbest);
			ck_assert_double_eq(r.gap_usd_per_h, 0);
		}
		check_valid(kw, c, n, M, block, &r);
		ncases++;
		nbnb += r.method == DG_BLOCKOPT_BY_BNB;
		nfewer += kbest < nb && kbest > 0;
	}
	/* the floor must have bound in a fair share of the cases */
	ck_assert_msg(nbnb > 100, "only %d cases needed branch and bound",
	    nbnb);
	ck_assert_msg(nfewer > 100, "only %d cases had fewer blocks", nfewer);
	dg_blockopt_free(w);
}
END_TEST

START_TEST(test_random_larger_tight)
{
	/* 10 to 12 sites into 3 blocks with the floor near a third of the
	 * total: the floor binds and the search has work to do */
	struct dg_blockopt *w = dg_blockopt_alloc(12, 3);
	int nbnb = 0;

	for (int t = 0; t < 150; t++) {
		int n = 10 + (int)(urand() * 3), kbest;
		double kw[12], c[12], tot = 0, M, pbest;
		int block[12];
		struct dg_blockopt_opts o;
		struct dg_blockopt_result r;

		for (int i = 0; i < n; i++) {
			kw[i] = round((150 + urand() * 850) * 10) / 10;
			c[i] = round((40 + urand() * 150) * 100) / 100;
			tot += kw[i];
		}
		M = round(tot / (3.05 + urand() * 0.4));
		dg_blockopt_opts_init(&o);
		o.min_block_kw = M;
		exhaustive(kw, c, n, 3, M, &kbest, &pbest);
		ck_assert_int_eq(dg_blockopt_solve(w, kw, c, (size_t)n, &o,
		    block, &r), DG_OK);
		ck_assert_msg(r.nblocks == kbest,
		    "case %d: %d blocks, exhaustive %d",
		    t, r.nblocks, kbest);
		ck_assert_int_eq(r.proven, 1);
		if (kbest > 0)
			ck_assert_msg(fabs(r.premium_usd_per_h - pbest) < 1e-7,
			    "case %d: premium %.9f, exhaustive %.9f", t,
			    r.premium_usd_per_h, pbest);
		check_valid(kw, c, n, M, block, &r);
		nbnb += r.method == DG_BLOCKOPT_BY_BNB;
	}
	ck_assert_msg(nbnb > 50, "only %d cases needed branch and bound", nbnb);
	dg_blockopt_free(w);
}
END_TEST

START_TEST(test_budget_gap)
{
	/* A budget of one node cannot close a trap: the incumbent is kept
	 * (when the consecutive split is feasible) with an honest gap. */
	double kw[] = { 500, 520, 480, 510, 490, 505, 495 };
	double c[] = { 90, 88.5, 80, 72.25, 70, 61, 60 };
	int block[7];
	struct dg_blockopt_opts o;
	struct dg_blockopt_result r, r2;
	struct dg_blockopt *w = dg_blockopt_alloc(7, 3);

	dg_blockopt_opts_init(&o);
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 7, &o, block, &r2), DG_OK);
	ck_assert_int_eq(r2.proven, 1);
	o.max_nodes = 1;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 7, &o, block, &r), DG_OK);
	if (r.method == DG_BLOCKOPT_BY_BNB) {
		ck_assert_int_eq(r.proven, 0);
		ck_assert(r.gap_usd_per_h > 0);
		ck_assert(r.bound_usd_per_h <= r2.premium_usd_per_h + 1e-9);
		ck_assert(r.premium_usd_per_h >= r2.premium_usd_per_h - 1e-9);
	}
	dg_blockopt_free(w);
}
END_TEST

START_TEST(test_bad_arguments)
{
	double kw[] = { 2.385, 0 }, c[] = { 40, 50 };
	int block[2];
	struct dg_blockopt_opts o;
	struct dg_blockopt_result r;
	struct dg_blockopt *w = dg_blockopt_alloc(2, 3);

	dg_blockopt_opts_init(&o);
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 2, &o, block, &r),
	    DG_EINVAL);
	kw[1] = 1.5;
	c[1] = NAN;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 2, &o, block, &r),
	    DG_EINVAL);
	c[1] = 50;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 3, &o, block, &r),
	    DG_EINVAL);
	o.nblocks = 4;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 2, &o, block, &r),
	    DG_EINVAL);
	o.nblocks = 0;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 2, &o, block, &r),
	    DG_EINVAL);
	o.nblocks = 3;
	o.min_block_kw = -1;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 2, &o, block, &r),
	    DG_EINVAL);
	/* below the floor: no block, every site 0 */
	o.min_block_kw = 1000;
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 2, &o, block, &r), DG_OK);
	ck_assert_int_eq(r.nblocks, 0);
	ck_assert_int_eq(block[0], 0);
	ck_assert_int_eq(block[1], 0);
	/* no site at all */
	ck_assert_int_eq(dg_blockopt_solve(w, kw, c, 0, &o, block, &r), DG_OK);
	ck_assert_int_eq(r.nblocks, 0);
	dg_blockopt_free(w);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("blockopt");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_set_timeout(core, 60);
	tcase_add_test(core, test_trap);
	tcase_add_test(core, test_figures);
	tcase_add_test(core, test_figures_rounding);
	tcase_add_test(lim, test_figures_range);
	tcase_add_test(core, test_consecutive_proved);
	tcase_add_test(core, test_random_vs_exhaustive);
	tcase_add_test(core, test_random_larger_tight);
	tcase_add_test(lim, test_budget_gap);
	tcase_add_test(lim, test_bad_arguments);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
