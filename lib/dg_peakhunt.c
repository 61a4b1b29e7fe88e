/* dg_peakhunt.c: what dg-peakhunt reads (see dg_peakhunt.h): the tariff,
 * the zone's loads and forecasts, the site's forecasts, the generator. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_econ_int.h"
#include "dg_peakhunt.h"
#include "dg_series.h"
#include "dg_util.h"
#include "dg_zones.h"

/* --- The tariff ----------------------------------------------------- */

/* "A" or "A-B" of integers lo..hi with A <= B (A < B when strict). */
static int
range(const char *s, int lo, int hi, int strict, int *a, int *b)
{
	char buf[16];
	const char *dash = strchr(s, '-');
	int64_t x, y;

	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	if (dash != NULL)
		buf[dash - s] = '\0';
	if (dg_parse_int(buf, lo, hi, &x) != DG_OK)
		return -1;
	y = x;
	if (dash != NULL && dg_parse_int(dash + 1, lo, hi, &y) != DG_OK)
		return -1;
	if (y < x || (strict && (dash == NULL || y == x)))
		return -1;
	*a = (int)x;
	*b = (int)y;
	return 0;
}

static const char *
opt_field(struct dg_csv *r, int col)
{
	return col < 0 ? "" : dg_csv_field(r, col, NULL);
}

/* The zone of a capacity charge: NYCA, or a NYISO zone by any name. */
static int
charge_zone(struct dg_csv *r, int col, struct dg_ph_charge *c)
{
	const char *s = opt_field(r, col), *z;

	if (s[0] == '\0')
		return dg_csv_fail(r, col, DG_EDATA,
		    "a capacity charge names its zone (NYCA or a NYISO zone)");
	if (strcasecmp(s, "NYCA") == 0)
		z = "NYCA";
	else if (dg_zone_resolve("NYISO", s, &z) != DG_OK)
		return dg_csv_fail(r, col, DG_EDATA,
		    "NYCA or a NYISO zone: \"%s\"", s);
	snprintf(c->zone, sizeof(c->zone), "%s", z);
	return DG_OK;
}

/* The optional columns: hours, days, peak, billed_months, zone. */
static int
charge_options(struct dg_csv *r, const int *col, int kind,
    struct dg_ph_charge *c)
{
	const char *s;
	int64_t b;

	c->hour_lo = 0;
	c->hour_hi = 24;
	if ((s = opt_field(r, col[3]))[0] != '\0' &&
	    range(s, 0, 24, 1, &c->hour_lo, &c->hour_hi) != 0)
		return dg_csv_fail(r, col[3], DG_EDATA,
		    "clock hours H-H from 0 to 24: \"%s\"", s);
	if ((s = opt_field(r, col[4]))[0] != '\0' && strcmp(s, "all") != 0 &&
	    !(c->weekdays = strcmp(s, "weekdays") == 0))
		return dg_csv_fail(r, col[4], DG_EDATA,
		    "all or weekdays: \"%s\"", s);
	c->per_month = kind == DG_PH_DEMAND;
	if ((s = opt_field(r, col[5]))[0] != '\0' && strcmp(s, "month") != 0 &&
	    (kind == DG_PH_DEMAND || strcmp(s, "season") != 0))
		return dg_csv_fail(r, col[5], DG_EDATA, kind == DG_PH_DEMAND ?
		    "a demand charge is on each month's peak: \"%s\"" :
		    "season or month: \"%s\"", s);
	if (strcmp(s, "month") == 0)
		c->per_month = 1;
	c->billed = kind == DG_PH_CAPACITY ? 12 : 1;
	if ((s = opt_field(r, col[6]))[0] != '\0') {
		if (dg_parse_int(s, 1, 120, &b) != DG_OK)
			return dg_csv_fail(r, col[6], DG_EDATA,
			    "months from 1 to 120: \"%s\"", s);
		c->billed = (int)b;
	}
	if (kind == DG_PH_CAPACITY)
		return charge_zone(r, col[7], c);
	if (opt_field(r, col[7])[0] != '\0')
		return dg_csv_fail(r, col[7], DG_EDATA,
		    "a demand charge is the site's own: no zone");
	return DG_OK;
}

