/* dg_fetch_stream.c: each file's rows through the external sort
 * (lib/dg_extsort.c), then flagged or merged, checked for coverage and
 * written, one row at a time (see dg_fetch_stream.h). */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_extsort.h"
#include "dg_fetch_impl.h"
#include "dg_fetch_stream.h"
#include "dg_util.h"

/* A zone and day not covered in full. */
struct short_day {
	const char *zone;	/* in the zone table */
	dg_date day;
	long cov, len;
};

struct stream {
	struct dg_fetch_ctx c;		/* first: the parse context */
	struct dg_fetch_sink *sink;
	int merge;			/* rows of one zone and start merged */
	struct dg_extsort *xs;
	struct dg_fetch_row pending;	/* the row being filled */
	int have_pending;
	long total;			/* rows of the file */
	signed char *dayh;	/* hours of day dayh0 + i (market's zone) */
	dg_date dayh0;
	size_t ndayh;
	struct dg_fetch_row rows[2];	/* the row held, and the next one */
	int held;			/* the index of the row held, or -1 */
	int deferred;		/* the first error of a merged row, deferred */
	struct dg_error deferred_err;
	struct short_day *shorts;
	size_t nshorts, capshorts;
};

/* --- A row as the sort holds it ------------------------------------------ */

/* The fixed fields, then the zone and the PTID (each NUL-terminated), then
 * each value set (8 bytes and its scale). */
struct rec_head {
	dg_time t;		/* first: the sort key, then the zone */
	int64_t line;
	int32_t dur;
	dg_date day, issued;
	uint8_t have, quality, pad[2];
};
#define REC_MAX (sizeof(struct rec_head) + 64 + 16 + DG_FV_N * 9)

static size_t
encode(const struct dg_fetch_row *r, unsigned char *b)
{
	struct rec_head h;
	size_t zl = strnlen(r->zone, sizeof(r->zone) - 1);
	size_t pl = strnlen(r->ptid, sizeof(r->ptid) - 1), o = sizeof(h);

	memset(&h, 0, sizeof(h));
	h.t = r->t;
	h.line = r->line;
	h.dur = r->dur;
	h.day = r->day;
	h.issued = r->issued;
	h.have = (uint8_t)r->have;
	h.quality = (uint8_t)r->quality;
	memcpy(b, &h, sizeof(h));
	memcpy(b + o, r->zone, zl);
	b[o + zl] = '\0';
	o += zl + 1;
	memcpy(b + o, r->ptid, pl);
	b[o + pl] = '\0';
	o += pl + 1;
	for (int k = 0; k < DG_FV_N; k++)
		if (r->have & 1u << k) {
			memcpy(b + o, &r->v[k].v, 8);
			b[o + 8] = (unsigned char)r->v[k].scale;
			o += 9;
		}
	return o;
}

static void
decode(const unsigned char *b, struct dg_fetch_row *r)
{
	struct rec_head h;
	size_t o = sizeof(h), l;

	memset(r, 0, sizeof(*r));
	memcpy(&h, b, sizeof(h));
	r->t = h.t;
	r->line = (long)h.line;
	r->dur = h.dur;
	r->day = h.day;
	r->issued = h.issued;
	r->have = h.have;
	r->quality = h.quality;
	l = strlen((const char *)b + o);
	memcpy(r->zone, b + o, l + 1);
	o += l + 1;
	l = strlen((const char *)b + o);
	memcpy(r->ptid, b + o, l + 1);
	o += l + 1;
	for (int k = 0; k < DG_FV_N; k++)
		if (r->have & 1u << k) {
			memcpy(&r->v[k].v, b + o, 8);
			r->v[k].scale = b[o + 8];
			o += 9;
		}
}

/* By start, then zone name (the sort keeps the order read for ties). */
static int
cmp_rec(const void *a, size_t alen, const void *b, size_t blen, void *arg)
{
	dg_time ta, tb;

	(void)alen;
	(void)blen;
	(void)arg;
	memcpy(&ta, a, sizeof(ta));
	memcpy(&tb, b, sizeof(tb));
	if (ta != tb)
		return ta < tb ? -1 : 1;
	return strcmp((const char *)a + sizeof(struct rec_head),
	    (const char *)b + sizeof(struct rec_head));
}

