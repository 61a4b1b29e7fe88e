/* dg-settle: demand-response payments, participant statements, the shadow
 * settlement of the direct-customer strategy, the curtailment performance
 * report and the hourly prices they use. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "dg_manifest.h"
#include "dg_settle.h"
#include "dg_sites.h"

enum {
	OPT_PROGRAMS = DG_OPT_FIRST_OWN,
	OPT_SITES,
	OPT_ZONE,
	OPT_RT,
	OPT_DA,
	OPT_EVENTS,
	OPT_OFFERS,
	OPT_APMD,
	OPT_NET_NEGATIVE,
	OPT_MIN_HOURS,
	OPT_ROUND_MWH,
	OPT_PRICE_DECIMALS,
	OPT_MAX_INTERVAL,
	OPT_RT_STAMPS,
	OPT_UNIT,
	OPT_TOTALS,
	OPT_MANIFEST,
	OPT_CONTRACTS,
	OPT_DELIVERY,
	OPT_LINES,
	OPT_MONTHS,
	OPT_FORMAT,
	OPT_EVENT,
	OPT_SITE_DECIMALS,
	OPT_TOTAL_DECIMALS,
	OPT_KW_DECIMALS,
	OPT_FROM,
	OPT_TO,
	OPT_OLD_MANIFEST,
	OPT_NEW_MANIFEST,
	OPT_STATEMENTS
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "programs", required_argument, NULL, OPT_PROGRAMS },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "rt-prices", required_argument, NULL, OPT_RT },
	{ "da-prices", required_argument, NULL, OPT_DA },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "offers", required_argument, NULL, OPT_OFFERS },
	{ "apmd", required_argument, NULL, OPT_APMD },
	{ "net-negative", no_argument, NULL, OPT_NET_NEGATIVE },
	{ "min-hours", no_argument, NULL, OPT_MIN_HOURS },
	{ "round-mwh", required_argument, NULL, OPT_ROUND_MWH },
	{ "price-decimals", required_argument, NULL, OPT_PRICE_DECIMALS },
	{ "max-interval", required_argument, NULL, OPT_MAX_INTERVAL },
	{ "rt-stamps", required_argument, NULL, OPT_RT_STAMPS },
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "totals", no_argument, NULL, OPT_TOTALS },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ "contracts", required_argument, NULL, OPT_CONTRACTS },
	{ "delivery", required_argument, NULL, OPT_DELIVERY },
	{ "lines", required_argument, NULL, OPT_LINES },
	{ "months", no_argument, NULL, OPT_MONTHS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "site-decimals", required_argument, NULL, OPT_SITE_DECIMALS },
	{ "total-decimals", required_argument, NULL, OPT_TOTAL_DECIMALS },
	{ "kw-decimals", required_argument, NULL, OPT_KW_DECIMALS },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "old-manifest", required_argument, NULL, OPT_OLD_MANIFEST },
	{ "new-manifest", required_argument, NULL, OPT_NEW_MANIFEST },
	{ "statements", required_argument, NULL, OPT_STATEMENTS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-settle pay --programs FILE [--sites FILE | --zone NAME]\n"
"           [--rt-prices FILE] [--da-prices FILE] [--events FILE]\n"
"           [--offers FILE] [--apmd FILE] [--net-negative] [--min-hours]\n"
"           [--round-mwh N] [--kw-decimals N] [--unit site | portfolio]\n"
"           [--totals] [--from DATE --to DATE] [price options]\n"
"           [--manifest FILE] [common options] [FILE]\n"
"       dg-settle statement --contracts FILE [--sites FILE]\n"
"           [--programs FILE] [--manifest FILE] [common options] [FILE]\n"
"       dg-settle shadow --da-prices FILE --rt-prices FILE\n"
"           [--sites FILE | --zone NAME] [--delivery USD] [--lines FILE]\n"
"           [--format csv | text] [price options] [--manifest FILE]\n"
"           [common options] [FILE]\n"
"       dg-settle shadow --months [--delivery USD] [--format csv | text]\n"
"           [common options] [FILE]\n"
"       dg-settle report [--event ID] [--from DATE --to DATE]\n"
"           [--format csv | text] [--site-decimals N] [--total-decimals N]\n"
"           [--manifest FILE] [common options] [FILE]\n"
"       dg-settle prices [--rt-prices FILE] [--da-prices FILE] [--zone NAME]\n"
"           [price options] [--manifest FILE] [common options]\n"
"       dg-settle verify MANIFEST...\n"
"       dg-settle summary [--statements FILE] [--manifest FILE]\n"
"           [common options] [FILE]\n"
"       dg-settle delta [--old-manifest FILE]... [--new-manifest FILE]...\n"
"           [--format csv | text] [--manifest FILE] [common options]\n"
"           OLD NEW\n"
"price options: [--price-decimals N] [--max-interval MIN]\n"
"               [--rt-stamps end | start]\n"
DG_CLI_USAGE);
	exit(status);
}

#define MAXFILES 64

enum cmd {
	CMD_PAY, CMD_STATEMENT, CMD_SHADOW, CMD_REPORT, CMD_PRICES, CMD_VERIFY,
	CMD_DELTA, CMD_SUMMARY
};

struct opts {
	struct dg_cli cli;
	enum cmd cmd;
	const char *input;
	const char *programs, *sites, *zone, *events, *offers, *apmd;
	const char *contracts, *manifest, *lines, *event, *statements;
	const char *rt[MAXFILES], *da[MAXFILES];
	int nrt, nda;
	const char *oldm[MAXFILES], *newm[MAXFILES];	/* delta's manifests */
	int noldm, nnewm;
	struct dg_settle_params par;
	struct dg_settle_price_opts po;
	int portfolio, totals, months, text;
	int site_decimals, total_decimals;
	dg_date from, to;	/* --from, --to: dates selected (inclusive) */
	int dates;		/* --from or --to given */
	dg_dec delivery;
	int argc;
	char **argv;
	char **args;		/* the operands */
	int nargs;
};

/* --- Options --------------------------------------------------------------- */

static void
add_file(const char **v, int *n, const char *opt, const char *arg)
{
	if (*n == MAXFILES) {
		dg_cli_warn("%s: at most %d files", opt, MAXFILES);
		usage(stderr, DG_EX_USAGE);
	}
	v[(*n)++] = arg;
}

static void
required(const char *have, const char *what)
{
	if (have == NULL) {
		dg_cli_warn("%s is required", what);
		usage(stderr, DG_EX_USAGE);
	}
}

