/* dg_track.h: an event followed while it runs (dg-track(1)).
 *
 * The event's hours and each site's baseline come from dg-cbl's output
 * (the CBL computed before the event), each site's pledge from a pledges
 * file (dg-schedule's gen_kw, or an enrolment's pledge_kw) or from
 * sites.csv (curtailable_kw).  Meter readings come one at a time in the
 * order they arrive, sites interleaved: interval kW, interval kWh, or
 * pulse counters.  Each reading gives one row of the site's figures
 * through the caller's row function: the interval's load and delivered
 * kW, the hour's delivered kW so far, the projection of the hour and of
 * the event (what the settlement will say if nothing changes), and the
 * dollars and UCAP at risk.  At each step of the stream's clock (the
 * latest reading's end) a TOTAL row adds the sites' latest rows.  Alarms
 * (a site below its pledge, a meter silent, a site that does not start)
 * are raised once and cleared once through the alarm function.
 *
 * The rules are dg-track(1)'s (RULES).  Inside, power is in micro-kW and
 * energy in micro-kW-seconds, 64-bit integers: exact for readings with up
 * to 6 decimals (more are rounded to 6).  Printed figures are thousandths
 * (kW, kWh) and cents, each rounded once, half away from zero, from
 * exact fractions; the event projection is the sum of the printed hours.
 * Memory: the sites times the event's hours; nothing grows with the
 * readings (the sort of --sort aside, which spills to $TMPDIR). */
#ifndef DG_TRACK_H
#define DG_TRACK_H

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

#define DG_TRACK_MAX_HOURS 48	/* hours of one event */

struct dg_track_params {
	int every_s;		/* a TOTAL row each this many seconds of the
				 * stream's clock (300) */
	int silent_s;		/* a meter silent this long: alarm (900) */
	int start_s;		/* a site's start time, when the pledges do
				 * not give one (900) */
	int lead_s;		/* readings this long before the event starts
				 * or after it ends are followed (3600);
				 * others are skipped and counted */
	int max_gap_s;		/* pulses: readings further apart are a gap
				 * (flagged; the energy is spread) (900) */
	double max_demand_factor; /* pulses: a wrap is plausible up to this
				 * times peak_kw (dg_pulse_params: 3) */
	dg_dec alarm_pct;	/* below_pledge raised when an interval
				 * delivers below this % of the pledge (90) */
	dg_dec clear_pct;	/* and cleared at or above this % (95) */
	dg_dec start_pct;	/* started: an interval delivering this % of
				 * the pledge (50) */
	dg_dec price;		/* USD per MWh of the dollars at risk
				 * (500.00) */
	int window_hours;	/* hours of the UCAP availability window,
				 * this event's included (0: the event's) */
};
void dg_track_params_init(struct dg_track_params *p);
/* DG_EINVAL naming the first bad field: a percentage outside 0..100, a
 * clearing % below the raising %, a window shorter than the event. */
int dg_track_params_check(const struct dg_track_params *p, int nhours,
    struct dg_error *err);

/* Alarms, as bits of a row's alarms. */
enum {
	DG_TRACK_A_BELOW = 1 << 0,	/* below_pledge */
	DG_TRACK_A_SILENT = 1 << 1,	/* silent */
	DG_TRACK_A_NOSTART = 1 << 2,	/* no_start */
	DG_TRACK_A_N = 3
};
/* Quality flags of a row. */
enum {
	DG_TRACK_Q_MISSING = 1 << 0,	/* an empty reading */
	DG_TRACK_Q_FIRST = 1 << 1,	/* a site's first pulse reading */
	DG_TRACK_Q_ROLLOVER = 1 << 2,	/* a counter wrapped */
	DG_TRACK_Q_RESET = 1 << 3,	/* a counter reset: energy unknown */
	DG_TRACK_Q_GAP = 1 << 4,	/* pulses further apart than max_gap */
	DG_TRACK_Q_NO_BASELINE = 1 << 5,	/* an hour without a CBL */
	DG_TRACK_Q_N = 6
};
const char *dg_track_alarm_name(int bit);
/* "ok" or the flags joined by ';'. */
char *dg_track_quality_format(unsigned flags, char *buf, size_t n);
/* The alarms joined by ';', empty when none. */
char *dg_track_alarms_format(unsigned alarms, char *buf, size_t n);

/* Which figures of a row are set. */
enum {
	DG_TRACK_F_BASE = 1 << 0, DG_TRACK_F_LOAD = 1 << 1,
	DG_TRACK_F_DELIV = 1 << 2, DG_TRACK_F_PLEDGE = 1 << 3,
	DG_TRACK_F_HOUR = 1 << 4, DG_TRACK_F_HPROJ = 1 << 5
};

/* A row: a site's, after one of its readings, or the portfolio's
 * (site NULL: TOTAL).  Figures in thousandths (kW, kWh) and cents. */
