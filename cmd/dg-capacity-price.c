/* dg-capacity price: the money of each site and month, then the month's
 * TOTAL. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "dg-capacity.h"
#include "dg_quality.h"

static const char *const hdr[] = {
	"site", "month", "locality", "ucap_kw", "strip_kw", "monthly_kw",
	"spot_kw", "sold_kw", "revenue_usd", "shortfall_kw",
	"spot_usd_per_kw_month", "shortfall_cost_usd", "surplus_kw",
	"surplus_value_usd", "net_usd", "quality"
};
static const char *const quality_names[] = { "no_ucap", "no_surplus_price" };
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
dec_or_empty(struct dg_csvw *w, int have, dg_dec d, int scale)
{
	if (have)
		dg_csvw_dec(w, d, scale);
	else
		dg_csvw_empty(w);
}

static int
write_line(struct dg_csvw *w, const struct dg_cap_line *l)
{
	char ym[16], q[64];
	int u = l->have_ucap;

	dg_cap_month_format(l->month, ym, sizeof(ym));
	dg_quality_format(l->quality, quality_names, NELEM(quality_names), q,
	    sizeof(q));
	dg_csvw_str(w, l->site ? l->site : "TOTAL");
	dg_csvw_str(w, ym);
	dg_csvw_str(w, l->site ? dg_cap_locality_name(l->locality) : "");
	dec_or_empty(w, u, l->ucap_kw, 3);
	for (int a = 0; a < DG_CAP_NAUCTIONS; a++)
		dg_csvw_dec(w, l->sold_kw[a], 3);
	dg_csvw_dec(w, l->sold_total_kw, 3);
	dg_csvw_dec(w, l->revenue_usd, 2);
	dec_or_empty(w, u, l->shortfall_kw, 3);
	dec_or_empty(w, l->site && l->have_spot, l->spot_price, 2);
	dec_or_empty(w, u, l->shortfall_cost_usd, 2);
	dec_or_empty(w, u, l->surplus_kw, 3);
	dec_or_empty(w, u && l->have_surplus_value, l->surplus_value_usd, 2);
	dec_or_empty(w, u, l->net_usd, 2);
	dg_csvw_str(w, l->site && l->quality == 0 ? "ok" : q);
	return dg_csvw_end_row(w);
}

/* Flagged lines: said on standard error; --strict: the first an error. */
static int
judge(const struct opts *o, const struct dg_cap_book *b,
    const struct dg_cap_line *l, size_t n, struct dg_error *err)
{
	long flagged = 0;

	for (size_t i = 0; i < n; i++) {
		char ym[16];

		if (l[i].site == NULL || l[i].quality == 0)
			continue;
		dg_cap_month_format(l[i].month, ym, sizeof(ym));
		if (o->cli.strict)
			return dg_error_set(err, DG_EDATA, b->ucap_name, 0,
			    NULL, "site %s, %s: %s (--strict)", l[i].site, ym,
			    l[i].quality & DG_CAPQ_NO_UCAP ? "UCAP unknown" :
			    "no price for its surplus");
		flagged++;
	}
	if (flagged > 0)
		dg_cli_warn("%ld site-month%s flagged (no_ucap: the UCAP is "
		    "unknown; no_surplus_price: no price for the surplus)",
		    flagged, flagged == 1 ? "" : "s");
	return DG_OK;
}

int
cmd_price(struct opts *o, struct dg_cap_book *b)
{
	struct dg_cap_line *l = NULL;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	size_t n = 0;
	int st;

	dg_error_clear(&err);
	if ((st = dg_cap_price_book(b, &o->par, &l, &n, &err)) != DG_OK ||
	    (st = judge(o, b, l, n, &err)) != DG_OK) {
		free(l);
		return dg_cli_report(&err);
	}
	out = cap_open_output(o, &w);
	if (dg_csvw_header(&w, hdr, NELEM(hdr)) != DG_OK)
		st = w.status;
	for (size_t i = 0; i < n && st == DG_OK; i++)
		if (write_line(&w, &l[i]) != DG_OK)
			st = w.status;
	free(l);
	return cap_finish(o, out, st, &err);
}
