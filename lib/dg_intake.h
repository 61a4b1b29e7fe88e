/* dg_intake.h: an event's notices as they arrive, turned into ledger
 * records (lib/dg_ledger.h): typed by a dispatcher, a CSV notice file, or
 * the text of a notice e-mail.
 *
 * A CSV notice file has the events file's columns (event, program, date,
 * start, end, and optionally site) and optionally kind (standby, call,
 * change, cancel, allclear; default call), zone and received (when the
 * notice was issued, a stamp).  One record per row; source "csv", ref the
 * row's SHA-256 (its first 16 hex digits), so that the same row imported
 * twice is recognised.
 *
 * A notice e-mail is a message (RFC 5322: headers, a blank line, a body)
 * whose body holds lines "Key: value" (case does not matter; other lines
 * are ignored):
 *   Event: ID        Program: NAME     Zone: NAME      Kind: KIND
 *   Date: YYYY-MM-DD Start: HH:MM      End: HH:MM      Sites: A, B
 * Kind, when absent, is read from the Subject: "cancel" or "called off"
 * make a cancel, "all clear" or "all-clear" an allclear, "standby" or
 * "pre-activation" a standby, "change" or "revised" a change, anything
 * else a call.  received is the message's Date header; source "email",
 * ref its Message-ID (required: it is how a message read twice is
 * recognised).
 *
 * dg-schedule's notices make a call of the day-ahead schedule (see
 * dg_intake_schedule).
 *
 * Times are local clock times of the market zone (HH:MM, 24:00 for the
 * midnight that ends the day). */
#ifndef DG_INTAKE_H
#define DG_INTAKE_H

#include <stddef.h>

#include "dg_csv.h"
#include "dg_ledger.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dg_intake {
	struct dg_ledger_rec *v;	/* the records, strings in pool */
	size_t n, cap;
	char **pool;
	size_t npool, cappool;
};

void dg_intake_init(struct dg_intake *in);
void dg_intake_release(struct dg_intake *in);
/* A copy of s kept as long as in (NULL for NULL); NULL when out of
 * memory. */
const char *dg_intake_str(struct dg_intake *in, const char *s);
/* A new record of kind at recorded, zeroed; NULL when out of memory. */
struct dg_ledger_rec *dg_intake_add(struct dg_intake *in, int kind,
    dg_time recorded);

/* The instant of local clock time hhmm ("HH:MM", "24:00" when end) on
 * date d.  DG_EDATA with a static reason in *why. */
int dg_intake_clock(dg_date d, const char *hhmm, int end, dg_time *t,
    const char **why);

/* The records of a CSV notice file (path "-": standard input), stamped
 * recorded.  Errors name the file, line and column. */
int dg_intake_csv(struct dg_intake *in, const char *path,
    const struct dg_csv_opts *o, dg_time recorded, struct dg_error *err);
/* The records of a notice e-mail (path "-": standard input).  Errors name
 * the file and line. */
int dg_intake_email(struct dg_intake *in, const char *path, dg_time recorded,
    struct dg_error *err);
/* The sites of dg-schedule's notices (site,start,stop,hours,mw: the
 * day-ahead schedule's awards) as a call of event in program: one record
 * per site with its kW, the first carrying the window from the earliest
 * start to the latest stop; source "schedule", ref the SHA-256 of the
 * site's row (16 hex digits).  A file of no rows makes no record. */
int dg_intake_schedule(struct dg_intake *in, const char *path,
    const struct dg_csv_opts *o, const char *event, const char *program,
    dg_time recorded, struct dg_error *err);
/* An RFC 5322 date ("Wed, 20 Jul 2022 11:00:00 -0400"): DG_EDATA when it
 * is not one. */
int dg_intake_rfc5322_date(const char *s, dg_time *t);

#ifdef __cplusplus
}
#endif
#endif
