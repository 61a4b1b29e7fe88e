/* dg_settle_pay.c: payment lines per site, event and hour, and the
 * portfolio unit (see dg_settle.h). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"
#include "dg_sites.h"

/* --- Payments ------------------------------------------------------------ */

void
dg_settle_params_init(struct dg_settle_params *p)
{
	p->net_negative = 0;
	p->min_hours_rule = 0;
	p->round_mwh = -1;
	p->kw_decimals = 3;
	p->min_kw_forfeit = 0;
	p->has_dadrp_floor = 1;
	p->dadrp_floor = dg_dec_make(7500, 2);
	p->has_dadrp_min = 1;
	p->dadrp_min_kw = dg_dec_make(1000, 0);
}

static const char *const kind_names[] = {
	"event", "continuation", "da", "shortfall", "credit-hour", "credit",
	"net-floor", "unpaid", "total"
};

const char *
dg_settle_kind_name(int kind)
{
	if (kind < 0 || kind > DG_SL_TOTAL)
		return "?";
	return kind_names[kind];
}

struct srow {
	struct dg_settle_row *r;
	const struct dg_settle_program *pg;
	const struct dg_event *ev;
	const char *lost_to;	/* paid by another program in this hour */
};

static int
cmp_srow_time(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;

	if (x->r->t != y->r->t)
		return x->r->t < y->r->t ? -1 : 1;
	if (x->pg->priority != y->pg->priority)
		return x->pg->priority < y->pg->priority ? -1 : 1;
	return strcmp(x->r->event, y->r->event);
}

static int
cmp_srow_event(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;
	int c = strcmp(x->r->event, y->r->event);

	if (c != 0)
		return c;
	return x->r->t < y->r->t ? -1 : x->r->t > y->r->t;
}

