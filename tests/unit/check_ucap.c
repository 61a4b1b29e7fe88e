/* check_ucap.c: unit tests of lib/dg_ucap (ICAP, availability, UCAP). */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_dec.h"
#include "dg_ucap.h"

static struct dg_ucap_params par;
static struct dg_ucap_site site;
static struct dg_ucap_result res;
static struct dg_error err;

static void
ck_q(dg_rat q, int scale, int mode, const char *want)
{
	dg_dec d;
	char buf[DG_DEC_BUFSZ];

	ck_assert_int_eq(dg_rat_to_dec(q, scale, mode, &d), DG_OK);
	dg_dec_format(d, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

static void
setup(void)
{
	dg_ucap_params_init(&par);
	dg_ucap_site_init(&site);
	dg_error_clear(&err);
}

static void
teardown(void)
{
	dg_ucap_site_release(&site);
}

/* --- core --------------------------------------------------------------- */

/* Report 6.1.1.1, seed lines 1756-1760: a 200 kW ICAP called for 4 hours
 * delivers 200, 200, 200 and 150 kW: hourly 1, 1, 1, 0.75; the month's
 * availability ("EFORd") 0.9375 (printed 0.938); UCAP 200 x 0.9375 =
 * 187.5 kW. */
START_TEST(report_200kw_four_hours)
{
	static const char *const kw[] = { "200", "200", "200", "150" };

	par.apmd_measure = 0;
	site.fixed = 1;
	site.icap_kw = dec("200");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(dg_ucap_site_hour(&site,
		    dg_ucap_month(2003, 8), dec(kw[i])), DG_OK);
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2003, 9),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.hours, 4);
	ck_q(res.avail, 4, DG_RAT_ROUND, "0.9375");
	ck_q(res.avail, 3, DG_RAT_ROUND, "0.938");
	ck_q(res.ucap, 1, DG_RAT_ROUND, "187.5");
	ck_assert_uint_eq(res.quality, 0);
	/* the month of the hours itself is not in its own window */
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2003, 8),
	    &res, &err), DG_OK);
	ck_assert_uint_eq(res.quality, DG_UCAP_Q_NO_HOURS);
	ck_q(res.ucap, 1, DG_RAT_ROUND, "200.0");
	/* nor after 12 months: Aug 2003 is out of the window of Sep 2004 */
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2004, 9),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.hours, 0);
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2004, 8),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.hours, 4);
	/* a transmission loss factor of 0.05: 187.5 x 1.05 = 196.875 */
	par.tlf = dec("0.05");
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2003, 9),
	    &res, &err), DG_OK);
	ck_q(res.ucap, 3, DG_RAT_ROUND, "196.875");
}
END_TEST

/* Report 6.2.4, seed line 1908: 1 MW sold, run at that value for half the
 * hours called: UCAP 500 kW; a surplus (1,237.5 kW) does not offset a
 * deficient hour. */
START_TEST(report_1mw_half_the_hours)
{
	static const char *const kw[] = { "1000", "0", "1237.5", "-12.5" };

	par.apmd_measure = 0;
	site.fixed = 1;
	site.icap_kw = dec("1000");
	for (int i = 0; i < 4; i++)
		dg_ucap_site_hour(&site, dg_ucap_month(2002, 7), dec(kw[i]));
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2002, 10),
	    &res, &err), DG_OK);
	ck_q(res.avail, 6, DG_RAT_ROUND, "0.500000");
	ck_q(res.ucap, 3, DG_RAT_ROUND, "500.000");
}
END_TEST

struct t17 {
	const char *scr, *icap_mw, *avail_pct, *ucap_mw;
	int line;
};

/* Report Table 17 (seed lines 1955-1970, transcribed in
 * testdata/report/table17_generator_reliability.csv): UCAP = ICAP x
 * availability, printed truncated to 0.1 MW. */
