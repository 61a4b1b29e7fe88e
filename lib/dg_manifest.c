/* dg_manifest.c: the manifest of a run (see dg_manifest.h). */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_manifest.h"
#include "dg_time.h"
#include "dg_util.h"

static int
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = strdup(s ? s : "");
	return *dst ? DG_OK : DG_ENOMEM;
}

int
dg_manifest_init(struct dg_manifest *m, const char *program,
    const char *version)
{
	memset(m, 0, sizeof(*m));
	m->format = DG_MANIFEST_FORMAT;
	if (set_str(&m->program, program) != DG_OK ||
	    set_str(&m->version, version) != DG_OK ||
	    set_str(&m->tz, dg_tz_name()) != DG_OK ||
	    set_str(&m->dir, ".") != DG_OK)
		return DG_ENOMEM;
	return DG_OK;
}

static void
files_free(struct dg_manifest_file *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].role);
		free(v[i].path);
		free(v[i].from);
	}
	free(v);
}

void
dg_manifest_release(struct dg_manifest *m)
{
	free(m->program);
	free(m->version);
	free(m->tz);
	free(m->dir);
	for (size_t i = 0; i < m->nargs; i++)
		free(m->args[i]);
	free(m->args);
	files_free(m->in, m->nin);
	files_free(m->out, m->nout);
	if (m->spool != NULL)
		fclose(m->spool);
	free(m->file);
	memset(m, 0, sizeof(*m));
}

static int
add_arg(struct dg_manifest *m, const char *s)
{
	if (dg_grow(&m->args, &m->capargs, m->nargs + 1, sizeof(*m->args)) ||
	    (m->args[m->nargs] = strdup(s)) == NULL)
		return DG_ENOMEM;
	m->nargs++;
	return DG_OK;
}

int
dg_manifest_args(struct dg_manifest *m, int argc, char *const *argv)
{
	for (int i = 1; i < argc; i++)
		if (add_arg(m, argv[i]) != DG_OK)
			return DG_ENOMEM;
	return DG_OK;
}

static struct dg_manifest_file *
add_file(struct dg_manifest_file **v, size_t *n, size_t *cap,
    const char *role, const char *path)
{
	struct dg_manifest_file *f;

	if (dg_grow(v, cap, *n + 1, sizeof(**v)) != 0)
		return NULL;
	f = &(*v)[*n];
	memset(f, 0, sizeof(*f));
	if ((f->role = strdup(role)) == NULL ||
	    (f->path = strdup(path)) == NULL) {
		free(f->role);
		free(f->path);
		return NULL;
	}
	(*n)++;
	return f;
}

int
dg_manifest_input(struct dg_manifest *m, const char *role, const char *path)
{
	if (path == NULL)
		return DG_OK;
	return add_file(&m->in, &m->nin, &m->capin, role, path) ? DG_OK :
	    DG_ENOMEM;
}

int
dg_manifest_output(struct dg_manifest *m, const char *role, const char *path,
    const char *from)
{
	struct dg_manifest_file *f;

	if (path == NULL)
		return DG_OK;
	if ((f = add_file(&m->out, &m->nout, &m->capout, role, path)) == NULL ||
	    (from != NULL && (f->from = strdup(from)) == NULL))
		return DG_ENOMEM;
	return DG_OK;
}

