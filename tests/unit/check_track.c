/* check_track: the event tracker (lib/dg_track*.c): projections worked
 * by hand, alarms with their hysteresis, silence, starts, the repeated
 * fall-back hour, pulse counters, bad rows, and the CSV reader's stream
 * mode that it reads with. */
#include <config.h>

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_csv.h"
#include "dg_pulse.h"
#include "dg_series.h"
#include "dg_track.h"

#ifndef DG_TESTDATA
#define DG_TESTDATA "testdata"
#endif
#define TD DG_TESTDATA "/track/"

/* What the tracker said: its rows and alarms. */
#define MAXR 2048
struct seen {
	struct dg_track_row row[MAXR];
	char site[MAXR][16];
	size_t nr;
	struct dg_track_alarm al[64];
	char asite[64][16];
	size_t na;
	long bad;
	char first_bad[512];
};

static int
on_row(void *arg, const struct dg_track_row *r)
{
	struct seen *s = arg;

	ck_assert_uint_lt(s->nr, MAXR);
	s->row[s->nr] = *r;
	snprintf(s->site[s->nr], 16, "%s", r->site ? r->site : "TOTAL");
	s->nr++;
	return DG_OK;
}

static int
on_alarm(void *arg, const struct dg_track_alarm *a)
{
	struct seen *s = arg;

	ck_assert_uint_lt(s->na, 64);
	s->al[s->na] = *a;
	snprintf(s->asite[s->na], 16, "%s", a->site ? a->site : "TOTAL");
	s->na++;
	return DG_OK;
}

static void
on_bad(void *arg, const struct dg_error *e)
{
	struct seen *s = arg;

	if (s->bad++ == 0)
		dg_error_format(e, s->first_bad, sizeof(s->first_bad));
}

static char tmpl[] = "/tmp/check_track_XXXXXX";

/* text into a temporary file; its name in a static buffer. */
static const char *
file_of(const char *text, char *name)
{
	int fd;

	memcpy(name, tmpl, sizeof(tmpl));
	fd = mkstemp(name);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return name;
}

static dg_time
at(const char *s)
{
	struct dg_tstamp ts;
	const char *why;

	ck_assert_int_eq(dg_time_parse(s, strlen(s), 0, &ts, &why), DG_OK);
	return ts.t;
}

/* The hand-made scenario of testdata/track/ (its README): sites A, B, C,
 * 1-minute kW, the event 14:00-15:00 of 2022-07-20, TOTAL every 5
 * minutes. */
static struct dg_track *
scenario(struct seen *s, const struct dg_track_params *p0)
{
	struct dg_track_params p;
	struct dg_track_input_opts io;
	struct dg_track_out out = { on_row, on_alarm, on_bad, NULL };
	struct dg_csv_opts o;
	struct dg_track *tr;
	struct dg_error e;
	const char *in[] = { TD "scenario.csv" };

	memset(s, 0, sizeof(*s));
	out.arg = s;
	if (p0)
		p = *p0;
	else {
		dg_track_params_init(&p);
		p.every_s = 300;
		p.lead_s = 600;
	}
	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_track_alloc(&tr, &p), DG_OK);
	ck_assert_int_eq(dg_track_baselines_read(tr, TD "hand-baseline.csv",
	    NULL, &o, &e), DG_OK);
	ck_assert_int_eq(dg_track_pledges_read(tr, TD "hand-pledges.csv", &o,
	    &e), DG_OK);
	memset(&io, 0, sizeof(io));
	io.interval_s = 60;
	ck_assert_int_eq(dg_track_run(tr, in, 1, &io, &o, &out, &e), DG_OK);
	return tr;
}

/* The (last) row of site at stamp. */
static const struct dg_track_row *
row_at(const struct seen *s, const char *site, const char *stamp)
{
	dg_time t = at(stamp);

	for (size_t i = s->nr; i-- > 0;)
		if (strcmp(s->site[i], site) == 0 && s->row[i].t == t)
			return &s->row[i];
	ck_abort_msg("no row of %s at %s", site, stamp);
	return NULL;
}

