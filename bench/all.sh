#!/bin/sh
# all.sh: every program's benchmark in one run, one table.  Per program:
# input size, time, MB/s, rows/s and peak resident memory (GNU time), and
# ratios against peers measured in the same run on the same input:
#   x libcsv  our MB/s over a plain libcsv read of the same file
#             (bench/csvread.c: the floor of our parser; target >= 0.5)
#   x mlr     Miller's time over ours for the equivalent job (>= 5)
#   x pandas  pandas' time over ours for the equivalent job (>= 10)
# The equivalents, where one makes sense (- where not):
#   dg-pulse2kwh  hourly energy: counter deltas x kWh per pulse, summed
#                 per site and hour
#   dg-cbl        baselines: per site and hour of day, the mean load of
#                 the previous 10 days (a moving average: simpler than the
#                 NYISO rule, which picks days, so the peers do less)
#   dg-settle pay settlement arithmetic: reductions joined with the zone's
#                 hourly price, kW -> MWh x max(price, strike), rounded to
#                 cents, totalled per site
# The input is a synthetic portfolio (scripts/gen-national): SIZE sites
# (default 100; 10000 is the national scale) x a year of hourly load, and 7
# days of 5-minute pulses.  It is generated once under $TMPDIR and reused.
# pandas is Debian's python3-pandas (run with /usr/bin/python3).
#
# usage: bench/all.sh [SIZE]      (from the top of the tree, after make)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-${SIZE:-100}}
# the built commands: the tree's own build, or scripts/setup's _build
bin=$top/cmd
[ -x "$bin/dg-cbl" ] || bin=$top/_build/cmd
PATH="$bin:$PATH"
tmp=${TMPDIR:-/tmp}
data=$tmp/dg-bench-$size
work=$tmp/dg-bench-work.$$
py=/usr/bin/python3
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work"
if [ ! -s "$data/pulses-2017.csv" ]; then
	echo "generating $data ($size sites)..." >&2
	"$top/scripts/gen-national" -n "$size" -p 7 "$data" >&2
fi
cc -O2 -o "$work/csvread" "$top/bench/csvread.c" -lcsv
have_mlr=0; command -v mlr >/dev/null 2>&1 && have_mlr=1
have_pd=0; $py -c 'import pandas' 2>/dev/null && have_pd=1

# measure NAME CMD...: runs CMD (stdout to $work/NAME.out) $reps times
# (default 3; once for the peers mlr-* and pandas-*, slow enough), sets $secs to the fastest wall time (nanosecond clock) and
# $rss (MB) to the largest peak resident memory (GNU time); fails loudly.
reps=${DG_BENCH_REPS:-3}
measure() {
	name=$1
	shift
	secs=; rss=0
	n=$reps
	case $name in mlr-* | pandas-*) n=1 ;; esac
	i=0
	while [ $i -lt "$n" ]; do
		t0=$(date +%s%N)
		if ! /usr/bin/time -f '%M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
			echo "all.sh: $name failed:" >&2
			tail -5 "$work/$name.err" >&2
			exit 1
		fi
		t1=$(date +%s%N)
		secs=$(awk -v a="$t0" -v b="$t1" -v s="$secs" 'BEGIN { t = (b - a) / 1e9; if (s == "" || t < s) s = t; printf "%.3f", s }')
		rss=$(awk -v m="$(cat "$work/$name.time")" -v r="$rss" 'BEGIN { m /= 1024; printf "%.1f", (m > r ? m : r) }')
		i=$((i + 1))
	done
}
# rows and MB of one or several files (named in one word, split here)
rows() { n=0; for x in $1; do n=$((n + $(wc -l <"$x") - 1)); done; echo $n; }
# shellcheck disable=SC2086
mb() { awk -v b="$(cat $1 | wc -c)" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }'; }

