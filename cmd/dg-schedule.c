/* dg-schedule: which blocks run at the cleared day-ahead prices, and each
 * generator's run schedule; the notices to send to the sites. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_gencost.h"
#include "dg_schedule.h"

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
"                   [--notices FILE] [--tz ZONE] [-d DELIM] [--crlf]\n"
"                   [--bom] [-o FILE]\n");
	exit(status);
}

/* One unit of the day: from --units, constraints from --generators. */
struct unit {
	const struct dg_gen *g;
	double kw[DG_SCHED_MAX_HOURS];
	double cost_h[DG_SCHED_MAX_HOURS];
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

struct day {
	dg_date date;
	dg_time t0;
	int nh;
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

static int
cmp_sitebid(const void *a, const void *b)
{
	return strcmp(((const struct sitebid *)a)->site,
	    ((const struct sitebid *)b)->site);
}

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t nc;

	if (n < *cap)
		return v;
	nc = *cap ? 2 * *cap : 64;
	if ((nv = realloc(v, nc * size)) == NULL)
		return NULL;
	memset((char *)nv + *cap * size, 0, (nc - *cap) * size);
	*cap = nc;
	return nv;
}

static int
read_units(const char *path, const struct dg_gens *gens, const struct day *d,
    const struct dg_csv_opts *o, struct unit **out, size_t *nout,
    struct dg_error *err)
{
	struct dg_csv *r;
	struct unit *v = NULL;
	size_t n = 0, cap = 0;
	int st, c_site, c_gen, c_time, c_kw, c_cost;
	dg_time prev = INT64_MIN;
	unsigned char *had;	/* per generator: its rows began */

	if ((had = calloc(gens->n + 1, 1)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK) {
		free(had);
		return st;
	}
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "gen", &c_gen)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "gen_kw", &c_kw)) != DG_OK ||
	    (st = dg_csv_require(r, "cost_usd_per_h", &c_cost)) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *site = dg_csv_field(r, c_site, NULL);
		const char *gen = dg_csv_field(r, c_gen, NULL);
		const struct dg_gen *g = dg_gens_find(gens, site, gen);
		struct unit *u = NULL;
		struct dg_tstamp ts;
		double kw, cost;
		int h;

		if (g == NULL) {
			st = dg_csv_fail(r, c_gen, DG_EDATA,
			    "generator \"%s\" at site \"%s\" is not in %s", gen,
			    site, gens->path);
			goto out;
		}
		/* rows of one unit together (dg-gencost --by-unit writes
		 * site by site, hour by hour): find it among the site's */
		for (size_t i = n; i-- > 0 && strcmp(v[i].g->site, site) == 0;)
			if (v[i].g == g) {
				u = &v[i];
				break;
			}
		if (u == NULL) {
			if (had[g - gens->v]) {
				st = dg_csv_fail(r, c_site, DG_EDATA,
				    "site \"%s\" appears again after other sites: sort by site",
				    site);
				goto out;
			}
			had[g - gens->v] = 1;
			if ((v = grow(v, &cap, n, sizeof(*v))) == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				goto out;
			}
			u = &v[n++];
			memset(u, 0, sizeof(*u));
			u->g = g;
			prev = INT64_MIN;
		}
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_kw, &kw)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_cost, &cost)) != DG_OK)
			goto out;
		prev = dg_tstamp_pick(&ts, prev);
		if ((h = hour_of(d, prev)) < 0) {
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "not an hour of the market day");
			goto out;
		}
		if (u->seen[h]) {
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "hour repeated for %s %s", site, gen);
			goto out;
		}
		if (kw < 0 || cost < 0) {
			st = dg_csv_fail(r, kw < 0 ? c_kw : c_cost, DG_EDATA,
			    "negative");
			goto out;
		}
		u->seen[h] = 1;
		u->kw[h] = kw;
		u->cost_h[h] = cost;
	}
	if (st != DG_EOF)
		goto out;
	st = DG_OK;
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_unit);
out:
	dg_csv_close(r);
	free(had);
	if (st != DG_OK) {
		free(v);
		return st;
	}
	*out = v;
	*nout = n;
	return DG_OK;
}