static int
charge_row(struct dg_csv *r, const int *col, struct dg_ph_tariff *t)
{
	static const char *const kinds[] = { "capacity", "demand" };
	const char *s = dg_csv_field(r, col[0], NULL);
	struct dg_ph_charge *c;
	int k, st;

	for (k = 0; k < DG_PH_NCHARGE && strcmp(s, kinds[k]) != 0; k++)
		;
	if (k == DG_PH_NCHARGE)
		return dg_csv_fail(r, col[0], DG_EDATA,
		    "capacity or demand: \"%s\"", s);
	c = &t->c[k];
	if (c->present)
		return dg_csv_fail(r, col[0], DG_EDATA,
		    "a second %s charge (the first on line %ld)", s, c->line);
	c->present = 1;
	c->line = dg_csv_line(r);
	if ((st = dg_econ_get_amount(r, col[1], &c->rate)) != DG_OK)
		return st;
	if (range(dg_csv_field(r, col[2], NULL), 1, 12, 0, &c->month_lo,
	    &c->month_hi) != 0)
		return dg_csv_fail(r, col[2], DG_EDATA,
		    "months M or M-M from 1 to 12: \"%s\"",
		    dg_csv_field(r, col[2], NULL));
	return charge_options(r, col, k, c);
}

int
dg_ph_tariff_read(struct dg_ph_tariff *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "charge", "usd_per_kw_month",
	    "months", "hours", "days", "peak", "billed_months", "zone" };
	struct dg_csv *r;
	int st, col[8];

	memset(t, 0, sizeof(*t));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 8; i++)
		if (i >= 3)
			col[i] = dg_csv_col(r, names[i]);
		else if ((st = dg_csv_require(r, names[i], &col[i])) != DG_OK)
			goto out;
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = charge_row(r, col, t)) != DG_OK)
			goto out;
	if (st != DG_EOF)
		goto out;
	st = DG_OK;
	if (!t->c[0].present && !t->c[1].present)
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r), 0,
		    "charge",
		    "no charge: a capacity or a demand row is needed");
out:
	if (st != DG_OK)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

/* --- Loads and forecasts -------------------------------------------- */

void
dg_ph_series_release(struct dg_ph_series *s)
{
	free(s->h);
	memset(s, 0, sizeof(*s));
}

void
dg_ph_forecasts_release(struct dg_ph_forecasts *f)
{
	free(f->f);
	memset(f, 0, sizeof(*f));
}

/* The stamp in field i, on the hour. */
static int
get_hour(struct dg_csv *r, int i, dg_time *t)
{
	struct dg_tstamp ts;
	int st;

	if ((st = dg_csv_get_time(r, i, &ts)) != DG_OK)
		return st;
	*t = ts.t;
	if (dg_time_floor(*t, 3600) != *t)
		return dg_csv_fail(r, i, DG_EDATA, "not on the hour: \"%s\"",
		    dg_csv_field(r, i, NULL));
	return DG_OK;
}

/* One row of a zone file: the zone's index (added when new). */
struct zrow {
	size_t zone;
	dg_time t;
	dg_dec x;
};
struct zrows {
	struct zrow *v;
	size_t n, cap;
	char **zones;
	size_t nz, zcap;
};

static int
zone_index(struct zrows *z, const char *name, size_t *k)
{
	for (*k = 0; *k < z->nz; (*k)++)
		if (strcmp(z->zones[*k], name) == 0)
			return DG_OK;
	if (dg_grow(&z->zones, &z->zcap, z->nz + 1, sizeof(*z->zones)) != 0 ||
	    (z->zones[z->nz] = strdup(name)) == NULL)
		return DG_ENOMEM;
	z->nz++;
	return DG_OK;
}

static int
cmp_zrow(const void *a, const void *b)
{
	const struct zrow *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->zone > y->zone) - (x->zone < y->zone);
}

