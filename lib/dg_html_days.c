/* dg_html_days.c: the event-day charts of a statement, from dg-cbl's
 * output, drawn by dg_plot and written inline as SVG (dg_html.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_html_int.h"
#include "dg_plot.h"
#include "dg_util.h"

static int
by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The statement's sites, sorted (*n of them; duplicates kept). */
static int
stmt_sites(const struct dg_html_stmt *h, char ***out, size_t *n)
{
	char **v = calloc(h->nr ? h->nr : 1, sizeof(*v));

	if (v == NULL)
		return DG_ENOMEM;
	*n = 0;
	for (size_t i = 0; i < h->nr; i++)
		if (h->r[i].f[DG_HS_SITE][0] != '\0')
			v[(*n)++] = h->r[i].f[DG_HS_SITE];
	qsort(v, *n, sizeof(*v), by_str);
	*out = v;
	return DG_OK;
}

/* The day of site and event, made when new (its month from stamp). */
static struct dg_html_day *
day_of(struct dg_html_stmt *h, const char *site, const char *event,
    const struct dg_tstamp *ts)
{
	struct dg_html_day *d;
	struct dg_local lt;

	for (size_t i = h->nday; i-- > 0;)
		if (strcmp(h->day[i].site, site) == 0 &&
		    strcmp(h->day[i].event, event) == 0)
			return &h->day[i];
	if (dg_grow(&h->day, &h->daycap, h->nday + 1, sizeof(*h->day)) != 0)
		return NULL;
	d = &h->day[h->nday];
	memset(d, 0, sizeof(*d));
	dg_time_local(ts->t, &lt);
	snprintf(d->month, sizeof(d->month), "%04d-%02d", lt.year, lt.mon);
	if ((d->site = strdup(site)) == NULL ||
	    (d->event = strdup(event)) == NULL) {
		free(d->site);
		return NULL;
	}
	h->nday++;
	return d;
}

static int
keep_row(struct dg_html_stmt *h, struct dg_csv *r, struct dg_html_day *d)
{
	char **f = calloc(h->ncol, sizeof(*f));

	if (f == NULL || dg_grow(&h->dr, &h->drcap, h->ndr + 1,
	    sizeof(*h->dr)) != 0 || dg_grow(&d->row, &d->cap, d->n + 1,
	    sizeof(*d->row)) != 0) {
		free(f);
		return DG_ENOMEM;
	}
	h->dr[h->ndr] = f;
	d->row[d->n++] = h->ndr++;
	for (size_t j = 0; j < h->ncol; j++)
		if ((f[j] = strdup(dg_csv_field(r, (int)j, NULL))) == NULL)
			return DG_ENOMEM;
	return DG_OK;
}

static int
read_days(struct dg_html_stmt *h, struct dg_csv *r, char **sites,
    size_t ns)
{
	int site, event, time, st;
	struct dg_tstamp ts;
	struct dg_html_day *d;

	if ((st = dg_csv_require(r, "site", &site)) != DG_OK ||
	    (st = dg_csv_require(r, "event", &event)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &time)) != DG_OK)
		return st;
	h->ncol = dg_csv_ncols(r);
	if ((h->col = calloc(h->ncol, sizeof(*h->col))) == NULL)
		return DG_ENOMEM;
	for (size_t j = 0; j < h->ncol; j++)
		if ((h->col[j] = strdup(dg_csv_colname(r, j))) == NULL)
			return DG_ENOMEM;
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *s = dg_csv_field(r, site, NULL);

		if (bsearch(&s, sites, ns, sizeof(*sites), by_str) == NULL)
			continue;	/* not a site of the statement */
		if ((st = dg_csv_get_time(r, time, &ts)) != DG_OK)
			return st;
		if ((d = day_of(h, s, dg_csv_field(r, event, NULL), &ts)) ==
		    NULL || keep_row(h, r, d) != DG_OK)
			return DG_ENOMEM;
	}
	return st == DG_EOF ? DG_OK : st;
}