int
dg_manifest_stdin(struct dg_manifest *m, FILE **fp, struct dg_error *err)
{
	char buf[65536];
	size_t n;

	if ((m->spool = tmpfile()) == NULL)
		return dg_error_set(err, DG_ECREATE, NULL, 0, NULL,
		    "cannot create a temporary file for standard input: %s",
		    strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (fwrite(buf, 1, n, m->spool) != n)
			return dg_error_set(err, DG_EIO, NULL, 0, NULL,
			    "cannot spool standard input: %s", strerror(errno));
	if (ferror(stdin))
		return dg_error_set(err, DG_EIO, "-", 0, NULL, "read error");
	if (fflush(m->spool) != 0)
		return dg_error_set(err, DG_EIO, NULL, 0, NULL,
		    "cannot spool standard input: %s", strerror(errno));
	rewind(m->spool);
	*fp = m->spool;
	return DG_OK;
}

/* The hash of file f (its bytes in f->from, or f->path; standard input in
 * the spool). */
static int
hash_file(struct dg_manifest *m, struct dg_manifest_file *f,
    struct dg_error *err)
{
	const char *p = f->from ? f->from : f->path;
	int st;

	if (strcmp(f->path, "-") == 0 && f->from == NULL) {
		if (m->spool == NULL)
			return dg_error_set(err, DG_EINVAL, "-", 0, NULL,
			    "standard input was not spooled");
		rewind(m->spool);
		st = dg_sha256_fp(m->spool, f->sha256, &f->bytes);
	} else
		st = dg_sha256_file(p, f->sha256, &f->bytes);
	if (st == DG_ENOINPUT)
		return dg_error_set(err, st, f->path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	if (st != DG_OK)
		return dg_error_set(err, st, f->path, 0, NULL, "read error");
	return DG_OK;
}

/* The relative path from directory from to directory to (both absolute
 * and canonical). */
static int
relpath(const char *from, const char *to, char *buf, size_t n)
{
	size_t common = 0, k = 0;
	const char *rest;

	/* the longest common prefix ending at a component boundary */
	for (size_t i = 0;; i++) {
		char a = from[i], b = to[i];

		if ((a == '/' || a == '\0') && (b == '/' || b == '\0'))
			common = i;
		if (a != b || a == '\0')
			break;
	}
	buf[0] = '\0';
	for (const char *p = from + common; *p; p++)
		if (*p == '/' && p[1] != '\0') {
			int w = snprintf(buf + k, n - k, "%s..", k ? "/" : "");

			if (w < 0 || (size_t)w >= n - k)
				return DG_ERANGE;
			k += (size_t)w;
		}
	rest = to + common;
	while (*rest == '/')
		rest++;
	if (*rest != '\0') {
		int w = snprintf(buf + k, n - k, "%s%s", k ? "/" : "", rest);

		if (w < 0 || (size_t)w >= n - k)
			return DG_ERANGE;
		k += (size_t)w;
	}
	if (k == 0)
		snprintf(buf, n, ".");
	return DG_OK;
}

/* The working directory relative to the directory of path. */
static int
run_dir(const char *path, char *buf, size_t n)
{
	char dir[PATH_MAX], rdir[PATH_MAX], cwd[PATH_MAX];
	const char *slash = path ? strrchr(path, '/') : NULL;

	if (slash == NULL) {
		snprintf(buf, n, ".");
		return DG_OK;
	}
	if ((size_t)(slash - path) >= sizeof(dir))
		return DG_ERANGE;
	snprintf(dir, sizeof(dir), "%.*s",
	    slash == path ? 1 : (int)(slash - path),
	    path);
	if (realpath(dir, rdir) == NULL || getcwd(cwd, sizeof(cwd)) == NULL)
		return DG_EIO;
	return relpath(rdir, cwd, buf, n);
}

static void
write_row(struct dg_csvw *w, const char *item, const char *name,
    const char *value, const struct dg_manifest_file *f)
{
	dg_csvw_str(w, item);
	dg_csvw_str(w, name);
	dg_csvw_str(w, value);
	if (f != NULL && f->sha256[0] != '\0') {
		dg_csvw_str(w, f->sha256);
		dg_csvw_int(w, f->bytes);
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
	dg_csvw_end_row(w);
}

int
dg_manifest_write(struct dg_manifest *m, FILE *fp, const char *path,
    struct dg_error *err)
{
	static const char *const hdr[] = { "item", "name", "value", "sha256",
	    "bytes" };
	char dir[PATH_MAX], fmt[16], num[24];
	struct dg_csvw w;
	int st;

	for (size_t i = 0; i < m->nin; i++)
		if ((st = hash_file(m, &m->in[i], err)) != DG_OK)
			return st;
	for (size_t i = 0; i < m->nout; i++)
		if ((st = hash_file(m, &m->out[i], err)) != DG_OK)
			return st;
	if (run_dir(path, dir, sizeof(dir)) != DG_OK)
		return dg_error_set(err, DG_EIO, path, 0, NULL,
		    "cannot find the directory of the run: %s",
		    strerror(errno));
	dg_csvw_init(&w, fp, ',', 0, 0);
	dg_csvw_header(&w, hdr, 5);
	snprintf(fmt, sizeof(fmt), "%d", DG_MANIFEST_FORMAT);
	write_row(&w, "format", "dg-manifest", fmt, NULL);
	write_row(&w, "program", m->program, m->version, NULL);
	write_row(&w, "tz", "zone", m->tz, NULL);
	write_row(&w, "dir", "run", dir, NULL);
	for (size_t i = 0; i < m->nargs; i++) {
		snprintf(num, sizeof(num), "%zu", i + 1);
		write_row(&w, "arg", num, m->args[i], NULL);
	}
	for (size_t i = 0; i < m->nin; i++)
		write_row(&w, "input", m->in[i].role, m->in[i].path, &m->in[i]);
	for (size_t i = 0; i < m->nout; i++)
		write_row(&w, "output", m->out[i].role, m->out[i].path,
		    &m->out[i]);
	if (w.status != DG_OK)
		return dg_error_set(err, w.status, path, 0, NULL,
		    "write error: %s", strerror(w.errnum ? w.errnum : EIO));
	return DG_OK;
}

/* --- reading ------------------------------------------------------------- */

/* A file row: the new layout (input/output,ROLE,PATH) or the old one
 * (ROLE,PATH,,...; role output for the output). */
static int
read_file_row(struct dg_manifest *m, struct dg_csv *r, const int *c)
{
	const char *item = dg_csv_field(r, c[0], NULL);
	const char *name = dg_csv_field(r, c[1], NULL);
	const char *value = dg_csv_field(r, c[2], NULL);
	const char *hex = dg_csv_field(r, c[3], NULL);
	int out = strcmp(item, "output") == 0, old = m->format == 0;
	struct dg_manifest_file *f;
	int64_t bytes = 0;

	if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64)
		return dg_csv_fail(r, c[3], DG_EDATA,
		    "not a SHA-256 (64 hex digits): \"%s\"", hex);
	if (dg_parse_int(dg_csv_field(r, c[4], NULL), 0, INT64_MAX, &bytes))
		return dg_csv_fail(r, c[4], DG_EDATA,
		    "not a size in bytes: \"%s\"",
		    dg_csv_field(r, c[4], NULL));
	f = out ? add_file(&m->out, &m->nout, &m->capout, old ? "output" : name,
	    old ? name : value) : add_file(&m->in, &m->nin, &m->capin,
	    old ? item : name, old ? name : value);
	if (f == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	memcpy(f->sha256, hex, DG_MANIFEST_HEX);
	f->bytes = bytes;
	f->line = dg_csv_line(r);
	return DG_OK;
}

static int
read_row(struct dg_manifest *m, struct dg_csv *r, const int *c)
{
	const char *item = dg_csv_field(r, c[0], NULL);
	const char *name = dg_csv_field(r, c[1], NULL);
	const char *value = dg_csv_field(r, c[2], NULL);
	int64_t v;

	if (strcmp(item, "format") == 0) {
		if (strcmp(name, "dg-manifest") != 0 ||
		    dg_parse_int(value, 1, DG_MANIFEST_FORMAT, &v) != DG_OK)
			return dg_csv_fail(r, c[2], DG_EDATA,
			    "not a dg-manifest of format 1 to %d: %s %s",
			    DG_MANIFEST_FORMAT, name, value);
		m->format = (int)v;
		return DG_OK;
	}
	if (strcmp(item, "program") == 0)
		return set_str(&m->program, name) ||
		    set_str(&m->version, value) ?
		    dg_csv_fail(r, -1, DG_ENOMEM, "out of memory") : DG_OK;
	if (strcmp(item, "tz") == 0)
		return set_str(&m->tz, value) ?
		    dg_csv_fail(r, -1, DG_ENOMEM, "out of memory") : DG_OK;
	if (strcmp(item, "dir") == 0)
		return set_str(&m->dir, value) ?
		    dg_csv_fail(r, -1, DG_ENOMEM, "out of memory") : DG_OK;
	if (strcmp(item, "arg") == 0) {
		if (dg_parse_int(name, 1, INT32_MAX, &v) != DG_OK ||
		    (size_t)v != m->nargs + 1)
			return dg_csv_fail(r, c[1], DG_EDATA,
			    "argument %zu expected: \"%s\"", m->nargs + 1,
			    name);
		return add_arg(m, value) ?
		    dg_csv_fail(r, -1, DG_ENOMEM, "out of memory") : DG_OK;
	}
	if (m->format > 0 && strcmp(item, "input") != 0 &&
	    strcmp(item, "output") != 0)
		return dg_csv_fail(r, c[0], DG_EDATA, "unknown item \"%s\"",
		    item);
	return read_file_row(m, r, c);
}

int
dg_manifest_read(struct dg_manifest *m, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const cols[] = { "item", "name", "value", "sha256",
	    "bytes" };
	struct dg_csv *r;
	int st, c[5];

	memset(m, 0, sizeof(*m));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5; i++)
		if ((st = dg_csv_require(r, cols[i], &c[i])) != DG_OK)
			goto out;
	if ((m->file = strdup(dg_csv_name(r))) == NULL ||
	    set_str(&m->dir, ".") != DG_OK) {
		st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		goto out;
	}
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = read_row(m, r, c)) != DG_OK)
			goto out;
	if (st == DG_EOF)
		st = m->program == NULL ? dg_csv_fail(r, -1, DG_EDATA,
		    "no program row: not a manifest") : DG_OK;
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_manifest_release(m);
	}
	dg_csv_close(r);
	return st;
}

