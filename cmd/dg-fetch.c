/* dg-fetch: market prices, loads and weather, downloaded or from files,
 * normalized to the toolkit's CSV. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dg_fetch.h"
#include "dg_fetch_cache.h"
#include "dg_fetch_http.h"
#include "dg_fetch_stream.h"

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
"                [--max-wait S] [--max-bytes N] [--header 'NAME: VALUE' ...]\n"
"                [--user-agent UA] [--label NAME] [--strict] [--tz ZONE]\n"
"                [--crlf] [--bom] [-o FILE]\n"
"       dg-fetch --list\n");
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
};

static double
seconds(const char *opt, const char *arg, double lo, double hi)
{
	double x;

	if (dg_parse_double(arg, &x) != DG_OK || x < lo || x > hi) {
		dg_cli_warn("%s: a number of seconds from %g to %g: \"%s\"", opt,
		    lo, hi, arg);
		usage(stderr, DG_EX_USAGE);
	}
	return x;
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

static void
on_retry(void *arg, const char *url, int attempt, double wait_s,
    const char *why)
{
	const struct dg_fetch_http *h = arg;

	dg_cli_warn("%s: %s; retry %d of %d in %.1f s", url, why, attempt,
	    h->retries, wait_s);
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	int ch;
	int64_t n;

	dg_cli_init(&o->c, "dg-fetch");
	dg_fetch_http_init(&o->http);
	while ((ch = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->c, ch, optarg, usage))
			continue;
		switch (ch) {
		case OPT_DATE:
			o->from = o->to = dg_cli_date_arg("--date", optarg, usage);
			o->have_date = 1;
			break;
		case OPT_FROM:
			o->from = dg_cli_date_arg("--from", optarg, usage);
			o->have_from = 1;
			break;
		case OPT_TO:
			o->to = dg_cli_date_arg("--to", optarg, usage);
			o->have_to = 1;
			break;
		case OPT_ZONE:
			push(o->zones, &o->nzones, optarg, "zones");
			break;
		case OPT_FILE:
			push(o->files, &o->nfiles, optarg, "files");
			break;
		case OPT_URL:
			o->url = optarg;
			break;
		case OPT_BASE_URL:
			o->base_url = optarg;
			break;
		case OPT_MONTHLY:
			o->monthly = 1;
			break;
		case OPT_CACHE:
			o->cache = optarg;
			break;
		case OPT_NO_CACHE:
			o->no_cache = 1;
			break;
		case OPT_OFFLINE:
			o->offline = 1;
			break;
		case OPT_TIMEOUT:
			o->http.timeout_s = seconds("--timeout", optarg, 0.1, 86400);
			break;
		case OPT_CONNECT_TIMEOUT:
			o->http.connect_timeout_s = seconds("--connect-timeout",
			    optarg, 0.1, 3600);
			break;
		case OPT_RETRIES:
			if (dg_parse_int(optarg, 0, 100, &n) != DG_OK) {
				dg_cli_warn("--retries: an integer from 0 to 100: \"%s\"",
				    optarg);
				usage(stderr, DG_EX_USAGE);
			}
			o->http.retries = (int)n;
			break;
		case OPT_RETRY_WAIT:
			o->http.retry_wait_s = seconds("--retry-wait", optarg, 0, 3600);
			break;
		case OPT_MAX_WAIT:
			o->http.max_wait_s = seconds("--max-wait", optarg, 0, 86400);
			break;
		case OPT_MAX_BYTES:
			if (dg_parse_int(optarg, 1024, (int64_t)1 << 40, &n) != DG_OK) {
				dg_cli_warn("--max-bytes: an integer from 1024: \"%s\"",
				    optarg);
				usage(stderr, DG_EX_USAGE);
			}
			o->http.max_bytes = (size_t)n;
			break;
		case OPT_HEADER:
			if (strchr(optarg, ':') == NULL) {
				dg_cli_warn("--header: 'NAME: VALUE': \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			push(o->headers, &o->nheaders, optarg, "headers");
			break;
		case OPT_USER_AGENT:
			o->http.user_agent = optarg;
			break;
		case OPT_LABEL:
			o->label = optarg;
			break;
		case OPT_LIST:
			list_sources();
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	if (optind != argc - 1) {
		dg_cli_warn(optind >= argc ? "no SOURCE (dg-fetch --list names them)"
		    : "one SOURCE only");
		usage(stderr, DG_EX_USAGE);
	}
	if ((o->src = dg_fetch_source_find(argv[optind])) == NULL) {
		dg_cli_warn("unknown source \"%s\" (dg-fetch --list names them)",
		    argv[optind]);
		usage(stderr, DG_EX_USAGE);
	}
	if (o->have_date && (o->have_from || o->have_to)) {
		dg_cli_warn("--date or --from/--to, not both");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->have_from != o->have_to) {
		dg_cli_warn("--from and --to go together");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->have_from && o->to < o->from) {
		dg_cli_warn("--to is before --from");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->have_from && o->to - o->from > 366) {
		dg_cli_warn("--from/--to: at most 367 days at once");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->nfiles > 0 && (o->url || o->offline || o->base_url || o->monthly)) {
		dg_cli_warn("--file reads files: no --url, --base-url, --monthly or --offline");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->url && (o->base_url || o->monthly)) {
		dg_cli_warn("--url names the file: no --base-url or --monthly");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->cache && o->no_cache) {
		dg_cli_warn("--cache or --no-cache, not both");
		usage(stderr, DG_EX_USAGE);
	}
	if (o->offline && o->no_cache) {
		dg_cli_warn("--offline reads the cache: not with --no-cache");
		usage(stderr, DG_EX_USAGE);
	}
	o->http.headers = o->headers;
	o->http.nheaders = o->nheaders;
	o->http.on_retry = on_retry;
	o->http.arg = &o->http;
}

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

struct counts_arg {
	const char *name;	/* the file or URL being read */
};

