/* fuzz_time: the time and date parsers (dg_time_parse with and without
 * naive stamps, dg_date_parse), the repeated-hour pick, and formatting of
 * what was parsed: a parsed stamp formats and parses back to itself. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_tstamp ts;
	const char *why = NULL;
	char *s, buf[DG_TIME_BUFSZ];
	dg_date d;

	fuzz_tz();
	s = fuzz_str(data, size);
	for (int naive = 0; naive <= 1; naive++) {
		if (dg_time_parse(s, size, naive, &ts, &why) == DG_OK) {
			dg_time t = dg_tstamp_pick(&ts, ts.t - 1);
			struct dg_tstamp back;
			dg_time o;

			(void)dg_tstamp_pick_abbr(&ts, "EDT", 3, &o);
			(void)dg_tstamp_pick_abbr(&ts, ts.abbr2,
			    strlen(ts.abbr2), &o);
			/* From 1900 on: before 1883-11-18 New York kept local
			 * mean time, -04:56:02, which a stamp cannot write. */
			if (t >= -2208988800LL &&
			    dg_time_format(t, buf, sizeof(buf)) > 0) {
				if (dg_time_parse(buf, strlen(buf), 0, &back,
				    &why) != DG_OK || back.t != t)
					abort();	/* format/parse round
							 * trip */
			}
			(void)dg_time_hour_index(t);
			(void)dg_date_of(t);
		} else if (why == NULL) {
			abort();	/* a failure always says why */
		}
	}
	if (dg_date_parse(s, size, &d) == DG_OK) {
		int y, m, md;
		dg_time t0;

		dg_date_to_ymd(d, &y, &m, &md);
		if (dg_date_from_ymd(y, m, md) != d)
			abort();
		(void)dg_date_hours(d);
		(void)dg_date_start(d, &t0);
		(void)dg_date_format(d, buf, sizeof(buf));
		(void)dg_cal_nerc_holiday(d);
		(void)dg_cal_capability_period(d);
	}
	free(s);
	return 0;
}
