/* dg_fetch.c: the parsers of each market's and the weather service's
 * formats, normalizing to interval-start instants and the toolkit's CSV;
 * the cache of raw files (SHA-256 by nettle); the download is in
 * dg_fetch_http.c. */
#include <config.h>

#include <sys/mman.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "dgagg.h"
#include "dg_fetch.h"
#include "dg_quality.h"

#define NY "America/New_York"
#define NYISO_MIS "https://mis.nyiso.com/public/csv"

const struct dg_fetch_source dg_fetch_sources[] = {
	{ "nyiso-dam", DG_FETCH_PRICE, DG_FMT_NYISO_DAM, NY, "final", NYISO_MIS,
	  "NYISO day-ahead zonal LBMP (damlbmp_zone)" },
	{ "nyiso-rt", DG_FETCH_PRICE, DG_FMT_NYISO_RT, NY, "final", NYISO_MIS,
	  "NYISO real-time 5-minute zonal LBMP (realtime_zone)" },
	{ "nyiso-load", DG_FETCH_LOAD, DG_FMT_NYISO_PAL, NY, "final", NYISO_MIS,
	  "NYISO hourly integrated actual load (palIntegrated)" },
	{ "nyiso-isolf", DG_FETCH_LOADFC, DG_FMT_NYISO_ISOLF, NY, "forecast",
	  NYISO_MIS, "NYISO zonal load forecast (isolf)" },
	{ "pjm-da", DG_FETCH_PRICE, DG_FMT_PJM, NY, "final",
	  "https://api.pjm.com/api/v1",
	  "PJM day-ahead hourly LMP (Data Miner 2 da_hrl_lmps)" },
	{ "pjm-rt", DG_FETCH_PRICE, DG_FMT_PJM, NY, "final",
	  "https://api.pjm.com/api/v1",
	  "PJM real-time hourly LMP, verified (Data Miner 2 rt_hrl_lmps)" },
	{ "miso-da", DG_FETCH_PRICE, DG_FMT_MISO, "EST", "final",
	  "https://docs.misoenergy.org/marketreports",
	  "MISO day-ahead ex-post LMP (da_expost_lmp)" },
	{ "miso-da-exante", DG_FETCH_PRICE, DG_FMT_MISO, "EST", "preliminary",
	  "https://docs.misoenergy.org/marketreports",
	  "MISO day-ahead ex-ante LMP (da_exante_lmp)" },
	{ "ercot-dam", DG_FETCH_PRICE, DG_FMT_ERCOT, "America/Chicago", "final",
	  "https://api.ercot.com/api/public-reports",
	  "ERCOT day-ahead settlement point prices (NP4-190-CD)" },
	{ "caiso-dam", DG_FETCH_PRICE, DG_FMT_CAISO, "America/Los_Angeles",
	  "final", "http://oasis.caiso.com/oasisapi",
	  "CAISO OASIS day-ahead LMP (PRC_LMP)" },
	{ "nws-forecast", DG_FETCH_WEATHER, DG_FMT_NWS_FORECAST, NULL,
	  "forecast", "https://api.weather.gov",
	  "NWS hourly gridpoint forecast (forecast/hourly)" },
	{ "nws-obs", DG_FETCH_WEATHER, DG_FMT_NWS_OBS, NULL, "observed",
	  "https://api.weather.gov", "NWS station observations" },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL }
};

