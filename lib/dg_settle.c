/* dg_settle.c: the terms of settlement: the programs file and the keyed
 * tables of offers, APMD and contracts (see dg_settle.h). */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_settle_int.h"
#include "dg_sites.h"

/* --- Programs ------------------------------------------------------------ */

static int
parse_word(struct dg_csv *r, int c, const char *const *words, int dflt,
    int *out)
{
	const char *s;

	if (c < 0 || dg_csv_is_empty(r, c)) {
		if (dflt < 0)
			return dg_csv_fail(r, c, DG_EDATA, "empty");
		*out = dflt;
		return DG_OK;
	}
	s = dg_csv_field(r, c, NULL);
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0) {
			*out = i;
			return DG_OK;
		}
	{
		char list[128];
		size_t k = 0;

		list[0] = '\0';
		for (int i = 0; words[i] != NULL; i++)
			k += (size_t)snprintf(list + k, sizeof(list) - k,
			    "%s%s", i ? ", " : "", words[i]);
		return dg_csv_fail(r, c, DG_EDATA, "not one of %s: \"%s\"",
		    list, s);
	}
}

/* "a-b" or "a" with lo <= a <= b <= hi; *a, *b. */
static int
parse_range(const char *s, int lo, int hi, int *a, int *b)
{
	const char *dash = strchr(s, '-');
	char buf[32];
	int64_t x, y;

	if (strlen(s) >= sizeof(buf))
		return -1;
	if (dash == NULL) {
		if (dg_parse_int(s, lo, hi, &x) != DG_OK)
			return -1;
		*a = *b = (int)x;
		return 0;
	}
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (dg_parse_int(buf, lo, hi, &x) != DG_OK ||
	    dg_parse_int(dash + 1, lo, hi, &y) != DG_OK || y < x)
		return -1;
	*a = (int)x;
	*b = (int)y;
	return 0;
}

static int
get_opt_date(struct dg_csv *r, int c, dg_date *d)
{
	*d = DG_SETTLE_NODATE;
	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	return dg_csv_get_date(r, c, d);
}

void
dg_settle_programs_release(struct dg_settle_programs *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].name);
		free(ps->v[i].payer);
		free(ps->v[i].group);
		free(ps->v[i].passes);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

static int
overlap(const struct dg_settle_program *a, const struct dg_settle_program *b)
{
	dg_date af = a->from == DG_SETTLE_NODATE ? INT32_MIN + 1 : a->from;
	dg_date at = a->to == DG_SETTLE_NODATE ? INT32_MAX : a->to;
	dg_date bf = b->from == DG_SETTLE_NODATE ? INT32_MIN + 1 : b->from;
	dg_date bt = b->to == DG_SETTLE_NODATE ? INT32_MAX : b->to;

	return af <= bt && bf <= at;
}

/* The columns of the programs file (-1: absent). */
struct pcols {
	int prog, payer, basis, prio, from, to, measure, floor, lbmp, strike;
	int cap, min, credit, months, hours, group;
	int passes, pct, notice, zmin, mink;
};

static int
optional_int(struct dg_csv *r, int c, int hi, const char *what, int *out)
{
	int64_t v;

	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	if (dg_parse_int(dg_csv_field(r, c, NULL), 0, hi, &v))
		return dg_csv_fail(r, c, DG_EDATA,
		    "%s must be an integer from 0 to %d: \"%s\"", what, hi,
		    dg_csv_field(r, c, NULL));
	*out = (int)v;
	return DG_OK;
}

/* A share in per cent, 0 to 100. */
static int
get_pct(struct dg_csv *r, int c, dg_dec *out)
{
	int has, st;

	*out = dg_dec_make(100, 0);
	if ((st = get_opt_dec(r, c, &has, out)) != DG_OK)
		return st;
	if (has && (dg_dec_sign(*out) < 0 ||
	    dg_dec_cmp(*out, dg_dec_make(100, 0)) > 0 ||
	    out->scale > DG_DEC_MAX_SCALE - 2))
		return dg_csv_fail(r, c, DG_EDATA,
		    "pass_pct must be a per cent from 0 to 100: \"%s\"",
		    dg_csv_field(r, c, NULL));
	return DG_OK;
}

/* The rule columns: pass-through (passes, pass_pct), notice
 * (min_notice_h), the zone minimum (min_zone_kw) and a credit's
 * threshold (min_kw). */
