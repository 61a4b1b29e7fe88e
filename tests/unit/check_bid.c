/* check_bid: hour labels on DST days, the deadline, the bid checks. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ck_dec.h"
#include "dg_bid.h"
#include "dg_time.h"

static dg_time
at(const char *iso)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(iso, strlen(iso), 0, &ts, &why), DG_OK);
	return ts.t;
}

START_TEST(test_hb_fall_back)
{
	/* NYISO Technical Bulletin 064 (doc/market-rules.md, NYISO data
	 * conventions): the repeated hour of
	 * 2017-11-05 is HB 25 in upload files; the others keep their clock
	 * hour: 00, 01, 25, 02, ... 23 */
	dg_date d = dg_date_from_ymd(2017, 11, 5);
	int hb;

	ck_assert_int_eq(dg_date_hours(d), 25);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-11-05T00:00:00-04:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 0);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-11-05T01:00:00-04:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 1);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-11-05T01:00:00-05:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 25);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-11-05T02:00:00-05:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 2);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-11-05T23:00:00-05:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 23);
}
END_TEST

START_TEST(test_hb_spring_forward)
{
	/* 2017-03-12: 01:00 EST is followed by 03:00 EDT; no HB 02 */
	dg_date d = dg_date_from_ymd(2017, 3, 12);
	int hb;

	ck_assert_int_eq(dg_date_hours(d), 23);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-03-12T01:00:00-05:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 1);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-03-12T03:00:00-04:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 3);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-03-12T23:00:00-04:00"), &hb),
	    DG_OK);
	ck_assert_int_eq(hb, 23);
}
END_TEST

START_TEST(test_deadline)
{
	dg_time t;

	/* report 4.2.2.2: bids for the next day by 5 a.m.; the day before a
	 * fall-back day is still daylight time */
	ck_assert_int_eq(dg_bid_deadline(dg_date_from_ymd(2017, 11, 5), 300,
	    &t), DG_OK);
	ck_assert(t == at("2017-11-04T05:00:00-04:00"));
	/* the day after the spring-forward day: 05:00 EDT of 12 March */
	ck_assert_int_eq(dg_bid_deadline(dg_date_from_ymd(2017, 3, 13), 300,
	    &t), DG_OK);
	ck_assert(t == at("2017-03-12T05:00:00-04:00"));
	/* 1 January: the deadline is in the year before */
	ck_assert_int_eq(dg_bid_deadline(dg_date_from_ymd(2018, 1, 1),
	    4 * 60 + 45, &t), DG_OK);
	ck_assert(t == at("2017-12-31T04:45:00-05:00"));
}
END_TEST

START_TEST(test_check)
{
	struct dg_bid_rules r;
	const char *why = NULL;

	dg_bid_rules_init(&r);
	ck_dec(r.min_mw, "1");
	ck_dec(r.price_cap, "1000");
	ck_dec(r.strike_cap, "500");
	ck_assert_int_eq(dg_bid_check(&r, dec("1.0"), dec("999.99"), &why),
	    DG_OK);
	ck_assert_int_eq(dg_bid_check(&r, dec("2.385"), dec("1000.00"), &why),
	    DG_OK);
	ck_assert_int_eq(dg_bid_check(&r, dec("0.9995"), dec("50"), &why),
	    DG_EDATA);
	ck_assert_str_eq(why, "below the minimum size");
	/* exact: a hair below 1 MW is below it */
	ck_assert_int_eq(dg_bid_check(&r, dec("0.999999999999999"), dec("50"),
	    &why), DG_EDATA);
	ck_assert_int_eq(dg_bid_check(&r, dec("1.2"), dec("1000.01"), &why),
	    DG_EDATA);
	ck_assert_str_eq(why, "above the price cap");
	ck_assert_int_eq(dg_bid_check(&r, dec("1.2"), dec("-0.01"), &why),
	    DG_EDATA);
	ck_assert_str_eq(why, "below the price floor");
}
END_TEST

START_TEST(test_mw)
{
	/* MW = kW / 1000, exact; the upload's MW rounded down to 0.1 MW
	 * (dg-bid(1): a block never offers more than it has).  Hand-computed:
	 * 1514.6 kW is 1.5146 MW, 1.5 in the upload; 1600 kW is 1.6. */
	dg_dec mw;

	ck_assert_int_eq(dg_bid_mw(dec("1514.600"), &mw), DG_OK);
	ck_dec(mw, "1.514600");
	ck_assert_int_eq(dg_bid_mw(dec("2385"), &mw), DG_OK);
	ck_dec(mw, "2.385");
	ck_assert_int_eq(dg_bid_upload_mw(dec("1514.600"), &mw), DG_OK);
	ck_dec(mw, "1.5");
	ck_assert_int_eq(dg_bid_upload_mw(dec("1600"), &mw), DG_OK);
	ck_dec(mw, "1.6");
	ck_assert_int_eq(dg_bid_upload_mw(dec("1599.999"), &mw), DG_OK);
	ck_dec(mw, "1.5");
	/* floor(kw / 100 + 1e-9) in doubles made this 1.7: more than the
	 * block has */
	ck_assert_int_eq(dg_bid_upload_mw(dec("1699.99999999995"), &mw), DG_OK);
	ck_dec(mw, "1.6");
	ck_assert_int_eq(dg_bid_upload_mw(dec("0.00000000000000001"), &mw),
	    DG_OK);
	ck_dec(mw, "0.0");
	ck_assert_int_eq(dg_bid_upload_mw(dec("-1"), &mw), DG_ERANGE);
}
END_TEST

START_TEST(test_limits)
{
	dg_date d = dg_date_from_ymd(2017, 7, 21);
	dg_dec mw;
	dg_time t;
	int hb;

	/* outside the day, off the hour */
	ck_assert_int_eq(dg_bid_hb(d, at("2017-07-22T00:00:00-04:00"), &hb),
	    DG_ERANGE);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-07-20T23:00:00-04:00"), &hb),
	    DG_ERANGE);
	ck_assert_int_eq(dg_bid_hb(d, at("2017-07-21T14:30:00-04:00"), &hb),
	    DG_ERANGE);
	ck_assert_int_eq(dg_bid_deadline(d, -1, &t), DG_EINVAL);
	ck_assert_int_eq(dg_bid_deadline(d, 24 * 60, &t), DG_EINVAL);
	/* 18 digits: the MW of the largest kW fits (the point moves), of the
	 * smallest it is rounded at 18 decimals */
	ck_assert_int_eq(dg_bid_mw(dec("999999999999999999"), &mw), DG_OK);
	ck_dec(mw, "999999999999999.999");
	ck_assert_int_eq(dg_bid_mw(dec("0.123456789012345678"), &mw), DG_OK);
	ck_dec(mw, "0.000123456789012346");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bid");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");
	SRunner *sr;
	int nf;

	dg_tz_set("America/New_York");
	tcase_add_test(core, test_hb_fall_back);
	tcase_add_test(core, test_hb_spring_forward);
	tcase_add_test(core, test_deadline);
	tcase_add_test(core, test_check);
	tcase_add_test(core, test_mw);
	tcase_add_test(lim, test_limits);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
