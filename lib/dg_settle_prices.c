/* dg_settle_prices.c: hourly prices from NYISO's native files or normalized
 * ones, sub-hourly intervals time-weighted (see dg_settle.h). */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_fetch.h"
#include "dg_settle_int.h"

#define PSCALE 6		/* internal scale of prices in the tables */

void
dg_settle_price_opts_init(struct dg_settle_price_opts *o)
{
	o->decimals = 6;
	o->max_interval_s = 900;
	o->stamp_end = 1;
}

struct phour {
	dg_time t;
	int64_t s;		/* sum of price (scale PSCALE) x seconds */
	int cover;		/* seconds */
	int keep;		/* kept after reading (see
				 * dg_settle_prices_keep) */
};

/* Hours read, checked and dropped: [a, b), each covered cover seconds. */
struct prun {
	dg_time a, b;
	int cover;
};

struct pzone {
	char *name;
	struct phour *h;
	size_t n, cap;
	dg_time prev;		/* last parsed stamp (repeated-hour rule) */
	int keep;		/* the zone is wanted */
	struct prun *run;	/* dropped hours, ascending */
	size_t nrun, caprun;
};

struct span {
	dg_time a, b;
};

struct dg_settle_prices {
	struct pzone *z;
	size_t n, cap;
	size_t last;		/* the zone of the previous row */
	int decimals;
	int filter;		/* some hours or zones are dropped */
	struct span *span;	/* wanted hours (none: all) */
	size_t nspan, capspan;
	int span_sorted;
	char **zname;		/* wanted zones (none: all) */
	size_t nzname, capzname;
};

int
dg_settle_prices_alloc(struct dg_settle_prices **p)
{
	if ((*p = calloc(1, sizeof(**p))) == NULL)
		return DG_ENOMEM;
	(*p)->decimals = 6;
	return DG_OK;
}

void
dg_settle_prices_free(struct dg_settle_prices *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->z[i].name);
		free(p->z[i].h);
		free(p->z[i].run);
	}
	free(p->z);
	free(p->span);
	for (size_t i = 0; i < p->nzname; i++)
		free(p->zname[i]);
	free(p->zname);
	free(p);
}

int
dg_settle_prices_keep(struct dg_settle_prices *p, dg_time from, dg_time to)
{
	if (from >= to)
		return DG_OK;
	if (dg_grow(&p->span, &p->capspan, p->nspan + 1, sizeof(*p->span)))
		return DG_ENOMEM;
	p->span[p->nspan].a = from;
	p->span[p->nspan++].b = to;
	p->span_sorted = 0;
	p->filter = 1;
	return DG_OK;
}

int
dg_settle_prices_keep_zone(struct dg_settle_prices *p, const char *zone)
{
	for (size_t i = 0; i < p->nzname; i++)
		if (strcmp(p->zname[i], zone) == 0)
			return DG_OK;
	if (dg_grow(&p->zname, &p->capzname, p->nzname + 1,
	    sizeof(*p->zname)) || (p->zname[p->nzname] = strdup(zone)) == NULL)
		return DG_ENOMEM;
	p->nzname++;
	p->filter = 1;
	for (size_t i = 0; i < p->n; i++)
		p->z[i].keep = p->z[i].keep || strcmp(p->z[i].name, zone) == 0;
	return DG_OK;
}

static int
cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->a < y->a ? -1 : x->a > y->a;
}

/* Sorts the wanted spans and merges those that overlap or touch. */
static void
spans_prepare(struct dg_settle_prices *p)
{
	size_t k = 0;

	if (p->span_sorted)
		return;
	qsort(p->span, p->nspan, sizeof(*p->span), cmp_span);
	for (size_t i = 0; i < p->nspan; i++) {
		if (k > 0 && p->span[i].a <= p->span[k - 1].b) {
			if (p->span[i].b > p->span[k - 1].b)
				p->span[k - 1].b = p->span[i].b;
		} else
			p->span[k++] = p->span[i];
	}
	p->nspan = k;
	p->span_sorted = 1;
}