const struct dg_fetch_source *
dg_fetch_source_find(const char *name)
{
	for (const struct dg_fetch_source *s = dg_fetch_sources; s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static const char *const quality_names[DG_FQ_N] = {
	"duplicate", "missing", "superseded", "qc"
};

const char *
dg_fetch_quality_name(unsigned bit)
{
	for (int i = 0; i < DG_FQ_N; i++)
		if (bit == 1u << i)
			return quality_names[i];
	return "?";
}

void
dg_fetch_rows_init(struct dg_fetch_rows *rs)
{
	memset(rs, 0, sizeof(*rs));
}

void
dg_fetch_rows_release(struct dg_fetch_rows *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* --- Parse context ---------------------------------------------------- */

/* A zone (node, station) of the file being read: the real-time parser's
 * previous stamp, its rank among the names for the sort, and the
 * coverage of its current day (dg_fetch_stream). */
struct zent {
	char *name;
	uint32_t hash;
	uint32_t rank;
	int seen;		/* t and start are set */
	dg_time t;		/* the last stamp read */
	dg_time start;		/* the start of the last interval */
	int cov_on;		/* cov_day is being added up */
	dg_date cov_day;
	long cov;
	dg_time cov_last;
};

struct ztab {
	struct zent *v;
	size_t n, cap;
	uint32_t *slot;		/* open addressing: index + 1, 0 empty */
	size_t nslot;
	size_t last;		/* the last one found, + 1 */
};

/* A memo of parsed stamps (the market's naive local stamps cost a zone
 * look-up each), kept in a table of fixed size, 4-way set-associative (a
 * year of hours fits).  Local dates and formatted stamps need none:
 * dg_time_local remembers each hour's offset. */
#define MEMO_BITS 14
#define MEMO_N ((size_t)1 << MEMO_BITS)
#define MEMO_WAYS 4
#define MEMO_SETS 4093		/* prime */
struct tparse_memo {
	unsigned char len;	/* 0: empty */
	char s[31];
	struct dg_tstamp ts;
};

struct memos {
	struct tparse_memo tp[MEMO_N];	/* in the market's zone */
	unsigned tick;			/* picks the way replaced */
};

/* A sort key: the row's start, its zone's rank, its index in memory. */
struct skey {
	dg_time t;
	uint32_t rank;
	uint32_t i;
};

/* dg_fetch_stream's rows: in chunks in memory, beyond max spilled in
 * sorted runs to one temporary file.  A chunk is a huge page where the
 * kernel gives them (fewer page faults). */
#define HUGE ((size_t)2 << 20)
#define CHUNK (HUGE / sizeof(struct dg_fetch_row))
struct srun {
	off_t off;
	size_t n;
};
struct store {
	struct dg_fetch_row **chunk;
	size_t nchunk;
	size_t n, max;		/* rows in memory, and before a spill */
	long total;		/* rows of the file */
	struct skey *keys, *tmp;
	size_t nkeys;		/* allocated */
	FILE *run;
	struct srun *runs;
	size_t nruns, capruns;
	off_t end;
};

struct short_day {
	size_t zone;		/* in the zone table */
	dg_date day;
	long cov, len;
};

struct pctx {
	const struct dg_fetch_source *src;
	const struct dg_fetch_filter *f;
	const char *name;
	struct dg_fetch_rows *rows;	/* dg_fetch_parse */
	struct dg_error *err;
	struct ztab zt;
	long seq;
	char saved_tz[128];	/* the caller's zone, for fn */
	int fail;		/* an error set by add_row other than ENOMEM */
	struct memos *memo;
	int no_memo;
	/* dg_fetch_stream */
	struct dg_fetch_sink *sink;
	struct store st;
	signed char *dayh;	/* hours of day dayh0 + i in the market's zone */
	dg_date dayh0;
	size_t ndayh;
	struct dg_fetch_row held;	/* the row held, when copied */
	struct dg_fetch_row *hp;	/* the row held, or NULL */
	long hz;			/* its zone's index, or -1 */
	size_t *rank2z;			/* zone index by rank */
	int deferred;		/* the first error of a merged row, deferred */
	struct dg_error deferred_err;
	struct short_day *shorts;
	size_t nshorts, capshorts;
};

static struct dg_fetch_row *store_add(struct pctx *p);

static struct dg_fetch_row *
add_row(struct pctx *p)
{
	struct dg_fetch_rows *rs = p->rows;
	struct dg_fetch_row *r;

	if (p->sink != NULL)
		return store_add(p);
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 512;
		struct dg_fetch_row *v = realloc(rs->v, cap * sizeof(*v));

		if (v == NULL)
			return NULL;
		rs->v = v;
		rs->cap = cap;
	}
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->seq = p->seq++;
	return r;
}

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
ztab_clear(struct ztab *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->v[i].name);
	free(z->v);
	free(z->slot);
	memset(z, 0, sizeof(*z));
}

/* The index of zone in the table, added when new; -1 on memory
 * exhaustion. */
static long
zfind(struct ztab *z, const char *zone)
{
	size_t len, k;
	uint32_t h;
	struct zent *e;

	if (z->last > 0 && strcmp(z->v[z->last - 1].name, zone) == 0)
		return (long)z->last - 1;
	len = strlen(zone);
	h = hash_bytes(zone, len);
	if (z->nslot > 0)
		for (k = h & (z->nslot - 1); z->slot[k] != 0;
		    k = (k + 1) & (z->nslot - 1)) {
			e = &z->v[z->slot[k] - 1];
			if (e->hash == h && strcmp(e->name, zone) == 0) {
				z->last = z->slot[k];
				return (long)z->slot[k] - 1;
			}
		}
	if (2 * (z->n + 1) > z->nslot) {
		size_t ns = z->nslot ? 2 * z->nslot : 64;
		uint32_t *sl = calloc(ns, sizeof(*sl));

		if (sl == NULL)
			return -1;
		for (size_t i = 0; i < z->n; i++) {
			for (k = z->v[i].hash & (ns - 1); sl[k] != 0;
			    k = (k + 1) & (ns - 1))
				;
			sl[k] = (uint32_t)i + 1;
		}
		free(z->slot);
		z->slot = sl;
		z->nslot = ns;
	}
	if (z->n == z->cap) {
		size_t cap = z->cap ? 2 * z->cap : 32;
		struct zent *v = realloc(z->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		z->v = v;
		z->cap = cap;
	}
	e = &z->v[z->n];
	memset(e, 0, sizeof(*e));
	if ((e->name = malloc(len + 1)) == NULL)
		return -1;
	memcpy(e->name, zone, len + 1);
	e->hash = h;
	for (k = h & (z->nslot - 1); z->slot[k] != 0; k = (k + 1) & (z->nslot - 1))
		;
	z->slot[k] = (uint32_t)++z->n;
	z->last = z->n;
	return (long)z->n - 1;
}

/* The state of zone: *found tells whether it was seen before.  NULL on
 * memory exhaustion. */
static struct zent *
zprev(struct pctx *p, const char *zone, int *found)
{
	long i = zfind(&p->zt, zone);
	struct zent *e;

	if (i < 0)
		return NULL;
	e = &p->zt.v[i];
	*found = e->seen;
	e->seen = 1;
	return e;
}

/* n bytes aligned to a huge page, the kernel asked to back them with
 * huge pages (one fault, not 512); free() releases them. */
static void *
huge_alloc(size_t n)
{
	void *v;

	if (posix_memalign(&v, HUGE, n) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(v, n, MADV_HUGEPAGE);
#endif
	return v;
}

/* The memos, in one block (huge pages where the kernel gives them: they
 * are read at random).  NULL on memory exhaustion: nothing remembered. */
static struct memos *
memos(struct pctx *p)
{
	if (p->memo == NULL && !p->no_memo) {
		if ((p->memo = huge_alloc(sizeof(*p->memo))) == NULL)
			p->no_memo = 1;
		else
			memset(p->memo, 0, sizeof(*p->memo));
	}
	return p->memo;
}

/* The first entry of t's set: successive hours in successive sets (the
 * memos are read in time order), the 5-minute marks of an hour a
 * twelfth of the table apart. */
static size_t
memo_set(dg_time t)
{
	uint64_t u = (uint64_t)(t + ((int64_t)1 << 40));

	return (size_t)((u / 3600 + u % 3600 / 300 * (MEMO_SETS / 12)) %
	    MEMO_SETS) * MEMO_WAYS;
}

/* The set of a stamp's text: that of its wall time where it is
 * YYYY-MM-DD?HH:MM... or MM/DD/YYYY HH:MM..., else a hash. */
static size_t
stamp_set(const char *s, size_t len)
{
	int v[5], k = 0;
	size_t i = 0;

	while (i < len && k < 5) {
		int x = 0, n = 0;

		while (i < len && s[i] >= '0' && s[i] <= '9' && n < 4) {
			x = x * 10 + (s[i++] - '0');
			n++;
		}
		if (n == 0)
			break;
		v[k++] = x;
		if (i < len)
			i++;	/* the separator */
	}
	if (k == 5) {
		int y = v[0], m = v[1], d = v[2];

		if (len >= 3 && s[2] == '/') {
			m = v[0];
			d = v[1];
			y = v[2];
		}
		if (m >= 1 && m <= 12 && d >= 1 && d <= 31)
			return memo_set(((dg_time)dg_date_from_ymd(y, m, d) *
			    24 + v[3]) * 3600 + (dg_time)v[4] * 60);
	}
	return (size_t)(hash_bytes(s, len) % MEMO_SETS) * MEMO_WAYS;
}

/* dg_csv_get_time, remembered by the field's text. */
static int
get_time(struct pctx *p, struct dg_csv *r, int col, struct dg_tstamp *ts)
{
	size_t len;
	const char *s = dg_csv_field(r, col, &len);
	struct tparse_memo *m = NULL;
	int st;

	if (len > 0 && len < sizeof(m->s) && memos(p) != NULL) {
		struct tparse_memo *set = &p->memo->tp[stamp_set(s, len)];

		for (int w = 0; w < MEMO_WAYS; w++)
			if (set[w].len == len && memcmp(set[w].s, s, len) == 0) {
				*ts = set[w].ts;
				return DG_OK;
			}
		m = &set[p->memo->tick++ % MEMO_WAYS];
	}
	if ((st = dg_csv_get_time(r, col, ts)) == DG_OK && m != NULL) {
		m->len = (unsigned char)len;
		memcpy(m->s, s, len);
		m->ts = *ts;
	}
	return st;
}

static int
copy_name(struct dg_csv *r, int col, char *dst, size_t n, const char *what)
{
	size_t len;
	const char *s = dg_csv_field(r, col, &len);

	if (len == 0)
		return dg_csv_fail(r, col, DG_EDATA, "empty %s", what);
	if (len >= n)
		return dg_csv_fail(r, col, DG_EDATA, "%s too long: \"%.40s...\"",
		    what, s);
	memcpy(dst, s, len + 1);
	return DG_OK;
}

static int
oom(struct pctx *p)
{
	if (p->fail)
		return p->fail;
	return dg_error_set(p->err, DG_ENOMEM, p->name, 0, NULL, "out of memory");
}

/* congestion and losses given, energy = price - congestion - losses. */
static int
fill_energy(struct dg_fetch_row *r)
{
	const unsigned need = 1u << DG_FV_PRICE | 1u << DG_FV_CONGESTION |
	    1u << DG_FV_LOSSES;
	dg_dec a;
	int st;

	if ((r->have & need) != need || (r->have & 1u << DG_FV_ENERGY))
		return DG_OK;
	if ((st = dg_dec_sub(r->v[DG_FV_PRICE], r->v[DG_FV_CONGESTION], &a)) ||
	    (st = dg_dec_sub(a, r->v[DG_FV_LOSSES], &r->v[DG_FV_ENERGY])))
		return st;
	r->have |= 1u << DG_FV_ENERGY;
	return DG_OK;
}

static void
set_v(struct dg_fetch_row *r, int slot, dg_dec d)
{
	r->v[slot] = d;
	r->have |= 1u << slot;
}

static int
get_dec(struct dg_csv *r, int col, struct dg_fetch_row *row, int slot)
{
	dg_dec d;
	int st = dg_csv_get_dec(r, col, &d);

	if (st == DG_OK)
		set_v(row, slot, d);
	return st;
}

/* --- NYISO ------------------------------------------------------------- */

/* damlbmp_zone (hour beginning) and realtime_zone (interval ending):
 * LBMP = energy + losses - congestion in NYISO's files; the output's
 * congestion has the opposite sign so that price = energy + congestion +
 * losses in every market. */
static int
parse_nyiso_lbmp(struct pctx *p, struct dg_csv *r, int rt)
{
	int ct, cn, cp, cl, cls, ccg, st, found;

	if ((st = dg_csv_require(r, "Time Stamp", &ct)) ||
	    (st = dg_csv_require(r, "Name", &cn)) ||
	    (st = dg_csv_require(r, "LBMP ($/MWHr)", &cl)))
		return st;
	/* A trimmed export may leave out the PTID and the components (their
	 * output columns are then empty). */
	cp = dg_csv_col(r, "PTID");
	cls = dg_csv_col(r, "Marginal Cost Losses ($/MWHr)");
	ccg = dg_csv_col(r, "Marginal Cost Congestion ($/MWHr)");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = add_row(p);
		struct dg_tstamp ts;
		dg_dec mcc;
		dg_time t;
		struct zent *prev;

		if (row == NULL)
			return oom(p);
		row->line = dg_csv_line(r);
		if ((st = copy_name(r, cn, row->zone, sizeof(row->zone), "name")) ||
		    (cp >= 0 && (st = copy_name(r, cp, row->ptid,
		    sizeof(row->ptid), "PTID"))) ||
		    (st = get_time(p, r, ct, &ts)) ||
		    (st = get_dec(r, cl, row, DG_FV_PRICE)) ||
		    (cls >= 0 && (st = get_dec(r, cls, row, DG_FV_LOSSES))) ||
		    (ccg >= 0 && (st = dg_csv_get_dec(r, ccg, &mcc))))
			return st;
		if (ccg >= 0) {
			mcc.v = -mcc.v;
			set_v(row, DG_FV_CONGESTION, mcc);
		}
		if ((prev = zprev(p, row->zone, &found)) == NULL)
			return oom(p);
		t = dg_tstamp_pick(&ts, found ? prev->t : INT64_MIN);
		if (found && t < prev->t)
			return dg_csv_fail(r, ct, DG_EDATA,
			    "time stamp before the previous one of %s",
			    row->zone);
		if (rt) {
			/* interval ending: the interval starts where the
			 * zone's previous one ended (the first, and one more
			 * than DG_FETCH_RT_MAX_INTERVAL_S after the previous,
			 * at the 5-minute mark before its end: the gap stays
			 * uncovered); a repeated stamp repeats the interval
			 * (flagged duplicate below). */
			if (found && t == prev->t)
				row->t = prev->start;
			else if (found && t - prev->t <= DG_FETCH_RT_MAX_INTERVAL_S)
				row->t = prev->t;
			else	/* the first, or after a gap: a fresh start */
				row->t = dg_time_floor(t - 1, 300);
			row->dur = (int32_t)(t - row->t);
		} else {
			row->t = t;
			row->dur = 3600;
		}
		prev->t = t;
		prev->start = row->t;
		row->day = dg_date_of(row->t);
		if ((st = fill_energy(row)) != DG_OK)
			return dg_csv_fail(r, cl, st, "price components overflow");
	}
	return st == DG_EOF ? DG_OK : st;
}

/* palIntegrated: hour beginning with an explicit Time Zone column. */
static int
parse_nyiso_pal(struct pctx *p, struct dg_csv *r)
{
	int ct, cz, cn, cp, cl, st;

	if ((st = dg_csv_require(r, "Time Stamp", &ct)) ||
	    (st = dg_csv_require(r, "Time Zone", &cz)) ||
	    (st = dg_csv_require(r, "Name", &cn)) ||
	    (st = dg_csv_require(r, "PTID", &cp)) ||
	    (st = dg_csv_require(r, "Integrated Load", &cl)))
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = add_row(p);
		struct dg_tstamp ts;
		size_t zl;
		const char *z;
		dg_date d;

		if (row == NULL)
			return oom(p);
		row->line = dg_csv_line(r);
		if ((st = copy_name(r, cn, row->zone, sizeof(row->zone), "name")) ||
		    (st = get_time(p, r, ct, &ts)) ||
		    (st = get_dec(r, cl, row, DG_FV_LOAD)))
			return st;
		/* 2002-2003 files leave the PTID of N.Y.C._LONGIL empty */
		snprintf(row->ptid, sizeof(row->ptid), "%s",
		    dg_csv_field(r, cp, NULL));
		z = dg_csv_field(r, cz, &zl);
		if (dg_tstamp_pick_abbr(&ts, z, zl, &row->t) != DG_OK)
			return dg_csv_fail(r, cz, DG_EDATA,
			    "time zone \"%s\" does not match the stamp \"%s\"",
			    z, dg_csv_field(r, ct, NULL));
		row->dur = 3600;
		d = dg_date_of(row->t);
		row->day = d;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* isolf: wide, one column per zone (Capitl, Hud Vl, ..., NYISO), hour
 * beginning, the repeated fall-back hour told apart by order only.  Zone
 * names are upper-cased to the spelling of the price and load files. */
static int
parse_nyiso_isolf(struct pctx *p, struct dg_csv *r)
{
	int ct, st, have_prev = 0;
	size_t nc = dg_csv_ncols(r);
	dg_time prev = 0;
	dg_date issued = 0;

	if ((st = dg_csv_require(r, "Time Stamp", &ct)) != DG_OK)
		return st;
	if (nc < 2)
		return dg_csv_fail(r, -1, DG_EDATA, "header: no zone columns");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		dg_time t;

		if ((st = get_time(p, r, ct, &ts)) != DG_OK)
			return st;
		t = dg_tstamp_pick(&ts, have_prev ? prev : INT64_MIN);
		if (have_prev && t <= prev)
			return dg_csv_fail(r, ct, DG_EDATA,
			    "time stamp not after the previous row's");
		if (!have_prev)
			issued = dg_date_of(t);
		prev = t;
		have_prev = 1;
		for (size_t i = 0; i < nc; i++) {
			struct dg_fetch_row *row;
			const char *cn = dg_csv_colname(r, i);

			if ((int)i == ct)
				continue;
			if ((row = add_row(p)) == NULL)
				return oom(p);
			row->line = dg_csv_line(r);
			snprintf(row->zone, sizeof(row->zone), "%s", cn);
			for (char *c = row->zone; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			if ((st = get_dec(r, (int)i, row, DG_FV_LOAD)) != DG_OK)
				return st;
			row->t = t;
			row->dur = 3600;
			row->day = dg_date_of(t);
			row->issued = issued;
		}
	}
	return st == DG_EOF ? DG_OK : st;
}

/* --- PJM ---------------------------------------------------------------- */

/* Reads 1 to maxd digits at s[*i]. */
static int
num_at(const char *s, size_t *i, int maxd, int *out)
{
	int v = 0, n = 0;

	while (n < maxd && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	*out = v;
	return n > 0 ? 0 : -1;
}

/* "5/1/2025 4:00:00 AM" */
static int
parse_pjm_stamp(const char *s, int *y, int *mo, int *d, int *h, int *mi,
    int *se)
{
	size_t i = 0;

	if (num_at(s, &i, 2, mo) || s[i++] != '/' || num_at(s, &i, 2, d) ||
	    s[i++] != '/' || num_at(s, &i, 4, y) || s[i++] != ' ' ||
	    num_at(s, &i, 2, h) || s[i++] != ':' || num_at(s, &i, 2, mi) ||
	    s[i++] != ':' || num_at(s, &i, 2, se) || s[i++] != ' ')
		return DG_EDATA;
	if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h < 1 || *h > 12 ||
	    *mi > 59 || *se > 59 || *y < 1900)
		return DG_EDATA;
	if (strcmp(s + i, "AM") == 0)
		*h = *h == 12 ? 0 : *h;
	else if (strcmp(s + i, "PM") == 0)
		*h = *h == 12 ? 12 : *h + 12;
	else
		return DG_EDATA;
	return DG_OK;
}

static int
parse_pjm(struct pctx *p, struct dg_csv *r)
{
	const char *sfx = strstr(p->src->name, "-rt") ? "rt" : "da";
	char n_total[32], n_energy[32], n_cong[32], n_loss[32];
	int cu, ce, cid, cnm, ctot, cen, ccg, cls, ccur, st;

	snprintf(n_total, sizeof(n_total), "total_lmp_%s", sfx);
	snprintf(n_energy, sizeof(n_energy), "system_energy_price_%s", sfx);
	snprintf(n_cong, sizeof(n_cong), "congestion_price_%s", sfx);
	snprintf(n_loss, sizeof(n_loss), "marginal_loss_price_%s", sfx);
	if ((st = dg_csv_require(r, "datetime_beginning_utc", &cu)) ||
	    (st = dg_csv_require(r, "datetime_beginning_ept", &ce)) ||
	    (st = dg_csv_require(r, "pnode_id", &cid)) ||
	    (st = dg_csv_require(r, "pnode_name", &cnm)) ||
	    (st = dg_csv_require(r, n_total, &ctot)) ||
	    (st = dg_csv_require(r, n_energy, &cen)) ||
	    (st = dg_csv_require(r, n_cong, &ccg)) ||
	    (st = dg_csv_require(r, n_loss, &cls)))
		return st;
	ccur = dg_csv_col(r, "row_is_current");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = add_row(p);
		int y, mo, d, h, mi, se;
		struct dg_local lt;

		if (row == NULL)
			return oom(p);
		row->line = dg_csv_line(r);
		if ((st = copy_name(r, cnm, row->zone, sizeof(row->zone),
		    "pnode name")) ||
		    (st = copy_name(r, cid, row->ptid, sizeof(row->ptid),
		    "pnode id")) ||
		    (st = get_dec(r, ctot, row, DG_FV_PRICE)) ||
		    (st = get_dec(r, cen, row, DG_FV_ENERGY)) ||
		    (st = get_dec(r, ccg, row, DG_FV_CONGESTION)) ||
		    (st = get_dec(r, cls, row, DG_FV_LOSSES)))
			return st;
		if (parse_pjm_stamp(dg_csv_field(r, cu, NULL), &y, &mo, &d, &h,
		    &mi, &se) != DG_OK)
			return dg_csv_fail(r, cu, DG_EDATA,
			    "not a time stamp (M/D/YYYY h:mm:ss AM): \"%s\"",
			    dg_csv_field(r, cu, NULL));
		row->t = (dg_time)dg_date_from_ymd(y, mo, d) * 86400 +
		    h * 3600 + mi * 60 + se;
		if (parse_pjm_stamp(dg_csv_field(r, ce, NULL), &y, &mo, &d, &h,
		    &mi, &se) != DG_OK)
			return dg_csv_fail(r, ce, DG_EDATA,
			    "not a time stamp (M/D/YYYY h:mm:ss AM): \"%s\"",
			    dg_csv_field(r, ce, NULL));
		dg_time_local(row->t, &lt);
		if (lt.year != y || lt.mon != mo || lt.mday != d ||
		    lt.hour != h || lt.min != mi)
			return dg_csv_fail(r, ce, DG_EDATA,
			    "Eastern time \"%s\" does not match the UTC stamp",
			    dg_csv_field(r, ce, NULL));
		row->dur = 3600;
		row->day = dg_date_from_ymd(y, mo, d);
		if (ccur >= 0 &&
		    strcasecmp(dg_csv_field(r, ccur, NULL), "False") == 0)
			row->quality |= DG_FQ_SUPERSEDED;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* --- ERCOT --------------------------------------------------------------- */

static int
col_ci(struct dg_csv *r, const char *name, int *idx)
{
	for (size_t i = 0; i < dg_csv_ncols(r); i++)
		if (strcasecmp(dg_csv_colname(r, i), name) == 0) {
			*idx = (int)i;
			return DG_OK;
		}
	return dg_csv_require(r, name, idx);
}

/* NP4-190: deliveryDate, hourEnding 01:00..24:00 in Central prevailing
 * time, DSTFlag true on the repeated (standard time) hour. */
static int
parse_ercot(struct pctx *p, struct dg_csv *r)
{
	int cd, ch, cs, cp, cf, st;

	if ((st = col_ci(r, "deliveryDate", &cd)) ||
	    (st = col_ci(r, "hourEnding", &ch)) ||
	    (st = col_ci(r, "settlementPoint", &cs)) ||
	    (st = col_ci(r, "settlementPointPrice", &cp)) ||
	    (st = col_ci(r, "DSTFlag", &cf)))
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = add_row(p);
		const char *he = dg_csv_field(r, ch, NULL);
		const char *fl = dg_csv_field(r, cf, NULL);
		int64_t h;
		char hs[8], buf[40];
		struct dg_tstamp ts;
		const char *why;
		int dst, y, mo, d;

		if (row == NULL)
			return oom(p);
		row->line = dg_csv_line(r);
		if ((st = copy_name(r, cs, row->zone, sizeof(row->zone),
		    "settlement point")) ||
		    (st = dg_csv_get_date(r, cd, &row->day)) ||
		    (st = get_dec(r, cp, row, DG_FV_PRICE)))
			return st;
		snprintf(hs, sizeof(hs), "%s", he);
		if (strlen(he) == 5 && strcmp(he + 2, ":00") == 0)
			hs[2] = '\0';
		if (dg_parse_int(hs, 1, 24, &h) != DG_OK)
			return dg_csv_fail(r, ch, DG_EDATA,
			    "hour ending must be 01:00 to 24:00: \"%s\"", he);
		if (strcasecmp(fl, "true") == 0 || strcasecmp(fl, "Y") == 0)
			dst = 1;
		else if (strcasecmp(fl, "false") == 0 || strcasecmp(fl, "N") == 0)
			dst = 0;
		else
			return dg_csv_fail(r, cf, DG_EDATA,
			    "DST flag must be true/false or Y/N: \"%s\"", fl);
		dg_date_to_ymd(row->day, &y, &mo, &d);
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:00", y, mo, d,
		    (int)h - 1);
		if (dg_time_parse(buf, strlen(buf), 1, &ts, &why) != DG_OK)
			return dg_csv_fail(r, ch, DG_EDATA,
			    "hour ending %s: %s", he, why);
		if (dst && !ts.ambiguous)
			return dg_csv_fail(r, cf, DG_EDATA,
			    "DST flag set outside the repeated hour");
		row->t = dst ? ts.t2 : ts.t;
		row->dur = 3600;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* --- CAISO ---------------------------------------------------------------- */

static int
parse_caiso(struct pctx *p, struct dg_csv *r)
{
	int cs, ce, cd, cn, ct, cv, st;

	if ((st = dg_csv_require(r, "INTERVALSTARTTIME_GMT", &cs)) ||
	    (st = dg_csv_require(r, "INTERVALENDTIME_GMT", &ce)) ||
	    (st = dg_csv_require(r, "OPR_DT", &cd)) ||
	    (st = dg_csv_require(r, "LMP_TYPE", &ct)))
		return st;
	if ((cn = dg_csv_col(r, "NODE_ID")) < 0 &&
	    (st = dg_csv_require(r, "NODE", &cn)) != DG_OK)
		return st;
	if ((cv = dg_csv_col(r, "MW")) < 0 &&
	    (st = dg_csv_require(r, "VALUE", &cv)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row;
		struct dg_tstamp a, b;
		const char *type = dg_csv_field(r, ct, NULL);
		int slot;

		if (strcmp(type, "LMP") == 0)
			slot = DG_FV_PRICE;
		else if (strcmp(type, "MCC") == 0)
			slot = DG_FV_CONGESTION;
		else if (strcmp(type, "MCL") == 0)
			slot = DG_FV_LOSSES;
		else if (strcmp(type, "MCE") == 0)
			slot = DG_FV_ENERGY;
		else if (strcmp(type, "MGHG") == 0)
			continue;	/* in the LMP; not a column of ours */
		else
			return dg_csv_fail(r, ct, DG_EDATA,
			    "unknown LMP type \"%s\"", type);
		if ((row = add_row(p)) == NULL)
			return oom(p);
		row->line = dg_csv_line(r);
		if ((st = copy_name(r, cn, row->zone, sizeof(row->zone),
		    "node")) ||
		    (st = get_time(p, r, cs, &a)) ||
		    (st = get_time(p, r, ce, &b)) ||
		    (st = dg_csv_get_date(r, cd, &row->day)) ||
		    (st = get_dec(r, cv, row, slot)))
			return st;
		if (b.t <= a.t || b.t - a.t > 86400)
			return dg_csv_fail(r, ce, DG_EDATA,
			    "interval end not after its start");
		if (dg_date_of(a.t) != row->day)
			return dg_csv_fail(r, cd, DG_EDATA,
			    "operating day does not hold the interval start");
		row->t = a.t;
		row->dur = (int32_t)(b.t - a.t);
	}
	return st == DG_EOF ? DG_OK : st;
}

/* --- MISO ------------------------------------------------------------------ */

/* Day Ahead Market (ExAnte|ExPost) LMPs / MM/DD/YYYY / blank /
 * ",,,All Hours-Ending are Eastern Standard Time (EST)" / Node,Type,Value,
 * HE 1..HE 24; one row per node and value (LMP, MCC, MLC). */
static int
parse_miso(struct pctx *p, const char *buf, size_t len, const char *name)
{
	const char *s = buf, *end = buf + len, *hdr = NULL;
	long line = 0, skipped = 0;
	int have_day = 0, have_est = 0, exante = -1, st;
	dg_date day = 0;
	int he[24], cn, cv;
	FILE *fp;
	struct dg_csv *r;
	struct dg_csv_opts o;

	while (s < end && line < 10) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char tmp[256];

		line++;
		if (l >= 5 && strncmp(s, "Node,", 5) == 0) {
			hdr = s;
			break;
		}
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(l < 255 ? l : 255), s);
		tmp[strcspn(tmp, "\r")] = '\0';
		if (line == 1) {
			if (strstr(tmp, "LMP") == NULL)
				return dg_error_set(p->err, DG_EDATA, name, line,
				    NULL, "not a MISO LMP report: \"%.60s\"", tmp);
			exante = strcasestr(tmp, "ExAnte") != NULL;
		}
		if (!have_day && dg_date_parse(tmp, strlen(tmp), &day) == DG_OK)
			have_day = 1;
		if (strstr(tmp, "Eastern Standard Time") != NULL)
			have_est = 1;
		s = nl ? nl + 1 : end;
	}
	if (hdr == NULL)
		return dg_error_set(p->err, DG_EDATA, name, line, NULL,
		    "no \"Node,Type,Value,HE 1,...\" header");
	if (!have_day)
		return dg_error_set(p->err, DG_EDATA, name, 2, NULL,
		    "no MM/DD/YYYY operating day before the header");
	if (!have_est)
		return dg_error_set(p->err, DG_EDATA, name, line, NULL,
		    "the report does not say its hours are EST");
	if (exante != (strcmp(p->src->status, "preliminary") == 0))
		return dg_error_set(p->err, DG_EDATA, name, 1, NULL,
		    "an %s report, not %s", exante ? "ex-ante (preliminary)" :
		    "ex-post (final)", p->src->name);
	skipped = line - 1;
	if ((fp = fmemopen((void *)hdr, (size_t)(end - hdr), "r")) == NULL)
		return oom(p);
	dg_csv_opts_init(&o);
	if ((st = dg_csv_open_fp(&r, fp, name, &o, p->err)) != DG_OK)
		goto done;
	if ((st = dg_csv_require(r, "Node", &cn)) ||
	    (st = dg_csv_require(r, "Value", &cv)))
		goto done;
	for (int h = 0; h < 24; h++) {
		char hn[8];

		snprintf(hn, sizeof(hn), "HE %d", h + 1);
		if ((st = dg_csv_require(r, hn, &he[h])) != DG_OK)
			goto done;
	}
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *v = dg_csv_field(r, cv, NULL);
		int slot;

		if (strcmp(v, "LMP") == 0)
			slot = DG_FV_PRICE;
		else if (strcmp(v, "MCC") == 0)
			slot = DG_FV_CONGESTION;
		else if (strcmp(v, "MLC") == 0)
			slot = DG_FV_LOSSES;
		else {
			st = dg_csv_fail(r, cv, DG_EDATA,
			    "value must be LMP, MCC or MLC: \"%s\"", v);
			goto done;
		}
		for (int h = 0; h < 24; h++) {
			struct dg_fetch_row *row = add_row(p);

			if (row == NULL) {
				st = oom(p);
				goto done;
			}
			row->line = dg_csv_line(r) + skipped;
			if ((st = copy_name(r, cn, row->zone, sizeof(row->zone),
			    "node")) ||
			    (st = get_dec(r, he[h], row, slot)))
				goto done;
			/* HE h+1 in EST (UTC-5) all year */
			row->t = (dg_time)day * 86400 + 5 * 3600 + h * 3600;
			row->dur = 3600;
			row->day = day;
		}
	}
	if (st == DG_EOF)
		st = DG_OK;
done:
	if (st != DG_OK && p->err != NULL && p->err->line > 0 &&
	    strcmp(p->err->file, name) == 0)
		p->err->line += skipped;
	dg_csv_close(r);
	fclose(fp);
	return st;
}

/* --- NWS (JSON) ----------------------------------------------------------- */

static struct json_object *
jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int
jnum(struct json_object *v, double *x)
{
	if (v == NULL || (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return -1;
	*x = json_object_get_double(v);
	return 0;
}

/* temp in degC or degF (unit "C"/"F" or "...degC"/"...degF"). */
static int
set_temp(struct dg_fetch_row *row, double x, const char *unit)
{
	dg_dec d, f;
	int st;

	if (unit == NULL)
		return DG_EDATA;
	if ((st = dg_dec_from_double(x, 2, &d)) != DG_OK)
		return st;
	if (strcmp(unit, "F") == 0 || strstr(unit, "degF") != NULL) {
		set_v(row, DG_FV_TEMP_F, d);
		return DG_OK;
	}
	if (strcmp(unit, "C") != 0 && strstr(unit, "degC") == NULL)
		return DG_EDATA;
	/* F = C x 1.8 + 32, rounded once to 0.01 */
	if ((st = dg_dec_mul(d, dg_dec_make(18, 1), 3, &f)) != DG_OK ||
	    (st = dg_dec_add(f, dg_dec_make(32, 0), &f)) != DG_OK ||
	    (st = dg_dec_rescale(f, 2, &f)) != DG_OK)
		return st;
	set_v(row, DG_FV_TEMP_F, f);
	return DG_OK;
}

static int
jfail(struct pctx *p, const char *where, long i, const char *msg)
{
	return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL, "%s[%ld]: %s",
	    where, i, msg);
}

static int
jstamp(const char *s, dg_time *t)
{
	struct dg_tstamp ts;
	const char *why;

	if (s == NULL || dg_time_parse(s, strlen(s), 0, &ts, &why) != DG_OK)
		return -1;
	*t = ts.t;
	return 0;
}

static int
parse_nws_forecast(struct pctx *p, struct json_object *root)
{
	struct json_object *periods = jget(jget(root, "properties"), "periods");
	size_t n;
	const char *label = p->f && p->f->label ? p->f->label : "gridpoint";

	if (periods == NULL || !json_object_is_type(periods, json_type_array))
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no properties.periods array: not a gridpoint forecast");
	n = json_object_array_length(periods);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(periods, i);
		struct json_object *rh = jget(jget(e, "relativeHumidity"), "value");
		struct json_object *tv;
		struct dg_fetch_row *row = add_row(p);
		const char *tu;
		dg_time a, b;
		double x;
		dg_dec d;

		if (row == NULL)
			return oom(p);
		row->line = (long)i;
		snprintf(row->zone, sizeof(row->zone), "%s", label);
		if (jstamp(json_object_get_string(jget(e, "startTime")), &a) ||
		    jstamp(json_object_get_string(jget(e, "endTime")), &b) ||
		    b <= a)
			return jfail(p, "periods", (long)i,
			    "startTime/endTime missing or not ISO 8601 with offset");
		row->t = a;
		row->dur = (int32_t)(b - a);
		row->day = dg_date_of(a);
		/* "temperature": 78 with "temperatureUnit": "F", or (newer
		 * API) {"unitCode": "wmoUnit:degF", "value": 78} */
		tv = jget(e, "temperature");
		tu = json_object_get_string(jget(e, "temperatureUnit"));
		if (tv != NULL && json_object_is_type(tv, json_type_object)) {
			tu = json_object_get_string(jget(tv, "unitCode"));
			tv = jget(tv, "value");
		}
		if (tv == NULL || json_object_is_type(tv, json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(tv, &x) || set_temp(row, x, tu) != DG_OK)
			return jfail(p, "periods", (long)i,
			    "temperature or temperatureUnit not understood");
		if (rh == NULL || json_object_is_type(rh, json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(rh, &x) || x < 0 || x > 100 ||
		    dg_dec_from_double(x, 1, &d) != DG_OK)
			return jfail(p, "periods", (long)i,
			    "relativeHumidity.value not a percentage");
		else
			set_v(row, DG_FV_RH, d);
	}
	return DG_OK;
}

static void
qc_flag(struct dg_fetch_row *row, struct json_object *q)
{
	const char *s = json_object_get_string(jget(q, "qualityControl"));

	if (s == NULL)
		return;
	if (strncmp(s, "qc:", 3) == 0)
		s += 3;
	if (strcmp(s, "X") == 0 || strcmp(s, "Q") == 0)
		row->quality |= DG_FQ_QC;
}

static int
parse_nws_obs(struct pctx *p, struct json_object *root)
{
	struct json_object *feats = jget(root, "features");
	size_t n;

	if (feats == NULL || !json_object_is_type(feats, json_type_array))
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no features array: not station observations");
	n = json_object_array_length(feats);
	for (size_t i = 0; i < n; i++) {
		struct json_object *pr = jget(json_object_array_get_idx(feats, i),
		    "properties");
		struct json_object *tp = jget(pr, "temperature");
		struct json_object *rh = jget(pr, "relativeHumidity");
		const char *st = json_object_get_string(jget(pr, "station"));
		struct dg_fetch_row *row = add_row(p);
		const char *slash;
		double x;
		dg_dec d;

		if (row == NULL)
			return oom(p);
		row->line = (long)i;
		if (st == NULL || st[0] == '\0')
			return jfail(p, "features", (long)i, "no station");
		slash = strrchr(st, '/');
		snprintf(row->zone, sizeof(row->zone), "%s", slash ? slash + 1 : st);
		if (jstamp(json_object_get_string(jget(pr, "timestamp")), &row->t))
			return jfail(p, "features", (long)i,
			    "timestamp missing or not ISO 8601 with offset");
		row->dur = 0;
		row->day = dg_date_of(row->t);
		if (jget(tp, "value") == NULL ||
		    json_object_is_type(jget(tp, "value"), json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(jget(tp, "value"), &x) ||
		    set_temp(row, x, json_object_get_string(jget(tp,
		    "unitCode"))) != DG_OK)
			return jfail(p, "features", (long)i,
			    "temperature value or unitCode not understood");
		else
			qc_flag(row, tp);
		if (jget(rh, "value") == NULL ||
		    json_object_is_type(jget(rh, "value"), json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(jget(rh, "value"), &x) || x < 0 || x > 100 ||
		    dg_dec_from_double(x, 1, &d) != DG_OK)
			return jfail(p, "features", (long)i,
			    "relativeHumidity.value not a percentage");
		else {
			set_v(row, DG_FV_RH, d);
			qc_flag(row, rh);
		}
	}
	return DG_OK;
}

static int
parse_json(struct pctx *p, const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	enum json_tokener_error je;
	int st;

	if (tok == NULL)
		return oom(p);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	je = json_tokener_get_error(tok);
	if (root == NULL || je != json_tokener_success) {
		if (je == json_tokener_success || je == json_tokener_continue)
			st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
			    "not JSON: the document ends early (truncated) at byte %zu",
			    (size_t)json_tokener_get_parse_end(tok));
		else
			st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
			    "not JSON: %s at byte %zu", json_tokener_error_desc(je),
			    (size_t)json_tokener_get_parse_end(tok));
		json_object_put(root);
		json_tokener_free(tok);
		return st;
	}
	json_tokener_free(tok);
	if (p->src->format == DG_FMT_NWS_FORECAST)
		st = parse_nws_forecast(p, root);
	else
		st = parse_nws_obs(p, root);
	json_object_put(root);
	return st;
}

/* --- Dispatch ------------------------------------------------------------- */

static int
cmp_row(const void *a, const void *b)
{
	const struct dg_fetch_row *x = a, *y = b;
	int c;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if ((c = strcmp(x->zone, y->zone)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Rows of one (zone, time) that each carry one component (MISO, CAISO)
 * become one row. */
static int
merge_components(struct pctx *p)
{
	struct dg_fetch_rows *rs = p->rows;
	size_t o = 0;

	for (size_t i = 0; i < rs->n; i++) {
		struct dg_fetch_row *r = &rs->v[i];

		if (o > 0 && rs->v[o - 1].t == r->t &&
		    strcmp(rs->v[o - 1].zone, r->zone) == 0) {
			struct dg_fetch_row *m = &rs->v[o - 1];

			if (m->have & r->have)
				return dg_error_set(p->err, DG_EDATA, p->name,
				    r->line, NULL,
				    "%s: the same price component twice for one hour",
				    r->zone);
			for (int k = 0; k < DG_FV_N; k++)
				if (r->have & 1u << k)
					set_v(m, k, r->v[k]);
			continue;
		}
		if (o != i)
			rs->v[o] = *r;
		o++;
	}
	rs->n = o;
	for (size_t i = 0; i < rs->n; i++) {
		if (!(rs->v[i].have & 1u << DG_FV_PRICE))
			return dg_error_set(p->err, DG_EDATA, p->name,
			    rs->v[i].line, NULL, "%s: components but no LMP",
			    rs->v[i].zone);
		if (fill_energy(&rs->v[i]) != DG_OK)
			return dg_error_set(p->err, DG_ERANGE, p->name,
			    rs->v[i].line, NULL, "price components overflow");
	}
	return DG_OK;
}

static void
mark_duplicates(struct dg_fetch_rows *rs)
{
	for (size_t i = 1; i < rs->n; i++)
		if (rs->v[i].t == rs->v[i - 1].t &&
		    strcmp(rs->v[i].zone, rs->v[i - 1].zone) == 0) {
			rs->v[i].quality |= DG_FQ_DUPLICATE;
			rs->v[i - 1].quality |= DG_FQ_DUPLICATE;
		}
}

static int
looks_html(const char *buf, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	return i < len && buf[i] == '<';
}

/* The parser of src's CSV formats on r. */
static int
parse_csv(struct pctx *p, struct dg_csv *r)
{
	switch (p->src->format) {
	case DG_FMT_NYISO_DAM:
		return parse_nyiso_lbmp(p, r, 0);
	case DG_FMT_NYISO_RT:
		return parse_nyiso_lbmp(p, r, 1);
	case DG_FMT_NYISO_PAL:
		return parse_nyiso_pal(p, r);
	case DG_FMT_NYISO_ISOLF:
		return parse_nyiso_isolf(p, r);
	case DG_FMT_PJM:
		return parse_pjm(p, r);
	case DG_FMT_ERCOT:
		return parse_ercot(p, r);
	case DG_FMT_CAISO:
		return parse_caiso(p, r);
	default:
		return dg_error_set(p->err, DG_EINTERNAL, p->name, 0, NULL,
		    "no parser for format %d", p->src->format);
	}
}

static int
whole_doc(int fmt)
{
	return fmt == DG_FMT_NWS_FORECAST || fmt == DG_FMT_NWS_OBS ||
	    fmt == DG_FMT_MISO;
}

/* The content of one plain file: from buf (len bytes), or for CSV
 * formats from fp when fp is not NULL. */
static int
parse_content(struct pctx *p, FILE *fp, const char *buf, size_t len)
{
	struct dg_csv *r = NULL;
	struct dg_csv_opts o;
	FILE *mf = NULL;
	int st, fmt = p->src->format;

	if (fmt == DG_FMT_NWS_FORECAST || fmt == DG_FMT_NWS_OBS)
		return parse_json(p, buf, len);
	if (fmt == DG_FMT_MISO)
		return parse_miso(p, buf, len, p->name);
	if (fp == NULL && (fp = mf = fmemopen((void *)buf, len, "r")) == NULL)
		return oom(p);
	dg_csv_opts_init(&o);
	o.allow_naive = 1;
	o.final_newline = 1;	/* a market file: no line end is cut short */
	if ((st = dg_csv_open_fp(&r, fp, p->name, &o, p->err)) == DG_OK)
		st = parse_csv(p, r);
	dg_csv_close(r);
	if (mf != NULL)
		fclose(mf);
	return st;
}

static int
check_start(struct pctx *p, const char *buf, size_t len)
{
	if (len == 0)
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "empty content");
	if (looks_html(buf, len))
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "an HTML or XML page, not %s data", p->src->name);
	return DG_OK;
}

/* One plain (not archived) file. */
static int
parse_plain(struct pctx *p, const char *buf, size_t len)
{
	int st, fmt = p->src->format;

	if ((st = check_start(p, buf, len)) != DG_OK ||
	    (st = parse_content(p, NULL, buf, len)) != DG_OK)
		return st;
	if (p->rows->n == 0)
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no data rows");
	qsort(p->rows->v, p->rows->n, sizeof(*p->rows->v), cmp_row);
	if (fmt == DG_FMT_MISO || fmt == DG_FMT_CAISO)
		return merge_components(p);
	mark_duplicates(p->rows);
	return DG_OK;
}

static void
reset_file(struct pctx *p, const char *name)
{
	p->name = name;
	ztab_clear(&p->zt);
	if (p->rows != NULL)
		p->rows->n = 0;
}

static int
emit(struct pctx *p, const char *buf, size_t len, const char *name,
    const char *member, dg_fetch_rows_fn fn, void *arg)
{
	int st;

	reset_file(p, name);
	if ((st = parse_plain(p, buf, len)) != DG_OK || fn == NULL)
		return st;
	/* the rows are handed over in the caller's zone */
	if (p->src->tz != NULL)
		dg_tz_set(p->saved_tz);
	st = fn(arg, p->rows, member, p->err);
	if (p->src->tz != NULL)
		dg_tz_set(p->src->tz);
	return st;
}

/* YYYYMMDD at the start of a member's base name, or -1. */
static int
member_day(const char *m, dg_date *d)
{
	const char *b = strrchr(m, '/');
	char buf[11];

	b = b ? b + 1 : m;
	for (int i = 0; i < 8; i++)
		if (!isdigit((unsigned char)b[i]))
			return -1;
	snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", b, b + 4, b + 6);
	return dg_date_parse(buf, 10, d) == DG_OK ? 0 : -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --- Streams ------------------------------------------------------------- */

/* A stream whose first bytes were read to look at them (fopencookie). */
#define PEEK 4096
struct peek {
	FILE *fp;
	char buf[PEEK];
	size_t n, pos;
};

static ssize_t
peek_read(void *c, char *out, size_t len)
{
	struct peek *k = c;
	size_t n;

	if (k->pos < k->n) {
		n = k->n - k->pos < len ? k->n - k->pos : len;
		memcpy(out, k->buf + k->pos, n);
		k->pos += n;
		return (ssize_t)n;
	}
	n = fread(out, 1, len, k->fp);
	return n == 0 && ferror(k->fp) ? -1 : (ssize_t)n;
}

/* Reads the first bytes of fp into k and opens *out on k. */
static int
peek_open(struct peek *k, FILE *fp, FILE **out)
{
	static const cookie_io_functions_t io = { peek_read, NULL, NULL, NULL };

	k->fp = fp;
	k->pos = 0;
	k->n = fread(k->buf, 1, sizeof(k->buf), fp);
	if (k->n == 0 && ferror(fp))
		return DG_EIO;
	if ((*out = fopencookie(k, "r", io)) == NULL)
		return DG_ENOMEM;
	return DG_OK;
}

/* gzip content inflated as it is read. */
struct gzs {
	FILE *in;
	z_stream z;
	unsigned char ibuf[65536];
	int end, bad;
};

static ssize_t
gz_read(void *c, char *out, size_t len)
{
	struct gzs *g = c;
	uInt want = (uInt)(len < 1u << 30 ? len : 1u << 30);
	int zr;

	if (g->end)
		return 0;
	if (g->bad)
		return -1;
	g->z.next_out = (Bytef *)out;
	g->z.avail_out = want;
	while (g->z.avail_out == want) {
		if (g->z.avail_in == 0) {
			size_t n = fread(g->ibuf, 1, sizeof(g->ibuf), g->in);

			if (n == 0) {
				g->bad = 1;	/* ends before the stream does */
				errno = EIO;
				return -1;
			}
			g->z.next_in = g->ibuf;
			g->z.avail_in = (uInt)n;
		}
		zr = inflate(&g->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			g->end = 1;
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			g->bad = 1;
			errno = EIO;
			return -1;
		}
	}
	return (ssize_t)(want - g->z.avail_out);
}

/* A zip member read as it is inflated. */
struct zms {
	zip_file_t *zf;
	int bad;
};

static ssize_t
zm_read(void *c, char *out, size_t len)
{
	struct zms *m = c;
	zip_int64_t n = zip_fread(m->zf, out, len);

	if (n < 0) {
		m->bad = 1;
		errno = EIO;
		return -1;
	}
	return (ssize_t)n;
}

/* Reads the rest of fp into memory. */
static int
slurp(struct pctx *p, FILE *fp, char **body, size_t *len)
{
	size_t n = 0, cap = 65536;
	char *b = malloc(cap);

	if (b == NULL)
		return oom(p);
	for (;;) {
		size_t k;

		if (n + 1 >= cap) {
			char *nb;

			if (cap >= DG_FETCH_INPUT_MAX ||
			    (nb = realloc(b, cap * 2)) == NULL) {
				free(b);
				return cap >= DG_FETCH_INPUT_MAX ?
				    dg_error_set(p->err, DG_EDATA, p->name, 0,
				    NULL, "file too large") : oom(p);
			}
			b = nb;
			cap *= 2;
		}
		if ((k = fread(b + n, 1, cap - n - 1, fp)) == 0)
			break;
		n += k;
	}
	if (ferror(fp)) {
		free(b);
		return dg_error_set(p->err, DG_EIO, p->name, 0, NULL,
		    "read error: %s", strerror(errno));
	}
	b[n] = '\0';
	*body = b;
	*len = n;
	return DG_OK;
}

int
dg_fetch_tmpfile(FILE **fp, struct dg_error *err)
{
	const char *d = getenv("TMPDIR");
	char path[1024];
	int fd;

	if (d == NULL || d[0] == '\0')
		d = "/tmp";
	snprintf(path, sizeof(path), "%s/dg-fetch.XXXXXX", d);
	if ((fd = mkstemp(path)) < 0)
		return dg_error_set(err, DG_ECREATE, d, 0, NULL,
		    "cannot create a temporary file: %s", strerror(errno));
	unlink(path);
	if ((*fp = fdopen(fd, "w+b")) == NULL) {
		close(fd);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	return DG_OK;
}

static int
tmp_fail(struct pctx *p, const char *what)
{
	p->fail = dg_error_set(p->err, DG_EIO, p->name, 0, NULL,
	    "temporary file: %s: %s", what, strerror(errno ? errno : EIO));
	return p->fail;
}

/* --- Sorting with bounded memory ------------------------------------------ */

#define ROW(s, i) (&(s)->chunk[(i) / CHUNK][(i) % CHUNK])

static struct dg_fetch_row *spill_add(struct pctx *p);

static struct dg_fetch_row *
store_add(struct pctx *p)
{
	struct store *s = &p->st;
	struct dg_fetch_row *r;

	if (s->n == s->max)
		return spill_add(p);
	if (s->n / CHUNK == s->nchunk) {
		struct dg_fetch_row **v = realloc(s->chunk,
		    (s->nchunk + 1) * sizeof(*v));

		if (v == NULL)
			return NULL;
		s->chunk = v;
		if ((v[s->nchunk] = huge_alloc(CHUNK * sizeof(**v))) == NULL)
			return NULL;
		s->nchunk++;
	}
	r = ROW(s, s->n);
	s->n++;
	s->total++;
	memset(r, 0, sizeof(*r));
	r->seq = p->seq++;
	return r;
}

/* Hours of the market day d, kept while the market's zone is set. */
static int
note_day(struct pctx *p, dg_date d)
{
	if (p->ndayh == 0 || d < p->dayh0 || d >= p->dayh0 + (dg_date)p->ndayh) {
		dg_date lo = p->ndayh == 0 || d < p->dayh0 ? d : p->dayh0;
		dg_date hi = p->ndayh == 0 || d >= p->dayh0 + (dg_date)p->ndayh ?
		    d + 1 : p->dayh0 + (dg_date)p->ndayh;
		size_t n = (size_t)(hi - lo);
		signed char *v = malloc(n);

		if (v == NULL)
			return DG_ENOMEM;
		memset(v, 0, n);
		if (p->ndayh > 0)
			memcpy(v + (p->dayh0 - lo), p->dayh, p->ndayh);
		free(p->dayh);
		p->dayh = v;
		p->dayh0 = lo;
		p->ndayh = n;
	}
	if (p->dayh[d - p->dayh0] == 0)
		p->dayh[d - p->dayh0] = (signed char)dg_date_hours(d);
	return DG_OK;
}

static const struct ztab *rank_tab;

static int
cmp_zone_ix(const void *a, const void *b)
{
	return strcmp(rank_tab->v[*(const size_t *)a].name,
	    rank_tab->v[*(const size_t *)b].name);
}

static int
key_lt(const struct skey *a, const struct skey *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	if (a->rank != b->rank)
		return a->rank < b->rank;
	return a->i < b->i;
}

static size_t
run_end(const struct skey *k, size_t i, size_t n)
{
	while (i + 1 < n && key_lt(&k[i], &k[i + 1]))
		i++;
	return i + 1;
}

/* Natural merge sort: the input's ascending runs merged in pairs until
 * one is left (in order already: one pass, nothing moved).  Returns a or
 * b, whichever holds the result. */
static struct skey *
sort_keys(struct skey *a, struct skey *b, size_t n)
{
	for (;;) {
		size_t i = 0, o = 0;

		if (n == 0 || run_end(a, 0, n) == n)
			return a;
		while (i < n) {
			size_t m = run_end(a, i, n), e, x, y;

			if (m == n) {
				memcpy(b + o, a + i, (n - i) * sizeof(*a));
				break;
			}
			e = run_end(a, m, n);
			for (x = i, y = m; x < m && y < e;)
				b[o++] = key_lt(&a[y], &a[x]) ? a[y++] : a[x++];
			while (x < m)
				b[o++] = a[x++];
			while (y < e)
				b[o++] = a[y++];
			i = e;
		}
		{
			struct skey *t = a;

			a = b;
			b = t;
		}
	}
}

/* Sorts the rows in memory (by time, zone name, order read): *out the
 * keys in order.  Called in the market's zone. */
static int
sort_mem(struct pctx *p, struct skey **out)
{
	struct store *s = &p->st;
	size_t *ix;
	int cov = p->src->kind != DG_FETCH_WEATHER;

	if (s->nkeys < s->n) {
		free(s->keys);
		free(s->tmp);
		s->nkeys = 0;
		if ((s->keys = malloc(s->n * sizeof(*s->keys))) == NULL ||
		    (s->tmp = malloc(s->n * sizeof(*s->tmp))) == NULL)
			return oom(p);
		s->nkeys = s->n;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct dg_fetch_row *r = ROW(s, i);
		long z = zfind(&p->zt, r->zone);

		if (z < 0 || (cov && note_day(p, r->day) != DG_OK))
			return oom(p);
		s->keys[i].t = r->t;
		s->keys[i].rank = (uint32_t)z;
		s->keys[i].i = (uint32_t)i;
	}
	if ((ix = malloc((p->zt.n + 1) * sizeof(*ix))) == NULL)
		return oom(p);
	for (size_t i = 0; i < p->zt.n; i++)
		ix[i] = i;
	rank_tab = &p->zt;
	qsort(ix, p->zt.n, sizeof(*ix), cmp_zone_ix);
	for (size_t i = 0; i < p->zt.n; i++)
		p->zt.v[ix[i]].rank = (uint32_t)i;
	free(p->rank2z);
	p->rank2z = ix;
	for (size_t i = 0; i < s->n; i++)
		s->keys[i].rank = p->zt.v[s->keys[i].rank].rank;
	*out = sort_keys(s->keys, s->tmp, s->n);
	return DG_OK;
}

/* The rows in memory, sorted, as one more run of the temporary file. */
static int
spill(struct pctx *p)
{
	struct store *s = &p->st;
	struct skey *k;
	int st;

	if (s->n == 0)
		return DG_OK;
	if ((st = sort_mem(p, &k)) != DG_OK)
		return st;
	if (s->run == NULL && (p->fail = dg_fetch_tmpfile(&s->run, p->err)))
		return p->fail;
	if (s->nruns == s->capruns) {
		size_t cap = s->capruns ? 2 * s->capruns : 16;
		struct srun *v = realloc(s->runs, cap * sizeof(*v));

		if (v == NULL)
			return oom(p);
		s->runs = v;
		s->capruns = cap;
	}
	for (size_t i = 0; i < s->n; i++)
		if (fwrite(ROW(s, k[i].i), sizeof(struct dg_fetch_row), 1,
		    s->run) != 1)
			return tmp_fail(p, "write");
	s->runs[s->nruns].off = s->end;
	s->runs[s->nruns].n = s->n;
	s->nruns++;
	s->end += (off_t)(s->n * sizeof(struct dg_fetch_row));
	s->n = 0;
	return DG_OK;
}

static struct dg_fetch_row *
spill_add(struct pctx *p)
{
	if (spill(p) != DG_OK) {
		if (!p->fail && p->err != NULL)
			p->fail = p->err->status;
		return NULL;
	}
	return store_add(p);
}

/* A run being merged: rows read from the temporary file a few at a
 * time. */
#define CURBUF 32
#define FANIN 64
struct cursor {
	off_t off;
	size_t left, pos, nbuf, run;
	struct dg_fetch_row buf[CURBUF];
};

static int
cur_fill(struct pctx *p, int fd, struct cursor *c)
{
	size_t k = c->left < CURBUF ? c->left : CURBUF;
	size_t want = k * sizeof(c->buf[0]), got = 0;

	while (got < want) {
		ssize_t r = pread(fd, (char *)c->buf + got, want - got,
		    c->off + (off_t)got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return tmp_fail(p, "read");
		got += (size_t)r;
	}
	c->off += (off_t)want;
	c->left -= k;
	c->nbuf = k;
	c->pos = 0;
	return DG_OK;
}

static int
cur_lt(const struct cursor *a, const struct cursor *b)
{
	const struct dg_fetch_row *x = &a->buf[a->pos], *y = &b->buf[b->pos];
	int c;

	if (x->t != y->t)
		return x->t < y->t;
	if ((c = strcmp(x->zone, y->zone)) != 0)
		return c < 0;
	return a->run < b->run;
}

static void
sift(struct cursor **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct cursor *t;

		if (l < n && cur_lt(h[l], h[m]))
			m = l;
		if (l + 1 < n && cur_lt(h[l + 1], h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

typedef int (*row_out_fn)(struct pctx *p, const struct dg_fetch_row *r,
    void *arg);

/* Merges runs a..b-1 of the temporary file into out. */
static int
merge_runs(struct pctx *p, size_t a, size_t b, row_out_fn out, void *arg)
{
	struct store *s = &p->st;
	struct cursor *c = calloc(b - a, sizeof(*c));
	struct cursor **h = calloc(b - a, sizeof(*h));
	size_t n = 0;
	int fd, st = DG_OK;

	if (c == NULL || h == NULL) {
		free(c);
		free(h);
		return oom(p);
	}
	if (fflush(s->run) != 0)
		st = tmp_fail(p, "write");
	fd = fileno(s->run);
	for (size_t i = a; i < b && st == DG_OK; i++) {
		struct cursor *k = &c[i - a];

		k->off = s->runs[i].off;
		k->left = s->runs[i].n;
		k->run = i;
		if (k->left > 0 && (st = cur_fill(p, fd, k)) == DG_OK)
			h[n++] = k;
	}
	for (size_t i = n; i-- > 0;)
		sift(h, n, i);
	while (n > 0 && st == DG_OK) {
		struct cursor *k = h[0];

		if ((st = out(p, &k->buf[k->pos], arg)) != DG_OK)
			break;
		if (++k->pos == k->nbuf) {
			if (k->left == 0) {
				h[0] = h[--n];
			} else if ((st = cur_fill(p, fd, k)) != DG_OK)
				break;
		}
		sift(h, n, 0);
	}
	free(c);
	free(h);
	return st;
}

static int
to_file(struct pctx *p, const struct dg_fetch_row *r, void *arg)
{
	if (fwrite(r, sizeof(*r), 1, arg) != 1)
		return tmp_fail(p, "write");
	return DG_OK;
}

/* Merges runs FANIN at a time into a new temporary file until at most
 * FANIN are left. */
static int
merge_passes(struct pctx *p)
{
	struct store *s = &p->st;

	while (s->nruns > FANIN) {
		FILE *nf;
		struct srun *nr;
		size_t nn = 0;
		off_t end = 0;
		int st;

		if ((nr = calloc((s->nruns + FANIN - 1) / FANIN,
		    sizeof(*nr))) == NULL)
			return oom(p);
		if ((st = dg_fetch_tmpfile(&nf, p->err)) != DG_OK) {
			free(nr);
			return p->fail = st;
		}
		for (size_t i = 0; i < s->nruns; i += FANIN) {
			size_t e = i + FANIN < s->nruns ? i + FANIN : s->nruns;

			nr[nn].off = end;
			for (size_t j = i; j < e; j++)
				nr[nn].n += s->runs[j].n;
			end += (off_t)(nr[nn].n * sizeof(struct dg_fetch_row));
			nn++;
			if ((st = merge_runs(p, i, e, to_file, nf)) != DG_OK) {
				fclose(nf);
				free(nr);
				return st;
			}
		}
		fclose(s->run);
		free(s->runs);
		s->run = nf;
		s->runs = nr;
		s->nruns = s->capruns = nn;
		s->end = end;
	}
	return DG_OK;
}

/* --- The rows out, one at a time -------------------------------------------- */

static int write_one(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_row *r, struct dg_fetch_counts *c);

static int
cmp_short(const void *a, const void *b)
{
	const struct short_day *x = a, *y = b;
	int c = strcmp(rank_tab->v[x->zone].name, rank_tab->v[y->zone].name);

	if (c != 0)
		return c;
	return x->day < y->day ? -1 : x->day > y->day;
}

static int
cov_close(struct pctx *p, size_t z)
{
	struct zent *e = &p->zt.v[z];
	long len = 24 * 3600;

	e->cov_on = 0;
	if (e->cov_day >= p->dayh0 && e->cov_day < p->dayh0 + (dg_date)p->ndayh &&
	    p->dayh[e->cov_day - p->dayh0] != 0)
		len = (long)p->dayh[e->cov_day - p->dayh0] * 3600;
	if (e->cov == len)
		return DG_OK;
	if (p->nshorts == p->capshorts) {
		size_t cap = p->capshorts ? 2 * p->capshorts : 16;
		struct short_day *v = realloc(p->shorts, cap * sizeof(*v));

		if (v == NULL)
			return oom(p);
		p->shorts = v;
		p->capshorts = cap;
	}
	p->shorts[p->nshorts].zone = z;
	p->shorts[p->nshorts].day = e->cov_day;
	p->shorts[p->nshorts].cov = e->cov;
	p->shorts[p->nshorts].len = len;
	p->nshorts++;
	return DG_OK;
}

/* A finished row: written when selected, its zone's day covered.  zi is
 * the zone's index, or -1: looked up. */
static int
row_done(struct pctx *p, const struct dg_fetch_row *r, long zi)
{
	struct dg_fetch_sink *s = p->sink;
	int st;

	if (!dg_fetch_row_selected(r, p->f))
		return DG_OK;
	if (p->src->kind != DG_FETCH_WEATHER) {
		long z = zi >= 0 ? zi : zfind(&p->zt, r->zone);
		struct zent *e;

		if (z < 0)
			return oom(p);
		e = &p->zt.v[z];
		if (!e->cov_on || e->cov_day != r->day) {
			if (e->cov_on && (st = cov_close(p, (size_t)z)) != DG_OK)
				return st;
			e->cov_on = 1;
			e->cov_day = r->day;
			e->cov = 0;
			e->cov_last = INT64_MIN;
		}
		if (r->t != e->cov_last)
			e->cov += r->dur;
		e->cov_last = r->t;
	}
	st = write_one(s->w, p->src, r, &s->counts);
	if (st != DG_OK && st != DG_EPIPE)
		dg_error_set(p->err, st, NULL, 0, NULL, "write error: %s",
		    strerror(s->w->errnum ? s->w->errnum : EIO));
	return st;
}

/* A merged row (MISO, CAISO) complete: its LMP given, its energy
 * computed.  The first such error is told once the whole file is merged,
 * after any component given twice, as dg_fetch_parse does. */
static int
merged_done(struct pctx *p, struct dg_fetch_row *m, long zi)
{
	if (p->deferred)
		return DG_OK;
	if (!(m->have & 1u << DG_FV_PRICE))
		p->deferred = dg_error_set(&p->deferred_err, DG_EDATA, p->name,
		    m->line, NULL, "%s: components but no LMP", m->zone);
	else if (fill_energy(m) != DG_OK)
		p->deferred = dg_error_set(&p->deferred_err, DG_ERANGE, p->name,
		    m->line, NULL, "price components overflow");
	return p->deferred ? DG_OK : row_done(p, m, zi);
}

/* The rows in order: those of one zone and start flagged duplicate (or,
 * for MISO and CAISO, merged into one row).  zi: r's zone index, or -1;
 * same: whether r has the held row's zone and start, or -1: compared;
 * stable: r stays in place until the end (else it is copied). */
static int
pipe_row(struct pctx *p, struct dg_fetch_row *r, long zi, int same,
    int stable)
{
	struct dg_fetch_row *h = p->hp;
	int merge = p->src->format == DG_FMT_MISO ||
	    p->src->format == DG_FMT_CAISO;
	int st = DG_OK;

	if (same < 0)
		same = h != NULL && h->t == r->t && strcmp(h->zone, r->zone) == 0;
	if (merge && same) {
		if (h->have & r->have)
			return dg_error_set(p->err, DG_EDATA, p->name, r->line,
			    NULL, "%s: the same price component twice for one hour",
			    r->zone);
		for (int k = 0; k < DG_FV_N; k++)
			if (r->have & 1u << k)
				set_v(h, k, r->v[k]);
		return DG_OK;
	}
	if (same)
		h->quality |= DG_FQ_DUPLICATE;
	if (h != NULL && (st = merge ? merged_done(p, h, p->hz) :
	    row_done(p, h, p->hz)) != DG_OK)
		return st;
	if (stable)
		p->hp = r;
	else {
		p->held = *r;
		p->hp = &p->held;
	}
	if (same)
		p->hp->quality |= DG_FQ_DUPLICATE;
	p->hz = zi;
	return DG_OK;
}

static int
pipe_disk(struct pctx *p, const struct dg_fetch_row *r, void *arg)
{
	(void)arg;
	return pipe_row(p, (struct dg_fetch_row *)r, -1, -1, 0);
}

static int
pipe_end(struct pctx *p)
{
	int merge = p->src->format == DG_FMT_MISO ||
	    p->src->format == DG_FMT_CAISO;
	int st = DG_OK;

	if (p->hp != NULL)
		st = merge ? merged_done(p, p->hp, p->hz) :
		    row_done(p, p->hp, p->hz);
	p->hp = NULL;
	if (st != DG_OK)
		return st;
	if (p->deferred) {
		if (p->err != NULL)
			*p->err = p->deferred_err;
		return p->deferred;
	}
	for (size_t z = 0; z < p->zt.n; z++)
		if (p->zt.v[z].cov_on && (st = cov_close(p, z)) != DG_OK)
			return st;
	rank_tab = &p->zt;
	if (p->nshorts > 1)
		qsort(p->shorts, p->nshorts, sizeof(*p->shorts), cmp_short);
	for (size_t i = 0; i < p->nshorts; i++)
		if (p->sink->short_day != NULL)
			p->sink->short_day(p->sink->arg,
			    p->zt.v[p->shorts[i].zone].name, p->shorts[i].day,
			    p->shorts[i].cov, p->shorts[i].len);
	p->sink->short_days += (long)p->nshorts;
	return DG_OK;
}

static void
store_reset(struct pctx *p)
{
	struct store *s = &p->st;

	if (s->run != NULL)
		fclose(s->run);
	s->run = NULL;
	free(s->runs);
	s->runs = NULL;
	s->nruns = s->capruns = 0;
	s->end = 0;
	s->n = 0;
	s->total = 0;
	p->hp = NULL;
	p->deferred = 0;
	p->nshorts = 0;
}

static void
store_free(struct pctx *p)
{
	struct store *s = &p->st;

	store_reset(p);
	for (size_t i = 0; i < s->nchunk; i++)
		free(s->chunk[i]);
	free(s->chunk);
	free(s->keys);
	free(s->tmp);
	free(p->shorts);
	free(p->rank2z);
	free(p->dayh);
}

/* One plain file of dg_fetch_stream, from fp: parsed, sorted, written. */
static int
emit_stream(struct pctx *p, FILE *fp, const char *name, int *bad)
{
	struct peek k;
	FILE *pf = NULL;
	struct skey *keys = NULL;
	int st;

	reset_file(p, name);
	store_reset(p);
	if ((st = peek_open(&k, fp, &pf)) != DG_OK) {
		if (st == DG_EIO && bad != NULL && *bad)
			return DG_EIO;
		return st == DG_EIO ? dg_error_set(p->err, DG_EIO, name, 0,
		    NULL, "read error: %s", strerror(errno)) : oom(p);
	}
	if ((st = check_start(p, k.buf, k.n)) == DG_OK) {
		if (whole_doc(p->src->format)) {
			char *body;
			size_t len;

			if ((st = slurp(p, pf, &body, &len)) == DG_OK) {
				st = parse_content(p, NULL, body, len);
				free(body);
			}
		} else
			st = parse_content(p, pf, NULL, 0);
	}
	fclose(pf);
	if (st != DG_OK)
		return bad != NULL && *bad ? DG_EIO : st;
	if (p->st.total == 0)
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no data rows");
	if (p->st.nruns > 0) {
		if ((st = spill(p)) != DG_OK || (st = merge_passes(p)) != DG_OK)
			return st;
	} else if ((st = sort_mem(p, &keys)) != DG_OK)
		return st;
	/* the rows are written in the caller's zone */
	if (p->src->tz != NULL)
		dg_tz_set(p->saved_tz);
	if (p->st.nruns > 0)
		st = merge_runs(p, 0, p->st.nruns, pipe_disk, NULL);
	else
		for (size_t i = 0; i < p->st.n && st == DG_OK; i++)
			st = pipe_row(p, ROW(&p->st, keys[i].i),
			    (long)p->rank2z[keys[i].rank], i > 0 &&
			    keys[i].t == keys[i - 1].t &&
			    keys[i].rank == keys[i - 1].rank, 1);
	if (st == DG_OK)
		st = pipe_end(p);
	if (p->src->tz != NULL)
		dg_tz_set(p->src->tz);
	return st;
}

/* --- Archives ---------------------------------------------------------------- */

/* Each member of a zip archive (buf, or the file path when buf is NULL)
 * in name order: dg_fetch_parse's emit (fn) or dg_fetch_stream's. */
static int
parse_zip(struct pctx *p, const char *buf, size_t len, const char *path,
    const char *name, dg_fetch_rows_fn fn, void *arg)
{
	zip_error_t ze;
	zip_source_t *zs;
	zip_t *za;
	zip_int64_t n;
	char **names = NULL;
	size_t nn = 0;
	int st = DG_OK, parsed = 0, zerr = 0;

	zip_error_init(&ze);
	if (buf == NULL) {
		za = zip_open(path, ZIP_RDONLY, &zerr);
		if (za == NULL)
			zip_error_init_with_code(&ze, zerr);
	} else {
		if ((zs = zip_source_buffer_create(buf, len, 0, &ze)) == NULL) {
			zip_error_fini(&ze);
			return oom(p);
		}
		if ((za = zip_open_from_source(zs, ZIP_RDONLY, &ze)) == NULL)
			zip_source_free(zs);
	}
	if (za == NULL) {
		st = dg_error_set(p->err, DG_EDATA, name, 0, NULL,
		    "broken zip archive: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return st;
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(za, 0);
	if (n > 0 && (names = calloc((size_t)n, sizeof(*names))) == NULL) {
		zip_discard(za);
		return oom(p);
	}
	for (zip_int64_t i = 0; i < n; i++) {
		const char *m = zip_get_name(za, (zip_uint64_t)i, 0);
		size_t ml;

		if (m == NULL || (ml = strlen(m)) == 0 || m[ml - 1] == '/')
			continue;
		names[nn++] = (char *)m;
	}
	if (nn > 1)
		qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn && st == DG_OK; i++) {
		zip_stat_t zst;
		zip_file_t *zf;
		char *mb = NULL, full[512];
		dg_date d;

		if (p->f && p->f->have_days && member_day(names[i], &d) == 0 &&
		    (d < p->f->from || d > p->f->to))
			continue;
		if (zip_stat(za, names[i], 0, &zst) != 0 ||
		    !(zst.valid & ZIP_STAT_SIZE) || zst.size > (1u << 30)) {
			st = dg_error_set(p->err, DG_EDATA, name, 0, NULL,
			    "zip member %s: no size", names[i]);
			break;
		}
		snprintf(full, sizeof(full), "%s(%s)", name, names[i]);
		if (p->sink != NULL) {
			static const cookie_io_functions_t io = {
				zm_read, NULL, NULL, NULL };
			struct zms m;
			FILE *fp;

			m.bad = 0;
			if ((m.zf = zip_fopen(za, names[i], 0)) == NULL) {
				st = dg_error_set(p->err, DG_EDATA, name, 0, NULL,
				    "zip member %s: cannot be read: %s", names[i],
				    zip_strerror(za));
				break;
			}
			if ((fp = fopencookie(&m, "r", io)) == NULL) {
				zip_fclose(m.zf);
				st = oom(p);
				break;
			}
			st = emit_stream(p, fp, full, &m.bad);
			fclose(fp);
			if (m.bad)
				st = dg_error_set(p->err, DG_EDATA, name, 0, NULL,
				    "zip member %s: cannot be read: %s", names[i],
				    zip_file_strerror(m.zf));
			zip_fclose(m.zf);
			parsed++;
			continue;
		}
		if ((mb = malloc(zst.size + 1)) == NULL) {
			st = oom(p);
			break;
		}
		if ((zf = zip_fopen(za, names[i], 0)) == NULL ||
		    zip_fread(zf, mb, zst.size) != (zip_int64_t)zst.size) {
			st = dg_error_set(p->err, DG_EDATA, name, 0, NULL,
			    "zip member %s: cannot be read: %s", names[i],
			    zip_strerror(za));
			if (zf)
				zip_fclose(zf);
			free(mb);
			break;
		}
		zip_fclose(zf);
		mb[zst.size] = '\0';
		st = emit(p, mb, (size_t)zst.size, full, names[i], fn, arg);
		parsed++;
		free(mb);
	}
	free(names);
	zip_discard(za);
	if (st == DG_OK && parsed == 0)
		st = dg_error_set(p->err, DG_EDATA, name, 0, NULL,
		    "no archive member for the days asked");
	return st;
}

static int
gunzip(struct pctx *p, const char *buf, size_t len, char **out, size_t *olen)
{
	z_stream z;
	size_t cap = len * 4 + 4096, n = 0;
	char *o = malloc(cap);
	int zr;

	if (o == NULL)
		return oom(p);
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(o);
		return oom(p);
	}
	z.next_in = (Bytef *)buf;
	z.avail_in = (uInt)len;
	do {
		if (n == cap) {
			char *no;

			if (cap > (size_t)1 << 30 ||
			    (no = realloc(o, cap * 2)) == NULL) {
				inflateEnd(&z);
				free(o);
				return oom(p);
			}
			o = no;
			cap *= 2;
		}
		z.next_out = (Bytef *)o + n;
		z.avail_out = (uInt)(cap - n);
		zr = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
	} while (zr == Z_OK && !(z.avail_in == 0 && z.avail_out != 0));
	inflateEnd(&z);
	if (zr != Z_STREAM_END) {
		free(o);
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "truncated or corrupt gzip data");
	}
	*out = o;
	*olen = n;
	return DG_OK;
}

static int
ctx_init(struct pctx *p, const struct dg_fetch_source *src, const char *name,
    const struct dg_fetch_filter *f, struct dg_error *err)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->f = f;
	p->name = name;
	p->err = err;
	snprintf(p->saved_tz, sizeof(p->saved_tz), "%s", dg_tz_name());
	if (src->tz != NULL && dg_tz_set(src->tz) != DG_OK)
		return dg_error_set(err, DG_EINTERNAL, name, 0, NULL,
		    "time zone %s not installed", src->tz);
	return DG_OK;
}

static void
ctx_free(struct pctx *p)
{
	dg_tz_set(p->saved_tz);
	ztab_clear(&p->zt);
	if (p->sink != NULL)
		store_free(p);
	free(p->memo);
}

int
dg_fetch_parse(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    dg_fetch_rows_fn fn, void *arg, struct dg_error *err)
{
	struct dg_fetch_rows rows;
	struct pctx p;
	int st;

	if ((st = ctx_init(&p, src, name, f, err)) != DG_OK)
		return st;
	p.rows = &rows;
	dg_fetch_rows_init(&rows);
	if (len >= 4 && memcmp(buf, "PK\003\004", 4) == 0)
		st = parse_zip(&p, buf, len, NULL, name, fn, arg);
	else if (len >= 2 && (unsigned char)buf[0] == 0x1f &&
	    (unsigned char)buf[1] == 0x8b) {
		char *g = NULL;
		size_t gl = 0;

		if ((st = gunzip(&p, buf, len, &g, &gl)) == DG_OK) {
			st = emit(&p, g, gl, name, NULL, fn, arg);
			free(g);
		}
	} else
		st = emit(&p, buf, len, name, NULL, fn, arg);
	ctx_free(&p);
	dg_fetch_rows_release(&rows);
	return st;
}

/* dg_fetch_stream on fp (path names it when it is a file that libzip can
 * open itself, else NULL: a zip archive is then read into memory). */
static int
stream_fp(struct pctx *p, FILE *fp, const char *path, const char *buf,
    size_t len)
{
	struct peek k;
	FILE *pf;
	int st;

	if (buf != NULL && len >= 4 && memcmp(buf, "PK\003\004", 4) == 0)
		return parse_zip(p, buf, len, NULL, p->name, NULL, NULL);
	if ((st = peek_open(&k, fp, &pf)) != DG_OK)
		return st == DG_EIO ? dg_error_set(p->err, DG_EIO, p->name, 0,
		    NULL, "read error: %s", strerror(errno)) : oom(p);
	if (k.n >= 4 && memcmp(k.buf, "PK\003\004", 4) == 0) {
		char *body;
		size_t blen;

		if (path != NULL) {
			fclose(pf);
			return parse_zip(p, NULL, 0, path, p->name, NULL, NULL);
		}
		if ((st = slurp(p, pf, &body, &blen)) == DG_OK) {
			st = parse_zip(p, body, blen, NULL, p->name, NULL, NULL);
			free(body);
		}
	} else if (k.n >= 2 && (unsigned char)k.buf[0] == 0x1f &&
	    (unsigned char)k.buf[1] == 0x8b) {
		static const cookie_io_functions_t io = {
			gz_read, NULL, NULL, NULL };
		struct gzs *g = calloc(1, sizeof(*g));
		FILE *gf = NULL;

		if (g == NULL || inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
			free(g);
			fclose(pf);
			return oom(p);
		}
		g->in = pf;
		if ((gf = fopencookie(g, "r", io)) == NULL)
			st = oom(p);
		else {
			st = emit_stream(p, gf, p->name, &g->bad);
			fclose(gf);
		}
		if (g->bad)
			st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
			    "truncated or corrupt gzip data");
		inflateEnd(&g->z);
		free(g);
	} else
		st = emit_stream(p, pf, p->name, NULL);
	fclose(pf);
	return st;
}

static int
stream_init(struct pctx *p, const struct dg_fetch_source *src,
    const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err)
{
	size_t mem = s->mem ? s->mem : DG_FETCH_MEM_DEFAULT;
	int st = ctx_init(p, src, name, f, err);

	p->sink = s;
	p->st.max = mem / (sizeof(struct dg_fetch_row) + 2 * sizeof(struct skey));
	if (p->st.max < 1)
		p->st.max = 1;
	if (p->st.max > UINT32_MAX)
		p->st.max = UINT32_MAX;
	return st;
}

int
dg_fetch_stream_file(const struct dg_fetch_source *src, const char *path,
    const struct dg_fetch_filter *f, struct dg_fetch_sink *s,
    struct dg_error *err)
{
	struct pctx p;
	int stdin_ = strcmp(path, "-") == 0;
	FILE *fp;
	int st;

	if ((st = stream_init(&p, src, path, f, s, err)) == DG_OK) {
		if ((fp = stdin_ ? stdin : fopen(path, "rb")) == NULL)
			st = dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
			    "cannot open: %s", strerror(errno));
		else {
			st = stream_fp(&p, fp, stdin_ ? NULL : path, NULL, 0);
			if (!stdin_)
				fclose(fp);
		}
	}
	ctx_free(&p);
	return st;
}

int
dg_fetch_stream_buf(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err)
{
	struct pctx p;
	FILE *fp = NULL;
	int st;

	if ((st = stream_init(&p, src, name, f, s, err)) == DG_OK) {
		if (len == 0)
			st = dg_error_set(err, DG_EDATA, name, 0, NULL,
			    "empty content");
		else if ((fp = fmemopen((void *)buf, len, "r")) == NULL)
			st = dg_error_set(err, DG_ENOMEM, name, 0, NULL,
			    "out of memory");
		else {
			st = stream_fp(&p, fp, NULL, buf, len);
			fclose(fp);
		}
	}
	ctx_free(&p);
	return st;
}

/* --- Coverage ------------------------------------------------------------------ */

static const struct dg_fetch_row *sort_base;

static int
cmp_zone_time(const void *a, const void *b)
{
	const struct dg_fetch_row *x = &sort_base[*(const size_t *)a];
	const struct dg_fetch_row *y = &sort_base[*(const size_t *)b];
	int c = strcmp(x->zone, y->zone);

	if (c != 0)
		return c;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

long
dg_fetch_short_days(const struct dg_fetch_source *src,
    const struct dg_fetch_rows *rows, const struct dg_fetch_filter *f,
    void (*fn)(void *arg, const char *zone, dg_date day, long covered_s,
    long day_s), void *arg)
{
	size_t *ix, n = 0;
	long nshort = 0;
	char saved[128];

	if (src->kind == DG_FETCH_WEATHER || rows->n == 0)
		return 0;
	if ((ix = malloc(rows->n * sizeof(*ix))) == NULL)
		return -1;
	for (size_t i = 0; i < rows->n; i++)
		if (dg_fetch_row_selected(&rows->v[i], f))
			ix[n++] = i;
	sort_base = rows->v;
	qsort(ix, n, sizeof(*ix), cmp_zone_time);
	snprintf(saved, sizeof(saved), "%s", dg_tz_name());
	if (src->tz != NULL)
		dg_tz_set(src->tz);
	for (size_t i = 0; i < n;) {
		const struct dg_fetch_row *g = &rows->v[ix[i]];
		long cov = 0, len;
		dg_time last = INT64_MIN;
		size_t j;

		for (j = i; j < n; j++) {
			const struct dg_fetch_row *r = &rows->v[ix[j]];

			if (strcmp(r->zone, g->zone) != 0 || r->day != g->day)
				break;
			if (r->t != last)
				cov += r->dur;
			last = r->t;
		}
		len = (long)dg_date_hours(g->day) * 3600;
		if (cov != len) {
			nshort++;
			if (fn) {
				dg_tz_set(saved);
				fn(arg, g->zone, g->day, cov, len);
				if (src->tz != NULL)
					dg_tz_set(src->tz);
			}
		}
		i = j;
	}
	dg_tz_set(saved);
	free(ix);
	return nshort;
}

/* --- Output ------------------------------------------------------------------ */

static const char *const hdr_price[] = {
	"zone", "time", "price_usd_per_mwh", "energy_usd_per_mwh",
	"congestion_usd_per_mwh", "losses_usd_per_mwh", "duration_s", "ptid",
	"source", "status", "quality"
};
static const char *const hdr_load[] = {
	"zone", "time", "load_mw", "duration_s", "ptid", "source", "quality"
};
static const char *const hdr_loadfc[] = {
	"zone", "time", "load_mw", "duration_s", "issued", "source", "quality"
};
static const char *const hdr_weather[] = {
	"station", "time", "temp_f", "rh_pct", "duration_s", "source", "quality"
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int
dg_fetch_write_header(struct dg_csvw *w, const struct dg_fetch_source *src)
{
	switch (src->kind) {
	case DG_FETCH_PRICE:
		return dg_csvw_header(w, hdr_price, NELEM(hdr_price));
	case DG_FETCH_LOAD:
		return dg_csvw_header(w, hdr_load, NELEM(hdr_load));
	case DG_FETCH_LOADFC:
		return dg_csvw_header(w, hdr_loadfc, NELEM(hdr_loadfc));
	default:
		return dg_csvw_header(w, hdr_weather, NELEM(hdr_weather));
	}
}

/* Decimals written for prices: the source's own precision. */
static int
price_scale(int fmt)
{
	switch (fmt) {
	case DG_FMT_PJM:	return 6;
	case DG_FMT_CAISO:	return 5;
	default:		return 2;
	}
}

int
dg_fetch_row_selected(const struct dg_fetch_row *r,
    const struct dg_fetch_filter *f)
{
	int ok;

	if (f == NULL)
		return 1;
	if (f->have_days && (r->day < f->from || r->day > f->to))
		return 0;
	if (f->nzones == 0)
		return 1;
	ok = 0;
	for (size_t i = 0; i < f->nzones && !ok; i++)
		ok = strcmp(f->zones[i], r->zone) == 0;
	return ok;
}

static void
wdec(struct dg_csvw *w, const struct dg_fetch_row *r, int slot, int scale)
{
	if (r->have & 1u << slot)
		dg_csvw_dec(w, r->v[slot], scale);
	else
		dg_csvw_empty(w);
}

static int
write_one(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_row *r, struct dg_fetch_counts *c)
{
	int ps = price_scale(src->format), st;
	char q[64];

	dg_quality_format(r->quality, quality_names, DG_FQ_N, q, sizeof(q));
	for (int k = 0; k < DG_FQ_N && c; k++)
		if (r->quality & 1u << k)
			c->flagged[k]++;
	dg_csvw_str(w, r->zone);
	dg_csvw_time(w, r->t);
	switch (src->kind) {
	case DG_FETCH_PRICE:
		for (int k = 0; k < 4; k++)
			wdec(w, r, k, ps);
		dg_csvw_int(w, r->dur);
		dg_csvw_str(w, r->ptid);
		dg_csvw_str(w, src->name);
		dg_csvw_str(w, src->status);
		break;
	case DG_FETCH_LOAD:
	case DG_FETCH_LOADFC:
		wdec(w, r, DG_FV_LOAD, 1);
		dg_csvw_int(w, r->dur);
		if (src->kind == DG_FETCH_LOAD)
			dg_csvw_str(w, r->ptid);
		else
			dg_csvw_date(w, r->issued);
		dg_csvw_str(w, src->name);
		break;
	default:
		wdec(w, r, DG_FV_TEMP_F, 2);
		wdec(w, r, DG_FV_RH, 1);
		if (r->dur > 0)
			dg_csvw_int(w, r->dur);
		else
			dg_csvw_empty(w);
		dg_csvw_str(w, src->name);
		break;
	}
	dg_csvw_str(w, q);
	st = dg_csvw_end_row(w);
	if (c && st == DG_OK)
		c->rows++;
	return st;
}

int
dg_fetch_write_rows(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_rows *rows, const struct dg_fetch_filter *f,
    struct dg_fetch_counts *c)
{
	int st = DG_OK;

	for (size_t i = 0; i < rows->n && st == DG_OK; i++)
		if (dg_fetch_row_selected(&rows->v[i], f))
			st = write_one(w, src, &rows->v[i], c);
	return st;
}

/* --- URLs ---------------------------------------------------------------------- */

static int
url_fmt(char *buf, size_t n, struct dg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
url_fmt(char *buf, size_t n, struct dg_error *err, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= n)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "URL too long");
	return DG_OK;
}

/* Letters, digits and -._~ kept; the rest %XX. */
static void
escape(const char *s, char *out, size_t n)
{
	size_t o = 0;

	for (; *s && o + 4 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, n - o, "%%%02X", c);
	}
	out[o] = '\0';
}

int
dg_fetch_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *zone, char *url, size_t un,
    char *cname, size_t cn, struct dg_error *err)
{
	int y, m, dd, st;
	char ymd[16], z[256];

	if (base == NULL)
		base = src->base_url;
	dg_date_to_ymd(d, &y, &m, &dd);
	snprintf(ymd, sizeof(ymd), "%04d%02d%02d", y, m, monthly ? 1 : dd);
	switch (src->format) {
	case DG_FMT_NYISO_DAM:
	case DG_FMT_NYISO_RT:
	case DG_FMT_NYISO_PAL:
	case DG_FMT_NYISO_ISOLF: {
		static const char *const dir[] = {
			"damlbmp", "realtime", "palIntegrated", "isolf" };
		static const char *const file[] = {
			"damlbmp_zone", "realtime_zone", "palIntegrated", "isolf" };
		int k = src->format - DG_FMT_NYISO_DAM;

		if ((st = url_fmt(cname, cn, err, "%s%s%s", ymd, file[k],
		    monthly ? "_csv.zip" : ".csv")) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/%s/%s", base, dir[k], cname);
	}
	case DG_FMT_PJM: {
		const char *feed = strstr(src->name, "-rt") ? "rt_hrl_lmps" :
		    "da_hrl_lmps";
		char range[96], er[200];

		snprintf(range, sizeof(range), "%d/%d/%04d 00:00to%d/%d/%04d 23:00",
		    m, dd, y, m, dd, y);
		escape(range, er, sizeof(er));
		if ((st = url_fmt(cname, cn, err, "%s_%s.csv", feed, ymd)) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/%s?download=true&format=csv"
		    "&startRow=1&rowCount=50000&datetime_beginning_ept=%s",
		    base, feed, er);
	}
	case DG_FMT_MISO:
		if ((st = url_fmt(cname, cn, err, "%s_da_%s_lmp.csv", ymd,
		    strcmp(src->status, "preliminary") == 0 ? "exante" :
		    "expost")) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/%s", base, cname);
	case DG_FMT_ERCOT:
		if ((st = url_fmt(cname, cn, err, "dam_spp_%s.csv", ymd)) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/np4-190-cd/dam_stlmnt_pnt_prices"
		    "?deliveryDateFrom=%04d-%02d-%02d&deliveryDateTo=%04d-%02d-%02d",
		    base, y, m, dd, y, m, dd);
	case DG_FMT_CAISO: {
		dg_time a, b;
		char saved[128];
		struct tm ta, tb;
		time_t ta_t, tb_t;

		if (zone == NULL)
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s needs --zone NODE", src->name);
		snprintf(saved, sizeof(saved), "%s", dg_tz_name());
		dg_tz_set(src->tz);
		st = dg_date_start(d, &a) || dg_date_start(d + 1, &b);
		dg_tz_set(saved);
		if (st)
			return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
			    "no local midnight");
		ta_t = (time_t)a;
		tb_t = (time_t)b;
		gmtime_r(&ta_t, &ta);
		gmtime_r(&tb_t, &tb);
		escape(zone, z, sizeof(z));
		if ((st = url_fmt(cname, cn, err, "PRC_LMP_DAM_%s_%s.zip", z,
		    ymd)) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/SingleZip?resultformat=6"
		    "&queryname=PRC_LMP&version=12&market_run_id=DAM&node=%s"
		    "&startdatetime=%04d%02d%02dT%02d:%02d-0000"
		    "&enddatetime=%04d%02d%02dT%02d:%02d-0000", base, z,
		    ta.tm_year + 1900, ta.tm_mon + 1, ta.tm_mday, ta.tm_hour,
		    ta.tm_min, tb.tm_year + 1900, tb.tm_mon + 1, tb.tm_mday,
		    tb.tm_hour, tb.tm_min);
	}
	case DG_FMT_NWS_FORECAST: {
		char safe[256];

		if (zone == NULL)
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s needs --zone WFO/X,Y (a gridpoint)", src->name);
		snprintf(safe, sizeof(safe), "%s", zone);
		for (char *c = safe; *c; c++)
			if (!isalnum((unsigned char)*c))
				*c = '_';
		if ((st = url_fmt(cname, cn, err, "forecast_hourly_%s_%s.json",
		    safe, ymd)) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/gridpoints/%s/forecast/hourly",
		    base, zone);
	}
	case DG_FMT_NWS_OBS: {
		dg_time a, b;
		struct tm ta, tb;
		time_t ta_t, tb_t;

		if (zone == NULL)
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s needs --zone STATION", src->name);
		if (dg_date_start(d, &a) || dg_date_start(d + 1, &b))
			return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
			    "no local midnight");
		ta_t = (time_t)a;
		tb_t = (time_t)(b - 1);
		gmtime_r(&ta_t, &ta);
		gmtime_r(&tb_t, &tb);
		escape(zone, z, sizeof(z));
		if ((st = url_fmt(cname, cn, err, "observations_%s_%s.json", z,
		    ymd)) != DG_OK)
			return st;
		return url_fmt(url, un, err, "%s/stations/%s/observations"
		    "?start=%04d-%02d-%02dT%02d:%02d:%02dZ"
		    "&end=%04d-%02d-%02dT%02d:%02d:%02dZ", base, z,
		    ta.tm_year + 1900, ta.tm_mon + 1, ta.tm_mday, ta.tm_hour,
		    ta.tm_min, ta.tm_sec, tb.tm_year + 1900, tb.tm_mon + 1,
		    tb.tm_mday, tb.tm_hour, tb.tm_min, tb.tm_sec);
	}
	}
	return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL, "unknown format");
}

/* --- Cache ----------------------------------------------------------------------- */

void
dg_fetch_sha256(const char *buf, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)buf);
	sha256_digest(&ctx, sizeof(dig), dig);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
}

static int
mkdirs(const char *path, struct dg_error *err)
{
	char buf[1024];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "path too long");
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++)
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return dg_error_set(err, DG_ECREATE, buf, 0, NULL,
				    "cannot create directory: %s",
				    strerror(errno));
			buf[i] = c;
		}
	return DG_OK;
}