int
dg_manifest_resolve(const char *base, const char *path, char *buf, size_t n)
{
	int w;

	if (path[0] == '/' || strcmp(path, "-") == 0 || strcmp(base, ".") == 0)
		w = snprintf(buf, n, "%s", path);
	else
		w = snprintf(buf, n, "%s/%s", base, path);
	return w < 0 || (size_t)w >= n ? DG_ERANGE : DG_OK;
}

int
dg_manifest_base(const struct dg_manifest *m, const char *path, char *buf,
    size_t n)
{
	const char *slash = strrchr(path, '/');
	const char *dir = m->dir ? m->dir : ".";
	int w;

	if (dir[0] == '/')
		w = snprintf(buf, n, "%s", dir);
	else if (slash == NULL)
		w = snprintf(buf, n, "%s", dir);
	else if (strcmp(dir, ".") == 0)
		w = snprintf(buf, n, "%.*s", slash == path ? 1 :
		    (int)(slash - path), path);
	else
		w = snprintf(buf, n, "%.*s/%s", (int)(slash - path), path, dir);
	return w < 0 || (size_t)w >= n ? DG_ERANGE : DG_OK;
}

int
dg_manifest_check_inputs(const struct dg_manifest *m, const char *base,
    size_t *bad, char hex[DG_MANIFEST_HEX], long long *bytes,
    struct dg_error *err)
{
	for (size_t i = 0; i < m->nin; i++) {
		const struct dg_manifest_file *f = &m->in[i];
		char p[PATH_MAX];
		int st;

		if (strcmp(f->path, "-") == 0)
			return dg_error_set(err, DG_EDATA, m->file, f->line,
			    NULL, "the run read standard input: it cannot be checked");
		if (dg_manifest_resolve(base, f->path, p, sizeof(p)) != DG_OK)
			return dg_error_set(err, DG_ERANGE, m->file, f->line,
			    NULL, "path too long");
		*bytes = 0;
		st = dg_sha256_file(p, hex, bytes);
		if (st != DG_OK)
			hex[0] = '\0';
		if (st != DG_OK || strcmp(hex, f->sha256) != 0) {
			*bad = i;
			return DG_EOF;
		}
	}
	return DG_OK;
}

