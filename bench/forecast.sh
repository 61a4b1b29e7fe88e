#!/bin/sh
# bench/forecast.sh: dg-forecast fit and predict for many sites.
#
# usage: bench/forecast.sh [SITES [DAYS]]   (default 1000 sites, 60 days)
# Run from the top of the built tree.  Writes a synthetic portfolio (one
# weather station, hourly load = a daily shape + temperature response +
# noise, from awk's srand(2385)) into a temporary directory, then times
# `fit` on the whole history (the change-point search on) and `predict` of
# the next day, and prints wall time and peak RSS of each (GNU time).
set -eu
n=${1:-1000}
days=${2:-60}
fc=${DG_FORECAST:-cmd/dg-forecast}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-forecast-bench.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM

# 2017-06-01 00:00 EDT = 1496289600; all hours of June-July are EDT.
awk -v n="$n" -v days="$days" -v dir="$tmp" 'BEGIN {
	srand(2385)
	t0 = 1496289600
	print "site,station" > dir "/sites.csv"
	print "station,time,temp_f,rh_pct" > dir "/weather.csv"
	for (h = 0; h < (days + 1) * 24; h++) {
		d = int(h / 24); hr = h % 24
		temp[h] = 72 + 8 * sin(d * 0.61) + 7 * sin(2 * 3.14159265 * (hr - 9) / 24) + 2 * (rand() - 0.5)
		printf "KBCH,%s,%.1f,%d\n", stamp(t0 + 3600 * h), temp[h], 50 + int(20 * rand()) > dir "/weather.csv"
	}
	print "site,time,load_kw" > dir "/load.csv"
	for (s = 1; s <= n; s++) {
		name = sprintf("S%04d", s)
		print name ",KBCH" > dir "/sites.csv"
		base = 50 + 900 * rand(); slope = 0.5 + 6 * rand()
		for (h = 0; h < days * 24; h++) {
			d = int(h / 24); hr = h % 24
			wd = (d + 4) % 7	# 2017-06-01 was a Thursday: 4
			occ = (wd >= 1 && wd <= 5 && hr >= 7 && hr < 19) ? 1 : 0.45
			load = base * occ + slope * (temp[h] > 65 ? temp[h] - 65 : 0) + base * 0.03 * (rand() - 0.5)
			printf "%s,%s,%.1f\n", name, stamp(t0 + 3600 * h), load > dir "/load.csv"
		}
	}
}
function stamp(t,   s) {
	s = strftime("%Y-%m-%dT%H:%M:%S", t - 4 * 3600, 1)
	return s "-04:00"
}'
asof=$(date -u -d "2017-06-01 +$((days - 1)) days" +%F)
next=$(date -u -d "2017-06-01 +$days days" +%F)
echo "$n sites, $days days of hourly history ($(($(wc -l < "$tmp/load.csv") - 1)) load rows), asof $asof"
run() {
	label=$1; shift
	/usr/bin/time -f "$label: %e s wall, %U s user, %M kB peak RSS" "$@"
}
run fit "$fc" fit --sites "$tmp/sites.csv" --weather "$tmp/weather.csv" \
    --asof "$asof" -o "$tmp/model.csv" "$tmp/load.csv"
run predict "$fc" predict --model "$tmp/model.csv" --sites "$tmp/sites.csv" \
    --weather "$tmp/weather.csv" --date "$next" -o "$tmp/pred.csv"
echo "model rows: $(($(wc -l < "$tmp/model.csv") - 1)), forecast rows: $(($(wc -l < "$tmp/pred.csv") - 1))"
