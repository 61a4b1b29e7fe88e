/* check_core.c: unit tests of libdgagg's core modules: decimals, time,
 * calendar, CSV reading and writing, atomic output, pulse conversion.
 * Suite "core": what must work; suite "limits": the error paths. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ck_dec.h"
#include "dgagg.h"

static const char *
F(dg_dec d)
{
	static char buf[4][DG_DEC_BUFSZ];
	static int k;

	k = (k + 1) % 4;
	dg_dec_format(d, buf[k], sizeof(buf[k]));
	return buf[k];
}

/* --- decimals ------------------------------------------------------- */

START_TEST(dec_roundtrip)
{
	static const char *const v[] = {
		"2.385", "12.50", "-0.005", "0", "1234567.891", "0.000001",
		"-41.37", "922337203685477580.7"
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_str_eq(F(dec(v[i])), v[i]);
	/* a leading '+' and a bare point are read; printing normalizes */
	ck_assert_str_eq(F(dec("+.5")), "0.5");
	ck_assert_str_eq(F(dec("7.")), "7");
}
END_TEST

START_TEST(dec_products_round_once)
{
	dg_dec r;

	/* hand-computed: 2.385 MWh x 41.37 $/MWh = 98.66745 -> 98.67 */
	ck_assert_int_eq(dg_dec_mul(dec("2.385"), dec("41.37"), 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "98.67");
	ck_assert_int_eq(dg_dec_mul(dec("2.385"), dec("41.37"), -1, &r), DG_OK);
	ck_assert_str_eq(F(r), "98.66745");
	/* half away from zero, both signs */
	ck_assert_int_eq(dg_dec_rescale(dec("0.125"), 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "0.13");
	ck_assert_int_eq(dg_dec_rescale(dec("-0.125"), 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "-0.13");
	ck_assert_int_eq(dg_dec_rescale(dec("0.1249"), 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "0.12");
	/* kWh x $/MWh / 1000 in one rounding:
	 * 1234.5 x 512.34 x 0.001 = 632.48373 -> 632.48 */
	ck_assert_int_eq(dg_dec_mul3(dec("1234.5"), dec("512.34"), dec("0.001"),
	    2, &r), DG_OK);
	ck_assert_str_eq(F(r), "632.48");
	/* rounding twice would give 0.01 here: 0.0049 x 1 -> 0.005 -> 0.01 */
	ck_assert_int_eq(dg_dec_mul(dec("0.0049"), dec("1.0"), 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "0.00");
}
END_TEST

START_TEST(dec_add_div_cmp)
{
	dg_dec r;

	ck_assert_int_eq(dg_dec_add(dec("2.385"), dec("0.15"), &r), DG_OK);
	ck_assert_str_eq(F(r), "2.535");
	ck_assert_int_eq(dg_dec_sub(dec("2.385"), dec("5"), &r), DG_OK);
	ck_assert_str_eq(F(r), "-2.615");
	ck_assert_int_eq(dg_dec_div(dec("10"), dec("3"), 4, &r), DG_OK);
	ck_assert_str_eq(F(r), "3.3333");
	ck_assert_int_eq(dg_dec_div(dec("-29.993"), dec("6"), 3, &r), DG_OK);
	ck_assert_str_eq(F(r), "-4.999");
	ck_assert_int_eq(dg_dec_cmp(dec("2.50"), dec("2.5")), 0);
	ck_assert_int_eq(dg_dec_cmp(dec("2.49"), dec("2.5")), -1);
	ck_assert_int_eq(dg_dec_from_double(2.675, 2, &r), DG_OK);
	/* 2.675 as a double is 2.674999999999999822...; written with six
	 * more decimals it reads 2.67500000, which rounds to 2.68 */
	ck_assert_str_eq(F(r), "2.68");
	ck_assert_int_eq(dg_dec_from_double(-0.0004, 3, &r), DG_OK);
	ck_assert_str_eq(F(r), "0.000");
	ck_assert_int_eq(dg_dec_from_double(-2.675, 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "-2.68");
	/* the integer path and the printed path agree on either side of 4e9 */
	ck_assert_int_eq(dg_dec_from_double(3999999.9995, 3, &r), DG_OK);
	ck_assert_str_eq(F(r), "4000000.000");
	ck_assert_int_eq(dg_dec_from_double(4000000.0005, 3, &r), DG_OK);
	ck_assert_str_eq(F(r), "4000000.001");
	ck_assert_int_eq(dg_dec_from_double(123456789012.345678, 2, &r), DG_OK);
	ck_assert_str_eq(F(r), "123456789012.35");
}
END_TEST

START_TEST(dec_limits)
{
	dg_dec d, r;

	ck_assert_int_eq(dg_dec_parse("", 0, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse("1e5", 3, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse("1,000", 5, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse("12,5", 4, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse(" 1", 2, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse("-", 1, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse(".", 1, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse("1.2.3", 5, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse("99999999999999999999", 20, &d),
	    DG_ERANGE);
	ck_assert_int_eq(dg_dec_parse("0.0000000000000000001", 21, &d),
	    DG_ERANGE);
	ck_assert_int_eq(dg_dec_mul(dec("9999999999"), dec("9999999999"), 2,
	    &r), DG_ERANGE);
	ck_assert_int_eq(dg_dec_div(dec("1"), dec("0.00"), 2, &r), DG_ERANGE);
	/* a numerator scaled past 128 bits: no 64-bit quotient (fuzz_dec) */
	ck_assert_int_eq(dg_dec_div(dec("6152"), dec("4.611686018427387904"),
	    18, &r), DG_ERANGE);
	ck_assert_int_eq(dg_dec_div(dec("6152"), dec("4.611686018427387904"),
	    15, &r), DG_OK);
	ck_assert_str_eq(F(r), "1334.002353026164656");
	ck_assert_int_eq(dg_dec_rescale(dec("92233720368547758.07"), 3, &r),
	    DG_ERANGE);
	ck_assert_int_eq(dg_dec_from_double(1.0 / 0.0, 2, &r), DG_ERANGE);
}
END_TEST

START_TEST(dec_rendering)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		/* what Gnumeric 1.12.55 saved for 412.98, 0.1 and 123456.789
		 * (ssconvert, CSV to .xlsx and back to CSV) */
		{ "412.98000000000000001", "412.98" },
		{ "0.100000000000000000001", "0.1" },
		{ "123456.789000000000001", "123456.789" },
		{ "-412.98000000000000001", "-412.98" },
		/* %.17g of 2.385 rounds up; 20 digits of it */
		{ "2.3849999999999997868", "2.385" },
		{ "0.000000000000000000000", "0" },
		{ "+99.999999999999999999999", "100" },
	};
	dg_dec d;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_assert_int_eq(dg_dec_parse_rendering(ok[i].in,
		    strlen(ok[i].in), &d), DG_OK);
		ck_assert_str_eq(F(d), ok[i].out);
	}
	/* a double that no decimal of 15 digits gives: a number of its own
	 * (0.1 + 0.2 in full), not a rendering */
	ck_assert_int_eq(dg_dec_parse_rendering("0.3000000000000000444089209850062616169452667236328125",
	    54, &d), DG_ERANGE);
	ck_assert_int_eq(dg_dec_parse_rendering("0.00000000000000000000123", 25,
	    &d), DG_ERANGE);
	ck_assert_int_eq(dg_dec_parse_rendering("123456789012345678901.5", 23,
	    &d), DG_ERANGE);
	ck_assert_int_eq(dg_dec_parse_rendering("1e5", 3, &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse_rendering("412,98000000000000001", 21,
	    &d), DG_EDATA);
	ck_assert_int_eq(dg_dec_parse_rendering("-", 1, &d), DG_EDATA);
}
END_TEST

/* --- time ------------------------------------------------------------ */

static dg_time
T(const char *s, int naive)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), naive, &ts, &why), DG_OK);
	return ts.t;
}

static const char *
TF(dg_time t)
{
	static char buf[DG_TIME_BUFSZ];

	dg_time_format(t, buf, sizeof(buf));
	return buf;
}

START_TEST(time_iso)
{
	dg_tz_set("America/New_York");
	/* 2003-08-14 14:00 EDT = 18:00 UTC = 1060884000 */
	ck_assert_int_eq(T("2003-08-14T14:00:00-04:00", 0), 1060884000);
	ck_assert_int_eq(T("2003-08-14T18:00:00Z", 0), 1060884000);
	ck_assert_int_eq(T("2003-08-14 14:00-04:00", 0), 1060884000);
	ck_assert_int_eq(T("2003-08-14T23:30:00+0530", 0), 1060884000);
	ck_assert_str_eq(TF(1060884000), "2003-08-14T14:00:00-04:00");
	ck_assert_int_eq(T("08/14/2003 14:00", 1), 1060884000);
	ck_assert_int_eq(T("08/14/2003 14:00:00", 1), 1060884000);
	ck_assert_int_eq(T("2003-08-14 14:00", 1), 1060884000);
	dg_tz_set("UTC");
	ck_assert_str_eq(TF(1060884000), "2003-08-14T18:00:00+00:00");
	dg_tz_set("America/New_York");
}
END_TEST

START_TEST(time_dst)
{
	struct dg_tstamp ts;
	const char *why;
	dg_time t;

	dg_tz_set("America/New_York");
	/* fall back 2017-11-05: 01:00 EDT (05:00Z) and 01:00 EST (06:00Z) */
	ck_assert_int_eq(dg_time_parse("11/05/2017 01:00", 16, 1, &ts, &why),
	    DG_OK);
	ck_assert(ts.ambiguous);
	ck_assert_int_eq(ts.t2 - ts.t, 3600);
	ck_assert_str_eq(TF(ts.t), "2017-11-05T01:00:00-04:00");
	ck_assert_str_eq(TF(ts.t2), "2017-11-05T01:00:00-05:00");
	/* row order: after 01:45 EDT the next 01:00 is EST */
	t = T("2017-11-05T01:45:00-04:00", 0);
	ck_assert_int_eq(dg_tstamp_pick(&ts, t), ts.t2);
	ck_assert_int_eq(dg_tstamp_pick(&ts, T("2017-11-05T00:45:00-04:00", 0)),
	    ts.t);
	ck_assert_int_eq(dg_tstamp_pick_abbr(&ts, "EST", 3, &t), DG_OK);
	ck_assert_int_eq(t, ts.t2);
	ck_assert_int_eq(dg_tstamp_pick_abbr(&ts, "EDT", 3, &t), DG_OK);
	ck_assert_int_eq(t, ts.t);
	ck_assert_int_eq(dg_date_hours(dg_date_from_ymd(2017, 11, 5)), 25);
	ck_assert_int_eq(dg_date_hours(dg_date_from_ymd(2017, 3, 12)), 23);
	ck_assert_int_eq(dg_date_hours(dg_date_from_ymd(2017, 7, 4)), 24);
	ck_assert_int_eq(dg_time_hour_index(ts.t2), 2);	/* HE3 on
							 * a 25-hour day */
	ck_assert_int_eq(dg_time_hour_index(T("2017-03-12T03:00:00-04:00", 0)),
	    2);
	/* interval arithmetic across DST: 00:00 + 4 h on 2017-03-12 = 05:00
	 * EDT */
	ck_assert_str_eq(TF(T("2017-03-12T00:00:00-05:00", 0) + 4 * 3600),
	    "2017-03-12T05:00:00-04:00");
	ck_assert_str_eq(TF(dg_time_floor(T("2017-11-05T01:44:59-05:00", 0),
	    900)), "2017-11-05T01:30:00-05:00");
	ck_assert_int_eq(dg_date_of(T("2017-11-05T23:59:59-05:00", 0)),
	    dg_date_from_ymd(2017, 11, 5));
}
END_TEST

START_TEST(time_limits)
{
	struct dg_tstamp ts;
	const char *why;

	dg_tz_set("America/New_York");
	ck_assert_int_eq(dg_time_parse("2017-03-12 02:30", 16, 1, &ts, &why),
	    DG_EDATA);
	ck_assert_str_eq(why,
	    "local time does not exist (skipped by daylight saving)");
	ck_assert_int_eq(dg_time_parse("2017-07-14 14:00", 16, 0, &ts, &why),
	    DG_EDATA);
	ck_assert_str_eq(why, "no UTC offset in time stamp (give --tz ZONE)");
	ck_assert_int_eq(dg_time_parse("2017-02-29T00:00:00-05:00", 25, 0, &ts,
	    &why), DG_EDATA);
	ck_assert_str_eq(why, "date-time out of range");
	ck_assert_int_eq(dg_time_parse("2017-07-14T24:00:00-04:00", 25, 0, &ts,
	    &why), DG_EDATA);
	ck_assert_int_eq(dg_time_parse("2017-07-14T14:00:00-04:00x", 26, 0, &ts,
	    &why), DG_EDATA);
	ck_assert_int_eq(dg_time_parse("14/07/2017 14:00", 16, 1, &ts, &why),
	    DG_EDATA);
	ck_assert_int_eq(dg_time_parse("", 0, 1, &ts, &why), DG_EDATA);
	ck_assert_int_eq(dg_time_parse("1883-07-14T14:00:00-05:00", 25, 0, &ts,
	    &why), DG_EDATA);
	ck_assert_str_eq(why, "date-time before 1900");
	/* local time before 1900 (New York: UTC-5) with 1900 written */
	ck_assert_int_eq(dg_time_parse("1900-01-01T04:59:59+00:00", 25, 0, &ts,
	    &why), DG_EDATA);
	ck_assert_str_eq(why, "date-time before 1900");
	ck_assert_int_eq(dg_time_parse("1900-01-01T05:00:00+00:00", 25, 0, &ts,
	    &why), DG_OK);
	ck_assert_int_eq(dg_time_parse("1900-01-03T00:00:00+00:00", 25, 0, &ts,
	    &why), DG_OK);
	ck_assert_int_eq(dg_tz_set("Mars/Olympus_Mons"), DG_EINVAL);
	ck_assert_int_eq(dg_tz_set("../../etc/passwd"), DG_EINVAL);
}
END_TEST

/* --- calendar -------------------------------------------------------- */

/* dg_time_local's hour cache (and dg_date_of's) against glibc's
 * localtime_r: random instants from 1900 to 2199 and runs within the same
 * hours, in zones with half-hour DST (Lord Howe), odd offsets (Kathmandu,
 * St John's, Amsterdam 1937 at +00:19:32), negative DST (Dublin), a
 * skipped day (Apia 2011-12-30), DST that flips twice a year for Ramadan
 * (Casablanca). */
START_TEST(time_local_as_libc)
{
	static const char *zones[] =
	    { "America/New_York", "America/Los_Angeles",
	    "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns",
	    "Europe/Amsterdam", "Europe/Dublin", "Pacific/Apia",
	    "Africa/Casablanca", "UTC" };
	unsigned seed = 1207;
	long hits = 0;

	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		/* libc's answer from TZ; ours from the TZif file read by
		 * lib/dg_time.c */
		setenv("TZ", zones[z], 1);
		tzset();
		ck_assert_int_eq(dg_tz_set(zones[z]), DG_OK);
		for (int i = 0; i < 10000; i++) {
			/* half the draws near the previous one (same or next
			 * hour) */
			static dg_time t;
			struct dg_local lt;
			struct tm tm;
			time_t tt;

			if (i % 2 == 0)
				t = -2208988800LL +
				    (dg_time)(((uint64_t)rand_r(&seed) << 16 ^
				    (uint64_t)rand_r(&seed)) % 9467280000ULL);
			else
				t += rand_r(&seed) % 5400;
			tt = (time_t)t;
			ck_assert_ptr_nonnull(localtime_r(&tt, &tm));
			ck_assert_int_eq(dg_time_local(t, &lt), DG_OK);
			ck_assert_int_eq(dg_date_of(t),
			    dg_date_from_ymd(tm.tm_year +
			    1900, tm.tm_mon + 1, tm.tm_mday));
			if (lt.year != tm.tm_year + 1900 ||
			    lt.mon != tm.tm_mon + 1 ||
			    lt.mday != tm.tm_mday || lt.hour != tm.tm_hour ||
			    lt.min != tm.tm_min || lt.sec != tm.tm_sec ||
			    lt.wday != tm.tm_wday ||
			    lt.offset != tm.tm_gmtoff ||
			    lt.isdst != (tm.tm_isdst > 0) ||
			    strncmp(lt.abbr, tm.tm_zone,
			    sizeof(lt.abbr) - 1) != 0)
				ck_abort_msg("%s at %lld: %d-%02d-%02d %02d:%02d:%02d %+d %s, libc %d-%02d-%02d %02d:%02d:%02d %+ld %s",
				    zones[z], (long long)t, lt.year, lt.mon,
				    lt.mday, lt.hour, lt.min, lt.sec, lt.offset,
				    lt.abbr, tm.tm_year + 1900, tm.tm_mon + 1,
				    tm.tm_mday, tm.tm_hour, tm.tm_min,
				    tm.tm_sec, tm.tm_gmtoff, tm.tm_zone);
			hits++;
		}
		/* every second of a day with a transition (New York
		 * 2017-03-12 and Lord Howe 2017-04-02, the half-hour step) */
	}
	ck_assert_int_eq(hits, 100000);
	ck_assert_int_eq(dg_tz_set(DG_TZ_DEFAULT), DG_OK);
}
END_TEST

START_TEST(time_local_transition_days)
{
	static const struct { const char *zone; dg_time from; } days[] = {
		{ "America/New_York", 1489291200 },	/* 2017-03-12 04:00Z */
		{ "America/New_York", 1509854400 },	/* 2017-11-05 04:00Z */
		{ "Australia/Lord_Howe", 1491051600 },	/* 2017-04-01 13:00Z */
		{ "Europe/Amsterdam", -1025745028 },	/* 1937-07-01, +00:19:32
							 * to +00:20 */
		{ "Pacific/Apia", 1325152800 },		/* 2011-12-29 10:00Z */
	};

	for (size_t d = 0; d < sizeof(days) / sizeof(days[0]); d++) {
		setenv("TZ", days[d].zone, 1);
		tzset();
		ck_assert_int_eq(dg_tz_set(days[d].zone), DG_OK);
		for (dg_time t = days[d].from - 43200; t < days[d].from + 86400;
		    t += 7) {
			struct dg_local lt;
			struct tm tm;
			time_t tt = (time_t)t;

			ck_assert_ptr_nonnull(localtime_r(&tt, &tm));
			ck_assert_int_eq(dg_time_local(t, &lt), DG_OK);
			if (lt.hour != tm.tm_hour || lt.min != tm.tm_min ||
			    lt.sec != tm.tm_sec || lt.mday != tm.tm_mday ||
			    lt.offset != tm.tm_gmtoff)
				ck_abort_msg("%s at %lld: %02d %02d:%02d:%02d %+d, libc %02d %02d:%02d:%02d %+ld",
				    days[d].zone, (long long)t, lt.mday,
				    lt.hour, lt.min, lt.sec, lt.offset,
				    tm.tm_mday, tm.tm_hour, tm.tm_min,
				    tm.tm_sec, tm.tm_gmtoff);
		}
	}
	ck_assert_int_eq(dg_tz_set(DG_TZ_DEFAULT), DG_OK);
}
END_TEST

START_TEST(cal_holidays)
{
	struct dg_capper p;
	char buf[32];
	/* NERC 2017: Jan 1 is a Sunday, observed Monday Jan 2 */
	static const int h2017[][2] = {
		{ 1, 2 }, { 5, 29 }, { 7, 4 }, { 9, 4 }, { 11, 23 }, { 12, 25 }
	};
	int n = 0;

	for (dg_date d = dg_date_from_ymd(2017, 1, 1);
	    d < dg_date_from_ymd(2018, 1, 1); d++)
		if (dg_cal_nerc_holiday(d) != NULL) {
			int y, m, dd;

			dg_date_to_ymd(d, &y, &m, &dd);
			ck_assert_int_lt(n, 6);
			ck_assert_int_eq(m, h2017[n][0]);
			ck_assert_int_eq(dd, h2017[n][1]);
			n++;
		}
	ck_assert_int_eq(n, 6);
	/* 2020-07-04 is a Saturday: not moved to Friday */
	ck_assert_ptr_null(dg_cal_nerc_holiday(dg_date_from_ymd(2020, 7, 3)));
	ck_assert_str_eq(dg_cal_nerc_holiday(dg_date_from_ymd(2020, 7, 4)),
	    "Independence Day");
	ck_assert_str_eq(dg_cal_nerc_holiday(dg_date_from_ymd(2021, 7, 5)),
	    "Independence Day");
	/* a Sunday */
	ck_assert(dg_cal_is_weekend(dg_date_from_ymd(2003, 6, 15)));
	ck_assert(!dg_cal_is_weekend(dg_date_from_ymd(2003, 8, 14)));
	ck_assert_int_eq(dg_cal_daytype(dg_date_from_ymd(2017, 11, 23), NULL),
	    DG_HOLIDAY);
	ck_assert_int_eq(dg_cal_daytype(dg_date_from_ymd(2017, 11, 25), NULL),
	    DG_SATURDAY);
	p = dg_cal_capability_period(dg_date_from_ymd(2003, 8, 14));
	dg_cal_capper_format(p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Summer 2003");
	p = dg_cal_capability_period(dg_date_from_ymd(2004, 4, 30));
	dg_cal_capper_format(p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Winter 2003-2004");
	p = dg_cal_capability_period(dg_date_from_ymd(2003, 11, 1));
	ck_assert(!p.summer);
	ck_assert_int_eq(p.year, 2003);
}
END_TEST

START_TEST(cal_holiday_set)
{
	struct dg_holidays h;

	dg_holidays_init(&h, 0);
	ck_assert(!dg_holidays_contains(&h, dg_date_from_ymd(2017, 7, 4)));
	dg_holidays_add(&h, dg_date_from_ymd(2017, 11, 24));
	dg_holidays_add(&h, dg_date_from_ymd(2017, 1, 16));
	ck_assert(dg_holidays_contains(&h, dg_date_from_ymd(2017, 11, 24)));
	ck_assert(dg_holidays_contains(&h, dg_date_from_ymd(2017, 1, 16)));
	ck_assert(!dg_holidays_contains(&h, dg_date_from_ymd(2017, 1, 17)));
	h.nerc = 1;
	ck_assert(dg_holidays_contains(&h, dg_date_from_ymd(2017, 7, 4)));
	dg_holidays_release(&h);
}
END_TEST

/* --- CSV ------------------------------------------------------------- */

static char tmpdir[64];

static const char *
write_tmp(const char *name, const char *data, size_t len)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
	return path;
}

static void
setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/check_core.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(csv_spreadsheet_export)
{
	static const char data[] =
	    "\xEF\xBB\xBF" "load_kw;site;note\r\n"
	    "\r\n"
	    "12.5;\"LI;01\";\"said \"\"hi\"\"\r\nthere\"\r\n"
	    "2.385;LI02;\r\n"
	    "\r\n\r\n";
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;
	int c_site, c_load, c_note;
	dg_dec d;

	dg_csv_opts_init(&o);
	o.delim = ';';
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("a.csv", data, sizeof(data) - 1), &o, &e), DG_OK);
	ck_assert_int_eq(dg_csv_require(r, "site", &c_site), DG_OK);
	ck_assert_int_eq(dg_csv_require(r, "load_kw", &c_load), DG_OK);
	ck_assert_int_eq(dg_csv_require(r, "note", &c_note), DG_OK);
	ck_assert_int_eq(c_load, 0);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_line(r), 3);
	ck_assert_str_eq(dg_csv_field(r, c_site, NULL), "LI;01");
	ck_assert_str_eq(dg_csv_field(r, c_note, NULL), "said \"hi\"\r\nthere");
	ck_assert_int_eq(dg_csv_get_dec(r, c_load, &d), DG_OK);
	ck_assert_str_eq(F(d), "12.5");
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_line(r), 5);
	ck_assert_str_eq(dg_csv_field(r, c_site, NULL), "LI02");
	ck_assert(dg_csv_is_empty(r, c_note));
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	ck_assert_int_eq(dg_csv_blank_lines(r), 3);
	ck_assert_int_eq(dg_csv_rows(r), 2);
	dg_csv_close(r);
}
END_TEST

START_TEST(csv_no_final_newline_and_tab)
{
	static const char data[] = "a\tb\n1\t 2 \n3\t4";
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;

	dg_csv_opts_init(&o);
	o.delim = '\t';
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("t.csv", data, sizeof(data) - 1), &o, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 1, NULL), "2");
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 1, NULL), "4");
	ck_assert_int_eq(dg_csv_line(r), 3);
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	dg_csv_close(r);
}
END_TEST

static void
count_warning(void *arg, const struct dg_error *w)
{
	int *n = arg;

	ck_assert_int_eq(w->line, 3);
	ck_assert_ptr_nonnull(strstr(w->msg, "no line end"));
	(*n)++;
}

START_TEST(csv_final_newline_rule)
{
	/* issue 12 item 2: a machine-written file whose last line has no
	 * line end was cut short; a person's file is read, with a warning,
	 * when its last row has every field */
	static const char cut[] = "zone,price\nA,501.105833\nB,466.8";
	static const char ragged[] = "zone,price\nA,501.105833\nB";
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;
	int warned = 0;

	dg_csv_opts_init(&o);
	o.final_newline = 1;
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("cut.csv", cut, sizeof(cut) - 1), &o, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_int_eq(dg_csv_error(r)->line, 3);
	dg_csv_close(r);
	/* a header alone, cut */
	ck_assert_int_eq(dg_csv_open(&r, write_tmp("hdr.csv", "zone,price", 10),
	    &o, &e), DG_EDATA);

	o.final_newline = 0;
	o.warn = count_warning;
	o.warn_arg = &warned;
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("cut.csv", cut, sizeof(cut) - 1), &o, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(warned, 0);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(warned, 1);
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	dg_csv_close(r);
	/* a row with a field missing is an error either way, not a warning */
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("ragged.csv", ragged, sizeof(ragged) - 1), &o, &e),
	    DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_int_eq(warned, 1);
	dg_csv_close(r);
}
END_TEST