static void
short_day(void *arg, const char *zone, dg_date day, long covered_s,
    long day_s)
{
	const struct counts_arg *a = arg;
	char d[16];

	dg_date_format(day, d, sizeof(d));
	dg_cli_warn("%s: %s %s: data for %ld h %02ld min of the day's %ld h",
	    a->name, zone, d, covered_s / 3600, covered_s % 3600 / 60,
	    day_s / 3600);
}

/* Gets one file, from the cache (--offline) or the network, checks and
 * writes its rows, then caches it. */
static int
obtain(struct opts *o, const char *cache, const char *url, const char *cname,
    const struct dg_fetch_filter *f, struct dg_fetch_sink *sink,
    struct dg_error *err)
{
	char *body = NULL;
	size_t len = 0;
	int st;

	if (o->offline)
		st = dg_fetch_cache_load(cache, o->src->name, cname, &body,
		    &len, err);
	else
		st = dg_fetch_http_get(&o->http, url, &body, &len, err);
	if (st == DG_OK)
		st = dg_fetch_stream_buf(o->src, body, len, url, f, sink, err);
	if (st == DG_OK && !o->offline && cache != NULL)
		st = dg_fetch_cache_store(cache, o->src->name, cname, url,
		    (dg_time)time(NULL), body, len, err);
	free(body);
	return st;
}

/* The cache name of an explicit --url, with the date when one was
 * given. */
