/* dg_fetch.h: the markets' and the weather service's file formats, parsed
 * and normalized to the toolkit's CSV.  One parser per source format
 * (lib/dg_fetch_nyiso.c, _pjm, _miso, _ercot, _caiso, _nws), one row type,
 * one writer.  Reading a file in one pass with bounded memory is
 * dg_fetch_stream.h; the download dg_fetch_http.h; the cache of raw files
 * dg_fetch_cache.h.
 *
 * A file is a CSV, a JSON document, a zip archive of such files (NYISO's
 * monthly archives, CAISO OASIS) or a gzip-compressed one.  Each source's
 * stamp convention is converted to interval-start instants (dg_time); the
 * rows are written later in the process zone with their UTC offsets.
 * While a parser runs, the process zone is switched to the market's zone
 * (naive stamps are read there) and restored before it returns.  A market
 * file whose last line has no line end was cut short and is refused, in a
 * plain file, a zip member or a gzip stream alike. */
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

/* Decompression limits (a zip member, a gzip stream): content larger than
 * DG_FETCH_INFLATE_MAX bytes, or larger than DG_FETCH_RATIO_MAX times its
 * compressed size once past DG_FETCH_RATIO_FLOOR bytes, is refused
 * (DG_EDATA naming the member): a small archive must not expand without
 * bound.  Real market files compress 5 to 10 times. */
#define DG_FETCH_INFLATE_MAX ((uint64_t)1 << 30)
#define DG_FETCH_RATIO_MAX 100
#define DG_FETCH_RATIO_FLOOR ((uint64_t)1 << 20)

#ifdef __cplusplus
extern "C" {
#endif

/* What a source delivers, and so the output columns. */
enum dg_fetch_kind {
	DG_FETCH_PRICE,		/* zone,time,price_usd_per_mwh,... */
	DG_FETCH_LOAD,		/* zone,time,load_mw,... (actual) */
	DG_FETCH_LOADFC,	/* zone,time,load_mw,...,issued (forecast) */
	DG_FETCH_WEATHER,	/* station,time,temp_f,rh_pct,... */
	DG_FETCH_CAPACITY	/* auction,month,locality,price_usd_per_kw_
				 * month,...: a row per auction, month and
				 * locality (zone: the locality, ptid: the
				 * auction, t and dur: the month) */
};

/* The parsers. */
enum dg_fetch_format {
	DG_FMT_NYISO_DAM,	/* damlbmp_zone: hour beginning, no zone */
	DG_FMT_NYISO_RT,	/* realtime_zone: interval ending, irregular */
	DG_FMT_NYISO_PAL,	/* palIntegrated: hour beginning, Time Zone */
	DG_FMT_NYISO_ISOLF,	/* isolf: wide, hour beginning, no zone */
	DG_FMT_PJM,		/* Data Miner 2 da_hrl_lmps / rt_hrl_lmps */
	DG_FMT_MISO,		/* market report, HE 1..24 in EST all year */
	DG_FMT_ERCOT,		/* NP4-190 DAM SPP: hour ending + DSTFlag */
	DG_FMT_CAISO,		/* OASIS PRC_LMP: UTC interval start */
	DG_FMT_NWS_FORECAST,	/* api.weather.gov gridpoint forecast/hourly */
	DG_FMT_NWS_OBS,		/* api.weather.gov station observations */
	DG_FMT_NYISO_ICAP	/* ICAP Market Report, MCP Table as CSV */
};

struct dg_fetch_source {
	const char *name;	/* "nyiso-dam" */
	int kind;		/* enum dg_fetch_kind */
	int format;		/* enum dg_fetch_format */
	const char *tz;		/* market zone: naive stamps, operating day */
	const char *status;	/* "final" or "preliminary" as published */
	const char *base_url;	/* default --base-url */
	const char *what;	/* one line for --help and errors */
	const char *market;	/* "NYISO" ... (dg_zone_resolve), or NULL */
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
int dg_fetch_row_selected(const struct dg_fetch_row *r,
    const struct dg_fetch_filter *f);

/* Called with the rows of one file (one member of an archive), sorted by
 * time then zone, in the caller's process zone; member is the archive
 * member name or NULL. */
typedef int (*dg_fetch_rows_fn)(void *arg, const struct dg_fetch_rows *rows,
    const char *member, struct dg_error *err);

/* Parses buf (len bytes, the content of the file called name in messages)
 * as src's format.  Zip archives: each member named YYYYMMDD... outside
 * the filter's days is skipped, the others are parsed in name order.
 * Gzip content is inflated as it is read.  The decompression limits are
 * the defaults above.  fn may be NULL (validation only).  Errors:
 * DG_EDATA/DG_ERANGE (malformed content, with file:line and column),
 * DG_ENOMEM. */
int dg_fetch_parse(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    dg_fetch_rows_fn fn, void *arg, struct dg_error *err);

/* The URL of one file of src for day d (monthly: the month's archive)
 * under base (NULL: src->base_url), and the name the file has in the
 * cache.  zone is the node (caiso-dam), the station (nws-obs) or the
 * gridpoint (nws-forecast); DG_EINVAL when the source needs one and zone
 * is NULL. */
int dg_fetch_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *zone, char *url, size_t un,
    char *cname, size_t cn, struct dg_error *err);

/* --- Output ---------------------------------------------------------- */

struct dg_fetch_counts {
	long rows;			/* rows written */
	long flagged[DG_FQ_N];		/* rows with each quality flag */
};

int dg_fetch_write_header(struct dg_csvw *w, const struct dg_fetch_source *src);
/* One row, stamps in the process zone; c (may be NULL) is added to. */
int dg_fetch_write_row(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_row *r, struct dg_fetch_counts *c);
/* The rows that pass f. */
int dg_fetch_write_rows(struct dg_csvw *w, const struct dg_fetch_source *src,
    const struct dg_fetch_rows *rows, const struct dg_fetch_filter *f,
    struct dg_fetch_counts *c);

/* --- Native files met by other commands -------------------------------- */

/* Reads a whole file (or "-": standard input) into memory (NUL-terminated):
 * DG_ENOINPUT when it cannot be opened, DG_EDATA beyond max_bytes. */
int dg_fetch_read_file(const char *path, size_t max_bytes, char **body,
    size_t *len, struct dg_error *err);

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
