/* dg-peakhunt: run the site's generator tomorrow or not, and in which
 * hours, to cut its coincident-peak capacity tag and its monthly demand
 * charge under a budget of engine hours (advise); and the backtest of a
 * season against the hindsight optimum and a threshold rule (backtest). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dg_peakhunt.h"
#include "dg_series.h"

enum {
	OPT_DATE = DG_OPT_FIRST_OWN,
	OPT_FROM,
	OPT_TO,
	OPT_DAYS,
	OPT_TARIFF,
	OPT_ZONE_LOAD,
	OPT_ZONE_FC,
	OPT_SITE_LOAD,
	OPT_SITE_FC,
	OPT_SITE,
	OPT_GENCOST,
	OPT_KW,
	OPT_COST,
	OPT_START_COST,
	OPT_HOLIDAYS,
	OPT_NO_NERC,
	OPT_RUN_HOURS,
	OPT_MONTH_HOURS,
	OPT_YEAR_HOURS,
	OPT_WINDOW,
	OPT_LOOKAHEAD,
	OPT_MIN_CHANCE,
	OPT_SIGMA,
	OPT_MIN_SIGMA,
	OPT_THRESHOLD
};

static const struct option longopts[] = {
	DG_CLI_LONGOPTS,
	{ "date", required_argument, NULL, OPT_DATE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "tariff", required_argument, NULL, OPT_TARIFF },
	{ "zone-load", required_argument, NULL, OPT_ZONE_LOAD },
	{ "zone-forecast", required_argument, NULL, OPT_ZONE_FC },
	{ "site-load", required_argument, NULL, OPT_SITE_LOAD },
	{ "site-forecast", required_argument, NULL, OPT_SITE_FC },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "gencost", required_argument, NULL, OPT_GENCOST },
	{ "kw", required_argument, NULL, OPT_KW },
	{ "cost", required_argument, NULL, OPT_COST },
	{ "start-cost", required_argument, NULL, OPT_START_COST },
	{ "holidays", required_argument, NULL, OPT_HOLIDAYS },
	{ "no-nerc-holidays", no_argument, NULL, OPT_NO_NERC },
	{ "run-hours", required_argument, NULL, OPT_RUN_HOURS },
	{ "month-hours", required_argument, NULL, OPT_MONTH_HOURS },
	{ "year-hours", required_argument, NULL, OPT_YEAR_HOURS },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "lookahead", required_argument, NULL, OPT_LOOKAHEAD },
	{ "min-chance", required_argument, NULL, OPT_MIN_CHANCE },
	{ "sigma", required_argument, NULL, OPT_SIGMA },
	{ "min-sigma", required_argument, NULL, OPT_MIN_SIGMA },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp,
"usage: dg-peakhunt advise --date DATE [--from DATE] inputs\n"
"                   [model options] [common options]\n"
"       dg-peakhunt backtest --from DATE --to DATE [--days FILE] inputs\n"
"                   [model options] [common options]\n"
"inputs: --tariff FILE [--zone-load FILE --zone-forecast FILE]\n"
"                   [--site-load FILE --site-forecast FILE] [--site NAME]\n"
"                   (--gencost FILE | --kw KW --cost USD_PER_MWH\n"
"                   [--start-cost USD]) [--holidays FILE]\n"
"                   [--no-nerc-holidays]\n"
"model options: [--run-hours N] [--month-hours H] [--year-hours H]\n"
"                   [--window DAYS] [--lookahead DAYS] [--min-chance P]\n"
"                   [--sigma F] [--min-sigma F] [--threshold F]\n"
DG_CLI_USAGE);
	exit(status);
}

enum cmd { CMD_ADVISE, CMD_BACKTEST };

struct opts {
	struct dg_cli cli;
	enum cmd cmd;
	const char *days, *tariff, *zone_load, *zone_fc, *site_load, *site_fc;
	const char *site, *gencost, *holidays;
	dg_date date, from, to;
	int have_date, have_from, have_to, have_kw, have_cost, nerc;
	dg_dec kw, cost, start_cost;
	struct dg_ph_params p;
};

/* --- options -------------------------------------------------------- */

