/* check_cbl.c: unit tests of lib/dg_cbl (customer baseline load).
 *
 * The load of the test site is built so that every figure can be checked by
 * hand: on date d, clock hour h, load = L(d) + 0.5 x (h - 14) kW, with a
 * level L(d) per date from the tables below, so ADEPU over 14:00-18:00 is
 * L(d) + 0.75 and the ranking of days is the ranking of L. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_dec.h"
#include "dg_cbl_int.h"
#include "dg_csv.h"
#include "dg_series.h"

#define TOL 1e-9

static struct dg_cbl_cal cal;
static struct dg_cbl_load ld;
static struct dg_cbl_result res;
static struct dg_holidays hol;
static struct dg_error err;

struct level {
	const char *date;
	double L;
};

/* July 2017 (Tue 4 Jul is a NERC holiday); the event is Wed 19 Jul. */
static const struct level july[] = {
	{ "2017-07-18", 100.5 }, { "2017-07-17", 210.25 },
	{ "2017-07-14", 180.0 }, { "2017-07-13", 95.125 },
	{ "2017-07-12", 230.75 }, { "2017-07-11", 150.5 },
	{ "2017-07-10", 199.0 }, { "2017-07-07", 120.0 },
	{ "2017-07-06", 205.5 }, { "2017-07-05", 160.0 },
	{ "2017-07-04", 500.0 }, { "2017-07-03", 300.0 },
	/* Saturdays */
	{ "2017-07-15", 88.5 }, { "2017-07-08", 120.25 },
	{ "2017-07-01", 99.0 }, { "2017-06-24", 500.0 },
	/* Sundays before the fall-back day */
	{ "2017-10-29", 50.5 }, { "2017-10-22", 70.25 },
	{ "2017-10-15", 60.0 }, { "2017-10-08", 400.0 },
	{ NULL, 0 }
};

/* A load or an option value as an exact decimal (the values of these
 * tests have at most 6 decimals). */
static dg_dec
kw(double x)
{
	dg_dec d;

	ck_assert_int_eq(dg_dec_from_double(x, 6, &d), DG_OK);
	return d;
}

static dg_date
D(const char *s)
{
	dg_date d;

	ck_assert_int_eq(dg_date_parse(s, strlen(s), &d), DG_OK);
	return d;
}

static double
level(dg_date d)
{
	for (int i = 0; july[i].date != NULL; i++)
		if (D(july[i].date) == d)
			return july[i].L;
	return dg_date_wday(d) == 0 || dg_date_wday(d) == 6 ? 400.0 : 140.0;
}

/* Fills [from, to] with L(d) + 0.5 (h - 14) at every local hour. */
static void
build(const char *from, const char *to)
{
	dg_cbl_load_clear(&ld);
	for (dg_date d = D(from); d <= D(to); d++) {
		dg_time a, b;

		ck_assert_int_eq(dg_date_start(d, &a), DG_OK);
		ck_assert_int_eq(dg_date_start(d + 1, &b), DG_OK);
		for (dg_time t = a; t < b; t += 3600) {
			struct dg_local lt;

			dg_time_local(t, &lt);
			ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, t,
			    kw(level(d) + 0.5 * (lt.hour - 14))), DG_OK);
		}
	}
}

static void
set_at(const char *date, int hour, double v)
{
	int y, m, dd;
	dg_time t;

	dg_date_to_ymd(D(date), &y, &m, &dd);
	ck_assert_int_eq(dg_time_from_local(y, m, dd, hour, 0, 0, &t), DG_OK);
	ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, t, kw(v)), DG_OK);
}

static struct dg_cbl_event
event(const char *date, int s, int e, const char *prog)
{
	struct dg_cbl_event ev;

	ev.id = "E1";
	ev.program = prog;
	ev.date = D(date);
	ev.start_h = s;
	ev.end_h = e;
	return ev;
}

static int
run(const struct dg_cbl_params *p, const struct dg_cbl_event *ev,
    const dg_date *evd, size_t nevd)
{
	return dg_cbl_compute(p, &cal, &ld, ev, evd, nevd, &hol, &res, &err);
}

static const struct dg_cbl_note *
note(const char *date)
{
	for (size_t i = 0; i < res.nnotes; i++)
		if (res.notes[i].date == D(date))
			return &res.notes[i];
	return NULL;
}

static void
setup(void)
{
	dg_tz_set("America/New_York");
	dg_cbl_cal_init(&cal);
	dg_cbl_load_init(&ld);
	dg_cbl_result_init(&res);
	dg_holidays_init(&hol, 1);
	dg_error_clear(&err);
	build("2017-05-15", "2017-07-19");
	/* event day: 150.375 kW flat in the event hours */
	for (int h = 14; h < 18; h++)
		set_at("2017-07-19", h, 150.375);
}

static void
teardown(void)
{
	dg_cbl_cal_release(&cal);
	dg_cbl_load_release(&ld);
	dg_cbl_result_release(&res);
	dg_holidays_release(&hol);
}

/* --- core --------------------------------------------------------------- */

/* hand-computed: the 10 most recent weekdays before Wed 19 Jul are 18, 17,
 * 14, 13, 12, 11, 10, 7, 6, 5 Jul; the 5 highest L: 230.75 (12), 210.25 (17),
 * 205.5 (6), 199.0 (10), 180.0 (14); mean 1025.5 / 5 = 205.1, so CBL(14:00)
 * = 205.1, CBL(17:00) = 205.1 + 1.5 = 206.6; reduction 205.1 - 150.375. */
