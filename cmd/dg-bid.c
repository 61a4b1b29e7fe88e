/* dg-bid: the day-ahead bid file from the bid blocks, validated; the
 * capacity and curtailment (strike price) offers. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dg_bid.h"
#include "dg_util.h"

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
"              [common options] [FILE]\n"
DG_CLI_USAGE);
	exit(status);
}

/* The bounds of the options' decimals: MW, $/MWh, kW, $/kW-month. */
#define MW_MAX "100000"
#define USD_MIN "-1000000000"
#define USD_MAX "1000000000"
#define KW_MAX "100000000"

struct opts {
	struct dg_cli cli;
	struct dg_bid_rules rules;
	dg_date date;
	dg_time t0;		/* the day's first hour */
	int have_date, nyiso, late;
	const char *date_arg, *now_arg;
	dg_time now, deadline;
	int have_ucap, have_strike;
	dg_dec ucap_kw, cap_price, strike;
	const char *input;
	char dbuf[16];		/* the date, for messages */
};

/* --deadline HH:MM: minutes after midnight. */
static int
deadline_arg(const char *arg)
{
	int64_t hh, mm;

	if (strlen(arg) != 5 || arg[2] != ':' ||
	    dg_parse_int((char[]){ arg[0], arg[1], 0 }, 0, 23, &hh) != DG_OK ||
	    dg_parse_int(arg + 3, 0, 59, &mm) != DG_OK) {
		dg_cli_warn("--deadline: HH:MM: \"%s\"", arg);
		usage(stderr, DG_EX_USAGE);
	}
	return (int)(hh * 60 + mm);
}

static void
parse_option(struct opts *o, int c, const char *arg)
{
	static const char *const markets[] = { "nyiso-dam", NULL };
	static const char *const formats[] = { "csv", "nyiso", NULL };
	struct dg_bid_rules *ru = &o->rules;

	switch (c) {
	case OPT_CAPACITY_PRICE:
		o->cap_price = dg_cli_dec_arg("--capacity-price", arg, "0",
		    USD_MAX, usage);
		break;
	case OPT_DATE:
		o->date = dg_cli_date_arg("--date", arg, usage);
		o->date_arg = arg;
		o->have_date = 1;
		break;
	case OPT_DEADLINE:	ru->deadline_min = deadline_arg(arg); break;
	case OPT_FORMAT:
		o->nyiso = dg_cli_keyword_arg("--format", arg, formats, usage);
		break;
	case OPT_LATE:		o->late = 1; break;
	case OPT_MARKET:
		(void)dg_cli_keyword_arg("--market", arg, markets, usage);
		break;
	case OPT_MIN_MW:
		ru->min_mw = dg_cli_dec_arg("--min-mw", arg, "0", MW_MAX,
		    usage);
		break;
	case OPT_NOW:		o->now_arg = arg; break;
	case OPT_PRICE_CAP:
		ru->price_cap = dg_cli_dec_arg("--price-cap", arg, USD_MIN,
		    USD_MAX, usage);
		break;
	case OPT_PRICE_FLOOR:
		ru->price_floor = dg_cli_dec_arg("--price-floor", arg, USD_MIN,
		    USD_MAX, usage);
		break;
	case OPT_STRIKE:
		o->strike = dg_cli_dec_arg("--strike", arg, "0", USD_MAX,
		    usage);
		o->have_strike = 1;
		break;
	case OPT_STRIKE_CAP:
		ru->strike_cap = dg_cli_dec_arg("--strike-cap", arg, "0",
		    USD_MAX, usage);
		break;
	case OPT_UCAP_KW:
		o->ucap_kw = dg_cli_dec_arg("--ucap-kw", arg, "0", KW_MAX,
		    usage);
		o->have_ucap = 1;
		break;
	default:
		usage(stderr, DG_EX_USAGE);
	}
}

/* The time of the run: --now, or the clock. */
static dg_time
now_arg(const struct opts *o)
{
	struct dg_tstamp ts;
	const char *why;

	if (o->now_arg == NULL)
		return (dg_time)time(NULL);
	if (dg_time_parse(o->now_arg, strlen(o->now_arg), o->cli.tz_given, &ts,
	    &why) != DG_OK) {
		dg_cli_warn("--now: %s: \"%s\"", why, o->now_arg);
		usage(stderr, DG_EX_USAGE);
	}
	return ts.t;
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1)
		if (!dg_cli_option(&o->cli, c, optarg, usage))
			parse_option(o, c, optarg);
	if (argc - optind > 1)
		usage(stderr, DG_EX_USAGE);
	if (!o->have_date) {
		dg_cli_warn("--date DATE is required");
		usage(stderr, DG_EX_USAGE);
	}
	if (dg_date_start(o->date, &o->t0) != DG_OK) {
		dg_cli_warn("--date: a date YYYY-MM-DD: \"%s\"", o->date_arg);
		usage(stderr, DG_EX_USAGE);
	}
	if (o->have_strike && !o->have_ucap) {
		dg_cli_warn("--strike needs --ucap-kw (the MW offered)");
		usage(stderr, DG_EX_USAGE);
	}
	o->now = now_arg(o);
	o->input = optind < argc ? argv[optind] : "-";
	dg_date_format(o->date, o->dbuf, sizeof(o->dbuf));
}

