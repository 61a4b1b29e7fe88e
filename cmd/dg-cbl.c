/* dg-cbl: customer baseline load and curtailment per site, event and hour. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_cbl.h"
#include "dg_series.h"
#include "dg_util.h"

enum {
	OPT_EVENTS = DG_OPT_FIRST_OWN,
	OPT_METHOD,
	OPT_ADJUST,
	OPT_WINDOW,
	OPT_BASIS,
	OPT_MIN_DAYS,
	OPT_WEEKEND_WINDOW,
	OPT_WEEKEND_BASIS,
	OPT_WEEKEND_MIN_DAYS,
	OPT_LOOKBACK,
	OPT_OFFSET,
	OPT_DADRP_OFFSET,
	OPT_LOW_USAGE,
	OPT_LOW_USAGE_FRAC,
	OPT_WEEKEND_EXCLUDE,
	OPT_FILL_EVENTS,
	OPT_ADJ_HOURS,
	OPT_ADJ_BASIS,
	OPT_ADJ_CAP,
	OPT_HOLIDAYS,
	OPT_NO_NERC,
	OPT_GEN,
	OPT_SITES,
	OPT_EXPLAIN,
	OPT_SUM,
	OPT_HOLIDAY_EVENT,
	OPT_TIES,
	OPT_MAX_SPAN,
	OPT_FROM,
	OPT_TO,
	OPT_MANIFEST,
	OPT_ALL_HOURS
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	DG_CLI_SERIES_LONGOPTS,
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "adjust", required_argument, NULL, OPT_ADJUST },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "basis", required_argument, NULL, OPT_BASIS },
	{ "min-days", required_argument, NULL, OPT_MIN_DAYS },
	{ "weekend-window", required_argument, NULL, OPT_WEEKEND_WINDOW },
	{ "weekend-basis", required_argument, NULL, OPT_WEEKEND_BASIS },
	{ "weekend-min-days", required_argument, NULL, OPT_WEEKEND_MIN_DAYS },
	{ "lookback", required_argument, NULL, OPT_LOOKBACK },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "dadrp-offset", required_argument, NULL, OPT_DADRP_OFFSET },
	{ "low-usage", required_argument, NULL, OPT_LOW_USAGE },
	{ "low-usage-frac", required_argument, NULL, OPT_LOW_USAGE_FRAC },
	{ "weekend-exclude", required_argument, NULL, OPT_WEEKEND_EXCLUDE },
	{ "fill-events", required_argument, NULL, OPT_FILL_EVENTS },
	{ "adj-hours", required_argument, NULL, OPT_ADJ_HOURS },
	{ "adj-basis", required_argument, NULL, OPT_ADJ_BASIS },
	{ "adj-cap", required_argument, NULL, OPT_ADJ_CAP },
	{ "holidays", required_argument, NULL, OPT_HOLIDAYS },
	{ "no-nerc-holidays", no_argument, NULL, OPT_NO_NERC },
	{ "gen", required_argument, NULL, OPT_GEN },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "sum", no_argument, NULL, OPT_SUM },
	{ "holiday-event", required_argument, NULL, OPT_HOLIDAY_EVENT },
	{ "ties", required_argument, NULL, OPT_TIES },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ "all-hours", no_argument, NULL, OPT_ALL_HOURS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-cbl --events FILE [--from DATE] [--to DATE]\n"
"              [--method nyiso|pjm|caiso]\n"
"              [--adjust none|mult|add] [--adj-hours START,LEN]\n"
"              [--adj-basis basis|window] [--adj-cap LO:HI|none]\n"
"              [--window N] [--basis N] [--min-days N]\n"
"              [--weekend-window N] [--weekend-basis N]\n"
"              [--weekend-min-days N] [--lookback DAYS] [--offset DAYS]\n"
"              [--dadrp-offset DAYS] [--low-usage peak|average|none]\n"
"              [--low-usage-frac X] [--weekend-exclude yes|no]\n"
"              [--fill-events yes|no] [--holidays FILE]\n"
"              [--no-nerc-holidays] [--holiday-event sunday|weekday]\n"
"              [--ties recent|older] [--gen FILE] [--sites FILE]\n"
"              [--explain FILE] [--manifest FILE] [--max-span DAYS]\n"
"              [--sum] [--all-hours] [reading options] [common options]\n"
"              [FILE]\n"
DG_CLI_SERIES_USAGE
DG_CLI_USAGE);
	exit(status);
}

/* --- options ------------------------------------------------------------ */

/* Settings given on the command line, applied over the method's defaults
 * once the method is known: -1 when not given. */
enum {
	V_ADJ, V_WIN, V_BASIS, V_MIN, V_WWIN, V_WBASIS, V_WMIN, V_LOOK, V_OFF,
	V_DOFF, V_LOW, V_WEX, V_FILL, V_ADJS, V_ADJL, V_ADJW, V_CAPPED, V_HOLWD,
	V_TIES, NV
};

struct opts {
	struct dg_cli cli;
	struct dg_cbl_params p;
	struct dg_series_opts so;
	const char *events, *holidays, *gen, *sites, *explain, *input;
	const char *manifest;
	int argc;
	char **argv;		/* for the manifest */
	int method, nerc;
	int all_hours;		/* --all-hours: every hour of the event days */
	int v[NV];
	int have_frac;
	dg_dec frac, cap_lo, cap_hi;
	dg_date from, to;
};

