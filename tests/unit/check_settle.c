/* check_settle.c: unit tests of lib/dg_settle (settlement rules). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_dec.h"
#include "dgagg.h"
#include "dg_settle.h"
#include "dg_settle_int.h"

static char tmpdir[] = "/tmp/check_settle.XXXXXX";
static int ntmp;

static const char *
tmpfile_with(const char *text)
{
	static char paths[64][64];
	char *p = paths[ntmp++ % 64];
	FILE *fp;

	snprintf(p, 64, "%s/f%d.csv", tmpdir, ntmp);
	fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	return p;
}

static dg_time
T(const char *s)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), 0, &ts, &why), DG_OK);
	return ts.t;
}

static struct dg_csv_opts co;

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	dg_tz_set("America/New_York");
	dg_csv_opts_init(&co);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	memcpy(tmpdir, "/tmp/check_settle.XXXXXX", sizeof(tmpdir));
}

/* --- collecting lines ----------------------------------------------------- */

struct got {
	int n;
	char kind[32][16];
	char pay[32][32];
	char mwh[32][32];
	char price[32][32];
	char note[32][64];
};

static int
collect(void *arg, const struct dg_settle_line *l)
{
	struct got *g = arg;

	ck_assert_int_lt(g->n, 32);
	snprintf(g->kind[g->n], 16, "%s", dg_settle_kind_name(l->kind));
	dg_dec_format(l->payment, g->pay[g->n], 32);
	if (l->has_mwh)
		dg_dec_format(l->mwh, g->mwh[g->n], 32);
	else
		g->mwh[g->n][0] = '\0';
	if (l->has_price)
		dg_dec_format(l->price, g->price[g->n], 32);
	else
		g->price[g->n][0] = '\0';
	snprintf(g->note[g->n], 64, "%s", l->note ? l->note : "");
	g->n++;
	return DG_OK;
}

static const char *programs_csv =
"program,payer,basis,priority,from,to,measure,floor_usd_per_mwh,lbmp,strike,strike_cap_usd_per_mwh,min_hours,credit_usd_per_kw,months,hours\n"
"EDRP,NYISO,energy,1,2001-05-01,2003-04-30,cbl,500.00,rt,no,,4,,,\n"
"EDRP,NYISO,energy,1,2003-05-01,,cbl,,rt,yes,500.00,4,,,\n"
"SCR,NYISO,energy,2,2001-05-01,2003-04-30,apmd,500.00,rt,no,,4,,,\n"
"SCR,NYISO,energy,2,2003-05-01,,cbl,,rt,yes,500.00,4,,,\n"
"DADRP,NYISO,dadrp,3,,,cbl,,,,,,,,\n"
"LIPA,LIPA,demand,4,,,cbl,,,,,,6.43,6-9,14-18\n";

/* Hourly RT and DA prices for zone LONGIL, 2002-08-14 and 2017-11-05. */
static const char *rt_csv =
"zone,time,price_usd_per_mwh\n"
"LONGIL,2002-08-14T13:00:00-04:00,412.35\n"
"LONGIL,2002-08-14T14:00:00-04:00,612.80\n"
"LONGIL,2002-08-14T15:00:00-04:00,388.02\n"
"LONGIL,2002-08-14T16:00:00-04:00,121.08\n"
"LONGIL,2002-08-14T17:00:00-04:00,95.5\n"
"LONGIL,2003-08-15T13:00:00-04:00,412.35\n"
"LONGIL,2003-08-15T14:00:00-04:00,298.61\n";
static const char *da_csv =
"zone,time,price_usd_per_mwh\n"
"LONGIL,2002-08-14T16:00:00-04:00,85.37\n";

struct fixture {
	struct dg_settle_programs ps;
	struct dg_settle_prices *rt, *da;
	struct dg_settle s;
	struct dg_error err;
};

static void
fx_init(struct fixture *f)
{
	struct dg_settle_price_opts po;

	memset(f, 0, sizeof(*f));
	dg_settle_price_opts_init(&po);
	ck_assert_int_eq(dg_settle_programs_read(&f->ps,
	    tmpfile_with(programs_csv), &co, &f->err), DG_OK);
	ck_assert_int_eq(dg_settle_prices_alloc(&f->rt), DG_OK);
	ck_assert_int_eq(dg_settle_prices_alloc(&f->da), DG_OK);
	ck_assert_int_eq(dg_settle_prices_read(f->rt, tmpfile_with(rt_csv), &co,
	    &po, &f->err), DG_OK);
	po.stamp_end = 0;
	ck_assert_int_eq(dg_settle_prices_read(f->da, tmpfile_with(da_csv), &co,
	    &po, &f->err), DG_OK);
	dg_settle_params_init(&f->s.par);
	f->s.programs = &f->ps;
	f->s.rt = f->rt;
	f->s.da = f->da;
}

static void
fx_release(struct fixture *f)
{
	dg_settle_programs_release(&f->ps);
	dg_settle_prices_free(f->rt);
	dg_settle_prices_free(f->da);
}

static void
row(struct dg_settle_row *r, char *event, char *prog, const char *t,
    const char *kw)
{
	memset(r, 0, sizeof(*r));
	r->event = event;
	r->program = prog;
	r->t = T(t);
	r->reduction_kw = dec(kw);
	r->line = 2;
}

static int
collect_delta(void *arg, const struct dg_settle_delta_row *r)
{
	struct got *g = arg;
	char c[DG_DEC_BUFSZ];

	dg_dec_format(r->change_usd[0], c, sizeof(c));
	snprintf(g->note[g->n], sizeof(g->note[0]), "%s %s %s%s", r->row,
	    r->site, dg_dec_sign(r->change_usd[0]) > 0 ? "+" : "", c);
	g->n++;
	return DG_OK;
}

/* --- core ---------------------------------------------------------------- */

/* Real 2022-07-20 LONGIL intervals ending 12:05 .. 13:00 (from
 * testdata/sample/prices/20220720realtime_zone.csv), with
 * the irregular 12:38:01, 12:40:00 and 12:40:13.  Hand-computed:
 * sum(price x seconds) = 4082933/15000 x 3600 -> 272.1955333 $/MWh; a plain
 * mean of the 14 values would be 268.276. */
START_TEST(time_weight_irregular)
{
	static const char *p[] = { "215.23", "215.08", "202.94", "289.90",
		"296.35", "202.47", "251.70", "207.73", "251.45", "251.45",
		"342.97", "342.97", "344.23", "341.40" };
	static const char *e[] = { "12:05:00", "12:10:00", "12:15:00",
		"12:20:00", "12:25:00", "12:30:00", "12:35:00", "12:38:01",
		"12:40:00", "12:40:13", "12:45:00", "12:50:00", "12:55:00",
		"13:00:00" };
	dg_time ends[14];
	dg_dec prices[14], out;
	char s[40];

	for (int i = 0; i < 14; i++) {
		snprintf(s, sizeof(s), "2022-07-20T%s-04:00", e[i]);
		ends[i] = T(s);
		prices[i] = dec(p[i]);
	}
	ck_assert_int_eq(dg_settle_time_weight(T("2022-07-20T12:00:00-04:00"),
	    T("2022-07-20T12:00:00-04:00"), ends, prices, 14, 6, 900, &out),
	    DG_OK);
	ck_dec(out, "272.195533");
	ck_assert_int_eq(dg_settle_time_weight(T("2022-07-20T12:00:00-04:00"),
	    T("2022-07-20T12:00:00-04:00"), ends, prices, 14, 2, 900, &out),
	    DG_OK);
	ck_dec(out, "272.20");
}
END_TEST

/* An interval straddling the hour: 12:58 -> 13:03 at 80.00 gives two
 * minutes to hour 12 (hand-computed: (3480 x 50.00 + 120 x 80.00) / 3600 =
 * 51.00). */
START_TEST(time_weight_straddle)
{
	dg_time ends[2] = { T("2022-07-20T12:58:00-04:00"),
		T("2022-07-20T13:03:00-04:00") };
	dg_dec prices[2] = { dec("50.00"), dec("80.00") }, out;

	ck_assert_int_eq(dg_settle_time_weight(T("2022-07-20T12:00:00-04:00"),
	    T("2022-07-20T12:00:00-04:00"), ends, prices, 2, 6, 3600, &out),
	    DG_OK);
	ck_dec(out, "51.000000");
}
END_TEST

/* The real fall-back day: 01:00-01:55 appears twice; the 25 hours are all
 * complete. */
START_TEST(prices_native_fallback)
{
	struct dg_settle_prices *p;
	struct dg_settle_price_opts po;
	struct dg_error err;
	dg_dec price;

	dg_settle_price_opts_init(&po);
	ck_assert_int_eq(dg_settle_prices_alloc(&p), DG_OK);
	ck_assert_int_eq(dg_settle_prices_read(p,
	    DG_TESTDATA "/sample/prices/20221106realtime_zone.csv", &co, &po,
	    &err), DG_OK);
	for (int h = 0; h < 25; h++) {
		dg_time t = T("2022-11-06T00:00:00-04:00") + 3600 * h;

		ck_assert_int_eq(dg_settle_prices_get(p, "LONGIL", t, &price),
		    DG_OK);
	}
	/* The day after starts with no interval data. */
	ck_assert_int_eq(dg_settle_prices_get(p, "LONGIL",
	    T("2022-11-07T00:00:00-05:00"), &price), DG_EDATA);
	dg_settle_prices_free(p);
}
END_TEST

/* Native files through dg_fetch's parser: a day-ahead file trimmed to
 * three columns gives hour-beginning prices; real-time intervals ending
 * 13:05, 13:20 and 13:50 (a 30-minute gap, longer than 15) leave hour 13
 * incomplete.  Hand-computed: the day-ahead 00:00 price is 25.385. */
