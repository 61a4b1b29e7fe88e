/* dg-cbl: customer baseline load and curtailment per site, event and hour. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_cbl.h"
#include "dg_series.h"

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
	OPT_COLUMN,
	OPT_SUM,
	OPT_HOLIDAY_EVENT,
	OPT_TIES,
	OPT_MAX_SPAN,
	OPT_FROM,
	OPT_TO
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
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
	{ "column", required_argument, NULL, OPT_COLUMN },
	{ "sum", no_argument, NULL, OPT_SUM },
	{ "holiday-event", required_argument, NULL, OPT_HOLIDAY_EVENT },
	{ "ties", required_argument, NULL, OPT_TIES },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
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
"              [--explain FILE] [--max-span DAYS]\n"
"              [--column COL] [--sum] [--strict] [--tz ZONE]\n"
"              [-d DELIM] [--crlf] [--bom] [-o FILE] [FILE]\n");
	exit(status);
}

/* --- option values ---------------------------------------------------- */

static int
opt_int(const char *name, const char *arg, int lo, int hi)
{
	int64_t v;

	if (dg_parse_int(arg, lo, hi, &v) != DG_OK) {
		dg_cli_warn("--%s: an integer from %d to %d: \"%s\"", name, lo, hi, arg);
		usage(stderr, DG_EX_USAGE);
	}
	return (int)v;
}

static int
opt_yesno(const char *name, const char *arg)
{
	if (strcmp(arg, "yes") == 0)
		return 1;
	if (strcmp(arg, "no") == 0)
		return 0;
	dg_cli_warn("--%s: yes or no: \"%s\"", name, arg);
	usage(stderr, DG_EX_USAGE);
	return 0;
}

/* --- metered generator output ---------------------------------------- */

struct gen {
	char *site;
	dg_time t;
	double kw;
};

struct gens {
	struct gen *v;
	size_t n, cap;
	char **sites;		/* sites that meter generators, sorted */
	size_t nsites;
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

/* Reads site,time,gen_kw; keeps the rows inside event hours. */
static int
read_gen(struct gens *g, const char *path, const struct dg_events *es,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_site, c_time, c_kw;
	dg_time prev = INT64_MIN;

	memset(g, 0, sizeof(*g));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "gen_kw", &c_kw)) != DG_OK)
		goto fail;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		struct gen x;
		const char *site = dg_csv_field(r, c_site, NULL);
		int in = 0, known = 0;

		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_kw, &x.kw)) != DG_OK)
			goto fail;
		x.t = dg_tstamp_pick(&ts, prev);
		prev = x.t;
		if (x.kw < 0) {
			st = dg_csv_fail(r, c_kw, DG_EDATA, "negative generator output");
			goto fail;
		}
		for (size_t i = 0; i < g->nsites && !known; i++)
			known = strcmp(g->sites[i], site) == 0;
		if (!known) {
			char **v = realloc(g->sites, (g->nsites + 1) * sizeof(*v));

			if (v == NULL || (v[g->nsites] = strdup(site)) == NULL) {
				if (v != NULL)
					g->sites = v;
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				goto fail;
			}
			g->sites = v;
			g->nsites++;
		}
		for (size_t i = 0; i < es->n && !in; i++)
			in = x.t >= es->v[i].start && x.t < es->v[i].end;
		if (!in)
			continue;
		if (g->n == g->cap) {
			size_t cap = g->cap ? 2 * g->cap : 256;
			struct gen *v = realloc(g->v, cap * sizeof(*v));

			if (v == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				goto fail;
			}
			g->v = v;
			g->cap = cap;
		}
		if ((x.site = strdup(site)) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto fail;
		}
		g->v[g->n++] = x;
	}
	if (st == DG_EOF) {
		st = DG_OK;
		if (g->n > 1)
			qsort(g->v, g->n, sizeof(*g->v), cmp_gen);
		if (g->nsites > 1)
			qsort(g->sites, g->nsites, sizeof(*g->sites), cmp_str);
		for (size_t i = 1; i < g->n; i++)
			if (cmp_gen(&g->v[i - 1], &g->v[i]) == 0) {
				char ts[DG_TIME_BUFSZ];

				dg_time_format(g->v[i].t, ts, sizeof(ts));
				st = dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
				    "site %s: two generator readings at %s",
				    g->v[i].site, ts);
				goto out;
			}
		goto out;
	}
