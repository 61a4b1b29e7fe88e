/* check_peakhunt: peak hunting (lib/dg_peakhunt*.c) on hand-made days:
 * a month with a known peak, a budget that runs out, a coincident peak
 * the forecast misses, the hindsight optimum of a demand charge by hand,
 * and the tariff file's refusals. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_peakhunt.h"

/* A hand-made zone: every hour 1000 MW, the afternoon rising to 1800 MW
 * at 16:00 (hour beginning), each day scaled by mult(day) (1.00, 1.01,
 * 1.02 in turn, and the special days of a case); its forecasts, issued 1
 * to 6 days before, are exact unless a case says otherwise. */
static double
shape(int h)
{
	return h >= 8 ? 1000 + 100 * (8 - abs(h - 16)) : 1000;
}

struct fx {
	struct dg_ph_tariff t;
	struct dg_ph_series zone, site;
	struct dg_ph_forecasts zfc, sfc;
	struct dg_ph_inputs in;
	struct dg_ph_params p;
	double mult[40], fmult[40];	/* by day of July */
};

static dg_date
july(int day)
{
	return dg_date_from_ymd(2017, 7, day);
}

static void
add_hour(struct dg_ph_series *s, dg_time t, double v)
{
	dg_dec x;

	s->h = realloc(s->h, (s->n + 1) * sizeof(*s->h));
	ck_assert_ptr_nonnull(s->h);
	ck_assert_int_eq(dg_dec_from_double(v, 1, &x), DG_OK);
	s->h[s->n].t = t;
	s->h[s->n].x = x;
	s->h[s->n++].v = dg_dec_to_double(x);
}

static void
add_fc(struct dg_ph_forecasts *f, dg_date issued, dg_time t, double v)
{
	f->f = realloc(f->f, (f->n + 1) * sizeof(*f->f));
	ck_assert_ptr_nonnull(f->f);
	f->f[f->n].issued = issued;
	f->f[f->n].t = t;
	f->f[f->n++].v = v;
}

/* The zone's July 1-31 (forecasts issued up to 6 days before). */
static void
make_zone(struct fx *x)
{
	for (int day = 1; day <= 31; day++) {
		dg_time t0;

		ck_assert_int_eq(dg_date_start(july(day), &t0), DG_OK);
		for (int h = 0; h < 24; h++) {
			double v = shape(h) * x->mult[day];

			add_hour(&x->zone, t0 + 3600 * h, v);
			for (int lead = 1; lead <= 6; lead++)
				add_fc(&x->zfc, july(day) - lead, t0 + 3600 * h,
				    shape(h) * x->fmult[day]);
		}
	}
}

/* The capacity charge of NYCA in July, weekdays, $4.00/kW-month for 12
 * months (the report's 2001 monthly-auction average, line 770); a flat
 * 800-kW turbine at $35/MWh (Table 6): $28.00 an hour. */
static void
fx_init(struct fx *x)
{
	memset(x, 0, sizeof(*x));
	dg_tz_set("America/New_York");
	for (int d = 0; d < 40; d++)
		x->mult[d] = x->fmult[d] = 1 + 0.01 * (d % 3);
	x->t.c[DG_PH_CAPACITY] = (struct dg_ph_charge){ .present = 1,
	    .rate = dg_dec_make(400, 2), .month_lo = 7, .month_hi = 7,
	    .hour_lo = 0, .hour_hi = 24, .weekdays = 1, .billed = 12,
	    .zone = "NYCA" };
	x->in.tariff = &x->t;
	x->in.flat_kw = dg_dec_make(800, 0);
	x->in.flat_usd_per_mwh = dg_dec_make(3500, 2);
	x->in.flat_start_usd = dg_dec_make(0, 0);
	dg_ph_params_init(&x->p);
}

static void
fx_release(struct fx *x)
{
	dg_ph_series_release(&x->zone);
	dg_ph_series_release(&x->site);
	dg_ph_forecasts_release(&x->zfc);
	dg_ph_forecasts_release(&x->sfc);
}

/* Backtests July 17-21 (Monday to Friday) with every strategy; *start:
 * the peakhunt's first run. */
