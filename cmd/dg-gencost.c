/* dg-gencost: hourly running cost of carrying each site's forecast load on
 * its generators and curtailable process loads. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_gencost.h"
#include "dg_sites.h"
#include "dg_weather.h"

enum {
	OPT_GENERATORS = DG_OPT_FIRST_OWN,
	OPT_WEATHER,
	OPT_STATION,
	OPT_SITES,
	OPT_LOADING,
	OPT_BY_UNIT,
	OPT_DATE
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "by-unit", no_argument, NULL, OPT_BY_UNIT },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "generators", required_argument, NULL, OPT_GENERATORS },
	{ "loading", required_argument, NULL, OPT_LOADING },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "station", required_argument, NULL, OPT_STATION },
	{ "weather", required_argument, NULL, OPT_WEATHER },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-gencost --generators FILE --weather FILE [--station ID]\n"
"                  [--sites FILE] [--loading equal|merit] [--by-unit]\n"
"                  [--date DATE] [--strict] [--tz ZONE] [-d DELIM]\n"
"                  [--crlf] [--bom] [-o FILE] [FILE]\n");
	exit(status);
}

/* Weather: time,temp_f and optionally station (then --station, or one
 * station only), read by dg_weather. */
static int
read_weather(const char *path, const char *station, const struct dg_csv_opts *o,
    struct dg_weather *w, const struct dg_weather_station **out,
    struct dg_error *err)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	const struct dg_weather_station *s = NULL;
	struct dg_weather_opts wo;
	int st;

	dg_weather_opts_init(&wo);
	wo.need_station = station != NULL;
	if ((st = dg_weather_read(w, path, &wo, o, err)) != DG_OK)
		return st;
	if (station != NULL)
		s = dg_weather_find(w, station);
	else if (w->n > 1)
		return dg_error_set(err, DG_EDATA, name, w->v[1].line, "station",
		    "several stations (\"%s\", \"%s\"): choose one with --station",
		    w->v[0].name, w->v[1].name);
	else if (w->n == 1)
		s = &w->v[0];
	if (s == NULL || s->ntemp == 0)
		return dg_error_set(err, DG_EDATA, name, 0, NULL,
		    station ? "no rows for station \"%s\"" : "no rows%s",
		    station ? station : "");
	*out = s;
	return DG_OK;
}

/* sites.csv (dg_sites): curtailable_kw caps a site's target (an empty
 * value: no cap). */
static int
read_sites(const char *path, const struct dg_csv_opts *o, struct dg_sites *ss,
    struct dg_error *err)
{
	int st;