/* A decimal to d digits after the point, for messages. */
static const char *
fmt(dg_dec x, int d, char *buf, size_t n)
{
	if (d >= 0 && dg_dec_rescale(x, d, &x) != DG_OK)
		d = -1;
	if (dg_dec_format(x, buf, n) < 0)
		snprintf(buf, n, "?");
	return buf;
}

/* Too late, or a strike price above its cap: nothing is read. */
static int
check_offer(struct opts *o, struct dg_error *err)
{
	char b[DG_TIME_BUFSZ], s1[DG_DEC_BUFSZ], s2[DG_DEC_BUFSZ];

	if (dg_bid_deadline(o->date, o->rules.deadline_min, &o->deadline) !=
	    DG_OK)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "cannot place the deadline");
	if (o->now > o->deadline && !o->late) {
		dg_time_format(o->deadline, b, sizeof(b));
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "too late: bids for %s were due by %s (--late to write them anyway)",
		    o->dbuf, b);
	}
	if (o->have_strike && dg_dec_cmp(o->strike, o->rules.strike_cap) > 0)
		return dg_error_set(err, DG_EDATA, NULL, 0, NULL,
		    "strike price %s is above the cap of %s $/MWh",
		    fmt(o->strike, 2, s1, sizeof(s1)),
		    fmt(o->rules.strike_cap, 2, s2, sizeof(s2)));
	return DG_OK;
}

/* --- the blocks ------------------------------------------------------ */

struct bid {
	dg_time t;
	long block;
	dg_dec kw, price;
	long line;
};

struct bids {
	struct bid *v;
	size_t n, cap;
	int members;		/* per-site rows (dg-blockopt without
				 * --summary) */
	int c_time, c_block, c_kw, c_price;
};

static int
cmp_bid(const void *a, const void *b)
{
	const struct bid *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->block < y->block ? -1 : x->block > y->block;
}

static int
read_bid(struct dg_csv *r, const struct bids *bs, const struct opts *o,
    struct bid *b)
{
	struct dg_tstamp ts;
	int64_t blk;
	int st, hb;

	if ((st = dg_csv_get_time(r, bs->c_time, &ts)) != DG_OK)
		return st;
	if (dg_parse_int(dg_csv_field(r, bs->c_block, NULL), 1, 1000,
	    &blk) != DG_OK)
		return dg_csv_fail(r, bs->c_block, DG_EDATA,
		    "block: an integer from 1: \"%s\"",
		    dg_csv_field(r, bs->c_block, NULL));
	if ((st = dg_csv_get_dec(r, bs->c_kw, &b->kw)) != DG_OK ||
	    (st = dg_csv_get_dec(r, bs->c_price, &b->price)) != DG_OK)
		return st;
	/* a bid is priced to the cent: checked and written as rounded */
	if (dg_dec_rescale(b->price, 2, &b->price) != DG_OK)
		return dg_csv_fail(r, bs->c_price, DG_ERANGE,
		    "out of range (18 digits with 2 decimals)");
	/* rows of several blocks share an hour: file order cannot tell the
	 * repeated hour apart */
	if (ts.naive)
		return dg_csv_fail(r, bs->c_time, DG_EDATA,
		    "a stamp without UTC offset (dg-blockopt writes offsets)");
	b->t = ts.t;
	b->block = (long)blk;
	b->line = dg_csv_line(r);
	if (dg_bid_hb(o->date, b->t, &hb) != DG_OK)
		return dg_csv_fail(r, bs->c_time, DG_EDATA,
		    "not an hour of the market day %s", o->dbuf);
	return DG_OK;
}

/* Sorted by hour and block; the members of a block repeat its totals and
 * are kept once. */
