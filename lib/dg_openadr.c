/* dg_openadr.c: OpenADR 3 objects: the VEN's configuration, durations and
 * times, events read from JSON, the ledger records they make (see
 * dg_openadr.h).  The HTTP session is in dg_openadr_client.c. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "dg_conf.h"
#include "dg_openadr.h"
#include "dg_openadr_int.h"
#include "dg_util.h"

/* --- The configuration ---------------------------------------------------- */

void
dg_oadr_conf_release(struct dg_oadr_conf *c)
{
	free(c->vtn_url);
	free(c->token_url);
	free(c->client_id);
	free(c->client_secret);
	free(c->scope);
	free(c->ven_name);
	free(c->cacert);
	for (size_t i = 0; i < c->nprograms; i++) {
		free(c->vtn_names[i]);
		free(c->our_names[i]);
	}
	free(c->vtn_names);
	free(c->our_names);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* "VTN=OURS, NAME, ..." into the programs followed. */
static int
conf_programs(struct dg_oadr_conf *c, const char *list)
{
	char *copy = strdup(list), *save = NULL, *item;
	size_t cap = 0, cap2 = 0;

	if (copy == NULL)
		return -1;
	for (item = strtok_r(copy, ",", &save); item;
	    item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '='), *a, *b;

		if (eq)
			*eq = '\0';
		a = item + strspn(item, " \t");
		b = eq ? eq + 1 + strspn(eq + 1, " \t") : a;
		for (char *p = a + strlen(a); p > a && p[-1] == ' '; )
			*--p = '\0';
		for (char *p = b + strlen(b); p > b && p[-1] == ' '; )
			*--p = '\0';
		if (*a == '\0' || *b == '\0')
			continue;
		if (dg_grow(&c->vtn_names, &cap, c->nprograms + 1,
		    sizeof(char *)) || dg_grow(&c->our_names, &cap2,
		    c->nprograms + 1, sizeof(char *)) ||
		    (c->vtn_names[c->nprograms] = strdup(a)) == NULL ||
		    (c->our_names[c->nprograms++] = strdup(b)) == NULL) {
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

static int
conf_fill(struct dg_oadr_conf *c, const struct dg_conf *f,
    struct dg_error *err)
{
	static const char *const need[] = { "vtn_url", "client_id",
		"client_secret" };
	char tok[2048];
	const char *u;

	for (int i = 0; i < 3; i++)
		if (dg_conf_get(f, need[i], NULL) == NULL)
			return dg_error_set(err, DG_EDATA, f->file, 0, need[i],
			    "\"%s\" is required", need[i]);
	u = dg_conf_get(f, "vtn_url", NULL);
	snprintf(tok, sizeof(tok), "%s%sauth/token", u,
	    u[0] && u[strlen(u) - 1] == '/' ? "" : "/");
	c->vtn_url = strdup(u);
	c->token_url = strdup(dg_conf_get(f, "token_url", tok));
	c->client_id = strdup(dg_conf_get(f, "client_id", NULL));
	c->client_secret = strdup(dg_conf_get(f, "client_secret", NULL));
	c->scope = dup_or_null(dg_conf_get(f, "scope", NULL));
	c->ven_name = strdup(dg_conf_get(f, "ven_name", c->client_id ?
	    c->client_id : ""));
	c->cacert = dup_or_null(dg_conf_get(f, "cacert", NULL));
	if (!c->vtn_url || !c->token_url || !c->client_id ||
	    !c->client_secret || !c->ven_name ||
	    (dg_conf_get(f, "programs", NULL) &&
	    conf_programs(c, dg_conf_get(f, "programs", NULL)) != 0))
		return dg_error_set(err, DG_ENOMEM, f->file, 0, NULL,
		    "out of memory");
	return dg_conf_number(f, "timeout", 30, 1, 3600, &c->timeout_s, err);
}

int
dg_oadr_conf_read(struct dg_oadr_conf *c, const char *path,
    struct dg_error *err)
{
	static const char *const known[] = { "vtn_url", "token_url",
		"client_id", "client_secret", "scope", "ven_name", "programs",
		"cacert", "timeout", NULL };
	struct dg_conf f;
	int st;

	memset(c, 0, sizeof(*c));
	if ((st = dg_conf_read(&f, path, known, err)) == DG_OK)
		st = conf_fill(c, &f, err);
	if (st == DG_OK && (c->file = strdup(path)) == NULL)
		st = dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	dg_conf_release(&f);
	return st;
}

/* --- Durations and times ---------------------------------------------- */

int
dg_oadr_duration(const char *s, int64_t *secs)
{
	int64_t total = 0, v;
	int time = 0, any = 0;
	char *end;

	if (*s == '-' || *s++ != 'P')
		return DG_EDATA;
	while (*s) {
		if (*s == 'T' && !time) {
			time = 1;
			s++;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return DG_EDATA;
		v = strtoll(s, &end, 10);
		if (*end == '.' || *end == ',') {	/* fractions: whole */
			while (isdigit((unsigned char)*++end))
				;
		}
		if (v > 100000000 || *end == '\0')
			return DG_EDATA;
		switch (time ? *end | 0x100 : *end) {
		case 'Y':		v *= 365 * 86400; break;
		case 'M':		v *= 30 * 86400; break;
		case 'W':		v *= 7 * 86400; break;
		case 'D':		v *= 86400; break;
		case 'H' | 0x100:	v *= 3600; break;
		case 'M' | 0x100:	v *= 60; break;
		case 'S' | 0x100:	break;
		default:		return DG_EDATA;
		}
		if (*end == 'Y' && !time && v >= (int64_t)9999 * 365 * 86400) {
			*secs = -1;
			return DG_OK;
		}
		total += v;
		any = 1;
		s = end + 1;
	}
	if (!any)
		return DG_EDATA;
	*secs = total;
	return DG_OK;
}

int
dg_oadr_datetime(const char *s, dg_time *t)
{
	int y, mo, d, h, mi, sec, k = 0, oh = 0, om = 0;
	const char *p;

	if (strncmp(s, "0000-00-00", 10) == 0) {
		*t = DG_LEDGER_NOTIME;
		return DG_OK;
	}
	if (sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &sec, &k) != 6 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		return DG_EDATA;
	p = s + k;
	if (*p == '.')
		while (isdigit((unsigned char)*++p))
			;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh,
	    &om) == 2 && strlen(p) == 6) {
		if (*p == '-')
			oh = -oh, om = -om;
		p += 6;
	} else
		return DG_EDATA;
	if (*p != '\0')
		return DG_EDATA;
	*t = (dg_time)dg_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - oh * 3600 - om * 60;
	return DG_OK;
}

/* --- Events from JSON -------------------------------------------------- */

void
dg_oadr_events_free(struct dg_oadr_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].program_id);
		free(v[i].program);
		free(v[i].name);
		free(v[i].version);
		for (size_t j = 0; j < v[i].nsites; j++)
			free(v[i].sites[j]);
		free(v[i].sites);
		free(v[i].zone);
		free(v[i].payloads);
	}
	free(v);
}

