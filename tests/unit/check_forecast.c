/* check_forecast.c: unit tests of lib/dg_forecast (Check). */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "dg_forecast.h"

/* Report Table 29 (seed 001_9d67520d2d7ddf6d.txt lines 2404-2427), June
 * 15, 2003 (a Sunday): TF, TR, LTf, LTr, LR per hour from 0:00. */
static const double t29[24][5] = {
	{ 68, 67, 418, 415, 406 }, { 67, 67, 415, 415, 405 },
	{ 66, 66, 412, 412, 402 }, { 66, 64, 412, 405, 401 },
	{ 65, 63, 408, 401, 397 }, { 62, 61, 398, 394, 396 },
	{ 62, 61, 398, 394, 393 }, { 66, 63, 412, 401, 390 },
	{ 66, 66, 412, 412, 394 }, { 66, 70, 412, 425, 398 },
	{ 68, 71, 418, 429, 406 }, { 70, 72, 425, 432, 407 },
	{ 71, 75, 429, 442, 417 }, { 73, 76, 435, 445, 419 },
	{ 78, 78, 453, 453, 422 }, { 78, 74, 453, 439, 434 },
	{ 75, 74, 442, 439, 423 }, { 74, 73, 439, 436, 427 },
	{ 72, 72, 432, 432, 423 }, { 70, 70, 425, 425, 408 },
	{ 67, 69, 415, 422, 405 }, { 66, 68, 412, 418, 410 },
	{ 64, 66, 405, 412, 408 }, { 63, 64, 401, 405, 406 }
};

/* A deterministic noise in [-1, 1) (LCG), so the tests never change. */
static unsigned long lcg = 12345;
static double
noise(void)
{
	lcg = lcg * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(lcg >> 11) / (double)(1UL << 52) - 1.0;
}

static void
setup(void)
{
	gsl_set_error_handler_off();
	ck_assert_int_eq(dg_tz_set("America/New_York"), DG_OK);
	lcg = 12345;
}

/* Hourly points from local date d0 for ndays; f gives load and weather. */
struct synth {
	struct dg_point *load, *temp, *rh;
	size_t n;
};

typedef void (*gen_fn)(dg_time t, int hour, int offday, double *load,
    double *temp, double *rh);

static void
synth_make(struct synth *s, dg_date d0, int ndays, gen_fn f)
{
	dg_time t0, t1;

	ck_assert_int_eq(dg_date_start(d0, &t0), DG_OK);
	ck_assert_int_eq(dg_date_start(d0 + ndays, &t1), DG_OK);
	s->n = (size_t)((t1 - t0) / 3600);
	s->load = calloc(s->n, sizeof(*s->load));
	s->temp = calloc(s->n, sizeof(*s->temp));
	s->rh = calloc(s->n, sizeof(*s->rh));
	for (size_t i = 0; i < s->n; i++) {
		dg_time t = t0 + 3600 * (dg_time)i;
		struct dg_local lt;
		dg_date d;

		dg_time_local(t, &lt);
		d = dg_date_from_ymd(lt.year, lt.mon, lt.mday);
		s->load[i].t = s->temp[i].t = s->rh[i].t = t;
		f(t, lt.hour,
		    dg_cal_is_weekend(d) || dg_cal_nerc_holiday(d) != NULL,
		    &s->load[i].v, &s->temp[i].v, &s->rh[i].v);
	}
}

static void
synth_free(struct synth *s)
{
	free(s->load);
	free(s->temp);
	free(s->rh);
}

/* ---------------------------------------------------------------- core */

