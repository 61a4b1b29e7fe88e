/* dg_cbl.c: customer baseline load by the market's rules (see dg_cbl.h and
 * dg-cbl(1); the rules and their sources are in doc/market-rules.md, NYISO
 * customer baseline load; PJM and CAISO baselines). */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_cbl_int.h"
#include "dg_quality.h"
#include "dg_csv.h"
#include "dg_rat.h"

typedef dg_rat q_t;		/* an exact fraction */

void
dg_cbl_params_init(struct dg_cbl_params *p, enum dg_cbl_method m)
{
	memset(p, 0, sizeof(*p));
	p->method = m;
	p->offset = 1;
	p->dadrp_offset = 2;
	p->low_frac = dg_dec_make(25, 2);
	p->adj_start = 4;
	p->cap_lo = dg_dec_make(8, 1);
	p->cap_hi = dg_dec_make(12, 1);
	switch (m) {
	case DG_CBL_PJM:
		/* High 4 of 5 within 45 days; weekend High 2 of 3;
		 * symmetric additive adjustment HB S-4..S-2, no cap. */
		p->window[0] = 5, p->basis[0] = 4, p->min_days[0] = 5;
		p->window[1] = p->window[2] = 3;
		p->basis[1] = p->basis[2] = 2;
		p->min_days[1] = p->min_days[2] = 3;
		p->lookback = 45;
		p->low = DG_CBL_LOW_AVERAGE;
		p->weekend_exclude = 1;
		p->fill_events = 1;
		p->adj = DG_CBL_ADJ_ADD;
		p->adj_len = 3;
		p->capped = 0;
		break;
	case DG_CBL_CAISO:
		/* 10-in-10 within 45 days; weekend 4-in-4; load point
		 * adjustment HB S-4..S-2 capped at +-20 %. */
		p->window[0] = 10, p->basis[0] = 10, p->min_days[0] = 5;
		p->window[1] = p->window[2] = 4;
		p->basis[1] = p->basis[2] = 4;
		p->min_days[1] = p->min_days[2] = 4;
		p->lookback = 45;
		p->low = DG_CBL_LOW_NONE;
		p->weekend_exclude = 1;
		p->adj = DG_CBL_ADJ_MULT;
		p->adj_len = 3;
		p->capped = 1;
		break;
	case DG_CBL_NYISO:
	default:
		/* Average day: 5 of 10 within 30 days; weekend 2 of 3 with
		 * no exclusions; weather-sensitive adjustment (when chosen)
		 * HB S-4, S-3 over the basis days, capped at +-20 %. */
		p->method = DG_CBL_NYISO;
		p->window[0] = 10, p->basis[0] = 5, p->min_days[0] = 5;
		p->window[1] = p->window[2] = 3;
		p->basis[1] = p->basis[2] = 2;
		p->min_days[1] = p->min_days[2] = 3;
		p->lookback = 30;
		p->low = DG_CBL_LOW_PEAK;
		p->weekend_exclude = 0;
		p->adj = DG_CBL_ADJ_NONE;
		p->adj_len = 2;
		p->capped = 1;
		break;
	}
}

static const char *const method_names[] = { "nyiso", "pjm", "caiso" };

const char *
dg_cbl_method_name(int m)
{
	return m >= 0 && m < 3 ? method_names[m] : "?";
}

int
dg_cbl_method_parse(const char *s, int *m)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, method_names[i]) == 0) {
			*m = i;
			return DG_OK;
		}
	return DG_EINVAL;
}

int
dg_cbl_params_check(const struct dg_cbl_params *p, struct dg_error *err)
{
	static const char *const cls[] = { "weekday", "saturday", "sunday" };

	if (p->method < 0 || p->method > 2)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "unknown method");
	if (p->lookback < 1 || p->lookback > DG_CBL_MAX_LOOKBACK)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "look-back must be 1 to %d days", DG_CBL_MAX_LOOKBACK);
	if (p->offset < 1 || p->offset > p->lookback ||
	    p->dadrp_offset < 1 || p->dadrp_offset > p->lookback)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "window offset must be 1 to the look-back (%d days)",
		    p->lookback);
	for (int i = 0; i < 3; i++) {
		if (p->window[i] < 1 || p->window[i] > DG_CBL_MAX_WINDOW)
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s window must be 1 to %d days", cls[i],
			    DG_CBL_MAX_WINDOW);
		if (p->basis[i] < 1 || p->basis[i] > p->window[i])
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s basis must be 1 to the window (%d days)",
			    cls[i], p->window[i]);
		if (p->min_days[i] < 0 || p->min_days[i] > p->window[i])
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s minimum must be 0 to the window (%d days)",
			    cls[i], p->window[i]);
	}
	if (p->low < DG_CBL_LOW_NONE || p->low > DG_CBL_LOW_AVERAGE ||
	    dg_dec_sign(p->low_frac) < 0 ||
	    dg_dec_cmp(p->low_frac, dg_dec_make(1, 0)) > 0)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "low-usage fraction must be 0 to 1");
	if (p->adj < DG_CBL_ADJ_NONE || p->adj > DG_CBL_ADJ_ADD)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "unknown adjustment");
	if (p->adj != DG_CBL_ADJ_NONE &&
	    (p->adj_len < 1 || p->adj_start < p->adj_len || p->adj_start > 24))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "adjustment hours must end before the event: 1 <= length <= start <= 24");
	if (p->capped && (dg_dec_sign(p->cap_lo) < 0 ||
	    dg_dec_cmp(p->cap_lo, dg_dec_make(1, 0)) > 0 ||
	    dg_dec_cmp(p->cap_hi, dg_dec_make(1, 0)) < 0 ||
	    dg_dec_cmp(p->cap_hi, dg_dec_make(1000000, 0)) >= 0))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "adjustment cap must be LO <= 1 <= HI with LO >= 0");
	return DG_OK;
}

