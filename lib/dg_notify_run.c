/* dg_notify_run.c: the notifier: notices opened for an event's sites and
 * taken step by step (send, retry, bounce, skip, escalate), each step a
 * ledger record written before it is taken (see dg_notify.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_http.h"
#include "dg_intake.h"
#include "dg_notify.h"
#include "dg_notify_int.h"
#include "dg_util.h"


void
dg_notifier_params_init(struct dg_notifier_params *p)
{
	p->retries = 4;
	p->retry_wait_s = 2;
	p->max_wait_s = 60;
	p->escalate_min = 15;
	p->sync_every = 64;
}

/* --- dg-schedule's notices ---------------------------------------------- */

void
dg_notify_sched_free(struct dg_notify_sched *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].site);
	free(v);
}

static int
sched_row(struct dg_csv *r, const int *col, struct dg_notify_sched **v,
    size_t *n, size_t *cap)
{
	struct dg_tstamp a, b;
	dg_dec h, mw, kw, sum;
	const char *site = dg_csv_field(r, col[0], NULL);
	size_t i;

	if (dg_csv_is_empty(r, col[0]))
		return dg_csv_fail(r, col[0], DG_EDATA, "empty value");
	if (dg_csv_get_time(r, col[1], &a) || dg_csv_get_time(r, col[2], &b) ||
	    dg_csv_get_dec(r, col[3], &h) || dg_csv_get_dec(r, col[4], &mw))
		return DG_EDATA;
	if (dg_dec_mul(mw, dg_dec_make(1000, 0), 0, &kw) != DG_OK)
		return dg_csv_fail(r, col[4], DG_ERANGE, "out of range");
	for (i = 0; i < *n && strcmp((*v)[i].site, site) != 0; i++)
		;
	if (i == *n) {
		if (dg_grow(v, cap, *n + 1, sizeof(**v)) != 0 ||
		    ((*v)[i].site = strdup(site)) == NULL)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		(*v)[i].start = a.t;
		(*v)[i].end = b.t;
		(*v)[i].hours = h;
		(*v)[i].kw = kw;
		(*n)++;
		return DG_OK;
	}
	if (dg_dec_add((*v)[i].hours, h, &sum) != DG_OK)
		return dg_csv_fail(r, col[3], DG_ERANGE, "out of range");
	(*v)[i].hours = sum;
	if (a.t < (*v)[i].start)
		(*v)[i].start = a.t;
	if (b.t > (*v)[i].end)
		(*v)[i].end = b.t;
	if (dg_dec_cmp(kw, (*v)[i].kw) > 0)
		(*v)[i].kw = kw;
	return DG_OK;
}

int
dg_notify_sched_read(const char *path, const struct dg_csv_opts *o,
    struct dg_notify_sched **v, size_t *n, struct dg_error *err)
{
	static const char *const names[] = { "site", "start", "stop", "hours",
		"mw" };
	struct dg_csv *r;
	size_t cap = 0;
	int col[5], st;

