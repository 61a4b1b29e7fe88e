/* dg_notify_contacts.c: the contacts file and the templates of dg-notify
 * (see dg_notify.h). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_notify.h"
#include "dg_util.h"

static const char *const channel_names[DG_CH_N] = { "email", "webhook",
	"sms" };
static const char *const kind_names[DG_NK_N] = { "standby", "dispatch",
	"change", "allclear" };

const char *
dg_channel_name(int ch)
{
	return ch >= 0 && ch < DG_CH_N ? channel_names[ch] : "?";
}

const char *
dg_notice_kind_name(int kind)
{
	return kind >= 0 && kind < DG_NK_N ? kind_names[kind] : "?";
}

int
dg_notice_kind_of(int ledger_kind)
{
	switch (ledger_kind) {
	case DG_LK_STANDBY:	return DG_NK_STANDBY;
	case DG_LK_CALL:	return DG_NK_DISPATCH;
	case DG_LK_CHANGE:	return DG_NK_CHANGE;
	default:		return DG_NK_ALLCLEAR;
	}
}

/* --- Contacts ------------------------------------------------------------ */

void
dg_contacts_release(struct dg_contacts *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->v[i].nch; k++)
			free(c->v[i].ch[k].to);
		free(c->v[i].ch);
		free(c->v[i].site);
		free(c->v[i].name);
	}
	free(c->v);
	free(c->by_site);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

enum { K_SITE, K_PERSON, K_CHANNEL, K_TO, K_HOURS, K_ESC, K_N };

static int
hhmm(const char *s, int *min)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' ||
	    strspn(s, "0123456789:") != 5)
		return -1;
	h = (s[0] - '0') * 10 + s[1] - '0';
	m = (s[3] - '0') * 10 + s[4] - '0';
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*min = h * 60 + m;
	return 0;
}

static int
parse_hours(struct dg_csv *r, int col, struct dg_contact_channel *ch)
{
	const char *s = col >= 0 ? dg_csv_field(r, col, NULL) : "";
	char a[8], b[8];

	ch->from_min = ch->to_min = -1;
	if (s[0] == '\0')
		return DG_OK;
	if (strlen(s) != 11 || s[5] != '-')
		goto bad;
	memcpy(a, s, 5);
	a[5] = '\0';
	memcpy(b, s + 6, 5);
	b[5] = '\0';
	if (hhmm(a, &ch->from_min) != 0 || hhmm(b, &ch->to_min) != 0 ||
	    ch->from_min == ch->to_min || ch->from_min == 1440)
		goto bad;
	return DG_OK;
bad:
	return dg_csv_fail(r, col, DG_EDATA,
	    "not HH:MM-HH:MM (e.g. 07:00-22:00): \"%s\"", s);
}

/* The address fits its channel (and cannot inject a header). */
static int
check_to(struct dg_csv *r, int col, int channel)
{
	const char *s = dg_csv_field(r, col, NULL);
	const char *at = strchr(s, '@');

	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return dg_csv_fail(r, col, DG_EDATA, "a control "
			    "character (a line end) in an address");
	switch (channel) {
	case DG_CH_EMAIL:
		if (at && at != s && at[1] && !strchr(at + 1, '@') &&
		    strcspn(s, " \t<>,;\"\\()") == strlen(s))
			return DG_OK;
		return dg_csv_fail(r, col, DG_EDATA,
		    "not an e-mail address: \"%s\"", s);
	case DG_CH_WEBHOOK:
		if ((strncmp(s, "http://", 7) == 0 ||
		    strncmp(s, "https://", 8) == 0) && !strchr(s, ' '))
			return DG_OK;
		return dg_csv_fail(r, col, DG_EDATA,
		    "not an http or https URL: \"%s\"", s);
	default:
		if (s[0] == '+' && strlen(s) >= 9 && strlen(s) <= 16 &&
		    strspn(s + 1, "0123456789") == strlen(s) - 1)
			return DG_OK;
		return dg_csv_fail(r, col, DG_EDATA,
		    "not a phone number +DIGITS (E.164): \"%s\"", s);
	}
}

static struct dg_contact_person *
person(struct dg_contacts *c, const char *site, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].site, site) == 0 &&
		    strcmp(c->v[i].name, name) == 0)
			return &c->v[i];
	return NULL;
}

