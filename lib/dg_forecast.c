/* dg_forecast.c: per-site hourly load regression, accuracy, naive
 * forecasts (see dg_forecast.h). */
#include <config.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>

#include "dg_csv.h"
#include "dg_forecast.h"
#include "dg_quality.h"
#include "dg_util.h"

#define MAXP 5		/* intercept, temp|thi, rh, cool */

void
dg_fc_params_init(struct dg_fc_params *p)
{
	memset(p, 0, sizeof(*p));
	p->window_days = 60;
	p->regs = DG_FC_TEMP;
	p->weekend_hourly = 0;
	p->halflife_days = 0;
	p->changepoint = 1;
	p->cp_lo_f = 50;
	p->cp_hi_f = 80;
	p->cp_step_f = 1;
	p->cp_min_gain = 0.01;
	p->cp_min_side = 6;
	p->min_dof = 4;
	p->rank_tol = 1e-9;
	p->zero_run_h = 24;
	p->clamp_margin = 0.25;
	p->robust = 0;
	p->max_gap_h = 6;
}

void
dg_fc_flags_format(unsigned f, char *buf, size_t n)
{
	/* by bit: DG_FC_Q_SHORT (1 << 0) .. DG_FC_Q_ZERORUN (1 << 5) */
	static const char *const names[] = {
		"short", "rank-deficient", "pooled", "weather-interpolated",
		"no-weather", "zero-run"
	};

	dg_quality_format(f, names, (int)(sizeof(names) / sizeof(names[0])),
	    buf, n);
}

double
dg_fc_thi(double t, double rh)
{
	return t - 0.55 * (1.0 - rh / 100.0) * (t - 58.0);
}

const char *
dg_fc_regs_name(enum dg_fc_regs r)
{
	switch (r) {
	case DG_FC_TEMP_RH:	return "temp+rh";
	case DG_FC_THI:		return "thi";
	default:		return "temp";
	}
}

int
dg_fc_regs_parse(const char *s, enum dg_fc_regs *r)
{
	if (strcmp(s, "temp") == 0)
		*r = DG_FC_TEMP;
	else if (strcmp(s, "temp+rh") == 0)
		*r = DG_FC_TEMP_RH;
	else if (strcmp(s, "thi") == 0)
		*r = DG_FC_THI;
	else
		return DG_EINVAL;
	return DG_OK;
}

/* --- Weather ---------------------------------------------------------- */

static dg_time
hour_floor(dg_time t)
{
	dg_time r = t % 3600;

	return t - (r < 0 ? r + 3600 : r);
}

static void
fill_gaps(double *v, unsigned char *known, unsigned char *flag, size_t n,
    int max_gap)
{
	size_t i = 0, prev;
	int have_prev = 0;

	for (i = 0; i < n; i++) {
		if (!known[i])
			continue;
		if (have_prev && i - prev > 1) {
			size_t gap = i - prev - 1;

			for (size_t k = prev + 1; k < i; k++) {
				if ((int)gap <= max_gap) {
					double a = (double)(k - prev) /
					    (double)(i - prev);

					v[k] = v[prev] + a * (v[i] - v[prev]);
					flag[k] |= DG_FC_Q_INTERP;
				} else
					flag[k] |= DG_FC_Q_NOWX;
			}
		}
		prev = i;
		have_prev = 1;
	}
	/* Before the first and after the last known hour: unknown. */
	for (i = 0; i < n; i++) {
		if (known[i])
			break;
		flag[i] |= DG_FC_Q_NOWX;
	}
	for (i = n; i-- > 0;) {
		if (known[i])
			break;
		flag[i] |= DG_FC_Q_NOWX;
	}
}

static int
grid_put(const struct dg_point *p, size_t np, dg_time t0, size_t n,
    double *v, unsigned char *known, int *cnt)
{
	for (size_t i = 0; i < n; i++) {
		v[i] = 0;
		cnt[i] = 0;
	}
	for (size_t i = 0; i < np; i++) {
		dg_time h = hour_floor(p[i].t);
		size_t k = (size_t)((h - t0) / 3600);

		if (h < t0 || k >= n || !isfinite(p[i].v))
			continue;
		v[k] += p[i].v;
		cnt[k]++;
	}
	for (size_t i = 0; i < n; i++) {
		known[i] = cnt[i] > 0;
		if (cnt[i] > 1)
			v[i] /= cnt[i];
	}
	return 0;
}

int
dg_fc_weather_init(struct dg_fc_weather *w, const struct dg_point *temp,
    size_t nt, const struct dg_point *rh, size_t nrh, int max_gap_h,
    struct dg_error *err)
{
	dg_time lo, hi;
	unsigned char *kt = NULL, *kr = NULL;
	int *cnt = NULL;
	int st = DG_ENOMEM;

	memset(w, 0, sizeof(*w));
	if (nt == 0)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "no temperature readings");
	lo = hour_floor(temp[0].t);
	hi = hour_floor(temp[nt - 1].t);
	for (size_t i = 0; i < nt; i++) {
		dg_time h = hour_floor(temp[i].t);

		if (h < lo)
			lo = h;
		if (h > hi)
			hi = h;
	}
	if (hi - lo > (dg_time)3600 * 24 * 366 * 50)
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "weather readings span more than 50 years");
	w->t0 = lo;
	w->n = (size_t)((hi - lo) / 3600) + 1;
	w->temp = malloc(w->n * sizeof(double));
	w->flag = calloc(w->n, 1);
	kt = malloc(w->n);
	cnt = malloc(w->n * sizeof(int));
	if (w->temp == NULL || w->flag == NULL || kt == NULL || cnt == NULL)
		goto fail;
	grid_put(temp, nt, lo, w->n, w->temp, kt, cnt);
	fill_gaps(w->temp, kt, w->flag, w->n, max_gap_h);
	if (rh != NULL) {
		if ((w->rh = malloc(w->n * sizeof(double))) == NULL ||
		    (kr = malloc(w->n)) == NULL)
			goto fail;
		grid_put(rh, nrh, lo, w->n, w->rh, kr, cnt);
		fill_gaps(w->rh, kr, w->flag, w->n, max_gap_h);
	}
	free(kt);
	free(kr);
	free(cnt);
	return DG_OK;
fail:
	free(kt);
	free(kr);
	free(cnt);
	dg_fc_weather_release(w);
	return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
}

void
dg_fc_weather_release(struct dg_fc_weather *w)
{
	free(w->temp);
	free(w->rh);
	free(w->flag);
	memset(w, 0, sizeof(*w));
}

