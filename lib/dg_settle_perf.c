/* dg_settle_perf.c: the curtailment performance report, the report's
 * Tables 18-26 (see dg_settle.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"

struct pcell {
	size_t site;
	dg_time t;
	dg_dec kw;
};

struct pevent {
	char *event;
	char **sites;
	size_t nsites, capsites;
	struct pcell *c;
	size_t n, cap;
	/* the finished table */
	dg_time *hours;
	char (*labels)[24];
	dg_dec *mw, *total;
	unsigned char *has;
};

struct dg_settle_perf {
	struct pevent *e;
	size_t n, cap;
};

int
dg_settle_perf_alloc(struct dg_settle_perf **pr)
{
	return (*pr = calloc(1, sizeof(**pr))) ? DG_OK : DG_ENOMEM;
}

static void
pevent_free_table(struct pevent *e)
{
	free(e->hours);
	free(e->labels);
	free(e->mw);
	free(e->total);
	free(e->has);
	e->hours = NULL;
	e->labels = NULL;
	e->mw = e->total = NULL;
	e->has = NULL;
}

void
dg_settle_perf_free(struct dg_settle_perf *pr)
{
	if (pr == NULL)
		return;
	for (size_t i = 0; i < pr->n; i++) {
		struct pevent *e = &pr->e[i];

		free(e->event);
		for (size_t k = 0; k < e->nsites; k++)
			free(e->sites[k]);
		free(e->sites);
		free(e->c);
		pevent_free_table(e);
	}
	free(pr->e);
	free(pr);
}

int
dg_settle_perf_add(struct dg_settle_perf *pr, const char *event,
    const char *site, dg_time t, dg_dec reduction_kw, struct dg_error *err)
{
	struct pevent *e = NULL;
	size_t s;

	for (size_t i = pr->n; i-- > 0;)
		if (strcmp(pr->e[i].event, event) == 0) {
			e = &pr->e[i];
			break;
		}
	if (e == NULL) {
		if (dg_grow(&pr->e, &pr->cap, pr->n + 1, sizeof(*pr->e)))
			goto nomem;
		e = &pr->e[pr->n];
		memset(e, 0, sizeof(*e));
		if ((e->event = strdup(event)) == NULL)
			goto nomem;
		pr->n++;
	}
	/* Rows come grouped by site: try the last site first. */
	s = (size_t)-1;
	if (e->nsites > 0 && strcmp(e->sites[e->nsites - 1], site) == 0)
		s = e->nsites - 1;
	else
		for (s = e->nsites; s-- > 0;)
			if (strcmp(e->sites[s], site) == 0)
				break;
	if (s == (size_t)-1) {
		if (dg_grow(&e->sites, &e->capsites, e->nsites + 1,
		    sizeof(*e->sites)) ||
		    (e->sites[e->nsites] = strdup(site)) == NULL)
			goto nomem;
		s = e->nsites++;
	}
	if (dg_grow(&e->c, &e->cap, e->n + 1, sizeof(*e->c)))
		goto nomem;
	e->c[e->n].site = s;
	e->c[e->n].t = t;
	e->c[e->n].kw = reduction_kw;
	e->n++;
	return DG_OK;
nomem:
	return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}

size_t
dg_settle_perf_nevents(const struct dg_settle_perf *pr)
{
	return pr->n;
}

static int
cmp_time(const void *a, const void *b)
{
	dg_time x = *(const dg_time *)a, y = *(const dg_time *)b;

	return x < y ? -1 : x > y;
}

static void
he_label(dg_time t, char *buf, size_t n, int abbr)
{
	struct dg_local lt;

	dg_time_local(t + 3600, &lt);
	if (lt.hour == 0 && lt.min == 0)
		lt.hour = 24;
	if (abbr)
		snprintf(buf, n, "%02d:%02d %s", lt.hour % 100, lt.min % 100,
		    lt.abbr);
	else
		snprintf(buf, n, "%02d:%02d", lt.hour % 100, lt.min % 100);
}

