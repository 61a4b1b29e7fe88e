/* check_econ: enrolment economics (lib/dg_econ*.c): items, yearly flows,
 * NPV, IRR, payback and the portfolio view of the report's Table 7. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_econ.h"

static char path[] = "/tmp/check_econ_XXXXXX";

static const char *
write_tmp(const char *text)
{
	int fd;

	memcpy(path, "/tmp/check_econ_XXXXXX", sizeof(path));
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int
read_items(const char *text, struct dg_econ_items *it, struct dg_error *e)
{
	struct dg_csv_opts o;
	int st;

	dg_csv_opts_init(&o);
	st = dg_econ_items_read(it, write_tmp(text), &o, e);
	unlink(path);
	return st;
}

static dg_dec
dec(const char *s)
{
	dg_dec d;

	ck_assert_int_eq(dg_dec_parse(s, strlen(s), &d), DG_OK);
	return d;
}

START_TEST(npv_hand)
{
	/* -1000, 300, 400, 500 at 8 %: by hand -1000 + 277.7778 + 342.9355
	 * + 396.9161 = 17.6294 */
	int64_t cf[] = { -100000, 30000, 40000, 50000 }, npv;
	/* ties: 4 cents / 1.6 = 2.5 cents, half away from zero: 3 */
	int64_t tie[] = { 0, 4 }, neg[] = { 0, -4 };
	/* 25 %: -100.00 + 62.50 / 1.25 + 78.125 / 1.5625 = -100 + 50 + 50 */
	int64_t exact[] = { -10000, 6250, 7813 };

	ck_assert_int_eq(dg_econ_npv(cf, 3, dec("0.08"), &npv), DG_OK);
	ck_assert_int_eq(npv, 1763);
	ck_assert_int_eq(dg_econ_npv(cf, 0, dec("0.08"), &npv), DG_OK);
	ck_assert_int_eq(npv, -100000);
	ck_assert_int_eq(dg_econ_npv(tie, 1, dec("0.6"), &npv), DG_OK);
	ck_assert_int_eq(npv, 3);
	ck_assert_int_eq(dg_econ_npv(neg, 1, dec("0.6"), &npv), DG_OK);
	ck_assert_int_eq(npv, -3);
	/* 78.13 / 1.5625 = 50.0032: 0.00 after rounding the sum once */
	ck_assert_int_eq(dg_econ_npv(exact, 2, dec("0.25"), &npv), DG_OK);
	ck_assert_int_eq(npv, 0);
}
END_TEST

START_TEST(irr_unique)
{
	int64_t cf[] = { -100000, 30000, 40000, 50000 };
	int64_t ten[] = { -10000, 11000 };
	int64_t half[] = { -10000, 5000 };
	/* three sign changes, one root: P(x) = -1000 + 500x - 100x^2 +
	 * 800x^3 has P' > 0 (discriminant 200^2 - 4 2400 500 < 0), so one
	 * real root, between x = 0.92 (P = -1.66) and 0.93 (P = 22.0): an
	 * IRR between 7.53 % and 8.70 % */
	int64_t three[] = { -100000, 50000, -10000, 80000 };
	struct dg_econ_irr r;

	/* Gnumeric's IRR of the same flows: 0.0889633946933 */
	ck_assert_int_eq(dg_econ_irr(cf, 3, &r), DG_OK);
	ck_assert_int_eq(r.status, DG_ECON_IRR_OK);
	ck_assert_int_eq(r.sign_changes, 1);
	ck_assert(fabs(r.irr - 0.0889633946933) < 1e-9);
	ck_assert_int_eq(dg_econ_irr(ten, 1, &r), DG_OK);
	ck_assert(fabs(r.irr - 0.10) < 1e-12);
	ck_assert_int_eq(dg_econ_irr(half, 1, &r), DG_OK);
	ck_assert(fabs(r.irr + 0.50) < 1e-12);
	ck_assert_int_eq(dg_econ_irr(three, 3, &r), DG_OK);
	ck_assert_int_eq(r.sign_changes, 3);
	ck_assert_int_eq(r.status, DG_ECON_IRR_OK);
	ck_assert(r.irr > 0.0753 && r.irr < 0.0870);
}
END_TEST

