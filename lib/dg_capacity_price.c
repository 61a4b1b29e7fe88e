/* dg_capacity_price.c: the money of a capacity book (revenue, shortfall,
 * surplus), the month's certification and its check (dg_capacity.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_capacity.h"
#include "dg_time.h"
#include "dg_util.h"

void
dg_cap_params_init(struct dg_cap_params *p)
{
	memset(p, 0, sizeof(*p));
	p->shortfall = DG_CAP_BUY;
	dg_dec_parse(DG_CAP_DEFICIENCY_DEFAULT,
	    strlen(DG_CAP_DEFICIENCY_DEFAULT), &p->multiplier);
	p->surplus_auction = DG_CAP_SPOT;
}

/* A price given (not empty), or NULL. */
static const struct dg_cap_price *
price_of(const struct dg_cap_book *b, dg_cap_month m, int loc, int a)
{
	const struct dg_cap_price *q = dg_cap_price_find(b, m, loc, a);

	return q != NULL && q->have ? q : NULL;
}

/* *sum += x; *st becomes DG_ERANGE on overflow. */
static void
acc(dg_dec *sum, dg_dec x, int *st)
{
	if (dg_dec_add(*sum, x, sum) != DG_OK)
		*st = DG_ERANGE;
}

static void
round_to(dg_dec *x, int scale, int *st)
{
	if (dg_dec_rescale(*x, scale, x) != DG_OK)
		*st = DG_ERANGE;
}

/* The sold kW and the exact revenue of e, rounded once to the cent. */
static int
revenue(const struct dg_cap_book *b, const struct dg_cap_entry *e,
    struct dg_cap_line *l, struct dg_error *err)
{
	dg_dec rev = dg_dec_make(0, 0), x;
	char ym[16];
	int st = DG_OK;

	dg_cap_month_format(e->month, ym, sizeof(ym));
	l->sold_total_kw = dg_dec_make(0, 0);
	for (int a = 0; a < DG_CAP_NAUCTIONS; a++) {
		const struct dg_cap_price *q;

		l->sold_kw[a] = e->sold_kw[a];
		acc(&l->sold_total_kw, e->sold_kw[a], &st);
		if (dg_dec_sign(e->sold_kw[a]) == 0)
			continue;
		if ((q = price_of(b, e->month, e->locality, a)) == NULL)
			return dg_error_set(err, DG_EDATA, b->sales_name,
			    e->sale_line[a], "sold_kw", "site %s: no %s "
			    "price of %s for %s in %s", e->site,
			    dg_cap_auction_name(a),
			    dg_cap_locality_name(e->locality), ym,
			    b->prices_name);
		if (dg_dec_mul(e->sold_kw[a], q->usd_per_kw_month, -1, &x) !=
		    DG_OK)
			st = DG_ERANGE;
		acc(&rev, x, &st);
	}
	round_to(&rev, 2, &st);
	l->revenue_usd = rev;
	if (st != DG_OK)
		return dg_error_set(err, st, b->sales_name, e->sale_line[0],
		    NULL, "site %s: revenue of %s overflows", e->site, ym);
	return DG_OK;
}

/* The shortfall and its cost, or the surplus and its value. */
static int
position(const struct dg_cap_book *b, const struct dg_cap_params *p,
    const struct dg_cap_entry *e, struct dg_cap_line *l,
    struct dg_error *err)
{
	const struct dg_cap_price *spot, *sp;
	dg_dec diff, zero = dg_dec_make(0, 0), one = dg_dec_make(1, 0);
	char ym[16];
	int st = DG_OK;

