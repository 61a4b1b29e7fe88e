/* dg-econ: is a site worth enrolling: the yearly cash flows of the owner
 * and the aggregator with their NPV, IRR and payback over 1 to 5 years
 * (site), and the aggregator's portfolio view of the report's Table 7
 * (portfolio), each at low, expected and high program revenue. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_econ.h"

enum {
	OPT_ITEMS = DG_OPT_FIRST_OWN,
	OPT_KW,
	OPT_HOURS,
	OPT_SHARE,
	OPT_RATE,
	OPT_YEARS,
	OPT_STATEMENTS,
	OPT_SITE,
	OPT_PEAKHUNT,
	OPT_LOW,
	OPT_HIGH,
	OPT_FLOWS,
	OPT_PROFILES,
	OPT_PORTFOLIOS,
	OPT_WHOLE_SITES
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "items", required_argument, NULL, OPT_ITEMS },
	{ "kw", required_argument, NULL, OPT_KW },
	{ "hours", required_argument, NULL, OPT_HOURS },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "years", required_argument, NULL, OPT_YEARS },
	{ "statements", required_argument, NULL, OPT_STATEMENTS },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "peakhunt", required_argument, NULL, OPT_PEAKHUNT },
	{ "low", required_argument, NULL, OPT_LOW },
	{ "high", required_argument, NULL, OPT_HIGH },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "profiles", required_argument, NULL, OPT_PROFILES },
	{ "portfolios", required_argument, NULL, OPT_PORTFOLIOS },
	{ "whole-sites", no_argument, NULL, OPT_WHOLE_SITES },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-econ site --items FILE --kw KW [--hours H] [--share PCT]\n"
"               [--rate PCT] [--years N] [--statements FILE --site NAME]\n"
"               [--peakhunt FILE] [--low PCT] [--high PCT] [--flows FILE]\n"
"               [common options]\n"
"       dg-econ portfolio --items FILE --profiles FILE --portfolios FILE\n"
"               [--hours H] [--whole-sites] [--low PCT] [--high PCT]\n"
"               [common options]\n"
DG_CLI_USAGE);
	exit(status);
}

enum cmd { CMD_SITE, CMD_PORTFOLIO };
static const char *const scenario_names[] = { "low", "expected", "high" };

struct opts {
	struct dg_cli cli;
	enum cmd cmd;
	const char *items, *statements, *site, *peakhunt, *flows;
	const char *profiles, *portfolios;
	struct dg_econ_params p;
	dg_dec rate;		/* a fraction */
	dg_dec factor[3];	/* low, expected, high, % */
	int kw_given, whole_sites;
};

/* --- options -------------------------------------------------------- */

static enum cmd
parse_sub(const char *sub)
{
	if (strcmp(sub, "site") == 0)
		return CMD_SITE;
	if (strcmp(sub, "portfolio") == 0)
		return CMD_PORTFOLIO;
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
		usage(stdout, 0);
	if (strcmp(sub, "--version") == 0)
		dg_cli_version();
	dg_cli_warn("unknown subcommand \"%s\": site or portfolio", sub);
	usage(stderr, DG_EX_USAGE);
	return CMD_SITE;
}

/* --rate PCT: a percentage with at most 2 decimals, as a fraction. */
static dg_dec
rate_arg(const char *arg)
{
	dg_dec d = dg_cli_dec_arg("--rate", arg, "0", "100", usage);

	if (d.scale > 2) {
		dg_cli_warn("--rate: a percentage with at most 2 decimals: "
		    "\"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	d.scale += 2;
	return d;
}

static int
file_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_ITEMS:		o->items = arg; break;
	case OPT_STATEMENTS:	o->statements = arg; break;
	case OPT_SITE:		o->site = arg; break;
	case OPT_PEAKHUNT:	o->peakhunt = arg; break;
	case OPT_FLOWS:		o->flows = arg; break;
	case OPT_PROFILES:	o->profiles = arg; break;
	case OPT_PORTFOLIOS:	o->portfolios = arg; break;
	case OPT_WHOLE_SITES:	o->whole_sites = 1; break;
	default:		return 0;
	}
	return 1;
}

