/* dg_pulse.h: pulse-counter readings to interval energy (report 3.3.2.2.2:
 * the ADAM module counts the KYZ pulses of the utility meter; pulses x the
 * site's pulse multiplier = energy).  The rules are those of
 * dg-pulse2kwh(1). */
#ifndef DG_PULSE_H
#define DG_PULSE_H

#include <stddef.h>
#include <stdint.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_sites.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Quality flags of an output interval. */
enum {
	DG_PF_GAP = 1 << 0,		/* readings missing: energy unknown */
	DG_PF_RESET = 1 << 1,		/* counter reset: energy unknown */
	DG_PF_ROLLOVER = 1 << 2,	/* counter wrapped at 2^bits */
	DG_PF_DUPLICATE = 1 << 3,	/* a repeated reading was dropped */
	DG_PF_REORDERED = 1 << 4,	/* a reading came out of time order */
	DG_PF_OFFGRID = 1 << 5,		/* a boundary was interpolated */
	DG_PF_ESTIMATED = 1 << 6,	/* filled by --fill linear */
	DG_PF_NFLAGS = 7
};

struct dg_pulse_reading {
	dg_time t;
	int64_t count;		/* counter value, or pulses in the interval */
	long line;		/* input line, for messages */
	unsigned flags;		/* DG_PF_REORDERED / DG_PF_DUPLICATE */
};

struct dg_pulse_params {
	int counts;		/* readings are per-interval counts */
	int reading_s;		/* with counts: length of a
				 * reading's interval */
	int step_s;		/* output interval; divides an hour */
	int max_gap_s;		/* longest span a boundary is interpolated in */
	int fill_linear;	/* estimate what gaps leave unknown */
	double max_demand_factor; /* rollover plausibility, x peak demand */
	int decimals;		/* of energy_kwh and demand_kw */
	int64_t max_span_s;	/* longest time between two readings (0: any) */
};
void dg_pulse_params_init(struct dg_pulse_params *p);

struct dg_pulse_site {
	dg_dec pulse_kwh;	/* kWh per pulse, > 0 */
	int counter_bits;	/* 1..62 */
	double peak_kw;		/* 0 when unknown */
};

struct dg_pulse_interval {
	dg_time start;
	int known;		/* energy and demand are set */
	dg_dec energy_kwh, demand_kw;
	unsigned flags;
	long line;		/* the input line of the reading
				 * that closes it */
};

struct dg_pulse_stats {
	long intervals;
	long flagged[DG_PF_NFLAGS];	/* intervals per flag */
	long dropped_duplicates;
	long reordered;
	long rollovers, resets;
};

typedef int (*dg_pulse_emit_fn)(void *arg, const struct dg_pulse_interval *iv);

/* The pulses from a cumulative reading prev to the next, cur, dt seconds
 * later, on a counter of s->counter_bits bits: cur - prev; when cur is
 * below prev, the count across a wrap at 2^bits if that is plausible
 * (the demand it gives is at most limit_kw, or with no limit (0) the
 * count is below half the counter's range): DG_PF_ROLLOVER; else the
 * counter was reset and the pulses are unknown: DG_PF_RESET, *pulses 0.
 * Returns the flag, 0 for a plain difference.  The rule of
 * dg_pulse_site_run, for a reader that takes one reading at a time. */
unsigned dg_pulse_delta(const struct dg_pulse_site *s, double limit_kw,
    int64_t prev, int64_t cur, dg_time dt, int64_t *pulses);

/* Processes one site's readings (any order; r is sorted in place) and calls
 * emit for every output interval from the first boundary on or after the
 * first reading to the last boundary on or before the last reading, in
 * time order.  A non-zero return of emit stops the run and is returned.
 * DG_EDATA for overlapping count intervals, DG_ERANGE for readings more
 * than max_span_s apart or an interval whose energy does not fit a
 * decimal (a counter of absurd size), each with *bad saying which and
 * the line. */