static enum cmd
parse_sub(const char *sub)
{
	if (strcmp(sub, "advise") == 0)
		return CMD_ADVISE;
	if (strcmp(sub, "backtest") == 0)
		return CMD_BACKTEST;
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0)
		usage(stdout, 0);
	if (strcmp(sub, "--version") == 0)
		dg_cli_version();
	dg_cli_warn("unknown subcommand \"%s\": advise or backtest", sub);
	usage(stderr, DG_EX_USAGE);
	return CMD_ADVISE;
}

static int
file_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_DAYS:		o->days = arg; break;
	case OPT_TARIFF:	o->tariff = arg; break;
	case OPT_ZONE_LOAD:	o->zone_load = arg; break;
	case OPT_ZONE_FC:	o->zone_fc = arg; break;
	case OPT_SITE_LOAD:	o->site_load = arg; break;
	case OPT_SITE_FC:	o->site_fc = arg; break;
	case OPT_SITE:		o->site = arg; break;
	case OPT_GENCOST:	o->gencost = arg; break;
	case OPT_HOLIDAYS:	o->holidays = arg; break;
	case OPT_NO_NERC:	o->nerc = 0; break;
	default:		return 0;
	}
	return 1;
}

static int
date_option(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_DATE:
		o->date = dg_cli_date_arg("--date", arg, usage);
		o->have_date = 1;
		break;
	case OPT_FROM:
		o->from = dg_cli_date_arg("--from", arg, usage);
		o->have_from = 1;
		break;
	case OPT_TO:
		o->to = dg_cli_date_arg("--to", arg, usage);
		o->have_to = 1;
		break;
	case OPT_KW:
		o->kw = dg_cli_dec_arg("--kw", arg, "0", "10000000", usage);
		o->have_kw = 1;
		break;
	case OPT_COST:
		o->cost = dg_cli_dec_arg("--cost", arg, "0", "100000", usage);
		o->have_cost = 1;
		break;
	case OPT_START_COST:
		o->start_cost = dg_cli_dec_arg("--start-cost", arg, "0",
		    "1000000", usage);
		break;
	default:
		return 0;
	}
	return 1;
}

static int
model_option(struct dg_ph_params *p, int c, const char *arg)
{
	switch (c) {
	case OPT_RUN_HOURS:
		p->run_hours = dg_cli_int_arg("--run-hours", arg, 1, 24, usage);
		break;
	case OPT_MONTH_HOURS:
		p->month_hours = dg_cli_int_arg("--month-hours", arg, 1, 744,
		    usage);
		break;
	case OPT_YEAR_HOURS:
		p->year_hours = dg_cli_int_arg("--year-hours", arg, 0, 8784,
		    usage);
		break;
	case OPT_WINDOW:
		p->window_days = dg_cli_int_arg("--window", arg, 3, 365, usage);
		break;
	case OPT_LOOKAHEAD:
		p->lookahead_days = dg_cli_int_arg("--lookahead", arg, 0, 7,
		    usage);
		break;
	default:
		return 0;
	}
	return 1;
}

static int
fraction_option(struct dg_ph_params *p, int c, const char *arg)
{
	switch (c) {
	case OPT_MIN_CHANCE:
		p->min_chance = dg_cli_double_arg("--min-chance", arg, 0, 1,
		    usage);
		break;
	case OPT_SIGMA:
		p->sigma = dg_cli_double_arg("--sigma", arg, 0.001, 0.5, usage);
		break;
	case OPT_MIN_SIGMA:
		p->min_sigma = dg_cli_double_arg("--min-sigma", arg, 0.001, 0.5,
		    usage);
		break;
	case OPT_THRESHOLD:
		p->threshold = dg_cli_double_arg("--threshold", arg, 0.5, 1.5,
		    usage);
		break;
	default:
		return 0;
	}
	return 1;
}

