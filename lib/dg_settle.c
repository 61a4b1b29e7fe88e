/* dg_settle.c: demand-response settlement rules (see dg_settle.h). */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "dg_fetch.h"
#include "dg_settle.h"

#define PSCALE 6		/* internal scale of prices in the tables */

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static int
grow(void **v, size_t *cap, size_t n, size_t sz)
{
	void *nv;
	size_t nc;

	if (n < *cap)
		return DG_OK;
	nc = *cap ? 2 * *cap : 16;
	if ((nv = realloc(*v, nc * sz)) == NULL)
		return DG_ENOMEM;
	*v = nv;
	*cap = nc;
	return DG_OK;
}

static dg_dec
dec_zero(void)
{
	return dg_dec_make(0, 0);
}

/* kW over one hour as MWh, exact. */
static int
kw_to_mwh(dg_dec kw, dg_dec *out)
{
	if (kw.scale + 3 > DG_DEC_MAX_SCALE) {
		int st = dg_dec_rescale(kw, DG_DEC_MAX_SCALE - 3, &kw);

		if (st != DG_OK)
			return st;
	}
	*out = dg_dec_make(kw.v, kw.scale + 3);
	return DG_OK;
}

static dg_dec
dec_max(dg_dec a, dg_dec b)
{
	return dg_dec_cmp(a, b) >= 0 ? a : b;
}

static int
dec_add_to(dg_dec *acc, dg_dec x)
{
	return dg_dec_add(*acc, x, acc);
}

/* A field as a decimal, or absent when empty. */
static int
get_opt_dec(struct dg_csv *r, int c, int *has, dg_dec *out)
{
	*has = 0;
	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	*has = 1;
	return dg_csv_get_dec(r, c, out);
}

static int
need_field(struct dg_csv *r, int c, const char *what)
{
	if (dg_csv_is_empty(r, c))
		return dg_csv_fail(r, c, DG_EDATA, "empty %s", what);
	return DG_OK;
}

/* --- Prices ------------------------------------------------------------- */

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
	int keep;		/* kept after reading (see dg_settle_prices_keep) */
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
	if (grow((void **)&p->span, &p->capspan, p->nspan, sizeof(*p->span)))
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
	if (grow((void **)&p->zname, &p->capzname, p->nzname,
	    sizeof(*p->zname)) || (p->zname[p->nzname] = xstrdup(zone)) == NULL)
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
	if (!create || grow((void **)&p->z, &p->cap, p->n, sizeof(*p->z)))
		return NULL;
	z = &p->z[p->n];
	memset(z, 0, sizeof(*z));
	if ((z->name = xstrdup(name)) == NULL)
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
	if (grow((void **)&z->run, &z->caprun, z->nrun, sizeof(*z->run)))
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
		if (grow((void **)&z->h, &z->cap, z->n, sizeof(*z->h)))
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
					z->h[k - 1].cover += run_cover(z, z->h[j].t);
			}
			if (z->h[k - 1].cover > 3600) {
				char ts[DG_TIME_BUFSZ];

				dg_time_format(z->h[k - 1].t, ts, sizeof(ts));
				return dg_error_set(err, DG_EDATA, file, 0, NULL,
				    "zone %s: hour %s priced twice", z->name, ts);
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
		if ((st = price_scaled(r->v[DG_FV_PRICE], &pv, &why)) == DG_OK) {
			if (a->po->stamp_end && r->dur > a->po->max_interval_s)
				continue;
			st = price_add(a->p, z, r->t, a->po->stamp_end ?
			    r->dur : 0, pv, &why);
			if (st == DG_EDATA)
				col = "Time Stamp";
		}
		if (st != DG_OK)
			return dg_error_set(err, st, a->name, r->line, col, "%s",
			    why);
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

		st = dg_fetch_input_parse(&in, dg_fetch_source_find(po->stamp_end ?
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

/* --- Programs ------------------------------------------------------------ */

static int
parse_word(struct dg_csv *r, int c, const char *const *words, int dflt,
    int *out)
{
	const char *s;

	if (c < 0 || dg_csv_is_empty(r, c)) {
		if (dflt < 0)
			return dg_csv_fail(r, c, DG_EDATA, "empty");
		*out = dflt;
		return DG_OK;
	}
	s = dg_csv_field(r, c, NULL);
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0) {
			*out = i;
			return DG_OK;
		}
	{
		char list[128];
		size_t k = 0;

		list[0] = '\0';
		for (int i = 0; words[i] != NULL; i++)
			k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
			    i ? ", " : "", words[i]);
		return dg_csv_fail(r, c, DG_EDATA, "not one of %s: \"%s\"",
		    list, s);
	}
}

/* "a-b" or "a" with lo <= a <= b <= hi; *a, *b. */
static int
parse_range(const char *s, int lo, int hi, int *a, int *b)
{
	const char *dash = strchr(s, '-');
	char buf[32];
	int64_t x, y;

	if (strlen(s) >= sizeof(buf))
		return -1;
	if (dash == NULL) {
		if (dg_parse_int(s, lo, hi, &x) != DG_OK)
			return -1;
		*a = *b = (int)x;
		return 0;
	}
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (dg_parse_int(buf, lo, hi, &x) != DG_OK ||
	    dg_parse_int(dash + 1, lo, hi, &y) != DG_OK || y < x)
		return -1;
	*a = (int)x;
	*b = (int)y;
	return 0;
}

static int
get_opt_date(struct dg_csv *r, int c, dg_date *d)
{
	*d = DG_SETTLE_NODATE;
	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	return dg_csv_get_date(r, c, d);
}

void
dg_settle_programs_release(struct dg_settle_programs *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].payer);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

static int
overlap(const struct dg_settle_program *a, const struct dg_settle_program *b)
{
	dg_date af = a->from == DG_SETTLE_NODATE ? INT32_MIN + 1 : a->from;
	dg_date at = a->to == DG_SETTLE_NODATE ? INT32_MAX : a->to;
	dg_date bf = b->from == DG_SETTLE_NODATE ? INT32_MIN + 1 : b->from;
	dg_date bt = b->to == DG_SETTLE_NODATE ? INT32_MAX : b->to;

	return af <= bt && bf <= at;
}