START_TEST(projection_by_hand)
{
	struct seen *s = malloc(sizeof(*s));
	struct dg_track *tr = scenario(s, NULL);
	const struct dg_track_row *r;

	/* Site B, baseline 400 kW, pledge 200 kW, after its reading of
	 * 14:09-14:10: 14:00-14:04 at 400 kW and 14:05-14:09 at 190 kW.
	 * Received: (5 x 400 + 5 x 190) kW-min = 2,950 kW-min in 10 min,
	 * a mean of 295 kW, so the hour so far delivered 400 - 295 = 105 kW.
	 * The rest of the hour at the latest 190 kW: (2,950 + 50 x 190) / 60
	 * = 207.5 kW, projected reduction 400 - 207.5 = 192.5 kW; the event
	 * is that one hour.  Short of the pledge by 7.5 kWh: at $500/MWh,
	 * $3.75; UCAP at risk 7.5 kW over a window of the event's 1 hour. */
	r = row_at(s, "B", "2022-07-20T14:09:00-04:00");
	ck_assert_int_eq(r->base, 400000);
	ck_assert_int_eq(r->load, 190000);
	ck_assert_int_eq(r->deliv, 210000);
	ck_assert_int_eq(r->pledge, 200000);
	ck_assert_int_eq(r->hour, 105000);
	ck_assert_int_eq(r->hproj, 192500);
	ck_assert_int_eq(r->event_kwh, 192500);
	ck_assert_int_eq(r->usd, 375);
	ck_assert_int_eq(r->ucap, 7500);
	/* Before the event (13:55) the hour fields are empty, and the event
	 * is projected from the latest load: 400 - 400 = 0. */
	r = row_at(s, "B", "2022-07-20T13:55:00-04:00");
	ck_assert(!(r->have & DG_TRACK_F_HPROJ));
	ck_assert_int_eq(r->event_kwh, 0);
	ck_assert_int_eq(r->usd, 10000);	/* 200 kWh x $500/MWh */
	dg_track_free(tr);
	free(s);
}
END_TEST

START_TEST(total_adds_the_sites)
{
	struct seen *s = malloc(sizeof(*s));
	struct dg_track *tr = scenario(s, NULL);
	const struct dg_track_row *r;

	/* The TOTAL of the step 14:05-14:10: A at 300 kW (baseline 300,
	 * delivers 0), B at 190 (400: 210), C at 50 (120: 70); pledges
	 * 150 + 200 + 60 = 410 kW. */
	r = row_at(s, "TOTAL", "2022-07-20T14:05:00-04:00");
	ck_assert_int_eq(r->base, 820000);
	ck_assert_int_eq(r->load, 540000);
	ck_assert_int_eq(r->deliv, 280000);
	ck_assert_int_eq(r->pledge, 410000);
	/* 280 kW is below 90 % of 410 = 369 kW: the portfolio's alarm (from
	 * the start time on, 14:15) */
	ck_assert_uint_eq(row_at(s, "TOTAL",
	    "2022-07-20T14:10:00-04:00")->alarms, DG_TRACK_A_BELOW);
	ck_assert_uint_eq(r->alarms, 0);
	dg_track_free(tr);
	free(s);
}
END_TEST

