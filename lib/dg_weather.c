/* dg_weather.c: a weather file read by station (see dg_weather.h). */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dg_util.h"
#include "dg_weather.h"

void
dg_weather_opts_init(struct dg_weather_opts *wo)
{
	memset(wo, 0, sizeof(*wo));
}

void
dg_weather_release(struct dg_weather *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].name);
		free(w->v[i].temp);
		free(w->v[i].rh);
	}
	free(w->v);
	memset(w, 0, sizeof(*w));
}

const struct dg_weather_station *
dg_weather_find(const struct dg_weather *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->v[i].name, name) == 0)
			return &w->v[i];
	return NULL;
}

static int
cmp_time(const void *a, const void *b)
{
	const struct dg_point *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

int
dg_weather_temp_at(const struct dg_weather_station *s, dg_time t,
    double *temp_f)
{
	struct dg_series view;
	long i;

	memset(&view, 0, sizeof(view));
	view.p = s->temp;
	view.n = s->ntemp;
	if ((i = dg_series_find(&view, t)) < 0)
		return 0;
	*temp_f = s->temp[i].v;
	return 1;
}

static struct dg_weather_station *
station_new(struct dg_weather *w, const char *name)
{
	struct dg_weather_station *v;

	if (dg_grow(&w->v, &w->cap, w->n + 1, sizeof(*w->v)) != 0)
		return NULL;
	v = &w->v[w->n];
	memset(v, 0, sizeof(*v));
	if ((v->name = strdup(name)) == NULL)
		return NULL;
	w->n++;
	return v;
}

/* A copy of the points (never NULL on success, even for none). */
static struct dg_point *
points_dup(const struct dg_point *p, size_t n)
{
	struct dg_point *c = malloc(n * sizeof(*c) + 1);

	if (c != NULL && n > 0)
		memcpy(c, p, n * sizeof(*c));
	return c;
}

static int
oom(struct dg_error *err)
{
	return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}

/* A file with a station column: one dg_series pass for temp_f, one more
 * for rh_pct when asked. */
static int
read_keyed(struct dg_weather *w, const char *path,
    const struct dg_weather_opts *wo, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_series_reader *sr;
	struct dg_series_opts so;
	struct dg_series s;
	int st;

	memset(&so, 0, sizeof(so));
	memset(&s, 0, sizeof(s));
	so.key_col = "station";
	so.value_col = "temp_f";
	so.hourly = wo->hourly;
	if ((st = dg_series_open(&sr, path, &so, o, err)) != DG_OK)
		return st;
	while ((st = dg_series_next(sr, &s)) == DG_OK) {
		struct dg_weather_station *ws = station_new(w, s.site);

		if (ws == NULL || (ws->temp = points_dup(s.p, s.n)) == NULL) {
			st = oom(err);
			break;
		}
		ws->ntemp = s.n;
		ws->line = s.n > 0 ? s.p[0].line : 0;
		for (size_t i = 1; i < s.n; i++)
			if (s.p[i].line < ws->line)
				ws->line = s.p[i].line;
	}
	dg_series_close(sr);
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK && wo->rh) {
		so.value_col = "rh_pct";
		if ((st = dg_series_open(&sr, path, &so, o, err)) != DG_OK)
			goto out;
		for (size_t i = 0; st == DG_OK && i < w->n; i++) {
			struct dg_weather_station *ws = &w->v[i];

			st = dg_series_next(sr, &s);
			if (st == DG_EOF)
				st = dg_error_set(err, DG_EINTERNAL, path, 0,
				    NULL, "station %s: no rh_pct pass",
				    ws->name);
			else if (st == DG_OK && strcmp(s.site, ws->name) != 0)
				st = dg_error_set(err, DG_EINTERNAL, path, 0,
				    NULL, "stations read in a different order");
			else if (st == DG_OK) {
				if ((ws->rh = points_dup(s.p, s.n)) == NULL)
					st = oom(err);
				ws->nrh = s.n;
			}
		}
		dg_series_close(sr);
	}
out:
	dg_series_release(&s);
	return st;
}

