/* dg_fetch_http.c: the download of dg-fetch (libcurl: retries, Retry-After,
 * redirects, size and time limits; see dg_fetch_http.h).  The body goes to
 * a file, never to memory. */
#include <config.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "dgagg.h"
#include "dg_extsort.h"
#include "dg_fetch_http.h"
#include "dg_fetch_impl.h"

void
dg_fetch_http_init(struct dg_fetch_http *h)
{
	static char ua[64];

	memset(h, 0, sizeof(*h));
	h->timeout_s = 60;
	h->connect_timeout_s = 15;
	h->retries = 4;
	h->retry_wait_s = 2;
	h->max_wait_s = 60;
	h->max_bytes = (uint64_t)512 << 20;
	h->max_redirects = 5;
	snprintf(ua, sizeof(ua), "dgagg-dg-fetch/%s", dg_version());
	h->user_agent = ua;
}

int
dg_fetch_tmpfile(FILE **fp, struct dg_error *err)
{
	return dg_tmpfile(fp, err);
}

/* One response being received. */
struct xfer {
	FILE *fp;
	uint64_t n, max;
	int over;		/* larger than max */
	int werr;		/* the file could not be written: errno */
	char retry_after[64];
};

/* Empties the body file for a new response. */
static int
xfer_reset(struct xfer *x)
{
	x->n = 0;
	x->over = 0;
	x->werr = 0;
	x->retry_after[0] = '\0';
	if (fflush(x->fp) != 0 || ftruncate(fileno(x->fp), 0) != 0 ||
	    fseeko(x->fp, 0, SEEK_SET) != 0) {
		x->werr = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static size_t
on_body(char *ptr, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	size_t k = sz * nm;

	if (x->n + k > x->max) {
		x->over = 1;
		return 0;
	}
	if (k > 0 && fwrite(ptr, 1, k, x->fp) != k) {
		x->werr = errno ? errno : EIO;
		return 0;
	}
	x->n += k;
	return k;
}

static size_t
on_header(char *ptr, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	size_t k = sz * nm;

	if (k >= 5 && strncmp(ptr, "HTTP/", 5) == 0)
		x->retry_after[0] = '\0';	/* a new response */
	else if (k > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0) {
		const char *v = ptr + 12;
		size_t l = k - 12;

		while (l > 0 && (*v == ' ' || *v == '\t'))
			v++, l--;
		while (l > 0 && (v[l - 1] == '\r' || v[l - 1] == '\n' ||
		    v[l - 1] == ' '))
			l--;
		snprintf(x->retry_after, sizeof(x->retry_after), "%.*s",
		    (int)(l < 63 ? l : 63), v);
	}
	return k;
}

/* Seconds asked by a Retry-After value (delta-seconds or an HTTP-date),
 * or -1. */
static double
retry_after_s(const char *v)
{
	int64_t n;
	time_t when;

	if (v[0] == '\0')
		return -1;
	if (dg_parse_int(v, 0, INT32_MAX, &n) == DG_OK)
		return (double)n;
	if ((when = curl_getdate(v, NULL)) != -1) {
		time_t now = time(NULL);

		return when > now ? (double)(when - now) : 0;
	}
	return -1;
}

static int
retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

static void
pause_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
is_http(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
}

/* Whether URLs a and b have the same scheme, host and port (the rule by
 * which curl keeps credentials on a redirect). */
int
dg_fetch_same_origin(const char *a, const char *b)
{
	static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_HOST,
	    CURLUPART_PORT };
	CURLU *ua = curl_url(), *ub = curl_url();
	int same = ua != NULL && ub != NULL &&
	    curl_url_set(ua, CURLUPART_URL, a, 0) == CURLUE_OK &&
	    curl_url_set(ub, CURLUPART_URL, b, 0) == CURLUE_OK;

	for (size_t i = 0; same && i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *pa = NULL, *pb = NULL;

		same = curl_url_get(ua, parts[i], &pa, CURLU_DEFAULT_PORT) ==
		    CURLUE_OK && curl_url_get(ub, parts[i], &pb,
		    CURLU_DEFAULT_PORT) == CURLUE_OK && strcasecmp(pa, pb) == 0;
		curl_free(pa);
		curl_free(pb);
	}
	curl_url_cleanup(ua);
	curl_url_cleanup(ub);
	return same;
}

/* One request of url, the user's headers hl sent or not. */
static CURLcode
request(CURL *c, const struct dg_fetch_http *h, const char *url,
    struct curl_slist *hl, struct xfer *x, char *ebuf)
{
	ebuf[0] = '\0';
	if (xfer_reset(x) != 0)
		return CURLE_WRITE_ERROR;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	/* redirects are followed here, by follow() */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(h->timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(h->connect_timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	return curl_easy_perform(c);
}

/* The response to url after its redirects (at most h->max_redirects,
 * http and https only): *code its status, 0 when the transfer failed (the
 * CURLcode says why), -1 when a redirect is refused (why says why).  The
 * user's headers go only where url's scheme, host and port do. */
static CURLcode
follow(CURL *c, const struct dg_fetch_http *h, const char *url,
    struct curl_slist *hl, struct xfer *x, char *ebuf, long *code,
    char *why, size_t wn)
{
	char *cur = strdup(url);
	CURLcode rc = CURLE_OUT_OF_MEMORY;

	*code = 0;
	for (int hops = 0; cur != NULL; hops++) {
		char *loc = NULL, *next;

		rc = request(c, h, cur, dg_fetch_same_origin(url, cur) ? hl :
		    NULL, x, ebuf);
		if (rc != CURLE_OK)
			break;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
		if (*code < 300 || *code > 399 || curl_easy_getinfo(c,
		    CURLINFO_REDIRECT_URL, &loc) != CURLE_OK || loc == NULL)
			break;
		if (hops == h->max_redirects) {
			snprintf(why, wn, "more than %d redirects",
			    h->max_redirects);
			*code = -1;
			break;
		}
		if (!is_http(loc)) {
			snprintf(why, wn, "redirected to %.200s: not http or "
			    "https", loc);
			*code = -1;
			break;
		}
		next = strdup(loc);
		free(cur);
		if ((cur = next) == NULL)
			rc = CURLE_OUT_OF_MEMORY;
	}
	free(cur);
	return rc;
}

enum { DONE, FAILED, RETRY };

static int
failed(struct dg_error *err, int status, const char *url, const char *why)
{
	dg_error_set(err, status, url, 0, NULL, "%s", why);
	return FAILED;
}

/* What one attempt came to: DONE, FAILED (err set) or RETRY (why set). */
static int
verdict(const struct dg_fetch_http *h, const char *url, CURLcode rc,
    long code, const struct xfer *x, const char *ebuf, char *why, size_t wn,
    struct dg_error *err)
{
	if (rc == CURLE_OK && code == -1)
		return failed(err, DG_EUNAVAIL, url, why);
	if (rc == CURLE_OK) {
		if (code >= 200 && code < 300)
			return DONE;
		snprintf(why, wn, "HTTP %ld", code);
		if (code != 408 && code != 429 && code < 500)
			return failed(err, DG_EUNAVAIL, url, why);
		return RETRY;
	}
	if (x->over) {
		snprintf(why, wn, "response larger than %llu bytes",
		    (unsigned long long)h->max_bytes);
		return failed(err, DG_EUNAVAIL, url, why);
	}
	if (x->werr) {
		snprintf(why, wn, "temporary file: write error: %s",
		    strerror(x->werr));
		return failed(err, DG_EIO, url, why);
	}
	if (rc == CURLE_OUT_OF_MEMORY)
		return failed(err, DG_ENOMEM, url, "out of memory");
	snprintf(why, wn, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
	return retryable(rc) ? RETRY : failed(err, DG_EUNAVAIL, url, why);
}

/* The easy handle and the user's headers. */
static int
setup(const struct dg_fetch_http *h, const char *url, CURL **c,
    struct curl_slist **hl, struct dg_error *err)
{
	static int global_done;

	*c = NULL;
	*hl = NULL;
	if (!is_http(url))
		return dg_error_set(err, DG_EINVAL, url, 0, NULL,
		    "only http:// and https:// URLs are fetched");
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return dg_error_set(err, DG_EINTERNAL, url, 0, NULL,
			    "libcurl cannot be initialized");
		global_done = 1;
	}
	if ((*c = curl_easy_init()) == NULL)
		return dg_error_set(err, DG_ENOMEM, url, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < h->nheaders; i++) {
		struct curl_slist *n = curl_slist_append(*hl, h->headers[i]);

		if (n == NULL)
			return dg_error_set(err, DG_ENOMEM, url, 0, NULL,
			    "out of memory");
		*hl = n;
	}
	return DG_OK;
}

int
dg_fetch_http_get(const struct dg_fetch_http *h, const char *url, FILE *body,
    uint64_t *len, struct dg_error *err)
{
	struct curl_slist *hl;
	struct xfer x;
	struct dg_error local;
	char ebuf[CURL_ERROR_SIZE], why[CURL_ERROR_SIZE + 256];
	double wait = h->retry_wait_s;
	CURL *c;
	int st;

	if (err == NULL)
		err = &local;
	*len = 0;
	memset(&x, 0, sizeof(x));
	x.fp = body;
	x.max = h->max_bytes;
	if ((st = setup(h, url, &c, &hl, err)) != DG_OK)
		goto out;
	for (int attempt = 0;; attempt++) {
		long code = 0;
		CURLcode rc = follow(c, h, url, hl, &x, ebuf, &code, why,
		    sizeof(why));
		int v = verdict(h, url, rc, code, &x, ebuf, why, sizeof(why),
		    err);
		double ra;

		if (v == FAILED) {
			st = err->status;
			break;
		}
		if (v == DONE)
			break;
		if (attempt >= h->retries) {
			st = dg_error_set(err, DG_EUNAVAIL, url, 0, NULL,
			    "%s; gave up after %d attempt%s", why, attempt + 1,
			    attempt ? "s" : "");
			break;
		}
		ra = code == 429 || code == 503 ?
		    retry_after_s(x.retry_after) : -1;
		if (ra >= 0)
			wait = ra;
		if (wait > h->max_wait_s)
			wait = h->max_wait_s;
		if (h->on_retry)
			h->on_retry(h->arg, url, attempt + 1, wait, why);
		pause_s(wait);
		wait = (ra >= 0 ? h->retry_wait_s : wait) * 2;
		if (wait > h->max_wait_s)
			wait = h->max_wait_s;
	}
	if (st == DG_OK && (fflush(body) != 0 || ferror(body) ||
	    fseeko(body, 0, SEEK_SET) != 0))
		st = dg_error_set(err, DG_EIO, url, 0, NULL,
		    "temporary file: write error: %s", strerror(errno));
	if (st == DG_OK)
		*len = x.n;
out:
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	return st;
}
