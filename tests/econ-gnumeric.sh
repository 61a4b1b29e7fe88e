#!/bin/sh
# econ-gnumeric.sh: dg-econ's NPV and IRR against a real spreadsheet.  The
# yearly net flows dg-econ writes (--flows) go into a sheet with
# Gnumeric's own formulas, =ROUND(A1+NPV(rate,A2:An),2) and
# =ROUND(IRR(A1:An)*100,2), for every scenario, party and horizon;
# ssconvert recalculates the sheet, and each figure must equal dg-econ's to
# the cent (and the IRR to 0.01 %).  Where dg-econ gives no IRR (flows that
# change sign more than once, or never) the sheet's IRR is not compared.
# Needs ssconvert (Debian package gnumeric): skipped without it.
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
if ! command -v ssconvert >/dev/null 2>&1; then
	echo "SKIP: ssconvert not found (Debian package gnumeric)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-gnumeric.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0
n=0

# check ITEMS RATE_PCT [dg-econ options]
check() {
	items=$1
	rate=$2
	shift 2
	if ! "$build/cmd/dg-econ" site --items "$src/testdata/econ/$items" \
	    --rate "$rate" --flows "$tmp/flows.csv" -o "$tmp/econ.csv" "$@"; then
		echo "FAIL: dg-econ site --items $items $*"
		status=1
		return
	fi
	for sc in low expected high; do
		for party in owner aggregator; do
			sheet "$sc" "$party" "$rate" || status=1
		done
	done
}

# sheet SCENARIO PARTY RATE_PCT: one sheet, recalculated, compared.
sheet() {
	awk -F, -v sc="$1" -v pa="$2" '$1 == sc && $2 == pa { print $7 }' \
	    "$tmp/flows.csv" >"$tmp/cf"
	years=$(($(wc -l <"$tmp/cf") - 1))
	{
		cat "$tmp/cf"
		y=1
		while [ $y -le $years ]; do
			printf '"=ROUND(A1+NPV(%s/100,A2:A%d),2)",' "$3" $((y + 1))
			printf '"=ROUND(IRR(A1:A%d)*100,2)"\n' $((y + 1))
			y=$((y + 1))
		done
	} >"$tmp/sheet.csv"
	if ! ssconvert "$tmp/sheet.csv" "$tmp/calc.csv" >/dev/null 2>&1; then
		echo "FAIL: ssconvert $1 $2"
		return 1
	fi
	tail -n "$years" "$tmp/calc.csv" >"$tmp/gnumeric"
	awk -F, -v sc="$1" -v pa="$2" '$1 == sc && $2 == pa { print $4 "," $5 }' \
	    "$tmp/econ.csv" >"$tmp/ours"
	if ! awk -F, -v what="$1 $2" '
	    NR == FNR { g[FNR] = $0; next }
	    {
		split(g[FNR], s, ",")
		gnpv = sprintf("%.2f", s[1]); onpv = sprintf("%.2f", $1)
		if (gnpv != onpv) {
			printf "FAIL: %s, %d years: NPV %s, Gnumeric %s\n", what, FNR, onpv, gnpv
			bad = 1
		}
		if ($2 != "" && sprintf("%.2f", s[2]) != sprintf("%.2f", $2)) {
			printf "FAIL: %s, %d years: IRR %s %%, Gnumeric %s %%\n", what, FNR, $2, s[2]
			bad = 1
		}
	    }
	    END { exit bad }' "$tmp/gnumeric" "$tmp/ours"; then
		return 1
	fi
	n=$((n + years))
}

# A Table 6 turbine site (testdata/econ/README.md) at 7.25 %, and the
# flows of 10 % and 20 % (IRR not unique) at 8 %.
check site-turbine.csv 7.25 --kw 800 --hours 25 --share 17.5
check irr-two-roots.csv 8 --kw 0 --years 2
[ $status -eq 0 ] && echo "PASS: $n NPVs and IRRs equal Gnumeric's to the cent"
exit $status
