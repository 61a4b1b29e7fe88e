/* cli.h: what every dg- command shares: its name in messages, sysexits,
 * the common options, and the end of a run.  Only commands print; the
 * library returns statuses. */
#ifndef DG_CLI_H
#define DG_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "dgagg.h"
#include "dg_manifest.h"

/* sysexits(3) */
#define DG_EX_OK 0
#define DG_EX_USAGE 64
#define DG_EX_DATAERR 65
#define DG_EX_NOINPUT 66
#define DG_EX_UNAVAILABLE 69
#define DG_EX_SOFTWARE 70
#define DG_EX_CANTCREAT 73
#define DG_EX_IOERR 74

extern const char *dg_progname;

/* Long options shared by every command, for getopt_long tables. */
enum {
	DG_OPT_TZ = 0x1000,
	DG_OPT_CRLF,
	DG_OPT_BOM,
	DG_OPT_STRICT,
	DG_OPT_HELP,
	DG_OPT_VERSION,
	DG_OPT_IN_TZ,
	DG_OPT_FIRST_OWN	/* a command's own long options start here */
};
/* The common options' line of every usage text, its last, after "[common
 * options]" in the program's own lines; the man page's SYNOPSIS ends with
 * the same list (tests/usage-synopsis.sh), and dgagg(7), COMMON OPTIONS,
 * describes them. */
#define DG_CLI_USAGE \
"common options: [--strict] [--tz ZONE] [--in-tz ZONE] [-d DELIM] [--crlf]\n" \
"                [--bom] [--excel] [--decimal-comma] [-o FILE]\n"
#define DG_CLI_LONGOPTS \
	{ "delimiter", required_argument, NULL, 'd' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "tz", required_argument, NULL, DG_OPT_TZ }, \
	{ "in-tz", required_argument, NULL, DG_OPT_IN_TZ }, \
	{ "crlf", no_argument, NULL, DG_OPT_CRLF }, \
	{ "bom", no_argument, NULL, DG_OPT_BOM }, \
	{ "strict", no_argument, NULL, DG_OPT_STRICT }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, DG_OPT_VERSION }, \
	DG_CLI_SHEET_LONGOPTS

/* Output for spreadsheets (dgagg(7), SPREADSHEETS), in every command's
 * table through DG_CLI_LONGOPTS:
 *   --excel          a byte order mark and CR LF line ends (as --bom
 *                    --crlf); with either, text that a spreadsheet would
 *                    run as a formula is neutralized
 *   --decimal-comma  numbers with a decimal comma, ';' the delimiter
 *                    unless -d says tab or another (-d ',' is a usage
 *                    error) */
enum {
	DG_OPT_EXCEL = 0x1200,
	DG_OPT_DECIMAL_COMMA
};
#define DG_CLI_SHEET_LONGOPTS \
	{ "excel", no_argument, NULL, DG_OPT_EXCEL }, \
	{ "decimal-comma", no_argument, NULL, DG_OPT_DECIMAL_COMMA }

/* The reading contract's options (dgagg(7), Reading meter data), one
 * table for every program that reads meter or load data:
 *   --site NAME          a file of one site (no site column)
 *   --site-column COL    the column of the site (default site)
 *   --time-column COL    the column of the stamps (default time)
 *   --column COL         the column of the values (default load_kw)
 *   --unit kw|kwh        the values' unit when the column's name has none
 *   --stamps start|end   stamps label their interval's start or end
 *   --sort               rows in any order, whatever the first rows say */
enum {
	DG_OPT_SITE = 0x1100,
	DG_OPT_SITE_COLUMN,
	DG_OPT_TIME_COLUMN,
	DG_OPT_COLUMN,
	DG_OPT_UNIT,
	DG_OPT_STAMPS,
	DG_OPT_SORT
};
#define DG_CLI_SERIES_LONGOPTS \
	{ "site", required_argument, NULL, DG_OPT_SITE }, \
	{ "site-column", required_argument, NULL, DG_OPT_SITE_COLUMN }, \
	{ "time-column", required_argument, NULL, DG_OPT_TIME_COLUMN }, \
	{ "column", required_argument, NULL, DG_OPT_COLUMN }, \
	{ "unit", required_argument, NULL, DG_OPT_UNIT }, \
	{ "stamps", required_argument, NULL, DG_OPT_STAMPS }, \
	{ "sort", no_argument, NULL, DG_OPT_SORT }