START_TEST(alarms_once_with_hysteresis)
{
	struct seen *s = malloc(sizeof(*s));
	struct dg_track *tr = scenario(s, NULL);
	static const struct {
		const char *t, *site;
		int alarm, raised;
	} want[] = {
		/* A delivers nothing: not started 15 min into the event */
		{ "2022-07-20T14:15:00-04:00", "A", DG_TRACK_A_NOSTART, 1 },
		{ "2022-07-20T14:15:00-04:00", "TOTAL", DG_TRACK_A_BELOW, 1 },
		/* B at 175 kW < 90 % of 200 = 180 */
		{ "2022-07-20T14:21:00-04:00", "B", DG_TRACK_A_BELOW, 1 },
		/* C's last reading ended 14:10; silent 15 min at 14:25 */
		{ "2022-07-20T14:25:00-04:00", "C", DG_TRACK_A_SILENT, 1 },
		/* B at 182 kW (91 %) from 14:25 is not enough (95 %): 195 */
		{ "2022-07-20T14:31:00-04:00", "B", DG_TRACK_A_BELOW, 0 },
		{ "2022-07-20T14:31:00-04:00", "C", DG_TRACK_A_SILENT, 0 },
	};

	ck_assert_uint_eq(s->na, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s->na; i++) {
		ck_assert_int_eq(s->al[i].t, at(want[i].t));
		ck_assert_str_eq(s->asite[i], want[i].site);
		ck_assert_int_eq(s->al[i].alarm, want[i].alarm);
		ck_assert_int_eq(s->al[i].raised, want[i].raised);
	}
	ck_assert_int_eq(s->al[2].value, 175000);
	ck_assert_int_eq(s->al[2].limit, 180000);
	ck_assert_int_eq(s->al[4].limit, 190000);
	ck_assert_int_eq(dg_track_stats(tr)->raised, 4);
	ck_assert_int_eq(dg_track_stats(tr)->cleared, 2);
	dg_track_free(tr);
	free(s);
}
END_TEST

START_TEST(bad_rows_counted)
{
	struct seen *s = malloc(sizeof(*s));
	struct dg_track *tr = scenario(s, NULL);
	const struct dg_track_stats *st = dg_track_stats(tr);

	/* scenario.csv: a bad stamp, a bad number, a short row, a row out
	 * of order, the header again (bad); a repeated row; a site Z
	 * without a baseline; A's empty reading at 14:33 */
	ck_assert_int_eq(st->bad, 5);
	ck_assert_int_eq(s->bad, 5);
	ck_assert_str_eq(s->first_bad, TD "scenario.csv:19: column time: "
	    "not a date-time: \"2022-07-20T13:5x:00-04:00\"");
	ck_assert_int_eq(st->duplicates, 1);
	ck_assert_int_eq(st->unknown, 1);
	ck_assert_str_eq(st->first_unknown, "Z");
	ck_assert_uint_eq(row_at(s, "A", "2022-07-20T14:33:00-04:00")->flags,
	    DG_TRACK_Q_MISSING);
	ck_assert_int_eq(st->rows, 128);
	ck_assert_int_eq(st->used, 121);
	dg_track_free(tr);
	free(s);
}
END_TEST

START_TEST(ends_mid_step)
{
	struct seen *s = malloc(sizeof(*s));
	struct dg_track *tr = scenario(s, NULL);

	/* The stream ends with the readings of 14:36-14:37: a last TOTAL
	 * row for the step 14:35-14:40, B's hour so far over 37 minutes:
	 * (5 x 400 + 15 x 190 + 5 x 225 + 5 x 218 + 7 x 205) / 37
	 * = 8,500 / 37 = 229.729... kW, delivered 170.270 kW */
	ck_assert_str_eq(s->site[s->nr - 1], "TOTAL");
	ck_assert_int_eq(s->row[s->nr - 1].t, at("2022-07-20T14:35:00-04:00"));
	ck_assert_int_eq(row_at(s, "B", "2022-07-20T14:36:00-04:00")->hour,
	    170270);
	dg_track_free(tr);
	free(s);
}
END_TEST

/* A baseline file for site X over the fall-back hours of 2022-11-06. */
static const char dst_base[] =
    "site,event,time,cbl_kw,adjusted_cbl_kw\n"
    "X,DST,2022-11-06T00:00:00-04:00,100,\n"
    "X,DST,2022-11-06T01:00:00-04:00,100,\n"
    "X,DST,2022-11-06T01:00:00-05:00,100,\n"
    "X,DST,2022-11-06T02:00:00-05:00,80,90\n";