/* Options whose value is an integer from lo to hi (days). */
#define MAXW DG_CBL_MAX_WINDOW
#define MAXL DG_CBL_MAX_LOOKBACK
static const struct {
	int opt, v, lo, hi;
	const char *name;
} int_opts[] = {
	{ OPT_WINDOW, V_WIN, 1, MAXW, "--window" },
	{ OPT_BASIS, V_BASIS, 1, MAXW, "--basis" },
	{ OPT_MIN_DAYS, V_MIN, 0, MAXW, "--min-days" },
	{ OPT_WEEKEND_WINDOW, V_WWIN, 1, MAXW, "--weekend-window" },
	{ OPT_WEEKEND_BASIS, V_WBASIS, 1, MAXW, "--weekend-basis" },
	{ OPT_WEEKEND_MIN_DAYS, V_WMIN, 0, MAXW, "--weekend-min-days" },
	{ OPT_LOOKBACK, V_LOOK, 1, MAXL, "--lookback" },
	{ OPT_OFFSET, V_OFF, 1, MAXL, "--offset" },
	{ OPT_DADRP_OFFSET, V_DOFF, 1, MAXL, "--dadrp-offset" },
};
#undef MAXW
#undef MAXL

static const char *const adjust_kw[] = { "none", "mult", "add", NULL };
static const char *const low_kw[] = { "peak", "average", "none", NULL };
static const int low_val[] = { DG_CBL_LOW_PEAK, DG_CBL_LOW_AVERAGE,
    DG_CBL_LOW_NONE };
static const char *const yes_no_kw[] = { "yes", "no", NULL };
static const int yes_no_val[] = { 1, 0 };
static const char *const adj_basis_kw[] = { "basis", "window", NULL };
static const char *const holiday_kw[] = { "sunday", "weekday", NULL };
static const char *const ties_kw[] = { "recent", "older", NULL };

/* Options whose value is a keyword: the value is the keyword's index, or
 * val[index]. */
static const struct {
	int opt, v;
	const char *name;
	const char *const *kw;
	const int *val;
} kw_opts[] = {
	{ OPT_ADJUST, V_ADJ, "--adjust", adjust_kw, NULL },
	{ OPT_LOW_USAGE, V_LOW, "--low-usage", low_kw, low_val },
	{ OPT_WEEKEND_EXCLUDE, V_WEX, "--weekend-exclude", yes_no_kw,
	    yes_no_val },
	{ OPT_FILL_EVENTS, V_FILL, "--fill-events", yes_no_kw, yes_no_val },
	{ OPT_ADJ_BASIS, V_ADJW, "--adj-basis", adj_basis_kw, NULL },
	{ OPT_HOLIDAY_EVENT, V_HOLWD, "--holiday-event", holiday_kw, NULL },
	{ OPT_TIES, V_TIES, "--ties", ties_kw, NULL },
};

/* A table option: 1 when c is one. */
static int
table_option(struct opts *o, int c, const char *arg)
{
	for (size_t i = 0; i < sizeof(int_opts) / sizeof(int_opts[0]); i++)
		if (int_opts[i].opt == c) {
			o->v[int_opts[i].v] = dg_cli_int_arg(int_opts[i].name,
			    arg, int_opts[i].lo, int_opts[i].hi, usage);
			return 1;
		}
	for (size_t i = 0; i < sizeof(kw_opts) / sizeof(kw_opts[0]); i++)
		if (kw_opts[i].opt == c) {
			int k = dg_cli_keyword_arg(kw_opts[i].name, arg,
			    kw_opts[i].kw, usage);

			o->v[kw_opts[i].v] = kw_opts[i].val ?
			    kw_opts[i].val[k] : k;
			return 1;
		}
	return 0;
}

/* "A<sep>B" into a and b (each shorter than n), or -1. */
static int
split_pair(const char *arg, int sep, char *a, char *b, size_t n)
{
	const char *p = strchr(arg, sep);
	size_t la = p ? (size_t)(p - arg) : 0;

	if (p == NULL || la == 0 || la >= n || strlen(p + 1) >= n)
		return -1;
	memcpy(a, arg, la);
	a[la] = '\0';
	memcpy(b, p + 1, strlen(p + 1) + 1);
	return 0;
}

