/* dg_csv.h: streaming CSV reading (on libcsv) and writing, and atomic
 * output files.
 *
 * Reading: RFC 4180 with a header row; columns are found by name; the
 * delimiter is given or found in the header line; a UTF-8
 * BOM, CRLF line ends, quoted fields (with embedded delimiters, quotes and
 * newlines) and blank lines (skipped and counted) are accepted.  The input
 * is read in fixed blocks and handed to libcsv one physical line at a time,
 * so memory is bounded by the longest field (max_field) whatever the size
 * of the input, and every row knows its line number.
 *
 * What spreadsheets save is read as well (dgagg(7), SPREADSHEETS): a zip
 * archive's one CSV member, gzip, UTF-16 (converted to UTF-8 before lines
 * are counted); in a file delimited by ';' or tab a decimal comma, which
 * the field then holds as a point; a decimal too long for the exact reader
 * that renders a binary double, which the field then holds as the
 * shortest decimal of the same double (one warning at the end).  Other
 * formats (UTF-32, bzip2, xz, workbooks ...) are refused by name.
 *
 * Writing: fields are quoted when they need it, numbers are written with
 * fixed decimals and never in exponent notation, with '.' as the decimal
 * point (',' when asked); LF or CRLF line ends; an optional BOM; text
 * that a spreadsheet would run as a formula neutralized in output meant
 * for one.  Write errors are sticky and reported by dg_csvw_end_row() and
 * dg_out_commit(). */
#ifndef DG_CSV_H
#define DG_CSV_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "dg_dec.h"
#include "dg_status.h"
#include "dg_time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_CSV_MAX_FIELD_DEFAULT 65536

struct dg_csv_opts {
	char delim;		/* 0: the one of ',' ';' tab that the header
				 * line has most of (',' when none) */
	size_t max_field;	/* longest accepted field, bytes */
	int allow_naive;	/* accept stamps without UTC offset
				 * (--tz given) */
	struct dg_zone *zone;	/* the zone of naive stamps; NULL: the
				 * market's (dg_tz_set) */
	int libcsv_only;	/* every line through libcsv, none through the
				 * plain-line path (for tests comparing them) */
	int final_newline;	/* the input must end with a line end: a
				 * machine-written file (a market file, a
				 * download, a program's output) whose last line
				 * has none was cut short (DG_EDATA).  When 0
				 * (a file a person edits), such a last line is
				 * read if it has every field, with a warning */
	int stream;		/* a live stream (a pipe fed by tail -F): each
				 * line is handed on as soon as its line end
				 * arrives, not when a block of input is full;
				 * the end of input is a read that returns
				 * nothing (EOF) */
	/* Where the reader's warnings go (the library never prints); NULL:
	 * nowhere. */
	void (*warn)(void *arg, const struct dg_error *w);
	void *warn_arg;
};
void dg_csv_opts_init(struct dg_csv_opts *o);

/* The last line a dg- program leaves on a standard output that is not a
 * terminal when it fails part-way, with no line end after it:
 * "#PROG" DG_CSV_FAILED_MARK.  The reader refuses an input that ends with
 * it ("input incomplete"); any reader refuses it anyway (no line end, one
 * field). */
#define DG_CSV_FAILED_MARK " FAILED: output incomplete"

struct dg_csv;

/* Opens path ("-" or NULL: standard input) and reads the header row.
 * Errors: DG_ENOINPUT (cannot open), DG_EDATA (empty file, bad header:
 * an empty or duplicate column name; a format not read, a zip archive of
 * several CSV files), DG_EIO.  The name in messages of a zip member is
 * ARCHIVE(MEMBER). */
