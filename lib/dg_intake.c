/* dg_intake.c: notices (typed, CSV, e-mail) to ledger records (see
 * dg_intake.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_intake.h"
#include "dg_notify.h"
#include "dg_util.h"

void
dg_intake_init(struct dg_intake *in)
{
	memset(in, 0, sizeof(*in));
}

void
dg_intake_release(struct dg_intake *in)
{
	for (size_t i = 0; i < in->npool; i++)
		free(in->pool[i]);
	free(in->pool);
	free(in->v);
	memset(in, 0, sizeof(*in));
}

const char *
dg_intake_str(struct dg_intake *in, const char *s)
{
	char *p;

	if (s == NULL)
		return NULL;
	if (dg_grow(&in->pool, &in->cappool, in->npool + 1,
	    sizeof(char *)) != 0 ||
	    (p = strdup(s)) == NULL)
		return NULL;
	in->pool[in->npool++] = p;
	return p;
}

struct dg_ledger_rec *
dg_intake_add(struct dg_intake *in, int kind, dg_time recorded)
{
	if (dg_grow(&in->v, &in->cap, in->n + 1, sizeof(*in->v)) != 0)
		return NULL;
	dg_ledger_rec_init(&in->v[in->n], kind, recorded);
	return &in->v[in->n++];
}

int
dg_intake_clock(dg_date d, const char *s, int end, dg_time *t,
    const char **why)
{
	int y, mo, dd, h, m;

	if (strlen(s) != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4])) {
		*why = "not a clock time HH:MM";
		return DG_EDATA;
	}
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end))) {
		*why = end ? "not a clock time HH:MM (up to 24:00)" :
		    "not a clock time HH:MM";
		return DG_EDATA;
	}
	if (h == 24)
		return dg_date_start(d + 1, t);
	dg_date_to_ymd(d, &y, &mo, &dd);
	if (dg_time_from_local(y, mo, dd, h, m, 0, t) != DG_OK) {
		*why = "no such local time on that date (skipped by daylight "
		    "saving)";
		return DG_EDATA;
	}
	return DG_OK;
}

/* --- CSV notices ------------------------------------------------------ */

enum { C_EVENT, C_PROGRAM, C_DATE, C_START, C_END, C_SITE, C_KIND, C_ZONE,
	C_RECEIVED, C_N };

static const char *
field(struct dg_csv *r, const int *col, int i)
{
	return col[i] >= 0 ? dg_csv_field(r, col[i], NULL) : "";
}

static int
csv_times(struct dg_csv *r, const int *col, struct dg_ledger_rec *rec)
{
	const char *why;
	dg_date d;

	if (field(r, col, C_START)[0] == '\0' &&
	    field(r, col, C_END)[0] == '\0')
		return DG_OK;
	if (dg_csv_get_date(r, col[C_DATE], &d) != DG_OK)
		return DG_EDATA;
	if (field(r, col, C_START)[0] &&
	    dg_intake_clock(d, field(r, col, C_START), 0, &rec->start, &why) !=
	    DG_OK)
		return dg_csv_fail(r, col[C_START], DG_EDATA, "%s: \"%s\"", why,
		    field(r, col, C_START));
	if (field(r, col, C_END)[0] &&
	    dg_intake_clock(d, field(r, col, C_END), 1, &rec->end, &why) !=
	    DG_OK)
		return dg_csv_fail(r, col[C_END], DG_EDATA, "%s: \"%s\"", why,
		    field(r, col, C_END));
	return DG_OK;
}

/* The row's reference: its values' SHA-256, 16 hex digits. */
static void
csv_ref(struct dg_csv *r, const int *col, char ref[17])
{
	char buf[2048], hex[DG_SHA256_HEX];
	size_t k = 0;

	for (int i = 0; i < C_N; i++) {
		int w = snprintf(buf + k, sizeof(buf) - k, "%s\x1f",
		    field(r, col, i));

		if (w < 0 || (size_t)w >= sizeof(buf) - k)
			break;
		k += (size_t)w;
	}
	dg_sha256_buf(buf, k, hex);
	memcpy(ref, hex, 16);
	ref[16] = '\0';
}

