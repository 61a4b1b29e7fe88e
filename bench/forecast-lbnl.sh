#!/bin/sh
# bench/forecast-lbnl.sh: day-ahead backtest of dg-forecast over 2019 on a
# real office building (LBNL Building 59, 30-minute end-use kW in UTC, with
# on-site weather), for the building total (the five end uses present
# together) and for HVAC alone.  Each day D is forecast from data up to
# the end of day D-2, with day D's measured weather.
#
# usage: bench/forecast-lbnl.sh DATA_DIR [WORK_DIR]
#   DATA_DIR  the data set, which the tree does not hold: LBNL Building 59's
#             ele.csv and site_weather.csv (Dryad, doi:10.7941/D1N33Q;
#             doc/README.md, Data the tree does not hold); without it the
#             benchmark is skipped
#   WORK_DIR  default a fresh temporary directory (kept, its name printed)
# Run from the top of the built tree.  Extra dg-forecast fit options can be
# given in FIT_OPTS (default: the configuration published in dg-forecast(1)).
# GRID=1 runs the 2018 selection grid instead.  Prints CSV score tables
# (CV(RMSE) and NMBE are the last two columns); takes about 15 s.
set -eu
if [ $# -lt 1 ] || [ ! -f "$1/ele.csv" ]; then
	echo "forecast-lbnl.sh: skipped: DATA_DIR (LBNL Building 59's ele.csv and site_weather.csv) not given"
	exit 77
fi
data=$1
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/dg-forecast-lbnl.XXXXXX")}
fc=${DG_FORECAST:-cmd/dg-forecast}
mkdir -p "$work"
echo "work directory: $work"

# sites.csv: two "sites" on the building's weather station.
printf 'site,station\nb59-hvac,B59\nb59-total,B59\nb59-total4,B59\n' > "$work/sites.csv"

# Loads: the 30-minute kW averages as they are (dg-forecast integrates them
# to hourly means; an hour needs both half hours).  The total is written
# only when all five end uses present in the file (mels_S, lig_S, mels_N,
# hvac_N, hvac_S; lig_N is almost always missing) have a value; HVAC when
# hvac_N and hvac_S both have one.  Rows sorted by site.
tr -d '\r' < "$data/ele.csv" | awk -F, '
NR == 1 { for (i = 2; i <= NF; i++) c[$i] = i; next }
{
	t = $1; sub(/ /, "T", t)
	ms = $c["mels_S"]; ls = $c["lig_S"]; mn = $c["mels_N"]
	hn = $c["hvac_N"]; hs = $c["hvac_S"]
	if (hn != "" && hs != "")
		printf "b59-hvac,%s,%.4f\n", t, hn + hs > "'"$work/hvac.tmp"'"
	if (ms != "" && ls != "" && mn != "" && hn != "" && hs != "")
		printf "b59-total,%s,%.4f\n", t, ms + ls + mn + hn + hs > "'"$work/total.tmp"'"
	if (ls != "" && mn != "" && hn != "" && hs != "")
		printf "b59-total4,%s,%.4f\n", t, ls + mn + hn + hs > "'"$work/total4.tmp"'"
}'
{ echo site,time,load_kw; cat "$work/hvac.tmp" "$work/total.tmp" "$work/total4.tmp"; } > "$work/load.csv"
rm -f "$work/hvac.tmp" "$work/total.tmp" "$work/total4.tmp"

# Weather: air_temp_set_1 (degrees C, set_2 when set_1 is empty) to
# degrees F; relative_humidity_set_1.  A row missing both is left out (a
# gap: dg-forecast interpolates up to --max-gap-hours).
tr -d '\r' < "$data/site_weather.csv" | awk -F, '
NR == 1 { for (i = 2; i <= NF; i++) c[$i] = i; print "station,time,temp_f,rh_pct"; next }
{
	t = $1; sub(/ /, "T", t)
	a = $c["air_temp_set_1"]; if (a == "") a = $c["air_temp_set_2"]
	r = $c["relative_humidity_set_1"]
	if (a != "" && r != "")
		printf "B59,%s,%.2f,%.2f\n", t, a * 9 / 5 + 32, r
}' > "$work/weather.csv"

run() {
	name=$1; shift
	echo "== $name: $*"
	"$fc" backtest --tz America/Los_Angeles --sites "$work/sites.csv" \
	    --weather "$work/weather.csv" --from "${FROM:-2019-01-01}" --to "${TO:-2019-12-31}" \
	    --lead-days 2 "$@" -o "$work/$name.csv" "$work/load.csv"
	cat "$work/$name.csv"
}

# GRID=1: the selection run on March-December 2018 (not the test year):
# the grid from which the published configuration was chosen (least
# CV(RMSE) of total-4).  Prints one line per configuration.
if [ -n "${GRID:-}" ]; then
	for win in 28 42 60; do for hl in 7 14 30; do for we in one hourly; do
	for cp in "" --no-changepoint; do
		r=$("$fc" backtest --tz America/Los_Angeles --sites "$work/sites.csv" \
		    --weather "$work/weather.csv" --from 2018-03-01 --to 2018-12-31 \
		    --window-days $win --halflife-days $hl --weekend $we \
		    --clamp-margin 0 $cp "$work/load.csv" 2>/dev/null |
		    awk -F, '$1 == "regression" { printf "%s %s/%s ", $2, $12, $13 }')
		echo "window=$win halflife=$hl weekend=$we changepoint=${cp:-on} $r"
	done; done; done; done
	exit 0
fi

# The report's method: refit every 60 days on the last 60 days, one
# equation per business hour and one for weekends, temperature only.
run report --refit-days 60 --window-days 60 --no-changepoint --clamp-margin none
# The published configuration (dg-forecast(1), ACCURACY); FIT_OPTS are
# options, split at blanks.
# shellcheck disable=SC2086
run selected --refit-days 1 ${FIT_OPTS:---window-days 60 --halflife-days 7 --clamp-margin 0} \
    --hourly "$work/selected-hourly.csv"

# The in-sample bound: the same model family (selected configuration
# without the half-life, which needs a window end) fitted on each calendar
# month and applied to that same month with its measured weather, scored
# on hourly means.  A day-ahead forecast cannot be expected to beat it.
insample() {
	year=$1
	for s in b59-total4 b59-hvac; do
		grep -E "^(site|$s)," "$work/load.csv" > "$work/in-load.csv"
		echo site,time,load_kw,quality > "$work/in-pred.csv"
		for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
			first=$year-$m-01
			last=$(date -d "$first +1 month -1 day" +%F)
			nd=$(date -d "$last" +%d)
			"$fc" fit --tz America/Los_Angeles --sites "$work/sites.csv" \
			    --weather "$work/weather.csv" --asof "$last" --window-days "$nd" \
			    --clamp-margin 0 -o "$work/in-model.csv" "$work/in-load.csv" 2>/dev/null
			"$fc" predict --tz America/Los_Angeles --model "$work/in-model.csv" \
			    --sites "$work/sites.csv" --weather "$work/weather.csv" \
			    --date "$first" --days "$nd" 2>/dev/null | tail -n +2 >> "$work/in-pred.csv"
		done
		"$fc" score --tz America/Los_Angeles --actual "$work/in-load.csv" \
		    "$work/in-pred.csv" 2>/dev/null | sed 1d
	done
}
echo "== in-sample, month by month, 2018 then 2019"
echo "site,n,actual_avg_kw,forecast_avg_kw,mae_kw,max_abs_err_kw,mae_pct,max_abs_err_pct,bias_kw,bias_pct,cv_rmse_pct,nmbe_pct"
insample 2018
insample 2019
