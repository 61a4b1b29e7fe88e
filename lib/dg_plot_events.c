/* dg_plot_events.c: the portfolio's performance per event (the source
 * report's Tables 18-21 as bars): per event the MW delivered, the sum of
 * the sites' reductions over its hours divided by the number of hours,
 * and the MW pledged, the sum of the called sites' curtailable_kw in
 * sites.csv (dg_plot.h). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_sites.h"
#include "dg_util.h"

struct event {
	char *name, *prog;
	dg_time first;
	dg_dec sum;		/* kW summed over sites and hours = kWh */
	dg_time *hour;		/* its distinct hours */
	size_t nh, hcap;
	dg_dec pledge;		/* kW */
	long measured, empty;	/* site-hours with and without a reduction */
};

struct pair {
	size_t ev;
	char *site;
};

struct perf {
	int site, event, time, red, in_ev, prog;
	struct event *e;
	size_t ne, ecap;
	struct pair *p;
	size_t np, pcap;
};

static int
find_event(struct perf *pf, const char *name, dg_time t, size_t *idx)
{
	struct event *e;

	for (size_t i = pf->ne; i-- > 0;)
		if (strcmp(pf->e[i].name, name) == 0) {
			*idx = i;
			return DG_OK;
		}
	if (dg_grow(&pf->e, &pf->ecap, pf->ne + 1, sizeof(*pf->e)) != 0)
		return DG_ENOMEM;
	e = &pf->e[pf->ne];
	memset(e, 0, sizeof(*e));
	e->sum = dg_dec_make(0, 0);
	e->pledge = dg_dec_make(0, 0);
	e->first = t;
	if ((e->name = strdup(name)) == NULL)
		return DG_ENOMEM;
	*idx = pf->ne++;
	return DG_OK;
}

static int
add_hour(struct event *e, dg_time t)
{
	for (size_t i = 0; i < e->nh; i++)
		if (e->hour[i] == t)
			return DG_OK;
	if (dg_grow(&e->hour, &e->hcap, e->nh + 1, sizeof(*e->hour)) != 0)
		return DG_ENOMEM;
	e->hour[e->nh++] = t;
	if (t < e->first)
		e->first = t;
	return DG_OK;
}

static int
row(struct dg_csv *r, struct perf *pf)
{
	struct dg_tstamp ts;
	dg_dec red;
	size_t ev;
	int st;

	if (pf->in_ev >= 0 &&
	    strcmp(dg_csv_field(r, pf->in_ev, NULL), "1") != 0)
		return DG_OK;	/* dg-cbl --all-hours: not an event hour */
	if ((st = dg_csv_get_time(r, pf->time, &ts)) != DG_OK ||
	    (st = find_event(pf, dg_csv_field(r, pf->event, NULL), ts.t,
	    &ev)) != DG_OK || (st = add_hour(&pf->e[ev], ts.t)) != DG_OK)
		return st;
	if (pf->prog >= 0 && pf->e[ev].prog == NULL &&
	    (pf->e[ev].prog = strdup(dg_csv_field(r, pf->prog, NULL))) ==
	    NULL)
		return DG_ENOMEM;
	if (dg_grow(&pf->p, &pf->pcap, pf->np + 1, sizeof(*pf->p)) != 0 ||
	    (pf->p[pf->np].site = strdup(dg_csv_field(r, pf->site,
	    NULL))) == NULL)
		return DG_ENOMEM;
	pf->p[pf->np++].ev = ev;
	if (dg_csv_is_empty(r, pf->red)) {
		pf->e[ev].empty++;
		return DG_OK;
	}
	pf->e[ev].measured++;
	if ((st = dg_csv_get_dec(r, pf->red, &red)) != DG_OK)
		return st;
	if (dg_dec_add(pf->e[ev].sum, red, &pf->e[ev].sum) != DG_OK)
		return dg_csv_fail(r, pf->red, DG_ERANGE,
		    "the event's sum of reductions is too large");
	return DG_OK;
}

static int
read_rows(struct dg_csv *r, struct perf *pf, struct dg_error *err)
{
	int st;

	if ((st = dg_plot_col(r, "site", &pf->site)) != DG_OK ||
	    (st = dg_plot_col(r, "event", &pf->event)) != DG_OK ||
	    (st = dg_plot_col(r, "time", &pf->time)) != DG_OK ||
	    (st = dg_plot_col(r, "reduction_kw", &pf->red)) != DG_OK)
		return st;
	pf->in_ev = dg_csv_col(r, "in_event");
	pf->prog = dg_csv_col(r, "program");
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = row(r, pf)) != DG_OK)
			return st;
	if (st != DG_EOF)
		return st;
	if (pf->ne == 0)
		return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    "no event hours to draw");
	return DG_OK;
}

static int
by_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->ev != y->ev)
		return (x->ev > y->ev) - (x->ev < y->ev);
	return strcmp(x->site, y->site);
}

/* Each event's pledge: the sum of its sites' curtailable_kw. */
static int
pledges(struct perf *pf, const char *path, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	struct dg_sites ss;
	int st;

	if ((st = dg_sites_read(&ss, path, csv, err)) != DG_OK)
		return st;
	if ((st = dg_sites_need(&ss, DG_SITE_CURTAILABLE, err)) != DG_OK)
		goto out;
	qsort(pf->p, pf->np, sizeof(*pf->p), by_pair);
	for (size_t i = 0; i < pf->np; i++) {
		struct dg_site *s;
		struct event *e = &pf->e[pf->p[i].ev];

		if (i > 0 && by_pair(&pf->p[i - 1], &pf->p[i]) == 0)
			continue;
		if ((s = dg_sites_find(&ss, pf->p[i].site)) == NULL) {
			st = dg_error_set(err, DG_EDATA, path, 0, "site",
			    "no site \"%s\" (event %s)", pf->p[i].site,
			    e->name);
			goto out;
		}
		if (dg_dec_add(e->pledge, s->curtailable_kw, &e->pledge) !=
		    DG_OK) {
			st = dg_error_set(err, DG_ERANGE, path, s->line,
			    "curtailable_kw", "the pledges' sum is too large");
			goto out;
		}
	}
out:
	dg_sites_release(&ss);
	return st;
}