int
dg_settle_programs_read(struct dg_settle_programs *ps, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const bases[] = { "energy", "dadrp", "demand", NULL };
	static const char *const measures[] = { "cbl", "apmd", NULL };
	static const char *const lbmps[] = { "none", "rt", NULL };
	static const char *const yesno[] = { "no", "yes", NULL };
	struct dg_csv *r;
	int st, c_prog, c_payer, c_basis, c_prio, c_from, c_to, c_measure;
	int c_floor, c_lbmp, c_strike, c_cap, c_min, c_credit, c_months, c_hours;
	size_t cap = 0;

	memset(ps, 0, sizeof(*ps));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "program", &c_prog)) != DG_OK ||
	    (st = dg_csv_require(r, "payer", &c_payer)) != DG_OK ||
	    (st = dg_csv_require(r, "basis", &c_basis)) != DG_OK ||
	    (st = dg_csv_require(r, "priority", &c_prio)) != DG_OK)
		goto out;
	c_from = dg_csv_col(r, "from");
	c_to = dg_csv_col(r, "to");
	c_measure = dg_csv_col(r, "measure");
	c_floor = dg_csv_col(r, "floor_usd_per_mwh");
	c_lbmp = dg_csv_col(r, "lbmp");
	c_strike = dg_csv_col(r, "strike");
	c_cap = dg_csv_col(r, "strike_cap_usd_per_mwh");
	c_min = dg_csv_col(r, "min_hours");
	c_credit = dg_csv_col(r, "credit_usd_per_kw");
	c_months = dg_csv_col(r, "months");
	c_hours = dg_csv_col(r, "hours");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_settle_program pg;
		int64_t v;
		int has;

		memset(&pg, 0, sizeof(pg));
		pg.line = dg_csv_line(r);
		pg.hour_from = pg.hour_to = -1;
		if ((st = need_field(r, c_prog, "program name")) != DG_OK ||
		    (st = need_field(r, c_payer, "payer")) != DG_OK ||
		    (st = parse_word(r, c_basis, bases, -1, &pg.basis)) != DG_OK ||
		    (st = parse_word(r, c_measure, measures, DG_SETTLE_CBL,
		    &pg.measure)) != DG_OK ||
		    (st = parse_word(r, c_lbmp, lbmps, 0, &pg.lbmp_rt)) != DG_OK ||
		    (st = parse_word(r, c_strike, yesno, 0, &pg.strike)) != DG_OK ||
		    (st = get_opt_date(r, c_from, &pg.from)) != DG_OK ||
		    (st = get_opt_date(r, c_to, &pg.to)) != DG_OK ||
		    (st = get_opt_dec(r, c_floor, &pg.has_floor, &pg.floor)) != DG_OK ||
		    (st = get_opt_dec(r, c_cap, &pg.has_strike_cap,
		    &pg.strike_cap)) != DG_OK ||
		    (st = get_opt_dec(r, c_credit, &has, &pg.credit_per_kw)) != DG_OK)
			goto out;
		if (dg_parse_int(dg_csv_field(r, c_prio, NULL), 0, 1000000, &v)) {
			st = dg_csv_fail(r, c_prio, DG_EDATA,
			    "priority must be an integer from 0 to 1000000: \"%s\"",
			    dg_csv_field(r, c_prio, NULL));
			goto out;
		}
		pg.priority = (int)v;
		if (c_min >= 0 && !dg_csv_is_empty(r, c_min)) {
			if (dg_parse_int(dg_csv_field(r, c_min, NULL), 0, 24, &v)) {
				st = dg_csv_fail(r, c_min, DG_EDATA,
				    "min_hours must be an integer from 0 to 24: \"%s\"",
				    dg_csv_field(r, c_min, NULL));
				goto out;
			}
			pg.min_hours = (int)v;
		}
		if (c_months >= 0 && !dg_csv_is_empty(r, c_months)) {
			int a, b;

			if (parse_range(dg_csv_field(r, c_months, NULL), 1, 12, &a, &b)) {
				st = dg_csv_fail(r, c_months, DG_EDATA,
				    "months must be M or M-N (1-12): \"%s\"",
				    dg_csv_field(r, c_months, NULL));
				goto out;
			}
			for (int m = a; m <= b; m++)
				pg.months |= 1u << (m - 1);
		}
		if (c_hours >= 0 && !dg_csv_is_empty(r, c_hours)) {
			if (parse_range(dg_csv_field(r, c_hours, NULL), 0, 24,
			    &pg.hour_from, &pg.hour_to) || pg.hour_from == pg.hour_to) {
				st = dg_csv_fail(r, c_hours, DG_EDATA,
				    "hours must be H-H (local clock hours, 0-24): \"%s\"",
				    dg_csv_field(r, c_hours, NULL));
				goto out;
			}
		}
		if (pg.from != DG_SETTLE_NODATE && pg.to != DG_SETTLE_NODATE &&
		    pg.to < pg.from) {
			st = dg_csv_fail(r, c_to, DG_EDATA, "to is before from");
			goto out;
		}
		if (pg.basis == DG_SETTLE_ENERGY && !pg.has_floor && !pg.lbmp_rt &&
		    !pg.strike) {
			st = dg_csv_fail(r, c_basis, DG_EDATA,
			    "energy program without floor_usd_per_mwh, lbmp or strike");
			goto out;
		}
		if (pg.basis == DG_SETTLE_DEMAND && !has) {
			st = dg_csv_fail(r, c_credit < 0 ? c_basis : c_credit, DG_EDATA,
			    "demand program without credit_usd_per_kw");
			goto out;
		}
		if ((pg.has_floor && dg_dec_sign(pg.floor) < 0) ||
		    (has && dg_dec_sign(pg.credit_per_kw) < 0)) {
			st = dg_csv_fail(r, -1, DG_EDATA, "negative rate");
			goto out;
		}
		for (size_t i = 0; i < ps->n; i++) {
			const struct dg_settle_program *q = &ps->v[i];
			const char *nm = dg_csv_field(r, c_prog, NULL);

			if (strcmp(q->name, nm) == 0 && overlap(q, &pg)) {
				st = dg_csv_fail(r, c_prog, DG_EDATA,
				    "program \"%s\" already defined for these dates (line %ld)",
				    nm, q->line);
				goto out;
			}
			if (strcmp(q->name, nm) != 0 && q->priority == pg.priority) {
				st = dg_csv_fail(r, c_prio, DG_EDATA,
				    "priority %d already used by program \"%s\"",
				    pg.priority, q->name);
				goto out;
			}
		}
		if (grow((void **)&ps->v, &cap, ps->n, sizeof(*ps->v)) ||
		    (pg.name = xstrdup(dg_csv_field(r, c_prog, NULL))) == NULL ||
		    (pg.payer = xstrdup(dg_csv_field(r, c_payer, NULL))) == NULL) {
			free(pg.name);
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		ps->v[ps->n++] = pg;
	}
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK && ps->n == 0)
		st = dg_csv_fail(r, -1, DG_EDATA, "no programs");
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_settle_programs_release(ps);
	}
	dg_csv_close(r);
	return st;
}

const struct dg_settle_program *
dg_settle_programs_find(const struct dg_settle_programs *ps, const char *name,
    dg_date d)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct dg_settle_program *p = &ps->v[i];

		if (strcmp(p->name, name) == 0 &&
		    (p->from == DG_SETTLE_NODATE || d >= p->from) &&
		    (p->to == DG_SETTLE_NODATE || d <= p->to))
			return p;
	}
	return NULL;
}

int
dg_settle_programs_known(const struct dg_settle_programs *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return 1;
	return 0;
}

/* --- Events ------------------------------------------------------------- */

static int
cmp_event(const void *a, const void *b)
{
	return strcmp(((const struct dg_settle_event *)a)->event,
	    ((const struct dg_settle_event *)b)->event);
}

void
dg_settle_events_release(struct dg_settle_events *es)
{
	for (size_t i = 0; i < es->n; i++) {
		free(es->v[i].event);
		free(es->v[i].program);
	}
	free(es->v);
	es->v = NULL;
	es->n = 0;
}

/* "HH:MM" on date d; 24:00 is the next midnight. */
static int
clock_time(struct dg_csv *r, int c, dg_date d, dg_time *out)
{
	const char *s = dg_csv_field(r, c, NULL);
	int64_t h, m;
	char hh[3];

	if (strlen(s) != 5 || s[2] != ':')
		goto bad;
	hh[0] = s[0];
	hh[1] = s[1];
	hh[2] = '\0';
	if (dg_parse_int(hh, 0, 24, &h) || dg_parse_int(s + 3, 0, 59, &m) ||
	    (h == 24 && m != 0))
		goto bad;
	if (h == 24)
		return dg_date_start(d + 1, out) == DG_OK ? DG_OK :
		    dg_csv_fail(r, c, DG_EDATA, "no such local time");
	{
		int y, mo, dd;

		dg_date_to_ymd(d, &y, &mo, &dd);
		if (dg_time_from_local(y, mo, dd, (int)h, (int)m, 0, out) != DG_OK)
			return dg_csv_fail(r, c, DG_EDATA,
			    "no such local time on that date: \"%s\"", s);
	}
	return DG_OK;
bad:
	return dg_csv_fail(r, c, DG_EDATA, "not a clock time HH:MM: \"%s\"", s);
}

/* By event, then by line: the first row of a name first. */
static int
cmp_event_line(const void *a, const void *b)
{
	const struct dg_settle_event *x = a, *y = b;
	int c = strcmp(x->event, y->event);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Reads every row, then sorts once.  The error is the one a row-by-row
 * check gives: the first bad row in file order, a repeated name counting
 * as bad on its second row. */
int
dg_settle_events_read(struct dg_settle_events *es, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_ev, c_prog, c_date, c_start, c_end;
	size_t cap = 0, dup = 0;
	long dup_line = 0;

	memset(es, 0, sizeof(*es));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "event", &c_ev)) != DG_OK ||
	    (st = dg_csv_require(r, "program", &c_prog)) != DG_OK ||
	    (st = dg_csv_require(r, "date", &c_date)) != DG_OK ||
	    (st = dg_csv_require(r, "start", &c_start)) != DG_OK ||
	    (st = dg_csv_require(r, "end", &c_end)) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_settle_event e;
		dg_date d;

		memset(&e, 0, sizeof(e));
		e.line = dg_csv_line(r);
		if ((st = need_field(r, c_ev, "event")) != DG_OK ||
		    (st = need_field(r, c_prog, "program")) != DG_OK ||
		    (st = dg_csv_get_date(r, c_date, &d)) != DG_OK ||
		    (st = clock_time(r, c_start, d, &e.start)) != DG_OK ||
		    (st = clock_time(r, c_end, d, &e.end)) != DG_OK)
			break;
		if (e.end <= e.start) {
			st = dg_csv_fail(r, c_end, DG_EDATA, "end not after start");
			break;
		}
		if (grow((void **)&es->v, &cap, es->n, sizeof(*es->v)) ||
		    (e.event = xstrdup(dg_csv_field(r, c_ev, NULL))) == NULL ||
		    (e.program = xstrdup(dg_csv_field(r, c_prog, NULL))) == NULL) {
			free(e.event);
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		es->v[es->n++] = e;
	}
	if (es->n > 1)
		qsort(es->v, es->n, sizeof(*es->v), cmp_event_line);
	/* The repeated name whose second row comes first: it precedes a bad
	 * row, which ended the reading. */
	for (size_t i = 1; i < es->n; i++)
		if (strcmp(es->v[i].event, es->v[i - 1].event) == 0 &&
		    (i == 1 || strcmp(es->v[i - 1].event, es->v[i - 2].event) != 0) &&
		    (dup_line == 0 || es->v[i].line < dup_line)) {
			dup = i;
			dup_line = es->v[i].line;
		}
	if (dup_line > 0) {
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r),
		    dup_line, dg_csv_colname(r, (size_t)c_ev),
		    "duplicate event \"%s\"", es->v[dup].event);
		goto out;
	}
	if (st == DG_EOF)
		st = DG_OK;
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_settle_events_release(es);
	}
	dg_csv_close(r);
	return st;
}

