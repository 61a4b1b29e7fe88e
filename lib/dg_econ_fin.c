/* dg_econ_fin.c: NPV, IRR and payback of yearly cash flows (see
 * dg_econ.h). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_poly.h>
#include <gsl/gsl_roots.h>

#include "dg_econ.h"
#include "dg_econ_int.h"

int
dg_econ_npv(const int64_t *cf, int n, dg_dec rate, int64_t *npv)
{
	i128 g, num = 0, den = 1, term;
	int s = rate.scale;

	if (n < 0 || n > DG_ECON_MAX_YEARS || s > 4 || rate.v < 0 ||
	    rate.v > dg_econ_pow10(s))
		return DG_EINVAL;
	/* 1 + r = g / 10^s: cf[t] / (1 + r)^t = cf[t] 10^(st) g^(n-t) / g^n */
	g = dg_econ_pow10(s) + rate.v;
	for (int t = 0; t < n; t++)
		den *= g;
	for (int t = 0; t <= n; t++) {
		term = cf[t];
		for (int k = 0; k < n - t; k++)
			if (__builtin_mul_overflow(term, g, &term))
				return DG_ERANGE;
		if (__builtin_mul_overflow(term, dg_econ_pow10(s * t), &term) ||
		    __builtin_add_overflow(num, term, &num))
			return DG_ERANGE;
	}
	return dg_econ_fit_cents(dg_econ_div_round(num, den), npv);
}

struct flows {
	const int64_t *cf;
	int n;
};

static double
npv_at(double r, void *arg)
{
	const struct flows *f = arg;
	double v = 0, d = 1;

	for (int t = 0; t <= f->n; t++) {
		v += (double)f->cf[t] / d;
		d *= 1 + r;
	}
	return v;
}

static int
sign_changes(const int64_t *cf, int n)
{
	int changes = 0, last = 0;

	for (int t = 0; t <= n; t++) {
		int s = (cf[t] > 0) - (cf[t] < 0);

		if (s != 0 && last != 0 && s != last)
			changes++;
		if (s != 0)
			last = s;
	}
	return changes;
}

/* Brent's method on the NPV in [lo, hi], which must bracket a root. */
static int
brent(struct flows *f, double lo, double hi, double *root)
{
	gsl_function fn = { npv_at, f };
	gsl_root_fsolver *s;
	int st = GSL_CONTINUE;

	if ((s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent)) == NULL)
		return DG_ENOMEM;
	if (gsl_root_fsolver_set(s, &fn, lo, hi) != GSL_SUCCESS) {
		gsl_root_fsolver_free(s);
		return DG_EINTERNAL;
	}
	for (int i = 0; i < 200 && st == GSL_CONTINUE; i++) {
		if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
			break;
		st = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
		    gsl_root_fsolver_x_upper(s), 1e-13, 1e-12);
	}
	*root = gsl_root_fsolver_root(s);
	gsl_root_fsolver_free(s);
	return st == GSL_SUCCESS ? DG_OK : DG_EINTERNAL;
}

/* A root r0 from the polynomial, polished by Brent inside the smallest
 * bracket around it that shows a sign change; a root the NPV only
 * touches is kept as found. */
static void
polish(struct flows *f, double r0, double *root)
{
	*root = r0;
	for (double d = 1e-9; d < 1e-3; d *= 10) {
		double lo = fmax(r0 - d, -1 + 1e-12), hi = r0 + d;
		double a = npv_at(lo, f), b = npv_at(hi, f);

		if (a == 0 || b == 0 || (a < 0) != (b < 0)) {
			if (a != 0 && b != 0)
				brent(f, lo, hi, root);
			return;
		}
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Every distinct rate above -100 % where the NPV is 0: the positive real
 * roots x of sum cf[t] x^t, r = 1/x - 1. */
static int
all_roots(struct flows *f, struct dg_econ_irr *r)
{
	double a[DG_ECON_MAX_YEARS + 1], z[2 * DG_ECON_MAX_YEARS];
	gsl_poly_complex_workspace *w;
	int lo = 0, hi = f->n, deg;

	while (f->cf[lo] == 0)
		lo++;
	while (f->cf[hi] == 0)
		hi--;
	deg = hi - lo;
	for (int t = lo; t <= hi; t++)
		a[t - lo] = (double)f->cf[t];
	if ((w = gsl_poly_complex_workspace_alloc(deg + 1)) == NULL)
		return DG_ENOMEM;
	if (gsl_poly_complex_solve(a, deg + 1, w, z) != GSL_SUCCESS) {
		gsl_poly_complex_workspace_free(w);
		return DG_EINTERNAL;
	}
	gsl_poly_complex_workspace_free(w);
	r->nroots = 0;
	for (int i = 0; i < deg; i++) {
		double x = z[2 * i], y = z[2 * i + 1], root;

		if (x <= 0 || fabs(y) > 1e-7 * fmax(1, fabs(x)))
			continue;
		polish(f, 1 / x - 1, &root);
		if (r->nroots > 0 &&
		    fabs(root - r->roots[r->nroots - 1]) < 1e-9)
			continue;
		r->roots[r->nroots++] = root;
		qsort(r->roots, r->nroots, sizeof(double), cmp_double);
	}
	return DG_OK;
}

int
dg_econ_irr(const int64_t *cf, int n, struct dg_econ_irr *r)
{
	struct flows f = { cf, n };
	int st;

	memset(r, 0, sizeof(*r));
	gsl_set_error_handler_off();	/* every GSL status is checked here */
	r->sign_changes = sign_changes(cf, n);
	r->status = DG_ECON_IRR_NONE;
	if (r->sign_changes == 0)
		return DG_OK;
	if (r->sign_changes > 1) {
		if ((st = all_roots(&f, r)) != DG_OK)
			return st;
		if (r->nroots > 1)
			r->status = DG_ECON_IRR_NOT_UNIQUE;
		if (r->nroots != 1)
			return DG_OK;
	}
	if ((npv_at(DG_ECON_IRR_LO, &f) < 0) ==
	    (npv_at(DG_ECON_IRR_HI, &f) < 0)) {
		/* one root (Descartes), outside the range, or one touched */
		r->status = DG_ECON_IRR_OUT_OF_RANGE;
		if (r->nroots == 1 && r->roots[0] > DG_ECON_IRR_LO &&
		    r->roots[0] < DG_ECON_IRR_HI) {
			r->irr = r->roots[0];
			r->status = DG_ECON_IRR_OK;
		}
		return DG_OK;
	}
	if ((st = brent(&f, DG_ECON_IRR_LO, DG_ECON_IRR_HI, &r->irr)) != DG_OK)
		return st;
	r->status = DG_ECON_IRR_OK;
	return DG_OK;
}

int
dg_econ_payback(const int64_t *cf, int n, int *found, dg_dec *years)
{
	int64_t cum = 0, prev = 0, before = 0;
	int t_pay = -1;

	*found = 0;
	for (int t = 0; t <= n; t++) {
		prev = cum;
		if (__builtin_add_overflow(cum, cf[t], &cum))
			return DG_ERANGE;
		if (cum < 0)
			t_pay = -1;
		else if (t_pay < 0) {
			t_pay = t;
			before = prev;
		}
	}
	if (t_pay < 0)
		return DG_OK;
	*found = 1;
	if (t_pay == 0) {
		*years = dg_dec_make(0, 2);
		return DG_OK;
	}
	/* (t - 1) + (-before) / cf[t], exact, rounded once */
	return dg_dec_div(dg_dec_make((int64_t)(t_pay - 1) * cf[t_pay] - before,
	    0), dg_dec_make(cf[t_pay], 0), 2, years);
}
