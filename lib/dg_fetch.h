/* dg_fetch.h: market prices, loads and weather: download (libcurl), a
 * cache of raw files with their SHA-256, and one parser per source format
 * normalizing to the toolkit's CSV.
 *
 * Parsing works on a buffer holding one downloaded file: a CSV, a JSON
 * document, a zip archive of CSVs (NYISO's monthly archives, CAISO OASIS)
 * or a gzip-compressed file.  Each source's stamp convention is converted
 * to interval-start instants (dg_time); the rows are written later in the
 * process zone with their UTC offsets.  While a parser runs, the process
 * zone is switched to the market's zone (naive stamps are read there) and
 * restored before it returns. */
#ifndef DG_FETCH_H
#define DG_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_status.h"
#include "dg_time.h"

/* NYISO real-time stamps mark interval ends; a stamp more than this after
 * the zone's previous one is not the end of one interval but a gap in the
 * file: its interval starts at the 5-minute mark before it. */
#define DG_FETCH_RT_MAX_INTERVAL_S 3600

#ifdef __cplusplus
extern "C" {
#endif

/* What a source delivers, and so the output columns. */
enum dg_fetch_kind {
	DG_FETCH_PRICE,		/* zone,time,price_usd_per_mwh,... */
	DG_FETCH_LOAD,		/* zone,time,load_mw,... (actual) */
	DG_FETCH_LOADFC,	/* zone,time,load_mw,...,issued (forecast) */
	DG_FETCH_WEATHER	/* station,time,temp_f,rh_pct,... */
};

/* The parsers. */
enum dg_fetch_format {
	DG_FMT_NYISO_DAM,	/* damlbmp_zone: hour beginning, no zone column */
	DG_FMT_NYISO_RT,	/* realtime_zone: interval ending, irregular */
	DG_FMT_NYISO_PAL,	/* palIntegrated: hour beginning, Time Zone column */
	DG_FMT_NYISO_ISOLF,	/* isolf: wide, hour beginning, no zone column */
	DG_FMT_PJM,		/* Data Miner 2 da_hrl_lmps / rt_hrl_lmps */
	DG_FMT_MISO,		/* market report, HE 1..24 in EST all year */
	DG_FMT_ERCOT,		/* NP4-190 DAM SPP: hour ending + DSTFlag */
	DG_FMT_CAISO,		/* OASIS PRC_LMP: UTC interval start */
	DG_FMT_NWS_FORECAST,	/* api.weather.gov gridpoint forecast/hourly */
	DG_FMT_NWS_OBS		/* api.weather.gov station observations */
};

struct dg_fetch_source {
	const char *name;	/* "nyiso-dam" */
	int kind;		/* enum dg_fetch_kind */
	int format;		/* enum dg_fetch_format */
	const char *tz;		/* market zone: naive stamps, operating day */
	const char *status;	/* "final" or "preliminary" as published */
	const char *base_url;	/* default --base-url */
	const char *what;	/* one line for --help and errors */
};

/* The sources, ending with a NULL name. */
extern const struct dg_fetch_source dg_fetch_sources[];
const struct dg_fetch_source *dg_fetch_source_find(const char *name);

/* Value slots of a row, by kind. */
enum {
	DG_FV_PRICE = 0, DG_FV_ENERGY, DG_FV_CONGESTION, DG_FV_LOSSES,
	DG_FV_LOAD = 0,
	DG_FV_TEMP_F = 0, DG_FV_RH = 1,
	DG_FV_N = 4
};

/* Quality flags (carried in the quality column; --strict refuses them). */
enum {
	DG_FQ_DUPLICATE = 1,	/* the same zone and hour more than once */
	DG_FQ_MISSING = 2,	/* a value is null in the source */
	DG_FQ_SUPERSEDED = 4,	/* PJM row_is_current=False */
	DG_FQ_QC = 8,		/* NWS quality control X or Q */
	DG_FQ_N = 4
};
const char *dg_fetch_quality_name(unsigned bit);

struct dg_fetch_row {
	char zone[64];		/* zone, node, hub or station */
	char ptid[16];		/* NYISO PTID, PJM pnode id; may be empty */
	dg_time t;		/* interval start */
	int32_t dur;		/* interval length, seconds (0: an instant) */
	dg_date day;		/* market operating day */
	dg_date issued;		/* forecast issue day (DG_FETCH_LOADFC) */
	dg_dec v[DG_FV_N];
	unsigned have;		/* bit i: v[i] is set */
	unsigned quality;	/* DG_FQ_* */
	long line;		/* source line (CSV) or element (JSON) */
	long seq;		/* order read, for a stable sort */
};

struct dg_fetch_rows {
	struct dg_fetch_row *v;
	size_t n, cap;
};
void dg_fetch_rows_init(struct dg_fetch_rows *rs);
void dg_fetch_rows_release(struct dg_fetch_rows *rs);

/* Which rows to keep.  zones: exact names (NULL or nzones 0: all);
 * days: market operating days from..to inclusive, when have_days.
 * label names the rows of a source whose content does not name them
 * (nws-forecast: the gridpoint). */
struct dg_fetch_filter {
	const char *const *zones;
	size_t nzones;
	int have_days;
	dg_date from, to;
	const char *label;
};

/* Called with the rows of one file (one member of an archive), sorted by
 * time then zone, in the caller's process zone; member is the archive
 * member name or NULL. */
typedef int (*dg_fetch_rows_fn)(void *arg, const struct dg_fetch_rows *rows,
    const char *member, struct dg_error *err);

/* Parses buf (len bytes, the content of the file called name in messages)
 * as src's format.  Zip archives: each member named YYYYMMDD... outside
 * the filter's days is skipped, the others are parsed in name order.
 * Gzip content is inflated first.  fn may be NULL (validation only).
 * Errors: DG_EDATA/DG_ERANGE (malformed content, with file:line and
 * column), DG_ENOMEM. */
int dg_fetch_parse(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    dg_fetch_rows_fn fn, void *arg, struct dg_error *err);

/* Coverage: for each zone and market day of rows (that pass f) whose
 * intervals (duplicates counted once) do not cover the whole day (23, 24
 * or 25 hours in the market's zone), calls fn with the seconds covered
 * and the day's length.  Prices and loads only (weather is not
 * checked).  Returns the number of such days, or -1 on memory
 * exhaustion. */
long dg_fetch_short_days(const struct dg_fetch_source *src,
    const struct dg_fetch_rows *rows, const struct dg_fetch_filter *f,
    void (*fn)(void *arg, const char *zone, dg_date day, long covered_s,
    long day_s), void *arg);

/* --- Output ---------------------------------------------------------- */

struct dg_fetch_counts {
	long rows;			/* rows written */
	long flagged[DG_FQ_N];		/* rows with each quality flag */
};

int dg_fetch_write_header(struct dg_csvw *w, const struct dg_fetch_source *src);
/* Writes the rows that pass f, stamps in the process zone. */
int dg_fetch_write_rows(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_rows *rows, const struct dg_fetch_filter *f,
    struct dg_fetch_counts *c);
int dg_fetch_row_selected(const struct dg_fetch_row *r,
    const struct dg_fetch_filter *f);

/* --- One pass with bounded memory (dg-fetch) ---------------------------- */

/* Rows kept in memory to be sorted before some are spilled to temporary
 * files, in bytes (about 220 a row). */
#define DG_FETCH_MEM_DEFAULT ((size_t)24 << 20)

/* Where dg_fetch_stream_file and dg_fetch_stream_buf put the rows. */
struct dg_fetch_sink {
	struct dg_csvw *w;	/* the selected rows are written here */
	size_t mem;		/* sort memory, bytes; 0: DG_FETCH_MEM_DEFAULT */
	/* Told of each zone and day not covered in full (prices and loads),
	 * as dg_fetch_short_days; may be NULL. */
	void (*short_day)(void *arg, const char *zone, dg_date day,
	    long covered_s, long day_s);
	void *arg;
	struct dg_fetch_counts counts;	/* added to: rows written, flagged */
	long short_days;		/* added to */
};

/* The rows of one file (each member of an archive), parsed as
 * dg_fetch_parse does, sorted by time then zone, flagged, merged and
 * checked for coverage as dg_fetch_parse, dg_fetch_short_days and
 * dg_fetch_write_rows would, and written to s->w, in one pass with
 * bounded memory: the file is read as a stream (CSV, a zip archive's
 * members, gzip; a MISO report or a JSON document is read whole), and
 * beyond s->mem bytes of rows sorted runs are spilled to temporary files
 * in $TMPDIR (unlinked as soon as created, so that no exit leaves them)
 * and merged.  path "-" is standard input.  Stamps are written in the
 * caller's zone.  Errors as dg_fetch_parse, DG_ENOINPUT (the file cannot
 * be opened), DG_EIO (a temporary file cannot be written or read). */
int dg_fetch_stream_file(const struct dg_fetch_source *src, const char *path,
    const struct dg_fetch_filter *f, struct dg_fetch_sink *s,
    struct dg_error *err);
/* The same on a file already in memory, called name in messages. */
int dg_fetch_stream_buf(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err);

/* An unlinked temporary file in $TMPDIR (else /tmp), open for update. */
int dg_fetch_tmpfile(FILE **fp, struct dg_error *err);

/* --- Download -------------------------------------------------------- */

struct dg_fetch_http {
	double timeout_s;		/* whole transfer, per attempt */
	double connect_timeout_s;
	int retries;			/* attempts after the first */
	double retry_wait_s;		/* first back-off; doubles each retry */
	double max_wait_s;		/* cap on a wait, Retry-After included */
	size_t max_bytes;		/* larger responses are refused */
	const char *user_agent;
	const char *const *headers;	/* extra "Name: value" lines */
	size_t nheaders;
	/* Told of each retry (may be NULL): why, and the wait in seconds. */
	void (*on_retry)(void *arg, const char *url, int attempt,
	    double wait_s, const char *why);
	void *arg;
};
/* Defaults: timeout 60 s, connect 15 s, 4 retries, 2 s doubling up to
 * 60 s, 512 MiB, the user agent "dgagg-dg-fetch/VERSION". */
void dg_fetch_http_init(struct dg_fetch_http *h);

/* GETs url into *body (malloc'd, NUL-terminated; *len bytes).  TLS peers
 * are verified; proxies come from the environment (http_proxy,
 * https_proxy, no_proxy).  Retries with back-off on 5xx, 408, 429 (its
 * Retry-After honoured up to max_wait_s), timeouts, refused and dropped
 * connections and short bodies.  Errors: DG_EUNAVAIL (still failing after
 * the retries, or 4xx: the message names the url and why), DG_ENOMEM,
 * DG_EINVAL (a bad url). */
int dg_fetch_http_get(const struct dg_fetch_http *h, const char *url,
    char **body, size_t *len, struct dg_error *err);

/* The URL of one file of src for day d (monthly: the month's archive),
 * and the name it has in the cache.  zone is the node (caiso-dam), the
 * station (nws-obs) or the gridpoint (nws-forecast); DG_EINVAL when the
 * source needs one and zone is NULL. */
int dg_fetch_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *zone, char *url, size_t un,
    char *cname, size_t cn, struct dg_error *err);

