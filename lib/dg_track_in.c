/* dg_track_in.c: what the tracker reads before the event: the baselines
 * (dg-cbl's output) and the pledges (dg_track.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_track_int.h"
#include "dg_util.h"

#define HOUR 3600

/* A baseline row, kept until the sites and hours are known. */
struct brow {
	char *site;
	dg_time t;
	int has;
	int64_t base;		/* micro-kW */
	long line;
};

struct blist {
	struct brow *v;
	size_t n, cap;
	char *event;		/* the event read (the first, without one) */
};

static void
blist_release(struct blist *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].site);
	free(b->v);
	free(b->event);
}

/* kW as micro-kW: exact up to 6 decimals, rounded beyond. */
static int
micro_kw(struct dg_csv *r, int c, int64_t *out)
{
	dg_dec d, m;
	int st;

	if ((st = dg_csv_get_dec(r, c, &d)) != DG_OK)
		return st;
	if (dg_dec_rescale(d, 6, &m) != DG_OK)
		return dg_csv_fail(r, c, DG_ERANGE, "too large: \"%s\"",
		    dg_csv_field(r, c, NULL));
	*out = m.v;
	return DG_OK;
}

/* Whether the row's event is the one wanted (the first, when none is
 * named; another is then an error). */
static int
event_row(struct dg_csv *r, int c, const char *want, struct blist *b)
{
	const char *ev = dg_csv_field(r, c, NULL);

	if (want != NULL)
		return strcmp(ev, want) == 0;
	if (b->event == NULL) {
		if ((b->event = strdup(ev)) == NULL)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		return 1;
	}
	if (strcmp(ev, b->event) != 0)
		return dg_csv_fail(r, c, DG_EDATA,
		    "a second event \"%s\" (the first: \"%s\"): name the one to follow",
		    ev, b->event);
	return 1;
}

