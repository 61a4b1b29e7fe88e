/* dg-forecast: per-site hourly load forecast: fit, predict, score,
 * backtest. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_forecast.h"
#include "dg_weather.h"

enum {
	OPT_SITES = DG_OPT_FIRST_OWN,
	OPT_WEATHER,
	OPT_ASOF,
	OPT_WINDOW,
	OPT_REGRESSORS,
	OPT_WEEKEND,
	OPT_HALFLIFE,
	OPT_NO_CP,
	OPT_CP_RANGE,
	OPT_CP_MIN_GAIN,
	OPT_MIN_DOF,
	OPT_ZERO_RUN,
	OPT_MAX_GAP,
	OPT_HOLIDAYS,
	OPT_NO_NERC,
	OPT_MODEL,
	OPT_DATE,
	OPT_DAYS,
	OPT_ACTUAL,
	OPT_ACTUAL_COL,
	OPT_FORECAST_COL,
	OPT_LOAD_COL,
	OPT_FROM,
	OPT_TO,
	OPT_LEAD,
	OPT_REFIT,
	OPT_HOURLY,
	OPT_CLAMP,
	OPT_ROBUST
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "weather", required_argument, NULL, OPT_WEATHER },
	{ "asof", required_argument, NULL, OPT_ASOF },
	{ "window-days", required_argument, NULL, OPT_WINDOW },
	{ "regressors", required_argument, NULL, OPT_REGRESSORS },
	{ "weekend", required_argument, NULL, OPT_WEEKEND },
	{ "halflife-days", required_argument, NULL, OPT_HALFLIFE },
	{ "no-changepoint", no_argument, NULL, OPT_NO_CP },
	{ "cp-range", required_argument, NULL, OPT_CP_RANGE },
	{ "cp-min-gain", required_argument, NULL, OPT_CP_MIN_GAIN },
	{ "min-dof", required_argument, NULL, OPT_MIN_DOF },
	{ "zero-run-hours", required_argument, NULL, OPT_ZERO_RUN },
	{ "max-gap-hours", required_argument, NULL, OPT_MAX_GAP },
	{ "holidays", required_argument, NULL, OPT_HOLIDAYS },
	{ "no-nerc-holidays", no_argument, NULL, OPT_NO_NERC },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "actual", required_argument, NULL, OPT_ACTUAL },
	{ "actual-column", required_argument, NULL, OPT_ACTUAL_COL },
	{ "forecast-column", required_argument, NULL, OPT_FORECAST_COL },
	{ "load-column", required_argument, NULL, OPT_LOAD_COL },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "lead-days", required_argument, NULL, OPT_LEAD },
	{ "refit-days", required_argument, NULL, OPT_REFIT },
	{ "hourly", required_argument, NULL, OPT_HOURLY },
	{ "clamp-margin", required_argument, NULL, OPT_CLAMP },
	{ "robust", no_argument, NULL, OPT_ROBUST },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-forecast fit --sites FILE --weather FILE --asof DATE [fit options]\n"
"                   [common options] [FILE]\n"
"       dg-forecast predict --model FILE --sites FILE --weather FILE\n"
"                   --date DATE [--days N] [--holidays FILE]\n"
"                   [--no-nerc-holidays] [--max-gap-hours N]\n"
"                   [common options]\n"
"       dg-forecast score [--actual FILE] [--actual-column COL]\n"
"                   [--forecast-column COL] [common options] [FILE]\n"
"       dg-forecast backtest --sites FILE --weather FILE --from DATE\n"
"                   --to DATE [--lead-days N] [--refit-days N]\n"
"                   [--hourly FILE] [fit options] [common options] [FILE]\n"
"fit options: [--window-days N] [--regressors temp|temp+rh|thi]\n"
"                   [--weekend one|hourly] [--halflife-days D]\n"
"                   [--no-changepoint] [--cp-range LO,HI,STEP]\n"
"                   [--cp-min-gain G] [--robust] [--clamp-margin F|none]\n"
"                   [--min-dof N] [--zero-run-hours N]\n"
"                   [--max-gap-hours N] [--holidays FILE]\n"
"                   [--no-nerc-holidays] [--load-column COL]\n"
"common options: [--strict] [--tz ZONE] [-d DELIM] [--crlf] [--bom]\n"
"                   [-o FILE]\n");
	exit(status);
}

enum cmd { CMD_FIT, CMD_PREDICT, CMD_SCORE, CMD_BACKTEST };

struct opts {
	enum cmd cmd;
	struct dg_cli cli;
	struct dg_fc_params fp;
	const char *sites, *weather, *model, *actual, *hourly, *holidays;
	const char *actual_col, *forecast_col, *load_col;
	int nerc;
	dg_date asof, date, from, to;
	int have_asof, have_date, have_from, have_to;
	int days, lead, refit;
	const char *input;
};

/* --- option values --------------------------------------------------- */

static void
bad(const char *opt, const char *what, const char *arg)
{
	dg_cli_warn("%s: %s: \"%s\"", opt, what, arg);
	usage(stderr, DG_EX_USAGE);
}