START_TEST(prices_native_trimmed)
{
	struct dg_settle_prices *p;
	struct dg_settle_price_opts po;
	struct dg_error err;
	dg_dec price;

	dg_settle_price_opts_init(&po);
	po.stamp_end = 0;
	ck_assert_int_eq(dg_settle_prices_alloc(&p), DG_OK);
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "\"Time Stamp\",\"Name\",\"LBMP ($/MWHr)\"\n"
	    "\"07/19/2017 00:00\",\"LONGIL\",25.385\n"
	    "\"07/19/2017 01:00\",\"LONGIL\",24.5\n"), &co, &po, &err), DG_OK);
	ck_assert_int_eq(dg_settle_prices_get(p, "LONGIL",
	    T("2017-07-19T00:00:00-04:00"), &price), DG_OK);
	ck_dec(price, "25.385000");
	dg_settle_prices_free(p);
	po.stamp_end = 1;
	ck_assert_int_eq(dg_settle_prices_alloc(&p), DG_OK);
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "\"Time Stamp\",\"Name\",\"LBMP ($/MWHr)\"\n"
	    "\"07/20/2022 13:05:00\",\"K\",305.25\n"
	    "\"07/20/2022 13:20:00\",\"K\",320.25\n"
	    "\"07/20/2022 13:50:00\",\"K\",350.25\n"), &co, &po, &err), DG_OK);
	/* 13:00-13:05 and 13:05-13:20 priced (15 minutes: not a gap), not
	 * 13:20-13:50 */
	ck_assert_int_eq(dg_settle_prices_cover(p, "K",
	    T("2022-07-20T13:00:00-04:00")), 1200);
	dg_settle_prices_free(p);
}
END_TEST

/* EDRP 2001-2002: max($500 floor, RT LBMP).  Hand-computed:
 * 13:00 850.5 kW x max(500, 412.35) = 0.8505 x 500 = 425.25;
 * 14:00 1203.385 kW x 612.80 = 1.203385 x 612.80 = 737.434328 -> 737.43. */
START_TEST(edrp_floor)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "850.5");
	row(&r[1], "E1", "EDRP", "2002-08-14T14:00:00-04:00", "1203.385");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.pay[0], "425.25");
	ck_assert_str_eq(g.price[0], "500.00");
	ck_assert_str_eq(g.pay[1], "737.43");
	ck_assert_str_eq(g.mwh[1], "1.203385");
	fx_release(&f);
}
END_TEST

/* EDRP from summer 2003: the offered strike replaces the floor.
 * Hand-computed: offer 350.00; 13:00 412.35 > 350 -> 0.6125 x 412.35 =
 * 252.564375 -> 252.56; 14:00 298.61 < 350 -> 0.6125 x 350 = 214.375 ->
 * 214.38 (half away from zero). */
START_TEST(edrp_strike)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct dg_settle_table offers;
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_offers_read(&offers, tmpfile_with(
	    "site,program,strike_usd_per_mwh\nS1,EDRP,350.00\n"), &co, &f.err),
	    DG_OK);
	f.s.offers = &offers;
	row(&r[0], "E3", "EDRP", "2003-08-15T13:00:00-04:00", "612.5");
	row(&r[1], "E3", "EDRP", "2003-08-15T14:00:00-04:00", "612.5");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_str_eq(g.pay[0], "252.56");
	ck_assert_str_eq(g.pay[1], "214.38");
	dg_settle_table_release(&offers);
	fx_release(&f);
}
END_TEST

/* Minimum 4 hours: a 2-hour call 13:00-15:00; with the rule, 15:00 and
 * 16:00 are paid at LBMP only; without it they are unpaid.
 * Hand-computed: 15:00 0.4 MWh x 388.02 = 155.208 -> 155.21; 16:00 0.4 x
 * 121.08 = 48.432 -> 48.43; 17:00 is past 4 hours: unpaid. */
START_TEST(edrp_min_hours)
{
	struct fixture f;
	struct dg_events ev;
	struct dg_settle_row r[5];
	struct got g;

	fx_init(&f);
	ck_assert_int_eq(dg_events_read(&ev, tmpfile_with(
	    "event,program,date,start,end\nE1,EDRP,2002-08-14,13:00,15:00\n"),
	    &co, &f.err), DG_OK);
	f.s.events = &ev;
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "400");
	row(&r[1], "E1", "EDRP", "2002-08-14T14:00:00-04:00", "400");
	row(&r[2], "E1", "EDRP", "2002-08-14T15:00:00-04:00", "400");
	row(&r[3], "E1", "EDRP", "2002-08-14T16:00:00-04:00", "400");
	row(&r[4], "E1", "EDRP", "2002-08-14T17:00:00-04:00", "400");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 5, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_str_eq(g.kind[2], "unpaid");
	ck_assert_str_eq(g.kind[3], "unpaid");
	f.s.par.min_hours_rule = 1;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 5, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_str_eq(g.kind[0], "event");
	ck_assert_str_eq(g.pay[0], "200.00");
	ck_assert_str_eq(g.pay[1], "245.12");	/* 0.4 x 612.80 */
	ck_assert_str_eq(g.kind[2], "continuation");
	ck_assert_str_eq(g.pay[2], "155.21");
	ck_assert_str_eq(g.pay[3], "48.43");
	ck_assert_str_eq(g.kind[4], "unpaid");
	dg_events_release(&ev);
	fx_release(&f);
}
END_TEST

/* SCR before summer 2003: APMD - actual.  Hand-computed: 1250.5 - 402.385
 * = 848.115 kW; 0.848115 MWh x max(500, 412.35) = 424.0575 -> 424.06. */
START_TEST(scr_apmd)
{
	struct fixture f;
	struct dg_settle_table apmd;
	struct dg_settle_row r;
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_apmd_read(&apmd, tmpfile_with(
	    "site,apmd_kw\nS1,1250.5\n"), &co, &f.err), DG_OK);
	f.s.apmd = &apmd;
	row(&r, "S", "SCR", "2002-08-14T13:00:00-04:00", "10");
	r.has_actual = 1;
	r.actual_kw = dec("402.385");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", &r, 1, collect,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(g.mwh[0], "0.848115");
	ck_assert_str_eq(g.pay[0], "424.06");
	dg_settle_table_release(&apmd);
	fx_release(&f);
}
END_TEST

/* SCR from summer 2003: CBL-measured, max(offered strike, RT LBMP).
 * Hand-computed: offer 300.00; 13:00 0.2658 MWh x max(300, 412.35) =
 * 109.60263 -> 109.60; 14:00 0.2658 x max(300, 298.61) = 79.74. */
START_TEST(scr_cbl_2003)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct dg_settle_table offers;
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_offers_read(&offers, tmpfile_with(
	    "site,program,strike_usd_per_mwh\nS1,EDRP,350.00\nS1,SCR,300.00\n"),
	    &co, &f.err), DG_OK);
	f.s.offers = &offers;
	row(&r[0], "C", "SCR", "2003-08-15T13:00:00-04:00", "265.8");
	row(&r[1], "C", "SCR", "2003-08-15T14:00:00-04:00", "265.8");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_str_eq(g.price[0], "412.350000");
	ck_assert_str_eq(g.pay[0], "109.60");
	ck_assert_str_eq(g.price[1], "300.00");
	ck_assert_str_eq(g.pay[1], "79.74");
	dg_settle_table_release(&offers);
	fx_release(&f);
}
END_TEST

/* DADRP: 700 kW scheduled at DA 85.37 = 59.759 -> 59.76; delivered 612.5:
 * shortfall 87.5 kW = 0.0875 MWh x max(85.37, 121.08) = 10.5945 -> -10.59. */
START_TEST(dadrp)
{
	struct fixture f;
	struct dg_settle_row r;
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r, "D", "DADRP", "2002-08-14T16:00:00-04:00", "612.5");
	r.has_sched = 1;
	r.scheduled_kw = dec("700");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", &r, 1, collect,
	    &g, "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.kind[0], "da");
	ck_assert_str_eq(g.pay[0], "59.76");
	ck_assert_str_eq(g.kind[1], "shortfall");
	ck_assert_str_eq(g.mwh[1], "-0.0875");
	ck_assert_str_eq(g.pay[1], "-10.59");
	fx_release(&f);
}
END_TEST

/* LIPA: $6.43/kW on the mean reduction of the 14-18 hours.  Hand-computed:
 * (120.5 + 133.25 + 0 (clipped -10) + 140) / 4 = 98.4375 -> 98.438 kW x
 * 6.43 = 632.95634 -> 632.96; 18:00 is outside the program's hours. */
START_TEST(lipa_credit)
{
	struct fixture f;
	struct dg_settle_row r[5];
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r[0], "L", "LIPA", "2002-08-14T14:00:00-04:00", "120.5");
	row(&r[1], "L", "LIPA", "2002-08-14T15:00:00-04:00", "133.25");
	row(&r[2], "L", "LIPA", "2002-08-14T16:00:00-04:00", "-10");
	row(&r[3], "L", "LIPA", "2002-08-14T17:00:00-04:00", "140");
	row(&r[4], "L", "LIPA", "2002-08-14T18:00:00-04:00", "150");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 5, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 6);
	for (int i = 0; i < 4; i++) {	/* 14:00-17:00: the mean's hours */
		ck_assert_str_eq(g.kind[i], "credit-hour");
		ck_assert_str_eq(g.pay[i], "0.00");
	}
	ck_assert_str_eq(g.note[2], "negative hour clipped: zero in the mean");
	ck_assert_str_eq(g.kind[4], "unpaid");	/* 18:00 */
	ck_assert_str_eq(g.kind[5], "credit");
	ck_assert_str_eq(g.pay[5], "632.96");
	fx_release(&f);
}
END_TEST

/* A simultaneous EDRP and LIPA call: NYISO pays EDRP and LIPA credits its
 * customer's bill; different payers stack (report 2.3.3: a month of EDRP
 * and "one month of LIPA credits" for the same curtailment): EDRP 0.1 MWh
 * x 612.80 = 61.28, LIPA on the mean of 14:00 and 15:00, 100 kW x 6.43 =
 * 643.00.  With LIPA in NYISO's exclusive group (a market that forbids
 * it, as data), EDRP pays 14:00 alone and LIPA counts 15:00 only: 100 kW
 * / 2 window hours = 50 kW x 6.43 = 321.50. */
