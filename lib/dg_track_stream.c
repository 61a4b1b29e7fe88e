/* dg_track_stream.c: the tracker's meter stream (dg_track.h): rows read
 * as they arrive, or for a replay all of them sorted by time first, each
 * turned into a site's reading of an interval.  A bad row is said and
 * skipped; the stream goes on. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_extsort.h"
#include "dg_series.h"
#include "dg_track_int.h"

#define SKIP (-1)

/* A row as a site's stamp and value. */
struct rec {
	dg_time t;
	long line;
	dg_dec v;
	uint32_t site, file;
	int missing;
};

struct run {
	struct dg_track *tr;
	const struct dg_track_input_opts *io;
	const struct dg_track_out *out;
	const char *const *paths;
	const char **names;	/* the inputs', for messages */
	struct dg_error *err;
	int unit;		/* DG_TRACK_UNIT_* */
	struct dg_extsort *xs;	/* .sort */
};

struct input {
	struct dg_csv *r;
	struct dg_error rerr;	/* the reader's errors */
	int c_site, c_time, c_value;
	uint32_t file;
};

/* The unit of the value column (the reading contract's rule, or pulse
 * counts), and what it needs. */
static int
stream_unit(const struct dg_track_input_opts *io, const char *name,
    int *unit, struct dg_error *err)
{
	struct dg_series_opts so;
	int u, st;

	if (strcmp(io->value_col, "pulses") == 0) {
		if (io->unit != DG_SERIES_UNIT_NAME)
			return dg_error_set(err, DG_EINVAL, name, 0, "pulses",
			    "pulse counts have no unit to give");
		if (io->stamp_end)
			return dg_error_set(err, DG_EINVAL, name, 0, "pulses",
			    "a pulse reading is an instant: its stamp ends no interval");
		*unit = DG_TRACK_UNIT_PULSES;
		return DG_OK;
	}
	memset(&so, 0, sizeof(so));
	so.value_col = io->value_col;
	so.unit = io->unit;
	if ((st = dg_series_load_unit(&so, name, &u, err)) != DG_OK)
		return st;
	if (io->interval_s <= 0)
		return dg_error_set(err, DG_EINVAL, name, 0, io->value_col,
		    "kW and kWh are readings of an interval: give its length");
	*unit = u == DG_SERIES_UNIT_KW ? DG_TRACK_UNIT_KW : DG_TRACK_UNIT_KWH;
	return DG_OK;
}

/* Pulses: every tracked site's meter from sites.csv. */
static int
set_meters(struct dg_track *tr, struct dg_sites *ss, struct dg_error *err)
{
	if (ss == NULL)
		return dg_error_set(err, DG_EINVAL, NULL, 0, NULL,
		    "pulse counts need the sites' pulse_kwh (a sites file)");
	for (size_t i = 0; i < tr->ns; i++) {
		struct dg_track_site *s = &tr->s[i];
		const struct dg_site *x = dg_sites_find(ss, s->name);

		if (x == NULL || !(x->set & DG_SITE_PULSE))
			return dg_error_set(err, DG_EDATA, ss->path,
			    x ? x->line : 0, "pulse_kwh",
			    "site \"%s\" has no pulse_kwh", s->name);
		dg_pulse_sites_meter(ss, s->name, &s->meter);
		s->limit_kw = s->meter.peak_kw * tr->p.max_demand_factor;
	}
	return DG_OK;
}

/* A bad row: counted, said, skipped (an error under .strict). */
static int
bad(struct run *ru, const struct dg_error *e)
{
	ru->tr->st.bad++;
	if (ru->io->strict) {
		*ru->err = *e;
		return e->status != DG_OK ? e->status : DG_EDATA;
	}
	if (ru->out->bad != NULL)
		ru->out->bad(ru->out->arg, e);
	return DG_OK;
}

static int
bad_rec(struct run *ru, const struct rec *x, const char *col,
    const char *msg)
{
	struct dg_error e;

	dg_error_set(&e, DG_EDATA, ru->names[x->file], x->line, col, "%s",
	    msg);
	return bad(ru, &e);
}

/* After a reader's error: whether the row was whole, so that the next
 * one can be read (too few or many fields, the header again). */
