/* dg_fetch_ercot.c: ERCOT's day-ahead settlement point prices (NP4-190-CD,
 * as the public API or the MIS CSV writes them). */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dg_fetch_impl.h"

static int
col_ci(struct dg_csv *r, const char *name, int *idx)
{
	for (size_t i = 0; i < dg_csv_ncols(r); i++)
		if (strcasecmp(dg_csv_colname(r, i), name) == 0) {
			*idx = (int)i;
			return DG_OK;
		}
	return dg_csv_require(r, name, idx);
}

/* NP4-190: deliveryDate, hourEnding 01:00..24:00 in Central prevailing
 * time, DSTFlag true on the repeated (standard time) hour. */
int
dg_fetch_ercot(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	int cd, ch, cs, cp, cf, st;

	if ((st = col_ci(r, "deliveryDate", &cd)) ||
	    (st = col_ci(r, "hourEnding", &ch)) ||
	    (st = col_ci(r, "settlementPoint", &cs)) ||
	    (st = col_ci(r, "settlementPointPrice", &cp)) ||
	    (st = col_ci(r, "DSTFlag", &cf)))
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = dg_fetch_ctx_row(p);
		const char *he = dg_csv_field(r, ch, NULL);
		const char *fl = dg_csv_field(r, cf, NULL);
		int64_t h;
		char hs[8], buf[40];
		struct dg_tstamp ts;
		const char *why;
		int dst, y, mo, d;

		if (row == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = dg_csv_line(r);
		if ((st = dg_fetch_field_name(r, cs, row->zone,
		    sizeof(row->zone), "settlement point")) ||
		    (st = dg_csv_get_date(r, cd, &row->day)) ||
		    (st = dg_fetch_field_dec(r, cp, row, DG_FV_PRICE)))
			return st;
		snprintf(hs, sizeof(hs), "%s", he);
		if (strlen(he) == 5 && strcmp(he + 2, ":00") == 0)
			hs[2] = '\0';
		if (dg_parse_int(hs, 1, 24, &h) != DG_OK)
			return dg_csv_fail(r, ch, DG_EDATA,
			    "hour ending must be 01:00 to 24:00: \"%s\"", he);
		if (strcasecmp(fl, "true") == 0 || strcasecmp(fl, "Y") == 0)
			dst = 1;
		else if (strcasecmp(fl, "false") == 0 ||
		    strcasecmp(fl, "N") == 0)
			dst = 0;
		else
			return dg_csv_fail(r, cf, DG_EDATA,
			    "DST flag must be true/false or Y/N: \"%s\"", fl);
		dg_date_to_ymd(row->day, &y, &mo, &d);
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:00", y, mo, d,
		    (int)h - 1);
		if (dg_time_parse(buf, strlen(buf), 1, &ts, &why) != DG_OK)
			return dg_csv_fail(r, ch, DG_EDATA,
			    "hour ending %s: %s", he, why);
		if (dst && !ts.ambiguous)
			return dg_csv_fail(r, cf, DG_EDATA,
			    "DST flag set outside the repeated hour");
		row->t = dst ? ts.t2 : ts.t;
		row->dur = 3600;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* The public API's report, [I]: it wants a key and answers JSON, which is
 * not parsed (give ERCOT's CSV with --url or --file). */
int
dg_fetch_ercot_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	int y, m, dd, st;

	(void)src;
	(void)monthly;
	(void)zone;
	dg_date_to_ymd(d, &y, &m, &dd);
	if ((st = dg_fetch_url_fmt(cname, cn, err, "dam_spp_%s.csv",
	    ymd)) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err,
	    "%s/np4-190-cd/dam_stlmnt_pnt_prices?deliveryDateFrom="
	    "%04d-%02d-%02d&deliveryDateTo=%04d-%02d-%02d",
	    base, y, m, dd, y, m, dd);
}