/* --- Rows in -------------------------------------------------------------- */

/* Hours of the market day d, kept while the market's zone is set. */
static int
note_day(struct stream *s, dg_date d)
{
	dg_date end = s->dayh0 + (dg_date)s->ndayh;

	if (s->ndayh == 0 || d < s->dayh0 || d >= end) {
		dg_date lo = s->ndayh == 0 || d < s->dayh0 ? d : s->dayh0;
		dg_date hi = s->ndayh == 0 || d >= end ? d + 1 : end;
		size_t n = (size_t)(hi - lo);
		signed char *v = calloc(n, 1);

		if (v == NULL)
			return DG_ENOMEM;
		if (s->ndayh > 0)
			memcpy(v + (s->dayh0 - lo), s->dayh, s->ndayh);
		free(s->dayh);
		s->dayh = v;
		s->dayh0 = lo;
		s->ndayh = n;
	}
	if (s->dayh[d - s->dayh0] == 0)
		s->dayh[d - s->dayh0] = (signed char)dg_date_hours(d);
	return DG_OK;
}

/* The row filled last, to the sort. */
static int
flush(struct stream *s)
{
	unsigned char b[REC_MAX];
	int st;

	if (!s->have_pending)
		return DG_OK;
	s->have_pending = 0;
	if ((st = dg_extsort_add(s->xs, b, encode(&s->pending, b))) != DG_OK)
		return st;
	if (s->c.src->kind < DG_FETCH_WEATHER &&
	    note_day(s, s->pending.day) != DG_OK)
		return dg_fetch_ctx_oom(&s->c);
	s->total++;
	return DG_OK;
}

static struct dg_fetch_row *
stream_add(struct dg_fetch_ctx *c)
{
	struct stream *s = (struct stream *)c;
	int st;

	if ((st = flush(s)) != DG_OK) {
		if (!c->fail)
			c->fail = st;
		return NULL;
	}
	memset(&s->pending, 0, sizeof(s->pending));
	s->pending.seq = c->seq++;
	s->have_pending = 1;
	return &s->pending;
}

/* --- Rows out, in order -------------------------------------------------- */

static int
cov_close(struct stream *s, size_t z)
{
	struct dg_fetch_zone *e = &s->c.zt.v[z];
	long len = 24 * 3600;

	e->cov_on = 0;
	if (e->cov_day >= s->dayh0 &&
	    e->cov_day < s->dayh0 + (dg_date)s->ndayh &&
	    s->dayh[e->cov_day - s->dayh0] != 0)
		len = (long)s->dayh[e->cov_day - s->dayh0] * 3600;
	if (e->cov == len)
		return DG_OK;
	if (dg_grow(&s->shorts, &s->capshorts, s->nshorts + 1,
	    sizeof(*s->shorts)) != 0)
		return dg_fetch_ctx_oom(&s->c);
	s->shorts[s->nshorts].zone = e->name;
	s->shorts[s->nshorts].day = e->cov_day;
	s->shorts[s->nshorts].cov = e->cov;
	s->shorts[s->nshorts].len = len;
	s->nshorts++;
	return DG_OK;
}

/* A finished row: written when selected, its zone's day covered. */
static int
row_done(struct stream *s, const struct dg_fetch_row *r)
{
	struct dg_fetch_sink *k = s->sink;
	int st;

	if (!dg_fetch_row_selected(r, s->c.f))
		return DG_OK;
	if (s->c.src->kind < DG_FETCH_WEATHER) {
		long z = dg_fetch_ztab_find(&s->c.zt, r->zone);
		struct dg_fetch_zone *e;

		if (z < 0)
			return dg_fetch_ctx_oom(&s->c);
		e = &s->c.zt.v[z];
		if (!e->cov_on || e->cov_day != r->day) {
			if (e->cov_on &&
			    (st = cov_close(s, (size_t)z)) != DG_OK)
				return st;
			e->cov_on = 1;
			e->cov_day = r->day;
			e->cov = 0;
			e->cov_last = INT64_MIN;
		}
		if (r->t != e->cov_last)
			e->cov += r->dur;
		e->cov_last = r->t;
	}
	st = dg_fetch_write_row(k->w, s->c.src, r, &k->counts);
	if (st != DG_OK && st != DG_EPIPE)
		dg_error_set(s->c.err, st, NULL, 0, NULL, "write error: %s",
		    strerror(k->w->errnum ? k->w->errnum : EIO));
	return st;
}

