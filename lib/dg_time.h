/* dg_time.h: instants, zones, local time, dates.
 *
 * An instant (dg_time) is seconds since 1970-01-01T00:00:00Z.  A zone
 * (struct dg_zone) is read from the system's tzdata (TZif files under
 * $TZDIR or /usr/share/zoneinfo, the files glibc reads), or is a fixed
 * offset; zones are objects, so two are used at once: the market's zone
 * (set by dg_tz_set(); it defines local days, hours and the offsets
 * written) and, for reading naive stamps, the input's own zone (a meter
 * export in EST all year).  Nothing here touches the process's TZ.
 * Stamps are written ISO 8601 with the UTC offset, at the interval start:
 * 2003-08-14T14:00:00-04:00. */
#ifndef DG_TIME_H
#define DG_TIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t dg_time;	/* seconds since the epoch, UTC */
typedef int32_t dg_date;	/* days since 1970-01-01 (a civil date) */

#define DG_TIME_BUFSZ 32
#define DG_TZ_DEFAULT "America/New_York"

struct dg_zone;
/* A zone by name: a tzdata name ("America/New_York", "EST", "EST5EDT"),
 * "UTC", or a fixed offset east of UTC ("UTC-05:00", "-05:00", "+0530").
 * DG_EINVAL when unknown. */
int dg_zone_open(const char *name, struct dg_zone **z);
void dg_zone_free(struct dg_zone *z);
const char *dg_zone_name(const struct dg_zone *z);

/* Sets the market's zone, the zone of local time below (default
 * America/New_York).  DG_EINVAL when the zone is unknown. */
int dg_tz_set(const char *name);
const char *dg_tz_name(void);
struct dg_zone *dg_tz_zone(void);

/* A parsed stamp.  A naive local stamp in the repeated hour of a fall-back
 * day has two candidate instants: t (the earlier) and t2 (the later). */
struct dg_tstamp {
	dg_time t, t2;
	int naive;		/* written without a UTC offset */
	int ambiguous;		/* t != t2 */
	char abbr[8], abbr2[8];	/* zone abbreviations of t and t2 (naive) */
};

/* Accepted forms:
 *   2003-08-14T14:00:00-04:00   2003-08-14T14:00-04:00   ...Z   ...+0530
 *   2003-08-14 14:00:00-04:00   (a space for the T)
 * and, when allow_naive, local stamps in the zone:
 *   2003-08-14T14:00[:00]   2003-08-14 14:00[:00]
 *   08/14/2003 14:00[:00]   (NYISO's MM/DD/YYYY)
 * and what spreadsheets save: 2003/08/14 14:00, 8/14/2003 14:00 (month
 * first, as en-US), a one-digit hour (8/14/2003 2:00), seconds with a
 * fraction of zeros (14:00:00.000), a 12-hour clock (2:00 PM).
 * dg_time_parse reads naive stamps in the market's zone,
 * dg_time_parse_zone in zone (NULL: the market's).  On failure returns
 * DG_EDATA and sets *why to a static reason. */
int dg_time_parse(const char *s, size_t len, int allow_naive,
    struct dg_tstamp *ts, const char **why);
int dg_time_parse_zone(const char *s, size_t len, int allow_naive,
    struct dg_zone *zone, struct dg_tstamp *ts, const char **why);
/* The row-order rule for the repeated hour: the earlier candidate unless
 * it is not after prev and the later one is. */
dg_time dg_tstamp_pick(const struct dg_tstamp *ts, dg_time prev);
/* Picks by zone abbreviation ("EDT"/"EST", as NYISO's Time Zone column);
 * DG_EDATA if abbr names neither candidate. */
int dg_tstamp_pick_abbr(const struct dg_tstamp *ts, const char *abbr,
    size_t len, dg_time *out);

/* Local calendar fields of an instant. */
struct dg_local {
	int year, mon, mday;	/* mon 1-12 */
	int hour, min, sec;
	int wday;		/* 0 = Sunday */
	int offset;		/* seconds east of UTC */
	int isdst;
	char abbr[8];
};
int dg_time_local(dg_time t, struct dg_local *lt);
/* The same in zone z. */
int dg_zone_local(struct dg_zone *z, dg_time t, struct dg_local *lt);
/* Whether zone z (NULL: the market's) keeps one offset from instant a to
 * instant b (no change in between), and that offset: for a reader that
 * converts a day's wall clock by arithmetic. */
int dg_zone_stable(struct dg_zone *z, dg_time a, dg_time b, int *offset);
/* ISO 8601 with offset, local; returns the length. */
int dg_time_format(dg_time t, char *buf, size_t n);
/* The instant of a local wall time; DG_EDATA for a time that does not
 * exist (the spring-forward gap).  In the repeated hour, the earlier. */
int dg_time_from_local(int year, int mon, int mday, int hour, int min,
    int sec, dg_time *out);
/* Start of the local interval of length step seconds that holds t (step
 * divides a day; intervals are aligned in local wall time). */
dg_time dg_time_floor(dg_time t, int step);

/* Dates. */
dg_date dg_date_from_ymd(int year, int mon, int mday);
void dg_date_to_ymd(dg_date d, int *year, int *mon, int *mday);
int dg_date_wday(dg_date d);	/* 0 = Sunday */
/* YYYY-MM-DD, YYYY/MM/DD or M/D/YYYY (month first); DG_EDATA otherwise. */
int dg_date_parse(const char *s, size_t len, dg_date *out);
int dg_date_format(dg_date d, char *buf, size_t n);
/* The local date of an instant. */
dg_date dg_date_of(dg_time t);
/* Local midnight that starts date d (the first instant of the day). */
int dg_date_start(dg_date d, dg_time *out);
/* Hours in the local day d: 23, 24 or 25 (in US zones). */
int dg_date_hours(dg_date d);
/* Whole hours from local midnight to t: 0-based hour-beginning index,
 * 0..24 on a 25-hour day.  Hour ending label = index + 1. */
int dg_time_hour_index(dg_time t);

#ifdef __cplusplus
}
#endif
#endif
