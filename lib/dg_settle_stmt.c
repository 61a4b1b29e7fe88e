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

static void
out_zero(struct dg_settle_stmt_out *t, int row)
{
	memset(t, 0, sizeof(*t));
	t->row = row;
	t->mwh = dg_dec_make(0, 3);
	t->payment = t->aggregator = t->participant_amt = dg_dec_make(0, 2);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
dg_settle_stmt_emit(struct dg_settle_stmt *st, dg_settle_stmt_fn fn,
    void *arg, struct dg_error *err)
{
	const char **months = NULL;
	struct dg_settle_stmt_out *mt = NULL;
	size_t nm = 0;
	int rc = DG_OK;

	if (st->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(st->v, st->n, sizeof(*st->v), cmp_stent);
	/* The months, for the portfolio totals. */
	if (st->n > 0 && ((months = calloc(st->n, sizeof(*months))) == NULL ||
	    (mt = calloc(st->n, sizeof(*mt))) == NULL)) {
		rc = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < st->n; i++)
		months[i] = st->v[i].month;
	if (st->n > 0)
		qsort(months, st->n, sizeof(*months), cmp_str);
	for (size_t i = 0; i < st->n; i++)
		if (nm == 0 || strcmp(months[nm - 1], months[i]) != 0)
			months[nm++] = months[i];
	for (size_t k = 0; k < nm; k++) {
		out_zero(&mt[k], DG_ST_PORTFOLIO);
		mt[k].month = months[k];
		mt[k].participant = "";
		mt[k].site = mt[k].program = mt[k].payer = "";
	}
	for (size_t i = 0, j; i < st->n; i = j) {
		/* One participant and month. */
		struct dg_settle_stmt_out tot;

		out_zero(&tot, DG_ST_PARTICIPANT);
		tot.participant = st->v[i].participant;
		tot.month = st->v[i].month;
		tot.site = tot.program = tot.payer = "";
		for (j = i; j < st->n &&
		    strcmp(st->v[j].participant, st->v[i].participant) == 0 &&
		    strcmp(st->v[j].month, st->v[i].month) == 0;) {
			struct dg_settle_stmt_out o;
			size_t k = j;

			out_zero(&o, DG_ST_LINE);
			o.participant = st->v[j].participant;
			o.month = st->v[j].month;
			o.site = st->v[j].site;
			o.program = st->v[j].program;
			o.payer = st->v[j].payer;
			o.share_pct = st->v[j].share;
			o.has_share = 1;
			for (; k < st->n && strcmp(st->v[k].participant, o.participant) == 0 &&
			    strcmp(st->v[k].month, o.month) == 0 &&
			    strcmp(st->v[k].site, o.site) == 0 &&
			    strcmp(st->v[k].program, o.program) == 0 &&
			    strcmp(st->v[k].payer, o.payer) == 0; k++) {
				if (k == j || strcmp(st->v[k].event, st->v[k - 1].event) != 0)
					o.events++;
				if (dg_dec_cmp(st->v[k].share, o.share_pct) != 0) {
					rc = dg_error_set(err, DG_EDATA, NULL, 0, NULL,
					    "site %s program %s: two shares in one month",
					    o.site, o.program);
					goto out;
				}
				if (dec_add_to(&o.mwh, st->v[k].mwh) ||
				    dec_add_to(&o.payment, st->v[k].pay)) {
					rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
					    "statement total out of range");
					goto out;
				}
			}
			j = k;
			/* share = payment x pct / 100, rounded once. */
			if (dg_dec_mul3(o.payment, o.share_pct, dg_dec_make(1, 2), 2,
			    &o.aggregator) != DG_OK ||
			    dg_dec_sub(o.payment, o.aggregator, &o.participant_amt)) {
				rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
				    "statement line out of range");
				goto out;
			}
			if ((rc = fn(arg, &o)) != DG_OK)
				goto out;
			if (out_add(&tot, &o) != DG_OK)
				goto range;
		}
		if ((rc = fn(arg, &tot)) != DG_OK)
			goto out;
		for (size_t k = 0; k < nm; k++)
			if (strcmp(mt[k].month, tot.month) == 0 &&
			    out_add(&mt[k], &tot) != DG_OK)
				goto range;
	}
	for (size_t k = 0; k < nm; k++)
		if ((rc = fn(arg, &mt[k])) != DG_OK)
			goto out;
	goto out;
range:
	rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
	    "statement total out of range");
out:
	free(months);
	free(mt);
	return rc;
}
