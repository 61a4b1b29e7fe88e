/* dg_capacity.c: the book of the capacity desk (dg_capacity.h): the UCAP
 * of each site and month, the sales, the auction prices; their money and
 * the month's certification. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_capacity.h"
#include "dg_time.h"
#include "dg_util.h"
#include "dg_zones.h"

static const char *const auctions[DG_CAP_NAUCTIONS] = {
	"strip", "monthly", "spot"
};
static const char *const localities[DG_CAP_NLOC] = {
	"NYCA", "G-J", "NYC", "LI"
};

const char *
dg_cap_auction_name(int a)
{
	return a >= 0 && a < DG_CAP_NAUCTIONS ? auctions[a] : "?";
}

const char *
dg_cap_locality_name(int l)
{
	return l >= 0 && l < DG_CAP_NLOC ? localities[l] : "?";
}

int
dg_cap_auction_parse(const char *s)
{
	for (int i = 0; i < DG_CAP_NAUCTIONS; i++)
		if (strcasecmp(s, auctions[i]) == 0)
			return i;
	return -1;
}

int
dg_cap_locality_parse(const char *s)
{
	if (strcasecmp(s, "GHIJ") == 0)
		return DG_CAP_GJ;
	for (int i = 0; i < DG_CAP_NLOC; i++)
		if (strcasecmp(s, localities[i]) == 0)
			return i;
	return -1;
}

int
dg_cap_locality_of_zone(const char *zone)
{
	const char *z;

	if (dg_zone_resolve("NYISO", zone, &z) != DG_OK)
		return -1;
	if (strcmp(z, "N.Y.C.") == 0)
		return DG_CAP_NYC;
	if (strcmp(z, "LONGIL") == 0)
		return DG_CAP_LI;
	if (strcmp(z, "HUD VL") == 0 || strcmp(z, "MILLWD") == 0 ||
	    strcmp(z, "DUNWOD") == 0)
		return DG_CAP_GJ;
	return DG_CAP_NYCA;
}

void
dg_cap_month_format(dg_cap_month m, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", m / 12, m % 12 + 1);
}

void
dg_cap_book_init(struct dg_cap_book *b)
{
	memset(b, 0, sizeof(*b));
}

void
dg_cap_book_release(struct dg_cap_book *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->e[i].site);
	free(b->e);
	free(b->p);
	dg_cap_book_init(b);
}

static struct dg_cap_entry *
find(const struct dg_cap_book *b, const char *site, dg_cap_month m)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].month == m && strcmp(b->e[i].site, site) == 0)
			return &b->e[i];
	return NULL;
}

static const struct dg_cap_entry *
find_site(const struct dg_cap_book *b, const char *site)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->e[i].site, site) == 0)
			return &b->e[i];
	return NULL;
}

static int
get_month(struct dg_csv *r, int col, dg_cap_month *m)
{
	int y, mo, st;

	if ((st = dg_csv_get_month(r, col, &y, &mo)) != DG_OK)
		return st;
	*m = y * 12 + mo - 1;
	return DG_OK;
}

/* A quantity of kW, not negative. */
static int
get_kw(struct dg_csv *r, int col, dg_dec *v)
{
	int st;

	if ((st = dg_csv_get_dec(r, col, v)) != DG_OK)
		return st;
	if (dg_dec_sign(*v) < 0)
		return dg_csv_fail(r, col, DG_EDATA, "negative: %s",
		    dg_csv_field(r, col, NULL));
	return DG_OK;
}

static int
open_csv(struct dg_csv **r, const char *path, const struct dg_csv_opts *o,
    char *name, size_t nn, struct dg_error *err)
{
	int st = dg_csv_open(r, path, o, err);

	if (st == DG_OK)
		snprintf(name, nn, "%s", dg_csv_name(*r));
	return st;
}

