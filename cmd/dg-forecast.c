/* dg-forecast: per-site hourly load forecast: fit, predict, score,
 * backtest. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_forecast.h"
#include "dg_util.h"
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
	DG_CLI_SERIES_LONGOPTS,
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
"                   [reading options]\n"
DG_CLI_SERIES_USAGE
DG_CLI_USAGE);
	exit(status);
}

enum cmd { CMD_FIT, CMD_PREDICT, CMD_SCORE, CMD_BACKTEST };

struct opts {
	enum cmd cmd;
	struct dg_cli cli;
	struct dg_fc_params fp;
	const char *sites, *weather, *model, *actual, *hourly, *holidays;
	const char *actual_col, *forecast_col, *load_col;
	struct dg_series_opts so;	/* the load input's reading options */
	int nerc;
	dg_date asof, date, from, to;
	int have_asof, have_date, have_from, have_to;
	int days, lead, refit;
	const char *input;
};

/* --- options ----------------------------------------------------------- */

static enum cmd
parse_sub(const char *sub)
{
	static const char *const subs[] = {
		"fit", "predict", "score", "backtest", NULL
	};

	for (int k = 0; subs[k] != NULL; k++)
		if (strcmp(sub, subs[k]) == 0)
			return (enum cmd)k;
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
		usage(stdout, 0);
	if (strcmp(sub, "--version") == 0)
		dg_cli_version();
	dg_cli_warn("unknown subcommand \"%s\": fit, predict, score or backtest",
	    sub);
	usage(stderr, DG_EX_USAGE);
	return CMD_FIT;
}

/* --cp-range LO,HI,STEP in degrees F. */
static void
cp_range_arg(struct dg_fc_params *fp, const char *arg)
{
	char buf[128], *a, *b;

	if (strlen(arg) >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, strlen(arg) + 1);
	a = strchr(buf, ',');
	b = a ? strchr(a + 1, ',') : NULL;
	if (a == NULL || b == NULL)
		goto bad;
	*a++ = '\0';
	*b++ = '\0';
	if (dg_parse_double(buf, &fp->cp_lo_f) != DG_OK ||
	    dg_parse_double(a, &fp->cp_hi_f) != DG_OK ||
	    dg_parse_double(b, &fp->cp_step_f) != DG_OK ||
	    !(fp->cp_step_f >= 0.1) || !(fp->cp_lo_f <= fp->cp_hi_f) ||
	    fp->cp_lo_f < -100 || fp->cp_hi_f > 200) {
		dg_cli_warn("--cp-range: LO,HI,STEP in degrees F, LO <= HI, STEP >= 0.1: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	return;
bad:
	dg_cli_warn("--cp-range: LO,HI,STEP in degrees F: \"%s\"", arg);
	usage(stderr, DG_EX_USAGE);
}

/* Files, columns and switches: 1 when c is one of them. */
static int
name_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_SITES:		o->sites = arg; break;
	case OPT_WEATHER:	o->weather = arg; break;
	case OPT_MODEL:		o->model = arg; break;
	case OPT_ACTUAL:	o->actual = arg; break;
	case OPT_HOURLY:	o->hourly = arg; break;
	case OPT_HOLIDAYS:	o->holidays = arg; break;
	case OPT_ACTUAL_COL:	o->actual_col = arg; break;
	case OPT_FORECAST_COL:	o->forecast_col = arg; break;
	case OPT_LOAD_COL:	/* --column's old name */
		o->load_col = arg;
		break;
	case OPT_NO_NERC:	o->nerc = 0; break;
	case OPT_NO_CP:		o->fp.changepoint = 0; break;
	case OPT_ROBUST:	o->fp.robust = 1; break;
	default:		return 0;
	}
	return 1;
}

/* Dates of the subcommands. */
static int
date_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_ASOF:
		o->asof = dg_cli_date_arg("--asof", arg, usage);
		o->have_asof = 1;
		break;
	case OPT_DATE:
		o->date = dg_cli_date_arg("--date", arg, usage);
		o->have_date = 1;
		break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		o->have_from = 1;
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		o->have_to = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

