/* dg-settle.h: what the files of dg-settle share, private to the program.
 * cmd/dg-settle.c holds the options, the outputs and manifest of a run,
 * the price reader and the aligned text tables; cmd/dg-settle-CMD.c each
 * subcommand (cmd_CMD). */
#ifndef DG_SETTLE_CMD_H
#define DG_SETTLE_CMD_H

#include <stdio.h>

#include "cli.h"
#include "dg_settle.h"
#include "dg_sites.h"

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
	const char *cbl, *paper;	/* statement --format html, pdf */
	const char *hashes[MAXFILES];	/* their manifests at the foot */
	int nhashes;
	const char *rt[MAXFILES], *da[MAXFILES];
	int nrt, nda;
	const char *oldm[MAXFILES], *newm[MAXFILES];	/* delta's manifests */
	int noldm, nnewm;
	struct dg_settle_params par;
	struct dg_settle_price_opts po;
	int portfolio, totals, months, text;
	enum { FMT_CSV, FMT_TEXT, FMT_HTML, FMT_PDF } format;
	int site_decimals, total_decimals;
	dg_date from, to;	/* --from, --to: dates selected (inclusive) */
	int dates;		/* --from or --to given */
	dg_dec delivery;
	int argc;
	char **argv;
	char **args;		/* the operands */
	int nargs;
};

/* The usage text, to fp; exits with status. */
void usage(FILE *fp, int status);
/* A usage error "WHAT is required" when have is NULL. */
void required(const char *have, const char *what);

/* --- Outputs and the manifest (a run of a subcommand) ----------------- */

/* What a run writes: the main output (-o FILE or standard output),
 * --lines, and the manifest, opened together before anything is written
 * and committed together: a failed run leaves none of them. */
struct run {
	struct dg_out *out, *lines;
	struct dg_csvw w;	/* on out */
	struct dg_cli_manifest mr;	/* --manifest (cmd/cli.h) */
};
void run_init(const struct opts *o, struct run *x);
/* Records an input file for the manifest (path NULL: none). */
void record(struct run *x, const char *role, const char *path);
/* Opens the outputs (the main one exits 73 by itself when it cannot). */
int run_open(struct opts *o, struct run *x, struct dg_error *err);
/* Ends a run with status st: on success the manifest is written and every
 * output committed together; otherwise none is, and err is reported.
 * Returns the exit status. */
int run_end(const struct opts *o, struct run *x, int st,
    struct dg_error *err);
/* Opens the main input; with a manifest, standard input is spooled to a
 * temporary file first so that it can be hashed. */
int open_input(struct opts *o, struct run *x, struct dg_csv **r,
    struct dg_error *err);

/* --- Prices ------------------------------------------------------------ */

/* What pay prices: the hours of the calls (and the minimum-hours hours
 * after them) when the events are known, in the sites' zones. */
struct wanted {
	const struct dg_events *events;
	const struct dg_settle_programs *programs;
	const struct dg_sites *sites;
	const char *zone;
	int min_hours_rule;
};
/* --rt-prices and --da-prices, recorded for the manifest; w (or NULL)
 * says which hours and zones to keep. */
int read_prices(const struct opts *o, const struct wanted *w,
    struct dg_settle_prices **rt, struct dg_settle_prices **da,
    struct run *x, struct dg_error *err);
/* The zone of a site's prices: --zone's without --sites, NULL for a site
 * without one. */
const char *site_zone(const struct opts *o, const struct dg_sites *ss,
    const char *site);

/* --- Aligned text -------------------------------------------------------- */

/* A table of rows x cols strings, written with right-aligned columns (the
 * first column left-aligned), or as CSV. */
struct textab {
	char **cell;
	size_t rows, cols;
};
int tab_init(struct textab *t, size_t rows, size_t cols);
/* Cell i (row-major) := a copy of s. */
int tab_put(struct textab *t, size_t i, const char *s);
void tab_text(FILE *fp, const struct textab *t, const char *eol);
int tab_csv(struct dg_csvw *w, const struct textab *t);
void tab_free(struct textab *t);
/* d at scale decimals (scale < 0: its own) into buf, with thousands
 * separators when commas. */
void fmt_dec(dg_dec d, int scale, int commas, char *buf, size_t n);

/* --- The subcommands: each returns the exit status -------------------- */

/* statement --format html or pdf: the statement (its CSV, len bytes) as
 * a page per participant and month in the directory of -o
 * (cmd/dg-settle-html.c). */
int stmt_pages(const struct opts *o, const char *csv, size_t len,
    struct dg_error *err);

int cmd_pay(struct opts *o);
int cmd_statement(struct opts *o);
int cmd_shadow(struct opts *o);
int cmd_report(struct opts *o);
int cmd_prices(struct opts *o);
int cmd_verify(struct opts *o);
int cmd_delta(struct opts *o);
int cmd_summary(struct opts *o);

#endif
