/* dg-settle statement --format html | pdf: a page per participant and
 * month (lib/dg_html.h) in the directory of -o, every page opened before
 * any is written and all committed together. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dg-settle.h"
#include "dg_html.h"

/* The directory of -o, made when missing (*made). */
static int
page_dir(const char *dir, int *made, struct dg_error *err)
{
	struct stat sb;

	*made = 0;
	if (mkdir(dir, 0777) == 0) {
		*made = 1;
		return DG_OK;
	}
	if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return DG_OK;
	return dg_error_set(err, DG_ECREATE, dir, 0, NULL,
	    "cannot make the pages' directory: %s",
	    errno == EEXIST ? "not a directory" : strerror(errno));
}

/* Opens the page of every participant-month: out[0..n). */
static int
open_pages(const struct opts *o, const struct dg_html_stmt *h,
    struct dg_out **out, size_t n, struct dg_error *err)
{
	const char *ext = o->format == FMT_PDF ? ".pdf" : ".html";
	char name[256], path[4096];
	int st;

	for (size_t i = 0; i < n; i++) {
		if (dg_html_stmt_file(h, i, ext, name, sizeof(name)) != DG_OK)
			return dg_error_set(err, DG_EDATA, o->input, 0,
			    "participant", "a participant's name too long "
			    "for a file name");
		snprintf(path, sizeof(path), "%s/%s", o->cli.output, name);
		if ((st = dg_out_open(&out[i], path, err)) != DG_OK)
			return st;
	}
	return DG_OK;
}

/* Page i: the HTML, or the HTML printed to PDF by Chromium. */
static int
write_page(const struct opts *o, const struct dg_html_stmt *h, size_t i,
    const struct dg_html_opts *ho, FILE *out, struct dg_error *err)
{
	char *html = NULL;
	size_t len = 0;
	FILE *fp;
	int st;

	if (o->format == FMT_HTML)
		return dg_html_stmt_write(h, i, ho, out, err);
	if ((fp = open_memstream(&html, &len)) == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	st = dg_html_stmt_write(h, i, ho, fp, err);
	if (fclose(fp) != 0 && st == DG_OK)
		st = dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	if (st == DG_OK)
		st = dg_html_pdf(html, len, NULL, out, err);
	free(html);
	return st;
}

static int
write_pages(const struct opts *o, struct dg_html_stmt *h,
    struct dg_error *err)
{
	size_t n = dg_html_stmt_count(h);
	struct dg_out **out = calloc(n ? n : 1, sizeof(*out));
	struct dg_html_opts ho;
	int st;

	if (out == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	memset(&ho, 0, sizeof(ho));
	ho.manifests = o->hashes;
	ho.nmanifests = (size_t)o->nhashes;
	ho.paper = o->paper ? o->paper : o->format == FMT_PDF ? "letter" :
	    NULL;
	ho.csv = &o->cli.aux;
	st = open_pages(o, h, out, n, err);
	for (size_t i = 0; i < n && st == DG_OK; i++)
		st = write_page(o, h, i, &ho, dg_out_fp(out[i]), err);
	if (st == DG_OK)
		st = dg_out_commit_all(out, n, err);
	else
		for (size_t i = 0; i < n; i++)
			dg_out_abort(out[i]);
	free(out);
	return st;
}

int
stmt_pages(const struct opts *o, const char *csv, size_t len,
    struct dg_error *err)
{
	struct dg_html_stmt *h = NULL;
	FILE *fp = fmemopen((void *)(uintptr_t)csv, len, "r");
	struct dg_csv_opts own;	/* the CSV just written: its own options */
	int st, made = 0;

	if (fp == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	dg_csv_opts_init(&own);
	st = dg_html_stmt_read(&h, fp, "statement", &own, err);
	fclose(fp);
	if (st == DG_OK && o->cbl != NULL)
		st = dg_html_stmt_days(h, o->cbl, &o->cli.csv, err);
	if (st == DG_OK && dg_html_stmt_count(h) == 0)
		dg_cli_warn("no statement to write: the input has no "
		    "payment lines");
	if (st == DG_OK && (st = page_dir(o->cli.output, &made, err)) ==
	    DG_OK && (st = write_pages(o, h, err)) != DG_OK && made)
		rmdir(o->cli.output);	/* a failed run leaves nothing */
	dg_html_stmt_free(h);
	return st;
}
