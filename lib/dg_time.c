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
	static const int dm[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* --- Zones: the system's TZif files, read here ------------------------ */

/* glibc has no tzalloc(): its local time is that of one process-wide TZ.
 * A meter export's stamps may be in another zone (EST all year) than the
 * market's day, so zones are objects read from the TZif files (RFC 8536)
 * of the system's tzdata, the files glibc reads: the same rules, two zones
 * at once, and no setenv. */

struct ttype {
	int32_t off;		/* seconds east of UTC */
	int8_t isdst;
	char abbr[8];
};

/* A POSIX TZ rule (the TZif footer) for instants after the last
 * transition: "EST5EDT,M3.2.0,M11.1.0". */
struct prule {
	int kind;		/* 'M', 'J' or 'D' (a zero-based day) */
	int m, w, d;		/* Mm.w.d; for J and D, the day in d */
	int32_t secs;		/* local time of the change */
};
struct posix_tz {
	struct ttype std, dst;
	int has_dst;
	struct prule start, end;
};

struct dg_zone {
	char name[128];
	int64_t *trans;		/* transitions, UTC seconds, ascending */
	uint8_t *tidx;		/* the type from each transition on */
	size_t ntrans;
	struct ttype *types;
	size_t ntypes;
	size_t first;		/* the type before the first transition */
	int has_rule;
	struct posix_tz rule;
	/* the last answer: one type holds over [memo_lo, memo_hi) */
	dg_time memo_lo, memo_hi;
	struct ttype memo;
};

static struct dg_zone *market;	/* the zone of local time (dg_tz_set) */
static unsigned market_gen;	/* counts dg_tz_set calls */
static char market_name[128];

static int64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* [+-]hh[:mm[:ss]] into seconds; hh up to 167 (RFC 8536).  The end, or
 * NULL. */
static const char *
ptime(const char *s, int32_t *out)
{
	int sign = 1, h = 0, m = 0, sec = 0, n = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	while (*s >= '0' && *s <= '9' && n < 3)
		h = h * 10 + (*s++ - '0'), n++;
	if (n == 0 || h > 167)
		return NULL;
	if (*s == ':') {
		s++;
		if (s[0] < '0' || s[0] > '5' || s[1] < '0' || s[1] > '9')
			return NULL;
		m = (s[0] - '0') * 10 + s[1] - '0';
		s += 2;
		if (*s == ':') {
			s++;
			if (s[0] < '0' || s[0] > '5' || s[1] < '0' ||
			    s[1] > '9')
				return NULL;
			sec = (s[0] - '0') * 10 + s[1] - '0';
			s += 2;
		}
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *
pabbr(const char *s, char abbr[8])
{
	size_t n = 0;

	if (*s == '<') {
		s++;
		while (*s && *s != '>') {
			if (n < 7)
				abbr[n++] = *s;
			s++;
		}
		if (*s++ != '>')
			return NULL;
	} else {
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
			if (n < 7)
				abbr[n++] = *s;
			s++;
		}
	}
	abbr[n] = '\0';
	return n >= 3 ? s : NULL;
}

static const char *
pdate(const char *s, struct prule *r)
{
	int v[3] = { 0, 0, 0 }, k = 0;

	r->secs = 7200;
	if (*s == 'M') {
		r->kind = 'M';
		s++;
		for (;;) {
			int n = 0;

			if (*s < '0' || *s > '9')
				return NULL;
			while (*s >= '0' && *s <= '9' && n < 3)
				v[k] = v[k] * 10 + (*s++ - '0'), n++;
			if (++k == 3 || *s != '.')
				break;
			s++;
		}
		if (k != 3 || v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 5 ||
		    v[2] > 6)
			return NULL;
		r->m = v[0];
		r->w = v[1];
		r->d = v[2];
	} else {
		int n = 0;

		r->kind = *s == 'J' ? 'J' : 'D';
		if (*s == 'J')
			s++;
		if (*s < '0' || *s > '9')
			return NULL;
		while (*s >= '0' && *s <= '9' && n < 4)
			r->d = r->d * 10 + (*s++ - '0'), n++;
		if (r->d > 365 || (r->kind == 'J' && r->d < 1))
			return NULL;
	}
	if (*s == '/' && (s = ptime(s + 1, &r->secs)) == NULL)
		return NULL;
	return s;
}

/* A POSIX TZ string (offsets west of UTC, as POSIX writes them). */
static int
parse_posix(const char *s, struct posix_tz *tz)
{
	int32_t off;

	memset(tz, 0, sizeof(*tz));
	if ((s = pabbr(s, tz->std.abbr)) == NULL ||
	    (s = ptime(s, &off)) == NULL)
		return -1;
	tz->std.off = -off;
	if (*s == '\0')
		return 0;
	if ((s = pabbr(s, tz->dst.abbr)) == NULL)
		return -1;
	tz->has_dst = 1;
	tz->dst.isdst = 1;
	tz->dst.off = tz->std.off + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = ptime(s, &off)) == NULL)
			return -1;
		tz->dst.off = -off;
	}
	if (*s != ',')	/* no rule: POSIX's default is the US rule */
		return parse_posix(",M3.2.0,M11.1.0", tz) == 0 ? 0 : -1;
	if ((s = pdate(s + 1, &tz->start)) == NULL || *s != ',' ||
	    (s = pdate(s + 1, &tz->end)) == NULL || *s != '\0')
		return -1;
	return 0;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The local wall second (since the epoch) of rule r's change in year y. */