const struct dg_settle_event *
dg_settle_events_find(const struct dg_settle_events *es, const char *event)
{
	struct dg_settle_event key;

	if (es->n == 0)
		return NULL;
	key.event = (char *)event;
	return bsearch(&key, es->v, es->n, sizeof(*es->v), cmp_event);
}

/* --- Keyed tables --------------------------------------------------------- */

void
dg_settle_table_release(struct dg_settle_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].site);
		free(t->v[i].key);
		free(t->v[i].program);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int
cmp_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_kv_key(const void *a, const void *b)
{
	const struct dg_settle_kv *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	return c ? c : cmp_opt(x->key, y->key);
}

static int
cmp_kv_prog(const void *a, const void *b)
{
	const struct dg_settle_kv *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	return c ? c : cmp_opt(x->program, y->program);
}

/* Index of the first entry of site, or t->n. */
static size_t
kv_first(const struct dg_settle_table *t, const char *site)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->v[mid].site, site) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A table of site [, key] [, program] -> value. */
static int
table_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, const char *keycol, const char *progcol,
    const char *valcol, const dg_dec *lo, const dg_dec *hi,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_site, c_key = -1, c_prog = -1, c_val;
	size_t cap = 0;

	memset(t, 0, sizeof(*t));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (keycol && (st = dg_csv_require(r, keycol, &c_key)) != DG_OK) ||
	    (st = dg_csv_require(r, valcol, &c_val)) != DG_OK)
		goto out;
	if (progcol)
		c_prog = dg_csv_col(r, progcol);
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_settle_kv kv;

		memset(&kv, 0, sizeof(kv));
		kv.line = dg_csv_line(r);
		if ((st = need_field(r, c_site, "site")) != DG_OK ||
		    (c_key >= 0 && (st = need_field(r, c_key, keycol)) != DG_OK) ||
		    (st = dg_csv_get_dec(r, c_val, &kv.value)) != DG_OK)
			goto out;
		if ((lo && dg_dec_cmp(kv.value, *lo) < 0) ||
		    (hi && dg_dec_cmp(kv.value, *hi) > 0)) {
			st = dg_csv_fail(r, c_val, DG_EDATA, "%s out of range: \"%s\"",
			    valcol, dg_csv_field(r, c_val, NULL));
			goto out;
		}
		if (grow((void **)&t->v, &cap, t->n, sizeof(*t->v)) ||
		    (kv.site = xstrdup(dg_csv_field(r, c_site, NULL))) == NULL ||
		    (c_key >= 0 &&
		    (kv.key = xstrdup(dg_csv_field(r, c_key, NULL))) == NULL) ||
		    (c_prog >= 0 && !dg_csv_is_empty(r, c_prog) &&
		    (kv.program = xstrdup(dg_csv_field(r, c_prog, NULL))) == NULL)) {
			free(kv.site);
			free(kv.key);
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		t->v[t->n++] = kv;
	}
	if (st == DG_EOF)
		st = DG_OK;
out:
	if (st != DG_OK)
		*err = *dg_csv_error(r);
	else {
		/* Sorted by site, then key or program: duplicates are neighbours
		 * and look-ups are binary searches. */
		t->by_program = progcol != NULL;
		if (t->n > 1)
			qsort(t->v, t->n, sizeof(*t->v),
			    progcol ? cmp_kv_prog : cmp_kv_key);
		for (size_t i = 1; i < t->n && st == DG_OK; i++)
			if ((progcol ? cmp_kv_prog : cmp_kv_key)(&t->v[i - 1],
			    &t->v[i]) == 0) {
				const struct dg_settle_kv *x = &t->v[i - 1], *y = &t->v[i];

				st = dg_error_set(err, DG_EDATA, dg_csv_name(r),
				    x->line > y->line ? x->line : y->line, "site",
				    "site \"%s\" already listed (line %ld)", x->site,
				    x->line < y->line ? x->line : y->line);
			}
	}
	if (st != DG_OK)
		dg_settle_table_release(t);
	dg_csv_close(r);
	return st;
}

int
dg_settle_offers_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	dg_dec zero = dec_zero();

	return table_read(t, path, o, "program", NULL, "strike_usd_per_mwh",
	    &zero, NULL, err);
}

int
dg_settle_apmd_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	dg_dec zero = dec_zero();

	return table_read(t, path, o, NULL, NULL, "apmd_kw", &zero, NULL, err);
}

int
dg_settle_contracts_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	dg_dec zero = dec_zero(), hundred = dg_dec_make(100, 0);

	return table_read(t, path, o, "participant", "program", "share_pct",
	    &zero, &hundred, err);
}

const struct dg_settle_kv *
dg_settle_table_find(const struct dg_settle_table *t, const char *site,
    const char *key)
{
	for (size_t i = kv_first(t, site); i < t->n &&
	    strcmp(t->v[i].site, site) == 0; i++)
		if (key == NULL || (t->v[i].key && strcmp(t->v[i].key, key) == 0))
			return &t->v[i];
	return NULL;
}

const struct dg_settle_kv *
dg_settle_contract_find(const struct dg_settle_table *t, const char *site,
    const char *program)
{
	const struct dg_settle_kv *any = NULL;

	for (size_t i = kv_first(t, site); i < t->n &&
	    strcmp(t->v[i].site, site) == 0; i++) {
		if (t->v[i].program == NULL)
			any = &t->v[i];
		else if (program && strcmp(t->v[i].program, program) == 0)
			return &t->v[i];
	}
	return any;
}

/* --- Payments ------------------------------------------------------------ */

void
dg_settle_params_init(struct dg_settle_params *p)
{
	p->net_negative = 0;
	p->min_hours_rule = 0;
	p->round_mwh = -1;
	p->kw_decimals = 3;
}

static const char *const kind_names[] = {
	"event", "continuation", "da", "shortfall", "credit", "net-floor",
	"unpaid", "total"
};

const char *
dg_settle_kind_name(int kind)
{
	if (kind < 0 || kind > DG_SL_TOTAL)
		return "?";
	return kind_names[kind];
}

struct srow {
	struct dg_settle_row *r;
	const struct dg_settle_program *pg;
	const struct dg_settle_event *ev;
	const char *lost_to;	/* paid by another program in this hour */
};

static int
cmp_srow_time(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;

	if (x->r->t != y->r->t)
		return x->r->t < y->r->t ? -1 : 1;
	if (x->pg->priority != y->pg->priority)
		return x->pg->priority < y->pg->priority ? -1 : 1;
	return strcmp(x->r->event, y->r->event);
}

static int
cmp_srow_event(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;
	int c = strcmp(x->r->event, y->r->event);

	if (c != 0)
		return c;
	return x->r->t < y->r->t ? -1 : x->r->t > y->r->t;
}

static int
row_fail(struct dg_error *err, const char *input, const struct dg_settle_row *r,
    const char *col, int st, const char *fmt, const char *a, const char *b)
{
	char ts[DG_TIME_BUFSZ];
	char msg[400];

	dg_time_format(r->t, ts, sizeof(ts));
	snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
	return dg_error_set(err, st, input, r->line, col, "%s at %s", msg, ts);
}

static int
price_at(const struct dg_settle_prices *p, const char *which, const char *zone,
    const struct dg_settle_row *r, const char *input, dg_dec *out,
    struct dg_error *err)
{
	if (p == NULL)
		return row_fail(err, input, r, NULL, DG_EDATA,
		    "no %s prices given (the program needs them)", which, NULL);
	if (dg_settle_prices_get(p, zone, r->t, out) != DG_OK) {
		int cover = dg_settle_prices_cover(p, zone, r->t);
		char why[64];

		if (cover == 0)
			snprintf(why, sizeof(why), "none");
		else
			snprintf(why, sizeof(why), "%d s of 3600 covered", cover);
		row_fail(err, input, r, NULL, DG_EDATA,
		    "missing %s price hour for zone %s", which, zone);
		snprintf(err->msg + strlen(err->msg),
		    sizeof(err->msg) - strlen(err->msg), " (%s)", why);
		return DG_EDATA;
	}
	return DG_OK;
}

