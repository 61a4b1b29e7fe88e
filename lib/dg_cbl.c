/* dg_cbl.c: customer baseline load by the market's rules (see dg_cbl.h and
 * dg-cbl(1); the rules and their sources are in MARKET-RULES.md 1, 3, 4). */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_cbl.h"
#include "dg_quality.h"
#include "dg_csv.h"
#include "dg_util.h"

void
dg_cbl_params_init(struct dg_cbl_params *p, enum dg_cbl_method m)
{
	memset(p, 0, sizeof(*p));
	p->method = m;
	p->offset = 1;
	p->dadrp_offset = 2;
	p->low_frac = 0.25;
	p->adj_start = 4;
	p->cap_lo = 0.8;
	p->cap_hi = 1.2;
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
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL, "unknown method");
	if (p->lookback < 1 || p->lookback > DG_CBL_MAX_LOOKBACK)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "look-back must be 1 to %d days", DG_CBL_MAX_LOOKBACK);
	if (p->offset < 1 || p->offset > p->lookback ||
	    p->dadrp_offset < 1 || p->dadrp_offset > p->lookback)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "window offset must be 1 to the look-back (%d days)", p->lookback);
	for (int i = 0; i < 3; i++) {
		if (p->window[i] < 1 || p->window[i] > DG_CBL_MAX_WINDOW)
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s window must be 1 to %d days", cls[i], DG_CBL_MAX_WINDOW);
		if (p->basis[i] < 1 || p->basis[i] > p->window[i])
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s basis must be 1 to the window (%d days)", cls[i], p->window[i]);
		if (p->min_days[i] < 0 || p->min_days[i] > p->window[i])
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "%s minimum must be 0 to the window (%d days)", cls[i], p->window[i]);
	}
	if (p->low < DG_CBL_LOW_NONE || p->low > DG_CBL_LOW_AVERAGE ||
	    !(p->low_frac >= 0 && p->low_frac <= 1))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "low-usage fraction must be 0 to 1");
	if (p->adj < DG_CBL_ADJ_NONE || p->adj > DG_CBL_ADJ_ADD)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL, "unknown adjustment");
	if (p->adj != DG_CBL_ADJ_NONE &&
	    (p->adj_len < 1 || p->adj_start < p->adj_len || p->adj_start > 24))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "adjustment hours must end before the event: 1 <= length <= start <= 24");
	if (p->capped && !(p->cap_lo >= 0 && p->cap_lo <= 1 && p->cap_hi >= 1 &&
	    p->cap_hi < 1e6))
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
		hi = hi > c->first + (dg_date)c->n + 365 ? hi : c->first + (dg_date)c->n + 365;
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
		memmove(c->start + shift, c->start, (c->n + 1) * sizeof(*c->start));
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
	if (t < c->start[i] || t >= c->start[i + 1] || (t - c->start[i]) % 3600 != 0)
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

			if ((l->v = malloc(cap * DG_CBL_SLOTS * sizeof(*l->v))) == NULL ||
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
		size_t n = (size_t)(hi - lo + 1), shift = (size_t)(l->first - lo);

		if (n > DG_CBL_MAX_DAYS)
			return DG_ERANGE;
		if (n > l->cap) {
			size_t cap = l->cap * 2 > n ? l->cap * 2 : n;
			double *v = realloc(l->v, cap * DG_CBL_SLOTS * sizeof(*v));
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
    double kw)
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

int
dg_cbl_load_get(const struct dg_cbl_load *l, dg_date d, int idx, double *kw)
{
	size_t k;

	if (l->ndays == 0 || d < l->first || d >= l->first + (dg_date)l->ndays ||
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
    dg_date d, int h, double *kw)
{
	int second, first = clock_index(c, d, h, &second);
	double a, b;

	if (first < 0 || !dg_cbl_load_get(l, d, first, &a))
		return 0;
	if (second >= 0) {
		if (!dg_cbl_load_get(l, d, second, &b))
			return 0;
		a = (a + b) / 2;
	}
	*kw = a;
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

/* ADEPU: mean load over the event clock hours; 0 when one is missing. */
static int
adepu(const struct dg_cbl_load *l, const struct dg_cbl_cal *c, dg_date d,
    const int *hours, int nh, double *out, double *peak)
{
	double s = 0, x, pk = 0;

	for (int i = 0; i < nh; i++) {
		if (!dg_cbl_load_clock(l, c, d, hours[i], &x))
			return 0;
		s += x;
		if (i == 0 || x > pk)
			pk = x;
	}
	*out = s / nh;
	if (peak != NULL)
		*peak = pk;
	return 1;
}

struct cand {
	dg_date d;
	double adepu;
	size_t note;
};

static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->adepu != y->adepu)
		return x->adepu > y->adepu ? -1 : 1;
	return x->d > y->d ? -1 : x->d < y->d;	/* the more recent first */
}

static int
cmp_cand_older(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->adepu != y->adepu)
		return x->adepu > y->adepu ? -1 : 1;
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
		    "event %s: %02d:00 does not exist on %s", ev->id, ev->start_h, ds);
	if (ev->end_h == 24) {
		if ((st = dg_cbl_cal_cover(c, ev->date, ev->date + 1)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
		*b = c->start[ev->date + 1 - c->first];
	} else if (dg_time_from_local(y, m, d, ev->end_h, 0, 0, b) != DG_OK)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "event %s: %02d:00 does not exist on %s", ev->id, ev->end_h, ds);
	return DG_OK;
}