static struct dg_contact_person *
new_person(struct dg_contacts *c, struct dg_csv *r, const int *col)
{
	struct dg_contact_person *p;

	if (dg_grow(&c->v, &c->cap, c->n + 1, sizeof(*c->v)) != 0)
		return NULL;
	p = &c->v[c->n];
	memset(p, 0, sizeof(*p));
	p->line = dg_csv_line(r);
	if ((p->site = strdup(dg_csv_field(r, col[K_SITE], NULL))) == NULL ||
	    (p->name = strdup(dg_csv_field(r, col[K_PERSON], NULL))) == NULL) {
		free(p->site);
		return NULL;
	}
	c->n++;
	return p;
}

static int
escalation(struct dg_csv *r, const int *col, struct dg_contact_person *p)
{
	int64_t v;

	if (col[K_ESC] < 0 || dg_csv_is_empty(r, col[K_ESC]))
		return DG_OK;
	if (dg_parse_int(dg_csv_field(r, col[K_ESC], NULL), 1, 1440, &v) !=
	    DG_OK)
		return dg_csv_fail(r, col[K_ESC], DG_EDATA,
		    "minutes from 1 to 1440: \"%s\"",
		    dg_csv_field(r, col[K_ESC], NULL));
	if (p->escalate_min && p->escalate_min != (int)v)
		return dg_csv_fail(r, col[K_ESC], DG_EDATA,
		    "%s's escalation is %d minutes on line %ld", p->name,
		    p->escalate_min, p->line);
	p->escalate_min = (int)v;
	return DG_OK;
}

