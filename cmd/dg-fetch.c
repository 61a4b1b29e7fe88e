/* dg-fetch: market prices, loads and weather, downloaded or from files,
 * normalized to the toolkit's CSV. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dg_fetch.h"

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

struct item {
	char *name;		/* URL or path, for messages */
	char *body;
	size_t len;
};

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
	const struct dg_fetch_source *src;
	const struct dg_fetch_filter *f;
	const char *name;
	long selected;
	long flagged[DG_FQ_N];
	long short_days;
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

static int
count_rows(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	struct counts_arg *a = arg;
	long ns = dg_fetch_short_days(a->src, rows, a->f, short_day, a);

	if (ns < 0)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	a->short_days += ns;
	for (size_t i = 0; i < rows->n; i++) {
		if (!dg_fetch_row_selected(&rows->v[i], a->f))
			continue;
		a->selected++;
		for (int k = 0; k < DG_FQ_N; k++)
			if (rows->v[i].quality & 1u << k)
				a->flagged[k]++;
	}
	return DG_OK;
}

struct write_arg {
	struct dg_csvw *w;
	const struct dg_fetch_source *src;
	const struct dg_fetch_filter *f;
	struct dg_fetch_counts counts;
};

static int
write_rows(void *arg, const struct dg_fetch_rows *rows, const char *member,
    struct dg_error *err)
{
	struct write_arg *a = arg;
	int st = dg_fetch_write_rows(a->w, a->src, rows, a->f, &a->counts);

	if (st != DG_OK && st != DG_EPIPE)
		dg_error_set(err, st, NULL, 0, NULL, "write error");
	return st;
}

/* Gets one file: from the cache (--offline) or the network, then checks
 * its content before it is cached. */
static int
obtain(struct opts *o, const char *cache, const char *url, const char *cname,
    struct counts_arg *ca, struct item *it, struct dg_error *err)
{
	int st;

