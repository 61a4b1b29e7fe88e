/* check_regress.c: regression tests for what the fuzzers found
 * (tests/fuzz/, issue 7).  Each test names the harness and the report;
 * the reproducing input is in the test itself. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_dec.h"
#include "dgagg.h"

#include "dg_settle.h"

static char tmpdir[] = "/tmp/check_regress.XXXXXX";

static const char *
file_with(const char *name, const char *text)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

static const char *
F(dg_dec d)
{
	static char buf[DG_DEC_BUFSZ];

	ck_assert_int_ge(dg_dec_format(d, buf, sizeof(buf)), 0);
	return buf;
}

/* --- core: the values around the bugs still come out right ------------ */

/* hand-computed (Python decimal, 60 digits): 6152 / 4.611686018427387904
 * = 1334.002353026164655602..., rounded half away from zero. */
START_TEST(dec_div_large_quotient)
{
	dg_dec r;

	ck_assert_int_eq(dg_dec_div(dec("6152"), dec("4.611686018427387904"), 2,
	    &r), DG_OK);
	ck_assert_str_eq(F(r), "1334.00");
	ck_assert_int_eq(dg_dec_div(dec("6152"), dec("4.611686018427387904"),
	    15, &r), DG_OK);
	ck_assert_str_eq(F(r), "1334.002353026164656");
}
END_TEST

/* A stamp after 1900 formats and parses back to the same instant. */
START_TEST(time_roundtrip_1900)
{
	struct dg_tstamp ts, back;
	const char *why;
	char buf[DG_TIME_BUFSZ];

	ck_assert_int_eq(dg_time_parse("1900-07-14 14:00", 16, 1, &ts, &why),
	    DG_OK);
	ck_assert_int_gt(dg_time_format(ts.t, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1900-07-14T14:00:00-05:00");
	ck_assert_int_eq(dg_time_parse(buf, strlen(buf), 0, &back, &why),
	    DG_OK);
	ck_assert_int_eq(back.t, ts.t);
}
END_TEST

/* --- limits: the fuzzers' findings ------------------------------------- */

/* fuzz_dec, UBSan "signed integer overflow" at lib/dg_dec.c:198
 * (dg_dec_div: a.v * 10^e in 128 bits, unchecked).  The true quotient,
 * 1334.0023... at 18 decimals, does not fit in 64 bits: DG_ERANGE.  Before
 * the core's fix the product wrapped and the division returned DG_OK with
 * 5.836779719076939251, a wrong amount with no error; under UBSan, an abort. */
START_TEST(dec_div_intermediate_overflow)
{
	dg_dec r;

	ck_assert_int_eq(dg_dec_div(dec("6152"), dec("4.611686018427387904"),
	    18, &r), DG_ERANGE);
	/* the fuzzer's own input: -9223375 / .300000065000000000 */
	ck_assert_int_eq(dg_dec_div(dec("-9223375"), dec(".300000065000000000"),
	    17, &r), DG_ERANGE);
}
END_TEST

/* fuzz_sites, UBSan "null pointer passed as argument 1" at
 * lib/dg_sites.c:160: qsort(NULL, 0, ...) for a sites.csv with a header and
 * no rows (fixed in the core).  Without the fix: an abort under UBSan. */
START_TEST(sites_header_only)
{
	struct dg_sites ss;
	struct dg_csv_opts o;
	struct dg_error err = { 0 };

	dg_csv_opts_init(&o);
	memset(&ss, 0, sizeof(ss));
	ck_assert_int_eq(dg_sites_read(&ss, file_with("sites.csv",
	    "site,name,pulse_kwh\n"), &o, &err), DG_OK);
	ck_assert_uint_eq(ss.n, 0);
	dg_sites_release(&ss);
}
END_TEST

/* fuzz_settle, UBSan at lib/dg_settle.c:232 (fixed): qsort(NULL, 0) for a
 * zone with no hour, as when an hourly (day-ahead) file is read as
 * real-time prices: every interval is longer than max_interval_s (900 s)
 * and left as a gap. */
START_TEST(settle_rt_hourly_file)
{
	struct dg_settle_prices *p = NULL;
	struct dg_settle_price_opts po;
	struct dg_csv_opts o;
	struct dg_error err = { 0 };
	int st;

	dg_csv_opts_init(&o);
	dg_settle_price_opts_init(&po);
	po.stamp_end = 1;
	ck_assert_int_eq(dg_settle_prices_alloc(&p), DG_OK);
	st = dg_settle_prices_read(p, file_with("rt.csv",
	    "Time Stamp,Name,PTID,LBMP ($/MWHr),Marginal Cost Losses ($/MWHr),"
	    "Marginal Cost Congestion ($/MWHr)\n"
	    "07/27/2017 00:00,CAPITL,61757,19.33,1.18,0.00\n"
	    "07/27/2017 01:00,CAPITL,61757,17.04,1.05,0.00\n"), &o, &po, &err);
	/* the point is the absence of a sanitizer report */
	ck_assert(st == DG_OK || st == DG_EDATA);
	dg_settle_prices_free(p);
}
END_TEST

/* fuzz_settle, UBSan at lib/dg_settle.c:994 (fixed): qsort(NULL, 0) for
 * an offers (APMD, contracts) file with a header and no rows. */
START_TEST(settle_offers_header_only)
{
	struct dg_settle_table t;
	struct dg_csv_opts o;
	struct dg_error err = { 0 };

	dg_csv_opts_init(&o);
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(dg_settle_offers_read(&t, file_with("offers.csv",
	    "site,program,strike_usd_per_mwh\n"), &o, &err), DG_OK);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(dg_settle_table_find(&t, "LI01", "EDRP"));
	dg_settle_table_release(&t);
}
END_TEST

/* fuzz_time: "07/14/0017 14:00" (and any stamp before 1883-11-18, when New
 * York kept local mean time, -04:56:02) was accepted, but dg_time_format
 * wrote the offset without its seconds (-04:56), so the written stamp read
 * back 2 s off.  Fixed in the core by refusing stamps before 1900. */
START_TEST(time_before_1900)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse("1800-07-14 14:00", 16, 1, &ts, &why),
	    DG_EDATA);
	ck_assert_int_eq(dg_time_parse("07/14/0017 14:00", 16, 1, &ts, &why),
	    DG_EDATA);
}
END_TEST

