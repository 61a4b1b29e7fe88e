/* dg_plot.h: charts of the toolkit's own outputs, drawn by gnuplot.
 *
 * A chart is built in two steps.  dg_plot_read() reads one or more CSV
 * files written by the toolkit's programs, picks the chart's kind from
 * their columns (or takes the kind asked for) and fills a struct
 * dg_chart: series of points, the x axis's ticks and labels, shaded
 * spans and notes, in plain numbers.  dg_plot_render() writes the
 * chart as a gnuplot script, runs gnuplot with the script on a pipe and
 * copies the picture (SVG or PNG) it draws to a stream: no temporary
 * file is made.
 *
 * The kinds and the files they read:
 *   day       dg-cbl's output (cbl_kw, actual_kw): one site's event day,
 *             load, CBL and adjusted CBL, the event shaded and the
 *             reduction written on it;
 *   forecast  dg-forecast backtest --hourly (actual_kw, forecast_kw), or
 *             a forecast and an actual load file (load_kw): the forecast,
 *             the actual load and a band of the forecast +- the RMSE;
 *   prices    dg-fetch's prices (price_usd_per_mwh; day-ahead and
 *             real-time by their source column) and dg-bid's output
 *             (block, mw, price_usd_per_mwh): the prices, the bid blocks
 *             and the strike;
 *   events    reductions per site, event and hour (dg-cbl's output, or
 *             any file with site, event, time, reduction_kw): per event
 *             the MW delivered on average over its hours and, from
 *             sites.csv, the MW pledged;
 *   ucap      dg-ucap's output (month, ucap_kw, availability): one site's
 *             (or the portfolio's) ICAP and UCAP by month, and the
 *             availability;
 *   duration  prices: the price duration curve of each file.
 *
 * Time runs along x as real elapsed hours from the local midnight that
 * starts the first day, and the ticks are labelled in local clock time of
 * the market's zone (dg_tz_zone()): a 25-hour day is 25 hours wide with
 * two 01:00 ticks told apart by their zone abbreviation, a 23-hour day 23
 * hours.  Charts are drawn in black, greys, dash types and marker shapes,
 * so that they read the same printed in black and white.
 *
 * Memory: the points of the chart (the files are read whole).  Errors:
 * DG_EDATA with file, line and column for bad data, a file whose columns
 * make no chart, or a file without rows; DG_EINVAL when the input holds
 * several sites, events or zones and none is chosen; DG_EUNAVAIL when
 * gnuplot cannot be run. */
#ifndef DG_PLOT_H
#define DG_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dg_plot_kind {
	DG_PLOT_AUTO = 0,	/* from the input's columns */
	DG_PLOT_DAY,
	DG_PLOT_FORECAST,
	DG_PLOT_PRICES,
	DG_PLOT_EVENTS,
	DG_PLOT_UCAP,
	DG_PLOT_DURATION
};
/* "auto", "day", "forecast", "prices", "events", "ucap", "duration" in
 * the order of the enum, NULL-terminated (for an option's table). */
extern const char *const dg_plot_kind_names[];

enum dg_plot_format {
	DG_PLOT_SVG = 0,
	DG_PLOT_PNG
};

enum dg_plot_style {
	DG_PLOT_LINE,		/* a line, with a marker at each point when
				 * mark is set */
	DG_PLOT_BARS,		/* a bar of width `width` centred on each x */
	DG_PLOT_BAND		/* a filled band from y to hi */
};

/* A series.  A NaN y is a gap: the line stops there and starts again at
 * the next point (it is not a point). */
struct dg_plot_series {
	char *title;
	enum dg_plot_style style;
	int mark;		/* markers on a line */
	int segments;		/* a line of separate segments (bid blocks):
				 * solid, thick, in greys */
	int y2;			/* against the right-hand axis */
	int pattern;		/* bars: 0 solid grey, 1 hatched */
	double width;		/* bars */
	size_t n, cap;
	double *x, *y, *hi;	/* hi: bands only */
};

