/* dgagg.h: the whole of libdgagg's installed interface: every public
 * header (the ones `make install` puts in include/dgagg/), and the
 * library's version.  Headers private to the library and its tests
 * (lib/local.mk lists them under EXTRA_DIST) are not among them;
 * scripts/check-style checks that this list is whole. */
#ifndef DGAGG_H
#define DGAGG_H

#include "dg_status.h"
#include "dg_dec.h"
#include "dg_rat.h"
#include "dg_time.h"
#include "dg_cal.h"
#include "dg_zones.h"
#include "dg_csv.h"
#include "dg_pass.h"
#include "dg_quality.h"
#include "dg_sites.h"
#include "dg_events.h"
#include "dg_series.h"
#include "dg_import.h"
#include "dg_pulse.h"
#include "dg_weather.h"
#include "dg_forecast.h"
#include "dg_gencost.h"
#include "dg_blockopt.h"
#include "dg_bid.h"
#include "dg_schedule.h"
#include "dg_cbl.h"
#include "dg_ucap.h"
#include "dg_acl.h"
#include "dg_capacity.h"
#include "dg_settle.h"
#include "dg_manifest.h"
#include "dg_fetch.h"
#include "dg_fetch_stream.h"
#include "dg_fetch_cache.h"
#include "dg_fetch_http.h"
#include "dg_http.h"
#include "dg_econ.h"
#include "dg_peakhunt.h"
#include "dg_ledger.h"
#include "dg_intake.h"
#include "dg_openadr.h"
#include "dg_notify.h"
#include "dg_track.h"
#include "dg_health.h"
#include "dg_plot.h"
#include "dg_html.h"

#ifdef __cplusplus
extern "C" {
#endif
/* The library's version, "MAJOR.MINOR.PATCH". */
const char *dg_version(void);
#ifdef __cplusplus
}
#endif
#endif
