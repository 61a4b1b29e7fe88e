/* dg_settle_input.c: the rows dg-settle pay settles, read site by site
 * (see dg_settle.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"
#include "dg_sites.h"

/* The sites met so far (a hash set: a national input has 10,000). */
struct seen {
	char **v;		/* in the order met */
	size_t n, cap;
	size_t *slot;		/* index + 1 into v; 0: empty */
	size_t nslot;
};

struct dg_settle_input {
	struct dg_csv *r;
	const struct dg_sites *sites;	/* NULL: any site */
	int strict;
	int c_site, c_event, c_prog, c_time, c_red, c_actual, c_sched,
	    c_quality;
	struct dg_settle_row *v;	/* the current site's rows */
	size_t n, cap;
	struct seen seen;
	const char *cur;	/* the current site (in seen) */
	int pending;		/* the reader's row starts the next site */
	long flagged;
	int (*keep)(void *, const struct dg_settle_row *);
	void *keep_arg;
	long skipped;
};

static size_t
seen_hash(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int
seen_has(const struct seen *s, const char *name)
{
	if (s->nslot == 0)
		return 0;
	for (size_t i = seen_hash(name) & (s->nslot - 1);; i = (i + 1) &
	    (s->nslot - 1)) {
		if (s->slot[i] == 0)
			return 0;
		if (strcmp(s->v[s->slot[i] - 1], name) == 0)
			return 1;
	}
}

static void
seen_put(struct seen *s, size_t k)
{
	size_t i = seen_hash(s->v[k]) & (s->nslot - 1);

	while (s->slot[i] != 0)
		i = (i + 1) & (s->nslot - 1);
	s->slot[i] = k + 1;
}

/* Adds name (not there yet); DG_ENOMEM. */
static int
seen_add(struct seen *s, const char *name)
{
	if (2 * (s->n + 1) > s->nslot) {
		size_t ns = s->nslot ? 2 * s->nslot : 512;
		size_t *nv = ns <= SIZE_MAX / 2 ? calloc(ns, sizeof(*nv)) :
		    NULL;

		if (nv == NULL)
			return DG_ENOMEM;
		free(s->slot);
		s->slot = nv;
		s->nslot = ns;
		for (size_t k = 0; k < s->n; k++)
			seen_put(s, k);
	}
	if (dg_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) != 0 ||
	    (s->v[s->n] = strdup(name)) == NULL)
		return DG_ENOMEM;
	seen_put(s, s->n++);
	return DG_OK;
}

static void
rows_clear(struct dg_settle_input *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].event);
		free(in->v[i].program);
		free(in->v[i].quality);
	}
	in->n = 0;
}

