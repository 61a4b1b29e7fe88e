/* dg_events.c: the events file (see dg_events.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_events.h"
#include "dg_util.h"

void
dg_events_release(struct dg_events *es)
{
	for (size_t i = 0; i < es->n; i++) {
		free(es->v[i].id);
		free(es->v[i].program);
		free(es->v[i].site);
		free(es->v[i].notice);
	}
	free(es->v);
	free(es->by_id);
	free(es->file);
	memset(es, 0, sizeof(*es));
}

/* "HH:MM" or "HH:MM:00"; 24:00 only for an end.  Minutes from midnight, or
 * -1. */
static int
clock_minutes(const char *s, int end)
{
	size_t n = strlen(s);
	int h, m;

	if ((n != 5 && !(n == 8 && s[5] == ':' && s[6] == '0' &&
	    s[7] == '0')) || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
		return -1;
	return h * 60 + m;
}

/* The instant of clock minute min of local date d (1440: the next
 * midnight). */
static int
instant(struct dg_csv *r, int c, dg_date d, int min, dg_time *out)
{
	int y, mo, dd;

	if (min == 1440) {
		if (dg_date_start(d + 1, out) == DG_OK)
			return DG_OK;
	} else {
		dg_date_to_ymd(d, &y, &mo, &dd);
		if (dg_time_from_local(y, mo, dd, min / 60, min % 60, 0, out) ==
		    DG_OK)
			return DG_OK;
	}
	return dg_csv_fail(r, c, DG_EDATA,
	    "no such local time on that date (skipped by daylight saving): \"%s\"",
	    dg_csv_field(r, c, NULL));
}

static int
need(struct dg_csv *r, int c)
{
	if (dg_csv_is_empty(r, c))
		return dg_csv_fail(r, c, DG_EDATA, "empty value");
	return DG_OK;
}

static int
read_row(struct dg_csv *r, const int *col, struct dg_event *e)
{
	int st;

	memset(e, 0, sizeof(*e));
	e->line = dg_csv_line(r);
	if ((st = need(r, col[0])) != DG_OK || (st = need(r, col[1])) != DG_OK)
		return st;
	if (dg_date_parse(dg_csv_field(r, col[2], NULL),
	    strlen(dg_csv_field(r, col[2], NULL)), &e->date) != DG_OK)
		return dg_csv_fail(r, col[2], DG_EDATA,
		    "not a date (YYYY-MM-DD): \"%s\"",
		    dg_csv_field(r, col[2], NULL));
	if ((e->start_min =
	    clock_minutes(dg_csv_field(r, col[3], NULL), 0)) < 0)
		return dg_csv_fail(r, col[3], DG_EDATA,
		    "not a clock time HH:MM: \"%s\"",
		    dg_csv_field(r, col[3], NULL));
	if ((e->end_min = clock_minutes(dg_csv_field(r, col[4], NULL), 1)) < 0)
		return dg_csv_fail(r, col[4], DG_EDATA,
		    "not a clock time HH:MM (up to 24:00): \"%s\"",
		    dg_csv_field(r, col[4], NULL));
	if (e->end_min <= e->start_min)
		return dg_csv_fail(r, col[4], DG_EDATA,
		    "the event ends before it starts");
	if ((st = instant(r, col[3], e->date, e->start_min,
	    &e->start)) != DG_OK ||
	    (st = instant(r, col[4], e->date, e->end_min, &e->end)) != DG_OK)
		return st;
	if ((e->id = strdup(dg_csv_field(r, col[0], NULL))) == NULL ||
	    (e->program = strdup(dg_csv_field(r, col[1], NULL))) == NULL ||
	    (col[5] >= 0 && !dg_csv_is_empty(r, col[5]) &&
	    (e->site = strdup(dg_csv_field(r, col[5], NULL))) == NULL) ||
	    (col[6] >= 0 && !dg_csv_is_empty(r, col[6]) &&
	    (e->notice = strdup(dg_csv_field(r, col[6], NULL))) == NULL)) {
		free(e->id);
		free(e->program);
		free(e->site);
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	return DG_OK;
}

static int
cmp_time(const void *a, const void *b)
{
	const struct dg_event *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->start_min != y->start_min)
		return x->start_min < y->start_min ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static int
cmp_id(const void *a, const void *b, void *arg)
{
	const struct dg_event *v = arg;
	const struct dg_event *x = &v[*(const size_t *)a];
	const struct dg_event *y = &v[*(const size_t *)b];
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return (x->line > y->line) - (x->line < y->line);
}

/* Why rows a (earlier) and b of one event disagree, or NULL. */
static const char *
disagree(const struct dg_event *a, const struct dg_event *b, const char **col)
{
	*col = "event";
	if (a->site == NULL && b->site == NULL)
		return "is given twice";
	if (a->site == NULL || b->site == NULL)
		return "calls every site and also one site";
	if (strcmp(a->site, b->site) == 0) {
		*col = "site";
		return "names the same site twice";
	}
	if (strcmp(a->program, b->program) != 0) {
		*col = "program";
		return "has two programs";
	}
	if (a->date != b->date || a->start_min != b->start_min ||
	    a->end_min != b->end_min)
		return "has two dates or times";
	return NULL;
}

/* The rows of one event agree and name each site once; the error is at
 * the later row of the first pair that does not. */
static int
check_ids(struct dg_events *es, struct dg_csv *r)
{
	size_t first = 0;

	for (size_t k = 1; k < es->n; k++) {
		const struct dg_event *b = &es->v[es->by_id[k]];
		const char *what, *col;

		if (strcmp(es->v[es->by_id[first]].id, b->id) != 0) {
			first = k;
			continue;
		}
		for (size_t j = first; j < k; j++) {
			const struct dg_event *a = &es->v[es->by_id[j]];

			if ((what = disagree(a, b, &col)) != NULL)
				return dg_error_set(dg_csv_error(r), DG_EDATA,
				    dg_csv_name(r), b->line, col,
				    "event \"%s\" %s (line %ld and this one)",
				    b->id, what, a->line);
		}
	}
	return DG_OK;
}

static int
index_ids(struct dg_events *es)
{
	if (es->n == 0)
		return DG_OK;
	if ((es->by_id = malloc(es->n * sizeof(*es->by_id))) == NULL)
		return DG_ENOMEM;
	for (size_t i = 0; i < es->n; i++)
		es->by_id[i] = i;
	qsort_r(es->by_id, es->n, sizeof(*es->by_id), cmp_id, es->v);
	return DG_OK;
}

int
dg_events_read(struct dg_events *es, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "event", "program", "date",
	    "start", "end" };
	struct dg_csv *r;
	int st, col[7];

	memset(es, 0, sizeof(*es));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5; i++)
		if ((st = dg_csv_require(r, names[i], &col[i])) != DG_OK)
			goto out;
	col[5] = dg_csv_col(r, "site");
	col[6] = dg_csv_col(r, "notice");
	snprintf(es->col_program, sizeof(es->col_program), "program");
	snprintf(es->col_site, sizeof(es->col_site), "site");
	if ((es->file = strdup(dg_csv_name(r))) == NULL) {
		st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		goto out;
	}
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_event e;

		if ((st = read_row(r, col, &e)) != DG_OK)
			goto out;
		if (dg_grow(&es->v, &es->cap, es->n + 1, sizeof(*es->v)) != 0) {
			free(e.id);
			free(e.program);
			free(e.site);
			free(e.notice);
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		es->v[es->n++] = e;
	}
	if (st != DG_EOF)
		goto out;
	if (es->n > 1)
		qsort(es->v, es->n, sizeof(*es->v), cmp_time);
	if (index_ids(es) != DG_OK) {
		st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		goto out;
	}
	st = check_ids(es, r);
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_events_release(es);
	}
	dg_csv_close(r);
	return st;
}