/* One row of the event: site, hour, baseline (adjusted, else plain). */
static int
base_row(struct dg_csv *r, const int *col, dg_time prev, struct blist *b)
{
	struct brow *x;
	struct dg_tstamp ts;
	int st;

	if (dg_grow(&b->v, &b->cap, b->n + 1, sizeof(*b->v)) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	x = &b->v[b->n];
	memset(x, 0, sizeof(*x));
	x->line = dg_csv_line(r);
	if (dg_csv_is_empty(r, col[0]))
		return dg_csv_fail(r, col[0], DG_EDATA, "empty site");
	if ((st = dg_csv_get_time(r, col[2], &ts)) != DG_OK)
		return st;
	x->t = dg_tstamp_pick(&ts, prev);
	if (!dg_csv_is_empty(r, col[4]))
		st = micro_kw(r, col[4], &x->base);
	else if (!dg_csv_is_empty(r, col[3]))
		st = micro_kw(r, col[3], &x->base);
	else
		st = DG_EOF;
	if (st != DG_OK && st != DG_EOF)
		return st;
	x->has = st == DG_OK;
	if ((x->site = strdup(dg_csv_field(r, col[0], NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	b->n++;
	return DG_OK;
}

static int
read_rows(struct dg_csv *r, const char *event, struct blist *b)
{
	static const char *const names[] = {
		"site", "event", "time", "cbl_kw", "adjusted_cbl_kw"
	};
	int col[5], st;
	dg_time prev = INT64_MIN;

	for (int i = 0; i < 5; i++)
		if ((st = dg_csv_require(r, names[i], &col[i])) != DG_OK)
			return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if ((st = event_row(r, col[1], event, b)) == 0)
			continue;
		if (st != 1 || (st = base_row(r, col, prev, b)) != DG_OK)
			return st;
		prev = b->v[b->n - 1].t;
	}
	return st == DG_EOF ? DG_OK : st;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sites of the rows, sorted and unique, as the tracker's. */
static int
set_sites(struct dg_track *tr, const struct blist *b, dg_time h0, int nh)
{
	char **names = malloc(b->n * sizeof(*names));
	size_t k = 0;

	if (names == NULL)
		return DG_ENOMEM;
	for (size_t i = 0; i < b->n; i++)
		names[i] = b->v[i].site;
	qsort(names, b->n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < b->n; i++)
		if (k == 0 || strcmp(names[k - 1], names[i]) != 0)
			names[k++] = names[i];
	for (size_t i = 0; i < k; i++)
		if ((names[i] = strdup(names[i])) == NULL) {
			while (i-- > 0)
				free(names[i]);
			free(names);
			return DG_ENOMEM;
		}
	k = dg_track_setup(tr, names, k, h0, nh) == DG_OK ? k : 0;
	free(names);
	return k > 0 ? DG_OK : DG_ENOMEM;
}

/* The event's hours: whole hours after the first, consecutive. */
static int
event_hours(const struct blist *b, const char *path, dg_time *h0, int *nh,
    struct dg_error *err)
{
	dg_time lo = b->v[0].t, hi = b->v[0].t;
	unsigned char seen[DG_TRACK_MAX_HOURS] = { 0 };

	for (size_t i = 1; i < b->n; i++) {
		lo = b->v[i].t < lo ? b->v[i].t : lo;
		hi = b->v[i].t > hi ? b->v[i].t : hi;
	}
	if ((hi - lo) / HOUR >= DG_TRACK_MAX_HOURS)
		return dg_error_set(err, DG_EDATA, path, 0, "time",
		    "event \"%s\": more than %d hours", b->event,
		    DG_TRACK_MAX_HOURS);
	for (size_t i = 0; i < b->n; i++) {
		if ((b->v[i].t - lo) % HOUR != 0)
			return dg_error_set(err, DG_EDATA, path, b->v[i].line,
			    "time", "not a whole hour after the event's first");
		seen[(b->v[i].t - lo) / HOUR] = 1;
	}
	*h0 = lo;
	*nh = (int)((hi - lo) / HOUR) + 1;
	for (int j = 0; j < *nh; j++)
		if (!seen[j])
			return dg_error_set(err, DG_EDATA, path, 0, "time",
			    "event \"%s\": no row for its hour %d: the hours are not consecutive",
			    b->event, j + 1);
	return DG_OK;
}

static int
set_baselines(struct dg_track *tr, const struct blist *b, const char *path,
    struct dg_error *err)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct brow *x = &b->v[i];
		long si = dg_track_find(tr, x->site);
		struct dg_track_hour *h = &tr->s[si].h[(x->t - tr->h0) / HOUR];

		if (h->c != 0)
			return dg_error_set(err, DG_EDATA, path, x->line,
			    "time", "a second baseline of site \"%s\" for this hour",
			    x->site);
		h->c = 1;	/* seen: reset below */
		h->has_base = (unsigned char)x->has;
		h->base = x->base;
	}
	for (size_t i = 0; i < tr->ns * (size_t)tr->nh; i++)
		tr->hours[i].c = 0;
	return DG_OK;
}

int
dg_track_baselines_read(struct dg_track *tr, const char *path,
    const char *event, const struct dg_csv_opts *o, struct dg_error *err)
{
	struct blist b = { 0 };
	struct dg_csv *r;
	dg_time h0 = 0;
	int nh = 0, st;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	st = read_rows(r, event, &b);
	dg_csv_close(r);
	if (st == DG_OK && b.n == 0 && event != NULL)
		st = dg_error_set(err, DG_EDATA, path, 0, "event",
		    "no row of event \"%s\"", event);
	else if (st == DG_OK && b.n == 0)
		st = dg_error_set(err, DG_EDATA, path, 0, NULL,
		    "no baseline row");
	if (st == DG_OK && event != NULL &&
	    (b.event = strdup(event)) == NULL)
		st = DG_ENOMEM;
	if (st == DG_OK)
		st = event_hours(&b, path, &h0, &nh, err);
	if (st == DG_OK && (st = set_sites(tr, &b, h0, nh)) == DG_OK)
		st = set_baselines(tr, &b, path, err);
	if (st == DG_ENOMEM)
		dg_error_set(err, st, path, 0, NULL, "out of memory");
	blist_release(&b);
	return st;
}

/* --- Pledges ----------------------------------------------------------- */

/* A pledges row: its kW to its site's hours (or hour). */
static int
pledge_row(struct dg_track *tr, struct dg_csv *r, const int *col,
    dg_time *prev)
{
	long si = dg_track_find(tr, dg_csv_field(r, col[0], NULL));
	struct dg_track_site *s;
	struct dg_tstamp ts;
	int64_t kw, min;
	int st, j = -1;

	if (si < 0)
		return DG_OK;
	s = &tr->s[si];
	if (col[2] >= 0 && !dg_csv_is_empty(r, col[2])) {
		if ((st = dg_csv_get_time(r, col[2], &ts)) != DG_OK)
			return st;
		*prev = dg_tstamp_pick(&ts, *prev);
		if (*prev < tr->h0 || (*prev - tr->h0) / HOUR >= tr->nh)
			return DG_OK;
		j = (int)((*prev - tr->h0) / HOUR);
	}
	if ((st = micro_kw(r, col[1], &kw)) != DG_OK)
		return st;
	if (kw < 0)
		return dg_csv_fail(r, col[1], DG_EDATA, "a negative pledge");
	for (int k = j < 0 ? 0 : j; k < (j < 0 ? tr->nh : j + 1); k++)
		s->h[k].pledge += kw;
	s->has_pledge = 1;
	if (col[3] >= 0 && !dg_csv_is_empty(r, col[3])) {
		if ((st = dg_csv_get_int(r, col[3], &min)) != DG_OK)
			return st;
		if (min < 0 || min > 1440)
			return dg_csv_fail(r, col[3], DG_EDATA,
			    "minutes from 0 to 1440: \"%s\"",
			    dg_csv_field(r, col[3], NULL));
		if (min * 60 > s->start_s)
			s->start_s = (int)min * 60;
	}
	return DG_OK;
}

static void
count_no_pledge(struct dg_track *tr)
{
	tr->st.no_pledge = 0;
	for (size_t i = 0; i < tr->ns; i++)
		if (!tr->s[i].has_pledge && tr->st.no_pledge++ == 0)
			snprintf(tr->st.first_no_pledge,
			    sizeof(tr->st.first_no_pledge), "%s",
			    tr->s[i].name);
}

int
dg_track_pledges_read(struct dg_track *tr, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int col[4], st;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	col[1] = dg_csv_col(r, "pledge_kw");
	if (col[1] < 0)
		col[1] = dg_csv_col(r, "gen_kw");
	col[2] = dg_csv_col(r, "time");
	col[3] = dg_csv_col(r, "start_min");
	if ((st = dg_csv_require(r, "site", &col[0])) == DG_OK && col[1] < 0)
		st = dg_csv_fail(r, -1, DG_EDATA,
		    "missing column \"pledge_kw\" (or \"gen_kw\", as dg-schedule writes)");
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = pledge_row(tr, r, col, &prev);
	dg_csv_close(r);
	if (st != DG_EOF)
		return st;
	count_no_pledge(tr);
	return DG_OK;
}

int
dg_track_pledges_sites(struct dg_track *tr, const struct dg_sites *ss,
    struct dg_error *err)
{
	for (size_t i = 0; i < tr->ns; i++) {
		struct dg_track_site *s = &tr->s[i];
		const struct dg_site *x = dg_sites_find(ss, s->name);
		dg_dec m;

		if (x == NULL || !(x->set & DG_SITE_CURTAILABLE))
			return dg_error_set(err, DG_EDATA, ss->path,
			    x ? x->line : 0, "curtailable_kw",
			    "site \"%s\" has no curtailable_kw (its pledge)",
			    s->name);
		if (dg_dec_rescale(x->curtailable_kw, 6, &m) != DG_OK ||
		    m.v < 0)
			return dg_error_set(err, DG_EDATA, ss->path, x->line,
			    "curtailable_kw", "site \"%s\": out of range",
			    s->name);
		for (int j = 0; j < tr->nh; j++)
			s->h[j].pledge = m.v;
		s->has_pledge = 1;
	}
	count_no_pledge(tr);
	return DG_OK;
}
