/* check_gencost: heat-rate curve, derating, loading rules, generators.csv. */
#include <config.h>

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_gencost.h"

#define HDR "site,gen,kind,capacity_kw,hr_25_btu_per_kwh,hr_50_btu_per_kwh," \
	"hr_75_btu_per_kwh,hr_100_btu_per_kwh,fuel_usd_per_mmbtu," \
	"om_usd_per_mwh,start_usd,min_run_h,max_run_h_day,permit_h_year," \
	"derate_pct_per_f,derate_base_f,priority,curtail_usd_per_mwh\n"

/* The report's prototypical turbine site (Table 6: two 750-kW turbines,
 * 800 kW curtailable) with the sample portfolio's LI01 curve. */
static struct dg_gen turbine = {
	"S1", "G1", DG_GEN_GAS_TURBINE, 750, { 23400, 16600, 14100, 12600 },
	4.85, 8.50, 95.00, 2, 8, 1000, 0.35, 59, 1, 0, DG_COMMIT_FREE, 2
};

static char tmpl[64];

static const char *
write_tmp(const char *text)
{
	FILE *fp;
	int fd;

	snprintf(tmpl, sizeof(tmpl), "/tmp/check_gencost.XXXXXX");
	fd = mkstemp(tmpl);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return tmpl;
}

START_TEST(test_heat_rate_interpolation)
{
	/* hand-computed: f = 0.62 lies between 50 % (16600) and 75 % (14100):
	 * 16600 + (14100 - 16600) x (0.62 - 0.50) / 0.25 = 16600 - 1200 =
	 * 15400 */
	ck_assert_double_eq_tol(dg_gencost_heat_rate(&turbine, 0.62), 15400,
	    1e-9);
	/* the curve points themselves, and flat below 25 % */
	ck_assert_double_eq_tol(dg_gencost_heat_rate(&turbine, 0.25), 23400,
	    1e-9);
	ck_assert_double_eq_tol(dg_gencost_heat_rate(&turbine, 0.75), 14100,
	    1e-9);
	ck_assert_double_eq_tol(dg_gencost_heat_rate(&turbine, 1.0), 12600,
	    1e-9);
	ck_assert_double_eq_tol(dg_gencost_heat_rate(&turbine, 0.1), 23400,
	    1e-9);
	/* hand-computed: f = 0.385 between 25 % and 50 %:
	 * 23400 - 6800 x 0.135 / 0.25 = 23400 - 3672 = 19728 */
	ck_assert_double_eq_tol(dg_gencost_heat_rate(&turbine, 0.385), 19728,
	    1e-9);
}
END_TEST

START_TEST(test_derating_95f)
{
	/* hand-computed: 95 F is 36 F above 59 F; 750 x (1 - 0.0035 x 36)
	 * = 750 x 0.874 = 655.5 kW */
	ck_assert_double_eq_tol(dg_gencost_available(&turbine, 95), 655.5,
	    1e-9);
	ck_assert_double_eq_tol(dg_gencost_available(&turbine, 58.2), 750,
	    1e-9);
	ck_assert_double_eq_tol(dg_gencost_available(&turbine, 59), 750, 1e-9);
}
END_TEST

START_TEST(test_one_turbine_hot_afternoon)
{
	struct dg_unit_cost u[1];
	struct dg_site_cost sc;

	/* hand-computed: 500 kW on one 655.5 kW (derated) turbine at 95 F:
	 * f = 500 / 655.5 = 0.762777; HR = 14100 - 1500 x (f - 0.75) / 0.25
	 * = 14023.341 Btu/kWh; fuel = 500 x 14023.341 / 1e6 = 7.011670 MMBtu;
	 * cost = 7.011670 x 4.85 + 0.5 x 8.50 = 34.006602 + 4.25 =
	 * 38.256602 $/h */
	ck_assert_int_eq(dg_gencost_site(&turbine, 1, 500, 95, DG_LOADING_EQUAL,
	    u, &sc), DG_OK);
	ck_assert_double_eq_tol(u[0].heat_rate, 14023.340961, 1e-6);
	ck_assert_double_eq_tol(sc.fuel_mmbtu, 7.011670481, 1e-8);
	ck_assert_double_eq_tol(sc.cost_usd_per_h, 38.256601831, 1e-8);
	ck_assert_double_eq_tol(sc.gen_kw, 500, 1e-12);
	ck_assert_double_eq_tol(sc.start_usd, 95, 1e-12);
	ck_assert_int_eq(sc.is_short, 0);
}
END_TEST