START_TEST(test_table29_score)
{
	struct dg_fc_score f, r;
	struct dg_fc_measures mf, mr;

	dg_fc_score_init(&f);
	dg_fc_score_init(&r);
	for (int h = 0; h < 24; h++) {
		dg_fc_score_add(&f, t29[h][4], t29[h][2]);
		dg_fc_score_add(&r, t29[h][4], t29[h][3]);
	}
	dg_fc_score_measures(&f, &mf);
	dg_fc_score_measures(&r, &mr);
	/* Printed loads are rounded to 1 kW, so an error is within +-1 kW
	 * of the report's (which used unrounded loads); in % of ~400 kW,
	 * within 0.25 %. */
	ck_assert_int_eq(mf.n, 24);
	ck_assert(fabs(mf.max_abs_err_kw - 30.10) <= 1.0);
	ck_assert(fabs(mf.max_abs_err_pct - 7.13) <= 0.25);
	ck_assert(fabs(mf.bias_kw - 11.80) <= 1.0);
	ck_assert(fabs(mf.bias_pct - 2.88) <= 0.25);
	ck_assert(fabs(mr.bias_kw - 12.77) <= 1.0);
	ck_assert(fabs(mr.bias_pct - 3.12) <= 0.25);
	ck_assert(fabs(mr.max_abs_err_kw - 30.38) <= 1.0);
	ck_assert(fabs(mr.max_abs_err_pct - 7.19) <= 0.25);
	/* The bias is not the mean absolute error: hours 22-23 of Etf are
	 * negative (hand-computed from the printed values: 283 / 24 kW
	 * signed, 300 / 24 absolute). */
	ck_assert(fabs(mf.bias_kw - 284.0 / 24) < 1e-9);
	ck_assert(fabs(mf.mae_kw - 300.0 / 24) < 1e-9);
	ck_assert(mf.nmbe_pct < 0);	/* over-forecast: G14 sign */
}
END_TEST

static void
gen_t29(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	(void)t;
	(void)offday;
	*temp = t29[hour][1];
	*load = t29[hour][3];
	*rh = 50;
}

START_TEST(test_table29_weekend_fit)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date d = dg_date_from_ymd(2003, 6, 15);
	double sx = 0, sy = 0, sxx = 0, sxy = 0, b, a;
	const struct dg_fc_eq *e;

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	synth_make(&s, d, 1, gen_t29);
	ck_assert_int_eq(s.n, 24);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "t29", s.load, s.n, &wx, d, NULL, &p, w,
	    &err), DG_OK);
	/* Closed-form least squares of LTr on TR (the table's 24 rows). */
	for (int h = 0; h < 24; h++) {
		sx += t29[h][1];
		sy += t29[h][3];
		sxx += t29[h][1] * t29[h][1];
		sxy += t29[h][1] * t29[h][3];
	}
	b = (24 * sxy - sx * sy) / (24 * sxx - sx * sx);
	a = (sy - b * sx) / 24;
	e = &m.eq[24];
	ck_assert(e->used && e->weekend && e->hour == -1);
	ck_assert_int_eq(e->n, 24);
	ck_assert(fabs(e->c_temp - b) < 1e-9 * fabs(b));
	ck_assert(fabs(e->c0 - a) < 1e-7 * fabs(a));
	ck_assert(e->c_temp > 3.3 && e->c_temp < 3.6);	/* ~3.4 kW/F */
	ck_assert(e->r2 > 0.99);
	ck_assert(!e->cool);
	/* The business-hour equations have no data: pooled fallback. */
	ck_assert(m.eq[9].flags & DG_FC_Q_POOLED);
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

/* Known coefficients: business hour h: 120.5 + 3*h + 2.385 T - 0.415 RH;
 * weekend: 80.25 + 1.115 T - 0.2 RH; noise +-1.5 kW. */
static void
gen_known(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	double day = (double)t / 86400.0;

	*temp = 70 + 12 * sin(day * 0.7) +
	    6 * sin(2 * M_PI * (hour - 9) / 24.0) + 2 * noise();
	*rh = 55 + 20 * sin(day * 1.3 + 0.4) + 5 * noise();
	if (offday)
		*load = 80.25 + 1.115 * *temp - 0.2 * *rh;
	else
		*load = 120.5 + 3 * hour + 2.385 * *temp - 0.415 * *rh;
	*load += 1.5 * noise();
}

