/* dg-event: the event ledger: an event's notices recorded as they arrive
 * (typed by a dispatcher, a CSV or e-mail notice, OpenADR 3 as a VEN),
 * checked, listed, and exported as the events file of dg-cbl, dg-ucap and
 * dg-settle. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dg_intake.h"
#include "dg_ledger.h"
#include "dg_openadr.h"
#include "dg_util.h"

enum {
	OPT_LEDGER = DG_OPT_FIRST_OWN,
	OPT_KIND,
	OPT_EVENT,
	OPT_PROGRAM,
	OPT_ZONE,
	OPT_SITE,
	OPT_DATE,
	OPT_START,
	OPT_END,
	OPT_RECEIVED,
	OPT_SOURCE,
	OPT_NOTE,
	OPT_NOW,
	OPT_FORMAT,
	OPT_FROM,
	OPT_TO,
	OPT_MANIFEST,
	OPT_CONFIG,
	OPT_INTERVAL,
	OPT_COUNT
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "ledger", required_argument, NULL, OPT_LEDGER },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "program", required_argument, NULL, OPT_PROGRAM },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "start", required_argument, NULL, OPT_START },
	{ "end", required_argument, NULL, OPT_END },
	{ "received", required_argument, NULL, OPT_RECEIVED },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "note", required_argument, NULL, OPT_NOTE },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-event add --ledger FILE --kind KIND --event ID [--program NAME]\n"
"           [--zone NAME] [--site SITE ...] [--date DATE] [--start HH:MM]\n"
"           [--end HH:MM] [--received STAMP] [--source NAME] [--note TEXT]\n"
"           [--now STAMP] [--tz ZONE]\n"
"       dg-event import --ledger FILE [--format csv | email] [--now STAMP]\n"
"           [--tz ZONE] FILE...\n"
"       dg-event import --ledger FILE --format schedule --event ID\n"
"           --program NAME [--now STAMP] [--tz ZONE] [--in-tz ZONE]\n"
"           [-d DELIM] FILE\n"
"       dg-event openadr --ledger FILE --config FILE [--interval SEC]\n"
"           [--count N] [--now STAMP] [--tz ZONE]\n"
"       dg-event report --ledger FILE --config FILE --event ID [--now STAMP]\n"
"           [--tz ZONE] [--in-tz ZONE] [-d DELIM] [FILE]\n"
"       dg-event export --ledger FILE [--from DATE --to DATE]\n"
"           [--manifest FILE] [common options]\n"
"       dg-event list --ledger FILE [--event ID] [common options]\n"
"       dg-event verify FILE...\n"
DG_CLI_USAGE);
	exit(status);
}

#define MAXSITES 256

enum cmd { CMD_ADD, CMD_IMPORT, CMD_OPENADR, CMD_REPORT, CMD_EXPORT,
	CMD_LIST, CMD_VERIFY };

struct opts {
	struct dg_cli cli;
	enum cmd cmd;
	const char *ledger, *event, *program, *zone, *date, *start, *end;
	const char *source, *note, *manifest, *config;
	const char *now_arg, *received_arg;	/* --now, --received */
	const char *sites[MAXSITES];
	size_t nsites;
	int kind, email, dates, count;
	double interval;
	dg_time now, received;
	dg_date from, to;
	char **files;		/* operands */
	int nfiles, argc;
	char **argv;
};

static const char *const cmd_names[] = { "add", "import", "openadr",
	"report", "export", "list", "verify", NULL };

static enum cmd
parse_sub(const char *sub)
{
	for (int i = 0; cmd_names[i]; i++)
		if (strcmp(sub, cmd_names[i]) == 0)
			return (enum cmd)i;
	dg_cli_warn("unknown command \"%s\"", sub);
	usage(stderr, DG_EX_USAGE);
	return CMD_ADD;
}