static int
rule_fields(struct dg_csv *r, const struct pcols *c,
    struct dg_settle_program *pg)
{
	dg_dec h, s;
	int has, st;

	pg->min_notice_s = -1;
	if ((st = get_pct(r, c->pct, &pg->pass_pct)) != DG_OK ||
	    (st = get_opt_dec(r, c->zmin, &pg->has_min_zone_kw,
	    &pg->min_zone_kw)) != DG_OK ||
	    (st = get_opt_dec(r, c->mink, &pg->has_min_kw,
	    &pg->min_kw)) != DG_OK ||
	    (st = get_opt_dec(r, c->notice, &has, &h)) != DG_OK)
		return st;
	if (has && (dg_dec_sign(h) < 0 || dg_dec_cmp(h,
	    dg_dec_make(48, 0)) > 0 ||
	    dg_dec_mul(h, dg_dec_make(3600, 0), 0, &s) != DG_OK))
		return dg_csv_fail(r, c->notice, DG_EDATA,
		    "min_notice_h must be hours from 0 to 48: \"%s\"",
		    dg_csv_field(r, c->notice, NULL));
	if (has)
		pg->min_notice_s = (long)s.v;
	if ((pg->has_min_zone_kw && dg_dec_sign(pg->min_zone_kw) < 0) ||
	    (pg->has_min_kw && dg_dec_sign(pg->min_kw) < 0))
		return dg_csv_fail(r, pg->has_min_kw &&
		    dg_dec_sign(pg->min_kw) < 0 ? c->mink : c->zmin,
		    DG_EDATA, "negative kW");
	if (c->passes >= 0 && !dg_csv_is_empty(r, c->passes) &&
	    (pg->passes = strdup(dg_csv_field(r, c->passes, NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

/* A pass-through row takes its terms from the program it passes on:
 * its own term columns must be empty. */
static int
pass_fields(struct dg_csv *r, const struct pcols *c,
    struct dg_settle_program *pg)
{
	const int cols[] = { c->basis, c->measure, c->floor, c->lbmp,
	    c->strike, c->cap, c->min, c->credit, c->months, c->hours,
	    c->notice, c->zmin, c->mink };
	int st = DG_OK;

	for (size_t i = 0; st == DG_OK && i < sizeof(cols) / sizeof(*cols);
	    i++)
		if (cols[i] >= 0 && !dg_csv_is_empty(r, cols[i]))
			st = dg_csv_fail(r, cols[i], DG_EDATA,
			    "a row that passes on program %s takes its terms from it: leave this empty",
			    pg->passes);
	if (st == DG_OK)
		st = optional_int(r, c->prio, 1000000, "priority",
		    &pg->priority);
	if (st == DG_OK && pg->priority < 0)
		st = dg_csv_fail(r, c->prio, DG_EDATA,
		    "priority must be an integer from 0 to 1000000: \"\"");
	if (st == DG_OK && ((st = get_opt_date(r, c->from, &pg->from)) !=
	    DG_OK || (st = get_opt_date(r, c->to, &pg->to)) != DG_OK))
		return st;
	return st;
}

/* The programs passed on are in the file and pass nothing on. */
static int
check_passes(struct dg_csv *r, const struct pcols *c,
    const struct dg_settle_programs *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct dg_settle_program *p = &ps->v[i];
		const char *why = NULL;
		int known = 0;

		if (p->passes == NULL)
			continue;
		for (size_t j = 0; j < ps->n; j++)
			if (strcmp(ps->v[j].name, p->passes) == 0) {
				known = 1;
				if (ps->v[j].passes != NULL)
					why = "passes another program on "
					    "itself";
			}
		if (strcmp(p->passes, p->name) == 0)
			why = "is the program itself";
		else if (!known)
			why = "is not in the file";
		if (why != NULL)
			return dg_error_set(dg_csv_error(r), DG_EDATA,
			    dg_csv_name(r), p->line, "passes",
			    "program %s passes on %s, which %s", p->name,
			    p->passes, why);
	}
	return DG_OK;
}

/* The fields of one row. */
static int
program_fields(struct dg_csv *r, const struct pcols *c,
    struct dg_settle_program *pg, int *has_credit)
{
	static const char *const bases[] = {
		"energy", "dadrp", "demand", NULL
	};
	static const char *const measures[] = { "cbl", "apmd", NULL };
	static const char *const lbmps[] = { "none", "rt", NULL };
	static const char *const yesno[] = { "no", "yes", NULL };
	int st, a, b;

	memset(pg, 0, sizeof(*pg));
	*has_credit = 0;
	pg->line = dg_csv_line(r);
	pg->hour_from = pg->hour_to = -1;
	pg->priority = -1;
	if ((st = need_field(r, c->prog, "program name")) != DG_OK ||
	    (st = need_field(r, c->payer, "payer")) != DG_OK ||
	    (st = rule_fields(r, c, pg)) != DG_OK)
		return st;
	if (pg->passes)
		return pass_fields(r, c, pg);
	if ((st = parse_word(r, c->basis, bases, -1, &pg->basis)) != DG_OK ||
	    (st = parse_word(r, c->measure, measures, DG_SETTLE_CBL,
	    &pg->measure)) != DG_OK ||
	    (st = parse_word(r, c->lbmp, lbmps, 0, &pg->lbmp_rt)) != DG_OK ||
	    (st = parse_word(r, c->strike, yesno, 0, &pg->strike)) != DG_OK ||
	    (st = get_opt_date(r, c->from, &pg->from)) != DG_OK ||
	    (st = get_opt_date(r, c->to, &pg->to)) != DG_OK ||
	    (st = get_opt_dec(r, c->floor, &pg->has_floor,
	    &pg->floor)) != DG_OK ||
	    (st = get_opt_dec(r, c->cap, &pg->has_strike_cap,
	    &pg->strike_cap)) != DG_OK ||
	    (st = get_opt_dec(r, c->credit, has_credit,
	    &pg->credit_per_kw)) != DG_OK)
		return st;
	if ((st = optional_int(r, c->prio, 1000000, "priority",
	    &pg->priority)) != DG_OK)
		return st;
	if (pg->priority < 0)	/* empty */
		return dg_csv_fail(r, c->prio, DG_EDATA,
		    "priority must be an integer from 0 to 1000000: \"\"");
	if ((st = optional_int(r, c->min, 24, "min_hours",
	    &pg->min_hours)) != DG_OK)
		return st;
	if (c->months >= 0 && !dg_csv_is_empty(r, c->months)) {
		if (parse_range(dg_csv_field(r, c->months, NULL), 1, 12, &a,
		    &b))
			return dg_csv_fail(r, c->months, DG_EDATA,
			    "months must be M or M-N (1-12): \"%s\"",
			    dg_csv_field(r, c->months, NULL));
		for (int m = a; m <= b; m++)
			pg->months |= 1u << (m - 1);
	}
	if (c->hours >= 0 && !dg_csv_is_empty(r, c->hours) &&
	    (parse_range(dg_csv_field(r, c->hours, NULL), 0, 24, &pg->hour_from,
	    &pg->hour_to) || pg->hour_from == pg->hour_to))
		return dg_csv_fail(r, c->hours, DG_EDATA,
		    "hours must be H-H (local clock hours, 0-24): \"%s\"",
		    dg_csv_field(r, c->hours, NULL));
	return DG_OK;
}

/* A row's fields agree with each other and with the rows before it. */
static int
program_check(struct dg_csv *r, const struct pcols *c,
    const struct dg_settle_programs *ps, const struct dg_settle_program *pg,
    int has_credit)
{
	const char *nm = dg_csv_field(r, c->prog, NULL);

	if (pg->from != DG_SETTLE_NODATE && pg->to != DG_SETTLE_NODATE &&
	    pg->to < pg->from)
		return dg_csv_fail(r, c->to, DG_EDATA, "to is before from");
	if (pg->passes == NULL && pg->basis == DG_SETTLE_ENERGY &&
	    !pg->has_floor && !pg->lbmp_rt && !pg->strike)
		return dg_csv_fail(r, c->basis, DG_EDATA,
		    "energy program without floor_usd_per_mwh, lbmp or strike");
	if (pg->basis == DG_SETTLE_DEMAND && !has_credit)
		return dg_csv_fail(r, c->credit < 0 ? c->basis : c->credit,
		    DG_EDATA, "demand program without credit_usd_per_kw");
	if ((pg->has_floor && dg_dec_sign(pg->floor) < 0) ||
	    (has_credit && dg_dec_sign(pg->credit_per_kw) < 0))
		return dg_csv_fail(r, -1, DG_EDATA, "negative rate");
	for (size_t i = 0; i < ps->n; i++) {
		const struct dg_settle_program *q = &ps->v[i];

		if (strcmp(q->name, nm) == 0 && overlap(q, pg))
			return dg_csv_fail(r, c->prog, DG_EDATA,
			    "program \"%s\" already defined for these dates (line %ld)",
			    nm, q->line);
		if (strcmp(q->name, nm) != 0 && q->priority == pg->priority)
			return dg_csv_fail(r, c->prio, DG_EDATA,
			    "priority %d already used by program \"%s\"",
			    pg->priority, q->name);
	}
	return DG_OK;
}

int
dg_settle_programs_read(struct dg_settle_programs *ps, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	struct pcols c;
	size_t cap = 0;
	int st;

	memset(ps, 0, sizeof(*ps));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "program", &c.prog)) != DG_OK ||
	    (st = dg_csv_require(r, "payer", &c.payer)) != DG_OK ||
	    (st = dg_csv_require(r, "basis", &c.basis)) != DG_OK ||
	    (st = dg_csv_require(r, "priority", &c.prio)) != DG_OK)
		goto out;
	c.from = dg_csv_col(r, "from");
	c.to = dg_csv_col(r, "to");
	c.measure = dg_csv_col(r, "measure");
	c.floor = dg_csv_col(r, "floor_usd_per_mwh");
	c.lbmp = dg_csv_col(r, "lbmp");
	c.strike = dg_csv_col(r, "strike");
	c.cap = dg_csv_col(r, "strike_cap_usd_per_mwh");
	c.min = dg_csv_col(r, "min_hours");
	c.credit = dg_csv_col(r, "credit_usd_per_kw");
	c.months = dg_csv_col(r, "months");
	c.hours = dg_csv_col(r, "hours");
	c.group = dg_csv_col(r, "exclusive_group");
	c.passes = dg_csv_col(r, "passes");
	c.pct = dg_csv_col(r, "pass_pct");
	c.notice = dg_csv_col(r, "min_notice_h");
	c.zmin = dg_csv_col(r, "min_zone_kw");
	c.mink = dg_csv_col(r, "min_kw");
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_settle_program pg;
		int has_credit;

		if ((st = program_fields(r, &c, &pg, &has_credit)) != DG_OK ||
		    (st = program_check(r, &c, ps, &pg, has_credit)) != DG_OK) {
			free(pg.passes);
			goto out;
		}
		if (dg_grow(&ps->v, &cap, ps->n + 1, sizeof(*ps->v)) ||
		    (pg.name = strdup(dg_csv_field(r, c.prog, NULL))) == NULL ||
		    (pg.payer = strdup(dg_csv_field(r, c.payer,
		    NULL))) == NULL ||
		    (pg.group = strdup(dg_csv_field(r, c.group >= 0 &&
		    !dg_csv_is_empty(r, c.group) ? c.group : c.payer,
		    NULL))) == NULL) {
			free(pg.name);
			free(pg.payer);
			free(pg.passes);
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		ps->v[ps->n++] = pg;
	}
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK && ps->n == 0)
		st = dg_csv_fail(r, -1, DG_EDATA, "no programs");
	if (st == DG_OK)
		st = check_passes(r, &c, ps);
out:
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_settle_programs_release(ps);
	}
	dg_csv_close(r);
	return st;
}

