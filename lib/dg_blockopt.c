/* dg_blockopt.c: exact grouping of sites into bid blocks.
 *
 * Sites are sorted by cost, dearest first; a block's price is then the
 * cost of its first member.  Both bounds come from one dynamic program over
 * sorted "cut points" on the line of cumulative kW:
 *     F_b(x) = min over x' <= x - M of F_{b-1}(x') + c(x') (x - x')
 * where c(x') is the cost of the site at position x'.  With the cut points
 * at site boundaries it is the best partition into consecutive runs (a
 * feasible partition: the upper bound).  With the cut points at the site
 * boundaries plus multiples of M (where the optimal cuts of the continuous
 * relaxation lie) it is the optimum of the relaxation in which sites may
 * be split at any kW: a lower bound (dg-blockopt(1) proves both).  The
 * minimum over lines of slope c(x') is a lower envelope with slopes
 * falling and queries rising: O(points) per block. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dg_blockopt.h"

struct dg_blockopt {
	size_t max_sites;
	int max_blocks;
	size_t *ord;
	double *kw, *c, *S, *sufkw, *sufkwc;
	double *X, *Xc;			/* relaxation points and slopes */
	double *f0, *f1;		/* DP rows */
	int *par;			/* max_blocks x (max_sites + 1) */
	double *lm, *lb;		/* envelope lines */
	size_t *lid;
	int *asg, *best;		/* branch and bound, sorted order */
	double *price, *bkw;
};

void
dg_blockopt_opts_init(struct dg_blockopt_opts *o)
{
	o->nblocks = DG_BLOCKOPT_BLOCKS_DEFAULT;
	o->min_block_kw = DG_BLOCKOPT_MIN_KW_DEFAULT;
	o->max_nodes = DG_BLOCKOPT_MAX_NODES_DEFAULT;
}

void
dg_blockopt_free(struct dg_blockopt *w)
{
	if (w == NULL)
		return;
	free(w->ord); free(w->kw); free(w->c); free(w->S); free(w->sufkw);
	free(w->sufkwc); free(w->X); free(w->Xc); free(w->f0); free(w->f1);
	free(w->par); free(w->lm); free(w->lb); free(w->lid); free(w->asg);
	free(w->best); free(w->price); free(w->bkw);
	free(w);
}

struct dg_blockopt *
dg_blockopt_alloc(size_t max_sites, int max_blocks)
{
	struct dg_blockopt *w;
	size_t n = max_sites + 1, k = (size_t)(max_blocks > 0 ? max_blocks : 1);
	size_t m = n * k + 1;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->max_sites = max_sites;
	w->max_blocks = (int)k;
	w->ord = malloc(n * sizeof(*w->ord));
	w->kw = malloc(n * sizeof(double));
	w->c = malloc(n * sizeof(double));
	w->S = malloc(n * sizeof(double));
	w->sufkw = malloc(n * sizeof(double));
	w->sufkwc = malloc(n * sizeof(double));
	w->X = malloc(m * sizeof(double));
	w->Xc = malloc(m * sizeof(double));
	w->f0 = malloc(m * sizeof(double));
	w->f1 = malloc(m * sizeof(double));
	w->par = malloc(k * n * sizeof(int));
	w->lm = malloc(m * sizeof(double));
	w->lb = malloc(m * sizeof(double));
	w->lid = malloc(m * sizeof(size_t));
	w->asg = malloc(n * sizeof(int));
	w->best = malloc(n * sizeof(int));
	w->price = malloc(k * sizeof(double));
	w->bkw = malloc(k * sizeof(double));
	if (!w->ord || !w->kw || !w->c || !w->S || !w->sufkw || !w->sufkwc ||
	    !w->X || !w->Xc || !w->f0 || !w->f1 || !w->par || !w->lm ||
	    !w->lb || !w->lid || !w->asg || !w->best || !w->price || !w->bkw) {
		dg_blockopt_free(w);
		return NULL;
	}
	return w;
}

