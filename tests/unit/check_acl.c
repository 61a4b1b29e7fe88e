/* check_acl.c: unit tests of lib/dg_acl (the zone's peak hours and the
 * Average Coincident Load) and of dg_ucap_project (a planned test). */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ck_dec.h"
#include "dg_acl.h"
#include "dg_ucap.h"

static struct dg_acl_params par;
static struct dg_acl_zones zs;
static struct dg_error err;

static void
setup(void)
{
	dg_tz_set("America/New_York");
	dg_acl_params_init(&par);
	dg_acl_zones_init(&zs);
	dg_error_clear(&err);
}

static void
teardown(void)
{
	dg_acl_zones_release(&zs);
}

static dg_time
at(int y, int m, int d, int h)
{
	dg_time t;

	ck_assert_int_eq(dg_time_from_local(y, m, d, h, 0, 0, &t), DG_OK);
	return t;
}

static void
add(const char *zone, dg_time t, const char *mw)
{
	ck_assert_int_eq(dg_acl_zones_add(&zs, zone, t, dec(mw), 0), DG_OK);
}

/* The hours beginning counted: 13-18 for the periods before Summer 2014,
 * 11-19 from it (doc/market-rules.md), or those of the option. */
START_TEST(hour_range_by_period)
{
	int lo, hi;

	dg_acl_hour_range(&par, dg_ucap_month(2013, 11), &lo, &hi);
	ck_assert_int_eq(lo, 13);
	ck_assert_int_eq(hi, 18);
	dg_acl_hour_range(&par, dg_ucap_month(2014, 5), &lo, &hi);
	ck_assert_int_eq(lo, 11);
	ck_assert_int_eq(hi, 19);
	par.hb_lo = 12;
	par.hb_hi = 17;
	dg_acl_hour_range(&par, dg_ucap_month(2014, 5), &lo, &hi);
	ck_assert_int_eq(lo, 12);
	ck_assert_int_eq(hi, 17);
}
END_TEST

/* Hand-made summer 2016 of one zone: the top 3 of hours beginning 11-19,
 * an equal load ranked by time, hours outside 11-19 and outside the
 * period not counted, the weekend left out with --acl-weekdays. */
START_TEST(top_hours_ties_and_window)
{
	struct dg_acl_peaks pk;
	const struct dg_acl_zone *z;

	for (int mon = 5; mon <= 10; mon++)
		add("K", at(2016, mon, 2, 12), "100");
	add("K", at(2016, 7, 5, 20), "900");	/* HB 20: not counted */
	add("K", at(2016, 7, 5, 10), "900");	/* HB 10: not counted */
	add("K", at(2016, 11, 1, 15), "900");	/* winter */
	add("K", at(2016, 7, 6, 15), "500");	/* Wednesday */
	add("K", at(2016, 7, 9, 15), "400");	/* Saturday */
	add("K", at(2016, 7, 7, 19), "300");	/* tie, later */
	add("K", at(2016, 7, 7, 11), "300");	/* tie, earlier */
	ck_assert_int_eq(dg_acl_zones_finish(&zs, DG_ACL_DUP_FIRST, &err),
	    DG_OK);
	z = dg_acl_zones_find(&zs, "K");
	ck_assert_ptr_nonnull(z);
	par.top = 3;
	ck_assert_int_eq(dg_acl_peaks(&par, z, dg_ucap_month(2017, 5), &pk,
	    &err), DG_OK);
	ck_assert_int_eq(pk.prior, dg_ucap_month(2016, 5));
	ck_assert_uint_eq(pk.n, 3);
	ck_assert(pk.t[0] == at(2016, 7, 6, 15));
	ck_assert(pk.t[1] == at(2016, 7, 9, 15));
	ck_assert(pk.t[2] == at(2016, 7, 7, 11));
	par.weekdays = 1;
	ck_assert_int_eq(dg_acl_peaks(&par, z, dg_ucap_month(2017, 5), &pk,
	    &err), DG_OK);
	ck_assert(pk.t[1] == at(2016, 7, 7, 11));
	ck_assert(pk.t[2] == at(2016, 7, 7, 19));
}
END_TEST