static int
recoverable(const struct dg_csv *r)
{
	size_t n = dg_csv_nfields(r);

	if (n == 0)
		return 0;
	if (n != dg_csv_ncols(r))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(dg_csv_field(r, (int)i, NULL),
		    dg_csv_colname(r, i)) != 0)
			return 0;
	return 1;
}

/* The value of a pulse row: a counter that fits its meter. */
static int
counter(struct dg_csv *r, int c, const struct dg_track_site *s, dg_dec *v)
{
	int64_t n;
	int st;

	if ((st = dg_csv_get_int(r, c, &n)) != DG_OK)
		return st;
	if (n < 0)
		return dg_csv_fail(r, c, DG_EDATA, "negative pulse count: %lld",
		    (long long)n);
	if (s->meter.counter_bits < 63 &&
	    n >= (int64_t)1 << s->meter.counter_bits)
		return dg_csv_fail(r, c, DG_EDATA,
		    "counter value %lld does not fit in %d bits", (long long)n,
		    s->meter.counter_bits);
	*v = dg_dec_make(n, 0);
	return DG_OK;
}

/* The current row as a reading: DG_OK, SKIP (a site without a baseline,
 * counted), or a bad row (its error in in->rerr). */
static int
extract(struct run *ru, struct input *in, struct rec *x)
{
	struct dg_track *tr = ru->tr;
	const char *site = ru->io->site ? ru->io->site :
	    dg_csv_field(in->r, in->c_site, NULL);
	long si = dg_track_find(tr, site);
	struct dg_track_site *s;
	struct dg_tstamp ts;
	int st;

	if (si < 0) {
		if (tr->st.unknown++ == 0)
			snprintf(tr->st.first_unknown,
			    sizeof(tr->st.first_unknown), "%s", site);
		return SKIP;
	}
	s = &tr->s[si];
	if ((st = dg_csv_get_time(in->r, in->c_time, &ts)) != DG_OK)
		return st;
	x->t = dg_tstamp_pick(&ts, s->prev_stamp);
	s->prev_stamp = x->t;
	x->site = (uint32_t)si;
	x->file = in->file;
	x->line = dg_csv_line(in->r);
	x->v = dg_dec_make(0, 0);
	if ((x->missing = dg_csv_is_empty(in->r, in->c_value)))
		return DG_OK;
	if (ru->unit == DG_TRACK_UNIT_PULSES)
		return counter(in->r, in->c_value, s, &x->v);
	return dg_csv_get_dec(in->r, in->c_value, &x->v);
}

/* v (kW or kWh at most 6 decimals kept) times mul seconds: micro-kW-s. */
static int
energy(dg_dec v, int64_t mul, int64_t *e)
{
	dg_dec m;

	if (dg_dec_rescale(v, 6, &m) != DG_OK ||
	    __builtin_mul_overflow(m.v, mul, e))
		return DG_ERANGE;
	return DG_OK;
}

static int
in_window(const struct dg_track *tr, dg_time a, dg_time b)
{
	return b > dg_track_window_start(tr) && a < dg_track_window_end(tr);
}

/* An interval's reading: in the site's time order, once. */
static int
apply_interval(struct run *ru, const struct rec *x)
{
	struct dg_track *tr = ru->tr;
	struct dg_track_site *s = &tr->s[x->site];
	int iv = ru->io->interval_s;
	dg_time a = ru->io->stamp_end ? x->t - iv : x->t, b = a + iv;
	int64_t e = 0;
	char when[DG_TIME_BUFSZ], msg[160];

	if (s->has_prev && a < s->last_a + iv) {
		if (a == s->last_a && x->missing == s->last_missing &&
		    dg_dec_cmp(x->v, s->last_v) == 0) {
			tr->st.duplicates++;
			return DG_OK;
		}
		dg_time_format(s->last_a, when, sizeof(when));
		snprintf(msg, sizeof(msg),
		    "site %s: out of time order or overlapping (its latest reading's interval starts %s)",
		    tr->s[x->site].name, when);
		return bad_rec(ru, x, NULL, msg);
	}
	s->has_prev = 1;
	s->last_a = a;
	s->last_v = x->v;
	s->last_missing = x->missing;
	if (!in_window(tr, a, b)) {
		tr->st.outside++;
		return DG_OK;
	}
	if (!x->missing && energy(x->v, ru->unit == DG_TRACK_UNIT_KW ? iv :
	    3600, &e) != DG_OK)
		return bad_rec(ru, x, ru->io->value_col, "too large a reading");
	return dg_track_feed(tr, x->site, a, b, !x->missing, e,
	    x->missing ? DG_TRACK_Q_MISSING : 0, x->line);
}

