/* dg_plot_axis.c: the time axis of the charts (dg_plot.h): real elapsed
 * hours along x, ticks labelled in local clock time, so that a 25-hour
 * day is 25 hours wide and a 23-hour day 23. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "dg_plot_int.h"

int
dg_plot_days(dg_time a, dg_time b, dg_time *t0, dg_time *t1)
{
	if (dg_date_start(dg_date_of(a), t0) != DG_OK ||
	    dg_date_start(dg_date_of(b) + 1, t1) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

/* Whether the local day of t is not 24 hours long. */
static int
odd_day(dg_time t)
{
	return dg_date_hours(dg_date_of(t)) != 24;
}

/* A label: "HH:MM" (with the zone's abbreviation below it on a day of
 * 23 or 25 hours), or at midnight of a chart of several days "MM-DD". */
static void
label(dg_time t, int days, int end, char *buf, size_t n)
{
	struct dg_local lt;

	dg_time_local(t, &lt);
	if (days == 1 && end)
		lt.hour = 24;	/* the midnight that ends the day */
	if (days > 1 && lt.hour == 0 && lt.min == 0)
		snprintf(buf, n, "%02d-%02d", lt.mon, lt.mday);
	else if (odd_day(t))
		snprintf(buf, n, "%02d:%02d\n%s", lt.hour, lt.min, lt.abbr);
	else
		snprintf(buf, n, "%02d:%02d", lt.hour, lt.min);
}

/* Whether the zone's offset changes between t and t + d. */
static int
change(dg_time t, long d)
{
	struct dg_local a, b;

	dg_time_local(t, &a);
	dg_time_local(t + d, &b);
	return a.offset != b.offset;
}

/* Whether a tick at t is labelled: every `every` hours of elapsed time h,
 * and the first hour after a change of the zone's offset (01:00 EST after
 * 01:00 EDT on a fall-back day, 03:00 EDT on a spring-forward day), whose
 * neighbours are then left without a label. */
static int
labelled(dg_time t, long h, int every)
{
	if (change(t, -3600))
		return 1;
	return h % every == 0 && !change(t + 3600, -3600) &&
	    !change(t - 3600, -3600);
}

/* Charts of up to two days: a tick every hour. */
static int
hour_ticks(struct dg_chart *c, dg_time t0, dg_time t1, int days)
{
	int every = days == 1 ? 2 : 6;
	char buf[32];

	for (dg_time t = t0; t <= t1; t += 3600) {
		buf[0] = '\0';
		if (labelled(t, (long)((t - t0) / 3600), every))
			label(t, days, t == t1, buf, sizeof(buf));
		if (dg_chart_tick(c, dg_plot_x(t0, t), buf) != DG_OK)
			return DG_ENOMEM;
	}
	return DG_OK;
}

/* Longer charts: a tick at every local midnight, a label every `every`
 * days so that at most 16 are written. */
static int
day_ticks(struct dg_chart *c, dg_time t0, dg_time t1, int days)
{
	int every = (days + 15) / 16;
	dg_date d0 = dg_date_of(t0);
	char buf[32];

	for (int i = 0; i <= days; i++) {
		dg_time t;

		if (dg_date_start(d0 + i, &t) != DG_OK || t > t1)
			break;
		buf[0] = '\0';
		if (i % every == 0)
			label(t, days, 0, buf, sizeof(buf));
		if (dg_chart_tick(c, dg_plot_x(t0, t), buf) != DG_OK)
			return DG_ENOMEM;
	}
	return DG_OK;
}

/* The zone's abbreviations over the chart: "EDT", or "EDT, EST". */
static void
abbrs(dg_time t0, dg_time t1, char *buf, size_t n)
{
	struct dg_local lt;
	size_t len = 0;

	buf[0] = '\0';
	for (dg_time t = t0; t < t1; t += 3600) {
		dg_time_local(t, &lt);
		if (strstr(buf, lt.abbr) != NULL || len + 12 > n)
			continue;
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    len ? ", " : "", lt.abbr);
	}
}

int
dg_plot_time_axis(struct dg_chart *c, dg_time t0, dg_time t1)
{
	int days = (int)(dg_date_of(t1 - 1) - dg_date_of(t0)) + 1;
	char ab[64];
	char d0[16], d1[16];
	int st;

	c->xmin = 0;
	c->xmax = dg_plot_x(t0, t1);
	st = days <= 2 ? hour_ticks(c, t0, t1, days) :
	    day_ticks(c, t0, t1, days);
	if (st != DG_OK)
		return st;
	abbrs(t0, t1, ab, sizeof(ab));
	dg_date_format(dg_date_of(t0), d0, sizeof(d0));
	dg_date_format(dg_date_of(t1 - 1), d1, sizeof(d1));
	if (days == 1)
		return dg_chart_title(&c->xlabel, "local time, %s (%s), %s%s",
		    dg_zone_name(dg_tz_zone()), ab, d0,
		    dg_date_hours(dg_date_of(t0)) != 24 ?
		    (dg_date_hours(dg_date_of(t0)) == 25 ?
		    ": a 25-hour day" : ": a 23-hour day") : "");
	return dg_chart_title(&c->xlabel, "local time, %s (%s), %s to %s",
	    dg_zone_name(dg_tz_zone()), ab, d0, d1);
}
