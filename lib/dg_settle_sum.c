/* dg_settle_sum.c: the summary of payment lines, for people (see
 * dg_settle.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"

/* A call and where its lines are. */
struct scall {
	struct dg_settle_sum_call c;
	char *last_site;	/* the site of its last line */
	dg_time last_t;		/* the hour of its last line */
};

struct dg_settle_sum {
	struct scall *call;
	size_t ncall, capcall;
	struct dg_settle_sum_prog *prog;
	size_t nprog, capprog;
	dg_time *seen;		/* the current site's hours measured */
	size_t nseen, capseen;
	char *site;		/* the current site */
	dg_dec measured_kwh, total;
	long measured_hours;
	char **strs;		/* the strings the entries point to */
	size_t nstrs, capstrs;
};

void
dg_settle_sum_free(struct dg_settle_sum *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nstrs; i++)
		free(s->strs[i]);
	for (size_t i = 0; i < s->ncall; i++)
		free(s->call[i].last_site);
	free(s->strs);
	free(s->call);
	free(s->prog);
	free(s->seen);
	free(s->site);
	free(s);
}

/* A copy of str that lives as long as s. */
static const char *
keep(struct dg_settle_sum *s, const char *str)
{
	char *p;

	if (dg_grow(&s->strs, &s->capstrs, s->nstrs + 1, sizeof(*s->strs)) ||
	    (p = strdup(str)) == NULL)
		return NULL;
	return s->strs[s->nstrs++] = p;
}

static struct scall *
call_of(struct dg_settle_sum *s, const char *event, const char *program,
    const char *payer)
{
	struct scall *c;

	for (size_t i = 0; i < s->ncall; i++)
		if (strcmp(s->call[i].c.event, event) == 0)
			return &s->call[i];
	if (dg_grow(&s->call, &s->capcall, s->ncall + 1, sizeof(*s->call)))
		return NULL;
	c = &s->call[s->ncall];
	memset(c, 0, sizeof(*c));
	c->last_t = INT64_MIN;
	c->c.first = INT64_MAX;
	c->c.last = INT64_MIN;
	if ((c->c.event = keep(s, event)) == NULL ||
	    (c->c.program = keep(s, program)) == NULL ||
	    (c->c.payer = keep(s, payer)) == NULL)
		return NULL;
	s->ncall++;
	return c;
}

static struct dg_settle_sum_prog *
prog_of(struct dg_settle_sum *s, const char *payer, const char *program)
{
	struct dg_settle_sum_prog *p;

	for (size_t i = 0; i < s->nprog; i++)
		if (strcmp(s->prog[i].payer, payer) == 0 &&
		    strcmp(s->prog[i].program, program) == 0)
			return &s->prog[i];
	if (dg_grow(&s->prog, &s->capprog, s->nprog + 1, sizeof(*s->prog)))
		return NULL;
	p = &s->prog[s->nprog];
	memset(p, 0, sizeof(*p));
	if ((p->payer = keep(s, payer)) == NULL ||
	    (p->program = keep(s, program)) == NULL)
		return NULL;
	p->payment = dg_dec_make(0, 2);
	p->mwh = p->kw = dec_zero();
	s->nprog++;
	return p;
}

/* The columns of payment lines the summary reads. */
struct sumcols {
	int site, event, prog, payer, time, line, red, mwh, kw, pay;
};

/* The call of a line: its sites and site-hours. */
static int
sum_call(const char *site, const char *kind, dg_time t, struct scall *c)
{
	if (strcmp(kind, "credit") == 0 || strcmp(kind, "net-floor") == 0)
		return DG_OK;	/* an event's line, not an hour's */
	if (c->last_site == NULL || strcmp(c->last_site, site) != 0) {
		free(c->last_site);
		if ((c->last_site = strdup(site)) == NULL)
			return DG_ENOMEM;
		c->c.sites++;
		c->last_t = INT64_MIN;
	}
	if (t != c->last_t)
		c->c.hours++;
	c->last_t = t;
	if (t < c->c.first)
		c->c.first = t;
	if (t + 3600 > c->c.last)
		c->c.last = t + 3600;
	return DG_OK;
}

/* The reduction of a site-hour, counted once whatever its lines. */
static int
sum_measured(struct dg_settle_sum *s, const char *site, dg_time t, dg_dec kw)
{
	if (s->site == NULL || strcmp(s->site, site) != 0) {
		free(s->site);
		if ((s->site = strdup(site)) == NULL)
			return DG_ENOMEM;
		s->nseen = 0;
	}
	for (size_t i = 0; i < s->nseen; i++)
		if (s->seen[i] == t)
			return DG_OK;
	if (dg_grow(&s->seen, &s->capseen, s->nseen + 1, sizeof(*s->seen)))
		return DG_ENOMEM;
	s->seen[s->nseen++] = t;
	s->measured_hours++;
	return dec_add_to(&s->measured_kwh, kw);
}

