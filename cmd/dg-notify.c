/* dg-notify: notices of an event to the people of each site (e-mail,
 * webhook, SMS), retried, escalated until acknowledged, every step a
 * record of the event ledger; acknowledgement links served. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dg_conf.h"
#include "dg_http.h"
#include "dg_ledger.h"
#include "dg_notify.h"
#include "dg_sites.h"
#include "dg_util.h"

enum {
	OPT_LEDGER = DG_OPT_FIRST_OWN,
	OPT_CONFIG,
	OPT_CONTACTS,
	OPT_TEMPLATES,
	OPT_EVENT,
	OPT_NOTICES,
	OPT_SITES,
	OPT_NOW,
	OPT_RETRIES,
	OPT_RETRY_WAIT,
	OPT_ESCALATE,
	OPT_NOTICE,
	OPT_BY,
	OPT_PENDING
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "ledger", required_argument, NULL, OPT_LEDGER },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "contacts", required_argument, NULL, OPT_CONTACTS },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "notices", required_argument, NULL, OPT_NOTICES },
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "retry-wait", required_argument, NULL, OPT_RETRY_WAIT },
	{ "escalate", required_argument, NULL, OPT_ESCALATE },
	{ "notice", required_argument, NULL, OPT_NOTICE },
	{ "by", required_argument, NULL, OPT_BY },
	{ "pending", no_argument, NULL, OPT_PENDING },
	{ "dry-run", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-notify send --ledger FILE --config FILE --contacts FILE\n"
"           --templates FILE (--event ID [--notices FILE] | --pending)\n"
"           [--sites FILE] [run options] [common options]\n"
"       dg-notify run --ledger FILE --config FILE --contacts FILE\n"
"           --templates FILE [--sites FILE] [run options] [common options]\n"
"       dg-notify ack --ledger FILE --notice ID [--by NAME] [--now STAMP]\n"
"           [--tz ZONE]\n"
"       dg-notify serve --ledger FILE --config FILE\n"
"       dg-notify list --ledger FILE [--event ID] [common options]\n"
"run options: [-n] [--now STAMP] [--retries N] [--retry-wait SEC]\n"
"             [--escalate MIN]\n"
DG_CLI_USAGE);
	exit(status);
}

#define DG_EX_TEMPFAIL 75	/* another run holds the ledger */

enum cmd { CMD_SEND, CMD_RUN, CMD_ACK, CMD_SERVE, CMD_LIST };

struct opts {
	struct dg_cli cli;
	enum cmd cmd;
	const char *ledger, *config, *contacts, *templates, *event;
	const char *notices, *sites, *notice, *by;
	const char *now_arg;	/* --now */
	int dry, retries, escalate, pending;
	double retry_wait;
	dg_time now;
	struct timespec t0;
};

static const char *const cmd_names[] = { "send", "run", "ack", "serve",
	"list", NULL };

static enum cmd
parse_sub(const char *sub)
{
	for (int i = 0; cmd_names[i]; i++)
		if (strcmp(sub, cmd_names[i]) == 0)
			return (enum cmd)i;
	dg_cli_warn("unknown command \"%s\"", sub);
	usage(stderr, DG_EX_USAGE);
	return CMD_SEND;
}