static void
adj_hours_arg(struct opts *o, const char *arg)
{
	char a[8], b[8];

	if (split_pair(arg, ',', a, b, sizeof(a)) != 0) {
		dg_cli_warn("--adj-hours: START,LEN hours: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	o->v[V_ADJS] = dg_cli_int_arg("--adj-hours", a, 1, 24, usage);
	o->v[V_ADJL] = dg_cli_int_arg("--adj-hours", b, 1, 24, usage);
}

static void
adj_cap_arg(struct opts *o, const char *arg)
{
	char a[32], b[32];

	o->v[V_CAPPED] = strcmp(arg, "none") != 0;
	if (!o->v[V_CAPPED])
		return;
	if (split_pair(arg, ':', a, b, sizeof(a)) != 0) {
		dg_cli_warn("--adj-cap: LO:HI or none: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_dec_parse(a, strlen(a), &o->cap_lo) != DG_OK ||
	    dg_dec_parse(b, strlen(b), &o->cap_hi) != DG_OK ||
	    dg_dec_sign(o->cap_lo) < 0 ||
	    dg_dec_cmp(o->cap_lo, dg_dec_make(1, 0)) > 0 ||
	    dg_dec_cmp(o->cap_hi, dg_dec_make(1, 0)) < 0 ||
	    dg_dec_cmp(o->cap_hi, dg_dec_make(1000000, 0)) >= 0) {
		dg_cli_warn("--adj-cap: LO:HI with 0 <= LO <= 1 <= HI: \"%s\"",
		    arg);
		usage(stderr, DG_EX_USAGE);
	}
}

static const char *methods[4];	/* the names of the methods */

static void
parse_option(struct opts *o, int c, const char *arg)
{
	if (dg_cli_option(&o->cli, c, arg, usage) ||
	    dg_cli_series_option(&o->so, c, arg, usage) ||
	    table_option(o, c, arg))
		return;
	switch (c) {
	case OPT_EVENTS:	o->events = arg; break;
	case OPT_HOLIDAYS:	o->holidays = arg; break;
	case OPT_NO_NERC:	o->nerc = 0; break;
	case OPT_GEN:		o->gen = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_EXPLAIN:	o->explain = arg; break;
	case OPT_MANIFEST:	o->manifest = arg; break;
	case OPT_SUM:		o->so.sum = 1; break;
	case OPT_ALL_HOURS:	o->all_hours = 1; break;
	case OPT_ADJ_HOURS:	adj_hours_arg(o, arg); break;
	case OPT_ADJ_CAP:	adj_cap_arg(o, arg); break;
	case OPT_METHOD:
		o->method = dg_cli_keyword_arg("--method", arg, methods, usage);
		break;
	case OPT_LOW_USAGE_FRAC:
		o->frac = dg_cli_dec_arg("--low-usage-frac", arg, "0", "1",
		    usage);
		o->have_frac = 1;
		break;
	case OPT_MAX_SPAN:
		o->so.max_span_s = dg_cli_max_span_arg(arg, usage);
		break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

/* The method's defaults, then the options given; a smaller window given
 * alone brings its basis and minimum along. */
static void
apply_params(struct opts *o)
{
	struct dg_cbl_params *p = &o->p;
	const int *v = o->v;
	struct dg_error err;

	dg_cbl_params_init(p, o->method);
	if (v[V_ADJ] >= 0) p->adj = v[V_ADJ];
	if (v[V_WIN] >= 0) p->window[0] = v[V_WIN];
	if (v[V_BASIS] >= 0) p->basis[0] = v[V_BASIS];
	if (v[V_MIN] >= 0) p->min_days[0] = v[V_MIN];
	if (v[V_WWIN] >= 0) p->window[1] = p->window[2] = v[V_WWIN];
	if (v[V_WBASIS] >= 0) p->basis[1] = p->basis[2] = v[V_WBASIS];
	if (v[V_WMIN] >= 0) p->min_days[1] = p->min_days[2] = v[V_WMIN];
	if (v[V_LOOK] >= 0) p->lookback = v[V_LOOK];
	if (v[V_OFF] >= 0) p->offset = v[V_OFF];
	if (v[V_DOFF] >= 0) p->dadrp_offset = v[V_DOFF];
	if (v[V_LOW] >= 0) p->low = v[V_LOW];
	if (o->have_frac) p->low_frac = o->frac;
	if (v[V_WEX] >= 0) p->weekend_exclude = v[V_WEX];
	if (v[V_FILL] >= 0) p->fill_events = v[V_FILL];
	if (v[V_ADJS] >= 0) p->adj_start = v[V_ADJS], p->adj_len = v[V_ADJL];
	if (v[V_ADJW] >= 0) p->adj_window = v[V_ADJW];
	if (v[V_CAPPED] >= 0) p->capped = v[V_CAPPED];
	if (v[V_HOLWD] >= 0) p->holiday_weekday = v[V_HOLWD];
	if (v[V_TIES] >= 0) p->ties_older = v[V_TIES];
	if (v[V_CAPPED] == 1) p->cap_lo = o->cap_lo, p->cap_hi = o->cap_hi;
	if (v[V_WIN] >= 0 && v[V_BASIS] < 0 && p->basis[0] > p->window[0])
		p->basis[0] = p->window[0];
	if (v[V_WIN] >= 0 && v[V_MIN] < 0 && p->min_days[0] > p->window[0])
		p->min_days[0] = p->window[0];
	if (v[V_WWIN] >= 0 && v[V_WBASIS] < 0 && p->basis[1] > p->window[1])
		p->basis[1] = p->basis[2] = p->window[1];
	if (v[V_WWIN] >= 0 && v[V_WMIN] < 0 && p->min_days[1] > p->window[1])
		p->min_days[1] = p->min_days[2] = p->window[1];
	if (v[V_MIN] >= 0 && v[V_WIN] < 0 && v[V_MIN] > p->window[0]) {
		dg_cli_warn("--min-days: more than the window (%d days)",
		    p->window[0]);
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_cbl_params_check(p, &err) != DG_OK) {
		dg_cli_warn("%s", err.msg);
		usage(stderr, DG_EX_USAGE);
	}
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->argc = argc;
	o->argv = argv;
	dg_cli_init(&o->cli, "dg-cbl");
	o->so.value_col = "load_kw";
	o->so.hourly = 1;
	o->so.load = 1;	/* the unit from the column's name (dgagg(7)) */
	o->so.max_span_s = (int64_t)DG_CBL_MAX_SPAN * 86400;
	o->method = DG_CBL_NYISO;
	o->nerc = 1;
	o->from = INT32_MIN;
	o->to = INT32_MAX;
	for (int i = 0; i < NV; i++)
		o->v[i] = -1;
	for (int m = 0; m < 3; m++)
		methods[m] = dg_cbl_method_name(m);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		parse_option(o, c, optarg);
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	if (o->events == NULL) {
		dg_cli_warn("--events FILE is required");
		usage(stderr, DG_EX_USAGE);
	}
	o->input = optind < argc ? argv[optind] : "-";
	if (o->from > o->to) {
		dg_cli_warn("--from: after --to");
		usage(stderr, DG_EX_USAGE);
	}
	apply_params(o);
	o->p.all_hours = o->all_hours;
}

/* --- metered generator output ---------------------------------------- */

struct gen {
	char *site;
	dg_time t;
	dg_dec kw;		/* as printed: rounded once to 3 decimals */
};

struct gens {
	struct gen *v;
	size_t n, cap;
	char **sites;		/* sites that meter generators, sorted */
	size_t nsites, capsites;
};

static int
cmp_gen(const void *a, const void *b)
{
	const struct gen *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	if (c != 0)
		return c;
	return x->t < y->t ? -1 : x->t > y->t;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Notes site as one that meters its generators. */
static int
gen_site(struct gens *g, const char *site)
{
	for (size_t i = 0; i < g->nsites; i++)
		if (strcmp(g->sites[i], site) == 0)
			return DG_OK;
	if (dg_grow(&g->sites, &g->capsites, g->nsites + 1,
	    sizeof(*g->sites)) != 0 ||
	    (g->sites[g->nsites] = strdup(site)) == NULL)
		return DG_ENOMEM;
	g->nsites++;
	return DG_OK;
}

/* Keeps the site's reading kw at t when it falls in an event hour. */
static int
gen_keep(struct gens *g, const struct dg_events *es, const char *site,
    dg_time t, dg_dec kw)
{
	int in = 0;
	struct gen *x;

	for (size_t i = 0; i < es->n && !in; i++)
		in = t >= es->v[i].start && t < es->v[i].end;
	if (!in)
		return DG_OK;
	if (dg_grow(&g->v, &g->cap, g->n + 1, sizeof(*g->v)) != 0)
		return DG_ENOMEM;
	x = &g->v[g->n];
	if ((x->site = strdup(site)) == NULL)
		return DG_ENOMEM;
	x->t = t;
	x->kw = kw;
	g->n++;
	return DG_OK;
}

/* Sorts the readings; two of a site at one instant are an error. */
static int
gen_sort(struct gens *g, struct dg_csv *r, struct dg_error *err)
{
	if (g->n > 1)
		qsort(g->v, g->n, sizeof(*g->v), cmp_gen);
	if (g->nsites > 1)
		qsort(g->sites, g->nsites, sizeof(*g->sites), cmp_str);
	for (size_t i = 1; i < g->n; i++)
		if (cmp_gen(&g->v[i - 1], &g->v[i]) == 0) {
			char ts[DG_TIME_BUFSZ];

			dg_time_format(g->v[i].t, ts, sizeof(ts));
			return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0,
			    NULL, "site %s: two generator readings at %s",
			    g->v[i].site, ts);
		}
	return DG_OK;
}

/* Reads site,time,gen_kw; keeps the rows inside event hours. */
static int
read_gen(struct gens *g, const char *path, const struct dg_events *es,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_site, c_time, c_kw;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "gen_kw", &c_kw)) != DG_OK)
		goto fail;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		const char *site = dg_csv_field(r, c_site, NULL);
		dg_dec kw;

		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_kw, &kw)) != DG_OK)
			goto fail;
		prev = dg_tstamp_pick(&ts, prev);
		if (dg_dec_sign(kw) < 0) {
			st = dg_csv_fail(r, c_kw, DG_EDATA,
			    "negative generator output");
			goto fail;
		}
		if (dg_dec_rescale(kw, DG_CBL_KW_SCALE, &kw) != DG_OK) {
			st = dg_csv_fail(r, c_kw, DG_ERANGE, "too large");
			goto fail;
		}
		if (gen_site(g, site) != DG_OK ||
		    gen_keep(g, es, site, prev, kw) != DG_OK) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (st == DG_EOF) {
		st = gen_sort(g, r, err);
		dg_csv_close(r);
		return st;
	}
