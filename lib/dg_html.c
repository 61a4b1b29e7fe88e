/* dg_html.c: a participant's monthly statement as one self-contained
 * HTML page (dg_html.h). */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dg_html_int.h"
#include "dg_util.h"

static const char *const stmt_cols[DG_HS_NCOL] = {
	"participant", "month", "row", "site", "program", "payer", "events",
	"energy_mwh", "payment_usd", "share_pct", "aggregator_usd",
	"participant_usd"
};

void
dg_html_text(FILE *fp, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default: putc(*s, fp);
		}
}

static int
add_row(struct dg_html_stmt *h, struct dg_csv *r, const int *col)
{
	struct dg_html_row *row;
	const char *part;

	if (dg_grow(&h->r, &h->rcap, h->nr + 1, sizeof(*h->r)) != 0)
		return DG_ENOMEM;
	row = &h->r[h->nr];
	memset(row, 0, sizeof(*row));
	for (int i = 0; i < DG_HS_NCOL; i++)
		if ((row->f[i] = strdup(dg_csv_field(r, col[i], NULL))) == NULL)
			return DG_ENOMEM;
	h->nr++;
	part = row->f[DG_HS_PARTICIPANT];
	if (strcmp(row->f[DG_HS_ROW], "portfolio") == 0 || *part == '\0')
		return DG_OK;
	for (size_t i = 0; i < h->npm; i++) {
		const struct dg_html_row *f = &h->r[h->pm[i]];

		if (strcmp(f->f[DG_HS_PARTICIPANT], part) == 0 &&
		    strcmp(f->f[DG_HS_MONTH], row->f[DG_HS_MONTH]) == 0)
			return DG_OK;
	}
	if (dg_grow(&h->pm, &h->pmcap, h->npm + 1, sizeof(*h->pm)) != 0)
		return DG_ENOMEM;
	h->pm[h->npm++] = h->nr - 1;
	return DG_OK;
}

int
dg_html_stmt_read(struct dg_html_stmt **hp, FILE *fp, const char *name,
    const struct dg_csv_opts *csv, struct dg_error *err)
{
	struct dg_html_stmt *h = calloc(1, sizeof(*h));
	struct dg_csv *r = NULL;
	int col[DG_HS_NCOL], st;

	if ((*hp = h) == NULL)
		return dg_error_set(err, DG_ENOMEM, name, 0, NULL,
		    "out of memory");
	snprintf(h->name, sizeof(h->name), "%s", name);
	if ((st = dg_csv_open_fp(&r, fp, name, csv, err)) != DG_OK)
		return st;
	for (int i = 0; i < DG_HS_NCOL && st == DG_OK; i++)
		st = dg_csv_require(r, stmt_cols[i], &col[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		if ((st = add_row(h, r, col)) == DG_ENOMEM)
			dg_error_set(err, st, name, 0, NULL, "out of memory");
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}

size_t
dg_html_stmt_count(const struct dg_html_stmt *h)
{
	return h->npm;
}

int
dg_html_stmt_file(const struct dg_html_stmt *h, size_t i, const char *ext,
    char *buf, size_t n)
{
	const struct dg_html_row *f = &h->r[h->pm[i]];
	size_t len = 0;
	int dash = 0;

	for (const char *s = f->f[DG_HS_PARTICIPANT]; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80 && isalnum(c)) {
			if (dash && len > 0 && len + 1 < n)
				buf[len++] = '-';
			dash = 0;
			if (len + 1 < n)
				buf[len++] = (char)tolower(c);
		} else
			dash = 1;
	}
	if (len == 0 && n > 12)
		len = (size_t)snprintf(buf, n, "participant");
	if (len + strlen(f->f[DG_HS_MONTH]) + strlen(ext) + 2 > n)
		return DG_EINVAL;
	snprintf(buf + len, n - len, "-%s%s", f->f[DG_HS_MONTH], ext);
	return DG_OK;
}

/* The style: black on white, 180 mm wide (A4 and Letter), charts and
 * table rows kept whole across pages. */
static void
style(FILE *fp, const char *paper)
{
	fputs("<style>\n", fp);
	if (paper != NULL)
		fprintf(fp, "@page { size: %s; margin: 14mm 15mm; }\n", paper);
	else
		fputs("@page { margin: 14mm 15mm; }\n", fp);
	fputs(
"body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif;\n"
"  font-size: 9.5pt; color: #000; background: #fff;\n"
"  max-width: 180mm; margin: 0 auto; }\n"
"h1 { font-size: 15pt; margin: 0 0 2mm; }\n"
"h2 { font-size: 11.5pt; margin: 6mm 0 2mm; }\n"
"table { border-collapse: collapse; width: 100%; }\n"
"th, td { padding: 1.2mm 1.5mm; border-bottom: 0.3mm solid #999;\n"
"  text-align: left; vertical-align: top; }\n"
"th { border-bottom: 0.5mm solid #000; }\n"
"thead { display: table-header-group; }\n"
"tr { break-inside: avoid; page-break-inside: avoid; }\n"
"td.n { text-align: right; white-space: nowrap;\n"
"  font-variant-numeric: tabular-nums; }\n"
"th.n { text-align: right; }\n"
"tr.payer td { font-style: italic; }\n"
"tr.participant td { font-weight: bold; border-top: 0.5mm solid #000; }\n"
"figure { margin: 4mm 0; break-inside: avoid; page-break-inside: avoid; }\n"
"figure svg { width: 100%; height: auto; display: block; }\n"
"figcaption { font-size: 8.5pt; }\n"
"footer { margin-top: 6mm; font-size: 7.5pt; }\n"
"footer td { white-space: nowrap; }\n"
"footer td.h { font-family: 'DejaVu Sans Mono', monospace;\n"
"  white-space: normal; word-break: break-all; }\n"
"p.note { font-size: 8.5pt; }\n"
"</style>\n", fp);
}

static void
head(FILE *fp, const struct dg_html_row *f, const char *paper)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>Statement: ", fp);
	dg_html_text(fp, f->f[DG_HS_PARTICIPANT]);
	fputs(", ", fp);
	dg_html_text(fp, f->f[DG_HS_MONTH]);
	fputs("</title>\n", fp);
	style(fp, paper);
	fputs("</head>\n<body>\n<header>\n<h1>Demand-response statement</h1>\n"
	    "<p>Participant: <strong>", fp);
	dg_html_text(fp, f->f[DG_HS_PARTICIPANT]);
	fputs("</strong><br>\nMonth: <strong>", fp);
	dg_html_text(fp, f->f[DG_HS_MONTH]);
	fputs("</strong> (event hours in local time, ", fp);
	dg_html_text(fp, dg_zone_name(dg_tz_zone()));
	fputs(")</p>\n</header>\n", fp);
}

