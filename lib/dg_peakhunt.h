/* dg_peakhunt.h: peak hunting (the report's sections 3.3.4.3.2 and
 * 4.2.2.3): on which days to run a site's generator, and in which hours,
 * to cut its coincident-peak capacity tag (its load in the hour of the
 * zone's peak: NYCA or Long Island) and its monthly demand charge, under
 * a monthly and a yearly budget of engine hours; and the backtest of a
 * season against the hindsight optimum and a simple threshold rule.
 *
 * Inputs, all hourly:
 *  - the zone's actual load (dg-fetch nyiso-load: zone,time,load_mw; the
 *    zone NYCA is the sum of every zone of the file, an hour counting
 *    only when every zone has it) and its forecasts (dg-fetch
 *    nyiso-isolf: zone,time,load_mw,issued; NYCA is the zone NYISO);
 *  - optionally the site's actual load (site,time,load_kw, read with
 *    dg_series) and its forecasts (site,time,load_kw[,issued]);
 *  - the generator: dg-gencost output (available_kw, cost_usd_per_h,
 *    start_usd per hour) or a flat kW and $/MWh;
 *  - the tariff file (dg_ph_tariff_read) and the budget.
 *
 * A decision for day T uses only what was known on T - 1: actual loads
 * of days up to T - 2 (a day's actuals are published the day after) and
 * forecasts issued on T - 1 or before.  The model and its defaults are in
 * dg-peakhunt(1).  Probabilities are doubles; money is exact, rounded once
 * to the cent where dg-peakhunt(1) says.  Memory: the days of the range
 * and the history window, about 5 KiB a day. */
#ifndef DG_PEAKHUNT_H
#define DG_PEAKHUNT_H

#include <stddef.h>
#include <stdint.h>

#include "dg_cal.h"
#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- The tariff ----------------------------------------------------- */

enum { DG_PH_CAPACITY, DG_PH_DEMAND, DG_PH_NCHARGE };

struct dg_ph_charge {
	int present;
	dg_dec rate;		/* USD per kW-month */
	int month_lo, month_hi;	/* the months measured, 1-12 */
	int hour_lo, hour_hi;	/* the clock hours measured, [lo, hi) */
	int weekdays;		/* only weekdays that are not holidays */
	int per_month;		/* each month's peak (else the season's) */
	int billed;		/* months the tag or demand is billed */
	char zone[32];		/* capacity: "NYCA" or a NYISO zone */
	long line;
};
struct dg_ph_tariff {
	struct dg_ph_charge c[DG_PH_NCHARGE];
};
/* Reads a tariff file: a row per charge, columns charge (capacity or
 * demand), usd_per_kw_month, months (M or M-M), and optionally hours (H-H,
 * default 0-24), days (all or weekdays, default all), peak (season or
 * month; default season for capacity, month for demand, which can only be
 * month), billed_months (default 12 for capacity, 1 for demand), zone
 * (capacity only, required: NYCA or a NYISO zone as people type it).  A
 * charge at most once.  DG_EDATA at the row and column of a bad value. */
int dg_ph_tariff_read(struct dg_ph_tariff *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);

/* --- Series --------------------------------------------------------- */

struct dg_ph_hour {
	dg_time t;		/* the hour's start */
	dg_dec x;		/* exact */
	double v;
};
struct dg_ph_series {
	struct dg_ph_hour *h;	/* ascending, each instant once */
	size_t n, cap;
};
void dg_ph_series_release(struct dg_ph_series *s);

struct dg_ph_fcast {
	dg_date issued;
	dg_time t;
	double v;
};
struct dg_ph_forecasts {
	struct dg_ph_fcast *f;
	size_t n, cap;
};
void dg_ph_forecasts_release(struct dg_ph_forecasts *f);

/* A zone's actual load from dg-fetch nyiso-load output: the rows of zone
 * (canonical name), or for "NYCA" the sum over every zone of the file of
 * each hour that all of them have.  A zone and hour given twice takes the
 * larger value (NYISO's 2002 files repeat hours with a load of 0).  Stamps
 * must be on the hour.  DG_EDATA when no row is the zone's. */
int dg_ph_zone_read(struct dg_ph_series *s, const char *path,
    const char *zone, const struct dg_csv_opts *o, struct dg_error *err);
/* Forecasts from rows key_col,time,value_col[,issued]: those whose key_col
 * is key (every row when key is NULL or the file has no key_col).  Without
 * an issued column a row is the forecast issued the day before its day.
 * A repeated (issued, time) with another value is an error. */