int
dg_cbl_event_offset(const struct dg_cbl_params *p, const char *program)
{
	return program != NULL && strcasecmp(program, "DADRP") == 0 ?
	    p->dadrp_offset : p->offset;
}

/* --- calendar ------------------------------------------------------- */

void
dg_cbl_cal_init(struct dg_cbl_cal *c)
{
	memset(c, 0, sizeof(*c));
}

void
dg_cbl_cal_release(struct dg_cbl_cal *c)
{
	free(c->start);
	free(c->nh);
	free(c->clk);
	memset(c, 0, sizeof(*c));
}

static int
cal_fill(struct dg_cbl_cal *c, size_t i)
{
	dg_date d = c->first + (dg_date)i;
	dg_time a, b;
	int nh;

	if (dg_date_start(d, &a) != DG_OK || dg_date_start(d + 1, &b) != DG_OK)
		return DG_EINTERNAL;
	c->start[i] = a;
	c->start[i + 1] = b;
	nh = (int)((b - a) / 3600);
	if (nh < 1 || nh > DG_CBL_SLOTS || (b - a) % 3600 != 0)
		return DG_EINTERNAL;
	c->nh[i] = (unsigned char)nh;
	for (int k = 0; k < DG_CBL_SLOTS; k++)
		c->clk[i][k] = -1;
	if (nh == 24) {
		for (int k = 0; k < 24; k++)
			c->clk[i][k] = (signed char)k;
	} else {
		for (int k = 0; k < nh; k++) {
			struct dg_local lt;

			if (dg_time_local(a + (dg_time)k * 3600, &lt) != DG_OK)
				return DG_EINTERNAL;
			c->clk[i][k] = (signed char)lt.hour;
		}
	}
	return DG_OK;
}

int
dg_cbl_cal_cover(struct dg_cbl_cal *c, dg_date a, dg_date b)
{
	dg_date lo, hi;
	size_t n, shift;
	int st;

	if (c->n > 0 && a >= c->first && b < c->first + (dg_date)c->n)
		return DG_OK;
	lo = c->n > 0 && c->first < a ? c->first : a;
	hi = c->n > 0 && c->first + (dg_date)c->n - 1 > b ?
	    c->first + (dg_date)c->n - 1 : b;
	/* grow by a year at a time on the side that needs it */
	if (c->n > 0 && lo < c->first)
		lo = lo < c->first - 366 ? lo : c->first - 366;
	if (c->n > 0 && hi > c->first + (dg_date)c->n - 1)
		hi = hi > c->first + (dg_date)c->n + 365 ? hi :
		    c->first + (dg_date)c->n + 365;
	if (c->n > 0 && hi - lo + 1 > DG_CBL_CAL_DAYS) {
		c->n = 0;	/* far from the dates cached: afresh */
		lo = a;
		hi = b;
	}
	if (hi - lo + 1 > DG_CBL_CAL_DAYS)
		return DG_ERANGE;
	n = (size_t)(hi - lo + 1);
	if (n + 1 > c->cap) {
		dg_time *s = realloc(c->start, (n + 1) * sizeof(*s));
		unsigned char *nh;
		signed char (*clk)[DG_CBL_SLOTS];

		if (s == NULL)
			return DG_ENOMEM;
		c->start = s;
		if ((nh = realloc(c->nh, (n + 1) * sizeof(*nh))) == NULL)
			return DG_ENOMEM;
		c->nh = nh;
		if ((clk = realloc(c->clk, (n + 1) * sizeof(*clk))) == NULL)
			return DG_ENOMEM;
		c->clk = clk;
		c->cap = n + 1;
	}
	shift = c->n > 0 ? (size_t)(c->first - lo) : 0;
	if (c->n > 0 && shift > 0) {
		memmove(c->start + shift, c->start,
		    (c->n + 1) * sizeof(*c->start));
		memmove(c->nh + shift, c->nh, c->n * sizeof(*c->nh));
		memmove(c->clk + shift, c->clk, c->n * sizeof(*c->clk));
	}
	{
		size_t oldn = c->n;

		c->first = lo;
		c->n = n;
		for (size_t i = 0; i < n; i++) {
			if (oldn > 0 && i >= shift && i < shift + oldn)
				continue;
			if ((st = cal_fill(c, i)) != DG_OK)
				return st;
		}
	}
	return DG_OK;
}