/* A pulse reading that is not a site's next one: NULL when it is. */
static const char *
pulse_order(const struct dg_track_site *s, const struct rec *x, int *dup)
{
	*dup = 0;
	if (!s->has_prev || x->t > s->last_a)
		return NULL;
	if (x->t < s->last_a)
		return "out of time order";
	if (x->v.v == s->count) {
		*dup = 1;
		return NULL;
	}
	return "a second, different reading at the same instant";
}

/* A pulse counter's reading closes the interval since the site's one
 * before (dg_pulse_delta: wraps and resets). */
static int
apply_pulse(struct run *ru, const struct rec *x)
{
	struct dg_track *tr = ru->tr;
	struct dg_track_site *s = &tr->s[x->site];
	dg_time a = s->last_a;
	const char *why;
	unsigned f, q;
	int64_t np, e = 0;
	int dup;

	if (!x->missing && (why = pulse_order(s, x, &dup)) != NULL)
		return bad_rec(ru, x, "time", why);
	if (!x->missing && dup) {
		tr->st.duplicates++;
		return DG_OK;
	}
	if (x->missing || !s->has_prev) {
		q = x->missing ? DG_TRACK_Q_MISSING : DG_TRACK_Q_FIRST;
		if (!x->missing) {
			s->has_prev = 1;
			s->last_a = x->t;
			s->count = x->v.v;
		}
		if (!in_window(tr, x->t, x->t + 1)) {
			tr->st.outside++;
			return DG_OK;
		}
		return dg_track_mark(tr, x->site, x->t, q, x->line);
	}
	f = dg_pulse_delta(&s->meter, s->limit_kw, s->count, x->v.v,
	    x->t - a, &np);
	s->count = x->v.v;
	s->last_a = x->t;
	if (!in_window(tr, a, x->t)) {
		tr->st.outside++;
		return DG_OK;
	}
	q = (f & DG_PF_RESET ? DG_TRACK_Q_RESET : 0) |
	    (f & DG_PF_ROLLOVER ? DG_TRACK_Q_ROLLOVER : 0) |
	    (x->t - a > tr->p.max_gap_s ? DG_TRACK_Q_GAP : 0);
	if (!(f & DG_PF_RESET) && (__builtin_mul_overflow(np, 3600, &np) ||
	    energy(s->meter.pulse_kwh, np, &e) != DG_OK))
		return bad_rec(ru, x, "pulses", "too large a count");
	return dg_track_feed(tr, x->site, a, x->t, !(f & DG_PF_RESET), e, q,
	    x->line);
}

static int
apply(struct run *ru, const struct rec *x)
{
	if (ru->unit == DG_TRACK_UNIT_PULSES)
		return apply_pulse(ru, x);
	return apply_interval(ru, x);
}

static int
input_open(struct run *ru, size_t f, const struct dg_csv_opts *o,
    struct input *in)
{
	const struct dg_track_input_opts *io = ru->io;
	struct dg_csv_opts so = *o;
	int st;

	memset(in, 0, sizeof(*in));
	in->file = (uint32_t)f;
	in->c_site = -1;
	so.stream = !io->sort;
	if ((st = dg_csv_open(&in->r, ru->paths[f], &so, &in->rerr)) !=
	    DG_OK ||
	    (io->site == NULL &&
	    (st = dg_csv_require(in->r, io->site_col, &in->c_site)) != DG_OK) ||
	    (st = dg_csv_require(in->r, io->time_col, &in->c_time)) != DG_OK ||
	    (st = dg_csv_require(in->r, io->value_col, &in->c_value)) !=
	    DG_OK) {
		*ru->err = in->rerr;
		dg_csv_close(in->r);
		in->r = NULL;
	}
	return st;
}

