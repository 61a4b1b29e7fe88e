/* check_schedule: the unit-commitment program against exhaustive
 * enumeration of every on/off schedule. */
#include <config.h>

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dg_schedule.h"

/* The rules written independently of the program, run by run: a feasible
 * schedule's value (values less starts), or 0 with *ok = 0. */
static int64_t
value_of(const struct dg_sched_unit *u, const unsigned char *x, int *ok)
{
	int nh = u->nh, used = 0;
	int64_t v = 0;
	int had = u->init_on ? (u->init_hours > 0 ? u->init_hours : 1) : 0;

	*ok = 0;
	for (int h = 0; h < nh; h++)
		used += x[h];
	if (u->max_run_h >= 0 && used > u->max_run_h)
		return 0;
	if (u->commit == DG_SCHED_MUST_RUN)
		for (int h = 0; h < nh; h++)
			if (!x[h])
				return 0;
	/* stopping at midnight */
	if (u->init_on && !x[0] && (had < u->min_run_h ||
	    u->commit == DG_SCHED_MUST_NOT_STOP))
		return 0;
	for (int h = 0; h < nh;) {
		int s = h, len, cont, pre;

		if (!x[h]) {
			h++;
			continue;
		}
		while (h < nh && x[h])
			h++;
		len = h - s;
		cont = s == 0 && u->init_on;
		pre = cont ? had : 0;
		/* the run: at least min_run_h (with the hours before
		 * midnight) unless the day ends it; must-not-stop never
		 * stops */
		if (h < nh && (pre + len < u->min_run_h ||
		    u->commit == DG_SCHED_MUST_NOT_STOP))
			return 0;
		if (!cont)
			v -= u->start_cents;
		for (int k = s; k < h; k++) {
			int pos = pre + (k - s) + 1;	/* 1-based
							 * hour of the run */
			int forced = u->commit == DG_SCHED_MUST_RUN ||
			    (pos >= 2 && (pos <= u->min_run_h ||
			    u->commit == DG_SCHED_MUST_NOT_STOP));

			if (!u->allowed[k] && !forced)
				return 0;
			v += u->value[k];
		}
	}
	*ok = 1;
	return v;
}

static int
exhaustive(const struct dg_sched_unit *u, int64_t *best)
{
	int found = 0;
	unsigned char x[DG_SCHED_MAX_HOURS];

	for (uint32_t m = 0; m < (1u << u->nh); m++) {
		int ok;
		int64_t v;

		for (int h = 0; h < u->nh; h++)
			x[h] = (m >> h) & 1;
		v = value_of(u, x, &ok);
		if (ok && (!found || v > *best)) {
			*best = v;
			found = 1;
		}
	}
	return found;
}

static uint64_t rng = 20171105;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 20) % n);
}

START_TEST(test_hand_computed)
{
	/* hand-computed: 6 hours, the block clears in hours 2-4; values 0,
	 * 0, 1385, -240, 2210, 0 cents; min run 2, start 950 cents.
	 * Options: run 2-4: 1385 - 240 + 2210 - 950 = 2405; run 2-3 alone:
	 * 1145 - 950 = 195; run 3-4: 1970 - 950 = 1020; run 4-5 (5 forced
	 * by the minimum run): 2210 + 0 - 950 = 1260.  Best: 2-4, 2405. */
	int64_t val[6] = { 0, 0, 1385, -240, 2210, 0 };
	unsigned char al[6] = { 0, 0, 1, 1, 1, 0 }, run[6];
	struct dg_sched_unit u =
	    { 6, val, al, 2, -1, 950, 0, 0, DG_SCHED_FREE };
	int64_t tot;
	int starts;

	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, &starts), DG_OK);
	ck_assert_int_eq(tot, 2405);
	ck_assert_int_eq(starts, 1);
	ck_assert_int_eq(run[1], 0);
	ck_assert_int_eq(run[2], 1);
	ck_assert_int_eq(run[3], 1);
	ck_assert_int_eq(run[4], 1);
	ck_assert_int_eq(run[5], 0);
	/* at most 2 hours today: 3-4 (1020) beats 4-5 (1260)? no: 4-5 is
	 * 2210 + 0 - 950 = 1260 > 1020 */
	u.max_run_h = 2;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, &starts), DG_OK);
	ck_assert_int_eq(tot, 1260);
	ck_assert_int_eq(run[4], 1);
	ck_assert_int_eq(run[5], 1);
	/* permit used up: nothing */
	u.max_run_h = 0;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, &starts), DG_OK);
	ck_assert_int_eq(tot, 0);
	ck_assert_int_eq(starts, 0);
}
END_TEST