int
dg_html_stmt_days(struct dg_html_stmt *h, const char *path,
    const struct dg_csv_opts *csv, struct dg_error *err)
{
	struct dg_csv *r;
	char **sites;
	size_t ns;
	int st;

	if (stmt_sites(h, &sites, &ns) != DG_OK)
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	if ((st = dg_csv_open(&r, path, csv, err)) == DG_OK) {
		if ((st = read_days(h, r, sites, ns)) == DG_ENOMEM)
			dg_error_set(err, st, path, 0, NULL, "out of memory");
		dg_csv_close(r);
	}
	free(sites);
	return st;
}

/* One day's rows as CSV text in *buf, for dg_plot to read. */
static int
day_csv(const struct dg_html_stmt *h, const struct dg_html_day *d,
    char **buf, size_t *len)
{
	FILE *fp = open_memstream(buf, len);
	struct dg_csvw w;

	if (fp == NULL)
		return DG_ENOMEM;
	dg_csvw_init(&w, fp, ',', 0, 0);
	dg_csvw_header(&w, (const char *const *)h->col, h->ncol);
	for (size_t i = 0; i < d->n; i++) {
		for (size_t j = 0; j < h->ncol; j++)
			dg_csvw_str(&w, h->dr[d->row[i]][j]);
		dg_csvw_end_row(&w);
	}
	if (fclose(fp) != 0 || w.status != DG_OK) {
		free(*buf);
		*buf = NULL;
		return DG_ENOMEM;
	}
	return DG_OK;
}

/* The day's chart as SVG in *svg. */
static int
day_svg(const struct dg_html_stmt *h, const struct dg_html_day *d,
    const struct dg_html_opts *o, char **svg, size_t *len,
    struct dg_error *err)
{
	struct dg_plot_opts po;
	struct dg_chart c;
	struct dg_csv_opts csv;
	char *text = NULL;
	size_t tlen = 0;
	FILE *in, *out;
	const char *name = "days";
	int st;