static int
zone_rows(struct dg_csv *r, const char *zone, struct zrows *z)
{
	int st, col[3];
	struct zrow row;

	if ((st = dg_csv_require(r, "zone", &col[0])) != DG_OK ||
	    (st = dg_csv_require(r, "time", &col[1])) != DG_OK ||
	    (st = dg_csv_require(r, "load_mw", &col[2])) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *name = dg_csv_field(r, col[0], NULL);

		if (strcmp(zone, "NYCA") != 0 && strcmp(name, zone) != 0)
			continue;
		if ((st = get_hour(r, col[1], &row.t)) != DG_OK ||
		    (st = dg_csv_get_dec(r, col[2], &row.x)) != DG_OK)
			return st;
		if (zone_index(z, name, &row.zone) != DG_OK ||
		    dg_grow(&z->v, &z->cap, z->n + 1, sizeof(*z->v)) != 0)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		z->v[z->n++] = row;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* The rows of one instant, i..j: their sum when every zone is there, the
 * larger of a zone's two values. */
static int
zone_hour(struct zrows *z, size_t i, size_t j, struct dg_ph_series *s)
{
	dg_dec sum = dg_dec_make(0, 0);
	size_t nz = 0;

	for (size_t k = i; k < j; k++) {
		dg_dec x = z->v[k].x;

		if (k + 1 < j && z->v[k + 1].zone == z->v[k].zone) {
			if (dg_dec_cmp(z->v[k + 1].x, x) < 0)
				z->v[k + 1].x = x;
			continue;
		}
		nz++;
		if (dg_dec_add(sum, x, &sum) != DG_OK)
			return DG_ERANGE;
	}
	if (nz < z->nz)
		return DG_OK;
	if (dg_grow(&s->h, &s->cap, s->n + 1, sizeof(*s->h)) != 0)
		return DG_ENOMEM;
	s->h[s->n].t = z->v[i].t;
	s->h[s->n].x = sum;
	s->h[s->n++].v = dg_dec_to_double(sum);
	return DG_OK;
}

int
dg_ph_zone_read(struct dg_ph_series *s, const char *path, const char *zone,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct zrows z = { NULL, 0, 0, NULL, 0, 0 };
	struct dg_csv *r;
	int st;

	memset(s, 0, sizeof(*s));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = zone_rows(r, zone, &z)) == DG_OK && z.n == 0)
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r), 0,
		    "zone", "no row of zone %s", zone);
	if (st == DG_OK) {
		qsort(z.v, z.n, sizeof(*z.v), cmp_zrow);
		for (size_t i = 0, j; i < z.n && st == DG_OK; i = j) {
			for (j = i + 1; j < z.n && z.v[j].t == z.v[i].t; j++)
				;
			st = zone_hour(&z, i, j, s);
		}
		if (st != DG_OK)
			dg_error_set(dg_csv_error(r), st, dg_csv_name(r), 0,
			    NULL, "%s", dg_strerror(st));
	}
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_ph_series_release(s);
	}
	for (size_t k = 0; k < z.nz; k++)
		free(z.zones[k]);
	free(z.zones);
	free(z.v);
	dg_csv_close(r);
	return st;
}

static int
cmp_fcast(const void *a, const void *b)
{
	const struct dg_ph_fcast *x = a, *y = b;

	if (x->issued != y->issued)
		return x->issued < y->issued ? -1 : 1;
	return (x->t > y->t) - (x->t < y->t);
}

static int
fcast_row(struct dg_csv *r, const int *col, struct dg_ph_fcast *f)
{
	dg_dec x;
	int st;

	if ((st = get_hour(r, col[1], &f->t)) != DG_OK ||
	    (st = dg_csv_get_dec(r, col[2], &x)) != DG_OK)
		return st;
	f->v = dg_dec_to_double(x);
	if (col[3] < 0) {
		f->issued = dg_date_of(f->t) - 1;
		return DG_OK;
	}
	return dg_csv_get_date(r, col[3], &f->issued);
}

/* Sorted; a repeated (issued, time) must repeat its value. */
static int
fcast_check(struct dg_ph_forecasts *f, struct dg_csv *r)
{
	size_t k = 0;

	if (f->n > 1)
		qsort(f->f, f->n, sizeof(*f->f), cmp_fcast);
	for (size_t i = 0; i < f->n; i++) {
		char b[DG_TIME_BUFSZ];

		if (k > 0 && cmp_fcast(&f->f[k - 1], &f->f[i]) == 0) {
			if (f->f[k - 1].v == f->f[i].v)
				continue;
			dg_time_format(f->f[i].t, b, sizeof(b));
			return dg_error_set(dg_csv_error(r), DG_EDATA,
			    dg_csv_name(r), 0, "time",
			    "two forecasts of %s issued the same day", b);
		}
		f->f[k++] = f->f[i];
	}
	f->n = k;
	return DG_OK;
}

