/* dg_track.c: the tracker: each site's event hours, the projection, the
 * alarms and the TOTAL rows (dg_track.h; the rules: dg-track(1), RULES).
 *
 * Power is in micro-kW and energy in micro-kW-seconds (int64); a printed
 * figure is an exact fraction of those rounded once (rdiv) to
 * thousandths. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_quality.h"
#include "dg_track_int.h"
#include "dg_rat.h"

#define HOUR 3600

static const char *const alarm_names[DG_TRACK_A_N] = {
	"below_pledge", "silent", "no_start"
};
static const char *const flag_names[DG_TRACK_Q_N] = {
	"missing", "first_reading", "rollover", "reset", "gap", "no_baseline"
};

void
dg_track_params_init(struct dg_track_params *p)
{
	p->every_s = 300;
	p->silent_s = 900;
	p->start_s = 900;
	p->lead_s = 3600;
	p->max_gap_s = 900;
	p->max_demand_factor = 3.0;
	p->alarm_pct = dg_dec_make(90, 0);
	p->clear_pct = dg_dec_make(95, 0);
	p->start_pct = dg_dec_make(50, 0);
	p->price = dg_dec_make(50000, 2);
	p->window_hours = 0;
}

int
dg_track_params_check(const struct dg_track_params *p, int nhours,
    struct dg_error *err)
{
	const dg_dec *pct[] = { &p->alarm_pct, &p->clear_pct, &p->start_pct };
	static const char *const what[] = { "alarm", "clearing", "start" };
	dg_dec hundred = dg_dec_make(100, 0);

	for (int i = 0; i < 3; i++)
		if (dg_dec_sign(*pct[i]) < 0 ||
		    dg_dec_cmp(*pct[i], hundred) > 0)
			return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
			    "the %s percentage must be 0 to 100", what[i]);
	if (dg_dec_cmp(p->clear_pct, p->alarm_pct) < 0)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the clearing percentage is below the alarm's: an alarm would clear as soon as raised");
	if (p->every_s < 1 || HOUR % p->every_s != 0)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the TOTAL step must divide an hour: %d s", p->every_s);
	if (p->silent_s < 1 || p->start_s < 0 || p->lead_s < 0 ||
	    p->max_gap_s < 1)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "a duration is out of range");
	if (dg_dec_sign(p->price) < 0)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the price must not be negative");
	if (p->window_hours != 0 && p->window_hours < nhours)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the availability window (%d hours) is shorter than the event (%d hours)",
		    p->window_hours, nhours);
	return DG_OK;
}

const char *
dg_track_alarm_name(int bit)
{
	for (int i = 0; i < DG_TRACK_A_N; i++)
		if (bit == 1 << i)
			return alarm_names[i];
	return "?";
}

char *
dg_track_quality_format(unsigned flags, char *buf, size_t n)
{
	if (flags == 0) {
		snprintf(buf, n, "ok");
		return buf;
	}
	return dg_quality_format(flags, flag_names, DG_TRACK_Q_N, buf, n);
}

char *
dg_track_alarms_format(unsigned alarms, char *buf, size_t n)
{
	return dg_quality_format(alarms, alarm_names, DG_TRACK_A_N, buf, n);
}

/* n / d rounded once, half away from zero (d > 0), by the library's
 * exact rationals (the figures are bounded by the readings' int64). */
static int64_t
rdiv(__int128 n, __int128 d)
{
	dg_rat q = { n, d };
	dg_dec out;

	return dg_rat_to_dec(q, 0, DG_RAT_ROUND, &out) == DG_OK ? out.v :
	    0;
}

/* Micro-kW to kW x 1000. */
static int64_t
milli(int64_t micro)
{
	return rdiv(micro, 1000);
}

int
dg_track_alloc(struct dg_track **trp, const struct dg_track_params *p)
{
	struct dg_track *tr = calloc(1, sizeof(*tr));

	*trp = tr;
	if (tr == NULL)
		return DG_ENOMEM;
	tr->p = *p;
	return DG_OK;
}

void
dg_track_free(struct dg_track *tr)
{
	if (tr == NULL)
		return;
	for (size_t i = 0; i < tr->ns; i++)
		free(tr->s[i].name);
	free(tr->s);
	free(tr->hours);
	free(tr);
}

