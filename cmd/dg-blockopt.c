/* dg-blockopt: group the sites into bid blocks, hour by hour, at least
 * premium, with the optimality gap proved. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_blockopt.h"
#include "dg_util.h"

enum {
	OPT_BLOCKS = DG_OPT_FIRST_OWN,
	OPT_MIN_BLOCK_KW,
	OPT_PRICE,
	OPT_MAX_NODES,
	OPT_SUMMARY
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "blocks", required_argument, NULL, OPT_BLOCKS },
	{ "max-nodes", required_argument, NULL, OPT_MAX_NODES },
	{ "min-block-kw", required_argument, NULL, OPT_MIN_BLOCK_KW },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-blockopt [--blocks N] [--min-block-kw KW] [--price max|weighted]\n"
"                   [--max-nodes N] [--summary] [common options] [FILE]\n"
DG_CLI_USAGE);
	exit(status);
}

struct opts {
	struct dg_cli cli;
	struct dg_blockopt_opts bo;
	int summary;
	int pricing;		/* enum dg_blockopt_pricing */
	const char *input;
};

/* The program's own options. */
static void
own_option(struct opts *o, int c, const char *arg)
{
	static const char *const prices[] = { "max", "weighted", NULL };

	switch (c) {
	case OPT_BLOCKS:
		o->bo.nblocks = dg_cli_int_arg("--blocks", arg, 1, 100, usage);
		break;
	case OPT_MAX_NODES:
		o->bo.max_nodes = dg_cli_int_arg("--max-nodes", arg, 0,
		    INT_MAX, usage);
		break;
	case OPT_MIN_BLOCK_KW:
		o->bo.min_block_kw = dg_dec_to_double(dg_cli_dec_arg(
		    "--min-block-kw", arg, "0", "100000000", usage));
		break;
	case OPT_PRICE:
		o->pricing = dg_cli_keyword_arg("--price", arg, prices, usage);
		break;
	case OPT_SUMMARY:
		o->summary = 1;
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
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	o->input = optind < argc ? argv[optind] : "-";
}

/* --- the day's offers ------------------------------------------------ */

struct row {
	dg_time t;
	char *site;
	dg_dec kw, cost;	/* dg_blockopt_offer's */
	int offer;		/* kw > 0 with a cost */
	long line;
};

struct rows {
	struct row *v;
	size_t n, cap;
	size_t maxh;		/* most rows in one hour */
	int c_site, c_time, c_kw, c_cost;
	char *prev_site;	/* naive stamps: the site of the last row */
	dg_time prev;
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->site, y->site);
}

/* The stamp of this row: a naive stamp of a repeated hour is told apart
 * by the site's previous row. */
static int
row_time(struct dg_csv *r, struct rows *rs, const char *site, dg_time *t)
{
	struct dg_tstamp ts;
	int st;

	if (rs->prev_site == NULL || strcmp(site, rs->prev_site) != 0) {
		free(rs->prev_site);
		rs->prev = INT64_MIN;
		if ((rs->prev_site = strdup(site)) == NULL)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	}
	if ((st = dg_csv_get_time(r, rs->c_time, &ts)) != DG_OK)
		return st;
	*t = rs->prev = dg_tstamp_pick(&ts, rs->prev);
	return DG_OK;
}

