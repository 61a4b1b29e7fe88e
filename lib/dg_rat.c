/* dg_rat.c: exact rationals with 128-bit terms (see dg_rat.h). */
#include <config.h>

#include <stdint.h>

#include "dg_rat.h"
#include "dg_status.h"

typedef __int128 i128;

static i128
gcd128(i128 a, i128 b)
{
	if (a < 0)
		a = -a;
	if (b < 0)
		b = -b;
	while (b != 0) {
		i128 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static dg_rat
reduce(i128 n, i128 d)
{
	dg_rat q;
	i128 g;

	if (d < 0)
		n = -n, d = -d;
	g = gcd128(n, d);
	if (g > 1)
		n /= g, d /= g;
	if (n == 0)
		d = 1;
	q.n = n;
	q.d = d;
	return q;
}

dg_rat
dg_rat_int(long long v)
{
	return reduce(v, 1);
}

dg_rat
dg_rat_dec(dg_dec x)
{
	i128 d = 1;

	for (int i = 0; i < x.scale; i++)
		d *= 10;
	return reduce(x.v, d);
}

static int
mul_ok(i128 a, i128 b, i128 *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

int
dg_rat_add(dg_rat a, dg_rat b, dg_rat *out)
{
	i128 g = gcd128(a.d, b.d), x, y, d, n;

	/* a.n (b.d/g) + b.n (a.d/g) over a.d (b.d/g) */
	if (!mul_ok(a.n, b.d / g, &x) || !mul_ok(b.n, a.d / g, &y) ||
	    !mul_ok(a.d, b.d / g, &d) || __builtin_add_overflow(x, y, &n))
		return DG_ERANGE;
	*out = reduce(n, d);
	return DG_OK;
}

int
dg_rat_sub(dg_rat a, dg_rat b, dg_rat *out)
{
	b.n = -b.n;
	return dg_rat_add(a, b, out);
}

int
dg_rat_mul(dg_rat a, dg_rat b, dg_rat *out)
{
	i128 g1 = gcd128(a.n, b.d), g2 = gcd128(b.n, a.d), n, d;

	if (g1 == 0)
		g1 = 1;
	if (g2 == 0)
		g2 = 1;
	if (!mul_ok(a.n / g1, b.n / g2, &n) || !mul_ok(a.d / g2, b.d / g1, &d))
		return DG_ERANGE;
	*out = reduce(n, d);
	return DG_OK;
}

int
dg_rat_div(dg_rat a, dg_rat b, dg_rat *out)
{
	dg_rat inv;

	if (b.n == 0)
		return DG_ERANGE;
	inv = reduce(b.d, b.n);
	return dg_rat_mul(a, inv, out);
}

int
dg_rat_sign(dg_rat a)
{
	return (a.n > 0) - (a.n < 0);
}

int
dg_rat_cmp(dg_rat a, dg_rat b)
{
	dg_rat d;

	if (dg_rat_sub(a, b, &d) != DG_OK)
		return dg_rat_double(a) < dg_rat_double(b) ? -1 :
		    dg_rat_double(a) > dg_rat_double(b);
	return dg_rat_sign(d);
}

double
dg_rat_double(dg_rat a)
{
	return (double)a.n / (double)a.d;
}

int
dg_rat_to_dec(dg_rat a, int scale, int mode, dg_dec *out)
{
	i128 p = 1, n, q, r;
	int neg;

	if (scale < 0 || scale > DG_DEC_MAX_SCALE)
		return DG_ERANGE;
	for (int i = 0; i < scale; i++)
		p *= 10;
	neg = a.n < 0;
	if (!mul_ok(neg ? -a.n : a.n, p, &n))
		return DG_ERANGE;
	q = n / a.d;
	r = n % a.d;
	if (mode == DG_RAT_ROUND && r * 2 >= a.d)
		q++;
	if (q > INT64_MAX)
		return DG_ERANGE;
	out->v = (int64_t)(neg ? -q : q);
	out->scale = scale;
	return DG_OK;
}