/* Sets err to the message, the row's line and " at TIME"; returns st. */
static int
row_fail(struct dg_error *err, const char *input, const struct dg_settle_row *r,
    const char *col, int st, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
row_fail(struct dg_error *err, const char *input, const struct dg_settle_row *r,
    const char *col, int st, const char *fmt, ...)
{
	char ts[DG_TIME_BUFSZ];
	char msg[400];
	va_list ap;

	dg_time_format(r->t, ts, sizeof(ts));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dg_error_set(err, st, input, r->line, col, "%s at %s", msg, ts);
}

static int
price_at(const struct dg_settle_prices *p, const char *which, const char *zone,
    const struct dg_settle_row *r, const char *input, dg_dec *out,
    struct dg_error *err)
{
	if (p == NULL)
		return row_fail(err, input, r, NULL, DG_EDATA,
		    "no %s prices given (the program needs them)", which);
	if (dg_settle_prices_get(p, zone, r->t, out) != DG_OK) {
		int cover = dg_settle_prices_cover(p, zone, r->t);
		char why[64];

		if (cover == 0)
			snprintf(why, sizeof(why), "none");
		else
			snprintf(why, sizeof(why), "%d s of 3600 covered",
			    cover);
		row_fail(err, input, r, NULL, DG_EDATA,
		    "missing %s price hour for zone %s", which, zone);
		snprintf(err->msg + strlen(err->msg),
		    sizeof(err->msg) - strlen(err->msg), " (%s)", why);
		return DG_EDATA;
	}
	return DG_OK;
}

static void
line_init(struct dg_settle_line *l, const char *site, const struct srow *s)
{
	memset(l, 0, sizeof(*l));
	l->site = site;
	l->event = s->r->event;
	l->program = s->r->program;
	l->payer = s->pg->payer;
	l->t = s->r->t;
	l->has_kw = 1;
	l->reduction_kw = s->r->reduction_kw;
	l->payment = dg_dec_make(0, 2);
	l->quality = s->r->quality;
	l->line = s->r->line;
	l->has_pass = dg_settle_passes_share(s->pg);
	l->pass_pct = s->pg->pass_pct;
}

/* The reduction a program measures in one row; DG_EOF when the input has
 * none (dg-cbl leaves it empty when no CBL or no load was found). */
static int
measured(const struct dg_settle *s, const char *site, const struct srow *sr,
    const char *input, dg_dec *kw, struct dg_error *err)
{
	const struct dg_settle_kv *a;

	if (sr->pg->measure == DG_SETTLE_CBL) {
		*kw = sr->r->reduction_kw;
		return sr->r->no_reduction ? DG_EOF : DG_OK;
	}
	if (!sr->r->has_actual)
		return DG_EOF;	/* no load measured: the hour is not paid */
	if (s->apmd == NULL ||
	    (a = dg_settle_table_find(s->apmd, site, NULL)) == NULL)
		return row_fail(err, input, sr->r, NULL, DG_EDATA,
		    "no APMD for site %s (program %s)", site, sr->pg->name);
	if (dg_dec_sub(a->value, sr->r->actual_kw, kw) != DG_OK)
		return row_fail(err, input, sr->r, "actual_kw", DG_ERANGE,
		    "reduction out of range");
	return DG_OK;
}

/* kW as MWh, rounded as asked. */
static int
to_mwh(const struct dg_settle *s, dg_dec kw, dg_dec *mwh)
{
	int st;

	if ((st = kw_to_mwh(kw, mwh)) != DG_OK)
		return st;
	if (s->par.round_mwh >= 0)
		return dg_dec_rescale(*mwh, s->par.round_mwh, mwh);
	return DG_OK;
}

/* Clipped (or not) reduction as MWh, rounded as asked. */
static int
paid_mwh(const struct dg_settle *s, dg_dec kw, dg_dec *mwh, const char **note)
{
	if (dg_dec_sign(kw) < 0 && !s->par.net_negative) {
		kw = dg_dec_make(0, kw.scale);
		*note = "negative hour clipped";
	} else if (dg_dec_sign(kw) < 0)
		*note = "negative hour netted";
	return to_mwh(s, kw, mwh);
}

static int
in_program_hours(const struct dg_settle_program *pg, dg_time t)
{
	struct dg_local lt;

	if (pg->months == 0 && pg->hour_from < 0)
		return 1;
	dg_time_local(t, &lt);
	if (pg->months && !(pg->months & (1u << (lt.mon - 1))))
		return 0;
	if (pg->hour_from >= 0 &&
	    (lt.hour < pg->hour_from || lt.hour >= pg->hour_to))
		return 0;
	return 1;
}

/* A pass-through line says so in its note: "90 % of EDRP" after the
 * note it has (buf, n bytes, holds it). */
static void
pass_note(struct dg_settle_line *l, char *buf, size_t n)
{
	char pct[DG_DEC_BUFSZ];

	if (!l->has_pass)
		return;
	dg_dec_format(l->pass_pct, pct, sizeof(pct));
	if (l->note == buf)
		snprintf(buf + strlen(buf), n - strlen(buf),
		    "; %s %% passed on", pct);
	else
		snprintf(buf, n, "%s%s%s %% passed on", l->note ? l->note : "",
		    l->note ? "; " : "", pct);
	l->note = buf;
}

/* What settles one site's rows of one event. */
struct ectx {
	const struct dg_settle *s;
	const char *site, *zone, *input;
	dg_settle_emit_fn emit;
	void *arg;
	struct dg_error *err;
	unsigned flags;		/* 1 << DG_SF_*: the event's checks */
};

/* Emits l (of row sr) with the event's flags and more in its quality:
 * counted, or with strict the first an error.  Unpaid lines carry
 * none. */
static int
emit_checked(const struct ectx *c, struct dg_settle_line *l,
    const struct srow *sr, unsigned more)
{
	struct dg_settle_checks *k = c->s->checks;
	unsigned f = l->kind == DG_SL_UNPAID ? 0 : c->flags | more;
	char q[256];
	size_t n = 0;

	if (f == 0)
		return c->emit(c->arg, l);
	q[0] = '\0';
	if (l->quality != NULL && strcmp(l->quality, "ok") != 0)
		n = (size_t)snprintf(q, sizeof(q), "%s", l->quality);
	for (int b = 0; b < DG_SF_N; b++) {
		if (!(f & (1u << b)))
			continue;
		if (k != NULL && k->strict)
			return row_fail(c->err, c->input, sr->r, NULL, DG_EDATA,
			    "site %s, call %s: %s (program %s; --strict)",
			    c->site, sr->r->event, dg_settle_flag_name(b),
			    sr->pg->name);
		if (k != NULL)
			k->lines[b]++;
		if (n < sizeof(q))
			n += (size_t)snprintf(q + n, sizeof(q) - n, "%s%s",
			    n ? ";" : "", dg_settle_flag_name(b));
	}
	l->quality = q;
	return c->emit(c->arg, l);
}

/* The checks of one site's event that do not depend on its hours: the
 * call's notice, the provider's kW in the zone, a DADRP offer's floor. */
static int
event_flags(struct ectx *c, const struct srow *sr)
{
	const struct dg_settle_program *pg = sr->pg;
	const struct dg_settle *s = c->s;
	const struct dg_settle_kv *o;
	long lead;
	dg_dec kw;
	int st;

	c->flags = 0;
	if (pg->min_notice_s >= 0 && sr->ev != NULL && s->events != NULL) {
		st = dg_settle_notice_lead(s->events, sr->ev, &lead, c->err);
		if (st == DG_OK && lead < pg->min_notice_s)
			c->flags |= 1u << DG_SF_SHORT_NOTICE;
		else if (st != DG_OK && st != DG_EOF)
			return st;
	}
	if (pg->has_min_zone_kw &&
	    dg_settle_zone_kw(s->sites, pg->name, c->zone, &kw) > 0 &&
	    dg_dec_cmp(kw, pg->min_zone_kw) < 0)
		c->flags |= 1u << DG_SF_ZONE_MIN;
	if (pg->basis == DG_SETTLE_DADRP && s->par.has_dadrp_floor &&
	    s->offers != NULL &&
	    (o = dg_settle_table_find(s->offers, c->site, pg->name)) != NULL &&
	    dg_dec_cmp(o->value, s->par.dadrp_floor) < 0)
		c->flags |= 1u << DG_SF_BID_FLOOR;
	return DG_OK;
}

/* An unpaid line for row sr: why in note. */
static int
emit_unpaid(const struct ectx *c, const struct srow *sr, int has_kw,
    const char *note)
{
	struct dg_settle_line l;

	line_init(&l, c->site, sr);
	l.kind = DG_SL_UNPAID;
	l.has_kw = has_kw;
	l.note = note;
	return c->emit(c->arg, &l);
}

static int
outside_call(const struct srow *sr)
{
	return sr->ev && (sr->r->t < sr->ev->start || sr->r->t >= sr->ev->end);
}

/* The reduction of an hour the program pays: DG_OK with *kw; DG_EOF when
 * the hour is not paid (an unpaid line was emitted: another program pays
 * it, or nothing was measured); or an error. */
static int
paid_reduction(const struct ectx *c, const struct srow *sr, dg_dec *kw)
{
	char note[160];
	int st;

	if (sr->lost_to) {
		snprintf(note, sizeof(note), "paid by %s", sr->lost_to);
		return (st = emit_unpaid(c, sr, 1, note)) != DG_OK ? st :
		    DG_EOF;
	}
	st = measured(c->s, c->site, sr, c->input, kw, c->err);
	if (st == DG_EOF &&
	    (st = emit_unpaid(c, sr, 0, "no reduction measured")) == DG_OK)
		return DG_EOF;
	return st;
}

/* demand: one credit on the mean reduction of the event's hours inside
 * the program's months and hours. */
static int
settle_demand(const struct ectx *c, struct srow *v, size_t n)
{
	const struct dg_settle_program *pg = v[0].pg;
	dg_dec sum = dec_zero(), kw, credit;
	size_t nwin = 0, first = n;
	struct dg_settle_line l;
	char note[160];
	int below, st;

	for (size_t i = 0; i < n; i++) {
		dg_dec red;

		if (outside_call(&v[i]) || !in_program_hours(pg, v[i].r->t)) {
			if ((st = emit_unpaid(c, &v[i], 1, outside_call(&v[i]) ?
			    "outside the call" :
			    "outside the program's hours")) != DG_OK)
				return st;
			continue;
		}
		nwin++;
		if (first == n)
			first = i;
		if ((st = paid_reduction(c, &v[i], &red)) == DG_EOF)
			continue;
		if (st != DG_OK)
			return st;
		line_init(&l, c->site, &v[i]);
		l.kind = DG_SL_CREDIT_HOUR;
		l.reduction_kw = red;
		l.note = dg_dec_sign(red) < 0 && !c->s->par.net_negative ?
		    "negative hour clipped: zero in the mean" : "in the mean";
		if ((st = emit_checked(c, &l, &v[i], 0)) != DG_OK)
			return st;
		if (dg_dec_sign(red) < 0 && !c->s->par.net_negative)
			continue;	/* clipped to zero */
		if ((st = dec_add_to(&sum, red)) != DG_OK)
			return row_fail(c->err, c->input, v[i].r, NULL, st,
			    "reduction sum out of range");
	}
	if (nwin == 0)
		return DG_OK;
	if ((st = dg_dec_div(sum, dg_dec_make((int64_t)nwin, 0),
	    c->s->par.kw_decimals, &kw)) != DG_OK ||
	    (dg_dec_sign(kw) < 0 && (kw = dec_zero(), 0)) ||
	    (st = dg_settle_amount(dg_settle_passes_share(pg), pg->pass_pct,
	    kw, pg->credit_per_kw, &credit)) != DG_OK)
		return row_fail(c->err, c->input, v[first].r, NULL, DG_ERANGE,
		    "credit out of range");
	below = pg->has_min_kw && dg_dec_cmp(kw, pg->min_kw) < 0;
	line_init(&l, c->site, &v[first]);
	l.kind = DG_SL_CREDIT;
	l.has_kw = 0;
	l.has_rate = 1;
	l.kw = kw;
	l.rate = pg->credit_per_kw;
	l.payment = credit;
	snprintf(note, sizeof(note), "mean of %zu hour%s", nwin,
	    nwin == 1 ? "" : "s");
	if (below && c->s->par.min_kw_forfeit) {
		l.payment = dg_dec_make(0, 2);
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
		    "; below the program's minimum kW: forfeited");
	}
	l.note = note;
	pass_note(&l, note, sizeof(note));
	return emit_checked(c, &l, &v[first],
	    below ? 1u << DG_SF_MIN_KW : 0);
}

