/* dg_series.c: a time series grouped by site, one site at a time. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_extsort.h"
#include "dg_series.h"
#include "dg_util.h"

/* A set of site names already finished, to catch unsorted input. */
struct nameset {
	char **slot;
	size_t cap, n;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int
set_has(const struct nameset *ns, const char *s)
{
	if (ns->cap == 0)
		return 0;
	for (size_t i = hash(s) & (ns->cap - 1); ns->slot[i];
	    i = (i + 1) & (ns->cap - 1))
		if (strcmp(ns->slot[i], s) == 0)
			return 1;
	return 0;
}

static int
set_add(struct nameset *ns, const char *s)
{
	size_t i;

	if (2 * (ns->n + 1) > ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 256;
		char **slot = calloc(cap, sizeof(*slot));

		if (slot == NULL)
			return -1;
		for (size_t k = 0; k < ns->cap; k++) {
			if (ns->slot[k] == NULL)
				continue;
			for (i = hash(ns->slot[k]) & (cap - 1); slot[i];
			    i = (i + 1) & (cap - 1))
				;
			slot[i] = ns->slot[k];
		}
		free(ns->slot);
		ns->slot = slot;
		ns->cap = cap;
	}
	for (i = hash(s) & (ns->cap - 1); ns->slot[i];
	    i = (i + 1) & (ns->cap - 1))
		;
	if ((ns->slot[i] = strdup(s)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

static void
set_free(struct nameset *ns)
{
	for (size_t i = 0; i < ns->cap; i++)
		free(ns->slot[i]);
	free(ns->slot);
}

/* The last stamp read with a UTC offset, as text, for the next row's: a
 * stamp that differs from it only in the clock time (HH:MM:SS) is the
 * same date and offset, so its instant is the last one's moved by the
 * difference, without the date arithmetic of dg_time_parse again. */
struct stamp_cache {
	char text[48];
	size_t len;		/* 0: none */
	dg_time base;		/* the instant less its clock time */
	int mmss;		/* the seconds of its MM:SS */
};

/* The last naive stamp's date, when the whole of that local day has one
 * offset in the input's zone: a stamp of the same date is the day's
 * midnight plus its clock time, without the zone's rules again (a third
 * of reading an export without offsets). */
struct naive_cache {
	char date[10];		/* YYYY-MM-DD */
	int valid;
	dg_time base;		/* the instant of the day's wall 00:00:00 */
};

struct dg_series_reader {
	struct dg_csv *r;
	struct stamp_cache sc;
	struct naive_cache nc;
	struct dg_zone *zone;	/* of naive stamps (NULL: the market's) */
	struct dg_series_opts so;
	int c_key, c_time, c_val, c_zone, c_line;
	int unit;		/* of a load: DG_SERIES_UNIT_KW or _KWH */
	struct nameset done;
	int pending;		/* a row of the next site has been read */
	int at_eof;
	char *pend_site;
	struct dg_point pend;
	struct dg_error *err;

	/* Any order: the rows are first read into an external sort keyed by
	 * each site's first appearance (see fill()). */
	int src;		/* SRC_NEW, SRC_STREAM or SRC_SORTED */
	int then_stream;	/* after the sorted rows, read on
				 * from the file */
	struct dg_extsort *xs;
	struct site_ent *sites;	/* by rank (first appearance) */
	size_t nsites, sites_cap;
	uint32_t *slot;		/* hash of sites: rank + 1, 0 empty */
	size_t slot_cap;
	const char *cur_site;	/* the site of the row pulled last */
	int sorted_rows;	/* the input was not grouped by site */
};

enum { SRC_NEW, SRC_STREAM, SRC_SORTED };

struct site_ent {
	char *name;
	dg_time prev;		/* the site's last instant read */
};

/* A row in the sort: fixed size, native byte order (it never leaves the
 * process). */
struct rec {
	uint32_t rank;
	uint8_t missing;
	int8_t scale;
	int64_t t, v, line;
};

int
dg_series_unit_of(const char *c)
{
	size_t n = strlen(c);

	if (strcasecmp(c, "kwh") == 0 ||
	    (n > 4 && strcasecmp(c + n - 4, "_kwh") == 0))
		return DG_SERIES_UNIT_KWH;
	if (strcasecmp(c, "kw") == 0 ||
	    (n > 3 && strcasecmp(c + n - 3, "_kw") == 0))
		return DG_SERIES_UNIT_KW;
	return DG_SERIES_UNIT_NAME;
}

int
dg_series_load_unit(const struct dg_series_opts *so, const char *file,
    int *unit, struct dg_error *err)
{
	const char *c = so->value_col;
	int named = dg_series_unit_of(c), u = so->unit;

	if (so->sum && u == DG_SERIES_UNIT_KW)
		return dg_error_set(err, DG_EINVAL, file, 0, c,
		    "the unit is kW, demand, averaged: summing it contradicts that");
	if (so->sum && u == DG_SERIES_UNIT_NAME)
		u = DG_SERIES_UNIT_KWH;
	if (u != DG_SERIES_UNIT_NAME && named != DG_SERIES_UNIT_NAME &&
	    u != named)
		return dg_error_set(err, DG_EINVAL, file, 0, c,
		    "the column's name says %s, which %s contradicts",
		    named == DG_SERIES_UNIT_KW ? "kW (demand, averaged)" :
		    "kWh (energy per interval, summed)",
		    so->sum ? "summing" : u == DG_SERIES_UNIT_KW ?
		    "a unit of kW" : "a unit of kWh");
	if (u == DG_SERIES_UNIT_NAME)
		u = named;
	if (u == DG_SERIES_UNIT_NAME)
		return dg_error_set(err, DG_EINVAL, file, 0, c,
		    "no unit in the column's name (_kw: demand, _kwh: energy per interval): give the unit");
	*unit = u;
	return DG_OK;
}

/* Opens the reader on an open CSV reader r (taken over). */
static int
series_open(struct dg_series_reader **srp, struct dg_csv *r,
    const struct dg_series_opts *so, struct dg_error *err)
{
	struct dg_series_reader *sr;
	int st;

	*srp = NULL;
	if ((sr = calloc(1, sizeof(*sr))) == NULL) {
		dg_csv_close(r);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	sr->r = r;
	sr->so = *so;
	sr->err = err;
	if (sr->so.key_col == NULL)
		sr->so.key_col = "site";
	if (sr->so.time_col == NULL)
		sr->so.time_col = "time";
	sr->c_zone = -1;
	sr->c_line = -1;
	if (sr->so.site != NULL)
		sr->c_key = -1;
	if ((sr->so.site == NULL &&
	    (st = dg_csv_require(r, sr->so.key_col, &sr->c_key)) != DG_OK) ||
	    (st = dg_csv_require(r, sr->so.time_col, &sr->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, sr->so.value_col, &sr->c_val)) != DG_OK ||
	    (sr->so.zone_col != NULL &&
	    (st = dg_csv_require(r, sr->so.zone_col, &sr->c_zone)) != DG_OK) ||
	    (sr->so.line_col != NULL &&
	    (st = dg_csv_require(r, sr->so.line_col, &sr->c_line)) != DG_OK)) {
		*err = *dg_csv_error(sr->r);
		dg_series_close(sr);
		return st;
	}
	if (sr->so.load && (st = dg_series_load_unit(&sr->so,
	    dg_csv_name(sr->r), &sr->unit, err)) != DG_OK) {
		dg_series_close(sr);
		return st;
	}
	*srp = sr;
	return DG_OK;
}

int
dg_series_open(struct dg_series_reader **srp, const char *path,
    const struct dg_series_opts *so, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	*srp = NULL;
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = series_open(srp, r, so, err)) == DG_OK && o != NULL)
		(*srp)->zone = o->zone;
	return st;
}

int
dg_series_open_fp(struct dg_series_reader **srp, FILE *fp, const char *name,
    const struct dg_series_opts *so, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	*srp = NULL;
	if ((st = dg_csv_open_fp(&r, fp, name, o, err)) != DG_OK)
		return st;
	if ((st = series_open(srp, r, so, err)) == DG_OK && o != NULL)
		(*srp)->zone = o->zone;
	return st;
}

void
dg_series_close(struct dg_series_reader *sr)
{
	if (sr == NULL)
		return;
	dg_csv_close(sr->r);
	set_free(&sr->done);
	free(sr->pend_site);
	dg_extsort_free(sr->xs);
	for (size_t i = 0; i < sr->nsites; i++)
		free(sr->sites[i].name);
	free(sr->sites);
	free(sr->slot);
	free(sr);
}

void
dg_series_release(struct dg_series *s)
{
	free(s->site);
	free(s->p);
	memset(s, 0, sizeof(*s));
}

struct dg_csv *
dg_series_csv(struct dg_series_reader *sr)
{
	return sr->r;
}

long
dg_series_find(const struct dg_series *s, dg_time t)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->p[mid].t == t)
			return (long)mid;
		if (s->p[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
grow(struct dg_series *s)
{
	size_t cap = s->cap ? 2 * s->cap : 1024;
	struct dg_point *v = realloc(s->p, cap * sizeof(*v));

	if (v == NULL)
		return -1;
	s->p = v;
	s->cap = cap;
	return 0;
}

static inline int
push(struct dg_series *s, const struct dg_point *p)
{
	if (s->n == s->cap && grow(s) != 0)
		return -1;
	s->p[s->n++] = *p;
	return 0;
}

#define DG_1900_01_03 (-2208816000)	/* 1900-01-03T00:00:00Z */

/* Seconds of the clock time HH:MM:SS at s[11]; -1 if it is not one. */
static int
clock_secs(const char *s)
{
	const char *c = s + 11;
	int h, m, x;

	if (c[2] != ':' || c[5] != ':')
		return -1;
	for (int k = 0; k < 8; k++)
		if (k != 2 && k != 5 && (c[k] < '0' || c[k] > '9'))
			return -1;
	h = (c[0] - '0') * 10 + c[1] - '0';
	m = (c[3] - '0') * 10 + c[4] - '0';
	x = (c[6] - '0') * 10 + c[7] - '0';
	if (h > 23 || m > 59 || x > 59)
		return -1;
	return h * 3600 + m * 60 + x;
}

/* The instant of stamp s when it is the cached one but for its clock time
 * (dg_time_parse would find the same date and offset, and accept the
 * clock time: the same instant); 0 when dg_time_parse must read it. */
static int
stamp_fast(const struct stamp_cache *c, const char *s, size_t len, dg_time *t)
{
	size_t i;
	int k;

	if (c->len == 0 || len != c->len || memcmp(s, c->text, 11) != 0)
		return 0;
	for (i = 13; i < len && s[i] == c->text[i]; i++)
		;
	if (i == len) {
		/* hourly input: only the hour differs, MM:SS as cached */
		if (s[11] < '0' || s[11] > '2' || s[12] < '0' || s[12] > '9' ||
		    (k = (s[11] - '0') * 10 + s[12] - '0') > 23)
			return 0;
		*t = c->base + c->mmss + k * 3600;
	} else {
		for (i = 19; i < len; i++)	/* the offset: a few bytes */
			if (s[i] != c->text[i])
				return 0;
		if ((k = clock_secs(s)) < 0)
			return 0;
		*t = c->base + k;
	}
	return *t >= DG_1900_01_03;	/* else the zone's year is asked */
}

/* Seconds of "HH:MM" or "HH:MM:SS" at s[11] (len 16 or 19); -1 if not. */
static int
wall_secs(const char *s, size_t len)
{
	const char *c = s + 11;
	int h, m, x = 0;

	if (len == 19)
		return clock_secs(s);
	if (len != 16 || c[2] != ':' || c[0] < '0' || c[0] > '2' ||
	    c[1] < '0' || c[1] > '9' || c[3] < '0' || c[3] > '5' ||
	    c[4] < '0' || c[4] > '9')
		return -1;
	h = (c[0] - '0') * 10 + c[1] - '0';
	m = (c[3] - '0') * 10 + c[4] - '0';
	return h > 23 ? -1 : h * 3600 + m * 60 + x;
}

static int
naive_fast(const struct naive_cache *c, const char *s, size_t len, dg_time *t)
{
	int k;

	if (!c->valid || (len != 16 && len != 19) ||
	    (s[10] != ' ' && s[10] != 'T') ||
	    memcmp(s, c->date, 10) != 0 || (k = wall_secs(s, len)) < 0)
		return 0;
	*t = c->base + k;
	return 1;
}

/* Caches the day of naive stamp s (read as instant t in zone) when that
 * local day keeps one offset throughout. */
static void
naive_keep(struct naive_cache *c, struct dg_zone *zone, const char *s,
    size_t len, dg_time t)
{
	int k, off;
	dg_time base;

	c->valid = 0;
	if ((len != 16 && len != 19) || s[4] != '-' || s[7] != '-' ||
	    (s[10] != ' ' && s[10] != 'T') || (k = wall_secs(s, len)) < 0)
		return;
	base = t - k;
	if (!dg_zone_stable(zone, base, base + 86399, &off))
		return;
	memcpy(c->date, s, 10);
	c->base = base;
	c->valid = 1;
}

/* Caches stamp s, read by dg_time_parse as instant t with a UTC offset,
 * when it has the form YYYY-MM-DD?HH:MM:SS<offset>. */
static void
stamp_keep(struct stamp_cache *c, const char *s, size_t len, dg_time t)
{
	int k;

	c->len = 0;
	if (len < 19 || len >= sizeof(c->text) || s[2] == '/' || s[4] != '-' ||
	    (k = clock_secs(s)) < 0)
		return;
	memcpy(c->text, s, len);
	c->len = len;
	c->base = t - k;
	c->mmss = k % 3600;
}

static long site_find(const struct dg_series_reader *sr, const char *site);

/* The row's value into p: exact, and as a double. */
static int
get_value(struct dg_series_reader *sr, struct dg_point *p)
{
	int st = dg_csv_get_dec(sr->r, sr->c_val, &p->x);

	if (st != DG_OK)
		return st;
	p->v = dg_dec_to_double(p->x);
	return DG_OK;
}

/* The row's site name. */
static const char *
row_site(struct dg_series_reader *sr)
{
	return sr->so.site ? sr->so.site : dg_csv_field(sr->r, sr->c_key, NULL);
}

/* Reads one row into *p (its site: row_site()); DG_EOF at the end.  A row
 * with an empty value counts in *missing (its line in *missing_line): *p
 * has its instant and line, p->missing set and a value of 0.  prev picks
 * the repeated hour of a naive stamp (in fill(), the site's own last). */
static int
read_row(struct dg_series_reader *sr, dg_time prev, struct dg_point *p,
    long *missing, long *missing_line)
{
	struct dg_tstamp ts;
	size_t tl;
	const char *tt;
	int st, empty;

	if ((st = dg_csv_next(sr->r)) != DG_OK)
		return st;
	if (sr->c_key >= 0 && dg_csv_is_empty(sr->r, sr->c_key))
		return dg_csv_fail(sr->r, sr->c_key, DG_EDATA, "empty value");
	p->missing = 0;
	p->line = dg_csv_line(sr->r);
	if (sr->c_line >= 0) {
		int64_t l;

		if (dg_parse_int(dg_csv_field(sr->r, sr->c_line, NULL), 1,
		    INT64_MAX, &l) == DG_OK)
			p->line = (long)l;
	}
	/* an empty value is a hole; its stamp must still be one */
	empty = dg_csv_is_empty(sr->r, sr->c_val);
	if (empty) {
		if ((*missing)++ == 0)
			*missing_line = p->line;
		p->missing = 1;
		p->x = dg_dec_make(0, 0);
		p->v = 0;
	}
	tt = dg_csv_field(sr->r, sr->c_time, &tl);
	if (stamp_fast(&sr->sc, tt, tl, &p->t) ||
	    (sr->c_zone < 0 && naive_fast(&sr->nc, tt, tl, &p->t)))
		/* an instant with its offset, or a naive stamp on a day of one
		 * offset: as dg_tstamp_pick(_abbr) */
		return empty ? DG_OK : get_value(sr, p);
	if ((st = dg_csv_get_time(sr->r, sr->c_time, &ts)) != DG_OK)
		return st;
	if (!ts.naive)
		stamp_keep(&sr->sc, tt, tl, ts.t);
	else if (!ts.ambiguous)
		naive_keep(&sr->nc, sr->zone, tt, tl, ts.t);
	if (!empty && (st = get_value(sr, p)) != DG_OK)
		return st;
	if (sr->c_zone >= 0) {
		size_t zl;
		const char *z = dg_csv_field(sr->r, sr->c_zone, &zl);

		if (dg_tstamp_pick_abbr(&ts, z, zl, &p->t) != DG_OK)
			return dg_csv_fail(sr->r, sr->c_zone, DG_EDATA,
			    "zone \"%s\" does not fit the local time", z);
	} else {
		if (sr->src == SRC_NEW) {	/* fill(): the
						 * site's own last */
			long rank = site_find(sr, row_site(sr));

			prev = rank < 0 ? INT64_MIN : sr->sites[rank].prev;
		}
		p->t = dg_tstamp_pick(&ts, prev);
	}
	return DG_OK;
}

/* --- any order --------------------------------------------------------- */

/* The rank of site, or -1 when it has not been seen. */
static long
site_find(const struct dg_series_reader *sr, const char *site)
{
	if (sr->slot_cap == 0)
		return -1;
	for (size_t i = hash(site) & (sr->slot_cap - 1); sr->slot[i];
	    i = (i + 1) & (sr->slot_cap - 1))
		if (strcmp(sr->sites[sr->slot[i] - 1].name, site) == 0)
			return sr->slot[i] - 1;
	return -1;
}

/* The rank of site (its first appearance), added when new; -1 when out of
 * memory.  *seen says whether it was there already. */
static long
site_rank(struct dg_series_reader *sr, const char *site, int *seen)
{
	size_t i;

	if (2 * (sr->nsites + 1) > sr->slot_cap) {
		size_t cap = sr->slot_cap ? 2 * sr->slot_cap : 1024;
		uint32_t *slot = calloc(cap, sizeof(*slot));

		if (slot == NULL)
			return -1;
		for (size_t r = 0; r < sr->nsites; r++) {
			for (i = hash(sr->sites[r].name) & (cap - 1); slot[i];
			    i = (i + 1) & (cap - 1))
				;
			slot[i] = (uint32_t)r + 1;
		}
		free(sr->slot);
		sr->slot = slot;
		sr->slot_cap = cap;
	}
	for (i = hash(site) & (sr->slot_cap - 1); sr->slot[i];
	    i = (i + 1) & (sr->slot_cap - 1))
		if (strcmp(sr->sites[sr->slot[i] - 1].name, site) == 0) {
			*seen = 1;
			return sr->slot[i] - 1;
		}
	*seen = 0;
	if (sr->nsites >= UINT32_MAX - 1 ||
	    dg_grow(&sr->sites, &sr->sites_cap, sr->nsites + 1,
	    sizeof(*sr->sites)) != 0 ||
	    (sr->sites[sr->nsites].name = strdup(site)) == NULL)
		return -1;
	sr->sites[sr->nsites].prev = INT64_MIN;
	sr->slot[i] = (uint32_t)sr->nsites + 1;
	return (long)sr->nsites++;
}

static int
cmp_rank(const void *a, size_t alen, const void *b, size_t blen, void *arg)
{
	const struct rec *x = a, *y = b;

	(void)alen;
	(void)blen;
	(void)arg;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Reads rows into the sort, keyed by the site's first appearance (stable:
 * file order within a site).  Rows grouped by site come out as they came
 * in; any other order comes out grouped.  While the rows read are grouped,
 * only the first DG_SERIES_SNIFF_BYTES of them are taken: the rest of the
 * file is then read as it comes (memory bounded by one site, as before);
 * rows not grouped (a site again after another: an export ordered by time)
 * are all sorted, in memory bounded by the sort's budget. */
static int
fill(struct dg_series_reader *sr)
{
	size_t bytes = 0;
	long last = -1;
	int st;

	if ((st = dg_extsort_open(&sr->xs, cmp_rank, NULL, 0,
	    sr->err)) != DG_OK)
		return st;
	for (;;) {
		struct dg_point p;
		struct rec rc;
		long miss = 0, line = 0, rank;
		int seen;

		if (!sr->so.sort && !sr->sorted_rows &&
		    bytes >= (sr->so.sniff_bytes ?
		    sr->so.sniff_bytes : DG_SERIES_SNIFF_BYTES)) {
			sr->then_stream = 1;
			break;
		}
		st = read_row(sr, 1, &p, &miss, &line);
		if (st == DG_EOF)
			break;
		if (st != DG_OK)
			return st;
		if ((rank = site_rank(sr, row_site(sr), &seen)) < 0)
			return dg_csv_fail(sr->r, -1, DG_ENOMEM,
			    "out of memory");
		if (seen && rank != last)
			sr->sorted_rows = 1;
		last = rank;
		memset(&rc, 0, sizeof(rc));
		rc.rank = (uint32_t)rank;
		rc.missing = p.missing;
		rc.line = p.line;
		rc.t = p.t;
		rc.v = p.x.v;
		rc.scale = (int8_t)p.x.scale;
		sr->sites[rank].prev = p.t;
		if ((st = dg_extsort_add(sr->xs, &rc, sizeof(rc))) != DG_OK)
			return st;
		bytes += sizeof(rc) + DG_EXTSORT_OVERHEAD;
	}
	if (!sr->then_stream)
		sr->at_eof = 1;
	if ((st = dg_extsort_finish(sr->xs)) != DG_OK)
		return st;
	sr->src = SRC_SORTED;
	return DG_OK;
}

/* The next row, from the sort or the file: its site in sr->cur_site. */
static int
pull(struct dg_series_reader *sr, dg_time prev, struct dg_point *p,
    long *missing, long *missing_line)
{
	int st;

	if (sr->src == SRC_NEW && (st = fill(sr)) != DG_OK)
		return st;
	if (sr->src == SRC_SORTED) {
		const void *v;
		size_t len;
		struct rec rc;

		st = dg_extsort_next(sr->xs, &v, &len);
		if (st == DG_OK) {
			memcpy(&rc, v, sizeof(rc));
			sr->cur_site = sr->sites[rc.rank].name;
			if (rc.missing && (*missing)++ == 0)
				*missing_line = rc.line;
			p->missing = rc.missing;
			p->t = rc.t;
			p->x = dg_dec_make(rc.v, rc.scale);
			p->v = dg_dec_to_double(p->x);
			p->line = rc.line;
			return DG_OK;
		}
		if (st != DG_EOF)
			return st;
		dg_extsort_free(sr->xs);
		sr->xs = NULL;
		if (!sr->then_stream)
			return DG_EOF;
		sr->src = SRC_STREAM;
	}
	st = read_row(sr, prev, p, missing, missing_line);
	sr->cur_site = st == DG_OK ? row_site(sr) : NULL;
	return st;
}

static int
cmp_point(const void *a, const void *b)
{
	const struct dg_point *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The most common positive spacing of the points (sorted): counted in a
 * small table of distinct spacings, most series having one or two. */
static int
usual_step(const struct dg_series *s)
{
	enum { NSTEP = 16 };
	int64_t step[NSTEP];
	size_t count[NSTEP], ns = 0, best = 0;

	if (s->n < 2)
		return 3600;
	for (size_t i = 1; i < s->n; i++) {
		int64_t d = s->p[i].t - s->p[i - 1].t;
		size_t k;

		for (k = 0; k < ns && step[k] != d; k++)
			;
		if (k == ns) {
			if (ns == NSTEP)
				continue;	/* a rare spacing: not
						 * the usual one */
			step[ns] = d;
			count[ns++] = 0;
		}
		count[k]++;
	}
	for (size_t k = 1; k < ns; k++)
		if (count[k] > count[best] ||
		    (count[k] == count[best] && step[k] < step[best]))
			best = k;
	return step[best] > 0 && step[best] <= 86400 ? (int)step[best] : 3600;
}

/* The scale of an hour's mean of sum over per intervals: exact when it
 * ends within DG_SERIES_MEAN_EXTRA more decimals, else rounded. */
static int
mean_scale(dg_dec sum)
{
	int sc = sum.scale + DG_SERIES_MEAN_EXTRA;

	if (sc < DG_SERIES_MEAN_SCALE)
		sc = DG_SERIES_MEAN_SCALE;
	return sc > DG_DEC_MAX_SCALE ? DG_DEC_MAX_SCALE : sc;
}

/* An hour's value: the sum of its intervals, or their mean. */
static int
hour_value(dg_dec sum, int per, int use_sum, dg_dec *out)
{
	dg_dec q;

	if (use_sum) {
		*out = sum;
		return DG_OK;
	}
	if (dg_dec_div(sum, dg_dec_make(per, 0), mean_scale(sum), &q) != DG_OK)
		return DG_ERANGE;
	/* the shortest scale that holds it exactly, down to the readings' */
	while (q.scale > sum.scale && q.v % 10 == 0) {
		q.v /= 10;
		q.scale--;
	}
	*out = q;
	return DG_OK;
}

/* Sub-hourly points to hourly: complete hours only. */
static int
to_hourly(struct dg_series_reader *sr, struct dg_series *s, int use_sum)
{
	size_t k = 0, i = 0;
	int per = 3600 / s->step_s;

	while (i < s->n) {
		dg_time h = dg_time_floor(s->p[i].t, 3600);
		size_t j = i;
		dg_dec acc = dg_dec_make(0, 0);
		int cnt = 0, aligned = 1, bad = 0;
		long line = s->p[i].line;

		while (j < s->n && s->p[j].t < h + 3600) {
			if ((s->p[j].t - h) % s->step_s != 0 || s->p[j].missing)
				aligned = 0;	/* off the grid, or a hole */
			if (dg_dec_add(acc, s->p[j].x, &acc) != DG_OK)
				bad = 1;
			cnt++;
			j++;
		}
		if (cnt == per && aligned) {
			if (bad || hour_value(acc, per, use_sum,
			    &s->p[k].x) != DG_OK)
				return dg_error_set(sr->err, DG_ERANGE,
				    dg_csv_name(sr->r), line, sr->so.value_col,
				    "%s %s: the hour's total is out of range",
				    sr->so.key_col, s->site);
			s->p[k].t = h;
			s->p[k].v = dg_dec_to_double(s->p[k].x);
			s->p[k].line = line;
			k++;
		} else
			s->incomplete++;
		i = j;
	}
	s->n = k;
	s->step_s = 3600;
	return DG_OK;
}

/* Energy per interval to the interval's mean demand (kW): x 3600 / step. */
static int
energy_to_demand(struct dg_series_reader *sr, struct dg_series *s)
{
	for (size_t i = 0; i < s->n; i++) {
		dg_dec *x = &s->p[i].x;
		int st;

		if (s->p[i].missing)
			continue;
		if (3600 % s->step_s == 0)
			st = dg_dec_mul(*x, dg_dec_make(3600 / s->step_s, 0),
			    x->scale, x);
		else if ((st =
		    dg_dec_mul(*x, dg_dec_make(3600, 0), x->scale, x)) == DG_OK)
			st = dg_dec_div(*x, dg_dec_make(s->step_s, 0),
			    mean_scale(*x), x);
		if (st != DG_OK)
			return dg_error_set(sr->err, DG_ERANGE,
			    dg_csv_name(sr->r), s->p[i].line, sr->so.value_col,
			    "%s %s: the demand is out of range", sr->so.key_col,
			    s->site);
		s->p[i].v = dg_dec_to_double(*x);
	}
	return DG_OK;
}

/* The points in time order, a repeated instant kept once (an error when
 * its values differ).  In order already is the usual case: one pass. */
static int
sort_points(struct dg_series_reader *sr, struct dg_series *s)
{
	size_t i, k;

	for (i = 1; i < s->n; i++)
		if (s->p[i].t <= s->p[i - 1].t)
			break;
	if (i >= s->n)
		return DG_OK;	/* strictly increasing: no repeats */
	qsort(s->p, s->n, sizeof(*s->p), cmp_point);
	for (i = k = 0; i < s->n; i++) {
		if (k > 0 && s->p[i].t == s->p[k - 1].t) {
			/* a hole and a reading of one instant: the reading */
			if (s->p[i].missing || s->p[k - 1].missing) {
				if (s->p[k - 1].missing)
					s->p[k - 1] = s->p[i];
				continue;
			}
			if (dg_dec_cmp(s->p[i].x, s->p[k - 1].x) != 0)
				return dg_error_set(sr->err, DG_EDATA,
				    dg_csv_name(sr->r), s->p[i].line,
				    sr->so.time_col,
				    "%s %s: repeated time with a different value",
				    sr->so.key_col, s->site);
			continue;	/* an identical repeated row */
		}
		s->p[k++] = s->p[i];
	}
	s->n = k;
	return DG_OK;
}

/* Readings further apart than max_span_s: an error rather than a gap that
 * long (a mistyped year would have the programs build a calendar up to
 * it).  The line named is of the reading on the side of the gap with
 * fewer readings: a lone stray reading is the one named. */
static int
check_span(struct dg_series_reader *sr, const struct dg_series *s)
{
	int64_t max = sr->so.max_span_s;

	if (max <= 0)
		return DG_OK;
	for (size_t i = 1; i < s->n; i++)
		if (s->p[i].t - s->p[i - 1].t > max) {
			long line = i < s->n - i ? s->p[i - 1].line :
			    s->p[i].line;

			return dg_error_set(sr->err, DG_EDATA,
			    dg_csv_name(sr->r), line, sr->so.time_col,
			    "%s %s: more than %lld days from the %s's other readings (a wrong date? --max-span DAYS allows it)",
			    sr->so.key_col, s->site, (long long)(max / 86400),
			    sr->so.key_col);
		}
	return DG_OK;
}

/* strcmp(a, b) == 0 without a call: site names are short, and one is
 * compared on every row. */
static inline int
same(const char *a, const char *b)
{
	while (*a == *b && *a != '\0')
		a++, b++;
	return *a == *b;
}

/* The pending row (the first of the next site) goes to s. */
static int
take_pending(struct dg_series_reader *sr, struct dg_series *s)
{
	if (set_has(&sr->done, sr->pend_site))
		return dg_error_set(sr->err, DG_EDATA, dg_csv_name(sr->r),
		    sr->pend.line, sr->so.key_col,
		    "%s \"%s\" appears again after other %ss, far from its first rows: the input is neither grouped by %s nor interleaved from its start (--sort reads any order)",
		    sr->so.key_col, sr->pend_site, sr->so.key_col,
		    sr->so.key_col);
	s->site = sr->pend_site;
	sr->pend_site = NULL;
	sr->pending = 0;
	if (sr->pend.missing) {
		s->missing = 1;
		s->missing_line = sr->pend.line;
		if (!sr->so.keep_missing)
			return DG_OK;
	}
	if (push(s, &sr->pend) != 0)
		return dg_csv_fail(sr->r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

/* Reads the next row as the pending one (the first of a site). */
static int
read_pending(struct dg_series_reader *sr, dg_time prev)
{
	long miss = 0, line = 0;
	int st = pull(sr, prev, &sr->pend, &miss, &line);

	if (st != DG_OK)
		return st;
	free(sr->pend_site);
	if ((sr->pend_site = strdup(sr->cur_site)) == NULL)
		return dg_csv_fail(sr->r, -1, DG_ENOMEM, "out of memory");
	sr->pending = 1;
	return DG_OK;
}

/* The site's points in order, checked, with its interval, its stamps
 * moved to their interval's start, and integrated or converted. */
static int
finish(struct dg_series_reader *sr, struct dg_series *s)
{
	int st;

	if ((st = sort_points(sr, s)) != DG_OK ||
	    (st = check_span(sr, s)) != DG_OK)
		return st;
	s->step_s = usual_step(s);
	if (sr->so.stamp_end)
		for (size_t i = 0; i < s->n; i++)
			s->p[i].t -= s->step_s;
	if (sr->so.hourly && s->step_s < 3600 && 3600 % s->step_s == 0)
		return to_hourly(sr, s,
		    sr->so.sum || sr->unit == DG_SERIES_UNIT_KWH);
	if (sr->unit == DG_SERIES_UNIT_KWH && s->step_s != 3600)
		return energy_to_demand(sr, s);
	return DG_OK;
}

int
dg_series_next(struct dg_series_reader *sr, struct dg_series *s)
{
	struct dg_point p;
	int st;

	free(s->site);
	s->site = NULL;
	s->n = 0;
	s->incomplete = 0;
	s->missing = 0;
	s->missing_line = 0;
	s->step_s = 3600;
	if (!sr->pending) {
		if (sr->at_eof)
			return DG_EOF;
		st = read_pending(sr, INT64_MIN);
		if (st == DG_EOF)
			sr->at_eof = 1;
		if (st != DG_OK)
			return st;
	}
	if ((st = take_pending(sr, s)) != DG_OK)
		return st;
	for (;;) {
		long miss = 0, line = 0;

		st = pull(sr, s->n ? s->p[s->n - 1].t : INT64_MIN, &p, &miss,
		    &line);
		if (st == DG_EOF) {
			sr->at_eof = 1;
			break;
		}
		if (st != DG_OK)
			return st;
		if (!same(sr->cur_site, s->site)) {
			sr->pend = p;
			if ((sr->pend_site = strdup(sr->cur_site)) == NULL)
				return dg_csv_fail(sr->r, -1, DG_ENOMEM,
				    "out of memory");
			sr->pending = 1;
			break;
		}
		if (p.missing) {
			if (s->missing++ == 0)
				s->missing_line = p.line;
			if (!sr->so.keep_missing)
				continue;
		}
		if (push(s, &p) != 0)
			return dg_csv_fail(sr->r, -1, DG_ENOMEM,
			    "out of memory");
	}
	if (set_add(&sr->done, s->site) != 0)
		return dg_csv_fail(sr->r, -1, DG_ENOMEM, "out of memory");
	return finish(sr, s);
}

int
dg_series_sorted(const struct dg_series_reader *sr)
{
	return sr->sorted_rows;
}