unsigned
dg_fc_weather_at(const struct dg_fc_weather *w, dg_time t, double *temp,
    double *rh)
{
	dg_time h = hour_floor(t);
	size_t k;

	if (w->n == 0 || h < w->t0)
		return DG_FC_Q_NOWX;
	k = (size_t)((h - w->t0) / 3600);
	if (k >= w->n || (w->flag[k] & DG_FC_Q_NOWX))
		return DG_FC_Q_NOWX;
	*temp = w->temp[k];
	*rh = w->rh != NULL ? w->rh[k] : 0;
	return w->flag[k];
}

/* --- Models ---------------------------------------------------------- */

void
dg_fc_model_init(struct dg_fc_model *m)
{
	memset(m, 0, sizeof(*m));
}

void
dg_fc_model_release(struct dg_fc_model *m)
{
	free(m->site);
	memset(m, 0, sizeof(*m));
}

static int
eq_index(int weekend, int hour, int weekend_hourly)
{
	if (!weekend)
		return hour;
	return weekend_hourly ? 24 + hour : 24;
}

static int
is_offday(dg_date d, const struct dg_holidays *h)
{
	if (dg_cal_is_weekend(d))
		return 1;
	if (h != NULL)
		return dg_holidays_contains(h, d);
	return dg_cal_nerc_holiday(d) != NULL;
}

const struct dg_fc_eq *
dg_fc_model_eq(const struct dg_fc_model *m, dg_time t,
    const struct dg_holidays *h)
{
	struct dg_local lt;
	int k;

	if (dg_time_local(t, &lt) != DG_OK)
		return NULL;
	k = eq_index(is_offday(dg_date_from_ymd(lt.year, lt.mon, lt.mday), h),
	    lt.hour, m->weekend_hourly);
	return m->eq[k].used ? &m->eq[k] : NULL;
}

static double
xmain(int regs, double t, double rh)
{
	return regs == DG_FC_THI ? dg_fc_thi(t, rh) : t;
}

double
dg_fc_eq_eval(const struct dg_fc_eq *e, double t, double rh)
{
	double y = e->c0 + e->c_temp * t + e->c_rh * rh;

	if (e->c_thi != 0)
		y += e->c_thi * dg_fc_thi(t, rh);
	if (e->cool) {
		double x = xmain(e->regs, t, rh) - e->balance_f;

		if (x > 0)
			y += e->c_cool * x;
	}
	if (e->bounded) {
		if (y < e->lo_kw)
			y = e->lo_kw;
		if (y > e->hi_kw)
			y = e->hi_kw;
	}
	return y;
}

/* --- Fitting ---------------------------------------------------------- */

struct obs {
	double y, t, rh, x, w;	/* load, temp, rh, main variable, weight */
	int k;			/* equation */
};

struct xrow {
	double x;
	size_t i;
};

struct dg_fc_work {
	struct obs *o;
	size_t ocap;
	size_t *idx;		/* rows of one equation */
	struct xrow *xs;	/* the same, sorted by x */
	size_t nmax;
	gsl_multifit_linear_workspace *ws;
	gsl_matrix *X, *cov;
	gsl_vector *y, *w, *c;
};

struct dg_fc_work *
dg_fc_work_alloc(void)
{
	struct dg_fc_work *w = calloc(1, sizeof(*w));

	gsl_set_error_handler_off();	/* every GSL status is checked here */
	if (w == NULL)
		return NULL;
	if ((w->cov = gsl_matrix_alloc(MAXP, MAXP)) == NULL ||
	    (w->c = gsl_vector_alloc(MAXP)) == NULL) {
		dg_fc_work_free(w);
		return NULL;
	}
	return w;
}

static void
work_free_rows(struct dg_fc_work *w)
{
	if (w->ws)
		gsl_multifit_linear_free(w->ws);
	if (w->X)
		gsl_matrix_free(w->X);
	if (w->y)
		gsl_vector_free(w->y);
	if (w->w)
		gsl_vector_free(w->w);
	w->ws = NULL;
	w->X = NULL;
	w->y = w->w = NULL;
	w->nmax = 0;
}

void
dg_fc_work_free(struct dg_fc_work *w)
{
	if (w == NULL)
		return;
	work_free_rows(w);
	if (w->cov)
		gsl_matrix_free(w->cov);
	if (w->c)
		gsl_vector_free(w->c);
	free(w->o);
	free(w->idx);
	free(w->xs);
	free(w);
}

static int
work_rows(struct dg_fc_work *w, size_t n)
{
	if (n <= w->nmax)
		return DG_OK;
	work_free_rows(w);
	if (n < 64)
		n = 64;
	if ((w->ws = gsl_multifit_linear_alloc(n, MAXP)) == NULL ||
	    (w->X = gsl_matrix_alloc(n, MAXP)) == NULL ||
	    (w->y = gsl_vector_alloc(n)) == NULL ||
	    (w->w = gsl_vector_alloc(n)) == NULL) {
		work_free_rows(w);
		return DG_ENOMEM;
	}
	w->nmax = n;
	return DG_OK;
}

/* One candidate design: which regressors, and the balance point. */
struct design {
	int temp, rh, thi, cool;
	double tb;
};

static int
design_terms(const struct design *d)
{
	return 1 + d->temp + d->rh + d->thi + d->cool;
}

static double
col_value(const struct design *d, int j, const struct obs *o)
{
	/* j: 0 temp, 1 rh, 2 thi, 3 cool */
	switch (j) {
	case 0:	return o->t;
	case 1:	return o->rh;
	case 2:	return o->x;
	default: return o->x > d->tb ? o->x - d->tb : 0;
	}
}

struct fitres {
	double c0, c[4];	/* original units: temp, rh, thi, cool */
	int rankdef;
	double sse, sum_r, mean_y, sst;
	long n;
};

/* The design's columns in a fit: the ones used, and those of them with a
 * spread (cols[0..nc)), with their weighted means and deviations. */
struct fitcols {
	int use[4];
	double mean[4], sd[4];
	int cols[4], nc;
};

/* The means and deviations of the used columns over rows idx[0..n) (sw:
 * the sum of their weights); a column with no spread is dropped
 * (r->rankdef). */
static void
fit_columns(const struct dg_fc_work *w, const size_t *idx, size_t n,
    const struct design *d, const struct dg_fc_params *p, double sw,
    struct fitcols *fc, struct fitres *r)
{
	fc->nc = 0;
	for (int j = 0; j < 4; j++) {
		double m = 0, v = 0;

		if (!fc->use[j])
			continue;
		for (size_t i = 0; i < n; i++)
			m += w->o[idx[i]].w * col_value(d, j, &w->o[idx[i]]);
		m /= sw;
		for (size_t i = 0; i < n; i++) {
			double e = col_value(d, j, &w->o[idx[i]]) - m;

			v += w->o[idx[i]].w * e * e;
		}
		v = sqrt(v / sw);
		if (!(v > p->rank_tol * (fabs(m) > 1 ? fabs(m) : 1))) {
			fc->use[j] = 0;
			r->rankdef = 1;
			continue;
		}
		fc->mean[j] = m;
		fc->sd[j] = v;
		fc->cols[fc->nc++] = j;
	}
}

