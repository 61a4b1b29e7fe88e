/* dg-capacity: the capacity desk's month: the money of the UCAP sold in
 * NYISO's capacity auctions (revenue, shortfall bought back or charged as
 * a deficiency, surplus), and the monthly certification of what each
 * resource sells, made from the month's UCAP and checked against it.
 * Each subcommand is in cmd/dg-capacity-CMD.c (dg-capacity.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg-capacity.h"

enum {
	OPT_UCAP = DG_OPT_FIRST_OWN,
	OPT_SALES,
	OPT_PRICES,
	OPT_SITES,
	OPT_MONTH,
	OPT_SHORTFALL,
	OPT_MULTIPLIER,
	OPT_SURPLUS,
	OPT_DUE_DAY,
	OPT_MANIFEST
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "ucap", required_argument, NULL, OPT_UCAP },
	{ "sales", required_argument, NULL, OPT_SALES },
	{ "prices", required_argument, NULL, OPT_PRICES },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "month", required_argument, NULL, OPT_MONTH },
	{ "shortfall", required_argument, NULL, OPT_SHORTFALL },
	{ "deficiency-multiplier", required_argument, NULL, OPT_MULTIPLIER },
	{ "surplus-price", required_argument, NULL, OPT_SURPLUS },
	{ "due-day", required_argument, NULL, OPT_DUE_DAY },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-capacity price --ucap FILE --sites FILE --sales FILE\n"
"                   --prices FILE [--month YYYY-MM[:YYYY-MM]]\n"
"                   [--shortfall buy|deficiency] [--deficiency-multiplier X]\n"
"                   [--surplus-price spot|monthly] [--manifest FILE]\n"
"                   [common options]\n"
"       dg-capacity certify --ucap FILE --sites FILE --sales FILE\n"
"                   --month YYYY-MM [--due-day N] [--manifest FILE]\n"
"                   [common options]\n"
"       dg-capacity check --ucap FILE --sites FILE [common options] FILE\n"
DG_CLI_USAGE);
	exit(status);
}

/* YYYY-MM, or with colon YYYY-MM:YYYY-MM. */
static void
month_arg(struct opts *o, const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t l1 = colon ? (size_t)(colon - arg) : strlen(arg);
	int y1, m1, y2, m2;

	if (dg_parse_month(arg, l1, &y1, &m1) != DG_OK ||
	    (colon && dg_parse_month(colon + 1, strlen(colon + 1), &y2, &m2)
	    != DG_OK)) {
		dg_cli_warn("--month: YYYY-MM or YYYY-MM:YYYY-MM: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	if (!colon) {
		y2 = y1;
		m2 = m1;
	}
	o->have_month = 1;
	o->month = o->par.from = y1 * 12 + m1 - 1;
	o->par.to = y2 * 12 + m2 - 1;
	o->par.have_months = 1;
	if (o->par.to < o->par.from || (colon && o->cmd != CAP_PRICE)) {
		dg_cli_warn("--month: one month, or a range in order: \"%s\"",
		    arg);
		usage(stderr, DG_EX_USAGE);
	}
}

static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const rules[] = { "buy", "deficiency", NULL };
	static const char *const surplus[] = { "spot", "monthly", NULL };

	switch (c) {
	case OPT_UCAP:		o->ucap = arg; break;
	case OPT_SALES:		o->sales = arg; break;
	case OPT_PRICES:	o->prices = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_MANIFEST:	o->manifest = arg; break;
	case OPT_MONTH:		month_arg(o, arg); break;
	case OPT_SHORTFALL:
		o->par.shortfall = dg_cli_keyword_arg("--shortfall", arg,
		    rules, usage) == 0 ? DG_CAP_BUY : DG_CAP_DEFICIENCY;
		break;
	case OPT_MULTIPLIER:
		o->par.multiplier = dg_cli_dec_arg("--deficiency-multiplier",
		    arg, "0", "100", usage);
		break;
	case OPT_SURPLUS:
		o->par.surplus_auction = dg_cli_keyword_arg("--surplus-price",
		    arg, surplus, usage) == 0 ? DG_CAP_SPOT : DG_CAP_MONTHLY;
		break;
	case OPT_DUE_DAY:
		o->due_day = dg_cli_int_arg("--due-day", arg, 1, 28, usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
required(const char *have, const char *what)
{
	if (have == NULL) {
		dg_cli_warn("%s is required", what);
		usage(stderr, DG_EX_USAGE);
	}
}

static void
check_args(struct opts *o, int nargs)
{
	required(o->ucap, "--ucap FILE");
	required(o->sites, "--sites FILE");
	if (o->cmd != CAP_CHECK)
		required(o->sales, "--sales FILE");
	if (o->cmd == CAP_PRICE)
		required(o->prices, "--prices FILE");
	if (o->cmd == CAP_CERTIFY && !o->have_month)
		required(NULL, "--month YYYY-MM");
	if (nargs != (o->cmd == CAP_CHECK))
		usage(stderr, DG_EX_USAGE);
	if (o->cmd == CAP_CHECK)
		dg_cli_no_output(&o->cli, "check", usage);
	if (o->cmd == CAP_CHECK && o->manifest != NULL) {
		dg_cli_warn("check: no --manifest (it writes no output)");
		usage(stderr, DG_EX_USAGE);
	}
}

static void
parse(struct opts *o, int argc, char **argv)
{
	static const char *const cmds[] = {
		"price", "certify", "check", NULL
	};
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-capacity");
	o->argc = argc;
	o->argv = argv;
	dg_cap_params_init(&o->par);
	o->due_day = 20;
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0))
			usage(stdout, 0);
		if (argc >= 2 && strcmp(argv[1], "--version") == 0)
			dg_cli_version();
		usage(stderr, DG_EX_USAGE);
	}
	o->cmd = (enum cap_cmd)dg_cli_keyword_arg("subcommand", argv[1], cmds,
	    usage);
	optind = 2;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	check_args(o, argc - optind);
	o->input = optind < argc ? argv[optind] : NULL;
}