static void
url_cname(const char *url, const struct opts *o, char *buf, size_t n)
{
	char d[16] = "";

	if (o->have_date || o->have_from)
		dg_date_format(o->from, d, sizeof(d));
	dg_fetch_cache_name(url, d, buf, n);
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

int
main(int argc, char **argv)
{
	struct opts o;
	struct dg_fetch_filter f;
	struct dg_fetch_sink sink;
	struct counts_arg ca;
	struct dg_error e;
	struct dg_out *out = NULL;
	struct dg_csvw w;
	const char *cache;
	FILE *spool = NULL;
	int st = DG_OK;

	memset(&o, 0, sizeof(o));
	parse_args(&o, argc, argv);
	dg_error_clear(&e);
	if (!o.c.tz_given && o.src->tz != NULL && dg_tz_set(o.src->tz) != DG_OK)
		dg_cli_die(DG_EINTERNAL, "time zone %s not installed", o.src->tz);
	memset(&f, 0, sizeof(f));
	f.zones = o.zones;
	f.nzones = o.nzones;
	f.have_days = o.have_date || o.have_from;
	f.from = o.from;
	f.to = o.to;
	f.label = o.label ? o.label : o.nzones == 1 ? o.zones[0] : NULL;
	cache = o.no_cache ? NULL : o.cache ? o.cache : default_cache();
	if (o.offline && cache == NULL)
		dg_cli_die(DG_EINVAL, "--offline: no cache directory (give --cache DIR)");
	memset(&sink, 0, sizeof(sink));
	memset(&ca, 0, sizeof(ca));
	sink.mem = sort_memory();
	sink.short_day = short_day;
	sink.arg = &ca;
	sink.w = &w;

	/* One pass: every file is parsed, checked and written to a spool;
	 * the output gets it only once every file has passed. */
	if ((st = dg_fetch_tmpfile(&spool, &e)) != DG_OK)
		return dg_cli_finish(NULL, st, &e);
	dg_csvw_init(&w, spool, o.c.delim, o.c.crlf, o.c.bom);
	st = dg_fetch_write_header(&w, o.src);
	if (o.nfiles > 0) {
		for (size_t i = 0; i < o.nfiles && st == DG_OK; i++) {
			ca.name = o.files[i];
			st = dg_fetch_stream_file(o.src, o.files[i], &f, &sink, &e);
		}
	} else {
		dg_date first, last, d;
		int nws = o.src->kind == DG_FETCH_WEATHER;
		size_t nitems = 0;

		if (!f.have_days && !(nws && o.src->format == DG_FMT_NWS_FORECAST)) {
			dg_cli_warn("%s: give --date or --from/--to (or --file)",
			    o.src->name);
			usage(stderr, DG_EX_USAGE);
		}
		if (f.have_days) {
			first = o.from;
			last = o.to;
		} else {
			first = last = dg_date_of((dg_time)time(NULL));
		}
		if (o.url != NULL)
			last = first;	/* one URL, one file */
		for (d = first; d <= last && st == DG_OK; d++) {
			char url[2048], cname[512];
			int y, m, dd;

			dg_date_to_ymd(d, &y, &m, &dd);
			if (o.monthly && d != first && dd != 1)
				continue;	/* one archive a month */
			if (nitems++ == MAXITEMS) {
				st = dg_error_set(&e, DG_EINVAL, NULL, 0, NULL,
				    "too many files at once");
				break;
			}
			if (o.url != NULL) {
				snprintf(url, sizeof(url), "%s", o.url);
				url_cname(o.url, &o, cname, sizeof(cname));
			} else if ((st = dg_fetch_url(o.src, o.base_url, d,
			    o.monthly, o.nzones > 0 ? o.zones[0] : NULL, url,
			    sizeof(url), cname, sizeof(cname), &e)) != DG_OK) {
				if (st == DG_EINVAL) {
					dg_cli_warn("%s", e.msg);
					usage(stderr, DG_EX_USAGE);
				}
				break;
			}
			ca.name = url;
			st = obtain(&o, cache, url, cname, &f, &sink, &e);
		}
	}
	if (st == DG_EPIPE)
		st = DG_OK;
	if (st == DG_OK && sink.counts.rows == 0)
		st = dg_error_set(&e, DG_EDATA, NULL, 0, NULL,
		    "no rows for the zones and days asked");
	if (st == DG_OK && o.c.strict && sink.short_days > 0)
		st = dg_error_set(&e, DG_EDATA, NULL, 0, NULL,
		    "--strict: %ld zone-day%s not covered in full",
		    sink.short_days, sink.short_days == 1 ? "" : "s");
	if (st == DG_OK && o.c.strict)
		for (int k = 0; k < DG_FQ_N; k++)
			if (sink.counts.flagged[k] > 0) {
				st = dg_error_set(&e, DG_EDATA, NULL, 0, NULL,
				    "--strict: %ld row%s flagged %s",
				    sink.counts.flagged[k],
				    sink.counts.flagged[k] == 1 ? "" : "s",
				    dg_fetch_quality_name(1u << k));
				break;
			}
	if (st == DG_OK && (fflush(spool) != 0 || ferror(spool) ||
	    fseeko(spool, 0, SEEK_SET) != 0))
		st = dg_error_set(&e, DG_EIO, NULL, 0, NULL,
		    "temporary file: %s", strerror(errno));
	if (st != DG_OK) {
		fclose(spool);
		return dg_cli_finish(NULL, st, &e);
	}

	out = dg_cli_open_output(&o.c, &w);
	{
		char buf[1 << 16];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
			if (fwrite(buf, 1, n, dg_out_fp(out)) != n)
				break;
		if (ferror(spool))
			st = dg_error_set(&e, DG_EIO, NULL, 0, NULL,
			    "temporary file: %s", strerror(errno));
	}
	fclose(spool);
	for (int k = 0; k < DG_FQ_N && st == DG_OK; k++)
		if (sink.counts.flagged[k] > 0)
			dg_cli_warn("%ld row%s flagged %s", sink.counts.flagged[k],
			    sink.counts.flagged[k] == 1 ? "" : "s",
			    dg_fetch_quality_name(1u << k));
	return dg_cli_finish(out, st, &e);
}