static void
line_init(struct dg_settle_line *l, const char *site, const struct srow *s)
{
	memset(l, 0, sizeof(*l));
	l->site = site;
	l->event = s->r->event;
	l->program = s->r->program;
	l->payer = s->pg->payer;
	l->t = s->r->t;
	l->has_kw = 1;
	l->reduction_kw = s->r->reduction_kw;
	l->payment = dg_dec_make(0, 2);
	l->quality = s->r->quality;
	l->line = s->r->line;
}

/* The reduction a program measures in one row; DG_EOF when the input has
 * none (dg-cbl leaves it empty when no CBL or no load was found). */
static int
measured(const struct dg_settle *s, const char *site, const struct srow *sr,
    const char *input, dg_dec *kw, struct dg_error *err)
{
	const struct dg_settle_kv *a;

	if (sr->pg->measure == DG_SETTLE_CBL) {
		*kw = sr->r->reduction_kw;
		return sr->r->no_reduction ? DG_EOF : DG_OK;
	}
	if (!sr->r->has_actual)
		return DG_EOF;	/* no load measured: the hour is not paid */
	if (s->apmd == NULL || (a = dg_settle_table_find(s->apmd, site, NULL)) == NULL)
		return row_fail(err, input, sr->r, NULL, DG_EDATA,
		    "no APMD for site %s (program %s)", site, sr->pg->name);
	if (dg_dec_sub(a->value, sr->r->actual_kw, kw) != DG_OK)
		return row_fail(err, input, sr->r, "actual_kw", DG_ERANGE,
		    "reduction out of range", NULL, NULL);
	return DG_OK;
}

/* Clipped (or not) reduction as MWh, rounded as asked. */
static int
paid_mwh(const struct dg_settle *s, dg_dec kw, dg_dec *mwh, const char **note)
{
	int st;

	if (dg_dec_sign(kw) < 0 && !s->par.net_negative) {
		kw = dg_dec_make(0, kw.scale);
		*note = "negative hour clipped";
	} else if (dg_dec_sign(kw) < 0)
		*note = "negative hour netted";
	if ((st = kw_to_mwh(kw, mwh)) != DG_OK)
		return st;
	if (s->par.round_mwh >= 0)
		return dg_dec_rescale(*mwh, s->par.round_mwh, mwh);
	return DG_OK;
}

static int
in_program_hours(const struct dg_settle_program *pg, dg_time t)
{
	struct dg_local lt;

	if (pg->months == 0 && pg->hour_from < 0)
		return 1;
	dg_time_local(t, &lt);
	if (pg->months && !(pg->months & (1u << (lt.mon - 1))))
		return 0;
	if (pg->hour_from >= 0 && (lt.hour < pg->hour_from || lt.hour >= pg->hour_to))
		return 0;
	return 1;
}

/* One site's rows of one event (sorted by time). */
static int
settle_event(const struct dg_settle *s, const char *site, const char *zone,
    struct srow *v, size_t n, dg_settle_emit_fn emit, void *arg,
    const char *input, struct dg_error *err)
{
	const struct dg_settle_program *pg = v[0].pg;
	const struct dg_settle_event *ev = v[0].ev;
	dg_dec net = dg_dec_make(0, 2), rate = dec_zero();
	int has_rate = 0, pays = 0, st;
	struct dg_settle_line l;
	char note[160];

	/* A strike offer is needed only when this program pays some hour:
	 * hours that another program pays (one payer) need none. */
	for (size_t i = 0; i < n; i++)
		pays |= v[i].lost_to == NULL;
	if (pg->basis == DG_SETTLE_ENERGY && pg->strike) {
		const struct dg_settle_kv *o = s->offers ?
		    dg_settle_table_find(s->offers, site, pg->name) : NULL;

		if (o == NULL && !pays)
			;	/* every hour paid by another program */
		else if (o == NULL)
			return row_fail(err, input, v[0].r, NULL, DG_EDATA,
			    "no strike offer for site %s in program %s", site,
			    pg->name);
		else if (pg->has_strike_cap &&
		    dg_dec_cmp(o->value, pg->strike_cap) > 0)
			return row_fail(err, input, v[0].r, NULL, DG_EDATA,
			    "site %s offers a strike above program %s's cap",
			    site, pg->name);
		else {
			rate = o->value;
			has_rate = 1;
		}
	} else if (pg->basis == DG_SETTLE_ENERGY && pg->has_floor) {
		rate = pg->floor;
		has_rate = 1;
	}

	if (pg->basis == DG_SETTLE_DEMAND) {
		dg_dec sum = dec_zero(), kw, credit;
		size_t nwin = 0, first = n;

		for (size_t i = 0; i < n; i++) {
			dg_dec red;

			if ((ev && (v[i].r->t < ev->start || v[i].r->t >= ev->end)) ||
			    !in_program_hours(pg, v[i].r->t)) {
				line_init(&l, site, &v[i]);
				l.kind = DG_SL_UNPAID;
				l.note = ev && (v[i].r->t < ev->start || v[i].r->t >= ev->end) ?
				    "outside the call" : "outside the program's hours";
				if ((st = emit(arg, &l)) != DG_OK)
					return st;
				continue;
			}
			nwin++;
			if (first == n)
				first = i;
			if (v[i].lost_to) {
				line_init(&l, site, &v[i]);
				l.kind = DG_SL_UNPAID;
				snprintf(note, sizeof(note), "paid by %s", v[i].lost_to);
				l.note = note;
				if ((st = emit(arg, &l)) != DG_OK)
					return st;
				continue;
			}
			if ((st = measured(s, site, &v[i], input, &red, err)) == DG_EOF) {
				line_init(&l, site, &v[i]);
				l.kind = DG_SL_UNPAID;
				l.has_kw = 0;
				l.note = "no reduction measured";
				if ((st = emit(arg, &l)) != DG_OK)
					return st;
				continue;
			}
			if (st != DG_OK)
				return st;
			if (dg_dec_sign(red) < 0 && !s->par.net_negative)
				continue;	/* clipped to zero */
			if ((st = dec_add_to(&sum, red)) != DG_OK)
				return row_fail(err, input, v[i].r, NULL, st,
				    "reduction sum out of range", NULL, NULL);
		}
		if (nwin == 0)
			return DG_OK;
		if ((st = dg_dec_div(sum, dg_dec_make((int64_t)nwin, 0),
		    s->par.kw_decimals, &kw)) != DG_OK ||
		    (dg_dec_sign(kw) < 0 && (kw = dec_zero(), 0)) ||
		    (st = dg_dec_mul(kw, pg->credit_per_kw, 2, &credit)) != DG_OK)
			return row_fail(err, input, v[first].r, NULL, DG_ERANGE,
			    "credit out of range", NULL, NULL);
		line_init(&l, site, &v[first]);
		l.kind = DG_SL_CREDIT;
		l.has_kw = 0;
		l.has_rate = 1;
		l.kw = kw;
		l.rate = pg->credit_per_kw;
		l.payment = credit;
		snprintf(note, sizeof(note), "mean of %zu hour%s", nwin,
		    nwin == 1 ? "" : "s");
		l.note = note;
		return emit(arg, &l);
	}

	for (size_t i = 0; i < n; i++) {
		struct srow *sr = &v[i];
		int kind = DG_SL_EVENT;
		dg_dec red, mwh, price, rt, da;
		const char *nt = NULL;

		line_init(&l, site, sr);
		if (ev && (sr->r->t < ev->start || sr->r->t >= ev->end)) {
			if (s->par.min_hours_rule && pg->min_hours > 0 &&
			    sr->r->t >= ev->end &&
			    sr->r->t < ev->start + (dg_time)pg->min_hours * 3600)
				kind = DG_SL_CONTINUATION;
			else {
				l.kind = DG_SL_UNPAID;
				l.note = "outside the call";
				if ((st = emit(arg, &l)) != DG_OK)
					return st;
				continue;
			}
		}
		if (sr->lost_to) {
			snprintf(note, sizeof(note), "paid by %s", sr->lost_to);
			l.kind = DG_SL_UNPAID;
			l.note = note;
			if ((st = emit(arg, &l)) != DG_OK)
				return st;
			continue;
		}
		if ((st = measured(s, site, sr, input, &red, err)) == DG_EOF) {
			l.kind = DG_SL_UNPAID;
			l.has_kw = 0;
			l.note = "no reduction measured";
			if ((st = emit(arg, &l)) != DG_OK)
				return st;
			continue;
		}
		if (st != DG_OK)
			return st;
		l.reduction_kw = red;
		if (pg->basis == DG_SETTLE_DADRP) {
			dg_dec sched, short_kw, smwh;

			if (!sr->r->has_sched)
				return row_fail(err, input, sr->r, "scheduled_kw",
				    DG_EDATA, "program %s needs scheduled_kw", pg->name,
				    NULL);
			if ((st = price_at(s->da, "day-ahead", zone, sr->r, input,
			    &da, err)) != DG_OK)
				return st;
			sched = sr->r->scheduled_kw;
			if ((st = kw_to_mwh(sched, &smwh)) != DG_OK ||
			    (s->par.round_mwh >= 0 &&
			    (st = dg_dec_rescale(smwh, s->par.round_mwh, &smwh)) != DG_OK) ||
			    (st = dg_dec_mul(smwh, da, 2, &l.payment)) != DG_OK)
				return row_fail(err, input, sr->r, NULL, DG_ERANGE,
				    "payment out of range", NULL, NULL);
			l.kind = DG_SL_DA;
			l.has_mwh = l.has_price = 1;
			l.mwh = smwh;
			l.price = da;
			if ((st = emit(arg, &l)) != DG_OK)
				return st;
			if (dg_dec_sign(red) < 0 && !s->par.net_negative)
				red = dec_zero();
			if ((st = dg_dec_sub(sched, red, &short_kw)) != DG_OK)
				return row_fail(err, input, sr->r, NULL, DG_ERANGE,
				    "shortfall out of range", NULL, NULL);
			if (dg_dec_sign(short_kw) <= 0)
				continue;
			if ((st = price_at(s->rt, "real-time", zone, sr->r, input,
			    &rt, err)) != DG_OK)
				return st;
			if ((st = kw_to_mwh(short_kw, &smwh)) != DG_OK ||
			    (s->par.round_mwh >= 0 &&
			    (st = dg_dec_rescale(smwh, s->par.round_mwh, &smwh)) != DG_OK))
				return row_fail(err, input, sr->r, NULL, DG_ERANGE,
				    "shortfall out of range", NULL, NULL);
			smwh.v = -smwh.v;
			line_init(&l, site, sr);
			l.reduction_kw = red;
			l.kind = DG_SL_SHORTFALL;
			l.has_mwh = l.has_price = 1;
			l.mwh = smwh;
			l.price = dec_max(da, rt);
			if ((st = dg_dec_mul(smwh, l.price, 2, &l.payment)) != DG_OK)
				return row_fail(err, input, sr->r, NULL, DG_ERANGE,
				    "payment out of range", NULL, NULL);
			l.note = "shortfall at max(DA, RT)";
			if ((st = emit(arg, &l)) != DG_OK)
				return st;
			continue;
		}
		/* Energy. */
		if ((st = paid_mwh(s, red, &mwh, &nt)) != DG_OK)
			return row_fail(err, input, sr->r, NULL, DG_ERANGE,
			    "energy out of range", NULL, NULL);
		if (kind == DG_SL_CONTINUATION) {
			if ((st = price_at(s->rt, "real-time", zone, sr->r, input,
			    &price, err)) != DG_OK)
				return st;
			nt = nt ? nt : "minimum-hours hour at LBMP";
		} else if (pg->lbmp_rt) {
			if ((st = price_at(s->rt, "real-time", zone, sr->r, input,
			    &rt, err)) != DG_OK)
				return st;
			price = has_rate ? dec_max(rate, rt) : rt;
		} else
			price = rate;
		l.kind = kind;
		l.has_mwh = l.has_price = 1;
		l.mwh = mwh;
		l.price = price;
		l.note = nt;
		if ((st = dg_dec_mul(mwh, price, 2, &l.payment)) != DG_OK ||
		    (st = dec_add_to(&net, l.payment)) != DG_OK)
			return row_fail(err, input, sr->r, NULL, DG_ERANGE,
			    "payment out of range", NULL, NULL);
		if ((st = emit(arg, &l)) != DG_OK)
			return st;
	}
	if (s->par.net_negative && dg_dec_sign(net) < 0) {
		line_init(&l, site, &v[n - 1]);
		l.kind = DG_SL_NETFLOOR;
		l.has_kw = 0;
		l.payment = dg_dec_make(-net.v, net.scale);
		l.note = "event net below zero raised to zero";
		return emit(arg, &l);
	}
	return DG_OK;
}

