/* dg_health.c: the findings, the files of the day, and the pipelines'
 * markers, logs and versions (dg_health.h; the meter data is in
 * dg_health_meter.c). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dg_health.h"
#include "dg_util.h"

#define LINE_MAX_LEN 4096

void
dg_health_params_init(struct dg_health_params *p)
{
	memset(p, 0, sizeof(*p));
	p->stale_warn_s = 26 * 3600;
	p->stale_crit_s = 50 * 3600;
	p->months = 13;
	p->ok_flags = "rollover";
	p->avail_warn = dg_dec_make(90, 0);
	p->avail_crit = dg_dec_make(75, 0);
	p->flag_growth = dg_dec_make(2, 0);
	p->flag_min = dg_dec_make(1, 0);
	p->days = 3;
	p->bid_due_min = 5 * 60;
	p->schedule_due_min = 14 * 60;
	p->monthly_due_day = 5;
}

void
dg_health_release(struct dg_health *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].site);
		free(h->v[i].subject);
		free(h->v[i].message);
	}
	free(h->v);
	memset(h, 0, sizeof(*h));
}

int
dg_health_add(struct dg_health *h, int severity, const char *check,
    const char *site, const char *subject, const dg_dec *value,
    const dg_dec *limit, const char *fmt, ...)
{
	struct dg_health_finding *f;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (dg_grow(&h->v, &h->cap, h->n + 1, sizeof(*h->v)) != 0)
		return DG_ENOMEM;
	f = &h->v[h->n];
	memset(f, 0, sizeof(*f));
	f->severity = severity;
	f->check = check;
	f->site = strdup(site ? site : "");
	f->subject = strdup(subject ? subject : "");
	f->message = strdup(msg);
	if (f->site == NULL || f->subject == NULL || f->message == NULL) {
		free(f->site);
		free(f->subject);
		free(f->message);
		return DG_ENOMEM;
	}
	if (value != NULL && limit != NULL) {
		f->have_value = 1;
		f->value = *value;
		f->limit = *limit;
	}
	h->n++;
	return DG_OK;
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct dg_health_finding *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return y->severity - x->severity;
	if ((c = strcmp(x->check, y->check)) != 0 ||
	    (c = strcmp(x->site, y->site)) != 0)
		return c;
	return strcmp(x->subject, y->subject);
}

void
dg_health_sort(struct dg_health *h)
{
	if (h->n > 1)
		qsort(h->v, h->n, sizeof(*h->v), cmp_finding);
}

int
dg_health_worst(const struct dg_health *h)
{
	int w = DG_HEALTH_OK;

	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].severity > w)
			w = h->v[i].severity;
	return w;
}

const char *
dg_health_severity_name(int severity)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL" };

	return severity >= 0 && severity <= 2 ? names[severity] : "UNKNOWN";
}

/* --- Files of the day ------------------------------------------------- */

/* pattern with %Y %m %d replaced by date d's, %% by %.  -1 when out is
 * too short. */
static int
expand(const char *pattern, dg_date d, char *out, size_t n)
{
	int ymd[3];
	size_t k = 0;

	dg_date_to_ymd(d, &ymd[0], &ymd[1], &ymd[2]);
	for (const char *s = pattern; *s != '\0'; s++) {
		const char *f = s[0] == '%' ? strchr("Ymd%", s[1]) : NULL;
		char part[8];
		int len;

		if (f == NULL || s[1] == '\0')
			len = snprintf(part, sizeof(part), "%c", *s);
		else if (*f == '%')
			len = snprintf(part, sizeof(part), "%%");
		else if (*f == 'Y')
			len = snprintf(part, sizeof(part), "%04d", ymd[0]);
		else
			len = snprintf(part, sizeof(part), "%02d",
			    ymd[*f == 'm' ? 1 : 2]);
		if (f != NULL && s[1] != '\0')
			s++;
		if (k + (size_t)len >= n)
			return -1;
		memcpy(out + k, part, (size_t)len);
		k += (size_t)len;
	}
	out[k] = '\0';
	return 0;
}