	dg_cap_month_format(e->month, ym, sizeof(ym));
	spot = price_of(b, e->month, e->locality, DG_CAP_SPOT);
	sp = price_of(b, e->month, e->locality, p->surplus_auction);
	l->have_spot = spot != NULL;
	if (spot != NULL)
		l->spot_price = spot->usd_per_kw_month;
	if (dg_dec_sub(l->sold_total_kw, e->ucap_kw, &diff) != DG_OK)
		return dg_error_set(err, DG_ERANGE, b->ucap_name, e->ucap_line,
		    NULL, "site %s: overflow", e->site);
	l->shortfall_kw = l->surplus_kw = zero;
	l->shortfall_cost_usd = l->surplus_value_usd = dg_dec_make(0, 2);
	l->have_surplus_value = 1;
	if (dg_dec_sign(diff) > 0) {
		l->shortfall_kw = diff;
		if (spot == NULL)
			return dg_error_set(err, DG_EDATA, b->ucap_name,
			    e->ucap_line, "ucap_kw", "site %s: sold above its "
			    "UCAP in %s, and %s has no spot price of %s for "
			    "it", e->site, ym, b->prices_name,
			    dg_cap_locality_name(e->locality));
		if (dg_dec_mul3(diff, spot->usd_per_kw_month,
		    p->shortfall == DG_CAP_DEFICIENCY ? p->multiplier : one, 2,
		    &l->shortfall_cost_usd) != DG_OK)
			st = DG_ERANGE;
	} else if (dg_dec_sign(diff) < 0) {
		l->surplus_kw = dg_dec_make(-diff.v, diff.scale);
		if (sp == NULL) {
			l->have_surplus_value = 0;
			l->quality |= DG_CAPQ_NO_SURPLUS_PRICE;
		} else if (dg_dec_mul(l->surplus_kw, sp->usd_per_kw_month, 2,
		    &l->surplus_value_usd) != DG_OK)
			st = DG_ERANGE;
	}
	if (st == DG_OK && dg_dec_sub(l->revenue_usd, l->shortfall_cost_usd,
	    &l->net_usd) != DG_OK)
		st = DG_ERANGE;
	if (st != DG_OK)
		return dg_error_set(err, st, b->ucap_name, e->ucap_line, NULL,
		    "site %s: money of %s overflows", e->site, ym);
	return DG_OK;
}

static int
price_entry(const struct dg_cap_book *b, const struct dg_cap_params *p,
    const struct dg_cap_entry *e, struct dg_cap_line *l,
    struct dg_error *err)
{
	int st;

	memset(l, 0, sizeof(*l));
	l->site = e->site;
	l->month = e->month;
	l->locality = e->locality;
	l->have_ucap = e->have_ucap;
	l->ucap_kw = e->ucap_kw;
	if ((st = revenue(b, e, l, err)) != DG_OK)
		return st;
	if (!e->have_ucap) {
		l->quality |= DG_CAPQ_NO_UCAP;
		l->net_usd = l->revenue_usd;
		return DG_OK;
	}
	return position(b, p, e, l, err);
}

/* t += the figures of l as printed (kW to 3 decimals, money to 2). */
static void
add_line(struct dg_cap_line *t, const struct dg_cap_line *l, int *st)
{
	dg_dec x;

	t->have_ucap &= l->have_ucap;
	t->have_surplus_value &= l->have_surplus_value;
	t->quality |= l->quality;
#define ADD(f, sc) (x = l->f, round_to(&x, sc, st), acc(&t->f, x, st))
	ADD(ucap_kw, 3);
	for (int a = 0; a < DG_CAP_NAUCTIONS; a++)
		ADD(sold_kw[a], 3);
	ADD(sold_total_kw, 3);
	ADD(revenue_usd, 2);
	ADD(shortfall_kw, 3);
	ADD(shortfall_cost_usd, 2);
	ADD(surplus_kw, 3);
	ADD(surplus_value_usd, 2);
	ADD(net_usd, 2);
#undef ADD
}