static void
own_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_LEDGER:	o->ledger = arg; break;
	case OPT_CONFIG:	o->config = arg; break;
	case OPT_CONTACTS:	o->contacts = arg; break;
	case OPT_TEMPLATES:	o->templates = arg; break;
	case OPT_EVENT:		o->event = arg; break;
	case OPT_NOTICES:	o->notices = arg; break;
	case OPT_SITES:		o->sites = arg; break;
	case OPT_NOTICE:	o->notice = arg; break;
	case OPT_BY:		o->by = arg; break;
	case 'n':		o->dry = 1; break;
	case OPT_PENDING:	o->pending = 1; break;
	case OPT_NOW:		o->now_arg = arg; break;
	case OPT_RETRIES:
		o->retries = dg_cli_int_arg("--retries", arg, 0, 20, usage);
		break;
	case OPT_RETRY_WAIT:
		o->retry_wait = dg_cli_double_arg("--retry-wait", arg, 0, 3600,
		    usage);
		break;
	case OPT_ESCALATE:
		o->escalate = dg_cli_int_arg("--escalate", arg, 1, 1440, usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
need(const void *v, const char *what)
{
	if (v == NULL) {
		dg_cli_warn("%s is required", what);
		usage(stderr, DG_EX_USAGE);
	}
}

static void
check_opts(struct opts *o)
{
	need(o->ledger, "--ledger");
	if (o->cmd == CMD_SEND || o->cmd == CMD_RUN || o->cmd == CMD_SERVE)
		need(o->config, "--config");
	if (o->cmd == CMD_SEND || o->cmd == CMD_RUN) {
		need(o->contacts, "--contacts");
		need(o->templates, "--templates");
	}
	if (o->cmd == CMD_SEND && (o->event != NULL) == o->pending) {
		dg_cli_warn("--event ID or --pending is needed, not both");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->notices && o->pending)
		usage(stderr, DG_EX_USAGE);
	if (o->cmd == CMD_ACK)
		need(o->notice, "--notice");
	if (o->cmd == CMD_ACK || o->cmd == CMD_SERVE)
		dg_cli_no_output(&o->cli, cmd_names[o->cmd], usage);
	else if (o->cmd != CMD_LIST && !o->dry)
		dg_cli_no_output(&o->cli, o->cmd == CMD_SEND ?
		    "send without -n" : "run without -n", usage);
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-notify");
	o->retries = o->escalate = -1;
	o->retry_wait = -1;
	if (argc > 1 && argv[1][0] != '-') {
		o->cmd = parse_sub(argv[1]);
		argv++;
		argc--;
	} else if (argc < 2 || (strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "--help") != 0 &&
	    strcmp(argv[1], "--version") != 0))
		usage(stderr, DG_EX_USAGE);
	while ((c = getopt_long(argc, argv, "d:hno:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	if (optind != argc)
		usage(stderr, DG_EX_USAGE);
	check_opts(o);
	o->now = o->now_arg ? dg_cli_stamp_arg(&o->cli, "--now", o->now_arg,
	    usage) : (dg_time)time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &o->t0);
}

/* The clock of the run: --now (or the time it started) and the time
 * since. */
static dg_time
now_fn(void *arg)
{
	const struct opts *o = arg;
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return o->now + (t.tv_sec - o->t0.tv_sec);
}

/* --- What a run reads -------------------------------------------------- */

struct env {
	struct opts *o;
	struct dg_conf conf;
	struct dg_notify_conf nc;
	struct dg_notifier_params par;
	struct dg_contacts contacts;
	struct dg_templates tmpl;
	struct dg_sites sites;
	struct dg_notifier nf;
	struct dg_notify_sched *sched;
	size_t nsched;
	int lockfd, have_sites, loaded;
};

static int
conf_params(struct env *e, struct dg_error *err)
{
	const struct dg_conf *c = &e->conf;
	struct opts *o = e->o;
	double r, esc;
	int st;

	dg_notifier_params_init(&e->par);
	if ((st = dg_conf_number(c, "retries", e->par.retries, 0, 20, &r,
	    err)) != DG_OK ||
	    (st = dg_conf_number(c, "retry_wait", e->par.retry_wait_s, 0,
	    3600, &e->par.retry_wait_s, err)) != DG_OK ||
	    (st = dg_conf_number(c, "escalate_min", e->par.escalate_min, 1,
	    1440, &esc, err)) != DG_OK ||
	    (st = dg_conf_number(c, "timeout", 30, 1, 3600, &e->nc.timeout_s,
	    err)) != DG_OK ||
	    (st = dg_conf_bool(c, "smtp_starttls", 1, &e->nc.smtp_starttls,
	    err)) != DG_OK)
		return st;
	e->par.retries = o->retries >= 0 ? o->retries : (int)r;
	e->par.escalate_min = o->escalate > 0 ? o->escalate : (int)esc;
	if (o->retry_wait >= 0)
		e->par.retry_wait_s = o->retry_wait;
	return DG_OK;
}

static int
conf_read(struct env *e, struct dg_error *err)
{
	static const char *const known[] = { "smtp_url", "smtp_starttls",
		"smtp_user", "smtp_password", "mail_from", "cacert", "sms_url",
		"sms_user", "sms_password", "sms_from", "webhook_token",
		"ack_url", "ack_secret", "serve_address", "timeout", "retries",
		"retry_wait", "escalate_min", NULL };
	const struct dg_conf *c = &e->conf;
	int st;

	if ((st = dg_conf_read(&e->conf, e->o->config, known, err)) != DG_OK)
		return st;
	e->nc.smtp_url = dg_conf_get(c, "smtp_url", NULL);
	e->nc.smtp_user = dg_conf_get(c, "smtp_user", NULL);
	e->nc.smtp_password = dg_conf_get(c, "smtp_password", NULL);
	e->nc.mail_from = dg_conf_get(c, "mail_from", NULL);
	e->nc.cacert = dg_conf_get(c, "cacert", NULL);
	e->nc.sms_url = dg_conf_get(c, "sms_url", NULL);
	e->nc.sms_user = dg_conf_get(c, "sms_user", NULL);
	e->nc.sms_password = dg_conf_get(c, "sms_password", NULL);
	e->nc.sms_from = dg_conf_get(c, "sms_from", NULL);
	e->nc.webhook_token = dg_conf_get(c, "webhook_token", NULL);
	e->nf.ack_url = dg_conf_get(c, "ack_url", NULL);
	e->nf.ack_secret = dg_conf_get(c, "ack_secret", NULL);
	if (e->nf.ack_url == NULL || e->nf.ack_secret == NULL ||
	    strlen(e->nf.ack_secret) < 16)
		return dg_error_set(err, DG_EDATA, c->file, 0, "ack_secret",
		    "ack_url and ack_secret (16 characters or more) are "
		    "required: the acknowledgement links");
	return conf_params(e, err);
}

/* Another run that sends holds LEDGER.lock: exit 75 at once. */
static int
lock_runs(struct env *e, struct dg_error *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s.lock", e->o->ledger);
	if ((e->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) < 0)
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	if (flock(e->lockfd, LOCK_EX | LOCK_NB) != 0) {
		dg_cli_warn("another dg-notify run holds %s: nothing done",
		    path);
		exit(DG_EX_TEMPFAIL);
	}
	return DG_OK;
}

/* Every file is read and checked before anything is sent. */
static int
env_load(struct env *e, struct opts *o, struct dg_error *err)
{
	int st;

	memset(e, 0, sizeof(*e));
	e->o = o;
	e->lockfd = -1;
	if ((st = conf_read(e, err)) != DG_OK ||
	    (st = dg_contacts_read(&e->contacts, o->contacts, &o->cli.aux,
	    err)) != DG_OK ||
	    (st = dg_templates_read(&e->tmpl, o->templates, err)) != DG_OK)
		return st;
	if (o->sites && (st = dg_sites_read(&e->sites, o->sites, &o->cli.aux,
	    err)) != DG_OK)
		return st;
	e->have_sites = o->sites != NULL;
	if (o->notices && (st = dg_notify_sched_read(o->notices, &o->cli.csv,
	    &e->sched, &e->nsched, err)) != DG_OK)
		return st;
	if (!o->dry && (st = lock_runs(e, err)) != DG_OK)
		return st;
	e->nf.par = &e->par;
	e->nf.contacts = &e->contacts;
	e->nf.tmpl = &e->tmpl;
	e->nf.sites = e->have_sites ? &e->sites : NULL;
	e->nf.clock = now_fn;
	e->nf.clock_arg = o;
	if (!o->dry && (st = dg_sender_open(&e->nf.sender, &e->nc, err)) !=
	    DG_OK)
		return st;
	e->loaded = 1;
	return dg_notifier_load(&e->nf, o->ledger, !o->dry, err);
}

static void
env_release(struct env *e)
{
	if (e->loaded)
		dg_notifier_release(&e->nf);
	dg_sender_close(e->nf.sender);
	dg_conf_release(&e->conf);
	dg_contacts_release(&e->contacts);
	dg_templates_release(&e->tmpl);
	if (e->have_sites)
		dg_sites_release(&e->sites);
	dg_notify_sched_free(e->sched, e->nsched);
	if (e->lockfd >= 0)
		close(e->lockfd);
}

/* --- send, run ------------------------------------------------------------ */

static void
summary(const struct env *e)
{
	const struct dg_notify_counts *c = &e->nf.counts;

	dg_cli_warn("%s%s%ld notice%s opened; %ld sent%s, %ld delivered, %ld "
	    "retried, %ld bounced, %ld skipped, %ld escalated, %ld "
	    "unacknowledged; %ld wait for an acknowledgement",
	    e->o->dry ? "dry run (nothing sent, nothing recorded): " : "",
	    "", c->opened, c->opened == 1 ? "" : "s", c->sent,
	    c->resent ? " (some again after a crash)" : "", c->delivered,
	    c->retried, c->bounced, c->skipped, c->escalated, c->unacked,
	    c->waiting);
}

/* send, run: with -n, what would be sent is the output (-o FILE or
 * standard output), opened once every file is read. */
static int
run_pass(struct opts *o, int open)
{
	static const char *const hdr[] = { "notice", "site", "person",
		"channel", "to", "subject" };
	struct dg_error err;
	struct env e;
	struct dg_csvw w;
	struct dg_out *out = NULL;
	int st;

	dg_error_clear(&err);
	if ((st = env_load(&e, o, &err)) == DG_OK && o->dry) {
		out = dg_cli_open_output(&o->cli, &w);
		e.nf.dry = &w;
		st = dg_csvw_header(&w, hdr, 6);
	}
	if (st == DG_OK && open && o->pending)
		st = dg_notifier_open_pending(&e.nf, o->now, &err);
	else if (st == DG_OK && open)
		st = dg_notifier_open(&e.nf, o->event, e.sched, e.nsched, &err);
	if (st == DG_OK)
		st = dg_notifier_pass(&e.nf, &err);
	if (st == DG_OK)
		summary(&e);
	env_release(&e);
	if (out != NULL)
		return dg_cli_finish(out, st, &err);
	return st == DG_OK ? DG_EX_OK : dg_cli_report(&err);
}

/* --- ack, list ------------------------------------------------------------ */

static int
run_ack(struct opts *o)
{
	struct dg_notifier nf;
	struct dg_notifier_params par;
	struct dg_notice *n;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	memset(&nf, 0, sizeof(nf));
	dg_notifier_params_init(&par);
	nf.par = &par;
	nf.clock = now_fn;
	nf.clock_arg = o;
	if ((st = dg_notifier_load(&nf, o->ledger, 1, &err)) == DG_OK) {
		if ((n = dg_notices_find(&nf.ns, o->notice)) == NULL)
			st = dg_error_set(&err, DG_EDATA, o->ledger, 0, NULL,
			    "no notice \"%s\"", o->notice);
		else if (n->acked)
			dg_cli_warn("%s: acknowledged already%s%s", n->id,
			    n->acked_by[0] ? " by " : "", n->acked_by);
		else if ((st = dg_notifier_ack(&nf, n, o->by ? o->by : "",
		    "manual", "entered by hand", &err)) == DG_OK)
			dg_cli_warn("%s: acknowledged", n->id);
	}
	dg_notifier_release(&nf);
	return st == DG_OK ? DG_EX_OK : dg_cli_report(&err);
}

static const char *
status_of(const struct dg_notice *n, const struct dg_notice_try **last)
{
	*last = NULL;
	for (size_t i = 0; i < n->ntries; i++)
		if (n->tries[i].state == DG_TRY_DELIVERED &&
		    (*last == NULL || n->tries[i].at >= (*last)->at))
			*last = &n->tries[i];
	if (n->acked)
		return "acknowledged";
	if (n->unacked)
		return "unacknowledged";
	return *last ? "delivered" : n->ntries ? "sending" : "open";
}

static int
list_notice(struct dg_csvw *w, const struct dg_notice *n)
{
	const struct dg_notice_try *d;

	dg_csvw_str(w, n->id);
	dg_csvw_str(w, n->event);
	dg_csvw_str(w, n->site);
	dg_csvw_str(w, dg_notice_kind_name(n->kind));
	dg_csvw_str(w, status_of(n, &d));
	dg_csvw_str(w, d ? d->person : "");
	dg_csvw_str(w, d ? dg_channel_name(d->channel) : "");
	if (d)
		dg_csvw_time(w, d->at);
	else
		dg_csvw_empty(w);
	dg_csvw_str(w, n->acked ? n->acked_by : "");
	if (n->acked)
		dg_csvw_time(w, n->acked_at);
	else
		dg_csvw_empty(w);
	return dg_csvw_end_row(w);
}

static int
run_list(struct opts *o)
{
	static const char *const hdr[] = { "notice", "event", "site", "kind",
		"status", "person", "channel", "delivered", "acked_by",
		"acked" };
	struct dg_notifier nf;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	memset(&nf, 0, sizeof(nf));
	if ((st = dg_notifier_load(&nf, o->ledger, 0, &err)) != DG_OK) {
		dg_notifier_release(&nf);
		return dg_cli_report(&err);
	}
	out = dg_cli_open_output(&o->cli, &w);
	st = dg_csvw_header(&w, hdr, 10);
	for (size_t i = 0; i < nf.ns.n && st == DG_OK; i++)
		if (o->event == NULL || strcmp(o->event, nf.ns.v[i].event) == 0)
			st = list_notice(&w, &nf.ns.v[i]);
	dg_notifier_release(&nf);
	return dg_cli_finish(out, st, &err);
}

/* --- serve: the acknowledgement links ------------------------------------ */

static int
serve_listen(const char *addr, int *fd, struct dg_error *err)
{
	char host[256], *colon;
	struct addrinfo hints, *ai = NULL;
	int one = 1, rc;

	snprintf(host, sizeof(host), "%s", addr ? addr : "");
	if ((colon = strrchr(host, ':')) == NULL)
		return dg_error_set(err, DG_EDATA, NULL, 0, "serve_address",
		    "HOST:PORT is needed: \"%s\"", host);
	*colon = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)) != 0)
		return dg_error_set(err, DG_EDATA, NULL, 0, "serve_address",
		    "%s: %s", addr, gai_strerror(rc));
	*fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (*fd < 0 || setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) != 0 || bind(*fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(*fd, 16) != 0) {
		rc = errno;
		freeaddrinfo(ai);
		return dg_error_set(err, DG_ECREATE, NULL, 0, NULL,
		    "cannot listen on %s: %s", addr, strerror(rc));
	}
	freeaddrinfo(ai);
	return DG_OK;
}

