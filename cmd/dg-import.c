/* dg-import: a meter export as it comes (any columns, units, stamps,
 * zone, order, narrow or wide) to the toolkit's load file
 * `site,time,load_kw,quality`. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_extsort.h"
#include "dg_import.h"

enum {
	OPT_LAYOUT = DG_OPT_FIRST_OWN,
	OPT_DATE_COLUMN,
	OPT_HOURLY,
	OPT_MAX_SPAN
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	DG_CLI_SERIES_LONGOPTS,
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "date-column", required_argument, NULL, OPT_DATE_COLUMN },
	{ "hourly", no_argument, NULL, OPT_HOURLY },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-import [--layout narrow|sites|days] [--date-column COL]\n"
"                 [reading options] [--hourly] [--max-span DAYS]\n"
"                 [common options] [FILE]\n"
DG_CLI_SERIES_USAGE
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	struct dg_series_opts so;
	struct dg_import_opts io;
	const char *input;
};

static void
parse(struct opts *o, int argc, char **argv)
{
	static const char *const layouts[] = {
		"narrow", "sites", "days", NULL
	};
	int c;

	dg_cli_init(&o->cli, "dg-import");
	memset(&o->so, 0, sizeof(o->so));
	memset(&o->io, 0, sizeof(o->io));
	o->so.load = 1;
	o->so.keep_missing = 1;
	o->so.max_span_s = 366 * 86400;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage) ||
		    dg_cli_series_option(&o->so, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_LAYOUT:
			o->io.layout = dg_cli_keyword_arg("--layout", optarg,
			    layouts, usage);
			break;
		case OPT_DATE_COLUMN:
			o->io.date_col = optarg;
			break;
		case OPT_HOURLY:
			o->so.hourly = 1;
			break;
		case OPT_MAX_SPAN:
			o->so.max_span_s = dg_cli_max_span_arg(optarg, usage);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	o->input = optind < argc ? argv[optind] : "-";
	if (o->io.layout != DG_IMPORT_NARROW &&
	    o->so.unit == DG_SERIES_UNIT_NAME) {
		dg_cli_warn("--layout %s: --unit kw or kwh is needed (the columns are sites or intervals)",
		    o->io.layout == DG_IMPORT_SITES ? "sites" : "days");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->io.layout == DG_IMPORT_DAYS && o->so.stamp_end) {
		dg_cli_warn("--layout days: a column's place says its interval; --stamps does not apply");
		usage(stderr, DG_EX_USAGE);
	}
}

/* A wide layout is reshaped into a temporary narrow file, read then as
 * any narrow file (one reading contract). */
static int
reshape(struct opts *o, FILE **tmp, struct dg_error *err)
{
	int st;

	o->io.time_col = o->so.time_col;
	o->io.site_col = o->so.key_col;
	o->io.site = o->so.site;
	o->io.value_col = o->so.unit == DG_SERIES_UNIT_KW ?
	    "load_kw" : "load_kwh";
	if ((st = dg_tmpfile(tmp, err)) != DG_OK ||
	    (st = dg_import_reshape(o->input, &o->io, &o->cli.csv, *tmp,
	    err)) != DG_OK)
		return st;
	rewind(*tmp);
	o->so.time_col = NULL;
	o->so.key_col = NULL;
	o->so.site = NULL;
	o->so.value_col = o->io.value_col;
	o->so.line_col = "line";
	o->so.unit = DG_SERIES_UNIT_NAME;
	o->so.stamp_end = 0;
	return DG_OK;
}

static int
write_site(struct dg_csvw *w, const struct dg_series *s)
{
	for (size_t i = 0; i < s->n; i++) {
		dg_csvw_str(w, s->site);
		dg_csvw_time(w, s->p[i].t);
		if (s->p[i].missing) {
			dg_csvw_empty(w);
			dg_csvw_str(w, "missing");
		} else {
			dg_csvw_dec(w, s->p[i].x, -1);
			dg_csvw_str(w, "ok");
		}
		if (dg_csvw_end_row(w) != DG_OK)
			return w->status;
	}
	return DG_OK;
}

/* Holes and incomplete hours: said on standard error; --strict: an
 * error. */
static int
check_site(const struct opts *o, const struct dg_series *s, const char *name,
    struct dg_error *err)
{
	if (s->missing > 0) {
		if (o->cli.strict)
			return dg_error_set(err, DG_EDATA, name,
			    s->missing_line,
			    o->so.value_col ? o->so.value_col : "load_kw",
			    "site %s: an empty reading (--strict)", s->site);
		dg_cli_warn("site %s: %ld empty reading%s, written with quality missing (the first: %s:%ld)",
		    s->site, s->missing, s->missing == 1 ? "" : "s", name,
		    s->missing_line);
	}
	if (s->incomplete > 0) {
		if (o->cli.strict)
			return dg_error_set(err, DG_EDATA, name, 0, NULL,
			    "site %s: %ld incomplete hour%s (--strict)",
			    s->site, s->incomplete,
			    s->incomplete == 1 ? "" : "s");
		dg_cli_warn("site %s: %ld incomplete hour%s left out (--hourly)",
		    s->site, s->incomplete, s->incomplete == 1 ? "" : "s");
	}
	return DG_OK;
}

static int
run(struct opts *o)
{
	static const char *const hdr[] = {
		"site", "time", "load_kw", "quality"
	};
	struct dg_error err;
	struct dg_series_reader *sr = NULL;
	struct dg_series s = { 0 };
	struct dg_csvw w;
	struct dg_out *out;
	FILE *tmp = NULL;
	const char *name = strcmp(o->input, "-") == 0 ? "<stdin>" : o->input;
	int st = DG_OK;

	dg_error_clear(&err);
	if (o->so.value_col == NULL)
		o->so.value_col = "load_kw";
	if (o->io.layout != DG_IMPORT_NARROW &&
	    (st = reshape(o, &tmp, &err)) != DG_OK) {
		if (tmp)
			fclose(tmp);
		return dg_cli_report(&err);
	}
	out = dg_cli_open_output(&o->cli, &w);
	if (tmp != NULL)
		st = dg_series_open_fp(&sr, tmp, name, &o->so, &o->cli.csv,
		    &err);
	else
		st = dg_series_open(&sr, o->input, &o->so, &o->cli.csv, &err);
	if (st == DG_OK && dg_csvw_header(&w, hdr, 4) != DG_OK)
		st = w.status;
	while (st == DG_OK && (st = dg_series_next(sr, &s)) == DG_OK)
		if ((st = check_site(o, &s, name, &err)) == DG_OK)
			st = write_site(&w, &s);
	if (st == DG_EOF)
		st = DG_OK;
	dg_series_close(sr);
	dg_series_release(&s);
	if (tmp)
		fclose(tmp);
	return dg_cli_finish(out, st, &err);
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
