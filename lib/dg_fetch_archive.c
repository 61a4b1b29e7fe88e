/* dg_fetch_archive.c: the plain files inside a content: itself, a gzip
 * stream inflated as it is read (zlib), or each member of a zip archive
 * (libzip) in name order, inflated as it is read; with the decompression
 * limits of dg_fetch.h, so that a small archive cannot expand without
 * bound. */
#include <config.h>

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "dg_fetch_impl.h"

/* How inflated content went wrong. */
enum { FINE, CORRUPT, TOO_BIG, TOO_DENSE };

/* Whether out bytes inflated from in bytes pass c's limits. */
static int
limits(const struct dg_fetch_ctx *c, uint64_t out, uint64_t in)
{
	if (c->max_inflate > 0 && out > c->max_inflate)
		return TOO_BIG;
	if (c->max_ratio > 0 && out > DG_FETCH_RATIO_FLOOR &&
	    out / c->max_ratio > in)
		return TOO_DENSE;
	return FINE;
}

/* The error of content what (a zip member, gzip content) that failed. */
static int
inflate_fail(struct dg_fetch_ctx *c, const char *what, int why,
    uint64_t in, const char *detail)
{
	const char *file = c->name;

	switch (why) {
	case TOO_BIG:
		return dg_error_set(c->err, DG_EDATA, file, 0, NULL,
		    "%s: inflates to more than %" PRIu64 " bytes (the limit)",
		    what, c->max_inflate);
	case TOO_DENSE:
		return dg_error_set(c->err, DG_EDATA, file, 0, NULL,
		    "%s: inflates to more than %u times the %" PRIu64
		    " compressed bytes %s (the limit)", what, c->max_ratio, in,
		    strncmp(what, "zip", 3) == 0 ? "it has" : "read");
	default:
		return dg_error_set(c->err, DG_EDATA, file, 0, NULL, "%s%s%s",
		    what, detail ? ": " : "", detail ? detail : "");
	}
}

/* --- gzip ---------------------------------------------------------------- */

struct gzs {
	struct dg_fetch_ctx *c;
	FILE *in;
	z_stream z;
	unsigned char ibuf[65536];
	int end, bad;
};

static ssize_t
gz_read(void *cookie, char *out, size_t len)
{
	struct gzs *g = cookie;
	uInt want = (uInt)(len < 1u << 30 ? len : 1u << 30);
	int zr;

	if (g->end)
		return 0;
	if (g->bad)
		return -1;
	g->z.next_out = (Bytef *)out;
	g->z.avail_out = want;
	while (g->z.avail_out == want) {
		if (g->z.avail_in == 0) {
			size_t n = fread(g->ibuf, 1, sizeof(g->ibuf), g->in);

			if (n == 0) {
				g->bad = CORRUPT;	/* ends too soon */
				errno = EIO;
				return -1;
			}
			g->z.next_in = g->ibuf;
			g->z.avail_in = (uInt)n;
		}
		zr = inflate(&g->z, Z_NO_FLUSH);
		if ((g->bad = limits(g->c, g->z.total_out, g->z.total_in))) {
			errno = EFBIG;
			return -1;
		}
		if (zr == Z_STREAM_END) {
			g->end = 1;
			break;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			g->bad = CORRUPT;
			errno = EIO;
			return -1;
		}
	}
	return (ssize_t)(want - g->z.avail_out);
}

