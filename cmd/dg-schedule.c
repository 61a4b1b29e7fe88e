/* dg-schedule: which blocks run at the cleared day-ahead prices, and each
 * generator's run schedule; the notices to send to the sites. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_gencost.h"
#include "dg_schedule.h"
#include "dg_util.h"

enum {
	OPT_BLOCKS = DG_OPT_FIRST_OWN,
	OPT_PRICES,
	OPT_ZONE,
	OPT_UNITS,
	OPT_GENERATORS,
	OPT_STATE,
	OPT_DATE,
	OPT_NOTICES
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "blocks", required_argument, NULL, OPT_BLOCKS },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "generators", required_argument, NULL, OPT_GENERATORS },
	{ "notices", required_argument, NULL, OPT_NOTICES },
	{ "prices", required_argument, NULL, OPT_PRICES },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "units", required_argument, NULL, OPT_UNITS },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-schedule --date DATE --blocks FILE --prices FILE --units FILE\n"
"                   --generators FILE [--zone NAME] [--state FILE]\n"
"                   [--notices FILE] [common options]\n"
DG_CLI_USAGE);
	exit(status);
}

struct day {
	dg_date date;
	dg_time t0;
	int nh;
};

struct opts {
	struct dg_cli cli;
	const char *blocks_path, *prices_path, *units_path, *gen_path;
	const char *state_path, *notices_path, *zone;
	struct day day;
	const char *date_arg;
};

/* The program's own options. */
static void
own_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_BLOCKS: o->blocks_path = arg; break;
	case OPT_GENERATORS: o->gen_path = arg; break;
	case OPT_NOTICES: o->notices_path = arg; break;
	case OPT_PRICES: o->prices_path = arg; break;
	case OPT_STATE: o->state_path = arg; break;
	case OPT_UNITS: o->units_path = arg; break;
	case OPT_ZONE:
		o->zone = dg_cli_zone_arg("--zone", "NYISO", arg, usage);
		break;
	case OPT_DATE:
		o->day.date = dg_cli_date_arg("--date", arg, usage);
		o->date_arg = arg;
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	if (optind != argc)
		usage(stderr, DG_EX_USAGE);
	if (!o->date_arg || !o->blocks_path || !o->prices_path ||
	    !o->units_path || !o->gen_path) {
		dg_cli_warn("--date, --blocks, --prices, --units and --generators are required");
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_date_start(o->day.date, &o->day.t0) != DG_OK) {
		dg_cli_warn("--date: a date YYYY-MM-DD: \"%s\"", o->date_arg);
		usage(stderr, DG_EX_USAGE);
	}
	o->day.nh = dg_date_hours(o->day.date);
}

/* One unit of the day: from --units, constraints from --generators. */
struct unit {
	const struct dg_gen *g;
	dg_dec kw[DG_SCHED_MAX_HOURS];		/* to the watt */
	double cost_h[DG_SCHED_MAX_HOURS];
	long line[DG_SCHED_MAX_HOURS];		/* in --units */
	unsigned char seen[DG_SCHED_MAX_HOURS];
	unsigned char allowed[DG_SCHED_MAX_HOURS];
	unsigned char run[DG_SCHED_MAX_HOURS];
	int init_on, init_hours, used_h_year;
};

struct sitebid {		/* block price of a site in each hour */
	char *site;
	double price[DG_SCHED_MAX_HOURS];
	unsigned char in[DG_SCHED_MAX_HOURS];
};

static int
hour_of(const struct day *d, dg_time t)
{
	if (t < d->t0 || (t - d->t0) % 3600 != 0 || (t - d->t0) / 3600 >= d->nh)
		return -1;
	return (int)((t - d->t0) / 3600);
}

static int
cmp_unit(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	int c = strcmp(x->g->site, y->g->site);

	return c ? c : strcmp(x->g->gen, y->g->gen);
}

/* bsearch: a (site, gen) key against a unit. */
struct unit_key {
	const char *site, *gen;
};

static int
cmp_unit_key(const void *a, const void *b)
{
	const struct unit_key *x = a;
	const struct unit *y = b;
	int c = strcmp(x->site, y->g->site);

	return c ? c : strcmp(x->gen, y->g->gen);
}