struct dg_track_row {
	dg_time t;		/* the interval's start (TOTAL: the step's) */
	const char *site;
	unsigned have;		/* DG_TRACK_F_* set */
	int64_t base, load, deliv, pledge, hour, hproj;	/* kW x 1000 */
	int64_t event_kwh;	/* kWh x 1000 */
	int64_t usd;		/* cents */
	int64_t ucap;		/* kW x 1000 */
	unsigned alarms;	/* DG_TRACK_A_* active */
	unsigned flags;		/* DG_TRACK_Q_* */
	long line;		/* the reading's input line (0: TOTAL) */
};

/* An alarm raised or cleared at instant t (the stream's clock). */
struct dg_track_alarm {
	dg_time t;
	const char *site;	/* NULL: the portfolio */
	int alarm;		/* DG_TRACK_A_* bit */
	int raised;		/* 1 raised, 0 cleared */
	int have_value;		/* value and limit are set */
	int64_t value, limit;	/* kW x 1000 */
};

struct dg_track_out {
	int (*row)(void *arg, const struct dg_track_row *r);
	int (*alarm)(void *arg, const struct dg_track_alarm *a);
	/* A bad reading: skipped, counted, and said here (the library never
	 * prints); NULL: nowhere. */
	void (*bad)(void *arg, const struct dg_error *e);
	void *arg;
};

struct dg_track_stats {
	long rows;		/* data rows read */
	long used;		/* readings that gave a row */
	long bad;		/* bad rows skipped */
	long outside;		/* readings outside the followed window */
	long unknown;		/* readings of sites without a baseline */
	long duplicates;	/* a reading repeated (dropped) */
	long raised, cleared;	/* alarms */
	long no_pledge;		/* sites without a pledge (pledge 0) */
	char first_unknown[64], first_no_pledge[64];
};

struct dg_track;

int dg_track_alloc(struct dg_track **tr, const struct dg_track_params *p);
void dg_track_free(struct dg_track *tr);

/* dg-cbl's output (site, event, time, cbl_kw, adjusted_cbl_kw): the rows
 * of event (NULL: the file must hold one event).  The baseline of a site
 * and hour is adjusted_cbl_kw, else cbl_kw, else none (no_baseline).
 * DG_EDATA naming the row: a repeated site and hour, hours that are not
 * whole consecutive hours, more than DG_TRACK_MAX_HOURS, no row of the
 * event, several events and none named. */
int dg_track_baselines_read(struct dg_track *tr, const char *path,
    const char *event, const struct dg_csv_opts *o, struct dg_error *err);
/* The pledges file: site, pledge_kw or gen_kw (dg-schedule's output),
 * and optionally time (an hour's pledge; without, every hour's) and
 * start_min (the site's start time, minutes).  Rows of a site (and hour)
 * add up.  Sites and hours not tracked are ignored. */
int dg_track_pledges_read(struct dg_track *tr, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* The pledge of every tracked site is its curtailable_kw in ss (needed:
 * DG_EDATA naming the site without one). */
int dg_track_pledges_sites(struct dg_track *tr, const struct dg_sites *ss,
    struct dg_error *err);

/* The event's first hour and number of hours, and the sites tracked. */
dg_time dg_track_start(const struct dg_track *tr);
int dg_track_hours(const struct dg_track *tr);
size_t dg_track_nsites(const struct dg_track *tr);
const struct dg_track_stats *dg_track_stats(const struct dg_track *tr);

/* The stream. */
enum { DG_TRACK_UNIT_KW = 1, DG_TRACK_UNIT_KWH, DG_TRACK_UNIT_PULSES };
struct dg_track_input_opts {
	const char *site_col;	/* "site" unless set */
	const char *time_col;	/* "time" unless set */
	const char *value_col;	/* "load_kw" unless set; "pulses": counters */
	const char *site;	/* a stream of one site (no site column) */
	int unit;		/* enum dg_series_unit for kW/kWh columns */
	int stamp_end;		/* stamps label their interval's end */
	int interval_s;		/* a reading's interval (kW and kWh: needed) */
	int sort;		/* read every input whole and sort by time
				 * (a replay), instead of as it arrives */
	int strict;		/* the first bad row is an error */
	struct dg_sites *sites;	/* pulses: pulse_kwh, counter_bits, peak_kw
				 * of each site */
};
/* Reads the inputs (paths[0..n), "-" standard input) to their end, in
 * turn (or, with .sort, all of them sorted by time) and calls out's
 * functions for every row and alarm, then a last TOTAL row.  Bad rows
 * are skipped and said through out->bad (an error under .strict).
 * Returns DG_OK, a status of out's functions, or an error of the inputs
 * (a missing column, a unit the column contradicts: DG_EINVAL; a cut
 * quoted field) in err. */
int dg_track_run(struct dg_track *tr, const char *const *paths, size_t n,
    const struct dg_track_input_opts *io, const struct dg_csv_opts *o,
    const struct dg_track_out *out, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
