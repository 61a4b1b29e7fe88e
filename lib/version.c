/* version.c: the library's version. */
#include <config.h>

#include "dgagg.h"

const char *
dg_version(void)
{
	return PACKAGE_VERSION;
}
