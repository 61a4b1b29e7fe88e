/* dg_html_int.h: what the parts of dg_html share (not installed). */
#ifndef DG_HTML_INT_H
#define DG_HTML_INT_H

#include "dg_html.h"
#include "dg_time.h"

/* The statement's columns, in the order of its header. */
enum {
	DG_HS_PARTICIPANT, DG_HS_MONTH, DG_HS_ROW, DG_HS_SITE, DG_HS_PROGRAM,
	DG_HS_PAYER, DG_HS_EVENTS, DG_HS_MWH, DG_HS_PAYMENT, DG_HS_SHARE,
	DG_HS_AGGREGATOR, DG_HS_PART_USD, DG_HS_NCOL
};

struct dg_html_row {
	char *f[DG_HS_NCOL];
};

/* The rows of one site's event day in dg-cbl's output. */
struct dg_html_day {
	char *site, *event;
	char month[16];		/* of its first hour, local */
	size_t *row;		/* indexes into the days' rows */
	size_t n, cap;
};

struct dg_html_stmt {
	char name[256];
	struct dg_html_row *r;
	size_t nr, rcap;
	size_t *pm;		/* the first row of each participant-month */
	size_t npm, pmcap;
	/* dg-cbl's output: its columns and rows, grouped by site and event */
	char **col;
	size_t ncol;
	char ***dr;		/* rows of ncol fields */
	size_t ndr, drcap;
	struct dg_html_day *day;
	size_t nday, daycap;
};

/* Writes s HTML-escaped. */
void dg_html_text(FILE *fp, const char *s);
/* The charts of participant-month i: a figure per event day of its sites. */
int dg_html_charts(const struct dg_html_stmt *h, size_t i,
    const struct dg_html_opts *o, FILE *out, struct dg_error *err);

#endif