START_TEST(test_synthetic_known)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date d0 = dg_date_from_ymd(2017, 6, 1);

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	p.regs = DG_FC_TEMP_RH;
	synth_make(&s, d0, 75, gen_known);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, s.rh, s.n, 6,
	    &err), DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "syn", s.load, s.n, &wx, d0 + 74, NULL,
	    &p, w, &err), DG_OK);
	for (int h = 0; h < 24; h++) {
		const struct dg_fc_eq *e = &m.eq[h];

		ck_assert(e->used && !e->weekend && e->hour == h);
		ck_assert_int_eq(e->flags, 0);
		ck_assert(fabs(e->c_temp - 2.385) < 0.06);
		ck_assert(fabs(e->c_rh + 0.415) < 0.04);
		ck_assert(fabs(e->c0 - (120.5 + 3 * h)) < 4.0);
		ck_assert(!e->cool);	/* linear: no change point */
	}
	ck_assert(fabs(m.eq[24].c_temp - 1.115) < 0.03);
	/* Far outside the window's weather the forecast stops at the
	 * window's load range widened by clamp_margin (0.25). */
	{
		const struct dg_fc_eq *e = &m.eq[15];
		double span = e->hi_kw - e->lo_kw;

		ck_assert(e->bounded && span > 0);
		ck_assert(fabs(dg_fc_eq_eval(e, 300, 50) - e->hi_kw) < 1e-9);
		ck_assert(fabs(dg_fc_eq_eval(e, -300, 50) - e->lo_kw) < 1e-9);
		ck_assert(dg_fc_eq_eval(e, 75, 50) >
		    e->lo_kw + 0.2 * span / 1.5);
	}
	/* The robust (bisquare) fit recovers the same coefficients. */
	p.robust = 1;
	ck_assert_int_eq(dg_fc_fit(&m, "syn", s.load, s.n, &wx, d0 + 74, NULL,
	    &p, w, &err), DG_OK);
	ck_assert(fabs(m.eq[9].c_temp - 2.385) < 0.08);
	ck_assert(fabs(m.eq[24].c_temp - 1.115) < 0.04);
	ck_assert(fabs(m.eq[24].c_rh + 0.2) < 0.02);
	ck_assert(fabs(m.eq[24].c0 - 80.25) < 2.0);
	/* About 60 days x 24 h: 41-43 business days in the window. */
	ck_assert(m.eq[12].n >= 40 && m.eq[12].n <= 44);
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

/* Change point: 210.4 + 4.75 max(0, T - 68) on every day, noise +-1 kW. */
static void
gen_cp(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	double day = (double)t / 86400.0;

	(void)offday;
	*temp = 66 + 10 * sin(day * 0.9) +
	    7 * sin(2 * M_PI * (hour - 9) / 24.0);
	*rh = 60;
	*load = 210.4 + (*temp > 68 ? 4.75 * (*temp - 68) : 0) + noise();
}

START_TEST(test_changepoint)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date d0 = dg_date_from_ymd(2017, 6, 1);
	const struct dg_fc_eq *e;

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	synth_make(&s, d0, 60, gen_cp);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "cp", s.load, s.n, &wx, d0 + 59, NULL,
	    &p, w, &err), DG_OK);
	e = &m.eq[24];
	ck_assert(e->cool);
	ck_assert(fabs(e->balance_f - 68) <= 1.0);
	ck_assert(fabs(e->c_cool + e->c_temp - 4.75) < 0.4);
	ck_assert(fabs(dg_fc_eq_eval(e, 60, 0) - 210.4) < 1.0);
	ck_assert(fabs(dg_fc_eq_eval(e, 80, 0) - (210.4 + 4.75 * 12)) < 1.5);
	/* Without the option, a straight line. */
	p.changepoint = 0;
	ck_assert_int_eq(dg_fc_fit(&m, "cp", s.load, s.n, &wx, d0 + 59, NULL,
	    &p, w, &err), DG_OK);
	ck_assert(!m.eq[24].cool && m.eq[24].c_cool == 0);
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