static void
backtest(struct fx *x, struct dg_ph_summary *s, dg_time *start)
{
	struct dg_ph_run *r;
	struct dg_error e;
	const struct dg_ph_advice *a;
	size_t n;

	make_zone(x);
	x->in.zone = &x->zone;
	x->in.zone_fc = &x->zfc;
	ck_assert_int_eq(dg_ph_open(&r, &x->in, &x->p, july(17), july(21), 1,
	    &e), DG_OK);
	for (int k = 0; k < DG_PH_NSTRAT; k++) {
		ck_assert_int_eq(dg_ph_decide(r, k, &a, &n, &e), DG_OK);
		ck_assert_int_eq(dg_ph_evaluate(r, k, &s[k], &e), DG_OK);
	}
	/* the peakhunt's rows, for the cases to look at */
	ck_assert_int_eq(dg_ph_decide(r, DG_PH_PEAKHUNT, &a, &n, &e), DG_OK);
	ck_assert_uint_eq(n, 5);
	*start = 0;
	for (size_t k = 0; k < n && *start == 0; k++)
		if (a[k].hours > 0)
			*start = a[k].start;
	dg_ph_free(r);
}

START_TEST(known_peak)
{
	/* July 19 is 20 % above every other day and forecast so, and the
	 * forecasts have always put the peak in its hour: the peakhunt runs
	 * that day only, 16:00-17:00, the tag of 800 kW x $4.00 x 12 =
	 * $38,400.00 for 1 h x $28.00, which is the bound itself */
	struct dg_ph_summary s[DG_PH_NSTRAT];
	struct fx x;
	dg_time start, t;

	fx_init(&x);
	x.mult[19] = x.fmult[19] = 1.2;
	backtest(&x, s, &start);
	ck_assert_int_eq(dg_time_from_local(2017, 7, 19, 16, 0, 0, &t), DG_OK);
	ck_assert_int_eq(start, t);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].season_peaks, 1);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].season_caught, 1);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].days_run, 1);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].hours, 1);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].cp_saving, 3840000);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].run_cost, 2800);
	/* the bound: that hour alone, 38,400 - 28 */
	ck_assert_int_eq(s[DG_PH_HINDSIGHT].hours, 1);
	ck_assert_int_eq(s[DG_PH_HINDSIGHT].cp_saving -
	    s[DG_PH_HINDSIGHT].run_cost, 3837200);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].seasons, 1);
	fx_release(&x);
}
END_TEST

START_TEST(budget_runs_out)
{
	/* Rising days, 1.10, 1.15, 1.20, no lookahead, 2 hours a month:
	 * each of the first two looks like the peak, takes its peak hour,
	 * and the peak (July 19) finds none left */
	struct dg_ph_summary s[DG_PH_NSTRAT];
	struct fx x;
	dg_time start;

	fx_init(&x);
	x.mult[17] = x.fmult[17] = 1.1;
	x.mult[18] = x.fmult[18] = 1.15;
	x.mult[19] = x.fmult[19] = 1.2;
	x.p.lookahead_days = 0;
	x.p.month_hours = 2;
	backtest(&x, s, &start);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].hours, 2);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].days_run, 2);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].season_caught, 0);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].run_cost, 5600);
	ck_assert_int_eq(s[DG_PH_HINDSIGHT].season_caught, 1);
	fx_release(&x);
	/* the year's 1 hour: July 17 takes it */
	fx_init(&x);
	x.mult[17] = x.fmult[17] = 1.1;
	x.mult[18] = x.fmult[18] = 1.15;
	x.mult[19] = x.fmult[19] = 1.2;
	x.p.lookahead_days = 0;
	x.p.year_hours = 1;
	backtest(&x, s, &start);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].hours, 1);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].days_run, 1);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].season_caught, 0);
	fx_release(&x);
}
END_TEST

START_TEST(peak_missed)
{
	/* July 18 is 1.10 and forecast so; July 19 is 1.20 but was forecast
	 * at 1.00: the peakhunt runs the 18th (its first run) and misses the
	 * peak; only the hindsight catches it.  (On the range's last day it
	 * runs again on a chance near 0: hours left at the month's end are
	 * lost.) */
	struct dg_ph_summary s[DG_PH_NSTRAT];
	struct fx x;
	dg_time start, t;

	fx_init(&x);
	x.mult[18] = x.fmult[18] = 1.1;
	x.mult[19] = 1.2;
	x.fmult[19] = 1.0;
	backtest(&x, s, &start);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].season_caught, 0);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].days_run, 2);
	ck_assert_int_eq(dg_time_from_local(2017, 7, 18, 16, 0, 0, &t), DG_OK);
	ck_assert_int_eq(start, t);
	ck_assert_int_eq(s[DG_PH_PEAKHUNT].cp_saving, 0);
	ck_assert_int_eq(s[DG_PH_HINDSIGHT].season_caught, 1);
	/* the threshold rule: July 18 (1.10 >= 0.95 x the record) */
	ck_assert_int_eq(s[DG_PH_THRESHOLD].season_caught, 1);
	fx_release(&x);
}
END_TEST

/* A site of 300 kW all July with four afternoon peaks: 500, 480, 450
 * and 400 kW at 15:00 on July 10-13; its forecasts exact. */