START_TEST(one_payer)
{
	static const char *excl =
	    "program,payer,basis,priority,measure,floor_usd_per_mwh,lbmp,credit_usd_per_kw,months,hours,exclusive_group\n"
	    "EDRP,NYISO,energy,1,cbl,500.00,rt,,,,\n"
	    "SCR,NYISO,energy,2,cbl,500.00,rt,,,,\n"
	    "LIPA,LIPA,demand,4,cbl,,,6.43,6-9,14-18,NYISO\n";
	struct dg_settle_programs ps;
	struct fixture f;
	struct dg_settle_row r[4];
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r[0], "L", "LIPA", "2002-08-14T14:00:00-04:00", "100");
	row(&r[1], "L", "LIPA", "2002-08-14T15:00:00-04:00", "100");
	row(&r[2], "E", "EDRP", "2002-08-14T14:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 3, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 4);
	ck_assert_str_eq(g.kind[0], "event");	/* E sorts before L */
	ck_assert_str_eq(g.pay[0], "61.28");	/* 0.1 x 612.80 */
	ck_assert_str_eq(g.kind[1], "credit-hour");
	ck_assert_str_eq(g.kind[2], "credit-hour");
	ck_assert_str_eq(g.kind[3], "credit");
	ck_assert_str_eq(g.pay[3], "643.00");
	/* a site called by EDRP and SCR (one payer) is still paid once */
	row(&r[3], "S", "SCR", "2002-08-14T14:00:00-04:00", "100");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r + 2, 2, collect,
	    &g, "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.kind[0], "event");
	ck_assert_str_eq(g.kind[1], "unpaid");
	ck_assert_str_eq(g.note[1], "paid by EDRP");
	/* no stacking, as data */
	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(excl), &co,
	    &f.err), DG_OK);
	f.s.programs = &ps;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 3, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 4);
	ck_assert_str_eq(g.kind[1], "unpaid");
	ck_assert_str_eq(g.note[1], "paid by EDRP");
	ck_assert_str_eq(g.kind[2], "credit-hour");
	ck_assert_str_eq(g.kind[3], "credit");
	ck_assert_str_eq(g.pay[3], "321.50");
	dg_settle_programs_release(&ps);
	fx_release(&f);
}
END_TEST

/* One payer per site-hour counts only the programs that would pay the
 * hour: EDRP's row of 16:00 is after its call (13:00-16:00: unpaid), so
 * SCR, called 13:00-17:00, pays it: APMD 500 - actual 300 = 200 kW, 0.2
 * MWh x max(500, 121.08) = 100.00 (SCR's 2002 terms).  Before, EDRP's
 * unpaid row took the hour from SCR ("paid by EDRP"). */
START_TEST(one_payer_outside_call)
{
	struct dg_settle_table apmd;
	struct fixture f;
	struct dg_events ev;
	struct dg_settle_row r[2];
	struct got g;

	fx_init(&f);
	ck_assert_int_eq(dg_events_read(&ev, tmpfile_with(
	    "event,program,date,start,end\n"
	    "E,EDRP,2002-08-14,13:00,16:00\nS,SCR,2002-08-14,13:00,17:00\n"),
	    &co, &f.err), DG_OK);
	ck_assert_int_eq(dg_settle_apmd_read(&apmd, tmpfile_with(
	    "site,apmd_kw\nS1,500\n"), &co, &f.err), DG_OK);
	f.s.events = &ev;
	f.s.apmd = &apmd;
	row(&r[0], "E", "EDRP", "2002-08-14T16:00:00-04:00", "200");
	row(&r[1], "S", "SCR", "2002-08-14T16:00:00-04:00", "200");
	r[1].has_actual = 1;
	r[1].actual_kw = dec("300");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.kind[0], "unpaid");
	ck_assert_str_eq(g.note[0], "outside the call");
	ck_assert_str_eq(g.kind[1], "event");
	ck_assert_str_eq(g.pay[1], "100.00");
	dg_settle_table_release(&apmd);
	dg_events_release(&ev);
	fx_release(&f);
}
END_TEST

/* Two EDRP calls in one hour (overlapping events): the first event pays
 * it, the second line is unpaid.  0.25 x 612.80 = 153.20. */
START_TEST(one_payer_same_program)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r[0], "E2", "EDRP", "2002-08-14T14:00:00-04:00", "250");
	row(&r[1], "E1", "EDRP", "2002-08-14T14:00:00-04:00", "250");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.kind[0], "event");
	ck_assert_str_eq(g.pay[0], "153.20");
	ck_assert_str_eq(g.kind[1], "unpaid");
	ck_assert_str_eq(g.note[1], "paid by E1");
	fx_release(&f);
}
END_TEST

/* An hour dg-cbl could not measure (reduction_kw empty; or no actual_kw
 * for an APMD program) is an unpaid line, not an error. */
START_TEST(not_measured)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "0");
	r[0].no_reduction = 1;
	row(&r[1], "S", "SCR", "2002-08-14T14:00:00-04:00", "0");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.kind[0], "unpaid");
	ck_assert_str_eq(g.note[0], "no reduction measured");
	ck_assert_str_eq(g.kind[1], "unpaid");
	fx_release(&f);
}
END_TEST

/* Negative hours: clipped by default; netted with net_negative, and an
 * event whose net is negative is raised to zero.  Hand-computed: 0.2 x 500
 * = 100.00 and -0.3 x 500 = -150.00: clipped total 100.00; netted -50.00
 * + 50.00 floor = 0. */
START_TEST(negative_hours)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct got g;

	fx_init(&f);
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "200");
	row(&r[1], "E1", "EDRP", "2002-08-14T15:00:00-04:00", "-300");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.pay[1], "0.00");
	ck_assert_str_eq(g.note[1], "negative hour clipped");
	f.s.par.net_negative = 1;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 3);
	ck_assert_str_eq(g.pay[1], "-150.00");
	ck_assert_str_eq(g.kind[2], "net-floor");
	ck_assert_str_eq(g.pay[2], "50.00");
	fx_release(&f);
}
END_TEST

/* A 25-hour day: a call 00:00-04:00 on 2017-11-05 lasts five real hours,
 * all paid at the $500 floor (prices from the normalized file). */
START_TEST(fallback_event)
{
	struct fixture f;
	struct dg_events ev;
	struct dg_settle_row r[5];
	struct dg_settle_price_opts po;
	struct got g;
	char csv[1024];
	size_t k = 0;
	dg_time t0 = T("2017-11-05T00:00:00-04:00");

	fx_init(&f);
	dg_settle_price_opts_init(&po);
	k += (size_t)snprintf(csv, sizeof(csv),
	    "zone,time,price_usd_per_mwh\n");
	for (int h = 0; h < 5; h++) {
		char ts[DG_TIME_BUFSZ];

		dg_time_format(t0 + 3600 * h, ts, sizeof(ts));
		k += (size_t)snprintf(csv + k, sizeof(csv) - k,
		    "LONGIL,%s,2%d.5\n", ts, h);
		row(&r[h], "F", "EDRP", ts, "123.4");
	}
	ck_assert_int_eq(dg_settle_prices_read(f.rt, tmpfile_with(csv), &co,
	    &po, &f.err), DG_OK);
	/* In 2017 EDRP pays max(strike, LBMP): an offer of $500.00. */
	{
		struct dg_settle_table offers;

		ck_assert_int_eq(dg_settle_offers_read(&offers, tmpfile_with(
		    "site,program,strike_usd_per_mwh\nS1,EDRP,500.00\n"), &co,
		    &f.err), DG_OK);
		ck_assert_int_eq(dg_events_read(&ev, tmpfile_with(
		    "event,program,date,start,end\n"
		    "F,EDRP,2017-11-05,00:00,04:00\n"),
		    &co, &f.err), DG_OK);
		f.s.offers = &offers;
		f.s.events = &ev;
		memset(&g, 0, sizeof(g));
		ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 5,
		    collect, &g, "in", &f.err), DG_OK);
		ck_assert_int_eq(g.n, 5);
		for (int h = 0; h < 5; h++) {
			ck_assert_str_eq(g.kind[h], "event");
			/* 0.1234 x 500 */
			ck_assert_str_eq(g.pay[h], "61.70");
		}
		dg_settle_table_release(&offers);
		dg_events_release(&ev);
	}
	fx_release(&f);
}
END_TEST

/* Report Table 18 (seed lines 2005-2020): the portfolio at $500 flat;
 * 29.993 MWh exact -> 14,996.50; rounded to 0.1 MWh -> 30.0 -> 15,000.00
 * (the report's $15,000, seed line 2003). */
START_TEST(portfolio_round)
{
	struct dg_settle_pf *pf;
	struct dg_settle_line l;
	struct got g;
	static const char *mwh[] = { "7.789", "7.793", "7.687", "6.724" };

	for (int round = -1; round <= 1; round += 2) {
		ck_assert_int_eq(dg_settle_pf_alloc(&pf), DG_OK);
		for (int h = 0; h < 4; h++) {
			memset(&l, 0, sizeof(l));
			l.site = "X";
			l.event = "2001-08-07";
			l.program = "EDRP";
			l.payer = "NYISO";
			l.t = T("2001-08-07T15:00:00-04:00") + 3600 * h;
			l.kind = DG_SL_EVENT;
			l.has_mwh = l.has_price = 1;
			l.mwh = dec(mwh[h]);
			l.price = dec("500.00");
			l.payment = dec("0.00");
			ck_assert_int_eq(dg_settle_pf_add(pf, &l), DG_OK);
		}
		memset(&g, 0, sizeof(g));
		ck_assert_int_eq(dg_settle_pf_emit(pf, round, collect, &g,
		    NULL), DG_OK);
		ck_assert_int_eq(g.n, 1);
		ck_assert_str_eq(g.mwh[0], round < 0 ? "29.993" : "30.0");
		ck_assert_str_eq(g.pay[0], round < 0 ? "14996.50" : "15000.00");
		dg_settle_pf_free(pf);
	}
}
END_TEST

/* Statements: share = payment x pct / 100 rounded once per line, the
 * participant gets the rest; totals are sums of the lines.  Hand-computed:
 * 1000.05 x 12.5 % = 125.00625 -> 125.01, participant 875.04; 333.33 x
 * 12.5 % = 41.66625 -> 41.67, participant 291.66; totals 1333.38 = 166.68
 * + 1166.70. */