int
dg_track_setup(struct dg_track *tr, char **names, size_t ns, dg_time h0,
    int nh)
{
	size_t nhours = ns * (size_t)nh;

	tr->s = calloc(ns > 0 ? ns : 1, sizeof(*tr->s));
	tr->hours = calloc(nhours > 0 ? nhours : 1, sizeof(*tr->hours));
	if (tr->s == NULL || tr->hours == NULL) {
		for (size_t i = 0; i < ns; i++)
			free(names[i]);
		return DG_ENOMEM;
	}
	for (size_t i = 0; i < ns; i++) {
		struct dg_track_site *s = &tr->s[i];

		s->name = names[i];
		s->h = tr->hours + i * (size_t)nh;
		s->start_s = -1;
		s->prev_stamp = INT64_MIN;
	}
	tr->ns = ns;
	tr->h0 = h0;
	tr->nh = nh;
	return DG_OK;
}

static int
cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct dg_track_site *)elem)->name);
}

long
dg_track_find(const struct dg_track *tr, const char *name)
{
	const struct dg_track_site *s;

	s = bsearch(name, tr->s, tr->ns, sizeof(*tr->s), cmp_name);
	return s ? (long)(s - tr->s) : -1;
}

dg_time
dg_track_start(const struct dg_track *tr)
{
	return tr->h0;
}

int
dg_track_hours(const struct dg_track *tr)
{
	return tr->nh;
}

size_t
dg_track_nsites(const struct dg_track *tr)
{
	return tr->ns;
}

const struct dg_track_stats *
dg_track_stats(const struct dg_track *tr)
{
	return &tr->st;
}

dg_time
dg_track_window_start(const struct dg_track *tr)
{
	return tr->h0 - tr->p.lead_s;
}

dg_time
dg_track_window_end(const struct dg_track *tr)
{
	return tr->h0 + (dg_time)tr->nh * HOUR + tr->p.lead_s;
}

static dg_time
event_end(const struct dg_track *tr)
{
	return tr->h0 + (dg_time)tr->nh * HOUR;
}

/* The index of the event hour that holds t, or -1. */
static int
hour_of(const struct dg_track *tr, dg_time t)
{
	if (t < tr->h0 || t >= event_end(tr))
		return -1;
	return (int)((t - tr->h0) / HOUR);
}

/* The energy of [a, b) received by instant t (a <= t <= b): e pro rata,
 * the whole at b, so that the parts of a split reading add up. */
static int64_t
part(dg_time a, dg_time b, int64_t e, dg_time t)
{
	if (t >= b)
		return e;
	return (int64_t)((__int128)e * (t - a) / (b - a));
}

/* Adds a reading's energy to the hours it overlaps, and makes it the fill
 * rate of every hour not over when it began. */
static void
add_energy(struct dg_track *tr, struct dg_track_site *s, dg_time a,
    dg_time b, int64_t e)
{
	for (int j = 0; j < tr->nh; j++) {
		struct dg_track_hour *h = &s->h[j];
		dg_time hs = tr->h0 + (dg_time)j * HOUR, he = hs + HOUR;
		dg_time lo = a > hs ? a : hs, hi = b < he ? b : he;

		if (he > a) {
			h->fe = e;
			h->fd = (int32_t)(b - a);
		}
		if (hi <= lo)
			continue;
		h->e += part(a, b, e, hi) - part(a, b, e, lo);
		h->c += (int32_t)(hi - lo);
	}
}

/* The hour's projected reduction: the baseline less the load received
 * and the fill rate over the rest of the hour (RULES, Projection). */
static void
project(struct dg_track_hour *h)
{
	int64_t rem = HOUR - h->c;
	__int128 n;

	if (!h->has_base || h->fd == 0) {
		h->proj = 0;
		return;
	}
	if (rem < 0)
		rem = 0;
	n = (__int128)h->base * HOUR * h->fd - (__int128)h->e * h->fd -
	    (__int128)h->fe * rem;
	h->proj = rdiv(n, (__int128)HOUR * h->fd * 1000);
}

