#!/bin/sh
# import.sh: what the reading contract costs (issue 13).  On a synthetic
# portfolio (scripts/gen-national: SITES sites x DAYS days of hourly load,
# default 10000 x 30), rewritten as a meter export would come:
#   export.csv  meter,read_at,energy_kwh: columns named otherwise, kWh,
#               stamps without offset in EST all year labelling the END of
#               their hour
#   bytime.csv  the same rows ordered by time, all sites interleaved
# and measured in one run:
#   dg-import on export.csv with the mapping, unit and stamp options, beside
#     a plain libcsv read of the same file (bench/csvread.c; target >= 0.5x)
#   dg-import on bytime.csv: the rows sorted in bounded memory (target: peak
#     resident memory < 50 MB), the output identical to the grouped file's
#   dg-cbl on the grouped and the time-ordered load: identical baselines,
#     and its peak memory on the time-ordered one
# Figures: seconds (fastest of 3, nanosecond clock), MB/s, peak RSS (GNU
# time).  Deterministic input, generated once under $TMPDIR and reused.
#
# usage: bench/import.sh [SITES [DAYS]]   (from the top, after make)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sites=${1:-10000}
days=${2:-30}
bin=$top/cmd
[ -x "$bin/dg-import" ] || bin=$top/_build/cmd
PATH="$bin:$PATH"
tmp=${TMPDIR:-/tmp}
data=$tmp/dg-bench-import-$sites-$days
work=$tmp/dg-bench-import-work.$$
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work"
if [ ! -s "$data/bytime.csv" ]; then
	echo "generating $data ($sites sites, $days days)..." >&2
	"$top/scripts/gen-national" -n "$sites" -h "2017-07-21:$days" "$data" >&2
	# the export: EST all year, the hour's END, kWh (an hour's kWh is its
	# mean kW)
	/usr/bin/python3 - "$data/load-history.csv" "$data/export.csv" <<'EOF'
import sys, datetime as dt
est = dt.timezone(dt.timedelta(hours=-5))
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    f.readline()
    o.write("meter,read_at,energy_kwh\n")
    for line in f:
        site, t, v = line.rstrip("\n").split(",")
        end = dt.datetime.fromisoformat(t).astimezone(est) + dt.timedelta(hours=1)
        o.write(f"{site},{end:%Y-%m-%d %H:%M:%S},{v}\n")
EOF
	{ head -n 1 "$data/load-history.csv"
	  tail -n +2 "$data/load-history.csv" | LC_ALL=C sort -t, -k2,2 -k1,1 -S 256M; } \
	    >"$data/bytime.tmp" && mv "$data/bytime.tmp" "$data/bytime.csv"
fi
cc -O2 -o "$work/csvread" "$top/bench/csvread.c" -lcsv

# measure NAME CMD...: the fastest of 3 runs in $secs, the largest peak RSS
# (MB) in $rss, standard output in $work/NAME.out
measure() {
	name=$1
	shift
	secs=; rss=0
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		/usr/bin/time -f '%M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
		    { echo "import.sh: $name failed:" >&2; tail -5 "$work/$name.err" >&2; exit 1; }
		t1=$(date +%s%N)
		secs=$(awk -v a="$t0" -v b="$t1" -v s="$secs" 'BEGIN { t = (b - a) / 1e9; if (s == "" || t < s) s = t; printf "%.3f", s }')
		rss=$(awk -v m="$(cat "$work/$name.time")" -v r="$rss" 'BEGIN { m /= 1024; printf "%.1f", (m > r ? m : r) }')
	done
}
mb() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
line() {	# line NAME FILE SECS RSS FLOOR
	awk -v n="$1" -v m="$(mb "$2")" -v s="$3" -v r="$4" -v f="$5" 'BEGIN {
		xf = f == "-" ? "-" : sprintf("%.2f", f / s)
		printf "%-26s %9.1f %8.3f %8.1f %8.1f %8s\n", n, m, s, m / s, r, xf }'
}

cd "$data"
measure floor "$work/csvread" export.csv
floor=$secs
measure import dg-import --site-column meter --time-column read_at \
    --column energy_kwh --in-tz EST --stamps end export.csv
imp_s=$secs imp_r=$rss
measure import-bytime dg-import bytime.csv
ibt_s=$secs ibt_r=$rss
measure import-grouped dg-import load-history.csv
cmp -s "$work/import-grouped.out" "$work/import-bytime.out" ||
    { echo "import.sh: dg-import: time order and site order differ" >&2; exit 1; }
printf 'event,program,date,start,end\nE1,EDRP,2017-07-20,14:00,18:00\n' >"$work/ev.csv"
measure cbl dg-cbl --events "$work/ev.csv" load-history.csv
cbl_s=$secs cbl_r=$rss
measure cbl-bytime dg-cbl --events "$work/ev.csv" bytime.csv
cmp -s "$work/cbl.out" "$work/cbl-bytime.out" ||
    { echo "import.sh: dg-cbl: time order and site order differ" >&2; exit 1; }

echo "bench/import.sh: $sites sites x $days days, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '%-26s %9s %8s %8s %8s %8s\n' run input_MB secs MB/s rss_MB 'x libcsv'
line "dg-import export (map)" export.csv "$imp_s" "$imp_r" "$floor"
line "dg-import by time" bytime.csv "$ibt_s" "$ibt_r" -
line "dg-cbl by site" load-history.csv "$cbl_s" "$cbl_r" -
line "dg-cbl by time" bytime.csv "$secs" "$rss" -
echo "outputs by time and by site: identical (cmp)"
echo "targets: x libcsv >= 0.5 with the mapping on; rss < 50 MB by time"
