/* dg_plot_price.c: prices against time with the bid blocks and the
 * strike, and the price duration curve (dg_plot.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_util.h"

struct pt {
	dg_time t;
	int dur;		/* seconds */
	double p;		/* $/MWh; NaN: no price */
};

/* A series of prices (one source of one file), or a bid block. */
struct pser {
	char *label;
	struct pt *v;
	size_t n, cap;
};

struct prices {
	struct pser *s;
	size_t ns, scap;
	char *zone;
	int has_strike;
	double strike;
	dg_time lo, hi;		/* the instants covered */
};

static int
add_pt(struct prices *pp, struct pser *s, dg_time t, int dur, double p)
{
	if (dg_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) != 0)
		return DG_ENOMEM;
	s->v[s->n].t = t;
	s->v[s->n].dur = dur;
	s->v[s->n++].p = p;
	if (pp->lo == 0 || t < pp->lo)
		pp->lo = t;
	if (t + dur > pp->hi)
		pp->hi = t + dur;
	return DG_OK;
}

/* The series labelled label, made when new. */
static struct pser *
series_of(struct prices *pp, const char *label)
{
	struct pser *s;

	for (size_t i = 0; i < pp->ns; i++)
		if (strcmp(pp->s[i].label, label) == 0)
			return &pp->s[i];
	if (dg_grow(&pp->s, &pp->scap, pp->ns + 1, sizeof(*pp->s)) != 0)
		return NULL;
	s = &pp->s[pp->ns];
	memset(s, 0, sizeof(*s));
	if ((s->label = strdup(label)) == NULL)
		return NULL;
	pp->ns++;
	return s;
}

/* "day-ahead (nyiso-dam)", "real-time (nyiso-rt)", or the source. */
static void
market_label(const char *src, const char *file, char *buf, size_t n)
{
	const char *dash = strrchr(src, '-');
	const char *tail = dash ? dash + 1 : src;

	if (*src == '\0')
		snprintf(buf, n, "%s", file);
	else if (strcmp(tail, "dam") == 0 || strcmp(tail, "da") == 0)
		snprintf(buf, n, "day-ahead (%s)", src);
	else if (strcmp(tail, "rt") == 0 || strcmp(tail, "rtm") == 0)
		snprintf(buf, n, "real-time (%s)", src);
	else
		snprintf(buf, n, "%s", src);
}

struct pcols {
	int zone, time, price, dur, src;
};

static int
price_row(struct dg_csv *r, const struct pcols *pc, struct prices *pp)
{
	struct dg_tstamp ts;
	char label[128];
	struct pser *s;
	int64_t dur = 3600;
	double p;
	int st;

	if ((st = dg_csv_get_time(r, pc->time, &ts)) != DG_OK ||
	    (st = dg_plot_num(r, pc->price, &p)) != DG_OK)
		return st;
	if (pc->dur >= 0 && !dg_csv_is_empty(r, pc->dur) &&
	    (st = dg_csv_get_int(r, pc->dur, &dur)) != DG_OK)
		return st;
	if (dur <= 0 || dur > 86400)
		return dg_csv_fail(r, pc->dur, DG_EDATA,
		    "not a duration from 1 to 86400 seconds");
	market_label(pc->src >= 0 ? dg_csv_field(r, pc->src, NULL) : "",
	    dg_csv_name(r), label, sizeof(label));
	if ((s = series_of(pp, label)) == NULL)
		return DG_ENOMEM;
	return add_pt(pp, s, dg_tstamp_pick(&ts, s->n ? s->v[s->n - 1].t :
	    0), (int)dur, p);
}

