/* dg_openadr.h: a VEN (virtual end node) of OpenADR 3.0.1, the OpenADR
 * Alliance's REST and JSON protocol, for the calls a utility or ISO sends
 * through its VTN (virtual top node).
 *
 * What is implemented, of the specification's OpenAPI definition:
 *   POST {token_url}   OAuth2 client credentials (form: grant_type,
 *                      client_id, client_secret, scope); the bearer token
 *                      is kept until 30 s before its expires_in, and asked
 *                      for again on a 401 or 403
 *   GET /programs      with skip and limit (pages of 50)
 *   GET /events        ?programID=ID, with skip and limit
 *   POST /reports      a report of an event (see dg_oadr_report_json)
 * Of the objects: program (id, programName), event (id, programID,
 * eventName, createdDateTime, modificationDateTime, targets,
 * intervalPeriod, intervals with their own intervalPeriod and payloads),
 * report (programID, eventID, clientName, reportName, payloadDescriptors,
 * resources with intervals).  Targets of type RESOURCE_NAME name the
 * sites called (none: every site of the program), SERVICE_AREA the zone.
 * An event's window runs from its first interval's start to its last
 * interval's end (an interval without its own start follows the one
 * before); a window of no length at "0000-00-00" is the specification's
 * cancellation, and an event gone from the VTN before its end is called
 * off too (User Guide 7.9).
 * Not implemented: subscriptions and notifications (webhooks to the VEN:
 * it polls), vens and resources, the writing of programs and events (a
 * BL's), randomizeStart, events that never end (P9999Y: skipped and
 * counted), report descriptors' schedules (a report is posted when asked
 * for with dg-event report). */
#ifndef DG_OPENADR_H
#define DG_OPENADR_H

#include <stddef.h>
#include <stdint.h>

#include "dg_http.h"
#include "dg_intake.h"
#include "dg_ledger.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The VEN's configuration file (lib/dg_conf.h: key = value, mode 600):
 *   vtn_url        the VTN's base URL (required), e.g.
 *                  https://vtn.example/openadr3/3.0.1
 *   token_url      default: vtn_url/auth/token
 *   client_id, client_secret   the VEN's credentials (required)
 *   scope          asked for with the token (default: none)
 *   ven_name       the reports' clientName (default: client_id)
 *   programs       the programs followed, "VTNNAME=OURS, ..." or
 *                  "NAME, ..." (the same name both sides); default: every
 *                  program, named as on the VTN
 *   cacert         trusted certificates for https (default: the system's)
 *   timeout        seconds per request (default 30) */
struct dg_oadr_conf {
	char *vtn_url, *token_url, *client_id, *client_secret, *scope;
	char *ven_name, *cacert;
	char **vtn_names, **our_names;	/* programs followed */
	size_t nprograms;
	double timeout_s;
	char *file;
};
int dg_oadr_conf_read(struct dg_oadr_conf *c, const char *path,
    struct dg_error *err);
void dg_oadr_conf_release(struct dg_oadr_conf *c);

/* An event as read from the VTN. */
struct dg_oadr_event {
	char *id, *program_id, *program;	/* program: our name */
	char *name, *version;	/* version: modificationDateTime (or
				 * createdDateTime) */
	dg_time created, start, end;
	int cancelled;		/* a window of no length */
	int open_ended;		/* an interval of P9999Y */
	char **sites;
	size_t nsites;
	char *zone;		/* a SERVICE_AREA target, or NULL */
	char *payloads;		/* "0:SIMPLE=1 1:SIMPLE=2" */
};
void dg_oadr_events_free(struct dg_oadr_event *v, size_t n);

/* An ISO 8601 duration (PnW, PnDTnHnMnS, PnYnM taken as 365 and 30 days)
 * in seconds; P9999Y and longer: *secs = -1 (no end).  DG_EDATA. */
int dg_oadr_duration(const char *s, int64_t *secs);
/* An RFC 3339 date-time (2023-06-15T09:30:00Z, fractions of a second
 * dropped, an offset) as an instant; "0000-00-00": *t = DG_LEDGER_NOTIME.
 * DG_EDATA. */
int dg_oadr_datetime(const char *s, dg_time *t);
/* The events of a JSON array of event objects (a GET /events response),
 * named in messages by what (a URL).  DG_EDATA for JSON that is not an
 * array of events (a missing id, programID or intervals, a bad time). */
int dg_oadr_parse_events(const char *json, size_t len, const char *what,
    struct dg_oadr_event **v, size_t *n, struct dg_error *err);

/* A VEN's session with its VTN. */
struct dg_oadr {
	const struct dg_oadr_conf *conf;
	struct dg_http http;
	char *token;
	dg_time token_expires;	/* real time; INT64_MAX: none given */
	long ntokens;		/* tokens obtained */
	size_t skipped;		/* events without an end (last poll) */
};
int dg_oadr_open(struct dg_oadr *s, const struct dg_oadr_conf *c,
    struct dg_error *err);
void dg_oadr_close(struct dg_oadr *s);
/* Every event of the programs followed, as the VTN has them now.
 * DG_EUNAVAIL (the VTN cannot be reached, refuses the credentials,
 * answers with an error: the message has its problem's title and
 * detail), DG_EDATA (a response that is not the specification's). */
int dg_oadr_poll(struct dg_oadr *s, struct dg_oadr_event **v, size_t *n,
    struct dg_error *err);
/* POSTs a report (JSON text); *id gets the VTN's id of it (freed by the
 * caller).  DG_EUNAVAIL as dg_oadr_poll. */
int dg_oadr_post_report(struct dg_oadr *s, const char *json, char **id,
    struct dg_error *err);

/* The ledger records a poll's events make, given the events the ledger
 * holds (es) and whether it already holds a record of the source
 * "openadr" with a ref (seen): a call for an event first seen, a change
 * (the window, sites added) or a cancel for one modified since, a cancel
 * for an event of a program followed that is gone from the VTN before its
 * end.  Ledger events are named "OADR-" and the VTN's event id; the ref is
 * "PROGRAMID/EVENTID@VERSION". */
int dg_oadr_records(const struct dg_oadr_conf *c,
    const struct dg_ledger_events *es,
    int (*seen)(void *arg, const char *ref), void *arg,
    const struct dg_oadr_event *v, size_t n, dg_time now,
    struct dg_intake *out, struct dg_error *err);

/* A report of event (the VTN's programID and eventID from the ledger
 * event's ref) from dg-cbl's output rows of that event: per site a
 * resource, per hour an interval of PT1H with the payloads BASELINE
 * (adjusted_cbl_kw), USAGE (actual_kw) and DELTA_USAGE (actual_kw -
 * adjusted_cbl_kw), in KW, exact as read.  *json is the text (freed by
 * the caller); *nsites and *nintervals say what it holds.  DG_EDATA for a
 * bad row (file, line, column), or an event with no rows. */
int dg_oadr_report_json(const struct dg_oadr_conf *c,
    const struct dg_ledger_event *e, const char *cbl_path,
    const struct dg_csv_opts *o, char **json, size_t *nsites,
    size_t *nintervals, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
