#!/bin/sh
# cbl-accuracy.sh: how well each dg-cbl method predicts real load.
#
# Data: the five real commercial sites of
# ../shared/data/real/nyiso_dr_sites_15min_sumedhsankhe (15-minute kWh,
# 2017-05-01 .. 2017-06-20; PROVENANCE.md there).  Their one demand-response
# event is Tuesday 2017-06-13 14:00-18:00 (every site's load drops that
# afternoon: site_3 from about 800 to 127 kW); it is given to dg-cbl as an
# event day, so it never enters a window, and it is not scored.
#
# Every other weekday afternoon from 2017-05-16 (the first with 10 weekdays
# of history) to 2017-06-20, except Memorial Day 2017-05-29, is treated as
# a pseudo-event 14:00-18:00, one dg-cbl run per day (so that the other
# pseudo-events are not excluded as event days), and the baseline is compared
# with the metered load of those hours:
#
#   RRMSE = sqrt(mean((CBL - load)^2)) / mean(load)  over all scored hours
#
# (PJM certifies a baseline whose relative RMSE is below 20 %.)  The
# 15-minute stamps ("HE (EST)") are taken as interval starts in local time,
# as the data's own code does; the four readings of an hour are summed into
# the hour's kWh (= mean kW).
#
# usage: bench/cbl-accuracy.sh [DATA_DIR]    (from the top of the tree,
#        after make; prints site,method,hours,rrmse_pct)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$top/../shared/data/real/nyiso_dr_sites_15min_sumedhsankhe}
[ -d "$data" ] || data=/work/shared/data/real/nyiso_dr_sites_15min_sumedhsankhe
PATH="$top/cmd:$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-cblacc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# site,time,energy_kwh with naive local stamps
{
	echo "site,time,energy_kwh"
	for f in "$data"/site_*.csv; do
		s=$(basename "$f" .csv)
		awk -F, -v s="$s" 'NR > 1 { sub(/ /, "T", $1); print s "," $1 "," $2 }' "$f"
	done
} >"$tmp/load.csv"

days=$(awk 'BEGIN {
	for (d = 16; d <= 31; d++) printf "2017-05-%02d\n", d
	for (d = 1; d <= 20; d++) printf "2017-06-%02d\n", d }' |
    while read -r d; do
	case $d in 2017-05-29|2017-06-13) continue ;; esac
	w=$(date -u -d "$d" +%u)
	[ "$w" -le 5 ] && echo "$d"
    done)

run() {	# name, dg-cbl options
	name=$1
	shift
	for d in $days; do
		printf 'event,program,date,start,end\nREAL,EDRP,2017-06-13,14:00,18:00\nP,EDRP,%s,14:00,18:00\n' "$d" >"$tmp/ev.csv"
		dg-cbl --tz America/New_York --column energy_kwh --sum \
		    --events "$tmp/ev.csv" "$@" "$tmp/load.csv" 2>/dev/null |
		    awk -F, -v m="$name" 'NR > 1 && $2 == "P" {
			cbl = $7 != "" ? $7 : $6
			print $1 "," m "," cbl "," $8 }'
	done
}
{
	run nyiso --method nyiso
	run nyiso-wx --method nyiso --adjust mult
	run pjm-unadj --method pjm --adjust none
	run pjm --method pjm
	run caiso-unadj --method caiso --adjust none
	run caiso --method caiso
} >"$tmp/pairs.csv"

echo "site,method,hours,rrmse_pct"
awk -F, '$3 != "" && $4 != "" {
	k = $1 "," $2; n[k]++; e = $3 - $4; se[k] += e * e; sa[k] += $4
	if (!(k in seen)) { seen[k] = 1; order[++no] = k } }
    END {
	for (i = 1; i <= no; i++) { k = order[i]
		printf "%s,%d,%.1f\n", k, n[k], 100 * sqrt(se[k] / n[k]) / (sa[k] / n[k]) } }' \
    "$tmp/pairs.csv" | sort -t, -k1,1 -s
