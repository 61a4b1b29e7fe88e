/* dg_pulse.c: pulse readings to interval energy.
 *
 * The readings of a site become a chain of points (instant, cumulative
 * pulses E, epoch) joined by spans.  An output boundary's E is exact at a
 * point, interpolated inside a short span, unknown inside a long span
 * (a gap) or a span whose energy is unknown (a reset; with --counts, a
 * missing reading).  An interval's energy is E(end) - E(start) when both
 * are known and in the same epoch. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_extsort.h"
#include "dg_pulse.h"
#include "dg_quality.h"
#include "dg_status.h"
#include "dg_util.h"

enum span_kind { SP_OK, SP_GAP, SP_UNKNOWN, SP_ESTIMATED };

struct point {
	dg_time t;
	double E;
	int epoch;
	long line;
	unsigned pflags;	/* flags of the reading at this point */
	/* the span from this point to the next */
	int kind;
	unsigned sflags;	/* flags it gives every interval it overlaps */
};

static const char *const flag_names[DG_PF_NFLAGS] = {
	"gap", "reset", "rollover", "duplicate", "reordered", "offgrid",
	"estimated"
};

void
dg_pulse_params_init(struct dg_pulse_params *p)
{
	p->counts = 0;
	p->reading_s = 300;
	p->step_s = 3600;
	p->max_gap_s = 900;
	p->fill_linear = 0;
	p->max_demand_factor = 3.0;
	p->decimals = 3;
	p->max_span_s = 31 * 86400;
}

const char *
dg_pulse_flag_name(int bit)
{
	return bit >= 0 && bit < DG_PF_NFLAGS ? flag_names[bit] : "?";
}

const char *
dg_pulse_flags_format(unsigned flags, char *buf, size_t n)
{
	if (flags == 0) {
		snprintf(buf, n, "ok");
		return buf;
	}
	return dg_quality_format(flags, flag_names, DG_PF_NFLAGS, buf, n);
}

struct idx_reading {
	struct dg_pulse_reading r;
	size_t idx;
};

static int
cmp_reading(const void *a, const void *b)
{
	const struct idx_reading *x = a, *y = b;

	if (x->r.t != y->r.t)
		return x->r.t < y->r.t ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Sorts (stably) and drops repeated instants; returns the new count. */
static size_t
sort_dedup(struct dg_pulse_reading *r, size_t n, struct dg_pulse_stats *st)
{
	struct idx_reading *tmp;
	dg_time maxt = INT64_MIN;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (r[i].t < maxt) {
			r[i].flags |= DG_PF_REORDERED;
			st->reordered++;
		}
		if (r[i].t > maxt)
			maxt = r[i].t;
	}
	{
		int sorted = 1;

		for (size_t i = 1; i < n && sorted; i++)
			sorted = r[i].t > r[i - 1].t;
		if (sorted)
			return n;	/* the usual case: nothing to do */
	}
	tmp = malloc(n * sizeof(*tmp));
	if (tmp == NULL)
		return (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		tmp[i].r = r[i];
		tmp[i].idx = i;
	}
	qsort(tmp, n, sizeof(*tmp), cmp_reading);
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && tmp[i].r.t == r[k - 1].t) {
			r[k - 1].flags |= DG_PF_DUPLICATE |
			    (tmp[i].r.flags & DG_PF_REORDERED);
			st->dropped_duplicates++;
			continue;
		}
		r[k++] = tmp[i].r;
	}
	free(tmp);
	return k;
}

static double
demand_kw(double pulses, double kwh_per_pulse, dg_time dt)
{
	return pulses * kwh_per_pulse * 3600.0 / (double)dt;
}

unsigned
dg_pulse_delta(const struct dg_pulse_site *s, double limit_kw, int64_t prev,
    int64_t cur, dg_time dt, int64_t *pulses)
{
	int64_t w;

	*pulses = cur - prev;
	if (cur >= prev)
		return 0;
	w = cur - prev + ((int64_t)1 << s->counter_bits);
	if (limit_kw > 0 ? demand_kw((double)w, dg_dec_to_double(s->pulse_kwh),
	    dt) <= limit_kw : w < ((int64_t)1 << (s->counter_bits - 1))) {
		*pulses = w;
		return DG_PF_ROLLOVER;
	}
	*pulses = 0;
	return DG_PF_RESET;
}

