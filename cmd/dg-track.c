/* dg-track: an event followed while it runs: per site and portfolio, the
 * kW delivered against the pledge, the projection of the hour and of the
 * event, dollars and UCAP at risk, and alarms raised once and cleared
 * once, a row out for each row of meter data in. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_series.h"
#include "dg_track.h"

enum {
	OPT_BASELINE = DG_OPT_FIRST_OWN,
	OPT_EVENT,
	OPT_PLEDGES,
	OPT_SITES,
	OPT_INTERVAL,
	OPT_EVERY,
	OPT_SILENT,
	OPT_START_TIME,
	OPT_LEAD,
	OPT_ALARM_PCT,
	OPT_CLEAR_PCT,
	OPT_START_PCT,
	OPT_PRICE,
	OPT_WINDOW_HOURS,
	OPT_MAX_GAP,
	OPT_ALARMS
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	DG_CLI_SERIES_LONGOPTS,
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "pledges", required_argument, NULL, OPT_PLEDGES },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "silent", required_argument, NULL, OPT_SILENT },
	{ "start-time", required_argument, NULL, OPT_START_TIME },
	{ "lead", required_argument, NULL, OPT_LEAD },
	{ "alarm-pct", required_argument, NULL, OPT_ALARM_PCT },
	{ "clear-pct", required_argument, NULL, OPT_CLEAR_PCT },
	{ "start-pct", required_argument, NULL, OPT_START_PCT },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "window-hours", required_argument, NULL, OPT_WINDOW_HOURS },
	{ "max-gap", required_argument, NULL, OPT_MAX_GAP },
	{ "alarms", required_argument, NULL, OPT_ALARMS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-track --baseline FILE [--event ID] [--pledges FILE]\n"
"                [--sites FILE] [--interval SECONDS] [--every SECONDS]\n"
"                [--silent MIN] [--start-time MIN] [--lead MIN]\n"
"                [--alarm-pct PCT] [--clear-pct PCT] [--start-pct PCT]\n"
"                [--price USD] [--window-hours N] [--max-gap SECONDS]\n"
"                [--alarms FILE] [reading options] [common options]\n"
"                [FILE ...]\n"
DG_CLI_SERIES_USAGE
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	struct dg_series_opts so;
	struct dg_track_params p;
	const char *baseline, *event, *pledges, *sites, *alarms;
	int interval_s, every_given;
	const char *const *inputs;
	size_t ninputs;
};

/* The program's own options with a value; 0 when opt is none of them. */
static int
own_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_BASELINE:	o->baseline = arg; break;
	case OPT_EVENT:		o->event = arg; break;
	case OPT_PLEDGES:	o->pledges = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_ALARMS:	o->alarms = arg; break;
	case OPT_INTERVAL:
		o->interval_s = dg_cli_int_arg("--interval", arg, 1, 3600,
		    usage);
		break;
	case OPT_EVERY:
		o->p.every_s = dg_cli_int_arg("--every", arg, 1, 3600, usage);
		o->every_given = 1;
		break;
	case OPT_SILENT:
		o->p.silent_s = 60 * dg_cli_int_arg("--silent", arg, 1, 1440,
		    usage);
		break;
	case OPT_START_TIME:
		o->p.start_s = 60 * dg_cli_int_arg("--start-time", arg, 0, 1440,
		    usage);
		break;
	case OPT_LEAD:
		o->p.lead_s = 60 * dg_cli_int_arg("--lead", arg, 0, 1440,
		    usage);
		break;
	case OPT_MAX_GAP:
		o->p.max_gap_s = dg_cli_int_arg("--max-gap", arg, 1, 86400,
		    usage);
		break;
	case OPT_WINDOW_HOURS:
		o->p.window_hours = dg_cli_int_arg("--window-hours", arg, 1,
		    100000, usage);
		break;
	default:
		return 0;
	}
	return 1;
}

