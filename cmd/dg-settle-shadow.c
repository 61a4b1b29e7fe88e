/* dg-settle shadow: the shadow settlement of the direct-customer
 * strategy, from hourly rows or from the months' own totals. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dg-settle.h"

/* A month as YYYY-MM into buf[16], whatever way the file writes it
 * (dg_parse_month: a spreadsheet saves 2022-07 as 2022/07/01 or 7/1/2022). */
static int
need_month(struct dg_csv *r, int c, char *buf)
{
	int st, y, m;

	if ((st = dg_csv_get_month(r, c, &y, &m)) != DG_OK)
		return st;
	snprintf(buf, 16, "%04d-%02d", y % 10000, m % 100);
	return DG_OK;
}

/* --months: Table 13's own rows. */
static int
shadow_months(struct dg_csv *r, struct dg_settle_shadow *sh,
    struct dg_error *err)
{
	int st, c_month, c_e, c_da, c_rev, c_rt;

	if ((st = dg_csv_require(r, "month", &c_month)) != DG_OK ||
	    (st = dg_csv_require(r, "energy_mwh", &c_e)) != DG_OK ||
	    (st = dg_csv_require(r, "da_cost_usd", &c_da)) != DG_OK ||
	    (st = dg_csv_require(r, "da_revenue_usd", &c_rev)) != DG_OK ||
	    (st = dg_csv_require(r, "rt_reconciliation_usd", &c_rt)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		dg_dec e, a, b, c;
		char month[16];

		if ((st = need_month(r, c_month, month)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_e, &e)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_da, &a)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_rev, &b)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_rt, &c)) != DG_OK)
			return st;
		if ((st = dg_settle_shadow_add_month(sh, month, e, a, b, c,
		    err)) != DG_OK)
			return dg_csv_fail(r, c_month, st, "%s", err->msg);
	}
	return st == DG_EOF ? DG_OK : st;
}

/* What the hourly shadow settlement reads and writes. */
struct shadowrun {
	const struct opts *o;
	const struct dg_sites *ss;
	const struct dg_settle_prices *rt, *da;
	struct dg_settle_shadow *sh;
	struct dg_csvw *lw;	/* --lines, or NULL */
	int c_site, c_time, c_bid, c_f, c_a, c_gen;
};

static const char *const shadow_lines_header[] = {
	"site", "time", "self_generation", "da_cost_usd", "da_revenue_usd",
	"generation_cost_usd", "rt_reconciliation_usd", "delivery_usd"
};

static void
shadow_line(struct dg_csvw *w, const char *site, dg_time t,
    const struct dg_settle_shadow_hour *h)
{
	dg_csvw_str(w, site);
	dg_csvw_time(w, t);
	dg_csvw_int(w, h->self_gen);
	dg_csvw_dec(w, h->da_cost, 2);
	dg_csvw_dec(w, h->da_revenue, 2);
	dg_csvw_dec(w, h->gen_cost, 2);
	dg_csvw_dec(w, h->rt_recon, 2);
	dg_csvw_dec(w, h->delivery, 2);
}