static double
num_arg(const char *opt, const char *arg, double lo, double hi)
{
	double v;
	char what[80];

	if (dg_parse_double(arg, &v) != DG_OK || !(v >= lo && v <= hi)) {
		snprintf(what, sizeof(what), "a number from %g to %g", lo, hi);
		bad(opt, what, arg);
	}
	return v;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;
	const char *sub;

	if (argc < 2)
		usage(stderr, DG_EX_USAGE);
	sub = argv[1];
	if (strcmp(sub, "fit") == 0)
		o->cmd = CMD_FIT;
	else if (strcmp(sub, "predict") == 0)
		o->cmd = CMD_PREDICT;
	else if (strcmp(sub, "score") == 0)
		o->cmd = CMD_SCORE;
	else if (strcmp(sub, "backtest") == 0)
		o->cmd = CMD_BACKTEST;
	else if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
		usage(stdout, 0);
	else if (strcmp(sub, "--version") == 0)
		dg_cli_version();
	else {
		dg_cli_warn("unknown subcommand \"%s\": fit, predict, score or backtest", sub);
		usage(stderr, DG_EX_USAGE);
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_SITES:		o->sites = optarg; break;
		case OPT_WEATHER:	o->weather = optarg; break;
		case OPT_MODEL:		o->model = optarg; break;
		case OPT_ACTUAL:	o->actual = optarg; break;
		case OPT_HOURLY:	o->hourly = optarg; break;
		case OPT_HOLIDAYS:	o->holidays = optarg; break;
		case OPT_NO_NERC:	o->nerc = 0; break;
		case OPT_ACTUAL_COL:	o->actual_col = optarg; break;
		case OPT_FORECAST_COL:	o->forecast_col = optarg; break;
		case OPT_LOAD_COL:	o->load_col = optarg; break;
		case OPT_ASOF:
			o->asof = dg_cli_date_arg("--asof", optarg, usage);
			o->have_asof = 1;
			break;
		case OPT_DATE:
			o->date = dg_cli_date_arg("--date", optarg, usage);
			o->have_date = 1;
			break;
		case OPT_FROM:
			o->from = dg_cli_date_arg("--from", optarg, usage);
			o->have_from = 1;
			break;
		case OPT_TO:
			o->to = dg_cli_date_arg("--to", optarg, usage);
			o->have_to = 1;
			break;
		case OPT_DAYS:
			o->days = dg_cli_int_arg("--days", optarg, 1, 366, usage);
			break;
		case OPT_LEAD:
			o->lead = dg_cli_int_arg("--lead-days", optarg, 1, 7, usage);
			break;
		case OPT_REFIT:
			o->refit = dg_cli_int_arg("--refit-days", optarg, 1, 366, usage);
			break;
		case OPT_WINDOW:
			o->fp.window_days = dg_cli_int_arg("--window-days", optarg, 1, 3660, usage);
			break;
		case OPT_REGRESSORS:
			if (dg_fc_regs_parse(optarg, &o->fp.regs) != DG_OK)
				bad("--regressors", "temp, temp+rh or thi", optarg);
			break;
		case OPT_WEEKEND:
			if (strcmp(optarg, "one") == 0)
				o->fp.weekend_hourly = 0;
			else if (strcmp(optarg, "hourly") == 0)
				o->fp.weekend_hourly = 1;
			else
				bad("--weekend", "one or hourly", optarg);
			break;
		case OPT_HALFLIFE:
			o->fp.halflife_days = num_arg("--halflife-days", optarg, 0, 3660);
			break;
		case OPT_NO_CP:
			o->fp.changepoint = 0;
			break;
		case OPT_CP_RANGE: {
			char buf[128], *a, *b;

			if (strlen(optarg) >= sizeof(buf))
				bad("--cp-range", "LO,HI,STEP in degrees F", optarg);
			memcpy(buf, optarg, strlen(optarg) + 1);
			a = strchr(buf, ',');
			b = a ? strchr(a + 1, ',') : NULL;
			if (a == NULL || b == NULL)
				bad("--cp-range", "LO,HI,STEP in degrees F", optarg);
			*a++ = '\0';
			*b++ = '\0';
			if (dg_parse_double(buf, &o->fp.cp_lo_f) != DG_OK ||
			    dg_parse_double(a, &o->fp.cp_hi_f) != DG_OK ||
			    dg_parse_double(b, &o->fp.cp_step_f) != DG_OK ||
			    !(o->fp.cp_step_f >= 0.1) || !(o->fp.cp_lo_f <= o->fp.cp_hi_f) ||
			    o->fp.cp_lo_f < -100 || o->fp.cp_hi_f > 200)
				bad("--cp-range", "LO,HI,STEP in degrees F, LO <= HI, STEP >= 0.1", optarg);
			break;
		}
		case OPT_CP_MIN_GAIN:
			o->fp.cp_min_gain = num_arg("--cp-min-gain", optarg, 0, 1);
			break;
		case OPT_MIN_DOF:
			o->fp.min_dof = dg_cli_int_arg("--min-dof", optarg, 1, 1000, usage);
			break;
		case OPT_ZERO_RUN:
			o->fp.zero_run_h = dg_cli_int_arg("--zero-run-hours", optarg, 0, 100000, usage);
			break;
		case OPT_CLAMP:
			if (strcmp(optarg, "none") == 0)
				o->fp.clamp_margin = -1;
			else
				o->fp.clamp_margin = num_arg("--clamp-margin", optarg, 0, 100);
			break;
		case OPT_ROBUST:
			o->fp.robust = 1;
			break;
		case OPT_MAX_GAP:
			o->fp.max_gap_h = dg_cli_int_arg("--max-gap-hours", optarg, 0, 48, usage);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	if (optind < argc - 1) {
		dg_cli_warn("at most one input file");
		usage(stderr, DG_EX_USAGE);
	}
	o->input = optind < argc ? argv[optind] : "-";
}

static void
need(const void *have, const char *opt)
{
	if (have == NULL) {
		dg_cli_warn("%s is required", opt);
		usage(stderr, DG_EX_USAGE);
	}
}

/* --- inputs shared by fit, predict, backtest --------------------------- */

struct station {
	char *name;
	struct dg_fc_weather wx;
};

struct env {
	struct dg_sites sites;
	struct station *st;
	size_t nst;
	struct dg_holidays hol;
};

static int
cmp_station(const void *a, const void *b)
{
	return strcmp(((const struct station *)a)->name,
	    ((const struct station *)b)->name);
}

static struct station *
find_station(struct env *e, const char *name)
{
	struct station key;

	key.name = (char *)name;
	return bsearch(&key, e->st, e->nst, sizeof(*e->st), cmp_station);
}

/* Reads the weather file (temp_f and, for regressors that need it,
 * rh_pct; hourly means) into each station's interpolating table. */
static int
read_weather(struct env *e, const struct opts *o, int need_rh,
    struct dg_error *err)
{
	struct dg_weather_opts wo;
	struct dg_weather w;
	int st;

	dg_weather_opts_init(&wo);
	wo.rh = need_rh;
	wo.hourly = 1;
	wo.need_station = 1;
	if ((st = dg_weather_read(&w, o->weather, &wo, &o->cli.csv, err)) != DG_OK)
		return st;
	if ((e->st = calloc(w.n + 1, sizeof(*e->st))) == NULL)
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; st == DG_OK && i < w.n; i++) {
		struct dg_weather_station *ws = &w.v[i];

		e->st[i].name = ws->name;
		ws->name = NULL;
		st = dg_fc_weather_init(&e->st[i].wx, ws->temp, ws->ntemp,
		    need_rh ? ws->rh : NULL, need_rh ? ws->nrh : 0,
		    o->fp.max_gap_h, err);
		e->nst = i + 1;
		if (st != DG_OK && err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s", o->weather);
	}
	if (st == DG_OK)
		qsort(e->st, e->nst, sizeof(*e->st), cmp_station);
	dg_weather_release(&w);
	return st;
}

static void
env_release(struct env *e)
{
	for (size_t i = 0; i < e->nst; i++) {
		free(e->st[i].name);
		dg_fc_weather_release(&e->st[i].wx);
	}
	free(e->st);
	dg_sites_release(&e->sites);
	dg_holidays_release(&e->hol);
}

static int
env_load(struct env *e, const struct opts *o, struct dg_error *err)
{
	int st;

	memset(e, 0, sizeof(*e));
	dg_holidays_init(&e->hol, o->nerc);
	if (o->holidays != NULL &&
	    (st = dg_holidays_read(&e->hol, o->holidays, &o->cli.csv, err)) != DG_OK)
		return st;
	if ((st = dg_sites_read(&e->sites, o->sites, &o->cli.csv, err)) != DG_OK)
		return st;
	if ((st = dg_sites_need(&e->sites, DG_SITE_STATION, err)) != DG_OK)
		return st;
	return read_weather(e, o, o->fp.regs != DG_FC_TEMP, err);
}

static struct station *
site_station(struct env *e, const char *site, const char *file,
    struct dg_error *err)
{
	struct dg_site *s = dg_sites_find(&e->sites, site);
	struct station *w;

	if (s == NULL) {
		dg_error_set(err, DG_EDATA, file, 0, NULL,
		    "site %s is not in the sites file", site);
		return NULL;
	}
	if ((w = find_station(e, s->station)) == NULL) {
		dg_error_set(err, DG_EDATA, file, 0, NULL,
		    "site %s: station %s has no weather", site, s->station);
		return NULL;
	}
	return w;
}

static const char *
hour_name(const struct dg_fc_eq *e, char *buf, size_t n)
{
	if (e->hour < 0)
		return "all";
	snprintf(buf, n, "%d", e->hour);
	return buf;
}

static int
write_model(struct dg_csvw *w, const struct dg_fc_model *m)
{
	int st = DG_OK;

	for (int k = 0; k < DG_FC_NEQ && st == DG_OK; k++) {
		const struct dg_fc_eq *e = &m->eq[k];
		char hb[16], q[128];

		if (!e->used)
			continue;
		dg_csvw_str(w, m->site);
		dg_csvw_str(w, e->weekend ? "weekend" : "business");
		dg_csvw_str(w, hour_name(e, hb, sizeof(hb)));
		dg_csvw_str(w, dg_fc_regs_name(m->regs));
		dg_csvw_double(w, e->c0, 6);
		dg_csvw_double(w, e->c_temp, 6);
		dg_csvw_double(w, e->c_rh, 6);
		dg_csvw_double(w, e->c_thi, 6);
		dg_csvw_double(w, e->c_cool, 6);
		dg_csvw_double(w, e->balance_f, 1);
		if (e->bounded) {
			dg_csvw_double(w, e->lo_kw, 3);
			dg_csvw_double(w, e->hi_kw, 3);
		} else {
			dg_csvw_empty(w);
			dg_csvw_empty(w);
		}
		dg_csvw_int(w, e->n);
		if (e->have_stats) {
			dg_csvw_double(w, e->r2, 4);
			dg_csvw_double(w, e->adj_r2, 4);
			dg_csvw_double(w, e->cv_rmse_pct, 2);
			dg_csvw_double(w, e->nmbe_pct, 2);
		} else {
			dg_csvw_empty(w);
			dg_csvw_empty(w);
			dg_csvw_empty(w);
			dg_csvw_empty(w);
		}
		dg_fc_flags_format(e->flags, q, sizeof(q));
		dg_csvw_str(w, q);
		st = dg_csvw_end_row(w);
	}
	return st;
}

static void
warn_model(const struct dg_fc_model *m, int strict, struct dg_error *err,
    int *st)
{
	int nshort = 0, nrank = 0, npool = 0;

	for (int k = 0; k < DG_FC_NEQ; k++) {
		if (!m->eq[k].used)
			continue;
		nshort += (m->eq[k].flags & DG_FC_Q_SHORT) != 0;
		nrank += (m->eq[k].flags & DG_FC_Q_RANKDEF) != 0;
		npool += (m->eq[k].flags & DG_FC_Q_POOLED) != 0;
	}
	if (nshort + nrank + npool > 0) {
		char buf[256];

		snprintf(buf, sizeof(buf),
		    "site %s: fallback equations: %d short, %d rank-deficient, %d pooled",
		    m->site, nshort, nrank, npool);
		if (strict && *st == DG_OK)
			*st = dg_error_set(err, DG_EDATA, NULL, 0, NULL, "%s (--strict)", buf);
		else
			dg_cli_warn("%s", buf);
	}
	if (m->nzero > 0) {
		if (strict && *st == DG_OK)
			*st = dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "site %s: %ld hours of zero-load runs (--strict)",
			    m->site, m->nzero);
		else
			dg_cli_warn("site %s: %ld hours of zero-load runs left out of the fit",
			    m->site, m->nzero);
	}
	if (m->nowx > 0) {
		if (strict && *st == DG_OK)
			*st = dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "site %s: %ld load hours without weather (--strict)",
			    m->site, m->nowx);
		else
			dg_cli_warn("site %s: %ld load hours without weather left out of the fit",
			    m->site, m->nowx);
	}
}