/* A merged row (MISO, CAISO) complete: its LMP given, its energy
 * computed.  The first such error is told once the whole file is merged,
 * after any component given twice, as dg_fetch_parse does. */
static int
merged_done(struct stream *s, struct dg_fetch_row *m)
{
	if (s->deferred)
		return DG_OK;
	if (!(m->have & 1u << DG_FV_PRICE))
		s->deferred = dg_error_set(&s->deferred_err, DG_EDATA,
		    s->c.name, m->line, NULL, "%s: components but no LMP",
		    m->zone);
	else if (dg_fetch_row_energy(m) != DG_OK)
		s->deferred = dg_error_set(&s->deferred_err, DG_ERANGE,
		    s->c.name, m->line, NULL, "price components overflow");
	return s->deferred ? DG_OK : row_done(s, m);
}

static int
held_done(struct stream *s, struct dg_fetch_row *h)
{
	return s->merge ? merged_done(s, h) : row_done(s, h);
}

/* The rows in order: those of one zone and start flagged duplicate (or,
 * for MISO and CAISO, merged into one row).  r is the row not held. */
static int
pipe_row(struct stream *s, struct dg_fetch_row *r)
{
	struct dg_fetch_row *h = s->held >= 0 ? &s->rows[s->held] : NULL;
	int same = h != NULL && dg_fetch_same_slot(s->c.src, h, r);
	int st;

	if (s->merge && same) {
		if (h->have & r->have)
			return dg_error_set(s->c.err, DG_EDATA, s->c.name,
			    r->line, NULL, "%s: the same price component "
			    "twice for one hour", r->zone);
		for (int k = 0; k < DG_FV_N; k++)
			if (r->have & 1u << k)
				dg_fetch_row_set(h, k, r->v[k]);
		return DG_OK;
	}
	if (same) {
		h->quality |= DG_FQ_DUPLICATE;
		r->quality |= DG_FQ_DUPLICATE;
	}
	if (h != NULL && (st = held_done(s, h)) != DG_OK)
		return st;
	s->held = (int)(r - s->rows);
	return DG_OK;
}

static int
cmp_short(const void *a, const void *b)
{
	const struct short_day *x = a, *y = b;
	int c = strcmp(x->zone, y->zone);

	if (c != 0)
		return c;
	return x->day < y->day ? -1 : x->day > y->day;
}

/* The last row; the days not covered in full told, by zone and day. */
static int
pipe_end(struct stream *s)
{
	struct dg_fetch_sink *k = s->sink;
	int st = DG_OK;

	if (s->held >= 0)
		st = held_done(s, &s->rows[s->held]);
	s->held = -1;
	if (st != DG_OK)
		return st;
	if (s->deferred) {
		if (s->c.err != NULL)
			*s->c.err = s->deferred_err;
		return s->deferred;
	}
	for (size_t z = 0; z < s->c.zt.n; z++)
		if (s->c.zt.v[z].cov_on && (st = cov_close(s, z)) != DG_OK)
			return st;
	if (s->nshorts > 1)
		qsort(s->shorts, s->nshorts, sizeof(*s->shorts), cmp_short);
	for (size_t i = 0; i < s->nshorts && k->short_day != NULL; i++)
		k->short_day(k->arg, s->shorts[i].zone, s->shorts[i].day,
		    s->shorts[i].cov, s->shorts[i].len);
	k->short_days += (long)s->nshorts;
	for (size_t z = 0; z < s->c.zt.n && k->zone_seen != NULL; z++)
		k->zone_seen(k->arg, s->c.zt.v[z].name);
	return DG_OK;
}