static const struct t17 table17[] = {
	{ "315", "0.3", "100", "0.3", 1955 },
	{ "325", "0.2", "100", "0.2", 1956 },
	{ "501", "0.8", "100", "0.8", 1957 },
	{ "503", "2.2", "96", "2.1", 1958 },
	{ "504", "5.4", "93", "5", 1959 },
	{ "505", "0.4", "100", "0.4", 1960 },
	{ "507", "0.8", "100", "0.8", 1961 },
	{ "508", "0.6", "100", "0.6", 1962 },
	{ "509", "0.8", "100", "0.8", 1963 },
	{ "510", "1.3", "98", "1.2", 1964 },
	{ "511", "1.2", "29", "0.3", 1965 },
	{ "513", "3", "100", "3", 1966 },
	{ "515", "0.4", "100", "0.4", 1967 },
	{ "516", "0.5", "100", "0.5", 1968 },
	{ "519", "0.3", "100", "0.3", 1969 },
	{ "523", "0.5", "100", "0.5", 1970 },
	{ "526", "0.7", "100", "0.7", 1955 },
	{ "530", "2.2", "100", "2.2", 1956 },
	{ "537", "0.5", "100", "0.5", 1957 },
	{ "539", "0.3", "100", "0.3", 1958 },
	{ "545", "0.9", "100", "0.9", 1959 },
	{ "553", "0.3", "100", "0.3", 1960 },
	{ "557", "0.3", "100", "0.3", 1961 },
	{ "566", "1.5", "100", "1.5", 1962 },
	{ "567", "0.4", "100", "0.4", 1963 },
	{ "568", "0.2", "100", "0.2", 1964 },
	{ "569", "0.726", "100", "0.7", 1965 },
	{ "570", "1.365", "100", "1.3", 1966 },
	{ "571", "1.485", "100", "1.4", 1967 },
	{ "572", "0.284", "100", "0.2", 1968 },
	{ "573", "0.309", "100", "0.3", 1969 },
	{ "9117", "0.228", "100", "0.2", 1970 },
};

START_TEST(report_table17_rows)
{
	dg_rat sum_icap = dg_rat_int(0);
	dg_dec total = dg_dec_make(0, 1);
	char buf[DG_DEC_BUFSZ];

	for (size_t i = 0; i < sizeof(table17) / sizeof(table17[0]); i++) {
		const struct t17 *t = &table17[i];
		dg_rat icap = dg_rat_dec(dec(t->icap_mw)), av, u;
		dg_dec d, want = dec(t->ucap_mw);

		ck_assert_int_eq(dg_rat_div(dg_rat_dec(dec(t->avail_pct)),
		    dg_rat_int(100), &av), DG_OK);
		ck_assert_int_eq(dg_rat_mul(icap, av, &u), DG_OK);
		ck_assert_int_eq(dg_rat_to_dec(u, 1, DG_RAT_TRUNC, &d), DG_OK);
		ck_assert_msg(dg_dec_cmp(d, want) == 0, "SCR %s (line %d)",
		    t->scr, t->line);
		ck_assert_int_eq(dg_dec_add(total, d, &total), DG_OK);
		ck_assert_int_eq(dg_rat_add(sum_icap, icap, &sum_icap), DG_OK);
	}
	/* line 1858: "total registered ICAP was 30.4 MW; the total UCAP ...
	 * 28.6 MW": the sum of the printed UCAP lines; ICAP 30.397 */
	dg_dec_format(total, buf, sizeof(buf));
	ck_assert_str_eq(buf, "28.6");
	ck_q(sum_icap, 3, DG_RAT_ROUND, "30.397");
	/* rounding instead of truncating would print SCR 510 as 1.3 */
	{
		dg_rat u = dg_rat_dec(dec("1.274"));

		ck_q(u, 1, DG_RAT_ROUND, "1.3");
		ck_q(u, 1, DG_RAT_TRUNC, "1.2");
	}
}
END_TEST

/* hand-computed: APMD of summer 2017 from the peaks of summer 2016, months
 * 6-9: (522.25 + 600.0 + 655.75 + 580.5) / 4 = 589.625; CMD 40.125: ICAP
 * 549.5. */
