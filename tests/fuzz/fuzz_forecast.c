/* fuzz_forecast: dg-forecast's model file (dg_fc_models_read); every
 * equation read is evaluated.  The weather and load series go through the
 * series reader (fuzz_series). */
#include "fuzz.h"
#include "dg_forecast.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_error err = { 0 };
	struct dg_fc_model *ms = NULL;
	size_t nm = 0;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	if (dg_fc_models_read(&ms, &nm, fuzz_path(data, size), &o,
	    &err) == DG_OK) {
		dg_time t0;

		if (dg_date_start(dg_date_from_ymd(2017, 7, 1), &t0) != DG_OK)
			abort();
		/* hours from a Saturday to a Monday */
		for (size_t i = 0; i < nm; i++)
			for (int h = 0; h < 24 * 3; h++) {
				const struct dg_fc_eq *e =
				    dg_fc_model_eq(&ms[i], t0 + 3600 * h, NULL);

				if (e != NULL)
					(void)dg_fc_eq_eval(e, 88.5, 61.25);
			}
		dg_fc_models_free(ms, nm);
	}
	return 0;
}
