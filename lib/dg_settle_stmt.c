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
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
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
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
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
	if (dec_add_to(&t->mwh, o->mwh) ||
	    dec_add_to(&t->payment, o->payment) ||
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
	    strcmp(a->program, b->program) == 0 &&
	    strcmp(a->payer, b->payer) == 0;
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

/* Rows summed by key (a payer, or a month and a payer): at most one per
 * entry of the statement. */
struct sums {
	struct dg_settle_stmt_out *v;
	size_t n;
};

/* Adds line o to the row of its payer (and month) in s. */
static int
sums_add(struct sums *s, const struct dg_settle_stmt_out *o, int row,
    int scale)
{
	size_t k = 0;

	while (k < s->n && (strcmp(s->v[k].payer, o->payer) != 0 ||
	    strcmp(s->v[k].month, o->month) != 0))
		k++;
	if (k == s->n) {
		out_zero(&s->v[s->n++], row, scale);
		s->v[k].participant = row == DG_ST_PAYER ? o->participant : "";
		s->v[k].month = o->month;
		s->v[k].payer = o->payer;
	}
	return out_add(&s->v[k], o);
}

static int
cmp_out_payer(const void *a, const void *b)
{
	const struct dg_settle_stmt_out *x = a, *y = b;
	int c = strcmp(x->month, y->month);

	return c ? c : strcmp(x->payer, y->payer);
}

/* Calls fn for the rows of s of month (NULL: all), by payer. */
static int
sums_emit(struct sums *s, const char *month, dg_settle_stmt_fn fn, void *arg)
{
	int rc = DG_OK;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_out_payer);
	for (size_t k = 0; k < s->n && rc == DG_OK; k++)
		if (month == NULL || strcmp(s->v[k].month, month) == 0)
			rc = fn(arg, &s->v[k]);
	return rc;
}

/* One participant's month, v[i..*j): its lines, a row per payer, then
 * its total; each line also goes to the portfolio's payer rows pm. */
static int
stmt_participant(const struct dg_settle_stmt *st, size_t i, size_t *j,
    int scale, dg_settle_stmt_fn fn, void *arg, struct sums *pm,
    struct dg_settle_stmt_out *tot, struct dg_error *err)
{
	struct sums payers;
	size_t k = i, m = i;
	int rc = DG_OK;

