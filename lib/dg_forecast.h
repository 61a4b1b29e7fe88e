/* dg_forecast.h: per-site hourly load forecast by regression on weather
 * (report sections 3.3.4.3.2.1, 5.2.1 and 6.4.2), its accuracy measures
 * (report Table 27, ASHRAE Guideline 14), and the naive forecasts it is
 * compared with.
 *
 * A site's model is one linear equation per local clock hour of business
 * days and one equation for all hours of weekend days and holidays (or,
 * optionally, one per weekend hour).  Each equation is
 *
 *   load_kw = c0 + c_temp*T + c_rh*RH + c_thi*THI + c_cool*max(0, X - Tb)
 *
 * with the regressors chosen (temp, temp+rh or thi; unused coefficients
 * are 0), X the main variable (T, or THI for thi) and the change-point
 * cooling term present only when it passed the test of
 * dg_fc_params.cp_min_gain.  THI = T - 0.55 (1 - RH/100) (T - 58), in
 * degrees F.  The fits are weighted least squares (GSL multifit, truncated
 * SVD) on standardised columns. */
#ifndef DG_FORECAST_H
#define DG_FORECAST_H

#include <stddef.h>

#include "dg_cal.h"
#include "dg_series.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dg_fc_regs { DG_FC_TEMP, DG_FC_TEMP_RH, DG_FC_THI };

/* What the programs' numbers can hold.  A load beyond DG_FC_MAX_KW (a
 * terawatt: no site or grid comes near) is a bad reading, refused at its
 * row; a model's figures (coefficients, bounds, statistics) are within
 * DG_FC_MAX_FIGURE either way, so that a model file holds them with its
 * decimals and a forecast from them fits its column. */
#define DG_FC_MAX_KW 1e9
#define DG_FC_MAX_FIGURE 1e12
/* A balance point read from a model file is a temperature within this
 * either way (the change-point grid, --cp-range, is within it). */
#define DG_FC_MAX_BALANCE_F 200.0

/* The first of the points whose value is beyond DG_FC_MAX_KW either way
 * (or not a number): its index, or -1 when there is none. */
long dg_fc_loads_check(const struct dg_point *p, size_t n);

/* Quality flags of an equation, a model, a weather hour or a forecast. */
enum {
	DG_FC_Q_SHORT = 1 << 0,		/* too few observations: fewer terms */
	DG_FC_Q_RANKDEF = 1 << 1,	/* singular /
					 * rank-deficient: fewer terms */
	DG_FC_Q_POOLED = 1 << 2,	/* no usable data: the site's
					 * pooled equation */
	DG_FC_Q_INTERP = 1 << 3,	/* weather interpolated
					 * over a short gap */
	DG_FC_Q_NOWX = 1 << 4,		/* weather missing beyond
					 * the gap limit */
	DG_FC_Q_ZERORUN = 1 << 5	/* a run of zero load left
					 * out of the fit */
};
/* "short;rank-deficient;..." or "" (buf of at least 96 bytes). */
void dg_fc_flags_format(unsigned flags, char *buf, size_t n);

struct dg_fc_params {
	int window_days;	/* fit window: days ending with asof (60) */
	enum dg_fc_regs regs;	/* DG_FC_TEMP */
	int weekend_hourly;	/* 0: one weekend equation (the report) */
	double halflife_days;	/* weights 0.5^(age/halflife); 0: equal */
	int changepoint;	/* try the cooling change-point term (1) */
	double cp_lo_f, cp_hi_f, cp_step_f;	/* balance-point
						 * grid (50, 80, 1) */
	double cp_min_gain;	/* adjusted R-squared gain to keep it (0.01) */
	int cp_min_side;	/* observations each side of Tb (6) */
	int min_dof;		/* n - terms at least this (4) */
	double rank_tol;	/* truncated-SVD relative tolerance (1e-9) */
	int zero_run_h;		/* zero-load runs this long left
				 * out (24; 0 no) */
	double clamp_margin;	/* forecasts kept within the equation's observed
				 * load range widened by this fraction of it
				 * (0.25); negative: no bounds */
	int robust;		/* bisquare robust fit (0) */
	int max_gap_h;		/* weather gap interpolated up to (6) */
};
void dg_fc_params_init(struct dg_fc_params *p);

