/* dg_peakhunt_run.c: the day table, the chance that a day holds the
 * period's peak, and the daily decisions of the peak-hunting strategy and
 * of the threshold rule (see dg_peakhunt.h and dg-peakhunt(1)). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg_peakhunt_int.h"
#include "dg_util.h"

const char *const dg_ph_strategy_names[DG_PH_NSTRAT] = {
	"peakhunt", "threshold", "hindsight"
};

void
dg_ph_params_init(struct dg_ph_params *p)
{
	p->run_hours = 3;
	p->month_hours = 10;
	p->year_hours = 0;
	p->window_days = 21;
	p->lookahead_days = 4;
	p->min_chance = 0.02;
	p->sigma = 0.04;
	p->min_sigma = 0.01;
	p->threshold = 0.95;
}

static int
params_ok(const struct dg_ph_params *p)
{
	return p->run_hours >= 1 && p->run_hours <= 24 &&
	    p->month_hours >= 1 && p->month_hours <= 744 &&
	    p->year_hours >= 0 && p->year_hours <= 8784 &&
	    p->window_days >= 3 && p->window_days <= 365 &&
	    p->lookahead_days >= 0 && p->lookahead_days < PH_LEADS &&
	    p->min_chance >= 0 && p->min_chance <= 1 &&
	    p->sigma > 0 && p->sigma < 1 && p->min_sigma > 0 &&
	    p->min_sigma < 1 && p->threshold > 0 && p->threshold <= 2;
}

/* --- The calendar of a charge ----------------------------------------- */

int
ph_data(int k)
{
	return k == DG_PH_CAPACITY ? PH_ZONE : PH_SITE;
}

static int
month_in(const struct dg_ph_charge *c, int mon)
{
	return mon >= c->month_lo && mon <= c->month_hi;
}

int
ph_measured(const struct dg_ph_charge *c, const struct ph_day *d, int h)
{
	return c->present && month_in(c, d->mon) &&
	    (!c->weekdays || d->weekday_ok) && d->clock[h] >= c->hour_lo &&
	    d->clock[h] < c->hour_hi;
}

int
ph_day_measured(const struct dg_ph_charge *c, const struct ph_day *d)
{
	for (int h = 0; h < d->nh; h++)
		if (ph_measured(c, d, h))
			return 1;
	return 0;
}

int
ph_period(const struct dg_ph_run *r, const struct dg_ph_charge *c, dg_date d,
    dg_date *a, dg_date *b)
{
	int y, m, dd;

	dg_date_to_ymd(d, &y, &m, &dd);
	if (!c->present || !month_in(c, m))
		return 0;
	if (c->per_month) {
		*a = dg_date_from_ymd(y, m, 1);
		*b = m == 12 ? dg_date_from_ymd(y + 1, 1, 1) - 1 :
		    dg_date_from_ymd(y, m + 1, 1) - 1;
	} else {
		*a = dg_date_from_ymd(y, c->month_lo, 1);
		*b = c->month_hi == 12 ? dg_date_from_ymd(y + 1, 1, 1) - 1 :
		    dg_date_from_ymd(y, c->month_hi + 1, 1) - 1;
	}
	if (r->backtest && *b > r->to)
		*b = r->to;
	return 1;
}

static int
weekday_ok(const struct dg_ph_run *r, dg_date d)
{
	return dg_cal_daytype(d, r->in.holidays ? r->in.holidays : &r->nerc) ==
	    DG_WEEKDAY;
}

/* Days of (a, b] that charge c measures (by calendar: any day, also
 * beyond the table). */
static int
measured_days_after(const struct dg_ph_run *r, const struct dg_ph_charge *c,
    dg_date a, dg_date b)
{
	int n = 0;

	for (dg_date d = a + 1; d <= b; d++)
		if (!c->weekdays || weekday_ok(r, d))
			n++;
	return n;
}

int
ph_month_slot(const struct dg_ph_run *r, const struct ph_day *d)
{
	int y0, m0, dd;

	dg_date_to_ymd(r->first, &y0, &m0, &dd);
	return (d->year - y0) * 12 + d->mon - 1;
}

int
ph_advice_add(struct dg_ph_run *r, int s, const struct dg_ph_advice *a)
{
	if (dg_grow(&r->adv[s], &r->cap[s], r->nadv[s] + 1,
	    sizeof(*r->adv[s])) != 0)
		return DG_ENOMEM;
	r->adv[s][r->nadv[s]++] = *a;
	return DG_OK;
}

/* --- The day table -------------------------------------------------- */

