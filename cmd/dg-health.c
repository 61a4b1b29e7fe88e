/* dg-health: the nightly questions before anyone asks them: stale or
 * missing meter data and files of the day, pipeline steps that failed or
 * did not run, metering availability per site and month, growing quality
 * flags.  A CSV of findings, and the exit status of a Nagios or Icinga
 * plugin (0 OK, 1 WARNING, 2 CRITICAL). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dg_health.h"

#define MAXFILES 64

enum {
	OPT_NOW = DG_OPT_FIRST_OWN,
	OPT_SITES,
	OPT_METER,
	OPT_COLUMN,
	OPT_INTERVAL,
	OPT_STALE,
	OPT_MONTHS,
	OPT_AVAILABILITY,
	OPT_AVAIL_PCT,
	OPT_FLAG_GROWTH,
	OPT_FLAG_MIN,
	OPT_FEED,
	OPT_DAYS,
	OPT_DAILY,
	OPT_BID_DUE,
	OPT_SCHEDULE_DUE,
	OPT_MONTHLY,
	OPT_MONTHLY_LOG,
	OPT_MONTHLY_DUE,
	OPT_NAGIOS,
	OPT_OK_FLAGS
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "now", required_argument, NULL, OPT_NOW },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "meter", required_argument, NULL, OPT_METER },
	{ "column", required_argument, NULL, OPT_COLUMN },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "stale-hours", required_argument, NULL, OPT_STALE },
	{ "months", required_argument, NULL, OPT_MONTHS },
	{ "availability", required_argument, NULL, OPT_AVAILABILITY },
	{ "availability-pct", required_argument, NULL, OPT_AVAIL_PCT },
	{ "flag-growth", required_argument, NULL, OPT_FLAG_GROWTH },
	{ "flag-min-pct", required_argument, NULL, OPT_FLAG_MIN },
	{ "feed", required_argument, NULL, OPT_FEED },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "daily", required_argument, NULL, OPT_DAILY },
	{ "bid-due", required_argument, NULL, OPT_BID_DUE },
	{ "schedule-due", required_argument, NULL, OPT_SCHEDULE_DUE },
	{ "monthly", required_argument, NULL, OPT_MONTHLY },
	{ "monthly-log", required_argument, NULL, OPT_MONTHLY_LOG },
	{ "monthly-due", required_argument, NULL, OPT_MONTHLY_DUE },
	{ "nagios", no_argument, NULL, OPT_NAGIOS },
	{ "ok-flags", required_argument, NULL, OPT_OK_FLAGS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-health [--now TIME] [--sites FILE] [--meter FILE ...]\n"
"                 [--column COL] [--interval SECONDS] [--ok-flags LIST]\n"
"                 [--stale-hours WARN,CRIT] [--months N]\n"
"                 [--availability FILE] [--availability-pct WARN,CRIT]\n"
"                 [--flag-growth X] [--flag-min-pct PCT]\n"
"                 [--feed PATTERN ...] [--days N] [--daily DIR]\n"
"                 [--bid-due HH:MM] [--schedule-due HH:MM]\n"
"                 [--monthly DIR] [--monthly-log FILE] [--monthly-due DAY]\n"
"                 [--nagios] [common options]\n"
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	struct dg_health_params p;
	const char *now, *sites, *column, *availability, *daily, *monthly;
	const char *monthly_log;
	const char *meter[MAXFILES], *feed[MAXFILES];
	size_t nmeter, nfeed;
	int nagios;
};

/* "HH:MM" as minutes of the day. */
static int
clock_arg(const char *opt, const char *arg)
{
	char h[3], m[3];

	if (strlen(arg) != 5 || arg[2] != ':') {
		dg_cli_warn("%s: a clock time HH:MM: \"%s\"", opt, arg);
		usage(stderr, DG_EX_USAGE);
	}
	memcpy(h, arg, 2);
	memcpy(m, arg + 3, 2);
	h[2] = m[2] = '\0';
	return 60 * dg_cli_int_arg(opt, h, 0, 23, usage) +
	    dg_cli_int_arg(opt, m, 0, 59, usage);
}

/* "A,B": two numbers, the second at least the first. */
static void
pair_arg(const char *opt, const char *arg, const char *lo, const char *hi,
    dg_dec *a, dg_dec *b)
{
	char buf[64];
	const char *comma = strchr(arg, ',');

	if (comma == NULL || (size_t)(comma - arg) >= sizeof(buf)) {
		dg_cli_warn("%s: two numbers WARN,CRIT: \"%s\"", opt, arg);
		usage(stderr, DG_EX_USAGE);
	}
	memcpy(buf, arg, (size_t)(comma - arg));
	buf[comma - arg] = '\0';
	*a = dg_cli_dec_arg(opt, buf, lo, hi, usage);
	*b = dg_cli_dec_arg(opt, comma + 1, lo, hi, usage);
}