START_TEST(nyiso_weekday_average_day)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nhours, 4);
	ck_assert_uint_eq(res.nwindow, 10);
	ck_assert_uint_eq(res.nbasis, 5);
	ck_assert_int_eq(res.basis[0], D("2017-07-12"));
	ck_assert_int_eq(res.basis[4], D("2017-07-14"));
	ck_assert_double_eq_tol(res.h[0].cbl, 205.1, TOL);
	ck_assert_double_eq_tol(res.h[3].cbl, 206.6, TOL);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 205.1, TOL);
	ck_assert_double_eq_tol(res.h[0].cbl - res.h[0].actual, 54.725, TOL);
	ck_assert_int_eq(res.adjusted, 0);
	ck_assert_uint_eq(res.quality, 0);
	/* low usage: 25 % of the peak event-hour load of the look-back,
	 * 3 Jul 17:00 = 300 + 1.5 */
	ck_assert_double_eq_tol(res.threshold, 0.25 * 301.5, TOL);
	ck_assert_int_eq(note("2017-07-16")->reason, DG_CBL_R_NOT_LIKE);
	ck_assert_int_eq(note("2017-07-18")->role, DG_CBL_WINDOW);
	ck_assert_int_eq(note("2017-07-17")->role, DG_CBL_BASIS);
	ck_assert_ptr_null(note("2017-07-04"));
}
END_TEST

/* Issue 12 item 7, hand-computed: the CBL of 19 Jul 14:00 is 205.1 (as
 * above); an actual of 150.3755 kW prints 150.376, and the reduction is
 * 205.100 - 150.376 = 54.724 on the printed figures (the unrounded
 * 54.7245 printed 54.725, which the row did not add up to).  Without an
 * actual there is no reduction. */
START_TEST(printed_figures_add_up)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");
	dg_dec red;

	set_at("2017-07-19", 14, 150.3755);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_dec(res.h[0].cbl_kw, "205.100");
	ck_dec(res.h[0].adj_cbl_kw, "205.100");	/* not adjusted */
	ck_dec(res.h[0].actual_kw, "150.376");
	ck_assert_int_eq(dg_cbl_reduction(&res.h[0], &red), 1);
	ck_dec(red, "54.724");
	res.h[0].have_actual = 0;
	ck_assert_int_eq(dg_cbl_reduction(&res.h[0], &red), 0);
}
END_TEST

/* hand-computed: 12 Jul an event day: the window reaches back past the
 * holiday of 4 Jul to 3 Jul (300); top 5 300, 210.25, 205.5, 199, 180 =
 * 1094.75 / 5 = 218.95. */
START_TEST(nyiso_event_and_holiday_excluded)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");
	dg_date evd[] = { D("2017-07-12"), D("2017-07-19") };

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, evd, 2), DG_OK);
	ck_assert_uint_eq(res.nwindow, 10);
	ck_assert_double_eq_tol(res.h[0].cbl, 218.95, TOL);
	ck_assert_int_eq(note("2017-07-12")->reason, DG_CBL_R_EVENT);
	ck_assert_int_eq(note("2017-07-04")->reason, DG_CBL_R_HOLIDAY);
	ck_assert_int_eq(note("2017-07-03")->role, DG_CBL_BASIS);
}
END_TEST

/* hand-computed: 17 Jul at 60 kW: ADEPU 60.75 < 0.25 x 301.5 = 75.375, a
 * low-usage day; the window takes 3 Jul; top 5 300, 230.75, 205.5, 199,
 * 180 = 1115.25 / 5 = 223.05. */
START_TEST(nyiso_low_usage_excluded)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");

	for (int h = 0; h < 24; h++)
		set_at("2017-07-17", h, 60.0);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(note("2017-07-17")->reason, DG_CBL_R_LOW_USAGE);
	ck_assert_double_eq_tol(note("2017-07-17")->adepu, 60.0, TOL);
	ck_assert_double_eq_tol(res.h[0].cbl, 223.05, TOL);
	/* base = average: mean ADEPU of the first 10 days (17 Jul at 60,
	 * the others L + 0.75) = (1651.625 - 210.25 + 60 + 9 x 0.75) / 10
	 * = 150.8125; threshold 37.703125: 17 Jul stays in */
	p.low = DG_CBL_LOW_AVERAGE;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.threshold, 0.25 * 150.8125, TOL);
	ck_assert_int_eq(note("2017-07-17")->role, DG_CBL_WINDOW);
}
END_TEST

/* hand-computed: a 5-day look-back holds 18, 17, 14 Jul: 3 days, fewer than
 * the minimum 5: flagged; CBL = (100.5 + 210.25 + 180) / 3. A 10-day look-back
 * holds 7 days: short of 10 but not flagged. */
START_TEST(nyiso_short_window)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.lookback = 5;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nwindow, 3);
	ck_assert_uint_eq(res.nbasis, 3);
	ck_assert_uint_eq(res.quality, DG_CBL_Q_SHORT_WINDOW);
	ck_assert_double_eq_tol(res.h[0].cbl, 490.75 / 3, TOL);
	p.lookback = 10;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nwindow, 7);
	ck_assert_uint_eq(res.quality, 0);
}
END_TEST

/* hand-computed: DADRP offset 2: 18 Jul skipped; window 17 Jul .. 3 Jul;
 * top 5 300, 230.75, 210.25, 205.5, 199 = 1145.5 / 5 = 229.1. */
START_TEST(nyiso_dadrp_offset)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "DADRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(res.offset, 2);
	ck_assert_int_eq(note("2017-07-18")->reason, DG_CBL_R_OFFSET);
	ck_assert_double_eq_tol(res.h[0].cbl, 229.1, TOL);
}
END_TEST

/* hand-computed: Saturday 22 Jul: the 3 most recent Saturdays 15, 8, 1 Jul
 * (88.5, 120.25, 99.0), no exclusion of the event day 8 Jul (NYISO): top 2
 * = (120.25 + 99) / 2 = 109.625.  PJM excludes it: 15 Jul, 1 Jul, 24 Jun
 * (500): top 2 = (500 + 99) / 2 = 299.5. */
START_TEST(weekend_windows)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-22", 14, 18, "EDRP");
	dg_date evd[] = { D("2017-07-08") };

	build("2017-05-15", "2017-07-22");
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, evd, 1), DG_OK);
	ck_assert_int_eq(res.cls, DG_CBL_SATURDAY);
	ck_assert_uint_eq(res.nwindow, 3);
	ck_assert_double_eq_tol(res.h[0].cbl, 109.625, TOL);
	dg_cbl_params_init(&p, DG_CBL_PJM);
	p.adj = DG_CBL_ADJ_NONE;
	ck_assert_int_eq(run(&p, &ev, evd, 1), DG_OK);
	ck_assert_double_eq_tol(res.h[0].cbl, 299.5, TOL);
	ck_assert_int_eq(note("2017-07-08")->reason, DG_CBL_R_EVENT);
}
END_TEST

