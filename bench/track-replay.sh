#!/bin/sh
# track-replay.sh: dg-track's projection checked after the fact, on the
# five real sites of testdata/meter/ (15-minute kWh, their event
# 2017-06-13 14:00-18:00 local).
#
# The meter exports are read by the reading contract (dg-import --site
# site_N --time-column 'HE (EST)' --column kWH --in-tz EST --stamps end),
# the NYISO average-day CBL of the event is computed by dg-cbl from the
# days before it, and the event is replayed row by row through dg-track
# (--sort: the five files in time order) with the pledges of
# testdata/track/meter-pledges.csv (an assumption: half of each site's
# mean CBL over the event, rounded down to 10 kW; the sites' real pledges
# are not public).  The final settlement figure of each site and hour is
# dg-cbl's reduction_kw (the CBL less the metered load of the whole
# hour), which dg-settle pays on.
#
# Prints two tables: every alarm with the time it was raised (and how
# many minutes into the event and before its end), and for every site and
# hour the settled reduction and how far dg-track's projection of the
# hour was from it after 15, 30 and 45 minutes of the hour, in kW and in
# % of the settled figure; the TOTAL rows are the portfolio's, with the
# projection of the whole event (kWh) at the end of each hour.
#
# usage: bench/track-replay.sh   (from anywhere, after make)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${DG_BUILD:-$top/_build}
PATH="$build/cmd:$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-replay.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
m=$top/testdata/meter
t=$top/testdata/track

for s in 1 2 3 5 6; do
	dg-import --site "site_$s" --time-column 'HE (EST)' --column kWH \
	    --in-tz EST --stamps end -o "$tmp/s$s.csv" "$m/site_$s.csv"
done
# one load file of the five sites for dg-cbl (its headers joined once)
{
	cat "$tmp/s1.csv"
	for s in 2 3 5 6; do tail -n +2 "$tmp/s$s.csv"; done
} >"$tmp/load.csv"
dg-cbl --events "$t/meter-events.csv" -o "$tmp/cbl.csv" "$tmp/load.csv" \
    2>/dev/null
dg-track --baseline "$tmp/cbl.csv" --pledges "$t/meter-pledges.csv" \
    --interval 900 --sort --alarms "$tmp/alarms.csv" -o "$tmp/track.csv" \
    "$tmp/s1.csv" "$tmp/s2.csv" "$tmp/s3.csv" "$tmp/s5.csv" \
    "$tmp/s6.csv" 2>/dev/null

echo "alarms (event 14:00-18:00):"
echo "site,alarm,state,time,min_into_event,min_before_end,value_kw,limit_kw"
awk -F, 'NR > 1 {
	split(substr($1, 12, 5), hm, ":"); m = hm[1] * 60 + hm[2]
	print $2 "," $3 "," $4 "," substr($1, 12, 5) "," m - 840 "," 1080 - m \
	    "," $5 "," $6 }' "$tmp/alarms.csv"

echo
echo "projection of the hour against the settled reduction:"
echo "site,hour,settled_kw,err15_kw,err30_kw,err45_kw,err15_pct,err30_pct,err45_pct,event_proj_kwh,event_settled_kwh"
awk -F, -v OFS=, '
FILENAME ~ /cbl.csv$/ && FNR > 1 {
	h = substr($5, 12, 2); set[$1, h] = $10; sites[$1] = 1; tot[h] += $10
	if ($10 > 0) { ev[$1] += $10; evt += $10 }
	next }
FILENAME ~ /track.csv$/ && FNR > 1 {
	h = substr($1, 12, 2); mi = substr($1, 15, 2) + 0
	if (h < 14 || h > 17) next
	if ($2 == "TOTAL") { tp[h, mi + 15] = $8; te[h, mi + 15] = $9; next }
	p[$2, h, mi + 15] = $8; e[$2, h, mi + 15] = $9 }
function row(name, s, pr, en, evs,   h, k, o) {
	for (h = 14; h <= 17; h++) {
		o = name "," h ":00," sprintf("%.3f", s[h])
		for (k = 15; k <= 45; k += 15)
			o = o "," sprintf("%.1f", pr[h, k] - s[h])
		for (k = 15; k <= 45; k += 15)
			o = o "," (s[h] != 0 ? sprintf("%.1f", 100 * (pr[h, k] - s[h]) / s[h]) : "")
		print o "," en[h, 60] "," sprintf("%.3f", evs) }
}
END {
	n = 0
	for (x in sites) list[++n] = x
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
		if (list[j] < list[i]) { x = list[i]; list[i] = list[j]; list[j] = x }
	for (i = 1; i <= n; i++) {
		x = list[i]
		for (h = 14; h <= 17; h++) {
			sh[h] = set[x, h]
			for (k = 15; k <= 60; k += 15) { ph[h, k] = p[x, h, k]; eh[h, k] = e[x, h, k] }
		}
		row(x, sh, ph, eh, ev[x])
	}
	row("TOTAL", tot, tp, te, evt)
}' "$tmp/cbl.csv" "$tmp/track.csv"
