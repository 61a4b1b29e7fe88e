/* check_fetch.c: dg_fetch's parsers on the real files of testdata/fetch
 * (see its PROVENANCE.md), the cache and the URLs.  Expected values are
 * read off the files themselves or doc/market-rules.md, NYISO data
 * conventions, as noted. */
#include <config.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "dg_fetch.h"
#include "dg_fetch_cache.h"
#include "dg_fetch_http.h"
#include "dg_fetch_impl.h"
#include "dg_fetch_stream.h"
#include "dg_util.h"

#ifndef DG_TESTDATA
#define DG_TESTDATA "testdata"
#endif
#define TD DG_TESTDATA "/fetch/"

static struct dg_fetch_rows got;

static int
collect(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	for (size_t i = 0; i < rows->n; i++) {
		if (got.n == got.cap) {
			got.cap = got.cap ? 2 * got.cap : 1024;
			got.v = realloc(got.v, got.cap * sizeof(*got.v));
			ck_assert_ptr_nonnull(got.v);
		}
		got.v[got.n++] = rows->v[i];
	}
	return DG_OK;
}

/* Parses buf as source; returns the status, rows in got. */
static int
parse_buf(const char *source, const char *buf, size_t len,
    const struct dg_fetch_filter *f, struct dg_error *e)
{
	const struct dg_fetch_source *s = dg_fetch_source_find(source);

	ck_assert_ptr_nonnull(s);
	dg_fetch_rows_release(&got);
	dg_error_clear(e);
	return dg_fetch_parse(s, buf, len, "input", f, collect, NULL, e);
}

static int
parse_file(const char *source, const char *file,
    const struct dg_fetch_filter *f, struct dg_error *e)
{
	char path[512], *buf;
	size_t len;
	int st;

	snprintf(path, sizeof(path), TD "%s", file);
	ck_assert_int_eq(dg_fetch_read_file(path, (size_t)1 << 30, &buf, &len,
	    e), DG_OK);
	st = parse_buf(source, buf, len, f, e);
	free(buf);
	return st;
}

static void
parse_ok(const char *source, const char *file)
{
	struct dg_error e;
	int st = parse_file(source, file, NULL, &e);

	ck_assert_msg(st == DG_OK, "%s: %s", file, e.msg);
}

static dg_time
utc(const char *s)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), 0, &ts, &why), DG_OK);
	return ts.t;
}

static size_t
count_zone(const char *zone)
{
	size_t n = 0;

	for (size_t i = 0; i < got.n; i++)
		n += strcmp(got.v[i].zone, zone) == 0;
	return n;
}

/* The k-th (0-based) row of zone. */
static const struct dg_fetch_row *
nth(const char *zone, size_t k)
{
	for (size_t i = 0; i < got.n; i++)
		if (strcmp(got.v[i].zone, zone) == 0 && k-- == 0)
			return &got.v[i];
	ck_abort_msg("no row %s", zone);
	return NULL;
}