fail:
	*err = *dg_csv_error(r);
out:
	dg_csv_close(r);
	return st;
}

static int
gen_meters(const struct gens *g, const char *site)
{
	const char *k = site;

	return g->nsites > 0 &&
	    bsearch(&k, g->sites, g->nsites, sizeof(*g->sites), cmp_str) != NULL;
}

static const struct gen *
gen_find(const struct gens *g, const char *site, dg_time t)
{
	struct gen key;

	if (g->n == 0)
		return NULL;
	key.site = (char *)site;
	key.t = t;
	return bsearch(&key, g->v, g->n, sizeof(*g->v), cmp_gen);
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
	const struct dg_cbl_params *p;
	struct dg_cbl_cal cal;
	struct dg_cbl_load load;
	struct dg_cbl_result res;
	struct dg_holidays hol;
	struct dg_events ev;
	struct gens gen;
	int have_gen;
	dg_date *evd;
	size_t nevd, capevd;
	struct dg_csvw *w, *xw;
	int strict;
	const char *input;
	long flagged[NFLAGS];
	long rows, events_done;
	unsigned char *used;	/* events that applied to some site */
	struct dg_sites sites;	/* --sites: who is enrolled in what */
	dg_date from, to;	/* --from, --to: the calls computed */
	int have_sites;
};

/* Whether event e is the site's: named for it, or (without a site) for
 * every site, or with --sites for every site enrolled in its program. */
static int
applies(const struct run *ru, const struct dg_event *e, const char *site)
{
	const struct dg_site *s;

	if (!dg_event_applies(e, site))
		return 0;
	if (!ru->have_sites || e->site != NULL)
		return 1;
	s = dg_sites_find(&ru->sites, site);
	return s != NULL && dg_site_in_program(s, e->program);
}

static int
cmp_date(const void *a, const void *b)
{
	dg_date x = *(const dg_date *)a, y = *(const dg_date *)b;

	return x < y ? -1 : x > y;
}

static int
explain(struct run *ru, const char *site, const struct dg_event *e)
{
	static const char *const roles[] = { "skipped", "window", "basis" };
	const struct dg_cbl_result *r = &ru->res;

	for (size_t i = 0; i < r->nnotes; i++) {
		const struct dg_cbl_note *n = &r->notes[i];

		dg_csvw_str(ru->xw, site);
		dg_csvw_str(ru->xw, e->id);
		dg_csvw_date(ru->xw, n->date);
		dg_csvw_str(ru->xw, roles[n->role]);
		dg_csvw_str(ru->xw, n->filled ? "event_day_filled" :
		    dg_cbl_reason_name(n->reason));
		if (n->have_adepu)
			dg_csvw_double(ru->xw, n->adepu, 3);
		else
			dg_csvw_empty(ru->xw);
		dg_csvw_double(ru->xw, r->threshold, 3);
		if (dg_csvw_end_row(ru->xw) != DG_OK)
			return ru->xw->status;
	}
	return DG_OK;
}