static void
add_file(const char **v, size_t *n, const char *opt, const char *arg)
{
	if (*n >= MAXFILES) {
		dg_cli_warn("%s: at most %d", opt, MAXFILES);
		usage(stderr, DG_EX_USAGE);
	}
	v[(*n)++] = arg;
}

/* Options about time and thresholds; 0 when opt is none of them. */
static int
limit_option(struct opts *o, int c, const char *arg)
{
	dg_dec a, b;

	switch (c) {
	case OPT_STALE:
		pair_arg("--stale-hours", arg, "1", "8760", &a, &b);
		if (a.scale != 0 || b.scale != 0 || dg_dec_cmp(b, a) < 0) {
			dg_cli_warn("--stale-hours: whole hours WARN,CRIT, CRIT at least WARN: \"%s\"",
			    arg);
			usage(stderr, DG_EX_USAGE);
		}
		o->p.stale_warn_s = (int)a.v * 3600;
		o->p.stale_crit_s = (int)b.v * 3600;
		return 1;
	case OPT_AVAIL_PCT:
		pair_arg("--availability-pct", arg, "0", "100",
		    &o->p.avail_warn, &o->p.avail_crit);
		return 1;
	case OPT_FLAG_GROWTH:
		o->p.flag_growth = dg_cli_dec_arg("--flag-growth", arg, "1",
		    "1000", usage);
		return 1;
	case OPT_FLAG_MIN:
		o->p.flag_min = dg_cli_dec_arg("--flag-min-pct", arg, "0",
		    "100", usage);
		return 1;
	case OPT_BID_DUE:
		o->p.bid_due_min = clock_arg("--bid-due", arg);
		return 1;
	case OPT_SCHEDULE_DUE:
		o->p.schedule_due_min = clock_arg("--schedule-due", arg);
		return 1;
	}
	return 0;
}

/* The program's other options; 0 when opt is none of them. */
static int
own_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_NOW:		o->now = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_COLUMN:	o->column = arg; break;
	case OPT_AVAILABILITY:	o->availability = arg; break;
	case OPT_DAILY:		o->daily = arg; break;
	case OPT_MONTHLY:	o->monthly = arg; break;
	case OPT_MONTHLY_LOG:	o->monthly_log = arg; break;
	case OPT_NAGIOS:	o->nagios = 1; break;
	case OPT_OK_FLAGS:	o->p.ok_flags = arg; break;
	case OPT_METER:	add_file(o->meter, &o->nmeter, "--meter", arg); break;
	case OPT_FEED:	add_file(o->feed, &o->nfeed, "--feed", arg); break;
	case OPT_INTERVAL:
		o->p.interval_s = dg_cli_int_arg("--interval", arg, 1, 86400,
		    usage);
		break;
	case OPT_MONTHS:
		o->p.months = dg_cli_int_arg("--months", arg, 1, 120, usage);
		break;
	case OPT_DAYS:
		o->p.days = dg_cli_int_arg("--days", arg, 1, 366, usage);
		break;
	case OPT_MONTHLY_DUE:
		o->p.monthly_due_day = dg_cli_int_arg("--monthly-due", arg, 1,
		    28, usage);
		break;
	default:
		return limit_option(o, c, arg);
	}
	return 1;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-health");
	dg_health_params_init(&o->p);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage) ||
		    own_option(o, c, optarg))
			continue;
		usage(stderr, DG_EX_USAGE);
	}
	if (optind != argc) {
		dg_cli_warn("no operand: the inputs are options (--meter FILE ...)");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->nmeter == 0 && o->nfeed == 0 && o->daily == NULL &&
	    o->monthly == NULL) {
		dg_cli_warn("nothing to check: give --meter, --feed, --daily or --monthly");
		usage(stderr, DG_EX_USAGE);
	}
	if ((o->availability || o->sites) && o->nmeter == 0) {
		dg_cli_warn("--availability and --sites are about --meter files");
		usage(stderr, DG_EX_USAGE);
	}
	o->p.now = o->now ? dg_cli_stamp_arg(&o->cli, "--now", o->now, usage) :
	    (dg_time)time(NULL);
}

/* --- output ------------------------------------------------------------ */