static int
value_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_KW:
		o->p.kw = dg_cli_dec_arg("--kw", arg, "0", "10000000", usage);
		o->kw_given = 1;
		break;
	case OPT_HOURS:
		o->p.hours = dg_cli_dec_arg("--hours", arg, "0", "8784", usage);
		break;
	case OPT_SHARE:
		o->p.share_pct = dg_cli_dec_arg("--share", arg, "0", "100",
		    usage);
		break;
	case OPT_RATE:
		o->rate = rate_arg(arg);
		break;
	case OPT_YEARS:
		o->p.years = dg_cli_int_arg("--years", arg, 1,
		    DG_ECON_MAX_YEARS, usage);
		break;
	case OPT_LOW:
		o->factor[0] = dg_cli_dec_arg("--low", arg, "0", "1000", usage);
		break;
	case OPT_HIGH:
		o->factor[2] = dg_cli_dec_arg("--high", arg, "0", "1000",
		    usage);
		break;
	default:
		return 0;
	}
	return 1;
}

/* What a subcommand needs, and what it does not take. */
static void
check(const struct opts *o)
{
	const char *miss = NULL;

	if (o->items == NULL)
		miss = "--items FILE";
	else if (o->cmd == CMD_SITE && !o->kw_given)
		miss = "--kw KW";
	else if (o->cmd == CMD_PORTFOLIO && o->profiles == NULL)
		miss = "--profiles FILE";
	else if (o->cmd == CMD_PORTFOLIO && o->portfolios == NULL)
		miss = "--portfolios FILE";
	else if ((o->statements == NULL) != (o->site == NULL))
		miss = o->site ? "--statements FILE" : "--site NAME";
	if (miss != NULL) {
		dg_cli_warn("%s is needed", miss);
		usage(stderr, DG_EX_USAGE);
	}
	if (o->cmd == CMD_PORTFOLIO && (o->kw_given || o->statements ||
	    o->peakhunt || o->flows)) {
		dg_cli_warn("portfolio: --kw, --statements, --peakhunt and --flows are for site");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->cmd == CMD_SITE && (o->profiles || o->portfolios ||
	    o->whole_sites)) {
		dg_cli_warn("site: --profiles, --portfolios and --whole-sites are for portfolio");
		usage(stderr, DG_EX_USAGE);
	}
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-econ");
	if (argc < 2)
		usage(stderr, DG_EX_USAGE);
	o->cmd = parse_sub(argv[1]);
	dg_econ_params_init(&o->p);
	o->rate = dg_dec_make(8, 2);
	o->factor[0] = dg_dec_make(50, 0);
	o->factor[1] = dg_dec_make(100, 0);
	o->factor[2] = dg_dec_make(150, 0);
	optind = 2;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage) ||
		    file_option(o, c, optarg) || value_option(o, c, optarg))
			continue;
		usage(stderr, DG_EX_USAGE);
	}
	if (optind != argc)
		usage(stderr, DG_EX_USAGE);
	check(o);
}

/* --- site ----------------------------------------------------------- */

struct site_in {
	struct dg_econ_items it;
	int have_hist, have_ph;
	int64_t hist_owner, hist_aggr, ph_saving, ph_cost;
};

static int
site_load(struct opts *o, struct site_in *in, struct dg_error *err)
{
	int st, years;

	if ((st = dg_econ_items_read(&in->it, o->items, &o->cli.aux,
	    err)) != DG_OK)
		return st;
	if (o->statements != NULL) {
		if ((st = dg_econ_history_read(o->statements, o->site,
		    &o->cli.csv, &in->hist_owner, &in->hist_aggr, &years,
		    err)) != DG_OK)
			return st;
		in->have_hist = 1;
	}
	if (o->peakhunt != NULL) {
		if ((st = dg_econ_peakhunt_read(o->peakhunt, &o->cli.csv,
		    &in->ph_saving, &in->ph_cost, err)) != DG_OK)
			return st;
		in->have_ph = 1;
	}
	return DG_OK;
}

