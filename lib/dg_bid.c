/* dg_bid.c: day-ahead bid rules. */
#include <config.h>

#include <math.h>

#include "dg_bid.h"

void
dg_bid_rules_init(struct dg_bid_rules *r)
{
	r->min_mw = DG_BID_MIN_MW_DEFAULT;
	r->price_cap = DG_BID_PRICE_CAP_DEFAULT;
	r->price_floor = DG_BID_PRICE_FLOOR_DEFAULT;
	r->strike_cap = DG_BID_STRIKE_CAP_DEFAULT;
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
	if (t < t0 || (t - t0) % 3600 != 0 || (t - t0) / 3600 >= dg_date_hours(d))
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
	return dg_time_from_local(y, m, dd, deadline_min / 60, deadline_min % 60,
	    0, out);
}

int
dg_bid_check(const struct dg_bid_rules *r, double mw, double price,
    const char **why)
{
	if (!isfinite(mw) || !isfinite(price)) {
		*why = "not a number";
		return DG_EDATA;
	}
	if (mw < r->min_mw) {
		*why = "below the minimum size";
		return DG_EDATA;
	}
	if (price > r->price_cap) {
		*why = "above the price cap";
		return DG_EDATA;
	}
	if (price < r->price_floor) {
		*why = "below the price floor";
		return DG_EDATA;
	}
	return DG_OK;
}
