/* dg_plot_ucap.c: a site's (or the portfolio's) ICAP and UCAP month by
 * month as bars, and its availability as a line against the right-hand
 * axis, from dg-ucap's output (dg_plot.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_util.h"

struct um {
	char *site;
	char month[16];
	double icap, ucap, avail;
};

struct ucap {
	struct um *m;
	size_t n, cap;
};

static int
row(struct dg_csv *r, const int *col, struct ucap *u)
{
	struct um *m;
	int y, mo, st;

	if (dg_grow(&u->m, &u->cap, u->n + 1, sizeof(*u->m)) != 0)
		return DG_ENOMEM;
	m = &u->m[u->n];
	if ((st = dg_csv_get_month(r, col[1], &y, &mo)) != DG_OK ||
	    (st = dg_plot_num(r, col[2], &m->icap)) != DG_OK ||
	    (st = dg_plot_num(r, col[3], &m->ucap)) != DG_OK ||
	    (st = dg_plot_num(r, col[4], &m->avail)) != DG_OK)
		return st;
	snprintf(m->month, sizeof(m->month), "%04d-%02d", y % 10000, mo);
	if ((m->site = strdup(dg_csv_field(r, col[0], NULL))) == NULL)
		return DG_ENOMEM;
	u->n++;
	return DG_OK;
}

static int
read_rows(struct dg_csv *r, struct ucap *u, const struct dg_plot_opts *o)
{
	static const char *const names[] = { "site", "month", "icap_kw",
	    "ucap_kw", "availability" };
	int col[5], st;

	for (int i = 0; i < 5; i++)
		if ((st = dg_plot_col(r, names[i], &col[i])) != DG_OK)
			return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if (o->site != NULL &&
		    strcmp(dg_csv_field(r, col[0], NULL), o->site) != 0)
			continue;
		if ((st = row(r, col, u)) != DG_OK)
			return st;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* The site drawn: the one asked for, else the portfolio's TOTAL rows,
 * else the only site. */
static int
choose(const struct ucap *u, struct dg_csv *r, const struct dg_plot_opts *o,
    const char **site, struct dg_error *err)
{
	if (u->n == 0)
		return dg_error_set(err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    "no rows%s%s to draw", o->site ? " of site " : "",
		    o->site ? o->site : "");
	*site = u->m[0].site;
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->m[i].site, "TOTAL") == 0) {
			*site = "TOTAL";
			return DG_OK;
		}
	for (size_t i = 1; i < u->n; i++)
		if (strcmp(u->m[i].site, *site) != 0)
			return dg_error_set(err, DG_EINVAL, dg_csv_name(r), 0,
			    "site", "several sites (\"%s\", \"%s\" ...): "
			    "choose one with --site", *site, u->m[i].site);
	return DG_OK;
}

static int
bars(struct dg_chart *c, const struct ucap *u, const char *site, int which)
{
	int st;
	double k = 0;

	if ((st = dg_chart_series(c, DG_PLOT_BARS, which ? "UCAP (kW)" :
	    "ICAP (kW)")) != DG_OK)
		return st;
	c->s[c->ns - 1].pattern = !which;
	c->s[c->ns - 1].width = 0.4;
	for (size_t i = 0; i < u->n; i++) {
		if (strcmp(u->m[i].site, site) != 0)
			continue;
		if ((st = dg_chart_point(c, k + (which ? 0.2 : -0.2),
		    which ? u->m[i].ucap : u->m[i].icap, NAN)) != DG_OK)
			return st;
		k++;
	}
	return DG_OK;
}

static int
avail(struct dg_chart *c, const struct ucap *u, const char *site)
{
	int st;
	double k = 0;

	if ((st = dg_chart_series(c, DG_PLOT_LINE,
	    "availability (%, right axis)")) != DG_OK)
		return st;
	c->s[c->ns - 1].mark = 1;
	c->s[c->ns - 1].y2 = 1;
	for (size_t i = 0; i < u->n; i++) {
		if (strcmp(u->m[i].site, site) != 0)
			continue;
		if ((st = dg_chart_point(c, k, 100 * u->m[i].avail, NAN)) !=
		    DG_OK || (st = dg_chart_tick(c, k, u->m[i].month)) != DG_OK)
			return st;
		k++;
	}
	c->xmin = -0.6;
	c->xmax = k - 0.4;
	return DG_OK;
}

static int
build(struct dg_chart *c, const struct ucap *u, const char *site)
{
	int st;

	c->ymin_zero = 1;
	c->y2min = 0;
	c->y2max = 110;
	if ((st = dg_chart_title(&c->title, "%s: ICAP, UCAP and "
	    "availability by month", strcmp(site, "TOTAL") == 0 ?
	    "Portfolio" : site)) != DG_OK ||
	    (st = dg_chart_title(&c->ylabel, "capacity (kW)")) != DG_OK ||
	    (st = dg_chart_title(&c->y2label, "availability (%%)")) !=
	    DG_OK ||
	    (st = dg_chart_title(&c->xlabel, "month")) != DG_OK ||
	    (st = bars(c, u, site, 0)) != DG_OK ||
	    (st = bars(c, u, site, 1)) != DG_OK)
		return st;
	return avail(c, u, site);
}

int
dg_plot_read_ucap(struct dg_chart *c, struct dg_plot_in *in,
    const struct dg_plot_opts *o, struct dg_error *err)
{
	struct ucap u = { NULL, 0, 0 };
	const char *site = NULL;
	int st;

	if ((st = read_rows(in->r, &u, o)) == DG_OK &&
	    (st = choose(&u, in->r, o, &site, err)) == DG_OK &&
	    (st = build(c, &u, site)) != DG_OK)
		dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < u.n; i++)
		free(u.m[i].site);
	free(u.m);
	return st;
}