/* One day's file: there, with a data row. */
static int
feed_file(const char *path, const char *day, int sev, struct dg_health *h)
{
	struct dg_csv_opts o;
	struct dg_csv *r;
	struct dg_error e;
	struct stat sb;
	char why[1024];
	int st;

	if (stat(path, &sb) != 0)
		return dg_health_add(h, sev, "feed_missing", NULL, path, NULL,
		    NULL, "no file %s for %s", path, day);
	dg_csv_opts_init(&o);
	if (sb.st_size == 0 || (st = dg_csv_open(&r, path, &o, &e)) == DG_OK) {
		st = sb.st_size == 0 ? DG_EOF : dg_csv_next(r);
		if (sb.st_size != 0)
			dg_csv_close(r);
		if (st == DG_OK)
			return DG_OK;
		if (st == DG_EOF)
			return dg_health_add(h, DG_HEALTH_WARNING, "feed_empty",
			    NULL, path, NULL, NULL,
			    "%s (for %s) has no data row", path, day);
	}
	dg_error_format(&e, why, sizeof(why));
	return dg_health_add(h, DG_HEALTH_WARNING, "feed_unreadable", NULL,
	    path, NULL, NULL, "%s (for %s) cannot be read: %s", path, day, why);
}

int
dg_health_feed(const char *pattern, const struct dg_health_params *p,
    struct dg_health *h)
{
	dg_date today = dg_date_of(p->now);
	char path[LINE_MAX_LEN], day[16];
	int st;

