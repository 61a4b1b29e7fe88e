/* dg_ucap.c: ICAP, availability and UCAP of special case resources,
 * exactly (see dg_ucap.h and dg-ucap(1)). */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_ucap.h"
#include "dg_quality.h"
#include "dg_util.h"

int
dg_ucap_month(int year, int mon)
{
	return year * 12 + (mon - 1);
}

void
dg_ucap_params_init(struct dg_ucap_params *p)
{
	memset(p, 0, sizeof(*p));
	p->apmd_months = 0xfff;
	p->apmd_lag = 1;
	p->window_months = 12;
	p->apmd_measure = 1;
	p->tlf = dg_dec_make(0, 0);
	p->empty_avail = dg_dec_make(1, 0);
}

int
dg_ucap_params_check(const struct dg_ucap_params *p, struct dg_error *err)
{
	if ((p->apmd_months & 0xfff) == 0 || (p->apmd_months & ~0xfffu))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "APMD months: at least one of 1-12");
	if (p->apmd_lag < 0 || p->apmd_lag > 10)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "APMD lag must be 0 to 10 years");
	if (p->window_months < 1 || p->window_months > 120)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "window must be 1 to 120 months");
	if (dg_dec_sign(p->tlf) < 0 ||
	    dg_dec_cmp(p->tlf, dg_dec_make(1, 0)) > 0)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "loss factor must be 0 to 1");
	if (dg_dec_sign(p->empty_avail) < 0 ||
	    dg_dec_cmp(p->empty_avail, dg_dec_make(1, 0)) > 0)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "availability without hours must be 0 to 1");
	return DG_OK;
}

int
dg_ucap_months_parse(const char *s, unsigned *mask)
{
	unsigned m = 0;

	while (*s != '\0') {
		int v = 0, nd = 0;

		while (*s >= '0' && *s <= '9' && nd < 3)
			v = v * 10 + (*s++ - '0'), nd++;
		if (nd == 0 || v < 1 || v > 12 || (*s != ',' && *s != '\0'))
			return DG_EINVAL;
		m |= 1u << (v - 1);
		if (*s == ',' && *++s == '\0')
			return DG_EINVAL;
	}
	if (m == 0)
		return DG_EINVAL;
	*mask = m;
	return DG_OK;
}

void
dg_ucap_site_init(struct dg_ucap_site *s)
{
	memset(s, 0, sizeof(*s));
}

void
dg_ucap_site_release(struct dg_ucap_site *s)
{
	free(s->peak);
	free(s->have);
	free(s->h);
	free(s->base);
	memset(s, 0, sizeof(*s));
}

void
dg_ucap_site_clear(struct dg_ucap_site *s)
{
	s->nmonths = 0;
	s->nh = 0;
	s->nbase = 0;
	s->fixed = 0;
	s->cmd = dg_dec_make(0, 0);
}

int
dg_ucap_site_load(struct dg_ucap_site *s, int month, dg_dec kw)
{
	size_t i;

	if (s->nmonths == 0) {
		s->first = month;
		if (s->cap == 0) {
			if ((s->peak = malloc(64 * sizeof(*s->peak))) == NULL ||
			    (s->have = malloc(64)) == NULL)
				return DG_ENOMEM;
			s->cap = 64;
		}
		s->nmonths = 1;
		s->have[0] = 0;
	}
	if (month < s->first || month >= s->first + (int)s->nmonths) {
		int lo = month < s->first ? month : s->first;
		int hi = month >= s->first + (int)s->nmonths ? month :
		    s->first + (int)s->nmonths - 1;
		size_t n = (size_t)(hi - lo + 1),
		    shift = (size_t)(s->first - lo);

		if (n > DG_UCAP_MAX_MONTHS)
			return DG_ERANGE;
		if (n > s->cap) {
			dg_dec *p = realloc(s->peak, n * sizeof(*p));
			unsigned char *h;

			if (p == NULL)
				return DG_ENOMEM;
			s->peak = p;
			if ((h = realloc(s->have, n)) == NULL)
				return DG_ENOMEM;
			s->have = h;
			s->cap = n;
		}
		memmove(s->peak + shift, s->peak,
		    s->nmonths * sizeof(*s->peak));
		memmove(s->have + shift, s->have, s->nmonths);
		memset(s->have, 0, shift);
		memset(s->have + shift + s->nmonths, 0, n - shift - s->nmonths);
		s->first = lo;
		s->nmonths = n;
	}
	i = (size_t)(month - s->first);
	if (!s->have[i] || dg_dec_cmp(kw, s->peak[i]) > 0) {
		s->peak[i] = kw;
		s->have[i] = 1;
	}
	return DG_OK;
}

