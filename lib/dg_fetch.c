/* dg_fetch.c: the core of the market parsers: the sources, the parse
 * context (the file's zones, a memo of parsed stamps), reading one plain
 * file, dg_fetch_parse (the rows of each file in memory, sorted), the
 * coverage check, the writer, URLs, and the native files other commands
 * meet.  The formats are in dg_fetch_nyiso.c ... dg_fetch_nws.c, archives
 * in dg_fetch_archive.c, the one-pass mode in dg_fetch_stream.c. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_fetch_impl.h"
#include "dg_quality.h"
#include "dg_util.h"

#define NY "America/New_York"
#define NYISO_MIS "https://mis.nyiso.com/public/csv"

const struct dg_fetch_source dg_fetch_sources[] = {
	{ "nyiso-dam", DG_FETCH_PRICE, DG_FMT_NYISO_DAM, NY, "final", NYISO_MIS,
	  "NYISO day-ahead zonal LBMP (damlbmp_zone)", "NYISO" },
	{ "nyiso-rt", DG_FETCH_PRICE, DG_FMT_NYISO_RT, NY, "final", NYISO_MIS,
	  "NYISO real-time 5-minute zonal LBMP (realtime_zone)", "NYISO" },
	{ "nyiso-load", DG_FETCH_LOAD, DG_FMT_NYISO_PAL, NY, "final", NYISO_MIS,
	  "NYISO hourly integrated actual load (palIntegrated)", "NYISO" },
	{ "nyiso-isolf", DG_FETCH_LOADFC, DG_FMT_NYISO_ISOLF, NY, "forecast",
	  NYISO_MIS, "NYISO zonal load forecast (isolf)", "NYISO" },
	{ "nyiso-icap", DG_FETCH_CAPACITY, DG_FMT_NYISO_ICAP, NY, "final",
	  NULL, "NYISO ICAP auction clearing prices (ICAP Market Report, "
	  "MCP Table)", NULL },
	{ "pjm-da", DG_FETCH_PRICE, DG_FMT_PJM, NY, "final",
	  "https://api.pjm.com/api/v1",
	  "PJM day-ahead hourly LMP (Data Miner 2 da_hrl_lmps)", "PJM" },
	{ "pjm-rt", DG_FETCH_PRICE, DG_FMT_PJM, NY, "final",
	  "https://api.pjm.com/api/v1",
	  "PJM real-time hourly LMP, verified (Data Miner 2 rt_hrl_lmps)",
	  "PJM" },
	{ "miso-da", DG_FETCH_PRICE, DG_FMT_MISO, "EST", "final",
	  "https://docs.misoenergy.org/marketreports",
	  "MISO day-ahead ex-post LMP (da_expost_lmp)", "MISO" },
	{ "miso-da-exante", DG_FETCH_PRICE, DG_FMT_MISO, "EST", "preliminary",
	  "https://docs.misoenergy.org/marketreports",
	  "MISO day-ahead ex-ante LMP (da_exante_lmp)", "MISO" },
	{ "ercot-dam", DG_FETCH_PRICE, DG_FMT_ERCOT, "America/Chicago", "final",
	  "https://api.ercot.com/api/public-reports",
	  "ERCOT day-ahead settlement point prices (NP4-190-CD)", "ERCOT" },
	{ "caiso-dam", DG_FETCH_PRICE, DG_FMT_CAISO, "America/Los_Angeles",
	  "final", "http://oasis.caiso.com/oasisapi",
	  "CAISO OASIS day-ahead LMP (PRC_LMP)", "CAISO" },
	{ "nws-forecast", DG_FETCH_WEATHER, DG_FMT_NWS_FORECAST, NULL,
	  "forecast", "https://api.weather.gov",
	  "NWS hourly gridpoint forecast (forecast/hourly)", NULL },
	{ "nws-obs", DG_FETCH_WEATHER, DG_FMT_NWS_OBS, NULL, "observed",
	  "https://api.weather.gov", "NWS station observations", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL, NULL, NULL }
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

/* The formats: parser, URL, whether rows are merged by component, the
 * decimals of prices written (the source's own precision). */