static int
fill_days(struct dg_ph_run *r)
{
	for (size_t i = 0; i < r->nd; i++) {
		struct ph_day *d = &r->d[i];
		struct dg_local lt;
		int dd;

		d->date = r->first + (dg_date)i;
		if (dg_date_start(d->date, &d->start) != DG_OK)
			return DG_ERANGE;
		d->nh = dg_date_hours(d->date);
		d->chance = NAN;
		dg_date_to_ymd(d->date, &d->year, &d->mon, &dd);
		d->weekday_ok = weekday_ok(r, d->date);
		for (int h = 0; h < d->nh; h++) {
			if (dg_time_local(d->start + 3600 * h, &lt) != DG_OK)
				return DG_ERANGE;
			d->clock[h] = lt.hour;
		}
	}
	return DG_OK;
}

/* The day and hour of instant t in the table, or NULL. */
static struct ph_day *
locate(struct dg_ph_run *r, dg_time t, int *h)
{
	dg_date date = dg_date_of(t);
	struct ph_day *d;

	if (date < r->first || date > r->last)
		return NULL;
	d = &r->d[date - r->first];
	*h = (int)((t - d->start) / 3600);
	return *h >= 0 && *h < d->nh ? d : NULL;
}

static void
put_series(struct dg_ph_run *r, int x, const struct dg_ph_series *s)
{
	for (size_t k = 0; s != NULL && k < s->n; k++) {
		struct ph_day *d;
		int h;

		if ((d = locate(r, s->h[k].t, &h)) == NULL)
			continue;
		d->has[x][h] = 1;
		d->act[x][h] = s->h[k].v;
		d->actx[x][h] = s->h[k].x;
	}
}

static void
put_forecasts(struct dg_ph_run *r, int x, const struct dg_ph_forecasts *f)
{
	for (size_t k = 0; f != NULL && k < f->n; k++) {
		struct ph_day *d;
		int h, lead;

		if ((d = locate(r, f->f[k].t, &h)) == NULL)
			continue;
		lead = d->date - f->f[k].issued;
		if (lead < 1 || lead > PH_LEADS)
			continue;
		d->hasf[x][lead][h] = 1;
		d->fc[x][lead][h] = f->f[k].v;
	}
}

/* The flat generator: kW x $/MWh / 1000 an hour, to the cent. */
static int
put_flat(struct dg_ph_run *r)
{
	dg_dec usd = r->in.flat_usd_per_mwh, c, s;

	if (usd.scale + 3 > DG_DEC_MAX_SCALE ||
	    dg_dec_mul(r->in.flat_kw, dg_dec_make(usd.v, usd.scale + 3), 2,
	    &c) != DG_OK ||
	    dg_dec_rescale(r->in.flat_start_usd, 2, &s) != DG_OK)
		return DG_ERANGE;
	for (size_t i = 0; i < r->nd; i++)
		for (int h = 0; h < r->d[i].nh; h++) {
			r->d[i].hasg[h] = 1;
			r->d[i].avail[h] = r->in.flat_kw;
			r->d[i].cost[h] = c.v;
			r->d[i].start_cost[h] = s.v;
		}
	return DG_OK;
}

static int
put_gen(struct dg_ph_run *r)
{
	const struct dg_ph_gens *g = r->in.gen;

	if (g == NULL)
		return put_flat(r);
	for (size_t k = 0; k < g->n; k++) {
		struct ph_day *d;
		int h;

		if ((d = locate(r, g->g[k].t, &h)) == NULL)
			continue;
		d->hasg[h] = 1;
		d->avail[h] = g->g[k].avail;
		d->cost[h] = g->g[k].cost;
		d->start_cost[h] = g->g[k].start;
	}
	return DG_OK;
}

static int
open_check(const struct dg_ph_inputs *in, const struct dg_ph_params *p,
    dg_date from, dg_date to, struct dg_error *err)
{
	if (!params_ok(p))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "a model parameter is out of range");
	if (to < from || to - from > 3 * 366)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the range of days is empty or longer than 3 years");
	if (in->tariff->c[DG_PH_DEMAND].present &&
	    (in->site == NULL || in->site_fc == NULL))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the tariff's demand charge needs the site's load and forecasts");
	return DG_OK;
}

int
dg_ph_open(struct dg_ph_run **rp, const struct dg_ph_inputs *in,
    const struct dg_ph_params *p, dg_date from, dg_date to, int backtest,
    struct dg_error *err)
{
	struct dg_ph_run *r;
	int st;

