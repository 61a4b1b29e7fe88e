/* dg_util.h: what every module of libdgagg uses; private to the library
 * and its tests (not installed).
 *
 * Growth: dg_grow() makes an array hold at least need elements, doubling
 * from a minimum, and refuses a size that would overflow.  One convention
 * for every growing array of the library: (pointer, capacity) passed by
 * address, the count kept by the caller.
 *
 * SHA-256 (nettle) of a buffer, a stream or a file, as 64 hex digits: the
 * download cache, the manifests and the audit replay use the same.
 *
 * Huge pages: dg_huge_alloc() for a large block read at random (the
 * external sort's chunks, dg_fetch's stamp memo). */
#ifndef DG_UTIL_H
#define DG_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Makes *p hold at least need elements of elem bytes (capacity *cap,
 * grown by doubling from 16).  0, or -1 on overflow or out of memory
 * (then *p and *cap are unchanged). */
int dg_grow(void *p, size_t *cap, size_t need, size_t elem);

#define DG_HUGE_PAGE ((size_t)2 << 20)	/* bytes of a huge page (x86-64) */
/* n bytes aligned to DG_HUGE_PAGE, the kernel asked to back them with huge
 * pages where it gives them (one page fault, not 512); NULL when out of
 * memory.  free() releases them. */
void *dg_huge_alloc(size_t n);

#define DG_SHA256_HEX 65	/* 64 hex digits and a NUL */
void dg_sha256_buf(const void *buf, size_t len, char hex[DG_SHA256_HEX]);
/* Reads fp to its end; *bytes (may be NULL) gets the length.  DG_EIO on a
 * read error. */
int dg_sha256_fp(FILE *fp, char hex[DG_SHA256_HEX], long long *bytes);
/* DG_ENOINPUT when path cannot be opened, DG_EIO on a read error. */
int dg_sha256_file(const char *path, char hex[DG_SHA256_HEX],
    long long *bytes);

#endif
