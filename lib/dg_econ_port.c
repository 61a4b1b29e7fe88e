/* dg_econ_port.c: the portfolio view (profiles, portfolios, a profile's
 * part of a portfolio) and the history read from dg-settle statements and
 * dg-peakhunt backtests (see dg_econ.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_econ.h"
#include "dg_econ_int.h"
#include "dg_util.h"

/* A decimal > 0 in field i. */
static int
get_positive(struct dg_csv *r, int i, dg_dec *out)
{
	int st;

	if ((st = dg_csv_get_dec(r, i, out)) != DG_OK)
		return st;
	if (dg_dec_sign(*out) <= 0)
		return dg_csv_fail(r, i, DG_EDATA, "not above 0: \"%s\"",
		    dg_csv_field(r, i, NULL));
	return DG_OK;
}

static int
open_cols(struct dg_csv **r, const char *path, const struct dg_csv_opts *o,
    const char *const *names, int n, int *col, struct dg_error *err)
{
	int st;

	if ((st = dg_csv_open(r, path, o, err)) != DG_OK)
		return st;
	for (int i = 0; i < n; i++)
		if ((st = dg_csv_require(*r, names[i], &col[i])) != DG_OK) {
			*err = *dg_csv_error(*r);
			dg_csv_close(*r);
			return st;
		}
	return DG_OK;
}

/* --- History -------------------------------------------------------- */

/* The year of a statement month "YYYY-MM". */
static int
month_year(struct dg_csv *r, int i, int *year)
{
	const char *s = dg_csv_field(r, i, NULL);
	int64_t y, m;
	char buf[5];

	if (strlen(s) != 7 || s[4] != '-')
		goto bad;
	memcpy(buf, s, 4);
	buf[4] = '\0';
	if (dg_parse_int(buf, 1900, 9999, &y) != DG_OK ||
	    dg_parse_int(s + 5, 1, 12, &m) != DG_OK)
		goto bad;
	*year = (int)y;
	return DG_OK;
bad:
	return dg_csv_fail(r, i, DG_EDATA, "not a month YYYY-MM: \"%s\"", s);
}

struct hist {
	int year[128];
	int nyear;
	i128 owner, aggr;
	long lines;
};

static int
hist_row(struct dg_csv *r, const int *col, struct hist *h)
{
	int64_t a, p;
	int st, y = 0, k;

	if ((st = month_year(r, col[2], &y)) != DG_OK ||
	    (st = dg_econ_get_cents(r, col[3], 0, &a)) != DG_OK ||
	    (st = dg_econ_get_cents(r, col[4], 0, &p)) != DG_OK)
		return st;
	for (k = 0; k < h->nyear && h->year[k] != y; k++)
		;
	if (k == h->nyear) {
		if (h->nyear == 128)
			return dg_csv_fail(r, col[2], DG_EDATA,
			    "more than 128 years");
		h->year[h->nyear++] = y;
	}
	h->aggr += a;
	h->owner += p;
	h->lines++;
	return DG_OK;
}

int
dg_econ_history_read(const char *path, const char *site,
    const struct dg_csv_opts *o, int64_t *owner_cents, int64_t *aggr_cents,
    int *years, struct dg_error *err)
{
	static const char *const names[] = { "row", "site", "month",
	    "aggregator_usd", "participant_usd" };
	struct hist h = { .nyear = 0 };
	struct dg_csv *r;
	int st, col[5];

	if ((st = open_cols(&r, path, o, names, 5, col, err)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK)
		if (strcmp(dg_csv_field(r, col[0], NULL), "line") == 0 &&
		    strcmp(dg_csv_field(r, col[1], NULL), site) == 0 &&
		    (st = hist_row(r, col, &h)) != DG_OK)
			break;
	if (st == DG_EOF && h.lines == 0)
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r), 0,
		    "site", "site \"%s\" has no line in the statements", site);
	else if (st == DG_EOF && (dg_econ_fit_cents(dg_econ_div_round(h.owner,
	    h.nyear), owner_cents) != DG_OK || dg_econ_fit_cents(
	    dg_econ_div_round(h.aggr, h.nyear), aggr_cents) != DG_OK))
		st = dg_error_set(dg_csv_error(r), DG_ERANGE, dg_csv_name(r), 0,
		    NULL, "the site's payments overflow");
	else if (st == DG_EOF)
		st = DG_OK;
	*years = h.nyear;
	if (st != DG_OK)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

