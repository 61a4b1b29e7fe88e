/* fuzz_settle: dg-settle's input files, the reader chosen by bits 4-6 of
 * the first byte: prices (NYISO native, normalized, with duration_s),
 * programs, events, offers, APMD, contracts, manifests (read only: the
 * files a manifest names are not opened).  Everything read is looked up
 * again. */
#include "fuzz.h"
#include "dg_manifest.h"
#include "dg_settle.h"

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
	switch ((b >> 4) & 7) {
	case 0: case 1: {
		struct dg_settle_prices *p = NULL;
		struct dg_settle_price_opts po;

		dg_settle_price_opts_init(&po);
		po.stamp_end = (b >> 4) & 1;
		if (dg_settle_prices_alloc(&p) != DG_OK)
			abort();
		if (dg_settle_prices_read(p, path, &o, &po, &err) == DG_OK) {
			for (size_t z = 0; z < dg_settle_prices_nzones(p);
			    z++) {
				const char *zn = dg_settle_prices_zone(p, z);
				size_t nh = dg_settle_prices_nhours(p, z);

				for (size_t i = 0; i < nh; i++) {
					dg_time t;
					dg_dec v;
					int cov;

					if (dg_settle_prices_hour(p, z, i, &t,
					    &v, &cov) == DG_OK) {
						(void)dg_settle_prices_get(p,
						    zn, t, &v);
						(void)dg_settle_prices_cover(p,
						    zn, t);
					}
				}
			}
		}
		dg_settle_prices_free(p);
		break;
	}
	case 2: {
		struct dg_settle_programs ps;

		memset(&ps, 0, sizeof(ps));
		if (dg_settle_programs_read(&ps, path, &o, &err) == DG_OK) {
			for (size_t i = 0; i < ps.n; i++)
				(void)dg_settle_programs_known(&ps,
				    ps.v[i].name);
			dg_settle_programs_release(&ps);
		}
		break;
	}
	case 3: {
		struct dg_events es;

		memset(&es, 0, sizeof(es));
		if (dg_events_read(&es, path, &o, &err) == DG_OK) {
			for (size_t i = 0; i < es.n; i++)
				if (dg_events_find(&es, es.v[i].id) == NULL)
					abort();
			dg_events_release(&es);
		}
		break;
	}
	case 7: {
		struct dg_manifest m;

		if (dg_manifest_read(&m, path, &o, &err) == DG_OK) {
			for (size_t i = 0; i < m.nin; i++)
				if (dg_manifest_find_input(&m, m.in[i].role,
				    m.in[i].path) == NULL)
					abort();
			dg_manifest_release(&m);
		}
		break;
	}
	default: {
		struct dg_settle_table t;
		int st;

		memset(&t, 0, sizeof(t));
		switch ((b >> 4) & 7) {
		case 4: st = dg_settle_offers_read(&t, path, &o, &err); break;
		case 5: st = dg_settle_apmd_read(&t, path, &o, &err); break;
		default: st = dg_settle_contracts_read(&t, path, &o, &err);
		    break;
		}
		if (st == DG_OK) {
			for (size_t i = 0; i < t.n; i++)
				(void)dg_settle_table_find(&t, t.v[i].site,
				    NULL);
			dg_settle_table_release(&t);
		}
		break;
	}
	}
	return 0;
}