int
dg_cbl_cal_locate(struct dg_cbl_cal *c, dg_time t, dg_date *d, int *idx)
{
	dg_date g = (dg_date)((t >= 0 ? t : t - 86399) / 86400);
	size_t i;
	int st;

	if ((st = dg_cbl_cal_cover(c, g - 2, g + 2)) != DG_OK)
		return st;
	i = (size_t)(g - c->first);
	while (i > 0 && t < c->start[i])
		i--;
	while (i + 1 < c->n && t >= c->start[i + 1])
		i++;
	if (t < c->start[i] || t >= c->start[i + 1] ||
	    (t - c->start[i]) % 3600 != 0)
		return DG_EDATA;
	*d = c->first + (dg_date)i;
	*idx = (int)((t - c->start[i]) / 3600);
	return DG_OK;
}

/* Hour index of clock hour h on date d: the first, and the count (0-2). */
static int
clock_index(const struct dg_cbl_cal *c, dg_date d, int h, int *second)
{
	size_t i;
	int first = -1;

	*second = -1;
	if (c->n == 0 || d < c->first || d >= c->first + (dg_date)c->n)
		return h;	/* not cached: an ordinary day */
	i = (size_t)(d - c->first);
	if (c->nh[i] == 24)
		return h;
	for (int k = 0; k < c->nh[i]; k++)
		if (c->clk[i][k] == h) {
			if (first < 0)
				first = k;
			else
				*second = k;
		}
	return first;
}

/* --- one site's load ------------------------------------------------ */

void
dg_cbl_load_init(struct dg_cbl_load *l)
{
	memset(l, 0, sizeof(*l));
}

void
dg_cbl_load_release(struct dg_cbl_load *l)
{
	free(l->v);
	free(l->have);
	memset(l, 0, sizeof(*l));
}

void
dg_cbl_load_clear(struct dg_cbl_load *l)
{
	l->ndays = 0;
}

static int
load_grow(struct dg_cbl_load *l, dg_date d)
{
	if (l->ndays == 0) {
		if (l->cap == 0) {
			size_t cap = 400;

			if ((l->v = malloc(cap * DG_CBL_SLOTS *
			    sizeof(*l->v))) == NULL ||
			    (l->have = malloc(cap * DG_CBL_SLOTS)) == NULL)
				return DG_ENOMEM;
			l->cap = cap;
		}
		l->first = d;
		l->ndays = 1;
		memset(l->have, 0, DG_CBL_SLOTS);
		return DG_OK;
	}
	if (d >= l->first && d < l->first + (dg_date)l->ndays)
		return DG_OK;
	{
		dg_date lo = d < l->first ? d : l->first;
		dg_date hi = d >= l->first + (dg_date)l->ndays ? d :
		    l->first + (dg_date)l->ndays - 1;
		size_t n = (size_t)(hi - lo + 1),
		    shift = (size_t)(l->first - lo);

		if (n > DG_CBL_MAX_DAYS)
			return DG_ERANGE;
		if (n > l->cap) {
			size_t cap = l->cap * 2 > n ? l->cap * 2 : n;
			dg_dec *v = realloc(l->v,
			    cap * DG_CBL_SLOTS * sizeof(*v));
			unsigned char *h;

			if (v == NULL)
				return DG_ENOMEM;
			l->v = v;
			if ((h = realloc(l->have, cap * DG_CBL_SLOTS)) == NULL)
				return DG_ENOMEM;
			l->have = h;
			l->cap = cap;
		}
		if (shift > 0) {
			memmove(l->v + shift * DG_CBL_SLOTS, l->v,
			    l->ndays * DG_CBL_SLOTS * sizeof(*l->v));
			memmove(l->have + shift * DG_CBL_SLOTS, l->have,
			    l->ndays * DG_CBL_SLOTS);
			memset(l->have, 0, shift * DG_CBL_SLOTS);
		}
		memset(l->have + (shift + l->ndays) * DG_CBL_SLOTS, 0,
		    (n - shift - l->ndays) * DG_CBL_SLOTS);
		l->first = lo;
		l->ndays = n;
	}
	return DG_OK;
}

int
dg_cbl_load_set(struct dg_cbl_load *l, struct dg_cbl_cal *c, dg_time t,
    dg_dec kw)
{
	dg_date d;
	int idx, st;
	size_t k;

	/* the hours of a day in a row: the day's bounds kept (the checks of
	 * dg_cbl_cal_locate on them) */
	if (t >= l->day_a && t < l->day_b) {
		if ((t - l->day_a) % 3600 != 0)
			return DG_EDATA;
		d = l->day;
		idx = (int)((t - l->day_a) / 3600);
	} else {
		if ((st = dg_cbl_cal_locate(c, t, &d, &idx)) != DG_OK)
			return st;
		l->day = d;
		l->day_a = c->start[d - c->first];
		l->day_b = c->start[d - c->first + 1];
	}
	if ((st = load_grow(l, d)) != DG_OK)
		return st;
	k = (size_t)(d - l->first) * DG_CBL_SLOTS + (size_t)idx;
	l->v[k] = kw;
	l->have[k] = 1;
	return DG_OK;
}

/* Hour index idx of date d: 1 and *kw when present, else 0. */
static int
load_get(const struct dg_cbl_load *l, dg_date d, int idx, dg_dec *kw)
{
	size_t k;

	if (l->ndays == 0 || d < l->first ||
	    d >= l->first + (dg_date)l->ndays ||
	    idx < 0 || idx >= DG_CBL_SLOTS)
		return 0;
	k = (size_t)(d - l->first) * DG_CBL_SLOTS + (size_t)idx;
	if (!l->have[k])
		return 0;
	*kw = l->v[k];
	return 1;
}