/* Sorting: cost descending, then index. */
struct ord_ctx {
	const double *cost;
};

static int
cmp_ord(const void *a, const void *b, void *arg)
{
	const double *cost = ((const struct ord_ctx *)arg)->cost;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (cost[i] != cost[j])
		return cost[i] > cost[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Adds the line lb + lm x of point p to the lower envelope of lines
 * w->lm, lb, lid [*head, *tail) (slopes falling): a line of the same
 * slope is kept only when lower, and the lines it hides are dropped. */
static void
env_add(struct dg_blockopt *w, size_t *head, size_t *tail, size_t p,
    double lm, double lb)
{
	size_t t = *tail;

	if (t > *head && w->lm[t - 1] == lm) {
		if (w->lb[t - 1] <= lb)
			return;
		t--;
	}
	while (t - *head >= 2) {
		long double m1 = w->lm[t - 2], b1 = w->lb[t - 2];
		long double m2 = w->lm[t - 1], b2 = w->lb[t - 1];

		if ((lb - b1) * (m1 - m2) <= (b2 - b1) * (m1 - lm))
			t--;
		else
			break;
	}
	w->lm[t] = lm;
	w->lb[t] = lb;
	w->lid[t] = p;
	t++;
	if (*head >= t)
		*head = t - 1;
	*tail = t;
}

/* The cut-point program over points P[0..m-1] (P[0] = 0, P[m-1] = T) with
 * slope[p] the price of a block starting at P[p]: the least cost of k
 * blocks each at least thr long, or INFINITY.  par (k x m) receives the
 * argmins when not NULL. */
static double
dp_split(struct dg_blockopt *w, const double *P, const double *slope,
    size_t m, int k, double thr, int *par)
{
	double *fp = w->f0, *fc = w->f1;

	for (size_t q = 0; q < m; q++)
		fp[q] = q == 0 ? 0 : INFINITY;
	for (int b = 1; b <= k; b++) {
		size_t head = 0, tail = 0, p = 0;

		for (size_t q = 0; q < m; q++) {
			while (p < m && P[q] - P[p] >= thr) {
				if (isfinite(fp[p]))
					env_add(w, &head, &tail, p, slope[p],
					    fp[p] - slope[p] * P[p]);
				p++;
			}
			if (head == tail) {
				fc[q] = INFINITY;
				if (par)
					par[(size_t)(b - 1) * m + q] = -1;
				continue;
			}
			while (tail - head >= 2 &&
			    w->lm[head + 1] * P[q] + w->lb[head + 1] <=
			    w->lm[head] * P[q] + w->lb[head])
				head++;
			fc[q] = w->lm[head] * P[q] + w->lb[head];
			if (par)
				par[(size_t)(b - 1) * m + q] =
				    (int)w->lid[head];
		}
		{
			double *t = fp;

			fp = fc;
			fc = t;
		}
	}
	return fp[m - 1];
}

struct bnb {
	struct dg_blockopt *w;
	size_t n;
	int k, open;
	double M, thr, tol, acc, best_val;
	long nodes, max_nodes;
	int aborted;
};

static void
bnb(struct bnb *B, size_t i)
{
	struct dg_blockopt *w = B->w;
	double def = 0, lb, extra = 0, ci;

	if (B->aborted)
		return;
	if (++B->nodes > B->max_nodes) {
		B->aborted = 1;
		return;
	}
	if (i == B->n) {
		if (B->open < B->k)
			return;
		for (int b = 0; b < B->open; b++)
			if (w->bkw[b] < B->thr)
				return;
		if (B->acc < B->best_val - B->tol) {
			B->best_val = B->acc;
			memcpy(w->best, w->asg, B->n * sizeof(int));
		}
		return;
	}
	if (B->n - i < (size_t)(B->k - B->open))
		return;
	ci = w->c[i];
	if (B->open < B->k) {
		for (int b = 0; b < B->open; b++)
			if (w->bkw[b] < B->M) {
				def += B->M - w->bkw[b];
				extra += (B->M - w->bkw[b]) *
				    (w->price[b] - ci);
			}
		lb = w->sufkwc[i] + extra;
	} else {
		double pmin = w->price[B->open - 1];

		for (int b = 0; b < B->open; b++)
			if (w->bkw[b] < B->M) {
				def += B->M - w->bkw[b];
				extra += (B->M - w->bkw[b]) *
				    (w->price[b] - pmin);
			}
		lb = w->sufkw[i] * pmin + extra;
	}
	if (def + (B->k - B->open) * B->M > w->sufkw[i] + DG_BLOCKOPT_KW_EPS)
		return;
	if (B->acc + lb >= B->best_val - B->tol)
		return;
	if (B->open < B->k) {
		int b = B->open++;

		w->price[b] = ci;
		w->bkw[b] = w->kw[i];
		w->asg[i] = b;
		B->acc += w->kw[i] * ci;
		bnb(B, i + 1);
		B->acc -= w->kw[i] * ci;
		B->open--;
	}
	for (int b = B->open - 1; b >= 0; b--) {
		w->asg[i] = b;
		w->bkw[b] += w->kw[i];
		B->acc += w->kw[i] * w->price[b];
		bnb(B, i + 1);
		B->acc -= w->kw[i] * w->price[b];
		w->bkw[b] -= w->kw[i];
	}
}

/* Sorts the n sites dearest first into w->kw and w->c, with the prefix
 * sums of kW (w->S) and the suffix sums of kW and kW x cost; returns what
 * the sites cost at their own costs (kW x $/MWh). */
static double
sort_sites(struct dg_blockopt *w, const double *kw, const double *cost,
    size_t n)
{
	struct ord_ctx ctx = { cost };
	double own = 0;

	qsort_r(w->ord, n, sizeof(*w->ord), cmp_ord, &ctx);
	w->S[0] = 0;
	for (size_t i = 0; i < n; i++) {
		w->kw[i] = kw[w->ord[i]];
		w->c[i] = cost[w->ord[i]];
		w->S[i + 1] = w->S[i] + w->kw[i];
		own += w->kw[i] * w->c[i];
	}
	w->sufkw[n] = w->sufkwc[n] = 0;
	for (size_t i = n; i-- > 0;) {
		w->sufkw[i] = w->sufkw[i + 1] + w->kw[i];
		w->sufkwc[i] = w->sufkwc[i + 1] + w->kw[i] * w->c[i];
	}
	return own;
}

/* The lower bound for k blocks: the split of the relaxation, whose cut
 * points are S_i + j M (j < k) and T. */
static double
relax_bound(struct dg_blockopt *w, size_t n, int k, double M, double thr)
{
	double T = w->S[n], lb;
	size_t m = 0, u = 0, s = 0;

	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < k; j++) {
			double x = w->S[i] + j * M;

			if (x < T - DG_BLOCKOPT_KW_EPS)
				w->X[m++] = x;
			if (M <= 0)
				break;
		}
	qsort(w->X, m, sizeof(double), cmp_double);
	for (size_t q = 0; q < m; q++)
		if (u == 0 || w->X[q] > w->X[u - 1]) {
			while (s + 1 < n && w->S[s + 1] <= w->X[q])
				s++;
			w->X[u] = w->X[q];
			w->Xc[u++] = w->c[s];
		}
	m = u;
	w->X[m] = T;
	w->Xc[m] = 0;
	lb = dp_split(w, w->X, w->Xc, m + 1, k, thr, NULL);
	if (!isfinite(lb))
		lb = 0;		/* cannot happen when k <= T / M */
	return lb;
}

/* The consecutive split dp_split left in w->par, as the block (0 .. k-1,
 * in sorted order) of each site: w->best. */
static void
par_split(struct dg_blockopt *w, size_t n, int k)
{
	size_t q = n;

	for (int b = k; b >= 1; b--) {
		int p = w->par[(size_t)(b - 1) * (n + 1) + q];

		for (size_t i = (size_t)p; i < q; i++)
			w->best[i] = b - 1;
		q = (size_t)p;
	}
}

/* Each site's block from w->best: blocks in sorted order open dearest
 * first, and are numbered from the cheapest (1) up to k. */
static void
best_blocks(const struct dg_blockopt *w, size_t n, int k, int *block)
{
	for (size_t i = 0; i < n; i++)
		block[w->ord[i]] = k - w->best[i];
}

/* Branch and bound for k blocks from the incumbent ub (infinite: none;
 * else in w->best). */
static void
search(struct bnb *B, struct dg_blockopt *w, size_t n, int k, double M,
    double thr, double tol, double ub, long max_nodes)
{
	memset(B, 0, sizeof(*B));
	B->w = w;
	B->n = n;
	B->k = k;
	B->M = M > 0 ? M - DG_BLOCKOPT_KW_EPS : 0;
	B->thr = thr;
	B->tol = tol;
	B->best_val = INFINITY;
	B->max_nodes = max_nodes;
	if (isfinite(ub))
		B->best_val = ub;
	bnb(B, 0);
}

int
dg_blockopt_solve(struct dg_blockopt *w, const double *kw,
    const double *cost, size_t n, const struct dg_blockopt_opts *o,
    int *block, struct dg_blockopt_result *res)
{
	double T, M, thr, own, tol;
	int kmax;

	memset(res, 0, sizeof(*res));
	if (w == NULL || o == NULL || n > w->max_sites || o->nblocks < 1 ||
	    o->nblocks > w->max_blocks || !(o->min_block_kw >= 0) ||
	    !isfinite(o->min_block_kw) || o->max_nodes < 0)
		return DG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!(kw[i] > 0) || !isfinite(kw[i]) || !isfinite(cost[i]))
			return DG_EINVAL;
		w->ord[i] = i;
		block[i] = 0;
	}
	own = sort_sites(w, kw, cost, n);
	T = w->S[n];
	M = o->min_block_kw;
	thr = M > DG_BLOCKOPT_KW_EPS ? M - DG_BLOCKOPT_KW_EPS :
	    DG_BLOCKOPT_KW_EPS;
	tol = 1e-9 * (fabs(own) + 1);
	kmax = o->nblocks;
	if ((size_t)kmax > n)
		kmax = (int)n;
	if (M > 0 && (T + DG_BLOCKOPT_KW_EPS) / M < kmax)
		kmax = (int)floor((T + DG_BLOCKOPT_KW_EPS) / M);
	for (int k = kmax; k >= 1; k--) {
		double ub, lb;
		struct bnb B;

		/* Upper bound: consecutive runs, cut at site boundaries. */
		ub = dp_split(w, w->S, w->c, n + 1, k, thr, w->par);
		lb = relax_bound(w, n, k, M, thr);
		if (isfinite(ub))
			par_split(w, n, k);
		if (isfinite(ub) && ub - lb <= tol) {
			best_blocks(w, n, k, block);
			res->nblocks = k;
			res->premium_usd_per_h = (ub - own) / 1000;
			res->bound_usd_per_h = res->premium_usd_per_h;
			res->proven = 1;
			res->method = DG_BLOCKOPT_BY_DP;
			return DG_OK;
		}
		search(&B, w, n, k, M, thr, tol, ub, o->max_nodes);
		res->nodes += B.aborted ? B.max_nodes : B.nodes;
		if (!isfinite(B.best_val)) {
			if (B.aborted)
				res->undecided = 1;
			continue;	/* k blocks are infeasible
					 * (or unknown) */
		}
		best_blocks(w, n, k, block);
		res->nblocks = k;
		res->premium_usd_per_h = (B.best_val - own) / 1000;
		res->proven = !B.aborted;
		res->bound_usd_per_h = B.aborted ? (lb - own) / 1000 :
		    res->premium_usd_per_h;
		res->method = DG_BLOCKOPT_BY_BNB;
		if (res->bound_usd_per_h > res->premium_usd_per_h)
			res->bound_usd_per_h = res->premium_usd_per_h;
		if (res->bound_usd_per_h < 0)
			res->bound_usd_per_h = 0;
		res->gap_usd_per_h =
		    res->premium_usd_per_h - res->bound_usd_per_h;
		return DG_OK;
	}
	res->method = DG_BLOCKOPT_BY_NONE;
	res->proven = !res->undecided;
	return DG_OK;
}

