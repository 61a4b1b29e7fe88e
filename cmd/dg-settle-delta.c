/* dg-settle delta: the change, per participant and to the cent, between
 * two versions of a month's statements. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg-settle.h"

/* The manifests of the two runs, and what changed between them. */
struct deltawhy {
	struct dg_manifest m[2][MAXFILES];
	int n[2];
	struct dg_manifest_change *ch;
	size_t nch;
	char why[1024];		/* one line, for the CSV */
};

static void
why_free(struct deltawhy *dw)
{
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < dw->n[s]; i++)
			dg_manifest_release(&dw->m[s][i]);
	free(dw->ch);
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Reads the manifests and says what changed: "rt-prices X.csv changed;
 * ...", "no input changed", or "" without manifests. */
static int
delta_why(const struct opts *o, struct deltawhy *dw, struct dg_error *err)
{
	size_t k = 0;
	int st;

	memset(dw, 0, sizeof(*dw));
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < (s ? o->nnewm : o->noldm); i++) {
			const char *path = s ? o->newm[i] : o->oldm[i];

			if ((st = dg_manifest_read(&dw->m[s][i], path,
			    &o->cli.aux, err)) != DG_OK)
				return st;
			dw->n[s]++;
		}
	if (dw->n[0] + dw->n[1] == 0)
		return DG_OK;
	if (dg_manifest_changes(dw->m[0], (size_t)dw->n[0], dw->m[1],
	    (size_t)dw->n[1], &dw->ch, &dw->nch) != DG_OK)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	snprintf(dw->why, sizeof(dw->why), "no input changed");
	for (size_t i = 0; i < dw->nch; i++) {
		const struct dg_manifest_change *c = &dw->ch[i];
		int w = snprintf(dw->why + k, sizeof(dw->why) - k, "%s%s %s %s",
		    k ? "; " : "", c->role, base_name(c->path),
		    c->old_sha256 == NULL ? "added" : c->new_sha256 == NULL ?
		    "removed" : "changed");

		if (w < 0 || (size_t)w >= sizeof(dw->why) - k)
			break;
		k += (size_t)w;
	}
	return DG_OK;
}

/* The inputs that changed, for the text form. */
static void
why_text(FILE *fp, const struct deltawhy *dw, const char *eol)
{
	if (dw->n[0] + dw->n[1] == 0) {
		fprintf(fp, "Inputs: no manifests given%s", eol);
		return;
	}
	fprintf(fp, "Inputs changed:%s%s", dw->nch ? "" : " none", eol);
	for (size_t i = 0; i < dw->nch; i++) {
		const struct dg_manifest_change *c = &dw->ch[i];

		fprintf(fp, "  %s %s: sha256 %.12s%s -> %.12s%s%s", c->role,
		    c->path,
		    c->old_sha256 ? c->old_sha256 : "(none)",
		    c->old_sha256 ? "..." : "",
		    c->new_sha256 ? c->new_sha256 : "(none)",
		    c->new_sha256 ? "..." : "", eol);
	}
}

static const char *const delta_header[] = {
	"participant", "month", "row", "site", "program", "payer",
	"old_payment_usd", "new_payment_usd", "payment_change_usd",
	"old_aggregator_usd", "new_aggregator_usd", "aggregator_change_usd",
	"old_participant_usd", "new_participant_usd", "participant_change_usd",
	"why"
};

struct deltarun {
	const struct deltawhy *dw;
	struct textab tb;	/* text: the table; csv: tb.cell is NULL */
	struct dg_csvw *w;
	size_t row;
};

static int
delta_count(void *arg, const struct dg_settle_delta_row *r)
{
	(void)arg;
	(void)r;
	return DG_OK;
}

