/* csvread.c: the floor of our CSV parser: libcsv reading a file and
 * counting fields and rows, nothing else.  Built by bench/pulse2kwh.sh. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static size_t fields, rows;

static void cb1(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; fields++; }
static void cb2(int c, void *d) { (void)c; (void)d; rows++; }

int
main(int argc, char **argv)
{
	struct csv_parser p;
	char buf[65536];
	size_t n;
	FILE *fp = argc > 1 ? fopen(argv[1], "r") : stdin;

	if (fp == NULL || csv_init(&p, CSV_STRICT) != 0)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_parse(&p, buf, n, cb1, cb2, NULL) != n)
			return 1;
	csv_fini(&p, cb1, cb2, NULL);
	printf("%zu rows, %zu fields\n", rows, fields);
	return 0;
}
