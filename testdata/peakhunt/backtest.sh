#!/bin/sh
# backtest.sh: the season backtest that dg-peakhunt(1) publishes, on the
# real NYISO zone loads and forecasts of July-August 2002, August 2003 and
# July-August 2017: NYCA's coincident peak each year, and Long Island's in
# 2017 (NYISO's 2002 and 2003 actual-load files lump New York City and
# Long Island into one area).  The site is a turbine site of the report's
# Table 6: 800 kW at $35.00/MWh; the tariff tariff-nyca.csv or tariff-li.csv.
#
# usage: backtest.sh DIR
# DIR holds NYISO's daily YYYYMMDDpalIntegrated.csv and YYYYMMDDisolf.csv of
# those months (PROVENANCE.md says where they come from); dg-fetch and
# dg-peakhunt must be on PATH (e.g. PATH=_build/cmd:$PATH).  Writes one CSV
# to standard output: year, zone, then the backtest summary of each
# strategy.
set -eu
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: backtest.sh DIR" >&2
	exit 64
fi
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-backtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# fetch SOURCE SUFFIX OUT MONTH...: dg-fetch SOURCE over the daily files
# DIR/MONTHdd<SUFFIX>.csv of the months (YYYYMM).
fetch() {
	source=$1
	suffix=$2
	out=$3
	shift 3
	months=$*
	set --
	for m in $months; do
		for f in "$dir/$m"[0-3][0-9]"$suffix.csv"; do
			if [ ! -f "$f" ]; then
				echo "backtest.sh: no $m*$suffix.csv in $dir" >&2
				exit 66
			fi
			set -- "$@" --file "$f"
		done
	done
	if ! dg-fetch "$source" "$@" -o "$out" 2>"$tmp/fetch.log"; then
		cat "$tmp/fetch.log" >&2
		exit 65
	fi
}

# season YEAR FROM TO ZONE TARIFF: one backtest, its rows prefixed.
season() {
	dg-peakhunt backtest --from "$2" --to "$3" --tariff "$here/$5" \
	    --zone-load "$tmp/load$1.csv" --zone-forecast "$tmp/fc$1.csv" \
	    --kw 800 --cost 35.00 -o "$tmp/out.csv"
	if [ ! -s "$tmp/header" ]; then
		sed -n '1s/^/year,zone,/p' "$tmp/out.csv" >"$tmp/header"
		cat "$tmp/header"
	fi
	sed -n "2,\$s/^/$1,$4,/p" "$tmp/out.csv"
}

fetch nyiso-load palIntegrated "$tmp/load2002.csv" 200207 200208
fetch nyiso-isolf isolf "$tmp/fc2002.csv" 200207 200208
fetch nyiso-load palIntegrated "$tmp/load2003.csv" 200308
fetch nyiso-isolf isolf "$tmp/fc2003.csv" 200308
fetch nyiso-load palIntegrated "$tmp/load2017.csv" 201707 201708
fetch nyiso-isolf isolf "$tmp/fc2017.csv" 201707 201708
season 2002 2002-07-01 2002-08-31 NYCA tariff-nyca.csv
season 2003 2003-08-01 2003-08-31 NYCA tariff-nyca.csv
season 2017 2017-07-01 2017-08-31 NYCA tariff-nyca.csv
season 2017 2017-07-01 2017-08-31 LONGIL tariff-li.csv