int dg_csv_open(struct dg_csv **r, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* Reads from an open stream, named name in messages; fp is not closed. */
int dg_csv_open_fp(struct dg_csv **r, FILE *fp, const char *name,
    const struct dg_csv_opts *o, struct dg_error *err);
void dg_csv_close(struct dg_csv *r);

const char *dg_csv_name(const struct dg_csv *r);
size_t dg_csv_ncols(const struct dg_csv *r);
const char *dg_csv_colname(const struct dg_csv *r, size_t i);
/* Index of the column named name, or -1. */
int dg_csv_col(const struct dg_csv *r, const char *name);
/* As dg_csv_col, but a missing column is DG_EDATA ("missing column"). */
int dg_csv_require(struct dg_csv *r, const char *name, int *idx);

/* Next data row: DG_OK, DG_EOF at the end, or an error (the reader's
 * struct dg_error says where).  A row with a different number of fields
 * than the header is DG_EDATA. */
int dg_csv_next(struct dg_csv *r);
long dg_csv_line(const struct dg_csv *r);	/* line of the current row */
long dg_csv_rows(const struct dg_csv *r);	/* data rows read so far */
long dg_csv_blank_lines(const struct dg_csv *r);
size_t dg_csv_nfields(const struct dg_csv *r);
/* Field i of the current row (NUL-terminated); "" when i is out of range.
 * A spreadsheet's number is as the reader made it (412,98 and
 * 412.98000000000000001 are "412.98"); messages of the typed getters show
 * a decimal comma as the file has it. */
const char *dg_csv_field(const struct dg_csv *r, int i, size_t *len);
int dg_csv_is_empty(const struct dg_csv *r, int i);

/* Typed getters: on failure they set the error with file, line and column
 * name and return DG_EDATA or DG_ERANGE.  An empty field is an error
 * ("empty"). */
int dg_csv_get_dec(struct dg_csv *r, int i, dg_dec *out);
int dg_csv_get_double(struct dg_csv *r, int i, double *out);
int dg_csv_get_int(struct dg_csv *r, int i, int64_t *out);
int dg_csv_get_time(struct dg_csv *r, int i, struct dg_tstamp *ts);
int dg_csv_get_date(struct dg_csv *r, int i, dg_date *out);
/* A month (dg_parse_month): "not a month (YYYY-MM)". */
int dg_csv_get_month(struct dg_csv *r, int i, int *year, int *month);
/* Sets the error at the current row (column i, or -1 for none); returns
 * status. */
int dg_csv_fail(struct dg_csv *r, int i, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
struct dg_error *dg_csv_error(struct dg_csv *r);

/* Checked number parsing of a whole string (no trailing junk). */
int dg_parse_double(const char *s, double *out);
int dg_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out);
/* A month: YYYY-MM, or what a spreadsheet saves a cell of YYYY-MM as: the
 * first day of the month as a date (2022/07/01, 7/1/2022, 2022-07-01),
 * YYYY/MM, or Excel's Jul-22 (20YY).  DG_EDATA otherwise. */
int dg_parse_month(const char *s, size_t len, int *year, int *month);

/* --- Output destinations -------------------------------------------- */

struct dg_out;
/* path "-" or NULL: standard output.  Otherwise a temporary file beside
 * path, renamed over it by dg_out_commit(): a failed run leaves no file.
 * An existing path that is not a regular file (/dev/null, a fifo) is
 * written in place. */
int dg_out_open(struct dg_out **o, const char *path, struct dg_error *err);
FILE *dg_out_fp(struct dg_out *o);
/* Flushes, checks, and for a file syncs and renames; frees o.  DG_EPIPE
 * when standard output is a pipe whose reader went away (not a failure for
 * a filter), DG_EIO on a write error (a full disk). */
int dg_out_commit(struct dg_out *o, struct dg_error *err);
/* Commits n outputs together (NULL entries are skipped): every one is
 * flushed, checked and synced first, and only when all are whole are the
 * files renamed into place; on a failure before that, none is (all are
 * removed).  Frees every o[i] and sets it NULL.  A program with several
 * outputs opens all of them before it writes any, and commits them with
 * this, so that a failed run commits none. */
int dg_out_commit_all(struct dg_out **o, size_t n, struct dg_error *err);
/* Removes the temporary file; frees o.  NULL is allowed.  The temporary
 * file is ".NAME.dgtmp.PID.XXXXXX" beside NAME; one left by a killed run
 * is removed by the next dg_out_open() of the same NAME. */
void dg_out_abort(struct dg_out *o);
/* The temporary file's path, for a signal handler to unlink, or NULL. */
const char *dg_out_tmpname(const struct dg_out *o);

/* --- Writing CSV ---------------------------------------------------- */

struct dg_csvw {
	FILE *fp;
	char delim;
	int crlf;
	int nfield;		/* fields written in the current row */
	int status;		/* sticky: DG_OK, DG_EIO or DG_EPIPE */
	int errnum;		/* errno of the failed write */
	char point;		/* the decimal mark of numbers: '.' (the
				 * default) or ',' (a decimal-comma
				 * spreadsheet: then delim is not ',') */
	int sheet;		/* output meant for a spreadsheet: text fields
				 * that a spreadsheet would take for a formula
				 * are neutralized (dg_csvw_strn) */
};
/* A writer on fp.  With crlf or bom the output is meant for a
 * spreadsheet: sheet is set. */
void dg_csvw_init(struct dg_csvw *w, FILE *fp, char delim, int crlf, int bom);
int dg_csvw_header(struct dg_csvw *w, const char *const *names, size_t n);
/* A text field, quoted when it needs it (a delimiter, a quote, a line end,
 * a space at either end).  In output meant for a spreadsheet (sheet), a
 * field that begins with '=', '+', '-', '@', a tab or a CR, other than a
 * negative number as the toolkit writes numbers (-12.5), is written
 * quoted with an apostrophe before it ('=1+2): a spreadsheet shows it as
 * text, never as a formula (the OWASP advice against CSV injection). */
void dg_csvw_str(struct dg_csvw *w, const char *s);
void dg_csvw_strn(struct dg_csvw *w, const char *s, size_t len);
void dg_csvw_empty(struct dg_csvw *w);
void dg_csvw_int(struct dg_csvw *w, int64_t v);
/* At d's own scale (scale < 0) or rounded to scale. */
void dg_csvw_dec(struct dg_csvw *w, dg_dec d, int scale);
/* Fixed decimals, rounded half away from zero; -0 written as 0. A
 * non-finite value is written empty and makes the status DG_EINTERNAL. */
void dg_csvw_double(struct dg_csvw *w, double x, int decimals);
void dg_csvw_time(struct dg_csvw *w, dg_time t);
void dg_csvw_date(struct dg_csvw *w, dg_date d);
/* Ends the row; returns the sticky status. */
int dg_csvw_end_row(struct dg_csvw *w);

#ifdef __cplusplus
}
#endif
#endif
