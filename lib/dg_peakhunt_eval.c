/* dg_peakhunt_eval.c: the backtest of a strategy against the actual
 * loads, and the hindsight optimum, an upper bound computed exactly (see
 * dg_peakhunt.h and dg-peakhunt(1)). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_peakhunt_int.h"
#include "dg_util.h"

/* An hour of the table. */
struct ph_at {
	size_t i;
	int h;
};

/* --- Peaks and money ------------------------------------------------ */

/* The range's days i0..i1 (table indices). */
static void
range_days(const struct dg_ph_run *r, size_t *i0, size_t *i1)
{
	*i0 = (size_t)(r->from - r->first);
	*i1 = (size_t)(r->to - r->first);
}

/* The highest actual load of data x in the hours c measures, days a..b
 * of the range (ties: the earliest); 0 when there is none. */
static int
peak_hour(const struct dg_ph_run *r, int x, const struct dg_ph_charge *c,
    size_t a, size_t b, struct ph_at *at)
{
	int found = 0;

	for (size_t i = a; i <= b; i++)
		for (int h = 0; h < r->d[i].nh; h++) {
			const struct ph_day *d = &r->d[i];

			if (!ph_measured(c, d, h) || !d->has[x][h] || (found &&
			    dg_dec_cmp(d->actx[x][h],
			    r->d[at->i].actx[x][at->h]) <= 0))
				continue;
			at->i = i;
			at->h = h;
			found = 1;
		}
	return found;
}

/* The kW a run cuts at an hour, exact: the available kW, at most the
 * site's actual load when it is known. */
static dg_dec
cut_exact(const struct dg_ph_run *r, const struct ph_day *d, int h)
{
	dg_dec kw = d->avail[h];

	if (r->in.site != NULL && d->has[PH_SITE][h] &&
	    dg_dec_cmp(d->actx[PH_SITE][h], kw) < 0)
		kw = d->actx[PH_SITE][h];
	return dg_dec_sign(kw) < 0 ? dg_dec_make(0, 0) : kw;
}

/* A caught capacity peak: cut kW x rate x months billed, to the cent. */
static int
cp_value(const struct dg_ph_run *r, struct ph_at at, int64_t *cents)
{
	const struct dg_ph_charge *c = &r->in.tariff->c[DG_PH_CAPACITY];
	const struct ph_day *d = &r->d[at.i];
	dg_dec v;

	*cents = 0;
	if (!d->hasg[at.h])
		return DG_OK;
	if (dg_dec_mul3(cut_exact(r, d, at.h), c->rate,
	    dg_dec_make(c->billed, 0), 2, &v) != DG_OK)
		return DG_ERANGE;
	*cents = v.v;
	return DG_OK;
}

/* The periods of charge c within the range: a callback per period with
 * its first and last days (table indices). */
static int
periods(const struct dg_ph_run *r, const struct dg_ph_charge *c,
    int (*fn)(void *, size_t, size_t), void *arg)
{
	size_t i0, i1;
	int st;

	range_days(r, &i0, &i1);
	for (size_t i = i0; i <= i1; i++) {
		dg_date a, b;
		size_t j;

		if (!ph_period(r, c, r->d[i].date, &a, &b))
			continue;
		j = b - r->first < (dg_date)i1 ? (size_t)(b - r->first) : i1;
		if ((st = fn(arg, i, j)) != DG_OK)
			return st;
		i = j;
	}
	return DG_OK;
}

/* --- Evaluation ----------------------------------------------------- */

struct ph_eval {
	const struct dg_ph_run *r;
	int s;
	struct dg_ph_summary *sum;
};

static int
ran(const struct dg_ph_run *r, int s, struct ph_at at)
{
	return r->d[at.i].run[s][at.h];
}