static int
site_events(struct run *ru, const char *site, struct dg_error *err)
{
	int st;

	ru->nevd = 0;
	for (size_t i = 0; i < ru->ev.n; i++) {
		if (!applies(ru, &ru->ev.v[i], site))
			continue;
		if (ru->nevd == ru->capevd) {
			size_t cap = ru->capevd ? 2 * ru->capevd : 16;
			dg_date *v = realloc(ru->evd, cap * sizeof(*v));

			if (v == NULL)
				return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
			ru->evd = v;
			ru->capevd = cap;
		}
		ru->evd[ru->nevd++] = ru->ev.v[i].date;
	}
	if (ru->nevd > 1)
		qsort(ru->evd, ru->nevd, sizeof(*ru->evd), cmp_date);
	for (size_t i = 0; i < ru->ev.n; i++) {
		const struct dg_event *e = &ru->ev.v[i];
		const struct dg_cbl_result *r = &ru->res;
		struct dg_cbl_event ce;
		int metered = ru->have_gen && gen_meters(&ru->gen, site);
		char basis[DG_CBL_MAX_WINDOW * 11 + 1];
		dg_date sorted[DG_CBL_MAX_WINDOW];
		size_t k = 0;

		if (!applies(ru, e, site) || e->date < ru->from || e->date > ru->to)
			continue;
		(void)dg_cbl_event_of(e, &ce);	/* whole hours: checked */
		st = dg_cbl_compute(ru->p, &ru->cal, &ru->load, &ce, ru->evd,
		    ru->nevd, &ru->hol, &ru->res, err);
		if (st != DG_OK) {
			err->line = e->line;
			return st;
		}
		ru->events_done++;
		ru->used[i] = 1;
		memcpy(sorted, r->basis, r->nbasis * sizeof(*sorted));
		qsort(sorted, r->nbasis, sizeof(*sorted), cmp_date);
		basis[0] = '\0';
		for (size_t j = 0; j < r->nbasis; j++) {
			if (j > 0)
				basis[k++] = ';';
			k += (size_t)dg_date_format(sorted[j], basis + k, sizeof(basis) - k);
		}
		for (size_t h = 0; h < r->nhours; h++) {
			const struct dg_cbl_hour *hr = &r->h[h];
			unsigned q = r->quality & ~(unsigned)DG_CBL_Q_MISSING_ACTUAL;
			const struct gen *g = NULL;
			char qs[160];
			int missing_gen = 0;

			if (!hr->have_actual)
				q |= DG_CBL_Q_MISSING_ACTUAL;
			if (metered && (g = gen_find(&ru->gen, site, hr->t)) == NULL)
				missing_gen = 1;
			dg_cbl_flags_format(q, qs, sizeof(qs));
			if (missing_gen) {
				size_t l = strlen(qs);

				snprintf(qs + l, sizeof(qs) - l, "%smissing_gen", l ? ";" : "");
			}
			if (qs[0] != '\0') {
				for (int b = 0; b < DG_CBL_Q_NFLAGS; b++)
					if (q & (1u << b))
						ru->flagged[b]++;
				if (missing_gen)
					ru->flagged[DG_CBL_Q_NFLAGS]++;
				if (ru->strict) {
					char ts[DG_TIME_BUFSZ];

					dg_time_format(hr->t, ts, sizeof(ts));
					return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
					    "site %s: event %s: %s: %s (--strict)",
					    site, e->id, ts, qs);
				}
			}
			dg_csvw_str(ru->w, site);
			dg_csvw_str(ru->w, e->id);
			dg_csvw_str(ru->w, e->program);
			dg_csvw_str(ru->w, dg_cbl_method_name(ru->p->method));
			dg_csvw_time(ru->w, hr->t);
			if (hr->have_cbl)
				dg_csvw_double(ru->w, hr->cbl, 3);
			else
				dg_csvw_empty(ru->w);
			if (hr->have_cbl && r->adjusted)
				dg_csvw_double(ru->w, hr->adj_cbl, 3);
			else
				dg_csvw_empty(ru->w);
			if (hr->have_actual)
				dg_csvw_double(ru->w, hr->actual, 3);
			else
				dg_csvw_empty(ru->w);
			if (g != NULL)
				dg_csvw_double(ru->w, g->kw, 3);
			else
				dg_csvw_empty(ru->w);
			if (metered) {
				if (g != NULL)
					dg_csvw_double(ru->w, g->kw, 3);
				else
					dg_csvw_empty(ru->w);
			} else if (hr->have_cbl && hr->have_actual)
				dg_csvw_double(ru->w, hr->adj_cbl - hr->actual, 3);
			else
				dg_csvw_empty(ru->w);
			if (r->adjusted)
				dg_csvw_double(ru->w, r->adj, 6);
			else
				dg_csvw_empty(ru->w);
			dg_csvw_int(ru->w, (int64_t)r->nwindow);
			dg_csvw_str(ru->w, basis);
			dg_csvw_str(ru->w, qs[0] != '\0' ? qs : "ok");
			if ((st = dg_csvw_end_row(ru->w)) != DG_OK)
				return dg_error_set(err, st, NULL, 0, NULL, "write error");
			ru->rows++;
		}
		if (ru->xw != NULL && (st = explain(ru, site, e)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "write error");
	}
	return DG_OK;
}

static const char *const header[] = {
	"site", "event", "program", "method", "time", "cbl_kw",
	"adjusted_cbl_kw", "actual_kw", "gen_kw", "reduction_kw", "adjustment",
	"window_days", "basis_days", "quality"
};

