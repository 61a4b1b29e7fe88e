/* fuzz_bid: the inputs of the daily bid pipeline, chosen by bits 4-5 of
 * the first byte: generators.csv (dg_gens_read, dg-gencost), the day's
 * prices (dg_schedule_prices_read, dg-schedule), the block partition of
 * one hour (dg_blockopt_solve, dg-blockopt: the bytes are the sites' kW and
 * costs; the partition must be valid and its exact figures,
 * dg_blockopt_figures, agree with the premium reported),
 * and the bid rules (dg_bid_hb, dg_bid_check, dg-bid). */
#include "fuzz.h"

#include <math.h>

#include "dg_bid.h"
#include "dg_blockopt.h"
#include "dg_gencost.h"
#include "dg_schedule.h"

#define MAXS 24

static void
blocks(const uint8_t *d, size_t size)
{
	static struct dg_blockopt *w;
	struct dg_blockopt_opts o;
	struct dg_blockopt_result res;
	double kw[MAXS], cost[MAXS];
	int block[MAXS];
	size_t n = 0;

	if (size < 2)
		return;
	if (w == NULL && (w = dg_blockopt_alloc(MAXS, 4)) == NULL)
		abort();
	dg_blockopt_opts_init(&o);
	o.nblocks = 1 + d[0] % 4;
	o.min_block_kw = 50.0 * d[1];
	o.max_nodes = 20000;
	for (size_t i = 2; i + 1 < size && n < MAXS; i += 2, n++) {
		kw[n] = 0.5 + 12.5 * d[i];
		cost[n] = 1.5 * d[i + 1] - 40;
	}
	if (dg_blockopt_solve(w, kw, cost, n, &o, block, &res) != DG_OK)
		return;
	if (res.nblocks < 0 || res.nblocks > o.nblocks)
		abort();
	for (size_t i = 0; i < n; i++)
		if (block[i] < 0 || block[i] > res.nblocks)
			abort();
	if (res.nblocks > 0) {
		double sum[5] = { 0 }, p = 0;
		dg_dec dkw[MAXS], dc[MAXS];

		for (size_t i = 0; i < n; i++) {
			sum[block[i]] += kw[i];
			if (dg_dec_from_double(kw[i], 3, &dkw[i]) != DG_OK ||
			    dg_dec_from_double(cost[i], 2, &dc[i]) != DG_OK)
				abort();
		}
		for (int b = 1; b <= res.nblocks; b++) {
			struct dg_blockopt_figures f;

			if (sum[b] + DG_BLOCKOPT_KW_EPS < o.min_block_kw)
				abort();	/* a block below the floor */
			if (dg_blockopt_figures(dkw, dc, n, block, b,
			    DG_BLOCKOPT_PRICE_MAX, &f, NULL) != DG_OK ||
			    dg_dec_sign(f.premium) < 0)
				abort();
			p += dg_dec_to_double(f.premium);
		}
		/* the premium reported is the partition's (each block's
		 * exact premium rounded to the cent) */
		if (fabs(p - res.premium_usd_per_h) > 0.005 * res.nblocks +
		    1e-6 * (1 + fabs(p)))
			abort();
		if (res.gap_usd_per_h < -1e-6 * (1 + fabs(p)))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_error err = { 0 };
	uint8_t b = size > 0 ? data[0] : 0;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	switch ((b >> 4) & 3) {
	case 0: {
		struct dg_gens gs;

		memset(&gs, 0, sizeof(gs));
		if (dg_gens_read(&gs, fuzz_path(data, size), &o,
		    &err) == DG_OK) {
			for (size_t i = 0; i < gs.n; i++) {
				size_t first;

				(void)dg_gens_site(&gs, gs.v[i].site, &first);
			}
			dg_gens_release(&gs);
		}
		break;
	}
	case 1: {
		struct dg_price *p = NULL;
		size_t n = 0;

		if (dg_schedule_prices_read(fuzz_path(data, size), "LONGIL", &o,
		    &p, &n, &err) == DG_OK) {
			for (size_t i = 0; i < n; i++)
				if (dg_schedule_price_at(p, n, p[i].t) == NULL)
					abort();
		}
		free(p);
		break;
	}
	case 2:
		blocks(data, size);
		break;
	default: {
		struct dg_bid_rules r;
		const char *why;
		dg_date d;
		dg_time t0, dl;
		int hb;

		dg_bid_rules_init(&r);
		if (size < 4)
			break;
		d = dg_date_from_ymd(2000 + data[0] % 40, 1 + data[1] % 12,
		    1 + data[2] % 28);
		if (dg_date_start(d, &t0) == DG_OK)
			for (int h = -1; h <= 26; h++)
				if (dg_bid_hb(d, t0 + 3600 * h, &hb) == DG_OK &&
				    (hb < 0 || hb > 25))
					abort();
		(void)dg_bid_deadline(d, data[3] * 7, &dl);
		{
			dg_dec kw =
			    dg_dec_make((int64_t)data[3] << (data[2] % 48),
			    data[1] % 19), mw = kw, up, gap;

			/* the upload never offers more than the block has,
			 * and not 0.1 MW less */
			if (dg_bid_mw(kw, &mw) == DG_OK &&
			    dg_bid_upload_mw(kw, &up) == DG_OK &&
			    (dg_dec_cmp(up, mw) > 0 ||
			    (dg_dec_sub(mw, up, &gap) == DG_OK &&
			    dg_dec_cmp(gap, dg_dec_make(1, 1)) >= 0)))
				abort();
			(void)dg_bid_check(&r, mw,
			    dg_dec_make(data[2] * 8 - 100, 1),
			    &why);
		}
		break;
	}
	}
	return 0;
}