/* A run of texts: the baselines, the pledges (pledge_kw or gen_kw), or
 * with ss the sites' curtailable_kw, and the stream.  Naive stamps are
 * read in the market's zone. */
struct texts {
	const char *base, *pledges, *input;
	struct dg_sites *ss;
	struct dg_track_params p;
	struct dg_track_input_opts io;
};

static void
texts_init(struct texts *t, const char *base, const char *pledges,
    const char *input)
{
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->pledges = pledges;
	t->input = input;
	dg_track_params_init(&t->p);
}

/* Runs t; what the tracker said into s; its status, the error in e. */
static int
run_texts(struct texts *t, struct seen *s, struct dg_error *e)
{
	struct dg_track_out out = { on_row, on_alarm, on_bad, NULL };
	struct dg_csv_opts o;
	struct dg_track *tr;
	char bn[32], pn[32], sn[32];
	const char *in[1];
	int st;

	memset(s, 0, sizeof(*s));
	out.arg = s;
	dg_csv_opts_init(&o);
	o.allow_naive = 1;
	in[0] = file_of(t->input, sn);
	ck_assert_int_eq(dg_track_alloc(&tr, &t->p), DG_OK);
	ck_assert_int_eq(dg_track_baselines_read(tr, file_of(t->base, bn),
	    NULL, &o, e), DG_OK);
	if (t->pledges != NULL)
		ck_assert_int_eq(dg_track_pledges_read(tr, file_of(t->pledges,
		    pn), &o, e), DG_OK);
	else
		ck_assert_int_eq(dg_track_pledges_sites(tr, t->ss, e), DG_OK);
	st = dg_track_run(tr, in, 1, &t->io, &o, &out, e);
	unlink(bn);
	unlink(sn);
	if (t->pledges != NULL)
		unlink(pn);
	dg_track_free(tr);
	return st;
}

START_TEST(fall_back_event)
{
	struct seen *s = malloc(sizeof(*s));
	struct texts t;
	struct dg_error e;

	/* Naive local stamps, hour-long readings: the second 01:00 is the
	 * EST hour by row order, a fourth event hour of its own; the last
	 * hour's baseline is the adjusted one (90). */
	texts_init(&t, dst_base, "site,pledge_kw\nX,50\n",
	    "site,time,load_kw\nX,2022-11-06 00:00,40\n"
	    "X,2022-11-06 01:00,30\nX,2022-11-06 01:00,20\n"
	    "X,2022-11-06 02:00,50\n");
	t.p.every_s = 3600;
	t.io.interval_s = 3600;
	ck_assert_int_eq(run_texts(&t, s, &e), DG_OK);
	ck_assert_int_eq(row_at(s, "X", "2022-11-06T01:00:00-04:00")->hproj,
	    70000);
	ck_assert_int_eq(row_at(s, "X", "2022-11-06T01:00:00-05:00")->hproj,
	    80000);
	/* 60 + 70 + 80 + (90 - 50 = 40) kWh */
	ck_assert_int_eq(row_at(s, "X", "2022-11-06T02:00:00-05:00")->event_kwh,
	    250000);
	ck_assert_int_eq(s->bad, 0);
	free(s);
}
END_TEST