static int
unique_bids(struct bids *bs, const char *name, struct dg_error *err)
{
	struct bid *v = bs->v;
	size_t u = 0;

	if (bs->n > 1)
		qsort(v, bs->n, sizeof(*v), cmp_bid);
	for (size_t i = 0; i < bs->n; i++) {
		const struct bid *p = u > 0 ? &v[u - 1] : NULL;

		if (p != NULL && p->t == v[i].t && p->block == v[i].block) {
			if (bs->members && dg_dec_cmp(p->kw, v[i].kw) == 0 &&
			    dg_dec_cmp(p->price, v[i].price) == 0)
				continue;
			return dg_error_set(err, DG_EDATA, name, v[i].line,
			    "block", bs->members ?
			    "block %ld: its rows disagree on block_kw or price in this hour" :
			    "block %ld bid twice in this hour", v[i].block);
		}
		v[u++] = v[i];
	}
	bs->n = u;
	return DG_OK;
}

static int
read_bids(const struct opts *o, struct bids *bs, struct dg_csv **rp,
    struct dg_error *err)
{
	struct dg_csv *r;
	int st;

	if ((st = dg_csv_open(rp, o->input, &o->cli.csv, err)) != DG_OK)
		return st;
	r = *rp;
	bs->members = dg_csv_col(r, "site") >= 0;
	if ((st = dg_csv_require(r, "time", &bs->c_time)) != DG_OK ||
	    (st = dg_csv_require(r, "block", &bs->c_block)) != DG_OK ||
	    (st = dg_csv_require(r, "block_kw", &bs->c_kw)) != DG_OK ||
	    (st = dg_csv_require(r, "price_usd_per_mwh",
	    &bs->c_price)) != DG_OK)
		return st;
	while ((st = dg_csv_next(r)) == DG_OK) {
		if (dg_csv_is_empty(r, bs->c_block))
			continue;	/* a site in no block (dg-blockopt) */
		if (dg_grow(&bs->v, &bs->cap, bs->n + 1, sizeof(*bs->v)) != 0)
			return dg_csv_fail(r, -1, DG_ENOMEM, "out of memory");
		if ((st = read_bid(r, bs, o, &bs->v[bs->n])) != DG_OK)
			return st;
		bs->n++;
	}
	if (st != DG_EOF)
		return st;
	return unique_bids(bs, dg_csv_name(r), err);
}

/* Each block within the rules, its MW exact.  The message rounds the MW
 * to the watt and the price to the cent, unless that would hide what is
 * wrong (0.99999999999999999 MW is below 1). */
static int
check_bids(const struct opts *o, const struct bids *bs, const char *name,
    struct dg_error *err)
{
	char s1[DG_DEC_BUFSZ], s2[DG_DEC_BUFSZ];

	for (size_t i = 0; i < bs->n; i++) {
		const struct bid *b = &bs->v[i];
		const char *why, *w2;
		dg_dec mw, m3, p2;
		int d = 3;

		if (dg_bid_mw(b->kw, &mw) != DG_OK)
			return dg_error_set(err, DG_EINTERNAL, name, b->line,
			    NULL, "block %ld: MW", b->block);
		if (dg_bid_check(&o->rules, mw, b->price, &why) == DG_OK)
			continue;
		if (dg_dec_rescale(mw, 3, &m3) != DG_OK ||
		    dg_dec_rescale(b->price, 2, &p2) != DG_OK ||
		    dg_bid_check(&o->rules, m3, p2, &w2) == DG_OK)
			d = -1;
		return dg_error_set(err, DG_EDATA, name, b->line, NULL,
		    "block %ld: %s MW at %s $/MWh: %s", b->block,
		    fmt(mw, d, s1, sizeof(s1)),
		    fmt(b->price, d < 0 ? -1 : 2, s2, sizeof(s2)), why);
	}
	return DG_OK;
}

/* Hours of the day with no block to bid. */
static int
missing_hours(const struct opts *o, const struct bids *bs)
{
	int nh = dg_date_hours(o->date), nmissing = 0;

	for (int h = 0; h < nh; h++) {
		int found = 0;

		for (size_t i = 0; i < bs->n && !found; i++)
			found = bs->v[i].t == o->t0 + 3600 * (dg_time)h;
		nmissing += !found;
	}
	return nmissing;
}

/* --- output ---------------------------------------------------------- */

/* The upload layout assumed in dg-bid(1): the real template was not
 * available. */
