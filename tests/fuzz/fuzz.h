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

/* libFuzzer's entry point, which every harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

/* What the CSV reader makes of buf[0..size) with options o, as text: the
 * open status and message, the header, every row with its status, line,
 * message and fields, the row and blank-line counts (messages without the
 * file's name).  For the harnesses that compare two readings. */
static inline char *
fuzz_csv_dump(const void *buf, size_t size, const struct dg_csv_opts *o)
{
	struct dg_csv *r = NULL;
	struct dg_error err = { 0 };
	char *out = NULL, *in = malloc(size + 1);
	size_t cap = 0;
	FILE *fp, *mem;
	int st;

	if (in == NULL)
		abort();
	memcpy(in, buf, size);	/* (fmemopen's buffer is not const) */
	if ((mem = open_memstream(&out, &cap)) == NULL ||
	    (fp = fmemopen(in, size, "r")) == NULL)
		abort();
	st = dg_csv_open_fp(&r, fp, "fuzz.csv", o, &err);
	fprintf(mem, "open %d %ld %s\n", st, err.line, err.msg);
	if (st == DG_OK) {
		for (size_t i = 0; i < dg_csv_ncols(r); i++)
			fprintf(mem, "<%s>", dg_csv_colname(r, i));
		for (;;) {
			dg_error_clear(&err);
			st = dg_csv_next(r);
			fprintf(mem, "\n%d@%ld %ld %s:", st, dg_csv_line(r),
			    err.line, err.msg);
			for (size_t i = 0; i < dg_csv_nfields(r); i++)
				fprintf(mem, "[%s]",
				    dg_csv_field(r, (int)i, NULL));
			if (st != DG_OK && strncmp(err.msg, "expected", 8) != 0)
				break;
		}
		fprintf(mem, "\nrows %ld blank %ld\n", dg_csv_rows(r),
		    dg_csv_blank_lines(r));
		dg_csv_close(r);
	}
	fclose(fp);
	fclose(mem);
	free(in);
	return out;
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
