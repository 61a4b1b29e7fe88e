/* dg_capacity.h: the capacity desk's money and paperwork
 * (doc/market-rules.md, Capacity auctions, shortfall and certification).
 *
 * A book holds, per site and month, the UCAP a resource may sell (the
 * output of dg-ucap), what it sold in each NYISO auction (strip, monthly,
 * spot) and the auctions' clearing prices per capacity locality (the
 * output of dg-fetch nyiso-icap).  From it:
 *   - dg_cap_price: the month's money, exact and rounded once to the cent:
 *     revenue of the UCAP sold at each auction's clearing price; the
 *     shortfall (sold above the month's UCAP) bought back at the spot
 *     price, or charged as a deficiency at a multiple of it; the surplus
 *     (UCAP not sold) valued at the spot price;
 *   - dg_cap_certify: the month's certification, what each resource
 *     certifies (no more than its UCAP), and dg_cap_check_row, the check of
 *     a certification file against the UCAP.
 * The library reads and computes; it never prints. */
#ifndef DG_CAPACITY_H
#define DG_CAPACITY_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_sites.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { DG_CAP_STRIP, DG_CAP_MONTHLY, DG_CAP_SPOT, DG_CAP_NAUCTIONS };
enum { DG_CAP_NYCA, DG_CAP_GJ, DG_CAP_NYC, DG_CAP_LI, DG_CAP_NLOC };

/* "strip", "monthly", "spot"; "NYCA", "G-J", "NYC", "LI". */
const char *dg_cap_auction_name(int auction);
const char *dg_cap_locality_name(int loc);
/* The auction (any case) or locality (NYCA, G-J or GHIJ, NYC, LI, any
 * case) named s, or -1. */
int dg_cap_auction_parse(const char *s);
int dg_cap_locality_parse(const char *s);
/* The capacity locality of a NYISO load zone (a name dg_zone_resolve
 * knows): zone J is NYC, K LI, G, H and I G-J, the others NYCA; -1 when
 * the zone is unknown. */
int dg_cap_locality_of_zone(const char *zone);

/* A month as year * 12 + month - 1. */
typedef int dg_cap_month;

/* One site and month. */
struct dg_cap_entry {
	char *site;
	dg_cap_month month;
	int locality;
	int have_ucap;			/* ucap_kw given (not empty) */
	dg_dec ucap_kw;
	long ucap_line;			/* its line in the UCAP file */
	dg_dec sold_kw[DG_CAP_NAUCTIONS];
	long sale_line[DG_CAP_NAUCTIONS];	/* the first sale, 0: none */
};

struct dg_cap_price {
	dg_cap_month month;
	int locality, auction;
	int have;			/* a price, not an empty one */
	dg_dec usd_per_kw_month;
	long line;
};

struct dg_cap_book {
	struct dg_cap_entry *e;		/* in the UCAP file's order */
	size_t n, cap;
	struct dg_cap_price *p;
	size_t np, capp;
	char ucap_name[256], sales_name[256], prices_name[256];
	long sales_left_out;		/* sales of months not in the UCAP
					 * file */
	long first_left_out;		/* the line of the first */
};

void dg_cap_book_init(struct dg_cap_book *b);
void dg_cap_book_release(struct dg_cap_book *b);

/* The output of dg-ucap (columns site, month, ucap_kw; its TOTAL rows are
 * skipped): the site-months of the book, each site's locality from the
 * zone of sites.csv.  Errors (DG_EDATA, file:line and column): a site
 * not in sites, without a zone or of an unknown zone, a site and month
 * twice, a negative UCAP. */
int dg_cap_read_ucap(struct dg_cap_book *b, const char *path,
    const struct dg_sites *sites, const struct dg_csv_opts *o,
    struct dg_error *err);
/* The sales: columns site, month, auction, sold_kw, optional locality
 * (then it must be the site's).  Rows of one site, month and auction are
 * added.  A site that is not in the UCAP file at all (not a capacity
 * resource: an EDRP-only site), a negative quantity, an unknown auction
 * are errors; the rows of months the UCAP file does not have are counted
 * in sales_left_out. */