/* The percentages and the price. */
static int
dec_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_ALARM_PCT:
		o->p.alarm_pct = dg_cli_dec_arg("--alarm-pct", arg, "0", "100",
		    usage);
		return 1;
	case OPT_CLEAR_PCT:
		o->p.clear_pct = dg_cli_dec_arg("--clear-pct", arg, "0", "100",
		    usage);
		return 1;
	case OPT_START_PCT:
		o->p.start_pct = dg_cli_dec_arg("--start-pct", arg, "0", "100",
		    usage);
		return 1;
	case OPT_PRICE:
		o->p.price = dg_cli_dec_arg("--price", arg, "0", "100000",
		    usage);
		return 1;
	}
	return 0;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	dg_cli_init(&o->cli, "dg-track");
	memset(&o->so, 0, sizeof(o->so));
	dg_track_params_init(&o->p);
	o->baseline = o->event = o->pledges = o->sites = o->alarms = NULL;
	o->interval_s = o->every_given = 0;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage) ||
		    dg_cli_series_option(&o->so, c, optarg, usage) ||
		    own_option(o, c, optarg) || dec_option(o, c, optarg))
			continue;
		usage(stderr, DG_EX_USAGE);
	}
	if (o->baseline == NULL) {
		dg_cli_warn("--baseline FILE is needed (dg-cbl's output)");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->pledges == NULL && o->sites == NULL) {
		dg_cli_warn("the pledges are needed: --pledges FILE, or --sites FILE with curtailable_kw");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->so.site != NULL && o->so.key_col != NULL) {
		dg_cli_warn("--site and --site-column: one or the other");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->so.sort == 0 && argc - optind > 1) {
		dg_cli_warn("several inputs are read one after the other: give --sort to replay them in time order");
	}
	if (!o->every_given)
		o->p.every_s = o->interval_s > 0 && 3600 % o->interval_s == 0 ?
		    o->interval_s : 300;
	o->inputs = (const char *const *)(argv + optind);
	o->ninputs = (size_t)(argc - optind);
}

/* --- output ------------------------------------------------------------ */

struct sink {
	struct dg_csvw w;
	int flush;		/* a row out as soon as made */
	FILE *alarms;		/* --alarms, appended */
	struct dg_csvw aw;	/* on alarms */
	const char *alarms_name;
	struct dg_error *err;
};

static void
put_kw(struct dg_csvw *w, int have, int64_t v)
{
	if (have)
		dg_csvw_dec(w, dg_dec_make(v, 3), -1);
	else
		dg_csvw_empty(w);
}

static int
put_row(void *arg, const struct dg_track_row *r)
{
	struct sink *k = arg;
	struct dg_csvw *w = &k->w;
	char buf[128];

	dg_csvw_time(w, r->t);
	dg_csvw_str(w, r->site ? r->site : "TOTAL");
	put_kw(w, r->have & DG_TRACK_F_BASE, r->base);
	put_kw(w, r->have & DG_TRACK_F_LOAD, r->load);
	put_kw(w, r->have & DG_TRACK_F_DELIV, r->deliv);
	put_kw(w, r->have & DG_TRACK_F_PLEDGE, r->pledge);
	put_kw(w, r->have & DG_TRACK_F_HOUR, r->hour);
	put_kw(w, r->have & DG_TRACK_F_HPROJ, r->hproj);
	put_kw(w, 1, r->event_kwh);
	dg_csvw_dec(w, dg_dec_make(r->usd, 2), -1);
	put_kw(w, 1, r->ucap);
	dg_csvw_str(w, dg_track_alarms_format(r->alarms, buf, sizeof(buf)));
	dg_csvw_str(w, dg_track_quality_format(r->flags, buf, sizeof(buf)));
	if (dg_csvw_end_row(w) != DG_OK)
		return w->status;
	if (k->flush && fflush(w->fp) != 0)
		return DG_EIO;
	return DG_OK;
}

