/* dg_fetch_http.c: the download of dg-fetch: retries, Retry-After,
 * redirects, size and time limits (see dg_fetch_http.h), each request
 * through dg_http.  The body goes to a file, never to memory. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dgagg.h"
#include "dg_extsort.h"
#include "dg_fetch_http.h"
#include "dg_fetch_impl.h"
#include "dg_http.h"

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

int
dg_fetch_same_origin(const char *a, const char *b)
{
	return dg_http_same_origin(a, b);
}

/* The response to url after its redirects (at most h->max_redirects,
 * http and https only): the outcome of the last request (dg_http.h);
 * *code is -1 when a redirect is refused (why says why).  The user's
 * headers go only where url's scheme, host and port do. */
static int
follow(struct dg_http *c, const struct dg_fetch_http *h, const char *url,
    struct dg_http_resp *r, long *code, char *why, size_t wn)
{
	char *cur = strdup(url);
	int v = DG_HTTP_NOMEM;

	*code = 0;
	for (int hops = 0; cur != NULL; hops++) {
		char *next;
		int same = dg_fetch_same_origin(url, cur);

		v = dg_http_perform(c, "GET", cur, same ? h->headers : NULL,
		    same ? h->nheaders : 0, NULL, 0, NULL, r, why, wn);
		if (v != DG_HTTP_RESPONSE)
			break;
		*code = r->status;
		if (*code < 300 || *code > 399 || r->location == NULL)
			break;
		if (hops == h->max_redirects) {
			snprintf(why, wn, "more than %d redirects",
			    h->max_redirects);
			*code = -1;
			break;
		}
		if (!is_http(r->location)) {
			snprintf(why, wn, "redirected to %.200s: not http or "
			    "https", r->location);
			*code = -1;
			break;
		}
		next = strdup(r->location);
		free(cur);
		if ((cur = next) == NULL)
			v = DG_HTTP_NOMEM;
	}
	free(cur);
	return v;
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
verdict(const struct dg_fetch_http *h, const char *url, int v, long code,
    const struct dg_http_resp *r, char *why, size_t wn,
    struct dg_error *err)
{
	switch (v) {
	case DG_HTTP_RESPONSE:
		if (code == -1)
			return failed(err, DG_EUNAVAIL, url, why);
		if (code >= 200 && code < 300)
			return DONE;
		snprintf(why, wn, "HTTP %ld", code);
		if (code != 408 && code != 429 && code < 500)
			return failed(err, DG_EUNAVAIL, url, why);
		return RETRY;
	case DG_HTTP_TOO_BIG:
		snprintf(why, wn, "response larger than %llu bytes",
		    (unsigned long long)h->max_bytes);
		return failed(err, DG_EUNAVAIL, url, why);
	case DG_HTTP_WRITE_ERROR:
		snprintf(why, wn, "temporary file: write error: %s",
		    strerror(r->errnum));
		return failed(err, DG_EIO, url, why);
	case DG_HTTP_NOMEM:
		return failed(err, DG_ENOMEM, url, "out of memory");
	case DG_HTTP_TRANSIENT:
		return RETRY;
	default:
		return failed(err, DG_EUNAVAIL, url, why);
	}
}

/* The handle, with h's settings. */
static int
setup(const struct dg_fetch_http *h, const char *url, struct dg_http *c,
    struct dg_error *err)
{
	int st;

	if (!is_http(url))
		return dg_error_set(err, DG_EINVAL, url, 0, NULL,
		    "only http:// and https:// URLs are fetched");
	if ((st = dg_http_init(c)) != DG_OK)
		return dg_error_set(err, st, url, 0, NULL, "%s",
		    st == DG_ENOMEM ? "out of memory" :
		    "libcurl cannot be initialized");
	c->timeout_s = h->timeout_s;
	c->connect_timeout_s = h->connect_timeout_s;
	c->max_bytes = h->max_bytes;
	c->user_agent = h->user_agent;
	c->compressed = 1;
	return DG_OK;
}

/* The wait before the next attempt: *wait, or what a 429 or 503 asked
 * for, at most h->max_wait_s; *wait doubles for the one after. */
static double
backoff(const struct dg_fetch_http *h, long code,
    const struct dg_http_resp *r, double *wait)
{
	double ra = code == 429 || code == 503 ?
	    dg_http_retry_after_s(r->retry_after) : -1, now;

	if (ra >= 0)
		*wait = ra;
	if (*wait > h->max_wait_s)
		*wait = h->max_wait_s;
	now = *wait;
	*wait = (ra >= 0 ? h->retry_wait_s : *wait) * 2;
	if (*wait > h->max_wait_s)
		*wait = h->max_wait_s;
	return now;
}

int
dg_fetch_http_get(const struct dg_fetch_http *h, const char *url, FILE *body,
    uint64_t *len, struct dg_error *err)
{
	struct dg_http c = { NULL, 0, 0, 0, NULL, NULL, 0 };
	struct dg_http_resp r;
	struct dg_error local;
	char why[512];
	double wait = h->retry_wait_s;
	int st;

	if (err == NULL)
		err = &local;
	*len = 0;
	memset(&r, 0, sizeof(r));
	r.fp = body;
	if ((st = setup(h, url, &c, err)) != DG_OK)
		goto out;
	for (int attempt = 0;; attempt++) {
		long code = 0;
		int v = follow(&c, h, url, &r, &code, why, sizeof(why));
		double w;

		if ((v = verdict(h, url, v, code, &r, why, sizeof(why),
		    err)) == FAILED) {
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
		w = backoff(h, code, &r, &wait);
		if (h->on_retry)
			h->on_retry(h->arg, url, attempt + 1, w, why);
		pause_s(w);
	}
	if (st == DG_OK && (fflush(body) != 0 || ferror(body) ||
	    fseeko(body, 0, SEEK_SET) != 0))
		st = dg_error_set(err, DG_EIO, url, 0, NULL,
		    "temporary file: write error: %s", strerror(errno));
	if (st == DG_OK)
		*len = r.n;
out:
	dg_http_resp_release(&r);
	dg_http_release(&c);
	return st;
}
