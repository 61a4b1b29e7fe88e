#!/bin/sh
# bid.sh: figures for the daily bid programs (issue 3).  Not a test: it
# prints times and the gaps proved.
#
#   1. dg-blockopt, 10,000 sites x 24 hours (target: under 1 s), and the
#      largest optimality gap it proved;
#   2. dg-schedule, 1,000 generators for one day (target: under 0.5 s);
#   3. the daily pipeline (scripts/daily bid + schedule) for the 10-site
#      sample portfolio, one day;
#   4. the same pipeline for a synthetic 10,000-site portfolio, one day.
#
# usage: bench/bid.sh [BUILD_DIR]   (default: the source tree, built in place)
# Inputs are synthetic, made here by awk from a fixed seed (an LCG), so every
# run times the same data.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top}" && pwd)
PATH="$build/cmd:$top/scripts:$PATH"
export PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-bench-bid.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

# timed LABEL COMMAND...: wall time, CPU time (user + system, of the
# command and its children) and the largest resident set of any of them.
# The CPU time is the figure to compare with the targets when other jobs
# share the machine.
timed() {
	label=$1
	shift
	python3 - "$label" "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.run(sys.argv[2:]).returncode
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%s: %.3f s wall, %.3f s CPU, peak %d kB%s" % (sys.argv[1], wall,
    ru.ru_utime + ru.ru_stime, ru.ru_maxrss,
    "" if rc == 0 else ", FAILED (exit %d)" % rc))
sys.exit(rc)
PY
}

# A portfolio of N sites on one market day: sites.csv, generators.csv (one
# unit per site, kinds and costs spread like the sample's), a weather file
# and a forecast for 2017-07-21.
portfolio() {
	awk -v n="$1" 'BEGIN {
		s = 20170721
		print "site,name,rto,zone,ptid,peak_kw,curtailable_kw,installed_kw,station" > "sites.csv"
		print "site,gen,kind,capacity_kw,hr_25_btu_per_kwh,hr_50_btu_per_kwh,hr_75_btu_per_kwh,hr_100_btu_per_kwh,fuel_usd_per_mmbtu,om_usd_per_mwh,start_usd,min_run_h,max_run_h_day,permit_h_year,derate_pct_per_f,derate_base_f,priority,curtail_usd_per_mwh" > "generators.csv"
		print "site,time,load_kw" > "forecast.csv"
		for (i = 1; i <= n; i++) {
			s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648
			peak = int(80 + u * 900)
			site = sprintf("S%05d", i)
			printf "%s,site %d,NYISO,LONGIL,61762,%d,%d,%d,KISP\n", site, i, peak, peak, int(peak * 1.5) > "sites.csv"
			s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648
			if (u < 0.5)
				printf "%s,G1,gas-turbine,%d,23400,16600,14100,12600,%.2f,8.50,95.00,2,8,1000,0.35,59,1,\n", site, int(peak * 1.5), 4.5 + u * 2 > "generators.csv"
			else
				printf "%s,G1,diesel,%d,13500,11700,10700,10300,%.2f,22.00,20.00,1,6,300,0.10,77,1,\n", site, int(peak * 1.5), 11 + u * 4 > "generators.csv"
			for (h = 0; h < 24; h++) {
				s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648
				f = 0.45 + 0.5 * (h >= 8 && h <= 18) + 0.05 * u
				printf "%s,2017-07-21T%02d:00:00-04:00,%.1f\n", site, h, peak * f > "forecast.csv"
			}
		}
	}'
	awk 'BEGIN { print "station,time,temp_f"
		for (h = 0; h < 24; h++)
			printf "KISP,2017-07-21T%02d:00:00-04:00,%.1f\n", h, 80 + 15 * (h >= 10 && h <= 17) }' > weather.csv
}

