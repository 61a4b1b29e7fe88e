/* dg_cbl.h: customer baseline load (CBL) by the market's rules.
 *
 * How much a site curtailed is the difference between a baseline the market
 * computes from the site's recent history and its metered load.  Three
 * families of rules (doc/market-rules.md, NYISO customer baseline load;
 * PJM and CAISO baselines):
 *   NYISO average day (weekday: the 5 highest of the 10 most recent eligible
 *   like days; weekend: 2 of 3) with the optional weather-sensitive
 *   multiplicative adjustment; PJM High 4 of 5 (weekend 2 of 3) with the
 *   symmetric additive adjustment; CAISO 10-in-10 (weekend 4-in-4) with the
 *   multiplicative load point adjustment.
 * Every number of those rules is a field of struct dg_cbl_params; the
 * defaults are set by dg_cbl_params_init() for each method.
 *
 * A site's load is held by local day and hour (struct dg_cbl_load); the
 * local calendar (day starts, 23- and 25-hour days) is cached once for all
 * sites in struct dg_cbl_cal.  Memory: one site's series.
 *
 * Loads are exact decimals, and so is every rule: day means, the ranking
 * of days, the low-usage screen, the CBL and the adjustment are exact
 * fractions (dg_rat.h); each printed figure is rounded once,
 * and the figures derived from others are computed from the printed ones
 * (struct dg_cbl_hour), so that a printed row adds up. */
#ifndef DG_CBL_H
#define DG_CBL_H

#include <stddef.h>

#include "dg_cal.h"
#include "dg_dec.h"
#include "dg_events.h"
#include "dg_sites.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_CBL_SLOTS 25		/* hours in the longest local day */
#define DG_CBL_MAX_WINDOW 64	/* largest window or basis accepted */
#define DG_CBL_MAX_LOOKBACK 366
#define DG_CBL_MAX_SPAN 366	/* default of --max-span: days between two
				 * readings of a site */
#define DG_CBL_MAX_DAYS 100000	/* days one site's load may span */
#define DG_CBL_CAL_DAYS 36600	/* days the calendar caches at most */

enum dg_cbl_method { DG_CBL_NYISO, DG_CBL_PJM, DG_CBL_CAISO };
enum dg_cbl_adj { DG_CBL_ADJ_NONE, DG_CBL_ADJ_MULT, DG_CBL_ADJ_ADD };
enum dg_cbl_low { DG_CBL_LOW_NONE, DG_CBL_LOW_PEAK, DG_CBL_LOW_AVERAGE };
/* Like-day classes: Monday-Friday not a holiday; Saturday; Sunday or a
 * holiday on a weekday (an event on a weekday holiday takes the weekday
 * class when holiday_weekday is set). */
enum dg_cbl_class { DG_CBL_WEEKDAY, DG_CBL_SATURDAY, DG_CBL_SUNDAY };

struct dg_cbl_params {
	int method;		/* enum dg_cbl_method */
	int window[3];		/* window size by class (weekday, sat, sun) */
	int basis[3];		/* days kept: the highest ADEPU of the window */
	int min_days[3];	/* fewer window days: flagged short_window */
	int lookback;		/* calendar days searched before the event */
	int offset;		/* the window starts offset days before */
	int dadrp_offset;	/* offset for program DADRP */
	int low;		/* enum dg_cbl_low: low-usage screen base */
	dg_dec low_frac;	/* low usage: ADEPU < low_frac x base */
	int weekend_exclude;	/* weekend windows skip event days
				 * and low usage */
	int fill_events;	/* too few days: fill with the
				 * highest event days */
	int holiday_weekday;	/* a weekday holiday event takes the weekday
				 * window (else the Sunday one) */
	int ties_older;		/* equal ADEPU: the older day first */
	int adj;		/* enum dg_cbl_adj */
	int adj_start;		/* adjustment starts adj_start hours before */
	int adj_len;		/* and lasts adj_len hours */
	int adj_window;		/* CBL of the adjustment hours over the window
				 * days (1) or the basis days (0) */
	int capped;		/* limit the adjustment */
	dg_dec cap_lo, cap_hi;	/* factor limits (additive: as a share of
				 * the CBL of the adjustment hours) */
	int all_hours;		/* the result holds every hour of the event
				 * day, the event's marked in_event (0: the
				 * event's hours only) */
};