START_TEST(test_two_turbines_equal_and_merit)
{
	struct dg_gen g[2];
	struct dg_unit_cost u[2];
	struct dg_site_cost sc;

	g[0] = turbine;
	g[1] = turbine;
	g[1].gen = "G2";
	g[1].priority = 2;
	/* hand-computed, equal loading: 800 kW at 95 F needs both (655.5 <
	 * 800); each carries 400 kW, f = 400 / 655.5 = 0.610221; HR = 16600 -
	 * 2500 x 0.110221 / 0.25 = 15497.788; fuel = 800 x 15497.788 / 1e6 =
	 * 12.398230; cost = 12.398230 x 4.85 + 0.8 x 8.5 = 66.931417 $/h */
	ck_assert_int_eq(dg_gencost_site(g, 2, 800, 95, DG_LOADING_EQUAL, u,
	    &sc), DG_OK);
	ck_assert_double_eq_tol(u[0].kw, 400, 1e-9);
	ck_assert_double_eq_tol(u[1].kw, 400, 1e-9);
	ck_assert_double_eq_tol(sc.cost_usd_per_h, 66.931417239, 1e-8);
	ck_assert_double_eq_tol(sc.available_kw, 1311, 1e-9);
	ck_assert_double_eq_tol(sc.start_usd, 190, 1e-9);
	ck_assert_int_eq(sc.nunits, 2);
	/* hand-computed, merit order: G1 full at 655.5 kW (HR 12600), G2
	 * 144.5 kW (f = 0.2204, below 25 %: HR 23400);
	 * 655.5 x 12600 / 1e6 x 4.85 + 0.6555 x 8.5 + 144.5 x 23400 / 1e6 x
	 * 4.85 + 0.1445 x 8.5 = 63.256910 $/h */
	ck_assert_int_eq(dg_gencost_site(g, 2, 800, 95, DG_LOADING_MERIT, u,
	    &sc), DG_OK);
	ck_assert_double_eq_tol(u[0].kw, 655.5, 1e-9);
	ck_assert_double_eq_tol(u[1].kw, 144.5, 1e-9);
	ck_assert_double_eq_tol(sc.cost_usd_per_h, 63.25691, 1e-8);
	/* a cool hour: one turbine covers 600 kW, the second stays off */
	ck_assert_int_eq(dg_gencost_site(g, 2, 600, 55, DG_LOADING_EQUAL, u,
	    &sc), DG_OK);
	ck_assert_int_eq(sc.nunits, 1);
	ck_assert_int_eq(u[1].committed, 0);
	ck_assert_double_eq_tol(sc.start_usd, 95, 1e-9);
}
END_TEST

START_TEST(test_short_site)
{
	struct dg_gen d = turbine;
	struct dg_unit_cost u[1];
	struct dg_site_cost sc;

	/* hand-computed: a 200 kW diesel (0.10 %/F above 77 F) at 95 F gives
	 * 200 x (1 - 0.001 x 18) = 196.4 kW; 250 kW of load is short and it
	 * runs full: 196.4 x 10300 / 1e6 x 13.60 + 0.1964 x 22 = 27.511712 +
	 * 4.3208 = 31.832512 $/h */
	d.kind = DG_GEN_DIESEL;
	d.capacity_kw = 200;
	d.hr[0] = 13500; d.hr[1] = 11700; d.hr[2] = 10700; d.hr[3] = 10300;
	d.fuel_usd_per_mmbtu = 13.60;
	d.om_usd_per_mwh = 22;
	d.derate_pct_per_f = 0.10;
	d.derate_base_f = 77;
	ck_assert_int_eq(dg_gencost_site(&d, 1, 250, 95, DG_LOADING_EQUAL, u,
	    &sc), DG_OK);
	ck_assert_int_eq(sc.is_short, 1);
	ck_assert_double_eq_tol(sc.gen_kw, 196.4, 1e-9);
	ck_assert_double_eq_tol(sc.cost_usd_per_h, 31.832512, 1e-9);
}
END_TEST

