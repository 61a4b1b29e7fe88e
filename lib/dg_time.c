/* dg_time.c: instants, local time in the process zone, dates. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dg_status.h"
#include "dg_time.h"

static char tzname_buf[128] = "";
static unsigned tz_generation = 1;	/* counts dg_tz_set calls */

/* Howard Hinnant's days_from_civil and civil_from_days. */
dg_date
dg_date_from_ymd(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (dg_date)(era * 146097 + doe - 719468);
}

void
dg_date_to_ymd(dg_date z0, int *year, int *mon, int *mday)
{
	int64_t z = (int64_t)z0 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp + (mp < 10 ? 3 : -9);

	*year = (int)(y + (m <= 2));
	*mon = (int)m;
	*mday = (int)d;
}

int
dg_date_wday(dg_date d)
{
	int64_t w = ((int64_t)d + 4) % 7;	/* 1970-01-01 was a Thursday */

	return (int)(w < 0 ? w + 7 : w);
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
dg_tz_set(const char *name)
{
	char path[512];

	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(tzname_buf))
		return DG_EINVAL;
	if (strcmp(name, "UTC") != 0) {
		if (name[0] == '/' || strstr(name, "..") != NULL)
			return DG_EINVAL;
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
		if (access(path, R_OK) != 0)
			return DG_EINVAL;
	}
	if (setenv("TZ", name, 1) != 0)
		return DG_ENOMEM;
	tzset();
	tz_generation++;
	memcpy(tzname_buf, name, strlen(name) + 1);
	return DG_OK;
}

const char *
dg_tz_name(void)
{
	if (tzname_buf[0] == '\0')
		dg_tz_set(DG_TZ_DEFAULT);
	return tzname_buf;
}

static void
ensure_tz(void)
{
	if (tzname_buf[0] == '\0')
		dg_tz_set(DG_TZ_DEFAULT);
}

/* localtime_r, the slow way (glibc walks the zone's transitions every
 * call). */
static int
local_libc(dg_time t, struct dg_local *lt)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		return DG_ERANGE;
	lt->year = tm.tm_year + 1900;
	lt->mon = tm.tm_mon + 1;
	lt->mday = tm.tm_mday;
	lt->hour = tm.tm_hour;
	lt->min = tm.tm_min;
	lt->sec = tm.tm_sec;
	lt->wday = tm.tm_wday;
	lt->offset = (int)tm.tm_gmtoff;
	lt->isdst = tm.tm_isdst > 0;
	{
		const char *z = tm.tm_zone ? tm.tm_zone : "";
		size_t k = strlen(z);

		if (k >= sizeof(lt->abbr))
			k = sizeof(lt->abbr) - 1;
		memcpy(lt->abbr, z, k);
		lt->abbr[k] = '\0';
	}
	return DG_OK;
}

/* The offsets of UTC hours, remembered: an hour whose first and last
 * seconds have the same offset, DST flag and abbreviation has them all
 * through (no zone changes twice within an hour), so any instant of it
 * converts by arithmetic.  Direct-mapped by hour, two years of hours;
 * forgotten when the zone changes.  Instants from 1900 to 2200 only. */
#define HOUR_SLOTS 17520
#define CACHE_LO (-2208988800LL)	/* 1900-01-01T00:00Z */
#define CACHE_HI 7258118400LL		/* 2200-01-01T00:00Z */
static struct hour_slot {
	int64_t hour;			/* UTC hour index + 1; 0: empty */
	int32_t offset;
	int8_t isdst;
	char abbr[8];
} hour_cache[HOUR_SLOTS];
static unsigned cache_generation;

/* The remembered hour of t, or NULL when t is outside 1900-2200 or its
 * hour has a change of offset (then ask libc). */