static int
csv_row(struct dg_intake *in, struct dg_csv *r, const int *col,
    dg_time recorded)
{
	struct dg_ledger_rec *rec;
	struct dg_tstamp ts;
	char ref[17];
	int kind = DG_LK_CALL, st;

	if (dg_csv_is_empty(r, col[C_EVENT]))
		return dg_csv_fail(r, col[C_EVENT], DG_EDATA, "empty value");
	if (col[C_KIND] >= 0 && !dg_csv_is_empty(r, col[C_KIND]) &&
	    (!dg_ledger_kind_is_event(kind =
	    dg_ledger_kind_parse(field(r, col, C_KIND)))))
		return dg_csv_fail(r, col[C_KIND], DG_EDATA, "not standby, "
		    "call, change, cancel or allclear: \"%s\"",
		    field(r, col, C_KIND));
	if ((rec = dg_intake_add(in, kind, recorded)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	if ((st = csv_times(r, col, rec)) != DG_OK)
		return st;
	if (col[C_RECEIVED] >= 0 && !dg_csv_is_empty(r, col[C_RECEIVED])) {
		if (dg_csv_get_time(r, col[C_RECEIVED], &ts) != DG_OK)
			return DG_EDATA;
		rec->received = ts.t;
	}
	csv_ref(r, col, ref);
	rec->event = dg_intake_str(in, field(r, col, C_EVENT));
	rec->program = dg_intake_str(in, field(r, col, C_PROGRAM));
	rec->zone = dg_intake_str(in, field(r, col, C_ZONE));
	rec->site = dg_intake_str(in, field(r, col, C_SITE));
	rec->source = "csv";
	rec->ref = dg_intake_str(in, ref);
	if (!rec->event || !rec->program || !rec->zone || !rec->site ||
	    !rec->ref)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

int
dg_intake_csv(struct dg_intake *in, const char *path,
    const struct dg_csv_opts *o, dg_time recorded, struct dg_error *err)
{
	static const char *const names[C_N] = { "event", "program", "date",
		"start", "end", "site", "kind", "zone", "received" };
	struct dg_csv *r;
	int col[C_N], st = DG_OK;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < C_N && st == DG_OK; i++)
		if (i <= C_END)
			st = dg_csv_require(r, names[i], &col[i]);
		else
			col[i] = dg_csv_col(r, names[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = csv_row(in, r, col, recorded);
	if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK && err)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

/* --- E-mail notices ------------------------------------------------------ */

int
dg_intake_rfc5322_date(const char *s, dg_time *t)
{
	static const char *const mon[] = { "jan", "feb", "mar", "apr", "may",
		"jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	static const struct { const char *name; int off; } zones[] = {
		{ "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
		{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 },
		{ "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
		{ "PST", -480 }, { "PDT", -420 } };
	char m[4], z[8];
	int d, y, hh, mm, ss = 0, off = 1, k = 0, mi = -1;
	const char *p = strchr(s, ',');

	p = p ? p + 1 : s;
	if (sscanf(p, " %d %3s %d %d:%d%n", &d, m, &y, &hh, &mm, &k) != 5)
		return DG_EDATA;
	p += k;
	if (*p == ':' && sscanf(p, ":%d%n", &ss, &k) == 1)
		p += k;
	if (sscanf(p, " %7s", z) != 1)
		return DG_EDATA;
	for (int i = 0; i < 12; i++)
		if (strcasecmp(m, mon[i]) == 0)
			mi = i + 1;
	if ((z[0] == '+' || z[0] == '-') && strlen(z) == 5 &&
	    strspn(z + 1, "0123456789") == 4)
		off = (z[0] == '-' ? -1 : 1) * ((z[1] - '0') * 600 +
		    (z[2] - '0') * 60 + (z[3] - '0') * 10 + z[4] - '0');
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(z, zones[i].name) == 0)
			off = zones[i].off;
	if (mi < 0 || off == 1 || d < 1 || d > 31 || y < 1900 || hh > 23 ||
	    mm > 59 || ss > 60)
		return DG_EDATA;
	*t = (dg_time)dg_date_from_ymd(y, mi, d) * 86400 + hh * 3600 +
	    mm * 60 + ss - (dg_time)off * 60;
	return DG_OK;
}

/* What a notice e-mail says. */
struct mail {
	char id[256], date[128], subject[256];
	char event[128], program[64], zone[64], kind[32], day[32];
	char start[16], end[16], sites[1024];
	long event_line, date_line;
	const char *file;
};

static void
trim_copy(char *dst, size_t n, const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* "Key: value" into the matching slot of m. */
static void
mail_line(struct mail *m, const char *line, long no, int header)
{
	static const struct {
		const char *key;
		size_t off, n;
		int hdr;
	} keys[] = {
#define K(k, f, h) \
	{ k, offsetof(struct mail, f), sizeof(((struct mail *)0)->f), h }
		K("message-id", id, 1), K("date", date, 1),
		K("subject", subject, 1), K("event", event, 0),
		K("program", program, 0), K("zone", zone, 0),
		K("kind", kind, 0), K("date", day, 0), K("start", start, 0),
		K("end", end, 0), K("sites", sites, 0)
#undef K
	};
	const char *colon = strchr(line, ':');

	if (colon == NULL)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].hdr == header && strlen(keys[i].key) ==
		    (size_t)(colon - line) && strncasecmp(line, keys[i].key,
		    (size_t)(colon - line)) == 0) {
			trim_copy((char *)m + keys[i].off, keys[i].n,
			    colon + 1);
			if (!header && strcmp(keys[i].key, "event") == 0)
				m->event_line = no;
			if (!header && strcmp(keys[i].key, "date") == 0)
				m->date_line = no;
		}
}

static int
mail_read(struct mail *m, FILE *fp)
{
	char *line = NULL, prev[1024] = "";
	size_t cap = 0;
	ssize_t k;
	long no = 0;
	int header = 1;

	while ((k = getline(&line, &cap, fp)) >= 0) {
		no++;
		while (k > 0 && (line[k - 1] == '\n' || line[k - 1] == '\r'))
			line[--k] = '\0';
		if (header && (line[0] == ' ' || line[0] == '\t') && prev[0]) {
			/* a folded header: joined to the one before */
			size_t pl = strlen(prev);

			snprintf(prev + pl, sizeof(prev) - pl, " %s", line + 1);
			continue;
		}
		if (header && prev[0])
			mail_line(m, prev, no - 1, 1);
		prev[0] = '\0';
		if (header && k == 0)
			header = 0;
		else if (header)
			snprintf(prev, sizeof(prev), "%s", line);
		else
			mail_line(m, line, no, 0);
	}
	free(line);
	return ferror(fp) ? DG_EIO : DG_OK;
}

static int
has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (; *s; s++)
		if (strncasecmp(s, w, n) == 0)
			return 1;
	return 0;
}

static int
mail_kind(const struct mail *m)
{
	const char *s = m->subject;

	if (m->kind[0])
		return dg_ledger_kind_parse(m->kind);
	if (has_word(s, "cancel") || has_word(s, "called off"))
		return DG_LK_CANCEL;
	if (has_word(s, "all clear") || has_word(s, "all-clear"))
		return DG_LK_ALLCLEAR;
	if (has_word(s, "standby") || has_word(s, "pre-activation"))
		return DG_LK_STANDBY;
	if (has_word(s, "change") || has_word(s, "revised"))
		return DG_LK_CHANGE;
	return DG_LK_CALL;
}

static int
mail_fail(const struct mail *m, long line, const char *col, const char *msg,
    const char *val, struct dg_error *err)
{
	return dg_error_set(err, DG_EDATA, m->file, line, col, "%s: \"%s\"",
	    msg, val);
}

/* The message's window: start and end on the body's Date. */
static int
mail_times(const struct mail *m, struct dg_ledger_rec *r, struct dg_error *err)
{
	const char *why;
	dg_date d;

	if (!m->start[0] && !m->end[0])
		return DG_OK;
	if (dg_date_parse(m->day, strlen(m->day), &d) != DG_OK)
		return mail_fail(m, m->date_line, "Date",
		    "not a date YYYY-MM-DD", m->day, err);
	if (m->start[0] && dg_intake_clock(d, m->start, 0, &r->start, &why))
		return mail_fail(m, 0, "Start", why, m->start, err);
	if (m->end[0] && dg_intake_clock(d, m->end, 1, &r->end, &why))
		return mail_fail(m, 0, "End", why, m->end, err);
	return DG_OK;
}

/* One record per site named (one for every site when none). */
static int
mail_records(struct dg_intake *in, const struct mail *m, int kind,
    dg_time recorded, dg_time received, struct dg_error *err)
{
	char sites[1024], *save = NULL, *s;
	struct dg_ledger_rec base, *r;
	int st;

	dg_ledger_rec_init(&base, kind, recorded);
	if ((st = mail_times(m, &base, err)) != DG_OK)
		return st;
	base.received = received;
	base.event = dg_intake_str(in, m->event);
	base.program = dg_intake_str(in, m->program);
	base.zone = dg_intake_str(in, m->zone);
	base.ref = dg_intake_str(in, m->id);
	base.source = "email";
	snprintf(sites, sizeof(sites), "%s", m->sites);
	s = strtok_r(sites, ",; ", &save);
	do {
		if ((r = dg_intake_add(in, kind, recorded)) == NULL)
			return dg_error_set(err, DG_ENOMEM, m->file, 0, NULL,
			    "out of memory");
		*r = base;
		r->site = s ? dg_intake_str(in, s) : NULL;
	} while (s && (s = strtok_r(NULL, ",; ", &save)) != NULL);
	return DG_OK;
}

static int
mail_check(const struct mail *m, int kind, struct dg_error *err)
{
	if (!m->id[0])
		return dg_error_set(err, DG_EDATA, m->file, 0, "Message-ID",
		    "no Message-ID header: a message read twice could not be "
		    "told apart");
	if (!m->event[0])
		return dg_error_set(err, DG_EDATA, m->file, 0, "Event",
		    "no \"Event:\" line in the body");
	if (kind < 0)
		return mail_fail(m, 0, "Kind", "not standby, call, change, "
		    "cancel or allclear", m->kind, err);
	if ((kind == DG_LK_STANDBY || kind == DG_LK_CALL) &&
	    (!m->program[0] || !m->start[0] || !m->end[0]))
		return dg_error_set(err, DG_EDATA, m->file, m->event_line, NULL,
		    "a %s needs Program:, Date:, Start: and End: lines",
		    dg_ledger_kind_name(kind));
	return DG_OK;
}

int
dg_intake_email(struct dg_intake *in, const char *path, dg_time recorded,
    struct dg_error *err)
{
	struct mail m;
	dg_time received = DG_LEDGER_NOTIME;
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int st, kind;

	memset(&m, 0, sizeof(m));
	m.file = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (fp == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	st = mail_read(&m, fp);
	if (fp != stdin)
		fclose(fp);
	if (st != DG_OK)
		return dg_error_set(err, st, m.file, 0, NULL, "read error");
	kind = mail_kind(&m);
	if ((st = mail_check(&m, kind, err)) != DG_OK)
		return st;
	if (m.date[0] && dg_intake_rfc5322_date(m.date, &received) != DG_OK)
		return mail_fail(&m, 0, "Date", "not an e-mail date", m.date,
		    err);
	return mail_records(in, &m, kind, recorded, received, err);
}

/* --- dg-schedule's notices ---------------------------------------------- */

static int
sched_records(struct dg_intake *in, const struct dg_notify_sched *v,
    size_t n, const char *event, const char *program, dg_time recorded)
{
	dg_time a = v[0].start, b = v[0].end;
	char ref[17], buf[512], hex[DG_SHA256_HEX], kw[40], t[2][40];

	for (size_t i = 1; i < n; i++) {
		a = v[i].start < a ? v[i].start : a;
		b = v[i].end > b ? v[i].end : b;
	}
	for (size_t i = 0; i < n; i++) {
		struct dg_ledger_rec *r = dg_intake_add(in, DG_LK_CALL,
		    recorded);

		dg_dec_format(v[i].kw, kw, sizeof(kw));
		dg_time_format(v[i].start, t[0], sizeof(t[0]));
		dg_time_format(v[i].end, t[1], sizeof(t[1]));
		snprintf(buf, sizeof(buf), "%s\x1f%s\x1f%s\x1f%s\x1f%s", event,
		    v[i].site, t[0], t[1], kw);
		dg_sha256_buf(buf, strlen(buf), hex);
		memcpy(ref, hex, 16);
		ref[16] = '\0';
		if (r == NULL ||
		    (r->event = dg_intake_str(in, event)) == NULL ||
		    (r->program = dg_intake_str(in, program)) == NULL ||
		    (r->site = dg_intake_str(in, v[i].site)) == NULL ||
		    (r->kw = dg_intake_str(in, kw)) == NULL ||
		    (r->ref = dg_intake_str(in, ref)) == NULL)
			return -1;
		r->source = "schedule";
		if (i == 0) {
			r->start = a;
			r->end = b;
		}
	}
	return 0;
}

int
dg_intake_schedule(struct dg_intake *in, const char *path,
    const struct dg_csv_opts *o, const char *event, const char *program,
    dg_time recorded, struct dg_error *err)
{
	struct dg_notify_sched *v;
	size_t n;
	int st;

	if ((st = dg_notify_sched_read(path, o, &v, &n, err)) != DG_OK)
		return st;
	if (n > 0 && sched_records(in, v, n, event, program, recorded) != 0)
		st = dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	dg_notify_sched_free(v, n);
	return st;
}