START_TEST(csv_big_input_streams)
{
	/* 100,000 rows across many read blocks: every line number right */
	char path[128];
	FILE *fp;
	struct dg_csv *r;
	struct dg_error e;
	long n = 0;
	int64_t v;

	snprintf(path, sizeof(path), "%s/big.csv", tmpdir);
	fp = fopen(path, "w");
	fputs("i,x\n", fp);
	for (long i = 0; i < 100000; i++)
		fprintf(fp, "%ld,\"q\n%ld\"\n", i, i);
	fclose(fp);
	ck_assert_int_eq(dg_csv_open(&r, path, NULL, &e), DG_OK);
	while (dg_csv_next(r) == DG_OK) {
		ck_assert_int_eq(dg_csv_get_int(r, 0, &v), DG_OK);
		ck_assert_int_eq(v, n);
		ck_assert_int_eq(dg_csv_line(r), 2 + 2 * n);
		n++;
	}
	ck_assert_int_eq(n, 100000);
	dg_csv_close(r);
}
END_TEST

START_TEST(csv_delimiter_found)
{
	static const char data[] = "site;load_kw\nLI01;\"2,5\"\n";
	struct dg_csv *r;
	struct dg_error e;

	/* no delimiter given: the header line has ';' and no ','; in a file
	 * delimited by ';' a decimal comma is read as a point */
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("s.csv", data, sizeof(data) - 1), NULL, &e), DG_OK);
	ck_assert_int_eq(dg_csv_ncols(r), 2);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 1, NULL), "2.5");
	dg_csv_close(r);
}
END_TEST

