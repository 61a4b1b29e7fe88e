/* dgagg.h: the whole of libdgagg. */
#ifndef DGAGG_H
#define DGAGG_H

#include "dg_status.h"
#include "dg_dec.h"
#include "dg_time.h"
#include "dg_cal.h"
#include "dg_csv.h"
#include "dg_pulse.h"
#include "dg_sites.h"
#include "dg_series.h"

#ifdef __cplusplus
extern "C" {
#endif
/* The library's version, "MAJOR.MINOR.PATCH". */
const char *dg_version(void);
#ifdef __cplusplus
}
#endif
#endif
