/* dg-ucap: monthly ICAP, availability, UCAP and shortfall of special case
 * resources, per site and for the portfolio. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_cbl.h"
#include "dg_series.h"
#include "dg_sites.h"
#include "dg_ucap.h"

enum {
	OPT_SITES = DG_OPT_FIRST_OWN,
	OPT_MONTH,
	OPT_EVENTS,
	OPT_MEASURE,
	OPT_CBL,
	OPT_ICAP,
	OPT_SOLD,
	OPT_APMD_MONTHS,
	OPT_APMD_LAG,
	OPT_WINDOW,
	OPT_TLF,
	OPT_EMPTY_AVAIL,
	OPT_EXACT,
	OPT_COLUMN,
	OPT_SUM,
	OPT_MAX_SPAN,
	OPT_FROM,
	OPT_TO
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "sites", required_argument, NULL, OPT_SITES },
	{ "month", required_argument, NULL, OPT_MONTH },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "measure", required_argument, NULL, OPT_MEASURE },
	{ "cbl", required_argument, NULL, OPT_CBL },
	{ "icap", required_argument, NULL, OPT_ICAP },
	{ "sold", required_argument, NULL, OPT_SOLD },
	{ "apmd-months", required_argument, NULL, OPT_APMD_MONTHS },
	{ "apmd-lag", required_argument, NULL, OPT_APMD_LAG },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "tlf", required_argument, NULL, OPT_TLF },
	{ "empty-availability", required_argument, NULL, OPT_EMPTY_AVAIL },
	{ "exact", no_argument, NULL, OPT_EXACT },
	{ "column", required_argument, NULL, OPT_COLUMN },
	{ "sum", no_argument, NULL, OPT_SUM },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-ucap --sites FILE --month YYYY-MM[:YYYY-MM] [--events FILE]\n"
"               [--from DATE] [--to DATE]\n"
"               [--measure apmd|cbl] [--cbl FILE] [--icap FILE]\n"
"               [--sold FILE] [--apmd-months LIST] [--apmd-lag YEARS]\n"
"               [--window MONTHS] [--tlf X] [--empty-availability X]\n"
"               [--exact] [--column COL] [--sum] [--max-span DAYS]\n"
"               [--strict] [--tz ZONE] [-d DELIM] [--crlf] [--bom]\n"
"               [-o FILE] [FILE]\n");
	exit(status);
}

/* "YYYY-MM" to a month number. */
static int
parse_month(const char *s, size_t len, int *m)
{
	char buf[16];
	dg_date d;
	int y, mo, dd;

	if (len != 7 || s[4] != '-')
		return -1;
	memcpy(buf, s, 7);
	memcpy(buf + 7, "-01", 4);
	if (dg_date_parse(buf, 10, &d) != DG_OK)
		return -1;
	dg_date_to_ymd(d, &y, &mo, &dd);
	*m = dg_ucap_month(y, mo);
	return 0;
}

static void
format_month(int m, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", m / 12, m % 12 + 1);
}

/* Keyed rows of a side file: site, a month or an instant, a decimal. */
struct row {
	char *site;
	int64_t key;
	int empty;
	int used;
	dg_dec v;
};

struct table {
	struct row *v;
	size_t n, cap;
};

static int
cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->site, y->site);

	if (c != 0)
		return c;
	return (x->key > y->key) - (x->key < y->key);
}

static void
free_table(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].site);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* kind 0: site,icap_kw; 1: site,month,sold_kw (summed); 2: site,time,
 * reduction_kw (empty allowed). */
