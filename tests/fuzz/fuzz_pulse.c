/* fuzz_pulse: dg-pulse2kwh's input path: pulse readings (site,time,pulses
 * with an optional tz column) read as the command reads them, grouped by
 * site and run through dg_pulse_site_run.  The site's meter (kWh per pulse,
 * counter bits, peak) and counts/counter mode come from the first byte. */
#include "fuzz.h"

static int
emit(void *arg, const struct dg_pulse_interval *iv)
{
	char q[128], e[DG_DEC_BUFSZ];

	(void)arg;
	dg_pulse_flags_format(iv->flags, q, sizeof(q));
	if (iv->known && (dg_dec_format(iv->energy_kwh, e, sizeof(e)) < 0 ||
	    dg_dec_format(iv->demand_kw, e, sizeof(e)) < 0))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	struct dg_pulse_params pp;
	struct dg_pulse_site ps;
	struct dg_pulse_stats stats;
	struct dg_csv *r = NULL;
	struct dg_error err = { 0 };
	struct dg_pulse_reading *buf = NULL;
	size_t n = 0, cap = 0;
	int c_site, c_time, c_pulses, c_zone;
	uint8_t b = size > 0 ? data[0] : 0;
	dg_time prev = INT64_MIN;
	char cur[64] = "";
	int st;

	fuzz_tz();
	dg_pulse_params_init(&pp);
	pp.counts = (b >> 4) & 1;
	pp.fill_linear = (b >> 5) & 1;
	memset(&stats, 0, sizeof(stats));
	ps.pulse_kwh = dg_dec_make(1 + (b >> 6), 1 + (b & 1));
	ps.counter_bits = (b & 2) ? 16 : 62;
	ps.peak_kw = (b & 4) ? 250.5 : 0;
	fuzz_opts(&data, &size, &o);
	o.max_field = DG_CSV_MAX_FIELD_DEFAULT;
	if (dg_csv_open(&r, fuzz_path(data, size), &o, &err) != DG_OK)
		return 0;
	if (dg_csv_require(r, "site", &c_site) != DG_OK ||
	    dg_csv_require(r, "time", &c_time) != DG_OK ||
	    dg_csv_require(r, "pulses", &c_pulses) != DG_OK)
		goto done;
	c_zone = dg_csv_col(r, "tz");
	for (;;) {
		struct dg_tstamp ts;
		int64_t count;
		const char *name;

		st = dg_csv_next(r);
		if (st != DG_OK && st != DG_EOF)
			break;
		name = st == DG_OK ? dg_csv_field(r, c_site, NULL) : NULL;
		if (n > 0 && (name == NULL || strncmp(name, cur, sizeof(cur) - 1) != 0)) {
			struct dg_pulse_bad bad = { 0, 0 };

			st = dg_pulse_site_run(&pp, &ps, buf, n, emit, NULL, &stats, &bad);
			if ((st == DG_EDATA || st == DG_ERANGE) &&
			    (bad.line <= 0 || bad.what == 0))
				abort();	/* a refusal always names a line and why */
			if (st != DG_OK)
				break;
			n = 0;
			prev = INT64_MIN;
		}
		if (name == NULL)
			break;
		snprintf(cur, sizeof(cur), "%s", name);
		if (dg_csv_get_time(r, c_time, &ts) != DG_OK ||
		    dg_csv_get_int(r, c_pulses, &count) != DG_OK || count < 0 ||
		    (!pp.counts && count >= ((int64_t)1 << ps.counter_bits)))
			break;
		if (n == cap) {
			size_t nc = cap ? 2 * cap : 64;
			struct dg_pulse_reading *nb = realloc(buf, nc * sizeof(*nb));

			if (nb == NULL)
				abort();
			buf = nb;
			cap = nc;
		}
		if (c_zone >= 0) {
			size_t zl;
			const char *z = dg_csv_field(r, c_zone, &zl);

			if (dg_tstamp_pick_abbr(&ts, z, zl, &buf[n].t) != DG_OK)
				break;
		} else
			buf[n].t = dg_tstamp_pick(&ts, prev);
		prev = buf[n].t;
		buf[n].count = count;
		buf[n].line = dg_csv_line(r);
		buf[n].flags = 0;
		n++;
	}
done:
	free(buf);
	dg_csv_close(r);
	return 0;
}
