/* dg_schedule.h: a generator's run schedule for one market day (report
 * 4.2.2.2): an exact dynamic program over the day's hours.
 *
 * The unit may start only in an allowed hour (its block cleared: the
 * day-ahead price exceeds the block's bid); once started it runs at least
 * min_run_h hours (counting the hours it had already run at midnight),
 * even through hours that are not allowed; a run may be cut short only by
 * the end of the day (it continues into tomorrow's schedule).  It runs at
 * most max_run_h hours in the day.  Each start costs start_cents.  Running
 * in hour h earns value[h] cents (the price of the energy it displaces
 * less its running cost; may be negative).  Among the feasible schedules
 * the program finds one of greatest total value (values less start
 * costs); of several equal ones, the program stays off whenever it can
 * (hour by hour from the start of the day). */
#ifndef DG_SCHEDULE_H
#define DG_SCHEDULE_H

#include <stdint.h>

#include "dg_csv.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_SCHED_MAX_HOURS 25
/* The largest value or start cost in cents: a day's sums stay far from
 * overflow. */
#define DG_SCHED_MAX_CENTS (INT64_MAX / 64)

enum dg_sched_commit {
	DG_SCHED_FREE,
	DG_SCHED_MUST_RUN,	/* runs every hour of the day */
	DG_SCHED_MUST_NOT_STOP	/* once running, runs to the end of the day */
};

struct dg_sched_unit {
	int nh;				/* hours in the day, 1..25 */
	const int64_t *value;		/* cents if run in hour h */
	const unsigned char *allowed;	/* may start or run freely in h */
	int min_run_h;			/* >= 1 */
	int max_run_h;			/* hours today; < 0: no limit */
	int64_t start_cents;		/* >= 0 */
	int init_on;			/* running at midnight */
	int init_hours;			/* hours in that state, >= 0 */
	int commit;			/* enum dg_sched_commit */
};

/* Fills run[0..nh-1] with 0/1 and *total with the schedule's value (cents,
 * after start costs), *starts with its starts.  DG_EDATA when no schedule
 * meets the constraints (a must-run unit with too few hours left, a
 * minimum run longer than the hours allowed), DG_EINVAL for bad
 * arguments. */
int dg_schedule_unit(const struct dg_sched_unit *u, unsigned char *run,
    int64_t *total, int *starts);

/* What running a unit in an hour is worth, in cents: the energy it
 * displaces at the day-ahead price less its running cost,
 *     price_usd_per_mwh x kw / 1000 - cost_usd_per_h,
 * rounded once, half away from zero.  DG_ERANGE beyond
 * DG_SCHED_MAX_CENTS either way (or not a number). */
int dg_schedule_value_cents(double price_usd_per_mwh, double kw,
    double cost_usd_per_h, int64_t *cents);
/* Dollars in cents (a start cost), rounded and bounded as above. */
int dg_schedule_cents(double usd, int64_t *cents);
/* The most hours a unit may run today: max_run_h_day, and the hours its
 * permit has left (permit_h_year - used_h_year, not below 0); either < 0
 * when it has no limit.  < 0 when neither limits it. */
int dg_schedule_max_run(int max_run_h_day, int permit_h_year,
    int used_h_year);

/* Hourly prices of zone: NYISO's day-ahead zonal file (damlbmp_zone, told
 * by its "Time Stamp" column; read by dg_fetch's nyiso-dam parser) or a
 * normalized file (time, price_usd_per_mwh; rows of zone only when it has
 * a zone column, as dg-fetch's output).  Sorted by time; a repeated hour
 * is DG_EDATA. */
struct dg_price {
	dg_time t;
	double usd_per_mwh;
};
int dg_schedule_prices_read(const char *path, const char *zone,
    const struct dg_csv_opts *o, struct dg_price **out, size_t *n,
    struct dg_error *err);
/* The price at t, or NULL. */
const struct dg_price *dg_schedule_price_at(const struct dg_price *p,
    size_t n, dg_time t);

#ifdef __cplusplus
}
#endif
#endif
