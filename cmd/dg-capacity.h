/* dg-capacity.h: what the files of dg-capacity share, private to the
 * program.  cmd/dg-capacity.c holds the options, the book's reading and
 * main; cmd/dg-capacity-price.c the subcommand price,
 * cmd/dg-capacity-certify.c certify and check. */
#ifndef DG_CAPACITY_CMD_H
#define DG_CAPACITY_CMD_H

#include "cli.h"
#include "dg_capacity.h"

enum cap_cmd { CAP_PRICE, CAP_CERTIFY, CAP_CHECK };

struct opts {
	struct dg_cli cli;
	enum cap_cmd cmd;
	const char *ucap, *sales, *prices, *sites;
	const char *input;		/* check's certification file */
	const char *manifest;		/* price's and certify's --manifest */
	int argc;
	char **argv;			/* for the manifest */
	struct dg_cli_manifest mr;	/* the run's manifest */
	struct dg_cap_params par;
	int have_month;
	dg_cap_month month;		/* certify's; price's --month */
	int due_day;
};

/* The output of price or certify and the manifest, opened before
 * anything is written; then both committed together (or neither, and
 * err reported): the exit status. */
struct dg_out *cap_open_output(struct opts *o, struct dg_csvw *w);
int cap_finish(struct opts *o, struct dg_out *out, int st,
    struct dg_error *err);

/* The subcommands: each returns the exit status. */
int cmd_price(struct opts *o, struct dg_cap_book *b);
int cmd_certify(struct opts *o, struct dg_cap_book *b);
int cmd_check(struct opts *o, struct dg_cap_book *b);

#endif