static void
total_init(struct dg_cap_line *t, dg_cap_month m)
{
	dg_dec z = dg_dec_make(0, 0);

	memset(t, 0, sizeof(*t));
	t->month = m;
	t->locality = -1;
	t->have_ucap = t->have_surplus_value = 1;
	t->ucap_kw = t->sold_total_kw = t->revenue_usd = z;
	t->shortfall_kw = t->shortfall_cost_usd = t->surplus_kw = z;
	t->surplus_value_usd = t->net_usd = z;
	for (int a = 0; a < DG_CAP_NAUCTIONS; a++)
		t->sold_kw[a] = z;
}

/* The months of the book in the range, sorted, in *ms. */
static int
months(const struct dg_cap_book *b, const struct dg_cap_params *p,
    dg_cap_month **ms, size_t *nm)
{
	size_t cap = 0;

	*ms = NULL;
	*nm = 0;
	for (size_t i = 0; i < b->n; i++) {
		dg_cap_month m = b->e[i].month;
		size_t k = 0;

		if (p->have_months && (m < p->from || m > p->to))
			continue;
		while (k < *nm && (*ms)[k] < m)
			k++;
		if (k < *nm && (*ms)[k] == m)
			continue;
		if (dg_grow(ms, &cap, *nm + 1, sizeof(**ms)) != 0)
			return DG_ENOMEM;
		memmove(*ms + k + 1, *ms + k, (*nm - k) * sizeof(**ms));
		(*ms)[k] = m;
		(*nm)++;
	}
	return DG_OK;
}

int
dg_cap_price_book(const struct dg_cap_book *b, const struct dg_cap_params *p,
    struct dg_cap_line **out, size_t *n, struct dg_error *err)
{
	dg_cap_month *ms;
	size_t nm, cap = 0;
	int st;

