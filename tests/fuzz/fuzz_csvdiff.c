/* fuzz_csvdiff: the reader's plain-line path against libcsv.  Each input is
 * read twice, once with every line through libcsv (libcsv_only) and once
 * as the commands read it; any difference in rows, fields, lines, blank
 * lines or errors aborts. */
#include "fuzz.h"

/* Appends what a reading of data gives to out (a growing string). */
static char *
read_all(const uint8_t *data, size_t size, const struct dg_csv_opts *o0,
    int libcsv_only, size_t *outlen)
{
	struct dg_csv_opts o = *o0;
	struct dg_csv *r = NULL;
	struct dg_error err = { 0 };
	char *out = NULL;
	size_t cap = 0;
	FILE *fp, *mem;
	int st;

	o.libcsv_only = libcsv_only;
	if ((mem = open_memstream(&out, &cap)) == NULL)
		abort();
	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		abort();
	st = dg_csv_open_fp(&r, fp, "fuzz.csv", &o, &err);
	fprintf(mem, "open %d %ld %s\n", st, err.line, err.msg);
	if (st == DG_OK) {
		for (size_t i = 0; i < dg_csv_ncols(r); i++)
			fprintf(mem, "<%s>", dg_csv_colname(r, i));
		for (;;) {
			dg_error_clear(&err);
			st = dg_csv_next(r);
			fprintf(mem, "\n%d@%ld %ld %s:", st, dg_csv_line(r),
			    err.line, err.msg);
			for (size_t i = 0; i < dg_csv_nfields(r); i++)
				fprintf(mem, "[%s]", dg_csv_field(r, (int)i, NULL));
			if (st != DG_OK && strncmp(err.msg, "expected", 8) != 0)
				break;
		}
		fprintf(mem, "\nrows %ld blank %ld\n", dg_csv_rows(r),
		    dg_csv_blank_lines(r));
		dg_csv_close(r);
	}
	fclose(fp);
	fclose(mem);
	*outlen = cap;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	char *a, *b;
	size_t na, nb;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	if (size == 0)
		return 0;
	a = read_all(data, size, &o, 1, &na);
	b = read_all(data, size, &o, 0, &nb);
	if (na != nb || memcmp(a, b, na) != 0) {
		fprintf(stderr, "libcsv:\n%s\nplain-line path:\n%s\n", a, b);
		abort();
	}
	free(a);
	free(b);
	return 0;
}