struct stgot {
	int n;
	char row[8][16], pay[8][24], agg[8][24], part[8][24];
};

static int
stcollect(void *arg, const struct dg_settle_stmt_out *o)
{
	struct stgot *g = arg;

	ck_assert_int_lt(g->n, 8);
	snprintf(g->row[g->n], 16, "%d", o->row);
	dg_dec_format(o->payment, g->pay[g->n], 24);
	dg_dec_format(o->aggregator, g->agg[g->n], 24);
	dg_dec_format(o->participant_amt, g->part[g->n], 24);
	g->n++;
	return DG_OK;
}

START_TEST(statement_sums)
{
	struct dg_settle_stmt *st;
	struct dg_error err;
	struct stgot g;
	dg_dec m = dec("1.5");

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_stmt_alloc(&st), DG_OK);
	ck_assert_int_eq(dg_settle_stmt_add(st, "P1", "2002-08", "S1", "EDRP",
	    "NYISO", "E1", &m, dec("600.05"), dec("12.5"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_stmt_add(st, "P1", "2002-08", "S1", "EDRP",
	    "NYISO", "E2", &m, dec("400.00"), dec("12.5"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_stmt_add(st, "P1", "2002-08", "S2", "EDRP",
	    "NYISO", "E1", NULL, dec("333.33"), dec("12.5"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_stmt_emit(st, stcollect, &g, &err), DG_OK);
	/* the two lines, NYISO's row, P1's total, the portfolio's NYISO row
	 * and its total */
	ck_assert_int_eq(g.n, 6);
	ck_assert_str_eq(g.pay[0], "1000.05");
	ck_assert_str_eq(g.agg[0], "125.01");
	ck_assert_str_eq(g.part[0], "875.04");
	ck_assert_str_eq(g.agg[1], "41.67");
	ck_assert_str_eq(g.part[1], "291.66");
	ck_assert_str_eq(g.row[2], "3");	/* DG_ST_PAYER */
	ck_assert_str_eq(g.pay[2], "1333.38");
	ck_assert_str_eq(g.agg[2], "166.68");
	ck_assert_str_eq(g.row[3], "1");
	ck_assert_str_eq(g.pay[3], "1333.38");
	ck_assert_str_eq(g.agg[3], "166.68");
	ck_assert_str_eq(g.part[3], "1166.70");
	ck_assert_str_eq(g.row[4], "3");
	ck_assert_str_eq(g.row[5], "2");
	ck_assert_str_eq(g.pay[5], "1333.38");
	dg_settle_stmt_free(st);
}
END_TEST

/* Table 13 (seed lines 1660-1669), July: total energy cost = 172,130 -
 * 9,661 - 979 = 161,490; with the energy the delivery row implies
 * (172,902 / 55 = 3,143.67 MWh): average 161,490 / 3,143.67 = 51.37 and
 * delivery 3,143.67 x 55 = 172,901.85 (printed 172,902). */
START_TEST(shadow_table13)
{
	struct dg_settle_shadow *sh;
	const struct dg_settle_shadow_month *m;
	struct dg_error err;
	size_t n;

	ck_assert_int_eq(dg_settle_shadow_alloc(&sh, dec("55.00")), DG_OK);
	ck_assert_int_eq(dg_settle_shadow_add_month(sh, "2002-07",
	    dec("3143.67"), dec("172130"), dec("9661"), dec("979"), &err),
	    DG_OK);
	ck_assert_int_eq(dg_settle_shadow_add_month(sh, "2002-08",
	    dec("3110.67"), dec("174343"), dec("26317"), dec("-147"), &err),
	    DG_OK);
	ck_assert_int_eq(dg_settle_shadow_result(sh, &m, &n, &err), DG_OK);
	ck_assert_int_eq(n, 3);
	ck_dec(m[0].total_cost, "161490.00");
	ck_dec(m[0].avg_cost, "51.37");
	ck_dec(m[0].delivery, "172901.85");
	ck_dec(m[1].total_cost, "148173.00");
	ck_dec(m[1].avg_cost, "47.63");
	ck_assert_str_eq(m[2].month, "total");
	ck_dec(m[2].total_cost, "309663.00");
	dg_settle_shadow_free(sh);
}
END_TEST

/* One shadow hour, hand-computed: forecast 812.5 kW, actual 790.25 kW,
 * bid 230.93, DA 64.36 < bid: buy 0.8125 x 64.36 = 52.2925 -> 52.29; RT
 * 70.10: (0.8125 - 0.79025) x 70.10 = 1.559725 -> 1.56; delivery 0.79025 x
 * 55 = 43.46375 -> 43.46.  A self-generation hour (DA 498.06 > bid):
 * revenue 0.8125 x 498.06 = 404.67375 -> 404.67, generation 0.79025 x
 * 72.40 = 57.2141 -> 57.21. */
START_TEST(shadow_hour)
{
	struct dg_settle_shadow *sh;
	struct dg_settle_shadow_hour h;
	struct dg_error err;

	ck_assert_int_eq(dg_settle_shadow_alloc(&sh, dec("55")), DG_OK);
	ck_assert_int_eq(dg_settle_shadow_add(sh,
	    T("2002-07-02T10:00:00-04:00"),
	    dec("812.5"), dec("790.25"), dec("230.93"), 1, dec("72.40"),
	    dec("64.36"), dec("70.10"), &h, &err), DG_OK);
	ck_assert_int_eq(h.self_gen, 0);
	ck_dec(h.da_cost, "52.29");
	ck_dec(h.rt_recon, "1.56");
	ck_dec(h.delivery, "43.46");
	ck_dec(h.gen_cost, "0.00");
	ck_assert_int_eq(dg_settle_shadow_add(sh,
	    T("2002-07-02T14:00:00-04:00"),
	    dec("812.5"), dec("790.25"), dec("230.93"), 1, dec("72.40"),
	    dec("498.06"), dec("70.10"), &h, &err), DG_OK);
	ck_assert_int_eq(h.self_gen, 1);
	ck_dec(h.da_revenue, "404.67");
	ck_dec(h.gen_cost, "57.21");
	ck_dec(h.rt_recon, "0.00");
	dg_settle_shadow_free(sh);
}
END_TEST

/* The performance report: hour-ending labels and totals. */
START_TEST(perf_table)
{
	struct dg_settle_perf *pr;
	struct dg_settle_perf_table t;
	struct dg_error err;

	ck_assert_int_eq(dg_settle_perf_alloc(&pr), DG_OK);
	ck_assert_int_eq(dg_settle_perf_add(pr, "E", "B",
	    T("2001-08-07T15:00:00-04:00"), dec("2990"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_perf_add(pr, "E", "A",
	    T("2001-08-07T16:00:00-04:00"), dec("77.5"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_perf_add(pr, "E", "B",
	    T("2001-08-07T16:00:00-04:00"), dec("2953"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_perf_table(pr, 0, &t, &err), DG_OK);
	ck_assert_int_eq(t.nsites, 2);
	ck_assert_str_eq(t.sites[0], "B");
	ck_assert_int_eq(t.nhours, 2);
	ck_assert_str_eq(t.labels[0], "16:00");
	ck_assert_int_eq(t.has[1 * 2 + 0], 0);
	ck_dec(t.total_mw[1], "3.0305");
	ck_dec(t.total_mwh, "6.0205");
	ck_dec(t.avg_mw, "3.010250000");
	dg_settle_perf_free(pr);
}
END_TEST

/* FIPS 180-2 example: SHA-256("abc"), of a file (dg_util.h). */
START_TEST(sha256_abc)
{
	char hex[65];
	long long n;

	ck_assert_int_eq(dg_sha256_file(tmpfile_with("abc"), hex, &n), DG_OK);
	ck_assert_str_eq(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(n, 3);
}
END_TEST

/* --- limits --------------------------------------------------------------- */

START_TEST(missing_price)
{
	struct fixture f;
	struct dg_settle_row r;
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r, "E1", "EDRP", "2002-08-14T18:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", &r, 1, collect,
	    &g, "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg,
	    "missing real-time price hour for zone LONGIL at 2002-08-14T18:00:00-04:00 (none)");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "WEST", &r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	fx_release(&f);
}
END_TEST

/* A 20-minute gap in 5-minute data leaves the hour incomplete. */
START_TEST(time_weight_gap)
{
	dg_time ends[2] = { T("2022-07-20T12:30:00-04:00"),
		T("2022-07-20T13:00:00-04:00") };
	dg_dec prices[2] = { dec("50.00"), dec("80.00") }, out;

	ck_assert_int_eq(dg_settle_time_weight(T("2022-07-20T12:00:00-04:00"),
	    T("2022-07-20T12:25:00-04:00"), ends, prices, 2, 6, 900, &out),
	    DG_EDATA);
	/* out of order */
	ends[1] = ends[0];
	ck_assert_int_eq(dg_settle_time_weight(T("2022-07-20T12:00:00-04:00"),
	    T("2022-07-20T12:25:00-04:00"), ends, prices, 2, 6, 900, &out),
	    DG_EDATA);
}
END_TEST

/* The pay input, site by site: rows of a site together, a site met again
 * is an error at its line, flags and unmeasured hours counted. */
START_TEST(input_sites)
{
	struct dg_settle_input *in;
	struct dg_settle_row *rows;
	struct dg_error err;
	struct dg_csv *r;
	const char *site;
	size_t n;

	ck_assert_int_eq(dg_csv_open(&r, tmpfile_with(
	    "site,event,program,time,reduction_kw,quality\n"
	    "A,E1,EDRP,2022-07-20T13:00:00-04:00,10.5,ok\n"
	    "A,E1,EDRP,2022-07-20T14:00:00-04:00,,missing_actual\n"
	    "B,E1,EDRP,2022-07-20T13:00:00-04:00,,\n"
	    "A,E1,EDRP,2022-07-20T15:00:00-04:00,1,ok\n"), &co, &err), DG_OK);
	ck_assert_int_eq(dg_settle_input_open(&in, r, NULL, 0, &err), DG_OK);
	ck_assert_int_eq(dg_settle_input_next(in, &site, &rows, &n, &err),
	    DG_OK);
	ck_assert_str_eq(site, "A");
	ck_assert_uint_eq(n, 2);
	ck_dec(rows[0].reduction_kw, "10.5");
	ck_assert_int_eq(rows[1].no_reduction, 1);
	ck_assert_str_eq(rows[1].quality, "missing_actual");
	ck_assert_int_eq(dg_settle_input_next(in, &site, &rows, &n, &err),
	    DG_OK);
	ck_assert_str_eq(site, "B");
	ck_assert_uint_eq(n, 1);
	/* flagged: the missing_actual row, and B's unmeasured row without a
	 * flag */
	ck_assert_int_eq(dg_settle_input_flagged(in), 2);
	ck_assert_int_eq(dg_settle_input_next(in, &site, &rows, &n, &err),
	    DG_EDATA);
	ck_assert_int_eq(err.line, 5);
	ck_assert_ptr_nonnull(strstr(err.msg, "appears again"));
	dg_settle_input_close(in);
	dg_csv_close(r);
}
END_TEST

/* The names a table gives are checked against the programs (and sites):
 * the first bad row in file order, though the table is sorted by site. */
START_TEST(names_check)
{
	struct dg_settle_programs ps;
	struct dg_settle_table t;
	struct dg_error err;
	const char **names;
	size_t n;

	ck_assert_int_eq(dg_settle_programs_read(&ps,
	    tmpfile_with(programs_csv), &co, &err), DG_OK);
	ck_assert_int_eq(dg_settle_programs_names(&ps, &names, &n), DG_OK);
	ck_assert_uint_eq(n, 4);	/* EDRP and SCR have two rows each */
	ck_assert_str_eq(names[0], "EDRP");
	free(names);
	ck_assert_int_eq(dg_settle_offers_read(&t, tmpfile_with(
	    "site,program,strike_usd_per_mwh\nS2,EDRP,400\nS9,SCRR,300\n"
	    "S1,EDPR,300\n"), &co, &err), DG_OK);
	ck_assert_int_eq(dg_settle_table_check(&t, NULL, &ps, &err), DG_EDATA);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.column, "program");
	ck_assert_ptr_nonnull(strstr(err.msg,
	    "unknown program \"SCRR\" (known: EDRP, SCR"));
	ck_assert_int_eq(dg_settle_table_check(&t, NULL, NULL, &err), DG_OK);
	dg_settle_table_release(&t);
	dg_settle_programs_release(&ps);
}
END_TEST

/* A restatement: the rows whose amounts changed, with the change to the
 * cent; a row only one statement has counts as changed (zero on the other
 * side). */
START_TEST(delta_rows)
{
	static const char hdr[] = "participant,month,row,site,program,payer,"
	    "events,energy_mwh,payment_usd,share_pct,aggregator_usd,participant_usd\n";
	struct dg_settle_delta *d;
	struct dg_error err;
	struct got g;
	long n;
	char a[1024], b[1024];

	snprintf(a, sizeof(a),
	    "%sP,2022-07,line,S1,EDRP,NYISO,1,1.0,100.00,15,15.00,85.00\n"
	    "P,2022-07,line,S2,EDRP,NYISO,1,1.0,50.00,15,7.50,42.50\n"
	    "P,2022-07,participant,,,,2,2.0,150.00,,22.50,127.50\n"
	    ",2022-07,portfolio,,,,2,2.0,150.00,,22.50,127.50\n", hdr);
	snprintf(b, sizeof(b),
	    "%s,2022-07,portfolio,,,,2,2.0,150.01,,22.50,127.51\n"
	    "P,2022-07,line,S1,EDRP,NYISO,1,1.0,100.01,15,15.00,85.01\n"
	    "P,2022-07,line,S2,EDRP,NYISO,1,1.0,50.00,15,7.50,42.50\n"
	    "P,2022-07,line,S3,LIPA,LIPA,1,0,0.00,10,0.00,0.00\n"
	    "P,2022-07,participant,,,,2,2.0,150.01,,22.50,127.51\n", hdr);
	ck_assert_int_eq(dg_settle_delta_read(&d, tmpfile_with(a),
	    tmpfile_with(b), &co, &err), DG_OK);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_delta_emit(d, collect_delta, &g, &n, &err),
	    DG_OK);
	ck_assert_int_eq(n, 4);	/* S1, S3 (new), P's total, the portfolio */
	ck_assert_str_eq(g.note[0], "line S1 +0.01");
	ck_assert_str_eq(g.note[1], "line S3 0.00");
	ck_assert_str_eq(g.note[2], "participant  +0.01");
	ck_assert_str_eq(g.note[3], "portfolio  +0.01");
	dg_settle_delta_free(d);
	/* a row twice is an error at its second line */
	ck_assert_int_eq(dg_settle_delta_read(&d, tmpfile_with(a), tmpfile_with(
	    "participant,month,row,site,program,payer,payment_usd,aggregator_usd,participant_usd\n"
	    "P,2022-07,line,S1,EDRP,NYISO,1.00,0.15,0.85\n"
	    "P,2022-07,line,S1,EDRP,NYISO,1.00,0.15,0.85\n"), &co, &err),
	    DG_EDATA);
	ck_assert_int_eq(err.line, 3);
}
END_TEST

/* The summary of payment lines: a site-hour measured once though two
 * programs have lines for it; credits and energy apart; totals are sums
 * of the lines (total lines skipped). */
START_TEST(summary_lines)
{
	struct dg_settle_sum *sm;
	const struct dg_settle_sum_prog *p;
	const struct dg_settle_sum_call *c;
	struct dg_error err;
	dg_dec mwh, total;
	long hours;

	ck_assert_int_eq(dg_settle_sum_read(&sm, tmpfile_with(
	    "site,event,program,payer,time,line,reduction_kw,energy_mwh,price_usd_per_mwh,demand_kw,rate_usd_per_kw,payment_usd,note,quality\n"
	    "S1,E,EDRP,NYISO,2022-07-20T13:00:00-04:00,event,100.000,0.100000,500,,,50.00,,ok\n"
	    "S1,E,EDRP,NYISO,2022-07-20T14:00:00-04:00,event,200.000,0.200000,500,,,100.00,,ok\n"
	    "S1,E,EDRP,NYISO,,total,,0.300000,,,,150.00,sum of the lines above,\n"
	    "S1,L,LIPA,LIPA,2022-07-20T14:00:00-04:00,unpaid,200.000,,,,,0.00,paid by EDRP,ok\n"
	    "S1,L,LIPA,LIPA,2022-07-20T14:00:00-04:00,credit,,,,100.000,6.43,643.00,mean of 2 hours,ok\n"
	    "S2,E,EDRP,NYISO,2022-07-20T13:00:00-04:00,event,10.000,0.010000,500,,,5.00,,ok\n"),
	    &co, &err), DG_OK);
	ck_assert_uint_eq(dg_settle_sum_ncalls(sm), 2);
	c = dg_settle_sum_call(sm, 0);
	ck_assert_str_eq(c->event, "E");
	ck_assert_int_eq(c->sites, 2);
	ck_assert_int_eq(c->hours, 3);
	c = dg_settle_sum_call(sm, 1);
	ck_assert_int_eq(c->sites, 1);
	ck_assert_int_eq(c->hours, 1);
	ck_assert_uint_eq(dg_settle_sum_nprograms(sm), 2);
	p = dg_settle_sum_program(sm, 0);
	ck_dec(p->payment, "155.00");
	ck_dec(p->mwh, "0.310000");
	ck_assert_int_eq(p->hours, 3);
	p = dg_settle_sum_program(sm, 1);
	ck_dec(p->payment, "643.00");
	ck_dec(p->kw, "100.000");
	ck_assert_int_eq(p->credits, 1);
	dg_settle_sum_totals(sm, &mwh, &hours, &total);
	ck_dec(mwh, "0.310000");	/* S1 13:00, 14:00 (once), S2 13:00 */
	ck_assert_int_eq(hours, 3);
	ck_dec(total, "798.00");
	dg_settle_sum_free(sm);
}
END_TEST

START_TEST(programs_bad)
{
	struct dg_settle_programs ps;
	struct dg_error err;

	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(
	    "program,payer,basis,priority\nX,NYISO,capacity,1\n"), &co, &err),
	    DG_EDATA);
	ck_assert_str_eq(err.msg,
	    "not one of energy, dadrp, demand: \"capacity\"");
	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(
	    "program,payer,basis,priority,floor_usd_per_mwh\n"
	    "X,NYISO,energy,1,500\nY,NYISO,energy,1,500\n"), &co, &err),
	    DG_EDATA);
	ck_assert_int_eq(err.line, 3);
	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(
	    "program,payer,basis,priority,floor_usd_per_mwh,from,to\n"
	    "X,NYISO,energy,1,500,2001-05-01,2003-04-30\n"
	    "X,NYISO,energy,1,500,2003-04-30,\n"), &co, &err), DG_EDATA);
	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(
	    "program,payer,basis,priority\nX,NYISO,energy,1\n"), &co, &err),
	    DG_EDATA);
	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(
	    "program,payer,basis,priority,credit_usd_per_kw,hours\n"
	    "L,LIPA,demand,1,6.43,18-14\n"), &co, &err), DG_EDATA);
	ck_assert_int_eq(dg_settle_programs_read(&ps, tmpfile_with(
	    "program,payer,basis\nX,NYISO,energy\n"), &co, &err), DG_EDATA);
}
END_TEST

