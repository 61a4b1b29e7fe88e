/* dg-settle report: the curtailment performance report (the report's
 * Tables 18-26). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dg-settle.h"

/* The table of one event: sites by hour ending, then the totals. */
static int
perf_table(const struct opts *o, const struct dg_settle_perf_table *t,
    struct textab *tb)
{
	size_t cols = t->nhours + 1, r = 0;
	char b[64];
	int st;

	if ((st = tab_init(tb, t->nsites + 4, cols)) != DG_OK ||
	    (st = tab_put(tb, 0, "site")) != DG_OK)
		return st;
	for (size_t h = 0; h < t->nhours && st == DG_OK; h++)
		st = tab_put(tb, h + 1, t->labels[h]);
	for (size_t s = 0; s < t->nsites && st == DG_OK; s++) {
		r++;
		st = tab_put(tb, r * cols, t->sites[s]);
		for (size_t h = 0; h < t->nhours && st == DG_OK; h++) {
			size_t cell = s * t->nhours + h;

			if (t->has[cell])
				fmt_dec(t->mw[cell], o->site_decimals, 0, b,
				    sizeof(b));
			else
				b[0] = '\0';
			st = tab_put(tb, r * cols + h + 1, b);
		}
	}
	r++;
	if (st == DG_OK)
		st = tab_put(tb, r * cols, "Total");
	for (size_t h = 0; h < t->nhours && st == DG_OK; h++) {
		fmt_dec(t->total_mw[h], o->total_decimals, 0, b, sizeof(b));
		st = tab_put(tb, r * cols + h + 1, b);
	}
	fmt_dec(t->total_mwh, o->total_decimals, 0, b, sizeof(b));
	if (st == DG_OK && (st = tab_put(tb, ++r * cols, "Total MWh")) == DG_OK)
		st = tab_put(tb, r * cols + 1, b);
	fmt_dec(t->avg_mw, o->total_decimals, 0, b, sizeof(b));
	if (st == DG_OK &&
	    (st = tab_put(tb, ++r * cols, "Average MW")) == DG_OK)
		st = tab_put(tb, r * cols + 1, b);
	return st;
}

static int
write_perf(const struct opts *o, const struct dg_settle_perf_table *t,
    struct dg_csvw *w, FILE *fp)
{
	struct textab tb;
	int st;

	memset(&tb, 0, sizeof(tb));
	if (o->text)
		fprintf(fp, "Event %s: curtailment (MW) by hour ending%s",
		    t->event, o->cli.crlf ? "\r\n" : "\n");
	if ((st = perf_table(o, t, &tb)) == DG_OK) {
		if (o->text)
			tab_text(fp, &tb, o->cli.crlf ? "\r\n" : "\n");
		else
			st = tab_csv(w, &tb);
	}
	tab_free(&tb);
	return st;
}

/* Reads the reductions; *unmeasured counts the empty ones. */
static int
report_read(const struct opts *o, struct dg_csv *r, struct dg_settle_perf *pr,
    long *unmeasured, struct dg_error *err)
{
	int st, c_site, c_event, c_time, c_red;

	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "event", &c_event)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "reduction_kw", &c_red)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		dg_dec kw;

		if (o->event &&
		    strcmp(dg_csv_field(r, c_event, NULL), o->event) != 0)
			continue;
		if (o->dates && (st = dg_csv_get_time(r, c_time, &ts)) != DG_OK)
			return st;
		if (o->dates && (dg_date_of(ts.t) < o->from ||
		    dg_date_of(ts.t) > o->to))
			continue;
		if (dg_csv_is_empty(r, c_red)) {
			/* dg-cbl measured nothing: the cell stays empty */
			if (o->cli.strict)
				return dg_csv_fail(r, c_red, DG_EDATA,
				    "empty (--strict)");
			(*unmeasured)++;
			continue;
		}
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_red, &kw)) != DG_OK)
			return st;
		if (dg_time_floor(ts.t, 3600) != ts.t)
			return dg_csv_fail(r, c_time, DG_EDATA,
			    "not the start of an hour");
		if ((st = dg_settle_perf_add(pr, dg_csv_field(r, c_event, NULL),
		    dg_csv_field(r, c_site, NULL), ts.t, kw, err)) != DG_OK)
			return dg_csv_fail(r, -1, st, "%s", err->msg);
	}
	return st == DG_EOF ? DG_OK : st;
}

/* Every event's table. */
static int
report_write(const struct opts *o, struct dg_settle_perf *pr,
    struct dg_out *out, struct dg_csvw *w, struct dg_error *err)
{
	int st = DG_OK;

	for (size_t i = 0; i < dg_settle_perf_nevents(pr); i++) {
		struct dg_settle_perf_table t;

		if ((st = dg_settle_perf_table(pr, i, &t, err)) != DG_OK)
			return st;
		if (o->text && i > 0)
			fputs(o->cli.crlf ? "\r\n" : "\n", dg_out_fp(out));
		if ((st = write_perf(o, &t, w, dg_out_fp(out))) != DG_OK) {
			if (st == DG_ENOMEM)
				dg_error_set(err, st, NULL, 0, NULL,
				    "out of memory");
			else
				err->status = st;
			return st;
		}
	}
	return st;
}

int
cmd_report(struct opts *o)
{
	struct dg_settle_perf *pr = NULL;
	struct dg_csv *r = NULL;
	struct dg_error err;
	long unmeasured = 0;
	struct run x;
	int st;

	dg_error_clear(&err);
	run_init(o, &x);
	if (dg_settle_perf_alloc(&pr) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK)
		goto done;
	if ((st = report_read(o, r, pr, &unmeasured, &err)) != DG_OK) {
		err = *dg_csv_error(r);
		goto done;
	}
	if (dg_settle_perf_nevents(pr) == 0 && o->dates && !o->event) {
		char a[16], b[16];

		dg_date_format(o->from, a, sizeof(a));
		dg_date_format(o->to, b, sizeof(b));
		dg_cli_warn("%s: no rows dated %s to %s: an empty report",
		    dg_csv_name(r), a, b);
		st = run_open(o, &x, &err);
		goto done;
	}
	if (dg_settle_perf_nevents(pr) == 0) {
		st = dg_error_set(&err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    o->event ? "no rows of event \"%s\"" : "no rows%s",
		    o->event ? o->event : "");
		goto done;
	}
	if (!o->text && dg_settle_perf_nevents(pr) > 1) {
		st = dg_error_set(&err, DG_EINVAL, dg_csv_name(r), 0, NULL,
		    "%zu events: a CSV report holds one (choose with --event, or --format text)",
		    dg_settle_perf_nevents(pr));
		goto done;
	}
	if (unmeasured > 0)
		dg_cli_warn("%ld site-hour%s without a reduction (left empty)",
		    unmeasured, unmeasured == 1 ? "" : "s");
	if ((st = run_open(o, &x, &err)) == DG_OK)
		st = report_write(o, pr, x.out, &x.w, &err);
done:
	st = run_end(o, &x, st, &err);
	dg_csv_close(r);
	dg_settle_perf_free(pr);
	return st;
}