START_TEST(apmd_icap_delivered)
{
	static const char *const pk[] =
	    { "410.5", "522.25", "600.0", "655.75", "580.5", "430.0" };

	for (int m = 0; m < 6; m++) {
		ck_assert_int_eq(dg_ucap_site_load(&site,
		    dg_ucap_month(2016, 5 + m), dec(pk[m])), DG_OK);
		ck_assert_int_eq(dg_ucap_site_load(&site,
		    dg_ucap_month(2016, 5 + m), dec("100.0")), DG_OK);
	}
	site.cmd = dec("40.125");
	ck_assert_int_eq(dg_ucap_months_parse("6,7,8,9", &par.apmd_months),
	    DG_OK);
	/* an event hour of July 2017 at 100.625 kW: delivered 589.625 -
	 * 100.625 = 489.0 of 549.5 nominated; UCAP(Aug) = 549.5 x 489 /
	 * 549.5 = 489.0 */
	ck_assert_int_eq(dg_ucap_site_hour(&site, dg_ucap_month(2017, 7),
	    dec("100.625")), DG_OK);
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2017, 8),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.have_apmd, 1);
	ck_q(res.apmd, 3, DG_RAT_ROUND, "589.625");
	ck_q(res.icap, 3, DG_RAT_ROUND, "549.500");
	ck_q(res.ucap, 3, DG_RAT_ROUND, "489.000");
	ck_q(res.avail, 6, DG_RAT_ROUND, "0.889900");
	/* all six months: 3199.0 / 6 = 533.1666...; ICAP 493.041666... */
	par.apmd_months = 0xfff;
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2017, 8),
	    &res, &err), DG_OK);
	ck_q(res.apmd, 4, DG_RAT_ROUND, "533.1667");
	ck_q(res.icap, 4, DG_RAT_ROUND, "493.0417");
	/* winter 2017-2018 has no winter 2016-2017 peaks */
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2017, 12),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.have_icap, 0);
	ck_assert(res.quality & DG_UCAP_Q_NO_APMD);
	/* APMD below CMD: ICAP 0, flagged */
	site.cmd = dec("600");
	par.apmd_months = 1u << 4;	/* May only: 410.5 */
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2017, 8),
	    &res, &err), DG_OK);
	ck_assert(res.quality & DG_UCAP_Q_NEG_ICAP);
	ck_q(res.ucap, 3, DG_RAT_ROUND, "0.000");
}
END_TEST

START_TEST(rationals)
{
	dg_rat a = dg_rat_dec(dec("2.385")), b = dg_rat_int(3), c;

	ck_assert_int_eq(dg_rat_div(a, b, &c), DG_OK);
	ck_q(c, 3, DG_RAT_ROUND, "0.795");
	ck_assert_int_eq(dg_rat_div(dg_rat_int(1), b, &c), DG_OK);
	ck_assert_int_eq(dg_rat_mul(c, b, &c), DG_OK);
	ck_q(c, 1, DG_RAT_TRUNC, "1.0");	/* exact: 1/3 x 3 = 1 */
	ck_assert_int_eq(dg_rat_div(dg_rat_int(-5), dg_rat_int(2), &c), DG_OK);
	ck_q(c, 0, DG_RAT_ROUND, "-3");	/* half away from zero */
	ck_q(c, 0, DG_RAT_TRUNC, "-2");
	ck_assert_int_eq(dg_rat_cmp(dg_rat_dec(dec("0.75")), dg_rat_int(1)),
	    -1);
}
END_TEST

/* A site of ICAP icap_kw whose hours delivered kw[0..n) (reduction
 * measure), computed for the month after them. */
static void
site_result(const char *icap_kw, const char *const *kw, int n)
{
	dg_ucap_site_clear(&site);
	par.apmd_measure = 0;
	site.fixed = 1;
	site.icap_kw = dec(icap_kw);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(dg_ucap_site_hour(&site,
		    dg_ucap_month(2003, 8), dec(kw[i])), DG_OK);
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2003, 9),
	    &res, &err), DG_OK);
}

