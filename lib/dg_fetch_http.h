/* dg_fetch_http.h: the download of dg-fetch: redirects, retries with
 * back-off, Retry-After, time and size limits, the body to a file.  Its
 * requests go through dg_http (dg_http.h, the one module that calls
 * libcurl for HTTP); this is the policy of a download, which a REST
 * exchange of dg_http_request does not want (it neither follows redirects
 * nor sleeps between attempts).  Apart from the parsers so that the
 * programs that only parse market files (dg-settle, dg-schedule) link
 * neither. */
#ifndef DG_FETCH_HTTP_H
#define DG_FETCH_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_fetch_http {
	double timeout_s;		/* whole transfer, per attempt */
	double connect_timeout_s;
	int retries;			/* attempts after the first */
	double retry_wait_s;		/* first back-off; doubles each retry */
	double max_wait_s;		/* longest wait, Retry-After too */
	uint64_t max_bytes;		/* larger responses are refused */
	int max_redirects;		/* redirects followed */
	const char *user_agent;
	const char *const *headers;	/* extra "Name: value" lines */
	size_t nheaders;
	/* Told of each retry (may be NULL): why, and the wait in seconds. */
	void (*on_retry)(void *arg, const char *url, int attempt,
	    double wait_s, const char *why);
	void *arg;
};
/* Defaults: timeout 60 s, connect 15 s, 4 retries, 2 s doubling up to
 * 60 s, 512 MiB, 5 redirects, the user agent "dgagg-dg-fetch/VERSION". */
void dg_fetch_http_init(struct dg_fetch_http *h);

/* GETs url into body (a file open for update, a temporary file: emptied
 * for each response, then left at its start holding the body, *len bytes;
 * nothing is held in memory).  TLS peers are verified; proxies come from
 * the environment (http_proxy, https_proxy, no_proxy).  Redirects (http
 * and https only) are followed; the extra headers (an API key) are sent
 * only to the scheme, host and port of url, never to another host a
 * redirect names (curl itself keeps back only Authorization and Cookie).
 * Retries with back-off on 5xx, 408, 429 (its Retry-After honoured up to
 * max_wait_s), timeouts, refused and dropped connections and short
 * bodies.  Errors: DG_EUNAVAIL (still failing after the retries, a 4xx, a
 * response over max_bytes, a refused redirect: the message names the url
 * and why), DG_EIO (body cannot be written), DG_ENOMEM, DG_EINVAL (a bad
 * url). */
int dg_fetch_http_get(const struct dg_fetch_http *h, const char *url,
    FILE *body, uint64_t *len, struct dg_error *err);

/* An unlinked temporary file in $TMPDIR (else /tmp), open for update:
 * DG_ECREATE naming the directory when it cannot be created. */
int dg_fetch_tmpfile(FILE **fp, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
