/* dg_fetch_impl.h: what the parts of dg_fetch share, private to the
 * library and its tests (not installed): the parse context, the helpers
 * of the format parsers, the table of formats, and the coverage check
 * that the tests compare dg_fetch_stream's with.
 *
 * A parse runs in a context (struct dg_fetch_ctx): the source, the filter,
 * the file's zones and where each row goes (ctx->add: an array for
 * dg_fetch_parse, the external sort for dg_fetch_stream).  The content is
 * walked (dg_fetch_ctx_walk: a plain file, a gzip stream, each member of
 * a zip archive) and each plain file handed to ctx->file, which reads its
 * rows with dg_fetch_ctx_read and does what its mode does with them. */
#ifndef DG_FETCH_IMPL_H
#define DG_FETCH_IMPL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dg_csv.h"
#include "dg_fetch.h"

/* A zone (node, station) of the file being read: the real-time parser's
 * previous stamp, and the coverage of its current day (dg_fetch_stream). */
struct dg_fetch_zone {
	char *name;
	uint32_t hash;
	int seen;		/* t and start are set */
	dg_time t;		/* the last stamp read */
	dg_time start;		/* the start of the last interval */
	int cov_on;		/* cov_day is being added up */
	dg_date cov_day;
	long cov;
	dg_time cov_last;
};

struct dg_fetch_ztab {
	struct dg_fetch_zone *v;
	size_t n, cap;
	uint32_t *slot;		/* open addressing: index + 1, 0 empty */
	size_t nslot;
	size_t last;		/* the last one found, + 1 */
};
/* The index of zone in the table, added when new; -1 on memory
 * exhaustion. */
long dg_fetch_ztab_find(struct dg_fetch_ztab *z, const char *zone);
void dg_fetch_ztab_clear(struct dg_fetch_ztab *z);

struct dg_fetch_memos;

struct dg_fetch_ctx {
	const struct dg_fetch_source *src;
	const struct dg_fetch_filter *f;
	const char *name;		/* the file being read, in messages */
	struct dg_error *err;
	struct dg_fetch_ztab zt;	/* the zones of the file */
	long seq;
	char saved_tz[128];		/* the caller's zone */
	int fail;		/* an error set by add other than ENOMEM */
	struct dg_fetch_memos *memo;
	int no_memo;
	uint64_t max_inflate;		/* decompression limits */
	unsigned max_ratio;
	/* A zeroed row to fill (its seq set), or NULL (then fail, or out of
	 * memory). */
	struct dg_fetch_row *(*add)(struct dg_fetch_ctx *c);
	/* One plain file of the content: name in messages, member the
	 * archive member or NULL. */
	int (*file)(struct dg_fetch_ctx *c, FILE *fp, const char *name,
	    const char *member);
	/* dg_fetch_parse's */
	struct dg_fetch_rows *rows;
	dg_fetch_rows_fn fn;
	void *arg;
};

/* Sets up c and switches to src's zone. */
int dg_fetch_ctx_init(struct dg_fetch_ctx *c, const struct dg_fetch_source *src,
    const char *name, const struct dg_fetch_filter *f, struct dg_error *err);
/* Back to the caller's zone; frees the zones and memos. */
void dg_fetch_ctx_free(struct dg_fetch_ctx *c);
/* A new file: its name, its zones forgotten. */
void dg_fetch_ctx_reset(struct dg_fetch_ctx *c, const char *name);
/* Switches to the caller's zone (back != 0) or to the market's. */
void dg_fetch_ctx_zone(struct dg_fetch_ctx *c, int back);
/* The rows of one plain file from fp, through c->add: refused when it is
 * empty or an HTML page; a whole document (JSON, MISO) is read into
 * memory, CSV is read as a stream. */
int dg_fetch_ctx_read(struct dg_fetch_ctx *c, FILE *fp);
/* Each plain file of the content to c->file: fp (when path names it,
 * libzip opens an archive by its path; when fp is not a regular file an
 * archive is read into memory), or buf when fp is NULL. */
int dg_fetch_ctx_walk(struct dg_fetch_ctx *c, FILE *fp, const char *path,
    const char *buf, size_t len);
int dg_fetch_ctx_oom(struct dg_fetch_ctx *c);

/* A stream whose first bytes were read to look at them: *out reads them
 * again, then the rest of fp. */
#define DG_FETCH_PEEK 4096
struct dg_fetch_peek {
	FILE *fp;
	char buf[DG_FETCH_PEEK];
	size_t n, pos;
};
int dg_fetch_peek_open(struct dg_fetch_peek *k, FILE *fp, FILE **out);
/* The rest of fp in memory (NUL-terminated), at most max bytes
 * (DG_EDATA "file too large"). */
int dg_fetch_read_fp(FILE *fp, const char *name, size_t max, char **body,
    size_t *len, struct dg_error *err);

/* --- For the format parsers ------------------------------------------- */