static const struct dg_fetch_format_ops formats[] = {
	[DG_FMT_NYISO_DAM] = { dg_fetch_nyiso_dam, NULL, dg_fetch_nyiso_url,
	    0, 2 },
	[DG_FMT_NYISO_RT] = { dg_fetch_nyiso_rt, NULL, dg_fetch_nyiso_url,
	    0, 2 },
	[DG_FMT_NYISO_PAL] = { dg_fetch_nyiso_pal, NULL, dg_fetch_nyiso_url,
	    0, 2 },
	[DG_FMT_NYISO_ISOLF] = { dg_fetch_nyiso_isolf, NULL,
	    dg_fetch_nyiso_url, 0, 2 },
	[DG_FMT_PJM] = { dg_fetch_pjm, NULL, dg_fetch_pjm_url, 0, 6 },
	[DG_FMT_MISO] = { NULL, dg_fetch_miso, dg_fetch_miso_url, 1, 2 },
	[DG_FMT_ERCOT] = { dg_fetch_ercot, NULL, dg_fetch_ercot_url, 0, 2 },
	[DG_FMT_CAISO] = { dg_fetch_caiso, NULL, dg_fetch_caiso_url, 1, 5 },
	[DG_FMT_NWS_FORECAST] = { NULL, dg_fetch_nws_forecast,
	    dg_fetch_nws_forecast_url, 0, 2 },
	[DG_FMT_NWS_OBS] = { NULL, dg_fetch_nws_obs, dg_fetch_nws_obs_url,
	    0, 2 },
	[DG_FMT_NYISO_ICAP] = { NULL, dg_fetch_nyiso_icap,
	    dg_fetch_nyiso_icap_url, 0, 2 },
};

const struct dg_fetch_format_ops *
dg_fetch_format_ops(int format)
{
	if (format < 0 ||
	    (size_t)format >= sizeof(formats) / sizeof(formats[0]))
		return NULL;
	return &formats[format];
}

/* --- Parse context ---------------------------------------------------- */

static uint32_t
hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void
dg_fetch_ztab_clear(struct dg_fetch_ztab *z)
{
	for (size_t i = 0; i < z->n; i++)
		free(z->v[i].name);
	free(z->v);
	free(z->slot);
	memset(z, 0, sizeof(*z));
}

long
dg_fetch_ztab_find(struct dg_fetch_ztab *z, const char *zone)
{
	size_t len, k;
	uint32_t h;
	struct dg_fetch_zone *e;

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
	if (dg_grow(&z->v, &z->cap, z->n + 1, sizeof(*z->v)) != 0)
		return -1;
	e = &z->v[z->n];
	memset(e, 0, sizeof(*e));
	if ((e->name = malloc(len + 1)) == NULL)
		return -1;
	memcpy(e->name, zone, len + 1);
	e->hash = h;
	for (k = h & (z->nslot - 1); z->slot[k] != 0;
	    k = (k + 1) & (z->nslot - 1))
		;
	z->slot[k] = (uint32_t)++z->n;
	z->last = z->n;
	return (long)z->n - 1;
}

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

struct dg_fetch_memos {
	struct tparse_memo tp[MEMO_N];	/* in the market's zone */
	unsigned tick;			/* picks the way replaced */
};

/* The memos, in one block (huge pages where the kernel gives them: they
 * are read at random).  NULL on memory exhaustion: nothing remembered. */