/* An option of dg-settle's own (not a common one). */
static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const stamps[] = { "end", "start", NULL };
	static const char *const units[] = { "site", "portfolio", NULL };
	static const char *const formats[] = { "csv", "text", NULL };

	switch (c) {
	case OPT_PROGRAMS:	o->programs = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_ZONE:
		o->zone = dg_cli_zone_arg("--zone", "NYISO", arg, usage);
		break;
	case OPT_RT:		add_file(o->rt, &o->nrt, "--rt-prices", arg); break;
	case OPT_DA:		add_file(o->da, &o->nda, "--da-prices", arg); break;
	case OPT_OLD_MANIFEST:
		add_file(o->oldm, &o->noldm, "--old-manifest", arg);
		break;
	case OPT_NEW_MANIFEST:
		add_file(o->newm, &o->nnewm, "--new-manifest", arg);
		break;
	case OPT_EVENTS:	o->events = arg; break;
	case OPT_OFFERS:	o->offers = arg; break;
	case OPT_APMD:		o->apmd = arg; break;
	case OPT_NET_NEGATIVE:	o->par.net_negative = 1; break;
	case OPT_MIN_HOURS:	o->par.min_hours_rule = 1; break;
	case OPT_TOTALS:	o->totals = 1; break;
	case OPT_MANIFEST:	o->manifest = arg; break;
	case OPT_CONTRACTS:	o->contracts = arg; break;
	case OPT_LINES:		o->lines = arg; break;
	case OPT_MONTHS:	o->months = 1; break;
	case OPT_EVENT:		o->event = arg; break;
	case OPT_STATEMENTS:	o->statements = arg; break;
	case OPT_ROUND_MWH:
		o->par.round_mwh = dg_cli_int_arg("--round-mwh", arg, 0, 6, usage);
		break;
	case OPT_KW_DECIMALS:
		o->par.kw_decimals = dg_cli_int_arg("--kw-decimals", arg, 0, 9, usage);
		break;
	case OPT_PRICE_DECIMALS:
		o->po.decimals = dg_cli_int_arg("--price-decimals", arg, 2, 9, usage);
		break;
	case OPT_MAX_INTERVAL:
		o->po.max_interval_s = 60 *
		    dg_cli_int_arg("--max-interval", arg, 1, 60, usage);
		break;
	case OPT_SITE_DECIMALS:
		o->site_decimals = dg_cli_int_arg("--site-decimals", arg, 0, 9, usage);
		break;
	case OPT_TOTAL_DECIMALS:
		o->total_decimals = dg_cli_int_arg("--total-decimals", arg, 0, 9,
		    usage);
		break;
	case OPT_RT_STAMPS:
		o->po.stamp_end = dg_cli_keyword_arg("--rt-stamps", arg, stamps,
		    usage) == 0;
		break;
	case OPT_UNIT:
		o->portfolio = dg_cli_keyword_arg("--unit", arg, units, usage);
		break;
	case OPT_FORMAT:
		o->text = dg_cli_keyword_arg("--format", arg, formats, usage);
		break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		o->dates |= 1;
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		o->dates |= 2;
		break;
	case OPT_DELIVERY:
		o->delivery = dg_cli_dec_arg("--delivery", arg, "0", "100000", usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static enum cmd
command(const char *name)
{
	static const char *const names[] = { "pay", "statement", "shadow",
	    "report", "prices", "verify", "delta", "summary", NULL };

	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(name, names[i]) == 0)
			return (enum cmd)i;
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
		usage(stdout, 0);
	if (strcmp(name, "--version") == 0)
		dg_cli_version();
	dg_cli_warn("unknown command \"%s\": pay, statement, shadow, report, prices, verify, delta or summary",
	    name);
	usage(stderr, DG_EX_USAGE);
	return CMD_PAY;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-settle");
	dg_settle_params_init(&o->par);
	dg_settle_price_opts_init(&o->po);
	o->site_decimals = 3;
	o->total_decimals = 1;
	o->delivery = dg_dec_make(5500, 2);
	o->argc = argc;
	o->argv = argv;
	if (argc < 2)
		usage(stderr, DG_EX_USAGE);
	o->cmd = command(argv[1]);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	argc -= optind;
	argv += optind;
	o->args = argv;
	o->nargs = argc;
	if (o->cmd != CMD_VERIFY && o->cmd != CMD_DELTA &&
	    (argc > 1 || (argc == 1 && o->cmd == CMD_PRICES)))
		usage(stderr, DG_EX_USAGE);
	if (o->dates && (o->dates != 3 || o->from > o->to)) {
		dg_cli_warn(o->dates != 3 ? "--from and --to go together" :
		    "--from is after --to");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->sites && o->zone) {
		dg_cli_warn("--sites and --zone exclude each other");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->manifest && o->cli.output && strcmp(o->manifest, o->cli.output) == 0) {
		dg_cli_warn("--manifest and -o name the same file");
		usage(stderr, DG_EX_USAGE);
	}
	o->input = argc == 1 ? argv[0] : "-";
}

/* --- Outputs and the manifest ------------------------------------------ */

/* What a run writes: the main output (-o FILE or standard output),
 * --lines, and the manifest, opened together before anything is written
 * and committed together: a failed run leaves none of them. */
struct run {
	struct dg_out *out, *lines;
	struct dg_csvw w;	/* on out */
	struct dg_cli_manifest mr;	/* --manifest (cmd/cli.h) */
};

static void
run_init(const struct opts *o, struct run *x)
{
	memset(x, 0, sizeof(*x));
	dg_cli_manifest_init(&x->mr, "dg-settle", o->manifest, o->argc,
	    o->argv);
	if (o->cmd != CMD_PRICES)
		dg_cli_manifest_input(&x->mr, "input", o->input);
}

/* Records an input file for the manifest (path NULL: none). */
static void
record(struct run *x, const char *role, const char *path)
{
	dg_cli_manifest_input(&x->mr, role, path);
}

/* Opens the outputs (the main one exits 73 by itself when it cannot). */
static int
run_open(struct opts *o, struct run *x, struct dg_error *err)
{
	int st;

	x->out = dg_cli_open_output(&o->cli, &x->w);
	if (o->lines && (st = dg_out_open(&x->lines, o->lines, err)) != DG_OK)
		return st;
	if ((st = dg_cli_manifest_open(&x->mr, err)) != DG_OK)
		return st;
	return DG_OK;
}

/* The manifest, with the hashes of the outputs as they will be
 * committed. */
static int
run_manifest(const struct opts *o, struct run *x, struct dg_error *err)
{
	struct dg_out *outs[2] = { x->out, x->lines };
	const char *names[2] = { o->cli.output, o->lines };
	static const char *const roles[2] = { "output", "lines" };

	return dg_cli_manifest_write(&x->mr, outs, names, roles, 2, err);
}

/* Ends a run with status st: on success the manifest is written and every
 * output committed together; otherwise none is, and err is reported.
 * Returns the exit status. */
static int
run_end(const struct opts *o, struct run *x, int st, struct dg_error *err)
{
	struct dg_out *all[3];
	struct dg_error ce;

	if ((st == DG_OK || st == DG_EPIPE) && x->mr.out != NULL)
		st = run_manifest(o, x, err);
	all[0] = x->out;
	all[1] = x->lines;
	all[2] = x->mr.out;
	dg_cli_manifest_release(&x->mr);
	x->out = x->lines = x->mr.out = NULL;
	if (st != DG_OK && st != DG_EPIPE) {
		dg_out_abort(all[1]);
		dg_out_abort(all[2]);
		if (all[0] == NULL)
			return dg_cli_report(err);
		return dg_cli_finish(all[0], st, err);	/* removes it, reports */
	}
	dg_error_clear(&ce);
	st = dg_out_commit_all(all, 3, &ce);
	(void)dg_cli_finish(NULL, DG_OK, NULL);	/* forgets the output */
	if (st != DG_OK && st != DG_EPIPE)
		return dg_cli_report(&ce);
	return DG_EX_OK;
}

/* Opens the main input; with a manifest, standard input is spooled to a
 * temporary file first so that it can be hashed. */
static int
open_input(struct opts *o, struct run *x, struct dg_csv **r,
    struct dg_error *err)
{
	FILE *fp;

	if ((fp = dg_cli_manifest_stdin(&x->mr, o->input, err)) != NULL)
		return dg_csv_open_fp(r, fp, "-", &o->cli.csv, err);
	if (err->status != DG_OK)
		return err->status;
	return dg_csv_open(r, o->input, &o->cli.csv, err);
}

/* --- Common readers ---------------------------------------------------------- */

/* What pay prices: the hours of the calls (and the minimum-hours hours
 * after them) when the events are known, in the sites' zones. */
struct wanted {
	const struct dg_events *events;
	const struct dg_settle_programs *programs;
	const struct dg_sites *sites;
	const char *zone;
	int min_hours_rule;
};

static int
want(struct dg_settle_prices *p, const struct wanted *w)
{
	int maxh = 0, st = DG_OK;

	if (w == NULL)
		return DG_OK;
	if (w->events != NULL) {
		for (size_t i = 0; w->min_hours_rule && i < w->programs->n; i++)
			if (w->programs->v[i].min_hours > maxh)
				maxh = w->programs->v[i].min_hours;
		for (size_t i = 0; i < w->events->n && st == DG_OK; i++) {
			const struct dg_event *e = &w->events->v[i];
			dg_time end = e->start + (dg_time)maxh * 3600;

			st = dg_settle_prices_keep(p, e->start,
			    end > e->end ? end : e->end);
		}
		/* no call, no price needed: keep an empty span */
		if (st == DG_OK && w->events->n == 0)
			st = dg_settle_prices_keep(p, 0, 1);
	}
	if (w->sites != NULL) {
		for (size_t i = 0; i < w->sites->n && st == DG_OK; i++)
			if (w->sites->v[i].zone != NULL && w->sites->v[i].zone[0])
				st = dg_settle_prices_keep_zone(p, w->sites->v[i].zone);
		if (st == DG_OK)	/* no zone: none wanted */
			st = dg_settle_prices_keep_zone(p, "");
	} else if (st == DG_OK)
		st = dg_settle_prices_keep_zone(p, w->zone ? w->zone : "");
	return st;
}

static int
read_prices(const struct opts *o, const struct wanted *w,
    struct dg_settle_prices **rt, struct dg_settle_prices **da,
    struct run *x, struct dg_error *err)
{
	struct dg_settle_price_opts po = o->po;
	int st;

	*rt = *da = NULL;
	if (o->nrt > 0) {
		if ((st = dg_settle_prices_alloc(rt)) != DG_OK ||
		    (st = want(*rt, w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
		for (int i = 0; i < o->nrt; i++) {
			record(x, "rt-prices", o->rt[i]);
			if ((st = dg_settle_prices_read(*rt, o->rt[i], &o->cli.csv,
			    &po, err)) != DG_OK)
				return st;
		}
	}
	if (o->nda > 0) {
		po.stamp_end = 0;
		if ((st = dg_settle_prices_alloc(da)) != DG_OK ||
		    (st = want(*da, w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
		for (int i = 0; i < o->nda; i++) {
			record(x, "da-prices", o->da[i]);
			if ((st = dg_settle_prices_read(*da, o->da[i], &o->cli.csv,
			    &po, err)) != DG_OK)
				return st;
		}
	}
	return DG_OK;
}

/* The zone of a site's prices. */
static const char *
site_zone(const struct opts *o, const struct dg_sites *ss, const char *site)
{
	const struct dg_site *s;

	if (ss == NULL)
		return o->zone ? o->zone : "";
	s = dg_sites_find(ss, site);
	if (s == NULL || s->zone == NULL || s->zone[0] == '\0')
		return NULL;
	return s->zone;
}

/* --- pay -------------------------------------------------------------------- */

struct payrun {
	struct dg_csvw *w;
	const struct opts *o;
	struct dg_settle_pf *pf;
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
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
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
		if ((st = dg_sites_read(&p->sites, o->sites, aux, err)) != DG_OK)
			return st;
		p->ss = &p->sites;
	}
	if ((o->events && (st = dg_events_read(&p->events, o->events, aux,
	    err)) != DG_OK) ||
	    (o->offers && (st = dg_settle_offers_read(&p->offers, o->offers, aux,
	    err)) != DG_OK) ||
	    (o->apmd && (st = dg_settle_apmd_read(&p->apmd, o->apmd, aux,
	    err)) != DG_OK))
		return st;
	p->s.events = o->events ? &p->events : NULL;
	p->s.offers = o->offers ? &p->offers : NULL;
	p->s.apmd = o->apmd ? &p->apmd : NULL;
	if ((st = pay_check_names(p, err)) != DG_OK || !o->dates || !o->events)
		return st;
	/* the calls of the dates; the others' rows are skipped */
	if ((st = dg_events_read(&p->all, o->events, aux, err)) != DG_OK)
		return st;
	if (dg_events_select(&p->events, o->from, o->to) == (size_t)-1 ||
	    (p->met = calloc(p->events.n ? p->events.n : 1, 1)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
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
		if (dg_events_find(&p->events, p->events.v[i].id) == &p->events.v[i])
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
		if (dg_events_find(&p->events, p->events.v[i].id) == &p->events.v[i] &&
		    !p->met[i])
			dg_cli_warn("%s:%ld: call %s: no row in %s (nothing settled)",
			    o->events, p->events.v[i].line, p->events.v[i].id, input);
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
		p->s.par.round_mwh = -1;	/* rounded on the portfolio totals */
	p->s.programs = &p->progs;
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

	while ((st = dg_settle_input_next(in, &site, &rows, &n, err)) == DG_OK) {
		if ((st = pay_zone(o, p, site, &zone, err)) != DG_OK)
			return st;
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
		st = dg_settle_pf_emit(pf, o->par.round_mwh, emit_line, pr, err);
		if (st == DG_OK && pr->have_ev)
			st = flush_total(pr);
		pr->pf = pf;
	}
	return st;
}

static int
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
	if (o->portfolio && dg_settle_pf_alloc(&pr.pf) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
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
	    (st = pay_sites(o, &p, in, dg_csv_name(r), &pr, &err)) == DG_OK)
		st = pay_dates(o, &p, dg_csv_name(r), &err);
	if (st == DG_OK || st == DG_EPIPE) {
		long flagged = dg_settle_input_flagged(in);

		if (flagged > 0)
			dg_cli_warn("%ld input row%s with a quality flag or no reduction (passed on)",
			    flagged, flagged == 1 ? "" : "s");
		if (dg_csv_rows(r) == 0)
			dg_cli_warn("%s: no rows", dg_csv_name(r));
	}
done:
	st = run_end(o, &x, st, &err);
	dg_settle_input_close(in);
	dg_csv_close(r);
	dg_settle_pf_free(pr.pf);
	pay_release(&p);
	return st;
}

/* --- statement ---------------------------------------------------------- */

static int
emit_stmt(void *arg, const struct dg_settle_stmt_out *so)
{
	struct dg_csvw *w = arg;
	static const char *const rows[] = { "line", "participant", "portfolio",
	    "payer" };

	dg_csvw_str(w, so->participant);
	dg_csvw_str(w, so->month);
	dg_csvw_str(w, rows[so->row]);
	dg_csvw_str(w, so->site);
	dg_csvw_str(w, so->program);
	dg_csvw_str(w, so->payer);
	dg_csvw_int(w, so->events);
	dg_csvw_dec(w, so->mwh, -1);	/* one scale: see dg_settle_stmt_emit */
	dg_csvw_dec(w, so->payment, 2);
	if (so->has_share)
		dg_csvw_dec(w, so->share_pct, -1);
	else
		dg_csvw_empty(w);
	dg_csvw_dec(w, so->aggregator, 2);
	dg_csvw_dec(w, so->participant_amt, 2);
	return dg_csvw_end_row(w);
}

/* The columns of payment lines that a statement reads. */
struct paycols {
	int site, event, prog, payer, time, pay, mwh, line;
};

/* One payment line into the statement (total lines are skipped). */
static int
stmt_line(const struct opts *o, struct dg_csv *r, const struct paycols *c,
    const struct dg_settle_table *contracts, struct dg_settle_stmt *stmt)
{
	const char *site = dg_csv_field(r, c->site, NULL);
	const char *kind = c->line >= 0 ? dg_csv_field(r, c->line, NULL) : "";
	const struct dg_settle_kv *k;
	struct dg_tstamp ts;
	struct dg_local lt;
	char month[16];
	dg_dec pay, mwh;
	int st, has_mwh = 0;

	if (strcmp(kind, "total") == 0)
		return DG_OK;	/* sums of lines read anyway */
	if (site[0] == '\0')
		return dg_csv_fail(r, c->site, DG_EDATA,
		    "a portfolio line: statements need site lines (dg-settle pay --unit site)");
	if ((k = dg_settle_contract_find(contracts, site,
	    dg_csv_field(r, c->prog, NULL))) == NULL)
		return dg_csv_fail(r, c->site, DG_EDATA,
		    "site \"%s\" has no contract in %s", site, o->contracts);
	if ((st = dg_csv_get_time(r, c->time, &ts)) != DG_OK ||
	    (st = dg_csv_get_dec(r, c->pay, &pay)) != DG_OK)
		return st;
	if (pay.scale > 2)
		return dg_csv_fail(r, c->pay, DG_EDATA,
		    "payment with more than 2 decimals: not a rounded line");
	if (c->mwh >= 0 && !dg_csv_is_empty(r, c->mwh) &&
	    (strcmp(kind, "event") == 0 || strcmp(kind, "continuation") == 0 ||
	    strcmp(kind, "da") == 0 || c->line < 0)) {
		if ((st = dg_csv_get_dec(r, c->mwh, &mwh)) != DG_OK)
			return st;
		has_mwh = 1;
	}
	dg_time_local(ts.t, &lt);
	snprintf(month, sizeof(month), "%04d-%02d", lt.year, lt.mon);
	return dg_settle_stmt_add(stmt, k->key, month, site,
	    dg_csv_field(r, c->prog, NULL), dg_csv_field(r, c->payer, NULL),
	    dg_csv_field(r, c->event, NULL), has_mwh ? &mwh : NULL, pay,
	    k->value, dg_csv_error(r));
}

/* Reads every payment line into stmt; the error is the reader's. */
static int
stmt_read(const struct opts *o, struct dg_csv *r,
    const struct dg_settle_table *contracts, struct dg_settle_stmt *stmt)
{
	struct paycols c;
	int st;

	if ((st = dg_csv_require(r, "site", &c.site)) != DG_OK ||
	    (st = dg_csv_require(r, "event", &c.event)) != DG_OK ||
	    (st = dg_csv_require(r, "program", &c.prog)) != DG_OK ||
	    (st = dg_csv_require(r, "payer", &c.payer)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c.time)) != DG_OK ||
	    (st = dg_csv_require(r, "payment_usd", &c.pay)) != DG_OK)
		return st;
	c.mwh = dg_csv_col(r, "energy_mwh");
	c.line = dg_csv_col(r, "line");
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = stmt_line(o, r, &c, contracts, stmt)) != DG_OK)
			return st;
	return st == DG_EOF ? DG_OK : st;
}

/* The contracts, and with --sites and --programs the names they give
 * checked against those files. */
static int
stmt_terms(const struct opts *o, struct dg_settle_table *contracts,
    struct run *x, struct dg_error *err)
{
	struct dg_settle_programs progs;
	struct dg_sites sites;
	int st;

	memset(&progs, 0, sizeof(progs));
	record(x, "contracts", o->contracts);
	record(x, "sites", o->sites);
	record(x, "programs", o->programs);
	if ((st = dg_settle_contracts_read(contracts, o->contracts, &o->cli.aux,
	    err)) != DG_OK)
		return st;
	if (o->sites && (st = dg_sites_read(&sites, o->sites, &o->cli.aux,
	    err)) != DG_OK)
		return st;
	if ((!o->programs || (st = dg_settle_programs_read(&progs, o->programs,
	    &o->cli.aux, err)) == DG_OK))
		st = dg_settle_table_check(contracts, o->sites ? &sites : NULL,
		    o->programs ? &progs : NULL, err);
	if (o->sites)
		dg_sites_release(&sites);
	dg_settle_programs_release(&progs);
	return st;
}

static int
cmd_statement(struct opts *o)
{
	static const char *const header[] = {
		"participant", "month", "row", "site", "program", "payer", "events",
		"energy_mwh", "payment_usd", "share_pct", "aggregator_usd",
		"participant_usd"
	};
	struct dg_settle_table contracts;
	struct dg_settle_stmt *stmt = NULL;
	struct dg_csv *r = NULL;
	struct dg_error err;
	struct run x;
	int st;

	memset(&contracts, 0, sizeof(contracts));
	dg_error_clear(&err);
	required(o->contracts, "statement: --contracts FILE");
	run_init(o, &x);
	if ((st = stmt_terms(o, &contracts, &x, &err)) != DG_OK)
		goto done;
	if (dg_settle_stmt_alloc(&stmt) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK)
		goto done;
	if ((st = stmt_read(o, r, &contracts, stmt)) != DG_OK) {
		err = *dg_csv_error(r);
		goto done;
	}
	if ((st = run_open(o, &x, &err)) != DG_OK)
		goto done;
	if ((st = dg_csvw_header(&x.w, header, 12)) == DG_OK)
		st = dg_settle_stmt_emit(stmt, emit_stmt, &x.w, &err);
	if (st == DG_EIO || st == DG_EPIPE)
		err.status = st;
done:
	st = run_end(o, &x, st, &err);
	dg_csv_close(r);
	dg_settle_stmt_free(stmt);
	dg_settle_table_release(&contracts);
	return st;
}

/* --- Aligned text -------------------------------------------------------- */

/* A table of rows x cols strings, written with right-aligned columns (the
 * first column left-aligned), or as CSV. */
struct textab {
	char **cell;
	size_t rows, cols;
};

static int
tab_init(struct textab *t, size_t rows, size_t cols)
{
	t->rows = rows;
	t->cols = cols;
	t->cell = calloc(rows * cols > 0 ? rows * cols : 1, sizeof(*t->cell));
	return t->cell ? DG_OK : DG_ENOMEM;
}

static int
tab_put(struct textab *t, size_t i, const char *s)
{
	if (i >= t->rows * t->cols)
		return DG_EINTERNAL;
	free(t->cell[i]);
	return (t->cell[i] = strdup(s)) ? DG_OK : DG_ENOMEM;
}

static void
tab_text(FILE *fp, const struct textab *t, const char *eol)
{
	size_t *wd = calloc(t->cols ? t->cols : 1, sizeof(*wd));

	if (wd == NULL)
		return;
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < t->cols; c++) {
			const char *s = t->cell[r * t->cols + c];
			size_t n = s ? strlen(s) : 0;

			if (n > wd[c])
				wd[c] = n;
		}
	for (size_t r = 0; r < t->rows; r++) {
		size_t last = 0;

		for (size_t c = 0; c < t->cols; c++) {
			const char *s = t->cell[r * t->cols + c];

			if (s && s[0])
				last = c;
		}
		for (size_t c = 0; c <= last; c++) {
			const char *s = t->cell[r * t->cols + c];

			if (s == NULL)
				s = "";
			if (c == 0)
				fprintf(fp, "%-*s", (int)wd[c], s);
			else
				fprintf(fp, "  %*s", (int)wd[c], s);
		}
		fputs(eol, fp);
	}
	free(wd);
}

static int
tab_csv(struct dg_csvw *w, const struct textab *t)
{
	int st = DG_OK;

	for (size_t i = 0; i < t->rows && st == DG_OK; i++) {
		for (size_t j = 0; j < t->cols; j++) {
			const char *c = t->cell[i * t->cols + j];

			dg_csvw_str(w, c ? c : "");
		}
		st = dg_csvw_end_row(w);
	}
	return st;
}

static void
tab_free(struct textab *t)
{
	for (size_t i = 0; t->cell && i < t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

static void
fmt_dec(dg_dec d, int scale, int commas, char *buf, size_t n)
{
	char raw[DG_DEC_BUFSZ], *p, *q;
	size_t len, ilen, k = 0;

	if (scale >= 0)
		dg_dec_rescale(d, scale, &d);
	dg_dec_format(d, raw, sizeof(raw));
	if (!commas) {
		snprintf(buf, n, "%s", raw);
		return;
	}
	p = raw;
	if (*p == '-')
		buf[k++] = *p++;
	q = strchr(p, '.');
	ilen = q ? (size_t)(q - p) : strlen(p);
	len = strlen(p);
	for (size_t i = 0; i < len && k + 2 < n; i++) {
		if (i < ilen && i > 0 && (ilen - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = p[i];
	}
	buf[k] = '\0';
}

/* --- shadow --------------------------------------------------------------- */

/* A month as YYYY-MM into buf[16], whatever way the file writes it
 * (dg_parse_month: a spreadsheet saves 2022-07 as 2022/07/01 or 7/1/2022). */
static int
need_month(struct dg_csv *r, int c, char *buf)
{
	int st, y, m;

	if ((st = dg_csv_get_month(r, c, &y, &m)) != DG_OK)
		return st;
	snprintf(buf, 16, "%04d-%02d", y % 10000, m % 100);
	return DG_OK;
}

/* --months: Table 13's own rows. */
static int
shadow_months(struct dg_csv *r, struct dg_settle_shadow *sh,
    struct dg_error *err)
{
	int st, c_month, c_e, c_da, c_rev, c_rt;

	if ((st = dg_csv_require(r, "month", &c_month)) != DG_OK ||
	    (st = dg_csv_require(r, "energy_mwh", &c_e)) != DG_OK ||
	    (st = dg_csv_require(r, "da_cost_usd", &c_da)) != DG_OK ||
	    (st = dg_csv_require(r, "da_revenue_usd", &c_rev)) != DG_OK ||
	    (st = dg_csv_require(r, "rt_reconciliation_usd", &c_rt)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		dg_dec e, a, b, c;
		char month[16];

		if ((st = need_month(r, c_month, month)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_e, &e)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_da, &a)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_rev, &b)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_rt, &c)) != DG_OK)
			return st;
		if ((st = dg_settle_shadow_add_month(sh, month, e, a, b, c,
		    err)) != DG_OK)
			return dg_csv_fail(r, c_month, st, "%s", err->msg);
	}
	return st == DG_EOF ? DG_OK : st;
}

/* What the hourly shadow settlement reads and writes. */
struct shadowrun {
	const struct opts *o;
	const struct dg_sites *ss;
	const struct dg_settle_prices *rt, *da;
	struct dg_settle_shadow *sh;
	struct dg_csvw *lw;	/* --lines, or NULL */
	int c_site, c_time, c_bid, c_f, c_a, c_gen;
};

static const char *const shadow_lines_header[] = { "site", "time",
	"self_generation", "da_cost_usd", "da_revenue_usd", "generation_cost_usd",
	"rt_reconciliation_usd", "delivery_usd" };

static void
shadow_line(struct dg_csvw *w, const char *site, dg_time t,
    const struct dg_settle_shadow_hour *h)
{
	dg_csvw_str(w, site);
	dg_csvw_time(w, t);
	dg_csvw_int(w, h->self_gen);
	dg_csvw_dec(w, h->da_cost, 2);
	dg_csvw_dec(w, h->da_revenue, 2);
	dg_csvw_dec(w, h->gen_cost, 2);
	dg_csvw_dec(w, h->rt_recon, 2);
	dg_csvw_dec(w, h->delivery, 2);
}

/* One site-hour of the input. */
static int
shadow_hour(const struct shadowrun *x, struct dg_csv *r, struct dg_error *err)
{
	const char *site = dg_csv_field(r, x->c_site, NULL), *zone;
	dg_dec bid, f, a, g = dg_dec_make(0, 0), dap, rtp;
	struct dg_settle_shadow_hour h;
	struct dg_tstamp ts;
	int st, has_g = 0;

	if ((st = dg_csv_get_time(r, x->c_time, &ts)) != DG_OK ||
	    (st = dg_csv_get_dec(r, x->c_bid, &bid)) != DG_OK ||
	    (st = dg_csv_get_dec(r, x->c_f, &f)) != DG_OK ||
	    (st = dg_csv_get_dec(r, x->c_a, &a)) != DG_OK)
		return st;
	if (x->c_gen >= 0 && !dg_csv_is_empty(r, x->c_gen)) {
		has_g = 1;
		if ((st = dg_csv_get_dec(r, x->c_gen, &g)) != DG_OK)
			return st;
	}
	if ((zone = site_zone(x->o, x->ss, site)) == NULL)
		return dg_csv_fail(r, x->c_site, DG_EDATA,
		    "site \"%s\" has no zone in %s", site, x->o->sites);
	if (dg_time_floor(ts.t, 3600) != ts.t)
		return dg_csv_fail(r, x->c_time, DG_EDATA, "not the start of an hour");
	if (dg_settle_prices_get(x->da, zone, ts.t, &dap) != DG_OK)
		return dg_csv_fail(r, x->c_time, DG_EDATA,
		    "missing day-ahead price hour for zone %s", zone);
	if (dg_settle_prices_get(x->rt, zone, ts.t, &rtp) != DG_OK)
		return dg_csv_fail(r, x->c_time, DG_EDATA,
		    "missing real-time price hour for zone %s", zone);
	if ((st = dg_settle_shadow_add(x->sh, ts.t, f, a, bid, has_g, g, dap, rtp,
	    &h, err)) != DG_OK)
		return dg_csv_fail(r, -1, st, "%s", err->msg);
	if (x->lw == NULL)
		return DG_OK;
	shadow_line(x->lw, site, ts.t, &h);
	if (dg_csvw_end_row(x->lw) != DG_OK)
		return dg_error_set(dg_csv_error(r), DG_EIO, x->o->lines, 0, NULL,
		    "write error");
	return DG_OK;
}

static int
shadow_hours(struct shadowrun *x, struct dg_csv *r)
{
	int st;

	if ((st = dg_csv_require(r, "site", &x->c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &x->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "bid_usd_per_mwh", &x->c_bid)) != DG_OK ||
	    (st = dg_csv_require(r, "forecast_kw", &x->c_f)) != DG_OK ||
	    (st = dg_csv_require(r, "actual_kw", &x->c_a)) != DG_OK)
		return st;
	x->c_gen = dg_csv_col(r, "gen_cost_usd_per_mwh");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_error e;

		dg_error_clear(&e);
		if ((st = shadow_hour(x, r, &e)) != DG_OK)
			return st;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* Item i (0-8) of month x, and its scale. */
static dg_dec
shadow_item(const struct dg_settle_shadow_month *x, size_t i, int *scale)
{
	dg_dec da_all;

	*scale = 2;
	switch (i) {
	case 0:
		*scale = x->energy_mwh.scale > 3 ? -1 : 3;
		return x->energy_mwh;
	case 1:
		dg_dec_add(x->da_cost, x->gen_cost, &da_all);
		return da_all;
	case 2: return x->da_revenue;
	case 3: return x->rt_recon;
	case 4: return x->total_cost;
	case 5: return x->avg_cost;
	case 6: return x->delivery;
	case 7: return x->avg_total;
	default: return x->gen_cost;
	}
}

/* Table 13: one row per item, one column per month and the total. */
static int
shadow_table(const struct opts *o, const struct dg_settle_shadow_month *mo,
    size_t nmo, struct textab *tb)
{
	static const char *const item[] = {
		"total_energy_mwh", "da_energy_cost_usd", "da_revenue_usd",
		"rt_reconciliation_usd", "total_energy_cost_usd",
		"average_energy_cost_usd_per_mwh", "delivery_charge_usd",
		"average_total_cost_usd_per_mwh", "self_generation_cost_usd"
	};
	static const char *const label[] = {
		"Total Energy (MWh)", "Total DA Energy Cost ($)",
		"Total DA Revenue ($)", "RT Reconciliation ($)",
		"Total Energy Cost ($)", "Average Energy Cost ($/MWh)",
		"Delivery Charge ($)", "Average Total Cost ($/MWh)",
		"  of which self-generation ($)"
	};
	size_t nrow = o->months ? 8 : 9;
	int st;

	if ((st = tab_init(tb, nrow + 1, nmo + 1)) != DG_OK)
		return st;
	st = tab_put(tb, 0, o->text ? "" : "item");
	for (size_t j = 0; j < nmo && st == DG_OK; j++)
		st = tab_put(tb, j + 1, strcmp(mo[j].month, "total") == 0 &&
		    o->text ? "Total" : mo[j].month);
	for (size_t i = 0; i < nrow && st == DG_OK; i++) {
		st = tab_put(tb, (i + 1) * tb->cols, o->text ? label[i] : item[i]);
		for (size_t j = 0; j < nmo && st == DG_OK; j++) {
			char b[64];
			int sc;
			dg_dec v = shadow_item(&mo[j], i, &sc);

			if ((i == 5 || i == 7) && !mo[j].has_avg)
				b[0] = '\0';
			else
				fmt_dec(v, sc, o->text, b, sizeof(b));
			st = tab_put(tb, (i + 1) * tb->cols + j + 1, b);
		}
	}
	return st;
}

static int
shadow_write(const struct opts *o, const struct dg_settle_shadow_month *mo,
    size_t nmo, struct dg_out *out, struct dg_csvw *w, struct dg_error *err)
{
	struct textab tb;
	int st;

	memset(&tb, 0, sizeof(tb));
	if ((st = shadow_table(o, mo, nmo, &tb)) != DG_OK)
		st = dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	else if (o->text)
		tab_text(dg_out_fp(out), &tb, o->cli.crlf ? "\r\n" : "\n");
	else
		st = tab_csv(w, &tb);
	tab_free(&tb);
	return st;
}

static int
cmd_shadow(struct opts *o)
{
	const struct dg_settle_shadow_month *mo;
	struct dg_settle_prices *rt = NULL, *da = NULL;
	struct dg_sites sites;
	struct shadowrun sr;
	struct dg_csv *r = NULL;
	struct dg_csvw lw;
	struct dg_error err;
	struct run x;
	size_t nmo;
	int st;

	memset(&sr, 0, sizeof(sr));
	dg_error_clear(&err);
	if (!o->months && (o->nda == 0 || o->nrt == 0)) {
		dg_cli_warn("shadow: --da-prices and --rt-prices are required (or --months)");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->months)
		o->lines = NULL;	/* no hourly lines from month totals */
	run_init(o, &x);
	record(&x, "sites", o->sites);
	if (o->sites && (st = dg_sites_read(&sites, o->sites, &o->cli.aux,
	    &err)) != DG_OK)
		goto done;
	sr.ss = o->sites ? &sites : NULL;
	if (!o->months && (st = read_prices(o, NULL, &rt, &da, &x, &err)) != DG_OK)
		goto done;
	if (dg_settle_shadow_alloc(&sr.sh, o->delivery) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK ||
	    (st = run_open(o, &x, &err)) != DG_OK)
		goto done;
	if (x.lines) {
		dg_cli_csvw_init(&o->cli, &lw, dg_out_fp(x.lines));
		dg_csvw_header(&lw, shadow_lines_header, 8);
		sr.lw = &lw;
	}
	sr.o = o;
	sr.rt = rt;
	sr.da = da;
	st = o->months ? shadow_months(r, sr.sh, &err) : shadow_hours(&sr, r);
	if (st != DG_OK) {
		err = *dg_csv_error(r);
		goto done;
	}
	if ((st = dg_settle_shadow_result(sr.sh, &mo, &nmo, &err)) == DG_OK)
		st = shadow_write(o, mo, nmo, x.out, &x.w, &err);
done:
	st = run_end(o, &x, st, &err);
	dg_csv_close(r);
	dg_settle_shadow_free(sr.sh);
	dg_settle_prices_free(rt);
	dg_settle_prices_free(da);
	if (sr.ss)
		dg_sites_release(&sites);
	return st;
}

/* --- report ------------------------------------------------------------------ */

/* The table of one event: sites by hour ending, then the totals. */
static int
perf_table(const struct opts *o, const struct dg_settle_perf_table *t,
    struct textab *tb)
{
	size_t cols = t->nhours + 1, r = 0;
	char b[64];
	int st;

	if ((st = tab_init(tb, t->nsites + 4, cols)) != DG_OK ||
	    (st = tab_put(tb, 0, "site")) != DG_OK)
		return st;
	for (size_t h = 0; h < t->nhours && st == DG_OK; h++)
		st = tab_put(tb, h + 1, t->labels[h]);
	for (size_t s = 0; s < t->nsites && st == DG_OK; s++) {
		r++;
		st = tab_put(tb, r * cols, t->sites[s]);
		for (size_t h = 0; h < t->nhours && st == DG_OK; h++) {
			size_t cell = s * t->nhours + h;

			if (t->has[cell])
				fmt_dec(t->mw[cell], o->site_decimals, 0, b, sizeof(b));
			else
				b[0] = '\0';
			st = tab_put(tb, r * cols + h + 1, b);
		}
	}
	r++;
	if (st == DG_OK)
		st = tab_put(tb, r * cols, "Total");
	for (size_t h = 0; h < t->nhours && st == DG_OK; h++) {
		fmt_dec(t->total_mw[h], o->total_decimals, 0, b, sizeof(b));
		st = tab_put(tb, r * cols + h + 1, b);
	}
	fmt_dec(t->total_mwh, o->total_decimals, 0, b, sizeof(b));
	if (st == DG_OK && (st = tab_put(tb, ++r * cols, "Total MWh")) == DG_OK)
		st = tab_put(tb, r * cols + 1, b);
	fmt_dec(t->avg_mw, o->total_decimals, 0, b, sizeof(b));
	if (st == DG_OK && (st = tab_put(tb, ++r * cols, "Average MW")) == DG_OK)
		st = tab_put(tb, r * cols + 1, b);
	return st;
}

static int
write_perf(const struct opts *o, const struct dg_settle_perf_table *t,
    struct dg_csvw *w, FILE *fp)
{
	struct textab tb;
	int st;

	memset(&tb, 0, sizeof(tb));
	if (o->text)
		fprintf(fp, "Event %s: curtailment (MW) by hour ending%s", t->event,
		    o->cli.crlf ? "\r\n" : "\n");
	if ((st = perf_table(o, t, &tb)) == DG_OK) {
		if (o->text)
			tab_text(fp, &tb, o->cli.crlf ? "\r\n" : "\n");
		else
			st = tab_csv(w, &tb);
	}
	tab_free(&tb);
	return st;
}

/* Reads the reductions; *unmeasured counts the empty ones. */
static int
report_read(const struct opts *o, struct dg_csv *r, struct dg_settle_perf *pr,
    long *unmeasured, struct dg_error *err)
{
	int st, c_site, c_event, c_time, c_red;

	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "event", &c_event)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "reduction_kw", &c_red)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		dg_dec kw;

		if (o->event && strcmp(dg_csv_field(r, c_event, NULL), o->event) != 0)
			continue;
		if (o->dates && (st = dg_csv_get_time(r, c_time, &ts)) != DG_OK)
			return st;
		if (o->dates && (dg_date_of(ts.t) < o->from ||
		    dg_date_of(ts.t) > o->to))
			continue;
		if (dg_csv_is_empty(r, c_red)) {
			/* dg-cbl measured nothing: the cell stays empty */
			if (o->cli.strict)
				return dg_csv_fail(r, c_red, DG_EDATA, "empty (--strict)");
			(*unmeasured)++;
			continue;
		}
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_red, &kw)) != DG_OK)
			return st;
		if (dg_time_floor(ts.t, 3600) != ts.t)
			return dg_csv_fail(r, c_time, DG_EDATA, "not the start of an hour");
		if ((st = dg_settle_perf_add(pr, dg_csv_field(r, c_event, NULL),
		    dg_csv_field(r, c_site, NULL), ts.t, kw, err)) != DG_OK)
			return dg_csv_fail(r, -1, st, "%s", err->msg);
	}
	return st == DG_EOF ? DG_OK : st;
}

