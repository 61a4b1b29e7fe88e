/* dg_fetch_http.c: the download of dg-fetch (libcurl: retries, Retry-After,
 * size and time limits; see dg_fetch_http.h). */
#include <config.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "dgagg.h"
#include "dg_extsort.h"
#include "dg_fetch_http.h"

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
	h->max_bytes = (size_t)512 << 20;
	snprintf(ua, sizeof(ua), "dgagg-dg-fetch/%s", dg_version());
	h->user_agent = ua;
}

struct membuf {
	char *p;
	size_t n, cap, max;
	int over;
	char retry_after[64];
};

static size_t
on_body(char *ptr, size_t sz, size_t nm, void *ud)
{
	struct membuf *m = ud;
	size_t k = sz * nm;

	if (m->n + k + 1 > m->max) {
		m->over = 1;
		return 0;
	}
	if (m->n + k + 1 > m->cap) {
		size_t cap = m->cap ? m->cap : 65536;
		char *p;

		while (cap < m->n + k + 1)
			cap *= 2;
		if ((p = realloc(m->p, cap)) == NULL)
			return 0;
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->n, ptr, k);
	m->n += k;
	m->p[m->n] = '\0';
	return k;
}

static size_t
on_header(char *ptr, size_t sz, size_t nm, void *ud)
{
	struct membuf *m = ud;
	size_t k = sz * nm;

	if (k >= 5 && strncmp(ptr, "HTTP/", 5) == 0)
		m->retry_after[0] = '\0';	/* a new response */
	else if (k > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0) {
		const char *v = ptr + 12;
		size_t l = k - 12;

		while (l > 0 && (*v == ' ' || *v == '\t'))
			v++, l--;
		while (l > 0 && (v[l - 1] == '\r' || v[l - 1] == '\n' ||
		    v[l - 1] == ' '))
			l--;
		snprintf(m->retry_after, sizeof(m->retry_after), "%.*s",
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

int
dg_fetch_http_get(const struct dg_fetch_http *h, const char *url,
    char **body, size_t *len, struct dg_error *err)
{
	static int global_done;
	struct curl_slist *hl = NULL;
	struct membuf m;
	char ebuf[CURL_ERROR_SIZE], why[CURL_ERROR_SIZE + 64];
	double wait = h->retry_wait_s;
	CURL *c;
	int st = DG_OK;

	*body = NULL;
	*len = 0;
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return dg_error_set(err, DG_EINVAL, url, 0, NULL,
		    "only http:// and https:// URLs are fetched");
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return dg_error_set(err, DG_EINTERNAL, url, 0, NULL,
			    "libcurl cannot be initialized");
		global_done = 1;
	}
	if ((c = curl_easy_init()) == NULL)
		return dg_error_set(err, DG_ENOMEM, url, 0, NULL, "out of memory");
	for (size_t i = 0; i < h->nheaders; i++) {
		struct curl_slist *n = curl_slist_append(hl, h->headers[i]);

		if (n == NULL) {
			curl_slist_free_all(hl);
			curl_easy_cleanup(c);
			return dg_error_set(err, DG_ENOMEM, url, 0, NULL,
			    "out of memory");
		}
		hl = n;
	}
	memset(&m, 0, sizeof(m));
	m.max = h->max_bytes;
	for (int attempt = 0;; attempt++) {
		CURLcode rc;
		long code = 0;
		double ra;

		m.n = 0;
		m.over = 0;
		m.retry_after[0] = '\0';
		ebuf[0] = '\0';
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &m);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &m);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
		curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
#if LIBCURL_VERSION_NUM >= 0x075500
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
		curl_easy_setopt(c, CURLOPT_PROTOCOLS,
		    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS,
		    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
		    (long)(h->timeout_s * 1000));
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
		    (long)(h->connect_timeout_s * 1000));
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
		rc = curl_easy_perform(c);
		if (rc == CURLE_OK) {
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
			if (code >= 200 && code < 300) {
				if (m.p == NULL && (m.p = calloc(1, 1)) == NULL)
					st = dg_error_set(err, DG_ENOMEM, url, 0,
					    NULL, "out of memory");
				break;
			}
			snprintf(why, sizeof(why), "HTTP %ld", code);
			if (code != 408 && code != 429 && code < 500) {
				st = dg_error_set(err, DG_EUNAVAIL, url, 0, NULL,
				    "%s", why);
				break;
			}
		} else if (m.over) {
			st = dg_error_set(err, DG_EUNAVAIL, url, 0, NULL,
			    "response larger than %zu bytes", h->max_bytes);
			break;
		} else {
			snprintf(why, sizeof(why), "%s", ebuf[0] ? ebuf :
			    curl_easy_strerror(rc));
			if (!retryable(rc)) {
				st = dg_error_set(err, DG_EUNAVAIL, url, 0, NULL,
				    "%s", why);
				break;
			}
		}
		if (attempt >= h->retries) {
			st = dg_error_set(err, DG_EUNAVAIL, url, 0, NULL,
			    "%s; gave up after %d attempt%s", why, attempt + 1,
			    attempt ? "s" : "");
			break;
		}
		ra = code == 429 || code == 503 ? retry_after_s(m.retry_after) : -1;
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
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	if (st != DG_OK) {
		free(m.p);
		return st;
	}
	*body = m.p;
	*len = m.n;
	return DG_OK;
}

int
dg_fetch_tmpfile(FILE **fp, struct dg_error *err)
{
	return dg_tmpfile(fp, err);
}
