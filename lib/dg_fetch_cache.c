/* dg_fetch_cache.c: the cache of raw downloaded files: DIR/SOURCE/NAME
 * with NAME.meta (url,fetched,sha256,bytes), each written atomically; a
 * file replaced by other content is kept beside as NAME.SHA12. */
#include <config.h>

#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dg_csv.h"
#include "dg_fetch.h"
#include "dg_fetch_cache.h"
#include "dg_util.h"


static int
mkdirs(const char *path, struct dg_error *err)
{
	char buf[1024];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "path too long");
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++)
		if (buf[i] == '/' || buf[i] == '\0') {
			char c = buf[i];

			buf[i] = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return dg_error_set(err, DG_ECREATE, buf, 0,
				    NULL, "cannot create directory: %s",
				    strerror(errno));
			buf[i] = c;
		}
	return DG_OK;
}

/* Writes path atomically (a temporary file beside it, synced, then
 * renamed): the content of in from its start, or else len bytes of buf. */
static int
write_atomic(const char *path, FILE *in, const char *buf, size_t len,
    struct dg_error *err)
{
	char tmp[1100], b[65536];
	const char *slash = strrchr(path, '/');
	int fd, bad = 0;
	size_t n;
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX",
	    slash ? (int)(slash - path + 1) : 0, path,
	    slash ? slash + 1 : path);
	if ((fd = mkstemp(tmp)) < 0)
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot create: %s", strerror(errno));
	if ((fp = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(tmp);
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	}
	if (in != NULL) {
		bad = fseeko(in, 0, SEEK_SET) != 0;
		while (!bad && (n = fread(b, 1, sizeof(b), in)) > 0)
			bad = fwrite(b, 1, n, fp) != n;
		bad = bad || ferror(in);
	} else
		bad = len > 0 && fwrite(buf, 1, len, fp) != len;
	if (bad || fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
		int e = errno;

		fclose(fp);
		unlink(tmp);
		return dg_error_set(err, DG_EIO, path, 0, NULL,
		    "write error: %s", strerror(e));
	}
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		int e = errno;

		unlink(tmp);
		return dg_error_set(err, DG_EIO, path, 0, NULL,
		    "cannot write: %s", strerror(e));
	}
	return DG_OK;
}

