/* dg_csv.c: streaming CSV reader on libcsv, CSV writer, atomic output. */
#include <config.h>

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dg_csv.h"

#define BLOCK 65536

struct dg_csv {
	FILE *fp;
	int own_fp;
	char name[256];
	struct dg_csv_opts o;
	struct csv_parser p;
	struct dg_error *err;
	struct dg_error local_err;

	char *buf;		/* input block */
	size_t pos, len;
	int eof, started, at_line_start;
	int unterminated;	/* the current row ends the input without a
				 * line end */
	long line;		/* physical lines completed */
	long row_line;		/* first line of the row being built */
	long cur_line;		/* line of the current (returned) row */
	long blank, rows;

	/* Fields of the row being built; once complete, the current row
	 * (until the next call). */
	char *fbuf;
	size_t fbuf_len, fbuf_cap;
	size_t *foff;
	size_t nf, nf_cap;
	int row_done;
	int cb_status;

	size_t cnf;		/* fields of the current row (0: none) */

	char **cols;
	size_t ncols;
};

void
dg_csv_opts_init(struct dg_csv_opts *o)
{
	o->delim = 0;
	o->max_field = DG_CSV_MAX_FIELD_DEFAULT;
	o->allow_naive = 0;
	o->zone = NULL;
	o->libcsv_only = 0;
	o->final_newline = 0;
	o->stream = 0;
	o->warn = NULL;
	o->warn_arg = NULL;
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static void
cb_field(void *s, size_t len, void *data)
{
	struct dg_csv *r = data;

	if (r->cb_status != DG_OK)
		return;
	if (len > r->o.max_field) {
		r->cb_status = DG_EDATA;
		return;
	}
	if (grow((void **)&r->fbuf, &r->fbuf_cap, r->fbuf_len + len + 1, 1) ||
	    grow((void **)&r->foff, &r->nf_cap, r->nf + 1, sizeof(size_t))) {
		r->cb_status = DG_ENOMEM;
		return;
	}
	r->foff[r->nf++] = r->fbuf_len;
	if (len > 0)
		memcpy(r->fbuf + r->fbuf_len, s, len);
	r->fbuf_len += len;
	r->fbuf[r->fbuf_len++] = '\0';
}

static void
cb_row(int c, void *data)
{
	struct dg_csv *r = data;

	(void)c;
	r->row_done = 1;
}

static int
fail(struct dg_csv *r, long line, const char *col, int st, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
fail(struct dg_csv *r, long line, const char *col, int st, const char *fmt, ...)
{
	va_list ap;
	char msg[400];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dg_error_set(r->err, st, r->name, line, col, "%s", msg);
}

/* The delimiter of a file whose header line has the most of ',', ';' or
 * tab outside quotes (',' when it has none). */
static char
sniff_delim(const char *s, size_t n)
{
	size_t comma = 0, semi = 0, tab = 0;
	int q = 0;

	for (size_t i = 0; i < n && (q || s[i] != '\n'); i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == ',')
			comma++;
		else if (!q && s[i] == ';')
			semi++;
		else if (!q && s[i] == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

static int
only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\r' && s[i] != '\n' && s[i] != '\t')
			return 0;
	return 1;
}

/* A space or tab that libcsv would trim from an unquoted field (unless it
 * is the delimiter). */
static int
trimmed(char c, char delim)
{
	return (c == ' ' || c == '\t') && c != delim;
}

/* The plain-line path.  A whole line (s, n bytes without its LF and the
 * CR before it) with no quote, no other CR and no field that starts or
 * ends with a space or tab splits at every delimiter, nothing else: it is
 * split here, which is several times faster than libcsv's state machine
 * (the floor of bench/all.sh).  Any other line goes to libcsv, which also
 * handles every quoted field.  tests/unit/check_core.c parses random
 * lines both ways and compares.  Returns 1 when the line was taken (the
 * row is complete, or cb_status says why not), 0 to leave it to libcsv. */
static int
plain_line(struct dg_csv *r, const char *s, size_t n)
{
	const char *end = s + n, *f = s;
	char d = r->o.delim;

	if (n == 0 || memchr(s, '"', n) != NULL || memchr(s, '\r', n) != NULL)
		return 0;
	for (;;) {
		const char *e = memchr(f, d, (size_t)(end - f));

		if (e == NULL)
			e = end;
		if (e > f && (trimmed(f[0], d) || trimmed(e[-1], d))) {
			r->nf = 0;	/* libcsv starts the line again */
			r->fbuf_len = 0;
			return 0;
		}
		cb_field((void *)f, (size_t)(e - f), r);
		if (r->cb_status != DG_OK)
			return 1;
		if (e == end)
			break;
		f = e + 1;
	}
	r->row_done = 1;
	return 1;
}

/* Reads the next raw row (header included) into the current slot. */
static int
row_ready(struct dg_csv *r)
{
	r->cnf = r->nf;
	r->cur_line = r->row_line;
	return DG_OK;
}

/* Stream mode: reads up to and including the next line end (or BLOCK
 * bytes), so that a row is returned as soon as its line is whole. */
static size_t
read_line(struct dg_csv *r)
{
	size_t n = 0;
	int c;

	while (n < BLOCK && (c = getc(r->fp)) != EOF) {
		r->buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	return n;
}

static int
next_raw(struct dg_csv *r)
{
	if (r->row_done) {	/* forget the row returned last time */
		r->nf = 0;
		r->fbuf_len = 0;
		r->row_done = 0;
		r->cnf = 0;
	}
	for (;;) {
		const char *seg, *nl;
		size_t seglen;

		if (r->row_done)
			return row_ready(r);
		if (r->pos == r->len) {
			if (r->eof) {
				if (r->started && !r->at_line_start) {
					if (r->o.final_newline)
						return fail(r, r->line + 1, NULL,
						    DG_EDATA, "no line end at the end of "
						    "the input: cut short?");
					r->unterminated = 1;
				}
				if (r->started) {
					r->started = 0;
					if (csv_fini(&r->p, cb_field, cb_row, r) != 0)
						return fail(r, r->row_line, NULL, DG_EDATA,
						    "unterminated quoted field");
					if (r->cb_status != DG_OK)
						goto cberr;
					if (r->row_done)
						return row_ready(r);
				}
				return DG_EOF;
			}
			r->len = r->o.stream ? read_line(r) :
			    fread(r->buf, 1, BLOCK, r->fp);
			r->pos = 0;
			if (r->o.stream ? r->len == 0 : r->len < BLOCK) {
				if (ferror(r->fp))
					return fail(r, r->line + 1, NULL, DG_EIO,
					    "read error: %s", strerror(errno));
				r->eof = 1;
			}
			if (!r->started && r->line == 0) {
				if (r->len >= 3 &&
				    memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
					r->pos = 3;
				if (r->o.delim == 0)
					r->o.delim = sniff_delim(r->buf + r->pos,
					    r->len - r->pos);
				csv_set_delim(&r->p, (unsigned char)r->o.delim);
			}
			r->started = 1;
			continue;
		}
		seg = r->buf + r->pos;
		nl = memchr(seg, '\n', r->len - r->pos);
		seglen = nl ? (size_t)(nl - seg) + 1 : r->len - r->pos;
		if (memchr(seg, '\0', seglen) != NULL)
			return fail(r, r->line + 1, NULL, DG_EDATA,
			    "NUL byte in input");
		if (r->at_line_start && r->nf == 0 && r->p.pstate == 0) {
			r->row_line = r->line + 1;
			if (nl != NULL && only_space(seg, seglen))
				r->blank++;
			if (nl != NULL && !r->o.libcsv_only &&
			    plain_line(r, seg, seglen - 1 -
			    (seglen > 1 && seg[seglen - 2] == '\r'))) {
				if (r->cb_status != DG_OK)
					goto cberr;
				r->pos += seglen;
				r->line++;
				r->at_line_start = 1;
				continue;
			}
		}
		if (csv_parse(&r->p, seg, seglen, cb_field, cb_row, r) != seglen) {
			if (r->cb_status != DG_OK)
				goto cberr;
			return fail(r, r->line + 1, NULL, DG_EDATA,
			    "malformed quoted field");
		}
		if (r->cb_status != DG_OK)
			goto cberr;
		if (r->p.entry_pos > r->o.max_field) {
			r->cb_status = DG_EDATA;
			goto cberr;
		}
		r->pos += seglen;
		if (nl != NULL)
			r->line++;
		r->at_line_start = nl != NULL;
	}
cberr:
	if (r->cb_status == DG_ENOMEM)
		return fail(r, r->row_line, NULL, DG_ENOMEM, "out of memory");
	return fail(r, r->row_line, NULL, DG_EDATA,
	    "field longer than %zu bytes", r->o.max_field);
}

/* The last row has every field but no line end: read, with a warning (a
 * person's file; a machine-written one is refused in next_raw). */
static void
warn_unterminated(struct dg_csv *r)
{
	struct dg_error w;

	r->unterminated = 0;
	if (r->o.warn == NULL)
		return;
	dg_error_set(&w, DG_OK, r->name, r->cur_line, NULL,
	    "the last line has no line end (read as complete: check that the file is whole)");
	r->o.warn(r->o.warn_arg, &w);
}

static int
read_header(struct dg_csv *r)
{
	int st = next_raw(r);

	if (st == DG_EOF)
		return fail(r, 0, NULL, DG_EDATA, "empty input: no header row");
	if (st != DG_OK)
		return st;
	r->cols = calloc(r->cnf, sizeof(char *));
	if (r->cols == NULL)
		return fail(r, r->cur_line, NULL, DG_ENOMEM, "out of memory");
	r->ncols = r->cnf;
	for (size_t i = 0; i < r->cnf; i++) {
		const char *c = r->fbuf + r->foff[i];

		if (c[0] == '\0')
			return fail(r, r->cur_line, NULL, DG_EDATA,
			    "header: column %zu has no name", i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->cols[j], c) == 0)
				return fail(r, r->cur_line, NULL, DG_EDATA,
				    "header: duplicate column \"%s\"", c);
		if ((r->cols[i] = strdup(c)) == NULL)
			return fail(r, r->cur_line, NULL, DG_ENOMEM,
			    "out of memory");
	}
	if (r->unterminated)
		warn_unterminated(r);
	return DG_OK;
}

int
dg_csv_open_fp(struct dg_csv **rp, FILE *fp, const char *name,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	*rp = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return dg_error_set(err, DG_ENOMEM, name, 0, NULL, "out of memory");
	r->err = err ? err : &r->local_err;
	r->fp = fp;
	snprintf(r->name, sizeof(r->name), "%s", name);
	if (o)
		r->o = *o;
	else
		dg_csv_opts_init(&r->o);
	if (r->o.max_field == 0)
		r->o.max_field = DG_CSV_MAX_FIELD_DEFAULT;
	r->at_line_start = 1;
	if ((r->buf = malloc(BLOCK)) == NULL ||
	    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r->buf);
		free(r);
		return dg_error_set(err, DG_ENOMEM, name, 0, NULL, "out of memory");
	}
	if ((st = read_header(r)) != DG_OK) {
		r->own_fp = 0;
		dg_csv_close(r);
		return st;
	}
	*rp = r;
	return DG_OK;
}

int
dg_csv_open(struct dg_csv **rp, const char *path, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	FILE *fp;
	int st;

	*rp = NULL;
	if (path == NULL || strcmp(path, "-") == 0)
		return dg_csv_open_fp(rp, stdin, "<stdin>", o, err);
	if ((fp = fopen(path, "r")) == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	st = dg_csv_open_fp(rp, fp, path, o, err);
	if (st != DG_OK) {
		fclose(fp);
		return st;
	}
	(*rp)->own_fp = 1;
	return DG_OK;
}

void
dg_csv_close(struct dg_csv *r)
{
	if (r == NULL)
		return;
	if (r->own_fp)
		fclose(r->fp);
	csv_free(&r->p);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->buf);
	free(r->fbuf);
	free(r->foff);
	free(r);
}

const char *dg_csv_name(const struct dg_csv *r) { return r->name; }
size_t dg_csv_ncols(const struct dg_csv *r) { return r->ncols; }
long dg_csv_line(const struct dg_csv *r) { return r->cur_line; }
long dg_csv_rows(const struct dg_csv *r) { return r->rows; }
long dg_csv_blank_lines(const struct dg_csv *r) { return r->blank; }
size_t dg_csv_nfields(const struct dg_csv *r) { return r->cnf; }
struct dg_error *dg_csv_error(struct dg_csv *r) { return r->err; }

const char *
dg_csv_colname(const struct dg_csv *r, size_t i)
{
	return i < r->ncols ? r->cols[i] : "";
}

int
dg_csv_col(const struct dg_csv *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int
dg_csv_require(struct dg_csv *r, const char *name, int *idx)
{
	*idx = dg_csv_col(r, name);
	if (*idx < 0)
		return fail(r, 1, NULL, DG_EDATA, "missing column \"%s\"", name);
	return DG_OK;
}

int
dg_csv_next(struct dg_csv *r)
{
	int st = next_raw(r);

	if (st != DG_OK)
		return st;
	r->rows++;
	if (r->cnf != r->ncols)
		return fail(r, r->cur_line, NULL, DG_EDATA,
		    "expected %zu fields, found %zu", r->ncols, r->cnf);
	if (r->unterminated)
		warn_unterminated(r);
	for (size_t i = 0; i < r->cnf; i++) {
		const char *f = r->fbuf + r->foff[i];

		if (f[0] != r->cols[i][0] || strcmp(f, r->cols[i]) != 0)
			return DG_OK;
	}
	return fail(r, r->cur_line, NULL, DG_EDATA,
	    "the header row is repeated (files joined?)");
}

const char *
dg_csv_field(const struct dg_csv *r, int i, size_t *len)
{
	const char *s;

	if (i < 0 || (size_t)i >= r->cnf) {
		if (len)
			*len = 0;
		return "";
	}
	s = r->fbuf + r->foff[i];
	if (len)
		*len = strlen(s);
	return s;
}

int
dg_csv_is_empty(const struct dg_csv *r, int i)
{
	return dg_csv_field(r, i, NULL)[0] == '\0';
}

int
dg_csv_fail(struct dg_csv *r, int i, int status, const char *fmt, ...)
{
	va_list ap;
	char msg[400];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dg_error_set(r->err, status, r->name, r->cur_line,
	    i >= 0 ? dg_csv_colname(r, (size_t)i) : NULL, "%s", msg);
}

/* The field, shortened for a message. */
static const char *
shown(const char *s, char *buf, size_t n)
{
	size_t len = strlen(s);

	if (len < n)
		return s;
	memcpy(buf, s, n - 4);
	memcpy(buf + n - 4, "...", 4);
	return buf;
}

static int
bad_value(struct dg_csv *r, int i, int st, const char *what)
{
	char b[48];
	const char *s = dg_csv_field(r, i, NULL);

	if (s[0] == '\0')
		return dg_csv_fail(r, i, DG_EDATA, "empty value");
	return dg_csv_fail(r, i, st, "%s: \"%s\"", what, shown(s, b, sizeof(b)));
}

int
dg_csv_get_dec(struct dg_csv *r, int i, dg_dec *out)
{
	size_t len;
	const char *s = dg_csv_field(r, i, &len);
	int st = dg_dec_parse(s, len, out);

	if (st == DG_OK)
		return DG_OK;
	return bad_value(r, i, st, st == DG_ERANGE ?
	    "number too long or out of range" : "not a number");
}

int
dg_parse_double(const char *s, double *out)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15
	};
	double x;
	const char *p = s;
	int64_t m = 0;
	int nd = 0, frac = -1, neg = 0;

	/* Fast path, exact: a plain decimal of at most 15 digits is an
	 * integer below 2^53 divided by a power of ten that a double holds
	 * exactly, so one division gives the correctly rounded value, the
	 * same as strtod's. */
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++nd > 15)
				break;
			m = m * 10 + (*p - '0');
			if (frac >= 0)
				frac++;
		} else if (*p == '.' && frac < 0)
			frac = 0;
		else
			break;
	}
	if (*p == '\0' && nd > 0 && nd <= 15) {
		x = (double)m;
		if (frac > 0)
			x /= p10[frac];
		*out = neg ? -x : x;
		return DG_OK;
	}

	/* Otherwise through the exact parser, so that every program reads
	 * the same numbers: a plain decimal of at most 18 digits (no
	 * exponent, no hex, inf or nan: what a column cannot hold is refused,
	 * not read as a double that then overflows a product). */
	{
		dg_dec d;
		int st = dg_dec_parse(s, strlen(s), &d);

		if (st != DG_OK)
			return st;
		*out = strtod(s, NULL);	/* correctly rounded: 16-18 digits */
		return DG_OK;
	}
}