START_TEST(pulses_wrap_and_reset)
{
	struct dg_pulse_site m;
	int64_t n;

	/* testdata/sample/README.md, planted defects: LI05's 16-bit counter
	 * wraps 65527 -> 6 in 5 minutes (15 pulses); LI07's 32-bit counter
	 * is reset 675653374 -> 0 (unknown, not 2^32 - 675653374 pulses,
	 * which at 0.144 kWh in 5 minutes would be gigawatts). */
	m.pulse_kwh = dg_dec_make(1, 1);
	m.counter_bits = 16;
	m.peak_kw = 100;
	ck_assert_uint_eq(dg_pulse_delta(&m, 300, 65527, 6, 300, &n),
	    DG_PF_ROLLOVER);
	ck_assert_int_eq(n, 15);
	m.pulse_kwh = dg_dec_make(144, 3);
	m.counter_bits = 32;
	m.peak_kw = 230;
	ck_assert_uint_eq(dg_pulse_delta(&m, 690, 675653374, 0, 300, &n),
	    DG_PF_RESET);
	ck_assert_int_eq(n, 0);
	ck_assert_uint_eq(dg_pulse_delta(&m, 690, 85, 171, 300, &n), 0);
	ck_assert_int_eq(n, 86);
	/* no peak: a wrap below half the counter's range is plausible */
	ck_assert_uint_eq(dg_pulse_delta(&m, 0, 4294967000LL, 100, 300, &n),
	    DG_PF_ROLLOVER);
	ck_assert_int_eq(n, 396);
}
END_TEST

START_TEST(pulses_split_at_the_hour)
{
	struct seen *s = malloc(sizeof(*s));
	struct dg_sites ss;
	struct dg_csv_opts o;
	struct texts t;
	struct dg_error e;
	char sn[32];

	/* P: 0.5 kWh a pulse, 16 bits.  Readings 13:55 (65530), 14:05 (wraps
	 * to 64: 70 pulses, 35 kWh in 10 min) and 15:00 (64 + 330 = 394:
	 * 165 kWh in 55 min).  Half of the first interval is in the event's
	 * hour: 17.5 kWh, with 165: 182.5 kWh received, a load of 182.5 kW;
	 * baseline 300: 117.5 kW delivered. */
	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_sites_read(&ss, file_of("site,pulse_kwh,"
	    "counter_bits,peak_kw,curtailable_kw\nP,0.5,16,400,100\n", sn), &o,
	    &e), DG_OK);
	texts_init(&t, "site,event,time,cbl_kw,adjusted_cbl_kw\n"
	    "P,E,2022-07-20T14:00:00-04:00,300,\n", NULL, "site,time,pulses\n"
	    "P,2022-07-20T13:55:00-04:00,65530\n"
	    "P,2022-07-20T14:05:00-04:00,64\n"
	    "P,2022-07-20T15:00:00-04:00,394\n");
	t.ss = &ss;
	t.io.value_col = "pulses";
	t.io.sites = &ss;
	ck_assert_int_eq(run_texts(&t, s, &e), DG_OK);
	ck_assert_uint_eq(row_at(s, "P", "2022-07-20T13:55:00-04:00")->flags,
	    DG_TRACK_Q_ROLLOVER);
	ck_assert_int_eq(row_at(s, "P", "2022-07-20T14:05:00-04:00")->hproj,
	    117500);
	ck_assert_uint_eq(row_at(s, "P", "2022-07-20T14:05:00-04:00")->flags,
	    DG_TRACK_Q_GAP);
	unlink(sn);
	dg_sites_release(&ss);
	free(s);
}
END_TEST

START_TEST(pledges_from_the_schedule)
{
	struct seen *s = malloc(sizeof(*s));
	struct texts t;
	struct dg_error e;

	/* dg-schedule's rows: a site's units add up, hour by hour (750 +
	 * 312.5); a unit not running gives 0; site Q is not tracked. */
	texts_init(&t, dst_base, "site,gen,time,run,gen_kw\n"
	    "X,G1,2022-11-06T00:00:00-04:00,1,750\n"
	    "X,G2,2022-11-06T00:00:00-04:00,1,312.5\n"
	    "X,G1,2022-11-06T01:00:00-04:00,0,0\n"
	    "Q,G1,2022-11-06T00:00:00-04:00,1,10\n",
	    "site,time,load_kw\nX,2022-11-06T00:00:00-04:00,40\n"
	    "X,2022-11-06T01:00:00-04:00,30\n");
	t.io.interval_s = 3600;
	ck_assert_int_eq(run_texts(&t, s, &e), DG_OK);
	ck_assert_int_eq(row_at(s, "X", "2022-11-06T00:00:00-04:00")->pledge,
	    1062500);
	ck_assert_int_eq(row_at(s, "X", "2022-11-06T01:00:00-04:00")->pledge,
	    0);
	free(s);
}
END_TEST