static int
put_finding(struct dg_csvw *w, const struct dg_health_finding *f)
{
	dg_csvw_str(w, dg_health_severity_name(f->severity));
	dg_csvw_str(w, f->check);
	dg_csvw_str(w, f->site);
	dg_csvw_str(w, f->subject);
	if (f->have_value) {
		dg_csvw_dec(w, f->value, -1);
		dg_csvw_dec(w, f->limit, -1);
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
	dg_csvw_str(w, f->message);
	return dg_csvw_end_row(w);
}

static int
put_findings(struct dg_csvw *w, const struct dg_health *h)
{
	static const char *const hdr[] = {
		"severity", "check", "site", "subject", "value", "limit",
		"message"
	};
	int st = dg_csvw_header(w, hdr, 7);

	for (size_t i = 0; st == DG_OK && i < h->n; i++)
		st = put_finding(w, &h->v[i]);
	return st;
}

static int
put_avail(void *arg, const struct dg_health_avail *a)
{
	struct dg_csvw *w = arg;

	dg_csvw_str(w, a->site ? a->site : "TOTAL");
	dg_csvw_str(w, a->month);
	if (a->interval_s > 0)
		dg_csvw_int(w, a->interval_s);
	else
		dg_csvw_empty(w);
	dg_csvw_int(w, a->expected);
	dg_csvw_int(w, a->received);
	dg_csvw_int(w, a->good);
	dg_csvw_dec(w, a->pct, -1);
	return dg_csvw_end_row(w);
}

/* The one line of a Nagios or Icinga plugin, with its performance data. */
static void
nagios_line(const struct dg_health *h)
{
	long n[3] = { 0, 0, 0 };
	int worst = dg_health_worst(h);

	for (size_t i = 0; i < h->n; i++)
		n[h->v[i].severity]++;
	printf("DG-HEALTH %s: %ld critical, %ld warning%s%s | critical=%ld warning=%ld\n",
	    dg_health_severity_name(worst), n[2], n[1], h->n ? "; " : "",
	    h->n ? h->v[0].message : "", n[2], n[1]);
}

/* --- the run ----------------------------------------------------------- */

/* The meter checks; the availability table into w (NULL: none). */
static int
meters(struct opts *o, struct dg_csvw *w, struct dg_health *h,
    struct dg_error *err)
{
	static const char *const hdr[] = {
		"site", "month", "interval_s", "expected", "received", "good",
		"availability_pct"
	};
	struct dg_health_meters *m = NULL;
	struct dg_sites ss = { 0 };
	int st = dg_health_meters_alloc(&m);

	for (size_t i = 0; st == DG_OK && i < o->nmeter; i++)
		st = dg_health_meters_read(m, o->meter[i], o->column,
		    o->p.ok_flags, &o->cli.csv, err);
	if (st == DG_OK && o->sites)
		st = dg_sites_read(&ss, o->sites, &o->cli.aux, err);
	if (st == DG_OK)
		st = dg_health_meters_stale(m, o->sites ? &ss : NULL, &o->p, h);
	if (st == DG_OK && w != NULL)
		st = dg_csvw_header(w, hdr, 7);
	if (st == DG_OK)
		st = dg_health_meters_availability(m, &o->p,
		    w ? put_avail : NULL, w, h);
	dg_health_meters_free(m);
	dg_sites_release(&ss);
	return st;
}

static int
checks(struct opts *o, struct dg_csvw *aw, struct dg_health *h,
    struct dg_error *err)
{
	int st = DG_OK;

	if (o->nmeter > 0)
		st = meters(o, aw, h, err);
	for (size_t i = 0; st == DG_OK && i < o->nfeed; i++)
		st = dg_health_feed(o->feed[i], &o->p, h);
	if (st == DG_OK && o->daily)
		st = dg_health_daily(o->daily, &o->p, h);
	if (st == DG_OK && o->monthly)
		st = dg_health_monthly(o->monthly, o->monthly_log, &o->p, h);
	if (st != DG_OK && err->status == DG_OK)
		dg_error_set(err, st, NULL, 0, NULL, st == DG_ENOMEM ?
		    "out of memory" : "a path is too long");
	return st;
}

static int
run(struct opts *o)
{
	struct dg_out *out[2] = { NULL, NULL };
	struct dg_csvw w, aw;
	struct dg_health h = { 0 };
	struct dg_error err;
	int st, csv = !o->nagios || o->cli.output != NULL;

	dg_error_clear(&err);
	if (csv)
		out[0] = dg_cli_open_output(&o->cli, &w);
	if (o->availability)
		out[1] = dg_cli_open_more(&o->cli, o->availability, &aw);
	st = checks(o, o->availability ? &aw : NULL, &h, &err);
	dg_health_sort(&h);
	if (st == DG_OK && csv)
		st = put_findings(&w, &h);
	if (o->availability && st == DG_OK && aw.status != DG_OK)
		st = aw.status;
	if (csv || o->availability)
		st = dg_cli_finish_all(out, 2, st, &err);
	else if (st != DG_OK)
		st = dg_cli_report(&err);
	if (st == DG_EX_OK && o->nagios)
		nagios_line(&h);
	if (st == DG_EX_OK)
		st = dg_health_worst(&h);
	dg_health_release(&h);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
