/* check_ledger: the event ledger (lib/dg_ledger.c): records and their hash
 * chain, tampering found at its line, appends by several writers at once,
 * a torn last line, and the events file made from the records. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dg_ledger.h"

static char dir[] = "/tmp/check_ledger_XXXXXX";
static char path[256];

static void
setup(void)
{
	memcpy(dir, "/tmp/check_ledger_XXXXXX", sizeof(dir));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ledger.csv", dir);
	dg_tz_set("America/New_York");
}

static void
teardown(void)
{
	char p[300];

	unlink(path);
	snprintf(p, sizeof(p), "%s/out.csv", dir);
	unlink(p);
	rmdir(dir);
}

static dg_time
at(const char *s)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), 0, &ts, &why), DG_OK);
	return ts.t;
}

/* Appends one event record. */
static void
add(struct dg_ledger *l, int kind, const char *event, const char *program,
    const char *site, const char *start, const char *end)
{
	struct dg_ledger_rec r;
	struct dg_error e;

	dg_ledger_rec_init(&r, kind, at("2022-07-20T11:02:00-04:00"));
	r.event = event;
	r.program = program;
	r.site = site;
	r.zone = "LONGIL";
	r.source = "manual";
	if (start)
		r.start = at(start);
	if (end)
		r.end = at(end);
	ck_assert_int_eq(dg_ledger_append(l, &r, 1, 0, &e), DG_OK);
}

static char *
slurp(const char *p)
{
	FILE *fp = fopen(p, "r");
	char *s = calloc(1, 1 << 20);

	ck_assert_ptr_nonnull(fp);
	fread(s, 1, (1 << 20) - 1, fp);
	fclose(fp);
	return s;
}

