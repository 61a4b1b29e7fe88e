/* dg-settle: demand-response payments, participant statements, the shadow
 * settlement of the direct-customer strategy, the curtailment performance
 * report and the hourly prices they use.  This file holds what the
 * subcommands share (usage, options, a run's outputs and manifest, the
 * prices, aligned text) and main; each subcommand is in
 * cmd/dg-settle-CMD.c (dg-settle.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg-settle.h"

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
	OPT_STATEMENTS,
	OPT_CBL,
	OPT_HASHES,
	OPT_PAPER,
	OPT_BELOW_MIN,
	OPT_DADRP_FLOOR,
	OPT_DADRP_MIN
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
	{ "cbl", required_argument, NULL, OPT_CBL },
	{ "hashes", required_argument, NULL, OPT_HASHES },
	{ "paper", required_argument, NULL, OPT_PAPER },
	{ "below-min", required_argument, NULL, OPT_BELOW_MIN },
	{ "dadrp-bid-floor", required_argument, NULL, OPT_DADRP_FLOOR },
	{ "dadrp-min-kw", required_argument, NULL, OPT_DADRP_MIN },
	{ NULL, 0, NULL, 0 }
};

void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-settle pay --programs FILE [--sites FILE | --zone NAME]\n"
"           [--rt-prices FILE] [--da-prices FILE] [--events FILE]\n"
"           [--offers FILE] [--apmd FILE] [--net-negative] [--min-hours]\n"
"           [--round-mwh N] [--kw-decimals N] [--unit site | portfolio]\n"
"           [--below-min flag | forfeit] [--dadrp-bid-floor USD | none]\n"
"           [--dadrp-min-kw KW | none]\n"
"           [--totals] [--from DATE --to DATE] [price options]\n"
"           [--manifest FILE] [common options] [FILE]\n"
"       dg-settle statement --contracts FILE [--sites FILE]\n"
"           [--programs FILE] [--manifest FILE] [common options] [FILE]\n"
"       dg-settle statement --format html | pdf -o DIR --contracts FILE\n"
"           [--sites FILE] [--programs FILE] [--cbl FILE]\n"
"           [--hashes MANIFEST]... [--paper a4 | letter] [FILE]\n"
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

/* --- Options ------------------------------------------------------------ */

static void
add_file(const char **v, int *n, const char *opt, const char *arg)
{
	if (*n == MAXFILES) {
		dg_cli_warn("%s: at most %d files", opt, MAXFILES);
		usage(stderr, DG_EX_USAGE);
	}
	v[(*n)++] = arg;
}

void
required(const char *have, const char *what)
{
	if (have == NULL) {
		dg_cli_warn("%s is required", what);
		usage(stderr, DG_EX_USAGE);
	}
}

/* A file or flag option; returns 1 if c is one. */
static int
file_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_PROGRAMS:	o->programs = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_ZONE:
		o->zone = dg_cli_zone_arg("--zone", "NYISO", arg, usage);
		break;
	case OPT_RT:
		add_file(o->rt, &o->nrt, "--rt-prices", arg);
		break;
	case OPT_DA:
		add_file(o->da, &o->nda, "--da-prices", arg);
		break;
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
	case OPT_CBL:		o->cbl = arg; break;
	case OPT_HASHES:
		add_file(o->hashes, &o->nhashes, "--hashes", arg);
		break;
	default:
		return 0;
	}
	return 1;
}

/* A limit that "none" turns off: *has, and the value up to hi. */
static void
limit_arg(const char *opt, const char *arg, const char *hi, int *has,
    dg_dec *out)
{
	if ((*has = strcmp(arg, "none") != 0))
		*out = dg_cli_dec_arg(opt, arg, "0", hi, usage);
}

/* A market rule's option (pay); returns 1 if c is one. */
static int
rule_option(struct opts *o, int c, const char *arg)
{
	static const char *const below[] = { "flag", "forfeit", NULL };

	switch (c) {
	case OPT_BELOW_MIN:
		o->par.min_kw_forfeit = dg_cli_keyword_arg("--below-min", arg,
		    below, usage);
		break;
	case OPT_DADRP_FLOOR:
		limit_arg("--dadrp-bid-floor", arg, "100000",
		    &o->par.has_dadrp_floor, &o->par.dadrp_floor);
		break;
	case OPT_DADRP_MIN:
		limit_arg("--dadrp-min-kw", arg, "1000000",
		    &o->par.has_dadrp_min, &o->par.dadrp_min_kw);
		break;
	default:
		return 0;
	}
	return 1;
}