static int
open_err(const char *data, size_t len, const struct dg_csv_opts *o,
    struct dg_error *e, struct dg_csv **r)
{
	dg_error_clear(e);
	return dg_csv_open(r, write_tmp("bad.csv", data, len), o, e);
}

static char msgbuf[1024];

static const char *
msg(const struct dg_error *e)
{
	char *p;

	dg_error_format(e, msgbuf, sizeof(msgbuf));
	p = strrchr(msgbuf, '/');	/* drop the temporary directory */
	return p ? p + 1 : msgbuf;
}

START_TEST(csv_limits)
{
	struct dg_csv *r;
	struct dg_error e;
	struct dg_csv_opts o;
	int c;
	dg_dec d;
	struct dg_tstamp ts;

	ck_assert_int_eq(open_err("", 0, NULL, &e, &r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv: empty input: no header row");
	ck_assert_int_eq(open_err("a,,b\n", 5, NULL, &e, &r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:1: header: column 2 has no name");
	ck_assert_int_eq(open_err("a,b,a\n", 6, NULL, &e, &r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:1: header: duplicate column \"a\"");

	ck_assert_int_eq(open_err("a,b\n1,2\n3\n", 10, NULL, &e, &r), DG_OK);
	ck_assert_int_eq(dg_csv_require(r, "c", &c), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:1: missing column \"c\"");
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:3: expected 2 fields, found 1");
	dg_csv_close(r);

	ck_assert_int_eq(open_err("a\n1\n2\0\n", 7, NULL, &e, &r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:3: NUL byte in input");
	dg_csv_close(r);

	dg_csv_opts_init(&o);
	o.max_field = 16;
	ck_assert_int_eq(open_err("a\n12345678901234567\n", 20, &o, &e, &r),
	    DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:2: field longer than 16 bytes");
	dg_csv_close(r);

	ck_assert_int_eq(open_err("a\n\"open\n", 8, NULL, &e, &r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:2: unterminated quoted field");
	dg_csv_close(r);

	ck_assert_int_eq(open_err("a\n\"x\"y\n", 7, NULL, &e, &r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_str_eq(msg(&e), "bad.csv:2: malformed quoted field");
	dg_csv_close(r);

	ck_assert_int_eq(open_err("load_kw,time\n12,5x,2017-07-14 14:00\n", 36,
	    NULL, &e, &r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);	/* ragged: 3 fields */
	dg_csv_close(r);
	ck_assert_int_eq(open_err("load_kw,time\n\"12,5x\",2017-07-14 14:00\n",
	    38, NULL, &e, &r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_get_dec(r, 0, &d), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "bad.csv:2: column load_kw: not a number: \"12,5x\"");
	ck_assert_int_eq(dg_csv_get_time(r, 1, &ts), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "bad.csv:2: column time: no UTC offset in time stamp (give --tz ZONE): \"2017-07-14 14:00\"");
	dg_csv_close(r);

	/* a message is one line: control characters of a quoted value
	 * escaped (issue 12 item 8) */
	ck_assert_int_eq(open_err("load_kw\n\"12\r\n\t5\x01\"\n", 18, NULL, &e,
	    &r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_get_dec(r, 0, &d), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "bad.csv:2: column load_kw: not a number: \"12\\r\\n\\t5\\x01\"");
	dg_csv_close(r);

	ck_assert_int_eq(dg_csv_open(&r, "/nonexistent/x.csv", NULL, &e),
	    DG_ENOINPUT);
	ck_assert_str_eq(msg(&e),
	    "x.csv: cannot open: No such file or directory");
}
END_TEST

START_TEST(csv_wide_header)
{
	/* issue 12 item 8: the duplicate-column check of a header was
	 * quadratic (100,000 columns: 22-44 s); in linear time this reads in
	 * well under Check's timeout, and the duplicate is still found */
	enum { N = 100000 };
	char path[128];
	FILE *fp;
	struct dg_csv *r;
	struct dg_error e;
	int c;

	snprintf(path, sizeof(path), "%s/wide.csv", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	for (int i = 0; i < N; i++)
		fprintf(fp, "%sc%d", i ? "," : "", i);
	fputc('\n', fp);
	for (int i = 0; i < N; i++)
		fprintf(fp, "%s%d", i ? "," : "", i % 7);
	fputc('\n', fp);
	fclose(fp);
	ck_assert_int_eq(dg_csv_open(&r, path, NULL, &e), DG_OK);
	ck_assert_int_eq(dg_csv_ncols(r), N);
	ck_assert_int_eq(dg_csv_require(r, "c99999", &c), DG_OK);
	ck_assert_int_eq(c, N - 1);
	ck_assert_int_eq(dg_csv_col(r, "c100000"), -1);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	/* 99999 mod 7 */
	ck_assert_str_eq(dg_csv_field(r, c, NULL), "4");
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	dg_csv_close(r);

	/* the same header with the first name again at its end */
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	for (int i = 0; i < N; i++)
		fprintf(fp, "c%d,", i);
	fputs("c0\n", fp);
	fclose(fp);
	ck_assert_int_eq(dg_csv_open(&r, path, NULL, &e), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "wide.csv:1: header: duplicate column \"c0\"");
}
END_TEST

static void
keep_warning(void *arg, const struct dg_error *w)
{
	char *buf = arg;

	ck_assert_int_eq(buf[0], '\0');	/* said once */
	dg_error_format(w, buf, 1024);
}

static const char *
field_of(struct dg_csv *r, const char *col)
{
	return dg_csv_field(r, dg_csv_col(r, col), NULL);
}

START_TEST(csv_sheet_numbers)
{
	/* issue 13 item 8: a decimal-comma spreadsheet's ';' file */
	static const char semi[] =
	    "site;load_kw;note;x\n"
	    "LI01;412,98;a,b;1.234,5\n"
	    "LI02;-0,5;12,5;+3,25\n"
	    "LI03;7;\"2,50\";1\n";
	/* tab-delimited: 1,234 is a thousands separator as much as a
	 * decimal comma: left as it is; 12,5 is not */
	static const char tab[] = "a\tb\tc\n1,234\t12,5\t0,125\n";
	/* long renderings of doubles (Gnumeric's), in a ',' file too; a
	 * 20-digit integer (a meter's id) is not one */
	static const char lng[] =
	    "id,load_kw\n"
	    "12345678901234567890,412.98000000000000001\n"
	    "2,0.100000000000000000001\n"
	    "3,0.30000000000000004440892098500626\n";
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;
	char w[1024] = "";
	dg_dec d;
	double x;
	int64_t i64;

	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("semi.csv", semi, sizeof(semi) - 1), NULL, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(field_of(r, "load_kw"), "412.98");
	ck_assert_str_eq(field_of(r, "note"), "a,b");
	ck_assert_str_eq(field_of(r, "x"), "1.234,5");
	ck_assert_int_eq(dg_csv_get_dec(r, dg_csv_col(r, "x"), &d), DG_EDATA);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_get_dec(r, 1, &d), DG_OK);
	ck_assert_str_eq(F(d), "-0.5");
	ck_assert_int_eq(dg_csv_get_double(r, 3, &x), DG_OK);
	ck_assert(x == 3.25);
	/* a message shows the value as the file has it */
	ck_assert_int_eq(dg_csv_get_int(r, 1, &i64), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "semi.csv:3: column load_kw: not an integer: \"-0,5\"");
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(field_of(r, "note"), "2.50");
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	dg_csv_close(r);

	/* one decimal mark per column: a point after commas is refused */
	ck_assert_int_eq(open_err("v;w\n1,5;x\n2.5;y\n", 17, NULL, &e, &r),
	    DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "bad.csv:3: column v: a decimal point in a column of "
	    "decimal commas (a thousands separator?): \"2.5\"");
	dg_csv_close(r);
	ck_assert_int_eq(open_err("v;w\n1.5;x\n2,5;y\n", 17, NULL, &e, &r),
	    DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_EDATA);
	dg_csv_close(r);

	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("tab.csv", tab, sizeof(tab) - 1), NULL, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 0, NULL), "1,234");
	ck_assert_str_eq(dg_csv_field(r, 1, NULL), "12.5");
	ck_assert_str_eq(dg_csv_field(r, 2, NULL), "0.125");
	dg_csv_close(r);

	dg_csv_opts_init(&o);
	o.warn = keep_warning;
	o.warn_arg = w;
	ck_assert_int_eq(dg_csv_open(&r,
	    write_tmp("long.csv", lng, sizeof(lng) - 1), &o, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 0, NULL), "12345678901234567890");
	ck_assert_str_eq(dg_csv_field(r, 1, NULL), "412.98");
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 1, NULL), "0.1");
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_int_eq(dg_csv_get_dec(r, 1, &d), DG_ERANGE);
	ck_assert_str_eq(w, "");
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	ck_assert_ptr_nonnull(strstr(w,
	    ":2: column load_kw: 412.98000000000000001 read as "
	    "412.98: a spreadsheet's rendering of a binary double"));
	ck_assert_ptr_nonnull(strstr(w, "(2 such numbers in the input)"));
	dg_csv_close(r);
}
END_TEST

START_TEST(csv_months)
{
	static const char *const ok[] = {
		"2022-07", "2022/07", "2022/07/01", "7/1/2022", "07/01/2022",
		"2022-07-01", "Jul-22", "JUL-22"
	};
	static const char *const bad[] = {
		"2022-7", "2022-13", "2022/07/02", "Jly-22", "1899-12",
		    "2022-07x", ""
	};
	int y, m;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		y = m = 0;
		ck_assert_int_eq(dg_parse_month(ok[i], strlen(ok[i]), &y, &m),
		    DG_OK);
		ck_assert_int_eq(y, 2022);
		ck_assert_int_eq(m, 7);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(dg_parse_month(bad[i], strlen(bad[i]), &y, &m),
		    DG_EDATA);
}
END_TEST

START_TEST(csv_failed_mark)
{
	/* the last line a dg- program leaves when it fails part-way */
	static const char two[] = "a,b\n1,2\n#dg-cbl" DG_CSV_FAILED_MARK;
	static const char one[] = "a\n1\n#dg-cbl" DG_CSV_FAILED_MARK;
	static const char *const in[] =
	    { two, one, "#dg-settle" DG_CSV_FAILED_MARK };
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;

	dg_csv_opts_init(&o);
	for (int fn = 0; fn < 2; fn++)
		for (int i = 0; i < 3; i++) {
			int st;

			o.final_newline = fn;
			if ((st = open_err(in[i], strlen(in[i]), &o, &e,
			    &r)) == DG_OK) {
				ck_assert_int_eq(dg_csv_next(r), DG_OK);
				st = dg_csv_next(r);
				dg_csv_close(r);
			}
			ck_assert_int_eq(st, DG_EDATA);
			ck_assert_ptr_nonnull(strstr(e.msg,
			    "input incomplete: the "
			    "program that wrote it failed"));
			ck_assert_int_eq(e.line, i < 2 ? 3 : 1);
		}
}
END_TEST

START_TEST(csv_writer_sheet)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct dg_csvw w;
	static const char *const names[] = {
		"=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(1)", "-12.5", "-",
		"\tx", "\rx", "a=b", "LI01"
	};

	/* output meant for a spreadsheet (--crlf): neutralized */
	dg_csvw_init(&w, fp, ';', 1, 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		dg_csvw_str(&w, names[i]);
	w.point = ',';
	dg_csvw_dec(&w, dec("412.98"), -1);
	dg_csvw_dec(&w, dec("-0.005"), 3);
	dg_csvw_double(&w, 2.675, 2);
	dg_csvw_int(&w, -7);
	ck_assert_int_eq(dg_csvw_end_row(&w), DG_OK);
	/* between our programs (no --crlf, --bom): names as they are */
	dg_csvw_init(&w, fp, ',', 0, 0);
	dg_csvw_str(&w, names[0]);
	dg_csvw_str(&w, names[1]);
	dg_csvw_dec(&w, dec("412.98"), -1);
	ck_assert_int_eq(dg_csvw_end_row(&w), DG_OK);
	fclose(fp);
	ck_assert_str_eq(buf,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";\"'+1\";\"'@SUM(1)\";-12.5;\"'-\";"
	    "\"'\tx\";\"'\rx\";a=b;LI01;412,98;-0,005;2,68;-7\r\n"
	    "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",+1,412.98\n");
	free(buf);
}
END_TEST

/* The plain-line path of the reader against libcsv: random files of
 * quote-free, quoted, padded, CR-broken, blank and ragged lines, read once
 * with every line through libcsv and once with the plain-line path, give
 * the same rows, fields, lines, blank-line counts and errors. */
static size_t
random_csv(char *buf, size_t cap, char delim, unsigned *seed)
{
	static const char alpha[] = "ab1. \t,;\"\r";
	size_t n = 0;
	int lines = 1 + rand_r(seed) % 30;

	n += (size_t)snprintf(buf, cap, "x%cy%cz\n", delim, delim);
	for (int l = 0; l < lines && n + 200 < cap; l++) {
		int nf = rand_r(seed) % 5 ? 3 : rand_r(seed) % 5;

		for (int f = 0; f < nf; f++) {
			int len = rand_r(seed) % 5,
			    quoted = rand_r(seed) % 6 == 0;

			if (f > 0)
				buf[n++] = delim;
			if (quoted)
				buf[n++] = '"';
			for (int i = 0; i < len; i++) {
				char c =
				    alpha[rand_r(seed) % (sizeof(alpha) - 1)];

				/* mostly plain bytes, sometimes anything */
				if (rand_r(seed) % 4 && strchr(" \t,;\"\r", c))
					c = 'a';
				buf[n++] = c;
			}
			if (quoted)
				buf[n++] = '"';
		}
		if (rand_r(seed) % 8 == 0)
			buf[n++] = '\r';
		if (l + 1 < lines || rand_r(seed) % 2)
			buf[n++] = '\n';
	}
	return n;
}

static void
read_all(const char *path, char delim, int libcsv_only, char *out, size_t cap)
{
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;
	size_t n = 0;
	int st;

	dg_csv_opts_init(&o);
	o.delim = delim;
	o.libcsv_only = libcsv_only;
	dg_error_clear(&e);
	if ((st = dg_csv_open(&r, path, &o, &e)) != DG_OK) {
		snprintf(out, cap, "open %d %s", st, msg(&e));
		return;
	}
	for (;;) {
		st = dg_csv_next(r);
		n += (size_t)snprintf(out + n, cap - n, "%d@%ld:", st,
		    dg_csv_line(r));
		if (st == DG_OK || strncmp(e.msg, "expected", 8) == 0) {
			for (size_t i = 0; i < dg_csv_nfields(r); i++)
				n += (size_t)snprintf(out + n, cap - n, "[%s]",
				    dg_csv_field(r, (int)i, NULL));
		}
		if (st != DG_OK)
			n += (size_t)snprintf(out + n, cap - n, " %s", msg(&e));
		n += (size_t)snprintf(out + n, cap - n, "\n");
		if (n + 600 > cap || st == DG_EOF ||
		    (st != DG_OK && strncmp(e.msg, "expected", 8) != 0))
			break;
		dg_error_clear(&e);
	}
	snprintf(out + n, cap - n, "rows %ld blank %ld\n", dg_csv_rows(r),
	    dg_csv_blank_lines(r));
	dg_csv_close(r);
}

START_TEST(csv_plain_lines_as_libcsv)
{
	static char data[8192], a[65536], b[65536];
	static const char delims[] = ",;\t";
	unsigned seed = 20261207;
	int plain_rows = 0;

	for (int i = 0; i < 1500; i++) {
		char d = delims[i % 3];
		size_t len = random_csv(data, sizeof(data), d, &seed);
		const char *path = write_tmp("rand.csv", data, len);

		read_all(path, d, 1, a, sizeof(a));
		read_all(path, d, 0, b, sizeof(b));
		if (strcmp(a, b) != 0)
			ck_abort_msg("case %d differs:\n%.*s\nlibcsv:\n%s\n"
			    "plain:\n%s",
			    i, (int)len, data, a, b);
		plain_rows += strstr(a, "0@") != NULL;
	}
	ck_assert_int_gt(plain_rows, 1000);
}
END_TEST

START_TEST(parse_double_as_strtod)
{
	/* the fast path gives strtod's value, bit for bit */
	static const char *const v[] = {
		"2.385", "0.1", "-41.37", "123456789012345", "1.00000000000001",
		"0.000000000000001", "9007199254740.991", "+7.5", "3.", ".25",
		"1234567890123456.78", "0.123456789012345678"
	};
	double x;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ck_assert_int_eq(dg_parse_double(v[i], &x), DG_OK);
		ck_assert(x == strtod(v[i], NULL));
	}
	ck_assert_int_eq(dg_parse_double("", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double(".", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("-", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("1.2.3", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("nan", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("0x10", &x), DG_EDATA);
	/* what dg_dec_parse refuses (issue 12 item 7: 1e308 was read by
	 * dg-cbl, dg-gencost and dg-forecast and refused by dg-settle) */
	ck_assert_int_eq(dg_parse_double("1e999", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("1e2", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("2.5E2", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("1e308", &x), DG_EDATA);
	ck_assert_int_eq(dg_parse_double("123456789012345678901234567890", &x),
	    DG_ERANGE);
	ck_assert_int_eq(dg_parse_double("12345678901234567890.5", &x),
	    DG_ERANGE);
}
END_TEST

START_TEST(csv_writer)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct dg_csvw w;
	static const char *const h[] = { "site", "note", "x" };

	dg_csvw_init(&w, fp, ',', 1, 0);
	dg_csvw_header(&w, h, 3);
	dg_csvw_str(&w, "LI,01");
	dg_csvw_str(&w, "say \"hi\"");
	dg_csvw_double(&w, 1e-7, 3);
	dg_csvw_end_row(&w);
	dg_csvw_str(&w, " padded");
	dg_csvw_empty(&w);
	dg_csvw_double(&w, 123456789012.345678, 2);
	ck_assert_int_eq(dg_csvw_end_row(&w), DG_OK);
	dg_csvw_str(&w, "x");
	dg_csvw_str(&w, "y");
	dg_csvw_double(&w, 0.0 / 0.0, 2);
	ck_assert_int_eq(dg_csvw_end_row(&w), DG_EINTERNAL);
	fclose(fp);
	ck_assert_str_eq(buf,
	    "site,note,x\r\n"
	    "\"LI,01\",\"say \"\"hi\"\"\",0.000\r\n"
	    "\" padded\",,123456789012.35\r\n"
	    "x,y,\r\n");
	free(buf);
}
END_TEST

START_TEST(out_atomic)
{
	struct dg_out *o;
	struct dg_error e;
	char path[128];

	snprintf(path, sizeof(path), "%s/out.csv", tmpdir);
	ck_assert_int_eq(dg_out_open(&o, path, &e), DG_OK);
	fputs("half", dg_out_fp(o));
	ck_assert_int_eq(access(path, F_OK), -1);	/* not there
							 * until commit */
	dg_out_abort(o);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(dg_out_open(&o, path, &e), DG_OK);
	fputs("whole\n", dg_out_fp(o));
	ck_assert_int_eq(dg_out_commit(o, &e), DG_OK);
	ck_assert_int_eq(access(path, R_OK), 0);
	ck_assert_int_eq(dg_out_open(&o, "/nonexistent/dir/out.csv", &e),
	    DG_ECREATE);
	ck_assert_int_eq(dg_out_open(&o, tmpdir, &e), DG_ECREATE);
	/* a device is written in place, never replaced by a rename */
	ck_assert_int_eq(dg_out_open(&o, "/dev/null", &e), DG_OK);
	fputs("gone\n", dg_out_fp(o));
	ck_assert_int_eq(dg_out_commit(o, &e), DG_OK);
	{
		struct stat sb;

		ck_assert_int_eq(stat("/dev/null", &sb), 0);
		ck_assert(S_ISCHR(sb.st_mode));
	}
}
END_TEST

static int
count_tmp(const char *dir)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A %s | grep -c dgtmp", dir);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

START_TEST(out_commit_all)
{
	/* issue 12 item 5: several outputs commit together or not at all */
	struct dg_out *o[3];
	struct dg_error e;
	char a[160], b[160], dead[200];
	FILE *fp;

	snprintf(a, sizeof(a), "%s/pay.csv", tmpdir);
	snprintf(b, sizeof(b), "%s/manifest.csv", tmpdir);
	ck_assert_int_eq(dg_out_open(&o[0], a, &e), DG_OK);
	ck_assert_int_eq(dg_out_open(&o[1], b, &e), DG_OK);
	o[2] = NULL;
	fputs("pay\n", dg_out_fp(o[0]));
	fputs("manifest\n", dg_out_fp(o[1]));
	ck_assert_int_eq(access(a, F_OK), -1);
	ck_assert_int_eq(dg_out_commit_all(o, 3, &e), DG_OK);
	ck_assert_int_eq(access(a, R_OK), 0);
	ck_assert_int_eq(access(b, R_OK), 0);
	ck_assert_ptr_null(o[0]);
	ck_assert_int_eq(count_tmp(tmpdir), 0);

	/* one of them fails (a full device is written in place and fails
	 * at the flush): the other is not renamed */
	if ((fp = fopen("/dev/full", "w")) != NULL) {
		fclose(fp);
		unlink(a);
		ck_assert_int_eq(dg_out_open(&o[0], a, &e), DG_OK);
		ck_assert_int_eq(dg_out_open(&o[1], "/dev/full", &e), DG_OK);
		fputs("pay\n", dg_out_fp(o[0]));
		for (int i = 0; i < 20000; i++)
			fputs("manifest line\n", dg_out_fp(o[1]));
		ck_assert_int_eq(dg_out_commit_all(o, 2, &e), DG_EIO);
		ck_assert_int_eq(access(a, F_OK), -1);
		ck_assert_int_eq(count_tmp(tmpdir), 0);
	}

	/* a temporary file left by a killed run (a process that is gone) is
	 * removed by the next run writing the same file; another running
	 * process's is left alone */
	snprintf(dead, sizeof(dead), "%s/.pay.csv.dgtmp.999999999.abcdef",
	    tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(dead, "w"));
	fclose(fp);
	snprintf(dead, sizeof(dead), "%s/.pay.csv.dgtmp.1.abcdef", tmpdir);
	ck_assert_ptr_nonnull(fp = fopen(dead, "w"));
	fclose(fp);
	ck_assert_int_eq(count_tmp(tmpdir), 2);
	ck_assert_int_eq(dg_out_open(&o[0], a, &e), DG_OK);
	ck_assert_int_eq(count_tmp(tmpdir), 2);	/* pid 1 kept, ours added */
	dg_out_abort(o[0]);
	ck_assert_int_eq(count_tmp(tmpdir), 1);
	unlink(dead);
}
END_TEST

START_TEST(out_full_disk)
{
	struct dg_out *o;
	struct dg_error e;
	FILE *full = fopen("/dev/full", "w");

	if (full == NULL)
		return;	/* no /dev/full here */
	fclose(full);
	/* an output file on a full device: the commit reports EIO */
	ck_assert_int_eq(dg_out_open(&o, "-", &e), DG_OK);
	ck_assert_ptr_nonnull(freopen("/dev/full", "w", stdout));
	fputs("x\n", dg_out_fp(o));
	ck_assert_int_eq(dg_out_commit(o, &e), DG_EIO);
}
END_TEST

/* --- pulses ------------------------------------------------------------ */

struct got {
	int n;
	struct dg_pulse_interval iv[8];
};

static int
collect(void *arg, const struct dg_pulse_interval *iv)
{
	struct got *g = arg;

	if (g->n < 8)
		g->iv[g->n] = *iv;
	g->n++;
	return 0;
}

START_TEST(pulse_rollover_hand_computed)
{
	/* 16-bit counter, 0.6 kWh/pulse, readings every 30 minutes:
	 * 65000, 65100, 65300, 65500 | 100 (wrap: 136 pulses), 300.
	 * hour 1: (65300-65000) x 0.6 = 180.0 kWh
	 * hour 2: (200 + 136) x 0.6 = 201.6 kWh, flagged rollover */
	struct dg_pulse_reading r[6];
	struct dg_pulse_params p;
	struct dg_pulse_site s = { { 6, 1 }, 16, 500 };
	struct dg_pulse_stats st;
	struct got g = { 0 };
	struct dg_pulse_bad bad = { 0, 0 };
	static const int64_t c[] = { 65000, 65100, 65300, 65500, 100, 300 };

	dg_tz_set("America/New_York");
	for (int i = 0; i < 6; i++) {
		r[i].t = T("2017-07-14T10:00:00-04:00", 0) + i * 1800;
		r[i].count = c[i];
		r[i].line = i + 2;
		r[i].flags = 0;
	}
	memset(&st, 0, sizeof(st));
	dg_pulse_params_init(&p);
	p.max_gap_s = 1800;
	ck_assert_int_eq(dg_pulse_site_run(&p, &s, r, 6, collect, &g, &st,
	    &bad), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert_str_eq(F(g.iv[0].energy_kwh), "180.000");
	ck_assert_uint_eq(g.iv[0].flags, 0);
	ck_assert_str_eq(F(g.iv[1].energy_kwh), "201.600");
	ck_assert_uint_eq(g.iv[1].flags, DG_PF_ROLLOVER);
	ck_assert_int_eq(st.rollovers, 1);
}
END_TEST

START_TEST(pulse_reset_not_negative)
{
	/* 16-bit, 1 kWh/pulse, peak 50 kW: 40000 -> 5 in 15 minutes would
	 * be 25,541 pulses = 102 MW if a wrap: a reset, energy unknown. */
	struct dg_pulse_reading r[3];
	struct dg_pulse_params p;
	struct dg_pulse_site s = { { 1, 0 }, 16, 50 };
	struct dg_pulse_stats st;
	struct got g = { 0 };
	struct dg_pulse_bad bad = { 0, 0 };
	static const int64_t c[] = { 39990, 40000, 5 };

	for (int i = 0; i < 3; i++) {
		r[i].t = T("2017-07-14T10:00:00-04:00", 0) + i * 900;
		r[i].count = c[i];
		r[i].line = i + 2;
		r[i].flags = 0;
	}
	memset(&st, 0, sizeof(st));
	dg_pulse_params_init(&p);
	p.step_s = 900;
	ck_assert_int_eq(dg_pulse_site_run(&p, &s, r, 3, collect, &g, &st,
	    &bad), DG_OK);
	ck_assert_int_eq(g.n, 2);
	ck_assert(g.iv[0].known);
	ck_assert_str_eq(F(g.iv[0].energy_kwh), "10.000");
	ck_assert_str_eq(F(g.iv[0].demand_kw), "40.000");
	ck_assert(!g.iv[1].known);
	ck_assert_uint_eq(g.iv[1].flags, DG_PF_RESET);
	ck_assert_int_eq(st.resets, 1);
}
END_TEST

/* A jump of 10^15 pulses at 0.6 kWh each in half an hour: 6 x 10^14 kWh
 * fits a decimal, its demand (x 3600 before / 1800) does not; the run is
 * refused naming the reading (fuzz finding: the product was left unset
 * and then divided, 2026-12-07). */
START_TEST(pulse_energy_out_of_range)
{
	struct dg_pulse_reading r[2];
	struct dg_pulse_params p;
	struct dg_pulse_site s = { { 6, 1 }, 62, 0 };
	struct dg_pulse_stats st;
	struct got g = { 0 };
	struct dg_pulse_bad bad = { 0, 0 };

	for (int i = 0; i < 2; i++) {
		r[i].t = T("2017-07-14T10:00:00-04:00", 0) + i * 1800;
		r[i].count = i == 0 ? 1000 : 1000 + 1000000000000000LL;
		r[i].line = i + 2;
		r[i].flags = 0;
	}
	memset(&st, 0, sizeof(st));
	dg_pulse_params_init(&p);
	p.step_s = 1800;
	ck_assert_int_eq(dg_pulse_site_run(&p, &s, r, 2, collect, &g, &st,
	    &bad), DG_ERANGE);
	ck_assert_int_eq(bad.what, DG_PULSE_ENERGY);
	ck_assert_int_eq(bad.line, 3);
	ck_assert_int_eq(g.n, 0);
	/* 10^12 pulses: 6 x 10^11 kWh, 1.2 x 10^12 kW, written */
	r[1].count = 1000 + 1000000000000LL;
	ck_assert_int_eq(dg_pulse_site_run(&p, &s, r, 2, collect, &g, &st,
	    &bad), DG_OK);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(F(g.iv[0].energy_kwh), "600000000000.000");
	ck_assert_str_eq(F(g.iv[0].demand_kw), "1200000000000.000");
}
END_TEST

/* The reader of pulse files: a site's rows in one batch, the next site's
 * first row kept for the next call; a meter from the lookup; the checks
 * at the row (unknown site, a site again, a counter too wide). */
static long
two_meters(void *arg, const char *site, struct dg_pulse_site *ps)
{
	(void)arg;
	ps->pulse_kwh = dg_dec_make(6, 1);	/* 0.6 kWh per pulse */
	ps->counter_bits = 16;
	ps->peak_kw = 0;
	return strcmp(site, "A") == 0 ? 0 : strcmp(site, "B") == 0 ? 1 : -1;
}

/* The reader's sniff window and --sort, for the next pulse_read. */
static size_t pulse_sniff;
static int pulse_sort;

static int
pulse_read(const char *data, struct dg_pulse_input **in, struct dg_error *e)
{
	struct dg_pulse_input_opts po;
	struct dg_csv_opts o;

	memset(&po, 0, sizeof(po));
	po.sniff_bytes = pulse_sniff;
	po.sort = pulse_sort;
	po.meter = two_meters;
	po.nsites = 2;
	po.sites_name = "sites.csv";
	dg_csv_opts_init(&o);
	dg_error_clear(e);
	return dg_pulse_input_open(in, write_tmp("p.csv", data, strlen(data)),
	    &po, &o, e);
}

START_TEST(pulse_input_batches)
{
	struct dg_pulse_input *in;
	struct dg_pulse_batch b;
	struct dg_pulse_params p;
	struct dg_pulse_stats st;
	struct dg_error e;
	struct got g = { 0 };

	ck_assert_int_eq(pulse_read("site,time,pulses\n"
	    "A,2017-07-14T10:30:00-04:00,65100\n"
	    "A,2017-07-14T10:00:00-04:00,65000\n"
	    "A,2017-07-14T11:00:00-04:00,65300\n"
	    "B,2017-07-14T10:00:00-04:00,7\n", &in, &e), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_OK);
	ck_assert_str_eq(b.site, "A");
	ck_assert_uint_eq(b.n, 3);
	ck_assert_int_eq(b.meter.counter_bits, 16);
	ck_assert_int_eq(b.r[1].line, 3);
	/* 300 pulses x 0.6 kWh in the hour 10:00-11:00, hand-computed */
	dg_pulse_params_init(&p);
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(dg_pulse_input_run(in, &p, &b, collect, &g, &st),
	    DG_OK);
	ck_assert_int_eq(g.n, 1);
	ck_assert_str_eq(F(g.iv[0].energy_kwh), "180.000");
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_OK);
	ck_assert_str_eq(b.site, "B");
	ck_assert_uint_eq(b.n, 1);
	ck_assert_int_eq(b.r[0].count, 7);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_EOF);
	dg_pulse_input_close(in);
}
END_TEST

/* Interleaved rows come out a site at a time, sites in the order of their
 * first rows, each site's readings in input order (line numbers kept);
 * the same file grouped only in its first row, with --sort, too. */
static void
check_any_order(void)
{
	struct dg_pulse_input *in;
	struct dg_pulse_batch b;
	struct dg_error e;

	ck_assert_int_eq(pulse_read("site,time,pulses\n"
	    "B,2017-07-14T10:00:00-04:00,7\n"
	    "A,2017-07-14T10:30:00-04:00,65100\n"
	    "B,2017-07-14T11:00:00-04:00,9\n"
	    "A,2017-07-14T10:00:00-04:00,65000\n"
	    "A,2017-07-14T11:00:00-04:00,65300\n", &in, &e), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_OK);
	ck_assert_int_eq(dg_pulse_input_sorted(in), 1);
	ck_assert_str_eq(b.site, "B");
	ck_assert_uint_eq(b.n, 2);
	ck_assert_int_eq(b.r[0].line, 2);
	ck_assert_int_eq(b.r[1].line, 4);
	ck_assert_int_eq(b.r[1].count, 9);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_OK);
	ck_assert_str_eq(b.site, "A");
	ck_assert_uint_eq(b.n, 3);
	ck_assert_int_eq(b.r[0].line, 3);
	ck_assert_int_eq(b.r[1].line, 5);
	ck_assert_int_eq(b.r[2].line, 6);
	ck_assert_int_eq(b.meter.counter_bits, 16);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_EOF);
	dg_pulse_input_close(in);
}

START_TEST(pulse_input_any_order)
{
	check_any_order();
	/* a window of one row (grouped so far), but --sort */
	pulse_sniff = 1;
	pulse_sort = 1;
	check_any_order();
	pulse_sniff = 0;
	pulse_sort = 0;
}
END_TEST

START_TEST(pulse_input_refusals)
{
	struct dg_pulse_input *in;
	struct dg_pulse_batch b;
	struct dg_error e;

	/* A again after B, past a sniff window of one row (grouped so far):
	 * refused at its row */
	pulse_sniff = 1;
	ck_assert_int_eq(pulse_read("site,time,pulses\n"
	    "A,2017-07-14T10:00:00-04:00,1\n"
	    "B,2017-07-14T10:00:00-04:00,1\n"
	    "A,2017-07-14T11:00:00-04:00,2\n", &in, &e), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_EDATA);
	ck_assert_int_eq(e.line, 4);
	ck_assert_ptr_nonnull(strstr(e.msg, "appears again"));
	ck_assert_ptr_nonnull(strstr(e.msg, "--sort"));
	dg_pulse_input_close(in);
	pulse_sniff = 0;
	/* a site the meter does not know */
	ck_assert_int_eq(pulse_read("site,time,pulses\n"
	    "C,2017-07-14T10:00:00-04:00,1\n", &in, &e), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_EDATA);
	ck_assert_int_eq(e.line, 2);
	ck_assert_ptr_nonnull(strstr(e.msg, "not in sites.csv"));
	dg_pulse_input_close(in);
	/* 65536 does not fit a 16-bit counter */
	ck_assert_int_eq(pulse_read("site,time,pulses\n"
	    "A,2017-07-14T10:00:00-04:00,65536\n", &in, &e), DG_OK);
	ck_assert_int_eq(dg_pulse_input_next(in, &b), DG_EDATA);
	ck_assert_str_eq(e.column, "pulses");
	dg_pulse_input_close(in);
	/* no pulses column */
	ck_assert_int_eq(pulse_read("site,time,kwh\nA,x,1\n", &in, &e),
	    DG_EDATA);
	dg_pulse_input_close(in);
}
END_TEST

/* --- sites.csv and series ------------------------------------------- */

START_TEST(sites_read)
{
	static const char data[] =
	    "site,peak_kw,programs,pulse_kwh,counter_bits,station\n"
	    "LI02,880,SCR; edrp,1.2,32,KISP\n"
	    "LI01,800,SCR;EDRP;LIPA,0.25,16,\n";
	struct dg_sites ss;
	struct dg_error e;
	struct dg_site *s;

	ck_assert_int_eq(dg_sites_read(&ss,
	    write_tmp("sites.csv", data, sizeof(data) - 1), NULL, &e), DG_OK);
	ck_assert_int_eq(ss.n, 2);
	ck_assert_str_eq(ss.v[0].site, "LI01");	/* sorted */
	s = dg_sites_find(&ss, "LI02");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(F(s->pulse_kwh), "1.2");
	ck_assert_int_eq(s->counter_bits, 32);
	ck_assert(dg_site_in_program(s, "EDRP"));
	ck_assert(!dg_site_in_program(s, "LIPA"));
	ck_assert_ptr_null(dg_sites_find(&ss, "LI03"));
	ck_assert_int_eq(dg_sites_need(&ss, DG_SITE_PEAK | DG_SITE_BITS, &e),
	    DG_OK);
	ck_assert_int_eq(dg_sites_need(&ss, DG_SITE_STATION, &e), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "sites.csv:3: column station: site LI01: empty value");
	ck_assert_int_eq(dg_sites_need(&ss, DG_SITE_CMD, &e), DG_EDATA);
	ck_assert_str_eq(msg(&e), "sites.csv:1: missing column \"cmd_kw\"");
	dg_sites_release(&ss);
}
END_TEST

START_TEST(sites_limits)
{
	static const char dup[] = "site,peak_kw\nA,1\nB,2\nA,3\n";
	static const char neg[] = "site,peak_kw\nA,-1\n";
	struct dg_sites ss;
	struct dg_error e;

	ck_assert_int_eq(dg_sites_read(&ss,
	    write_tmp("sites.csv", dup, sizeof(dup) - 1), NULL, &e), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "sites.csv:4: column site: duplicate site \"A\"");
	ck_assert_int_eq(dg_sites_read(&ss,
	    write_tmp("sites.csv", neg, sizeof(neg) - 1), NULL, &e), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "sites.csv:2: column peak_kw: negative value: \"-1\"");
}
END_TEST

START_TEST(series_hourly)
{
	/* 15-minute kW: hour 14:00 complete (mean of 2.385, 3, 4, 5.615 =
	 * 3.75), hour 15:00 missing a quarter (left out, counted), then a
	 * second site; one identical repeated row is dropped. */
	static const char data[] =
	    "site,time,load_kw\n"
	    "A,2017-07-14T14:15:00-04:00,3\n"
	    "A,2017-07-14T14:00:00-04:00,2.385\n"
	    "A,2017-07-14T14:30:00-04:00,4\n"
	    "A,2017-07-14T14:30:00-04:00,4\n"
	    "A,2017-07-14T14:45:00-04:00,5.615\n"
	    "A,2017-07-14T15:00:00-04:00,1\n"
	    "A,2017-07-14T15:15:00-04:00,1\n"
	    "A,2017-07-14T15:30:00-04:00,1\n"
	    "B,2017-07-14T14:00:00-04:00,10\n"
	    "B,2017-07-14T14:15:00-04:00,10\n"
	    "B,2017-07-14T14:30:00-04:00,10\n"
	    "B,2017-07-14T14:45:00-04:00,10\n";
	struct dg_series_opts so = { .value_col = "load_kw", .hourly = 1 };
	struct dg_series_reader *sr;
	struct dg_series s = { 0 };
	struct dg_error e;

	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("l.csv", data, sizeof(data) - 1), &so, NULL, &e), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_str_eq(s.site, "A");
	ck_assert_int_eq(s.n, 1);
	ck_assert_int_eq(s.incomplete, 1);
	ck_assert_double_eq_tol(s.p[0].v, 3.75, 1e-12);
	ck_assert_str_eq(TF(s.p[0].t), "2017-07-14T14:00:00-04:00");
	ck_assert_int_eq(dg_series_find(&s, s.p[0].t), 0);
	ck_assert_int_eq(dg_series_find(&s, s.p[0].t + 3600), -1);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_str_eq(s.site, "B");
	ck_assert_int_eq(s.n, 1);
	ck_assert_double_eq_tol(s.p[0].v, 10, 1e-12);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EOF);
	dg_series_close(sr);
	dg_series_release(&s);
}
END_TEST

START_TEST(series_exact_units_holes)
{
	/* issue 13: a real meter export (15-minute kWh, one site a file,
	 * stamps at the interval's END) read with options alone.  The hour
	 * 14:00-15:00 is the four readings stamped 14:15 .. 15:00: 1533.6 +
	 * 1490.4 + 1425.6 + 1414.8 = 5864.4 kWh, a mean demand of 5864.4 kW
	 * (hand sum; the first rows of the real site_1.csv).  One empty
	 * reading is a hole: the point is left out and counted. */
	static const char data[] =
	    "HE (EST),kWH\n"
	    "2017-05-01T14:15:00-04:00,1533.6\n"
	    "2017-05-01T14:30:00-04:00,1490.4\n"
	    "2017-05-01T14:45:00-04:00,1425.6\n"
	    "2017-05-01T15:00:00-04:00,1414.8\n"
	    "2017-05-01T15:15:00-04:00,\n"
	    "2017-05-01T15:30:00-04:00,2.385\n";
	struct dg_series_opts so = { .time_col = "HE (EST)", .value_col = "kWH",
	    .hourly = 1, .site = "site_1", .load = 1, .stamp_end = 1 };
	struct dg_series_reader *sr;
	struct dg_series s = { 0 };
	struct dg_error e;
	char b[DG_DEC_BUFSZ];

	ck_assert_int_eq(dg_series_unit_of("energy_kwh"), DG_SERIES_UNIT_KWH);
	ck_assert_int_eq(dg_series_unit_of("kWH"), DG_SERIES_UNIT_KWH);
	ck_assert_int_eq(dg_series_unit_of("load_kw"), DG_SERIES_UNIT_KW);
	ck_assert_int_eq(dg_series_unit_of("kw"), DG_SERIES_UNIT_KW);
	ck_assert_int_eq(dg_series_unit_of("value"), DG_SERIES_UNIT_NAME);
	ck_assert_int_eq(dg_series_unit_of("_kw"), DG_SERIES_UNIT_NAME);
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("s1.csv", data, sizeof(data) - 1), &so, NULL, &e), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_str_eq(s.site, "site_1");
	ck_assert_int_eq(s.n, 1);
	ck_assert_int_eq(s.missing, 1);
	ck_assert_int_eq(s.missing_line, 6);
	ck_assert_int_eq(s.incomplete, 1);	/* 15:00-16:00
						 * has one of four */
	ck_assert_str_eq(TF(s.p[0].t), "2017-05-01T14:00:00-04:00");
	dg_dec_format(s.p[0].x, b, sizeof(b));
	ck_assert_str_eq(b, "5864.4");
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EOF);
	dg_series_close(sr);

	/* not integrated: each quarter's kWh is its mean demand x 4 */
	so.hourly = 0;
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("s1.csv", data, sizeof(data) - 1), &so, NULL, &e), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_int_eq(s.n, 5);
	ck_assert_int_eq(s.step_s, 900);
	ck_assert_str_eq(TF(s.p[0].t), "2017-05-01T14:00:00-04:00");
	dg_dec_format(s.p[0].x, b, sizeof(b));
	ck_assert_str_eq(b, "6134.4");
	dg_dec_format(s.p[4].x, b, sizeof(b));
	ck_assert_str_eq(b, "9.540");
	dg_series_close(sr);

	/* the unit: given where the name has none; contradicted: an error
	 * naming the column */
	so.value_col = "HE (EST)";
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("s1.csv", data, sizeof(data) - 1), &so, NULL, &e),
	    DG_EINVAL);
	ck_assert_str_eq(e.column, "HE (EST)");
	ck_assert_ptr_nonnull(strstr(e.msg, "no unit"));
	so.value_col = "kWH";
	so.unit = DG_SERIES_UNIT_KW;
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("s1.csv", data, sizeof(data) - 1), &so, NULL, &e),
	    DG_EINVAL);
	ck_assert_str_eq(e.column, "kWH");
	so.unit = DG_SERIES_UNIT_NAME;
	so.value_col = "load_kw";
	so.time_col = "time";
	so.sum = 1;
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("l.csv", "site,time,load_kw\n", 18), &so, NULL, &e),
	    DG_EINVAL);
	ck_assert_ptr_nonnull(strstr(e.msg, "which summing contradicts"));
	dg_series_release(&s);
}
END_TEST

START_TEST(series_hourly_mean_exact)
{
	/* 5-minute kW: twelve readings, the mean rounded once to 6 decimals
	 * when it does not end sooner (1/12 of 1.001 ... hand: the sum is
	 * 12.013, / 12 = 1.0010833... -> 1.001083); quarters end within two
	 * more decimals (5.615 + 2.385 + 3 + 4.001 = 15.001, / 4 = 3.75025) */
	char data[2048];
	size_t k = 0;
	struct dg_series_opts so = { .value_col = "load_kw", .hourly = 1 };
	struct dg_series_reader *sr;
	struct dg_series s = { 0 };
	struct dg_error e;
	char b[DG_DEC_BUFSZ];

	k += (size_t)snprintf(data + k, sizeof(data) - k,
	    "site,time,load_kw\n");
	for (int i = 0; i < 12; i++)
		k += (size_t)snprintf(data + k, sizeof(data) - k,
		    "A,2017-07-14T14:%02d:00-04:00,%s\n", 5 * i,
		    i == 0 ? "1.002" : "1.001");
	k += (size_t)snprintf(data + k, sizeof(data) - k,
	    "B,2017-07-14T14:00:00-04:00,5.615\n"
	    "B,2017-07-14T14:15:00-04:00,2.385\n"
	    "B,2017-07-14T14:30:00-04:00,3\nB,2017-07-14T14:45:00-04:00,4.001\n");
	ck_assert_int_eq(dg_series_open(&sr, write_tmp("m.csv", data, k), &so,
	    NULL, &e), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_int_eq(s.n, 1);
	dg_dec_format(s.p[0].x, b, sizeof(b));
	ck_assert_str_eq(b, "1.001083");
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	dg_dec_format(s.p[0].x, b, sizeof(b));
	ck_assert_str_eq(b, "3.75025");
	dg_series_close(sr);
	dg_series_release(&s);
}
END_TEST

START_TEST(series_limits)
{
	static const char unsorted[] =
	    "site,time,load_kw\n"
	    "A,2017-07-14T14:00:00-04:00,1\n"
	    "B,2017-07-14T14:00:00-04:00,1\n"
	    "A,2017-07-14T15:00:00-04:00,1\n";
	static const char conflict[] =
	    "site,time,load_kw\n"
	    "A,2017-07-14T14:00:00-04:00,1\n"
	    "A,2017-07-14T14:00:00-04:00,2\n";
	struct dg_series_opts so = { .value_col = "load_kw" };
	struct dg_series_reader *sr;
	struct dg_series s = { 0 };
	struct dg_error e;

	/* any order (issue 13 item 5): interleaved rows are sorted, sites in
	 * the order of their first row */
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("u.csv", unsorted, sizeof(unsorted) - 1), &so, NULL, &e),
	    DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_str_eq(s.site, "A");
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(s.p[1].line, 4);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_str_eq(s.site, "B");
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EOF);
	ck_assert_int_eq(dg_series_sorted(sr), 1);
	dg_series_close(sr);
	/* grouped for the first rows looked at, then a site again: an error
	 * that says what to do */
	so.sniff_bytes = 1;
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("u.csv", unsorted, sizeof(unsorted) - 1), &so, NULL, &e),
	    DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EDATA);
	ck_assert_str_eq(msg(&e),
	    "u.csv:4: column site: site \"A\" appears again after other sites, far from its first rows: the input is neither grouped by site nor interleaved from its start (--sort reads any order)");
	dg_series_close(sr);
	/* .sort: any order, whatever the first rows say */
	so.sort = 1;
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("u.csv", unsorted, sizeof(unsorted) - 1), &so, NULL, &e),
	    DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_int_eq(s.n, 2);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EOF);
	dg_series_close(sr);
	so.sort = 0;
	so.sniff_bytes = 0;
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("c.csv", conflict, sizeof(conflict) - 1), &so, NULL, &e),
	    DG_OK);
	ck_assert_int_eq(dg_series_next(sr, &s), DG_EDATA);
	ck_assert_str_eq(msg(&e), "c.csv:3: column time: site A: repeated time with a different value");
	dg_series_close(sr);
	so.value_col = "kw";
	ck_assert_int_eq(dg_series_open(&sr,
	    write_tmp("c.csv", conflict, sizeof(conflict) - 1), &so, NULL, &e),
	    DG_EDATA);
	ck_assert_str_eq(msg(&e), "c.csv:1: missing column \"kw\"");
	dg_series_release(&s);
}
END_TEST