int
dg_settle_site(const struct dg_settle *s, const char *site, const char *zone,
    struct dg_settle_row *rows, size_t n, dg_settle_emit_fn emit, void *arg,
    const char *input, struct dg_error *err)
{
	struct srow *v;
	int st = DG_OK;

	if (n == 0)
		return DG_OK;
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct dg_settle_row *r = &rows[i];

		v[i].r = r;
		v[i].pg = dg_settle_programs_find(s->programs, r->program,
		    dg_date_of(r->t));
		if (v[i].pg == NULL) {
			st = row_fail(err, input, r, "program", DG_EDATA,
			    dg_settle_programs_known(s->programs, r->program) ?
			    "program \"%s\" has no terms for this date%s" :
			    "unknown program \"%s\"%s", r->program, "");
			goto out;
		}
		if (s->events != NULL) {
			v[i].ev = dg_settle_events_find(s->events, r->event);
			if (v[i].ev == NULL) {
				st = row_fail(err, input, r, "event", DG_EDATA,
				    "event \"%s\" not in the events file%s", r->event, "");
				goto out;
			}
			if (strcmp(v[i].ev->program, r->program) != 0) {
				st = row_fail(err, input, r, "program", DG_EDATA,
				    "event \"%s\" is a call of program %s", r->event,
				    v[i].ev->program);
				goto out;
			}
		}
	}
	/* One payer per site-hour: the lowest priority number wins. */
	qsort(v, n, sizeof(*v), cmp_srow_time);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j].r->t == v[i].r->t; j++) {
			if (strcmp(v[j].r->event, v[j - 1].r->event) == 0) {
				st = row_fail(err, input, v[j].r, "time", DG_EDATA,
				    "site %s: event \"%s\" has this hour twice", site,
				    v[j].r->event);
				goto out;
			}
			/* Two calls of one program in one hour: the first event
			 * (by name) pays it. */
			v[j].lost_to = strcmp(v[j].pg->name, v[i].pg->name) == 0 ?
			    v[i].r->event : v[i].pg->name;
		}
	}
	qsort(v, n, sizeof(*v), cmp_srow_event);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(v[j].r->event, v[i].r->event) == 0; j++)
			if (strcmp(v[j].r->program, v[i].r->program) != 0) {
				st = row_fail(err, input, v[j].r, "program", DG_EDATA,
				    "event \"%s\" names two programs (%s)", v[j].r->event,
				    v[i].r->program);
				goto out;
			}
		if ((st = settle_event(s, site, zone, v + i, j - i, emit, arg, input,
		    err)) != DG_OK)
			goto out;
	}
out:
	free(v);
	return st;
}

/* --- Portfolio unit ------------------------------------------------------- */

struct pfent {
	char *event, *program, *payer;
	dg_time t;
	int kind, has_price, has_mwh, has_rate;
	dg_dec price, mwh, kw, red, pay, rate;
	long sites, hours;
};

struct dg_settle_pf {
	struct pfent *v;
	size_t n, cap;
};

int
dg_settle_pf_alloc(struct dg_settle_pf **pf)
{
	return (*pf = calloc(1, sizeof(**pf))) ? DG_OK : DG_ENOMEM;
}

void
dg_settle_pf_free(struct dg_settle_pf *pf)
{
	if (pf == NULL)
		return;
	for (size_t i = 0; i < pf->n; i++) {
		free(pf->v[i].event);
		free(pf->v[i].program);
		free(pf->v[i].payer);
	}
	free(pf->v);
	free(pf);
}

int
dg_settle_pf_add(struct dg_settle_pf *pf, const struct dg_settle_line *l)
{
	struct pfent *e;

	if (grow((void **)&pf->v, &pf->cap, pf->n, sizeof(*pf->v)))
		return DG_ENOMEM;
	e = &pf->v[pf->n];
	memset(e, 0, sizeof(*e));
	if ((e->event = xstrdup(l->event)) == NULL ||
	    (e->program = xstrdup(l->program)) == NULL ||
	    (e->payer = xstrdup(l->payer)) == NULL) {
		free(e->event);
		free(e->program);
		return DG_ENOMEM;
	}
	e->t = l->t;
	e->kind = l->kind;
	e->has_price = l->has_price;
	e->has_mwh = l->has_mwh;
	e->has_rate = l->has_rate;
	e->price = l->has_price ? l->price : dec_zero();
	e->mwh = l->has_mwh ? l->mwh : dec_zero();
	e->kw = l->has_rate ? l->kw : dec_zero();
	e->rate = l->has_rate ? l->rate : dec_zero();
	e->red = l->has_kw ? l->reduction_kw : dec_zero();
	e->pay = l->payment;
	e->sites = 1;
	pf->n++;
	return DG_OK;
}

