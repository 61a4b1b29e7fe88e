#!/bin/sh
# track.sh: dg-track live on 10,000 sites of 1-minute data (issue 17's
# benchmark): the lag from a row in to its row out (median, 99th
# percentile, largest), CPU per row, and peak memory against the number
# of sites and of minutes.
#
# bench/track-lag.c feeds dg-track's standard input through a pipe, one
# write(2) per row, paced on an absolute clock, and stamps each row out
# as it is read from dg-track's standard output (dg-track flushes each
# row).  The rows: SITES sites x MINUTES minutes of kW, site by site
# within each minute, from 14:00 of a one- or two-hour event; baselines
# 100 kW, pledges 50 kW, loads 40 kW (30 kW at every 7th site).
#
#   real time   10,000 sites of 1-minute data arrive at 10,000 / 60 =
#               167 rows a second: one minute of it
#   60x         the same at 10,000 rows a second, 30 minutes of data
#   flat out    no pacing: as fast as the pipe takes them
#   memory      peak RSS for 1,000 and 10,000 sites, 10 and 60 minutes
#
# Measured 2026-12-07 on the 2-core build machine (shared with other
# jobs; lags above a few milliseconds are the scheduler's):
#
#   run       sites minutes   rows   rate/s  median  p99    max  CPU/row  RSS
#   realtime  10000    1     10000     167   0.04   0.14   12.8   29 us  6.0 MB
#   60x       10000   30    300000   10000   0.04   3.8   101     17 us  6.0 MB
#   flatout   10000   30    300000      -    0.60   8.9    28      5 us  6.0 MB
#   memory     1000   10/60  10k/60k    -                                2.5/2.6
#   memory    10000   10/60 100k/600k   -                                6.1/6.1
#
# (lags in ms; the CPU is dg-track's user + system time over the rows in,
# the flushed write of each row out included).
#
# usage: bench/track.sh   (from anywhere, after make; about 2 minutes)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${DG_BUILD:-$top/_build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-track-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O2 -pthread -o "$tmp/track-lag" "$top/bench/track-lag.c"

# run NAME SITES MINUTES RATE
run() {
	hours=$(( ($3 + 59) / 60 ))
	mkdir -p "$tmp/$2-$hours"
	"$tmp/track-lag" gen "$tmp/$2-$hours" "$2" "$hours"
	printf '%s,%s,%s,' "$1" "$2" "$3"
	"$tmp/track-lag" run "$2" "$3" "$4" -- "$build/cmd/dg-track" \
	    --baseline "$tmp/$2-$hours/baseline.csv" \
	    --pledges "$tmp/$2-$hours/pledges.csv" --interval 60 --lead 0
}
echo "run,sites,minutes,rows,rate_per_s,lag_median_ms,lag_p99_ms,lag_max_ms,cpu_us_per_row,maxrss_mb"
run realtime 10000 1 167 2>/dev/null
run 60x 10000 30 10000 2>/dev/null
run flatout 10000 30 1e9 2>/dev/null
run memory 1000 10 1e9 2>/dev/null
run memory 1000 60 1e9 2>/dev/null
run memory 10000 10 1e9 2>/dev/null
run memory 10000 60 1e9 2>/dev/null
