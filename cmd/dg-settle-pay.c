/* dg-settle pay: payment lines, one per site, event and payment basis,
 * with event totals (--totals). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg-settle.h"

struct payrun {
	struct dg_csvw *w;
	const struct opts *o;
	struct dg_settle_pf *pf;
	struct dg_settle_offered *offered;	/* DADRP schedules */
	int price_decimals;
	/* per-event totals (--totals) */
	int have_ev;		/* the strings live until the site is done */
	const char *ev_site, *ev_event, *ev_program, *ev_payer;
	dg_dec ev_mwh, ev_pay;
	int ev_has_mwh;
};

static void
write_line(struct payrun *pr, const struct dg_settle_line *l)
{
	struct dg_csvw *w = pr->w;
	int mwh_scale = pr->o->par.round_mwh;

	dg_csvw_str(w, l->site);
	dg_csvw_str(w, l->event);
	dg_csvw_str(w, l->program);
	dg_csvw_str(w, l->payer);
	if (l->t == INT64_MIN)
		dg_csvw_empty(w);
	else
		dg_csvw_time(w, l->t);
	dg_csvw_str(w, dg_settle_kind_name(l->kind));
	if (l->has_kw)
		dg_csvw_dec(w, l->reduction_kw, -1);
	else
		dg_csvw_empty(w);
	if (l->has_mwh)
		dg_csvw_dec(w, l->mwh, mwh_scale >= 0 ? mwh_scale :
		    (l->mwh.scale < 3 ? 3 : -1));
	else
		dg_csvw_empty(w);
	if (l->has_price)
		dg_csvw_dec(w, l->price, pr->price_decimals > l->price.scale ?
		    pr->price_decimals : -1);
	else
		dg_csvw_empty(w);
	if (l->has_rate) {
		dg_csvw_dec(w, l->kw, -1);
		dg_csvw_dec(w, l->rate, -1);
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
	dg_csvw_dec(w, l->payment, 2);
	dg_csvw_str(w, l->note ? l->note : "");
	dg_csvw_str(w, l->quality ? l->quality : "");
}

static int
flush_total(struct payrun *pr)
{
	struct dg_settle_line t;

	if (!pr->have_ev)
		return DG_OK;
	memset(&t, 0, sizeof(t));
	t.site = pr->ev_site;
	t.event = pr->ev_event;
	t.program = pr->ev_program;
	t.payer = pr->ev_payer;
	t.t = INT64_MIN;
	t.kind = DG_SL_TOTAL;
	t.has_mwh = pr->ev_has_mwh;
	t.mwh = pr->ev_mwh;
	t.payment = pr->ev_pay;
	t.note = "sum of the lines above";
	pr->have_ev = 0;
	write_line(pr, &t);
	return dg_csvw_end_row(pr->w);
}

static int
emit_line(void *arg, const struct dg_settle_line *l)
{
	struct payrun *pr = arg;
	int st;

	if (pr->pf != NULL)
		return dg_settle_pf_add(pr->pf, l);
	if (pr->o->totals) {
		if (pr->have_ev && (strcmp(pr->ev_site, l->site) != 0 ||
		    strcmp(pr->ev_event, l->event) != 0) &&
		    (st = flush_total(pr)) != DG_OK)
			return st;
		if (!pr->have_ev) {
			pr->have_ev = 1;
			pr->ev_site = l->site;
			pr->ev_event = l->event;
			pr->ev_program = l->program;
			pr->ev_payer = l->payer;
			pr->ev_mwh = dg_dec_make(0, 3);
			pr->ev_pay = dg_dec_make(0, 2);
			pr->ev_has_mwh = 0;
		}
		if (l->has_mwh && (l->kind == DG_SL_EVENT ||
		    l->kind == DG_SL_CONTINUATION || l->kind == DG_SL_DA))
			pr->ev_has_mwh = 1;
		if ((l->has_mwh && (l->kind == DG_SL_EVENT ||
		    l->kind == DG_SL_CONTINUATION || l->kind == DG_SL_DA) &&
		    dg_dec_add(pr->ev_mwh, l->mwh, &pr->ev_mwh) != DG_OK) ||
		    dg_dec_add(pr->ev_pay, l->payment, &pr->ev_pay) != DG_OK)
			return DG_ERANGE;
	}
	write_line(pr, l);
	return dg_csvw_end_row(pr->w);
}

/* What pay reads besides its input. */
struct payin {
	struct dg_settle_programs progs;
	struct dg_events events;
	struct dg_settle_table offers, apmd;
	struct dg_sites sites;
	const struct dg_sites *ss;	/* &sites when read */
	struct dg_settle_prices *rt, *da;
	struct dg_settle s;
	struct dg_settle_checks checks;
	/* --from, --to */
	const struct opts *o;
	struct dg_events all;	/* every call of the file (events: those
				 * dated from..to) */
	unsigned char *met;	/* per call of events: a row met */
	long kept;		/* input rows kept */
};

static void
pay_release(struct payin *p)
{
	dg_events_release(&p->all);
	free(p->met);
	dg_settle_prices_free(p->rt);
	dg_settle_prices_free(p->da);
	dg_settle_programs_release(&p->progs);
	dg_events_release(&p->events);
	dg_settle_table_release(&p->offers);
	dg_settle_table_release(&p->apmd);
	if (p->ss)
		dg_sites_release(&p->sites);
}

/* Every name the events, offers and APMD give is in the file it refers
 * to: programs in the programs file, sites in sites.csv. */
static int
pay_check_names(struct payin *p, struct dg_error *err)
{
	const char **progs = NULL, **sites = NULL;
	size_t np = 0, ns = p->ss ? p->ss->n : 0;
	int st = DG_OK;

	if (dg_settle_programs_names(&p->progs, &progs, &np) != DG_OK ||
	    (sites = calloc(ns ? ns : 1, sizeof(*sites))) == NULL)
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; st == DG_OK && i < ns; i++)
		sites[i] = p->ss->v[i].site;
	if (st == DG_OK && p->s.events != NULL)
		st = dg_events_check_names(p->s.events, progs, np,
		    p->ss ? sites : NULL, ns, err);
	if (st == DG_OK && p->s.offers != NULL)
		st = dg_settle_table_check(p->s.offers, p->ss, &p->progs, err);
	if (st == DG_OK && p->s.apmd != NULL)
		st = dg_settle_table_check(p->s.apmd, p->ss, NULL, err);
	free(progs);
	free(sites);
	return st;
}