int
dg_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;
	size_t k = 0;
	int64_t fast = 0;

	/* the usual case, a few plain digits, without strtoll */
	while (k < 18 && s[k] >= '0' && s[k] <= '9')
		fast = fast * 10 + (s[k++] - '0');
	if (k > 0 && s[k] == '\0') {
		if (fast < lo || fast > hi)
			return DG_ERANGE;
		*out = fast;
		return DG_OK;
	}

	if (s[0] == '\0' || (s[0] != '-' && s[0] != '+' && (s[0] < '0' || s[0] > '9')))
		return DG_EDATA;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		return DG_EDATA;
	if (errno == ERANGE || v < lo || v > hi)
		return DG_ERANGE;
	*out = v;
	return DG_OK;
}

int
dg_csv_get_double(struct dg_csv *r, int i, double *out)
{
	int st = dg_parse_double(dg_csv_field(r, i, NULL), out);

	if (st == DG_OK)
		return DG_OK;
	return bad_value(r, i, st, st == DG_ERANGE ? "number out of range" :
	    "not a number");
}

int
dg_csv_get_int(struct dg_csv *r, int i, int64_t *out)
{
	int st = dg_parse_int(dg_csv_field(r, i, NULL), INT64_MIN, INT64_MAX, out);

	if (st == DG_OK)
		return DG_OK;
	return bad_value(r, i, st, st == DG_ERANGE ? "integer out of range" :
	    "not an integer");
}

