/* dg_fetch_pjm.c: PJM's Data Miner 2 hourly LMPs (da_hrl_lmps,
 * rt_hrl_lmps) as CSV: the UTC stamp is used, the EPT one must agree. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dg_fetch_impl.h"

/* Reads 1 to maxd digits at s[*i]. */
static int
num_at(const char *s, size_t *i, int maxd, int *out)
{
	int v = 0, n = 0;

	while (n < maxd && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	*out = v;
	return n > 0 ? 0 : -1;
}

/* "5/1/2025 4:00:00 AM" */
static int
parse_pjm_stamp(const char *s, int *y, int *mo, int *d, int *h, int *mi,
    int *se)
{
	size_t i = 0;

	if (num_at(s, &i, 2, mo) || s[i++] != '/' || num_at(s, &i, 2, d) ||
	    s[i++] != '/' || num_at(s, &i, 4, y) || s[i++] != ' ' ||
	    num_at(s, &i, 2, h) || s[i++] != ':' || num_at(s, &i, 2, mi) ||
	    s[i++] != ':' || num_at(s, &i, 2, se) || s[i++] != ' ')
		return DG_EDATA;
	if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h < 1 || *h > 12 ||
	    *mi > 59 || *se > 59 || *y < 1900)
		return DG_EDATA;
	if (strcmp(s + i, "AM") == 0)
		*h = *h == 12 ? 0 : *h;
	else if (strcmp(s + i, "PM") == 0)
		*h = *h == 12 ? 12 : *h + 12;
	else
		return DG_EDATA;
	return DG_OK;
}

int
dg_fetch_pjm(struct dg_fetch_ctx *p, struct dg_csv *r)
{
	const char *sfx = strstr(p->src->name, "-rt") ? "rt" : "da";
	char n_total[32], n_energy[32], n_cong[32], n_loss[32];
	int cu, ce, cid, cnm, ctot, cen, ccg, cls, ccur, st;

	snprintf(n_total, sizeof(n_total), "total_lmp_%s", sfx);
	snprintf(n_energy, sizeof(n_energy), "system_energy_price_%s", sfx);
	snprintf(n_cong, sizeof(n_cong), "congestion_price_%s", sfx);
	snprintf(n_loss, sizeof(n_loss), "marginal_loss_price_%s", sfx);
	if ((st = dg_csv_require(r, "datetime_beginning_utc", &cu)) ||
	    (st = dg_csv_require(r, "datetime_beginning_ept", &ce)) ||
	    (st = dg_csv_require(r, "pnode_id", &cid)) ||
	    (st = dg_csv_require(r, "pnode_name", &cnm)) ||
	    (st = dg_csv_require(r, n_total, &ctot)) ||
	    (st = dg_csv_require(r, n_energy, &cen)) ||
	    (st = dg_csv_require(r, n_cong, &ccg)) ||
	    (st = dg_csv_require(r, n_loss, &cls)))
		return st;
	ccur = dg_csv_col(r, "row_is_current");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_fetch_row *row = dg_fetch_ctx_row(p);
		int y, mo, d, h, mi, se;
		struct dg_local lt;

		if (row == NULL)
			return dg_fetch_ctx_oom(p);
		row->line = dg_csv_line(r);
		if ((st = dg_fetch_field_name(r, cnm, row->zone,
		    sizeof(row->zone), "pnode name")) ||
		    (st = dg_fetch_field_name(r, cid, row->ptid,
		    sizeof(row->ptid), "pnode id")) ||
		    (st = dg_fetch_field_dec(r, ctot, row, DG_FV_PRICE)) ||
		    (st = dg_fetch_field_dec(r, cen, row, DG_FV_ENERGY)) ||
		    (st = dg_fetch_field_dec(r, ccg, row, DG_FV_CONGESTION)) ||
		    (st = dg_fetch_field_dec(r, cls, row, DG_FV_LOSSES)))
			return st;
		if (parse_pjm_stamp(dg_csv_field(r, cu, NULL), &y, &mo, &d, &h,
		    &mi, &se) != DG_OK)
			return dg_csv_fail(r, cu, DG_EDATA,
			    "not a time stamp (M/D/YYYY h:mm:ss AM): \"%s\"",
			    dg_csv_field(r, cu, NULL));
		row->t = (dg_time)dg_date_from_ymd(y, mo, d) * 86400 +
		    h * 3600 + mi * 60 + se;
		if (parse_pjm_stamp(dg_csv_field(r, ce, NULL), &y, &mo, &d, &h,
		    &mi, &se) != DG_OK)
			return dg_csv_fail(r, ce, DG_EDATA,
			    "not a time stamp (M/D/YYYY h:mm:ss AM): \"%s\"",
			    dg_csv_field(r, ce, NULL));
		dg_time_local(row->t, &lt);
		if (lt.year != y || lt.mon != mo || lt.mday != d ||
		    lt.hour != h || lt.min != mi)
			return dg_csv_fail(r, ce, DG_EDATA,
			    "Eastern time \"%s\" does not match the UTC stamp",
			    dg_csv_field(r, ce, NULL));
		row->dur = 3600;
		row->day = dg_date_from_ymd(y, mo, d);
		if (ccur >= 0 &&
		    strcasecmp(dg_csv_field(r, ccur, NULL), "False") == 0)
			row->quality |= DG_FQ_SUPERSEDED;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* The day's rows by datetime_beginning_ept, [I] (not checked against the
 * live service). */
int
dg_fetch_pjm_url(const struct dg_fetch_source *src, const char *base,
    dg_date d, int monthly, const char *ymd, const char *zone, char *url,
    size_t un, char *cname, size_t cn, struct dg_error *err)
{
	const char *feed = strstr(src->name, "-rt") ? "rt_hrl_lmps" :
	    "da_hrl_lmps";
	char range[96], er[200];
	int y, m, dd, st;

	(void)monthly;
	(void)zone;
	dg_date_to_ymd(d, &y, &m, &dd);
	snprintf(range, sizeof(range), "%d/%d/%04d 00:00to%d/%d/%04d 23:00",
	    m, dd, y, m, dd, y);
	dg_fetch_url_escape(range, er, sizeof(er));
	if ((st = dg_fetch_url_fmt(cname, cn, err, "%s_%s.csv", feed,
	    ymd)) != DG_OK)
		return st;
	return dg_fetch_url_fmt(url, un, err, "%s/%s?download=true&format=csv"
	    "&startRow=1&rowCount=50000&datetime_beginning_ept=%s",
	    base, feed, er);
}