static inline struct dg_fetch_row *
dg_fetch_ctx_row(struct dg_fetch_ctx *c)
{
	return c->add(c);
}

/* dg_csv_get_time, remembered by the field's text. */
int dg_fetch_ctx_time(struct dg_fetch_ctx *c, struct dg_csv *r, int col,
    struct dg_tstamp *ts);
/* The state of zone: *found tells whether it was seen before.  NULL on
 * memory exhaustion. */
struct dg_fetch_zone *dg_fetch_ctx_zone_state(struct dg_fetch_ctx *c,
    const char *zone, int *found);
/* Field col copied to dst (n bytes): empty or too long is DG_EDATA. */
int dg_fetch_field_name(struct dg_csv *r, int col, char *dst, size_t n,
    const char *what);
/* Field col as the decimal of slot. */
int dg_fetch_field_dec(struct dg_csv *r, int col, struct dg_fetch_row *row,
    int slot);

static inline void
dg_fetch_row_set(struct dg_fetch_row *r, int slot, dg_dec d)
{
	r->v[slot] = d;
	r->have |= 1u << slot;
}

/* Whether rows a and b are of one zone and interval (and for capacity
 * prices, of one auction): duplicates, or components to merge. */
static inline int
dg_fetch_same_slot(const struct dg_fetch_source *src,
    const struct dg_fetch_row *a, const struct dg_fetch_row *b)
{
	return a->t == b->t && strcmp(a->zone, b->zone) == 0 &&
	    (src->kind != DG_FETCH_CAPACITY || strcmp(a->ptid, b->ptid) == 0);
}

/* Congestion and losses given, energy = price - congestion - losses. */
int dg_fetch_row_energy(struct dg_fetch_row *r);

/* snprintf to url (n bytes); DG_EINVAL when it does not fit. */
int dg_fetch_url_fmt(char *buf, size_t n, struct dg_error *err,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Letters, digits and -._~ kept; the rest %XX. */
void dg_fetch_url_escape(const char *s, char *out, size_t n);

/* The kinds of functions a format has: a CSV parser, a parser of a whole
 * document (buf NUL-terminated), the URL of a day's file (as dg_fetch_url;
 * ymd is the day, or with monthly the month's first day, as YYYYMMDD). */
typedef int dg_fetch_csv_fn(struct dg_fetch_ctx *c, struct dg_csv *r);
typedef int dg_fetch_doc_fn(struct dg_fetch_ctx *c, const char *buf,
    size_t len);
typedef int dg_fetch_url_fn(const struct dg_fetch_source *src,
    const char *base, dg_date d, int monthly, const char *ymd,
    const char *zone, char *url, size_t un, char *cname, size_t cn,
    struct dg_error *err);

/* What each format is: one entry per enum dg_fetch_format. */
struct dg_fetch_format_ops {
	dg_fetch_csv_fn *csv;	/* a CSV format's parser, or NULL ... */
	dg_fetch_doc_fn *doc;	/* ... a whole document's */
	dg_fetch_url_fn *url;
	int merge;		/* one row per price component: merged */
	int price_scale;	/* decimals of the prices written */
};
const struct dg_fetch_format_ops *dg_fetch_format_ops(int format);

/* The formats, each in its market's file (dg_fetch_nyiso.c ...). */
dg_fetch_csv_fn dg_fetch_nyiso_dam, dg_fetch_nyiso_rt, dg_fetch_nyiso_pal,
    dg_fetch_nyiso_isolf, dg_fetch_pjm, dg_fetch_ercot, dg_fetch_caiso;
dg_fetch_doc_fn dg_fetch_miso, dg_fetch_nws_forecast, dg_fetch_nws_obs,
    dg_fetch_nyiso_icap;
dg_fetch_url_fn dg_fetch_nyiso_url, dg_fetch_pjm_url, dg_fetch_miso_url,
    dg_fetch_ercot_url, dg_fetch_caiso_url, dg_fetch_nws_forecast_url,
    dg_fetch_nws_obs_url, dg_fetch_nyiso_icap_url;

/* --- For the tests ------------------------------------------------------ */

/* Coverage of rows parsed whole: for each zone and market day of rows
 * (that pass f) whose intervals (duplicates counted once) do not cover
 * the whole day (23, 24 or 25 hours in the market's zone), calls fn with
 * the seconds covered and the day's length.  Prices and loads only.
 * Returns the number of such days, or -1 on memory exhaustion.  The tests
 * check dg_fetch_stream's coverage against it. */
long dg_fetch_short_days(const struct dg_fetch_source *src,
    const struct dg_fetch_rows *rows, const struct dg_fetch_filter *f,
    void (*fn)(void *arg, const char *zone, dg_date day, long covered_s,
    long day_s), void *arg);

/* Whether URLs a and b have the same scheme, host and port: where the
 * download sends the --header lines (dg_fetch_http.c). */
int dg_fetch_same_origin(const char *a, const char *b);

#endif
