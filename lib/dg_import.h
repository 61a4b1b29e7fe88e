/* dg_import.h: meter exports in wide layouts, reshaped to the narrow one.
 *
 * The reading contract (dg_series.h) reads narrow rows: a site, a stamp,
 * a value.  Exports come wide too:
 *   DG_IMPORT_SITES  one row per interval: a time column, then one column
 *                    per site (the column's name is the site's);
 *   DG_IMPORT_DAYS   one row per site and day: a site column (or one site
 *                    a file), a date column, then the day's intervals in
 *                    order, 24, 48, 96 or 288 of them (hourly to
 *                    5-minute).  A column's place says its interval,
 *                    whatever its label (HE1 and 00:00 both name the first
 *                    interval).  On a spring-forward day the intervals of
 *                    the skipped hour must be empty; a fall-back day's
 *                    repeated hour is read from the extra columns after
 *                    the day's (25, 50, 100 or 300 columns: the second
 *                    pass of the hour), which must be empty on other days.
 * dg_import_reshape writes the narrow rows `site,time,VALUE` (VALUE the
 * column name given: load_kw or load_kwh, so that the unit rules apply)
 * with each stamp an instant with its UTC offset, so that dg_series reads
 * them with every option of the contract.  Empty cells stay empty (holes). */
#ifndef DG_IMPORT_H
#define DG_IMPORT_H

#include <stdio.h>

#include "dg_csv.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dg_import_layout {
	DG_IMPORT_NARROW = 0,	/* already narrow: nothing to reshape */
	DG_IMPORT_SITES,
	DG_IMPORT_DAYS
};

struct dg_import_opts {
	int layout;		/* enum dg_import_layout */
	const char *time_col;	/* SITES: "time" unless set */
	const char *site_col;	/* DAYS: "site" unless set */
	const char *site;	/* DAYS: a file of one site (no site column) */
	const char *date_col;	/* DAYS: "date" unless set */
	const char *value_col;	/* the name written for the value column */
};

/* Reads path (the CSV options o: delimiter, the zone of naive stamps) and
 * writes the narrow rows to out.  Errors name the input's line and
 * column. */
int dg_import_reshape(const char *path, const struct dg_import_opts *io,
    const struct dg_csv_opts *o, FILE *out, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
