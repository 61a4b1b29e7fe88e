/* dg_health_meter.c: meter data's freshness, availability (the source
 * report's Table 16) and flags, per site and month (dg_health.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_health.h"
#include "dg_rat.h"
#include "dg_util.h"

#define NSPACING 4

/* A site's rows of one month (month: year x 12 + month - 1). */
struct mcount {
	int month;
	long rows, received, good, flagged;
};

struct msite {
	char *name;
	dg_time first, last, prev;
	int sp[NSPACING];	/* the spacings seen most, and how often */
	long spn[NSPACING];
	struct mcount *m;	/* by month */
	size_t nm, capm;
	int instants;		/* pulse readings: a stamp ends its data */
};

struct dg_health_meters {
	struct msite *s;	/* by name */
	size_t n, cap;
	size_t cache;		/* the site of the row before */
};

int
dg_health_meters_alloc(struct dg_health_meters **m)
{
	*m = calloc(1, sizeof(**m));
	return *m ? DG_OK : DG_ENOMEM;
}

void
dg_health_meters_free(struct dg_health_meters *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->s[i].name);
		free(m->s[i].m);
	}
	free(m->s);
	free(m);
}

/* The site named name, added in its place when new; NULL: no memory. */
static struct msite *
site_of(struct dg_health_meters *m, const char *name)
{
	size_t lo = 0, hi = m->n;
	struct msite *s;

	if (m->cache < m->n && strcmp(m->s[m->cache].name, name) == 0)
		return &m->s[m->cache];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->s[mid].name, name);

		if (c == 0)
			return &m->s[m->cache = mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (dg_grow(&m->s, &m->cap, m->n + 1, sizeof(*m->s)) != 0)
		return NULL;
	memmove(&m->s[lo + 1], &m->s[lo], (m->n - lo) * sizeof(*m->s));
	s = &m->s[lo];
	memset(s, 0, sizeof(*s));
	if ((s->name = strdup(name)) == NULL) {
		memmove(&m->s[lo], &m->s[lo + 1], (m->n - lo) * sizeof(*m->s));
		return NULL;
	}
	s->prev = s->first = s->last = INT64_MIN;
	m->n++;
	m->cache = lo;
	return s;
}

static int
month_index(dg_time t)
{
	struct dg_local lt;

	dg_time_local(t, &lt);
	return lt.year * 12 + lt.mon - 1;
}

/* The site's counts of month k, added when new; NULL: no memory. */
static struct mcount *
month_of(struct msite *s, int k)
{
	size_t i = s->nm;

	if (i > 0 && s->m[i - 1].month == k)
		return &s->m[i - 1];
	while (i > 0 && s->m[i - 1].month > k)
		i--;
	if (i > 0 && s->m[i - 1].month == k)
		return &s->m[i - 1];
	if (dg_grow(&s->m, &s->capm, s->nm + 1, sizeof(*s->m)) != 0)
		return NULL;
	memmove(&s->m[i + 1], &s->m[i], (s->nm - i) * sizeof(*s->m));
	memset(&s->m[i], 0, sizeof(s->m[i]));
	s->m[i].month = k;
	s->nm++;
	return &s->m[i];
}

/* The spacing from the site's row before, in a small tally. */
static void
tally(struct msite *s, dg_time t)
{
	int d, least = 0;

	if (s->prev == INT64_MIN || t <= s->prev || t - s->prev > 86400)
		return;
	d = (int)(t - s->prev);
	for (int i = 0; i < NSPACING; i++) {
		if (s->sp[i] == d) {
			s->spn[i]++;
			return;
		}
		if (s->spn[i] < s->spn[least])
			least = i;
	}
	s->sp[least] = d;
	s->spn[least] = 1;
}

/* Whether the list (',' or ';' between names) holds name[0..n). */
static int
listed(const char *list, const char *name, size_t n)
{
	while (list != NULL && *list != '\0') {
		size_t k = strcspn(list, ",;");

		if (k == n && strncmp(list, name, n) == 0)
			return 1;
		list += k + (list[k] != '\0');
	}
	return 0;
}

int
dg_health_quality_good(const char *q, const char *ok_flags)
{
	if (q[0] == '\0' || strcmp(q, "ok") == 0)
		return 1;
	while (*q != '\0') {
		size_t k = strcspn(q, ";");

		if (!listed(ok_flags, q, k))
			return 0;
		q += k + (q[k] != '\0');
	}
	return 1;
}