START_TEST(stream_mode_does_not_wait)
{
	int fd[2];
	FILE *fp;
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;
	static const char part[] = "site,time,load_kw\nA,2022-07-20T14:00,1\n";

	/* The writer keeps the pipe open: a block reader would wait for 64
	 * KiB or the end; the stream reader hands the row on.  (alarm:
	 * a hang fails the test instead of the suite) */
	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(write(fd[1], part, strlen(part)),
	    (ssize_t)strlen(part));
	fp = fdopen(fd[0], "r");
	dg_csv_opts_init(&o);
	o.stream = 1;
	alarm(10);
	ck_assert_int_eq(dg_csv_open_fp(&r, fp, "pipe", &o, &e), DG_OK);
	ck_assert_int_eq(dg_csv_next(r), DG_OK);
	ck_assert_str_eq(dg_csv_field(r, 0, NULL), "A");
	close(fd[1]);
	ck_assert_int_eq(dg_csv_next(r), DG_EOF);
	alarm(0);
	dg_csv_close(r);
	fclose(fp);
}
END_TEST

static void
assert_base_fails(const char *text, const char *event, long line,
    const char *msg)
{
	struct dg_track_params p;
	struct dg_track *tr;
	struct dg_csv_opts o;
	struct dg_error e;
	char bn[32];

	dg_track_params_init(&p);
	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_track_alloc(&tr, &p), DG_OK);
	ck_assert_int_eq(dg_track_baselines_read(tr, file_of(text, bn), event,
	    &o, &e), DG_EDATA);
	ck_assert_int_eq(e.line, line);
	ck_assert_msg(strstr(e.msg, msg) != NULL, "\"%s\" lacks \"%s\"", e.msg,
	    msg);
	unlink(bn);
	dg_track_free(tr);
}

START_TEST(baselines_refused)
{
	static const char h[] = "site,event,time,cbl_kw,adjusted_cbl_kw\n";
	char buf[512];

	snprintf(buf, sizeof(buf), "%sX,E1,2022-07-20T14:00:00-04:00,1,\n"
	    "X,E2,2022-07-20T15:00:00-04:00,1,\n", h);
	assert_base_fails(buf, NULL, 3, "a second event \"E2\"");
	assert_base_fails(buf, "E3", 0, "no row of event \"E3\"");
	snprintf(buf, sizeof(buf), "%sX,E,2022-07-20T14:00:00-04:00,1,\n"
	    "X,E,2022-07-20T16:00:00-04:00,1,\n", h);
	assert_base_fails(buf, NULL, 0, "not consecutive");
	snprintf(buf, sizeof(buf), "%sX,E,2022-07-20T14:00:00-04:00,1,\n"
	    "X,E,2022-07-20T14:30:00-04:00,1,\n", h);
	assert_base_fails(buf, NULL, 3, "not a whole hour");
	snprintf(buf, sizeof(buf), "%sX,E,2022-07-20T14:00:00-04:00,1,\n"
	    "X,E,2022-07-20T14:00:00-04:00,2,\n", h);
	assert_base_fails(buf, NULL, 3, "a second baseline");
}
END_TEST

START_TEST(params_refused)
{
	struct dg_track_params p;
	struct dg_error e;

	dg_track_params_init(&p);
	ck_assert_int_eq(dg_track_params_check(&p, 4, &e), DG_OK);
	p.clear_pct = dg_dec_make(85, 0);
	ck_assert_int_eq(dg_track_params_check(&p, 4, &e), DG_EINVAL);
	dg_track_params_init(&p);
	p.every_s = 7;
	ck_assert_int_eq(dg_track_params_check(&p, 4, &e), DG_EINVAL);
	dg_track_params_init(&p);
	p.window_hours = 3;
	ck_assert_int_eq(dg_track_params_check(&p, 4, &e), DG_EINVAL);
}
END_TEST