/* Cumulative counters: one point per reading. */
static int
chain_cumulative(const struct dg_pulse_params *p, const struct dg_pulse_site *s,
    const struct dg_pulse_reading *r, size_t n, struct point *pt,
    struct dg_pulse_stats *st)
{
	double kwh = dg_dec_to_double(s->pulse_kwh);
	double limit_kw = s->peak_kw * p->max_demand_factor;
	double seen_kw = 0;
	int epoch = 0;
	double E = 0;

	if (limit_kw <= 0) {
		/* No peak known: the largest demand of the normal spans. */
		for (size_t i = 0; i + 1 < n; i++)
			if (r[i + 1].count >= r[i].count) {
				double d = demand_kw(
				    (double)(r[i + 1].count - r[i].count), kwh,
				    r[i + 1].t - r[i].t);
				if (d > seen_kw)
					seen_kw = d;
			}
		limit_kw = seen_kw * p->max_demand_factor;
	}
	for (size_t i = 0; i < n; i++) {
		pt[i].t = r[i].t;
		pt[i].line = r[i].line;
		pt[i].pflags = r[i].flags;
		pt[i].E = E;
		pt[i].epoch = epoch;
		pt[i].kind = SP_OK;
		pt[i].sflags = 0;
		if (i + 1 == n)
			break;
		{
			dg_time dt = r[i + 1].t - r[i].t;
			int64_t np;
			unsigned f = dg_pulse_delta(s, limit_kw, r[i].count,
			    r[i + 1].count, dt, &np);

			if (f & DG_PF_RESET) {
				pt[i].kind = SP_UNKNOWN;
				pt[i].sflags |= DG_PF_RESET;
				st->resets++;
				epoch++;
				E = 0;
				continue;
			}
			if (f & DG_PF_ROLLOVER) {
				pt[i].sflags |= DG_PF_ROLLOVER;
				st->rollovers++;
			}
			if (dt > p->max_gap_s)
				pt[i].kind =
				    p->fill_linear ? SP_ESTIMATED : SP_GAP;
			E += (double)np;
		}
	}
	return DG_OK;
}

/* Per-interval counts: points at each reading's start and end. */
static int
chain_counts(const struct dg_pulse_params *p, const struct dg_pulse_site *s,
    const struct dg_pulse_reading *r, size_t n, struct point *pt, size_t *np,
    struct dg_pulse_bad *bad)
{
	size_t k = 0;
	double E = 0;
	int epoch = 0;

	for (size_t i = 0; i < n; i++) {
		if (k > 0) {
			struct point *last = &pt[k - 1];

			if (r[i].t < last->t) {
				bad->line = r[i].line;
				bad->what = DG_PULSE_OVERLAP;
				return DG_EDATA;
			}
			if (r[i].t > last->t) {
				/* readings missing between last->t and
				 * r[i].t */
				if (p->fill_linear) {
					double prev = (double)r[i - 1].count /
					    p->reading_s;
					double next = (double)r[i].count /
					    p->reading_s;

					last->kind = SP_ESTIMATED;
					last->sflags = DG_PF_ESTIMATED;
					E += (prev + next) / 2 *
					    (double)(r[i].t - last->t);
				} else {
					last->kind = SP_UNKNOWN;
					last->sflags = DG_PF_GAP;
					epoch++;
				}
				pt[k].t = r[i].t;
				pt[k].E = E;
				pt[k].epoch = epoch;
				pt[k].line = r[i].line;
				pt[k].pflags = 0;
				k++;
			}
			pt[k - 1].pflags |= r[i].flags;
			pt[k - 1].line = r[i].line;
		} else {
			pt[k].t = r[i].t;
			pt[k].E = E;
			pt[k].epoch = epoch;
			pt[k].line = r[i].line;
			pt[k].pflags = r[i].flags;
			k++;
		}
		pt[k - 1].kind = SP_OK;
		pt[k - 1].sflags = 0;
		E += (double)r[i].count;
		pt[k].t = r[i].t + p->reading_s;
		pt[k].E = E;
		pt[k].epoch = epoch;
		pt[k].line = r[i].line;
		pt[k].pflags = 0;
		pt[k].kind = SP_OK;
		pt[k].sflags = 0;
		k++;
	}
	(void)s;
	*np = k;
	return DG_OK;
}

