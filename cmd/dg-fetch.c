/* dg-fetch: market prices, loads and weather, downloaded or from files,
 * normalized to the toolkit's CSV. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dg_fetch.h"
#include "dg_fetch_cache.h"
#include "dg_fetch_http.h"
#include "dg_fetch_stream.h"
#include "dg_zones.h"

enum {
	OPT_DATE = DG_OPT_FIRST_OWN,
	OPT_FROM,
	OPT_TO,
	OPT_ZONE,
	OPT_FILE,
	OPT_URL,
	OPT_BASE_URL,
	OPT_MONTHLY,
	OPT_CACHE,
	OPT_NO_CACHE,
	OPT_OFFLINE,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_RETRIES,
	OPT_RETRY_WAIT,
	OPT_MAX_WAIT,
	OPT_MAX_BYTES,
	OPT_MAX_INFLATE,
	OPT_MAX_RATIO,
	OPT_HEADER,
	OPT_USER_AGENT,
	OPT_LABEL,
	OPT_LIST
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "date", required_argument, NULL, OPT_DATE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "url", required_argument, NULL, OPT_URL },
	{ "base-url", required_argument, NULL, OPT_BASE_URL },
	{ "monthly", no_argument, NULL, OPT_MONTHLY },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "retry-wait", required_argument, NULL, OPT_RETRY_WAIT },
	{ "max-wait", required_argument, NULL, OPT_MAX_WAIT },
	{ "max-bytes", required_argument, NULL, OPT_MAX_BYTES },
	{ "max-inflate", required_argument, NULL, OPT_MAX_INFLATE },
	{ "max-ratio", required_argument, NULL, OPT_MAX_RATIO },
	{ "header", required_argument, NULL, OPT_HEADER },
	{ "user-agent", required_argument, NULL, OPT_USER_AGENT },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "list", no_argument, NULL, OPT_LIST },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-fetch SOURCE [--date D | --from D1 --to D2] [--zone Z ...]\n"
"                [--file PATH ... | --url URL] [--base-url URL] [--monthly]\n"
"                [--cache DIR | --no-cache] [--offline] [--timeout S]\n"
"                [--connect-timeout S] [--retries N] [--retry-wait S]\n"
"                [--max-wait S] [--max-bytes N] [--max-inflate N]\n"
"                [--max-ratio N] [--header 'NAME: VALUE' ...]\n"
"                [--user-agent UA] [--label NAME] [common options]\n"
"       dg-fetch --list\n"
DG_CLI_USAGE);
	exit(status);
}

#define MAXLIST 64
#define MAXITEMS 400

struct opts {
	struct dg_cli c;
	const struct dg_fetch_source *src;
	const char *zones[MAXLIST];
	size_t nzones;
	const char *files[MAXLIST];
	size_t nfiles;
	const char *headers[MAXLIST];
	size_t nheaders;
	const char *url, *base_url, *cache, *label;
	int monthly, no_cache, offline;
	int have_date, have_from, have_to;
	dg_date from, to;
	struct dg_fetch_http http;
	uint64_t max_inflate;
	unsigned max_ratio;
	size_t sort_mem;
};

/* --- Options ---------------------------------------------------------- */

static void
bad(const char *msg)
{
	dg_cli_warn("%s", msg);
	usage(stderr, DG_EX_USAGE);
}

static void
push(const char **v, size_t *n, const char *s, const char *what)
{
	if (*n == MAXLIST) {
		dg_cli_warn("at most %d %s", MAXLIST, what);
		usage(stderr, DG_EX_USAGE);
	}
	v[(*n)++] = s;
}

static void
list_sources(void)
{
	for (const struct dg_fetch_source *s = dg_fetch_sources; s->name; s++)
		printf("%-15s %s\n", s->name, s->what);
	exit(0);
}

static double
seconds(const char *opt, const char *arg, double lo, double hi)
{
	return dg_cli_double_arg(opt, arg, lo, hi, usage);
}

