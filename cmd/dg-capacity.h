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
	struct dg_cap_params par;
	int have_month;
	dg_cap_month month;		/* certify's; price's --month */
	int due_day;
};

/* The subcommands: each returns the exit status. */
int cmd_price(struct opts *o, struct dg_cap_book *b);
int cmd_certify(struct opts *o, struct dg_cap_book *b);
int cmd_check(struct opts *o, struct dg_cap_book *b);

#endif