/* fuzz_time after the core's fix: "1900-01-01T00:00+00" is accepted (its
 * written year is 1900), but the instant is 1899-12-31T19:00:00-05:00 in
 * New York, which dg_time_format writes and dg_time_parse then refuses: the
 * program's output does not read back.  The limit should be on the instant
 * (or the local date), not on the year as written. */
START_TEST(time_1900_utc_roundtrip)
{
	struct dg_tstamp ts, back;
	const char *why;
	char buf[DG_TIME_BUFSZ];

	if (dg_time_parse("1900-01-01T00:00+00", 19, 0, &ts, &why) != DG_OK)
		return;	/* refused on input: consistent */
	ck_assert_int_gt(dg_time_format(ts.t, buf, sizeof(buf)), 0);
	ck_assert_msg(dg_time_parse(buf, strlen(buf), 0, &back,
	    &why) == DG_OK &&
	    back.t == ts.t, "1900-01-01T00:00+00 is written %s, which does not "
	    "read back", buf);
}
END_TEST

static void
setup(void)
{
	dg_tz_set("America/New_York");
}

static Suite *
suite(void)
{
	Suite *s = suite_create("regress");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, NULL);
	tcase_add_checked_fixture(limits, setup, NULL);
	tcase_add_test(core, dec_div_large_quotient);
	tcase_add_test(core, time_roundtrip_1900);
	tcase_add_test(limits, dec_div_intermediate_overflow);
	tcase_add_test(limits, sites_header_only);
	tcase_add_test(limits, settle_rt_hourly_file);
	tcase_add_test(limits, settle_offers_header_only);
	tcase_add_test(limits, time_before_1900);
	tcase_add_test(limits, time_1900_utc_roundtrip);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	if (mkdtemp(tmpdir) == NULL)
		return 99;
	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/sites.csv", tmpdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/rt.csv", tmpdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/offers.csv", tmpdir);
		unlink(path);
		rmdir(tmpdir);
	}
	return nf == 0 ? 0 : 1;
}
