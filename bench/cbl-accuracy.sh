#!/bin/sh
# cbl-accuracy.sh: how well each dg-cbl method predicts real load.
#
# Data: the five real commercial sites of testdata/meter/ (15-minute kWh,
# 2017-05-01 .. 2017-06-20; its README.md gives their origin), read as
# exported with the reading contract's options alone: one site a file
# (--site), the stamp column "HE (EST)" labelling the END of its interval
# (--stamps end) in Eastern Standard Time all year (--in-tz EST), the
# value column kWH (its unit, kWh, from the name: the four readings of an
# hour are summed into its kWh, its mean kW).  Their one demand-response
# event is Tuesday 2017-06-13 14:00-18:00 (site_3 stops: 0 kWh in every
# interval of those hours); it is given to dg-cbl as an event day, so it
# never enters a window, and it is not scored.
#
# Every other weekday afternoon from 2017-05-16 (the first with 10 weekdays
# of history) to 2017-06-20, except Memorial Day 2017-05-29, is a
# pseudo-event 14:00-18:00, one dg-cbl run per day with an events file of
# its own (the other pseudo-events are not event days; --from and --to
# that day compute the pseudo-event, not the real one), and the
# baseline (the adjusted one where the method adjusts) is compared with
# the metered load of those hours by dg-forecast score:
#
#   cv_rmse_pct = 100 sqrt(mean((CBL - load)^2)) / mean(load)
#
# over the site's scored hours (PJM certifies a baseline whose relative
# RMSE is below 20 %).
#
# usage: bench/cbl-accuracy.sh [DATA_DIR]    (default testdata/meter; from
#        the top of the tree after make, or with the programs on PATH;
#        prints site,method,hours,rrmse_pct)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$top/testdata/meter}
PATH="$top/cmd:$top/_build/cmd:$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-cblacc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

days=$(awk 'BEGIN {
	for (d = 16; d <= 31; d++) printf "2017-05-%02d\n", d
	for (d = 1; d <= 20; d++) printf "2017-06-%02d\n", d }' |
    while read -r d; do
	case $d in 2017-05-29|2017-06-13) continue ;; esac
	w=$(date -u -d "$d" +%u)
	[ "$w" -le 5 ] && echo "$d"
    done)
for d in $days; do
	printf 'event,program,date,start,end\n%s\n%s\n' \
	    "REAL,EDRP,2017-06-13,14:00,18:00" "P,EDRP,$d,14:00,18:00" \
	    >"$tmp/events-$d.csv"
done

# score METHOD COLUMN DG-CBL-OPTIONS: every site's pseudo-events, then
# dg-forecast score of COLUMN (cbl_kw or adjusted_cbl_kw) against actual_kw
score() {
	method=$1 column=$2
	shift 2
	first=1
	for f in "$data"/site_*.csv; do
		for d in $days; do
			dg-cbl --site "$(basename "$f" .csv)" \
			    --time-column 'HE (EST)' --column kWH --in-tz EST \
			    --stamps end --events "$tmp/events-$d.csv" \
			    --from "$d" --to "$d" "$@" "$f" 2>/dev/null |
			    if [ $first = 1 ]; then cat; else tail -n +2; fi
			first=0
		done
	done >"$tmp/$method.csv"
	dg-forecast score --forecast-column "$column" "$tmp/$method.csv" \
	    2>/dev/null | awk -F, -v m="$method" 'NR == 1 {
		for (i = 1; i <= NF; i++)
			c[$i] = i
		next
	}
	$1 != "(total)" { print $1 "," m "," $c["n"] "," $c["cv_rmse_pct"] }'
}

echo "site,method,hours,rrmse_pct"
{
	score nyiso cbl_kw --method nyiso
	score nyiso-wx adjusted_cbl_kw --method nyiso --adjust mult
	score pjm-unadj cbl_kw --method pjm --adjust none
	score pjm adjusted_cbl_kw --method pjm
	score caiso-unadj cbl_kw --method caiso --adjust none
	score caiso adjusted_cbl_kw --method caiso
} | sort -t, -k1,1 -s