static int
peakhunt_row(struct dg_csv *r, const int *col, int64_t *saving,
    int64_t *cost)
{
	int64_t seasons, cp, dem, run;
	int st;

	if (dg_parse_int(dg_csv_field(r, col[1], NULL), 1, 1000, &seasons) !=
	    DG_OK)
		return dg_csv_fail(r, col[1], DG_EDATA,
		    "a number of seasons from 1 to 1000: \"%s\"",
		    dg_csv_field(r, col[1], NULL));
	if ((st = dg_econ_get_cents(r, col[2], 0, &cp)) != DG_OK ||
	    (st = dg_econ_get_cents(r, col[3], 0, &dem)) != DG_OK ||
	    (st = dg_econ_get_cents(r, col[4], 0, &run)) != DG_OK)
		return st;
	*saving = (int64_t)dg_econ_div_round((i128)cp + dem, seasons);
	*cost = (int64_t)dg_econ_div_round(run, seasons);
	return DG_OK;
}

int
dg_econ_peakhunt_read(const char *path, const struct dg_csv_opts *o,
    int64_t *saving_cents, int64_t *cost_cents, struct dg_error *err)
{
	static const char *const names[] = { "strategy", "seasons",
	    "cp_saving_usd", "demand_saving_usd", "run_cost_usd" };
	struct dg_csv *r;
	int st, col[5], found = 0;

	if ((st = open_cols(&r, path, o, names, 5, col, err)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK)
		if (strcmp(dg_csv_field(r, col[0], NULL), "peakhunt") == 0) {
			if ((st = peakhunt_row(r, col, saving_cents,
			    cost_cents)) != DG_OK)
				break;
			found = 1;
		}
	if (st == DG_EOF && !found)
		st = dg_error_set(dg_csv_error(r), DG_EDATA, dg_csv_name(r), 0,
		    "strategy", "no row of strategy peakhunt");
	else if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK)
		*err = *dg_csv_error(r);
	dg_csv_close(r);
	return st;
}

/* --- Profiles and portfolios ---------------------------------------- */

void
dg_econ_profiles_release(struct dg_econ_profiles *pr)
{
	for (size_t i = 0; i < pr->n; i++)
		free(pr->v[i].name);
	free(pr->v);
	memset(pr, 0, sizeof(*pr));
}

static long
find_profile(const struct dg_econ_profiles *pr, const char *name)
{
	for (size_t i = 0; i < pr->n; i++)
		if (strcmp(pr->v[i].name, name) == 0)
			return (long)i;
	return -1;
}

