/* dg_http.h: HTTP through libcurl, the one module that calls it for HTTP
 * (dg_notify_send.c uses it for SMTP only).  One request at a time on a
 * handle that keeps its connections open between requests, the body of
 * the response held in memory or written to a file, with what the
 * transfer came to; the policies are the callers':
 *   - dg_http_request (below): a request of any method with a body, the
 *     response in memory, for the REST services of the event's real-time
 *     half (an OpenADR 3 VTN, a webhook, an SMS gateway), whose callers
 *     decide when to try again (the notifier goes on with other notices
 *     meanwhile, never sleeping on one);
 *   - dg_fetch_http_get (dg_fetch_http.h): the downloads of dg-fetch, to a
 *     file of any size, with its redirects (the API key kept from other
 *     hosts) and its retries with back-off, built on dg_http_perform.
 *
 * TLS peers are verified (cacert: a file of trusted certificates, else
 * the system's); proxies come from the environment; redirects are not
 * followed (a REST service that moves is a configuration to change, not
 * to guess; dg_fetch_http follows them itself); a response larger than
 * max_bytes is refused.  Installed: struct dg_oadr (dg_openadr.h) holds
 * a struct dg_http. */
#ifndef DG_HTTP_H
#define DG_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_http {
	void *curl;		/* CURL * */
	double timeout_s;	/* the whole request (default 30) */
	double connect_timeout_s;	/* (default 10) */
	uint64_t max_bytes;	/* largest response body (default 16 MiB) */
	const char *cacert;	/* NULL: the system's trust */
	const char *user_agent;	/* default "dgagg/VERSION" */
	int compressed;		/* ask for a compressed body (gzip ...),
				 * inflated as it comes */
};

struct dg_http_resp {
	FILE *fp;		/* set by the caller: the body goes to this
				 * file (emptied first), not to memory */
	long status;		/* the HTTP status; 0: no response */
	char *body;		/* in memory: NUL-terminated, len bytes */
	size_t len, cap;
	uint64_t n;		/* the body's bytes, in memory or in fp */
	char retry_after[64];	/* the Retry-After header, or "" */
	char *location;		/* a redirect's target (3xx), or NULL */
	int errnum;		/* DG_HTTP_WRITE_ERROR: errno */
};

/* DG_EINTERNAL when libcurl cannot start, DG_ENOMEM without a handle. */
int dg_http_init(struct dg_http *h);
void dg_http_release(struct dg_http *h);
/* Frees the body and the location (fp is the caller's). */
void dg_http_resp_release(struct dg_http_resp *r);

/* What a transfer came to. */
enum dg_http_outcome {
	DG_HTTP_RESPONSE,	/* a response, whatever its status */
	DG_HTTP_TRANSIENT,	/* none: a refused or dropped connection, a
				 * timeout, a name not resolved (trying
				 * again may help) */
	DG_HTTP_FAILED,		/* none, for good (a TLS peer not verified,
				 * a bad URL) */
	DG_HTTP_TOO_BIG,	/* a body over max_bytes */
	DG_HTTP_WRITE_ERROR,	/* r->fp cannot be written (r->errnum) */
	DG_HTTP_NOMEM
};

/* One request: method (GET, POST, PUT), url, extra header lines
 * ("Name: value"), a body of blen bytes (NULL: none), HTTP basic
 * credentials user:password (NULL: none).  The response into r (released
 * first; its fp kept).  Returns the outcome; why (wn bytes) says what
 * went wrong for DG_HTTP_TRANSIENT and DG_HTTP_FAILED. */
int dg_http_perform(struct dg_http *h, const char *method, const char *url,
    const char *const *headers, size_t nheaders, const char *body,
    size_t blen, const char *userpwd, struct dg_http_resp *r, char *why,
    size_t wn);

/* dg_http_perform with the body in memory and the outcome as a status:
 * DG_OK when a response came (whatever its status: r->status says);
 * DG_EUNAVAIL when none did (the message names the method, the url and
 * why; *transient says whether trying again may help), DG_ENOMEM. */
int dg_http_request(struct dg_http *h, const char *method, const char *url,
    const char *const *headers, size_t nheaders, const char *body,
    size_t blen, const char *userpwd, struct dg_http_resp *r, int *transient,
    struct dg_error *err);

/* Seconds asked by a Retry-After value (delta-seconds or an HTTP-date),
 * or -1. */
double dg_http_retry_after_s(const char *v);
/* Whether URLs a and b have the same scheme, host and port (the rule by
 * which curl keeps credentials on a redirect). */
int dg_http_same_origin(const char *a, const char *b);

/* s with every byte but A-Z a-z 0-9 - . _ ~ as %XX, into buf (n bytes):
 * DG_ERANGE when it does not fit. */
int dg_http_escape(const char *s, char *buf, size_t n);

/* Appends "key=value" (value escaped; "&" before it unless first) to the
 * form in buf (n bytes, *k used): DG_ERANGE when it does not fit. */
int dg_http_form_add(char *buf, size_t n, size_t *k, const char *key,
    const char *val);

#ifdef __cplusplus
}
#endif
#endif