static void
assert_dec(dg_dec d, const char *want)
{
	char buf[DG_DEC_BUFSZ];

	dg_dec_format(d, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

static void
assert_stamp(dg_time t, const char *want)
{
	char buf[DG_TIME_BUFSZ];

	dg_time_format(t, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

static char zone_seen[128];

static int
note_zone(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	snprintf(zone_seen, sizeof(zone_seen), "%s", dg_tz_name());
	return collect(arg, rows, member, err);
}

/* --- core ---------------------------------------------------------- */

START_TEST(caller_zone)
{
	char *buf;
	size_t len;
	struct dg_error e;

	/* the parser reads NYISO stamps in New York but hands the rows over,
	 * and returns, in the caller's zone */
	dg_tz_set("UTC");
	ck_assert_int_eq(dg_fetch_read_file(TD "20170312damlbmp_zone.csv",
	    1 << 20, &buf, &len, &e), DG_OK);
	dg_fetch_rows_release(&got);
	ck_assert_int_eq(dg_fetch_parse(dg_fetch_source_find("nyiso-dam"), buf,
	    len, "x", NULL, note_zone, NULL, &e), DG_OK);
	free(buf);
	ck_assert_str_eq(zone_seen, "UTC");
	ck_assert_str_eq(dg_tz_name(), "UTC");
	assert_stamp(got.v[0].t, "2017-03-12T05:00:00+00:00");
}
END_TEST

START_TEST(dam_normal_day)
{
	const struct dg_fetch_row *r;

	dg_tz_set("America/New_York");
	parse_ok("nyiso-dam", "20170719damlbmp_zone.csv");
	ck_assert_uint_eq(got.n, 360);
	ck_assert_uint_eq(count_zone("HUD VL"), 24);
	/* The file (its components as doc/market-rules.md, NYISO data
	 * conventions, reads them): 07/19/2017 00:00 CAPITL 25.59, losses 1.64,
	 * NYISO congestion -0.53; energy 25.59 - 1.64 + (-0.53) = 23.42 */
	r = nth("CAPITL", 0);
	assert_stamp(r->t, "2017-07-19T00:00:00-04:00");
	assert_dec(r->v[DG_FV_PRICE], "25.59");
	assert_dec(r->v[DG_FV_LOSSES], "1.64");
	assert_dec(r->v[DG_FV_CONGESTION], "0.53");
	assert_dec(r->v[DG_FV_ENERGY], "23.42");
	ck_assert_str_eq(r->ptid, "61757");
	ck_assert_int_eq(r->dur, 3600);
	/* DUNWOD 26.51 - 2.69 + (-0.40) = 23.42, the same energy */
	assert_dec(nth("DUNWOD", 0)->v[DG_FV_ENERGY], "23.42");
	assert_stamp(got.v[got.n - 1].t, "2017-07-19T23:00:00-04:00");
	ck_assert_str_eq(got.v[got.n - 1].zone, "WEST");
}
END_TEST

START_TEST(dam_dst_days)
{
	dg_tz_set("America/New_York");
	/* 2017-03-12: 23 hours, 01:00 then 03:00 (doc/market-rules.md, NYISO
	 * data conventions: DST days) */
	parse_ok("nyiso-dam", "20170312damlbmp_zone.csv");
	ck_assert_uint_eq(got.n, 345);
	ck_assert_uint_eq(count_zone("LONGIL"), 23);
	assert_stamp(nth("LONGIL", 1)->t, "2017-03-12T01:00:00-05:00");
	assert_stamp(nth("LONGIL", 2)->t, "2017-03-12T03:00:00-04:00");
	ck_assert_int_eq(nth("LONGIL", 2)->t - nth("LONGIL", 1)->t, 3600);
	/* 2017-11-05: 25 hours; LONGIL 00:00 22.05 | 01:00 EDT 19.37 |
	 * 01:00 EST 20.83 | 02:00 20.40 (the same) */
	parse_ok("nyiso-dam", "20171105damlbmp_zone.csv");
	ck_assert_uint_eq(got.n, 375);
	ck_assert_uint_eq(count_zone("LONGIL"), 25);
	assert_dec(nth("LONGIL", 0)->v[DG_FV_PRICE], "22.05");
	assert_dec(nth("LONGIL", 1)->v[DG_FV_PRICE], "19.37");
	assert_dec(nth("LONGIL", 2)->v[DG_FV_PRICE], "20.83");
	assert_dec(nth("LONGIL", 3)->v[DG_FV_PRICE], "20.40");
	assert_stamp(nth("LONGIL", 1)->t, "2017-11-05T01:00:00-04:00");
	assert_stamp(nth("LONGIL", 2)->t, "2017-11-05T01:00:00-05:00");
	for (size_t k = 1; k < 25; k++)
		ck_assert_int_eq(nth("LONGIL", k)->t - nth("LONGIL", k - 1)->t,
		    3600);
	for (size_t i = 0; i < got.n; i++)
		ck_assert_uint_eq(got.v[i].quality, 0);
}
END_TEST

/* Intervals of zone: count, and the sum of their lengths. */
static void
rt_day(const char *file, const char *zone, size_t nint, long total)
{
	long sum = 0;

	parse_ok("nyiso-rt", file);
	ck_assert_uint_eq(count_zone(zone), nint);
	for (size_t k = 0; k < nint; k++) {
		const struct dg_fetch_row *r = nth(zone, k);

		sum += r->dur;
		if (k > 0)	/* contiguous: each starts where
				 * the last ended */
			ck_assert_int_eq(r->t, nth(zone, k - 1)->t +
			    nth(zone, k - 1)->dur);
	}
	ck_assert_int_eq(sum, total);
}

START_TEST(rt_intervals)
{
	const struct dg_fetch_row *r;
	int found;

	dg_tz_set("America/New_York");
	/* PROVENANCE nyiso_rt_zone_2022: 292, 289 and 302 intervals */
	rt_day("20220720realtime_zone.csv", "CAPITL", 292, 86400);
	/* first row "07/20/2022 00:05:00","CAPITL",61757,270.75,3.47,-227.92:
	 * interval 00:00-00:05; energy 270.75 - 3.47 - 227.92 = 39.36 */
	r = nth("CAPITL", 0);
	assert_stamp(r->t, "2022-07-20T00:00:00-04:00");
	ck_assert_int_eq(r->dur, 300);
	assert_dec(r->v[DG_FV_PRICE], "270.75");
	assert_dec(r->v[DG_FV_CONGESTION], "227.92");
	assert_dec(r->v[DG_FV_ENERGY], "39.36");
	/* the RTD re-run at 12:38:01: 12:35:00-12:38:01 (181 s), then
	 * 12:38:01-12:40:00 (119 s), 12:40:00-12:40:13 (13 s) */
	found = 0;
	for (size_t k = 0; k < got.n; k++)
		if (strcmp(got.v[k].zone, "CAPITL") == 0 &&
		    got.v[k].t == utc("2022-07-20T12:35:00-04:00")) {
			found++;
			ck_assert_int_eq(got.v[k].dur, 181);
			ck_assert_int_eq(got.v[k + 15].dur, 119);
			ck_assert_int_eq(got.v[k + 30].dur, 13);
			assert_stamp(got.v[k + 30].t,
			    "2022-07-20T12:40:00-04:00");
		}
	ck_assert_int_eq(found, 1);
	rt_day("20220313realtime_zone.csv", "N.Y.C.", 289, 23 * 3600);
	rt_day("20221106realtime_zone.csv", "WEST", 302, 25 * 3600);
	/* the last interval ends at 00:00 of the next day */
	r = nth("WEST", 301);
	ck_assert_int_eq(r->t + r->dur, utc("2022-11-07T00:00:00-05:00"));
	found = 0;
	for (size_t k = 0; k < 302; k++)
		if (nth("WEST", k)->t == utc("2022-11-06T01:55:00-04:00")) {
			assert_stamp(nth("WEST", k + 1)->t,
			    "2022-11-06T01:00:00-05:00");
			found++;
		}
	ck_assert_int_eq(found, 1);
}
END_TEST

START_TEST(rt_truncated_fixture)
{
	struct dg_error e;

	dg_tz_set("America/New_York");
	/* pyiso's lmp.csv: an empty first line, 00:15 .. 00:45, 15 zones,
	 * cut after its last row's line end was lost: a market file without
	 * a final line end is refused (issue 12: a truncated price file
	 * changed a month's payments) */
	ck_assert_int_eq(parse_file("nyiso-rt",
	    "20160218realtime_zone_truncated.csv", NULL, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 47);
	ck_assert_str_eq(e.msg,
	    "no line end at the end of the input: cut short?");
}
END_TEST

START_TEST(pal_and_isolf)
{
	dg_tz_set("America/New_York");
	/* palIntegrated 2017-11-05: 275 rows, EDT then EST 01:00 */
	parse_ok("nyiso-load", "20171105palIntegrated.csv");
	ck_assert_uint_eq(got.n, 275);
	assert_stamp(nth("CAPITL", 2)->t, "2017-11-05T01:00:00-05:00");
	parse_ok("nyiso-load", "20170312palIntegrated.csv");
	ck_assert_uint_eq(got.n, 253);
	/* 2002-07-15: 06:00 and 10:00 twice (a 0 then the load), 10 areas:
	 * 40 rows flagged duplicate, none dropped */
	parse_ok("nyiso-load", "20020715palIntegrated.csv");
	ck_assert_uint_eq(got.n, 260);
	{
		size_t d = 0;

		for (size_t i = 0; i < got.n; i++)
			d += (got.v[i].quality & DG_FQ_DUPLICATE) != 0;
		ck_assert_uint_eq(d, 40);
	}
	ck_assert_str_eq(nth("N.Y.C._LONGIL", 0)->ptid, "");
	/* the 2003-08-14 blackout file stops after 15:00: 16 hours */
	parse_ok("nyiso-load", "20030814palIntegrated.csv");
	ck_assert_uint_eq(got.n, 160);
	assert_stamp(got.v[got.n - 1].t, "2003-08-14T15:00:00-04:00");
	/* isolf 2017-11-05: 145 hourly rows x 12 columns, 01:00 twice */
	parse_ok("nyiso-isolf", "20171105isolf.csv");
	ck_assert_uint_eq(got.n, 145 * 12);
	ck_assert_uint_eq(count_zone("HUD VL"), 145);
	assert_dec(nth("NYISO", 0)->v[DG_FV_LOAD], "13298");
	assert_stamp(nth("NYISO", 2)->t, "2017-11-05T01:00:00-05:00");
	ck_assert_int_eq(nth("NYISO", 144)->issued,
	    dg_date_from_ymd(2017, 11, 5));
	parse_ok("nyiso-isolf", "20170312isolf.csv");
	ck_assert_uint_eq(count_zone("WEST"), 143);
}
END_TEST

START_TEST(pjm_miso)
{
	const struct dg_fetch_row *r;
	dg_dec s;

	dg_tz_set("America/New_York");
	/* PJM: 12 hubs x 48 hours; EASTERN HUB 2025-05-01 00:00 EPT:
	 * total 24.966949 = 30.98 + (-6.094939) + 0.081888 */
	parse_ok("pjm-da", "da_hrl_lmps_20250501-02.csv");
	ck_assert_uint_eq(got.n, 576);
	r = nth("EASTERN HUB", 0);
	assert_stamp(r->t, "2025-05-01T00:00:00-04:00");
	assert_dec(r->v[DG_FV_PRICE], "24.966949");
	assert_dec(r->v[DG_FV_ENERGY], "30.98");
	ck_assert_int_eq(dg_dec_add(r->v[DG_FV_ENERGY], r->v[DG_FV_CONGESTION],
	    &s), DG_OK);
	ck_assert_int_eq(dg_dec_add(s, r->v[DG_FV_LOSSES], &s), DG_OK);
	ck_assert_int_eq(dg_dec_cmp(s, r->v[DG_FV_PRICE]), 0);
	parse_ok("pjm-rt", "rt_hrl_lmps_20250501.csv");
	ck_assert_uint_eq(got.n, 288);
	/* MISO: 12 nodes x 24 hours; AEC HE 1 in EST = 05:00 UTC;
	 * LMP 26.82, MCC 1.66, MLC -0.21: energy 26.82-1.66+0.21 = 25.37 */
	parse_ok("miso-da", "20110716_da_lmp_miso_12nodes.csv");
	ck_assert_uint_eq(got.n, 288);
	r = nth("AEC", 0);
	ck_assert_int_eq(r->t, utc("2011-07-16T05:00:00Z"));
	assert_dec(r->v[DG_FV_PRICE], "26.82");
	assert_dec(r->v[DG_FV_CONGESTION], "1.66");
	assert_dec(r->v[DG_FV_LOSSES], "-0.21");
	assert_dec(r->v[DG_FV_ENERGY], "25.37");
	ck_assert_int_eq(nth("AEC", 23)->t, utc("2011-07-17T04:00:00Z"));
}
END_TEST

START_TEST(ercot_caiso)
{
	struct dg_fetch_filter f;
	struct dg_error e;
	const struct dg_fetch_row *r;

	memset(&f, 0, sizeof(f));
	f.have_days = 1;
	dg_tz_set("America/Chicago");
	parse_ok("ercot-dam", "ercot_dam_spp_HB_HOUSTON_2024.csv");
	ck_assert_uint_eq(got.n, 24 + 23 + 25);
	/* sorted although the file is not */
	for (size_t i = 1; i < got.n; i++)
		ck_assert(got.v[i].t > got.v[i - 1].t);
	/* 2024-11-03: hour ending 02:00 twice; DSTFlag=True (14.11) is the
	 * second, 01:00-02:00 CST = 07:00 UTC */
	for (size_t i = 0; i <= got.n; i++) {
		ck_assert_uint_lt(i, got.n);
		if (got.v[i].t == utc("2024-11-03T07:00:00Z")) {
			assert_dec(got.v[i].v[DG_FV_PRICE], "14.11");
			break;
		}
	}
	f.from = f.to = dg_date_from_ymd(2024, 3, 10);
	ck_assert_int_eq(parse_file("ercot-dam",
	    "ercot_dam_spp_HB_HOUSTON_2024.csv", &f, &e), DG_OK);
	{
		size_t n = 0;

		for (size_t i = 0; i < got.n; i++)
			n += dg_fetch_row_selected(&got.v[i], &f);
		ck_assert_uint_eq(n, 23);
	}
	/* CAISO: OPR_HR 1 of 2022-01-01 = 08:00 UTC, 60.24547 */
	dg_tz_set("America/Los_Angeles");
	parse_ok("caiso-dam", "caiso_ADCC_2_N001_20220101-03.csv");
	ck_assert_uint_eq(got.n, 72);
	r = &got.v[0];
	ck_assert_int_eq(r->t, utc("2022-01-01T08:00:00Z"));
	assert_dec(r->v[DG_FV_PRICE], "60.24547");
	ck_assert_uint_eq(r->have, 1u << DG_FV_PRICE);
}
END_TEST

START_TEST(nws)
{
	struct dg_fetch_filter f;
	struct dg_error e;

	dg_tz_set("America/New_York");
	memset(&f, 0, sizeof(f));
	f.label = "TAE/1,2";
	ck_assert_int_eq(parse_file("nws-forecast",
	    "nws_forecast_hourly_20191014.json", &f, &e), DG_OK);
	ck_assert_uint_eq(got.n, 10);
	ck_assert_str_eq(got.v[0].zone, "TAE/1,2");
	assert_stamp(got.v[0].t, "2019-10-14T20:00:00-04:00");
	assert_dec(got.v[0].v[DG_FV_TEMP_F], "78.00");
	assert_dec(got.v[0].v[DG_FV_RH], "63.0");
	ck_assert_int_eq(got.v[0].dur, 3600);
	/* observations, newest first in the file; 20 C = 68.00 F,
	 * 20.6 C x 1.8 + 32 = 69.08 F, RH 87.166... -> 87.2 */
	parse_ok("nws-obs", "nws_observations_KCNK_20190817.json");
	ck_assert_uint_eq(got.n, 3);
	ck_assert_str_eq(got.v[0].zone, "KCNK");
	ck_assert_int_eq(got.v[0].t, utc("2019-08-17T09:55:00Z"));
	assert_dec(got.v[0].v[DG_FV_TEMP_F], "69.08");
	assert_dec(got.v[2].v[DG_FV_TEMP_F], "68.00");
	assert_dec(got.v[2].v[DG_FV_RH], "87.2");
	ck_assert_int_eq(got.v[2].dur, 0);
}
END_TEST

/* The content of fp, read from its start, and fp closed. */
static char *
slurp_close(FILE *fp, size_t *len)
{
	char *b;
	struct dg_error e;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseeko(fp, 0, SEEK_SET), 0);
	ck_assert_int_eq(dg_fetch_read_fp(fp, "x", 1 << 20, &b, len, &e),
	    DG_OK);
	fclose(fp);
	return b;
}

static FILE *
mem_file(const char *s)
{
	FILE *fp = tmpfile();

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(s, fp) >= 0, 1);
	ck_assert_int_eq(fflush(fp), 0);
	return fp;
}

START_TEST(sha_cache_url)
{
	char hex[65], url[1024], cn[256], dir[] = "/tmp/check_fetchXXXXXX";
	char *body;
	size_t len;
	struct dg_error e;
	const struct dg_fetch_source *s = dg_fetch_source_find("nyiso-dam");
	FILE *fp;

	/* FIPS 180-2 example: SHA-256("abc") */
	dg_sha256_buf("abc", 3, hex);
	ck_assert_str_eq(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	dg_error_clear(&e);
	fp = mem_file("a,b\n1,2\n");
	ck_assert_int_eq(dg_fetch_cache_store(dir, "nyiso-dam", "x.csv",
	    "http://h/x.csv?a=1,2", 1500000000, fp, &e), DG_OK);
	fclose(fp);
	ck_assert_int_eq(dg_fetch_cache_open(dir, "nyiso-dam", "x.csv", &fp,
	    &e), DG_OK);
	body = slurp_close(fp, &len);
	ck_assert_uint_eq(len, 8);
	ck_assert_str_eq(body, "a,b\n1,2\n");
	free(body);
	/* new content: the old version is kept beside */
	fp = mem_file("a,b\n1,3\n");
	ck_assert_int_eq(dg_fetch_cache_store(dir, "nyiso-dam", "x.csv",
	    "http://h/x.csv", 1500000100, fp, &e), DG_OK);
	fclose(fp);
	dg_sha256_buf("a,b\n1,2\n", 8, hex);
	{
		char kept[512];

		snprintf(kept, sizeof(kept), "%s/nyiso-dam/x.csv.%.12s", dir,
		    hex);
		ck_assert_int_eq(access(kept, F_OK), 0);
	}
	ck_assert_int_eq(dg_fetch_cache_open(dir, "nyiso-dam", "y.csv", &fp,
	    &e), DG_ENOINPUT);
	/* a cached file changed behind the cache's back */
	{
		char path[512];
		FILE *w;

		snprintf(path, sizeof(path), "%s/nyiso-dam/x.csv", dir);
		ck_assert_ptr_nonnull(w = fopen(path, "r+"));
		ck_assert_int_eq(fputc('A', w), 'A');
		fclose(w);
		ck_assert_int_eq(dg_fetch_cache_open(dir, "nyiso-dam", "x.csv",
		    &fp, &e), DG_EDATA);
		ck_assert_ptr_null(fp);
	}
	/* the cache name of a --url: its last segment, made safe; with a
	 * query or a day, the day and 12 hex digits of the URL's SHA-256 */
	dg_fetch_cache_name("https://h/a/b%20c.csv", NULL, cn, sizeof(cn));
	ck_assert_str_eq(cn, "b_20c.csv");
	dg_fetch_cache_name("https://h/", "", cn, sizeof(cn));
	ck_assert_str_eq(cn, "download");
	dg_fetch_cache_name("https://h/x.json?a=1", "2019-08-17", cn,
	    sizeof(cn));
	dg_sha256_buf("https://h/x.json?a=1", 20, hex);
	snprintf(url, sizeof(url), "x.json-2019-08-17-%.12s", hex);
	ck_assert_str_eq(cn, url);
	/* URLs */
	ck_assert_int_eq(dg_fetch_url(s, NULL, dg_date_from_ymd(2017, 7, 19), 0,
	    NULL, url, sizeof(url), cn, sizeof(cn), &e), DG_OK);
	ck_assert_str_eq(url,
	    "https://mis.nyiso.com/public/csv/damlbmp/20170719damlbmp_zone.csv");
	ck_assert_int_eq(dg_fetch_url(dg_fetch_source_find("nyiso-rt"),
	    "http://x",
	    dg_date_from_ymd(2022, 7, 20), 1, NULL, url, sizeof(url), cn,
	    sizeof(cn), &e), DG_OK);
	ck_assert_str_eq(url,
	    "http://x/realtime/20220701realtime_zone_csv.zip");
	ck_assert_str_eq(cn, "20220701realtime_zone_csv.zip");
	/* CAISO: the operating day 2022-03-13 (23 h) runs 08:00Z..07:00Z */
	ck_assert_int_eq(dg_fetch_url(dg_fetch_source_find("caiso-dam"), NULL,
	    dg_date_from_ymd(2022, 3, 13), 0, "ADCC_2_N001", url, sizeof(url),
	    cn, sizeof(cn), &e), DG_OK);
	ck_assert_ptr_nonnull(strstr(url, "startdatetime=20220313T08:00-0000"
	    "&enddatetime=20220314T07:00-0000"));
	ck_assert_int_eq(dg_fetch_url(dg_fetch_source_find("caiso-dam"), NULL,
	    dg_date_from_ymd(2022, 3, 13), 0, NULL, url, sizeof(url), cn,
	    sizeof(cn), &e), DG_EINVAL);
	{
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

START_TEST(zip_members)
{
	/* a two-member archive made by Python's zipfile of the real daily
	 * files is built by the server tests; here: members chosen by day */
	char path[256], *buf;
	size_t len;
	struct dg_error e;
	struct dg_fetch_filter f;
	FILE *p;

	dg_tz_set("America/New_York");
	snprintf(path, sizeof(path), "/tmp/check_fetch_%ld.zip",
	    (long)getpid());
	{
		char cmd[1024];

		snprintf(cmd, sizeof(cmd), "cd '%s' && python3 -c \"import "
		    "zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w',"
		    "zipfile.ZIP_DEFLATED); [z.write(n) for n in sys.argv[2:]]\" "
		    "'%s' 20170702damlbmp_zone.csv 20170701damlbmp_zone.csv",
		    TD, path);
		if ((p = popen(cmd, "r")) == NULL || pclose(p) != 0) {
			unlink(path);
			return;	/* no python3: the server tests skip too */
		}
	}
	ck_assert_int_eq(dg_fetch_read_file(path, 1 << 24, &buf, &len, &e),
	    DG_OK);
	unlink(path);
	ck_assert_int_eq(parse_buf("nyiso-dam", buf, len, NULL, &e), DG_OK);
	ck_assert_uint_eq(got.n, 720);
	assert_stamp(got.v[0].t, "2017-07-01T00:00:00-04:00");
	memset(&f, 0, sizeof(f));
	f.have_days = 1;
	f.from = f.to = dg_date_from_ymd(2017, 7, 2);
	ck_assert_int_eq(parse_buf("nyiso-dam", buf, len, &f, &e), DG_OK);
	ck_assert_uint_eq(got.n, 360);
	assert_stamp(got.v[0].t, "2017-07-02T00:00:00-04:00");
	f.from = f.to = dg_date_from_ymd(2017, 7, 3);
	ck_assert_int_eq(parse_buf("nyiso-dam", buf, len, &f, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "no archive member for the days asked");
	/* a truncated archive */
	ck_assert_int_eq(parse_buf("nyiso-dam", buf, len / 2, NULL, &e),
	    DG_EDATA);
	free(buf);
}
END_TEST

/* A NYISO file trimmed to Time Stamp, Name and LBMP (as spreadsheets
 * export it): the PTID and the components are empty.  Hand-made stamps:
 * 12:05 and 12:38:01 end intervals of 300 s and 1981 s. */
START_TEST(nyiso_trimmed)
{
	struct dg_error e;
	static const char csv[] = "\"Time Stamp\",\"Name\",\"LBMP ($/MWHr)\"\n"
	    "\"07/20/2022 12:05:00\",\"LONGIL\",215.23\n"
	    "\"07/20/2022 12:38:01\",\"LONGIL\",207.73\n";

	dg_tz_set("America/New_York");
	ck_assert_int_eq(parse_buf("nyiso-rt", csv, sizeof(csv) - 1, NULL, &e),
	    DG_OK);
	ck_assert_uint_eq(got.n, 2);
	assert_stamp(got.v[1].t, "2022-07-20T12:05:00-04:00");
	ck_assert_int_eq(got.v[0].dur, 300);
	ck_assert_int_eq(got.v[1].dur, 1981);
	ck_assert_str_eq(got.v[1].ptid, "");
	ck_assert_uint_eq(got.v[1].have, 1u << DG_FV_PRICE);
	ck_assert_int_eq(got.v[1].v[DG_FV_PRICE].v, 20773);
}
END_TEST

/* The input helper: a native file is told by its header and parsed whole;
 * another CSV is read from csv; a missing file is DG_ENOINPUT. */
START_TEST(input_open)
{
	struct dg_fetch_input in;
	struct dg_csv_opts o;
	struct dg_error e;
	char path[] = "/tmp/check_fetch_XXXXXX";
	int fd = mkstemp(path);
	static const char native[] = "\"Time Stamp\",\"Name\",\"PTID\","
	    "\"LBMP ($/MWHr)\"\n\"07/19/2017 00:00\",\"CAPITL\",61757,25.59\n";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, native, sizeof(native) - 1),
	    (ssize_t)sizeof(native) - 1);
	close(fd);
	dg_csv_opts_init(&o);
	dg_tz_set("America/New_York");
	ck_assert_int_eq(dg_fetch_input_open(&in, path, &o, &e), DG_OK);
	ck_assert(dg_fetch_input_nyiso(&in));
	ck_assert_str_eq(in.name, path);
	dg_fetch_rows_release(&got);
	ck_assert_int_eq(dg_fetch_input_parse(&in,
	    dg_fetch_source_find("nyiso-dam"), NULL, collect, NULL, &e), DG_OK);
	ck_assert_uint_eq(got.n, 1);
	assert_stamp(got.v[0].t, "2017-07-19T00:00:00-04:00");
	ck_assert_int_eq(got.v[0].dur, 3600);
	dg_fetch_input_close(&in);
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "zone,time\nA,x\n", 14), 14);
	close(fd);
	ck_assert_int_eq(dg_fetch_input_open(&in, path, &o, &e), DG_OK);
	ck_assert(!dg_fetch_input_nyiso(&in));
	ck_assert_int_eq(dg_csv_next(in.csv), DG_OK);
	ck_assert_str_eq(dg_csv_field(in.csv, 0, NULL), "A");
	ck_assert_int_eq(dg_csv_next(in.csv), DG_EOF);
	dg_fetch_input_close(&in);
	unlink(path);
	ck_assert_int_eq(dg_fetch_input_open(&in, path, &o, &e), DG_ENOINPUT);
	ck_assert_str_eq(e.file, path);
}
END_TEST

/* --- limits ------------------------------------------------------------ */

static const char dam_hdr[] = "Time Stamp,Name,PTID,LBMP ($/MWHr),"
    "Marginal Cost Losses ($/MWHr),Marginal Cost Congestion ($/MWHr)\r\n";

static int
parse_str(const char *source, const char *s, struct dg_error *e)
{
	return parse_buf(source, s, strlen(s), NULL, e);
}

START_TEST(bad_csv)
{
	struct dg_error e;
	char buf[1024];

	dg_tz_set("America/New_York");
	/* wrong header */
	ck_assert_int_eq(parse_str("nyiso-dam", "Time,Zone,Price\r\n"
	    "07/19/2017 00:00,CAPITL,25.59\r\n", &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "missing column \"Time Stamp\"");
	/* ragged row */
	snprintf(buf, sizeof(buf), "%s07/19/2017 00:00,CAPITL,61757,25.59,1.64"
	    "\r\n", dam_hdr);
	ck_assert_int_eq(parse_str("nyiso-dam", buf, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 2);
	/* non-numeric price */
	snprintf(buf, sizeof(buf), "%s07/19/2017 00:00,CAPITL,61757,25.5x,1.64,"
	    "-0.53\r\n", dam_hdr);
	ck_assert_int_eq(parse_str("nyiso-dam", buf, &e), DG_EDATA);
	ck_assert_str_eq(e.column, "LBMP ($/MWHr)");
	ck_assert_int_eq(e.line, 2);
	/* 02:30 does not exist on 2017-03-12 */
	snprintf(buf, sizeof(buf), "%s03/12/2017 02:00,CAPITL,61757,25.59,1.64,"
	    "-0.53\r\n", dam_hdr);
	ck_assert_int_eq(parse_str("nyiso-dam", buf, &e), DG_EDATA);
	/* a stamp going back */
	snprintf(buf, sizeof(buf), "%s07/19/2017 01:00,CAPITL,61757,1,1,1\r\n"
	    "07/19/2017 00:00,CAPITL,61757,1,1,1\r\n", dam_hdr);
	ck_assert_int_eq(parse_str("nyiso-dam", buf, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	/* empty, HTML, header only */
	ck_assert_int_eq(parse_str("nyiso-dam", "", &e), DG_EDATA);
	ck_assert_int_eq(parse_str("nyiso-dam", "\n <html><body>busy</body>",
	    &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "an HTML or XML page, not nyiso-dam data");
	ck_assert_int_eq(parse_str("nyiso-dam", dam_hdr, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "no data rows");
	/* palIntegrated: EST on a summer stamp */
	ck_assert_int_eq(parse_str("nyiso-load", "\"Time Stamp\",\"Time Zone\","
	    "\"Name\",\"PTID\",\"Integrated Load\"\r\n\"07/15/2002 00:00:00\","
	    "\"EST\",\"CAPITL\",61757,1203\r\n", &e), DG_EDATA);
	ck_assert_str_eq(e.column, "Time Zone");
	/* ERCOT: DSTFlag on an ordinary hour; hour ending 25 */
	ck_assert_int_eq(parse_str("ercot-dam", "deliveryDate,hourEnding,"
	    "settlementPoint,settlementPointPrice,DSTFlag\n2024-01-01,08:00,"
	    "HB_HOUSTON,28.41,True\n", &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "DST flag set outside the repeated hour");
	ck_assert_int_eq(parse_str("ercot-dam", "deliveryDate,hourEnding,"
	    "settlementPoint,settlementPointPrice,DSTFlag\n2024-01-01,25:00,"
	    "HB_HOUSTON,28.41,False\n", &e), DG_EDATA);
	/* PJM: Eastern time not matching UTC */
	ck_assert_int_eq(parse_str("pjm-da", "datetime_beginning_utc,"
	    "datetime_beginning_ept,pnode_id,pnode_name,system_energy_price_da,"
	    "total_lmp_da,congestion_price_da,marginal_loss_price_da\n"
	    "5/1/2025 4:00:00 AM,5/1/2025 1:00:00 AM,51217,EASTERN HUB,1,1,0,0\n",
	    &e), DG_EDATA);
}
END_TEST

/* NYISO's ICAP auction prices: the MCP Table of the ICAP Market Report
 * saved as CSV (testdata/fetch/PROVENANCE.md: a documented sample). */
START_TEST(nyiso_icap)
{
	struct dg_error e;
	const struct dg_fetch_row *r;
	size_t missing = 0;

	dg_tz_set("America/New_York");
	parse_ok("nyiso-icap", "icap-mcp-table-2022-summer.csv");
	/* 6 months x 4 localities x 3 auctions */
	ck_assert_uint_eq(got.n, 72);
	ck_assert_uint_eq(count_zone("G-J"), 18);
	for (size_t i = 0; i < got.n; i++)
		missing += (got.v[i].quality & DG_FQ_MISSING) != 0;
	ck_assert_uint_eq(missing, 4);	/* no monthly auction for October */
	r = nth("NYC", 3 * 2 + 2);	/* July's spot */
	ck_assert_str_eq(r->ptid, "spot");
	assert_dec(r->v[DG_FV_PRICE], "14.49");
	assert_stamp(r->t, "2022-07-01T00:00:00-04:00");
	ck_assert_int_eq(r->dur, 31 * 86400);
	ck_assert_int_eq(r->line, 5);
	ck_assert_int_eq(r->quality, 0);
	/* columns in another order are read by their names */
	ck_assert_int_eq(parse_str("nyiso-icap", ",LI,,NYCA\r\nDate,Spot,"
	    "Strip,Spot\r\n2022-07,$4.37 ,1,3.18\r\n", &e), DG_OK);
	ck_assert_uint_eq(got.n, 3);
	ck_assert_str_eq(nth("LI", 1)->ptid, "strip");
	assert_dec(nth("LI", 0)->v[DG_FV_PRICE], "4.37");
	/* an unknown locality, an unknown auction, a month twice, a bad price */
	ck_assert_int_eq(parse_str("nyiso-icap", ",ROS,\r\n,Strip,Spot\r\n"
	    "2022-07,1,2\r\n", &e), DG_EDATA);
	ck_assert_int_eq(e.line, 1);
	ck_assert_int_eq(parse_str("nyiso-icap", ",NYCA,\r\n,Strip,Deficiency"
	    "\r\n2022-07,1,2\r\n", &e), DG_EDATA);
	ck_assert_int_eq(e.line, 2);
	ck_assert_int_eq(parse_str("nyiso-icap", ",NYCA,\r\n,Strip,Spot\r\n"
	    "2022-07,1,2\r\n2022-08,1,2\r\n7/1/2022,1,2\r\n", &e),
	    DG_EDATA);
	ck_assert_int_eq(e.line, 5);
	ck_assert_str_eq(e.column, "month");
	ck_assert_int_eq(parse_str("nyiso-icap", ",NYCA,\r\n,Strip,Spot\r\n"
	    "2022-07,1,2.x\r\n", &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert_str_eq(e.column, "NYCA spot");
	ck_assert_int_eq(parse_str("nyiso-icap", ",NYCA,\r\n", &e), DG_EDATA);
}
END_TEST

START_TEST(bad_other)
{
	struct dg_error e;
	const char miso_ea[] = "Day Ahead Market ExAnte LMPs\n07/16/2011\n\n"
	    ",,,All Hours-Ending are Eastern Standard Time (EST)\n"
	    "Node,Type,Value,HE 1\nAEC,Interface,LMP,1\n";

	/* a preliminary (ex-ante) report is not read as the final one */
	ck_assert_int_eq(parse_str("miso-da", miso_ea, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "an ex-ante (preliminary) report, not miso-da");
	/* and then the header lacks HE 2 .. HE 24 */
	ck_assert_int_eq(parse_str("miso-da-exante", miso_ea, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "missing column \"HE 2\"");
	ck_assert_int_eq(e.line, 5);
	/* JSON */
	ck_assert_int_eq(parse_str("nws-obs", "{\"features\": [", &e),
	    DG_EDATA);
	ck_assert_int_eq(parse_str("nws-obs", "{\"type\": \"Feature\"}", &e),
	    DG_EDATA);
	ck_assert_int_eq(parse_str("nws-forecast",
	    "{\"properties\": {\"periods\":"
	    " [{\"startTime\": \"2019-10-14T20:00:00\", \"endTime\": "
	    "\"2019-10-14T21:00:00-04:00\", \"temperature\": 78, "
	    "\"temperatureUnit\": \"F\"}]}}", &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "periods[0]: startTime/endTime missing or not "
	    "ISO 8601 with offset");
	ck_assert_int_eq(parse_str("nws-forecast",
	    "{\"properties\": {\"periods\":"
	    " [{\"startTime\": \"2019-10-14T20:00:00-04:00\", \"endTime\": "
	    "\"2019-10-14T21:00:00-04:00\", \"temperature\": 78, "
	    "\"temperatureUnit\": \"K\"}]}}", &e), DG_EDATA);
	/* the newer quantitative form; 25.5 C = 77.90 F; no humidity */
	ck_assert_int_eq(parse_str("nws-forecast",
	    "{\"properties\": {\"periods\":"
	    " [{\"startTime\": \"2019-10-14T20:00:00-04:00\", \"endTime\": "
	    "\"2019-10-14T21:00:00-04:00\", \"temperature\": {\"unitCode\": "
	    "\"wmoUnit:degC\", \"value\": 25.5}}]}}", &e), DG_OK);
	assert_dec(got.v[0].v[DG_FV_TEMP_F], "77.90");
	ck_assert_uint_eq(got.v[0].quality, DG_FQ_MISSING);
	ck_assert_uint_eq(got.v[0].have, 1u << DG_FV_TEMP_F);
	/* a MISO report cut in its last number, without its line end */
	{
		char *buf;
		size_t len;

		ck_assert_int_eq(dg_fetch_read_file(TD
		    "20110716_da_lmp_miso_12nodes.csv", 1 << 20, &buf, &len,
		    &e), DG_OK);
		ck_assert_int_eq(parse_buf("miso-da", buf, len - 2, NULL, &e),
		    DG_EDATA);
		ck_assert_int_eq(e.line, 41);
		ck_assert_str_eq(e.msg, "no line end at the end of the input: "
		    "cut short?");
		free(buf);
	}
	/* truncated gzip */
	ck_assert_int_eq(parse_buf("pjm-da", "\x1f\x8b\x08\x00\x00\x00", 6,
	    NULL, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "truncated or corrupt gzip data");
	/* unknown source; http_get refuses other schemes */
	ck_assert_ptr_null(dg_fetch_source_find("nyiso"));
	{
		struct dg_fetch_http h;
		FILE *b = tmpfile();
		uint64_t n;

		dg_fetch_http_init(&h);
		ck_assert_int_eq(dg_fetch_http_get(&h, "file:///etc/passwd", b,
		    &n, &e), DG_EINVAL);
		fclose(b);
		/* the same scheme, host and port: a header is sent on */
		ck_assert(dg_fetch_same_origin("https://api.pjm.com/a",
		    "HTTPS://API.PJM.COM:443/b?c"));
		ck_assert(!dg_fetch_same_origin("https://api.pjm.com/a",
		    "https://blob.example.net/b"));
		ck_assert(!dg_fetch_same_origin("https://api.pjm.com/a",
		    "http://api.pjm.com/a"));
		ck_assert(!dg_fetch_same_origin("http://127.0.0.1:8001/a",
		    "http://127.0.0.1:8002/a"));
	}
}
END_TEST

/* gzip of the day-ahead header and its first row repeated n times. */
static unsigned char *
gzip_rows(size_t n, size_t *glen)
{
	static const char row[] = "07/19/2017 00:00,CAPITL,61757,25.59,1.64,"
	    "-0.53\r\n";
	size_t len = sizeof(dam_hdr) - 1 + n * (sizeof(row) - 1), o;
	char *raw = malloc(len);
	unsigned char *g = malloc(len / 2 + 1024);
	z_stream z;

	ck_assert_ptr_nonnull(raw);
	ck_assert_ptr_nonnull(g);
	memcpy(raw, dam_hdr, sizeof(dam_hdr) - 1);
	o = sizeof(dam_hdr) - 1;
	for (size_t i = 0; i < n; i++, o += sizeof(row) - 1)
		memcpy(raw + o, row, sizeof(row) - 1);
	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)raw;
	z.avail_in = (uInt)len;
	z.next_out = g;
	z.avail_out = (uInt)(len / 2 + 1024);
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*glen = z.total_out;
	deflateEnd(&z);
	free(raw);
	return g;
}

START_TEST(inflate_limits)
{
	struct dg_error e;
	struct dg_fetch_sink sk;
	struct dg_csvw w;
	size_t glen;
	/* 100,000 rows, 5.2 MB, deflate near its limit of 1032:1 */
	unsigned char *g = gzip_rows(100000, &glen);
	FILE *fp;

	dg_tz_set("America/New_York");
	ck_assert_uint_lt(glen * 100, 5000000);
	/* by default: refused past 1 MiB and 100 times the bytes read */
	ck_assert_int_eq(parse_buf("nyiso-dam", (char *)g, glen, NULL, &e),
	    DG_EDATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "gzip content: inflates to more "
	    "than 100 times the "));
	ck_assert_str_eq(e.file, "input");
	/* a higher ratio lets it through; a lower size limit does not */
	ck_assert_ptr_nonnull(fp = fopen("/dev/null", "w"));
	dg_csvw_init(&w, fp, ',', 0, 0);
	memset(&sk, 0, sizeof(sk));
	sk.w = &w;
	sk.max_ratio = 10000;
	ck_assert_int_eq(dg_fetch_stream_buf(dg_fetch_source_find("nyiso-dam"),
	    (char *)g, glen, "g", NULL, &sk, &e), DG_OK);
	ck_assert_int_eq(sk.counts.rows, 100000);
	ck_assert_int_eq(sk.counts.flagged[0], 100000);
	sk.max_inflate = 100000;
	ck_assert_int_eq(dg_fetch_stream_buf(dg_fetch_source_find("nyiso-dam"),
	    (char *)g, glen, "g", NULL, &sk, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "gzip content: inflates to more than 100000 "
	    "bytes (the limit)");
	fclose(fp);
	free(g);
}
END_TEST

/* --- dg_fetch_stream: the same output as dg_fetch_parse, whatever the
 * sort memory (spilled runs, multi-pass merges) and the file's order. */

struct legacy {
	struct dg_csvw *w;
	const struct dg_fetch_source *src;
	struct dg_fetch_counts c;
	long shorts;
};

static int
legacy_rows(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	struct legacy *a = arg;

	(void)member;
	(void)err;
	a->shorts += dg_fetch_short_days(a->src, rows, NULL, NULL, NULL);
	return dg_fetch_write_rows(a->w, a->src, rows, NULL, &a->c);
}

/* The legacy and streamed outputs of buf, compared for each memory. */
static void
same_output(const char *source, const char *buf, size_t len)
{
	static const size_t mem[] = { 1, 3000, 20000, 0 };
	const struct dg_fetch_source *src = dg_fetch_source_find(source);
	struct dg_error e;
	struct dg_csvw w;
	struct legacy a;
	char *want = NULL, *have = NULL;
	size_t wl = 0, hl = 0;
	FILE *fp;

	ck_assert_ptr_nonnull(src);
	ck_assert_ptr_nonnull(fp = open_memstream(&want, &wl));
	dg_csvw_init(&w, fp, ',', 0, 0);
	memset(&a, 0, sizeof(a));
	a.w = &w;
	a.src = src;
	dg_error_clear(&e);
	ck_assert_int_eq(dg_fetch_parse(src, buf, len, "input", NULL,
	    legacy_rows, &a, &e), DG_OK);
	fclose(fp);
	ck_assert_int_gt(a.c.rows, 0);
	for (size_t m = 0; m < sizeof(mem) / sizeof(mem[0]); m++) {
		struct dg_fetch_sink sk;

		ck_assert_ptr_nonnull(fp = open_memstream(&have, &hl));
		dg_csvw_init(&w, fp, ',', 0, 0);
		memset(&sk, 0, sizeof(sk));
		sk.w = &w;
		sk.mem = mem[m];
		ck_assert_int_eq(dg_fetch_stream_buf(src, buf, len, "input",
		    NULL, &sk, &e), DG_OK);
		fclose(fp);
		ck_assert_int_eq(hl, wl);
		ck_assert_int_eq(memcmp(have, want, wl), 0);
		ck_assert_int_eq(sk.counts.rows, a.c.rows);
		for (int k = 0; k < DG_FQ_N; k++)
			ck_assert_int_eq(sk.counts.flagged[k], a.c.flagged[k]);
		ck_assert_int_eq(sk.short_days, a.shorts);
		free(have);
		have = NULL;
	}
	free(want);
}

static void
same_output_file(const char *source, const char *file)
{
	char path[512], *buf;
	size_t len;
	struct dg_error e;

	snprintf(path, sizeof(path), TD "%s", file);
	ck_assert_int_eq(dg_fetch_read_file(path, (size_t)1 << 30, &buf, &len,
	    &e), DG_OK);
	same_output(source, buf, len);
	free(buf);
}

START_TEST(stream_bounded)
{
	char path[512], *buf, *zm, *line, **lines = NULL;
	size_t len, n = 0, cap = 0, o = 0;
	struct dg_error e;

	same_output_file("nyiso-rt", "20220720realtime_zone.csv");
	same_output_file("nyiso-rt", "20221106realtime_zone.csv");
	same_output_file("nyiso-load", "20020715palIntegrated.csv");
	same_output_file("nyiso-load", "20030814palIntegrated.csv");
	same_output_file("nyiso-isolf", "20171105isolf.csv");
	same_output_file("miso-da", "20110716_da_lmp_miso_12nodes.csv");
	same_output_file("caiso-dam", "caiso_ADCC_2_N001_20220101-03.csv");
	same_output_file("pjm-da", "da_hrl_lmps_20250501-02.csv");
	same_output_file("ercot-dam", "ercot_dam_spp_HB_HOUSTON_2024.csv");
	same_output_file("nws-obs", "nws_observations_KCNK_20190817.json");
	/* the fall-back day written zone by zone: every row moves */
	snprintf(path, sizeof(path), TD "20171105damlbmp_zone.csv");
	ck_assert_int_eq(dg_fetch_read_file(path, (size_t)1 << 30, &buf, &len,
	    &e), DG_OK);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (n == cap) {
			cap = cap ? 2 * cap : 512;
			ck_assert_ptr_nonnull(lines = realloc(lines,
			    cap * sizeof(*lines)));
		}
		lines[n++] = line;
	}
	ck_assert_ptr_nonnull(zm = malloc(len + 1));
	o += (size_t)sprintf(zm, "%s\n", lines[0]);
	/* zones in the order of the file's first stamp, hours in file order */
	for (size_t z = 1; z < n && strncmp(lines[z], lines[1], 16) == 0; z++) {
		const char *name = strchr(lines[z], ',') + 1;
		size_t nl = strcspn(name, ",");

		for (size_t i = 1; i < n; i++) {
			const char *ni = strchr(lines[i], ',') + 1;

			if (strcspn(ni, ",") == nl &&
			    strncmp(ni, name, nl) == 0)
				o += (size_t)sprintf(zm + o, "%s\n", lines[i]);
		}
	}
	ck_assert_int_eq(o, len);
	same_output("nyiso-dam", zm, o);
	free(lines);
	free(zm);
	free(buf);
}
END_TEST

static Suite *
fetch_suite(void)
{
	Suite *s = suite_create("fetch");
	TCase *core = tcase_create("core");
	TCase *lim = tcase_create("limits");

	tcase_set_timeout(core, 30);
	tcase_add_test(core, caller_zone);
	tcase_add_test(core, dam_normal_day);
	tcase_add_test(core, dam_dst_days);
	tcase_add_test(core, rt_intervals);
	tcase_add_test(core, rt_truncated_fixture);
	tcase_add_test(core, nyiso_icap);
	tcase_add_test(core, pal_and_isolf);
	tcase_add_test(core, pjm_miso);
	tcase_add_test(core, ercot_caiso);
	tcase_add_test(core, nws);
	tcase_add_test(core, sha_cache_url);
	tcase_add_test(core, zip_members);
	tcase_add_test(core, nyiso_trimmed);
	tcase_add_test(core, input_open);
	tcase_add_test(core, stream_bounded);
	suite_add_tcase(s, core);
	tcase_add_test(lim, bad_csv);
	tcase_add_test(lim, bad_other);
	tcase_add_test(lim, inflate_limits);
	suite_add_tcase(s, lim);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fetch_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	dg_fetch_rows_release(&got);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
