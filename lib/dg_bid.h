/* dg_bid.h: day-ahead bid rules (report 4.2.2.2, 5.2.3; MARKET-RULES.md
 * 1.7 and 5.1): hour labels, the deadline, and the checks on one bid. */
#ifndef DG_BID_H
#define DG_BID_H

#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_BID_MIN_MW_DEFAULT 1.0		/* report 5.2.3 */
#define DG_BID_PRICE_CAP_DEFAULT 1000.0		/* $/MWh [R] */
#define DG_BID_PRICE_FLOOR_DEFAULT 0.0		/* $/MWh */
#define DG_BID_DEADLINE_MIN_DEFAULT (5 * 60)	/* 05:00 of D-1 */
#define DG_BID_STRIKE_CAP_DEFAULT 500.0		/* $/MWh, SCR/EDRP [R] */

struct dg_bid_rules {
	double min_mw, price_cap, price_floor, strike_cap;
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

/* Checks one energy bid: DG_OK, or DG_EDATA with why set to a static
 * reason ("below the minimum size", "above the price cap", ...). */
int dg_bid_check(const struct dg_bid_rules *r, double mw, double price,
    const char **why);

#ifdef __cplusplus
}
#endif
#endif