/* A month of the prior period without load: an error, or with
 * --acl-partial the hours given and the months missing named. */
START_TEST(months_missing)
{
	struct dg_acl_peaks pk;
	char buf[160];

	add("K", at(2016, 7, 6, 15), "500");
	add("K", at(2016, 8, 3, 15), "400");
	ck_assert_int_eq(dg_acl_zones_finish(&zs, DG_ACL_DUP_FIRST, &err),
	    DG_OK);
	ck_assert_int_eq(dg_acl_peaks(&par, &zs.v[0], dg_ucap_month(2017, 6),
	    &pk, &err), DG_EDATA);
	ck_assert_msg(strstr(err.msg, "May 2016, June 2016") != NULL, "%s", err.msg);
	par.partial = 1;
	ck_assert_int_eq(dg_acl_peaks(&par, &zs.v[0], dg_ucap_month(2017, 6),
	    &pk, &err), DG_OK);
	ck_assert_uint_eq(pk.n, 2);
	dg_acl_missing_format(&pk, buf, sizeof(buf));
	ck_assert_str_eq(buf, "May 2016, June 2016, September 2016, October 2016");
}
END_TEST

/* A repeated hour (NYISO's 2002-03 files): the first copy that is not 0,
 * the larger, or an error. */
START_TEST(repeated_hours)
{
	dg_time t = at(2003, 8, 4, 14), u = at(2003, 8, 4, 6);

	for (int pass = 0; pass < 3; pass++) {
		dg_acl_zones_release(&zs);
		dg_acl_zones_init(&zs);
		add("MILLWD", t, "436");
		add("MILLWD", t, "447");
		add("MILLWD", u, "0");
		add("MILLWD", u, "204");
		ck_assert_int_eq(dg_acl_zones_finish(&zs, pass, &err),
		    pass == DG_ACL_DUP_REFUSE ? DG_EDATA : DG_OK);
		if (pass == DG_ACL_DUP_REFUSE)
			break;
		ck_assert_uint_eq(zs.v[0].n, 2);
		ck_assert_int_eq(zs.v[0].dups, 2);
		ck_dec(zs.v[0].h[0].mw, "204");
		ck_dec(zs.v[0].h[1].mw, pass == DG_ACL_DUP_MAX ? "447" : "436");
	}
}
END_TEST

/* ACL = the mean of the resource's load at the peak hours it has a
 * reading for: (100 + 90 + 80) / 3 = 90, one hour missing. */
START_TEST(site_acl)
{
	struct dg_acl_peaks pk;
	struct dg_series s;
	struct dg_point p[3];
	dg_rat acl;
	size_t found;
	dg_dec d;

	memset(&pk, 0, sizeof(pk));
	memset(&s, 0, sizeof(s));
	memset(p, 0, sizeof(p));
	pk.n = 4;
	for (int i = 0; i < 4; i++)
		pk.t[i] = at(2016, 7, 6, 12 + i);
	for (int i = 0; i < 3; i++) {
		p[i].t = at(2016, 7, 6, 12 + i);
		p[i].x = dec(i == 0 ? "100" : i == 1 ? "90" : "80");
	}
	s.p = p;
	s.n = 3;
	s.step_s = 3600;
	ck_assert_int_eq(dg_acl_site(&pk, &s, &acl, &found), DG_OK);
	ck_assert_uint_eq(found, 3);
	ck_assert_int_eq(dg_rat_to_dec(acl, 3, DG_RAT_ROUND, &d), DG_OK);
	ck_dec(d, "90.000");
}
END_TEST

/* Report 6.1.1.1: the 200 kW SCR of hours 1, 1, 1, 0.75 (0.9375) and a
 * one-hour test: r = 0.9375 keeps it, 187.5 kW; 95 % needs 200 kW; 100 %
 * cannot be reached; the test is not in September's window. */