int
dg_ucap_site_hour(struct dg_ucap_site *s, int month, dg_dec value)
{
	if (dg_grow(&s->h, &s->caph, s->nh + 1, sizeof(*s->h)) != 0)
		return DG_ENOMEM;
	s->h[s->nh].month = month;
	s->h[s->nh].missing = 0;
	s->h[s->nh].value = value;
	s->nh++;
	return DG_OK;
}

int
dg_ucap_site_hour_missing(struct dg_ucap_site *s, int month)
{
	int st = dg_ucap_site_hour(s, month, dg_dec_make(0, 0));

	if (st == DG_OK)
		s->h[s->nh - 1].missing = 1;
	return st;
}

static const char *const flag_names[] = {
	"no_apmd", "negative_icap", "no_hours", "hour_without_icap",
	"missing_hour", "acl_short"
};

void
dg_ucap_flags_format(unsigned flags, char *buf, size_t n)
{
	dg_quality_format(flags, flag_names, DG_UCAP_Q_NFLAGS, buf, n);
}

/* First month of the capability period holding month m: summer May-Oct,
 * winter Nov-Apr. */
int
dg_ucap_period_start(int m)
{
	int y = m / 12, mon = m % 12 + 1;

	if (mon >= 5 && mon <= 10)
		return dg_ucap_month(y, 5);
	if (mon >= 11)
		return dg_ucap_month(y, 11);
	return dg_ucap_month(y - 1, 11);
}

int
dg_ucap_site_base(struct dg_ucap_site *s, int month, int have, dg_rat v,
    unsigned quality)
{
	struct dg_ucap_base *b;

	if (dg_grow(&s->base, &s->capbase, s->nbase + 1, sizeof(*s->base)))
		return DG_ENOMEM;
	b = &s->base[s->nbase++];
	b->period = dg_ucap_period_start(month);
	b->have = have;
	b->quality = quality;
	b->v = v;
	return DG_OK;
}

/* The baseline given for the period holding month m, or NULL. */
static const struct dg_ucap_base *
base_of(const struct dg_ucap_site *s, int m)
{
	int ps = dg_ucap_period_start(m);

	for (size_t i = 0; i < s->nbase; i++)
		if (s->base[i].period == ps)
			return &s->base[i];
	return NULL;
}

int
dg_ucap_apmd(const struct dg_ucap_params *p, const struct dg_ucap_site *s,
    int month, dg_rat *apmd, struct dg_error *err)
{
	int start = dg_ucap_period_start(month) - 12 * p->apmd_lag, k = 0, st;
	dg_rat sum = dg_rat_int(0);

	if (p->given_base) {
		const struct dg_ucap_base *b = base_of(s, month);

		if (b == NULL || !b->have)
			return 0;
		*apmd = b->v;
		return 1;
	}
	for (int m = start; m < start + 6; m++) {
		size_t i;

		if (!(p->apmd_months & (1u << (m % 12))))
			continue;
		if (m < s->first || m >= s->first + (int)s->nmonths)
			return 0;
		i = (size_t)(m - s->first);
		if (!s->have[i])
			return 0;
		if ((st = dg_rat_add(sum, dg_rat_dec(s->peak[i]),
		    &sum)) != DG_OK) {
			dg_error_set(err, st, NULL, 0, NULL,
			    "APMD: numbers too large");
			return -1;
		}
		k++;
	}
	if (k == 0)
		return 0;	/* no selected month in this period */
	if ((st = dg_rat_div(sum, dg_rat_int(k), apmd)) != DG_OK) {
		dg_error_set(err, st, NULL, 0, NULL, "APMD: numbers too large");
		return -1;
	}
	return 1;
}