int
dg_csv_get_time(struct dg_csv *r, int i, struct dg_tstamp *ts)
{
	size_t len;
	const char *s = dg_csv_field(r, i, &len);
	const char *why;

	if (dg_time_parse_zone(s, len, r->o.allow_naive, r->o.zone, ts, &why) == DG_OK)
		return DG_OK;
	return bad_value(r, i, DG_EDATA, why);
}

int
dg_csv_get_date(struct dg_csv *r, int i, dg_date *out)
{
	size_t len;
	const char *s = dg_csv_field(r, i, &len);

	if (dg_date_parse(s, len, out) == DG_OK)
		return DG_OK;
	return bad_value(r, i, DG_EDATA, "not a date (YYYY-MM-DD)");
}

/* --- output destinations ---------------------------------------------- */

/* Whether fp is a pipe whose reader has gone away (errno may no longer
 * say EPIPE by the time a failed write is noticed). */
static int
reader_gone(FILE *fp)
{
	struct stat sb;
	struct pollfd pf;
	int fd = fileno(fp);

	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISFIFO(sb.st_mode))
		return 0;
	pf.fd = fd;
	pf.events = 0;
	pf.revents = 0;
	return poll(&pf, 1, 0) == 1 && (pf.revents & POLLERR);
}

struct dg_out {
	FILE *fp;
	char *path, *tmp;
	int prepared;		/* flushed, synced and closed: only the rename
				 * is left */
};