	for (int k = p->days - 1; k >= 0; k--) {
		if (expand(pattern, today - k, path, sizeof(path)) != 0)
			return DG_EINVAL;
		dg_date_format(today - k, day, sizeof(day));
		if ((st = feed_file(path, day, k == 0 ? DG_HEALTH_CRITICAL :
		    DG_HEALTH_WARNING, h)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* --- scripts/daily ----------------------------------------------------- */

/* The lines of the file path holding s (0 when none, or no file); the
 * last of them into line (n bytes, may be 0). */
static long
grep_file(const char *path, const char *s, char *line, size_t n)
{
	FILE *fp = fopen(path, "r");
	char buf[LINE_MAX_LEN];
	long found = 0;

	if (fp == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		size_t len = strcspn(buf, "\n");

		if (strstr(buf, s) == NULL)
			continue;
		found++;
		if (n == 0)
			continue;
		len = len < n ? len : n - 1;
		memcpy(line, buf, len);
		line[len] = '\0';
	}
	fclose(fp);
	return found;
}

/* A path from fmt; -1 when it does not fit (no path is that long). */
static int
path_of(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
path_of(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static int
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* A step of market day d, due at due: its marker, else why not. */
static int
daily_step(const char *dir, const char *day, const char *step, dg_time due,
    int sev, struct dg_health *h)
{
	char path[LINE_MAX_LEN], log[LINE_MAX_LEN], key[64], line[1024];
	char when[DG_TIME_BUFSZ], subject[64];
	const char *why;

	if (path_of(path, sizeof(path), "%s/%s/%s.done", dir, day, step) ||
	    path_of(log, sizeof(log), "%s/%s/daily.log", dir, day))
		return DG_EINVAL;
	if (exists(path))
		return DG_OK;
	snprintf(subject, sizeof(subject), "%s %s", step, day);
	snprintf(key, sizeof(key), " %s %s: FAILED", step, day);
	if (grep_file(log, key, line, sizeof(line)) > 0) {
		why = strstr(line, "FAILED");
		return dg_health_add(h, sev, "step_failed", NULL, subject, NULL,
		    NULL, "daily %s for %s failed (%s): %s", step, day, log,
		    why);
	}
	dg_time_format(due, when, sizeof(when));
	return dg_health_add(h, sev, "step_not_run", NULL, subject, NULL, NULL,
	    "daily %s for %s was due by %s and has not run (no %s)", step, day,
	    when, path);
}

/* The day before market day d at minute min, local. */
static int
due_at(dg_date d, int min, dg_time *t)
{
	int y, m, dd;

	dg_date_to_ymd(d - 1, &y, &m, &dd);
	return dg_time_from_local(y, m, dd, min / 60, min % 60, 0, t);
}

static int
daily_retries(const char *dir, const char *day, struct dg_health *h)
{
	char log[LINE_MAX_LEN];
	long n;

	if (path_of(log, sizeof(log), "%s/%s/daily.log", dir, day))
		return DG_EINVAL;
	if ((n = grep_file(log, "; retry ", NULL, 0)) == 0)
		return DG_OK;
	return dg_health_add(h, DG_HEALTH_WARNING, "download_retried", NULL,
	    day, NULL, NULL, "%ld download retr%s in %s", n,
	    n == 1 ? "y" : "ies", log);
}

/* Step s of market day d, when due: critical the first time (the latest
 * day), a warning after. */
static int
daily_due(const char *dir, dg_date d, int s, int *seen,
    const struct dg_health_params *p, struct dg_health *h)
{
	static const char *const steps[] = { "bid", "schedule" };
	int min = s == 0 ? p->bid_due_min : p->schedule_due_min, st;
	char day[16];
	dg_time due;

	if (due_at(d, min, &due) != DG_OK || p->now < due)
		return DG_OK;
	dg_date_format(d, day, sizeof(day));
	st = daily_step(dir, day, steps[s], due, seen[s]++ ?
	    DG_HEALTH_WARNING : DG_HEALTH_CRITICAL, h);
	if (st == DG_OK && s == 0 && seen[0] == 1)
		st = daily_retries(dir, day, h);
	return st;
}

int
dg_health_daily(const char *dir, const struct dg_health_params *p,
    struct dg_health *h)
{
	dg_date first = dg_date_of(p->now) + 1;
	int seen[2] = { 0, 0 }, st = DG_OK;

	for (int k = 0; st == DG_OK && k < p->days; k++)
		for (int s = 0; st == DG_OK && s < 2; s++)
			st = daily_due(dir, first - k, s, seen, p, h);
	return st;
}

/* --- scripts/monthly ----------------------------------------------------- */

/* The files of dir/SHA256SUMS against their hashes. */
static int
month_sums(const char *dir, const char *month, struct dg_health *h)
{
	char path[LINE_MAX_LEN], line[LINE_MAX_LEN], hex[DG_SHA256_HEX];
	FILE *fp;
	int st = DG_OK;

	if (path_of(path, sizeof(path), "%s/SHA256SUMS", dir))
		return DG_EINVAL;
	if ((fp = fopen(path, "r")) == NULL)
		return dg_health_add(h, DG_HEALTH_WARNING, "month_unverified",
		    NULL, month, NULL, NULL,
		    "%s has no SHA256SUMS to check it by", dir);
	while (st == DG_OK && fgets(line, sizeof(line), fp) != NULL) {
		char file[LINE_MAX_LEN];

		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) < 67 || line[64] != ' ')
			continue;
		if (path_of(file, sizeof(file), "%s/%s", dir, line + 66))
			st = DG_EINVAL;
		else if (dg_sha256_file(file, hex, NULL) != DG_OK)
			st = dg_health_add(h, DG_HEALTH_CRITICAL,
			    "month_altered", NULL, file, NULL, NULL,
			    "%s is gone (listed in %s)", file, path);
		else if (memcmp(hex, line, 64) != 0)
			st = dg_health_add(h, DG_HEALTH_CRITICAL,
			    "month_altered", NULL, file, NULL, NULL,
			    "%s differs from its SHA-256 in %s", file, path);
	}
	fclose(fp);
	return st;
}

/* The month whose settlement is due at now. */
static void
due_month(const struct dg_health_params *p, char *month, size_t n)
{
	struct dg_local lt;
	int back;

	dg_time_local(p->now, &lt);
	back = lt.mday >= p->monthly_due_day ? 1 : 2;
	lt.mon -= back;
	if (lt.mon < 1) {
		lt.mon += 12;
		lt.year--;
	}
	snprintf(month, n, "%04d-%02d", lt.year % 10000, lt.mon % 100);
}

int
dg_health_monthly(const char *out, const char *log,
    const struct dg_health_params *p, struct dg_health *h)
{
	char month[32], dir[LINE_MAX_LEN], logp[LINE_MAX_LEN], key[48];
	char line[1024];
	int last;

	due_month(p, month, sizeof(month));
	if (path_of(dir, sizeof(dir), "%s/%s/current", out, month) ||
	    (log == NULL ? path_of(logp, sizeof(logp), "%s/monthly.log", out) :
	    path_of(logp, sizeof(logp), "%s", log)))
		return DG_EINVAL;
	snprintf(key, sizeof(key), "] %s: ", month);
	last = grep_file(logp, key, line, sizeof(line)) > 0;
	if (!exists(dir))
		return dg_health_add(h, DG_HEALTH_CRITICAL,
		    last && strstr(line, "FAILED") ? "step_failed" :
		    "month_not_settled", NULL, month, NULL, NULL,
		    "%s is not settled (no %s)%s%s", month, dir,
		    last ? "; the log's last line: " : "", last ? line : "");
	if (last && strstr(line, "REFUSED") != NULL &&
	    dg_health_add(h, DG_HEALTH_WARNING, "month_inputs_changed", NULL,
	    month, NULL, NULL, "the last run of %s was refused: its inputs "
	    "changed since the version in force (%s)", month, line) != DG_OK)
		return DG_ENOMEM;
	if (last && strstr(line, "FAILED") != NULL &&
	    dg_health_add(h, DG_HEALTH_WARNING, "step_failed", NULL, month,
	    NULL, NULL, "the last run of %s failed; the version in force "
	    "stands (%s)", month, line) != DG_OK)
		return DG_ENOMEM;
	return month_sums(dir, month, h);
}
