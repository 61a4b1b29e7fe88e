/* dg_health.h: the nightly questions (dg-health(1)): is any data stale or
 * missing, did a pipeline step fail or not run, how much of each site's
 * meter data arrived and was good, whose quality flags grow.
 *
 * Every check adds findings to a list: a severity (warning or critical),
 * the check's name, the site and subject it is about, a value and its
 * limit, a sentence.  (check, site, subject) names a finding from one run
 * to the next, so that a notifier can tell a new finding from one it has
 * sent.  The checks read what the toolkit writes: meter and load files
 * (dg-import, dg-pulse2kwh or pulse readings), files of the day
 * (prices, weather) by a path pattern, scripts/daily's markers and log,
 * scripts/monthly's versioned months, their SHA256SUMS and log.  Nothing
 * here reads the clock: the caller gives the instant "now".
 *
 * Memory: the meter check keeps per site its months' counts (sites x
 * months), whatever the number of rows. */
#ifndef DG_HEALTH_H
#define DG_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_sites.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { DG_HEALTH_OK = 0, DG_HEALTH_WARNING = 1, DG_HEALTH_CRITICAL = 2 };

struct dg_health_finding {
	int severity;		/* DG_HEALTH_WARNING or _CRITICAL */
	const char *check;	/* a static name: meter_stale, ... */
	char *site;		/* "" when none */
	char *subject;		/* the file, day, step or month */
	int have_value;
	dg_dec value, limit;
	char *message;
};

struct dg_health {
	struct dg_health_finding *v;
	size_t n, cap;
};

void dg_health_release(struct dg_health *h);
/* Adds a finding (its strings copied).  DG_ENOMEM. */
int dg_health_add(struct dg_health *h, int severity, const char *check,
    const char *site, const char *subject, const dg_dec *value,
    const dg_dec *limit, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Critical first, then by check, site and subject. */
void dg_health_sort(struct dg_health *h);
/* The worst severity: the exit status of a Nagios or Icinga plugin. */
int dg_health_worst(const struct dg_health *h);
const char *dg_health_severity_name(int severity);

struct dg_health_params {
	dg_time now;
	int stale_warn_s, stale_crit_s;	/* meter data this old (26 h, 50 h) */
	int interval_s;		/* readings' spacing; 0: each site's most
				 * common spacing */
	const char *ok_flags;	/* quality flags that leave a row good,
				 * separated by ',' or ';' ("rollover": a
				 * counter's wrap is its normal course) */
	int months;		/* availability: the months shown (13) */
	dg_dec avail_warn, avail_crit;	/* % below which a month is a
				 * warning (90) or critical (75) */
	dg_dec flag_growth;	/* flagged share grown this many times (2) */
	dg_dec flag_min;	/* and at least this % (1) */
	int days;		/* files of the day, daily steps: the days
				 * back (3) */
	int bid_due_min, schedule_due_min;	/* local minutes of the day
				 * before the market day (05:00, 14:00) */
	int monthly_due_day;	/* the month before is settled by (5) */
};
void dg_health_params_init(struct dg_health_params *p);

/* --- Meter data ----------------------------------------------------- */

struct dg_health_meters;
int dg_health_meters_alloc(struct dg_health_meters **m);
void dg_health_meters_free(struct dg_health_meters *m);
/* Reads a meter or load file, rows in any order: site, time (the
 * interval's start or the reading's instant), a value column (column;
 * NULL: the first of load_kw, demand_kw, energy_kwh, pulses the file
 * has) and quality when present.  A row with an empty value was not
 * received; one whose quality is neither empty, "ok", nor only flags of
 * ok_flags (NULL: none) was received, not good.  A row at the same
 * instant as its site's row before is a repeat and counts once.  Errors:
 * the reader's (DG_EDATA naming the row), DG_ENOINPUT, DG_ENOMEM. */
int dg_health_meters_read(struct dg_health_meters *m, const char *path,
    const char *column, const char *ok_flags, const struct dg_csv_opts *o,
    struct dg_error *err);
/* Whether quality q ("ok", empty, or flags joined by ';') leaves a row
 * good: every flag is one of ok_flags (',' or ';' between them). */
int dg_health_quality_good(const char *q, const char *ok_flags);
/* Stale and missing data: a site whose data ends more than
 * stale_warn_s (stale_crit_s) before now; a site of ss (NULL: none)
 * without any reading. */
int dg_health_meters_stale(const struct dg_health_meters *m,
    const struct dg_sites *ss, const struct dg_health_params *p,
    struct dg_health *h);

/* One row of the availability table: a site's (site NULL: TOTAL) month
 * ("YYYY-MM", or "all" for the months shown together). */
struct dg_health_avail {
	const char *site;
	const char *month;
	int interval_s;		/* 0 for TOTAL */
	long expected, received, good;
	dg_dec pct;		/* good / expected, %, 1 decimal */
};
typedef int (*dg_health_avail_fn)(void *arg, const struct dg_health_avail *a);
/* Availability per site and month (the source report's Table 16: the
 * share of intervals received and good), for the months up to the day
 * before now, at most p->months: each month's rows, then per site and
 * TOTAL over the months.  Calls emit (NULL: none) for each row; adds a
 * finding for the latest two months below avail_warn/_crit, and one for
 * a site whose flagged share grew. */
int dg_health_meters_availability(const struct dg_health_meters *m,
    const struct dg_health_params *p, dg_health_avail_fn emit, void *arg,
    struct dg_health *h);
/* good / expected in %, rounded once to 1 decimal (0 when expected 0). */
dg_dec dg_health_pct(long good, long expected);

/* --- Files of the day, and the pipelines ----------------------------- */

/* pattern with %Y %m %d for each of the days days up to now's date: a
 * file missing (critical for the latest day, warning before) or with no
 * data row (warning). */
int dg_health_feed(const char *pattern, const struct dg_health_params *p,
    struct dg_health *h);
/* scripts/daily's output directory: for each market day from tomorrow
 * back p->days days, bid.done once the bid was due (the day before at
 * bid_due_min), schedule.done once the schedule was (schedule_due_min);
 * a missing marker is step_failed when the day's daily.log has a FAILED
 * line for the step, step_not_run otherwise (critical for the latest
 * market day, warning before); download retries in the latest day's log
 * (warning). */
int dg_health_daily(const char *dir, const struct dg_health_params *p,
    struct dg_health *h);
/* scripts/monthly's OUT: the month before now's, once due (day
 * monthly_due_day): OUT/YYYY-MM/current and its SHA256SUMS checked file
 * by file; the last line of the month in OUT/monthly.log when it FAILED
 * or was REFUSED. */
int dg_health_monthly(const char *out, const char *log,
    const struct dg_health_params *p, struct dg_health *h);

#ifdef __cplusplus
}
#endif
#endif
