/* dg_dec.c: exact decimals as scaled 64-bit integers, 128-bit products. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_dec.h"
#include "dg_status.h"

typedef __int128 i128;

static const int64_t pow10_tab[DG_DEC_MAX_SCALE + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

static i128
pow10_128(int k)
{
	i128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* q = n / d rounded half away from zero; d > 0. */
static i128
div_round(i128 n, i128 d)
{
	i128 q = n / d, r = n % d;

	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	return q;
}

/* Bring an exact 128-bit value at scale from to scale to, rounding once. */
static int
fit(i128 v, int from, int to, dg_dec *out)
{
	if (to < 0 || to > DG_DEC_MAX_SCALE)
		return DG_ERANGE;
	if (to < from && from - to > 38)
		v = 0;		/* |v| < 2^127 < 10^39 / 2: rounds to zero */
	else if (to < from)
		v = div_round(v, pow10_128(from - to));
	else if (to > from) {
		i128 p = pow10_128(to - from);
		i128 lim = (i128)INT64_MAX / p;

		if (v > lim || v < -lim)
			return DG_ERANGE;
		v *= p;
	}
	if (v > INT64_MAX || v < -INT64_MAX)
		return DG_ERANGE;
	out->v = (int64_t)v;
	out->scale = to;
	return DG_OK;
}

dg_dec
dg_dec_make(int64_t v, int scale)
{
	dg_dec d = { v, scale };

	return d;
}

int
dg_dec_parse(const char *s, size_t len, dg_dec *out)
{
	size_t i = 0;
	int neg = 0, scale = 0, ndig = 0, point = 0;
	uint64_t v = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			if (v > (UINT64_MAX - 9) / 10 ||
			    v * 10 + (uint64_t)(c - '0') > (uint64_t)INT64_MAX)
				return DG_ERANGE;
			v = v * 10 + (uint64_t)(c - '0');
			ndig++;
			if (point) {
				if (++scale > DG_DEC_MAX_SCALE)
					return DG_ERANGE;
			}
		} else if (c == '.' && !point)
			point = 1;
		else
			return DG_EDATA;
	}
	if (ndig == 0)
		return DG_EDATA;
	out->v = neg ? -(int64_t)v : (int64_t)v;
	out->scale = scale;
	return DG_OK;
}

int
dg_dec_parse_rendering(const char *s, size_t len, dg_dec *out)
{
	char buf[400], e[40];
	size_t i = 0;
	int nd = 0, point = 0;
	double x;

	/* a plain decimal, as dg_dec_parse takes it, only longer */
	if (len >= sizeof(buf))
		return DG_ERANGE;
	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		i = 1;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			nd++;
		else if (s[i] == '.' && !point)
			point = 1;
		else
			return DG_EDATA;
	}
	if (nd == 0)
		return DG_EDATA;
	memcpy(buf, s, len);
	buf[len] = '\0';
	x = strtod(buf, NULL);	/* correctly rounded, whatever the length */
	if (!isfinite(x))
		return DG_ERANGE;
	if (x == 0) {
		*out = dg_dec_make(0, 0);
		return DG_OK;
	}
	/* The fewest digits p that give x back: the decimal correctly rounded
	 * to p digits is the one that does if any p-digit decimal does. */
	for (int p = 1; p <= DG_DEC_SHORT_DIGITS; p++) {
		int exp, scale;
		int64_t v = 0;
		char *q;

		snprintf(e, sizeof(e), "%.*e", p - 1, x);
		if (strtod(e, NULL) != x)
			continue;
		/* e is [-]D[.DDD]e[+-]XX: the digits, then the exponent */
		for (q = e; *q != 'e'; q++)
			if (*q >= '0' && *q <= '9')
				v = v * 10 + (*q - '0');
		exp = (int)strtol(q + 1, NULL, 10);
		scale = p - 1 - exp;
		if (scale > DG_DEC_MAX_SCALE || scale < p - 18)
			return DG_ERANGE;	/* past 18 decimals
						 * or 18 digits */
		for (; scale < 0; scale++)
			v *= 10;
		*out = dg_dec_make(x < 0 ? -v : v, scale);
		return DG_OK;
	}
	return DG_ERANGE;
}