printf '%-16s %9s %10s %7s %8s %10s %8s %8s %7s %8s\n' program input_MB rows secs MB/s rows/s rss_MB 'x libcsv' 'x mlr' 'x pandas' >"$work/table"
# row PROGRAM INPUT SECS RSS FLOOR_SECS MLR_SECS PANDAS_SECS
row() {
	m=$(mb "$2"); r=$(rows "$2")
	awk -v p="$1" -v m="$m" -v r="$r" -v s="$3" -v rss="$4" -v f="$5" -v ml="$6" -v pd="$7" 'BEGIN {
		if (s <= 0) s = 0.01
		xf = f == "-" ? "-" : sprintf("%.2f", f / s)
		xm = ml == "-" ? "-" : sprintf("%.1f", ml / s)
		xp = pd == "-" ? "-" : sprintf("%.1f", pd / s)
		printf "%-16s %9.1f %10d %7.3f %8.1f %10.0f %8.1f %8s %7s %8s\n", p, m, r, s, m / s, r / s, rss, xf, xm, xp
	}' >>"$work/table"
}
floor() { measure csvread "$work/csvread" "$@"; echo "$secs"; }

cd "$data"
L=load-2017.csv
P=pulses-2017.csv

# --- dg-pulse2kwh: hourly energy from 5-minute counters ---------------
f=$(floor $P)
measure pulse2kwh dg-pulse2kwh --sites sites.csv --interval 60 $P; s=$secs; r=$rss
ml=-; pd=-
if [ $have_mlr = 1 ]; then
	# shellcheck disable=SC2016 # mlr expressions
	measure mlr-pulse mlr --icsv --ocsv join -j site -f sites.csv \
	    'then' step -a delta -f pulses -g site \
	    'then' put '$hour = substr($time, 0, 12); $energy_kwh = $pulses_delta * $pulse_kwh' \
	    'then' stats1 -a sum -f energy_kwh -g site,hour $P
	ml=$secs
fi
if [ $have_pd = 1 ]; then
	measure pandas-pulse $py -c '
import sys, pandas as pd
s = pd.read_csv("sites.csv", usecols=["site", "pulse_kwh"])
d = pd.read_csv(sys.argv[1])
d["delta"] = d.groupby("site")["pulses"].diff()
d = d.merge(s, on="site")
d["energy_kwh"] = d["delta"] * d["pulse_kwh"]
d["hour"] = d["time"].str.slice(0, 13)
d.groupby(["site", "hour"])["energy_kwh"].sum().to_csv(sys.stdout)
' $P
	pd=$secs
fi
row dg-pulse2kwh $P "$s" "$r" "$f" "$ml" "$pd"

# --- dg-cbl: baselines for every event ---------------------------------
f=$(floor $L)
measure cbl dg-cbl --events events-2017.csv $L; s=$secs; r=$rss
cp "$work/cbl.out" "$work/cbl.csv"
ml=-; pd=-
if [ $have_mlr = 1 ]; then
	# shellcheck disable=SC2016 # mlr expressions
	measure mlr-cbl mlr --icsv --ocsv put '$h = substr($time, 11, 12)' \
	    'then' step -a shift_lag,slwin_9_0 -f load_kw -g site,h $L
	ml=$secs
fi
if [ $have_pd = 1 ]; then
	measure pandas-cbl $py -c '
import sys, pandas as pd
d = pd.read_csv(sys.argv[1])
d["h"] = d["time"].str.slice(11, 13)
d["cbl_kw"] = d.groupby(["site", "h"])["load_kw"].transform(lambda x: x.shift(1).rolling(10).mean())
d.to_csv(sys.stdout, index=False)
' $L
	pd=$secs
fi
row dg-cbl $L "$s" "$r" "$f" "$ml" "$pd"

# --- dg-ucap: APMD from the year's load ---------------------------------
measure ucap dg-ucap --sites sites.csv --events events-2017.csv --apmd-months 6,7,8,9 --month 2017-06:2017-09 $L
row dg-ucap $L "$secs" "$rss" "$f" - -

