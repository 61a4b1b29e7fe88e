#!/bin/sh
# bench/settle.sh: a month of settlements for N sites (default 10,000):
# the real NYISO real-time prices of July 2022 (31 daily 5-minute files,
# time-weighted), 8 EDRP events of 4 hours with offered strikes and a LIPA
# credit event behind one of them (a bill credit that stacks), then the
# statements.
# Prints the sizes and the times.  Run from the top of the built tree:
#   DG_RT_ZIP=.../20220701realtime_zone_csv.zip sh bench/settle.sh [N]
# DG_RT_ZIP is NYISO's monthly real-time zonal LBMP archive for July 2022
# (mis.nyiso.com/public/csv/realtime/20220701realtime_zone_csv.zip), which
# the tree does not hold (doc/README.md, Data the tree does not hold);
# without it the benchmark is skipped.  Needs unzip.
set -eu
n=${1:-10000}
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/cmd:$top/_build/cmd:$PATH"
zip=${DG_RT_ZIP:-}
if [ -z "$zip" ] || [ ! -f "$zip" ]; then
	echo "settle.sh: skipped: DG_RT_ZIP names no file (NYISO's July 2022 real-time zonal archive)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-bench-settle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"
unzip -q "$zip" -d rt

# Sites in the 11 NYISO zones; every tenth site also in LIPA.
awk -v n="$n" 'BEGIN {
	split("WEST GENESE CENTRL NORTH MHK_VL CAPITL HUD_VL MILLWD DUNWOD N.Y.C. LONGIL", z, " ")
	print "site,zone,programs"
	for (i = 1; i <= n; i++) {
		zone = z[(i % 11) + 1]; gsub(/_/, " ", zone)
		printf "S%05d,%s,%s\n", i, zone, (i % 10 == 0) ? "EDRP;LIPA" : "EDRP"
	}
}' >sites.csv
awk -v n="$n" 'BEGIN { print "site,program,strike_usd_per_mwh"
	for (i = 1; i <= n; i++) printf "S%05d,EDRP,%d.%02d\n", i, 150 + i % 350, i % 100 }' >offers.csv
awk -v n="$n" 'BEGIN { print "site,participant,share_pct"
	for (i = 1; i <= n; i++) printf "S%05d,P%04d,%d.5\n", i, int(i / 3), 10 + i % 10 }' >contracts.csv
# Events: July 5, 8, 12, 15, 19, 20, 22, 26, hour beginning 13-16; LIPA on
# July 20 14-17 for the LIPA sites.
awk -v n="$n" 'BEGIN {
	split("05 08 12 15 19 20 22 26", d, " ")
	print "site,event,program,time,reduction_kw,quality"
	for (i = 1; i <= n; i++) {
		s = sprintf("S%05d", i)
		for (e = 1; e <= 8; e++)
			for (h = 13; h <= 16; h++)
				printf "%s,EDRP-07-%s,EDRP,2022-07-%sT%02d:00:00-04:00,%d.%d,\n", s, d[e], d[e], h, (i * 7 + e * 13 + h) % 900 - 20, (i + h) % 10
		if (i % 10 == 0)
			for (h = 14; h <= 17; h++)
				printf "%s,LIPA-07-20,LIPA,2022-07-20T%02d:00:00-04:00,%d.%d,\n", s, h, (i * 3 + h) % 500, h % 10
	}
}' >cbl.csv
{
	echo "event,program,date,start,end"
	for d in 05 08 12 15 19 20 22 26; do echo "EDRP-07-$d,EDRP,2022-07-$d,13:00,17:00"; done
	echo "LIPA-07-20,LIPA,2022-07-20,14:00,18:00"
} >events.csv
set --
for f in rt/*.csv; do set -- "$@" --rt-prices "$f"; done

echo "sites: $n; input rows: $(($(wc -l <cbl.csv) - 1)); real-time files: $(($# / 2)) ($(cat rt/*.csv | wc -l) rows)"
t0=$(date +%s.%N)
dg-settle pay --programs "$top/testdata/settle/programs.csv" --sites sites.csv \
    --events events.csv --offers offers.csv "$@" -o pay.csv --manifest m.csv cbl.csv
t1=$(date +%s.%N)
dg-settle statement --contracts contracts.csv -o st.csv pay.csv
t2=$(date +%s.%N)
echo "payment lines: $(($(wc -l <pay.csv) - 1)); statement rows: $(($(wc -l <st.csv) - 1))"
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	printf "dg-settle pay (prices read and time-weighted, payments, manifest): %.2f s\n", b - a
	printf "dg-settle statement: %.2f s\n", c - b
	printf "total: %.2f s (target: under 10 s for 10,000 sites)\n", c - a
}'