/* The inflated content of the gzip stream fp, to c->file. */
static int
walk_gzip(struct dg_fetch_ctx *c, FILE *fp)
{
	static const cookie_io_functions_t io = { gz_read, NULL, NULL, NULL };
	struct gzs *g = calloc(1, sizeof(*g));
	FILE *gf;
	int st;

	if (g == NULL || inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {
		free(g);
		return dg_fetch_ctx_oom(c);
	}
	g->c = c;
	g->in = fp;
	if ((gf = fopencookie(g, "r", io)) == NULL)
		st = dg_fetch_ctx_oom(c);
	else {
		st = c->file(c, gf, c->name, NULL);
		fclose(gf);
	}
	if (g->bad)
		st = inflate_fail(c, g->bad == CORRUPT ? "truncated or corrupt "
		    "gzip data" : "gzip content", g->bad, g->z.total_in, NULL);
	inflateEnd(&g->z);
	free(g);
	return st;
}

/* --- zip ----------------------------------------------------------------- */

/* A zip member read as it is inflated. */
struct zms {
	struct dg_fetch_ctx *c;
	zip_file_t *zf;
	uint64_t out, comp;
	int bad;
};

static ssize_t
zm_read(void *cookie, char *out, size_t len)
{
	struct zms *m = cookie;
	zip_int64_t n = zip_fread(m->zf, out, len);

	if (n < 0) {
		m->bad = CORRUPT;
		errno = EIO;
		return -1;
	}
	m->out += (uint64_t)n;
	if ((m->bad = limits(m->c, m->out, m->comp))) {
		errno = EFBIG;
		return -1;
	}
	return (ssize_t)n;
}

/* YYYYMMDD at the start of a member's base name, or -1. */
static int
member_day(const char *m, dg_date *d)
{
	const char *b = strrchr(m, '/');
	char buf[11];

	b = b ? b + 1 : m;
	for (int i = 0; i < 8; i++)
		if (!isdigit((unsigned char)b[i]))
			return -1;
	snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2s", b, b + 4, b + 6);
	return dg_date_parse(buf, 10, d) == DG_OK ? 0 : -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One member of za, inflated as it is read, to c->file as "NAME(member)". */
static int
walk_member(struct dg_fetch_ctx *c, zip_t *za, const char *member)
{
	static const cookie_io_functions_t io = { zm_read, NULL, NULL, NULL };
	const char *name = c->name;
	char what[600], full[512];
	zip_stat_t zst;
	struct zms m;
	FILE *fp;
	int st;

	snprintf(what, sizeof(what), "zip member %s", member);
	memset(&m, 0, sizeof(m));
	m.c = c;
	if (zip_stat(za, member, 0, &zst) != 0 || !(zst.valid & ZIP_STAT_SIZE))
		return inflate_fail(c, what, CORRUPT, 0, "no size");
	if (zst.valid & ZIP_STAT_COMP_SIZE)
		m.comp = zst.comp_size;
	else
		m.comp = UINT64_MAX;
	if ((m.bad = limits(c, zst.size, m.comp)) != FINE)
		return inflate_fail(c, what, m.bad, m.comp, NULL);
	if ((m.zf = zip_fopen(za, member, 0)) == NULL) {
		char why[300];

		snprintf(why, sizeof(why), "cannot be read: %s",
		    zip_strerror(za));
		return inflate_fail(c, what, CORRUPT, 0, why);
	}
	if ((fp = fopencookie(&m, "r", io)) == NULL) {
		zip_fclose(m.zf);
		return dg_fetch_ctx_oom(c);
	}
	snprintf(full, sizeof(full), "%s(%s)", name, member);
	st = c->file(c, fp, full, member);
	fclose(fp);
	c->name = name;
	if (m.bad == CORRUPT) {
		char why[300];

		snprintf(why, sizeof(why), "cannot be read: %s",
		    zip_file_strerror(m.zf));
		st = inflate_fail(c, what, CORRUPT, 0, why);
	} else if (m.bad)
		st = inflate_fail(c, what, m.bad, m.comp, NULL);
	zip_fclose(m.zf);
	return st;
}

/* Each member of the archive za (NULL: its error ze) in name order, those
 * named for a day outside the filter's skipped. */
static int
walk_zip(struct dg_fetch_ctx *c, zip_t *za, zip_error_t *ze)
{
	zip_int64_t n;
	const char **names = NULL;
	size_t nn = 0;
	int st = DG_OK, parsed = 0;

	if (za == NULL) {
		st = dg_error_set(c->err, DG_EDATA, c->name, 0, NULL,
		    "broken zip archive: %s", zip_error_strerror(ze));
		zip_error_fini(ze);
		return st;
	}
	zip_error_fini(ze);
	n = zip_get_num_entries(za, 0);
	if (n > 0 && (names = calloc((size_t)n, sizeof(*names))) == NULL) {
		zip_discard(za);
		return dg_fetch_ctx_oom(c);
	}
	for (zip_int64_t i = 0; i < n; i++) {
		const char *m = zip_get_name(za, (zip_uint64_t)i, 0);
		size_t ml;

		if (m == NULL || (ml = strlen(m)) == 0 || m[ml - 1] == '/')
			continue;
		names[nn++] = m;
	}
	if (nn > 1)
		qsort(names, nn, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nn && st == DG_OK; i++) {
		dg_date d;

		if (c->f && c->f->have_days && member_day(names[i], &d) == 0 &&
		    (d < c->f->from || d > c->f->to))
			continue;
		st = walk_member(c, za, names[i]);
		parsed++;
	}
	free(names);
	zip_discard(za);
	if (st == DG_OK && parsed == 0)
		st = dg_error_set(c->err, DG_EDATA, c->name, 0, NULL,
		    "no archive member for the days asked");
	return st;
}

/* The archive in buf. */
static int
walk_zip_buf(struct dg_fetch_ctx *c, const char *buf, size_t len)
{
	zip_error_t ze;
	zip_source_t *zs;
	zip_t *za;

	zip_error_init(&ze);
	if ((zs = zip_source_buffer_create(buf, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return dg_fetch_ctx_oom(c);
	}
	if ((za = zip_open_from_source(zs, ZIP_RDONLY, &ze)) == NULL)
		zip_source_free(zs);
	return walk_zip(c, za, &ze);
}

/* The archive in fp: opened by its path when it has one, else from a
 * regular file's descriptor, else read into memory (a pipe). */
static int
walk_zip_fp(struct dg_fetch_ctx *c, FILE *fp, const char *path)
{
	zip_error_t ze;
	zip_source_t *zs;
	zip_t *za = NULL;
	struct stat sb;
	int zerr = 0, fd;
	FILE *dup_fp;

	zip_error_init(&ze);
	if (path != NULL) {
		if ((za = zip_open(path, ZIP_RDONLY, &zerr)) == NULL)
			zip_error_init_with_code(&ze, zerr);
		return walk_zip(c, za, &ze);
	}
	if (fileno(fp) >= 0 && fstat(fileno(fp), &sb) == 0 &&
	    S_ISREG(sb.st_mode)) {
		if ((fd = dup(fileno(fp))) < 0 ||
		    (dup_fp = fdopen(fd, "rb")) == NULL) {
			if (fd >= 0)
				close(fd);
			zip_error_fini(&ze);
			return dg_fetch_ctx_oom(c);
		}
		zs = zip_source_filep_create(dup_fp, 0, -1, &ze);
		if (zs == NULL) {
			fclose(dup_fp);
			zip_error_fini(&ze);
			return dg_fetch_ctx_oom(c);
		}
		if ((za = zip_open_from_source(zs, ZIP_RDONLY, &ze)) == NULL)
			zip_source_free(zs);
		return walk_zip(c, za, &ze);
	}
	zip_error_fini(&ze);
	{
		char *body;
		size_t len;
		int st;

		if ((st = dg_fetch_read_fp(fp, c->name, DG_FETCH_INPUT_MAX,
		    &body, &len, c->err)) != DG_OK)
			return st;
		st = walk_zip_buf(c, body, len);
		free(body);
		return st;
	}
}

/* --- The walk ------------------------------------------------------------ */

static int
is_zip(const char *b, size_t n)
{
	return n >= 4 && memcmp(b, "PK\003\004", 4) == 0;
}

static int
is_gzip(const char *b, size_t n)
{
	return n >= 2 && (unsigned char)b[0] == 0x1f &&
	    (unsigned char)b[1] == 0x8b;
}

int
dg_fetch_ctx_walk(struct dg_fetch_ctx *c, FILE *fp, const char *path,
    const char *buf, size_t len)
{
	struct dg_fetch_peek k;
	FILE *pf = NULL, *mf = NULL;
	int st;

	if (fp == NULL) {
		if (len == 0)
			return dg_error_set(c->err, DG_EDATA, c->name, 0, NULL,
			    "empty content");
		if (is_zip(buf, len))
			return walk_zip_buf(c, buf, len);
		/* read only: fmemopen's buffer is not const */
		fp = mf = fmemopen((void *)(uintptr_t)buf, len, "r");
		if (fp == NULL)
			return dg_fetch_ctx_oom(c);
	}
	if ((st = dg_fetch_peek_open(&k, fp, &pf)) != DG_OK) {
		if (mf != NULL)
			fclose(mf);
		return st == DG_EIO ? dg_error_set(c->err, DG_EIO, c->name, 0,
		    NULL, "read error: %s", strerror(errno)) :
		    dg_fetch_ctx_oom(c);
	}
	if (is_zip(k.buf, k.n)) {
		if (path == NULL && fseeko(fp, 0, SEEK_SET) == 0) {
			fclose(pf);
			pf = NULL;
			st = walk_zip_fp(c, fp, NULL);
		} else
			st = walk_zip_fp(c, pf, path);
	} else if (is_gzip(k.buf, k.n))
		st = walk_gzip(c, pf);
	else
		st = c->file(c, pf, c->name, NULL);
	if (pf != NULL)
		fclose(pf);
	if (mf != NULL)
		fclose(mf);
	return st;
}
