/* check_plot: charts (lib/dg_plot*.c), the helper-program runner
 * (lib/dg_proc.c) and the HTML statements (lib/dg_html*.c): the time axis
 * on days of 23, 24 and 25 hours, the figures written on the charts (the
 * source report's Tables 18-21, hand computations), the kind from the
 * columns and the refusals, the script's quoting, the inline SVG, and the
 * statement's figures copied as the CSV has them. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_html.h"
#include "dg_plot_int.h"
#include "dg_proc.h"

#ifndef DG_TESTDATA
#define DG_TESTDATA "testdata"
#endif

static char dir[] = "/tmp/check_plot_XXXXXX";

static void
setup(void)
{
	memcpy(dir, "/tmp/check_plot_XXXXXX", sizeof(dir));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(dg_tz_set("America/New_York"), DG_OK);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Writes text to dir/name; returns the path (static). */
static const char *
put(const char *name, const char *text)
{
	static char path[8][256];
	static int k;
	char *p = path[k++ % 8];
	FILE *fp;

	snprintf(p, 256, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(p, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

static dg_time
midnight(int y, int m, int d)
{
	dg_time t;

	ck_assert_int_eq(dg_date_start(dg_date_from_ymd(y, m, d), &t), DG_OK);
	return t;
}

/* Reads the files into c with kind k (and options of o when not NULL). */
static int
chart(struct dg_chart *c, const char *const *paths, size_t n,
    enum dg_plot_kind k, const struct dg_plot_opts *o, struct dg_error *e)
{
	struct dg_plot_opts po;
	struct dg_csv_opts csv;

	if (o != NULL)
		po = *o;
	else
		dg_plot_opts_init(&po);
	po.kind = k;
	dg_csv_opts_init(&csv);
	dg_chart_init(c);
	dg_error_clear(e);
	return dg_plot_read(c, paths, n, &po, &csv, e);
}

/* --- the time axis ------------------------------------------------------- */

/* 2017-11-05 in New York has 25 hours: 26 ticks from 0 to 25, the hour
 * after 00:00 EDT is the first of EST, labelled 01:00 (the second 01:00),
 * its neighbours unlabelled. */
START_TEST(t_axis_25h)
{
	struct dg_chart c;

	dg_chart_init(&c);
	ck_assert_int_eq(dg_plot_time_axis(&c, midnight(2017, 11, 5),
	    midnight(2017, 11, 6)), DG_OK);
	ck_assert(c.xmin == 0 && c.xmax == 25);
	ck_assert_uint_eq(c.ntick, 26);
	ck_assert_str_eq(c.tick[0].label, "00:00\nEDT");
	ck_assert_str_eq(c.tick[1].label, "");
	ck_assert_str_eq(c.tick[2].label, "01:00\nEST");
	ck_assert(c.tick[2].x == 2);
	ck_assert_str_eq(c.tick[3].label, "");
	ck_assert_str_eq(c.tick[4].label, "03:00\nEST");
	ck_assert_str_eq(c.tick[24].label, "23:00\nEST");
	ck_assert_ptr_nonnull(strstr(c.xlabel, "a 25-hour day"));
	ck_assert_ptr_nonnull(strstr(c.xlabel, "(EDT, EST)"));
	dg_chart_release(&c);
}
END_TEST

/* 2017-03-12 has 23 hours: 03:00 EDT two hours after 00:00 EST. */
START_TEST(t_axis_23h)
{
	struct dg_chart c;

	dg_chart_init(&c);
	ck_assert_int_eq(dg_plot_time_axis(&c, midnight(2017, 3, 12),
	    midnight(2017, 3, 13)), DG_OK);
	ck_assert(c.xmax == 23);
	ck_assert_uint_eq(c.ntick, 24);
	ck_assert_str_eq(c.tick[0].label, "00:00\nEST");
	ck_assert_str_eq(c.tick[2].label, "03:00\nEDT");
	ck_assert_ptr_nonnull(strstr(c.xlabel, "a 23-hour day"));
	dg_chart_release(&c);
}
END_TEST

/* A day of 24 hours: labels every two hours without zone, 24:00 at its
 * end; a week: a tick at each midnight, labelled MM-DD. */
START_TEST(t_axis_24h_week)
{
	struct dg_chart c;

	dg_chart_init(&c);
	ck_assert_int_eq(dg_plot_time_axis(&c, midnight(2017, 7, 20),
	    midnight(2017, 7, 21)), DG_OK);
	ck_assert_uint_eq(c.ntick, 25);
	ck_assert_str_eq(c.tick[14].label, "14:00");
	ck_assert_str_eq(c.tick[15].label, "");
	ck_assert_str_eq(c.tick[24].label, "24:00");
	dg_chart_release(&c);
	dg_chart_init(&c);
	ck_assert_int_eq(dg_plot_time_axis(&c, midnight(2017, 8, 1),
	    midnight(2017, 8, 8)), DG_OK);
	ck_assert(c.xmax == 7 * 24);
	ck_assert_uint_eq(c.ntick, 8);
	ck_assert_str_eq(c.tick[0].label, "08-01");
	ck_assert_str_eq(c.tick[7].label, "08-08");
	ck_assert_ptr_nonnull(strstr(c.xlabel, "2017-08-01 to 2017-08-07"));
	dg_chart_release(&c);
}
END_TEST

/* --- the figures on the charts ------------------------------------------ */

/* The event's window and its reduction, by hand: the event hours 14:00,
 * 15:00 and 16:00 reduce 2.385, 1.105 and -0.330 kW: 3.160 kWh, a mean of
 * 3.160 / 3 = 1.05333 kW, 1.053 to 3 decimals.  The hours around it
 * (in_event 0) are drawn but not counted. */
START_TEST(t_day_window)
{
	const char *p = put("day.csv",
	    "site,event,program,time,cbl_kw,adjusted_cbl_kw,actual_kw,"
	    "reduction_kw,in_event\n"
	    "S1,E1,EDRP,2017-07-20T13:00:00-04:00,100.5,,99,1.5,0\n"
	    "S1,E1,EDRP,2017-07-20T14:00:00-04:00,100.5,,98.115,2.385,1\n"
	    "S1,E1,EDRP,2017-07-20T15:00:00-04:00,100.5,,99.395,1.105,1\n"
	    "S1,E1,EDRP,2017-07-20T16:00:00-04:00,100.5,,100.83,-0.330,1\n"
	    "S1,E1,EDRP,2017-07-20T17:00:00-04:00,100.5,,,,0\n");
	struct dg_chart c;
	struct dg_error e;

	ck_assert_int_eq(chart(&c, &p, 1, DG_PLOT_AUTO, NULL, &e), DG_OK);
	ck_assert_int_eq(c.kind, DG_PLOT_DAY);
	ck_assert_uint_eq(c.nspan, 1);
	ck_assert(c.span[0].x0 == 14 && c.span[0].x1 == 17);
	ck_assert_str_eq(c.span[0].label, "event 14:00-17:00\n"
	    "reduction 1.053 kW (mean of 3 h)\n3.160 kWh");
	ck_assert_uint_eq(c.ns, 2);	/* no adjusted CBL in the file */
	ck_assert_uint_eq(c.s[0].n, 5);
	ck_assert(c.s[0].x[0] == 13.5 && isnan(c.s[0].y[4]));
	ck_assert_str_eq(c.title,
	    "S1, event E1 (EDRP), 2017-07-20: load and baseline");
	dg_chart_release(&c);
}
END_TEST

/* The source report's Tables 18-21 (section 6.3.1): 30.0 MWh and 7.5 MW
 * on Aug. 7, 68.6 and 13.7 on Aug. 8, 125.3 and 15.7 on Aug. 9, 61.4 and
 * 12.3 on Aug. 10, over 4, 5, 8 and 5 hours. */
START_TEST(t_events_report)
{
	static const char *const want[] = {
		"7.5 MW\n30.0 MWh\n4 h", "13.7 MW\n68.6 MWh\n5 h",
		"15.7 MW\n125.3 MWh\n8 h", "12.3 MW\n61.4 MWh\n5 h"
	};
	const char *p =
	    DG_TESTDATA "/settle/report-2001/curtailment-2001-08.csv";
	struct dg_chart c;
	struct dg_error e;

	ck_assert_int_eq(chart(&c, &p, 1, DG_PLOT_AUTO, NULL, &e), DG_OK);
	ck_assert_int_eq(c.kind, DG_PLOT_EVENTS);
	ck_assert_uint_eq(c.ns, 1);
	ck_assert_uint_eq(c.nnote, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(c.note[i].text, want[i]);
	ck_assert(fabs(c.s[0].y[1] - 13.7) < 1e-9);
	ck_assert_str_eq(c.tick[0].label, "2001-08-07");
	dg_chart_release(&c);
}
END_TEST

/* The pledge: the called sites' curtailable_kw, 800 + 250.5 = 1050.5 kW,
 * 1.0505 MW, 1.1 to 0.1 (half away from zero); a site once however many
 * hours.  Delivered: (300 + 310.5 + 200) / 2 hours = 405.25 kW, 0.4 MW. */
START_TEST(t_events_pledge)
{
	const char *p[1];
	struct dg_plot_opts o;
	struct dg_chart c;
	struct dg_error e;

	p[0] = put("red.csv", "site,event,time,reduction_kw\n"
	    "A,E1,2017-07-20T14:00:00-04:00,300\n"
	    "A,E1,2017-07-20T15:00:00-04:00,310.5\n"
	    "B,E1,2017-07-20T14:00:00-04:00,200\n"
	    "B,E1,2017-07-20T15:00:00-04:00,\n");
	dg_plot_opts_init(&o);
	o.sites = put("sites.csv", "site,curtailable_kw\nA,800\nB,250.5\n"
	    "C,99\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_EVENTS, &o, &e), DG_OK);
	ck_assert_uint_eq(c.ns, 2);
	ck_assert(fabs(c.s[0].y[0] - 1.1) < 1e-9);
	ck_assert(fabs(c.s[1].y[0] - 0.4) < 1e-9);
	ck_assert_str_eq(c.note[0].text,
	    "0.4 MW\n0.8 MWh\n2 h\n1 site-hour\nnot measured");
	dg_chart_release(&c);
	/* a site the sites file does not have */
	o.sites = put("sites2.csv", "site,curtailable_kw\nA,800\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_EVENTS, &o, &e), DG_EDATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "no site \"B\""));
	dg_chart_release(&c);
}
END_TEST

/* The kind from the columns. */
START_TEST(t_kinds)
{
	const char *p[2];
	struct dg_chart c;
	struct dg_error e;

	p[0] = put("u.csv", "site,month,icap_kw,ucap_kw,availability\n"
	    "TOTAL,2022-07,100,95,0.95\nTOTAL,2022-08,100,90,0.9\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_AUTO, NULL, &e), DG_OK);
	ck_assert_int_eq(c.kind, DG_PLOT_UCAP);
	ck_assert(fabs(c.s[2].y[1] - 90) < 1e-9);
	dg_chart_release(&c);
	p[0] = put("f.csv", "site,time,load_kw\n"
	    "S,2017-07-20T14:00:00-04:00,10\nS,2017-07-20T15:00:00-04:00,12\n");
	p[1] = put("a.csv", "site,time,load_kw\n"
	    "S,2017-07-20T14:00:00-04:00,11\nS,2017-07-20T14:30:00-04:00,13\n"
	    "S,2017-07-20T15:00:00-04:00,12\n");
	ck_assert_int_eq(chart(&c, p, 2, DG_PLOT_AUTO, NULL, &e), DG_OK);
	ck_assert_int_eq(c.kind, DG_PLOT_FORECAST);
	/* the actual readings of 14:00 and 14:30 averaged: 12 */
	ck_assert(fabs(c.s[1].y[0] - 12) < 1e-9);
	/* errors 10 - 12 and 12 - 12: MAE 1, bias -1, RMSE sqrt(2) */
	ck_assert_str_eq(c.note[0].text,
	    "2 h: MAE 1.00 kW, bias -1.00 kW (forecast - actual)");
	ck_assert(fabs(c.s[0].hi[0] - (10 + sqrt(2))) < 1e-9);
	dg_chart_release(&c);
	p[0] = put("p.csv", "zone,time,price_usd_per_mwh,source\n"
	    "Z,2017-07-20T14:00:00-04:00,40.25,nyiso-dam\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_DURATION, NULL, &e), DG_OK);
	ck_assert_str_eq(c.s[0].title, "day-ahead (nyiso-dam)");
	ck_assert(c.s[0].x[0] == 50);	/* the middle of its share */
	dg_chart_release(&c);
}
END_TEST

/* The script: text quoted for gnuplot, a gap as a blank line. */
START_TEST(t_script)
{
	struct dg_plot_opts o;
	struct dg_chart c;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	dg_plot_opts_init(&o);
	dg_chart_init(&c);
	ck_assert_int_eq(dg_chart_title(&c.title, "a \"b\" \\ c\nd\te"), DG_OK);
	ck_assert_int_eq(dg_chart_series(&c, DG_PLOT_LINE, "s"), DG_OK);
	ck_assert_int_eq(dg_chart_point(&c, 1, 2.5, NAN), DG_OK);
	ck_assert_int_eq(dg_chart_point(&c, 2, NAN, NAN), DG_OK);
	ck_assert_int_eq(dg_chart_point(&c, 3, 4, NAN), DG_OK);
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(dg_plot_script(&c, &o, fp), DG_OK);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf,
	    "set title \"a \\\"b\\\" \\\\ c\\nd e\"\n"));
	ck_assert_ptr_nonnull(strstr(buf, "$s1 << EOD\n1.000000 2.500000\n\n"
	    "3.000000 4.000000\nEOD\n"));
	ck_assert_ptr_nonnull(strstr(buf, "set terminal svg size 900,500"));
	ck_assert_ptr_nonnull(strstr(buf, "plot $s1 using 1:2 with lines"));
	free(buf);
	/* no point to draw: gnuplot refuses a plot of none (exit 1), so the
	 * axes alone */
	c.s[0].y[0] = c.s[0].y[2] = NAN;
	buf = NULL;
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(dg_plot_script(&c, &o, fp), DG_OK);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "set yrange [0:1]\nplot NaN "
	    "notitle\n"));
	ck_assert_ptr_null(strstr(buf, "plot $s1"));
	free(buf);
	dg_chart_release(&c);
}
END_TEST

/* --- HTML ---------------------------------------------------------------- */

START_TEST(t_svg_inline)
{
	static const char svg[] = "<?xml version=\"1.0\"?>\n<svg>"
	    "<defs><path id='gpPt1' d='M0'/><pattern id=\"gpPat1\"/></defs>"
	    "<use xlink:href='#gpPt1'/><use xlink:href='#gpPt10'/>"
	    "<polygon fill='url(#gpPat1)'/><text>#gpPt1 x</text></svg>";
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(dg_html_svg_inline(svg, sizeof(svg) - 1, "c2-", fp),
	    DG_OK);
	fclose(fp);
	ck_assert_str_eq(buf, "<svg><defs><path id='c2-gpPt1' d='M0'/>"
	    "<pattern id=\"c2-gpPat1\"/></defs><use xlink:href='#c2-gpPt1'/>"
	    "<use xlink:href='#gpPt10'/><polygon fill='url(#c2-gpPat1)'/>"
	    "<text>#gpPt1 x</text></svg>");
	free(buf);
}
END_TEST

static struct dg_html_stmt *
stmt(const char *text)
{
	struct dg_html_stmt *h;
	struct dg_csv_opts csv;
	struct dg_error e;
	FILE *fp = fmemopen((void *)(uintptr_t)text, strlen(text), "r");

	dg_csv_opts_init(&csv);
	ck_assert_int_eq(dg_html_stmt_read(&h, fp, "st.csv", &csv, &e), DG_OK);
	fclose(fp);
	return h;
}

#define STMT_HDR "participant,month,row,site,program,payer,events," \
	"energy_mwh,payment_usd,share_pct,aggregator_usd,participant_usd\n"

/* The figures as the CSV writes them (1234.50 stays 1234.50, not 1234.5),
 * names escaped, one page per participant and month, the portfolio's rows
 * in none; file names from the participant's name. */
START_TEST(t_html_statement)
{
	struct dg_html_stmt *h = stmt(STMT_HDR
	    "\"A & B <Co>\",2022-07,line,S1,EDRP,NYISO,1,0.212900,1234.50,"
	    "12.5,154.31,1080.19\n"
	    "\"A & B <Co>\",2022-07,participant,,,,1,0.212900,1234.50,,"
	    "154.31,1080.19\n"
	    "Caf\xc3\xa9 Nord,2022-07,line,S2,EDRP,NYISO,1,0.001000,-0.07,"
	    "20,-0.01,-0.06\n"
	    ",2022-07,portfolio,,,,2,0.213900,1234.43,,154.30,1080.13\n");
	struct dg_html_opts o;
	struct dg_error e;
	char name[64], *buf = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_uint_eq(dg_html_stmt_count(h), 2);
	ck_assert_int_eq(dg_html_stmt_file(h, 0, ".html", name, sizeof(name)),
	    DG_OK);
	ck_assert_str_eq(name, "a-b-co-2022-07.html");
	ck_assert_int_eq(dg_html_stmt_file(h, 1, ".pdf", name, sizeof(name)),
	    DG_OK);
	ck_assert_str_eq(name, "caf-nord-2022-07.pdf");
	ck_assert_int_eq(dg_html_stmt_file(h, 1, ".pdf", name, 8), DG_EINVAL);
	memset(&o, 0, sizeof(o));
	ck_assert_ptr_nonnull(fp = open_memstream(&buf, &len));
	ck_assert_int_eq(dg_html_stmt_write(h, 0, &o, fp, &e), DG_OK);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "<strong>A &amp; B &lt;Co&gt;"));
	ck_assert_ptr_nonnull(strstr(buf, ">1234.50</td>"));
	ck_assert_ptr_nonnull(strstr(buf, ">0.212900</td>"));
	ck_assert_ptr_nonnull(strstr(buf, ">12.5</td>"));
	ck_assert_ptr_null(strstr(buf, "-0.07"));	/* another's line */
	ck_assert_ptr_null(strstr(buf, "1234.43"));	/* the portfolio's */
	ck_assert_ptr_null(strstr(buf, "<svg"));	/* no days given */
	free(buf);
	dg_html_stmt_free(h);
}
END_TEST

