/* dg_ucap.h: installed and unforced capacity of special case resources
 * (the NYISO SCR regime of the source report; doc/market-rules.md, ICAP
 * and UCAP of special case resources).
 *
 *   ICAP = APMD - CMD, APMD = mean of the monthly peaks of the previous
 *   year's same capability period (months selectable);
 *   r(h) = min(max(delivered, 0), nominated) / nominated for every test and
 *   event hour, delivered = APMD - load (the report's SCR rule) or a CBL
 *   reduction; the nominated curtailment is the ICAP of the hour's period;
 *   availability(M) = mean r(h) over the hours of the window_months months
 *   before month M; UCAP = ICAP x availability x (1 + TLF).
 *
 * Everything is exact: decimals in, rationals (dg_rat.h) through the
 * chain, one rounding (or the report's truncation to 0.1 MW) when printed. */
#ifndef DG_UCAP_H
#define DG_UCAP_H

#include <stddef.h>

#include "dg_dec.h"
#include "dg_events.h"
#include "dg_rat.h"
#include "dg_sites.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_UCAP_MAX_MONTHS (12 * 200)	/* months one site's load may span */

/* Capacity programs.  Only the hours of the calls and tests of capacity
 * programs (a list such as "SCR" or "SCR,TEST", names compared without
 * case) count, and only for the sites enrolled in one: the hours of an
 * EDRP call are energy, not capacity, and a site in EDRP only sells no
 * capacity. */
#define DG_UCAP_PROGRAMS "SCR"	/* the default list */
/* Whether prog is one of the comma-separated list. */
int dg_ucap_capacity_program(const char *list, const char *prog);
/* DG_EINVAL for a list with an empty name or one of 64 bytes or more. */
int dg_ucap_programs_check(const char *list);
/* Whether site s of ss sells capacity: enrolled (sites.csv `programs`) in
 * a program of list; every site when ss has no programs column. */
int dg_ucap_site_counts(const struct dg_sites *ss, const struct dg_site *s,
    const char *list);
/* Whether the hours of call e count for site s: a call of a capacity
 * program that names s, or names no site and s is enrolled in its program
 * (or ss has no programs column). */
int dg_ucap_event_counts(const struct dg_sites *ss, const struct dg_site *s,
    const struct dg_event *e, const char *list);

/* Months are counted as year * 12 + (month - 1). */
int dg_ucap_month(int year, int mon);

struct dg_ucap_params {
	unsigned apmd_months;	/* bit m-1 set: month m counts toward APMD */
	int apmd_lag;		/* APMD from the period this many years back */
	int window_months;	/* availability over this many months before */
	int apmd_measure;	/* delivered = APMD - load (else a reduction) */
	dg_dec tlf;		/* transmission loss factor */
	dg_dec empty_avail;	/* availability when the window has no hours */
	int given_base;		/* the baseline of each period given
				 * (dg_ucap_site_base: the ACL) instead of
				 * the APMD from the peaks */
};
void dg_ucap_params_init(struct dg_ucap_params *p);
int dg_ucap_params_check(const struct dg_ucap_params *p, struct dg_error *err);
/* "5,6,7,8" -> bits; DG_EINVAL on a bad list. */
int dg_ucap_months_parse(const char *s, unsigned *mask);

/* A performance hour: its month and the load (apmd measure) or the
 * delivered kW (reduction measure). */
struct dg_ucap_hour {
	int month;
	int missing;		/* no data for the hour: counted as r = 0 */
	dg_dec value;
};

/* The baseline of a capability period given (--measure acl: the ACL). */
struct dg_ucap_base {
	int period;		/* the period's first month */
	int have;		/* 0: unknown (as an APMD without load) */
	unsigned quality;	/* flags it brings to the months it rates */
	dg_rat v;
};

/* One site's data. */
struct dg_ucap_site {
	int first;		/* month of peak[0] */
	size_t nmonths, cap;
	dg_dec *peak;		/* highest hourly load of each month */
	unsigned char *have;
	struct dg_ucap_hour *h;
	size_t nh, caph;
	dg_dec cmd;		/* contract minimum demand, kW */
	int fixed;		/* ICAP given: icap_kw */
	dg_dec icap_kw;
	struct dg_ucap_base *base;	/* with p->given_base */
	size_t nbase, capbase;
};
void dg_ucap_site_init(struct dg_ucap_site *s);
void dg_ucap_site_release(struct dg_ucap_site *s);
void dg_ucap_site_clear(struct dg_ucap_site *s);
/* A load reading of month m (keeps the monthly maximum).  DG_ERANGE: the
 * site's months would span more than DG_UCAP_MAX_MONTHS; DG_ENOMEM. */
int dg_ucap_site_load(struct dg_ucap_site *s, int month, dg_dec kw);
int dg_ucap_site_hour(struct dg_ucap_site *s, int month, dg_dec value);
/* An hour without data (no load, no reduction): performance 0. */
int dg_ucap_site_hour_missing(struct dg_ucap_site *s, int month);
/* The baseline of the capability period holding month (p->given_base):
 * have 0 for unknown; quality is or-ed into the months it rates.
 * DG_ENOMEM. */
int dg_ucap_site_base(struct dg_ucap_site *s, int month, int have, dg_rat v,
    unsigned quality);
/* The first month of the capability period holding month m. */
int dg_ucap_period_start(int m);

