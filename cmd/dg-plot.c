/* dg-plot: charts of the toolkit's outputs (the event day, forecasts,
 * prices and bids, performance per event, UCAP, price duration) as SVG
 * or PNG, drawn by gnuplot on a pipe. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_plot.h"
#include "dg_zones.h"

enum {
	OPT_KIND = DG_OPT_FIRST_OWN,
	OPT_FORMAT,
	OPT_SIZE,
	OPT_TITLE,
	OPT_SITE,
	OPT_EVENT,
	OPT_ZONE,
	OPT_SITES,
	OPT_STRIKE,
	OPT_SCRIPT
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "strike", required_argument, NULL, OPT_STRIKE },
	{ "script", no_argument, NULL, OPT_SCRIPT },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-plot [--kind auto|day|forecast|prices|events|ucap|duration]\n"
"               [--format svg|png] [--script] [--size WxH] [--title TEXT]\n"
"               [--site NAME] [--event ID] [--zone NAME] [--sites FILE]\n"
"               [--strike USD] [common options] [FILE ...]\n"
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	struct dg_plot_opts po;
	int script;		/* --script: the gnuplot script, not run */
	const char *const *files;
	size_t nfiles;
};

/* --size WxH: from 200x150 to 4000x4000 pixels. */
static void
size_arg(struct opts *o, const char *arg)
{
	const char *x = strchr(arg, 'x');
	char w[16];

	if (x == NULL || (size_t)(x - arg) >= sizeof(w)) {
		dg_cli_warn("--size: WIDTHxHEIGHT in pixels: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	memcpy(w, arg, (size_t)(x - arg));
	w[x - arg] = '\0';
	o->po.width = dg_cli_int_arg("--size", w, 200, 4000, usage);
	o->po.height = dg_cli_int_arg("--size", x + 1, 150, 4000, usage);
}

/* A zone as NYISO's files write it ("LI" is LONGIL); another market's
 * name as it is typed. */
static const char *
zone_arg(const char *arg)
{
	const char *z;

	return dg_zone_resolve("NYISO", arg, &z) == DG_OK ? z : arg;
}

static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const formats[] = { "svg", "png", NULL };

	switch (c) {
	case OPT_KIND:
		o->po.kind = (enum dg_plot_kind)dg_cli_keyword_arg("--kind",
		    arg, dg_plot_kind_names, usage);
		break;
	case OPT_FORMAT:
		o->po.format = (enum dg_plot_format)dg_cli_keyword_arg(
		    "--format", arg, formats, usage);
		break;
	case OPT_SIZE:
		size_arg(o, arg);
		break;
	case OPT_TITLE:
		o->po.title = arg;
		break;
	case OPT_SITE:
		o->po.site = arg;
		break;
	case OPT_EVENT:
		o->po.event = arg;
		break;
	case OPT_ZONE:
		o->po.zone = zone_arg(arg);
		break;
	case OPT_SITES:
		o->po.sites = arg;
		break;
	case OPT_SCRIPT:
		o->script = 1;
		break;
	case OPT_STRIKE:
		o->po.strike = dg_cli_dec_arg("--strike", arg, "-1000",
		    "100000", usage);
		o->po.has_strike = 1;
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
parse(struct opts *o, int argc, char **argv)
{
	static const char *const stdin_only[] = { "-", NULL };
	int c, stdin_seen = 0;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-plot");
	dg_plot_opts_init(&o->po);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	o->files = (const char *const *)(argv + optind);
	o->nfiles = (size_t)(argc - optind);
	if (o->nfiles == 0) {
		o->files = stdin_only;
		o->nfiles = 1;
	}
	for (size_t i = 0; i < o->nfiles; i++)
		if (strcmp(o->files[i], "-") == 0 && stdin_seen++) {
			dg_cli_warn("standard input (\"-\") given twice");
			usage(stderr, DG_EX_USAGE);
		}
	if (o->nfiles > 8) {
		dg_cli_warn("at most 8 files");
		usage(stderr, DG_EX_USAGE);
	}
}

static int
run(struct opts *o)
{
	struct dg_chart c;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	int st;

	dg_error_clear(&err);
	dg_chart_init(&c);
	st = dg_plot_read(&c, o->files, o->nfiles, &o->po, &o->cli.csv,
	    &err);
	if (st != DG_OK) {
		dg_chart_release(&c);
		return dg_cli_report(&err);
	}
	out = dg_cli_open_output(&o->cli, &w);
	if (o->script)
		st = dg_plot_script(&c, &o->po, dg_out_fp(out));
	else
		st = dg_plot_render(&c, &o->po, dg_out_fp(out), &err);
	dg_chart_release(&c);
	return dg_cli_finish(out, st, &err);
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
