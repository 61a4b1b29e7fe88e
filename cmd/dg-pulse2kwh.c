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
	OPT_MAX_SPAN
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
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-pulse2kwh --sites FILE [--interval MIN] [--counts]\n"
"                    [--reading-interval MIN] [--fill none|linear]\n"
"                    [--max-gap MIN] [--max-demand-factor X]\n"
"                    [--zone-column COL] [--max-span DAYS] [--strict]\n"
"                    [--tz ZONE] [-d DELIM] [--crlf] [--bom] [-o FILE]\n"
"                    [FILE]\n");
	exit(status);
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
		return dg_error_set(ru->err, DG_EDATA, ru->input, iv->line, NULL,
		    "site %s: interval %s: %s (--strict)", ru->site, ts, q);
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

static int
minutes(const char *arg, int lo, int hi, int *out)
{
	int64_t v;

	if (dg_parse_int(arg, lo, hi, &v) != DG_OK)
		return -1;
	*out = (int)v * 60;
	return 0;
}

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_pulse_params pp;
	struct dg_pulse_stats stats;
	struct dg_error err;
	struct dg_sites sites;
	unsigned char *seen = NULL;
	struct dg_pulse_site ps;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct dg_pulse_reading *buf = NULL;
	size_t n = 0, cap = 0;
	struct dg_site *cur = NULL;
	const char *sites_path = NULL, *input, *zone_col = NULL;
	int c, st, c_site, c_time, c_pulses, c_zone = -1;
	dg_time prev = INT64_MIN;
	struct run ru;
	static const char *const header[] = {
		"site", "time", "energy_kwh", "demand_kw", "quality"
	};

	dg_cli_init(&cli, "dg-pulse2kwh");
	dg_pulse_params_init(&pp);
	dg_error_clear(&err);
	memset(&stats, 0, sizeof(stats));
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_SITES:
			sites_path = optarg;
			break;
		case OPT_INTERVAL:
			if (minutes(optarg, 1, 60, &pp.step_s) || 3600 % pp.step_s) {
				dg_cli_warn("--interval: minutes dividing an hour (5, 15, 60): \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_COUNTS:
			pp.counts = 1;
			break;
		case OPT_READING_INTERVAL:
			if (minutes(optarg, 1, 1440, &pp.reading_s)) {
				dg_cli_warn("--reading-interval: minutes from 1 to 1440: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_FILL:
			if (strcmp(optarg, "linear") == 0)
				pp.fill_linear = 1;
			else if (strcmp(optarg, "none") == 0)
				pp.fill_linear = 0;
			else {
				dg_cli_warn("--fill: none or linear: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_MAX_GAP:
			if (minutes(optarg, 1, 1440, &pp.max_gap_s)) {
				dg_cli_warn("--max-gap: minutes from 1 to 1440: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_MAX_DEMAND_FACTOR:
			if (dg_parse_double(optarg, &pp.max_demand_factor) != DG_OK ||
			    pp.max_demand_factor < 1) {
				dg_cli_warn("--max-demand-factor: a number >= 1: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_ZONE_COLUMN:
			zone_col = optarg;
			break;
		case OPT_MAX_SPAN:
			pp.max_span_s = dg_cli_max_span_arg(optarg, usage);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, DG_EX_USAGE);
	if (sites_path == NULL) {
		dg_cli_warn("--sites FILE is required");
		usage(stderr, DG_EX_USAGE);
	}
	input = argc == 1 ? argv[0] : "-";

	if ((st = dg_sites_read(&sites, sites_path, &cli.aux, &err)) != DG_OK)
		return dg_cli_report(&err);
	if ((st = dg_sites_need(&sites, DG_SITE_PULSE |
	    (pp.counts ? 0 : DG_SITE_BITS), &err)) != DG_OK ||
	    (st = dg_csv_open(&r, input, &cli.csv, &err)) != DG_OK ||
	    (st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "pulses", &c_pulses)) != DG_OK ||
	    (zone_col && (st = dg_csv_require(r, zone_col, &c_zone)) != DG_OK)) {
		dg_csv_close(r);
		dg_sites_release(&sites);
		return dg_cli_report(&err);
	}
	if ((seen = calloc(sites.n + 1, 1)) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");

	out = dg_cli_open_output(&cli, &w);
	ru.w = &w;
	ru.input = dg_csv_name(r);
	ru.strict = cli.strict;
	ru.err = &err;
	if ((st = dg_csvw_header(&w, header, 5)) != DG_OK)
		goto done;
	for (;;) {
		const char *name;
		struct dg_tstamp ts;
		int64_t count;

		st = dg_csv_next(r);
		if (st != DG_OK && st != DG_EOF)
			goto done;
		name = st == DG_OK ? dg_csv_field(r, c_site, NULL) : NULL;
		if (cur != NULL && (name == NULL || strcmp(name, cur->site) != 0)) {
			struct dg_pulse_bad bad = { 0, 0 };

			ru.site = cur->site;
			ps.pulse_kwh = cur->pulse_kwh;
			ps.counter_bits = cur->counter_bits ? cur->counter_bits : 62;
			ps.peak_kw = (cur->set & DG_SITE_PEAK) ?
			    dg_dec_to_double(cur->peak_kw) : 0;
			st = dg_pulse_site_run(&pp, &ps, buf, n, emit, &ru,
			    &stats, &bad);
			if (st != DG_OK && bad.what == DG_PULSE_OVERLAP)
				dg_error_set(&err, st, ru.input, bad.line, "time",
				    "site %s: reading overlaps the previous count interval",
				    cur->site);
			else if (st != DG_OK && bad.what == DG_PULSE_SPAN)
				dg_error_set(&err, st, ru.input, bad.line, "time",
				    "site %s: more than %lld days after the reading before it (a wrong date? --max-span DAYS allows it)",
				    cur->site, (long long)(pp.max_span_s / 86400));
			else if (st != DG_OK && bad.what == DG_PULSE_ENERGY)
				dg_error_set(&err, st, ru.input, bad.line, "pulses",
				    "site %s: the interval's energy is too large for a decimal (pulses x pulse_kwh)",
				    cur->site);
			else if (st == DG_ENOMEM)
				dg_error_set(&err, st, NULL, 0, NULL, "out of memory");
			if (st != DG_OK)
				goto done;
			n = 0;
			cur = NULL;
			prev = INT64_MIN;
		}
		if (name == NULL) {
			st = DG_OK;
			break;
		}
		if (cur == NULL) {
			if ((cur = dg_sites_find(&sites, name)) == NULL) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "unknown site \"%s\" (not in %s)", name, sites_path);
				goto done;
			}
			if (seen[cur - sites.v]) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "site \"%s\" appears again after other sites: sort the input by site",
				    name);
				goto done;
			}
			seen[cur - sites.v] = 1;
		}
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK)
			goto done;
		if ((st = dg_csv_get_int(r, c_pulses, &count)) != DG_OK)
			goto done;
		if (count < 0) {
			st = dg_csv_fail(r, c_pulses, DG_EDATA,
			    "negative pulse count: %lld", (long long)count);
			goto done;
		}
		if (!pp.counts && count >= ((int64_t)1 << cur->counter_bits)) {
			st = dg_csv_fail(r, c_pulses, DG_EDATA,
			    "counter value %lld does not fit in %d bits",
			    (long long)count, cur->counter_bits);
			goto done;
		}
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 1024;
			struct dg_pulse_reading *nb = realloc(buf, nc * sizeof(*nb));

			if (nb == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				goto done;
			}
			buf = nb;
			cap = nc;
		}
		if (c_zone >= 0) {
			size_t zl;
			const char *z = dg_csv_field(r, c_zone, &zl);

			if (dg_tstamp_pick_abbr(&ts, z, zl, &buf[n].t) != DG_OK) {
				st = dg_csv_fail(r, c_zone, DG_EDATA,
				    "zone \"%s\" does not fit the local time", z);
				goto done;
			}
		} else
			buf[n].t = dg_tstamp_pick(&ts, prev);
		prev = buf[n].t;
		buf[n].count = count;
		buf[n].line = dg_csv_line(r);
		buf[n].flags = 0;
		n++;
	}
done:
	if (st == DG_OK) {
		char line[512];
		size_t k = 0;

		if (dg_csv_blank_lines(r) > 0)
			dg_cli_warn("%s: %ld blank line%s skipped", dg_csv_name(r),
			    dg_csv_blank_lines(r), dg_csv_blank_lines(r) == 1 ? "" : "s");
		if (dg_csv_rows(r) == 0)
			dg_cli_warn("%s: no readings", dg_csv_name(r));
		line[0] = '\0';
		for (int b = 0; b < DG_PF_NFLAGS; b++)
			if (stats.flagged[b] > 0)
				k += (size_t)snprintf(line + k, sizeof(line) - k,
				    "%s%s %ld", k ? ", " : "",
				    dg_pulse_flag_name(b), stats.flagged[b]);
		if (k > 0)
			dg_cli_warn("%ld intervals, flagged: %s", stats.intervals, line);
		if (stats.dropped_duplicates > 0)
			dg_cli_warn("%ld duplicate reading%s dropped",
			    stats.dropped_duplicates,
			    stats.dropped_duplicates == 1 ? "" : "s");
		if (stats.reordered > 0)
			dg_cli_warn("%ld reading%s out of time order, sorted",
			    stats.reordered, stats.reordered == 1 ? "" : "s");
	}
	st = dg_cli_finish(out, st, &err);
	dg_csv_close(r);
	free(buf);
	dg_sites_release(&sites);
	free(seen);
	return st;
}