static void
cell(FILE *fp, const char *s, int num)
{
	fputs(num ? "<td class=\"n\">" : "<td>", fp);
	dg_html_text(fp, s);
	fputs("</td>", fp);
}

/* A row of the table; payer and participant rows say what they sum. */
static void
table_row(FILE *fp, const struct dg_html_row *r)
{
	const char *kind = r->f[DG_HS_ROW];

	fprintf(fp, "<tr class=\"%s\">",
	    strcmp(kind, "payer") == 0 ? "payer" :
	    strcmp(kind, "participant") == 0 ? "participant" : "line");
	if (strcmp(kind, "payer") == 0) {
		fputs("<td colspan=\"2\">Paid by ", fp);
		dg_html_text(fp, r->f[DG_HS_PAYER]);
		fputs("</td><td></td>", fp);
	} else if (strcmp(kind, "participant") == 0)
		fputs("<td colspan=\"2\">Total</td><td></td>", fp);
	else {
		cell(fp, r->f[DG_HS_SITE], 0);
		cell(fp, r->f[DG_HS_PROGRAM], 0);
		cell(fp, r->f[DG_HS_PAYER], 0);
	}
	for (int i = DG_HS_EVENTS; i < DG_HS_NCOL; i++)
		cell(fp, r->f[i], 1);
	fputs("</tr>\n", fp);
}

static void
table(FILE *fp, const struct dg_html_stmt *h, const struct dg_html_row *f)
{
	fputs("<h2>Payments</h2>\n<table>\n<thead><tr><th>Site</th>"
	    "<th>Program</th><th>Payer</th><th class=\"n\">Events</th>"
	    "<th class=\"n\">Energy, MWh</th><th class=\"n\">Payment, "
	    "USD</th><th class=\"n\">Share, %</th><th class=\"n\">"
	    "Aggregator, USD</th><th class=\"n\">You receive, USD</th>"
	    "</tr></thead>\n<tbody>\n", fp);
	for (size_t i = 0; i < h->nr; i++)
		if (strcmp(h->r[i].f[DG_HS_PARTICIPANT],
		    f->f[DG_HS_PARTICIPANT]) == 0 &&
		    strcmp(h->r[i].f[DG_HS_MONTH], f->f[DG_HS_MONTH]) == 0)
			table_row(fp, &h->r[i]);
	fputs("</tbody>\n</table>\n<p class=\"note\">Each line is the "
	    "payment of a site, program and payer for the month's events, "
	    "rounded once to the cent; the aggregator's share is the "
	    "payment times the share, rounded once to the cent, and you "
	    "receive the rest, so every line adds up.  The totals are the "
	    "sums of the lines above them.</p>\n", fp);
}