/* The flows of both parties in one scenario. */
static int
site_flows(const struct site_in *in, const struct dg_econ_params *p,
    struct dg_econ_flows f[2], struct dg_error *err)
{
	int st;

	memset(f, 0, 2 * sizeof(*f));
	if ((st = dg_econ_add_items(&in->it, p, &f[0], &f[1], err)) != DG_OK)
		return st;
	if ((in->have_hist &&
	    ((st = dg_econ_add_yearly(&f[0], DG_ECON_PROGRAM, in->hist_owner,
	    p)) != DG_OK || (st = dg_econ_add_yearly(&f[1], DG_ECON_PROGRAM,
	    in->hist_aggr, p)) != DG_OK)) ||
	    (in->have_ph &&
	    ((st = dg_econ_add_yearly(&f[0], DG_ECON_SAVING, in->ph_saving,
	    p)) != DG_OK || (st = dg_econ_add_yearly(&f[0], DG_ECON_COST,
	    in->ph_cost, p)) != DG_OK)))
		return dg_error_set(err, st, NULL, 0, NULL,
		    "a year's flows overflow");
	return DG_OK;
}

static void
write_cents(struct dg_csvw *w, int64_t c)
{
	dg_csvw_dec(w, dg_dec_make(c, 2), -1);
}

/* The note of an IRR and a payback, in buf. */
static void
note(const struct dg_econ_irr *r, int paid, int years, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	if (r->status == DG_ECON_IRR_NONE && r->sign_changes == 0)
		k = snprintf(buf, n, "no IRR: the flows never change sign");
	else if (r->status == DG_ECON_IRR_NONE)
		k = snprintf(buf, n,
		    "no IRR: no rate above -100%% makes the NPV 0");
	else if (r->status == DG_ECON_IRR_OUT_OF_RANGE)
		k = snprintf(buf, n, "no IRR from %.0f%% to %.0f%%",
		    DG_ECON_IRR_LO * 100, DG_ECON_IRR_HI * 100);
	else if (r->status == DG_ECON_IRR_NOT_UNIQUE) {
		k = snprintf(buf, n, "IRR not unique: the NPV is 0 at");
		for (int i = 0; i < r->nroots && k < n; i++)
			k += snprintf(buf + k, n - k, "%s %.2f%%",
			    i == 0 ? "" : i + 1 == r->nroots ? " and" : ",",
			    r->roots[i] * 100);
	}
	if (!paid && k < n)
		snprintf(buf + k, n - k, "%sno payback within %d year%s",
		    k ? "; " : "", years, years == 1 ? "" : "s");
}

static int
site_row(struct dg_csvw *w, const struct opts *o, int sc, int party,
    const int64_t *cf, int n)
{
	struct dg_econ_irr r;
	int64_t npv;
	dg_dec pb;
	int paid, st;
	char buf[256];

	if ((st = dg_econ_npv(cf, n, o->rate, &npv)) != DG_OK ||
	    (st = dg_econ_irr(cf, n, &r)) != DG_OK ||
	    (st = dg_econ_payback(cf, n, &paid, &pb)) != DG_OK)
		return st;
	dg_csvw_str(w, scenario_names[sc]);
	dg_csvw_str(w, party ? "aggregator" : "owner");
	dg_csvw_int(w, n);
	write_cents(w, npv);
	if (r.status == DG_ECON_IRR_OK)
		dg_csvw_double(w, r.irr * 100, 2);
	else
		dg_csvw_empty(w);
	if (paid)
		dg_csvw_dec(w, pb, -1);
	else
		dg_csvw_empty(w);
	dg_csvw_int(w, r.sign_changes);
	note(&r, paid, n, buf, sizeof(buf));
	dg_csvw_str(w, buf);
	return dg_csvw_end_row(w);
}