/* The request's target when it is "GET TARGET HTTP/1.x", else NULL. */
static char *
request_target(char *req)
{
	char *sp, *end;

	if (strncmp(req, "GET ", 4) != 0 ||
	    (sp = strchr(req + 4, ' ')) == NULL ||
	    strncmp(sp, " HTTP/1.", 8) != 0 ||
	    (end = strstr(req, "\r\n")) == NULL || end < sp)
		return NULL;
	*sp = '\0';
	return req + 4;
}

/* An acknowledgement by link: 200 once the record is written, 404 for
 * anything else (an unknown notice, a wrong token: the same answer). */
static int
serve_ack(struct env *e, const char *target, const char *peer, char *msg,
    size_t n)
{
	char id[600], tok[33], want[33];
	struct dg_error err;
	struct dg_notice *no;
	int st, diff = 0;

	if (dg_notify_ack_path(target, id, sizeof(id), tok) != DG_OK)
		return 404;
	dg_notice_token(e->nf.ack_secret, id, want);
	for (int i = 0; i < 32; i++)
		diff |= want[i] ^ tok[i];
	if (diff != 0)
		return 404;
	memset(&e->nf.counts, 0, sizeof(e->nf.counts));
	if ((st = dg_notifier_load(&e->nf, e->o->ledger, 1, &err)) == DG_OK &&
	    (no = dg_notices_find(&e->nf.ns, id)) != NULL) {
		if (!no->acked)
			st = dg_notifier_ack(&e->nf, no, "", "link", peer,
			    &err);
		snprintf(msg, n, "acknowledged: %s\n", id);
	} else if (st == DG_OK)
		st = DG_EOF;
	dg_notifier_release(&e->nf);
	if (st != DG_OK && st != DG_EOF)
		dg_cli_report(&err);
	return st == DG_OK ? 200 : st == DG_EOF ? 404 : 500;
}

