/* fuzz_fetch: dg-fetch's parsers of the markets' files (CSV, zip, gzip,
 * JSON), the source chosen by the first byte; the rows are written as
 * dg-fetch writes them and their coverage checked. */
#include "fuzz.h"
#include "dg_fetch.h"

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
	const struct dg_fetch_source *src = arg;
	struct dg_csvw w;
	struct dg_fetch_counts c;
	FILE *fp = fopen("/dev/null", "w");

	(void)member; (void)err;
	if (fp == NULL)
		abort();
	memset(&c, 0, sizeof(c));
	dg_csvw_init(&w, fp, ',', 0, 0);
	(void)dg_fetch_write_header(&w, src);
	(void)dg_fetch_write_rows(&w, src, rs, NULL, &c);
	(void)dg_fetch_short_days(src, rs, NULL, short_day, NULL);
	fclose(fp);
	return DG_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dg_fetch_source *src;
	struct dg_error err = { 0 };
	size_t ns = 0;

	fuzz_tz();
	if (size == 0)
		return 0;
	while (dg_fetch_sources[ns].name != NULL)
		ns++;
	src = &dg_fetch_sources[data[0] % ns];
	(void)dg_fetch_parse(src, (const char *)data + 1, size - 1, "fuzz",
	    NULL, rows, (void *)src, &err);
	return 0;
}
