/* dg-settle statement: monthly statements per participant, from payment
 * lines. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg-settle.h"

static int
emit_stmt(void *arg, const struct dg_settle_stmt_out *so)
{
	struct dg_csvw *w = arg;
	static const char *const rows[] = { "line", "participant", "portfolio",
	    "payer" };

	dg_csvw_str(w, so->participant);
	dg_csvw_str(w, so->month);
	dg_csvw_str(w, rows[so->row]);
	dg_csvw_str(w, so->site);
	dg_csvw_str(w, so->program);
	dg_csvw_str(w, so->payer);
	dg_csvw_int(w, so->events);
	dg_csvw_dec(w, so->mwh, -1);	/* one scale: see dg_settle_stmt_emit */
	dg_csvw_dec(w, so->payment, 2);
	if (so->has_share)
		dg_csvw_dec(w, so->share_pct, -1);
	else
		dg_csvw_empty(w);
	dg_csvw_dec(w, so->aggregator, 2);
	dg_csvw_dec(w, so->participant_amt, 2);
	return dg_csvw_end_row(w);
}

/* The columns of payment lines that a statement reads. */
struct paycols {
	int site, event, prog, payer, time, pay, mwh, line;
};

/* One payment line into the statement (total lines are skipped). */
static int
stmt_line(const struct opts *o, struct dg_csv *r, const struct paycols *c,
    const struct dg_settle_table *contracts, struct dg_settle_stmt *stmt)
{
	const char *site = dg_csv_field(r, c->site, NULL);
	const char *kind = c->line >= 0 ? dg_csv_field(r, c->line, NULL) : "";
	const struct dg_settle_kv *k;
	struct dg_tstamp ts;
	struct dg_local lt;
	char month[16];
	dg_dec pay, mwh;
	int st, has_mwh = 0;

	if (strcmp(kind, "total") == 0)
		return DG_OK;	/* sums of lines read anyway */
	if (site[0] == '\0')
		return dg_csv_fail(r, c->site, DG_EDATA,
		    "a portfolio line: statements need site lines (dg-settle pay --unit site)");
	if ((k = dg_settle_contract_find(contracts, site,
	    dg_csv_field(r, c->prog, NULL))) == NULL)
		return dg_csv_fail(r, c->site, DG_EDATA,
		    "site \"%s\" has no contract in %s", site, o->contracts);
	if ((st = dg_csv_get_time(r, c->time, &ts)) != DG_OK ||
	    (st = dg_csv_get_dec(r, c->pay, &pay)) != DG_OK)
		return st;
	if (pay.scale > 2)
		return dg_csv_fail(r, c->pay, DG_EDATA,
		    "payment with more than 2 decimals: not a rounded line");
	if (c->mwh >= 0 && !dg_csv_is_empty(r, c->mwh) &&
	    (strcmp(kind, "event") == 0 || strcmp(kind, "continuation") == 0 ||
	    strcmp(kind, "da") == 0 || c->line < 0)) {
		if ((st = dg_csv_get_dec(r, c->mwh, &mwh)) != DG_OK)
			return st;
		has_mwh = 1;
	}
	dg_time_local(ts.t, &lt);
	snprintf(month, sizeof(month), "%04d-%02d", lt.year, lt.mon);
	return dg_settle_stmt_add(stmt, k->key, month, site,
	    dg_csv_field(r, c->prog, NULL), dg_csv_field(r, c->payer, NULL),
	    dg_csv_field(r, c->event, NULL), has_mwh ? &mwh : NULL, pay,
	    k->value, dg_csv_error(r));
}