static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const kinds[] = { "standby", "call", "change",
		"cancel", "allclear", NULL };
	static const char *const formats[] = { "csv", "email", "schedule",
		NULL };

	switch (c) {
	case OPT_LEDGER:	o->ledger = arg; break;
	case OPT_KIND:
		o->kind = dg_cli_keyword_arg("--kind", arg, kinds, usage);
		break;
	case OPT_EVENT:		o->event = arg; break;
	case OPT_PROGRAM:	o->program = arg; break;
	case OPT_ZONE:		o->zone = arg; break;
	case OPT_SITE:
		if (o->nsites == MAXSITES)
			dg_cli_die(DG_EINVAL, "--site: at most %d", MAXSITES);
		o->sites[o->nsites++] = arg;
		break;
	case OPT_DATE:		o->date = arg; break;
	case OPT_START:		o->start = arg; break;
	case OPT_END:		o->end = arg; break;
	case OPT_SOURCE:	o->source = arg; break;
	case OPT_NOTE:		o->note = arg; break;
	case OPT_MANIFEST:	o->manifest = arg; break;
	case OPT_CONFIG:	o->config = arg; break;
	case OPT_FORMAT:
		o->email = dg_cli_keyword_arg("--format", arg, formats, usage);
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
value_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_NOW:		o->now_arg = arg; break;
	case OPT_RECEIVED:	o->received_arg = arg; break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		o->dates |= 1;
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		o->dates |= 2;
		break;
	case OPT_INTERVAL:
		o->interval = dg_cli_double_arg("--interval", arg, 0, 86400,
		    usage);
		break;
	case OPT_COUNT:
		o->count = dg_cli_int_arg("--count", arg, 1, 1000000, usage);
		break;
	default:
		own_option(o, c, arg);
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
	if (o->cmd != CMD_VERIFY)
		need(o->ledger, "--ledger");
	if (o->cmd == CMD_ADD) {
		need(o->event, "--event");
		if (o->kind < 0)
			need(NULL, "--kind");
	}
	if (o->cmd != CMD_EXPORT && o->cmd != CMD_LIST)
		dg_cli_no_output(&o->cli, cmd_names[o->cmd], usage);
	if (o->cmd == CMD_OPENADR || o->cmd == CMD_REPORT)
		need(o->config, "--config");
	if (o->cmd == CMD_REPORT || (o->cmd == CMD_IMPORT && o->email == 2))
		need(o->event, "--event");
	if (o->cmd == CMD_IMPORT && o->email == 2)
		need(o->program, "--program");
	if (o->dates != 0 && o->dates != 3) {
		dg_cli_warn("--from and --to go together");
		usage(stderr, DG_EX_USAGE);
	}
	if ((o->cmd == CMD_IMPORT || o->cmd == CMD_VERIFY) && o->nfiles == 0)
		usage(stderr, DG_EX_USAGE);
	if (o->nfiles > (o->cmd == CMD_REPORT) && o->cmd != CMD_IMPORT &&
	    o->cmd != CMD_VERIFY)
		usage(stderr, DG_EX_USAGE);
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-event");
	o->kind = -1;
	o->interval = 60;
	o->argc = argc;
	o->argv = argv;
	if (argc > 1 && strcmp(argv[1], "-h") != 0 &&
	    strcmp(argv[1], "--help") != 0 &&
	    strcmp(argv[1], "--version") != 0) {
		o->cmd = parse_sub(argv[1]);
		argv++;
		argc--;
	} else if (argc < 2) {
		usage(stderr, DG_EX_USAGE);
	}
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			value_option(o, c, optarg);
	o->files = argv + optind;
	o->nfiles = argc - optind;
	o->now = o->now_arg ? dg_cli_stamp_arg(&o->cli, "--now", o->now_arg,
	    usage) : (dg_time)time(NULL);
	o->received = o->received_arg ? dg_cli_stamp_arg(&o->cli,
	    "--received", o->received_arg, usage) : o->now;
	check_opts(o);
}

/* --- add, import: records checked against the ledger, then appended -- */

/* The (source, ref) pairs the ledger holds: a notice read twice. */
struct refs {
	char **v;
	size_t n, cap;
	struct dg_ledger_events es;
};

