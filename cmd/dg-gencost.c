/* dg-gencost: hourly running cost of carrying each site's forecast load on
 * its generators and curtailable process loads. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_gencost.h"
#include "dg_pass.h"
#include "dg_sites.h"
#include "dg_weather.h"

enum {
	OPT_GENERATORS = DG_OPT_FIRST_OWN,
	OPT_WEATHER,
	OPT_STATION,
	OPT_SITES,
	OPT_LOADING,
	OPT_BY_UNIT,
	OPT_NO_PASS,
	OPT_DATE
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "by-unit", no_argument, NULL, OPT_BY_UNIT },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "generators", required_argument, NULL, OPT_GENERATORS },
	{ "loading", required_argument, NULL, OPT_LOADING },
	{ "no-pass", no_argument, NULL, OPT_NO_PASS },
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
"                  [--date DATE] [--no-pass] [common options] [FILE]\n"
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	const char *gen_path, *wx_path, *station, *sites_path, *input;
	int loading;		/* enum dg_loading */
	int by_unit;
	int no_pass;		/* --no-pass: no column passed through */
	dg_date date;		/* --date: only this day's hours */
	int use_date;
};

static void
parse(struct opts *o, int argc, char **argv)
{
	static const char *const loadings[] = { "equal", "merit", NULL };
	int c;

	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_BY_UNIT:	o->by_unit = 1; break;
		case OPT_NO_PASS:	o->no_pass = 1; break;
		case OPT_GENERATORS:	o->gen_path = optarg; break;
		case OPT_SITES:		o->sites_path = optarg; break;
		case OPT_STATION:	o->station = optarg; break;
		case OPT_WEATHER:	o->wx_path = optarg; break;
		case OPT_DATE:
			o->date = dg_cli_date_arg("--date", optarg, usage);
			o->use_date = 1;
			break;
		case OPT_LOADING:
			o->loading = dg_cli_keyword_arg("--loading", optarg,
			    loadings, usage);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	if (o->gen_path == NULL || o->wx_path == NULL) {
		dg_cli_warn("--generators FILE and --weather FILE are required");
		usage(stderr, DG_EX_USAGE);
	}
	o->input = optind < argc ? argv[optind] : "-";
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
		return dg_error_set(err, DG_EDATA, name, w->v[1].line,
		    "station", "several stations (\"%s\", \"%s\"): choose one with --station",
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

/* The inputs besides the forecast, and what a row is costed with. */
struct env {
	struct dg_gens gens;
	struct dg_weather wx;
	const struct dg_weather_station *wst;
	struct dg_sites sites;
	struct dg_unit_cost *u;	/* the most resources of a site */
	int c_site, c_time, c_load;
	struct dg_pass pass;	/* the input's other columns (dg_pass.h) */
	char *prev_site;	/* naive stamps: the site of the last row */
	dg_time prev;
};

static int
env_load(struct env *e, const struct opts *o, struct dg_error *err)
{
	const struct dg_csv_opts *co = &o->cli.csv;
	size_t maxn = 0;
	int st;

	if ((st = dg_gens_read(&e->gens, o->gen_path, co, err)) != DG_OK ||
	    (st = read_weather(o->wx_path, o->station, co, &e->wx, &e->wst,
	    err)) != DG_OK ||
	    (o->sites_path != NULL &&
	    (st = read_sites(o->sites_path, co, &e->sites, err)) != DG_OK))
		return st;
	for (size_t i = 0, j; i < e->gens.n; i = j) {
		for (j = i; j < e->gens.n &&
		    strcmp(e->gens.v[j].site, e->gens.v[i].site) == 0; j++)
			;
		if (j - i > maxn)
			maxn = j - i;
	}
	if ((e->u = calloc(maxn, sizeof(*e->u))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	e->prev = INT64_MIN;
	return DG_OK;
}

static void
env_release(struct env *e)
{
	dg_gens_release(&e->gens);
	dg_sites_release(&e->sites);
	dg_weather_release(&e->wx);
	free(e->u);
	free(e->prev_site);
	dg_pass_release(&e->pass);
}

/* One forecast row: its hour (told apart by the site's previous row for
 * a naive stamp) and the load to carry, capped by the site's
 * curtailable_kw. */
struct hour {
	const char *site;
	dg_time t;
	double temp_f, target;
	size_t first, n;	/* the site's run of gens */
};

static int
read_hour(struct dg_csv *r, struct env *e, const struct opts *o,
    struct hour *h)
{
	struct dg_tstamp ts;
	const struct dg_site *sp;
	double load, kw;
	int st;

	h->site = dg_csv_field(r, e->c_site, NULL);
	if ((h->n = dg_gens_site(&e->gens, h->site, &h->first)) == 0)
		return dg_csv_fail(r, e->c_site, DG_EDATA,
		    "site \"%s\" has no generators in %s", h->site,
		    o->gen_path);
	if (e->prev_site == NULL || strcmp(h->site, e->prev_site) != 0) {
		free(e->prev_site);
		e->prev = INT64_MIN;
		if ((e->prev_site = strdup(h->site)) == NULL)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	if ((st = dg_csv_get_time(r, e->c_time, &ts)) != DG_OK ||
	    (st = dg_csv_get_double(r, e->c_load, &load)) != DG_OK)
		return st;
	h->t = e->prev = dg_tstamp_pick(&ts, e->prev);
	if (o->use_date && dg_date_of(h->t) != o->date)
		return DG_EOF;		/* another day: left out */
	if (load < 0)
		return dg_csv_fail(r, e->c_load, DG_EDATA,
		    "negative load: \"%s\"",
		    dg_csv_field(r, e->c_load, NULL));
	if (!dg_weather_temp_at(e->wst, h->t, &h->temp_f))
		return dg_csv_fail(r, e->c_time, DG_EDATA,
		    "no temperature for this hour in %s", o->wx_path);
	h->target = load;
	if (o->sites_path == NULL)
		return DG_OK;
	if ((sp = dg_sites_find(&e->sites, h->site)) == NULL)
		return dg_csv_fail(r, e->c_site, DG_EDATA,
		    "site \"%s\" is not in %s", h->site, o->sites_path);
	if ((sp->set & DG_SITE_CURTAILABLE) &&
	    (kw = dg_dec_to_double(sp->curtailable_kw)) < h->target)
		h->target = kw;
	return DG_OK;
}

/* The figures of a row, as decimals at their columns' scales; a figure
 * too large for its column (generators of absurd size) is an error at
 * the forecast row being costed. */
struct fig {
	double x;
	int scale;		/* < 0: written empty */
	const char *name;
};

static int
figures(struct dg_csv *r, const struct env *e, const char *site,
    const struct fig *f, size_t n, dg_dec *out)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].scale >= 0 &&
		    dg_dec_from_double(f[i].x, f[i].scale, &out[i]) != DG_OK)
			return dg_csv_fail(r, e->c_load, DG_ERANGE,
			    "site %s: %s of this hour is out of range (%.6g; see %s)",
			    site, f[i].name, f[i].x, e->gens.path);
	return DG_OK;
}

static void
put_figures(struct dg_csvw *w, const struct fig *f, const dg_dec *d,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f[i].scale >= 0)
			dg_csvw_dec(w, d[i], -1);
		else
			dg_csvw_empty(w);
}

/* $/MWh of cost_usd_per_h carrying kw, or empty (scale -1) when off. */
static struct fig
per_mwh(double usd_per_h, double kw)
{
	struct fig f = { 0, -1, "cost_usd_per_mwh" };

	if (kw > 0) {
		f.x = usd_per_h / (kw / 1000);
		f.scale = 2;
	}
	return f;
}

static int
write_units(struct dg_csvw *w, struct dg_csv *r, const struct env *e,
    const struct hour *h)
{
	int st = DG_OK;

	for (size_t i = 0; i < h->n && st == DG_OK; i++) {
		const struct dg_gen *g = &e->gens.v[h->first + i];
		const struct dg_unit_cost *u = &e->u[i];
		const struct fig f[] = {
			{ h->temp_f, 1, "temp_f" },
			{ u->available_kw, 3, "available_kw" },
			{ u->kw, 3, "gen_kw" },
			{ 100 * u->load_frac, 2, "load_pct" },
			{ u->heat_rate, 1, "heat_rate_btu_per_kwh" },
			{ u->fuel_mmbtu, 4, "fuel_mmbtu" },
			{ u->cost_usd_per_h, 2, "cost_usd_per_h" },
			per_mwh(u->cost_usd_per_h, u->kw),
			{ u->start_usd, 2, "start_usd" }
		};
		dg_dec d[9];

		if ((st = figures(r, e, h->site, f, 9, d)) != DG_OK)
			return st;
		dg_csvw_str(w, h->site);
		dg_csvw_str(w, g->gen);
		dg_csvw_str(w, dg_gen_kind_name(g->kind));
		dg_csvw_time(w, h->t);
		put_figures(w, f, d, 9);
		st = dg_csvw_end_row(w);
	}
	return st;
}

static int
write_site(struct dg_csvw *w, struct dg_csv *r, const struct env *e,
    const struct hour *h, const struct dg_site_cost *sc)
{
	const struct fig f[] = {
		{ h->temp_f, 1, "temp_f" },
		{ sc->available_kw, 3, "available_kw" },
		{ sc->gen_kw, 3, "gen_kw" },
		per_mwh(sc->cost_usd_per_h, sc->gen_kw),
		{ sc->cost_usd_per_h, 2, "cost_usd_per_h" },
		{ sc->fuel_mmbtu, 4, "fuel_mmbtu" },
		{ sc->start_usd, 2, "start_usd" }
	};
	dg_dec d[7];
	int st;

	if ((st = figures(r, e, h->site, f, 7, d)) != DG_OK)
		return st;
	dg_csvw_str(w, h->site);
	dg_csvw_time(w, h->t);
	dg_csvw_str(w, dg_csv_field(r, e->c_load, NULL));	/* as read */
	put_figures(w, f, d, 7);
	dg_csvw_int(w, sc->nunits);
	dg_csvw_str(w, sc->is_short ? "short" :
	    sc->gen_kw > 0 ? "ok" : "no_load");
	dg_pass_fields(&e->pass, w, r);
	return dg_csvw_end_row(w);
}

struct tally {
	long rows, other, nshort;
};

/* Costs and writes one forecast row. */
static int
cost_row(struct dg_csvw *w, struct dg_csv *r, struct env *e,
    const struct opts *o, struct tally *ty)
{
	struct dg_site_cost sc;
	struct hour h;
	int st;

	ty->rows++;
	if ((st = read_hour(r, e, o, &h)) == DG_EOF) {
		ty->other++;
		return DG_OK;
	}
	if (st != DG_OK)
		return st;
	if (dg_gencost_site(&e->gens.v[h.first], h.n, h.target, h.temp_f,
	    o->loading, e->u, &sc) != DG_OK)
		return dg_csv_fail(r, e->c_load, DG_EINTERNAL,
		    "cannot cost this hour");
	if (sc.is_short) {
		ty->nshort++;
		if (o->cli.strict)
			return dg_csv_fail(r, e->c_load, DG_EDATA,
			    "site %s: generators carry %.1f of %.1f kW (--strict)",
			    h.site, sc.gen_kw, sc.target_kw);
	}
	return o->by_unit ? write_units(w, r, e, &h) :
	    write_site(w, r, e, &h, &sc);
}

static void
warn_tally(const struct tally *ty, const char *name)
{
	if (ty->rows == 0)
		dg_cli_warn("%s: no forecast rows", name);
	if (ty->other > 0)
		dg_cli_warn("%ld row%s of other days left out (--date)",
		    ty->other, ty->other == 1 ? "" : "s");
	if (ty->nshort > 0)
		dg_cli_warn("%ld hour%s short: the generators cannot carry the load",
		    ty->nshort, ty->nshort == 1 ? "" : "s");
}

/* The forecast, and its columns passed through (not with --by-unit:
 * rows of resources, not of the input). */
static int
open_input(struct dg_csv **r, struct env *e, const struct opts *o,
    const char *const *header, size_t n, struct dg_error *err)
{
	int st;

	if ((st = dg_csv_open(r, o->input, &o->cli.csv, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(*r, "site", &e->c_site)) != DG_OK ||
	    (st = dg_csv_require(*r, "time", &e->c_time)) != DG_OK ||
	    (st = dg_csv_require(*r, "load_kw", &e->c_load)) != DG_OK)
		return st;
	if (o->by_unit || o->no_pass)
		return DG_OK;
	return dg_pass_init(&e->pass, *r, (int[]){ e->c_site, e->c_time,
	    e->c_load }, 3, header, n, err);
}

static int
run(struct opts *o)
{
	static const char *const header[] = {
		"site", "time", "load_kw", "temp_f", "available_kw", "gen_kw",
		"cost_usd_per_mwh", "cost_usd_per_h", "fuel_mmbtu", "start_usd",
		"units", "quality"
	};
	static const char *const uheader[] = {
		"site", "gen", "kind", "time", "temp_f", "available_kw",
		"gen_kw", "load_pct", "heat_rate_btu_per_kwh", "fuel_mmbtu",
		"cost_usd_per_h", "cost_usd_per_mwh", "start_usd"
	};
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct env e;
	struct tally ty = { 0, 0, 0 };
	int st;

	dg_error_clear(&err);
	memset(&e, 0, sizeof(e));
	if ((st = env_load(&e, o, &err)) != DG_OK ||
	    (st = open_input(&r, &e, o, header, 12, &err)) != DG_OK) {
		st = dg_cli_report(&err);
		goto done;
	}
	out = dg_cli_open_output(&o->cli, &w);
	st = o->by_unit ? dg_csvw_header(&w, uheader, 13) :
	    dg_pass_header(&e.pass, &w, header, 12);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = cost_row(&w, r, &e, o, &ty);
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK)
		warn_tally(&ty, dg_csv_name(r));
	st = dg_cli_finish(out, st, &err);
done:
	dg_csv_close(r);
	env_release(&e);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	dg_cli_init(&o.cli, "dg-gencost");
	o.loading = DG_LOADING_EQUAL;
	parse(&o, argc, argv);
	return run(&o);
}