static int
open_load(struct dg_series_reader **sr, const struct opts *o,
    struct dg_error *err)
{
	struct dg_series_opts so;

	memset(&so, 0, sizeof(so));
	so.value_col = o->load_col ? o->load_col : "load_kw";
	so.hourly = 1;
	return dg_series_open(sr, o->input, &so, &o->cli.csv, err);
}

static int
series_error(struct dg_series_reader *sr, int st, struct dg_error *err)
{
	if (st != DG_OK && st != DG_EOF && err->status == DG_OK &&
	    dg_series_csv(sr) != NULL)
		*err = *dg_csv_error(dg_series_csv(sr));
	return st;
}

/* --- fit ---------------------------------------------------------------- */

static int
run_fit(struct opts *o)
{
	struct env e;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_series_reader *sr = NULL;
	struct dg_series s;
	struct dg_fc_work *work;
	struct dg_fc_model m;
	int st;
	long nsites = 0;

	need(o->sites, "--sites");
	need(o->weather, "--weather");
	if (!o->have_asof)
		need(NULL, "--asof");
	dg_error_clear(&err);
	memset(&s, 0, sizeof(s));
	dg_fc_model_init(&m);
	if ((work = dg_fc_work_alloc()) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	out = dg_cli_open_output(&o->cli, &w);
	if ((st = env_load(&e, o, &err)) != DG_OK)
		goto done;
	if ((st = open_load(&sr, o, &err)) != DG_OK)
		goto done;
	if ((st = dg_csvw_header(&w, dg_fc_model_columns, dg_fc_model_ncolumns)) != DG_OK)
		goto done;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		struct station *ws = site_station(&e, s.site, o->input, &err);

		if (ws == NULL) {
			st = err.status;
			break;
		}
		if (s.incomplete > 0)
			dg_cli_warn("site %s: %ld incomplete hours left out", s.site,
			    s.incomplete);
		st = dg_fc_fit(&m, s.site, s.p, s.n, &ws->wx, o->asof, &e.hol,
		    &o->fp, work, &err);
		if (st == DG_EDATA && !o->cli.strict) {
			/* No usable hour: no model for this site. */
			dg_cli_warn("%s; no model", err.msg);
			dg_error_clear(&err);
			st = DG_OK;
			continue;
		}
		if (st != DG_OK)
			break;
		warn_model(&m, o->cli.strict, &err, &st);
		if (st != DG_OK || (st = write_model(&w, &m)) != DG_OK)
			break;
		nsites++;
	}
	st = series_error(sr, st, &err);
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK && nsites == 0)
		dg_cli_warn("no site fitted");