struct bidrow {
	char *site;
	int h;
	double price;
	long line;
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
read_blocks(const char *path, const struct day *d, const struct dg_csv_opts *o,
    struct sitebid **out, size_t *nout, struct dg_error *err)
{
	struct dg_csv *r;
	struct bidrow *br = NULL;
	struct sitebid *v = NULL;
	size_t nb = 0, capb = 0, n = 0, cap = 0;
	int st, c_site, c_time, c_block, c_price;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "block", &c_block)) != DG_OK ||
	    (st = dg_csv_require(r, "price_usd_per_mwh", &c_price)) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		struct bidrow *b;

		if (dg_csv_is_empty(r, c_block))
			continue;	/* in no block: not bid */
		if ((br = grow(br, &capb, nb, sizeof(*br))) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		b = &br[nb];
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_price, &b->price)) != DG_OK)
			goto out;
		/* several sites share an hour: file order cannot tell the
		 * repeated hour apart, so the stamps must carry offsets (as
		 * dg-blockopt writes them) */
		if (ts.naive) {
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "a stamp without UTC offset (dg-blockopt writes offsets)");
			goto out;
		}
		if ((b->h = hour_of(d, ts.t)) < 0) {
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "not an hour of the market day");
			goto out;
		}
		b->line = dg_csv_line(r);
		if ((b->site = strdup(dg_csv_field(r, c_site, NULL))) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		nb++;
	}
	if (st != DG_EOF)
		goto out;
	st = DG_OK;
	if (nb > 0)
		qsort(br, nb, sizeof(*br), cmp_bidrow);
	for (size_t i = 0; i < nb; i++) {
		if (n > 0 && strcmp(v[n - 1].site, br[i].site) == 0 &&
		    v[n - 1].in[br[i].h]) {
			st = dg_error_set(err, DG_EDATA, dg_csv_name(r),
			    br[i].line, "site", "site \"%s\" is in two blocks in this hour",
			    br[i].site);
			goto out;
		}
		if (n == 0 || strcmp(v[n - 1].site, br[i].site) != 0) {
			if ((v = grow(v, &cap, n, sizeof(*v))) == NULL) {
				st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
				    "out of memory");
				goto out;
			}
			v[n].site = br[i].site;
			br[i].site = NULL;	/* owned by v now */
			n++;
		}
		v[n - 1].in[br[i].h] = 1;
		v[n - 1].price[br[i].h] = br[i].price;
	}
out:
	dg_csv_close(r);
	for (size_t i = 0; i < nb; i++)
		free(br[i].site);
	free(br);
	if (st != DG_OK) {
		for (size_t i = 0; i < n; i++)
			free(v[i].site);
		free(v);
		return st;
	}
	*out = v;
	*nout = n;
	return DG_OK;
}