fail:
	*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

static int
gen_meters(const struct gens *g, const char *site)
{
	const char *k = site;

	return g->nsites > 0 &&
	    bsearch(&k, g->sites, g->nsites, sizeof(*g->sites),
	    cmp_str) != NULL;
}

struct gen_key {
	const char *site;
	dg_time t;
};

static int
cmp_gen_key(const void *a, const void *b)
{
	const struct gen_key *k = a;
	const struct gen *x = b;
	int c = strcmp(k->site, x->site);

	if (c != 0)
		return c;
	return k->t < x->t ? -1 : k->t > x->t;
}

static const struct gen *
gen_find(const struct gens *g, const char *site, dg_time t)
{
	struct gen_key key = { site, t };

	if (g->n == 0)
		return NULL;
	return bsearch(&key, g->v, g->n, sizeof(*g->v), cmp_gen_key);
}

static void
free_gens(struct gens *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->v[i].site);
	free(g->v);
	for (size_t i = 0; i < g->nsites; i++)
		free(g->sites[i]);
	free(g->sites);
}

/* --- the run ------------------------------------------------------------ */

#define NFLAGS (DG_CBL_Q_NFLAGS + 1)	/* + missing_gen */

struct run {
	struct opts *o;
	struct dg_cbl_cal cal;
	struct dg_cbl_load load;
	struct dg_cbl_result res;
	struct dg_holidays hol;
	struct dg_events ev;
	struct gens gen;
	struct dg_sites sites;	/* --sites: who is enrolled in what */
	dg_date *evd;		/* the site's event days */
	size_t nevd, capevd;
	struct dg_series_reader *sr;
	struct dg_out *out[3];	/* the output, --explain, --manifest */
	struct dg_cli_manifest mr;
	struct dg_csvw w, xw;
	const char *input;
	long flagged[NFLAGS];
	long rows, nsites, incomplete, missing;
	unsigned char *used;	/* events that applied to some site */
};

