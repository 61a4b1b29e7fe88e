/* dg_fetch_nyiso.c: NYISO's files on its MIS (mis.nyiso.com/public/csv):
 * zonal prices day-ahead (damlbmp_zone) and real-time (realtime_zone),
 * actual loads (palIntegrated) and the load forecast (isolf), daily CSVs
 * or monthly zip archives of them. */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dg_fetch_impl.h"

/* damlbmp_zone (hour beginning) and realtime_zone (interval ending):
 * LBMP = energy + losses - congestion in NYISO's files; the output's
 * congestion has the opposite sign so that price = energy + congestion +
 * losses in every market. */
static int
lbmp(struct dg_fetch_ctx *p, struct dg_csv *r, int rt)
{
	int ct, cn, cp, cl, cls, ccg, st, found;

	if ((st = dg_csv_require(r, "Time Stamp", &ct)) ||
	    (st = dg_csv_require(r, "Name", &cn)) ||
	    (st = dg_csv_require(r, "LBMP ($/MWHr)", &cl)))
		return st;
	/* A trimmed export may leave out the PTID and the components (their
	 * output columns are then empty). */
	cp = dg_csv_col(r, "PTID");
	cls = dg_csv_col(r, "Marginal Cost Losses ($/MWHr)");
	ccg = dg_csv_col(r, "Marginal Cost Congestion ($/MWHr)");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = dg_fetch_ctx_row(p);
		struct dg_tstamp ts;
		dg_dec mcc;
		dg_time t;
		struct dg_fetch_zone *prev;

		if (row == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = dg_csv_line(r);
		if ((st = dg_fetch_field_name(r, cn, row->zone,
		    sizeof(row->zone), "name")) ||
		    (cp >= 0 && (st = dg_fetch_field_name(r, cp, row->ptid,
		    sizeof(row->ptid), "PTID"))) ||
		    (st = dg_fetch_ctx_time(p, r, ct, &ts)) ||
		    (st = dg_fetch_field_dec(r, cl, row, DG_FV_PRICE)) ||
		    (cls >= 0 && (st = dg_fetch_field_dec(r, cls, row,
		    DG_FV_LOSSES))) ||
		    (ccg >= 0 && (st = dg_csv_get_dec(r, ccg, &mcc))))
			return st;
		if (ccg >= 0) {
			mcc.v = -mcc.v;
			dg_fetch_row_set(row, DG_FV_CONGESTION, mcc);
		}
		prev = dg_fetch_ctx_zone_state(p, row->zone, &found);
		if (prev == NULL)
			return dg_fetch_ctx_oom(p);
		t = dg_tstamp_pick(&ts, found ? prev->t : INT64_MIN);
		if (found && t < prev->t)
			return dg_csv_fail(r, ct, DG_EDATA,
			    "time stamp before the previous one of %s",
			    row->zone);
		if (rt) {
			/* interval ending: the interval starts where the
			 * zone's previous one ended (the first, and one more
			 * than DG_FETCH_RT_MAX_INTERVAL_S after the previous,
			 * at the 5-minute mark before its end: the gap stays
			 * uncovered); a repeated stamp repeats the interval
			 * (flagged duplicate below). */
			if (found && t == prev->t)
				row->t = prev->start;
			else if (found &&
			    t - prev->t <= DG_FETCH_RT_MAX_INTERVAL_S)
				row->t = prev->t;
			else	/* the first, or after a gap: a fresh start */
				row->t = dg_time_floor(t - 1, 300);
			row->dur = (int32_t)(t - row->t);
		} else {
			row->t = t;
			row->dur = 3600;
		}
		prev->t = t;
		prev->start = row->t;
		row->day = dg_date_of(row->t);
		if ((st = dg_fetch_row_energy(row)) != DG_OK)
			return dg_csv_fail(r, cl, st,
			    "price components overflow");
	}
	return st == DG_EOF ? DG_OK : st;
}