/* dadrp, one hour: the scheduled MWh at the day-ahead price, and the
 * shortfall of the (clipped) reduction at max(DA, RT). */
static int
settle_dadrp_hour(const struct ectx *c, const struct srow *sr, dg_dec red)
{
	const struct dg_settle *s = c->s;
	dg_dec sched, short_kw, smwh, da, rt;
	struct dg_settle_line l;
	char note[160];
	int st;

	if (!sr->r->has_sched)
		return row_fail(c->err, c->input, sr->r, "scheduled_kw",
		    DG_EDATA, "program %s needs scheduled_kw", sr->pg->name);
	if ((st = price_at(s->da, "day-ahead", c->zone, sr->r, c->input, &da,
	    c->err)) != DG_OK)
		return st;
	sched = sr->r->scheduled_kw;
	line_init(&l, c->site, sr);
	l.reduction_kw = red;
	if (to_mwh(s, sched, &smwh) != DG_OK ||
	    dg_settle_amount(l.has_pass, l.pass_pct, smwh, da,
	    &l.payment) != DG_OK)
		return row_fail(c->err, c->input, sr->r, NULL, DG_ERANGE,
		    "payment out of range");
	l.kind = DG_SL_DA;
	l.has_mwh = l.has_price = 1;
	l.mwh = smwh;
	l.price = da;
	pass_note(&l, note, sizeof(note));
	if ((st = emit_checked(c, &l, sr, 0)) != DG_OK)
		return st;
	if (dg_dec_sign(red) < 0 && !s->par.net_negative)
		red = dec_zero();
	if (dg_dec_sub(sched, red, &short_kw) != DG_OK)
		return row_fail(c->err, c->input, sr->r, NULL, DG_ERANGE,
		    "shortfall out of range");
	if (dg_dec_sign(short_kw) <= 0)
		return DG_OK;
	if ((st = price_at(s->rt, "real-time", c->zone, sr->r, c->input, &rt,
	    c->err)) != DG_OK)
		return st;
	if (to_mwh(s, short_kw, &smwh) != DG_OK)
		return row_fail(c->err, c->input, sr->r, NULL, DG_ERANGE,
		    "shortfall out of range");
	smwh.v = -smwh.v;
	line_init(&l, c->site, sr);
	l.reduction_kw = red;
	l.kind = DG_SL_SHORTFALL;
	l.has_mwh = l.has_price = 1;
	l.mwh = smwh;
	l.price = dec_max(da, rt);
	if (dg_settle_amount(l.has_pass, l.pass_pct, smwh, l.price,
	    &l.payment) != DG_OK)
		return row_fail(c->err, c->input, sr->r, NULL, DG_ERANGE,
		    "payment out of range");
	l.note = "shortfall at max(DA, RT)";
	pass_note(&l, note, sizeof(note));
	return emit_checked(c, &l, sr, 0);
}