START_TEST(rows_bad)
{
	struct fixture f;
	struct dg_settle_row r[2];
	struct dg_settle_table offers;
	struct got g;

	fx_init(&f);
	memset(&g, 0, sizeof(g));
	row(&r[0], "E1", "NOPE", "2002-08-14T13:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.column, "program");
	/* EDRP before its first date */
	row(&r[0], "E1", "EDRP", "2000-08-14T13:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	/* one hour twice in one event */
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "100");
	row(&r[1], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_EDATA);
	/* a strike above the cap, and no offer at all */
	row(&r[0], "E3", "EDRP", "2003-08-15T13:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_int_eq(dg_settle_offers_read(&offers, tmpfile_with(
	    "site,program,strike_usd_per_mwh\nS1,EDRP,500.01\n"), &co, &f.err),
	    DG_OK);
	f.s.offers = &offers;
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	dg_settle_table_release(&offers);
	/* DADRP without scheduled_kw */
	row(&r[0], "D", "DADRP", "2002-08-14T16:00:00-04:00", "100");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	/* APMD program without an APMD for the site */
	row(&r[0], "S", "SCR", "2002-08-14T13:00:00-04:00", "100");
	r[0].has_actual = 1;
	r[0].actual_kw = dec("402.385");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg,
	    "no APMD for site S1 (program SCR) at 2002-08-14T13:00:00-04:00");
	fx_release(&f);
}
END_TEST

