/* dg_gencost.h: the portfolio's generators.csv and the hourly running cost
 * of carrying a site's load on its generators and curtailable process loads
 * (report 3.3.4.3.2.1 and 5.2.2).
 *
 * A resource is a generator (diesel, gas-turbine, gas-recip) or a process
 * load (kind=load) that can be curtailed.  For one site and one hour the
 * resources are committed in priority order until their available capacity
 * covers the target load, then loaded by the loading rule (dg-gencost(1)
 * states it).  A generator's available capacity is its nameplate derated by
 * ambient temperature; its fuel follows the heat-rate curve, piecewise
 * linear between the 25, 50, 75 and 100 % points of available capacity and
 * held at the 25 % value below it. */
#ifndef DG_GENCOST_H
#define DG_GENCOST_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dg_gen_kind {
	DG_GEN_DIESEL,
	DG_GEN_GAS_TURBINE,
	DG_GEN_GAS_RECIP,
	DG_GEN_LOAD
};

/* Commitment constraints beyond the economics (optional column commit). */
enum dg_gen_commit {
	DG_COMMIT_FREE,		/* empty */
	DG_COMMIT_MUST_RUN,	/* "must-run": runs (is curtailed) every hour */
	DG_COMMIT_MUST_NOT_STOP	/* "must-not-stop": a generator once on stays
				 * on to the end of the day; a process load
				 * (the kiln) is never curtailed */
};

#define DG_GEN_NO_LIMIT (-1)

struct dg_gen {
	char *site, *gen;
	int kind;			/* enum dg_gen_kind */
	double capacity_kw;
	double hr[4];			/* Btu/kWh at 25, 50, 75, 100 % */
	double fuel_usd_per_mmbtu, om_usd_per_mwh, start_usd;
	int min_run_h;			/* >= 1 */
	int max_run_h_day;		/* DG_GEN_NO_LIMIT when empty */
	int permit_h_year;		/* DG_GEN_NO_LIMIT when empty */
	double derate_pct_per_f, derate_base_f;
	long priority;
	double curtail_usd_per_mwh;	/* kind=load */
	int commit;			/* enum dg_gen_commit */
	long line;
};

struct dg_gens {
	struct dg_gen *v;	/* sorted by site, priority, gen */
	size_t n;
	char path[256];
};

/* Reads generators.csv: the columns of dg-gencost(1).  Errors: those of
 * dg_csv, an unknown kind, a missing or negative value, a duplicate
 * site and gen. */
int dg_gens_read(struct dg_gens *gs, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_gens_release(struct dg_gens *gs);
/* The resources of site (a run of gs->v): the index of the first in *first
 * and their number, 0 when the site has none. */
size_t dg_gens_site(const struct dg_gens *gs, const char *site,
    size_t *first);
/* The resource site/gen, or NULL. */
const struct dg_gen *dg_gens_find(const struct dg_gens *gs, const char *site,
    const char *gen);
const char *dg_gen_kind_name(int kind);

/* Loading rules. */
enum dg_loading {
	DG_LOADING_EQUAL,	/* committed generators at the same fraction */
	DG_LOADING_MERIT	/* each to full in priority order */
};

/* Available capacity at temp_f: capacity x (1 - derate/100 x max(0,
 * temp_f - base)), not below 0; a process load is not derated. */
double dg_gencost_available(const struct dg_gen *g, double temp_f);
/* Heat rate at fraction f (0..1] of available capacity. */
double dg_gencost_heat_rate(const struct dg_gen *g, double f);

struct dg_unit_cost {
	double available_kw;
	double kw;		/* carried (generated or curtailed) */
	double load_frac;	/* kw / available_kw, 0 when off */
	double heat_rate;	/* Btu/kWh, 0 when off or a load */
	double fuel_mmbtu;	/* in the hour */
	double cost_usd_per_h;
	double start_usd;	/* when committed */
	int committed;
};

struct dg_site_cost {
	double target_kw;	/* the load to carry */
	double available_kw;	/* all resources, derated */
	double gen_kw;		/* carried: min(target, available) */
	double fuel_mmbtu, cost_usd_per_h, start_usd;
	int nunits;		/* committed */
	int is_short;		/* available < target */
};

/* The cost of carrying target_kw at site for one hour at temp_f with its n
 * resources g (one site's run of dg_gens, in priority order).  u (n
 * entries) receives each resource's part.  DG_EINVAL for a negative or
 * non-finite target or temperature. */
int dg_gencost_site(const struct dg_gen *g, size_t n, double target_kw,
    double temp_f, int loading, struct dg_unit_cost *u,
    struct dg_site_cost *sc);

#ifdef __cplusplus
}
#endif
#endif