static void
option(struct opts *o, int ch, const char *arg)
{
	switch (ch) {
	case OPT_DATE:
		o->from = o->to = dg_cli_date_arg("--date", arg, usage);
		o->have_date = 1;
		break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		o->have_from = 1;
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		o->have_to = 1;
		break;
	case OPT_ZONE:	push(o->zones, &o->nzones, arg, "zones"); break;
	case OPT_FILE:	push(o->files, &o->nfiles, arg, "files"); break;
	case OPT_URL:		o->url = arg; break;
	case OPT_BASE_URL:	o->base_url = arg; break;
	case OPT_MONTHLY:	o->monthly = 1; break;
	case OPT_CACHE:		o->cache = arg; break;
	case OPT_NO_CACHE:	o->no_cache = 1; break;
	case OPT_OFFLINE:	o->offline = 1; break;
	case OPT_USER_AGENT:	o->http.user_agent = arg; break;
	case OPT_LABEL:		o->label = arg; break;
	case OPT_LIST:		list_sources(); break;
	case OPT_TIMEOUT:
		o->http.timeout_s = seconds("--timeout", arg, 0.1, 86400);
		break;
	case OPT_CONNECT_TIMEOUT:
		o->http.connect_timeout_s = seconds("--connect-timeout", arg,
		    0.1, 3600);
		break;
	case OPT_RETRY_WAIT:
		o->http.retry_wait_s = seconds("--retry-wait", arg, 0, 3600);
		break;
	case OPT_MAX_WAIT:
		o->http.max_wait_s = seconds("--max-wait", arg, 0, 86400);
		break;
	case OPT_RETRIES:
		o->http.retries = dg_cli_int_arg("--retries", arg, 0, 100,
		    usage);
		break;
	case OPT_MAX_BYTES:
		o->http.max_bytes = (uint64_t)dg_cli_int_arg("--max-bytes", arg,
		    1024, INT_MAX, usage);
		break;
	case OPT_MAX_INFLATE:
		o->max_inflate = (uint64_t)dg_cli_int_arg("--max-inflate", arg,
		    1024, INT_MAX, usage);
		break;
	case OPT_MAX_RATIO:
		o->max_ratio = (unsigned)dg_cli_int_arg("--max-ratio", arg, 1,
		    1000000, usage);
		break;
	case OPT_HEADER:
		if (strchr(arg, ':') == NULL) {
			dg_cli_warn("--header: 'NAME: VALUE': \"%s\"", arg);
			usage(stderr, DG_EX_USAGE);
		}
		push(o->headers, &o->nheaders, arg, "headers");
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

/* The options that go together, or not. */
static void
check(const struct opts *o)
{
	if (o->have_date && (o->have_from || o->have_to))
		bad("--date or --from/--to, not both");
	if (o->have_from != o->have_to)
		bad("--from and --to go together");
	if (o->have_from && o->to < o->from)
		bad("--to is before --from");
	if (o->have_from && o->to - o->from > 366)
		bad("--from/--to: at most 367 days at once");
	if (o->nfiles > 0 && (o->url || o->offline || o->base_url ||
	    o->monthly))
		bad("--file reads files: no --url, --base-url, --monthly or "
		    "--offline");
	if (o->url && (o->base_url || o->monthly))
		bad("--url names the file: no --base-url or --monthly");
	if (o->cache && o->no_cache)
		bad("--cache or --no-cache, not both");
	if (o->offline && o->no_cache)
		bad("--offline reads the cache: not with --no-cache");
}

/* Each --zone as the source's files write it (NYC: N.Y.C.); a name that
 * is no zone of a market whose zones are all known is a usage error that
 * lists them. */
static void
resolve_zones(struct opts *o)
{
	const char *market = o->src->market;

	for (size_t i = 0; i < o->nzones; i++)
		o->zones[i] = dg_cli_zone_arg("--zone", market, o->zones[i],
		    usage);
}

/* The sort memory: $DG_FETCH_SORT_MEMORY bytes, else the default. */
static size_t
sort_memory(void)
{
	const char *v = getenv("DG_FETCH_SORT_MEMORY");
	int64_t n;

	if (v == NULL || v[0] == '\0')
		return DG_FETCH_MEM_DEFAULT;
	if (dg_parse_int(v, 1, (int64_t)1 << 40, &n) != DG_OK)
		dg_cli_die(DG_EINVAL, "DG_FETCH_SORT_MEMORY: a number of bytes "
		    "from 1: \"%s\"", v);
	return (size_t)n;
}

static void
on_retry(void *arg, const char *url, int attempt, double wait_s,
    const char *why)
{
	const struct dg_fetch_http *h = arg;

	dg_cli_warn("%s: %s; retry %d of %d in %.1f s", url, why, attempt,
	    h->retries, wait_s);
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int ch;

	dg_cli_init(&o->c, "dg-fetch");
	dg_fetch_http_init(&o->http);
	while ((ch = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->c, ch, optarg, usage))
			option(o, ch, optarg);
	if (optind != argc - 1)
		bad(optind >= argc ? "no SOURCE (dg-fetch --list names them)" :
		    "one SOURCE only");
	if ((o->src = dg_fetch_source_find(argv[optind])) == NULL) {
		dg_cli_warn("unknown source \"%s\" (dg-fetch --list names "
		    "them)", argv[optind]);
		usage(stderr, DG_EX_USAGE);
	}
	check(o);
	resolve_zones(o);
	o->sort_mem = sort_memory();
	o->http.headers = o->headers;
	o->http.nheaders = o->nheaders;
	o->http.on_retry = on_retry;
	o->http.arg = &o->http;
}

/* --- The run ------------------------------------------------------------ */

/* Zone names met in the files, for the message of a --zone in none. */
#define MAXSEEN 24

/* A body downloaded, to be cached once the whole run has passed. */
struct kept {
	FILE *fp;
	char *url, *cname;
	dg_time fetched;
};

struct run {
	struct opts *o;
	struct dg_fetch_filter f;
	struct dg_fetch_sink sink;
	const char *cache;
	const char *name;	/* the file or URL being read */
	struct dg_csvw w;
	FILE *spool;		/* the output, until every file has passed */
	struct kept kept[MAXITEMS];
	size_t nkept;
	int seen[MAXLIST];	/* each --zone met in a file */
	char *names[MAXSEEN];	/* the first names met */
	size_t nnames;
	int more_names;
	struct dg_error e;
};

/* The default cache: $XDG_CACHE_HOME/dgagg, else $HOME/.cache/dgagg. */
static const char *
default_cache(void)
{
	static char buf[1024];
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x != NULL && x[0] == '/')
		snprintf(buf, sizeof(buf), "%s/dgagg", x);
	else if (h != NULL && h[0] == '/')
		snprintf(buf, sizeof(buf), "%s/.cache/dgagg", h);
	else
		return NULL;
	return buf;
}

static void
short_day(void *arg, const char *zone, dg_date day, long covered_s,
    long day_s)
{
	const struct run *r = arg;
	char d[16];

	dg_date_format(day, d, sizeof(d));
	dg_cli_warn("%s: %s %s: data for %ld h %02ld min of the day's %ld h",
	    r->name, zone, d, covered_s / 3600, covered_s % 3600 / 60,
	    day_s / 3600);
}

static void
zone_seen(void *arg, const char *zone)
{
	struct run *r = arg;

	for (size_t i = 0; i < r->o->nzones; i++)
		r->seen[i] |= strcmp(r->o->zones[i], zone) == 0;
	for (size_t i = 0; i < r->nnames; i++)
		if (strcmp(r->names[i], zone) == 0)
			return;
	if (r->nnames == MAXSEEN)
		r->more_names = 1;
	else if ((r->names[r->nnames] = strdup(zone)) != NULL)
		r->nnames++;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A --zone that none of the files has: an error naming those they have. */
static int
zone_missing(struct run *r)
{
	char list[1024];
	size_t k = 0;

	qsort(r->names, r->nnames, sizeof(*r->names), cmp_name);
	list[0] = '\0';
	for (size_t i = 0; i < r->nnames && k < sizeof(list); i++)
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%s",
		    i ? ", " : "", r->names[i]);
	for (size_t i = 0; i < r->o->nzones; i++)
		if (!r->seen[i])
			return dg_error_set(&r->e, DG_EDATA, NULL, 0, NULL,
			    "--zone \"%s\": in none of the files (they have "
			    "%s%s)", r->o->zones[i], list,
			    r->more_names ? ", ..." : "");
	return DG_OK;
}

/* Gets one file, from the cache (--offline) or the network, into a
 * temporary file, and streams its rows; a download is kept to be cached
 * once the run has passed. */
static int
obtain(struct run *r, const char *url, const char *cname)
{
	const struct opts *o = r->o;
	FILE *fp = NULL;
	uint64_t len;
	int st;

	r->name = url;
	if (o->offline)
		st = dg_fetch_cache_open(r->cache, o->src->name, cname, &fp,
		    &r->e);
	else if ((st = dg_fetch_tmpfile(&fp, &r->e)) == DG_OK)
		st = dg_fetch_http_get(&o->http, url, fp, &len, &r->e);
	if (st == DG_OK)
		st = dg_fetch_stream_fp(o->src, fp, url, &r->f, &r->sink,
		    &r->e);
	if (st == DG_OK && !o->offline && r->cache != NULL) {
		struct kept *k = &r->kept[r->nkept];

		k->url = strdup(url);
		k->cname = strdup(cname);
		k->fetched = (dg_time)time(NULL);
		k->fp = fp;
		if (k->url == NULL || k->cname == NULL) {
			free(k->url);
			free(k->cname);
			st = dg_error_set(&r->e, DG_ENOMEM, NULL, 0, NULL,
			    "out of memory");
		} else {
			r->nkept++;
			return DG_OK;
		}
	}
	if (fp != NULL)
		fclose(fp);
	return st;
}

/* The URL and cache name of day d; DG_EINVAL (a source that needs a
 * --zone) is a usage error. */
static int
day_url(struct run *r, dg_date d, char *url, size_t un, char *cname,
    size_t cn)
{
	const struct opts *o = r->o;
	char day[16] = "";
	int st;

	if (o->url != NULL) {
		if (o->have_date || o->have_from)
			dg_date_format(o->from, day, sizeof(day));
		snprintf(url, un, "%s", o->url);
		dg_fetch_cache_name(o->url, day, cname, cn);
		return DG_OK;
	}
	st = dg_fetch_url(o->src, o->base_url, d, o->monthly,
	    o->nzones > 0 ? o->zones[0] : NULL, url, un, cname, cn, &r->e);
	if (st == DG_EINVAL)
		bad(r->e.msg);
	return st;
}

/* Each day's file (one a month with --monthly, one with --url). */
static int
fetch_days(struct run *r)
{
	const struct opts *o = r->o;
	dg_date first, last;
	size_t nitems = 0;
	int st = DG_OK;

	if (!r->f.have_days && o->src->format != DG_FMT_NWS_FORECAST &&
	    !(o->url != NULL && o->src->kind == DG_FETCH_CAPACITY)) {
		dg_cli_warn("%s: give --date or --from/--to (or --file)",
		    o->src->name);
		usage(stderr, DG_EX_USAGE);
	}
	if (o->offline && r->cache == NULL)
		dg_cli_die(DG_EINVAL, "--offline: no cache directory (give "
		    "--cache DIR)");
	first = r->f.have_days ? o->from : dg_date_of((dg_time)time(NULL));
	last = r->f.have_days && o->url == NULL ? o->to : first;
	for (dg_date d = first; d <= last && st == DG_OK; d++) {
		char url[2048], cname[512];
		int y, m, dd;

		dg_date_to_ymd(d, &y, &m, &dd);
		if (o->monthly && d != first && dd != 1)
			continue;	/* one archive a month */
		if (nitems++ == MAXITEMS)
			return dg_error_set(&r->e, DG_EINVAL, NULL, 0, NULL,
			    "too many files at once");
		if ((st = day_url(r, d, url, sizeof(url), cname,
		    sizeof(cname))) == DG_OK)
			st = obtain(r, url, cname);
	}
	return st;
}

static int
read_files(struct run *r)
{
	int st = DG_OK;

	for (size_t i = 0; i < r->o->nfiles && st == DG_OK; i++) {
		r->name = r->o->files[i];
		st = dg_fetch_stream_file(r->o->src, r->name, &r->f, &r->sink,
		    &r->e);
	}
	return st;
}

/* Rows written at all, and with --strict none flagged, no day short. */
static int
judge(struct run *r)
{
	const struct dg_fetch_counts *c = &r->sink.counts;
	long sd = r->sink.short_days;
	int st;

	if (r->sink.zone_seen != NULL && (st = zone_missing(r)) != DG_OK)
		return st;
	if (c->rows == 0)
		return dg_error_set(&r->e, DG_EDATA, NULL, 0, NULL,
		    "no rows for the zones and days asked");
	if (!r->o->c.strict)
		return DG_OK;
	if (sd > 0)
		return dg_error_set(&r->e, DG_EDATA, NULL, 0, NULL,
		    "--strict: %ld zone-day%s not covered in full", sd,
		    sd == 1 ? "" : "s");
	for (int k = 0; k < DG_FQ_N; k++)
		if (c->flagged[k] > 0)
			return dg_error_set(&r->e, DG_EDATA, NULL, 0, NULL,
			    "--strict: %ld row%s flagged %s", c->flagged[k],
			    c->flagged[k] == 1 ? "" : "s",
			    dg_fetch_quality_name(1u << k));
	return DG_OK;
}

/* The downloads into the cache: only those of a run that passed, so that
 * a refused body never becomes the cache's current version. */
static int
cache_kept(struct run *r)
{
	int st = DG_OK;

	for (size_t i = 0; i < r->nkept && st == DG_OK; i++) {
		struct kept *k = &r->kept[i];

		st = dg_fetch_cache_store(r->cache, r->o->src->name, k->cname,
		    k->url, k->fetched, k->fp, &r->e);
	}
	return st;
}

/* The spool to the output. */
static int
copy_out(struct run *r, struct dg_out *out)
{
	char buf[1 << 16];
	size_t n;

	if (fseeko(r->spool, 0, SEEK_SET) != 0)
		return dg_error_set(&r->e, DG_EIO, NULL, 0, NULL,
		    "temporary file: %s", strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), r->spool)) > 0)
		if (fwrite(buf, 1, n, dg_out_fp(out)) != n)
			break;
	if (ferror(r->spool))
		return dg_error_set(&r->e, DG_EIO, NULL, 0, NULL,
		    "temporary file: %s", strerror(errno));
	return DG_OK;
}