static Suite *
core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, dec_roundtrip);
	tcase_add_test(tc, dec_products_round_once);
	tcase_add_test(tc, dec_add_div_cmp);
	tcase_add_test(tc, time_iso);
	tcase_add_test(tc, time_dst);
	tcase_add_test(tc, time_local_as_libc);
	tcase_add_test(tc, time_local_transition_days);
	tcase_add_test(tc, cal_holidays);
	tcase_add_test(tc, cal_holiday_set);
	tcase_add_test(tc, csv_spreadsheet_export);
	tcase_add_test(tc, csv_no_final_newline_and_tab);
	tcase_add_test(tc, csv_delimiter_found);
	tcase_add_test(tc, csv_final_newline_rule);
	tcase_add_test(tc, csv_big_input_streams);
	tcase_add_test(tc, csv_plain_lines_as_libcsv);
	tcase_add_test(tc, csv_writer);
	tcase_add_test(tc, csv_writer_sheet);
	tcase_add_test(tc, csv_sheet_numbers);
	tcase_add_test(tc, csv_months);
	tcase_add_test(tc, csv_failed_mark);
	tcase_add_test(tc, parse_double_as_strtod);
	tcase_add_test(tc, out_atomic);
	tcase_add_test(tc, out_commit_all);
	tcase_add_test(tc, pulse_rollover_hand_computed);
	tcase_add_test(tc, pulse_reset_not_negative);
	tcase_add_test(tc, pulse_energy_out_of_range);
	tcase_add_test(tc, pulse_input_batches);
	tcase_add_test(tc, pulse_input_refusals);
	tcase_add_test(tc, pulse_input_any_order);
	tcase_add_test(tc, sites_read);
	tcase_add_test(tc, series_hourly);
	tcase_add_test(tc, series_exact_units_holes);
	tcase_add_test(tc, series_hourly_mean_exact);
	suite_add_tcase(s, tc);
	return s;
}

static Suite *
limits_suite(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("limits");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, dec_limits);
	tcase_add_test(tc, dec_rendering);
	tcase_add_test(tc, time_limits);
	tcase_add_test(tc, csv_limits);
	tcase_add_test(tc, out_full_disk);
	tcase_add_test(tc, sites_limits);
	tcase_add_test(tc, series_limits);
	suite_add_tcase(s, tc);
	/* with Check's default timeout (4 s; CK_DEFAULT_TIMEOUT): a
	 * quadratic header check does not finish in it */
	tc = tcase_create("wide");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, csv_wide_header);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(core_suite());
	int failed;

	srunner_add_suite(sr, limits_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
