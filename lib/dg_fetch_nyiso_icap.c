/* dg_fetch_nyiso_icap.c: NYISO's ICAP auction results, the "MCP Table"
 * sheet of the monthly ICAP Market Report saved as CSV: the clearing
 * price of unforced capacity, $/kW-month, per auction (strip, monthly,
 * spot) and capacity locality (NYCA, G-J, NYC, LI).
 *
 * The layout (doc/market-rules.md, NYISO data conventions): two header
 * lines, then one line a month.  The first header line has the locality
 * codes (NYCA, GHIJ, NYC, LI) over merged cells, so that a saved sheet
 * has each code in the first of its columns and empty cells after it;
 * the second has the auction of each column (Strip, Monthly, Spot); each
 * data line starts with the month (a date cell: the first of the month).
 * The sheet's name and its two header lines are documented by public
 * readers of the workbook; the order of the columns is read from the file,
 * never assumed.  An empty price is a month without that auction's price
 * (a missing row). */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_fetch_impl.h"
#include "dg_util.h"

#define MAXCOLS 64

struct icap_col {
	char locality[8];	/* NYCA, G-J, NYC, LI; "" when none */
	char auction[8];	/* strip, monthly, spot */
	char name[24];		/* its name in messages: "NYCA spot" */
};

/* One header line's cells (no quotes: a quoted header is refused). */
static int
cells(struct dg_fetch_ctx *p, const char *s, size_t len, long line,
    char out[][16], size_t *n)
{
	size_t k = 0;

	*n = 0;
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	for (size_t i = 0;; i++) {
		size_t j = i;

		while (j < len && s[j] != ',')
			j++;
		if (k == MAXCOLS)
			return dg_error_set(p->err, DG_EDATA, p->name, line,
			    NULL, "more than %d columns", MAXCOLS);
		if (memchr(s + i, '"', j - i) != NULL || j - i >= 16)
			return dg_error_set(p->err, DG_EDATA, p->name, line,
			    NULL, "header cell %zu: not a locality or "
			    "auction name: \"%.*s\"", k + 1,
			    (int)(j - i < 40 ? j - i : 40), s + i);
		memcpy(out[k], s + i, j - i);
		out[k++][j - i] = '\0';
		if (j >= len)
			break;
		i = j;
	}
	*n = k;
	return DG_OK;
}

static const char *
locality(const char *c)
{
	static const char *const code[][2] = {
		{ "NYCA", "NYCA" }, { "GHIJ", "G-J" }, { "G-J", "G-J" },
		{ "NYC", "NYC" }, { "LI", "LI" }
	};

	for (size_t i = 0; i < sizeof(code) / sizeof(code[0]); i++)
		if (strcasecmp(c, code[i][0]) == 0)
			return code[i][1];
	return NULL;
}