/* A row of a manifest: the program's as a heading, the files' with their
 * SHA-256 (c: item, name, value, sha256). */
static void
foot_row(FILE *fp, struct dg_csv *r, const int *c, const char *path)
{
	const char *it = dg_csv_field(r, c[0], NULL);

	if (strcmp(it, "program") == 0) {
		fputs("<tr><th colspan=\"4\">", fp);
		dg_html_text(fp, dg_csv_field(r, c[1], NULL));
		putc(' ', fp);
		dg_html_text(fp, dg_csv_field(r, c[2], NULL));
		fputs(": ", fp);
		dg_html_text(fp, path);
		fputs("</th></tr>\n", fp);
		return;
	}
	if (dg_csv_is_empty(r, c[3]))
		return;
	fputs("<tr>", fp);
	for (int i = 0; i < 4; i++) {
		fputs(i < 2 ? "<td>" : "<td class=\"h\">", fp);
		dg_html_text(fp, dg_csv_field(r, c[i], NULL));
		fputs("</td>", fp);
	}
	fputs("</tr>\n", fp);
}

/* The inputs and outputs of one manifest, with their SHA-256. */
static int
foot_manifest(FILE *fp, const char *path, const struct dg_csv_opts *csv,
    struct dg_error *err)
{
	static const char *const names[] = { "item", "name", "value",
	    "sha256" };
	struct dg_csv *r;
	int c[4], st;

	if ((st = dg_csv_open(&r, path, csv, err)) != DG_OK)
		return st;
	for (int i = 0; i < 4 && st == DG_OK; i++)
		st = dg_csv_require(r, names[i], &c[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		foot_row(fp, r, c, path);
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}

static int
foot(FILE *fp, const struct dg_html_opts *o, struct dg_error *err)
{
	int st = DG_OK;

	if (o->nmanifests == 0)
		return DG_OK;
	fputs("<footer>\n<h2>The runs behind this statement</h2>\n<p>Each "
	    "file each step read and wrote, with its SHA-256: anyone with "
	    "the same files gets the same figures to the cent "
	    "(<code>dg-settle verify</code>).</p>\n<table>\n", fp);
	for (size_t i = 0; i < o->nmanifests && st == DG_OK; i++)
		st = foot_manifest(fp, o->manifests[i], o->csv, err);
	fputs("</table>\n</footer>\n", fp);
	return st;
}

int
dg_html_stmt_write(const struct dg_html_stmt *h, size_t i,
    const struct dg_html_opts *o, FILE *out, struct dg_error *err)
{
	const struct dg_html_row *f = &h->r[h->pm[i]];
	int st;

	head(out, f, o->paper);
	table(out, h, f);
	if ((st = dg_html_charts(h, i, o, out, err)) != DG_OK ||
	    (st = foot(out, o, err)) != DG_OK)
		return st;
	fputs("</body>\n</html>\n", out);
	if (ferror(out))
		return dg_error_set(err, DG_EIO, NULL, 0, NULL, "write error");
	return DG_OK;
}

void
dg_html_stmt_free(struct dg_html_stmt *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->nr; i++)
		for (int j = 0; j < DG_HS_NCOL; j++)
			free(h->r[i].f[j]);
	free(h->r);
	free(h->pm);
	for (size_t i = 0; i < h->ndr; i++) {
		for (size_t j = 0; j < h->ncol; j++)
			free(h->dr[i][j]);
		free(h->dr[i]);
	}
	free(h->dr);
	for (size_t i = 0; i < h->ncol; i++)
		free(h->col[i]);
	free(h->col);
	for (size_t i = 0; i < h->nday; i++) {
		free(h->day[i].site);
		free(h->day[i].event);
		free(h->day[i].row);
	}
	free(h->day);
	free(h);
}