static int
flow_rows(struct dg_csvw *w, int sc, int party, const struct dg_econ_flows *f,
    int years)
{
	int64_t cum = 0;

	for (int t = 0; t <= years; t++) {
		cum += dg_econ_net(f, t);
		dg_csvw_str(w, scenario_names[sc]);
		dg_csvw_str(w, party ? "aggregator" : "owner");
		dg_csvw_int(w, t);
		write_cents(w, f->cost[t]);
		write_cents(w, f->program[t]);
		write_cents(w, f->saving[t]);
		write_cents(w, dg_econ_net(f, t));
		write_cents(w, cum);
		if (dg_csvw_end_row(w) != DG_OK)
			return w->status;
	}
	return DG_OK;
}

static int
site_scenario(struct opts *o, const struct site_in *in, int sc,
    struct dg_csvw *w, struct dg_csvw *fw, struct dg_error *err)
{
	struct dg_econ_flows f[2];
	struct dg_econ_params p = o->p;
	int64_t cf[DG_ECON_MAX_YEARS + 1];
	int st;

	p.factor_pct = o->factor[sc];
	if ((st = site_flows(in, &p, f, err)) != DG_OK)
		return st;
	for (int party = 0; party < 2; party++) {
		for (int t = 0; t <= p.years; t++)
			cf[t] = dg_econ_net(&f[party], t);
		for (int n = 1; n <= p.years; n++)
			if ((st = site_row(w, o, sc, party, cf, n)) != DG_OK)
				return dg_error_set(err, st, NULL, 0, NULL,
				    "%s", st == DG_ERANGE ?
				    "the NPV overflows" : dg_strerror(st));
		if (fw && (st = flow_rows(fw, sc, party, &f[party],
		    p.years)) != DG_OK)
			return st;
	}
	return DG_OK;
}

static int
run_site(struct opts *o)
{
	static const char *const hdr[] = { "scenario", "party", "years",
	    "npv_usd", "irr_pct", "payback_years", "sign_changes", "note" };
	static const char *const fhdr[] = { "scenario", "party", "year",
	    "cost_usd", "program_usd", "saving_usd", "net_usd",
	    "cumulative_usd" };
	struct site_in in = { .have_hist = 0 };
	struct dg_error err;
	struct dg_csvw w, fw;
	struct dg_out *out[2] = { NULL, NULL };
	int st;

	dg_error_clear(&err);
	out[0] = dg_cli_open_output(&o->cli, &w);
	if (o->flows)
		out[1] = dg_cli_open_more(&o->cli, o->flows, &fw);
	if ((st = site_load(o, &in, &err)) == DG_OK &&
	    (st = dg_csvw_header(&w, hdr, 8)) == DG_OK &&
	    (!o->flows || (st = dg_csvw_header(&fw, fhdr, 8)) == DG_OK))
		for (int sc = 0; sc < 3 && st == DG_OK; sc++)
			st = site_scenario(o, &in, sc, &w,
			    o->flows ? &fw : NULL, &err);
	dg_econ_items_release(&in.it);
	return dg_cli_finish_all(out, 2, st, &err);
}

/* --- portfolio ------------------------------------------------------ */

struct port {
	struct dg_econ_items it;
	struct dg_econ_profiles pr;
	struct dg_econ_mixes mx;
};

static void
line_row(struct dg_csvw *w, int sc, const char *pf, const char *period,
    const char *line, const char *item)
{
	dg_csvw_str(w, scenario_names[sc]);
	dg_csvw_str(w, pf);
	dg_csvw_str(w, period);
	dg_csvw_str(w, line);
	dg_csvw_str(w, item);
}