/* An option of dg-settle's own (not a common one). */
static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const stamps[] = { "end", "start", NULL };
	static const char *const units[] = { "site", "portfolio", NULL };
	static const char *const formats[] = { "csv", "text", "html", "pdf",
	    NULL };
	static const char *const papers[] = { "a4", "letter", NULL };

	if (file_option(o, c, arg) || rule_option(o, c, arg))
		return;
	switch (c) {
	case OPT_ROUND_MWH:
		o->par.round_mwh = dg_cli_int_arg("--round-mwh", arg, 0, 6,
		    usage);
		break;
	case OPT_KW_DECIMALS:
		o->par.kw_decimals = dg_cli_int_arg("--kw-decimals", arg, 0, 9,
		    usage);
		break;
	case OPT_PRICE_DECIMALS:
		o->po.decimals = dg_cli_int_arg("--price-decimals", arg, 2, 9,
		    usage);
		break;
	case OPT_MAX_INTERVAL:
		o->po.max_interval_s = 60 *
		    dg_cli_int_arg("--max-interval", arg, 1, 60, usage);
		break;
	case OPT_SITE_DECIMALS:
		o->site_decimals = dg_cli_int_arg("--site-decimals", arg, 0, 9,
		    usage);
		break;
	case OPT_TOTAL_DECIMALS:
		o->total_decimals = dg_cli_int_arg("--total-decimals", arg, 0,
		    9, usage);
		break;
	case OPT_RT_STAMPS:
		o->po.stamp_end = dg_cli_keyword_arg("--rt-stamps", arg, stamps,
		    usage) == 0;
		break;
	case OPT_UNIT:
		o->portfolio = dg_cli_keyword_arg("--unit", arg, units, usage);
		break;
	case OPT_FORMAT:
		o->format = dg_cli_keyword_arg("--format", arg, formats, usage);
		o->text = o->format == FMT_TEXT;
		break;
	case OPT_PAPER:
		o->paper = dg_cli_keyword_arg("--paper", arg, papers, usage) ?
		    "letter" : "A4";
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
		o->delivery = dg_cli_dec_arg("--delivery", arg, "0", "100000",
		    usage);
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

/* The pages of statement --format html or pdf: their options with them
 * only, and a directory for them. */
static void
check_pages(const struct opts *o)
{
	int pages = o->format == FMT_HTML || o->format == FMT_PDF;
	const char *bad = NULL;

	if (pages && o->cmd != CMD_STATEMENT)
		bad = "--format html or pdf: statement only";
	else if (o->format == FMT_TEXT && o->cmd == CMD_STATEMENT)
		bad = "--format text: not for statement (csv, html or pdf)";
	else if (!pages && (o->cbl || o->nhashes || o->paper))
		bad = "--cbl, --hashes, --paper: with --format html or pdf";
	else if (pages && o->cli.output == NULL)
		bad = "--format html or pdf: -o DIR, the pages' place";
	else if (pages && o->manifest)
		bad = "--format html or pdf: no --manifest (the pages come "
		    "from runs that have theirs: --hashes)";
	if (bad == NULL)
		return;
	dg_cli_warn("%s", bad);
	usage(stderr, DG_EX_USAGE);
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
	if (o->manifest && o->cli.output &&
	    strcmp(o->manifest, o->cli.output) == 0) {
		dg_cli_warn("--manifest and -o name the same file");
		usage(stderr, DG_EX_USAGE);
	}
	o->input = argc == 1 ? argv[0] : "-";
	check_pages(o);
}

/* --- Outputs and the manifest ------------------------------------------- */

void
run_init(const struct opts *o, struct run *x)
{
	memset(x, 0, sizeof(*x));
	dg_cli_manifest_init(&x->mr, "dg-settle", o->manifest, o->argc,
	    o->argv);
	if (o->cmd != CMD_PRICES)
		dg_cli_manifest_input(&x->mr, "input", o->input);
}

/* Records an input file for the manifest (path NULL: none). */
void
record(struct run *x, const char *role, const char *path)
{
	dg_cli_manifest_input(&x->mr, role, path);
}

/* Opens the outputs (the main one exits 73 by itself when it cannot). */
int
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
int
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
		/* removes it, reports err */
		return dg_cli_finish(all[0], st, err);
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
int
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

/* --- Common readers ----------------------------------------------------- */

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
		for (size_t i = 0; i < w->sites->n && st == DG_OK; i++) {
			const char *z = w->sites->v[i].zone;

			if (z != NULL && z[0] != '\0')
				st = dg_settle_prices_keep_zone(p, z);
		}
		if (st == DG_OK)	/* no zone: none wanted */
			st = dg_settle_prices_keep_zone(p, "");
	} else if (st == DG_OK)
		st = dg_settle_prices_keep_zone(p, w->zone ? w->zone : "");
	return st;
}

int
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
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
		for (int i = 0; i < o->nrt; i++) {
			record(x, "rt-prices", o->rt[i]);
			if ((st = dg_settle_prices_read(*rt, o->rt[i],
			    &o->cli.csv, &po, err)) != DG_OK)
				return st;
		}
	}
	if (o->nda > 0) {
		po.stamp_end = 0;
		if ((st = dg_settle_prices_alloc(da)) != DG_OK ||
		    (st = want(*da, w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
		for (int i = 0; i < o->nda; i++) {
			record(x, "da-prices", o->da[i]);
			if ((st = dg_settle_prices_read(*da, o->da[i],
			    &o->cli.csv, &po, err)) != DG_OK)
				return st;
		}
	}
	return DG_OK;
}

/* The zone of a site's prices. */
const char *
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

/* --- Aligned text ------------------------------------------------------- */

int
tab_init(struct textab *t, size_t rows, size_t cols)
{
	t->rows = rows;
	t->cols = cols;
	t->cell = calloc(rows * cols > 0 ? rows * cols : 1, sizeof(*t->cell));
	return t->cell ? DG_OK : DG_ENOMEM;
}

int
tab_put(struct textab *t, size_t i, const char *s)
{
	if (i >= t->rows * t->cols)
		return DG_EINTERNAL;
	free(t->cell[i]);
	return (t->cell[i] = strdup(s)) ? DG_OK : DG_ENOMEM;
}

void
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

int
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

void
tab_free(struct textab *t)
{
	for (size_t i = 0; t->cell && i < t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

void
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

/* --- main --------------------------------------------------------------- */

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