/* The programs, sites, calls, offers and APMD: files people edit. */
static int
pay_terms(const struct opts *o, struct payin *p, struct run *x,
    struct dg_error *err)
{
	const struct dg_csv_opts *aux = &o->cli.aux;
	int st;

	record(x, "programs", o->programs);
	record(x, "sites", o->sites);
	record(x, "events", o->events);
	record(x, "offers", o->offers);
	record(x, "apmd", o->apmd);
	if ((st = dg_settle_programs_read(&p->progs, o->programs, aux,
	    err)) != DG_OK)
		return st;
	if (o->sites) {
		if ((st = dg_sites_read(&p->sites, o->sites, aux,
		    err)) != DG_OK)
			return st;
		p->ss = &p->sites;
	}
	if ((o->events && (st = dg_events_read(&p->events, o->events, aux,
	    err)) != DG_OK) ||
	    (o->offers && (st = dg_settle_offers_read(&p->offers, o->offers,
	    aux, err)) != DG_OK) ||
	    (o->apmd && (st = dg_settle_apmd_read(&p->apmd, o->apmd, aux,
	    err)) != DG_OK))
		return st;
	p->s.events = o->events ? &p->events : NULL;
	p->s.offers = o->offers ? &p->offers : NULL;
	p->s.apmd = o->apmd ? &p->apmd : NULL;
	if ((st = pay_check_names(p, err)) != DG_OK ||
	    (o->events && (st = dg_settle_notices_check(&p->events,
	    err)) != DG_OK) || !o->dates || !o->events)
		return st;
	/* the calls of the dates; the others' rows are skipped */
	if ((st = dg_events_read(&p->all, o->events, aux, err)) != DG_OK)
		return st;
	if (dg_events_select(&p->events, o->from, o->to) == (size_t)-1 ||
	    (p->met = calloc(p->events.n ? p->events.n : 1, 1)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	return DG_OK;
}

/* With --from and --to: whether the input row is settled.  A row of a
 * call of the events file dated outside is skipped, one of a call the
 * file does not have is kept (and is an error); without events, a row
 * whose hour is dated outside is skipped. */
static int
pay_keep(void *arg, const struct dg_settle_row *row)
{
	struct payin *p = arg;
	const struct dg_event *e;
	dg_date d;

	if (p->s.events == NULL) {
		d = dg_date_of(row->t);
		return d >= p->o->from && d <= p->o->to ? (p->kept++, 1) : 0;
	}
	if ((e = dg_events_find(&p->events, row->event)) != NULL) {
		p->met[e - p->events.v] = 1;
		p->kept++;
		return 1;
	}
	return dg_events_find(&p->all, row->event) == NULL;
}

/* Whether row i is the first row of its call (a call may have several
 * rows). */
static int
first_of_call(const struct dg_events *ev, size_t i)
{
	return dg_events_find(ev, ev->v[i].id) == &ev->v[i];
}

/* After --from and --to: a month with calls and no row of them is an
 * error; a call without rows, or no call at all, is said. */
static int
pay_dates(const struct opts *o, const struct payin *p, const char *input,
    struct dg_error *err)
{
	char a[16], b[16];
	size_t ncalls = 0;

	if (!o->dates)
		return DG_OK;
	dg_date_format(o->from, a, sizeof(a));
	dg_date_format(o->to, b, sizeof(b));
	if (p->s.events == NULL) {
		if (p->kept == 0)
			dg_cli_warn("%s: no rows dated %s to %s", input, a, b);
		return DG_OK;
	}
	for (size_t i = 0; i < p->events.n; i++)
		if (first_of_call(&p->events, i))
			ncalls++;
	if (ncalls == 0) {
		dg_cli_warn("%s: no calls dated %s to %s: nothing to settle",
		    o->events, a, b);
		return DG_OK;
	}
	if (p->kept == 0)
		return dg_error_set(err, DG_EDATA, o->events, 0, NULL,
		    "%zu call%s dated %s to %s, and no row of %s belongs to %s",
		    ncalls, ncalls == 1 ? "" : "s", a, b, input,
		    ncalls == 1 ? "it" : "them");
	for (size_t i = 0; i < p->events.n; i++)
		if (first_of_call(&p->events, i) && !p->met[i])
			dg_cli_warn("%s:%ld: call %s: no row in %s (nothing settled)",
			    o->events, p->events.v[i].line, p->events.v[i].id,
			    input);
	return DG_OK;
}

static int
pay_load(const struct opts *o, struct payin *p, struct run *x,
    struct dg_error *err)
{
	struct wanted w;
	int st;

	memset(p, 0, sizeof(*p));
	if ((st = pay_terms(o, p, x, err)) != DG_OK)
		return st;
	w.events = p->s.events;
	w.programs = &p->progs;
	w.sites = p->ss;
	w.zone = o->zone;
	w.min_hours_rule = o->par.min_hours_rule;
	if ((st = read_prices(o, &w, &p->rt, &p->da, x, err)) != DG_OK)
		return st;
	p->s.par = o->par;
	if (o->portfolio)
		p->s.par.round_mwh = -1;	/* rounded on the portfolio's
						 * totals */
	p->s.programs = &p->progs;
	p->s.sites = p->ss;
	p->checks.strict = o->cli.strict;
	p->s.checks = &p->checks;
	p->s.rt = p->rt;
	p->s.da = p->da;
	return DG_OK;
}

/* "A, B, C": the zones of p, shortened to fit. */
static void
zone_list(const struct dg_settle_prices *p, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < dg_settle_prices_nzones(p); i++) {
		int w = snprintf(buf + k, n - k, "%s%s", k ? ", " : "",
		    dg_settle_prices_zone(p, i));

		if (w < 0 || (size_t)w >= n - k) {
			snprintf(buf + (n > 5 ? n - 5 : 0), 5, "...");
			return;
		}
		k += (size_t)w;
	}
}

/* The zone of site's prices: given, and known to the price files. */
static int
pay_zone(const struct opts *o, const struct payin *p, const char *site,
    const char **zone, struct dg_error *err)
{
	const struct dg_settle_prices *tab[2] = { p->rt, p->da };
	static const char *const which[2] = { "real-time", "day-ahead" };
	const struct dg_site *s = p->ss ? dg_sites_find(p->ss, site) : NULL;
	char zones[300];

	if ((*zone = site_zone(o, p->ss, site)) == NULL)
		return dg_error_set(err, DG_EDATA, o->sites, s ? s->line : 0,
		    "zone", "site %s has no zone", site);
	for (int i = 0; i < 2; i++) {
		if (tab[i] == NULL || dg_settle_prices_has_zone(tab[i], *zone))
			continue;
		zone_list(tab[i], zones, sizeof(zones));
		if (s == NULL)
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "--zone %s: not in the %s price files (zones: %s)",
			    *zone, which[i], zones);
		return dg_error_set(err, DG_EDATA, o->sites, s->line, "zone",
		    "site %s: zone \"%s\" is not in the %s price files (zones: %s)",
		    site, *zone, which[i], zones);
	}
	return DG_OK;
}