/* The book: the UCAP with the sites' localities, the sales, the prices. */
static int
load(struct opts *o, struct dg_cap_book *b, struct dg_error *err)
{
	struct dg_sites sites;
	int st;

	memset(&sites, 0, sizeof(sites));
	if ((st = dg_sites_read(&sites, o->sites, &o->cli.aux, err)) ==
	    DG_OK)
		st = dg_cap_read_ucap(b, o->ucap, &sites, &o->cli.csv, err);
	dg_sites_release(&sites);
	if (st == DG_OK && o->sales != NULL && o->cmd != CAP_CHECK)
		st = dg_cap_read_sales(b, o->sales, &o->cli.aux, err);
	if (st == DG_OK && o->prices != NULL && o->cmd == CAP_PRICE)
		st = dg_cap_read_prices(b, o->prices, &o->cli.csv, err);
	if (st == DG_OK && b->sales_left_out > 0)
		dg_cli_warn("%s: %ld sale%s of months without UCAP left out "
		    "(the first: line %ld)", b->sales_name, b->sales_left_out,
		    b->sales_left_out == 1 ? "" : "s", b->first_left_out);
	return st;
}

struct dg_out *
cap_open_output(struct opts *o, struct dg_csvw *w)
{
	struct dg_out *out = dg_cli_open_output(&o->cli, w);
	struct dg_error err;

	dg_error_clear(&err);
	if (dg_cli_manifest_open(&o->mr, &err) != DG_OK) {
		dg_out_abort(out);
		exit(dg_cli_report(&err));
	}
	return out;
}

int
cap_finish(struct opts *o, struct dg_out *out, int st, struct dg_error *err)
{
	static const char *const roles[1] = { "output" };
	const char *names[1] = { o->cli.output };
	struct dg_out *outs[2] = { out, o->mr.out };

	if (st == DG_OK)
		st = dg_cli_manifest_write(&o->mr, outs, names, roles, 1, err);
	o->mr.out = NULL;
	return dg_cli_finish_all(outs, 2, st, err);
}

static int
is_stdin(const char *path)
{
	return path != NULL && strcmp(path, "-") == 0;
}

/* With --manifest, every input file of the run is recorded; an input "-"
 * (as --ucap - after dg-ucap) is spooled to be hashed, and standard input
 * then reads the spool. */
static int
manifest_inputs(struct opts *o, struct dg_error *err)
{
	FILE *fp;

	dg_cli_manifest_init(&o->mr, "dg-capacity", o->manifest, o->argc,
	    o->argv);
	dg_cli_manifest_input(&o->mr, "ucap", o->ucap);
	dg_cli_manifest_input(&o->mr, "sites", o->sites);
	dg_cli_manifest_input(&o->mr, "sales", o->sales);
	dg_cli_manifest_input(&o->mr, "prices", o->prices);
	if (o->cmd == CAP_CHECK || !(is_stdin(o->ucap) || is_stdin(o->sites) ||
	    is_stdin(o->sales) || is_stdin(o->prices)))
		return DG_OK;
	if ((fp = dg_cli_manifest_stdin(&o->mr, "-", err)) == NULL)
		return err->status;
	if (dup2(fileno(fp), STDIN_FILENO) < 0)
		return dg_error_set(err, DG_EIO, "-", 0, NULL,
		    "cannot read the spooled standard input");
	clearerr(stdin);
	return DG_OK;
}

static int
run(struct opts *o)
{
	struct dg_cap_book b;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	dg_cap_book_init(&b);
	if ((st = manifest_inputs(o, &err)) != DG_OK ||
	    (st = load(o, &b, &err)) != DG_OK)
		st = dg_cli_report(&err);
	else if (o->cmd == CAP_PRICE)
		st = cmd_price(o, &b);
	else if (o->cmd == CAP_CERTIFY)
		st = cmd_certify(o, &b);
	else
		st = cmd_check(o, &b);
	dg_cap_book_release(&b);
	dg_cli_manifest_release(&o->mr);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