static void
spit(const char *p, const char *s)
{
	FILE *fp = fopen(p, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(s, fp);
	fclose(fp);
}

/* Three records of the sample's call of 2022-07-20 (testdata/settle/
 * events-2022.csv: EDRP 13:00-17:00, notice at 11:00). */
static void
three(void)
{
	struct dg_ledger *l;
	struct dg_error e;

	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	add(l, DG_LK_CALL, "EDRP-2022-07-20", "EDRP", "LI01",
	    "2022-07-20T13:00:00-04:00", "2022-07-20T17:00:00-04:00");
	add(l, DG_LK_CALL, "EDRP-2022-07-20", "EDRP", "LI02", NULL, NULL);
	add(l, DG_LK_CHANGE, "EDRP-2022-07-20", NULL, NULL, NULL,
	    "2022-07-20T17:45:00-04:00");
	ck_assert_int_eq(dg_ledger_count(l), 3);
	dg_ledger_close(l);
}

static int
count_fn(void *arg, const struct dg_ledger_rec *r, struct dg_error *err)
{
	long *n = arg;

	(void)err;
	ck_assert_int_eq(r->seq, *n + 1);
	(*n)++;
	return DG_OK;
}

START_TEST(chain_reads_back)
{
	struct dg_error e;
	char head[DG_LEDGER_HEX];
	long n = 0, count;
	char *s;

	three();
	ck_assert_int_eq(dg_ledger_read(path, 0, count_fn, &n, &count, head,
	    &e), DG_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(count, 3);
	s = slurp(path);
	/* the head is the last field of the last line */
	ck_assert_ptr_nonnull(strstr(s, head));
	ck_assert_int_eq(strlen(strstr(s, head)), 65);
	/* the times as written, in the market zone */
	ck_assert_ptr_nonnull(strstr(s, ",2022-07-20T17:45:00-04:00,"));
	free(s);
}
END_TEST

/* Replaces the first occurrence of a by b in the file. */
static void
tamper(const char *a, const char *b)
{
	char *s = slurp(path), *p = strstr(s, a), *t;

	ck_assert_ptr_nonnull(p);
	t = calloc(1, strlen(s) + strlen(b) + 1);
	memcpy(t, s, (size_t)(p - s));
	strcat(t, b);
	strcat(t, p + strlen(a));
	spit(path, t);
	free(s);
	free(t);
}

static void
assert_bad(long line, const char *col, const char *msg)
{
	struct dg_error e;

	ck_assert_int_eq(dg_ledger_read(path, 0, NULL, NULL, NULL, NULL, &e),
	    DG_EDATA);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.column, col);
	ck_assert_msg(strstr(e.msg, msg) != NULL, "\"%s\" lacks \"%s\"", e.msg,
	    msg);
}

START_TEST(edited_record)
{
	three();
	/* the change's new end moved by an hour: line 4 (header, 3 records) */
	tamper("17:45:00", "18:45:00");
	assert_bad(4, "", "does not match its hash");
}
END_TEST

START_TEST(removed_record)
{
	char *s, *l2, *l3;

	three();
	s = slurp(path);
	l2 = strchr(s, '\n') + 1;
	l3 = strchr(l2, '\n') + 1;
	memmove(l2, l3, strlen(l3) + 1);	/* record 1 removed */
	spit(path, s);
	free(s);
	assert_bad(2, "prev", "chain is broken");
}
END_TEST

START_TEST(inserted_blank_line)
{
	three();
	tamper("\n2,", "\n\n2,");
	assert_bad(3, "", "blank line");
}
END_TEST

START_TEST(cut_short)
{
	struct dg_error e;
	char *s;

	three();
	s = slurp(path);
	s[strlen(s) - 10] = '\0';	/* a writer killed in write(2) */
	spit(path, s);
	free(s);
	ck_assert_int_eq(dg_ledger_read(path, 0, NULL, NULL, NULL, NULL, &e),
	    DG_EDATA);
	ck_assert_int_eq(e.line, 4);
}
END_TEST

START_TEST(torn_tail_repaired_by_append)
{
	struct dg_ledger *l;
	struct dg_error e;
	long n = 0;
	char *s;

	three();
	s = slurp(path);
	s[strlen(s) - 10] = '\0';
	spit(path, s);
	free(s);
	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	add(l, DG_LK_ALLCLEAR, "EDRP-2022-07-20", NULL, NULL, NULL, NULL);
	/* the torn record 3 is gone, the new one is 3 */
	ck_assert_int_gt(dg_ledger_torn(l), 100);
	ck_assert_int_eq(dg_ledger_count(l), 3);
	dg_ledger_close(l);
	ck_assert_int_eq(dg_ledger_read(path, 0, count_fn, &n, NULL, NULL, &e),
	    DG_OK);
	ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(not_a_ledger)
{
	spit(path, "event,program,date,start,end\nE1,EDRP,2022-07-20,13:00,17:00\n");
	assert_bad(1, "", "not a ledger");
}
END_TEST

START_TEST(values_one_line)
{
	struct dg_ledger *l;
	struct dg_ledger_rec r;
	struct dg_error e;
	char *s;

	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	dg_ledger_rec_init(&r, DG_LK_BOUNCE, at("2022-07-20T11:03:07-04:00"));
	r.notice = "N1";
	r.detail = "550 5.1.1 <a@b>: no such user\r\n550 \"really\", sorry";
	ck_assert_int_eq(dg_ledger_append(l, &r, 1, 1, &e), DG_OK);
	dg_ledger_close(l);
	s = slurp(path);
	ck_assert_ptr_nonnull(strstr(s,
	    ",\"550 5.1.1 <a@b>: no such user  550 \"\"really\"\", sorry\","));
	free(s);
	ck_assert_int_eq(dg_ledger_read(path, 0, NULL, NULL, NULL, NULL, &e),
	    DG_OK);
}
END_TEST

/* Two writers at once, each appending 400 records one at a time: none
 * lost, none interleaved, the chain whole, each writer's in its order. */
struct race {
	long last[2], n;
	int ok;
};

static int
race_fn(void *arg, const struct dg_ledger_rec *r, struct dg_error *err)
{
	struct race *x = arg;
	int w = r->person[0] - 'A';
	long k = strtol(r->detail, NULL, 10);

	(void)err;
	if (w < 0 || w > 1 || k != x->last[w] + 1)
		x->ok = 0;
	x->last[w] = k;
	x->n++;
	return DG_OK;
}

START_TEST(two_writers)
{
	struct race x = { { 0, 0 }, 0, 1 };
	struct dg_error e;
	pid_t pid[2];

	for (int w = 0; w < 2; w++) {
		if ((pid[w] = fork()) == 0) {
			struct dg_ledger *l;
			char who[2] = { (char)('A' + w), 0 }, k[16];
			struct dg_ledger_rec r;

			if (dg_ledger_open(&l, path, &e) != DG_OK)
				_exit(1);
			for (int i = 1; i <= 400; i++) {
				dg_ledger_rec_init(&r, DG_LK_ATTEMPT, 1658329200);
				snprintf(k, sizeof(k), "%d", i);
				r.person = who;
				r.detail = k;
				if (dg_ledger_append(l, &r, 1, 0, &e) != DG_OK)
					_exit(1);
			}
			dg_ledger_close(l);
			_exit(0);
		}
	}
	for (int w = 0; w < 2; w++) {
		int status;

		ck_assert_int_eq(waitpid(pid[w], &status, 0), pid[w]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_int_eq(dg_ledger_read(path, 0, race_fn, &x, NULL, NULL, &e),
	    DG_OK);
	ck_assert_int_eq(x.n, 800);
	ck_assert_int_eq(x.last[0], 400);
	ck_assert_int_eq(x.last[1], 400);
	ck_assert(x.ok);
}
END_TEST

/* --- Events ----------------------------------------------------------- */

static char *
export(dg_date from, dg_date to, int want)
{
	struct dg_ledger_events es;
	struct dg_error e;
	struct dg_csvw w;
	char p[300];
	FILE *fp;
	char *s;

	snprintf(p, sizeof(p), "%s/out.csv", dir);
	ck_assert_int_eq(dg_ledger_events_read(&es, path, &e), DG_OK);
	fp = fopen(p, "w");
	dg_csvw_init(&w, fp, ',', 0, 0);
	ck_assert_int_eq(dg_ledger_export(&es, from, to, &w, &e), want);
	fclose(fp);
	dg_ledger_events_release(&es);
	s = slurp(p);
	return s;
}

START_TEST(export_calls)
{
	struct dg_ledger *l;
	struct dg_error e;
	char *s;

	three();
	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	/* a standby never called, a call cancelled, and the fall-back day's
	 * 00:00-03:00 call (four hours long: testdata/settle) */
	add(l, DG_LK_STANDBY, "SCR-2022-07-21", "SCR", NULL,
	    "2022-07-21T14:00:00-04:00", "2022-07-21T18:00:00-04:00");
	add(l, DG_LK_CALL, "LIPA-2022-07-20", "LIPA", NULL,
	    "2022-07-20T14:00:00-04:00", "2022-07-20T18:00:00-04:00");
	add(l, DG_LK_CANCEL, "LIPA-2022-07-20", NULL, NULL, NULL, NULL);
	add(l, DG_LK_CALL, "EDRP-2022-11-06", "EDRP", NULL,
	    "2022-11-06T00:00:00-04:00", "2022-11-06T03:00:00-05:00");
	add(l, DG_LK_ALLCLEAR, "EDRP-2022-07-20", NULL, NULL, NULL, NULL);
	dg_ledger_close(l);
	s = export(dg_date_from_ymd(2022, 7, 1), dg_date_from_ymd(2022, 12, 31),
	    DG_OK);
	ck_assert_str_eq(s,
	    "event,program,date,start,end,site,zone,notice\n"
	    "EDRP-2022-07-20,EDRP,2022-07-20,13:00,17:45,LI01,LONGIL,"
	    "2022-07-20T11:02:00-04:00\n"
	    "EDRP-2022-07-20,EDRP,2022-07-20,13:00,17:45,LI02,LONGIL,"
	    "2022-07-20T11:02:00-04:00\n"
	    "EDRP-2022-11-06,EDRP,2022-11-06,00:00,03:00,,LONGIL,"
	    "2022-07-20T11:02:00-04:00\n");
	free(s);
	/* --from/--to select by the call's date */
	s = export(dg_date_from_ymd(2022, 11, 1), dg_date_from_ymd(2022, 11, 30),
	    DG_OK);
	ck_assert_ptr_null(strstr(s, "EDRP-2022-07-20"));
	ck_assert_ptr_nonnull(strstr(s, "EDRP-2022-11-06"));
	free(s);
}
END_TEST

START_TEST(export_past_midnight)
{
	struct dg_ledger *l;
	struct dg_error e;

	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	add(l, DG_LK_CALL, "E1", "EDRP", NULL, "2022-07-20T22:00:00-04:00",
	    "2022-07-21T01:00:00-04:00");
	add(l, DG_LK_CALL, "E2", "EDRP", NULL, "2022-07-21T22:00:00-04:00",
	    "2022-07-22T00:00:00-04:00");
	dg_ledger_close(l);
	free(export(0, 100000, DG_EDATA));
}
END_TEST

START_TEST(midnight_end_is_2400)
{
	struct dg_ledger *l;
	struct dg_error e;
	char *s;

	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	add(l, DG_LK_CALL, "E2", "EDRP", NULL, "2022-07-21T22:00:00-04:00",
	    "2022-07-22T00:00:00-04:00");
	dg_ledger_close(l);
	s = export(0, 100000, DG_OK);
	ck_assert_ptr_nonnull(strstr(s, "E2,EDRP,2022-07-21,22:00,24:00,,"));
	free(s);
}
END_TEST

static void
assert_fold_fails(int kind, const char *event, const char *program,
    const char *start, const char *end, const char *col, const char *msg)
{
	struct dg_ledger_events es;
	struct dg_ledger *l;
	struct dg_error e;

	ck_assert_int_eq(dg_ledger_open(&l, path, &e), DG_OK);
	add(l, DG_LK_CALL, "E1", "EDRP", NULL, "2022-07-20T13:00:00-04:00",
	    "2022-07-20T17:00:00-04:00");
	add(l, kind, event, program, NULL, start, end);
	dg_ledger_close(l);
	ck_assert_int_eq(dg_ledger_events_read(&es, path, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert_str_eq(e.column, col);
	ck_assert_msg(strstr(e.msg, msg) != NULL, "\"%s\" lacks \"%s\"", e.msg,
	    msg);
	dg_ledger_events_release(&es);
}

START_TEST(fold_errors)
{
	assert_fold_fails(DG_LK_CALL, "E1", "SCR", NULL, NULL, "program",
	    "is of program EDRP");
	unlink(path);
	assert_fold_fails(DG_LK_CHANGE, "E2", NULL, NULL, NULL, "event",
	    "never recorded before");
	unlink(path);
	assert_fold_fails(DG_LK_CHANGE, "E1", NULL, NULL,
	    "2022-07-20T12:59:00-04:00", "end", "would end before it starts");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ledger");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_checked_fixture(lim, setup, teardown);
	tcase_add_test(core, chain_reads_back);
	tcase_add_test(core, export_calls);
	tcase_add_test(core, midnight_end_is_2400);
	tcase_add_test(core, two_writers);
	tcase_add_test(lim, edited_record);
	tcase_add_test(lim, removed_record);
	tcase_add_test(lim, inserted_blank_line);
	tcase_add_test(lim, cut_short);
	tcase_add_test(lim, torn_tail_repaired_by_append);
	tcase_add_test(lim, not_a_ledger);
	tcase_add_test(lim, values_one_line);
	tcase_add_test(lim, export_past_midnight);
	tcase_add_test(lim, fold_errors);
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