/* --- Weather: an hourly grid, gaps filled or marked ------------------ */

struct dg_fc_weather {
	dg_time t0;		/* first hour */
	size_t n;		/* hours */
	double *temp, *rh;	/* rh NULL when not read */
	unsigned char *flag;	/* 0, DG_FC_Q_INTERP or DG_FC_Q_NOWX */
};
/* Builds the grid from hourly points (sub-hourly points are averaged
 * into their hour).  rh may be NULL (nrh 0).  Gaps of at most max_gap_h
 * hours between known hours are interpolated linearly and flagged; longer
 * gaps, and hours where only one of temp and rh is known, are marked
 * DG_FC_Q_NOWX.  DG_EDATA when temp has no point. */
int dg_fc_weather_init(struct dg_fc_weather *w, const struct dg_point *temp,
    size_t nt, const struct dg_point *rh, size_t nrh, int max_gap_h,
    struct dg_error *err);
void dg_fc_weather_release(struct dg_fc_weather *w);
/* Weather of the hour that holds t: returns its flag (0 or
 * DG_FC_Q_INTERP), or DG_FC_Q_NOWX when unknown (outside the grid too). */
unsigned dg_fc_weather_at(const struct dg_fc_weather *w, dg_time t,
    double *temp, double *rh);
double dg_fc_thi(double temp_f, double rh_pct);

/* --- Models ---------------------------------------------------------- */

#define DG_FC_NEQ 48	/* 0-23 business hours, 24-47 weekend hours */

struct dg_fc_eq {
	int used;		/* 1: this equation is in the model */
	int weekend;		/* 0 business day, 1 weekend day or holiday */
	int hour;		/* local clock hour 0-23, or -1: all hours */
	int regs;		/* regressors used after any fallback */
	double c0, c_temp, c_rh, c_thi, c_cool, balance_f;
	int cool;		/* change-point term present */
	long n;			/* observations */
	int nterms;		/* coefficients fitted (with Tb when cool) */
	int have_stats;		/* r2 .. nmbe defined (n > terms, mean != 0) */
	double r2, adj_r2, cv_rmse_pct, nmbe_pct;
	int bounded;		/* forecasts clamped to [lo_kw, hi_kw] */
	double lo_kw, hi_kw;
	unsigned flags;
};

struct dg_fc_model {
	char *site;
	enum dg_fc_regs regs;	/* regressors asked for */
	int weekend_hourly;
	struct dg_fc_eq eq[DG_FC_NEQ];
	unsigned flags;		/* union of the equations' flags */
	long nobs;		/* observations in the window */
	long nowx;		/* load hours left out: no weather */
	long nzero;		/* load hours left out: zero runs */
};
void dg_fc_model_init(struct dg_fc_model *m);
void dg_fc_model_release(struct dg_fc_model *m);
/* The equation for instant t (local clock hour, day type), or NULL. */
const struct dg_fc_eq *dg_fc_model_eq(const struct dg_fc_model *m,
    dg_time t, const struct dg_holidays *h);
double dg_fc_eq_eval(const struct dg_fc_eq *e, double temp, double rh);

/* Workspace for the fits (grows as needed). */
struct dg_fc_work;
/* Also turns GSL's abort-on-error handler off, for the process: the fits
 * check every GSL status and report it. */
struct dg_fc_work *dg_fc_work_alloc(void);
void dg_fc_work_free(struct dg_fc_work *w);