	it->name = strdup(url);
	if (it->name == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
	if (o->offline)
		st = dg_fetch_cache_load(cache, o->src->name, cname, &it->body,
		    &it->len, err);
	else
		st = dg_fetch_http_get(&o->http, url, &it->body, &it->len, err);
	if (st != DG_OK)
		return st;
	if ((st = dg_fetch_parse(o->src, it->body, it->len, url, ca->f,
	    count_rows, ca, err)) != DG_OK)
		return st;
	if (!o->offline && cache != NULL)
		st = dg_fetch_cache_store(cache, o->src->name, cname, url,
		    (dg_time)time(NULL), it->body, it->len, err);
	return st;
}

/* The cache name of an explicit --url: its last path segment, made safe,
 * with the date when one was given. */
static void
url_cname(const char *url, const struct opts *o, char *buf, size_t n)
{
	const char *s = strstr(url, "://");
	const char *q, *b;
	size_t k = 0;
	char d[16] = "";

	s = s ? s + 3 : url;
	q = s + strcspn(s, "?#");
	for (b = q; b > s && b[-1] != '/'; b--)
		;
	if (o->have_date || o->have_from)
		dg_date_format(o->from, d, sizeof(d));
	for (const char *c = b; c < q && k + 1 < n; c++)
		buf[k++] = (char)((*c >= 'a' && *c <= 'z') || (*c >= 'A' &&
		    *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		    *c == '-' || *c == '_' ? *c : '_');
	buf[k] = '\0';
	if (k == 0)
		snprintf(buf, n, "download");
	if (*q == '?' || d[0]) {
		char h[65];
		size_t l = strlen(buf);

		dg_fetch_sha256(url, strlen(url), h);
		snprintf(buf + l, n - l, "-%s%s%.12s", d, d[0] ? "-" : "", h);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct dg_fetch_filter f;
	struct item items[400];
	size_t nitems = 0;
	struct dg_error e;
	struct dg_out *out = NULL;
	struct dg_csvw w;
	struct write_arg wa;
	const char *cache;
	long selected = 0, short_days = 0, flagged[DG_FQ_N] = { 0 };
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
	memset(items, 0, sizeof(items));

	if (o.nfiles > 0) {
		for (size_t i = 0; i < o.nfiles && st == DG_OK; i++) {
			struct counts_arg ca;
			struct item *it = &items[nitems++];

			memset(&ca, 0, sizeof(ca));
			ca.f = &f;
			ca.src = o.src;
			ca.name = o.files[i];
			it->name = strdup(o.files[i]);
			if (it->name == NULL)
				st = dg_error_set(&e, DG_ENOMEM, NULL, 0, NULL,
				    "out of memory");
			else if ((st = dg_fetch_read_file(o.files[i],
			    o.http.max_bytes, &it->body, &it->len, &e)) == DG_OK)
				st = dg_fetch_parse(o.src, it->body, it->len,
				    it->name, &f, count_rows, &ca, &e);
			selected += ca.selected;
			short_days += ca.short_days;
			for (int k = 0; k < DG_FQ_N; k++)
				flagged[k] += ca.flagged[k];
		}
	} else {
		dg_date first, last, d;
		int nws = o.src->kind == DG_FETCH_WEATHER;

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
			struct counts_arg ca;
			struct item *it;
			int y, m, dd;

			dg_date_to_ymd(d, &y, &m, &dd);
			if (o.monthly && d != first && dd != 1)
				continue;	/* one archive a month */
			if (nitems == sizeof(items) / sizeof(items[0])) {
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
			it = &items[nitems++];
			memset(&ca, 0, sizeof(ca));
			ca.f = &f;
			ca.src = o.src;
			ca.name = url;
			if ((st = obtain(&o, cache, url, cname, &ca, it, &e)) != DG_OK)
				break;
			selected += ca.selected;
			short_days += ca.short_days;
			for (int k = 0; k < DG_FQ_N; k++)
				flagged[k] += ca.flagged[k];
		}
	}
	if (st == DG_OK && selected == 0)
		st = dg_error_set(&e, DG_EDATA, NULL, 0, NULL,
		    "no rows for the zones and days asked");
	if (st == DG_OK && o.c.strict && short_days > 0)
		st = dg_error_set(&e, DG_EDATA, NULL, 0, NULL,
		    "--strict: %ld zone-day%s not covered in full", short_days,
		    short_days == 1 ? "" : "s");
	if (st == DG_OK && o.c.strict)
		for (int k = 0; k < DG_FQ_N; k++)
			if (flagged[k] > 0) {
				st = dg_error_set(&e, DG_EDATA, NULL, 0, NULL,
				    "--strict: %ld row%s flagged %s", flagged[k],
				    flagged[k] == 1 ? "" : "s",
				    dg_fetch_quality_name(1u << k));
				break;
			}
	if (st != DG_OK) {
		for (size_t i = 0; i < nitems; i++) {
			free(items[i].name);
			free(items[i].body);
		}
		return dg_cli_finish(NULL, st, &e);
	}

	out = dg_cli_open_output(&o.c, &w);
	memset(&wa, 0, sizeof(wa));
	wa.w = &w;
	wa.src = o.src;
	wa.f = &f;
	st = dg_fetch_write_header(&w, o.src);
	for (size_t i = 0; i < nitems && st == DG_OK; i++)
		st = dg_fetch_parse(o.src, items[i].body, items[i].len,
		    items[i].name, &f, write_rows, &wa, &e);
	if (st == DG_EPIPE)
		st = DG_OK;
	for (int k = 0; k < DG_FQ_N && st == DG_OK; k++)
		if (wa.counts.flagged[k] > 0)
			dg_cli_warn("%ld row%s flagged %s", wa.counts.flagged[k],
			    wa.counts.flagged[k] == 1 ? "" : "s",
			    dg_fetch_quality_name(1u << k));
	for (size_t i = 0; i < nitems; i++) {
		free(items[i].name);
		free(items[i].body);
	}
	return dg_cli_finish(out, st, &e);
}