static int
refs_fn(void *arg, const struct dg_ledger_rec *r, struct dg_error *err)
{
	struct refs *x = arg;
	char *s;

	if (r->ref[0] && r->source[0] && dg_ledger_kind_is_event(r->kind)) {
		size_t n = strlen(r->source) + strlen(r->ref) + 2;

		if (dg_grow(&x->v, &x->cap, x->n + 1, sizeof(char *)) != 0 ||
		    (s = malloc(n)) == NULL)
			return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		snprintf(s, n, "%s %s", r->source, r->ref);
		x->v[x->n++] = s;
	}
	return dg_ledger_events_add(&x->es, r, err);
}

static int
refs_has(const struct refs *x, const char *source, const char *ref)
{
	size_t n = strlen(source);

	for (size_t i = 0; ref && i < x->n; i++)
		if (strncmp(x->v[i], source, n) == 0 && x->v[i][n] == ' ' &&
		    strcmp(x->v[i] + n + 1, ref) == 0)
			return 1;
	return 0;
}

static void
refs_release(struct refs *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->v[i]);
	free(x->v);
	dg_ledger_events_release(&x->es);
}

/* Makes records once the ledger is read (OpenADR: from what it holds). */
typedef int (*builder)(void *arg, struct refs *x, struct dg_intake *in,
    struct dg_error *err);

/* Appends the records that are new (not read before) once each is
 * checked against the events as the ledger leaves them.  *added, *old:
 * how many were appended and how many the ledger had. */
static int
append_new(struct dg_ledger *l, const char *path, struct dg_intake *in,
    builder make, void *arg, size_t *added, size_t *old,
    struct dg_error *err)
{
	struct refs x;
	size_t k = 0;
	int st;

	memset(&x, 0, sizeof(x));
	dg_ledger_events_init(&x.es, path);
	st = dg_ledger_read(path, 1, refs_fn, &x, NULL, NULL, err);
	if (st == DG_OK && make != NULL)
		st = make(arg, &x, in, err);
	/* the new records are checked as the ledger would hold them, but
	 * named by what they say, not by a line they do not have yet */
	free(x.es.file);
	x.es.file = NULL;
	for (size_t i = 0; i < in->n && st == DG_OK; i++) {
		if (in->v[i].source && refs_has(&x, in->v[i].source,
		    in->v[i].ref))
			continue;
		if ((st = dg_ledger_events_add(&x.es, &in->v[i], err)) == DG_OK)
			in->v[k++] = in->v[i];
	}
	*old = in->n - k;
	*added = k;
	if (st == DG_OK && k > 0)
		st = dg_ledger_append(l, in->v, k, 1, err);
	refs_release(&x);
	return st;
}

/* Locks the ledger, appends what is new, reports. */
static int
record(struct opts *o, struct dg_intake *in, builder make, void *arg,
    const char *what, struct dg_error *err)
{
	struct dg_ledger *l;
	size_t added = 0, old = 0;
	int st;

	if ((st = dg_ledger_open(&l, o->ledger, err)) != DG_OK)
		return st;
	if ((st = dg_ledger_lock(l, err)) == DG_OK) {
		if (dg_ledger_torn(l) > 0)
			dg_cli_warn("%s: a torn last line (%ld bytes, a write "
			    "cut short) removed", o->ledger, dg_ledger_torn(l));
		st = append_new(l, o->ledger, in, make, arg, &added, &old, err);
		dg_ledger_unlock(l, NULL);
	}
	if (st == DG_OK)
		dg_cli_warn("%s: %zu record%s added, %zu in the ledger already "
		    "(it has %ld)", what, added, added == 1 ? "" : "s", old,
		    dg_ledger_count(l));
	dg_ledger_close(l);
	return st;
}

/* The date of --start and --end: --date, else the event's. */
static int
add_date(const struct opts *o, dg_date *d, struct dg_error *err)
{
	struct dg_ledger_events es;
	const struct dg_ledger_event *e;
	int st;

	if (o->date != NULL) {
		*d = dg_cli_date_arg("--date", o->date, usage);
		return DG_OK;
	}
	if ((st = dg_ledger_read(o->ledger, 1, NULL, NULL, NULL, NULL, err)) !=
	    DG_OK)
		return st;
	if ((st = dg_ledger_events_read(&es, o->ledger, err)) == DG_OK &&
	    ((e = dg_ledger_events_find(&es, o->event)) == NULL ||
	    e->start == DG_LEDGER_NOTIME))
		st = dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "--date is needed: event \"%s\" has no date yet", o->event);
	else if (st == DG_OK)
		*d = dg_date_of(e->start);
	dg_ledger_events_release(&es);
	return st;
}