static void
run_init(struct run *r, struct opts *o)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	dg_error_clear(&r->e);
	r->f.zones = o->zones;
	/* nws-forecast: --zone is the gridpoint of the URL, the rows are
	 * named by --label */
	r->f.nzones = o->src->format == DG_FMT_NWS_FORECAST ? 0 : o->nzones;
	r->f.have_days = o->have_date || o->have_from;
	r->f.from = o->from;
	r->f.to = o->to;
	if (o->src->kind == DG_FETCH_CAPACITY && r->f.have_days) {
		int y, m, d;

		/* a month's prices are kept when the month meets the dates */
		dg_date_to_ymd(o->from, &y, &m, &d);
		r->f.from = dg_date_from_ymd(y, m, 1);
	}
	r->f.label = o->label ? o->label : o->nzones == 1 ? o->zones[0] : NULL;
	r->cache = o->no_cache ? NULL : o->cache ? o->cache : default_cache();
	r->sink.mem = o->sort_mem;
	r->sink.max_inflate = o->max_inflate;
	r->sink.max_ratio = o->max_ratio;
	r->sink.short_day = short_day;
	if (r->f.nzones > 0)
		r->sink.zone_seen = zone_seen;
	r->sink.arg = r;
	r->sink.w = &r->w;
}

/* Every file is parsed, checked and written to a spool; the output gets it
 * only once every file has passed. */