static struct dg_fetch_memos *
memos(struct dg_fetch_ctx *p)
{
	if (p->memo == NULL && !p->no_memo) {
		if ((p->memo = dg_huge_alloc(sizeof(*p->memo))) == NULL)
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

int
dg_fetch_ctx_time(struct dg_fetch_ctx *p, struct dg_csv *r, int col,
    struct dg_tstamp *ts)
{
	size_t len;
	const char *s = dg_csv_field(r, col, &len);
	struct tparse_memo *m = NULL;
	int st;

	if (len > 0 && len < sizeof(m->s) && memos(p) != NULL) {
		struct tparse_memo *set = &p->memo->tp[stamp_set(s, len)];

		for (int w = 0; w < MEMO_WAYS; w++)
			if (set[w].len == len &&
			    memcmp(set[w].s, s, len) == 0) {
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


struct dg_fetch_zone *
dg_fetch_ctx_zone_state(struct dg_fetch_ctx *p, const char *zone, int *found)
{
	long i = dg_fetch_ztab_find(&p->zt, zone);
	struct dg_fetch_zone *e;

	if (i < 0)
		return NULL;
	e = &p->zt.v[i];
	*found = e->seen;
	e->seen = 1;
	return e;
}

int
dg_fetch_field_name(struct dg_csv *r, int col, char *dst, size_t n,
    const char *what)
{
	size_t len;
	const char *s = dg_csv_field(r, col, &len);

	if (len == 0)
		return dg_csv_fail(r, col, DG_EDATA, "empty %s", what);
	if (len >= n)
		return dg_csv_fail(r, col, DG_EDATA,
		    "%s too long: \"%.40s...\"", what, s);
	memcpy(dst, s, len + 1);
	return DG_OK;
}

int
dg_fetch_field_dec(struct dg_csv *r, int col, struct dg_fetch_row *row,
    int slot)
{
	dg_dec d;
	int st = dg_csv_get_dec(r, col, &d);

	if (st == DG_OK)
		dg_fetch_row_set(row, slot, d);
	return st;
}

int
dg_fetch_row_energy(struct dg_fetch_row *r)
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

int
dg_fetch_ctx_oom(struct dg_fetch_ctx *p)
{
	if (p->fail)
		return p->fail;
	return dg_error_set(p->err, DG_ENOMEM, p->name, 0, NULL,
	    "out of memory");
}

int
dg_fetch_ctx_init(struct dg_fetch_ctx *p, const struct dg_fetch_source *src,
    const char *name, const struct dg_fetch_filter *f, struct dg_error *err)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->f = f;
	p->name = name;
	p->err = err;
	p->max_inflate = DG_FETCH_INFLATE_MAX;
	p->max_ratio = DG_FETCH_RATIO_MAX;
	snprintf(p->saved_tz, sizeof(p->saved_tz), "%s", dg_tz_name());
	if (src->tz != NULL && dg_tz_set(src->tz) != DG_OK)
		return dg_error_set(err, DG_EINTERNAL, name, 0, NULL,
		    "time zone %s not installed", src->tz);
	return DG_OK;
}

void
dg_fetch_ctx_free(struct dg_fetch_ctx *p)
{
	dg_tz_set(p->saved_tz);
	dg_fetch_ztab_clear(&p->zt);
	free(p->memo);
	p->memo = NULL;
}

void
dg_fetch_ctx_reset(struct dg_fetch_ctx *p, const char *name)
{
	p->name = name;
	dg_fetch_ztab_clear(&p->zt);
}

void
dg_fetch_ctx_zone(struct dg_fetch_ctx *p, int back)
{
	if (p->src->tz != NULL)
		dg_tz_set(back ? p->saved_tz : p->src->tz);
}

/* --- One plain file ---------------------------------------------------- */

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

static ssize_t
peek_read(void *cookie, char *out, size_t len)
{
	struct dg_fetch_peek *k = cookie;
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

int
dg_fetch_peek_open(struct dg_fetch_peek *k, FILE *fp, FILE **out)
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

int
dg_fetch_read_fp(FILE *fp, const char *name, size_t max, char **body,
    size_t *len, struct dg_error *err)
{
	char *b = NULL;
	size_t n = 0, cap = 0, k;

	*body = NULL;
	*len = 0;
	do {
		if (dg_grow(&b, &cap, n + 65536 + 1, 1) != 0) {
			free(b);
			return dg_error_set(err, DG_ENOMEM, name, 0, NULL,
			    "out of memory");
		}
		k = fread(b + n, 1, cap - n - 1, fp);
		n += k;
		if (n > max) {
			free(b);
			return dg_error_set(err, DG_EDATA, name, 0, NULL,
			    "file too large");
		}
	} while (k > 0);
	if (ferror(fp)) {
		int e = errno;

		free(b);
		return dg_error_set(err, DG_EIO, name, 0, NULL,
		    "read error: %s", strerror(e));
	}
	b[n] = '\0';
	*body = b;
	*len = n;
	return DG_OK;
}

/* The content of one plain file: from buf (len bytes, a whole document)
 * or, for CSV formats, from fp. */
static int
parse_content(struct dg_fetch_ctx *p, FILE *fp, const char *buf, size_t len)
{
	const struct dg_fetch_format_ops *fo =
	    dg_fetch_format_ops(p->src->format);
	struct dg_csv *r = NULL;
	struct dg_csv_opts o;
	int st;

	if (fo->doc != NULL)
		return fo->doc(p, buf, len);
	dg_csv_opts_init(&o);
	o.allow_naive = 1;
	o.final_newline = 1;	/* a market file: no line end is cut short */
	if ((st = dg_csv_open_fp(&r, fp, p->name, &o, p->err)) == DG_OK)
		st = fo->csv(p, r);
	dg_csv_close(r);
	return st;
}

int
dg_fetch_ctx_read(struct dg_fetch_ctx *p, FILE *fp)
{
	const struct dg_fetch_format_ops *fo =
	    dg_fetch_format_ops(p->src->format);
	struct dg_fetch_peek k;
	FILE *pf = NULL;
	int st;

	if (fo == NULL)
		return dg_error_set(p->err, DG_EINTERNAL, p->name, 0, NULL,
		    "no parser for format %d", p->src->format);
	if ((st = dg_fetch_peek_open(&k, fp, &pf)) != DG_OK)
		return st == DG_EIO ? dg_error_set(p->err, DG_EIO, p->name, 0,
		    NULL, "read error: %s", strerror(errno)) :
		    dg_fetch_ctx_oom(p);
	if (k.n == 0)
		st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "empty content");
	else if (looks_html(k.buf, k.n))
		st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "an HTML or XML page, not %s data", p->src->name);
	else if (fo->doc != NULL) {
		char *body;
		size_t len;

		if ((st = dg_fetch_read_fp(pf, p->name, DG_FETCH_INPUT_MAX,
		    &body, &len, p->err)) == DG_OK) {
			st = parse_content(p, NULL, body, len);
			free(body);
		}
	} else
		st = parse_content(p, pf, NULL, 0);
	fclose(pf);
	return st;
}

/* --- dg_fetch_parse: each file's rows in memory --------------------------- */

static struct dg_fetch_row *
add_row(struct dg_fetch_ctx *p)
{
	struct dg_fetch_rows *rs = p->rows;
	struct dg_fetch_row *r;

	if (dg_grow(&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v)) != 0)
		return NULL;
	r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	r->seq = p->seq++;
	return r;
}

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
merge_components(struct dg_fetch_ctx *p)
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
				    r->line, NULL, "%s: the same price "
				    "component twice for one hour", r->zone);
			for (int k = 0; k < DG_FV_N; k++)
				if (r->have & 1u << k)
					dg_fetch_row_set(m, k, r->v[k]);
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
		if (dg_fetch_row_energy(&rs->v[i]) != DG_OK)
			return dg_error_set(p->err, DG_ERANGE, p->name,
			    rs->v[i].line, NULL, "price components overflow");
	}
	return DG_OK;
}

