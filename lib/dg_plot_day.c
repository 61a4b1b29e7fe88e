/* dg_plot_day.c: the event-day chart of one site (load, CBL, adjusted
 * CBL, the event shaded, the reduction written on it), from dg-cbl's
 * output (dg_plot.h). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_util.h"

struct hour {
	dg_time t;
	double cbl, adj, act;
	dg_dec red;
	int has_red, in_event;
};

struct day {
	int site, event, time, cbl, adj, act, red, prog, in_ev;
	char *site_v, *event_v, *prog_v;
	struct hour *h;
	size_t n, cap;
};

static int
cols(struct dg_csv *r, struct day *d)
{
	int st;

	if ((st = dg_plot_col(r, "site", &d->site)) != DG_OK ||
	    (st = dg_plot_col(r, "event", &d->event)) != DG_OK ||
	    (st = dg_plot_col(r, "time", &d->time)) != DG_OK)
		return st;
	d->cbl = dg_csv_col(r, "cbl_kw");
	d->act = dg_csv_col(r, "actual_kw");
	d->adj = dg_csv_col(r, "adjusted_cbl_kw");
	d->red = dg_csv_col(r, "reduction_kw");
	d->prog = dg_csv_col(r, "program");
	d->in_ev = dg_csv_col(r, "in_event");
	return DG_OK;
}

/* in_event: 1 or 0 (dg-cbl --all-hours); every row without the column. */
static int
in_event(struct dg_csv *r, int col, int *out)
{
	const char *v;

	*out = 1;
	if (col < 0)
		return DG_OK;
	v = dg_csv_field(r, col, NULL);
	if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0) {
		*out = v[0] == '1';
		return DG_OK;
	}
	return dg_csv_fail(r, col, DG_EDATA, "not 1 or 0: \"%s\"", v);
}

/* Whether the row is of the site and event drawn (given ones first, so
 * that --event alone chooses among sites only within the event). */
static int
chosen(struct dg_csv *r, struct day *d, const struct dg_plot_opts *o,
    struct dg_error *err)
{
	int k;

	if (o->site && strcmp(dg_csv_field(r, d->site, NULL), o->site) != 0)
		return 0;
	if (o->event &&
	    strcmp(dg_csv_field(r, d->event, NULL), o->event) != 0)
		return 0;
	k = dg_plot_pick(r, d->site, o->site, &d->site_v, "site", "--site",
	    err);
	if (k <= 0)
		return k;
	return dg_plot_pick(r, d->event, o->event, &d->event_v, "event",
	    "--event", err);
}

static int
row(struct dg_csv *r, struct day *d)
{
	struct dg_tstamp ts;
	struct hour *h;
	int st;

	if (dg_grow(&d->h, &d->cap, d->n + 1, sizeof(*d->h)) != 0)
		return DG_ENOMEM;
	h = &d->h[d->n];
	memset(h, 0, sizeof(*h));
	if ((st = dg_csv_get_time(r, d->time, &ts)) != DG_OK ||
	    (st = dg_plot_num(r, d->cbl, &h->cbl)) != DG_OK ||
	    (st = dg_plot_num(r, d->adj, &h->adj)) != DG_OK ||
	    (st = dg_plot_num(r, d->act, &h->act)) != DG_OK ||
	    (st = in_event(r, d->in_ev, &h->in_event)) != DG_OK)
		return st;
	h->t = dg_tstamp_pick(&ts, d->n ? d->h[d->n - 1].t : 0);
	if (d->red >= 0 && !dg_csv_is_empty(r, d->red)) {
		if ((st = dg_csv_get_dec(r, d->red, &h->red)) != DG_OK)
			return st;
		h->has_red = 1;
	}
	if (d->prog >= 0 && d->prog_v == NULL &&
	    (d->prog_v = strdup(dg_csv_field(r, d->prog, NULL))) == NULL)
		return DG_ENOMEM;
	d->n++;
	return DG_OK;
}

