/* dg_settle.h: demand-response settlement: program rules, hourly prices,
 * payment lines, participant statements, the shadow settlement of the
 * direct-customer strategy and the curtailment performance report.
 *
 * Money is exact: quantities and prices are decimals (dg_dec), each money
 * line is one product rounded once to the cent, half away from zero, and
 * every total is the sum of rounded lines.  The rules are data: a programs
 * file says how each program pays (see dg-settle(1)).  The library reads
 * its inputs with dg_csv and never prints. */
#ifndef DG_SETTLE_H
#define DG_SETTLE_H

#include <stddef.h>
#include <stdint.h>

#include "dg_csv.h"
#include "dg_dec.h"
#include "dg_events.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_SETTLE_NODATE INT32_MIN

/* --- Hourly prices ------------------------------------------------------ */

/* How a price file is read. */
struct dg_settle_price_opts {
	int decimals;		/* hourly price rounded once to
				 * this scale (6) */
	int max_interval_s;	/* longer sub-hourly intervals are gaps (900) */
	int stamp_end;		/* NYISO native stamps mark the interval end
				 * (real-time files, read as dg-fetch nyiso-rt:
				 * 1) or start (day-ahead, nyiso-dam: 0) */
};
void dg_settle_price_opts_init(struct dg_settle_price_opts *o);

struct dg_settle_prices;

int dg_settle_prices_alloc(struct dg_settle_prices **p);
void dg_settle_prices_free(struct dg_settle_prices *p);
/* Reads a price file: NYISO's native zonal CSV ("Time Stamp", "Name",
 * "LBMP ($/MWHr)"), parsed by dg_fetch's nyiso-rt parser (stamp_end: its
 * sub-hourly intervals time-weighted into hourly prices, an interval
 * longer than max_interval_s a gap, a repeated stamp DG_EDATA) or
 * nyiso-dam parser (hour-beginning prices), or a normalized file (zone,
 * time, price_usd_per_mwh: hourly, time at the hour start; or, with a
 * duration_s column as dg-fetch writes, intervals [time, time +
 * duration_s) time-weighted).  Several files may be read into one table;
 * a second price for an hour already known is DG_EDATA.  A normalized
 * file is read as it streams; a native one, or standard input, whole. */
int dg_settle_prices_read(struct dg_settle_prices *p, const char *path,
    const struct dg_csv_opts *co, const struct dg_settle_price_opts *po,
    struct dg_error *err);
/* Before reading: keep only the hours starting in [from, to) (each call
 * adds a span) and only the zones named (each call adds one); without a
 * call, every hour of every zone.  The other hours are still read and
 * checked (a bad row, an hour priced twice are the same errors), then
 * dropped: when each zone's rows are in time order, the table holds the
 * kept hours and a few runs of dropped ones, whatever the file's length.
 * A dropped hour is unknown to dg_settle_prices_get and _cover. */
int dg_settle_prices_keep(struct dg_settle_prices *p, dg_time from,
    dg_time to);
int dg_settle_prices_keep_zone(struct dg_settle_prices *p, const char *zone);
/* The hourly price of zone for the hour starting at t: DG_OK, or DG_EDATA
 * when the hour is not (fully) covered. */
int dg_settle_prices_get(const struct dg_settle_prices *p, const char *zone,
    dg_time t, dg_dec *price);
/* Whether the price files have zone at all (kept or not). */
int dg_settle_prices_has_zone(const struct dg_settle_prices *p,
    const char *zone);
/* Seconds of the hour covered by intervals (3600 when complete), for
 * messages; 0 when the zone or the hour is unknown. */
int dg_settle_prices_cover(const struct dg_settle_prices *p,
    const char *zone, dg_time t);
/* Iteration: hour i of zone z (for output of the hourly table). */
size_t dg_settle_prices_nzones(const struct dg_settle_prices *p);
const char *dg_settle_prices_zone(const struct dg_settle_prices *p, size_t z);
size_t dg_settle_prices_nhours(const struct dg_settle_prices *p, size_t z);
int dg_settle_prices_hour(const struct dg_settle_prices *p, size_t z,
    size_t i, dg_time *t, dg_dec *price, int *cover_s);

/* --- Programs ------------------------------------------------------------ */