/* The views of the work's arrays in a fit of n rows, nc columns and a
 * constant. */
struct fitviews {
	gsl_matrix_view X, cov;
	gsl_vector_view y, wt, c;
};

static void
fit_views(struct dg_fc_work *w, size_t n, int nc, struct fitviews *v)
{
	v->X = gsl_matrix_submatrix(w->X, 0, 0, n, nc + 1);
	v->y = gsl_vector_subvector(w->y, 0, n);
	v->wt = gsl_vector_subvector(w->w, 0, n);
	v->c = gsl_vector_subvector(w->c, 0, nc + 1);
	v->cov = gsl_matrix_submatrix(w->cov, 0, 0, nc + 1, nc + 1);
}

/* The weighted fit by truncated SVD of y on the centred and scaled
 * columns (and a constant) over rows idx[0..n): coefficients in w->c,
 * the rank in *rank. */
static int
fit_tsvd(struct dg_fc_work *w, const size_t *idx, size_t n,
    const struct design *d, const struct dg_fc_params *p,
    const struct fitcols *fc, size_t *rank, struct dg_error *err)
{
	int nc = fc->nc, gs;
	struct fitviews v;
	double chisq;

	fit_views(w, n, nc, &v);
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = &w->o[idx[i]];

		gsl_matrix_set(&v.X.matrix, i, 0, 1.0);
		for (int k = 0; k < nc; k++)
			gsl_matrix_set(&v.X.matrix, i, k + 1,
			    (col_value(d, fc->cols[k], o) -
			    fc->mean[fc->cols[k]]) /
			    fc->sd[fc->cols[k]]);
		gsl_vector_set(&v.y.vector, i, o->y);
		gsl_vector_set(&v.wt.vector, i, o->w);
	}
	gs = gsl_multifit_wlinear_tsvd(&v.X.matrix, &v.wt.vector, &v.y.vector,
	    p->rank_tol, &v.c.vector, &v.cov.matrix, &chisq, rank, w->ws);
	if (gs != GSL_SUCCESS)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "GSL multifit: %s", gsl_strerror(gs));
	return DG_OK;
}

/* The fit fit_tsvd set up (n rows, nc columns and a constant) again as a
 * bisquare M-estimate (GSL's default tuning, 4.685) on the rows scaled by
 * sqrt(weight): coefficients in w->c. */
static int
fit_robust(struct dg_fc_work *w, size_t n, int nc, struct dg_error *err)
{
	gsl_multifit_robust_workspace *rw =
	    gsl_multifit_robust_alloc(gsl_multifit_robust_bisquare, n, nc + 1);
	struct fitviews v;
	int gs;

	fit_views(w, n, nc, &v);
	if (rw == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < n; i++) {
		double sw1 = sqrt(gsl_vector_get(&v.wt.vector, i));

		for (int k = 0; k <= nc; k++)
			gsl_matrix_set(&v.X.matrix, i, k,
			    gsl_matrix_get(&v.X.matrix, i, k) * sw1);
		gsl_vector_set(&v.y.vector, i,
		    gsl_vector_get(&v.y.vector, i) * sw1);
	}
	gs = gsl_multifit_robust(&v.X.matrix, &v.y.vector, &v.c.vector,
	    &v.cov.matrix, rw);
	gsl_multifit_robust_free(rw);
	/* GSL_EMAXITER: the iteration did not settle; its last estimate is
	 * still a valid fit. */
	if (gs != GSL_SUCCESS && gs != GSL_EMAXITER)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "GSL robust multifit: %s", gsl_strerror(gs));
	return DG_OK;
}

/* Unweighted fit statistics of r on rows idx[0..n). */
static void
fit_stats(const struct dg_fc_work *w, const size_t *idx, size_t n,
    const struct design *d, struct fitres *r)
{
	double sy = 0;

	for (size_t i = 0; i < n; i++)
		sy += w->o[idx[i]].y;
	r->mean_y = n ? sy / (double)n : 0;
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = &w->o[idx[i]];
		double f = r->c0, e;

		for (int j = 0; j < 4; j++)
			if (r->c[j] != 0)
				f += r->c[j] * col_value(d, j, o);
		e = o->y - f;
		r->sse += e * e;
		r->sum_r += e;
		r->sst += (o->y - r->mean_y) * (o->y - r->mean_y);
	}
}

/* Weighted LS of y on the design's columns over rows idx[0..n).  Columns
 * are centred and scaled; a column with no spread is dropped (rankdef).
 * The truncated SVD detects the remaining collinearity. */
static int
fit_design(struct dg_fc_work *w, const size_t *idx, size_t n,
    struct design *d, const struct dg_fc_params *p, struct fitres *r,
    struct dg_error *err)
{
	struct fitcols fc = { .use = { d->temp, d->rh, d->thi, d->cool } };
	size_t rank;
	double sw = 0;
	int st;

	memset(r, 0, sizeof(*r));
	r->n = (long)n;
	for (size_t i = 0; i < n; i++)
		sw += w->o[idx[i]].w;
	if (sw <= 0)
		sw = 1;
	for (;;) {
		fit_columns(w, idx, n, d, p, sw, &fc, r);
		if ((st = fit_tsvd(w, idx, n, d, p, &fc, &rank, err)) != DG_OK)
			return st;
		if (rank >= (size_t)fc.nc + 1)
			break;
		if (fc.nc == 0)
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "no usable observation (zero weights)");
		/* Drop the last regressor and fit again. */
		fc.use[fc.cols[fc.nc - 1]] = 0;
		r->rankdef = 1;
	}
	if (p->robust && n > (size_t)fc.nc + 1 &&
	    (st = fit_robust(w, n, fc.nc, err)) != DG_OK)
		return st;
	r->c0 = gsl_vector_get(w->c, 0);
	for (int j = 0; j < 4; j++)
		r->c[j] = 0;
	for (int k = 0; k < fc.nc; k++) {
		double b = gsl_vector_get(w->c, k + 1) / fc.sd[fc.cols[k]];

		r->c[fc.cols[k]] = b;
		r->c0 -= b * fc.mean[fc.cols[k]];
	}
	d->temp = fc.use[0];
	d->rh = fc.use[1];
	d->thi = fc.use[2];
	d->cool = fc.use[3];
	fit_stats(w, idx, n, d, r);
	return DG_OK;
}

