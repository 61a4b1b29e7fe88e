/* check_manifest.c: unit tests of lib/dg_manifest (the record of a run). */
#include <config.h>

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dgagg.h"
#include "dg_manifest.h"

static char tmpdir[] = "/tmp/check_manifest.XXXXXX";
static struct dg_csv_opts co;

static void
put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Written in a sub-directory, read back: every row, the directory of the
 * run relative to the manifest (".."), the hashes (SHA-256 of "abc" is
 * FIPS 180-4's example), an input changed afterwards found by
 * dg_manifest_check_inputs. */
START_TEST(write_read)
{
	static char *argv[] = { "dg-x", "pay", "--programs", "p.csv", "-o",
	    "out.csv", "in.csv" };
	struct dg_manifest m, r;
	struct dg_error err;
	char base[PATH_MAX], hex[DG_MANIFEST_HEX];
	long long bytes;
	size_t bad;
	FILE *fp;

	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(mkdir("sub", 0777), 0);
	put("in.csv", "abc");
	put("p.csv", "x\n");
	put(".out.tmp", "result\n");
	ck_assert_int_eq(dg_manifest_init(&m, "dg-x", "1.2"), DG_OK);
	ck_assert_int_eq(dg_manifest_args(&m, 7, argv), DG_OK);
	ck_assert_int_eq(dg_manifest_input(&m, "input", "in.csv"), DG_OK);
	ck_assert_int_eq(dg_manifest_input(&m, "programs", "p.csv"), DG_OK);
	ck_assert_int_eq(dg_manifest_input(&m, "none", NULL), DG_OK);
	ck_assert_int_eq(dg_manifest_output(&m, "output", "out.csv",
	    ".out.tmp"), DG_OK);
	ck_assert_ptr_nonnull(fp = fopen("sub/m.csv", "w"));
	ck_assert_int_eq(dg_manifest_write(&m, fp, "sub/m.csv", &err), DG_OK);
	fclose(fp);
	dg_manifest_release(&m);

	ck_assert_int_eq(dg_manifest_read(&r, "sub/m.csv", &co, &err), DG_OK);
	ck_assert_int_eq(r.format, 1);
	ck_assert_str_eq(r.program, "dg-x");
	ck_assert_str_eq(r.version, "1.2");
	ck_assert_str_eq(r.dir, "..");
	ck_assert_uint_eq(r.nargs, 6);
	ck_assert_str_eq(r.args[0], "pay");
	ck_assert_str_eq(r.args[5], "in.csv");
	ck_assert_uint_eq(r.nin, 2);
	ck_assert_str_eq(r.in[0].role, "input");
	ck_assert_str_eq(r.in[0].path, "in.csv");
	ck_assert_str_eq(r.in[0].sha256,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(r.in[0].bytes, 3);
	ck_assert_uint_eq(r.nout, 1);
	ck_assert_str_eq(r.out[0].path, "out.csv");
	ck_assert_int_eq(r.out[0].bytes, 7);
	ck_assert_ptr_nonnull(dg_manifest_find_input(&r, "programs", "p.csv"));
	ck_assert_ptr_null(dg_manifest_find_input(&r, "programs", "in.csv"));
	ck_assert_int_eq(dg_manifest_base(&r, "sub/m.csv", base, sizeof(base)),
	    DG_OK);
	ck_assert_str_eq(base, "sub/..");
	ck_assert_int_eq(dg_manifest_check_inputs(&r, base, &bad, hex, &bytes,
	    &err), DG_OK);
	put("p.csv", "y\n");
	ck_assert_int_eq(dg_manifest_check_inputs(&r, base, &bad, hex, &bytes,
	    &err), DG_EOF);
	ck_assert_uint_eq(bad, 1);
	ck_assert_int_eq(bytes, 2);
	unlink("p.csv");
	ck_assert_int_eq(dg_manifest_check_inputs(&r, base, &bad, hex, &bytes,
	    &err), DG_EOF);
	ck_assert_str_eq(hex, "");
	dg_manifest_release(&r);
}
END_TEST

/* A manifest of the first format (role,path,,sha256,bytes) is read; a
 * bad row is an error at its line and column. */
START_TEST(read_old_and_bad)
{
	struct dg_manifest r;
	struct dg_error err;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/old.csv", tmpdir);
	put(path, "item,name,value,sha256,bytes\n"
	    "program,dg-settle,0.9,,\ntz,zone,America/New_York,,\n"
	    "arg,1,pay,,\n"
	    "input,cbl.csv,,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,3\n"
	    "rt-prices,/p/rt.csv,,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,3\n"
	    "output,pay.csv,,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,3\n");
	ck_assert_int_eq(dg_manifest_read(&r, path, &co, &err), DG_OK);
	ck_assert_int_eq(r.format, 0);
	ck_assert_str_eq(r.dir, ".");
	ck_assert_uint_eq(r.nin, 2);
	ck_assert_str_eq(r.in[1].role, "rt-prices");
	ck_assert_str_eq(r.in[1].path, "/p/rt.csv");
	ck_assert_uint_eq(r.nout, 1);
	ck_assert_str_eq(r.out[0].role, "output");
	ck_assert_str_eq(r.out[0].path, "pay.csv");
	dg_manifest_release(&r);
	put(path, "item,name,value,sha256,bytes\nformat,dg-manifest,1,,\n"
	    "program,dg-settle,1,,\ninput,input,a.csv,abc,3\n");
	ck_assert_int_eq(dg_manifest_read(&r, path, &co, &err), DG_EDATA);
	ck_assert_int_eq(err.line, 4);
	ck_assert_str_eq(err.column, "sha256");
	put(path, "item,name,value,sha256,bytes\nformat,dg-manifest,2,,\n");
	ck_assert_int_eq(dg_manifest_read(&r, path, &co, &err), DG_EDATA);
	ck_assert_int_eq(err.line, 2);
	put(path, "item,name,value,sha256,bytes\nformat,dg-manifest,1,,\n");
	ck_assert_int_eq(dg_manifest_read(&r, path, &co, &err), DG_EDATA);
	ck_assert_str_eq(err.msg, "no program row: not a manifest");
}
END_TEST

/* The first differing line of two files. */
START_TEST(first_diff)
{
	struct dg_error err;
	char a[PATH_MAX], b[PATH_MAX], la[64], lb[64];
	long line;

	snprintf(a, sizeof(a), "%s/a.txt", tmpdir);
	snprintf(b, sizeof(b), "%s/b.txt", tmpdir);
	put(a, "h\n1\n2\n3\n");
	put(b, "h\n1\n2\n3\n");
	ck_assert_int_eq(dg_manifest_first_diff(a, b, &line, la, sizeof(la), lb,
	    sizeof(lb), &err), DG_OK);
	put(b, "h\n1\n2.5\n3\n");
	ck_assert_int_eq(dg_manifest_first_diff(a, b, &line, la, sizeof(la), lb,
	    sizeof(lb), &err), DG_EOF);
	ck_assert_int_eq(line, 3);
	ck_assert_str_eq(la, "2");
	ck_assert_str_eq(lb, "2.5");
	put(b, "h\n1\n2\n");
	ck_assert_int_eq(dg_manifest_first_diff(a, b, &line, la, sizeof(la), lb,
	    sizeof(lb), &err), DG_EOF);
	ck_assert_int_eq(line, 4);
	ck_assert_str_eq(la, "3");
	ck_assert_str_eq(lb, "");
	put(b, "h\r\n1\n2\n3\n");	/* the same text, another line end */
	ck_assert_int_eq(dg_manifest_first_diff(a, b, &line, la, sizeof(la), lb,
	    sizeof(lb), &err), DG_EOF);
	ck_assert_int_eq(line, 1);
}
END_TEST

/* What changed between two sets of runs: inputs by role and path; an
 * input that is another run's output is left out. */
START_TEST(changes)
{
	struct dg_manifest o[2], n[2];
	struct dg_manifest_change *ch;
	size_t nch;

	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(dg_manifest_init(&o[i], "dg-x", "1"), DG_OK);
		ck_assert_int_eq(dg_manifest_init(&n[i], "dg-x", "1"), DG_OK);
	}
	/* step 1 reads prices and sites, writes pay.csv; step 2 reads it */
	dg_manifest_input(&o[0], "rt-prices", "/p/rt.csv");
	dg_manifest_input(&o[0], "sites", "/p/sites.csv");
	dg_manifest_input(&o[0], "offers", "/p/old-offers.csv");
	dg_manifest_output(&o[0], "output", "pay.csv", NULL);
	dg_manifest_input(&o[1], "input", "pay.csv");
	dg_manifest_input(&n[0], "rt-prices", "/p/rt.csv");
	dg_manifest_input(&n[0], "sites", "/p/sites.csv");
	dg_manifest_input(&n[0], "apmd", "/p/apmd.csv");
	dg_manifest_output(&n[0], "output", "pay.csv", NULL);
	dg_manifest_input(&n[1], "input", "pay.csv");
	snprintf(o[0].in[0].sha256, DG_MANIFEST_HEX, "%064d", 1);
	snprintf(n[0].in[0].sha256, DG_MANIFEST_HEX, "%064d", 2);
	snprintf(o[0].in[1].sha256, DG_MANIFEST_HEX, "%064d", 3);
	snprintf(n[0].in[1].sha256, DG_MANIFEST_HEX, "%064d", 3);
	snprintf(o[1].in[0].sha256, DG_MANIFEST_HEX, "%064d", 4);
	snprintf(n[1].in[0].sha256, DG_MANIFEST_HEX, "%064d", 5);
	ck_assert_int_eq(dg_manifest_changes(o, 2, n, 2, &ch, &nch), DG_OK);
	ck_assert_uint_eq(nch, 3);
	ck_assert_str_eq(ch[0].role, "rt-prices");	/* changed */
	ck_assert_ptr_nonnull(ch[0].old_sha256);
	ck_assert_ptr_nonnull(ch[0].new_sha256);
	ck_assert_str_eq(ch[1].path, "/p/apmd.csv");	/* added */
	ck_assert_ptr_null(ch[1].old_sha256);
	ck_assert_str_eq(ch[2].path, "/p/old-offers.csv");	/* removed */
	ck_assert_ptr_null(ch[2].new_sha256);
	free(ch);
	for (int i = 0; i < 2; i++) {
		dg_manifest_release(&o[i]);
		dg_manifest_release(&n[i]);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;
	char cmd[PATH_MAX + 16];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	dg_tz_set("America/New_York");
	dg_csv_opts_init(&co);
	tcase_add_test(tc, write_read);
	tcase_add_test(tc, read_old_and_bad);
	tcase_add_test(tc, first_diff);
	tcase_add_test(tc, changes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (chdir("/") != 0 || system(cmd) != 0)
		nf++;
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
