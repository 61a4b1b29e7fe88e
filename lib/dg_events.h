/* dg_events.h: the events file, read one way by every program (dg-cbl,
 * dg-ucap, dg-settle).
 *
 * Columns, by name, in any order:
 *   event    the call's name (required, not empty)
 *   program  the program that called it (EDRP, SCR, LIPA, ...)
 *   date     the local date of the call (YYYY-MM-DD, or a spreadsheet's
 *            forms that dg_date_parse reads)
 *   start    local clock time HH:MM (HH:MM:SS with :00 seconds, as a
 *            spreadsheet writes it)
 *   end      the same, after start; 24:00 is the next midnight
 *   site     optional: the call applies to this site only; empty or no
 *            column: to every site enrolled in the program
 *   notice   optional: when the call was given, kept as text (dg-settle
 *            reads it: dg_settle_notice_lead)
 * Other columns are ignored.
 *
 * One event may have several rows, one per site it calls: its rows must
 * agree on program, date, start and end, and name each site once; an
 * event for every site (no site) has one row. */
#ifndef DG_EVENTS_H
#define DG_EVENTS_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_event {
	char *id, *program;
	char *site;		/* NULL: every site enrolled in program */
	char *notice;		/* the notice column's text, or NULL */
	dg_date date;
	int start_min, end_min;	/* local clock minutes; end_min up to 1440 */
	dg_time start, end;	/* the call's instants [start, end) */
	long line;
};

struct dg_events {
	struct dg_event *v;	/* by date, start, then file order */
	size_t n, cap;
	size_t *by_id;		/* indexes of v by id, then file order */
	char *file;		/* the file's name, for messages */
	char col_program[32], col_site[32];
};

int dg_events_read(struct dg_events *es, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_events_release(struct dg_events *es);

/* The first row (in file order) of event id, or NULL. */
const struct dg_event *dg_events_find(const struct dg_events *es,
    const char *id);
/* Whether event e calls site. */
int dg_event_applies(const struct dg_event *e, const char *site);

/* Keeps the events dated from..to (inclusive); returns how many rows were
 * left out, or (size_t)-1 when out of memory. */
size_t dg_events_select(struct dg_events *es, dg_date from, dg_date to);

/* Every event's program is one of programs[0..np) and every named site
 * one of sites[0..ns) (a NULL list is not checked).  DG_EDATA naming the
 * row and column: `unknown program "EDRP2" (known: EDRP, LIPA, SCR)`. */
int dg_events_check_names(const struct dg_events *es,
    const char *const *programs, size_t np, const char *const *sites,
    size_t ns, struct dg_error *err);
/* Every event starts and ends on a whole hour (the baseline rules count
 * hours): DG_EDATA naming the first that does not. */
int dg_events_whole_hours(const struct dg_events *es, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