static int
add_times(const struct opts *o, struct dg_ledger_rec *r, struct dg_error *err)
{
	const char *why;
	dg_date d = 0;
	int st;

	if (o->start == NULL && o->end == NULL)
		return DG_OK;
	if (access(o->ledger, F_OK) != 0 && o->date == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "--date is needed: event \"%s\" has no date yet", o->event);
	if ((st = add_date(o, &d, err)) != DG_OK)
		return st;
	if (o->start && dg_intake_clock(d, o->start, 0, &r->start, &why))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "--start: %s: \"%s\"", why, o->start);
	if (o->end && dg_intake_clock(d, o->end, 1, &r->end, &why))
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "--end: %s: \"%s\"", why, o->end);
	return DG_OK;
}

static int
run_add(struct opts *o)
{
	struct dg_intake in;
	struct dg_ledger_rec base;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	dg_intake_init(&in);
	dg_ledger_rec_init(&base, o->kind, o->now);
	base.event = o->event;
	base.program = o->program;
	base.zone = o->zone;
	base.received = o->received;
	base.source = o->source ? o->source : "manual";
	base.detail = o->note;
	st = add_times(o, &base, &err);
	for (size_t i = 0; st == DG_OK && i < (o->nsites ? o->nsites : 1);
	    i++) {
		struct dg_ledger_rec *r = dg_intake_add(&in, o->kind, o->now);

		if (r == NULL)
			st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		else {
			*r = base;
			r->site = o->nsites ? o->sites[i] : NULL;
		}
	}
	if (st == DG_OK)
		st = record(o, &in, NULL, NULL, o->event, &err);
	dg_intake_release(&in);
	return st == DG_OK ? DG_EX_OK : dg_cli_report(&err);
}

static int
run_import(struct opts *o)
{
	struct dg_error err;
	int st = DG_OK;

	dg_error_clear(&err);
	for (int i = 0; i < o->nfiles && st == DG_OK; i++) {
		struct dg_intake in;

		dg_intake_init(&in);
		if (o->email == 2)
			st = dg_intake_schedule(&in, o->files[i], &o->cli.csv,
			    o->event, o->program, o->now, &err);
		else if (o->email)
			st = dg_intake_email(&in, o->files[i], o->now, &err);
		else
			st = dg_intake_csv(&in, o->files[i], &o->cli.aux,
			    o->now, &err);
		if (st == DG_OK)
			st = record(o, &in, NULL, NULL, o->files[i], &err);
		dg_intake_release(&in);
	}
	return st == DG_OK ? DG_EX_OK : dg_cli_report(&err);
}

/* --- openadr, report -------------------------------------------------- */

struct poll {
	const struct dg_oadr_conf *conf;
	const struct dg_oadr_event *v;
	size_t n;
	dg_time now;
};

static int
seen(void *arg, const char *ref)
{
	return refs_has(arg, "openadr", ref);
}

static int
poll_records(void *arg, struct refs *x, struct dg_intake *in,
    struct dg_error *err)
{
	struct poll *p = arg;

	return dg_oadr_records(p->conf, &x->es, seen, x, p->v, p->n, p->now, in,
	    err);
}

/* One poll: the VTN's events, the ledger's records of them. */
static int
poll_once(struct opts *o, struct dg_oadr *s, dg_time now,
    struct dg_error *err)
{
	struct poll p = { s->conf, NULL, 0, now };
	struct dg_oadr_event *v;
	struct dg_intake in;
	char what[300];
	int st;

	if ((st = dg_oadr_poll(s, &v, &p.n, err)) != DG_OK)
		return st;
	p.v = v;
	if (s->skipped > 0)
		dg_cli_warn("openadr: %zu event%s without an end left out",
		    s->skipped, s->skipped == 1 ? "" : "s");
	snprintf(what, sizeof(what), "openadr: %zu event%s on the VTN", p.n,
	    p.n == 1 ? "" : "s");
	dg_intake_init(&in);
	st = record(o, &in, poll_records, &p, what, err);
	dg_intake_release(&in);
	dg_oadr_events_free(v, p.n);
	return st;
}