int
dg_cbl_load_clock(const struct dg_cbl_load *l, const struct dg_cbl_cal *c,
    dg_date d, int h, dg_dec *kw)
{
	int second, first = clock_index(c, d, h, &second);
	dg_dec a, b;

	if (first < 0 || !load_get(l, d, first, &a))
		return 0;
	*kw = a;
	if (second < 0)
		return 1;
	if (!load_get(l, d, second, &b))
		return 0;
	/* (a + b) / 2 is exact with one more decimal */
	if (dg_dec_add(a, b, &a) != DG_OK || a.scale >= DG_DEC_MAX_SCALE ||
	    dg_dec_div(a, dg_dec_make(2, 0), a.scale + 1, kw) != DG_OK)
		return -1;
	return 1;
}

/* --- names ---------------------------------------------------------- */

static const char *const reason_names[] = {
	"", "offset", "not_like_day", "holiday", "event_day", "missing_data",
	"low_usage"
};

const char *
dg_cbl_reason_name(int r)
{
	return r >= 0 && r < DG_CBL_R_NREASONS ? reason_names[r] : "?";
}

static const char *const flag_names[] = {
	"short_window", "no_basis", "missing_actual", "adj_zero_base",
	"adj_missing", "event_fill"
};

const char *
dg_cbl_flag_name(int bit)
{
	return bit >= 0 && bit < DG_CBL_Q_NFLAGS ? flag_names[bit] : "?";
}

void
dg_cbl_flags_format(unsigned flags, char *buf, size_t n)
{
	dg_quality_format(flags, flag_names, DG_CBL_Q_NFLAGS, buf, n);
}

/* --- the CBL -------------------------------------------------------- */

void
dg_cbl_result_init(struct dg_cbl_result *r)
{
	memset(r, 0, sizeof(*r));
}

void
dg_cbl_result_release(struct dg_cbl_result *r)
{
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

static int
add_note(struct dg_cbl_result *r, const struct dg_cbl_note *n)
{
	if (r->nnotes == r->capnotes) {
		size_t cap = r->capnotes ? 2 * r->capnotes : 64;
		struct dg_cbl_note *v = realloc(r->notes, cap * sizeof(*v));

		if (v == NULL)
			return DG_ENOMEM;
		r->notes = v;
		r->capnotes = cap;
	}
	r->notes[r->nnotes++] = *n;
	return DG_OK;
}

static int
day_class(dg_date d, const struct dg_holidays *hol)
{
	int w = dg_date_wday(d);

	if (w == 6)
		return DG_CBL_SATURDAY;
	if (w == 0 || dg_holidays_contains(hol, d))
		return DG_CBL_SUNDAY;
	return DG_CBL_WEEKDAY;
}

static int
is_event_day(const dg_date *v, size_t n, dg_date d)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (v[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == d;
}

static int
q_add(q_t *acc, q_t x)
{
	return dg_rat_add(*acc, x, acc);
}

static int
q_kw(q_t x, dg_dec *out)
{
	return dg_rat_to_dec(x, DG_CBL_KW_SCALE, DG_RAT_ROUND, out);
}

/* The load of clock hour h summed over days d[0..n) (+ shift days), exact:
 * 1, 0 when one is missing, -1 when too large. */
static int
sum_days(const struct dg_cbl_load *l, const struct dg_cbl_cal *c,
    const dg_date *d, size_t n, dg_date shift, int h, dg_dec *sum)
{
	dg_dec x;
	int k;

	*sum = dg_dec_make(0, 0);
	for (size_t i = 0; i < n; i++) {
		if ((k = dg_cbl_load_clock(l, c, d[i] + shift, h, &x)) <= 0)
			return k;
		if (dg_dec_add(*sum, x, sum) != DG_OK)
			return -1;
	}
	return 1;
}

/* The mean sum / n, exact. */
static int
q_mean(dg_dec sum, long long n, q_t *out)
{
	return dg_rat_div(dg_rat_dec(sum), dg_rat_int(n), out);
}

/* ADEPU: mean load over the event clock hours, and the highest of them:
 * 1, 0 when one is missing, -1 when too large. */
static int
adepu(const struct dg_cbl_load *l, const struct dg_cbl_cal *c, dg_date d,
    const int *hours, int nh, q_t *out, q_t *peak)
{
	dg_dec s = dg_dec_make(0, 0), x, pk = s;
	int k;

	for (int i = 0; i < nh; i++) {
		if ((k = dg_cbl_load_clock(l, c, d, hours[i], &x)) <= 0)
			return k;
		if (dg_dec_add(s, x, &s) != DG_OK)
			return -1;
		if (i == 0 || dg_dec_cmp(x, pk) > 0)
			pk = x;
	}
	if (q_mean(s, nh, out) != DG_OK)
		return -1;
	if (peak != NULL)
		*peak = dg_rat_dec(pk);
	return 1;
}

struct cand {
	dg_date d;
	q_t adepu;
	size_t note;
};

static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = dg_rat_cmp(x->adepu, y->adepu);

	if (c != 0)
		return -c;	/* the higher first */
	return x->d > y->d ? -1 : x->d < y->d;	/* the more recent first */
}

static int
cmp_cand_older(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = dg_rat_cmp(x->adepu, y->adepu);

	if (c != 0)
		return -c;
	return x->d < y->d ? -1 : x->d > y->d;	/* the older first */
}

static int
event_instants(struct dg_cbl_cal *c, const struct dg_cbl_event *ev,
    dg_time *a, dg_time *b, struct dg_error *err)
{
	int y, m, d, st;
	char ds[16];

	dg_date_to_ymd(ev->date, &y, &m, &d);
	dg_date_format(ev->date, ds, sizeof(ds));
	if (ev->start_h < 0 || ev->start_h >= ev->end_h || ev->end_h > 24)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "event %s: hours must be 0 <= start < end <= 24", ev->id);
	if (dg_time_from_local(y, m, d, ev->start_h, 0, 0, a) != DG_OK)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "event %s: %02d:00 does not exist on %s", ev->id,
		    ev->start_h, ds);
	if (ev->end_h == 24) {
		if ((st = dg_cbl_cal_cover(c, ev->date, ev->date + 1)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
		*b = c->start[ev->date + 1 - c->first];
	} else if (dg_time_from_local(y, m, d, ev->end_h, 0, 0, b) != DG_OK)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "event %s: %02d:00 does not exist on %s", ev->id, ev->end_h,
		    ds);
	return DG_OK;
}