static void
make_site(struct fx *x)
{
	static const double top[] = { 500, 480, 450, 400 };

	for (int day = 1; day <= 31; day++) {
		dg_time t0;

		ck_assert_int_eq(dg_date_start(july(day), &t0), DG_OK);
		for (int h = 0; h < 24; h++) {
			double v = day >= 10 && day <= 13 && h == 15 ?
			    top[day - 10] : 300;

			add_hour(&x->site, t0 + 3600 * h, v);
			add_fc(&x->sfc, july(day) - 1, t0 + 3600 * h, v);
		}
	}
}

static void
demand_bound(int month_hours, struct dg_ph_summary *s)
{
	struct fx x;
	struct dg_ph_run *r;
	struct dg_error e;
	const struct dg_ph_advice *a;
	size_t n;

	fx_init(&x);
	memset(&x.t, 0, sizeof(x.t));
	x.t.c[DG_PH_DEMAND] = (struct dg_ph_charge){ .present = 1,
	    .rate = dg_dec_make(1000, 2), .month_lo = 7, .month_hi = 7,
	    .hour_lo = 0, .hour_hi = 24, .per_month = 1, .billed = 1 };
	x.in.flat_kw = dg_dec_make(100, 0);
	x.p.month_hours = month_hours;
	make_site(&x);
	x.in.site = &x.site;
	x.in.site_fc = &x.sfc;
	ck_assert_int_eq(dg_ph_open(&r, &x.in, &x.p, july(1), july(31), 1,
	    &e), DG_OK);
	ck_assert_int_eq(dg_ph_decide(r, DG_PH_HINDSIGHT, &a, &n, &e), DG_OK);
	ck_assert_int_eq(dg_ph_evaluate(r, DG_PH_HINDSIGHT, s, &e), DG_OK);
	ck_assert_int_eq(dg_ph_decide(r, DG_PH_PEAKHUNT, &a, &n, &e), DG_OK);
	ck_assert_int_eq(dg_ph_evaluate(r, DG_PH_PEAKHUNT, s + 1, &e), DG_OK);
	dg_ph_free(r);
	fx_release(&x);
}

START_TEST(demand_hindsight)
{
	/* $10/kW-month, a 100-kW generator at $35/MWh ($3.50 an hour).
	 * By hand: 2 hours cut 500 and 480 to 400 and 380, the bill falls to
	 * the third peak, 450: $500.00 for $7.00; 1 hour only to 480:
	 * $200.00.  3 hours: to 400, $1,000.00 for $10.50, and a 4th hour
	 * (400 -> 300) gains nothing as 500 - 100 = 400 remains. */
	struct dg_ph_summary s[2];

	demand_bound(2, s);
	ck_assert_int_eq(s[0].hours, 2);
	ck_assert_int_eq(s[0].demand_saving, 50000);
	ck_assert_int_eq(s[0].run_cost, 700);
	ck_assert_int_eq(s[0].site_months, 1);
	ck_assert_int_eq(s[0].site_caught, 1);
	ck_assert(s[1].demand_saving - s[1].run_cost <= 50000 - 700);
	demand_bound(4, s);
	ck_assert_int_eq(s[0].hours, 3);
	ck_assert_int_eq(s[0].demand_saving, 100000);
	ck_assert_int_eq(s[0].run_cost, 1050);
	ck_assert(s[1].demand_saving - s[1].run_cost <= 100000 - 1050);
}
END_TEST

/* --- the tariff file ----------------------------------------------- */

static char path[] = "/tmp/check_peakhunt_XXXXXX";

static int
read_tariff(const char *text, struct dg_ph_tariff *t, struct dg_error *e)
{
	struct dg_csv_opts o;
	int fd, st;

	memcpy(path, "/tmp/check_peakhunt_XXXXXX", sizeof(path));
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	dg_csv_opts_init(&o);
	st = dg_ph_tariff_read(t, path, &o, e);
	unlink(path);
	return st;
}

START_TEST(tariff_good)
{
	struct dg_ph_tariff t;
	struct dg_error e;

	ck_assert_int_eq(read_tariff(
	    "charge,usd_per_kw_month,months,hours,days,peak,billed_months,zone\n"
	    "capacity,4.00,6-9,,weekdays,,,li\n"
	    "demand,14.25,1-12,8-22,,,,\n", &t, &e), DG_OK);
	ck_assert(t.c[DG_PH_CAPACITY].present);
	ck_assert_str_eq(t.c[DG_PH_CAPACITY].zone, "LONGIL");
	ck_assert_int_eq(t.c[DG_PH_CAPACITY].billed, 12);
	ck_assert_int_eq(t.c[DG_PH_CAPACITY].per_month, 0);
	ck_assert_int_eq(t.c[DG_PH_CAPACITY].hour_hi, 24);
	ck_assert_int_eq(t.c[DG_PH_CAPACITY].month_lo, 6);
	ck_assert_int_eq(t.c[DG_PH_DEMAND].billed, 1);
	ck_assert_int_eq(t.c[DG_PH_DEMAND].per_month, 1);
	ck_assert_int_eq(t.c[DG_PH_DEMAND].hour_lo, 8);
	ck_assert_int_eq(t.c[DG_PH_DEMAND].rate.v, 1425);
}
END_TEST