static void
mark_duplicates(const struct dg_fetch_source *src, struct dg_fetch_rows *rs)
{
	for (size_t i = 1; i < rs->n; i++)
		if (dg_fetch_same_slot(src, &rs->v[i], &rs->v[i - 1])) {
			rs->v[i].quality |= DG_FQ_DUPLICATE;
			rs->v[i - 1].quality |= DG_FQ_DUPLICATE;
		}
}

/* One plain file: its rows read, sorted, merged or flagged, and handed to
 * the caller's function in the caller's zone. */
static int
parse_file(struct dg_fetch_ctx *p, FILE *fp, const char *name,
    const char *member)
{
	int st;

	dg_fetch_ctx_reset(p, name);
	p->rows->n = 0;
	if ((st = dg_fetch_ctx_read(p, fp)) != DG_OK)
		return st;
	if (p->rows->n == 0)
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no data rows");
	qsort(p->rows->v, p->rows->n, sizeof(*p->rows->v), cmp_row);
	if (dg_fetch_format_ops(p->src->format)->merge) {
		if ((st = merge_components(p)) != DG_OK)
			return st;
	} else
		mark_duplicates(p->src, p->rows);
	if (p->fn == NULL)
		return DG_OK;
	dg_fetch_ctx_zone(p, 1);
	st = p->fn(p->arg, p->rows, member, p->err);
	dg_fetch_ctx_zone(p, 0);
	return st;
}