/* The event's projection, and the shortfall against the pledges in
 * dollars and UCAP (RULES, At risk). */
static int
event_figures(const struct dg_track *tr, const struct dg_track_site *s,
    struct dg_track_row *r)
{
	int64_t ev = 0, sf = 0;
	int window = tr->p.window_hours ? tr->p.window_hours : tr->nh;
	dg_dec usd;
	int st;

	for (int j = 0; j < tr->nh; j++) {
		int64_t pl = milli(s->h[j].pledge), p = s->h[j].proj;

		ev += p > 0 ? p : 0;
		sf += pl - (p < 0 ? 0 : p > pl ? pl : p);
	}
	r->event_kwh = ev;
	/* thousandths of a kWh are millionths of a MWh */
	if ((st = dg_dec_mul(dg_dec_make(sf, 6), tr->p.price, 2, &usd)) !=
	    DG_OK)
		return st;
	r->usd = usd.v;
	r->ucap = rdiv(sf, window);
	return DG_OK;
}

static int
emit(struct dg_track *tr, const struct dg_track_row *r)
{
	if (tr->out == NULL || tr->out->row == NULL)
		return DG_OK;
	return tr->out->row(tr->out->arg, r);
}

/* Raises (or clears) an alarm of s (NULL: the portfolio), once. */
static int
set_alarm(struct dg_track *tr, struct dg_track_site *s, int bit, int raise,
    dg_time t, int have, int64_t v, int64_t lim)
{
	unsigned *al = s ? &s->alarms : &tr->palarms;
	struct dg_track_alarm a;

	if (raise == ((*al & (unsigned)bit) != 0))
		return DG_OK;
	if (raise) {
		*al |= (unsigned)bit;
		tr->st.raised++;
	} else {
		*al &= ~(unsigned)bit;
		tr->st.cleared++;
	}
	a.t = t;
	a.site = s ? s->name : NULL;
	a.alarm = bit;
	a.raised = raise;
	a.have_value = have;
	a.value = v;
	a.limit = lim;
	if (tr->out == NULL || tr->out->alarm == NULL)
		return DG_OK;
	return tr->out->alarm(tr->out->arg, &a);
}

/* pct % of pl (pct exact): the limit, kW x 1000, rounded once. */
static int64_t
pct_of(dg_dec pct, int64_t pl)
{
	__int128 d = 100;

	for (int i = 0; i < pct.scale; i++)
		d *= 10;
	return rdiv((__int128)pct.v * pl, d);
}

/* Whether x is below pct % of pl, compared exactly. */
static int
below_pct(int64_t x, dg_dec pct, int64_t pl)
{
	__int128 l = (__int128)x * 100;

	for (int i = 0; i < pct.scale; i++)
		l *= 10;
	return l < (__int128)pct.v * pl;
}

/* no_start: read after the event began, past its start time, and no
 * interval has delivered start_pct % of the pledge yet. */
static int
check_nostart(struct dg_track *tr, struct dg_track_site *s, dg_time t)
{
	int ss = s->start_s >= 0 ? s->start_s : tr->p.start_s;
	const struct dg_track_row *r = &s->row;

	if (s->started || !s->seen_after || t < tr->h0 + ss ||
	    t > event_end(tr))
		return DG_OK;
	return set_alarm(tr, s, DG_TRACK_A_NOSTART, 1, t,
	    (r->have & DG_TRACK_F_DELIV) != 0, r->deliv,
	    pct_of(tr->p.start_pct, r->pledge));
}