static void
tariff_fails(const char *row, const char *col, const char *msg)
{
	char text[512];
	struct dg_ph_tariff t;
	struct dg_error e;

	snprintf(text, sizeof(text),
	    "charge,usd_per_kw_month,months,hours,days,peak,billed_months,zone\n"
	    "%s\n", row);
	ck_assert_int_eq(read_tariff(text, &t, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 2);
	ck_assert_str_eq(e.column, col);
	ck_assert_msg(strstr(e.msg, msg) != NULL, "\"%s\" lacks \"%s\"", e.msg,
	    msg);
}

START_TEST(tariff_bad)
{
	tariff_fails("energy,4,7,,,,,", "charge", "capacity or demand");
	tariff_fails("capacity,4$,7,,,,,NYCA", "usd_per_kw_month",
	    "not a number");
	tariff_fails("capacity,-4,7,,,,,NYCA", "usd_per_kw_month", "negative");
	tariff_fails("capacity,4,9-6,,,,,NYCA", "months", "M-M from 1 to 12");
	tariff_fails("capacity,4,13,,,,,NYCA", "months", "\"13\"");
	tariff_fails("capacity,4,7,18-14,,,,NYCA", "hours", "H-H from 0 to 24");
	tariff_fails("capacity,4,7,14,,,,NYCA", "hours", "\"14\"");
	tariff_fails("capacity,4,7,,weekday,,,NYCA", "days", "all or weekdays");
	tariff_fails("capacity,4,7,,,year,,NYCA", "peak", "season or month");
	tariff_fails("demand,4,7,,,season,,", "peak", "each month's peak");
	tariff_fails("capacity,4,7,,,,0,NYCA", "billed_months", "1 to 120");
	tariff_fails("capacity,4,7,,,,,", "zone", "names its zone");
	tariff_fails("capacity,4,7,,,,,Long Islnd", "zone",
	    "NYCA or a NYISO zone");
	tariff_fails("demand,4,7,,,,,NYCA", "zone", "no zone");
}
END_TEST

START_TEST(tariff_twice)
{
	struct dg_ph_tariff t;
	struct dg_error e;

	ck_assert_int_eq(read_tariff(
	    "charge,usd_per_kw_month,months,zone\ncapacity,4,7,NYCA\n"
	    "capacity,5,8,NYCA\n", &t, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert(strstr(e.msg, "first on line 2") != NULL);
	ck_assert_int_eq(read_tariff("charge,usd_per_kw_month,months\n", &t,
	    &e), DG_EDATA);
	ck_assert(strstr(e.msg, "no charge") != NULL);
}
END_TEST

START_TEST(limits)
{
	/* a demand charge without the site's load; a range of 4 years; a
	 * lookahead past the leads kept */
	struct fx x;
	struct dg_ph_run *r;
	struct dg_error e;

	fx_init(&x);
	x.t.c[DG_PH_DEMAND].present = 1;
	ck_assert_int_eq(dg_ph_open(&r, &x.in, &x.p, july(1), july(31), 1, &e),
	    DG_EINVAL);
	x.t.c[DG_PH_DEMAND].present = 0;
	ck_assert_int_eq(dg_ph_open(&r, &x.in, &x.p, july(1), july(1) + 1500,
	    1, &e), DG_EINVAL);
	ck_assert_int_eq(dg_ph_open(&r, &x.in, &x.p, july(2), july(1), 1, &e),
	    DG_EINVAL);
	x.p.lookahead_days = 8;
	ck_assert_int_eq(dg_ph_open(&r, &x.in, &x.p, july(1), july(31), 1, &e),
	    DG_EINVAL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("peakhunt");
	TCase *tc = tcase_create("core");
	TCase *tl = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, known_peak);
	tcase_add_test(tc, budget_runs_out);
	tcase_add_test(tc, peak_missed);
	tcase_add_test(tc, demand_hindsight);
	tcase_add_test(tc, tariff_good);
	tcase_add_test(tl, tariff_bad);
	tcase_add_test(tl, tariff_twice);
	tcase_add_test(tl, limits);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