/* The columns of the two header lines: *ncol of them. */
static int
columns(struct dg_fetch_ctx *p, const char *l1, size_t n1, const char *l2,
    size_t n2, struct icap_col *col, size_t *ncol)
{
	char a[MAXCOLS][16], b[MAXCOLS][16];
	const char *loc = NULL;
	size_t na, nb, nprice = 0;
	int st;

	if ((st = cells(p, l1, n1, 1, a, &na)) != DG_OK ||
	    (st = cells(p, l2, n2, 2, b, &nb)) != DG_OK)
		return st;
	if (na != nb)
		return dg_error_set(p->err, DG_EDATA, p->name, 2, NULL,
		    "%zu cells, the line above has %zu", nb, na);
	for (size_t i = 1; i < na; i++) {
		static const char *const auc[] = { "strip", "monthly", "spot" };

		memset(&col[i], 0, sizeof(col[i]));
		snprintf(col[i].name, sizeof(col[i].name), "column %d",
		    (int)i + 1);
		if (a[i][0] != '\0' && (loc = locality(a[i])) == NULL)
			return dg_error_set(p->err, DG_EDATA, p->name, 1, NULL,
			    "column %zu: not a capacity locality (NYCA, GHIJ, "
			    "NYC, LI): \"%s\"", i + 1, a[i]);
		if (b[i][0] == '\0')
			continue;	/* an empty column of the sheet */
		for (size_t k = 0; k < 3; k++)
			if (strcasecmp(b[i], auc[k]) == 0)
				snprintf(col[i].auction,
				    sizeof(col[i].auction), "%s", auc[k]);
		if (col[i].auction[0] == '\0')
			return dg_error_set(p->err, DG_EDATA, p->name, 2, NULL,
			    "column %zu: not an auction (Strip, Monthly, "
			    "Spot): \"%s\"", i + 1, b[i]);
		if (loc == NULL)
			return dg_error_set(p->err, DG_EDATA, p->name, 1, NULL,
			    "column %zu: no locality before it", i + 1);
		snprintf(col[i].locality, sizeof(col[i].locality), "%s", loc);
		snprintf(col[i].name, sizeof(col[i].name), "%s %s", loc,
		    col[i].auction);
		for (size_t k = 1; k < i; k++)
			if (strcmp(col[k].name, col[i].name) == 0)
				return dg_error_set(p->err, DG_EDATA, p->name,
				    2, NULL, "column %zu: %s twice", i + 1,
				    col[i].name);
		nprice++;
	}
	if (nprice == 0)
		return dg_error_set(p->err, DG_EDATA, p->name, 2, NULL,
		    "no auction columns: not an ICAP Market Report MCP Table");
	*ncol = na;
	return DG_OK;
}

/* A price cell as the sheet may render it: "$" and spaces around. */
static int
price(struct dg_csv *r, int i, dg_dec *out)
{
	size_t len;
	const char *s = dg_csv_field(r, i, &len);

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (len > 0 && (*s == ' ' || *s == '$')) {
		s++;
		len--;
	}
	if (dg_dec_parse(s, len, out) != DG_OK)
		return dg_csv_fail(r, i, DG_EDATA,
		    "not a price in $/kW-month: \"%s\"",
		    dg_csv_field(r, i, NULL));
	return DG_OK;
}

/* One month's line, not one of the nseen months before it: a row per
 * auction column; *month its first day. */