/* Numbers and keywords. */
static void
value_option(struct opts *o, int c, const char *arg)
{
	static const char *const regs[] = { "temp", "temp+rh", "thi", NULL };
	static const char *const weekends[] = { "one", "hourly", NULL };
	struct dg_fc_params *fp = &o->fp;

	switch (c) {
	case OPT_DAYS:
		o->days = dg_cli_int_arg("--days", arg, 1, 366, usage);
		break;
	case OPT_LEAD:
		o->lead = dg_cli_int_arg("--lead-days", arg, 1, 7, usage);
		break;
	case OPT_REFIT:
		o->refit = dg_cli_int_arg("--refit-days", arg, 1, 366, usage);
		break;
	case OPT_WINDOW:
		fp->window_days = dg_cli_int_arg("--window-days", arg, 1, 3660,
		    usage);
		break;
	case OPT_REGRESSORS:
		fp->regs = (enum dg_fc_regs)dg_cli_keyword_arg("--regressors",
		    arg, regs, usage);
		break;
	case OPT_WEEKEND:
		fp->weekend_hourly = dg_cli_keyword_arg("--weekend", arg,
		    weekends, usage);
		break;
	case OPT_HALFLIFE:
		fp->halflife_days = dg_cli_double_arg("--halflife-days", arg, 0,
		    3660, usage);
		break;
	case OPT_CP_RANGE:
		cp_range_arg(fp, arg);
		break;
	case OPT_CP_MIN_GAIN:
		fp->cp_min_gain = dg_cli_double_arg("--cp-min-gain", arg, 0, 1,
		    usage);
		break;
	case OPT_MIN_DOF:
		fp->min_dof = dg_cli_int_arg("--min-dof", arg, 1, 1000, usage);
		break;
	case OPT_ZERO_RUN:
		fp->zero_run_h = dg_cli_int_arg("--zero-run-hours", arg, 0,
		    100000, usage);
		break;
	case OPT_CLAMP:
		fp->clamp_margin = strcmp(arg, "none") == 0 ? -1 :
		    dg_cli_double_arg("--clamp-margin", arg, 0, 100, usage);
		break;
	case OPT_MAX_GAP:
		fp->max_gap_h = dg_cli_int_arg("--max-gap-hours", arg, 0, 48,
		    usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
opts_init(struct opts *o)
{
	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-forecast");
	dg_fc_params_init(&o->fp);
	o->nerc = 1;
	o->days = 1;
	o->lead = 2;
	o->refit = 1;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	if (argc < 2)
		usage(stderr, DG_EX_USAGE);
	o->cmd = parse_sub(argv[1]);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage) &&
		    !dg_cli_series_option(&o->so, c, optarg, usage) &&
		    !name_option(o, c, optarg) && !date_option(o, c, optarg))
			value_option(o, c, optarg);
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

/* bsearch: a station's name against a station. */
static int
cmp_station_name(const void *key, const void *b)
{
	return strcmp(key, ((const struct station *)b)->name);
}

static struct station *
find_station(struct env *e, const char *name)
{
	return bsearch(name, e->st, e->nst, sizeof(*e->st), cmp_station_name);
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
	if ((st = dg_weather_read(&w, o->weather, &wo, &o->cli.csv,
	    err)) != DG_OK)
		return st;
	if ((e->st = calloc(w.n + 1, sizeof(*e->st))) == NULL)
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; st == DG_OK && i < w.n; i++) {
		struct dg_weather_station *ws = &w.v[i];

		e->st[i].name = ws->name;
		ws->name = NULL;
		st = dg_fc_weather_init(&e->st[i].wx, ws->temp, ws->ntemp,
		    need_rh ? ws->rh : NULL, need_rh ? ws->nrh : 0,
		    o->fp.max_gap_h, err);
		e->nst = i + 1;
		if (st != DG_OK && err->file[0] == '\0')
			snprintf(err->file, sizeof(err->file), "%s",
			    o->weather);
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
	if (o->holidays != NULL && (st = dg_holidays_read(&e->hol,
	    o->holidays, &o->cli.csv, err)) != DG_OK)
		return st;
	if ((st = dg_sites_read(&e->sites, o->sites, &o->cli.csv,
	    err)) != DG_OK)
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
			*st = dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "%s (--strict)", buf);
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

static const char *
load_col(const struct opts *o)
{
	return o->load_col ? o->load_col : o->so.value_col ? o->so.value_col :
	    "load_kw";
}

/* The load history through the reading contract (dgagg(7)): its unit from
 * the column's name, holes left out, any row order. */
static int
open_load(struct dg_series_reader **sr, const struct opts *o,
    struct dg_error *err)
{
	struct dg_series_opts so = o->so;

	so.value_col = load_col(o);
	so.hourly = 1;
	so.load = 1;
	return dg_series_open(sr, o->input, &so, &o->cli.csv, err);
}

/* A load beyond what a model can hold: refused at its row. */
static int
check_loads(struct dg_series_reader *sr, const struct dg_series *s,
    const char *col, struct dg_error *err)
{
	long i = dg_fc_loads_check(s->p, s->n);

	if (i < 0)
		return DG_OK;
	return dg_error_set(err, DG_ERANGE, dg_csv_name(dg_series_csv(sr)),
	    s->p[i].line, col, "site %s: %.15g kW is beyond %g kW", s->site,
	    s->p[i].v, DG_FC_MAX_KW);
}

/* An error of the fit without a file: it is the load input's. */
static void
name_input(struct dg_series_reader *sr, struct dg_error *err)
{
	if (err->status != DG_OK && err->file[0] == '\0')
		snprintf(err->file, sizeof(err->file), "%s",
		    dg_csv_name(dg_series_csv(sr)));
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
	if ((st = dg_csvw_header(&w, dg_fc_model_columns,
	    dg_fc_model_ncolumns)) != DG_OK)
		goto done;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		struct station *ws = site_station(&e, s.site, o->input, &err);

		if (ws == NULL) {
			st = err.status;
			break;
		}
		if (s.incomplete > 0)
			dg_cli_warn("site %s: %ld incomplete hours left out",
			    s.site, s.incomplete);
		if ((st = check_loads(sr, &s, load_col(o), &err)) != DG_OK)
			break;
		st = dg_fc_fit(&m, s.site, s.p, s.n, &ws->wx, o->asof, &e.hol,
		    &o->fp, work, &err);
		if (st == DG_ERANGE)
			name_input(sr, &err);
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
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "date start");
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
				return dg_error_set(err, DG_EDATA, NULL, 0,
				    NULL, "site %s: %s: no weather (--strict)",
				    m->site, ts);
			}
			dg_csvw_empty(w);
		} else {
			if (f & DG_FC_Q_INTERP)
				ps->interp++;
			dg_csvw_double(w, dg_fc_eq_eval(e, temp, rh), 1);
		}
		dg_fc_flags_format(f | (e->flags & (DG_FC_Q_SHORT |
		    DG_FC_Q_RANKDEF | DG_FC_Q_POOLED)), q, sizeof(q));
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
	static const char *const header[] = {
		"site", "time", "load_kw", "quality"
	};

	need(o->model, "--model");
	need(o->sites, "--sites");
	need(o->weather, "--weather");
	if (!o->have_date)
		need(NULL, "--date");
	dg_error_clear(&err);
	memset(&ps, 0, sizeof(ps));
	memset(&e, 0, sizeof(e));
	out = dg_cli_open_output(&o->cli, &w);
	if ((st = dg_fc_models_read(&ms, &nm, o->model, &o->cli.csv,
	    &err)) != DG_OK)
		goto done;
	for (size_t i = 0; i < nm; i++)
		if (ms[i].regs != DG_FC_TEMP)
			o->fp.regs = ms[i].regs;	/* read rh_pct */
	if ((st = env_load(&e, o, &err)) != DG_OK)
		goto done;
	if ((st = dg_csvw_header(&w, header, 4)) != DG_OK)
		goto done;
	for (size_t i = 0; i < nm && st == DG_OK; i++) {
		struct station *ws = site_station(&e, ms[i].site, o->model,
		    &err);

		if (ws == NULL) {
			st = err.status;
			break;
		}
		for (int k = 0; k < o->days && st == DG_OK; k++)
			st = predict_day(&w, &ms[i], &ws->wx, o->date + k,
			    &e.hol, o->cli.strict, &ps, &err);
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
	long line;		/* its first row */
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
	long noactual, noforecast, incomplete;
};