static int
site_locality(struct dg_csv *r, int col, const struct dg_sites *sites,
    const char *site, int *loc)
{
	const struct dg_site *s = dg_sites_find(sites, site);

	if (s == NULL)
		return dg_csv_fail(r, col, DG_EDATA,
		    "site %s is not in %s", site, sites->path);
	if (!(s->set & DG_SITE_ZONE))
		return dg_csv_fail(r, col, DG_EDATA,
		    "site %s has no zone in %s (line %ld): its capacity "
		    "locality is unknown", site, sites->path, s->line);
	if ((*loc = dg_cap_locality_of_zone(s->zone)) < 0)
		return dg_csv_fail(r, col, DG_EDATA,
		    "site %s: unknown NYISO zone \"%s\" in %s (line %ld)",
		    site, s->zone, sites->path, s->line);
	return DG_OK;
}

/* One row of the UCAP file. */
static int
ucap_row(struct dg_cap_book *b, struct dg_csv *r, const int *c,
    const struct dg_sites *sites)
{
	const char *site = dg_csv_field(r, c[0], NULL);
	struct dg_cap_entry *e;
	dg_cap_month m;
	int st, loc = -1;

	if ((st = get_month(r, c[1], &m)) != DG_OK ||
	    (st = site_locality(r, c[0], sites, site, &loc)) != DG_OK)
		return st;
	if ((e = find(b, site, m)) != NULL)
		return dg_csv_fail(r, c[0], DG_EDATA,
		    "site %s: a second UCAP for %s (line %ld)", site,
		    dg_csv_field(r, c[1], NULL), e->ucap_line);
	if (dg_grow(&b->e, &b->cap, b->n + 1, sizeof(*b->e)) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	e = &b->e[b->n];
	memset(e, 0, sizeof(*e));
	if ((e->site = strdup(site)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	b->n++;
	e->month = m;
	e->locality = loc;
	e->ucap_line = dg_csv_line(r);
	for (int a = 0; a < DG_CAP_NAUCTIONS; a++)
		e->sold_kw[a] = dg_dec_make(0, 0);
	if (!dg_csv_is_empty(r, c[2])) {
		e->have_ucap = 1;
		return get_kw(r, c[2], &e->ucap_kw);
	}
	return DG_OK;
}

int
dg_cap_read_ucap(struct dg_cap_book *b, const char *path,
    const struct dg_sites *sites, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_csv *r;
	int c[3], st;

	if ((st = open_csv(&r, path, o, b->ucap_name, sizeof(b->ucap_name),
	    err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c[0])) == DG_OK &&
	    (st = dg_csv_require(r, "month", &c[1])) == DG_OK)
		st = dg_csv_require(r, "ucap_kw", &c[2]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		if (strcmp(dg_csv_field(r, c[0], NULL), "TOTAL") != 0)
			st = ucap_row(b, r, c, sites);
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}

/* One row of the sales file; c: site, month, auction, sold_kw, locality
 * (-1 when absent). */
static int
sale_row(struct dg_cap_book *b, struct dg_csv *r, const int *c)
{
	const char *site = dg_csv_field(r, c[0], NULL);
	struct dg_cap_entry *e;
	dg_cap_month m;
	dg_dec kw;
	int a, st;

	if ((st = get_month(r, c[1], &m)) != DG_OK)
		return st;
	if ((a = dg_cap_auction_parse(dg_csv_field(r, c[2], NULL))) < 0)
		return dg_csv_fail(r, c[2], DG_EDATA, "not an auction (strip, "
		    "monthly, spot): \"%s\"", dg_csv_field(r, c[2], NULL));
	if ((st = get_kw(r, c[3], &kw)) != DG_OK)
		return st;
	if (find_site(b, site) == NULL)
		return dg_csv_fail(r, c[0], DG_EDATA, "site %s sold capacity "
		    "but has no UCAP in %s (not a capacity resource)", site,
		    b->ucap_name);
	if ((e = find(b, site, m)) == NULL) {
		if (b->sales_left_out++ == 0)
			b->first_left_out = dg_csv_line(r);
		return DG_OK;
	}
	if (c[4] >= 0 && dg_cap_locality_parse(dg_csv_field(r, c[4], NULL))
	    != e->locality)
		return dg_csv_fail(r, c[4], DG_EDATA, "site %s is in the %s "
		    "locality (its zone), not \"%s\"", site,
		    dg_cap_locality_name(e->locality),
		    dg_csv_field(r, c[4], NULL));
	if (dg_dec_add(e->sold_kw[a], kw, &e->sold_kw[a]) != DG_OK)
		return dg_csv_fail(r, c[3], DG_ERANGE, "sum overflows");
	if (e->sale_line[a] == 0)
		e->sale_line[a] = dg_csv_line(r);
	return DG_OK;
}

int
dg_cap_read_sales(struct dg_cap_book *b, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int c[5], st;

	if ((st = open_csv(&r, path, o, b->sales_name, sizeof(b->sales_name),
	    err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c[0])) == DG_OK &&
	    (st = dg_csv_require(r, "month", &c[1])) == DG_OK &&
	    (st = dg_csv_require(r, "auction", &c[2])) == DG_OK)
		st = dg_csv_require(r, "sold_kw", &c[3]);
	c[4] = dg_csv_col(r, "locality");
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = sale_row(b, r, c);
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}

const struct dg_cap_price *
dg_cap_price_find(const struct dg_cap_book *b, dg_cap_month m, int loc,
    int a)
{
	for (size_t i = 0; i < b->np; i++)
		if (b->p[i].month == m && b->p[i].locality == loc &&
		    b->p[i].auction == a)
			return &b->p[i];
	return NULL;
}

static int
price_row(struct dg_cap_book *b, struct dg_csv *r, const int *c)
{
	struct dg_cap_price p = { 0 };
	const struct dg_cap_price *q;
	int st;

	if ((p.auction = dg_cap_auction_parse(dg_csv_field(r, c[0], NULL))) < 0)
		return dg_csv_fail(r, c[0], DG_EDATA, "not an auction (strip, "
		    "monthly, spot): \"%s\"", dg_csv_field(r, c[0], NULL));
	if ((st = get_month(r, c[1], &p.month)) != DG_OK)
		return st;
	if ((p.locality = dg_cap_locality_parse(dg_csv_field(r, c[2], NULL)))
	    < 0)
		return dg_csv_fail(r, c[2], DG_EDATA, "not a capacity locality"
		    " (NYCA, G-J, NYC, LI): \"%s\"",
		    dg_csv_field(r, c[2], NULL));
	if ((q = dg_cap_price_find(b, p.month, p.locality, p.auction)) !=
	    NULL)
		return dg_csv_fail(r, c[0], DG_EDATA, "a second %s price of %s"
		    " for %s (line %ld)", dg_cap_auction_name(p.auction),
		    dg_cap_locality_name(p.locality),
		    dg_csv_field(r, c[1], NULL), q->line);
	p.line = dg_csv_line(r);
	if (!dg_csv_is_empty(r, c[3])) {
		p.have = 1;
		if ((st = dg_csv_get_dec(r, c[3], &p.usd_per_kw_month)) !=
		    DG_OK)
			return st;
	}
	if (dg_grow(&b->p, &b->capp, b->np + 1, sizeof(*b->p)) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	b->p[b->np++] = p;
	return DG_OK;
}

int
dg_cap_read_prices(struct dg_cap_book *b, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const cols[] = {
		"auction", "month", "locality", "price_usd_per_kw_month"
	};
	struct dg_csv *r;
	int c[4], st = DG_OK;

	if ((st = open_csv(&r, path, o, b->prices_name,
	    sizeof(b->prices_name), err)) != DG_OK)
		return st;
	for (int i = 0; i < 4 && st == DG_OK; i++)
		st = dg_csv_require(r, cols[i], &c[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = price_row(b, r, c);
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}