static int
month_rows(struct dg_fetch_ctx *p, struct dg_csv *r,
    const struct icap_col *col, size_t ncol, const dg_date *seen,
    size_t nseen, dg_date *month)
{
	int y, m, st;
	dg_date d, next;
	dg_time t0, t1;

	if ((st = dg_csv_get_month(r, 0, &y, &m)) != DG_OK)
		return st;
	d = dg_date_from_ymd(y, m, 1);
	for (size_t i = 0; i < nseen; i++)
		if (seen[i] == d)
			return dg_csv_fail(r, 0, DG_EDATA,
			    "%04d-%02d a second time", y, m);
	*month = d;
	next = m == 12 ? dg_date_from_ymd(y + 1, 1, 1) :
	    dg_date_from_ymd(y, m + 1, 1);
	if (dg_date_start(d, &t0) != DG_OK || dg_date_start(next, &t1) != DG_OK)
		return dg_csv_fail(r, 0, DG_EDATA, "month out of range");
	for (size_t i = 1; i < ncol; i++) {
		struct dg_fetch_row *row;

		if (col[i].auction[0] == '\0')
			continue;
		if ((row = dg_fetch_ctx_row(p)) == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = dg_csv_line(r) + 1;
		snprintf(row->zone, sizeof(row->zone), "%s", col[i].locality);
		snprintf(row->ptid, sizeof(row->ptid), "%s", col[i].auction);
		row->t = t0;
		row->dur = (int32_t)(t1 - t0);
		row->day = d;
		if (dg_csv_is_empty(r, (int)i))
			row->quality |= DG_FQ_MISSING;
		else {
			dg_dec v;

			if ((st = price(r, (int)i, &v)) != DG_OK)
				return st;
			dg_fetch_row_set(row, DG_FV_PRICE, v);
		}
	}
	return DG_OK;
}

static int
data_rows(struct dg_fetch_ctx *p, struct dg_csv *r,
    const struct icap_col *col, size_t ncol)
{
	dg_date *seen = NULL;
	size_t nseen = 0, cap = 0;
	int st;

	while ((st = dg_csv_next(r)) == DG_OK) {
		int blank = 1;
		dg_date d = 0;

		for (size_t i = 0; i < dg_csv_nfields(r) && blank; i++)
			blank = dg_csv_is_empty(r, (int)i);
		if (blank)
			continue;	/* the sheet's empty lines below */
		if ((st = month_rows(p, r, col, ncol, seen, nseen, &d)) !=
		    DG_OK)
			break;
		if (dg_grow(&seen, &cap, nseen + 1, sizeof(*seen)) != 0) {
			st = dg_fetch_ctx_oom(p);
			break;
		}
		seen[nseen++] = d;
	}
	free(seen);
	return st == DG_EOF ? DG_OK : st;
}

/* The two header lines become one of column names ("month,NYCA strip,..."),
 * read with the rest by the CSV reader; its lines are one less than the
 * file's. */
int
dg_fetch_nyiso_icap(struct dg_fetch_ctx *p, const char *buf, size_t len)
{
	const char *end = buf + len, *l2, *rest;
	struct icap_col col[MAXCOLS];
	size_t ncol = 0, hl, n = 0, cap = 0;
	struct dg_csv *r = NULL;
	struct dg_csv_opts o;
	char *syn = NULL;
	FILE *fp;
	int st;

	l2 = memchr(buf, '\n', len);
	rest = l2 ? memchr(l2 + 1, '\n', (size_t)(end - l2 - 1)) : NULL;
	if (l2 == NULL || rest == NULL)
		return dg_error_set(p->err, DG_EDATA, p->name, 1, NULL,
		    "not an ICAP Market Report MCP Table: fewer than two "
		    "header lines");
	l2++;
	rest++;
	if ((st = columns(p, buf, (size_t)(l2 - buf), l2,
	    (size_t)(rest - l2), col, &ncol)) != DG_OK)
		return st;
	hl = 6 + ncol * sizeof(col[0].name) + 2;
	if (dg_grow(&syn, &cap, hl + (size_t)(end - rest), 1) != 0)
		return dg_fetch_ctx_oom(p);
	n = (size_t)snprintf(syn, hl, "month");
	for (size_t i = 1; i < ncol; i++)
		n += (size_t)snprintf(syn + n, hl - n, ",%s", col[i].name);
	syn[n++] = '\n';
	memcpy(syn + n, rest, (size_t)(end - rest));
	n += (size_t)(end - rest);
	if ((fp = fmemopen(syn, n, "r")) == NULL) {
		free(syn);
		return dg_fetch_ctx_oom(p);
	}
	dg_csv_opts_init(&o);
	o.final_newline = 1;	/* a market file: no line end is cut short */
	o.delim = ',';
	if ((st = dg_csv_open_fp(&r, fp, p->name, &o, p->err)) == DG_OK)
		st = data_rows(p, r, col, ncol);
	if (st != DG_OK && p->err != NULL && p->err->line > 0 &&
	    strcmp(p->err->file, p->name) == 0)
		p->err->line += 1;
	dg_csv_close(r);
	fclose(fp);
	free(syn);
	return st;
}

/* NYISO publishes the report as a workbook under a document folder whose
 * number is not derived from the date: no URL is made up. */
int
dg_fetch_nyiso_icap_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	(void)base;
	(void)d;
	(void)monthly;
	(void)ymd;
	(void)zone;
	(void)url;
	(void)un;
	(void)cname;
	(void)cn;
	return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
	    "%s: NYISO's ICAP Market Report has no URL made of its month: "
	    "give --url (its MCP Table sheet saved as CSV) or --file",
	    src->name);
}