static int
read_table(struct table *t, const char *path, int kind,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const vcol[] = { "icap_kw", "sold_kw", "reduction_kw" };
	struct dg_csv *r;
	int st, c_site, c_key = -1, c_v;
	dg_time prev = INT64_MIN;

	memset(t, 0, sizeof(*t));
	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (kind == 1 && (st = dg_csv_require(r, "month", &c_key)) != DG_OK) ||
	    (kind == 2 && (st = dg_csv_require(r, "time", &c_key)) != DG_OK) ||
	    (st = dg_csv_require(r, vcol[kind], &c_v)) != DG_OK)
		goto fail;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct row x;

		memset(&x, 0, sizeof(x));
		if (dg_csv_is_empty(r, c_site)) {
			st = dg_csv_fail(r, c_site, DG_EDATA, "empty site name");
			goto fail;
		}
		if (kind == 1) {
			size_t len;
			const char *s = dg_csv_field(r, c_key, &len);
			int m;

			if (parse_month(s, len, &m)) {
				st = dg_csv_fail(r, c_key, DG_EDATA,
				    "not a month YYYY-MM: \"%s\"", s);
				goto fail;
			}
			x.key = m;
		} else if (kind == 2) {
			struct dg_tstamp ts;

			if ((st = dg_csv_get_time(r, c_key, &ts)) != DG_OK)
				goto fail;
			x.key = dg_tstamp_pick(&ts, prev);
			prev = x.key;
		}
		if (kind == 2 && dg_csv_is_empty(r, c_v))
			x.empty = 1;
		else if ((st = dg_csv_get_dec(r, c_v, &x.v)) != DG_OK)
			goto fail;
		if (kind != 2 && dg_dec_sign(x.v) < 0) {
			st = dg_csv_fail(r, c_v, DG_EDATA, "negative %s", vcol[kind]);
			goto fail;
		}
		if (t->n == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 64;
			struct row *v = realloc(t->v, cap * sizeof(*v));

			if (v == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				goto fail;
			}
			t->v = v;
			t->cap = cap;
		}
		if ((x.site = strdup(dg_csv_field(r, c_site, NULL))) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto fail;
		}
		t->v[t->n++] = x;
	}
	if (st != DG_EOF)
		goto fail;
	st = DG_OK;
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_row);
	/* merge the rows of one key: sold capacity adds up; two ICAPs or two
	 * reductions of one hour are an error */
	{
		size_t k = 0;

		for (size_t i = 0; i < t->n; i++) {
			if (k > 0 && cmp_row(&t->v[k - 1], &t->v[i]) == 0) {
				if (kind != 1) {
					st = dg_error_set(err, DG_EDATA, dg_csv_name(r), 0,
					    NULL, "site %s: %s given twice", t->v[i].site,
					    kind == 0 ? "ICAP" : "a reduction of one hour");
					goto out;
				}
				if ((st = dg_dec_add(t->v[k - 1].v, t->v[i].v,
				    &t->v[k - 1].v)) != DG_OK) {
					dg_error_set(err, st, dg_csv_name(r), 0, NULL,
					    "site %s: sold capacity too large", t->v[i].site);
					goto out;
				}
				free(t->v[i].site);
				continue;
			}
			t->v[k++] = t->v[i];
		}
		t->n = k;
	}
	goto out;
fail:
	*err = *dg_csv_error(r);
out:
	dg_csv_close(r);
	return st;
}

/* First row of site in t, or t->n. */
static size_t
table_first(const struct table *t, const char *site)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(t->v[mid].site, site) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct row *
table_find(const struct table *t, const char *site, int64_t key)
{
	struct row k;

	if (t->n == 0)
		return NULL;
	k.site = (char *)site;
	k.key = key;
	return bsearch(&k, t->v, t->n, sizeof(*t->v), cmp_row);
}

/* --- the run ------------------------------------------------------------ */

struct total {
	dg_dec icap, ucap_kw, ucap_mw, sold, shortfall;
	long hours;
	int have_sold;
};