/* The sorted rows, written in the caller's zone. */
static int
drain(struct stream *s)
{
	const void *rec;
	size_t len;
	int st;

	dg_fetch_ctx_zone(&s->c, 1);
	while ((st = dg_extsort_next(s->xs, &rec, &len)) == DG_OK) {
		struct dg_fetch_row *r = &s->rows[s->held == 0 ? 1 : 0];

		decode(rec, r);
		if (s->sink->zone_seen != NULL &&
		    dg_fetch_ztab_find(&s->c.zt, r->zone) < 0) {
			st = dg_fetch_ctx_oom(&s->c);
			break;
		}
		if ((st = pipe_row(s, r)) != DG_OK)
			break;
	}
	if (st == DG_EOF)
		st = pipe_end(s);
	dg_fetch_ctx_zone(&s->c, 0);
	return st;
}

/* One plain file: parsed into the sort, then drained. */
static int
stream_file(struct dg_fetch_ctx *c, FILE *fp, const char *name,
    const char *member)
{
	struct stream *s = (struct stream *)c;
	int st;

	(void)member;
	dg_fetch_ctx_reset(c, name);
	s->have_pending = 0;
	s->total = 0;
	s->held = -1;
	s->deferred = 0;
	s->nshorts = 0;
	if ((st = dg_extsort_open(&s->xs, cmp_rec, NULL, s->sink->mem,
	    c->err)) == DG_OK &&
	    (st = dg_fetch_ctx_read(c, fp)) == DG_OK &&
	    (st = flush(s)) == DG_OK) {
		if (s->total == 0)
			st = dg_error_set(c->err, DG_EDATA, c->name, 0, NULL,
			    "no data rows");
		else if ((st = dg_extsort_finish(s->xs)) == DG_OK)
			st = drain(s);
	}
	dg_extsort_free(s->xs);
	s->xs = NULL;
	return st;
}

/* The content of fp (path: its name when libzip may open it itself) or
 * buf through the sort to s. */
static int
stream(const struct dg_fetch_source *src, FILE *fp, const char *path,
    const char *buf, size_t len, const char *name,
    const struct dg_fetch_filter *f, struct dg_fetch_sink *s,
    struct dg_error *err)
{
	struct stream *x = calloc(1, sizeof(*x));
	int st;

	if (x == NULL)
		return dg_error_set(err, DG_ENOMEM, name, 0, NULL,
		    "out of memory");
	if ((st = dg_fetch_ctx_init(&x->c, src, name, f, err)) == DG_OK) {
		x->c.add = stream_add;
		x->c.file = stream_file;
		if (s->max_inflate > 0)
			x->c.max_inflate = s->max_inflate;
		if (s->max_ratio > 0)
			x->c.max_ratio = s->max_ratio;
		x->sink = s;
		x->merge = dg_fetch_format_ops(src->format)->merge;
		st = dg_fetch_ctx_walk(&x->c, fp, path, buf, len);
	}
	dg_fetch_ctx_free(&x->c);
	free(x->dayh);
	free(x->shorts);
	free(x);
	return st;
}

int
dg_fetch_stream_file(const struct dg_fetch_source *src, const char *path,
    const struct dg_fetch_filter *f, struct dg_fetch_sink *s,
    struct dg_error *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	int st;

	if (fp == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	st = stream(src, fp, is_stdin ? NULL : path, NULL, 0, path, f, s, err);
	if (!is_stdin)
		fclose(fp);
	return st;
}

int
dg_fetch_stream_fp(const struct dg_fetch_source *src, FILE *fp,
    const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err)
{
	return stream(src, fp, NULL, NULL, 0, name, f, s, err);
}

int
dg_fetch_stream_buf(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err)
{
	return stream(src, NULL, NULL, buf, len, name, f, s, err);
}