/* The alarms a reading of the event's hour j decides, at its end t. */
static int
site_alarms(struct dg_track *tr, struct dg_track_site *s, int j, dg_time t)
{
	const struct dg_track_row *r = &s->row;
	int st = set_alarm(tr, s, DG_TRACK_A_SILENT, 0, t, 0, 0, 0);

	if (st == DG_OK && j >= 0 && (r->have & DG_TRACK_F_DELIV) &&
	    r->pledge > 0) {
		s->seen_after = 1;
		if (!below_pct(r->deliv, tr->p.start_pct, r->pledge)) {
			s->started = 1;
			st = set_alarm(tr, s, DG_TRACK_A_NOSTART, 0, t, 1,
			    r->deliv, pct_of(tr->p.start_pct, r->pledge));
		}
		if (st == DG_OK && s->started &&
		    below_pct(r->deliv, tr->p.alarm_pct, r->pledge))
			st = set_alarm(tr, s, DG_TRACK_A_BELOW, 1, t, 1,
			    r->deliv, pct_of(tr->p.alarm_pct, r->pledge));
		else if (st == DG_OK && s->started &&
		    !below_pct(r->deliv, tr->p.clear_pct, r->pledge))
			st = set_alarm(tr, s, DG_TRACK_A_BELOW, 0, t, 1,
			    r->deliv, pct_of(tr->p.clear_pct, r->pledge));
	}
	return st == DG_OK ? check_nostart(tr, s, t) : st;
}

/* The site's row after a reading of [a, b) (RULES, Output). */
static int
site_row(struct dg_track *tr, struct dg_track_site *s, dg_time a,
    dg_time b, int known, int64_t e)
{
	struct dg_track_row *r = &s->row;
	int j = hour_of(tr, a);
	int64_t d = b - a;

	r->t = a;
	r->site = s->name;
	r->have = 0;
	if (known) {
		r->load = rdiv(e, (__int128)d * 1000);
		r->have |= DG_TRACK_F_LOAD;
	}
	if (j >= 0) {
		const struct dg_track_hour *h = &s->h[j];

		r->pledge = milli(h->pledge);
		r->have |= DG_TRACK_F_PLEDGE;
		if (!h->has_base)
			r->flags |= DG_TRACK_Q_NO_BASELINE;
		else {
			r->base = milli(h->base);
			r->hproj = h->proj;
			r->have |= DG_TRACK_F_BASE | DG_TRACK_F_HPROJ;
			if (known) {
				r->deliv = r->base - r->load;
				r->have |= DG_TRACK_F_DELIV;
			}
			if (h->c > 0) {
				r->hour = r->base - rdiv(h->e,
				    (__int128)h->c * 1000);
				r->have |= DG_TRACK_F_HOUR;
			}
		}
	}
	return event_figures(tr, s, r);
}

static int total(struct dg_track *tr, dg_time label, dg_time now);

/* A reading of [a, b) arrives: the TOTAL rows of the steps that ended by
 * a (the readings of a later step have begun to come), and the stream's
 * clock moves to b. */
static int
advance(struct dg_track *tr, dg_time a, dg_time b)
{
	int st;

	if (!tr->clock_set) {
		dg_time f = dg_time_floor(b, tr->p.every_s);

		tr->clock_set = 1;
		tr->clock = b;
		tr->next_b = f == b ? b : f + tr->p.every_s;
		for (size_t i = 0; i < tr->ns; i++)
			if (!tr->s[i].has_last)
				tr->s[i].last = b;
		return DG_OK;
	}
	while (a >= tr->next_b) {
		if ((st = total(tr, tr->next_b, tr->next_b)) != DG_OK)
			return st;
		tr->next_b += tr->p.every_s;
	}
	if (b > tr->clock)
		tr->clock = b;
	return DG_OK;
}

int
dg_track_feed(struct dg_track *tr, size_t si, dg_time a, dg_time b,
    int known, int64_t e, unsigned flags, long line)
{
	struct dg_track_site *s = &tr->s[si];
	int st, j = hour_of(tr, a);

	if ((st = advance(tr, a, b)) != DG_OK)
		return st;
	if (known) {
		add_energy(tr, s, a, b, e);
		for (int k = j < 0 ? 0 : j; k < tr->nh; k++)
			project(&s->h[k]);
	}
	if (!s->has_last || b > s->last)
		s->last = b;
	s->has_last = 1;
	s->row.flags = flags;
	s->row.line = line;
	if ((st = site_row(tr, s, a, b, known, e)) != DG_OK ||
	    (st = site_alarms(tr, s, j, b)) != DG_OK)
		return st;
	s->row.alarms = s->alarms;
	tr->since_total++;
	tr->st.used++;
	return emit(tr, &s->row);
}

