/* dg_openadr_ledger.c: what a VTN's events mean for the ledger, and the
 * reports a VEN posts back (see dg_openadr.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "dg_openadr.h"
#include "dg_util.h"

/* Our name of the VTN program of the event, or NULL when not followed. */
static const char *
our_program(const struct dg_oadr_conf *c, const struct dg_oadr_event *e)
{
	if (c->nprograms == 0)
		return e->program;
	for (size_t i = 0; i < c->nprograms; i++)
		if (e->program && strcmp(e->program, c->our_names[i]) == 0)
			return e->program;
	return NULL;
}

static struct dg_ledger_rec *
rec(struct dg_intake *out, int kind, dg_time now, const char *id,
    const char *program, const char *ref)
{
	struct dg_ledger_rec *r = dg_intake_add(out, kind, now);

	if (r == NULL)
		return NULL;
	r->event = id;
	r->program = program;
	r->source = "openadr";
	r->ref = ref;
	return r;
}

static int
site_known(const struct dg_ledger_event *le, const char *site)
{
	for (size_t i = 0; i < le->nsites; i++)
		if (strcmp(le->sites[i], site) == 0)
			return 1;
	return 0;
}

/* The records of one event seen in a poll. */
static int
event_records(const struct dg_ledger_events *es, const struct dg_oadr_event *e,
    const char *program, dg_time now, const char *id, const char *ref,
    struct dg_intake *out)
{
	const struct dg_ledger_event *le = dg_ledger_events_find(es, id);
	int kind = le == NULL ? DG_LK_CALL : DG_LK_CHANGE;
	struct dg_ledger_rec *r;
	size_t first = out->n;

	if (e->cancelled)
		return le == NULL || le->status == DG_LS_CANCELLED ? 0 :
		    rec(out, DG_LK_CANCEL, now, id, NULL, ref) ? 0 : -1;
	for (size_t i = 0; i < (e->nsites ? e->nsites : 1); i++) {
		if (le && e->nsites && site_known(le, e->sites[i]) &&
		    out->n > first)
			continue;
		if ((r = rec(out, kind, now, id, program, ref)) == NULL)
			return -1;
		r->site = e->nsites ? dg_intake_str(out, e->sites[i]) : NULL;
		r->zone = dg_intake_str(out, e->zone);
		r->received = e->created != DG_LEDGER_NOTIME ? e->created : now;
		r->detail = dg_intake_str(out, e->payloads);
		if (out->n == first + 1) {
			r->start = e->start;
			r->end = e->end;
		}
	}
	return 0;
}

/* Events of a followed program that the VTN no longer has, before their
 * end: called off. */
static int
gone(const struct dg_oadr_conf *c, const struct dg_ledger_events *es,
    const struct dg_oadr_event *v, size_t n, dg_time now,
    struct dg_intake *out)
{
	for (size_t i = 0; i < es->n; i++) {
		const struct dg_ledger_event *le = &es->v[i];
		int found = 0, followed = c->nprograms == 0;

		if (strncmp(le->id, "OADR-", 5) != 0 ||
		    le->status != DG_LS_CALLED || le->end <= now)
			continue;
		for (size_t k = 0; k < n && !found; k++)
			found = strcmp(v[k].id, le->id + 5) == 0;
		for (size_t k = 0; k < c->nprograms && !followed; k++)
			followed = strcmp(c->our_names[k], le->program) == 0;
		if (!found && followed) {
			struct dg_ledger_rec *r = rec(out, DG_LK_CANCEL, now,
			    le->id, NULL, NULL);

			if (r == NULL)
				return -1;
			r->detail = "deleted on the VTN before its end";
		}
	}
	return 0;
}

int
dg_oadr_records(const struct dg_oadr_conf *c,
    const struct dg_ledger_events *es,
    int (*seen)(void *arg, const char *ref), void *arg,
    const struct dg_oadr_event *v, size_t n, dg_time now,
    struct dg_intake *out, struct dg_error *err)
{
	char id[300], ref[600];