	while (m < st->n &&
	    strcmp(st->v[m].participant, st->v[i].participant) == 0 &&
	    strcmp(st->v[m].month, st->v[i].month) == 0)
		m++;	/* at most a payer per entry */
	if ((payers.v = calloc(m - i, sizeof(*payers.v))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	payers.n = 0;
	out_zero(tot, DG_ST_PARTICIPANT, scale);
	tot->participant = st->v[i].participant;
	tot->month = st->v[i].month;
	while (rc == DG_OK && k < st->n &&
	    strcmp(st->v[k].participant, tot->participant) == 0 &&
	    strcmp(st->v[k].month, tot->month) == 0) {
		struct dg_settle_stmt_out o;

		if ((rc = stmt_line(st, k, &k, scale, &o, err)) != DG_OK ||
		    (rc = fn(arg, &o)) != DG_OK)
			break;
		if (out_add(tot, &o) ||
		    sums_add(&payers, &o, DG_ST_PAYER, scale) ||
		    sums_add(pm, &o, DG_ST_PAYER, scale))
			rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "statement total out of range");
	}
	*j = k;
	if (rc == DG_OK && (rc = sums_emit(&payers, NULL, fn, arg)) == DG_OK)
		rc = fn(arg, tot);
	free(payers.v);
	return rc;
}

int
dg_settle_stmt_emit(struct dg_settle_stmt *st, dg_settle_stmt_fn fn,
    void *arg, struct dg_error *err)
{
	struct dg_settle_stmt_out *mt = NULL, tot;
	int scale = mwh_scale(st), rc = DG_OK;
	struct sums pm;
	size_t nm;

	if (st->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(st->v, st->n, sizeof(*st->v), cmp_stent);
	pm.n = 0;
	if ((pm.v = calloc(st->n ? st->n : 1, sizeof(*pm.v))) == NULL ||
	    stmt_months(st, scale, &mt, &nm) != DG_OK) {
		free(pm.v);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	for (size_t i = 0, j = st->n; i < st->n && rc == DG_OK; i = j) {
		if ((rc = stmt_participant(st, i, &j, scale, fn, arg, &pm, &tot,
		    err)) != DG_OK)
			break;
		for (size_t k = 0; k < nm; k++)
			if (strcmp(mt[k].month, tot.month) == 0 &&
			    out_add(&mt[k], &tot) != DG_OK)
				rc = dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
				    "statement total out of range");
	}
	for (size_t k = 0; k < pm.n; k++)	/* the portfolio's payer rows */
		pm.v[k].participant = "";
	for (size_t k = 0; k < nm && rc == DG_OK; k++)
		if ((rc = sums_emit(&pm, mt[k].month, fn, arg)) == DG_OK)
			rc = fn(arg, &mt[k]);
	free(mt);
	free(pm.v);
	return rc;
}

/* --- Delta of two statements ---------------------------------------------- */

/* One row of a statement file: its key and its three amounts. */
struct drow {
	char *key[6];		/* participant, month, row, site,
				 * program, payer */
	dg_dec v[3];		/* payment, aggregator, participant */
	long line;
};

struct dg_settle_delta {
	struct drow *v[2];	/* old, new */
	size_t n[2], cap[2];
};

static const char *const delta_cols[] = { "participant", "month", "row",
	"site", "program", "payer", "payment_usd", "aggregator_usd",
	"participant_usd" };

static int
row_rank(const char *row)
{
	static const char *const order[] = { "line", "payer", "participant",
	    "portfolio" };

	for (int i = 0; i < 4; i++)
		if (strcmp(row, order[i]) == 0)
			return i;
	return 4;
}

/* Statement order: participants (the portfolio's rows, without one,
 * last), month, the kind of row, site, program, payer. */
static int
cmp_drow(const void *a, const void *b)
{
	const struct drow *x = a, *y = b;
	int px = x->key[0][0] == '\0';	/* the portfolio's rows */
	int py = y->key[0][0] == '\0';
	int c;

	if (px != py)
		return px - py;
	if ((c = strcmp(x->key[0], y->key[0])) != 0 ||
	    (c = strcmp(x->key[1], y->key[1])) != 0)
		return c;
	if (row_rank(x->key[2]) != row_rank(y->key[2]))
		return row_rank(x->key[2]) - row_rank(y->key[2]);
	for (int i = 3; i < 6; i++)
		if ((c = strcmp(x->key[i], y->key[i])) != 0)
			return c;
	return 0;
}

static void
drows_free(struct drow *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 6; k++)
			free(v[i].key[k]);
	free(v);
}

void
dg_settle_delta_free(struct dg_settle_delta *d)
{
	if (d == NULL)
		return;
	for (int f = 0; f < 2; f++)
		drows_free(d->v[f], d->n[f]);
	free(d);
}

/* One row of statement file f. */
static int
delta_row(struct dg_settle_delta *d, int f, struct dg_csv *r, const int *c)
{
	struct drow e;
	int st;

	memset(&e, 0, sizeof(e));
	e.line = dg_csv_line(r);
	for (int k = 0; k < 3; k++) {
		if ((st = dg_csv_get_dec(r, c[6 + k], &e.v[k])) != DG_OK)
			return st;
		if (e.v[k].scale > 2)
			return dg_csv_fail(r, c[6 + k], DG_EDATA,
			    "an amount with more than 2 decimals");
	}
	if (row_rank(dg_csv_field(r, c[2], NULL)) > 3)
		return dg_csv_fail(r, c[2], DG_EDATA,
		    "not line, payer, participant or portfolio: \"%s\"",
		    dg_csv_field(r, c[2], NULL));
	if (dg_grow(&d->v[f], &d->cap[f], d->n[f] + 1, sizeof(e)) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	for (int k = 0; k < 6; k++)
		if ((e.key[k] = strdup(dg_csv_field(r, c[k], NULL))) == NULL) {
			for (int j = 0; j < k; j++)
				free(e.key[j]);
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		}
	d->v[f][d->n[f]++] = e;
	return DG_OK;
}

/* Reads statement file f, sorted; a row given twice is an error. */
static int
delta_file(struct dg_settle_delta *d, int f, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c[9];

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int k = 0; k < 9; k++)
		if ((st = dg_csv_require(r, delta_cols[k], &c[k])) != DG_OK)
			goto out;
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = delta_row(d, f, r, c)) != DG_OK)
			goto out;
	st = DG_OK;
	if (d->n[f] > 1)
		qsort(d->v[f], d->n[f], sizeof(*d->v[f]), cmp_drow);
	for (size_t i = 1; i < d->n[f]; i++)
		if (cmp_drow(&d->v[f][i - 1], &d->v[f][i]) == 0) {
			const struct drow *a = &d->v[f][i - 1],
			    *b = &d->v[f][i];

			st = dg_error_set(dg_csv_error(r), DG_EDATA,
			    dg_csv_name(r),
			    a->line > b->line ? a->line : b->line, NULL,
			    "the same row as line %ld",
			    a->line < b->line ? a->line : b->line);
			break;
		}
