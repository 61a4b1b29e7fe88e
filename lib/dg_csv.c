/* dg_csv.c: streaming CSV reader on libcsv, CSV writer, atomic output. */
#include <config.h>

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "dg_csv.h"
#include "dg_extsort.h"
#include "dg_util.h"

#define BLOCK 65536
/* The shortest field the exact reader refuses for its length with a
 * point in it (19 digits and the point): below it, no spreadsheet's long
 * rendering of a double. */
#define LONG_NUMBER 20

/* Where the bytes come from: the stream itself, a gzip stream inflated,
 * or the one CSV member of a zip archive (src_open). */
enum { SRC_PLAIN, SRC_GZIP, SRC_ZIP };

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
	int *hash;		/* column indexes by name, open addressing,
				 * -1 empty (hcap a power of two) */
	size_t hcap;

	/* The input's bytes (src_open): a gzip stream or a zip member
	 * decompressed, and UTF-16 converted to UTF-8 (cd), before any line
	 * is counted, so line numbers are the text's. */
	int src;
	int raw_eof;		/* the decompressed bytes are all read */
	z_stream *z;
	unsigned char *zin;
	int zin_eof, z_end;
	FILE *zfp;		/* the zip archive (a copy of the stream, or
				 * the spooled pipe) */
	uint64_t zleft;		/* its member's bytes not yet read */
	uint64_t zsize, zout;	/* the member's size, and bytes given */
	uint32_t zcrc, zcrc_want;
	int zstored;		/* method 0 (stored), else 8 (deflate) */
	iconv_t cd;		/* (iconv_t)-1: no conversion */
	const char *enc;	/* the encoding converted from */
	char *ibuf;		/* bytes before conversion */
	size_t ipos, ilen;
	int pending;		/* an error met past the bytes delivered so
				 * far: reported when they are used up, at its
				 * line */
	char pending_msg[200];

	/* Numbers as spreadsheets save them (sheet_number). */
	int in_data;		/* past the header */
	int comma;		/* the delimiter is ';' or tab: a decimal comma
				 * is read */
	char *mark;		/* per column: the decimal mark seen first */
	long *comma_line;	/* per column: the row whose field had its
				 * decimal comma made a point (for messages) */
	char cb_msg[200];	/* why cb_field refused a field */
	size_t cb_col;
	long nlong;		/* long renderings read, the first of them */
	long long_line;
	size_t long_col;
	char long_from[48], long_to[DG_DEC_BUFSZ];
	int long_said;
	int failed;		/* an error was set: no warning at close */
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

static size_t sheet_number(struct dg_csv *r, char *f, size_t len, size_t col);

/* Appends field s (len bytes) to the row being read. */
static void
field_add(struct dg_csv *r, const char *s, size_t len)
{
	char *f;

	if (r->cb_status != DG_OK)
		return;
	if (len > r->o.max_field) {
		r->cb_status = DG_EDATA;
		return;
	}
	if ((r->fbuf_len + len + 1 > r->fbuf_cap &&
	    dg_grow(&r->fbuf, &r->fbuf_cap, r->fbuf_len + len + 1, 1)) ||
	    (r->nf + 1 > r->nf_cap &&
	    dg_grow(&r->foff, &r->nf_cap, r->nf + 1, sizeof(size_t)))) {
		r->cb_status = DG_ENOMEM;
		return;
	}
	r->foff[r->nf++] = r->fbuf_len;
	f = r->fbuf + r->fbuf_len;
	if (len > 0)
		memcpy(f, s, len);
	/* (a time stamp, the longest usual field, has '-' or '/' at 4) */
	if (r->in_data && (r->comma || (len >= LONG_NUMBER &&
	    ((f[4] >= '0' && f[4] <= '9') || f[4] == '.'))))
		len = sheet_number(r, f, len, r->nf - 1);
	r->fbuf_len += len;
	r->fbuf[r->fbuf_len++] = '\0';
}

/* libcsv's field callback. */
static void
cb_field(void *s, size_t len, void *data)
{
	field_add(data, s, len);
}

/* Numbers as spreadsheets save them, rewritten in place in field f (len
 * bytes) of column col; returns the new length.  In a file delimited by
 * ';' or tab a decimal comma is a decimal point (412,98 is 412.98); a
 * column has one decimal mark (a point after commas is a thousands
 * separator or a mistake: refused); in a tab-delimited file 1,234 (one to
 * three digits, a comma, three digits) is left as it is, a thousands
 * separator as much as a decimal comma.  A decimal too long for the exact
 * reader that is the rendering of a binary double (412.98000000000000001)
 * becomes the shortest decimal that is the same double (412.98), counted
 * for one warning; one that is not is left as it is, for the number
 * getters to refuse. */