/* Whether event e is the site's: named for it, or (without a site) for
 * every site, or with --sites for every site enrolled in its program. */
static int
applies(const struct run *ru, const struct dg_event *e, const char *site)
{
	const struct dg_site *s;

	if (!dg_event_applies(e, site))
		return 0;
	if (ru->o->sites == NULL || e->site != NULL)
		return 1;
	s = dg_sites_find(&ru->sites, site);
	return s != NULL && dg_site_in_program(s, e->program);
}

/* Whether the rows of event e are computed (--from, --to). */
static int
in_range(const struct run *ru, const struct dg_event *e)
{
	return e->date >= ru->o->from && e->date <= ru->o->to;
}

static int
cmp_date(const void *a, const void *b)
{
	dg_date x = *(const dg_date *)a, y = *(const dg_date *)b;

	return x < y ? -1 : x > y;
}

/* The site's event days: of every call of the file that applies to it. */
static int
event_days(struct run *ru, const char *site, struct dg_error *err)
{
	ru->nevd = 0;
	for (size_t i = 0; i < ru->ev.n; i++) {
		if (!applies(ru, &ru->ev.v[i], site))
			continue;
		if (dg_grow(&ru->evd, &ru->capevd, ru->nevd + 1,
		    sizeof(*ru->evd)) != 0)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		ru->evd[ru->nevd++] = ru->ev.v[i].date;
	}
	if (ru->nevd > 1)
		qsort(ru->evd, ru->nevd, sizeof(*ru->evd), cmp_date);
	return DG_OK;
}

/* The basis days, ascending, joined by ';'. */
static void
format_basis(const struct dg_cbl_result *r, char *buf, size_t n)
{
	dg_date sorted[DG_CBL_MAX_WINDOW];
	size_t k = 0;

	memcpy(sorted, r->basis, r->nbasis * sizeof(*sorted));
	qsort(sorted, r->nbasis, sizeof(*sorted), cmp_date);
	buf[0] = '\0';
	for (size_t j = 0; j < r->nbasis; j++) {
		if (j > 0)
			buf[k++] = ';';
		k += (size_t)dg_date_format(sorted[j], buf + k, n - k);
	}
}

static int
explain(struct run *ru, const char *site, const struct dg_event *e)
{
	static const char *const roles[] = { "skipped", "window", "basis" };
	const struct dg_cbl_result *r = &ru->res;

	for (size_t i = 0; i < r->nnotes; i++) {
		const struct dg_cbl_note *n = &r->notes[i];

		dg_csvw_str(&ru->xw, site);
		dg_csvw_str(&ru->xw, e->id);
		dg_csvw_date(&ru->xw, n->date);
		dg_csvw_str(&ru->xw, roles[n->role]);
		dg_csvw_str(&ru->xw, n->filled ? "event_day_filled" :
		    dg_cbl_reason_name(n->reason));
		if (n->have_adepu)
			dg_csvw_dec(&ru->xw, n->adepu_kw, DG_CBL_KW_SCALE);
		else
			dg_csvw_empty(&ru->xw);
		dg_csvw_dec(&ru->xw, r->threshold_kw, DG_CBL_KW_SCALE);
		if (dg_csvw_end_row(&ru->xw) != DG_OK)
			return ru->xw.status;
	}
	return DG_OK;
}

/* The quality of an hour: flags joined by ';' into qs (empty: ok),
 * counted; an error under --strict. */
static int
hour_quality(struct run *ru, const char *site, const struct dg_event *e,
    const struct dg_cbl_hour *hr, int missing_gen, char *qs, size_t n,
    struct dg_error *err)
{
	unsigned q = ru->res.quality & ~(unsigned)DG_CBL_Q_MISSING_ACTUAL;
	char ts[DG_TIME_BUFSZ];

	if (!hr->have_actual)
		q |= DG_CBL_Q_MISSING_ACTUAL;
	dg_cbl_flags_format(q, qs, n);
	if (missing_gen) {
		size_t l = strlen(qs);

		snprintf(qs + l, n - l, "%smissing_gen", l ? ";" : "");
	}
	if (qs[0] == '\0')
		return DG_OK;
	for (int b = 0; b < DG_CBL_Q_NFLAGS; b++)
		if (q & (1u << b))
			ru->flagged[b]++;
	if (missing_gen)
		ru->flagged[DG_CBL_Q_NFLAGS]++;
	if (!ru->o->cli.strict)
		return DG_OK;
	dg_time_format(hr->t, ts, sizeof(ts));
	return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
	    "site %s: event %s: %s: %s (--strict)", site, e->id, ts, qs);
}