	for (size_t i = 0; i < n; i++) {
		const char *program = our_program(c, &v[i]);
		const char *pid, *pref;

		if (program == NULL || v[i].open_ended)
			continue;
		snprintf(id, sizeof(id), "OADR-%s", v[i].id);
		snprintf(ref, sizeof(ref), "%s/%s@%s", v[i].program_id, v[i].id,
		    v[i].version);
		if (seen(arg, ref))
			continue;
		if ((pid = dg_intake_str(out, id)) == NULL ||
		    (pref = dg_intake_str(out, ref)) == NULL ||
		    (program = dg_intake_str(out, program)) == NULL ||
		    event_records(es, &v[i], program, now, pid, pref, out) != 0)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	if (gone(c, es, v, n, now, out) != 0)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	return DG_OK;
}

/* --- Reports ----------------------------------------------------------- */

struct resource {
	char *site;
	struct json_object *intervals;
	int n;
};

struct report {
	struct resource *v;
	size_t n, cap, nint;
	dg_time first;
};

static struct json_object *
payload(const char *type, const char *value)
{
	struct json_object *p = json_object_new_object();
	struct json_object *vals = json_object_new_array();
	double x = strtod(value, NULL);

	json_object_object_add(p, "type", json_object_new_string(type));
	/* the number as read, digit for digit */
	json_object_array_add(vals, json_object_new_double_s(x, value));
	json_object_object_add(p, "values", vals);
	return p;
}

static struct json_object *
quality(const char *q)
{
	struct json_object *p = json_object_new_object();
	struct json_object *vals = json_object_new_array();

	json_object_object_add(p, "type",
	    json_object_new_string("DATA_QUALITY"));
	json_object_array_add(vals, json_object_new_string(q));
	json_object_object_add(p, "values", vals);
	return p;
}

static struct json_object *
period_json(dg_time start)
{
	struct json_object *ip = json_object_new_object();
	char s[32];
	int64_t t = start;
	dg_date d = (dg_date)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	int64_t sec = t - (int64_t)d * 86400;
	int y, mo, dd;

	dg_date_to_ymd(d, &y, &mo, &dd);
	snprintf(s, sizeof(s), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, dd,
	    (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
	json_object_object_add(ip, "start", json_object_new_string(s));
	json_object_object_add(ip, "duration", json_object_new_string("PT1H"));
	return ip;
}

static struct resource *
resource(struct report *rp, const char *site)
{
	for (size_t i = 0; i < rp->n; i++)
		if (strcmp(rp->v[i].site, site) == 0)
			return &rp->v[i];
	if (dg_grow(&rp->v, &rp->cap, rp->n + 1, sizeof(*rp->v)) != 0 ||
	    (rp->v[rp->n].site = strdup(site)) == NULL)
		return NULL;
	rp->v[rp->n].intervals = json_object_new_array();
	rp->v[rp->n].n = 0;
	return &rp->v[rp->n++];
}

/* One dg-cbl row of the event: an interval of its site. */
static int
report_row(struct report *rp, struct dg_csv *r, const int *col)
{
	struct json_object *iv, *pls;
	struct resource *res;
	struct dg_tstamp ts;
	dg_dec base, use, delta;
	char b[3][40];

	int hb = !dg_csv_is_empty(r, col[3]), hu = !dg_csv_is_empty(r, col[4]);

	if (dg_csv_get_time(r, col[2], &ts) != DG_OK ||
	    (hb && dg_csv_get_dec(r, col[3], &base) != DG_OK) ||
	    (hu && dg_csv_get_dec(r, col[4], &use) != DG_OK))
		return DG_EDATA;
	if (hb && hu && dg_dec_sub(use, base, &delta) != DG_OK)
		return dg_csv_fail(r, col[4], DG_ERANGE, "out of range");
	if ((res = resource(rp, dg_csv_field(r, col[0], NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	iv = json_object_new_object();
	json_object_object_add(iv, "id", json_object_new_int(res->n++));
	json_object_object_add(iv, "intervalPeriod", period_json(ts.t));
	pls = json_object_new_array();
	if (hb) {
		dg_dec_format(base, b[0], sizeof(b[0]));
		json_object_array_add(pls, payload("BASELINE", b[0]));
	}
	if (hu) {
		dg_dec_format(use, b[1], sizeof(b[1]));
		json_object_array_add(pls, payload("USAGE", b[1]));
	}
	if (hb && hu) {
		dg_dec_format(delta, b[2], sizeof(b[2]));
		json_object_array_add(pls, payload("DELTA_USAGE", b[2]));
	} else	/* a meter reading or a baseline missing */
		json_object_array_add(pls, quality("MISSING"));
	json_object_object_add(iv, "payloads", pls);
	json_object_array_add(res->intervals, iv);
	rp->nint++;
	return DG_OK;
}

static int
report_read(struct report *rp, const char *event, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "site", "event", "time",
		"adjusted_cbl_kw", "actual_kw" };
	struct dg_csv *r;
	int col[5], st;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5 && st == DG_OK; i++)
		st = dg_csv_require(r, names[i], &col[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		if (strcmp(dg_csv_field(r, col[1], NULL), event) == 0)
			st = report_row(rp, r, col);
	if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK && err)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

static struct json_object *
descriptors(void)
{
	static const char *const types[] = { "BASELINE", "USAGE",
		"DELTA_USAGE" };
	struct json_object *a = json_object_new_array();

	for (int i = 0; i < 3; i++) {
		struct json_object *d = json_object_new_object();

		json_object_object_add(d, "objectType",
		    json_object_new_string("REPORT_PAYLOAD_DESCRIPTOR"));
		json_object_object_add(d, "payloadType",
		    json_object_new_string(types[i]));
		json_object_object_add(d, "readingType", json_object_new_string(
		    i == 0 ? "ESTIMATED" : "DIRECT_READ"));
		json_object_object_add(d, "units",
		    json_object_new_string("KW"));
		json_object_array_add(a, d);
	}
	return a;
}

/* The VTN's programID and eventID from the ledger event's ref. */
static int
vtn_ids(const struct dg_ledger_event *e, char *prog, char *ev, size_t n)
{
	const char *slash, *at;

	if (e->ref == NULL || (slash = strchr(e->ref, '/')) == NULL ||
	    (at = strchr(slash, '@')) == NULL ||
	    (size_t)(slash - e->ref) >= n || (size_t)(at - slash) > n)
		return -1;
	snprintf(prog, n, "%.*s", (int)(slash - e->ref), e->ref);
	snprintf(ev, n, "%.*s", (int)(at - slash - 1), slash + 1);
	return 0;
}

int
dg_oadr_report_json(const struct dg_oadr_conf *c,
    const struct dg_ledger_event *e, const char *cbl_path,
    const struct dg_csv_opts *o, char **json, size_t *nsites,
    size_t *nintervals, struct dg_error *err)
{
	struct report rp;
	struct json_object *root, *res;
	char prog[256], ev[256], name[400];
	int st;

	memset(&rp, 0, sizeof(rp));
	*json = NULL;
	if (vtn_ids(e, prog, ev, sizeof(prog)) != 0)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "event \"%s\" did not come from an OpenADR VTN (its last "
		    "record's ref is not PROGRAMID/EVENTID@VERSION)", e->id);
	st = report_read(&rp, e->id, cbl_path, o, err);
	if (st == DG_OK && rp.n == 0)
		st = dg_error_set(err, DG_EDATA, cbl_path, 0, "event",
		    "no row of event \"%s\"", e->id);
	root = json_object_new_object();
	json_object_object_add(root, "programID", json_object_new_string(prog));
	json_object_object_add(root, "eventID", json_object_new_string(ev));
	json_object_object_add(root, "clientName",
	    json_object_new_string(c->ven_name));
	snprintf(name, sizeof(name), "dgagg %s curtailment", e->id);
	json_object_object_add(root, "reportName",
	    json_object_new_string(name));
	json_object_object_add(root, "payloadDescriptors", descriptors());
	res = json_object_new_array();
	for (size_t i = 0; i < rp.n; i++) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(r, "resourceName",
		    json_object_new_string(rp.v[i].site));
		json_object_object_add(r, "intervals", rp.v[i].intervals);
		json_object_array_add(res, r);
		free(rp.v[i].site);
	}
	json_object_object_add(root, "resources", res);
	if (st == DG_OK && (*json = strdup(json_object_to_json_string_ext(root,
	    JSON_C_TO_STRING_PLAIN))) == NULL)
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	*nsites = rp.n;
	*nintervals = rp.nint;
	json_object_put(root);
	free(rp.v);
	return st;
}