/* hand-computed: weather-sensitive adjustment over HB 10 and 11: the basis
 * CBL there is 205.1 - 2 = 203.1 and 203.6 (sum 406.7).  Event-day load
 * 223.0 + 224.37 = 447.37 = 1.1 x 406.7: factor 1.1, inside the cap;
 * adjusted CBL(14) = 1.1 x 205.1 = 225.61. */
START_TEST(nyiso_weather_adjustment_inside_cap)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");

	set_at("2017-07-19", 10, 223.0);
	set_at("2017-07-19", 11, 224.37);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.adj = DG_CBL_ADJ_MULT;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(res.adjusted, 1);
	ck_assert_double_eq_tol(res.adj, 1.1, TOL);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 225.61, TOL);
	ck_assert_double_eq_tol(res.h[3].adj_cbl, 1.1 * 206.6, TOL);
	/* over the 10 window days: mean L 1651.625 / 10 = 165.1625, so the
	 * adjustment hours' CBL is 163.1625 + 163.6625 = 326.825 */
	p.adj_window = 1;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj_raw, 447.37 / 326.825, TOL);
	ck_assert_double_eq_tol(res.adj, 1.2, TOL);
}
END_TEST

/* hand-computed: 300 + 300 over 406.7: raw 1.4753 capped at 1.2; adjusted
 * CBL(14) = 246.12.  50 + 150 = 200: raw 0.4918, capped at 0.8: 164.08. */
START_TEST(nyiso_weather_adjustment_at_limits)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.adj = DG_CBL_ADJ_MULT;
	set_at("2017-07-19", 10, 300.0);
	set_at("2017-07-19", 11, 300.0);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj_raw, 600 / 406.7, TOL);
	ck_assert_double_eq_tol(res.adj, 1.2, TOL);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 246.12, TOL);
	set_at("2017-07-19", 10, 50.0);
	set_at("2017-07-19", 11, 150.0);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, 0.8, TOL);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 164.08, TOL);
	/* a wider cap (0.5-1.5) lets 200 / 406.7 through */
	p.cap_lo = dec("0.5");
	p.cap_hi = dec("1.5");
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, 0.5, TOL);
	p.capped = 0;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, 200 / 406.7, TOL);
}
END_TEST

/* hand-computed: zero load at 10:00 and 11:00 on every day: the CBL of the
 * adjustment hours is 0: factor 1, flagged adj_zero_base; the event-day
 * load there (12.5) does not matter. */
START_TEST(adjustment_zero_load_hours)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");

	for (dg_date d = D("2017-05-15"); d <= D("2017-07-19"); d++) {
		char s[16];

		dg_date_format(d, s, sizeof(s));
		set_at(s, 10, 0.0);
		set_at(s, 11, 0.0);
	}
	set_at("2017-07-19", 10, 12.5);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.adj = DG_CBL_ADJ_MULT;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, 1.0, TOL);
	ck_assert_uint_eq(res.quality, DG_CBL_Q_ADJ_ZERO);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 205.1, TOL);
}
END_TEST

/* hand-computed: PJM High 4 of 5: 18, 17, 14, 13, 12 Jul; drop 13 Jul
 * (95.125): (230.75 + 210.25 + 180 + 100.5) / 4 = 180.375.  SAA over HB
 * 10, 11, 12: CBL 178.375, 178.875, 179.375; load 190.0, 185.5, 181.0;
 * differences 11.625 + 6.625 + 1.625 = 19.875, / 3 = 6.625: adjusted
 * CBL(14) = 187.0, CBL(17) = 181.875 + 6.625 = 188.5. */
START_TEST(pjm_high_4_of_5_saa)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "PJM-ELR");

	set_at("2017-07-19", 10, 190.0);
	set_at("2017-07-19", 11, 185.5);
	set_at("2017-07-19", 12, 181.0);
	dg_cbl_params_init(&p, DG_CBL_PJM);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nwindow, 5);
	ck_assert_uint_eq(res.nbasis, 4);
	ck_assert_double_eq_tol(res.h[0].cbl, 180.375, TOL);
	ck_assert_double_eq_tol(res.adj, 6.625, TOL);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 187.0, TOL);
	ck_assert_double_eq_tol(res.h[3].adj_cbl, 188.5, TOL);
	/* low usage against the window average: (820.375 / 5) x 0.25 */
	ck_assert_double_eq_tol(res.threshold, 820.375 / 5 * 0.25, TOL);
	/* negative: load 170, 171, 172.375: -8.375 - 7.875 - 7 = -23.25 / 3 */
	set_at("2017-07-19", 10, 170.0);
	set_at("2017-07-19", 11, 171.0);
	set_at("2017-07-19", 12, 172.375);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, -7.75, TOL);
	/* capped at -20 % of the mean adjustment-hour CBL (178.875) */
	p.capped = 1;
	p.cap_lo = dec("0.99");
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, -0.01 * 178.875, TOL);
}
END_TEST

/* hand-computed: a 7-day look-back holds 18, 17, 14, 13, 12 Jul; with 13
 * Jul an event day only 4 remain: PJM fills with the event day and flags
 * it; the High 4 drop it again (95.125 the lowest): 180.375. */
START_TEST(pjm_fill_with_event_days)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "PJM-ELR");
	dg_date evd[] = { D("2017-07-13") };

	dg_cbl_params_init(&p, DG_CBL_PJM);
	p.lookback = 7;
	p.adj = DG_CBL_ADJ_NONE;
	ck_assert_int_eq(run(&p, &ev, evd, 1), DG_OK);
	ck_assert_uint_eq(res.nwindow, 5);
	ck_assert_uint_eq(res.quality, DG_CBL_Q_EVENT_FILL);
	ck_assert_int_eq(note("2017-07-13")->filled, 1);
	ck_assert_double_eq_tol(res.h[0].cbl, 180.375, TOL);
	p.fill_events = 0;
	ck_assert_int_eq(run(&p, &ev, evd, 1), DG_OK);
	ck_assert_uint_eq(res.nwindow, 4);
	ck_assert_uint_eq(res.quality, DG_CBL_Q_SHORT_WINDOW);
}
END_TEST