START_TEST(project_200kw)
{
	static const char *const kw[] = { "200", "200", "200", "150" };
	struct dg_ucap_params p;
	struct dg_ucap_site site;
	struct dg_ucap_proj pr;
	dg_rat t95;
	dg_dec d;
	int aug = dg_ucap_month(2003, 8), sep = aug + 1, oct = aug + 2;

	dg_ucap_params_init(&p);
	dg_ucap_site_init(&site);
	p.apmd_measure = 0;
	site.fixed = 1;
	site.icap_kw = dec("200");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(dg_ucap_site_hour(&site, aug, dec(kw[i])),
		    DG_OK);
	ck_assert_int_eq(dg_rat_div(dg_rat_int(15), dg_rat_int(16), &t95),
	    DG_OK);
	ck_assert_int_eq(dg_ucap_project(&p, &site, oct, sep, 1, t95, &pr,
	    &err), DG_OK);
	ck_assert_int_eq(pr.state, DG_UCAP_NEED_KW);
	ck_assert_int_eq(pr.hours, 5);
	ck_assert_int_eq(dg_ucap_kw_up(pr.need, &d), DG_OK);
	ck_dec(d, "187.500");
	ck_assert_int_eq(dg_rat_to_dec(pr.avail_full, 2, DG_RAT_ROUND, &d),
	    DG_OK);
	ck_dec(d, "0.95");
	ck_assert_int_eq(dg_rat_to_dec(pr.ucap_zero, 1, DG_RAT_ROUND, &d),
	    DG_OK);
	ck_dec(d, "150.0");
	ck_assert_int_eq(dg_rat_div(dg_rat_int(95), dg_rat_int(100), &t95),
	    DG_OK);
	ck_assert_int_eq(dg_ucap_project(&p, &site, oct, sep, 1, t95, &pr,
	    &err), DG_OK);
	ck_assert_int_eq(dg_ucap_kw_up(pr.need, &d), DG_OK);
	ck_dec(d, "200.000");
	ck_assert_int_eq(dg_ucap_project(&p, &site, oct, sep, 1,
	    dg_rat_int(1), &pr, &err), DG_OK);
	ck_assert_int_eq(pr.state, DG_UCAP_NEED_UNREACHABLE);
	ck_assert_int_eq(dg_ucap_project(&p, &site, sep, sep, 1,
	    dg_rat_int(1), &pr, &err), DG_OK);
	ck_assert_int_eq(pr.state, DG_UCAP_NEED_NA);
	ck_assert_int_eq(dg_ucap_project(&p, &site, oct, sep, 1,
	    dg_rat_int(0), &pr, &err), DG_OK);
	ck_assert_int_eq(pr.state, DG_UCAP_NEED_NONE);
	dg_ucap_site_release(&site);
}
END_TEST

/* kW rounded up to deliver, down for a load to stay under, to 3
 * decimals: 1/3 kW is 0.334 up and 0.333 down; -1/3 is -0.333 up. */
START_TEST(kw_rounding)
{
	dg_rat third;
	dg_dec d;

	ck_assert_int_eq(dg_rat_div(dg_rat_int(1), dg_rat_int(3), &third),
	    DG_OK);
	ck_assert_int_eq(dg_ucap_kw_up(third, &d), DG_OK);
	ck_dec(d, "0.334");
	ck_assert_int_eq(dg_ucap_kw_down(third, &d), DG_OK);
	ck_dec(d, "0.333");
	third.n = -third.n;
	ck_assert_int_eq(dg_ucap_kw_up(third, &d), DG_OK);
	ck_dec(d, "-0.333");
	ck_assert_int_eq(dg_ucap_kw_down(third, &d), DG_OK);
	ck_dec(d, "-0.334");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("acl");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hour_range_by_period);
	tcase_add_test(tc, top_hours_ties_and_window);
	tcase_add_test(tc, months_missing);
	tcase_add_test(tc, repeated_hours);
	tcase_add_test(tc, site_acl);
	tcase_add_test(tc, project_200kw);
	tcase_add_test(tc, kw_rounding);
	suite_add_tcase(s, tc);
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