START_TEST(too_large_a_reading)
{
	struct seen *s = malloc(sizeof(*s));
	struct texts t;
	struct dg_error e;

	/* 10^13 kW x 10^6 micro x 3600 s does not fit 64 bits: a bad row,
	 * the stream goes on to the next one */
	texts_init(&t, dst_base, "site,pledge_kw\nX,1\n", "site,time,load_kw\n"
	    "X,2022-11-06T00:00:00-04:00,10000000000000\n"
	    "X,2022-11-06T01:00:00-04:00,5\n");
	t.io.interval_s = 3600;
	ck_assert_int_eq(run_texts(&t, s, &e), DG_OK);
	ck_assert_int_eq(s->bad, 1);
	ck_assert_msg(strstr(s->first_bad, "too large") != NULL, "%s",
	    s->first_bad);
	ck_assert_int_eq(row_at(s, "X", "2022-11-06T01:00:00-04:00")->load,
	    5000);
	/* --strict: the bad row is the end */
	t.io.strict = 1;
	ck_assert_int_eq(run_texts(&t, s, &e), DG_EDATA);
	ck_assert_msg(strstr(e.msg, "too large") != NULL, "%s", e.msg);
	free(s);
}
END_TEST

START_TEST(unit_of_the_column)
{
	struct dg_track_params p;
	struct dg_track_input_opts io;
	struct dg_track_out out = { on_row, on_alarm, on_bad, NULL };
	struct dg_csv_opts o;
	struct dg_track *tr;
	struct dg_error e;
	const char *in[] = { TD "scenario.csv" };

	/* the reading contract: kW or kWh from the name; a column without
	 * one needs the unit; an interval is needed either way */
	dg_track_params_init(&p);
	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_track_alloc(&tr, &p), DG_OK);
	ck_assert_int_eq(dg_track_baselines_read(tr, TD "hand-baseline.csv",
	    NULL, &o, &e), DG_OK);
	memset(&io, 0, sizeof(io));
	ck_assert_int_eq(dg_track_run(tr, in, 1, &io, &o, &out, &e), DG_EINVAL);
	ck_assert_msg(strstr(e.msg, "give its length") != NULL, "%s", e.msg);
	io.interval_s = 60;
	io.unit = DG_SERIES_UNIT_KWH;
	ck_assert_int_eq(dg_track_run(tr, in, 1, &io, &o, &out, &e), DG_EINVAL);
	ck_assert_str_eq(e.column, "load_kw");
	io.unit = 0;
	io.value_col = "pulses";
	io.stamp_end = 1;
	ck_assert_int_eq(dg_track_run(tr, in, 1, &io, &o, &out, &e), DG_EINVAL);
	dg_track_free(tr);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("track");
	TCase *tc = tcase_create("core");
	TCase *tl = tcase_create("limits");
	SRunner *sr;
	int nf;

	dg_tz_set(DG_TZ_DEFAULT);
	tcase_add_test(tc, projection_by_hand);
	tcase_add_test(tc, total_adds_the_sites);
	tcase_add_test(tc, alarms_once_with_hysteresis);
	tcase_add_test(tc, bad_rows_counted);
	tcase_add_test(tc, ends_mid_step);
	tcase_add_test(tc, fall_back_event);
	tcase_add_test(tc, pulses_wrap_and_reset);
	tcase_add_test(tc, pulses_split_at_the_hour);
	tcase_add_test(tc, pledges_from_the_schedule);
	tcase_add_test(tc, stream_mode_does_not_wait);
	tcase_add_test(tl, baselines_refused);
	tcase_add_test(tl, params_refused);
	tcase_add_test(tl, too_large_a_reading);
	tcase_add_test(tl, unit_of_the_column);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