/* Whether the hour h of zone z is kept. */
static int
hour_wanted(const struct dg_settle_prices *p, const struct pzone *z, dg_time h)
{
	size_t lo = 0, hi = p->nspan;

	if (!z->keep)
		return 0;
	if (p->nspan == 0)
		return 1;
	while (lo < hi) {	/* the first span ending after h */
		size_t mid = lo + (hi - lo) / 2;

		if (p->span[mid].b <= h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nspan && p->span[lo].a <= h;
}

static struct pzone *
zone_get(struct dg_settle_prices *p, const char *name, int create)
{
	struct pzone *z;

	if (p->last < p->n && strcmp(p->z[p->last].name, name) == 0)
		return &p->z[p->last];
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->z[i].name, name) == 0) {
			p->last = i;
			return &p->z[i];
		}
	if (!create || dg_grow(&p->z, &p->cap, p->n + 1, sizeof(*p->z)))
		return NULL;
	z = &p->z[p->n];
	memset(z, 0, sizeof(*z));
	if ((z->name = strdup(name)) == NULL)
		return NULL;
	z->prev = INT64_MIN;
	z->keep = p->nzname == 0;
	for (size_t i = 0; i < p->nzname && !z->keep; i++)
		z->keep = strcmp(p->zname[i], name) == 0;
	p->last = p->n++;
	return z;
}

static const struct pzone *
zone_find(const struct dg_settle_prices *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->z[i].name, name) == 0)
			return &p->z[i];
	return NULL;
}

/* Appends the hours [a, b), each covered cover seconds, to the dropped
 * ones (after them). */
static int
run_append(struct pzone *z, dg_time a, dg_time b, int cover)
{
	struct prun *r = z->nrun > 0 ? &z->run[z->nrun - 1] : NULL;

	if (r != NULL && r->b == a && r->cover == cover) {
		r->b = b;
		return DG_OK;
	}
	if (dg_grow(&z->run, &z->caprun, z->nrun + 1, sizeof(*z->run)))
		return DG_ENOMEM;
	r = &z->run[z->nrun++];
	r->a = a;
	r->b = b;
	r->cover = cover;
	return DG_OK;
}

/* The seconds of hour h among the dropped hours of z. */
static int
run_cover(const struct pzone *z, dg_time h)
{
	size_t lo = 0, hi = z->nrun;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->run[mid].b <= h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < z->nrun && z->run[lo].a <= h ? z->run[lo].cover : 0;
}

/* Adds price x seconds to the hour starting h.  With a filter, the hour
 * before a new one leaves the table when it is not wanted: its seconds
 * are kept (to find an hour priced twice), its price is not. */
static int
zone_add(struct dg_settle_prices *p, struct pzone *z, dg_time h, int64_t pv,
    int secs)
{
	struct phour *e;

	if (z->n > 0 && z->h[z->n - 1].t == h)
		e = &z->h[z->n - 1];
	else {
		e = z->n > 0 ? &z->h[z->n - 1] : NULL;
		if (e != NULL && p->filter && !e->keep && e->cover <= 3600 &&
		    (z->nrun == 0 || e->t >= z->run[z->nrun - 1].b)) {
			if (run_append(z, e->t, e->t + 3600, e->cover) != DG_OK)
				return DG_ENOMEM;
			z->n--;
		}
		if (dg_grow(&z->h, &z->cap, z->n + 1, sizeof(*z->h)))
			return DG_ENOMEM;
		e = &z->h[z->n++];
		e->t = h;
		e->s = 0;
		e->cover = 0;
		e->keep = p->filter ? hour_wanted(p, z, h) : 1;
	}
	if ((pv > 0 && pv > (INT64_MAX - (e->s > 0 ? e->s : 0)) / 3600) ||
	    (pv < 0 && pv < (INT64_MIN + 1 - (e->s < 0 ? e->s : 0)) / 3600))
		return DG_ERANGE;
	e->s += pv * secs;
	e->cover += secs;
	return DG_OK;
}

/* Spreads the piece (a, b] at price pv over the hours it touches. */
static int
zone_piece(struct dg_settle_prices *p, struct pzone *z, dg_time a, dg_time b,
    int64_t pv)
{
	while (a < b) {
		dg_time h = dg_time_floor(a, 3600), e = h + 3600;
		dg_time end = b < e ? b : e;
		int st;

		if ((st = zone_add(p, z, h, pv, (int)(end - a))) != DG_OK)
			return st;
		a = end;
	}
	return DG_OK;
}