/* ICAP of the period holding month m: 1 known, 0 unknown, -1 error. */
static int
icap_of(const struct dg_ucap_params *p, const struct dg_ucap_site *s, int m,
    dg_rat *apmd, int *have_apmd, dg_rat *icap, unsigned *q,
    struct dg_error *err)
{
	int k;

	*have_apmd = 0;
	if ((k = dg_ucap_apmd(p, s, m, apmd, err)) < 0)
		return -1;
	*have_apmd = k;
	if (p->given_base && base_of(s, m) != NULL)
		*q |= base_of(s, m)->quality;
	if (s->fixed) {
		*icap = dg_rat_dec(s->icap_kw);
		return 1;
	}
	if (k == 0) {
		*q |= DG_UCAP_Q_NO_APMD;
		return 0;
	}
	if (dg_rat_sub(*apmd, dg_rat_dec(s->cmd), icap) != DG_OK) {
		dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "ICAP: numbers too large");
		return -1;
	}
	if (dg_rat_sign(*icap) < 0) {
		*icap = dg_rat_int(0);
		*q |= DG_UCAP_Q_NEG_ICAP;
	}
	return 1;
}

/* A capability period met in an availability window, with its ICAP. */
struct period {
	int start, known, have_apmd;
	dg_rat apmd, icap;
};
#define MAX_PERIODS 24	/* more than a window of 120 months meets */

/* The period of month among per[0..*nper), added when new: *j. */
static int
period_of(const struct dg_ucap_params *p, const struct dg_ucap_site *s,
    int month, struct period *per, int *nper, int *j, struct dg_error *err)
{
	int ps = dg_ucap_period_start(month), k;
	unsigned q = 0;

	for (*j = 0; *j < *nper && per[*j].start != ps; (*j)++)
		;
	if (*j < *nper)
		return DG_OK;
	if (*nper == MAX_PERIODS)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "too many capability periods");
	per[*j].start = ps;
	if ((k = icap_of(p, s, month, &per[*j].apmd, &per[*j].have_apmd,
	    &per[*j].icap, &q, err)) < 0)
		return err->status;
	per[*j].known = k;
	(*nper)++;
	return DG_OK;
}

/* The performance r(h) of hour h in period pe: what was delivered (APMD
 * - load, or the reduction), between 0 and the ICAP, over the ICAP. */
static int
hour_ratio(const struct dg_ucap_params *p, const struct period *pe,
    const struct dg_ucap_hour *h, dg_rat *rr)
{
	dg_rat del;

	if (p->apmd_measure) {
		if (dg_rat_sub(pe->apmd, dg_rat_dec(h->value), &del) != DG_OK)
			return DG_ERANGE;
	} else
		del = dg_rat_dec(h->value);
	if (dg_rat_sign(del) < 0)
		del = dg_rat_int(0);
	if (dg_rat_cmp(del, pe->icap) > 0)
		del = pe->icap;
	return dg_rat_div(del, pe->icap, rr);
}