static int
eval_cp(void *arg, size_t a, size_t b)
{
	struct ph_eval *e = arg;
	const struct dg_ph_charge *c = &e->r->in.tariff->c[DG_PH_CAPACITY];
	struct ph_at at;
	int64_t v;

	if (!peak_hour(e->r, PH_ZONE, c, a, b, &at))
		return DG_OK;
	e->sum->season_peaks++;
	if (!ran(e->r, e->s, at))
		return DG_OK;
	e->sum->season_caught++;
	if (cp_value(e->r, at, &v) != DG_OK)
		return DG_ERANGE;
	e->sum->cp_saving += v;
	return DG_OK;
}

/* The zone's monthly peaks in the hours of the capacity charge. */
static int
eval_zone_month(void *arg, size_t a, size_t b)
{
	struct ph_eval *e = arg;
	struct ph_at at;

	if (!peak_hour(e->r, PH_ZONE, &e->r->in.tariff->c[DG_PH_CAPACITY], a,
	    b, &at))
		return DG_OK;
	e->sum->zone_months++;
	e->sum->zone_caught += ran(e->r, e->s, at);
	return DG_OK;
}

/* The billed demand of days a..b after the runs of strategy s (s < 0:
 * none), exact kW. */
static dg_dec
billed(const struct dg_ph_run *r, int s, size_t a, size_t b)
{
	const struct dg_ph_charge *c = &r->in.tariff->c[DG_PH_DEMAND];
	dg_dec top = dg_dec_make(0, 0), v;

	for (size_t i = a; i <= b; i++)
		for (int h = 0; h < r->d[i].nh; h++) {
			const struct ph_day *d = &r->d[i];

			if (!ph_measured(c, d, h) || !d->has[PH_SITE][h])
				continue;
			v = d->actx[PH_SITE][h];
			if (s >= 0 && d->run[s][h] && d->hasg[h])
				dg_dec_sub(v, cut_exact(r, d, h), &v);
			if (dg_dec_cmp(v, top) > 0)
				top = v;
		}
	return top;
}

static int
eval_demand(void *arg, size_t a, size_t b)
{
	struct ph_eval *e = arg;
	const struct dg_ph_charge *c = &e->r->in.tariff->c[DG_PH_DEMAND];
	struct ph_at at;
	dg_dec diff, v;

	if (!peak_hour(e->r, PH_SITE, c, a, b, &at))
		return DG_OK;
	e->sum->site_months++;
	e->sum->site_caught += ran(e->r, e->s, at);
	if (dg_dec_sub(billed(e->r, -1, a, b), billed(e->r, e->s, a, b),
	    &diff) != DG_OK || dg_dec_mul(c->rate, diff, 2, &v) != DG_OK)
		return DG_ERANGE;
	e->sum->demand_saving += v.v;
	return DG_OK;
}

/* Hours, days, cost (a start per block, except for the hindsight bound,
 * whose objective leaves them out) and the years of the range. */
static void
eval_runs(const struct dg_ph_run *r, int s, struct dg_ph_summary *sum)
{
	size_t i0, i1;
	int last_year = 0;

	range_days(r, &i0, &i1);
	for (size_t i = i0; i <= i1; i++) {
		const struct ph_day *d = &r->d[i];
		int any = 0, measured = 0;

		for (int k = 0; k < DG_PH_NCHARGE; k++)
			measured |= ph_day_measured(&r->in.tariff->c[k], d);
		if (measured && d->year != last_year) {
			sum->seasons++;
			last_year = d->year;
		}
		for (int h = 0; h < d->nh; h++) {
			if (!d->run[s][h])
				continue;
			any = 1;
			sum->hours++;
			sum->run_cost += d->cost[h];
			if (s != DG_PH_HINDSIGHT &&
			    (h == 0 || !d->run[s][h - 1]))
				sum->run_cost += d->start_cost[h];
		}
		sum->days_run += any;
	}
}

int
dg_ph_evaluate(struct dg_ph_run *r, int s, struct dg_ph_summary *sum,
    struct dg_error *err)
{
	struct ph_eval e = { r, s, sum };
	struct dg_ph_charge month = r->in.tariff->c[DG_PH_CAPACITY];
	int st = DG_OK;

