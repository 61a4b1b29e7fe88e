/* cli.c: the shared skeleton of the dg- commands. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dg_series.h"
#include "dg_zones.h"

const char *dg_progname = "dg";
static struct dg_out *cur_out;
static const char *cur_out_name;
static struct dg_csvw *cur_w;
static struct dg_zone *in_zone;	/* --in-tz's zone, freed at exit (ASan) */

static void
free_in_zone(void)
{
	dg_zone_free(in_zone);
	in_zone = NULL;
}

static void
on_signal(int sig)
{
	const char *tmp = dg_out_tmpname(cur_out);

	if (tmp != NULL)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A failed run's output on standard output (a pipe, a file), once its
 * buffered rows are out: the mark of dg_cli_finish, after the end of a
 * row cut in the middle. */
static void
mark_failed(struct dg_out *o)
{
	if (o == NULL || dg_out_fp(o) != stdout || isatty(STDOUT_FILENO))
		return;
	if (cur_w != NULL && cur_w->nfield > 0)
		putchar('\n');
	printf("#%s" DG_CSV_FAILED_MARK, dg_progname);
	fflush(stdout);
}

/* The reader's warnings: "prog: file:line: message". */
static void
warn_sink(void *arg, const struct dg_error *w)
{
	char buf[1024];

	(void)arg;
	dg_error_format(w, buf, sizeof(buf));
	fprintf(stderr, "%s: %s\n", dg_progname, buf);
}

void
dg_cli_init(struct dg_cli *c, const char *name)
{
	dg_progname = name;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	memset(c, 0, sizeof(*c));
	c->delim = ',';
	dg_csv_opts_init(&c->csv);
	dg_csv_opts_init(&c->aux);
	/* A file without a final line end: read, with a warning naming the
	 * line, when its last row is whole (meter exports and files people
	 * edit often lack it).  Files that only a market or a dg- program
	 * writes must end with one (final_newline: market files in
	 * lib/dg_fetch; the programs that read another program's output set
	 * it on cli.csv). */
	c->csv.warn = c->aux.warn = warn_sink;
	dg_tz_set(DG_TZ_DEFAULT);
}

int
dg_cli_exit_code(int st)
{
	switch (st) {
	case DG_OK:
	case DG_EOF:
	case DG_EPIPE:		return DG_EX_OK;
	case DG_EDATA:
	case DG_ERANGE:		return DG_EX_DATAERR;
	case DG_ENOINPUT:	return DG_EX_NOINPUT;
	case DG_ECREATE:	return DG_EX_CANTCREAT;
	case DG_EIO:		return DG_EX_IOERR;
	case DG_EINVAL:		return DG_EX_USAGE;
	case DG_EUNAVAIL:	return DG_EX_UNAVAILABLE;
	}
	return DG_EX_SOFTWARE;
}

void
dg_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", dg_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
dg_cli_die(int st, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", dg_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	mark_failed(cur_out);
	dg_out_abort(cur_out);
	exit(dg_cli_exit_code(st));
}

int
dg_cli_report(const struct dg_error *e)
{
	char buf[1024];

	dg_error_format(e, buf, sizeof(buf));
	fprintf(stderr, "%s: %s\n", dg_progname, buf);
	return dg_cli_exit_code(e->status);
}

void
dg_cli_version(void)
{
	printf("%s (dgagg) %s\n", dg_progname, dg_version());
	exit(0);
}

int
dg_cli_int_arg(const char *opt, const char *arg, int lo, int hi,
    void (*usage)(FILE *, int))
{
	int64_t v;

	if (dg_parse_int(arg, lo, hi, &v) != DG_OK) {
		dg_cli_warn("%s: an integer from %d to %d: \"%s\"", opt, lo, hi,
		    arg);
		usage(stderr, DG_EX_USAGE);
	}
	return (int)v;
}

double
dg_cli_double_arg(const char *opt, const char *arg, double lo, double hi,
    void (*usage)(FILE *, int))
{
	dg_dec d;
	double v = 0;

	/* through the exact parser: no exponent, no inf or nan, 18 digits */
	if (dg_dec_parse(arg, strlen(arg), &d) != DG_OK ||
	    !((v = dg_dec_to_double(d)) >= lo && v <= hi)) {
		dg_cli_warn("%s: a number from %g to %g: \"%s\"", opt, lo, hi,
		    arg);
		usage(stderr, DG_EX_USAGE);
	}
	return v;
}

dg_dec
dg_cli_dec_arg(const char *opt, const char *arg, const char *lo,
    const char *hi, void (*usage)(FILE *, int))
{
	dg_dec d, l, h;

	if (dg_dec_parse(lo, strlen(lo), &l) != DG_OK ||
	    dg_dec_parse(hi, strlen(hi), &h) != DG_OK)
		dg_cli_die(DG_EINTERNAL, "%s: bad bounds %s, %s", opt, lo, hi);
	if (dg_dec_parse(arg, strlen(arg), &d) != DG_OK ||
	    dg_dec_cmp(d, l) < 0 || dg_dec_cmp(d, h) > 0) {
		dg_cli_warn("%s: a decimal from %s to %s: \"%s\"", opt, lo, hi,
		    arg);
		usage(stderr, DG_EX_USAGE);
	}
	return d;
}

int
dg_cli_keyword_arg(const char *opt, const char *arg, const char *const *names,
    void (*usage)(FILE *, int))
{
	char list[512];
	size_t n = 0, k = 0;

	for (n = 0; names[n] != NULL; n++)
		if (strcmp(names[n], arg) == 0)
			return (int)n;
	list[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(list + k, sizeof(list) - k, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);

		if (w < 0 || (size_t)w >= sizeof(list) - k)
			break;
		k += (size_t)w;
	}
	dg_cli_warn("%s: %s: \"%s\"", opt, list, arg);
	usage(stderr, DG_EX_USAGE);
	return -1;
}

int
dg_cli_series_option(struct dg_series_opts *so, int opt, const char *arg,
    void (*usage)(FILE *, int))
{
	static const char *const units[] = { "kw", "kwh", NULL };
	static const char *const stamps[] = { "start", "end", NULL };

	switch (opt) {
	case DG_OPT_SITE:
		so->site = arg;
		return 1;
	case DG_OPT_SITE_COLUMN:
		so->key_col = arg;
		return 1;
	case DG_OPT_TIME_COLUMN:
		so->time_col = arg;
		return 1;
	case DG_OPT_COLUMN:
		so->value_col = arg;
		return 1;
	case DG_OPT_UNIT:
		so->unit = dg_cli_keyword_arg("--unit", arg, units, usage) ==
		    0 ? DG_SERIES_UNIT_KW : DG_SERIES_UNIT_KWH;
		return 1;
	case DG_OPT_STAMPS:
		so->stamp_end = dg_cli_keyword_arg("--stamps", arg, stamps,
		    usage);
		return 1;
	case DG_OPT_SORT:
		so->sort = 1;
		return 1;
	}
	return 0;
}

const char *
dg_cli_zone_arg(const char *opt, const char *market, const char *arg,
    void (*usage)(FILE *, int))
{
	const char *z;
	char known[2048];

	if (dg_zone_resolve(market, arg, &z) == DG_OK)
		return z;
	dg_zone_list(market, known, sizeof(known));
	dg_cli_warn("%s \"%s\": unknown %s zone; known: %s", opt, arg, market,
	    known);
	usage(stderr, DG_EX_USAGE);
	return NULL;
}

int64_t
dg_cli_max_span_arg(const char *arg, void (*usage)(FILE *, int))
{
	int64_t d;

	if (dg_parse_int(arg, 0, 36500, &d) != DG_OK) {
		dg_cli_warn("--max-span: days from 0 (no limit) to 36500: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	return d * 86400;
}

dg_date
dg_cli_date_arg(const char *opt, const char *arg, void (*usage)(FILE *, int))
{
	dg_date d;

	if (dg_date_parse(arg, strlen(arg), &d) != DG_OK) {
		dg_cli_warn("%s: a date YYYY-MM-DD: \"%s\"", opt, arg);
		usage(stderr, DG_EX_USAGE);
	}
	return d;
}

dg_time
dg_cli_stamp_arg(const struct dg_cli *c, const char *opt, const char *arg,
    void (*usage)(FILE *, int))
{
	struct dg_tstamp ts;
	const char *why;

	if (dg_time_parse(arg, strlen(arg), c->tz_given, &ts, &why) != DG_OK) {
		dg_cli_warn("%s: %s: \"%s\"", opt, why, arg);
		usage(stderr, DG_EX_USAGE);
	}
	return ts.t;
}

void
dg_cli_no_output(const struct dg_cli *c, const char *what,
    void (*usage)(FILE *, int))
{
	if (c->output == NULL && !c->crlf && !c->bom && c->point == 0)
		return;
	dg_cli_warn("%s writes no CSV: -o, --crlf, --bom, --excel and "
	    "--decimal-comma are not for it", what);
	usage(stderr, DG_EX_USAGE);
}

static char
parse_delim(const char *arg)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
		return '\t';
	if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' &&
	    arg[0] != '\r' && arg[0] != '.')
		return arg[0];
	return 0;
}

/* A decimal comma needs a delimiter other than ','. */
static void
sheet_check(const struct dg_cli *c, void (*usage)(FILE *, int))
{
	if (c->point == ',' && c->delim == ',') {
		dg_cli_warn("--decimal-comma: not with -d ',' (every number would "
		    "need quotes): ';' is its delimiter, or -d tab");
		usage(stderr, DG_EX_USAGE);
	}
}

int
dg_cli_option(struct dg_cli *c, int opt, const char *arg,
    void (*usage)(FILE *, int))
{
	switch (opt) {
	case 'd':
		if ((c->delim = parse_delim(arg)) == 0) {
			dg_cli_warn("bad delimiter \"%s\": one character, or \"tab\"", arg);
			usage(stderr, DG_EX_USAGE);
		}
		c->csv.delim = c->delim;
		c->delim_given = 1;
		sheet_check(c, usage);
		return 1;
	case 'o':
		c->output = arg;
		return 1;
	case DG_OPT_TZ:
		if (dg_tz_set(arg) != DG_OK) {
			dg_cli_warn("unknown time zone \"%s\"", arg);
			usage(stderr, DG_EX_USAGE);
		}
		c->tz_given = 1;
		c->csv.allow_naive = 1;
		c->aux.allow_naive = 1;
		return 1;
	case DG_OPT_IN_TZ: {
		/* the zone of the input's naive stamps, when it is not the
		 * market's (a meter export in EST all year) */
		struct dg_zone *z;

		if (dg_zone_open(arg, &z) != DG_OK) {
			dg_cli_warn("--in-tz: unknown time zone \"%s\"", arg);
			usage(stderr, DG_EX_USAGE);
		}
		dg_zone_free(c->csv.zone);
		if (in_zone == NULL)
			atexit(free_in_zone);
		c->csv.zone = in_zone = z;
		c->csv.allow_naive = 1;
		return 1;
	}
	case DG_OPT_CRLF:
		c->crlf = 1;
		return 1;
	case DG_OPT_BOM:
		c->bom = 1;
		return 1;
	case DG_OPT_STRICT:
		c->strict = 1;
		return 1;
	case DG_OPT_EXCEL:
		c->bom = c->crlf = 1;
		return 1;
	case DG_OPT_DECIMAL_COMMA:
		c->point = ',';
		if (!c->delim_given)
			c->delim = ';';
		sheet_check(c, usage);
		return 1;
	case 'h':
		usage(stdout, 0);
		return 1;
	case DG_OPT_VERSION:
		dg_cli_version();
		return 1;
	case '?':
		usage(stderr, DG_EX_USAGE);
		return 1;
	}
	return 0;
}

struct dg_out *
dg_cli_open_output(struct dg_cli *c, struct dg_csvw *w)
{
	struct dg_out *o;
	struct dg_error e;

	dg_error_clear(&e);
	if (dg_out_open(&o, c->output, &e) != DG_OK)
		exit(dg_cli_report(&e));
	cur_out = o;
	cur_out_name = c->output && strcmp(c->output, "-") != 0 ?
	    c->output : "standard output";
	cur_w = w;
	dg_cli_csvw_init(c, w, dg_out_fp(o));
	return o;
}

void
dg_cli_csvw_init(const struct dg_cli *c, struct dg_csvw *w, FILE *fp)
{
	dg_csvw_init(w, fp, c->delim, c->crlf, c->bom);
	if (c->point != 0)
		w->point = c->point;
}


int
dg_cli_finish(struct dg_out *o, int st, const struct dg_error *e)
{
	struct dg_error ce;

	cur_out = NULL;
	if (st != DG_OK && st != DG_EOF && st != DG_EPIPE) {
		mark_failed(o);
		dg_out_abort(o);
		if (e == NULL || e->status == DG_OK) {
			/* the writer failed: it has no dg_error of its own */
			dg_error_set(&ce, st, cur_out_name, 0, NULL,
			    "write error: %s", strerror(cur_w && cur_w->errnum ?
			    cur_w->errnum : EIO));
			return dg_cli_report(&ce);
		}
		return dg_cli_report(e);
	}
	dg_error_clear(&ce);
	if (o != NULL) {
		st = dg_out_commit(o, &ce);
		if (st != DG_OK && st != DG_EPIPE)
			return dg_cli_report(&ce);
	}
	return DG_EX_OK;
}

struct dg_out *
dg_cli_open_more(struct dg_cli *c, const char *path, struct dg_csvw *w)
{
	struct dg_out *o;
	struct dg_error e;

	dg_error_clear(&e);
	if (dg_out_open(&o, path, &e) != DG_OK) {
		int st = dg_cli_report(&e);

		dg_out_abort(cur_out);
		exit(st);
	}
	dg_cli_csvw_init(c, w, dg_out_fp(o));
	return o;
}

int
dg_cli_finish_all(struct dg_out **o, size_t n, int st,
    const struct dg_error *e)
{
	struct dg_error ce;

	if (st != DG_OK && st != DG_EOF && st != DG_EPIPE) {
		for (size_t i = 1; i < n; i++) {
			dg_out_abort(o[i]);
			o[i] = NULL;
		}
		st = dg_cli_finish(o[0], st, e);
		o[0] = NULL;
		return st;
	}
	cur_out = NULL;
	dg_error_clear(&ce);
	st = dg_out_commit_all(o, n, &ce);
	if (st != DG_OK && st != DG_EPIPE)
		return dg_cli_report(&ce);
	return DG_EX_OK;
}

/* --- the manifest of a run --------------------------------------------- */

void
dg_cli_manifest_init(struct dg_cli_manifest *mr, const char *program,
    const char *path, int argc, char *const *argv)
{
	memset(mr, 0, sizeof(*mr));
	mr->path = path;
	if (path != NULL &&
	    (dg_manifest_init(&mr->m, program, dg_version()) != DG_OK ||
	    dg_manifest_args(&mr->m, argc, argv) != DG_OK))
		dg_cli_die(DG_ENOMEM, "out of memory");
}

void
dg_cli_manifest_input(struct dg_cli_manifest *mr, const char *role,
    const char *path)
{
	if (mr->path != NULL && path != NULL &&
	    dg_manifest_input(&mr->m, role, path) != DG_OK)
		dg_cli_die(DG_ENOMEM, "out of memory");
}

FILE *
dg_cli_manifest_stdin(struct dg_cli_manifest *mr, const char *input,
    struct dg_error *err)
{
	FILE *fp = NULL;

	if (mr->path == NULL || strcmp(input, "-") != 0)
		return NULL;
	if (dg_manifest_stdin(&mr->m, &fp, err) != DG_OK)
		return NULL;
	return fp;
}

int
dg_cli_manifest_open(struct dg_cli_manifest *mr, struct dg_error *err)
{
	if (mr->path == NULL)
		return DG_OK;
	return dg_out_open(&mr->out, mr->path, err);
}

int
dg_cli_manifest_series_open(struct dg_cli_manifest *mr,
    struct dg_series_reader **sr, const char *input,
    const struct dg_series_opts *so, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	FILE *fp = dg_cli_manifest_stdin(mr, input, err);

	if (fp != NULL)
		return dg_series_open_fp(sr, fp, "<stdin>", so, csv, err);
	if (err->status != DG_OK)
		return err->status;
	return dg_series_open(sr, input, so, csv, err);
}

int
dg_cli_manifest_write(struct dg_cli_manifest *mr, struct dg_out *const *outs,
    const char *const *names, const char *const *roles, size_t n,
    struct dg_error *err)
{
	if (mr->path == NULL)
		return DG_OK;
	for (size_t i = 0; i < n; i++) {
		if (outs[i] == NULL || dg_out_tmpname(outs[i]) == NULL)
			continue;	/* standard output, a device: no hash */
		if (fflush(dg_out_fp(outs[i])) != 0)
			return dg_error_set(err, DG_EIO, names[i], 0, NULL,
			    "write error: %s", strerror(errno));
		if (dg_manifest_output(&mr->m, roles[i], names[i],
		    dg_out_tmpname(outs[i])) != DG_OK)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	return dg_manifest_write(&mr->m, dg_out_fp(mr->out), mr->path, err);
}

void
dg_cli_manifest_release(struct dg_cli_manifest *mr)
{
	if (mr->path != NULL)
		dg_manifest_release(&mr->m);
}