const struct dg_manifest_file *
dg_manifest_find_input(const struct dg_manifest *m, const char *role,
    const char *path)
{
	for (size_t i = 0; i < m->nin; i++)
		if (strcmp(m->in[i].role, role) == 0 &&
		    strcmp(m->in[i].path, path) == 0)
			return &m->in[i];
	return NULL;
}

/* Whether path is an output of one of the runs m[0..n). */
static int
is_output(const struct dg_manifest *m, size_t n, const char *path)
{
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < m[k].nout; i++)
			if (strcmp(m[k].out[i].path, path) == 0)
				return 1;
	return 0;
}

/* The primary input of m[0..n) with role and path, or NULL. */
static const struct dg_manifest_file *
find_primary(const struct dg_manifest *m, size_t n, const char *role,
    const char *path)
{
	const struct dg_manifest_file *f;

	if (is_output(m, n, path))
		return NULL;
	for (size_t k = 0; k < n; k++)
		if ((f = dg_manifest_find_input(&m[k], role, path)) != NULL)
			return f;
	return NULL;
}

static int
add_change(struct dg_manifest_change **v, size_t *n, size_t *cap,
    const struct dg_manifest_file *f, const struct dg_manifest_file *o,
    const struct dg_manifest_file *nw)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].role, f->role) == 0 &&
		    strcmp((*v)[i].path, f->path) == 0)
			return DG_OK;	/* already said */
	if (dg_grow(v, cap, *n + 1, sizeof(**v)) != 0)
		return DG_ENOMEM;
	(*v)[*n].role = f->role;
	(*v)[*n].path = f->path;
	(*v)[*n].old_sha256 = o ? o->sha256 : NULL;
	(*v)[*n].new_sha256 = nw ? nw->sha256 : NULL;
	(*n)++;
	return DG_OK;
}

