/* dg_rat.h: exact rationals, n / d with 128-bit terms, d > 0, kept
 * reduced: the chains of products and quotients that must be rounded only
 * once, when printed (dg_ucap's availability and UCAP, dg_cbl's day
 * means and adjustments).  Decimals (dg_dec.h) go in exactly; overflow of
 * the terms is reported, never wrapped. */
#ifndef DG_RAT_H
#define DG_RAT_H

#include "dg_dec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	__int128 n, d;
} dg_rat;

dg_rat dg_rat_int(long long v);
dg_rat dg_rat_dec(dg_dec x);
/* DG_ERANGE on overflow of the 128-bit terms. */
int dg_rat_add(dg_rat a, dg_rat b, dg_rat *out);
int dg_rat_sub(dg_rat a, dg_rat b, dg_rat *out);
int dg_rat_mul(dg_rat a, dg_rat b, dg_rat *out);
int dg_rat_div(dg_rat a, dg_rat b, dg_rat *out);	/* b != 0 */
int dg_rat_cmp(dg_rat a, dg_rat b);
int dg_rat_sign(dg_rat a);
double dg_rat_double(dg_rat a);
/* To a decimal at scale: rounded half away from zero, or truncated
 * toward zero (the report's UCAP in MW).  DG_ERANGE when scale is past
 * DG_DEC_MAX_SCALE or the decimal would overflow. */
enum { DG_RAT_ROUND, DG_RAT_TRUNC };
int dg_rat_to_dec(dg_rat a, int scale, int mode, dg_dec *out);

#ifdef __cplusplus
}
#endif
#endif