	*rp = NULL;
	if ((st = open_check(in, p, from, to, err)) != DG_OK)
		return st;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	r->in = *in;
	r->p = *p;
	dg_holidays_init(&r->nerc, 1);
	r->from = from;
	r->to = to;
	r->backtest = backtest;
	r->first = from - p->window_days - 2;
	r->last = to + p->lookahead_days;
	r->nd = (size_t)(r->last - r->first + 1);
	r->d = calloc(r->nd, sizeof(*r->d));
	r->scratch = calloc(4 * (size_t)p->window_days + 8, sizeof(double));
	if (r->d == NULL || r->scratch == NULL)
		st = DG_ENOMEM;
	else if ((st = fill_days(r)) == DG_OK) {
		put_series(r, PH_ZONE, in->zone);
		put_series(r, PH_SITE, in->site);
		put_forecasts(r, PH_ZONE, in->zone_fc);
		put_forecasts(r, PH_SITE, in->site_fc);
		st = put_gen(r);
	}
	if (st != DG_OK) {
		dg_ph_free(r);
		return dg_error_set(err, st, NULL, 0, NULL, "%s",
		    st == DG_ENOMEM ? "out of memory" :
		    "a cost or a day out of range");
	}
	*rp = r;
	return DG_OK;
}

void
dg_ph_free(struct dg_ph_run *r)
{
	if (r == NULL)
		return;
	for (int s = 0; s < DG_PH_NSTRAT; s++)
		free(r->adv[s]);
	free(r->d);
	free(r->scratch);
	free(r);
}

/* --- The model of one charge on one day --------------------------------- */

