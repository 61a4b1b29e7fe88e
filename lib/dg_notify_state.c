/* dg_notify_state.c: notices as the ledger's records leave them, and the
 * next step of each (see dg_notify.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>

#include "dg_notify.h"
#include "dg_util.h"

void
dg_notices_init(struct dg_notices *ns, const char *file)
{
	memset(ns, 0, sizeof(*ns));
	ns->file = file ? strdup(file) : NULL;
}

static void
notice_free(struct dg_notice *n)
{
	free(n->id);
	free(n->event);
	free(n->site);
	free(n->program);
	free(n->zone);
	free(n->kw);
	free(n->hours);
	free(n->acked_by);
	for (size_t i = 0; i < n->ntries; i++) {
		free(n->tries[i].person);
		free(n->tries[i].to);
	}
	free(n->tries);
}

void
dg_notices_release(struct dg_notices *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		notice_free(&ns->v[i]);
	free(ns->v);
	free(ns->by_id);
	free(ns->file);
	memset(ns, 0, sizeof(*ns));
}

void
dg_notice_id(char *buf, size_t n, const char *event, int kind, long seq,
    const char *site)
{
	snprintf(buf, n, "%s.%s.%ld.%s", event, dg_notice_kind_name(kind), seq,
	    site);
}

struct dg_notice *
dg_notices_find(struct dg_notices *ns, const char *id)
{
	size_t lo = 0, hi = ns->nsorted;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ns->v[ns->by_id[mid]].id, id);

		if (c == 0)
			return &ns->v[ns->by_id[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Notice i into the index by id, in its place (a binary search and a
 * move of the indexes after it: 10,000 notices open in milliseconds). */
static void
index_add(struct dg_notices *ns, size_t i)
{
	size_t lo = 0, hi = ns->nsorted;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(ns->v[ns->by_id[mid]].id, ns->v[i].id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(ns->by_id + lo + 1, ns->by_id + lo,
	    (ns->nsorted - lo) * sizeof(size_t));
	ns->by_id[lo] = i;
	ns->nsorted++;
}

static char *
dup(const char *s)
{
	return strdup(s ? s : "");
}

static int
open_notice(struct dg_notices *ns, const struct dg_ledger_rec *r,
    struct dg_error *err)
{
	struct dg_notice *n;
	int kind;

	if (dg_notices_find(ns, r->notice) != NULL)
		return dg_error_set(err, DG_EDATA, ns->file, r->line, "notice",
		    "notice \"%s\" opened twice", r->notice);
	for (kind = 0; kind < DG_NK_N; kind++)
		if (strcmp(r->ref, dg_notice_kind_name(kind)) == 0)
			break;
	if (kind == DG_NK_N)
		return dg_error_set(err, DG_EDATA, ns->file, r->line, "ref",
		    "not a notice's kind: \"%s\"", r->ref);
	if (dg_grow(&ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v)) != 0 ||
	    dg_grow(&ns->by_id, &ns->capid, ns->n + 1, sizeof(size_t)) != 0)
		return dg_error_set(err, DG_ENOMEM, ns->file, r->line, NULL,
		    "out of memory");
	n = &ns->v[ns->n];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->opened = r->recorded;
	n->start = r->start;
	n->end = r->end;
	n->line = r->line;
	if (!(n->id = dup(r->notice)) || !(n->event = dup(r->event)) ||
	    !(n->site = dup(r->site)) || !(n->program = dup(r->program)) ||
	    !(n->zone = dup(r->zone)) || !(n->kw = dup(r->kw)) ||
	    !(n->hours = dup(r->detail))) {
		notice_free(n);
		return dg_error_set(err, DG_ENOMEM, ns->file, r->line, NULL,
		    "out of memory");
	}
	index_add(ns, ns->n++);
	return DG_OK;
}

static struct dg_notice_try *
try_of(struct dg_notice *n, const struct dg_ledger_rec *r)
{
	int ch;
	struct dg_notice_try *t;

	for (ch = 0; ch < DG_CH_N; ch++)
		if (strcmp(r->channel, dg_channel_name(ch)) == 0)
			break;
	for (size_t i = 0; i < n->ntries; i++)
		if (n->tries[i].channel == ch &&
		    strcmp(n->tries[i].person, r->person) == 0 &&
		    strcmp(n->tries[i].to, r->to) == 0)
			return &n->tries[i];
	if (dg_grow(&n->tries, &n->captries, n->ntries + 1,
	    sizeof(*n->tries)) != 0)
		return NULL;
	t = &n->tries[n->ntries];
	memset(t, 0, sizeof(*t));
	t->channel = ch;
	if ((t->person = strdup(r->person)) == NULL ||
	    (t->to = strdup(r->to)) == NULL) {
		free(t->person);
		return NULL;
	}
	n->ntries++;
	return t;
}

