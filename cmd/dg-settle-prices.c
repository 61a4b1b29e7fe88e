/* dg-settle prices: the hourly prices that pay and shadow use. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dg-settle.h"

static int
write_prices(struct dg_csvw *w, const struct dg_settle_prices *p,
    const char *market, const char *zone, int decimals, long *incomplete)
{
	for (size_t z = 0; z < dg_settle_prices_nzones(p); z++) {
		const char *name = dg_settle_prices_zone(p, z);

		if (zone && strcmp(zone, name) != 0)
			continue;
		for (size_t i = 0; i < dg_settle_prices_nhours(p, z); i++) {
			dg_time t;
			dg_dec price;
			int cover, st;

			st = dg_settle_prices_hour(p, z, i, &t, &price, &cover);
			dg_csvw_str(w, name);
			dg_csvw_time(w, t);
			dg_csvw_str(w, market);
			if (st == DG_OK)
				dg_csvw_dec(w, price, decimals);
			else
				dg_csvw_empty(w);
			dg_csvw_int(w, cover);
			dg_csvw_str(w, st == DG_OK ? "" : "incomplete");
			if (st != DG_OK)
				(*incomplete)++;
			if ((st = dg_csvw_end_row(w)) != DG_OK)
				return st;
		}
	}
	return DG_OK;
}

int
cmd_prices(struct opts *o)
{
	static const char *const header[] = { "zone", "time", "market",
		"price_usd_per_mwh", "covered_s", "quality" };
	struct dg_settle_prices *rt = NULL, *da = NULL;
	struct dg_error err;
	long incomplete = 0;
	struct run x;
	int st;

	dg_error_clear(&err);
	if (o->nrt == 0 && o->nda == 0) {
		dg_cli_warn("prices: --rt-prices or --da-prices FILE is required");
		usage(stderr, DG_EX_USAGE);
	}
	run_init(o, &x);
	if ((st = read_prices(o, NULL, &rt, &da, &x, &err)) != DG_OK ||
	    (st = run_open(o, &x, &err)) != DG_OK)
		goto done;
	st = dg_csvw_header(&x.w, header, 6);
	if (st == DG_OK && da)
		st = write_prices(&x.w, da, "da", o->zone, o->po.decimals,
		    &incomplete);
	if (st == DG_OK && rt)
		st = write_prices(&x.w, rt, "rt", o->zone, o->po.decimals,
		    &incomplete);
	if (st != DG_OK)
		err.status = st;
	if (st == DG_OK && incomplete > 0) {
		if (o->cli.strict)
			st = dg_error_set(&err, DG_EDATA, NULL, 0, NULL,
			    "%ld incomplete price hour%s (--strict)",
			    incomplete, incomplete == 1 ? "" : "s");
		else
			dg_cli_warn("%ld incomplete price hour%s (no price)",
			    incomplete, incomplete == 1 ? "" : "s");
	}
done:
	st = run_end(o, &x, st, &err);
	dg_settle_prices_free(rt);
	dg_settle_prices_free(da);
	return st;
}
