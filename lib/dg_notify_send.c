/* dg_notify_send.c: the channels of dg-notify: e-mail over SMTP (plain,
 * STARTTLS or SMTPS, through libcurl), a JSON webhook, SMS through an
 * HTTP gateway; what each failure means (see dg_notify.h). */
#include <config.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "dg_http.h"
#include "dg_notify.h"
#include "dg_util.h"

struct dg_sender {
	const struct dg_notify_conf *c;
	CURL *smtp;
	struct dg_http http;
	char *msg;		/* the message being uploaded */
	size_t len, off, cap;
};

int
dg_sender_open(struct dg_sender **sp, const struct dg_notify_conf *c,
    struct dg_error *err)
{
	struct dg_sender *s = calloc(1, sizeof(*s));

	*sp = NULL;
	if (s == NULL || dg_http_init(&s->http) != DG_OK ||
	    (s->smtp = curl_easy_init()) == NULL) {
		if (s)
			dg_http_release(&s->http);
		free(s);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "cannot start libcurl");
	}
	s->c = c;
	s->http.timeout_s = c->timeout_s;
	s->http.cacert = c->cacert;
	*sp = s;
	return DG_OK;
}

void
dg_sender_close(struct dg_sender *s)
{
	if (s == NULL)
		return;
	curl_easy_cleanup(s->smtp);
	dg_http_release(&s->http);
	free(s->msg);
	free(s);
}

/* --- E-mail ------------------------------------------------------------- */

static int
put(struct dg_sender *s, const char *a, size_t n)
{
	if (dg_grow(&s->msg, &s->cap, s->len + n + 1, 1) != 0)
		return -1;
	memcpy(s->msg + s->len, a, n);
	s->len += n;
	s->msg[s->len] = '\0';
	return 0;
}

/* A header line: name, value (line ends in it dropped: no header can be
 * injected through a value), CR LF. */
static int
header(struct dg_sender *s, const char *name, const char *v)
{
	if (put(s, name, strlen(name)) || put(s, ": ", 2))
		return -1;
	for (; *v; v++)
		if (*v != '\r' && *v != '\n' && put(s, v, 1))
			return -1;
	return put(s, "\r\n", 2);
}

static int
compose(struct dg_sender *s, const struct dg_message *m)
{
	char date[64], mid[400];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(mid, sizeof(mid), "<%s@dgagg>", m->key);
	s->len = s->off = 0;
	if (header(s, "Date", date) || header(s, "From", s->c->mail_from) ||
	    header(s, "To", m->to) || header(s, "Subject", m->subject) ||
	    header(s, "Message-ID", mid) ||
	    header(s, "X-Dgagg-Notice", m->notice) ||
	    header(s, "MIME-Version", "1.0") ||
	    header(s, "Content-Type", "text/plain; charset=utf-8") ||
	    header(s, "Content-Transfer-Encoding", "8bit") ||
	    put(s, "\r\n", 2))
		return -1;
	for (const char *p = m->body ? m->body : ""; *p; p++)
		if ((*p == '\n' && (p == m->body || p[-1] != '\r') &&
		    put(s, "\r", 1)) || put(s, p, 1))
			return -1;
	return 0;
}

static size_t
on_read(char *buf, size_t sz, size_t nm, void *ud)
{
	struct dg_sender *s = ud;
	size_t k = s->len - s->off;

	if (k > sz * nm)
		k = sz * nm;
	memcpy(buf, s->msg + s->off, k);
	s->off += k;
	return k;
}

static int
smtp_outcome(CURLcode rc, long code)
{
	if (rc == CURLE_OK)
		return DG_SENT;
	if (code >= 400 && code <= 499)
		return DG_TEMPORARY;
	if (code >= 500)
		return DG_PERMANENT;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return DG_TEMPORARY;
	default:	/* TLS not offered or not verified, login refused */
		return DG_PERMANENT;
	}
}

static int
send_mail(struct dg_sender *s, const struct dg_message *m, int *outcome,
    char *reply, size_t n)
{
	const struct dg_notify_conf *c = s->c;
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt;
	CURL *h = s->smtp;
	long code = 0;
	CURLcode rc;

	if (c->smtp_url == NULL || c->mail_from == NULL) {
		*outcome = DG_PERMANENT;
		snprintf(reply, n, "no smtp_url or mail_from configured");
		return DG_OK;
	}
	if (compose(s, m) != 0 || (rcpt = curl_slist_append(NULL, m->to)) ==
	    NULL)
		return DG_ENOMEM;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(c->timeout_s * 1000));
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->smtp_starttls ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (c->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cacert);
	if (c->smtp_user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password ?
		    c->smtp_password : "");
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->mail_from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, s);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)s->len);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	*outcome = smtp_outcome(rc, code);
	if (rc == CURLE_OK)
		snprintf(reply, n, "%ld accepted", code);
	else
		snprintf(reply, n, "%s%s%ld", ebuf[0] ? ebuf :
		    curl_easy_strerror(rc), code ? ": reply " : "", code);
	if (!code && rc != CURLE_OK)
		snprintf(reply, n, "%s", ebuf[0] ? ebuf :
		    curl_easy_strerror(rc));
	return DG_OK;
}