	memset(sum, 0, sizeof(*sum));
	if (!r->decided[s])
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "strategy %s evaluated before it decided",
		    dg_ph_strategy_names[s]);
	eval_runs(r, s, sum);
	month.per_month = 1;
	if (r->in.tariff->c[DG_PH_CAPACITY].present &&
	    ((st = periods(r, &r->in.tariff->c[DG_PH_CAPACITY], eval_cp,
	    &e)) != DG_OK || (st = periods(r, &month, eval_zone_month,
	    &e)) != DG_OK))
		return dg_error_set(err, st, NULL, 0, NULL,
		    "a saving overflows");
	sum->months = sum->zone_months;
	if (r->in.tariff->c[DG_PH_DEMAND].present && (st = periods(r,
	    &r->in.tariff->c[DG_PH_DEMAND], eval_demand, &e)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL,
		    "a saving overflows");
	return DG_OK;
}

/* --- The hindsight optimum ------------------------------------------ */

/* A month's candidates: the demand charge's hours by load, descending,
 * and the capacity peak of the month, if any. */
struct ph_month {
	size_t first;		/* the month's first day in the range */
	struct ph_at *top;
	size_t ntop, cap;
	size_t usable;		/* top[0..usable) have the generator */
	struct ph_at cp;
	int has_cp;
	int64_t cp_value;
	int64_t *value;		/* value[k], k = 0 .. budget */
	int *pick_j, *pick_cp;	/* the choice for k */
};

static int
cmp_top(const void *a, const void *b, void *arg)
{
	const struct dg_ph_run *r = arg;
	const struct ph_at *x = a, *y = b;
	int c = dg_dec_cmp(r->d[y->i].actx[PH_SITE][y->h],
	    r->d[x->i].actx[PH_SITE][x->h]);

	if (c != 0)
		return c;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->h - y->h;
}

static int
month_hours(struct dg_ph_run *r, size_t a, size_t b, struct ph_month *m)
{
	const struct dg_ph_charge *c = &r->in.tariff->c[DG_PH_DEMAND];

	for (size_t i = a; c->present && i <= b; i++)
		for (int h = 0; h < r->d[i].nh; h++) {
			if (!ph_measured(c, &r->d[i], h) ||
			    !r->d[i].has[PH_SITE][h])
				continue;
			if (dg_grow(&m->top, &m->cap, m->ntop + 1,
			    sizeof(*m->top)) != 0)
				return DG_ENOMEM;
			m->top[m->ntop].i = i;
			m->top[m->ntop++].h = h;
		}
	if (m->ntop > 1)
		qsort_r(m->top, m->ntop, sizeof(*m->top), cmp_top, r);
	for (m->usable = 0; m->usable < m->ntop &&
	    r->d[m->top[m->usable].i].hasg[m->top[m->usable].h]; m->usable++)
		;
	return DG_OK;
}

/* The demand saving of running top[0..j), exact, to the cent. */
static int
prefix_saving(const struct dg_ph_run *r, const struct ph_month *m, size_t j,
    int64_t *cents)
{
	const struct dg_ph_charge *c = &r->in.tariff->c[DG_PH_DEMAND];
	dg_dec after = dg_dec_make(0, 0), v;

	*cents = 0;
	if (j == 0 || m->ntop == 0)
		return DG_OK;
	if (j < m->ntop)
		after = r->d[m->top[j].i].actx[PH_SITE][m->top[j].h];
	for (size_t k = 0; k < j; k++) {
		const struct ph_day *d = &r->d[m->top[k].i];
		int h = m->top[k].h;

		if (dg_dec_sub(d->actx[PH_SITE][h], cut_exact(r, d, h), &v) !=
		    DG_OK)
			return DG_ERANGE;
		if (dg_dec_cmp(v, after) > 0)
			after = v;
	}
	if (dg_dec_sub(r->d[m->top[0].i].actx[PH_SITE][m->top[0].h], after,
	    &v) != DG_OK || dg_dec_mul(c->rate, v, 2, &v) != DG_OK)
		return DG_ERANGE;
	*cents = v.v;
	return DG_OK;
}