int
dg_manifest_changes(const struct dg_manifest *old, size_t nold,
    const struct dg_manifest *new_, size_t nnew,
    struct dg_manifest_change **changes, size_t *n)
{
	size_t cap = 0;

	*changes = NULL;
	*n = 0;
	for (size_t k = 0; k < nnew; k++)
		for (size_t i = 0; i < new_[k].nin; i++) {
			const struct dg_manifest_file *f = &new_[k].in[i], *o;

			if (is_output(new_, nnew, f->path))
				continue;
			o = find_primary(old, nold, f->role, f->path);
			if ((o == NULL || strcmp(o->sha256, f->sha256) != 0) &&
			    add_change(changes, n, &cap, f, o, f) != DG_OK)
				return DG_ENOMEM;
		}
	for (size_t k = 0; k < nold; k++)
		for (size_t i = 0; i < old[k].nin; i++) {
			const struct dg_manifest_file *f = &old[k].in[i];

			if (!is_output(old, nold, f->path) &&
			    find_primary(new_, nnew, f->role,
			    f->path) == NULL &&
			    add_change(changes, n, &cap, f, f, NULL) != DG_OK)
				return DG_ENOMEM;
		}
	return DG_OK;
}

int
dg_manifest_hash(const char *path, char hex[DG_MANIFEST_HEX], long long *bytes)
{
	return dg_sha256_file(path, hex, bytes);
}

/* --- comparing outputs ---------------------------------------------------- */

/* The next line of fp into buf (cut to fit, line end dropped); 0 at the
 * end of the file. */
static int
next_line(FILE *fp, char *buf, size_t n, int *more)
{
	size_t k = 0;
	int ch, any = 0;

	while ((ch = getc(fp)) != EOF) {
		any = 1;
		if (ch == '\n')
			break;
		if (k + 1 < n)
			buf[k++] = (char)ch;
	}
	if (k > 0 && buf[k - 1] == '\r')
		k--;
	buf[k] = '\0';
	*more = any;
	return any;
}

int
dg_manifest_first_diff(const char *a, const char *b, long *line, char *la,
    size_t na, char *lb, size_t nb, struct dg_error *err)
{
	FILE *fa = fopen(a, "rb"), *fb;
	int st = DG_OK, ma, mb;

	if (fa == NULL)
		return dg_error_set(err, DG_ENOINPUT, a, 0, NULL,
		    "cannot open: %s", strerror(errno));
	if ((fb = fopen(b, "rb")) == NULL) {
		fclose(fa);
		return dg_error_set(err, DG_ENOINPUT, b, 0, NULL,
		    "cannot open: %s", strerror(errno));
	}
	for (*line = 1;; (*line)++) {
		long pa = ftell(fa), pb = ftell(fb);

		next_line(fa, la, na, &ma);
		next_line(fb, lb, nb, &mb);
		if (!ma && !mb)
			break;
		if (ma != mb || strcmp(la, lb) != 0) {
			st = DG_EOF;
			break;
		}
		/* the same text: compare the bytes (a long line cut, a CR) */
		if (fseek(fa, pa, SEEK_SET) == 0 &&
		    fseek(fb, pb, SEEK_SET) == 0) {
			int ca, cb;

			do {
				ca = getc(fa);
				cb = getc(fb);
			} while (ca == cb && ca != '\n' && ca != EOF);
			if (ca != cb) {
				st = DG_EOF;
				break;
			}
		}
	}
	if (ferror(fa) || ferror(fb))
		st = dg_error_set(err, DG_EIO, ferror(fa) ? a : b, 0, NULL,
		    "read error");
	fclose(fa);
	fclose(fb);
	return st;
}
