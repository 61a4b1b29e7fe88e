/* dg_acl.c: the zone's peak hours and the Average Coincident Load (see
 * dg_acl.h and dg-ucap(1), --measure acl). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_acl.h"
#include "dg_fetch.h"
#include "dg_ucap.h"
#include "dg_util.h"

void
dg_acl_params_init(struct dg_acl_params *p)
{
	memset(p, 0, sizeof(*p));
	p->top = DG_ACL_TOP;
	p->hb_lo = p->hb_hi = -1;
	p->lag = 1;
	p->dup = DG_ACL_DUP_FIRST;
}

void
dg_acl_zones_init(struct dg_acl_zones *zs)
{
	memset(zs, 0, sizeof(*zs));
}

void
dg_acl_zones_release(struct dg_acl_zones *zs)
{
	for (size_t i = 0; i < zs->n; i++) {
		free(zs->v[i].name);
		free(zs->v[i].h);
	}
	for (size_t i = 0; i < zs->nfile; i++)
		free(zs->file[i]);
	free(zs->file);
	free(zs->v);
	memset(zs, 0, sizeof(*zs));
}

struct dg_acl_zone *
dg_acl_zones_find(const struct dg_acl_zones *zs, const char *name)
{
	for (size_t i = 0; i < zs->n; i++)
		if (strcmp(zs->v[i].name, name) == 0)
			return &zs->v[i];
	return NULL;
}

int
dg_acl_zones_add(struct dg_acl_zones *zs, const char *zone, dg_time t,
    dg_dec mw, long line)
{
	struct dg_acl_zone *z = dg_acl_zones_find(zs, zone);
	struct dg_acl_zhour *h;
	struct dg_local lt;

	if (z == NULL) {
		if (dg_grow(&zs->v, &zs->cap, zs->n + 1, sizeof(*zs->v)) != 0)
			return DG_ENOMEM;
		z = &zs->v[zs->n];
		memset(z, 0, sizeof(*z));
		if ((z->name = strdup(zone)) == NULL)
			return DG_ENOMEM;
		zs->n++;
	}
	if (dg_grow(&z->h, &z->cap, z->n + 1, sizeof(*z->h)) != 0)
		return DG_ENOMEM;
	if (dg_time_local(t, &lt) != DG_OK)
		return DG_ERANGE;
	h = &z->h[z->n++];
	h->t = t;
	h->month = lt.year * 12 + lt.mon - 1;
	h->hour = (signed char)lt.hour;
	h->wday = (signed char)lt.wday;
	h->mw = mw;
	h->seq = zs->seq++;
	h->line = line;
	h->file = (int)zs->nfile - 1;
	return DG_OK;
}

static int
cmp_zhour(const void *a, const void *b)
{
	const struct dg_acl_zhour *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Of the copies h[0..k) of one hour, the one kept, by dup. */
static size_t
pick_copy(const struct dg_acl_zhour *h, size_t k, int dup)
{
	size_t best = 0;

	if (dup == DG_ACL_DUP_MAX) {
		for (size_t j = 1; j < k; j++)
			if (dg_dec_cmp(h[j].mw, h[best].mw) > 0)
				best = j;
		return best;
	}
	for (size_t j = 0; j < k; j++)	/* the first that is not 0 */
		if (dg_dec_sign(h[j].mw) != 0)
			return j;
	return 0;
}

static int
finish_zone(const struct dg_acl_zones *zs, struct dg_acl_zone *z, int dup,
    struct dg_error *err)
{
	size_t o = 0;

