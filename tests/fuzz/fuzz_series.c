/* fuzz_series: the per-site series reader as dg-cbl, dg-ucap and dg-forecast
 * use it (site,time,load_kw; hourly integration of sub-hourly input, as a
 * mean or a sum; the optional EDT/EST zone column).  Every point of every
 * site is looked up again with dg_series_find. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_series_opts so;
	struct dg_series_reader *sr = NULL;
	struct dg_series s;
	struct dg_error err = { 0 };
	uint8_t b = size > 0 ? data[0] >> 5 : 0;	/* bits 5-7 */

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	memset(&so, 0, sizeof(so));
	memset(&s, 0, sizeof(s));
	so.value_col = "load_kw";
	so.hourly = b & 1;
	so.sum = (b >> 1) & 1;
	if (b & 4)
		so.zone_col = "tz";
	if (dg_series_open(&sr, fuzz_path(data, size), &so, &o, &err) != DG_OK)
		return 0;
	while (dg_series_next(sr, &s) == DG_OK) {
		for (size_t i = 0; i < s.n; i++)
			if (dg_series_find(&s, s.p[i].t) < 0)
				abort();
	}
	dg_series_release(&s);
	dg_series_close(sr);
	return 0;
}