static void
serve_one(struct env *e, int fd, const char *peer)
{
	char req[8192], msg[700] = "not found\n", head[256];
	size_t k = 0;
	ssize_t got;
	char *target = NULL;
	int code = 404;

	while (k < sizeof(req) - 1 && (got = read(fd, req + k,
	    sizeof(req) - 1 - k)) > 0) {
		k += (size_t)got;
		req[k] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[k] = '\0';
	if ((target = request_target(req)) != NULL)
		code = serve_ack(e, target, peer, msg, sizeof(msg));
	if (code == 500)
		snprintf(msg, sizeof(msg), "the ledger cannot be written\n");
	snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: "
	    "text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
	    code, code == 200 ? "OK" : code == 404 ? "Not Found" :
	    "Internal Server Error", strlen(msg));
	if (write(fd, head, strlen(head)) < 0 ||
	    write(fd, msg, strlen(msg)) < 0)
		code = -code;
	dg_cli_warn("serve: %s %s %d", peer, target ? target : "-", code);
}

static void
serve_loop(struct env *e, int lfd)
{
	struct timeval tv = { 5, 0 };

	for (;;) {
		struct sockaddr_storage sa;
		socklen_t sl = sizeof(sa);
		char host[128] = "?", port[16] = "";
		int fd = accept(lfd, (struct sockaddr *)&sa, &sl);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			dg_cli_die(DG_EIO, "serve: accept: %s",
			    strerror(errno));
		}
		getnameinfo((struct sockaddr *)&sa, sl, host, sizeof(host),
		    port, sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		serve_one(e, fd, host);
		close(fd);
	}
}