static double
adj_r2(const struct fitres *r, int terms)
{
	if (r->sst <= 0 || r->n <= terms)
		return -DBL_MAX;
	return 1 - (r->sse / r->sst) * (double)(r->n - 1) /
	    (double)(r->n - terms);
}

static void
set_eq(struct dg_fc_eq *e, const struct design *d, const struct fitres *r,
    int terms)
{
	e->c0 = r->c0;
	e->c_temp = d->temp ? r->c[0] : 0;
	e->c_rh = d->rh ? r->c[1] : 0;
	e->c_thi = d->thi ? r->c[2] : 0;
	e->cool = d->cool;
	e->c_cool = d->cool ? r->c[3] : 0;
	e->balance_f = d->cool ? d->tb : 0;
	e->regs = d->thi ? DG_FC_THI : d->rh ? DG_FC_TEMP_RH : DG_FC_TEMP;
	e->n = r->n;
	e->nterms = terms;
	e->have_stats = r->n > terms && r->mean_y != 0;
	if (e->have_stats) {
		e->r2 = r->sst > 0 ? 1 - r->sse / r->sst : 0;
		e->adj_r2 = r->sst > 0 ? adj_r2(r, terms) : 0;
		e->cv_rmse_pct =
		    100 * sqrt(r->sse / (double)(r->n - terms)) / r->mean_y;
		e->nmbe_pct =
		    100 * r->sum_r / ((double)(r->n - terms) * r->mean_y);
	} else
		e->r2 = e->adj_r2 = e->cv_rmse_pct = e->nmbe_pct = 0;
}

static int
cmp_xrow(const void *a, const void *b)
{
	const struct xrow *p = a, *q = b;

	return p->x < q->x ? -1 : p->x > q->x;
}

/* The normal equations of a base design (the constant and the columns
 * used: nb in all) over the rows of a fit: the lower triangle of X'WX,
 * X'Wy and y'Wy. */
struct normal {
	int use[3], nb;
	double G[MAXP][MAXP], b[MAXP], yy;
};

/* The base columns of row o: v[0..ne->nb). */
static void
base_row(const struct normal *ne, const struct design *d,
    const struct obs *o, double *v)
{
	int k = 1;

	v[0] = 1;
	for (int j = 0; j < 3; j++)
		if (ne->use[j])
			v[k++] = col_value(d, j, o);
}

/* The sums of ne over rows idx[0..n), and the rows sorted by x in
 * w->xs. */
static void
cp_normal(struct dg_fc_work *w, const size_t *idx, size_t n,
    const struct design *d, struct normal *ne)
{
	double v[MAXP];

	memset(ne->G, 0, sizeof(ne->G));
	memset(ne->b, 0, sizeof(ne->b));
	ne->yy = 0;
	for (size_t i = 0; i < n; i++) {
		const struct obs *o = &w->o[idx[i]];

		base_row(ne, d, o, v);
		for (int a = 0; a < ne->nb; a++) {
			ne->b[a] += o->w * v[a] * o->y;
			for (int c = 0; c <= a; c++)
				ne->G[a][c] += o->w * v[a] * v[c];
		}
		ne->yy += o->w * o->y * o->y;
		w->xs[i].x = o->x;
		w->xs[i].i = idx[i];
	}
	qsort(w->xs, n, sizeof(*w->xs), cmp_xrow);
}

/* The weighted SSE of the base design with the cooling column
 * max(0, x - tb), non-zero for the rows w->xs[first..n): the system
 * solved by Cholesky (GSL).  *pd is 0 when it is not positive definite
 * (no SSE). */
static int
cp_sse(struct dg_fc_work *w, size_t first, size_t n, const struct design *d,
    const struct normal *ne, double tb, int *pd, double *sse,
    struct dg_error *err)
{
	int nb = ne->nb, np = nb + 1, gs;
	double gc[MAXP], bc = 0, cb = 0, v[MAXP], bb[MAXP];
	gsl_matrix_view gm = gsl_matrix_submatrix(w->cov, 0, 0, np, np);
	gsl_vector_view bv = gsl_vector_view_array(bb, np);
	gsl_vector_view cv = gsl_vector_subvector(w->c, 0, np);

	memset(gc, 0, sizeof(gc));
	for (size_t r = first; r < n; r++) {
		const struct obs *o = &w->o[w->xs[r].i];
		double x = o->x - tb;

		base_row(ne, d, o, v);
		for (int a = 0; a < nb; a++)
			gc[a] += o->w * x * v[a];
		gc[nb] += o->w * x * x;
		bc += o->w * x * o->y;
	}
	for (int a = 0; a < nb; a++) {
		for (int c = 0; c <= a; c++) {
			gsl_matrix_set(&gm.matrix, a, c, ne->G[a][c]);
			gsl_matrix_set(&gm.matrix, c, a, ne->G[a][c]);
		}
		gsl_matrix_set(&gm.matrix, nb, a, gc[a]);
		gsl_matrix_set(&gm.matrix, a, nb, gc[a]);
		bb[a] = ne->b[a];
	}
	gsl_matrix_set(&gm.matrix, nb, nb, gc[nb]);
	bb[nb] = bc;
	*pd = 1;
	gs = gsl_linalg_cholesky_decomp1(&gm.matrix);
	if (gs == GSL_EDOM) {
		*pd = 0;
		return DG_OK;
	}
	if (gs == GSL_SUCCESS)
		gs = gsl_linalg_cholesky_solve(&gm.matrix, &bv.vector,
		    &cv.vector);
	if (gs != GSL_SUCCESS)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "GSL Cholesky: %s", gsl_strerror(gs));
	for (int a = 0; a < np; a++)
		cb += gsl_vector_get(&cv.vector, a) * bb[a];
	*sse = ne->yy - cb;
	return DG_OK;
}

/* The change-point search.  For the base design d (without the cooling
 * term) on rows idx[0..n): the balance point of the grid whose design
 * with the term max(0, x - tb) has the least weighted SSE, from the
 * normal equations X'WX c = X'Wy solved by Cholesky (GSL).  The sums of
 * the base columns are formed once; the cooling column is non-zero only
 * for rows above tb, a suffix of the rows sorted by x.  *found is 0 when
 * no candidate has cp_min_side rows on each side and a positive definite
 * system. */
