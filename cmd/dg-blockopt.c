/* dg-blockopt: group the sites into bid blocks, hour by hour, at least
 * premium, with the optimality gap proved. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_blockopt.h"

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
"                   [--max-nodes N] [--summary] [--tz ZONE] [-d DELIM]\n"
"                   [--crlf] [--bom] [-o FILE] [FILE]\n");
	exit(status);
}

struct row {
	dg_time t;
	char *site;
	dg_dec kw, cost;	/* exact, as read */
	int offer;		/* kw > 0 with a cost */
	long line;
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->site, y->site);
}

struct hour_out {
	struct dg_csvw *w;
	int summary, weighted;
	struct dg_error *err;
};

/* One block's figures, exact: kW summed, price the dearest member's cost
 * (or the kW-weighted mean, rounded once to the cent), premium
 * sum (price - c_i) x kW_i / 1000 rounded once to the cent. */
struct blk {
	dg_dec kw, price, premium;
	int n;
};

static int
block_figures(const struct row *r, size_t n, const int *block, int b,
    int weighted, struct blk *out)
{
	dg_dec kw = dg_dec_make(0, 3), kwc = dg_dec_make(0, 5);
	dg_dec pmax = dg_dec_make(0, 2), prem = dg_dec_make(0, 5), milli;
	int st, first = 1;

	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		dg_dec x;

		if (!r[i].offer || block[i] != b)
			continue;
		if ((st = dg_dec_add(kw, r[i].kw, &kw)) != DG_OK ||
		    (st = dg_dec_mul(r[i].kw, r[i].cost, -1, &x)) != DG_OK ||
		    (st = dg_dec_add(kwc, x, &kwc)) != DG_OK)
			return st;
		if (first || dg_dec_cmp(r[i].cost, pmax) > 0)
			pmax = r[i].cost;
		first = 0;
		out->n++;
	}
	if (weighted) {
		if ((st = dg_dec_div(kwc, kw, 2, &out->price)) != DG_OK)
			return st;
	} else
		out->price = pmax;
	for (size_t i = 0; i < n; i++) {
		dg_dec d, x;

		if (!r[i].offer || block[i] != b)
			continue;
		if ((st = dg_dec_sub(out->price, r[i].cost, &d)) != DG_OK ||
		    (st = dg_dec_mul(d, r[i].kw, -1, &x)) != DG_OK ||
		    (st = dg_dec_add(prem, x, &prem)) != DG_OK)
			return st;
	}
	milli = dg_dec_make(1, 3);
	if ((st = dg_dec_mul(prem, milli, 2, &out->premium)) != DG_OK)
		return st;
	out->kw = kw;
	return DG_OK;
}