struct bval {
	int known, exact, epoch;
	double E;
	unsigned flags;
};

/* The value at boundary b; j is the span index with pt[j].t <= b. */
static struct bval
boundary(const struct dg_pulse_params *p, const struct point *pt, size_t n,
    size_t j, dg_time b)
{
	struct bval v = { 0, 0, 0, 0, 0 };
	const struct point *a = &pt[j];

	if (a->t == b) {
		v.known = v.exact = 1;
		v.E = a->E;
		v.epoch = a->epoch;
		return v;
	}
	if (j + 1 >= n)
		return v;
	switch (a->kind) {
	case SP_UNKNOWN:
		v.flags = a->sflags;
		return v;
	case SP_GAP:
		v.flags = DG_PF_GAP;
		return v;
	case SP_ESTIMATED:
		v.flags = DG_PF_ESTIMATED;
		break;
	default:
		v.flags = DG_PF_OFFGRID;
		break;
	}
	v.known = 1;
	v.epoch = a->epoch;
	v.E = a->E + (pt[j + 1].E - a->E) * (double)(b - a->t) /
	    (double)(pt[j + 1].t - a->t);
	(void)p;
	return v;
}

/* An interval's energy from de pulses (exact: a whole number of them) and
 * its mean demand, each rounded once from the exact energy; DG_ERANGE
 * when a figure is past the decimals' range (a counter of absurd size). */
static int
energy(const struct dg_pulse_params *p, const struct dg_pulse_site *s,
    double de, int exact, struct dg_pulse_interval *iv)
{
	dg_dec e, e3600;
	int st;

	if (exact)
		st = fabs(de) < 9e18 ? dg_dec_mul(dg_dec_make(llround(de), 0),
		    s->pulse_kwh, -1, &e) : DG_ERANGE;
	else
		st = dg_dec_from_double(de * dg_dec_to_double(s->pulse_kwh),
		    p->decimals + 3, &e);
	if (st == DG_OK)
		st = dg_dec_rescale(e, p->decimals, &iv->energy_kwh);
	if (st == DG_OK)
		st = dg_dec_mul(e, dg_dec_make(3600, 0), -1, &e3600);
	if (st == DG_OK)
		st = dg_dec_div(e3600, dg_dec_make(p->step_s, 0), p->decimals,
		    &iv->demand_kw);
	return st;
}

/* Readings further apart than max_span (a mistyped year) would write an
 * empty interval for every step between: DG_ERANGE, the later in bad. */
static int
check_span(const struct dg_pulse_params *p, const struct dg_pulse_reading *r,
    size_t n, struct dg_pulse_bad *bad)
{
	for (size_t i = 1; i < n; i++)
		if (p->max_span_s > 0 && r[i].t - r[i - 1].t > p->max_span_s) {
			bad->line = r[i].line;
			bad->what = DG_PULSE_SPAN;
			return DG_ERANGE;
		}
	return DG_OK;
}

/* The interval [a, a + step) of the chain pt[0..np) into iv: *va is the
 * chain's value at a, pt[*j] its last point at or before a; both move on
 * to the interval's end.  DG_ERANGE (bad) when its energy is out of
 * range. */
static int
step_interval(const struct dg_pulse_params *p, const struct dg_pulse_site *s,
    const struct point *pt, size_t np, dg_time a, size_t *j,
    struct bval *va, struct dg_pulse_interval *iv, struct dg_pulse_bad *bad)
{
	dg_time b = a + p->step_s;
	size_t jb = *j;
	unsigned flags = va->flags;
	struct bval vb;

