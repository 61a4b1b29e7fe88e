/* dg_settle_rules.c: the rules dg-settle checks on its inputs (a call's
 * notice, the provider's kW in a zone, a credit's threshold, the DADRP
 * bid floor) and the terms of a pass-through (see dg_settle.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"
#include "dg_sites.h"

static const char *const flag_names[DG_SF_N] = {
	"short_notice", "zone_below_min", "below_min_kw", "below_bid_floor"
};

const char *
dg_settle_flag_name(int flag)
{
	if (flag < 0 || flag >= DG_SF_N)
		return "?";
	return flag_names[flag];
}

int
dg_settle_notice_lead(const struct dg_events *es, const struct dg_event *e,
    long *lead_s, struct dg_error *err)
{
	struct dg_tstamp ts;
	const char *why;
	size_t len;
	dg_dec h;

	if (e->notice == NULL)
		return DG_EOF;
	len = strlen(e->notice);
	/* hours before the start (the form of the older events files) */
	if (dg_dec_parse(e->notice, len, &h) == DG_OK &&
	    dg_dec_sign(h) >= 0 && dg_dec_cmp(h, dg_dec_make(1000, 0)) <= 0 &&
	    dg_dec_mul(h, dg_dec_make(3600, 0), 0, &h) == DG_OK) {
		*lead_s = (long)h.v;
		return DG_OK;
	}
	if (dg_time_parse(e->notice, len, 1, &ts, &why) != DG_OK)
		return dg_error_set(err, DG_EDATA, es->file, e->line, "notice",
		    "notice must be the time the call was given or its hours before the start: \"%s\"",
		    e->notice);
	*lead_s = (long)(e->start - ts.t);	/* a repeated naive hour: the
						 * earlier (file order tells
						 * nothing here) */
	return DG_OK;
}

int
dg_settle_notices_check(const struct dg_events *es, struct dg_error *err)
{
	long lead;
	int st;

	for (size_t i = 0; i < es->n; i++)
		if ((st = dg_settle_notice_lead(es, &es->v[i], &lead,
		    err)) != DG_OK && st != DG_EOF)
			return st;
	return DG_OK;
}

size_t
dg_settle_zone_kw(const struct dg_sites *ss, const char *program,
    const char *zone, dg_dec *sum)
{
	const unsigned need = DG_SITE_PROGRAMS | DG_SITE_CURTAILABLE;
	size_t n = 0;

	*sum = dec_zero();
	for (size_t i = 0; ss != NULL && i < ss->n; i++) {
		const struct dg_site *s = &ss->v[i];

		if ((s->set & need) != need || s->zone == NULL ||
		    strcmp(s->zone, zone) != 0 ||
		    !dg_site_in_program(s, program) ||
		    dec_add_to(sum, s->curtailable_kw) != DG_OK)
			continue;
		n++;
	}
	return n;
}

int
dg_settle_program_terms(const struct dg_settle_programs *ps,
    const struct dg_settle_program *pg, dg_date d,
    struct dg_settle_program *out)
{
	const struct dg_settle_program *src;

	*out = *pg;
	if (pg->passes == NULL)
		return DG_OK;
	if ((src = dg_settle_programs_find(ps, pg->passes, d)) == NULL)
		return DG_EDATA;
	*out = *src;
	out->name = pg->name;
	out->payer = pg->payer;
	out->group = pg->group;
	out->priority = pg->priority;
	out->from = pg->from;
	out->to = pg->to;
	out->line = pg->line;
	out->passes = pg->passes;
	out->pass_pct = pg->pass_pct;
	return DG_OK;
}

int
dg_settle_passes_share(const struct dg_settle_program *pg)
{
	return dg_dec_cmp(pg->pass_pct, dg_dec_make(100, 0)) != 0;
}

int
dg_settle_amount(int has_pass, dg_dec pass_pct, dg_dec a, dg_dec b,
    dg_dec *out)
{
	if (!has_pass)
		return dg_dec_mul(a, b, 2, out);
	/* pass_pct has at most DG_DEC_MAX_SCALE - 2 decimals (programs) */
	return dg_dec_mul3(a, b, dg_dec_make(pass_pct.v, pass_pct.scale + 2),
	    2, out);
}

/* --- DADRP's minimum offer: the schedule of a call, zone and hour --------- */

struct offered {
	char *event, *zone;
	dg_time t;
	dg_dec kw;
	long sites;
};

struct dg_settle_offered {
	struct offered *v;
	size_t n, cap;
};

int
dg_settle_offered_alloc(struct dg_settle_offered **o)
{
	return (*o = calloc(1, sizeof(**o))) != NULL ? DG_OK : DG_ENOMEM;
}

void
dg_settle_offered_free(struct dg_settle_offered *o)
{
	if (o == NULL)
		return;
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].event);
		free(o->v[i].zone);
	}
	free(o->v);
	free(o);
}

int
dg_settle_offered_add(struct dg_settle_offered *o, const struct dg_settle *s,
    const char *zone, const struct dg_settle_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct dg_settle_row *r = &rows[i];
		const struct dg_settle_program *pg;
		struct dg_settle_program terms;
		struct offered *e;

		pg = dg_settle_programs_find(s->programs, r->program,
		    dg_date_of(r->t));
		if (pg == NULL || !r->has_sched ||
		    dg_settle_program_terms(s->programs, pg, dg_date_of(r->t),
		    &terms) != DG_OK || terms.basis != DG_SETTLE_DADRP)
			continue;	/* dg_settle_site says what is wrong */
		if (dg_grow(&o->v, &o->cap, o->n + 1, sizeof(*o->v)))
			return DG_ENOMEM;
		e = &o->v[o->n];
		e->t = r->t;
		e->kw = r->scheduled_kw;
		e->sites = 1;
		if ((e->event = strdup(r->event)) == NULL ||
		    (e->zone = strdup(zone)) == NULL) {
			free(e->event);
			return DG_ENOMEM;
		}
		o->n++;
	}
	return DG_OK;
}

static int
cmp_offered(const void *a, const void *b)
{
	const struct offered *x = a, *y = b;
	int c;

	if ((c = strcmp(x->event, y->event)) != 0 ||
	    (c = strcmp(x->zone, y->zone)) != 0)
		return c;
	return x->t < y->t ? -1 : x->t > y->t;
}

int
dg_settle_offered_check(struct dg_settle_offered *o, dg_dec min_kw,
    dg_settle_offered_fn fn, void *arg)
{
	int st;

	if (o->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(o->v, o->n, sizeof(*o->v), cmp_offered);
	for (size_t i = 0, j; i < o->n; i = j) {
		struct dg_settle_offered_hour h;

		h.event = o->v[i].event;
		h.zone = o->v[i].zone;
		h.t = o->v[i].t;
		h.kw = o->v[i].kw;
		h.sites = 1;
		for (j = i + 1; j < o->n && cmp_offered(&o->v[i],
		    &o->v[j]) == 0; j++) {
			if (dec_add_to(&h.kw, o->v[j].kw) != DG_OK)
				return DG_ERANGE;
			h.sites++;
		}
		if (dg_dec_sign(h.kw) > 0 && dg_dec_cmp(h.kw, min_kw) < 0 &&
		    (st = fn(arg, &h)) != DG_OK)
			return st;
	}
	return DG_OK;
}