START_TEST(irr_not_unique)
{
	/* -1000, 2300, -1320: 1000 (1+r)^2 - 2300 (1+r) + 1320 = 0 at
	 * 1+r = (2300 +- 100) / 2000: r = 10 % and 20 % */
	int64_t two[] = { -100000, 230000, -132000 };
	/* -1000, 1500, -100: x = (1500 +- sqrt(1500^2 - 400000)) / 200 =
	 * 0.69926 and 14.3007: r = 43.01 % and -93.01 % */
	int64_t far[] = { -100000, 150000, -10000 };
	int64_t pos[] = { 100, 0, 200 };
	struct dg_econ_irr r;

	ck_assert_int_eq(dg_econ_irr(two, 2, &r), DG_OK);
	ck_assert_int_eq(r.status, DG_ECON_IRR_NOT_UNIQUE);
	ck_assert_int_eq(r.sign_changes, 2);
	ck_assert_int_eq(r.nroots, 2);
	ck_assert(fabs(r.roots[0] - 0.10) < 1e-9);
	ck_assert(fabs(r.roots[1] - 0.20) < 1e-9);
	ck_assert_int_eq(dg_econ_irr(far, 2, &r), DG_OK);
	ck_assert_int_eq(r.status, DG_ECON_IRR_NOT_UNIQUE);
	ck_assert(fabs(r.roots[0] + 0.9301) < 1e-4);
	ck_assert(fabs(r.roots[1] - 0.4301) < 1e-4);
	ck_assert_int_eq(dg_econ_irr(pos, 2, &r), DG_OK);
	ck_assert_int_eq(r.status, DG_ECON_IRR_NONE);
	ck_assert_int_eq(r.sign_changes, 0);
}
END_TEST

START_TEST(irr_range)
{
	/* -1, 1000: r = 999 */
	int64_t far[] = { -100, 100000 };
	/* 2 sign changes, no real root: -1000 + 1000x - 1000x^2 < 0 */
	int64_t none[] = { -100000, 100000, -100000 };
	struct dg_econ_irr r;

	ck_assert_int_eq(dg_econ_irr(far, 1, &r), DG_OK);
	ck_assert_int_eq(r.status, DG_ECON_IRR_OUT_OF_RANGE);
	ck_assert_int_eq(dg_econ_irr(none, 2, &r), DG_OK);
	ck_assert_int_eq(r.status, DG_ECON_IRR_NONE);
	ck_assert_int_eq(r.sign_changes, 2);
}
END_TEST

