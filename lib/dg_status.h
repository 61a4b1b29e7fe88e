/* dg_status.h: status codes and error context of libdgagg.
 *
 * The library never prints and never exits: every function that can fail
 * returns an enum dg_status and, where it has one, fills a struct dg_error
 * with the context (file, line, column) a command needs for its message. */
#ifndef DG_STATUS_H
#define DG_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dg_status {
	DG_OK = 0,
	DG_EOF,		/* end of input; not an error */
	DG_EDATA,	/* malformed input data */
	DG_ERANGE,	/* a value out of range or an overflow */
	DG_ENOINPUT,	/* an input cannot be opened */
	DG_ECREATE,	/* an output cannot be created */
	DG_EIO,		/* a read or write failed */
	DG_EPIPE,	/* the reader of our output went away */
	DG_ENOMEM,	/* out of memory */
	DG_EINVAL,	/* an invalid argument or option value */
	DG_EUNAVAIL,	/* a service is unavailable */
	DG_EINTERNAL	/* a bug */
};

/* The context of the last error: what a command needs to write
 * "file:line: column name: message".  line is 0 and column empty when
 * they do not apply. */
struct dg_error {
	int status;
	long line;
	char file[256];
	char column[128];
	char msg[512];
};

const char *dg_strerror(int status);
void dg_error_clear(struct dg_error *e);
/* Sets e (when not NULL) and returns status. */
int dg_error_set(struct dg_error *e, int status, const char *file, long line,
    const char *column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* "file:line: column name: msg", leaving out what is not set. */
void dg_error_format(const struct dg_error *e, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