static int64_t
rule_wall(const struct prule *r, int y)
{
	dg_date d;

	if (r->kind == 'M') {
		dg_date first = dg_date_from_ymd(y, r->m, 1);
		int md = 1 + (r->d - dg_date_wday(first) + 7) % 7 +
		    (r->w - 1) * 7;

		if (md > days_in_month(y, r->m))
			md -= 7;
		d = first + md - 1;
	} else if (r->kind == 'J')
		d = dg_date_from_ymd(y, 1, 1) + r->d - 1 +
		    (leap(y) && r->d >= 60);
	else
		d = dg_date_from_ymd(y, 1, 1) + r->d;
	return (int64_t)d * 86400 + r->secs;
}

/* The type of instant t by the rule, and the span [lo, hi) it holds. */
static void
rule_type(const struct posix_tz *tz, dg_time t, struct ttype *out,
    dg_time *lo, dg_time *hi)
{
	struct { dg_time t; int dst; } b[6];
	int y, m, d, nb = 0, k = -1;

	if (!tz->has_dst) {
		*out = tz->std;
		*lo = INT64_MIN;
		*hi = INT64_MAX;
		return;
	}
	{
		int64_t w = t + tz->std.off;

		dg_date_to_ymd((dg_date)((w >= 0 ? w : w - 86399) / 86400), &y,
		    &m, &d);
	}
	/* the changes of the years around t: to DST at the start (given in
	 * standard time), back at the end (given in daylight time) */
	for (int yy = y - 1; yy <= y + 1; yy++) {
		dg_time s = rule_wall(&tz->start, yy) - tz->std.off;
		dg_time e = rule_wall(&tz->end, yy) - tz->dst.off;
		int first_s = s < e;

		b[nb].t = first_s ? s : e;
		b[nb++].dst = first_s;
		b[nb].t = first_s ? e : s;
		b[nb++].dst = !first_s;
	}
	for (int i = 0; i < nb && b[i].t <= t; i++)
		k = i;
	if (k < 0) {
		*out = b[0].dst ? tz->std : tz->dst;
		*lo = INT64_MIN;
		*hi = b[0].t;
	} else {
		*out = b[k].dst ? tz->dst : tz->std;
		*lo = b[k].t;
		*hi = k + 1 < nb ? b[k + 1].t : INT64_MAX;
	}
}

