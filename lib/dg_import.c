/* dg_import.c: wide meter exports reshaped to narrow rows (dg_import.h). */
#include <config.h>

#include <stdlib.h>

#include "dg_import.h"

/* One narrow row, its value checked here so that an error names the
 * wide file's line and column. */
static int
put_row(struct dg_csv *r, int c, struct dg_csvw *w, const char *site,
    dg_time t)
{
	dg_dec d;
	int st;

	if (!dg_csv_is_empty(r, c) && (st = dg_csv_get_dec(r, c, &d)) != DG_OK)
		return st;
	dg_csvw_str(w, site);
	dg_csvw_time(w, t);
	dg_csvw_str(w, dg_csv_field(r, c, NULL));
	dg_csvw_int(w, dg_csv_line(r));
	return dg_csvw_end_row(w);
}

/* One row per interval, one column per site. */
static int
reshape_sites(struct dg_csv *r, const struct dg_import_opts *io,
    struct dg_csvw *w)
{
	const char *tc = io->time_col ? io->time_col : "time";
	int ct, st;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_require(r, tc, &ct)) != DG_OK)
		return st;
	if (dg_csv_ncols(r) < 2)
		return dg_csv_fail(r, -1, DG_EDATA,
		    "no site columns beside \"%s\"", tc);
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		dg_time t;

		if ((st = dg_csv_get_time(r, ct, &ts)) != DG_OK)
			return st;
		t = prev = dg_tstamp_pick(&ts, prev);
		for (size_t c = 0; c < dg_csv_ncols(r); c++)
			if ((int)c != ct &&
			    (st = put_row(r, (int)c, w, dg_csv_colname(r, c),
			    t)) != DG_OK)
				return st;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* The interval columns of a day row: per a day, extra for a repeated
 * hour; -1 when n is not a count of a day's intervals. */
static int
day_columns(size_t n, int *per, int *extra)
{
	static const int counts[] = { 24, 48, 96, 288 };

	for (int i = 0; i < 4; i++) {
		if ((int)n == counts[i] ||
		    (int)n == counts[i] + counts[i] / 24) {
			*per = counts[i];
			*extra = (int)n - counts[i];
			return 0;
		}
	}
	return -1;
}

/* The stamps of one day's intervals in zone (NULL: the market's): t[k]
 * for the k-th column, INT64_MIN for an interval the clock skips; the
 * second passes of a repeated hour go to t2[] in order (*n2 of them). */
static void
day_stamps_zone(struct dg_zone *zone, dg_date d, int per, dg_time *t,
    dg_time *t2, int *n2)
{
	int step = 1440 / per, y, m, dd;

	dg_date_to_ymd(d, &y, &m, &dd);
	*n2 = 0;
	for (int k = 0; k < per; k++) {
		char s[32];
		struct dg_tstamp ts;
		const char *why;
		int len = snprintf(s, sizeof(s), "%04d-%02d-%02d %02d:%02d", y,
		    m, dd, k * step / 60, k * step % 60);

		if (dg_time_parse_zone(s, (size_t)len, 1, zone, &ts,
		    &why) != DG_OK) {
			t[k] = INT64_MIN;
			continue;
		}
		t[k] = ts.t;
		if (ts.ambiguous)
			t2[(*n2)++] = ts.t2;
	}
}

/* One row per site and day, the day's intervals in columns. */
static int
reshape_days(struct dg_csv *r, const struct dg_import_opts *io,
    const struct dg_csv_opts *o, struct dg_csvw *w)
{
	const char *sc = io->site_col ? io->site_col : "site";
	const char *dc = io->date_col ? io->date_col : "date";
	int cs = -1, cd, st, per, extra, n2;
	int *col;
	size_t nc = 0;
	dg_time t[288], t2[288];

	if (io->site == NULL && (st = dg_csv_require(r, sc, &cs)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, dc, &cd)) != DG_OK)
		return st;
	if ((col = calloc(dg_csv_ncols(r) + 1, sizeof(*col))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	for (size_t c = 0; c < dg_csv_ncols(r); c++)
		if ((int)c != cs && (int)c != cd)
			col[nc++] = (int)c;
	if (day_columns(nc, &per, &extra) != 0) {
		free(col);
		return dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r),
		    1, NULL,
		    "%zu interval columns: a day has 24, 48, 96 or 288 (25, 50, 100 or 300 with a repeated hour's)",
		    nc);
	}
	while ((st = dg_csv_next(r)) == DG_OK) {
		dg_date d;
		const char *site =
		    io->site ? io->site : dg_csv_field(r, cs, NULL);

		if (site[0] == '\0') {
			st = dg_csv_fail(r, cs, DG_EDATA, "empty value");
			break;
		}
		if ((st = dg_csv_get_date(r, cd, &d)) != DG_OK)
			break;
		day_stamps_zone(o->zone, d, per, t, t2, &n2);
		for (int k = 0; k < per + extra && st == DG_OK; k++) {
			const char *v = dg_csv_field(r, col[k], NULL);
			dg_time at;

			if (k < per)
				at = t[k];
			else
				at = k - per < n2 ? t2[k - per] : INT64_MIN;
			if (at == INT64_MIN) {
				if (v[0] != '\0')
					st = dg_csv_fail(r, col[k], DG_EDATA,
					    k < per ? "a value in an interval the clock skips that day (daylight saving)" :
					    "a value for a repeated hour on a day without one");
				continue;
			}
			st = put_row(r, col[k], w, site, at);
		}
		if (st != DG_OK)
			break;
	}
	free(col);
	return st == DG_EOF ? DG_OK : st;
}

int
dg_import_reshape(const char *path, const struct dg_import_opts *io,
    const struct dg_csv_opts *o, FILE *out, struct dg_error *err)
{
	struct dg_csv *r;
	struct dg_csvw w;
	const char *hdr[4] = { "site", "time", io->value_col, "line" };
	int st;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	dg_csvw_init(&w, out, ',', 0, 0);
	dg_csvw_header(&w, hdr, 4);
	if (io->layout == DG_IMPORT_SITES)
		st = reshape_sites(r, io, &w);
	else if (io->layout == DG_IMPORT_DAYS)
		st = reshape_days(r, io, o, &w);
	else
		st = dg_csv_fail(r, -1, DG_EINTERNAL, "nothing to reshape");
	if (st != DG_OK && dg_csv_error(r) != err && err != NULL)
		*err = *dg_csv_error(r);
	if (st == DG_OK && (fflush(out) != 0 || ferror(out)))
		st = dg_error_set(err, DG_EIO, NULL, 0, NULL,
		    "cannot write a temporary file");
	dg_csv_close(r);
	return st;
}
