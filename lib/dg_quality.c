/* dg_quality.c: the quality column's flag names (see dg_quality.h). */
#include <config.h>

#include <string.h>

#include "dg_quality.h"

char *
dg_quality_format(unsigned flags, const char *const *names, int nnames,
    char *buf, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (int b = 0; b < nnames; b++) {
		size_t len;

		if (!(flags & (1u << b)))
			continue;
		len = strlen(names[b]);
		if (k + (k > 0) + len + 1 > n)
			break;
		if (k > 0)
			buf[k++] = ';';
		memcpy(buf + k, names[b], len + 1);
		k += len;
	}
	return buf;
}
