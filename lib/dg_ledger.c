/* dg_ledger.c: the event ledger's file: records, the hash chain, appends
 * under a lock, the checking reader (see dg_ledger.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dg_ledger.h"
#include "dg_util.h"

static const char *const kind_names[DG_LK_NKINDS] = {
	"standby", "call", "change", "cancel", "allclear",
	"notice", "attempt", "delivered", "retry", "bounce", "skip",
	"escalate", "ack", "unacked", "report"
};

static const char *const cols[DG_LEDGER_NCOLS] = {
	"seq", "recorded", "kind", "event", "program", "zone", "site",
	"start", "end", "kw", "received", "source", "ref", "notice", "person",
	"channel", "to", "detail", "prev", "hash"
};

#define HEADER "seq,recorded,kind,event,program,zone,site,start,end,kw," \
	"received,source,ref,notice,person,channel,to,detail,prev,hash"

const char *
dg_ledger_kind_name(int kind)
{
	return kind >= 0 && kind < DG_LK_NKINDS ? kind_names[kind] : "?";
}

int
dg_ledger_kind_parse(const char *s)
{
	for (int i = 0; i < DG_LK_NKINDS; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

int
dg_ledger_kind_is_event(int kind)
{
	return kind >= DG_LK_STANDBY && kind <= DG_LK_ALLCLEAR;
}

void
dg_ledger_rec_init(struct dg_ledger_rec *r, int kind, dg_time recorded)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->recorded = recorded;
	r->start = r->end = r->received = DG_LEDGER_NOTIME;
}

/* --- Formatting a record ------------------------------------------------- */

struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static void
put(struct buf *b, const char *s, size_t len)
{
	if (b->oom || dg_grow(&b->p, &b->cap, b->n + len + 1, 1) != 0) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

/* A field and its comma; quoted when it holds a comma or a quote, control
 * characters as spaces (a record is one line). */
static void
put_field(struct buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	int quote = s && strpbrk(s, ",\"") != NULL;

	if (quote)
		put(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			put(b, " ", 1);
		else if (c == '"')
			put(b, "\"\"", 2);
		else
			put(b, s + i, 1);
	}
	if (quote)
		put(b, "\"", 1);
	put(b, ",", 1);
}

static void
put_time(struct buf *b, dg_time t)
{
	char s[DG_TIME_BUFSZ] = "";

	if (t != DG_LEDGER_NOTIME)
		dg_time_format(t, s, sizeof(s));
	put_field(b, s);
}

/* Appends r's line (with r->prev set) to b and sets r->hash. */
static void
format_rec(struct buf *b, struct dg_ledger_rec *r)
{
	char seq[24];
	size_t at = b->n;

	snprintf(seq, sizeof(seq), "%ld", r->seq);
	put_field(b, seq);
	put_time(b, r->recorded);
	put_field(b, dg_ledger_kind_name(r->kind));
	put_field(b, r->event);
	put_field(b, r->program);
	put_field(b, r->zone);
	put_field(b, r->site);
	put_time(b, r->start);
	put_time(b, r->end);
	put_field(b, r->kw);
	put_time(b, r->received);
	put_field(b, r->source);
	put_field(b, r->ref);
	put_field(b, r->notice);
	put_field(b, r->person);
	put_field(b, r->channel);
	put_field(b, r->to);
	put_field(b, r->detail);
	put_field(b, r->prev);
	if (b->oom)
		return;
	dg_sha256_buf(b->p + at, b->n - at, r->hash);
	put(b, r->hash, strlen(r->hash));
	put(b, "\n", 1);
}

/* --- Appending ------------------------------------------------------------ */

struct dg_ledger {
	int fd;
	char *path;
	int locked;		/* dg_ledger_lock held */
	off_t known;		/* the file's size after our last look */
	long count;		/* records, as of known */
	char head[DG_LEDGER_HEX];
	long torn;
	struct buf b;
};

int
dg_ledger_open(struct dg_ledger **lp, const char *path, struct dg_error *err)
{
	struct dg_ledger *l = calloc(1, sizeof(*l));

	*lp = NULL;
	if (l == NULL || (l->path = strdup(path)) == NULL) {
		free(l);
		return dg_error_set(err, DG_ENOMEM, path, 0, NULL,
		    "out of memory");
	}
	l->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (l->fd < 0) {
		int e = errno;

		free(l->path);
		free(l);
		return dg_error_set(err, DG_ECREATE, path, 0, NULL,
		    "cannot open the ledger: %s", strerror(e));
	}
	l->known = -1;
	*lp = l;
	return DG_OK;
}

void
dg_ledger_close(struct dg_ledger *l)
{
	if (l == NULL)
		return;
	close(l->fd);
	free(l->path);
	free(l->b.p);
	free(l);
}

static int
sys_fail(struct dg_ledger *l, int st, const char *what, struct dg_error *err)
{
	return dg_error_set(err, st, l->path, 0, NULL, "%s: %s", what,
	    strerror(errno ? errno : EIO));
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The last record of a file of size bytes ending in a line end: its seq
 * and hash.  The header alone: 0 and the header's hash. */
static int
read_last(struct dg_ledger *l, off_t size, struct dg_error *err)
{
	char chunk[4096];
	off_t pos = size - 1;		/* the final line end */
	size_t len = 0;
	char *line, *end;
	long seq;

	/* back to the line end before the last line */
	while (pos > 0) {
		size_t k = pos > (off_t)sizeof(chunk) ? sizeof(chunk) :
		    (size_t)pos;
		ssize_t got = pread(l->fd, chunk, k, pos - (off_t)k);
		char *nl;

		if (got != (ssize_t)k)
			return sys_fail(l, DG_EIO, "read error", err);
		if ((nl = memrchr(chunk, '\n', k)) != NULL) {
			len += (size_t)(chunk + k - nl - 1);
			break;
		}
		len += k;
		pos -= (off_t)k;
	}
	if (pos <= 0)
		len = (size_t)size - 1;
	if ((line = malloc(len + 1)) == NULL)
		return dg_error_set(err, DG_ENOMEM, l->path, 0, NULL,
		    "out of memory");
	if (pread(l->fd, line, len, size - 1 - (off_t)len) != (ssize_t)len) {
		free(line);
		return sys_fail(l, DG_EIO, "read error", err);
	}
	line[len] = '\0';
	if (pos <= 0) {		/* the header */
		int ok = strcmp(line, HEADER) == 0;

		dg_sha256_buf(line, len, l->head);
		free(line);
		l->count = 0;
		return ok ? DG_OK : dg_error_set(err, DG_EDATA, l->path, 1,
		    NULL, "not a ledger: the header is not the ledger's");
	}
	seq = strtol(line, &end, 10);
	if (len < 65 || *end != ',' || seq < 1 || line[len - 65] != ',' ||
	    strspn(line + len - 64, "0123456789abcdef") != 64) {
		free(line);
		return dg_error_set(err, DG_EDATA, l->path, 0, NULL,
		    "the last line is not a ledger record (dg-event verify names it)");
	}
	memcpy(l->head, line + len - 64, 65);
	l->count = seq;
	free(line);
	return DG_OK;
}

/* Under the lock: the file's last record, a header written to an empty
 * file, a torn last line cut off. */
static int
refresh(struct dg_ledger *l, struct dg_error *err)
{
	struct stat st;
	char c;

	if (fstat(l->fd, &st) != 0)
		return sys_fail(l, DG_EIO, "cannot stat", err);
	if (st.st_size == l->known)
		return DG_OK;
	if (st.st_size == 0) {
		if (write_all(l->fd, HEADER "\n", sizeof(HEADER)) != 0)
			return sys_fail(l, DG_EIO, "write error", err);
		dg_sha256_buf(HEADER, sizeof(HEADER) - 1, l->head);
		l->count = 0;
		l->known = (off_t)sizeof(HEADER);
		return DG_OK;
	}
	if (pread(l->fd, &c, 1, st.st_size - 1) != 1)
		return sys_fail(l, DG_EIO, "read error", err);
	if (c != '\n') {	/* a write cut short: not a record */
		off_t keep = st.st_size - 1;

		while (keep > 0 && pread(l->fd, &c, 1, keep - 1) == 1 &&
		    c != '\n')
			keep--;
		if (keep == 0 || ftruncate(l->fd, keep) != 0)
			return sys_fail(l, DG_EIO,
			    "cannot cut a torn last line", err);
		l->torn += (long)(st.st_size - keep);
		st.st_size = keep;
	}
	l->known = st.st_size;
	return read_last(l, st.st_size, err);
}

int
dg_ledger_lock(struct dg_ledger *l, struct dg_error *err)
{
	while (flock(l->fd, LOCK_EX) != 0)
		if (errno != EINTR)
			return sys_fail(l, DG_EIO, "cannot lock", err);
	l->locked = 1;
	return refresh(l, err);
}

int
dg_ledger_unlock(struct dg_ledger *l, struct dg_error *err)
{
	l->locked = 0;
	if (flock(l->fd, LOCK_UN) != 0)
		return sys_fail(l, DG_EIO, "cannot unlock", err);
	return DG_OK;
}

static int
append_locked(struct dg_ledger *l, struct dg_ledger_rec *recs, size_t n,
    int sync, struct dg_error *err)
{
	int st;

	if ((st = refresh(l, err)) != DG_OK)
		return st;
	l->b.n = 0;
	for (size_t i = 0; i < n; i++) {
		recs[i].seq = l->count + 1 + (long)i;
		memcpy(recs[i].prev, i ? recs[i - 1].hash : l->head,
		    DG_LEDGER_HEX);
		format_rec(&l->b, &recs[i]);
	}
	if (l->b.oom)
		return dg_error_set(err, DG_ENOMEM, l->path, 0, NULL,
		    "out of memory");
	if (write_all(l->fd, l->b.p, l->b.n) != 0)
		return sys_fail(l, DG_EIO, "write error", err);
	if (sync && fsync(l->fd) != 0)
		return sys_fail(l, DG_EIO, "cannot sync", err);
	l->known += (off_t)l->b.n;
	l->count += (long)n;
	if (n > 0)
		memcpy(l->head, recs[n - 1].hash, DG_LEDGER_HEX);
	return DG_OK;
}

int
dg_ledger_append(struct dg_ledger *l, struct dg_ledger_rec *recs, size_t n,
    int sync, struct dg_error *err)
{
	int st, st2;

	if (l->locked)
		return append_locked(l, recs, n, sync, err);
	if ((st = dg_ledger_lock(l, err)) != DG_OK) {
		dg_ledger_unlock(l, NULL);
		return st;
	}
	st = append_locked(l, recs, n, sync, err);
	st2 = dg_ledger_unlock(l, st == DG_OK ? err : NULL);
	return st != DG_OK ? st : st2;
}

int
dg_ledger_sync(struct dg_ledger *l, struct dg_error *err)
{
	if (fsync(l->fd) != 0)
		return sys_fail(l, DG_EIO, "cannot sync", err);
	return DG_OK;
}

long
dg_ledger_torn(const struct dg_ledger *l)
{
	return l->torn;
}

long
dg_ledger_count(const struct dg_ledger *l)
{
	return l->count;
}

const char *
dg_ledger_head(const struct dg_ledger *l)
{
	return l->head;
}

/* --- Reading ------------------------------------------------------------- */

struct reader {
	const char *path;
	struct dg_csv *csv;
	FILE *raw;		/* the same file, line by line (hashes) */
	char *line;
	size_t cap;
	long rawline;
	int col[DG_LEDGER_NCOLS];
	char head[DG_LEDGER_HEX];
	long count;
};

static int
fail(struct reader *rd, long line, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(struct reader *rd, long line, const char *col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dg_error_set(dg_csv_error(rd->csv), DG_EDATA, rd->path, line,
	    col, "%s", msg);
}

/* The next physical line (without its line end): its length, or -1. */
static ssize_t
raw_next(struct reader *rd)
{
	ssize_t k = getline(&rd->line, &rd->cap, rd->raw);

	if (k <= 0)
		return -1;
	rd->rawline++;
	if (rd->line[k - 1] == '\n')
		rd->line[--k] = '\0';
	return k;
}

static int
check_header(struct reader *rd)
{
	ssize_t k = raw_next(rd);

	if (k < 0 || strcmp(rd->line, HEADER) != 0)
		return fail(rd, 1, NULL, "not a ledger: the header is not "
		    "the ledger's (" HEADER ")");
	for (int i = 0; i < DG_LEDGER_NCOLS; i++)
		rd->col[i] = dg_csv_col(rd->csv, cols[i]);
	dg_sha256_buf(rd->line, (size_t)k, rd->head);
	return DG_OK;
}

/* The chain: this row's physical line is whole, matches its hash, and
 * follows the record before. */
static int
check_chain(struct reader *rd, struct dg_ledger_rec *r)
{
	long line = dg_csv_line(rd->csv);
	char hex[DG_LEDGER_HEX];
	ssize_t k;

	while (rd->rawline + 1 < line)
		if (raw_next(rd) < 0 || rd->line[0] == '\0')
			return fail(rd, rd->rawline, NULL,
			    "a blank line: not a record (inserted)");
	if ((k = raw_next(rd)) < 65 || rd->line[k - 65] != ',')
		return fail(rd, line, "hash", "a record without its hash");
	dg_sha256_buf(rd->line, (size_t)k - 64, hex);
	if (strcmp(hex, rd->line + k - 64) != 0)
		return fail(rd, line, NULL,
		    "the record does not match its hash: it was edited");
	if (strcmp(dg_csv_field(rd->csv, rd->col[18], NULL), rd->head) != 0)
		return fail(rd, line, "prev", "the chain is broken: prev is "
		    "not the hash of the record before (a record removed, "
		    "inserted or moved)");
	if (r->seq != rd->count + 1)
		return fail(rd, line, "seq", "record %s out of order",
		    dg_csv_field(rd->csv, rd->col[0], NULL));
	memcpy(r->prev, rd->head, DG_LEDGER_HEX);
	memcpy(rd->head, hex, DG_LEDGER_HEX);
	memcpy(r->hash, hex, DG_LEDGER_HEX);
	rd->count++;
	return DG_OK;
}

static int
get_time(struct reader *rd, int i, dg_time *t, int required)
{
	struct dg_tstamp ts;

	*t = DG_LEDGER_NOTIME;
	if (dg_csv_is_empty(rd->csv, rd->col[i]))
		return required ? dg_csv_fail(rd->csv, rd->col[i], DG_EDATA,
		    "empty value") : DG_OK;
	if (dg_csv_get_time(rd->csv, rd->col[i], &ts) != DG_OK)
		return DG_EDATA;
	*t = ts.t;
	return DG_OK;
}

static const char *
str(struct reader *rd, int i)
{
	return dg_csv_field(rd->csv, rd->col[i], NULL);
}

static int
parse_rec(struct reader *rd, struct dg_ledger_rec *r)
{
	int64_t seq;
	dg_dec kw;
	int st;

	dg_ledger_rec_init(r, 0, 0);
	r->line = dg_csv_line(rd->csv);
	if (dg_parse_int(str(rd, 0), 1, INT64_MAX, &seq) != DG_OK)
		return dg_csv_fail(rd->csv, rd->col[0], DG_EDATA,
		    "not a record number: \"%s\"", str(rd, 0));
	r->seq = (long)seq;
	if ((r->kind = dg_ledger_kind_parse(str(rd, 2))) < 0)
		return dg_csv_fail(rd->csv, rd->col[2], DG_EDATA,
		    "unknown kind \"%s\"", str(rd, 2));
	if ((st = get_time(rd, 1, &r->recorded, 1)) != DG_OK ||
	    (st = get_time(rd, 7, &r->start, 0)) != DG_OK ||
	    (st = get_time(rd, 8, &r->end, 0)) != DG_OK ||
	    (st = get_time(rd, 10, &r->received, 0)) != DG_OK)
		return st;
	if (!dg_csv_is_empty(rd->csv, rd->col[9]) &&
	    dg_csv_get_dec(rd->csv, rd->col[9], &kw) != DG_OK)
		return DG_EDATA;
	r->event = str(rd, 3);
	r->program = str(rd, 4);
	r->zone = str(rd, 5);
	r->site = str(rd, 6);
	r->kw = str(rd, 9);
	r->source = str(rd, 11);
	r->ref = str(rd, 12);
	r->notice = str(rd, 13);
	r->person = str(rd, 14);
	r->channel = str(rd, 15);
	r->to = str(rd, 16);
	r->detail = str(rd, 17);
	return DG_OK;
}

static int
read_all(struct reader *rd, dg_ledger_fn fn, void *arg)
{
	struct dg_ledger_rec r;
	int st;

	if ((st = check_header(rd)) != DG_OK)
		return st;
	while ((st = dg_csv_next(rd->csv)) == DG_OK) {
		if ((st = parse_rec(rd, &r)) != DG_OK ||
		    (st = check_chain(rd, &r)) != DG_OK)
			return st;
		if (fn != NULL &&
		    (st = fn(arg, &r, dg_csv_error(rd->csv))) != DG_OK)
			return st;
	}
	if (st != DG_EOF)
		return st;
	if (raw_next(rd) >= 0)
		return fail(rd, rd->rawline, NULL,
		    "a blank line: not a record (inserted)");
	return DG_OK;
}

int
dg_ledger_read(const char *path, int missing_ok, dg_ledger_fn fn, void *arg,
    long *count, char head[DG_LEDGER_HEX], struct dg_error *err)
{
	struct reader rd;
	struct dg_csv_opts o;
	int st;

	memset(&rd, 0, sizeof(rd));
	rd.path = path;
	if (count)
		*count = 0;
	if (missing_ok && access(path, F_OK) != 0 && errno == ENOENT) {
		if (head)
			dg_sha256_buf(HEADER, sizeof(HEADER) - 1, head);
		return DG_OK;
	}
	dg_csv_opts_init(&o);
	o.delim = ',';
	o.final_newline = 1;
	if ((st = dg_csv_open(&rd.csv, path, &o, err)) != DG_OK)
		return st;
	if ((rd.raw = fopen(path, "r")) == NULL) {
		dg_csv_close(rd.csv);
		return dg_error_set(err, DG_ENOINPUT, path, 0, NULL,
		    "cannot open: %s", strerror(errno));
	}
	st = read_all(&rd, fn, arg);
	if (st != DG_OK && err != NULL && dg_csv_error(rd.csv)->status != DG_OK)
		*err = *dg_csv_error(rd.csv);
	if (count)
		*count = rd.count;
	if (head)
		memcpy(head, rd.head, DG_LEDGER_HEX);
	fclose(rd.raw);
	free(rd.line);
	dg_csv_close(rd.csv);
	return st;
}
