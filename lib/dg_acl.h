/* dg_acl.h: the Average Coincident Load of NYISO special case resources
 * (doc/market-rules.md, Average Coincident Load).
 *
 *   The load zone's peak hours of a capability period: the top hours (40)
 *   of the zone's hourly load in the prior equivalent capability period
 *   (the same season lag years before), counting only the hours beginning
 *   hb_lo to hb_hi local clock time (11-19 for the periods from Summer
 *   2014, 13-18 before).  ACL = the mean of the resource's metered load
 *   in those hours.
 *
 * The zone's loads are NYISO's integrated actual loads (palIntegrated,
 * read by dg_fetch's reader, or dg-fetch's output), one array per zone;
 * the hours are local clock hours of the process zone, so that a DST day
 * has its hours beginning 11 to 19 like any other.  The ACL itself is an
 * exact rational (dg_rat.h). */
#ifndef DG_ACL_H
#define DG_ACL_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_rat.h"
#include "dg_series.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_ACL_TOP 40		/* the peak hours of a period */
#define DG_ACL_TOP_MAX 400	/* --acl-top at most */

/* Two loads of one zone and hour (NYISO's palIntegrated files of 2002-03
 * repeat hours: a copy of 0, or a copy of the next hour's load). */
enum {
	DG_ACL_DUP_FIRST,	/* the first copy in file order that is not 0 */
	DG_ACL_DUP_MAX,		/* the larger */
	DG_ACL_DUP_REFUSE	/* an error */
};

struct dg_acl_params {
	int top;		/* the peak hours counted (40) */
	int hb_lo, hb_hi;	/* hours beginning counted; hb_lo < 0: by
				 * the period (11-19 from Summer 2014) */
	int lag;		/* the prior period this many years back (1) */
	int weekdays;		/* Monday to Friday only */
	int partial;		/* months without load: top hours of those
				 * given (else an error) */
	int dup;		/* DG_ACL_DUP_* */
};
void dg_acl_params_init(struct dg_acl_params *p);

/* One hour of a zone's load, MW. */
struct dg_acl_zhour {
	dg_time t;
	int month;		/* year * 12 + month - 1, local */
	signed char hour;	/* local clock hour beginning, 0-23 */
	signed char wday;	/* 0 = Sunday */
	dg_dec mw;
	long seq;		/* order read */
	long line;		/* in the file zones->file[file] */
	int file;
};

struct dg_acl_zone {
	char *name;
	struct dg_acl_zhour *h;	/* by time once finished, one per hour */
	size_t n, cap;
	long dups;		/* repeated hours resolved */
};

struct dg_acl_zones {
	struct dg_acl_zone *v;
	size_t n, cap;
	long seq;
	char **file;		/* the files read, for messages */
	size_t nfile, capfile;
};
void dg_acl_zones_init(struct dg_acl_zones *zs);
void dg_acl_zones_release(struct dg_acl_zones *zs);
/* An hour of zone's load (stamped at the hour's start), read at line of
 * the last file of zs->file (if any).  DG_ENOMEM. */
int dg_acl_zones_add(struct dg_acl_zones *zs, const char *zone, dg_time t,
    dg_dec mw, long line);
/* Sorts every zone's hours and resolves repeated hours by dup:
 * DG_EDATA naming the zone and hour for DG_ACL_DUP_REFUSE. */
int dg_acl_zones_finish(struct dg_acl_zones *zs, int dup,
    struct dg_error *err);
/* The hours of a zone load file added: NYISO's palIntegrated (a daily
 * CSV, a monthly zip archive of them, gzip; read by dg_fetch's reader of
 * nyiso-load) or dg-fetch's output (zone,time,load_mw; an empty load is
 * left out).  Errors of dg_fetch and dg_csv, with file:line. */
int dg_acl_zones_read(struct dg_acl_zones *zs, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* The zone called name, exactly, or NULL. */
struct dg_acl_zone *dg_acl_zones_find(const struct dg_acl_zones *zs,
    const char *name);

/* The hours beginning counted for the ACL of the capability period that
 * starts in month period (p->hb_lo, or 11-19 from Summer 2014, 13-18
 * before). */
void dg_acl_hour_range(const struct dg_acl_params *p, int period, int *lo,
    int *hi);

/* The peak hours of the zone for the ACL of the capability period that
 * holds month period (dg_ucap_month numbering). */
struct dg_acl_peaks {
	int period;		/* the period the ACL is for */
	int prior;		/* the first month of the prior period */
	int hb_lo, hb_hi;
	unsigned missing;	/* bit i: month prior + i has no load */
	size_t n;		/* p->top, or fewer when the data are short */
	dg_time t[DG_ACL_TOP_MAX];
	dg_dec mw[DG_ACL_TOP_MAX];
};
/* Ranks the counted hours by load, highest first, an equal load by time
 * (the earlier first), and keeps p->top.  A month of the prior period
 * without any hour of the zone is DG_EDATA unless p->partial (then noted
 * in missing). */
int dg_acl_peaks(const struct dg_acl_params *p, const struct dg_acl_zone *z,
    int period, struct dg_acl_peaks *pk, struct dg_error *err);
/* "May, June" of the months of pk->missing, in buf. */
void dg_acl_missing_format(const struct dg_acl_peaks *pk, char *buf,
    size_t n);

/* The resource's ACL: the mean of its load s at the peak hours it has a
 * reading for (*found of them); 0 when it has none (*acl untouched).
 * DG_ERANGE when too large. */
int dg_acl_site(const struct dg_acl_peaks *pk, const struct dg_series *s,
    dg_rat *acl, size_t *found);

#ifdef __cplusplus
}
#endif
#endif