/* hand-computed: CAISO 10-in-10: mean of the 10 weekdays, 1651.625 / 10 =
 * 165.1625; load point adjustment over HB 10-12 (CBL 163.1625, 163.6625,
 * 164.1625 = 490.9875); load 147.0 + 147.5 + 147.38875 = 441.88875 = 0.9 x
 * 490.9875: adjusted CBL(14) = 148.64625. */
START_TEST(caiso_10_in_10_lpa)
{
	struct dg_cbl_params p;
	dg_dec red;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "CAISO-DR");

	set_at("2017-07-19", 10, 147.0);
	set_at("2017-07-19", 11, 147.5);
	set_at("2017-07-19", 12, 147.38875);
	dg_cbl_params_init(&p, DG_CBL_CAISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nbasis, 10);
	ck_assert_double_eq_tol(res.h[0].cbl, 165.1625, TOL);
	ck_assert_double_eq_tol(res.adj, 0.9, TOL);
	ck_assert_double_eq_tol(res.h[0].adj_cbl, 148.64625, TOL);
	/* printed: CBL 165.163; adjusted 0.900000 x 165.163 = 148.6467, so
	 * 148.647 (148.646 from the unrounded CBL); reduction 148.647 -
	 * 150.375 */
	ck_dec(res.h[0].cbl_kw, "165.163");
	ck_dec(res.adj_x, "0.900000");
	ck_dec(res.h[0].adj_cbl_kw, "148.647");
	ck_assert_int_eq(dg_cbl_reduction(&res.h[0], &red), 1);
	ck_dec(red, "-1.728");
	/* capped at 0.8 when the load drops to 100 x 3 */
	set_at("2017-07-19", 10, 100.0);
	set_at("2017-07-19", 11, 100.0);
	set_at("2017-07-19", 12, 100.0);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, 0.8, TOL);
}
END_TEST

/* hand-computed: Sunday 5 Nov 2017 has 25 hours.  An event 00:00-04:00
 * covers 5 hours (01:00 twice).  Sundays 29, 22, 15 Oct (50.5, 70.25, 60.0):
 * top 2 = 65.125; CBL(00) = 65.125 - 7 = 58.125, CBL(01) = 58.625 for both
 * 01:00 hours, CBL(03) = 59.625. */
START_TEST(dst_25_hour_event_day)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-11-05", 0, 4, "EDRP");
	dg_time a;

	build("2017-09-15", "2017-11-06");
	ck_assert_int_eq(dg_date_start(D("2017-11-05"), &a), DG_OK);
	for (int k = 0; k < 25; k++)
		ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, a + k * 3600,
		    kw(40.0 + k)), DG_OK);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nhours, 5);
	ck_assert_int_eq(res.h[1].clock, 1);
	ck_assert_int_eq(res.h[2].clock, 1);
	ck_assert_int_eq(res.h[3].clock, 2);
	ck_assert_double_eq_tol(res.h[0].cbl, 58.125, TOL);
	ck_assert_double_eq_tol(res.h[1].cbl, 58.625, TOL);
	ck_assert_double_eq_tol(res.h[2].cbl, 58.625, TOL);
	ck_assert_double_eq_tol(res.h[4].cbl, 59.625, TOL);
	ck_assert_double_eq_tol(res.h[1].actual, 41.0, TOL);
	ck_assert_double_eq_tol(res.h[2].actual, 42.0, TOL);
	ck_assert_double_eq_tol(res.h[4].actual, 44.0, TOL);
}
END_TEST

/* --all-hours: every hour of the event day, by the same basis days and
 * adjustment.  Hand-computed as nyiso_weekday_average_day: the basis mean
 * L is 205.1, so CBL(h) = 205.1 + 0.5 (h - 14): 202.6 at 09:00, 206.6 at
 * 17:00 (an event hour, as without the option), 209.6 at 23:00; with the
 * weather factor 1.1 of nyiso_weather_adjustment_inside_cap, 222.86 at
 * 09:00.  On the 25-hour 5 Nov (dst_25_hour_event_day): the Sunday basis
 * 22 and 15 Oct, mean L 65.125, so CBL(04:00 EST) = 65.125 - 5 = 60.125
 * and CBL(23:00) = 69.625, the 25th hour. */
START_TEST(all_hours_event_day)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");
	dg_time a;

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.all_hours = 1;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nhours, 24);
	ck_assert_int_eq(res.h[13].in_event, 0);
	ck_assert_int_eq(res.h[14].in_event, 1);
	ck_assert_int_eq(res.h[17].in_event, 1);
	ck_assert_int_eq(res.h[18].in_event, 0);
	ck_assert_double_eq_tol(res.h[9].cbl, 202.6, TOL);
	ck_assert_double_eq_tol(res.h[17].cbl, 206.6, TOL);
	ck_assert_double_eq_tol(res.h[23].cbl, 209.6, TOL);
	ck_assert_uint_eq(res.nbasis, 5);
	set_at("2017-07-19", 10, 223.0);
	set_at("2017-07-19", 11, 224.37);
	p.adj = DG_CBL_ADJ_MULT;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.adj, 1.1, TOL);
	ck_dec(res.h[9].adj_cbl_kw, "222.860");
	build("2017-09-15", "2017-11-06");
	ck_assert_int_eq(dg_date_start(D("2017-11-05"), &a), DG_OK);
	for (int k = 0; k < 25; k++)
		ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, a + k * 3600,
		    kw(40.0 + k)), DG_OK);
	ev = event("2017-11-05", 0, 4, "EDRP");
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.all_hours = 1;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nhours, 25);
	ck_assert_int_eq(res.h[4].in_event, 1);	/* 03:00 EST */
	ck_assert_int_eq(res.h[5].in_event, 0);
	ck_assert_int_eq(res.h[5].clock, 4);
	ck_assert_double_eq_tol(res.h[1].cbl, 58.625, TOL);
	ck_assert_double_eq_tol(res.h[5].cbl, 60.125, TOL);
	ck_assert_double_eq_tol(res.h[24].cbl, 69.625, TOL);
	ck_assert_double_eq_tol(res.h[24].actual, 64.0, TOL);
}
END_TEST