/* Every event's table. */
static int
report_write(const struct opts *o, struct dg_settle_perf *pr,
    struct dg_out *out, struct dg_csvw *w, struct dg_error *err)
{
	int st = DG_OK;

	for (size_t i = 0; i < dg_settle_perf_nevents(pr); i++) {
		struct dg_settle_perf_table t;

		if ((st = dg_settle_perf_table(pr, i, &t, err)) != DG_OK)
			return st;
		if (o->text && i > 0)
			fputs(o->cli.crlf ? "\r\n" : "\n", dg_out_fp(out));
		if ((st = write_perf(o, &t, w, dg_out_fp(out))) != DG_OK) {
			if (st == DG_ENOMEM)
				dg_error_set(err, st, NULL, 0, NULL, "out of memory");
			else
				err->status = st;
			return st;
		}
	}
	return st;
}

static int
cmd_report(struct opts *o)
{
	struct dg_settle_perf *pr = NULL;
	struct dg_csv *r = NULL;
	struct dg_error err;
	long unmeasured = 0;
	struct run x;
	int st;

	dg_error_clear(&err);
	run_init(o, &x);
	if (dg_settle_perf_alloc(&pr) != DG_OK) {
		st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if ((st = open_input(o, &x, &r, &err)) != DG_OK)
		goto done;
	if ((st = report_read(o, r, pr, &unmeasured, &err)) != DG_OK) {
		err = *dg_csv_error(r);
		goto done;
	}
	if (dg_settle_perf_nevents(pr) == 0 && o->dates && !o->event) {
		char a[16], b[16];

		dg_date_format(o->from, a, sizeof(a));
		dg_date_format(o->to, b, sizeof(b));
		dg_cli_warn("%s: no rows dated %s to %s: an empty report",
		    dg_csv_name(r), a, b);
		st = run_open(o, &x, &err);
		goto done;
	}
	if (dg_settle_perf_nevents(pr) == 0) {
		st = dg_error_set(&err, DG_EDATA, dg_csv_name(r), 0, NULL,
		    o->event ? "no rows of event \"%s\"" : "no rows%s",
		    o->event ? o->event : "");
		goto done;
	}
	if (!o->text && dg_settle_perf_nevents(pr) > 1) {
		st = dg_error_set(&err, DG_EINVAL, dg_csv_name(r), 0, NULL,
		    "%zu events: a CSV report holds one (choose with --event, or --format text)",
		    dg_settle_perf_nevents(pr));
		goto done;
	}
	if (unmeasured > 0)
		dg_cli_warn("%ld site-hour%s without a reduction (left empty)",
		    unmeasured, unmeasured == 1 ? "" : "s");
	if ((st = run_open(o, &x, &err)) == DG_OK)
		st = report_write(o, pr, x.out, &x.w, &err);
done:
	st = run_end(o, &x, st, &err);
	dg_csv_close(r);
	dg_settle_perf_free(pr);
	return st;
}

/* --- prices ------------------------------------------------------------------ */

static int
write_prices(struct dg_csvw *w, const struct dg_settle_prices *p,
    const char *market, const char *zone, int decimals, long *incomplete)
{
	for (size_t z = 0; z < dg_settle_prices_nzones(p); z++) {
		const char *name = dg_settle_prices_zone(p, z);

		if (zone && strcmp(zone, name) != 0)
			continue;
		for (size_t i = 0; i < dg_settle_prices_nhours(p, z); i++) {
			dg_time t;
			dg_dec price;
			int cover, st;

			st = dg_settle_prices_hour(p, z, i, &t, &price, &cover);
			dg_csvw_str(w, name);
			dg_csvw_time(w, t);
			dg_csvw_str(w, market);
			if (st == DG_OK)
				dg_csvw_dec(w, price, decimals);
			else
				dg_csvw_empty(w);
			dg_csvw_int(w, cover);
			dg_csvw_str(w, st == DG_OK ? "" : "incomplete");
			if (st != DG_OK)
				(*incomplete)++;
			if ((st = dg_csvw_end_row(w)) != DG_OK)
				return st;
		}
	}
	return DG_OK;
}

static int
cmd_prices(struct opts *o)
{
	static const char *const header[] = { "zone", "time", "market",
		"price_usd_per_mwh", "covered_s", "quality" };
	struct dg_settle_prices *rt = NULL, *da = NULL;
	struct dg_error err;
	long incomplete = 0;
	struct run x;
	int st;

	dg_error_clear(&err);
	if (o->nrt == 0 && o->nda == 0) {
		dg_cli_warn("prices: --rt-prices or --da-prices FILE is required");
		usage(stderr, DG_EX_USAGE);
	}
	run_init(o, &x);
	if ((st = read_prices(o, NULL, &rt, &da, &x, &err)) != DG_OK ||
	    (st = run_open(o, &x, &err)) != DG_OK)
		goto done;
	st = dg_csvw_header(&x.w, header, 6);
	if (st == DG_OK && da)
		st = write_prices(&x.w, da, "da", o->zone, o->po.decimals, &incomplete);
	if (st == DG_OK && rt)
		st = write_prices(&x.w, rt, "rt", o->zone, o->po.decimals, &incomplete);
	if (st != DG_OK)
		err.status = st;
	if (st == DG_OK && incomplete > 0) {
		if (o->cli.strict)
			st = dg_error_set(&err, DG_EDATA, NULL, 0, NULL,
			    "%ld incomplete price hour%s (--strict)", incomplete,
			    incomplete == 1 ? "" : "s");
		else
			dg_cli_warn("%ld incomplete price hour%s (no price)", incomplete,
			    incomplete == 1 ? "" : "s");
	}
done:
	st = run_end(o, &x, st, &err);
	dg_settle_prices_free(rt);
	dg_settle_prices_free(da);
	return st;
}

/* --- summary ---------------------------------------------------------------- */

/* The calls: one row each. */
static int
sum_calls(const struct dg_settle_sum *s, struct textab *tb)
{
	static const char *const hdr[] = { "call", "program", "payer", "sites",
	    "site-hours", "from", "to" };
	size_t n = dg_settle_sum_ncalls(s);
	int st;

	if ((st = tab_init(tb, n + 1, 7)) != DG_OK)
		return st;
	for (size_t j = 0; j < 7 && st == DG_OK; j++)
		st = tab_put(tb, j, hdr[j]);
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		const struct dg_settle_sum_call *c = dg_settle_sum_call(s, i);
		char b[4][DG_TIME_BUFSZ];

		snprintf(b[0], sizeof(b[0]), "%ld", c->sites);
		snprintf(b[1], sizeof(b[1]), "%ld", c->hours);
		b[2][0] = b[3][0] = '\0';
		if (c->hours > 0) {
			dg_time_format(c->first, b[2], sizeof(b[2]));
			dg_time_format(c->last, b[3], sizeof(b[3]));
		}
		st = tab_put(tb, (i + 1) * 7, c->event);
		if (st == DG_OK)
			st = tab_put(tb, (i + 1) * 7 + 1, c->program);
		if (st == DG_OK)
			st = tab_put(tb, (i + 1) * 7 + 2, c->payer);
		for (size_t j = 0; j < 4 && st == DG_OK; j++)
			st = tab_put(tb, (i + 1) * 7 + 3 + j, b[j]);
	}
	return st;
}

