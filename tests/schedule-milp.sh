#!/bin/sh
# schedule-milp.sh: dg-schedule against a MILP solver on a medium case.
#
# 60 units over one 24-hour day with random minimum runs, daily and permit
# limits, start costs, initial states, must-run and must-not-stop units.
# The same rules are written as a mixed-integer program (CPLEX LP format)
# and solved by CBC; the optimum must equal the value dg-schedule reports,
# to the cent.  CBC is Debian's coinor-cbc, used by this test only: when it
# is not installed the test is skipped (exit 77), saying so.
#
# The MILP, per unit u, hours h = 0..23 (x: runs, y: starts):
#   maximize   sum v_h x_h - start sum y_h
#   y_h >= x_h - x_{h-1},  y_h <= x_h,  y_h <= 1 - x_{h-1}   (x_{-1} = on at midnight)
#   x_k >= y_h for k = h .. h+L-1 (minimum run, cut by the day's end)
#   x_k = 1 for k < L - hours already run (a run carried over midnight)
#   x_h <= allowed_h + sum of y_k over the L-1 hours before h + carried_h
#   sum x_h <= min(max per day, permit hours left)
#   must-run: x_h = 1; must-not-stop: x_h >= x_{h-1}, x_h <= allowed_h + x_{h-1}
set -u
build=$(pwd)
PATH="$build/cmd:$PATH"
if ! command -v cbc >/dev/null 2>&1; then
	echo "SKIP: cbc not found (Debian package coinor-cbc)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-milp.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 99