/* Groups: one event, program, kind and price (the hours of an event at
 * one price are one quantity); ordered by time inside. */
static int
cmp_pf(const void *a, const void *b)
{
	const struct pfent *x = a, *y = b;
	int c;

	if ((c = strcmp(x->event, y->event)) != 0 ||
	    (c = strcmp(x->program, y->program)) != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->has_price != y->has_price)
		return x->has_price < y->has_price ? -1 : 1;
	if ((c = dg_dec_cmp(x->price, y->price)) != 0)
		return c;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* Output order: event, program, first hour, kind. */
static int
cmp_pf_out(const void *a, const void *b)
{
	const struct pfent *x = a, *y = b;
	int c;

	if ((c = strcmp(x->event, y->event)) != 0 ||
	    (c = strcmp(x->program, y->program)) != 0)
		return c;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static int
same_pf(const struct pfent *x, const struct pfent *y)
{
	return strcmp(x->event, y->event) == 0 &&
	    strcmp(x->program, y->program) == 0 && x->kind == y->kind &&
	    x->has_price == y->has_price && dg_dec_cmp(x->price, y->price) == 0;
}

static void
pfent_free(struct pfent *e)
{
	free(e->event);
	free(e->program);
	free(e->payer);
	e->event = e->program = e->payer = NULL;
}

int
dg_settle_pf_emit(struct dg_settle_pf *pf, int round_mwh,
    dg_settle_emit_fn emit, void *arg, struct dg_error *err)
{
	size_t k = 0;

	qsort(pf->v, pf->n, sizeof(*pf->v), cmp_pf);
	for (size_t i = 0, j; i < pf->n; i = j) {
		struct pfent acc = pf->v[i];
		long hours = 1;

		for (j = i + 1; j < pf->n && same_pf(&pf->v[j], &acc); j++) {
			if (dec_add_to(&acc.mwh, pf->v[j].mwh) ||
			    dec_add_to(&acc.red, pf->v[j].red) ||
			    dec_add_to(&acc.kw, pf->v[j].kw) ||
			    dec_add_to(&acc.pay, pf->v[j].pay))
				return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
				    "event %s: portfolio total out of range",
				    acc.event);
			if (pf->v[j].t != pf->v[j - 1].t)
				hours++;
			acc.sites++;
			pfent_free(&pf->v[j]);
		}
		acc.hours = hours;
		pf->v[k++] = acc;
	}
	pf->n = k;
	qsort(pf->v, pf->n, sizeof(*pf->v), cmp_pf_out);
	for (size_t i = 0; i < pf->n; i++) {
		const struct pfent *acc = &pf->v[i];
		struct dg_settle_line l;
		char note[96];
		int st = DG_OK;

		memset(&l, 0, sizeof(l));
		l.site = "";
		l.event = acc->event;
		l.program = acc->program;
		l.payer = acc->payer;
		l.t = acc->t;
		l.kind = acc->kind;
		l.has_kw = 1;
		l.reduction_kw = acc->red;
		l.has_mwh = acc->has_mwh;
		l.has_price = acc->has_price;
		l.mwh = acc->mwh;
		l.price = acc->price;
		l.payment = acc->pay;
		if (acc->has_rate) {
			l.has_rate = 1;
			l.kw = acc->kw;
			l.rate = acc->rate;
		}
		if (acc->has_mwh && acc->has_price) {
			if (round_mwh >= 0)
				st = dg_dec_rescale(l.mwh, round_mwh, &l.mwh);
			if (st == DG_OK)
				st = dg_dec_mul(l.mwh, l.price, 2, &l.payment);
		}
		if (st != DG_OK)
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "event %s: portfolio total out of range", acc->event);
		snprintf(note, sizeof(note), "%ld hour%s from the time, %ld site-hour%s",
		    acc->hours, acc->hours == 1 ? "" : "s", acc->sites,
		    acc->sites == 1 ? "" : "s");
		l.note = note;
		if ((st = emit(arg, &l)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* --- Statements ----------------------------------------------------------- */

struct stent {
	char *participant, *month, *site, *program, *payer, *event;
	int has_mwh;
	dg_dec mwh, pay, share;
};

struct dg_settle_stmt {
	struct stent *v;
	size_t n, cap;
};

int
dg_settle_stmt_alloc(struct dg_settle_stmt **st)
{
	return (*st = calloc(1, sizeof(**st))) ? DG_OK : DG_ENOMEM;
}

void
dg_settle_stmt_free(struct dg_settle_stmt *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->n; i++) {
		struct stent *e = &st->v[i];

		free(e->participant);
		free(e->month);
		free(e->site);
		free(e->program);
		free(e->payer);
		free(e->event);
	}
	free(st->v);
	free(st);
}

int
dg_settle_stmt_add(struct dg_settle_stmt *st, const char *participant,
    const char *month, const char *site, const char *program,
    const char *payer, const char *event, const dg_dec *mwh, dg_dec payment,
    dg_dec share_pct, struct dg_error *err)
{
	struct stent *e;

	if (grow((void **)&st->v, &st->cap, st->n, sizeof(*st->v)))
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	e = &st->v[st->n];
	memset(e, 0, sizeof(*e));
	if ((e->participant = xstrdup(participant)) == NULL ||
	    (e->month = xstrdup(month)) == NULL ||
	    (e->site = xstrdup(site)) == NULL ||
	    (e->program = xstrdup(program)) == NULL ||
	    (e->payer = xstrdup(payer)) == NULL ||
	    (e->event = xstrdup(event)) == NULL) {
		free(e->participant);
		free(e->month);
		free(e->site);
		free(e->program);
		free(e->payer);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	e->has_mwh = mwh != NULL;
	e->mwh = mwh ? *mwh : dec_zero();
	e->pay = payment;
	e->share = share_pct;
	st->n++;
	return DG_OK;
}

static int
cmp_stent(const void *a, const void *b)
{
	const struct stent *x = a, *y = b;
	int c;

	if ((c = strcmp(x->participant, y->participant)) != 0 ||
	    (c = strcmp(x->month, y->month)) != 0 ||
	    (c = strcmp(x->site, y->site)) != 0 ||
	    (c = strcmp(x->program, y->program)) != 0 ||
	    (c = strcmp(x->payer, y->payer)) != 0)
		return c;
	return strcmp(x->event, y->event);
}

struct msum {
	const char *month;
	long events;
	dg_dec mwh, pay, agg, part;
};

static int
out_add(struct dg_settle_stmt_out *t, const struct dg_settle_stmt_out *o)
{
	t->events += o->events;
	if (dec_add_to(&t->mwh, o->mwh) || dec_add_to(&t->payment, o->payment) ||
	    dec_add_to(&t->aggregator, o->aggregator) ||
	    dec_add_to(&t->participant_amt, o->participant_amt))
		return DG_ERANGE;
	return DG_OK;
}

static void
out_zero(struct dg_settle_stmt_out *t, int row)
{
	memset(t, 0, sizeof(*t));
	t->row = row;
	t->mwh = dg_dec_make(0, 3);
	t->payment = t->aggregator = t->participant_amt = dg_dec_make(0, 2);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
dg_settle_stmt_emit(struct dg_settle_stmt *st, dg_settle_stmt_fn fn,
    void *arg, struct dg_error *err)
{
	const char **months = NULL;
	struct dg_settle_stmt_out *mt = NULL;
	size_t nm = 0;
	int rc = DG_OK;

	qsort(st->v, st->n, sizeof(*st->v), cmp_stent);
	/* The months, for the portfolio totals. */
	if (st->n > 0 && ((months = calloc(st->n, sizeof(*months))) == NULL ||
	    (mt = calloc(st->n, sizeof(*mt))) == NULL)) {
		rc = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < st->n; i++)
		months[i] = st->v[i].month;
	if (st->n > 0)
		qsort(months, st->n, sizeof(*months), cmp_str);
	for (size_t i = 0; i < st->n; i++)
		if (nm == 0 || strcmp(months[nm - 1], months[i]) != 0)
			months[nm++] = months[i];
	for (size_t k = 0; k < nm; k++) {
		out_zero(&mt[k], DG_ST_PORTFOLIO);
		mt[k].month = months[k];
		mt[k].participant = "";
		mt[k].site = mt[k].program = mt[k].payer = "";
	}
	for (size_t i = 0, j; i < st->n; i = j) {
		/* One participant and month. */
		struct dg_settle_stmt_out tot;

		out_zero(&tot, DG_ST_PARTICIPANT);
		tot.participant = st->v[i].participant;
		tot.month = st->v[i].month;
		tot.site = tot.program = tot.payer = "";
		for (j = i; j < st->n &&
		    strcmp(st->v[j].participant, st->v[i].participant) == 0 &&
		    strcmp(st->v[j].month, st->v[i].month) == 0;) {
			struct dg_settle_stmt_out o;
			size_t k = j;

			out_zero(&o, DG_ST_LINE);
			o.participant = st->v[j].participant;
			o.month = st->v[j].month;
			o.site = st->v[j].site;
			o.program = st->v[j].program;
			o.payer = st->v[j].payer;
			o.share_pct = st->v[j].share;
			o.has_share = 1;
			for (; k < st->n && strcmp(st->v[k].participant, o.participant) == 0 &&
			    strcmp(st->v[k].month, o.month) == 0 &&
			    strcmp(st->v[k].site, o.site) == 0 &&
			    strcmp(st->v[k].program, o.program) == 0 &&
			    strcmp(st->v[k].payer, o.payer) == 0; k++) {
				if (k == j || strcmp(st->v[k].event, st->v[k - 1].event) != 0)
					o.events++;
				if (dg_dec_cmp(st->v[k].share, o.share_pct) != 0) {
					rc = dg_error_set(err, DG_EDATA, NULL, 0, NULL,
					    "site %s program %s: two shares in one month",
					    o.site, o.program);
					goto out;
				}
				if (dec_add_to(&o.mwh, st->v[k].mwh) ||
				    dec_add_to(&o.payment, st->v[k].pay)) {
					rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
					    "statement total out of range");
					goto out;
				}
			}
			j = k;
			/* share = payment x pct / 100, rounded once. */
			if (dg_dec_mul3(o.payment, o.share_pct, dg_dec_make(1, 2), 2,
			    &o.aggregator) != DG_OK ||
			    dg_dec_sub(o.payment, o.aggregator, &o.participant_amt)) {
				rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
				    "statement line out of range");
				goto out;
			}
			if ((rc = fn(arg, &o)) != DG_OK)
				goto out;
			if (out_add(&tot, &o) != DG_OK)
				goto range;
		}
		if ((rc = fn(arg, &tot)) != DG_OK)
			goto out;
		for (size_t k = 0; k < nm; k++)
			if (strcmp(mt[k].month, tot.month) == 0 &&
			    out_add(&mt[k], &tot) != DG_OK)
				goto range;
	}
	for (size_t k = 0; k < nm; k++)
		if ((rc = fn(arg, &mt[k])) != DG_OK)
			goto out;
	goto out;
range:
	rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
	    "statement total out of range");
out:
	free(months);
	free(mt);
	return rc;
}

/* --- Shadow settlement ---------------------------------------------------- */

struct dg_settle_shadow {
	dg_dec rate;
	struct dg_settle_shadow_month *m;
	size_t n, cap;
	int from_hours, from_months;
};

int
dg_settle_shadow_alloc(struct dg_settle_shadow **sh, dg_dec delivery_rate)
{
	if ((*sh = calloc(1, sizeof(**sh))) == NULL)
		return DG_ENOMEM;
	(*sh)->rate = delivery_rate;
	return DG_OK;
}

void
dg_settle_shadow_free(struct dg_settle_shadow *sh)
{
	if (sh == NULL)
		return;
	free(sh->m);
	free(sh);
}

static struct dg_settle_shadow_month *
shadow_month(struct dg_settle_shadow *sh, const char *month)
{
	struct dg_settle_shadow_month *m;

	for (size_t i = 0; i < sh->n; i++)
		if (strcmp(sh->m[i].month, month) == 0)
			return &sh->m[i];
	if (grow((void **)&sh->m, &sh->cap, sh->n + 1, sizeof(*sh->m)))
		return NULL;
	m = &sh->m[sh->n++];
	memset(m, 0, sizeof(*m));
	snprintf(m->month, sizeof(m->month), "%s", month);
	m->energy_mwh = dg_dec_make(0, 3);
	m->da_cost = m->da_revenue = m->rt_recon = m->gen_cost =
	    m->delivery = dg_dec_make(0, 2);
	return m;
}

int
dg_settle_shadow_add(struct dg_settle_shadow *sh, dg_time t,
    dg_dec forecast_kw, dg_dec actual_kw, dg_dec bid, int has_gen_cost,
    dg_dec gen_cost, dg_dec da_price, dg_dec rt_price,
    struct dg_settle_shadow_hour *h, struct dg_error *err)
{
	struct dg_settle_shadow_month *m;
	struct dg_local lt;
	char month[16];
	dg_dec fmwh, amwh, diff;

	if (sh->from_months)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "hours and month totals mixed");
	sh->from_hours = 1;
	dg_time_local(t, &lt);
	snprintf(month, sizeof(month), "%04d-%02d", lt.year, lt.mon);
	if ((m = shadow_month(sh, month)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	memset(h, 0, sizeof(*h));
	h->da_cost = h->da_revenue = h->gen_cost = h->rt_recon = h->delivery =
	    dg_dec_make(0, 2);
	if (kw_to_mwh(forecast_kw, &fmwh) || kw_to_mwh(actual_kw, &amwh) ||
	    dg_dec_sub(fmwh, amwh, &diff))
		goto range;
	h->self_gen = dg_dec_cmp(da_price, bid) > 0;
	if (dg_dec_mul(fmwh, da_price, 2, &h->da_cost) ||
	    dg_dec_mul(amwh, sh->rate, 2, &h->delivery))
		goto range;
	if (h->self_gen) {
		if (dg_dec_mul(fmwh, da_price, 2, &h->da_revenue) ||
		    (has_gen_cost && dg_dec_mul(amwh, gen_cost, 2, &h->gen_cost)))
			goto range;
	} else if (dg_dec_mul(diff, rt_price, 2, &h->rt_recon))
		goto range;
	if (dec_add_to(&m->energy_mwh, amwh) || dec_add_to(&m->da_cost, h->da_cost) ||
	    dec_add_to(&m->da_revenue, h->da_revenue) ||
	    dec_add_to(&m->gen_cost, h->gen_cost) ||
	    dec_add_to(&m->rt_recon, h->rt_recon) ||
	    dec_add_to(&m->delivery, h->delivery))
		goto range;
	return DG_OK;
range:
	return dg_error_set(err, DG_ERANGE, NULL, 0, NULL, "amount out of range");
}

int
dg_settle_shadow_add_month(struct dg_settle_shadow *sh, const char *month,
    dg_dec energy_mwh, dg_dec da_cost, dg_dec da_revenue, dg_dec rt_recon,
    struct dg_error *err)
{
	struct dg_settle_shadow_month *m;

	if (sh->from_hours)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "hours and month totals mixed");
	sh->from_months = 1;
	for (size_t i = 0; i < sh->n; i++)
		if (strcmp(sh->m[i].month, month) == 0)
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "month %s given twice", month);
	if ((m = shadow_month(sh, month)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	if (dec_add_to(&m->energy_mwh, energy_mwh) ||
	    dec_add_to(&m->da_cost, da_cost) ||
	    dec_add_to(&m->da_revenue, da_revenue) ||
	    dec_add_to(&m->rt_recon, rt_recon) ||
	    dg_dec_mul(m->energy_mwh, sh->rate, 2, &m->delivery))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "amount out of range");
	return DG_OK;
}

static int
cmp_month(const void *a, const void *b)
{
	return strcmp(((const struct dg_settle_shadow_month *)a)->month,
	    ((const struct dg_settle_shadow_month *)b)->month);
}

static int
shadow_derive(struct dg_settle_shadow_month *m)
{
	dg_dec x;

	if (dg_dec_add(m->da_cost, m->gen_cost, &x) ||
	    dg_dec_sub(x, m->da_revenue, &x) ||
	    dg_dec_sub(x, m->rt_recon, &m->total_cost))
		return DG_ERANGE;
	m->has_avg = dg_dec_sign(m->energy_mwh) > 0;
	if (!m->has_avg) {
		m->avg_cost = m->avg_total = dg_dec_make(0, 2);
		return DG_OK;
	}
	if (dg_dec_div(m->total_cost, m->energy_mwh, 2, &m->avg_cost) ||
	    dg_dec_add(m->total_cost, m->delivery, &x) ||
	    dg_dec_div(x, m->energy_mwh, 2, &m->avg_total))
		return DG_ERANGE;
	return DG_OK;
}

int
dg_settle_shadow_result(struct dg_settle_shadow *sh,
    const struct dg_settle_shadow_month **months, size_t *n,
    struct dg_error *err)
{
	struct dg_settle_shadow_month tot;

	qsort(sh->m, sh->n, sizeof(*sh->m), cmp_month);
	memset(&tot, 0, sizeof(tot));
	snprintf(tot.month, sizeof(tot.month), "total");
	tot.energy_mwh = dg_dec_make(0, 3);
	tot.da_cost = tot.da_revenue = tot.rt_recon = tot.gen_cost =
	    tot.delivery = dg_dec_make(0, 2);
	for (size_t i = 0; i < sh->n; i++) {
		struct dg_settle_shadow_month *m = &sh->m[i];

		if (shadow_derive(m) ||
		    dec_add_to(&tot.energy_mwh, m->energy_mwh) ||
		    dec_add_to(&tot.da_cost, m->da_cost) ||
		    dec_add_to(&tot.da_revenue, m->da_revenue) ||
		    dec_add_to(&tot.gen_cost, m->gen_cost) ||
		    dec_add_to(&tot.rt_recon, m->rt_recon) ||
		    dec_add_to(&tot.delivery, m->delivery))
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "amount out of range");
	}
	if (shadow_derive(&tot) ||
	    grow((void **)&sh->m, &sh->cap, sh->n + 1, sizeof(*sh->m)))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "amount out of range");
	sh->m[sh->n] = tot;
	*months = sh->m;
	*n = sh->n + 1;
	return DG_OK;
}