/* hand-computed: on a 25-hour basis day clock hour 01 is the mean of its
 * two hours: (41 + 42) / 2; 02:00 of the 23-hour 12 Mar does not exist. */
START_TEST(dst_clock_hours)
{
	dg_dec q;
	dg_time a;

	build("2017-03-10", "2017-03-14");
	ck_assert_int_eq(dg_cbl_load_clock(&ld, &cal, D("2017-03-12"), 2, &q),
	    0);
	ck_assert_int_eq(dg_cbl_load_clock(&ld, &cal, D("2017-03-12"), 3, &q),
	    1);
	ck_assert_double_eq_tol(dg_dec_to_double(q), 400 + 0.5 * (3 - 14), TOL);
	ck_assert_int_eq(dg_date_start(D("2017-11-05"), &a), DG_OK);
	dg_cbl_load_clear(&ld);
	for (int k = 0; k < 25; k++)
		ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, a + k * 3600,
		    kw(40.0 + k)), DG_OK);
	ck_assert_int_eq(dg_cbl_load_clock(&ld, &cal, D("2017-11-05"), 1, &q),
	    1);
	ck_assert_double_eq_tol(dg_dec_to_double(q), 41.5, TOL);
	ck_assert_int_eq(dg_cbl_load_clock(&ld, &cal, D("2017-11-05"), 2, &q),
	    1);
	ck_assert_double_eq_tol(dg_dec_to_double(q), 43.0, TOL);
}
END_TEST

/* hand-computed: a holiday event day (Tue 4 Jul) takes the Sunday window
 * (2 Jul, 25 and 18 Jun at 400, NYISO weekend rule: 2 of 3 = 400). */
START_TEST(holiday_event_day_is_sunday)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-04", 14, 18, "EDRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(res.cls, DG_CBL_SUNDAY);
	ck_assert_uint_eq(res.nwindow, 3);
	ck_assert_int_eq(res.basis[0], D("2017-07-02"));
	ck_assert_double_eq_tol(res.h[0].cbl, 400.0, TOL);
	/* as a weekday: 3 Jul (300) and 30, 29, 28, 27, 26, 23, 22, 21,
	 * 20 Jun (140 each): (300 + 4 x 140) / 5 = 172; among the equal days
	 * the more recent first (30 Jun), or with ties_older the oldest
	 * (20 Jun) */
	p.holiday_weekday = 1;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(res.cls, DG_CBL_WEEKDAY);
	ck_assert_double_eq_tol(res.h[0].cbl, 172.0, TOL);
	ck_assert_int_eq(res.basis[0], D("2017-07-03"));
	ck_assert_int_eq(res.basis[1], D("2017-06-30"));
	ck_assert_int_eq(res.basis[4], D("2017-06-27"));
	p.ties_older = 1;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(res.basis[1], D("2017-06-20"));
	ck_assert_double_eq_tol(res.h[0].cbl, 172.0, TOL);
}
END_TEST

START_TEST(flags_and_names)
{
	char buf[128];
	int m;

	dg_cbl_flags_format(DG_CBL_Q_SHORT_WINDOW | DG_CBL_Q_ADJ_ZERO, buf,
	    sizeof(buf));
	ck_assert_str_eq(buf, "short_window;adj_zero_base");
	dg_cbl_flags_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	ck_assert_str_eq(dg_cbl_reason_name(DG_CBL_R_LOW_USAGE), "low_usage");
	ck_assert_int_eq(dg_cbl_method_parse("caiso", &m), DG_OK);
	ck_assert_int_eq(m, DG_CBL_CAISO);
	ck_assert_str_eq(dg_cbl_method_name(DG_CBL_PJM), "pjm");
}
END_TEST

/* --- limits --------------------------------------------------------------- */

START_TEST(bad_params)
{
	struct dg_cbl_params p;

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_OK);
	p.basis[0] = 11;
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
	ck_assert_str_eq(err.msg,
	    "weekday basis must be 1 to the window (10 days)");
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.lookback = 0;
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.offset = 31;
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.adj = DG_CBL_ADJ_MULT;
	p.adj_start = 1;
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.cap_lo = dec("1.05");
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.low_frac = dec("1.5");
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	p.window[1] = 0;
	ck_assert_int_eq(dg_cbl_params_check(&p, &err), DG_EINVAL);
}
END_TEST

START_TEST(bad_events)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-03-12", 2, 4, "EDRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_EDATA);
	ck_assert_str_eq(err.msg,
	    "event E1: 02:00 does not exist on 2017-03-12");
	ev = event("2017-07-19", 18, 14, "EDRP");
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_EDATA);
	ev = event("2017-07-19", 14, 25, "EDRP");
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_EDATA);
}
END_TEST

START_TEST(off_the_hour)
{
	dg_time a;

	ck_assert_int_eq(dg_date_start(D("2017-07-19"), &a), DG_OK);
	ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, a + 900, kw(1.5)),
	    DG_EDATA);
}
END_TEST

/* no history at all: no CBL, flagged; an event hour without load is
 * flagged missing_actual; a day missing an event hour is skipped */