static int
is_energy(const char *kind)
{
	return strcmp(kind, "event") == 0 ||
	    strcmp(kind, "continuation") == 0 ||
	    strcmp(kind, "da") == 0;
}

/* One payment line. */
static int
sum_line(struct dg_settle_sum *s, struct dg_csv *r, const struct sumcols *c)
{
	const char *site = dg_csv_field(r, c->site, NULL);
	const char *kind = dg_csv_field(r, c->line, NULL);
	struct dg_settle_sum_prog *p;
	struct dg_tstamp ts;
	struct scall *call;
	dg_dec pay, x;
	int st, has;

	if (strcmp(kind, "total") == 0)
		return DG_OK;	/* sums of lines read anyway */
	if ((st = dg_csv_get_time(r, c->time, &ts)) != DG_OK ||
	    (st = dg_csv_get_dec(r, c->pay, &pay)) != DG_OK)
		return st;
	if ((call = call_of(s, dg_csv_field(r, c->event, NULL),
	    dg_csv_field(r, c->prog, NULL), dg_csv_field(r, c->payer, NULL))) ==
	    NULL || (p = prog_of(s, dg_csv_field(r, c->payer, NULL),
	    dg_csv_field(r, c->prog, NULL))) == NULL ||
	    sum_call(site, kind, ts.t, call) != DG_OK)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	if (dec_add_to(&p->payment, pay) || dec_add_to(&s->total, pay))
		return dg_csv_fail(r, c->pay, DG_ERANGE, "total out of range");
	if ((st = get_opt_dec(r, c->red, &has, &x)) != DG_OK ||
	    (has && site[0] && (st = sum_measured(s, site, ts.t, x)) != DG_OK))
		return st == DG_ENOMEM ?
		    dg_csv_fail(r, -1, st, "out of memory") : st;
	if (is_energy(kind) &&
	    (st = get_opt_dec(r, c->mwh, &has, &x)) == DG_OK &&
	    has) {
		p->hours++;
		st = dec_add_to(&p->mwh, x);
	} else if (st == DG_OK && strcmp(kind, "credit") == 0 &&
	    (st = get_opt_dec(r, c->kw, &has, &x)) == DG_OK && has) {
		p->credits++;
		st = dec_add_to(&p->kw, x);
	}
	return st == DG_ERANGE ? dg_csv_fail(r, -1, st, "total out of range") :
	    st;
}

int
dg_settle_sum_read(struct dg_settle_sum **sp, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "site", "event", "program",
	    "payer", "time", "line", "reduction_kw", "energy_mwh", "demand_kw",
	    "payment_usd" };
	struct dg_settle_sum *s;
	struct dg_csv *r;
	struct sumcols c;
	int *col = &c.site, st;

	*sp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	s->measured_kwh = dec_zero();
	s->total = dg_dec_make(0, 2);
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK) {
		dg_settle_sum_free(s);
		return st;
	}
	for (int i = 0; i < 10; i++)
		if ((st = dg_csv_require(r, names[i], &col[i])) != DG_OK)
			goto out;
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = sum_line(s, r, &c)) != DG_OK)
			goto out;
out:
	if (st == DG_EOF) {
		st = DG_OK;
		*sp = s;
	} else {
		*err = *dg_csv_error(r);
		dg_settle_sum_free(s);
	}
	dg_csv_close(r);
	return st;
}

size_t
dg_settle_sum_ncalls(const struct dg_settle_sum *s)
{
	return s->ncall;
}

const struct dg_settle_sum_call *
dg_settle_sum_call(const struct dg_settle_sum *s, size_t i)
{
	return i < s->ncall ? &s->call[i].c : NULL;
}

size_t
dg_settle_sum_nprograms(const struct dg_settle_sum *s)
{
	return s->nprog;
}

const struct dg_settle_sum_prog *
dg_settle_sum_program(const struct dg_settle_sum *s, size_t i)
{
	return i < s->nprog ? &s->prog[i] : NULL;
}

void
dg_settle_sum_totals(const struct dg_settle_sum *s, dg_dec *measured_mwh,
    long *measured_hours, dg_dec *total)
{
	if (kw_to_mwh(s->measured_kwh, measured_mwh) != DG_OK)
		*measured_mwh = dec_zero();
	*measured_hours = s->measured_hours;
	*total = s->total;
}
