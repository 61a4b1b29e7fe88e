/* dg_extsort.c: a stable external sort of byte strings in bounded memory
 * (see dg_extsort.h): a natural merge sort in memory, sorted runs spilled
 * to one temporary file, and a k-way merge by a heap. */
#include <config.h>

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dg_extsort.h"
#include "dg_util.h"

/* Records are kept in chunks of this size (a huge page, where the kernel
 * gives them: fewer page faults), smaller for a smaller budget. */
#define CHUNK_MAX DG_HUGE_PAGE
#define CHUNK_MIN ((size_t)4096)
#define CURSOR_BUF ((size_t)32 << 10)

struct ent {
	const unsigned char *p;
	size_t len;
};

struct chunk {
	unsigned char *mem;
	size_t cap, used;
};

struct run {
	off_t off;
	size_t n;
};

/* A run being merged, read from the file a buffer at a time. */
struct cursor {
	off_t off, end;		/* the next byte to read, the run's end */
	size_t left;		/* records not yet read */
	size_t run;		/* its rank: equal records come out by it */
	unsigned char *buf;
	size_t cap, pos, fill;
	const unsigned char *rec;	/* the current record */
	size_t len;
};

enum { ADDING, IN_MEMORY, MERGING, DONE };

struct dg_extsort {
	dg_extsort_cmp_fn cmp;
	void *arg;
	size_t mem;
	struct dg_error *err;
	int state;
	size_t count;
	/* in memory */
	struct chunk *chunks;
	size_t nchunks, capchunks, cur, chunk_size;
	struct ent *ent, *tmp, *sorted;
	size_t n, capent, captmp, used, pos;
	/* on disk */
	FILE *file;
	off_t end;
	struct run *runs;
	size_t nruns, capruns, spilled;
	/* the final merge */
	struct cursor *cursors;
	struct cursor **heap;
	size_t nheap;
	int advance;		/* the record returned last is still on top */
};

int
dg_tmpfile(FILE **fp, struct dg_error *err)
{
	const char *d = getenv("TMPDIR");
	char path[1024];
	int fd;

	if (d == NULL || d[0] == '\0')
		d = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/dgagg.XXXXXX", d) >=
	    sizeof(path))
		return dg_error_set(err, DG_ECREATE, d, 0, NULL,
		    "cannot create a temporary file: path too long");
	if ((fd = mkstemp(path)) < 0)
		return dg_error_set(err, DG_ECREATE, d, 0, NULL,
		    "cannot create a temporary file: %s", strerror(errno));
	unlink(path);
	if ((*fp = fdopen(fd, "w+b")) == NULL) {
		close(fd);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	return DG_OK;
}

static int
oom(struct dg_extsort *xs)
{
	return dg_error_set(xs->err, DG_ENOMEM, NULL, 0, NULL, "out of memory");
}

static int
io_fail(struct dg_extsort *xs, const char *what)
{
	return dg_error_set(xs->err, DG_EIO, NULL, 0, NULL,
	    "temporary file: %s error: %s", what,
	    strerror(errno ? errno : EIO));
}