START_TEST(tables_bad)
{
	struct dg_settle_table t;
	struct dg_error err;

	ck_assert_int_eq(dg_settle_contracts_read(&t, tmpfile_with(
	    "site,participant,share_pct\nS1,P,100.5\n"), &co, &err), DG_EDATA);
	ck_assert_int_eq(dg_settle_contracts_read(&t, tmpfile_with(
	    "site,participant,share_pct\nS1,P,10\nS1,Q,20\n"), &co, &err),
	    DG_EDATA);
}
END_TEST

START_TEST(prices_bad)
{
	struct dg_settle_prices *p;
	struct dg_settle_price_opts po;
	struct dg_error err;

	dg_settle_price_opts_init(&po);
	ck_assert_int_eq(dg_settle_prices_alloc(&p), DG_OK);
	/* not on the hour */
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "zone,time,price_usd_per_mwh\nK,2002-08-14T13:30:00-04:00,5\n"),
	    &co, &po, &err), DG_EDATA);
	/* the same hour twice */
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "zone,time,price_usd_per_mwh\nK,2002-08-14T13:00:00-04:00,5\n"
	    "K,2002-08-14T13:00:00-04:00,6\n"), &co, &po, &err), DG_EDATA);
	dg_settle_prices_free(p);
	ck_assert_int_eq(dg_settle_prices_alloc(&p), DG_OK);
	/* seven decimals */
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "zone,time,price_usd_per_mwh\n"
	    "K,2002-08-14T13:00:00-04:00,5.1234567\n"),
	    &co, &po, &err), DG_ERANGE);
	/* native RT stamps going back (dg_fetch's parser says so) */
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "\"Time Stamp\",\"Name\",\"PTID\",\"LBMP ($/MWHr)\"\n"
	    "\"07/20/2022 00:10:00\",\"K\",1,5.00\n"
	    "\"07/20/2022 00:05:00\",\"K\",1,5.00\n"), &co, &po, &err),
	    DG_EDATA);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.column, "Time Stamp");
	ck_assert_str_eq(err.msg, "time stamp before the previous one of K");
	/* a native RT stamp repeated */
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "\"Time Stamp\",\"Name\",\"LBMP ($/MWHr)\"\n"
	    "\"07/20/2022 00:05:00\",\"K\",5.00\n"
	    "\"07/20/2022 00:10:00\",\"K\",5.00\n"
	    "\"07/20/2022 00:10:00\",\"K\",5.00\n"), &co, &po, &err), DG_EDATA);
	ck_assert_int_eq(err.line, 4);
	ck_assert_str_eq(err.msg,
	    "interval end not after the previous one of zone K");
	/* seven decimals in a native file */
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "\"Time Stamp\",\"Name\",\"LBMP ($/MWHr)\"\n"
	    "\"07/20/2022 00:05:00\",\"K\",5.1234567\n"), &co, &po, &err),
	    DG_ERANGE);
	ck_assert_int_eq(err.line, 2);
	ck_assert_str_eq(err.column, "LBMP ($/MWHr)");
	/* a native day-ahead stamp off the hour */
	po.stamp_end = 0;
	ck_assert_int_eq(dg_settle_prices_read(p, tmpfile_with(
	    "\"Time Stamp\",\"Name\",\"LBMP ($/MWHr)\"\n"
	    "\"07/20/2022 00:30\",\"K\",5.00\n"), &co, &po, &err), DG_EDATA);
	ck_assert_str_eq(err.msg, "hourly price not at the start of an hour");
	ck_assert_str_eq(err.column, "Time Stamp");
	dg_settle_prices_free(p);
}
END_TEST

/* The events come from dg_events (one reader for every program): a call
 * may name its sites, one row each, and then pays only them. */
START_TEST(events_sites)
{
	struct fixture f;
	struct dg_events ev;
	struct dg_settle_row r[1];
	struct got g;

	fx_init(&f);
	ck_assert_int_eq(dg_events_read(&ev, tmpfile_with(
	    "event,program,date,start,end,site\n"
	    "E1,EDRP,2002-08-14,13:00:00,15:00:00,S1\n"
	    "E1,EDRP,2002-08-14,13:00,15:00,S3\n"), &co, &f.err), DG_OK);
	f.s.events = &ev;
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "400");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S3", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_str_eq(g.kind[0], "event");
	ck_assert_int_eq(dg_settle_site(&f.s, "S2", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg,
	    "event \"E1\" does not call site S2 at 2002-08-14T13:00:00-04:00");
	ck_assert_str_eq(f.err.column, "event");
	row(&r[0], "E9", "EDRP", "2002-08-14T13:00:00-04:00", "400");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg,
	    "event \"E9\" not in the events file at 2002-08-14T13:00:00-04:00");
	dg_events_release(&ev);
	fx_release(&f);
}
END_TEST

/* Reads text twice, with and without keeping only [from, to) of zone K:
 * the same status and message; the kept hours the same prices. */
static void
keep_same(const char *text, dg_time from, dg_time to, int want_st,
    size_t want_kept)
{
	struct dg_settle_prices *all, *some;
	struct dg_settle_price_opts po;
	struct dg_error e1, e2;
	const char *path = tmpfile_with(text);
	int st;
	size_t kept = 0;

	dg_settle_price_opts_init(&po);
	ck_assert_int_eq(dg_settle_prices_alloc(&all), DG_OK);
	ck_assert_int_eq(dg_settle_prices_alloc(&some), DG_OK);
	ck_assert_int_eq(dg_settle_prices_keep(some, from, to), DG_OK);
	ck_assert_int_eq(dg_settle_prices_keep_zone(some, "K"), DG_OK);
	dg_error_clear(&e1);
	dg_error_clear(&e2);
	st = dg_settle_prices_read(all, path, &co, &po, &e1);
	ck_assert_int_eq(st, want_st);
	ck_assert_int_eq(dg_settle_prices_read(some, path, &co, &po, &e2), st);
	ck_assert_str_eq(e1.msg, e2.msg);
	ck_assert_int_eq(e1.line, e2.line);
	if (st != DG_OK)
		goto out;
	for (size_t z = 0; z < dg_settle_prices_nzones(all); z++) {
		const char *name = dg_settle_prices_zone(all, z);

		for (size_t i = 0; i < dg_settle_prices_nhours(all, z); i++) {
			dg_time t;
			dg_dec p1, p2;
			int cover, s1;

			s1 = dg_settle_prices_hour(all, z, i, &t, &p1, &cover);
			if (strcmp(name, "K") != 0 || t < from || t >= to) {
				ck_assert_int_eq(dg_settle_prices_cover(some,
				    name, t), 0);
				continue;
			}
			kept++;
			ck_assert_int_eq(dg_settle_prices_cover(some, name, t),
			    cover);
			ck_assert_int_eq(dg_settle_prices_get(some, name, t,
			    &p2), s1);
			if (s1 == DG_OK)
				ck_assert_int_eq(dg_dec_cmp(p1, p2), 0);
		}
	}
	ck_assert_uint_eq(kept, want_kept);
	for (size_t z = 0; z < dg_settle_prices_nzones(some); z++)
		if (strcmp(dg_settle_prices_zone(some, z), "K") == 0)
			ck_assert_uint_eq(dg_settle_prices_nhours(some, z),
			    want_kept);
		else
			ck_assert_uint_eq(dg_settle_prices_nhours(some, z), 0);
out:
	dg_settle_prices_free(all);
	dg_settle_prices_free(some);
}

/* Keeping some hours: the same prices for them, the same errors for the
 * file (an hour priced twice among the dropped ones, in order or not). */
START_TEST(prices_keep)
{
	char csv[65536];
	size_t k = 0;
	dg_time t0 = T("2017-07-01T00:00:00-04:00");
	dg_time a = t0 + 13 * 3600, b = t0 + 17 * 3600;

	k += (size_t)snprintf(csv, sizeof(csv),
	    "zone,time,price_usd_per_mwh\n");
	for (int z = 0; z < 2; z++)
		for (int h = 0; h < 48; h++) {
			char ts[DG_TIME_BUFSZ];

			dg_time_format(t0 + 3600 * h, ts, sizeof(ts));
			k += (size_t)snprintf(csv + k, sizeof(csv) - k,
			    "%s,%s,%d.%02d\n",
			    z ? "L" : "K", ts, 20 + h, h * 7 % 100);
		}
	keep_same(csv, a, b, DG_OK, 4);
	/* a dropped hour again at the end: priced twice */
	snprintf(csv + k, sizeof(csv) - k, "K,2017-07-02T03:00:00-04:00,9\n");
	keep_same(csv, a, b, DG_EDATA, 0);
	/* again, next to itself */
	snprintf(csv + k, sizeof(csv) - k, "L,2017-07-02T23:00:00-04:00,9\n");
	keep_same(csv, a, b, DG_EDATA, 0);
	/* intervals: halves of hours, out of order, some hours twice */
	keep_same("zone,time,duration_s,price_usd_per_mwh\n"
	    "K,2017-07-01T12:00:00-04:00,1800,10\n"
	    "K,2017-07-01T12:30:00-04:00,3600,20\n"
	    "K,2017-07-01T13:30:00-04:00,5400,30\n"
	    "K,2017-07-01T17:00:00-04:00,1800,40\n"
	    "K,2017-07-01T18:00:00-04:00,1800,50\n"
	    "K,2017-07-01T11:00:00-04:00,3600,60\n"
	    "K,2017-07-01T17:30:00-04:00,1800,70\n"
	    "K,2017-07-01T18:30:00-04:00,1800,80\n"
	    "K,2017-07-01T15:00:00-04:00,1800,90\n",
	    a, b, DG_OK, 3);
	keep_same("zone,time,duration_s,price_usd_per_mwh\n"
	    "K,2017-07-01T18:00:00-04:00,1800,50\n"
	    "K,2017-07-01T19:00:00-04:00,1800,50\n"
	    "K,2017-07-01T20:00:00-04:00,3600,50\n"
	    "K,2017-07-01T18:30:00-04:00,1800,80\n"
	    "K,2017-07-01T19:30:00-04:00,1800,80\n"
	    "K,2017-07-01T19:40:00-04:00,60,80\n",
	    a, b, DG_EDATA, 0);
	keep_same("zone,time,duration_s,price_usd_per_mwh\n"
	    "K,2017-07-01T18:00:00-04:00,1800,50\n"
	    "K,2017-07-01T19:00:00-04:00,1800,50\n"
	    "K,2017-07-01T20:00:00-04:00,3600,50\n"
	    "K,2017-07-01T18:30:00-04:00,1800,80\n"
	    "K,2017-07-01T19:30:00-04:00,1800,80\n",
	    a, b, DG_OK, 0);
}
END_TEST

