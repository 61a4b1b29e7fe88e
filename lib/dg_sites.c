/* dg_sites.c: reading the portfolio's sites.csv. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dg_sites.h"
#include "dg_util.h"
#include "dg_zones.h"

static const struct {
	const char *col;
	unsigned bit;
} cols[] = {
	{ "name", DG_SITE_NAME }, { "rto", DG_SITE_RTO },
	{ "zone", DG_SITE_ZONE }, { "ptid", DG_SITE_PTID },
	{ "peak_kw", DG_SITE_PEAK }, { "curtailable_kw", DG_SITE_CURTAILABLE },
	{ "installed_kw", DG_SITE_INSTALLED }, { "pulse_kwh", DG_SITE_PULSE },
	{ "counter_bits", DG_SITE_BITS }, { "station", DG_SITE_STATION },
	{ "programs", DG_SITE_PROGRAMS }, { "cmd_kw", DG_SITE_CMD },
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static int
cmp_site(const void *a, const void *b)
{
	return strcmp(((const struct dg_site *)a)->site,
	    ((const struct dg_site *)b)->site);
}

static void
site_free(struct dg_site *s)
{
	free(s->site);
	free(s->name);
	free(s->rto);
	free(s->zone);
	free(s->ptid);
	free(s->station);
	free(s->programs);
}

void
dg_sites_release(struct dg_sites *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		site_free(&ss->v[i]);
	free(ss->v);
	ss->v = NULL;
	ss->n = 0;
}

static int
dup_field(struct dg_csv *r, int c, char **out)
{
	*out = NULL;
	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	if ((*out = strdup(dg_csv_field(r, c, NULL))) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	return DG_OK;
}

static int
get_kw(struct dg_csv *r, int c, dg_dec *out, unsigned bit, unsigned *set)
{
	int st;

	if (c < 0 || dg_csv_is_empty(r, c))
		return DG_OK;
	if ((st = dg_csv_get_dec(r, c, out)) != DG_OK)
		return st;
	if (dg_dec_sign(*out) < 0)
		return dg_csv_fail(r, c, DG_EDATA, "negative value: \"%s\"",
		    dg_csv_field(r, c, NULL));
	*set |= bit;
	return DG_OK;
}

/* The site's zone as its market's files write it (lib/dg_zones.h: NYC is
 * NYISO's N.Y.C.), from the rto column (NYISO when there is none).  A
 * name the table does not know is kept as written: the column also holds
 * capacity localities (ROS, G-J), and a program that prices by zone says
 * which zones its price files have. */
static int
site_zone(struct dg_csv *r, int c, struct dg_site *s)
{
	const char *market = s->rto ? s->rto : "NYISO", *z;
	char *copy;

	(void)c;
	if (dg_zone_resolve(market, s->zone, &z) != DG_OK ||
	    z == s->zone || strcmp(z, s->zone) == 0)
		return DG_OK;
	if ((copy = strdup(z)) == NULL)
		return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
	free(s->zone);
	s->zone = copy;
	return DG_OK;
}

/* The fields of the reader's row into s (c_site: the site's column, ci:
 * those of cols[], -1 when absent); s is freed on an error. */
