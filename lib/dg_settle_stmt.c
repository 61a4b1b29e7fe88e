/* dg_settle_stmt.c: participant statements (see dg_settle.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"

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

	if (dg_grow(&st->v, &st->cap, st->n + 1, sizeof(*st->v)))
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	e = &st->v[st->n];
	memset(e, 0, sizeof(*e));
	if ((e->participant = strdup(participant)) == NULL ||
	    (e->month = strdup(month)) == NULL ||
	    (e->site = strdup(site)) == NULL ||
	    (e->program = strdup(program)) == NULL ||
	    (e->payer = strdup(payer)) == NULL ||
	    (e->event = strdup(event)) == NULL) {
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

/* A row of zeros; energy at scale (the column's one scale). */
static void
out_zero(struct dg_settle_stmt_out *t, int row, int scale)
{
	memset(t, 0, sizeof(*t));
	t->row = row;
	t->participant = t->month = t->site = t->program = t->payer = "";
	t->mwh = dg_dec_make(0, scale);
	t->payment = t->aggregator = t->participant_amt = dg_dec_make(0, 2);
}

/* The energy column has one scale: the largest of the lines' (at least 3
 * decimals), so that every figure is exact and the totals are the sums
 * of the printed lines. */
static int
mwh_scale(const struct dg_settle_stmt *st)
{
	int sc = 3;

	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].has_mwh && st->v[i].mwh.scale > sc)
			sc = st->v[i].mwh.scale;
	return sc;
}

static int
same_line(const struct stent *a, const struct stent *b)
{
	return strcmp(a->participant, b->participant) == 0 &&
	    strcmp(a->month, b->month) == 0 && strcmp(a->site, b->site) == 0 &&
	    strcmp(a->program, b->program) == 0 && strcmp(a->payer, b->payer) == 0;
}

/* The statement line of entries v[j..*k): one participant, month, site,
 * program and payer. */
static int
stmt_line(const struct dg_settle_stmt *st, size_t j, size_t *k, int scale,
    struct dg_settle_stmt_out *o, struct dg_error *err)
{
	const struct stent *e = &st->v[j];
	size_t i;

	out_zero(o, DG_ST_LINE, scale);
	o->participant = e->participant;
	o->month = e->month;
	o->site = e->site;
	o->program = e->program;
	o->payer = e->payer;
	o->share_pct = e->share;
	o->has_share = 1;
	for (i = j; i < st->n && same_line(&st->v[i], e); i++) {
		if (i == j || strcmp(st->v[i].event, st->v[i - 1].event) != 0)
			o->events++;
		if (dg_dec_cmp(st->v[i].share, o->share_pct) != 0)
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "site %s program %s: two shares in one month",
			    o->site, o->program);
		if (dec_add_to(&o->mwh, st->v[i].mwh) ||
		    dec_add_to(&o->payment, st->v[i].pay))
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "statement total out of range");
	}
	*k = i;
	/* share = payment x pct / 100, rounded once. */
	if (dg_dec_mul3(o->payment, o->share_pct, dg_dec_make(1, 2), 2,
	    &o->aggregator) != DG_OK ||
	    dg_dec_sub(o->payment, o->aggregator, &o->participant_amt))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "statement line out of range");
	return DG_OK;
}

static int
cmp_out_month(const void *a, const void *b)
{
	return strcmp(((const struct dg_settle_stmt_out *)a)->month,
	    ((const struct dg_settle_stmt_out *)b)->month);
}

/* The portfolio rows: one per month of st, zero, in order. */
static int
stmt_months(const struct dg_settle_stmt *st, int scale,
    struct dg_settle_stmt_out **mt, size_t *nm)
{
	size_t k = 0;

	*nm = 0;
	if ((*mt = calloc(st->n ? st->n : 1, sizeof(**mt))) == NULL)
		return DG_ENOMEM;
	for (size_t i = 0; i < st->n; i++) {
		out_zero(&(*mt)[i], DG_ST_PORTFOLIO, scale);
		(*mt)[i].month = st->v[i].month;
	}
	if (st->n > 1)
		qsort(*mt, st->n, sizeof(**mt), cmp_out_month);
	for (size_t i = 0; i < st->n; i++)
		if (k == 0 || strcmp((*mt)[k - 1].month, (*mt)[i].month) != 0)
			(*mt)[k++] = (*mt)[i];
	*nm = k;
	return DG_OK;
}

/* Adds row o to the portfolio row of its month. */
static int
month_add(struct dg_settle_stmt_out *mt, size_t nm,
    const struct dg_settle_stmt_out *o)
{
	for (size_t k = 0; k < nm; k++)
		if (strcmp(mt[k].month, o->month) == 0)
			return out_add(&mt[k], o);
	return DG_EINTERNAL;
}

/* One participant's month, v[i..*j): its lines, then its total. */
static int
stmt_participant(const struct dg_settle_stmt *st, size_t i, size_t *j,
    int scale, dg_settle_stmt_fn fn, void *arg,
    struct dg_settle_stmt_out *tot, struct dg_error *err)
{
	size_t k = i;
	int rc;

	out_zero(tot, DG_ST_PARTICIPANT, scale);
	tot->participant = st->v[i].participant;
	tot->month = st->v[i].month;
	while (k < st->n &&
	    strcmp(st->v[k].participant, tot->participant) == 0 &&
	    strcmp(st->v[k].month, tot->month) == 0) {
		struct dg_settle_stmt_out o;

		if ((rc = stmt_line(st, k, &k, scale, &o, err)) != DG_OK ||
		    (rc = fn(arg, &o)) != DG_OK)
			return rc;
		if (out_add(tot, &o) != DG_OK)
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "statement total out of range");
	}
	*j = k;
	return fn(arg, tot);
}

int
dg_settle_stmt_emit(struct dg_settle_stmt *st, dg_settle_stmt_fn fn,
    void *arg, struct dg_error *err)
{
	struct dg_settle_stmt_out *mt = NULL, tot;
	int scale = mwh_scale(st), rc = DG_OK;
	size_t nm;

	if (st->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(st->v, st->n, sizeof(*st->v), cmp_stent);
	if (stmt_months(st, scale, &mt, &nm) != DG_OK)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0, j = st->n; i < st->n && rc == DG_OK; i = j) {
		if ((rc = stmt_participant(st, i, &j, scale, fn, arg, &tot,
		    err)) != DG_OK)
			break;
		if (month_add(mt, nm, &tot) != DG_OK)
			rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "statement total out of range");
	}
	for (size_t k = 0; k < nm && rc == DG_OK; k++)
		rc = fn(arg, &mt[k]);
	free(mt);
	return rc;
}