static void
need(const char *what)
{
	dg_cli_warn("%s is needed", what);
	usage(stderr, DG_EX_USAGE);
}

static void
check(const struct opts *o)
{
	if (o->cmd == CMD_ADVISE && !o->have_date)
		need("advise: --date DATE");
	if (o->cmd == CMD_ADVISE && (o->have_to || o->days))
		need("advise: --date, not --to or --days,");
	if (o->cmd == CMD_BACKTEST && (!o->have_from || !o->have_to))
		need("backtest: --from DATE and --to DATE");
	if (o->cmd == CMD_BACKTEST && o->have_date)
		need("backtest: --from and --to, not --date,");
	if (o->tariff == NULL)
		need("--tariff FILE");
	if ((o->zone_load == NULL) != (o->zone_fc == NULL))
		need("--zone-load FILE with --zone-forecast FILE");
	if ((o->site_load == NULL) != (o->site_fc == NULL))
		need("--site-load FILE with --site-forecast FILE");
	if ((o->gencost != NULL) == (o->have_kw || o->have_cost))
		need("--gencost FILE, or --kw KW and --cost USD_PER_MWH,");
	if (o->gencost == NULL && (!o->have_kw || !o->have_cost))
		need("--kw KW with --cost USD_PER_MWH");
}

static void
parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof(*o));
	dg_cli_init(&o->cli, "dg-peakhunt");
	if (argc < 2)
		usage(stderr, DG_EX_USAGE);
	o->cmd = parse_sub(argv[1]);
	o->nerc = 1;
	dg_ph_params_init(&o->p);
	optind = 2;
	while ((c = getopt_long(argc, argv, "d:ho:", longopts, NULL)) != -1) {
		if (dg_cli_option(&o->cli, c, optarg, usage) ||
		    file_option(o, c, optarg) || date_option(o, c, optarg) ||
		    model_option(&o->p, c, optarg) ||
		    fraction_option(&o->p, c, optarg))
			continue;
		usage(stderr, DG_EX_USAGE);
	}
	if (optind != argc)
		usage(stderr, DG_EX_USAGE);
	check(o);
}

/* --- inputs --------------------------------------------------------- */

struct env {
	struct dg_ph_tariff tariff;
	struct dg_ph_series zone, site;
	struct dg_ph_forecasts zone_fc, site_fc;
	struct dg_ph_gens gen;
	struct dg_holidays hol;
	struct dg_ph_inputs in;
};

static void
env_release(struct env *e)
{
	dg_ph_series_release(&e->zone);
	dg_ph_series_release(&e->site);
	dg_ph_forecasts_release(&e->zone_fc);
	dg_ph_forecasts_release(&e->site_fc);
	dg_ph_gens_release(&e->gen);
	dg_holidays_release(&e->hol);
}

static int
load_zone(struct opts *o, struct env *e, struct dg_error *err)
{
	const char *z = e->tariff.c[DG_PH_CAPACITY].zone;
	int st;

	if (!e->tariff.c[DG_PH_CAPACITY].present)
		return DG_OK;
	if (o->zone_load == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "the tariff's capacity charge needs --zone-load and --zone-forecast");
	if ((st = dg_ph_zone_read(&e->zone, o->zone_load, z, &o->cli.csv,
	    err)) != DG_OK || (st = dg_ph_forecasts_read(&e->zone_fc,
	    o->zone_fc, "zone", strcmp(z, "NYCA") == 0 ? "NYISO" : z,
	    "load_mw", &o->cli.csv, err)) != DG_OK)
		return st;
	e->in.zone = &e->zone;
	e->in.zone_fc = &e->zone_fc;
	return DG_OK;
}

