/* fuzz.h: helpers shared by the libFuzzer harnesses (tests/fuzz/).
 *
 * Most readers of the library take a path, as the commands do; fuzz_path()
 * puts the input bytes in an anonymous memory file (memfd) and returns a
 * /proc/self/fd path to it, so a harness runs the same code as the command
 * without touching the disk.  Messages name that path, which is fine: the
 * harnesses look for crashes, leaks and sanitizer reports, not for text. */
#ifndef DG_FUZZ_H
#define DG_FUZZ_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dgagg.h"

/* The process zone, once (the commands' default). */
static inline void
fuzz_tz(void)
{
	static int done;

	if (!done) {
		dg_tz_set("America/New_York");
		done = 1;
	}
}

/* A path whose content is data[0..size). */
static inline const char *
fuzz_path(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		if ((fd = memfd_create("fuzz", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	return path;
}

/* Options from the first input byte: delimiter, naive stamps, and a small
 * max_field now and then, so that every branch of the reader is reached.
 * Consumes the byte. */
static inline void
fuzz_opts(const uint8_t **data, size_t *size, struct dg_csv_opts *o)
{
	uint8_t b = 0;

	dg_csv_opts_init(o);
	if (*size > 0) {
		b = (*data)[0];
		(*data)++;
		(*size)--;
	}
	switch (b & 3) {
	case 1: o->delim = ','; break;
	case 2: o->delim = ';'; break;
	case 3: o->delim = '\t'; break;
	default: o->delim = 0; break;
	}
	o->allow_naive = (b >> 2) & 1;
	if (b & 0x08)
		o->max_field = 16 + (b >> 4);
}

/* A copy of data with a terminating NUL, for parsers of strings. */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