	if (day_csv(h, d, &text, &tlen) != DG_OK ||
	    (in = fmemopen(text, tlen, "r")) == NULL) {
		free(text);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	dg_plot_opts_init(&po);
	po.kind = DG_PLOT_DAY;
	po.site = d->site;
	po.event = d->event;
	po.width = 720;		/* about its size on the page */
	po.height = 400;
	if (o->gnuplot)
		po.gnuplot = o->gnuplot;
	dg_csv_opts_init(&csv);
	dg_chart_init(&c);
	st = dg_plot_read_fp(&c, &in, &name, 1, &po, &csv, err);
	fclose(in);
	free(text);
	if (st == DG_OK) {
		if ((out = open_memstream(svg, len)) == NULL)
			st = DG_ENOMEM;
		else {
			st = dg_plot_render(&c, &po, out, err);
			if (fclose(out) != 0 && st == DG_OK)
				st = DG_ENOMEM;
		}
	}
	dg_chart_release(&c);
	return st;
}

/* Whether site has a line in participant-month i. */
static int
has_site(const struct dg_html_stmt *h, size_t i, const char *site)
{
	const struct dg_html_row *f = &h->r[h->pm[i]];

	for (size_t k = 0; k < h->nr; k++) {
		const struct dg_html_row *r = &h->r[k];

		if (strcmp(r->f[DG_HS_SITE], site) == 0 &&
		    strcmp(r->f[DG_HS_PARTICIPANT],
		    f->f[DG_HS_PARTICIPANT]) == 0 &&
		    strcmp(r->f[DG_HS_MONTH], f->f[DG_HS_MONTH]) == 0)
			return 1;
	}
	return 0;
}

static int
figure(FILE *out, const struct dg_html_stmt *h, size_t k,
    const struct dg_html_opts *o, struct dg_error *err)
{
	const struct dg_html_day *d = &h->day[k];
	char *svg = NULL, prefix[32];
	size_t len = 0;
	int st;

	if ((st = day_svg(h, d, o, &svg, &len, err)) != DG_OK) {
		free(svg);
		return st;
	}
	snprintf(prefix, sizeof(prefix), "c%zu-", k + 1);
	fputs("<figure>\n", out);
	dg_html_svg_inline(svg, len, prefix, out);
	fputs("<figcaption>", out);
	dg_html_text(out, d->site);
	fputs(", event ", out);
	dg_html_text(out, d->event);
	fputs(": the metered load against the customer baseline load (CBL) "
	    "the market computed from the site's recent days; the shaded "
	    "hours are the event's.</figcaption>\n</figure>\n", out);
	free(svg);
	return DG_OK;
}

int
dg_html_charts(const struct dg_html_stmt *h, size_t i,
    const struct dg_html_opts *o, FILE *out, struct dg_error *err)
{
	const char *month = h->r[h->pm[i]].f[DG_HS_MONTH];
	int st, any = 0;

	if (h->col == NULL)
		return DG_OK;	/* no event days given */
	for (size_t k = 0; k < h->nday; k++) {
		if (strcmp(h->day[k].month, month) != 0 ||
		    !has_site(h, i, h->day[k].site))
			continue;
		if (!any++)
			fputs("<h2>Event days</h2>\n", out);
		if ((st = figure(out, h, k, o, err)) != DG_OK)
			return st;
	}
	if (!any)
		fputs("<h2>Event days</h2>\n<p>No event day of these sites "
		    "this month.</p>\n", out);
	return DG_OK;
}

/* --- SVG inline ----------------------------------------------------------- */

struct ids {
	char **v;
	size_t n, cap;
};

/* The value of an id attribute at s (after id=' or id="), or NULL. */
static size_t
id_at(const char *s, const char *end, char *q)
{
	const char *e;

	if (end - s < 5 || memcmp(s, "id=", 3) != 0 ||
	    (s[3] != '\'' && s[3] != '"'))
		return 0;
	*q = s[3];
	e = memchr(s + 4, *q, (size_t)(end - s - 4));
	return e ? (size_t)(e - s - 4) : 0;
}

static int
collect(const char *svg, const char *end, struct ids *ids)
{
	for (const char *p = svg; p < end; p++) {
		char q;
		size_t n = id_at(p, end, &q);

		if (n == 0 || (p > svg && p[-1] != ' ' && p[-1] != '\t'))
			continue;
		if (dg_grow(&ids->v, &ids->cap, ids->n + 1,
		    sizeof(*ids->v)) != 0 ||
		    (ids->v[ids->n] = strndup(p + 4, n)) == NULL)
			return DG_ENOMEM;
		ids->n++;
	}
	return DG_OK;
}

/* The length of the known id at p followed by a quote or ')', or 0. */
static size_t
known(const struct ids *ids, const char *p, const char *end)
{
	for (size_t i = 0; i < ids->n; i++) {
		size_t n = strlen(ids->v[i]);

		if ((size_t)(end - p) > n && memcmp(p, ids->v[i], n) == 0 &&
		    strchr("'\")", p[n]) != NULL)
			return n;
	}
	return 0;
}

int
dg_html_svg_inline(const char *svg, size_t len, const char *prefix,
    FILE *fp)
{
	const char *end = svg + len, *p = svg;
	struct ids ids = { NULL, 0, 0 };
	int st;

	while (p + 4 <= end && memcmp(p, "<svg", 4) != 0)
		p++;	/* the XML declaration and what precedes <svg */
	if ((st = collect(p, end, &ids)) == DG_OK)
		for (; p < end; p++) {
			char q;
			size_t n = id_at(p, end, &q);

			if (n > 0 && known(&ids, p + 4, end) == n) {
				fprintf(fp, "id=%c%s", q, prefix);
				p += 3;
			} else if (*p == '#' && known(&ids, p + 1, end) > 0)
				fprintf(fp, "#%s", prefix);
			else
				putc(*p, fp);
		}
	for (size_t i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	return st;
}