/* The reading options' line of a usage text, after "[reading options]"
 * in the program's own lines (--in-tz is a common option). */
#define DG_CLI_SERIES_USAGE \
"reading options: [--site NAME | --site-column COL] [--time-column COL]\n" \
"                 [--column COL] [--unit kw|kwh] [--stamps start|end]\n" \
"                 [--sort]\n"

struct dg_series_opts;
/* Handles a reading option into so; returns 1 if it was one. */
int dg_cli_series_option(struct dg_series_opts *so, int opt, const char *arg,
    void (*usage)(FILE *, int));

struct dg_cli {
	char delim;
	int crlf, bom, strict;
	const char *output;	/* -o FILE, or NULL for standard output */
	int tz_given;
	struct dg_csv_opts csv;	/* input options (delimiter, naive stamps) */
	struct dg_csv_opts aux;	/* for auxiliary files (sites.csv ...): as csv,
				 * but the delimiter is always found in the
				 * header line */
	int delim_given;	/* -d was given */
	char point;		/* the output's decimal mark: 0 ('.') or ',' */
};

/* Names the command, ignores SIGPIPE (a closed pipe is seen as EPIPE and
 * ends the run quietly), removes the output's temporary file on SIGINT,
 * SIGTERM and SIGHUP, gives the readers a warning sink that prints, and
 * sets the default zone.  (GSL's error handler is turned off where the
 * fits are made: dg_fc_work_alloc in lib/dg_forecast.c.) */
void dg_cli_init(struct dg_cli *c, const char *name);
/* Handles a common option; returns 1 if it was one.  usage is called for
 * -h (to stdout, exit 0) and on a bad value (exit 64). */
int dg_cli_option(struct dg_cli *c, int opt, const char *arg,
    void (*usage)(FILE *, int));
void dg_cli_version(void);
/* Option values: an integer from lo to hi, a date YYYY-MM-DD.  A bad
 * value prints "prog: OPT: what: \"ARG\"" and calls usage(stderr, 64). */
int dg_cli_int_arg(const char *opt, const char *arg, int lo, int hi,
    void (*usage)(FILE *, int));
dg_date dg_cli_date_arg(const char *opt, const char *arg,
    void (*usage)(FILE *, int));
/* A number from lo to hi (plain decimal, no exponent); a bad value prints
 * "prog: OPT: a number from LO to HI: \"ARG\"" and exits 64. */
double dg_cli_double_arg(const char *opt, const char *arg, double lo,
    double hi, void (*usage)(FILE *, int));
/* An exact decimal (money, kW) from lo to hi ("prog: OPT: a decimal from
 * LO to HI: \"ARG\""). */
dg_dec dg_cli_dec_arg(const char *opt, const char *arg, const char *lo,
    const char *hi, void (*usage)(FILE *, int));
/* One of the keywords of the NULL-terminated table names: its index
 * ("prog: OPT: a, b or c: \"ARG\""). */
int dg_cli_keyword_arg(const char *opt, const char *arg,
    const char *const *names, void (*usage)(FILE *, int));
/* A zone or hub of market as its files write it ("NYC" -> "N.Y.C.",
 * lib/dg_zones.h); a name that is no zone of a market whose zones are all
 * known prints "prog: OPT \"ARG\": unknown MARKET zone; known: ..." and
 * exits 64. */
const char *dg_cli_zone_arg(const char *opt, const char *market,
    const char *arg, void (*usage)(FILE *, int));
/* A date-time with its UTC offset (2022-07-20T11:00-04:00), or a local
 * one in the market's zone when --tz was given: call it once the options
 * are parsed, so that --tz counts wherever it stands.  A bad value prints
 * "prog: OPT: why: \"ARG\"" and exits 64. */
dg_time dg_cli_stamp_arg(const struct dg_cli *c, const char *opt,
    const char *arg, void (*usage)(FILE *, int));
/* For a command (or subcommand) that writes no CSV: an output option
 * given (-o, --crlf, --bom, --excel, --decimal-comma) prints "prog: WHAT
 * writes no CSV: ..." and exits 64. */
void dg_cli_no_output(const struct dg_cli *c, const char *what,
    void (*usage)(FILE *, int));
