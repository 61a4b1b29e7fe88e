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
	OPT_ZONE_COLUMN
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
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-pulse2kwh --sites FILE [--interval MIN] [--counts]\n"
"                    [--reading-interval MIN] [--fill none|linear]\n"
"                    [--max-gap MIN] [--max-demand-factor X]\n"
"                    [--zone-column COL] [--strict] [--tz ZONE]\n"
"                    [-d DELIM] [--crlf] [--bom] [-o FILE] [FILE]\n");
	exit(status);
}

struct site {
	char *name;
	struct dg_pulse_site p;
	int seen;
};

struct sites {
	struct site *v;
	size_t n, cap;
};

static int
cmp_site(const void *a, const void *b)
{
	return strcmp(((const struct site *)a)->name,
	    ((const struct site *)b)->name);
}

static struct site *
find_site(struct sites *ss, const char *name)
{
	struct site key = { (char *)name, { { 0, 0 }, 0, 0 }, 0 };

	return bsearch(&key, ss->v, ss->n, sizeof(*ss->v), cmp_site);
}

static int
read_sites(struct sites *ss, const char *path, const struct dg_csv_opts *o,
    int need_bits, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_site, c_kwh, c_bits = -1, c_peak;

	memset(ss, 0, sizeof(*ss));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "pulse_kwh", &c_kwh)) != DG_OK ||
	    (need_bits && (st = dg_csv_require(r, "counter_bits", &c_bits)) != DG_OK))
		goto out;
	c_peak = dg_csv_col(r, "peak_kw");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct site s;
		int64_t bits = 62;

		memset(&s, 0, sizeof(s));
		if (dg_csv_is_empty(r, c_site)) {
			st = dg_csv_fail(r, c_site, DG_EDATA, "empty site name");
			goto out;
		}
		if ((st = dg_csv_get_dec(r, c_kwh, &s.p.pulse_kwh)) != DG_OK)
			goto out;
		if (dg_dec_sign(s.p.pulse_kwh) <= 0) {
			st = dg_csv_fail(r, c_kwh, DG_EDATA,
			    "pulse multiplier must be positive");
			goto out;
		}
		if (c_bits >= 0) {
			st = dg_parse_int(dg_csv_field(r, c_bits, NULL), 1, 62, &bits);
			if (st != DG_OK) {
				st = dg_csv_fail(r, c_bits, DG_EDATA,
				    "counter bits must be an integer from 1 to 62: \"%s\"",
				    dg_csv_field(r, c_bits, NULL));
				goto out;
			}
		}
		s.p.counter_bits = (int)bits;
		if (c_peak >= 0 && !dg_csv_is_empty(r, c_peak) &&
		    (st = dg_csv_get_double(r, c_peak, &s.p.peak_kw)) != DG_OK)
			goto out;
		if (ss->n == ss->cap) {
			size_t cap = ss->cap ? 2 * ss->cap : 64;
			struct site *v = realloc(ss->v, cap * sizeof(*v));

			if (v == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				goto out;
			}
			ss->v = v;
			ss->cap = cap;
		}
		if ((s.name = strdup(dg_csv_field(r, c_site, NULL))) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < ss->n; i++)
			if (strcmp(ss->v[i].name, s.name) == 0) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "duplicate site \"%s\"", s.name);
				free(s.name);
				goto out;
			}
		ss->v[ss->n++] = s;
	}
	if (st == DG_EOF)
		st = DG_OK;
	qsort(ss->v, ss->n, sizeof(*ss->v), cmp_site);
out:
	dg_csv_close(r);
	return st;
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
	if (ru->strict && iv->flags != 0) {
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
	struct sites sites;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct dg_pulse_reading *buf = NULL;
	size_t n = 0, cap = 0;
	struct site *cur = NULL;
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

	if ((st = read_sites(&sites, sites_path, &cli.csv, !pp.counts, &err)) != DG_OK)
		return dg_cli_report(&err);
	if ((st = dg_csv_open(&r, input, &cli.csv, &err)) != DG_OK)
		return dg_cli_report(&err);
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "pulses", &c_pulses)) != DG_OK ||
	    (zone_col && (st = dg_csv_require(r, zone_col, &c_zone)) != DG_OK))
		return dg_cli_report(&err);

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
		if (cur != NULL && (name == NULL || strcmp(name, cur->name) != 0)) {
			long bad = 0;

			ru.site = cur->name;
			st = dg_pulse_site_run(&pp, &cur->p, buf, n, emit, &ru,
			    &stats, &bad);
			if (st == DG_EDATA && bad > 0)
				dg_error_set(&err, st, ru.input, bad, "time",
				    "site %s: reading overlaps the previous count interval",
				    cur->name);
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
			if ((cur = find_site(&sites, name)) == NULL) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "unknown site \"%s\" (not in %s)", name, sites_path);
				goto done;
			}
			if (cur->seen) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "site \"%s\" appears again after other sites: sort the input by site",
				    name);
				goto done;
			}
			cur->seen = 1;
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
		if (!pp.counts && count >= ((int64_t)1 << cur->p.counter_bits)) {
			st = dg_csv_fail(r, c_pulses, DG_EDATA,
			    "counter value %lld does not fit in %d bits",
			    (long long)count, cur->p.counter_bits);
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
	if (st == DG_OK || st == DG_EPIPE) {
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
	for (size_t i = 0; i < sites.n; i++)
		free(sites.v[i].name);
	free(sites.v);
	return st;
}