const struct dg_event *
dg_events_find(const struct dg_events *es, const char *id)
{
	size_t lo = 0, hi = es->by_id ? es->n : 0;

	/* the first index whose id is not below id */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(es->v[es->by_id[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < es->n && strcmp(es->v[es->by_id[lo]].id, id) == 0)
		return &es->v[es->by_id[lo]];
	return NULL;
}

int
dg_event_applies(const struct dg_event *e, const char *site)
{
	return e->site == NULL || strcmp(e->site, site) == 0;
}

size_t
dg_events_select(struct dg_events *es, dg_date from, dg_date to)
{
	size_t k = 0, n = es->n;

	for (size_t i = 0; i < es->n; i++) {
		if (es->v[i].date >= from && es->v[i].date <= to) {
			es->v[k++] = es->v[i];
			continue;
		}
		free(es->v[i].id);
		free(es->v[i].program);
		free(es->v[i].site);
		free(es->v[i].notice);
	}
	es->n = k;
	free(es->by_id);
	es->by_id = NULL;
	if (index_ids(es) != DG_OK)
		return (size_t)-1;	/* out of memory */
	return n - k;
}

static int
in_list(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* "A, B, C" of the distinct names of v, shortened to fit. */
static void
list_names(const char *const *v, size_t n, char *buf, size_t len)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w;

		if (in_list(v[i], v, i))
			continue;
		w = snprintf(buf + k, len - k, "%s%s", k ? ", " : "", v[i]);
		if (w < 0 || (size_t)w >= len - k) {
			snprintf(buf + (len > 5 ? len - 5 : 0), 5, "...");
			return;
		}
		k += (size_t)w;
	}
}

int
dg_events_check_names(const struct dg_events *es,
    const char *const *programs, size_t np, const char *const *sites,
    size_t ns, struct dg_error *err)
{
	char known[300];

	for (size_t i = 0; i < es->n; i++) {
		const struct dg_event *e = &es->v[i];

		if (programs != NULL && !in_list(e->program, programs, np)) {
			list_names(programs, np, known, sizeof(known));
			return dg_error_set(err, DG_EDATA, es->file, e->line,
			    es->col_program,
			    "event \"%s\": unknown program \"%s\" (known: %s)",
			    e->id, e->program, np ? known : "none");
		}
		if (sites != NULL && e->site != NULL &&
		    !in_list(e->site, sites, ns))
			return dg_error_set(err, DG_EDATA, es->file, e->line,
			    es->col_site, "event \"%s\": unknown site \"%s\"",
			    e->id, e->site);
	}
	return DG_OK;
}

int
dg_events_whole_hours(const struct dg_events *es, struct dg_error *err)
{
	for (size_t i = 0; i < es->n; i++) {
		const struct dg_event *e = &es->v[i];
		int bad = e->start_min % 60 ? e->start_min : e->end_min;

		if (e->start_min % 60 != 0 || e->end_min % 60 != 0)
			return dg_error_set(err, DG_EDATA, es->file, e->line,
			    e->start_min % 60 ? "start" : "end",
			    "event \"%s\": not a whole hour (the baseline counts hours): %02d:%02d",
			    e->id, bad / 60, bad % 60);
	}
	return DG_OK;
}