static const struct hour_slot *
hour_of(dg_time t)
{
	struct hour_slot *c;
	int64_t h;

	ensure_tz();
	if (t < CACHE_LO || t >= CACHE_HI)
		return NULL;
	if (cache_generation != tz_generation) {
		memset(hour_cache, 0, sizeof(hour_cache));
		cache_generation = tz_generation;
	}
	h = (t - CACHE_LO) / 3600;
	c = &hour_cache[h % HOUR_SLOTS];
	if (c->hour != h + 1) {
		struct dg_local a, b;
		dg_time start = CACHE_LO + h * 3600;

		if (local_libc(start, &a) != DG_OK ||
		    local_libc(start + 3599, &b) != DG_OK)
			return NULL;
		if (a.offset != b.offset || a.isdst != b.isdst ||
		    strcmp(a.abbr, b.abbr) != 0)
			return NULL;
		c->hour = h + 1;
		c->offset = a.offset;
		c->isdst = (int8_t)a.isdst;
		memcpy(c->abbr, a.abbr, sizeof(c->abbr));
	}
	return c;
}

int
dg_time_local(dg_time t, struct dg_local *lt)
{
	const struct hour_slot *c = hour_of(t);
	int64_t wall, days, sec;

	if (c == NULL)
		return local_libc(t, lt);
	wall = t + c->offset;
	days = (wall >= 0 ? wall : wall - 86399) / 86400;
	sec = wall - days * 86400;
	dg_date_to_ymd((dg_date)days, &lt->year, &lt->mon, &lt->mday);
	lt->hour = (int)(sec / 3600);
	lt->min = (int)(sec / 60 % 60);
	lt->sec = (int)(sec % 60);
	lt->wday = dg_date_wday((dg_date)days);
	lt->offset = c->offset;
	lt->isdst = c->isdst;
	memcpy(lt->abbr, c->abbr, sizeof(lt->abbr));
	return DG_OK;
}

static int
offset_at(dg_time t)
{
	struct dg_local lt;

	if (dg_time_local(t, &lt) != DG_OK)
		return 0;
	return lt.offset;
}

/* The instants whose local wall time is u (wall seconds since the epoch):
 * none (a gap), one, or two (the repeated hour), in order. */
static int
wall_to_instants(int64_t u, dg_time out[2])
{
	int cand[3], nc = 0, n = 0;
	int64_t probes[3] = { u - 86400, u, u + 86400 };

	ensure_tz();
	for (int i = 0; i < 3; i++) {
		int o = offset_at(probes[i]);
		int dup = 0;

		for (int j = 0; j < nc; j++)
			dup |= cand[j] == o;
		if (!dup)
			cand[nc++] = o;
	}
	for (int i = 0; i < nc; i++) {
		dg_time t = u - cand[i];

		if (offset_at(t) == cand[i]) {
			int dup = 0;

			for (int j = 0; j < n; j++)
				dup |= out[j] == t;
			if (!dup && n < 2)
				out[n++] = t;
		}
	}
	if (n == 2 && out[1] < out[0]) {
		dg_time x = out[0];

		out[0] = out[1];
		out[1] = x;
	}
	return n;
}

int
dg_time_from_local(int year, int mon, int mday, int hour, int min, int sec,
    dg_time *out)
{
	dg_time c[2];
	int64_t u = (int64_t)dg_date_from_ymd(year, mon, mday) * 86400 +
	    hour * 3600 + min * 60 + sec;

	if (wall_to_instants(u, c) == 0)
		return DG_EDATA;
	*out = c[0];
	return DG_OK;
}

/* Reads exactly n digits at s[*i]. */
static int
digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0;

	if (*i + (size_t)n > len)
		return -1;
	for (int k = 0; k < n; k++) {
		char c = s[*i + (size_t)k];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)n;
	*out = v;
	return 0;
}

static int
expect(const char *s, size_t len, size_t *i, char c)
{
	if (*i < len && s[*i] == c) {
		(*i)++;
		return 0;
	}
	return -1;
}

int
dg_time_parse(const char *s, size_t len, int allow_naive,
    struct dg_tstamp *ts, const char **why)
{
	size_t i = 0;
	int y, mo, d, h, mi, se = 0, off = 0, has_off = 0;
	int64_t u;

