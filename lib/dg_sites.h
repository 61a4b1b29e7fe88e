/* dg_sites.h: the portfolio's sites.csv (doc/design.md, Portfolio files).
 *
 * Columns are found by name; only `site` is required by the reader, the
 * others are optional and marked present or not.  A program that needs a
 * column asks with dg_sites_need(), which names the column in the error. */
#ifndef DG_SITES_H
#define DG_SITES_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Optional columns, as bits of struct dg_sites.have and dg_site.set. */
enum {
	DG_SITE_NAME = 1 << 0,		/* name */
	DG_SITE_RTO = 1 << 1,		/* rto */
	DG_SITE_ZONE = 1 << 2,		/* zone */
	DG_SITE_PTID = 1 << 3,		/* ptid */
	DG_SITE_PEAK = 1 << 4,		/* peak_kw */
	DG_SITE_CURTAILABLE = 1 << 5,	/* curtailable_kw */
	DG_SITE_INSTALLED = 1 << 6,	/* installed_kw */
	DG_SITE_PULSE = 1 << 7,		/* pulse_kwh */
	DG_SITE_BITS = 1 << 8,		/* counter_bits */
	DG_SITE_STATION = 1 << 9,	/* station */
	DG_SITE_PROGRAMS = 1 << 10,	/* programs */
	DG_SITE_CMD = 1 << 11		/* cmd_kw */
};

struct dg_site {
	char *site, *name, *rto, *zone, *ptid, *station, *programs;
	dg_dec peak_kw, curtailable_kw, installed_kw, pulse_kwh, cmd_kw;
	int counter_bits;
	unsigned set;		/* columns with a non-empty value in this row */
	long line;		/* line in sites.csv */
};

struct dg_sites {
	struct dg_site *v;	/* sorted by site */
	size_t n;
	unsigned have;		/* columns present in the header */
	char path[256];
};

/* Reads the whole file (a portfolio: small).  Errors: those of dg_csv,
 * an empty or duplicate site, a bad number (file:line: column ...). */
int dg_sites_read(struct dg_sites *ss, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_sites_release(struct dg_sites *ss);
/* The site named name, or NULL. */
struct dg_site *dg_sites_find(const struct dg_sites *ss, const char *name);
/* DG_OK when every site has a value in every column of mask; otherwise
 * DG_EDATA naming the first missing column (and line when a value is
 * empty). */
int dg_sites_need(const struct dg_sites *ss, unsigned mask,
    struct dg_error *err);
/* Whether site s is enrolled in program prog (programs is ';'-separated,
 * compared without case). */
int dg_site_in_program(const struct dg_site *s, const char *prog);

#ifdef __cplusplus
}
#endif
#endif