static int
cp_search(struct dg_fc_work *w, const size_t *idx, size_t n,
    const struct design *d, const struct dg_fc_params *p, double *tbest,
    int *found, struct dg_error *err)
{
	struct normal ne = { .use = { d->temp, d->rh, d->thi } };
	double best = 0, sse = 0;
	size_t first = 0;
	int st, pd;

	*found = 0;
	ne.nb = 1 + ne.use[0] + ne.use[1] + ne.use[2];
	cp_normal(w, idx, n, d, &ne);
	for (double tb = p->cp_lo_f; tb <= p->cp_hi_f + 1e-9;
	    tb += p->cp_step_f) {
		long above;

		while (first < n && w->xs[first].x <= tb)
			first++;
		above = (long)(n - first);
		if (above < p->cp_min_side || (long)n - above < p->cp_min_side)
			continue;
		if ((st = cp_sse(w, first, n, d, &ne, tb, &pd, &sse, err)) !=
		    DG_OK)
			return st;
		if (pd && (!*found || sse < best)) {
			best = sse;
			*tbest = tb;
			*found = 1;
		}
	}
	return DG_OK;
}

/* Fits one equation on rows idx[0..n). */
static int
fit_eq(struct dg_fc_work *w, const size_t *idx, size_t n, int regs,
    const struct dg_fc_params *p, struct dg_fc_eq *e, struct dg_error *err)
{
	struct design d, best;
	struct fitres r, rb;
	int st, terms;

	memset(&d, 0, sizeof(d));
	d.temp = regs != DG_FC_THI;
	d.rh = regs == DG_FC_TEMP_RH;
	d.thi = regs == DG_FC_THI;
	/* Too few observations: drop regressors, down to the mean. */
	while (design_terms(&d) > 1 &&
	    (long)n < design_terms(&d) + p->min_dof) {
		e->flags |= DG_FC_Q_SHORT;
		if (d.rh)
			d.rh = 0;
		else
			d.temp = d.thi = 0;
	}
	if ((st = fit_design(w, idx, n, &d, p, &r, err)) != DG_OK)
		return st;
	if (r.rankdef)
		e->flags |= DG_FC_Q_RANKDEF;
	terms = design_terms(&d);
	best = d;
	rb = r;
	/* The change-point term: best balance point on the grid by SSE; kept
	 * when the adjusted R-squared (Tb counted as a term) gains enough. */
	if (p->changepoint && (d.temp || d.thi) && !r.rankdef &&
	    (long)n >= terms + 2 + p->min_dof && p->cp_step_f > 0) {
		struct design c = d, cbest;
		struct fitres rcb;
		int found = 0;

		double tbest = 0;

		if ((st = cp_search(w, idx, n, &d, p, &tbest, &found,
		    err)) != DG_OK)
			return st;
		if (found) {
			c = d;
			c.cool = 1;
			c.tb = tbest;
			if ((st = fit_design(w, idx, n, &c, p, &rcb,
			    err)) != DG_OK)
				return st;
			cbest = c;
			if (rcb.rankdef || !c.cool)
				found = 0;
		}
		if (found && adj_r2(&rcb, terms + 2) - adj_r2(&r, terms) >=
		    p->cp_min_gain) {
			best = cbest;
			rb = rcb;
			terms += 2;
		}
	}
	set_eq(e, &best, &rb, terms);
	e->bounded = 0;
	if (p->clamp_margin >= 0 && n > 0) {
		double lo = w->o[idx[0]].y, hi = lo;

		for (size_t i = 1; i < n; i++) {
			if (w->o[idx[i]].y < lo)
				lo = w->o[idx[i]].y;
			if (w->o[idx[i]].y > hi)
				hi = w->o[idx[i]].y;
		}
		e->bounded = 1;
		e->lo_kw = lo - p->clamp_margin * (hi - lo);
		e->hi_kw = hi + p->clamp_margin * (hi - lo);
		if (lo >= 0 && e->lo_kw < 0)
			e->lo_kw = 0;	/* a load that was never negative */
	}
	return DG_OK;
}

long
dg_fc_loads_check(const struct dg_point *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(fabs(p[i].v) <= DG_FC_MAX_KW))
			return (long)i;
	return -1;
}

static int
figure_ok(double x)
{
	return fabs(x) <= DG_FC_MAX_FIGURE;	/* false for NaN */
}

/* Every figure the model file holds within DG_FC_MAX_FIGURE. */
static int
eq_in_range(const struct dg_fc_eq *e)
{
	return figure_ok(e->c0) && figure_ok(e->c_temp) && figure_ok(e->c_rh) &&
	    figure_ok(e->c_thi) && figure_ok(e->c_cool) &&
	    figure_ok(e->balance_f) &&
	    (!e->bounded || (figure_ok(e->lo_kw) && figure_ok(e->hi_kw))) &&
	    (!e->have_stats || (figure_ok(e->r2) && figure_ok(e->adj_r2) &&
	    figure_ok(e->cv_rmse_pct) && figure_ok(e->nmbe_pct)));
}

/* A model out of range: named at the window's largest load. */
static int
model_range_error(const struct dg_fc_model *m, int k,
    const struct dg_point *load, size_t lo, size_t n, dg_time t_hi,
    struct dg_error *err)
{
	const struct dg_fc_eq *e = &m->eq[k];
	char which[64];
	size_t big = lo;

	for (size_t i = lo; i < n && load[i].t < t_hi; i++)
		if (fabs(load[i].v) > fabs(load[big].v))
			big = i;
	if (e->hour < 0)
		snprintf(which, sizeof(which), "weekend equation");
	else
		snprintf(which, sizeof(which), "%s equation of hour %d",
		    e->weekend ? "weekend" : "business", e->hour);
	return dg_error_set(err, DG_ERANGE, NULL, lo < n ? load[big].line : 0,
	    NULL, "site %s: the %s has a figure beyond %g (loads or "
	    "temperatures far out of the ordinary?)", m->site, which,
	    DG_FC_MAX_FIGURE);
}

/* The index of the first of the n points (in time order) at or after t;
 * n when none (binary search). */
static size_t
first_at(const struct dg_point *p, size_t n, dg_time t)
{
	size_t a = 0, b = n;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (p[mid].t < t)
			a = mid + 1;
		else
			b = mid;
	}
	return a;
}

