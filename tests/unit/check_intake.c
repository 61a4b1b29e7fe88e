/* check_intake: notices to ledger records (lib/dg_intake.c) and the
 * OpenADR 3 objects (lib/dg_openadr.c): e-mail dates, ISO 8601 durations,
 * RFC 3339 times, an event's window from its intervals. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dg_intake.h"
#include "dg_openadr.h"

/* 2022-07-20T00:00:00Z: 19193 days after 1970-01-01 (52 years of 365
 * days, 13 leap days, 200 days of 2022 before July 20) */
#define JUL20 ((dg_time)19193 * 86400)

START_TEST(rfc5322_dates)
{
	dg_time t;

	/* 11:00:12 EDT = 15:00:12Z */
	ck_assert_int_eq(dg_intake_rfc5322_date(
	    "Wed, 20 Jul 2022 11:00:12 -0400", &t), DG_OK);
	ck_assert_int_eq(t, JUL20 + 15 * 3600 + 12);
	/* no weekday, no seconds, an obsolete zone name */
	ck_assert_int_eq(dg_intake_rfc5322_date("20 Jul 2022 12:31 EDT", &t),
	    DG_OK);
	ck_assert_int_eq(t, JUL20 + 16 * 3600 + 31 * 60);
	ck_assert_int_eq(dg_intake_rfc5322_date("20 Jul 2022 12:31 +0530",
	    &t), DG_OK);
	ck_assert_int_eq(t, JUL20 + 7 * 3600 + 1 * 60);
	ck_assert_int_eq(dg_intake_rfc5322_date("20 Juli 2022 12:31 EDT", &t),
	    DG_EDATA);
	ck_assert_int_eq(dg_intake_rfc5322_date("20 Jul 2022 12:31 XYZ", &t),
	    DG_EDATA);
	ck_assert_int_eq(dg_intake_rfc5322_date("2022-07-20", &t), DG_EDATA);
}
END_TEST

START_TEST(clock_times)
{
	dg_date d = dg_date_from_ymd(2022, 7, 20);
	const char *why;
	dg_time t;

	dg_tz_set("America/New_York");
	ck_assert_int_eq(dg_intake_clock(d, "13:45", 0, &t, &why), DG_OK);
	ck_assert_int_eq(t, JUL20 + 17 * 3600 + 45 * 60);
	ck_assert_int_eq(dg_intake_clock(d, "24:00", 1, &t, &why), DG_OK);
	ck_assert_int_eq(t, JUL20 + 28 * 3600);
	ck_assert_int_eq(dg_intake_clock(d, "24:00", 0, &t, &why), DG_EDATA);
	ck_assert_int_eq(dg_intake_clock(d, "1:00", 0, &t, &why), DG_EDATA);
	/* 2022-03-13 02:30 does not exist in New York */
	ck_assert_int_eq(dg_intake_clock(dg_date_from_ymd(2022, 3, 13),
	    "02:30", 0, &t, &why), DG_EDATA);
}
END_TEST

START_TEST(durations)
{
	int64_t s;

	ck_assert_int_eq(dg_oadr_duration("PT1H30M", &s), DG_OK);
	ck_assert_int_eq(s, 5400);
	ck_assert_int_eq(dg_oadr_duration("P1DT2H", &s), DG_OK);
	ck_assert_int_eq(s, 93600);
	ck_assert_int_eq(dg_oadr_duration("P2W", &s), DG_OK);
	ck_assert_int_eq(s, 1209600);
	ck_assert_int_eq(dg_oadr_duration("PT0S", &s), DG_OK);
	ck_assert_int_eq(s, 0);
	ck_assert_int_eq(dg_oadr_duration("PT2.5S", &s), DG_OK);
	ck_assert_int_eq(s, 2);
	ck_assert_int_eq(dg_oadr_duration("P9999Y", &s), DG_OK);
	ck_assert_int_eq(s, -1);
	ck_assert_int_eq(dg_oadr_duration("PT", &s), DG_EDATA);
	ck_assert_int_eq(dg_oadr_duration("P1H", &s), DG_EDATA);
	ck_assert_int_eq(dg_oadr_duration("-PT1H", &s), DG_EDATA);
	ck_assert_int_eq(dg_oadr_duration("1H", &s), DG_EDATA);
}
END_TEST

