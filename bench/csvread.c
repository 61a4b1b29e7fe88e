/* csvread.c: the floor of our CSV parser: libcsv reading files (each
 * named, else standard input) and counting fields and rows, nothing else.
 * Built by bench/all.sh and bench/pulse2kwh.sh. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static size_t fields, rows;

static void cb1(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; fields++; }
static void cb2(int c, void *d) { (void)c; (void)d; rows++; }

static int
read_one(FILE *fp)
{
	struct csv_parser p;
	char buf[65536];
	size_t n;

	if (fp == NULL || csv_init(&p, CSV_STRICT) != 0)
		return 1;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (csv_parse(&p, buf, n, cb1, cb2, NULL) != n)
			return 1;
	csv_fini(&p, cb1, cb2, NULL);
	csv_free(&p);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2 && read_one(stdin) != 0)
		return 1;
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "r");

		if (read_one(fp) != 0)
			return 1;
		fclose(fp);
	}
	printf("%zu rows, %zu fields\n", rows, fields);
	return 0;
}