static int
apply(struct dg_notice *n, const struct dg_ledger_rec *r)
{
	struct dg_notice_try *t;

	switch (r->kind) {
	case DG_LK_ESCALATE:
		n->person++;
		return 0;
	case DG_LK_ACK:
		if (n->acked)
			return 0;
		n->acked = 1;
		n->acked_at = r->recorded;
		return (n->acked_by = dup(r->person)) ? 0 : -1;
	case DG_LK_UNACKED:
		n->unacked = 1;
		return 0;
	}
	if ((t = try_of(n, r)) == NULL)
		return -1;
	t->at = r->recorded;
	switch (r->kind) {
	case DG_LK_ATTEMPT:	t->state = DG_TRY_PENDING; break;
	case DG_LK_DELIVERED:	t->state = DG_TRY_DELIVERED; break;
	case DG_LK_RETRY:	t->state = DG_TRY_RETRY; t->retries++; break;
	case DG_LK_BOUNCE:	t->state = DG_TRY_BOUNCED; break;
	case DG_LK_SKIP:	t->state = DG_TRY_SKIPPED; break;
	}
	return 0;
}

int
dg_notices_add(struct dg_notices *ns, const struct dg_ledger_rec *r,
    struct dg_error *err)
{
	struct dg_notice *n;

	if (r->kind == DG_LK_NOTICE)
		return open_notice(ns, r, err);
	if (r->kind < DG_LK_ATTEMPT || r->kind > DG_LK_UNACKED)
		return DG_OK;
	if ((n = dg_notices_find(ns, r->notice)) == NULL)
		return dg_error_set(err, DG_EDATA, ns->file, r->line, "notice",
		    "a %s of notice \"%s\", never opened",
		    dg_ledger_kind_name(r->kind), r->notice);
	if (apply(n, r) != 0)
		return dg_error_set(err, DG_ENOMEM, ns->file, r->line, NULL,
		    "out of memory");
	return DG_OK;
}

const struct dg_notice_try *
dg_notice_try_find(const struct dg_notice *n, const char *person,
    int channel, const char *to)
{
	for (size_t i = 0; i < n->ntries; i++)
		if (n->tries[i].channel == channel &&
		    strcmp(n->tries[i].person, person) == 0 &&
		    strcmp(n->tries[i].to, to) == 0)
			return &n->tries[i];
	return NULL;
}

/* --- The next step ----------------------------------------------------- */

/* After the person's delay: the next person, or unacked once, or done. */
static void
after_person(const struct dg_notice *n, size_t np, struct dg_plan *p)
{
	if ((size_t)n->person + 1 < np) {
		p->step = DG_STEP_ESCALATE;
		p->person = n->person + 1;
	} else
		p->step = n->unacked ? DG_STEP_DONE : DG_STEP_UNACKED;
}

void
dg_notice_plan(const struct dg_notice *n,
    const struct dg_contact_person *const *people, size_t np,
    int escalate_min, dg_time now, struct dg_plan *p)
{
	const struct dg_contact_person *who;
	const struct dg_notice_try *t;
	dg_time delivered = DG_LEDGER_NOTIME;
	int esc;

	memset(p, 0, sizeof(*p));
	p->person = n->person;
	if (n->acked || (size_t)n->person >= np) {
		p->step = n->acked || n->unacked ? DG_STEP_DONE :
		    DG_STEP_UNACKED;
		return;
	}
	who = people[n->person];
	esc = who->escalate_min ? who->escalate_min : escalate_min;
	for (size_t c = 0; c < who->nch; c++)
		if ((t = dg_notice_try_find(n, who->name, who->ch[c].channel,
		    who->ch[c].to)) && t->state == DG_TRY_DELIVERED &&
		    (delivered == DG_LEDGER_NOTIME || t->at < delivered))
			delivered = t->at;
	if (delivered != DG_LEDGER_NOTIME) {
		p->due = delivered + (dg_time)esc * 60;
		if (now < p->due)
			p->step = DG_STEP_WAIT;
		else
			after_person(n, np, p);
		return;
	}
	for (size_t c = 0; c < who->nch; c++) {
		t = dg_notice_try_find(n, who->name, who->ch[c].channel,
		    who->ch[c].to);
		if (t && t->state == DG_TRY_BOUNCED)
			continue;
		p->channel = c;
		if (!dg_contact_open(&who->ch[c], now)) {
			if (t && t->state == DG_TRY_SKIPPED)
				continue;
			p->step = DG_STEP_SKIP;
			return;
		}
		p->step = DG_STEP_SEND;
		p->resend = t && t->state == DG_TRY_PENDING;
		return;
	}
	after_person(n, np, p);
}

void
dg_notice_token(const char *secret, const char *id, char tok[33])
{
	static const char xd[] = "0123456789abcdef";
	struct hmac_sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE];

	hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
	hmac_sha256_update(&ctx, strlen(id), (const uint8_t *)id);
	hmac_sha256_digest(&ctx, sizeof(dig), dig);
	for (int i = 0; i < 16; i++) {
		tok[2 * i] = xd[dig[i] >> 4];
		tok[2 * i + 1] = xd[dig[i] & 15];
	}
	tok[32] = '\0';
}