/* --- limits --------------------------------------------------------------- */

START_TEST(t_refusals)
{
	const char *p[1];
	struct dg_plot_opts o;
	struct dg_chart c;
	struct dg_error e;

	p[0] = put("x.csv", "a,b\n1,2\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_AUTO, NULL, &e), DG_EDATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "no chart is drawn from these "
	    "columns"));
	dg_chart_release(&c);
	p[0] = put("empty.csv", "");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_AUTO, NULL, &e), DG_EDATA);
	dg_chart_release(&c);
	p[0] = put("hdr.csv", "site,event,time,cbl_kw,actual_kw\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_AUTO, NULL, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "no rows to draw");
	dg_chart_release(&c);
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_UCAP, NULL, &e), DG_EDATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "a ucap chart is drawn from "
	    "dg-ucap's output"));
	dg_chart_release(&c);
	p[0] = put("two.csv", "site,event,time,cbl_kw,actual_kw\n"
	    "S1,E1,2017-07-20T14:00:00-04:00,1,1\n"
	    "S2,E1,2017-07-20T14:00:00-04:00,1,1\n");
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_AUTO, NULL, &e), DG_EINVAL);
	ck_assert_str_eq(e.msg, "several sites (\"S1\", \"S2\" ...): choose "
	    "one with --site");
	ck_assert_int_eq(e.line, 3);
	dg_chart_release(&c);
	dg_plot_opts_init(&o);
	o.site = "S3";
	ck_assert_int_eq(chart(&c, p, 1, DG_PLOT_AUTO, &o, &e), DG_EDATA);
	ck_assert_str_eq(e.msg, "no rows of site S3 to draw");
	dg_chart_release(&c);
}
END_TEST