int
dg_dec_format(dg_dec d, char *buf, size_t n)
{
	char tmp[DG_DEC_BUFSZ];
	uint64_t u;
	int len = 0, k;

	u = d.v < 0 ? (uint64_t)(-(d.v + 1)) + 1 : (uint64_t)d.v;
	do {
		tmp[len++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	while (len <= d.scale)
		tmp[len++] = '0';
	/* tmp holds the digits reversed; write sign, integer part, point,
	 * fraction. */
	k = 0;
	if ((size_t)(len + 3) > n)
		return -1;
	if (d.v < 0)
		buf[k++] = '-';
	for (int i = len - 1; i >= 0; i--) {
		buf[k++] = tmp[i];
		if (i == d.scale && d.scale > 0)
			buf[k++] = '.';
	}
	buf[k] = '\0';
	return k;
}

int
dg_dec_rescale(dg_dec d, int scale, dg_dec *out)
{
	return fit(d.v, d.scale, scale, out);
}

int
dg_dec_add(dg_dec a, dg_dec b, dg_dec *out)
{
	int s = a.scale > b.scale ? a.scale : b.scale;
	i128 x = (i128)a.v * pow10_128(s - a.scale);
	i128 y = (i128)b.v * pow10_128(s - b.scale);

	return fit(x + y, s, s, out);
}

int
dg_dec_sub(dg_dec a, dg_dec b, dg_dec *out)
{
	b.v = -b.v;
	return dg_dec_add(a, b, out);
}

int
dg_dec_mul(dg_dec a, dg_dec b, int scale, dg_dec *out)
{
	int s = a.scale + b.scale;

	return fit((i128)a.v * b.v, s, scale < 0 ? s : scale, out);
}

int
dg_dec_mul3(dg_dec a, dg_dec b, dg_dec c, int scale, dg_dec *out)
{
	i128 ab = (i128)a.v * b.v;	/* exact: |ab| < 2^126 */
	i128 lim = ((i128)1 << 62) * ((i128)1 << 64);
	i128 cv = c.v < 0 ? -(i128)c.v : (i128)c.v;

	if (cv != 0 && (ab > lim / cv || ab < -lim / cv))
		return DG_ERANGE;
	return fit(ab * c.v, a.scale + b.scale + c.scale, scale, out);
}

int
dg_dec_div(dg_dec a, dg_dec b, int scale, dg_dec *out)
{
	/* a/b at scale: (a.v * 10^(scale + b.scale - a.scale)) / b.v */
	int e = scale + b.scale - a.scale;
	i128 n = a.v, d = b.v;

	if (b.v == 0 || scale < 0 || scale > DG_DEC_MAX_SCALE ||
	    a.scale < 0 || a.scale > DG_DEC_MAX_SCALE ||
	    b.scale < 0 || b.scale > DG_DEC_MAX_SCALE)
		return DG_ERANGE;	/* so that 10^-e below is
					 * at most 10^18 */
	if (e >= 0) {
		i128 p, lim;

		if (e > 36)
			return DG_ERANGE;
		p = pow10_128(e);
		lim = (((i128)1 << 126) - 1 + ((i128)1 << 126)) / p;
		/* n x 10^e past 2^127 would give a quotient past 2^127 / 2^63:
		 * no 64-bit result either */
		if (n > lim || n < -lim)
			return DG_ERANGE;
		n *= p;
	} else
		d *= pow10_128(-e);
	if (d < 0) {
		n = -n;
		d = -d;
	}
	return fit(div_round(n, d), scale, scale, out);
}

int
dg_dec_cmp(dg_dec a, dg_dec b)
{
	int s = a.scale > b.scale ? a.scale : b.scale;
	i128 x = (i128)a.v * pow10_128(s - a.scale);
	i128 y = (i128)b.v * pow10_128(s - b.scale);

	return x < y ? -1 : x > y;
}

int
dg_dec_sign(dg_dec a)
{
	return a.v < 0 ? -1 : a.v > 0;
}

double
dg_dec_to_double(dg_dec d)
{
	char buf[DG_DEC_BUFSZ];

	/* Both operands exact (|v| < 2^53, 10^scale <= 10^18 < 2^63 but only
	 * up to 10^22 is a double exactly: always here): one correctly
	 * rounded division.  Longer values through strtod. */
	if (d.v > -(1LL << 53) && d.v < (1LL << 53))
		return (double)d.v / (double)pow10_tab[d.scale];
	dg_dec_format(d, buf, sizeof(buf));
	return strtod(buf, NULL);
}

int
dg_dec_from_double(double x, int scale, dg_dec *out)
{
	char buf[384], *point;
	int k, ni, keep;
	dg_dec d;

	if (!isfinite(x) || scale < 0 || scale > DG_DEC_MAX_SCALE)
		return DG_ERANGE;
	if (fabs(x) * (double)pow10_tab[scale] >= 9.2e18)
		return DG_ERANGE;
	if (fabs(x) * (double)pow10_tab[scale] < 4e9 && scale <= 12) {
		/* The same rule in integers, for the usual magnitudes: to six
		 * more decimals (below 2^53, so exact), then half away from
		 * zero to scale. */
		int64_t t = llround(fabs(x) * (double)pow10_tab[scale] * 1e6);
		int64_t v = (t + 500000) / 1000000;

		out->v = x < 0 ? -v : v;
		out->scale = scale;
		return DG_OK;
	}
	/* Written with six more decimals than asked (at most 18 digits in
	 * all), then rounded once half away from zero: 2.675 -> 2.68, as a
	 * person reading the printed value expects. */
	k = snprintf(buf, sizeof(buf), "%.*f", scale + 6, x);
	if (k <= 0 || (size_t)k >= sizeof(buf))
		return DG_ERANGE;
	point = strchr(buf, '.');
	ni = (int)(point - buf) - (buf[0] == '-');
	keep = DG_DEC_MAX_SCALE - ni;
	if (keep < scale)
		return DG_ERANGE;
	if (keep > scale + 6)
		keep = scale + 6;
	point[1 + keep] = '\0';
	k = (int)strlen(buf);
	{
		int st = dg_dec_parse(buf, (size_t)k, &d);

		if (st != DG_OK)
			return st;
	}
	return dg_dec_rescale(d, scale, out);
}