/* One row of the payments table. */
static int
sum_row(struct textab *tb, size_t r, const char *payer, const char *prog,
    dg_dec pay, const struct dg_settle_sum_prog *p)
{
	char b[5][64];
	int st = DG_OK;

	fmt_dec(pay, 2, 1, b[0], sizeof(b[0]));
	for (int i = 1; i < 5; i++)
		b[i][0] = '\0';
	if (p != NULL && p->hours > 0) {
		fmt_dec(p->mwh, -1, 0, b[1], sizeof(b[1]));
		snprintf(b[2], sizeof(b[2]), "%ld", p->hours);
	}
	if (p != NULL && p->credits > 0) {
		fmt_dec(p->kw, -1, 0, b[3], sizeof(b[3]));
		snprintf(b[4], sizeof(b[4]), "%ld", p->credits);
	}
	st = tab_put(tb, r * 7, payer);
	if (st == DG_OK)
		st = tab_put(tb, r * 7 + 1, prog);
	for (int i = 0; i < 5 && st == DG_OK; i++)
		st = tab_put(tb, r * 7 + 2 + (size_t)i, b[i]);
	return st;
}

/* The payments per payer (in the order met) and program, each payer's
 * total and the total. */
static int
sum_payments(const struct dg_settle_sum *s, struct textab *tb)
{
	static const char *const hdr[] = { "payer", "program", "payment_usd",
	    "energy_mwh", "site-hours", "credit_kw", "credits" };
	size_t n = dg_settle_sum_nprograms(s), r = 1;
	dg_dec mwh, total;
	long hours;
	int st;

	if ((st = tab_init(tb, 2 * n + 2, 7)) != DG_OK)
		return st;
	for (size_t j = 0; j < 7 && st == DG_OK; j++)
		st = tab_put(tb, j, hdr[j]);
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		const char *payer = dg_settle_sum_program(s, i)->payer;
		dg_dec sum = dg_dec_make(0, 2);
		size_t k;

		for (k = 0; k < i; k++)	/* a payer met before: done */
			if (strcmp(dg_settle_sum_program(s, k)->payer, payer) == 0)
				break;
		if (k < i)
			continue;
		for (k = i; k < n && st == DG_OK; k++) {
			const struct dg_settle_sum_prog *p = dg_settle_sum_program(s, k);

			if (strcmp(p->payer, payer) != 0)
				continue;
			st = sum_row(tb, r++, payer, p->program, p->payment, p);
			if (st == DG_OK && dg_dec_add(sum, p->payment, &sum) != DG_OK)
				st = DG_ERANGE;
		}
		if (st == DG_OK)
			st = sum_row(tb, r++, payer, "total", sum, NULL);
	}
	dg_settle_sum_totals(s, &mwh, &hours, &total);
	if (st == DG_OK)
		st = sum_row(tb, r++, "total", "", total, NULL);
	tb->rows = r;
	return st;
}

