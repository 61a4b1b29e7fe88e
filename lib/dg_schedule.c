/* dg_schedule.c: one unit's run schedule by dynamic programming.
 *
 * State at the start of hour h: off, or on with d more hours it must run
 * (d = 0: free to stop), and the hours used so far today.  d is capped at
 * the day's length (a unit that needs more hours than are left can never
 * stop today either way), so the state space is at most 27 x 26. */
#include <config.h>

#include <string.h>

#include "dg_schedule.h"

#define NEG (INT64_MIN / 4)
#define MAXD (DG_SCHED_MAX_HOURS + 1)

struct ctx {
	const struct dg_sched_unit *u;
	int U, L1;
};

/* Decision x in hour h from state (s, used): 1 when permitted, with the
 * next state and the gain. */
static int
step(const struct ctx *c, int h, int s, int used, int x, int *ns, int *nused,
    int64_t *gain)
{
	const struct dg_sched_unit *u = c->u;
	int on = s > 0, d = s - 1;

	if (x == 0) {
		if (u->commit == DG_SCHED_MUST_RUN)
			return 0;
		if (on && (d > 0 || u->commit == DG_SCHED_MUST_NOT_STOP))
			return 0;
		*ns = 0;
		*nused = used;
		*gain = 0;
		return 1;
	}
	if (used + 1 > c->U)
		return 0;
	if (!(u->commit == DG_SCHED_MUST_RUN || u->allowed[h] ||
	    (on && (d > 0 || u->commit == DG_SCHED_MUST_NOT_STOP))))
		return 0;
	if (on) {
		*ns = 1 + (d > 0 ? d - 1 : 0);
		*gain = u->value[h];
	} else {
		*ns = 1 + c->L1;
		*gain = u->value[h] - u->start_cents;
	}
	*nused = used + 1;
	return 1;
}

int
dg_schedule_unit(const struct dg_sched_unit *u, unsigned char *run,
    int64_t *total, int *starts)
{
	static const int64_t lim = INT64_MAX / 64;
	int64_t V[DG_SCHED_MAX_HOURS + 1][MAXD + 1][DG_SCHED_MAX_HOURS + 1];
	struct ctx c;
	int nh, D, NS, d0, s, used;

	if (u == NULL || run == NULL || u->nh < 1 || u->nh > DG_SCHED_MAX_HOURS ||
	    u->min_run_h < 1 || u->init_hours < 0 || u->start_cents < 0 ||
	    u->start_cents > lim || u->commit < DG_SCHED_FREE ||
	    u->commit > DG_SCHED_MUST_NOT_STOP || u->value == NULL ||
	    u->allowed == NULL)
		return DG_EINVAL;
	nh = u->nh;
	for (int h = 0; h < nh; h++)
		if (u->value[h] > lim || u->value[h] < -lim)
			return DG_EINVAL;
	c.u = u;
	c.U = u->max_run_h < 0 || u->max_run_h > nh ? nh : u->max_run_h;
	c.L1 = u->min_run_h - 1 < nh ? u->min_run_h - 1 : nh;
	d0 = 0;
	if (u->init_on) {
		int had = u->init_hours > 0 ? u->init_hours : 1;

		d0 = u->min_run_h > had ? u->min_run_h - had : 0;
		if (d0 > nh)
			d0 = nh;
	}
	D = c.L1 > d0 ? c.L1 : d0;
	NS = D + 2;
	for (s = 0; s < NS; s++)
		for (used = 0; used <= c.U; used++)
			V[nh][s][used] = 0;
	for (int h = nh - 1; h >= 0; h--)
		for (s = 0; s < NS; s++)
			for (used = 0; used <= c.U; used++) {
				int64_t best = NEG;

				for (int x = 0; x <= 1; x++) {
					int ns, nu;
					int64_t g;

					if (!step(&c, h, s, used, x, &ns, &nu, &g) ||
					    V[h + 1][ns][nu] == NEG)
						continue;
					if (V[h + 1][ns][nu] + g > best)
						best = V[h + 1][ns][nu] + g;
				}
				V[h][s][used] = best;
			}
	s = u->init_on ? 1 + d0 : 0;
	used = 0;
	if (V[0][s][0] == NEG)
		return DG_EDATA;
	*total = V[0][s][0];
	if (starts)
		*starts = 0;
	for (int h = 0; h < nh; h++) {
		int ns, nu, x;
		int64_t g;

		/* staying off first: it wins ties */
		for (x = 0; x <= 1; x++)
			if (step(&c, h, s, used, x, &ns, &nu, &g) &&
			    V[h + 1][ns][nu] != NEG &&
			    V[h + 1][ns][nu] + g == V[h][s][used])
				break;
		if (x > 1)
			return DG_EINTERNAL;
		run[h] = (unsigned char)x;
		if (x == 1 && s == 0 && starts)
			(*starts)++;
		s = ns;
		used = nu;
	}
	return DG_OK;
}