const struct dg_settle_program *
dg_settle_programs_find(const struct dg_settle_programs *ps, const char *name,
    dg_date d)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct dg_settle_program *p = &ps->v[i];

		if (strcmp(p->name, name) == 0 &&
		    (p->from == DG_SETTLE_NODATE || d >= p->from) &&
		    (p->to == DG_SETTLE_NODATE || d <= p->to))
			return p;
	}
	return NULL;
}

int
dg_settle_programs_names(const struct dg_settle_programs *ps,
    const char ***names, size_t *n)
{
	*n = 0;
	if ((*names = calloc(ps->n ? ps->n : 1, sizeof(**names))) == NULL)
		return DG_ENOMEM;
	for (size_t i = 0; i < ps->n; i++) {
		size_t k = 0;

		while (k < *n && strcmp((*names)[k], ps->v[i].name) != 0)
			k++;
		if (k == *n)
			(*names)[(*n)++] = ps->v[i].name;
	}
	return DG_OK;
}

int
dg_settle_programs_known(const struct dg_settle_programs *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].name, name) == 0)
			return 1;
	return 0;
}

/* --- Keyed tables --------------------------------------------------------- */

void
dg_settle_table_release(struct dg_settle_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].site);
		free(t->v[i].key);
		free(t->v[i].program);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int
