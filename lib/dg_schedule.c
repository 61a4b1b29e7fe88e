/* dg_schedule.c: one unit's run schedule by dynamic programming.
 *
 * State at the start of hour h: off, or on with d more hours it must run
 * (d = 0: free to stop), and the hours used so far today.  d is capped at
 * the day's length (a unit that needs more hours than are left can never
 * stop today either way), so the state space is at most 27 x 26. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg_fetch.h"
#include "dg_schedule.h"
#include "dg_util.h"

#define NEG (INT64_MIN / 4)
#define MAXD (DG_SCHED_MAX_HOURS + 1)

struct ctx {
	const struct dg_sched_unit *u;
	int U, L1;
};

/* Decision x in hour h from state (s, used): 1 when permitted, with the
 * next state and the gain. */
static int
step(const struct ctx *c, int h, int s, int used, int x, int *ns, int *nused,
    int64_t *gain)
{
	const struct dg_sched_unit *u = c->u;
	int on = s > 0, d = s - 1;

	if (x == 0) {
		if (u->commit == DG_SCHED_MUST_RUN)
			return 0;
		if (on && (d > 0 || u->commit == DG_SCHED_MUST_NOT_STOP))
			return 0;
		*ns = 0;
		*nused = used;
		*gain = 0;
		return 1;
	}
	if (used + 1 > c->U)
		return 0;
	if (!(u->commit == DG_SCHED_MUST_RUN || u->allowed[h] ||
	    (on && (d > 0 || u->commit == DG_SCHED_MUST_NOT_STOP))))
		return 0;
	if (on) {
		*ns = 1 + (d > 0 ? d - 1 : 0);
		*gain = u->value[h];
	} else {
		*ns = 1 + c->L1;
		*gain = u->value[h] - u->start_cents;
	}
	*nused = used + 1;
	return 1;
}

/* Whether the unit's figures are in range. */
static int
unit_ok(const struct dg_sched_unit *u)
{
	const int64_t lim = DG_SCHED_MAX_CENTS;

	if (u == NULL || u->nh < 1 || u->nh > DG_SCHED_MAX_HOURS ||
	    u->min_run_h < 1 || u->init_hours < 0 || u->start_cents < 0 ||
	    u->start_cents > lim || u->commit < DG_SCHED_FREE ||
	    u->commit > DG_SCHED_MUST_NOT_STOP || u->value == NULL ||
	    u->allowed == NULL)
		return 0;
	for (int h = 0; h < u->nh; h++)
		if (u->value[h] > lim || u->value[h] < -lim)
			return 0;
	return 1;
}

int
dg_schedule_unit(const struct dg_sched_unit *u, unsigned char *run,
    int64_t *total, int *starts)
{
	int64_t V[DG_SCHED_MAX_HOURS + 1][MAXD + 1][DG_SCHED_MAX_HOURS + 1];
	struct ctx c;
	int nh, D, NS, d0, s, used;

	if (run == NULL || !unit_ok(u))
		return DG_EINVAL;
	nh = u->nh;
	c.u = u;
	c.U = u->max_run_h < 0 || u->max_run_h > nh ? nh : u->max_run_h;
	c.L1 = u->min_run_h - 1 < nh ? u->min_run_h - 1 : nh;
	d0 = 0;
	if (u->init_on) {
		int had = u->init_hours > 0 ? u->init_hours : 1;

		d0 = u->min_run_h > had ? u->min_run_h - had : 0;
		if (d0 > nh)
			d0 = nh;
	}
	D = c.L1 > d0 ? c.L1 : d0;
	NS = D + 2;
	for (s = 0; s < NS; s++)
		for (used = 0; used <= c.U; used++)
			V[nh][s][used] = 0;
	for (int h = nh - 1; h >= 0; h--)
		for (s = 0; s < NS; s++)
			for (used = 0; used <= c.U; used++) {
				int64_t best = NEG;

				for (int x = 0; x <= 1; x++) {
					int ns, nu;
					int64_t g;

					if (!step(&c, h, s, used, x, &ns, &nu,
					    &g) || V[h + 1][ns][nu] == NEG)
						continue;
					if (V[h + 1][ns][nu] + g > best)
						best = V[h + 1][ns][nu] + g;
				}
				V[h][s][used] = best;
			}
	s = u->init_on ? 1 + d0 : 0;
	used = 0;
	if (V[0][s][0] == NEG)
		return DG_EDATA;
	*total = V[0][s][0];
	if (starts)
		*starts = 0;
	for (int h = 0; h < nh; h++) {
		int ns, nu, x;
		int64_t g;

		/* staying off first: it wins ties */
		for (x = 0; x <= 1; x++)
			if (step(&c, h, s, used, x, &ns, &nu, &g) &&
			    V[h + 1][ns][nu] != NEG &&
			    V[h + 1][ns][nu] + g == V[h][s][used])
				break;
		if (x > 1)
			return DG_EINTERNAL;
		run[h] = (unsigned char)x;
		if (x == 1 && s == 0 && starts)
			(*starts)++;
		s = ns;
		used = nu;
	}
	return DG_OK;
}