	*why = "not a date-time";
	if (len >= 10 && s[2] == '/') {
		/* MM/DD/YYYY HH:MM[:SS] */
		if (digits(s, len, &i, 2, &mo) || expect(s, len, &i, '/') ||
		    digits(s, len, &i, 2, &d) || expect(s, len, &i, '/') ||
		    digits(s, len, &i, 4, &y) || expect(s, len, &i, ' '))
			return DG_EDATA;
	} else {
		if (digits(s, len, &i, 4, &y) || expect(s, len, &i, '-') ||
		    digits(s, len, &i, 2, &mo) || expect(s, len, &i, '-') ||
		    digits(s, len, &i, 2, &d))
			return DG_EDATA;
		if (i >= len || (s[i] != 'T' && s[i] != ' '))
			return DG_EDATA;
		i++;
	}
	if (digits(s, len, &i, 2, &h) || expect(s, len, &i, ':') ||
	    digits(s, len, &i, 2, &mi))
		return DG_EDATA;
	if (i < len && s[i] == ':' &&
	    (i++, digits(s, len, &i, 2, &se)))
		return DG_EDATA;
	if (i < len) {
		int oh, om = 0, sign;

		if (s[i] == 'Z' && i + 1 == len) {
			has_off = 1;
			i++;
		} else if (s[i] == '+' || s[i] == '-') {
			sign = s[i++] == '-' ? -1 : 1;
			if (digits(s, len, &i, 2, &oh))
				return DG_EDATA;
			if (i < len && s[i] == ':')
				i++;
			if (i < len && digits(s, len, &i, 2, &om))
				return DG_EDATA;
			if (i != len || oh > 18 || om > 59)
				return DG_EDATA;
			off = sign * (oh * 3600 + om * 60);
			has_off = 1;
		} else
			return DG_EDATA;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || se > 59) {
		*why = "date-time out of range";
		return DG_EDATA;
	}
	if (y < 1900) {
		*why = "date-time before 1900";
		return DG_EDATA;
	}
	u = (int64_t)dg_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	memset(ts, 0, sizeof(*ts));
	if (has_off) {
		struct dg_local lt;

		ts->t = ts->t2 = u - off;
		/* Local time before 1900 is out too (before standard zones New
		 * York kept local mean time, -04:56:02, until 1883: an offset
		 * in whole minutes could not write such an instant back).  Only
		 * the first days of 1900 need the zone asked (no zone is two
		 * days off UTC): the zone's rules cost a fifth of reading a
		 * load file. */
		if (ts->t < -2208816000 /* 1900-01-03T00:00:00Z */ &&
		    (dg_time_local(ts->t, &lt) != DG_OK || lt.year < 1900)) {
			*why = "date-time before 1900";
			return DG_EDATA;
		}
		return DG_OK;
	}
	if (!allow_naive) {
		*why = "no UTC offset in time stamp (give --tz ZONE)";
		return DG_EDATA;
	}
	{
		dg_time c[2];
		int n = wall_to_instants(u, c);
		struct dg_local lt;

		if (n == 0) {
			*why = "local time does not exist (skipped by daylight saving)";
			return DG_EDATA;
		}
		ts->naive = 1;
		ts->t = c[0];
		ts->t2 = n == 2 ? c[1] : c[0];
		ts->ambiguous = n == 2;
		dg_time_local(ts->t, &lt);
		memcpy(ts->abbr, lt.abbr, sizeof(ts->abbr));
		dg_time_local(ts->t2, &lt);
		memcpy(ts->abbr2, lt.abbr, sizeof(ts->abbr2));
	}
	return DG_OK;
}

dg_time
dg_tstamp_pick(const struct dg_tstamp *ts, dg_time prev)
{
	if (!ts->ambiguous || ts->t > prev)
		return ts->t;
	if (ts->t2 > prev)
		return ts->t2;
	return ts->t;
}

int
dg_tstamp_pick_abbr(const struct dg_tstamp *ts, const char *abbr, size_t len,
    dg_time *out)
{
	if (!ts->naive) {
		*out = ts->t;
		return DG_OK;
	}
	if (strlen(ts->abbr) == len && memcmp(ts->abbr, abbr, len) == 0) {
		*out = ts->t;
		return DG_OK;
	}
	if (strlen(ts->abbr2) == len && memcmp(ts->abbr2, abbr, len) == 0) {
		*out = ts->t2;
		return DG_OK;
	}
	return DG_EDATA;
}

static char *
put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

