#!/bin/sh
# bench/fetch.sh: dg-fetch's parsing speed on real public files, which
# the tree does not hold: with DG_REAL naming a directory holding
#   nyiso_rt_zone_2022/20220701realtime_zone_csv.zip  NYISO's real-time
#       zonal LBMP of July 2022 (31 days, 137,100 rows; mis.nyiso.com,
#       public/csv/realtime/)
#   miso_da_lmp_2011-07-16/miso.csv  MISO's day-ahead LMP report of that
#       day (1,797 nodes)
#   pjm_hub_lmp_hourly_2025/da_hrl_lmps.csv.gz  a PJM Data Miner 2 hourly
#       day-ahead LMP export, gzip-compressed (26,508 rows)
# (doc/README.md, Data the tree does not hold).  Each file is parsed once
# (checked, sorted and written to a spool copied out once every file has
# passed).  Prints seconds and rows per second.  Without DG_REAL this part
# is skipped, with a message.
#
# Then peak memory on a large input: FETCH_ZONES zones (default 220) x the
# hours of 2017 in NYISO's native day-ahead layout, written zone by zone so
# that the sort must move every row (1.9 million rows, 90 MB): the rows
# beyond DG_FETCH_SORT_MEMORY (24 MiB) are spilled in sorted runs to
# $TMPDIR and merged.  Fails unless GNU time's peak RSS is under 50 MB and
# every row is written.
#
# Then the same file downloaded from a local server (tests/fetch/server.py)
# with --url: the body goes to a temporary file, not to memory, so peak
# RSS stays under 50 MB too (the server is skipped without python3).
set -eu
REAL=${DG_REAL:-}
FETCH=${DG_FETCH:-cmd/dg-fetch}
SERVER=${DG_SERVER:-$(dirname "$0")/../tests/fetch/server.py}
out=$(mktemp)
big=$(mktemp)
tm=$(mktemp)
root=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out" "$big" "$tm" "$root"' EXIT
run() {
	src=$1 file=$2
	t0=$(date +%s.%N)
	"$FETCH" "$src" --file "$file" -o "$out" 2>/dev/null
	t1=$(date +%s.%N)
	rows=$(($(wc -l < "$out") - 1))
	awk -v s="$src" -v f="$(basename "$file")" -v r="$rows" -v a="$t0" -v b="$t1" \
	    'BEGIN { printf "%-10s %-32s %7d rows %6.2f s %9.0f rows/s\n", s, f, r, b - a, r / (b - a) }'
}
if [ -n "$REAL" ]; then
	run nyiso-rt "$REAL/nyiso_rt_zone_2022/20220701realtime_zone_csv.zip"
	run miso-da "$REAL/miso_da_lmp_2011-07-16/miso.csv"
	run pjm-da "$REAL/pjm_hub_lmp_hourly_2025/da_hrl_lmps.csv.gz"
else
	echo "fetch.sh: real files skipped: DG_REAL is not set (see the top of bench/fetch.sh)"
fi

# --- bounded memory --------------------------------------------------------
zones=${FETCH_ZONES:-220}
awk -v z="$zones" 'BEGIN {
	print "Time Stamp,Name,PTID,LBMP ($/MWHr),Marginal Cost Losses ($/MWHr),Marginal Cost Congestion ($/MWHr)"
	split("31 28 31 30 31 30 31 31 30 31 30 31", md, " ")
	for (k = 1; k <= z; k++)
		for (mo = 1; mo <= 12; mo++)
			for (d = 1; d <= md[mo]; d++)
				for (h = 0; h < 24; h++) {
					if (mo == 3 && d == 12 && h == 2)
						continue	# skipped by daylight saving
					n = mo == 11 && d == 5 && h == 1 ? 2 : 1
					for (i = 0; i < n; i++)
						printf "%02d/%02d/2017 %02d:00,Z%04d,%d,%d.%02d,%d.%02d,-%d.%02d\n",
						    mo, d, h, k, 60000 + k, 20 + (k + d + h) % 40,
						    (k * h) % 100, (h % 3), k % 100, (d % 5), h
				}
}' >"$big"
rows=$(($(wc -l <"$big") - 1))
mb=$(awk -v b="$(wc -c <"$big")" 'BEGIN { printf "%.0f", b / 1e6 }')
# report WHAT: the run timed in $tm, its output in $out: every row, and
# peak RSS under 50 MB
report() {
	read -r secs kb <"$tm"
	got=$(($(wc -l <"$out") - 1))
	printf 'nyiso-dam  %-32s %7d rows %6.2f s %9.0f rows/s  peak RSS %.1f MB\n' \
	    "$1" "$got" "$secs" \
	    "$(awk -v r="$got" -v s="$secs" 'BEGIN { print (s > 0 ? r / s : 0) }')" \
	    "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
	if [ "$got" -ne "$rows" ] || [ "$kb" -ge 51200 ]; then
		echo "fetch.sh: $1: $got rows of $rows, peak RSS $kb KB" >&2
		exit 1
	fi
}
/usr/bin/time -f '%e %M' -o "$tm" "$FETCH" nyiso-dam --no-cache --file "$big" -o "$out"
report "$zones zones zone-major, $mb MB"

# --- a large download ---------------------------------------------------------
command -v python3 >/dev/null 2>&1 || exit 0
cp "$big" "$root/big.csv"
python3 "$SERVER" --root "$root" --port-file "$root/port" --log "$root/log" --lifetime 120 &
pid=$!
i=0
while [ ! -s "$root/port" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
/usr/bin/time -f '%e %M' -o "$tm" env no_proxy='*' "$FETCH" nyiso-dam --no-cache \
    --from 2017-01-01 --to 2017-12-31 \
    --url "http://127.0.0.1:$(cat "$root/port")/ok/big.csv" -o "$out"
report "the same, downloaded"
