/* fuzz_csv: the CSV reader (dg_csv_open_fp on fmemopen), every row and every
 * typed getter on every field. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_csv *r = NULL;
	struct dg_error err = { 0 };
	FILE *fp;
	char *buf;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	if (size == 0)
		return 0;
	buf = fuzz_str(data, size);	/* fmemopen wants a
					 * writable-ish buffer */
	if ((fp = fmemopen(buf, size, "r")) == NULL)
		abort();
	if (dg_csv_open_fp(&r, fp, "fuzz.csv", &o, &err) == DG_OK) {
		size_t nc = dg_csv_ncols(r);
		int idx;

		for (size_t i = 0; i < nc; i++)
			if (dg_csv_col(r, dg_csv_colname(r, i)) < 0)
				abort();	/* a header name
						 * must be found */
		(void)dg_csv_require(r, "time", &idx);
		while (dg_csv_next(r) == DG_OK) {
			size_t nf = dg_csv_nfields(r);

			for (size_t i = 0; i <= nf; i++) {
				size_t len;
				const char *f = dg_csv_field(r, (int)i, &len);
				dg_dec d;
				double x;
				int64_t n;
				struct dg_tstamp ts;
				dg_date day;

				if (strlen(f) > len)
					abort();
				(void)dg_csv_is_empty(r, (int)i);
				(void)dg_csv_get_dec(r, (int)i, &d);
				(void)dg_csv_get_double(r, (int)i, &x);
				(void)dg_csv_get_int(r, (int)i, &n);
				(void)dg_csv_get_time(r, (int)i, &ts);
				(void)dg_csv_get_date(r, (int)i, &day);
			}
			(void)dg_csv_line(r);
			(void)dg_csv_fail(r, 0, DG_EDATA, "row %ld",
			    dg_csv_rows(r));
		}
		(void)dg_csv_blank_lines(r);
		dg_csv_close(r);
	}
	fclose(fp);
	free(buf);
	return 0;
}
