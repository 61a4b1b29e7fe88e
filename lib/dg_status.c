/* dg_status.c: status strings and error context. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dg_status.h"

const char *
dg_strerror(int status)
{
	switch (status) {
	case DG_OK:		return "success";
	case DG_EOF:		return "end of input";
	case DG_EDATA:		return "malformed data";
	case DG_ERANGE:		return "value out of range";
	case DG_ENOINPUT:	return "cannot open input";
	case DG_ECREATE:	return "cannot create output";
	case DG_EIO:		return "input/output error";
	case DG_EPIPE:		return "output closed by reader";
	case DG_ENOMEM:		return "out of memory";
	case DG_EINVAL:		return "invalid argument";
	case DG_EUNAVAIL:	return "service unavailable";
	case DG_EINTERNAL:	return "internal error";
	}
	return "unknown status";
}

void
dg_error_clear(struct dg_error *e)
{
	if (e == NULL)
		return;
	e->status = DG_OK;
	e->line = 0;
	e->file[0] = e->column[0] = e->msg[0] = '\0';
}

static void
copy(char *dst, size_t n, const char *src)
{
	size_t len;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	len = strlen(src);
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int
dg_error_set(struct dg_error *e, int status, const char *file, long line,
    const char *column, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return status;
	e->status = status;
	e->line = line;
	copy(e->file, sizeof(e->file), file);
	copy(e->column, sizeof(e->column), column);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return status;
}

void
dg_error_format(const struct dg_error *e, char *buf, size_t n)
{
	size_t off = 0;
	int k;

	if (n == 0)
		return;
	buf[0] = '\0';
	if (e->file[0] != '\0') {
		if (e->line > 0)
			k = snprintf(buf, n, "%s:%ld: ", e->file, e->line);
		else
			k = snprintf(buf, n, "%s: ", e->file);
		off = k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
	}
	if (e->column[0] != '\0' && off < n) {
		k = snprintf(buf + off, n - off, "column %s: ", e->column);
		off += k < 0 ? 0 : (size_t)k < n - off ? (size_t)k :
		    n - off - 1;
	}
	if (off < n)
		snprintf(buf + off, n - off, "%s",
		    e->msg[0] != '\0' ? e->msg : dg_strerror(e->status));
}
