/* dg_http.c: HTTP requests with in-memory responses (see dg_http.h). */
#include <config.h>

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dgagg.h"
#include "dg_http.h"
#include "dg_util.h"

int
dg_http_init(struct dg_http *h)
{
	static char ua[64];

	memset(h, 0, sizeof(*h));
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h->curl = curl_easy_init()) == NULL)
		return DG_ENOMEM;
	h->timeout_s = 30;
	h->connect_timeout_s = 10;
	h->max_bytes = (size_t)16 << 20;
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
	free(r->body);
	free(r->retry_after);
	memset(r, 0, sizeof(*r));
}

struct sink {
	struct dg_http_resp *r;
	size_t max;
	int over, oom;
};

static size_t
on_body(char *p, size_t sz, size_t nm, void *ud)
{
	struct sink *s = ud;
	struct dg_http_resp *r = s->r;
	size_t k = sz * nm;

	if (r->len + k > s->max) {
		s->over = 1;
		return 0;
	}
	if (dg_grow(&r->body, &r->cap, r->len + k + 1, 1) != 0) {
		s->oom = 1;
		return 0;
	}
	memcpy(r->body + r->len, p, k);
	r->len += k;
	r->body[r->len] = '\0';
	return k;
}

static size_t
on_header(char *p, size_t sz, size_t nm, void *ud)
{
	struct sink *s = ud;
	size_t k = sz * nm, n = 12;

	if (k > n && strncasecmp(p, "Retry-After:", n) == 0) {
		while (n < k && (p[n] == ' ' || p[n] == '\t'))
			n++;
		while (k > n && (p[k - 1] == '\r' || p[k - 1] == '\n' ||
		    p[k - 1] == ' '))
			k--;
		free(s->r->retry_after);
		s->r->retry_after = strndup(p + n, k - n);
	}
	return sz * nm;
}

static int
transient_code(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
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
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(h->timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(h->connect_timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
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

int
dg_http_request(struct dg_http *h, const char *method, const char *url,
    const char *const *headers, size_t nheaders, const char *body,
    size_t blen, const char *userpwd, struct dg_http_resp *r, int *transient,
    struct dg_error *err)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs = NULL, *t;
	struct sink s = { r, h->max_bytes, 0, 0 };
	CURLcode rc;

	dg_http_resp_release(r);
	*transient = 0;
	for (size_t i = 0; i < nheaders; i++) {
		if ((t = curl_slist_append(hdrs, headers[i])) == NULL) {
			curl_slist_free_all(hdrs);
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		}
		hdrs = t;
	}
	setup(h, method, url, hdrs, body, blen, userpwd, &s, ebuf);
	rc = curl_easy_perform(h->curl);
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hdrs);
	if (s.oom)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if (s.over)
		return dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
		    "%s %s: a response over %zu bytes", method, url, s.max);
	if (rc != CURLE_OK) {
		*transient = transient_code(rc);
		r->status = 0;
		return dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
		    "%s %s: %s", method, url,
		    ebuf[0] ? ebuf : curl_easy_strerror(rc));
	}
	if (r->body == NULL && dg_grow(&r->body, &r->cap, 1, 1) == 0)
		r->body[0] = '\0';
	return r->body ? DG_OK : dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
	    "out of memory");
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
