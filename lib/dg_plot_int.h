/* dg_plot_int.h: what the parts of dg_plot share (not installed). */
#ifndef DG_PLOT_INT_H
#define DG_PLOT_INT_H

#include "dg_plot.h"
#include "dg_time.h"

/* What an input file is, by its columns. */
enum dg_plot_file {
	DG_PF_UNKNOWN,
	DG_PF_CBL,		/* dg-cbl: cbl_kw, actual_kw */
	DG_PF_BACKTEST,		/* dg-forecast backtest: forecast_kw */
	DG_PF_UCAP,		/* dg-ucap: ucap_kw, availability */
	DG_PF_BID,		/* dg-bid: block, mw, price_usd_per_mwh */
	DG_PF_PRICES,		/* dg-fetch: zone, price_usd_per_mwh */
	DG_PF_REDUCTIONS,	/* site, event, time, reduction_kw */
	DG_PF_LOAD		/* site, time, load_kw */
};

struct dg_plot_in {
	struct dg_csv *r;
	enum dg_plot_file type;
};

/* The kinds' readers: each reads its files to their end. */
int dg_plot_read_day(struct dg_chart *c, struct dg_plot_in *in,
    const struct dg_plot_opts *o, struct dg_error *err);
int dg_plot_read_events(struct dg_chart *c, struct dg_plot_in *in,
    const struct dg_plot_opts *o, const struct dg_csv_opts *csv,
    struct dg_error *err);
int dg_plot_read_forecast(struct dg_chart *c, struct dg_plot_in *in,
    size_t n, const struct dg_plot_opts *o, struct dg_error *err);
int dg_plot_read_prices(struct dg_chart *c, struct dg_plot_in *in,
    size_t n, const struct dg_plot_opts *o, struct dg_error *err);
int dg_plot_read_ucap(struct dg_chart *c, struct dg_plot_in *in,
    const struct dg_plot_opts *o, struct dg_error *err);

/* An optional number: NaN when the field is empty or the column absent
 * (i < 0). */
int dg_plot_num(struct dg_csv *r, int i, double *out);
/* A required column's index, or DG_EDATA naming it. */
int dg_plot_col(struct dg_csv *r, const char *name, int *idx);
/* The one value of a key (site, event, zone) the chart is drawn for:
 * want, or the first one seen when want is NULL.  *cur holds the choice;
 * a second value when want is NULL is DG_EINVAL ("several WHATs in FILE
 * (A, B ...): choose one with OPTION").  Returns 1 when the row is of
 * the chosen value, 0 when not, or a negative status. */
int dg_plot_pick(struct dg_csv *r, int col, const char *want, char **cur,
    const char *what, const char *option, struct dg_error *err);

/* The time axis from local midnight t0 to t1 (whole local days): x in
 * hours from t0, ticks in local clock time, the x label with the zone. */
int dg_plot_time_axis(struct dg_chart *c, dg_time t0, dg_time t1);
/* Local midnights around the instants a and b: the start of a's day and
 * the end of b's. */
int dg_plot_days(dg_time a, dg_time b, dg_time *t0, dg_time *t1);
static inline double
dg_plot_x(dg_time t0, dg_time t)
{
	return (double)(t - t0) / 3600.0;
}

#endif