static struct acc *
acc_get(struct scoreset *ss, const char *site, long line)
{
	for (size_t i = ss->n; i-- > 0;)
		if (strcmp(ss->v[i].site, site) == 0)
			return &ss->v[i];
	if (dg_grow(&ss->v, &ss->cap, ss->n + 1, sizeof(*ss->v)) != 0 ||
	    (ss->v[ss->n].site = strdup(site)) == NULL)
		return NULL;
	ss->v[ss->n].line = line;
	dg_fc_score_init(&ss->v[ss->n].s);
	return &ss->v[ss->n++];
}

static int
tot_add(struct scoreset *ss, dg_time t, double a, double f)
{
	if (dg_grow(&ss->tot, &ss->totcap, ss->ntot + 1, sizeof(*ss->tot)) != 0)
		return -1;
	ss->tot[ss->ntot].t = t;
	ss->tot[ss->ntot].a = a;
	ss->tot[ss->ntot].f = f;
	ss->ntot++;
	return 0;
}

static void
scoreset_release(struct scoreset *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		free(ss->v[i].site);
	free(ss->v);
	free(ss->tot);
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
	const struct acc *x = a, *y = b;

	return strcmp(x->site, y->site);
}

/* The measures of a row, written after every one is known to fit its
 * column; one that does not (% of actual loads near zero) is an error at
 * the first row of what was scored. */