/* One site-hour of the input. */
static int
shadow_hour(const struct shadowrun *x, struct dg_csv *r, struct dg_error *err)
{
	const char *site = dg_csv_field(r, x->c_site, NULL), *zone;
	dg_dec bid, f, a, g = dg_dec_make(0, 0), dap, rtp;
	struct dg_settle_shadow_hour h;
	struct dg_tstamp ts;
	int st, has_g = 0;

	if ((st = dg_csv_get_time(r, x->c_time, &ts)) != DG_OK ||
	    (st = dg_csv_get_dec(r, x->c_bid, &bid)) != DG_OK ||
	    (st = dg_csv_get_dec(r, x->c_f, &f)) != DG_OK ||
	    (st = dg_csv_get_dec(r, x->c_a, &a)) != DG_OK)
		return st;
	if (x->c_gen >= 0 && !dg_csv_is_empty(r, x->c_gen)) {
		has_g = 1;
		if ((st = dg_csv_get_dec(r, x->c_gen, &g)) != DG_OK)
			return st;
	}
	if ((zone = site_zone(x->o, x->ss, site)) == NULL)
		return dg_csv_fail(r, x->c_site, DG_EDATA,
		    "site \"%s\" has no zone in %s", site, x->o->sites);
	if (dg_time_floor(ts.t, 3600) != ts.t)
		return dg_csv_fail(r, x->c_time, DG_EDATA,
		    "not the start of an hour");
	if (dg_settle_prices_get(x->da, zone, ts.t, &dap) != DG_OK)
		return dg_csv_fail(r, x->c_time, DG_EDATA,
		    "missing day-ahead price hour for zone %s", zone);
	if (dg_settle_prices_get(x->rt, zone, ts.t, &rtp) != DG_OK)
		return dg_csv_fail(r, x->c_time, DG_EDATA,
		    "missing real-time price hour for zone %s", zone);
	if ((st = dg_settle_shadow_add(x->sh, ts.t, f, a, bid, has_g, g, dap,
	    rtp, &h, err)) != DG_OK)
		return dg_csv_fail(r, -1, st, "%s", err->msg);
	if (x->lw == NULL)
		return DG_OK;
	shadow_line(x->lw, site, ts.t, &h);
	if (dg_csvw_end_row(x->lw) != DG_OK)
		return dg_error_set(dg_csv_error(r), DG_EIO, x->o->lines, 0,
		    NULL, "write error");
	return DG_OK;
}