cmp_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_kv_key(const void *a, const void *b)
{
	const struct dg_settle_kv *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	return c ? c : cmp_opt(x->key, y->key);
}

static int
cmp_kv_prog(const void *a, const void *b)
{
	const struct dg_settle_kv *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	return c ? c : cmp_opt(x->program, y->program);
}

/* Index of the first entry of site, or t->n. */
static size_t
kv_first(const struct dg_settle_table *t, const char *site)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->v[mid].site, site) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What a keyed table reads: the key and value columns (names and
 * places) and the value's bounds (NULL: none). */
struct tspec {
	const char *keycol, *valcol;
	const dg_dec *lo, *hi;
	int c_site, c_key, c_prog, c_val;
};

/* The reader's row into t (cap: t->v's capacity). */
static int
table_row(struct dg_settle_table *t, size_t *cap, struct dg_csv *r,
    const struct tspec *ts)
{
	struct dg_settle_kv kv;
	int st;

	memset(&kv, 0, sizeof(kv));
	kv.line = dg_csv_line(r);
	if ((st = need_field(r, ts->c_site, "site")) != DG_OK ||
	    (ts->c_key >= 0 &&
	    (st = need_field(r, ts->c_key, ts->keycol)) != DG_OK) ||
	    (st = dg_csv_get_dec(r, ts->c_val, &kv.value)) != DG_OK)
		return st;
	if ((ts->lo && dg_dec_cmp(kv.value, *ts->lo) < 0) ||
	    (ts->hi && dg_dec_cmp(kv.value, *ts->hi) > 0))
		return dg_csv_fail(r, ts->c_val, DG_EDATA,
		    "%s out of range: \"%s\"", ts->valcol,
		    dg_csv_field(r, ts->c_val, NULL));
	if (dg_grow(&t->v, cap, t->n + 1, sizeof(*t->v)) ||
	    (kv.site = strdup(dg_csv_field(r, ts->c_site, NULL))) == NULL ||
	    (ts->c_key >= 0 &&
	    (kv.key = strdup(dg_csv_field(r, ts->c_key, NULL))) == NULL) ||
	    (ts->c_prog >= 0 && !dg_csv_is_empty(r, ts->c_prog) &&
	    (kv.program = strdup(dg_csv_field(r, ts->c_prog, NULL))) == NULL)) {
		free(kv.site);
		free(kv.key);
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	t->v[t->n++] = kv;
	return DG_OK;
}

/* Sorts t by site, then key or program: duplicates are neighbours (one is
 * DG_EDATA, naming the later line of file name) and look-ups are binary
 * searches. */
static int
table_sort(struct dg_settle_table *t, int by_program, const char *name,
    struct dg_error *err)
{
	int (*cmp)(const void *, const void *) =
	    by_program ? cmp_kv_prog : cmp_kv_key;

	t->by_program = by_program;
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp);
	for (size_t i = 1; i < t->n; i++)
		if (cmp(&t->v[i - 1], &t->v[i]) == 0) {
			const struct dg_settle_kv *x = &t->v[i - 1],
			    *y = &t->v[i];

			return dg_error_set(err, DG_EDATA, name,
			    x->line > y->line ? x->line : y->line, "site",
			    "site \"%s\" already listed (line %ld)", x->site,
			    x->line < y->line ? x->line : y->line);
		}
	return DG_OK;
}

