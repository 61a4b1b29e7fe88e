/* dg_gencost.c: generators.csv and the hourly running cost of a site. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg_gencost.h"
#include "dg_util.h"

static const char *const kind_names[] = {
	"diesel", "gas-turbine", "gas-recip", "load"
};

const char *
dg_gen_kind_name(int kind)
{
	if (kind < 0 || kind > DG_GEN_LOAD)
		return "?";
	return kind_names[kind];
}

static int
cmp_gen(const void *a, const void *b)
{
	const struct dg_gen *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	if (c != 0)
		return c;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return strcmp(x->gen, y->gen);
}

void
dg_gens_release(struct dg_gens *gs)
{
	if (gs == NULL)
		return;
	for (size_t i = 0; i < gs->n; i++) {
		free(gs->v[i].site);
		free(gs->v[i].gen);
	}
	free(gs->v);
	gs->v = NULL;
	gs->n = 0;
}

/* A non-negative number, or def when the field is empty and empty_ok. */
static int
get_nonneg(struct dg_csv *r, int c, int empty_ok, double def, double *out)
{
	int st;

	if (dg_csv_is_empty(r, c)) {
		if (empty_ok) {
			*out = def;
			return DG_OK;
		}
		return dg_csv_fail(r, c, DG_EDATA, "empty");
	}
	if ((st = dg_csv_get_double(r, c, out)) != DG_OK)
		return st;
	if (*out < 0)
		return dg_csv_fail(r, c, DG_EDATA, "negative: \"%s\"",
		    dg_csv_field(r, c, NULL));
	return DG_OK;
}

static int
get_hours(struct dg_csv *r, int c, int lo, int empty_ok, int *out)
{
	int64_t v;

	if (dg_csv_is_empty(r, c)) {
		if (empty_ok) {
			*out = DG_GEN_NO_LIMIT;
			return DG_OK;
		}
		return dg_csv_fail(r, c, DG_EDATA, "empty");
	}
	if (dg_parse_int(dg_csv_field(r, c, NULL), lo, 8784, &v) != DG_OK)
		return dg_csv_fail(r, c, DG_EDATA,
		    "hours must be an integer from %d to 8784: \"%s\"", lo,
		    dg_csv_field(r, c, NULL));
	*out = (int)v;
	return DG_OK;
}

enum {
	C_SITE, C_GEN, C_KIND, C_CAP, C_HR25, C_HR50, C_HR75, C_HR100, C_FUEL,
	C_OM, C_START, C_MINRUN, C_MAXDAY, C_PERMIT, C_DERATE, C_DBASE,
	C_PRIO, C_CURTAIL, C_NCOL
};
static const char *const colnames[C_NCOL] = {
	"site", "gen", "kind", "capacity_kw", "hr_25_btu_per_kwh",
	"hr_50_btu_per_kwh", "hr_75_btu_per_kwh", "hr_100_btu_per_kwh",
	"fuel_usd_per_mmbtu", "om_usd_per_mwh", "start_usd", "min_run_h",
	"max_run_h_day", "permit_h_year", "derate_pct_per_f", "derate_base_f",
	"priority", "curtail_usd_per_mwh"
};

/* The capacity and the cost figures of a row (load: a process load,
 * which burns no fuel). */
static int
gen_costs(struct dg_csv *r, const int *c, int load, struct dg_gen *g)
{
	int st;

	if ((st = get_nonneg(r, c[C_CAP], 0, 0, &g->capacity_kw)) != DG_OK)
		return st;
	if (g->capacity_kw <= 0)
		return dg_csv_fail(r, c[C_CAP], DG_EDATA,
		    "capacity must be positive");
	for (int i = 0; i < 4; i++) {
		if ((st = get_nonneg(r, c[C_HR25 + i], load, 0,
		    &g->hr[i])) != DG_OK)
			return st;
		if (!load && g->hr[i] <= 0)
			return dg_csv_fail(r, c[C_HR25 + i], DG_EDATA,
			    "heat rate must be positive");
	}
	if ((st = get_nonneg(r, c[C_FUEL], load, 0,
	    &g->fuel_usd_per_mmbtu)) != DG_OK ||
	    (st = get_nonneg(r, c[C_OM], load, 0,
	    &g->om_usd_per_mwh)) != DG_OK ||
	    (st = get_nonneg(r, c[C_START], load, 0, &g->start_usd)) != DG_OK ||
	    (st = get_nonneg(r, c[C_DERATE], 1, 0,
	    &g->derate_pct_per_f)) != DG_OK ||
	    (st = get_nonneg(r, c[C_CURTAIL], !load, 0,
	    &g->curtail_usd_per_mwh)) != DG_OK)
		return st;
	if (dg_csv_is_empty(r, c[C_DBASE]))
		g->derate_base_f = 0;
	else if ((st = dg_csv_get_double(r, c[C_DBASE],
	    &g->derate_base_f)) != DG_OK)
		return st;
	if (g->derate_pct_per_f > 0 && dg_csv_is_empty(r, c[C_DBASE]))
		return dg_csv_fail(r, c[C_DBASE], DG_EDATA,
		    "empty (derating needs a base temperature)");
	return DG_OK;
}