done:
	if (st != DG_OK && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	st = dg_cli_finish(out, st, &err);
	if (sr)
		dg_series_close(sr);
	dg_series_release(&s);
	dg_fc_model_release(&m);
	dg_fc_work_free(work);
	env_release(&e);
	return st;
}

/* --- predict ------------------------------------------------------------ */

struct pstats {
	long rows, interp, nowx;
};

static int
predict_day(struct dg_csvw *w, const struct dg_fc_model *m,
    const struct dg_fc_weather *wx, dg_date d, const struct dg_holidays *h,
    int strict, struct pstats *ps, struct dg_error *err)
{
	dg_time t0;
	int nh = dg_date_hours(d), st;

	if ((st = dg_date_start(d, &t0)) != DG_OK)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL, "date start");
	for (int k = 0; k < nh; k++) {
		dg_time t = t0 + 3600 * (dg_time)k;
		const struct dg_fc_eq *e = dg_fc_model_eq(m, t, h);
		double temp = 0, rh = 0;
		unsigned f = dg_fc_weather_at(wx, t, &temp, &rh);
		char q[128], ts[DG_TIME_BUFSZ];

		if (e == NULL)
			return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
			    "site %s: no equation", m->site);
		ps->rows++;
		dg_csvw_str(w, m->site);
		dg_csvw_time(w, t);
		if (f & DG_FC_Q_NOWX) {
			ps->nowx++;
			if (strict) {
				dg_time_format(t, ts, sizeof(ts));
				return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
				    "site %s: %s: no weather (--strict)", m->site, ts);
			}
			dg_csvw_empty(w);
		} else {
			if (f & DG_FC_Q_INTERP)
				ps->interp++;
			dg_csvw_double(w, dg_fc_eq_eval(e, temp, rh), 1);
		}
		dg_fc_flags_format(f | (e->flags & (DG_FC_Q_SHORT | DG_FC_Q_RANKDEF | DG_FC_Q_POOLED)),
		    q, sizeof(q));
		dg_csvw_str(w, q);
		if ((st = dg_csvw_end_row(w)) != DG_OK)
			return st;
	}
	return DG_OK;
}

