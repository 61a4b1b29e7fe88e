/* dg_proc.h: running a helper program (gnuplot, chromium) on pipes;
 * private to the library and its tests (not installed).
 *
 * The program is found on the PATH and run with its standard input,
 * output and error on pipes: what it is given is written to its input
 * while its output is read, so neither side blocks whatever the sizes,
 * and nothing goes through a file.  Its standard error is kept (the
 * first KiB) for the message when it fails. */
#ifndef DG_PROC_H
#define DG_PROC_H

#include <stddef.h>

#include "dg_status.h"

/* Runs argv[0] with argv; writes in[0..len) (in may be NULL) to its
 * standard input and closes it; collects its standard output in *out
 * (malloc'd, NUL-terminated, *outlen bytes; out may be NULL to discard
 * it).  what and package name the program in errors:
 *   DG_EUNAVAIL  "WHAT not found: install the Debian package PACKAGE"
 *                when it cannot be run;
 *   DG_EINTERNAL "WHAT failed (exit N): FIRST LINE OF ITS ERRORS" when
 *                it ends with a status other than 0 or by a signal;
 *   DG_ENOMEM, DG_EIO (a pipe or fork failed). */
int dg_proc_run(char *const *argv, const char *what, const char *package,
    const char *in, size_t len, char **out, size_t *outlen,
    struct dg_error *err);

#endif
