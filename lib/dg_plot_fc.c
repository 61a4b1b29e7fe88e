/* dg_plot_fc.c: a site's forecast against its actual load, with the
 * band of the forecast +- the RMSE of the hours drawn (dg_plot.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_util.h"

struct fh {
	dg_time t;
	double f, sum;		/* forecast; sum of the actual readings */
	long cnt;		/* actual readings in the hour */
};

struct fc {
	struct fh *h;
	size_t n, cap;
	char *site;
};

static int
push(struct fc *fc, dg_time t, double f, double a)
{
	struct fh *h;

	if (dg_grow(&fc->h, &fc->cap, fc->n + 1, sizeof(*fc->h)) != 0)
		return DG_ENOMEM;
	h = &fc->h[fc->n++];
	h->t = t;
	h->f = f;
	h->sum = isnan(a) ? 0 : a;
	h->cnt = !isnan(a);
	return DG_OK;
}

/* The forecast's rows of the site (with the actual load of a backtest
 * file: actual >= 0). */
static int
read_fc(struct dg_csv *r, struct fc *fc, const char *fcol, int backtest,
    const struct dg_plot_opts *o, struct dg_error *err)
{
	int site, time, f, a = -1, st, k;
	struct dg_tstamp ts;
	double fv, av = NAN;

	if ((st = dg_plot_col(r, "site", &site)) != DG_OK ||
	    (st = dg_plot_col(r, "time", &time)) != DG_OK ||
	    (st = dg_plot_col(r, fcol, &f)) != DG_OK ||
	    (backtest && (st = dg_plot_col(r, "actual_kw", &a)) != DG_OK))
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if ((k = dg_plot_pick(r, site, o->site, &fc->site, "site",
		    "--site", err)) < 0)
			return -k;
		if (k == 0)
			continue;
		if ((st = dg_csv_get_time(r, time, &ts)) != DG_OK ||
		    (st = dg_plot_num(r, f, &fv)) != DG_OK ||
		    (st = dg_plot_num(r, a, &av)) != DG_OK ||
		    (st = push(fc, dg_tstamp_pick(&ts, fc->n ?
		    fc->h[fc->n - 1].t : 0), fv, av)) != DG_OK)
			return st;
	}
	if (st != DG_EOF)
		return st;
	if (fc->n == 0)
		return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    "no rows%s%s to draw",
		    o->site ? " of site " : "", o->site ? o->site : "");
	return DG_OK;
}