START_TEST(shadow_bad)
{
	struct dg_settle_shadow *sh;
	struct dg_settle_shadow_hour h;
	struct dg_error err;

	ck_assert_int_eq(dg_settle_shadow_alloc(&sh, dec("55")), DG_OK);
	ck_assert_int_eq(dg_settle_shadow_add_month(sh, "2002-07", dec("1"),
	    dec("1"), dec("0"), dec("0"), &err), DG_OK);
	ck_assert_int_eq(dg_settle_shadow_add_month(sh, "2002-07", dec("1"),
	    dec("1"), dec("0"), dec("0"), &err), DG_EDATA);
	ck_assert_int_eq(dg_settle_shadow_add(sh,
	    T("2002-07-02T10:00:00-04:00"),
	    dec("1"), dec("1"), dec("1"), 0, dec("0"), dec("1"), dec("1"), &h,
	    &err), DG_EINVAL);
	dg_settle_shadow_free(sh);
}
END_TEST

/* --- Rules checked on the inputs, and pass-through ------------------------ */

/* The shipped rows' rule columns (testdata/settle/programs.csv): EDRP 2
 * hours' notice (report 2.1.1.4, line 477) and 100 kW in a zone (tariff
 * Attachment G); LIPA 4 hours and 50 kW (report 2.1.2, line 481); NYPA
 * passes on 90 % of EDRP's payment (NYPA's page). */
static const char *rules_csv =
"program,payer,basis,priority,from,to,measure,floor_usd_per_mwh,lbmp,strike,strike_cap_usd_per_mwh,min_hours,credit_usd_per_kw,months,hours,exclusive_group,passes,pass_pct,min_notice_h,min_zone_kw,min_kw\n"
"EDRP,NYISO,energy,1,2001-05-01,2003-04-30,cbl,500.00,rt,no,,4,,,,,,,2,100,\n"
"EDRP,NYISO,energy,1,2003-05-01,,cbl,,rt,yes,500.00,4,,,,,,,2,100,\n"
"DADRP,NYISO,dadrp,3,,,cbl,,,,,,,,,,,,,,\n"
"LIPA,LIPA,demand,4,,,cbl,,,,,,6.43,6-9,14-18,,,,4,,50\n"
"NYPA,NYPA,,5,,,,,,,,,,,,NYISO,EDRP,90,,,\n";

static void
fx_rules(struct fixture *f, struct dg_settle_checks *k)
{
	fx_init(f);
	dg_settle_programs_release(&f->ps);
	ck_assert_int_eq(dg_settle_programs_read(&f->ps,
	    tmpfile_with(rules_csv), &co, &f->err), DG_OK);
	memset(k, 0, sizeof(*k));
	f->s.checks = k;
}

/* NYPA's 90 %, each line rounded once, half away from zero, by hand:
 * 13:00 RT 412.35 < 500: 1.3 kW = 0.0013 MWh x 500 x 0.90 = 0.585 ->
 * 0.59; 15:00 RT 388.02 < 500: 1.01 kW: 0.00101 x 500 x 0.90 = 0.4545 ->
 * 0.45 (rounding 0.505 to 0.51 first would give 0.459 -> 0.46).  The
 * portfolio: 0.00231 MWh x 500 x 0.90 = 1.0395 -> 1.04. */
START_TEST(pass_through)
{
	struct dg_settle_checks k;
	struct dg_settle_row r[2];
	struct dg_settle_pf *pf;
	struct fixture f;
	struct got g;

	fx_rules(&f, &k);
	memset(&g, 0, sizeof(g));
	row(&r[0], "N1", "NYPA", "2002-08-14T13:00:00-04:00", "1.3");
	row(&r[1], "N1", "NYPA", "2002-08-14T15:00:00-04:00", "1.01");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect, &g,
	    "in", &f.err), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(g.price[0], "500.00");
	ck_assert_str_eq(g.pay[0], "0.59");
	ck_assert_str_eq(g.pay[1], "0.45");
	ck_assert_str_eq(g.note[1], "90 % passed on");
	ck_assert_int_eq(dg_settle_pf_alloc(&pf), DG_OK);
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2,
	    (dg_settle_emit_fn)dg_settle_pf_add, pf, "in", &f.err), DG_OK);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_pf_emit(pf, -1, collect, &g, &f.err),
	    DG_OK);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.pay[0], "1.04");
	dg_settle_pf_free(pf);
	/* from summer 2003 EDRP's terms want an offer, under NYPA's name */
	row(&r[0], "N2", "NYPA", "2003-08-15T13:00:00-04:00", "1.3");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg, "no strike offer for site S1 in program "
	    "NYPA at 2003-08-15T13:00:00-04:00");
	/* before EDRP's first row */
	row(&r[0], "N3", "NYPA", "2000-08-15T13:00:00-04:00", "1.3");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect, &g,
	    "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg, "program NYPA passes on EDRP, which has "
	    "no terms for this date at 2000-08-15T13:00:00-04:00");
	ck_assert_int_eq(dg_settle_amount(0, dec("100"), dec("0.00101"),
	    dec("500"), &f.s.par.dadrp_floor), DG_OK);
	ck_dec(f.s.par.dadrp_floor, "0.51");
	fx_release(&f);
}
END_TEST

START_TEST(pass_bad)
{
	static const char *const bad[][2] = {
		{ "X,X,,1,,EDRP,90,\n",
		    "program X passes on EDRP, which is not in the file" },
		{ "X,X,,1,,X,90,\n",
		    "program X passes on X, which is the program itself" },
		{ "Y,Y,energy,2,500,,,\nZ,Z,,3,,Y,,\nX,X,,1,,Z,90,\n",
		    "program X passes on Z, which passes another program on "
		    "itself" },
		{ "X,X,energy,1,,Y,90,\nY,Y,,2,,X,,\n",
		    "a row that passes on program Y takes its terms from it: "
		    "leave this empty" },
		{ "Y,Y,energy,2,500,,,\nX,X,,1,,Y,120,\n",
		    "pass_pct must be a per cent from 0 to 100: \"120\"" },
		{ "Y,Y,energy,2,500,,,49\n",
		    "min_notice_h must be hours from 0 to 48: \"49\"" },
	};
	const char *head = "program,payer,basis,priority,floor_usd_per_mwh,"
	    "passes,pass_pct,min_notice_h\n";

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct dg_settle_programs ps;
		struct dg_error err;
		char text[512];

		snprintf(text, sizeof(text), "%s%s", head, bad[i][0]);
		ck_assert_int_eq(dg_settle_programs_read(&ps,
		    tmpfile_with(text), &co, &err), DG_EDATA);
		ck_assert_str_eq(err.msg, bad[i][1]);
	}
}
END_TEST

static char qual[8][64];

static int
collect_q(void *arg, const struct dg_settle_line *l)
{
	struct got *g = arg;

	snprintf(qual[g->n % 8], 64, "%s", l->quality ? l->quality : "");
	return collect(arg, l);
}

/* EDRP's 2 hours' notice (report line 477): a call given at 11:30 for
 * 13:00 is short (1.5 h); one given "2" hours before is not.  LIPA's 4
 * hours (line 481). */
START_TEST(notice_short)
{
	struct dg_settle_checks k;
	struct dg_settle_row r[2];
	struct dg_events ev;
	struct fixture f;
	struct got g;
	long lead;

	fx_rules(&f, &k);
	ck_assert_int_eq(dg_events_read(&ev, tmpfile_with(
	    "event,program,date,start,end,notice\n"
	    "E1,EDRP,2002-08-14,13:00,15:00,2002-08-14T11:30:00-04:00\n"
	    "E2,EDRP,2002-08-14,13:00,15:00,2\n"
	    "L1,LIPA,2002-08-14,14:00,18:00,2002-08-14 10:00\n"
	    "L2,LIPA,2002-08-14,14:00,18:00,\n"), &co, &f.err), DG_OK);
	f.s.events = &ev;
	ck_assert_int_eq(dg_settle_notices_check(&ev, &f.err), DG_OK);
	ck_assert_int_eq(dg_settle_notice_lead(&ev, dg_events_find(&ev, "E1"),
	    &lead, &f.err), DG_OK);
	ck_assert_int_eq(lead, 5400);
	ck_assert_int_eq(dg_settle_notice_lead(&ev, dg_events_find(&ev, "L2"),
	    &lead, &f.err), DG_EOF);
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "200");
	row(&r[1], "E1", "EDRP", "2002-08-14T14:00:00-04:00", "200");
	r[0].quality = "short_window";
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "short_window;short_notice");
	ck_assert_str_eq(qual[1], "short_notice");
	ck_assert_str_eq(g.pay[0], "100.00");	/* money unchanged */
	ck_assert_int_eq(k.lines[DG_SF_SHORT_NOTICE], 2);
	row(&r[0], "E2", "EDRP", "2002-08-14T13:00:00-04:00", "200");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "");
	row(&r[0], "L1", "LIPA", "2002-08-14T14:00:00-04:00", "200");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "");	/* 4 hours: enough */
	k.strict = 1;
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "200");
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_EDATA);
	ck_assert_str_eq(f.err.msg, "site S1, call E1: short_notice (program "
	    "EDRP; --strict) at 2002-08-14T13:00:00-04:00");
	dg_events_release(&ev);
	ck_assert_int_eq(dg_events_read(&ev, tmpfile_with(
	    "event,program,date,start,end,notice\n"
	    "E1,EDRP,2002-08-14,13:00,15:00,soon\n"), &co, &f.err), DG_OK);
	ck_assert_int_eq(dg_settle_notices_check(&ev, &f.err), DG_EDATA);
	ck_assert_int_eq(f.err.line, 2);
	ck_assert_str_eq(f.err.column, "notice");
	dg_events_release(&ev);
	fx_release(&f);
}
END_TEST