	*out = NULL;
	*n = 0;
	if ((st = months(b, p, &ms, &nm)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	for (size_t k = 0; k < nm && st == DG_OK; k++) {
		struct dg_cap_line t;

		total_init(&t, ms[k]);
		for (size_t i = 0; i < b->n && st == DG_OK; i++) {
			if (b->e[i].month != ms[k])
				continue;
			if (dg_grow(out, &cap, *n + 2, sizeof(**out)) != 0) {
				st = dg_error_set(err, DG_ENOMEM, NULL, 0,
				    NULL, "out of memory");
				break;
			}
			if ((st = price_entry(b, p, &b->e[i], &(*out)[*n],
			    err)) != DG_OK)
				break;
			add_line(&t, &(*out)[(*n)++], &st);
			if (st != DG_OK)
				st = dg_error_set(err, st, b->ucap_name,
				    b->e[i].ucap_line, NULL, "totals overflow");
		}
		if (st == DG_OK && dg_grow(out, &cap, *n + 1, sizeof(**out))
		    != 0)
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		if (st == DG_OK)
			(*out)[(*n)++] = t;
	}
	free(ms);
	if (st != DG_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return st;
}

/* --- Certification ------------------------------------------------------ */

static int
cert_row(const struct dg_cap_book *b, const struct dg_cap_entry *e,
    int due_day, struct dg_cap_cert *c, struct dg_error *err)
{
	dg_dec diff;
	int st = DG_OK, y = e->month / 12, m = e->month % 12 + 1;

	memset(c, 0, sizeof(*c));
	c->site = e->site;
	c->month = e->month;
	c->locality = e->locality;
	c->ucap_kw = e->ucap_kw;
	c->sold_kw = dg_dec_make(0, 0);
	for (int a = 0; a < DG_CAP_NAUCTIONS; a++)
		acc(&c->sold_kw, e->sold_kw[a], &st);
	if (st != DG_OK || dg_dec_sub(c->sold_kw, e->ucap_kw, &diff) != DG_OK)
		return dg_error_set(err, DG_ERANGE, b->ucap_name, e->ucap_line,
		    NULL, "site %s: overflow", e->site);
	c->certified_kw = dg_dec_sign(diff) > 0 ? e->ucap_kw : c->sold_kw;
	c->shortfall_kw = dg_dec_sign(diff) > 0 ? diff : dg_dec_make(0, 0);
	c->due = m == 1 ? dg_date_from_ymd(y - 1, 12, due_day) :
	    dg_date_from_ymd(y, m - 1, due_day);
	return DG_OK;
}

int
dg_cap_certify(const struct dg_cap_book *b, dg_cap_month month, int due_day,
    struct dg_cap_cert **out, size_t *n, struct dg_error *err)
{
	size_t cap = 0, seen = 0;
	char ym[16];
	int st = DG_OK;

	*out = NULL;
	*n = 0;
	dg_cap_month_format(month, ym, sizeof(ym));
	for (size_t i = 0; i < b->n && st == DG_OK; i++) {
		const struct dg_cap_entry *e = &b->e[i];
		int sold = 0;

		if (e->month != month)
			continue;
		seen++;
		for (int a = 0; a < DG_CAP_NAUCTIONS; a++)
			sold |= dg_dec_sign(e->sold_kw[a]) > 0;
		if (!e->have_ucap && sold)
			st = dg_error_set(err, DG_EDATA, b->ucap_name,
			    e->ucap_line, "ucap_kw", "site %s sold capacity "
			    "for %s but its UCAP is unknown", e->site, ym);
		else if (!e->have_ucap)
			continue;
		else if (dg_grow(out, &cap, *n + 1, sizeof(**out)) != 0)
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		else if ((st = cert_row(b, e, due_day, &(*out)[*n], err)) ==
		    DG_OK)
			(*n)++;
	}
	if (st == DG_OK && seen == 0)
		st = dg_error_set(err, DG_EDATA, b->ucap_name, 0, NULL,
		    "no UCAP for %s", ym);
	if (st != DG_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return st;
}

static int
check_row(const struct dg_cap_book *b, struct dg_csv *r, const int *c)
{
	const char *site = dg_csv_field(r, c[0], NULL);
	const struct dg_cap_entry *e = NULL;
	dg_cap_month m;
	dg_dec kw;
	int y, mo, st;

	if ((st = dg_csv_get_month(r, c[1], &y, &mo)) != DG_OK ||
	    (st = dg_csv_get_dec(r, c[2], &kw)) != DG_OK)
		return st;
	m = y * 12 + mo - 1;
	for (size_t i = 0; i < b->n && e == NULL; i++)
		if (b->e[i].month == m && strcmp(b->e[i].site, site) == 0)
			e = &b->e[i];
	if (e == NULL || !e->have_ucap)
		return dg_csv_fail(r, c[0], DG_EDATA, "site %s has no UCAP for"
		    " %04d-%02d in %s", site, y, mo, b->ucap_name);
	if (dg_dec_sign(kw) < 0)
		return dg_csv_fail(r, c[2], DG_EDATA, "negative: %s",
		    dg_csv_field(r, c[2], NULL));
	if (dg_dec_cmp(kw, e->ucap_kw) > 0) {
		char u[DG_DEC_BUFSZ];

		dg_dec_format(e->ucap_kw, u, sizeof(u));
		return dg_csv_fail(r, c[2], DG_EDATA, "site %s certified %s kW"
		    " for %04d-%02d, above its UCAP of %s kW (%s line %ld)",
		    site, dg_csv_field(r, c[2], NULL), y, mo, u, b->ucap_name,
		    e->ucap_line);
	}
	return DG_OK;
}

int
dg_cap_check(const struct dg_cap_book *b, const char *path,
    const struct dg_csv_opts *o, long *rows, struct dg_error *err)
{
	struct dg_csv *r;
	int c[3], st;

	*rows = 0;
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c[0])) == DG_OK &&
	    (st = dg_csv_require(r, "month", &c[1])) == DG_OK)
		st = dg_csv_require(r, "certified_kw", &c[2]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		if ((st = check_row(b, r, c)) == DG_OK)
			(*rows)++;
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}
