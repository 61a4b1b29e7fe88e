/* check_zones.c: the zone names people type, resolved to the names the
 * markets' files write.  Names and PTIDs as NYISO's damlbmp_zone files
 * write them (testdata/fetch/20170719damlbmp_zone.csv); the letters I, J,
 * K as the source report names them. */
#include <config.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_status.h"
#include "dg_zones.h"

static const char *
resolve(const char *market, const char *name)
{
	const char *z = NULL;

	ck_assert_int_eq(dg_zone_resolve(market, name, &z), DG_OK);
	return z;
}

START_TEST(nyiso)
{
	const char *z;

	/* as the files write them, and as people type them */
	ck_assert_str_eq(resolve("NYISO", "N.Y.C."), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "NYC"), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "nyc"), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "J"), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "Zone J"), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "61761"), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "New York City"), "N.Y.C.");
	ck_assert_str_eq(resolve("NYISO", "LI"), "LONGIL");
	ck_assert_str_eq(resolve("NYISO", "Long Island"), "LONGIL");
	ck_assert_str_eq(resolve("NYISO", "k"), "LONGIL");
	ck_assert_str_eq(resolve("NYISO", "I"), "DUNWOD");
	ck_assert_str_eq(resolve("NYISO", "Hud Vl"), "HUD VL");	/* isolf */
	ck_assert_str_eq(resolve("NYISO", "HUDVL"), "HUD VL");
	ck_assert_str_eq(resolve("NYISO", "Mohawk Valley"), "MHK VL");
	ck_assert_str_eq(resolve("NYISO", "MHK VL"), "MHK VL");
	ck_assert_str_eq(resolve("NYISO", "HQ"), "H Q");
	ck_assert_str_eq(resolve("NYISO", "61847"), "PJM");
	ck_assert_str_eq(resolve("nyiso", "Nyiso"), "NYISO");
	ck_assert_str_eq(resolve("NYISO", "N.Y.C._LONGIL"), "N.Y.C._LONGIL");
	/* every NYISO zone is known: anything else is refused */
	ck_assert_int_eq(dg_zone_resolve("NYISO", "NYCC", &z), DG_EINVAL);
	ck_assert_str_eq(z, "NYCC");
	ck_assert_int_eq(dg_zone_resolve("NYISO", "L", &z), DG_EINVAL);
	ck_assert_int_eq(dg_zone_resolve("NYISO", "61763", &z), DG_EINVAL);
	ck_assert_int_eq(dg_zone_resolve("NYISO", "", &z), DG_EINVAL);
	ck_assert_int_eq(dg_zone_resolve("NYISO", "...", &z), DG_EINVAL);
	ck_assert_int_eq(dg_zone_resolve("NYISO", "Zone", &z), DG_EINVAL);
	ck_assert(dg_zone_closed("NYISO"));
	ck_assert(!dg_zone_closed("PJM"));
}
END_TEST

START_TEST(others)
{
	const char *z;

	/* PJM hubs by name in any case and by pnode id */
	ck_assert_str_eq(resolve("PJM", "western hub"), "WESTERN HUB");
	ck_assert_str_eq(resolve("PJM", "51217"), "EASTERN HUB");
	ck_assert_str_eq(resolve("PJM", "aep dayton hub"), "AEP-DAYTON HUB");
	/* other nodes pass through as written */
	ck_assert_str_eq(resolve("PJM", "PSEG"), "PSEG");
	ck_assert_str_eq(resolve("MISO", "illinois hub"), "ILLINOIS.HUB");
	ck_assert_str_eq(resolve("MISO", "AECI.ALTW"), "AECI.ALTW");
	ck_assert_str_eq(resolve("ERCOT", "hb houston"), "HB_HOUSTON");
	ck_assert_str_eq(resolve("CAISO", "NP15"), "TH_NP15_GEN-APND");
	ck_assert_str_eq(resolve("CAISO", "ADCC_2_N001"), "ADCC_2_N001");
	/* no market (weather stations), or one not in the table */
	ck_assert_int_eq(dg_zone_resolve(NULL, "KCNK", &z), DG_OK);
	ck_assert_str_eq(z, "KCNK");
	ck_assert_str_eq(resolve("SPP", "NYC"), "NYC");
}
END_TEST

/* Every name, letter and PTID the list shows resolves to its own zone:
 * no two entries share a key. */
START_TEST(list)
{
	char buf[4096], small[40], *p, *save = NULL;
	int n = dg_zone_list("NYISO", buf, sizeof(buf));
	int k = 0;

	ck_assert_int_eq(n, (int)strlen(buf));
	ck_assert_int_eq(strncmp(buf, "WEST (A, 61752), GENESE (B, 61753), "
	    "CENTRL (C, 61754), ", 55), 0);
	ck_assert_ptr_nonnull(strstr(buf, "N.Y.C. (J, 61761), "
	    "LONGIL (K, 61762), H Q (61844), NPX (61845), O H (61846), "
	    "PJM (61847), NYISO, N.Y.C._LONGIL"));
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		char name[64], code[8], id[16];

		while (*p == ' ')
			p++;
		if (sscanf(p, "%63[^(] (%7[A-K]", name, code) == 2) {
			name[strlen(name) - 1] = '\0';
			ck_assert_str_eq(resolve("NYISO", code), name);
			p = strtok_r(NULL, ",", &save);
			ck_assert_int_eq(sscanf(p, " %15[0-9])", id), 1);
			ck_assert_str_eq(resolve("NYISO", id), name);
		} else if (sscanf(p, "%63[^(] (%15[0-9])", name, id) == 2) {
			name[strlen(name) - 1] = '\0';
			ck_assert_str_eq(resolve("NYISO", id), name);
		} else
			snprintf(name, sizeof(name), "%s", p);
		ck_assert_str_eq(resolve("NYISO", name), name);
		k++;
	}
	ck_assert_int_eq(k, 17);
	/* cut to the buffer, the length needed returned */
	ck_assert_int_eq(dg_zone_list("NYISO", small, sizeof(small)), n);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_int_eq(dg_zone_list("SPP", small, sizeof(small)), 0);
	ck_assert_str_eq(small, "");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("zones");
	TCase *core = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(core, nyiso);
	tcase_add_test(core, others);
	tcase_add_test(core, list);
	suite_add_tcase(s, core);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