/* The event's distinct hours in time order: e->hours[0..*nh). */
static int
pevent_hours(struct pevent *e, size_t *nh)
{
	size_t n = 0;

	if ((e->hours = malloc((e->n ? e->n : 1) * sizeof(*e->hours))) == NULL)
		return DG_ENOMEM;
	for (size_t k = 0; k < e->n; k++)
		e->hours[k] = e->c[k].t;
	qsort(e->hours, e->n, sizeof(*e->hours), cmp_time);
	for (size_t k = 0; k < e->n; k++)
		if (n == 0 || e->hours[n - 1] != e->hours[k])
			e->hours[n++] = e->hours[k];
	*nh = n;
	return DG_OK;
}

/* Each hour's label, its hour ending ("14:00"), with the zone's
 * abbreviation where two hours would read the same (a fall-back day). */
static void
pevent_labels(struct pevent *e, size_t nh)
{
	for (size_t h = 0; h < nh; h++) {
		int dup = 0;

		he_label(e->hours[h], e->labels[h], sizeof(e->labels[h]), 0);
		for (size_t k = 0; k < nh; k++) {
			char o[24];

			he_label(e->hours[k], o, sizeof(o), 0);
			if (k != h && strcmp(o, e->labels[h]) == 0)
				dup = 1;
		}
		if (dup)
			he_label(e->hours[h], e->labels[h],
			    sizeof(e->labels[h]), 1);
	}
}

/* The cells, each site's MWh of each hour, and the totals of each hour
 * and of the event. */
static int
pevent_cells(struct pevent *e, size_t nh, struct dg_settle_perf_table *t,
    struct dg_error *err)
{
	for (size_t h = 0; h < nh; h++)
		e->total[h] = dg_dec_make(0, 3);
	t->total_mwh = dg_dec_make(0, 3);
	for (size_t k = 0; k < e->n; k++) {
		const struct pcell *c = &e->c[k];
		dg_time *hp = bsearch(&c->t, e->hours, nh, sizeof(*e->hours),
		    cmp_time);
		size_t h = (size_t)(hp - e->hours), cell = c->site * nh + h;
		dg_dec mw;
		char ts[DG_TIME_BUFSZ];

		if (e->has[cell]) {
			dg_time_format(c->t, ts, sizeof(ts));
			return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
			    "event %s: site %s has hour %s twice", e->event,
			    e->sites[c->site], ts);
		}
		e->has[cell] = 1;
		if (kw_to_mwh(c->kw, &mw) || dec_add_to(&e->total[h], mw) ||
		    dec_add_to(&t->total_mwh, mw))
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "event %s: total out of range", e->event);
		e->mw[cell] = mw;
	}
	return DG_OK;
}

int
dg_settle_perf_table(struct dg_settle_perf *pr, size_t i,
    struct dg_settle_perf_table *t, struct dg_error *err)
{
	struct pevent *e;
	size_t nh, ncell;
	int st;

	if (i >= pr->n)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "no such event");
	e = &pr->e[i];
	pevent_free_table(e);
	if (pevent_hours(e, &nh) != DG_OK)
		goto nomem;
	ncell = e->nsites * nh > 0 ? e->nsites * nh : 1;
	if ((e->labels = calloc(nh ? nh : 1, sizeof(*e->labels))) == NULL ||
	    (e->mw = calloc(ncell, sizeof(*e->mw))) == NULL ||
	    (e->has = calloc(ncell, 1)) == NULL ||
	    (e->total = calloc(nh ? nh : 1, sizeof(*e->total))) == NULL)
		goto nomem;
	pevent_labels(e, nh);
	if ((st = pevent_cells(e, nh, t, err)) != DG_OK)
		return st;
	t->event = e->event;
	t->nsites = e->nsites;
	t->nhours = nh;
	t->sites = (const char *const *)e->sites;
	t->hours = e->hours;
	t->labels = e->labels;
	t->mw = e->mw;
	t->has = e->has;
	t->total_mw = e->total;
	if (nh == 0)
		t->avg_mw = dg_dec_make(0, 3);
	else if (dg_dec_div(t->total_mwh, dg_dec_make((int64_t)nh, 0), 9,
	    &t->avg_mw))
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "event %s: average out of range", e->event);
	return DG_OK;
nomem:
	return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}