struct run {
	struct dg_ucap_params p;
	struct dg_sites sites;
	struct dg_events ev;
	struct table icap, sold, cbl;
	int have_events, have_icap, have_sold, have_cbl, exact, strict;
	int m0, m1;
	struct dg_cbl_cal cal;
	dg_time day_a, day_b;	/* the local day of the last month_of */
	int day_m;		/* and its month */
	dg_date day_d;		/* and date */
	dg_date from, to;	/* --from, --to: the calls counted */
	struct dg_ucap_site site;
	struct total *tot;
	struct dg_csvw *w;
	long flagged[DG_UCAP_Q_NFLAGS];
	const char *input;
};

static int
month_of(struct run *ru, dg_time t, int *m, dg_date *date)
{
	dg_date d;
	int idx, y, mo, dd, st;

	/* the hours of a day in a row: the day's bounds kept (the checks of
	 * dg_cbl_cal_locate on them) */
	if (t >= ru->day_a && t < ru->day_b) {
		if ((t - ru->day_a) % 3600 != 0)
			return DG_EDATA;
		*m = ru->day_m;
		*date = ru->day_d;
		return DG_OK;
	}
	if ((st = dg_cbl_cal_locate(&ru->cal, t, &d, &idx)) != DG_OK)
		return st;
	dg_date_to_ymd(d, &y, &mo, &dd);
	*m = dg_ucap_month(y, mo);
	ru->day_a = ru->cal.start[d - ru->cal.first];
	ru->day_b = ru->cal.start[d - ru->cal.first + 1];
	ru->day_m = *m;
	ru->day_d = *date = d;
	return DG_OK;
}

static int
dec_add(dg_dec *acc, dg_dec x)
{
	return dg_dec_add(*acc, x, acc);
}

static int
emit_site(struct run *ru, const char *name, const struct dg_site *si,
    struct dg_error *err)
{
	int st;

