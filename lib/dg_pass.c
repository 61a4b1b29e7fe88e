/* dg_pass.c: the input's other columns passed through (dg_pass.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dg_pass.h"

static int
in_list(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, v[i]) == 0)
			return 1;
	return 0;
}

static int
is_used(int c, const int *used, size_t nused)
{
	for (size_t i = 0; i < nused; i++)
		if (used[i] == c)
			return 1;
	return 0;
}

/* The name taken: s unless an output column has it, else "in_" put
 * before it until no output, input or passed column has it. */
static int
taken(const struct dg_pass *p, const struct dg_csv *r, const char *s,
    const char *const *out, size_t nout)
{
	return in_list(s, out, nout) || dg_csv_col(r, s) >= 0 ||
	    in_list(s, (const char *const *)p->name, p->n);
}

static char *
pass_name(struct dg_pass *p, const struct dg_csv *r, const char *s,
    const char *const *out, size_t nout)
{
	char *name, *t;
	size_t len;

	if (!in_list(s, out, nout))
		return strdup(s);
	p->nrenamed++;
	if ((name = strdup(s)) == NULL)
		return NULL;
	do {
		len = strlen(name);
		if ((t = malloc(len + 4)) == NULL) {
			free(name);
			return NULL;
		}
		memcpy(t, "in_", 3);
		memcpy(t + 3, name, len + 1);
		free(name);
		name = t;
	} while (taken(p, r, name, out, nout));
	return name;
}

int
dg_pass_init(struct dg_pass *p, const struct dg_csv *r, const int *used,
    size_t nused, const char *const *out, size_t nout, struct dg_error *err)
{
	size_t ncols = dg_csv_ncols(r);

	memset(p, 0, sizeof(*p));
	if (ncols == 0)
		return DG_OK;
	p->col = calloc(ncols, sizeof(*p->col));
	p->name = calloc(ncols, sizeof(*p->name));
	if (p->col == NULL || p->name == NULL)
		goto nomem;
	for (size_t c = 0; c < ncols; c++) {
		if (is_used((int)c, used, nused))
			continue;
		p->name[p->n] = pass_name(p, r, dg_csv_colname(r, c), out,
		    nout);
		if (p->name[p->n] == NULL)
			goto nomem;
		p->col[p->n++] = (int)c;
	}
	return DG_OK;
nomem:
	dg_pass_release(p);
	return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}

void
dg_pass_release(struct dg_pass *p)
{
	if (p->name != NULL)
		for (size_t i = 0; i < p->n; i++)
			free(p->name[i]);
	free(p->name);
	free(p->col);
	memset(p, 0, sizeof(*p));
}

int
dg_pass_header(const struct dg_pass *p, struct dg_csvw *w,
    const char *const *out, size_t nout)
{
	for (size_t i = 0; i < nout; i++)
		dg_csvw_str(w, out[i]);
	for (size_t i = 0; i < p->n; i++)
		dg_csvw_str(w, p->name[i]);
	return dg_csvw_end_row(w);
}

void
dg_pass_fields(const struct dg_pass *p, struct dg_csvw *w,
    const struct dg_csv *r)
{
	for (size_t i = 0; i < p->n; i++) {
		size_t len;
		const char *f = dg_csv_field(r, p->col[i], &len);

		dg_csvw_strn(w, f, len);
	}
}