/* Settles the input site by site. */
static int
pay_sites(const struct opts *o, struct payin *p, struct dg_settle_input *in,
    const char *input, struct payrun *pr, struct dg_error *err)
{
	struct dg_settle_row *rows;
	const char *site, *zone;
	size_t n;
	int st;

	while ((st = dg_settle_input_next(in, &site, &rows, &n,
	    err)) == DG_OK) {
		if ((st = pay_zone(o, p, site, &zone, err)) != DG_OK)
			return st;
		if (pr->offered != NULL && dg_settle_offered_add(pr->offered,
		    &p->s, zone, rows, n) != DG_OK)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		st = dg_settle_site(&p->s, site, zone, rows, n, emit_line, pr,
		    input, err);
		if (st == DG_OK && pr->have_ev)
			st = flush_total(pr);
		if (st != DG_OK) {
			if (st == DG_EIO || st == DG_EPIPE)
				err->status = st;
			return st;
		}
	}
	if (st != DG_EOF || pr->pf == NULL)
		return st == DG_EOF ? DG_OK : st;
	/* the portfolio unit: the lines summed, then priced */
	{
		struct dg_settle_pf *pf = pr->pf;

		pr->pf = NULL;
		st = dg_settle_pf_emit(pf, o->par.round_mwh, emit_line, pr,
		    err);
		if (st == DG_OK && pr->have_ev)
			st = flush_total(pr);
		pr->pf = pf;
	}
	return st;
}

