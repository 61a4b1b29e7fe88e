/* check_events: the one events reader (lib/dg_events.c) that dg-cbl,
 * dg-ucap and dg-settle share. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_events.h"

static char path[] = "/tmp/check_events_XXXXXX";

static int
read_text(const char *text, struct dg_events *es, struct dg_error *e)
{
	struct dg_csv_opts o;
	int fd;

	memcpy(path, "/tmp/check_events_XXXXXX", sizeof(path));
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	dg_csv_opts_init(&o);
	{
		int st = dg_events_read(es, path, &o, e);

		unlink(path);
		return st;
	}
}

static void
assert_fails(const char *text, long line, const char *col, const char *msg)
{
	struct dg_events es;
	struct dg_error e;

	ck_assert_int_eq(read_text(text, &es, &e), DG_EDATA);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.column, col);
	ck_assert_msg(strstr(e.msg, msg) != NULL, "\"%s\" lacks \"%s\"", e.msg,
	    msg);
}

static const char *
stamp(dg_time t)
{
	static char b[DG_TIME_BUFSZ];

	dg_time_format(t, b, sizeof(b));
	return b;
}

START_TEST(sample_month)
{
	/* testdata/settle/events-2022.csv, the sample's 2022 calls, in file
	 * order other than time order; HH:MM:SS as a spreadsheet saves it */
	static const char text[] =
	    "event,program,date,start,end,notice\n"
	    "SCR-2022-07-20,SCR,2022-07-20,13:00,17:00,x\n"
	    "EDRP-2022-11-06,EDRP,2022-11-06,00:00:00,03:00:00,x\n"
	    "EDRP-2022-07-20,EDRP,2022-07-20,13:00,17:00,x\n"
	    "LIPA-2022-07-20,LIPA,2022-07-20,14:00,24:00,x\n";
	struct dg_events es;
	struct dg_error e;

	dg_tz_set("America/New_York");
	ck_assert_int_eq(read_text(text, &es, &e), DG_OK);
	ck_assert_uint_eq(es.n, 4);
	/* by date and start, then file order */
	ck_assert_str_eq(es.v[0].id, "SCR-2022-07-20");
	ck_assert_str_eq(es.v[1].id, "EDRP-2022-07-20");
	ck_assert_str_eq(es.v[2].id, "LIPA-2022-07-20");
	ck_assert_str_eq(stamp(es.v[2].end), "2022-07-21T00:00:00-04:00");
	/* the fall-back day: 00:00-03:00 is four hours long */
	ck_assert_int_eq(es.v[3].end - es.v[3].start, 4 * 3600);
	ck_assert_str_eq(stamp(es.v[3].end), "2022-11-06T03:00:00-05:00");
	ck_assert_ptr_null(es.v[0].site);
	ck_assert_int_eq(dg_event_applies(&es.v[0], "LI01"), 1);
	ck_assert_str_eq(dg_events_find(&es, "LIPA-2022-07-20")->program,
	    "LIPA");
	ck_assert_ptr_null(dg_events_find(&es, "LIPA"));
	ck_assert_ptr_null(dg_events_find(&es, "ZZZ"));
	ck_assert_ptr_null(dg_events_find(&es, ""));
	ck_assert_int_eq(dg_events_whole_hours(&es, &e), DG_OK);
	{
		static const char *const progs[] = { "EDRP", "SCR", "LIPA" };
		static const char *const fewer[] = { "EDRP", "SCR", "EDRP" };

		ck_assert_int_eq(dg_events_check_names(&es, progs, 3, NULL, 0,
		    &e), DG_OK);
		/* issue 12 item 4: a program no file knows is an error
		 * naming it */
		ck_assert_int_eq(dg_events_check_names(&es, fewer, 3, NULL, 0,
		    &e), DG_EDATA);
		ck_assert_int_eq(e.line, 5);
		ck_assert_str_eq(e.column, "program");
		ck_assert_str_eq(e.msg,
		    "event \"LIPA-2022-07-20\": unknown program \"LIPA\" (known: EDRP, SCR)");
	}
	/* July only */
	ck_assert_uint_eq(dg_events_select(&es, dg_date_from_ymd(2022, 7, 1),
	    dg_date_from_ymd(2022, 7, 31)), 1);
	ck_assert_uint_eq(es.n, 3);
	ck_assert_ptr_null(dg_events_find(&es, "EDRP-2022-11-06"));
	ck_assert_ptr_nonnull(dg_events_find(&es, "SCR-2022-07-20"));
	dg_events_release(&es);
}
END_TEST

