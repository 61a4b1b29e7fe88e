/* dg_econ.h: the enrolment decision in money: the yearly cash flows of a
 * site for its owner and for the aggregator, their net present value,
 * internal rate of return and payback over 1 to 5 years (the evaluation
 * periods of the report's Building Economic Model, section 3.3.4.2.2), and
 * the aggregator's portfolio view of the report's Table 7.
 *
 * Inputs are files people keep:
 *  - the items file: one row per cost, program revenue or bill saving,
 *    `item,party,kind,basis,amount_usd[,quantity][,year]` (dg-econ(1));
 *  - for the portfolio view, the site profiles
 *    `profile,curtailable_kw,capital_usd,generating_usd_per_mwh` (the
 *    report's Table 6) and the portfolios `portfolio,profile,mw`;
 *  - history: dg-settle statement output (a site's payments and the
 *    aggregator's share by contract) and a dg-peakhunt backtest summary.
 *
 * Money is exact: every item's amount in a year is computed from exact
 * decimals and rounded once to the cent, half away from zero; a shared
 * amount's aggregator part is rounded once and the owner gets the rest;
 * the NPV is one exact quotient rounded once to the cent.  The IRR is a
 * root of the NPV, found by GSL's Brent solver in double precision, and
 * given only when it is the only one. */
#ifndef DG_ECON_H
#define DG_ECON_H

#include <stddef.h>
#include <stdint.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_ECON_MAX_YEARS 5	/* the evaluation periods: 1 to 5 years */

enum dg_econ_party {
	DG_ECON_OWNER,		/* the site's owner */
	DG_ECON_AGGREGATOR,
	DG_ECON_SHARED		/* split by the aggregator's share_pct */
};
enum dg_econ_kind {
	DG_ECON_COST,
	DG_ECON_PROGRAM,	/* program revenue: scaled by the sensitivity */
	DG_ECON_SAVING		/* a bill saving (peak hunting): not scaled */
};
enum dg_econ_basis {
	DG_ECON_ONCE,		/* amount x quantity, in `year` (default 0) */
	DG_ECON_KW,		/* amount x kW x quantity, in `year` (0) */
	DG_ECON_YEAR,		/* amount x quantity, every year from `year` */
	DG_ECON_MONTH,		/* amount x quantity x 12, every year */
	DG_ECON_MWH,		/* amount x kW / 1000 x hours (quantity, or
				 * the params' hours), every year */
	DG_ECON_KW_MONTH	/* amount x kW x months (quantity, default
				 * 12), every year */
};

struct dg_econ_item {
	char *name;
	int party, kind, basis;
	dg_dec amount;		/* USD per unit of the basis, >= 0 */
	dg_dec quantity;	/* hours, months or a count */
	int has_quantity;
	int year;		/* the year it falls in (once, kw) or starts */
	long line;
};

struct dg_econ_items {
	struct dg_econ_item *v;
	size_t n, cap;
	char *file;		/* its name, for messages */
};

/* Reads an items file.  DG_EDATA at the row and column of a bad value:
 * an unknown party, kind or basis, an amount that is not a decimal >= 0,
 * a year outside 0..5 (a recurring item starts in year 1 at the
 * earliest), a negative quantity, an empty item name. */
