/* dg-pulse2kwh: pulse-counter readings to interval energy and demand. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_pulse.h"

enum {
	OPT_SITES = DG_OPT_FIRST_OWN,
	OPT_INTERVAL,
	OPT_COUNTS,
	OPT_READING_INTERVAL,
	OPT_FILL,
	OPT_MAX_GAP,
	OPT_MAX_DEMAND_FACTOR,
	OPT_ZONE_COLUMN,
	OPT_MAX_SPAN,
	OPT_SORT
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "counts", no_argument, NULL, OPT_COUNTS },
	{ "reading-interval", required_argument, NULL, OPT_READING_INTERVAL },
	{ "fill", required_argument, NULL, OPT_FILL },
	{ "max-gap", required_argument, NULL, OPT_MAX_GAP },
	{ "max-demand-factor", required_argument, NULL, OPT_MAX_DEMAND_FACTOR },
	{ "zone-column", required_argument, NULL, OPT_ZONE_COLUMN },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ "sort", no_argument, NULL, OPT_SORT },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-pulse2kwh --sites FILE [--interval MIN] [--counts]\n"
"                    [--reading-interval MIN] [--fill none|linear]\n"
"                    [--max-gap MIN] [--max-demand-factor X]\n"
"                    [--zone-column COL] [--max-span DAYS] [--sort]\n"
"                    [common options] [FILE]\n"
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	struct dg_pulse_params pp;
	const char *sites_path, *zone_col, *input;
	int sort;		/* --sort: rows in any order, whatever the
				 * first rows say */
};

/* Minutes from lo to hi, in seconds. */
static int
minutes_arg(const char *opt, const char *arg, int lo, int hi)
{
	return dg_cli_int_arg(opt, arg, lo, hi, usage) * 60;
}