/* Writes len bytes to path atomically (a temporary file, then rename). */
static int
write_atomic(const char *path, const char *buf, size_t len,
    struct dg_error *err)
{
	char tmp[1100];
	const char *slash = strrchr(path, '/');
	int fd;
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX",
	    slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path);
	if ((fd = mkstemp(tmp)) < 0)
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot create: %s", strerror(errno));
	if ((fp = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(tmp);
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL, "out of memory");
	}
	if ((len > 0 && fwrite(buf, 1, len, fp) != len) || fflush(fp) != 0 ||
	    fsync(fileno(fp)) != 0) {
		int e = errno;

		fclose(fp);
		unlink(tmp);
		return dg_error_set(err, DG_EIO, path, 0, NULL, "write error: %s",
		    strerror(e));
	}
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		return dg_error_set(err, DG_EIO, path, 0, NULL, "cannot write: %s",
		    strerror(e));
	}
	return DG_OK;
}

static int
meta_text(char **out, size_t *olen, const char *url, dg_time fetched,
    const char *sha, size_t len)
{
	static const char *const hdr[] = { "url", "fetched", "sha256", "bytes" };
	struct dg_csvw w;
	char stamp[32];
	time_t tt = (time_t)fetched;
	struct tm tm;
	FILE *fp = open_memstream(out, olen);

	if (fp == NULL)
		return DG_ENOMEM;
	gmtime_r(&tt, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	dg_csvw_init(&w, fp, ',', 0, 0);
	dg_csvw_header(&w, hdr, 4);
	dg_csvw_str(&w, url);
	dg_csvw_str(&w, stamp);
	dg_csvw_str(&w, sha);
	dg_csvw_int(&w, (int64_t)len);
	dg_csvw_end_row(&w);
	return fclose(fp) == 0 && w.status == DG_OK ? DG_OK : DG_ENOMEM;
}

/* The sha256 and size recorded in path (a .meta file). */
static int
meta_read(const char *path, char sha[65], int64_t *bytes, struct dg_error *err)
{
	struct dg_csv *r;
	int cs, cb, st;

	if ((st = dg_csv_open(&r, path, NULL, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "sha256", &cs)) == DG_OK &&
	    (st = dg_csv_require(r, "bytes", &cb)) == DG_OK &&
	    (st = dg_csv_next(r)) == DG_OK &&
	    (st = dg_csv_get_int(r, cb, bytes)) == DG_OK)
		snprintf(sha, 65, "%s", dg_csv_field(r, cs, NULL));
	if (st == DG_EOF)
		st = dg_csv_fail(r, -1, DG_EDATA, "no row");
	dg_csv_close(r);
	return st;
}

int
dg_fetch_cache_store(const char *dir, const char *source, const char *cname,
    const char *url, dg_time fetched, const char *body, size_t len,
    struct dg_error *err)
{
	char sub[1024], path[1100], mpath[1200], sha[65], osha[65];
	char *mt = NULL;
	size_t ml = 0;
	int64_t ob;
	struct dg_error e2;
	int st;

	if (snprintf(sub, sizeof(sub), "%s/%s", dir, source) >= (int)sizeof(sub))
		return dg_error_set(err, DG_ECREATE, dir, 0, NULL, "path too long");
	if ((st = mkdirs(sub, err)) != DG_OK)
		return st;
	snprintf(path, sizeof(path), "%s/%s", sub, cname);
	snprintf(mpath, sizeof(mpath), "%s.meta", path);
	dg_fetch_sha256(body, len, sha);
	dg_error_clear(&e2);
	if (access(path, F_OK) == 0 && meta_read(mpath, osha, &ob, &e2) == DG_OK) {
		if (strcmp(osha, sha) == 0)
			return DG_OK;	/* the same content: keep the first fetch time */
		{
			/* other content: keep the old version beside */
			char kp[1200], km[1300];

			snprintf(kp, sizeof(kp), "%s.%.12s", path, osha);
			snprintf(km, sizeof(km), "%s.meta", kp);
			if (rename(path, kp) != 0 || rename(mpath, km) != 0)
				return dg_error_set(err, DG_EIO, path, 0, NULL,
				    "cannot keep the previous version: %s",
				    strerror(errno));
		}
	}
	if ((st = write_atomic(path, body, len, err)) != DG_OK)
		return st;
	if (meta_text(&mt, &ml, url, fetched, sha, len) != DG_OK) {
		free(mt);
		return dg_error_set(err, DG_ENOMEM, mpath, 0, NULL, "out of memory");
	}
	st = write_atomic(mpath, mt, ml, err);
	free(mt);
	return st;
}

int
dg_fetch_read_file(const char *path, size_t max_bytes, char **body,
    size_t *len, struct dg_error *err)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t n = 0, cap = 65536;
	char *b;

	*body = NULL;
	*len = 0;
	if (fp == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	if ((b = malloc(cap)) == NULL) {
		if (fp != stdin)
			fclose(fp);
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL, "out of memory");
	}
	for (;;) {
		size_t k;

		if (n + 1 >= cap) {
			char *nb;

			if (cap >= max_bytes || (nb = realloc(b, cap * 2)) == NULL) {
				free(b);
				if (fp != stdin)
					fclose(fp);
				return dg_error_set(err, cap >= max_bytes ?
				    DG_EDATA : DG_ENOMEM, path, 0, NULL,
				    cap >= max_bytes ? "file too large" :
				    "out of memory");
			}
			b = nb;
			cap *= 2;
		}
		k = fread(b + n, 1, cap - n - 1, fp);
		n += k;
		if (k == 0)
			break;
	}
	if (ferror(fp)) {
		int e = errno;

		free(b);
		if (fp != stdin)
			fclose(fp);
		return dg_error_set(err, DG_EIO, path, 0, NULL, "read error: %s",
		    strerror(e));
	}
	if (fp != stdin)
		fclose(fp);
	b[n] = '\0';
	*body = b;
	*len = n;
	return DG_OK;
}