/* kW to MW, to 1 decimal as the report prints its totals. */
static dg_dec
mw(dg_dec kw, long div)
{
	dg_dec out = dg_dec_make(0, 1);

	dg_dec_div(kw, dg_dec_make(div * 1000, 0), 1, &out);
	return out;
}

static int
bar(struct dg_chart *c, const struct perf *pf, int which, double off,
    double width)
{
	const char *title = which ? "delivered: mean MW over the event's hours"
	    : "pledged: the called sites' curtailable MW";
	int st;

	if ((st = dg_chart_series(c, DG_PLOT_BARS, title)) != DG_OK)
		return st;
	c->s[c->ns - 1].pattern = !which;
	c->s[c->ns - 1].width = width;
	for (size_t i = 0; i < pf->ne; i++) {
		const struct event *e = &pf->e[i];
		dg_dec v = which ? mw(e->sum, (long)e->nh) : mw(e->pledge, 1);
		double y = which && e->measured == 0 ? NAN :
		    dg_dec_to_double(v);

		if ((st = dg_chart_point(c, (double)i + off, y, NAN)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* The figures above the delivered bar: MW, MWh, hours, and the
 * site-hours without a reduction. */
static void
figures(const struct event *e, char *buf, size_t n)
{
	char a[DG_DEC_BUFSZ], b[DG_DEC_BUFSZ];
	dg_dec mwh = dg_dec_make(0, 1);
	int len;

	if (e->measured == 0) {
		snprintf(buf, n, "no reduction\nmeasured\n(%ld site-hour%s)",
		    e->empty, e->empty == 1 ? "" : "s");
		return;
	}
	dg_dec_div(e->sum, dg_dec_make(1000, 0), 1, &mwh);
	dg_dec_format(mw(e->sum, (long)e->nh), a, sizeof(a));
	dg_dec_format(mwh, b, sizeof(b));
	len = snprintf(buf, n, "%s MW\n%s MWh\n%zu h", a, b, e->nh);
	if (e->empty > 0 && len > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, "\n%ld site-hour%s\n"
		    "not measured", e->empty, e->empty == 1 ? "" : "s");
}

/* The category's label (the event, and its date when the name does not
 * hold it) and the figures above the delivered bar. */
static int
labels(struct dg_chart *c, const struct perf *pf, double off)
{
	char lab[160], date[16];
	int st;

	for (size_t i = 0; i < pf->ne; i++) {
		const struct event *e = &pf->e[i];
		int dated;
		double y;

		dg_date_format(dg_date_of(e->first), date, sizeof(date));
		dated = strstr(e->name, date) != NULL;
		snprintf(lab, sizeof(lab), "%s%s%s", e->name, dated ? "" : "\n",
		    dated ? "" : date);
		if ((st = dg_chart_tick(c, (double)i, lab)) != DG_OK)
			return st;
		figures(e, lab, sizeof(lab));
		y = e->measured ? dg_dec_to_double(mw(e->sum, (long)e->nh)) : 0;
		st = dg_chart_note(c, (double)i + off, y, 0, lab);
		if (st != DG_OK)
			return st;
	}
	return DG_OK;
}

static int
build(struct dg_chart *c, const struct perf *pf, int pledged)
{
	double off = pledged ? 0.2 : 0, w = pledged ? 0.4 : 0.6;
	int st;

	c->xmin = -0.6;
	c->xmax = (double)pf->ne - 0.4;
	c->ymin_zero = 1;
	if ((st = dg_chart_title(&c->title, "Performance per event: MW %s",
	    pledged ? "pledged and delivered" : "delivered")) != DG_OK ||
	    (st = dg_chart_title(&c->ylabel, "curtailment (MW)")) != DG_OK ||
	    (st = dg_chart_title(&c->xlabel, "event (local date, %s)",
	    dg_zone_name(dg_tz_zone()))) != DG_OK)
		return st;
	if (pledged && (st = bar(c, pf, 0, -off, w)) != DG_OK)
		return st;
	if ((st = bar(c, pf, 1, off, w)) != DG_OK)
		return st;
	return labels(c, pf, off);
}

static void
release(struct perf *pf)
{
	for (size_t i = 0; i < pf->ne; i++) {
		free(pf->e[i].name);
		free(pf->e[i].prog);
		free(pf->e[i].hour);
	}
	free(pf->e);
	for (size_t i = 0; i < pf->np; i++)
		free(pf->p[i].site);
	free(pf->p);
}

int
dg_plot_read_events(struct dg_chart *c, struct dg_plot_in *in,
    const struct dg_plot_opts *o, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	struct perf pf;
	struct dg_csv_opts aux = *csv;
	int st;

	memset(&pf, 0, sizeof(pf));
	aux.final_newline = 0;	/* sites.csv is a file people edit */
	if ((st = read_rows(in->r, &pf, err)) == DG_OK &&
	    (o->sites == NULL ||
	    (st = pledges(&pf, o->sites, &aux, err)) == DG_OK) &&
	    (st = build(c, &pf, o->sites != NULL)) != DG_OK)
		dg_error_set(err, st, dg_csv_name(in->r), 0, NULL,
		    "out of memory");
	release(&pf);
	return st;
}
