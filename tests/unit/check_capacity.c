/* check_capacity.c: unit tests of lib/dg_capacity (auction money,
 * shortfall, surplus, certification). */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ck_dec.h"
#include "dg_capacity.h"

#define TD DG_TESTDATA "/capacity/"

static char dir[] = "/tmp/check_capacity.XXXXXX";

/* A file of the test's directory with text s; its path in path. */
static void
put(const char *name, const char *s, char *path, size_t n)
{
	FILE *fp;

	snprintf(path, n, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(s, fp);
	fclose(fp);
}

/* The book of the report's 1.5 MW example, or of text files. */
static int
book(struct dg_cap_book *b, const char *ucap, const char *sales,
    const char *prices, struct dg_error *e)
{
	struct dg_sites ss;
	struct dg_csv_opts o;
	char pu[512], ps[512], pp[512];
	int st;

	dg_csv_opts_init(&o);
	dg_cap_book_init(b);
	dg_error_clear(e);
	memset(&ss, 0, sizeof(ss));
	ck_assert_int_eq(dg_sites_read(&ss, TD "report-sites.csv", &o, e),
	    DG_OK);
	put("ucap.csv", ucap, pu, sizeof(pu));
	put("sales.csv", sales, ps, sizeof(ps));
	put("prices.csv", prices, pp, sizeof(pp));
	if ((st = dg_cap_read_ucap(b, pu, &ss, &o, e)) == DG_OK &&
	    (st = dg_cap_read_sales(b, ps, &o, e)) == DG_OK)
		st = dg_cap_read_prices(b, pp, &o, e);
	dg_sites_release(&ss);
	return st;
}

static const char *ucap15 = "site,month,ucap_kw\nP15,2003-09,1200.000\n"
    "TOTAL,2003-09,1200.000\n";
static const char *sales15 = "site,month,auction,sold_kw\n"
    "P15,2003-09,strip,1000\nP15,2003-09,monthly,300\n"
    "P15,2003-09,spot,200\n";
static const char *prices03 = "auction,month,locality,price_usd_per_kw_month"
    "\nstrip,2003-09,LI,3.50\nmonthly,2003-09,LI,4.00\n"
    "spot,2003-09,LI,11.21\nspot,2003-09,NYCA,2.33\n";

/* Report lines 1454-1456: 1 MW strip, 300 kW monthly, 200 kW spot, all
 * 1.5 MW sold, derated to 1.2 MW: 300 kW to procure.  Money by hand:
 * 1000 x 3.50 + 300 x 4.00 + 200 x 11.21 = 6942.00; 300 x 11.21 =
 * 3363.00 bought back, or x 1.5 = 5044.50 as a deficiency. */
START_TEST(report_shortfall)
{
	struct dg_cap_book b;
	struct dg_cap_params p;
	struct dg_cap_line *l;
	struct dg_error e;
	size_t n;

	ck_assert_int_eq(book(&b, ucap15, sales15, prices03, &e), DG_OK);
	dg_cap_params_init(&p);
	ck_assert_int_eq(dg_cap_price_book(&b, &p, &l, &n, &e), DG_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(l[0].site, "P15");
	ck_assert_int_eq(l[0].locality, DG_CAP_LI);
	ck_dec(l[0].sold_total_kw, "1500");
	ck_dec(l[0].revenue_usd, "6942.00");
	ck_dec(l[0].shortfall_kw, "300.000");
	ck_dec(l[0].shortfall_cost_usd, "3363.00");
	ck_dec(l[0].net_usd, "3579.00");
	ck_assert_ptr_null(l[1].site);
	ck_dec(l[1].net_usd, "3579.00");
	free(l);
	p.shortfall = DG_CAP_DEFICIENCY;
	ck_assert_int_eq(dg_cap_price_book(&b, &p, &l, &n, &e), DG_OK);
	ck_dec(l[0].shortfall_cost_usd, "5044.50");
	ck_dec(l[0].net_usd, "1897.50");
	free(l);
	dg_cap_book_release(&b);
}
END_TEST

/* The report's 200 kW SCR (section 6.1.1.1): UCAP 187.5 kW, all 200 kW
 * sold in the strip at 3.17: 634.00; 12.5 kW short at a spot price of
 * 2.33: 29.125, half away from zero 29.13 (not 29.12); as a deficiency
 * x 1.5: 43.6875 -> 43.69.  Selling 187.5 kW: 594.375 -> 594.38. */
START_TEST(cents_half_away)
{
	struct dg_cap_book b;
	struct dg_cap_params p;
	struct dg_cap_line *l;
	struct dg_error e;
	size_t n;
	const char *pr = "auction,month,locality,price_usd_per_kw_month\n"
	    "strip,2003-09,NYCA,3.17\nspot,2003-09,NYCA,2.33\n";

	ck_assert_int_eq(book(&b, "site,month,ucap_kw\nS200,2003-09,187.500\n",
	    "site,month,auction,sold_kw\nS200,2003-09,strip,200\n", pr, &e),
	    DG_OK);
	dg_cap_params_init(&p);
	ck_assert_int_eq(dg_cap_price_book(&b, &p, &l, &n, &e), DG_OK);
	ck_dec(l[0].revenue_usd, "634.00");
	ck_dec(l[0].shortfall_cost_usd, "29.13");
	free(l);
	p.shortfall = DG_CAP_DEFICIENCY;
	ck_assert_int_eq(dg_cap_price_book(&b, &p, &l, &n, &e), DG_OK);
	ck_dec(l[0].shortfall_cost_usd, "43.69");
	free(l);
	dg_cap_book_release(&b);
	ck_assert_int_eq(book(&b, "site,month,ucap_kw\nS200,2003-09,200\n",
	    "site,month,auction,sold_kw\nS200,2003-09,strip,187.5\n", pr, &e),
	    DG_OK);
	ck_assert_int_eq(dg_cap_price_book(&b, &p, &l, &n, &e), DG_OK);
	ck_dec(l[0].revenue_usd, "594.38");
	ck_dec(l[0].surplus_kw, "12.5");
	ck_dec(l[0].surplus_value_usd, "29.13");	/* 12.5 x 2.33 */
	ck_dec(l[0].net_usd, "594.38");
	free(l);
	dg_cap_book_release(&b);
}
END_TEST

START_TEST(certify_and_check)
{
	struct dg_cap_book b;
	struct dg_cap_cert *c;
	struct dg_csv_opts o;
	struct dg_error e;
	char path[512];
	size_t n;
	long rows;

	dg_csv_opts_init(&o);
	ck_assert_int_eq(book(&b, ucap15, sales15, prices03, &e), DG_OK);
	ck_assert_int_eq(dg_cap_certify(&b, 2003 * 12 + 8, 20, &c, &n, &e),
	    DG_OK);
	ck_assert_uint_eq(n, 1);
	ck_dec(c[0].certified_kw, "1200.000");
	ck_dec(c[0].shortfall_kw, "300.000");
	ck_assert_int_eq(c[0].due, dg_date_from_ymd(2003, 8, 20));
	free(c);
	ck_assert_int_eq(dg_cap_certify(&b, 2003 * 12 + 9, 20, &c, &n, &e),
	    DG_EDATA);
	put("cert.csv", "site,month,certified_kw\nP15,2003-09,1200\n", path,
	    sizeof(path));
	ck_assert_int_eq(dg_cap_check(&b, path, &o, &rows, &e), DG_OK);
	ck_assert_int_eq(rows, 1);
	put("cert.csv", "site,month,certified_kw\nP15,2003-09,1500\n", path,
	    sizeof(path));
	ck_assert_int_eq(dg_cap_check(&b, path, &o, &rows, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 2);
	ck_assert_str_eq(e.column, "certified_kw");
	put("cert.csv", "site,month,certified_kw\nLI05,2003-09,10\n", path,
	    sizeof(path));
	ck_assert_int_eq(dg_cap_check(&b, path, &o, &rows, &e), DG_EDATA);
	ck_assert_str_eq(e.column, "site");
	dg_cap_book_release(&b);
}
END_TEST

START_TEST(bad_inputs)
{
	struct dg_cap_book b;
	struct dg_cap_params p;
	struct dg_cap_line *l;
	struct dg_error e;
	size_t n;

	/* an EDRP-only site (no UCAP) that sold capacity */
	ck_assert_int_eq(book(&b, ucap15, "site,month,auction,sold_kw\n"
	    "LI05,2003-09,strip,10\n", prices03, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 2);
	dg_cap_book_release(&b);
	/* a sale in another locality than the site's */
	ck_assert_int_eq(book(&b, ucap15, "site,month,auction,sold_kw,locality"
	    "\nP15,2003-09,strip,10,NYC\n", prices03, &e), DG_EDATA);
	ck_assert_str_eq(e.column, "locality");
	dg_cap_book_release(&b);
	/* an unknown auction; a price twice */
	ck_assert_int_eq(book(&b, ucap15, "site,month,auction,sold_kw\n"
	    "P15,2003-09,deficiency,10\n", prices03, &e), DG_EDATA);
	dg_cap_book_release(&b);
	ck_assert_int_eq(book(&b, ucap15, sales15, "auction,month,locality,"
	    "price_usd_per_kw_month\nspot,2003-09,LI,1\nspot,2003-09,LI,2\n",
	    &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	dg_cap_book_release(&b);
	/* a sale without its auction's price: the sale's line */
	ck_assert_int_eq(book(&b, ucap15, sales15, "auction,month,locality,"
	    "price_usd_per_kw_month\nstrip,2003-09,LI,1\nspot,2003-09,LI,2\n",
	    &e), DG_OK);
	dg_cap_params_init(&p);
	ck_assert_int_eq(dg_cap_price_book(&b, &p, &l, &n, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	dg_cap_book_release(&b);
	/* a site missing from sites.csv */
	ck_assert_int_eq(book(&b, "site,month,ucap_kw\nX9,2003-09,1\n", sales15,
	    prices03, &e), DG_EDATA);
	dg_cap_book_release(&b);
}
END_TEST

START_TEST(localities)
{
	ck_assert_int_eq(dg_cap_locality_of_zone("N.Y.C."), DG_CAP_NYC);
	ck_assert_int_eq(dg_cap_locality_of_zone("K"), DG_CAP_LI);
	ck_assert_int_eq(dg_cap_locality_of_zone("MILLWD"), DG_CAP_GJ);
	ck_assert_int_eq(dg_cap_locality_of_zone("WEST"), DG_CAP_NYCA);
	ck_assert_int_eq(dg_cap_locality_of_zone("nowhere"), -1);
	ck_assert_int_eq(dg_cap_locality_parse("GHIJ"), DG_CAP_GJ);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("capacity");
	TCase *t = tcase_create("core");
	SRunner *r;
	int nf;

	if (mkdtemp(dir) == NULL)
		return 99;
	tcase_add_test(t, report_shortfall);
	tcase_add_test(t, cents_half_away);
	tcase_add_test(t, certify_and_check);
	tcase_add_test(t, bad_inputs);
	tcase_add_test(t, localities);
	suite_add_tcase(s, t);
	r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	nf = srunner_ntests_failed(r);
	srunner_free(r);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			nf++;
	}
	return nf == 0 ? 0 : 1;
}