/* The temporary file of path is ".NAME.dgtmp.PID.XXXXXX" beside it (same
 * directory, so the rename is atomic; hidden, so a glob of the directory
 * does not pick it up).  A run killed with SIGKILL cannot remove its own:
 * the next run that writes the same path removes those whose process is
 * gone. */
#define TMP_TAG ".dgtmp."

static void
remove_stale(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	const char *base = slash ? slash + 1 : path;
	char dir[4096], prefix[512], full[4096];
	DIR *d;
	struct dirent *e;
	int n;

	if (dlen >= sizeof(dir))
		return;
	if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
	else
		snprintf(dir, sizeof(dir), ".");
	n = snprintf(prefix, sizeof(prefix), ".%s" TMP_TAG, base);
	if (n < 0 || (size_t)n >= sizeof(prefix) || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(e->d_name, prefix, (size_t)n) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + n, &end, 10);
		if (errno != 0 || end == e->d_name + n || *end != '.' || pid <= 0 ||
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;	/* not ours, or its process still runs */
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir,
		    e->d_name) < sizeof(full))
			unlink(full);
	}
	closedir(d);
}

int
dg_out_open(struct dg_out **op, const char *path, struct dg_error *err)
{
	struct dg_out *o;
	int fd;
	mode_t um;

	*op = NULL;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		*op = o;
		return DG_OK;
	}
	{
		struct stat sb;

		/* A device or a pipe (-o /dev/null, a fifo) is written in
		 * place: renaming a file over it would replace it. */
		if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			if (S_ISDIR(sb.st_mode)) {
				free(o);
				return dg_error_set(err, DG_ECREATE, path, 0, NULL,
				    "cannot create: Is a directory");
			}
			if ((o->fp = fopen(path, "w")) == NULL) {
				int e = errno;

				free(o);
				return dg_error_set(err, DG_ECREATE, path, 0, NULL,
				    "cannot create: %s", strerror(e));
			}
			o->path = strdup(path);
			*op = o;
			return DG_OK;
		}
	}
	o->path = strdup(path);
	{
		const char *slash = strrchr(path, '/');
		size_t n = strlen(path) + sizeof(TMP_TAG) + 32;

		o->tmp = malloc(n);
		if (o->path == NULL || o->tmp == NULL) {
			dg_out_abort(o);
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		}
		remove_stale(path);
		snprintf(o->tmp, n, "%.*s.%s" TMP_TAG "%ld.XXXXXX",
		    slash ? (int)(slash - path + 1) : 0, path,
		    slash ? slash + 1 : path, (long)getpid());
	}
	if ((fd = mkstemp(o->tmp)) < 0) {
		int e = errno;

		free(o->tmp);
		o->tmp = NULL;
		dg_out_abort(o);
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot create: %s", strerror(e));
	}
	um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		dg_out_abort(o);
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot create: %s", strerror(errno));
	}
	*op = o;
	return DG_OK;
}