/* A table of site [, key] [, program] -> value. */
static int
table_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, const char *keycol, const char *progcol,
    const char *valcol, const dg_dec *lo, const dg_dec *hi,
    struct dg_error *err)
{
	struct tspec ts = { keycol, valcol, lo, hi, -1, -1, -1, -1 };
	struct dg_csv *r;
	size_t cap = 0;
	int st;

	memset(t, 0, sizeof(*t));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &ts.c_site)) != DG_OK ||
	    (keycol && (st = dg_csv_require(r, keycol, &ts.c_key)) != DG_OK) ||
	    (st = dg_csv_require(r, valcol, &ts.c_val)) != DG_OK)
		goto out;
	if (progcol)
		ts.c_prog = dg_csv_col(r, progcol);
	snprintf(t->file, sizeof(t->file), "%s", dg_csv_name(r));
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = table_row(t, &cap, r, &ts)) != DG_OK)
			goto out;
	if (st == DG_EOF)
		st = DG_OK;
out:
	if (st != DG_OK)
		*err = *dg_csv_error(r);
	else
		st = table_sort(t, progcol != NULL, dg_csv_name(r), err);
	if (st != DG_OK)
		dg_settle_table_release(t);
	dg_csv_close(r);
	return st;
}

int
dg_settle_offers_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	dg_dec zero = dec_zero();

	int st = table_read(t, path, o, "program", NULL, "strike_usd_per_mwh",
	    &zero, NULL, err);

	t->program_col = "program";	/* the key */
	return st;
}