START_TEST(datetimes)
{
	dg_time t;

	ck_assert_int_eq(dg_oadr_datetime("2022-07-20T17:00:00.000Z", &t),
	    DG_OK);
	ck_assert_int_eq(t, JUL20 + 17 * 3600);
	ck_assert_int_eq(dg_oadr_datetime("2022-07-20T13:00:00-04:00", &t),
	    DG_OK);
	ck_assert_int_eq(t, JUL20 + 17 * 3600);
	ck_assert_int_eq(dg_oadr_datetime("0000-00-00", &t), DG_OK);
	ck_assert(t == DG_LEDGER_NOTIME);
	ck_assert_int_eq(dg_oadr_datetime("2022-07-20 17:00", &t), DG_EDATA);
	ck_assert_int_eq(dg_oadr_datetime("2022-07-20T17:00:00", &t),
	    DG_EDATA);
}
END_TEST

/* Three intervals: the event's period (15 minutes from 17:00Z), the
 * second with its own 45 minutes, the third following it: 17:00Z to
 * 17:00 + 15 + 45 + 15 minutes = 18:15Z. */
START_TEST(event_window)
{
	static const char json[] = "[{\"id\":\"e-7\",\"programID\":\"p1\","
	    "\"modificationDateTime\":\"2022-07-20T15:00:00Z\","
	    "\"targets\":[{\"type\":\"RESOURCE_NAME\",\"values\":[\"LI04\"]}],"
	    "\"intervalPeriod\":{\"start\":\"2022-07-20T17:00:00Z\","
	    "\"duration\":\"PT15M\"},\"intervals\":["
	    "{\"id\":0,\"payloads\":[{\"type\":\"SIMPLE\",\"values\":[2]}]},"
	    "{\"id\":1,\"intervalPeriod\":{\"start\":\"0000-00-00\","
	    "\"duration\":\"PT45M\"},\"payloads\":[]},"
	    "{\"id\":2,\"payloads\":[{\"type\":\"PRICE\",\"values\":[0.385]}]}"
	    "]}]";
	struct dg_oadr_event *v;
	struct dg_error e;
	size_t n;

	ck_assert_int_eq(dg_oadr_parse_events(json, strlen(json), "t", &v, &n,
	    &e), DG_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(v[0].start, JUL20 + 17 * 3600);
	ck_assert_int_eq(v[0].end, JUL20 + 18 * 3600 + 15 * 60);
	ck_assert_int_eq(v[0].cancelled, 0);
	ck_assert_int_eq(v[0].nsites, 1);
	ck_assert_str_eq(v[0].sites[0], "LI04");
	ck_assert_str_eq(v[0].version, "2022-07-20T15:00:00Z");
	ck_assert_str_eq(v[0].payloads, "0:SIMPLE=2 2:PRICE=0.385");
	dg_oadr_events_free(v, n);
}
END_TEST

START_TEST(event_errors)
{
	static const char *const bad[] = {
		"{}",
		"[{\"programID\":\"p1\",\"intervals\":[]}]",
		"[{\"id\":\"a b\",\"programID\":\"p1\",\"intervals\":[]}]",
		"[{\"id\":\"e\",\"programID\":\"p1\"}]",
		"[{\"id\":\"e\",\"programID\":\"p1\",\"intervals\":[{\"id\":0,"
		"\"intervalPeriod\":{\"start\":\"yesterday\"}}]}]",
	};
	struct dg_oadr_event *v;
	struct dg_error e;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(dg_oadr_parse_events(bad[i], strlen(bad[i]),
		    "t", &v, &n, &e), DG_EDATA);
		dg_oadr_events_free(v, n);
	}
	/* a zero window: the specification's cancellation */
	{
		static const char z[] = "[{\"id\":\"e\",\"programID\":\"p1\","
		    "\"intervalPeriod\":{\"start\":\"0000-00-00\",\"duration\":"
		    "\"PT0S\"},\"intervals\":[{\"id\":0,\"payloads\":[]}]}]";

		ck_assert_int_eq(dg_oadr_parse_events(z, strlen(z), "t", &v,
		    &n, &e), DG_OK);
		ck_assert_int_eq(v[0].cancelled, 1);
		dg_oadr_events_free(v, n);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("intake");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");

	tcase_add_test(core, rfc5322_dates);
	tcase_add_test(core, clock_times);
	tcase_add_test(core, durations);
	tcase_add_test(core, datetimes);
	tcase_add_test(core, event_window);
	tcase_add_test(lim, event_errors);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
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