/* Defaults of a method (see dg-cbl(1) for each figure and its source). */
void dg_cbl_params_init(struct dg_cbl_params *p, enum dg_cbl_method m);
/* DG_EINVAL with a message naming the bad field. */
int dg_cbl_params_check(const struct dg_cbl_params *p, struct dg_error *err);
const char *dg_cbl_method_name(int m);
int dg_cbl_method_parse(const char *s, int *m);

/* The local calendar: day starts and the clock hour of each hour of a day,
 * cached for a range of dates that grows on demand (and starts afresh
 * around the dates asked for when it would grow past DG_CBL_CAL_DAYS: a
 * date far from the others costs no calendar up to it).  A date stays
 * cached until then: each use covers its dates first. */
struct dg_cbl_cal {
	dg_date first;
	size_t n, cap;		/* days covered */
	dg_time *start;		/* start[i]: date first + i; i <= n */
	unsigned char *nh;	/* hours of each day */
	signed char (*clk)[DG_CBL_SLOTS];	/* clock hour of hour index */
};
void dg_cbl_cal_init(struct dg_cbl_cal *c);
void dg_cbl_cal_release(struct dg_cbl_cal *c);
/* Date and hour index of the hour that starts at t; DG_EDATA when t is not
 * the start of a local hour. */
int dg_cbl_cal_locate(struct dg_cbl_cal *c, dg_time t, dg_date *d, int *idx);

/* One site's hourly load (kW = kWh in the hour) by local day. */
struct dg_cbl_load {
	dg_date first;
	size_t ndays, cap;
	dg_dec *v;		/* [ndays][DG_CBL_SLOTS] by hour index */
	unsigned char *have;
	dg_date day;		/* the date of the last hour set */
	dg_time day_a, day_b;	/* and its bounds */
};
void dg_cbl_load_init(struct dg_cbl_load *l);
void dg_cbl_load_release(struct dg_cbl_load *l);
void dg_cbl_load_clear(struct dg_cbl_load *l);
/* Sets the hour starting at t.  DG_EDATA: t not on a local hour;
 * DG_ERANGE: the site's load would span more than DG_CBL_MAX_DAYS;
 * DG_ENOMEM. */
int dg_cbl_load_set(struct dg_cbl_load *l, struct dg_cbl_cal *c, dg_time t,
    dg_dec kw);

/* An event: date and local clock hours [start_h, end_h), end_h <= 24. */
struct dg_cbl_event {
	const char *id, *program;
	dg_date date;
	int start_h, end_h;
};
/* The event of a row of the events file (lib/dg_events.h); DG_EINVAL when
 * it does not start and end on whole hours (dg_events_whole_hours says
 * which). */
int dg_cbl_event_of(const struct dg_event *e, struct dg_cbl_event *out);
/* With a portfolio: every event's site is a site of ss and, when ss has
 * the column programs, every event's program one some site is enrolled
 * in (dg_events_check_names; DG_EDATA naming the row and column). */
int dg_cbl_events_check_sites(const struct dg_events *es,
    const struct dg_sites *ss, struct dg_error *err);

/* Why a day was not in the window. */
enum dg_cbl_reason {
	DG_CBL_R_NONE,
	DG_CBL_R_OFFSET,	/* nearer than the window offset */
	DG_CBL_R_NOT_LIKE,	/* another day class */
	DG_CBL_R_HOLIDAY,	/* a holiday (weekday event) */
	DG_CBL_R_EVENT,		/* an event or test day of the site */
	DG_CBL_R_MISSING,	/* load missing in an event hour */
	DG_CBL_R_LOW_USAGE,	/* ADEPU below the low-usage threshold */
	DG_CBL_R_NREASONS
};
const char *dg_cbl_reason_name(int r);

enum dg_cbl_role { DG_CBL_SKIPPED, DG_CBL_WINDOW, DG_CBL_BASIS };