FILE *
dg_out_fp(struct dg_out *o)
{
	return o->fp;
}

const char *
dg_out_tmpname(const struct dg_out *o)
{
	return o ? o->tmp : NULL;
}

/* Flushes and checks o; a file is synced and closed, ready for its
 * rename.  On failure the temporary file is removed. */
static int
out_prepare(struct dg_out *o, struct dg_error *err)
{
	int st = DG_OK;

	if (o->prepared)
		return DG_OK;
	errno = 0;
	if (o->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			if (errno == EPIPE || reader_gone(stdout))
				st = DG_EPIPE;
			else
				st = dg_error_set(err, DG_EIO, "standard output",
				    0, NULL, "write error: %s",
				    strerror(errno ? errno : EIO));
		}
		o->prepared = 1;
		return st;
	}
	if (o->tmp == NULL) {	/* a device or pipe, written in place */
		if (fflush(o->fp) != 0 || ferror(o->fp))
			st = dg_error_set(err, DG_EIO, o->path, 0, NULL,
			    "write error: %s", strerror(errno ? errno : EIO));
		fclose(o->fp);
		o->fp = NULL;
		o->prepared = 1;
		return st;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) ||
	    (fsync(fileno(o->fp)) != 0 && errno != EINVAL && errno != EROFS))
		st = dg_error_set(err, DG_EIO, o->path, 0, NULL,
		    "write error: %s", strerror(errno ? errno : EIO));
	if (fclose(o->fp) != 0 && st == DG_OK)
		st = dg_error_set(err, DG_EIO, o->path, 0, NULL,
		    "write error: %s", strerror(errno));
	o->fp = NULL;
	o->prepared = 1;
	if (st != DG_OK) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	return st;
}

