/* dg_pass.h: the input's other columns passed through by a filter that
 * annotates rows (dgagg(7), The CSV contract).
 *
 * A program that writes one row out for each row in, with columns of its
 * own added, keeps the columns of its input that it does not read: they
 * are written after the program's own columns, in their input order, each
 * field as the reader hands it (so as the file has it, but for a
 * spreadsheet's decimal comma, which the reader makes a point), quoted by
 * the writer when it needs it.  A column it reads is not passed: the
 * program writes what it made of it.
 *
 * A passed column named as one of the program's own output columns (a
 * forecast's quality going through dg-gencost, which writes its own) is
 * renamed: "in_" is put before its name, again until the name is neither
 * an output column, nor an input column, nor a name given to another
 * passed column.
 *
 * Memory: one index and one name per passed column; nothing per row. */
#ifndef DG_PASS_H
#define DG_PASS_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_pass {
	size_t n;		/* columns passed */
	int *col;		/* their indices in the input, in input order */
	char **name;		/* their names in the output */
	size_t nrenamed;	/* how many were renamed */
};

/* The columns of r's header that are not among used (nused indices into
 * r's header; entries < 0 are skipped), named against the program's own
 * output columns out[0..nout-1].  Returns DG_OK or DG_ENOMEM (err set);
 * p is then empty.  A p filled with memset 0 passes nothing. */
int dg_pass_init(struct dg_pass *p, const struct dg_csv *r, const int *used,
    size_t nused, const char *const *out, size_t nout, struct dg_error *err);
void dg_pass_release(struct dg_pass *p);

/* The header: out[0..nout-1], then the passed columns' names.  Returns
 * the writer's sticky status. */
int dg_pass_header(const struct dg_pass *p, struct dg_csvw *w,
    const char *const *out, size_t nout);

/* Writes the current row's passed fields, after the program's own fields
 * of the row and before dg_csvw_end_row(). */
void dg_pass_fields(const struct dg_pass *p, struct dg_csvw *w,
    const struct dg_csv *r);

#ifdef __cplusplus
}
#endif
#endif