static int
cmp_phour(const void *a, const void *b)
{
	const struct phour *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/* Moves the hours of z->h[0..n) that are not kept (ascending, their
 * seconds already counting the dropped ones) to the dropped hours. */
static int
runs_merge(struct pzone *z, size_t n)
{
	struct prun *old = z->run;
	size_t nold = z->nrun, j = 0;
	int st = DG_OK;

	z->run = NULL;
	z->nrun = z->caprun = 0;
	for (size_t i = 0; i < nold && st == DG_OK; i++) {
		dg_time t = old[i].a;

		for (; j < n && z->h[j].t < old[i].b && st == DG_OK; j++) {
			if (z->h[j].keep)
				continue;
			if (z->h[j].t > t)
				st = run_append(z, t, z->h[j].t, old[i].cover);
			if (st == DG_OK)
				st = run_append(z, z->h[j].t, z->h[j].t + 3600,
				    z->h[j].cover);
			if (z->h[j].t + 3600 > t)
				t = z->h[j].t + 3600;
		}
		if (st == DG_OK && t < old[i].b)
			st = run_append(z, t, old[i].b, old[i].cover);
	}
	for (; j < n && st == DG_OK; j++)
		if (!z->h[j].keep)
			st = run_append(z, z->h[j].t, z->h[j].t + 3600,
			    z->h[j].cover);
	free(old);
	return st;
}

/* Sorts each zone's hours and merges the pieces of one hour; an hour
 * covered more than 3600 s is priced twice.  With a filter, the hours not
 * wanted then leave the table. */
static int
prices_finish(struct dg_settle_prices *p, const char *file,
    struct dg_error *err)
{
	for (size_t i = 0; i < p->n; i++) {
		struct pzone *z = &p->z[i];
		size_t k = 0, m = 0;
		int sorted = 1;

		for (size_t j = 1; j < z->n && sorted; j++)
			sorted = z->h[j - 1].t <= z->h[j].t;
		if (!sorted)
			qsort(z->h, z->n, sizeof(*z->h), cmp_phour);
		for (size_t j = 0; j < z->n; j++) {
			if (k > 0 && z->h[k - 1].t == z->h[j].t) {
				z->h[k - 1].s += z->h[j].s;
				z->h[k - 1].cover += z->h[j].cover;
			} else {
				z->h[k++] = z->h[j];
				if (z->nrun > 0)
					z->h[k - 1].cover +=
					    run_cover(z, z->h[j].t);
			}
			if (z->h[k - 1].cover > 3600) {
				char ts[DG_TIME_BUFSZ];

				dg_time_format(z->h[k - 1].t, ts, sizeof(ts));
				return dg_error_set(err, DG_EDATA, file, 0,
				    NULL, "zone %s: hour %s priced twice",
				    z->name, ts);
			}
		}
		z->n = k;
		z->prev = INT64_MIN;
		if (!p->filter)
			continue;
		if (runs_merge(z, z->n) != DG_OK)
			return dg_error_set(err, DG_ENOMEM, file, 0, NULL,
			    "out of memory");
		for (size_t j = 0; j < z->n; j++)
			if (z->h[j].keep)
				z->h[m++] = z->h[j];
		z->n = m;
	}
	return DG_OK;
}

#define STR_(x) #x
#define STR(x) STR_(x)

/* A price at the tables' scale: DG_ERANGE, with *why, when it has more
 * decimals or is out of range. */
static int
price_scaled(dg_dec d, int64_t *pv, const char **why)
{
	*why = d.scale > PSCALE ? "price with more than " STR(PSCALE)
	    " decimals" : "price out of range";
	if (d.scale > PSCALE || dg_dec_rescale(d, PSCALE, &d) != DG_OK)
		return DG_ERANGE;
	*pv = d.v;
	return DG_OK;
}

/* One price: an hour starting at t (dur 0), or the interval [t, t + dur)
 * time-weighted into the hours it touches.  *why: the message of a
 * DG_EDATA or DG_ERANGE. */
static int
price_add(struct dg_settle_prices *p, struct pzone *z, dg_time t, int64_t dur,
    int64_t pv, const char **why)
{
	int st;

	if (dur == 0 && dg_time_floor(t, 3600) != t) {
		*why = "hourly price not at the start of an hour";
		return DG_EDATA;
	}
	st = dur == 0 ? zone_add(p, z, t, pv, 3600) :
	    zone_piece(p, z, t, t + dur, pv);
	if (st != DG_OK)
		*why = st == DG_ENOMEM ? "out of memory" : "price out of range";
	return st;
}

struct native_arg {
	struct dg_settle_prices *p;
	const struct dg_settle_price_opts *po;
	const char *name;
};

/* The rows dg_fetch's NYISO parser made of a native file: day-ahead hours
 * (dur 3600) or real-time intervals ending at the stamps; a real-time
 * interval longer than max_interval_s is a gap, a repeated one an
 * error. */
static int
native_rows(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	struct native_arg *a = arg;

	for (size_t i = 0; i < rows->n; i++) {
		const struct dg_fetch_row *r = &rows->v[i];
		const char *why = NULL, *col = "LBMP ($/MWHr)";
		struct pzone *z;
		int64_t pv;
		int st;

		if ((z = zone_get(a->p, r->zone, 1)) == NULL)
			return dg_error_set(err, DG_ENOMEM, a->name, r->line,
			    NULL, "out of memory");
		if (a->po->stamp_end && i > 0 && rows->v[i - 1].t == r->t &&
		    strcmp(rows->v[i - 1].zone, r->zone) == 0)
			return dg_error_set(err, DG_EDATA, a->name, r->line,
			    "Time Stamp",
			    "interval end not after the previous one of zone %s",
			    r->zone);
		if ((st = price_scaled(r->v[DG_FV_PRICE], &pv,
		    &why)) == DG_OK) {
			if (a->po->stamp_end && r->dur > a->po->max_interval_s)
				continue;
			st = price_add(a->p, z, r->t, a->po->stamp_end ?
			    r->dur : 0, pv, &why);
			if (st == DG_EDATA)
				col = "Time Stamp";
		}
		if (st != DG_OK)
			return dg_error_set(err, st, a->name, r->line, col,
			    "%s", why);
	}
	return DG_OK;
}

/* dg-fetch's output or another normalized file: zone, time,
 * price_usd_per_mwh and optionally duration_s. */
static int
normalized_rows(struct dg_settle_prices *p, struct dg_csv *r)
{
	int st, c_time, c_zone, c_price, c_dur;

	if ((st = dg_csv_require(r, "zone", &c_zone)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "price_usd_per_mwh", &c_price)) != DG_OK)
		return st;
	c_dur = dg_csv_col(r, "duration_s");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		struct pzone *z;
		const char *why;
		int64_t pv, dur = 0;
		dg_dec d;

		if ((st = need_field(r, c_zone, "zone name")) != DG_OK)
			return st;
		if ((z = zone_get(p, dg_csv_field(r, c_zone, NULL), 1)) == NULL)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK)
			return st;
		z->prev = dg_tstamp_pick(&ts, z->prev);
		if ((st = dg_csv_get_dec(r, c_price, &d)) != DG_OK)
			return st;
		if ((st = price_scaled(d, &pv, &why)) != DG_OK)
			return dg_csv_fail(r, c_price, st, "%s", why);
		if (c_dur >= 0 && !dg_csv_is_empty(r, c_dur) &&
		    dg_parse_int(dg_csv_field(r, c_dur, NULL), 1, 86400,
		    &dur) != DG_OK)
			return dg_csv_fail(r, c_dur, DG_EDATA,
			    "duration must be 1 to 86400 seconds: \"%s\"",
			    dg_csv_field(r, c_dur, NULL));
		if ((st = price_add(p, z, z->prev, dur, pv, &why)) != DG_OK)
			return dg_csv_fail(r, st == DG_EDATA ? c_time : c_price,
			    st, "%s", why);
	}
	return st == DG_EOF ? DG_OK : st;
}

