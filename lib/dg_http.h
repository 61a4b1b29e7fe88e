/* dg_http.h: HTTP requests with their responses held in memory (libcurl),
 * for the REST services of the event's real-time half: an OpenADR 3 VTN,
 * a webhook, an SMS gateway.  Private to the library (not installed).
 *
 * One handle keeps its connections open between requests.  TLS peers are
 * verified (cacert: a file of trusted certificates, else the system's);
 * redirects are not followed (a service that moves is a configuration to
 * change, not to guess); a response larger than max_bytes is refused. */
#ifndef DG_HTTP_H
#define DG_HTTP_H

#include <stddef.h>

#include "dg_status.h"

struct dg_http {
	void *curl;		/* CURL * */
	double timeout_s;	/* the whole request (default 30) */
	double connect_timeout_s;	/* (default 10) */
	size_t max_bytes;	/* largest response body (default 16 MiB) */
	const char *cacert;	/* NULL: the system's trust */
	const char *user_agent;
};

struct dg_http_resp {
	long status;		/* the HTTP status; 0: no response */
	char *body;		/* NUL-terminated, len bytes */
	size_t len, cap;
	char *retry_after;	/* the Retry-After header, or NULL */
};

/* DG_ENOMEM when libcurl cannot start. */
int dg_http_init(struct dg_http *h);
void dg_http_release(struct dg_http *h);
void dg_http_resp_release(struct dg_http_resp *r);

/* A request: method (GET, POST, PUT), url, extra header lines
 * ("Name: value"), a body of blen bytes (NULL: none), and HTTP basic
 * credentials user:password (NULL: none).  DG_OK when a response came
 * (whatever its status: r->status says); DG_EUNAVAIL when none did (a
 * refused connection, a timeout, a TLS failure: the message names the url
 * and why; *transient says whether trying again may help). */
int dg_http_request(struct dg_http *h, const char *method, const char *url,
    const char *const *headers, size_t nheaders, const char *body,
    size_t blen, const char *userpwd, struct dg_http_resp *r, int *transient,
    struct dg_error *err);

/* s with every byte but A-Z a-z 0-9 - . _ ~ as %XX, into buf (n bytes):
 * DG_ERANGE when it does not fit. */
int dg_http_escape(const char *s, char *buf, size_t n);

/* Appends "key=value" (value escaped; "&" before it unless first) to the
 * form in buf (n bytes, *k used): DG_ERANGE when it does not fit. */
int dg_http_form_add(char *buf, size_t n, size_t *k, const char *key,
    const char *val);

#endif
