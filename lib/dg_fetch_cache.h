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

#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stores body (len bytes) as dir/source/cname, fetched from url. */
int dg_fetch_cache_store(const char *dir, const char *source,
    const char *cname, const char *url, dg_time fetched, const char *body,
    size_t len, struct dg_error *err);
/* Loads dir/source/cname and checks it against its .meta: DG_ENOINPUT
 * when not cached, DG_EDATA when the SHA-256 or size differ. */
int dg_fetch_cache_load(const char *dir, const char *source,
    const char *cname, char **body, size_t *len, struct dg_error *err);
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