static void
consider(struct ph_month *m, int k, int64_t v, int j, int cp)
{
	if (v > m->value[k]) {
		m->value[k] = v;
		m->pick_j[k] = j;
		m->pick_cp[k] = cp;
	}
}

/* value[k]: the best of the prefixes of at most k hours, with or without
 * the capacity peak's hour. */
static int
month_values(const struct dg_ph_run *r, struct ph_month *m, int budget)
{
	int64_t cost = 0, dem, cp_cost = 0;
	long in_prefix = -1;

	for (size_t j = 0; m->has_cp && j < m->ntop; j++)
		if (m->top[j].i == m->cp.i && m->top[j].h == m->cp.h)
			in_prefix = (long)j;
	if (m->has_cp)
		cp_cost = r->d[m->cp.i].cost[m->cp.h];
	for (int k = 0; k <= budget; k++) {
		m->value[k] = k > 0 ? m->value[k - 1] : 0;
		m->pick_j[k] = k > 0 ? m->pick_j[k - 1] : 0;
		m->pick_cp[k] = k > 0 ? m->pick_cp[k - 1] : 0;
	}
	for (size_t j = 0; j <= m->usable && (int)j <= budget; j++) {
		int has = in_prefix >= 0 && in_prefix < (long)j;

		if (j > 0)
			cost += r->d[m->top[j - 1].i].cost[m->top[j - 1].h];
		if (prefix_saving(r, m, j, &dem) != DG_OK)
			return DG_ERANGE;
		for (int k = (int)j; k <= budget; k++) {
			consider(m, k, dem - cost + (has ? m->cp_value : 0),
			    (int)j, 0);
			if (m->has_cp && !has && k >= (int)j + 1)
				consider(m, k, dem - cost - cp_cost +
				    m->cp_value, (int)j, 1);
		}
	}
	return DG_OK;
}

/* The months of the range and their candidates. */
struct ph_hs {
	struct dg_ph_run *r;
	struct ph_month *m;
	size_t nm, cap;
	int budget;
};

static int
add_month(void *arg, size_t a, size_t b)
{
	struct ph_hs *hs = arg;
	struct ph_month *m;
	int st;

	if (dg_grow(&hs->m, &hs->cap, hs->nm + 1, sizeof(*hs->m)) != 0)
		return DG_ENOMEM;
	m = &hs->m[hs->nm++];
	memset(m, 0, sizeof(*m));
	m->first = a;
	m->value = calloc(hs->budget + 1, sizeof(*m->value));
	m->pick_j = calloc(hs->budget + 1, sizeof(int));
	m->pick_cp = calloc(hs->budget + 1, sizeof(int));
	if (m->value == NULL || m->pick_j == NULL || m->pick_cp == NULL)
		return DG_ENOMEM;
	if ((st = month_hours(hs->r, a, b, m)) != DG_OK)
		return st;
	return DG_OK;
}

/* Each capacity peak to the month that holds it. */
static int
add_cp(void *arg, size_t a, size_t b)
{
	struct ph_hs *hs = arg;
	struct ph_at at;

	if (!peak_hour(hs->r, PH_ZONE, &hs->r->in.tariff->c[DG_PH_CAPACITY],
	    a, b, &at) || !hs->r->d[at.i].hasg[at.h])
		return DG_OK;
	for (size_t k = 0; k < hs->nm; k++)
		if (hs->r->d[hs->m[k].first].year == hs->r->d[at.i].year &&
		    hs->r->d[hs->m[k].first].mon == hs->r->d[at.i].mon) {
			hs->m[k].cp = at;
			hs->m[k].has_cp = 1;
			return cp_value(hs->r, at, &hs->m[k].cp_value);
		}
	return DG_OK;
}

