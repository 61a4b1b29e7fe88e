/* fuzz_cbl: the inputs of dg-cbl and dg-ucap besides the load series
 * (fuzz_series covers that): the events file as they use it
 * (dg_events_read, dg_cbl_event_of, dg_events_select) and the holidays file
 * (dg_holidays_read), selected by bit 4 of the first byte. */
#include "fuzz.h"
#include "dg_cbl.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_error err = { 0 };
	uint8_t b = size > 0 ? data[0] : 0;
	const char *path;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	path = fuzz_path(data, size);
	if (b & 0x10) {
		struct dg_holidays h;

		dg_holidays_init(&h, (b >> 5) & 1);
		if (dg_holidays_read(&h, path, &o, &err) == DG_OK)
			(void)dg_holidays_contains(&h,
			    dg_date_from_ymd(2017, 7, 4));
		dg_holidays_release(&h);
	} else {
		struct dg_events es;

		if (dg_events_read(&es, path, &o, &err) == DG_OK) {
			int whole = dg_events_whole_hours(&es, &err) == DG_OK;

			for (size_t i = 0; i < es.n; i++) {
				struct dg_cbl_event ev;

				if (es.v[i].start >= es.v[i].end)
					abort();	/* an event ends
							 * after it starts */
				/* every event of a file that passed the check
				 * has its whole hours */
				if (whole &&
				    dg_cbl_event_of(&es.v[i], &ev) != DG_OK)
					abort();
				(void)dg_event_applies(&es.v[i], "S001");
			}
			if (dg_events_select(&es, dg_date_from_ymd(2017, 7, 1),
			    dg_date_from_ymd(2017, 7, 31)) != (size_t)-1)
				for (size_t i = 0; i < es.n; i++)
					if (es.v[i].date <
					    dg_date_from_ymd(2017, 7, 1) ||
					    es.v[i].date >
					    dg_date_from_ymd(2017, 7, 31))
						abort();
			dg_events_release(&es);
		}
	}
	return 0;
}
