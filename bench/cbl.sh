#!/bin/sh
# cbl.sh: dg-cbl on a large portfolio: N sites (default 10,000) x one year
# of hourly load (2017, America/New_York: 8,760 hours with the 23- and
# 25-hour days) with 10 events; prints the time and the peak resident
# memory of the dg-cbl run (GNU time).  The input (about 3.3 GB for 10,000
# sites) is generated once into $TMPDIR and reused; generation is not timed.
#
# usage: bench/cbl.sh [SITES [METHOD]]     (from the top of the tree, after make)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-10000}
method=${2:-nyiso}
PATH="$top/cmd:$PATH"
dir=${TMPDIR:-/tmp}
in="$dir/dg-cbl-bench-$n.csv"
ev="$dir/dg-cbl-bench-events.csv"
out="$dir/dg-cbl-bench-out.csv"

cat >"$ev" <<'EOT'
event,program,date,start,end
E1,EDRP,2017-06-12,14:00,18:00
E2,EDRP,2017-06-13,13:00,18:00
E3,SCR,2017-07-12,14:00,18:00
E4,SCR,2017-07-19,14:00,18:00
E5,EDRP,2017-07-20,12:00,18:00
E6,EDRP,2017-07-21,14:00,19:00
E7,DADRP,2017-08-01,13:00,17:00
E8,EDRP,2017-08-02,14:00,18:00
E9,SCR,2017-08-22,14:00,18:00
E10,EDRP,2017-11-05,00:00,04:00
EOT

if [ ! -s "$in" ]; then
	echo "generating $in ($n sites x 8760 hours)..." >&2
	# a small C generator (awk takes minutes for 87.6 million rows):
	# deterministic loads, an office-like day shape, +-10 % noise
	cat >"$dir/dg-cbl-bench-gen.c" <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int
main(int argc, char **argv)
{
	long n = strtol(argv[1], NULL, 10);
	static char stamp[8760][32];
	static int hour[8760];
	time_t t0 = 1483246800;	/* 2017-01-01T00:00:00-05:00 */

	for (int k = 0; k < 8760; k++) {
		time_t t = t0 + (time_t)k * 3600;
		struct tm tm;
		char z[8];

		localtime_r(&t, &tm);
		strftime(stamp[k], sizeof(stamp[k]), "%Y-%m-%dT%H:%M:%S", &tm);
		strftime(z, sizeof(z), "%z", &tm);
		snprintf(stamp[k] + 19, 13, "%c%c%c:%c%c", z[0], z[1], z[2], z[3], z[4]);
		hour[k] = tm.tm_hour;
	}
	printf("site,time,load_kw\n");
	for (long s = 1; s <= n; s++) {
		double base = 50 + (s * 37) % 900;
		unsigned long x = (unsigned long)s;

		for (int k = 0; k < 8760; k++) {
			double occ = hour[k] >= 8 && hour[k] < 18 ? 1 : 0.35;

			x = (x * 1103515245UL + 12345UL) % 2147483648UL;
			printf("S%05ld,%s,%.1f\n", s, stamp[k],
			    base * occ * (0.9 + 0.2 * (double)x / 2147483648.0));
		}
	}
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
EOC
	cc -O2 -o "$dir/dg-cbl-bench-gen" "$dir/dg-cbl-bench-gen.c"
	TZ=America/New_York "$dir/dg-cbl-bench-gen" "$n" >"$in.tmp"
	mv "$in.tmp" "$in"
fi
rows=$(($(wc -l <"$in") - 1))
echo "input: $rows rows, $(du -h "$in" | cut -f1), $n sites, 10 events, method $method"
/usr/bin/time -f "dg-cbl: %e s elapsed, %U s user, peak RSS %M kB" \
    dg-cbl --method "$method" --events "$ev" -o "$out" "$in"
echo "output: $(($(wc -l <"$out") - 1)) rows"
rm -f "$out"
