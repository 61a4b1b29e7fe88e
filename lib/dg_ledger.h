/* dg_ledger.h: the event ledger, an append-only CSV record of each event's
 * life (standby, call, change, cancellation, all-clear) and of every
 * notice about it (attempts, deliveries, bounces, acknowledgements), that
 * an auditor can check from the file alone.
 *
 * The file: a header row, then one record per line, always these columns
 * in this order (the ledger is written only by this module):
 *
 *   seq,recorded,kind,event,program,zone,site,start,end,kw,received,
 *   source,ref,notice,person,channel,to,detail,prev,hash
 *
 *   seq       1, 2, ...: the record's number
 *   recorded  when the record was written (ISO 8601 with offset)
 *   kind      what happened (enum dg_ledger_kind, by name)
 *   event ... the event, its program, zone and site (empty: every site);
 *             start and end its window (stamps); kw a dispatch's kW
 *   received  when the source issued or sent it; source and ref: where
 *             it came from (manual, csv, email, openadr, dg-notify) and
 *             that source's own reference (a Message-ID, an OpenADR id)
 *   notice ... a notice's id, the person, the channel (email, webhook,
 *             sms), the address; detail: free text (a server's reply)
 *   prev      the hash of the record before (of the header line for the
 *             first record)
 *   hash      SHA-256 of the line's bytes before this field (so of prev
 *             too): each record seals the whole ledger before it
 *
 * A record is one physical line: control characters in values are
 * written as spaces.  An edited record no longer matches its hash; a
 * record removed, inserted or moved breaks the chain of prev; a line cut
 * short (a crash while writing) has no line end.  dg_ledger_read checks
 * all of it and names the first bad line.
 *
 * Several writers at once (cron, the notifier, a person): every append
 * holds an exclusive flock(2) on the file while it reads the last record
 * and writes its own with one write(2), so records are never lost or
 * interleaved.  A last line without a line end (a writer killed in
 * write(2)) is cut off by the next append, which says so (torn). */
#ifndef DG_LEDGER_H
#define DG_LEDGER_H

#include <stddef.h>
#include <stdio.h>

#include "dg_csv.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

enum dg_ledger_kind {
	/* an event's life */
	DG_LK_STANDBY,		/* pre-activation: a call may come */
	DG_LK_CALL,		/* the call: the event's window */
	DG_LK_CHANGE,		/* a new window, or a site added */
	DG_LK_CANCEL,		/* called off */
	DG_LK_ALLCLEAR,		/* over; end: when it ended */
	/* notices (dg-notify) */
	DG_LK_NOTICE,		/* a notice to a site opened; ref: its kind */
	DG_LK_ATTEMPT,		/* a send begins */
	DG_LK_DELIVERED,	/* the server took it */
	DG_LK_RETRY,		/* a temporary failure: tried again */
	DG_LK_BOUNCE,		/* a permanent failure: next channel */
	DG_LK_SKIP,		/* a channel passed over (outside its hours) */
	DG_LK_ESCALATE,		/* to the next person */
	DG_LK_ACK,		/* acknowledged */
	DG_LK_UNACKED,		/* nobody left to escalate to */
	/* OpenADR */
	DG_LK_REPORT,		/* a report posted to the VTN */
	DG_LK_NKINDS
};
const char *dg_ledger_kind_name(int kind);
/* The kind named s, or -1. */
int dg_ledger_kind_parse(const char *s);
/* Whether kind is one of an event's life (standby .. allclear). */
int dg_ledger_kind_is_event(int kind);

#define DG_LEDGER_NCOLS 20
#define DG_LEDGER_HEX 65	/* SHA-256 as hex, and a NUL */
#define DG_LEDGER_NOTIME INT64_MIN

/* One record.  Strings may be NULL (written empty); times
 * DG_LEDGER_NOTIME.  Read records point into the reader's buffers, valid
 * until the next record. */
struct dg_ledger_rec {
	long seq;		/* set by the append */
	dg_time recorded;
	int kind;
	const char *event, *program, *zone, *site;
	dg_time start, end;
	const char *kw;		/* an exact decimal as text */
	dg_time received;
	const char *source, *ref, *notice, *person, *channel, *to, *detail;
	char prev[DG_LEDGER_HEX], hash[DG_LEDGER_HEX];
	long line;		/* read: the line in the file */
};
/* An empty record of kind at instant recorded. */
void dg_ledger_rec_init(struct dg_ledger_rec *r, int kind, dg_time recorded);

/* --- Appending ---------------------------------------------------------- */

struct dg_ledger;
/* Opens (creates, mode 0640 less the umask) the ledger at path for
 * appending.  DG_ECREATE when it cannot be opened. */
