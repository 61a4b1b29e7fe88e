/* dg_fetch_stream.h: a market file parsed, checked and written in one pass
 * with bounded memory (what dg-fetch runs).
 *
 * The rows of each file (each member of an archive) are parsed as
 * dg_fetch_parse does, sorted by time then zone (the order read breaking
 * ties), flagged or merged, checked for coverage and written, with the
 * output dg_fetch_parse and dg_fetch_write_rows would give.  The file is
 * read as a stream (CSV, a zip archive's members, gzip; a MISO report or a
 * JSON document is read whole); beyond the sort memory the rows are
 * spilled in sorted runs to temporary files in $TMPDIR (unlinked as soon
 * as created, so that no exit leaves them) and merged (lib/dg_extsort.c). */
#ifndef DG_FETCH_STREAM_H
#define DG_FETCH_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dg_fetch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rows kept in memory to be sorted before some are spilled to temporary
 * files, in bytes (about 110 a row). */
#define DG_FETCH_MEM_DEFAULT ((size_t)24 << 20)

/* Where the rows go. */
struct dg_fetch_sink {
	struct dg_csvw *w;	/* the selected rows are written here */
	size_t mem;		/* sort memory, bytes (0: the default) */
	uint64_t max_inflate;	/* decompression limits (dg_fetch.h); */
	unsigned max_ratio;	/* 0: DG_FETCH_INFLATE_MAX, _RATIO_MAX */
	/* Told of each zone and day not covered in full (prices and loads):
	 * the seconds covered and the day's length (23, 24 or 25 hours in
	 * the market's zone); may be NULL. */
	void (*short_day)(void *arg, const char *zone, dg_date day,
	    long covered_s, long day_s);
	/* Told of each zone (node, station) of each file, selected or not,
	 * once the file has passed; may be NULL. */
	void (*zone_seen)(void *arg, const char *zone);
	void *arg;
	struct dg_fetch_counts counts;	/* added to: rows written, flagged */
	long short_days;		/* added to */
};

/* The file path ("-": standard input).  Stamps are written in the
 * caller's zone.  Errors as dg_fetch_parse, DG_ENOINPUT (the file cannot
 * be opened), DG_ECREATE and DG_EIO (a temporary file cannot be created,
 * written or read), and those of the writer. */
int dg_fetch_stream_file(const struct dg_fetch_source *src, const char *path,
    const struct dg_fetch_filter *f, struct dg_fetch_sink *s,
    struct dg_error *err);
/* The same on an open stream called name in messages (a zip archive in a
 * regular file is read in place, from a pipe into memory). */
int dg_fetch_stream_fp(const struct dg_fetch_source *src, FILE *fp,
    const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err);
/* The same on a file already in memory. */
int dg_fetch_stream_buf(const struct dg_fetch_source *src, const char *buf,
    size_t len, const char *name, const struct dg_fetch_filter *f,
    struct dg_fetch_sink *s, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