int
dg_cbl_compute(const struct dg_cbl_params *p, struct dg_cbl_cal *c,
    const struct dg_cbl_load *l, const struct dg_cbl_event *ev,
    const dg_date *event_days, size_t nevent_days,
    const struct dg_holidays *hol, struct dg_cbl_result *r,
    struct dg_error *err)
{
	struct cand win[DG_CBL_MAX_WINDOW], fill[DG_CBL_MAX_LOOKBACK];
	int hours[DG_CBL_SLOTS], nh = 0, cls, st, wsize, exclude;
	size_t nwin = 0, nfill = 0, nbasis;
	dg_time ta, tb;
	dg_date D = ev->date;
	double threshold = 0;

	r->nhours = r->nwindow = r->nbasis = r->nnotes = 0;
	r->quality = 0;
	r->adjusted = 0;
	r->adj = r->adj_raw = 0;
	r->threshold = 0;
	if ((st = event_instants(c, ev, &ta, &tb, err)) != DG_OK)
		return st;
	if ((st = dg_cbl_cal_cover(c, D - p->lookback - 1, D + 1)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	/* the event hours and the set of their clock hours */
	for (dg_time t = ta; t < tb; t += 3600) {
		struct dg_cbl_hour *h = &r->h[r->nhours++];
		dg_date d;
		int idx, dup = 0;

		if ((st = dg_cbl_cal_locate(c, t, &d, &idx)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "event %s: not on the hour", ev->id);
		memset(h, 0, sizeof(*h));
		h->t = t;
		h->clock = c->clk[d - c->first][idx];
		h->have_actual = dg_cbl_load_get(l, d, idx, &h->actual);
		if (!h->have_actual)
			r->quality |= DG_CBL_Q_MISSING_ACTUAL;
		for (int i = 0; i < nh; i++)
			dup |= hours[i] == h->clock;
		if (!dup)
			hours[nh++] = h->clock;
	}
	cls = day_class(D, hol);
	if (cls == DG_CBL_SUNDAY && p->holiday_weekday && dg_date_wday(D) != 0)
		cls = DG_CBL_WEEKDAY;
	r->cls = cls;
	r->offset = dg_cbl_event_offset(p, ev->program);
	wsize = p->window[cls];
	exclude = cls == DG_CBL_WEEKDAY || p->weekend_exclude;

	/* the low-usage threshold over the like, non-event days of the
	 * look-back */
	if (p->low != DG_CBL_LOW_NONE && exclude) {
		double base = 0, sum = 0, a, pk;
		long n = 0;

		/* peak: the highest event-hour load of the look-back;
		 * average: the mean ADEPU of the first window-size days */
		for (dg_date d = D - r->offset; d >= D - p->lookback; d--) {
			if (day_class(d, hol) != cls ||
			    is_event_day(event_days, nevent_days, d) ||
			    !adepu(l, c, d, hours, nh, &a, &pk))
				continue;
			if (p->low == DG_CBL_LOW_PEAK)
				base = n == 0 || pk > base ? pk : base;
			else if (n >= wsize)
				break;
			sum += a;
			n++;
		}
		if (p->low == DG_CBL_LOW_AVERAGE && n > 0)
			base = sum / (double)n;
		threshold = p->low_frac * base;
	}
	r->threshold = threshold;

	/* fill the window, walking back from the event day */
	for (dg_date d = D - 1; d >= D - p->lookback && (int)nwin < wsize; d--) {
		struct dg_cbl_note n;

		memset(&n, 0, sizeof(n));
		n.date = d;
		n.role = DG_CBL_SKIPPED;
		n.have_adepu = adepu(l, c, d, hours, nh, &n.adepu, NULL);
		if (d > D - r->offset)
			n.reason = DG_CBL_R_OFFSET;
		else if (day_class(d, hol) != cls)
			n.reason = cls == DG_CBL_WEEKDAY && dg_date_wday(d) != 0 &&
			    dg_date_wday(d) != 6 ? DG_CBL_R_HOLIDAY : DG_CBL_R_NOT_LIKE;
		else if (!n.have_adepu)
			n.reason = DG_CBL_R_MISSING;
		else if (exclude && is_event_day(event_days, nevent_days, d)) {
			n.reason = DG_CBL_R_EVENT;
			if (nfill < DG_CBL_MAX_LOOKBACK) {
				fill[nfill].d = d;
				fill[nfill].adepu = n.adepu;
				fill[nfill].note = r->nnotes;
				nfill++;
			}
		} else if (exclude && threshold > 0 && n.adepu < threshold)
			n.reason = DG_CBL_R_LOW_USAGE;
		else {
			n.role = DG_CBL_WINDOW;
			win[nwin].d = d;
			win[nwin].adepu = n.adepu;
			win[nwin].note = r->nnotes;
			nwin++;
		}
		if ((st = add_note(r, &n)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	}
	/* too few days: the event days of highest usage (PJM) */
	if ((int)nwin < wsize && p->fill_events && nfill > 0) {
		qsort(fill, nfill, sizeof(*fill), p->ties_older ? cmp_cand_older : cmp_cand);
		for (size_t i = 0; i < nfill && (int)nwin < wsize; i++) {
			win[nwin++] = fill[i];
			r->notes[fill[i].note].role = DG_CBL_WINDOW;
			r->notes[fill[i].note].filled = 1;
			r->quality |= DG_CBL_Q_EVENT_FILL;
		}
	}
	r->nwindow = nwin;
	if ((int)nwin < p->min_days[cls])
		r->quality |= DG_CBL_Q_SHORT_WINDOW;
	if (nwin == 0) {
		r->quality |= DG_CBL_Q_NO_BASIS;
		return DG_OK;
	}
	/* the basis: the highest ADEPU, ties to the more recent day */
	qsort(win, nwin, sizeof(*win), p->ties_older ? cmp_cand_older : cmp_cand);
	nbasis = (size_t)p->basis[cls] < nwin ? (size_t)p->basis[cls] : nwin;
	r->nbasis = nbasis;
	for (size_t i = 0; i < nbasis; i++) {
		r->basis[i] = win[i].d;
		r->notes[win[i].note].role = DG_CBL_BASIS;
	}
	/* the CBL of each event hour */
	for (size_t k = 0; k < r->nhours; k++) {
		struct dg_cbl_hour *h = &r->h[k];
		double s = 0, x;

		for (size_t i = 0; i < nbasis; i++) {
			if (!dg_cbl_load_clock(l, c, r->basis[i], h->clock, &x))
				return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
				    "basis day without an event hour");
			s += x;
		}
		h->cbl = h->adj_cbl = s / (double)nbasis;
		h->have_cbl = 1;
	}
	/* the day-of adjustment */
	if (p->adj != DG_CBL_ADJ_NONE) {
		double sa = 0, sc = 0;
		int ok = 1;
		size_t nd = p->adj_window ? nwin : nbasis;

		for (int k = 0; k < p->adj_len && ok; k++) {
			dg_time t = ta - (dg_time)(p->adj_start - k) * 3600;
			dg_date d;
			int idx, clk;
			double a, s = 0, x;

			if ((st = dg_cbl_cal_locate(c, t, &d, &idx)) != DG_OK)
				return dg_error_set(err, st, NULL, 0, NULL,
				    "adjustment hour not on the hour");
			clk = c->clk[d - c->first][idx];
			if (!dg_cbl_load_get(l, d, idx, &a)) {
				ok = 0;
				break;
			}
			for (size_t i = 0; i < nd; i++) {
				dg_date bd = (p->adj_window ? win[i].d : r->basis[i]) + (d - D);

				if (!dg_cbl_load_clock(l, c, bd, clk, &x)) {
					ok = 0;
					break;
				}
				s += x;
			}
			sa += a;
			sc += s / (double)nd;
		}
		if (!ok) {
			r->quality |= DG_CBL_Q_ADJ_MISSING;
		} else if (p->adj == DG_CBL_ADJ_MULT) {
			double f;

			if (sc == 0) {
				f = 1;
				r->quality |= DG_CBL_Q_ADJ_ZERO;
			} else
				f = sa / sc;
			r->adj_raw = f;
			if (p->capped && f < p->cap_lo)
				f = p->cap_lo;
			if (p->capped && f > p->cap_hi)
				f = p->cap_hi;
			r->adj = f;
			r->adjusted = 1;
			for (size_t k = 0; k < r->nhours; k++)
				r->h[k].adj_cbl = f * r->h[k].cbl;
		} else {
			double add = (sa - sc) / p->adj_len;
			double mean = sc / p->adj_len;

			r->adj_raw = add;
			if (p->capped && add < (p->cap_lo - 1) * mean)
				add = (p->cap_lo - 1) * mean;
			if (p->capped && add > (p->cap_hi - 1) * mean)
				add = (p->cap_hi - 1) * mean;
			r->adj = add;
			r->adjusted = 1;
			for (size_t k = 0; k < r->nhours; k++)
				r->h[k].adj_cbl = r->h[k].cbl + add;
		}
	}
	return DG_OK;
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

/* Adds name (n bytes) to v[0..*k) unless there, without case. */
static int
add_name(const char **v, size_t *k, const char *name, size_t n)
{
	for (size_t i = 0; i < *k; i++)
		if (strlen(v[i]) == n && strncasecmp(v[i], name, n) == 0)
			return 0;
	if ((v[*k] = strndup(name, n)) == NULL)
		return -1;
	(*k)++;
	return 0;
}

/* The distinct programs the sites are enrolled in (their `programs`,
 * ';'-separated, blanks around a name dropped). */
static int
site_programs(const struct dg_sites *ss, const char ***out, size_t *np)
{
	const char **v = NULL;
	size_t k = 0, cap = 0;

	for (size_t i = 0; i < ss->n; i++) {
		const char *p = ss->v[i].programs;

		while (p != NULL && *p != '\0') {
			const char *e = strchr(p, ';');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			while (len > 0 && p[0] == ' ')
				p++, len--;
			while (len > 0 && p[len - 1] == ' ')
				len--;
			if (len > 0 &&
			    (dg_grow(&v, &cap, k + 1, sizeof(*v)) != 0 ||
			    add_name(v, &k, p, len) != 0)) {
				while (k > 0)
					free((char *)v[--k]);
				free(v);
				return DG_ENOMEM;
			}
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
	size_t np = 0;
	int st;

	if ((sites = malloc((ss->n + 1) * sizeof(*sites))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < ss->n; i++)
		sites[i] = ss->v[i].site;
	if ((ss->have & DG_SITE_PROGRAMS) &&
	    site_programs(ss, &progs, &np) != DG_OK) {
		free(sites);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	}
	/* a programs column without a program: no program is known */
	st = dg_events_check_names(es, !(ss->have & DG_SITE_PROGRAMS) ? NULL :
	    progs != NULL ? progs : none, np, sites, ss->n, err);
	for (size_t i = 0; i < np; i++)
		free((char *)progs[i]);
	free(progs);
	free(sites);
	return st;
}