START_TEST(no_history_and_missing)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-09-20", 14, 18, "EDRP");

	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_uint_eq(res.nwindow, 0);
	ck_assert_uint_eq(res.quality,
	    DG_CBL_Q_NO_BASIS | DG_CBL_Q_SHORT_WINDOW |
	    DG_CBL_Q_MISSING_ACTUAL);
	ck_assert_int_eq(res.h[0].have_cbl, 0);

	dg_cbl_load_clear(&ld);
	build("2017-06-01", "2017-07-18");
	ev = event("2017-07-19", 14, 18, "EDRP");
	/* 12 Jul loses its 15:00 reading */
	{
		dg_cbl_load_clear(&ld);
		for (dg_date d = D("2017-06-01"); d <= D("2017-07-18"); d++) {
			dg_time a, b;

			dg_date_start(d, &a);
			dg_date_start(d + 1, &b);
			for (dg_time t = a; t < b; t += 3600) {
				struct dg_local lt;

				dg_time_local(t, &lt);
				if (d == D("2017-07-12") && lt.hour == 15)
					continue;
				dg_cbl_load_set(&ld, &cal, t,
				    kw(level(d) + 0.5 * (lt.hour - 14)));
			}
		}
	}
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(note("2017-07-12")->reason, DG_CBL_R_MISSING);
	ck_assert_uint_eq(res.quality, DG_CBL_Q_MISSING_ACTUAL);
	/* top 5 of 18, 17, 14, 13, 11, 10, 7, 6, 5, 3 Jul: 300, 210.25,
	 * 205.5, 199, 180 = 218.95 */
	ck_assert_double_eq_tol(res.h[0].cbl, 218.95, TOL);
	/* adjustment hours without load: flagged, not adjusted */
	p.adj = DG_CBL_ADJ_MULT;
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_int_eq(res.adjusted, 0);
	ck_assert(res.quality & DG_CBL_Q_ADJ_MISSING);
}
END_TEST

/* text written to a new temporary file named after path's template */
static void
text_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A file of text: written, read by fn, removed. */
static int
read_text(const char *text, int (*fn)(const char *, void *), void *arg)
{
	char path[] = "/tmp/check_cbl_txXXXXXX";
	int st;

	text_file(path, text);
	st = fn(path, arg);
	unlink(path);
	return st;
}

static int
events_fn(const char *path, void *es)
{
	struct dg_csv_opts o;

	dg_csv_opts_init(&o);
	return dg_events_read(es, path, &o, &err);
}

static int
sites_fn(const char *path, void *ss)
{
	struct dg_csv_opts o;

	dg_csv_opts_init(&o);
	return dg_sites_read(ss, path, &o, &err);
}

/* The baseline's event from a row of the events file: whole hours only. */
START_TEST(events_file)
{
	struct dg_events es;
	struct dg_cbl_event ev;

	ck_assert_int_eq(read_text("event,program,date,start,end,site,notice\n"
	    "B,SCR,2017-07-20,13:00,24:00,,2\n"
	    "A,DADRP,2017-07-19,14:00,18:00,LI01,\n"
	    "C,EDRP,2017-07-21,14:30,18:00,,\n", events_fn, &es), DG_OK);
	ck_assert_int_eq(dg_cbl_event_of(&es.v[0], &ev), DG_OK);
	ck_assert_str_eq(ev.id, "A");
	ck_assert_int_eq(ev.start_h, 14);
	ck_assert_int_eq(ev.end_h, 18);
	ck_assert_int_eq(ev.date, dg_date_from_ymd(2017, 7, 19));
	ck_assert_int_eq(dg_cbl_event_offset(&(struct dg_cbl_params){
	    .offset = 1, .dadrp_offset = 2 }, ev.program), 2);
	ck_assert_int_eq(dg_cbl_event_of(&es.v[1], &ev), DG_OK);
	ck_assert_int_eq(ev.end_h, 24);
	ck_assert_int_eq(dg_cbl_event_of(&es.v[2], &ev),
	    DG_EINVAL);	/* 14:30 */
	dg_events_release(&es);
}
END_TEST

/* With a portfolio, an event names a program some site is enrolled in
 * (issue: a typo EDRP2 silently dropped its payments) and a site of the
 * portfolio. */
START_TEST(events_check_sites)
{
	struct dg_events es;
	struct dg_sites ss;

	ck_assert_int_eq(read_text("site,programs\nLI01,SCR; EDRP\n"
	    "LI02,EDRP;LIPA\nLI03,\n",
	    sites_fn, &ss), DG_OK);
	ck_assert_int_eq(read_text("event,program,date,start,end,site\n"
	    "E1,LIPA,2017-07-19,14:00,18:00,\n"
	    "E2,SCR,2017-07-19,14:00,18:00,LI03\n",
	    events_fn, &es), DG_OK);
	ck_assert_int_eq(dg_cbl_events_check_sites(&es, &ss, &err), DG_OK);
	dg_events_release(&es);
	ck_assert_int_eq(read_text("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,14:00,18:00\nE2,EDRP2,2017-07-20,14:00,18:00\n",
	    events_fn, &es), DG_OK);
	ck_assert_int_eq(dg_cbl_events_check_sites(&es, &ss, &err), DG_EDATA);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.column, "program");
	ck_assert_str_eq(err.msg,
	    "event \"E2\": unknown program \"EDRP2\" (known: SCR, EDRP, LIPA)");
	dg_events_release(&es);
	ck_assert_int_eq(read_text("event,program,date,start,end,site\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,LI09\n", events_fn, &es), DG_OK);
	ck_assert_int_eq(dg_cbl_events_check_sites(&es, &ss, &err), DG_EDATA);
	ck_assert_str_eq(err.column, "site");
	dg_events_release(&es);
	dg_sites_release(&ss);
	/* a programs column with no program in it: none is known */
	ck_assert_int_eq(read_text("site,programs\nLI01,\n", sites_fn, &ss),
	    DG_OK);
	ck_assert_int_eq(read_text("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,14:00,18:00\n", events_fn, &es), DG_OK);
	ck_assert_int_eq(dg_cbl_events_check_sites(&es, &ss, &err), DG_EDATA);
	ck_assert_str_eq(err.msg,
	    "event \"E1\": unknown program \"EDRP\" (known: none)");
	dg_sites_release(&ss);
	/* no programs column: only the sites are checked */
	ck_assert_int_eq(read_text("site,name\nLI01,x\n", sites_fn, &ss),
	    DG_OK);
	ck_assert_int_eq(dg_cbl_events_check_sites(&es, &ss, &err), DG_OK);
	dg_sites_release(&ss);
	dg_events_release(&es);
}
END_TEST

