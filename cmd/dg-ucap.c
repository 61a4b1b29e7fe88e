/* dg-ucap: monthly ICAP, availability, UCAP and shortfall of special case
 * resources, per site and for the portfolio. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_acl.h"
#include "dg_cbl.h"
#include "dg_series.h"
#include "dg_sites.h"
#include "dg_ucap.h"
#include "dg_util.h"
#include "dg_zones.h"

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
	OPT_SUM,
	OPT_MAX_SPAN,
	OPT_FROM,
	OPT_TO,
	OPT_PROGRAMS,
	OPT_ZONE_LOAD,
	OPT_ACL_ZONE,
	OPT_ACL_HOURS,
	OPT_ACL_TOP,
	OPT_ACL_LAG,
	OPT_ACL_WEEKDAYS,
	OPT_ACL_PARTIAL,
	OPT_ZONE_DUP,
	OPT_PEAKS,
	OPT_PROJECT,
	OPT_TEST_HOURS,
	OPT_TARGET,
	OPT_MANIFEST
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	DG_CLI_SERIES_LONGOPTS,
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
	{ "sum", no_argument, NULL, OPT_SUM },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "programs", required_argument, NULL, OPT_PROGRAMS },
	{ "zone-load", required_argument, NULL, OPT_ZONE_LOAD },
	{ "acl-zone", required_argument, NULL, OPT_ACL_ZONE },
	{ "acl-hours", required_argument, NULL, OPT_ACL_HOURS },
	{ "acl-top", required_argument, NULL, OPT_ACL_TOP },
	{ "acl-lag", required_argument, NULL, OPT_ACL_LAG },
	{ "acl-weekdays", no_argument, NULL, OPT_ACL_WEEKDAYS },
	{ "acl-partial", no_argument, NULL, OPT_ACL_PARTIAL },
	{ "zone-duplicates", required_argument, NULL, OPT_ZONE_DUP },
	{ "peaks", no_argument, NULL, OPT_PEAKS },
	{ "project", required_argument, NULL, OPT_PROJECT },
	{ "test-hours", required_argument, NULL, OPT_TEST_HOURS },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-ucap --sites FILE --month YYYY-MM[:YYYY-MM] [--events FILE]\n"
"               [--from DATE] [--to DATE] [--programs LIST]\n"
"               [--measure apmd|cbl|acl] [--cbl FILE] [--icap FILE]\n"
"               [--sold FILE] [--apmd-months LIST] [--apmd-lag YEARS]\n"
"               [--zone-load FILE ...] [--acl-zone ZONE] [--acl-hours LO-HI]\n"
"               [--acl-top N] [--acl-lag YEARS] [--acl-weekdays]\n"
"               [--acl-partial] [--zone-duplicates first|max|refuse]\n"
"               [--peaks] [--project DATE] [--test-hours N] [--target PCT]\n"
"               [--window MONTHS] [--tlf X] [--empty-availability X]\n"
"               [--exact] [--sum] [--max-span DAYS] [--manifest FILE]\n"
"               [reading options] [common options] [FILE]\n"
DG_CLI_SERIES_USAGE
DG_CLI_USAGE);
	exit(status);
}

/* --- options ------------------------------------------------------------ */

#define DG_UCAP_ZONE_FILES 64	/* --zone-load given at most */

struct opts {
	struct dg_cli cli;
	struct dg_ucap_params p;
	struct dg_series_opts so;
	const char *sites, *events, *cbl, *icap, *sold, *input;
	const char *programs;	/* the capacity programs */
	const char *manifest;	/* --manifest FILE */
	int argc;
	char **argv;		/* for the manifest */
	int measure_cbl, exact;
	int acl, peaks;		/* --measure acl, --peaks */
	struct dg_acl_params ap;
	const char *zone_load[DG_UCAP_ZONE_FILES], *acl_zone;
	int nzone_load;
	int have_project;
	dg_date project;	/* the planned test */
	int test_hours;
	int have_target;
	dg_rat target;
	int m0, m1;		/* the months reported */
	dg_date from, to;	/* the calls counted */
};

/* A month (YYYY-MM, or as a spreadsheet saves it: dg_parse_month) to a
 * month number. */
static int
parse_month(const char *s, size_t len, int *m)
{
	int y, mo;

	if (dg_parse_month(s, len, &y, &mo) != DG_OK)
		return -1;
	*m = dg_ucap_month(y, mo);
	return 0;
}

