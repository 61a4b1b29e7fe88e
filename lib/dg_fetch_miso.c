/* dg_fetch_miso.c: MISO's day-ahead LMP market reports (ex-post: final,
 * ex-ante: preliminary), hour ending in EST all year. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dg_fetch_impl.h"

/* The lines before the header: the title (ex-ante or ex-post), the
 * operating day, the EST note.  *hdr is the header line, *skipped the
 * lines before it. */
static int
preamble(struct dg_fetch_ctx *p, const char *buf, size_t len,
    const char **hdr, dg_date *day, long *skipped)
{
	const char *s = buf, *end = buf + len, *name = p->name;
	long line = 0;
	int have_day = 0, have_est = 0, exante = -1;

	*hdr = NULL;
	while (s < end && line < 10) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char tmp[256];

		line++;
		if (l >= 5 && strncmp(s, "Node,", 5) == 0) {
			*hdr = s;
			break;
		}
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(l < 255 ? l : 255), s);
		tmp[strcspn(tmp, "\r")] = '\0';
		if (line == 1) {
			if (strstr(tmp, "LMP") == NULL)
				return dg_error_set(p->err, DG_EDATA, name,
				    line, NULL, "not a MISO LMP report: "
				    "\"%.60s\"", tmp);
			exante = strcasestr(tmp, "ExAnte") != NULL;
		}
		if (!have_day && dg_date_parse(tmp, strlen(tmp), day) == DG_OK)
			have_day = 1;
		if (strstr(tmp, "Eastern Standard Time") != NULL)
			have_est = 1;
		s = nl ? nl + 1 : end;
	}
	*skipped = line - 1;
	if (*hdr == NULL)
		return dg_error_set(p->err, DG_EDATA, name, line, NULL,
		    "no \"Node,Type,Value,HE 1,...\" header");
	if (!have_day)
		return dg_error_set(p->err, DG_EDATA, name, 2, NULL,
		    "no MM/DD/YYYY operating day before the header");
	if (!have_est)
		return dg_error_set(p->err, DG_EDATA, name, line, NULL,
		    "the report does not say its hours are EST");
	if (exante != (strcmp(p->src->status, "preliminary") == 0))
		return dg_error_set(p->err, DG_EDATA, name, 1, NULL,
		    "an %s report, not %s", exante ? "ex-ante (preliminary)" :
		    "ex-post (final)", p->src->name);
	return DG_OK;
}

/* The rows from the header on: one a node, value and hour. */
static int
rows(struct dg_fetch_ctx *p, struct dg_csv *r, dg_date day, long skipped)
{
	int he[24], cn, cv, st;

	if ((st = dg_csv_require(r, "Node", &cn)) ||
	    (st = dg_csv_require(r, "Value", &cv)))
		return st;
	for (int h = 0; h < 24; h++) {
		char hn[8];

		snprintf(hn, sizeof(hn), "HE %d", h + 1);
		if ((st = dg_csv_require(r, hn, &he[h])) != DG_OK)
			return st;
	}
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *v = dg_csv_field(r, cv, NULL);
		int slot;

		if (strcmp(v, "LMP") == 0)
			slot = DG_FV_PRICE;
		else if (strcmp(v, "MCC") == 0)
			slot = DG_FV_CONGESTION;
		else if (strcmp(v, "MLC") == 0)
			slot = DG_FV_LOSSES;
		else
			return dg_csv_fail(r, cv, DG_EDATA,
			    "value must be LMP, MCC or MLC: \"%s\"", v);
		for (int h = 0; h < 24; h++) {
			struct dg_fetch_row *row = dg_fetch_ctx_row(p);

			if (row == NULL)
				return dg_fetch_ctx_oom(p);
			row->line = dg_csv_line(r) + skipped;
			if ((st = dg_fetch_field_name(r, cn, row->zone,
			    sizeof(row->zone), "node")) ||
			    (st = dg_fetch_field_dec(r, he[h], row, slot)))
				return st;
			/* HE h+1 in EST (UTC-5) all year */
			row->t = (dg_time)day * 86400 + 5 * 3600 + h * 3600;
			row->dur = 3600;
			row->day = day;
		}
	}
	return st == DG_EOF ? DG_OK : st;
}

/* Day Ahead Market (ExAnte|ExPost) LMPs / MM/DD/YYYY / blank /
 * ",,,All Hours-Ending are Eastern Standard Time (EST)" / Node,Type,Value,
 * HE 1..HE 24; one row per node and value (LMP, MCC, MLC). */
int
dg_fetch_miso(struct dg_fetch_ctx *p, const char *buf, size_t len)
{
	const char *hdr;
	dg_date day = 0;
	long skipped = 0;
	struct dg_csv *r = NULL;
	struct dg_csv_opts o;
	FILE *fp;
	int st;

	if ((st = preamble(p, buf, len, &hdr, &day, &skipped)) != DG_OK)
		return st;
	/* read only: fmemopen's buffer is not const */
	fp = fmemopen((void *)(uintptr_t)hdr, (size_t)(buf + len - hdr),
	    "r");
	if (fp == NULL)
		return dg_fetch_ctx_oom(p);
	dg_csv_opts_init(&o);
	o.final_newline = 1;	/* a market file: no line end is cut short */
	if ((st = dg_csv_open_fp(&r, fp, p->name, &o, p->err)) == DG_OK)
		st = rows(p, r, day, skipped);
	/* the reader counts lines from the header */
	if (st != DG_OK && p->err != NULL && p->err->line > 0 &&
	    strcmp(p->err->file, p->name) == 0)
		p->err->line += skipped;
	dg_csv_close(r);
	fclose(fp);
	return st;
}

int
dg_fetch_miso_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	int st;

	(void)d;
	(void)monthly;
	(void)zone;
	if ((st = dg_fetch_url_fmt(cname, cn, err, "%s_da_%s_lmp.csv", ymd,
	    strcmp(src->status, "preliminary") == 0 ? "exante" :
	    "expost")) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err, "%s/%s", base, cname);
}