out:
	if (st != DG_OK && st != DG_EOF)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}

int
dg_settle_delta_read(struct dg_settle_delta **dp, const char *old_path,
    const char *new_path, const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_settle_delta *d = calloc(1, sizeof(*d));
	int st;

	*dp = NULL;
	if (d == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if ((st = delta_file(d, 0, old_path, o, err)) != DG_OK ||
	    (st = delta_file(d, 1, new_path, o, err)) != DG_OK) {
		dg_settle_delta_free(d);
		return st;
	}
	*dp = d;
	return DG_OK;
}

/* The delta of a row: in old (a, may be NULL), in new (b, may be NULL). */
static int
delta_one(const struct drow *a, const struct drow *b,
    struct dg_settle_delta_row *o)
{
	const struct drow *k = b ? b : a;
	int same = a != NULL && b != NULL;

	memset(o, 0, sizeof(*o));
	o->participant = k->key[0];
	o->month = k->key[1];
	o->row = k->key[2];
	o->site = k->key[3];
	o->program = k->key[4];
	o->payer = k->key[5];
	o->in_old = a != NULL;
	o->in_new = b != NULL;
	for (int i = 0; i < 3; i++) {
		o->old_usd[i] = a ? a->v[i] : dg_dec_make(0, 2);
		o->new_usd[i] = b ? b->v[i] : dg_dec_make(0, 2);
		if (dg_dec_sub(o->new_usd[i], o->old_usd[i],
		    &o->change_usd[i]) != DG_OK)
			return DG_ERANGE;
		same = same && dg_dec_sign(o->change_usd[i]) == 0;
	}
	return same ? DG_EOF : DG_OK;
}

int
dg_settle_delta_emit(struct dg_settle_delta *d, dg_settle_delta_fn fn,
    void *arg, long *changed, struct dg_error *err)
{
	size_t i = 0, j = 0;
	int st = DG_OK;

	*changed = 0;
	while (st == DG_OK && (i < d->n[0] || j < d->n[1])) {
		const struct drow *a = i < d->n[0] ? &d->v[0][i] : NULL;
		const struct drow *b = j < d->n[1] ? &d->v[1][j] : NULL;
		struct dg_settle_delta_row o;
		int c = a == NULL ? 1 : b == NULL ? -1 : cmp_drow(a, b);

		if (c < 0)
			b = NULL, i++;
		else if (c > 0)
			a = NULL, j++;
		else
			i++, j++;
		if ((st = delta_one(a, b, &o)) == DG_EOF) {
			st = DG_OK;
			continue;
		}
		if (st != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "a change out of range");
		(*changed)++;
		st = fn(arg, &o);
	}
	return st;
}
