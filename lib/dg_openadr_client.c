/* dg_openadr_client.c: a VEN's HTTP session with its VTN: the OAuth2
 * token, the paged GETs of programs and events, reports posted (see
 * dg_openadr.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "dg_openadr.h"
#include "dg_openadr_int.h"
#include "dg_util.h"

#define PAGE 50			/* the specification's largest limit */
#define TOKEN_MARGIN 30		/* seconds before expiry to renew */

int
dg_oadr_open(struct dg_oadr *s, const struct dg_oadr_conf *c,
    struct dg_error *err)
{
	memset(s, 0, sizeof(*s));
	s->conf = c;
	if (dg_http_init(&s->http) != DG_OK)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "cannot start libcurl");
	s->http.timeout_s = c->timeout_s;
	s->http.cacert = c->cacert;
	return DG_OK;
}

void
dg_oadr_close(struct dg_oadr *s)
{
	dg_http_release(&s->http);
	free(s->token);
	s->token = NULL;
}

/* An error response: its status and what its body says (a problem's
 * title and detail, an OAuth2 error and its description). */
static int
refused(const char *method, const char *url, const struct dg_http_resp *r,
    struct dg_error *err)
{
	struct json_object *o = r->body ? json_tokener_parse(r->body) : NULL;
	const char *a = dg_oadr_jstr(o, "title");
	const char *b = dg_oadr_jstr(o, "detail");
	int st;

	if (a == NULL && b == NULL) {
		a = dg_oadr_jstr(o, "error");
		b = dg_oadr_jstr(o, "error_description");
	}
	st = dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
	    "%s %s: HTTP %ld%s%s%s%s", method, url, r->status, a ? ": " : "",
	    a ? a : "", b ? ": " : "", b ? b : "");
	json_object_put(o);
	return st;
}

static int
token_take(struct dg_oadr *s, const struct dg_http_resp *r,
    struct dg_error *err)
{
	struct json_object *o = json_tokener_parse(r->body), *exp;
	const char *tok = dg_oadr_jstr(o, "access_token");
	int64_t in = -1;

	if (tok == NULL || tok[0] == '\0') {
		json_object_put(o);
		return dg_error_set(err, DG_EDATA, s->conf->token_url, 0, NULL,
		    "the token response has no access_token");
	}
	if (json_object_object_get_ex(o, "expires_in", &exp))
		in = json_object_get_int64(exp);
	free(s->token);
	s->token = strdup(tok);
	s->token_expires = in > 0 ? (dg_time)time(NULL) + in : INT64_MAX;
	s->ntokens++;
	json_object_put(o);
	return s->token ? DG_OK : dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
	    "out of memory");
}

/* A new token (client credentials). */
static int
token_get(struct dg_oadr *s, struct dg_error *err)
{
	static const char *const hdr[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: application/json" };
	const struct dg_oadr_conf *c = s->conf;
	struct dg_http_resp r = { 0 };
	char form[9000];
	size_t k = 0;
	int st, tr;

	if (dg_http_form_add(form, sizeof(form), &k, "grant_type",
	    "client_credentials") ||
	    dg_http_form_add(form, sizeof(form), &k, "client_id",
	    c->client_id) ||
	    dg_http_form_add(form, sizeof(form), &k, "client_secret",
	    c->client_secret) ||
	    (c->scope && dg_http_form_add(form, sizeof(form), &k, "scope",
	    c->scope)))
		return dg_error_set(err, DG_EDATA, c->file, 0, NULL,
		    "client_id, client_secret or scope too long");
	st = dg_http_request(&s->http, "POST", c->token_url, hdr, 2, form, k,
	    NULL, &r, &tr, err);
	if (st == DG_OK && (r.status < 200 || r.status > 299))
		st = refused("POST", c->token_url, &r, err);
	else if (st == DG_OK)
		st = token_take(s, &r, err);
	dg_http_resp_release(&r);
	return st;
}

/* A request with the bearer token: a token near its expiry is renewed
 * first, and a 401 or 403 gets a new token and one more try. */
static int
authed(struct dg_oadr *s, const char *method, const char *url,
    const char *body, struct dg_http_resp *r, struct dg_error *err)
{
	char auth[4200];
	const char *hdr[3] = { auth, "Accept: application/json",
		"Content-Type: application/json" };
	int st, tr;

	for (int attempt = 0; attempt < 2; attempt++) {
		if ((s->token == NULL || attempt > 0 ||
		    (dg_time)time(NULL) + TOKEN_MARGIN >= s->token_expires) &&
		    (st = token_get(s, err)) != DG_OK)
			return st;
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    s->token);
		st = dg_http_request(&s->http, method, url, hdr, body ? 3 : 2,
		    body, body ? strlen(body) : 0, NULL, r, &tr, err);
		if (st != DG_OK)
			return st;
		if (r->status != 401 && r->status != 403)
			break;
	}
	if (r->status < 200 || r->status > 299)
		return refused(method, url, r, err);
	return DG_OK;
}

/* GET base/path?query&skip=N&limit=50, page by page, each page's JSON
 * array handed to fn. */
static int
paged(struct dg_oadr *s, const char *path, const char *query,
    int (*fn)(void *, const struct dg_http_resp *, const char *,
    struct dg_error *), void *arg, struct dg_error *err)
{
	const char *base = s->conf->vtn_url;
	size_t bl = strlen(base);
	struct dg_http_resp r = { 0 };
	char url[4096];
	int st = DG_OK, got = PAGE;

