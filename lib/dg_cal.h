/* dg_cal.h: the market calendar: weekdays, NERC holidays, capability
 * periods, and a set of extra holidays read from a file. */
#ifndef DG_CAL_H
#define DG_CAL_H

#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Saturday or Sunday. */
int dg_cal_is_weekend(dg_date d);
/* The NERC holiday on date d, or NULL.  NERC's six: New Year's Day,
 * Memorial Day (last Monday of May), Independence Day, Labor Day (first
 * Monday of September), Thanksgiving (fourth Thursday of November),
 * Christmas.  A holiday on a Sunday is observed the Monday after; one on a
 * Saturday is not moved. */
const char *dg_cal_nerc_holiday(dg_date d);

/* NYISO capability periods: summer May-October, winter November-April.
 * year is the year the period starts in (winter 2003 = Nov 2003-Apr 2004). */
struct dg_capper {
	int summer;
	int year;
};
struct dg_capper dg_cal_capability_period(dg_date d);
/* "Summer 2003" or "Winter 2003-2004". */
int dg_cal_capper_format(struct dg_capper p, char *buf, size_t n);

/* A set of holidays: the NERC ones (unless disabled) and extra dates. */
struct dg_holidays {
	int nerc;		/* count NERC holidays */
	dg_date *extra;
	size_t n, cap;
};
void dg_holidays_init(struct dg_holidays *h, int nerc);
void dg_holidays_release(struct dg_holidays *h);
int dg_holidays_add(struct dg_holidays *h, dg_date d);
int dg_holidays_contains(const struct dg_holidays *h, dg_date d);
/* Reads a CSV with a `date` column (YYYY-MM-DD); other columns ignored. */
struct dg_csv_opts;
struct dg_error;
int dg_holidays_read(struct dg_holidays *h, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);

/* Day types of the market rules. */
enum dg_daytype { DG_WEEKDAY, DG_SATURDAY, DG_SUNDAY, DG_HOLIDAY };
enum dg_daytype dg_cal_daytype(dg_date d, const struct dg_holidays *h);

#ifdef __cplusplus
}
#endif
#endif