int
dg_schedule_cents(double usd, int64_t *cents)
{
	double c = usd * 100;

	if (!(fabs(c) <= (double)DG_SCHED_MAX_CENTS))
		return DG_ERANGE;
	*cents = (int64_t)llround(c);
	return DG_OK;
}

int
dg_schedule_value_cents(double price_usd_per_mwh, double kw,
    double cost_usd_per_h, int64_t *cents)
{
	return dg_schedule_cents(price_usd_per_mwh * kw / 1000 - cost_usd_per_h,
	    cents);
}

int
dg_schedule_max_run(int max_run_h_day, int permit_h_year, int used_h_year)
{
	int m = max_run_h_day, left;

	if (permit_h_year < 0)
		return m;
	left = permit_h_year - used_h_year;
	if (left < 0)
		left = 0;
	return m < 0 || left < m ? left : m;
}

static int
cmp_price(const void *a, const void *b)
{
	const struct dg_price *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

struct plist {
	struct dg_price *v;
	size_t n, cap;
};

static int
plist_add(struct plist *l, dg_time t, double usd_per_mwh)
{
	if (dg_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v)) != 0)
		return DG_ENOMEM;
	l->v[l->n].t = t;
	l->v[l->n].usd_per_mwh = usd_per_mwh;
	l->n++;
	return DG_OK;
}

struct native_arg {
	struct plist *l;
	const char *zone;
};

/* The rows dg_fetch's nyiso-dam parser made of a native file. */
static int
native_rows(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	struct native_arg *a = arg;

	for (size_t i = 0; i < rows->n; i++) {
		const struct dg_fetch_row *r = &rows->v[i];

		if (strcmp(r->zone, a->zone) != 0)
			continue;
		if (plist_add(a->l, r->t, dg_dec_to_double(r->v[DG_FV_PRICE])))
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	return DG_OK;
}

/* dg-fetch's output or another normalized file: time, price_usd_per_mwh
 * and, when there is one, zone. */
static int
normalized_rows(struct dg_csv *r, const char *zone, const struct dg_csv_opts *o,
    struct plist *l, int *zoned)
{
	int st, c_time, c_price, c_name;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "price_usd_per_mwh", &c_price)) != DG_OK)
		return st;
	c_name = dg_csv_col(r, "zone");
	*zoned = c_name >= 0;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		double x;

		if (c_name >= 0 &&
		    strcmp(dg_csv_field(r, c_name, NULL), zone) != 0)
			continue;
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_price, &x)) != DG_OK)
			return st;
		if (ts.naive && !o->allow_naive)
			return dg_csv_fail(r, c_time, DG_EDATA,
			    "no UTC offset (give --tz for local stamps)");
		prev = dg_tstamp_pick(&ts, prev);
		if (plist_add(l, prev, x) != DG_OK)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	return st == DG_EOF ? DG_OK : st;
}

int
dg_schedule_prices_read(const char *path, const char *zone,
    const struct dg_csv_opts *o, struct dg_price **out, size_t *nout,
    struct dg_error *err)
{
	struct dg_csv_opts no = *o;
	struct dg_fetch_input in;
	struct plist l = { NULL, 0, 0 };
	int st, zoned = 1;

	no.allow_naive = 1;	/* checked here: --tz for a normalized file */
	if ((st = dg_fetch_input_open(&in, path, &no, err)) != DG_OK)
		return st;
	if (dg_fetch_input_nyiso(&in)) {
		struct native_arg a = { &l, zone };

		st = dg_fetch_input_parse(&in,
		    dg_fetch_source_find("nyiso-dam"),
		    NULL, native_rows, &a, err);
	} else
		st = normalized_rows(in.csv, zone, o, &l, &zoned);
	if (st != DG_OK)
		goto out;
	if (l.n == 0) {
		st = dg_error_set(err, DG_EDATA, in.name, 0, NULL,
		    zoned ? "no prices for zone \"%s\"" : "no prices%s",
		    zoned ? zone : "");
		goto out;
	}
	qsort(l.v, l.n, sizeof(*l.v), cmp_price);
	for (size_t i = 1; i < l.n; i++)
		if (l.v[i].t == l.v[i - 1].t) {
			char b[DG_TIME_BUFSZ];

			dg_time_format(l.v[i].t, b, sizeof(b));
			st = dg_error_set(err, DG_EDATA, in.name, 0, NULL,
			    "two prices for the hour %s", b);
			goto out;
		}
out:
	dg_fetch_input_close(&in);
	if (st != DG_OK) {
		free(l.v);
		return st;
	}
	*out = l.v;
	*nout = l.n;
	return DG_OK;
}

const struct dg_price *
dg_schedule_price_at(const struct dg_price *p, size_t n, dg_time t)
{
	struct dg_price key;

	key.t = t;
	return bsearch(&key, p, n, sizeof(*p), cmp_price);
}