int
dg_extsort_open(struct dg_extsort **xsp, dg_extsort_cmp_fn cmp, void *arg,
    size_t mem, struct dg_error *err)
{
	struct dg_extsort *xs = calloc(1, sizeof(*xs));

	*xsp = xs;
	if (xs == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	xs->cmp = cmp;
	xs->arg = arg;
	xs->mem = mem ? mem : DG_EXTSORT_MEM_DEFAULT;
	xs->err = err;
	xs->chunk_size = xs->mem < CHUNK_MIN ? CHUNK_MIN :
	    xs->mem > CHUNK_MAX ? CHUNK_MAX : xs->mem;
	return DG_OK;
}

/* A chunk of n bytes; a whole huge page asked for as one where it is one. */
static unsigned char *
chunk_alloc(size_t n)
{
	return n == CHUNK_MAX ? dg_huge_alloc(n) : malloc(n);
}

/* Room for len bytes in the chunks. */
static unsigned char *
room(struct dg_extsort *xs, size_t len)
{
	struct chunk *c;

	while (xs->cur < xs->nchunks &&
	    xs->chunks[xs->cur].cap - xs->chunks[xs->cur].used < len)
		xs->cur++;
	if (xs->cur == xs->nchunks) {
		size_t cap = len > xs->chunk_size ? len : xs->chunk_size;

		if (dg_grow(&xs->chunks, &xs->capchunks, xs->nchunks + 1,
		    sizeof(*xs->chunks)) != 0)
			return NULL;
		c = &xs->chunks[xs->nchunks];
		if ((c->mem = chunk_alloc(cap)) == NULL)
			return NULL;
		c->cap = cap;
		c->used = 0;
		xs->nchunks++;
	}
	c = &xs->chunks[xs->cur];
	c->used += len;
	return c->mem + c->used - len;
}

static int
le(struct dg_extsort *xs, const struct ent *a, const struct ent *b)
{
	return xs->cmp(a->p, a->len, b->p, b->len, xs->arg) <= 0;
}

static size_t
run_end(struct dg_extsort *xs, const struct ent *a, size_t i, size_t n)
{
	while (i + 1 < n && le(xs, &a[i], &a[i + 1]))
		i++;
	return i + 1;
}

/* Natural merge sort: the ascending runs of a merged in pairs until one
 * is left (input in order already: one pass, nothing moved); on ties the
 * earlier run first, so the sort is stable.  Returns a or b, whichever
 * holds the result. */
static struct ent *
sort_ents(struct dg_extsort *xs, struct ent *a, struct ent *b, size_t n)
{
	for (;;) {
		size_t i = 0, o = 0;
		struct ent *t;

		if (n == 0 || run_end(xs, a, 0, n) == n)
			return a;
		while (i < n) {
			size_t m = run_end(xs, a, i, n), e, x, y;

			if (m == n) {
				memcpy(b + o, a + i, (n - i) * sizeof(*a));
				break;
			}
			e = run_end(xs, a, m, n);
			for (x = i, y = m; x < m && y < e;)
				b[o++] = le(xs, &a[x], &a[y]) ? a[x++] : a[y++];
			while (x < m)
				b[o++] = a[x++];
			while (y < e)
				b[o++] = a[y++];
			i = e;
		}
		t = a;
		a = b;
		b = t;
	}
}

static int
sort_mem(struct dg_extsort *xs)
{
	if (dg_grow(&xs->tmp, &xs->captmp, xs->n, sizeof(*xs->tmp)) != 0)
		return oom(xs);
	xs->sorted = sort_ents(xs, xs->ent, xs->tmp, xs->n);
	return DG_OK;
}

/* One record as it is written to a run: its length, then its bytes. */
static int
put(struct dg_extsort *xs, FILE *fp, const void *rec, size_t len)
{
	uint64_t l = len;

	if (fwrite(&l, sizeof(l), 1, fp) != 1 ||
	    (len > 0 && fwrite(rec, len, 1, fp) != 1))
		return io_fail(xs, "write");
	return DG_OK;
}

/* The records in memory, sorted, as one more run of the file. */
static int
spill(struct dg_extsort *xs)
{
	int st;

	if (xs->n == 0)
		return DG_OK;
	if ((st = sort_mem(xs)) != DG_OK)
		return st;
	if (xs->file == NULL && (st = dg_tmpfile(&xs->file, xs->err)) != DG_OK)
		return st;
	if (dg_grow(&xs->runs, &xs->capruns, xs->nruns + 1,
	    sizeof(*xs->runs)) != 0)
		return oom(xs);
	xs->runs[xs->nruns].off = xs->end;
	xs->runs[xs->nruns].n = xs->n;
	xs->nruns++;
	xs->spilled++;
	for (size_t i = 0; i < xs->n; i++) {
		if ((st = put(xs, xs->file, xs->sorted[i].p,
		    xs->sorted[i].len)) != DG_OK)
			return st;
		xs->end += (off_t)(sizeof(uint64_t) + xs->sorted[i].len);
	}
	xs->n = 0;
	xs->used = 0;
	xs->cur = 0;
	for (size_t i = 0; i < xs->nchunks; i++)
		xs->chunks[i].used = 0;
	return DG_OK;
}

int
dg_extsort_add(struct dg_extsort *xs, const void *rec, size_t len)
{
	unsigned char *p;
	int st;

	if (xs->state != ADDING)
		return dg_error_set(xs->err, DG_EINTERNAL, NULL, 0, NULL,
		    "record added after the sort");
	if (xs->n > 0 && (len > xs->mem || xs->used + DG_EXTSORT_OVERHEAD >
	    xs->mem - len) && (st = spill(xs)) != DG_OK)
		return st;
	if (dg_grow(&xs->ent, &xs->capent, xs->n + 1, sizeof(*xs->ent)) != 0 ||
	    (p = room(xs, len)) == NULL)
		return oom(xs);
	if (len > 0)
		memcpy(p, rec, len);
	xs->ent[xs->n].p = p;
	xs->ent[xs->n].len = len;
	xs->n++;
	xs->used += len + DG_EXTSORT_OVERHEAD;
	xs->count++;
	return DG_OK;
}

/* Makes c->buf hold k bytes from c->pos, reading on from the file. */
static int
need(struct dg_extsort *xs, FILE *fp, struct cursor *c, size_t k)
{
	int fd = fileno(fp);

	if (c->fill - c->pos >= k)
		return DG_OK;
	memmove(c->buf, c->buf + c->pos, c->fill - c->pos);
	c->fill -= c->pos;
	c->pos = 0;
	if (c->cap < k) {
		size_t cap = c->cap;

		if (dg_grow(&c->buf, &cap, k, 1) != 0)
			return oom(xs);
		c->cap = cap;
	}
	while (c->fill < k) {
		size_t want = c->cap - c->fill;
		ssize_t r;

		if ((off_t)want > c->end - c->off)
			want = (size_t)(c->end - c->off);
		if (want == 0) {
			errno = EIO;	/* the run ends inside a record */
			return io_fail(xs, "read");
		}
		r = pread(fd, c->buf + c->fill, want, c->off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return io_fail(xs, "read");
		c->fill += (size_t)r;
		c->off += r;
	}
	return DG_OK;
}

/* The cursor's next record in c->rec (NULL and DG_EOF at the run's end). */
static int
cur_next(struct dg_extsort *xs, FILE *fp, struct cursor *c)
{
	uint64_t len;
	int st;

	c->rec = NULL;
	if (c->left == 0)
		return DG_EOF;
	if ((st = need(xs, fp, c, sizeof(len))) != DG_OK)
		return st;
	memcpy(&len, c->buf + c->pos, sizeof(len));
	if (len > (uint64_t)(c->end - c->off) + (c->fill - c->pos)) {
		errno = EIO;
		return io_fail(xs, "read");
	}
	if ((st = need(xs, fp, c, sizeof(len) + (size_t)len)) != DG_OK)
		return st;
	c->rec = c->buf + c->pos + sizeof(len);
	c->len = (size_t)len;
	c->pos += sizeof(len) + (size_t)len;
	c->left--;
	return DG_OK;
}

static int
cur_lt(struct dg_extsort *xs, const struct cursor *a, const struct cursor *b)
{
	int c = xs->cmp(a->rec, a->len, b->rec, b->len, xs->arg);

	return c < 0 || (c == 0 && a->run < b->run);
}

static void
sift(struct dg_extsort *xs, struct cursor **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct cursor *t;

		if (l < n && cur_lt(xs, h[l], h[m]))
			m = l;
		if (l + 1 < n && cur_lt(xs, h[l + 1], h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void
cursors_free(struct cursor *c, size_t n)
{
	for (size_t i = 0; c != NULL && i < n; i++)
		free(c[i].buf);
	free(c);
}

/* Cursors on runs a..b-1, each at its first record, in a heap. */
static int
heap_open(struct dg_extsort *xs, size_t a, size_t b, struct cursor **cs,
    struct cursor ***hp, size_t *nh)
{
	struct cursor *c = calloc(b - a + 1, sizeof(*c));
	struct cursor **h = calloc(b - a + 1, sizeof(*h));
	size_t n = 0;
	int st = DG_OK;

	*cs = c;
	*hp = h;
	*nh = 0;
	if (c == NULL || h == NULL)
		return oom(xs);
	for (size_t i = a; i < b && st == DG_OK; i++) {
		struct cursor *k = &c[i - a];

		k->off = xs->runs[i].off;
		k->end = i + 1 < xs->nruns ? xs->runs[i + 1].off : xs->end;
		k->left = xs->runs[i].n;
		k->run = i;
		if ((k->buf = malloc(CURSOR_BUF)) == NULL)
			return oom(xs);
		k->cap = CURSOR_BUF;
		if ((st = cur_next(xs, xs->file, k)) == DG_OK)
			h[n++] = k;
		else if (st == DG_EOF)
			st = DG_OK;
	}
	for (size_t i = n; i-- > 0;)
		sift(xs, h, n, i);
	*nh = n;
	return st;
}

/* Moves the heap past its top record. */
static int
heap_pop(struct dg_extsort *xs, struct cursor **h, size_t *n)
{
	int st = cur_next(xs, xs->file, h[0]);

	if (st == DG_EOF)
		h[0] = h[--*n];
	else if (st != DG_OK)
		return st;
	sift(xs, h, *n, 0);
	return DG_OK;
}

/* Runs a..b-1 merged into out. */
static int
merge_to(struct dg_extsort *xs, size_t a, size_t b, FILE *out)
{
	struct cursor *c, **h;
	size_t n;
	int st = heap_open(xs, a, b, &c, &h, &n);

	while (st == DG_OK && n > 0)
		if ((st = put(xs, out, h[0]->rec, h[0]->len)) == DG_OK)
			st = heap_pop(xs, h, &n);
	cursors_free(c, b - a + 1);
	free(h);
	return st;
}

/* Merges the runs FANIN at a time into a new file until at most FANIN are
 * left. */
static int
merge_passes(struct dg_extsort *xs)
{
	while (xs->nruns > DG_EXTSORT_FANIN) {
		size_t nn = (xs->nruns + DG_EXTSORT_FANIN - 1) /
		    DG_EXTSORT_FANIN;
		struct run *nr = calloc(nn, sizeof(*nr));
		FILE *nf = NULL;
		int st;

		if (nr == NULL)
			return oom(xs);
		if ((st = dg_tmpfile(&nf, xs->err)) != DG_OK) {
			free(nr);
			return st;
		}
		for (size_t g = 0; g < nn && st == DG_OK; g++) {
			size_t a = g * DG_EXTSORT_FANIN;
			size_t b = a + DG_EXTSORT_FANIN;

			if (b > xs->nruns)
				b = xs->nruns;
			nr[g].off = ftello(nf);
			for (size_t i = a; i < b; i++)
				nr[g].n += xs->runs[i].n;
			st = merge_to(xs, a, b, nf);
		}
		if (st == DG_OK && fflush(nf) != 0)
			st = io_fail(xs, "write");
		if (st != DG_OK) {
			fclose(nf);
			free(nr);
			return st;
		}
		fclose(xs->file);
		free(xs->runs);
		xs->file = nf;
		xs->end = ftello(nf);
		xs->runs = nr;
		xs->nruns = xs->capruns = nn;
	}
	return DG_OK;
}

static void
chunks_free(struct dg_extsort *xs)
{
	for (size_t i = 0; i < xs->nchunks; i++)
		free(xs->chunks[i].mem);
	free(xs->chunks);
	free(xs->ent);
	free(xs->tmp);
	xs->chunks = NULL;
	xs->ent = xs->tmp = xs->sorted = NULL;
	xs->nchunks = xs->capchunks = xs->capent = xs->captmp = 0;
	xs->n = 0;
}

int
dg_extsort_finish(struct dg_extsort *xs)
{
	int st;

	if (xs->state != ADDING)
		return dg_error_set(xs->err, DG_EINTERNAL, NULL, 0, NULL,
		    "sort finished twice");
	if (xs->nruns == 0) {
		xs->state = IN_MEMORY;
		return sort_mem(xs);
	}
	xs->state = MERGING;
	if ((st = spill(xs)) != DG_OK)
		return st;
	chunks_free(xs);
	if (fflush(xs->file) != 0)
		return io_fail(xs, "write");
	if ((st = merge_passes(xs)) != DG_OK)
		return st;
	return heap_open(xs, 0, xs->nruns, &xs->cursors, &xs->heap, &xs->nheap);
}

int
dg_extsort_next(struct dg_extsort *xs, const void **rec, size_t *len)
{
	int st;

	if (xs->state == IN_MEMORY) {
		if (xs->pos == xs->n)
			return DG_EOF;
		*rec = xs->sorted[xs->pos].p;
		*len = xs->sorted[xs->pos].len;
		xs->pos++;
		return DG_OK;
	}
	if (xs->state != MERGING)
		return xs->state == DONE ? DG_EOF : dg_error_set(xs->err,
		    DG_EINTERNAL, NULL, 0, NULL,
		    "records read before the sort");
	if (xs->advance && (st = heap_pop(xs, xs->heap, &xs->nheap)) != DG_OK)
		return st;
	xs->advance = 0;
	if (xs->nheap == 0) {
		xs->state = DONE;
		return DG_EOF;
	}
	*rec = xs->heap[0]->rec;
	*len = xs->heap[0]->len;
	xs->advance = 1;
	return DG_OK;
}

size_t
dg_extsort_count(const struct dg_extsort *xs)
{
	return xs->count;
}

size_t
dg_extsort_runs(const struct dg_extsort *xs)
{
	return xs->spilled;
}

void
dg_extsort_free(struct dg_extsort *xs)
{
	if (xs == NULL)
		return;
	chunks_free(xs);
	cursors_free(xs->cursors, xs->nruns + 1);
	free(xs->heap);
	free(xs->runs);
	if (xs->file != NULL)
		fclose(xs->file);
	free(xs);
}
