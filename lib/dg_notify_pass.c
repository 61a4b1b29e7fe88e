/* dg_notify_pass.c: a delivery pass of the notifier: each open notice
 * taken as far as it goes now, retries after their waits (see
 * dg_notify.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dg_http.h"
#include "dg_notify.h"
#include "dg_notify_int.h"
#include "dg_util.h"

#define MAXPEOPLE 64

static double
mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int
put1(struct dg_notifier *nf, struct dg_ledger_rec *r, struct dg_error *err)
{
	return dg_notifier_put(nf, r, 1, err);
}

static void
rec_of(struct dg_ledger_rec *r, const struct dg_notifier *nf, int kind,
    const struct dg_notice *n, const struct dg_contact_person *p,
    const struct dg_contact_channel *ch)
{
	dg_ledger_rec_init(r, kind, nf->clock(nf->clock_arg));
	r->event = n->event;
	r->site = n->site;
	r->notice = n->id;
	r->source = "dg-notify";
	r->person = p ? p->name : NULL;
	r->channel = ch ? dg_channel_name(ch->channel) : NULL;
	r->to = ch ? ch->to : NULL;
}

/* --- The message --------------------------------------------------------- */

struct msg {
	char *subject, *body, *text;
	char key[512], ack[2048];
	char date[16], start[8], end[8];
	const char *vars[DG_TV_N];
};

static void
clock_text(dg_time t, char *buf, size_t n)
{
	struct dg_local lt;

	buf[0] = '\0';
	if (t == DG_LEDGER_NOTIME)
		return;
	dg_time_local(t, &lt);
	snprintf(buf, n, "%02d:%02d", lt.hour, lt.min);
}

static void
ack_link(const struct dg_notifier *nf, const char *id, char *buf, size_t n)
{
	char esc[1200], tok[33];
	const char *b = nf->ack_url ? nf->ack_url : "";
	size_t bl = strlen(b);

	dg_notice_token(nf->ack_secret ? nf->ack_secret : "", id, tok);
	if (dg_http_escape(id, esc, sizeof(esc)) != DG_OK)
		esc[0] = '\0';
	snprintf(buf, n, "%.*s/%s/%s", (int)(bl && b[bl - 1] == '/' ? bl - 1 :
	    bl), b, esc, tok);
}

/* The idempotency key of a notice to a person's channel: the same on a
 * resend (Message-ID, Idempotency-Key). */
