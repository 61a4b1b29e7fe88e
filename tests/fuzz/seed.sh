#!/bin/sh
# seed.sh: builds the seed corpus of every fuzz harness from testdata/:
# the first lines of the matching files, each behind the option byte the
# harness reads first (tests/fuzz/fuzz.h: delimiter, naive stamps; the
# harness's own bits above).  The corpus lives in the build tree, never in
# git: it is rebuilt from testdata/ on every run.
#
# usage: seed.sh SRCDIR OUTDIR
set -eu
src=$1
out=$2
td=$src/testdata
lines=60

# seed HARNESS PREFIX-OCTAL FILE...: one seed per file
seed() {
	h=$1
	p=$2
	shift 2
	mkdir -p "$out/$h"
	for f in "$@"; do
		[ -f "$f" ] || continue
		n=$(printf '%s' "$f" | cksum | cut -d' ' -f1)
		{ printf "\\$p"; head -n $lines "$f"; } >"$out/$h/seed-$p-$n"
	done
}
# seedstr HARNESS STRING...: one seed per string
seedstr() {
	h=$1
	shift
	mkdir -p "$out/$h"
	i=0
	for s in "$@"; do
		i=$((i + 1))
		printf '%s' "$s" >"$out/$h/seed-str-$i"
	done
}

csvs=$(find "$td" -name '*.csv' | LC_ALL=C sort)
for p in 000 004; do
	seed csv $p $csvs
done
for p in 000 001 002 003 010; do
	seed csvdiff $p $csvs
done
# csvform: a second byte names the form (gzip, UTF-16, zip ...)
for k in 0 1 2 3 4 5 6 7; do
	seed csvform "000\\00$k" $(printf '%s\n' $csvs | head -n 24)
done
seedstr time '2017-07-14T14:00:00-04:00' '2017-07-14 14:00:00-04:00' \
	'2017-07-14T14:00' '2017-11-05 01:30:00' '07/14/2017 14:00' \
	'11/05/2017 01:00:00' '2017-03-12T02:30' '2017-07-14T14:00:00Z' \
	'2017-07-14' '1970-01-01T00:00:00+00:00' '9999-12-31T23:59:59+14:00' \
	'2017-07-14T14:00:00.000-04:00' '2017-02-29' '2000-02-29'
seedstr dec '2.385|1.1' '-0.005|3' '123456789012345678|2' '0.000000000000000001|1000' \
	'12.50|-12.5' '9223372036854775807|1' '-9223372036854775808|-1' '.5|5.' \
	'1e5|2' '+7.25|0.04'
seed sites 000 $(find "$td" -name 'sites*.csv' -o -name '*-sites.csv' | LC_ALL=C sort)
loads=$(grep -l -m1 'load_kw' $csvs 2>/dev/null || true)
for p in 000 040 140 240 300; do
	seed series $p $loads
done
pulses=$(grep -l -m1 'pulses' $csvs 2>/dev/null || true)
seed pulse 000 $pulses
seed pulse 020 $pulses
seed pulse 224 $pulses
events=$(grep -l -m1 '^event,' $csvs 2>/dev/null || true)
seed cbl 000 $events
seed cbl 020 "$td/cbl/events-2017.csv"
prices=$(find "$td/sample/prices" "$td/settle" "$td/fetch" -name '*.csv' | LC_ALL=C sort)
seed settle 000 $prices
seed settle 020 $prices
seed settle 040 "$td/settle/programs.csv"
seed settle 060 $events
seed settle 100 $(find "$td/settle" -name 'offers*.csv')
seed settle 120 $(find "$td/settle" "$td/ucap" -name '*apmd*.csv' -o -name 'icap-*.csv')
seed settle 140 $(find "$td/settle" -name 'contracts*.csv')
models=$(grep -l -m1 'intercept' $csvs 2>/dev/null || true)
seed forecast 000 $models
if command -v dg-forecast >/dev/null 2>&1; then
	mkdir -p "$out/forecast"
	dg-forecast fit --sites "$td/sample/sites.csv" \
	    --weather "$td/sample/weather-2017.csv" "$td/sample/load-2017.csv" \
	    2>/dev/null | head -n $lines >"$out/forecast/fitted" || true
	[ -s "$out/forecast/fitted" ] || rm -f "$out/forecast/fitted"
fi
fetch=$(find "$td/fetch" -type f ! -name '*.md' | LC_ALL=C sort)
i=0
while [ $i -lt 12 ]; do
	seed fetch "$(printf '%03o' $i)\\00$((i % 8))" $fetch
	i=$((i + 1))
done
seed bid 000 "$td/sample/generators.csv" $(find "$td/bid" -name 'generators*.csv')
seed bid 020 $(find "$td/sample/prices" -name '*damlbmp_zone.csv' | LC_ALL=C sort | head -n 5)
mkdir -p "$out/bid"
printf '\040\002\004\120\030\060\100\020\200\010\377\001\141\062' >"$out/bid/seed-blocks-1"
printf '\040\003\000\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017' >"$out/bid/seed-blocks-2"
printf '\060\021\006\024\377' >"$out/bid/seed-rules"
