/* dg_settle_int.h: what the modules of dg-settle's library share (prices,
 * terms, pay, statements, shadow, performance report); private to the
 * library and its tests, not installed. */
#ifndef DG_SETTLE_INT_H
#define DG_SETTLE_INT_H

#include "dg_settle.h"
#include "dg_util.h"

static inline dg_dec
dec_zero(void)
{
	return dg_dec_make(0, 0);
}

static inline dg_dec
dec_max(dg_dec a, dg_dec b)
{
	return dg_dec_cmp(a, b) >= 0 ? a : b;
}

static inline int
dec_add_to(dg_dec *acc, dg_dec x)
{
	return dg_dec_add(*acc, x, acc);
}

/* kW over one hour as MWh, exact. */
static inline int
kw_to_mwh(dg_dec kw, dg_dec *out)
{
	if (kw.scale + 3 > DG_DEC_MAX_SCALE) {
		int st = dg_dec_rescale(kw, DG_DEC_MAX_SCALE - 3, &kw);

		if (st != DG_OK)
			return st;
	}
	*out = dg_dec_make(kw.v, kw.scale + 3);
	return DG_OK;
}

/* A field as a decimal, or absent when empty. */
static inline int
get_opt_dec(struct dg_csv *r, int c, int *has, dg_dec *out)
{
	*has = 0;
	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	*has = 1;
	return dg_csv_get_dec(r, c, out);
}

static inline int
need_field(struct dg_csv *r, int c, const char *what)
{
	if (dg_csv_is_empty(r, c))
		return dg_csv_fail(r, c, DG_EDATA, "empty %s", what);
	return DG_OK;
}

/* The time-weighted price of one hour from sub-hourly intervals:
 * ends[i] (ascending, interval end), prices[i]; the first interval starts
 * at start.  Writes the hourly price rounded to decimals.  For tests: the
 * rule dg_settle_prices_read applies; DG_EDATA when [hour, hour + 3600) is
 * not covered. */
int dg_settle_time_weight(dg_time hour, dg_time start, const dg_time *ends,
    const dg_dec *prices, size_t n, int decimals, int max_interval_s,
    dg_dec *out);

/* Whether pg passes on less than the whole payment (pass_pct < 100). */
int dg_settle_passes_share(const struct dg_settle_program *pg);
/* A money line: a x b, or with has_pass a x b x pass_pct / 100, rounded
 * once to the cent, half away from zero. */
int dg_settle_amount(int has_pass, dg_dec pass_pct, dg_dec a, dg_dec b,
    dg_dec *out);

#endif