static int
read_row(struct dg_health_meters *m, struct dg_csv *r, const int *col,
    int instants, const char *ok_flags)
{
	struct msite *s = site_of(m, dg_csv_field(r, col[0], NULL));
	struct dg_tstamp ts;
	struct mcount *c;
	const char *q;
	dg_time t;
	int st;

	if (s == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	if ((st = dg_csv_get_time(r, col[1], &ts)) != DG_OK)
		return st;
	t = dg_tstamp_pick(&ts, s->prev);
	if (t == s->prev)
		return DG_OK;	/* a repeat */
	tally(s, t);
	s->instants = instants;
	s->prev = t;
	s->first = s->first == INT64_MIN || t < s->first ? t : s->first;
	s->last = t > s->last ? t : s->last;
	if ((c = month_of(s, month_index(t))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	c->rows++;
	q = col[3] >= 0 ? dg_csv_field(r, col[3], NULL) : "";
	if (dg_csv_is_empty(r, col[2])) {
		c->flagged++;
		return DG_OK;
	}
	c->received++;
	if (dg_health_quality_good(q, ok_flags))
		c->good++;
	else
		c->flagged++;
	return DG_OK;
}

int
dg_health_meters_read(struct dg_health_meters *m, const char *path,
    const char *column, const char *ok_flags, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	static const char *const values[] = {
		"load_kw", "demand_kw", "energy_kwh", "pulses"
	};
	struct dg_csv *r;
	int col[4], st;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	col[2] = column ? dg_csv_col(r, column) : -1;
	for (int i = 0; column == NULL && col[2] < 0 && i < 4; i++)
		col[2] = dg_csv_col(r, values[i]);
	col[3] = dg_csv_col(r, "quality");
	if ((st = dg_csv_require(r, "site", &col[0])) == DG_OK &&
	    (st = dg_csv_require(r, "time", &col[1])) == DG_OK && col[2] < 0)
		st = dg_csv_fail(r, -1, DG_EDATA, column ?
		    "missing column \"%s\"" : "no value column (%s)", column ?
		    column : "load_kw, demand_kw, energy_kwh or pulses");
	while (st == DG_OK && (st = dg_csv_next(r)) == DG_OK)
		st = read_row(m, r, col, strcmp(dg_csv_colname(r,
		    (size_t)col[2]), "pulses") == 0, ok_flags);
	dg_csv_close(r);
	return st == DG_EOF ? DG_OK : st;
}

/* The site's spacing: the given one, else the one seen most (0: none). */
static int
spacing(const struct msite *s, const struct dg_health_params *p)
{
	int best = 0;

	if (p->interval_s > 0)
		return p->interval_s;
	for (int i = 1; i < NSPACING; i++)
		if (s->spn[i] > s->spn[best])
			best = i;
	return s->spn[best] > 0 ? s->sp[best] : 0;
}

/* n / d (d > 0) at 1 decimal, rounded once, half away from zero. */
static dg_dec
tenths(int64_t n, int64_t d)
{
	dg_rat q = { n, d };
	dg_dec out;

	if (dg_rat_to_dec(q, 1, DG_RAT_ROUND, &out) != DG_OK)
		return dg_dec_make(0, 1);
	return out;
}

/* Seconds as hours. */
static dg_dec
hours_of(int64_t s)
{
	return tenths(s, 3600);
}

static int
has_site(const struct dg_health_meters *m, const char *name)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(m->s[mid].name, name);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A site whose data ends too long before now. */
static int
stale_site(const struct msite *s, const struct dg_health_params *p,
    struct dg_health *h)
{
	dg_time end = s->last + (s->instants ? 0 : spacing(s, p));
	int64_t age = p->now - end;
	int crit = age >= p->stale_crit_s;
	dg_dec v = hours_of(age);
	dg_dec lim = hours_of(crit ? p->stale_crit_s : p->stale_warn_s);
	char when[DG_TIME_BUFSZ], hrs[DG_DEC_BUFSZ];

	if (age < p->stale_warn_s)
		return DG_OK;
	dg_time_format(end, when, sizeof(when));
	dg_dec_format(v, hrs, sizeof(hrs));
	return dg_health_add(h, crit ? DG_HEALTH_CRITICAL : DG_HEALTH_WARNING,
	    "meter_stale", s->name, "meter", &v, &lim,
	    "site %s: its meter data ends %s, %s h ago", s->name, when, hrs);
}

int
dg_health_meters_stale(const struct dg_health_meters *m,
    const struct dg_sites *ss, const struct dg_health_params *p,
    struct dg_health *h)
{
	int st;

	for (size_t i = 0; i < m->n; i++)
		if ((st = stale_site(&m->s[i], p, h)) != DG_OK)
			return st;
	for (size_t i = 0; ss != NULL && i < ss->n; i++) {
		if (has_site(m, ss->v[i].site))
			continue;
		if ((st = dg_health_add(h, DG_HEALTH_CRITICAL, "meter_missing",
		    ss->v[i].site, "meter", NULL, NULL,
		    "site %s: no reading in any meter file", ss->v[i].site)) !=
		    DG_OK)
			return st;
	}
	return DG_OK;
}

/* --- Availability ------------------------------------------------------ */

dg_dec
dg_health_pct(long good, long expected)
{
	if (expected <= 0)
		return dg_dec_make(0, 1);
	return tenths((int64_t)good * 100, expected);
}

/* The instants of month k's start and end, the end no later than limit. */
static void
month_span(int k, dg_time limit, dg_time *lo, dg_time *hi)
{
	dg_date d0 = dg_date_from_ymd(k / 12, k % 12 + 1, 1);
	dg_date d1 = dg_date_from_ymd((k + 1) / 12, (k + 1) % 12 + 1, 1);

	dg_date_start(d0, lo);
	dg_date_start(d1, hi);
	if (*hi > limit)
		*hi = limit;
}

static const struct mcount *
count_of(const struct msite *s, int k)
{
	for (size_t i = 0; i < s->nm; i++)
		if (s->m[i].month == k)
			return &s->m[i];
	return NULL;
}

/* The months shown: [*k0, *k1], up to the day before now. */
struct span {
	int k0, k1;
	dg_time limit;		/* the start of now's day */
};

static void
shown(const struct dg_health_params *p, struct span *sp)
{
	dg_date_start(dg_date_of(p->now), &sp->limit);
	sp->k1 = month_index(sp->limit - 1);
	sp->k0 = sp->k1 - (p->months > 0 ? p->months : 1) + 1;
}

/* Site s's row of month k (its first month and later), into a. */
static int
site_month(const struct msite *s, const struct dg_health_params *p,
    const struct span *sp, int k, struct dg_health_avail *a)
{
	const struct mcount *c = count_of(s, k);
	int iv = spacing(s, p);
	dg_time lo, hi;

	if (iv == 0 || k < month_index(s->first))
		return 0;
	month_span(k, sp->limit, &lo, &hi);
	a->site = s->name;
	a->interval_s = iv;
	a->expected = hi > lo ? (long)((hi - lo) / iv) : 0;
	a->received = c ? c->received : 0;
	a->good = c ? c->good : 0;
	if (a->received > a->expected)
		a->received = a->expected;
	if (a->good > a->expected)
		a->good = a->expected;
	a->pct = dg_health_pct(a->good, a->expected);
	return a->expected > 0;
}

static void
month_name(int k, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", k / 12, k % 12 + 1);
}

/* A month of a site below the limits of availability. */
static int
low_finding(const struct dg_health_avail *a, const struct dg_health_params *p,
    struct dg_health *h)
{
	int crit = dg_dec_cmp(a->pct, p->avail_crit) < 0;
	const dg_dec *lim = crit ? &p->avail_crit : &p->avail_warn;
	char v[DG_DEC_BUFSZ], l[DG_DEC_BUFSZ];

	if (!crit && dg_dec_cmp(a->pct, p->avail_warn) >= 0)
		return DG_OK;
	dg_dec_format(a->pct, v, sizeof(v));
	dg_dec_format(*lim, l, sizeof(l));
	return dg_health_add(h, crit ? DG_HEALTH_CRITICAL : DG_HEALTH_WARNING,
	    "availability_low", a->site, a->month, &a->pct, lim,
	    "site %s: %s %% of %s's intervals received and good (%ld of %ld), below %s %%",
	    a->site, v, a->month, a->good, a->expected, l);
}

/* Adds a row's counts to sum (expected, received, good). */
static void
add_counts(long *sum, const struct dg_health_avail *a)
{
	sum[0] += a->expected;
	sum[1] += a->received;
	sum[2] += a->good;
}

static int
emit_sum(dg_health_avail_fn emit, void *arg, const char *site,
    const char *month, const long *sum)
{
	struct dg_health_avail a;

	if (emit == NULL || sum[0] == 0)
		return DG_OK;
	a.site = site;
	a.month = month;
	a.interval_s = 0;
	a.expected = sum[0];
	a.received = sum[1];
	a.good = sum[2];
	a.pct = dg_health_pct(a.good, a.expected);
	return emit(arg, &a);
}

/* Month k's rows: each site's, then TOTAL; each site's counts added to
 * all[3 i ..]. */
static int
month_rows(const struct dg_health_meters *m, const struct dg_health_params *p,
    const struct span *sp, int k, long *all, dg_health_avail_fn emit,
    void *arg, struct dg_health *h)
{
	long tot[3] = { 0, 0, 0 };
	struct dg_health_avail a;
	char name[16];
	int st;

	month_name(k, name, sizeof(name));
	for (size_t i = 0; i < m->n; i++) {
		if (!site_month(&m->s[i], p, sp, k, &a))
			continue;
		a.month = name;
		add_counts(tot, &a);
		add_counts(all + 3 * i, &a);
		if ((emit != NULL && (st = emit(arg, &a)) != DG_OK) ||
		    (k >= sp->k1 - 1 && (st = low_finding(&a, p, h)) != DG_OK))
			return st;
	}
	return emit_sum(emit, arg, NULL, name, tot);
}

/* The share of the rows of month k that are flagged, x 10^scale. */
static int
grew(const struct mcount *c, const struct mcount *b,
    const struct dg_health_params *p)
{
	__int128 fc = c->flagged, tc = c->rows, x;

	x = fc * 100;
	for (int i = 0; i < p->flag_min.scale; i++)
		x *= 10;
	if (x < (__int128)p->flag_min.v * tc)
		return 0;
	x = fc * b->rows;
	for (int i = 0; i < p->flag_growth.scale; i++)
		x *= 10;
	return x >= (__int128)p->flag_growth.v * b->flagged * tc;
}

/* A site whose share of flagged rows grew from the month before. */
static int
flags_finding(const struct msite *s, const struct span *sp,
    const struct dg_health_params *p, struct dg_health *h)
{
	const struct mcount *c = count_of(s, sp->k1);
	const struct mcount *b = count_of(s, sp->k1 - 1);
	char name[16], before[16], v[DG_DEC_BUFSZ], l[DG_DEC_BUFSZ];
	dg_dec cur, prev;

	if (c == NULL || b == NULL || c->rows == 0 || b->rows == 0 ||
	    !grew(c, b, p))
		return DG_OK;
	month_name(sp->k1, name, sizeof(name));
	month_name(sp->k1 - 1, before, sizeof(before));
	cur = dg_health_pct(c->flagged, c->rows);
	prev = dg_health_pct(b->flagged, b->rows);
	dg_dec_format(cur, v, sizeof(v));
	dg_dec_format(prev, l, sizeof(l));
	return dg_health_add(h, DG_HEALTH_WARNING, "flags_growing", s->name,
	    name, &cur, &prev,
	    "site %s: %s %% of %s's rows empty or flagged, %s %% in %s",
	    s->name, v, name, l, before);
}

int
dg_health_meters_availability(const struct dg_health_meters *m,
    const struct dg_health_params *p, dg_health_avail_fn emit, void *arg,
    struct dg_health *h)
{
	long *all = calloc(3 * m->n + 3, sizeof(*all));
	long tot[3] = { 0, 0, 0 };
	struct span sp;
	int st = DG_OK;

	if (all == NULL)
		return DG_ENOMEM;
	shown(p, &sp);
	for (int k = sp.k0; st == DG_OK && k <= sp.k1; k++)
		st = month_rows(m, p, &sp, k, all, emit, arg, h);
	for (size_t i = 0; st == DG_OK && i < m->n; i++) {
		tot[0] += all[3 * i];
		tot[1] += all[3 * i + 1];
		tot[2] += all[3 * i + 2];
		st = emit_sum(emit, arg, m->s[i].name, "all", all + 3 * i);
	}
	if (st == DG_OK)
		st = emit_sum(emit, arg, NULL, "all", tot);
	for (size_t i = 0; st == DG_OK && i < m->n; i++)
		st = flags_finding(&m->s[i], &sp, p, h);
	free(all);
	return st;
}
