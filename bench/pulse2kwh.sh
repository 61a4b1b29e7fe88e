#!/bin/sh
# pulse2kwh.sh: benchmark of dg-pulse2kwh against its peers, in one run.
#
# Generates 5-minute pulse counts for SITES sites x DAYS days (default
# 1,000 x 30: 8.64 M rows), then times on the same file:
#   - dg-pulse2kwh --counts to hourly energy;
#   - a plain libcsv read of the file (bench/csvread.c): the floor of our parser;
#   - Miller (mlr) computing the per-site hourly sums of the counts,
#     streaming (the input is sorted by site and time).
# Prints MB/s, rows/s and peak RSS of each, and the ratios.
# Targets (issue 2): >= 0.5x the libcsv read, >= 5x Miller, < 50 MB.
#
# usage: bench/pulse2kwh.sh [SITES [DAYS]]   (after scripts/setup)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sites=${1:-1000}
days=${2:-30}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
bin="$top/_build/cmd"
[ -x "$bin/dg-pulse2kwh" ] || { echo "run scripts/setup first" >&2; exit 1; }
cc -O2 -o "$tmp/csvread" "$top/bench/csvread.c" -lcsv

echo "generating $sites sites x $days days of 5-minute counts..."
awk -v n="$sites" 'BEGIN { print "site,pulse_kwh,counter_bits"
	for (s = 1; s <= n; s++) printf "S%05d,0.6,16\n", s }' >"$tmp/sites.csv"
# Stamps in EST (-05:00, January): local midnight to midnight, no DST.
awk -v n="$sites" -v days="$days" 'BEGIN {
	srand(20170701); print "site,time,pulses"
	for (s = 1; s <= n; s++)
	  for (d = 1; d <= days; d++)
	    for (m = 0; m < 1440; m += 5)
	      printf "S%05d,2017-01-%02dT%02d:%02d:00-05:00,%d\n", s, d, m / 60, m % 60, 20 + int(rand() * 60)
}' >"$tmp/pulses.csv"
bytes=$(wc -c <"$tmp/pulses.csv")
rows=$(($(wc -l <"$tmp/pulses.csv") - 1))
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $rows rows, $mb MB"

run() {	# name, command...: seconds in $secs, peak RSS (kB) in $rss
	name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" ||
		{ echo "$name failed:"; cat "$tmp/err.$name"; exit 1; }
	read -r secs rss <"$tmp/time"
}
cat "$tmp/pulses.csv" >/dev/null	# warm the page cache
run csvread "$tmp/csvread" "$tmp/pulses.csv"
t_csvread=$secs m_csvread=$rss
run dg "$bin/dg-pulse2kwh" --sites "$tmp/sites.csv" --counts --reading-interval 5 "$tmp/pulses.csv"
t_dg=$secs m_dg=$rss
# Miller streams too: the input is sorted, so each hour's sum is emitted
# when the hour changes (stats1 -g would hold every group: gigabytes).
# shellcheck disable=SC2016
run mlr mlr --icsv --ocsv put -q '
	begin { @key = ""; @sum = 0 }
	k = $site . "," . sub($time, ":[0-9][0-9]:[0-9][0-9]-05:00$", "");
	if (k != @key) {
		if (@key != "") { @o = {"key": @key, "pulses": @sum}; emit @o }
		@key = k; @sum = 0
	}
	@sum += $pulses;
	end { if (@key != "") { @o = {"key": @key, "pulses": @sum}; emit @o } }' "$tmp/pulses.csv"
t_mlr=$secs m_mlr=$rss
# the same hourly sums, as a check that both did the work
dg_rows=$(($(wc -l <"$tmp/out.dg") - 1))
mlr_rows=$(($(wc -l <"$tmp/out.mlr") - 1))

awk -v b="$bytes" -v r="$rows" \
    -v tc="$t_csvread" -v mc="$m_csvread" -v td="$t_dg" -v md="$m_dg" \
    -v tm="$t_mlr" -v mm="$m_mlr" -v dr="$dg_rows" -v mr="$mlr_rows" 'BEGIN {
	f = "%-22s %8.2f s %9.1f MB/s %12.0f rows/s %8.1f MB peak\n"
	printf "%-22s %10s %14s %19s %13s\n", "tool", "time", "speed", "rows", "memory"
	printf f, "libcsv read (floor)", tc, b / 1e6 / tc, r / tc, mc / 1024
	printf f, "dg-pulse2kwh", td, b / 1e6 / td, r / td, md / 1024
	printf f, "mlr stats1 (Miller 6)", tm, b / 1e6 / tm, r / tm, mm / 1024
	printf "output rows: dg-pulse2kwh %d hourly, mlr %d hourly sums\n", dr, mr
	printf "dg-pulse2kwh vs libcsv read: %.2fx (target >= 0.5x)\n", tc / td
	printf "dg-pulse2kwh vs Miller:      %.1fx (target >= 5x)\n", tm / td
	printf "dg-pulse2kwh peak memory:    %.1f MB (target < 50 MB)\n", md / 1024
}'