/* The state of one computation. */
struct comp {
	const struct dg_cbl_params *p;
	struct dg_cbl_cal *c;
	const struct dg_cbl_load *l;
	const struct dg_cbl_event *ev;
	const dg_date *evd;
	size_t nevd;
	const struct dg_holidays *hol;
	struct dg_cbl_result *r;
	dg_time ta, tb;
	int hours[DG_CBL_SLOTS], nh;	/* the event's clock hours */
	int cls, wsize, exclude;
	q_t threshold;
	q_t cbl[DG_CBL_SLOTS];		/* the exact CBL of each hour */
	struct cand win[DG_CBL_MAX_WINDOW], fill[DG_CBL_MAX_LOOKBACK];
	size_t nwin, nfill;
};

static int
too_large(const struct comp *k, struct dg_error *err)
{
	return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
	    "event %s: loads too large for exact arithmetic", k->ev->id);
}

/* The event hours (with all_hours, every hour of the event day), their
 * metered load, and the set of the event's clock hours. */
static int
event_hours(struct comp *k, struct dg_error *err)
{
	struct dg_cbl_result *r = k->r;
	dg_time from = k->ta, to = k->tb;
	int st;

	if (k->p->all_hours) {
		from = k->c->start[k->ev->date - k->c->first];
		to = k->c->start[k->ev->date + 1 - k->c->first];
	}
	for (dg_time t = from; t < to; t += 3600) {
		struct dg_cbl_hour *h = &r->h[r->nhours++];
		dg_date d;
		dg_dec a;
		int idx, dup = 0;

		if ((st = dg_cbl_cal_locate(k->c, t, &d, &idx)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "event %s: not on the hour", k->ev->id);
		memset(h, 0, sizeof(*h));
		h->t = t;
		h->clock = k->c->clk[d - k->c->first][idx];
		h->in_event = t >= k->ta && t < k->tb;
		h->have_actual = load_get(k->l, d, idx, &a);
		if (h->have_actual) {
			h->actual = dg_dec_to_double(a);
			if (q_kw(dg_rat_dec(a), &h->actual_kw) != DG_OK)
				return too_large(k, err);
		} else if (h->in_event)
			r->quality |= DG_CBL_Q_MISSING_ACTUAL;
		if (!h->in_event)
			continue;
		for (int i = 0; i < k->nh; i++)
			dup |= k->hours[i] == h->clock;
		if (!dup)
			k->hours[k->nh++] = h->clock;
	}
	return DG_OK;
}

/* The low-usage threshold over the like, non-event days of the look-back:
 * low_frac x (peak: the highest event-hour load; average: the mean ADEPU
 * of the first window-size days). */
static int
low_threshold(struct comp *k, struct dg_error *err)
{
	const struct dg_cbl_params *p = k->p;
	dg_date D = k->ev->date;
	q_t base = dg_rat_int(0), sum = base, a, pk;
	long n = 0;
	int st;

	k->threshold = base;
	if (p->low == DG_CBL_LOW_NONE || !k->exclude)
		return DG_OK;
	for (dg_date d = D - k->r->offset; d >= D - p->lookback; d--) {
		if (day_class(d, k->hol) != k->cls ||
		    is_event_day(k->evd, k->nevd, d) ||
		    (st = adepu(k->l, k->c, d, k->hours, k->nh, &a, &pk)) == 0)
			continue;
		if (st < 0)
			return too_large(k, err);
		if (p->low == DG_CBL_LOW_PEAK)
			base = n == 0 || dg_rat_cmp(pk, base) > 0 ? pk : base;
		else if (n >= k->wsize)
			break;
		if (q_add(&sum, a) != DG_OK)
			return too_large(k, err);
		n++;
	}
	if ((p->low == DG_CBL_LOW_AVERAGE && n > 0 &&
	    dg_rat_div(sum, dg_rat_int(n), &base) != DG_OK) ||
	    dg_rat_mul(dg_rat_dec(p->low_frac), base, &k->threshold) != DG_OK)
		return too_large(k, err);
	return DG_OK;
}

/* Why day d, of ADEPU a (have: known), is not in the window, or
 * DG_CBL_R_NONE. */
static int
skip_reason(struct comp *k, dg_date d, int have, q_t a)
{
	dg_date D = k->ev->date;

	if (d > D - k->r->offset)
		return DG_CBL_R_OFFSET;
	if (day_class(d, k->hol) != k->cls)
		return k->cls == DG_CBL_WEEKDAY && dg_date_wday(d) != 0 &&
		    dg_date_wday(d) != 6 ? DG_CBL_R_HOLIDAY : DG_CBL_R_NOT_LIKE;
	if (!have)
		return DG_CBL_R_MISSING;
	if (k->exclude && is_event_day(k->evd, k->nevd, d))
		return DG_CBL_R_EVENT;
	if (k->exclude && dg_rat_sign(k->threshold) > 0 &&
	    dg_rat_cmp(a, k->threshold) < 0)
		return DG_CBL_R_LOW_USAGE;
	return DG_CBL_R_NONE;
}

/* Fills the window, walking back from the event day; too few days: the
 * event days of highest usage (PJM). */
static int
fill_window(struct comp *k, struct dg_error *err)
{
	const struct dg_cbl_params *p = k->p;
	struct dg_cbl_result *r = k->r;
	dg_date D = k->ev->date;
	int st;

	for (dg_date d = D - 1; d >= D - p->lookback && (int)k->nwin < k->wsize;
	    d--) {
		struct dg_cbl_note n;
		struct cand cd;

		memset(&n, 0, sizeof(n));
		n.date = d;
		n.role = DG_CBL_SKIPPED;
		if ((st = adepu(k->l, k->c, d, k->hours, k->nh, &cd.adepu,
		    NULL)) < 0)
			return too_large(k, err);
		n.have_adepu = st;
		if (st) {
			n.adepu = dg_rat_double(cd.adepu);
			if (q_kw(cd.adepu, &n.adepu_kw) != DG_OK)
				return too_large(k, err);
		}
		cd.d = d;
		cd.note = r->nnotes;
		n.reason = skip_reason(k, d, n.have_adepu, cd.adepu);
		if (n.reason == DG_CBL_R_EVENT &&
		    k->nfill < DG_CBL_MAX_LOOKBACK)
			k->fill[k->nfill++] = cd;
		if (n.reason == DG_CBL_R_NONE) {
			n.role = DG_CBL_WINDOW;
			k->win[k->nwin++] = cd;
		}
		if ((st = add_note(r, &n)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
	}
	if ((int)k->nwin < k->wsize && p->fill_events && k->nfill > 0) {
		qsort(k->fill, k->nfill, sizeof(*k->fill),
		    p->ties_older ? cmp_cand_older : cmp_cand);
		for (size_t i = 0; i < k->nfill && (int)k->nwin < k->wsize;
		    i++) {
			k->win[k->nwin++] = k->fill[i];
			r->notes[k->fill[i].note].role = DG_CBL_WINDOW;
			r->notes[k->fill[i].note].filled = 1;
			r->quality |= DG_CBL_Q_EVENT_FILL;
		}
	}
	return DG_OK;
}

/* The basis (the highest ADEPU, ties by --ties) and the CBL of each event
 * hour: the mean of the basis days' load at its clock hour. */
static int
basis_cbl(struct comp *k, struct dg_error *err)
{
	struct dg_cbl_result *r = k->r;
	size_t nbasis;

	qsort(k->win, k->nwin, sizeof(*k->win),
	    k->p->ties_older ? cmp_cand_older : cmp_cand);
	nbasis = (size_t)k->p->basis[k->cls] < k->nwin ?
	    (size_t)k->p->basis[k->cls] : k->nwin;
	r->nbasis = nbasis;
	for (size_t i = 0; i < nbasis; i++) {
		r->basis[i] = k->win[i].d;
		r->notes[k->win[i].note].role = DG_CBL_BASIS;
	}
	for (size_t j = 0; j < r->nhours; j++) {
		struct dg_cbl_hour *h = &r->h[j];
		dg_dec s;
		int st = sum_days(k->l, k->c, r->basis, nbasis, 0, h->clock,
		    &s);

		if (st == 0 && !h->in_event)
			continue;	/* a basis day without this hour */
		if (st == 0)
			return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
			    "basis day without an event hour");
		if (st < 0 ||
		    q_mean(s, (long long)nbasis, &k->cbl[j]) != DG_OK ||
		    q_kw(k->cbl[j], &h->cbl_kw) != DG_OK)
			return too_large(k, err);
		h->cbl = h->adj_cbl = dg_rat_double(k->cbl[j]);
		h->adj_cbl_kw = h->cbl_kw;
		h->have_cbl = 1;
	}
	return DG_OK;
}

/* The event day's load (*sa) and the CBL (*sc) summed over the adjustment
 * hours: 1, or 0 when a load is missing, -1 when too large. */
static int
adj_sums(struct comp *k, q_t *sa, q_t *sc)
{
	const struct dg_cbl_params *p = k->p;
	size_t nd = p->adj_window ? k->nwin : k->r->nbasis;
	dg_date days[DG_CBL_MAX_WINDOW];

	for (size_t i = 0; i < nd; i++)
		days[i] = p->adj_window ? k->win[i].d : k->r->basis[i];
	*sa = *sc = dg_rat_int(0);
	for (int j = 0; j < p->adj_len; j++) {
		dg_time t = k->ta - (dg_time)(p->adj_start - j) * 3600;
		q_t m;
		dg_dec a, s;
		dg_date d;
		int idx, st;

		if (dg_cbl_cal_locate(k->c, t, &d, &idx) != DG_OK)
			return -1;
		if (!load_get(k->l, d, idx, &a))
			return 0;
		if ((st = sum_days(k->l, k->c, days, nd, d - k->ev->date,
		    k->c->clk[d - k->c->first][idx], &s)) <= 0)
			return st;
		if (q_add(sa, dg_rat_dec(a)) != DG_OK ||
		    q_mean(s, (long long)nd, &m) != DG_OK ||
		    q_add(sc, m) != DG_OK)
			return -1;
	}
	return 1;
}

/* x limited to [lo, hi]. */
static q_t
clamp(q_t x, q_t lo, q_t hi)
{
	if (dg_rat_cmp(x, lo) < 0)
		return lo;
	if (dg_rat_cmp(x, hi) > 0)
		return hi;
	return x;
}

/* The adjustment (exact, capped) of the sums over the adjustment hours:
 * multiplicative F = sa / sc; additive A = (sa - sc) / len, capped to
 * (LO - 1, HI - 1) x the mean CBL of those hours. */
static int
adj_value(struct comp *k, q_t sa, q_t sc, q_t *v)
{
	const struct dg_cbl_params *p = k->p;
	q_t lo = dg_rat_dec(p->cap_lo), hi = dg_rat_dec(p->cap_hi);
	q_t one = dg_rat_int(1), len = dg_rat_int(p->adj_len), mean;

	if (p->adj == DG_CBL_ADJ_MULT) {
		if (dg_rat_sign(sc) == 0) {
			*v = one;
			k->r->quality |= DG_CBL_Q_ADJ_ZERO;
		} else if (dg_rat_div(sa, sc, v) != DG_OK)
			return DG_ERANGE;
		k->r->adj_raw = dg_rat_double(*v);
		if (p->capped)
			*v = clamp(*v, lo, hi);
		return DG_OK;
	}
	if (dg_rat_sub(sa, sc, v) != DG_OK || dg_rat_div(*v, len, v) != DG_OK ||
	    dg_rat_div(sc, len, &mean) != DG_OK)
		return DG_ERANGE;
	k->r->adj_raw = dg_rat_double(*v);
	if (p->capped) {
		if (dg_rat_sub(lo, one, &lo) != DG_OK ||
		    dg_rat_mul(lo, mean, &lo) != DG_OK ||
		    dg_rat_sub(hi, one, &hi) != DG_OK ||
		    dg_rat_mul(hi, mean, &hi) != DG_OK)
			return DG_ERANGE;
		*v = clamp(*v, lo, hi);
	}
	return DG_OK;
}

/* The day-of adjustment; the adjusted CBL of an hour is computed from the
 * printed adjustment and CBL. */
static int
adjust(struct comp *k, struct dg_error *err)
{
	struct dg_cbl_result *r = k->r;
	int mult = k->p->adj == DG_CBL_ADJ_MULT;
	q_t sa, sc, v;
	int st;

	if ((st = adj_sums(k, &sa, &sc)) < 0)
		return too_large(k, err);
	if (st == 0) {
		r->quality |= DG_CBL_Q_ADJ_MISSING;
		return DG_OK;
	}
	if (adj_value(k, sa, sc, &v) != DG_OK ||
	    dg_rat_to_dec(v, DG_CBL_ADJ_SCALE, DG_RAT_ROUND,
	    &r->adj_x) != DG_OK)
		return too_large(k, err);
	r->adj = dg_rat_double(v);
	r->adjusted = 1;
	for (size_t j = 0; j < r->nhours; j++) {
		struct dg_cbl_hour *h = &r->h[j];
		q_t x;
		dg_dec s;

		if (!h->have_cbl)
			continue;
		if ((mult ? dg_rat_mul(v, k->cbl[j], &x) :
		    dg_rat_add(v, k->cbl[j], &x)) != DG_OK)
			return too_large(k, err);
		h->adj_cbl = dg_rat_double(x);
		if ((mult ? dg_dec_mul(r->adj_x, h->cbl_kw, DG_CBL_KW_SCALE,
		    &h->adj_cbl_kw) :
		    (dg_dec_add(h->cbl_kw, r->adj_x, &s) != DG_OK ? DG_ERANGE :
		    dg_dec_rescale(s, DG_CBL_KW_SCALE,
		    &h->adj_cbl_kw))) != DG_OK)
			return too_large(k, err);
	}
	return DG_OK;
}

int
dg_cbl_reduction(const struct dg_cbl_hour *h, dg_dec *kw)
{
	if (!h->have_cbl || !h->have_actual)
		return 0;
	return dg_dec_sub(h->adj_cbl_kw, h->actual_kw, kw) == DG_OK ? 1 : -1;
}

int
dg_cbl_compute(const struct dg_cbl_params *p, struct dg_cbl_cal *c,
    const struct dg_cbl_load *l, const struct dg_cbl_event *ev,
    const dg_date *event_days, size_t nevent_days,
    const struct dg_holidays *hol, struct dg_cbl_result *r,
    struct dg_error *err)
{
	struct comp *k;
	dg_date D = ev->date;
	int st;

	r->nhours = r->nwindow = r->nbasis = r->nnotes = 0;
	r->quality = 0;
	r->adjusted = 0;
	r->adj = r->adj_raw = 0;
	r->adj_x = dg_dec_make(0, DG_CBL_ADJ_SCALE);
	r->threshold = 0;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	k->p = p, k->c = c, k->l = l, k->ev = ev, k->hol = hol, k->r = r;
	k->evd = event_days, k->nevd = nevent_days;
	if ((st = event_instants(c, ev, &k->ta, &k->tb, err)) != DG_OK)
		goto out;
	if ((st = dg_cbl_cal_cover(c, D - p->lookback - 1, D + 1)) != DG_OK) {
		st = dg_error_set(err, st, NULL, 0, NULL, "out of memory");
		goto out;
	}
	if ((st = event_hours(k, err)) != DG_OK)
		goto out;
	k->cls = day_class(D, hol);
	if (k->cls == DG_CBL_SUNDAY && p->holiday_weekday &&
	    dg_date_wday(D) != 0)
		k->cls = DG_CBL_WEEKDAY;
	r->cls = k->cls;
	r->offset = dg_cbl_event_offset(p, ev->program);
	k->wsize = p->window[k->cls];
	k->exclude = k->cls == DG_CBL_WEEKDAY || p->weekend_exclude;
	if ((st = low_threshold(k, err)) != DG_OK)
		goto out;
	r->threshold = dg_rat_double(k->threshold);
	if (q_kw(k->threshold, &r->threshold_kw) != DG_OK) {
		st = too_large(k, err);
		goto out;
	}
	if ((st = fill_window(k, err)) != DG_OK)
		goto out;
	r->nwindow = k->nwin;
	if ((int)k->nwin < p->min_days[k->cls])
		r->quality |= DG_CBL_Q_SHORT_WINDOW;
	if (k->nwin == 0)
		r->quality |= DG_CBL_Q_NO_BASIS;
	else if ((st = basis_cbl(k, err)) == DG_OK && p->adj != DG_CBL_ADJ_NONE)
		st = adjust(k, err);
out:
	free(k);
	return st;
}

/* --- events ------------------------------------------------------------ */

int
dg_cbl_event_of(const struct dg_event *e, struct dg_cbl_event *out)
{
	if (e->start_min % 60 != 0 || e->end_min % 60 != 0)
		return DG_EINVAL;
	out->id = e->id;
	out->program = e->program;
	out->date = e->date;
	out->start_h = e->start_min / 60;
	out->end_h = e->end_min / 60;
	return DG_OK;
}

/* Adds name (n bytes) to v[0..*k) unless there, without case; a new name
 * is copied to *buf. */
static void
add_name(const char **v, size_t *k, char **buf, const char *name, size_t n)
{
	for (size_t i = 0; i < *k; i++)
		if (strlen(v[i]) == n && strncasecmp(v[i], name, n) == 0)
			return;
	memcpy(*buf, name, n);
	(*buf)[n] = '\0';
	v[(*k)++] = *buf;
	*buf += n + 1;
}

/* The distinct programs the sites are enrolled in (their `programs`,
 * ';'-separated, blanks around a name dropped): v[0..*np), the names in
 * *buf. */
static int
site_programs(const struct dg_sites *ss, const char ***out, size_t *np,
    char **buf)
{
	size_t len = 1, k = 0;
	const char **v;
	char *b;

	for (size_t i = 0; i < ss->n; i++)
		len += ss->v[i].programs ? strlen(ss->v[i].programs) + 1 : 0;
	/* at most one name for every two bytes */
	if ((v = malloc(len / 2 * sizeof(*v) + sizeof(*v))) == NULL ||
	    (*buf = b = malloc(len)) == NULL) {
		free(v);
		return DG_ENOMEM;
	}
	for (size_t i = 0; i < ss->n; i++) {
		const char *p = ss->v[i].programs;

		while (p != NULL && *p != '\0') {
			const char *e = strchr(p, ';');
			size_t n = e ? (size_t)(e - p) : strlen(p);

			while (n > 0 && p[0] == ' ')
				p++, n--;
			while (n > 0 && p[n - 1] == ' ')
				n--;
			if (n > 0)
				add_name(v, &k, &b, p, n);
			p = e ? e + 1 : NULL;
		}
	}
	*out = v;
	*np = k;
	return DG_OK;
}

int
dg_cbl_events_check_sites(const struct dg_events *es,
    const struct dg_sites *ss, struct dg_error *err)
{
	static const char *const none[1] = { "" };
	const char **progs = NULL, **sites;
	char *names = NULL;
	size_t np = 0;
	int st;

	if ((sites = malloc((ss->n + 1) * sizeof(*sites))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < ss->n; i++)
		sites[i] = ss->v[i].site;
	if ((ss->have & DG_SITE_PROGRAMS) &&
	    site_programs(ss, &progs, &np, &names) != DG_OK) {
		free(sites);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	/* a programs column without a program: no program is known */
	st = dg_events_check_names(es, !(ss->have & DG_SITE_PROGRAMS) ? NULL :
	    progs != NULL ? progs : none, np, sites, ss->n, err);
	free(progs);
	free(names);
	free(sites);
	return st;
}