START_TEST(test_initial_state_and_kiln)
{
	/* on for 1 hour at midnight with a 3-hour minimum: hours 0 and 1
	 * are forced whatever they earn (hand-computed -300 - 125 = -425),
	 * and no start is paid */
	int64_t val[4] = { -300, -125, 80, 40 };
	unsigned char al[4] = { 0, 0, 0, 0 }, run[4];
	struct dg_sched_unit u =
	    { 4, val, al, 3, -1, 500, 1, 1, DG_SCHED_FREE };
	int64_t tot;
	int starts;

	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, &starts), DG_OK);
	ck_assert_int_eq(tot, -425);
	ck_assert_int_eq(starts, 0);
	ck_assert_int_eq(run[0] + run[1] * 2 + run[2] * 4 + run[3] * 8, 3);
	/* must-not-stop and already on: runs all day */
	u.commit = DG_SCHED_MUST_NOT_STOP;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, &starts), DG_OK);
	ck_assert_int_eq(tot, -305);
	/* must-run with only 3 hours allowed by the permit: infeasible */
	u.commit = DG_SCHED_MUST_RUN;
	u.max_run_h = 3;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, &starts), DG_EDATA);
}
END_TEST

START_TEST(test_random_vs_exhaustive)
{
	int nstart = 0, ninit = 0, ninfeasible = 0;

	for (int t = 0; t < 4000; t++) {
		int64_t val[14], best = 0, tot;
		unsigned char al[14], run[14];
		struct dg_sched_unit u;
		int found, st, starts;

		memset(&u, 0, sizeof(u));
		u.nh = 1 + (int)rnd(12);
		for (int h = 0; h < u.nh; h++) {
			val[h] = (int64_t)rnd(6001) - 2000;
			al[h] = rnd(10) < 6;
		}
		u.value = val;
		u.allowed = al;
		u.min_run_h = 1 + (int)rnd(5);
		u.max_run_h = rnd(3) == 0 ? -1 : (int)rnd((uint32_t)u.nh + 2);
		u.start_cents = (int64_t)rnd(4000);
		u.init_on = rnd(3) == 0;
		u.init_hours = u.init_on ? (int)rnd(6) : (int)rnd(3);
		u.commit = rnd(8) == 0 ? DG_SCHED_MUST_RUN :
		    rnd(6) == 0 ? DG_SCHED_MUST_NOT_STOP : DG_SCHED_FREE;
		found = exhaustive(&u, &best);
		st = dg_schedule_unit(&u, run, &tot, &starts);
		if (!found) {
			ck_assert_msg(st == DG_EDATA,
			    "case %d: infeasible but %d", t, st);
			ninfeasible++;
			continue;
		}
		ck_assert_msg(st == DG_OK, "case %d: status %d", t, st);
		ck_assert_msg(tot == best, "case %d: %lld, exhaustive %lld", t,
		    (long long)tot, (long long)best);
		{
			int ok;
			int64_t v = value_of(&u, run, &ok);

			ck_assert_msg(ok && v == tot,
			    "case %d: schedule not feasible or not worth its total",
			    t);
		}
		nstart += starts > 0;
		ninit += u.init_on;
	}
	ck_assert(nstart > 500);
	ck_assert(ninit > 500);
	ck_assert(ninfeasible > 20);
}
END_TEST