/* The rename of a prepared file; frees o. */
static int
out_finish(struct dg_out *o, struct dg_error *err)
{
	int st = DG_OK;

	if (o->tmp != NULL && rename(o->tmp, o->path) != 0) {
		st = dg_error_set(err, DG_ECREATE, o->path, 0, NULL,
		    "cannot create: %s", strerror(errno));
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	free(o);
	return st;
}

int
dg_out_commit(struct dg_out *o, struct dg_error *err)
{
	int st = out_prepare(o, err);

	if (st != DG_OK && st != DG_EPIPE) {
		dg_out_abort(o);
		return st;
	}
	{
		int st2 = out_finish(o, err);

		return st2 != DG_OK ? st2 : st;
	}
}

int
dg_out_commit_all(struct dg_out **o, size_t n, struct dg_error *err)
{
	int st = DG_OK, pipe = 0;

	for (size_t i = 0; i < n && st == DG_OK; i++) {
		if (o[i] == NULL)
			continue;
		st = out_prepare(o[i], err);
		if (st == DG_EPIPE) {
			pipe = 1;
			st = DG_OK;
		}
	}
	if (st != DG_OK) {
		for (size_t i = 0; i < n; i++) {
			dg_out_abort(o[i]);
			o[i] = NULL;
		}
		return st;
	}
	/* Every file is whole on disk: only renames are left. */
	for (size_t i = 0; i < n; i++) {
		int s2;

		if (o[i] == NULL)
			continue;
		s2 = out_finish(o[i], err);
		o[i] = NULL;
		if (s2 != DG_OK && st == DG_OK)
			st = s2;
	}
	return st != DG_OK ? st : pipe ? DG_EPIPE : DG_OK;
}

void
dg_out_abort(struct dg_out *o)
{
	if (o == NULL)
		return;
	if (o->fp != NULL && o->fp != stdout)
		fclose(o->fp);
	if (o->tmp != NULL)
		unlink(o->tmp);	/* prepared or not: never renamed */
	free(o->tmp);
	free(o->path);
	free(o);
}

/* --- writing CSV ------------------------------------------------------ */

void
dg_csvw_init(struct dg_csvw *w, FILE *fp, char delim, int crlf, int bom)
{
	w->fp = fp;
	w->delim = delim ? delim : ',';
	w->crlf = crlf;
	w->nfield = 0;
	w->status = DG_OK;
	w->errnum = 0;
	if (bom)
		fputs("\xEF\xBB\xBF", fp);
}

static void
sep(struct dg_csvw *w)
{
	if (w->nfield++ > 0)
		putc_unlocked(w->delim, w->fp);
}

void
dg_csvw_strn(struct dg_csvw *w, const char *s, size_t len)
{
	int q = 0;

	sep(w);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == w->delim || c == '"' || c == '\n' || c == '\r') {
			q = 1;
			break;
		}
	}
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		q = 1;
	if (!q) {
		fwrite_unlocked(s, 1, len, w->fp);
		return;
	}
	putc_unlocked('"', w->fp);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putc_unlocked('"', w->fp);
		putc_unlocked(s[i], w->fp);
	}
	putc_unlocked('"', w->fp);
}