/* Fits site's model on the hourly load points (sorted) in the window of
 * p->window_days local days ending with date asof, with weather wx.
 * Holidays count as weekend days.  Returns DG_OK (the model may carry
 * fallback flags), DG_EDATA when the window has no usable hour (message
 * names the site), DG_ERANGE when a figure of the model is beyond
 * DG_FC_MAX_FIGURE (err->line: the line of the window's largest load),
 * DG_EINTERNAL/DG_ENOMEM on a GSL or memory failure.  err->file is left
 * for the caller. */
int dg_fc_fit(struct dg_fc_model *m, const char *site,
    const struct dg_point *load, size_t n, const struct dg_fc_weather *wx,
    dg_date asof, const struct dg_holidays *h,
    const struct dg_fc_params *p, struct dg_fc_work *w,
    struct dg_error *err);

/* Model CSV: one row per equation.  Columns (all written, fixed
 * decimals): site, daytype (business|weekend), hour (0-23 or "all"),
 * regressors, intercept, temp_coef, rh_coef, thi_coef, cool_coef,
 * balance_f, min_kw, max_kw (the bounds; empty when none), n, r2,
 * adj_r2, cv_rmse_pct, nmbe_pct, quality. */
extern const char *const dg_fc_model_columns[];
extern const size_t dg_fc_model_ncolumns;
/* Reads a model file; models sorted by site.  Errors name file:line; a
 * coefficient or bound beyond DG_FC_MAX_FIGURE, or a balance point beyond
 * DG_FC_MAX_BALANCE_F, is DG_ERANGE. */
int dg_fc_models_read(struct dg_fc_model **ms, size_t *nm, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_fc_models_free(struct dg_fc_model *ms, size_t nm);
const char *dg_fc_regs_name(enum dg_fc_regs r);
int dg_fc_regs_parse(const char *s, enum dg_fc_regs *r);

/* --- Accuracy -------------------------------------------------------- */

/* Errors e = forecast - actual (the report's E = LT - LR). */
struct dg_fc_score {
	long n;			/* hours with actual and forecast */
	long npct;		/* of which with actual != 0 (for
				 * the % measures) */
	double sum_a, sum_f, sum_abs, max_abs, sum_e, sum_e2;
	double sum_abs_pct, max_abs_pct, sum_pct;
};
void dg_fc_score_init(struct dg_fc_score *s);
void dg_fc_score_add(struct dg_fc_score *s, double actual, double forecast);
struct dg_fc_measures {
	long n;
	double avg_actual_kw, avg_forecast_kw;
	double mae_kw, max_abs_err_kw;		/* mean and max |e| */
	int have_pct;
	double mae_pct, max_abs_err_pct;	/* mean and max |e|/actual */
	double bias_kw, bias_pct;		/* mean e, mean e/actual */
	int have_cv;				/* n > 0 and mean actual != 0 */
	double cv_rmse_pct;	/* 100 sqrt(sum e^2 / n) / mean actual */
	double nmbe_pct;	/* 100 sum(actual - forecast) / (n
				 * mean actual) */
};
void dg_fc_score_measures(const struct dg_fc_score *s,
    struct dg_fc_measures *m);

/* --- Naive forecasts (for comparison) -------------------------------- */

/* The hourly value of the instant t from the points, or -1 if absent
 * (binary search; NaN-free). */
int dg_fc_value_at(const struct dg_point *p, size_t n, dg_time t, double *v);
/* The average, per local clock hour, of the `high` like days with the
 * highest mean load among the last `pool` like days (same day type:
 * business, or weekend/holiday) on or before date last, searching back at
 * most maxback days.  A like day counts when it has 24 hours (DST days are
 * skipped) and at least min_hours of them have a value; its mean is over
 * those.  out[h] is for clock hour h.  -1 when too few like days. */
int dg_fc_naive_highavg(const struct dg_point *p, size_t n, dg_date day,
    dg_date last, int pool, int high, int maxback, int min_hours,
    const struct dg_holidays *h, double out[24]);

#ifdef __cplusplus
}
#endif
#endif