static int
run_openadr(struct opts *o)
{
	struct dg_oadr_conf c;
	struct dg_oadr s;
	struct dg_error err;
	struct timespec t0, t1;
	int st, n = o->count ? o->count : 1;

	dg_error_clear(&err);
	if ((st = dg_oadr_conf_read(&c, o->config, &err)) != DG_OK ||
	    (st = dg_oadr_open(&s, &c, &err)) != DG_OK) {
		dg_oadr_conf_release(&c);
		return dg_cli_report(&err);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n && st == DG_OK; i++) {
		if (i > 0)
			nanosleep(&(struct timespec){ (time_t)o->interval,
			    (long)((o->interval - (time_t)o->interval) * 1e9) },
			    NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		st = poll_once(o, &s, o->now + (t1.tv_sec - t0.tv_sec), &err);
	}
	if (st == DG_OK)
		dg_cli_warn("openadr: %ld token%s obtained", s.ntokens,
		    s.ntokens == 1 ? "" : "s");
	dg_oadr_close(&s);
	dg_oadr_conf_release(&c);
	return st == DG_OK ? DG_EX_OK : dg_cli_report(&err);
}

/* The report of an event, posted; its id recorded in the ledger. */
static int
report_post(struct opts *o, const struct dg_oadr_conf *c,
    const struct dg_ledger_event *e, struct dg_error *err)
{
	struct dg_oadr s;
	struct dg_intake in;
	struct dg_ledger_rec *r;
	size_t ns, ni;
	char *json = NULL, *id = NULL, detail[200];
	const char *input = o->nfiles ? o->files[0] : "-";
	int st;

	dg_intake_init(&in);
	st = dg_oadr_report_json(c, e, input, &o->cli.csv, &json, &ns, &ni,
	    err);
	if (st == DG_OK && (st = dg_oadr_open(&s, c, err)) == DG_OK) {
		st = dg_oadr_post_report(&s, json, &id, err);
		dg_oadr_close(&s);
	}
	snprintf(detail, sizeof(detail), "%zu site%s, %zu interval%s", ns,
	    ns == 1 ? "" : "s", ni, ni == 1 ? "" : "s");
	if (st == DG_OK && (r = dg_intake_add(&in, DG_LK_REPORT, o->now))) {
		r->event = e->id;
		r->source = "openadr";
		r->ref = id;
		r->detail = detail;
		st = record(o, &in, NULL, NULL, "openadr: report posted", err);
	}
	free(json);
	free(id);
	dg_intake_release(&in);
	return st;
}

static int
run_report(struct opts *o)
{
	struct dg_oadr_conf c;
	struct dg_ledger_events es;
	const struct dg_ledger_event *e;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	memset(&c, 0, sizeof(c));
	if ((st = dg_ledger_events_read(&es, o->ledger, &err)) == DG_OK &&
	    (st = dg_oadr_conf_read(&c, o->config, &err)) == DG_OK) {
		if ((e = dg_ledger_events_find(&es, o->event)) == NULL)
			st = dg_error_set(&err, DG_EDATA, o->ledger, 0, NULL,
			    "no event \"%s\"", o->event);
		else
			st = report_post(o, &c, e, &err);
	}
	dg_ledger_events_release(&es);
	dg_oadr_conf_release(&c);
	return st == DG_OK ? DG_EX_OK : dg_cli_report(&err);
}

/* --- export, list, verify --------------------------------------------- */

static int
run_export(struct opts *o)
{
	struct dg_ledger_events es;
	struct dg_cli_manifest mr;
	struct dg_out *out[2] = { NULL, NULL };
	struct dg_csvw w;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	dg_cli_manifest_init(&mr, "dg-event", o->manifest, o->argc, o->argv);
	dg_cli_manifest_input(&mr, "ledger", o->ledger);
	st = dg_ledger_events_read(&es, o->ledger, &err);
	if (st == DG_OK) {
		out[0] = dg_cli_open_output(&o->cli, &w);
		if ((st = dg_cli_manifest_open(&mr, &err)) == DG_OK) {
			out[1] = mr.out;
			mr.out = NULL;
		}
	}
	if (st == DG_OK)
		st = dg_ledger_export(&es, o->dates ? o->from : INT32_MIN,
		    o->dates ? o->to : INT32_MAX, &w, &err);
	if (st == DG_OK && out[1] != NULL) {
		static const char *const roles[1] = { "events" };
		const char *names[1] = { o->cli.output };

		mr.out = out[1];
		st = dg_cli_manifest_write(&mr, out, names, roles, 1, &err);
		mr.out = NULL;
	}
	dg_ledger_events_release(&es);
	dg_cli_manifest_release(&mr);
	if (out[0] == NULL)
		return dg_cli_report(&err);
	return dg_cli_finish_all(out, 2, st, &err);
}

static void
put_opt_time(struct dg_csvw *w, dg_time t)
{
	if (t == DG_LEDGER_NOTIME)
		dg_csvw_empty(w);
	else
		dg_csvw_time(w, t);
}

static int
list_event(struct dg_csvw *w, const struct dg_ledger_event *e)
{
	char sites[4096] = "";
	size_t k = 0;

	for (size_t i = 0; i < e->nsites; i++) {
		int n = snprintf(sites + k, sizeof(sites) - k, "%s%s",
		    i ? ";" : "", e->sites[i]);

		if (n < 0 || (size_t)n >= sizeof(sites) - k)
			break;
		k += (size_t)n;
	}
	dg_csvw_str(w, e->id);
	dg_csvw_str(w, e->program);
	dg_csvw_str(w, e->zone ? e->zone : "");
	dg_csvw_str(w, dg_ledger_status_name(e->status));
	put_opt_time(w, e->start);
	put_opt_time(w, e->end);
	dg_csvw_str(w, sites);
	put_opt_time(w, e->notice);
	dg_csvw_str(w, dg_ledger_kind_name(e->last_kind));
	dg_csvw_int(w, e->last_seq);
	return dg_csvw_end_row(w);
}

static int
run_list(struct opts *o)
{
	static const char *const hdr[] = { "event", "program", "zone", "status",
		"start", "end", "sites", "notice", "last", "last_seq" };
	struct dg_ledger_events es;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_error err;
	int st;

	dg_error_clear(&err);
	if ((st = dg_ledger_events_read(&es, o->ledger, &err)) != DG_OK) {
		dg_ledger_events_release(&es);
		return dg_cli_report(&err);
	}
	out = dg_cli_open_output(&o->cli, &w);
	st = dg_csvw_header(&w, hdr, 10);
	for (size_t i = 0; i < es.n && st == DG_OK; i++)
		if (o->event == NULL || strcmp(o->event, es.v[i].id) == 0)
			st = list_event(&w, &es.v[i]);
	dg_ledger_events_release(&es);
	return dg_cli_finish(out, st, &err);
}

static int
run_verify(struct opts *o)
{
	char head[DG_LEDGER_HEX];
	struct dg_error err;
	long n;
	int bad = 0;

	for (int i = 0; i < o->nfiles; i++) {
		dg_error_clear(&err);
		if (dg_ledger_read(o->files[i], 0, NULL, NULL, &n, head,
		    &err) != DG_OK) {
			bad = dg_cli_report(&err);
			continue;
		}
		printf("%s: %ld record%s, every one sealed and chained; last "
		    "hash %s\n", o->files[i], n, n == 1 ? "" : "s", head);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		dg_cli_die(DG_EIO, "standard output: write error");
	return bad;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	switch (o.cmd) {
	case CMD_ADD:		return run_add(&o);
	case CMD_IMPORT:	return run_import(&o);
	case CMD_OPENADR:	return run_openadr(&o);
	case CMD_REPORT:	return run_report(&o);
	case CMD_EXPORT:	return run_export(&o);
	case CMD_LIST:		return run_list(&o);
	case CMD_VERIFY:	return run_verify(&o);
	}
	return DG_EX_SOFTWARE;
}
