/* dg_series.h: reading a time series grouped by site, one site at a time.
 *
 * Input like `site,time,load_kw` sorted by site then time (rows of one site
 * together; within a site any order, sorted here).  Sub-hourly input is
 * integrated to hourly means when asked: an hour's value is the
 * mean (or with .sum the sum, for energy) of the intervals that fall in
 * it; the site's interval length is the most common spacing of its
 * stamps, and an hour is complete only when all of its intervals are
 * there (incomplete hours are left out and counted).  Memory: one site's
 * series. */
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
	double v;
	long line;		/* input line (first line of the hour) */
};

struct dg_series {
	char *site;		/* this site's name */
	struct dg_point *p;	/* sorted by time, no repeated instant */
	size_t n, cap;
	int step_s;		/* spacing of the points: 3600 when hourly */
	long incomplete;	/* hours left out for missing sub-intervals */
};

struct dg_series_reader;

struct dg_series_opts {
	const char *key_col;	/* "site" unless set */
	const char *time_col;	/* "time" unless set */
	const char *value_col;	/* required, e.g. "load_kw" */
	int hourly;		/* integrate sub-hourly input to hourly */
	int sum;		/* hourly = sum of the intervals (energy), not mean */
	const char *zone_col;	/* optional EDT/EST column for naive stamps */
	int64_t max_span_s;	/* two readings of a site further apart: an
				 * error (a mistyped year); 0: any */
};

int dg_series_open(struct dg_series_reader **sr, const char *path,
    const struct dg_series_opts *so, const struct dg_csv_opts *o,
    struct dg_error *err);
/* Next site's series into s (its storage is reused): DG_OK, DG_EOF after
 * the last site, or an error: a site seen again after another (unsorted
 * input), a repeated instant with a different value, a bad value, two
 * readings more than max_span_s apart. */
int dg_series_next(struct dg_series_reader *sr, struct dg_series *s);
void dg_series_close(struct dg_series_reader *sr);
void dg_series_release(struct dg_series *s);
struct dg_csv *dg_series_csv(struct dg_series_reader *sr);
/* Index of the point at instant t, or -1 (binary search). */
long dg_series_find(const struct dg_series *s, dg_time t);

#ifdef __cplusplus
}
#endif
#endif