static const char *const sum_stmt_cols[] = { "participant", "month", "row",
	"payer", "payment_usd", "aggregator_usd", "participant_usd" };

/* The rows of the statement other than its lines: counted (*n), and put
 * into tb when it has cells. */
static int
stmt_rows(const struct opts *o, struct textab *tb, size_t *n,
    struct dg_error *err)
{
	struct dg_csv *r;
	size_t k = 1;
	int st, c[7];

	if ((st = dg_csv_open(&r, o->statements, &o->cli.csv, err)) != DG_OK)
		return st;
	for (int i = 0; i < 7 && st == DG_OK; i++)
		st = dg_csv_require(r, sum_stmt_cols[i], &c[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK) {
		if (strcmp(dg_csv_field(r, c[2], NULL), "line") == 0)
			continue;
		for (int i = 0; tb->cell && i < 7 && st == DG_OK; i++)
			st = tab_put(tb, k * 7 + (size_t)i, dg_csv_field(r, c[i], NULL));
		k++;
	}
	if (st == DG_EOF)
		st = DG_OK;
	else if (st != DG_ENOMEM)
		*err = *dg_csv_error(r);
	*n = k;
	dg_csv_close(r);
	return st;
}

/* The participant, payer and portfolio rows of a statement. */
static int
sum_statements(const struct opts *o, FILE *fp, const char *eol,
    struct dg_error *err)
{
	struct textab tb;
	size_t n;
	int st;