/* One row read: a reading to apply (or to sort), or a bad row. */
static int
take_row(struct run *ru, struct input *in)
{
	struct rec x;
	int st = extract(ru, in, &x);

	if (st == SKIP)
		return DG_OK;
	if (st == DG_EDATA || st == DG_ERANGE)
		return bad(ru, &in->rerr);
	if (st != DG_OK) {
		*ru->err = in->rerr;
		return st;
	}
	if (ru->xs != NULL)
		return dg_extsort_add(ru->xs, &x, sizeof(x));
	return apply(ru, &x);
}

static int
read_input(struct run *ru, size_t f, const struct dg_csv_opts *o)
{
	struct input in;
	int st;

	if ((st = input_open(ru, f, o, &in)) != DG_OK)
		return st;
	while ((st = dg_csv_next(in.r)) != DG_EOF) {
		if (st != DG_OK && (st != DG_EDATA || !recoverable(in.r))) {
			*ru->err = in.rerr;
			break;
		}
		ru->tr->st.rows++;
		st = st != DG_OK ? bad(ru, &in.rerr) : take_row(ru, &in);
		if (st != DG_OK)
			break;
	}
	dg_csv_close(in.r);
	return st == DG_EOF ? DG_OK : st;
}

static int
cmp_rec(const void *a, size_t alen, const void *b, size_t blen, void *arg)
{
	dg_time x, y;

	(void)alen;
	(void)blen;
	(void)arg;
	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return (x > y) - (x < y);
}

static int
replay(struct run *ru)
{
	const void *p;
	size_t len;
	struct rec x;
	int st;

	if ((st = dg_extsort_finish(ru->xs)) != DG_OK)
		return st;
	while ((st = dg_extsort_next(ru->xs, &p, &len)) == DG_OK) {
		memcpy(&x, p, sizeof(x));
		if ((st = apply(ru, &x)) != DG_OK)
			return st;
	}
	return st == DG_EOF ? DG_OK : st;
}

/* The options' defaults, the unit, the pulse meters, the inputs' names. */
static int
prepare(struct run *ru, struct dg_track_input_opts *io,
    const char *const *paths, size_t n)
{
	int st;

	io->site_col = io->site_col ? io->site_col : "site";
	io->time_col = io->time_col ? io->time_col : "time";
	io->value_col = io->value_col ? io->value_col : "load_kw";
	if ((ru->names = calloc(n ? n : 1, sizeof(*ru->names))) == NULL)
		return dg_error_set(ru->err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	for (size_t i = 0; i < n; i++)
		ru->names[i] = strcmp(paths[i], "-") == 0 ? "<stdin>" :
		    paths[i];
	if ((st = stream_unit(io, ru->names[0], &ru->unit, ru->err)) != DG_OK)
		return st;
	if (io->site != NULL && dg_track_find(ru->tr, io->site) < 0)
		return dg_error_set(ru->err, DG_EINVAL, NULL, 0, NULL,
		    "site \"%s\" has no baseline of the event", io->site);
	if (ru->unit == DG_TRACK_UNIT_PULSES)
		return set_meters(ru->tr, io->sites, ru->err);
	return DG_OK;
}

int
dg_track_run(struct dg_track *tr, const char *const *paths, size_t n,
    const struct dg_track_input_opts *io0, const struct dg_csv_opts *o,
    const struct dg_track_out *out, struct dg_error *err)
{
	struct dg_track_input_opts io = *io0;
	struct run ru;
	int st;

	memset(&ru, 0, sizeof(ru));
	ru.tr = tr;
	ru.paths = paths;
	ru.io = &io;
	ru.out = out;
	ru.err = err;
	tr->out = out;
	if ((st = prepare(&ru, &io, paths, n)) == DG_OK && io.sort)
		st = dg_extsort_open(&ru.xs, cmp_rec, NULL, 0, err);
	for (size_t f = 0; st == DG_OK && f < n; f++)
		st = read_input(&ru, f, o);
	if (st == DG_OK && ru.xs != NULL)
		st = replay(&ru);
	if (st == DG_OK)
		st = dg_track_finish(tr);
	dg_extsort_free(ru.xs);
	free(ru.names);
	return st;
}