int
dg_settle_input_open(struct dg_settle_input **inp, struct dg_csv *r,
    const struct dg_sites *sites, int strict, struct dg_error *err)
{
	struct dg_settle_input *in;
	int st;

	if ((in = calloc(1, sizeof(*in))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	in->r = r;
	in->sites = sites;
	in->strict = strict;
	if ((st = dg_csv_require(r, "site", &in->c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "event", &in->c_event)) != DG_OK ||
	    (st = dg_csv_require(r, "program", &in->c_prog)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &in->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "reduction_kw", &in->c_red)) != DG_OK) {
		*err = *dg_csv_error(r);
		free(in);
		return st;
	}
	in->c_actual = dg_csv_col(r, "actual_kw");
	in->c_sched = dg_csv_col(r, "scheduled_kw");
	in->c_quality = dg_csv_col(r, "quality");
	*inp = in;
	return DG_OK;
}

void
dg_settle_input_keep(struct dg_settle_input *in,
    int (*keep)(void *arg, const struct dg_settle_row *row), void *arg)
{
	in->keep = keep;
	in->keep_arg = arg;
}

void
dg_settle_input_close(struct dg_settle_input *in)
{
	if (in == NULL)
		return;
	rows_clear(in);
	free(in->v);
	for (size_t i = 0; i < in->seen.n; i++)
		free(in->seen.v[i]);
	free(in->seen.v);
	free(in->seen.slot);
	free(in);
}

long
dg_settle_input_flagged(const struct dg_settle_input *in)
{
	return in->flagged;
}

long
dg_settle_input_skipped(const struct dg_settle_input *in)
{
	return in->skipped;
}

/* The reader's row starts a site: its name is new and known. */
static int
site_start(struct dg_settle_input *in, const char *name)
{
	struct dg_csv *r = in->r;

	if (name[0] == '\0')
		return dg_csv_fail(r, in->c_site, DG_EDATA, "empty site");
	if (seen_has(&in->seen, name))
		return dg_csv_fail(r, in->c_site, DG_EDATA,
		    "site \"%s\" appears again after other sites: sort the input by site",
		    name);
	if (in->sites != NULL && dg_sites_find(in->sites, name) == NULL)
		return dg_csv_fail(r, in->c_site, DG_EDATA,
		    "unknown site \"%s\" (not in %s)", name, in->sites->path);
	if (seen_add(&in->seen, name) != DG_OK)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	in->cur = in->seen.v[in->seen.n - 1];
	return DG_OK;
}

/* A quality flag other than ok, or an unmeasured hour without one, is
 * counted (an error with strict). */
static int
row_quality(struct dg_settle_input *in, struct dg_settle_row *row)
{
	struct dg_csv *r = in->r;
	int c = in->c_quality, has = c >= 0 && !dg_csv_is_empty(r, c);

	if (has && strcmp(dg_csv_field(r, c, NULL), "ok") != 0) {
		if (in->strict)
			return dg_csv_fail(r, c, DG_EDATA,
			    "quality flag \"%s\" (--strict)",
			    dg_csv_field(r, c, NULL));
		in->flagged++;
	}
	if (has && (row->quality = strdup(dg_csv_field(r, c, NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	if (row->no_reduction && !has) {
		if (in->strict)
			return dg_csv_fail(r, in->c_red, DG_EDATA,
			    "empty (--strict)");
		in->flagged++;
	}
	return DG_OK;
}

static int
opt_dec(struct dg_csv *r, int c, int *has, dg_dec *out)
{
	return c >= 0 ? get_opt_dec(r, c, has, out) : DG_OK;
}

/* The reader's row as a settlement row. */
static int
row_read(struct dg_settle_input *in, struct dg_settle_row *row)
{
	struct dg_csv *r = in->r;
	struct dg_tstamp ts;
	int st;

	memset(row, 0, sizeof(*row));
	if ((st = dg_csv_get_time(r, in->c_time, &ts)) != DG_OK)
		return st;
	/* dg-cbl leaves reduction_kw empty when it found no CBL or no load
	 * (its quality says why): the hour is not paid. */
	if (dg_csv_is_empty(r, in->c_red)) {
		row->no_reduction = 1;
		row->reduction_kw = dg_dec_make(0, 0);
	} else if ((st =
	    dg_csv_get_dec(r, in->c_red, &row->reduction_kw)) != DG_OK)
		return st;
	row->t = ts.t;
	if (dg_time_floor(row->t, 3600) != row->t)
		return dg_csv_fail(r, in->c_time, DG_EDATA,
		    "not the start of an hour: settle hourly rows");
	if ((st = opt_dec(r, in->c_actual, &row->has_actual,
	    &row->actual_kw)) != DG_OK ||
	    (st = opt_dec(r, in->c_sched, &row->has_sched,
	    &row->scheduled_kw)) != DG_OK)
		return st;
	if (dg_csv_is_empty(r, in->c_event) || dg_csv_is_empty(r, in->c_prog))
		return dg_csv_fail(r, dg_csv_is_empty(r, in->c_event) ?
		    in->c_event : in->c_prog, DG_EDATA, "empty");
	row->line = dg_csv_line(r);
	if ((row->event = strdup(dg_csv_field(r, in->c_event, NULL))) == NULL ||
	    (row->program =
	    strdup(dg_csv_field(r, in->c_prog, NULL))) == NULL) {
		free(row->event);
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	return DG_OK;
}

/* Adds the reader's row to the current site's (or skips it). */
static int
row_add(struct dg_settle_input *in)
{
	struct dg_settle_row row;
	int st;

	if ((st = row_read(in, &row)) != DG_OK)
		return st;
	if (in->keep != NULL && !in->keep(in->keep_arg, &row)) {
		free(row.event);
		free(row.program);
		in->skipped++;
		return DG_OK;
	}
	if ((st = row_quality(in, &row)) != DG_OK ||
	    dg_grow(&in->v, &in->cap, in->n + 1, sizeof(*in->v)) != 0) {
		free(row.event);
		free(row.program);
		free(row.quality);
		return st != DG_OK ? st : dg_csv_fail(in->r, -1, DG_ENOMEM,
		    "out of memory");
	}
	in->v[in->n++] = row;
	return DG_OK;
}

int
dg_settle_input_next(struct dg_settle_input *in, const char **site,
    struct dg_settle_row **rows, size_t *n, struct dg_error *err)
{
	int st = DG_OK, started = 0;

	rows_clear(in);
	if (in->pending) {
		in->pending = 0;
		if ((st = site_start(in,
		    dg_csv_field(in->r, in->c_site, NULL))) !=
		    DG_OK || (st = row_add(in)) != DG_OK)
			goto fail;
		started = 1;
	}
	while ((st = dg_csv_next(in->r)) == DG_OK) {
		const char *name = dg_csv_field(in->r, in->c_site, NULL);

		if (started && strcmp(name, in->cur) != 0) {
			in->pending = 1;
			break;
		}
		if (!started && (st = site_start(in, name)) != DG_OK)
			goto fail;
		started = 1;
		if ((st = row_add(in)) != DG_OK)
			goto fail;
	}
	if (st != DG_OK && st != DG_EOF)
		goto fail;
	if (!started)
		return DG_EOF;
	*site = in->cur;
	*rows = in->v;
	*n = in->n;
	return DG_OK;
fail:
	*err = *dg_csv_error(in->r);
	return st;
}