int
dg_ucap_compute(const struct dg_ucap_params *p, const struct dg_ucap_site *s,
    int month, struct dg_ucap_result *r, struct dg_error *err)
{
	dg_rat sum = dg_rat_int(0), one = dg_rat_int(1);
	/* the ICAP of each period met in the window: at most 3 periods */
	struct period per[MAX_PERIODS];
	int nper = 0, k, st;

	memset(r, 0, sizeof(*r));
	if ((k = icap_of(p, s, month, &r->apmd, &r->have_apmd, &r->icap,
	    &r->quality, err)) < 0)
		return err->status;
	r->have_icap = k;
	for (size_t i = 0; i < s->nh; i++) {
		const struct dg_ucap_hour *h = &s->h[i];
		dg_rat rr;
		int j;

		if (h->month < month - p->window_months || h->month >= month)
			continue;
		if ((st = period_of(p, s, h->month, per, &nper, &j, err)) !=
		    DG_OK)
			return st;
		if (!per[j].known || dg_rat_sign(per[j].icap) == 0 ||
		    (p->apmd_measure && !per[j].have_apmd)) {
			r->quality |= DG_UCAP_Q_HOUR_NO_ICAP;
			continue;
		}
		if (h->missing) {
			r->quality |= DG_UCAP_Q_MISSING_HOUR;
			r->hours++;
			continue;
		}
		if ((st = hour_ratio(p, &per[j], h, &rr)) != DG_OK ||
		    (st = dg_rat_add(sum, rr, &sum)) != DG_OK)
			goto range;
		r->hours++;
	}
	if (r->hours == 0) {
		r->avail = dg_rat_dec(p->empty_avail);
		r->quality |= DG_UCAP_Q_NO_HOURS;
	} else if ((st = dg_rat_div(sum, dg_rat_int(r->hours), &r->avail)) !=
	    DG_OK)
		goto range;
	if (r->have_icap) {
		dg_rat f;

		if ((st = dg_rat_add(one, dg_rat_dec(p->tlf), &f)) != DG_OK ||
		    (st = dg_rat_mul(r->icap, r->avail, &r->ucap)) != DG_OK ||
		    (st = dg_rat_mul(r->ucap, f, &r->ucap)) != DG_OK)
			goto range;
	}
	return DG_OK;
range:
	return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
	    "availability: numbers too large for exact arithmetic");
}

/* --- printed figures ---------------------------------------------------- */

int
dg_ucap_line(const struct dg_ucap_result *r, int exact_mw,
    struct dg_ucap_line *l)
{
	dg_rat mw;