static int
read_prices(struct dg_csv *r, struct prices *pp,
    const struct dg_plot_opts *o, struct dg_error *err)
{
	struct pcols pc;
	int st, k;

	if ((st = dg_plot_col(r, "zone", &pc.zone)) != DG_OK ||
	    (st = dg_plot_col(r, "time", &pc.time)) != DG_OK ||
	    (st = dg_plot_col(r, "price_usd_per_mwh", &pc.price)) != DG_OK)
		return st;
	pc.dur = dg_csv_col(r, "duration_s");
	if ((pc.src = dg_csv_col(r, "source")) < 0)
		pc.src = dg_csv_col(r, "market");
	while ((st = dg_csv_next(r)) == DG_OK) {
		if ((k = dg_plot_pick(r, pc.zone, o->zone, &pp->zone, "zone",
		    "--zone", err)) < 0)
			return -k;
		if (k == 1 && (st = price_row(r, &pc, pp)) != DG_OK)
			return st;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* dg-bid's output: each energy block's hourly price, and the strike of
 * the curtailment offer. */
static int
read_bid(struct dg_csv *r, struct prices *pp)
{
	int prod, block, time, price, st;
	struct dg_tstamp ts;
	char label[64];
	struct pser *s;
	double p;

	if ((st = dg_plot_col(r, "product", &prod)) != DG_OK ||
	    (st = dg_plot_col(r, "block", &block)) != DG_OK ||
	    (st = dg_plot_col(r, "time", &time)) != DG_OK ||
	    (st = dg_plot_col(r, "price_usd_per_mwh", &price)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *what = dg_csv_field(r, prod, NULL);

		if (strcmp(what, "curtailment") == 0 &&
		    !dg_csv_is_empty(r, price) && !pp->has_strike) {
			if ((st = dg_csv_get_double(r, price,
			    &pp->strike)) != DG_OK)
				return st;
			pp->has_strike = 1;
		}
		if (strcmp(what, "energy") != 0)
			continue;
		snprintf(label, sizeof(label), "bid block %s",
		    dg_csv_field(r, block, NULL));
		if ((st = dg_csv_get_time(r, time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, price, &p)) != DG_OK)
			return st;
		if ((s = series_of(pp, label)) == NULL ||
		    add_pt(pp, s, ts.t, 3600, p) != DG_OK)
			return DG_ENOMEM;
	}
	return st == DG_EOF ? DG_OK : st;
}

static int
by_time(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

/* A bid block: each hour's price as a segment over the hour, a little
 * short of its ends so that each hour stays a segment of its own. */
static int
segments(struct dg_chart *c, struct pser *s, dg_time t0)
{
	int st = DG_OK;

	qsort(s->v, s->n, sizeof(*s->v), by_time);
	for (size_t i = 0; i < s->n && st == DG_OK; i++) {
		const struct pt *v = &s->v[i];

		if ((st = dg_chart_point(c, dg_plot_x(t0, v->t) + 0.03, v->p,
		    NAN)) == DG_OK &&
		    (st = dg_chart_point(c, dg_plot_x(t0, v->t) + 0.97, v->p,
		    NAN)) == DG_OK)
			st = dg_chart_point(c, dg_plot_x(t0, v->t), NAN, NAN);
	}
	return st;
}

static int
strike_line(struct dg_chart *c, const struct prices *pp, double x0,
    double x1)
{
	char title[64];
	int st;

	if (!pp->has_strike)
		return DG_OK;
	snprintf(title, sizeof(title), "strike %.2f $/MWh", pp->strike);
	if ((st = dg_chart_series(c, DG_PLOT_LINE, title)) != DG_OK ||
	    (st = dg_chart_point(c, x0, pp->strike, NAN)) != DG_OK)
		return st;
	return dg_chart_point(c, x1, pp->strike, NAN);
}

static int
time_chart(struct dg_chart *c, struct prices *pp)
{
	dg_time t0, t1;
	int st;

	if ((st = dg_plot_days(pp->lo, pp->hi - 1, &t0, &t1)) != DG_OK ||
	    (st = dg_plot_time_axis(c, t0, t1)) != DG_OK)
		return st;
	if ((st = dg_chart_title(&c->title, "%s: prices%s", pp->zone,
	    pp->has_strike ? ", bid blocks and strike" : "")) != DG_OK ||
	    (st = dg_chart_title(&c->ylabel, "price ($/MWh)")) != DG_OK)
		return st;
	for (size_t i = 0; i < pp->ns; i++) {
		struct pser *s = &pp->s[i];
		int bid = strncmp(s->label, "bid block", 9) == 0;

		if ((st = dg_chart_series(c, DG_PLOT_LINE, s->label)) != DG_OK)
			return st;
		c->s[c->ns - 1].mark = !bid && s->n <= 72;
		c->s[c->ns - 1].segments = bid;
		if (bid) {
			if ((st = segments(c, s, t0)) != DG_OK)
				return st;
			continue;
		}
		for (size_t j = 0; j < s->n; j++)
			if ((st = dg_chart_point(c, dg_plot_x(t0, s->v[j].t) +
			    s->v[j].dur / 7200.0, s->v[j].p, NAN)) != DG_OK)
				return st;
	}
	return strike_line(c, pp, c->xmin, c->xmax);
}

static int
by_price_desc(const void *a, const void *b)
{
	const struct pt *x = a, *y = b;

	if (isnan(x->p) || isnan(y->p))
		return isnan(x->p) - isnan(y->p);
	return (x->p < y->p) - (x->p > y->p);
}

/* One duration curve: prices from the highest, each at the middle of its
 * share of the time; the hours at or above the strike noted. */
static int
curve(struct dg_chart *c, struct pser *s, const struct prices *pp,
    double *note_y)
{
	double total = 0, cum = 0, above = 0;
	char note[160];
	int st;

	qsort(s->v, s->n, sizeof(*s->v), by_price_desc);
	for (size_t i = 0; i < s->n; i++)
		if (!isnan(s->v[i].p))
			total += s->v[i].dur;
	if ((st = dg_chart_series(c, DG_PLOT_LINE, s->label)) != DG_OK)
		return st;
	for (size_t i = 0; i < s->n && !isnan(s->v[i].p); i++) {
		if (pp->has_strike && s->v[i].p >= pp->strike)
			above += s->v[i].dur;
		if ((st = dg_chart_point(c, 100.0 * (cum + s->v[i].dur / 2.0) /
		    total, s->v[i].p, NAN)) != DG_OK)
			return st;
		cum += s->v[i].dur;
	}
	if (!pp->has_strike)
		return DG_OK;
	snprintf(note, sizeof(note), "%s: %.2f h of %.2f at or above the "
	    "strike (%.1f %%)", s->label, above / 3600, total / 3600,
	    100 * above / total);
	*note_y -= 0.06;
	return dg_chart_note(c, 0.98, *note_y + 0.06, 1, note);
}

static int
duration_chart(struct dg_chart *c, struct prices *pp)
{
	double ny = 0.95;
	char d0[16], d1[16];
	int st;

	dg_date_format(dg_date_of(pp->lo), d0, sizeof(d0));
	dg_date_format(dg_date_of(pp->hi - 1), d1, sizeof(d1));
	c->xmin = 0;
	c->xmax = 100;
	for (int i = 0; i <= 100; i += 10) {
		char lab[8];

		snprintf(lab, sizeof(lab), "%d", i);
		if ((st = dg_chart_tick(c, i, lab)) != DG_OK)
			return st;
	}
	if ((st = dg_chart_title(&c->title, "%s: price duration, %s to %s",
	    pp->zone, d0, d1)) != DG_OK ||
	    (st = dg_chart_title(&c->ylabel, "price ($/MWh)")) != DG_OK ||
	    (st = dg_chart_title(&c->xlabel, "share of the time at or above "
	    "the price (%%)")) != DG_OK)
		return st;
	for (size_t i = 0; i < pp->ns; i++)
		if ((st = curve(c, &pp->s[i], pp, &ny)) != DG_OK)
			return st;
	return strike_line(c, pp, 0, 100);
}

static void
release(struct prices *pp)
{
	for (size_t i = 0; i < pp->ns; i++) {
		free(pp->s[i].label);
		free(pp->s[i].v);
	}
	free(pp->s);
	free(pp->zone);
}

int
dg_plot_read_prices(struct dg_chart *c, struct dg_plot_in *in, size_t n,
    const struct dg_plot_opts *o, struct dg_error *err)
{
	struct prices pp;
	int st = DG_OK;

	memset(&pp, 0, sizeof(pp));
	for (size_t i = 0; i < n && st == DG_OK; i++)
		st = in[i].type == DG_PF_BID ? read_bid(in[i].r, &pp) :
		    read_prices(in[i].r, &pp, o, err);
	if (o->has_strike) {
		pp.has_strike = 1;
		pp.strike = dg_dec_to_double(o->strike);
	}
	if (st == DG_OK && pp.zone == NULL)
		st = dg_error_set(err, DG_EDATA, dg_csv_name(in[0].r), 0, NULL,
		    "no prices%s%s to draw", o->zone ? " of zone " : "",
		    o->zone ? o->zone : "");
	if (st == DG_OK)
		st = c->kind == DG_PLOT_DURATION ? duration_chart(c, &pp) :
		    time_chart(c, &pp);
	if (st == DG_ENOMEM)
		dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	release(&pp);
	return st;
}
