/* dg_html.h: statements a customer can open: each participant's monthly
 * statement (the CSV of dg-settle statement) as one self-contained HTML
 * file, with its sites' event-day charts inline as SVG and the hashes of
 * the runs behind it at the foot; and that HTML printed to PDF by
 * headless Chromium.
 *
 * The figures are the statement's own text, copied from the CSV and never
 * parsed into numbers, so they are to the cent what the CSV says.  The
 * page needs nothing but itself (no script, font, style sheet or image
 * from elsewhere); its width (180 mm of content) fits A4 and Letter, each
 * chart is kept on one page, and the table's header repeats on every
 * page.
 *
 * Charts come from a dg-cbl output (best with --all-hours: the whole
 * event day), drawn by dg_plot (gnuplot): one per site of the participant
 * and event of the month.  Memory: the statement and the rows of that
 * file, read whole.  Errors: those of the CSV reader (DG_EDATA with file,
 * line and column), DG_EUNAVAIL when gnuplot or chromium is missing. */
#ifndef DG_HTML_H
#define DG_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "dg_csv.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_html_stmt;

/* Reads a statement (columns participant, month, row, site, program,
 * payer, events, energy_mwh, payment_usd, share_pct, aggregator_usd,
 * participant_usd) from fp, named name in messages. */
int dg_html_stmt_read(struct dg_html_stmt **h, FILE *fp, const char *name,
    const struct dg_csv_opts *csv, struct dg_error *err);
/* Reads the event days of the charts: dg-cbl's output (site, event, time,
 * cbl_kw, actual_kw and what else it has). */
int dg_html_stmt_days(struct dg_html_stmt *h, const char *path,
    const struct dg_csv_opts *csv, struct dg_error *err);
void dg_html_stmt_free(struct dg_html_stmt *h);

/* The participant-months of the statement (its portfolio rows aside). */
size_t dg_html_stmt_count(const struct dg_html_stmt *h);
/* The file name of participant-month i: the participant's name in lower
 * case, every run of other characters than ASCII letters and digits one
 * '-', then '-', the month and ext ("meadowbrook-realty-2022-07.html").
 * DG_EINVAL when n is short. */
int dg_html_stmt_file(const struct dg_html_stmt *h, size_t i,
    const char *ext, char *buf, size_t n);

struct dg_html_opts {
	const char *const *manifests;	/* their inputs' and outputs'
					 * SHA-256 at the foot */
	size_t nmanifests;
	const char *paper;	/* "A4" or "letter": the page's size (the
				 * PDF's); NULL: the printer's */
	const char *gnuplot;	/* NULL: "gnuplot" */
	const struct dg_csv_opts *csv;	/* for the manifests */
};

/* Writes participant-month i as HTML to out. */
int dg_html_stmt_write(const struct dg_html_stmt *h, size_t i,
    const struct dg_html_opts *o, FILE *out, struct dg_error *err);

/* Prints html (len bytes) to PDF with headless Chromium (chromium, on the
 * PATH; NULL: "chromium") in a fresh profile, in a temporary directory
 * removed afterwards, and writes the PDF to out.  DG_EUNAVAIL "chromium
 * not found: install the Debian package chromium", DG_EINTERNAL when it
 * fails or writes no PDF, DG_ECREATE when the directory cannot be made. */
int dg_html_pdf(const char *html, size_t len, const char *chromium,
    FILE *out, struct dg_error *err);

/* Writes the SVG svg (n bytes, gnuplot's) for inclusion in HTML: without
 * its XML declaration, every id and reference to one prefixed with
 * prefix, so that several charts in one page keep their own. */
int dg_html_svg_inline(const char *svg, size_t n, const char *prefix,
    FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