START_TEST(test_process_load_first)
{
	struct dg_gen g[2];
	struct dg_unit_cost u[2];
	struct dg_site_cost sc;

	/* the sample's LI04: a 150 kW crusher (priority 1, $85/MWh) before
	 * a 1000 kW diesel.  hand-computed: 412.5 kW: crusher 150 kW = 0.15 x
	 * 85 = 12.75 $/h; diesel 262.5 kW, f = 0.2625, HR = 12600 - 1800 x
	 * 0.0125 / 0.25 = 12510; 262.5 x 12510 / 1e6 x 12.40 + 0.2625 x 14 =
	 * 40.720050 + 3.675 = 44.395050; total 57.145050 $/h */
	memset(g, 0, sizeof(g));
	g[0].site = g[1].site = "LI04";
	g[0].gen = "L1";
	g[0].kind = DG_GEN_LOAD;
	g[0].capacity_kw = 150;
	g[0].curtail_usd_per_mwh = 85;
	g[0].priority = 1;
	g[1].gen = "G1";
	g[1].kind = DG_GEN_DIESEL;
	g[1].capacity_kw = 1000;
	g[1].hr[0] = 12600; g[1].hr[1] = 10800; g[1].hr[2] = 10050;
	    g[1].hr[3] = 9700;
	g[1].fuel_usd_per_mmbtu = 12.40;
	g[1].om_usd_per_mwh = 14;
	g[1].start_usd = 35;
	g[1].derate_pct_per_f = 0.05;
	g[1].derate_base_f = 86;
	g[1].priority = 2;
	ck_assert_int_eq(dg_gencost_site(g, 2, 412.5, 80.3, DG_LOADING_EQUAL, u,
	    &sc), DG_OK);
	ck_assert_double_eq_tol(u[0].kw, 150, 1e-9);
	ck_assert_double_eq_tol(u[0].cost_usd_per_h, 12.75, 1e-9);
	ck_assert_double_eq_tol(u[1].kw, 262.5, 1e-9);
	ck_assert_double_eq_tol(u[1].heat_rate, 12510, 1e-9);
	ck_assert_double_eq_tol(sc.cost_usd_per_h, 57.14505, 1e-8);
	ck_assert_double_eq_tol(sc.start_usd, 35, 1e-9);
	/* 120 kW: the crusher alone carries it */
	ck_assert_int_eq(dg_gencost_site(g, 2, 120, 80.3, DG_LOADING_EQUAL, u,
	    &sc), DG_OK);
	ck_assert_int_eq(sc.nunits, 1);
	ck_assert_double_eq_tol(sc.cost_usd_per_h, 10.2, 1e-9);
	ck_assert_double_eq_tol(sc.start_usd, 0, 1e-12);
}
END_TEST

START_TEST(test_read_sorted)
{
	struct dg_gens gs;
	struct dg_error e;
	struct dg_csv_opts o;
	const char *p = write_tmp(HDR
	    "B,G2,diesel,300,13100,11350,10450,10050,13.10,18.00,25.00,1,6,300,0.08,86,2,\n"
	    "B,G1,diesel,300,13100,11350,10450,10050,13.10,18.00,25.00,1,,,,,1,\n"
	    "A,L1,load,150,,,,,,,,1,4,,,,1,85.00\n");
	size_t first;

	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_gens_read(&gs, p, &o, &e), DG_OK);
	unlink(p);
	ck_assert_uint_eq(gs.n, 3);
	ck_assert_str_eq(gs.v[0].site, "A");
	ck_assert_int_eq(gs.v[0].kind, DG_GEN_LOAD);
	ck_assert_int_eq(gs.v[0].permit_h_year, DG_GEN_NO_LIMIT);
	ck_assert_uint_eq(dg_gens_site(&gs, "B", &first), 2);
	ck_assert_str_eq(gs.v[first].gen, "G1");
	ck_assert_int_eq(gs.v[first].max_run_h_day, DG_GEN_NO_LIMIT);
	ck_assert_uint_eq(dg_gens_site(&gs, "C", &first), 0);
	ck_assert_ptr_nonnull(dg_gens_find(&gs, "B", "G2"));
	ck_assert_ptr_null(dg_gens_find(&gs, "A", "G2"));
	dg_gens_release(&gs);
}
END_TEST