static void
gen_flat(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	(void)t;
	*temp = 50 + hour;
	*rh = 40;
	*load = (offday ? 100.5 : 300.25) + 2.5 * hour;
}

START_TEST(test_dst_days)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date spring = dg_date_from_ymd(2017, 3, 12);
	dg_date fall = dg_date_from_ymd(2017, 11, 5);
	dg_time t0;
	int seen1 = 0;

	ck_assert_int_eq(dg_date_hours(spring), 23);
	ck_assert_int_eq(dg_date_hours(fall), 25);
	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	p.weekend_hourly = 1;
	synth_make(&s, fall - 30, 31, gen_flat);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "dst", s.load, s.n, &wx, fall, NULL, &p,
	    w, &err), DG_OK);
	/* Every hour of the 25-hour day has an equation; clock hour 1 twice. */
	ck_assert_int_eq(dg_date_start(fall, &t0), DG_OK);
	for (int k = 0; k < 25; k++) {
		const struct dg_fc_eq *e =
		    dg_fc_model_eq(&m, t0 + 3600 * k, NULL);

		ck_assert_ptr_nonnull(e);
		ck_assert(e->weekend);
		seen1 += e->hour == 1;
		ck_assert(fabs(dg_fc_eq_eval(e, 50 + e->hour, 40) -
		    (100.5 + 2.5 * e->hour)) < 1e-6);
	}
	ck_assert_int_eq(seen1, 2);
	/* The 23-hour day: no clock hour 2. */
	ck_assert_int_eq(dg_date_start(spring, &t0), DG_OK);
	for (int k = 0; k < 23; k++) {
		const struct dg_fc_eq *e =
		    dg_fc_model_eq(&m, t0 + 3600 * k, NULL);

		ck_assert_ptr_nonnull(e);
		ck_assert_int_ne(e->hour, 2);
	}
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

START_TEST(test_thi)
{
	/* hand-computed: 85 - 0.55 (1 - 0.60) (85 - 58) = 85 - 5.94 */
	ck_assert(fabs(dg_fc_thi(85, 60) - 79.06) < 1e-12);
	ck_assert(fabs(dg_fc_thi(58, 20) - 58) < 1e-12);
}
END_TEST