/* The run limits, the priority and the commitment of a row. */
static int
gen_limits(struct dg_csv *r, const int *c, int c_commit, struct dg_gen *g)
{
	int64_t prio;
	int st;

	if ((st = get_hours(r, c[C_MINRUN], 1, 0, &g->min_run_h)) != DG_OK ||
	    (st = get_hours(r, c[C_MAXDAY], 0, 1,
	    &g->max_run_h_day)) != DG_OK ||
	    (st = get_hours(r, c[C_PERMIT], 0, 1, &g->permit_h_year)) != DG_OK)
		return st;
	if (dg_csv_is_empty(r, c[C_PRIO]))
		prio = 0;
	else if (dg_parse_int(dg_csv_field(r, c[C_PRIO], NULL), -1000000,
	    1000000, &prio) != DG_OK)
		return dg_csv_fail(r, c[C_PRIO], DG_EDATA,
		    "priority must be an integer: \"%s\"",
		    dg_csv_field(r, c[C_PRIO], NULL));
	g->priority = (long)prio;
	g->commit = DG_COMMIT_FREE;
	if (c_commit >= 0 && !dg_csv_is_empty(r, c_commit)) {
		const char *v = dg_csv_field(r, c_commit, NULL);

		if (strcmp(v, "must-run") == 0)
			g->commit = DG_COMMIT_MUST_RUN;
		else if (strcmp(v, "must-not-stop") == 0)
			g->commit = DG_COMMIT_MUST_NOT_STOP;
		else
			return dg_csv_fail(r, c_commit, DG_EDATA,
			    "must-run, must-not-stop or empty: \"%s\"", v);
	}
	return DG_OK;
}

static int
read_row(struct dg_csv *r, const int *c, int c_commit, struct dg_gen *g)
{
	const char *kind = dg_csv_field(r, c[C_KIND], NULL);
	int st, k;

	if (dg_csv_is_empty(r, c[C_SITE]))
		return dg_csv_fail(r, c[C_SITE], DG_EDATA, "empty site name");
	if (dg_csv_is_empty(r, c[C_GEN]))
		return dg_csv_fail(r, c[C_GEN], DG_EDATA,
		    "empty generator name");
	for (k = 0; k <= DG_GEN_LOAD; k++)
		if (strcmp(kind, kind_names[k]) == 0)
			break;
	if (k > DG_GEN_LOAD)
		return dg_csv_fail(r, c[C_KIND], DG_EDATA,
		    "unknown kind \"%s\" (diesel, gas-turbine, gas-recip, load)",
		    kind);
	g->kind = k;
	if ((st = gen_costs(r, c, k == DG_GEN_LOAD, g)) != DG_OK ||
	    (st = gen_limits(r, c, c_commit, g)) != DG_OK)
		return st;
	g->line = dg_csv_line(r);
	if ((g->site = strdup(dg_csv_field(r, c[C_SITE], NULL))) == NULL ||
	    (g->gen = strdup(dg_csv_field(r, c[C_GEN], NULL))) == NULL) {
		free(g->site);
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	return DG_OK;
}

int
dg_gens_read(struct dg_gens *gs, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c[C_NCOL], c_commit;
	size_t cap = 0;

	memset(gs, 0, sizeof(*gs));
	snprintf(gs->path, sizeof(gs->path), "%s", path ? path : "-");
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < C_NCOL; i++)
		if ((st = dg_csv_require(r, colnames[i], &c[i])) != DG_OK)
			goto out;
	c_commit = dg_csv_col(r, "commit");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_gen g;

		memset(&g, 0, sizeof(g));
		if (dg_grow(&gs->v, &cap, gs->n + 1, sizeof(*gs->v)) != 0) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		if ((st = read_row(r, c, c_commit, &g)) != DG_OK)
			goto out;
		gs->v[gs->n++] = g;
	}
	if (st != DG_EOF)
		goto out;
	st = DG_OK;
	if (gs->n == 0) {
		st = dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    "no generators");
		goto out;
	}
	qsort(gs->v, gs->n, sizeof(*gs->v), cmp_gen);
	for (size_t i = 0; i < gs->n; i++)
		for (size_t j = i + 1; j < gs->n &&
		    strcmp(gs->v[j].site, gs->v[i].site) == 0; j++)
			if (strcmp(gs->v[j].gen, gs->v[i].gen) == 0) {
				const struct dg_gen *late =
				    gs->v[i].line > gs->v[j].line ? &gs->v[i] :
				    &gs->v[j];

				st = dg_error_set(err, DG_EDATA, dg_csv_name(r),
				    late->line, "gen",
				    "duplicate generator \"%s\" at site \"%s\"",
				    late->gen, late->site);
				goto out;
			}
out:
	dg_csv_close(r);
	if (st != DG_OK)
		dg_gens_release(gs);
	return st;
}