int
dg_blockopt_offer(dg_dec kw, dg_dec cost, dg_dec *kw_out, dg_dec *cost_out,
    int *which)
{
	*which = 0;
	if (dg_dec_rescale(kw, DG_BLOCKOPT_KW_SCALE, kw_out) != DG_OK)
		return DG_ERANGE;
	*which = 1;
	if (dg_dec_rescale(cost, DG_BLOCKOPT_USD_SCALE, cost_out) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}

/* The price: the dearest member's cost, or sum kW_i c_i / sum kW_i. */
static int
block_price(const dg_dec *kw, const dg_dec *cost, size_t n, const int *block,
    int b, int pricing, struct dg_blockopt_figures *f, size_t *bad)
{
	dg_dec kwc = dg_dec_make(0, 0);
	int st;

	f->kw = dg_dec_make(0, DG_BLOCKOPT_KW_SCALE);
	f->n = 0;
	for (size_t i = 0; i < n; i++) {
		dg_dec x;

		if (block[i] != b)
			continue;
		*bad = i;
		if ((st = dg_dec_add(f->kw, kw[i], &f->kw)) != DG_OK ||
		    (st = dg_dec_mul(kw[i], cost[i], -1, &x)) != DG_OK ||
		    (st = dg_dec_add(kwc, x, &kwc)) != DG_OK)
			return DG_ERANGE;
		if (f->n == 0 || dg_dec_cmp(cost[i], f->price) > 0)
			f->price = cost[i];
		f->n++;
	}
	if (f->n == 0)
		return DG_EINVAL;
	if (pricing == DG_BLOCKOPT_PRICE_WEIGHTED &&
	    dg_dec_div(kwc, f->kw, DG_BLOCKOPT_USD_SCALE, &f->price) != DG_OK)
		return DG_ERANGE;
	return dg_dec_rescale(f->price, DG_BLOCKOPT_USD_SCALE, &f->price) ==
	    DG_OK ? DG_OK : DG_ERANGE;
}

int
dg_blockopt_figures(const dg_dec *kw, const dg_dec *cost, size_t n,
    const int *block, int b, int pricing, struct dg_blockopt_figures *out,
    size_t *bad)
{
	dg_dec prem = dg_dec_make(0, 0);
	size_t where = 0;
	int st;

	if (bad == NULL)
		bad = &where;
	if ((st = block_price(kw, cost, n, block, b, pricing, out,
	    bad)) != DG_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		dg_dec d, x;

		if (block[i] != b)
			continue;
		*bad = i;
		if (dg_dec_sub(out->price, cost[i], &d) != DG_OK ||
		    dg_dec_mul(d, kw[i], -1, &x) != DG_OK ||
		    dg_dec_add(prem, x, &prem) != DG_OK)
			return DG_ERANGE;
	}
	/* kW x $/MWh / 1000 = $/h, rounded once */
	if (dg_dec_mul(prem, dg_dec_make(1, 3), DG_BLOCKOPT_USD_SCALE,
	    &out->premium) != DG_OK)
		return DG_ERANGE;
	return DG_OK;
}