struct dg_cbl_note {
	dg_date date;
	int role;		/* enum dg_cbl_role */
	int reason;		/* enum dg_cbl_reason, for skipped days */
	int have_adepu;
	double adepu;		/* mean load in the event hours, kW */
	dg_dec adepu_kw;	/* the same as printed (3 decimals) */
	int filled;		/* an event day taken to fill the window */
};

/* Quality flags of a result. */
enum {
	DG_CBL_Q_SHORT_WINDOW = 1 << 0,	/* fewer window days than min_days */
	DG_CBL_Q_NO_BASIS = 1 << 1,	/* no eligible day: no CBL */
	DG_CBL_Q_MISSING_ACTUAL = 1 << 2,	/* an event hour without load */
	DG_CBL_Q_ADJ_ZERO = 1 << 3,	/* zero CBL in the adjustment hours */
	DG_CBL_Q_ADJ_MISSING = 1 << 4,	/* load missing in adjustment hours */
	DG_CBL_Q_EVENT_FILL = 1 << 5,	/* event days filled the window */
	DG_CBL_Q_NFLAGS = 6
};
const char *dg_cbl_flag_name(int bit);
/* ';'-separated names of the flags, "" for none. */
void dg_cbl_flags_format(unsigned flags, char *buf, size_t n);

/* Scales of the printed figures. */
#define DG_CBL_KW_SCALE 3	/* kW */
#define DG_CBL_ADJ_SCALE 6	/* the adjustment: a factor, or kW */

/* One event hour.  The doubles are the exact values (for statistics);
 * the decimals are the figures as printed: cbl_kw and actual_kw each
 * rounded once from the exact value, adj_cbl_kw from the printed
 * adjustment and cbl_kw (see struct dg_cbl_result), cbl_kw when not
 * adjusted. */
struct dg_cbl_hour {
	dg_time t;
	int clock;		/* local clock hour */
	int in_event;		/* an hour of the event (else another hour of
				 * its day, with all_hours: its CBL by the same
				 * basis days and adjustment, when every basis
				 * day has the clock hour) */
	int have_cbl, have_actual;
	double cbl, adj_cbl, actual;	/* adj_cbl = cbl unless adjusted */
	dg_dec cbl_kw, adj_cbl_kw, actual_kw;
};
/* reduction_kw = adj_cbl_kw - actual_kw, the printed figures (exact): 1 and
 * *kw, or 0 without a CBL or an actual. */
int dg_cbl_reduction(const struct dg_cbl_hour *h, dg_dec *kw);

struct dg_cbl_result {
	int cls;		/* enum dg_cbl_class of the event day */
	int offset;
	size_t nhours;
	struct dg_cbl_hour h[DG_CBL_SLOTS];
	double threshold;	/* low-usage threshold, kW (0: none) */
	dg_dec threshold_kw;	/* as printed */
	size_t nwindow, nbasis;
	dg_date basis[DG_CBL_MAX_WINDOW];	/* basis days, by rank */
	int adjusted;		/* an adjustment was applied */
	double adj_raw;		/* factor (mult) or kW (add) before the cap */
	double adj;		/* after the cap */
	dg_dec adj_x;		/* adj as printed (DG_CBL_ADJ_SCALE), which
				 * gives adj_cbl_kw: round(adj_x x cbl_kw)
				 * or round(cbl_kw + adj_x), 3 decimals */
	unsigned quality;
	struct dg_cbl_note *notes;	/* days examined, most recent first */
	size_t nnotes, capnotes;
};
void dg_cbl_result_init(struct dg_cbl_result *r);
void dg_cbl_result_release(struct dg_cbl_result *r);

/* The CBL of one event for one site.  event_days: the site's event and
 * test dates, sorted (the event's own date may be among them); hol: the
 * holidays.  Errors: DG_EDATA for an event hour that does not exist
 * (02:00 on a spring-forward day), DG_ERANGE for loads too large for
 * exact sums, DG_ENOMEM. */
int dg_cbl_compute(const struct dg_cbl_params *p, struct dg_cbl_cal *c,
    const struct dg_cbl_load *l, const struct dg_cbl_event *ev,
    const dg_date *event_days, size_t nevent_days,
    const struct dg_holidays *hol, struct dg_cbl_result *r,
    struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
