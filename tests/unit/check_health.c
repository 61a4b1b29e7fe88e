/* check_health: the nightly checks (lib/dg_health*.c): the source
 * report's Table 16 reproduced, stale and missing meters, growing flags,
 * files of the day, scripts/daily's markers and log, scripts/monthly's
 * versions. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dg_health.h"

#ifndef DG_TESTDATA
#define DG_TESTDATA "testdata"
#endif

static dg_time
at(const char *s)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), 0, &ts, &why), DG_OK);
	return ts.t;
}

static char dir[] = "/tmp/check_health_XXXXXX";

static void
setup(void)
{
	memcpy(dir, "/tmp/check_health_XXXXXX", sizeof(dir));
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *rel, const char *text)
{
	char path[512], cmd[600];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* The finding of check (and site, when not NULL), or NULL. */
static const struct dg_health_finding *
find(const struct dg_health *h, const char *check, const char *site)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].check, check) == 0 &&
		    (site == NULL || strcmp(h->v[i].site, site) == 0))
			return &h->v[i];
	return NULL;
}

/* The availability rows, kept. */
struct rows {
	char key[64][32];
	dg_dec pct[64];
	long expected[64];
	size_t n;
};

static int
keep(void *arg, const struct dg_health_avail *a)
{
	struct rows *r = arg;

	ck_assert_uint_lt(r->n, 64);
	snprintf(r->key[r->n], 32, "%s %s", a->site ? a->site : "TOTAL",
	    a->month);
	r->pct[r->n] = a->pct;
	r->expected[r->n] = a->expected;
	r->n++;
	return DG_OK;
}

START_TEST(good_quality)
{
	/* dg-pulse2kwh's flags: a counter's wrap is its normal course */
	ck_assert(dg_health_quality_good("ok", "rollover"));
	ck_assert(dg_health_quality_good("", NULL));
	ck_assert(dg_health_quality_good("rollover", "rollover"));
	ck_assert(!dg_health_quality_good("gap;rollover", "rollover"));
	ck_assert(dg_health_quality_good("offgrid;rollover",
	    "rollover,offgrid"));
	ck_assert(!dg_health_quality_good("roll", "rollover"));
	ck_assert(!dg_health_quality_good("rollover", NULL));
}
END_TEST

START_TEST(pct_rounding)
{
	dg_dec d;

	d = dg_health_pct(2, 3);	/* 66.66... */
	ck_assert_int_eq(d.v, 667);
	d = dg_health_pct(1, 16);	/* 6.25: half away from zero */
	ck_assert_int_eq(d.v, 63);
	d = dg_health_pct(0, 0);
	ck_assert_int_eq(d.v, 0);
}
END_TEST

/* Table 16 of the report (testdata/report/table16_*.csv): the InfoNode
 * metering's availability of July 2002 to July 2003, 88 % .. 76 %, and
 * "Total: 84%".  One site's hourly readings are written with, each
 * month, the printed share of its hours (rounded to whole hours) and the
 * rest missing; the availability of each month, rounded to a whole %,
 * is the printed figure, and so is the total: the 13 months pooled,
 * 83.8 %, rounds to 84 as the mean of the printed months (83.85) does:
 * the report does not say which it took, and its figures agree with
 * either. */
