/* ck_dec.h: exact decimals in the Check tests.  dec("2.385") parses a
 * literal (the test fails when it does not); ck_dec(d, "2.385") asserts
 * how d is written, digits and scale. */
#ifndef CK_DEC_H
#define CK_DEC_H

#include <check.h>
#include <string.h>

#include "dg_dec.h"
#include "dg_status.h"

static inline dg_dec
dec(const char *s)
{
	dg_dec d;

	ck_assert_int_eq(dg_dec_parse(s, strlen(s), &d), DG_OK);
	return d;
}

static inline void
ck_dec(dg_dec d, const char *want)
{
	char b[DG_DEC_BUFSZ];

	ck_assert_int_ge(dg_dec_format(d, b, sizeof(b)), 0);
	ck_assert_str_eq(b, want);
}

#endif