const char *
dg_oadr_jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

struct jctx {
	const char *what;
	size_t index;
	struct dg_error *err;
};

static int
jfail(const struct jctx *j, const char *msg, const char *val)
{
	return dg_error_set(j->err, DG_EDATA, j->what, 0, NULL,
	    "event %zu of the response: %s%s%s%s", j->index + 1, msg,
	    val ? ": \"" : "", val ? val : "", val ? "\"" : "");
}

/* The start and duration an intervalPeriod gives (either may be left as
 * it was: *start DG_LEDGER_NOTIME for "0000-00-00"). */
static int
period(const struct jctx *j, struct json_object *ip, dg_time *start,
    int64_t *dur, int *has_start)
{
	const char *s = dg_oadr_jstr(ip, "start");
	const char *d = dg_oadr_jstr(ip, "duration");

	*has_start = 0;
	if (ip == NULL)
		return DG_OK;
	if (s != NULL) {
		if (dg_oadr_datetime(s, start) != DG_OK)
			return jfail(j, "not a date-time", s);
		*has_start = 1;
	}
	if (d != NULL && dg_oadr_duration(d, dur) != DG_OK)
		return jfail(j, "not a duration", d);
	return DG_OK;
}

static void
payload_text(char *buf, size_t n, size_t *k, long id, struct json_object *pl)
{
	size_t np = json_object_is_type(pl, json_type_array) ?
	    json_object_array_length(pl) : 0;

	for (size_t i = 0; i < np && *k < n; i++) {
		struct json_object *p = json_object_array_get_idx(pl, i), *vals;
		const char *type = dg_oadr_jstr(p, "type");
		const char *v = "";
		int w;

		if (json_object_object_get_ex(p, "values", &vals) &&
		    json_object_is_type(vals, json_type_array) &&
		    json_object_array_length(vals) > 0)
			v = json_object_to_json_string_ext(
			    json_object_array_get_idx(vals, 0),
			    JSON_C_TO_STRING_PLAIN);
		w = snprintf(buf + *k, n - *k, "%s%ld:%s=%s", *k ? " " : "", id,
		    type ? type : "?", v);
		if (w > 0)
			*k += (size_t)w;
	}
}

