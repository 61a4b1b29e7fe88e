/* dg_quality.h: the quality column (doc/design.md, The CSV contract):
 * the names of the flags set, in bit order, joined by ';'
 * ("short_window;missing_actual").  dg_quality_format gives the empty
 * string when no flag is set; the programs write `ok` in its place (but
 * dg-fetch, which leaves the field empty).  The one formatting rule of
 * every module's flags. */
#ifndef DG_QUALITY_H
#define DG_QUALITY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the names[b] of the bits b < nnames set in flags into buf (n
 * bytes, NUL-terminated when n > 0); a name that does not fit is left
 * out, with the ones after it.  Returns buf. */
char *dg_quality_format(unsigned flags, const char *const *names,
    int nnames, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