int
dg_track_mark(struct dg_track *tr, size_t si, dg_time t, unsigned flags,
    long line)
{
	struct dg_track_site *s = &tr->s[si];
	int st;

	if ((st = advance(tr, t, t)) != DG_OK)
		return st;
	if (!s->has_last || t > s->last)
		s->last = t;
	s->has_last = 1;
	s->row.flags = flags;
	s->row.line = line;
	if ((st = site_row(tr, s, t, t + 1, 0, 0)) != DG_OK ||
	    (st = set_alarm(tr, s, DG_TRACK_A_SILENT, 0, t, 0, 0, 0)) != DG_OK)
		return st;
	s->row.alarms = s->alarms;
	tr->since_total++;
	tr->st.used++;
	return emit(tr, &s->row);
}

/* Adds site s's figures of hour j (-1: none) to the TOTAL row r. */
static int
add_site(const struct dg_track *tr, const struct dg_track_site *s, int j,
    struct dg_track_row *r)
{
	struct dg_track_row tmp;
	const struct dg_track_row *sr = &s->row;
	int st;

	if (sr->site == NULL) {		/* no reading yet: nothing delivered */
		memset(&tmp, 0, sizeof(tmp));
		if ((st = event_figures(tr, s, &tmp)) != DG_OK)
			return st;
		sr = &tmp;
	}
	r->have |= sr->have & (DG_TRACK_F_LOAD | DG_TRACK_F_DELIV);
	r->load += (sr->have & DG_TRACK_F_LOAD) ? sr->load : 0;
	r->deliv += (sr->have & DG_TRACK_F_DELIV) ? sr->deliv : 0;
	r->event_kwh += sr->event_kwh;
	r->usd += sr->usd;
	r->ucap += sr->ucap;
	if (j >= 0) {
		const struct dg_track_hour *h = &s->h[j];

		r->have |= DG_TRACK_F_PLEDGE | DG_TRACK_F_HPROJ;
		r->pledge += milli(h->pledge);
		r->hproj += h->proj;
		if (h->has_base) {
			r->have |= DG_TRACK_F_BASE;
			r->base += milli(h->base);
		}
		if (h->has_base && h->c > 0) {
			r->have |= DG_TRACK_F_HOUR;
			r->hour += milli(h->base) - rdiv(h->e,
			    (__int128)h->c * 1000);
		}
	}
	return DG_OK;
}

/* Silence and late starts at now, then the portfolio's row and alarm for
 * the step that ended at label. */
static int
total(struct dg_track *tr, dg_time label, dg_time now)
{
	struct dg_track_row r;
	int st, j = hour_of(tr, label - tr->p.every_s);

	memset(&r, 0, sizeof(r));
	r.t = label - tr->p.every_s;
	for (size_t i = 0; i < tr->ns; i++) {
		struct dg_track_site *s = &tr->s[i];

		if (now - s->last >= tr->p.silent_s &&
		    (st = set_alarm(tr, s, DG_TRACK_A_SILENT, 1, now, 0, 0,
		    0)) != DG_OK)
			return st;
		if ((st = check_nostart(tr, s, now)) != DG_OK ||
		    (st = add_site(tr, s, j, &r)) != DG_OK)
			return st;
	}
	if (j >= 0 && r.pledge > 0 && now >= tr->h0 + tr->p.start_s) {
		if (below_pct(r.deliv, tr->p.alarm_pct, r.pledge))
			st = set_alarm(tr, NULL, DG_TRACK_A_BELOW, 1, now, 1,
			    r.deliv, pct_of(tr->p.alarm_pct, r.pledge));
		else if (!below_pct(r.deliv, tr->p.clear_pct, r.pledge))
			st = set_alarm(tr, NULL, DG_TRACK_A_BELOW, 0, now, 1,
			    r.deliv, pct_of(tr->p.clear_pct, r.pledge));
		if (st != DG_OK)
			return st;
	}
	r.alarms = tr->palarms;
	tr->since_total = 0;
	return emit(tr, &r);
}

int
dg_track_finish(struct dg_track *tr)
{
	if (!tr->clock_set || tr->since_total == 0)
		return DG_OK;
	return total(tr, tr->next_b, tr->clock);
}