int dg_ph_forecasts_read(struct dg_ph_forecasts *f, const char *path,
    const char *key_col, const char *key, const char *value_col,
    const struct dg_csv_opts *o, struct dg_error *err);

/* The site's actual hourly load: the series of site (the first site when
 * NULL) read by dg_series with so (the reading contract: columns, units,
 * stamps, any order; so->hourly should be set); holes are left out. */
struct dg_series_opts;
int dg_ph_site_read(struct dg_ph_series *s, const char *path,
    const char *site, const struct dg_series_opts *so,
    const struct dg_csv_opts *o, struct dg_error *err);

/* The generator of the site, per hour, from dg-gencost output. */
struct dg_ph_gen {
	dg_time t;
	dg_dec avail;		/* available_kw */
	int64_t cost;		/* cost_usd_per_h, cents */
	int64_t start;		/* start_usd, cents */
};
struct dg_ph_gens {
	struct dg_ph_gen *g;
	size_t n, cap;
};
/* The rows of site (every row when NULL) of a dg-gencost output. */
int dg_ph_gencost_read(struct dg_ph_gens *g, const char *path,
    const char *site, const struct dg_csv_opts *o, struct dg_error *err);
void dg_ph_gens_release(struct dg_ph_gens *g);

/* --- The model ------------------------------------------------------ */

struct dg_ph_params {
	int run_hours;		/* hours a run day, 3 */
	int month_hours;	/* engine hours a month, 10 */
	int year_hours;		/* engine hours a year, 0: no limit */
	int window_days;	/* history for corrections and errors, 21 */
	int lookahead_days;	/* later forecast days compared, 4 */
	double min_chance;	/* chance needed to run, 0.05 */
	double sigma;		/* relative error with short history, 0.04 */
	double min_sigma;	/* floor of the relative error, 0.01 */
	double threshold;	/* the threshold rule's fraction, 0.95 */
};
void dg_ph_params_init(struct dg_ph_params *p);

struct dg_ph_inputs {
	const struct dg_ph_tariff *tariff;
	const struct dg_ph_series *zone;	/* required */
	const struct dg_ph_forecasts *zone_fc;	/* required */
	const struct dg_ph_series *site;	/* NULL: none */
	const struct dg_ph_forecasts *site_fc;	/* NULL: none */
	const struct dg_ph_gens *gen;		/* NULL: the flat generator */
	dg_dec flat_kw, flat_usd_per_mwh, flat_start_usd;
	const struct dg_holidays *holidays;	/* NULL: NERC's */
};

enum { DG_PH_PEAKHUNT, DG_PH_THRESHOLD, DG_PH_HINDSIGHT, DG_PH_NSTRAT };
extern const char *const dg_ph_strategy_names[DG_PH_NSTRAT];

/* A day's decision: one row per run block (hindsight may run several),
 * or one row with hours 0. */
struct dg_ph_advice {
	dg_date date;
	int strategy;
	dg_time start, end;	/* the block [start, end) when hours > 0 */
	int hours;
	double chance[DG_PH_NCHARGE];	/* NaN: not computed */
	double expected_usd;	/* NaN: not computed */
	int month_left, year_left;	/* after the day; year -1: no limit */
	const char *note;	/* why not, or "" */
};

struct dg_ph_run;
/* Prepares the days from - history .. to + lookahead.  In a backtest
 * (backtest 1) a period (season or month) ends at to if it is earlier;
 * advice looks to the period's end.  DG_EINVAL when the tariff's demand
 * charge has no site load and forecasts, a parameter is out of range, or
 * the range is empty or longer than 3 years. */
int dg_ph_open(struct dg_ph_run **r, const struct dg_ph_inputs *in,
    const struct dg_ph_params *p, dg_date from, dg_date to, int backtest,
    struct dg_error *err);
void dg_ph_free(struct dg_ph_run *r);
/* Decides every day of the range by strategy (hindsight needs the actual
 * loads of the range); *adv points into r, valid until dg_ph_free. */
int dg_ph_decide(struct dg_ph_run *r, int strategy,
    const struct dg_ph_advice **adv, size_t *n, struct dg_error *err);

/* The backtest of a strategy already decided, against the actual loads. */
struct dg_ph_summary {
	int seasons, months;	/* of the capacity charge in the range */
	int days_run, hours;
	int season_peaks, season_caught;
	int zone_months, zone_caught;	/* the zone's monthly peaks */
	int site_months, site_caught;	/* the site's, of the demand charge */
	int64_t cp_saving, demand_saving, run_cost;	/* cents */
};
int dg_ph_evaluate(struct dg_ph_run *r, int strategy,
    struct dg_ph_summary *s, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