START_TEST(payback_hand)
{
	/* cumulative -1000, -700, -300, +200: 2 + 300 / 500 = 2.60 */
	int64_t cf[] = { -100000, 30000, 40000, 50000 };
	int64_t never[] = { -100000, 10000 };
	int64_t now[] = { 5000, -100 };
	/* 1 + 2000 / 3000 = 1.666.. -> 1.67 */
	int64_t third[] = { -300000, 100000, 300000 };
	/* cumulative -1000, 1300, -20: paid back in year 1 (1000 / 2300 =
	 * 0.43), undone in year 2 */
	int64_t undone[] = { -100000, 230000, -132000 };
	/* cumulative -1000, 500, -100, 300: the last crossing, 2 + 100 /
	 * 400 = 2.25 */
	int64_t twice[] = { -100000, 150000, -60000, 40000 };
	dg_dec y;
	int found;

	ck_assert_int_eq(dg_econ_payback(cf, 3, &found, &y), DG_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(y.v, 260);
	ck_assert_int_eq(y.scale, 2);
	ck_assert_int_eq(dg_econ_payback(never, 1, &found, &y), DG_OK);
	ck_assert_int_eq(found, 0);
	ck_assert_int_eq(dg_econ_payback(now, 1, &found, &y), DG_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(y.v, 0);
	ck_assert_int_eq(dg_econ_payback(third, 2, &found, &y), DG_OK);
	ck_assert_int_eq(y.v, 167);
	ck_assert_int_eq(dg_econ_payback(undone, 1, &found, &y), DG_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(y.v, 43);
	ck_assert_int_eq(dg_econ_payback(undone, 2, &found, &y), DG_OK);
	ck_assert_int_eq(found, 0);
	ck_assert_int_eq(dg_econ_payback(twice, 3, &found, &y), DG_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(y.v, 225);
}
END_TEST

START_TEST(items_flows)
{
	/* The report's Table 6 turbine site (800 kW, $35/MWh) for 25 hours
	 * (line 824): 35 x 800 x 25 / 1000 = 700.00 a year; LIPA's $6.43/kW
	 * (line 481) on 800 kW once a year: 5144.00, shared 17.5 %: the
	 * aggregator 900.20, the owner 4243.80; metering 17,500 in year 0;
	 * an overhaul of 1234.57 in year 3 */
	static const char text[] =
	    "item,party,kind,basis,amount_usd,quantity,year\n"
	    "metering,aggregator,cost,once,17500,,\n"
	    "fuel,owner,cost,mwh,35.00,25,\n"
	    "LIPA,shared,program,kw-month,6.43,1,\n"
	    "overhaul,owner,cost,once,1234.57,,3\n"
	    "service,aggregator,cost,month,41.67,,2\n";
	struct dg_econ_items it;
	struct dg_econ_params p;
	struct dg_econ_flows ow, ag;
	struct dg_error e;

	ck_assert_int_eq(read_items(text, &it, &e), DG_OK);
	ck_assert_uint_eq(it.n, 5);
	dg_econ_params_init(&p);
	p.kw = dec("800");
	p.share_pct = dec("17.5");
	p.years = 3;
	memset(&ow, 0, sizeof(ow));
	memset(&ag, 0, sizeof(ag));
	ck_assert_int_eq(dg_econ_add_items(&it, &p, &ow, &ag, &e), DG_OK);
	ck_assert_int_eq(ag.cost[0], 1750000);
	ck_assert_int_eq(ow.cost[1], 70000);
	ck_assert_int_eq(ow.cost[3], 70000 + 123457);
	ck_assert_int_eq(ag.program[1], 90020);
	ck_assert_int_eq(ow.program[1], 424380);
	ck_assert_int_eq(ag.program[0], 0);
	/* 41.67 x 12 = 500.04 from year 2 */
	ck_assert_int_eq(ag.cost[1], 0);
	ck_assert_int_eq(ag.cost[2], 50004);
	ck_assert_int_eq(dg_econ_net(&ow, 1), 424380 - 70000);
	/* the low scenario: program revenue at 50 %: 2572.00, shared */
	p.factor_pct = dec("50");
	memset(&ow, 0, sizeof(ow));
	memset(&ag, 0, sizeof(ag));
	ck_assert_int_eq(dg_econ_add_items(&it, &p, &ow, &ag, &e), DG_OK);
	ck_assert_int_eq(ag.program[2] + ow.program[2], 257200);
	ck_assert_int_eq(ag.program[2], 45010);
	dg_econ_items_release(&it);
}
END_TEST

static void
items_fail(const char *row, const char *col, const char *msg)
{
	char text[512];
	struct dg_econ_items it;
	struct dg_error e;

	snprintf(text, sizeof(text),
	    "item,party,kind,basis,amount_usd,quantity,year\n"
	    "metering,aggregator,cost,once,17500,,\n%s\n", row);
	ck_assert_int_eq(read_items(text, &it, &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert_str_eq(e.column, col);
	ck_assert_msg(strstr(e.msg, msg) != NULL, "\"%s\" lacks \"%s\"", e.msg,
	    msg);
}

START_TEST(items_bad)
{
	items_fail("fuel,tenant,cost,mwh,35,,", "party",
	    "owner, aggregator or shared: \"tenant\"");
	items_fail("fuel,owner,expense,mwh,35,,", "kind",
	    "cost, program or saving");
	items_fail("fuel,owner,cost,MWh,35,,", "basis",
	    "once, kw, year, month, mwh or kw-month: \"MWh\"");
	items_fail("fuel,owner,cost,mwh,-35,,", "amount_usd", "negative");
	items_fail("fuel,owner,cost,mwh,35$,,", "amount_usd", "not a number");
	items_fail("fuel,owner,cost,mwh,35,,0", "year",
	    "a year from 1 to 5: \"0\"");
	items_fail("fuel,owner,cost,once,35,,6", "year",
	    "a year from 0 to 5: \"6\"");
	items_fail("fuel,owner,cost,mwh,35,-1,", "quantity", "negative");
	items_fail(",owner,cost,mwh,35,,", "item", "empty value");
}
END_TEST

START_TEST(limits)
{
	int64_t big[] = { INT64_MAX - 1, INT64_MAX - 1 };
	int64_t cf[] = { -100, 200 }, npv;
	int64_t deep[] = { -2, -INT64_MAX };
	dg_dec y;
	int found;

	ck_assert_int_eq(dg_econ_npv(big, 1, dec("0.08"), &npv), DG_ERANGE);
	ck_assert_int_eq(dg_econ_npv(cf, 1, dec("0.08125"), &npv), DG_EINVAL);
	ck_assert_int_eq(dg_econ_npv(cf, 1, dec("1.5"), &npv), DG_EINVAL);
	ck_assert_int_eq(dg_econ_npv(cf, 6, dec("0.08"), &npv), DG_EINVAL);
	ck_assert_int_eq(dg_econ_npv(cf, 1, dec("1"), &npv), DG_OK);
	ck_assert_int_eq(npv, 0);
	ck_assert_int_eq(dg_econ_payback(deep, 1, &found, &y), DG_ERANGE);
}
END_TEST

/* --- the portfolio view ----------------------------------------------- */

START_TEST(portfolio_part)
{
	/* Table 6: a turbine site cuts 800 kW, costs $43,000 to bring to
	 * market and generates at $35/MWh.  Table 7's portfolio 1: 15 MW of
	 * turbines = 18.75 sites (printed: 19), capital 15 x 53,750 =
	 * 806,250 (line 808: $53,750/MW), generating 15 MW x 25 h x $35 =
	 * 13,125; with whole sites 19 x 43,000 = 817,000 */
	struct dg_econ_profile pf = { .name = "turbine" };
	struct dg_econ_part part;

	pf.kw = dec("800");
	pf.capital = dec("43000");
	pf.gen_usd_per_mwh = dec("35.00");
	ck_assert_int_eq(dg_econ_part(&pf, dec("15"), dec("25"), 0, &part),
	    DG_OK);
	ck_assert_int_eq(part.sites.v, 18750000);
	ck_assert_int_eq(part.whole, 19);
	ck_assert_int_eq(part.capital, 80625000);
	ck_assert_int_eq(part.generating, 1312500);
	ck_assert_int_eq(dg_econ_part(&pf, dec("15"), dec("25"), 1, &part),
	    DG_OK);
	ck_assert_int_eq(part.capital, 81700000);
	/* 12 MW: exactly 15 sites (Table 7's portfolio 2) */
	ck_assert_int_eq(dg_econ_part(&pf, dec("12"), dec("25"), 0, &part),
	    DG_OK);
	ck_assert_int_eq(part.whole, 15);
	ck_assert_int_eq(part.capital, 64500000);
}
END_TEST

static int
read_mixes(const char *profiles, const char *mixes, struct dg_error *e)
{
	struct dg_csv_opts o;
	struct dg_econ_profiles pr;
	struct dg_econ_mixes mx;
	int st;

	dg_csv_opts_init(&o);
	st = dg_econ_profiles_read(&pr, write_tmp(profiles), &o, e);
	unlink(path);
	if (st != DG_OK)
		return st;
	st = dg_econ_mixes_read(&mx, write_tmp(mixes), &pr, &o, e);
	unlink(path);
	if (st == DG_OK)
		dg_econ_mixes_release(&mx);
	dg_econ_profiles_release(&pr);
	return st;
}

START_TEST(portfolio_bad)
{
	static const char pf[] =
	    "profile,curtailable_kw,capital_usd,generating_usd_per_mwh\n"
	    "turbine,800,43000,35.00\ndiesel,400,35000,60.00\n";
	struct dg_error e;

	ck_assert_int_eq(read_mixes(pf, "portfolio,profile,mw\nP1,turbine,15\n"
	    "P1,diesel,15\nP2,turbine,12\n", &e), DG_OK);
	ck_assert_int_eq(read_mixes(pf, "portfolio,profile,mw\nP1,turbine,15\n"
	    "P1,gas,15\n", &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert_str_eq(e.column, "profile");
	ck_assert_int_eq(read_mixes(pf, "portfolio,profile,mw\nP1,turbine,15\n"
	    "P2,diesel,15\nP1,diesel,15\n", &e), DG_EDATA);
	ck_assert(strstr(e.msg, "not together") != NULL);
	ck_assert_int_eq(read_mixes(pf, "portfolio,profile,mw\nP1,turbine,15\n"
	    "P1,turbine,1\n", &e), DG_EDATA);
	ck_assert(strstr(e.msg, "twice") != NULL);
	ck_assert_int_eq(read_mixes(pf, "portfolio,profile,mw\nP1,turbine,0\n",
	    &e), DG_EDATA);
	ck_assert_str_eq(e.column, "mw");
	ck_assert_int_eq(read_mixes(
	    "profile,curtailable_kw,capital_usd,generating_usd_per_mwh\n"
	    "turbine,800,43000,35.00\nturbine,400,35000,60.00\n",
	    "portfolio,profile,mw\n", &e), DG_EDATA);
	ck_assert_int_eq(e.line, 3);
	ck_assert_str_eq(e.column, "profile");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("econ");
	TCase *tc = tcase_create("core");
	TCase *tl = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, npv_hand);
	tcase_add_test(tc, irr_unique);
	tcase_add_test(tc, irr_not_unique);
	tcase_add_test(tc, payback_hand);
	tcase_add_test(tc, items_flows);
	tcase_add_test(tc, portfolio_part);
	tcase_add_test(tl, irr_range);
	tcase_add_test(tl, items_bad);
	tcase_add_test(tl, limits);
	tcase_add_test(tl, portfolio_bad);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