	if ((st = dg_sites_read(ss, path, o, err)) != DG_OK)
		return st;
	if (!(ss->have & DG_SITE_CURTAILABLE))
		return dg_error_set(err, DG_EDATA, strcmp(ss->path, "-") == 0 ?
		    "<stdin>" : ss->path, 1, NULL,
		    "missing column \"curtailable_kw\"");
	return DG_OK;
}

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_error err;
	struct dg_gens gens;
	struct dg_csvw w;
	struct dg_out *out = NULL;
	struct dg_csv *r = NULL;
	struct dg_weather wx = { NULL, 0, 0 };
	const struct dg_weather_station *wst = NULL;
	struct dg_sites sites = { NULL, 0, 0, "" };
	struct dg_unit_cost *u = NULL;
	size_t maxn = 0;
	const char *gen_path = NULL, *wx_path = NULL, *station = NULL;
	const char *sites_path = NULL, *input;
	int c, st, c_site, c_time, c_load, by_unit = 0;
	int loading = DG_LOADING_EQUAL;
	long nshort = 0, nrows = 0, nother = 0;
	dg_date only_date = 0;
	int use_date = 0;
	char *prev_site = NULL;
	dg_time prev = INT64_MIN;
	static const char *const header[] = {
		"site", "time", "load_kw", "temp_f", "available_kw", "gen_kw",
		"cost_usd_per_mwh", "cost_usd_per_h", "fuel_mmbtu", "start_usd",
		"units", "quality"
	};
	static const char *const uheader[] = {
		"site", "gen", "kind", "time", "temp_f", "available_kw", "gen_kw",
		"load_pct", "heat_rate_btu_per_kwh", "fuel_mmbtu",
		"cost_usd_per_h", "cost_usd_per_mwh", "start_usd"
	};

	dg_cli_init(&cli, "dg-gencost");
	dg_error_clear(&err);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_BY_UNIT:
			by_unit = 1;
			break;
		case OPT_DATE:
			if (dg_date_parse(optarg, strlen(optarg), &only_date) != DG_OK) {
				dg_cli_warn("--date: YYYY-MM-DD: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			use_date = 1;
			break;
		case OPT_GENERATORS:
			gen_path = optarg;
			break;
		case OPT_LOADING:
			if (strcmp(optarg, "equal") == 0)
				loading = DG_LOADING_EQUAL;
			else if (strcmp(optarg, "merit") == 0)
				loading = DG_LOADING_MERIT;
			else {
				dg_cli_warn("--loading: equal or merit: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_SITES:
			sites_path = optarg;
			break;
		case OPT_STATION:
			station = optarg;
			break;
		case OPT_WEATHER:
			wx_path = optarg;
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, DG_EX_USAGE);
	if (gen_path == NULL || wx_path == NULL) {
		dg_cli_warn("--generators FILE and --weather FILE are required");
		usage(stderr, DG_EX_USAGE);
	}
	input = argc == 1 ? argv[0] : "-";

	memset(&gens, 0, sizeof(gens));
	if (dg_gens_read(&gens, gen_path, &cli.csv, &err) != DG_OK ||
	    read_weather(wx_path, station, &cli.csv, &wx, &wst, &err) != DG_OK ||
	    (sites_path != NULL &&
	    read_sites(sites_path, &cli.csv, &sites, &err) != DG_OK))
		goto fail;
	for (size_t i = 0, j; i < gens.n; i = j) {
		for (j = i; j < gens.n && strcmp(gens.v[j].site, gens.v[i].site) == 0; j++)
			;
		if (j - i > maxn)
			maxn = j - i;
	}
	if ((u = calloc(maxn, sizeof(*u))) == NULL) {
		dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto fail;
	}
	if (dg_csv_open(&r, input, &cli.csv, &err) != DG_OK ||
	    dg_csv_require(r, "site", &c_site) != DG_OK ||
	    dg_csv_require(r, "time", &c_time) != DG_OK ||
	    dg_csv_require(r, "load_kw", &c_load) != DG_OK)
		goto fail;

	out = dg_cli_open_output(&cli, &w);
	if (by_unit)
		st = dg_csvw_header(&w, uheader, sizeof(uheader) / sizeof(*uheader));
	else
		st = dg_csvw_header(&w, header, sizeof(header) / sizeof(*header));
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK) {
		const char *site = dg_csv_field(r, c_site, NULL);
		struct dg_tstamp ts;
		struct dg_site_cost sc;
		dg_time t;
		double temp_f;
		size_t first, n;
		double load, target;

		nrows++;
		if ((n = dg_gens_site(&gens, site, &first)) == 0) {
			st = dg_csv_fail(r, c_site, DG_EDATA,
			    "site \"%s\" has no generators in %s", site, gen_path);
			break;
		}
		if (prev_site == NULL || strcmp(site, prev_site) != 0) {
			free(prev_site);
			prev = INT64_MIN;
			if ((prev_site = strdup(site)) == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				break;
			}
		}
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_load, &load)) != DG_OK)
			break;
		t = prev = dg_tstamp_pick(&ts, prev);
		if (use_date && dg_date_of(t) != only_date) {
			nother++;
			continue;
		}
		if (load < 0) {
			st = dg_csv_fail(r, c_load, DG_EDATA, "negative load: \"%s\"",
			    dg_csv_field(r, c_load, NULL));
			break;
		}
		if (!dg_weather_temp_at(wst, t, &temp_f)) {
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "no temperature for this hour in %s", wx_path);
			break;
		}
		target = load;
		if (sites_path != NULL) {
			const struct dg_site *sp = dg_sites_find(&sites, site);
			double kw;

			if (sp == NULL) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "site \"%s\" is not in %s", site, sites_path);
				break;
			}
			if ((sp->set & DG_SITE_CURTAILABLE) &&
			    (kw = dg_dec_to_double(sp->curtailable_kw)) < target)
				target = kw;
		}
		if (dg_gencost_site(&gens.v[first], n, target, temp_f,
		    loading, u, &sc) != DG_OK) {
			st = dg_csv_fail(r, c_load, DG_EINTERNAL, "cannot cost this hour");
			break;
		}
		if (sc.is_short) {
			nshort++;
			if (cli.strict) {
				st = dg_csv_fail(r, c_load, DG_EDATA,
				    "site %s: generators carry %.1f of %.1f kW (--strict)",
				    site, sc.gen_kw, sc.target_kw);
				break;
			}
		}
		if (by_unit) {
			for (size_t i = 0; i < n && st == DG_OK; i++) {
				const struct dg_gen *g = &gens.v[first + i];

				dg_csvw_str(&w, site);
				dg_csvw_str(&w, g->gen);
				dg_csvw_str(&w, dg_gen_kind_name(g->kind));
				dg_csvw_time(&w, t);
				dg_csvw_double(&w, temp_f, 1);
				dg_csvw_double(&w, u[i].available_kw, 3);
				dg_csvw_double(&w, u[i].kw, 3);
				dg_csvw_double(&w, 100 * u[i].load_frac, 2);
				dg_csvw_double(&w, u[i].heat_rate, 1);
				dg_csvw_double(&w, u[i].fuel_mmbtu, 4);
				dg_csvw_double(&w, u[i].cost_usd_per_h, 2);
				if (u[i].kw > 0)
					dg_csvw_double(&w, u[i].cost_usd_per_h /
					    (u[i].kw / 1000), 2);
				else
					dg_csvw_empty(&w);
				dg_csvw_double(&w, u[i].start_usd, 2);
				st = dg_csvw_end_row(&w);
			}
			continue;
		}
		dg_csvw_str(&w, site);
		dg_csvw_time(&w, t);
		dg_csvw_str(&w, dg_csv_field(r, c_load, NULL));
		dg_csvw_double(&w, temp_f, 1);
		dg_csvw_double(&w, sc.available_kw, 3);
		dg_csvw_double(&w, sc.gen_kw, 3);
		if (sc.gen_kw > 0)
			dg_csvw_double(&w, sc.cost_usd_per_h / (sc.gen_kw / 1000), 2);
		else
			dg_csvw_empty(&w);
		dg_csvw_double(&w, sc.cost_usd_per_h, 2);
		dg_csvw_double(&w, sc.fuel_mmbtu, 4);
		dg_csvw_double(&w, sc.start_usd, 2);
		dg_csvw_int(&w, sc.nunits);
		dg_csvw_str(&w, sc.is_short ? "short" : sc.gen_kw > 0 ? "ok" : "no_load");
		st = dg_csvw_end_row(&w);
	}
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK) {
		if (nrows == 0)
			dg_cli_warn("%s: no forecast rows", dg_csv_name(r));
		if (nother > 0)
			dg_cli_warn("%ld row%s of other days left out (--date)", nother,
			    nother == 1 ? "" : "s");
		if (nshort > 0)
			dg_cli_warn("%ld hour%s short: the generators cannot carry the load",
			    nshort, nshort == 1 ? "" : "s");
	}
	if (st != DG_OK && st != DG_EPIPE && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "write error");
	st = dg_cli_finish(out, st, &err);
	if (0) {
fail:
		st = dg_cli_report(&err);
	}
	free(prev_site);
	if (r != NULL)
		dg_csv_close(r);
	dg_gens_release(&gens);
	dg_sites_release(&sites);
	dg_weather_release(&wx);
	free(u);
	return st;
}