static int
read_row(struct dg_csv *r, struct rows *rs, struct row *x)
{
	const char *site = dg_csv_field(r, rs->c_site, NULL);
	dg_dec kw, cost = dg_dec_make(0, DG_BLOCKOPT_USD_SCALE);
	int st, which;

	if (site[0] == '\0')
		return dg_csv_fail(r, rs->c_site, DG_EDATA, "empty site name");
	if ((st = row_time(r, rs, site, &x->t)) != DG_OK ||
	    (st = dg_csv_get_dec(r, rs->c_kw, &kw)) != DG_OK)
		return st;
	if (dg_dec_sign(kw) < 0)
		return dg_csv_fail(r, rs->c_kw, DG_EDATA, "negative: \"%s\"",
		    dg_csv_field(r, rs->c_kw, NULL));
	x->offer = dg_dec_sign(kw) > 0;
	if (dg_csv_is_empty(r, rs->c_cost)) {
		if (x->offer)
			return dg_csv_fail(r, rs->c_cost, DG_EDATA,
			    "empty (the site offers %s kW)",
			    dg_csv_field(r, rs->c_kw, NULL));
	} else if ((st = dg_csv_get_dec(r, rs->c_cost, &cost)) != DG_OK)
		return st;
	if (dg_blockopt_offer(kw, cost, &x->kw, &x->cost, &which) != DG_OK)
		return dg_csv_fail(r, which ? rs->c_cost : rs->c_kw, DG_ERANGE,
		    "out of range");
	x->line = dg_csv_line(r);
	if ((x->site = strdup(site)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

/* Sorted by hour and site; a site twice in an hour is an error. */
static int
sort_rows(struct rows *rs, const char *name, struct dg_error *err)
{
	const struct row *v = rs->v;

	if (rs->n > 1)
		qsort(rs->v, rs->n, sizeof(*rs->v), cmp_row);
	for (size_t i = 1; i < rs->n; i++)
		if (v[i].t == v[i - 1].t &&
		    strcmp(v[i].site, v[i - 1].site) == 0)
			return dg_error_set(err, DG_EDATA, name,
			    v[i].line > v[i - 1].line ?
			    v[i].line : v[i - 1].line, "time",
			    "site %s appears twice in this hour", v[i].site);
	for (size_t i = 0, j; i < rs->n; i = j) {
		for (j = i; j < rs->n && v[j].t == v[i].t; j++)
			;
		if (j - i > rs->maxh)
			rs->maxh = j - i;
	}
	return DG_OK;
}

/* A day of a portfolio: read whole, then solved hour by hour. */
static int
read_rows(const struct opts *o, struct rows *rs, struct dg_csv **rp,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	if ((st = dg_csv_open(rp, o->input, &o->cli.csv, err)) != DG_OK)
		return st;
	r = *rp;
	if ((st = dg_csv_require(r, "site", &rs->c_site)) != DG_OK ||
	    (st = dg_csv_require(r, "time", &rs->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "gen_kw", &rs->c_kw)) != DG_OK ||
	    (st = dg_csv_require(r, "cost_usd_per_mwh", &rs->c_cost)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if (dg_grow(&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v)) != 0)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		if ((st = read_row(r, rs, &rs->v[rs->n])) != DG_OK)
			return st;
		rs->n++;
	}
	if (st != DG_EOF)
		return st;
	return sort_rows(rs, dg_csv_name(r), err);
}

static void
rows_release(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].site);
	free(rs->v);
	free(rs->prev_site);
}

/* --- one hour -------------------------------------------------------- */

/* The solver's view of one hour (its offers only) and the answer. */
struct hour {
	struct dg_blockopt *ws;
	double *kw, *cost;	/* offers, for the solver */
	dg_dec *dkw, *dcost;	/* the same, exact, for the figures */
	size_t *idx;		/* offer k is row idx[k] of the hour */
	int *block;		/* per offer */
	struct dg_blockopt_result res;
	size_t m;		/* offers */
};

static int
hour_alloc(struct hour *h, size_t maxh, int nblocks)
{
	size_t n = maxh + 1;

	memset(h, 0, sizeof(*h));
	h->ws = dg_blockopt_alloc(maxh, nblocks);
	h->kw = malloc(n * sizeof(*h->kw));
	h->cost = malloc(n * sizeof(*h->cost));
	h->dkw = malloc(n * sizeof(*h->dkw));
	h->dcost = malloc(n * sizeof(*h->dcost));
	h->idx = malloc(n * sizeof(*h->idx));
	h->block = malloc(n * sizeof(*h->block));
	return h->ws && h->kw && h->cost && h->dkw && h->dcost && h->idx &&
	    h->block ? DG_OK : DG_ENOMEM;
}

static void
hour_free(struct hour *h)
{
	dg_blockopt_free(h->ws);
	free(h->kw);
	free(h->cost);
	free(h->dkw);
	free(h->dcost);
	free(h->idx);
	free(h->block);
}

/* What the run says on standard error at its end. */
struct tally {
	long hours, fewer, none, unproven, bnb, nodes, nooffer;
	double maxgap;
};

static int
solve_hour(struct hour *h, const struct row *r, size_t n,
    const struct dg_blockopt_opts *bo, struct tally *ty)
{
	const struct dg_blockopt_result *res = &h->res;

	h->m = 0;
	for (size_t i = 0; i < n; i++)
		if (r[i].offer) {
			h->idx[h->m] = i;
			h->dkw[h->m] = r[i].kw;
			h->dcost[h->m] = r[i].cost;
			h->kw[h->m] = dg_dec_to_double(r[i].kw);
			h->cost[h->m++] = dg_dec_to_double(r[i].cost);
		} else
			ty->nooffer++;
	if (dg_blockopt_solve(h->ws, h->kw, h->cost, h->m, bo, h->block,
	    &h->res) != DG_OK)
		return DG_EINTERNAL;
	ty->hours++;
	ty->nodes += res->nodes;
	ty->bnb += res->method == DG_BLOCKOPT_BY_BNB;
	if (res->nblocks == 0)
		ty->none++;
	else if (res->nblocks < bo->nblocks)
		ty->fewer++;
	if (!res->proven || res->undecided) {
		ty->unproven++;
		if (res->gap_usd_per_h > ty->maxgap)
			ty->maxgap = res->gap_usd_per_h;
	}
	return DG_OK;
}

struct writer {
	struct dg_csvw *w;
	const struct opts *o;
	const char *name;	/* the input, for messages */
	struct dg_error *err;
};

static void
put_figures(struct dg_csvw *w, const struct dg_blockopt_figures *f,
    dg_dec gap, const char *hq)
{
	dg_csvw_dec(w, f->kw, DG_BLOCKOPT_KW_SCALE);
	dg_csvw_dec(w, f->price, DG_BLOCKOPT_USD_SCALE);
	dg_csvw_dec(w, f->premium, DG_BLOCKOPT_USD_SCALE);
	dg_csvw_dec(w, gap, DG_BLOCKOPT_USD_SCALE);
	dg_csvw_str(w, hq);
}

/* Block b's rows: one per member, or with --summary one for the block. */
static int
write_block(struct writer *wr, const struct hour *h, const struct row *r,
    int b, dg_dec gap, const char *hq)
{
	struct dg_blockopt_figures f;
	struct dg_csvw *w = wr->w;
	size_t bad = 0;
	int st = DG_OK;

	if (dg_blockopt_figures(h->dkw, h->dcost, h->m, h->block, b,
	    wr->o->pricing, &f, &bad) != DG_OK)
		return dg_error_set(wr->err, DG_ERANGE, wr->name,
		    r[h->idx[bad]].line, "gen_kw",
		    "block %d of this hour: its totals are out of range", b);
	if (wr->o->summary) {
		dg_csvw_time(w, r[0].t);
		dg_csvw_int(w, b);
		dg_csvw_int(w, f.n);
		put_figures(w, &f, gap, hq);
		return dg_csvw_end_row(w);
	}
	for (size_t k = 0; k < h->m && st == DG_OK; k++) {
		const struct row *x = &r[h->idx[k]];

		if (h->block[k] != b)
			continue;
		dg_csvw_time(w, x->t);
		dg_csvw_int(w, b);
		dg_csvw_str(w, x->site);
		dg_csvw_dec(w, x->kw, DG_BLOCKOPT_KW_SCALE);
		dg_csvw_dec(w, x->cost, DG_BLOCKOPT_USD_SCALE);
		put_figures(w, &f, gap, hq);
		st = dg_csvw_end_row(w);
	}
	return st;
}

/* The sites in no block: nothing to offer, or too little for a block. */
static int
write_unblocked(struct dg_csvw *w, const struct hour *h, const struct row *r,
    size_t n)
{
	int st = DG_OK;
	size_t k = 0;

	for (size_t i = 0; i < n && st == DG_OK; i++) {
		int blocked = k < h->m && h->idx[k] == i && h->block[k++] > 0;

		if (blocked)
			continue;
		dg_csvw_time(w, r[i].t);
		dg_csvw_empty(w);
		dg_csvw_str(w, r[i].site);
		dg_csvw_dec(w, r[i].kw, DG_BLOCKOPT_KW_SCALE);
		if (r[i].offer)
			dg_csvw_dec(w, r[i].cost, DG_BLOCKOPT_USD_SCALE);
		else
			dg_csvw_empty(w);
		for (int e = 0; e < 4; e++)	/* block_kw ... gap_usd_per_h */
			dg_csvw_empty(w);
		dg_csvw_str(w, r[i].offer ? "unblocked" : "no_offer");
		st = dg_csvw_end_row(w);
	}
	return st;
}

static int
write_hour(struct writer *wr, const struct hour *h, const struct row *r,
    size_t n)
{
	const struct dg_blockopt_result *res = &h->res;
	const char *hq = res->undecided ? "undecided" :
	    !res->proven ? "unproven" :
	    res->nblocks < wr->o->bo.nblocks ? "fewer_blocks" : "ok";
	dg_dec gap;
	int st = DG_OK;

	if (dg_dec_from_double(res->gap_usd_per_h, DG_BLOCKOPT_USD_SCALE,
	    &gap) != DG_OK)
		return dg_error_set(wr->err, DG_ERANGE, wr->name, r[0].line,
		    "gen_kw", "the gap of this hour is out of range");
	for (int b = 1; b <= res->nblocks && st == DG_OK; b++)
		st = write_block(wr, h, r, b, gap, hq);
	if (st == DG_OK && !wr->o->summary)
		st = write_unblocked(wr->w, h, r, n);
	return st;
}

static void
warn_tally(const struct tally *ty, const struct opts *o, size_t nrows,
    const char *name)
{
	const struct dg_blockopt_opts *bo = &o->bo;

	if (nrows == 0)
		dg_cli_warn("%s: no rows", name);
	if (ty->nooffer > 0)
		dg_cli_warn("%ld site-hour%s with nothing to offer",
		    ty->nooffer, ty->nooffer == 1 ? "" : "s");
	if (ty->fewer > 0)
		dg_cli_warn("%ld hour%s with fewer than %d blocks of %.1f kW",
		    ty->fewer, ty->fewer == 1 ? "" : "s", bo->nblocks,
		    bo->min_block_kw);
	if (ty->none > 0)
		dg_cli_warn("%ld hour%s with no block: less than %.1f kW offered",
		    ty->none, ty->none == 1 ? "" : "s", bo->min_block_kw);
	if (ty->bnb > 0)
		dg_cli_warn("%ld hour%s searched by branch and bound (%ld nodes)",
		    ty->bnb, ty->bnb == 1 ? "" : "s", ty->nodes);
	if (ty->unproven > 0)
		dg_cli_warn("%ld hour%s not proved optimal within %ld nodes (largest gap %.2f $/h)",
		    ty->unproven, ty->unproven == 1 ? "" : "s", bo->max_nodes,
		    ty->maxgap);
}

static int
write_hours(struct writer *wr, const struct rows *rs, struct hour *h,
    struct tally *ty)
{
	static const char *const mheader[] = {
		"time", "block", "site", "gen_kw", "cost_usd_per_mwh",
		"block_kw", "price_usd_per_mwh", "premium_usd_per_h",
		"gap_usd_per_h", "quality"
	};
	static const char *const sheader[] = {
		"time", "block", "sites", "block_kw", "price_usd_per_mwh",
		"premium_usd_per_h", "gap_usd_per_h", "quality"
	};
	int st;

	st = wr->o->summary ? dg_csvw_header(wr->w, sheader, 8) :
	    dg_csvw_header(wr->w, mheader, 10);
	for (size_t i = 0, j; i < rs->n && st == DG_OK; i = j) {
		for (j = i; j < rs->n && rs->v[j].t == rs->v[i].t; j++)
			;
		if (solve_hour(h, &rs->v[i], j - i, &wr->o->bo, ty) != DG_OK)
			return dg_error_set(wr->err, DG_EINTERNAL, NULL, 0,
			    NULL, "block optimizer refused an hour");
		st = write_hour(wr, h, &rs->v[i], j - i);
	}
	return st;
}

static int
run(struct opts *o)
{
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out = NULL;
	struct dg_csv *r = NULL;
	struct rows rs;
	struct hour h;
	struct tally ty;
	struct writer wr = { &w, o, NULL, &err };
	int st;

	dg_error_clear(&err);
	memset(&rs, 0, sizeof(rs));
	memset(&ty, 0, sizeof(ty));
	memset(&h, 0, sizeof(h));
	if ((st = read_rows(o, &rs, &r, &err)) == DG_OK &&
	    (st = hour_alloc(&h, rs.maxh, o->bo.nblocks)) != DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "out of memory");
	if (st != DG_OK) {
		st = dg_cli_report(&err);
		goto done;
	}
	wr.name = dg_csv_name(r);
	out = dg_cli_open_output(&o->cli, &w);
	if ((st = write_hours(&wr, &rs, &h, &ty)) == DG_OK)
		warn_tally(&ty, o, rs.n, dg_csv_name(r));
	st = dg_cli_finish(out, st, &err);
done:
	dg_csv_close(r);
	rows_release(&rs);
	hour_free(&h);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	dg_cli_init(&o.cli, "dg-blockopt");
	/* its input is a dg- program's output: without a final line end it
	 * was cut short (dgagg(7)) */
	o.cli.csv.final_newline = 1;
	dg_blockopt_opts_init(&o.bo);
	parse(&o, argc, argv);
	return run(&o);
}