START_TEST(table16)
{
	char line[256], path[512];
	int pct[13], k = 0;
	FILE *in, *out;
	struct dg_health_meters *m;
	struct dg_health_params p;
	struct dg_health h = { 0 };
	struct rows *r = calloc(1, sizeof(*r));
	struct dg_csv_opts o;
	struct dg_error e;
	long sum = 0;

	ck_assert_ptr_nonnull(in = fopen(DG_TESTDATA
	    "/report/table16_infonode_availability_pct.csv", "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), in));
	while (k < 13 && fgets(line, sizeof(line), in) != NULL) {
		char *c = strrchr(line, ',');

		*c = '\0';
		pct[k] = (int)strtol(strrchr(line, ',') + 1, NULL, 10);
		sum += pct[k++];
	}
	fclose(in);
	ck_assert_int_eq(k, 13);
	ck_assert_int_eq(pct[0], 88);
	ck_assert_int_eq(pct[12], 76);
	snprintf(path, sizeof(path), "%s/t16.csv", dir);
	ck_assert_ptr_nonnull(out = fopen(path, "w"));
	fprintf(out, "site,time,load_kw\n");
	for (int i = 0; i < 13; i++) {
		int y = 2002 + (6 + i) / 12, mo = (6 + i) % 12 + 1;
		dg_time t0, t1;
		long hours, keepn;

		dg_date_start(dg_date_from_ymd(y, mo, 1), &t0);
		dg_date_start(dg_date_from_ymd(y + (mo == 12), mo % 12 + 1, 1),
		    &t1);
		hours = (long)((t1 - t0) / 3600);
		keepn = (hours * pct[i] * 2 + 100) / 200;
		for (long j = 0; j < keepn; j++) {
			char ts[DG_TIME_BUFSZ];

			dg_time_format(t0 + j * 3600, ts, sizeof(ts));
			fprintf(out, "N1,%s,12.5\n", ts);
		}
	}
	ck_assert_int_eq(fclose(out), 0);
	dg_csv_opts_init(&o);
	dg_health_params_init(&p);
	p.now = at("2003-08-01T12:00:00-04:00");
	p.interval_s = 3600;
	ck_assert_int_eq(dg_health_meters_alloc(&m), DG_OK);
	ck_assert_int_eq(dg_health_meters_read(m, path, NULL, "rollover", &o,
	    &e), DG_OK);
	ck_assert_int_eq(dg_health_meters_availability(m, &p, keep, r, &h),
	    DG_OK);
	ck_assert_uint_eq(r->n, 2 * 13 + 2);
	for (int i = 0; i < 13; i++) {
		ck_assert_int_eq((r->pct[2 * i].v + 5) / 10, pct[i]);
		ck_assert_int_eq(r->pct[2 * i + 1].v, r->pct[2 * i].v);
	}
	/* October 2002 has 31 x 24 + 1 = 745 hours, April 2003 30 x 24 - 1
	 * = 719 (the DST changes of 2002-10-27 and 2003-04-06) */
	ck_assert_int_eq(r->expected[2 * 3], 745);
	ck_assert_int_eq(r->expected[2 * 9], 719);
	ck_assert_str_eq(r->key[26], "N1 all");
	ck_assert_int_eq(r->pct[26].v, 838);
	ck_assert_int_eq((r->pct[27].v + 5) / 10, 84);
	ck_assert_int_eq((sum * 100 / 13 + 50) / 100, 84);
	/* the findings: the latest two months only; July 2003 (76 %) is
	 * below 90 %, June (90 %) is not */
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.v[0].check, "availability_low");
	ck_assert_str_eq(h.v[0].subject, "2003-07");
	ck_assert_int_eq(h.v[0].severity, DG_HEALTH_WARNING);
	dg_health_release(&h);
	dg_health_meters_free(m);
	free(r);
}
END_TEST

START_TEST(stale_and_missing)
{
	struct dg_health_meters *m;
	struct dg_health_params p;
	struct dg_health h = { 0 };
	struct dg_csv_opts o;
	struct dg_sites ss;
	struct dg_error e;
	char path[512];
	const struct dg_health_finding *f;

	/* S1's readings end at 2017-11-30 09:00 + 15 min; S2's at 11-29
	 * 00:15; S3 is in sites.csv with none.  At 12-01 12:00: S1 26.8 h
	 * (warning, 26 h), S2 59.8 h (critical, 50 h), S3 missing. */
	put("m.csv", "site,time,load_kw,quality\n"
	    "S1,2017-11-30T08:45:00-05:00,1,ok\n"
	    "S1,2017-11-30T09:00:00-05:00,1,ok\n"
	    "S2,2017-11-29T00:00:00-05:00,2,ok\n");
	put("sites.csv", "site\nS1\nS2\nS3\n");
	snprintf(path, sizeof(path), "%s/m.csv", dir);
	dg_csv_opts_init(&o);
	dg_health_params_init(&p);
	p.now = at("2017-12-01T12:00:00-05:00");
	p.interval_s = 900;
	ck_assert_int_eq(dg_health_meters_alloc(&m), DG_OK);
	ck_assert_int_eq(dg_health_meters_read(m, path, NULL, "rollover", &o,
	    &e), DG_OK);
	snprintf(path, sizeof(path), "%s/sites.csv", dir);
	ck_assert_int_eq(dg_sites_read(&ss, path, &o, &e), DG_OK);
	ck_assert_int_eq(dg_health_meters_stale(m, &ss, &p, &h), DG_OK);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_ptr_nonnull(f = find(&h, "meter_stale", "S1"));
	ck_assert_int_eq(f->severity, DG_HEALTH_WARNING);
	ck_assert_int_eq(f->value.v, 268);
	ck_assert_ptr_nonnull(f = find(&h, "meter_stale", "S2"));
	ck_assert_int_eq(f->severity, DG_HEALTH_CRITICAL);
	ck_assert_int_eq(f->value.v, 598);
	ck_assert_ptr_nonnull(f = find(&h, "meter_missing", "S3"));
	ck_assert_int_eq(f->severity, DG_HEALTH_CRITICAL);
	dg_health_sort(&h);
	ck_assert_str_eq(h.v[0].check, "meter_missing");
	ck_assert_int_eq(dg_health_worst(&h), DG_HEALTH_CRITICAL);
	dg_sites_release(&ss);
	dg_health_release(&h);
	dg_health_meters_free(m);
}
END_TEST

START_TEST(flags_grow)
{
	struct dg_health_meters *m;
	struct dg_health_params p;
	struct dg_health h = { 0 };
	struct dg_csv_opts o;
	struct dg_error e;
	char path[512];
	FILE *fp;
	const struct dg_health_finding *f;

	/* daily readings of G: 1 of April's 30 flagged (3.3 %), 3 of May's
	 * 31 (9.7 %: more than twice); H: 2 of 30, then 3 of 31 (not
	 * twice) */
	snprintf(path, sizeof(path), "%s/f.csv", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fprintf(fp, "site,time,load_kw,quality\n");
	for (int d = 0; d < 61; d++) {
		char ts[DG_TIME_BUFSZ];
		dg_time t;

		dg_date_start(dg_date_from_ymd(2017, 4, 1) + d, &t);
		dg_time_format(t, ts, sizeof(ts));
		fprintf(fp, "G,%s,1,%s\n", ts, d == 3 || d == 40 || d == 41 ||
		    d == 42 ? "gap" : "ok");
		fprintf(fp, "H,%s,%s,ok\n", ts, d == 3 || d == 4 || d == 40 ||
		    d == 41 || d == 42 ? "" : "1");
	}
	ck_assert_int_eq(fclose(fp), 0);
	dg_csv_opts_init(&o);
	dg_health_params_init(&p);
	p.now = at("2017-06-01T06:00:00-04:00");
	ck_assert_int_eq(dg_health_meters_alloc(&m), DG_OK);
	ck_assert_int_eq(dg_health_meters_read(m, path, NULL, "rollover", &o,
	    &e), DG_OK);
	ck_assert_int_eq(dg_health_meters_availability(m, &p, NULL, NULL, &h),
	    DG_OK);
	ck_assert_ptr_nonnull(f = find(&h, "flags_growing", "G"));
	ck_assert_int_eq(f->value.v, 97);
	ck_assert_int_eq(f->limit.v, 33);
	ck_assert_ptr_null(find(&h, "flags_growing", "H"));
	dg_health_release(&h);
	dg_health_meters_free(m);
}
END_TEST

START_TEST(files_of_the_day)
{
	struct dg_health_params p;
	struct dg_health h = { 0 };
	char pattern[512];
	const struct dg_health_finding *f;

	/* 2017-09-01 there, 09-02 a header only, 09-03 (today) missing */
	put("p/20170901.csv", "zone,time,price\nK,1,2\n");
	put("p/20170902.csv", "zone,time,price\n");
	snprintf(pattern, sizeof(pattern), "%s/p/%%Y%%m%%d.csv", dir);
	dg_health_params_init(&p);
	p.now = at("2017-09-03T06:00:00-04:00");
	ck_assert_int_eq(dg_health_feed(pattern, &p, &h), DG_OK);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_ptr_nonnull(f = find(&h, "feed_empty", NULL));
	ck_assert_int_eq(f->severity, DG_HEALTH_WARNING);
	ck_assert_ptr_nonnull(f = find(&h, "feed_missing", NULL));
	ck_assert_int_eq(f->severity, DG_HEALTH_CRITICAL);
	ck_assert_msg(strstr(f->subject, "/p/20170903.csv") != NULL, "%s",
	    f->subject);
	dg_health_release(&h);
}
END_TEST

START_TEST(daily_steps)
{
	struct dg_health_params p;
	struct dg_health h = { 0 };
	char out[512];
	const struct dg_health_finding *f;

	/* now 2017-07-21 15:00: the bid and schedule of 07-22 were due
	 * (05:00, 14:00 of the 21st): the bid ran, the schedule failed;
	 * 07-21's schedule never ran; 07-20 is whole */
	put("d/2017-07-22/bid.done", "");
	put("d/2017-07-22/daily.log",
	    "2017-07-21T09:00:02Z daily[7] bid 2017-07-22: start fit\n"
	    "    dg-fetch: u: 503; retry 1 of 3 in 2.0 s\n"
	    "2017-07-21T15:30:01Z daily[9] schedule 2017-07-22: FAILED: prices (exit 69): unavailable\n");
	put("d/2017-07-21/bid.done", "");
	put("d/2017-07-20/bid.done", "");
	put("d/2017-07-20/schedule.done", "");
	snprintf(out, sizeof(out), "%s/d", dir);
	dg_health_params_init(&p);
	p.now = at("2017-07-21T15:00:00-04:00");
	ck_assert_int_eq(dg_health_daily(out, &p, &h), DG_OK);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_ptr_nonnull(f = find(&h, "step_failed", NULL));
	ck_assert_str_eq(f->subject, "schedule 2017-07-22");
	ck_assert_int_eq(f->severity, DG_HEALTH_CRITICAL);
	ck_assert_msg(strstr(f->message, "FAILED: prices (exit 69)") != NULL,
	    "%s", f->message);
	ck_assert_ptr_nonnull(f = find(&h, "step_not_run", NULL));
	ck_assert_str_eq(f->subject, "schedule 2017-07-21");
	ck_assert_int_eq(f->severity, DG_HEALTH_WARNING);
	ck_assert_ptr_nonnull(f = find(&h, "download_retried", NULL));
	dg_health_release(&h);
}
END_TEST

START_TEST(monthly_versions)
{
	struct dg_health_params p;
	struct dg_health h = { 0 };
	char out[512], cmd[700];
	const struct dg_health_finding *f;

	/* 2022-07 settled, then a file of it changed; 2022-08 failed */
	put("s/2022-07/v1/payments.csv", "site,usd\nLI01,249.69\n");
	put("s/2022-07/v1/summary.txt", "total 249.69\n");
	snprintf(cmd, sizeof(cmd), "cd '%s/s/2022-07' && ln -s v1 current && "
	    "cd v1 && sha256sum payments.csv summary.txt >SHA256SUMS && "
	    "echo 'total 249.70' >summary.txt", dir);
	ck_assert_int_eq(system(cmd), 0);
	put("s/monthly.log",
	    "2022-08-05T06:00:00Z monthly[3] 2022-07: done: v1\n"
	    "2022-09-05T06:00:00Z monthly[4] 2022-08: FAILED at step payments (exit status 65); x left unchanged\n");
	snprintf(out, sizeof(out), "%s/s", dir);
	dg_health_params_init(&p);
	p.now = at("2022-08-10T09:00:00-04:00");
	ck_assert_int_eq(dg_health_monthly(out, NULL, &p, &h), DG_OK);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_ptr_nonnull(f = find(&h, "month_altered", NULL));
	ck_assert_msg(strstr(f->subject, "current/summary.txt") != NULL, "%s",
	    f->subject);
	dg_health_release(&h);
	/* a month later: 2022-08 is due and not settled, its run failed */
	p.now = at("2022-09-06T09:00:00-04:00");
	ck_assert_int_eq(dg_health_monthly(out, NULL, &p, &h), DG_OK);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.v[0].check, "step_failed");
	ck_assert_str_eq(h.v[0].subject, "2022-08");
	ck_assert_int_eq(h.v[0].severity, DG_HEALTH_CRITICAL);
	dg_health_release(&h);
	/* before the 5th, August is not due yet: July is checked */
	p.now = at("2022-09-02T09:00:00-04:00");
	ck_assert_int_eq(dg_health_monthly(out, NULL, &p, &h), DG_OK);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_str_eq(h.v[0].check, "month_altered");
	dg_health_release(&h);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("core");
	TCase *tl = tcase_create("limits");
	SRunner *sr;
	int nf;

	dg_tz_set(DG_TZ_DEFAULT);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_add_test(tc, table16);
	tcase_add_test(tc, stale_and_missing);
	tcase_add_test(tc, flags_grow);
	tcase_add_test(tc, files_of_the_day);
	tcase_add_test(tc, daily_steps);
	tcase_add_test(tc, monthly_versions);
	tcase_add_test(tl, pct_rounding);
	tcase_add_test(tl, good_quality);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