enum dg_settle_basis {
	DG_SETTLE_ENERGY,	/* MWh x price per hour */
	DG_SETTLE_DADRP,	/* scheduled MWh x DA; shortfall
				 * x max(DA, RT) */
	DG_SETTLE_DEMAND	/* $/kW credit on the event's mean reduction */
};
enum dg_settle_measure {
	DG_SETTLE_CBL,		/* reduction_kw as dg-cbl measured it */
	DG_SETTLE_APMD		/* APMD - actual_kw (SCR before summer 2003) */
};

struct dg_settle_program {
	char *name, *payer;
	dg_date from, to;	/* valid on event dates from..to (inclusive);
				 * DG_SETTLE_NODATE: open */
	int basis, measure;
	int has_floor;
	dg_dec floor;		/* $/MWh: floor (with lbmp) or fixed rate */
	int lbmp_rt;		/* pay max(rate, RT LBMP) */
	int strike;		/* the site's offered strike
				 * replaces the floor */
	int has_strike_cap;
	dg_dec strike_cap;	/* $/MWh: highest accepted offer */
	int min_hours;		/* minimum payment hours (with the rule on) */
	dg_dec credit_per_kw;	/* $/kW (demand basis) */
	unsigned months;	/* bit m-1 for month m; 0: every month */
	int hour_from, hour_to;	/* local clock hours [from, to); -1: all */
	int priority;		/* one payer per site-hour: lowest wins */
	char *group;		/* the programs of one group pay a site-hour
				 * once; other groups stack (default: the
				 * payer) */
	char *passes;		/* a pass-through: the program whose row
				 * valid on the event's date prices this
				 * one's hours (its terms); NULL: its own */
	dg_dec pass_pct;	/* per cent of the payment the payer passes
				 * on to the site (100) */
	long min_notice_s;	/* notice the program promises, seconds;
				 * -1: none */
	int has_min_zone_kw, has_min_kw;
	dg_dec min_zone_kw;	/* kW the provider must be able to reduce
				 * in one zone (enrolled curtailable kW) */
	dg_dec min_kw;		/* a demand credit's least mean kW */
	long line;
};

struct dg_settle_programs {
	struct dg_settle_program *v;
	size_t n;
};