struct ph_model {
	double b[24];			/* hour corrections */
	double mu[PH_LEADS + 1], sd[PH_LEADS + 1];	/* relative errors */
	double *clim;			/* recent daily peaks, ascending */
	int nclim;
	double rho;			/* their lag-1 autocorrelation */
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The first index of the window of day i: days i-1-W .. i-2. */
static long
window_start(const struct dg_ph_run *r, size_t i)
{
	long j = (long)i - 1 - r->p.window_days;

	return j < 0 ? 0 : j;
}

/* b[h]: the median over the window of actual / day-ahead forecast at
 * clock hour h (1 with fewer than 3 pairs). */
static void
fit_hours(const struct dg_ph_run *r, int x, size_t i, struct ph_model *m)
{
	for (int c = 0; c < 24; c++) {
		int n = 0;

		for (long j = window_start(r, i); j + 2 <= (long)i; j++) {
			const struct ph_day *d = &r->d[j];

			for (int h = 0; h < d->nh; h++)
				if (d->clock[h] == c && d->has[x][h] &&
				    d->hasf[x][1][h] && d->fc[x][1][h] > 0)
					r->scratch[n++] = d->act[x][h] /
					    d->fc[x][1][h];
		}
		if (n < 3) {
			m->b[c] = 1;
			continue;
		}
		qsort(r->scratch, n, sizeof(double), cmp_double);
		m->b[c] = n % 2 ? r->scratch[n / 2] :
		    (r->scratch[n / 2 - 1] + r->scratch[n / 2]) / 2;
	}
}

/* The peak of day d's forecast of lead, in the hours c measures,
 * corrected by b (NULL: raw); 0 when there is none. */
static double
fc_peak(const struct ph_day *d, int x, const struct dg_ph_charge *c,
    int lead, const double *b, int *hour)
{
	double best = 0;

	*hour = -1;
	for (int h = 0; h < d->nh; h++) {
		double v;

		if (!ph_measured(c, d, h) || !d->hasf[x][lead][h])
			continue;
		v = d->fc[x][lead][h] * (b ? b[d->clock[h]] : 1);
		if (*hour < 0 || v > best) {
			best = v;
			*hour = h;
		}
	}
	return best;
}

/* The actual peak of day d in the hours c measures; *complete when every
 * such hour has its load.  0 (*hour -1) when none has. */
static double
act_peak(const struct ph_day *d, int x, const struct dg_ph_charge *c,
    int *hour, int *complete)
{
	double best = 0;

	*hour = -1;
	*complete = 1;
	for (int h = 0; h < d->nh; h++) {
		if (!ph_measured(c, d, h))
			continue;
		if (!d->has[x][h]) {
			*complete = 0;
			continue;
		}
		if (*hour < 0 || d->act[x][h] > best) {
			best = d->act[x][h];
			*hour = h;
		}
	}
	return best;
}

/* mu and sd of the relative error of the daily peak, lead by lead. */
static void
fit_errors(const struct dg_ph_run *r, int x, const struct dg_ph_charge *c,
    size_t i, struct ph_model *m)
{
	for (int lead = 1; lead <= r->p.lookahead_days + 1; lead++) {
		double s = 0, ss = 0;
		int n = 0, ha, hf, full;

		for (long j = window_start(r, i); j + 2 <= (long)i; j++) {
			double a = act_peak(&r->d[j], x, c, &ha, &full);
			double g = fc_peak(&r->d[j], x, c, lead, m->b, &hf);

			if (ha < 0 || !full || hf < 0 || g <= 0)
				continue;
			s += a / g - 1;
			ss += (a / g - 1) * (a / g - 1);
			n++;
		}
		m->mu[lead] = n >= PH_MIN_SAMPLES ? s / n : 0;
		m->sd[lead] = n >= PH_MIN_SAMPLES ?
		    sqrt(fmax(0, (ss - s * s / n) / (n - 1))) : r->p.sigma;
		if (m->sd[lead] < r->p.min_sigma)
			m->sd[lead] = r->p.min_sigma;
	}
}

/* Lag-1 autocorrelation of v[0..n), in 0 .. 0.9. */
static double
autocorrelation(const double *v, int n)
{
	double mean = 0, num = 0, den = 0;

	for (int k = 0; k < n; k++)
		mean += v[k] / n;
	for (int k = 0; k < n; k++) {
		den += (v[k] - mean) * (v[k] - mean);
		if (k + 1 < n)
			num += (v[k] - mean) * (v[k + 1] - mean);
	}
	if (!(den > 0) || num <= 0)
		return 0;
	return num / den > 0.9 ? 0.9 : num / den;
}

/* The window's daily peaks, for the days after the lookahead, and how
 * much one day tells of the next. */
static void
fit_climate(const struct dg_ph_run *r, int x, const struct dg_ph_charge *c,
    size_t i, struct ph_model *m)
{
	int ha, full;

	m->clim = r->scratch + 2 * r->p.window_days + 4;
	m->nclim = 0;
	for (long j = window_start(r, i); j + 2 <= (long)i; j++) {
		double a = act_peak(&r->d[j], x, c, &ha, &full);

		if (ha >= 0)
			m->clim[m->nclim++] = a;
	}
	m->rho = autocorrelation(m->clim, m->nclim);
	qsort(m->clim, m->nclim, sizeof(double), cmp_double);
}

/* --- The chance that a day holds its period's peak ---------------------- */

struct ph_comp {
	double mean, sd;
};

static double
normal_cdf(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

/* The share of the recent daily peaks at or below a: #(<= a) / (n + 1),
 * so that a above them all still leaves room for a higher day. */
static double
climate_cdf(const struct ph_model *m, double a)
{
	int lo = 0, hi = m->nclim;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (m->clim[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (double)lo / (m->nclim + 1);
}

#define PH_STEPS 400

/* P(A > rec and A > every competitor and A > the days after them), A ~
 * N(mean, sd), competitors normal, the rest days from the climate, as
 * rest (1 - rho) / (1 + rho) independent days. */
static double
chance(double mean, double sd, double rec, const struct ph_comp *cp,
    int ncp, const struct ph_model *m, int days)
{
	double rest = days * (1 - m->rho) / (1 + m->rho);
	double lo = fmax(mean - 8 * sd, rec), hi = mean + 8 * sd, p = 0;
	double step = (hi - lo) / PH_STEPS;

	if (!(lo < hi))
		return 0;
	for (int k = 0; k < PH_STEPS; k++) {
		double a = lo + (k + 0.5) * step, z = (a - mean) / sd;
		double w = exp(-0.5 * z * z) / (sd * sqrt(2 * M_PI)) * step;

		for (int j = 0; j < ncp; j++)
			w *= normal_cdf((a - cp[j].mean) / cp[j].sd);
		if (rest > 0)
			w *= pow(climate_cdf(m, a), rest);
		p += w;
	}
	return p > 1 ? 1 : p;
}

/* One charge on day i: its chance, value and forecast peak. */
struct ph_target {
	int active;		/* the charge measures the day */
	int have;		/* a chance: a forecast and enough history */
	const char *why;	/* when not */
	double p, value;
	int hour;		/* the forecast peak's hour */
	double w[PH_H];		/* the chance that the peak is in hour h */
	double peak, rec;	/* the forecast peak, the period's record */
	double g[PH_H];		/* the corrected forecast; -HUGE_VAL where the
				 * charge does not measure */
	double cut[PH_H];	/* the kW a run cuts */
	double money;		/* USD per kW: price x months billed */
};

/* w[h]: the share of the window's days whose actual peak was h - hour
 * hours after their forecast peak, shifted to this day's forecast peak
 * (fewer than PH_MIN_SAMPLES days: all of it on the forecast peak). */
static void
hour_weights(const struct dg_ph_run *r, int x, const struct dg_ph_charge *c,
    size_t i, const struct ph_model *m, struct ph_target *t)
{
	const struct ph_day *d = &r->d[i];
	int off[PH_MAX_WINDOW], n = 0, ha, hf, full;

	for (long j = window_start(r, i); j + 2 <= (long)i; j++) {
		act_peak(&r->d[j], x, c, &ha, &full);
		fc_peak(&r->d[j], x, c, 1, m->b, &hf);
		if (ha >= 0 && full && hf >= 0)
			off[n++] = ha - hf;
	}
	memset(t->w, 0, sizeof(t->w));
	if (n < PH_MIN_SAMPLES) {
		t->w[t->hour] = 1;
		return;
	}
	for (int k = 0; k < n; k++) {
		int h = t->hour + off[k];

		if (h >= 0 && h < d->nh && ph_measured(c, d, h))
			t->w[h] += 1.0 / n;
	}
}

/* The highest actual load of the period's days up to i - 2. */
static double
record(const struct dg_ph_run *r, int x, const struct dg_ph_charge *c,
    size_t i, dg_date a)
{
	double rec = -HUGE_VAL;
	int h, full;

	for (long j = (long)i - 2; j >= 0 && r->d[j].date >= a; j--) {
		double v = act_peak(&r->d[j], x, c, &h, &full);

		if (h >= 0 && v > rec)
			rec = v;
	}
	return rec;
}

/* Yesterday (forecast of lead 1 issued the day before it) and the
 * lookahead days of the period, as competitors. */
static int
competitors(const struct dg_ph_run *r, int x, const struct dg_ph_charge *c,
    size_t i, dg_date a, dg_date b, const struct ph_model *m,
    struct ph_comp *cp)
{
	int n = 0, h;

	if (i >= 1 && r->d[i - 1].date >= a) {
		double g = fc_peak(&r->d[i - 1], x, c, 1, m->b, &h);

		if (h >= 0) {
			cp[n].mean = g * (1 + m->mu[1]);
			cp[n++].sd = g * m->sd[1];
		}
	}
	for (int k = 1; k <= r->p.lookahead_days; k++) {
		const struct ph_day *d = &r->d[i + k];
		double g;

		if (d->date > b)
			break;
		g = fc_peak(d, x, c, k + 1, m->b, &h);
		if (h >= 0 && g > 0) {
			cp[n].mean = g * (1 + m->mu[k + 1]);
			cp[n++].sd = g * m->sd[k + 1];
		}
	}
	return n;
}

/* The kW a run cuts at hour h of day d: the generator's available kW,
 * at most the site's forecast load. */
static double
cut_kw(const struct dg_ph_run *r, const struct ph_day *d, int h)
{
	double kw = d->hasg[h] ? dg_dec_to_double(d->avail[h]) : 0;

	if (r->in.site_fc != NULL && d->hasf[PH_SITE][1][h] &&
	    d->fc[PH_SITE][1][h] < kw)
		kw = d->fc[PH_SITE][1][h];
	return kw > 0 ? kw : 0;
}

static void
target(struct dg_ph_run *r, int k, size_t i, struct ph_target *t)
{
	const struct dg_ph_charge *c = &r->in.tariff->c[k];
	const struct ph_day *d = &r->d[i];
	struct ph_comp cp[PH_LEADS + 1];
	struct ph_model m;
	dg_date a, b;
	int x = ph_data(k), n;
	double peak;

	memset(t, 0, sizeof(*t));
	if (!ph_day_measured(c, d) || !ph_period(r, c, d->date, &a, &b))
		return;
	t->active = 1;
	t->why = "no forecast issued the day before";
	fit_hours(r, x, i, &m);
	if ((peak = fc_peak(d, x, c, 1, m.b, &t->hour)) <= 0)
		return;
	fit_climate(r, x, c, i, &m);
	t->why = "too little history of actual loads";
	if (m.nclim < PH_MIN_SAMPLES)
		return;
	t->have = 1;
	hour_weights(r, x, c, i, &m, t);
	fit_errors(r, x, c, i, &m);
	n = competitors(r, x, c, i, a, b, &m, cp);
	t->rec = record(r, x, c, i, a);
	t->p = chance(peak * (1 + m.mu[1]), peak * m.sd[1], t->rec, cp, n,
	    &m, measured_days_after(r, c, d->date + r->p.lookahead_days, b));
	t->money = dg_dec_to_double(c->rate) * c->billed;
	t->value = cut_kw(r, d, t->hour) * t->money;
	t->peak = peak;
	for (int h = 0; h < d->nh; h++) {
		t->g[h] = ph_measured(c, d, h) && d->hasf[x][1][h] ?
		    d->fc[x][1][h] * m.b[d->clock[h]] : -HUGE_VAL;
		t->cut[h] = cut_kw(r, d, h);
	}
}

/* --- Decisions ------------------------------------------------------ */

struct ph_budget {
	int month[4 * 12 + 12], year[5];
};

static int
hours_left(const struct dg_ph_run *r, const struct ph_budget *bu,
    const struct ph_day *d, int *year_left)
{
	int slot = ph_month_slot(r, d), left;

	left = r->p.month_hours - bu->month[slot];
	*year_left = -1;
	if (r->p.year_hours > 0) {
		*year_left = r->p.year_hours - bu->year[slot / 12];
		if (*year_left < left)
			left = *year_left;
	}
	return left < 0 ? 0 : left;
}

static void
spend(const struct dg_ph_run *r, struct ph_budget *bu, const struct ph_day *d,
    int hours, struct dg_ph_advice *a)
{
	int slot = ph_month_slot(r, d);

	bu->month[slot] += hours;
	bu->year[slot / 12] += hours;
	a->month_left = r->p.month_hours - bu->month[slot];
	a->year_left = r->p.year_hours > 0 ?
	    r->p.year_hours - bu->year[slot / 12] : -1;
}

/* The k-hour block of day d with the highest score whose hours all have
 * the generator, and its cost in cents; -1 when none. */
static int
best_block(const struct ph_day *d, const double *score, int k,
    int64_t *cost)
{
	double best = -1;
	int h0 = -1;

	for (int s = 0; s + k <= d->nh; s++) {
		double v = 0;
		int ok = 1;

		for (int h = s; h < s + k; h++) {
			v += score[h];
			ok &= d->hasg[h];
		}
		if (ok && v > best) {
			best = v;
			h0 = s;
		}
	}
	*cost = 0;
	for (int h = h0; h0 >= 0 && h < h0 + k; h++)
		*cost += d->cost[h] + (h == h0 ? d->start_cost[h] : 0);
	return h0;
}

static int
record_run(struct dg_ph_run *r, int s, struct ph_day *d, int h0, int k,
    struct ph_budget *bu, struct dg_ph_advice *a)
{
	for (int h = h0; h < h0 + k; h++)
		d->run[s][h] = 1;
	a->start = d->start + 3600 * h0;
	a->end = d->start + 3600 * (h0 + k);
	a->hours = k;
	spend(r, bu, d, k, a);
	return ph_advice_add(r, s, a);
}

static void
advice_init(struct dg_ph_advice *a, const struct ph_day *d, int s)
{
	memset(a, 0, sizeof(*a));
	a->date = d->date;
	a->strategy = s;
	a->chance[0] = a->chance[1] = NAN;
	a->expected_usd = NAN;
	a->note = "";
}

static int
no_run(struct dg_ph_run *r, int s, const struct ph_day *d,
    struct ph_budget *bu, struct dg_ph_advice *a, const char *note)
{
	a->note = note;
	spend(r, bu, d, 0, a);
	return ph_advice_add(r, s, a);
}

/* Days from d to the end of its month (in a backtest, to the range's
 * end if earlier) that a charge measures: with as many runs left as such
 * days, hours that would go unused lower the chance needed to 0. */
static int
days_left(const struct dg_ph_run *r, const struct ph_day *d)
{
	dg_date end = d->mon == 12 ? dg_date_from_ymd(d->year + 1, 1, 1) - 1 :
	    dg_date_from_ymd(d->year, d->mon + 1, 1) - 1;
	int n = 0;

	if (r->backtest && end > r->to)
		end = r->to;
	for (dg_date x = d->date; x <= end; x++)
		for (int k = 0; k < DG_PH_NCHARGE; k++) {
			const struct dg_ph_charge *c = &r->in.tariff->c[k];

			if (c->present && month_in(c, d->mon) &&
			    (!c->weekdays || weekday_ok(r, x))) {
				n++;
				break;
			}
		}
	return n;
}

/* The chance needed on day i with `blocks` runs left: none when the runs
 * left cover the days left; else the (1 - blocks / days) quantile of the
 * chances of the window's days, and at least --min-chance. */
static double
needed(const struct dg_ph_run *r, size_t i, int blocks)
{
	int n = 0, days = days_left(r, &r->d[i]);
	double q;

	if (blocks >= days)
		return 0;
	for (long j = window_start(r, i); j < (long)i; j++)
		if (!isnan(r->d[j].chance))
			r->scratch[n++] = r->d[j].chance;
	if (n < PH_MIN_SAMPLES)
		return r->p.min_chance;
	qsort(r->scratch, n, sizeof(double), cmp_double);
	q = r->scratch[(int)((n - 1) * (1 - (double)blocks / days))];
	return q > r->p.min_chance ? q : r->p.min_chance;
}

/* What a day's run can save: per hour, the capacity tag's chance x value x
 * the chance that its peak is in that hour; and the demand charge. */
struct ph_plan {
	double score[PH_H];
	double load[PH_H];		/* the tie-break: corrected forecast */
	int demand;			/* the demand charge has a chance */
	struct ph_target dem;
};

/* A demand charge's saving if the day holds the month's peak and runs
 * [s, s + n): the forecast peak less the highest of the forecast outside
 * the block, the forecast inside less the cut, the month's record. */
static double
demand_value(const struct ph_target *t, int nh, int s, int n)
{
	double top = t->rec;

	for (int h = 0; h < nh; h++) {
		double v = h >= s && h < s + n ? t->g[h] - t->cut[h] : t->g[h];

		if (v > top)
			top = v;
	}
	return top < t->peak ? t->money * (t->peak - top) : 0;
}

/* The block of at most k hours with the highest expected saving (within
 * a millionth of a dollar, the highest forecast load; then the shortest
 * and earliest), whose hours all have the generator: *h0, *len and the
 * saving; -1 when none. */
static int
best_run(const struct ph_day *d, const struct ph_plan *pl, int k, int *h0,
    int *len, double *saving)
{
	double best_load = 0;
	int found = -1;

	for (int n = 1; n <= k; n++)
		for (int s = 0; s + n <= d->nh; s++) {
			double e = -d->start_cost[s] / 100.0, load = 0;
			int ok = 1;

			for (int h = s; h < s + n; h++) {
				e += pl->score[h] - d->cost[h] / 100.0;
				load += pl->load[h];
				ok &= d->hasg[h];
			}
			if (pl->demand)
				e += pl->dem.p *
				    demand_value(&pl->dem, d->nh, s, n);
			if (!ok || (found == 0 && (e < *saving - 1e-6 ||
			    (e <= *saving + 1e-6 && load <= best_load))))
				continue;
			*h0 = s;
			*len = n;
			*saving = e;
			best_load = load;
			found = 0;
		}
	return found;
}

/* The chances of the charges on day i and what a run can save; the best
 * chance is kept with the day.  NULL, or why there is no advice. */
static const char *
targets(struct dg_ph_run *r, size_t i, struct dg_ph_advice *a,
    struct ph_plan *pl)
{
	struct ph_day *d = &r->d[i];
	struct ph_target t;
	const char *why = NULL;
	int active = 0, have = 0;

	memset(pl, 0, sizeof(*pl));
	for (int c = 0; c < DG_PH_NCHARGE; c++) {
		target(r, c, i, &t);
		active |= t.active;
		have |= t.have;
		if (t.active && !t.have && why == NULL)
			why = t.why;
		if (t.active)
			a->chance[c] = t.p;
		if (!t.have)
			continue;
		d->chance = isnan(d->chance) ? t.p : fmax(d->chance, t.p);
		for (int h = 0; h < d->nh; h++)
			if (t.g[h] > 0)
				pl->load[h] += t.g[h] / t.peak;
		if (c == DG_PH_DEMAND) {
			pl->demand = 1;
			pl->dem = t;
			continue;
		}
		for (int h = 0; h < d->nh; h++)
			pl->score[h] += t.p * t.value * t.w[h];
	}
	if (!active)
		return "no charge measures the day";
	return have ? NULL : why;
}

static int
peakhunt_day(struct dg_ph_run *r, size_t i, struct ph_budget *bu)
{
	struct ph_day *d = &r->d[i];
	struct dg_ph_advice a;
	struct ph_plan pl;
	const char *why;
	int k, yl, h0 = 0, len = 0;

	advice_init(&a, d, DG_PH_PEAKHUNT);
	if ((why = targets(r, i, &a, &pl)) != NULL)
		return no_run(r, DG_PH_PEAKHUNT, d, bu, &a, why);
	if ((k = hours_left(r, bu, d, &yl)) > r->p.run_hours)
		k = r->p.run_hours;
	if (k == 0)
		return no_run(r, DG_PH_PEAKHUNT, d, bu, &a, "no hours left");
	if (best_run(d, &pl, k, &h0, &len, &a.expected_usd) < 0)
		return no_run(r, DG_PH_PEAKHUNT, d, bu, &a,
		    "no generator data");
	if (d->chance < needed(r, i, (hours_left(r, bu, d, &yl) +
	    r->p.run_hours - 1) / r->p.run_hours))
		return no_run(r, DG_PH_PEAKHUNT, d, bu, &a,
		    "chance below what the hours left need");
	if (!(a.expected_usd > 0))
		return no_run(r, DG_PH_PEAKHUNT, d, bu, &a,
		    "expected saving not above the run's cost");
	return record_run(r, DG_PH_PEAKHUNT, d, h0, len, bu, &a);
}

/* The threshold rule for charge c: the raw day-ahead peak against
 * threshold x the period's highest actual load so far (0: none yet). */
static double
threshold_ratio(const struct dg_ph_run *r, int k, size_t i, double *score)
{
	const struct dg_ph_charge *c = &r->in.tariff->c[k];
	const struct ph_day *d = &r->d[i];
	int x = ph_data(k), h;
	dg_date a, b;
	double f, rec;

	if (!ph_day_measured(c, d) || !ph_period(r, c, d->date, &a, &b) ||
	    (f = fc_peak(d, x, c, 1, NULL, &h)) <= 0)
		return -1;
	rec = record(r, x, c, i, a);
	for (h = 0; h < d->nh; h++)
		score[h] = ph_measured(c, d, h) && d->hasf[x][1][h] ?
		    d->fc[x][1][h] : 0;
	return rec > 0 ? f / (r->p.threshold * rec) : HUGE_VAL;
}

static int
threshold_day(struct dg_ph_run *r, size_t i, struct ph_budget *bu)
{
	struct ph_day *d = &r->d[i];
	struct dg_ph_advice a;
	double score[PH_H], s2[PH_H], best = -1;
	int k, yl, h0;
	int64_t cost;

	advice_init(&a, d, DG_PH_THRESHOLD);
	for (int c = 0; c < DG_PH_NCHARGE; c++) {
		double q = threshold_ratio(r, c, i, s2);

		if (q > best) {
			best = q;
			memcpy(score, s2, sizeof(score));
		}
	}
	if (best < 0)
		return no_run(r, DG_PH_THRESHOLD, d, bu, &a,
		    "no charge measures the day, or no forecast");
	if (best < 1)
		return no_run(r, DG_PH_THRESHOLD, d, bu, &a,
		    "forecast below the threshold");
	if ((k = hours_left(r, bu, d, &yl)) > r->p.run_hours)
		k = r->p.run_hours;
	if (k == 0)
		return no_run(r, DG_PH_THRESHOLD, d, bu, &a, "no hours left");
	if ((h0 = best_block(d, score, k, &cost)) < 0)
		return no_run(r, DG_PH_THRESHOLD, d, bu, &a,
		    "no generator data");
	return record_run(r, DG_PH_THRESHOLD, d, h0, k, bu, &a);
}

/* The hindsight's rows from its run hours: a row per block. */
static int
hindsight_rows(struct dg_ph_run *r, size_t i, struct ph_budget *bu)
{
	struct ph_day *d = &r->d[i];
	struct dg_ph_advice a;
	int any = 0, st;

	advice_init(&a, d, DG_PH_HINDSIGHT);
	for (int h = 0; h < d->nh; h++) {
		int e = h;

		if (!d->run[DG_PH_HINDSIGHT][h])
			continue;
		while (e < d->nh && d->run[DG_PH_HINDSIGHT][e])
			e++;
		if ((st = record_run(r, DG_PH_HINDSIGHT, d, h, e - h, bu,
		    &a)) != DG_OK)
			return st;
		any = 1;
		h = e;
	}
	return any ? DG_OK : no_run(r, DG_PH_HINDSIGHT, d, bu, &a, "");
}

int
dg_ph_decide(struct dg_ph_run *r, int s, const struct dg_ph_advice **adv,
    size_t *n, struct dg_error *err)
{
	struct ph_budget bu;
	int st = DG_OK;

	if (!r->decided[s]) {
		memset(&bu, 0, sizeof(bu));
		if (s == DG_PH_HINDSIGHT &&
		    (st = ph_hindsight(r, err)) != DG_OK)
			return st;
		for (size_t i = r->from - r->first; st == DG_OK &&
		    i <= (size_t)(r->to - r->first); i++)
			st = s == DG_PH_PEAKHUNT ? peakhunt_day(r, i, &bu) :
			    s == DG_PH_THRESHOLD ? threshold_day(r, i, &bu) :
			    hindsight_rows(r, i, &bu);
		if (st != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
		r->decided[s] = 1;
	}
	*adv = r->adv[s];
	*n = r->nadv[s];
	return DG_OK;
}