int dg_econ_items_read(struct dg_econ_items *it, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_econ_items_release(struct dg_econ_items *it);

struct dg_econ_params {
	dg_dec kw;		/* the enrolled (curtailable) kW */
	dg_dec hours;		/* run hours a year, for mwh items */
	dg_dec share_pct;	/* the aggregator's share of shared items */
	dg_dec factor_pct;	/* program revenue, % of expected (100) */
	int years;		/* the horizon, 1..DG_ECON_MAX_YEARS */
};
/* kw 0, hours 0, share 0, factor 100, years 5. */
void dg_econ_params_init(struct dg_econ_params *p);

/* One party's yearly flows in cents, year 0 (the start) to the horizon;
 * costs are positive amounts spent. */
struct dg_econ_flows {
	int64_t cost[DG_ECON_MAX_YEARS + 1];
	int64_t program[DG_ECON_MAX_YEARS + 1];
	int64_t saving[DG_ECON_MAX_YEARS + 1];
};
/* The net flow of year t: program + saving - cost. */
int64_t dg_econ_net(const struct dg_econ_flows *f, int t);

/* Item e's amount in year t in cents, rounded once (0 when it does not
 * fall in year t); a program amount scaled by factor_pct.  DG_ERANGE on
 * overflow. */
int dg_econ_item_amount(const struct dg_econ_item *e,
    const struct dg_econ_params *p, int t, int64_t *cents);
/* Adds the items to owner's and aggregator's flows (which the caller
 * zeroes).  DG_ERANGE when an amount overflows. */
int dg_econ_add_items(const struct dg_econ_items *it,
    const struct dg_econ_params *p, struct dg_econ_flows *owner,
    struct dg_econ_flows *aggr, struct dg_error *err);
/* Adds a yearly amount of kind (program, saving or cost) in cents to the
 * years 1..horizon of f; a program amount is scaled by factor_pct and
 * rounded once. */
int dg_econ_add_yearly(struct dg_econ_flows *f, int kind, int64_t cents,
    const struct dg_econ_params *p);

/* A site's program revenue a year from dg-settle statement output: the
 * mean over the calendar years of the statement months of the sums of the
 * site's `line` rows, participant_usd (the owner's) and aggregator_usd,
 * each rounded once to the cent.  DG_EDATA when the site has no line. */
int dg_econ_history_read(const char *path, const char *site,
    const struct dg_csv_opts *o, int64_t *owner_cents, int64_t *aggr_cents,
    int *years, struct dg_error *err);
/* A dg-peakhunt backtest summary's peakhunt row, per season: the saving
 * (cp_saving_usd + demand_saving_usd) and run_cost_usd, each divided by
 * seasons and rounded once. */
int dg_econ_peakhunt_read(const char *path, const struct dg_csv_opts *o,
    int64_t *saving_cents, int64_t *cost_cents, struct dg_error *err);

/* --- Indicators --------------------------------------------------- */

/* NPV of cf[0..n] (cents) at rate (a fraction: 0.08 for 8 %, at most 4
 * decimals, 0 to 1), cf[t] discounted by (1 + rate)^t, n <= 5: one exact
 * quotient rounded once to the cent.  DG_ERANGE on overflow. */
int dg_econ_npv(const int64_t *cf, int n, dg_dec rate, int64_t *npv);

enum dg_econ_irr_status {
	DG_ECON_IRR_OK,		/* irr is the one rate where the NPV is 0 */
	DG_ECON_IRR_NONE,	/* no rate above -100 % gives NPV 0 */
	DG_ECON_IRR_NOT_UNIQUE,	/* several: roots[] */
	DG_ECON_IRR_OUT_OF_RANGE /* the one root is outside the search range */
};
#define DG_ECON_IRR_LO (-0.99)	/* the search range of rates */
#define DG_ECON_IRR_HI 10.0
struct dg_econ_irr {
	int status;
	int sign_changes;	/* of the nonzero flows, in order */
	double irr;		/* a fraction (0.1 = 10 %) when OK */
	int nroots;		/* NOT_UNIQUE: the rates, ascending */
	double roots[DG_ECON_MAX_YEARS];
};
/* IRR of cf[0..n].  Flows of one sign have none.  One sign change: the
 * NPV, a polynomial in 1/(1 + r) with one sign change, has exactly one
 * root above -100 % (Descartes' rule), found by Brent's method between
 * DG_ECON_IRR_LO and DG_ECON_IRR_HI.  More changes: every real root above
 * -100 % is found (the polynomial's roots, then each polished by Brent
 * inside a bracket); one root is the IRR, several are NOT_UNIQUE.
 * DG_EINTERNAL when GSL fails. */
int dg_econ_irr(const int64_t *cf, int n, struct dg_econ_irr *r);

/* Payback of cf[0..n]: the year from which the cumulative flow stays >= 0
 * to the horizon, less the fraction of that year not needed (the flow
 * even over the year), rounded once to 2 decimals: (t - 1) + (minus the
 * cumulative flow of year t - 1) / cf[t].  *found 0 when the cumulative
 * flow of the horizon is negative (a payback that a later cost undoes is
 * none). */
int dg_econ_payback(const int64_t *cf, int n, int *found, dg_dec *years);

/* --- The portfolio view (the report's Table 7) ------------------------ */

struct dg_econ_profile {
	char *name;
	dg_dec kw;		/* curtailable kW of one site */
	dg_dec capital;		/* USD to bring one site to market */
	dg_dec gen_usd_per_mwh;	/* generating cost */
	long line;
};
struct dg_econ_profiles {
	struct dg_econ_profile *v;
	size_t n, cap;
};
int dg_econ_profiles_read(struct dg_econ_profiles *pr, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_econ_profiles_release(struct dg_econ_profiles *pr);

struct dg_econ_mix {
	char *portfolio;
	size_t profile;		/* index in the profiles */
	dg_dec mw;
	long line;
};
struct dg_econ_mixes {
	struct dg_econ_mix *v;
	size_t n, cap;
};
/* Rows of one portfolio together, a profile once per portfolio; profile
 * names must be in pr. */
int dg_econ_mixes_read(struct dg_econ_mixes *mx, const char *path,
    const struct dg_econ_profiles *pr, const struct dg_csv_opts *o,
    struct dg_error *err);
void dg_econ_mixes_release(struct dg_econ_mixes *mx);

/* One profile of one portfolio: sites = MW x 1000 / site kW (exact, to
 * 6 decimals), whole = that rounded up, capital = sites (or whole sites)
 * x capital, generating = MW x hours x $/MWh, both to the cent. */
struct dg_econ_part {
	dg_dec sites;
	int64_t whole;
	int64_t capital;	/* cents */
	int64_t generating;	/* cents a year */
};
int dg_econ_part(const struct dg_econ_profile *pf, dg_dec mw, dg_dec hours,
    int whole_sites, struct dg_econ_part *out);

#ifdef __cplusplus
}
#endif
#endif