static int
run_predict(struct opts *o)
{
	struct env e;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_fc_model *ms = NULL;
	size_t nm = 0;
	struct pstats ps;
	int st;
	static const char *const header[] = { "site", "time", "load_kw", "quality" };

	need(o->model, "--model");
	need(o->sites, "--sites");
	need(o->weather, "--weather");
	if (!o->have_date)
		need(NULL, "--date");
	dg_error_clear(&err);
	memset(&ps, 0, sizeof(ps));
	memset(&e, 0, sizeof(e));
	out = dg_cli_open_output(&o->cli, &w);
	if ((st = dg_fc_models_read(&ms, &nm, o->model, &o->cli.csv, &err)) != DG_OK)
		goto done;
	for (size_t i = 0; i < nm; i++)
		if (ms[i].regs != DG_FC_TEMP)
			o->fp.regs = ms[i].regs;	/* read rh_pct */
	if ((st = env_load(&e, o, &err)) != DG_OK)
		goto done;
	if ((st = dg_csvw_header(&w, header, 4)) != DG_OK)
		goto done;
	for (size_t i = 0; i < nm && st == DG_OK; i++) {
		struct station *ws = site_station(&e, ms[i].site, o->model, &err);

		if (ws == NULL) {
			st = err.status;
			break;
		}
		for (int k = 0; k < o->days && st == DG_OK; k++)
			st = predict_day(&w, &ms[i], &ws->wx, o->date + k, &e.hol,
			    o->cli.strict, &ps, &err);
	}
	if (st == DG_OK) {
		if (ps.interp > 0)
			dg_cli_warn("%ld of %ld hours on interpolated weather (gaps up to %d h)",
			    ps.interp, ps.rows, o->fp.max_gap_h);
		if (ps.nowx > 0)
			dg_cli_warn("%ld of %ld hours without weather: no forecast (load_kw empty)",
			    ps.nowx, ps.rows);
	}
done:
	if (st != DG_OK && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	st = dg_cli_finish(out, st, &err);
	dg_fc_models_free(ms, nm);
	env_release(&e);
	return st;
}

/* --- score ---------------------------------------------------------------- */

struct acc {
	char *site;
	struct dg_fc_score s;
};

struct hourly_total {
	dg_time t;
	double a, f;
};

struct scoreset {
	struct acc *v;
	size_t n, cap;
	struct hourly_total *tot;
	size_t ntot, totcap;
	long skipped;
};

static struct acc *
acc_get(struct scoreset *ss, const char *site)
{
	for (size_t i = ss->n; i-- > 0;)
		if (strcmp(ss->v[i].site, site) == 0)
			return &ss->v[i];
	if (ss->n == ss->cap) {
		size_t nc = ss->cap ? 2 * ss->cap : 16;
		struct acc *t = realloc(ss->v, nc * sizeof(*t));

		if (t == NULL)
			return NULL;
		ss->v = t;
		ss->cap = nc;
	}
	if ((ss->v[ss->n].site = strdup(site)) == NULL)
		return NULL;
	dg_fc_score_init(&ss->v[ss->n].s);
	return &ss->v[ss->n++];
}

static int
tot_add(struct scoreset *ss, dg_time t, double a, double f)
{
	if (ss->ntot == ss->totcap) {
		size_t nc = ss->totcap ? 2 * ss->totcap : 1024;
		struct hourly_total *n = realloc(ss->tot, nc * sizeof(*n));

		if (n == NULL)
			return -1;
		ss->tot = n;
		ss->totcap = nc;
	}
	ss->tot[ss->ntot].t = t;
	ss->tot[ss->ntot].a = a;
	ss->tot[ss->ntot].f = f;
	ss->ntot++;
	return 0;
}

static int
cmp_tot(const void *a, const void *b)
{
	const struct hourly_total *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static int
cmp_acc(const void *a, const void *b)
{
	return strcmp(((const struct acc *)a)->site, ((const struct acc *)b)->site);
}

static void
write_measures(struct dg_csvw *w, const struct dg_fc_measures *m)
{
	dg_csvw_int(w, m->n);
	dg_csvw_double(w, m->avg_actual_kw, 2);
	dg_csvw_double(w, m->avg_forecast_kw, 2);
	dg_csvw_double(w, m->mae_kw, 2);
	dg_csvw_double(w, m->max_abs_err_kw, 2);
	if (m->have_pct) {
		dg_csvw_double(w, m->mae_pct, 2);
		dg_csvw_double(w, m->max_abs_err_pct, 2);
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
	dg_csvw_double(w, m->bias_kw, 2);
	if (m->have_pct)
		dg_csvw_double(w, m->bias_pct, 2);
	else
		dg_csvw_empty(w);
	if (m->have_cv) {
		dg_csvw_double(w, m->cv_rmse_pct, 2);
		dg_csvw_double(w, m->nmbe_pct, 2);
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
}

static const char *const score_header[] = {
	"site", "n", "actual_avg_kw", "forecast_avg_kw", "mae_kw",
	"max_abs_err_kw", "mae_pct", "max_abs_err_pct", "bias_kw", "bias_pct",
	"cv_rmse_pct", "nmbe_pct"
};

/* The actual values of the join (--actual FILE). */
struct actual {
	char *site;
	char *owner;	/* the site's name, shared by its hours */
	dg_time t;
	double v;
};

static int
cmp_actual(const void *a, const void *b)
{
	const struct actual *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	if (c != 0)
		return c;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* Reads the actual loads through dg_series: rows of a site together,
 * sub-hourly readings integrated to hourly means (complete hours only). */
static int
read_actual(const struct opts *o, struct actual **av, size_t *nav,
    long *skipped, struct dg_error *err)
{
	struct dg_series_reader *sr;
	struct dg_series_opts so;
	struct dg_series s;
	int st;
	size_t n = 0, cap = 0;
	struct actual *v = NULL;

	memset(&so, 0, sizeof(so));
	memset(&s, 0, sizeof(s));
	so.value_col = o->actual_col ? o->actual_col : "load_kw";
	so.hourly = 1;
	*av = NULL;
	*nav = 0;
	if ((st = dg_series_open(&sr, o->actual, &so, &o->cli.csv, err)) != DG_OK)
		return st;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		char *site;

		*skipped += s.incomplete;
		if (n + s.n > cap) {
			size_t nc = cap ? 2 * cap : 1024;
			struct actual *t;

			while (nc < n + s.n)
				nc *= 2;
			if ((t = realloc(v, nc * sizeof(*t))) == NULL) {
				st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
				break;
			}
			v = t;
			cap = nc;
		}
		if ((site = strdup(s.site)) == NULL) {
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
			break;
		}
		for (size_t i = 0; i < s.n; i++) {
			v[n].site = i == 0 ? site : NULL;	/* owner: the first */
			v[n].owner = site;
			v[n].t = s.p[i].t;
			v[n].v = s.p[i].v;
			n++;
		}
		if (s.n == 0)
			free(site);
	}
	st = series_error(sr, st, err);
	if (st == DG_EOF)
		st = DG_OK;
	dg_series_close(sr);
	dg_series_release(&s);
	for (size_t i = 0; i < n; i++)
		v[i].site = v[i].owner;
	qsort(v, n, sizeof(*v), cmp_actual);
	*av = v;
	*nav = n;
	return st;
}

static int
run_score(struct opts *o)
{
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct scoreset ss;
	struct actual *av = NULL;
	size_t nav = 0;
	int st, cs, ct, ca = -1, cf;
	long noactual = 0, noforecast = 0, incomplete = 0;
	const char *fcol, *acol;

	dg_error_clear(&err);
	memset(&ss, 0, sizeof(ss));
	if (o->actual != NULL) {
		fcol = o->forecast_col ? o->forecast_col : "load_kw";
		acol = NULL;
	} else {
		fcol = o->forecast_col ? o->forecast_col : "forecast_kw";
		acol = o->actual_col ? o->actual_col : "actual_kw";
	}
	out = dg_cli_open_output(&o->cli, &w);
	if (o->actual != NULL &&
	    (st = read_actual(o, &av, &nav, &incomplete, &err)) != DG_OK)
		goto done;
	if ((st = dg_csv_open(&r, o->input, &o->cli.csv, &err)) != DG_OK)
		goto done;
	if ((st = dg_csv_require(r, "site", &cs)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &ct)) != DG_OK ||
	    (acol != NULL && (st = dg_csv_require(r, acol, &ca)) != DG_OK) ||
	    (st = dg_csv_require(r, fcol, &cf)) != DG_OK)
		goto done;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		double a, f;
		struct acc *acc;
		const char *site = dg_csv_field(r, cs, NULL);

		if (site[0] == '\0') {
			st = dg_csv_fail(r, cs, DG_EDATA, "empty site");
			break;
		}
		if ((st = dg_csv_get_time(r, ct, &ts)) != DG_OK)
			break;
		if (dg_csv_is_empty(r, cf)) {
			noforecast++;
			continue;
		}
		if ((st = dg_csv_get_double(r, cf, &f)) != DG_OK)
			break;
		if (av != NULL) {
			struct actual key, *hit;

			key.site = (char *)site;
			key.t = ts.t;
			hit = bsearch(&key, av, nav, sizeof(*av), cmp_actual);
			if (hit == NULL) {
				noactual++;
				continue;
			}
			a = hit->v;
		} else {
			if (dg_csv_is_empty(r, ca)) {
				noactual++;
				continue;
			}
			if ((st = dg_csv_get_double(r, ca, &a)) != DG_OK)
				break;
		}
		if ((acc = acc_get(&ss, site)) == NULL || tot_add(&ss, ts.t, a, f) != 0) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			break;
		}
		dg_fc_score_add(&acc->s, a, f);
	}
	if (st != DG_EOF)
		goto done;
	st = DG_OK;
	if (noactual + noforecast + incomplete > 0) {
		char msg[256];

		snprintf(msg, sizeof(msg),
		    "left out: %ld hours without actual, %ld without forecast%s",
		    noactual, noforecast, "");
		if (incomplete > 0)
			snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
			    "; %ld incomplete actual hours", incomplete);
		if (o->cli.strict) {
			st = dg_error_set(&err, DG_EDATA, dg_csv_name(r), 0, NULL,
			    "%s (--strict)", msg);
			goto done;
		}
		dg_cli_warn("%s", msg);
	}
	if ((st = dg_csvw_header(&w, score_header, 12)) != DG_OK)
		goto done;
	qsort(ss.v, ss.n, sizeof(*ss.v), cmp_acc);
	for (size_t i = 0; i < ss.n && st == DG_OK; i++) {
		struct dg_fc_measures m;

		dg_fc_score_measures(&ss.v[i].s, &m);
		dg_csvw_str(&w, ss.v[i].site);
		write_measures(&w, &m);
		st = dg_csvw_end_row(&w);
	}
	if (st == DG_OK && ss.n > 1) {
		/* The portfolio: per hour, the sums over the sites scored. */
		struct dg_fc_score tot;
		struct dg_fc_measures m;

		dg_fc_score_init(&tot);
		qsort(ss.tot, ss.ntot, sizeof(*ss.tot), cmp_tot);
		for (size_t i = 0; i < ss.ntot;) {
			double a = 0, f = 0;
			size_t j = i;

			for (; j < ss.ntot && ss.tot[j].t == ss.tot[i].t; j++) {
				a += ss.tot[j].a;
				f += ss.tot[j].f;
			}
			dg_fc_score_add(&tot, a, f);
			i = j;
		}
		dg_fc_score_measures(&tot, &m);
		dg_csvw_str(&w, "(total)");
		write_measures(&w, &m);
		st = dg_csvw_end_row(&w);
	}
done:
	if (st != DG_OK && err.status == DG_OK) {
		if (r != NULL && dg_csv_error(r)->status != DG_OK)
			err = *dg_csv_error(r);
		else
			dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	}
	st = dg_cli_finish(out, st, &err);
	dg_csv_close(r);
	for (size_t i = 0; i < ss.n; i++)
		free(ss.v[i].site);
	free(ss.v);
	free(ss.tot);
	for (size_t i = 0; i < nav; i++)
		if (i == 0 || av[i].owner != av[i - 1].owner)
			free(av[i].owner);
	free(av);
	return st;
}

