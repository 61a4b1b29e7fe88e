/* dg-bid: the day-ahead bid file from the bid blocks, validated; the
 * capacity and curtailment (strike price) offers. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dg_bid.h"

enum {
	OPT_DATE = DG_OPT_FIRST_OWN,
	OPT_MARKET,
	OPT_FORMAT,
	OPT_MIN_MW,
	OPT_PRICE_CAP,
	OPT_PRICE_FLOOR,
	OPT_DEADLINE,
	OPT_NOW,
	OPT_LATE,
	OPT_UCAP_KW,
	OPT_CAPACITY_PRICE,
	OPT_STRIKE,
	OPT_STRIKE_CAP
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "capacity-price", required_argument, NULL, OPT_CAPACITY_PRICE },
	{ "date", required_argument, NULL, OPT_DATE },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "late", no_argument, NULL, OPT_LATE },
	{ "market", required_argument, NULL, OPT_MARKET },
	{ "min-mw", required_argument, NULL, OPT_MIN_MW },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "price-cap", required_argument, NULL, OPT_PRICE_CAP },
	{ "price-floor", required_argument, NULL, OPT_PRICE_FLOOR },
	{ "strike", required_argument, NULL, OPT_STRIKE },
	{ "strike-cap", required_argument, NULL, OPT_STRIKE_CAP },
	{ "ucap-kw", required_argument, NULL, OPT_UCAP_KW },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-bid --date DATE [--market nyiso-dam] [--format csv|nyiso]\n"
"              [--min-mw MW] [--price-cap USD] [--price-floor USD]\n"
"              [--deadline HH:MM] [--now TIME] [--late] [--ucap-kw KW]\n"
"              [--capacity-price USD] [--strike USD] [--strike-cap USD]\n"
"              [--tz ZONE] [-d DELIM] [--crlf] [--bom] [-o FILE] [FILE]\n");
	exit(status);
}

struct bid {
	dg_time t;
	long block;
	double kw, price;
	long line;
};

static int
cmp_bid(const void *a, const void *b)
{
	const struct bid *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->block < y->block ? -1 : x->block > y->block;
}

static void
num_opt(const char *name, const char *arg, double lo, double *out)
{
	if (dg_parse_double(arg, out) != DG_OK || *out < lo) {
		dg_cli_warn("--%s: a number >= %g: \"%s\"", name, lo, arg);
		usage(stderr, DG_EX_USAGE);
	}
}

int
main(int argc, char **argv)
{
	struct dg_cli cli;
	struct dg_error err;
	struct dg_bid_rules rules;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct bid *v = NULL;
	size_t n = 0, cap = 0;
	const char *date_arg = NULL, *now_arg = NULL, *input;
	dg_date date;
	dg_time t0, now, deadline;
	int c, st, nyiso = 0, late = 0, members, c_time, c_block, c_kw, c_price;
	int nh, nmissing = 0;
	double ucap_kw = -1, cap_price = 0, strike = -1;
	char dbuf[16];

	dg_cli_init(&cli, "dg-bid");
	dg_error_clear(&err);
	dg_bid_rules_init(&rules);
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_CAPACITY_PRICE:
			num_opt("capacity-price", optarg, 0, &cap_price);
			break;
		case OPT_DATE:
			date_arg = optarg;
			break;
		case OPT_DEADLINE: {
			int64_t hh, mm;

			if (strlen(optarg) != 5 || optarg[2] != ':' ||
			    dg_parse_int((char[]){ optarg[0], optarg[1], 0 }, 0, 23, &hh) != DG_OK ||
			    dg_parse_int(optarg + 3, 0, 59, &mm) != DG_OK) {
				dg_cli_warn("--deadline: HH:MM: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			rules.deadline_min = (int)(hh * 60 + mm);
			break;
		}
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") == 0)
				nyiso = 0;
			else if (strcmp(optarg, "nyiso") == 0)
				nyiso = 1;
			else {
				dg_cli_warn("--format: csv or nyiso: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_LATE:
			late = 1;
			break;
		case OPT_MARKET:
			if (strcmp(optarg, "nyiso-dam") != 0) {
				dg_cli_warn("--market: only nyiso-dam is known: \"%s\"", optarg);
				usage(stderr, DG_EX_USAGE);
			}
			break;
		case OPT_MIN_MW:
			num_opt("min-mw", optarg, 0, &rules.min_mw);
			break;
		case OPT_NOW:
			now_arg = optarg;
			break;
		case OPT_PRICE_CAP:
			num_opt("price-cap", optarg, -1e9, &rules.price_cap);
			break;
		case OPT_PRICE_FLOOR:
			num_opt("price-floor", optarg, -1e9, &rules.price_floor);
			break;
		case OPT_STRIKE:
			num_opt("strike", optarg, 0, &strike);
			break;
		case OPT_STRIKE_CAP:
			num_opt("strike-cap", optarg, 0, &rules.strike_cap);
			break;
		case OPT_UCAP_KW:
			num_opt("ucap-kw", optarg, 0, &ucap_kw);
			break;
		default:
			usage(stderr, DG_EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, DG_EX_USAGE);
	if (date_arg == NULL) {
		dg_cli_warn("--date DATE is required");
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_date_parse(date_arg, strlen(date_arg), &date) != DG_OK ||
	    dg_date_start(date, &t0) != DG_OK) {
		dg_cli_warn("--date: YYYY-MM-DD: \"%s\"", date_arg);
		usage(stderr, DG_EX_USAGE);
	}
	if (strike >= 0 && ucap_kw < 0) {
		dg_cli_warn("--strike needs --ucap-kw (the MW offered)");
		usage(stderr, DG_EX_USAGE);
	}
	if (now_arg != NULL) {
		struct dg_tstamp ts;
		const char *why;

		if (dg_time_parse(now_arg, strlen(now_arg), cli.tz_given, &ts, &why) != DG_OK) {
			dg_cli_warn("--now: %s: \"%s\"", why, now_arg);
			usage(stderr, DG_EX_USAGE);
		}
		now = ts.t;
	} else
		now = (dg_time)time(NULL);
	input = argc == 1 ? argv[0] : "-";
	nh = dg_date_hours(date);
	dg_date_format(date, dbuf, sizeof(dbuf));

	if (dg_bid_deadline(date, rules.deadline_min, &deadline) != DG_OK)
		dg_cli_die(DG_EINTERNAL, "cannot place the deadline");
	if (now > deadline && !late) {
		char b[DG_TIME_BUFSZ];

		dg_time_format(deadline, b, sizeof(b));
		dg_cli_die(DG_EDATA, "too late: bids for %s were due by %s (--late to write them anyway)",
		    dbuf, b);
	}
	if (strike >= 0 && strike > rules.strike_cap)
		dg_cli_die(DG_EDATA, "strike price %.2f is above the cap of %.2f $/MWh",
		    strike, rules.strike_cap);
	if (dg_csv_open(&r, input, &cli.csv, &err) != DG_OK)
		goto fail;
	members = dg_csv_col(r, "site") >= 0;
	if (dg_csv_require(r, "time", &c_time) != DG_OK ||
	    dg_csv_require(r, "block", &c_block) != DG_OK ||
	    dg_csv_require(r, "block_kw", &c_kw) != DG_OK ||
	    dg_csv_require(r, "price_usd_per_mwh", &c_price) != DG_OK)
		goto fail;
	while ((st = dg_csv_next(r)) == DG_OK) {
		struct dg_tstamp ts;
		struct bid b;
		int64_t blk;
		int hb;

		if (dg_csv_is_empty(r, c_block))
			continue;	/* a site in no block (dg-blockopt) */
		if ((st = dg_csv_get_time(r, c_time, &ts)) != DG_OK)
			break;
		if (dg_parse_int(dg_csv_field(r, c_block, NULL), 1, 1000, &blk) != DG_OK) {
			st = dg_csv_fail(r, c_block, DG_EDATA,
			    "block: an integer from 1: \"%s\"", dg_csv_field(r, c_block, NULL));
			break;
		}
		if ((st = dg_csv_get_double(r, c_kw, &b.kw)) != DG_OK ||
		    (st = dg_csv_get_double(r, c_price, &b.price)) != DG_OK)
			break;
		if (ts.naive) {
			/* rows of several blocks share an hour: file order
			 * cannot tell the repeated hour apart */
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "a stamp without UTC offset (dg-blockopt writes offsets)");
			break;
		}
		b.t = ts.t;
		b.block = (long)blk;
		b.line = dg_csv_line(r);
		if (dg_bid_hb(date, b.t, &hb) != DG_OK) {
			st = dg_csv_fail(r, c_time, DG_EDATA,
			    "not an hour of the market day %s", dbuf);
			break;
		}
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 128;
			struct bid *nv = realloc(v, nc * sizeof(*nv));

			if (nv == NULL) {
				st = dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
				break;
			}
			v = nv;
			cap = nc;
		}
		v[n++] = b;
	}
	if (st != DG_EOF)
		goto fail;
	qsort(v, n, sizeof(*v), cmp_bid);
	{
		size_t u = 0;

		for (size_t i = 0; i < n; i++) {
			if (u > 0 && v[u - 1].t == v[i].t && v[u - 1].block == v[i].block) {
				/* members of one block repeat its totals */
				if (members && v[u - 1].kw == v[i].kw &&
				    v[u - 1].price == v[i].price)
					continue;
				dg_error_set(&err, DG_EDATA, dg_csv_name(r), v[i].line,
				    "block", members ? "block %ld: its rows disagree on block_kw or price in this hour" :
				    "block %ld bid twice in this hour", v[i].block);
				goto fail;
			}
			v[u++] = v[i];
		}
		n = u;
	}
	for (size_t i = 0; i < n; i++) {
		const char *why;

		if (dg_bid_check(&rules, v[i].kw / 1000, v[i].price, &why) != DG_OK) {
			dg_error_set(&err, DG_EDATA, dg_csv_name(r), v[i].line, NULL,
			    "block %ld: %.3f MW at %.2f $/MWh: %s", v[i].block,
			    v[i].kw / 1000, v[i].price, why);
			goto fail;
		}
	}
	for (int h = 0; h < nh; h++) {
		int found = 0;

		for (size_t i = 0; i < n && !found; i++)
			found = v[i].t == t0 + 3600 * (dg_time)h;
		nmissing += !found;
	}

	out = dg_cli_open_output(&cli, &w);
	if (nyiso) {
		/* The upload layout assumed in dg-bid(1): the real template was
		 * not available. */
		static const char *const hdr[] = {
			"Bid Date", "HB", "Bid ID", "Product", "MW", "Price"
		};
		char nd[16];
		int y, m, d;

		dg_date_to_ymd(date, &y, &m, &d);
		snprintf(nd, sizeof(nd), "%02d/%02d/%04d", m, d, y);
		st = dg_csvw_header(&w, hdr, 6);
		for (size_t i = 0; i < n && st == DG_OK; i++) {
			char hb[8], id[32];
			int lab;

			dg_bid_hb(date, v[i].t, &lab);
			snprintf(hb, sizeof(hb), "%02d:00", lab);
			snprintf(id, sizeof(id), "BLOCK%ld", v[i].block);
			dg_csvw_str(&w, nd);
			dg_csvw_str(&w, hb);
			dg_csvw_str(&w, id);
			dg_csvw_str(&w, "ENERGY");
			/* rounded down: a block never offers more than it has */
			dg_csvw_double(&w, floor(v[i].kw / 100 + 1e-9) / 10, 1);
			dg_csvw_double(&w, v[i].price, 2);
			st = dg_csvw_end_row(&w);
		}
	} else {
		static const char *const hdr[] = {
			"market", "date", "product", "block", "time", "hb", "mw",
			"price_usd_per_mwh", "price_usd_per_kw_month"
		};

		st = dg_csvw_header(&w, hdr, 9);
		for (size_t i = 0; i < n && st == DG_OK; i++) {
			int lab;

			dg_bid_hb(date, v[i].t, &lab);
			dg_csvw_str(&w, "nyiso-dam");
			dg_csvw_date(&w, date);
			dg_csvw_str(&w, "energy");
			dg_csvw_int(&w, v[i].block);
			dg_csvw_time(&w, v[i].t);
			dg_csvw_int(&w, lab);
			dg_csvw_double(&w, v[i].kw / 1000, 3);
			dg_csvw_double(&w, v[i].price, 2);
			dg_csvw_empty(&w);
			st = dg_csvw_end_row(&w);
		}
		if (st == DG_OK && ucap_kw >= 0) {
			dg_csvw_str(&w, "nyiso-icap");
			dg_csvw_date(&w, date);
			dg_csvw_str(&w, "capacity");
			dg_csvw_empty(&w);
			dg_csvw_empty(&w);
			dg_csvw_empty(&w);
			dg_csvw_double(&w, ucap_kw / 1000, 3);
			dg_csvw_empty(&w);
			dg_csvw_double(&w, cap_price, 2);
			st = dg_csvw_end_row(&w);
		}
		if (st == DG_OK && strike >= 0) {
			dg_csvw_str(&w, "nyiso-scr-edrp");
			dg_csvw_date(&w, date);
			dg_csvw_str(&w, "curtailment");
			dg_csvw_empty(&w);
			dg_csvw_empty(&w);
			dg_csvw_empty(&w);
			dg_csvw_double(&w, ucap_kw / 1000, 3);
			dg_csvw_double(&w, strike, 2);
			dg_csvw_empty(&w);
			st = dg_csvw_end_row(&w);
		}
	}
	if (st == DG_OK) {
		if (now > deadline)
			dg_cli_warn("late: written after the deadline (--late)");
		if (nmissing > 0)
			dg_cli_warn("%d of %d hours of %s have no block to bid", nmissing,
			    nh, dbuf);
	}
	if (st != DG_OK && st != DG_EPIPE)
		dg_error_set(&err, st, NULL, 0, NULL, "write error");
	st = dg_cli_finish(out, st, &err);
	if (0) {
fail:
		st = dg_cli_report(&err);
	}
	dg_csv_close(r);
	free(v);
	return st;
}