int dg_ledger_open(struct dg_ledger **l, const char *path,
    struct dg_error *err);
void dg_ledger_close(struct dg_ledger *l);
/* Holds the ledger's lock across several steps (read, decide, append):
 * no other writer appends in between.  Appends inside take it again
 * freely.  Blocks until the lock is free. */
int dg_ledger_lock(struct dg_ledger *l, struct dg_error *err);
int dg_ledger_unlock(struct dg_ledger *l, struct dg_error *err);
/* Appends recs[0..n) (their seq, prev and hash are set) with one write,
 * under the lock; with sync, the file is synced before the lock is let
 * go.  DG_EIO on a write error, DG_EDATA when the last record of the file
 * is not a ledger record (dg_ledger_read says which line). */
int dg_ledger_append(struct dg_ledger *l, struct dg_ledger_rec *recs,
    size_t n, int sync, struct dg_error *err);
/* Syncs what was appended.  DG_EIO. */
int dg_ledger_sync(struct dg_ledger *l, struct dg_error *err);
/* Bytes of a torn last line cut off by appends so far (0: none). */
long dg_ledger_torn(const struct dg_ledger *l);
/* The number of records and the hash of the last (the header's when
 * none), as the last append or lock saw them. */
long dg_ledger_count(const struct dg_ledger *l);
const char *dg_ledger_head(const struct dg_ledger *l);

/* --- Reading and checking ---------------------------------------------- */

/* Reads and checks the whole ledger at path, calling fn on each record in
 * order (fn may be NULL: a check only); fn's status other than DG_OK
 * stops the read and is returned.  A path that does not exist is an
 * empty ledger when missing_ok.  Errors name the file and line: a header
 * that is not the ledger's, a record that does not match its hash
 * (edited), a prev that is not the hash of the record before (removed,
 * inserted or moved), a seq out of order, a bad value (column named), a
 * last line without a line end.  *count and head (may be NULL) get the
 * number of records and the last hash. */
typedef int (*dg_ledger_fn)(void *arg, const struct dg_ledger_rec *r,
    struct dg_error *err);
int dg_ledger_read(const char *path, int missing_ok, dg_ledger_fn fn,
    void *arg, long *count, char head[DG_LEDGER_HEX], struct dg_error *err);

/* --- Events ------------------------------------------------------------- */

enum dg_ledger_status {
	DG_LS_STANDBY,		/* notified, not called */
	DG_LS_CALLED,
	DG_LS_CANCELLED,
	DG_LS_CLEARED
};
const char *dg_ledger_status_name(int status);

/* An event as its records so far leave it. */
struct dg_ledger_event {
	char *id, *program, *zone;
	dg_time start, end;	/* DG_LEDGER_NOTIME: not known yet */
	dg_time notice;		/* when the call was received */
	int status;		/* enum dg_ledger_status */
	char **sites;		/* nsites == 0: every site of the program */
	size_t nsites, capsites;
	int last_kind;		/* the kind of its last record */
	long last_seq, last_line, first_line;
	char *source, *ref;	/* of its last record */
};

struct dg_ledger_events {
	struct dg_ledger_event *v;	/* in the order first recorded */
	size_t n, cap;
	char *file;
};

void dg_ledger_events_init(struct dg_ledger_events *es, const char *file);
void dg_ledger_events_release(struct dg_ledger_events *es);
/* Folds one record in (records that are not of an event's life are left
 * alone).  DG_EDATA naming the record's line and column: a program or
 * zone other than the event's, a change, cancellation or all-clear of an
 * event never recorded, a window that ends before it starts. */
int dg_ledger_events_add(struct dg_ledger_events *es,
    const struct dg_ledger_rec *r, struct dg_error *err);
/* The event named id, or NULL. */
struct dg_ledger_event *dg_ledger_events_find(
    const struct dg_ledger_events *es, const char *id);
/* Reads and checks the ledger, folding every record in. */
int dg_ledger_events_read(struct dg_ledger_events *es, const char *path,
    struct dg_error *err);
/* Writes the events file that dg-cbl, dg-ucap and dg-settle read
 * (lib/dg_events.h): event,program,date,start,end,site,zone,notice, one
 * row per site called (one with an empty site for every site), for the
 * events called (or called and cleared) whose start is dated from..to
 * (inclusive), by start then id.  An event called off, or only on
 * standby, is left out.  DG_EDATA (naming the event's last line) for a
 * window the events file cannot hold: not on whole minutes, or over a
 * local midnight. */
int dg_ledger_export(const struct dg_ledger_events *es, dg_date from,
    dg_date to, struct dg_csvw *w, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
