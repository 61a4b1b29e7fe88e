/* fuzz_sites: sites.csv as every command reads it (dg_sites_read, then
 * dg_sites_need for every column and dg_sites_find of every site). */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_sites ss;
	struct dg_error err = { 0 };

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	memset(&ss, 0, sizeof(ss));
	if (dg_sites_read(&ss, fuzz_path(data, size), &o, &err) == DG_OK) {
		for (unsigned m = 1; m <= DG_SITE_CMD; m <<= 1)
			(void)dg_sites_need(&ss, m, &err);
		for (size_t i = 0; i < ss.n; i++) {
			if (dg_sites_find(&ss, ss.v[i].site) == NULL)
				abort();
			(void)dg_site_in_program(&ss.v[i], "SCR");
		}
		dg_sites_release(&ss);
	}
	return 0;
}