	memset(&tb, 0, sizeof(tb));
	if ((st = stmt_rows(o, &tb, &n, err)) != DG_OK)
		return st;
	if ((st = tab_init(&tb, n, 7)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	for (int i = 0; i < 7 && st == DG_OK; i++)
		st = tab_put(&tb, (size_t)i, sum_stmt_cols[i]);
	if (st == DG_OK && (st = stmt_rows(o, &tb, &n, err)) == DG_OK) {
		fprintf(fp, "%sStatements (%s):%s", eol, o->statements, eol);
		tab_text(fp, &tb, eol);
	}
	tab_free(&tb);
	return st == DG_ENOMEM ? dg_error_set(err, st, NULL, 0, NULL,
	    "out of memory") : st;
}

static int
sum_write(const struct opts *o, const struct dg_settle_sum *s, FILE *fp,
    struct dg_error *err)
{
	const char *eol = o->cli.crlf ? "\r\n" : "\n";
	struct textab tb;
	char mwh_s[64];
	dg_dec mwh, total;
	long hours;
	int st;

	memset(&tb, 0, sizeof(tb));
	dg_settle_sum_totals(s, &mwh, &hours, &total);
	fmt_dec(mwh, -1, 0, mwh_s, sizeof(mwh_s));
	fprintf(fp, "Calls (%s):%s", o->input, eol);
	if ((st = sum_calls(s, &tb)) == DG_OK)
		tab_text(fp, &tb, eol);
	tab_free(&tb);
	fprintf(fp, "%sReduction measured: %s MWh in %ld site-hours (each site-hour once)%s",
	    eol, mwh_s, hours, eol);
	fprintf(fp, "%sPayments:%s", eol, eol);
	if (st == DG_OK && (st = sum_payments(s, &tb)) == DG_OK)
		tab_text(fp, &tb, eol);
	tab_free(&tb);
	if (st != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, st == DG_ENOMEM ?
		    "out of memory" : "total out of range");
	return o->statements ? sum_statements(o, fp, eol, err) : DG_OK;
}

static int
cmd_summary(struct opts *o)
{
	struct dg_settle_sum *s = NULL;
	struct dg_error err;
	struct run x;
	int st;

	dg_error_clear(&err);
	run_init(o, &x);
	record(&x, "statements", o->statements);
	if ((st = dg_settle_sum_read(&s, o->input, &o->cli.csv, &err)) == DG_OK &&
	    (st = run_open(o, &x, &err)) == DG_OK)
		st = sum_write(o, s, dg_out_fp(x.out), &err);
	st = run_end(o, &x, st, &err);
	dg_settle_sum_free(s);
	return st;
}

/* --- delta ------------------------------------------------------------------ */

/* The manifests of the two runs, and what changed between them. */
struct deltawhy {
	struct dg_manifest m[2][MAXFILES];
	int n[2];
	struct dg_manifest_change *ch;
	size_t nch;
	char why[1024];		/* one line, for the CSV */
};

static void
why_free(struct deltawhy *dw)
{
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < dw->n[s]; i++)
			dg_manifest_release(&dw->m[s][i]);
	free(dw->ch);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Reads the manifests and says what changed: "rt-prices X.csv changed;
 * ...", "no input changed", or "" without manifests. */
static int
delta_why(const struct opts *o, struct deltawhy *dw, struct dg_error *err)
{
	size_t k = 0;
	int st;

	memset(dw, 0, sizeof(*dw));
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < (s ? o->nnewm : o->noldm); i++) {
			if ((st = dg_manifest_read(&dw->m[s][i], s ? o->newm[i] :
			    o->oldm[i], &o->cli.aux, err)) != DG_OK)
				return st;
			dw->n[s]++;
		}
	if (dw->n[0] + dw->n[1] == 0)
		return DG_OK;
	if (dg_manifest_changes(dw->m[0], (size_t)dw->n[0], dw->m[1],
	    (size_t)dw->n[1], &dw->ch, &dw->nch) != DG_OK)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	snprintf(dw->why, sizeof(dw->why), "no input changed");
	for (size_t i = 0; i < dw->nch; i++) {
		const struct dg_manifest_change *c = &dw->ch[i];
		int w = snprintf(dw->why + k, sizeof(dw->why) - k, "%s%s %s %s",
		    k ? "; " : "", c->role, base_name(c->path),
		    c->old_sha256 == NULL ? "added" : c->new_sha256 == NULL ?
		    "removed" : "changed");

		if (w < 0 || (size_t)w >= sizeof(dw->why) - k)
			break;
		k += (size_t)w;
	}
	return DG_OK;
}

/* The inputs that changed, for the text form. */
static void
why_text(FILE *fp, const struct deltawhy *dw, const char *eol)
{
	if (dw->n[0] + dw->n[1] == 0) {
		fprintf(fp, "Inputs: no manifests given%s", eol);
		return;
	}
	fprintf(fp, "Inputs changed:%s%s", dw->nch ? "" : " none", eol);
	for (size_t i = 0; i < dw->nch; i++) {
		const struct dg_manifest_change *c = &dw->ch[i];

		fprintf(fp, "  %s %s: sha256 %.12s%s -> %.12s%s%s", c->role, c->path,
		    c->old_sha256 ? c->old_sha256 : "(none)",
		    c->old_sha256 ? "..." : "",
		    c->new_sha256 ? c->new_sha256 : "(none)",
		    c->new_sha256 ? "..." : "", eol);
	}
}

static const char *const delta_header[] = {
	"participant", "month", "row", "site", "program", "payer",
	"old_payment_usd", "new_payment_usd", "payment_change_usd",
	"old_aggregator_usd", "new_aggregator_usd", "aggregator_change_usd",
	"old_participant_usd", "new_participant_usd", "participant_change_usd",
	"why"
};

struct deltarun {
	const struct deltawhy *dw;
	struct textab tb;	/* text: the table; csv: tb.cell is NULL */
	struct dg_csvw *w;
	size_t row;
};

static int
delta_count(void *arg, const struct dg_settle_delta_row *r)
{
	(void)arg;
	(void)r;
	return DG_OK;
}

/* A changed row: to the CSV, or into the text table (without why). */
static int
delta_line(void *arg, const struct dg_settle_delta_row *r)
{
	struct deltarun *dr = arg;
	const char *key[6] = { r->participant, r->month, r->row, r->site,
	    r->program, r->payer };
	char b[9][64];
	int st = DG_OK;

	for (int i = 0; i < 3; i++) {
		fmt_dec(r->old_usd[i], 2, 0, b[3 * i], sizeof(b[0]));
		fmt_dec(r->new_usd[i], 2, 0, b[3 * i + 1], sizeof(b[0]));
		b[3 * i + 2][0] = dg_dec_sign(r->change_usd[i]) > 0 ? '+' : '\0';
		fmt_dec(r->change_usd[i], 2, 0, b[3 * i + 2] +
		    (b[3 * i + 2][0] == '+'), sizeof(b[0]) - 1);
	}
	if (dr->tb.cell == NULL) {
		for (int i = 0; i < 6; i++)
			dg_csvw_str(dr->w, key[i]);
		for (int i = 0; i < 9; i++)
			dg_csvw_str(dr->w, b[i]);
		dg_csvw_str(dr->w, dr->dw->why);
		return dg_csvw_end_row(dr->w);
	}
	dr->row++;
	for (int i = 0; i < 15 && st == DG_OK; i++)
		st = tab_put(&dr->tb, dr->row * 15 + (size_t)i, i < 6 ? key[i] :
		    b[i - 6]);
	return st;
}

static int
delta_write(const struct opts *o, struct dg_settle_delta *d,
    const struct deltawhy *dw, struct run *x, struct dg_error *err)
{
	const char *eol = o->cli.crlf ? "\r\n" : "\n";
	struct deltarun dr;
	long n;
	int st;

	memset(&dr, 0, sizeof(dr));
	dr.dw = dw;
	dr.w = &x->w;
	if (!o->text) {
		if ((st = dg_csvw_header(&x->w, delta_header, 16)) == DG_OK)
			st = dg_settle_delta_emit(d, delta_line, &dr, &n, err);
		return st;
	}
	if ((st = dg_settle_delta_emit(d, delta_count, NULL, &n, err)) != DG_OK)
		return st;
	if ((st = tab_init(&dr.tb, (size_t)n + 1, 15)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	for (int i = 0; i < 15 && st == DG_OK; i++)
		st = tab_put(&dr.tb, (size_t)i, delta_header[i]);
	if (st == DG_OK)
		st = dg_settle_delta_emit(d, delta_line, &dr, &n, err);
	if (st == DG_OK) {
		why_text(dg_out_fp(x->out), dw, eol);
		fprintf(dg_out_fp(x->out), "%ld row%s changed%s%s", n,
		    n == 1 ? "" : "s", n ? ":" : "", eol);
		if (n > 0)
			tab_text(dg_out_fp(x->out), &dr.tb, eol);
	}
	tab_free(&dr.tb);
	return st == DG_ENOMEM ? dg_error_set(err, st, NULL, 0, NULL,
	    "out of memory") : st;
}

static int
cmd_delta(struct opts *o)
{
	struct dg_settle_delta *d = NULL;
	struct deltawhy *dw = calloc(1, sizeof(*dw));
	struct dg_error err;
	struct run x;
	int st;

	if (dw == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	if (o->nargs != 2) {
		dg_cli_warn("delta: two statements, OLD and NEW");
		usage(stderr, DG_EX_USAGE);
	}
	dg_error_clear(&err);
	run_init(o, &x);
	record(&x, "old", o->args[0]);
	record(&x, "new", o->args[1]);
	for (int i = 0; i < o->noldm; i++)
		record(&x, "old-manifest", o->oldm[i]);
	for (int i = 0; i < o->nnewm; i++)
		record(&x, "new-manifest", o->newm[i]);
	if ((st = dg_settle_delta_read(&d, o->args[0], o->args[1], &o->cli.csv,
	    &err)) == DG_OK && (st = delta_why(o, dw, &err)) == DG_OK &&
	    (st = run_open(o, &x, &err)) == DG_OK)
		st = delta_write(o, d, dw, &x, &err);
	st = run_end(o, &x, st, &err);
	dg_settle_delta_free(d);
	why_free(dw);
	free(dw);
	return st;
}

/* --- verify ------------------------------------------------------------------ */

/* A replay of one manifest: its run again in a temporary directory. */
struct replay {
	const char *file;		/* the manifest */
	struct dg_manifest m;
	char base[PATH_MAX];		/* the run's directory, from here */
	char abase[PATH_MAX];		/* the same, absolute */
	char tmp[PATH_MAX];		/* the replay's directory */
	char **argv;			/* the replay's arguments */
	char **outs;			/* where the replay writes output i */
	int nfail;			/* differences said */
};

static void
replay_free(struct replay *rp)
{
	for (size_t i = 0; rp->argv && rp->argv[i]; i++)
		free(rp->argv[i]);
	free(rp->argv);
	for (size_t i = 0; rp->outs && i < rp->m.nout; i++)
		free(rp->outs[i]);
	free(rp->outs);
	if (rp->tmp[0]) {	/* the replay's files, then its directory */
		DIR *d = opendir(rp->tmp);
		struct dirent *e;
		char p[PATH_MAX];

		while (d && (e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
			    (size_t)snprintf(p, sizeof(p), "%s/%s", rp->tmp,
			    e->d_name) < sizeof(p))
				unlink(p);
		if (d)
			closedir(d);
		rmdir(rp->tmp);
	}
	dg_manifest_release(&rp->m);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	return p;
}

/* An argument of the run, for the replay: an output goes to the replay's
 * directory, the manifest too, a relative input becomes absolute. */
static char *
replay_arg(struct replay *rp, const char *arg, const char *mreal)
{
	char p[PATH_MAX], real[PATH_MAX], buf[2 * PATH_MAX];
	const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
	const char *v = eq ? eq + 1 : arg;
	int pre = eq ? (int)(eq + 1 - arg) : 0;

	for (size_t i = 0; i < rp->m.nout; i++)
		if (strcmp(v, rp->m.out[i].path) == 0) {
			snprintf(buf, sizeof(buf), "%.*s%s", pre, arg, rp->outs[i]);
			return xstrdup(buf);
		}
	if (dg_manifest_resolve(rp->base, v, p, sizeof(p)) == DG_OK &&
	    realpath(p, real) != NULL && strcmp(real, mreal) == 0) {
		snprintf(buf, sizeof(buf), "%.*s%s/manifest.csv", pre, arg, rp->tmp);
		return xstrdup(buf);
	}
	for (size_t i = 0; i < rp->m.nin; i++)
		if (strcmp(v, rp->m.in[i].path) == 0 && v[0] != '/' &&
		    strcmp(v, "-") != 0) {
			snprintf(buf, sizeof(buf), "%.*s%s/%s", pre, arg, rp->abase, v);
			return xstrdup(buf);
		}
	return xstrdup(arg);
}

/* The program to run: the manifest's, beside this one or on the PATH. */
static void
replay_program(const char *name, char *buf, size_t n)
{
	char self[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (k > 0) {
		self[k] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, n, "%s/%s", self, name) < n &&
			    access(buf, X_OK) == 0)
				return;
		}
	}
	snprintf(buf, n, "%s", name);
}

/* Prepares the replay: its directory, its arguments. */
static int
replay_setup(struct replay *rp, struct dg_error *err)
{
	const char *tmpdir = getenv("TMPDIR");
	char mreal[PATH_MAX];
	size_t k = 0;

	if (strncmp(rp->m.program, "dg-", 3) != 0 ||
	    strspn(rp->m.program + 3, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
	    strlen(rp->m.program + 3))
		return dg_error_set(err, DG_EDATA, rp->file, 0, "name",
		    "not a dgagg program: \"%s\"", rp->m.program);
	if (realpath(rp->base, rp->abase) == NULL ||
	    realpath(rp->file, mreal) == NULL)
		return dg_error_set(err, DG_ENOINPUT, rp->file, 0, NULL,
		    "the run's directory %s: %s", rp->base, strerror(errno));
	snprintf(rp->tmp, sizeof(rp->tmp), "%s/dg-verify.XXXXXX",
	    tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	if (mkdtemp(rp->tmp) == NULL) {
		rp->tmp[0] = '\0';
		return dg_error_set(err, DG_ECREATE, NULL, 0, NULL,
		    "cannot create a temporary directory: %s", strerror(errno));
	}
	if ((rp->outs = calloc(rp->m.nout + 1, sizeof(*rp->outs))) == NULL ||
	    (rp->argv = calloc(rp->m.nargs + 2, sizeof(*rp->argv))) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	for (size_t i = 0; i < rp->m.nout; i++) {
		char b[PATH_MAX + 32];
		const char *base = strrchr(rp->m.out[i].path, '/');

		snprintf(b, sizeof(b), "%s/%zu-%s", rp->tmp, i,
		    base ? base + 1 : rp->m.out[i].path);
		rp->outs[i] = xstrdup(b);
	}
	rp->argv[k++] = xstrdup(rp->m.program);
	for (size_t i = 0; i < rp->m.nargs; i++)
		rp->argv[k++] = replay_arg(rp, rp->m.args[i], mreal);
	return DG_OK;
}

/* Runs the replay; its standard error goes to tmp/stderr.  The exit
 * status, or -1 when it could not run. */
static int
replay_run(struct replay *rp)
{
	char prog[PATH_MAX], errf[PATH_MAX + 16];
	int status;
	pid_t pid;

	replay_program(rp->m.program, prog, sizeof(prog));
	snprintf(errf, sizeof(errf), "%s/stderr", rp->tmp);
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
		    dup2(out, 2) < 0 || chdir(rp->tmp) != 0)
			_exit(127);
		execvp(prog, rp->argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Says a difference: "MANIFEST: ..." on standard output. */
static void
differ(struct replay *rp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
differ(struct replay *rp, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", rp->file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	rp->nfail++;
}

/* The first input that changed since the run, if any. */
static int
replay_inputs(struct replay *rp, struct dg_error *err)
{
	char hex[DG_MANIFEST_HEX];
	long long bytes;
	size_t bad;
	int st = dg_manifest_check_inputs(&rp->m, rp->base, &bad, hex, &bytes,
	    err);
	const struct dg_manifest_file *f = &rp->m.in[st == DG_EOF ? bad : 0];

	if (st == DG_EOF && hex[0] == '\0')
		differ(rp, "input %s (%s) is gone (line %ld: sha256 %.12s..., %lld bytes)",
		    f->path, f->role, f->line, f->sha256, f->bytes);
	else if (st == DG_EOF)
		differ(rp, "input %s (%s) changed: sha256 %.12s... (%lld bytes) at the run, %.12s... (%lld bytes) now",
		    f->path, f->role, f->sha256, f->bytes, hex, bytes);
	return st == DG_EOF ? DG_OK : st;
}

/* Each output of the replay against the run's. */
static int
replay_outputs(struct replay *rp, struct dg_error *err)
{
	for (size_t i = 0; i < rp->m.nout; i++) {
		const struct dg_manifest_file *f = &rp->m.out[i];
		char hex[DG_MANIFEST_HEX], kept[PATH_MAX], la[200], lb[200];
		long long bytes;
		long line;
		int st;

		int have;

		dg_manifest_resolve(rp->base, f->path, kept, sizeof(kept));
		have = dg_manifest_hash(kept, hex, &bytes) == DG_OK;
		if (have && strcmp(hex, f->sha256) != 0) {
			differ(rp, "output %s (%s) was changed after the run: sha256 %.12s... (%lld bytes) at the run, %.12s... (%lld bytes) now",
			    f->path, f->role, f->sha256, f->bytes, hex, bytes);
			continue;
		}
		if (dg_manifest_hash(rp->outs[i], hex, &bytes) != DG_OK) {
			differ(rp, "output %s (%s): the re-run wrote none", f->path,
			    f->role);
			continue;
		}
		if (strcmp(hex, f->sha256) == 0)
			continue;
		if (!have) {
			differ(rp, "output %s (%s) differs from the run's (sha256 %.12s...), which is not here to compare",
			    f->path, f->role, f->sha256);
			continue;
		}
		if ((st = dg_manifest_first_diff(kept, rp->outs[i], &line, la,
		    sizeof(la), lb, sizeof(lb), err)) == DG_EOF)
			differ(rp, "output %s (%s), line %ld differs:\n  run:     %s\n  re-run:  %s",
			    f->path, f->role, line, la, lb);
		else if (st != DG_OK)
			return st;
	}
	return DG_OK;
}

/* Verifies one manifest: 0 identical, 1 different, or an exit status. */
static int
verify_one(const struct opts *o, const char *file)
{
	struct replay rp;
	struct dg_error err;
	int st, rc;

	memset(&rp, 0, sizeof(rp));
	rp.file = file;
	dg_error_clear(&err);
	if ((st = dg_manifest_read(&rp.m, file, &o->cli.aux, &err)) != DG_OK)
		goto fail;
	if (dg_manifest_base(&rp.m, file, rp.base, sizeof(rp.base)) != DG_OK) {
		st = dg_error_set(&err, DG_ERANGE, file, 0, NULL, "path too long");
		goto fail;
	}
	if ((st = replay_inputs(&rp, &err)) != DG_OK)
		goto fail;
	if (rp.nfail == 0 && (st = replay_setup(&rp, &err)) != DG_OK)
		goto fail;
	if (rp.nfail == 0 && (rc = replay_run(&rp)) != 0)
		differ(&rp, "the re-run of %s failed (exit status %d)%s", rp.m.program,
		    rc, rc == 127 ? ": the program cannot be run" : "");
	if (rp.nfail == 0 && (st = replay_outputs(&rp, &err)) != DG_OK)
		goto fail;
	if (rp.nfail == 0)
		printf("%s: identical (%s %s: %zu input%s, %zu output%s)\n", file,
		    rp.m.program, rp.m.version, rp.m.nin, rp.m.nin == 1 ? "" : "s",
		    rp.m.nout, rp.m.nout == 1 ? "" : "s");
	rc = rp.nfail ? 1 : 0;
	replay_free(&rp);
	return rc;
fail:
	replay_free(&rp);
	return dg_cli_report(&err);
}

static int
cmd_verify(struct opts *o)
{
	int worst = 0;

	if (o->nargs == 0) {
		dg_cli_warn("verify: at least one MANIFEST");
		usage(stderr, DG_EX_USAGE);
	}
	for (int i = 0; i < o->nargs; i++) {
		int rc = verify_one(o, o->args[i]);

		if (rc > worst)
			worst = rc;
	}
	if (fflush(stdout) != 0)
		return DG_EX_IOERR;
	return worst;
}

/* --- main -------------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	switch (o.cmd) {
	case CMD_PAY:		return cmd_pay(&o);
	case CMD_STATEMENT:	return cmd_statement(&o);
	case CMD_SHADOW:	return cmd_shadow(&o);
	case CMD_REPORT:	return cmd_report(&o);
	case CMD_PRICES:	return cmd_prices(&o);
	case CMD_VERIFY:	return cmd_verify(&o);
	case CMD_DELTA:		return cmd_delta(&o);
	case CMD_SUMMARY:	return cmd_summary(&o);
	}
	return DG_EX_SOFTWARE;
}