int
dg_settle_prices_read(struct dg_settle_prices *p, const char *path,
    const struct dg_csv_opts *co, const struct dg_settle_price_opts *po,
    struct dg_error *err)
{
	struct dg_fetch_input in;
	struct dg_csv *r;
	int st;

	p->decimals = po->decimals;
	if (p->nspan > 0)
		spans_prepare(p);
	/* A normalized file is read as it streams; a native one (or standard
	 * input, or a file that does not open as CSV: the messages are
	 * dg_fetch's) whole, by dg_fetch's parser. */
	if (path != NULL && strcmp(path, "-") != 0 &&
	    dg_csv_open(&r, path, co, err) == DG_OK) {
		if (dg_csv_col(r, "Time Stamp") < 0) {
			st = normalized_rows(p, r);
			if (st == DG_OK)
				st = prices_finish(p, dg_csv_name(r), err);
			dg_csv_close(r);
			return st;
		}
		dg_csv_close(r);
	}
	dg_error_clear(err);
	if ((st = dg_fetch_input_open(&in, path, co, err)) != DG_OK)
		return st;
	if (dg_fetch_input_nyiso(&in)) {
		struct native_arg a = { p, po, in.name };

		st = dg_fetch_input_parse(&in,
		    dg_fetch_source_find(po->stamp_end ?
		    "nyiso-rt" : "nyiso-dam"), NULL, native_rows, &a, err);
	} else
		st = normalized_rows(p, in.csv);
	if (st == DG_OK)
		st = prices_finish(p, in.name, err);
	dg_fetch_input_close(&in);
	return st;
}