/* --- backtest ------------------------------------------------------------- */

enum { M_MODEL, M_HIGHAVG, M_LASTWEEK, NMETHOD };
static const char *const method_name[NMETHOD] = {
	"regression", "naive-5-of-10", "same-hour-last-week"
};

static int
run_backtest(struct opts *o)
{
	struct env e;
	struct dg_error err;
	struct dg_csvw w, hw;
	struct dg_out *out, *hout = NULL;
	struct dg_series_reader *sr = NULL;
	struct dg_series s;
	struct dg_fc_work *work;
	struct dg_fc_model m;
	int st;
	static const char *const hheader[] = {
		"site", "time", "actual_kw", "forecast_kw", "naive_5_of_10_kw",
		"last_week_kw", "quality"
	};
	static const char *header[13];

	need(o->sites, "--sites");
	need(o->weather, "--weather");
	if (!o->have_from)
		need(NULL, "--from");
	if (!o->have_to)
		need(NULL, "--to");
	if (o->to < o->from) {
		dg_cli_warn("--to is before --from");
		usage(stderr, DG_EX_USAGE);
	}
	dg_error_clear(&err);
	memset(&s, 0, sizeof(s));
	dg_fc_model_init(&m);
	if ((work = dg_fc_work_alloc()) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	out = dg_cli_open_output(&o->cli, &w);
	if (o->hourly != NULL) {
		if ((st = dg_out_open(&hout, o->hourly, &err)) != DG_OK)
			goto done;
		dg_csvw_init(&hw, dg_out_fp(hout), o->cli.delim, o->cli.crlf, o->cli.bom);
		if ((st = dg_csvw_header(&hw, hheader, 7)) != DG_OK)
			goto done;
	}
	if ((st = env_load(&e, o, &err)) != DG_OK)
		goto done;
	if ((st = open_load(&sr, o, &err)) != DG_OK)
		goto done;
	header[0] = "method";
	for (int i = 0; i < 12; i++)
		header[i + 1] = score_header[i];
	if ((st = dg_csvw_header(&w, header, 13)) != DG_OK)
		goto done;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		struct station *ws = site_station(&e, s.site, o->input, &err);
		struct dg_fc_score sc[NMETHOD];
		long nofit = 0, nowx = 0, nonaive = 0, noactual = 0, nfits = 0;
		int have_model = 0;

		if (ws == NULL) {
			st = err.status;
			break;
		}
		for (int k = 0; k < NMETHOD; k++)
			dg_fc_score_init(&sc[k]);
		for (dg_date d = o->from; d <= o->to && st == DG_OK; d++) {
			dg_time t0;
			int nh = dg_date_hours(d);
			double hi[24];
			int have_hi;

			if ((d - o->from) % o->refit == 0) {
				st = dg_fc_fit(&m, s.site, s.p, s.n, &ws->wx, d - o->lead,
				    &e.hol, &o->fp, work, &err);
				if (st == DG_EDATA) {
					dg_error_clear(&err);
					st = DG_OK;
					have_model = 0;
				} else if (st != DG_OK)
					break;
				else {
					have_model = 1;
					nfits++;
				}
			}
			have_hi = dg_fc_naive_highavg(s.p, s.n, d, d - o->lead, 10, 5,
			    70, 20, &e.hol, hi) == 0;
			dg_date_start(d, &t0);
			for (int k = 0; k < nh; k++) {
				dg_time t = t0 + 3600 * (dg_time)k;
				struct dg_local lt, lw;
				double a, f = 0, temp, rh, lwv = 0;
				int have_f = 0, have_lw = 0, have_a;
				dg_time tw;
				unsigned wf = 0;

				have_a = dg_fc_value_at(s.p, s.n, t, &a) == 0;
				dg_time_local(t, &lt);
				if (have_model) {
					const struct dg_fc_eq *eq = dg_fc_model_eq(&m, t, &e.hol);

					wf = dg_fc_weather_at(&ws->wx, t, &temp, &rh);
					if (eq != NULL && !(wf & DG_FC_Q_NOWX)) {
						f = dg_fc_eq_eval(eq, temp, rh);
						have_f = 1;
					}
				}
				dg_time_local(t - 7 * 86400, &lw);
				if (dg_time_from_local(lw.year, lw.mon, lw.mday, lt.hour, 0, 0, &tw) == DG_OK &&
				    dg_fc_value_at(s.p, s.n, tw, &lwv) == 0)
					have_lw = 1;
				if (!have_a)
					noactual++;
				else if (!have_model)
					nofit++;
				else if (!have_f)
					nowx++;
				else if (!have_hi || !have_lw)
					nonaive++;
				else {
					dg_fc_score_add(&sc[M_MODEL], a, f);
					dg_fc_score_add(&sc[M_HIGHAVG], a, hi[lt.hour]);
					dg_fc_score_add(&sc[M_LASTWEEK], a, lwv);
				}
				if (hout != NULL) {
					char q[128];

					dg_csvw_str(&hw, s.site);
					dg_csvw_time(&hw, t);
					if (have_a)
						dg_csvw_double(&hw, a, 3);
					else
						dg_csvw_empty(&hw);
					if (have_f)
						dg_csvw_double(&hw, f, 3);
					else
						dg_csvw_empty(&hw);
					if (have_hi)
						dg_csvw_double(&hw, hi[lt.hour], 3);
					else
						dg_csvw_empty(&hw);
					if (have_lw)
						dg_csvw_double(&hw, lwv, 3);
					else
						dg_csvw_empty(&hw);
					dg_fc_flags_format(wf | (have_model ? m.flags & (DG_FC_Q_SHORT | DG_FC_Q_RANKDEF | DG_FC_Q_POOLED) : 0),
					    q, sizeof(q));
					dg_csvw_str(&hw, q);
					if ((st = dg_csvw_end_row(&hw)) != DG_OK)
						break;
				}
			}
		}
		if (st != DG_OK)
			break;
		dg_cli_warn("site %s: %ld fits; hours scored %ld; left out: %ld without actual, "
		    "%ld without model, %ld without weather, %ld without naive forecast",
		    s.site, nfits, sc[M_MODEL].n, noactual, nofit, nowx, nonaive);
		for (int k = 0; k < NMETHOD && st == DG_OK; k++) {
			struct dg_fc_measures mm;

			dg_fc_score_measures(&sc[k], &mm);
			dg_csvw_str(&w, method_name[k]);
			dg_csvw_str(&w, s.site);
			write_measures(&w, &mm);
			st = dg_csvw_end_row(&w);
		}
	}
	st = series_error(sr, st, &err);
	if (st == DG_EOF)
		st = DG_OK;
done:
	if (st != DG_OK && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	if (hout != NULL) {
		if (st == DG_OK) {
			int hs = dg_out_commit(hout, &err);

			if (hs != DG_OK && hs != DG_EPIPE)
				st = hs;
		} else
			dg_out_abort(hout);
	}
	st = dg_cli_finish(out, st, &err);
	if (sr)
		dg_series_close(sr);
	dg_series_release(&s);
	dg_fc_model_release(&m);
	dg_fc_work_free(work);
	env_release(&e);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	dg_cli_init(&o.cli, "dg-forecast");
	dg_fc_params_init(&o.fp);
	o.nerc = 1;
	o.days = 1;
	o.lead = 2;
	o.refit = 1;
	parse(&o, argc, argv);
	switch (o.cmd) {
	case CMD_FIT:		return run_fit(&o);
	case CMD_PREDICT:	return run_predict(&o);
	case CMD_SCORE:		return run_score(&o);
	case CMD_BACKTEST:	return run_backtest(&o);
	}
	return DG_EX_SOFTWARE;
}
