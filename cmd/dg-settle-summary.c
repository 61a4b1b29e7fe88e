/* dg-settle summary: what payment lines and statements hold, in a few
 * aligned lines. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dg-settle.h"

/* The calls: one row each. */
static int
sum_calls(const struct dg_settle_sum *s, struct textab *tb)
{
	static const char *const hdr[] = { "call", "program", "payer", "sites",
	    "site-hours", "from", "to" };
	size_t n = dg_settle_sum_ncalls(s);
	int st;

	if ((st = tab_init(tb, n + 1, 7)) != DG_OK)
		return st;
	for (size_t j = 0; j < 7 && st == DG_OK; j++)
		st = tab_put(tb, j, hdr[j]);
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		const struct dg_settle_sum_call *c = dg_settle_sum_call(s, i);
		char b[4][DG_TIME_BUFSZ];

		snprintf(b[0], sizeof(b[0]), "%ld", c->sites);
		snprintf(b[1], sizeof(b[1]), "%ld", c->hours);
		b[2][0] = b[3][0] = '\0';
		if (c->hours > 0) {
			dg_time_format(c->first, b[2], sizeof(b[2]));
			dg_time_format(c->last, b[3], sizeof(b[3]));
		}
		st = tab_put(tb, (i + 1) * 7, c->event);
		if (st == DG_OK)
			st = tab_put(tb, (i + 1) * 7 + 1, c->program);
		if (st == DG_OK)
			st = tab_put(tb, (i + 1) * 7 + 2, c->payer);
		for (size_t j = 0; j < 4 && st == DG_OK; j++)
			st = tab_put(tb, (i + 1) * 7 + 3 + j, b[j]);
	}
	return st;
}

/* One row of the payments table. */
static int
sum_row(struct textab *tb, size_t r, const char *payer, const char *prog,
    dg_dec pay, const struct dg_settle_sum_prog *p)
{
	char b[5][64];
	int st = DG_OK;

	fmt_dec(pay, 2, 1, b[0], sizeof(b[0]));
	for (int i = 1; i < 5; i++)
		b[i][0] = '\0';
	if (p != NULL && p->hours > 0) {
		fmt_dec(p->mwh, -1, 0, b[1], sizeof(b[1]));
		snprintf(b[2], sizeof(b[2]), "%ld", p->hours);
	}
	if (p != NULL && p->credits > 0) {
		fmt_dec(p->kw, -1, 0, b[3], sizeof(b[3]));
		snprintf(b[4], sizeof(b[4]), "%ld", p->credits);
	}
	st = tab_put(tb, r * 7, payer);
	if (st == DG_OK)
		st = tab_put(tb, r * 7 + 1, prog);
	for (int i = 0; i < 5 && st == DG_OK; i++)
		st = tab_put(tb, r * 7 + 2 + (size_t)i, b[i]);
	return st;
}

/* The payments per payer (in the order met) and program, each payer's
 * total and the total. */
static int
sum_payments(const struct dg_settle_sum *s, struct textab *tb)
{
	static const char *const hdr[] = { "payer", "program", "payment_usd",
	    "energy_mwh", "site-hours", "credit_kw", "credits" };
	size_t n = dg_settle_sum_nprograms(s), r = 1;
	dg_dec mwh, total;
	long hours;
	int st;

	if ((st = tab_init(tb, 2 * n + 2, 7)) != DG_OK)
		return st;
	for (size_t j = 0; j < 7 && st == DG_OK; j++)
		st = tab_put(tb, j, hdr[j]);
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		const char *payer = dg_settle_sum_program(s, i)->payer;
		dg_dec sum = dg_dec_make(0, 2);
		size_t k;

		for (k = 0; k < i; k++)	/* a payer met before: done */
			if (strcmp(dg_settle_sum_program(s, k)->payer,
			    payer) == 0)
				break;
		if (k < i)
			continue;
		for (k = i; k < n && st == DG_OK; k++) {
			const struct dg_settle_sum_prog *p =
			    dg_settle_sum_program(s, k);

			if (strcmp(p->payer, payer) != 0)
				continue;
			st = sum_row(tb, r++, payer, p->program, p->payment, p);
			if (st == DG_OK &&
			    dg_dec_add(sum, p->payment, &sum) != DG_OK)
				st = DG_ERANGE;
		}
		if (st == DG_OK)
			st = sum_row(tb, r++, payer, "total", sum, NULL);
	}
	dg_settle_sum_totals(s, &mwh, &hours, &total);
	if (st == DG_OK)
		st = sum_row(tb, r++, "total", "", total, NULL);
	tb->rows = r;
	return st;
}