/* What an alarm says, for a person or dg-notify's template. */
static void
alarm_message(const struct dg_track_alarm *a, char *buf, size_t n)
{
	char v[DG_DEC_BUFSZ], l[DG_DEC_BUFSZ];

	dg_dec_format(dg_dec_make(a->value, 3), v, sizeof(v));
	dg_dec_format(dg_dec_make(a->limit, 3), l, sizeof(l));
	if (a->alarm == DG_TRACK_A_SILENT)
		snprintf(buf, n, a->raised ? "no meter reading lately" :
		    "meter readings again");
	else if (!a->have_value)
		snprintf(buf, n, "not started by its start time");
	else if (a->alarm == DG_TRACK_A_NOSTART)
		snprintf(buf, n, a->raised ?
		    "not started: delivering %s kW, below %s kW" :
		    "started: delivering %s kW, at least %s kW", v, l);
	else
		snprintf(buf, n, a->raised ?
		    "delivering %s kW, below %s kW" :
		    "delivering %s kW again, at least %s kW", v, l);
}

static int
put_alarm(void *arg, const struct dg_track_alarm *a)
{
	struct sink *k = arg;
	struct dg_csvw *w = &k->aw;
	char msg[200];

	if (k->alarms == NULL)
		return DG_OK;
	dg_csvw_time(w, a->t);
	dg_csvw_str(w, a->site ? a->site : "TOTAL");
	dg_csvw_str(w, dg_track_alarm_name(a->alarm));
	dg_csvw_str(w, a->raised ? "raised" : "cleared");
	put_kw(w, a->have_value, a->value);
	put_kw(w, a->have_value, a->limit);
	alarm_message(a, msg, sizeof(msg));
	dg_csvw_str(w, msg);
	if (dg_csvw_end_row(w) != DG_OK || fflush(k->alarms) != 0)
		return dg_error_set(k->err, DG_EIO, k->alarms_name, 0, NULL,
		    "cannot write the alarms");
	return DG_OK;
}

static void
say_bad(void *arg, const struct dg_error *e)
{
	char buf[1024];

	(void)arg;
	dg_error_format(e, buf, sizeof(buf));
	dg_cli_warn("%s (row skipped)", buf);
}

/* --alarms FILE: appended as the alarms come (a log, not one run's
 * output), with the output options; when the file is new or empty, its
 * header (and a byte order mark, with --bom) first. */
static int
open_alarms(struct sink *k, const struct dg_cli *c, const char *path,
    struct dg_error *err)
{
	static const char *const hdr[] = {
		"time", "site", "alarm", "state", "value_kw", "limit_kw",
		"message"
	};
	struct dg_cli ac = *c;
	int fresh;

	k->alarms_name = path;
	if ((k->alarms = fopen(path, "a")) == NULL)
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot open for appending");
	if (!(fresh = ftell(k->alarms) == 0))
		ac.bom = 0;
	dg_cli_csvw_init(&ac, &k->aw, k->alarms);
	k->aw.sheet |= c->bom;	/* for a spreadsheet, new file or not */
	if (!fresh)
		return DG_OK;
	if (dg_csvw_header(&k->aw, hdr, 7) != DG_OK ||
	    fflush(k->alarms) != 0)
		return dg_error_set(err, DG_EIO, path, 0, NULL, "cannot write");
	return DG_OK;
}

/* --- the run ----------------------------------------------------------- */

static int
load(struct opts *o, struct dg_track *tr, struct dg_sites *ss,
    struct dg_error *err)
{
	struct dg_csv_opts bo = o->cli.aux;
	int st;

	bo.final_newline = 1;	/* dg-cbl's output: a cut file is refused */
	if ((st = dg_track_baselines_read(tr, o->baseline, o->event, &bo,
	    err)) != DG_OK)
		return st;
	if ((st = dg_track_params_check(&o->p, dg_track_hours(tr), err)) !=
	    DG_OK) {
		dg_cli_warn("%s", err->msg);
		usage(stderr, DG_EX_USAGE);
	}
	if (o->sites && (st = dg_sites_read(ss, o->sites, &o->cli.aux, err)) !=
	    DG_OK)
		return st;
	if (o->pledges)
		return dg_track_pledges_read(tr, o->pledges, &o->cli.aux, err);
	return dg_track_pledges_sites(tr, ss, err);
}