static int
run(struct opts *o)
{
	static struct run r;
	struct dg_out *out = NULL;
	int st;

	if (!o->c.tz_given && o->src->tz != NULL && dg_tz_set(o->src->tz))
		dg_cli_die(DG_EINTERNAL, "time zone %s not installed",
		    o->src->tz);
	run_init(&r, o);
	if ((st = dg_fetch_tmpfile(&r.spool, &r.e)) != DG_OK)
		return dg_cli_finish(NULL, st, &r.e);
	dg_cli_csvw_init(&o->c, &r.w, r.spool);
	st = dg_fetch_write_header(&r.w, o->src);
	if (st == DG_OK)
		st = o->nfiles > 0 ? read_files(&r) : fetch_days(&r);
	if (st == DG_EPIPE)
		st = DG_OK;
	if (st == DG_OK && (st = judge(&r)) == DG_OK &&
	    (st = cache_kept(&r)) == DG_OK && fflush(r.spool) != 0)
		st = dg_error_set(&r.e, DG_EIO, NULL, 0, NULL,
		    "temporary file: %s", strerror(errno));
	if (st == DG_OK) {
		out = dg_cli_open_output(&o->c, &r.w);
		st = copy_out(&r, out);
	}
	for (int k = 0; k < DG_FQ_N && st == DG_OK; k++)
		if (r.sink.counts.flagged[k] > 0)
			dg_cli_warn("%ld row%s flagged %s",
			    r.sink.counts.flagged[k],
			    r.sink.counts.flagged[k] == 1 ? "" : "s",
			    dg_fetch_quality_name(1u << k));
	for (size_t i = 0; i < r.nkept; i++) {
		fclose(r.kept[i].fp);
		free(r.kept[i].url);
		free(r.kept[i].cname);
	}
	for (size_t i = 0; i < r.nnames; i++)
		free(r.names[i]);
	fclose(r.spool);
	return dg_cli_finish(out, st, &r.e);
}

int
main(int argc, char **argv)
{
	static struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
