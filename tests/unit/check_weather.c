/* check_weather.c: the shared weather reader (dg_weather) on small files
 * and the sample's weather-2017.csv (testdata/sample/README.md). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_weather.h"

#ifndef DG_TESTDATA
#define DG_TESTDATA "testdata"
#endif

static char tmpname[64];

static const char *
tmpfile_with(const char *s)
{
	FILE *fp;
	int fd;

	if (tmpname[0])
		unlink(tmpname);
	snprintf(tmpname, sizeof(tmpname), "/tmp/check_weather_XXXXXX");
	fd = mkstemp(tmpname);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(s, fp);
	fclose(fp);
	return tmpname;
}

/* Each test's last temporary file (the next call removes the one before). */
static void
remove_tmp(void)
{
	if (tmpname[0])
		unlink(tmpname);
	tmpname[0] = '\0';
}

static dg_time
T(const char *s)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), 0, &ts, &why), DG_OK);
	return ts.t;
}

/* --- core ---------------------------------------------------------------- */

/* The sample: one station, KISP, 8760 hours of 2017; 2017-07-21 14:00 EDT
 * reads 97.1 F (the file's row: grep KISP,2017-07-21T14). */
START_TEST(sample_kisp)
{
	struct dg_weather w;
	struct dg_weather_opts wo;
	struct dg_csv_opts co;
	struct dg_error err;
	const struct dg_weather_station *s;
	double t;

	dg_csv_opts_init(&co);
	dg_weather_opts_init(&wo);
	wo.rh = 1;
	ck_assert_int_eq(dg_weather_read(&w,
	    DG_TESTDATA "/sample/weather-2017.csv",
	    &wo, &co, &err), DG_OK);
	ck_assert(w.keyed);
	ck_assert_uint_eq(w.n, 1);
	s = dg_weather_find(&w, "KISP");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->ntemp, 8760);
	ck_assert_uint_eq(s->nrh, 8760);
	ck_assert_int_eq(s->line, 2);
	ck_assert(dg_weather_temp_at(s, T("2017-07-21T14:00:00-04:00"), &t));
	ck_assert_double_eq_tol(t, 97.1, 1e-9);
	ck_assert(!dg_weather_temp_at(s, T("2018-01-01T00:00:00-05:00"), &t));
	ck_assert_ptr_null(dg_weather_find(&w, "KJFK"));
	dg_weather_release(&w);
}
END_TEST

/* Two stations, unsorted hours within each; 5-minute readings of B become
 * hourly means when asked (hand-computed: (80.5 + 81.5) / 2 = 81.0 with
 * 30-minute readings). */
START_TEST(stations_hourly)
{
	struct dg_weather w;
	struct dg_weather_opts wo;
	struct dg_csv_opts co;
	struct dg_error err;
	double t;

	dg_csv_opts_init(&co);
	dg_weather_opts_init(&wo);
	wo.hourly = 1;
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "station,time,temp_f\n"
	    "A,2017-07-21T15:00:00-04:00,79.25\n"
	    "A,2017-07-21T14:00:00-04:00,78.5\n"
	    "B,2017-07-21T14:00:00-04:00,80.5\n"
	    "B,2017-07-21T14:30:00-04:00,81.5\n"), &wo, &co, &err), DG_OK);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_str_eq(w.v[0].name, "A");
	ck_assert_int_eq(w.v[1].line, 4);
	ck_assert(dg_weather_temp_at(&w.v[0], T("2017-07-21T14:00:00-04:00"),
	    &t));
	ck_assert_double_eq_tol(t, 78.5, 1e-12);
	ck_assert_uint_eq(w.v[1].ntemp, 1);
	ck_assert(dg_weather_temp_at(&w.v[1], T("2017-07-21T14:00:00-04:00"),
	    &t));
	ck_assert_double_eq_tol(t, 81.0, 1e-12);
	dg_weather_release(&w);
}
END_TEST

/* No station column: one station "". */
START_TEST(plain_file)
{
	struct dg_weather w;
	struct dg_weather_opts wo;
	struct dg_csv_opts co;
	struct dg_error err;
	double t;

	dg_csv_opts_init(&co);
	dg_weather_opts_init(&wo);
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "time,temp_f\n2017-07-21T15:00:00-04:00,80.3\n"
	    "2017-07-21T14:00:00-04:00,95.0\n"), &wo, &co, &err), DG_OK);
	ck_assert(!w.keyed);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(w.v[0].name, "");
	ck_assert(dg_weather_temp_at(&w.v[0], T("2017-07-21T14:00:00-04:00"),
	    &t));
	ck_assert_double_eq_tol(t, 95.0, 1e-12);
	dg_weather_release(&w);
}
END_TEST