START_TEST(test_value_and_limits)
{
	/* Hand-computed: 369.2 kW at $212.44/MWh displaces 78.433 $/h; less
	 * a running cost of 40.69 $/h, 37.743 $: 3774 cents.  Half a cent
	 * rounds away from zero: 1000 kW at $50 less 45.125 $/h is 487.5
	 * cents, 488 (all exact in binary). */
	int64_t c;

	ck_assert_int_eq(dg_schedule_value_cents(212.44, 369.2, 40.69, &c),
	    DG_OK);
	ck_assert_int_eq(c, 3774);
	ck_assert_int_eq(dg_schedule_value_cents(50, 1000, 45.125, &c), DG_OK);
	ck_assert_int_eq(c, 488);
	ck_assert_int_eq(dg_schedule_value_cents(50, 1000, 54.875, &c), DG_OK);
	ck_assert_int_eq(c, -488);
	ck_assert_int_eq(dg_schedule_cents(95.00, &c), DG_OK);
	ck_assert_int_eq(c, 9500);
	/* past DG_SCHED_MAX_CENTS either way, or not a number */
	ck_assert_int_eq(dg_schedule_value_cents(212.44, 100,
	    99999999999999999.0, &c), DG_ERANGE);
	ck_assert_int_eq(dg_schedule_value_cents(1000, 9e15, 0, &c), DG_ERANGE);
	ck_assert_int_eq(dg_schedule_cents(0.0 / 0.0, &c), DG_ERANGE);
	/* the hours a unit may run today: the day's cap and the permit's
	 * hours left, whichever is less; -1: no limit */
	ck_assert_int_eq(dg_schedule_max_run(-1, -1, 0), -1);
	ck_assert_int_eq(dg_schedule_max_run(8, -1, 500), 8);
	ck_assert_int_eq(dg_schedule_max_run(8, 1000, 995), 5);
	ck_assert_int_eq(dg_schedule_max_run(-1, 1000, 995), 5);
	ck_assert_int_eq(dg_schedule_max_run(8, 1000, 1200), 0);
	ck_assert_int_eq(dg_schedule_max_run(4, 1000, 10), 4);
}
END_TEST

START_TEST(test_bad_arguments)
{
	int64_t val[2] = { 1, 2 };
	unsigned char al[2] = { 1, 1 }, run[2];
	struct dg_sched_unit u = { 2, val, al, 1, -1, 0, 0, 0, DG_SCHED_FREE };
	int64_t tot;

	u.nh = 0;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, NULL), DG_EINVAL);
	u.nh = 26;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, NULL), DG_EINVAL);
	u.nh = 2;
	u.min_run_h = 0;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, NULL), DG_EINVAL);
	u.min_run_h = 1;
	u.start_cents = -1;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, NULL), DG_EINVAL);
	u.start_cents = 0;
	u.commit = 7;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, NULL), DG_EINVAL);
	u.commit = DG_SCHED_FREE;
	ck_assert_int_eq(dg_schedule_unit(&u, run, &tot, NULL), DG_OK);
	ck_assert_int_eq(tot, 3);
	/* a 25-hour day with an 8784-hour minimum run: allowed, one start */
	{
		int64_t v25[25];
		unsigned char a25[25], r25[25];
		struct dg_sched_unit w = { 25, v25, a25, 8784, 6, 2385, 0, 0,
		    DG_SCHED_FREE };

		for (int h = 0; h < 25; h++) {
			v25[h] = 1000;
			a25[h] = 1;
		}
		/* it can start only if it may run to the day's end: 25 > 6 */
		ck_assert_int_eq(dg_schedule_unit(&w, r25, &tot, NULL), DG_OK);
		ck_assert_int_eq(tot, 6000 - 2385);
		ck_assert_int_eq(r25[19], 1);
		ck_assert_int_eq(r25[18], 0);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("schedule");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_set_timeout(core, 60);
	tcase_add_test(core, test_hand_computed);
	tcase_add_test(core, test_initial_state_and_kiln);
	tcase_add_test(core, test_random_vs_exhaustive);
	tcase_add_test(lim, test_bad_arguments);
	tcase_add_test(lim, test_value_and_limits);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
