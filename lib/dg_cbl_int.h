/* dg_cbl_int.h: the steps of dg_cbl (dg_cbl.h) that its tests check one
 * by one; private to the library and its tests (not installed). */
#ifndef DG_CBL_INT_H
#define DG_CBL_INT_H

#include "dg_cbl.h"

/* Caches the calendar of dates [a, b]: DG_ERANGE when that would span
 * more than DG_CBL_CAL_DAYS, DG_ENOMEM. */
int dg_cbl_cal_cover(struct dg_cbl_cal *c, dg_date a, dg_date b);

/* Clock hour h (0-23) of date d: the mean of the hours starting at that
 * clock hour (two on a fall-back day: exact with one more decimal): 1; 0
 * when absent (02:00 of a spring-forward day); -1 when too large. */
int dg_cbl_load_clock(const struct dg_cbl_load *l, const struct dg_cbl_cal *c,
    dg_date d, int h, dg_dec *kw);

/* The window offset of a program: dadrp_offset for "DADRP", else offset. */
int dg_cbl_event_offset(const struct dg_cbl_params *p, const char *program);

#endif
