/* dg_bid.c: day-ahead bid rules. */
#include <config.h>

#include <string.h>

#include "dg_bid.h"

static dg_dec
dec_of(const char *s)
{
	dg_dec d = dg_dec_make(0, 0);

	(void)dg_dec_parse(s, strlen(s), &d);	/* the defaults parse */
	return d;
}

void
dg_bid_rules_init(struct dg_bid_rules *r)
{
	r->min_mw = dec_of(DG_BID_MIN_MW_DEFAULT);
	r->price_cap = dec_of(DG_BID_PRICE_CAP_DEFAULT);
	r->price_floor = dec_of(DG_BID_PRICE_FLOOR_DEFAULT);
	r->strike_cap = dec_of(DG_BID_STRIKE_CAP_DEFAULT);
	r->deadline_min = DG_BID_DEADLINE_MIN_DEFAULT;
}

int
dg_bid_hb(dg_date d, dg_time t, int *hb)
{
	dg_time t0;
	struct dg_local lt, lp;
	int st;

	if ((st = dg_date_start(d, &t0)) != DG_OK)
		return st;
	if (t < t0 || (t - t0) % 3600 != 0 ||
	    (t - t0) / 3600 >= dg_date_hours(d))
		return DG_ERANGE;
	if ((st = dg_time_local(t, &lt)) != DG_OK)
		return st;
	/* the hour before shows the same clock hour: this is the repeat */
	if (t > t0) {
		if ((st = dg_time_local(t - 3600, &lp)) != DG_OK)
			return st;
		if (lp.hour == lt.hour) {
			*hb = 25;
			return DG_OK;
		}
	}
	*hb = lt.hour;
	return DG_OK;
}

int
dg_bid_deadline(dg_date d, int deadline_min, dg_time *out)
{
	int y, m, dd;

	if (deadline_min < 0 || deadline_min >= 24 * 60)
		return DG_EINVAL;
	dg_date_to_ymd(d - 1, &y, &m, &dd);
	return dg_time_from_local(y, m, dd, deadline_min / 60,
	    deadline_min % 60, 0, out);
}

int
dg_bid_check(const struct dg_bid_rules *r, dg_dec mw, dg_dec price,
    const char **why)
{
	if (dg_dec_cmp(mw, r->min_mw) < 0) {
		*why = "below the minimum size";
		return DG_EDATA;
	}
	if (dg_dec_cmp(price, r->price_cap) > 0) {
		*why = "above the price cap";
		return DG_EDATA;
	}
	if (dg_dec_cmp(price, r->price_floor) < 0) {
		*why = "below the price floor";
		return DG_EDATA;
	}
	return DG_OK;
}

int
dg_bid_mw(dg_dec kw, dg_dec *mw)
{
	int scale = kw.scale + 3 <= DG_DEC_MAX_SCALE ? kw.scale + 3 :
	    DG_DEC_MAX_SCALE;

	return dg_dec_div(kw, dg_dec_make(1000, 0), scale, mw);
}

int
dg_bid_upload_mw(dg_dec kw, dg_dec *mw)
{
	int64_t per = 100;	/* kW in 0.1 MW, at kw's scale */

	if (dg_dec_sign(kw) < 0)
		return DG_ERANGE;
	for (int i = 0; i < kw.scale; i++) {
		if (per > INT64_MAX / 10) {
			*mw = dg_dec_make(0, 1);	/* kw < 0.1 MW */
			return DG_OK;
		}
		per *= 10;
	}
	*mw = dg_dec_make(kw.v / per, 1);	/* down: kw >= 0 */
	return DG_OK;
}
