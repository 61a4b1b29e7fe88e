/* dg_html_pdf.c: an HTML page printed to PDF by headless Chromium
 * (dg_html.h).  Chromium renders the page the customer opens, inline SVG
 * and print style sheet included, so the PDF is that page on paper. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_html.h"
#include "dg_proc.h"

/* Removes the directory dir and everything under it (Chromium's profile
 * is a tree). */
static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (d == NULL) {
		unlink(dir);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
write_file(const char *path, const char *buf, size_t len)
{
	FILE *fp = fopen(path, "w");
	int ok;

	if (fp == NULL)
		return DG_ECREATE;
	ok = fwrite(buf, 1, len, fp) == len;
	return fclose(fp) == 0 && ok ? DG_OK : DG_EIO;
}

/* Copies the PDF at path to out. */
static int
copy_out(const char *path, FILE *out, struct dg_error *err)
{
	FILE *fp = fopen(path, "r");
	char buf[65536];
	size_t n;
	int st = DG_OK, first = 1;

	if (fp == NULL)
		return dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "chromium wrote no PDF");
	while (st == DG_OK && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (first && (n < 5 || memcmp(buf, "%PDF-", 5) != 0))
			st = dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
			    "chromium wrote no PDF");
		else if (fwrite(buf, 1, n, out) != n)
			st = dg_error_set(err, errno == EPIPE ? DG_EPIPE :
			    DG_EIO, NULL, 0, NULL, "write error: %s",
			    strerror(errno));
		first = 0;
	}
	if (st == DG_OK && (first || ferror(fp)))
		st = dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "chromium wrote no PDF");
	fclose(fp);
	return st;
}

static int
print(const char *dir, const char *chromium, FILE *out,
    struct dg_error *err)
{
	char profile[4200], pdf[4200], url[4200];
	char *argv[] = {
		(char *)(uintptr_t)(chromium ? chromium : "chromium"),
		"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--no-first-run", "--no-default-browser-check",
		"--disable-crash-reporter", "--no-pdf-header-footer",
		profile, pdf, url, NULL
	};
	int st;

	snprintf(profile, sizeof(profile), "--user-data-dir=%s/profile", dir);
	snprintf(pdf, sizeof(pdf), "--print-to-pdf=%s/statement.pdf", dir);
	snprintf(url, sizeof(url), "file://%s/statement.html", dir);
	if ((st = dg_proc_run(argv, "chromium", "chromium", NULL, 0, NULL,
	    NULL, err)) != DG_OK)
		return st;
	snprintf(pdf, sizeof(pdf), "%s/statement.pdf", dir);
	return copy_out(pdf, out, err);
}

int
dg_html_pdf(const char *html, size_t len, const char *chromium, FILE *out,
    struct dg_error *err)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], path[4200];
	int st;

	snprintf(dir, sizeof(dir), "%s/dg-pdf.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return dg_error_set(err, DG_ECREATE, dir, 0, NULL,
		    "cannot make a temporary directory: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/statement.html", dir);
	if ((st = write_file(path, html, len)) != DG_OK)
		st = dg_error_set(err, st, path, 0, NULL, "cannot write: %s",
		    strerror(errno));
	else
		st = print(dir, chromium, out, err);
	remove_tree(dir);
	return st;
}