echo "== 1. dg-blockopt, 10,000 sites x 24 hours, 3 blocks of >= 1000 kW"
portfolio 10000
dg-gencost --generators generators.csv --weather weather.csv --sites sites.csv -o cost.csv forecast.csv 2>/dev/null
timed "dg-blockopt" dg-blockopt -o blocks.csv cost.csv 2>blockopt.err
cat blockopt.err
timed "dg-blockopt --summary (72 rows out instead of 240,000)" dg-blockopt --summary -o summary.csv cost.csv 2>/dev/null
awk -F, 'NR > 1 && $2 != "" { g[$1] = $9; q[$1] = $10 } END {
	for (t in g) { n++; if (g[t] + 0 > m) m = g[t] + 0; if (q[t] == "ok") ok++ }
	printf "hours %d, proved optimal %d, largest gap %.2f $/h\n", n, ok, m }' blocks.csv
awk -F, 'NR > 1 && $2 != "" && !seen[$1 "," $2]++ { p[$1] += $8 } END {
	for (t in p) s += p[t]; printf "premium over the day: %.2f $\n", s }' blocks.csv

echo "== 1b. dg-blockopt where the floor binds: 24 hours of 9 sites of 300-1000 kW, 4 blocks"
awk 'BEGIN { s = 5; print "site,time,gen_kw,cost_usd_per_mwh"
	for (h = 0; h < 24; h++) for (i = 1; i <= 9; i++) {
		s = (s * 1103515245 + 12345) % 2147483648; u = s / 2147483648
		s = (s * 1103515245 + 12345) % 2147483648; v = s / 2147483648
		printf "S%04d,2017-07-21T%02d:00:00-04:00,%.1f,%.2f\n", i, h, 300 + u * 700, 60 + v * 120 } }' >tight.csv
timed "dg-blockopt --blocks 4" dg-blockopt --blocks 4 --summary -o tight.out tight.csv

echo "== 2. dg-schedule, 1,000 generators, one day"
portfolio 1000
dg-gencost --generators generators.csv --weather weather.csv --sites sites.csv -o cost.csv forecast.csv 2>/dev/null
dg-gencost --by-unit --generators generators.csv --weather weather.csv --sites sites.csv -o units.csv forecast.csv 2>/dev/null
dg-blockopt -o blocks.csv cost.csv 2>/dev/null
cp "$top/testdata/sample/prices/20170721damlbmp_zone.csv" prices.csv
timed "dg-schedule" dg-schedule --date 2017-07-21 --blocks blocks.csv --prices prices.csv \
    --units units.csv --generators generators.csv --notices notices.csv -o schedule.csv

echo "== 3. the daily pipeline, the 10-site sample, 2017-07-21 (bid and schedule)"
cat >sample.conf <<EOF
DG_OUT=$tmp/out-sample
DG_SITES=$top/testdata/sample/sites.csv
DG_GENERATORS=$top/testdata/sample/generators.csv
DG_WEATHER=$top/testdata/sample/weather-2017.csv
DG_FORECAST=$top/testdata/bid/forecast-%Y-%m-%d.csv
DG_PRICES=$top/testdata/sample/prices/%Y%m%ddamlbmp_zone.csv
DG_NOW=late
EOF
timed "daily bid" daily -c sample.conf bid 2017-07-21 2>/dev/null
timed "daily schedule" daily -c sample.conf schedule 2017-07-21 2>/dev/null

echo "== 4. the daily pipeline, 10,000 sites, 2017-07-21 (bid and schedule)"
portfolio 10000
cat >big.conf <<EOF
DG_OUT=$tmp/out-big
DG_SITES=$tmp/sites.csv
DG_GENERATORS=$tmp/generators.csv
DG_WEATHER=$tmp/weather.csv
DG_FORECAST=$tmp/forecast.csv
DG_PRICES=$top/testdata/sample/prices/%Y%m%ddamlbmp_zone.csv
DG_NOW=late
EOF
timed "daily bid" daily -c big.conf bid 2017-07-21 2>/dev/null
timed "daily schedule" daily -c big.conf schedule 2017-07-21 2>/dev/null
sed 's/^[^ ]* //' "$tmp/out-big/2017-07-21/daily.log" | grep '^    ' || true