/* DADRP's minimum offer: each call, zone and hour scheduled below it is
 * said (below_min_offer), or with --strict an error. */
struct offcheck {
	const struct opts *o;
	const char *input;
	long n;
	struct dg_error *err;
};

static int
offered_low(void *arg, const struct dg_settle_offered_hour *h)
{
	struct offcheck *k = arg;
	char ts[DG_TIME_BUFSZ], kw[DG_DEC_BUFSZ], min[DG_DEC_BUFSZ];

	dg_time_format(h->t, ts, sizeof(ts));
	dg_dec_format(h->kw, kw, sizeof(kw));
	dg_dec_format(k->o->par.dadrp_min_kw, min, sizeof(min));
	k->n++;
	if (k->o->cli.strict)
		return dg_error_set(k->err, DG_EDATA, k->input, 0, NULL,
		    "call %s, zone %s, %s: %s kW scheduled over %ld site%s, below the %s kW minimum offer (below_min_offer; --strict)",
		    h->event, h->zone, ts, kw, h->sites,
		    h->sites == 1 ? "" : "s", min);
	dg_cli_warn("call %s, zone %s, %s: %s kW scheduled over %ld site%s, below the %s kW minimum offer (below_min_offer)",
	    h->event, h->zone, ts, kw, h->sites, h->sites == 1 ? "" : "s",
	    min);
	return DG_OK;
}