	for (long skip = 0; st == DG_OK && got == PAGE; skip += PAGE) {
		struct json_object *o;

		snprintf(url, sizeof(url), "%.*s/%s?%s%sskip=%ld&limit=%d",
		    (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, path,
		    query, query[0] ? "&" : "", skip, PAGE);
		if ((st = authed(s, "GET", url, NULL, &r, err)) != DG_OK)
			break;
		o = json_tokener_parse(r.body);
		got = json_object_is_type(o, json_type_array) ?
		    (int)json_object_array_length(o) : 0;
		json_object_put(o);
		st = fn(arg, &r, url, err);
	}
	dg_http_resp_release(&r);
	return st;
}

/* --- Programs and events ------------------------------------------------ */

struct poll {
	struct dg_oadr *s;
	char **ids, **names;	/* programs followed: VTN id, our name */
	size_t n, cap, cap2;
	struct dg_oadr_event *ev;
	size_t nev, capev;
	const char *program;	/* our name of the program being read */
};

/* Our name of a VTN program name, or NULL when not followed. */
static const char *
follow(const struct dg_oadr_conf *c, const char *vtn_name)
{
	if (c->nprograms == 0)
		return vtn_name;
	for (size_t i = 0; i < c->nprograms; i++)
		if (strcmp(c->vtn_names[i], vtn_name) == 0)
			return c->our_names[i];
	return NULL;
}

static int
programs_page(void *arg, const struct dg_http_resp *r, const char *url,
    struct dg_error *err)
{
	struct poll *p = arg;
	struct json_object *o = json_tokener_parse(r->body);
	int st = DG_OK;

	if (!json_object_is_type(o, json_type_array))
		st = dg_error_set(err, DG_EDATA, url, 0, NULL,
		    "the response is not a JSON array of programs");
	for (size_t i = 0; st == DG_OK && i < json_object_array_length(o);
	    i++) {
		struct json_object *pr = json_object_array_get_idx(o, i);
		const char *id = dg_oadr_jstr(pr, "id");
		const char *name = dg_oadr_jstr(pr, "programName");
		const char *ours = name ? follow(p->s->conf, name) : NULL;

		if (id == NULL || ours == NULL)
			continue;
		if (dg_grow(&p->ids, &p->cap, p->n + 1, sizeof(char *)) ||
		    dg_grow(&p->names, &p->cap2, p->n + 1, sizeof(char *)) ||
		    (p->ids[p->n] = strdup(id)) == NULL ||
		    (p->names[p->n++] = strdup(ours)) == NULL)
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	json_object_put(o);
	return st;
}

static int
events_page(void *arg, const struct dg_http_resp *r, const char *url,
    struct dg_error *err)
{
	struct poll *p = arg;
	struct dg_oadr_event *v;
	size_t n;
	int st = dg_oadr_parse_events(r->body, r->len, url, &v, &n, err);

	for (size_t i = 0; st == DG_OK && i < n; i++) {
		if (dg_grow(&p->ev, &p->capev, p->nev + 1, sizeof(*p->ev)) ||
		    (v[i].program = strdup(p->program)) == NULL) {
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
			break;
		}
		p->ev[p->nev++] = v[i];
		memset(&v[i], 0, sizeof(v[i]));
	}
	dg_oadr_events_free(v, n);
	return st;
}

static void
poll_free(struct poll *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->ids[i]);
		free(p->names[i]);
	}
	free(p->ids);
	free(p->names);
}

int
dg_oadr_poll(struct dg_oadr *s, struct dg_oadr_event **v, size_t *n,
    struct dg_error *err)
{
	struct poll p;
	char q[600], esc[520];
	int st;

	memset(&p, 0, sizeof(p));
	p.s = s;
	*v = NULL;
	*n = 0;
	st = paged(s, "programs", "", programs_page, &p, err);
	for (size_t i = 0; st == DG_OK && i < p.n; i++) {
		if (dg_http_escape(p.ids[i], esc, sizeof(esc)) != DG_OK)
			continue;
		snprintf(q, sizeof(q), "programID=%s", esc);
		p.program = p.names[i];
		st = paged(s, "events", q, events_page, &p, err);
	}
	s->skipped = 0;
	for (size_t i = 0; i < p.nev; i++)
		s->skipped += p.ev[i].open_ended != 0;
	poll_free(&p);
	if (st != DG_OK) {
		dg_oadr_events_free(p.ev, p.nev);
		return st;
	}
	*v = p.ev;
	*n = p.nev;
	return DG_OK;
}

int
dg_oadr_post_report(struct dg_oadr *s, const char *json, char **id,
    struct dg_error *err)
{
	struct dg_http_resp r = { 0 };
	char url[4096];
	const char *base = s->conf->vtn_url;
	size_t bl = strlen(base);
	struct json_object *o;
	const char *v;
	int st;

	*id = NULL;
	snprintf(url, sizeof(url), "%.*s/reports",
	    (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base);
	if ((st = authed(s, "POST", url, json, &r, err)) == DG_OK) {
		o = json_tokener_parse(r.body);
		v = dg_oadr_jstr(o, "id");
		*id = strdup(v ? v : "");
		json_object_put(o);
		if (*id == NULL)
			st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	dg_http_resp_release(&r);
	return st;
}
