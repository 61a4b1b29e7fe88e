/* dg_ledger_events.c: the events as the ledger's records leave them, and
 * the events file dg-cbl, dg-ucap and dg-settle read (see dg_ledger.h). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_ledger.h"
#include "dg_util.h"

static const char *const status_names[] = {
	"standby", "called", "cancelled", "cleared"
};

const char *
dg_ledger_status_name(int status)
{
	return status >= 0 && status <= DG_LS_CLEARED ? status_names[status] :
	    "?";
}

void
dg_ledger_events_init(struct dg_ledger_events *es, const char *file)
{
	memset(es, 0, sizeof(*es));
	es->file = file ? strdup(file) : NULL;
}

static void
event_free(struct dg_ledger_event *e)
{
	free(e->id);
	free(e->program);
	free(e->zone);
	for (size_t i = 0; i < e->nsites; i++)
		free(e->sites[i]);
	free(e->sites);
	free(e->source);
	free(e->ref);
}

void
dg_ledger_events_release(struct dg_ledger_events *es)
{
	for (size_t i = 0; i < es->n; i++)
		event_free(&es->v[i]);
	free(es->v);
	free(es->file);
	memset(es, 0, sizeof(*es));
}

struct dg_ledger_event *
dg_ledger_events_find(const struct dg_ledger_events *es, const char *id)
{
	for (size_t i = es->n; i-- > 0;)
		if (strcmp(es->v[i].id, id) == 0)
			return &es->v[i];
	return NULL;
}

static int
set_str(char **dst, const char *s)
{
	char *p;

	if (s == NULL || s[0] == '\0')
		return 0;
	if (*dst != NULL && strcmp(*dst, s) == 0)
		return 0;
	if ((p = strdup(s)) == NULL)
		return -1;
	free(*dst);
	*dst = p;
	return 0;
}

static int
add_site(struct dg_ledger_event *e, const char *site)
{
	for (size_t i = 0; i < e->nsites; i++)
		if (strcmp(e->sites[i], site) == 0)
			return 0;
	if (dg_grow(&e->sites, &e->capsites, e->nsites + 1,
	    sizeof(char *)) != 0 ||
	    (e->sites[e->nsites] = strdup(site)) == NULL)
		return -1;
	e->nsites++;
	return 0;
}

static int
bad(const struct dg_ledger_events *es, const struct dg_ledger_rec *r,
    const char *col, struct dg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
bad(const struct dg_ledger_events *es, const struct dg_ledger_rec *r,
    const char *col, struct dg_error *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dg_error_set(err, DG_EDATA, es->file, r->line, col, "%s", msg);
}

/* A new event from its first record. */
static int
new_event(struct dg_ledger_events *es, const struct dg_ledger_rec *r,
    struct dg_ledger_event **ep, struct dg_error *err)
{
	struct dg_ledger_event *e;

	if (r->kind != DG_LK_STANDBY && r->kind != DG_LK_CALL)
		return bad(es, r, "event", err, "a %s of event \"%s\", never "
		    "recorded before", dg_ledger_kind_name(r->kind), r->event);
	if (r->program == NULL || r->program[0] == '\0')
		return bad(es, r, "program", err, "event \"%s\": no program",
		    r->event);
	if (dg_grow(&es->v, &es->cap, es->n + 1, sizeof(*es->v)) != 0)
		return dg_error_set(err, DG_ENOMEM, es->file, r->line, NULL,
		    "out of memory");
	e = &es->v[es->n];
	memset(e, 0, sizeof(*e));
	e->start = e->end = e->notice = DG_LEDGER_NOTIME;
	e->first_line = r->line;
	if ((e->id = strdup(r->event)) == NULL ||
	    (e->program = strdup(r->program)) == NULL) {
		event_free(e);
		return dg_error_set(err, DG_ENOMEM, es->file, r->line, NULL,
		    "out of memory");
	}
	es->n++;
	*ep = e;
	return DG_OK;
}