int
dg_ph_forecasts_read(struct dg_ph_forecasts *f, const char *path,
    const char *key_col, const char *key, const char *value_col,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, col[4];

	memset(f, 0, sizeof(*f));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	col[0] = dg_csv_col(r, key_col);
	col[3] = dg_csv_col(r, "issued");
	if ((st = dg_csv_require(r, "time", &col[1])) != DG_OK ||
	    (st = dg_csv_require(r, value_col, &col[2])) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_ph_fcast x;

		if (key != NULL && col[0] >= 0 &&
		    strcmp(dg_csv_field(r, col[0], NULL), key) != 0)
			continue;
		if ((st = fcast_row(r, col, &x)) != DG_OK)
			goto out;
		if (dg_grow(&f->f, &f->cap, f->n + 1, sizeof(*f->f)) != 0) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		f->f[f->n++] = x;
	}
	if ((st = fcast_check(f, r)) == DG_OK && f->n == 0)
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r), 0,
		    key_col, "no forecast of %s", key ? key : "the site");
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_ph_forecasts_release(f);
	}
	dg_csv_close(r);
	return st;
}

int
dg_ph_site_read(struct dg_ph_series *s, const char *path, const char *site,
    const struct dg_series_opts *so, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_series_reader *sr;
	struct dg_series x = { 0 };
	int st;

	memset(s, 0, sizeof(*s));
	if ((st = dg_series_open(&sr, path, so, o, err)) != DG_OK)
		return st;
	while ((st = dg_series_next(sr, &x)) == DG_OK)
		if (site == NULL || strcmp(x.site, site) == 0)
			break;
	if (st == DG_EOF)
		st = dg_error_set(err, DG_EDATA, path, 0, "site",
		    "no load of site %s", site ? site : "");
	for (size_t i = 0; st == DG_OK && i < x.n; i++) {
		if (x.p[i].missing)
			continue;
		if (dg_grow(&s->h, &s->cap, s->n + 1, sizeof(*s->h)) != 0) {
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
			break;
		}
		s->h[s->n].t = x.p[i].t;
		s->h[s->n].x = x.p[i].x;
		s->h[s->n++].v = x.p[i].v;
	}
	if (st != DG_OK)
		dg_ph_series_release(s);
	dg_series_release(&x);
	dg_series_close(sr);
	return st;
}

/* --- The generator -------------------------------------------------- */

void
dg_ph_gens_release(struct dg_ph_gens *g)
{
	free(g->g);
	memset(g, 0, sizeof(*g));
}

static int
cmp_gen(const void *a, const void *b)
{
	const struct dg_ph_gen *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static int
gen_row(struct dg_csv *r, const int *col, struct dg_ph_gen *g)
{
	int st;

	if ((st = get_hour(r, col[1], &g->t)) != DG_OK ||
	    (st = dg_econ_get_amount(r, col[2], &g->avail)) != DG_OK ||
	    (st = dg_econ_get_cents(r, col[3], 1, &g->cost)) != DG_OK)
		return st;
	return dg_econ_get_cents(r, col[4], 1, &g->start);
}

int
dg_ph_gencost_read(struct dg_ph_gens *g, const char *path, const char *site,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "site", "time", "available_kw",
	    "cost_usd_per_h", "start_usd" };
	struct dg_csv *r;
	int st, col[5];

	memset(g, 0, sizeof(*g));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5; i++)
		if ((st = dg_csv_require(r, names[i], &col[i])) != DG_OK)
			goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_ph_gen x;

		if (site != NULL && strcmp(dg_csv_field(r, col[0], NULL),
		    site) != 0)
			continue;
		if ((st = gen_row(r, col, &x)) != DG_OK)
			goto out;
		if (dg_grow(&g->g, &g->cap, g->n + 1, sizeof(*g->g)) != 0) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		g->g[g->n++] = x;
	}
	if (st != DG_EOF)
		goto out;
	st = DG_OK;
	if (g->n == 0)
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r), 0,
		    "site", "no row of site %s", site ? site : "");
	if (g->n > 1)
		qsort(g->g, g->n, sizeof(*g->g), cmp_gen);
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_ph_gens_release(g);
	}
	dg_csv_close(r);
	return st;
}