static const char *const xheader[] = {
	"site", "event", "date", "role", "reason", "adepu_kw", "threshold_kw"
};

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_cbl_params p;
	struct dg_error err;
	struct dg_series_opts so;
	struct dg_series_reader *sr = NULL;
	struct dg_series s;
	struct dg_csvw w, xw;
	struct dg_out *out = NULL, *xout = NULL;
	struct run ru;
	const char *events_path = NULL, *hol_path = NULL, *gen_path = NULL;
	const char *sites_path = NULL;
	const char *explain_path = NULL, *input;
	int c, st, method = DG_CBL_NYISO, nerc = 1;
	int o_adj = -1, o_win = -1, o_basis = -1, o_min = -1, o_wwin = -1;
	int o_wbasis = -1, o_wmin = -1, o_look = -1, o_off = -1, o_doff = -1;
	int o_low = -1, o_wex = -1, o_fill = -1, o_adjs = -1, o_adjl = -1;
	int o_adjw = -1, o_capped = -1, o_holwd = -1, o_ties = -1;
	dg_date from = INT32_MIN, to = INT32_MAX;
	double o_frac = -1, o_lo = 0, o_hi = 0;
	long sites = 0, incomplete = 0;
	size_t nsel = 0;

	dg_cli_init(&cli, "dg-cbl");
	dg_error_clear(&err);
	memset(&so, 0, sizeof(so));
	so.value_col = "load_kw";
	so.hourly = 1;
	so.max_span_s = (int64_t)DG_CBL_MAX_SPAN * 86400;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_EVENTS:
			events_path = optarg;
			break;
		case OPT_METHOD:
			if (dg_cbl_method_parse(optarg, &method) != DG_OK) {
				dg_cli_warn("--method: nyiso, pjm or caiso: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_ADJUST:
			if (strcmp(optarg, "none") == 0)
				o_adj = DG_CBL_ADJ_NONE;
			else if (strcmp(optarg, "mult") == 0)
				o_adj = DG_CBL_ADJ_MULT;
			else if (strcmp(optarg, "add") == 0)
				o_adj = DG_CBL_ADJ_ADD;
			else {
				dg_cli_warn("--adjust: none, mult or add: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_WINDOW:
			o_win = opt_int("window", optarg, 1, DG_CBL_MAX_WINDOW);
			break;
		case OPT_BASIS:
			o_basis = opt_int("basis", optarg, 1, DG_CBL_MAX_WINDOW);
			break;
		case OPT_MIN_DAYS:
			o_min = opt_int("min-days", optarg, 0, DG_CBL_MAX_WINDOW);
			break;
		case OPT_WEEKEND_WINDOW:
			o_wwin = opt_int("weekend-window", optarg, 1, DG_CBL_MAX_WINDOW);
			break;
		case OPT_WEEKEND_BASIS:
			o_wbasis = opt_int("weekend-basis", optarg, 1, DG_CBL_MAX_WINDOW);
			break;
		case OPT_WEEKEND_MIN_DAYS:
			o_wmin = opt_int("weekend-min-days", optarg, 0, DG_CBL_MAX_WINDOW);
			break;
		case OPT_LOOKBACK:
			o_look = opt_int("lookback", optarg, 1, DG_CBL_MAX_LOOKBACK);
			break;
		case OPT_OFFSET:
			o_off = opt_int("offset", optarg, 1, DG_CBL_MAX_LOOKBACK);
			break;
		case OPT_DADRP_OFFSET:
			o_doff = opt_int("dadrp-offset", optarg, 1, DG_CBL_MAX_LOOKBACK);
			break;
		case OPT_LOW_USAGE:
			if (strcmp(optarg, "peak") == 0)
				o_low = DG_CBL_LOW_PEAK;
			else if (strcmp(optarg, "average") == 0)
				o_low = DG_CBL_LOW_AVERAGE;
			else if (strcmp(optarg, "none") == 0)
				o_low = DG_CBL_LOW_NONE;
			else {
				dg_cli_warn("--low-usage: peak, average or none: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_LOW_USAGE_FRAC:
			if (dg_parse_double(optarg, &o_frac) != DG_OK ||
			    !(o_frac >= 0 && o_frac <= 1)) {
				dg_cli_warn("--low-usage-frac: a number from 0 to 1: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_WEEKEND_EXCLUDE:
			o_wex = opt_yesno("weekend-exclude", optarg);
			break;
		case OPT_FILL_EVENTS:
			o_fill = opt_yesno("fill-events", optarg);
			break;
		case OPT_ADJ_HOURS: {
			char a[8], *comma = strchr(optarg, ',');
			size_t n = comma ? (size_t)(comma - optarg) : 0;

			if (comma == NULL || n == 0 || n >= sizeof(a)) {
				dg_cli_warn("--adj-hours: START,LEN hours: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			memcpy(a, optarg, n);
			a[n] = '\0';
			o_adjs = opt_int("adj-hours", a, 1, 24);
			o_adjl = opt_int("adj-hours", comma + 1, 1, 24);
			break;
		}
		case OPT_ADJ_BASIS:
			if (strcmp(optarg, "basis") == 0)
				o_adjw = 0;
			else if (strcmp(optarg, "window") == 0)
				o_adjw = 1;
			else {
				dg_cli_warn("--adj-basis: basis or window: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_ADJ_CAP: {
			char a[32], *colon = strchr(optarg, ':');
			size_t n = colon ? (size_t)(colon - optarg) : 0;

			if (strcmp(optarg, "none") == 0) {
				o_capped = 0;
				break;
			}
			if (colon == NULL || n == 0 || n >= sizeof(a)) {
				dg_cli_warn("--adj-cap: LO:HI or none: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			memcpy(a, optarg, n);
			a[n] = '\0';
			if (dg_parse_double(a, &o_lo) != DG_OK ||
			    dg_parse_double(colon + 1, &o_hi) != DG_OK ||
			    !(o_lo >= 0 && o_lo <= 1 && o_hi >= 1 && o_hi < 1e6)) {
				dg_cli_warn("--adj-cap: LO:HI with 0 <= LO <= 1 <= HI: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			o_capped = 1;
			break;
		}
		case OPT_HOLIDAYS:
			hol_path = optarg;
			break;
		case OPT_NO_NERC:
			nerc = 0;
			break;
		case OPT_GEN:
			gen_path = optarg;
			break;
		case OPT_SITES:
			sites_path = optarg;
			break;
		case OPT_EXPLAIN:
			explain_path = optarg;
			break;
		case OPT_COLUMN:
			so.value_col = optarg;
			break;
		case OPT_SUM:
			so.sum = 1;
			break;
		case OPT_HOLIDAY_EVENT:
			if (strcmp(optarg, "sunday") == 0)
				o_holwd = 0;
			else if (strcmp(optarg, "weekday") == 0)
				o_holwd = 1;
			else {
				dg_cli_warn("--holiday-event: sunday or weekday: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_TIES:
			if (strcmp(optarg, "recent") == 0)
				o_ties = 0;
			else if (strcmp(optarg, "older") == 0)
				o_ties = 1;
			else {
				dg_cli_warn("--ties: recent or older: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_MAX_SPAN:
			so.max_span_s = dg_cli_max_span_arg(optarg, usage);
			break;
		case OPT_FROM:
			from = dg_cli_date_arg("--from", optarg, usage);
			break;
		case OPT_TO:
			to = dg_cli_date_arg("--to", optarg, usage);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, DG_EX_USAGE);
	if (events_path == NULL) {
		dg_cli_warn("--events FILE is required");
		usage(stderr, DG_EX_USAGE);
	}
	input = argc == 1 ? argv[0] : "-";
	if (from > to) {
		dg_cli_warn("--from: after --to");
		usage(stderr, DG_EX_USAGE);
	}

	dg_cbl_params_init(&p, method);
	if (o_adj >= 0) p.adj = o_adj;
	if (o_win >= 0) p.window[0] = o_win;
	if (o_basis >= 0) p.basis[0] = o_basis;
	if (o_min >= 0) p.min_days[0] = o_min;
	if (o_wwin >= 0) p.window[1] = p.window[2] = o_wwin;
	if (o_wbasis >= 0) p.basis[1] = p.basis[2] = o_wbasis;
	if (o_wmin >= 0) p.min_days[1] = p.min_days[2] = o_wmin;
	if (o_look >= 0) p.lookback = o_look;
	if (o_off >= 0) p.offset = o_off;
	if (o_doff >= 0) p.dadrp_offset = o_doff;
	if (o_low >= 0) p.low = o_low;
	if (o_frac >= 0) p.low_frac = o_frac;
	if (o_wex >= 0) p.weekend_exclude = o_wex;
	if (o_fill >= 0) p.fill_events = o_fill;
	if (o_adjs >= 0) p.adj_start = o_adjs, p.adj_len = o_adjl;
	if (o_adjw >= 0) p.adj_window = o_adjw;
	if (o_capped >= 0) p.capped = o_capped;
	if (o_holwd >= 0) p.holiday_weekday = o_holwd;
	if (o_ties >= 0) p.ties_older = o_ties;
	if (o_capped == 1) p.cap_lo = o_lo, p.cap_hi = o_hi;
	/* a smaller window or basis given alone brings the other along */
	if (o_win >= 0 && o_basis < 0 && p.basis[0] > p.window[0])
		p.basis[0] = p.window[0];
	if (o_win >= 0 && o_min < 0 && p.min_days[0] > p.window[0])
		p.min_days[0] = p.window[0];
	if (o_wwin >= 0 && o_wbasis < 0 && p.basis[1] > p.window[1])
		p.basis[1] = p.basis[2] = p.window[1];
	if (o_wwin >= 0 && o_wmin < 0 && p.min_days[1] > p.window[1])
		p.min_days[1] = p.min_days[2] = p.window[1];
	if (o_min >= 0 && o_win < 0 && o_min > p.window[0]) {
		dg_cli_warn("--min-days: more than the window (%d days)", p.window[0]);
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_cbl_params_check(&p, &err) != DG_OK) {
		dg_cli_warn("%s", err.msg);
		usage(stderr, DG_EX_USAGE);
	}

	memset(&ru, 0, sizeof(ru));
	ru.p = &p;
	ru.strict = cli.strict;
	dg_cbl_cal_init(&ru.cal);
	dg_cbl_load_init(&ru.load);
	dg_cbl_result_init(&ru.res);
	dg_holidays_init(&ru.hol, nerc);
	memset(&s, 0, sizeof(s));
	st = DG_OK;
	if (hol_path != NULL &&
	    (st = dg_holidays_read(&ru.hol, hol_path, &cli.csv, &err)) != DG_OK)
		goto done;
	if ((st = dg_events_read(&ru.ev, events_path, &cli.csv, &err)) != DG_OK ||
	    (st = dg_events_whole_hours(&ru.ev, &err)) != DG_OK)
		goto done;
	if (sites_path != NULL) {
		if ((st = dg_sites_read(&ru.sites, sites_path, &cli.aux, &err)) != DG_OK)
			goto done;
		if (!(ru.sites.have & DG_SITE_PROGRAMS)) {
			st = dg_error_set(&err, DG_EDATA, sites_path, 1, NULL,
			    "missing column \"programs\"");
			goto done;
		}
		if ((st = dg_cbl_events_check_sites(&ru.ev, &ru.sites, &err)) != DG_OK)
			goto done;
		ru.have_sites = 1;
	}
	ru.from = from;
	ru.to = to;
	for (size_t i = 0; i < ru.ev.n; i++)
		nsel += ru.ev.v[i].date >= from && ru.ev.v[i].date <= to;
	if (ru.ev.n > 0 && nsel == 0) {
		char a[16], b[16];

		dg_date_format(from, a, sizeof(a));
		dg_date_format(to, b, sizeof(b));
		dg_cli_warn("%s: no call from %s to %s (%zu event rows in the file)",
		    events_path, from == INT32_MIN ? "the first" : a,
		    to == INT32_MAX ? "the last" : b, ru.ev.n);
	}
	if ((ru.used = calloc(ru.ev.n + 1, 1)) == NULL) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if (gen_path != NULL) {
		if ((st = read_gen(&ru.gen, gen_path, &ru.ev, &cli.csv, &err)) != DG_OK)
			goto done;
		ru.have_gen = 1;
	}
	if ((st = dg_series_open(&sr, input, &so, &cli.csv, &err)) != DG_OK)
		goto done;
	ru.input = dg_csv_name(dg_series_csv(sr));
	out = dg_cli_open_output(&cli, &w);
	ru.w = &w;
	if (explain_path != NULL) {
		if ((st = dg_out_open(&xout, explain_path, &err)) != DG_OK)
			goto done;
		dg_csvw_init(&xw, dg_out_fp(xout), cli.delim, cli.crlf, cli.bom);
		ru.xw = &xw;
		if ((st = dg_csvw_header(&xw, xheader, 7)) != DG_OK)
			goto done;
	}
	if ((st = dg_csvw_header(&w, header, 14)) != DG_OK)
		goto done;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		dg_cbl_load_clear(&ru.load);
		sites++;
		incomplete += s.incomplete;
		if (cli.strict && s.incomplete > 0) {
			st = dg_error_set(&err, DG_EDATA, ru.input, 0, NULL,
			    "site %s: %ld incomplete hour%s left out (--strict)",
			    s.site, s.incomplete, s.incomplete == 1 ? "" : "s");
			goto done;
		}
		if (s.step_s != 3600) {
			st = dg_error_set(&err, DG_EDATA, ru.input, s.n ? s.p[0].line : 0,
			    "time", "site %s: readings every %d s do not make hours",
			    s.site, s.step_s);
			goto done;
		}
		for (size_t i = 0; i < s.n; i++)
			if ((st = dg_cbl_load_set(&ru.load, &ru.cal, s.p[i].t, s.p[i].v)) != DG_OK) {
				if (st == DG_EDATA)
					dg_error_set(&err, st, ru.input, s.p[i].line, "time",
					    "not the start of a local hour");
				else if (st == DG_ERANGE)
					dg_error_set(&err, DG_EDATA, ru.input, s.p[i].line, "time",
					    "site %s: readings span more than %d days (a wrong date?)",
					    s.site, DG_CBL_MAX_DAYS);
				else
					dg_error_set(&err, st, NULL, 0, NULL, "out of memory");
				goto done;
			}
		if (ru.have_sites && dg_sites_find(&ru.sites, s.site) == NULL)
			dg_cli_warn("site %s is not in %s: no call applies to it",
			    s.site, sites_path);
		if ((st = site_events(&ru, s.site, &err)) != DG_OK) {
			if (err.file[0] == '\0' && err.line > 0)
				snprintf(err.file, sizeof(err.file), "%s", events_path);
			goto done;
		}
	}
	if (st == DG_EOF)
		st = DG_OK;
done:
	if (st == DG_OK) {
		char line[512];
		size_t k = 0;

		line[0] = '\0';
		for (int b = 0; b < NFLAGS; b++)
			if (ru.flagged[b] > 0)
				k += (size_t)snprintf(line + k, sizeof(line) - k,
				    "%s%s %ld", k ? ", " : "",
				    b < DG_CBL_Q_NFLAGS ? dg_cbl_flag_name(b) : "missing_gen",
				    ru.flagged[b]);
		if (k > 0)
			dg_cli_warn("%ld event hours, flagged: %s", ru.rows, line);
		if (incomplete > 0)
			dg_cli_warn("%ld incomplete hours left out", incomplete);
		if (sites == 0)
			dg_cli_warn("%s: no load readings", input);
		for (size_t i = 0; i < ru.ev.n && sites > 0; i++) {
			const struct dg_event *e = &ru.ev.v[i];

			if (ru.used[i] || e->date < from || e->date > to)
				continue;
			if (e->site != NULL)
				dg_cli_warn("%s:%ld: event %s: site %s has no load",
				    events_path, e->line, e->id, e->site);
			else
				dg_cli_warn("%s:%ld: event %s: no site enrolled in %s has load",
				    events_path, e->line, e->id, e->program);
		}
	}
	if (xout != NULL) {
		if (st == DG_OK) {
			struct dg_error xe;
			int xs = dg_out_commit(xout, &xe);

			if (xs != DG_OK && xs != DG_EPIPE) {
				st = xs;
				err = xe;
			}
		} else
			dg_out_abort(xout);
	}
	if (out != NULL)
		st = dg_cli_finish(out, st, &err);
	else if (st != DG_OK)
		st = dg_cli_report(&err);
	dg_series_close(sr);
	dg_series_release(&s);
	dg_cbl_cal_release(&ru.cal);
	dg_cbl_load_release(&ru.load);
	dg_cbl_result_release(&ru.res);
	dg_holidays_release(&ru.hol);
	dg_sites_release(&ru.sites);
	dg_events_release(&ru.ev);
	free_gens(&ru.gen);
	free(ru.evd);
	free(ru.used);
	return st;
}