/* Months a..b of one year: the best split of the year's hours. */
static int
year_split(struct ph_hs *hs, size_t a, size_t b, int *take)
{
	int ycap = hs->r->p.year_hours > 0 ? hs->r->p.year_hours :
	    (int)(b - a + 1) * hs->budget;
	size_t n = b - a + 1, w = (size_t)ycap + 1;
	int64_t *best = calloc((n + 1) * w, sizeof(*best));
	int *arg = calloc((n + 1) * w, sizeof(*arg));

	if (best == NULL || arg == NULL) {
		free(best);
		free(arg);
		return DG_ENOMEM;
	}
	/* best[m][y]: months a..a+m-1 with at most y hours */
	for (size_t m = 1; m <= n; m++)
		for (size_t y = 0; y < w; y++) {
			best[m * w + y] = best[(m - 1) * w + y];
			for (size_t k = 1; k <= (size_t)hs->budget && k <= y;
			    k++) {
				int64_t v = best[(m - 1) * w + y - k] +
				    hs->m[a + m - 1].value[k];

				if (v > best[m * w + y]) {
					best[m * w + y] = v;
					arg[m * w + y] = (int)k;
				}
			}
		}
	for (size_t m = n, y = w - 1; m >= 1; m--) {
		take[a + m - 1] = arg[m * w + y];
		y -= (size_t)arg[m * w + y];
	}
	free(best);
	free(arg);
	return DG_OK;
}

static void
mark(struct dg_ph_run *r, const struct ph_month *m, int k)
{
	for (int j = 0; j < m->pick_j[k]; j++)
		r->d[m->top[j].i].run[DG_PH_HINDSIGHT][m->top[j].h] = 1;
	if (m->pick_cp[k])
		r->d[m->cp.i].run[DG_PH_HINDSIGHT][m->cp.h] = 1;
}

static int
hindsight_months(struct ph_hs *hs, int *take)
{
	int st;

	for (size_t k = 0; k < hs->nm; k++)
		if ((st = month_values(hs->r, &hs->m[k], hs->budget)) != DG_OK)
			return st;
	for (size_t a = 0, b; a < hs->nm; a = b + 1) {
		for (b = a; b + 1 < hs->nm && hs->r->d[hs->m[b + 1].first].year
		    == hs->r->d[hs->m[a].first].year; b++)
			;
		if ((st = year_split(hs, a, b, take)) != DG_OK)
			return st;
	}
	for (size_t k = 0; k < hs->nm; k++)
		mark(hs->r, &hs->m[k], take[k]);
	return DG_OK;
}

int
ph_hindsight(struct dg_ph_run *r, struct dg_error *err)
{
	struct dg_ph_charge all = { .present = 1, .month_lo = 1,
	    .month_hi = 12, .hour_hi = 24, .per_month = 1 };
	struct ph_hs hs = { r, NULL, 0, 0, r->p.month_hours };
	int *take = NULL, st;

	if ((st = periods(r, &all, add_month, &hs)) == DG_OK &&
	    r->in.tariff->c[DG_PH_CAPACITY].present)
		st = periods(r, &r->in.tariff->c[DG_PH_CAPACITY], add_cp, &hs);
	if (st == DG_OK && (take = calloc(hs.nm + 1, sizeof(int))) == NULL)
		st = DG_ENOMEM;
	if (st == DG_OK)
		st = hindsight_months(&hs, take);
	for (size_t k = 0; k < hs.nm; k++) {
		free(hs.m[k].top);
		free(hs.m[k].value);
		free(hs.m[k].pick_j);
		free(hs.m[k].pick_cp);
	}
	free(hs.m);
	free(take);
	if (st != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "%s",
		    st == DG_ENOMEM ? "out of memory" : "a saving overflows");
	return DG_OK;
}