START_TEST(test_weather_gaps)
{
	struct dg_point p[6];
	struct dg_fc_weather wx;
	struct dg_error err;
	dg_time t0 = 1500000000 - 1500000000 % 3600;
	double t, rh;

	/* Hours 0, 4 (3-hour gap), 13 (8-hour gap), 14; temps 60.5 .. */
	p[0].t = t0;		p[0].v = 60.5;
	p[1].t = t0 + 4 * 3600;	p[1].v = 64.5;
	p[2].t = t0 + 13 * 3600; p[2].v = 70.0;
	p[3].t = t0 + 14 * 3600; p[3].v = 71.0;
	p[4].t = t0 + 14 * 3600 + 1800; p[4].v = 72.0;	/* averaged in */
	ck_assert_int_eq(dg_fc_weather_init(&wx, p, 5, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_uint_eq(dg_fc_weather_at(&wx, t0 + 2 * 3600 + 600, &t, &rh),
	    DG_FC_Q_INTERP);
	ck_assert(fabs(t - 62.5) < 1e-12);	/* 60.5 + 2/4 * 4 */
	ck_assert_uint_eq(dg_fc_weather_at(&wx, t0 + 4 * 3600, &t, &rh), 0);
	ck_assert_uint_eq(dg_fc_weather_at(&wx, t0 + 8 * 3600, &t, &rh),
	    DG_FC_Q_NOWX);
	ck_assert_uint_eq(dg_fc_weather_at(&wx, t0 + 14 * 3600, &t, &rh), 0);
	ck_assert(fabs(t - 71.5) < 1e-12);
	ck_assert_uint_eq(dg_fc_weather_at(&wx, t0 + 15 * 3600, &t, &rh),
	    DG_FC_Q_NOWX);
	ck_assert_uint_eq(dg_fc_weather_at(&wx, t0 - 3600, &t, &rh),
	    DG_FC_Q_NOWX);
	dg_fc_weather_release(&wx);
}
END_TEST

START_TEST(test_score_hand)
{
	struct dg_fc_score s;
	struct dg_fc_measures m;

	/* hand-computed: actual 100, 200.5, 50; forecast 110, 190.5, 55;
	 * e = 10, -10, 5; |e| mean 25/3; bias 5/3; % = 10, -4.987531, 10;
	 * CV = 100 sqrt(225/3) / (350.5/3); NMBE = -100 * 5 / 350.5. */
	dg_fc_score_init(&s);
	dg_fc_score_add(&s, 100, 110);
	dg_fc_score_add(&s, 200.5, 190.5);
	dg_fc_score_add(&s, 50, 55);
	dg_fc_score_measures(&s, &m);
	ck_assert(fabs(m.avg_actual_kw - 350.5 / 3) < 1e-12);
	ck_assert(fabs(m.mae_kw - 25.0 / 3) < 1e-12);
	ck_assert(fabs(m.max_abs_err_kw - 10) < 1e-12);
	ck_assert(fabs(m.bias_kw - 5.0 / 3) < 1e-12);
	ck_assert(fabs(m.mae_pct - (20 + 1000 / 200.5) / 3) < 1e-12);
	ck_assert(fabs(m.max_abs_err_pct - 10) < 1e-12);
	ck_assert(fabs(m.bias_pct - (20 - 1000 / 200.5) / 3) < 1e-12);
	ck_assert(fabs(m.cv_rmse_pct - 100 * sqrt(75.0) / (350.5 / 3)) < 1e-12);
	ck_assert(fabs(m.nmbe_pct + 500 / 350.5) < 1e-12);
}
END_TEST

static void
gen_weekly(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	long day = (long)(t / 86400);

	*temp = 60;
	*rh = 50;
	*load = offday ? 40 : 100 + (day % 10) + 0.5 * hour;
}

START_TEST(test_naive_highavg)
{
	struct synth s;
	double out[24];
	dg_date d0 = dg_date_from_ymd(2017, 5, 1);	/* a Monday */

	synth_make(&s, d0, 42, gen_weekly);
	/* Business day 2017-06-09 (Fri), last = 06-07: the 10 business days
	 * before; the 5 with highest (day % 10) average. */
	ck_assert_int_eq(dg_fc_naive_highavg(s.load, s.n, d0 + 39, d0 + 37, 10,
	    5, 70, 20, NULL, out), 0);
	{
		double exp = 0, v[10];
		int k = 0;

		for (dg_date d = d0 + 37; k < 10; d--) {
			dg_time t;

			if (dg_cal_is_weekend(d) || dg_cal_nerc_holiday(d))
				continue;
			dg_date_start(d, &t);
			v[k++] = (double)((long)(t / 86400) % 10);
		}
		/* the five largest of v (hand sort) */
		for (int i = 0; i < 5; i++) {
			int b = i;

			for (int j = i + 1; j < 10; j++)
				if (v[j] > v[b])
					b = j;
			exp += v[b];
			v[b] = v[i];
			v[i] = -1;
		}
		ck_assert(fabs(out[13] - (100 + exp / 5 + 6.5)) < 1e-9);
	}
	/* Weekend: 40 kW. */
	ck_assert_int_eq(dg_fc_naive_highavg(s.load, s.n, d0 + 40, d0 + 38, 10,
	    5, 70, 20, NULL, out), 0);
	ck_assert(fabs(out[3] - 40) < 1e-12);
	/* Too short a history. */
	ck_assert_int_eq(dg_fc_naive_highavg(s.load, s.n, d0 + 8, d0 + 6, 10, 5,
	    70, 20, NULL, out), -1);
	synth_free(&s);
}
END_TEST

/* -------------------------------------------------------------- limits */

static void
gen_const_temp(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	(void)t;
	(void)offday;
	*temp = 71.3;
	*rh = 44;
	*load = 250.75 + 1.25 * hour + noise();
}

START_TEST(test_constant_temperature)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date d0 = dg_date_from_ymd(2017, 7, 1);

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	synth_make(&s, d0, 60, gen_const_temp);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "flat", s.load, s.n, &wx, d0 + 59, NULL,
	    &p, w, &err), DG_OK);
	for (int k = 0; k <= 24; k++) {
		const struct dg_fc_eq *e = &m.eq[k];

		ck_assert(e->flags & DG_FC_Q_RANKDEF);
		ck_assert(e->c_temp == 0 && !e->cool);
		ck_assert(isfinite(e->c0) && isfinite(e->r2) &&
		    isfinite(e->cv_rmse_pct));
	}
	ck_assert(fabs(m.eq[10].c0 - (250.75 + 12.5)) < 0.5);
	ck_assert(m.flags & DG_FC_Q_RANKDEF);
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