/* Reads the programs file (columns in dg-settle(1)). */
int dg_settle_programs_read(struct dg_settle_programs *ps, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_settle_programs_release(struct dg_settle_programs *ps);
/* The row of program name valid on date d, or NULL. */
const struct dg_settle_program *dg_settle_programs_find(
    const struct dg_settle_programs *ps, const char *name, dg_date d);
/* Whether a program knows name at all (for messages). */
int dg_settle_programs_known(const struct dg_settle_programs *ps,
    const char *name);
/* The distinct program names, in file order, in a new array (*n of them;
 * the strings are ps's), for dg_events_check_names.  DG_ENOMEM. */
int dg_settle_programs_names(const struct dg_settle_programs *ps,
    const char ***names, size_t *n);

/* The terms that price pg's hours on date d: pg's own, or for a
 * pass-through (passes) those of the program it passes on, valid on d,
 * under pg's name, payer, group, priority and pass_pct (the strings
 * stay ps's).  DG_EDATA when the program passed on has no row for d. */
int dg_settle_program_terms(const struct dg_settle_programs *ps,
    const struct dg_settle_program *pg, dg_date d,
    struct dg_settle_program *out);

/* The notice call e gave, in seconds before its start, from the events
 * file's notice column: the time the call was given (a stamp, with or
 * without its offset), or a number of hours.  DG_EOF when the call has
 * none; DG_EDATA naming es's file, e's line and the column when it is
 * neither.  dg_settle_notices_check reads every call's. */
int dg_settle_notice_lead(const struct dg_events *es, const struct dg_event *e,
    long *lead_s, struct dg_error *err);
int dg_settle_notices_check(const struct dg_events *es, struct dg_error *err);

struct dg_sites;
/* What a provider can reduce in one zone for program: the sum of
 * curtailable_kw over the sites of the zone enrolled in it (sites.csv
 * programs); returns how many sites counted (0: nothing to check). */
size_t dg_settle_zone_kw(const struct dg_sites *ss, const char *program,
    const char *zone, dg_dec *sum);

/* DADRP's minimum offer is a rule of the aggregation's schedule in a
 * zone, not of a site: the scheduled kW of every site's rows of a dadrp
 * program (by its terms) summed per call, zone and hour, over the run. */
struct dg_settle;
struct dg_settle_row;
struct dg_settle_offered;
struct dg_settle_offered_hour {
	const char *event, *zone;
	dg_time t;		/* the hour's start */
	dg_dec kw;		/* scheduled, summed over the sites */
	long sites;
};
typedef int (*dg_settle_offered_fn)(void *arg,
    const struct dg_settle_offered_hour *h);
int dg_settle_offered_alloc(struct dg_settle_offered **o);
void dg_settle_offered_free(struct dg_settle_offered *o);
/* Adds one site's rows (zone: the site's); DG_ENOMEM. */
int dg_settle_offered_add(struct dg_settle_offered *o,
    const struct dg_settle *s, const char *zone,
    const struct dg_settle_row *rows, size_t n);
/* Calls fn for every call, zone and hour scheduled above zero and below
 * min_kw, by call, zone and time; stops at fn's first error. */
int dg_settle_offered_check(struct dg_settle_offered *o, dg_dec min_kw,
    dg_settle_offered_fn fn, void *arg);

/* --- Offers, APMD, contracts -------------------------------------------- */

struct dg_sites;

/* Keyed decimal tables: offers (site, program -> strike $/MWh), APMD (site
 * -> kW) and contracts (site -> participant, share %). */
struct dg_settle_kv {
	char *site, *key;	/* key: program (offers),
				 * participant (contracts) */
	char *program;		/* contracts: program or NULL for
				 * every program */
	dg_dec value;
	long line;
};
struct dg_settle_table {
	struct dg_settle_kv *v;	/* sorted by site, then key or program */
	size_t n;
	int by_program;
	char file[256];		/* the file's name, for messages */
	const char *program_col;	/* the column naming a
					 * program, or NULL */
};
int dg_settle_offers_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
int dg_settle_apmd_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* `site,participant,share_pct[,program]`: the aggregator keeps share_pct
 * per cent of the site's payments. */
int dg_settle_contracts_read(struct dg_settle_table *t, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_settle_table_release(struct dg_settle_table *t);
/* The entry for site and key (key NULL: any; for contracts the program
 * entry, then the entry without program). */
const struct dg_settle_kv *dg_settle_table_find(const struct dg_settle_table *t,
    const char *site, const char *key);
/* Every site of the table is in sites and every program it names is in
 * ps (a NULL list is not checked): DG_EDATA naming the file, line and
 * column of the first name that is not. */
int dg_settle_table_check(const struct dg_settle_table *t,
    const struct dg_sites *sites, const struct dg_settle_programs *ps,
    struct dg_error *err);
const struct dg_settle_kv *dg_settle_contract_find(
    const struct dg_settle_table *t, const char *site, const char *program);

/* --- Payments ------------------------------------------------------------ */

struct dg_settle_params {
	int net_negative;	/* let negative hours offset positive ones */
	int min_hours_rule;	/* apply the programs' min_hours */
	int round_mwh;		/* -1: exact; else MWh rounded to this scale */
	int kw_decimals;	/* demand credits: mean kW rounded (3) */
	int min_kw_forfeit;	/* a credit below the program's min_kw is
				 * 0 (else flagged only) */
	int has_dadrp_floor;
	dg_dec dadrp_floor;	/* $/MWh: least DADRP offer (75.00) */
	int has_dadrp_min;
	dg_dec dadrp_min_kw;	/* least DADRP schedule of a call, zone and
				 * hour (1000; dg_settle_offered_check) */
};
void dg_settle_params_init(struct dg_settle_params *p);

struct dg_settle {
	struct dg_settle_params par;
	const struct dg_settle_programs *programs;
	const struct dg_settle_prices *rt, *da;	/* may be NULL */
	const struct dg_events *events;	/* may be NULL */
	const struct dg_settle_table *offers, *apmd;	/* may be NULL */
	const struct dg_sites *sites;	/* may be NULL: the zone
					 * minimum is not checked */
	struct dg_settle_checks *checks;	/* may be NULL */
};

/* Rules checked on the inputs, not on money: a line they catch carries
 * the flag in its quality (after the input's flags, ';'-separated) and
 * is counted; with strict the first is an error (DG_EDATA). */
enum dg_settle_flag {
	DG_SF_SHORT_NOTICE,	/* the call gave less notice than the
				 * program's min_notice_h */
	DG_SF_ZONE_MIN,		/* the provider's enrolled curtailable kW
				 * in the zone is below min_zone_kw */
	DG_SF_MIN_KW,		/* a demand credit's mean kW below min_kw */
	DG_SF_BID_FLOOR,	/* a DADRP offer below the bid floor */
	DG_SF_N
};
const char *dg_settle_flag_name(int flag);
struct dg_settle_checks {
	int strict;
	long lines[DG_SF_N];	/* lines flagged, per flag */
};

/* One input row: one site, event and hour. */
struct dg_settle_row {
	char *event, *program;
	dg_time t;
	dg_dec reduction_kw;
	int no_reduction;	/* reduction_kw empty: not measured */
	int has_actual, has_sched;
	dg_dec actual_kw, scheduled_kw;
	char *quality;		/* from the input, or NULL */
	long line;
};

/* The rows pay settles, read site by site from r (dg-cbl's output: site,
 * event, program, time at an hour start, reduction_kw, and when present
 * actual_kw, scheduled_kw, quality; other columns are ignored).  A site's
 * rows are together: a site met again after another is DG_EDATA, and so
 * is, with sites, a site not in it.  An empty reduction_kw is an hour not
 * measured; a quality flag other than ok, and an unmeasured hour without
 * a flag, are counted (with strict, DG_EDATA).  r stays the caller's. */
struct dg_sites;
struct dg_settle_input;
int dg_settle_input_open(struct dg_settle_input **in, struct dg_csv *r,
    const struct dg_sites *sites, int strict, struct dg_error *err);
/* Rows for which keep returns 0 are skipped (and counted). */
void dg_settle_input_keep(struct dg_settle_input *in,
    int (*keep)(void *arg, const struct dg_settle_row *row), void *arg);
/* The next site's rows (valid until the next call), or DG_EOF. */
int dg_settle_input_next(struct dg_settle_input *in, const char **site,
    struct dg_settle_row **rows, size_t *n, struct dg_error *err);
long dg_settle_input_flagged(const struct dg_settle_input *in);
long dg_settle_input_skipped(const struct dg_settle_input *in);
void dg_settle_input_close(struct dg_settle_input *in);

/* Kinds of payment lines. */
enum dg_settle_kind {
	DG_SL_EVENT,		/* an event hour */
	DG_SL_CONTINUATION,	/* a minimum-hours hour after the call: LBMP */
	DG_SL_DA,		/* DADRP scheduled energy at DA LBMP */
	DG_SL_SHORTFALL,	/* DADRP shortfall at max(DA, RT) */
	DG_SL_CREDIT_HOUR,	/* an hour in a credit's mean (no payment) */
	DG_SL_CREDIT,		/* a $/kW credit */
	DG_SL_NETFLOOR,		/* net-negative event total raised to 0 */
	DG_SL_UNPAID,		/* a row no program pays (reason in note) */
	DG_SL_TOTAL		/* an event's total (--totals) */
};
const char *dg_settle_kind_name(int kind);

struct dg_settle_line {
	const char *site, *event, *program, *payer;
	dg_time t;		/* hour start; INT64_MIN: none */
	int kind;
	int has_kw, has_mwh, has_price, has_rate;
	dg_dec reduction_kw;	/* measured reduction of the hour */
	dg_dec mwh;		/* quantity paid (signed for shortfall) */
	dg_dec price;		/* $/MWh */
	dg_dec kw, rate;	/* demand credit: kW and $/kW */
	dg_dec payment;		/* $, scale 2 */
	const char *note;	/* why: "clipped", "paid by EDRP", ... */
	const char *quality;
	int has_pass;
	dg_dec pass_pct;	/* payment = quantity x price x pass_pct /
				 * 100, rounded once (a pass-through) */
	long line;
};
typedef int (*dg_settle_emit_fn)(void *arg, const struct dg_settle_line *l);

/* Settles all rows of one site (any events, any order; sorted here by
 * time then event).  zone names the site's prices.  Calls emit for every
 * line in time order, event by event.  Errors name the input row. */
int dg_settle_site(const struct dg_settle *s, const char *site,
    const char *zone, struct dg_settle_row *rows, size_t n,
    dg_settle_emit_fn emit, void *arg, const char *input,
    struct dg_error *err);

/* Portfolio unit: energy lines summed per event, program and hour before
 * pricing (the market's view of an aggregation). */
struct dg_settle_pf;
int dg_settle_pf_alloc(struct dg_settle_pf **pf);
void dg_settle_pf_free(struct dg_settle_pf *pf);
/* Adds a site line (energy and continuation lines carry MWh and price;
 * other lines are summed as money). */
int dg_settle_pf_add(struct dg_settle_pf *pf, const struct dg_settle_line *l);
/* Emits the portfolio lines, ordered by event, program, time, kind; MWh
 * rounded to round_mwh when >= 0, then priced. */
int dg_settle_pf_emit(struct dg_settle_pf *pf, int round_mwh,
    dg_settle_emit_fn emit, void *arg, struct dg_error *err);

/* --- Statements ----------------------------------------------------------- */

struct dg_settle_stmt;
int dg_settle_stmt_alloc(struct dg_settle_stmt **st);
void dg_settle_stmt_free(struct dg_settle_stmt *st);
/* One payment line: participant, month ("YYYY-MM"), site, program, payer,
 * event, energy MWh (may be absent), payment. */
int dg_settle_stmt_add(struct dg_settle_stmt *st, const char *participant,
    const char *month, const char *site, const char *program,
    const char *payer, const char *event, const dg_dec *mwh, dg_dec payment,
    dg_dec share_pct, struct dg_error *err);

enum dg_settle_stmt_row {
	DG_ST_LINE, DG_ST_PARTICIPANT, DG_ST_PORTFOLIO, DG_ST_PAYER
};
struct dg_settle_stmt_out {
	int row;
	const char *participant, *month, *site, *program, *payer;
	long events;
	dg_dec mwh, payment, share_pct, aggregator, participant_amt;
	int has_share;
};
typedef int (*dg_settle_stmt_fn)(void *arg, const struct dg_settle_stmt_out *o);
/* Lines by participant, month, site, program; each line's aggregator
 * share = payment x share_pct / 100 rounded once to the cent, the
 * participant amount = payment - share; then a row per payer (what each
 * payer paid or credited: NYISO, LIPA, ...) and the participant's total
 * for the month; after all participants, per month the payers' rows and
 * the portfolio total.  Totals are sums of the lines above them. */
int dg_settle_stmt_emit(struct dg_settle_stmt *st, dg_settle_stmt_fn fn,
    void *arg, struct dg_error *err);

/* A restatement: the rows of two statement files (participant, month,
 * row, site, program, payer as the key; payment_usd, aggregator_usd and
 * participant_usd) whose amounts differ, or that only one has, with the
 * change to the cent, in statement order. */
struct dg_settle_delta;
int dg_settle_delta_read(struct dg_settle_delta **d, const char *old_path,
    const char *new_path, const struct dg_csv_opts *o, struct dg_error *err);
void dg_settle_delta_free(struct dg_settle_delta *d);
struct dg_settle_delta_row {
	const char *participant, *month, *row, *site, *program, *payer;
	int in_old, in_new;	/* the row is in the old, the new statement */
	/* payment, aggregator, participant: old, new, new - old */
	dg_dec old_usd[3], new_usd[3], change_usd[3];
};
typedef int (*dg_settle_delta_fn)(void *arg,
    const struct dg_settle_delta_row *r);
/* Calls fn for each row that changed; *changed counts them. */
int dg_settle_delta_emit(struct dg_settle_delta *d, dg_settle_delta_fn fn,
    void *arg, long *changed, struct dg_error *err);

/* A summary of payment lines for people: the calls (sites and site-hours
 * of each), the reduction measured (each site-hour once), and per payer
 * and program the payments, the energy paid and the credits. */
struct dg_settle_sum;
struct dg_settle_sum_call {
	const char *event, *program, *payer;
	long sites, hours;	/* sites called, site-hours */
	dg_time first, last;	/* the first hour's start, the last's end */
};
struct dg_settle_sum_prog {
	const char *payer, *program;	/* in the order first met */
	dg_dec payment, mwh, kw;	/* USD; energy paid; credits' kW */
	long hours, credits;	/* site-hours paid as energy; credit lines */
};
int dg_settle_sum_read(struct dg_settle_sum **s, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_settle_sum_free(struct dg_settle_sum *s);
size_t dg_settle_sum_ncalls(const struct dg_settle_sum *s);
const struct dg_settle_sum_call *dg_settle_sum_call(
    const struct dg_settle_sum *s, size_t i);
size_t dg_settle_sum_nprograms(const struct dg_settle_sum *s);
const struct dg_settle_sum_prog *dg_settle_sum_program(
    const struct dg_settle_sum *s, size_t i);
void dg_settle_sum_totals(const struct dg_settle_sum *s,
    dg_dec *measured_mwh, long *measured_hours, dg_dec *total);

/* --- Shadow settlement (report 5.3, Table 13) ---------------------------- */

struct dg_settle_shadow_month {
	char month[16];		/* YYYY-MM, or "total" */
	dg_dec energy_mwh, da_cost, da_revenue, rt_recon, gen_cost;
	dg_dec total_cost, avg_cost, delivery, avg_total;
	int has_avg;		/* energy > 0 */
};
struct dg_settle_shadow;
int dg_settle_shadow_alloc(struct dg_settle_shadow **sh, dg_dec delivery_rate);
void dg_settle_shadow_free(struct dg_settle_shadow *sh);
/* One site-hour of the direct-customer strategy: the forecast load is
 * bought day-ahead; when the DA price exceeds the block's bid the block is
 * self-generated and its forecast load sold back at the DA price (DA
 * revenue), at gen_cost $/MWh when given; otherwise the difference
 * forecast - actual is settled at the RT price (RT reconciliation,
 * positive = revenue).  Delivery is charged on the whole site load.
 * The hour's money lines are returned in *lines (da, revenue, gen, rt,
 * delivery), each rounded to the cent. */
struct dg_settle_shadow_hour {
	int self_gen;
	dg_dec da_cost, da_revenue, gen_cost, rt_recon, delivery;
};
int dg_settle_shadow_add(struct dg_settle_shadow *sh, dg_time t,
    dg_dec forecast_kw, dg_dec actual_kw, dg_dec bid, int has_gen_cost,
    dg_dec gen_cost, dg_dec da_price, dg_dec rt_price,
    struct dg_settle_shadow_hour *h, struct dg_error *err);
/* Adds a month's totals as given (Table 13's own rows). */
int dg_settle_shadow_add_month(struct dg_settle_shadow *sh, const char *month,
    dg_dec energy_mwh, dg_dec da_cost, dg_dec da_revenue, dg_dec rt_recon,
    struct dg_error *err);
/* Finishes: the months in order, then the total column (sums of the
 * months; averages from the sums).  total cost = DA cost + generation cost
 * - DA revenue - RT reconciliation; averages per MWh rounded to the cent;
 * delivery = energy x rate rounded to the cent (or the sum of hourly
 * delivery lines when built from hours). */
int dg_settle_shadow_result(struct dg_settle_shadow *sh,
    const struct dg_settle_shadow_month **months, size_t *n,
    struct dg_error *err);

/* --- Curtailment performance report (report Tables 18-26) --------------- */

struct dg_settle_perf;
int dg_settle_perf_alloc(struct dg_settle_perf **pr);
void dg_settle_perf_free(struct dg_settle_perf *pr);
/* A site's reduction in one hour of one event (kW); sites are kept in
 * the order they first appear; a repeated site-hour is DG_EDATA. */
int dg_settle_perf_add(struct dg_settle_perf *pr, const char *event,
    const char *site, dg_time t, dg_dec reduction_kw, struct dg_error *err);
size_t dg_settle_perf_nevents(const struct dg_settle_perf *pr);
/* A finished table: values in MW (kW / 1000, exact), missing cells as
 * absent. */
struct dg_settle_perf_table {
	const char *event;
	size_t nsites, nhours;
	const char *const *sites;
	const dg_time *hours;		/* hour starts, ascending */
	char (*labels)[24];		/* hour-ending labels "16:00" */
	const dg_dec *mw;		/* nsites x nhours */
	const unsigned char *has;	/* nsites x nhours */
	const dg_dec *total_mw;		/* per hour */
	dg_dec total_mwh, avg_mw;	/* avg: total MWh / hours, exact to 9 */
};
int dg_settle_perf_table(struct dg_settle_perf *pr, size_t i,
    struct dg_settle_perf_table *t, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