START_TEST(per_site_rows)
{
	static const char text[] =
	    "site,event,program,date,start,end\n"
	    "LI02,E1,EDRP,2017-07-19,14:00,18:00\n"
	    "LI01,E1,EDRP,2017-07-19,14:00,18:00\n"
	    "LI01,E2,EDRP,2017-07-20,14:30,18:00\n";
	struct dg_events es;
	struct dg_error e;

	dg_tz_set("America/New_York");
	ck_assert_int_eq(read_text(text, &es, &e), DG_OK);
	ck_assert_uint_eq(es.n, 3);
	/* file order */
	ck_assert_str_eq(dg_events_find(&es, "E1")->site, "LI02");
	ck_assert_int_eq(dg_event_applies(&es.v[0], "LI01"), 0);
	ck_assert_int_eq(dg_event_applies(&es.v[1], "LI01"), 1);
	{
		static const char *const sites[] = { "LI01" };

		ck_assert_int_eq(dg_events_check_names(&es, NULL, 0, sites, 1,
		    &e), DG_EDATA);
		ck_assert_int_eq(e.line, 2);
		ck_assert_str_eq(e.column, "site");
	}
	/* dg-cbl counts whole hours */
	ck_assert_int_eq(dg_events_whole_hours(&es, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 4);
	ck_assert_str_eq(e.column, "start");
	dg_events_release(&es);
}
END_TEST

START_TEST(bad_rows)
{
	dg_tz_set("America/New_York");
	assert_fails("event,program,date,start\nE1,EDRP,2017-07-19,14:00\n", 1,
	    "", "missing column \"end\"");
	assert_fails("event,program,date,start,end\n"
	    ",EDRP,2017-07-19,14:00,18:00\n",
	    2, "event", "empty value");
	assert_fails("event,program,date,start,end\n"
	    "E1,,2017-07-19,14:00,18:00\n",
	    2, "program", "empty value");
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-02-30,14:00,18:00\n",
	    2, "date", "not a date");
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,2pm,18:00\n",
	    2, "start", "not a clock time");
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,24:00,18:00\n",
	    2, "start", "not a clock time");
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,14:00,24:30\n",
	    2, "end", "not a clock time");
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,14:00:30,18:00\n",
	    2, "start", "not a clock time");
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,18:00,14:00\n",
	    2, "end", "ends before it starts");
	/* 02:30 of the spring-forward day does not exist */
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-03-12,02:30,04:00\n",
	    2, "start", "no such local time");
	/* one event, two rows that disagree */
	assert_fails("event,program,date,start,end\n"
	    "E1,EDRP,2017-07-19,14:00,18:00\n"
	    "E1,EDRP,2017-07-19,14:00,18:00\n", 3, "event",
	    "is given twice (line 2");
	assert_fails("event,program,date,start,end,site\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,A\n"
	    "E1,SCR,2017-07-19,14:00,18:00,B\n", 3, "program",
	    "has two programs");
	assert_fails("event,program,date,start,end,site\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,A\n"
	    "E1,EDRP,2017-07-19,15:00,18:00,B\n", 3, "event",
	    "two dates or times");
	assert_fails("event,program,date,start,end,site\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,A\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,A\n", 3, "site",
	    "the same site twice");
	assert_fails("event,program,date,start,end,site\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,\n"
	    "E1,EDRP,2017-07-19,14:00,18:00,A\n", 3, "event",
	    "every site and also one");
}
END_TEST

START_TEST(empty_file)
{
	struct dg_events es;
	struct dg_error e;

	ck_assert_int_eq(read_text("event,program,date,start,end\n", &es, &e),
	    DG_OK);
	ck_assert_uint_eq(es.n, 0);
	ck_assert_ptr_null(dg_events_find(&es, "E1"));
	ck_assert_uint_eq(dg_events_select(&es, 0, 100000), 0);
	dg_events_release(&es);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, sample_month);
	tcase_add_test(tc, per_site_rows);
	tcase_add_test(tc, bad_rows);
	tcase_add_test(tc, empty_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