/* A megabyte through cat: written while read, no deadlock. */
START_TEST(t_proc_cat)
{
	char *argv[] = { "cat", NULL };
	size_t n = 1 << 20, outlen = 0;
	char *in = malloc(n), *out = NULL;
	struct dg_error e;

	for (size_t i = 0; i < n; i++)
		in[i] = (char)('a' + i % 23);
	ck_assert_int_eq(dg_proc_run(argv, "cat", "coreutils", in, n, &out,
	    &outlen, &e), DG_OK);
	ck_assert_uint_eq(outlen, n);
	ck_assert(memcmp(in, out, n) == 0);
	free(in);
	free(out);
}
END_TEST

START_TEST(t_proc_fail)
{
	char *missing[] = { "dg-no-such-program", NULL };
	char *failing[] = { "sh", "-c",
	    "echo; echo first >&2; echo second >&2; exit 3", NULL };
	struct dg_chart c;
	struct dg_plot_opts o;
	struct dg_error e;

	ck_assert_int_eq(dg_proc_run(missing, "dg-no-such-program", "pkg",
	    NULL, 0, NULL, NULL, &e), DG_EUNAVAIL);
	ck_assert_str_eq(e.msg, "dg-no-such-program not found: install the "
	    "Debian package pkg");
	ck_assert_int_eq(dg_proc_run(failing, "sh", "dash", NULL, 0, NULL,
	    NULL, &e), DG_EINTERNAL);
	ck_assert_str_eq(e.msg, "sh failed (exit 3): first");
	/* gnuplot missing: the package named, nothing written */
	dg_plot_opts_init(&o);
	o.gnuplot = "/nonexistent/gnuplot";
	dg_chart_init(&c);
	ck_assert_int_eq(dg_chart_series(&c, DG_PLOT_LINE, "s"), DG_OK);
	ck_assert_int_eq(dg_plot_render(&c, &o, stdout, &e), DG_EUNAVAIL);
	ck_assert_str_eq(e.msg, "gnuplot not found: install the Debian "
	    "package gnuplot-nox");
	dg_chart_release(&c);
	ck_assert_int_eq(dg_html_pdf("<p>x</p>", 8, "/nonexistent/chromium",
	    stdout, &e), DG_EUNAVAIL);
	ck_assert_str_eq(e.msg, "chromium not found: install the Debian "
	    "package chromium");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plot");
	TCase *tc = tcase_create("core");
	TCase *tl = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_add_test(tc, t_axis_25h);
	tcase_add_test(tc, t_axis_23h);
	tcase_add_test(tc, t_axis_24h_week);
	tcase_add_test(tc, t_day_window);
	tcase_add_test(tc, t_events_report);
	tcase_add_test(tc, t_events_pledge);
	tcase_add_test(tc, t_kinds);
	tcase_add_test(tc, t_script);
	tcase_add_test(tc, t_svg_inline);
	tcase_add_test(tc, t_html_statement);
	tcase_add_test(tl, t_refusals);
	tcase_add_test(tl, t_proc_cat);
	tcase_add_test(tl, t_proc_fail);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