struct dg_plot_tick {
	double x;
	char *label;		/* "": a tick without a label */
};

/* A shaded span of x (an event's window), with a label at its top. */
struct dg_plot_span {
	double x0, x1;
	char *label;
};

/* A note: at (x, y) in data coordinates (first), or in fractions of the
 * graph (graph = 1). */
struct dg_plot_note {
	double x, y;
	int graph;
	char *text;
};

struct dg_chart {
	enum dg_plot_kind kind;
	char *title, *xlabel, *ylabel, *y2label;
	double xmin, xmax;	/* equal: gnuplot's own range */
	int ymin_zero;		/* y from 0 */
	double y2min, y2max;	/* equal: automatic */
	struct dg_plot_tick *tick;
	size_t ntick, tick_cap;
	struct dg_plot_span *span;
	size_t nspan, span_cap;
	struct dg_plot_note *note;
	size_t nnote, note_cap;
	struct dg_plot_series *s;
	size_t ns, s_cap;
};

void dg_chart_init(struct dg_chart *c);
void dg_chart_release(struct dg_chart *c);
/* Each adds to the chart (text copied); DG_ENOMEM, or DG_OK.  A series
 * added is empty; dg_chart_point() adds a point to the last one. */
int dg_chart_title(char **dst, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int dg_chart_series(struct dg_chart *c, enum dg_plot_style style,
    const char *title);
int dg_chart_point(struct dg_chart *c, double x, double y, double hi);
int dg_chart_tick(struct dg_chart *c, double x, const char *label);
int dg_chart_span(struct dg_chart *c, double x0, double x1,
    const char *label);
int dg_chart_note(struct dg_chart *c, double x, double y, int graph,
    const char *text);

/* What to draw and how. */
struct dg_plot_opts {
	enum dg_plot_kind kind;
	enum dg_plot_format format;
	int width, height;	/* pixels (default 900 x 500) */
	const char *title;	/* instead of the chart's own */
	const char *site;	/* day, forecast, ucap: the site; NULL: the
				 * only one (ucap: the TOTAL rows) */
	const char *event;	/* day: the event; NULL: the only one */
	const char *zone;	/* prices, duration: the zone; NULL: the only
				 * one */
	const char *sites;	/* events: sites.csv, whose curtailable_kw
				 * is each site's pledge */
	int has_strike;
	dg_dec strike;		/* prices, duration: the strike, $/MWh */
	const char *gnuplot;	/* the program (default "gnuplot") */
};
void dg_plot_opts_init(struct dg_plot_opts *o);

/* Reads the n files (NULL or "-": standard input, at most once) into c,
 * with o's kind or the kind their columns give (c->kind says which).
 * csv: the reader's options.  Errors as above. */
int dg_plot_read(struct dg_chart *c, const char *const *paths, size_t n,
    const struct dg_plot_opts *o, const struct dg_csv_opts *csv,
    struct dg_error *err);

/* The same from open streams, named names[i] in messages (not closed). */
int dg_plot_read_fp(struct dg_chart *c, FILE *const *fps,
    const char *const *names, size_t n, const struct dg_plot_opts *o,
    const struct dg_csv_opts *csv, struct dg_error *err);

/* The gnuplot script that draws c in o's format on gnuplot's standard
 * output.  DG_EIO when fp fails. */
int dg_plot_script(const struct dg_chart *c, const struct dg_plot_opts *o,
    FILE *fp);

/* Draws c with gnuplot (o->gnuplot, found on the PATH) and writes the
 * picture to out, only when gnuplot succeeded (nothing is written
 * otherwise).  DG_EUNAVAIL when gnuplot is not found ("install the
 * Debian package gnuplot-nox"), DG_EINTERNAL when it fails (its first
 * line of error), DG_EIO or DG_EPIPE when out fails. */
int dg_plot_render(const struct dg_chart *c, const struct dg_plot_opts *o,
    FILE *out, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
