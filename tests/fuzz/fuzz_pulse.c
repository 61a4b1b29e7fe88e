/* fuzz_pulse: dg-pulse2kwh's input path: pulse readings (site,time,pulses
 * with an optional tz column) read by the command's reader
 * (dg_pulse_input_next) and run through dg_pulse_input_run.  Every site
 * has the same meter (kWh per pulse, counter bits, peak), chosen with the
 * counts/counter mode by the first byte; the meter knows the first
 * NSITES names it is asked for. */
#include "fuzz.h"

#define NSITES 8

struct meters {
	char name[NSITES][64];
	size_t n;
	struct dg_pulse_site ps;
};

static long
meter(void *arg, const char *site, struct dg_pulse_site *ps)
{
	struct meters *m = arg;

	*ps = m->ps;
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->name[i], site) == 0)
			return (long)i;
	if (m->n == NSITES || strlen(site) >= sizeof(m->name[0]))
		return -1;
	snprintf(m->name[m->n], sizeof(m->name[0]), "%s", site);
	return (long)m->n++;
}

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
	struct dg_pulse_input_opts po;
	struct dg_pulse_stats stats;
	struct dg_pulse_input *in = NULL;
	struct dg_pulse_batch bt;
	struct meters m;
	struct dg_error err = { 0 };
	uint8_t b = size > 0 ? data[0] : 0;
	int st;

	fuzz_tz();
	dg_pulse_params_init(&pp);
	pp.counts = (b >> 4) & 1;
	pp.fill_linear = (b >> 5) & 1;
	memset(&stats, 0, sizeof(stats));
	memset(&m, 0, sizeof(m));
	m.ps.pulse_kwh = dg_dec_make(1 + (b >> 6), 1 + (b & 1));
	m.ps.counter_bits = (b & 2) ? 16 : 62;
	m.ps.peak_kw = (b & 4) ? 250.5 : 0;
	memset(&po, 0, sizeof(po));
	po.meter = meter;
	po.meter_arg = &m;
	po.nsites = NSITES;
	po.sites_name = "sites";
	po.counts = pp.counts;
	/* an odd size: rows taken as grouped after one reading (a site seen
	 * again later refused), an even one: every row sorted */
	po.sniff_bytes = (size & 1) ? 1 : 0;
	fuzz_opts(&data, &size, &o);
	o.max_field = DG_CSV_MAX_FIELD_DEFAULT;
	po.zone_col = (b & 8) ? "tz" : NULL;
	if (dg_pulse_input_open(&in, fuzz_path(data, size), &po, &o,
	    &err) == DG_OK)
		while ((st = dg_pulse_input_next(in, &bt)) == DG_OK) {
			st = dg_pulse_input_run(in, &pp, &bt, emit, NULL,
			    &stats);
			if ((st == DG_EDATA || st == DG_ERANGE) &&
			    err.line <= 0)
				abort();	/* a refusal always
						 * names a line */
			if (st != DG_OK)
				break;
		}
	dg_pulse_input_close(in);
	return 0;
}