static int
write_hour(struct hour_out *ho, struct row *r, size_t n, const int *block,
    const struct dg_blockopt_result *res, int wanted)
{
	int st = DG_OK;
	const char *hq = res->undecided ? "undecided" :
	    !res->proven ? "unproven" : res->nblocks < wanted ? "fewer_blocks" : "ok";
	dg_dec gap;

	if (dg_dec_from_double(res->gap_usd_per_h, 2, &gap) != DG_OK)
		return dg_error_set(ho->err, DG_EINTERNAL, NULL, 0, NULL,
		    "gap out of range");
	for (int b = 1; b <= res->nblocks && st == DG_OK; b++) {
		struct blk k;

		if ((st = block_figures(r, n, block, b, ho->weighted, &k)) != DG_OK)
			return dg_error_set(ho->err, DG_ERANGE, NULL, 0, NULL,
			    "block totals out of range");
		if (ho->summary) {
			dg_csvw_time(ho->w, r[0].t);
			dg_csvw_int(ho->w, b);
			dg_csvw_int(ho->w, k.n);
			dg_csvw_dec(ho->w, k.kw, 3);
			dg_csvw_dec(ho->w, k.price, 2);
			dg_csvw_dec(ho->w, k.premium, 2);
			dg_csvw_dec(ho->w, gap, 2);
			dg_csvw_str(ho->w, hq);
			st = dg_csvw_end_row(ho->w);
			continue;
		}
		for (size_t i = 0; i < n && st == DG_OK; i++) {
			if (!r[i].offer || block[i] != b)
				continue;
			dg_csvw_time(ho->w, r[i].t);
			dg_csvw_int(ho->w, b);
			dg_csvw_str(ho->w, r[i].site);
			dg_csvw_dec(ho->w, r[i].kw, 3);
			dg_csvw_dec(ho->w, r[i].cost, 2);
			dg_csvw_dec(ho->w, k.kw, 3);
			dg_csvw_dec(ho->w, k.price, 2);
			dg_csvw_dec(ho->w, k.premium, 2);
			dg_csvw_dec(ho->w, gap, 2);
			dg_csvw_str(ho->w, hq);
			st = dg_csvw_end_row(ho->w);
		}
	}
	if (ho->summary)
		return st;
	/* sites in no block: nothing to offer, or too little for a block */
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		if (r[i].offer && block[i] > 0)
			continue;
		dg_csvw_time(ho->w, r[i].t);
		dg_csvw_empty(ho->w);
		dg_csvw_str(ho->w, r[i].site);
		dg_csvw_dec(ho->w, r[i].kw, 3);
		if (r[i].offer)
			dg_csvw_dec(ho->w, r[i].cost, 2);
		else
			dg_csvw_empty(ho->w);
		dg_csvw_empty(ho->w);
		dg_csvw_empty(ho->w);
		dg_csvw_empty(ho->w);
		dg_csvw_empty(ho->w);
		dg_csvw_str(ho->w, r[i].offer ? "unblocked" : "no_offer");
		st = dg_csvw_end_row(ho->w);
	}
	return st;
}

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_error err;
	struct dg_blockopt_opts bo;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct dg_blockopt *ws = NULL;
	struct row *rows = NULL;
	size_t n = 0, cap = 0, maxh = 0;
	double *kw = NULL, *cost = NULL, maxgap = 0;
	int *block = NULL, *idx_block = NULL;
	size_t *idx = NULL;
	int c, st, c_site, c_time, c_kw, c_cost, summary = 0, weighted = 0;
	long nfewer = 0, nunproven = 0, nnone = 0, nhours = 0, nnooffer = 0;
	long nodes = 0, nbnb = 0;
	char *prev_site = NULL;
	dg_time prev = INT64_MIN;
	struct hour_out ho;
	const char *input;
	static const char *const mheader[] = {
		"time", "block", "site", "gen_kw", "cost_usd_per_mwh", "block_kw",
		"price_usd_per_mwh", "premium_usd_per_h", "gap_usd_per_h", "quality"
	};
	static const char *const sheader[] = {
		"time", "block", "sites", "block_kw", "price_usd_per_mwh",
		"premium_usd_per_h", "gap_usd_per_h", "quality"
	};

	dg_cli_init(&cli, "dg-blockopt");
	dg_error_clear(&err);
	dg_blockopt_opts_init(&bo);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		int64_t v;

		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_BLOCKS:
			if (dg_parse_int(optarg, 1, 100, &v) != DG_OK) {
				dg_cli_warn("--blocks: an integer from 1 to 100: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			bo.nblocks = (int)v;
			break;
		case OPT_MAX_NODES:
			if (dg_parse_int(optarg, 0, INT64_MAX / 2, &v) != DG_OK) {
				dg_cli_warn("--max-nodes: a non-negative integer: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			bo.max_nodes = (long)v;
			break;
		case OPT_MIN_BLOCK_KW:
			if (dg_parse_double(optarg, &bo.min_block_kw) != DG_OK ||
			    bo.min_block_kw < 0) {
				dg_cli_warn("--min-block-kw: a non-negative number: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_PRICE:
			if (strcmp(optarg, "max") == 0)
				weighted = 0;
			else if (strcmp(optarg, "weighted") == 0)
				weighted = 1;
			else {
				dg_cli_warn("--price: max or weighted: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_SUMMARY:
			summary = 1;
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, DG_EX_USAGE);
	input = argc == 1 ? argv[0] : "-";

	if (dg_csv_open(&r, input, &cli.csv, &err) != DG_OK ||
	    dg_csv_require(r, "site", &c_site) != DG_OK ||
	    dg_csv_require(r, "time", &c_time) != DG_OK ||
	    dg_csv_require(r, "gen_kw", &c_kw) != DG_OK ||
	    dg_csv_require(r, "cost_usd_per_mwh", &c_cost) != DG_OK)
		goto fail;
	/* A day of a portfolio: read it whole, then hour by hour. */
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct row *x;
		struct dg_tstamp ts;
		const char *site = dg_csv_field(r, c_site, NULL);

		if (n == cap) {
			size_t nc = cap ? 2 * cap : 1024;
			struct row *nr = realloc(rows, nc * sizeof(*nr));

			if (nr == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				break;
			}
			rows = nr;
			cap = nc;
		}
		x = &rows[n];
		if (site[0] == '\0') {
			st = dg_csv_fail(r, c_site, DG_EDATA, "empty site name");
			break;
		}
		if (prev_site == NULL || strcmp(site, prev_site) != 0) {
			free(prev_site);
			prev = INT64_MIN;
			if ((prev_site = strdup(site)) == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				break;
			}
		}
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK ||
		    (st = dg_csv_get_dec(r, c_kw, &x->kw)) != DG_OK)
			break;
		if (dg_dec_sign(x->kw) < 0) {
			st = dg_csv_fail(r, c_kw, DG_EDATA, "negative: \"%s\"",
			    dg_csv_field(r, c_kw, NULL));
			break;
		}
		x->offer = dg_dec_sign(x->kw) > 0;
		x->cost = dg_dec_make(0, 2);
		if (dg_csv_is_empty(r, c_cost)) {
			if (x->offer) {
				st = dg_csv_fail(r, c_cost, DG_EDATA,
				    "empty (the site offers %s kW)",
				    dg_csv_field(r, c_kw, NULL));
				break;
			}
		} else if ((st = dg_csv_get_dec(r, c_cost, &x->cost)) != DG_OK)
			break;
		if (x->kw.scale > 3 || x->cost.scale > 2) {
			/* totals are kept exact at 3 and 2 decimals */
			if ((st = dg_dec_rescale(x->kw, 3, &x->kw)) != DG_OK ||
			    (st = dg_dec_rescale(x->cost, 2, &x->cost)) != DG_OK) {
				st = dg_csv_fail(r, c_kw, DG_ERANGE, "out of range");
				break;
			}
		}
		x->t = prev = dg_tstamp_pick(&ts, prev);
		x->line = dg_csv_line(r);
		if ((x->site = strdup(site)) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	if (st != DG_EOF)
		goto fail;
	qsort(rows, n, sizeof(*rows), cmp_row);
	for (size_t i = 1; i < n; i++)
		if (rows[i].t == rows[i - 1].t &&
		    strcmp(rows[i].site, rows[i - 1].site) == 0) {
			dg_error_set(&err, DG_EDATA, dg_csv_name(r),
			    rows[i].line > rows[i - 1].line ? rows[i].line : rows[i - 1].line,
			    "time", "site %s appears twice in this hour", rows[i].site);
			goto fail;
		}
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && rows[j].t == rows[i].t; j++)
			;
		if (j - i > maxh)
			maxh = j - i;
	}
	if ((ws = dg_blockopt_alloc(maxh, bo.nblocks)) == NULL ||
	    (kw = malloc((maxh + 1) * sizeof(double))) == NULL ||
	    (cost = malloc((maxh + 1) * sizeof(double))) == NULL ||
	    (block = malloc((maxh + 1) * sizeof(int))) == NULL ||
	    (idx_block = malloc((maxh + 1) * sizeof(int))) == NULL ||
	    (idx = malloc((maxh + 1) * sizeof(size_t))) == NULL) {
		dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
		goto fail;
	}

	out = dg_cli_open_output(&cli, &w);
	ho.w = &w;
	ho.summary = summary;
	ho.weighted = weighted;
	ho.err = &err;
	if (summary)
		st = dg_csvw_header(&w, sheader, sizeof(sheader) / sizeof(*sheader));
	else
		st = dg_csvw_header(&w, mheader, sizeof(mheader) / sizeof(*mheader));
	for (size_t i = 0, j; i < n && st == DG_OK; i = j) {
		struct dg_blockopt_result res;
		size_t m = 0;

		for (j = i; j < n && rows[j].t == rows[i].t; j++)
			if (rows[j].offer) {
				idx[m] = j - i;
				kw[m] = dg_dec_to_double(rows[j].kw);
				cost[m++] = dg_dec_to_double(rows[j].cost);
			} else
				nnooffer++;
		if (dg_blockopt_solve(ws, kw, cost, m, &bo, idx_block, &res) != DG_OK) {
			st = dg_error_set(&err, DG_EINTERNAL, NULL, 0, NULL,
			    "block optimizer refused an hour");
			break;
		}
		for (size_t k = 0; k < j - i; k++)
			block[k] = 0;
		for (size_t k = 0; k < m; k++)
			block[idx[k]] = idx_block[k];
		nhours++;
		nodes += res.nodes;
		nbnb += res.method == DG_BLOCKOPT_BY_BNB;
		if (res.nblocks == 0)
			nnone++;
		else if (res.nblocks < bo.nblocks)
			nfewer++;
		if (!res.proven || res.undecided) {
			nunproven++;
			if (res.gap_usd_per_h > maxgap)
				maxgap = res.gap_usd_per_h;
		}
		st = write_hour(&ho, &rows[i], j - i, block, &res, bo.nblocks);
	}
	if (st == DG_OK) {
		if (n == 0)
			dg_cli_warn("%s: no rows", dg_csv_name(r));
		if (nnooffer > 0)
			dg_cli_warn("%ld site-hour%s with nothing to offer", nnooffer,
			    nnooffer == 1 ? "" : "s");
		if (nfewer > 0)
			dg_cli_warn("%ld hour%s with fewer than %d blocks of %.1f kW",
			    nfewer, nfewer == 1 ? "" : "s", bo.nblocks, bo.min_block_kw);
		if (nnone > 0)
			dg_cli_warn("%ld hour%s with no block: less than %.1f kW offered",
			    nnone, nnone == 1 ? "" : "s", bo.min_block_kw);
		if (nbnb > 0)
			dg_cli_warn("%ld hour%s searched by branch and bound (%ld nodes)",
			    nbnb, nbnb == 1 ? "" : "s", nodes);
		if (nunproven > 0)
			dg_cli_warn("%ld hour%s not proved optimal within %ld nodes (largest gap %.2f $/h)",
			    nunproven, nunproven == 1 ? "" : "s", bo.max_nodes, maxgap);
	}
	if (st != DG_OK && st != DG_EPIPE && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "write error");
	st = dg_cli_finish(out, st, &err);
	if (0) {
fail:
		st = dg_cli_report(&err);
	}
	free(prev_site);
	dg_csv_close(r);
	for (size_t i = 0; i < n; i++)
		free(rows[i].site);
	free(rows);
	dg_blockopt_free(ws);
	free(kw);
	free(cost);
	free(block);
	free(idx_block);
	free(idx);
	return st;
}