/* history given newest first: the calendar and the series grow backwards */
START_TEST(load_backwards)
{
	struct dg_cbl_params p;
	struct dg_cbl_event ev = event("2017-07-19", 14, 18, "EDRP");
	struct dg_cbl_cal c2;
	dg_time a;

	dg_cbl_load_clear(&ld);
	dg_cbl_cal_release(&cal);
	dg_cbl_cal_init(&cal);
	for (dg_date d = D("2017-07-19"); d >= D("2016-05-15"); d--) {
		dg_time b;

		ck_assert_int_eq(dg_date_start(d, &a), DG_OK);
		ck_assert_int_eq(dg_date_start(d + 1, &b), DG_OK);
		for (dg_time t = b - 3600; t >= a; t -= 3600) {
			struct dg_local lt;

			dg_time_local(t, &lt);
			ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, t,
			    kw(level(d) + 0.5 * (lt.hour - 14))), DG_OK);
		}
	}
	for (int h = 14; h < 18; h++)
		set_at("2017-07-19", h, 150.375);
	dg_cbl_params_init(&p, DG_CBL_NYISO);
	ck_assert_int_eq(run(&p, &ev, NULL, 0), DG_OK);
	ck_assert_double_eq_tol(res.h[0].cbl, 205.1, TOL);
	/* the 25-hour 6 Nov 2016 and 23-hour 13 Mar 2017 in the cache */
	ck_assert_int_eq(cal.nh[D("2016-11-06") - cal.first], 25);
	ck_assert_int_eq(cal.nh[D("2017-03-12") - cal.first], 23);
	/* a fresh calendar locates the same hour */
	dg_cbl_cal_init(&c2);
	{
		dg_date d;
		int idx;

		ck_assert_int_eq(dg_date_start(D("2016-11-06"), &a), DG_OK);
		ck_assert_int_eq(dg_cbl_cal_locate(&c2, a + 2 * 3600, &d, &idx),
		    DG_OK);
		ck_assert_int_eq(d, D("2016-11-06"));
		ck_assert_int_eq(idx, 2);
		ck_assert_int_eq(c2.clk[d - c2.first][idx], 1);
	}
	dg_cbl_cal_release(&c2);
}
END_TEST

/* A reading stamped far from the others (a mistyped year): with a span
 * limit the series reader refuses it, naming the stray row whether it
 * sorts last or first; without one it is a reading like the others. */
static int
series_text(const char *text, int64_t max_span_s, size_t *n)
{
	struct dg_series s = { 0 };
	char path[] = "/tmp/check_cbl_ldXXXXXX";
	struct dg_series_opts so;
	struct dg_series_reader *sr;
	int st;

	text_file(path, text);
	memset(&so, 0, sizeof(so));
	so.value_col = "load_kw";
	so.hourly = 1;
	so.max_span_s = max_span_s;
	ck_assert_int_eq(dg_series_open(&sr, path, &so, NULL, &err), DG_OK);
	*n = 0;
	while ((st = dg_series_next(sr, &s)) == DG_OK)
		*n += s.n;
	dg_series_close(sr);
	dg_series_release(&s);
	unlink(path);
	if (st == DG_EDATA)	/* the temporary name out of the message */
		memmove(err.file, "ld", 3);
	return st;
}

START_TEST(series_max_span)
{
	static const char late[] =
	    "site,time,load_kw\n"
	    "A,2017-07-19T14:00:00-04:00,1\n"
	    "A,2071-07-19T15:00:00-04:00,2\n"
	    "A,2017-07-19T16:00:00-04:00,3\n"
	    "A,2017-07-19T17:00:00-04:00,4\n";
	static const char early[] =
	    "site,time,load_kw\n"
	    "A,2017-07-19T14:00:00-04:00,1\n"
	    "B,1917-07-19T14:00:00-04:00,2\n"
	    "B,2017-07-19T15:00:00-04:00,3\n"
	    "B,2017-07-19T16:00:00-04:00,4\n";
	static const char gap[] =	/* two summers: 243 days and
					 * an hour apart */
	    "site,time,load_kw\n"
	    "A,2016-09-30T23:00:00-04:00,1\n"
	    "A,2017-06-01T00:00:00-04:00,2\n";
	size_t n;
	char m[512];

	ck_assert_int_eq(series_text(late, 366 * 86400, &n), DG_EDATA);
	dg_error_format(&err, m, sizeof(m));
	ck_assert_str_eq(m, "ld:3: column time: site A: more than 366 days from the site's other readings (a wrong date? --max-span DAYS allows it)");
	ck_assert_int_eq(series_text(early, 31 * 86400, &n), DG_EDATA);
	dg_error_format(&err, m, sizeof(m));
	ck_assert_str_eq(m, "ld:3: column time: site B: more than 31 days from the site's other readings (a wrong date? --max-span DAYS allows it)");
	ck_assert_int_eq(series_text(late, 0, &n), DG_EOF);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(series_text(gap, 366 * 86400, &n), DG_EOF);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(series_text(gap, 243 * 86400, &n), DG_EDATA);
}
END_TEST

/* A date far from the cached ones starts the calendar afresh (no calendar
 * up to it); the cache then still gives the right hours of a DST day. */
START_TEST(cal_far_date)
{
	dg_time a, t;
	dg_date d;
	int idx;

	dg_cbl_cal_release(&cal);
	dg_cbl_cal_init(&cal);
	ck_assert_int_eq(dg_date_start(D("2017-11-05"), &a), DG_OK);
	ck_assert_int_eq(dg_cbl_cal_locate(&cal, a + 2 * 3600, &d, &idx),
	    DG_OK);
	ck_assert_int_eq(idx, 2);
	ck_assert_int_eq(dg_date_start(D("9017-07-19"), &t), DG_OK);
	ck_assert_int_eq(dg_cbl_cal_locate(&cal, t + 3600, &d, &idx), DG_OK);
	ck_assert_int_eq(d, D("9017-07-19"));
	ck_assert_int_eq(idx, 1);
	ck_assert_uint_le(cal.n, 2 * 366);
	ck_assert_int_eq(dg_cbl_cal_locate(&cal, a + 2 * 3600, &d, &idx),
	    DG_OK);
	ck_assert_int_eq(d, D("2017-11-05"));
	ck_assert_int_eq(idx, 2);
	ck_assert_int_eq(cal.nh[d - cal.first], 25);
	ck_assert_int_eq(cal.clk[d - cal.first][2], 1);
	ck_assert_int_eq(dg_cbl_cal_cover(&cal, D("2017-01-01"),
	    D("2017-01-01") + DG_CBL_CAL_DAYS), DG_ERANGE);
	/* one site's load over more than DG_CBL_MAX_DAYS: refused */
	dg_cbl_load_clear(&ld);
	ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, a, kw(1)), DG_OK);
	ck_assert_int_eq(dg_cbl_load_set(&ld, &cal, t, kw(1)), DG_ERANGE);
}
END_TEST