static int
cmp_sitebid(const void *a, const void *b)
{
	return strcmp(((const struct sitebid *)a)->site,
	    ((const struct sitebid *)b)->site);
}

/* --- --units ---------------------------------------------------------- */

struct units {
	struct unit *v;
	size_t n, cap;
	unsigned char *had;	/* per generator: its rows began */
	int c_site, c_gen, c_time, c_kw, c_cost;
	dg_time prev;
};

/* The unit of this row: rows of one unit together (dg-gencost --by-unit
 * writes site by site, hour by hour), found among the site's. */
static int
row_unit(struct dg_csv *r, struct units *us, const struct dg_gens *gens,
    struct unit **up)
{
	const char *site = dg_csv_field(r, us->c_site, NULL);
	const char *gen = dg_csv_field(r, us->c_gen, NULL);
	const struct dg_gen *g = dg_gens_find(gens, site, gen);

	if (g == NULL)
		return dg_csv_fail(r, us->c_gen, DG_EDATA,
		    "generator \"%s\" at site \"%s\" is not in %s", gen, site,
		    gens->path);
	for (size_t i = us->n; i-- > 0 && strcmp(us->v[i].g->site, site) == 0;)
		if (us->v[i].g == g) {
			*up = &us->v[i];
			return DG_OK;
		}
	if (us->had[g - gens->v])
		return dg_csv_fail(r, us->c_site, DG_EDATA,
		    "site \"%s\" appears again after other sites: sort by site",
		    site);
	us->had[g - gens->v] = 1;
	if (dg_grow(&us->v, &us->cap, us->n + 1, sizeof(*us->v)) != 0)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	*up = &us->v[us->n++];
	memset(*up, 0, sizeof(**up));
	(*up)->g = g;
	us->prev = INT64_MIN;
	return DG_OK;
}

static int
read_unit_row(struct dg_csv *r, struct units *us, const struct dg_gens *gens,
    const struct day *d)
{
	struct unit *u = NULL;
	struct dg_tstamp ts;
	dg_dec kw;
	double cost;
	int st, h;

	if ((st = row_unit(r, us, gens, &u)) != DG_OK ||
	    (st = dg_csv_get_time(r, us->c_time, &ts)) != DG_OK ||
	    (st = dg_csv_get_dec(r, us->c_kw, &kw)) != DG_OK ||
	    (st = dg_csv_get_double(r, us->c_cost, &cost)) != DG_OK)
		return st;
	if (dg_dec_rescale(kw, 3, &kw) != DG_OK)
		return dg_csv_fail(r, us->c_kw, DG_ERANGE,
		    "out of range (18 digits with 3 decimals)");
	us->prev = dg_tstamp_pick(&ts, us->prev);
	if ((h = hour_of(d, us->prev)) < 0)
		return dg_csv_fail(r, us->c_time, DG_EDATA,
		    "not an hour of the market day");
	if (u->seen[h])
		return dg_csv_fail(r, us->c_time, DG_EDATA,
		    "hour repeated for %s %s", u->g->site, u->g->gen);
	if (dg_dec_sign(kw) < 0 || cost < 0)
		return dg_csv_fail(r, dg_dec_sign(kw) < 0 ? us->c_kw :
		    us->c_cost, DG_EDATA, "negative");
	u->seen[h] = 1;
	u->kw[h] = kw;
	u->cost_h[h] = cost;
	u->line[h] = dg_csv_line(r);
	return DG_OK;
}

static int
read_units(const char *path, const struct dg_gens *gens, const struct day *d,
    const struct dg_csv_opts *o, struct units *us, struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	if ((us->had = calloc(gens->n + 1, 1)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &us->c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "gen", &us->c_gen)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &us->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "gen_kw", &us->c_kw)) != DG_OK ||
	    (st = dg_csv_require(r, "cost_usd_per_h", &us->c_cost)) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = read_unit_row(r, us, gens, d)) != DG_OK)
			goto out;
	if (st == DG_EOF)
		st = DG_OK;
	if (st == DG_OK && us->n > 1)
		qsort(us->v, us->n, sizeof(*us->v), cmp_unit);
out:
	dg_csv_close(r);
	return st;
}

/* --- --blocks --------------------------------------------------------- */

struct bidrow {
	char *site;
	int h;
	double price;
	long line;
};

