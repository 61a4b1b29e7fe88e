/* dg_cal.c: weekdays, NERC holidays, capability periods, holiday sets. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_cal.h"
#include "dg_csv.h"
#include "dg_status.h"

int
dg_cal_is_weekend(dg_date d)
{
	int w = dg_date_wday(d);

	return w == 0 || w == 6;
}

/* The n-th (1-based) weekday wd of a month; n = -1 for the last. */
static dg_date
nth_weekday(int y, int m, int wd, int n)
{
	dg_date d;

	if (n > 0) {
		d = dg_date_from_ymd(y, m, 1);
		d += (wd - dg_date_wday(d) + 7) % 7;
		return d + 7 * (n - 1);
	}
	d = dg_date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
	return d - (dg_date_wday(d) - wd + 7) % 7;
}

/* A fixed-date holiday and the date it is observed (Sunday -> Monday). */
static int
fixed_observed(dg_date d, int y, int m, int dd)
{
	dg_date h = dg_date_from_ymd(y, m, dd);

	if (dg_date_wday(h) == 0)
		h++;
	return d == h;
}

const char *
dg_cal_nerc_holiday(dg_date d)
{
	int y, m, dd;

	dg_date_to_ymd(d, &y, &m, &dd);
	/* New Year's Day observed on Monday January 2 when Jan 1 is a
	 * Sunday. */
	if (m == 1 && fixed_observed(d, y, 1, 1))
		return "New Year's Day";
	if (m == 5 && d == nth_weekday(y, 5, 1, -1))
		return "Memorial Day";
	if (m == 7 && fixed_observed(d, y, 7, 4))
		return "Independence Day";
	if (m == 9 && d == nth_weekday(y, 9, 1, 1))
		return "Labor Day";
	if (m == 11 && d == nth_weekday(y, 11, 4, 4))
		return "Thanksgiving Day";
	if (m == 12 && fixed_observed(d, y, 12, 25))
		return "Christmas Day";
	return NULL;
}

struct dg_capper
dg_cal_capability_period(dg_date d)
{
	struct dg_capper p;
	int y, m, dd;

	dg_date_to_ymd(d, &y, &m, &dd);
	p.summer = m >= 5 && m <= 10;
	p.year = (m <= 4) ? y - 1 : y;
	return p;
}

int
dg_cal_capper_format(struct dg_capper p, char *buf, size_t n)
{
	if (p.summer)
		return snprintf(buf, n, "Summer %d", p.year);
	return snprintf(buf, n, "Winter %d-%d", p.year, p.year + 1);
}

void
dg_holidays_init(struct dg_holidays *h, int nerc)
{
	h->nerc = nerc;
	h->extra = NULL;
	h->n = h->cap = 0;
}

void
dg_holidays_release(struct dg_holidays *h)
{
	free(h->extra);
	h->extra = NULL;
	h->n = h->cap = 0;
}

int
dg_holidays_add(struct dg_holidays *h, dg_date d)
{
	size_t i;

	if (dg_holidays_contains(h, d))
		return DG_OK;
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		dg_date *p = realloc(h->extra, cap * sizeof(*p));

		if (p == NULL)
			return DG_ENOMEM;
		h->extra = p;
		h->cap = cap;
	}
	/* keep sorted */
	for (i = h->n; i > 0 && h->extra[i - 1] > d; i--)
		h->extra[i] = h->extra[i - 1];
	h->extra[i] = d;
	h->n++;
	return DG_OK;
}

int
dg_holidays_contains(const struct dg_holidays *h, dg_date d)
{
	size_t lo = 0, hi;

	if (h == NULL)
		return dg_cal_nerc_holiday(d) != NULL;
	if (h->nerc && dg_cal_nerc_holiday(d) != NULL)
		return 1;
	hi = h->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (h->extra[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->n && h->extra[lo] == d;
}

int
dg_holidays_read(struct dg_holidays *h, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, col;
	dg_date d;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "date", &col)) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if ((st = dg_csv_get_date(r, col, &d)) != DG_OK)
			goto out;
		if ((st = dg_holidays_add(h, d)) != DG_OK) {
			dg_csv_fail(r, -1, st, "%s", dg_strerror(st));
			goto out;
		}
	}
	if (st == DG_EOF)
		st = DG_OK;
out:
	dg_csv_close(r);
	return st;
}

enum dg_daytype
dg_cal_daytype(dg_date d, const struct dg_holidays *h)
{
	int w = dg_date_wday(d);

	if (dg_holidays_contains(h, d))
		return DG_HOLIDAY;
	if (w == 6)
		return DG_SATURDAY;
	if (w == 0)
		return DG_SUNDAY;
	return DG_WEEKDAY;
}