static int
by_time(const void *a, const void *b)
{
	const struct hour *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static int
read_rows(struct dg_csv *r, struct day *d, const struct dg_plot_opts *o,
    struct dg_error *err)
{
	int st, k;

	if ((st = cols(r, d)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if ((k = chosen(r, d, o, err)) < 0)
			return -k;
		if (k == 1 && (st = row(r, d)) != DG_OK)
			return st;
	}
	if (st != DG_EOF)
		return st;
	if (d->n == 0)
		return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    "no rows%s%s%s%s to draw", o->site ? " of site " : "",
		    o->site ? o->site : "", o->event ? " of event " : "",
		    o->event ? o->event : "");
	qsort(d->h, d->n, sizeof(*d->h), by_time);
	return DG_OK;
}

static int
add_series(struct dg_chart *c, const struct day *d, dg_time t0, int which,
    const char *title)
{
	int st, any = 0;

	for (size_t i = 0; i < d->n; i++) {
		const struct hour *h = &d->h[i];
		double y = which == 0 ? h->act : which == 1 ? h->cbl : h->adj;

		any |= !isnan(y);
	}
	if (!any && which == 2)
		return DG_OK;	/* no adjusted CBL */
	if ((st = dg_chart_series(c, DG_PLOT_LINE, title)) != DG_OK)
		return st;
	c->s[c->ns - 1].mark = 1;
	for (size_t i = 0; i < d->n; i++) {
		const struct hour *h = &d->h[i];
		double y = which == 0 ? h->act : which == 1 ? h->cbl : h->adj;

		if ((st = dg_chart_point(c, dg_plot_x(t0, h->t) + 0.5, y,
		    NAN)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* Local clock time "HH:MM" of t, 24:00 for the midnight that ends the
 * day of start. */
static void
hhmm(dg_time t, dg_time start, char *buf, size_t n)
{
	struct dg_local lt;

	dg_time_local(t, &lt);
	if (t > start && dg_date_of(t) != dg_date_of(start) && lt.hour == 0)
		lt.hour = 24;
	snprintf(buf, n, "%02d:%02d", lt.hour, lt.min);
}

/* The event's window, shaded, with the reduction: the mean kW over the
 * event's hours and their sum in kWh (an hour's kW is its kWh), exact,
 * to 3 decimals. */
static int
window(struct dg_chart *c, const struct day *d, dg_time t0)
{
	dg_time a = 0, b = 0;
	dg_dec sum = dg_dec_make(0, 3), mean;
	long k = 0, missing = 0;
	char lab[256], sb[DG_DEC_BUFSZ], mb[DG_DEC_BUFSZ], ca[8], cb[8];

	for (size_t i = 0; i < d->n; i++) {
		const struct hour *h = &d->h[i];

		if (!h->in_event)
			continue;
		if (k + missing == 0)
			a = h->t;
		b = h->t + 3600;
		if (!h->has_red)
			missing++;
		else if (k++, dg_dec_add(sum, h->red, &sum) != DG_OK)
			return DG_ERANGE;
	}
	if (k + missing == 0)
		return DG_OK;
	hhmm(a, a, ca, sizeof(ca));
	hhmm(b, a, cb, sizeof(cb));
	if (k > 0 && dg_dec_div(sum, dg_dec_make(k, 0), 3, &mean) == DG_OK &&
	    dg_dec_rescale(sum, 3, &sum) == DG_OK) {
		dg_dec_format(mean, mb, sizeof(mb));
		dg_dec_format(sum, sb, sizeof(sb));
		snprintf(lab, sizeof(lab), "event %s-%s\nreduction %s kW "
		    "(mean of %ld h)\n%s kWh", ca, cb, mb, k, sb);
	} else
		snprintf(lab, sizeof(lab), "event %s-%s\nno reduction measured",
		    ca, cb);
	return dg_chart_span(c, dg_plot_x(t0, a), dg_plot_x(t0, b), lab);
}

static int
build(struct dg_chart *c, const struct day *d)
{
	dg_time t0, t1;
	char date[16];
	int st;

	if ((st = dg_plot_days(d->h[0].t, d->h[d->n - 1].t, &t0, &t1)) !=
	    DG_OK || (st = dg_plot_time_axis(c, t0, t1)) != DG_OK)
		return st;
	dg_date_format(dg_date_of(d->h[0].t), date, sizeof(date));
	c->ymin_zero = 1;
	if ((st = dg_chart_title(&c->title, "%s, event %s%s%s%s, %s: load "
	    "and baseline", d->site_v, d->event_v, d->prog_v ? " (" : "",
	    d->prog_v ? d->prog_v : "", d->prog_v ? ")" : "", date)) !=
	    DG_OK ||
	    (st = dg_chart_title(&c->ylabel, "load (kW)")) != DG_OK ||
	    (st = add_series(c, d, t0, 0, "actual load")) != DG_OK ||
	    (st = add_series(c, d, t0, 1, "CBL")) != DG_OK ||
	    (st = add_series(c, d, t0, 2, "adjusted CBL")) != DG_OK)
		return st;
	return window(c, d, t0);
}

int
dg_plot_read_day(struct dg_chart *c, struct dg_plot_in *in,
    const struct dg_plot_opts *o, struct dg_error *err)
{
	struct day d;
	int st;

	memset(&d, 0, sizeof(d));
	if ((st = read_rows(in->r, &d, o, err)) == DG_OK &&
	    (st = build(c, &d)) != DG_OK)
		dg_error_set(err, st, dg_csv_name(in->r), 0, NULL,
		    "%s", st == DG_ENOMEM ? "out of memory" :
		    "a sum of reductions too large");
	free(d.site_v);
	free(d.event_v);
	free(d.prog_v);
	free(d.h);
	return st;
}