/* site,gen,on,hours,used_h_year */
static int
read_state(const char *path, struct unit *v, size_t n,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_site, c_gen, c_on, c_hours, c_used;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "gen", &c_gen)) != DG_OK ||
	    (st = dg_csv_require(r, "on", &c_on)) != DG_OK ||
	    (st = dg_csv_require(r, "hours", &c_hours)) != DG_OK ||
	    (st = dg_csv_require(r, "used_h_year", &c_used)) != DG_OK)
		goto out;
	while ((st = dg_csv_next(r)) == DG_OK) {
		const char *site = dg_csv_field(r, c_site, NULL);
		const char *gen = dg_csv_field(r, c_gen, NULL);
		int64_t on, hours, used;
		struct dg_gen kg;
		struct unit ku, *u;

		memset(&kg, 0, sizeof(kg));
		kg.site = (char *)site;
		kg.gen = (char *)gen;
		ku.g = &kg;
		u = n > 0 ? bsearch(&ku, v, n, sizeof(*v), cmp_unit) : NULL;
		if (dg_parse_int(dg_csv_field(r, c_on, NULL), 0, 1, &on) != DG_OK) {
			st = dg_csv_fail(r, c_on, DG_EDATA, "0 or 1: \"%s\"",
			    dg_csv_field(r, c_on, NULL));
			goto out;
		}
		if (dg_parse_int(dg_csv_field(r, c_hours, NULL), 0, 1000000, &hours) != DG_OK) {
			st = dg_csv_fail(r, c_hours, DG_EDATA,
			    "hours: a non-negative integer: \"%s\"",
			    dg_csv_field(r, c_hours, NULL));
			goto out;
		}
		if (dg_parse_int(dg_csv_field(r, c_used, NULL), 0, 8784, &used) != DG_OK) {
			st = dg_csv_fail(r, c_used, DG_EDATA,
			    "hours used this year: an integer from 0 to 8784: \"%s\"",
			    dg_csv_field(r, c_used, NULL));
			goto out;
		}
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

static int
write_notices(const char *path, struct dg_cli *cli, const struct unit *v,
    size_t n, const struct day *d, struct dg_error *err)
{
	struct dg_out *o;
	struct dg_csvw w;
	int st;
	static const char *const hdr[] = { "site", "start", "stop", "hours", "mw" };

	if ((st = dg_out_open(&o, path, err)) != DG_OK)
		return st;
	dg_csvw_init(&w, dg_out_fp(o), cli->delim, cli->crlf, cli->bom);
	st = dg_csvw_header(&w, hdr, 5);
	for (size_t i = 0, j; i < n && st == DG_OK; i = j) {
		double mw[DG_SCHED_MAX_HOURS] = { 0 };
		unsigned char on[DG_SCHED_MAX_HOURS] = { 0 };

		for (j = i; j < n && strcmp(v[j].g->site, v[i].g->site) == 0; j++)
			for (int h = 0; h < d->nh; h++)
				if (v[j].run[h]) {
					on[h] = 1;
					mw[h] += v[j].kw[h] / 1000;
				}
		for (int h = 0; h < d->nh && st == DG_OK;) {
			int s = h;
			double m = 0;

			if (!on[h]) {
				h++;
				continue;
			}
			while (h < d->nh && on[h]) {
				if (mw[h] > m)
					m = mw[h];
				h++;
			}
			dg_csvw_str(&w, v[i].g->site);
			dg_csvw_time(&w, d->t0 + 3600 * (dg_time)s);
			dg_csvw_time(&w, d->t0 + 3600 * (dg_time)h);
			dg_csvw_int(&w, h - s);
			dg_csvw_double(&w, m, 3);
			st = dg_csvw_end_row(&w);
		}
	}
	if (st != DG_OK) {
		dg_out_abort(o);
		return dg_error_set(err, st, path, 0, NULL, "write error");
	}
	return dg_out_commit(o, err);
}

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_error err;
	struct dg_gens gens;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_price *prices = NULL;
	struct unit *units = NULL;
	struct sitebid *bids = NULL;
	struct day day;
	size_t nprices = 0, nunits = 0, nbids = 0;
	const char *blocks_path = NULL, *prices_path = NULL, *units_path = NULL;
	const char *gen_path = NULL, *state_path = NULL, *notices_path = NULL;
	const char *zone = "LONGIL", *date_arg = NULL;
	double price[DG_SCHED_MAX_HOURS];
	int c, st = DG_OK, nstarts = 0, nrun = 0, ncleared = 0;
	int64_t total = 0;
	static const char *const header[] = { "site", "gen", "time", "run", "gen_kw" };

	dg_cli_init(&cli, "dg-schedule");
	dg_error_clear(&err);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_BLOCKS: blocks_path = optarg; break;
		case OPT_DATE: date_arg = optarg; break;
		case OPT_GENERATORS: gen_path = optarg; break;
		case OPT_NOTICES: notices_path = optarg; break;
		case OPT_PRICES: prices_path = optarg; break;
		case OPT_STATE: state_path = optarg; break;
		case OPT_UNITS: units_path = optarg; break;
		case OPT_ZONE: zone = optarg; break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	if (optind != argc)
		usage(stderr, DG_EX_USAGE);
	if (!date_arg || !blocks_path || !prices_path || !units_path || !gen_path) {
		dg_cli_warn("--date, --blocks, --prices, --units and --generators are required");
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_date_parse(date_arg, strlen(date_arg), &day.date) != DG_OK ||
	    dg_date_start(day.date, &day.t0) != DG_OK) {
		dg_cli_warn("--date: YYYY-MM-DD: \"%s\"", date_arg);
		usage(stderr, DG_EX_USAGE);
	}
	day.nh = dg_date_hours(day.date);

	memset(&gens, 0, sizeof(gens));
	if (dg_gens_read(&gens, gen_path, &cli.csv, &err) != DG_OK ||
	    dg_schedule_prices_read(prices_path, zone, &cli.csv, &prices,
	    &nprices, &err) != DG_OK ||
	    read_units(units_path, &gens, &day, &cli.csv, &units, &nunits, &err) != DG_OK ||
	    read_blocks(blocks_path, &day, &cli.csv, &bids, &nbids, &err) != DG_OK ||
	    (state_path && read_state(state_path, units, nunits, &cli.csv, &err) != DG_OK))
		goto fail;
	for (int h = 0; h < day.nh; h++) {
		const struct dg_price *p =
		    dg_schedule_price_at(prices, nprices, day.t0 + 3600 * (dg_time)h);
		char b[DG_TIME_BUFSZ];

		if (p == NULL) {
			dg_time_format(day.t0 + 3600 * (dg_time)h, b, sizeof(b));
			dg_error_set(&err, DG_EDATA, prices_path, 0, NULL,
			    "no price for the hour %s%s%s", b, zone ? " in zone " : "",
			    zone ? zone : "");
			goto fail;
		}
		price[h] = p->usd_per_mwh;
	}
	/* Per unit: allowed hours (its site's block cleared and it carries
	 * load), values in cents, then the program. */
	for (size_t i = 0; i < nunits; i++) {
		struct unit *u = &units[i];
		const struct dg_gen *g = u->g;
		struct sitebid key = { (char *)g->site, { 0 }, { 0 } }, *sb;
		struct dg_sched_unit su;
		int64_t val[DG_SCHED_MAX_HOURS], tot;
		int starts, left;

		sb = nbids ? bsearch(&key, bids, nbids, sizeof(*bids), cmp_sitebid) : NULL;
		for (int h = 0; h < day.nh; h++) {
			double v = price[h] * u->kw[h] / 1000 - u->cost_h[h];

			u->allowed[h] = sb && sb->in[h] && price[h] > sb->price[h] &&
			    u->kw[h] > 0;
			ncleared += u->allowed[h];
			val[h] = (int64_t)llround(v * 100);
		}
		memset(&su, 0, sizeof(su));
		su.nh = day.nh;
		su.value = val;
		su.allowed = u->allowed;
		su.min_run_h = g->min_run_h;
		su.max_run_h = g->max_run_h_day;
		if (g->permit_h_year != DG_GEN_NO_LIMIT) {
			left = g->permit_h_year - u->used_h_year;
			if (left < 0)
				left = 0;
			if (su.max_run_h < 0 || left < su.max_run_h)
				su.max_run_h = left;
		}
		su.start_cents = llround(g->start_usd * 100);
		su.init_on = u->init_on;
		su.init_hours = u->init_hours;
		su.commit = g->commit == DG_COMMIT_MUST_RUN ? DG_SCHED_MUST_RUN :
		    g->commit == DG_COMMIT_MUST_NOT_STOP ? DG_SCHED_MUST_NOT_STOP :
		    DG_SCHED_FREE;
		if (g->kind == DG_GEN_LOAD && g->commit == DG_COMMIT_MUST_NOT_STOP) {
			/* a process that must not stop (the kiln) is never
			 * curtailed */
			memset(u->run, 0, sizeof(u->run));
			continue;
		}
		st = dg_schedule_unit(&su, u->run, &tot, &starts);
		if (st == DG_EDATA) {
			dg_error_set(&err, DG_EDATA, gen_path, g->line, NULL,
			    "no schedule of %s %s meets its constraints (must-run, minimum run, hours left)",
			    g->site, g->gen);
			goto fail;
		}
		if (st != DG_OK) {
			dg_error_set(&err, DG_EINTERNAL, NULL, 0, NULL,
			    "schedule of %s %s: %s", g->site, g->gen, dg_strerror(st));
			goto fail;
		}
		total += tot;
		nstarts += starts;
		for (int h = 0; h < day.nh; h++)
			nrun += u->run[h];
	}
	if (notices_path && write_notices(notices_path, &cli, units, nunits, &day,
	    &err) != DG_OK)
		goto fail;

	out = dg_cli_open_output(&cli, &w);
	st = dg_csvw_header(&w, header, 5);
	for (size_t i = 0; i < nunits && st == DG_OK; i++)
		for (int h = 0; h < day.nh && st == DG_OK; h++) {
			dg_csvw_str(&w, units[i].g->site);
			dg_csvw_str(&w, units[i].g->gen);
			dg_csvw_time(&w, day.t0 + 3600 * (dg_time)h);
			dg_csvw_int(&w, units[i].run[h]);
			dg_csvw_double(&w, units[i].run[h] ? units[i].kw[h] : 0, 3);
			st = dg_csvw_end_row(&w);
		}
	if (st == DG_OK)
		dg_cli_warn("%zu units, %d unit-hours cleared, %d run, %d starts, value %.2f $",
		    nunits, ncleared, nrun, nstarts, (double)total / 100);
	if (st != DG_OK && st != DG_EPIPE)
		dg_error_set(&err, st, NULL, 0, NULL, "write error");
	st = dg_cli_finish(out, st, &err);
	if (0) {
fail:
		st = dg_cli_report(&err);
	}
	for (size_t i = 0; i < nbids; i++)
		free(bids[i].site);
	free(bids);
	free(units);
	free(prices);
	dg_gens_release(&gens);
	return st;
}