static void
bad(const char *rows, const char *col, const char *msg_part)
{
	struct dg_gens gs;
	struct dg_error e;
	struct dg_csv_opts o;
	char buf[4096];
	const char *p;

	snprintf(buf, sizeof(buf), HDR "%s", rows);
	p = write_tmp(buf);
	dg_csv_opts_init(&o);
	dg_error_clear(&e);
	ck_assert_int_eq(dg_gens_read(&gs, p, &o, &e), DG_EDATA);
	unlink(p);
	if (col != NULL)
		ck_assert_str_eq(e.column, col);
	ck_assert_msg(strstr(e.msg, msg_part) != NULL, "message \"%s\"", e.msg);
}

START_TEST(test_read_errors)
{
	bad("A,G1,steam,300,1,1,1,1,1,1,1,1,1,1,0,0,1,\n", "kind",
	    "unknown kind");
	bad("A,G1,diesel,-300,1,1,1,1,1,1,1,1,1,1,0,0,1,\n", "capacity_kw",
	    "negative");
	bad("A,G1,diesel,300,1,1,,1,1,1,1,1,1,1,0,0,1,\n", "hr_75_btu_per_kwh",
	    "empty");
	bad("A,G1,diesel,300,1,1,0,1,1,1,1,1,1,1,0,0,1,\n", "hr_75_btu_per_kwh",
	    "positive");
	bad("A,L1,load,150,,,,,,,,1,4,,,,1,\n", "curtail_usd_per_mwh", "empty");
	bad("A,G1,diesel,300,1,1,1,1,1,1,1,0,1,1,0,0,1,\n", "min_run_h",
	    "integer from 1");
	bad("A,G1,diesel,300,1,1,1,1,1,1,1,1,1,1,0.1,,1,\n", "derate_base_f",
	    "base temperature");
	bad("A,G1,diesel,300,1,1,1,1,1,1,1,1,1,1,0,0,x,\n", "priority",
	    "integer");
	bad("A,G1,diesel,300,1,1,1,1,1,1,1,1,1,1,0,0,1,\n"
	    "A,G1,diesel,300,1,1,1,1,1,1,1,1,1,1,0,0,2,\n", "gen", "duplicate");
	bad("", NULL, "no generators");
}
END_TEST

START_TEST(test_missing_column)
{
	struct dg_gens gs;
	struct dg_error e;
	struct dg_csv_opts o;
	const char *p =
	    write_tmp("site,gen,kind,capacity_kw\nA,G1,diesel,300\n");

	dg_csv_opts_init(&o);
	ck_assert_int_eq(dg_gens_read(&gs, p, &o, &e), DG_EDATA);
	unlink(p);
	ck_assert_msg(strstr(e.msg, "hr_25_btu_per_kwh") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_bad_arguments)
{
	struct dg_unit_cost u[1];
	struct dg_site_cost sc;

	ck_assert_int_eq(dg_gencost_site(&turbine, 1, -2.385, 70, 0, u, &sc),
	    DG_EINVAL);
	ck_assert_int_eq(dg_gencost_site(&turbine, 1, NAN, 70, 0, u, &sc),
	    DG_EINVAL);
	ck_assert_int_eq(dg_gencost_site(&turbine, 1, 10, INFINITY, 0, u, &sc),
	    DG_EINVAL);
	/* zero load: nothing committed, nothing to pay */
	ck_assert_int_eq(dg_gencost_site(&turbine, 1, 0, 70, 0, u, &sc), DG_OK);
	ck_assert_int_eq(sc.nunits, 0);
	ck_assert_double_eq(sc.cost_usd_per_h, 0);
	/* a derating so steep that nothing is left: 0, not negative */
	{
		struct dg_gen g = turbine;

		g.derate_pct_per_f = 5;
		ck_assert_double_eq(dg_gencost_available(&g, 95), 0);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("gencost");
	TCase *core = tcase_create("core"), *lim = tcase_create("limits");
	SRunner *sr;
	int nf;

	tcase_add_test(core, test_heat_rate_interpolation);
	tcase_add_test(core, test_derating_95f);
	tcase_add_test(core, test_one_turbine_hot_afternoon);
	tcase_add_test(core, test_two_turbines_equal_and_merit);
	tcase_add_test(core, test_short_site);
	tcase_add_test(core, test_process_load_first);
	tcase_add_test(core, test_read_sorted);
	tcase_add_test(lim, test_read_errors);
	tcase_add_test(lim, test_missing_column);
	tcase_add_test(lim, test_bad_arguments);
	suite_add_tcase(s, core);
	suite_add_tcase(s, lim);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