/* The printed figures of a site-month and the shortfall.  Report Table 17,
 * SCR 510 (seed line 1964): ICAP 1.3 MW, availability 98 %: UCAP 1,274 kW,
 * printed 1.2 MW (truncated).  Report lines 1456 and 1762
 * (doc/market-rules.md, ICAP and UCAP of special case resources): 1.5 MW
 * sold, derated to 1.2 MW: 300 kW to buy. */
START_TEST(printed_line_and_shortfall)
{
	static const char *const scr510[] = { "1300", "1300", "1300", "1196" };
	static const char *const derated[] =
	    { "1500", "1500", "1500", "1500", "0" };
	struct dg_ucap_line l;
	dg_dec sf;

	site_result("1300", scr510, 4);
	ck_assert_int_eq(dg_ucap_line(&res, 0, &l), DG_OK);
	ck_assert_int_eq(l.have_icap, 1);
	ck_assert_int_eq(l.have_apmd, 0);
	ck_dec(l.icap, "1300.000");
	ck_dec(l.avail, "0.980000");
	ck_dec(l.ucap_kw, "1274.000");
	ck_dec(l.ucap_mw, "1.2");
	ck_assert_int_eq(dg_ucap_line(&res, 1, &l), DG_OK);
	ck_dec(l.ucap_mw, "1.274000");
	site_result("1500", derated, 5);	/* 4 / 5 = 0.8: 1,200 kW */
	ck_assert_int_eq(dg_ucap_shortfall(&res, dec("1500"), &sf), DG_OK);
	ck_dec(sf, "300.000");
	ck_assert_int_eq(dg_ucap_shortfall(&res, dec("1000"), &sf), DG_OK);
	ck_dec(sf, "0.000");	/* sold below the UCAP: nothing to buy */
	ck_assert_int_eq(dg_ucap_shortfall(&res, dec("1200.0004"), &sf), DG_OK);
	ck_dec(sf, "0.000");
}
END_TEST

/* The month's total adds the printed lines: Table 17's SCR 510 and 511
 * (1,274 kW printed 1.2 MW; 1,200 kW at 29 %: 348 kW, 0.3 MW); its
 * availability weighs the sites' by their ICAP. */
START_TEST(total_of_printed_lines)
{
	static const char *const scr511[] = { "1500", "192", "0", "0" };
	static const char *const scr510[] = { "1300", "1300", "1300", "1196" };
	struct dg_ucap_total t;
	struct dg_ucap_line l;
	dg_dec a;
	int have;

	dg_ucap_total_init(&t, 0);
	ck_assert_int_eq(dg_ucap_total_avail(&t, &have, &a), DG_OK);
	ck_assert_int_eq(have, 0);
	site_result("1300", scr510, 4);
	ck_assert_int_eq(dg_ucap_line(&res, 0, &l), DG_OK);
	ck_assert_int_eq(dg_ucap_total_add(&t, &res, &l), DG_OK);
	site_result("1200", scr511, 4);
	ck_assert_int_eq(dg_ucap_line(&res, 0, &l), DG_OK);
	ck_dec(l.ucap_kw, "348.000");
	ck_dec(l.ucap_mw, "0.3");
	ck_assert_int_eq(dg_ucap_total_add(&t, &res, &l), DG_OK);
	ck_assert_int_eq(t.hours, 8);
	ck_dec(t.icap, "2500.000");
	ck_dec(t.ucap_kw, "1622.000");
	ck_dec(t.ucap_mw, "1.5");
	ck_assert_int_eq(dg_ucap_total_avail(&t, &have, &a), DG_OK);
	ck_assert_int_eq(have, 1);
	/* ICAP-weighted: (1300 x 0.98 + 1200 x 0.29) / 2500 = 0.6488, not the
	 * printed 1.5 MW / 2.5 MW = 0.6 */
	ck_dec(a, "0.648800");
	ck_assert_int_eq(dg_ucap_total_add_sold(&t, dec("1300"), dec("26.000")),
	    DG_OK);
	ck_assert_int_eq(t.have_sold, 1);
	ck_dec(t.sold, "1300.000");
}
END_TEST

