/* dg_plot.c: the chart model, the kind of the input, and the readers'
 * shared helpers (dg_plot.h). */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_util.h"

const char *const dg_plot_kind_names[] = {
	"auto", "day", "forecast", "prices", "events", "ucap", "duration",
	NULL
};

void
dg_plot_opts_init(struct dg_plot_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->width = 900;
	o->height = 500;
	o->gnuplot = "gnuplot";
}

void
dg_chart_init(struct dg_chart *c)
{
	memset(c, 0, sizeof(*c));
}

void
dg_chart_release(struct dg_chart *c)
{
	free(c->title);
	free(c->xlabel);
	free(c->ylabel);
	free(c->y2label);
	for (size_t i = 0; i < c->ntick; i++)
		free(c->tick[i].label);
	free(c->tick);
	for (size_t i = 0; i < c->nspan; i++)
		free(c->span[i].label);
	free(c->span);
	for (size_t i = 0; i < c->nnote; i++)
		free(c->note[i].text);
	free(c->note);
	for (size_t i = 0; i < c->ns; i++) {
		free(c->s[i].title);
		free(c->s[i].x);
		free(c->s[i].y);
		free(c->s[i].hi);
	}
	free(c->s);
	dg_chart_init(c);
}

int
dg_chart_title(char **dst, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return DG_ENOMEM;
	free(*dst);
	*dst = s;
	return DG_OK;
}

int
dg_chart_series(struct dg_chart *c, enum dg_plot_style style,
    const char *title)
{
	struct dg_plot_series *s;

	if (dg_grow(&c->s, &c->s_cap, c->ns + 1, sizeof(*c->s)) != 0)
		return DG_ENOMEM;
	s = &c->s[c->ns];
	memset(s, 0, sizeof(*s));
	s->style = style;
	s->width = 0.8;
	if ((s->title = strdup(title)) == NULL)
		return DG_ENOMEM;
	c->ns++;
	return DG_OK;
}

int
dg_chart_point(struct dg_chart *c, double x, double y, double hi)
{
	struct dg_plot_series *s = &c->s[c->ns - 1];
	size_t cap = s->cap;

	if (dg_grow(&s->x, &cap, s->n + 1, sizeof(double)) != 0)
		return DG_ENOMEM;
	cap = s->cap;
	if (dg_grow(&s->y, &cap, s->n + 1, sizeof(double)) != 0)
		return DG_ENOMEM;
	cap = s->cap;
	if (dg_grow(&s->hi, &cap, s->n + 1, sizeof(double)) != 0)
		return DG_ENOMEM;
	s->cap = cap;
	s->x[s->n] = x;
	s->y[s->n] = y;
	s->hi[s->n] = hi;
	s->n++;
	return DG_OK;
}

int
dg_chart_tick(struct dg_chart *c, double x, const char *label)
{
	if (dg_grow(&c->tick, &c->tick_cap, c->ntick + 1,
	    sizeof(*c->tick)) != 0 ||
	    (c->tick[c->ntick].label = strdup(label)) == NULL)
		return DG_ENOMEM;
	c->tick[c->ntick++].x = x;
	return DG_OK;
}

int
dg_chart_span(struct dg_chart *c, double x0, double x1, const char *label)
{
	if (dg_grow(&c->span, &c->span_cap, c->nspan + 1,
	    sizeof(*c->span)) != 0 ||
	    (c->span[c->nspan].label = strdup(label)) == NULL)
		return DG_ENOMEM;
	c->span[c->nspan].x0 = x0;
	c->span[c->nspan++].x1 = x1;
	return DG_OK;
}

int
dg_chart_note(struct dg_chart *c, double x, double y, int graph,
    const char *text)
{
	struct dg_plot_note *n;

	if (dg_grow(&c->note, &c->note_cap, c->nnote + 1,
	    sizeof(*c->note)) != 0)
		return DG_ENOMEM;
	n = &c->note[c->nnote];
	if ((n->text = strdup(text)) == NULL)
		return DG_ENOMEM;
	n->x = x;
	n->y = y;
	n->graph = graph;
	c->nnote++;
	return DG_OK;
}