/* --- Cache ----------------------------------------------------------- */

/* SHA-256 of buf as 64 lower-case hex digits (nettle). */
void dg_fetch_sha256(const char *buf, size_t len, char hex[65]);

/* Stores body as dir/source/cname with dir/source/cname.meta
 * (url,fetched,sha256,bytes), each written atomically.  A cached file
 * with other content is kept as cname.SHA12 (and its .meta). */
int dg_fetch_cache_store(const char *dir, const char *source,
    const char *cname, const char *url, dg_time fetched, const char *body,
    size_t len, struct dg_error *err);
/* Loads dir/source/cname and checks it against its .meta: DG_ENOINPUT
 * when not cached, DG_EDATA when the SHA-256 or size differ. */
int dg_fetch_cache_load(const char *dir, const char *source,
    const char *cname, char **body, size_t *len, struct dg_error *err);

/* Reads a whole file (or "-": standard input) into memory. */
int dg_fetch_read_file(const char *path, size_t max_bytes, char **body,
    size_t *len, struct dg_error *err);

/* --- Native files met by other commands -------------------------------- */

/* A CSV file that may be in a market's native layout (a price file given
 * to dg-schedule or dg-settle): read whole (path "-" or NULL: standard
 * input, named "<stdin>" in messages as dg_csv_open names it; at most
 * DG_FETCH_INPUT_MAX bytes) and opened as CSV from memory, so that the
 * caller can look at its header and either read its rows from csv or have
 * them parsed by dg_fetch_parse (dg_fetch_input_parse).  Errors as
 * dg_fetch_read_file and dg_csv_open_fp. */
#define DG_FETCH_INPUT_MAX ((size_t)1 << 31)
struct dg_fetch_input {
	struct dg_csv *csv;	/* positioned after the header row */
	const char *name;	/* the file's name in messages */
	char *body;
	size_t len;
	FILE *fp;
};
int dg_fetch_input_open(struct dg_fetch_input *in, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* Whether the header is that of NYISO's zonal price files (damlbmp_zone,
 * realtime_zone: a "Time Stamp" column). */
int dg_fetch_input_nyiso(const struct dg_fetch_input *in);
/* dg_fetch_parse on the whole file, named in->name in messages. */
int dg_fetch_input_parse(const struct dg_fetch_input *in,
    const struct dg_fetch_source *src, const struct dg_fetch_filter *f,
    dg_fetch_rows_fn fn, void *arg, struct dg_error *err);
void dg_fetch_input_close(struct dg_fetch_input *in);

#ifdef __cplusplus
}
#endif
#endif
