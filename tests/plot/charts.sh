#!/bin/sh
# charts.sh: every kind of dg-plot's charts drawn from a golden input, as
# SVG and as PNG, through the real gnuplot (Debian's gnuplot-nox, installed
# by scripts/setup; when it is missing the test is skipped, exit 77,
# saying so).
#
# The inputs are made here from testdata/ by the programs that make them
# in production.  Each SVG is parsed with python3's xml.etree (a file that
# is not well-formed fails) by svgcount.py, which lists its texts (title,
# axis labels, tick labels, notes) and, per series, the points it draws;
# the list must equal tests/plot/expected/NAME.txt, whose counts are
# explained below.  Each PNG must be a PNG of the size asked for.  No run
# may leave a file in TMPDIR or its working directory.
#
# DG_PLOT_KEEP=DIR keeps the PNGs there, to look at; DG_GOLDEN_RECORD=1
# writes the lists as the expected ones (review the diff before commit).
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
PATH="$build/cmd:$PATH"
export PATH
LC_ALL=C
export LC_ALL
unset TZ
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: gnuplot not found (Debian package gnuplot-nox)"
	exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 not found"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-charts.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
T=$src/testdata
S=$T/sample
exp=$src/tests/plot/expected
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

mkdir "$tmp/in" "$tmp/t" "$tmp/run" || exit 99
cd "$tmp/in" || exit 99
# The inputs (standard error of the programs is their counts: dropped).
printf 'event,program,date,start,end,site\nN1,EDRP,2017-11-05,00:00,04:00,LI09\n' >ev25.csv
dg-cbl --events ev25.csv "$S/load-2017.csv" >day25.csv 2>/dev/null || exit 99
dg-cbl --all-hours --events ev25.csv "$S/load-2017.csv" >day25all.csv \
    2>/dev/null || exit 99
# the call of 2022-11-06, after the sample's loads end: nothing measured
dg-cbl --all-hours --events "$T/settle/events-2022.csv" \
    --from 2022-11-01 --to 2022-11-30 "$S/load-2022-summer.csv" 2>/dev/null |
    grep -E '^(site|LI02),' >day-none.csv
grep -E '^(site|LI10),' "$S/load-2017.csv" >load10.csv
dg-forecast backtest --sites "$S/sites.csv" --weather "$S/weather-2017.csv" \
    --from 2017-08-01 --to 2017-08-07 --refit-days 7 --hourly backtest.csv \
    load10.csv >/dev/null 2>&1 || exit 99
dg-fetch nyiso-dam --file "$S/prices/20170721damlbmp_zone.csv" --zone LI \
    >da0721.csv || exit 99
dg-bid --date 2017-07-21 --late --now 2017-07-21T10:00:00-04:00 \
    --ucap-kw 3500 --strike 450 "$T/bid/blocks-2017-07-21.csv" \
    >bid0721.csv 2>/dev/null || exit 99
dg-fetch nyiso-dam --file "$S/prices/20170312damlbmp_zone.csv" --zone LI \
    >da0312.csv || exit 99
dg-fetch pjm-da --file "$T/fetch/da_hrl_lmps_20250501-02.csv" \
    --zone 'WESTERN HUB' --date 2025-05-01 >pjmda.csv || exit 99
dg-fetch pjm-rt --file "$T/fetch/rt_hrl_lmps_20250501.csv" \
    --zone 'WESTERN HUB' --date 2025-05-01 >pjmrt.csv || exit 99
set --
for f in "$S"/prices/201707[0-3][0-9]damlbmp_zone.csv; do
	set -- "$@" --file "$f"
done
dg-fetch nyiso-dam "$@" --zone LI >da201707.csv || exit 99
dg-cbl --sites "$S/sites.csv" --events "$T/plot/events-ucap-2022.csv" \
    --to 2022-07-31 "$S/load-2022-summer.csv" 2>/dev/null |
    dg-ucap --sites "$S/sites.csv" --apmd-lag 0 --apmd-months 5,6,7 \
    --measure cbl --cbl - --month 2022-06:2022-09 \
    "$S/load-2022-summer.csv" >ucap.csv 2>/dev/null || exit 99

# The PNG's width and height, from its IHDR chunk.
png_size() {
	python3 -c '
import struct, sys
b = open(sys.argv[1], "rb").read(24)
if b[:8] != b"\x89PNG\r\n\x1a\n" or b[12:16] != b"IHDR":
    sys.exit("not a PNG")
print("%dx%d" % struct.unpack(">II", b[16:24]))' "$1"
}

