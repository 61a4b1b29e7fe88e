/* dg_series.h: reading a time series grouped by site, one site at a time.
 *
 * Input like `site,time,load_kw`, in any order.  Rows grouped by site
 * (within a site any order, sorted here) are read as they come, in memory
 * bounded by one site's series; rows in any other order (an export by
 * time, all sites interleaved) are sorted first, with bounded memory
 * (sorted runs spilled to $TMPDIR, lib/dg_extsort.h).  Which it is shows
 * in the first DG_SERIES_SNIFF_BYTES of rows; a site seen again later,
 * after other sites, is an error unless .sort asked for the sort from the
 * start.  Sites come out in the order of their first row.  Sub-hourly input is
 * integrated to hourly values when asked; the site's interval length is
 * the most common spacing of its stamps, and an hour is complete only when
 * all of its intervals are there (incomplete hours are left out and
 * counted).  Memory: one site's series.
 *
 * Values are exact decimals as read (dg_point.x), with a double beside
 * them (v) for statistics.  An empty value is a missing reading: the point
 * is left out and counted (missing), never an error here; a caller's
 * --strict makes it one.
 *
 * Loads carry their unit (.load): a column whose name ends in `_kw` (or
 * is `kW`) is demand, averaged to the hour; `_kwh` (or `kWh`) is energy
 * per interval, summed to the hour.  Either way a load series holds kW: an
 * hour's energy in kWh is its mean demand in kW, and a sub-hourly energy
 * reading is converted to its interval's mean demand.  A column without a
 * unit needs .unit; a .unit or .sum that contradicts the name is
 * DG_EINVAL naming the column. */
#ifndef DG_SERIES_H
#define DG_SERIES_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_point {
	dg_time t;		/* interval start */
	double v;		/* x as a double */
	dg_dec x;		/* the value, exact */
	long line;		/* input line (first line of the hour) */
	int missing;		/* a hole (only with .keep_missing): x is 0 */
};

struct dg_series {
	char *site;		/* this site's name */
	struct dg_point *p;	/* sorted by time, no repeated instant */
	size_t n, cap;
	int step_s;		/* spacing of the points: 3600 when hourly */
	long incomplete;	/* hours left out for missing sub-intervals */
	long missing;		/* readings with an empty value, left out */
	long missing_line;	/* the first of them */
};

/* The unit of a load column. */
enum dg_series_unit {
	DG_SERIES_UNIT_NAME = 0,	/* from the column's name */
	DG_SERIES_UNIT_KW,		/* demand: averaged */
	DG_SERIES_UNIT_KWH		/* energy per interval: summed */
};
/* The unit a column's name carries: DG_SERIES_UNIT_KW, _KWH, or
 * DG_SERIES_UNIT_NAME when it carries none. */
int dg_series_unit_of(const char *column);
struct dg_series_opts;
/* The unit of a load column by the rules above: from the name of
 * so->value_col, or so->unit (and so->sum), which must agree; a stream
 * reader that does not use dg_series (dg-track) applies the same.
 * DG_SERIES_UNIT_KW or _KWH in *unit, or DG_EINVAL naming file and the
 * column. */
int dg_series_load_unit(const struct dg_series_opts *so, const char *file,
    int *unit, struct dg_error *err);
/* Hourly means of sub-hourly demand are exact when they end within this
 * many more decimals than the readings, else rounded once to
 * DG_SERIES_MEAN_SCALE decimals (whichever is more). */
#define DG_SERIES_MEAN_EXTRA 2
/* Rows looked at before deciding that the input is grouped by site. */
#define DG_SERIES_SNIFF_BYTES ((size_t)4 << 20)
#define DG_SERIES_MEAN_SCALE 6

struct dg_series_reader;

struct dg_series_opts {
	const char *key_col;	/* "site" unless set */
	const char *time_col;	/* "time" unless set */
	const char *value_col;	/* required, e.g. "load_kw" */
	int hourly;		/* integrate sub-hourly input to hourly */
	int sum;		/* hourly = sum of the intervals (energy), not
				 * mean; for a load, the same as unit KWH */
	const char *zone_col;	/* optional EDT/EST column for naive stamps */
	int64_t max_span_s;	/* two readings of a site further apart: an
				 * error (a mistyped year); 0: any */
	const char *site;	/* a file of one site: its name (no key column
				 * needed; one there is ignored) */
	int load;		/* a load: unit rules above, values in kW */
	int unit;		/* enum dg_series_unit, for a load */
	int stamp_end;		/* stamps label the END of their interval (HE,
				 * "hour ending"): moved back one interval */
	int sort;		/* sort every row, whatever the order seen */
	size_t sniff_bytes;	/* 0: DG_SERIES_SNIFF_BYTES (tests set less) */
	int keep_missing;	/* keep holes as points with .missing set (an
				 * hour with one is still incomplete) */
	const char *line_col;	/* a column with each row's line in the
				 * original file (a reshaped file,
				 * dg_import.h) */
};

int dg_series_open(struct dg_series_reader **sr, const char *path,
    const struct dg_series_opts *so, const struct dg_csv_opts *o,
    struct dg_error *err);
/* Opens path; DG_EINVAL (a usage error naming the column) when a load's
 * unit is unknown or contradicted (see above).  dg_series_open_fp reads
 * fp (not closed), named name in messages. */
int dg_series_open_fp(struct dg_series_reader **sr, FILE *fp,
    const char *name, const struct dg_series_opts *so,
    const struct dg_csv_opts *o, struct dg_error *err);
/* Next site's series into s (its storage is reused): DG_OK, DG_EOF after
 * the last site, or an error: a site seen again after another (unsorted
 * input), a repeated instant with a different value, a bad value, two
 * readings more than max_span_s apart. */
int dg_series_next(struct dg_series_reader *sr, struct dg_series *s);
void dg_series_close(struct dg_series_reader *sr);
void dg_series_release(struct dg_series *s);
struct dg_csv *dg_series_csv(struct dg_series_reader *sr);
/* Whether the rows were not grouped by site (and were sorted). */
int dg_series_sorted(const struct dg_series_reader *sr);
/* Index of the point at instant t, or -1 (binary search). */
long dg_series_find(const struct dg_series *s, dg_time t);

#ifdef __cplusplus
}
#endif
#endif