static int
money_row(struct dg_csvw *w, int sc, const char *pf, const char *period,
    const char *line, const char *item, int64_t cents)
{
	line_row(w, sc, pf, period, line, item);
	dg_csvw_empty(w);
	write_cents(w, cents);
	return dg_csvw_end_row(w);
}

/* The mw, sites and sites-whole lines of the profiles of mx->v[a..b). */
static int
size_rows(struct dg_csvw *w, const struct port *pt, int sc, size_t a,
    size_t b, const struct dg_econ_part *part)
{
	for (size_t i = a; i < b; i++) {
		const struct dg_econ_mix *m = &pt->mx.v[i];
		const char *name = pt->pr.v[m->profile].name;

		line_row(w, sc, m->portfolio, "", "mw", name);
		dg_csvw_dec(w, m->mw, -1);
		dg_csvw_empty(w);
		dg_csvw_end_row(w);
		line_row(w, sc, m->portfolio, "", "sites", name);
		dg_csvw_dec(w, part[i - a].sites, 3);
		dg_csvw_empty(w);
		dg_csvw_end_row(w);
		line_row(w, sc, m->portfolio, "", "sites-whole", name);
		dg_csvw_int(w, part[i - a].whole);
		dg_csvw_empty(w);
		if (dg_csvw_end_row(w) != DG_OK)
			return w->status;
	}
	return DG_OK;
}

/* An item's amount in a period: first = years 0 and 1, later = year 2. */
static int
item_period(const struct dg_econ_item *e, const struct dg_econ_params *p,
    int later, int64_t *cents)
{
	int64_t a;
	int st;

	if (later)
		return dg_econ_item_amount(e, p, 2, cents);
	if ((st = dg_econ_item_amount(e, p, 0, &a)) != DG_OK ||
	    (st = dg_econ_item_amount(e, p, 1, cents)) != DG_OK)
		return st;
	*cents += a;
	return DG_OK;
}

/* The revenue (cost = 0) or cost lines of the items, and their sum. */
static int
item_rows(struct dg_csvw *w, const struct port *pt, int sc, const char *pf,
    const struct dg_econ_params *p, int later, int cost, int64_t *sum)
{
	const char *period = later ? "later" : "first";

	for (size_t i = 0; i < pt->it.n; i++) {
		const struct dg_econ_item *e = &pt->it.v[i];
		int64_t c;

		if ((e->kind == DG_ECON_COST) != cost)
			continue;
		if (item_period(e, p, later, &c) != DG_OK)
			return DG_ERANGE;
		if (c == 0 && later && (e->basis == DG_ECON_ONCE ||
		    e->basis == DG_ECON_KW))
			continue;
		*sum += c;
		if (money_row(w, sc, pf, period, cost ? "cost" : "revenue",
		    e->name, c) != DG_OK)
			return w->status;
	}
	return DG_OK;
}

static int
part_rows(struct dg_csvw *w, const struct port *pt, int sc, size_t a,
    size_t b, const struct dg_econ_part *part, int later, int64_t *sum)
{
	char name[256];

	for (size_t i = a; i < b && !later; i++) {
		snprintf(name, sizeof(name), "capital %s",
		    pt->pr.v[pt->mx.v[i].profile].name);
		*sum += part[i - a].capital;
		if (money_row(w, sc, pt->mx.v[a].portfolio, "first", "cost",
		    name, part[i - a].capital) != DG_OK)
			return w->status;
	}
	for (size_t i = a; i < b; i++) {
		snprintf(name, sizeof(name), "generating %s",
		    pt->pr.v[pt->mx.v[i].profile].name);
		*sum += part[i - a].generating;
		if (money_row(w, sc, pt->mx.v[a].portfolio, later ? "later" :
		    "first", "cost", name, part[i - a].generating) != DG_OK)
			return w->status;
	}
	return DG_OK;
}