/* palIntegrated: hour beginning with an explicit Time Zone column. */
int
dg_fetch_nyiso_pal(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	int ct, cz, cn, cp, cl, st;

	if ((st = dg_csv_require(r, "Time Stamp", &ct)) ||
	    (st = dg_csv_require(r, "Time Zone", &cz)) ||
	    (st = dg_csv_require(r, "Name", &cn)) ||
	    (st = dg_csv_require(r, "PTID", &cp)) ||
	    (st = dg_csv_require(r, "Integrated Load", &cl)))
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = dg_fetch_ctx_row(p);
		struct dg_tstamp ts;
		size_t zl;
		const char *z;
		dg_date d;

		if (row == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = dg_csv_line(r);
		if ((st = dg_fetch_field_name(r, cn, row->zone,
		    sizeof(row->zone), "name")) ||
		    (st = dg_fetch_ctx_time(p, r, ct, &ts)) ||
		    (st = dg_fetch_field_dec(r, cl, row, DG_FV_LOAD)))
			return st;
		/* 2002-2003 files leave the PTID of N.Y.C._LONGIL empty */
		snprintf(row->ptid, sizeof(row->ptid), "%s",
		    dg_csv_field(r, cp, NULL));
		z = dg_csv_field(r, cz, &zl);
		if (dg_tstamp_pick_abbr(&ts, z, zl, &row->t) != DG_OK)
			return dg_csv_fail(r, cz, DG_EDATA,
			    "time zone \"%s\" does not match the stamp \"%s\"",
			    z, dg_csv_field(r, ct, NULL));
		row->dur = 3600;
		d = dg_date_of(row->t);
		row->day = d;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* isolf: wide, one column per zone (Capitl, Hud Vl, ..., NYISO), hour
 * beginning, the repeated fall-back hour told apart by order only.  Zone
 * names are upper-cased to the spelling of the price and load files. */
int
dg_fetch_nyiso_isolf(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	int ct, st, have_prev = 0;
	size_t nc = dg_csv_ncols(r);
	dg_time prev = 0;
	dg_date issued = 0;

	if ((st = dg_csv_require(r, "Time Stamp", &ct)) != DG_OK)
		return st;
	if (nc < 2)
		return dg_csv_fail(r, -1, DG_EDATA, "header: no zone columns");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		dg_time t;

		if ((st = dg_fetch_ctx_time(p, r, ct, &ts)) != DG_OK)
			return st;
		t = dg_tstamp_pick(&ts, have_prev ? prev : INT64_MIN);
		if (have_prev && t <= prev)
			return dg_csv_fail(r, ct, DG_EDATA,
			    "time stamp not after the previous row's");
		if (!have_prev)
			issued = dg_date_of(t);
		prev = t;
		have_prev = 1;
		for (size_t i = 0; i < nc; i++) {
			struct dg_fetch_row *row;
			const char *cn = dg_csv_colname(r, i);

			if ((int)i == ct)
				continue;
			if ((row = dg_fetch_ctx_row(p)) == NULL)
				return dg_fetch_ctx_oom(p);
			row->line = dg_csv_line(r);
			snprintf(row->zone, sizeof(row->zone), "%s", cn);
			for (char *c = row->zone; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			st = dg_fetch_field_dec(r, (int)i, row, DG_FV_LOAD);
			if (st != DG_OK)
				return st;
			row->t = t;
			row->dur = 3600;
			row->day = dg_date_of(t);
			row->issued = issued;
		}
	}
	return st == DG_EOF ? DG_OK : st;
}

int
dg_fetch_nyiso_dam(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	return lbmp(p, r, 0);
}

int
dg_fetch_nyiso_rt(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	return lbmp(p, r, 1);
}

/* BASE/damlbmp/YYYYMMDDdamlbmp_zone.csv, or the month's
 * YYYYMM01damlbmp_zone_csv.zip; the same for the others. */
int
dg_fetch_nyiso_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	static const char *const dir[] = {
		"damlbmp", "realtime", "palIntegrated", "isolf" };
	static const char *const file[] = {
		"damlbmp_zone", "realtime_zone", "palIntegrated", "isolf" };
	int k = src->format - DG_FMT_NYISO_DAM, st;

	(void)d;
	(void)zone;
	if ((st = dg_fetch_url_fmt(cname, cn, err, "%s%s%s", ymd, file[k],
	    monthly ? "_csv.zip" : ".csv")) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err, "%s/%s/%s", base, dir[k], cname);
}