/* Room for nmax observations in w. */
static int
work_obs(struct dg_fc_work *w, size_t nmax, struct dg_error *err)
{
	struct obs *o;
	size_t *ix;
	struct xrow *xs;

	if (nmax <= w->ocap)
		return DG_OK;
	o = realloc(w->o, nmax * sizeof(*o));
	ix = realloc(w->idx, nmax * sizeof(*ix));
	xs = realloc(w->xs, nmax * sizeof(*xs));
	if (o != NULL)
		w->o = o;
	if (ix != NULL)
		w->idx = ix;
	if (xs != NULL)
		w->xs = xs;
	if (o == NULL || ix == NULL || xs == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	w->ocap = nmax;
	return DG_OK;
}

/* Whether load[i] (of n) is in a run of zero load of at least min_h
 * consecutive hours: a metering outage, not the building. */
static int
in_zero_run(const struct dg_point *load, size_t n, size_t i, long min_h)
{
	size_t a = i, b = i;

	if (min_h <= 0 || load[i].v != 0)
		return 0;
	while (a > 0 && load[a - 1].v == 0 &&
	    load[a].t - load[a - 1].t == 3600)
		a--;
	while (b + 1 < n && load[b + 1].v == 0 &&
	    load[b + 1].t - load[b].t == 3600)
		b++;
	return (long)(b - a + 1) >= min_h;
}

/* The observations of the window, load[lo ..] before t_hi with weather,
 * into w->o[0..*no), each with its equation and weight; the hours left
 * out counted in m. */
static int
fit_obs(struct dg_fc_model *m, const struct dg_point *load, size_t lo,
    size_t n, dg_time t_hi, const struct dg_fc_weather *wx,
    const struct dg_holidays *h, const struct dg_fc_params *p,
    struct dg_fc_work *w, size_t *no, struct dg_error *err)
{
	*no = 0;
	for (size_t i = lo; i < n && load[i].t < t_hi; i++) {
		struct obs *o = &w->o[*no];
		struct dg_local lt;
		dg_date d;
		double t, rh;
		unsigned f;

		if (!isfinite(load[i].v))
			continue;
		if (in_zero_run(load, n, i, p->zero_run_h)) {
			m->nzero++;
			m->flags |= DG_FC_Q_ZERORUN;
			continue;
		}
		f = dg_fc_weather_at(wx, load[i].t, &t, &rh);
		if (f & DG_FC_Q_NOWX) {
			m->nowx++;
			continue;
		}
		if (dg_time_local(load[i].t, &lt) != DG_OK)
			return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
			    "local time of %lld", (long long)load[i].t);
		d = dg_date_from_ymd(lt.year, lt.mon, lt.mday);
		o->y = load[i].v;
		o->t = t;
		o->rh = rh;
		o->x = xmain(p->regs, t, rh);
		o->k = eq_index(is_offday(d, h), lt.hour, p->weekend_hourly);
		o->w = p->halflife_days > 0 ? pow(0.5, (double)(t_hi -
		    load[i].t) / 86400.0 / p->halflife_days) : 1.0;
		(*no)++;
	}
	return DG_OK;
}

/* Every equation of m fitted on its observations of w->o[0..no); one
 * without any gets the pooled equation (all rows), flagged.  *bad: the
 * first equation with a figure out of range (then DG_ERANGE), or -1. */
static int
fit_eqs(struct dg_fc_model *m, size_t no, const struct dg_fc_params *p,
    struct dg_fc_work *w, int *bad, struct dg_error *err)
{
	struct dg_fc_eq pooled;
	int have_pooled = 0, st;

	*bad = -1;
	memset(&pooled, 0, sizeof(pooled));
	for (int k = 0; k < DG_FC_NEQ; k++) {
		struct dg_fc_eq *e = &m->eq[k];
		size_t ne = 0;

		if (k > 24 && !p->weekend_hourly)
			break;
		for (size_t i = 0; i < no; i++)
			if (w->o[i].k == k)
				w->idx[ne++] = i;
		if (ne == 0 && !have_pooled) {
			for (size_t i = 0; i < no; i++)
				w->idx[i] = i;
			if ((st = fit_eq(w, w->idx, no, p->regs, p, &pooled,
			    err)) != DG_OK)
				return st;
			have_pooled = 1;
		}
		if (ne == 0) {
			*e = pooled;
			e->flags |= DG_FC_Q_POOLED;
		} else if ((st = fit_eq(w, w->idx, ne, p->regs, p, e, err)) !=
		    DG_OK)
			return st;
		e->used = 1;
		e->weekend = k >= 24;
		e->hour = k < 24 ? k : p->weekend_hourly ? k - 24 : -1;
		m->flags |= e->flags;
		if (!eq_in_range(e)) {
			*bad = k;
			return DG_ERANGE;
		}
	}
	return DG_OK;
}

int
dg_fc_fit(struct dg_fc_model *m, const char *site,
    const struct dg_point *load, size_t n, const struct dg_fc_weather *wx,
    dg_date asof, const struct dg_holidays *h,
    const struct dg_fc_params *p, struct dg_fc_work *w,
    struct dg_error *err)
{
	dg_time t_lo, t_hi;
	size_t no, lo;
	int st, bad;