/* --- Performance report ----------------------------------------------------- */

struct pcell {
	size_t site;
	dg_time t;
	dg_dec kw;
};

struct pevent {
	char *event;
	char **sites;
	size_t nsites, capsites;
	struct pcell *c;
	size_t n, cap;
	/* the finished table */
	dg_time *hours;
	char (*labels)[24];
	dg_dec *mw, *total;
	unsigned char *has;
};

struct dg_settle_perf {
	struct pevent *e;
	size_t n, cap;
};

int
dg_settle_perf_alloc(struct dg_settle_perf **pr)
{
	return (*pr = calloc(1, sizeof(**pr))) ? DG_OK : DG_ENOMEM;
}

static void
pevent_free_table(struct pevent *e)
{
	free(e->hours);
	free(e->labels);
	free(e->mw);
	free(e->total);
	free(e->has);
	e->hours = NULL;
	e->labels = NULL;
	e->mw = e->total = NULL;
	e->has = NULL;
}

void
dg_settle_perf_free(struct dg_settle_perf *pr)
{
	if (pr == NULL)
		return;
	for (size_t i = 0; i < pr->n; i++) {
		struct pevent *e = &pr->e[i];

		free(e->event);
		for (size_t k = 0; k < e->nsites; k++)
			free(e->sites[k]);
		free(e->sites);
		free(e->c);
		pevent_free_table(e);
	}
	free(pr->e);
	free(pr);
}

