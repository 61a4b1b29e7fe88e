/* dg-capacity certify and check: the month's certification of what each
 * resource sells, and the check of a certification file against the
 * UCAP. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg-capacity.h"

static const char *const hdr[] = {
	"site", "month", "locality", "ucap_kw", "sold_kw", "certified_kw",
	"shortfall_kw", "due"
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
write_cert(struct dg_csvw *w, const struct dg_cap_cert *c)
{
	char ym[16];

	dg_cap_month_format(c->month, ym, sizeof(ym));
	dg_csvw_str(w, c->site);
	dg_csvw_str(w, ym);
	dg_csvw_str(w, dg_cap_locality_name(c->locality));
	dg_csvw_dec(w, c->ucap_kw, 3);
	dg_csvw_dec(w, c->sold_kw, 3);
	dg_csvw_dec(w, c->certified_kw, 3);
	dg_csvw_dec(w, c->shortfall_kw, 3);
	dg_csvw_date(w, c->due);
	return dg_csvw_end_row(w);
}

int
cmd_certify(struct opts *o, struct dg_cap_book *b)
{
	struct dg_cap_cert *c = NULL;
	struct dg_error err;
	struct dg_csvw w;
	struct dg_out *out;
	size_t n = 0;
	long short_sites = 0;
	int st;

	dg_error_clear(&err);
	if ((st = dg_cap_certify(b, o->month, o->due_day, &c, &n, &err)) !=
	    DG_OK)
		return dg_cli_report(&err);
	out = cap_open_output(o, &w);
	if (dg_csvw_header(&w, hdr, NELEM(hdr)) != DG_OK)
		st = w.status;
	for (size_t i = 0; i < n && st == DG_OK; i++) {
		short_sites += dg_dec_sign(c[i].shortfall_kw) > 0;
		if (write_cert(&w, &c[i]) != DG_OK)
			st = w.status;
	}
	if (st == DG_OK && short_sites > 0)
		dg_cli_warn("%ld site%s sold above the month's UCAP: certified "
		    "at the UCAP, the shortfall to be bought", short_sites,
		    short_sites == 1 ? "" : "s");
	free(c);
	return cap_finish(o, out, st, &err);
}

int
cmd_check(struct opts *o, struct dg_cap_book *b)
{
	struct dg_error err;
	long rows = 0;
	int st;

	dg_error_clear(&err);
	if ((st = dg_cap_check(b, o->input, &o->cli.aux, &rows, &err)) !=
	    DG_OK)
		return dg_cli_report(&err);
	dg_cli_warn("%s: %ld row%s, none certified above its UCAP",
	    strcmp(o->input, "-") == 0 ? "<stdin>" : o->input, rows,
	    rows == 1 ? "" : "s");
	return 0;
}