int
dg_settle_apmd_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	dg_dec zero = dec_zero();

	return table_read(t, path, o, NULL, NULL, "apmd_kw", &zero, NULL, err);
}

int
dg_settle_contracts_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	dg_dec zero = dec_zero(), hundred = dg_dec_make(100, 0);

	int st = table_read(t, path, o, "participant", "program", "share_pct",
	    &zero, &hundred, err);

	t->program_col = "program";
	return st;
}

const struct dg_settle_kv *
dg_settle_table_find(const struct dg_settle_table *t, const char *site,
    const char *key)
{
	for (size_t i = kv_first(t, site); i < t->n &&
	    strcmp(t->v[i].site, site) == 0; i++)
		if (key == NULL ||
		    (t->v[i].key && strcmp(t->v[i].key, key) == 0))
			return &t->v[i];
	return NULL;
}

/* "A, B, C": the distinct names of ps, shortened to fit. */
static void
known_programs(const struct dg_settle_programs *ps, char *buf, size_t n)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ps->n; i++) {
		size_t j = 0;
		int w;

		while (j < i && strcmp(ps->v[j].name, ps->v[i].name) != 0)
			j++;
		if (j < i)
			continue;
		w = snprintf(buf + k, n - k, "%s%s", k ? ", " : "",
		    ps->v[i].name);
		if (w < 0 || (size_t)w >= n - k) {
			snprintf(buf + (n > 5 ? n - 5 : 0), 5, "...");
			return;
		}
		k += (size_t)w;
	}
}

/* Why entry kv names something unknown (*col: the column), or NULL. */
static const char *
table_bad(const struct dg_settle_table *t, const struct dg_settle_kv *kv,
    const struct dg_sites *sites, const struct dg_settle_programs *ps,
    const char **col)
{
	const char *prog = t->by_program ? kv->program : kv->key;

	*col = "site";
	if (sites != NULL && dg_sites_find(sites, kv->site) == NULL)
		return kv->site;
	*col = t->program_col;
	if (ps != NULL && t->program_col != NULL && prog != NULL &&
	    !dg_settle_programs_known(ps, prog))
		return prog;
	return NULL;
}

int
dg_settle_table_check(const struct dg_settle_table *t,
    const struct dg_sites *sites, const struct dg_settle_programs *ps,
    struct dg_error *err)
{
	const struct dg_settle_kv *first = NULL;
	const char *name = NULL, *col = NULL;
	char known[256];

	/* the table is sorted by site: the first bad row in file order */
	for (size_t i = 0; i < t->n; i++) {
		const char *c, *nm = table_bad(t, &t->v[i], sites, ps, &c);

		if (nm != NULL &&
		    (first == NULL || t->v[i].line < first->line)) {
			first = &t->v[i];
			name = nm;
			col = c;
		}
	}
	if (first == NULL)
		return DG_OK;
	if (strcmp(col, "site") == 0)
		return dg_error_set(err, DG_EDATA, t->file, first->line, col,
		    "unknown site \"%s\" (not in %s)", name, sites->path);
	known_programs(ps, known, sizeof(known));
	return dg_error_set(err, DG_EDATA, t->file, first->line, col,
	    "unknown program \"%s\" (known: %s)", name, known);
}

const struct dg_settle_kv *
dg_settle_contract_find(const struct dg_settle_table *t, const char *site,
    const char *program)
{
	const struct dg_settle_kv *any = NULL;

	for (size_t i = kv_first(t, site); i < t->n &&
	    strcmp(t->v[i].site, site) == 0; i++) {
		if (t->v[i].program == NULL)
			any = &t->v[i];
		else if (program && strcmp(t->v[i].program, program) == 0)
			return &t->v[i];
	}
	return any;
}