/* --max-span DAYS (0: no limit, up to 36500), in seconds. */
int64_t dg_cli_max_span_arg(const char *arg, void (*usage)(FILE *, int));
int dg_cli_exit_code(int status);
void dg_cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "prog: msg" and exits with status's sysexit. */
__attribute__((noreturn)) void dg_cli_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints the error and returns its sysexit. */
int dg_cli_report(const struct dg_error *e);

/* Opens the output (-o FILE atomically, or standard output) and a CSV
 * writer on it; on failure prints and exits 73. */
struct dg_out *dg_cli_open_output(struct dg_cli *c, struct dg_csvw *w);
/* A CSV writer on fp (another output of the command) with the command's
 * output options: delimiter, line ends, byte order mark, decimal mark. */
void dg_cli_csvw_init(const struct dg_cli *c, struct dg_csvw *w, FILE *fp);
/* Ends a run: on st == DG_OK commits the output (a closed pipe is not a
 * failure), otherwise removes it and reports e.  Returns the exit status.
 * A failed run whose output is standard output, not a terminal, ends it
 * with the line "#PROG FAILED: output incomplete" and no line end
 * (DG_CSV_FAILED_MARK): whatever reads it next refuses it, and a person
 * sees it. */
int dg_cli_finish(struct dg_out *o, int st, const struct dg_error *e);

/* Several outputs: the program opens -o with dg_cli_open_output, then each
 * other output (--notices FILE ...) with dg_cli_open_more, before it
 * writes any; a failure to open prints, removes what was opened and exits
 * 73.  dg_cli_finish_all ends the run: on st == DG_OK every output is
 * committed together (dg_out_commit_all: all or none), otherwise all are
 * removed and e is reported.  o[0] is -o's; o[i] are set NULL. */
struct dg_out *dg_cli_open_more(struct dg_cli *c, const char *path,
    struct dg_csvw *w);
int dg_cli_finish_all(struct dg_out **o, size_t n, int st,
    const struct dg_error *e);

/* --manifest FILE: the record of a run (lib/dg_manifest.h), the same for
 * every program.
 *	dg_cli_manifest_init(&mr, "dg-cbl", path, argc, argv);  (NULL: none)
 *	dg_cli_manifest_input(&mr, "events", events_path); ...
 *	fp = stdin spooled by dg_cli_manifest_stdin when the input is "-"
 *	dg_cli_manifest_open(&mr, &err);    before anything is written
 *	... write the outputs ...
 *	dg_cli_manifest_write(&mr, outs, names, roles, n, &err);
 *	then commit outs and mr.out together (dg_out_commit_all); on any
 *	failure abort them all (mr.out is the caller's to commit or abort).
 *	dg_cli_manifest_release at the end. */
struct dg_cli_manifest {
	const char *path;	/* NULL: no manifest asked for */
	struct dg_manifest m;
	struct dg_out *out;	/* the manifest's own output */
};
void dg_cli_manifest_init(struct dg_cli_manifest *mr, const char *program,
    const char *path, int argc, char *const *argv);
void dg_cli_manifest_input(struct dg_cli_manifest *mr, const char *role,
    const char *path);
/* With a manifest and the input "-": standard input spooled to be hashed,
 * the stream to read instead; else NULL (read path as usual). */
FILE *dg_cli_manifest_stdin(struct dg_cli_manifest *mr, const char *input,
    struct dg_error *err);
int dg_cli_manifest_open(struct dg_cli_manifest *mr, struct dg_error *err);
/* dg_series_open of input, standard input spooled by
 * dg_cli_manifest_stdin first (a program's load, as dg-cbl's). */
struct dg_series_reader;
int dg_cli_manifest_series_open(struct dg_cli_manifest *mr,
    struct dg_series_reader **sr, const char *input,
    const struct dg_series_opts *so, const struct dg_csv_opts *csv,
    struct dg_error *err);
/* Records the outputs' hashes (files only: standard output has none) and
 * writes the manifest, uncommitted. */
int dg_cli_manifest_write(struct dg_cli_manifest *mr,
    struct dg_out *const *outs, const char *const *names,
    const char *const *roles, size_t n, struct dg_error *err);
void dg_cli_manifest_release(struct dg_cli_manifest *mr);

#endif