int
dg_time_format(dg_time t, char *buf, size_t n)
{
	struct dg_local lt;
	int off, a;
	char tmp[DG_TIME_BUFSZ], *p = tmp;

	if (dg_time_local(t, &lt) != DG_OK || lt.year < 0 || lt.year > 9999)
		return snprintf(buf, n, "?");
	off = lt.offset;
	a = off < 0 ? -off : off;
	/* by hand: this is on every output row */
	p = put2(p, lt.year / 100);
	p = put2(p, lt.year % 100);
	*p++ = '-';
	p = put2(p, lt.mon);
	*p++ = '-';
	p = put2(p, lt.mday);
	*p++ = 'T';
	p = put2(p, lt.hour);
	*p++ = ':';
	p = put2(p, lt.min);
	*p++ = ':';
	p = put2(p, lt.sec);
	*p++ = off < 0 ? '-' : '+';
	p = put2(p, a / 3600);
	*p++ = ':';
	p = put2(p, a % 3600 / 60);
	*p = '\0';
	if ((size_t)(p - tmp) >= n)
		return snprintf(buf, n, "?");
	memcpy(buf, tmp, (size_t)(p - tmp) + 1);
	return (int)(p - tmp);
}

int
dg_time_format_nyiso(dg_time t, char *buf, size_t n)
{
	struct dg_local lt;

	if (dg_time_local(t, &lt) != DG_OK)
		return snprintf(buf, n, "?");
	return snprintf(buf, n, "%02d/%02d/%04d %02d:%02d", lt.mon, lt.mday,
	    lt.year, lt.hour, lt.min);
}

dg_time
dg_time_floor(dg_time t, int step)
{
	int64_t w;

	ensure_tz();
	w = (t + offset_at(t)) % step;
	if (w < 0)
		w += step;
	return t - w;
}

int
dg_date_parse(const char *s, size_t len, dg_date *out)
{
	size_t i = 0;
	int y, m, d;

	if (len == 10 && s[2] == '/') {
		if (digits(s, len, &i, 2, &m) || expect(s, len, &i, '/') ||
		    digits(s, len, &i, 2, &d) || expect(s, len, &i, '/') ||
		    digits(s, len, &i, 4, &y))
			return DG_EDATA;
	} else if (len == 10) {
		if (digits(s, len, &i, 4, &y) || expect(s, len, &i, '-') ||
		    digits(s, len, &i, 2, &m) || expect(s, len, &i, '-') ||
		    digits(s, len, &i, 2, &d))
			return DG_EDATA;
	} else
		return DG_EDATA;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return DG_EDATA;
	*out = dg_date_from_ymd(y, m, d);
	return DG_OK;
}

int
dg_date_format(dg_date d, char *buf, size_t n)
{
	int y, m, dd;

	dg_date_to_ymd(d, &y, &m, &dd);
	return snprintf(buf, n, "%04d-%02d-%02d", y, m, dd);
}

dg_date
dg_date_of(dg_time t)
{
	const struct hour_slot *c = hour_of(t);
	struct dg_local lt;

	if (c != NULL) {
		int64_t wall = t + c->offset;

		return (dg_date)((wall >= 0 ? wall : wall - 86399) / 86400);
	}
	dg_time_local(t, &lt);
	return dg_date_from_ymd(lt.year, lt.mon, lt.mday);
}

int
dg_date_start(dg_date d, dg_time *out)
{
	int y, m, dd;
	dg_time c[2];

	dg_date_to_ymd(d, &y, &m, &dd);
	/* Midnight, or where a zone skips midnight, the first minute after. */
	for (int min = 0; min < 24 * 60; min++) {
		int64_t u = (int64_t)d * 86400 + min * 60;

		if (wall_to_instants(u, c) > 0) {
			*out = c[0];
			return DG_OK;
		}
	}
	return DG_EINTERNAL;
}

int
dg_date_hours(dg_date d)
{
	dg_time a, b;

	if (dg_date_start(d, &a) != DG_OK || dg_date_start(d + 1, &b) != DG_OK)
		return 24;
	return (int)((b - a) / 3600);
}

int
dg_time_hour_index(dg_time t)
{
	dg_time s;

	if (dg_date_start(dg_date_of(t), &s) != DG_OK)
		return 0;
	return (int)((t - s) / 3600);
}