	for (int m = ru->m0; m <= ru->m1; m++) {
		struct dg_ucap_result r;
		struct total *t = &ru->tot[m - ru->m0];
		char mb[16], per[40], qs[128];
		dg_date first;
		dg_dec icap, ucap, mw, sold = dg_dec_make(0, 0), sf;
		struct row *sr = NULL;

		if ((st = dg_ucap_compute(&ru->p, &ru->site, m, &r, err)) != DG_OK)
			return st;
		format_month(m, mb, sizeof(mb));
		first = dg_date_from_ymd(m / 12, m % 12 + 1, 1);
		dg_cal_capper_format(dg_cal_capability_period(first), per, sizeof(per));
		dg_ucap_flags_format(r.quality, qs, sizeof(qs));
		if (r.quality != 0) {
			for (int b = 0; b < DG_UCAP_Q_NFLAGS; b++)
				if (r.quality & (1u << b))
					ru->flagged[b]++;
			if (ru->strict)
				return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
				    "site %s: %s: %s (--strict)", name, mb, qs);
		}
		dg_csvw_str(ru->w, name);
		dg_csvw_str(ru->w, mb);
		dg_csvw_str(ru->w, per);
		if (r.have_apmd) {
			dg_dec a;

			if ((st = dg_ucap_q_to_dec(r.apmd, 3, DG_UCAP_ROUND, &a)) != DG_OK)
				goto range;
			dg_csvw_dec(ru->w, a, 3);
		} else
			dg_csvw_empty(ru->w);
		if (si != NULL && (si->set & DG_SITE_CMD))
			dg_csvw_dec(ru->w, si->cmd_kw, -1);
		else
			dg_csvw_empty(ru->w);
		dg_csvw_int(ru->w, r.hours);
		t->hours += r.hours;
		if (!r.have_icap) {
			dg_csvw_empty(ru->w);
			if ((st = dg_ucap_q_to_dec(r.avail, 6, DG_UCAP_ROUND, &icap)) != DG_OK)
				goto range;
			dg_csvw_dec(ru->w, icap, 6);
			dg_csvw_empty(ru->w);
			dg_csvw_empty(ru->w);
			dg_csvw_empty(ru->w);
			dg_csvw_empty(ru->w);
			dg_csvw_str(ru->w, qs[0] != '\0' ? qs : "ok");
			if ((st = dg_csvw_end_row(ru->w)) != DG_OK)
				return dg_error_set(err, st, NULL, 0, NULL, "write error");
			continue;
		}
		if ((st = dg_ucap_q_to_dec(r.icap, 3, DG_UCAP_ROUND, &icap)) != DG_OK ||
		    (st = dg_ucap_q_to_dec(r.ucap, 3, DG_UCAP_ROUND, &ucap)) != DG_OK)
			goto range;
		{
			dg_ucap_q q;

			if ((st = dg_ucap_q_div(r.ucap, dg_ucap_q_int(1000), &q)) != DG_OK ||
			    (st = dg_ucap_q_to_dec(q, ru->exact ? 6 : 1,
			    ru->exact ? DG_UCAP_ROUND : DG_UCAP_TRUNC, &mw)) != DG_OK)
				goto range;
		}
		dg_csvw_dec(ru->w, icap, 3);
		{
			dg_dec a;

			if ((st = dg_ucap_q_to_dec(r.avail, 6, DG_UCAP_ROUND, &a)) != DG_OK)
				goto range;
			dg_csvw_dec(ru->w, a, 6);
		}
		dg_csvw_dec(ru->w, ucap, 3);
		dg_csvw_dec(ru->w, mw, ru->exact ? 6 : 1);
		if ((st = dec_add(&t->icap, icap)) != DG_OK ||
		    (st = dec_add(&t->ucap_kw, ucap)) != DG_OK ||
		    (st = dec_add(&t->ucap_mw, mw)) != DG_OK)
			goto range;
		if (ru->have_sold) {
			dg_ucap_q d;

			if ((sr = table_find(&ru->sold, name, m)) != NULL) {
				sold = sr->v;
				sr->used = 1;
			}
			/* shortfall = max(0, sold - UCAP), from the exact UCAP */
			if ((st = dg_ucap_q_sub(dg_ucap_q_dec(sold), r.ucap, &d)) != DG_OK)
				goto range;
			if (dg_ucap_q_sign(d) < 0)
				d = dg_ucap_q_int(0);
			if ((st = dg_ucap_q_to_dec(d, 3, DG_UCAP_ROUND, &sf)) != DG_OK)
				goto range;
			dg_csvw_dec(ru->w, sold, 3);
			dg_csvw_dec(ru->w, sf, 3);
			t->have_sold = 1;
			if ((st = dec_add(&t->sold, sold)) != DG_OK ||
			    (st = dec_add(&t->shortfall, sf)) != DG_OK)
				goto range;
		} else {
			dg_csvw_empty(ru->w);
			dg_csvw_empty(ru->w);
		}
		dg_csvw_str(ru->w, qs[0] != '\0' ? qs : "ok");
		if ((st = dg_csvw_end_row(ru->w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "write error");
	}
	return DG_OK;
range:
	return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
	    "site %s: a figure too large to print", name);
}

/* Fills ru->site's hours from the --cbl table (reduction measure). */
static int
cbl_hours(struct run *ru, const char *name, struct dg_error *err)
{
	int st;

	for (size_t i = table_first(&ru->cbl, name);
	    i < ru->cbl.n && strcmp(ru->cbl.v[i].site, name) == 0; i++) {
		int m;
		dg_date d;

		if ((st = month_of(ru, ru->cbl.v[i].key, &m, &d)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "site %s: a reduction not on the hour", name);
		if (d < ru->from || d > ru->to)
			continue;
		st = ru->cbl.v[i].empty ? dg_ucap_site_hour_missing(&ru->site, m) :
		    dg_ucap_site_hour(&ru->site, m, ru->cbl.v[i].v);
		if (st != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	}
	return DG_OK;
}

static int
site_setup(struct run *ru, const char *name, const struct dg_site **si,
    struct dg_error *err)
{
	dg_ucap_site_clear(&ru->site);
	*si = dg_sites_find(&ru->sites, name);
	if (*si == NULL)
		return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
		    "site %s: not in %s", name, ru->sites.path);
	if (ru->have_icap) {
		struct row *r = table_find(&ru->icap, name, 0);

		if (r == NULL)
			return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
			    "site %s: no ICAP in the --icap file", name);
		r->used = 1;
		ru->site.fixed = 1;
		ru->site.icap_kw = r->v;
	} else {
		if (!((*si)->set & DG_SITE_CMD))
			return dg_error_set(err, DG_EDATA, ru->sites.path, (*si)->line,
			    "cmd_kw", "site %s: empty value", name);
		ru->site.cmd = (*si)->cmd_kw;
	}
	if (ru->have_cbl)
		return cbl_hours(ru, name, err);
	return DG_OK;
}