static void
msg_key(char *buf, size_t n, const struct dg_notice *no,
    const struct dg_contact_person *p, const struct dg_contact_channel *ch)
{
	snprintf(buf, n, "%s.%s.%s", no->id, p->name,
	    dg_channel_name(ch->channel));
	for (char *s = buf; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
			*s = '_';
}

static int
msg_make(struct msg *m, const struct dg_notifier *nf,
    const struct dg_notice *n, const struct dg_contact_person *p,
    const struct dg_contact_channel *ch)
{
	const struct dg_site *s = nf->sites ? dg_sites_find(nf->sites,
	    n->site) : NULL;
	const char *tx;

	memset(m, 0, sizeof(*m));
	msg_key(m->key, sizeof(m->key), n, p, ch);
	ack_link(nf, n->id, m->ack, sizeof(m->ack));
	if (n->start != DG_LEDGER_NOTIME)
		dg_date_format(dg_date_of(n->start), m->date, sizeof(m->date));
	clock_text(n->start, m->start, sizeof(m->start));
	clock_text(n->end, m->end, sizeof(m->end));
	m->vars[DG_TV_NOTICE] = n->id;
	m->vars[DG_TV_EVENT] = n->event;
	m->vars[DG_TV_PROGRAM] = n->program;
	m->vars[DG_TV_ZONE] = n->zone;
	m->vars[DG_TV_SITE] = n->site;
	m->vars[DG_TV_SITE_NAME] = s && s->name ? s->name : n->site;
	m->vars[DG_TV_PERSON] = p->name;
	m->vars[DG_TV_KIND] = dg_notice_kind_name(n->kind);
	m->vars[DG_TV_DATE] = m->date;
	m->vars[DG_TV_START] = m->start;
	m->vars[DG_TV_END] = m->end;
	m->vars[DG_TV_HOURS] = n->hours;
	m->vars[DG_TV_KW] = n->kw;
	m->vars[DG_TV_ACK_URL] = m->ack;
	m->subject = dg_template_render(nf->tmpl->subject[n->kind], m->vars);
	m->body = dg_template_render(nf->tmpl->body[n->kind], m->vars);
	tx = ch->channel == DG_CH_SMS ? nf->tmpl->sms[n->kind] :
	    nf->tmpl->webhook[n->kind];
	m->text = dg_template_render(tx ? tx : "{ack_url}", m->vars);
	if (m->subject && m->text && !tx) {	/* the subject, the link */
		char *t = malloc(strlen(m->subject) + strlen(m->text) + 2);

		if (t)
			snprintf(t, strlen(m->subject) + strlen(m->text) + 2,
			    "%s %s", m->subject, m->text);
		free(m->text);
		m->text = t;
	}
	return m->subject && m->body && m->text ? DG_OK : DG_ENOMEM;
}

static void
msg_free(struct msg *m)
{
	free(m->subject);
	free(m->body);
	free(m->text);
}

/* --- A send and its outcome ---------------------------------------------- */

static int
queue(struct dg_notifier *nf, size_t idx, double wait)
{
	if (dg_grow(&nf->due, &nf->capdue, nf->ndue + 1, sizeof(*nf->due)))
		return -1;
	nf->due[nf->ndue].notice = idx;
	nf->due[nf->ndue++].at = mono() + wait;
	return 0;
}

static int
dry_row(struct dg_notifier *nf, const struct dg_notice *n,
    const struct dg_contact_person *p, const struct dg_contact_channel *ch,
    const struct msg *m)
{
	struct dg_csvw *w = nf->dry;

	dg_csvw_str(w, n->id);
	dg_csvw_str(w, n->site);
	dg_csvw_str(w, p->name);
	dg_csvw_str(w, dg_channel_name(ch->channel));
	dg_csvw_str(w, ch->to);
	dg_csvw_str(w, ch->channel == DG_CH_EMAIL ? m->subject : m->text);
	return dg_csvw_end_row(w);
}

/* What the outcome of a send means: delivered, tried again later (1), a
 * bounce. */
static int
outcome_rec(struct dg_notifier *nf, size_t idx, struct dg_ledger_rec *r,
    int channel, int outcome, const char *reply, int *later,
    struct dg_error *err)
{
	const struct dg_notice_try *t = dg_notice_try_find(&nf->ns.v[idx],
	    r->person, channel, r->to);
	int tries = t ? t->retries : 0;
	char why[700];

	*later = 0;
	r->kind = outcome == DG_SENT ? DG_LK_DELIVERED :
	    outcome == DG_PERMANENT || tries >= nf->par->retries ?
	    DG_LK_BOUNCE : DG_LK_RETRY;
	r->detail = reply;
	if (outcome == DG_TEMPORARY && r->kind == DG_LK_BOUNCE) {
		snprintf(why, sizeof(why), "gave up after %d temporary "
		    "failures: %s", tries + 1, reply);
		r->detail = why;
	}
	nf->counts.delivered += r->kind == DG_LK_DELIVERED;
	nf->counts.bounced += r->kind == DG_LK_BOUNCE;
	nf->counts.retried += r->kind == DG_LK_RETRY;
	if (r->kind == DG_LK_RETRY) {
		double w = nf->par->retry_wait_s * ldexp(1.0, tries);

		*later = 1;
		if (queue(nf, idx, w < nf->par->max_wait_s ? w :
		    nf->par->max_wait_s) != 0)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
	}
	return put1(nf, r, err);
}

static int
send(struct dg_notifier *nf, size_t idx, const struct dg_contact_person *p,
    const struct dg_contact_channel *ch, int resend, int *later,
    struct dg_error *err)
{
	struct dg_notice *n = &nf->ns.v[idx];
	struct dg_ledger_rec r;
	char reply[512];
	struct msg m;
	int st, outcome;

	*later = 0;
	if ((st = msg_make(&m, nf, n, p, ch)) != DG_OK) {
		msg_free(&m);
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	}
	rec_of(&r, nf, DG_LK_ATTEMPT, n, p, ch);
	r.detail = resend ? "sent again: an attempt without its outcome "
	    "(the same Message-ID or Idempotency-Key)" : NULL;
	nf->counts.sent++;
	nf->counts.resent += resend;
	if (nf->sender == NULL) {	/* a dry run: as if delivered */
		r.kind = DG_LK_DELIVERED;
		if ((st = dry_row(nf, n, p, ch, &m)) == DG_OK)
			st = put1(nf, &r, err);
	} else if ((st = put1(nf, &r, err)) == DG_OK) {
		struct dg_message dm = { m.key, ch->to, m.subject, m.body,
		    m.text, n->id, n->event, n->site,
		    dg_notice_kind_name(n->kind), m.ack };

		st = dg_sender_send(nf->sender, ch->channel, &dm, &outcome,
		    reply, sizeof(reply));
		rec_of(&r, nf, DG_LK_DELIVERED, &nf->ns.v[idx], p, ch);
		if (st == DG_OK)
			st = outcome_rec(nf, idx, &r, ch->channel, outcome,
			    reply, later, err);
		else
			dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	}
	msg_free(&m);
	return st;
}

/* --- Steps ------------------------------------------------------------- */

static int
step_other(struct dg_notifier *nf, size_t idx, const struct dg_plan *p,
    const struct dg_contact_person *const *people, struct dg_error *err)
{
	struct dg_notice *n = &nf->ns.v[idx];
	const struct dg_contact_person *who = people[p->person];
	const struct dg_contact_channel *ch = &who->ch[p->channel];
	struct dg_ledger_rec r;
	char why[200];

	switch (p->step) {
	case DG_STEP_SKIP:
		rec_of(&r, nf, DG_LK_SKIP, n, who, ch);
		snprintf(why, sizeof(why),
		    "outside its hours %02d:%02d-%02d:%02d", ch->from_min / 60,
		    ch->from_min % 60, ch->to_min / 60, ch->to_min % 60);
		r.detail = why;
		nf->counts.skipped++;
		break;
	case DG_STEP_ESCALATE:
		rec_of(&r, nf, DG_LK_ESCALATE, n, who, NULL);
		r.detail = "not acknowledged in time, or not reached";
		nf->counts.escalated++;
		break;
	default:
		rec_of(&r, nf, DG_LK_UNACKED, n, NULL, NULL);
		r.detail = "nobody acknowledged: nobody left to escalate to";
		nf->counts.unacked++;
		break;
	}
	return put1(nf, &r, err);
}

/* Takes notice idx as far as it goes now. */
static int
step(struct dg_notifier *nf, size_t idx, struct dg_error *err)
{
	const struct dg_contact_person *people[MAXPEOPLE];
	struct dg_plan p;
	size_t np;
	int st = DG_OK, later = 0;

	np = dg_contacts_for(nf->contacts, nf->ns.v[idx].site, people,
	    MAXPEOPLE);
	if (np > MAXPEOPLE)
		np = MAXPEOPLE;
	for (int guard = 0; st == DG_OK && !later && guard < 1000; guard++) {
		dg_notice_plan(&nf->ns.v[idx], people, np,
		    nf->par->escalate_min, nf->clock(nf->clock_arg), &p);
		switch (p.step) {
		case DG_STEP_DONE:
			return DG_OK;
		case DG_STEP_WAIT:
			nf->counts.waiting++;
			return DG_OK;
		case DG_STEP_SEND:
			st = send(nf, idx, people[p.person],
			    &people[p.person]->ch[p.channel], p.resend, &later,
			    err);
			break;
		default:
			st = step_other(nf, idx, &p, people, err);
			if (st == DG_OK && p.step == DG_STEP_UNACKED)
				return DG_OK;
		}
	}
	return st;
}

static void
sleep_until(double at)
{
	double d = at - mono();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		;
}

int
dg_notifier_pass(struct dg_notifier *nf, struct dg_error *err)
{
	int st = DG_OK;

	nf->counts.waiting = 0;
	for (size_t i = 0; i < nf->ns.n && st == DG_OK; i++)
		st = step(nf, i, err);
	while (st == DG_OK && nf->ndue > 0) {
		size_t k = 0;
		struct dg_notify_due d;

		for (size_t i = 1; i < nf->ndue; i++)
			if (nf->due[i].at < nf->due[k].at)
				k = i;
		d = nf->due[k];
		nf->due[k] = nf->due[--nf->ndue];
		sleep_until(d.at);
		st = step(nf, d.notice, err);
	}
	if (st == DG_OK && nf->ledger != NULL)
		st = dg_ledger_sync(nf->ledger, err);
	return st;
}