size_t
dg_gens_site(const struct dg_gens *gs, const char *site, size_t *first)
{
	size_t lo = 0, hi = gs->n, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(gs->v[mid].site, site) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < gs->n && strcmp(gs->v[lo + n].site, site) == 0)
		n++;
	return n;
}

const struct dg_gen *
dg_gens_find(const struct dg_gens *gs, const char *site, const char *gen)
{
	size_t first, n = dg_gens_site(gs, site, &first);

	for (size_t i = 0; i < n; i++)
		if (strcmp(gs->v[first + i].gen, gen) == 0)
			return &gs->v[first + i];
	return NULL;
}

double
dg_gencost_available(const struct dg_gen *g, double temp_f)
{
	double over, a;

	if (g->kind == DG_GEN_LOAD || g->derate_pct_per_f <= 0)
		return g->capacity_kw;
	over = temp_f - g->derate_base_f;
	if (over <= 0)
		return g->capacity_kw;
	a = g->capacity_kw * (1 - g->derate_pct_per_f / 100 * over);
	return a > 0 ? a : 0;
}

double
dg_gencost_heat_rate(const struct dg_gen *g, double f)
{
	int k;
	double x0;

	if (f <= 0.25)
		return g->hr[0];
	if (f >= 1)
		return g->hr[3];
	k = f < 0.5 ? 0 : f < 0.75 ? 1 : 2;
	x0 = 0.25 * (k + 1);
	return g->hr[k] + (g->hr[k + 1] - g->hr[k]) * (f - x0) / 0.25;
}

static void
unit_cost(const struct dg_gen *g, struct dg_unit_cost *u)
{
	u->committed = 1;
	u->load_frac = u->available_kw > 0 ? u->kw / u->available_kw : 0;
	if (g->kind == DG_GEN_LOAD) {
		u->heat_rate = 0;
		u->fuel_mmbtu = 0;
		u->cost_usd_per_h = u->kw / 1000 * g->curtail_usd_per_mwh;
		u->start_usd = 0;
		return;
	}
	u->heat_rate = dg_gencost_heat_rate(g, u->load_frac);
	u->fuel_mmbtu = u->kw * u->heat_rate / 1e6;
	u->cost_usd_per_h = u->fuel_mmbtu * g->fuel_usd_per_mmbtu +
	    u->kw / 1000 * g->om_usd_per_mwh;
	u->start_usd = g->start_usd;
}

int
dg_gencost_site(const struct dg_gen *g, size_t n, double target_kw,
    double temp_f, int loading, struct dg_unit_cost *u,
    struct dg_site_cost *sc)
{
	double cum = 0, rem, gavail = 0;
	size_t k, i;

	if (!isfinite(target_kw) || target_kw < 0 || !isfinite(temp_f))
		return DG_EINVAL;
	memset(sc, 0, sizeof(*sc));
	sc->target_kw = target_kw;
	for (i = 0; i < n; i++) {
		memset(&u[i], 0, sizeof(u[i]));
		u[i].available_kw = dg_gencost_available(&g[i], temp_f);
		sc->available_kw += u[i].available_kw;
	}
	if (target_kw <= 0)
		return DG_OK;
	/* The committed prefix: resources in priority order until their
	 * available capacity covers the target (all of them when short). */
	for (k = 0; k < n && cum < target_kw; k++)
		cum += u[k].available_kw;
	sc->is_short = cum < target_kw;
	rem = target_kw;
	/* Process loads in the prefix are curtailed first, whole (up to what
	 * is left to carry), in priority order. */
	for (i = 0; i < k; i++) {
		if (g[i].kind != DG_GEN_LOAD || u[i].available_kw <= 0 ||
		    rem <= 0)
			continue;
		u[i].kw = u[i].available_kw < rem ? u[i].available_kw : rem;
		rem -= u[i].kw;
	}
	for (i = 0; i < k; i++)
		if (g[i].kind != DG_GEN_LOAD)
			gavail += u[i].available_kw;
	if (loading == DG_LOADING_MERIT) {
		for (i = 0; i < k && rem > 0; i++) {
			if (g[i].kind == DG_GEN_LOAD || u[i].available_kw <= 0)
				continue;
			u[i].kw = u[i].available_kw < rem ? u[i].available_kw :
			    rem;
			rem -= u[i].kw;
		}
	}
	if (loading != DG_LOADING_MERIT && rem > 0 && gavail > 0) {
		double f = rem < gavail ? rem / gavail : 1;

		for (i = 0; i < k; i++)
			if (g[i].kind != DG_GEN_LOAD && u[i].available_kw > 0)
				u[i].kw = u[i].available_kw * f;
	}
	for (i = 0; i < k; i++) {
		if (u[i].kw <= 0)
			continue;
		unit_cost(&g[i], &u[i]);
		sc->gen_kw += u[i].kw;
		sc->fuel_mmbtu += u[i].fuel_mmbtu;
		sc->cost_usd_per_h += u[i].cost_usd_per_h;
		sc->start_usd += u[i].start_usd;
		sc->nunits++;
	}
	if (!sc->is_short)
		sc->gen_kw = target_kw;	/* exact, not a sum of shares */
	return DG_OK;
}