START_TEST(test_week_of_zeros_and_short)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date d0 = dg_date_from_ymd(2017, 6, 1);

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	synth_make(&s, d0, 60, gen_known);
	for (size_t i = 24 * 20; i < 24 * 27; i++)
		s.load[i].v = 0;	/* a week of zeros (no DST inside) */
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "z", s.load, s.n, &wx, d0 + 59, NULL, &p,
	    w, &err), DG_OK);
	ck_assert_int_eq(m.nzero, 168);
	ck_assert(m.flags & DG_FC_Q_ZERORUN);
	ck_assert(fabs(m.eq[12].c_temp - 2.385) < 0.25); /* not pulled to 0 */
	/* With the zeros kept, the fit is visibly worse. */
	p.zero_run_h = 0;
	ck_assert_int_eq(dg_fc_fit(&m, "z", s.load, s.n, &wx, d0 + 59, NULL, &p,
	    w, &err), DG_OK);
	ck_assert_int_eq(m.nzero, 0);
	ck_assert(m.eq[12].r2 < 0.5);
	/* A 4-day window: 2 business days per hour, too short for temp. */
	dg_fc_params_init(&p);
	p.window_days = 4;
	ck_assert_int_eq(dg_fc_fit(&m, "z", s.load, s.n, &wx, d0 + 59, NULL, &p,
	    w, &err), DG_OK);
	ck_assert(m.eq[12].flags & DG_FC_Q_SHORT);
	ck_assert(m.eq[12].c_temp == 0);
	ck_assert(isfinite(m.eq[12].c0));
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

/* Loads of a terawatt at temperatures a millionth of a degree apart: a
 * slope of 10^15 kW per degree, beyond what a model file holds. */
static void
gen_wild(dg_time t, int hour, int offday, double *load, double *temp,
    double *rh)
{
	(void)hour;
	(void)offday;
	*temp = (t / 3600) % 2 ? 50.000001 : 50.0;
	*rh = 44;
	*load = (t / 3600) % 2 ? 1e9 : 0;
}