int
dg_fetch_cache_load(const char *dir, const char *source, const char *cname,
    char **body, size_t *len, struct dg_error *err)
{
	char path[1100], mpath[1200], sha[65], got[65];
	int64_t bytes;
	int st;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, source, cname);
	snprintf(mpath, sizeof(mpath), "%s.meta", path);
	if (access(path, F_OK) != 0)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "not in the cache");
	if ((st = meta_read(mpath, sha, &bytes, err)) != DG_OK)
		return st;
	if ((st = dg_fetch_read_file(path, (size_t)1 << 31, body, len, err)))
		return st;
	dg_fetch_sha256(*body, *len, got);
	if ((int64_t)*len != bytes || strcmp(got, sha) != 0) {
		free(*body);
		*body = NULL;
		return dg_error_set(err, DG_EDATA, path, 0, NULL,
		    "content does not match its SHA-256 in %s.meta", cname);
	}
	return DG_OK;
}

/* --- Native files met by other commands ----------------------------------- */

int
dg_fetch_input_open(struct dg_fetch_input *in, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	int st;

	memset(in, 0, sizeof(*in));
	if (path == NULL)
		path = "-";
	in->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if ((st = dg_fetch_read_file(path, DG_FETCH_INPUT_MAX, &in->body,
	    &in->len, err)) != DG_OK)
		return st;
	if ((in->fp = fmemopen(in->body, in->len, "r")) == NULL) {
		dg_fetch_input_close(in);
		return dg_error_set(err, DG_ENOMEM, in->name, 0, NULL,
		    "out of memory");
	}
	if ((st = dg_csv_open_fp(&in->csv, in->fp, in->name, o, err)) != DG_OK) {
		dg_fetch_input_close(in);
		return st;
	}
	return DG_OK;
}

int
dg_fetch_input_nyiso(const struct dg_fetch_input *in)
{
	return dg_csv_col(in->csv, "Time Stamp") >= 0;
}

int
dg_fetch_input_parse(const struct dg_fetch_input *in,
    const struct dg_fetch_source *src, const struct dg_fetch_filter *f,
    dg_fetch_rows_fn fn, void *arg, struct dg_error *err)
{
	return dg_fetch_parse(src, in->body, in->len, in->name, f, fn, arg, err);
}

void
dg_fetch_input_close(struct dg_fetch_input *in)
{
	dg_csv_close(in->csv);
	if (in->fp != NULL)
		fclose(in->fp);
	free(in->body);
	memset(in, 0, sizeof(*in));
}