/* The program's own options. */
static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const fills[] = { "none", "linear", NULL };
	struct dg_pulse_params *pp = &o->pp;

	switch (c) {
	case OPT_SITES:		o->sites_path = arg; break;
	case OPT_COUNTS:	pp->counts = 1; break;
	case OPT_ZONE_COLUMN:	o->zone_col = arg; break;
	case OPT_SORT:		o->sort = 1; break;
	case OPT_INTERVAL:
		pp->step_s = minutes_arg("--interval", arg, 1, 60);
		if (3600 % pp->step_s != 0) {
			dg_cli_warn("--interval: minutes dividing an hour (5, 15, 60): \"%s\"",
			    arg);
			usage(stderr, DG_EX_USAGE);
		}
		break;
	case OPT_READING_INTERVAL:
		pp->reading_s = minutes_arg("--reading-interval", arg, 1,
		    1440);
		break;
	case OPT_FILL:
		pp->fill_linear = dg_cli_keyword_arg("--fill", arg, fills,
		    usage);
		break;
	case OPT_MAX_GAP:
		pp->max_gap_s = minutes_arg("--max-gap", arg, 1, 1440);
		break;
	case OPT_MAX_DEMAND_FACTOR:
		pp->max_demand_factor = dg_cli_double_arg(
		    "--max-demand-factor", arg, 1, 1000, usage);
		break;
	case OPT_MAX_SPAN:
		pp->max_span_s = dg_cli_max_span_arg(arg, usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	if (o->sites_path == NULL) {
		dg_cli_warn("--sites FILE is required");
		usage(stderr, DG_EX_USAGE);
	}
	o->input = optind < argc ? argv[optind] : "-";
}

struct run {
	struct dg_csvw *w;
	const char *site;
	const char *input;
	int strict;
	struct dg_error *err;
};

static int
emit(void *arg, const struct dg_pulse_interval *iv)
{
	struct run *ru = arg;
	char q[128];

	dg_pulse_flags_format(iv->flags, q, sizeof(q));
	if (ru->strict && (iv->flags & ~(unsigned)DG_PF_ROLLOVER) != 0) {
		char ts[DG_TIME_BUFSZ];

		dg_time_format(iv->start, ts, sizeof(ts));
		return dg_error_set(ru->err, DG_EDATA, ru->input, iv->line,
		    NULL, "site %s: interval %s: %s (--strict)", ru->site, ts,
		    q);
	}
	dg_csvw_str(ru->w, ru->site);
	dg_csvw_time(ru->w, iv->start);
	if (iv->known) {
		dg_csvw_dec(ru->w, iv->energy_kwh, -1);
		dg_csvw_dec(ru->w, iv->demand_kw, -1);
	} else {
		dg_csvw_empty(ru->w);
		dg_csvw_empty(ru->w);
	}
	dg_csvw_str(ru->w, q);
	return dg_csvw_end_row(ru->w);
}

static const char *
plural(long n)
{
	return n == 1 ? "" : "s";
}

static void
warn_stats(struct dg_csv *r, const struct dg_pulse_stats *stats)
{
	char line[512];
	size_t k = 0;

	if (dg_csv_blank_lines(r) > 0)
		dg_cli_warn("%s: %ld blank line%s skipped", dg_csv_name(r),
		    dg_csv_blank_lines(r), plural(dg_csv_blank_lines(r)));
	if (dg_csv_rows(r) == 0)
		dg_cli_warn("%s: no readings", dg_csv_name(r));
	line[0] = '\0';
	for (int b = 0; b < DG_PF_NFLAGS; b++)
		if (stats->flagged[b] > 0)
			k += (size_t)snprintf(line + k, sizeof(line) - k,
			    "%s%s %ld", k ? ", " : "",
			    dg_pulse_flag_name(b), stats->flagged[b]);
	if (k > 0)
		dg_cli_warn("%ld intervals, flagged: %s", stats->intervals,
		    line);
	if (stats->dropped_duplicates > 0)
		dg_cli_warn("%ld duplicate reading%s dropped",
		    stats->dropped_duplicates,
		    plural(stats->dropped_duplicates));
	if (stats->reordered > 0)
		dg_cli_warn("%ld reading%s out of time order, sorted",
		    stats->reordered, plural(stats->reordered));
}

/* The sites file, and the pulse file opened on it. */
static int
open_inputs(const struct opts *o, struct dg_sites *sites,
    struct dg_pulse_input **in, struct dg_error *err)
{
	struct dg_pulse_input_opts po;
	int st;

	if ((st = dg_sites_read(sites, o->sites_path, &o->cli.aux,
	    err)) != DG_OK ||
	    (st = dg_sites_need(sites, DG_SITE_PULSE |
	    (o->pp.counts ? 0 : DG_SITE_BITS), err)) != DG_OK)
		return st;
	memset(&po, 0, sizeof(po));
	po.meter = dg_pulse_sites_meter;
	po.meter_arg = sites;
	po.nsites = sites->n;
	po.sites_name = o->sites_path;
	po.counts = o->pp.counts;
	po.zone_col = o->zone_col;
	po.sort = o->sort;
	return dg_pulse_input_open(in, o->input, &po, &o->cli.csv, err);
}

static int
run(struct opts *o)
{
	static const char *const header[] = {
		"site", "time", "energy_kwh", "demand_kw", "quality"
	};
	struct dg_pulse_stats stats;
	struct dg_pulse_input *in = NULL;
	struct dg_pulse_batch b;
	struct dg_sites sites;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct run ru;
	int st;

	dg_error_clear(&err);
	memset(&stats, 0, sizeof(stats));
	memset(&sites, 0, sizeof(sites));
	if ((st = open_inputs(o, &sites, &in, &err)) != DG_OK) {
		st = dg_cli_report(&err);
		goto done;
	}
	out = dg_cli_open_output(&o->cli, &w);
	ru.w = &w;
	ru.input = dg_csv_name(dg_pulse_input_csv(in));
	ru.strict = o->cli.strict;
	ru.err = &err;
	st = dg_csvw_header(&w, header, 5);
	while (st == DG_OK && (st = dg_pulse_input_next(in, &b)) == DG_OK) {
		ru.site = b.site;
		st = dg_pulse_input_run(in, &o->pp, &b, emit, &ru, &stats);
	}
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK)
		warn_stats(dg_pulse_input_csv(in), &stats);
	st = dg_cli_finish(out, st, &err);
done:
	dg_pulse_input_close(in);
	dg_sites_release(&sites);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	dg_cli_init(&o.cli, "dg-pulse2kwh");
	dg_pulse_params_init(&o.pp);
	parse(&o, argc, argv);
	return run(&o);
}
