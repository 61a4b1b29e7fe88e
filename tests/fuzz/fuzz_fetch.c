/* fuzz_fetch: dg-fetch's parsers of the markets' files (CSV, zip, gzip,
 * JSON), the source chosen by the first byte; the rows are written as
 * dg_fetch_parse's callers write them, their coverage checked, and the
 * same bytes go through dg_fetch_stream_buf (what dg-fetch runs: sorted
 * runs spilled to temporary files beyond a sort memory, here 1 byte to
 * 64 KiB from the second byte) which must give the same status and, when
 * both succeed, the same output, counts and short days. */
#include "fuzz.h"
#include "dg_fetch.h"
#include "dg_fetch_impl.h"
#include "dg_fetch_stream.h"

struct legacy {
	const struct dg_fetch_source *src;
	struct dg_csvw *w;
	struct dg_fetch_counts c;
	long shorts;
};

static void
short_day(void *arg, const char *zone, dg_date day, long covered_s, long day_s)
{
	(void)arg; (void)zone; (void)day;
	if (covered_s < 0 || day_s <= 0) {
		fprintf(stderr, "short_day: %s day %ld: covered %ld of %ld s\n",
		    zone, (long)day, covered_s, day_s);
		abort();
	}
}

static int
rows(void *arg, const struct dg_fetch_rows *rs, const char *member,
    struct dg_error *err)
{
	struct legacy *a = arg;

	(void)member;
	a->shorts += dg_fetch_short_days(a->src, rs, NULL, short_day, NULL);
	return dg_fetch_write_rows(a->w, a->src, rs, NULL, &a->c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct legacy a;
	struct dg_fetch_sink sk;
	struct dg_error e1 = { 0 }, e2 = { 0 };
	struct dg_csvw w1, w2;
	char *out1 = NULL, *out2 = NULL;
	size_t ns = 0, n1 = 0, n2 = 0;
	FILE *f1, *f2;
	int s1, s2;

	fuzz_tz();
	if (size < 2)
		return 0;
	while (dg_fetch_sources[ns].name != NULL)
		ns++;
	memset(&a, 0, sizeof(a));
	a.src = &dg_fetch_sources[data[0] % ns];
	memset(&sk, 0, sizeof(sk));
	sk.mem = (size_t)1 << (data[1] % 17);
	sk.short_day = short_day;
	data += 2;
	size -= 2;
	if ((f1 = open_memstream(&out1, &n1)) == NULL ||
	    (f2 = open_memstream(&out2, &n2)) == NULL)
		abort();
	dg_csvw_init(&w1, f1, ',', 0, 0);
	dg_csvw_init(&w2, f2, ',', 0, 0);
	a.w = &w1;
	sk.w = &w2;
	s1 = dg_fetch_parse(a.src, (const char *)data, size, "fuzz", NULL, rows,
	    &a, &e1);
	s2 = dg_fetch_stream_buf(a.src, (const char *)data, size, "fuzz", NULL,
	    &sk, &e2);
	fclose(f1);
	fclose(f2);
	if (s1 == DG_OK && s2 == DG_OK) {
		if (n1 != n2 || memcmp(out1, out2, n2) != 0 ||
		    a.c.rows != sk.counts.rows || a.shorts != sk.short_days) {
			fprintf(stderr, "parse (%ld rows, %ld short):\n%s\n"
			    "stream (%ld rows, %ld short):\n%s\n",
			    (long)a.c.rows, a.shorts, out1,
			    (long)sk.counts.rows, sk.short_days, out2);
			abort();
		}
	} else if ((s1 == DG_OK) != (s2 == DG_OK)) {
		fprintf(stderr, "parse %d (%s), stream %d (%s)\n", s1, e1.msg,
		    s2, e2.msg);
		abort();
	}
	free(out1);
	free(out2);
	return 0;
}
