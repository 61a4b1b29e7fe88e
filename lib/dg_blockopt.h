/* dg_blockopt.h: grouping sites into bid blocks (report 5.2.3, Figure 13).
 *
 * For one hour: n sites, each with kW to offer and a cost ($/MWh).  Find a
 * partition of all of them into exactly k blocks, each of at least
 * min_block_kw, where k is the largest number <= nblocks for which such a
 * partition exists, minimizing the premium
 *     sum over blocks b, members i of (P_b - c_i) x kW_i / 1000   ($/h)
 * with P_b the cost of b's most expensive member (the block's bid price,
 * so that no member runs at a loss).
 *
 * Method (dg-blockopt(1) gives the argument): sorted by cost, an upper
 * bound from the best partition into consecutive runs (dynamic program)
 * and a lower bound from the same program on the continuous relaxation
 * (sites divisible at any kW); when they meet the partition is optimal,
 * otherwise an exact depth-first branch and bound closes the gap, within a
 * node budget.  The gap proved is reported: 0 when optimal. */
#ifndef DG_BLOCKOPT_H
#define DG_BLOCKOPT_H

#include <stddef.h>

#include "dg_dec.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_BLOCKOPT_BLOCKS_DEFAULT 3
#define DG_BLOCKOPT_MIN_KW_DEFAULT 1000.0
#define DG_BLOCKOPT_MAX_NODES_DEFAULT 2000000L
#define DG_BLOCKOPT_KW_EPS 1e-6	/* kW: sums within this meet the floor */

struct dg_blockopt_opts {
	int nblocks;		/* wanted, >= 1 */
	double min_block_kw;	/* >= 0 */
	long max_nodes;		/* branch-and-bound budget per hour */
};
void dg_blockopt_opts_init(struct dg_blockopt_opts *o);

struct dg_blockopt_result {
	int nblocks;		/* blocks formed: 0 when the total is below
				 * the floor */
	double premium_usd_per_h;
	double bound_usd_per_h;	/* proved lower bound of the premium */
	double gap_usd_per_h;	/* premium - bound; 0 when optimal */
	int proven;		/* the partition is optimal */
	int undecided;		/* the budget ran out before more blocks
				 * were proved feasible or infeasible */
	long nodes;		/* branch-and-bound nodes */
	int method;		/* DG_BLOCKOPT_BY_* */
};

enum {
	DG_BLOCKOPT_BY_NONE,	/* no block */
	DG_BLOCKOPT_BY_DP,	/* consecutive split met the bound */
	DG_BLOCKOPT_BY_BNB	/* branch and bound */
};

struct dg_blockopt;

/* A workspace for up to max_sites sites and max_blocks blocks; NULL when
 * out of memory. */
struct dg_blockopt *dg_blockopt_alloc(size_t max_sites, int max_blocks);
void dg_blockopt_free(struct dg_blockopt *w);

/* Solves one hour.  kw[i] > 0 and cost[i] finite; block[i] receives site
 * i's block, 1..nblocks numbered by price, cheapest first (ties: in order
 * of their dearest member), or 0 when no block could be formed.  Sites of
 * equal cost are ordered by index.  DG_EINVAL for bad arguments, n or
 * nblocks over the workspace's size. */
int dg_blockopt_solve(struct dg_blockopt *w, const double *kw,
    const double *cost, size_t n, const struct dg_blockopt_opts *o,
    int *block, struct dg_blockopt_result *res);

/* --- The written figures, exact ------------------------------------------
 *
 * The solver works in doubles; the figures a bid is made of are exact
 * decimals, computed from the offers as read and rounded once, half away
 * from zero. */

#define DG_BLOCKOPT_KW_SCALE 3		/* kW: to the watt */
#define DG_BLOCKOPT_USD_SCALE 2		/* $/MWh and $/h: to the cent */

/* How a block's bid price is set. */
enum dg_blockopt_pricing {
	DG_BLOCKOPT_PRICE_MAX,		/* its dearest member's cost */
	DG_BLOCKOPT_PRICE_WEIGHTED	/* the kW-weighted mean of its members'
					 * costs, rounded to the cent */
};

/* One site's offer in an hour as the figures use it: kW rounded to
 * DG_BLOCKOPT_KW_SCALE decimals, the cost to DG_BLOCKOPT_USD_SCALE.
 * DG_ERANGE when a value does not fit (*which: 0 the kW, 1 the cost). */
int dg_blockopt_offer(dg_dec kw, dg_dec cost, dg_dec *kw_out,
    dg_dec *cost_out, int *which);

/* A block's figures: its kW (the sum of its members'), its price (enum
 * dg_blockopt_pricing) and its premium
 *     sum over members i of (price - c_i) x kW_i / 1000   ($/h)
 * rounded once to the cent. */
struct dg_blockopt_figures {
	dg_dec kw, price, premium;
	int n;				/* members */
};
/* The figures of block b: the sites i with block[i] == b of the n offers
 * kw[i], cost[i] (as dg_blockopt_offer makes them).  DG_EINVAL when the
 * block has no member, DG_ERANGE when a total does not fit a decimal
 * (*bad, which may be NULL, gets the index of the member at fault). */
int dg_blockopt_figures(const dg_dec *kw, const dg_dec *cost, size_t n,
    const int *block, int b, int pricing, struct dg_blockopt_figures *out,
    size_t *bad);

#ifdef __cplusplus
}
#endif
#endif