/* Report 6.1.1.1 (seed line 1756): the 200 kW site alone, 0.9375; its
 * portfolio has the same availability, whatever the UCAP truncated to
 * 0.1 MW (0.1 / 0.2 = 0.5 is not an availability). */
START_TEST(total_200kw)
{
	static const char *const kw[] = { "200", "200", "200", "150" };
	struct dg_ucap_total t;
	struct dg_ucap_line l;
	dg_dec a;
	int have;

	site_result("200", kw, 4);
	ck_assert_int_eq(dg_ucap_line(&res, 0, &l), DG_OK);
	ck_dec(l.ucap_mw, "0.1");
	dg_ucap_total_init(&t, 0);
	ck_assert_int_eq(dg_ucap_total_add(&t, &res, &l), DG_OK);
	ck_assert_int_eq(dg_ucap_total_avail(&t, &have, &a), DG_OK);
	ck_dec(a, "0.937500");
	ck_dec(t.ucap_mw, "0.1");
}
END_TEST

/* Capacity programs: SCR (and tests) count, EDRP does not; a site counts
 * when enrolled in one (sites.csv programs), every site without that
 * column. */
START_TEST(capacity_programs)
{
	char path[] = "/tmp/check_ucap_sitesXXXXXX";
	struct dg_csv_opts o;
	struct dg_sites ss;
	struct dg_event e;
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	fputs("site,programs\nLI01,SCR;EDRP;LIPA\nLI05,EDRP\nLI09, scr \n", fp);
	fclose(fp);
	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_sites_read(&ss, path, &o, &err), DG_OK);
	unlink(path);
	ck_assert_int_eq(dg_ucap_capacity_program("SCR", "SCR"), 1);
	ck_assert_int_eq(dg_ucap_capacity_program("SCR", "scr"), 1);
	ck_assert_int_eq(dg_ucap_capacity_program("SCR", "EDRP"), 0);
	ck_assert_int_eq(dg_ucap_capacity_program("SCR,TEST", "TEST"), 1);
	ck_assert_int_eq(dg_ucap_capacity_program("SCR,TEST", "SC"), 0);
	ck_assert_int_eq(dg_ucap_programs_check("SCR,TEST"), DG_OK);
	ck_assert_int_eq(dg_ucap_programs_check("SCR,"), DG_EINVAL);
	ck_assert_int_eq(dg_ucap_programs_check(""), DG_EINVAL);
	ck_assert_int_eq(dg_ucap_site_counts(&ss, dg_sites_find(&ss, "LI01"),
	    "SCR"), 1);
	ck_assert_int_eq(dg_ucap_site_counts(&ss, dg_sites_find(&ss, "LI05"),
	    "SCR"), 0);
	ck_assert_int_eq(dg_ucap_site_counts(&ss, dg_sites_find(&ss, "LI09"),
	    "SCR"), 1);
	ck_assert_int_eq(dg_ucap_site_counts(&ss, dg_sites_find(&ss, "LI05"),
	    "SCR,EDRP"), 1);
	memset(&e, 0, sizeof(e));
	e.program = (char[]){ "SCR" };
	ck_assert_int_eq(dg_ucap_event_counts(&ss, dg_sites_find(&ss, "LI01"),
	    &e, "SCR"), 1);
	e.program = (char[]){ "LIPA" };	/* enrolled, but not capacity */
	ck_assert_int_eq(dg_ucap_event_counts(&ss, dg_sites_find(&ss, "LI01"),
	    &e, "SCR"), 0);
	e.program = (char[]){ "TEST" };	/* a test not in LI01's programs */
	ck_assert_int_eq(dg_ucap_event_counts(&ss, dg_sites_find(&ss, "LI01"),
	    &e, "SCR,TEST"), 0);
	e.site = (char[]){ "LI01" };	/* ... unless it names the site */
	ck_assert_int_eq(dg_ucap_event_counts(&ss, dg_sites_find(&ss, "LI01"),
	    &e, "SCR,TEST"), 1);
	ck_assert_int_eq(dg_ucap_event_counts(&ss, dg_sites_find(&ss, "LI09"),
	    &e, "SCR,TEST"), 0);
	ss.have &= ~(unsigned)DG_SITE_PROGRAMS;	/* no enrolment known */
	ck_assert_int_eq(dg_ucap_site_counts(&ss, dg_sites_find(&ss, "LI05"),
	    "SCR"), 1);
	dg_sites_release(&ss);
}
END_TEST