void
dg_csvw_str(struct dg_csvw *w, const char *s)
{
	dg_csvw_strn(w, s, strlen(s));
}

void
dg_csvw_empty(struct dg_csvw *w)
{
	sep(w);
}

void
dg_csvw_int(struct dg_csvw *w, int64_t v)
{
	char b[DG_DEC_BUFSZ];
	int n = dg_dec_format(dg_dec_make(v, 0), b, sizeof(b));

	sep(w);
	fwrite_unlocked(b, 1, (size_t)n, w->fp);
}

void
dg_csvw_dec(struct dg_csvw *w, dg_dec d, int scale)
{
	char b[DG_DEC_BUFSZ];
	int n;

	if (scale >= 0 && dg_dec_rescale(d, scale, &d) != DG_OK) {
		dg_csvw_empty(w);
		w->status = DG_EINTERNAL;
		return;
	}
	n = dg_dec_format(d, b, sizeof(b));
	sep(w);
	fwrite_unlocked(b, 1, (size_t)n, w->fp);
}

void
dg_csvw_double(struct dg_csvw *w, double x, int decimals)
{
	dg_dec d;

	if (dg_dec_from_double(x, decimals, &d) != DG_OK) {
		dg_csvw_empty(w);
		if (w->status == DG_OK)
			w->status = DG_EINTERNAL;
		return;
	}
	dg_csvw_dec(w, d, -1);
}

void
dg_csvw_time(struct dg_csvw *w, dg_time t)
{
	char b[DG_TIME_BUFSZ];
	int n = dg_time_format(t, b, sizeof(b));

	sep(w);
	fwrite_unlocked(b, 1, (size_t)n, w->fp);
}

void
dg_csvw_date(struct dg_csvw *w, dg_date d)
{
	char b[16];
	int n = dg_date_format(d, b, sizeof(b));

	sep(w);
	fwrite_unlocked(b, 1, (size_t)n, w->fp);
}

int
dg_csvw_header(struct dg_csvw *w, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dg_csvw_str(w, names[i]);
	return dg_csvw_end_row(w);
}

int
dg_csvw_end_row(struct dg_csvw *w)
{
	if (w->crlf)
		putc_unlocked('\r', w->fp);
	putc_unlocked('\n', w->fp);
	w->nfield = 0;
	if (w->status == DG_OK && ferror_unlocked(w->fp)) {
		w->errnum = errno;
		w->status = errno == EPIPE || reader_gone(w->fp) ? DG_EPIPE : DG_EIO;
	}
	return w->status;
}