# chart NAME DG-PLOT-ARGS...: the SVG against expected/NAME.txt, the PNG
# (900x500), nothing left behind.
chart() {
	name=$1
	shift
	out=$tmp/$name
	before=$fail
	if ! (cd "$tmp/run" && TMPDIR=$tmp/t dg-plot -o "$out.svg" "$@") \
	    2>"$out.err"; then
		bad "$name: dg-plot failed: $(head -1 "$out.err")"
		return
	fi
	if ! python3 "$src/tests/plot/svgcount.py" "$out.svg" >"$out.txt"; then
		bad "$name: the SVG is not well-formed"
		return
	fi
	[ -n "${DG_GOLDEN_RECORD:-}" ] && cp "$out.txt" "$exp/$name.txt"
	if ! cmp -s "$exp/$name.txt" "$out.txt"; then
		bad "$name: the SVG differs from expected/$name.txt:"
		diff -u "$exp/$name.txt" "$out.txt" | head -30
	fi
	(cd "$tmp/run" && TMPDIR=$tmp/t dg-plot --format png -o "$out.png" \
	    "$@") 2>"$out.err" || bad "$name: PNG: $(head -1 "$out.err")"
	size=$(png_size "$out.png")
	[ "$size" = 900x500 ] || bad "$name: PNG: $size, not 900x500"
	[ -n "${DG_PLOT_KEEP:-}" ] && cp "$out.png" "$DG_PLOT_KEEP/$name.png"
	left=$(find "$tmp/t" "$tmp/run" -mindepth 1)
	[ -z "$left" ] || bad "$name: files left behind: $left"
	[ $fail = "$before" ] && echo "PASS: $name"
}

I=$tmp/in
# The event day, on the 25-hour day 2017-11-05: the call 00:00-04:00 has
# five hours (00:00 EDT, 01:00 EDT, 01:00 EST, 02:00, 03:00 EST), so each
# series (actual load, CBL) is a line of 5 vertices with 5 markers; the
# axis is 25 hours wide, the hour after 00:00 EDT labelled 01:00 EST (the
# second 01:00), and its label says "a 25-hour day".  The window's label: the mean of the five
# reductions 0.550 - 0.550 - 1.150 - 0.450 - 2.300 = -3.900 kWh,
# -0.780 kW.
chart day-25h "$I/day25.csv"
# The same day with dg-cbl --all-hours: 25 points in each line, one an
# hour of the 25-hour day; the window and its reduction as above.
chart day-25h-all "$I/day25all.csv"
# An event day with no load measured (the call of 2022-11-06, after the
# sample's loads end): gnuplot refused a plot of no points (exit 1); the
# chart is drawn with its axis (the 25-hour day), the window and "no
# reduction measured", and no series.
chart day-none "$I/day-none.csv"
# Forecast against actual, 2017-08-01 to 08-07 (no change of offset):
# 7 x 24 = 168 points in the actual and the forecast lines, and the band
# one polygon of 2 x 168 = 336 points.
chart forecast --site LI10 "$I/backtest.csv"
# Prices with the bid: the day-ahead prices of 24 hours (24 markers); the
# bid blocks a segment of 2 vertices per hour of the block (checked
# against dg-bid's rows below); the strike a line of 2 points at 450.00.
chart prices-bid "$I/da0721.csv" "$I/bid0721.csv"
for b in 1 2 3; do
	h=$(grep -c ",energy,$b," "$I/bid0721.csv")
	grep -q "^series $((b + 1)): bid block $b: lines $h subpaths $((2 * h)) vertices" \
	    "$tmp/prices-bid.txt" || bad "prices-bid: block $b is not $h hours"
done
# A 23-hour day, 2017-03-12: 23 day-ahead prices, the axis 23 hours wide,
# 00:00 EST then, two hours on, 03:00 EDT.
chart prices-23h "$I/da0312.csv"
# Day-ahead and real-time of one day (PJM, hourly both): 24 and 24.
chart prices-da-rt "$I/pjmda.csv" "$I/pjmrt.csv"
# The report's Tables 18-21: four bars; above them the report's figures,
# 7.5 MW and 30.0 MWh (Table 18), 13.7 and 68.6 (19), 15.7 and 125.3
# (20), 12.3 and 61.4 (21), of 4, 5, 8 and 5 hours.
chart events-report "$T/settle/report-2001/curtailment-2001-08.csv"
# Pledged and delivered on the sample's calls (the hand-made baselines of
# testdata/settle): four events, four hatched and four grey bars; one
# site-hour of EDRP-2022-07-20 has no reduction (LI07, 16:00).
chart events-pledged --kind events --sites "$S/sites.csv" \
    "$T/settle/cbl-2022.csv"
# The portfolio's UCAP by month, June to September 2022: 4 ICAP bars, 4
# UCAP bars, 4 availability points.
chart ucap "$I/ucap.csv"
# The price duration curve of July 2017 (no change of offset): 31 x 24 =
# 744 points; no hour at or above the strike of 450 $/MWh.
chart duration --kind duration --strike 450 "$I/da201707.csv"

echo "charts: $fail failed"
[ $fail -eq 0 ]