struct bidrows {
	struct bidrow *v;
	size_t n, cap;
	int c_site, c_time, c_block, c_price;
};

static int
cmp_bidrow(const void *a, const void *b)
{
	const struct bidrow *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	if (c != 0)
		return c;
	if (x->h != y->h)
		return x->h - y->h;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
read_bidrow(struct dg_csv *r, const struct bidrows *bs, const struct day *d,
    struct bidrow *b)
{
	struct dg_tstamp ts;
	int st;

	if ((st = dg_csv_get_time(r, bs->c_time, &ts)) != DG_OK ||
	    (st = dg_csv_get_double(r, bs->c_price, &b->price)) != DG_OK)
		return st;
	/* several sites share an hour: file order cannot tell the repeated
	 * hour apart, so the stamps must carry offsets (as dg-blockopt
	 * writes them) */
	if (ts.naive)
		return dg_csv_fail(r, bs->c_time, DG_EDATA,
		    "a stamp without UTC offset (dg-blockopt writes offsets)");
	if ((b->h = hour_of(d, ts.t)) < 0)
		return dg_csv_fail(r, bs->c_time, DG_EDATA,
		    "not an hour of the market day");
	b->line = dg_csv_line(r);
	if ((b->site = strdup(dg_csv_field(r, bs->c_site, NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

static int
read_bidrows(const char *path, const struct day *d,
    const struct dg_csv_opts *o, struct bidrows *bs, struct dg_csv **rp,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	if ((st = dg_csv_open(rp, path, o, err)) != DG_OK)
		return st;
	r = *rp;
	if ((st = dg_csv_require(r, "site", &bs->c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &bs->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "block", &bs->c_block)) != DG_OK ||
	    (st = dg_csv_require(r, "price_usd_per_mwh",
	    &bs->c_price)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if (dg_csv_is_empty(r, bs->c_block))
			continue;	/* in no block: not bid */
		if (dg_grow(&bs->v, &bs->cap, bs->n + 1, sizeof(*bs->v)) != 0)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		if ((st = read_bidrow(r, bs, d, &bs->v[bs->n])) != DG_OK)
			return st;
		bs->n++;
	}
	if (st != DG_EOF)
		return st;
	if (bs->n > 1)
		qsort(bs->v, bs->n, sizeof(*bs->v), cmp_bidrow);
	return DG_OK;
}

struct sitebids {
	struct sitebid *v;
	size_t n, cap;
};

static void
sitebids_release(struct sitebids *sb)
{
	for (size_t i = 0; i < sb->n; i++)
		free(sb->v[i].site);
	free(sb->v);
}

/* The block price of every site in each hour it is bid. */
static int
read_blocks(const char *path, const struct day *d, const struct dg_csv_opts *o,
    struct sitebids *sb, struct dg_error *err)
{
	struct dg_csv *r = NULL;
	struct bidrows bs;
	int st;

	memset(&bs, 0, sizeof(bs));
	if ((st = read_bidrows(path, d, o, &bs, &r, err)) != DG_OK)
		goto out;
	for (size_t i = 0; i < bs.n; i++) {
		struct bidrow *b = &bs.v[i];
		struct sitebid *last = sb->n > 0 ? &sb->v[sb->n - 1] : NULL;

		if (last != NULL && strcmp(last->site, b->site) == 0 &&
		    last->in[b->h]) {
			st = dg_error_set(err, DG_EDATA, dg_csv_name(r),
			    b->line, "site",
			    "site \"%s\" is in two blocks in this hour",
			    b->site);
			goto out;
		}
		if (last == NULL || strcmp(last->site, b->site) != 0) {
			if (dg_grow(&sb->v, &sb->cap, sb->n + 1,
			    sizeof(*sb->v)) != 0) {
				st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
				    "out of memory");
				goto out;
			}
			last = &sb->v[sb->n++];
			memset(last, 0, sizeof(*last));
			last->site = b->site;
			b->site = NULL;	/* owned by sb now */
		}
		last->in[b->h] = 1;
		last->price[b->h] = b->price;
	}
out:
	dg_csv_close(r);
	for (size_t i = 0; i < bs.n; i++)
		free(bs.v[i].site);
	free(bs.v);
	return st;
}

/* --- --state ---------------------------------------------------------- */

static int
state_int(struct dg_csv *r, int c, int64_t hi, const char *what, int64_t *v)
{
	if (dg_parse_int(dg_csv_field(r, c, NULL), 0, hi, v) != DG_OK)
		return dg_csv_fail(r, c, DG_EDATA, "%s: \"%s\"", what,
		    dg_csv_field(r, c, NULL));
	return DG_OK;
}

/* site,gen,on,hours,used_h_year */
static int
read_state(const char *path, struct unit *v, size_t n,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c[5];
	static const char *const cols[] = {
		"site", "gen", "on", "hours", "used_h_year"
	};

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < 5; i++)
		if ((st = dg_csv_require(r, cols[i], &c[i])) != DG_OK)
			goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct unit_key k = { dg_csv_field(r, c[0], NULL),
		    dg_csv_field(r, c[1], NULL) };
		struct unit *u;
		int64_t on, hours, used;

		u = n > 0 ? bsearch(&k, v, n, sizeof(*v), cmp_unit_key) : NULL;
		if ((st = state_int(r, c[2], 1, "0 or 1", &on)) != DG_OK ||
		    (st = state_int(r, c[3], 1000000,
		    "hours: a non-negative integer", &hours)) != DG_OK ||
		    (st = state_int(r, c[4], 8784,
		    "hours used this year: an integer from 0 to 8784",
		    &used)) != DG_OK)
			goto out;
		if (u == NULL)
			continue;	/* a unit with nothing to do today */
		u->init_on = (int)on;
		u->init_hours = (int)hours;
		u->used_h_year = (int)used;
	}
	if (st == DG_EOF)
		st = DG_OK;
out:
	dg_csv_close(r);
	return st;
}

/* --- the day ---------------------------------------------------------- */

struct inputs {
	struct dg_gens gens;
	struct dg_price *prices;
	size_t nprices;
	struct units units;
	struct sitebids bids;
	double price[DG_SCHED_MAX_HOURS];	/* of each hour of the day */
};

static void
inputs_release(struct inputs *in)
{
	free(in->units.v);
	free(in->units.had);
	sitebids_release(&in->bids);
	free(in->prices);
	dg_gens_release(&in->gens);
}

/* Every hour of the day has a price. */
static int
day_prices(struct inputs *in, const struct opts *o, struct dg_error *err)
{
	const struct day *d = &o->day;

	for (int h = 0; h < d->nh; h++) {
		dg_time t = d->t0 + 3600 * (dg_time)h;
		const struct dg_price *p =
		    dg_schedule_price_at(in->prices, in->nprices, t);
		char b[DG_TIME_BUFSZ];

		if (p == NULL) {
			dg_time_format(t, b, sizeof(b));
			return dg_error_set(err, DG_EDATA, o->prices_path, 0,
			    NULL, "no price for the hour %s in zone %s", b,
			    o->zone);
		}
		in->price[h] = p->usd_per_mwh;
	}
	return DG_OK;
}

static int
inputs_load(struct inputs *in, const struct opts *o, struct dg_error *err)
{
	const struct dg_csv_opts *co = &o->cli.csv;
	int st;

	if ((st = dg_gens_read(&in->gens, o->gen_path, co, err)) != DG_OK ||
	    (st = dg_schedule_prices_read(o->prices_path, o->zone, co,
	    &in->prices, &in->nprices, err)) != DG_OK ||
	    (st = read_units(o->units_path, &in->gens, &o->day, co, &in->units,
	    err)) != DG_OK ||
	    (st = read_blocks(o->blocks_path, &o->day, co, &in->bids,
	    err)) != DG_OK ||
	    (o->state_path && (st = read_state(o->state_path, in->units.v,
	    in->units.n, co, err)) != DG_OK))
		return st;
	return day_prices(in, o, err);
}

struct tally {
	int cleared, run, starts;
	int64_t total;		/* cents */
};

/* A unit's hours: allowed when its site's block cleared (the price is
 * above the block's bid) and it carries load; the value of each. */
static int
unit_values(const struct inputs *in, const struct opts *o, struct unit *u,
    int64_t *val, struct tally *ty, struct dg_error *err)
{
	struct sitebid key = { (char *)u->g->site, { 0 }, { 0 } }, *sb;

	sb = in->bids.n ? bsearch(&key, in->bids.v, in->bids.n,
	    sizeof(*in->bids.v), cmp_sitebid) : NULL;
	for (int h = 0; h < o->day.nh; h++) {
		double kw = dg_dec_to_double(u->kw[h]);

		u->allowed[h] = sb && sb->in[h] &&
		    in->price[h] > sb->price[h] && kw > 0;
		ty->cleared += u->allowed[h];
		if (dg_schedule_value_cents(in->price[h], kw, u->cost_h[h],
		    &val[h]) != DG_OK)
			return dg_error_set(err, DG_ERANGE, o->units_path,
			    u->line[h], NULL,
			    "%s %s: the value of this hour (price x gen_kw / 1000 - cost_usd_per_h) is out of range",
			    u->g->site, u->g->gen);
	}
	return DG_OK;
}

static int
schedule_unit(const struct inputs *in, const struct opts *o, struct unit *u,
    struct tally *ty, struct dg_error *err)
{
	const struct dg_gen *g = u->g;
	struct dg_sched_unit su;
	int64_t val[DG_SCHED_MAX_HOURS], tot;
	int st, starts;

	if ((st = unit_values(in, o, u, val, ty, err)) != DG_OK)
		return st;
	if (g->kind == DG_GEN_LOAD && g->commit == DG_COMMIT_MUST_NOT_STOP) {
		/* a process that must not stop (the kiln) is never
		 * curtailed */
		memset(u->run, 0, sizeof(u->run));
		return DG_OK;
	}
	memset(&su, 0, sizeof(su));
	su.nh = o->day.nh;
	su.value = val;
	su.allowed = u->allowed;
	su.min_run_h = g->min_run_h;
	su.max_run_h = dg_schedule_max_run(g->max_run_h_day, g->permit_h_year,
	    u->used_h_year);
	if (dg_schedule_cents(g->start_usd, &su.start_cents) != DG_OK)
		return dg_error_set(err, DG_ERANGE, o->gen_path, g->line,
		    "start_usd", "%s %s: out of range", g->site, g->gen);
	su.init_on = u->init_on;
	su.init_hours = u->init_hours;
	su.commit = g->commit == DG_COMMIT_MUST_RUN ? DG_SCHED_MUST_RUN :
	    g->commit == DG_COMMIT_MUST_NOT_STOP ? DG_SCHED_MUST_NOT_STOP :
	    DG_SCHED_FREE;
	st = dg_schedule_unit(&su, u->run, &tot, &starts);
	if (st == DG_EDATA)
		return dg_error_set(err, DG_EDATA, o->gen_path, g->line, NULL,
		    "no schedule of %s %s meets its constraints (must-run, minimum run, hours left)",
		    g->site, g->gen);
	if (st != DG_OK)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "schedule of %s %s: %s", g->site, g->gen, dg_strerror(st));
	ty->total += tot;
	ty->starts += starts;
	for (int h = 0; h < o->day.nh; h++)
		ty->run += u->run[h];
	return DG_OK;
}

/* --- output ----------------------------------------------------------- */

static int
write_schedule(struct dg_csvw *w, const struct units *us, const struct day *d)
{
	static const char *const hdr[] = {
		"site", "gen", "time", "run", "gen_kw"
	};
	int st = dg_csvw_header(w, hdr, 5);

	for (size_t i = 0; i < us->n && st == DG_OK; i++)
		for (int h = 0; h < d->nh && st == DG_OK; h++) {
			const struct unit *u = &us->v[i];

			dg_csvw_str(w, u->g->site);
			dg_csvw_str(w, u->g->gen);
			dg_csvw_time(w, d->t0 + 3600 * (dg_time)h);
			dg_csvw_int(w, u->run[h]);
			dg_csvw_dec(w, u->run[h] ? u->kw[h] : dg_dec_make(0, 3),
			    3);
			st = dg_csvw_end_row(w);
		}
	return st;
}

/* The site's kW in each hour any of its units v[0..n) runs. */
static int
site_kw(const struct unit *v, size_t n, const struct day *d, dg_dec *kw,
    unsigned char *on)
{
	for (int h = 0; h < d->nh; h++) {
		kw[h] = dg_dec_make(0, 3);
		on[h] = 0;
		for (size_t j = 0; j < n; j++)
			if (v[j].run[h]) {
				on[h] = 1;
				if (dg_dec_add(kw[h], v[j].kw[h], &kw[h]) !=
				    DG_OK)
					return DG_ERANGE;
			}
	}
	return DG_OK;
}

/* One notice per stretch of hours in which the site runs: its start,
 * stop, hours, and largest hourly MW. */
static int
write_stretches(struct dg_csvw *w, const char *site, const dg_dec *kw,
    const unsigned char *on, const struct day *d)
{
	int st = DG_OK;

	for (int h = 0; h < d->nh && st == DG_OK;) {
		int s = h;
		dg_dec m = dg_dec_make(0, 3), mw;

		if (!on[h]) {
			h++;
			continue;
		}
		for (; h < d->nh && on[h]; h++)
			if (dg_dec_cmp(kw[h], m) > 0)
				m = kw[h];
		if (dg_dec_div(m, dg_dec_make(1000, 0), 3, &mw) != DG_OK)
			return DG_EINTERNAL;
		dg_csvw_str(w, site);
		dg_csvw_time(w, d->t0 + 3600 * (dg_time)s);
		dg_csvw_time(w, d->t0 + 3600 * (dg_time)h);
		dg_csvw_int(w, h - s);
		dg_csvw_dec(w, mw, 3);
		st = dg_csvw_end_row(w);
	}
	return st;
}

static int
write_notices(struct dg_csvw *w, const struct units *us, const struct opts *o,
    struct dg_error *err)
{
	static const char *const hdr[] = {
		"site", "start", "stop", "hours", "mw"
	};
	const struct unit *v = us->v;
	int st = dg_csvw_header(w, hdr, 5);

	for (size_t i = 0, j; i < us->n && st == DG_OK; i = j) {
		dg_dec kw[DG_SCHED_MAX_HOURS];
		unsigned char on[DG_SCHED_MAX_HOURS];

		for (j = i; j < us->n &&
		    strcmp(v[j].g->site, v[i].g->site) == 0; j++)
			;
		if (site_kw(&v[i], j - i, &o->day, kw, on) != DG_OK)
			return dg_error_set(err, DG_ERANGE, o->units_path,
			    v[i].line[0], "gen_kw",
			    "site %s: its units' kW add up past 18 digits",
			    v[i].g->site);
		st = write_stretches(w, v[i].g->site, kw, on, &o->day);
	}
	if (st != DG_OK && err->status == DG_OK)
		dg_error_set(err, st, o->notices_path, 0, NULL, "write error");
	return st;
}

static int
run(struct opts *o)
{
	struct dg_error err;
	struct dg_csvw w, nw;
	struct dg_out *out[2] = { NULL, NULL };
	struct inputs in;
	struct tally ty;
	int st;

	dg_error_clear(&err);
	memset(&in, 0, sizeof(in));
	memset(&ty, 0, sizeof(ty));
	if ((st = inputs_load(&in, o, &err)) != DG_OK)
		goto fail;
	for (size_t i = 0; i < in.units.n && st == DG_OK; i++)
		st = schedule_unit(&in, o, &in.units.v[i], &ty, &err);
	if (st != DG_OK)
		goto fail;
	/* every output open before any is written; committed together */
	out[0] = dg_cli_open_output(&o->cli, &w);
	if (o->notices_path != NULL)
		out[1] = dg_cli_open_more(&o->cli, o->notices_path, &nw);
	st = write_schedule(&w, &in.units, &o->day);
	if (st == DG_OK && out[1] != NULL)
		st = write_notices(&nw, &in.units, o, &err);
	if (st == DG_OK)
		dg_cli_warn("%zu units, %d unit-hours cleared, %d run, %d starts, value %.2f $",
		    in.units.n, ty.cleared, ty.run, ty.starts,
		    (double)ty.total / 100);
	st = dg_cli_finish_all(out, 2, st, &err);
	inputs_release(&in);
	return st;
fail:
	inputs_release(&in);
	return dg_cli_report(&err);
}

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	dg_cli_init(&o.cli, "dg-schedule");
	/* its input is a dg- program's output: without a final line end it
	 * was cut short (dgagg(7)) */
	o.cli.csv.final_newline = 1;
	o.zone = "LONGIL";
	parse(&o, argc, argv);
	return run(&o);
}