static void
month_arg(struct opts *o, const char *arg)
{
	const char *colon = strchr(arg, ':');
	size_t l0 = colon ? (size_t)(colon - arg) : strlen(arg);

	if (parse_month(arg, l0, &o->m0) ||
	    parse_month(colon ? colon + 1 : arg, colon ? strlen(colon + 1) : l0,
	    &o->m1) || o->m1 < o->m0 || o->m1 - o->m0 > 1200) {
		dg_cli_warn("--month: YYYY-MM or YYYY-MM:YYYY-MM: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
}

/* --acl-hours LO-HI: hours beginning 0-23. */
static void
acl_hours_arg(struct opts *o, const char *arg)
{
	int lo, hi, n = 0;

	if (sscanf(arg, "%2d-%2d%n", &lo, &hi, &n) != 2 ||
	    arg[n] != '\0' || lo < 0 || hi > 23 || lo > hi) {
		dg_cli_warn("--acl-hours: hours beginning LO-HI, 0 to 23: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	o->ap.hb_lo = lo;
	o->ap.hb_hi = hi;
}

/* The options of --measure acl and --project: 1 when c is one. */
static int
acl_option(struct opts *o, int c, const char *arg)
{
	static const char *const dups[] = { "first", "max", "refuse", NULL };
	dg_dec pct;

	switch (c) {
	case OPT_ZONE_LOAD:
		if (o->nzone_load == DG_UCAP_ZONE_FILES) {
			dg_cli_warn("--zone-load: at most %d files",
			    DG_UCAP_ZONE_FILES);
			usage(stderr, DG_EX_USAGE);
		}
		o->zone_load[o->nzone_load++] = arg;
		return 1;
	case OPT_ACL_ZONE:	o->acl_zone = arg; return 1;
	case OPT_ACL_HOURS:	acl_hours_arg(o, arg); return 1;
	case OPT_ACL_WEEKDAYS:	o->ap.weekdays = 1; return 1;
	case OPT_ACL_PARTIAL:	o->ap.partial = 1; return 1;
	case OPT_PEAKS:		o->peaks = 1; return 1;
	case OPT_ACL_TOP:
		o->ap.top = dg_cli_int_arg("--acl-top", arg, 1,
		    DG_ACL_TOP_MAX, usage);
		return 1;
	case OPT_ACL_LAG:
		o->ap.lag = dg_cli_int_arg("--acl-lag", arg, 0, 10, usage);
		return 1;
	case OPT_ZONE_DUP:
		o->ap.dup = dg_cli_keyword_arg("--zone-duplicates", arg, dups,
		    usage);
		return 1;
	case OPT_PROJECT:
		o->project = dg_cli_date_arg("--project", arg, usage);
		o->have_project = 1;
		return 1;
	case OPT_TEST_HOURS:
		o->test_hours = dg_cli_int_arg("--test-hours", arg, 1, 24,
		    usage);
		return 1;
	case OPT_TARGET:
		pct = dg_cli_dec_arg("--target", arg, "0", "100", usage);
		o->have_target = 1;
		if (dg_rat_div(dg_rat_dec(pct), dg_rat_int(100),
		    &o->target) != DG_OK)
			usage(stderr, DG_EX_USAGE);
		return 1;
	default:
		return 0;
	}
}

static void
parse_option(struct opts *o, int c, const char *arg, const char **month)
{
	static const char *const measures[] = { "apmd", "cbl", "acl", NULL };
	int k;

	if (dg_cli_option(&o->cli, c, arg, usage) ||
	    dg_cli_series_option(&o->so, c, arg, usage) ||
	    acl_option(o, c, arg))
		return;
	switch (c) {
	case OPT_SITES:		o->sites = arg; break;
	case OPT_MONTH:		*month = arg; break;
	case OPT_EVENTS:	o->events = arg; break;
	case OPT_CBL:		o->cbl = arg; break;
	case OPT_ICAP:		o->icap = arg; break;
	case OPT_SOLD:		o->sold = arg; break;
	case OPT_MANIFEST:	o->manifest = arg; break;
	case OPT_EXACT:		o->exact = 1; break;
	case OPT_SUM:		o->so.sum = 1; break;
	case OPT_MEASURE:
		k = dg_cli_keyword_arg("--measure", arg, measures, usage);
		o->measure_cbl = k == 1;
		o->acl = k == 2;
		break;
	case OPT_APMD_MONTHS:
		if (dg_ucap_months_parse(arg, &o->p.apmd_months) != DG_OK) {
			dg_cli_warn("--apmd-months: months 1-12 separated by commas: \"%s\"", arg);
			usage(stderr, DG_EX_USAGE);
		}
		break;
	case OPT_APMD_LAG:
		o->p.apmd_lag = dg_cli_int_arg("--apmd-lag", arg, 0, 10, usage);
		break;
	case OPT_WINDOW:
		o->p.window_months = dg_cli_int_arg("--window", arg, 1, 120,
		    usage);
		break;
	case OPT_TLF:
		o->p.tlf = dg_cli_dec_arg("--tlf", arg, "0", "1", usage);
		break;
	case OPT_EMPTY_AVAIL:
		o->p.empty_avail = dg_cli_dec_arg("--empty-availability", arg,
		    "0", "1", usage);
		break;
	case OPT_MAX_SPAN:
		o->so.max_span_s = dg_cli_max_span_arg(arg, usage);
		break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		break;
	case OPT_PROGRAMS:
		if (dg_ucap_programs_check(arg) != DG_OK) {
			dg_cli_warn("--programs: program names separated by commas: \"%s\"", arg);
			usage(stderr, DG_EX_USAGE);
		}
		o->programs = arg;
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

/* A usage error unless ok. */
static void
require(int ok, const char *msg)
{
	if (!ok) {
		dg_cli_warn("%s", msg);
		usage(stderr, DG_EX_USAGE);
	}
}

/* --project: the hours counted end the day before the test. */
static void
project_args(struct opts *o)
{
	require(o->have_project || (!o->have_target && o->test_hours == 1),
	    "--target and --test-hours go with --project DATE");
	if (!o->have_project)
		return;
	require(o->sold == NULL, "--sold goes without --project");
	require(o->to == INT32_MAX || o->to < o->project,
	    "--to: on or after the --project date (the test counts as planned)");
	if (o->to == INT32_MAX)
		o->to = o->project - 1;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	const char *month = NULL;
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-ucap");
	o->argc = argc;
	o->argv = argv;
	dg_ucap_params_init(&o->p);
	o->so.value_col = "load_kw";
	o->so.hourly = 1;
	o->so.load = 1;	/* the unit from the column's name (dgagg(7)) */
	o->so.max_span_s = (int64_t)DG_CBL_MAX_SPAN * 86400;
	o->from = INT32_MIN;
	o->to = INT32_MAX;
	o->programs = DG_UCAP_PROGRAMS;
	dg_acl_params_init(&o->ap);
	o->test_hours = 1;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		parse_option(o, c, optarg, &month);
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	if (optind < argc)
		o->input = argv[optind];
	require(month != NULL, "--month YYYY-MM is required");
	month_arg(o, month);
	require(!(o->acl || o->peaks) || o->nzone_load > 0,
	    "--measure acl and --peaks need --zone-load FILE (NYISO's loads)");
	require(o->acl || o->peaks || o->nzone_load == 0,
	    "--zone-load FILE goes with --measure acl or --peaks");
	if (o->peaks)
		return;
	require(o->sites != NULL, "--sites FILE is required");
	project_args(o);
	require(o->from <= o->to, "--from: after --to");
	require(!o->measure_cbl || o->cbl != NULL,
	    "--measure cbl needs --cbl FILE (dg-cbl output)");
	require(o->measure_cbl || o->cbl == NULL,
	    "--cbl FILE goes with --measure cbl");
	require(o->measure_cbl || o->events != NULL,
	    "--measure apmd needs --events FILE (the test and event hours)");
	if (o->input == NULL && !(o->measure_cbl && o->icap != NULL))
		o->input = "-";
	o->p.apmd_measure = !o->measure_cbl;
	o->p.given_base = o->acl;
}

static void
format_month(int m, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", m / 12, m % 12 + 1);
}

/* --- side files: ICAP, capacity sold, reductions ------------------------ */

/* Keyed rows of a side file: site, a month or an instant, a decimal. */
struct row {
	char *site;
	int64_t key;
	int empty;
	int used;
	dg_dec v;
};

/* Rows of programs that are not capacity programs, left out. */
struct others {
	long n;
	char names[128];	/* "EDRP, LIPA" */
};

struct table {
	struct row *v;
	size_t n, cap;
	struct others other;
	char file[256];		/* its name, for messages */
};

enum { T_ICAP, T_SOLD, T_CBL };	/* the kinds of side file */

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

static const char *const vcol[] = { "icap_kw", "sold_kw", "reduction_kw" };

/* The row's key (a month of T_SOLD, an instant of T_CBL) and value. */
static int
read_row(struct dg_csv *r, int kind, int c_key, int c_v, dg_time *prev,
    struct row *x)
{
	int st;

	memset(x, 0, sizeof(*x));
	if (kind == T_SOLD) {
		int y, m;

		if ((st = dg_csv_get_month(r, c_key, &y, &m)) != DG_OK)
			return st;
		x->key = dg_ucap_month(y, m);
	} else if (kind == T_CBL) {
		struct dg_tstamp ts;

		if ((st = dg_csv_get_time(r, c_key, &ts)) != DG_OK)
			return st;
		x->key = *prev = dg_tstamp_pick(&ts, *prev);
	}
	if (kind == T_CBL && dg_csv_is_empty(r, c_v))
		x->empty = 1;
	else if ((st = dg_csv_get_dec(r, c_v, &x->v)) != DG_OK)
		return st;
	if (kind != T_CBL && dg_dec_sign(x->v) < 0)
		return dg_csv_fail(r, c_v, DG_EDATA, "negative %s", vcol[kind]);
	return DG_OK;
}

/* Two rows of one site and hour with different reductions. */
static int
dup_hour(const struct row *a, const struct row *b, const char *file,
    struct dg_error *err)
{
	char ts[DG_TIME_BUFSZ], x[DG_DEC_BUFSZ], y[DG_DEC_BUFSZ];

	dg_time_format(b->key, ts, sizeof(ts));
	snprintf(x, sizeof(x), "empty");
	snprintf(y, sizeof(y), "empty");
	if (!a->empty)
		dg_dec_format(a->v, x, sizeof(x));
	if (!b->empty)
		dg_dec_format(b->v, y, sizeof(y));
	return dg_error_set(err, DG_EDATA, file, 0, NULL,
	    "site %s: %s: two different reductions of one hour (%s and %s)",
	    b->site, ts, x, y);
}

/* Sorts the rows and merges those of one key: capacity sold adds up; an
 * hour given twice with the same reduction (two calls) counts once; two
 * ICAPs, or two different reductions of one hour, are an error. */
static int
merge_rows(struct table *t, int kind, const char *file, struct dg_error *err)
{
	size_t k = 0;

	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_row);
	for (size_t i = 0; i < t->n; i++) {
		struct row *p = k > 0 ? &t->v[k - 1] : NULL, *x = &t->v[i];

		if (p == NULL || cmp_row(p, x) != 0) {
			t->v[k++] = *x;
			continue;
		}
		if (kind == T_CBL && p->empty == x->empty &&
		    (x->empty || dg_dec_cmp(p->v, x->v) == 0)) {
			/* one hour of two calls (an event and a test): once */
			free(x->site);
			x->site = NULL;
			continue;
		}
		if (kind == T_CBL)
			return dup_hour(p, x, file, err);
		if (kind != T_SOLD)
			return dg_error_set(err, DG_EDATA, file, 0, NULL,
			    "site %s: ICAP given twice", x->site);
		if (dg_dec_add(p->v, x->v, &p->v) != DG_OK)
			return dg_error_set(err, DG_ERANGE, file, 0, NULL,
			    "site %s: sold capacity too large", x->site);
		free(t->v[i].site);
		t->v[i].site = NULL;
	}
	t->n = k;
	return DG_OK;
}

/* Notes a row of program prog, not a capacity program. */
static void
other_program(struct others *o, const char *prog)
{
	size_t k = strlen(o->names), n = strlen(prog);
	const char *p = o->names;

	o->n++;
	while ((p = strstr(p, prog)) != NULL) {	/* listed already? */
		if ((p == o->names || p[-1] == ' ') &&
		    (p[n] == ',' || p[n] == '\0'))
			return;
		p++;
	}
	if (k + n + 3 < sizeof(o->names))
		snprintf(o->names + k, sizeof(o->names) - k, "%s%s",
		    k ? ", " : "", prog);
}

/* T_ICAP: site,icap_kw; T_SOLD: site,month,sold_kw (added up); T_CBL:
 * site,time,reduction_kw (empty allowed), and with a program column only
 * the rows of the capacity programs. */
static int
read_table(struct table *t, const char *path, int kind, const char *programs,
    const struct dg_csv_opts *o, struct dg_error *err)
{
	static const char *const kcol[] = { NULL, "month", "time" };
	struct dg_csv *r;
	int st, c_site, c_key = -1, c_v, c_prog;
	dg_time prev = INT64_MIN;

	if ((st = dg_csv_open(&r, path, o, err)) != DG_OK)
		return st;
	if ((st = dg_csv_require(r, "site", &c_site)) != DG_OK ||
	    (kcol[kind] &&
	    (st = dg_csv_require(r, kcol[kind], &c_key)) != DG_OK) ||
	    (st = dg_csv_require(r, vcol[kind], &c_v)) != DG_OK)
		goto fail;
	c_prog = kind == T_CBL ? dg_csv_col(r, "program") : -1;
	snprintf(t->file, sizeof(t->file), "%s", dg_csv_name(r));
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct row x;

		if (c_prog >= 0 && !dg_ucap_capacity_program(programs,
		    dg_csv_field(r, c_prog, NULL))) {
			other_program(&t->other, dg_csv_field(r, c_prog, NULL));
			continue;
		}
		if (dg_csv_is_empty(r, c_site)) {
			st = dg_csv_fail(r, c_site, DG_EDATA,
			    "empty site name");
			goto fail;
		}
		if ((st = read_row(r, kind, c_key, c_v, &prev, &x)) != DG_OK)
			goto fail;
		if (dg_grow(&t->v, &t->cap, t->n + 1, sizeof(*t->v)) != 0 ||
		    (x.site = strdup(dg_csv_field(r, c_site, NULL))) == NULL) {
			st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
			goto fail;
		}
		t->v[t->n++] = x;
	}
	if (st == DG_EOF) {
		st = merge_rows(t, kind, dg_csv_name(r), err);
		dg_csv_close(r);
		return st;
	}
fail:
	*err = *dg_csv_error(r);
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
	size_t i = table_first(t, site);

	for (; i < t->n && strcmp(t->v[i].site, site) == 0; i++)
		if (t->v[i].key == key)
			return &t->v[i];
	return NULL;
}

/* --- the run ------------------------------------------------------------ */

struct run {
	struct opts *o;
	struct dg_sites sites;
	struct dg_events ev;
	struct others ev_other;	/* calls of other programs */
	struct table icap, sold, cbl;
	char **left;		/* sites left out: in no capacity program */
	size_t nleft, capleft;
	struct dg_cbl_cal cal;
	dg_time day_a, day_b;	/* the local day of the last month_of */
	int day_m;		/* and its month */
	dg_date day_d;		/* and date */
	struct dg_ucap_site site;
	struct dg_ucap_total *tot;	/* by month from o->m0 */
	struct dg_series_reader *sr;
	struct dg_out *out;
	struct dg_csvw w;
	struct dg_cli_manifest mr;	/* --manifest */
	long flagged[DG_UCAP_Q_NFLAGS];
	long incomplete, missing;
	const char *input;
	struct dg_acl_zones zones;	/* --measure acl, --peaks */
	struct peaks *pk;		/* the peak hours computed */
	size_t npk, cappk;
	struct ptotal *ptot;		/* --project: by month from o->m0 */
};

/* The peak hours of a zone for the ACL of a period, computed once. */
struct peaks {
	const struct dg_acl_zone *z;
	struct dg_acl_peaks pk;
};

/* The zone loads of --zone-load, their repeated hours resolved. */
static int
read_zones(struct run *ru, struct dg_error *err)
{
	const struct opts *o = ru->o;
	int st;

	for (int i = 0; i < o->nzone_load; i++)
		if ((st = dg_acl_zones_read(&ru->zones, o->zone_load[i],
		    &o->cli.csv, err)) != DG_OK)
			return st;
	return dg_acl_zones_finish(&ru->zones, o->ap.dup, err);
}

/* The zone of the loads called name, as written or as people type it. */
static const struct dg_acl_zone *
find_zone(const struct run *ru, const char *name)
{
	const struct dg_acl_zone *z = dg_acl_zones_find(&ru->zones, name);
	const char *canon;

	if (z == NULL && dg_zone_resolve("NYISO", name, &canon) == DG_OK)
		z = dg_acl_zones_find(&ru->zones, canon);
	return z;
}

/* The zone of site si's peak hours: --acl-zone, or its sites.csv zone. */
static int
site_zone(const struct run *ru, const struct dg_site *si,
    const struct dg_acl_zone **z, struct dg_error *err)
{
	const char *name = ru->o->acl_zone;

	if (name == NULL && si != NULL && (si->set & DG_SITE_ZONE))
		name = si->zone;
	if (name == NULL)
		return dg_error_set(err, DG_EDATA, ru->sites.path,
		    si ? si->line : 0, "zone",
		    "site %s: no zone for its ACL (--acl-zone)",
		    si ? si->site : "");
	if ((*z = find_zone(ru, name)) == NULL) {
		char known[256];
		size_t k = 0;

		known[0] = '\0';
		for (size_t i = 0; i < ru->zones.n && k < sizeof(known); i++)
			k += (size_t)snprintf(known + k, sizeof(known) - k,
			    "%s%s", i ? ", " : "", ru->zones.v[i].name);
		return dg_error_set(err, DG_EDATA, ru->o->zone_load[0], 0,
		    NULL,
		    "zone %s: not in the zone loads (--acl-zone names one of them: %s)",
		    name, known);
	}
	return DG_OK;
}

/* The peak hours of zone z for the ACL of the period starting in month
 * period. */
static int
zone_peaks(struct run *ru, const struct dg_acl_zone *z, int period,
    const struct dg_acl_peaks **pk, struct dg_error *err)
{
	struct peaks *p;
	int st;

	for (size_t i = 0; i < ru->npk; i++)
		if (ru->pk[i].z == z && ru->pk[i].pk.period == period) {
			*pk = &ru->pk[i].pk;
			return DG_OK;
		}
	if (dg_grow(&ru->pk, &ru->cappk, ru->npk + 1, sizeof(*ru->pk)) != 0)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	p = &ru->pk[ru->npk];
	p->z = z;
	if ((st = dg_acl_peaks(&ru->o->ap, z, period, &p->pk, err)) != DG_OK)
		return st;
	ru->npk++;
	*pk = &p->pk;
	return DG_OK;
}

/* The site's ACL of the period starting in month ps. */
static int
acl_base(struct run *ru, const struct dg_acl_zone *z, int ps,
    const struct dg_series *s, struct dg_error *err)
{
	const struct dg_acl_peaks *pk;
	dg_rat v = dg_rat_int(0);
	size_t found = 0;
	int st;

	for (size_t i = 0; i < ru->site.nbase; i++)
		if (ru->site.base[i].period == ps)
			return DG_OK;
	if ((st = zone_peaks(ru, z, ps, &pk, err)) != DG_OK)
		return st;
	if (s != NULL && dg_acl_site(pk, s, &v, &found) != DG_OK)
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "site %s: ACL: numbers too large", s->site);
	if (dg_ucap_site_base(&ru->site, ps, found > 0, v,
	    found < (size_t)ru->o->ap.top ? DG_UCAP_Q_ACL_SHORT : 0) != DG_OK)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	return DG_OK;
}

/* The ACL of each period the site's months and hours need (--measure
 * acl): those of the months reported (its ICAP), of its hours in their
 * windows (their delivered kW). */
static int
acl_bases(struct run *ru, const struct dg_site *si, const struct dg_series *s,
    struct dg_error *err)
{
	const struct dg_acl_zone *z;
	int st, lo = ru->o->m0 - ru->o->p.window_months;

	if ((st = site_zone(ru, si, &z, err)) != DG_OK)
		return st;
	for (int m = ru->o->m0; m <= ru->o->m1; m++)
		if (!ru->site.fixed && (st = acl_base(ru, z,
		    dg_ucap_period_start(m), s, err)) != DG_OK)
			return st;
	for (size_t i = 0; i < ru->site.nh; i++) {
		int m = ru->site.h[i].month;

		if (m >= lo && m < ru->o->m1 && (st = acl_base(ru, z,
		    dg_ucap_period_start(m), s, err)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* --project: the portfolio's month, sums of the printed lines. */
struct ptotal {
	long hours;
	dg_dec icap, full, zero, need;
};

/* The month and local date of the hour that starts at t. */
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

/* The month and capability period of month m. */
static void
write_month(struct dg_csvw *w, int m)
{
	char mb[16], per[40];

	format_month(m, mb, sizeof(mb));
	dg_cal_capper_format(dg_cal_capability_period(dg_date_from_ymd(m / 12,
	    m % 12 + 1, 1)), per, sizeof(per));
	dg_csvw_str(w, mb);
	dg_csvw_str(w, per);
}

static void
csvw_dec_or_empty(struct dg_csvw *w, int have, dg_dec v, int scale)
{
	if (have)
		dg_csvw_dec(w, v, scale);
	else
		dg_csvw_empty(w);
}

/* The flags of a site-month into qs, counted; an error under --strict. */
static int
month_quality(struct run *ru, const char *name, int m, unsigned quality,
    char *qs, size_t n, struct dg_error *err)
{
	char mb[16];

	dg_ucap_flags_format(quality, qs, n);
	if (quality == 0)
		return DG_OK;
	for (int b = 0; b < DG_UCAP_Q_NFLAGS; b++)
		if (quality & (1u << b))
			ru->flagged[b]++;
	if (!ru->o->cli.strict)
		return DG_OK;
	format_month(m, mb, sizeof(mb));
	return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
	    "site %s: %s: %s (--strict)", name, mb, qs);
}

/* The capacity sold by the site in month m, its shortfall, and the
 * month's total of them. */
static int
write_sold(struct run *ru, const char *name, int m,
    const struct dg_ucap_result *r)
{
	struct row *sr = table_find(&ru->sold, name, m);
	dg_dec sold = dg_dec_make(0, 0), sf;

	if (sr != NULL) {
		sold = sr->v;
		sr->used = 1;
	}
	if (dg_ucap_shortfall(r, sold, &sf) != DG_OK ||
	    dg_ucap_total_add_sold(&ru->tot[m - ru->o->m0], sold, sf) != DG_OK)
		return DG_ERANGE;
	dg_csvw_dec(&ru->w, sold, 3);
	dg_csvw_dec(&ru->w, sf, 3);
	return DG_OK;
}

/* A site's row ended, or (range) the error of a figure too large. */
static int
row_done(struct run *ru, const char *name, int range, struct dg_error *err)
{
	int st;

	if (range)
		return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
		    "site %s: a figure too large to print", name);
	if ((st = dg_csvw_end_row(&ru->w)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "write error");
	return DG_OK;
}

static const char *const outcomes[] = {
	"not_counted", "kept", "needs", "unreachable"
};

/* Adds the printed figures of a projected site-month to the total. */
static int
project_total(struct ptotal *t, const struct dg_ucap_proj *pr,
    const struct dg_ucap_line *l, dg_dec full, dg_dec zero, dg_dec need)
{
	t->hours += pr->hours;
	if (!l->have_icap)
		return DG_OK;
	if (dg_dec_add(t->icap, l->icap, &t->icap) != DG_OK ||
	    dg_dec_add(t->full, full, &t->full) != DG_OK ||
	    dg_dec_add(t->zero, zero, &t->zero) != DG_OK ||
	    (pr->state == DG_UCAP_NEED_KW &&
	    dg_dec_add(t->need, need, &t->need) != DG_OK))
		return DG_ERANGE;
	return DG_OK;
}

/* The need of a projected site-month: kW at least, and the load at most
 * (the baseline less the need) with the APMD and ACL measures. */
static int
write_need(struct dg_csvw *w, const struct dg_ucap_proj *pr, dg_dec *need)
{
	dg_dec ml;
	dg_rat x;

	*need = dg_dec_make(0, 3);
	if (pr->state != DG_UCAP_NEED_KW && pr->state != DG_UCAP_NEED_NONE) {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
		return DG_OK;
	}
	if (dg_ucap_kw_up(pr->need, need) != DG_OK)
		return DG_ERANGE;
	dg_csvw_dec(w, *need, 3);
	if (!pr->have_base) {
		dg_csvw_empty(w);
		return DG_OK;
	}
	if (dg_rat_sub(pr->base, dg_rat_dec(*need), &x) != DG_OK ||
	    dg_ucap_kw_down(x, &ml) != DG_OK)
		return DG_ERANGE;
	dg_csvw_dec(w, ml, 3);
	return DG_OK;
}

/* --project: the row of the site's month m with the test planned. */
static int
project_month(struct run *ru, const char *name, int m, struct dg_error *err)
{
	const struct opts *o = ru->o;
	struct dg_ucap_result now;
	struct dg_ucap_proj pr;
	struct dg_ucap_line l;
	struct dg_csvw *w = &ru->w;
	int y, mo, d, tm, st;
	dg_dec rating, target, full, zero, af, az, need;
	char db[16];

	dg_date_to_ymd(o->project, &y, &mo, &d);
	tm = dg_ucap_month(y, mo);
	if ((st = dg_ucap_compute(&o->p, &ru->site, tm, &now, err)) != DG_OK ||
	    (st = dg_ucap_project(&o->p, &ru->site, m, tm, o->test_hours,
	    o->have_target ? o->target : now.avail, &pr, err)) != DG_OK)
		return st;
	full = zero = dg_dec_make(0, 3);
	if (dg_ucap_line(&pr.now, o->exact, &l) != DG_OK ||
	    dg_rat_to_dec(now.avail, 6, DG_RAT_ROUND, &rating) != DG_OK ||
	    dg_rat_to_dec(o->have_target ? o->target : now.avail, 6,
	    DG_RAT_ROUND, &target) != DG_OK ||
	    dg_rat_to_dec(pr.avail_full, 6, DG_RAT_ROUND, &af) != DG_OK ||
	    dg_rat_to_dec(pr.avail_zero, 6, DG_RAT_ROUND, &az) != DG_OK ||
	    (l.have_icap &&
	    (dg_rat_to_dec(pr.ucap_full, 3, DG_RAT_ROUND, &full) != DG_OK ||
	    dg_rat_to_dec(pr.ucap_zero, 3, DG_RAT_ROUND, &zero) != DG_OK)))
		goto range;
	dg_csvw_str(w, name);
	write_month(w, m);
	csvw_dec_or_empty(w, l.have_icap, l.icap, 3);
	dg_date_format(o->project, db, sizeof(db));
	dg_csvw_str(w, db);
	dg_csvw_int(w, o->test_hours);
	dg_csvw_dec(w, rating, 6);
	dg_csvw_dec(w, target, 6);
	dg_csvw_int(w, pr.hours);
	dg_csvw_dec(w, af, 6);
	csvw_dec_or_empty(w, l.have_icap, full, 3);
	dg_csvw_dec(w, az, 6);
	csvw_dec_or_empty(w, l.have_icap, zero, 3);
	if (write_need(w, &pr, &need) != DG_OK ||
	    project_total(&ru->ptot[m - o->m0], &pr, &l, full, zero,
	    need) != DG_OK)
		goto range;
	dg_csvw_str(w, outcomes[pr.state]);
	return row_done(ru, name, 0, err);
range:
	return row_done(ru, name, 1, err);
}

/* The row of the site's month m. */
static int
site_month(struct run *ru, const char *name, const struct dg_site *si, int m,
    struct dg_error *err)
{
	struct dg_ucap_result r;
	struct dg_ucap_line l;
	struct dg_csvw *w = &ru->w;
	char qs[128];
	int st;

	if (ru->o->have_project)
		return project_month(ru, name, m, err);
	if ((st = dg_ucap_compute(&ru->o->p, &ru->site, m, &r, err)) != DG_OK ||
	    (st = month_quality(ru, name, m, r.quality, qs, sizeof(qs),
	    err)) != DG_OK)
		return st;
	if (dg_ucap_line(&r, ru->o->exact, &l) != DG_OK ||
	    dg_ucap_total_add(&ru->tot[m - ru->o->m0], &r, &l) != DG_OK)
		goto range;
	dg_csvw_str(w, name);
	write_month(w, m);
	csvw_dec_or_empty(w, l.have_apmd, l.apmd, 3);
	csvw_dec_or_empty(w, (si->set & DG_SITE_CMD) != 0, si->cmd_kw, -1);
	dg_csvw_int(w, r.hours);
	csvw_dec_or_empty(w, l.have_icap, l.icap, 3);
	dg_csvw_dec(w, l.avail, 6);
	csvw_dec_or_empty(w, l.have_icap, l.ucap_kw, 3);
	csvw_dec_or_empty(w, l.have_icap, l.ucap_mw, ru->o->exact ? 6 : 1);
	if (l.have_icap && ru->o->sold != NULL) {
		if (write_sold(ru, name, m, &r) != DG_OK)
			goto range;
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
	dg_csvw_str(w, qs[0] != '\0' ? qs : "ok");
	return row_done(ru, name, 0, err);
range:
	return row_done(ru, name, 1, err);
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
		if (d < ru->o->from || d > ru->o->to)
			continue;
		st = ru->cbl.v[i].empty ?
		    dg_ucap_site_hour_missing(&ru->site, m) :
		    dg_ucap_site_hour(&ru->site, m, ru->cbl.v[i].v);
		if (st != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
	}
	return DG_OK;
}

/* Notes a site left out: enrolled in no capacity program. */
static int
leave_out(struct run *ru, const char *name, struct dg_error *err)
{
	struct row *r = table_find(&ru->icap, name, 0);

	if (r != NULL)
		r->used = 1;	/* said here, not as a site without load */
	if (dg_grow(&ru->left, &ru->capleft, ru->nleft + 1,
	    sizeof(*ru->left)) != 0 ||
	    (ru->left[ru->nleft] = strdup(name)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	ru->nleft++;
	return DG_OK;
}

/* The site's ICAP (or CMD) and, with --cbl, its hours; *counts 0 for a
 * site in no capacity program (left out). */
static int
site_setup(struct run *ru, const char *name, const struct dg_site **si,
    int *counts, struct dg_error *err)
{
	dg_ucap_site_clear(&ru->site);
	*si = dg_sites_find(&ru->sites, name);
	if (*si == NULL)
		return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
		    "site %s: not in %s", name, ru->sites.path);
	if (!(*counts = dg_ucap_site_counts(&ru->sites, *si, ru->o->programs)))
		return leave_out(ru, name, err);
	if (ru->o->icap != NULL) {
		struct row *r = table_find(&ru->icap, name, 0);

		if (r == NULL)
			return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
			    "site %s: no ICAP in the --icap file", name);
		r->used = 1;
		ru->site.fixed = 1;
		ru->site.icap_kw = r->v;
	} else {
		if (!((*si)->set & DG_SITE_CMD))
			return dg_error_set(err, DG_EDATA, ru->sites.path,
			    (*si)->line, "cmd_kw", "site %s: empty value",
			    name);
		ru->site.cmd = (*si)->cmd_kw;
	}
	if (ru->o->cbl != NULL)
		return cbl_hours(ru, name, err);
	return DG_OK;
}

/* The monthly peaks of the site's load. */
static int
load_months(struct run *ru, const struct dg_series *s, struct dg_error *err)
{
	for (size_t i = 0; i < s->n; i++) {
		long line = s->p[i].line;
		int m, st;
		dg_date d;

		if ((st = month_of(ru, s->p[i].t, &m, &d)) != DG_OK)
			return dg_error_set(err, st, ru->input, line, "time",
			    "not the start of a local hour");
		st = dg_ucap_site_load(&ru->site, m, s->p[i].x);
		if (st == DG_ERANGE)
			return dg_error_set(err, DG_EDATA, ru->input, line,
			    "time",
			    "site %s: readings span more than %d years (a wrong date?)",
			    s->site, DG_UCAP_MAX_MONTHS / 12);
		if (st != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "out of memory");
	}
	return DG_OK;
}

static int
cmp_time(const void *a, const void *b)
{
	dg_time x = *(const dg_time *)a, y = *(const dg_time *)b;

	return x < y ? -1 : x > y;
}

/* The load of every hour of the capacity calls that count for the site
 * (APMD measure); an hour of two calls (an event and a test) once. */
static int
event_hours(struct run *ru, const struct dg_series *s, const struct dg_site *si,
    struct dg_error *err)
{
	dg_time *v = NULL;
	size_t n = 0, cap = 0;
	int st = DG_OK;

	for (size_t e = 0; e < ru->ev.n; e++) {
		const struct dg_event *ev = &ru->ev.v[e];

		if (!dg_ucap_event_counts(&ru->sites, si, ev, ru->o->programs))
			continue;
		for (dg_time t = ev->start; t < ev->end; t += 3600) {
			if (dg_grow(&v, &cap, n + 1, sizeof(*v)) != 0) {
				free(v);
				return dg_error_set(err, DG_ENOMEM, NULL, 0,
				    NULL, "out of memory");
			}
			v[n++] = t;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_time);
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		long k = dg_series_find(s, v[i]);
		int m;
		dg_date d;

		if (i > 0 && v[i] == v[i - 1])
			continue;
		if ((st = month_of(ru, v[i], &m, &d)) != DG_OK) {
			dg_error_set(err, st, ru->input, 0, NULL,
			    "site %s: an event hour not on a local hour",
			    s->site);
			break;
		}
		st = k < 0 ? dg_ucap_site_hour_missing(&ru->site, m) :
		    dg_ucap_site_hour(&ru->site, m, s->p[k].x);
		if (st != DG_OK)
			dg_error_set(err, st, ru->input, 0, NULL,
			    "site %s: out of memory", s->site);
	}
	free(v);
	return st;
}

/* Every month's row of a site (s: its load, or NULL). */
static int
one_site(struct run *ru, const char *name, const struct dg_series *s,
    struct dg_error *err)
{
	const struct dg_site *si;
	int st, counts;

	if ((st = site_setup(ru, name, &si, &counts, err)) != DG_OK || !counts)
		return st;
	if (s != NULL) {
		ru->incomplete += s->incomplete;
		ru->missing += s->missing;
		if (ru->o->cli.strict && s->missing > 0)
			return dg_error_set(err, DG_EDATA, ru->input,
			    s->missing_line, ru->o->so.value_col,
			    "site %s: an empty reading (--strict)", name);
		if (ru->o->cli.strict && s->incomplete > 0)
			return dg_error_set(err, DG_EDATA, ru->input, 0, NULL,
			    "site %s: %ld incomplete hour%s left out (--strict)",
			    name, s->incomplete, s->incomplete == 1 ? "" : "s");
		if ((st = load_months(ru, s, err)) != DG_OK ||
		    (ru->o->events != NULL && !ru->o->measure_cbl &&
		    (st = event_hours(ru, s, si, err)) != DG_OK))
			return st;
	}
	if (ru->o->acl && (st = acl_bases(ru, si, s, err)) != DG_OK)
		return st;
	for (int m = ru->o->m0; m <= ru->o->m1; m++)
		if ((st = site_month(ru, name, si, m, err)) != DG_OK)
			return st;
	return DG_OK;
}

/* --project: the portfolio's row of each month. */
static int
write_project_totals(struct run *ru, struct dg_error *err)
{
	struct dg_csvw *w = &ru->w;

	for (int m = ru->o->m0; m <= ru->o->m1; m++) {
		const struct ptotal *t = &ru->ptot[m - ru->o->m0];
		int st;

		dg_csvw_str(w, "TOTAL");
		write_month(w, m);
		dg_csvw_dec(w, t->icap, 3);
		for (int i = 0; i < 4; i++)
			dg_csvw_empty(w);
		dg_csvw_int(w, t->hours);
		dg_csvw_empty(w);
		dg_csvw_dec(w, t->full, 3);
		dg_csvw_empty(w);
		dg_csvw_dec(w, t->zero, 3);
		dg_csvw_dec(w, t->need, 3);
		dg_csvw_empty(w);
		dg_csvw_empty(w);
		if ((st = dg_csvw_end_row(w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "write error");
	}
	return DG_OK;
}

/* The portfolio's row of each month. */
static int
write_totals(struct run *ru, struct dg_error *err)
{
	struct dg_csvw *w = &ru->w;

	if (ru->o->have_project)
		return write_project_totals(ru, err);

	for (int m = ru->o->m0; m <= ru->o->m1; m++) {
		const struct dg_ucap_total *t = &ru->tot[m - ru->o->m0];
		dg_dec a;
		int have, st;

		if (dg_ucap_total_avail(t, &have, &a) != DG_OK)
			return dg_error_set(err, DG_ERANGE, NULL, 0, NULL,
			    "totals too large");
		dg_csvw_str(w, "TOTAL");
		write_month(w, m);
		dg_csvw_empty(w);
		dg_csvw_empty(w);
		dg_csvw_int(w, t->hours);
		dg_csvw_dec(w, t->icap, 3);
		csvw_dec_or_empty(w, have, a, 6);
		dg_csvw_dec(w, t->ucap_kw, 3);
		dg_csvw_dec(w, t->ucap_mw, ru->o->exact ? 6 : 1);
		csvw_dec_or_empty(w, t->have_sold, t->sold, 3);
		csvw_dec_or_empty(w, t->have_sold, t->shortfall, 3);
		dg_csvw_empty(w);
		if ((st = dg_csvw_end_row(w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "write error");
	}
	return DG_OK;
}

static const char *const project_header[] = {
	"site", "month", "period", "icap_kw", "test_date", "test_hours",
	"rating", "target", "hours", "availability_full", "ucap_kw_full",
	"availability_zero", "ucap_kw_zero", "need_kw", "max_load_kw",
	"outcome"
};

static const char *const peaks_header[] = {
	"zone", "period", "prior_period", "hours_beginning", "rank", "time",
	"load_mw"
};

/* The capability period starting in month ps, as "Summer 2017". */
static void
format_period(int ps, char *buf, size_t n)
{
	dg_cal_capper_format(dg_cal_capability_period(dg_date_from_ymd(ps / 12,
	    ps % 12 + 1, 1)), buf, n);
}

/* --peaks: the peak hours of a zone for the ACL of the period starting
 * in month ps. */
static int
write_zone_peaks(struct run *ru, const struct dg_acl_zone *z, int ps,
    struct dg_error *err)
{
	const struct dg_acl_peaks *pk;
	char per[40], prior[40], hb[16], ts[DG_TIME_BUFSZ];
	int st;

	if ((st = zone_peaks(ru, z, ps, &pk, err)) != DG_OK)
		return st;
	format_period(pk->period, per, sizeof(per));
	format_period(pk->prior, prior, sizeof(prior));
	snprintf(hb, sizeof(hb), "%d-%d", pk->hb_lo, pk->hb_hi);
	for (size_t i = 0; i < pk->n; i++) {
		dg_csvw_str(&ru->w, z->name);
		dg_csvw_str(&ru->w, per);
		dg_csvw_str(&ru->w, prior);
		dg_csvw_str(&ru->w, hb);
		dg_csvw_int(&ru->w, (long)i + 1);
		dg_time_format(pk->t[i], ts, sizeof(ts));
		dg_csvw_str(&ru->w, ts);
		dg_csvw_dec(&ru->w, pk->mw[i], -1);
		if ((st = dg_csvw_end_row(&ru->w)) != DG_OK)
			return dg_error_set(err, st, NULL, 0, NULL,
			    "write error");
	}
	return DG_OK;
}

/* --peaks: for --acl-zone (or every zone of the loads) and each period
 * of --month. */
static int
write_peaks(struct run *ru, struct dg_error *err)
{
	const struct dg_acl_zone *one = NULL;
	int st;

	if (ru->o->acl_zone != NULL &&
	    (st = site_zone(ru, NULL, &one, err)) != DG_OK)
		return st;
	for (size_t i = 0; i < ru->zones.n; i++) {
		const struct dg_acl_zone *z = &ru->zones.v[i];

		if (one != NULL && z != one)
			continue;
		for (int m = ru->o->m0; m <= ru->o->m1; m++) {
			int ps = dg_ucap_period_start(m);

			if (m > ru->o->m0 && ps == dg_ucap_period_start(m - 1))
				continue;
			if ((st = write_zone_peaks(ru, z, ps, err)) != DG_OK)
				return st;
		}
	}
	return DG_OK;
}

static const char *const header[] = {
	"site", "month", "period", "apmd_kw", "cmd_kw", "hours", "icap_kw",
	"availability", "ucap_kw", "ucap_mw", "sold_kw", "shortfall_kw",
	"quality"
};

/* The events (--events without --measure cbl) of the range; the rows of
 * programs that are not capacity programs are noted. */
static int
read_events(struct run *ru, struct dg_error *err)
{
	const struct opts *o = ru->o;
	int st;

	if ((st = dg_events_read(&ru->ev, o->events, &o->cli.csv,
	    err)) != DG_OK ||
	    (st = dg_events_whole_hours(&ru->ev, err)) != DG_OK ||
	    (st = dg_cbl_events_check_sites(&ru->ev, &ru->sites,
	    err)) != DG_OK)
		return st;
	if (dg_events_select(&ru->ev, o->from, o->to) == (size_t)-1)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < ru->ev.n; i++)
		if (!dg_ucap_capacity_program(o->programs,
		    ru->ev.v[i].program))
			other_program(&ru->ev_other, ru->ev.v[i].program);
	return DG_OK;
}

/* With --manifest, every input file of the run is recorded. */
static void
manifest_inputs(struct run *ru)
{
	const struct opts *o = ru->o;

	dg_cli_manifest_init(&ru->mr, "dg-ucap", o->manifest, o->argc,
	    o->argv);
	dg_cli_manifest_input(&ru->mr, "input", o->input);
	dg_cli_manifest_input(&ru->mr, "sites", o->sites);
	dg_cli_manifest_input(&ru->mr, "events", o->events);
	dg_cli_manifest_input(&ru->mr, "cbl", o->cbl);
	dg_cli_manifest_input(&ru->mr, "icap", o->icap);
	dg_cli_manifest_input(&ru->mr, "sold", o->sold);
	for (int i = 0; i < o->nzone_load; i++)
		dg_cli_manifest_input(&ru->mr, "zone-load", o->zone_load[i]);
}

/* Opens the load (standard input spooled to be hashed for --manifest). */
static int
open_load(struct run *ru, struct dg_error *err)
{
	const struct opts *o = ru->o;
	int st;

	if ((st = dg_cli_manifest_series_open(&ru->mr, &ru->sr, o->input,
	    &o->so, &o->cli.csv, err)) != DG_OK)
		return st;
	ru->input = dg_csv_name(dg_series_csv(ru->sr));
	return DG_OK;
}

/* Opens the output and the manifest, before anything is written. */
static int
open_output(struct run *ru, struct dg_error *err)
{
	ru->out = dg_cli_open_output(&ru->o->cli, &ru->w);
	return dg_cli_manifest_open(&ru->mr, err);
}

/* Reads every input but the load, which is opened; opens the output. */
static int
open_files(struct run *ru, struct dg_error *err)
{
	struct opts *o = ru->o;
	const struct dg_csv_opts *csv = &o->cli.csv;
	int st;

	manifest_inputs(ru);
	if ((o->acl || o->peaks) && (st = read_zones(ru, err)) != DG_OK)
		return st;
	if (o->peaks) {
		if ((st = open_output(ru, err)) != DG_OK)
			return st;
		return dg_csvw_header(&ru->w, peaks_header, 7);
	}
	if ((st = dg_sites_read(&ru->sites, o->sites, csv, err)) != DG_OK)
		return st;
	if (o->events != NULL && !o->measure_cbl &&
	    (st = read_events(ru, err)) != DG_OK)
		return st;
	if ((o->icap && (st = read_table(&ru->icap, o->icap, T_ICAP,
	    o->programs, csv, err)) != DG_OK) ||
	    (o->sold && (st = read_table(&ru->sold, o->sold, T_SOLD,
	    o->programs, csv, err)) != DG_OK) ||
	    (o->cbl && (st = read_table(&ru->cbl, o->cbl, T_CBL,
	    o->programs, csv, err)) != DG_OK))
		return st;
	ru->input = o->icap;
	if ((o->input != NULL && (st = open_load(ru, err)) != DG_OK) ||
	    (st = open_output(ru, err)) != DG_OK)
		return st;
	if (o->have_project)
		return dg_csvw_header(&ru->w, project_header, 16);
	if (o->acl) {
		const char *h[13];

		memcpy(h, header, sizeof(h));
		h[3] = "acl_kw";
		return dg_csvw_header(&ru->w, h, 13);
	}
	return dg_csvw_header(&ru->w, header, 13);
}

/* Names the sites left out, in no capacity program. */
static void
left_out(const struct run *ru)
{
	char line[512];
	size_t k = 0;

	line[0] = '\0';
	for (size_t i = 0; i < ru->nleft && k + 8 < sizeof(line); i++) {
		int w = snprintf(line + k, sizeof(line) - k, "%s%s",
		    i ? ", " : "", ru->left[i]);

		if (w < 0 || (size_t)w >= sizeof(line) - k) {
			snprintf(line + k, sizeof(line) - k, ", ...");
			break;
		}
		k += (size_t)w;
	}
	dg_cli_warn("%s: site%s %s left out: enrolled in no capacity program (--programs %s)",
	    ru->o->sites, ru->nleft == 1 ? "" : "s", line, ru->o->programs);
}

/* What the zone loads lacked and repeated, on standard error. */
static void
zone_summary(const struct run *ru)
{
	static const char *const dups[] = { "first", "max", "refuse" };

	for (size_t i = 0; i < ru->npk; i++) {
		const struct dg_acl_peaks *pk = &ru->pk[i].pk;
		const struct dg_acl_zone *z = ru->pk[i].z;
		char per[40], mb[160];

		if (z->dups > 0 && (i == 0 || ru->pk[i - 1].z != z))
			dg_cli_warn("zone %s: %ld hour%s given twice, one load kept (--zone-duplicates %s)",
			    z->name, z->dups, z->dups == 1 ? "" : "s",
			    dups[ru->o->ap.dup]);

		if (!pk->missing && pk->n == (size_t)ru->o->ap.top)
			continue;
		format_period(pk->period, per, sizeof(per));
		dg_acl_missing_format(pk, mb, sizeof(mb));
		dg_cli_warn("zone %s: ACL of %s: %zu peak hours%s%s (--acl-partial)",
		    z->name, per, pk->n,
		    mb[0] ? " from the months given, no load for " : "", mb);
	}
}

/* What the run flagged and left out, on standard error. */
static void
summary(const struct run *ru)
{
	char line[256], name[32];
	size_t k = 0;
	long unused = 0;

	line[0] = '\0';
	zone_summary(ru);
	for (int b = 0; b < DG_UCAP_Q_NFLAGS; b++)
		if (ru->flagged[b] > 0) {
			dg_ucap_flags_format(1u << b, name, sizeof(name));
			k += (size_t)snprintf(line + k, sizeof(line) - k,
			    "%s%s %ld", k ? ", " : "", name, ru->flagged[b]);
		}
	if (k > 0)
		dg_cli_warn("site-months flagged: %s", line);
	if (ru->missing > 0)
		dg_cli_warn("%ld empty reading%s (holes: their hours are missing)",
		    ru->missing, ru->missing == 1 ? "" : "s");
	if (ru->incomplete > 0)
		dg_cli_warn("%ld incomplete hours left out", ru->incomplete);
	for (size_t i = 0; i < ru->icap.n; i++)
		if (!ru->icap.v[i].used)
			dg_cli_warn("%s: site %s: not in the load, not reported",
			    ru->o->icap, ru->icap.v[i].site);
	if (ru->nleft > 0)
		left_out(ru);
	if (ru->ev_other.n > 0)
		dg_cli_warn("%s: %ld call%s of %s left out: not capacity (--programs %s)",
		    ru->o->events, ru->ev_other.n,
		    ru->ev_other.n == 1 ? "" : "s", ru->ev_other.names,
		    ru->o->programs);
	if (ru->cbl.other.n > 0)
		dg_cli_warn("%s: %ld hour%s of %s left out: not capacity (--programs %s)",
		    ru->cbl.file, ru->cbl.other.n,
		    ru->cbl.other.n == 1 ? "" : "s", ru->cbl.other.names,
		    ru->o->programs);
	for (size_t i = 0; i < ru->sold.n; i++)
		unused += !ru->sold.v[i].used;
	if (unused > 0)
		dg_cli_warn("%s: %ld site-month%s of capacity sold outside the sites and months reported",
		    ru->o->sold, unused, unused == 1 ? "" : "s");
}

/* Commits the output and the manifest together, or reports err and
 * commits none. */
static int
finish(struct run *ru, int st, struct dg_error *err)
{
	static const char *const roles[1] = { "output" };
	const char *names[1] = { ru->o->cli.output };
	struct dg_out *outs[2] = { ru->out, ru->mr.out };

	if (st == DG_OK)
		st = dg_cli_manifest_write(&ru->mr, outs, names, roles, 1, err);
	ru->out = ru->mr.out = NULL;
	return dg_cli_finish_all(outs, 2, st, err);
}

/* The sites of the load, or without a load those of the --icap file;
 * then the totals. */
static int
report(struct run *ru, struct dg_error *err)
{
	struct dg_series s;
	int st = DG_OK;

	memset(&s, 0, sizeof(s));
	if (ru->sr == NULL)
		for (size_t i = 0; i < ru->icap.n && st == DG_OK; i++)
			st = one_site(ru, ru->icap.v[i].site, NULL, err);
	else {
		while ((st = dg_series_next(ru->sr, &s)) == DG_OK)
			if ((st = one_site(ru, s.site, &s, err)) != DG_OK)
				break;
		if (st == DG_EOF)
			st = DG_OK;
	}
	dg_series_release(&s);
	if (st == DG_OK)
		st = write_totals(ru, err);
	return st;
}

static int
run(struct opts *o)
{
	struct run ru;
	struct dg_error err;
	int st;

	memset(&ru, 0, sizeof(ru));
	ru.o = o;
	dg_error_clear(&err);
	dg_cbl_cal_init(&ru.cal);
	dg_ucap_site_init(&ru.site);
	ru.tot = calloc((size_t)(o->m1 - o->m0 + 1), sizeof(*ru.tot));
	if (ru.tot == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	for (int m = 0; m <= o->m1 - o->m0; m++)
		dg_ucap_total_init(&ru.tot[m], o->exact);
	ru.ptot = calloc((size_t)(o->m1 - o->m0 + 1), sizeof(*ru.ptot));
	if (ru.ptot == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	if ((st = open_files(&ru, &err)) == DG_OK)
		st = o->peaks ? write_peaks(&ru, &err) : report(&ru, &err);
	if (st == DG_OK)
		summary(&ru);
	if (ru.out != NULL)
		st = finish(&ru, st, &err);
	else if (st != DG_OK)
		st = dg_cli_report(&err);
	dg_series_close(ru.sr);
	dg_cli_manifest_release(&ru.mr);
	dg_sites_release(&ru.sites);
	dg_events_release(&ru.ev);
	free_table(&ru.icap);
	free_table(&ru.sold);
	free_table(&ru.cbl);
	for (size_t i = 0; i < ru.nleft; i++)
		free(ru.left[i]);
	free(ru.left);
	dg_cbl_cal_release(&ru.cal);
	dg_ucap_site_release(&ru.site);
	dg_acl_zones_release(&ru.zones);
	free(ru.pk);
	free(ru.tot);
	free(ru.ptot);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