/* A file without a station column: one station "", read from r. */
static int
read_plain(struct dg_weather *w, struct dg_csv *r,
    const struct dg_weather_opts *wo, struct dg_error *err)
{
	struct dg_weather_station *ws;
	int st, c_time, c_temp, c_rh = -1;
	size_t cap = 0, rcap = 0;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "temp_f", &c_temp)) != DG_OK ||
	    (wo->rh && (st = dg_csv_require(r, "rh_pct", &c_rh)) != DG_OK))
		return st;
	if ((ws = station_new(w, "")) == NULL)
		return oom(err);
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		struct dg_point pt, ph;

		if (dg_grow(&ws->temp, &cap, ws->ntemp + 1,
		    sizeof(*ws->temp)) != 0 ||
		    (wo->rh && dg_grow(&ws->rh, &rcap, ws->nrh + 1,
		    sizeof(*ws->rh)) != 0))
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_temp, &pt.v)) != DG_OK ||
		    (c_rh >= 0 &&
		    (st = dg_csv_get_double(r, c_rh, &ph.v)) != DG_OK))
			return st;
		pt.t = ph.t = prev = dg_tstamp_pick(&ts, prev);
		pt.line = ph.line = dg_csv_line(r);
		if (ws->ntemp == 0)
			ws->line = pt.line;
		ws->temp[ws->ntemp++] = pt;
		if (c_rh >= 0)
			ws->rh[ws->nrh++] = ph;
	}
	if (st != DG_EOF)
		return st;
	if (ws->temp == NULL && (ws->temp = malloc(1)) == NULL)
		return oom(err);
	qsort(ws->temp, ws->ntemp, sizeof(*ws->temp), cmp_time);
	if (ws->rh != NULL)
		qsort(ws->rh, ws->nrh, sizeof(*ws->rh), cmp_time);
	for (size_t i = 1; i < ws->ntemp; i++)
		if (ws->temp[i].t == ws->temp[i - 1].t) {
			char b[DG_TIME_BUFSZ];

			dg_time_format(ws->temp[i].t, b, sizeof(b));
			return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0,
			    "time", "repeated hour %s", b);
		}
	return DG_OK;
}

/* Every reading within what a thermometer and a hygrometer can say. */
static int
check_range(const struct dg_weather *w, const char *path, struct dg_error *err)
{
	const char *name =
	    path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;

	for (size_t i = 0; i < w->n; i++) {
		const struct dg_weather_station *ws = &w->v[i];

		for (size_t j = 0; j < ws->ntemp; j++)
			if (!(ws->temp[j].v >= DG_WEATHER_TEMP_MIN_F &&
			    ws->temp[j].v <= DG_WEATHER_TEMP_MAX_F))
				return dg_error_set(err, DG_EDATA, name,
				    ws->temp[j].line, "temp_f",
				    "%.15g F is not a temperature (%g to %g)",
				    ws->temp[j].v, DG_WEATHER_TEMP_MIN_F,
				    DG_WEATHER_TEMP_MAX_F);
		for (size_t j = 0; j < ws->nrh; j++)
			if (!(ws->rh[j].v >= 0 && ws->rh[j].v <= 100))
				return dg_error_set(err, DG_EDATA, name,
				    ws->rh[j].line, "rh_pct",
				    "%.15g %% is not a relative humidity (0 to 100)",
				    ws->rh[j].v);
	}
	return DG_OK;
}

int
dg_weather_read(struct dg_weather *w, const char *path,
    const struct dg_weather_opts *wo, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st = DG_OK, c;

	memset(w, 0, sizeof(*w));
	w->keyed = 1;
	/* Standard input cannot be read twice: it has the station column. */
	if (path != NULL && strcmp(path, "-") != 0) {
		if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
			return st;
		if (dg_csv_col(r, "station") < 0) {
			w->keyed = 0;
			st = wo->need_station ?
			    dg_csv_require(r, "station", &c) :
			    read_plain(w, r, wo, err);
		}
		dg_csv_close(r);
	}
	if (w->keyed)
		st = read_keyed(w, path, wo, o, err);
	if (st == DG_OK)
		st = check_range(w, path, err);
	if (st != DG_OK)
		dg_weather_release(w);
	return st;
}