int
dg_settle_perf_add(struct dg_settle_perf *pr, const char *event,
    const char *site, dg_time t, dg_dec reduction_kw, struct dg_error *err)
{
	struct pevent *e = NULL;
	size_t s;

	for (size_t i = pr->n; i-- > 0;)
		if (strcmp(pr->e[i].event, event) == 0) {
			e = &pr->e[i];
			break;
		}
	if (e == NULL) {
		if (grow((void **)&pr->e, &pr->cap, pr->n, sizeof(*pr->e)))
			goto nomem;
		e = &pr->e[pr->n];
		memset(e, 0, sizeof(*e));
		if ((e->event = xstrdup(event)) == NULL)
			goto nomem;
		pr->n++;
	}
	/* Rows come grouped by site: try the last site first. */
	s = (size_t)-1;
	if (e->nsites > 0 && strcmp(e->sites[e->nsites - 1], site) == 0)
		s = e->nsites - 1;
	else
		for (s = e->nsites; s-- > 0;)
			if (strcmp(e->sites[s], site) == 0)
				break;
	if (s == (size_t)-1) {
		if (grow((void **)&e->sites, &e->capsites, e->nsites,
		    sizeof(*e->sites)) ||
		    (e->sites[e->nsites] = xstrdup(site)) == NULL)
			goto nomem;
		s = e->nsites++;
	}
	if (grow((void **)&e->c, &e->cap, e->n, sizeof(*e->c)))
		goto nomem;
	e->c[e->n].site = s;
	e->c[e->n].t = t;
	e->c[e->n].kw = reduction_kw;
	e->n++;
	return DG_OK;
nomem:
	return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}

size_t
dg_settle_perf_nevents(const struct dg_settle_perf *pr)
{
	return pr->n;
}

static int
cmp_time(const void *a, const void *b)
{
	dg_time x = *(const dg_time *)a, y = *(const dg_time *)b;

	return x < y ? -1 : x > y;
}

static void
he_label(dg_time t, char *buf, size_t n, int abbr)
{
	struct dg_local lt;

	dg_time_local(t + 3600, &lt);
	if (lt.hour == 0 && lt.min == 0)
		lt.hour = 24;
	if (abbr)
		snprintf(buf, n, "%02d:%02d %s", lt.hour % 100, lt.min % 100,
		    lt.abbr);
	else
		snprintf(buf, n, "%02d:%02d", lt.hour % 100, lt.min % 100);
}

int
dg_settle_perf_table(struct dg_settle_perf *pr, size_t i,
    struct dg_settle_perf_table *t, struct dg_error *err)
{
	struct pevent *e;
	size_t nh = 0, ncell;

	if (i >= pr->n)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL, "no such event");
	e = &pr->e[i];
	pevent_free_table(e);
	if ((e->hours = malloc((e->n ? e->n : 1) * sizeof(*e->hours))) == NULL)
		goto nomem;
	for (size_t k = 0; k < e->n; k++)
		e->hours[k] = e->c[k].t;
	qsort(e->hours, e->n, sizeof(*e->hours), cmp_time);
	for (size_t k = 0; k < e->n; k++)
		if (nh == 0 || e->hours[nh - 1] != e->hours[k])
			e->hours[nh++] = e->hours[k];
	ncell = e->nsites * nh > 0 ? e->nsites * nh : 1;
	if ((e->labels = calloc(nh ? nh : 1, sizeof(*e->labels))) == NULL ||
	    (e->mw = calloc(ncell, sizeof(*e->mw))) == NULL ||
	    (e->has = calloc(ncell, 1)) == NULL ||
	    (e->total = calloc(nh ? nh : 1, sizeof(*e->total))) == NULL)
		goto nomem;
	for (size_t h = 0; h < nh; h++) {
		int dup = 0;

		he_label(e->hours[h], e->labels[h], sizeof(e->labels[h]), 0);
		for (size_t k = 0; k < nh; k++) {
			char o[24];

			he_label(e->hours[k], o, sizeof(o), 0);
			if (k != h && strcmp(o, e->labels[h]) == 0)
				dup = 1;
		}
		if (dup)
			he_label(e->hours[h], e->labels[h], sizeof(e->labels[h]), 1);
		e->total[h] = dg_dec_make(0, 3);
	}
	t->total_mwh = dg_dec_make(0, 3);
	for (size_t k = 0; k < e->n; k++) {
		const struct pcell *c = &e->c[k];
		dg_time *hp = bsearch(&c->t, e->hours, nh, sizeof(*e->hours),
		    cmp_time);
		size_t h = (size_t)(hp - e->hours), cell = c->site * nh + h;
		dg_dec mw;
		char ts[DG_TIME_BUFSZ];

		if (e->has[cell]) {
			dg_time_format(c->t, ts, sizeof(ts));
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "event %s: site %s has hour %s twice", e->event,
			    e->sites[c->site], ts);
		}
		e->has[cell] = 1;
		if (kw_to_mwh(c->kw, &mw) || dec_add_to(&e->total[h], mw) ||
		    dec_add_to(&t->total_mwh, mw))
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "event %s: total out of range", e->event);
		e->mw[cell] = mw;
	}
	t->event = e->event;
	t->nsites = e->nsites;
	t->nhours = nh;
	t->sites = (const char *const *)e->sites;
	t->hours = e->hours;
	t->labels = e->labels;
	t->mw = e->mw;
	t->has = e->has;
	t->total_mw = e->total;
	if (nh == 0)
		t->avg_mw = dg_dec_make(0, 3);
	else if (dg_dec_div(t->total_mwh, dg_dec_make((int64_t)nh, 0), 9,
	    &t->avg_mw))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "event %s: average out of range", e->event);
	return DG_OK;
nomem:
	return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* --- Audit ------------------------------------------------------------------ */

int
dg_settle_sha256_fp(FILE *fp, char hex[65], long long *bytes)
{
	struct sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE];
	unsigned char buf[65536];
	size_t n;

	sha256_init(&ctx);
	*bytes = 0;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sha256_update(&ctx, n, buf);
		*bytes += (long long)n;
	}
	if (ferror(fp))
		return DG_EIO;
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	return DG_OK;
}

int
dg_settle_sha256_file(const char *path, char hex[65], long long *bytes,
    struct dg_error *err)
{
	FILE *fp = fopen(path, "rb");
	int st;

	if (fp == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL, "%s",
		    strerror(errno));
	st = dg_settle_sha256_fp(fp, hex, bytes);
	fclose(fp);
	if (st != DG_OK)
		return dg_error_set(err, st, path, 0, NULL, "read error");
	return DG_OK;
}
