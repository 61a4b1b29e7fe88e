#!/bin/sh
# bench/fetch.sh: dg-fetch's parsing speed on the real files of
# /work/shared/data/real (or $DG_REAL): a NYISO real-time monthly zip
# (31 days, 137,100 rows), the full MISO day-ahead report (1,797 nodes)
# and PJM's gzip-compressed Data Miner export (26,508 rows).  Each file is
# parsed twice per run (checked in full, then written).  Prints seconds
# and rows per second.
set -eu
REAL=${DG_REAL:-/work/shared/data/real}
FETCH=${DG_FETCH:-cmd/dg-fetch}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() {
	src=$1 file=$2
	t0=$(date +%s.%N)
	"$FETCH" "$src" --file "$file" -o "$out" 2>/dev/null
	t1=$(date +%s.%N)
	rows=$(($(wc -l < "$out") - 1))
	awk -v s="$src" -v f="$(basename "$file")" -v r="$rows" -v a="$t0" -v b="$t1" \
	    'BEGIN { printf "%-10s %-32s %7d rows %6.2f s %9.0f rows/s\n", s, f, r, b - a, r / (b - a) }'
}
run nyiso-rt "$REAL/nyiso_rt_zone_2022/20220701realtime_zone_csv.zip"
run miso-da "$REAL/miso_da_lmp_2011-07-16/miso.csv"
run pjm-da "$REAL/pjm_hub_lmp_hourly_2025/da_hrl_lmps.csv.gz"