static int
site_row(struct dg_csv *r, int c_site, const int *ci, struct dg_site *s)
{
	int64_t bits;
	int st;

	if ((st = dup_field(r, c_site, &s->site)) != DG_OK ||
	    (st = dup_field(r, ci[0], &s->name)) != DG_OK ||
	    (st = dup_field(r, ci[1], &s->rto)) != DG_OK ||
	    (st = dup_field(r, ci[2], &s->zone)) != DG_OK ||
	    (st = dup_field(r, ci[3], &s->ptid)) != DG_OK ||
	    (st = dup_field(r, ci[9], &s->station)) != DG_OK ||
	    (st = dup_field(r, ci[10], &s->programs)) != DG_OK)
		goto bad;
	s->set |= (s->name ? DG_SITE_NAME : 0) | (s->rto ? DG_SITE_RTO : 0) |
	    (s->zone ? DG_SITE_ZONE : 0) | (s->ptid ? DG_SITE_PTID : 0) |
	    (s->station ? DG_SITE_STATION : 0) |
	    (s->programs ? DG_SITE_PROGRAMS : 0);
	if (s->zone != NULL && (st = site_zone(r, ci[2], s)) != DG_OK)
		goto bad;
	if ((st = get_kw(r, ci[4], &s->peak_kw, DG_SITE_PEAK, &s->set)) ||
	    (st = get_kw(r, ci[5], &s->curtailable_kw, DG_SITE_CURTAILABLE,
	    &s->set)) ||
	    (st = get_kw(r, ci[6], &s->installed_kw, DG_SITE_INSTALLED,
	    &s->set)) ||
	    (st = get_kw(r, ci[7], &s->pulse_kwh, DG_SITE_PULSE, &s->set)) ||
	    (st = get_kw(r, ci[11], &s->cmd_kw, DG_SITE_CMD, &s->set)))
		goto bad;
	if ((s->set & DG_SITE_PULSE) && dg_dec_sign(s->pulse_kwh) == 0) {
		st = dg_csv_fail(r, ci[7], DG_EDATA,
		    "pulse multiplier must be positive");
		goto bad;
	}
	if (ci[8] >= 0 && !dg_csv_is_empty(r, ci[8])) {
		if (dg_parse_int(dg_csv_field(r, ci[8], NULL), 1, 62, &bits)) {
			st = dg_csv_fail(r, ci[8], DG_EDATA,
			    "counter bits must be an integer from 1 to 62: \"%s\"",
			    dg_csv_field(r, ci[8], NULL));
			goto bad;
		}
		s->counter_bits = (int)bits;
		s->set |= DG_SITE_BITS;
	}
	return DG_OK;
bad:
	site_free(s);
	return st;
}

/* Sorts the sites by name: DG_EDATA for a name twice (the later line of
 * file name). */
static int
sites_sort(struct dg_sites *ss, const char *name, struct dg_error *err)
{
	if (ss->n > 1)
		qsort(ss->v, ss->n, sizeof(*ss->v), cmp_site);
	for (size_t i = 1; i < ss->n; i++)
		if (strcmp(ss->v[i - 1].site, ss->v[i].site) == 0) {
			long l = ss->v[i - 1].line > ss->v[i].line ?
			    ss->v[i - 1].line : ss->v[i].line;

			return dg_error_set(err, DG_EDATA, name, l, "site",
			    "duplicate site \"%s\"", ss->v[i].site);
		}
	return DG_OK;
}

int
dg_sites_read(struct dg_sites *ss, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	struct dg_csv *r;
	int st, c_site, ci[NCOLS];
	size_t cap = 0;

	memset(ss, 0, sizeof(*ss));
	snprintf(ss->path, sizeof(ss->path), "%s", path ? path : "-");
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK)
		goto out;
	for (size_t k = 0; k < NCOLS; k++)
		if ((ci[k] = dg_csv_col(r, cols[k].col)) >= 0)
			ss->have |= cols[k].bit;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_site s;

		memset(&s, 0, sizeof(s));
		s.line = dg_csv_line(r);
		if (dg_csv_is_empty(r, c_site)) {
			st = dg_csv_fail(r, c_site, DG_EDATA,
			    "empty site name");
			goto out;
		}
		if (dg_grow(&ss->v, &cap, ss->n + 1, sizeof(*ss->v)) != 0) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto out;
		}
		if ((st = site_row(r, c_site, ci, &s)) != DG_OK)
			goto out;
		ss->v[ss->n++] = s;
	}
	if (st == DG_EOF)
		st = sites_sort(ss, dg_csv_name(r), err);
out:
	dg_csv_close(r);
	if (st != DG_OK)
		dg_sites_release(ss);
	return st;
}

struct dg_site *
dg_sites_find(const struct dg_sites *ss, const char *name)
{
	size_t lo = 0, hi = ss->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(ss->v[mid].site, name);

		if (c == 0)
			return &ss->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
dg_sites_need(const struct dg_sites *ss, unsigned mask, struct dg_error *err)
{
	for (size_t k = 0; k < NCOLS; k++) {
		if (!(mask & cols[k].bit))
			continue;
		if (!(ss->have & cols[k].bit))
			return dg_error_set(err, DG_EDATA, ss->path, 1, NULL,
			    "missing column \"%s\"", cols[k].col);
		for (size_t i = 0; i < ss->n; i++)
			if (!(ss->v[i].set & cols[k].bit))
				return dg_error_set(err, DG_EDATA, ss->path,
				    ss->v[i].line, cols[k].col,
				    "site %s: empty value", ss->v[i].site);
	}
	return DG_OK;
}

int
dg_site_in_program(const struct dg_site *s, const char *prog)
{
	const char *p = s->programs;
	size_t n = strlen(prog);

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		while (len > 0 && p[0] == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == n && strncasecmp(p, prog, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}
