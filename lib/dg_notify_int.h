/* dg_notify_int.h: what the notifier's files share; private. */
#ifndef DG_NOTIFY_INT_H
#define DG_NOTIFY_INT_H

#include "dg_notify.h"

struct dg_notify_due {
	size_t notice;
	double at;		/* monotonic seconds */
};

/* Writes recs[0..n) to the ledger (a dry run: keeps them in memory only)
 * and folds them into the notices. */
int dg_notifier_put(struct dg_notifier *nf, struct dg_ledger_rec *r,
    size_t n, struct dg_error *err);

#endif