static size_t
sheet_number(struct dg_csv *r, char *f, size_t len, size_t col)
{
	size_t i = 0, nint = 0, nfrac = 0, at = 0;
	char mark = 0, b[DG_DEC_BUFSZ];
	dg_dec d;
	int n;

	if (len > 0 && (f[0] == '-' || f[0] == '+'))
		i = 1;
	for (; i < len; i++) {
		if (f[i] >= '0' && f[i] <= '9') {
			if (mark)
				nfrac++;
			else
				nint++;
		} else if (mark == 0 &&
		    (f[i] == '.' || (f[i] == ',' && r->comma))) {
			mark = f[i];
			at = i;
		} else
			return len;
	}
	if (mark == 0 || nint == 0 || nfrac == 0)
		return len;
	if (r->comma && col < r->ncols) {
		if (mark == ',' && r->o.delim == '\t' && nfrac == 3 &&
		    nint <= 3 && f[at - nint] != '0')
			return len;
		if (r->mark[col] != 0 && r->mark[col] != mark) {
			snprintf(r->cb_msg, sizeof(r->cb_msg), "%s: \"%.*s\"",
			    mark == '.' ?
			    "a decimal point in a column of decimal "
			    "commas (a thousands separator?)" :
			    "a decimal comma in "
			    "a column of decimal points",
			    (int)(len < 40 ? len : 40), f);
			r->cb_col = col;
			r->cb_status = DG_EDATA;
			return len;
		}
		r->mark[col] = mark;
		if (mark == ',') {
			f[at] = '.';
			r->comma_line[col] = r->row_line;
		}
	}
	if (len < LONG_NUMBER ||
	    (nint + nfrac <= 18 && nfrac <= DG_DEC_MAX_SCALE) ||
	    dg_dec_parse(f, len, &d) == DG_OK ||	/* long by its
							 * leading zeros */
	    dg_dec_parse_rendering(f, len, &d) != DG_OK ||
	    (n = dg_dec_format(d, b, sizeof(b))) < 0 || (size_t)n > len)
		return len;
	if (r->nlong++ == 0) {
		r->long_line = r->row_line;
		r->long_col = col;
		snprintf(r->long_from, sizeof(r->long_from), "%.*s", (int)len,
		    f);
		memcpy(r->long_to, b, (size_t)n + 1);
	}
	memcpy(f, b, (size_t)n);
	return (size_t)n;
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

/* A message is one line: the control characters of the values quoted in
 * it (a quoted field may hold line ends) are written as \n, \r, \t or
 * \xHH. */
static void
escape_controls(const char *s, char *out, size_t n)
{
	size_t k = 0;

	for (; *s != '\0' && k + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != 0x7f)
			out[k++] = (char)c;
		else if (c == '\n' || c == '\r' || c == '\t') {
			out[k++] = '\\';
			out[k++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else
			k += (size_t)snprintf(out + k, n - k, "\\x%02x", c);
	}
	out[k] = '\0';
}

static int
fail_v(struct dg_csv *r, long line, const char *col, int st, const char *fmt,
    va_list ap) __attribute__((format(printf, 5, 0)));

static int
fail_v(struct dg_csv *r, long line, const char *col, int st, const char *fmt,
    va_list ap)
{
	char msg[400], esc[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	escape_controls(msg, esc, sizeof(esc));
	r->failed = 1;
	return dg_error_set(r->err, st, r->name, line, col, "%s", esc);
}

static int
fail(struct dg_csv *r, long line, const char *col, int st, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = fail_v(r, line, col, st, fmt, ap);
	va_end(ap);
	return ret;
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
		field_add(r, f, (size_t)(e - f));
		if (r->cb_status != DG_OK)
			return 1;
		if (e == end)
			break;
		f = e + 1;
	}
	r->row_done = 1;
	return 1;
}

/* --- where the bytes come from ----------------------------------------- */

/* An error met while reading ahead: reported when the bytes before it are
 * used up, so that its line is right. */
static void
pend(struct dg_csv *r, int st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
pend(struct dg_csv *r, int st, const char *fmt, ...)
{
	va_list ap;

	r->raw_eof = 1;
	if (r->pending != DG_OK)
		return;
	r->pending = st;
	va_start(ap, fmt);
	vsnprintf(r->pending_msg, sizeof(r->pending_msg), fmt, ap);
	va_end(ap);
}

/* More compressed input for inflate: from the stream (gzip), or from the
 * archive up to the end of its member (zip). */
static void
refill(struct dg_csv *r)
{
	size_t want = BLOCK, k;
	FILE *fp = r->src == SRC_ZIP ? r->zfp : r->fp;

	if (r->src == SRC_ZIP && r->zleft < want)
		want = (size_t)r->zleft;
	k = want > 0 ? fread(r->zin, 1, want, fp) : 0;
	if (k < want && ferror(fp))
		pend(r, DG_EIO, "read error: %s", strerror(errno));
	if (k < BLOCK)
		r->zin_eof = 1;
	if (r->src == SRC_ZIP)
		r->zleft -= k;
	r->z->next_in = r->zin;
	r->z->avail_in = (uInt)k;
}

/* Inflates up to n bytes: a gzip stream (members one after the other, as
 * gzip(1) writes and cat joins them) or a zip member's deflate data. */
static size_t
inflate_read(struct dg_csv *r, char *dst, size_t n)
{
	z_stream *z = r->z;
	const char *what = r->src == SRC_ZIP ? "zip member" : "gzip data";

	z->next_out = (unsigned char *)dst;
	z->avail_out = (uInt)n;
	while (z->avail_out > 0 && r->pending == DG_OK) {
		int zr;

		if (z->avail_in == 0 && !r->zin_eof)
			refill(r);
		if (z->avail_in == 0) {
			if (!r->z_end)
				pend(r, DG_EDATA, "%s cut short", what);
			break;
		}
		if (r->z_end) {	/* a gzip member ended and more follows */
			if (r->src == SRC_ZIP)
				break;
			if (z->next_in[0] != 0x1f || inflateReset(z) != Z_OK) {
				pend(r, DG_EDATA,
				    "data after the end of the gzip stream");
				break;
			}
			r->z_end = 0;
		}
		zr = inflate(z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			r->z_end = 1;
		else if (zr != Z_OK) {
			pend(r, DG_EDATA, "%s corrupt: %s", what,
			    z->msg ? z->msg : zError(zr));
			break;
		}
	}
	return n - z->avail_out;
}

/* Up to n bytes of the zip member, its size and CRC-32 checked at its
 * end. */
static size_t
zip_read(struct dg_csv *r, char *dst, size_t n)
{
	size_t got;

	if (r->zstored) {
		size_t want = r->zleft < n ? (size_t)r->zleft : n;

		got = want > 0 ? fread(dst, 1, want, r->zfp) : 0;
		r->zleft -= got;
		if (got < want)
			pend(r, ferror(r->zfp) ? DG_EIO : DG_EDATA, "%s",
			    ferror(r->zfp) ? strerror(errno) :
			    "zip member cut short");
	} else
		got = inflate_read(r, dst, n);
	r->zcrc = (uint32_t)crc32(r->zcrc, (const Bytef *)dst, (uInt)got);
	r->zout += got;
	if (got < n && r->pending == DG_OK &&
	    (r->zout != r->zsize || r->zcrc != r->zcrc_want))
		pend(r, DG_EDATA, "zip member corrupt: its %s does not match",
		    r->zout != r->zsize ? "size" : "CRC-32");
	return got;
}

/* Stream mode (a live input: tail -F): up to and including the next line
 * end, or n bytes, so that a row is returned as soon as its line is whole
 * instead of when a block is full. */
static size_t
line_read(struct dg_csv *r, char *dst, size_t n)
{
	size_t got = 0;
	int c;

	while (got < n && (c = getc(r->fp)) != EOF) {
		dst[got++] = (char)c;
		if (c == '\n')
			break;
	}
	return got;
}

/* Up to n bytes of the input's content (the stream's, inflated, or the zip
 * member's); fewer only at its end or on an error (then pending).  In
 * stream mode a plain input ends only when a read gives nothing. */
static size_t
bytes_read(struct dg_csv *r, char *dst, size_t n)
{
	size_t got = 0;

	if (r->raw_eof)
		return 0;
	if (r->src == SRC_GZIP)
		got = inflate_read(r, dst, n);
	else if (r->src == SRC_ZIP)
		got = zip_read(r, dst, n);
	else {
		got = r->o.stream ? line_read(r, dst, n) :
		    fread(dst, 1, n, r->fp);
		if (got < n && ferror(r->fp))
			pend(r, DG_EIO, "read error: %s", strerror(errno));
		if (r->o.stream) {
			if (got == 0)
				r->raw_eof = 1;
			return got;
		}
	}
	if (got < n)
		r->raw_eof = 1;
	return got;
}

/* Up to n bytes of UTF-8 converted from the input's UTF-16. */
static size_t
convert(struct dg_csv *r, char *dst, size_t n)
{
	char *out = dst;
	size_t left = n;

	while (left > 0) {
		char *in = r->ibuf + r->ipos;
		size_t inleft = r->ilen - r->ipos;

		if (inleft == 0) {
			if (r->raw_eof)
				break;
			r->ipos = 0;
			r->ilen = bytes_read(r, r->ibuf, BLOCK);
			continue;
		}
		if (iconv(r->cd, &in, &inleft, &out, &left) != (size_t)-1) {
			r->ipos = r->ilen;
			continue;
		}
		r->ipos = r->ilen - inleft;
		if (errno == E2BIG)	/* dst full, but for part
					 * of a character */
			break;
		if (errno != EINVAL) {
			pend(r, DG_EDATA, "not valid %s", r->enc);
			r->ipos = r->ilen;
			break;
		}
		/* a character cut at the end of ibuf: the rest is read
		 * after it */
		if (r->raw_eof) {
			pend(r, DG_EDATA, "%s cut short in a character",
			    r->enc);
			r->ipos = r->ilen;
			break;
		}
		memmove(r->ibuf, r->ibuf + r->ipos, inleft);
		r->ipos = 0;
		r->ilen = inleft +
		    bytes_read(r, r->ibuf + inleft, BLOCK - inleft);
	}
	return n - left;
}

/* The next block of text into buf. */
static void
fill(struct dg_csv *r)
{
	r->pos = 0;
	if (r->cd == (iconv_t)-1) {
		r->len = bytes_read(r, r->buf, BLOCK);
		r->eof = r->raw_eof;
	} else {
		r->len = convert(r, r->buf, BLOCK);
		r->eof = r->raw_eof && r->ipos == r->ilen;
	}
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Reads n bytes at offset off of the archive. */
static int
zip_pread(struct dg_csv *r, uint64_t off, void *buf, size_t n)
{
	return off > (uint64_t)INT64_MAX ||
	    fseeko(r->zfp, (off_t)off, SEEK_SET) != 0 ||
	    fread(buf, 1, n, r->zfp) != n ? -1 : 0;
}

/* One entry of a zip archive's central directory. */
struct zentry {
	const unsigned char *name;
	size_t namelen;
	unsigned method, flags;
	uint32_t crc;
	uint64_t csize, usize, off;
};

/* The entry at cd[*pos]; -1 when the directory is malformed. */
static int
zip_entry(const unsigned char *cd, size_t cdlen, size_t *pos, struct zentry *e)
{
	const unsigned char *p = cd + *pos, *x, *xend;
	size_t n, m, k;

	if (cdlen - *pos < 46 || le32(p) != 0x02014b50)
		return -1;
	n = le16(p + 28);
	m = le16(p + 30);
	k = le16(p + 32);
	if (cdlen - *pos - 46 < n + m + k)
		return -1;
	e->flags = le16(p + 8);
	e->method = le16(p + 10);
	e->crc = le32(p + 16);
	e->csize = le32(p + 20);
	e->usize = le32(p + 24);
	e->off = le32(p + 42);
	e->name = p + 46;
	e->namelen = n;
	/* ZIP64: the fields that are 0xFFFFFFFF follow in the extra field
	 * 0x0001, in this order */
	for (x = p + 46 + n, xend = x + m; xend - x >= 4;
	    x += 4 + le16(x + 2)) {
		const unsigned char *f = x + 4, *fend = f + le16(x + 2);

		if (fend > xend)
			return -1;
		if (le16(x) != 0x0001)
			continue;
		if (e->usize == 0xFFFFFFFF && fend - f >= 8) {
			e->usize = le64(f);
			f += 8;
		}
		if (e->csize == 0xFFFFFFFF && fend - f >= 8) {
			e->csize = le64(f);
			f += 8;
		}
		if (e->off == 0xFFFFFFFF && fend - f >= 8)
			e->off = le64(f);
	}
	*pos += 46 + n + m + k;
	return 0;
}

/* The central directory of the archive (its offset and size from the end
 * of central directory record, ZIP64's when there is one); malloc'd. */
static int
zip_directory(struct dg_csv *r, uint64_t start, unsigned char **cdp,
    size_t *cdlen, uint64_t *count)
{
	unsigned char tail[65536 + 22], *e = NULL;
	uint64_t size, cdoff, cdsize;
	off_t end;
	size_t n;

	if (fseeko(r->zfp, 0, SEEK_END) != 0 || (end = ftello(r->zfp)) < 0 ||
	    (uint64_t)end < start + 22)
		return fail(r, 0, NULL, DG_EDATA, "a zip archive cut short");
	size = (uint64_t)end - start;
	n = size < sizeof(tail) ? (size_t)size : sizeof(tail);
	if (zip_pread(r, start + size - n, tail, n) != 0)
		return fail(r, 0, NULL, DG_EIO, "read error: %s",
		    strerror(errno));
	for (size_t i = n - 22 + 1; i-- > 0;)
		if (le32(tail + i) == 0x06054b50 &&
		    i + 22 + le16(tail + i + 20) == n) {
			e = tail + i;
			break;
		}
	if (e == NULL)
		return fail(r, 0, NULL, DG_EDATA, "a zip archive cut short (no "
		    "central directory at its end)");
	if (le16(e + 4) != 0 || le16(e + 6) != 0)
		return fail(r, 0, NULL, DG_EDATA,
		    "a zip archive on several disks");
	*count = le16(e + 10);
	cdsize = le32(e + 12);
	cdoff = le32(e + 16);
	if (e - tail >= 20 && le32(e - 20) == 0x07064b50) {	/* ZIP64 */
		unsigned char z64[56];

		if (zip_pread(r, start + le64(e - 20 + 8), z64,
		    sizeof(z64)) != 0 || le32(z64) != 0x06064b50)
			return fail(r, 0, NULL, DG_EDATA,
			    "a zip archive with a "
			    "bad ZIP64 directory");
		*count = le64(z64 + 32);
		cdsize = le64(z64 + 40);
		cdoff = le64(z64 + 48);
	}
	if (cdsize > ((size_t)64 << 20) || cdoff > size ||
	    cdsize > size - cdoff)
		return fail(r, 0, NULL, DG_EDATA, "a zip archive with a bad "
		    "central directory");
	if ((*cdp = malloc(cdsize + 1)) == NULL)
		return fail(r, 0, NULL, DG_ENOMEM, "out of memory");
	*cdlen = (size_t)cdsize;
	if (zip_pread(r, start + cdoff, *cdp, *cdlen) != 0) {
		free(*cdp);
		return fail(r, 0, NULL, DG_EDATA, "a zip archive cut short");
	}
	return DG_OK;
}

static int
name_is(const struct zentry *e, const char *s)
{
	return e->namelen == strlen(s) && memcmp(e->name, s, e->namelen) == 0;
}

static int
name_ends(const struct zentry *e, const char *suffix)
{
	size_t k = strlen(suffix);

	return e->namelen >= k &&
	    strncasecmp((const char *)e->name + e->namelen - k, suffix, k) == 0;
}

/* A file of the archive (not a directory, not macOS's extras). */
static int
zip_file(const struct zentry *e)
{
	size_t b = e->namelen;

	while (b > 0 && e->name[b - 1] != '/')
		b--;
	return b < e->namelen && !(e->namelen - b >= 2 && e->name[b] == '.' &&
	    e->name[b + 1] == '_') && !(e->namelen >= 9 &&
	    memcmp(e->name, "__MACOSX/", 9) == 0);
}

/* Chooses the member to read (the one whose name ends in .csv, or the
 * only file; several are an error that lists them) into *pick. */
static int
zip_choose(struct dg_csv *r, const unsigned char *cd, size_t cdlen,
    uint64_t count, struct zentry *pick)
{
	struct zentry e, first = { 0 };
	size_t pos = 0, ncsv = 0, nfile = 0, k = 0;
	char list[240];
	int ods = 0;

	for (uint64_t i = 0; i < count; i++) {
		if (zip_entry(cd, cdlen, &pos, &e) != 0)
			return fail(r, 0, NULL, DG_EDATA,
			    "a zip archive with a "
			    "bad central directory");
		if (name_is(&e, "xl/workbook.xml"))
			return fail(r, 0, NULL, DG_EDATA, "an Excel workbook "
			    "(.xlsx), not CSV: save it as CSV");
		if ((name_is(&e, "mimetype") || name_is(&e, "content.xml")) &&
		    ++ods == 2)
			return fail(r, 0, NULL, DG_EDATA,
			    "an OpenDocument file "
			    "(.ods), not CSV: save it as CSV");
		if (!zip_file(&e))
			continue;
		if (nfile++ == 0)
			first = e;
		if (name_ends(&e, ".csv") && ncsv++ == 0)
			*pick = e;
	}
	if (ncsv == 0 && nfile == 1)
		*pick = first;
	if (ncsv == 1 || (ncsv == 0 && nfile == 1))
		return DG_OK;
	if (nfile == 0)
		return fail(r, 0, NULL, DG_EDATA, "a zip archive with no file");
	list[0] = '\0';
	pos = 0;
	for (uint64_t i = 0; i < count && zip_entry(cd, cdlen, &pos, &e) == 0;
	    i++) {
		if (!zip_file(&e) || (ncsv > 0 && !name_ends(&e, ".csv")))
			continue;
		if (k + e.namelen + 8 >= sizeof(list)) {
			snprintf(list + k, sizeof(list) - k, ", ...");
			break;
		}
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%.*s",
		    k ? ", " : "", (int)e.namelen, (const char *)e.name);
	}
	return fail(r, 0, NULL, DG_EDATA, "a zip archive of %zu %s, not one "
	    "(read one with unzip -p ARCHIVE MEMBER): %s", ncsv ? ncsv : nfile,
	    ncsv ? "CSV files" : "files", list);
}

/* The archive as a stream that can seek: a regular file again through
 * its descriptor; a pipe spooled to an unlinked temporary file (whose
 * first have bytes are in buf). */
static int
zip_stream(struct dg_csv *r, size_t have, off_t *start)
{
	struct stat sb;
	struct dg_error e;
	size_t k = have;
	int st = DG_OK;

	if (*start >= 0 && fstat(fileno(r->fp), &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		int fd = dup(fileno(r->fp));

		if (fd < 0 || (r->zfp = fdopen(fd, "rb")) == NULL) {
			if (fd >= 0)
				close(fd);
			return fail(r, 0, NULL, DG_EIO, "read error: %s",
			    strerror(errno));
		}
		return DG_OK;
	}
	if (dg_tmpfile(&r->zfp, &e) != DG_OK)
		return fail(r, 0, NULL, e.status,
		    "zip archive from a pipe: %s%s%s",
		    e.file, e.file[0] ? ": " : "", e.msg);
	*start = 0;
	do {
		if (fwrite(r->buf, 1, k, r->zfp) != k) {
			st = DG_EIO;
			break;
		}
	} while ((k = fread(r->buf, 1, BLOCK, r->fp)) > 0);
	if (st != DG_OK || ferror(r->fp) || fflush(r->zfp) != 0)
		return fail(r, 0, NULL, DG_EIO,
		    "zip archive from a pipe: %s error: %s",
		    st != DG_OK ? "spool" : "read", strerror(errno));
	return DG_OK;
}

/* A zip archive whose first have bytes are in buf: its CSV member is
 * read, inflated, from here on (zlib; no libzip, which would load
 * libcrypto into every program: 1 ms a run). */
static int
zip_setup(struct dg_csv *r, size_t have, off_t start)
{
	unsigned char *cd = NULL, lh[30];
	size_t cdlen;
	uint64_t count, data;
	struct zentry e = { 0 };
	char name[sizeof(r->name)];
	int st;

	if ((st = zip_stream(r, have, &start)) != DG_OK ||
	    (st = zip_directory(r, (uint64_t)start, &cd, &cdlen,
	    &count)) != DG_OK)
		return st;
	st = zip_choose(r, cd, cdlen, count, &e);
	if (st == DG_OK) {
		/* as ar(1) members are: ARCHIVE(MEMBER) */
		snprintf(name, sizeof(name), "%.160s(%.*s)", r->name,
		    (int)(e.namelen < 80 ? e.namelen : 80),
		    (const char *)e.name);
		memcpy(r->name, name, sizeof(name));
	}
	free(cd);
	if (st != DG_OK)
		return st;
	if (e.flags & 1)
		return fail(r, 0, NULL, DG_EDATA,
		    "an encrypted zip member: not read");
	if (e.method != 0 && e.method != 8)
		return fail(r, 0, NULL, DG_EDATA,
		    "zip compression method %u: not "
		    "read (deflate or stored are)", e.method);
	if (zip_pread(r, (uint64_t)start + e.off, lh, sizeof(lh)) != 0 ||
	    le32(lh) != 0x04034b50)
		return fail(r, 0, NULL, DG_EDATA,
		    "a zip archive with a bad member "
		    "header");
	data = (uint64_t)start + e.off + 30 + le16(lh + 26) + le16(lh + 28);
	if (data > (uint64_t)INT64_MAX ||
	    fseeko(r->zfp, (off_t)data, SEEK_SET) != 0)
		return fail(r, 0, NULL, DG_EDATA, "a zip archive cut short");
	r->zleft = e.csize;
	r->zsize = e.usize;
	r->zcrc_want = e.crc;
	r->zcrc = (uint32_t)crc32(0, Z_NULL, 0);
	r->zstored = e.method == 0;
	r->src = SRC_ZIP;
	if (!r->zstored && ((r->z = calloc(1, sizeof(*r->z))) == NULL ||
	    (r->zin = malloc(BLOCK)) == NULL ||
	    inflateInit2(r->z, -MAX_WBITS) != Z_OK)) {
		free(r->z);
		r->z = NULL;
		return fail(r, 0, NULL, DG_ENOMEM, "out of memory");
	}
	return DG_OK;
}

static int
gz_setup(struct dg_csv *r, size_t have)
{
	if ((r->z = calloc(1, sizeof(*r->z))) == NULL ||
	    (r->zin = malloc(BLOCK)) == NULL)
		return fail(r, 0, NULL, DG_ENOMEM, "out of memory");
	if (inflateInit2(r->z, 16 + MAX_WBITS) != Z_OK) {
		free(r->z);
		r->z = NULL;
		return fail(r, 0, NULL, DG_ENOMEM, "out of memory");
	}
	memcpy(r->zin, r->buf, have);
	r->z->next_in = r->zin;
	r->z->avail_in = (uInt)have;
	r->zin_eof = r->raw_eof;
	r->raw_eof = 0;
	r->src = SRC_GZIP;
	return DG_OK;
}

/* Formats that are not read, named (first bytes of the content). */
static int
other_format(struct dg_csv *r, const unsigned char *b, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} f[] = {
		{ "BZh", 3, "bzip2-compressed: not read (decompress it, or "
		    "give it gzip- or zip-compressed)" },
		{ "\xFD" "7zXZ\0", 6, "xz-compressed: not read (decompress "
		    "it, or give it gzip- or zip-compressed)" },
		{ "\x28\xB5\x2F\xFD", 4, "zstd-compressed: not read "
		    "(decompress it, or give it gzip- or zip-compressed)" },
		{ "7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive: not read (give it "
		    "zip- or gzip-compressed)" },
		{ "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an Excel 97-2003 "
		    "workbook (.xls) or another OLE file, not CSV: save it as "
		    "CSV" },
		{ "%PDF-", 5, "a PDF file, not CSV" },
		{ "\xFF\xFE\0\0", 4, "UTF-32LE: not read (save it as UTF-8)" },
		{ "\0\0\xFE\xFF", 4, "UTF-32BE: not read (save it as UTF-8)" },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (n >= f[i].len && memcmp(b, f[i].magic, f[i].len) == 0)
			return fail(r, 0, NULL, DG_EDATA, "%s", f[i].what);
	return DG_OK;
}

/* UTF-16 by its byte order mark, or by the zero bytes of ASCII text
 * without one; converted to UTF-8 from here on. */
static int
utf16_setup(struct dg_csv *r, size_t have)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t skip = 0;

	if (have >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		r->enc = "UTF-16LE";
		skip = 2;
	} else if (have >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		r->enc = "UTF-16BE";
		skip = 2;
	} else if (have >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 &&
	    b[3] == 0)
		r->enc = "UTF-16LE";
	else if (have >= 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0)
		r->enc = "UTF-16BE";
	else
		return DG_OK;
	if ((r->cd = iconv_open("UTF-8", r->enc)) == (iconv_t)-1)
		return fail(r, 0, NULL, DG_EDATA,
		    "%s: not read (no converter to "
		    "UTF-8 on this system): save it as UTF-8", r->enc);
	if ((r->ibuf = malloc(BLOCK)) == NULL)
		return fail(r, 0, NULL, DG_ENOMEM, "out of memory");
	memcpy(r->ibuf, r->buf, have);
	r->ipos = skip;
	r->ilen = have;
	return DG_OK;
}

/* Reads the first block, finds what the input is (zip, gzip, UTF-16, a
 * format not read), sets the conversion up, and leaves the first block
 * of text in buf, its UTF-8 byte order mark skipped, the delimiter found. */
static int
src_open(struct dg_csv *r)
{
	off_t start = ftello(r->fp);
	size_t have = r->o.stream ? line_read(r, r->buf, BLOCK) :
	    fread(r->buf, 1, BLOCK, r->fp);
	const unsigned char *b = (const unsigned char *)r->buf;
	int st = DG_OK;

	if (r->o.stream ? have == 0 : have < BLOCK) {
		if (ferror(r->fp))
			return fail(r, 1, NULL, DG_EIO, "read error: %s",
			    strerror(errno));
		r->raw_eof = 1;
	}
	if (have >= 4 &&
	    (memcmp(b, "PK\3\4", 4) == 0 || memcmp(b, "PK\5\6", 4) == 0))
		st = zip_setup(r, have, start);
	else if (have >= 2 && b[0] == 0x1F && b[1] == 0x8B)
		st = gz_setup(r, have);
	if (st != DG_OK)
		return st;
	if (r->src != SRC_PLAIN) {
		r->raw_eof = 0;
		have = bytes_read(r, r->buf, BLOCK);
		if (r->pending != DG_OK && have == 0)
			return fail(r, 1, NULL, r->pending, "%s",
			    r->pending_msg);
	}
	if ((st = other_format(r, b, have)) != DG_OK ||
	    (st = utf16_setup(r, have)) != DG_OK)
		return st;
	r->len = have;
	r->eof = r->raw_eof;
	if (r->cd != (iconv_t)-1)
		fill(r);
	r->pos = 0;
	if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	if (r->o.delim == 0)
		r->o.delim = sniff_delim(r->buf + r->pos, r->len - r->pos);
	csv_set_delim(&r->p, (unsigned char)r->o.delim);
	r->started = 1;
	return DG_OK;
}

#define CUT_SHORT "no line end at the end of the input: cut short?"

/* The row is the mark a dg- program leaves as its last line when it fails
 * part-way (DG_CSV_FAILED_MARK). */
static int
failed_mark(const struct dg_csv *r)
{
	size_t n = strlen(r->fbuf), k = strlen(DG_CSV_FAILED_MARK);

	return r->nf == 1 && r->fbuf[0] == '#' && n > k &&
	    strcmp(r->fbuf + n - k, DG_CSV_FAILED_MARK) == 0;
}

/* Reads the next raw row (header included) into the current slot. */
static int
row_ready(struct dg_csv *r)
{
	r->cnf = r->nf;
	r->cur_line = r->row_line;
	return DG_OK;
}

/* The error a callback of libcsv left in r->cb_status. */
static int
cb_fail(struct dg_csv *r)
{
	if (r->cb_status == DG_ENOMEM)
		return fail(r, r->row_line, NULL, DG_ENOMEM, "out of memory");
	if (r->cb_msg[0] != '\0')
		return fail(r, r->row_line, r->cols[r->cb_col], DG_EDATA, "%s",
		    r->cb_msg);
	return fail(r, r->row_line, NULL, DG_EDATA,
	    "field longer than %zu bytes", r->o.max_field);
}

/* The bytes read are used up: *more when more were read (then DG_OK),
 * else the end of the input: its last row (one cut short is refused
 * where it must not be), DG_EOF, or an error pending or met there. */
static int
input_end(struct dg_csv *r, int *more)
{
	int cut = r->started && !r->at_line_start;

	*more = 0;
	if (r->pending != DG_OK)
		return fail(r, r->line + 1, NULL, r->pending, "%s",
		    r->pending_msg);
	if (!r->eof) {
		fill(r);
		*more = 1;
		return DG_OK;
	}
	if (!r->started)
		return DG_EOF;
	r->started = 0;
	if (csv_fini(&r->p, cb_field, cb_row, r) != 0)
		return cut && r->o.final_newline ? fail(r, r->line + 1,
		    NULL, DG_EDATA, CUT_SHORT) : fail(r, r->row_line,
		    NULL, DG_EDATA, "unterminated quoted field");
	if (r->cb_status != DG_OK)
		return cb_fail(r);
	if (cut && r->row_done && failed_mark(r))
		return fail(r, r->row_line, NULL, DG_EDATA,
		    "input incomplete: the program that wrote it "
		    "failed (its last line: \"%.60s\")", r->fbuf);
	if (cut && r->o.final_newline)
		return fail(r, r->line + 1, NULL, DG_EDATA, CUT_SHORT);
	r->unterminated = cut;
	return r->row_done ? row_ready(r) : DG_EOF;
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
		int st, more;

		if (r->row_done)
			return row_ready(r);
		if (r->pos == r->len) {
			if ((st = input_end(r, &more)) != DG_OK || !more)
				return st;
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
					return cb_fail(r);
				r->pos += seglen;
				r->line++;
				r->at_line_start = 1;
				continue;
			}
		}
		if (csv_parse(&r->p, seg, seglen, cb_field, cb_row,
		    r) != seglen) {
			if (r->cb_status != DG_OK)
				return cb_fail(r);
			return fail(r, r->line + 1, NULL, DG_EDATA,
			    "malformed quoted field");
		}
		if (r->cb_status != DG_OK)
			return cb_fail(r);
		if (r->p.entry_pos > r->o.max_field) {
			r->cb_status = DG_EDATA;
			return cb_fail(r);
		}
		r->pos += seglen;
		if (nl != NULL)
			r->line++;
		r->at_line_start = nl != NULL;
	}
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

/* The long renderings of doubles read as short decimals: one warning
 * for the input, at its end (or when it is closed before, unless it
 * failed). */
static void
warn_long(struct dg_csv *r)
{
	struct dg_error w;

	if (r->nlong == 0 || r->long_said || r->o.warn == NULL)
		return;
	r->long_said = 1;
	dg_error_set(&w, DG_OK, r->name, r->long_line, r->cols[r->long_col],
	    "%s read as %s: a spreadsheet's rendering of a binary double, read "
	    "as the shortest decimal that is the same double (%ld such number%s "
	    "in the input)", r->long_from, r->long_to, r->nlong,
	    r->nlong == 1 ? "" : "s");
	r->o.warn(r->o.warn_arg, &w);
}

static size_t
hash_name(const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of name in the hash of the header: its column, or -1 (free). */
static size_t
hash_slot(const struct dg_csv *r, const char *name)
{
	size_t i = hash_name(name) & (r->hcap - 1);

	while (r->hash[i] >= 0 && strcmp(r->cols[r->hash[i]], name) != 0)
		i = (i + 1) & (r->hcap - 1);
	return i;
}

static int
read_header(struct dg_csv *r)
{
	int st = next_raw(r);

	if (st == DG_EOF)
		return fail(r, 0, NULL, DG_EDATA, "empty input: no header row");
	if (st != DG_OK)
		return st;
	if (r->cnf > INT_MAX / 4)
		return fail(r, r->cur_line, NULL, DG_EDATA,
		    "header: %zu columns: too many",
		    r->cnf);
	for (r->hcap = 16; r->hcap < 2 * r->cnf; r->hcap *= 2)
		;
	r->cols = calloc(r->cnf, sizeof(char *));
	r->hash = malloc(r->hcap * sizeof(int));
	r->mark = calloc(r->cnf, 1);
	if (r->cols == NULL || r->hash == NULL || r->mark == NULL)
		return fail(r, r->cur_line, NULL, DG_ENOMEM, "out of memory");
	memset(r->hash, 0xff, r->hcap * sizeof(int));	/* all -1 */
	r->ncols = r->cnf;
	for (size_t i = 0; i < r->cnf; i++) {
		const char *c = r->fbuf + r->foff[i];
		size_t h;

		if (c[0] == '\0')
			return fail(r, r->cur_line, NULL, DG_EDATA,
			    "header: column %zu has no name", i + 1);
		if ((r->cols[i] = strdup(c)) == NULL)
			return fail(r, r->cur_line, NULL, DG_ENOMEM,
			    "out of memory");
		h = hash_slot(r, c);
		if (r->hash[h] >= 0)
			return fail(r, r->cur_line, NULL, DG_EDATA,
			    "header: duplicate column \"%s\"", c);
		r->hash[h] = (int)i;
	}
	if (r->unterminated)
		warn_unterminated(r);
	r->in_data = 1;
	r->comma = r->o.delim == ';' || r->o.delim == '\t';
	if (r->comma &&
	    (r->comma_line = calloc(r->ncols, sizeof(long))) == NULL)
		return fail(r, r->cur_line, NULL, DG_ENOMEM, "out of memory");
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
		return dg_error_set(err, DG_ENOMEM, name, 0, NULL,
		    "out of memory");
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
	r->cd = (iconv_t)-1;
	if ((r->buf = malloc(BLOCK)) == NULL ||
	    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r->buf);
		free(r);
		return dg_error_set(err, DG_ENOMEM, name, 0, NULL,
		    "out of memory");
	}
	if ((st = src_open(r)) != DG_OK || (st = read_header(r)) != DG_OK) {
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
	if (!r->failed)
		warn_long(r);
	if (r->zfp != NULL)
		fclose(r->zfp);
	if (r->z != NULL)
		inflateEnd(r->z);
	free(r->z);
	free(r->zin);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	free(r->ibuf);
	if (r->own_fp)
		fclose(r->fp);
	csv_free(&r->p);
	for (size_t i = 0; i < r->ncols && r->cols != NULL; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->hash);
	free(r->mark);
	free(r->comma_line);
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
	return r->hash != NULL ? r->hash[hash_slot(r, name)] : -1;
}

int
dg_csv_require(struct dg_csv *r, const char *name, int *idx)
{
	*idx = dg_csv_col(r, name);
	if (*idx < 0)
		return fail(r, 1, NULL, DG_EDATA, "missing column \"%s\"",
		    name);
	return DG_OK;
}

int
dg_csv_next(struct dg_csv *r)
{
	int st = next_raw(r);

	if (st == DG_EOF)
		warn_long(r);
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
	int ret;

	va_start(ap, fmt);
	ret = fail_v(r, r->cur_line,
	    i >= 0 ? dg_csv_colname(r, (size_t)i) : NULL,
	    status, fmt, ap);
	va_end(ap);
	return ret;
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
	char b[48], c[48];
	const char *s = dg_csv_field(r, i, NULL);

	if (s[0] == '\0')
		return dg_csv_fail(r, i, DG_EDATA, "empty value");
	s = shown(s, b, sizeof(b));
	if (r->comma_line != NULL && (size_t)i < r->ncols &&
	    r->comma_line[i] == r->cur_line) {
		/* as the file has it: with its decimal comma */
		snprintf(c, sizeof(c), "%s", s);
		*strchr(c, '.') = ',';
		s = c;
	}
	return dg_csv_fail(r, i, st, "%s: \"%s\"", what, s);
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

	if (s[0] == '\0' ||
	    (s[0] != '-' && s[0] != '+' && (s[0] < '0' || s[0] > '9')))
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
	int st = dg_parse_int(dg_csv_field(r, i, NULL), INT64_MIN, INT64_MAX,
	    out);

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

	if (dg_time_parse_zone(s, len, r->o.allow_naive, r->o.zone, ts,
	    &why) == DG_OK)
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

int
dg_parse_month(const char *s, size_t len, int *year, int *month)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int y = 0, m = 0, d;
	dg_date dt;

	if (len == 7 && (s[4] == '-' || s[4] == '/')) {
		for (size_t i = 0; i < 7; i++) {
			if (i == 4)
				continue;
			if (s[i] < '0' || s[i] > '9')
				return DG_EDATA;
			if (i < 4)
				y = y * 10 + (s[i] - '0');
			else
				m = m * 10 + (s[i] - '0');
		}
	} else if (len == 6 && s[3] == '-' && s[4] >= '0' && s[4] <= '9' &&
	    s[5] >= '0' && s[5] <= '9') {
		char mon[4];

		for (int i = 0; i < 3; i++)
			mon[i] = (char)(s[i] | 0x20);	/* ASCII lower case */
		mon[3] = '\0';
		for (int i = 0; i < 12 && m == 0; i++)
			if (memcmp(names + 3 * i, mon, 3) == 0)
				m = i + 1;
		y = 2000 + (s[4] - '0') * 10 + (s[5] - '0');
	} else if (dg_date_parse(s, len, &dt) == DG_OK) {
		dg_date_to_ymd(dt, &y, &m, &d);
		if (d != 1)
			return DG_EDATA;
	} else
		return DG_EDATA;
	if (m < 1 || m > 12 || y < 1900)
		return DG_EDATA;
	*year = y;
	*month = m;
	return DG_OK;
}

int
dg_csv_get_month(struct dg_csv *r, int i, int *year, int *month)
{
	size_t len;
	const char *s = dg_csv_field(r, i, &len);

	if (dg_parse_month(s, len, year, month) == DG_OK)
		return DG_OK;
	return bad_value(r, i, DG_EDATA, "not a month (YYYY-MM)");
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
		if (errno != 0 || end == e->d_name + n || *end != '.' ||
		    pid <= 0 || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;	/* not ours, or its
					 * process still runs */
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
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
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
				return dg_error_set(err, DG_ECREATE, path, 0,
				    NULL, "cannot create: Is a directory");
			}
			if ((o->fp = fopen(path, "w")) == NULL) {
				int e = errno;

				free(o);
				return dg_error_set(err, DG_ECREATE, path, 0,
				    NULL, "cannot create: %s", strerror(e));
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
				st = dg_error_set(err, DG_EIO,
				    "standard output", 0, NULL,
				    "write error: %s",
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
	w->point = '.';
	w->sheet = crlf || bom;
	if (bom)
		fputs("\xEF\xBB\xBF", fp);
}

static void
sep(struct dg_csvw *w)
{
	if (w->nfield++ > 0)
		putc_unlocked(w->delim, w->fp);
}

/* A field a spreadsheet would take for a formula (dg_csvw_strn). */
static int
formula_like(const char *s, size_t len)
{
	dg_dec d;

	if (len == 0 || (s[0] != '=' && s[0] != '+' && s[0] != '-' &&
	    s[0] != '@' && s[0] != '\t' && s[0] != '\r'))
		return 0;
	return !(s[0] == '-' && dg_dec_parse(s, len, &d) == DG_OK);
}

void
dg_csvw_strn(struct dg_csvw *w, const char *s, size_t len)
{
	int tick = w->sheet && formula_like(s, len), q = tick;

	sep(w);
	for (size_t i = 0; i < len && !q; i++) {
		char c = s[i];

		if (c == w->delim || c == '"' || c == '\n' || c == '\r')
			q = 1;
	}
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		q = 1;
	if (!q) {
		fwrite_unlocked(s, 1, len, w->fp);
		return;
	}
	putc_unlocked('"', w->fp);
	if (tick)
		putc_unlocked('\'', w->fp);
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
	if (w->point != '.' && d.scale > 0)
		b[n - d.scale - 1] = w->point;
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
		w->status = errno == EPIPE || reader_gone(w->fp) ? DG_EPIPE :
		    DG_EIO;
	}
	return w->status;
}
