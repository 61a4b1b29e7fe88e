/* dg_econ.c: the cash flows of an enrolment (see dg_econ.h): the items
 * file, yearly flows per party, history from dg-settle and dg-peakhunt. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_econ.h"
#include "dg_econ_int.h"
#include "dg_util.h"

/* --- Exact products ------------------------------------------------- */

i128
dg_econ_pow10(int k)
{
	i128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

i128
dg_econ_div_round(i128 n, i128 d)
{
	i128 q, r;

	if (d < 0) {
		n = -n;
		d = -d;
	}
	q = n / d;
	r = n % d;
	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	return q;
}

int
dg_econ_fit_cents(i128 v, int64_t *out)
{
	if (v > INT64_MAX || v < -INT64_MAX)
		return DG_ERANGE;
	*out = (int64_t)v;
	return DG_OK;
}

/* The product of v[0..n) divided by 10^shift, rounded once to cents. */
int
dg_econ_product_cents(const dg_dec *v, int n, int shift, int64_t *out)
{
	i128 p = 1;
	int scale = shift;

	for (int i = 0; i < n; i++) {
		if (__builtin_mul_overflow(p, (i128)v[i].v, &p))
			return DG_ERANGE;
		scale += v[i].scale;
	}
	if (scale > 38)
		return DG_ERANGE;
	if (scale >= 2)
		p = dg_econ_div_round(p, dg_econ_pow10(scale - 2));
	else if (__builtin_mul_overflow(p, dg_econ_pow10(2 - scale), &p))
		return DG_ERANGE;
	return dg_econ_fit_cents(p, out);
}

/* --- The items file ------------------------------------------------- */

static const char *const party_names[] = { "owner", "aggregator", "shared",
    NULL };
static const char *const kind_names[] = { "cost", "program", "saving", NULL };
static const char *const basis_names[] = { "once", "kw", "year", "month",
    "mwh", "kw-month", NULL };

void
dg_econ_items_release(struct dg_econ_items *it)
{
	for (size_t i = 0; i < it->n; i++)
		free(it->v[i].name);
	free(it->v);
	free(it->file);
	memset(it, 0, sizeof(*it));
}

/* The index of field i of the current row in names, or a failure. */
static int
keyword(struct dg_csv *r, int i, const char *const *names, int *out)
{
	const char *s = dg_csv_field(r, i, NULL);

	for (int k = 0; names[k] != NULL; k++)
		if (strcmp(s, names[k]) == 0) {
			*out = k;
			return DG_OK;
		}
	if (names[2] != NULL && names[3] == NULL)
		return dg_csv_fail(r, i, DG_EDATA, "%s, %s or %s: \"%s\"",
		    names[0], names[1], names[2], s);
	return dg_csv_fail(r, i, DG_EDATA,
	    "once, kw, year, month, mwh or kw-month: \"%s\"", s);
}

/* A decimal >= 0 in field i. */
int
dg_econ_get_amount(struct dg_csv *r, int i, dg_dec *out)
{
	int st;

	if ((st = dg_csv_get_dec(r, i, out)) != DG_OK)
		return st;
	if (dg_dec_sign(*out) < 0)
		return dg_csv_fail(r, i, DG_EDATA, "a negative amount: \"%s\"",
		    dg_csv_field(r, i, NULL));
	return DG_OK;
}

int
dg_econ_get_cents(struct dg_csv *r, int i, int nonneg, int64_t *out)
{
	dg_dec d;
	int st;

	if ((st = nonneg ? dg_econ_get_amount(r, i, &d) :
	    dg_csv_get_dec(r, i, &d)) != DG_OK)
		return st;
	if (dg_dec_rescale(d, 2, &d) != DG_OK)
		return dg_csv_fail(r, i, DG_ERANGE, "out of range: \"%s\"",
		    dg_csv_field(r, i, NULL));
	*out = d.v;
	return DG_OK;
}

static int
item_year(struct dg_csv *r, int col, struct dg_econ_item *e)
{
	int once = e->basis == DG_ECON_ONCE || e->basis == DG_ECON_KW;
	int64_t y;

	e->year = once ? 0 : 1;
	if (col < 0 || dg_csv_is_empty(r, col))
		return DG_OK;
	if (dg_parse_int(dg_csv_field(r, col, NULL), once ? 0 : 1,
	    DG_ECON_MAX_YEARS, &y) != DG_OK)
		return dg_csv_fail(r, col, DG_EDATA,
		    "a year from %d to %d: \"%s\"", once ? 0 : 1,
		    DG_ECON_MAX_YEARS, dg_csv_field(r, col, NULL));
	e->year = (int)y;
	return DG_OK;
}

static int
item_row(struct dg_csv *r, const int *col, struct dg_econ_item *e)
{
	int st;

	memset(e, 0, sizeof(*e));
	e->line = dg_csv_line(r);
	if (dg_csv_is_empty(r, col[0]))
		return dg_csv_fail(r, col[0], DG_EDATA, "empty value");
	if ((st = keyword(r, col[1], party_names, &e->party)) != DG_OK ||
	    (st = keyword(r, col[2], kind_names, &e->kind)) != DG_OK ||
	    (st = keyword(r, col[3], basis_names, &e->basis)) != DG_OK ||
	    (st = dg_econ_get_amount(r, col[4], &e->amount)) != DG_OK)
		return st;
	if (col[5] >= 0 && !dg_csv_is_empty(r, col[5])) {
		if ((st = dg_econ_get_amount(r, col[5], &e->quantity)) != DG_OK)
			return st;
		e->has_quantity = 1;
	}
	if ((st = item_year(r, col[6], e)) != DG_OK)
		return st;
	if ((e->name = strdup(dg_csv_field(r, col[0], NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

int
dg_econ_items_read(struct dg_econ_items *it, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "item", "party", "kind", "basis",
	    "amount_usd" };
	struct dg_csv *r;
	int st, col[7];

	memset(it, 0, sizeof(*it));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5; i++)
		if ((st = dg_csv_require(r, names[i], &col[i])) != DG_OK)
			goto out;
	col[5] = dg_csv_col(r, "quantity");
	col[6] = dg_csv_col(r, "year");
	if ((it->file = strdup(dg_csv_name(r))) == NULL) {
		st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		goto out;
	}
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_econ_item e;

		if ((st = item_row(r, col, &e)) != DG_OK)
			goto out;
		if (dg_grow(&it->v, &it->cap, it->n + 1, sizeof(*it->v)) != 0) {
			free(e.name);
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		it->v[it->n++] = e;
	}
	if (st == DG_EOF)
		st = DG_OK;
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_econ_items_release(it);
	}
	dg_csv_close(r);
	return st;
}

/* --- Flows ---------------------------------------------------------- */

void
dg_econ_params_init(struct dg_econ_params *p)
{
	memset(p, 0, sizeof(*p));
	p->factor_pct = dg_dec_make(100, 0);
	p->years = DG_ECON_MAX_YEARS;
}

int64_t
dg_econ_net(const struct dg_econ_flows *f, int t)
{
	return f->program[t] + f->saving[t] - f->cost[t];
}

/* Whether item e falls in year t. */
static int
falls_in(const struct dg_econ_item *e, int t)
{
	if (e->basis == DG_ECON_ONCE || e->basis == DG_ECON_KW)
		return t == e->year;
	return t >= e->year;
}

/* Item e's amount in a year it falls in, in cents, rounded once. */
static int
item_cents(const struct dg_econ_item *e, const struct dg_econ_params *p,
    int64_t *out)
{
	dg_dec v[5];
	int n = 0, shift = 0;

	v[n++] = e->amount;
	if (e->has_quantity)
		v[n++] = e->quantity;
	switch (e->basis) {
	case DG_ECON_KW:
		v[n++] = p->kw;
		break;
	case DG_ECON_MONTH:
		v[n++] = dg_dec_make(12, 0);
		break;
	case DG_ECON_MWH:
		v[n++] = p->kw;
		if (!e->has_quantity)
			v[n++] = p->hours;
		shift = 3;
		break;
	case DG_ECON_KW_MONTH:
		v[n++] = p->kw;
		if (!e->has_quantity)
			v[n++] = dg_dec_make(12, 0);
		break;
	}
	if (e->kind == DG_ECON_PROGRAM) {
		v[n++] = p->factor_pct;
		shift += 2;
	}
	return dg_econ_product_cents(v, n, shift, out);
}

int
dg_econ_item_amount(const struct dg_econ_item *e,
    const struct dg_econ_params *p, int t, int64_t *cents)
{
	*cents = 0;
	return falls_in(e, t) ? item_cents(e, p, cents) : DG_OK;
}

/* The aggregator's part of a shared amount: cents x share / 100, rounded
 * once. */
int
dg_econ_share(int64_t cents, dg_dec share_pct, int64_t *aggr)
{
	dg_dec v[2] = { dg_dec_make(cents, 2), share_pct };

	return dg_econ_product_cents(v, 2, 2, aggr);
}

static int64_t *
slot(struct dg_econ_flows *f, int kind)
{
	return kind == DG_ECON_COST ? f->cost :
	    kind == DG_ECON_PROGRAM ? f->program : f->saving;
}

static int
book(struct dg_econ_flows *owner, struct dg_econ_flows *aggr, int party,
    int kind, int t, int64_t cents, dg_dec share_pct)
{
	int64_t a, *ag = &slot(aggr, kind)[t], *ow = &slot(owner, kind)[t];
	int st;

	if (party == DG_ECON_OWNER)
		a = 0;
	else if (party == DG_ECON_AGGREGATOR)
		a = cents;
	else if ((st = dg_econ_share(cents, share_pct, &a)) != DG_OK)
		return st;

	if (__builtin_add_overflow(*ag, a, ag) ||
	    __builtin_add_overflow(*ow, cents - a, ow))
		return DG_ERANGE;
	return DG_OK;
}

int
dg_econ_add_items(const struct dg_econ_items *it,
    const struct dg_econ_params *p, struct dg_econ_flows *owner,
    struct dg_econ_flows *aggr, struct dg_error *err)
{
	for (size_t i = 0; i < it->n; i++) {
		const struct dg_econ_item *e = &it->v[i];
		int64_t c;

		if (item_cents(e, p, &c) != DG_OK)
			return dg_error_set(err, DG_ERANGE, it->file, e->line,
			    "amount_usd", "item \"%s\": the amount overflows",
			    e->name);
		for (int t = 0; t <= p->years; t++)
			if (falls_in(e, t) && book(owner, aggr, e->party,
			    e->kind, t, c, p->share_pct) != DG_OK)
				return dg_error_set(err, DG_ERANGE, it->file,
				    e->line, "amount_usd",
				    "item \"%s\": the year's total overflows",
				    e->name);
	}
	return DG_OK;
}

int
dg_econ_add_yearly(struct dg_econ_flows *f, int kind, int64_t cents,
    const struct dg_econ_params *p)
{
	int st;

	if (kind == DG_ECON_PROGRAM) {
		dg_dec v[2] = { dg_dec_make(cents, 2), p->factor_pct };

		if ((st = dg_econ_product_cents(v, 2, 2, &cents)) != DG_OK)
			return st;
	}
	for (int t = 1; t <= p->years; t++)
		if (__builtin_add_overflow(slot(f, kind)[t], cents,
		    &slot(f, kind)[t]))
			return DG_ERANGE;
	return DG_OK;
}