static void
zone_type(struct dg_zone *z, dg_time t, struct ttype *out)
{
	size_t lo = 0, hi = z->ntrans;

	if (t >= z->memo_lo && t < z->memo_hi) {
		*out = z->memo;
		return;
	}
	if (z->ntrans == 0 || t < z->trans[0]) {
		if (z->ntrans == 0 && z->has_rule) {
			rule_type(&z->rule, t, &z->memo, &z->memo_lo,
			    &z->memo_hi);
			*out = z->memo;
			return;
		}
		z->memo = z->types[z->first];
		z->memo_lo = INT64_MIN;
		z->memo_hi = z->ntrans ? z->trans[0] : INT64_MAX;
		*out = z->memo;
		return;
	}
	while (hi - lo > 1) {	/* the last transition at or before t */
		size_t mid = (lo + hi) / 2;

		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	if (lo + 1 == z->ntrans && z->has_rule) {
		dg_time rl, rh;

		rule_type(&z->rule, t, &z->memo, &rl, &rh);
		z->memo_lo = rl > z->trans[lo] ? rl : z->trans[lo];
		z->memo_hi = rh;
		*out = z->memo;
		return;
	}
	z->memo = z->types[z->tidx[lo]];
	z->memo_lo = z->trans[lo];
	z->memo_hi = lo + 1 < z->ntrans ? z->trans[lo + 1] : INT64_MAX;
	*out = z->memo;
}

static int
read_all(const char *path, unsigned char **buf, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	size_t cap = 0, n = 0, k;
	unsigned char *b = NULL;

	if (fp == NULL)
		return -1;
	do {
		if (n == cap) {
			unsigned char *q;

			cap = cap ? 2 * cap : 4096;
			if (cap > (1 << 22) || (q = realloc(b, cap)) == NULL) {
				free(b);
				fclose(fp);
				return -1;
			}
			b = q;
		}
		k = fread(b + n, 1, cap - n, fp);
		n += k;
	} while (k > 0);
	if (ferror(fp)) {
		free(b);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	*buf = b;
	*len = n;
	return 0;
}

/* The local time types of a TZif data block, z->ntypes of 6 bytes at t,
 * then their abbreviations (nchar bytes). */
static int
tzif_types(struct dg_zone *z, const unsigned char *t, size_t nchar)
{
	const unsigned char *chars = t + 6 * z->ntypes;

	for (size_t i = 0; i < z->ntypes; i++, t += 6) {
		size_t ai = t[5];

		z->types[i].off = (int32_t)be(t, 4);
		z->types[i].isdst = t[4] != 0;
		if (ai >= nchar)
			return -1;
		for (size_t k = 0; k < 7 && ai + k < nchar; k++) {
			char c = (char)chars[ai + k];

			z->types[i].abbr[k] = c;
			if (c == '\0')
				break;
		}
	}
	return 0;
}

/* The footer of a TZif file at b[off] (len bytes in all): "\nTZ\n", the
 * POSIX rule after the last transition, when there is one. */
static int
tzif_footer(struct dg_zone *z, const unsigned char *b, size_t off,
    size_t len)
{
	const unsigned char *e;
	char tz[128];
	size_t n;

	if (off >= len || b[off] != '\n')
		return 0;
	e = memchr(b + off + 1, '\n', len - off - 1);
	if (e != NULL && (n = (size_t)(e - (b + off + 1))) > 0 &&
	    n < sizeof(tz)) {
		memcpy(tz, b + off + 1, n);
		tz[n] = '\0';
		if (parse_posix(tz, &z->rule) != 0)
			return -1;
		z->has_rule = 1;
	}
	return 0;
}

/* The 64-bit data block of a TZif file (version 2 or later) into z. */
static int
parse_tzif(struct dg_zone *z, const unsigned char *b, size_t len)
{
	size_t cnt[6], off = 44, need;
	const unsigned char *h;

	if (len < 44 || memcmp(b, "TZif", 4) != 0 || b[4] < '2')
		return -1;
	for (int i = 0; i < 6; i++)
		cnt[i] = (size_t)be(b + 20 + 4 * i, 4);
	/* skip the 32-bit block: isut, isstd, leap, time, type, char counts */
	off += cnt[3] * 5 + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
	if (off + 44 > len || memcmp(b + off, "TZif", 4) != 0)
		return -1;
	h = b + off;
	for (int i = 0; i < 6; i++)
		cnt[i] = (size_t)be(h + 20 + 4 * i, 4);
	off += 44;
	need = cnt[3] * 9 + cnt[4] * 6 + cnt[5] + cnt[2] * 12 + cnt[1] + cnt[0];
	/* (cnt[2]: leap seconds, of the "right/" zones: not civil time) */
	if (cnt[4] == 0 || cnt[4] > 256 || cnt[3] > 100000 ||
	    off + need > len || cnt[2] != 0)
		return -1;
	z->ntrans = cnt[3];
	z->ntypes = cnt[4];
	z->trans = malloc((z->ntrans ? z->ntrans : 1) * sizeof(*z->trans));
	z->tidx = malloc(z->ntrans ? z->ntrans : 1);
	z->types = calloc(z->ntypes, sizeof(*z->types));
	if (z->trans == NULL || z->tidx == NULL || z->types == NULL)
		return -1;
	for (size_t i = 0; i < z->ntrans; i++)
		z->trans[i] = be(b + off + 8 * i, 8);
	off += 8 * z->ntrans;
	for (size_t i = 0; i < z->ntrans; i++) {
		z->tidx[i] = b[off + i];
		if (z->tidx[i] >= z->ntypes)
			return -1;
	}
	off += z->ntrans;
	if (tzif_types(z, b + off, cnt[5]) != 0)
		return -1;
	off += 6 * z->ntypes + cnt[5] + cnt[2] * 12 + cnt[1] + cnt[0];
	/* the type before the first transition: the first standard-time
	 * type, as glibc takes it (RFC 8536 says type 0; they agree for
	 * every zone of tzdata) */
	z->first = 0;
	for (size_t i = 0; i < z->ntypes; i++)
		if (!z->types[i].isdst) {
			z->first = i;
			break;
		}
	return tzif_footer(z, b, off, len);
}

void
dg_zone_free(struct dg_zone *z)
{
	if (z == NULL)
		return;
	free(z->trans);
	free(z->tidx);
	free(z->types);
	free(z);
}

/* "UTC", "Z", or a fixed offset "UTC-05:00", "-05:00", "+0530". */
static int
fixed_offset(const char *name, int32_t *off)
{
	const char *s = name;
	int32_t v;

	if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0) {
		*off = 0;
		return 0;
	}
	if (strncmp(s, "UTC", 3) == 0)
		s += 3;
	if ((*s != '+' && *s != '-') || strlen(s) < 3)
		return -1;
	if (strlen(s) == 5 && s[3] != ':') {	/* +0530 */
		char b[8];

		snprintf(b, sizeof(b), "%c%c%c:%c%c", s[0], s[1], s[2], s[3],
		    s[4]);
		if (ptime(b, &v) == NULL || strchr(b + 1, '+') ||
		    strchr(b + 1, '-'))
			return -1;
	} else {
		const char *e = ptime(s, &v);

		if (e == NULL || *e != '\0')
			return -1;
	}
	if (v > 18 * 3600 || v < -18 * 3600)
		return -1;
	*off = v;
	return 0;
}

int
dg_zone_open(const char *name, struct dg_zone **zp)
{
	struct dg_zone *z;
	int32_t off;
	char path[512];
	const char *dir = getenv("TZDIR");
	unsigned char *buf;
	size_t len;

	*zp = NULL;
	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(z->name))
		return DG_EINVAL;
	if ((z = calloc(1, sizeof(*z))) == NULL)
		return DG_ENOMEM;
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->memo_lo = z->memo_hi = 0;
	if (fixed_offset(name, &off) == 0) {
		if ((z->types = calloc(1, sizeof(*z->types))) == NULL) {
			free(z);
			return DG_ENOMEM;
		}
		z->ntypes = 1;
		z->types[0].off = off;
		if (off == 0)
			snprintf(z->types[0].abbr, sizeof(z->types[0].abbr),
			    "UTC");
		else	/* (|off| <= 18 h: fixed_offset) */
			snprintf(z->types[0].abbr, sizeof(z->types[0].abbr),
			    "%c%02u%02u", off < 0 ? '-' : '+',
			    (unsigned char)(abs(off) / 3600),
			    (unsigned char)(abs(off) % 3600 / 60));
		*zp = z;
		return DG_OK;
	}
	if (name[0] == '/' || strstr(name, "..") != NULL ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s",
	    dir && dir[0] ? dir : "/usr/share/zoneinfo",
	    name) >= sizeof(path) || read_all(path, &buf, &len) != 0) {
		free(z);
		return DG_EINVAL;
	}
	if (parse_tzif(z, buf, len) != 0) {
		free(buf);
		dg_zone_free(z);
		return DG_EINVAL;
	}
	free(buf);
	*zp = z;
	return DG_OK;
}

