/* fuzz_csvdiff: the reader's plain-line path against libcsv.  Each input is
 * read twice, once with every line through libcsv (libcsv_only) and once
 * as the commands read it; any difference in rows, fields, lines, blank
 * lines or errors aborts. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	char *a, *b;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	if (size == 0)
		return 0;
	o.libcsv_only = 1;
	a = fuzz_csv_dump(data, size, &o);
	o.libcsv_only = 0;
	b = fuzz_csv_dump(data, size, &o);
	if (strcmp(a, b) != 0) {
		fprintf(stderr, "libcsv:\n%s\nplain-line path:\n%s\n", a, b);
		abort();
	}
	free(a);
	free(b);
	return 0;
}