/* The record agrees with the event: program, zone, window. */
static int
agree(const struct dg_ledger_events *es, const struct dg_ledger_event *e,
    const struct dg_ledger_rec *r, struct dg_error *err)
{
	dg_time s = r->start != DG_LEDGER_NOTIME ? r->start : e->start;
	dg_time t = r->end != DG_LEDGER_NOTIME ? r->end : e->end;

	if (r->program && r->program[0] && strcmp(r->program, e->program) != 0)
		return bad(es, r, "program", err,
		    "event \"%s\" is of program %s", e->id, e->program);
	if (r->zone && r->zone[0] && e->zone && strcmp(r->zone, e->zone) != 0)
		return bad(es, r, "zone", err, "event \"%s\" is in zone %s",
		    e->id, e->zone);
	if (s != DG_LEDGER_NOTIME && t != DG_LEDGER_NOTIME && t <= s)
		return bad(es, r, r->end != DG_LEDGER_NOTIME ? "end" : "start",
		    err, "event \"%s\" would end before it starts", e->id);
	return DG_OK;
}

static int
apply(struct dg_ledger_event *e, const struct dg_ledger_rec *r)
{
	if (r->start != DG_LEDGER_NOTIME)
		e->start = r->start;
	if (r->end != DG_LEDGER_NOTIME)
		e->end = r->end;
	switch (r->kind) {
	case DG_LK_STANDBY:
		break;
	case DG_LK_CALL:
		if (e->status != DG_LS_CALLED || e->notice == DG_LEDGER_NOTIME)
			e->notice = r->received != DG_LEDGER_NOTIME ?
			    r->received : r->recorded;
		e->status = DG_LS_CALLED;
		break;
	case DG_LK_CHANGE:
		if (e->status == DG_LS_CANCELLED || e->status == DG_LS_CLEARED)
			e->status = DG_LS_CALLED;
		break;
	case DG_LK_CANCEL:
		e->status = DG_LS_CANCELLED;
		break;
	case DG_LK_ALLCLEAR:
		e->status = e->status == DG_LS_STANDBY ? DG_LS_CANCELLED :
		    DG_LS_CLEARED;
		break;
	}
	e->last_kind = r->kind;
	e->last_seq = r->seq;
	e->last_line = r->line;
	if (r->site && r->site[0] &&
	    (r->kind == DG_LK_STANDBY || r->kind == DG_LK_CALL ||
	    r->kind == DG_LK_CHANGE) && add_site(e, r->site) != 0)
		return -1;
	if (set_str(&e->zone, r->zone) != 0 ||
	    set_str(&e->source, r->source) != 0)
		return -1;
	free(e->ref);
	e->ref = r->ref && r->ref[0] ? strdup(r->ref) : NULL;
	return 0;
}

int
dg_ledger_events_add(struct dg_ledger_events *es,
    const struct dg_ledger_rec *r, struct dg_error *err)
{
	struct dg_ledger_event *e;
	int st;

	if (!dg_ledger_kind_is_event(r->kind))
		return DG_OK;
	if (r->event == NULL || r->event[0] == '\0')
		return bad(es, r, "event", err, "a %s without an event",
		    dg_ledger_kind_name(r->kind));
	if ((e = dg_ledger_events_find(es, r->event)) == NULL &&
	    (st = new_event(es, r, &e, err)) != DG_OK)
		return st;
	if ((st = agree(es, e, r, err)) != DG_OK)
		return st;
	if (apply(e, r) != 0)
		return dg_error_set(err, DG_ENOMEM, es->file, r->line, NULL,
		    "out of memory");
	return DG_OK;
}

static int
fold(void *arg, const struct dg_ledger_rec *r, struct dg_error *err)
{
	return dg_ledger_events_add(arg, r, err);
}

int
dg_ledger_events_read(struct dg_ledger_events *es, const char *path,
    struct dg_error *err)
{
	dg_ledger_events_init(es, path);
	if (es->file == NULL)
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	return dg_ledger_read(path, 0, fold, es, NULL, NULL, err);
}

/* --- The events file ------------------------------------------------------ */

/* The event's local date and clock minutes, as the events file holds
 * them. */
