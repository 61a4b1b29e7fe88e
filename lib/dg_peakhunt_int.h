/* dg_peakhunt_int.h: the day table that the parts of dg_peakhunt share;
 * private to the library (not installed). */
#ifndef DG_PEAKHUNT_INT_H
#define DG_PEAKHUNT_INT_H

#include "dg_peakhunt.h"

#define PH_H 25			/* hours of the longest day */
#define PH_LEADS 8		/* forecast leads kept: 1 .. PH_LEADS days */
#define PH_MAX_DAYS (3 * 366 + 400)
#define PH_ZONE 0		/* the data of a charge: the zone's load */
#define PH_SITE 1		/* or the site's */
#define PH_MIN_SAMPLES 5	/* days of history an estimate needs */
#define PH_MAX_WINDOW 366	/* the longest --window */

struct ph_day {
	dg_date date;
	dg_time start;
	int nh, year, mon, weekday_ok;
	int clock[PH_H];
	unsigned char has[2][PH_H];		/* actual load */
	double act[2][PH_H];
	dg_dec actx[2][PH_H];
	unsigned char hasf[2][PH_LEADS + 1][PH_H];	/* by lead */
	double fc[2][PH_LEADS + 1][PH_H];
	unsigned char hasg[PH_H];		/* the generator */
	dg_dec avail[PH_H];
	int64_t cost[PH_H], start_cost[PH_H];	/* cents */
	unsigned char run[DG_PH_NSTRAT][PH_H];
	double chance;		/* the peakhunt's best chance, or NaN */
};

struct dg_ph_run {
	struct dg_ph_inputs in;
	struct dg_ph_params p;
	struct dg_holidays nerc;
	dg_date first, from, to, last;	/* the table holds first .. last */
	int backtest;
	struct ph_day *d;
	size_t nd;
	struct dg_ph_advice *adv[DG_PH_NSTRAT];
	size_t nadv[DG_PH_NSTRAT], cap[DG_PH_NSTRAT];
	int decided[DG_PH_NSTRAT];
	double *scratch;		/* window-sized work space */
};

/* Whether charge c measures hour h of day d. */
int ph_measured(const struct dg_ph_charge *c, const struct ph_day *d, int h);
/* Whether charge c measures any hour of day d. */
int ph_day_measured(const struct dg_ph_charge *c, const struct ph_day *d);
/* The data index of charge k: PH_ZONE or PH_SITE. */
int ph_data(int k);
/* The period of charge c that date d is in: [*a, *b] (dates), capped at
 * the run's to in a backtest; 0 when c does not measure d's month. */
int ph_period(const struct dg_ph_run *r, const struct dg_ph_charge *c,
    dg_date d, dg_date *a, dg_date *b);
/* Budget slots: a month's index, and the hours of a month or year left. */
int ph_month_slot(const struct dg_ph_run *r, const struct ph_day *d);
/* Appends a row of advice; DG_ENOMEM. */
int ph_advice_add(struct dg_ph_run *r, int strategy,
    const struct dg_ph_advice *a);

/* dg_peakhunt_eval.c: the hindsight optimum's run hours. */
int ph_hindsight(struct dg_ph_run *r, struct dg_error *err);

#endif