static int
load_site(struct opts *o, struct env *e, struct dg_error *err)
{
	struct dg_series_opts so;
	int st;

	if (o->site_load == NULL)
		return DG_OK;
	memset(&so, 0, sizeof(so));
	so.value_col = "load_kw";
	so.hourly = 1;
	so.load = 1;
	so.max_span_s = 3 * 366 * 86400LL + 400 * 86400LL;
	if ((st = dg_ph_site_read(&e->site, o->site_load, o->site, &so,
	    &o->cli.csv, err)) != DG_OK ||
	    (st = dg_ph_forecasts_read(&e->site_fc, o->site_fc, "site",
	    o->site, "load_kw", &o->cli.csv, err)) != DG_OK)
		return st;
	e->in.site = &e->site;
	e->in.site_fc = &e->site_fc;
	return DG_OK;
}

static int
env_load(struct opts *o, struct env *e, struct dg_error *err)
{
	int st;

	memset(e, 0, sizeof(*e));
	dg_holidays_init(&e->hol, o->nerc);
	e->in.tariff = &e->tariff;
	e->in.holidays = &e->hol;
	e->in.flat_kw = o->kw;
	e->in.flat_usd_per_mwh = o->cost;
	e->in.flat_start_usd = o->start_cost;
	if ((st = dg_ph_tariff_read(&e->tariff, o->tariff, &o->cli.aux,
	    err)) != DG_OK || (st = load_zone(o, e, err)) != DG_OK ||
	    (st = load_site(o, e, err)) != DG_OK)
		return st;
	if (o->holidays != NULL && (st = dg_holidays_read(&e->hol, o->holidays,
	    &o->cli.aux, err)) != DG_OK)
		return st;
	if (o->gencost != NULL) {
		if ((st = dg_ph_gencost_read(&e->gen, o->gencost, o->site,
		    &o->cli.csv, err)) != DG_OK)
			return st;
		e->in.gen = &e->gen;
	}
	return DG_OK;
}

/* --- output --------------------------------------------------------- */

static void
write_chance(struct dg_csvw *w, double p)
{
	if (isnan(p))
		dg_csvw_empty(w);
	else
		dg_csvw_double(w, p, 4);
}

static int
advice_row(struct dg_csvw *w, const struct dg_ph_advice *a)
{
	dg_csvw_date(w, a->date);
	dg_csvw_str(w, dg_ph_strategy_names[a->strategy]);
	dg_csvw_str(w, a->hours > 0 ? "yes" : "no");
	if (a->hours > 0) {
		dg_csvw_time(w, a->start);
		dg_csvw_time(w, a->end);
	} else {
		dg_csvw_empty(w);
		dg_csvw_empty(w);
	}
	dg_csvw_int(w, a->hours);
	write_chance(w, a->chance[DG_PH_CAPACITY]);
	write_chance(w, a->chance[DG_PH_DEMAND]);
	if (isnan(a->expected_usd))
		dg_csvw_empty(w);
	else
		dg_csvw_double(w, a->expected_usd, 2);
	dg_csvw_int(w, a->month_left);
	if (a->year_left < 0)
		dg_csvw_empty(w);
	else
		dg_csvw_int(w, a->year_left);
	dg_csvw_str(w, a->note);
	return dg_csvw_end_row(w);
}

static const char *const advice_hdr[] = { "date", "strategy", "run",
    "start", "end", "hours", "chance_capacity", "chance_demand",
    "expected_saving_usd", "month_hours_left", "year_hours_left", "note" };

static void
write_cents(struct dg_csvw *w, int64_t c)
{
	dg_csvw_dec(w, dg_dec_make(c, 2), -1);
}

