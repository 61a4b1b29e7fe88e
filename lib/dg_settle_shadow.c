/* dg_settle_shadow.c: the shadow settlement of the direct-customer
 * strategy, report 5.3 and Table 13 (see dg_settle.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"

struct dg_settle_shadow {
	dg_dec rate;
	struct dg_settle_shadow_month *m;
	size_t n, cap;
	int from_hours, from_months;
};

int
dg_settle_shadow_alloc(struct dg_settle_shadow **sh, dg_dec delivery_rate)
{
	if ((*sh = calloc(1, sizeof(**sh))) == NULL)
		return DG_ENOMEM;
	(*sh)->rate = delivery_rate;
	return DG_OK;
}

void
dg_settle_shadow_free(struct dg_settle_shadow *sh)
{
	if (sh == NULL)
		return;
	free(sh->m);
	free(sh);
}

static struct dg_settle_shadow_month *
shadow_month(struct dg_settle_shadow *sh, const char *month)
{
	struct dg_settle_shadow_month *m;

	for (size_t i = 0; i < sh->n; i++)
		if (strcmp(sh->m[i].month, month) == 0)
			return &sh->m[i];
	if (dg_grow(&sh->m, &sh->cap, sh->n + 1, sizeof(*sh->m)))
		return NULL;
	m = &sh->m[sh->n++];
	memset(m, 0, sizeof(*m));
	snprintf(m->month, sizeof(m->month), "%s", month);
	m->energy_mwh = dg_dec_make(0, 3);
	m->da_cost = m->da_revenue = m->rt_recon = m->gen_cost =
	    m->delivery = dg_dec_make(0, 2);
	return m;
}

int
dg_settle_shadow_add(struct dg_settle_shadow *sh, dg_time t,
    dg_dec forecast_kw, dg_dec actual_kw, dg_dec bid, int has_gen_cost,
    dg_dec gen_cost, dg_dec da_price, dg_dec rt_price,
    struct dg_settle_shadow_hour *h, struct dg_error *err)
{
	struct dg_settle_shadow_month *m;
	struct dg_local lt;
	char month[16];
	dg_dec fmwh, amwh, diff;

	if (sh->from_months)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "hours and month totals mixed");
	sh->from_hours = 1;
	dg_time_local(t, &lt);
	snprintf(month, sizeof(month), "%04d-%02d", lt.year, lt.mon);
	if ((m = shadow_month(sh, month)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	memset(h, 0, sizeof(*h));
	h->da_cost = h->da_revenue = h->gen_cost = h->rt_recon = h->delivery =
	    dg_dec_make(0, 2);
	if (kw_to_mwh(forecast_kw, &fmwh) || kw_to_mwh(actual_kw, &amwh) ||
	    dg_dec_sub(fmwh, amwh, &diff))
		goto range;
	h->self_gen = dg_dec_cmp(da_price, bid) > 0;
	if (dg_dec_mul(fmwh, da_price, 2, &h->da_cost) ||
	    dg_dec_mul(amwh, sh->rate, 2, &h->delivery))
		goto range;
	if (h->self_gen) {
		if (dg_dec_mul(fmwh, da_price, 2, &h->da_revenue) ||
		    (has_gen_cost &&
		    dg_dec_mul(amwh, gen_cost, 2, &h->gen_cost)))
			goto range;
	} else if (dg_dec_mul(diff, rt_price, 2, &h->rt_recon))
		goto range;
	if (dec_add_to(&m->energy_mwh, amwh) ||
	    dec_add_to(&m->da_cost, h->da_cost) ||
	    dec_add_to(&m->da_revenue, h->da_revenue) ||
	    dec_add_to(&m->gen_cost, h->gen_cost) ||
	    dec_add_to(&m->rt_recon, h->rt_recon) ||
	    dec_add_to(&m->delivery, h->delivery))
		goto range;
	return DG_OK;
range:
	return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
	    "amount out of range");
}

int
dg_settle_shadow_add_month(struct dg_settle_shadow *sh, const char *month,
    dg_dec energy_mwh, dg_dec da_cost, dg_dec da_revenue, dg_dec rt_recon,
    struct dg_error *err)
{
	struct dg_settle_shadow_month *m;

	if (sh->from_hours)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "hours and month totals mixed");
	sh->from_months = 1;
	for (size_t i = 0; i < sh->n; i++)
		if (strcmp(sh->m[i].month, month) == 0)
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "month %s given twice", month);
	if ((m = shadow_month(sh, month)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if (dec_add_to(&m->energy_mwh, energy_mwh) ||
	    dec_add_to(&m->da_cost, da_cost) ||
	    dec_add_to(&m->da_revenue, da_revenue) ||
	    dec_add_to(&m->rt_recon, rt_recon) ||
	    dg_dec_mul(m->energy_mwh, sh->rate, 2, &m->delivery))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "amount out of range");
	return DG_OK;
}

static int
cmp_month(const void *a, const void *b)
{
	return strcmp(((const struct dg_settle_shadow_month *)a)->month,
	    ((const struct dg_settle_shadow_month *)b)->month);
}

static int
shadow_derive(struct dg_settle_shadow_month *m)
{
	dg_dec x;

	if (dg_dec_add(m->da_cost, m->gen_cost, &x) ||
	    dg_dec_sub(x, m->da_revenue, &x) ||
	    dg_dec_sub(x, m->rt_recon, &m->total_cost))
		return DG_ERANGE;
	m->has_avg = dg_dec_sign(m->energy_mwh) > 0;
	if (!m->has_avg) {
		m->avg_cost = m->avg_total = dg_dec_make(0, 2);
		return DG_OK;
	}
	if (dg_dec_div(m->total_cost, m->energy_mwh, 2, &m->avg_cost) ||
	    dg_dec_add(m->total_cost, m->delivery, &x) ||
	    dg_dec_div(x, m->energy_mwh, 2, &m->avg_total))
		return DG_ERANGE;
	return DG_OK;
}

int
dg_settle_shadow_result(struct dg_settle_shadow *sh,
    const struct dg_settle_shadow_month **months, size_t *n,
    struct dg_error *err)
{
	struct dg_settle_shadow_month tot;

	if (sh->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(sh->m, sh->n, sizeof(*sh->m), cmp_month);
	memset(&tot, 0, sizeof(tot));
	snprintf(tot.month, sizeof(tot.month), "total");
	tot.energy_mwh = dg_dec_make(0, 3);
	tot.da_cost = tot.da_revenue = tot.rt_recon = tot.gen_cost =
	    tot.delivery = dg_dec_make(0, 2);
	for (size_t i = 0; i < sh->n; i++) {
		struct dg_settle_shadow_month *m = &sh->m[i];

		if (shadow_derive(m) ||
		    dec_add_to(&tot.energy_mwh, m->energy_mwh) ||
		    dec_add_to(&tot.da_cost, m->da_cost) ||
		    dec_add_to(&tot.da_revenue, m->da_revenue) ||
		    dec_add_to(&tot.gen_cost, m->gen_cost) ||
		    dec_add_to(&tot.rt_recon, m->rt_recon) ||
		    dec_add_to(&tot.delivery, m->delivery))
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "amount out of range");
	}
	if (shadow_derive(&tot) ||
	    dg_grow(&sh->m, &sh->cap, sh->n + 1, sizeof(*sh->m)))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "amount out of range");
	sh->m[sh->n] = tot;
	*months = sh->m;
	*n = sh->n + 1;
	return DG_OK;
}