	dg_fc_model_release(m);
	m->regs = p->regs;
	m->weekend_hourly = p->weekend_hourly;
	if ((m->site = strdup(site)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if (p->window_days < 1 ||
	    dg_date_start(asof - p->window_days + 1, &t_lo) != DG_OK ||
	    dg_date_start(asof + 1, &t_hi) != DG_OK)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "bad fit window");
	lo = first_at(load, n, t_lo);	/* first point of the window */
	if ((st = work_obs(w, n - lo, err)) != DG_OK ||
	    (st = fit_obs(m, load, lo, n, t_hi, wx, h, p, w, &no, err)) !=
	    DG_OK)
		return st;
	m->nobs = (long)no;
	if (no == 0)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "site %s: no load hour with weather in the window", site);
	if ((st = work_rows(w, no)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	if ((st = fit_eqs(m, no, p, w, &bad, err)) != DG_OK && bad >= 0)
		return model_range_error(m, bad, load, lo, n, t_hi, err);
	return st;
}

/* --- Model CSV -------------------------------------------------------- */

const char *const dg_fc_model_columns[] = {
	"site", "daytype", "hour", "regressors", "intercept", "temp_coef",
	"rh_coef", "thi_coef", "cool_coef", "balance_f", "min_kw", "max_kw",
	"n", "r2", "adj_r2",
	"cv_rmse_pct", "nmbe_pct", "quality"
};
const size_t dg_fc_model_ncolumns =
    sizeof(dg_fc_model_columns) / sizeof(dg_fc_model_columns[0]);

static int
cmp_model(const void *a, const void *b)
{
	return strcmp(((const struct dg_fc_model *)a)->site,
	    ((const struct dg_fc_model *)b)->site);
}

static int
parse_flags(const char *s, unsigned *f)
{
	static const char *const names[] = {
		"short", "rank-deficient", "pooled", "weather-interpolated",
		"no-weather", "zero-run"
	};
	*f = 0;
	while (*s) {
		const char *e = strchr(s, ';');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		size_t k;

		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strlen(names[k]) == len &&
			    strncmp(names[k], s, len) == 0)
				break;
		if (k == sizeof(names) / sizeof(names[0]))
			return -1;
		*f |= 1u << k;
		s += len;
		if (*s == ';')
			s++;
	}
	return 0;
}

/* A number of a model file, within DG_FC_MAX_FIGURE. */
static int
get_figure(struct dg_csv *r, int c, double *v)
{
	int st;

	if ((st = dg_csv_get_double(r, c, v)) != DG_OK)
		return st;
	if (!figure_ok(*v))
		return dg_csv_fail(r, c, DG_ERANGE, "beyond %g: \"%s\"",
		    DG_FC_MAX_FIGURE, dg_csv_field(r, c, NULL));
	return DG_OK;
}

/* Reading a model file: the reader, the column of each name of
 * dg_fc_model_columns, and the models read so far (m: the last). */
struct mread {
	struct dg_csv *r;
	int col[18];
	struct dg_fc_model *ms, *m;
	size_t nm, cap;
	int seen_weekend;	/* m has a weekend equation */
};

/* One row of a model file, its fields checked one by one. */
struct mrow {
	const char *site, *dt, *hs;
	enum dg_fc_regs regs;
	int weekend, hour;
	double v[6], lo, hi;	/* c0 ... balance_f; min_kw, max_kw */
	int64_t n;
};

static int
mrow_read(struct mread *mr, struct mrow *w)
{
	struct dg_csv *r = mr->r;
	const int *col = mr->col;
	int64_t hh;
	int st;

	w->site = dg_csv_field(r, col[0], NULL);
	w->dt = dg_csv_field(r, col[1], NULL);
	w->hs = dg_csv_field(r, col[2], NULL);
	w->lo = w->hi = 0;
	if (w->site[0] == '\0')
		return dg_csv_fail(r, col[0], DG_EDATA, "empty site");
	if (strcmp(w->dt, "business") == 0)
		w->weekend = 0;
	else if (strcmp(w->dt, "weekend") == 0)
		w->weekend = 1;
	else
		return dg_csv_fail(r, col[1], DG_EDATA,
		    "not business or weekend: \"%s\"", w->dt);
	if (strcmp(w->hs, "all") == 0 && w->weekend)
		w->hour = -1;
	else if (dg_parse_int(w->hs, 0, 23, &hh) == DG_OK)
		w->hour = (int)hh;
	else
		return dg_csv_fail(r, col[2], DG_EDATA,
		    "hour must be 0-23%s: \"%s\"",
		    w->weekend ? " or all" : "", w->hs);
	if (dg_fc_regs_parse(dg_csv_field(r, col[3], NULL), &w->regs) != DG_OK)
		return dg_csv_fail(r, col[3], DG_EDATA,
		    "regressors must be temp, temp+rh or thi: \"%s\"",
		    dg_csv_field(r, col[3], NULL));
	for (int j = 0; j < 6; j++)
		if ((st = get_figure(r, col[4 + j], &w->v[j])) != DG_OK)
			return st;
	if (!(fabs(w->v[5]) <= DG_FC_MAX_BALANCE_F))
		return dg_csv_fail(r, col[9], DG_ERANGE,
		    "a temperature from %g to %g: \"%s\"",
		    -DG_FC_MAX_BALANCE_F, DG_FC_MAX_BALANCE_F,
		    dg_csv_field(r, col[9], NULL));
	if (dg_csv_is_empty(r, col[10]) != dg_csv_is_empty(r, col[11]))
		return dg_csv_fail(r, col[10], DG_EDATA,
		    "min_kw and max_kw must be both given or both empty");
	if (!dg_csv_is_empty(r, col[10]) &&
	    ((st = get_figure(r, col[10], &w->lo)) != DG_OK ||
	    (st = get_figure(r, col[11], &w->hi)) != DG_OK))
		return st;
	if (!dg_csv_is_empty(r, col[10]) && w->lo > w->hi)
		return dg_csv_fail(r, col[10], DG_EDATA,
		    "min_kw %.3f above max_kw %.3f", w->lo, w->hi);
	return dg_csv_get_int(r, col[12], &w->n);
}

/* The model of the row's site: the last one, or a new one (the rows of a
 * site are together). */
static int
mrow_model(struct mread *mr, const struct mrow *w)
{
	struct dg_csv *r = mr->r;

	if (mr->m != NULL && strcmp(mr->m->site, w->site) == 0)
		return DG_OK;
	for (size_t i = 0; i < mr->nm; i++)
		if (strcmp(mr->ms[i].site, w->site) == 0)
			return dg_csv_fail(r, mr->col[0], DG_EDATA,
			    "rows of site \"%s\" not together", w->site);
	if (dg_grow(&mr->ms, &mr->cap, mr->nm + 1, sizeof(*mr->ms)) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	mr->m = &mr->ms[mr->nm];
	dg_fc_model_init(mr->m);
	mr->seen_weekend = 0;
	if ((mr->m->site = strdup(w->site)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	mr->m->regs = w->regs;
	mr->nm++;
	return DG_OK;
}

/* The row's equation into its site's model. */
static int
mrow_add(struct mread *mr, const struct mrow *w)
{
	struct dg_csv *r = mr->r;
	const int *col = mr->col;
	struct dg_fc_model *m;
	struct dg_fc_eq *e;
	int st;

	if ((st = mrow_model(mr, w)) != DG_OK)
		return st;
	m = mr->m;
	if (w->weekend && !mr->seen_weekend) {
		m->weekend_hourly = w->hour >= 0;
		mr->seen_weekend = 1;
	} else if (w->weekend && (w->hour >= 0) != m->weekend_hourly) {
		return dg_csv_fail(r, col[2], DG_EDATA,
		    "weekend hour \"%s\": site %s mixes one weekend equation and hourly ones",
		    w->hs, w->site);
	}
	e = &m->eq[eq_index(w->weekend, w->hour < 0 ? 0 : w->hour,
	    m->weekend_hourly)];
	if (e->used)
		return dg_csv_fail(r, col[2], DG_EDATA,
		    "repeated equation: site %s %s hour %s", w->site, w->dt,
		    w->hs);
	e->used = 1;
	e->weekend = w->weekend;
	e->hour = w->hour;
	e->regs = w->regs;
	e->c0 = w->v[0];
	e->c_temp = w->v[1];
	e->c_rh = w->v[2];
	e->c_thi = w->v[3];
	e->c_cool = w->v[4];
	e->balance_f = w->v[5];
	e->cool = w->v[4] != 0;
	e->n = (long)w->n;
	e->bounded = !dg_csv_is_empty(r, col[10]);
	e->lo_kw = w->lo;
	e->hi_kw = w->hi;
	if (parse_flags(dg_csv_field(r, col[17], NULL), &e->flags) != 0)
		return dg_csv_fail(r, col[17], DG_EDATA,
		    "unknown quality flag: \"%s\"",
		    dg_csv_field(r, col[17], NULL));
	m->flags |= e->flags;
	return DG_OK;
}

/* Every model complete: an equation for every hour. */
static int
models_complete(const struct dg_fc_model *ms, size_t nm, const char *name,
    struct dg_error *err)
{
	for (size_t i = 0; i < nm; i++) {
		int nk = ms[i].weekend_hourly ? 48 : 25;

		for (int k = 0; k < nk; k++)
			if (!ms[i].eq[k].used)
				return dg_error_set(err, DG_EDATA, name, 0,
				    NULL, "site %s: no equation for %s hour %d",
				    ms[i].site, k < 24 ? "business" : "weekend",
				    k < 24 ? k : k - 24);
	}
	return DG_OK;
}

int
dg_fc_models_read(struct dg_fc_model **msp, size_t *nmp, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct mread mr = { 0 };
	struct mrow w;
	int st;

	*msp = NULL;
	*nmp = 0;
	if ((st = dg_csv_open(&mr.r, path, o, err)) != DG_OK)
		return st;
	for (size_t j = 0; j < dg_fc_model_ncolumns; j++)
		if ((st = dg_csv_require(mr.r, dg_fc_model_columns[j],
		    &mr.col[j])) != DG_OK)
			goto out;
	while ((st = dg_csv_next(mr.r)) == DG_OK)
		if ((st = mrow_read(&mr, &w)) != DG_OK ||
		    (st = mrow_add(&mr, &w)) != DG_OK)
			goto out;
	if (st == DG_EOF)
		st = models_complete(mr.ms, mr.nm, dg_csv_name(mr.r), err);
out:
	if (st != DG_OK && st != DG_EOF) {
		if (dg_csv_error(mr.r)->status != DG_OK && err != NULL &&
		    err->status == DG_OK)
			*err = *dg_csv_error(mr.r);
		dg_csv_close(mr.r);
		dg_fc_models_free(mr.ms, mr.nm);
		return st;
	}
	dg_csv_close(mr.r);
	if (mr.nm > 1)
		qsort(mr.ms, mr.nm, sizeof(*mr.ms), cmp_model);
	*msp = mr.ms;
	*nmp = mr.nm;
	return DG_OK;
}

void
dg_fc_models_free(struct dg_fc_model *ms, size_t nm)
{
	for (size_t i = 0; i < nm; i++)
		dg_fc_model_release(&ms[i]);
	free(ms);
}

/* --- Accuracy ---------------------------------------------------------- */

void
dg_fc_score_init(struct dg_fc_score *s)
{
	memset(s, 0, sizeof(*s));
}

void
dg_fc_score_add(struct dg_fc_score *s, double a, double f)
{
	double e = f - a, ae = fabs(e);

	s->n++;
	s->sum_a += a;
	s->sum_f += f;
	s->sum_e += e;
	s->sum_e2 += e * e;
	s->sum_abs += ae;
	if (ae > s->max_abs)
		s->max_abs = ae;
	if (a != 0) {
		double pc = 100 * e / fabs(a);

		s->npct++;
		s->sum_pct += pc;
		s->sum_abs_pct += fabs(pc);
		if (fabs(pc) > s->max_abs_pct)
			s->max_abs_pct = fabs(pc);
	}
}

void
dg_fc_score_measures(const struct dg_fc_score *s, struct dg_fc_measures *m)
{
	double n = (double)s->n;

	memset(m, 0, sizeof(*m));
	m->n = s->n;
	if (s->n == 0)
		return;
	m->avg_actual_kw = s->sum_a / n;
	m->avg_forecast_kw = s->sum_f / n;
	m->mae_kw = s->sum_abs / n;
	m->max_abs_err_kw = s->max_abs;
	m->bias_kw = s->sum_e / n;
	if (s->npct > 0) {
		m->have_pct = 1;
		m->mae_pct = s->sum_abs_pct / (double)s->npct;
		m->max_abs_err_pct = s->max_abs_pct;
		m->bias_pct = s->sum_pct / (double)s->npct;
	}
	if (m->avg_actual_kw != 0) {
		m->have_cv = 1;
		m->cv_rmse_pct = 100 * sqrt(s->sum_e2 / n) / m->avg_actual_kw;
		m->nmbe_pct = -100 * s->sum_e / (n * m->avg_actual_kw);
	}
}

/* --- Naive forecasts ---------------------------------------------------- */

int
dg_fc_value_at(const struct dg_point *p, size_t n, dg_time t, double *v)
{
	size_t a = first_at(p, n, t);

	if (a < n && p[a].t == t && isfinite(p[a].v)) {
		*v = p[a].v;
		return 0;
	}
	return -1;
}

int
dg_fc_naive_highavg(const struct dg_point *p, size_t n, dg_date day,
    dg_date last, int pool, int high, int maxback, int min_hours,
    const struct dg_holidays *h, double out[24])
{
	int type = is_offday(day, h), found = 0;
	double val[64][24], mean[64];
	unsigned char have[64][24];
	int order[64];

	if (pool > 64 || high > pool || high < 1 || min_hours < 1 ||
	    min_hours > 24)
		return -1;
	for (dg_date d = last; d > last - maxback && found < pool; d--) {
		dg_time t0;
		double s = 0;
		int nh = 0;

		if (is_offday(d, h) != type || dg_date_hours(d) != 24 ||
		    dg_date_start(d, &t0) != DG_OK)
			continue;
		for (int k = 0; k < 24; k++) {
			have[found][k] =
			    dg_fc_value_at(p, n, t0 + 3600 * (dg_time)k,
			    &val[found][k]) == 0;
			if (have[found][k]) {
				s += val[found][k];
				nh++;
			}
		}
		if (nh < min_hours)
			continue;
		mean[found] = s / nh;
		order[found] = found;
		found++;
	}
	if (found < pool)
		return -1;
	/* The `high` days of highest mean (insertion sort, stable: on a tie
	 * the later day first). */
	for (int i = 1; i < found; i++)
		for (int j = i; j > 0 && mean[order[j]] > mean[order[j - 1]];
		    j--) {
			int tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	for (int k = 0; k < 24; k++) {
		double s = 0;
		int c = 0;

		for (int i = 0; i < high; i++)
			if (have[order[i]][k]) {
				s += val[order[i]][k];
				c++;
			}
		if (c == 0)
			return -1;
		out[k] = s / c;
	}
	return 0;
}