/* EDRP's 100 kW in one zone: enrolled curtailable kW 60 + 30 = 90 is
 * below, 60 + 30 + 10 = 100 is not; a site of another zone or program
 * does not count. */
START_TEST(zone_minimum)
{
	struct dg_settle_checks k;
	struct dg_settle_row r[1];
	struct dg_sites ss;
	struct fixture f;
	struct got g;
	dg_dec kw;

	fx_rules(&f, &k);
	ck_assert_int_eq(dg_sites_read(&ss, tmpfile_with(
	    "site,zone,programs,curtailable_kw\n"
	    "S1,LONGIL,EDRP;LIPA,60\nS2,LONGIL,edrp,30\n"
	    "S4,N.Y.C.,EDRP,500\nS5,LONGIL,LIPA,500\n"), &co, &f.err),
	    DG_OK);
	f.s.sites = &ss;
	ck_assert_uint_eq(dg_settle_zone_kw(&ss, "EDRP", "LONGIL", &kw), 2);
	ck_dec(kw, "90");
	row(&r[0], "E1", "EDRP", "2002-08-14T13:00:00-04:00", "60");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "zone_below_min");
	ck_assert_str_eq(g.pay[0], "30.00");
	dg_sites_release(&ss);
	ck_assert_int_eq(dg_sites_read(&ss, tmpfile_with(
	    "site,zone,programs,curtailable_kw\n"
	    "S1,LONGIL,EDRP;LIPA,60\nS2,LONGIL,edrp,30\n"
	    "S3,LONGIL,EDRP,10\n"), &co, &f.err), DG_OK);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "");
	ck_assert_int_eq(k.lines[DG_SF_ZONE_MIN], 1);
	dg_sites_release(&ss);
	fx_release(&f);
}
END_TEST

/* LIPA's 50 kW threshold (report line 481): a mean of (40 + 59.998) / 2
 * = 49.999 kW is below: flagged, credit 49.999 x 6.43 = 321.49357 ->
 * 321.49, or 0.00 with forfeit; a mean of 50.000 is not below. */
START_TEST(credit_min_kw)
{
	struct dg_settle_checks k;
	struct dg_settle_row r[2];
	struct fixture f;
	struct got g;

	fx_rules(&f, &k);
	row(&r[0], "L", "LIPA", "2002-08-14T14:00:00-04:00", "40");
	row(&r[1], "L", "LIPA", "2002-08-14T15:00:00-04:00", "59.998");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(g.kind[2], "credit");
	ck_assert_str_eq(g.pay[2], "321.49");
	ck_assert_str_eq(qual[2], "below_min_kw");
	ck_assert_str_eq(qual[0], "");	/* the hours are not below */
	f.s.par.min_kw_forfeit = 1;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(g.pay[2], "0.00");
	ck_assert_str_eq(g.note[2], "mean of 2 hours; below the program's "
	    "minimum kW: forfeited");
	row(&r[1], "L", "LIPA", "2002-08-14T15:00:00-04:00", "60");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 2, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(g.pay[2], "321.50");	/* 50.000 x 6.43 */
	ck_assert_str_eq(qual[2], "");
	ck_assert_int_eq(k.lines[DG_SF_MIN_KW], 2);
	fx_release(&f);
}
END_TEST

/* DADRP's $75/MWh bid floor [R]: an offer of 74.99 is flagged, 75.00 is
 * not; the schedule is paid as before (1 MWh x DA 85.37 = 85.37). */
START_TEST(dadrp_floor)
{
	struct dg_settle_checks k;
	struct dg_settle_table offers;
	struct dg_settle_row r[1];
	struct fixture f;
	struct got g;

	fx_rules(&f, &k);
	ck_assert_int_eq(dg_settle_offers_read(&offers, tmpfile_with(
	    "site,program,strike_usd_per_mwh\nS1,DADRP,74.99\n"
	    "S2,DADRP,75.00\n"), &co, &f.err), DG_OK);
	f.s.offers = &offers;
	row(&r[0], "D1", "DADRP", "2002-08-14T16:00:00-04:00", "1000");
	r[0].has_sched = 1;
	r[0].scheduled_kw = dec("1000");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(g.kind[0], "da");
	ck_assert_str_eq(g.pay[0], "85.37");
	ck_assert_str_eq(qual[0], "below_bid_floor");
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S2", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "");
	f.s.par.has_dadrp_floor = 0;
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_site(&f.s, "S1", "LONGIL", r, 1, collect_q,
	    &g, "in", &f.err), DG_OK);
	ck_assert_str_eq(qual[0], "");
	dg_settle_table_release(&offers);
	fx_release(&f);
}
END_TEST

static int
collect_offered(void *arg, const struct dg_settle_offered_hour *h)
{
	struct got *g = arg;

	snprintf(g->note[g->n], 64, "%s %s %ld", h->event, h->zone, h->sites);
	dg_dec_format(h->kw, g->pay[g->n], 32);
	g->n++;
	return DG_OK;
}

/* DADRP's 1 MW minimum offer [R], per call, zone and hour over the run:
 * 600 + 300 = 900 kW at 16:00 is below, 600 + 400 = 1000 at 17:00 is
 * not, an hour scheduled at 0 is no offer; EDRP rows do not count. */
START_TEST(dadrp_min_offer)
{
	struct dg_settle_checks k;
	struct dg_settle_offered *o;
	struct dg_settle_row r[3];
	struct fixture f;
	struct got g;

	fx_rules(&f, &k);
	ck_assert_int_eq(dg_settle_offered_alloc(&o), DG_OK);
	row(&r[0], "D1", "DADRP", "2002-08-14T16:00:00-04:00", "0");
	row(&r[1], "D1", "DADRP", "2002-08-14T17:00:00-04:00", "0");
	row(&r[2], "D1", "DADRP", "2002-08-14T18:00:00-04:00", "0");
	r[0].has_sched = r[1].has_sched = r[2].has_sched = 1;
	r[0].scheduled_kw = dec("600");
	r[1].scheduled_kw = dec("600");
	r[2].scheduled_kw = dec("0");
	ck_assert_int_eq(dg_settle_offered_add(o, &f.s, "LONGIL", r, 3),
	    DG_OK);
	r[0].scheduled_kw = dec("300");
	r[1].scheduled_kw = dec("400");
	ck_assert_int_eq(dg_settle_offered_add(o, &f.s, "LONGIL", r, 2),
	    DG_OK);
	row(&r[0], "E1", "EDRP", "2002-08-14T16:00:00-04:00", "5");
	r[0].has_sched = 1;
	r[0].scheduled_kw = dec("5");
	ck_assert_int_eq(dg_settle_offered_add(o, &f.s, "LONGIL", r, 1),
	    DG_OK);
	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(dg_settle_offered_check(o, dec("1000"),
	    collect_offered, &g), DG_OK);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(g.note[0], "D1 LONGIL 2");
	ck_assert_str_eq(g.pay[0], "900");
	dg_settle_offered_free(o);
	fx_release(&f);
}
END_TEST

static Suite *
settle_suite(void)
{
	Suite *s = suite_create("settle");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(lim, setup, teardown);
	tcase_add_test(core, time_weight_irregular);
	tcase_add_test(core, time_weight_straddle);
	tcase_add_test(core, prices_native_fallback);
	tcase_add_test(core, prices_native_trimmed);
	tcase_add_test(core, edrp_floor);
	tcase_add_test(core, edrp_strike);
	tcase_add_test(core, edrp_min_hours);
	tcase_add_test(core, scr_apmd);
	tcase_add_test(core, scr_cbl_2003);
	tcase_add_test(core, dadrp);
	tcase_add_test(core, lipa_credit);
	tcase_add_test(core, one_payer);
	tcase_add_test(core, one_payer_same_program);
	tcase_add_test(core, one_payer_outside_call);
	tcase_add_test(core, negative_hours);
	tcase_add_test(core, not_measured);
	tcase_add_test(core, fallback_event);
	tcase_add_test(core, portfolio_round);
	tcase_add_test(core, statement_sums);
	tcase_add_test(core, shadow_table13);
	tcase_add_test(core, shadow_hour);
	tcase_add_test(core, perf_table);
	tcase_add_test(core, sha256_abc);
	tcase_add_test(lim, missing_price);
	tcase_add_test(lim, time_weight_gap);
	tcase_add_test(core, input_sites);
	tcase_add_test(lim, names_check);
	tcase_add_test(core, delta_rows);
	tcase_add_test(core, summary_lines);
	tcase_add_test(lim, programs_bad);
	tcase_add_test(lim, rows_bad);
	tcase_add_test(lim, tables_bad);
	tcase_add_test(lim, prices_bad);
	tcase_add_test(lim, events_sites);
	tcase_add_test(lim, prices_keep);
	tcase_add_test(lim, shadow_bad);
	tcase_add_test(core, pass_through);
	tcase_add_test(lim, pass_bad);
	tcase_add_test(core, notice_short);
	tcase_add_test(core, zone_minimum);
	tcase_add_test(core, credit_min_kw);
	tcase_add_test(core, dadrp_floor);
	tcase_add_test(core, dadrp_min_offer);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(settle_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
