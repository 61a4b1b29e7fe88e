/* dg_weather.h: a weather file (`station,time,temp_f[,rh_pct]`) read by
 * station: the reader that dg-forecast and dg-gencost share.
 *
 * A file with a station column is read with dg_series (key "station"):
 * rows of one station together, any order within it, an identical repeated
 * row dropped, a repeated instant with another value an error, and, when
 * asked, sub-hourly readings integrated to hourly means (complete hours
 * only).  A file without a station column (allowed when the caller says
 * so) is one station named "": its rows need not be sorted; a repeated
 * hour is an error.  The library reads with dg_csv and never prints. */
#ifndef DG_WEATHER_H
#define DG_WEATHER_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_series.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The readings a weather file may hold: a temperature beyond the records
 * ever measured on Earth (-128.6 and 134.1 F) by a margin, or a relative
 * humidity outside 0-100 %, is a bad reading, refused at its row. */
#define DG_WEATHER_TEMP_MIN_F (-150.0)
#define DG_WEATHER_TEMP_MAX_F 150.0

struct dg_weather_opts {
	int rh;			/* read rh_pct as well (a second pass) */
	int hourly;		/* sub-hourly readings to hourly means */
	int need_station;	/* a file without a station
				 * column is an error */
};
void dg_weather_opts_init(struct dg_weather_opts *wo);	/* all 0 */

struct dg_weather_station {
	char *name;		/* "" for a file without a station column */
	struct dg_point *temp;	/* temp_f, sorted by time */
	size_t ntemp;
	struct dg_point *rh;	/* rh_pct (when asked), sorted by time */
	size_t nrh;
	long line;		/* the line of its first row */
};

struct dg_weather {
	struct dg_weather_station *v;	/* in file order */
	size_t n, cap;
	int keyed;			/* the file has a station column */
};

/* Reads path ("-": standard input, which must then have the station
 * column).  Errors: those of dg_csv and dg_series (file, line, column), a
 * reading out of range (DG_EDATA at its row), DG_ENOMEM. */
int dg_weather_read(struct dg_weather *w, const char *path,
    const struct dg_weather_opts *wo, const struct dg_csv_opts *o,
    struct dg_error *err);
void dg_weather_release(struct dg_weather *w);
/* The station called name, or NULL. */
const struct dg_weather_station *dg_weather_find(const struct dg_weather *w,
    const char *name);
/* The temperature at instant t: 1 (in *temp_f) or 0 when there is none. */
int dg_weather_temp_at(const struct dg_weather_station *s, dg_time t,
    double *temp_f);

#ifdef __cplusplus
}
#endif
#endif
