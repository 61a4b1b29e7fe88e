/* dg_econ_int.h: what the dg_econ modules share; private to the library
 * (not installed). */
#ifndef DG_ECON_INT_H
#define DG_ECON_INT_H

#include <stdint.h>

#include "dg_csv.h"
#include "dg_dec.h"

typedef __int128 i128;

i128 dg_econ_pow10(int k);
/* n / d rounded half away from zero; d != 0. */
i128 dg_econ_div_round(i128 n, i128 d);
/* v as cents, or DG_ERANGE. */
int dg_econ_fit_cents(i128 v, int64_t *out);
/* The product of v[0..n) / 10^shift rounded once to cents; DG_ERANGE on
 * overflow. */
int dg_econ_product_cents(const dg_dec *v, int n, int shift, int64_t *out);
/* The aggregator's part of a shared amount, rounded once. */
int dg_econ_share(int64_t cents, dg_dec share_pct, int64_t *aggr);
/* A decimal >= 0 in field i of the current row, or a failure there. */
int dg_econ_get_amount(struct dg_csv *r, int i, dg_dec *out);
/* Money in field i as cents, rounded once if written finer (not negative
 * when nonneg), or a failure there.  dg_peakhunt reads costs with it. */
int dg_econ_get_cents(struct dg_csv *r, int i, int nonneg, int64_t *out);

#endif