static int
by_time(const void *a, const void *b)
{
	const struct fh *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* The forecast hour that holds t, or NULL. */
static struct fh *
hour_of(struct fc *fc, dg_time t)
{
	size_t lo = 0, hi = fc->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fc->h[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || t >= fc->h[lo - 1].t + 3600)
		return NULL;
	return &fc->h[lo - 1];
}

/* The actual load of the site: each reading into the forecast hour that
 * holds it (the hour's mean); readings outside the forecast are left. */
static int
read_actual(struct dg_csv *r, struct fc *fc)
{
	int site, time, v, st;
	struct dg_tstamp ts;
	struct fh *h;
	double x;
	dg_time prev = 0;

	if ((st = dg_plot_col(r, "site", &site)) != DG_OK ||
	    (st = dg_plot_col(r, "time", &time)) != DG_OK ||
	    (st = dg_plot_col(r, "load_kw", &v)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if (strcmp(dg_csv_field(r, site, NULL), fc->site) != 0)
			continue;
		if ((st = dg_csv_get_time(r, time, &ts)) != DG_OK ||
		    (st = dg_plot_num(r, v, &x)) != DG_OK)
			return st;
		prev = dg_tstamp_pick(&ts, prev);
		if (isnan(x) || (h = hour_of(fc, prev)) == NULL)
			continue;
		h->sum += x;
		h->cnt++;
	}
	return st == DG_EOF ? DG_OK : st;
}

struct acc {
	double sse, sae, se;
	long n;
};

static int
series(struct dg_chart *c, const struct fc *fc, dg_time t0,
    const struct acc *a)
{
	double rmse = sqrt(a->sse / (double)a->n);
	char title[96];
	int st;

	snprintf(title, sizeof(title), "forecast ± RMSE (%.2f kW)", rmse);
	if ((st = dg_chart_series(c, DG_PLOT_BAND, title)) != DG_OK)
		return st;
	for (size_t i = 0; i < fc->n; i++)
		if ((st = dg_chart_point(c, dg_plot_x(t0, fc->h[i].t) + 0.5,
		    fc->h[i].f - rmse, fc->h[i].f + rmse)) != DG_OK)
			return st;
	if ((st = dg_chart_series(c, DG_PLOT_LINE, "actual load")) != DG_OK)
		return st;
	c->s[c->ns - 1].mark = fc->n <= 72;
	for (size_t i = 0; i < fc->n; i++)
		if ((st = dg_chart_point(c, dg_plot_x(t0, fc->h[i].t) + 0.5,
		    fc->h[i].cnt ? fc->h[i].sum / (double)fc->h[i].cnt : NAN,
		    NAN)) != DG_OK)
			return st;
	if ((st = dg_chart_series(c, DG_PLOT_LINE, "forecast")) != DG_OK)
		return st;
	for (size_t i = 0; i < fc->n; i++)
		if ((st = dg_chart_point(c, dg_plot_x(t0, fc->h[i].t) + 0.5,
		    fc->h[i].f, NAN)) != DG_OK)
			return st;
	return DG_OK;
}

static int
build(struct dg_chart *c, struct fc *fc, struct dg_csv *r,
    struct dg_error *err)
{
	struct acc a = { 0, 0, 0, 0 };
	dg_time t0, t1;
	char note[160];
	int st;

	for (size_t i = 0; i < fc->n; i++) {
		double e;

		if (fc->h[i].cnt == 0 || isnan(fc->h[i].f))
			continue;
		e = fc->h[i].f - fc->h[i].sum / (double)fc->h[i].cnt;
		a.sse += e * e;
		a.sae += fabs(e);
		a.se += e;
		a.n++;
	}
	if (a.n == 0)
		return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    "no hour with both a forecast and an actual load");
	if ((st = dg_plot_days(fc->h[0].t, fc->h[fc->n - 1].t, &t0, &t1)) !=
	    DG_OK || (st = dg_plot_time_axis(c, t0, t1)) != DG_OK)
		return st;
	c->ymin_zero = 1;
	snprintf(note, sizeof(note), "%ld h: MAE %.2f kW, bias %.2f kW "
	    "(forecast - actual)", a.n, a.sae / (double)a.n,
	    a.se / (double)a.n);
	if ((st = dg_chart_title(&c->title, "%s: forecast against actual "
	    "load", fc->site)) != DG_OK ||
	    (st = dg_chart_title(&c->ylabel, "load (kW)")) != DG_OK ||
	    (st = dg_chart_note(c, 0.01, 0.95, 1, note)) != DG_OK)
		return st;
	return series(c, fc, t0, &a);
}

int
dg_plot_read_forecast(struct dg_chart *c, struct dg_plot_in *in,
    size_t n, const struct dg_plot_opts *o, struct dg_error *err)
{
	struct fc fc = { NULL, 0, 0, NULL };
	int backtest = in[0].type == DG_PF_BACKTEST;
	int st;

	st = read_fc(in[0].r, &fc, backtest ? "forecast_kw" : "load_kw",
	    backtest, o, err);
	if (st == DG_OK) {
		qsort(fc.h, fc.n, sizeof(*fc.h), by_time);
		if (n > 1)
			st = read_actual(in[1].r, &fc);
	}
	if (st == DG_OK)
		st = build(c, &fc, in[n - 1].r, err);
	if (st == DG_ENOMEM)
		dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	free(fc.h);
	free(fc.site);
	return st;
}