static int
shadow_hours(struct shadowrun *x, struct dg_csv *r)
{
	int st;

	if ((st = dg_csv_require(r, "site", &x->c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &x->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "bid_usd_per_mwh", &x->c_bid)) != DG_OK ||
	    (st = dg_csv_require(r, "forecast_kw", &x->c_f)) != DG_OK ||
	    (st = dg_csv_require(r, "actual_kw", &x->c_a)) != DG_OK)
		return st;
	x->c_gen = dg_csv_col(r, "gen_cost_usd_per_mwh");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_error e;

		dg_error_clear(&e);
		if ((st = shadow_hour(x, r, &e)) != DG_OK)
			return st;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* Item i (0-8) of month x, and its scale. */
static dg_dec
shadow_item(const struct dg_settle_shadow_month *x, size_t i, int *scale)
{
	dg_dec da_all;

	*scale = 2;
	switch (i) {
	case 0:
		*scale = x->energy_mwh.scale > 3 ? -1 : 3;
		return x->energy_mwh;
	case 1:
		dg_dec_add(x->da_cost, x->gen_cost, &da_all);
		return da_all;
	case 2: return x->da_revenue;
	case 3: return x->rt_recon;
	case 4: return x->total_cost;
	case 5: return x->avg_cost;
	case 6: return x->delivery;
	case 7: return x->avg_total;
	default: return x->gen_cost;
	}
}

/* Table 13: one row per item, one column per month and the total. */
static int
shadow_table(const struct opts *o, const struct dg_settle_shadow_month *mo,
    size_t nmo, struct textab *tb)
{
	static const char *const item[] = {
		"total_energy_mwh", "da_energy_cost_usd", "da_revenue_usd",
		"rt_reconciliation_usd", "total_energy_cost_usd",
		"average_energy_cost_usd_per_mwh", "delivery_charge_usd",
		"average_total_cost_usd_per_mwh", "self_generation_cost_usd"
	};
	static const char *const label[] = {
		"Total Energy (MWh)", "Total DA Energy Cost ($)",
		"Total DA Revenue ($)", "RT Reconciliation ($)",
		"Total Energy Cost ($)", "Average Energy Cost ($/MWh)",
		"Delivery Charge ($)", "Average Total Cost ($/MWh)",
		"  of which self-generation ($)"
	};
	size_t nrow = o->months ? 8 : 9;
	int st;

	if ((st = tab_init(tb, nrow + 1, nmo + 1)) != DG_OK)
		return st;
	st = tab_put(tb, 0, o->text ? "" : "item");
	for (size_t j = 0; j < nmo && st == DG_OK; j++)
		st = tab_put(tb, j + 1, strcmp(mo[j].month, "total") == 0 &&
		    o->text ? "Total" : mo[j].month);
	for (size_t i = 0; i < nrow && st == DG_OK; i++) {
		st = tab_put(tb, (i + 1) * tb->cols,
		    o->text ? label[i] : item[i]);
		for (size_t j = 0; j < nmo && st == DG_OK; j++) {
			char b[64];
			int sc;
			dg_dec v = shadow_item(&mo[j], i, &sc);

			if ((i == 5 || i == 7) && !mo[j].has_avg)
				b[0] = '\0';
			else
				fmt_dec(v, sc, o->text, b, sizeof(b));
			st = tab_put(tb, (i + 1) * tb->cols + j + 1, b);
		}
	}
	return st;
}

static int
shadow_write(const struct opts *o, const struct dg_settle_shadow_month *mo,
    size_t nmo, struct dg_out *out, struct dg_csvw *w, struct dg_error *err)
{
	struct textab tb;
	int st;

	memset(&tb, 0, sizeof(tb));
	if ((st = shadow_table(o, mo, nmo, &tb)) != DG_OK)
		st = dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	else if (o->text)
		tab_text(dg_out_fp(out), &tb, o->cli.crlf ? "\r\n" : "\n");
	else
		st = tab_csv(w, &tb);
	tab_free(&tb);
	return st;
}

int
cmd_shadow(struct opts *o)
{
	const struct dg_settle_shadow_month *mo;
	struct dg_settle_prices *rt = NULL, *da = NULL;
	struct dg_sites sites;
	struct shadowrun sr;
	struct dg_csv *r = NULL;
	struct dg_csvw lw;
	struct dg_error err;
	struct run x;
	size_t nmo;
	int st;

	memset(&sr, 0, sizeof(sr));
	dg_error_clear(&err);
	if (!o->months && (o->nda == 0 || o->nrt == 0)) {
		dg_cli_warn("shadow: --da-prices and --rt-prices are required (or --months)");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->months)
		o->lines = NULL;	/* no hourly lines from month totals */
	run_init(o, &x);
	record(&x, "sites", o->sites);
	if (o->sites && (st = dg_sites_read(&sites, o->sites, &o->cli.aux,
	    &err)) != DG_OK)
		goto done;
	sr.ss = o->sites ? &sites : NULL;
	if (!o->months &&
	    (st = read_prices(o, NULL, &rt, &da, &x, &err)) != DG_OK)
		goto done;
	if (dg_settle_shadow_alloc(&sr.sh, o->delivery) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK ||
	    (st = run_open(o, &x, &err)) != DG_OK)
		goto done;
	if (x.lines) {
		dg_cli_csvw_init(&o->cli, &lw, dg_out_fp(x.lines));
		dg_csvw_header(&lw, shadow_lines_header, 8);
		sr.lw = &lw;
	}
	sr.o = o;
	sr.rt = rt;
	sr.da = da;
	st = o->months ? shadow_months(r, sr.sh, &err) : shadow_hours(&sr, r);
	if (st != DG_OK) {
		err = *dg_csv_error(r);
		goto done;
	}
	if ((st = dg_settle_shadow_result(sr.sh, &mo, &nmo, &err)) == DG_OK)
		st = shadow_write(o, mo, nmo, x.out, &x.w, &err);
done:
	st = run_end(o, &x, st, &err);
	dg_csv_close(r);
	dg_settle_shadow_free(sr.sh);
	dg_settle_prices_free(rt);
	dg_settle_prices_free(da);
	if (sr.ss)
		dg_sites_release(&sites);
	return st;
}