static void
summary(const struct dg_track *tr)
{
	const struct dg_track_stats *s = dg_track_stats(tr);

	if (s->no_pledge > 0)
		dg_cli_warn("%ld site%s without a pledge (the first: %s): pledge 0",
		    s->no_pledge, s->no_pledge == 1 ? "" : "s",
		    s->first_no_pledge);
	if (s->unknown > 0)
		dg_cli_warn("%ld reading%s of sites without a baseline skipped (the first: %s)",
		    s->unknown, s->unknown == 1 ? "" : "s", s->first_unknown);
	if (s->outside > 0)
		dg_cli_warn("%ld reading%s outside the event's window skipped",
		    s->outside, s->outside == 1 ? "" : "s");
	if (s->duplicates > 0)
		dg_cli_warn("%ld repeated reading%s dropped", s->duplicates,
		    s->duplicates == 1 ? "" : "s");
	if (s->bad > 0)
		dg_cli_warn("%ld bad row%s skipped", s->bad,
		    s->bad == 1 ? "" : "s");
	dg_cli_warn("%ld of %ld rows followed, %zu site%s; %ld alarm%s raised, %ld cleared",
	    s->used, s->rows, dg_track_nsites(tr),
	    dg_track_nsites(tr) == 1 ? "" : "s", s->raised,
	    s->raised == 1 ? "" : "s", s->cleared);
}

static int
run(struct opts *o)
{
	static const char *const hdr[] = {
		"time", "site", "baseline_kw", "load_kw", "delivered_kw",
		"pledge_kw", "hour_kw", "hour_projected_kw",
		"event_projected_kwh", "at_risk_usd", "ucap_at_risk_kw",
		"alarms", "quality"
	};
	static const char *const stdin_only[] = { "-" };
	struct dg_track_input_opts io;
	struct dg_track_out out = { put_row, put_alarm, say_bad, NULL };
	struct dg_sites ss = { 0 };
	struct dg_track *tr = NULL;
	struct dg_error err;
	struct dg_out *od = NULL;
	struct sink k;
	int st;

	dg_error_clear(&err);
	memset(&k, 0, sizeof(k));
	k.err = &err;
	out.arg = &k;
	if ((st = dg_track_alloc(&tr, &o->p)) != DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "out of memory");
	else if ((st = load(o, tr, &ss, &err)) == DG_OK) {
		od = dg_cli_open_output(&o->cli, &k.w);
		k.flush = o->cli.output == NULL;
		if (o->alarms)
			st = open_alarms(&k, &o->cli, o->alarms, &err);
	}
	memset(&io, 0, sizeof(io));
	io.site_col = o->so.key_col;
	io.time_col = o->so.time_col;
	io.value_col = o->so.value_col;
	io.site = o->so.site;
	io.unit = o->so.unit;
	io.stamp_end = o->so.stamp_end;
	io.sort = o->so.sort;
	io.interval_s = o->interval_s;
	io.strict = o->cli.strict;
	io.sites = o->sites ? &ss : NULL;
	if (st == DG_OK && (st = dg_csvw_header(&k.w, hdr, 13)) == DG_OK)
		st = dg_track_run(tr, o->ninputs ? o->inputs : stdin_only,
		    o->ninputs ? o->ninputs : 1, &io, &o->cli.csv, &out, &err);
	if (st == DG_OK || st == DG_EPIPE)
		summary(tr);
	if (k.alarms != NULL && fclose(k.alarms) != 0 && st == DG_OK)
		st = dg_error_set(&err, DG_EIO, o->alarms, 0, NULL,
		    "cannot write the alarms");
	dg_track_free(tr);
	dg_sites_release(&ss);
	return od ? dg_cli_finish(od, st, &err) : dg_cli_report(&err);
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