/* --- reading ------------------------------------------------------------ */

int
dg_plot_num(struct dg_csv *r, int i, double *out)
{
	if (i < 0 || dg_csv_is_empty(r, i)) {
		*out = NAN;
		return DG_OK;
	}
	return dg_csv_get_double(r, i, out);
}

int
dg_plot_col(struct dg_csv *r, const char *name, int *idx)
{
	return dg_csv_require(r, name, idx);
}

int
dg_plot_pick(struct dg_csv *r, int col, const char *want, char **cur,
    const char *what, const char *option, struct dg_error *err)
{
	const char *v = dg_csv_field(r, col, NULL);

	if (want != NULL) {
		if (strcmp(v, want) != 0)
			return 0;
		if (*cur == NULL && (*cur = strdup(want)) == NULL)
			return -DG_ENOMEM;
		return 1;
	}
	if (*cur == NULL) {
		if ((*cur = strdup(v)) == NULL)
			return -DG_ENOMEM;
		return 1;
	}
	if (strcmp(*cur, v) == 0)
		return 1;
	return -dg_csv_fail(r, col, DG_EINVAL,
	    "several %ss (\"%s\", \"%s\" ...): choose one with %s", what,
	    *cur, v, option);
}

static int
has(struct dg_csv *r, const char *name)
{
	return dg_csv_col(r, name) >= 0;
}

static enum dg_plot_file
classify(struct dg_csv *r)
{
	if (has(r, "cbl_kw") && has(r, "actual_kw"))
		return DG_PF_CBL;
	if (has(r, "forecast_kw") && has(r, "actual_kw"))
		return DG_PF_BACKTEST;
	if (has(r, "ucap_kw") && has(r, "availability") && has(r, "month"))
		return DG_PF_UCAP;
	if (has(r, "block") && has(r, "mw") && has(r, "price_usd_per_mwh"))
		return DG_PF_BID;
	if (has(r, "zone") && has(r, "time") && has(r, "price_usd_per_mwh"))
		return DG_PF_PRICES;
	if (has(r, "site") && has(r, "event") && has(r, "time") &&
	    has(r, "reduction_kw"))
		return DG_PF_REDUCTIONS;
	if (has(r, "site") && has(r, "time") && has(r, "load_kw"))
		return DG_PF_LOAD;
	return DG_PF_UNKNOWN;
}

/* The kind the files' columns give, or DG_PLOT_AUTO for none. */
static enum dg_plot_kind
kind_of(const struct dg_plot_in *in, size_t n)
{
	size_t count[DG_PF_LOAD + 1] = { 0 };

	for (size_t i = 0; i < n; i++)
		count[in[i].type]++;
	if (n == 1 && count[DG_PF_CBL] == 1)
		return DG_PLOT_DAY;
	if (n == 1 && count[DG_PF_REDUCTIONS] == 1)
		return DG_PLOT_EVENTS;
	if ((n == 1 && count[DG_PF_BACKTEST] == 1) ||
	    (n == 2 && count[DG_PF_LOAD] == 2))
		return DG_PLOT_FORECAST;
	if (n == 1 && count[DG_PF_UCAP] == 1)
		return DG_PLOT_UCAP;
	if (count[DG_PF_PRICES] >= 1 && count[DG_PF_BID] <= 1 &&
	    count[DG_PF_PRICES] + count[DG_PF_BID] == n)
		return DG_PLOT_PRICES;
	return DG_PLOT_AUTO;
}

/* Whether the files fit the kind asked for. */
static int
fits(enum dg_plot_kind k, const struct dg_plot_in *in, size_t n)
{
	switch (k) {
	case DG_PLOT_EVENTS:
		return n == 1 && (in[0].type == DG_PF_CBL ||
		    in[0].type == DG_PF_REDUCTIONS);
	case DG_PLOT_DURATION:
		for (size_t i = 0; i < n; i++)
			if (in[i].type != DG_PF_PRICES)
				return 0;
		return 1;
	default:
		return kind_of(in, n) == k;
	}
}

