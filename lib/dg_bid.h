/* dg_bid.h: day-ahead bid rules (report 4.2.2.2, 5.2.3; doc/market-rules.md,
 * Bids and NYISO data conventions): hour labels, the deadline, and the
 * checks on one bid. */
#ifndef DG_BID_H
#define DG_BID_H

#include "dg_dec.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The defaults, as decimals written out. */
#define DG_BID_MIN_MW_DEFAULT "1"		/* report 5.2.3 */
#define DG_BID_PRICE_CAP_DEFAULT "1000"		/* $/MWh [R] */
#define DG_BID_PRICE_FLOOR_DEFAULT "0"		/* $/MWh */
#define DG_BID_DEADLINE_MIN_DEFAULT (5 * 60)	/* 05:00 of D-1 */
#define DG_BID_STRIKE_CAP_DEFAULT "500"		/* $/MWh, SCR/EDRP [R] */

/* The limits of a bid, exact: MW and $/MWh. */
struct dg_bid_rules {
	dg_dec min_mw, price_cap, price_floor, strike_cap;
	int deadline_min;	/* minutes after midnight of the day before */
};
void dg_bid_rules_init(struct dg_bid_rules *r);

/* The upload label of the hour beginning at t of market day d: its local
 * clock hour 0..23, except the second (standard-time) occurrence of a
 * repeated hour on a fall-back day, which is 25 (NYISO Technical
 * Bulletin 064: "HB 25 (Upload/Download)").  DG_ERANGE when t is not an
 * hour of d. */
int dg_bid_hb(dg_date d, dg_time t, int *hb);
/* The deadline for day d: local time deadline_min after midnight of d-1. */
int dg_bid_deadline(dg_date d, int deadline_min, dg_time *out);

/* Checks one energy bid of mw at price $/MWh: DG_OK, or DG_EDATA with why
 * set to a static reason ("below the minimum size", "above the price
 * cap", ...). */
int dg_bid_check(const struct dg_bid_rules *r, dg_dec mw, dg_dec price,
    const char **why);

/* MW of kw, exact: kW / 1000 at three more decimals (at 18 decimals,
 * rounded half away from zero, when kw has more than 15). */
int dg_bid_mw(dg_dec kw, dg_dec *mw);
/* The MW of a block of kw in NYISO's upload: kW / 1000 rounded down to
 * 0.1 MW, so that a block never offers more than it has (1514.6 kW is
 * 1.5 MW).  DG_ERANGE for a negative kw. */
int dg_bid_upload_mw(dg_dec kw, dg_dec *mw);

#ifdef __cplusplus
}
#endif
#endif