	/* spans and points inside [a, b) */
	while (jb + 1 < np && pt[jb + 1].t <= b) {
		flags |= pt[jb].sflags;
		jb++;
	}
	if (pt[jb].t < b)
		flags |= pt[jb].sflags;	/* the span that holds b */
	for (size_t k = *j; k <= jb && k < np; k++)
		if (pt[k].t >= a && pt[k].t < b)
			flags |= pt[k].pflags;
	vb = boundary(p, pt, np, jb, b);
	flags |= vb.flags;
	memset(iv, 0, sizeof(*iv));
	iv->start = a;
	iv->line = pt[jb + 1 < np && pt[jb].t < b ? jb + 1 : jb].line;
	if (va->known && vb.known && va->epoch == vb.epoch) {
		int exact = va->exact && vb.exact && !(flags & DG_PF_ESTIMATED);

		if (energy(p, s, vb.E - va->E, exact, iv) != DG_OK) {
			bad->line = iv->line;
			bad->what = DG_PULSE_ENERGY;
			return DG_ERANGE;
		}
		iv->known = 1;
	}
	iv->flags = flags;
	*j = jb;
	*va = vb;
	return DG_OK;
}

int
dg_pulse_site_run(const struct dg_pulse_params *p,
    const struct dg_pulse_site *s, struct dg_pulse_reading *r, size_t n,
    dg_pulse_emit_fn emit, void *arg, struct dg_pulse_stats *st,
    struct dg_pulse_bad *bad)
{
	struct point *pt;
	size_t np, j = 0;
	dg_time a, last;
	struct bval va;
	int ret = DG_OK;

	n = sort_dedup(r, n, st);
	if (n == (size_t)-1)
		return DG_ENOMEM;
	if (n == 0)
		return DG_OK;
	if (check_span(p, r, n, bad) != DG_OK)
		return DG_ERANGE;
	pt = malloc((2 * n + 1) * sizeof(*pt));
	if (pt == NULL)
		return DG_ENOMEM;
	if (p->counts) {
		if ((ret = chain_counts(p, s, r, n, pt, &np, bad)) != DG_OK)
			goto out;
	} else {
		np = n;
		chain_cumulative(p, s, r, n, pt, st);
	}
	if (np < 2)
		goto out;
	a = dg_time_floor(pt[0].t, p->step_s);
	if (a < pt[0].t)
		a += p->step_s;
	last = pt[np - 1].t;
	while (j + 1 < np && pt[j + 1].t <= a)
		j++;
	va = boundary(p, pt, np, j, a);
	for (; a + p->step_s <= last; a += p->step_s) {
		struct dg_pulse_interval iv;

		if ((ret = step_interval(p, s, pt, np, a, &j, &va, &iv,
		    bad)) != DG_OK)
			goto out;
		st->intervals++;
		for (int bit = 0; bit < DG_PF_NFLAGS; bit++)
			if (iv.flags & (1u << bit))
				st->flagged[bit]++;
		if ((ret = emit(arg, &iv)) != 0)
			goto out;
	}
out:
	free(pt);
	return ret;
}

/* --- Reading pulse files ---------------------------------------------- */

long
dg_pulse_sites_meter(void *arg, const char *site, struct dg_pulse_site *ps)
{
	const struct dg_sites *ss = arg;
	const struct dg_site *s = dg_sites_find(ss, site);

	if (s == NULL)
		return -1;
	ps->pulse_kwh = s->pulse_kwh;
	ps->counter_bits = s->counter_bits ? s->counter_bits : 62;
	ps->peak_kw = (s->set & DG_SITE_PEAK) ? dg_dec_to_double(s->peak_kw) :
	    0;
	return (long)(s - ss->v);
}

/* A reading in the sort: fixed size, native byte order (it never leaves
 * the process). */
