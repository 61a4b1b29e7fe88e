/* dg_track_int.h: what dg_track.c (the tracker) and dg_track_in.c (its
 * inputs) share; private to the library. */
#ifndef DG_TRACK_INT_H
#define DG_TRACK_INT_H

#include "dg_pulse.h"
#include "dg_track.h"

/* One event hour of one site.  Power in micro-kW, energy in
 * micro-kW-seconds. */
struct dg_track_hour {
	int64_t base;		/* the CBL (has_base) */
	int64_t pledge;
	int64_t e;		/* load energy received in the hour */
	int64_t fe;		/* the fill rate: fe over fd seconds, the */
	int32_t fd;		/* latest interval that began before the
				 * hour ended (fd 0: none yet) */
	int32_t c;		/* seconds of the hour received */
	int64_t proj;		/* the projected reduction, kW x 1000 */
	unsigned char has_base;
};

struct dg_track_site {
	char *name;
	struct dg_track_hour *h;	/* the event's hours */
	int start_s;		/* start time; -1: the default */
	int has_pledge;
	dg_time last;		/* the end of its latest reading */
	dg_time prev_stamp;	/* its latest stamp (the repeated hour) */
	dg_time last_a;		/* its latest interval's start (pulses: its
				 * latest reading) */
	dg_dec last_v;		/* and value (a repeated reading) */
	int last_missing;
	int64_t count;		/* pulses: the latest counter value */
	int has_prev;		/* last_a, last_v, count are set */
	int has_last;		/* last is set */
	struct dg_pulse_site meter;
	double limit_kw;	/* pulses: a plausible wrap's largest demand */
	unsigned alarms;
	int started, seen_after;	/* delivered; read after the start */
	struct dg_track_row row;	/* its latest row */
};

struct dg_track {
	struct dg_track_params p;
	dg_time h0;		/* the event's first hour */
	int nh;
	struct dg_track_site *s;	/* sorted by name */
	size_t ns;
	struct dg_track_hour *hours;	/* ns x nh */
	int clock_set;
	dg_time clock, next_b;	/* the stream's clock, the next step */
	long since_total;	/* rows since the last TOTAL row */
	unsigned palarms;	/* the portfolio's alarms */
	const struct dg_track_out *out;
	struct dg_track_stats st;
};

/* The site named name, or -1. */
long dg_track_find(const struct dg_track *tr, const char *name);
/* Sets the sites (names sorted, unique, taken over) and hours; the
 * baselines are then set in tr->hours.  DG_ENOMEM. */
int dg_track_setup(struct dg_track *tr, char **names, size_t ns, dg_time h0,
    int nh);
/* The end of the followed window. */
dg_time dg_track_window_start(const struct dg_track *tr);
dg_time dg_track_window_end(const struct dg_track *tr);

/* A reading of site si for [a, b): e micro-kW-seconds when known; flags
 * DG_TRACK_Q_*.  Advances the clock (TOTAL rows), updates the site,
 * writes its row and alarms.  Returns DG_OK or a status of the output
 * functions. */
int dg_track_feed(struct dg_track *tr, size_t si, dg_time a, dg_time b,
    int known, int64_t e, unsigned flags, long line);
/* A reading that gives no interval (a site's first pulse reading) at t. */
int dg_track_mark(struct dg_track *tr, size_t si, dg_time t, unsigned flags,
    long line);
/* The end of input: the last TOTAL row. */
int dg_track_finish(struct dg_track *tr);

#endif