int
dg_fetch_parse(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    dg_fetch_rows_fn fn, void *arg, struct dg_error *err)
{
	struct dg_fetch_rows rows;
	struct dg_fetch_ctx p;
	int st;

	dg_fetch_rows_init(&rows);
	if ((st = dg_fetch_ctx_init(&p, src, name, f, err)) == DG_OK) {
		p.rows = &rows;
		p.add = add_row;
		p.file = parse_file;
		p.fn = fn;
		p.arg = arg;
		st = dg_fetch_ctx_walk(&p, NULL, NULL, buf, len);
	}
	dg_fetch_ctx_free(&p);
	dg_fetch_rows_release(&rows);
	return st;
}

/* --- Coverage ------------------------------------------------------------ */

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

	if (src->kind >= DG_FETCH_WEATHER || rows->n == 0)
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

/* --- Output -------------------------------------------------------------- */

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
static const char *const hdr_capacity[] = {
	"auction", "month", "locality", "price_usd_per_kw_month", "source",
	"status", "quality"
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
	case DG_FETCH_CAPACITY:
		return dg_csvw_header(w, hdr_capacity, NELEM(hdr_capacity));
	default:
		return dg_csvw_header(w, hdr_weather, NELEM(hdr_weather));
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

/* The columns of a capacity row before its quality. */
static void
write_capacity(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_row *r, int ps)
{
	int y, m, d;
	char ym[16];

	dg_date_to_ymd(r->day, &y, &m, &d);
	snprintf(ym, sizeof(ym), "%04d-%02d", y, m);
	dg_csvw_str(w, r->ptid);
	dg_csvw_str(w, ym);
	dg_csvw_str(w, r->zone);
	wdec(w, r, DG_FV_PRICE, ps);
	dg_csvw_str(w, src->name);
	dg_csvw_str(w, src->status);
}

/* The columns of a time series row before its quality. */
static void
write_series(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_row *r, int ps)
{
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
}

int
dg_fetch_write_row(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_row *r, struct dg_fetch_counts *c)
{
	int ps = dg_fetch_format_ops(src->format)->price_scale, st;
	char q[64];

	dg_quality_format(r->quality, quality_names, DG_FQ_N, q, sizeof(q));
	for (int k = 0; k < DG_FQ_N && c; k++)
		if (r->quality & 1u << k)
			c->flagged[k]++;
	if (src->kind == DG_FETCH_CAPACITY)
		write_capacity(w, src, r, ps);
	else
		write_series(w, src, r, ps);
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
			st = dg_fetch_write_row(w, src, &rows->v[i], c);
	return st;
}

/* --- URLs ---------------------------------------------------------------- */

int
dg_fetch_url_fmt(char *buf, size_t n, struct dg_error *err,
    const char *fmt, ...)
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

void
dg_fetch_url_escape(const char *s, char *out, size_t n)
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
	const struct dg_fetch_format_ops *fo = dg_fetch_format_ops(src->format);
	char ymd[16];
	int y, m, dd;

	if (fo == NULL || fo->url == NULL)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "unknown format");
	dg_date_to_ymd(d, &y, &m, &dd);
	snprintf(ymd, sizeof(ymd), "%04d%02d%02d", y, m, monthly ? 1 : dd);
	return fo->url(src, base != NULL ? base : src->base_url, d, monthly,
	    ymd, zone, url, un, cname, cn, err);
}

/* --- Native files met by other commands ----------------------------------- */

int
dg_fetch_read_file(const char *path, size_t max_bytes, char **body,
    size_t *len, struct dg_error *err)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int st;

	*body = NULL;
	*len = 0;
	if (fp == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	st = dg_fetch_read_fp(fp, path, max_bytes, body, len, err);
	if (fp != stdin)
		fclose(fp);
	return st;
}

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
	if ((st = dg_csv_open_fp(&in->csv, in->fp, in->name, o, err)) !=
	    DG_OK) {
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
	return dg_fetch_parse(src, in->body, in->len, in->name, f, fn, arg,
	    err);
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