/* --- limits -------------------------------------------------------------- */

START_TEST(bad_files)
{
	struct dg_weather w;
	struct dg_weather_opts wo;
	struct dg_csv_opts co;
	struct dg_error err;

	dg_csv_opts_init(&co);
	dg_weather_opts_init(&wo);
	/* a repeated hour in a plain file */
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "time,temp_f\n2017-07-21T14:00:00-04:00,80.3\n"
	    "2017-07-21T14:00:00-04:00,81.3\n"), &wo, &co, &err), DG_EDATA);
	ck_assert_str_eq(err.msg, "repeated hour 2017-07-21T14:00:00-04:00");
	ck_assert_uint_eq(w.n, 0);
	/* the station column asked for */
	wo.need_station = 1;
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "time,temp_f\n2017-07-21T14:00:00-04:00,80.3\n"), &wo, &co, &err),
	    DG_EDATA);
	ck_assert_str_eq(err.msg, "missing column \"station\"");
	/* a station again after another: read in any order (issue 13) */
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "station,time,temp_f\nA,2017-07-21T14:00:00-04:00,80.3\n"
	    "B,2017-07-21T14:00:00-04:00,80.3\n"
	    "A,2017-07-21T15:00:00-04:00,80.3\n"), &wo, &co, &err), DG_OK);
	dg_weather_release(&w);
	/* not a number; rh_pct missing when asked */
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "station,time,temp_f\nA,2017-07-21T14:00:00-04:00,8o.3\n"), &wo,
	    &co, &err), DG_EDATA);
	ck_assert_str_eq(err.column, "temp_f");
	wo.rh = 1;
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "station,time,temp_f\nA,2017-07-21T14:00:00-04:00,80.3\n"), &wo,
	    &co, &err), DG_EDATA);
	ck_assert_str_eq(err.msg, "missing column \"rh_pct\"");
	ck_assert_int_eq(dg_weather_read(&w, "/nonexistent/w.csv", &wo, &co,
	    &err), DG_ENOINPUT);
	unlink(tmpname);
}
END_TEST

/* Readings no thermometer or hygrometer gives: refused at their row, in
 * either layout (the bounds: DG_WEATHER_TEMP_MIN_F and _MAX_F, 0-100 %). */
START_TEST(out_of_range)
{
	struct dg_weather w;
	struct dg_weather_opts wo;
	struct dg_csv_opts co;
	struct dg_error err;

	dg_csv_opts_init(&co);
	dg_weather_opts_init(&wo);
	wo.rh = 1;
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "station,time,temp_f,rh_pct\nA,2017-07-21T14:00:00-04:00,80.3,50\n"
	    "A,2017-07-21T15:00:00-04:00,999999999,50\n"), &wo, &co, &err),
	    DG_EDATA);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.column, "temp_f");
	ck_assert_uint_eq(w.n, 0);
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "time,temp_f,rh_pct\n2017-07-21T14:00:00-04:00,-150.1,50\n"), &wo,
	    &co, &err), DG_EDATA);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "time,temp_f,rh_pct\n2017-07-21T14:00:00-04:00,80,100.5\n"), &wo,
	    &co, &err), DG_EDATA);
	ck_assert_str_eq(err.column, "rh_pct");
	/* the bounds themselves are readings */
	ck_assert_int_eq(dg_weather_read(&w, tmpfile_with(
	    "time,temp_f,rh_pct\n2017-07-21T14:00:00-04:00,-150,0\n"
	    "2017-07-21T15:00:00-04:00,150,100\n"), &wo, &co, &err), DG_OK);
	dg_weather_release(&w);
}
END_TEST

static Suite *
weather_suite(void)
{
	Suite *s = suite_create("weather");
	TCase *core = tcase_create("core");
	TCase *lim = tcase_create("limits");

	tcase_add_checked_fixture(core, NULL, remove_tmp);
	tcase_add_checked_fixture(lim, NULL, remove_tmp);

	tcase_add_test(core, sample_kisp);
	tcase_add_test(core, stations_hourly);
	tcase_add_test(core, plain_file);
	tcase_add_test(lim, bad_files);
	tcase_add_test(lim, out_of_range);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(weather_suite());
	int nf;

	dg_tz_set("America/New_York");
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
