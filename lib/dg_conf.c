/* dg_conf.c: configuration files with credentials (see dg_conf.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "dg_conf.h"
#include "dg_csv.h"
#include "dg_util.h"

void
dg_conf_release(struct dg_conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->key[i]);
		free(c->val[i]);
	}
	free(c->key);
	free(c->val);
	free(c->line);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

static int
perms(FILE *fp, const char *path, struct dg_error *err)
{
	struct stat st;

	if (fstat(fileno(fp), &st) != 0)
		return dg_error_set(err, DG_EIO, path, 0, NULL,
		    "cannot stat: %s", strerror(errno));
	if ((st.st_mode & 0027) != 0)
		return dg_error_set(err, DG_EDATA, path, 0, NULL,
		    "it holds credentials and other users may %s it "
		    "(mode %04o): chmod 600 %s", (st.st_mode & 0007) ?
		    "read or write" : "write", (unsigned)(st.st_mode & 07777),
		    path);
	return DG_OK;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
add(struct dg_conf *c, const char *k, const char *v, long no)
{
	size_t cap = c->cap;

	if (dg_grow(&c->key, &cap, c->n + 1, sizeof(char *)) != 0 ||
	    (cap = c->cap, dg_grow(&c->val, &cap, c->n + 1, sizeof(char *))) ||
	    (cap = c->cap, dg_grow(&c->line, &cap, c->n + 1, sizeof(long))))
		return -1;
	c->cap = cap;
	if ((c->key[c->n] = strdup(k)) == NULL)
		return -1;
	if ((c->val[c->n] = strdup(v)) == NULL) {
		free(c->key[c->n]);
		return -1;
	}
	c->line[c->n++] = no;
	return 0;
}

static int
known_key(const char *k, const char *const *known)
{
	for (size_t i = 0; known[i]; i++)
		if (strcmp(k, known[i]) == 0)
			return 1;
	return 0;
}

static int
one_line(struct dg_conf *c, char *line, long no, const char *const *known,
    struct dg_error *err)
{
	char *s = trim(line), *eq, *k;

	if (*s == '\0' || *s == '#')
		return DG_OK;
	if ((eq = strchr(s, '=')) == NULL)
		return dg_error_set(err, DG_EDATA, c->file, no, NULL,
		    "not \"key = value\": \"%s\"", s);
	*eq = '\0';
	k = trim(s);
	if (!known_key(k, known))
		return dg_error_set(err, DG_EDATA, c->file, no, k,
		    "unknown key \"%s\"", k);
	if (dg_conf_line(c, k) != 0)
		return dg_error_set(err, DG_EDATA, c->file, no, k,
		    "\"%s\" given twice (line %ld too)", k, dg_conf_line(c, k));
	if (add(c, k, trim(eq + 1), no) != 0)
		return dg_error_set(err, DG_ENOMEM, c->file, no, NULL,
		    "out of memory");
	return DG_OK;
}

int
dg_conf_read(struct dg_conf *c, const char *path, const char *const *known,
    struct dg_error *err)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	int st;

	memset(c, 0, sizeof(*c));
	if ((c->file = strdup(path)) == NULL)
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	if ((fp = fopen(path, "r")) == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	st = perms(fp, path, err);
	while (st == DG_OK && getline(&line, &cap, fp) >= 0)
		st = one_line(c, line, ++no, known, err);
	if (st == DG_OK && ferror(fp))
		st = dg_error_set(err, DG_EIO, path, 0, NULL, "read error");
	free(line);
	fclose(fp);
	return st;
}

long
dg_conf_line(const struct dg_conf *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->key[i], key) == 0)
			return c->line[i];
	return 0;
}

const char *
dg_conf_get(const struct dg_conf *c, const char *key, const char *def)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->key[i], key) == 0)
			return c->val[i];
	return def;
}

int
dg_conf_number(const struct dg_conf *c, const char *key, double def,
    double lo, double hi, double *out, struct dg_error *err)
{
	const char *v = dg_conf_get(c, key, NULL);

	*out = def;
	if (v == NULL)
		return DG_OK;
	if (dg_parse_double(v, out) != DG_OK || !(*out >= lo && *out <= hi))
		return dg_error_set(err, DG_EDATA, c->file,
		    dg_conf_line(c, key), key, "a number from %g to %g: \"%s\"",
		    lo, hi, v);
	return DG_OK;
}

int
dg_conf_bool(const struct dg_conf *c, const char *key, int def, int *out,
    struct dg_error *err)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };
	const char *v = dg_conf_get(c, key, NULL);

	*out = def;
	if (v == NULL)
		return DG_OK;
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = 1, DG_OK;
		if (strcasecmp(v, no[i]) == 0)
			return *out = 0, DG_OK;
	}
	return dg_error_set(err, DG_EDATA, c->file, dg_conf_line(c, key), key,
	    "yes or no: \"%s\"", v);
}