static const struct phour *
hour_find(const struct pzone *z, dg_time t)
{
	struct phour key;

	key.t = t;
	return bsearch(&key, z->h, z->n, sizeof(*z->h), cmp_phour);
}

int
dg_settle_prices_has_zone(const struct dg_settle_prices *p, const char *zone)
{
	return zone_find(p, zone) != NULL;
}

int
dg_settle_prices_cover(const struct dg_settle_prices *p, const char *zone,
    dg_time t)
{
	const struct pzone *z = zone_find(p, zone);
	const struct phour *h = z ? hour_find(z, t) : NULL;

	return h ? h->cover : 0;
}

static int
hour_price(const struct phour *h, int decimals, dg_dec *price)
{
	if (h->cover != 3600)
		return DG_EDATA;
	return dg_dec_div(dg_dec_make(h->s, PSCALE), dg_dec_make(3600, 0),
	    decimals, price);
}

int
dg_settle_prices_get(const struct dg_settle_prices *p, const char *zone,
    dg_time t, dg_dec *price)
{
	const struct pzone *z = zone_find(p, zone);
	const struct phour *h = z ? hour_find(z, t) : NULL;

	if (h == NULL)
		return DG_EDATA;
	return hour_price(h, p->decimals, price);
}

size_t
dg_settle_prices_nzones(const struct dg_settle_prices *p)
{
	return p->n;
}

const char *
dg_settle_prices_zone(const struct dg_settle_prices *p, size_t z)
{
	return z < p->n ? p->z[z].name : NULL;
}

size_t
dg_settle_prices_nhours(const struct dg_settle_prices *p, size_t z)
{
	return z < p->n ? p->z[z].n : 0;
}

int
dg_settle_prices_hour(const struct dg_settle_prices *p, size_t z, size_t i,
    dg_time *t, dg_dec *price, int *cover_s)
{
	const struct phour *h;

	if (z >= p->n || i >= p->z[z].n)
		return DG_EINVAL;
	h = &p->z[z].h[i];
	*t = h->t;
	*cover_s = h->cover;
	if (h->cover != 3600) {
		*price = dec_zero();
		return DG_EDATA;
	}
	return hour_price(h, p->decimals, price);
}

int
dg_settle_time_weight(dg_time hour, dg_time start, const dg_time *ends,
    const dg_dec *prices, size_t n, int decimals, int max_interval_s,
    dg_dec *out)
{
	struct dg_settle_prices p;
	struct pzone z;
	const struct phour *h;
	dg_time a = start;
	int st = DG_OK;

	memset(&p, 0, sizeof(p));
	memset(&z, 0, sizeof(z));
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		dg_dec pd;

		if (ends[i] <= a) {
			st = DG_EDATA;
			break;
		}
		if ((st = dg_dec_rescale(prices[i], PSCALE, &pd)) != DG_OK ||
		    prices[i].scale > PSCALE)
			st = DG_ERANGE;
		else if (ends[i] - a <= max_interval_s)
			st = zone_piece(&p, &z, a, ends[i], pd.v);
		a = ends[i];
	}
	if (st == DG_OK) {
		h = hour_find(&z, hour);
		st = h ? hour_price(h, decimals, out) : DG_EDATA;
	}
	free(z.h);
	return st;
}
