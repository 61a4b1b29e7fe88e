/* dg_notify.h: notices to the sites about an event (standby, dispatch,
 * change, all-clear), delivered at least once and never silently: the
 * contacts and their escalation, the templates, the state of each notice
 * as the ledger's records leave it (lib/dg_ledger.h), the next step to
 * take at a given time, and the channels (e-mail over SMTP, a JSON
 * webhook, SMS through an HTTP gateway).
 *
 * Contacts file (CSV, columns by name): site,person,channel,to and
 * optionally hours, escalate_min.  One row per channel of a person; a
 * site's people are escalated to in the order of their first row, each
 * person's channels tried in row order.  site "*" rows name everyone's
 * last resort (the operations centre), after each site's own people.
 * channel: email (to: an address), webhook (to: an http or https URL),
 * sms (to: +digits, E.164).  hours: empty (any time) or HH:MM-HH:MM in
 * the market zone (it may wrap over midnight).  escalate_min: minutes to
 * wait for the person's acknowledgement before the next person (1 to
 * 1440; empty: the default); a person's rows must agree.
 *
 * Templates file (text): sections [standby], [dispatch], [change],
 * [allclear] (all four required), each a "Subject: ..." line and the
 * body; optional [KIND.sms] and [KIND.webhook] sections give the text of
 * those channels (default: the subject and the acknowledgement link).
 * Fields {notice} {event} {program} {zone} {site} {site_name} {person}
 * {kind} {date} {start} {end} {hours} {kw} {ack_url}; "{{" is a brace. */
#ifndef DG_NOTIFY_H
#define DG_NOTIFY_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_ledger.h"
#include "dg_sites.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dg_channel { DG_CH_EMAIL, DG_CH_WEBHOOK, DG_CH_SMS, DG_CH_N };
const char *dg_channel_name(int ch);

enum dg_notice_kind { DG_NK_STANDBY, DG_NK_DISPATCH, DG_NK_CHANGE,
	DG_NK_ALLCLEAR, DG_NK_N };
const char *dg_notice_kind_name(int kind);
/* The notice an event's record of kind calls for (lib/dg_ledger.h): a
 * standby, a call's dispatch, a change, an all-clear (a cancel too). */
int dg_notice_kind_of(int ledger_kind);

/* --- Contacts ------------------------------------------------------------ */

struct dg_contact_channel {
	int channel;		/* enum dg_channel */
	char *to;
	int from_min, to_min;	/* hours; from_min -1: any time */
	long line;
};

struct dg_contact_person {
	char *site, *name;
	int escalate_min;	/* 0: the default */
	struct dg_contact_channel *ch;
	size_t nch, capch;
	long line;
};

struct dg_contacts {
	struct dg_contact_person *v;	/* in file order */
	size_t n, cap;
	size_t *by_site;	/* indexes of v by site, then file order */
	char *file;
};