/* Reads every payment line into stmt; the error is the reader's. */
static int
stmt_read(const struct opts *o, struct dg_csv *r,
    const struct dg_settle_table *contracts, struct dg_settle_stmt *stmt)
{
	struct paycols c;
	int st;

	if ((st = dg_csv_require(r, "site", &c.site)) != DG_OK ||
	    (st = dg_csv_require(r, "event", &c.event)) != DG_OK ||
	    (st = dg_csv_require(r, "program", &c.prog)) != DG_OK ||
	    (st = dg_csv_require(r, "payer", &c.payer)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c.time)) != DG_OK ||
	    (st = dg_csv_require(r, "payment_usd", &c.pay)) != DG_OK)
		return st;
	c.mwh = dg_csv_col(r, "energy_mwh");
	c.line = dg_csv_col(r, "line");
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = stmt_line(o, r, &c, contracts, stmt)) != DG_OK)
			return st;
	return st == DG_EOF ? DG_OK : st;
}

/* The contracts, and with --sites and --programs the names they give
 * checked against those files. */
static int
stmt_terms(const struct opts *o, struct dg_settle_table *contracts,
    struct run *x, struct dg_error *err)
{
	struct dg_settle_programs progs;
	struct dg_sites sites;
	int st;

	memset(&progs, 0, sizeof(progs));
	record(x, "contracts", o->contracts);
	record(x, "sites", o->sites);
	record(x, "programs", o->programs);
	if ((st = dg_settle_contracts_read(contracts, o->contracts, &o->cli.aux,
	    err)) != DG_OK)
		return st;
	if (o->sites && (st = dg_sites_read(&sites, o->sites, &o->cli.aux,
	    err)) != DG_OK)
		return st;
	if ((!o->programs || (st = dg_settle_programs_read(&progs, o->programs,
	    &o->cli.aux, err)) == DG_OK))
		st = dg_settle_table_check(contracts, o->sites ? &sites : NULL,
		    o->programs ? &progs : NULL, err);
	if (o->sites)
		dg_sites_release(&sites);
	dg_settle_programs_release(&progs);
	return st;
}

/* The statement as CSV on w. */
static int
stmt_write(struct dg_settle_stmt *stmt, struct dg_csvw *w,
    struct dg_error *err)
{
	static const char *const header[] = {
		"participant", "month", "row", "site", "program", "payer",
		"events", "energy_mwh", "payment_usd", "share_pct",
		"aggregator_usd", "participant_usd"
	};
	int st;

	if ((st = dg_csvw_header(w, header, 12)) == DG_OK)
		st = dg_settle_stmt_emit(stmt, emit_stmt, w, err);
	if (st == DG_EIO || st == DG_EPIPE)
		err->status = st;
	return st;
}

/* --format html or pdf: the CSV in memory, then its pages. */
static int
stmt_html(const struct opts *o, struct dg_settle_stmt *stmt,
    struct dg_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct dg_csvw w;
	int st;

	if (fp == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	dg_csvw_init(&w, fp, ',', 0, 0);
	st = stmt_write(stmt, &w, err);
	if (fclose(fp) != 0 && st == DG_OK)
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if (st == DG_OK)
		st = stmt_pages(o, buf, len, err);
	free(buf);
	return st;
}

int
cmd_statement(struct opts *o)
{
	struct dg_settle_table contracts;
	struct dg_settle_stmt *stmt = NULL;
	struct dg_csv *r = NULL;
	struct dg_error err;
	struct run x;
	int st;

	memset(&contracts, 0, sizeof(contracts));
	dg_error_clear(&err);
	required(o->contracts, "statement: --contracts FILE");
	run_init(o, &x);
	if ((st = stmt_terms(o, &contracts, &x, &err)) != DG_OK)
		goto done;
	if (dg_settle_stmt_alloc(&stmt) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK)
		goto done;
	if ((st = stmt_read(o, r, &contracts, stmt)) != DG_OK) {
		err = *dg_csv_error(r);
		goto done;
	}
	if (o->format == FMT_HTML || o->format == FMT_PDF)
		st = stmt_html(o, stmt, &err);
	else if ((st = run_open(o, &x, &err)) == DG_OK)
		st = stmt_write(stmt, &x.w, &err);
done:
	st = run_end(o, &x, st, &err);
	dg_csv_close(r);
	dg_settle_stmt_free(stmt);
	dg_settle_table_release(&contracts);
	return st;
}