/* A changed row: to the CSV, or into the text table (without why). */
static int
delta_line(void *arg, const struct dg_settle_delta_row *r)
{
	struct deltarun *dr = arg;
	const char *key[6] = { r->participant, r->month, r->row, r->site,
	    r->program, r->payer };
	char b[9][64];
	int st = DG_OK;

	for (int i = 0; i < 3; i++) {
		char *chg = b[3 * i + 2];	/* a gain with its '+' */

		fmt_dec(r->old_usd[i], 2, 0, b[3 * i], sizeof(b[0]));
		fmt_dec(r->new_usd[i], 2, 0, b[3 * i + 1], sizeof(b[0]));
		chg[0] = dg_dec_sign(r->change_usd[i]) > 0 ? '+' : '\0';
		fmt_dec(r->change_usd[i], 2, 0, chg + (chg[0] == '+'),
		    sizeof(b[0]) - 1);
	}
	if (dr->tb.cell == NULL) {
		for (int i = 0; i < 6; i++)
			dg_csvw_str(dr->w, key[i]);
		for (int i = 0; i < 9; i++)
			dg_csvw_str(dr->w, b[i]);
		dg_csvw_str(dr->w, dr->dw->why);
		return dg_csvw_end_row(dr->w);
	}
	dr->row++;
	for (int i = 0; i < 15 && st == DG_OK; i++)
		st = tab_put(&dr->tb, dr->row * 15 + (size_t)i, i < 6 ? key[i] :
		    b[i - 6]);
	return st;
}

static int
delta_write(const struct opts *o, struct dg_settle_delta *d,
    const struct deltawhy *dw, struct run *x, struct dg_error *err)
{
	const char *eol = o->cli.crlf ? "\r\n" : "\n";
	struct deltarun dr;
	long n;
	int st;

	memset(&dr, 0, sizeof(dr));
	dr.dw = dw;
	dr.w = &x->w;
	if (!o->text) {
		if ((st = dg_csvw_header(&x->w, delta_header, 16)) == DG_OK)
			st = dg_settle_delta_emit(d, delta_line, &dr, &n, err);
		return st;
	}
	if ((st = dg_settle_delta_emit(d, delta_count, NULL, &n, err)) != DG_OK)
		return st;
	if ((st = tab_init(&dr.tb, (size_t)n + 1, 15)) != DG_OK)
		return dg_error_set(err, st, NULL, 0, NULL, "out of memory");
	for (int i = 0; i < 15 && st == DG_OK; i++)
		st = tab_put(&dr.tb, (size_t)i, delta_header[i]);
	if (st == DG_OK)
		st = dg_settle_delta_emit(d, delta_line, &dr, &n, err);
	if (st == DG_OK) {
		why_text(dg_out_fp(x->out), dw, eol);
		fprintf(dg_out_fp(x->out), "%ld row%s changed%s%s", n,
		    n == 1 ? "" : "s", n ? ":" : "", eol);
		if (n > 0)
			tab_text(dg_out_fp(x->out), &dr.tb, eol);
	}
	tab_free(&dr.tb);
	return st == DG_ENOMEM ? dg_error_set(err, st, NULL, 0, NULL,
	    "out of memory") : st;
}

int
cmd_delta(struct opts *o)
{
	struct dg_settle_delta *d = NULL;
	struct deltawhy *dw = calloc(1, sizeof(*dw));
	struct dg_error err;
	struct run x;
	int st;

	if (dw == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	if (o->nargs != 2) {
		dg_cli_warn("delta: two statements, OLD and NEW");
		usage(stderr, DG_EX_USAGE);
	}
	dg_error_clear(&err);
	run_init(o, &x);
	record(&x, "old", o->args[0]);
	record(&x, "new", o->args[1]);
	for (int i = 0; i < o->noldm; i++)
		record(&x, "old-manifest", o->oldm[i]);
	for (int i = 0; i < o->nnewm; i++)
		record(&x, "new-manifest", o->newm[i]);
	if ((st = dg_settle_delta_read(&d, o->args[0], o->args[1], &o->cli.csv,
	    &err)) == DG_OK && (st = delta_why(o, dw, &err)) == DG_OK &&
	    (st = run_open(o, &x, &err)) == DG_OK)
		st = delta_write(o, d, dw, &x, &err);
	st = run_end(o, &x, st, &err);
	dg_settle_delta_free(d);
	why_free(dw);
	free(dw);
	return st;
}