static const char *const wanted[] = {
	"",
	"dg-cbl's output (site, event, time, cbl_kw, actual_kw)",
	"dg-forecast backtest --hourly (site, time, actual_kw, forecast_kw), "
	    "or a forecast and an actual load (site, time, load_kw)",
	"dg-fetch's prices (zone, time, price_usd_per_mwh) and at most one "
	    "dg-bid output (block, mw, price_usd_per_mwh)",
	"reductions (site, event, time, reduction_kw: dg-cbl's output)",
	"dg-ucap's output (site, month, ucap_kw, availability)",
	"dg-fetch's prices (zone, time, price_usd_per_mwh)"
};

static int
no_kind(struct dg_plot_in *in, size_t n, enum dg_plot_kind asked,
    struct dg_error *err)
{
	struct dg_csv *r = in[0].r;

	for (size_t i = 0; i < n; i++)
		if (in[i].type == DG_PF_UNKNOWN) {
			r = in[i].r;
			break;
		}
	if (asked != DG_PLOT_AUTO)
		return dg_error_set(err, DG_EDATA, dg_csv_name(r), 1, NULL,
		    "a %s chart is drawn from %s", dg_plot_kind_names[asked],
		    wanted[asked]);
	return dg_error_set(err, DG_EDATA, dg_csv_name(r), 1, NULL,
	    "no chart is drawn from %s: the columns of dg-cbl, dg-forecast "
	    "backtest, dg-fetch, dg-bid or dg-ucap are wanted",
	    n == 1 ? "these columns" : "these files together");
}

static int
dispatch(struct dg_chart *c, struct dg_plot_in *in, size_t n,
    const struct dg_plot_opts *o, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	switch (c->kind) {
	case DG_PLOT_DAY:
		return dg_plot_read_day(c, in, o, err);
	case DG_PLOT_EVENTS:
		return dg_plot_read_events(c, in, o, csv, err);
	case DG_PLOT_FORECAST:
		return dg_plot_read_forecast(c, in, n, o, err);
	case DG_PLOT_PRICES:
	case DG_PLOT_DURATION:
		return dg_plot_read_prices(c, in, n, o, err);
	case DG_PLOT_UCAP:
		return dg_plot_read_ucap(c, in, o, err);
	default:
		return DG_EINTERNAL;
	}
}

/* Reads the n files, opened by path (fps NULL) or on the streams fps. */
static int
read_files(struct dg_chart *c, const char *const *paths, FILE *const *fps,
    size_t n, const struct dg_plot_opts *o, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	struct dg_plot_in *in = calloc(n ? n : 1, sizeof(*in));
	size_t opened = 0;
	int st = DG_OK;

	if (in == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (; opened < n && st == DG_OK; opened++) {
		st = fps ? dg_csv_open_fp(&in[opened].r, fps[opened],
		    paths[opened], csv, err) :
		    dg_csv_open(&in[opened].r, paths[opened], csv, err);
		if (st != DG_OK)
			break;
		in[opened].type = classify(in[opened].r);
	}
	if (st == DG_OK) {
		c->kind = o->kind != DG_PLOT_AUTO ? o->kind : kind_of(in, n);
		if (c->kind == DG_PLOT_AUTO || !fits(c->kind, in, n))
			st = no_kind(in, n, o->kind, err);
		else
			st = dispatch(c, in, n, o, csv, err);
	}
	for (size_t i = 0; i < opened; i++)
		dg_csv_close(in[i].r);
	free(in);
	if (st == DG_ENOMEM && err != NULL && err->status != DG_ENOMEM)
		dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	return st;
}

int
dg_plot_read(struct dg_chart *c, const char *const *paths, size_t n,
    const struct dg_plot_opts *o, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	return read_files(c, paths, NULL, n, o, csv, err);
}

int
dg_plot_read_fp(struct dg_chart *c, FILE *const *fps,
    const char *const *names, size_t n, const struct dg_plot_opts *o,
    const struct dg_csv_opts *csv, struct dg_error *err)
{
	return read_files(c, names, fps, n, o, csv, err);
}