const char *
dg_zone_name(const struct dg_zone *z)
{
	return z->name;
}

int
dg_tz_set(const char *name)
{
	struct dg_zone *z;
	int st = dg_zone_open(name, &z);

	if (st != DG_OK)
		return st;
	dg_zone_free(market);
	market = z;
	market_gen++;
	snprintf(market_name, sizeof(market_name), "%s", name);
	return DG_OK;
}

static struct dg_zone *
mz(void)
{
	if (market == NULL && dg_tz_set(DG_TZ_DEFAULT) != DG_OK)
		dg_tz_set("UTC");
	return market;
}

const char *
dg_tz_name(void)
{
	mz();
	return market_name;
}

struct dg_zone *
dg_tz_zone(void)
{
	return mz();
}

static void
fields(dg_time t, const struct ttype *ty, struct dg_local *lt)
{
	int64_t wall = t + ty->off, days, sec;

	days = (wall >= 0 ? wall : wall - 86399) / 86400;
	sec = wall - days * 86400;
	dg_date_to_ymd((dg_date)days, &lt->year, &lt->mon, &lt->mday);
	lt->hour = (int)(sec / 3600);
	lt->min = (int)(sec / 60 % 60);
	lt->sec = (int)(sec % 60);
	lt->wday = dg_date_wday((dg_date)days);
	lt->offset = ty->off;
	lt->isdst = ty->isdst;
	memcpy(lt->abbr, ty->abbr, sizeof(lt->abbr));
}

