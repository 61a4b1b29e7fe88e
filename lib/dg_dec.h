/* dg_dec.h: exact decimals for energy and money.
 *
 * A decimal is a scaled integer: value = v / 10^scale, 0 <= scale <= 18.
 * Parsing keeps the scale as written, so a decimal printed back equals what
 * was read ("12.50" stays "12.50").  Products are computed exactly (128-bit
 * intermediates) and rounded once, half away from zero, to the requested
 * scale.  Overflow is reported, never wrapped. */
#ifndef DG_DEC_H
#define DG_DEC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DG_DEC_MAX_SCALE 18
#define DG_DEC_BUFSZ 48		/* enough for any formatted decimal */

typedef struct {
	int64_t v;
	int scale;
} dg_dec;

/* Plain decimal: optional sign, digits, optional point and digits.  No
 * exponent, no thousands separator, no spaces.  DG_EDATA when not a
 * number, DG_ERANGE when too long for 18 digits. */
int dg_dec_parse(const char *s, size_t len, dg_dec *out);
/* A plain decimal too long for dg_dec_parse, as spreadsheets write a
 * binary double (Gnumeric saves 412.98 as 412.98000000000000001): the
 * shortest decimal of at most DG_DEC_SHORT_DIGITS significant digits that
 * converts to the same double as s (412.98).  DG_EDATA when s is not a
 * plain decimal; DG_ERANGE when no such decimal exists (s is a number of
 * its own, not a rendering) or it does not fit a decimal. */
#define DG_DEC_SHORT_DIGITS 15	/* DBL_DIG: every such decimal is a
				 * different double */
int dg_dec_parse_rendering(const char *s, size_t len, dg_dec *out);
/* Writes d with its own scale; returns the length, or -1 when n is short. */
int dg_dec_format(dg_dec d, char *buf, size_t n);
dg_dec dg_dec_make(int64_t v, int scale);
/* Round (half away from zero) or extend to scale. */
int dg_dec_rescale(dg_dec d, int scale, dg_dec *out);
/* a + b and a - b, exact, at the larger scale of the two. */
int dg_dec_add(dg_dec a, dg_dec b, dg_dec *out);
int dg_dec_sub(dg_dec a, dg_dec b, dg_dec *out);
/* a * b rounded once to scale; scale < 0 keeps the exact scale
 * a.scale + b.scale (DG_ERANGE if that exceeds 18). */
int dg_dec_mul(dg_dec a, dg_dec b, int scale, dg_dec *out);
/* a * b * c rounded once to scale (scale >= 0). */
int dg_dec_mul3(dg_dec a, dg_dec b, dg_dec c, int scale, dg_dec *out);
/* a / b rounded once to scale; DG_ERANGE when b is zero. */
int dg_dec_div(dg_dec a, dg_dec b, int scale, dg_dec *out);
int dg_dec_cmp(dg_dec a, dg_dec b);
int dg_dec_sign(dg_dec a);
double dg_dec_to_double(dg_dec d);
/* The decimal nearest to x at scale, half away from zero; DG_ERANGE for
 * NaN, infinities and values too large. */
int dg_dec_from_double(double x, int scale, dg_dec *out);

#ifdef __cplusplus
}
#endif
#endif