/* Quality flags of a month's result. */
enum {
	DG_UCAP_Q_NO_APMD = 1 << 0,	/* a peak month of the APMD missing */
	DG_UCAP_Q_NEG_ICAP = 1 << 1,	/* APMD below CMD: ICAP set to 0 */
	DG_UCAP_Q_NO_HOURS = 1 << 2,	/* no hours: empty_avail used */
	DG_UCAP_Q_HOUR_NO_ICAP = 1 << 3,	/* an hour whose
						 * period has no ICAP */
	DG_UCAP_Q_MISSING_HOUR = 1 << 4,	/* an hour
						 * without data, r = 0 */
	DG_UCAP_Q_ACL_SHORT = 1 << 5,	/* an ACL of fewer peak hours */
	DG_UCAP_Q_NFLAGS = 6
};
void dg_ucap_flags_format(unsigned flags, char *buf, size_t n);

struct dg_ucap_result {
	int have_apmd, have_icap;
	dg_rat apmd, icap, avail, ucap;
	long hours;
	unsigned quality;
};

/* The figures of a site-month as printed, each rounded once from the
 * exact result: APMD, ICAP and UCAP in kW to 3 decimals, availability to
 * 6; UCAP in MW truncated to 0.1 MW as the NYISO's UCAP reports print it
 * (report Table 17: 1.274 MW is 1.2), or with exact_mw rounded to 6
 * decimals.  The ICAP and UCAP figures are those of a result with an
 * ICAP. */
struct dg_ucap_line {
	int have_apmd, have_icap;
	dg_dec apmd, icap, avail, ucap_kw, ucap_mw;
};
int dg_ucap_line(const struct dg_ucap_result *r, int exact_mw,
    struct dg_ucap_line *l);
/* The capacity to buy back: max(0, sold - UCAP) from the exact UCAP, kW to
 * 3 decimals (report: 1.5 MW sold, derated to 1.2 MW: 300 kW). */
int dg_ucap_shortfall(const struct dg_ucap_result *r, dg_dec sold,
    dg_dec *out);

/* The portfolio's month: sums of the printed lines (so that the totals
 * add up), and the availability of the total. */
struct dg_ucap_total {
	int exact_mw;
	long hours;
	dg_dec icap, ucap_kw, ucap_mw;	/* lines with an ICAP */
	int have_sold;
	dg_dec sold, shortfall;
	dg_rat icap_q, weighted;	/* sums of ICAP, of ICAP x
					 * availability */
};
void dg_ucap_total_init(struct dg_ucap_total *t, int exact_mw);
int dg_ucap_total_add(struct dg_ucap_total *t, const struct dg_ucap_result *r,
    const struct dg_ucap_line *l);
int dg_ucap_total_add_sold(struct dg_ucap_total *t, dg_dec sold,
    dg_dec shortfall);
/* The total's availability, 6 decimals: the ICAP-weighted availability of
 * its sites, sum(ICAP x availability) / sum(ICAP), exact (the report's
 * 200 kW site alone: 0.9375, whatever the truncated MW); *have 0 when the
 * total has no ICAP.  DG_ERANGE when too large. */
int dg_ucap_total_avail(const struct dg_ucap_total *t, int *have,
    dg_dec *avail);

/* APMD of the capability period holding month m (from the peaks of the
 * period apmd_lag years before): 1 when every selected month has a peak. */
int dg_ucap_apmd(const struct dg_ucap_params *p, const struct dg_ucap_site *s,
    int month, dg_rat *apmd, struct dg_error *err);
/* ICAP, availability and UCAP of month m. */
int dg_ucap_compute(const struct dg_ucap_params *p,
    const struct dg_ucap_site *s,
    int month, struct dg_ucap_result *r, struct dg_error *err);

/* --- projection: a test planned -------------------------------------- */

/* What a test of n hours in month test_month does to the rating of month
 * m, the hours given so far (s) staying as they are: the availability
 * and UCAP of m if the site delivers its whole ICAP in every test hour,
 * or nothing, and what it must deliver in each test hour to be rated at
 * least target in m (r(h) as dg_ucap_compute):
 *
 *   A(r) = (S + n r) / (H + n), S = sum of r(h) and H = hours of m's
 *   window without the test; r >= (target (H + n) - S) / n. */
enum {
	DG_UCAP_NEED_NA,	/* the test is not in m's window, or its
				 * period has no ICAP: not counted */
	DG_UCAP_NEED_NONE,	/* even nothing delivered keeps target */
	DG_UCAP_NEED_KW,	/* need kW in each test hour */
	DG_UCAP_NEED_UNREACHABLE	/* even the whole ICAP falls short */
};
struct dg_ucap_proj {
	struct dg_ucap_result now;	/* month m without the test */
	long hours;			/* m's window with the test */
	int state;			/* DG_UCAP_NEED_* */
	dg_rat avail_full, avail_zero;	/* of m */
	dg_rat ucap_full, ucap_zero;	/* with m's ICAP */
	dg_rat need;			/* kW in each test hour */
	int have_base;			/* the test period's APMD or ACL */
	dg_rat base;
};
int dg_ucap_project(const struct dg_ucap_params *p,
    const struct dg_ucap_site *s, int m, int test_month, int n,
    dg_rat target, struct dg_ucap_proj *pr, struct dg_error *err);
/* x rounded up (ceil) or down (floor) to 3 decimals: a kW to deliver at
 * least, a load to stay at or below. */
int dg_ucap_kw_up(dg_rat x, dg_dec *out);
int dg_ucap_kw_down(dg_rat x, dg_dec *out);

#ifdef __cplusplus
}
#endif
#endif