static int
clock_of(const struct dg_ledger_events *es, const struct dg_ledger_event *e,
    dg_date *date, int *smin, int *emin, struct dg_error *err)
{
	struct dg_local a, b;
	dg_time next;

	if (e->start == DG_LEDGER_NOTIME || e->end == DG_LEDGER_NOTIME)
		return dg_error_set(err, DG_EDATA, es->file, e->last_line, NULL,
		    "event \"%s\": called without its start and end", e->id);
	dg_time_local(e->start, &a);
	dg_time_local(e->end, &b);
	if (a.sec != 0 || b.sec != 0)
		return dg_error_set(err, DG_EDATA, es->file, e->last_line, NULL,
		    "event \"%s\": a start or end not on a whole minute",
		    e->id);
	*date = dg_date_of(e->start);
	*smin = a.hour * 60 + a.min;
	*emin = b.hour * 60 + b.min;
	if (dg_date_of(e->end) == *date)
		return DG_OK;
	if (dg_date_start(*date + 1, &next) == DG_OK && next == e->end) {
		*emin = 1440;
		return DG_OK;
	}
	return dg_error_set(err, DG_EDATA, es->file, e->last_line, NULL,
	    "event \"%s\" runs past midnight: the events file holds a call "
	    "within one day (record it as two events)", e->id);
}

static void
put_clock(struct dg_csvw *w, int min)
{
	char s[16];

	snprintf(s, sizeof(s), "%02d:%02d", min / 60, min % 60);
	dg_csvw_str(w, s);
}

static int
cmp_start(const void *a, const void *b)
{
	const struct dg_ledger_event *const *pa = a, *const *pb = b;
	const struct dg_ledger_event *x = *pa, *y = *pb;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
write_event(const struct dg_ledger_events *es, const struct dg_ledger_event *e,
    struct dg_csvw *w, dg_date from, dg_date to, struct dg_error *err)
{
	dg_date d = 0;
	int s = 0, t = 0, st;

	if ((st = clock_of(es, e, &d, &s, &t, err)) != DG_OK)
		return st;
	if (d < from || d > to)
		return DG_OK;
	for (size_t i = 0; i < (e->nsites ? e->nsites : 1); i++) {
		dg_csvw_str(w, e->id);
		dg_csvw_str(w, e->program);
		dg_csvw_date(w, d);
		put_clock(w, s);
		put_clock(w, t);
		dg_csvw_str(w, e->nsites ? e->sites[i] : "");
		dg_csvw_str(w, e->zone ? e->zone : "");
		if (e->notice != DG_LEDGER_NOTIME)
			dg_csvw_time(w, e->notice);
		else
			dg_csvw_empty(w);
		if (dg_csvw_end_row(w) != DG_OK)
			return w->status;
	}
	return DG_OK;
}

int
dg_ledger_export(const struct dg_ledger_events *es, dg_date from, dg_date to,
    struct dg_csvw *w, struct dg_error *err)
{
	static const char *const hdr[] = { "event", "program", "date", "start",
		"end", "site", "zone", "notice" };
	const struct dg_ledger_event **v;
	size_t n = 0;
	int st = DG_OK;

	if ((v = malloc((es->n + 1) * sizeof(*v))) == NULL)
		return dg_error_set(err, DG_ENOMEM, es->file, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < es->n; i++)
		if (es->v[i].status == DG_LS_CALLED ||
		    es->v[i].status == DG_LS_CLEARED)
			v[n++] = &es->v[i];
	for (size_t i = 0; i < n; i++)
		if (v[i]->start == DG_LEDGER_NOTIME) {
			st = dg_error_set(err, DG_EDATA, es->file,
			    v[i]->last_line, NULL,
			    "event \"%s\": called without its start and end",
			    v[i]->id);
			break;
		}
	if (st == DG_OK) {
		qsort(v, n, sizeof(*v), cmp_start);
		if (dg_csvw_header(w, hdr, 8) != DG_OK)
			st = w->status;
	}
	for (size_t i = 0; i < n && st == DG_OK; i++)
		st = write_event(es, v[i], w, from, to, err);
	free(v);
	return st;
}