static int
write_measures(struct dg_csvw *w, const struct dg_fc_measures *m,
    const char *what, const char *file, long line, struct dg_error *err)
{
	const struct {
		double x;
		int scale, have;
		const char *name;
	} f[] = {
		{ m->avg_actual_kw, 2, 1, "actual_avg_kw" },
		{ m->avg_forecast_kw, 2, 1, "forecast_avg_kw" },
		{ m->mae_kw, 2, 1, "mae_kw" },
		{ m->max_abs_err_kw, 2, 1, "max_abs_err_kw" },
		{ m->mae_pct, 2, m->have_pct, "mae_pct" },
		{ m->max_abs_err_pct, 2, m->have_pct, "max_abs_err_pct" },
		{ m->bias_kw, 2, 1, "bias_kw" },
		{ m->bias_pct, 2, m->have_pct, "bias_pct" },
		{ m->cv_rmse_pct, 2, m->have_cv, "cv_rmse_pct" },
		{ m->nmbe_pct, 2, m->have_cv, "nmbe_pct" }
	};
	dg_dec d[10];

	for (int k = 0; k < 10; k++)
		if (f[k].have &&
		    dg_dec_from_double(f[k].x, f[k].scale, &d[k]) != DG_OK)
			return dg_error_set(err, DG_ERANGE, file, line, NULL,
			    "%s: %s is out of range (%.6g; actual loads near zero?)",
			    what, f[k].name, f[k].x);
	dg_csvw_int(w, m->n);
	for (int k = 0; k < 10; k++)
		if (f[k].have)
			dg_csvw_dec(w, d[k], -1);
		else
			dg_csvw_empty(w);
	return DG_OK;
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

struct actuals {
	struct actual *v;
	size_t n, cap;
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

/* bsearch: a (site, time) key against an actual. */
struct actual_key {
	const char *site;
	dg_time t;
};

static int
cmp_actual_key(const void *a, const void *b)
{
	const struct actual_key *x = a;
	const struct actual *y = b;
	int c = strcmp(x->site, y->site);

	if (c != 0)
		return c;
	return x->t < y->t ? -1 : x->t > y->t;
}

static void
actuals_release(struct actuals *av)
{
	for (size_t i = 0; i < av->n; i++)
		if (i == 0 || av->v[i].owner != av->v[i - 1].owner)
			free(av->v[i].owner);
	free(av->v);
}

/* One site's actual hours; the first holds the site's name. */
static int
add_actuals(struct actuals *av, const struct dg_series *s)
{
	char *site;

	if (dg_grow(&av->v, &av->cap, av->n + s->n, sizeof(*av->v)) != 0 ||
	    (site = strdup(s->site)) == NULL)
		return DG_ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		struct actual *a = &av->v[av->n++];

		a->site = i == 0 ? site : NULL;	/* owner: the first */
		a->owner = site;
		a->t = s->p[i].t;
		a->v = s->p[i].v;
	}
	if (s->n == 0)
		free(site);
	return DG_OK;
}

/* Reads the actual loads through dg_series: rows of a site together,
 * sub-hourly readings integrated to hourly means (complete hours only). */
static int
read_actual(const struct opts *o, struct actuals *av, long *incomplete,
    struct dg_error *err)
{
	struct dg_series_reader *sr;
	struct dg_series_opts so;
	struct dg_series s;
	int st;

	memset(&so, 0, sizeof(so));
	memset(&s, 0, sizeof(s));
	so.value_col = o->actual_col ? o->actual_col : "load_kw";
	so.hourly = 1;
	so.load = 1;
	if ((st = dg_series_open(&sr, o->actual, &so, &o->cli.csv,
	    err)) != DG_OK)
		return st;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		*incomplete += s.incomplete;
		if ((st = check_loads(sr, &s, so.value_col, err)) != DG_OK)
			break;
		if ((st = add_actuals(av, &s)) != DG_OK) {
			dg_error_set(err, st, NULL, 0, NULL, "out of memory");
			break;
		}
	}
	st = series_error(sr, st, err);
	if (st == DG_EOF)
		st = DG_OK;
	dg_series_close(sr);
	dg_series_release(&s);
	for (size_t i = 0; i < av->n; i++)
		av->v[i].site = av->v[i].owner;
	if (av->n > 1)
		qsort(av->v, av->n, sizeof(*av->v), cmp_actual);
	return st;
}

