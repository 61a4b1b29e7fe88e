/* dg_fetch_cache.h: the cache of raw downloaded files, so that a run can
 * be replayed offline from the same bytes.
 *
 * A file is kept as DIR/SOURCE/NAME with DIR/SOURCE/NAME.meta, a CSV row
 * url,fetched,sha256,bytes (fetch time in UTC, SHA-256 of the raw bytes),
 * both written atomically.  A later store of other content keeps the
 * previous version beside as NAME.SHA12 (the first 12 hex digits of its
 * SHA-256) with its meta. */
#ifndef DG_FETCH_CACHE_H
#define DG_FETCH_CACHE_H

#include <stddef.h>
#include <stdio.h>

#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stores the content of body (from its start) as dir/source/cname,
 * fetched from url.  The same content already there is left as it is
 * (with its first fetch time).  Errors: DG_ECREATE (a directory or file
 * cannot be created), DG_EIO. */
int dg_fetch_cache_store(const char *dir, const char *source,
    const char *cname, const char *url, dg_time fetched, FILE *body,
    struct dg_error *err);
/* Opens dir/source/cname once it matches its .meta (size and SHA-256),
 * at its start: DG_ENOINPUT when not cached, DG_EDATA when it differs. */
int dg_fetch_cache_open(const char *dir, const char *source,
    const char *cname, FILE **fp, struct dg_error *err);
/* The cache name of a file fetched from url: its last path segment made
 * safe, followed, when the URL has a query or day (YYYY-MM-DD, may be
 * NULL) is given, by the day and the first 12 hex digits of the URL's
 * SHA-256. */
void dg_fetch_cache_name(const char *url, const char *day, char *buf,
    size_t n);

#ifdef __cplusplus
}
#endif
#endif