struct dg_pulse_bad {
	long line;		/* the reading named */
	enum {
		DG_PULSE_OVERLAP = 1,	/* DG_EDATA: count intervals overlap */
		DG_PULSE_SPAN,		/* DG_ERANGE: readings
					 * max_span_s apart */
		DG_PULSE_ENERGY		/* DG_ERANGE: an interval's energy (or
					 * demand) past the decimals' range */
	} what;
};
int dg_pulse_site_run(const struct dg_pulse_params *p,
    const struct dg_pulse_site *site, struct dg_pulse_reading *r, size_t n,
    dg_pulse_emit_fn emit, void *arg, struct dg_pulse_stats *stats,
    struct dg_pulse_bad *bad);

/* --- Reading pulse files ----------------------------------------------
 *
 * The one reader of `site,time,pulses` files (dg-pulse2kwh and its
 * fuzzer): rows in any order; each site's meter from a lookup; a count
 * checked against the meter's counter width; naive stamps told apart by
 * the site's previous reading in the input or by a zone column (EDT/EST).
 * Sites come out in the order of their first rows, each site's readings
 * in input order.  Rows grouped by site are read as they come, in memory
 * bounded by one site's readings; rows in another order (ordered by time,
 * all sites interleaved) are sorted first in bounded memory, sorted runs
 * spilled to $TMPDIR (as dg_series.h does).  Which it is shows in the
 * first DG_PULSE_SNIFF_BYTES of rows; a site seen again later, after
 * other sites, is an error unless .sort asked for the sort. */

/* Bytes of rows (as the sort counts them) looked at before rows grouped
 * by site are taken to be grouped. */
#define DG_PULSE_SNIFF_BYTES ((size_t)4 << 20)

/* The meter of site: fills *ps and returns an index, unique per site and
 * below the reader's nsites, or -1 for a site it does not know. */
typedef long (*dg_pulse_meter_fn)(void *arg, const char *site,
    struct dg_pulse_site *ps);
/* The lookup of a sites file (arg: const struct dg_sites *): pulse_kwh,
 * counter_bits (62 when empty), peak_kw (0 when empty). */
long dg_pulse_sites_meter(void *arg, const char *site,
    struct dg_pulse_site *ps);

struct dg_pulse_input_opts {
	dg_pulse_meter_fn meter;
	void *meter_arg;
	size_t nsites;		/* the meter's indexes are below this */
	const char *sites_name;	/* named in "unknown site" messages */
	int counts;		/* readings are counts: no counter width */
	const char *zone_col;	/* a column of EDT/EST for naive stamps */
	int sort;		/* sort every row, whatever the order seen */
	size_t sniff_bytes;	/* 0: DG_PULSE_SNIFF_BYTES (tests set less) */
};

/* One site's readings, valid until the next call. */
struct dg_pulse_batch {
	const char *site;
	struct dg_pulse_site meter;
	struct dg_pulse_reading *r;
	size_t n;
};

struct dg_pulse_input;
/* Opens path and checks its header (site, time, pulses and the zone
 * column).  Errors go to err, as dg_csv's do. */
int dg_pulse_input_open(struct dg_pulse_input **in, const char *path,
    const struct dg_pulse_input_opts *po, const struct dg_csv_opts *o,
    struct dg_error *err);
/* The next site's readings: DG_OK, DG_EOF after the last site, or an
 * error at a row (an unknown site, a site seen again after the rows were
 * found grouped, a bad stamp or count), DG_ENOMEM, or the sort's
 * DG_ECREATE or DG_EIO (a temporary file). */
int dg_pulse_input_next(struct dg_pulse_input *in, struct dg_pulse_batch *b);
/* Whether the rows were not grouped by site (and were sorted). */
int dg_pulse_input_sorted(const struct dg_pulse_input *in);
/* dg_pulse_site_run on a batch (b->r is sorted in place), with a refusal
 * set in the reader's error at the reading named (file:line, column). */
int dg_pulse_input_run(struct dg_pulse_input *in,
    const struct dg_pulse_params *p, struct dg_pulse_batch *b,
    dg_pulse_emit_fn emit, void *arg, struct dg_pulse_stats *stats);
struct dg_csv *dg_pulse_input_csv(struct dg_pulse_input *in);
void dg_pulse_input_close(struct dg_pulse_input *in);

/* "ok", or the flags joined by ';' (gap;rollover ...). */
const char *dg_pulse_flags_format(unsigned flags, char *buf, size_t n);
const char *dg_pulse_flag_name(int bit);

#ifdef __cplusplus
}
#endif
#endif
