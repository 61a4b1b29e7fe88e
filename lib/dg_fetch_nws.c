/* dg_fetch_nws.c: the National Weather Service's api.weather.gov JSON:
 * gridpoint hourly forecasts and station observations. */
#include <config.h>

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dg_fetch_impl.h"

static struct json_object *
jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int
jnum(struct json_object *v, double *x)
{
	if (v == NULL || (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return -1;
	*x = json_object_get_double(v);
	return 0;
}

/* temp in degC or degF (unit "C"/"F" or "...degC"/"...degF"). */
static int
set_temp(struct dg_fetch_row *row, double x, const char *unit)
{
	dg_dec d, f;
	int st;

	if (unit == NULL)
		return DG_EDATA;
	if ((st = dg_dec_from_double(x, 2, &d)) != DG_OK)
		return st;
	if (strcmp(unit, "F") == 0 || strstr(unit, "degF") != NULL) {
		dg_fetch_row_set(row, DG_FV_TEMP_F, d);
		return DG_OK;
	}
	if (strcmp(unit, "C") != 0 && strstr(unit, "degC") == NULL)
		return DG_EDATA;
	/* F = C x 1.8 + 32, rounded once to 0.01 */
	if ((st = dg_dec_mul(d, dg_dec_make(18, 1), 3, &f)) != DG_OK ||
	    (st = dg_dec_add(f, dg_dec_make(32, 0), &f)) != DG_OK ||
	    (st = dg_dec_rescale(f, 2, &f)) != DG_OK)
		return st;
	dg_fetch_row_set(row, DG_FV_TEMP_F, f);
	return DG_OK;
}

static int
jfail(struct dg_fetch_ctx *p, const char *where, long i, const char *msg)
{
	return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL, "%s[%ld]: %s",
	    where, i, msg);
}

static int
jstamp(const char *s, dg_time *t)
{
	struct dg_tstamp ts;
	const char *why;

	if (s == NULL || dg_time_parse(s, strlen(s), 0, &ts, &why) != DG_OK)
		return -1;
	*t = ts.t;
	return 0;
}

static int
parse_nws_forecast(struct dg_fetch_ctx *p, struct json_object *root)
{
	struct json_object *periods = jget(jget(root, "properties"), "periods");
	size_t n;
	const char *label = p->f && p->f->label ? p->f->label : "gridpoint";

	if (periods == NULL || !json_object_is_type(periods, json_type_array))
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no properties.periods array: not a gridpoint forecast");
	n = json_object_array_length(periods);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(periods, i);
		struct json_object *rh = jget(jget(e, "relativeHumidity"),
		    "value");
		struct json_object *tv;
		struct dg_fetch_row *row = dg_fetch_ctx_row(p);
		const char *tu;
		dg_time a, b;
		double x;
		dg_dec d;

		if (row == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = (long)i;
		snprintf(row->zone, sizeof(row->zone), "%s", label);
		if (jstamp(json_object_get_string(jget(e, "startTime")), &a) ||
		    jstamp(json_object_get_string(jget(e, "endTime")), &b) ||
		    b <= a)
			return jfail(p, "periods", (long)i, "startTime/endTime "
			    "missing or not ISO 8601 with offset");
		row->t = a;
		row->dur = (int32_t)(b - a);
		row->day = dg_date_of(a);
		/* "temperature": 78 with "temperatureUnit": "F", or (newer
		 * API) {"unitCode": "wmoUnit:degF", "value": 78} */
		tv = jget(e, "temperature");
		tu = json_object_get_string(jget(e, "temperatureUnit"));
		if (tv != NULL && json_object_is_type(tv, json_type_object)) {
			tu = json_object_get_string(jget(tv, "unitCode"));
			tv = jget(tv, "value");
		}
		if (tv == NULL || json_object_is_type(tv, json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(tv, &x) || set_temp(row, x, tu) != DG_OK)
			return jfail(p, "periods", (long)i,
			    "temperature or temperatureUnit not understood");
		if (rh == NULL || json_object_is_type(rh, json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(rh, &x) || x < 0 || x > 100 ||
		    dg_dec_from_double(x, 1, &d) != DG_OK)
			return jfail(p, "periods", (long)i,
			    "relativeHumidity.value not a percentage");
		else
			dg_fetch_row_set(row, DG_FV_RH, d);
	}
	return DG_OK;
}

static void
qc_flag(struct dg_fetch_row *row, struct json_object *q)
{
	const char *s = json_object_get_string(jget(q, "qualityControl"));

	if (s == NULL)
		return;
	if (strncmp(s, "qc:", 3) == 0)
		s += 3;
	if (strcmp(s, "X") == 0 || strcmp(s, "Q") == 0)
		row->quality |= DG_FQ_QC;
}

static int
parse_nws_obs(struct dg_fetch_ctx *p, struct json_object *root)
{
	struct json_object *feats = jget(root, "features");
	size_t n;

	if (feats == NULL || !json_object_is_type(feats, json_type_array))
		return dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
		    "no features array: not station observations");
	n = json_object_array_length(feats);
	for (size_t i = 0; i < n; i++) {
		struct json_object *pr = jget(
		    json_object_array_get_idx(feats, i), "properties");
		struct json_object *tp = jget(pr, "temperature");
		struct json_object *rh = jget(pr, "relativeHumidity");
		const char *st = json_object_get_string(jget(pr, "station"));
		struct dg_fetch_row *row = dg_fetch_ctx_row(p);
		const char *slash;
		double x;
		dg_dec d;

		if (row == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = (long)i;
		if (st == NULL || st[0] == '\0')
			return jfail(p, "features", (long)i, "no station");
		slash = strrchr(st, '/');
		snprintf(row->zone, sizeof(row->zone), "%s",
		    slash ? slash + 1 : st);
		if (jstamp(json_object_get_string(jget(pr, "timestamp")),
		    &row->t))
			return jfail(p, "features", (long)i,
			    "timestamp missing or not ISO 8601 with offset");
		row->dur = 0;
		row->day = dg_date_of(row->t);
		if (jget(tp, "value") == NULL ||
		    json_object_is_type(jget(tp, "value"), json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(jget(tp, "value"), &x) ||
		    set_temp(row, x, json_object_get_string(jget(tp,
		    "unitCode"))) != DG_OK)
			return jfail(p, "features", (long)i,
			    "temperature value or unitCode not understood");
		else
			qc_flag(row, tp);
		if (jget(rh, "value") == NULL ||
		    json_object_is_type(jget(rh, "value"), json_type_null))
			row->quality |= DG_FQ_MISSING;
		else if (jnum(jget(rh, "value"), &x) || x < 0 || x > 100 ||
		    dg_dec_from_double(x, 1, &d) != DG_OK)
			return jfail(p, "features", (long)i,
			    "relativeHumidity.value not a percentage");
		else {
			dg_fetch_row_set(row, DG_FV_RH, d);
			qc_flag(row, rh);
		}
	}
	return DG_OK;
}

/* The JSON document buf, parsed by one of the two above. */
static int
parse_json(struct dg_fetch_ctx *p, const char *buf, size_t len,
    int (*parse)(struct dg_fetch_ctx *, struct json_object *))
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root;
	enum json_tokener_error je;
	int st;

	if (tok == NULL)
		return dg_fetch_ctx_oom(p);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	je = json_tokener_get_error(tok);
	if (root == NULL || je != json_tokener_success) {
		if (je == json_tokener_success || je == json_tokener_continue)
			st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
			    "not JSON: the document ends early (truncated) "
			    "at byte %zu",
			    (size_t)json_tokener_get_parse_end(tok));
		else
			st = dg_error_set(p->err, DG_EDATA, p->name, 0, NULL,
			    "not JSON: %s at byte %zu",
			    json_tokener_error_desc(je),
			    (size_t)json_tokener_get_parse_end(tok));
		json_object_put(root);
		json_tokener_free(tok);
		return st;
	}
	json_tokener_free(tok);
	st = parse(p, root);
	json_object_put(root);
	return st;
}

int
dg_fetch_nws_forecast(struct dg_fetch_ctx *p, const char *buf, size_t len)
{
	return parse_json(p, buf, len, parse_nws_forecast);
}

int
dg_fetch_nws_obs(struct dg_fetch_ctx *p, const char *buf, size_t len)
{
	return parse_json(p, buf, len, parse_nws_obs);
}

int
dg_fetch_nws_forecast_url(const struct dg_fetch_source *src,
    const char *base, dg_date d, int monthly, const char *ymd,
    const char *zone, char *url, size_t un, char *cname, size_t cn,
    struct dg_error *err)
{
	char safe[256];
	int st;

	(void)d;
	(void)monthly;
	if (zone == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "%s needs --zone WFO/X,Y (a gridpoint)", src->name);
	snprintf(safe, sizeof(safe), "%s", zone);
	for (char *c = safe; *c; c++)
		if (!isalnum((unsigned char)*c))
			*c = '_';
	if ((st = dg_fetch_url_fmt(cname, cn, err, "forecast_hourly_%s_%s.json",
	    safe, ymd)) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err,
	    "%s/gridpoints/%s/forecast/hourly", base, zone);
}

/* The observations of the local day d. */
int
dg_fetch_nws_obs_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	dg_time a, b;
	struct tm ta, tb;
	time_t ta_t, tb_t;
	char z[256];
	int st;

	(void)monthly;
	if (zone == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "%s needs --zone STATION", src->name);
	if (dg_date_start(d, &a) || dg_date_start(d + 1, &b))
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "no local midnight");
	ta_t = (time_t)a;
	tb_t = (time_t)(b - 1);
	gmtime_r(&ta_t, &ta);
	gmtime_r(&tb_t, &tb);
	dg_fetch_url_escape(zone, z, sizeof(z));
	if ((st = dg_fetch_url_fmt(cname, cn, err, "observations_%s_%s.json", z,
	    ymd)) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err, "%s/stations/%s/observations"
	    "?start=%04d-%02d-%02dT%02d:%02d:%02dZ"
	    "&end=%04d-%02d-%02dT%02d:%02d:%02dZ", base, z,
	    ta.tm_year + 1900, ta.tm_mon + 1, ta.tm_mday, ta.tm_hour,
	    ta.tm_min, ta.tm_sec, tb.tm_year + 1900, tb.tm_mon + 1,
	    tb.tm_mday, tb.tm_hour, tb.tm_min, tb.tm_sec);
}