static int
settle_dadrp(const struct ectx *c, struct srow *v, size_t n)
{
	int st;

	for (size_t i = 0; i < n; i++) {
		dg_dec red;

		if (outside_call(&v[i])) {
			if ((st = emit_unpaid(c, &v[i], 1,
			    "outside the call")) != DG_OK)
				return st;
			continue;
		}
		if ((st = paid_reduction(c, &v[i], &red)) == DG_EOF)
			continue;
		if (st != DG_OK ||
		    (st = settle_dadrp_hour(c, &v[i], red)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* The rate of an energy program for a site: the site's offered strike
 * (needed only when this program pays some hour) or the floor. */
static int
energy_rate(const struct ectx *c, const struct srow *v, size_t n,
    dg_dec *rate, int *has_rate)
{
	const struct dg_settle_program *pg = v[0].pg;
	const struct dg_settle_kv *o;
	int pays = 0;

	*rate = dec_zero();
	*has_rate = 0;
	if (!pg->strike) {
		*rate = pg->floor;
		*has_rate = pg->has_floor;
		return DG_OK;
	}
	for (size_t i = 0; i < n; i++)
		pays |= v[i].lost_to == NULL;
	o = c->s->offers ?
	    dg_settle_table_find(c->s->offers, c->site, pg->name) :
	    NULL;
	if (o == NULL && !pays)
		return DG_OK;	/* every hour paid by another program */
	if (o == NULL)
		return row_fail(c->err, c->input, v[0].r, NULL, DG_EDATA,
		    "no strike offer for site %s in program %s", c->site,
		    pg->name);
	if (pg->has_strike_cap && dg_dec_cmp(o->value, pg->strike_cap) > 0)
		return row_fail(c->err, c->input, v[0].r, NULL, DG_EDATA,
		    "site %s offers a strike above program %s's cap", c->site,
		    pg->name);
	*rate = o->value;
	*has_rate = 1;
	return DG_OK;
}

/* energy, one hour of the call (kind event) or a minimum-hours hour after
 * it (continuation, at the real-time LBMP): MWh x price. */
static int
settle_energy_hour(const struct ectx *c, const struct srow *sr, int kind,
    dg_dec red, const dg_dec *rate, dg_dec *net)
{
	const struct dg_settle *s = c->s;
	struct dg_settle_line l;
	dg_dec mwh, price, rt;
	const char *nt = NULL;
	char note[160];
	int st;

	line_init(&l, c->site, sr);
	l.reduction_kw = red;
	if (paid_mwh(s, red, &mwh, &nt) != DG_OK)
		return row_fail(c->err, c->input, sr->r, NULL, DG_ERANGE,
		    "energy out of range");
	if (kind == DG_SL_CONTINUATION || sr->pg->lbmp_rt) {
		if ((st = price_at(s->rt, "real-time", c->zone, sr->r, c->input,
		    &rt, c->err)) != DG_OK)
			return st;
		price = kind == DG_SL_CONTINUATION || rate == NULL ? rt :
		    dec_max(*rate, rt);
		if (kind == DG_SL_CONTINUATION && nt == NULL)
			nt = "minimum-hours hour at LBMP";
	} else
		price = rate ? *rate : dec_zero();
	l.kind = kind;
	l.has_mwh = l.has_price = 1;
	l.mwh = mwh;
	l.price = price;
	l.note = nt;
	if (dg_settle_amount(l.has_pass, l.pass_pct, mwh, price,
	    &l.payment) != DG_OK ||
	    dec_add_to(net, l.payment) != DG_OK)
		return row_fail(c->err, c->input, sr->r, NULL, DG_ERANGE,
		    "payment out of range");
	pass_note(&l, note, sizeof(note));
	return emit_checked(c, &l, sr, 0);
}

static int
settle_energy(const struct ectx *c, struct srow *v, size_t n)
{
	const struct dg_settle_program *pg = v[0].pg;
	const struct dg_settle *s = c->s;
	dg_dec net = dg_dec_make(0, 2), rate;
	struct dg_settle_line l;
	int has_rate, st;

	if ((st = energy_rate(c, v, n, &rate, &has_rate)) != DG_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		const struct srow *sr = &v[i];
		int kind = DG_SL_EVENT;
		dg_dec red;

		if (outside_call(sr)) {
			if (!(s->par.min_hours_rule && pg->min_hours > 0 &&
			    sr->r->t >= sr->ev->end &&
			    sr->r->t < sr->ev->start +
			    (dg_time)pg->min_hours * 3600)) {
				if ((st = emit_unpaid(c, sr, 1,
				    "outside the call")) != DG_OK)
					return st;
				continue;
			}
			kind = DG_SL_CONTINUATION;
		}
		if ((st = paid_reduction(c, sr, &red)) == DG_EOF)
			continue;
		if (st != DG_OK || (st = settle_energy_hour(c, sr, kind, red,
		    has_rate ? &rate : NULL, &net)) != DG_OK)
			return st;
	}
	if (s->par.net_negative && dg_dec_sign(net) < 0) {
		line_init(&l, c->site, &v[n - 1]);
		l.kind = DG_SL_NETFLOOR;
		l.has_kw = 0;
		l.payment = dg_dec_make(-net.v, net.scale);
		l.note = "event net below zero raised to zero";
		return emit_checked(c, &l, &v[n - 1], 0);
	}
	return DG_OK;
}

/* One site's rows of one event (sorted by time), by the program's basis. */
static int
settle_event(const struct dg_settle *s, const char *site, const char *zone,
    struct srow *v, size_t n, dg_settle_emit_fn emit, void *arg,
    const char *input, struct dg_error *err)
{
	struct ectx c = { s, site, zone, input, emit, arg, err, 0 };
	int st;

	if ((st = event_flags(&c, &v[0])) != DG_OK)
		return st;
	switch (v[0].pg->basis) {
	case DG_SETTLE_DEMAND:	return settle_demand(&c, v, n);
	case DG_SETTLE_DADRP:	return settle_dadrp(&c, v, n);
	default:		return settle_energy(&c, v, n);
	}
}

/* One payer per site-hour within a group of programs (by default a
 * payer's programs: the ISO pays one program for each MWh): in each hour
 * the program of lowest priority of a group pays, the others of that
 * group are "paid by" it; programs of other groups stack.  Sorts v by
 * hour. */
/* Whether the row's program would pay its hour: inside the call (or a
 * minimum-hours hour after it), inside a demand program's hours.  Only
 * such rows claim an hour from the other programs of their group. */
static int
claims_hour(const struct dg_settle *s, const struct srow *sr)
{
	const struct dg_settle_program *pg = sr->pg;
	dg_time t = sr->r->t;

	if (pg->basis == DG_SETTLE_DEMAND && !in_program_hours(pg, t))
		return 0;
	if (!outside_call(sr))
		return 1;
	return pg->basis == DG_SETTLE_ENERGY && s->par.min_hours_rule &&
	    pg->min_hours > 0 && t >= sr->ev->end &&
	    t < sr->ev->start + (dg_time)pg->min_hours * 3600;
}

static int
one_payer(const struct dg_settle *s, struct srow *v, size_t n,
    const char *site, const char *input, struct dg_error *err)
{
	qsort(v, n, sizeof(*v), cmp_srow_time);
	for (size_t i = 0, j; i < n; i = j)
		for (j = i + 1; j < n && v[j].r->t == v[i].r->t; j++) {
			size_t k = i;

			if (strcmp(v[j].r->event, v[j - 1].r->event) == 0)
				return row_fail(err, input, v[j].r, "time",
				    DG_EDATA, "site %s: event \"%s\" has this hour twice",
				    site, v[j].r->event);
			if (!claims_hour(s, &v[j]))
				continue;
			while (k < j &&
			    (strcmp(v[k].pg->group, v[j].pg->group) != 0 ||
			    !claims_hour(s, &v[k])))
				k++;
			if (k == j)
				continue;	/* the first of its
						 * group: it pays */
			/* Two calls of one program in one hour: the first event
			 * (by name) pays it. */
			v[j].lost_to =
			    strcmp(v[j].pg->name, v[k].pg->name) == 0 ?
			    v[k].r->event : v[k].pg->name;
		}
	return DG_OK;
}

/* The row of event id that calls site, or NULL; *known: whether id is in
 * the events at all. */
static const struct dg_event *
event_of(const struct dg_events *es, const char *id, const char *site,
    int *known)
{
	size_t lo = 0, hi = es->by_id != NULL ? es->n : 0, n = hi;

	while (lo < hi) {	/* the first of id's rows */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(es->v[es->by_id[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*known = 0;
	for (; lo < n && strcmp(es->v[es->by_id[lo]].id, id) == 0; lo++) {
		*known = 1;
		if (dg_event_applies(&es->v[es->by_id[lo]], site))
			return &es->v[es->by_id[lo]];
	}
	return NULL;
}

int
dg_settle_site(const struct dg_settle *s, const char *site, const char *zone,
    struct dg_settle_row *rows, size_t n, dg_settle_emit_fn emit, void *arg,
    const char *input, struct dg_error *err)
{
	struct dg_settle_program *terms = NULL;
	struct srow *v;
	int st = DG_OK;

	if (n == 0)
		return DG_OK;
	if ((v = calloc(n, sizeof(*v))) == NULL ||
	    (terms = calloc(n, sizeof(*terms))) == NULL) {
		free(v);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct dg_settle_row *r = &rows[i];

		v[i].r = r;
		v[i].pg = dg_settle_programs_find(s->programs, r->program,
		    dg_date_of(r->t));
		if (v[i].pg == NULL) {
			st = row_fail(err, input, r, "program", DG_EDATA,
			    dg_settle_programs_known(s->programs, r->program) ?
			    "program \"%s\" has no terms for this date" :
			    "unknown program \"%s\"", r->program);
			goto out;
		}
		if (dg_settle_program_terms(s->programs, v[i].pg,
		    dg_date_of(r->t), &terms[i]) != DG_OK) {
			st = row_fail(err, input, r, "program", DG_EDATA,
			    "program %s passes on %s, which has no terms for this date",
			    r->program, v[i].pg->passes);
			goto out;
		}
		v[i].pg = &terms[i];
		if (s->events != NULL) {
			int known;

			if ((v[i].ev = event_of(s->events, r->event, site,
			    &known)) == NULL) {
				st = row_fail(err, input, r, "event",
				    DG_EDATA, known ?
				    "event \"%s\" does not call site %s" :
				    "event \"%s\" not in the events file%s",
				    r->event, known ? site : "");
				goto out;
			}
			if (strcmp(v[i].ev->program, r->program) != 0) {
				st = row_fail(err, input, r, "program",
				    DG_EDATA,
				    "event \"%s\" is a call of program %s",
				    r->event, v[i].ev->program);
				goto out;
			}
		}
	}
	if ((st = one_payer(s, v, n, site, input, err)) != DG_OK)
		goto out;
	qsort(v, n, sizeof(*v), cmp_srow_event);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1;
		    j < n && strcmp(v[j].r->event, v[i].r->event) == 0; j++)
			if (strcmp(v[j].r->program, v[i].r->program) != 0) {
				st = row_fail(err, input, v[j].r, "program",
				    DG_EDATA,
				    "event \"%s\" names two programs (%s)",
				    v[j].r->event, v[i].r->program);
				goto out;
			}
		if ((st = settle_event(s, site, zone, v + i, j - i, emit, arg,
		    input, err)) != DG_OK)
			goto out;
	}
out:
	free(v);
	free(terms);
	return st;
}

/* --- Portfolio unit ------------------------------------------------------- */

struct pfent {
	char *event, *program, *payer;
	dg_time t;
	int kind, has_price, has_mwh, has_rate, has_pass;
	dg_dec price, mwh, kw, red, pay, rate, pass_pct;
	long sites, hours;
};

struct dg_settle_pf {
	struct pfent *v;
	size_t n, cap;
};

int
dg_settle_pf_alloc(struct dg_settle_pf **pf)
{
	return (*pf = calloc(1, sizeof(**pf))) ? DG_OK : DG_ENOMEM;
}

void
dg_settle_pf_free(struct dg_settle_pf *pf)
{
	if (pf == NULL)
		return;
	for (size_t i = 0; i < pf->n; i++) {
		free(pf->v[i].event);
		free(pf->v[i].program);
		free(pf->v[i].payer);
	}
	free(pf->v);
	free(pf);
}

int
dg_settle_pf_add(struct dg_settle_pf *pf, const struct dg_settle_line *l)
{
	struct pfent *e;

	if (dg_grow(&pf->v, &pf->cap, pf->n + 1, sizeof(*pf->v)))
		return DG_ENOMEM;
	e = &pf->v[pf->n];
	memset(e, 0, sizeof(*e));
	if ((e->event = strdup(l->event)) == NULL ||
	    (e->program = strdup(l->program)) == NULL ||
	    (e->payer = strdup(l->payer)) == NULL) {
		free(e->event);
		free(e->program);
		return DG_ENOMEM;
	}
	e->t = l->t;
	e->kind = l->kind;
	e->has_price = l->has_price;
	e->has_mwh = l->has_mwh;
	e->has_rate = l->has_rate;
	e->price = l->has_price ? l->price : dec_zero();
	e->mwh = l->has_mwh ? l->mwh : dec_zero();
	e->kw = l->has_rate ? l->kw : dec_zero();
	e->rate = l->has_rate ? l->rate : dec_zero();
	e->red = l->has_kw ? l->reduction_kw : dec_zero();
	e->pay = l->payment;
	e->has_pass = l->has_pass;
	e->pass_pct = l->pass_pct;
	e->sites = 1;
	pf->n++;
	return DG_OK;
}

/* Groups: one event, program, kind and price (the hours of an event at
 * one price are one quantity); ordered by time inside. */
static int
cmp_pf(const void *a, const void *b)
{
	const struct pfent *x = a, *y = b;
	int c;

	if ((c = strcmp(x->event, y->event)) != 0 ||
	    (c = strcmp(x->program, y->program)) != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->has_price != y->has_price)
		return x->has_price < y->has_price ? -1 : 1;
	if ((c = dg_dec_cmp(x->price, y->price)) != 0)
		return c;
	return x->t < y->t ? -1 : x->t > y->t;
}

/* Output order: event, program, first hour, kind. */
static int
cmp_pf_out(const void *a, const void *b)
{
	const struct pfent *x = a, *y = b;
	int c;

	if ((c = strcmp(x->event, y->event)) != 0 ||
	    (c = strcmp(x->program, y->program)) != 0)
		return c;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static int
same_pf(const struct pfent *x, const struct pfent *y)
{
	return strcmp(x->event, y->event) == 0 &&
	    strcmp(x->program, y->program) == 0 && x->kind == y->kind &&
	    x->has_price == y->has_price && dg_dec_cmp(x->price, y->price) == 0;
}

static void
pfent_free(struct pfent *e)
{
	free(e->event);
	free(e->program);
	free(e->payer);
	e->event = e->program = e->payer = NULL;
}

/* Sums the lines of the same event, program and hour, sorted together:
 * one entry each, with its counts of site-hours and of hours. */
static int
pf_merge(struct dg_settle_pf *pf, struct dg_error *err)
{
	size_t k = 0;

	if (pf->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(pf->v, pf->n, sizeof(*pf->v), cmp_pf);
	for (size_t i = 0, j; i < pf->n; i = j) {
		struct pfent acc = pf->v[i];
		long hours = 1;

		for (j = i + 1; j < pf->n && same_pf(&pf->v[j], &acc); j++) {
			if (dec_add_to(&acc.mwh, pf->v[j].mwh) ||
			    dec_add_to(&acc.red, pf->v[j].red) ||
			    dec_add_to(&acc.kw, pf->v[j].kw) ||
			    dec_add_to(&acc.pay, pf->v[j].pay))
				return dg_error_set(err, DG_ERANGE, NULL, 0,
				    NULL, "event %s: portfolio total out of range",
				    acc.event);
			if (pf->v[j].t != pf->v[j - 1].t)
				hours++;
			acc.sites++;
			pfent_free(&pf->v[j]);
		}
		acc.hours = hours;
		pf->v[k++] = acc;
	}
	pf->n = k;
	return DG_OK;
}

/* The line of a merged entry, priced again from its MWh (rounded to
 * round_mwh decimals unless negative); note (n bytes) holds its note. */
static int
pf_line(const struct pfent *acc, int round_mwh, struct dg_settle_line *l,
    char *note, size_t n, struct dg_error *err)
{
	int st = DG_OK;

	memset(l, 0, sizeof(*l));
	l->site = "";
	l->event = acc->event;
	l->program = acc->program;
	l->payer = acc->payer;
	l->t = acc->t;
	l->kind = acc->kind;
	l->has_kw = 1;
	l->reduction_kw = acc->red;
	l->has_mwh = acc->has_mwh;
	l->has_price = acc->has_price;
	l->mwh = acc->mwh;
	l->price = acc->price;
	l->payment = acc->pay;
	l->has_pass = acc->has_pass;
	l->pass_pct = acc->pass_pct;
	if (acc->has_rate) {
		l->has_rate = 1;
		l->kw = acc->kw;
		l->rate = acc->rate;
	}
	if (acc->has_mwh && acc->has_price) {
		if (round_mwh >= 0)
			st = dg_dec_rescale(l->mwh, round_mwh, &l->mwh);
		if (st == DG_OK)
			st = dg_settle_amount(l->has_pass, l->pass_pct, l->mwh,
			    l->price, &l->payment);
	}
	if (st != DG_OK)
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "event %s: portfolio total out of range", acc->event);
	snprintf(note, n, "%ld hour%s from the time, %ld site-hour%s",
	    acc->hours, acc->hours == 1 ? "" : "s", acc->sites,
	    acc->sites == 1 ? "" : "s");
	l->note = note;
	pass_note(l, note, n);
	return DG_OK;
}

int
dg_settle_pf_emit(struct dg_settle_pf *pf, int round_mwh,
    dg_settle_emit_fn emit, void *arg, struct dg_error *err)
{
	int st;

	if ((st = pf_merge(pf, err)) != DG_OK)
		return st;
	if (pf->n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(pf->v, pf->n, sizeof(*pf->v), cmp_pf_out);
	for (size_t i = 0; i < pf->n; i++) {
		struct dg_settle_line l;
		char note[96];

		if ((st = pf_line(&pf->v[i], round_mwh, &l, note, sizeof(note),
		    err)) != DG_OK || (st = emit(arg, &l)) != DG_OK)
			return st;
	}
	return DG_OK;
}