	*v = NULL;
	*n = 0;
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5 && st == DG_OK; i++)
		st = dg_csv_require(r, names[i], &col[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = sched_row(r, col, v, n, &cap);
	if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK && err)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

/* --- The ledger --------------------------------------------------------- */

static int
fold(void *arg, const struct dg_ledger_rec *r, struct dg_error *err)
{
	struct dg_notifier *nf = arg;
	int st;

	if ((st = dg_ledger_events_add(&nf->es, r, err)) != DG_OK)
		return st;
	return dg_notices_add(&nf->ns, r, err);
}

int
dg_notifier_load(struct dg_notifier *nf, const char *path, int append,
    struct dg_error *err)
{
	int st;

	nf->path = path;
	nf->ledger = NULL;
	nf->due = NULL;
	nf->ndue = nf->capdue = 0;
	nf->unsynced = 0;
	memset(&nf->counts, 0, sizeof(nf->counts));
	dg_ledger_events_init(&nf->es, path);
	dg_notices_init(&nf->ns, path);
	if ((st = dg_ledger_read(path, append, fold, nf, NULL, NULL, err)) !=
	    DG_OK)
		return st;
	return append ? dg_ledger_open(&nf->ledger, path, err) : DG_OK;
}

void
dg_notifier_release(struct dg_notifier *nf)
{
	dg_ledger_close(nf->ledger);
	nf->ledger = NULL;
	dg_ledger_events_release(&nf->es);
	dg_notices_release(&nf->ns);
	free(nf->due);
	nf->due = NULL;
}

int
dg_notifier_put(struct dg_notifier *nf, struct dg_ledger_rec *r, size_t n,
    struct dg_error *err)
{
	int st;

	if (nf->ledger != NULL) {
		if ((st = dg_ledger_append(nf->ledger, r, n, 0, err)) != DG_OK)
			return st;
		nf->unsynced += (long)n;
		if (nf->unsynced >= nf->par->sync_every) {
			nf->unsynced = 0;
			if ((st = dg_ledger_sync(nf->ledger, err)) != DG_OK)
				return st;
		}
	}
	for (size_t i = 0; i < n; i++) {
		r[i].line = r[i].seq + 1;
		if ((st = dg_notices_add(&nf->ns, &r[i], err)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* A record of a step of notice n. */
static void
step_rec(struct dg_ledger_rec *r, const struct dg_notifier *nf, int kind,
    const struct dg_notice *n)
{
	dg_ledger_rec_init(r, kind, nf->clock(nf->clock_arg));
	r->event = n->event;
	r->site = n->site;
	r->notice = n->id;
	r->source = "dg-notify";
}

/* --- Opening notices ------------------------------------------------------ */

struct site_part {
	const char *site;
	dg_time start, end;
	char kw[40], hours[40];
};

/* "4.50" as "4.5", "4.00" as "4". */
static void
trim_zeros(char *s)
{
	size_t n = strlen(s);

	if (strchr(s, '.') == NULL)
		return;
	while (n > 0 && s[n - 1] == '0')
		s[--n] = '\0';
	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
}

static void
part_of_event(struct site_part *sp, const struct dg_ledger_event *e,
    const struct dg_site *s)
{
	sp->start = e->start;
	sp->end = e->end;
	sp->kw[0] = sp->hours[0] = '\0';
	if (s && (s->set & DG_SITE_CURTAILABLE))
		dg_dec_format(s->curtailable_kw, sp->kw, sizeof(sp->kw));
	if (e->start != DG_LEDGER_NOTIME && e->end != DG_LEDGER_NOTIME) {
		dg_dec h;

		if (dg_dec_div(dg_dec_make(e->end - e->start, 0),
		    dg_dec_make(3600, 0), 2, &h) == DG_OK)
			dg_dec_format(h, sp->hours, sizeof(sp->hours));
		trim_zeros(sp->hours);
	}
}

/* The sites of the notices: sched's, the event's, or the program's. */
static int
parts(const struct dg_notifier *nf, const struct dg_ledger_event *e,
    const struct dg_notify_sched *sched, size_t nsched,
    struct site_part **out, size_t *n, struct dg_error *err)
{
	size_t cap = 0;
	const struct dg_sites *ss = nf->sites;
	size_t max = nsched ? nsched : e->nsites ? e->nsites : ss ? ss->n : 0;

	*n = 0;
	if (!nsched && !e->nsites && ss == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "event \"%s\" calls every site of program %s: --sites "
		    "is needed", e->id, e->program);
	if (dg_grow(out, &cap, max + 1, sizeof(**out)) != 0)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < max; i++) {
		struct site_part *sp = &(*out)[*n];
		const char *site = nsched ? sched[i].site : e->nsites ?
		    e->sites[i] : ss->v[i].site;
		const struct dg_site *s = ss ? dg_sites_find(ss, site) : NULL;

		if (!nsched && !e->nsites && (!dg_site_in_program(s,
		    e->program) || (e->zone && (s->set & DG_SITE_ZONE) &&
		    strcmp(s->zone, e->zone) != 0)))
			continue;
		sp->site = site;
		part_of_event(sp, e, s);
		if (nsched) {
			sp->start = sched[i].start;
			sp->end = sched[i].end;
			dg_dec_format(sched[i].kw, sp->kw, sizeof(sp->kw));
			dg_dec_format(sched[i].hours, sp->hours,
			    sizeof(sp->hours));
		}
		(*n)++;
	}
	return DG_OK;
}

static int
check_people(const struct dg_notifier *nf, const struct site_part *v,
    size_t n, struct dg_error *err)
{
	const struct dg_contact_person *p[1];

	for (size_t i = 0; i < n; i++)
		if (dg_contacts_for(nf->contacts, v[i].site, p, 1) == 0)
			return dg_error_set(err, DG_EDATA,
			    nf->contacts->file, 0, "site", "nobody to notify "
			    "for site %s (no row of the site, nor of \"*\")",
			    v[i].site);
	return DG_OK;
}

static int
open_records(struct dg_notifier *nf, const struct dg_ledger_event *e,
    const struct site_part *v, size_t n, struct dg_intake *in,
    struct dg_error *err)
{
	int kind = dg_notice_kind_of(e->last_kind);
	char id[600];

	for (size_t i = 0; i < n; i++) {
		struct dg_ledger_rec *r;

		dg_notice_id(id, sizeof(id), e->id, kind, e->last_seq,
		    v[i].site);
		if (dg_notices_find(&nf->ns, id) != NULL)
			continue;
		if ((r = dg_intake_add(in, DG_LK_NOTICE,
		    nf->clock(nf->clock_arg))) == NULL ||
		    (r->notice = dg_intake_str(in, id)) == NULL ||
		    (r->kw = dg_intake_str(in, v[i].kw)) == NULL ||
		    (r->detail = dg_intake_str(in, v[i].hours)) == NULL)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		r->event = e->id;
		r->program = e->program;
		r->zone = e->zone;
		r->site = v[i].site;
		r->start = v[i].start;
		r->end = v[i].end;
		r->ref = dg_notice_kind_name(kind);
		r->source = "dg-notify";
	}
	return DG_OK;
}

int
dg_notifier_open(struct dg_notifier *nf, const char *event,
    const struct dg_notify_sched *sched, size_t nsched, struct dg_error *err)
{
	const struct dg_ledger_event *e = dg_ledger_events_find(&nf->es, event);
	struct site_part *v = NULL;
	struct dg_intake in;
	size_t n = 0;
	int st;

	if (e == NULL)
		return dg_error_set(err, DG_EDATA, nf->path, 0, NULL,
		    "no event \"%s\" in the ledger", event);
	dg_intake_init(&in);
	if ((st = parts(nf, e, sched, nsched, &v, &n, err)) == DG_OK &&
	    (st = check_people(nf, v, n, err)) == DG_OK &&
	    (st = open_records(nf, e, v, n, &in, err)) == DG_OK &&
	    in.n > 0)
		st = dg_notifier_put(nf, in.v, in.n, err);
	nf->counts.opened += st == DG_OK ? (long)in.n : 0;
	dg_intake_release(&in);
	free(v);
	return st;
}

int
dg_notifier_ack(struct dg_notifier *nf, struct dg_notice *n, const char *by,
    const char *source, const char *detail, struct dg_error *err)
{
	struct dg_ledger_rec r;
	int st;

	step_rec(&r, nf, DG_LK_ACK, n);
	r.person = by;
	r.source = source;
	r.detail = detail;
	if ((st = dg_notifier_put(nf, &r, 1, err)) != DG_OK)
		return st;
	return nf->ledger ? dg_ledger_sync(nf->ledger, err) : DG_OK;
}

int
dg_notify_ack_path(const char *path, char *id, size_t n, char tok[33])
{
	const char *p = path + 5, *slash;
	size_t k = 0;

	if (strncmp(path, "/ack/", 5) != 0 ||
	    (slash = strchr(p, '/')) == NULL ||
	    strlen(slash + 1) != 32 ||
	    strspn(slash + 1, "0123456789abcdef") != 32 || slash == p)
		return DG_EDATA;
	for (; p < slash; p++) {
		unsigned v;

		if (k + 1 >= n)
			return DG_EDATA;
		if (*p == '%' && p + 2 < slash &&
		    sscanf(p + 1, "%2x", &v) == 1 && v >= 0x20 && v != 0x7f) {
			id[k++] = (char)v;
			p += 2;
		} else if (*p == '%')
			return DG_EDATA;
		else
			id[k++] = *p;
	}
	id[k] = '\0';
	memcpy(tok, slash + 1, 33);
	return DG_OK;
}

/* Whether a notice of the event's last record is open. */
static int
notified(const struct dg_notifier *nf, const struct dg_ledger_event *e)
{
	char prefix[600];
	size_t k;

	dg_notice_id(prefix, sizeof(prefix), e->id,
	    dg_notice_kind_of(e->last_kind), e->last_seq, "");
	k = strlen(prefix);
	for (size_t i = 0; i < nf->ns.n; i++)
		if (strncmp(nf->ns.v[i].id, prefix, k) == 0)
			return 1;
	return 0;
}

int
dg_notifier_open_pending(struct dg_notifier *nf, dg_time now,
    struct dg_error *err)
{
	int st = DG_OK;

	for (size_t i = 0; i < nf->es.n && st == DG_OK; i++) {
		const struct dg_ledger_event *e = &nf->es.v[i];

		if (e->end != DG_LEDGER_NOTIME && e->end > now &&
		    !notified(nf, e))
			st = dg_notifier_open(nf, e->id, NULL, 0, err);
	}
	return st;
}