static int
run_serve(struct opts *o)
{
	struct dg_error err;
	struct sockaddr_storage sa;
	socklen_t sl = sizeof(sa);
	char host[128], port[16];
	struct env e;
	int st, lfd = -1;

	dg_error_clear(&err);
	memset(&e, 0, sizeof(e));
	e.o = o;
	dg_notifier_params_init(&e.par);
	e.nf.par = &e.par;
	e.nf.clock = now_fn;
	e.nf.clock_arg = o;
	if ((st = conf_read(&e, &err)) != DG_OK ||
	    (st = serve_listen(dg_conf_get(&e.conf, "serve_address", NULL),
	    &lfd, &err)) != DG_OK) {
		dg_conf_release(&e.conf);
		return dg_cli_report(&err);
	}
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	getnameinfo((struct sockaddr *)&sa, sl, host, sizeof(host), port,
	    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
	dg_cli_warn("serving acknowledgements on %s:%s", host, port);
	serve_loop(&e, lfd);
	return DG_EX_SOFTWARE;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	switch (o.cmd) {
	case CMD_SEND:		return run_pass(&o, 1);
	case CMD_RUN:		return run_pass(&o, 0);
	case CMD_ACK:		return run_ack(&o);
	case CMD_SERVE:		return run_serve(&o);
	case CMD_LIST:		return run_list(&o);
	}
	return DG_EX_SOFTWARE;
}