# --- dg-settle pay: settlement arithmetic ---------------------------------
C=$work/cbl.csv
f=$(floor prices-rt-2017.csv "$C" sites.csv programs.csv offers.csv events-2017.csv)
measure settle dg-settle pay --programs programs.csv --sites sites.csv \
    --rt-prices prices-rt-2017.csv --offers offers.csv --events events-2017.csv "$C"
s=$secs; r=$rss
ml=-; pd=-
if [ $have_mlr = 1 ]; then
	# shellcheck disable=SC2016 # mlr expressions
	measure mlr-settle mlr --icsv --ocsv join -j site -f sites.csv \
	    'then' join -j site,program -f offers.csv \
	    'then' join -j zone,time -f prices-rt-2017.csv \
	    'then' put '$p = $price_usd_per_mwh > $strike_usd_per_mwh ? $price_usd_per_mwh : $strike_usd_per_mwh;
	              $payment_usd = roundm($reduction_kw / 1000 * $p, 0.01)' \
	    'then' stats1 -a sum -f payment_usd -g site "$C"
	ml=$secs
fi
if [ $have_pd = 1 ]; then
	measure pandas-settle $py -c '
import sys, pandas as pd
c = pd.read_csv(sys.argv[1])
s = pd.read_csv("sites.csv", usecols=["site", "zone"])
o = pd.read_csv("offers.csv")
p = pd.read_csv("prices-rt-2017.csv")
d = c.merge(s, on="site").merge(o, on=["site", "program"]).merge(p, on=["zone", "time"])
d["payment_usd"] = (d["reduction_kw"] / 1000 * d[["price_usd_per_mwh", "strike_usd_per_mwh"]].max(axis=1)).round(2)
d.groupby("site")["payment_usd"].sum().to_csv(sys.stdout)
' "$C"
	pd=$secs
fi
# its input: the year's prices, the reductions, and the small files
row "dg-settle pay" "prices-rt-2017.csv $C sites.csv programs.csv offers.csv events-2017.csv" "$s" "$r" "$f" "$ml" "$pd"

# --- dg-forecast fit: a model per site from the load and the weather -----
f=$(floor $L)
measure forecast dg-forecast fit --sites sites.csv --weather weather-2017.csv --asof 2017-07-01 $L
row "dg-forecast fit" $L "$secs" "$rss" "$f" - -

# --- dg-fetch: NYISO's native day-ahead format, a year of zones ----------
# In NYISO's order (time, then zone: every row in place), and zone by zone
# (every row moves in the sort to time order).
nyiso_dam() {
	awk -F, 'NR > 1 {
		split($2, a, /[-T:]/)
		printf "%s/%s/%s %s:%s,%s,0,%s,0.00,0.00\n", a[2], a[3], a[1], a[4], a[5], $1, $3
	} BEGIN { print "Time Stamp,Name,PTID,LBMP ($/MWHr),Marginal Cost Losses ($/MWHr),Marginal Cost Congestion ($/MWHr)" }'
}
{ head -n 1 prices-da-2017.csv; tail -n +2 prices-da-2017.csv | LC_ALL=C sort -t, -k2,2 -k1,1; } |
    nyiso_dam >"$work/dam.csv"
nyiso_dam <prices-da-2017.csv >"$work/dam-zones.csv"
f=$(floor "$work/dam.csv")
measure fetch dg-fetch nyiso-dam --no-cache --file "$work/dam.csv"
row dg-fetch "$work/dam.csv" "$secs" "$rss" "$f" - -
f=$(floor "$work/dam-zones.csv")
measure fetch-zones dg-fetch nyiso-dam --no-cache --file "$work/dam-zones.csv"
cmp -s "$work/fetch.out" "$work/fetch-zones.out" || { echo "all.sh: dg-fetch: the two orders differ" >&2; exit 1; }
row "dg-fetch by zone" "$work/dam-zones.csv" "$secs" "$rss" "$f" - -

echo "bench/all.sh: $size sites, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
cat "$work/table"
echo "targets: x libcsv >= 0.5, x mlr >= 5, x pandas >= 10, rss < 50 MB"