	if (z->n > 1)
		qsort(z->h, z->n, sizeof(*z->h), cmp_zhour);
	for (size_t i = 0; i < z->n;) {
		size_t k = 1;

		while (i + k < z->n && z->h[i + k].t == z->h[i].t)
			k++;
		if (k > 1 && dup == DG_ACL_DUP_REFUSE) {
			const struct dg_acl_zhour *h = &z->h[i + 1];
			char ts[DG_TIME_BUFSZ];

			dg_time_format(h->t, ts, sizeof(ts));
			return dg_error_set(err, DG_EDATA, h->file >= 0 ?
			    zs->file[h->file] : NULL, h->line, NULL,
			    "zone %s: %s: the load of one hour given %zu times (--zone-duplicates)",
			    z->name, ts, k);
		}
		if (k > 1)
			z->dups++;
		z->h[o++] = z->h[i + pick_copy(&z->h[i], k, dup)];
		i += k;
	}
	z->n = o;
	return DG_OK;
}

int
dg_acl_zones_finish(struct dg_acl_zones *zs, int dup, struct dg_error *err)
{
	int st;

	for (size_t i = 0; i < zs->n; i++)
		if ((st = finish_zone(zs, &zs->v[i], dup, err)) != DG_OK)
			return st;
	return DG_OK;
}

void
dg_acl_hour_range(const struct dg_acl_params *p, int period, int *lo, int *hi)
{
	if (p->hb_lo >= 0) {
		*lo = p->hb_lo;
		*hi = p->hb_hi;
	} else if (period >= 2014 * 12 + 4) {	/* Summer 2014 on */
		*lo = 11;
		*hi = 19;
	} else {
		*lo = 13;
		*hi = 18;
	}
}

/* Whether hour h counts for the peaks of pk. */
static int
counted(const struct dg_acl_params *p, const struct dg_acl_peaks *pk,
    const struct dg_acl_zhour *h)
{
	return h->month >= pk->prior && h->month < pk->prior + 6 &&
	    h->hour >= pk->hb_lo && h->hour <= pk->hb_hi &&
	    (!p->weekdays || (h->wday >= 1 && h->wday <= 5));
}

/* Highest load first, then the earlier. */
static int
cmp_peak(const void *a, const void *b)
{
	const struct dg_acl_zhour *x = *(const struct dg_acl_zhour *const *)a;
	const struct dg_acl_zhour *y = *(const struct dg_acl_zhour *const *)b;
	int c = dg_dec_cmp(y->mw, x->mw);

	if (c != 0)
		return c;
	return (x->t > y->t) - (x->t < y->t);
}

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

void
dg_acl_missing_format(const struct dg_acl_peaks *pk, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (int i = 0; i < 6 && k < n; i++)
		if (pk->missing & (1u << i)) {
			int w = snprintf(buf + k, n - k, "%s%s %d",
			    k ? ", " : "", month_names[(pk->prior + i) % 12],
			    (pk->prior + i) / 12);

			if (w < 0)
				break;
			k += (size_t)w;
		}
}

int
dg_acl_peaks(const struct dg_acl_params *p, const struct dg_acl_zone *z,
    int period, struct dg_acl_peaks *pk, struct dg_error *err)
{
	const struct dg_acl_zhour **v;
	size_t nv = 0;
	unsigned have = 0;

	memset(pk, 0, sizeof(*pk));
	pk->period = period = dg_ucap_period_start(period);
	pk->prior = period - 12 * p->lag;
	dg_acl_hour_range(p, period, &pk->hb_lo, &pk->hb_hi);
	if ((v = malloc((z->n ? z->n : 1) * sizeof(*v))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < z->n; i++) {
		const struct dg_acl_zhour *h = &z->h[i];

		if (h->month >= pk->prior && h->month < pk->prior + 6)
			have |= 1u << (h->month - pk->prior);
		if (counted(p, pk, h))
			v[nv++] = h;
	}
	pk->missing = ~have & 0x3fu;
	if (pk->missing && !p->partial) {
		char mb[160];

		free(v);
		dg_acl_missing_format(pk, mb, sizeof(mb));
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "zone %s: no load for %s, months of the prior period of the ACL (--acl-partial ranks the hours given)",
		    z->name, mb);
	}
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_peak);
	pk->n = nv < (size_t)p->top ? nv : (size_t)p->top;
	for (size_t i = 0; i < pk->n; i++) {
		pk->t[i] = v[i]->t;
		pk->mw[i] = v[i]->mw;
	}
	free(v);
	return DG_OK;
}