static int
pay_offered(const struct opts *o, struct payrun *pr, const char *input,
    struct dg_error *err)
{
	struct offcheck k = { o, input, 0, err };
	int st;

	if (pr->offered == NULL)
		return DG_OK;
	st = dg_settle_offered_check(pr->offered, o->par.dadrp_min_kw,
	    offered_low, &k);
	if (st == DG_ERANGE)
		return dg_error_set(err, st, input, 0, NULL,
		    "DADRP schedule out of range");
	if (st == DG_OK && k.n > 0)
		dg_cli_warn("%ld DADRP hour%s below the minimum offer (paid as scheduled)",
		    k.n, k.n == 1 ? "" : "s");
	return st;
}

int
cmd_pay(struct opts *o)
{
	static const char *const header[] = {
		"site", "event", "program", "payer", "time", "line",
		"reduction_kw", "energy_mwh", "price_usd_per_mwh", "demand_kw",
		"rate_usd_per_kw", "payment_usd", "note", "quality"
	};
	struct dg_settle_input *in = NULL;
	struct dg_csv *r = NULL;
	struct dg_error err;
	struct payrun pr;
	struct payin p;
	struct run x;
	int st;

	memset(&pr, 0, sizeof(pr));
	dg_error_clear(&err);
	required(o->programs, "pay: --programs FILE");
	run_init(o, &x);
	if ((st = pay_load(o, &p, &x, &err)) != DG_OK)
		goto done;
	if ((o->portfolio && dg_settle_pf_alloc(&pr.pf) != DG_OK) ||
	    (o->par.has_dadrp_min &&
	    dg_settle_offered_alloc(&pr.offered) != DG_OK)) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK ||
	    (st = dg_settle_input_open(&in, r, p.ss, o->cli.strict,
	    &err)) != DG_OK || (st = run_open(o, &x, &err)) != DG_OK)
		goto done;
	if (o->dates) {
		p.o = o;
		dg_settle_input_keep(in, pay_keep, &p);
	}
	pr.w = &x.w;
	pr.o = o;
	pr.price_decimals = o->po.decimals;
	if ((st = dg_csvw_header(&x.w, header, 14)) == DG_OK &&
	    (st = pay_sites(o, &p, in, dg_csv_name(r), &pr, &err)) == DG_OK &&
	    (st = pay_offered(o, &pr, dg_csv_name(r), &err)) == DG_OK)
		st = pay_dates(o, &p, dg_csv_name(r), &err);
	if (st == DG_OK || st == DG_EPIPE) {
		long flagged = dg_settle_input_flagged(in);

		if (flagged > 0)
			dg_cli_warn("%ld input row%s with a quality flag or no reduction (passed on)",
			    flagged, flagged == 1 ? "" : "s");
		for (int b = 0; b < DG_SF_N; b++)
			if (p.checks.lines[b] > 0)
				dg_cli_warn("%ld line%s flagged %s (quality column)",
				    p.checks.lines[b],
				    p.checks.lines[b] == 1 ? "" : "s",
				    dg_settle_flag_name(b));
		if (dg_csv_rows(r) == 0)
			dg_cli_warn("%s: no rows", dg_csv_name(r));
	}
done:
	st = run_end(o, &x, st, &err);
	dg_settle_input_close(in);
	dg_csv_close(r);
	dg_settle_pf_free(pr.pf);
	dg_settle_offered_free(pr.offered);
	pay_release(&p);
	return st;
}
