/* dg_http.c: HTTP through libcurl, one request at a time, the body in
 * memory or in a file (see dg_http.h). */
#include <config.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "dgagg.h"
#include "dg_http.h"
#include "dg_util.h"

int
dg_http_init(struct dg_http *h)
{
	static char ua[64];
	static int global_done;

	memset(h, 0, sizeof(*h));
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return DG_EINTERNAL;
		global_done = 1;
	}
	if ((h->curl = curl_easy_init()) == NULL)
		return DG_ENOMEM;
	h->timeout_s = 30;
	h->connect_timeout_s = 10;
	h->max_bytes = (uint64_t)16 << 20;
	snprintf(ua, sizeof(ua), "dgagg/%s", dg_version());
	h->user_agent = ua;
	return DG_OK;
}

void
dg_http_release(struct dg_http *h)
{
	if (h->curl)
		curl_easy_cleanup(h->curl);
	h->curl = NULL;
}

void
dg_http_resp_release(struct dg_http_resp *r)
{
	FILE *fp = r->fp;

	free(r->body);
	free(r->location);
	memset(r, 0, sizeof(*r));
	r->fp = fp;
}

/* One response being received. */
struct sink {
	struct dg_http_resp *r;
	uint64_t max;
	int over, oom;
};

/* Empties r's file for a new response. */
static int
file_reset(struct dg_http_resp *r)
{
	if (fflush(r->fp) != 0 || ftruncate(fileno(r->fp), 0) != 0 ||
	    fseeko(r->fp, 0, SEEK_SET) != 0) {
		r->errnum = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static size_t
on_body(char *p, size_t sz, size_t nm, void *ud)
{
	struct sink *s = ud;
	struct dg_http_resp *r = s->r;
	size_t k = sz * nm;

	if (r->n + k > s->max) {
		s->over = 1;
		return 0;
	}
	if (r->fp != NULL) {
		if (k > 0 && fwrite(p, 1, k, r->fp) != k) {
			r->errnum = errno ? errno : EIO;
			return 0;
		}
	} else {
		if (dg_grow(&r->body, &r->cap, r->len + k + 1, 1) != 0) {
			s->oom = 1;
			return 0;
		}
		memcpy(r->body + r->len, p, k);
		r->len += k;
		r->body[r->len] = '\0';
	}
	r->n += k;
	return k;
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *ud)
{
	struct sink *s = ud;
	size_t k = sz * nm, l;
	const char *v;

	if (k >= 5 && strncmp(p, "HTTP/", 5) == 0)
		s->r->retry_after[0] = '\0';	/* a new response */
	else if (k > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		v = p + 12;
		l = k - 12;
		while (l > 0 && (*v == ' ' || *v == '\t'))
			v++, l--;
		while (l > 0 && (v[l - 1] == '\r' || v[l - 1] == '\n' ||
		    v[l - 1] == ' '))
			l--;
		snprintf(s->r->retry_after, sizeof(s->r->retry_after), "%.*s",
		    (int)(l < 63 ? l : 63), v);
	}
	return k;
}

/* Failures that trying again may mend. */
static int
transient_code(CURLcode c)
{
	switch (c) {
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
setup(struct dg_http *h, const char *method, const char *url,
    struct curl_slist *hdrs, const char *body, size_t blen,
    const char *userpwd, struct sink *s, char *ebuf)
{
	CURL *c = h->curl;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(h->timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(h->connect_timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (h->compressed)
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	if (h->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->cacert);
	if (userpwd) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	}
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)blen);
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
}

/* The status and a redirect's target of the response just received. */
static int
response(struct dg_http *h, struct dg_http_resp *r)
{
	char *loc = NULL;

	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	if (r->status >= 300 && r->status <= 399 &&
	    curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &loc) ==
	    CURLE_OK && loc != NULL && (r->location = strdup(loc)) == NULL)
		return DG_HTTP_NOMEM;
	if (r->fp == NULL && r->body == NULL) {	/* an empty body: "" */
		if (dg_grow(&r->body, &r->cap, 1, 1) != 0)
			return DG_HTTP_NOMEM;
		r->body[0] = '\0';
	}
	return DG_HTTP_RESPONSE;
}

int
dg_http_perform(struct dg_http *h, const char *method, const char *url,
    const char *const *headers, size_t nheaders, const char *body,
    size_t blen, const char *userpwd, struct dg_http_resp *r, char *why,
    size_t wn)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL, *t;
	struct sink s = { r, h->max_bytes, 0, 0 };
	CURLcode rc;

	dg_http_resp_release(r);
	why[0] = '\0';
	if (r->fp != NULL && file_reset(r) != 0)
		return DG_HTTP_WRITE_ERROR;
	for (size_t i = 0; i < nheaders; i++) {
		if ((t = curl_slist_append(hdrs, headers[i])) == NULL) {
			curl_slist_free_all(hdrs);
			return DG_HTTP_NOMEM;
		}
		hdrs = t;
	}
	setup(h, method, url, hdrs, body, blen, userpwd, &s, ebuf);
	rc = curl_easy_perform(h->curl);
	curl_slist_free_all(hdrs);
	if (rc == CURLE_OK)
		return response(h, r);
	if (s.oom || rc == CURLE_OUT_OF_MEMORY)
		return DG_HTTP_NOMEM;
	if (s.over)
		return DG_HTTP_TOO_BIG;
	if (r->errnum != 0)
		return DG_HTTP_WRITE_ERROR;
	snprintf(why, wn, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
	return transient_code(rc) ? DG_HTTP_TRANSIENT : DG_HTTP_FAILED;
}

int
dg_http_request(struct dg_http *h, const char *method, const char *url,
    const char *const *headers, size_t nheaders, const char *body,
    size_t blen, const char *userpwd, struct dg_http_resp *r, int *transient,
    struct dg_error *err)
{
	char why[CURL_ERROR_SIZE];
	int v;

	r->fp = NULL;
	v = dg_http_perform(h, method, url, headers, nheaders, body, blen,
	    userpwd, r, why, sizeof(why));
	*transient = v == DG_HTTP_TRANSIENT;
	switch (v) {
	case DG_HTTP_RESPONSE:
		return DG_OK;
	case DG_HTTP_TOO_BIG:
		return dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
		    "%s %s: a response over %llu bytes", method, url,
		    (unsigned long long)h->max_bytes);
	case DG_HTTP_TRANSIENT:
	case DG_HTTP_FAILED:
		return dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
		    "%s %s: %s", method, url, why);
	default:
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
}

double
dg_http_retry_after_s(const char *v)
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

int
dg_http_same_origin(const char *a, const char *b)
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

int
dg_http_escape(const char *s, char *buf, size_t n)
{
	static const char xd[] = "0123456789ABCDEF";
	size_t k = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			if (k + 1 >= n)
				return DG_ERANGE;
			buf[k++] = (char)c;
		} else {
			if (k + 3 >= n)
				return DG_ERANGE;
			buf[k++] = '%';
			buf[k++] = xd[c >> 4];
			buf[k++] = xd[c & 15];
		}
	}
	if (n == 0)
		return DG_ERANGE;
	buf[k] = '\0';
	return DG_OK;
}

int
dg_http_form_add(char *buf, size_t n, size_t *k, const char *key,
    const char *val)
{
	char esc[4200];
	int w;

	if (dg_http_escape(val ? val : "", esc, sizeof(esc)) != DG_OK)
		return DG_ERANGE;
	w = snprintf(buf + *k, n - *k, "%s%s=%s", *k ? "&" : "", key, esc);
	if (w < 0 || (size_t)w >= n - *k)
		return DG_ERANGE;
	*k += (size_t)w;
	return DG_OK;
}