static int
meta_text(char **out, size_t *olen, const char *url, dg_time fetched,
    const char *sha, long long len)
{
	static const char *const hdr[] = {
		"url", "fetched", "sha256", "bytes"
	};
	struct dg_csvw w;
	char stamp[32];
	time_t tt = (time_t)fetched;
	struct tm tm;
	FILE *fp = open_memstream(out, olen);

	if (fp == NULL)
		return DG_ENOMEM;
	gmtime_r(&tt, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	dg_csvw_init(&w, fp, ',', 0, 0);
	dg_csvw_header(&w, hdr, 4);
	dg_csvw_str(&w, url);
	dg_csvw_str(&w, stamp);
	dg_csvw_str(&w, sha);
	dg_csvw_int(&w, (int64_t)len);
	dg_csvw_end_row(&w);
	return fclose(fp) == 0 && w.status == DG_OK ? DG_OK : DG_ENOMEM;
}

/* The sha256 and size recorded in path (a .meta file, written by us:
 * refused without its final line end). */
static int
meta_read(const char *path, char sha[DG_SHA256_HEX], int64_t *bytes,
    struct dg_error *err)
{
	struct dg_csv_opts o;
	struct dg_csv *r;
	int cs, cb, st;

	dg_csv_opts_init(&o);
	o.final_newline = 1;
	if ((st = dg_csv_open(&r, path, &o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "sha256", &cs)) == DG_OK &&
	    (st = dg_csv_require(r, "bytes", &cb)) == DG_OK &&
	    (st = dg_csv_next(r)) == DG_OK &&
	    (st = dg_csv_get_int(r, cb, bytes)) == DG_OK)
		snprintf(sha, DG_SHA256_HEX, "%s", dg_csv_field(r, cs, NULL));
	if (st == DG_EOF)
		st = dg_csv_fail(r, -1, DG_EDATA, "no row");
	dg_csv_close(r);
	return st;
}

/* The path of cname, its meta, and the version kept beside (osha). */
static int
paths(const char *dir, const char *source, const char *cname, char *path,
    char *mpath, size_t n, struct dg_error *err)
{
	if ((size_t)snprintf(path, n, "%s/%s/%s", dir, source, cname) >= n ||
	    (size_t)snprintf(mpath, n, "%s.meta", path) >= n)
		return dg_error_set(err, DG_ECREATE, dir, 0, NULL,
		    "path too long");
	return DG_OK;
}

int
dg_fetch_cache_store(const char *dir, const char *source, const char *cname,
    const char *url, dg_time fetched, FILE *body, struct dg_error *err)
{
	char sub[1024], path[1200], mpath[1200], kp[1300], km[1400];
	char sha[DG_SHA256_HEX], osha[DG_SHA256_HEX];
	char *mt = NULL;
	size_t ml = 0;
	long long len;
	int64_t ob;
	struct dg_error e2;
	int st;

	if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, source) >=
	    sizeof(sub))
		return dg_error_set(err, DG_ECREATE, dir, 0, NULL,
		    "path too long");
	if ((st = mkdirs(sub, err)) != DG_OK ||
	    (st = paths(dir, source, cname, path, mpath, sizeof(path), err)))
		return st;
	if (fseeko(body, 0, SEEK_SET) != 0 || dg_sha256_fp(body, sha, &len))
		return dg_error_set(err, DG_EIO, url, 0, NULL,
		    "temporary file: read error: %s", strerror(errno));
	dg_error_clear(&e2);
	if (access(path, F_OK) == 0 &&
	    meta_read(mpath, osha, &ob, &e2) == DG_OK) {
		/* the same content: keep the first fetch time */
		if (strcmp(osha, sha) == 0)
			return DG_OK;
		/* other content: keep the old version beside */
		snprintf(kp, sizeof(kp), "%s.%.12s", path, osha);
		snprintf(km, sizeof(km), "%s.meta", kp);
		if (rename(path, kp) != 0 || rename(mpath, km) != 0)
			return dg_error_set(err, DG_EIO, path, 0, NULL,
			    "cannot keep the previous version: %s",
			    strerror(errno));
	}
	if ((st = write_atomic(path, body, NULL, 0, err)) != DG_OK)
		return st;
	if (meta_text(&mt, &ml, url, fetched, sha, len) != DG_OK) {
		free(mt);
		return dg_error_set(err, DG_ENOMEM, mpath, 0, NULL,
		    "out of memory");
	}
	st = write_atomic(mpath, NULL, mt, ml, err);
	free(mt);
	return st;
}

int
dg_fetch_cache_open(const char *dir, const char *source, const char *cname,
    FILE **fp, struct dg_error *err)
{
	char path[1200], mpath[1200], sha[DG_SHA256_HEX], got[DG_SHA256_HEX];
	int64_t bytes;
	long long len;
	int st;

	*fp = NULL;
	if ((st = paths(dir, source, cname, path, mpath, sizeof(path), err)))
		return st;
	if (access(path, F_OK) != 0)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "not in the cache");
	if ((st = meta_read(mpath, sha, &bytes, err)) != DG_OK)
		return st;
	if ((*fp = fopen(path, "rb")) == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	if ((st = dg_sha256_fp(*fp, got, &len)) != DG_OK ||
	    fseeko(*fp, 0, SEEK_SET) != 0)
		st = dg_error_set(err, DG_EIO, path, 0, NULL, "read error: %s",
		    strerror(errno));
	else if (len != bytes || strcmp(got, sha) != 0)
		st = dg_error_set(err, DG_EDATA, path, 0, NULL,
		    "content does not match its SHA-256 in %s.meta", cname);
	if (st != DG_OK) {
		fclose(*fp);
		*fp = NULL;
	}
	return st;
}

void
dg_fetch_cache_name(const char *url, const char *day, char *buf, size_t n)
{
	const char *s = strstr(url, "://");
	const char *q, *b;
	size_t k = 0;

	s = s ? s + 3 : url;
	q = s + strcspn(s, "?#");
	for (b = q; b > s && b[-1] != '/'; b--)
		;
	for (const char *c = b; c < q && k + 1 < n; c++)
		buf[k++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= 'A' &&
		    *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		    *c == '-' || *c == '_' ? *c : '_');
	buf[k] = '\0';
	if (k == 0)
		snprintf(buf, n, "download");
	if (*q == '?' || (day != NULL && day[0])) {
		char h[DG_SHA256_HEX];
		size_t l = strlen(buf);

		dg_sha256_buf(url, strlen(url), h);
		snprintf(buf + l, n - l, "-%s%s%.12s", day ? day : "",
		    day && day[0] ? "-" : "", h);
	}
}