/* Errors (DG_EDATA) name the file, line and column. */
int dg_contacts_read(struct dg_contacts *c, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_contacts_release(struct dg_contacts *c);
/* The people of site in escalation order (its own, then "*"), at most
 * max into out; returns how many there are. */
size_t dg_contacts_for(const struct dg_contacts *c, const char *site,
    const struct dg_contact_person **out, size_t max);
/* Whether channel ch may be used at instant t (its hours). */
int dg_contact_open(const struct dg_contact_channel *ch, dg_time t);

/* --- Templates ----------------------------------------------------------- */

enum { DG_TV_NOTICE, DG_TV_EVENT, DG_TV_PROGRAM, DG_TV_ZONE, DG_TV_SITE,
	DG_TV_SITE_NAME, DG_TV_PERSON, DG_TV_KIND, DG_TV_DATE, DG_TV_START,
	DG_TV_END, DG_TV_HOURS, DG_TV_KW, DG_TV_ACK_URL, DG_TV_N };

struct dg_templates {
	char *subject[DG_NK_N], *body[DG_NK_N];
	char *sms[DG_NK_N], *webhook[DG_NK_N];	/* NULL: the default */
	char *file;
};

/* Errors (DG_EDATA) name the file, line and column: an unknown section or
 * field, an unclosed brace, a section without its Subject line, one of
 * the four kinds missing. */
int dg_templates_read(struct dg_templates *t, const char *path,
    struct dg_error *err);
void dg_templates_release(struct dg_templates *t);
/* tmpl with its fields from vars (DG_TV_N strings; NULL is empty), as a
 * new string (NULL when out of memory). */
char *dg_template_render(const char *tmpl, const char *const *vars);

/* --- Notices as the ledger leaves them ---------------------------------- */

/* What happened on one channel of one person. */
struct dg_notice_try {
	char *person, *to;
	int channel;
	int state;		/* DG_TRY_* */
	int retries;		/* temporary failures */
	dg_time at;		/* of the last record */
};
enum { DG_TRY_PENDING,		/* an attempt without outcome: a crash */
	DG_TRY_RETRY,		/* a temporary failure: to try again */
	DG_TRY_DELIVERED, DG_TRY_BOUNCED, DG_TRY_SKIPPED };

struct dg_notice {
	char *id, *event, *site, *program, *zone, *kw;
	char *hours;		/* the notice record's detail */
	int kind;		/* enum dg_notice_kind */
	dg_time opened, start, end;
	int person;		/* the person reached for: escalations */
	int acked, unacked;
	char *acked_by;
	dg_time acked_at;
	struct dg_notice_try *tries;
	size_t ntries, captries;
	long line;		/* of its notice record */
};

struct dg_notices {
	struct dg_notice *v;	/* in the order opened */
	size_t n, cap;
	size_t *by_id;		/* indexes of v sorted by id */
	size_t nsorted, capid;
	char *file;
};

void dg_notices_init(struct dg_notices *ns, const char *file);
void dg_notices_release(struct dg_notices *ns);
/* Folds one record in (records of no notice are left alone).  DG_EDATA
 * naming the line: a record of a notice never opened, a notice opened
 * twice. */
int dg_notices_add(struct dg_notices *ns, const struct dg_ledger_rec *r,
    struct dg_error *err);
struct dg_notice *dg_notices_find(struct dg_notices *ns, const char *id);
/* The id of the notice of kind to site answering the event's record
 * seq: "EVENT.KIND.SEQ.SITE". */
void dg_notice_id(char *buf, size_t n, const char *event, int kind,
    long seq, const char *site);

/* --- The next step ------------------------------------------------------- */

enum dg_step {
	DG_STEP_DONE,		/* acknowledged, or nobody left */
	DG_STEP_WAIT,		/* until due: an acknowledgement */
	DG_STEP_SEND,		/* person's channel */
	DG_STEP_SKIP,		/* person's channel is outside its hours */
	DG_STEP_ESCALATE,	/* to person (the next) */
	DG_STEP_UNACKED		/* the last person's delay passed */
};

struct dg_plan {
	int step;
	int person;
	size_t channel;
	int resend;		/* an attempt with no outcome (a crash) */
	dg_time due;		/* DG_STEP_WAIT: when to look again */
};

/* The next step of notice n at now, for its people (in escalation order;
 * escalate_min the delay of a person who has none).  Steps, in order: an
 * acknowledged notice is done; a person who was delivered to is waited
 * for until the delay, then the next is escalated to (or, after the last,
 * unacked once, then done); otherwise the person's first channel that has
 * not bounced is sent to, or skipped (once) when outside its hours; a
 * person with no channel left is escalated from at once. */
void dg_notice_plan(const struct dg_notice *n,
    const struct dg_contact_person *const *people, size_t np,
    int escalate_min, dg_time now, struct dg_plan *p);

/* The state of person's channel in n, or NULL when never tried. */
const struct dg_notice_try *dg_notice_try_find(const struct dg_notice *n,
    const char *person, int channel, const char *to);

/* The acknowledgement token of notice id: HMAC-SHA256 keyed with secret,
 * 32 hex digits. */
void dg_notice_token(const char *secret, const char *id, char tok[33]);

/* --- Sending -------------------------------------------------------------- */

/* The accounts (from dg-notify's configuration). */
struct dg_notify_conf {
	const char *smtp_url, *smtp_user, *smtp_password, *mail_from;
	int smtp_starttls;	/* require STARTTLS on smtp:// */
	const char *cacert;
	const char *sms_url, *sms_user, *sms_password, *sms_from;
	const char *webhook_token;
	double timeout_s;
};

struct dg_message {
	const char *key;	/* the idempotency key: the same on a resend */
	const char *to, *subject, *body, *text;	/* text: SMS, webhook */
	const char *notice, *event, *site, *kind, *ack_url;
};

enum dg_outcome { DG_SENT, DG_TEMPORARY, DG_PERMANENT };

struct dg_sender;
int dg_sender_open(struct dg_sender **s, const struct dg_notify_conf *c,
    struct dg_error *err);
void dg_sender_close(struct dg_sender *s);
/* Sends m on channel: *outcome DG_SENT (the server took it), DG_TEMPORARY
 * (try again: a 4xx reply of a mail server, HTTP 408, 425, 429 or 5xx, no
 * connection, a timeout) or DG_PERMANENT (a 5xx reply of a mail server,
 * another HTTP 4xx, a TLS peer that cannot be verified, a channel without
 * its account); reply gets the server's reply or the reason.  DG_OK
 * whatever the outcome; DG_ENOMEM. */
int dg_sender_send(struct dg_sender *s, int channel, const struct dg_message *m,
    int *outcome, char *reply, size_t n);

/* --- The notifier: notices opened and delivered, records written ------- */

/* Retries and escalation, with their defaults. */
struct dg_notifier_params {
	int retries;		/* temporary failures tried again (4) */
	double retry_wait_s;	/* the first wait (2 s), doubling ... */
	double max_wait_s;	/* ... up to 60 s */
	int escalate_min;	/* a person's delay when none is given (15) */
	int sync_every;		/* ledger records between syncs (64) */
};
void dg_notifier_params_init(struct dg_notifier_params *p);

struct dg_notify_counts {
	long opened, sent, delivered, retried, bounced, skipped, escalated;
	long unacked, waiting, resent;
};

/* One site's part of a dispatch, from dg-schedule's notices
 * (site,start,stop,hours,mw): its first start, last stop, hours and
 * largest kW. */
struct dg_notify_sched {
	char *site;
	dg_time start, end;
	dg_dec hours, kw;
};
/* Reads dg-schedule's notices, one entry per site.  Errors name the file,
 * line and column. */
int dg_notify_sched_read(const char *path, const struct dg_csv_opts *o,
    struct dg_notify_sched **v, size_t *n, struct dg_error *err);
void dg_notify_sched_free(struct dg_notify_sched *v, size_t n);

struct dg_notifier {
	/* set by the caller */
	const struct dg_notifier_params *par;
	const struct dg_contacts *contacts;
	const struct dg_templates *tmpl;
	const struct dg_sites *sites;	/* or NULL: no names, no kW */
	const char *ack_url, *ack_secret;
	struct dg_sender *sender;	/* NULL: a dry run */
	struct dg_csvw *dry;		/* a dry run: what would be sent,
					 * a row each (the caller's writer,
					 * its header written) */
	dg_time (*clock)(void *arg);	/* now */
	void *clock_arg;
	/* the state */
	const char *path;
	struct dg_ledger *ledger;	/* NULL: read only */
	struct dg_ledger_events es;
	struct dg_notices ns;
	struct dg_notify_counts counts;
	long unsynced;
	struct dg_notify_due *due;	/* retries waiting */
	size_t ndue, capdue;
};

/* Reads and checks the ledger at path (events and notices); with
 * append, opens it for appending too.  Errors as dg_ledger_read. */
int dg_notifier_load(struct dg_notifier *nf, const char *path, int append,
    struct dg_error *err);
void dg_notifier_release(struct dg_notifier *nf);
/* Opens the notices that the event's last record calls for, one per site
 * (sched's sites, else the event's, else every site of sites enrolled in
 * its program and zone), unless they are open already.  Every site must
 * have a person in the contacts (DG_EDATA naming the site).  The notice
 * records are written (a dry run keeps them in memory). */
int dg_notifier_open(struct dg_notifier *nf, const char *event,
    const struct dg_notify_sched *sched, size_t nsched, struct dg_error *err);
/* Takes every open notice as far as it goes now: sends, retries after
 * their waits (sleeping), bounces to the next channel, skips, escalates;
 * each step a ledger record before it is taken.  Returns when every
 * notice waits for an acknowledgement or is done. */
int dg_notifier_pass(struct dg_notifier *nf, struct dg_error *err);
/* Opens, as dg_notifier_open, the notices of every event not over at now
 * whose last record has none yet (what a poll or an import brought). */
int dg_notifier_open_pending(struct dg_notifier *nf, dg_time now,
    struct dg_error *err);
/* Records the acknowledgement of n by (a name, or ""), from source
 * ("manual", "link") with detail. */
int dg_notifier_ack(struct dg_notifier *nf, struct dg_notice *n,
    const char *by, const char *source, const char *detail,
    struct dg_error *err);
/* The notice id and token of an acknowledgement link's path
 * "/ack/ID/TOKEN" (ID percent-encoded); DG_EDATA when it is not one. */
int dg_notify_ack_path(const char *path, char *id, size_t n,
    char tok[33]);

#ifdef __cplusplus
}
#endif
#endif