/* --- limits --------------------------------------------------------------- */

START_TEST(bad_inputs)
{
	dg_rat big = { (__int128)1 << 100, 1 }, c;
	unsigned m;

	ck_assert_int_eq(dg_rat_mul(big, big, &c), DG_ERANGE);
	ck_assert_int_eq(dg_rat_div(big, dg_rat_int(0), &c), DG_ERANGE);
	ck_assert_int_eq(dg_ucap_months_parse("5,13", &m), DG_EINVAL);
	ck_assert_int_eq(dg_ucap_months_parse("5,", &m), DG_EINVAL);
	ck_assert_int_eq(dg_ucap_months_parse("", &m), DG_EINVAL);
	ck_assert_int_eq(dg_ucap_months_parse("x", &m), DG_EINVAL);
	ck_assert_int_eq(dg_ucap_months_parse("5,10,11", &m), DG_OK);
	ck_assert_uint_eq(m, (1u << 4) | (1u << 9) | (1u << 10));
	par.window_months = 0;
	ck_assert_int_eq(dg_ucap_params_check(&par, &err), DG_EINVAL);
	dg_ucap_params_init(&par);
	par.tlf = dec("-0.01");
	ck_assert_int_eq(dg_ucap_params_check(&par, &err), DG_EINVAL);
	ck_assert_str_eq(err.msg, "loss factor must be 0 to 1");
	dg_ucap_params_init(&par);
	par.empty_avail = dec("1.5");
	ck_assert_int_eq(dg_ucap_params_check(&par, &err), DG_EINVAL);
	ck_assert_int_eq(dg_rat_to_dec(big, 18, DG_RAT_ROUND,
	    &(dg_dec){ 0, 0 }), DG_ERANGE);
}
END_TEST

/* an hour whose period has no ICAP (no APMD) is not counted, flagged */
START_TEST(hour_without_icap)
{
	dg_ucap_site_load(&site, dg_ucap_month(2016, 7), dec("500"));
	ck_assert_int_eq(dg_ucap_months_parse("7", &par.apmd_months), DG_OK);
	dg_ucap_site_hour(&site, dg_ucap_month(2017, 7), dec("100"));	/* ok */
	/* winter */
	dg_ucap_site_hour(&site, dg_ucap_month(2017, 3), dec("100"));
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2017, 9),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.hours, 1);
	ck_assert(res.quality & DG_UCAP_Q_HOUR_NO_ICAP);
	ck_q(res.avail, 2, DG_RAT_ROUND, "0.80");
	/* an hour without data counts as 0: (0.8 + 0) / 2 */
	ck_assert_int_eq(dg_ucap_site_hour_missing(&site,
	    dg_ucap_month(2017, 8)), DG_OK);
	ck_assert_int_eq(dg_ucap_compute(&par, &site, dg_ucap_month(2017, 9),
	    &res, &err), DG_OK);
	ck_assert_int_eq(res.hours, 2);
	ck_assert(res.quality & DG_UCAP_Q_MISSING_HOUR);
	ck_q(res.avail, 2, DG_RAT_ROUND, "0.40");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ucap");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_add_test(core, report_200kw_four_hours);
	tcase_add_test(core, report_1mw_half_the_hours);
	tcase_add_test(core, report_table17_rows);
	tcase_add_test(core, apmd_icap_delivered);
	tcase_add_test(core, rationals);
	tcase_add_test(core, printed_line_and_shortfall);
	tcase_add_test(core, total_of_printed_lines);
	tcase_add_test(core, total_200kw);
	tcase_add_test(core, capacity_programs);
	tcase_add_test(limits, bad_inputs);
	tcase_add_test(limits, hour_without_icap);
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