	memset(l, 0, sizeof(*l));
	l->have_apmd = r->have_apmd;
	l->have_icap = r->have_icap;
	if ((r->have_apmd &&
	    dg_rat_to_dec(r->apmd, 3, DG_RAT_ROUND, &l->apmd) != DG_OK) ||
	    dg_rat_to_dec(r->avail, 6, DG_RAT_ROUND, &l->avail) != DG_OK)
		return DG_ERANGE;
	if (!r->have_icap)
		return DG_OK;
	if (dg_rat_to_dec(r->icap, 3, DG_RAT_ROUND, &l->icap) != DG_OK ||
	    dg_rat_to_dec(r->ucap, 3, DG_RAT_ROUND, &l->ucap_kw) != DG_OK ||
	    dg_rat_div(r->ucap, dg_rat_int(1000), &mw) != DG_OK ||
	    dg_rat_to_dec(mw, exact_mw ? 6 : 1,
	    exact_mw ? DG_RAT_ROUND : DG_RAT_TRUNC, &l->ucap_mw) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

int
dg_ucap_shortfall(const struct dg_ucap_result *r, dg_dec sold, dg_dec *out)
{
	dg_rat d;

	if (dg_rat_sub(dg_rat_dec(sold), r->ucap, &d) != DG_OK)
		return DG_ERANGE;
	if (dg_rat_sign(d) < 0)
		d = dg_rat_int(0);
	return dg_rat_to_dec(d, 3, DG_RAT_ROUND, out);
}

void
dg_ucap_total_init(struct dg_ucap_total *t, int exact_mw)
{
	memset(t, 0, sizeof(*t));
	t->exact_mw = exact_mw;
	t->icap = t->ucap_kw = t->sold = t->shortfall = dg_dec_make(0, 3);
	t->ucap_mw = dg_dec_make(0, exact_mw ? 6 : 1);
	t->icap_q = t->weighted = dg_rat_int(0);
}

int
dg_ucap_total_add(struct dg_ucap_total *t, const struct dg_ucap_result *r,
    const struct dg_ucap_line *l)
{
	dg_rat w;

	t->hours += r->hours;
	if (!l->have_icap)
		return DG_OK;
	if (dg_rat_mul(r->icap, r->avail, &w) != DG_OK ||
	    dg_rat_add(t->weighted, w, &t->weighted) != DG_OK ||
	    dg_rat_add(t->icap_q, r->icap, &t->icap_q) != DG_OK ||
	    dg_dec_add(t->icap, l->icap, &t->icap) != DG_OK ||
	    dg_dec_add(t->ucap_kw, l->ucap_kw, &t->ucap_kw) != DG_OK ||
	    dg_dec_add(t->ucap_mw, l->ucap_mw, &t->ucap_mw) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

int
dg_ucap_total_add_sold(struct dg_ucap_total *t, dg_dec sold, dg_dec shortfall)
{
	t->have_sold = 1;
	if (dg_dec_add(t->sold, sold, &t->sold) != DG_OK ||
	    dg_dec_add(t->shortfall, shortfall, &t->shortfall) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

int
dg_ucap_total_avail(const struct dg_ucap_total *t, int *have, dg_dec *avail)
{
	dg_rat a;

	*have = dg_rat_sign(t->icap_q) > 0;
	if (!*have)
		return DG_OK;
	if (dg_rat_div(t->weighted, t->icap_q, &a) != DG_OK ||
	    dg_rat_to_dec(a, 6, DG_RAT_ROUND, avail) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

/* --- capacity programs -------------------------------------------------- */

int
dg_ucap_capacity_program(const char *list, const char *prog)
{
	size_t n = strlen(prog);

	while (list != NULL && *list != '\0') {
		const char *e = strchr(list, ',');
		size_t len = e ? (size_t)(e - list) : strlen(list);

		if (len == n && strncasecmp(list, prog, n) == 0)
			return 1;
		list = e ? e + 1 : NULL;
	}
	return 0;
}

int
dg_ucap_programs_check(const char *list)
{
	const char *p = list;

	for (;;) {
		const char *e = strchr(p, ',');

		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0 || len >= 64)
			return DG_EINVAL;
		if (e == NULL)
			return DG_OK;
		p = e + 1;
	}
}

int
dg_ucap_site_counts(const struct dg_sites *ss, const struct dg_site *s,
    const char *list)
{
	if (!(ss->have & DG_SITE_PROGRAMS))
		return 1;
	while (list != NULL && *list != '\0') {
		const char *e = strchr(list, ',');
		size_t len = e ? (size_t)(e - list) : strlen(list);
		char name[64];

		if (len < sizeof(name)) {
			memcpy(name, list, len);
			name[len] = '\0';
			if (dg_site_in_program(s, name))
				return 1;
		}
		list = e ? e + 1 : NULL;
	}
	return 0;
}

int
dg_ucap_event_counts(const struct dg_sites *ss, const struct dg_site *s,
    const struct dg_event *e, const char *list)
{
	if (!dg_ucap_capacity_program(list, e->program) ||
	    !dg_event_applies(e, s->site))
		return 0;
	return e->site != NULL || !(ss->have & DG_SITE_PROGRAMS) ||
	    dg_site_in_program(s, e->program);
}

/* --- projection --------------------------------------------------------- */

/* x truncated to 3 decimals, then one step toward dir (+1 up, -1 down)
 * when that left it on the wrong side of x. */
static int
kw_round(dg_rat x, int dir, dg_dec *out)
{
	int st = dg_rat_to_dec(x, 3, DG_RAT_TRUNC, out);

	if (st != DG_OK)
		return st;
	if (dg_rat_cmp(dg_rat_dec(*out), x) * dir < 0)
		out->v += dir;
	return DG_OK;
}

int
dg_ucap_kw_up(dg_rat x, dg_dec *out)
{
	return kw_round(x, 1, out);
}

int
dg_ucap_kw_down(dg_rat x, dg_dec *out)
{
	return kw_round(x, -1, out);
}

/* A(r) = (S + n r) / (H + n) and UCAP = ICAP A(r) (1 + tlf). */
static int
proj_avail(const struct dg_ucap_params *p, const struct dg_ucap_result *r,
    dg_rat s, long h, int n, int full, dg_rat *a, dg_rat *u)
{
	dg_rat f;

	if (dg_rat_add(s, dg_rat_int(full ? n : 0), a) != DG_OK ||
	    dg_rat_div(*a, dg_rat_int(h + n), a) != DG_OK)
		return DG_ERANGE;
	*u = dg_rat_int(0);
	if (!r->have_icap)
		return DG_OK;
	if (dg_rat_add(dg_rat_int(1), dg_rat_dec(p->tlf), &f) != DG_OK ||
	    dg_rat_mul(r->icap, *a, u) != DG_OK ||
	    dg_rat_mul(*u, f, u) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

/* The ratio needed per test hour, and its state. */
static int
proj_need(dg_rat target, dg_rat s, long h, int n, const struct period *pe,
    struct dg_ucap_proj *pr)
{
	dg_rat r;

	if (dg_rat_mul(target, dg_rat_int(h + n), &r) != DG_OK ||
	    dg_rat_sub(r, s, &r) != DG_OK ||
	    dg_rat_div(r, dg_rat_int(n), &r) != DG_OK)
		return DG_ERANGE;
	if (dg_rat_sign(r) <= 0) {
		pr->state = DG_UCAP_NEED_NONE;
		pr->need = dg_rat_int(0);
	} else if (dg_rat_cmp(r, dg_rat_int(1)) > 0) {
		pr->state = DG_UCAP_NEED_UNREACHABLE;
	} else {
		pr->state = DG_UCAP_NEED_KW;
		if (dg_rat_mul(r, pe->icap, &pr->need) != DG_OK)
			return DG_ERANGE;
	}
	return DG_OK;
}

int
dg_ucap_project(const struct dg_ucap_params *p, const struct dg_ucap_site *s,
    int m, int test_month, int n, dg_rat target, struct dg_ucap_proj *pr,
    struct dg_error *err)
{
	struct period pe[1];
	dg_rat sum = dg_rat_int(0);
	int np = 0, j, st;

	memset(pr, 0, sizeof(*pr));
	if ((st = dg_ucap_compute(p, s, m, &pr->now, err)) != DG_OK)
		return st;
	pr->hours = pr->now.hours;
	pr->avail_full = pr->avail_zero = pr->now.avail;
	pr->ucap_full = pr->ucap_zero = pr->now.ucap;
	if (test_month < m - p->window_months || test_month >= m)
		return DG_OK;
	if ((st = period_of(p, s, test_month, pe, &np, &j, err)) != DG_OK)
		return st;
	pr->have_base = pe[0].have_apmd && p->apmd_measure;
	pr->base = pe[0].apmd;
	if (!pe[0].known || dg_rat_sign(pe[0].icap) == 0 ||
	    (p->apmd_measure && !pe[0].have_apmd))
		return DG_OK;
	pr->hours += n;
	if ((pr->now.hours > 0 && dg_rat_mul(pr->now.avail,
	    dg_rat_int(pr->now.hours), &sum) != DG_OK) ||
	    proj_avail(p, &pr->now, sum, pr->now.hours, n, 1,
	    &pr->avail_full, &pr->ucap_full) != DG_OK ||
	    proj_avail(p, &pr->now, sum, pr->now.hours, n, 0,
	    &pr->avail_zero, &pr->ucap_zero) != DG_OK ||
	    proj_need(target, sum, pr->now.hours, n, &pe[0], pr) != DG_OK)
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "projection: numbers too large for exact arithmetic");
	return DG_OK;
}