static const char *const header[] = {
	"site", "month", "period", "apmd_kw", "cmd_kw", "hours", "icap_kw",
	"availability", "ucap_kw", "ucap_mw", "sold_kw", "shortfall_kw", "quality"
};

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_error err;
	struct dg_series_opts so;
	struct dg_series_reader *sr = NULL;
	struct dg_series s;
	struct dg_csvw w;
	struct dg_out *out = NULL;
	struct run ru;
	const char *sites_path = NULL, *events_path = NULL, *cbl_path = NULL;
	const char *icap_path = NULL, *sold_path = NULL, *month_arg = NULL;
	const char *input = NULL;
	int c, st, measure_cbl = 0;
	dg_date from = INT32_MIN, to = INT32_MAX;
	long incomplete = 0;

	dg_cli_init(&cli, "dg-ucap");
	dg_error_clear(&err);
	memset(&ru, 0, sizeof(ru));
	memset(&s, 0, sizeof(s));
	dg_ucap_params_init(&ru.p);
	memset(&so, 0, sizeof(so));
	so.value_col = "load_kw";
	so.hourly = 1;
	so.max_span_s = (int64_t)DG_CBL_MAX_SPAN * 86400;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_SITES:
			sites_path = optarg;
			break;
		case OPT_MONTH:
			month_arg = optarg;
			break;
		case OPT_EVENTS:
			events_path = optarg;
			break;
		case OPT_MEASURE:
			if (strcmp(optarg, "apmd") == 0)
				measure_cbl = 0;
			else if (strcmp(optarg, "cbl") == 0)
				measure_cbl = 1;
			else {
				dg_cli_warn("--measure: apmd or cbl: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_CBL:
			cbl_path = optarg;
			break;
		case OPT_ICAP:
			icap_path = optarg;
			break;
		case OPT_SOLD:
			sold_path = optarg;
			break;
		case OPT_APMD_MONTHS:
			if (dg_ucap_months_parse(optarg, &ru.p.apmd_months) != DG_OK) {
				dg_cli_warn("--apmd-months: months 1-12 separated by commas: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_APMD_LAG: {
			int64_t v;

			if (dg_parse_int(optarg, 0, 10, &v) != DG_OK) {
				dg_cli_warn("--apmd-lag: years from 0 to 10: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			ru.p.apmd_lag = (int)v;
			break;
		}
		case OPT_WINDOW: {
			int64_t v;

			if (dg_parse_int(optarg, 1, 120, &v) != DG_OK) {
				dg_cli_warn("--window: months from 1 to 120: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			ru.p.window_months = (int)v;
			break;
		}
		case OPT_TLF:
		case OPT_EMPTY_AVAIL: {
			dg_dec d;

			if (dg_dec_parse(optarg, strlen(optarg), &d) != DG_OK ||
			    dg_dec_sign(d) < 0 || dg_dec_cmp(d, dg_dec_make(1, 0)) > 0) {
				dg_cli_warn("--%s: a decimal from 0 to 1: \"%s\"",
				    c == OPT_TLF ? "tlf" : "empty-availability", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			if (c == OPT_TLF)
				ru.p.tlf = d;
			else
				ru.p.empty_avail = d;
			break;
		}
		case OPT_EXACT:
			ru.exact = 1;
			break;
		case OPT_COLUMN:
			so.value_col = optarg;
			break;
		case OPT_SUM:
			so.sum = 1;
			break;
		case OPT_MAX_SPAN:
			so.max_span_s = dg_cli_max_span_arg(optarg, usage);
			break;
		case OPT_FROM:
			from = dg_cli_date_arg("--from", optarg, usage);
			break;
		case OPT_TO:
			to = dg_cli_date_arg("--to", optarg, usage);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, DG_EX_USAGE);
	if (argc == 1)
		input = argv[0];
	if (sites_path == NULL || month_arg == NULL) {
		dg_cli_warn("--sites FILE and --month YYYY-MM are required");
		usage(stderr, DG_EX_USAGE);
	}
	{
		const char *colon = strchr(month_arg, ':');
		size_t l0 = colon ? (size_t)(colon - month_arg) : strlen(month_arg);

		if (parse_month(month_arg, l0, &ru.m0) ||
		    parse_month(colon ? colon + 1 : month_arg,
		    colon ? strlen(colon + 1) : l0, &ru.m1) || ru.m1 < ru.m0 ||
		    ru.m1 - ru.m0 > 1200) {
			dg_cli_warn("--month: YYYY-MM or YYYY-MM:YYYY-MM: \"%s\"", month_arg);
			usage(stderr, DG_EX_USAGE);
		}
	}
	if (from > to) {
		dg_cli_warn("--from: after --to");
		usage(stderr, DG_EX_USAGE);
	}
	if (measure_cbl && cbl_path == NULL) {
		dg_cli_warn("--measure cbl needs --cbl FILE (dg-cbl output)");
		usage(stderr, DG_EX_USAGE);
	}
	if (!measure_cbl && cbl_path != NULL) {
		dg_cli_warn("--cbl FILE goes with --measure cbl");
		usage(stderr, DG_EX_USAGE);
	}
	if (!measure_cbl && events_path == NULL) {
		dg_cli_warn("--measure apmd needs --events FILE (the test and event hours)");
		usage(stderr, DG_EX_USAGE);
	}
	if (input == NULL && !(measure_cbl && icap_path != NULL))
		input = "-";
	ru.p.apmd_measure = !measure_cbl;
	ru.from = from;
	ru.to = to;
	ru.strict = cli.strict;
	ru.have_cbl = cbl_path != NULL;
	ru.have_icap = icap_path != NULL;
	ru.have_sold = sold_path != NULL;
	dg_cbl_cal_init(&ru.cal);
	dg_ucap_site_init(&ru.site);
	if ((ru.tot = calloc((size_t)(ru.m1 - ru.m0 + 1), sizeof(*ru.tot))) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	for (int m = 0; m <= ru.m1 - ru.m0; m++) {
		ru.tot[m].icap = ru.tot[m].ucap_kw = ru.tot[m].sold =
		    ru.tot[m].shortfall = dg_dec_make(0, 3);
		ru.tot[m].ucap_mw = dg_dec_make(0, ru.exact ? 6 : 1);
	}

	st = DG_OK;
	if ((st = dg_sites_read(&ru.sites, sites_path, &cli.csv, &err)) != DG_OK)
		goto done;
	if (events_path != NULL && !measure_cbl) {
		if ((st = dg_events_read(&ru.ev, events_path, &cli.csv, &err)) != DG_OK ||
		    (st = dg_events_whole_hours(&ru.ev, &err)) != DG_OK)
			goto done;
		if (dg_events_select(&ru.ev, from, to) == (size_t)-1) {
			st = dg_error_set(&err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
			goto done;
		}
		ru.have_events = 1;
	}
	if ((icap_path && (st = read_table(&ru.icap, icap_path, 0, &cli.csv, &err)) != DG_OK) ||
	    (sold_path && (st = read_table(&ru.sold, sold_path, 1, &cli.csv, &err)) != DG_OK) ||
	    (cbl_path && (st = read_table(&ru.cbl, cbl_path, 2, &cli.csv, &err)) != DG_OK))
		goto done;
	ru.input = input != NULL ? input : icap_path;
	if (input != NULL) {
		if ((st = dg_series_open(&sr, input, &so, &cli.csv, &err)) != DG_OK)
			goto done;
		ru.input = dg_csv_name(dg_series_csv(sr));
	}
	out = dg_cli_open_output(&cli, &w);
	ru.w = &w;
	if ((st = dg_csvw_header(&w, header, 13)) != DG_OK)
		goto done;
	if (sr == NULL) {
		/* no load: the sites of the --icap file */
		for (size_t i = 0; i < ru.icap.n; i++) {
			const struct dg_site *si;

			if ((st = site_setup(&ru, ru.icap.v[i].site, &si, &err)) != DG_OK ||
			    (st = emit_site(&ru, ru.icap.v[i].site, si, &err)) != DG_OK)
				goto done;
		}
	} else while ((st = dg_series_next(sr, &s)) == DG_OK) {
		const struct dg_site *si;

		if ((st = site_setup(&ru, s.site, &si, &err)) != DG_OK)
			goto done;
		incomplete += s.incomplete;
		if (cli.strict && s.incomplete > 0) {
			st = dg_error_set(&err, DG_EDATA, ru.input, 0, NULL,
			    "site %s: %ld incomplete hour%s left out (--strict)",
			    s.site, s.incomplete, s.incomplete == 1 ? "" : "s");
			goto done;
		}
		for (size_t i = 0; i < s.n; i++) {
			int m;
			dg_date d;
			dg_dec kw;

			if ((st = month_of(&ru, s.p[i].t, &m, &d)) != DG_OK) {
				dg_error_set(&err, st, ru.input, s.p[i].line, "time",
				    "not the start of a local hour");
				goto done;
			}
			if ((st = dg_dec_from_double(s.p[i].v, 6, &kw)) != DG_OK) {
				dg_error_set(&err, st, ru.input, s.p[i].line, so.value_col,
				    "load out of range");
				goto done;
			}
			if ((st = dg_ucap_site_load(&ru.site, m, kw)) != DG_OK) {
				if (st == DG_ERANGE)
					dg_error_set(&err, DG_EDATA, ru.input, s.p[i].line, "time",
					    "site %s: readings span more than %d years (a wrong date?)",
					    s.site, DG_UCAP_MAX_MONTHS / 12);
				else
					dg_error_set(&err, st, NULL, 0, NULL, "out of memory");
				goto done;
			}
		}
		if (ru.have_events)
			for (size_t e = 0; e < ru.ev.n; e++) {
				const struct dg_event *ev = &ru.ev.v[e];

				if (!dg_event_applies(ev, s.site))
					continue;
				for (dg_time t = ev->start; t < ev->end; t += 3600) {
					long k = dg_series_find(&s, t);
					int m;
					dg_date d;
					dg_dec kw;

					if ((st = month_of(&ru, t, &m, &d)) != DG_OK)
						goto done;
					if (k < 0)
						st = dg_ucap_site_hour_missing(&ru.site, m);
					else if ((st = dg_dec_from_double(s.p[k].v, 6, &kw)) == DG_OK)
						st = dg_ucap_site_hour(&ru.site, m, kw);
					if (st != DG_OK) {
						dg_error_set(&err, st, ru.input, 0, NULL,
						    "site %s: out of memory", s.site);
						goto done;
					}
				}
			}
		if ((st = emit_site(&ru, s.site, si, &err)) != DG_OK)
			goto done;
	}
	if (st == DG_EOF)
		st = DG_OK;
	/* the portfolio: sums of the printed lines */
	for (int m = ru.m0; m <= ru.m1 && st == DG_OK; m++) {
		struct total *t = &ru.tot[m - ru.m0];
		char mb[16], per[40];
		dg_date first = dg_date_from_ymd(m / 12, m % 12 + 1, 1);

		format_month(m, mb, sizeof(mb));
		dg_cal_capper_format(dg_cal_capability_period(first), per, sizeof(per));
		dg_csvw_str(&w, "TOTAL");
		dg_csvw_str(&w, mb);
		dg_csvw_str(&w, per);
		dg_csvw_empty(&w);
		dg_csvw_empty(&w);
		dg_csvw_int(&w, t->hours);
		dg_csvw_dec(&w, t->icap, 3);
		if (dg_dec_sign(t->icap) > 0) {
			dg_ucap_q a;
			dg_dec d;

			/* as the report: printed UCAP (MW) / ICAP */
			if (dg_ucap_q_div(dg_ucap_q_dec(t->ucap_mw), dg_ucap_q_dec(t->icap), &a) != DG_OK ||
			    dg_ucap_q_mul(a, dg_ucap_q_int(1000), &a) != DG_OK ||
			    dg_ucap_q_to_dec(a, 6, DG_UCAP_ROUND, &d) != DG_OK) {
				st = dg_error_set(&err, DG_ERANGE, NULL, 0, NULL, "totals too large");
				goto done;
			}
			dg_csvw_dec(&w, d, 6);
		} else
			dg_csvw_empty(&w);
		dg_csvw_dec(&w, t->ucap_kw, 3);
		dg_csvw_dec(&w, t->ucap_mw, ru.exact ? 6 : 1);
		if (t->have_sold) {
			dg_csvw_dec(&w, t->sold, 3);
			dg_csvw_dec(&w, t->shortfall, 3);
		} else {
			dg_csvw_empty(&w);
			dg_csvw_empty(&w);
		}
		dg_csvw_empty(&w);
		if ((st = dg_csvw_end_row(&w)) != DG_OK) {
			dg_error_set(&err, st, NULL, 0, NULL, "write error");
			goto done;
		}
	}
done:
	if (st == DG_OK) {
		char line[256];
		size_t k = 0;
		static const char *const names[] = {
			"no_apmd", "negative_icap", "no_hours", "hour_without_icap",
			"missing_hour"
		};

		line[0] = '\0';
		for (int b = 0; b < DG_UCAP_Q_NFLAGS; b++)
			if (ru.flagged[b] > 0)
				k += (size_t)snprintf(line + k, sizeof(line) - k, "%s%s %ld",
				    k ? ", " : "", names[b], ru.flagged[b]);
		if (k > 0)
			dg_cli_warn("site-months flagged: %s", line);
		if (incomplete > 0)
			dg_cli_warn("%ld incomplete hours left out", incomplete);
		/* nothing dropped silently */
		for (size_t i = 0; i < ru.icap.n; i++)
			if (!ru.icap.v[i].used)
				dg_cli_warn("%s: site %s: not in the load, not reported",
				    icap_path, ru.icap.v[i].site);
		{
			long unused = 0;

			for (size_t i = 0; i < ru.sold.n; i++)
				unused += !ru.sold.v[i].used;
			if (unused > 0)
				dg_cli_warn("%s: %ld site-month%s of capacity sold outside the sites and months reported",
				    sold_path, unused, unused == 1 ? "" : "s");
		}
	}
	if (out != NULL)
		st = dg_cli_finish(out, st, &err);
	else if (st != DG_OK)
		st = dg_cli_report(&err);
	dg_series_close(sr);
	dg_series_release(&s);
	dg_sites_release(&ru.sites);
	dg_events_release(&ru.ev);
	free_table(&ru.icap);
	free_table(&ru.sold);
	free_table(&ru.cbl);
	dg_cbl_cal_release(&ru.cal);
	dg_ucap_site_release(&ru.site);
	free(ru.tot);
	return st;
}