static int
write_nyiso(struct dg_csvw *w, const struct opts *o, const struct bids *bs)
{
	static const char *const hdr[] = {
		"Bid Date", "HB", "Bid ID", "Product", "MW", "Price"
	};
	char nd[16];
	int y, m, d, st;

	dg_date_to_ymd(o->date, &y, &m, &d);
	snprintf(nd, sizeof(nd), "%02d/%02d/%04d", m, d, y);
	st = dg_csvw_header(w, hdr, 6);
	for (size_t i = 0; i < bs->n && st == DG_OK; i++) {
		const struct bid *b = &bs->v[i];
		char hb[8], id[32];
		dg_dec mw;
		int lab;

		dg_bid_hb(o->date, b->t, &lab);
		snprintf(hb, sizeof(hb), "%02d:00", lab);
		snprintf(id, sizeof(id), "BLOCK%ld", b->block);
		if (dg_bid_upload_mw(b->kw, &mw) != DG_OK)
			return DG_EINTERNAL;	/* checked: at least min_mw */
		dg_csvw_str(w, nd);
		dg_csvw_str(w, hb);
		dg_csvw_str(w, id);
		dg_csvw_str(w, "ENERGY");
		dg_csvw_dec(w, mw, 1);
		dg_csvw_dec(w, b->price, 2);
		st = dg_csvw_end_row(w);
	}
	return st;
}

/* A capacity or curtailment row: product, MW and one of the prices. */
static int
write_offer(struct dg_csvw *w, const struct opts *o, const char *market,
    const char *product, const dg_dec *per_mwh, const dg_dec *per_kw_month)
{
	dg_dec mw;

	if (dg_bid_mw(o->ucap_kw, &mw) != DG_OK)
		return DG_EINTERNAL;	/* the option's bounds keep it in
					 * range */
	dg_csvw_str(w, market);
	dg_csvw_date(w, o->date);
	dg_csvw_str(w, product);
	for (int i = 0; i < 3; i++)	/* block, time, hb */
		dg_csvw_empty(w);
	dg_csvw_dec(w, mw, 3);
	if (per_mwh != NULL)
		dg_csvw_dec(w, *per_mwh, 2);
	else
		dg_csvw_empty(w);
	if (per_kw_month != NULL)
		dg_csvw_dec(w, *per_kw_month, 2);
	else
		dg_csvw_empty(w);
	return dg_csvw_end_row(w);
}

static int
write_csv(struct dg_csvw *w, const struct opts *o, const struct bids *bs)
{
	static const char *const hdr[] = {
		"market", "date", "product", "block", "time", "hb", "mw",
		"price_usd_per_mwh", "price_usd_per_kw_month"
	};
	int st = dg_csvw_header(w, hdr, 9);

	for (size_t i = 0; i < bs->n && st == DG_OK; i++) {
		const struct bid *b = &bs->v[i];
		dg_dec mw;
		int lab;

		dg_bid_hb(o->date, b->t, &lab);
		if (dg_bid_mw(b->kw, &mw) != DG_OK)
			return DG_EINTERNAL;	/* checked by check_bids */
		dg_csvw_str(w, "nyiso-dam");
		dg_csvw_date(w, o->date);
		dg_csvw_str(w, "energy");
		dg_csvw_int(w, b->block);
		dg_csvw_time(w, b->t);
		dg_csvw_int(w, lab);
		dg_csvw_dec(w, mw, 3);
		dg_csvw_dec(w, b->price, 2);
		dg_csvw_empty(w);
		st = dg_csvw_end_row(w);
	}
	if (st == DG_OK && o->have_ucap)
		st = write_offer(w, o, "nyiso-icap", "capacity", NULL,
		    &o->cap_price);
	if (st == DG_OK && o->have_strike)
		st = write_offer(w, o, "nyiso-scr-edrp", "curtailment",
		    &o->strike, NULL);
	return st;
}

static int
run(struct opts *o)
{
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	struct dg_csv *r = NULL;
	struct bids bs;
	int st, nmissing;

	dg_error_clear(&err);
	memset(&bs, 0, sizeof(bs));
	if ((st = check_offer(o, &err)) != DG_OK ||
	    (st = read_bids(o, &bs, &r, &err)) != DG_OK ||
	    (st = check_bids(o, &bs, dg_csv_name(r), &err)) != DG_OK) {
		st = dg_cli_report(&err);
		goto done;
	}
	nmissing = missing_hours(o, &bs);
	out = dg_cli_open_output(&o->cli, &w);
	st = o->nyiso ? write_nyiso(&w, o, &bs) : write_csv(&w, o, &bs);
	if (st == DG_OK && o->now > o->deadline)
		dg_cli_warn("late: written after the deadline (--late)");
	if (st == DG_OK && nmissing > 0)
		dg_cli_warn("%d of %d hours of %s have no block to bid",
		    nmissing, dg_date_hours(o->date), o->dbuf);
	st = dg_cli_finish(out, st, &err);
done:
	dg_csv_close(r);
	free(bs.v);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	dg_cli_init(&o.cli, "dg-bid");
	/* its input is a dg- program's output: without a final line end it
	 * was cut short (dgagg(7)) */
	o.cli.csv.final_newline = 1;
	dg_bid_rules_init(&o.rules);
	parse(&o, argc, argv);
	return run(&o);
}