/* The columns of the scored file: site, time, the forecast and (without
 * --actual) the actual. */
struct score_cols {
	int site, time, actual, forecast;
	const char *fcol, *acol;
};

/* A load of the scored file, within DG_FC_MAX_KW. */
static int
get_load(struct dg_csv *r, int c, double *v)
{
	int st;

	if ((st = dg_csv_get_double(r, c, v)) != DG_OK)
		return st;
	if (!(fabs(*v) <= DG_FC_MAX_KW))
		return dg_csv_fail(r, c, DG_ERANGE, "beyond %g kW: \"%s\"",
		    DG_FC_MAX_KW, dg_csv_field(r, c, NULL));
	return DG_OK;
}

/* One row of the scored file into the site's score and the hour's total;
 * an hour without a forecast or an actual is counted and left out. */
static int
score_row(struct dg_csv *r, const struct score_cols *c,
    const struct actuals *av, struct scoreset *ss)
{
	const char *site = dg_csv_field(r, c->site, NULL);
	struct dg_tstamp ts;
	struct acc *acc;
	double a, f;
	int st;

	if (site[0] == '\0')
		return dg_csv_fail(r, c->site, DG_EDATA, "empty site");
	if ((st = dg_csv_get_time(r, c->time, &ts)) != DG_OK)
		return st;
	if (dg_csv_is_empty(r, c->forecast)) {
		ss->noforecast++;
		return DG_OK;
	}
	if ((st = get_load(r, c->forecast, &f)) != DG_OK)
		return st;
	if (av->v != NULL) {
		struct actual_key key = { site, ts.t };
		const struct actual *hit;

		if ((hit = bsearch(&key, av->v, av->n, sizeof(*av->v),
		    cmp_actual_key)) == NULL) {
			ss->noactual++;
			return DG_OK;
		}
		a = hit->v;
	} else if (dg_csv_is_empty(r, c->actual)) {
		ss->noactual++;
		return DG_OK;
	} else if ((st = get_load(r, c->actual, &a)) != DG_OK)
		return st;
	if ((acc = acc_get(ss, site, dg_csv_line(r))) == NULL ||
	    tot_add(ss, ts.t, a, f) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	dg_fc_score_add(&acc->s, a, f);
	return DG_OK;
}

static int
open_scored(struct dg_csv **r, const struct opts *o, struct score_cols *c,
    struct dg_error *err)
{
	int st;

	c->actual = -1;
	if (o->actual != NULL) {
		c->fcol = o->forecast_col ? o->forecast_col : "load_kw";
		c->acol = NULL;
	} else {
		c->fcol = o->forecast_col ? o->forecast_col : "forecast_kw";
		c->acol = o->actual_col ? o->actual_col : "actual_kw";
	}
	if ((st = dg_csv_open(r, o->input, &o->cli.csv, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(*r, "site", &c->site)) != DG_OK ||
	    (st = dg_csv_require(*r, "time", &c->time)) != DG_OK ||
	    (c->acol != NULL &&
	    (st = dg_csv_require(*r, c->acol, &c->actual)) != DG_OK) ||
	    (st = dg_csv_require(*r, c->fcol, &c->forecast)) != DG_OK)
		return st;
	return DG_OK;
}

/* Hours left out: a warning, or with --strict an error. */
static int
score_left_out(const struct scoreset *ss, const struct opts *o,
    const char *name, struct dg_error *err)
{
	char msg[256];

	if (ss->noactual + ss->noforecast + ss->incomplete == 0)
		return DG_OK;
	snprintf(msg, sizeof(msg),
	    "left out: %ld hours without actual, %ld without forecast",
	    ss->noactual, ss->noforecast);
	if (ss->incomplete > 0)
		snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		    "; %ld incomplete actual hours", ss->incomplete);
	if (o->cli.strict)
		return dg_error_set(err, DG_EDATA, name, 0, NULL,
		    "%s (--strict)", msg);
	dg_cli_warn("%s", msg);
	return DG_OK;
}

/* The portfolio: per hour, the sums over the sites scored. */
static void
score_total(struct scoreset *ss, struct dg_fc_measures *m)
{
	struct dg_fc_score tot;

	dg_fc_score_init(&tot);
	qsort(ss->tot, ss->ntot, sizeof(*ss->tot), cmp_tot);
	for (size_t i = 0; i < ss->ntot;) {
		double a = 0, f = 0;
		size_t j = i;

		for (; j < ss->ntot && ss->tot[j].t == ss->tot[i].t; j++) {
			a += ss->tot[j].a;
			f += ss->tot[j].f;
		}
		dg_fc_score_add(&tot, a, f);
		i = j;
	}
	dg_fc_score_measures(&tot, m);
}

static int
write_scores(struct dg_csvw *w, struct scoreset *ss, const char *name,
    struct dg_error *err)
{
	struct dg_fc_measures m;
	char what[128];
	int st;

	if ((st = dg_csvw_header(w, score_header, 12)) != DG_OK)
		return st;
	if (ss->n > 1)
		qsort(ss->v, ss->n, sizeof(*ss->v), cmp_acc);
	for (size_t i = 0; i < ss->n; i++) {
		dg_fc_score_measures(&ss->v[i].s, &m);
		snprintf(what, sizeof(what), "site %s", ss->v[i].site);
		dg_csvw_str(w, ss->v[i].site);
		if ((st = write_measures(w, &m, what, name, ss->v[i].line,
		    err)) != DG_OK || (st = dg_csvw_end_row(w)) != DG_OK)
			return st;
	}
	if (ss->n <= 1)
		return DG_OK;
	score_total(ss, &m);
	dg_csvw_str(w, "(total)");
	if ((st = write_measures(w, &m, "(total)", name, 0, err)) != DG_OK)
		return st;
	return dg_csvw_end_row(w);
}

static int
run_score(struct opts *o)
{
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct scoreset ss;
	struct actuals av;
	struct score_cols c;
	int st;

	dg_error_clear(&err);
	memset(&ss, 0, sizeof(ss));
	memset(&av, 0, sizeof(av));
	out = dg_cli_open_output(&o->cli, &w);
	if ((o->actual == NULL ||
	    (st = read_actual(o, &av, &ss.incomplete, &err)) == DG_OK) &&
	    (st = open_scored(&r, o, &c, &err)) == DG_OK) {
		while ((st = dg_csv_next(r)) == DG_OK &&
		    (st = score_row(r, &c, &av, &ss)) == DG_OK)
			;
		if (st == DG_EOF &&
		    (st = score_left_out(&ss, o, dg_csv_name(r),
		    &err)) == DG_OK)
			st = write_scores(&w, &ss, dg_csv_name(r), &err);
	}
	if (st != DG_OK && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	st = dg_cli_finish(out, st, &err);
	dg_csv_close(r);
	scoreset_release(&ss);
	actuals_release(&av);
	return st;
}

/* --- backtest ------------------------------------------------------------- */

enum { M_MODEL, M_HIGHAVG, M_LASTWEEK, NMETHOD };
static const char *const method_name[NMETHOD] = {
	"regression", "naive-5-of-10", "same-hour-last-week"
};

/* One site's backtest: the model refitted as it goes, the scores of each
 * method, the hours left out. */
struct bt {
	const struct opts *o;
	struct env *e;
	struct dg_fc_work *work;
	struct dg_fc_model m;
	struct dg_csvw *hw;		/* --hourly, or NULL */
	const struct dg_series *s;
	const struct station *ws;
	struct dg_fc_score sc[NMETHOD];
	long nofit, nowx, nonaive, noactual, nfits;
	int have_model;
};

/* The forecasts of one hour by each method. */
struct bt_hour {
	dg_time t;
	double a, f, hi, lw;
	int have_a, have_f, have_hi, have_lw;
	unsigned wf;		/* the weather's flag */
};

static void
bt_forecast(struct bt *b, dg_time t, const double *hi, int have_hi,
    struct bt_hour *x)
{
	const struct dg_series *s = b->s;
	struct dg_local lt, lw;
	double temp, rh;
	dg_time tw;

	memset(x, 0, sizeof(*x));
	x->t = t;
	x->have_a = dg_fc_value_at(s->p, s->n, t, &x->a) == 0;
	dg_time_local(t, &lt);
	if (b->have_model) {
		const struct dg_fc_eq *eq = dg_fc_model_eq(&b->m, t,
		    &b->e->hol);

		x->wf = dg_fc_weather_at(&b->ws->wx, t, &temp, &rh);
		if (eq != NULL && !(x->wf & DG_FC_Q_NOWX)) {
			x->f = dg_fc_eq_eval(eq, temp, rh);
			x->have_f = 1;
		}
	}
	x->have_hi = have_hi;
	x->hi = have_hi ? hi[lt.hour] : 0;
	dg_time_local(t - 7 * 86400, &lw);
	if (dg_time_from_local(lw.year, lw.mon, lw.mday, lt.hour, 0, 0,
	    &tw) == DG_OK &&
	    dg_fc_value_at(s->p, s->n, tw, &x->lw) == 0)
		x->have_lw = 1;
}

static void
bt_score(struct bt *b, const struct bt_hour *x)
{
	if (!x->have_a)
		b->noactual++;
	else if (!b->have_model)
		b->nofit++;
	else if (!x->have_f)
		b->nowx++;
	else if (!x->have_hi || !x->have_lw)
		b->nonaive++;
	else {
		dg_fc_score_add(&b->sc[M_MODEL], x->a, x->f);
		dg_fc_score_add(&b->sc[M_HIGHAVG], x->a, x->hi);
		dg_fc_score_add(&b->sc[M_LASTWEEK], x->a, x->lw);
	}
}

static void
put_opt(struct dg_csvw *w, int have, double v)
{
	if (have)
		dg_csvw_double(w, v, 3);
	else
		dg_csvw_empty(w);
}

static int
bt_write_hour(struct bt *b, const struct bt_hour *x)
{
	const unsigned fit_flags = DG_FC_Q_SHORT | DG_FC_Q_RANKDEF |
	    DG_FC_Q_POOLED;
	char q[128];

	dg_csvw_str(b->hw, b->s->site);
	dg_csvw_time(b->hw, x->t);
	put_opt(b->hw, x->have_a, x->a);
	put_opt(b->hw, x->have_f, x->f);
	put_opt(b->hw, x->have_hi, x->hi);
	put_opt(b->hw, x->have_lw, x->lw);
	dg_fc_flags_format(x->wf | (b->have_model ? b->m.flags & fit_flags : 0),
	    q, sizeof(q));
	dg_csvw_str(b->hw, q);
	return dg_csvw_end_row(b->hw);
}

/* Refits on the days of --refit-days, as of --lead-days before the day;
 * a window with no usable hour leaves the site without a model. */
static int
bt_refit(struct bt *b, dg_date d, struct dg_error *err)
{
	const struct opts *o = b->o;
	int st;

	if ((d - o->from) % o->refit != 0)
		return DG_OK;
	st = dg_fc_fit(&b->m, b->s->site, b->s->p, b->s->n, &b->ws->wx,
	    d - o->lead, &b->e->hol, &o->fp, b->work, err);
	if (st == DG_EDATA) {
		dg_error_clear(err);
		b->have_model = 0;
		return DG_OK;
	}
	if (st != DG_OK)
		return st;
	b->have_model = 1;
	b->nfits++;
	return DG_OK;
}

static int
bt_day(struct bt *b, dg_date d, struct dg_error *err)
{
	const struct opts *o = b->o;
	int nh = dg_date_hours(d), st, have_hi;
	double hi[24];
	dg_time t0;

	if ((st = bt_refit(b, d, err)) != DG_OK)
		return st;
	have_hi = dg_fc_naive_highavg(b->s->p, b->s->n, d, d - o->lead, 10, 5,
	    70, 20, &b->e->hol, hi) == 0;
	dg_date_start(d, &t0);
	for (int k = 0; k < nh; k++) {
		struct bt_hour x;

		bt_forecast(b, t0 + 3600 * (dg_time)k, hi, have_hi, &x);
		bt_score(b, &x);
		if (b->hw != NULL && (st = bt_write_hour(b, &x)) != DG_OK)
			return st;
	}
	return DG_OK;
}

static int
bt_site(struct bt *b, struct dg_csvw *w, const char *name,
    struct dg_error *err)
{
	const struct opts *o = b->o;
	char what[128];
	int st = DG_OK;

	for (int k = 0; k < NMETHOD; k++)
		dg_fc_score_init(&b->sc[k]);
	b->nofit = b->nowx = b->nonaive = b->noactual = b->nfits = 0;
	b->have_model = 0;
	for (dg_date d = o->from; d <= o->to && st == DG_OK; d++)
		st = bt_day(b, d, err);
	if (st == DG_ERANGE && err->file[0] == '\0')
		snprintf(err->file, sizeof(err->file), "%s", name);
	if (st != DG_OK)
		return st;
	dg_cli_warn("site %s: %ld fits; hours scored %ld; left out: %ld without actual, "
	    "%ld without model, %ld without weather, %ld without naive forecast",
	    b->s->site, b->nfits, b->sc[M_MODEL].n, b->noactual, b->nofit,
	    b->nowx, b->nonaive);
	snprintf(what, sizeof(what), "site %s", b->s->site);
	for (int k = 0; k < NMETHOD && st == DG_OK; k++) {
		struct dg_fc_measures mm;

		dg_fc_score_measures(&b->sc[k], &mm);
		dg_csvw_str(w, method_name[k]);
		dg_csvw_str(w, b->s->site);
		if ((st = write_measures(w, &mm, what, name,
		    b->s->n > 0 ? b->s->p[0].line : 0, err)) == DG_OK)
			st = dg_csvw_end_row(w);
	}
	return st;
}

static void
need_backtest(const struct opts *o)
{
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
}

/* Every site of the load file, backtested. */
static int
bt_sites(struct bt *b, struct dg_series_reader *sr, struct dg_csvw *w,
    struct dg_error *err)
{
	static const char *header[13];
	struct dg_series s;
	int st;

	header[0] = "method";
	for (int i = 0; i < 12; i++)
		header[i + 1] = score_header[i];
	if ((st = dg_csvw_header(w, header, 13)) != DG_OK)
		return st;
	memset(&s, 0, sizeof(s));
	b->s = &s;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		b->ws = site_station(b->e, s.site, b->o->input, err);
		if (b->ws == NULL)
			st = err->status;
		else if ((st = check_loads(sr, &s, load_col(b->o),
		    err)) == DG_OK)
			st = bt_site(b, w, dg_csv_name(dg_series_csv(sr)), err);
		if (st != DG_OK)
			break;
	}
	st = series_error(sr, st, err);
	dg_series_release(&s);
	return st == DG_EOF ? DG_OK : st;
}

static int
run_backtest(struct opts *o)
{
	static const char *const hheader[] = {
		"site", "time", "actual_kw", "forecast_kw", "naive_5_of_10_kw",
		"last_week_kw", "quality"
	};
	struct env e;
	struct dg_error err;
	struct dg_csvw w, hw;
	struct dg_out *out[2] = { NULL, NULL };
	struct dg_series_reader *sr = NULL;
	struct bt b;
	int st;

	need_backtest(o);
	dg_error_clear(&err);
	memset(&b, 0, sizeof(b));
	memset(&e, 0, sizeof(e));
	b.o = o;
	b.e = &e;
	dg_fc_model_init(&b.m);
	if ((b.work = dg_fc_work_alloc()) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	out[0] = dg_cli_open_output(&o->cli, &w);
	if (o->hourly != NULL) {
		out[1] = dg_cli_open_more(&o->cli, o->hourly, &hw);
		b.hw = &hw;
	}
	if ((b.hw == NULL || (st = dg_csvw_header(&hw, hheader, 7)) == DG_OK) &&
	    (st = env_load(&e, o, &err)) == DG_OK &&
	    (st = open_load(&sr, o, &err)) == DG_OK)
		st = bt_sites(&b, sr, &w, &err);
	if (st != DG_OK && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	st = dg_cli_finish_all(out, 2, st, &err);
	if (sr)
		dg_series_close(sr);
	dg_fc_model_release(&b.m);
	dg_fc_work_free(b.work);
	env_release(&e);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	opts_init(&o);
	parse(&o, argc, argv);
	switch (o.cmd) {
	case CMD_FIT:		return run_fit(&o);
	case CMD_PREDICT:	return run_predict(&o);
	case CMD_SCORE:		return run_score(&o);
	case CMD_BACKTEST:	return run_backtest(&o);
	}
	return DG_EX_SOFTWARE;
}