/* The event's window from its intervals. */
static int
window(const struct jctx *j, struct json_object *ev, struct dg_oadr_event *e)
{
	struct json_object *ip = NULL, *ivs, *iv, *p;
	dg_time es = DG_LEDGER_NOTIME, at = DG_LEDGER_NOTIME, s;
	int64_t ed = 0, d;
	int has, zero = 1, st;
	char text[512] = "";
	size_t k = 0;

	json_object_object_get_ex(ev, "intervalPeriod", &ip);
	if ((st = period(j, ip, &es, &ed, &has)) != DG_OK)
		return st;
	e->open_ended = ed < 0;		/* a stream of intervals */
	if (!json_object_object_get_ex(ev, "intervals", &ivs) ||
	    !json_object_is_type(ivs, json_type_array))
		return jfail(j, "no intervals", NULL);
	e->start = e->end = DG_LEDGER_NOTIME;
	for (size_t i = 0; i < json_object_array_length(ivs); i++) {
		iv = json_object_array_get_idx(ivs, i);
		s = i == 0 ? es : at;
		d = ed;
		p = NULL;
		json_object_object_get_ex(iv, "intervalPeriod", &p);
		if ((st = period(j, p, &s, &d, &has)) != DG_OK)
			return st;
		if (has && s == DG_LEDGER_NOTIME)
			s = i == 0 ? es : at;
		if (d < 0)
			e->open_ended = 1;
		if (s == DG_LEDGER_NOTIME || d <= 0)
			continue;
		zero = 0;
		if (e->start == DG_LEDGER_NOTIME || s < e->start)
			e->start = s;
		at = s + d;
		if (e->end == DG_LEDGER_NOTIME || at > e->end)
			e->end = at;
		p = NULL;
		json_object_object_get_ex(iv, "payloads", &p);
		payload_text(text, sizeof(text), &k, json_object_get_int(
		    json_object_object_get(iv, "id")), p);
	}
	e->cancelled = zero && !e->open_ended;
	return (e->payloads = strdup(text)) ? DG_OK :
	    dg_error_set(j->err, DG_ENOMEM, j->what, 0, NULL, "out of memory");
}

/* Targets: RESOURCE_NAME values are sites, SERVICE_AREA the zone. */
static int
targets(struct json_object *ev, struct dg_oadr_event *e)
{
	struct json_object *ts, *t, *vals;
	size_t cap = 0;

	if (!json_object_object_get_ex(ev, "targets", &ts) ||
	    !json_object_is_type(ts, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		const char *type;

		t = json_object_array_get_idx(ts, i);
		type = dg_oadr_jstr(t, "type");

		if (type == NULL || !json_object_object_get_ex(t, "values",
		    &vals) || !json_object_is_type(vals, json_type_array))
			continue;
		for (size_t k = 0; k < json_object_array_length(vals); k++) {
			const char *v = json_object_get_string(
			    json_object_array_get_idx(vals, k));

			if (strcmp(type, "SERVICE_AREA") == 0 && !e->zone &&
			    (e->zone = strdup(v)) == NULL)
				return -1;
			if (strcmp(type, "RESOURCE_NAME") != 0)
				continue;
			if (dg_grow(&e->sites, &cap, e->nsites + 1,
			    sizeof(char *)) != 0 ||
			    (e->sites[e->nsites] = strdup(v)) == NULL)
				return -1;
			e->nsites++;
		}
	}
	return 0;
}

static int
one_event(const struct jctx *j, struct json_object *ev,
    struct dg_oadr_event *e)
{
	const char *id = dg_oadr_jstr(ev, "id");
	const char *prog = dg_oadr_jstr(ev, "programID");
	const char *mod = dg_oadr_jstr(ev, "modificationDateTime");
	const char *cre = dg_oadr_jstr(ev, "createdDateTime");
	int st;

	memset(e, 0, sizeof(*e));
	e->created = DG_LEDGER_NOTIME;
	if (!json_object_is_type(ev, json_type_object))
		return jfail(j, "not an object", NULL);
	if (id == NULL || prog == NULL || id[0] == '\0' ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-") != strlen(id))
		return jfail(j, "no id and programID (URL-safe object ids)",
		    id);
	if (cre && dg_oadr_datetime(cre, &e->created) != DG_OK)
		return jfail(j, "not a date-time", cre);
	if ((e->id = strdup(id)) == NULL ||
	    (e->program_id = strdup(prog)) == NULL ||
	    (e->version = strdup(mod ? mod : cre ? cre : "-")) == NULL ||
	    (dg_oadr_jstr(ev, "eventName") &&
	    (e->name = strdup(dg_oadr_jstr(ev, "eventName"))) == NULL) ||
	    targets(ev, e) != 0)
		return dg_error_set(j->err, DG_ENOMEM, j->what, 0, NULL,
		    "out of memory");
	if ((st = window(j, ev, e)) != DG_OK)
		return st;
	return DG_OK;
}

int
dg_oadr_parse_events(const char *json, size_t len, const char *what,
    struct dg_oadr_event **v, size_t *n, struct dg_error *err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	struct jctx j = { what, 0, err };
	size_t cnt;
	int st = DG_OK;

	*v = NULL;
	*n = 0;
	if (tok == NULL)
		return dg_error_set(err, DG_ENOMEM, what, 0, NULL,
		    "out of memory");
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (root == NULL || !json_object_is_type(root, json_type_array)) {
		json_tokener_free(tok);
		json_object_put(root);
		return dg_error_set(err, DG_EDATA, what, 0, NULL,
		    "the response is not a JSON array of events");
	}
	cnt = json_object_array_length(root);
	if ((*v = calloc(cnt + 1, sizeof(**v))) == NULL)
		st = dg_error_set(err, DG_ENOMEM, what, 0, NULL,
		    "out of memory");
	for (j.index = 0; st == DG_OK && j.index < cnt; j.index++) {
		st = one_event(&j, json_object_array_get_idx(root, j.index),
		    &(*v)[j.index]);
		*n = j.index + 1;
	}
	json_object_put(root);
	json_tokener_free(tok);
	return st;
}