# The case, and the MILP written from the same numbers (exact: kW are whole
# MW, prices and costs whole cents, so each hour's value is whole cents).
awk -v seed="${DG_MILP_SEED:-20170721}" 'function rnd(n) { s = (s * 1103515245 + 12345) % 2147483648; return int(s / 2147483648 * n) }
BEGIN {
	s = seed; N = 60; H = 24
	print "site,gen,kind,capacity_kw,hr_25_btu_per_kwh,hr_50_btu_per_kwh,hr_75_btu_per_kwh,hr_100_btu_per_kwh,fuel_usd_per_mmbtu,om_usd_per_mwh,start_usd,min_run_h,max_run_h_day,permit_h_year,derate_pct_per_f,derate_base_f,priority,curtail_usd_per_mwh,commit" > "generators.csv"
	print "site,gen,time,gen_kw,cost_usd_per_h" > "units.csv"
	print "time,block,site,price_usd_per_mwh" > "blocks.csv"
	print "time,price_usd_per_mwh" > "prices.csv"
	print "site,gen,on,hours,used_h_year" > "state.csv"
	for (h = 0; h < H; h++) {
		p[h] = 2000 + rnd(20000) + (h >= 11 && h <= 18 ? 8000 : 0)	# cents/MWh
		printf "2017-07-21T%02d:00:00-04:00,%d.%02d\n", h, p[h] / 100, p[h] % 100 > "prices.csv"
	}
	print "Maximize" > "model.lp"
	obj = " obj:"; cons = ""; bin = ""; nc = 0
	for (u = 1; u <= N; u++) {
		site = sprintf("S%02d", u)
		L = 1 + rnd(4); st = rnd(6000); U = rnd(3) ? 4 + rnd(12) : -1
		permit = rnd(4) ? 300 : ""; used = permit == "" ? 0 : 280 + rnd(20)
		commit = rnd(12) == 0 ? "must-run" : rnd(8) == 0 ? "must-not-stop" : ""
		on = rnd(3) == 0; had = on ? 1 + rnd(4) : 0
		# keep every unit feasible: a must-run unit, or one that must not
		# stop and is on, has no limit; a carried run fits the limits
		if (commit == "must-run" || (commit == "must-not-stop" && on)) {
			U = -1; permit = ""; used = 0
		}
		if (on && U >= 0 && U < L) U = L
		if (on && permit != "" && permit - used < L) used = permit - L
		printf "%s,G1,diesel,3000,13500,11700,10700,10300,13.60,22.00,%d.%02d,%d,%s,%s,0.10,77,1,,%s\n", site, st / 100, st % 100, L, U < 0 ? "" : U, permit, commit > "generators.csv"
		printf "%s,G1,%d,%d,%d\n", site, on, had, used > "state.csv"
		lim = U < 0 ? H : U
		if (permit != "" && permit - used < lim) lim = permit - used
		bid = 3000 + rnd(15000)
		for (h = 0; h < H; h++) {
			k = rnd(4); c = k * (2500 + rnd(9000))
			printf "%s,G1,2017-07-21T%02d:00:00-04:00,%d.000,%d.%02d\n", site, h, k * 1000, c / 100, c % 100 > "units.csv"
			inb = rnd(5) > 0
			if (inb) printf "2017-07-21T%02d:00:00-04:00,%d,%s,%d.%02d\n", h, 1 + rnd(3), site, bid / 100, bid % 100 > "blocks.csv"
			al[h] = inb && p[h] > bid && k > 0
			v = p[h] * k - c
			x = "x" u "_" h; y = "y" u "_" h
			obj = obj sprintf(" %+d %s %+d %s", v, x, -st, y)
			bin = bin " " x " " y
			prev = h ? "x" u "_" (h - 1) : ""
			# start indicator
			if (h) {
				cons = cons sprintf(" c%d: %s - %s + %s >= 0\n", ++nc, y, x, prev)
				cons = cons sprintf(" c%d: %s + %s <= 1\n", ++nc, y, prev)
			} else {
				cons = cons sprintf(" c%d: %s - %s >= %d\n", ++nc, y, x, -on)
				cons = cons sprintf(" c%d: %s <= %d\n", ++nc, y, 1 - on)
			}
			cons = cons sprintf(" c%d: %s - %s <= 0\n", ++nc, y, x)
			for (kk = h; kk < h + L && kk < H; kk++)
				cons = cons sprintf(" c%d: x%d_%d - %s >= 0\n", ++nc, u, kk, y)
			carried = on && h < L - had
			if (carried)
				cons = cons sprintf(" c%d: %s = 1\n", ++nc, x)
			if (commit == "must-run")
				cons = cons sprintf(" c%d: %s = 1\n", ++nc, x)
			if (commit == "must-not-stop") {
				if (h) {
					cons = cons sprintf(" c%d: %s - %s >= 0\n", ++nc, x, prev)
					cons = cons sprintf(" c%d: %s - %s <= %d\n", ++nc, x, prev, al[h])
				} else {
					cons = cons sprintf(" c%d: %s >= %d\n", ++nc, x, on)
					cons = cons sprintf(" c%d: %s <= %d\n", ++nc, x, al[0] || on)
				}
			} else if (commit != "must-run") {
				line = sprintf(" c%d: %s", ++nc, x)
				for (kk = h - L + 1; kk < h; kk++)
					if (kk >= 0) line = line sprintf(" - y%d_%d", u, kk)
				cons = cons line sprintf(" <= %d\n", al[h] + carried)
			}
		}
		line = sprintf(" c%d:", ++nc)
		for (h = 0; h < H; h++) line = line sprintf(" + x%d_%d", u, h)
		cons = cons line sprintf(" <= %d\n", lim)
	}
	print obj > "model.lp"
	print "Subject To" > "model.lp"
	printf "%s", cons > "model.lp"
	print "Binary" > "model.lp"
	print bin > "model.lp"
	print "End" > "model.lp"
}'

dg-schedule --date 2017-07-21 --blocks blocks.csv --prices prices.csv \
    --units units.csv --generators generators.csv --state state.csv \
    -o schedule.csv 2>summary.txt || { cat summary.txt; exit 1; }
ours=$(sed -n 's/.*value \(-\{0,1\}[0-9.]*\) \$$/\1/p' summary.txt)
cbc model.lp solve solu solution.txt >cbc.log 2>&1 || { tail -5 cbc.log; exit 1; }
status=$(head -1 solution.txt)
case $status in
Optimal*) ;;
*) echo "FAIL: cbc did not prove an optimum: $status"; exit 1 ;;
esac
theirs=$(echo "$status" | sed 's/.*objective value *//' | awk '{ printf "%.2f", $1 / 100 }')
echo "dg-schedule: $ours \$   cbc: $theirs \$   ($(cat summary.txt))"
[ "$ours" = "$theirs" ] || { echo "FAIL: the values differ"; exit 1; }
echo "PASS: schedule equals the MILP optimum"
