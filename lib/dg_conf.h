/* dg_conf.h: a configuration file that holds credentials (dg-notify's
 * mail, SMS and webhook accounts, dg-event's OpenADR client secret);
 * private to the library and its programs (not installed).
 *
 * Lines "key = value"; blank lines and lines starting with # are skipped;
 * blanks around the key and value are dropped (a value may hold blanks
 * inside).  A key the caller does not know, or given twice, is an error
 * naming the file, line and column (the key).  Because the file holds
 * secrets, it is refused when other users may read or write it (any of
 * the mode bits 0007) or the group may write it (0020): the message says
 * to chmod 600 it. */
#ifndef DG_CONF_H
#define DG_CONF_H

#include <stddef.h>

#include "dg_status.h"

struct dg_conf {
	char **key, **val;
	long *line;
	size_t n, cap;
	char *file;
};

/* Reads path; known is a NULL-terminated list of the keys allowed.
 * DG_ENOINPUT (cannot open), DG_EDATA (a bad line, an unknown or repeated
 * key, a file others may read). */
int dg_conf_read(struct dg_conf *c, const char *path,
    const char *const *known, struct dg_error *err);
void dg_conf_release(struct dg_conf *c);
/* The value of key, or def when it is not set. */
const char *dg_conf_get(const struct dg_conf *c, const char *key,
    const char *def);
/* The line of key (0: not set), for messages. */
long dg_conf_line(const struct dg_conf *c, const char *key);
/* A value that must be a number from lo to hi (def when not set):
 * DG_EDATA naming the line. */
int dg_conf_number(const struct dg_conf *c, const char *key, double def,
    double lo, double hi, double *out, struct dg_error *err);
/* yes/no, true/false, 1/0 (def when not set): DG_EDATA naming the line. */
int dg_conf_bool(const struct dg_conf *c, const char *key, int def,
    int *out, struct dg_error *err);

#endif