int dg_cap_read_sales(struct dg_cap_book *b, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* The prices: dg-fetch nyiso-icap output (columns auction, month,
 * locality, price_usd_per_kw_month; an empty price is no price).  The
 * same auction, month and locality twice is an error. */
int dg_cap_read_prices(struct dg_cap_book *b, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);

/* The price of auction in locality loc for month m (given or empty), or
 * NULL. */
const struct dg_cap_price *dg_cap_price_find(const struct dg_cap_book *b,
    dg_cap_month m, int loc, int auction);

/* How a shortfall is paid for. */
enum { DG_CAP_BUY, DG_CAP_DEFICIENCY };

struct dg_cap_params {
	int shortfall;			/* DG_CAP_BUY or DG_CAP_DEFICIENCY */
	dg_dec multiplier;		/* of the spot price (deficiency) */
	int surplus_auction;		/* the price of the surplus */
	int have_months;		/* only the months from..to */
	dg_cap_month from, to;
};
/* The defaults: buy back at the spot price; the deficiency multiplier
 * DG_CAP_DEFICIENCY_DEFAULT [I]; the surplus at the spot price; every
 * month. */
#define DG_CAP_DEFICIENCY_DEFAULT "1.5"
void dg_cap_params_init(struct dg_cap_params *p);

/* Quality flags of a line. */
enum {
	DG_CAPQ_NO_UCAP = 1,		/* the UCAP is unknown (empty) */
	DG_CAPQ_NO_SURPLUS_PRICE = 2	/* no price to value the surplus */
};

/* One site and month priced, or a month's TOTAL (site NULL): each money
 * figure is rounded once to the cent from its exact value; the TOTAL adds
 * the lines as printed. */
struct dg_cap_line {
	const char *site;		/* NULL: the TOTAL of the month */
	dg_cap_month month;
	int locality;
	int have_ucap;
	dg_dec ucap_kw, sold_kw[DG_CAP_NAUCTIONS], sold_total_kw;
	dg_dec revenue_usd;
	dg_dec shortfall_kw, spot_price, shortfall_cost_usd;
	dg_dec surplus_kw, surplus_value_usd, net_usd;
	int have_spot, have_surplus_value;
	unsigned quality;
};

/* The lines of the book's months (by month, in the UCAP file's order,
 * each month's TOTAL after its sites), in *out (n of them; free()).
 * Errors (DG_EDATA naming the sales file's line or the UCAP file's):
 * a sale without its auction's price, a shortfall without a spot price;
 * DG_ERANGE on overflow. */
int dg_cap_price_book(const struct dg_cap_book *b,
    const struct dg_cap_params *p, struct dg_cap_line **out, size_t *n,
    struct dg_error *err);

/* One resource's certification for a month [I: layout]. */
struct dg_cap_cert {
	const char *site;
	dg_cap_month month;
	int locality;
	dg_dec ucap_kw, sold_kw, certified_kw, shortfall_kw;
	int due;			/* dg_date of the deadline */
};
/* The certification of month: a row per site of the UCAP file in that
 * month with a known UCAP, certified = min(sold, UCAP), the shortfall to
 * cover, due by due_day of the month before.  DG_EDATA when the month is
 * not in the book. */
int dg_cap_certify(const struct dg_cap_book *b, dg_cap_month month,
    int due_day, struct dg_cap_cert **out, size_t *n, struct dg_error *err);
/* Checks a certification file (columns site, month, certified_kw) against
 * the book: each row's site and month must be in it with a known UCAP,
 * and certified_kw at most that UCAP (DG_EDATA naming file:line and the
 * column).  *rows: the rows checked. */
int dg_cap_check(const struct dg_cap_book *b, const char *path,
    const struct dg_csv_opts *o, long *rows, struct dg_error *err);

/* YYYY-MM of a month, in buf (at least 8 bytes). */
void dg_cap_month_format(dg_cap_month m, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