static int
contact_row(struct dg_contacts *c, struct dg_csv *r, const int *col)
{
	struct dg_contact_channel ch;
	struct dg_contact_person *p;
	int st;

	for (int i = K_SITE; i <= K_TO; i++)
		if (dg_csv_is_empty(r, col[i]))
			return dg_csv_fail(r, col[i], DG_EDATA, "empty value");
	memset(&ch, 0, sizeof(ch));
	ch.line = dg_csv_line(r);
	for (ch.channel = 0; ch.channel < DG_CH_N; ch.channel++)
		if (strcmp(dg_csv_field(r, col[K_CHANNEL], NULL),
		    channel_names[ch.channel]) == 0)
			break;
	if (ch.channel == DG_CH_N)
		return dg_csv_fail(r, col[K_CHANNEL], DG_EDATA,
		    "email, webhook or sms: \"%s\"",
		    dg_csv_field(r, col[K_CHANNEL], NULL));
	if ((st = check_to(r, col[K_TO], ch.channel)) != DG_OK ||
	    (st = parse_hours(r, col[K_HOURS], &ch)) != DG_OK)
		return st;
	if ((p = person(c, dg_csv_field(r, col[K_SITE], NULL),
	    dg_csv_field(r, col[K_PERSON], NULL))) == NULL &&
	    (p = new_person(c, r, col)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	if ((st = escalation(r, col, p)) != DG_OK)
		return st;
	if (dg_grow(&p->ch, &p->capch, p->nch + 1, sizeof(*p->ch)) != 0 ||
	    (ch.to = strdup(dg_csv_field(r, col[K_TO], NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	p->ch[p->nch++] = ch;
	return DG_OK;
}

static const struct dg_contacts *sort_c;

static int
cmp_site(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_c->v[x].site, sort_c->v[y].site);

	return c ? c : (x > y) - (x < y);
}

/* The index by site, for dg_contacts_for (a portfolio of 10,000 sites). */
static int
by_site(struct dg_contacts *c)
{
	if ((c->by_site = malloc((c->n + 1) * sizeof(size_t))) == NULL)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		c->by_site[i] = i;
	sort_c = c;
	qsort(c->by_site, c->n, sizeof(size_t), cmp_site);
	return 0;
}

int
dg_contacts_read(struct dg_contacts *c, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[K_N] = { "site", "person", "channel",
		"to", "hours", "escalate_min" };
	struct dg_csv *r;
	int col[K_N], st;

	memset(c, 0, sizeof(*c));
	if ((c->file = strdup(path)) == NULL)
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < K_N && st == DG_OK; i++)
		if (i <= K_TO)
			st = dg_csv_require(r, names[i], &col[i]);
		else
			col[i] = dg_csv_col(r, names[i]);
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = contact_row(c, r, col);
	if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK && err && dg_csv_error(r)->status != DG_OK)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	if (st == DG_OK && by_site(c) != 0)
		st = dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	return st;
}

/* The first index of by_site whose person is of site. */
static size_t
first_of(const struct dg_contacts *c, const char *site)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(c->v[c->by_site[mid]].site, site) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
dg_contacts_for(const struct dg_contacts *c, const char *site,
    const struct dg_contact_person **out, size_t max)
{
	size_t k = 0;

	for (int pass = 0; pass < 2 && c->by_site; pass++) {
		const char *s = pass ? "*" : site;

		for (size_t i = first_of(c, s); i < c->n &&
		    strcmp(c->v[c->by_site[i]].site, s) == 0; i++) {
			if (k < max)
				out[k] = &c->v[c->by_site[i]];
			k++;
		}
	}
	return k;
}

int
dg_contact_open(const struct dg_contact_channel *ch, dg_time t)
{
	struct dg_local lt;
	int m;

	if (ch->from_min < 0)
		return 1;
	dg_time_local(t, &lt);
	m = lt.hour * 60 + lt.min;
	if (ch->from_min < ch->to_min)
		return m >= ch->from_min && m < ch->to_min;
	return m >= ch->from_min || m < ch->to_min;
}

/* --- Templates ----------------------------------------------------------- */

static const char *const fields[DG_TV_N] = { "notice", "event", "program",
	"zone", "site", "site_name", "person", "kind", "date", "start", "end",
	"hours", "kw", "ack_url" };

void
dg_templates_release(struct dg_templates *t)
{
	for (int i = 0; i < DG_NK_N; i++) {
		free(t->subject[i]);
		free(t->body[i]);
		free(t->sms[i]);
		free(t->webhook[i]);
	}
	free(t->file);
	memset(t, 0, sizeof(*t));
}

/* Every {field} of line is known and every brace closed. */
static int
check_fields(const struct dg_templates *t, const char *line, long no,
    struct dg_error *err)
{
	char col[16];

	for (const char *p = line; *p; p++) {
		const char *e;
		size_t n;
		int ok = 0;

		if (*p != '{')
			continue;
		if (p[1] == '{') {
			p++;
			continue;
		}
		snprintf(col, sizeof(col), "%d", (int)(p - line) + 1);
		if ((e = strchr(p, '}')) == NULL)
			return dg_error_set(err, DG_EDATA, t->file, no, col,
			    "a { without its }");
		n = (size_t)(e - p - 1);
		for (int i = 0; i < DG_TV_N && !ok; i++)
			ok = strlen(fields[i]) == n &&
			    strncmp(fields[i], p + 1, n) == 0;
		if (!ok)
			return dg_error_set(err, DG_EDATA, t->file, no, col,
			    "unknown field \"{%.*s}\" (known: notice, event, "
			    "program, zone, site, site_name, person, kind, "
			    "date, start, end, hours, kw, ack_url)", (int)n,
			    p + 1);
		p = e;
	}
	return DG_OK;
}

/* The slot of a "[name]" line. */
static char **
section(struct dg_templates *t, const char *line, int *kind, int *main_)
{
	const char *dot;
	size_t n = strlen(line) - 2;

	*main_ = 0;
	for (int k = 0; k < DG_NK_N; k++) {
		size_t kl = strlen(kind_names[k]);

		if (strncmp(line + 1, kind_names[k], kl) != 0)
			continue;
		*kind = k;
		dot = line + 1 + kl;
		if (n == kl)
			return *main_ = 1, &t->body[k];
		if (strcmp(dot, ".sms]") == 0)
			return &t->sms[k];
		if (strcmp(dot, ".webhook]") == 0)
			return &t->webhook[k];
	}
	return NULL;
}

static int
append_line(char **dst, const char *line)
{
	size_t a = *dst ? strlen(*dst) : 0, b = strlen(line);
	char *p = realloc(*dst, a + b + 2);

	if (p == NULL)
		return -1;
	memcpy(p + a, line, b);
	p[a + b] = '\n';
	p[a + b + 1] = '\0';
	*dst = p;
	return 0;
}

struct tparse {
	struct dg_templates *t;
	char **slot;
	int kind, main, want_subject;
	long no;
};

static int
tmpl_line(struct tparse *tp, char *line, struct dg_error *err)
{
	struct dg_templates *t = tp->t;
	size_t len = strlen(line);
	int st;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (line[0] == '[' && len > 2 && line[len - 1] == ']') {
		if (tp->want_subject)
			return dg_error_set(err, DG_EDATA, t->file, tp->no - 1,
			    NULL, "a section without its Subject: line");
		if ((tp->slot = section(t, line, &tp->kind, &tp->main)) == NULL)
			return dg_error_set(err, DG_EDATA, t->file, tp->no, "1",
			    "unknown section %s (known: standby, dispatch, "
			    "change, allclear, and KIND.sms, KIND.webhook)",
			    line);
		if (*tp->slot != NULL || (tp->main && t->subject[tp->kind]))
			return dg_error_set(err, DG_EDATA, t->file, tp->no, "1",
			    "section %s given twice", line);
		tp->want_subject = tp->main;
		return DG_OK;
	}
	if (tp->slot == NULL) {
		if (line[0] == '\0' || line[0] == '#')
			return DG_OK;
		return dg_error_set(err, DG_EDATA, t->file, tp->no, "1",
		    "text before the first [section]");
	}
	if ((st = check_fields(t, line, tp->no, err)) != DG_OK)
		return st;
	if (tp->want_subject) {
		if (strncmp(line, "Subject:", 8) != 0)
			return dg_error_set(err, DG_EDATA, t->file, tp->no, "1",
			    "a section's first line is its Subject: line");
		tp->want_subject = 0;
		t->subject[tp->kind] = strdup(line + 8 + strspn(line + 8, " "));
		return t->subject[tp->kind] ? DG_OK : DG_ENOMEM;
	}
	return append_line(tp->slot, line) == 0 ? DG_OK : DG_ENOMEM;
}

static void
rtrim(char *s)
{
	size_t n = s ? strlen(s) : 0;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

int
dg_templates_read(struct dg_templates *t, const char *path,
    struct dg_error *err)
{
	struct tparse tp = { t, NULL, 0, 0, 0, 0 };
	char *line = NULL;
	size_t cap = 0;
	FILE *fp;
	int st = DG_OK;

	memset(t, 0, sizeof(*t));
	if ((t->file = strdup(path)) == NULL)
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	if ((fp = fopen(path, "r")) == NULL)
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	while (st == DG_OK && getline(&line, &cap, fp) >= 0) {
		tp.no++;
		st = tmpl_line(&tp, line, err);
	}
	free(line);
	fclose(fp);
	if (st == DG_ENOMEM)
		return dg_error_set(err, st, path, 0, NULL, "out of memory");
	for (int k = 0; k < DG_NK_N; k++) {	/* no trailing blank lines */
		rtrim(t->sms[k]);
		rtrim(t->webhook[k]);
	}
	if (st == DG_OK && tp.want_subject)
		st = dg_error_set(err, DG_EDATA, path, tp.no, NULL,
		    "a section without its Subject: line");
	for (int k = 0; st == DG_OK && k < DG_NK_N; k++)
		if (t->subject[k] == NULL)
			st = dg_error_set(err, DG_EDATA, path, 0, NULL,
			    "no [%s] section (standby, dispatch, change and "
			    "allclear are needed)", kind_names[k]);
	return st;
}

char *
dg_template_render(const char *tmpl, const char *const *vars)
{
	char *out = NULL;
	size_t n = 0, cap = 0;

	for (const char *p = tmpl ? tmpl : ""; ; p++) {
		const char *v = NULL;
		size_t vl = 1;

		if (*p == '{' && p[1] == '{') {
			v = p++;
		} else if (*p == '{') {
			const char *e = strchr(p, '}');

			for (int i = 0; e && i < DG_TV_N && !v; i++)
				if (strlen(fields[i]) == (size_t)(e - p - 1) &&
				    strncmp(fields[i], p + 1,
				    (size_t)(e - p - 1)) == 0)
					v = vars[i] ? vars[i] : "";
			if (v) {
				vl = strlen(v);
				p = e;
			} else
				v = p;
		} else
			v = p;
		if (dg_grow(&out, &cap, n + vl + 1, 1) != 0) {
			free(out);
			return NULL;
		}
		memcpy(out + n, v, vl);
		n += vl;
		if (*p == '\0')
			break;
	}
	out[n - 1] = '\0';
	return out;
}
