/* track-lag.c: drives dg-track with a live stream and measures the lag
 * from a row in to its row out (bench/track.sh).
 *
 *   track-lag gen DIR SITES HOURS
 *	writes DIR/baseline.csv (dg-cbl's columns: every site 100 kW in
 *	each hour from 2022-07-20 14:00 EDT) and DIR/pledges.csv (50 kW)
 *   track-lag run SITES MINUTES RATE -- COMMAND ...
 *	starts COMMAND with pipes, writes SITES x MINUTES rows of 1-minute
 *	kW (site S00000.. each minute from 14:00; load 40 kW, 30 kW at
 *	every 7th site: some alarms) into its standard input at RATE rows a
 *	second, each with its own write(2), paced on an absolute clock, and
 *	reads its standard output in another thread.  dg-track writes one
 *	site row per row in, in order (plus TOTAL rows, skipped here), so
 *	the k-th site row out answers the k-th row in.  Prints
 *	rows,rate,lag_median_ms,lag_p99_ms,lag_max_ms,cpu_us_per_row,
 *	maxrss_mb (the child's user + system time and peak resident set).
 *
 * A benchmark, not a test: never run by make check. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t *sent, *got;
static size_t nrows, ngot;
static int out_fd;

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
gen(const char *dir, int sites, int hours)
{
	char path[4096];
	FILE *b, *p;

	snprintf(path, sizeof(path), "%s/baseline.csv", dir);
	if ((b = fopen(path, "w")) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/pledges.csv", dir);
	if ((p = fopen(path, "w")) == NULL)
		return 1;
	fprintf(b, "site,event,time,cbl_kw,adjusted_cbl_kw\n");
	fprintf(p, "site,pledge_kw\n");
	for (int s = 0; s < sites; s++) {
		for (int h = 0; h < hours; h++)
			fprintf(b, "S%05d,B,2022-07-20T%02d:00:00-04:00,100,\n", s,
			    14 + h);
		fprintf(p, "S%05d,50\n", s);
	}
	return fclose(b) != 0 || fclose(p) != 0;
}

/* Reads the child's output; stamps each site row as it comes. */
static void *
reader(void *arg)
{
	static char buf[1 << 16];
	int line_start = 1, header = 1, total = 0;
	size_t col = 0;

	(void)arg;
	for (;;) {
		ssize_t n = read(out_fd, buf, sizeof(buf));
		int64_t t = now_ns();

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (line_start) {
				total = 0;
				col = 0;
				line_start = 0;
			}
			/* ",TOTAL," in the second field */
			if (buf[i] == ',')
				col++;
			else if (col == 1 && buf[i] == 'T')
				total = 1;
			if (buf[i] != '\n')
				continue;
			line_start = 1;
			if (header) {
				header = 0;
				continue;
			}
			if (!total && ngot < nrows)
				got[ngot++] = t;
		}
	}
	return NULL;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void
pace(int64_t start, size_t k, double rate)
{
	int64_t due = start + (int64_t)((double)k * 1e9 / rate);
	struct timespec ts = { due / 1000000000, due % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

/* Writes the rows, paced; returns 0. */
static int
feed(int fd, int sites, int minutes, double rate)
{
	char row[128];
	size_t k = 0;
	int64_t start = now_ns();
	int n = snprintf(row, sizeof(row), "site,time,load_kw\n");

	if (write(fd, row, (size_t)n) != n)
		return 1;
	for (int m = 0; m < minutes; m++)
		for (int s = 0; s < sites; s++, k++) {
			pace(start, k, rate);
			n = snprintf(row, sizeof(row),
			    "S%05d,2022-07-20T%02d:%02d:00-04:00,%s\n", s,
			    14 + m / 60, m % 60, s % 7 == 0 ? "30" : "40");
			sent[k] = now_ns();
			if (write(fd, row, (size_t)n) != n)
				return 1;
		}
	return 0;
}

static int
run(int sites, int minutes, double rate, char **cmd)
{
	int in[2], out[2], status;
	pid_t pid;
	pthread_t th;
	struct rusage ru;
	double cpu;

	nrows = (size_t)sites * (size_t)minutes;
	sent = calloc(nrows, sizeof(*sent));
	got = calloc(nrows, sizeof(*got));
	if (sent == NULL || got == NULL || pipe(in) != 0 || pipe(out) != 0)
		return 1;
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	out_fd = out[0];
	pthread_create(&th, NULL, reader, NULL);
	if (feed(in[1], sites, minutes, rate) != 0)
		return 1;
	close(in[1]);
	pthread_join(th, NULL);
	wait4(pid, &status, 0, &ru);
	if (ngot != nrows) {
		fprintf(stderr, "track-lag: %zu rows out for %zu in\n", ngot,
		    nrows);
		return 1;
	}
	for (size_t i = 0; i < nrows; i++)
		got[i] -= sent[i];
	qsort(got, nrows, sizeof(*got), cmp64);
	cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	printf("%zu,%.0f,%.3f,%.3f,%.3f,%.2f,%.1f\n", nrows, rate,
	    (double)got[nrows / 2] / 1e6, (double)got[nrows * 99 / 100] / 1e6,
	    (double)got[nrows - 1] / 1e6, cpu / (double)nrows,
	    (double)ru.ru_maxrss / 1024);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], (int)strtol(argv[3], NULL, 10),
		    (int)strtol(argv[4], NULL, 10));
	if (argc > 6 && strcmp(argv[1], "run") == 0 &&
	    strcmp(argv[5], "--") == 0)
		return run((int)strtol(argv[2], NULL, 10),
		    (int)strtol(argv[3], NULL, 10), strtod(argv[4], NULL),
		    argv + 6);
	fprintf(stderr, "usage: track-lag gen DIR SITES HOURS\n"
	    "       track-lag run SITES MINUTES RATE -- COMMAND ...\n");
	return 64;
}