int
dg_zone_stable(struct dg_zone *z, dg_time a, dg_time b, int *offset)
{
	struct ttype ty;

	if (z == NULL)
		z = mz();
	zone_type(z, a, &ty);
	*offset = ty.off;
	return z->memo_lo <= a && b < z->memo_hi;
}

int
dg_zone_local(struct dg_zone *z, dg_time t, struct dg_local *lt)
{
	struct ttype ty;

	zone_type(z, t, &ty);
	fields(t, &ty, lt);
	return DG_OK;
}

int
dg_time_local(dg_time t, struct dg_local *lt)
{
	return dg_zone_local(mz(), t, lt);
}

static int
zone_offset(struct dg_zone *z, dg_time t)
{
	struct ttype ty;

	zone_type(z, t, &ty);
	return ty.off;
}

static int
offset_at(dg_time t)
{
	return zone_offset(mz(), t);
}

/* The instants whose local wall time is u (wall seconds since the epoch):
 * none (a gap), one, or two (the repeated hour), in order. */
static int
zone_wall_to_instants(struct dg_zone *z, int64_t u, dg_time out[2])
{
	int cand[3], nc = 0, n = 0;
	int64_t probes[3] = { u - 86400, u, u + 86400 };

	for (int i = 0; i < 3; i++) {
		int o = zone_offset(z, probes[i]);
		int dup = 0;

		for (int j = 0; j < nc; j++)
			dup |= cand[j] == o;
		if (!dup)
			cand[nc++] = o;
	}
	for (int i = 0; i < nc; i++) {
		dg_time t = u - cand[i];

		if (zone_offset(z, t) == cand[i]) {
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

static int
wall_to_instants(int64_t u, dg_time out[2])
{
	return zone_wall_to_instants(mz(), u, out);
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

/* Reads 1 to max digits at s[*i]. */
static int
digits_upto(const char *s, size_t len, size_t *i, int max, int *out)
{
	int v = 0, n = 0;

	while (*i < len && n < max && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	if (n == 0)
		return -1;
	*out = v;
	return 0;
}

/* The date at the start of s: YYYY-MM-DD, YYYY/MM/DD, or M/D/YYYY and
 * MM/DD/YYYY (NYISO's, and what a US spreadsheet saves). */
static int
date_part(const char *s, size_t len, size_t *i, int *y, int *mo, int *d)
{
	size_t k = *i;
	int y4 = len - k >= 5 && s[k] >= '0' && s[k] <= '9' &&
	    s[k + 1] >= '0' &&
	    s[k + 1] <= '9' && s[k + 2] >= '0' && s[k + 2] <= '9' &&
	    s[k + 3] >= '0' && s[k + 3] <= '9';

	if (y4 && s[k + 4] == '-') {
		if (digits(s, len, &k, 4, y) || expect(s, len, &k, '-') ||
		    digits(s, len, &k, 2, mo) || expect(s, len, &k, '-') ||
		    digits(s, len, &k, 2, d))
			return -1;
	} else if (y4 && s[k + 4] == '/') {
		if (digits(s, len, &k, 4, y) || expect(s, len, &k, '/') ||
		    digits(s, len, &k, 2, mo) || expect(s, len, &k, '/') ||
		    digits(s, len, &k, 2, d))
			return -1;
	} else {
		if (digits_upto(s, len, &k, 2, mo) || expect(s, len, &k, '/') ||
		    digits_upto(s, len, &k, 2, d) || expect(s, len, &k, '/') ||
		    digits(s, len, &k, 4, y))
			return -1;
	}
	*i = k;
	return 0;
}

/* The clock time at s[*i]: H:MM or HH:MM, optional :SS (and a fraction of
 * zeros, as spreadsheets write "13:00:00.000"), optional " AM"/" PM". */
static int
clock_part(const char *s, size_t len, size_t *i, int *h, int *mi, int *se)
{
	size_t k = *i;

	*se = 0;
	if (digits_upto(s, len, &k, 2, h) || expect(s, len, &k, ':') ||
	    digits(s, len, &k, 2, mi))
		return -1;
	if (k < len && s[k] == ':') {
		k++;
		if (digits(s, len, &k, 2, se))
			return -1;
		if (k < len && s[k] == '.') {
			k++;
			if (k == len || s[k] != '0')
				return -1;
			while (k < len && s[k] == '0')
				k++;
		}
	}
	if (len - k >= 3 && s[k] == ' ' &&
	    (s[k + 1] == 'A' || s[k + 1] == 'P' ||
	    s[k + 1] == 'a' || s[k + 1] == 'p') && (s[k + 2] == 'M' ||
	    s[k + 2] == 'm')) {
		int pm = s[k + 1] == 'P' || s[k + 1] == 'p';

		if (*h < 1 || *h > 12)
			return -1;
		*h = *h % 12 + (pm ? 12 : 0);
		k += 3;
	}
	*i = k;
	return 0;
}

int
dg_time_parse(const char *s, size_t len, int allow_naive,
    struct dg_tstamp *ts, const char **why)
{
	return dg_time_parse_zone(s, len, allow_naive, NULL, ts, why);
}

/* The end of a stamp from s[*i]: nothing, "Z", or an offset +HH[[:]MM]
 * (*off: seconds east of UTC, *has_off).  0, or -1 when malformed. */
static int
offset_part(const char *s, size_t len, size_t *i, int *off, int *has_off)
{
	int oh, om = 0, sign;

	*off = 0;
	*has_off = 0;
	if (*i == len)
		return 0;
	if (s[*i] == 'Z' && *i + 1 == len) {
		*has_off = 1;
		(*i)++;
		return 0;
	}
	if (s[*i] != '+' && s[*i] != '-')
		return -1;
	sign = s[(*i)++] == '-' ? -1 : 1;
	if (digits(s, len, i, 2, &oh))
		return -1;
	if (*i < len && s[*i] == ':')
		(*i)++;
	if (*i < len && digits(s, len, i, 2, &om))
		return -1;
	if (*i != len || oh > 18 || om > 59)
		return -1;
	*off = sign * (oh * 3600 + om * 60);
	*has_off = 1;
	return 0;
}

/* The instants of wall clock u (seconds of the local calendar) in zone z
 * into ts: two on a fall-back hour, none in a skipped one (DG_EDATA). */
static int
naive_instants(struct dg_zone *z, int64_t u, struct dg_tstamp *ts,
    const char **why)
{
	dg_time c[2];
	int n = zone_wall_to_instants(z, u, c);
	struct ttype ty;

	if (n == 0) {
		*why = "local time does not exist (skipped by daylight saving)";
		return DG_EDATA;
	}
	ts->naive = 1;
	ts->t = c[0];
	ts->t2 = n == 2 ? c[1] : c[0];
	ts->ambiguous = n == 2;
	zone_type(z, ts->t, &ty);
	memcpy(ts->abbr, ty.abbr, sizeof(ts->abbr));
	zone_type(z, ts->t2, &ty);
	memcpy(ts->abbr2, ty.abbr, sizeof(ts->abbr2));
	return DG_OK;
}

int
dg_time_parse_zone(const char *s, size_t len, int allow_naive,
    struct dg_zone *zone, struct dg_tstamp *ts, const char **why)
{
	size_t i = 0;
	int y, mo, d, h, mi, se = 0, off, has_off;
	int64_t u;
	struct dg_zone *z = zone ? zone : mz();
	struct dg_local lt;

	*why = "not a date-time";
	if (date_part(s, len, &i, &y, &mo, &d) != 0 || i >= len ||
	    (s[i] != 'T' && s[i] != ' '))
		return DG_EDATA;
	i++;
	if (clock_part(s, len, &i, &h, &mi, &se) != 0 ||
	    offset_part(s, len, &i, &off, &has_off) != 0)
		return DG_EDATA;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || se > 59) {
		*why = "date-time out of range";
		return DG_EDATA;
	}
	if (y < 1900) {
		*why = "date-time before 1900";
		return DG_EDATA;
	}
	u = (int64_t)dg_date_from_ymd(y, mo, d) * 86400 + h * 3600 +
	    mi * 60 + se;
	memset(ts, 0, sizeof(*ts));
	if (!has_off) {
		if (!allow_naive) {
			*why = "no UTC offset in time stamp (give --tz ZONE)";
			return DG_EDATA;
		}
		return naive_instants(z, u, ts, why);
	}
	ts->t = ts->t2 = u - off;
	/* Local time before 1900 is out too (before standard zones New York
	 * kept local mean time, -04:56:02, until 1883: an offset in whole
	 * minutes could not write such an instant back).  Only the first
	 * days of 1900 need the zone asked (no zone is two days off UTC). */
	if (ts->t < -2208816000 /* 1900-01-03T00:00:00Z */ &&
	    (dg_time_local(ts->t, &lt) != DG_OK || lt.year < 1900)) {
		*why = "date-time before 1900";
		return DG_EDATA;
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

/* The local day of the last stamp formatted, when the market's zone keeps
 * one offset through it: a stamp of the same day is the same text but for
 * its clock time (a fifth of writing a load file). */
static struct {
	unsigned gen;		/* market_gen when kept; 0: none */
	dg_time day0;		/* the day's local midnight */
	int len;
	char text[DG_TIME_BUFSZ];
} fmt_memo;

int
dg_time_format(dg_time t, char *buf, size_t n)
{
	struct dg_local lt;
	int off, a;
	char tmp[DG_TIME_BUFSZ], *p = tmp;

	if (fmt_memo.gen == market_gen && market != NULL &&
	    t >= fmt_memo.day0 &&
	    t < fmt_memo.day0 + 86400 && (size_t)fmt_memo.len < n) {
		int k = (int)(t - fmt_memo.day0);

		memcpy(buf, fmt_memo.text, (size_t)fmt_memo.len + 1);
		put2(buf + 11, k / 3600);
		put2(buf + 14, k / 60 % 60);
		put2(buf + 17, k % 60);
		return fmt_memo.len;
	}
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
	{
		int o2;
		dg_time day0 = t - (lt.hour * 3600 + lt.min * 60 + lt.sec);

		fmt_memo.gen = 0;
		if (dg_zone_stable(market, day0, day0 + 86399, &o2) &&
		    o2 == off) {
			fmt_memo.gen = market_gen;
			fmt_memo.day0 = day0;
			fmt_memo.len = (int)(p - tmp);
			memcpy(fmt_memo.text, tmp, (size_t)(p - tmp) + 1);
		}
	}
	return (int)(p - tmp);
}

dg_time
dg_time_floor(dg_time t, int step)
{
	int64_t w;

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

	if (date_part(s, len, &i, &y, &m, &d) != 0 || i != len)
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
	int64_t wall = t + offset_at(t);

	return (dg_date)((wall >= 0 ? wall : wall - 86399) / 86400);
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
