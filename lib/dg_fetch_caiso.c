/* dg_fetch_caiso.c: CAISO OASIS PRC_LMP day-ahead (CSV, or the OASIS zip
 * holding it): one row per node, hour and LMP component. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dg_fetch_impl.h"

int
dg_fetch_caiso(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	int cs, ce, cd, cn, ct, cv, st;

	if ((st = dg_csv_require(r, "INTERVALSTARTTIME_GMT", &cs)) ||
	    (st = dg_csv_require(r, "INTERVALENDTIME_GMT", &ce)) ||
	    (st = dg_csv_require(r, "OPR_DT", &cd)) ||
	    (st = dg_csv_require(r, "LMP_TYPE", &ct)))
		return st;
	if ((cn = dg_csv_col(r, "NODE_ID")) < 0 &&
	    (st = dg_csv_require(r, "NODE", &cn)) != DG_OK)
		return st;
	if ((cv = dg_csv_col(r, "MW")) < 0 &&
	    (st = dg_csv_require(r, "VALUE", &cv)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row;
		struct dg_tstamp a, b;
		const char *type = dg_csv_field(r, ct, NULL);
		int slot;

		if (strcmp(type, "LMP") == 0)
			slot = DG_FV_PRICE;
		else if (strcmp(type, "MCC") == 0)
			slot = DG_FV_CONGESTION;
		else if (strcmp(type, "MCL") == 0)
			slot = DG_FV_LOSSES;
		else if (strcmp(type, "MCE") == 0)
			slot = DG_FV_ENERGY;
		else if (strcmp(type, "MGHG") == 0)
			continue;	/* in the LMP; not a column of ours */
		else
			return dg_csv_fail(r, ct, DG_EDATA,
			    "unknown LMP type \"%s\"", type);
		if ((row = dg_fetch_ctx_row(p)) == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = dg_csv_line(r);
		if ((st = dg_fetch_field_name(r, cn, row->zone,
		    sizeof(row->zone), "node")) ||
		    (st = dg_fetch_ctx_time(p, r, cs, &a)) ||
		    (st = dg_fetch_ctx_time(p, r, ce, &b)) ||
		    (st = dg_csv_get_date(r, cd, &row->day)) ||
		    (st = dg_fetch_field_dec(r, cv, row, slot)))
			return st;
		if (b.t <= a.t || b.t - a.t > 86400)
			return dg_csv_fail(r, ce, DG_EDATA,
			    "interval end not after its start");
		if (dg_date_of(a.t) != row->day)
			return dg_csv_fail(r, cd, DG_EDATA,
			    "operating day does not hold the interval start");
		row->t = a.t;
		row->dur = (int32_t)(b.t - a.t);
	}
	return st == DG_EOF ? DG_OK : st;
}

/* OASIS SingleZip for the node zone and the operating day's UTC span
 * (23, 24 or 25 hours in Pacific time), [I]. */
int
dg_fetch_caiso_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	dg_time a, b;
	char saved[128], z[256];
	struct tm ta, tb;
	time_t ta_t, tb_t;
	int st;

	(void)monthly;
	if (zone == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "%s needs --zone NODE", src->name);
	snprintf(saved, sizeof(saved), "%s", dg_tz_name());
	dg_tz_set(src->tz);
	st = dg_date_start(d, &a) || dg_date_start(d + 1, &b);
	dg_tz_set(saved);
	if (st)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "no local midnight");
	ta_t = (time_t)a;
	tb_t = (time_t)b;
	gmtime_r(&ta_t, &ta);
	gmtime_r(&tb_t, &tb);
	dg_fetch_url_escape(zone, z, sizeof(z));
	if ((st = dg_fetch_url_fmt(cname, cn, err, "PRC_LMP_DAM_%s_%s.zip", z,
	    ymd)) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err, "%s/SingleZip?resultformat=6"
	    "&queryname=PRC_LMP&version=12&market_run_id=DAM&node=%s"
	    "&startdatetime=%04d%02d%02dT%02d:%02d-0000"
	    "&enddatetime=%04d%02d%02dT%02d:%02d-0000", base, z,
	    ta.tm_year + 1900, ta.tm_mon + 1, ta.tm_mday, ta.tm_hour,
	    ta.tm_min, tb.tm_year + 1900, tb.tm_mon + 1, tb.tm_mday,
	    tb.tm_hour, tb.tm_min);
}