static int
period_rows(struct dg_csvw *w, const struct port *pt, int sc, size_t a,
    size_t b, const struct dg_econ_part *part,
    const struct dg_econ_params *p, int later)
{
	const char *pf = pt->mx.v[a].portfolio;
	const char *period = later ? "later" : "first";
	int64_t rev = 0, cost = 0;
	int st;

	if ((st = item_rows(w, pt, sc, pf, p, later, 0, &rev)) != DG_OK ||
	    (st = money_row(w, sc, pf, period, "revenue", "total", rev)) !=
	    DG_OK ||
	    (st = part_rows(w, pt, sc, a, b, part, later, &cost)) != DG_OK ||
	    (st = item_rows(w, pt, sc, pf, p, later, 1, &cost)) != DG_OK ||
	    (st = money_row(w, sc, pf, period, "cost", "total", cost)) != DG_OK)
		return st;
	return money_row(w, sc, pf, period, "net", "", rev - cost);
}

/* One portfolio, the mixes a..b, in one scenario. */
static int
portfolio_rows(struct dg_csvw *w, const struct opts *o, const struct port *pt,
    int sc, size_t a, size_t b, struct dg_error *err)
{
	struct dg_econ_part part[64];
	struct dg_econ_params p = o->p;
	dg_dec kw = dg_dec_make(0, 0);
	int st;

	if (b - a > 64)
		return dg_error_set(err, DG_EDATA, o->portfolios,
		    pt->mx.v[a].line, "portfolio",
		    "more than 64 profiles in one portfolio");
	for (size_t i = a; i < b; i++) {
		const struct dg_econ_mix *m = &pt->mx.v[i];

		if (dg_econ_part(&pt->pr.v[m->profile], m->mw, p.hours,
		    o->whole_sites, &part[i - a]) != DG_OK ||
		    dg_dec_add(kw, m->mw, &kw) != DG_OK)
			return dg_error_set(err, DG_ERANGE, o->portfolios,
			    m->line, "mw", "the portfolio's costs overflow");
	}
	p.kw = dg_dec_make(kw.v * 1000, kw.scale);
	p.factor_pct = o->factor[sc];
	p.years = 2;
	if ((st = size_rows(w, pt, sc, a, b, part)) != DG_OK ||
	    (st = period_rows(w, pt, sc, a, b, part, &p, 0)) != DG_OK ||
	    (st = period_rows(w, pt, sc, a, b, part, &p, 1)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "%s",
		    st == DG_ERANGE ? "an amount overflows" : dg_strerror(st));
	return DG_OK;
}

static int
run_portfolio(struct opts *o)
{
	static const char *const hdr[] = { "scenario", "portfolio", "period",
	    "line", "item", "quantity", "amount_usd" };
	struct port pt;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	int st;

	memset(&pt, 0, sizeof(pt));
	dg_error_clear(&err);
	out = dg_cli_open_output(&o->cli, &w);
	if ((st = dg_econ_items_read(&pt.it, o->items, &o->cli.aux, &err)) ==
	    DG_OK && (st = dg_econ_profiles_read(&pt.pr, o->profiles,
	    &o->cli.aux, &err)) == DG_OK && (st = dg_econ_mixes_read(&pt.mx,
	    o->portfolios, &pt.pr, &o->cli.aux, &err)) == DG_OK)
		st = dg_csvw_header(&w, hdr, 7);
	for (int sc = 0; sc < 3 && st == DG_OK; sc++)
		for (size_t a = 0, b; a < pt.mx.n && st == DG_OK; a = b) {
			for (b = a + 1; b < pt.mx.n &&
			    strcmp(pt.mx.v[b].portfolio,
			    pt.mx.v[a].portfolio) == 0; b++)
				;
			st = portfolio_rows(&w, o, &pt, sc, a, b, &err);
		}
	dg_econ_items_release(&pt.it);
	dg_econ_profiles_release(&pt.pr);
	dg_econ_mixes_release(&pt.mx);
	return dg_cli_finish(out, st, &err);
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return o.cmd == CMD_SITE ? run_site(&o) : run_portfolio(&o);
}
