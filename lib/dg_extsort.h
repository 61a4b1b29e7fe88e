/* dg_extsort.h: a stable external sort of variable-length records in
 * bounded memory; private to the library and its tests (not installed).
 *
 * Records (byte strings, copied in) are added one at a time, then read
 * back in the order of a comparator; records that compare equal come out
 * in the order they were added.  Up to a byte budget of records (counting
 * their bytes and DG_EXTSORT_OVERHEAD for each) is kept in memory and
 * sorted there; beyond it the records in memory are sorted and written as
 * one run to a temporary file in $TMPDIR (else /tmp), unlinked as soon as
 * it is created so that no exit leaves it behind, and the runs are merged
 * at the end, DG_EXTSORT_FANIN at a time (in several passes when there are
 * more).  Besides the budget, a merge holds one read buffer of 32 KiB per
 * run (larger when a record is).
 *
 *	dg_extsort_open(&xs, cmp, arg, mem, err);
 *	while (...) dg_extsort_add(xs, rec, len);
 *	dg_extsort_finish(xs);
 *	while ((st = dg_extsort_next(xs, &rec, &len)) == DG_OK) ...;
 *	dg_extsort_free(xs);
 *
 * Errors (set in the err given to dg_extsort_open): DG_ENOMEM, DG_ECREATE
 * (a temporary file cannot be created: the message names the directory),
 * DG_EIO (it cannot be written or read back). */
#ifndef DG_EXTSORT_H
#define DG_EXTSORT_H

#include <stddef.h>
#include <stdio.h>

#include "dg_status.h"

/* The default budget, bytes. */
#define DG_EXTSORT_MEM_DEFAULT ((size_t)24 << 20)
/* Bytes of bookkeeping counted for each record kept in memory. */
#define DG_EXTSORT_OVERHEAD 32
/* Runs merged at once. */
#define DG_EXTSORT_FANIN 64

/* Negative, 0 or positive as record a sorts before, with or after b. */
typedef int (*dg_extsort_cmp_fn)(const void *a, size_t alen, const void *b,
    size_t blen, void *arg);

struct dg_extsort;

/* A new sort; mem is the budget in bytes (0: DG_EXTSORT_MEM_DEFAULT).  err
 * is kept and receives every later error of xs. */
int dg_extsort_open(struct dg_extsort **xs, dg_extsort_cmp_fn cmp, void *arg,
    size_t mem, struct dg_error *err);
/* Copies in one record of len bytes (len 0 is a record too). */
int dg_extsort_add(struct dg_extsort *xs, const void *rec, size_t len);
/* No more records: sorts, and merges the runs until at most FANIN are
 * left. */
int dg_extsort_finish(struct dg_extsort *xs);
/* The next record in order: *rec points to its bytes until the next call.
 * DG_EOF after the last one. */
int dg_extsort_next(struct dg_extsort *xs, const void **rec, size_t *len);
/* Records added; sorted runs written to temporary files (0 while every
 * record fits in memory). */
size_t dg_extsort_count(const struct dg_extsort *xs);
size_t dg_extsort_runs(const struct dg_extsort *xs);
void dg_extsort_free(struct dg_extsort *xs);

/* An unlinked temporary file in $TMPDIR (else /tmp), open for update.
 * DG_ECREATE naming the directory when it cannot be created. */
int dg_tmpfile(FILE **fp, struct dg_error *err);

#endif