static int
summary_row(struct dg_csvw *w, int s, const struct dg_ph_summary *m)
{
	const int v[] = { m->seasons, m->days_run, m->hours, m->season_peaks,
	    m->season_caught, m->zone_months, m->zone_caught, m->site_months,
	    m->site_caught };

	dg_csvw_str(w, dg_ph_strategy_names[s]);
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		dg_csvw_int(w, v[k]);
	write_cents(w, m->cp_saving);
	write_cents(w, m->demand_saving);
	write_cents(w, m->run_cost);
	write_cents(w, m->cp_saving + m->demand_saving - m->run_cost);
	return dg_csvw_end_row(w);
}

/* --- runs ----------------------------------------------------------- */

static int
advise(struct opts *o, struct dg_ph_run *r, struct dg_csvw *w,
    struct dg_error *err)
{
	const struct dg_ph_advice *a;
	size_t n;
	int st;

	if ((st = dg_ph_decide(r, DG_PH_PEAKHUNT, &a, &n, err)) != DG_OK ||
	    (st = dg_csvw_header(w, advice_hdr, 12)) != DG_OK)
		return st;
	for (size_t k = 0; k < n; k++)
		if (a[k].date == o->date && (st = advice_row(w, &a[k])) !=
		    DG_OK)
			return st;
	return DG_OK;
}

static int
backtest(struct opts *o, struct dg_ph_run *r, struct dg_csvw *w,
    struct dg_csvw *dw, struct dg_error *err)
{
	static const char *const hdr[] = { "strategy", "seasons", "days_run",
	    "hours_used", "cp_peaks", "cp_caught", "zone_months",
	    "zone_peaks_caught", "site_months", "site_peaks_caught",
	    "cp_saving_usd", "demand_saving_usd", "run_cost_usd",
	    "net_saving_usd" };
	const struct dg_ph_advice *a;
	struct dg_ph_summary m;
	size_t n;
	int st;

	if ((st = dg_csvw_header(w, hdr, 14)) != DG_OK ||
	    (dw && (st = dg_csvw_header(dw, advice_hdr, 12)) != DG_OK))
		return st;
	for (int s = 0; s < DG_PH_NSTRAT; s++) {
		if ((st = dg_ph_decide(r, s, &a, &n, err)) != DG_OK ||
		    (st = dg_ph_evaluate(r, s, &m, err)) != DG_OK ||
		    (st = summary_row(w, s, &m)) != DG_OK)
			return st;
		for (size_t k = 0; dw && k < n; k++)
			if ((st = advice_row(dw, &a[k])) != DG_OK)
				return st;
	}
	return DG_OK;
}

static int
run(struct opts *o)
{
	struct env e;
	struct dg_error err;
	struct dg_csvw w, dw;
	struct dg_out *out[2] = { NULL, NULL };
	struct dg_ph_run *r = NULL;
	dg_date from = o->from, to = o->to;
	int y, m, d, st;

	dg_error_clear(&err);
	if (o->cmd == CMD_ADVISE) {
		dg_date_to_ymd(o->date, &y, &m, &d);
		from = o->have_from ? o->from : dg_date_from_ymd(y, 1, 1);
		to = o->date;
	}
	out[0] = dg_cli_open_output(&o->cli, &w);
	if (o->days)
		out[1] = dg_cli_open_more(&o->cli, o->days, &dw);
	if ((st = env_load(o, &e, &err)) == DG_OK &&
	    (st = dg_ph_open(&r, &e.in, &o->p, from, to,
	    o->cmd == CMD_BACKTEST, &err)) == DG_OK)
		st = o->cmd == CMD_ADVISE ? advise(o, r, &w, &err) :
		    backtest(o, r, &w, o->days ? &dw : NULL, &err);
	if (st != DG_OK && err.status == DG_OK)
		dg_error_set(&err, st, NULL, 0, NULL, "%s", dg_strerror(st));
	st = dg_cli_finish_all(out, 2, st, &err);
	dg_ph_free(r);
	env_release(&e);
	return st;
}

int
main(int argc, char **argv)
{
	struct opts o;

	parse(&o, argc, argv);
	return run(&o);
}