START_TEST(test_figures_in_range)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	dg_date d0 = dg_date_from_ymd(2017, 6, 1);

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	p.changepoint = 0;
	p.zero_run_h = 0;
	dg_error_clear(&err);
	synth_make(&s, d0, 30, gen_wild);
	for (size_t i = 0; i < s.n; i++)
		s.load[i].line = (long)i + 2;
	/* the loads themselves are within DG_FC_MAX_KW */
	ck_assert_int_eq(dg_fc_loads_check(s.load, s.n), -1);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	ck_assert_int_eq(dg_fc_fit(&m, "wild", s.load, s.n, &wx, d0 + 29, NULL,
	    &p, w, &err), DG_ERANGE);
	ck_assert_str_eq(err.msg,
	    "site wild: the weekend equation has a figure "
	    "beyond 1e+12 (loads or temperatures far out of the ordinary?)");
	ck_assert_int_gt(err.line, 1);
	ck_assert(s.load[err.line - 2].v == 1e9);	/* the
							 * largest load's row */
	/* a load beyond a terawatt is named by its index */
	s.load[7].v = 1.5e9;
	ck_assert_int_eq(dg_fc_loads_check(s.load, s.n), 7);
	s.load[7].v = -1.5e9;
	ck_assert_int_eq(dg_fc_loads_check(s.load, s.n), 7);
	s.load[7].v = NAN;
	ck_assert_int_eq(dg_fc_loads_check(s.load, s.n), 7);
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

START_TEST(test_errors)
{
	struct synth s;
	struct dg_fc_weather wx;
	struct dg_fc_model m;
	struct dg_fc_params p;
	struct dg_fc_work *w = dg_fc_work_alloc();
	struct dg_error err;
	struct dg_fc_score sc;
	struct dg_fc_measures mm;
	dg_date d0 = dg_date_from_ymd(2017, 6, 1);
	enum dg_fc_regs r;

	dg_fc_model_init(&m);
	dg_fc_params_init(&p);
	dg_error_clear(&err);
	ck_assert_int_eq(dg_fc_weather_init(&wx, NULL, 0, NULL, 0, 6, &err),
	    DG_EDATA);
	synth_make(&s, d0, 10, gen_known);
	ck_assert_int_eq(dg_fc_weather_init(&wx, s.temp, s.n, NULL, 0, 6, &err),
	    DG_OK);
	/* A window before the data: no usable hour. */
	ck_assert_int_eq(dg_fc_fit(&m, "e", s.load, s.n, &wx, d0 - 100, NULL,
	    &p, w, &err), DG_EDATA);
	ck_assert_str_eq(err.msg,
	    "site e: no load hour with weather in the window");
	p.window_days = 0;
	ck_assert_int_eq(dg_fc_fit(&m, "e", s.load, s.n, &wx, d0 + 9, NULL, &p,
	    w, &err), DG_EINVAL);
	/* Zero actuals: no % measures, no CV, never NaN. */
	dg_fc_score_init(&sc);
	dg_fc_score_add(&sc, 0, 2.5);
	dg_fc_score_measures(&sc, &mm);
	ck_assert(!mm.have_pct && !mm.have_cv);
	ck_assert(fabs(mm.bias_kw - 2.5) < 1e-12);
	dg_fc_score_init(&sc);
	dg_fc_score_measures(&sc, &mm);
	ck_assert_int_eq(mm.n, 0);
	ck_assert_int_eq(dg_fc_regs_parse("temp+rh", &r), DG_OK);
	ck_assert_int_eq(r, DG_FC_TEMP_RH);
	ck_assert_int_eq(dg_fc_regs_parse("humidity", &r), DG_EINVAL);
	dg_fc_model_release(&m);
	dg_fc_weather_release(&wx);
	dg_fc_work_free(w);
	synth_free(&s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("forecast");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(core, setup, NULL);
	tcase_add_checked_fixture(lim, setup, NULL);
	tcase_add_test(core, test_table29_score);
	tcase_add_test(core, test_table29_weekend_fit);
	tcase_add_test(core, test_synthetic_known);
	tcase_add_test(core, test_changepoint);
	tcase_add_test(core, test_dst_days);
	tcase_add_test(core, test_thi);
	tcase_add_test(core, test_weather_gaps);
	tcase_add_test(core, test_score_hand);
	tcase_add_test(core, test_naive_highavg);
	tcase_add_test(lim, test_constant_temperature);
	tcase_add_test(lim, test_week_of_zeros_and_short);
	tcase_add_test(lim, test_errors);
	tcase_add_test(lim, test_figures_in_range);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