static void
csvw_dec_or_empty(struct dg_csvw *w, int have, dg_dec v, int scale)
{
	if (have)
		dg_csvw_dec(w, v, scale);
	else
		dg_csvw_empty(w);
}

/* The reduction of hr: the printed generator output g (metered), or the
 * printed adjusted CBL minus the printed actual; none outside the event.
 * 1 and *red, 0 for none, -1 when too large. */
static int
hour_reduction(const struct dg_cbl_hour *hr, int metered, const struct gen *g,
    dg_dec *red)
{
	*red = dg_dec_make(0, 0);
	if (!hr->in_event)
		return 0;
	if (metered) {
		if (g != NULL)
			*red = g->kw;
		return g != NULL;
	}
	return dg_cbl_reduction(hr, red);
}

/* The quality of an hour of the day outside the event (--all-hours): the
 * event's flags but missing_actual, neither counted nor refused. */
static void
day_quality(const struct run *ru, char *qs, size_t n)
{
	dg_cbl_flags_format(ru->res.quality &
	    ~(unsigned)DG_CBL_Q_MISSING_ACTUAL, qs, n);
}

/* One output row: the site's event hour hr (with --all-hours, any hour of
 * the event day, and its in_event). */
static int
write_hour(struct run *ru, const char *site, const struct dg_event *e,
    const struct dg_cbl_hour *hr, const char *basis, struct dg_error *err)
{
	const struct dg_cbl_result *r = &ru->res;
	int metered = ru->o->gen != NULL && gen_meters(&ru->gen, site);
	const struct gen *g = metered && hr->in_event ?
	    gen_find(&ru->gen, site, hr->t) : NULL;
	struct dg_csvw *w = &ru->w;
	dg_dec red, none = dg_dec_make(0, 0);
	char qs[160];
	int st, have_red;

	if (!hr->in_event)
		day_quality(ru, qs, sizeof(qs));
	else if ((st = hour_quality(ru, site, e, hr, metered && g == NULL, qs,
	    sizeof(qs), err)) != DG_OK)
		return st;
	dg_csvw_str(w, site);
	dg_csvw_str(w, e->id);
	dg_csvw_str(w, e->program);
	dg_csvw_str(w, dg_cbl_method_name(ru->o->p.method));
	dg_csvw_time(w, hr->t);
	if ((have_red = hour_reduction(hr, metered, g, &red)) < 0)
		return dg_error_set(err, DG_ERANGE, ru->input, 0, NULL,
		    "site %s: event %s: figures too large", site, e->id);
	csvw_dec_or_empty(w, hr->have_cbl, hr->cbl_kw, DG_CBL_KW_SCALE);
	csvw_dec_or_empty(w, hr->have_cbl && r->adjusted, hr->adj_cbl_kw,
	    DG_CBL_KW_SCALE);
	csvw_dec_or_empty(w, hr->have_actual, hr->actual_kw, DG_CBL_KW_SCALE);
	csvw_dec_or_empty(w, g != NULL, g ? g->kw : none, DG_CBL_KW_SCALE);
	csvw_dec_or_empty(w, have_red, red, DG_CBL_KW_SCALE);
	csvw_dec_or_empty(w, r->adjusted, r->adj_x, DG_CBL_ADJ_SCALE);
	dg_csvw_int(w, (int64_t)r->nwindow);
	dg_csvw_str(w, basis);
	dg_csvw_str(w, qs[0] != '\0' ? qs : "ok");
	if (ru->o->all_hours)
		dg_csvw_int(w, hr->in_event);
	if ((st = dg_csvw_end_row(w)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "write error");
	ru->rows += hr->in_event;
	return DG_OK;
}

/* The CBL and rows of every call of the range that applies to site. */
static int
site_events(struct run *ru, const char *site, struct dg_error *err)
{
	int st;

	if ((st = event_days(ru, site, err)) != DG_OK)
		return st;
	for (size_t i = 0; i < ru->ev.n; i++) {
		const struct dg_event *e = &ru->ev.v[i];
		char basis[DG_CBL_MAX_WINDOW * 11 + 1];
		struct dg_cbl_event ce;

		if (!applies(ru, e, site) || !in_range(ru, e))
			continue;
		(void)dg_cbl_event_of(e, &ce);	/* whole hours: checked */
		st = dg_cbl_compute(&ru->o->p, &ru->cal, &ru->load, &ce,
		    ru->evd, ru->nevd, &ru->hol, &ru->res, err);
		if (st == DG_ERANGE) {	/* the load's fault: name the site */
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			return dg_error_set(err, st, ru->input, 0, NULL,
			    "site %s: %s", site, msg);
		}
		if (st != DG_OK) {
			err->line = e->line;
			return st;
		}
		ru->used[i] = 1;
		format_basis(&ru->res, basis, sizeof(basis));
		for (size_t h = 0; h < ru->res.nhours; h++)
			if ((st = write_hour(ru, site, e, &ru->res.h[h], basis,
			    err)) != DG_OK)
				return st;
		if (ru->o->explain != NULL &&
		    (st = explain(ru, site, e)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "write error");
	}
	return DG_OK;
}

/* The site's hourly load into ru->load. */
static int
site_load(struct run *ru, const struct dg_series *s, struct dg_error *err)
{
	int st;

	dg_cbl_load_clear(&ru->load);
	if (ru->o->cli.strict && s->missing > 0)
		return dg_error_set(err, DG_EDATA, ru->input, s->missing_line,
		    ru->o->so.value_col, "site %s: an empty reading (--strict)",
		    s->site);
	if (ru->o->cli.strict && s->incomplete > 0)
		return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
		    "site %s: %ld incomplete hour%s left out (--strict)",
		    s->site, s->incomplete, s->incomplete == 1 ? "" : "s");
	if (s->step_s != 3600)
		return dg_error_set(err, DG_EDATA, ru->input,
		    s->n ? s->p[0].line : 0, "time",
		    "site %s: readings every %d s do not make hours",
		    s->site, s->step_s);
	for (size_t i = 0; i < s->n; i++) {
		st = dg_cbl_load_set(&ru->load, &ru->cal, s->p[i].t, s->p[i].x);
		if (st == DG_EDATA)
			return dg_error_set(err, st, ru->input, s->p[i].line,
			    "time", "not the start of a local hour");
		if (st == DG_ERANGE)
			return dg_error_set(err, DG_EDATA, ru->input,
			    s->p[i].line, "time",
			    "site %s: readings span more than %d days (a wrong date?)",
			    s->site, DG_CBL_MAX_DAYS);
		if (st != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
	}
	return DG_OK;
}

static int
one_site(struct run *ru, const struct dg_series *s, struct dg_error *err)
{
	int st;

	ru->nsites++;
	ru->incomplete += s->incomplete;
	ru->missing += s->missing;
	if ((st = site_load(ru, s, err)) != DG_OK)
		return st;
	if (ru->o->sites != NULL && dg_sites_find(&ru->sites, s->site) == NULL)
		dg_cli_warn("site %s is not in %s: no call applies to it",
		    s->site, ru->o->sites);
	if ((st = site_events(ru, s->site, err)) != DG_OK) {
		if (err->file[0] == '\0' && err->line > 0)
			snprintf(err->file, sizeof(err->file), "%s",
			    ru->o->events);
		return st;
	}
	return DG_OK;
}

static const char *const header[] = {
	"site", "event", "program", "method", "time", "cbl_kw",
	"adjusted_cbl_kw", "actual_kw", "gen_kw", "reduction_kw", "adjustment",
	"window_days", "basis_days", "quality", "in_event"
};

static const char *const xheader[] = {
	"site", "event", "date", "role", "reason", "adepu_kw", "threshold_kw"
};

/* Says on standard error when the range holds no call. */
static void
note_range(const struct run *ru)
{
	char a[16], b[16];
	size_t n = 0;

	for (size_t i = 0; i < ru->ev.n; i++)
		n += in_range(ru, &ru->ev.v[i]);
	if (ru->ev.n == 0 || n > 0)
		return;
	dg_date_format(ru->o->from, a, sizeof(a));
	dg_date_format(ru->o->to, b, sizeof(b));
	dg_cli_warn("%s: no call from %s to %s (%zu event rows in the file)",
	    ru->o->events, ru->o->from == INT32_MIN ? "the first" : a,
	    ru->o->to == INT32_MAX ? "the last" : b, ru->ev.n);
}

/* Opens the load; with --manifest, records every input (standard input
 * spooled to be hashed). */
static int
open_load(struct run *ru, struct dg_error *err)
{
	const struct opts *o = ru->o;
	int st;

	dg_cli_manifest_init(&ru->mr, "dg-cbl", o->manifest, o->argc, o->argv);
	dg_cli_manifest_input(&ru->mr, "input", o->input);
	dg_cli_manifest_input(&ru->mr, "events", o->events);
	dg_cli_manifest_input(&ru->mr, "sites", o->sites);
	dg_cli_manifest_input(&ru->mr, "holidays", o->holidays);
	dg_cli_manifest_input(&ru->mr, "gen", o->gen);
	if ((st = dg_cli_manifest_series_open(&ru->mr, &ru->sr, o->input,
	    &o->so, &o->cli.csv, err)) != DG_OK)
		return st;
	ru->input = dg_csv_name(dg_series_csv(ru->sr));
	return DG_OK;
}

/* Reads every input but the load, which is opened. */
static int
open_inputs(struct run *ru, struct dg_error *err)
{
	const struct opts *o = ru->o;
	int st;

	if ((o->holidays != NULL && (st = dg_holidays_read(&ru->hol,
	    o->holidays, &o->cli.csv, err)) != DG_OK) ||
	    (st = dg_events_read(&ru->ev, o->events, &o->cli.csv,
	    err)) != DG_OK ||
	    (st = dg_events_whole_hours(&ru->ev, err)) != DG_OK)
		return st;
	if (o->sites != NULL) {
		if ((st = dg_sites_read(&ru->sites, o->sites, &o->cli.aux,
		    err)) != DG_OK)
			return st;
		if (!(ru->sites.have & DG_SITE_PROGRAMS))
			return dg_error_set(err, DG_EDATA, o->sites, 1, NULL,
			    "missing column \"programs\"");
		if ((st = dg_cbl_events_check_sites(&ru->ev, &ru->sites,
		    err)) != DG_OK)
			return st;
	}
	note_range(ru);
	if ((ru->used = calloc(ru->ev.n + 1, 1)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if (o->gen != NULL && (st = read_gen(&ru->gen, o->gen, &ru->ev,
	    &o->cli.csv, err)) != DG_OK)
		return st;
	return open_load(ru, err);
}

/* Opens the output and --explain, and writes their headers. */
static int
open_outputs(struct run *ru, struct dg_error *err)
{
	struct opts *o = ru->o;
	int st;

	ru->out[0] = dg_cli_open_output(&o->cli, &ru->w);
	if ((st = dg_cli_manifest_open(&ru->mr, err)) != DG_OK)
		return st;
	ru->out[2] = ru->mr.out;
	ru->mr.out = NULL;
	if (o->explain != NULL) {
		if ((st = dg_out_open(&ru->out[1], o->explain, err)) != DG_OK)
			return st;
		dg_cli_csvw_init(&o->cli, &ru->xw, dg_out_fp(ru->out[1]));
		if ((st = dg_csvw_header(&ru->xw, xheader, 7)) != DG_OK)
			return st;
	}
	return dg_csvw_header(&ru->w, header, o->all_hours ? 15 : 14);
}

/* What the run counted and left out, on standard error. */
static void
summary(const struct run *ru)
{
	char line[512];
	size_t k = 0;

	line[0] = '\0';
	for (int b = 0; b < NFLAGS; b++)
		if (ru->flagged[b] > 0)
			k += (size_t)snprintf(line + k, sizeof(line) - k,
			    "%s%s %ld", k ? ", " : "",
			    b < DG_CBL_Q_NFLAGS ? dg_cbl_flag_name(b) :
			    "missing_gen", ru->flagged[b]);
	if (k > 0)
		dg_cli_warn("%ld event hours, flagged: %s", ru->rows, line);
	if (ru->missing > 0)
		dg_cli_warn("%ld empty reading%s (holes: their hours are missing)",
		    ru->missing, ru->missing == 1 ? "" : "s");
	if (ru->incomplete > 0)
		dg_cli_warn("%ld incomplete hours left out", ru->incomplete);
	if (ru->nsites == 0)
		dg_cli_warn("%s: no load readings", ru->o->input);
	for (size_t i = 0; i < ru->ev.n && ru->nsites > 0; i++) {
		const struct dg_event *e = &ru->ev.v[i];

		if (ru->used[i] || !in_range(ru, e))
			continue;
		if (e->site != NULL)
			dg_cli_warn("%s:%ld: event %s: site %s has no load",
			    ru->o->events, e->line, e->id, e->site);
		else
			dg_cli_warn("%s:%ld: event %s: no site enrolled in %s has load",
			    ru->o->events, e->line, e->id, e->program);
	}
}

/* Commits the outputs together, or reports err and commits none. */
static int
finish(struct run *ru, int st, struct dg_error *err)
{
	if (ru->out[0] == NULL)
		return st == DG_OK ? DG_EX_OK : dg_cli_report(err);
	if (st == DG_OK && ru->out[2] != NULL) {
		static const char *const roles[2] = { "output", "explain" };
		const char *names[2] = { ru->o->cli.output, ru->o->explain };

		ru->mr.out = ru->out[2];
		st = dg_cli_manifest_write(&ru->mr, ru->out, names, roles, 2,
		    err);
		ru->mr.out = NULL;
	}
	if (st == DG_OK) {
		summary(ru);
		dg_error_clear(err);
		st = dg_out_commit_all(ru->out, 3, err);
		if (st == DG_EPIPE)
			st = DG_OK;
		return dg_cli_finish(NULL, st, err);
	}
	dg_out_abort(ru->out[1]);
	dg_out_abort(ru->out[2]);
	return dg_cli_finish(ru->out[0], st, err);
}

static int
run(struct opts *o)
{
	struct run ru;
	struct dg_series s;
	struct dg_error err;
	int st;

	memset(&ru, 0, sizeof(ru));
	memset(&s, 0, sizeof(s));
	ru.o = o;
	dg_error_clear(&err);
	dg_cbl_cal_init(&ru.cal);
	dg_cbl_load_init(&ru.load);
	dg_cbl_result_init(&ru.res);
	dg_holidays_init(&ru.hol, o->nerc);
	if ((st = open_inputs(&ru, &err)) == DG_OK &&
	    (st = open_outputs(&ru, &err)) == DG_OK) {
		while ((st = dg_series_next(ru.sr, &s)) == DG_OK)
			if ((st = one_site(&ru, &s, &err)) != DG_OK)
				break;
		if (st == DG_EOF)
			st = DG_OK;
	}
	st = finish(&ru, st, &err);
	dg_series_close(ru.sr);
	dg_series_release(&s);
	dg_cbl_cal_release(&ru.cal);
	dg_cbl_load_release(&ru.load);
	dg_cbl_result_release(&ru.res);
	dg_holidays_release(&ru.hol);
	dg_sites_release(&ru.sites);
	dg_events_release(&ru.ev);
	dg_cli_manifest_release(&ru.mr);
	free_gens(&ru.gen);
	free(ru.evd);
	free(ru.used);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