static int
profile_row(struct dg_csv *r, const int *col, struct dg_econ_profiles *pr)
{
	struct dg_econ_profile p = { .line = dg_csv_line(r) };
	const char *name = dg_csv_field(r, col[0], NULL);
	int st;

	if (name[0] == '\0')
		return dg_csv_fail(r, col[0], DG_EDATA, "empty value");
	if (find_profile(pr, name) >= 0)
		return dg_csv_fail(r, col[0], DG_EDATA,
		    "profile \"%s\" given twice", name);
	if ((st = get_positive(r, col[1], &p.kw)) != DG_OK ||
	    (st = dg_econ_get_amount(r, col[2], &p.capital)) != DG_OK ||
	    (st = dg_econ_get_amount(r, col[3], &p.gen_usd_per_mwh)) != DG_OK)
		return st;
	if (dg_grow(&pr->v, &pr->cap, pr->n + 1, sizeof(*pr->v)) != 0 ||
	    (p.name = strdup(name)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	pr->v[pr->n++] = p;
	return DG_OK;
}

int
dg_econ_profiles_read(struct dg_econ_profiles *pr, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const names[] = { "profile", "curtailable_kw",
	    "capital_usd", "generating_usd_per_mwh" };
	struct dg_csv *r;
	int st, col[4];

	memset(pr, 0, sizeof(*pr));
	if ((st = open_cols(&r, path, o, names, 4, col, err)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = profile_row(r, col, pr)) != DG_OK)
			break;
	if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_econ_profiles_release(pr);
	}
	dg_csv_close(r);
	return st;
}

void
dg_econ_mixes_release(struct dg_econ_mixes *mx)
{
	for (size_t i = 0; i < mx->n; i++)
		free(mx->v[i].portfolio);
	free(mx->v);
	memset(mx, 0, sizeof(*mx));
}

/* Rows of a portfolio together, each profile once in it. */
static int
mix_place(struct dg_csv *r, int col_pf, const struct dg_econ_mixes *mx,
    const char *name, size_t profile)
{
	size_t k = mx->n;

	while (k > 0 && strcmp(mx->v[k - 1].portfolio, name) == 0)
		if (mx->v[--k].profile == profile)
			return dg_csv_fail(r, col_pf, DG_EDATA,
			    "portfolio \"%s\" names this profile twice", name);
	for (size_t i = 0; i < k; i++)
		if (strcmp(mx->v[i].portfolio, name) == 0)
			return dg_csv_fail(r, -1, DG_EDATA,
			    "portfolio \"%s\": its rows are not together",
			    name);
	return DG_OK;
}

static int
mix_row(struct dg_csv *r, const int *col, const struct dg_econ_profiles *pr,
    struct dg_econ_mixes *mx)
{
	struct dg_econ_mix m = { .line = dg_csv_line(r) };
	const char *name = dg_csv_field(r, col[0], NULL);
	const char *pf = dg_csv_field(r, col[1], NULL);
	long k;
	int st;

	if (name[0] == '\0')
		return dg_csv_fail(r, col[0], DG_EDATA, "empty value");
	if ((k = find_profile(pr, pf)) < 0)
		return dg_csv_fail(r, col[1], DG_EDATA,
		    "no such profile in the profiles file: \"%s\"", pf);
	m.profile = (size_t)k;
	if ((st = mix_place(r, col[1], mx, name, m.profile)) != DG_OK ||
	    (st = get_positive(r, col[2], &m.mw)) != DG_OK)
		return st;
	if (dg_grow(&mx->v, &mx->cap, mx->n + 1, sizeof(*mx->v)) != 0 ||
	    (m.portfolio = strdup(name)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	mx->v[mx->n++] = m;
	return DG_OK;
}

int
dg_econ_mixes_read(struct dg_econ_mixes *mx, const char *path,
    const struct dg_econ_profiles *pr, const struct dg_csv_opts *o,
    struct dg_error *err)
{
	static const char *const names[] = { "portfolio", "profile", "mw" };
	struct dg_csv *r;
	int st, col[3];

	memset(mx, 0, sizeof(*mx));
	if ((st = open_cols(&r, path, o, names, 3, col, err)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK)
		if ((st = mix_row(r, col, pr, mx)) != DG_OK)
			break;
	if (st == DG_EOF)
		st = DG_OK;
	if (st != DG_OK) {
		*err = *dg_csv_error(r);
		dg_econ_mixes_release(mx);
	}
	dg_csv_close(r);
	return st;
}

int
dg_econ_part(const struct dg_econ_profile *pf, dg_dec mw, dg_dec hours,
    int whole_sites, struct dg_econ_part *out)
{
	/* sites = mw 1000 / kw = n / d */
	i128 n = (i128)mw.v * 1000 * dg_econ_pow10(pf->kw.scale);
	i128 d = (i128)pf->kw.v * dg_econ_pow10(mw.scale);
	i128 c;
	dg_dec v[3] = { mw, hours, pf->gen_usd_per_mwh };
	int st;

	if (dg_econ_fit_cents((n + d - 1) / d, &out->whole) != DG_OK ||
	    dg_econ_fit_cents(dg_econ_div_round(n * 1000000, d),
	    &out->sites.v) != DG_OK)
		return DG_ERANGE;
	out->sites.scale = 6;
	/* capital = sites x capital, to the cent: capital n 100 / (d 10^s) */
	if (whole_sites) {
		n = (i128)out->whole;
		d = 1;
	}
	if (__builtin_mul_overflow(n, (i128)pf->capital.v * 100, &c))
		return DG_ERANGE;
	d *= dg_econ_pow10(pf->capital.scale);
	if ((st = dg_econ_fit_cents(dg_econ_div_round(c, d),
	    &out->capital)) != DG_OK)
		return st;
	return dg_econ_product_cents(v, 3, 0, &out->generating);
}