struct prec {
	uint32_t rank;		/* the site's, by first appearance */
	int64_t t, count, line;
};

enum { SRC_NEW, SRC_STREAM, SRC_SORTED };

struct dg_pulse_input {
	struct dg_csv *r;
	struct dg_pulse_input_opts po;
	struct dg_error *err;
	int c_site, c_time, c_pulses, c_zone;
	uint32_t *rank_of;	/* per meter index: rank + 1, 0 unseen */
	char **name;		/* per rank: the site's */
	struct dg_pulse_site *meter;	/* per rank */
	dg_time *prev;		/* per rank: its previous reading in the
				 * input (naive stamps) */
	unsigned char *done;	/* per rank: its batch was handed out */
	size_t nranks;
	long last_k;		/* meter index of the previous row */
	struct dg_pulse_reading *buf;
	size_t n, cap;
	int src;		/* SRC_NEW, SRC_STREAM or SRC_SORTED */
	int then_stream;	/* after the sorted rows, read on from the
				 * file */
	int sorted_rows;	/* the rows were not grouped by site */
	struct dg_extsort *xs;
	struct prec pend;	/* with pending: the next site's first */
	int pending;
	int eof;
};

int
dg_pulse_input_open(struct dg_pulse_input **inp, const char *path,
    const struct dg_pulse_input_opts *po, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_pulse_input *in;
	size_t n = po->nsites + 1;
	int st;

	*inp = NULL;
	if ((in = calloc(1, sizeof(*in))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	*inp = in;
	in->rank_of = calloc(n, sizeof(*in->rank_of));
	in->name = calloc(n, sizeof(*in->name));
	in->meter = calloc(n, sizeof(*in->meter));
	in->prev = calloc(n, sizeof(*in->prev));
	in->done = calloc(n, 1);
	if (in->rank_of == NULL || in->name == NULL || in->meter == NULL ||
	    in->prev == NULL || in->done == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	in->po = *po;
	in->err = err;
	in->c_zone = -1;
	in->last_k = -1;
	if ((st = dg_csv_open(&in->r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(in->r, "site", &in->c_site)) != DG_OK ||
	    (st = dg_csv_require(in->r, "time", &in->c_time)) != DG_OK ||
	    (st = dg_csv_require(in->r, "pulses", &in->c_pulses)) != DG_OK ||
	    (po->zone_col != NULL &&
	    (st = dg_csv_require(in->r, po->zone_col, &in->c_zone)) != DG_OK))
		return st;
	return DG_OK;
}

void
dg_pulse_input_close(struct dg_pulse_input *in)
{
	if (in == NULL)
		return;
	dg_csv_close(in->r);
	if (in->name != NULL)
		for (size_t i = 0; i < in->nranks; i++)
			free(in->name[i]);
	free(in->name);
	free(in->rank_of);
	free(in->meter);
	free(in->prev);
	free(in->done);
	dg_extsort_free(in->xs);
	free(in->buf);
	free(in);
}

struct dg_csv *
dg_pulse_input_csv(struct dg_pulse_input *in)
{
	return in->r;
}

int
dg_pulse_input_sorted(const struct dg_pulse_input *in)
{
	return in->sorted_rows;
}

/* The current row's site: its rank (a new one at its first row, with
 * its meter); *again when the row is not the first of its site and
 * follows a row of another site. */
static int
row_rank(struct dg_pulse_input *in, uint32_t *rank, int *again)
{
	struct dg_csv *r = in->r;
	const char *name = dg_csv_field(r, in->c_site, NULL);
	struct dg_pulse_site ps;
	long k;

	if (in->last_k >= 0 && strcmp(name,
	    in->name[in->rank_of[in->last_k] - 1]) == 0) {
		*rank = in->rank_of[in->last_k] - 1;
		*again = 0;
		return DG_OK;
	}
	k = in->po.meter(in->po.meter_arg, name, &ps);
	if (k < 0 || (size_t)k >= in->po.nsites)
		return dg_csv_fail(r, in->c_site, DG_EDATA,
		    "unknown site \"%s\" (not in %s)", name, in->po.sites_name);
	in->last_k = k;
	*again = in->rank_of[k] != 0;
	if (!*again) {
		if ((in->name[in->nranks] = strdup(name)) == NULL)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		in->meter[in->nranks] = ps;
		in->prev[in->nranks] = INT64_MIN;
		in->rank_of[k] = (uint32_t)++in->nranks;
	}
	*rank = in->rank_of[k] - 1;
	return DG_OK;
}

/* The next row of the file as a reading: DG_EOF at the end. */
static int
read_rec(struct dg_pulse_input *in, struct prec *x, int *again)
{
	struct dg_csv *r = in->r;
	const struct dg_pulse_site *m;
	struct dg_tstamp ts;
	int64_t count;
	int st;

	if ((st = dg_csv_next(r)) != DG_OK ||
	    (st = row_rank(in, &x->rank, again)) != DG_OK)
		return st;
	m = &in->meter[x->rank];
	if ((st = dg_csv_get_time(r, in->c_time, &ts)) != DG_OK ||
	    (st = dg_csv_get_int(r, in->c_pulses, &count)) != DG_OK)
		return st;
	if (count < 0)
		return dg_csv_fail(r, in->c_pulses, DG_EDATA,
		    "negative pulse count: %lld", (long long)count);
	if (!in->po.counts && count >= ((int64_t)1 << m->counter_bits))
		return dg_csv_fail(r, in->c_pulses, DG_EDATA,
		    "counter value %lld does not fit in %d bits",
		    (long long)count, m->counter_bits);
	if (in->c_zone >= 0) {
		size_t zl;
		const char *z = dg_csv_field(r, in->c_zone, &zl);

		if (dg_tstamp_pick_abbr(&ts, z, zl, &x->t) != DG_OK)
			return dg_csv_fail(r, in->c_zone, DG_EDATA,
			    "zone \"%s\" does not fit the local time", z);
	} else
		x->t = dg_tstamp_pick(&ts, in->prev[x->rank]);
	in->prev[x->rank] = x->t;
	x->count = count;
	x->line = dg_csv_line(r);
	return DG_OK;
}

static int
cmp_rank(const void *a, size_t alen, const void *b, size_t blen, void *arg)
{
	const struct prec *x = a, *y = b;

	(void)alen;
	(void)blen;
	(void)arg;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Reads rows into the sort, keyed by the site's first appearance (stable:
 * input order within a site, as dg_pulse_site_run wants it for its
 * duplicate and reordered rules).  While the rows are grouped by site,
 * only the first sniff_bytes of them are taken and the rest of the file
 * is read as it comes (memory bounded by one site); rows not grouped are
 * all sorted, in memory bounded by the sort's budget. */
static int
fill(struct dg_pulse_input *in)
{
	size_t bytes = 0, sniff = in->po.sniff_bytes ? in->po.sniff_bytes :
	    DG_PULSE_SNIFF_BYTES;
	long last = -1;
	int st, again;

	if ((st = dg_extsort_open(&in->xs, cmp_rank, NULL, 0,
	    in->err)) != DG_OK)
		return st;
	for (;;) {
		struct prec x;

		if (!in->po.sort && !in->sorted_rows && bytes >= sniff) {
			in->then_stream = 1;
			break;
		}
		memset(&x, 0, sizeof(x));
		if ((st = read_rec(in, &x, &again)) == DG_EOF)
			break;
		if (st != DG_OK)
			return st;
		if (again && (long)x.rank != last)
			in->sorted_rows = 1;
		last = (long)x.rank;
		if ((st = dg_extsort_add(in->xs, &x, sizeof(x))) != DG_OK)
			return st;
		bytes += sizeof(x) + DG_EXTSORT_OVERHEAD;
	}
	if ((st = dg_extsort_finish(in->xs)) != DG_OK)
		return st;
	in->src = SRC_SORTED;
	return DG_OK;
}

/* The next reading, from the sort or the file. */
static int
next_rec(struct dg_pulse_input *in, struct prec *x)
{
	const void *v;
	size_t len;
	int st, again;

	if (in->src == SRC_NEW && (st = fill(in)) != DG_OK)
		return st;
	if (in->src == SRC_SORTED) {
		if ((st = dg_extsort_next(in->xs, &v, &len)) == DG_OK) {
			memcpy(x, v, sizeof(*x));
			return DG_OK;
		}
		if (st != DG_EOF)
			return st;
		dg_extsort_free(in->xs);
		in->xs = NULL;
		if (!in->then_stream)
			return DG_EOF;
		in->src = SRC_STREAM;
	}
	return read_rec(in, x, &again);
}

/* The reading pending goes to the batch; the first of a site whose
 * batch was handed out already is an error (rows grouped in the first
 * sniff_bytes, and not later). */
static int
take(struct dg_pulse_input *in)
{
	struct dg_pulse_reading *x;
	uint32_t k = in->pend.rank;

	if (in->n == 0) {
		if (in->done[k])
			return dg_error_set(in->err, DG_EDATA,
			    dg_csv_name(in->r), (long)in->pend.line, "site",
			    "site \"%s\" appears again after other sites, far from its first rows: the input is neither grouped by site nor interleaved from its start (--sort reads any order)",
			    in->name[k]);
		in->done[k] = 1;
	}
	if (dg_grow(&in->buf, &in->cap, in->n + 1, sizeof(*in->buf)) != 0)
		return dg_error_set(in->err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	x = &in->buf[in->n++];
	x->t = in->pend.t;
	x->count = in->pend.count;
	x->line = (long)in->pend.line;
	x->flags = 0;
	return DG_OK;
}

int
dg_pulse_input_next(struct dg_pulse_input *in, struct dg_pulse_batch *b)
{
	uint32_t site = 0;
	int st;

	if (in->eof)
		return DG_EOF;
	in->n = 0;
	for (;;) {
		if (!in->pending && (st = next_rec(in, &in->pend)) != DG_OK) {
			if (st != DG_EOF)
				return st;
			in->eof = 1;
			break;
		}
		in->pending = 0;
		if (in->n > 0 && in->pend.rank != site) {
			in->pending = 1;	/* the next site's first row */
			break;
		}
		site = in->pend.rank;
		if ((st = take(in)) != DG_OK)
			return st;
	}
	if (in->n == 0)
		return DG_EOF;
	b->site = in->name[site];
	b->meter = in->meter[site];
	b->r = in->buf;
	b->n = in->n;
	return DG_OK;
}

int
dg_pulse_input_run(struct dg_pulse_input *in, const struct dg_pulse_params *p,
    struct dg_pulse_batch *b, dg_pulse_emit_fn emit, void *arg,
    struct dg_pulse_stats *stats)
{
	struct dg_pulse_bad bad = { 0, 0 };
	const char *name = dg_csv_name(in->r);
	int st;

	st = dg_pulse_site_run(p, &b->meter, b->r, b->n, emit, arg, stats,
	    &bad);
	if (st == DG_OK)
		return DG_OK;
	if (bad.what == DG_PULSE_OVERLAP)
		return dg_error_set(in->err, st, name, bad.line, "time",
		    "site %s: reading overlaps the previous count interval",
		    b->site);
	if (bad.what == DG_PULSE_SPAN)
		return dg_error_set(in->err, st, name, bad.line, "time",
		    "site %s: more than %lld days after the reading before it (a wrong date? --max-span DAYS allows it)",
		    b->site, (long long)(p->max_span_s / 86400));
	if (bad.what == DG_PULSE_ENERGY)
		return dg_error_set(in->err, st, name, bad.line, "pulses",
		    "site %s: the interval's energy is too large for a decimal (pulses x pulse_kwh)",
		    b->site);
	if (st == DG_ENOMEM)
		return dg_error_set(in->err, st, NULL, 0, NULL,
		    "out of memory");
	return st;	/* emit's: it says why */
}