/* --- Webhook and SMS ---------------------------------------------------- */

static int
http_outcome(int st, int transient, long status)
{
	if (st != DG_OK)
		return transient ? DG_TEMPORARY : DG_PERMANENT;
	if (status >= 200 && status <= 299)
		return DG_SENT;
	if (status == 408 || status == 425 || status == 429 || status >= 500)
		return DG_TEMPORARY;
	return DG_PERMANENT;
}

static int
post(struct dg_sender *s, const char *url, const char *const *hdr,
    size_t nh, const char *body, const char *userpwd, int *outcome,
    char *reply, size_t n)
{
	struct dg_http_resp r = { 0 };
	struct dg_error err;
	int st, tr = 0;

	st = dg_http_request(&s->http, "POST", url, hdr, nh, body,
	    strlen(body), userpwd, &r, &tr, &err);
	if (st == DG_ENOMEM) {
		dg_http_resp_release(&r);
		return st;
	}
	*outcome = http_outcome(st, tr, r.status);
	if (st != DG_OK)
		snprintf(reply, n, "%s", err.msg);
	else
		snprintf(reply, n, "HTTP %ld%s%.200s", r.status,
		    r.len ? ": " : "", r.body ? r.body : "");
	dg_http_resp_release(&r);
	return DG_OK;
}

static int
send_webhook(struct dg_sender *s, const struct dg_message *m, int *outcome,
    char *reply, size_t n)
{
	struct json_object *o = json_object_new_object();
	char key[400], auth[1100];
	const char *hdr[3] = { "Content-Type: application/json", key, auth };
	int st;

	snprintf(key, sizeof(key), "Idempotency-Key: %s", m->key);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
	    s->c->webhook_token ? s->c->webhook_token : "");
	json_object_object_add(o, "text", json_object_new_string(m->text));
	json_object_object_add(o, "notice", json_object_new_string(m->notice));
	json_object_object_add(o, "event", json_object_new_string(m->event));
	json_object_object_add(o, "site", json_object_new_string(m->site));
	json_object_object_add(o, "kind", json_object_new_string(m->kind));
	json_object_object_add(o, "ack_url",
	    json_object_new_string(m->ack_url));
	st = post(s, m->to, hdr, s->c->webhook_token ? 3 : 2,
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), NULL,
	    outcome, reply, n);
	json_object_put(o);
	return st;
}

static int
send_sms(struct dg_sender *s, const struct dg_message *m, int *outcome,
    char *reply, size_t n)
{
	static const char *const hdr[] = {
		"Content-Type: application/x-www-form-urlencoded" };
	const struct dg_notify_conf *c = s->c;
	char body[8192], up[600];
	size_t k = 0;

	if (c->sms_url == NULL) {
		*outcome = DG_PERMANENT;
		snprintf(reply, n, "no sms_url configured");
		return DG_OK;
	}
	if (dg_http_form_add(body, sizeof(body), &k, "to", m->to) ||
	    dg_http_form_add(body, sizeof(body), &k, "from", c->sms_from) ||
	    dg_http_form_add(body, sizeof(body), &k, "body", m->text) ||
	    dg_http_form_add(body, sizeof(body), &k, "ref", m->key)) {
		*outcome = DG_PERMANENT;
		snprintf(reply, n, "the message is too long for SMS");
		return DG_OK;
	}
	snprintf(up, sizeof(up), "%s:%s", c->sms_user ? c->sms_user : "",
	    c->sms_password ? c->sms_password : "");
	return post(s, c->sms_url, hdr, 1, body, c->sms_user ? up : NULL,
	    outcome, reply, n);
}

int
dg_sender_send(struct dg_sender *s, int channel, const struct dg_message *m,
    int *outcome, char *reply, size_t n)
{
	switch (channel) {
	case DG_CH_EMAIL:	return send_mail(s, m, outcome, reply, n);
	case DG_CH_WEBHOOK:	return send_webhook(s, m, outcome, reply, n);
	default:		return send_sms(s, m, outcome, reply, n);
	}
}