/* The series reader reads a stamp that differs from the last one only in
 * its clock time without dg_time_parse: the same instants and the same
 * errors as dg_time_parse's, whatever the stamps around. */
START_TEST(series_stamp_cache)
{
	static const char *const ok[] = {
		"2017-07-19T14:00:00-04:00", "2017-07-19T15:30:15-04:00",
		"2017-07-19T23:59:59-04:00", "2017-07-19T00:00:00-04:00",
		"2017-07-19T15:30:15Z", "2017-07-19T16:30:15Z",
		"2017-07-19 16:00:00-04:00", "2017-07-19 17:00:00-04:00",
		"2017-07-19T17:00-04:00", "2017-07-19T18:00-04:00",
		"2017-11-05T01:00:00-04:00", "2017-11-05T01:00:00-05:00",
		"2017-11-05T01:30:00-05:00", "2017-03-12T01:00:00-0500",
		"2017-03-12T03:00:00-0400", "1900-01-02T12:00:00+00:00",
		"1900-01-02T13:00:00+00:00", NULL
	};
	static const char *const bad[] = {
		"2017-07-19T24:00:00-04:00", "2017-07-19T14:60:00-04:00",
		"2017-07-19T14:00:60-04:00", "2017-07-19T1x:00:00-04:00",
		"2017-07-19T14-00:00-04:00", "2017-07-19T14:00:0-04:00",
		NULL
	};
	char text[4096], m1[512], m2[512];
	size_t k = 0, n;
	struct dg_series s = { 0 };
	struct dg_series_opts so;
	struct dg_series_reader *sr;
	char path[] = "/tmp/check_cbl_stXXXXXX";
	int fd;
	FILE *fp;

	/* one site per stamp: every point kept, in file order */
	k = (size_t)snprintf(text, sizeof(text), "site,time,load_kw\n");
	for (int i = 0; ok[i] != NULL; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k,
		    "S%02d,%s,1\n", i, ok[i]);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	memset(&so, 0, sizeof(so));
	so.value_col = "load_kw";
	ck_assert_int_eq(dg_series_open(&sr, path, &so, NULL, &err), DG_OK);
	for (int i = 0; ok[i] != NULL; i++) {
		struct dg_tstamp ts;
		const char *why;

		ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
		ck_assert_uint_eq(s.n, 1);
		ck_assert_int_eq(dg_time_parse(ok[i], strlen(ok[i]), 0, &ts,
		    &why), DG_OK);
		ck_assert_int_eq(s.p[0].t, ts.t);
	}
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EOF);
	dg_series_close(sr);
	dg_series_release(&s);
	unlink(path);
	/* a bad stamp after one of the same date (the cache) and after one of
	 * another date (dg_time_parse): one message */
	for (int i = 0; bad[i] != NULL; i++) {
		snprintf(text, sizeof(text), "site,time,load_kw\n"
		    "A,2017-07-19T13:00:00-04:00,1\nA,%s,1\n", bad[i]);
		ck_assert_int_eq(series_text(text, 0, &n), DG_EDATA);
		dg_error_format(&err, m1, sizeof(m1));
		snprintf(text, sizeof(text), "site,time,load_kw\n"
		    "A,2017-07-18T13:00:00-04:00,1\nA,%s,1\n", bad[i]);
		ck_assert_int_eq(series_text(text, 0, &n), DG_EDATA);
		dg_error_format(&err, m2, sizeof(m2));
		ck_assert_str_eq(m1, m2);
		ck_assert_ptr_nonnull(strstr(m1, "ld:3: column time: "));
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("cbl");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	/* a year of hours loaded backwards takes seconds under ASan+UBSan or
	 * valgrind on a busy 2-core machine (Check's default is 4 s) */
	tcase_set_timeout(core, 120);
	tcase_set_timeout(limits, 120);
	tcase_add_test(core, nyiso_weekday_average_day);
	tcase_add_test(core, printed_figures_add_up);
	tcase_add_test(core, nyiso_event_and_holiday_excluded);
	tcase_add_test(core, nyiso_low_usage_excluded);
	tcase_add_test(core, nyiso_short_window);
	tcase_add_test(core, nyiso_dadrp_offset);
	tcase_add_test(core, weekend_windows);
	tcase_add_test(core, nyiso_weather_adjustment_inside_cap);
	tcase_add_test(core, nyiso_weather_adjustment_at_limits);
	tcase_add_test(core, adjustment_zero_load_hours);
	tcase_add_test(core, pjm_high_4_of_5_saa);
	tcase_add_test(core, pjm_fill_with_event_days);
	tcase_add_test(core, caiso_10_in_10_lpa);
	tcase_add_test(core, dst_25_hour_event_day);
	tcase_add_test(core, dst_clock_hours);
	tcase_add_test(core, all_hours_event_day);
	tcase_add_test(core, holiday_event_day_is_sunday);
	tcase_add_test(core, flags_and_names);
	tcase_add_test(core, events_file);
	tcase_add_test(core, events_check_sites);
	tcase_add_test(core, load_backwards);
	tcase_add_test(limits, series_max_span);
	tcase_add_test(limits, cal_far_date);
	tcase_add_test(limits, series_stamp_cache);
	tcase_add_test(limits, bad_params);
	tcase_add_test(limits, bad_events);
	tcase_add_test(limits, off_the_hour);
	tcase_add_test(limits, no_history_and_missing);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
