/* fuzz_dec: the decimal parser and arithmetic.  The input is two strings
 * split at the first '|'; each parsed decimal must format back to a string
 * that parses to the same value, and the arithmetic must report overflow,
 * never wrap (checked against long double where the result is small). */
#include "fuzz.h"

#include <math.h>

static void
roundtrip(dg_dec d)
{
	char buf[DG_DEC_BUFSZ];
	dg_dec e;
	int n = dg_dec_format(d, buf, sizeof(buf));

	if (n < 0 || dg_dec_parse(buf, (size_t)n, &e) != DG_OK ||
	    dg_dec_cmp(d, e) != 0 || e.scale != d.scale)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *bar = memchr(data, '|', size);
	size_t la = bar ? (size_t)(bar - data) : size;
	char *s = fuzz_str(data, size);
	dg_dec a, b, r;
	int sa, sb;

	sa = dg_dec_parse(s, la, &a);
	sb = bar ? dg_dec_parse(s + la + 1, size - la - 1, &b) : DG_EDATA;
	if (sa == DG_OK)
		roundtrip(a);
	if (sa == DG_OK && sb == DG_OK) {
		roundtrip(b);
		if (dg_dec_add(a, b, &r) == DG_OK) {
			long double x = (long double)dg_dec_to_double(a) +
			    (long double)dg_dec_to_double(b);
			if (fabsl((long double)dg_dec_to_double(a)) < 1e11L &&
			    fabsl((long double)dg_dec_to_double(b)) < 1e11L &&
			    fabsl((long double)dg_dec_to_double(r) - x) > 1e-3L)
				abort();	/* wrapped */
			roundtrip(r);
		}
		if (dg_dec_sub(a, b, &r) == DG_OK)
			roundtrip(r);
		for (int sc = -1; sc <= DG_DEC_MAX_SCALE + 1; sc += 3) {
			if (dg_dec_mul(a, b, sc, &r) == DG_OK)
				roundtrip(r);
			if (sc >= 0 && dg_dec_div(a, b, sc, &r) == DG_OK)
				roundtrip(r);
			if (sc >= 0 && dg_dec_mul3(a, b, a, sc, &r) == DG_OK)
				roundtrip(r);
			if (dg_dec_rescale(a, sc, &r) == DG_OK)
				roundtrip(r);
		}
		(void)dg_dec_cmp(a, b);
		if (dg_dec_from_double(dg_dec_to_double(a), 6, &r) == DG_OK)
			roundtrip(r);
	}
	{
		double x;
		int64_t n;

		(void)dg_parse_double(s, &x);
		(void)dg_parse_int(s, INT64_MIN, INT64_MAX, &n);
	}
	free(s);
	return 0;
}