int
dg_acl_site(const struct dg_acl_peaks *pk, const struct dg_series *s,
    dg_rat *acl, size_t *found)
{
	dg_rat sum = dg_rat_int(0);
	size_t k = 0;

	for (size_t i = 0; i < pk->n; i++) {
		long j = dg_series_find(s, pk->t[i]);

		if (j < 0)
			continue;
		if (dg_rat_add(sum, dg_rat_dec(s->p[j].x), &sum) != DG_OK)
			return DG_ERANGE;
		k++;
	}
	*found = k;
	if (k == 0)
		return DG_OK;
	return dg_rat_div(sum, dg_rat_int((long long)k), acl);
}

/* --- zone load files ---------------------------------------------------- */

static int
fetch_rows(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	struct dg_acl_zones *zs = arg;

	(void)member;
	for (size_t i = 0; i < rows->n; i++) {
		const struct dg_fetch_row *r = &rows->v[i];

		if (!(r->have & (1u << DG_FV_LOAD)))
			continue;
		if (dg_acl_zones_add(zs, r->zone, r->t, r->v[DG_FV_LOAD],
		    r->line) != DG_OK)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	return DG_OK;
}

/* dg-fetch's output: zone,time,load_mw. */
static int
read_fetched(struct dg_acl_zones *zs, FILE *fp, const char *name,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, cz, ct, cl;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_open_fp(&r, fp, name, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "zone", &cz)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &ct)) != DG_OK ||
	    (st = dg_csv_require(r, "load_mw", &cl)) != DG_OK)
		goto fail;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		dg_dec mw;

		if ((st = dg_csv_get_time(r, ct, &ts)) != DG_OK)
			goto fail;
		prev = dg_tstamp_pick(&ts, prev);
		if (dg_csv_is_empty(r, cl))
			continue;
		if ((st = dg_csv_get_dec(r, cl, &mw)) != DG_OK)
			goto fail;
		if (dg_csv_is_empty(r, cz)) {
			st = dg_csv_fail(r, cz, DG_EDATA, "empty zone name");
			goto fail;
		}
		if (dg_acl_zones_add(zs, dg_csv_field(r, cz, NULL), prev,
		    mw, dg_csv_line(r)) != DG_OK) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (st == DG_EOF) {
		dg_csv_close(r);
		return DG_OK;
	}
fail:
	*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

/* Whether body is NYISO's own file: a zip or gzip archive, or a CSV whose
 * header has "Time Stamp". */
static int
native(const char *body, size_t len)
{
	const char *nl = memchr(body, '\n', len);
	size_t n = nl ? (size_t)(nl - body) : len;

	if (len >= 2 && ((body[0] == 'P' && body[1] == 'K') ||
	    ((unsigned char)body[0] == 0x1f &&
	    (unsigned char)body[1] == 0x8b)))
		return 1;
	for (size_t i = 0; i + 10 <= n; i++)
		if (memcmp(body + i, "Time Stamp", 10) == 0)
			return 1;
	return 0;
}

int
dg_acl_zones_read(struct dg_acl_zones *zs, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	char *body = NULL;
	size_t len = 0;
	int st;
	FILE *fp;

	if (dg_grow(&zs->file, &zs->capfile, zs->nfile + 1,
	    sizeof(*zs->file)) != 0 ||
	    (zs->file[zs->nfile] = strdup(name)) == NULL)
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	zs->nfile++;
	if ((st = dg_fetch_read_file(path, DG_FETCH_INPUT_MAX, &body, &len,
	    err)) != DG_OK)
		return st;
	if (native(body, len))
		st = dg_fetch_parse(dg_fetch_source_find("nyiso-load"), body,
		    len, name, NULL, fetch_rows, zs, err);
	else if ((fp = fmemopen(body, len ? len : 1, "r")) == NULL)
		st = dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	else {
		st = read_fetched(zs, fp, name, o, err);
		fclose(fp);
	}
	free(body);
	return st;
}