static const char *const sum_stmt_cols[] = { "participant", "month", "row",
	"payer", "payment_usd", "aggregator_usd", "participant_usd" };

/* The rows of the statement other than its lines: counted (*n), and put
 * into tb when it has cells. */
static int
stmt_rows(const struct opts *o, struct textab *tb, size_t *n,
    struct dg_error *err)
{
	struct dg_csv *r;
	size_t k = 1;
	int st, c[7];

	if ((st = dg_csv_open(&r, o->statements, &o->cli.csv, err)) != DG_OK)
		return st;
	for (int i = 0; i < 7 && st == DG_OK; i++)
		st = dg_csv_require(r, sum_stmt_cols[i], &c[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK) {
		if (strcmp(dg_csv_field(r, c[2], NULL), "line") == 0)
			continue;
		for (int i = 0; tb->cell && i < 7 && st == DG_OK; i++)
			st = tab_put(tb, k * 7 + (size_t)i,
			    dg_csv_field(r, c[i], NULL));
		k++;
	}
	if (st == DG_EOF)
		st = DG_OK;
	else if (st != DG_ENOMEM)
		*err = *dg_csv_error(r);
	*n = k;
	dg_csv_close(r);
	return st;
}

/* The participant, payer and portfolio rows of a statement. */
static int
sum_statements(const struct opts *o, FILE *fp, const char *eol,
    struct dg_error *err)
{
	struct textab tb;
	size_t n;
	int st;

	memset(&tb, 0, sizeof(tb));
	if ((st = stmt_rows(o, &tb, &n, err)) != DG_OK)
		return st;
	if ((st = tab_init(&tb, n, 7)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	for (int i = 0; i < 7 && st == DG_OK; i++)
		st = tab_put(&tb, (size_t)i, sum_stmt_cols[i]);
	if (st == DG_OK && (st = stmt_rows(o, &tb, &n, err)) == DG_OK) {
		fprintf(fp, "%sStatements (%s):%s", eol, o->statements, eol);
		tab_text(fp, &tb, eol);
	}
	tab_free(&tb);
	return st == DG_ENOMEM ? dg_error_set(err, st, NULL, 0, NULL,
	    "out of memory") : st;
}

static int
sum_write(const struct opts *o, const struct dg_settle_sum *s, FILE *fp,
    struct dg_error *err)
{
	const char *eol = o->cli.crlf ? "\r\n" : "\n";
	struct textab tb;
	char mwh_s[64];
	dg_dec mwh, total;
	long hours;
	int st;

	memset(&tb, 0, sizeof(tb));
	dg_settle_sum_totals(s, &mwh, &hours, &total);
	fmt_dec(mwh, -1, 0, mwh_s, sizeof(mwh_s));
	fprintf(fp, "Calls (%s):%s", o->input, eol);
	if ((st = sum_calls(s, &tb)) == DG_OK)
		tab_text(fp, &tb, eol);
	tab_free(&tb);
	fprintf(fp, "%sReduction measured: %s MWh in %ld site-hours (each site-hour once)%s",
	    eol, mwh_s, hours, eol);
	fprintf(fp, "%sPayments:%s", eol, eol);
	if (st == DG_OK && (st = sum_payments(s, &tb)) == DG_OK)
		tab_text(fp, &tb, eol);
	tab_free(&tb);
	if (st != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, st == DG_ENOMEM ?
		    "out of memory" : "total out of range");
	return o->statements ? sum_statements(o, fp, eol, err) : DG_OK;
}

int
cmd_summary(struct opts *o)
{
	struct dg_settle_sum *s = NULL;
	struct dg_error err;
	struct run x;
	int st;

	dg_error_clear(&err);
	run_init(o, &x);
	record(&x, "statements", o->statements);
	if ((st = dg_settle_sum_read(&s, o->input, &o->cli.csv,
	    &err)) == DG_OK &&
	    (st = run_open(o, &x, &err)) == DG_OK)
		st = sum_write(o, s, dg_out_fp(x.out), &err);
	st = run_end(o, &x, st, &err);
	dg_settle_sum_free(s);
	return st;
}
