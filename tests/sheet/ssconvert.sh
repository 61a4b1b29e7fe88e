#!/bin/sh
# ssconvert.sh: the toolkit's output for spreadsheets through a real one,
# Gnumeric's ssconvert (Debian's gnumeric, installed by scripts/setup; when
# it is missing the test is skipped, exit 77, saying so).
#
# 1. Round trips: a load file (dg-import's output from a real meter
#    export), payment lines and a statement (dg-settle's, on the sample
#    portfolio), written with --excel, converted by ssconvert to .xlsx and
#    back to CSV, have the same figures (tests/sheet/same-figures.py), and
#    read back by dg-cbl and dg-settle statement give what the originals
#    give.
# 2. Formula injection (OWASP "CSV injection"): participants named
#    =HYPERLINK("http://x","y"), +1 and @SUM(1), and sites of those names,
#    in a statement and in baselines written with --excel: the .xlsx has no
#    formula cell (no <f> element in any sheet), and the names come back as
#    they were.  The same statement written without --excel does make a
#    formula cell: the check can fail.
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
PATH="$build/cmd:$PATH"
export PATH
LC_ALL=C
export LC_ALL
if ! command -v ssconvert >/dev/null 2>&1; then
	echo "SKIP: ssconvert not found (Debian package gnumeric)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-ssconvert.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 99
ln -s "$src/testdata" testdata
T=testdata
s=$T/sample
fail=0
no() { echo "FAIL: $*"; fail=1; }

# CSV -> .xlsx -> CSV through Gnumeric
sheet() {
	if ! ssconvert --import-type=Gnumeric_stf:stf_csvtab "$1" "$1.xlsx" \
	    >/dev/null 2>&1 || ! ssconvert "$1.xlsx" "$2" >/dev/null 2>&1; then
		no "ssconvert $1"
		return 1
	fi
}
# formula cells in an .xlsx's sheets
formulas() {
	python3 -c 'import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(sum(len(re.findall(r"<f[ >]", z.read(n).decode())) for n in z.namelist()
          if n.startswith("xl/worksheets/")))' "$1"
}
figures() { python3 "$src/tests/sheet/same-figures.py" "$1" "$2" || no "$1: figures changed"; }

pay() {
	dg-settle pay --programs $T/settle/programs.csv --sites $s/sites.csv \
	    --rt-prices $s/prices/20220720realtime_zone.csv \
	    --rt-prices $s/prices/20221106realtime_zone.csv \
	    --events $T/settle/events-2022.csv --offers $T/settle/offers-2022.csv \
	    "$@" $T/settle/cbl-2022.csv 2>/dev/null
}

# --- 1. round trips ----------------------------------------------------
dg-import --site site_1 --time-column 'HE (EST)' --column kWH --in-tz EST \
    --stamps end --excel -o load.csv $T/meter/site_1.csv || no "dg-import"
sheet load.csv load-back.csv && figures load.csv load-back.csv
printf 'event,program,date,start,end\nE1,EDRP,2017-06-13,14:00,18:00\n' >ev.csv
dg-cbl --events ev.csv -o cbl-a.csv load.csv 2>/dev/null || no "dg-cbl load.csv"
dg-cbl --events ev.csv -o cbl-b.csv load-back.csv 2>/dev/null || no "dg-cbl load-back.csv"
if cmp -s cbl-a.csv cbl-b.csv; then
	echo "load file: dg-cbl reads the same baselines back"
else
	no "load file: dg-cbl's baselines differ"
fi

pay --excel >pay.csv || no "dg-settle pay"
sheet pay.csv pay-back.csv && figures pay.csv pay-back.csv
if ! dg-settle statement --contracts $T/settle/contracts.csv pay.csv \
    >st-a.csv 2>/dev/null ||
    ! dg-settle statement --contracts $T/settle/contracts.csv pay-back.csv \
    >st-b.csv 2>/dev/null; then
	no "dg-settle statement"
fi
figures st-a.csv st-b.csv

dg-settle statement --excel --contracts $T/settle/contracts.csv pay.csv >st.csv ||
    no "dg-settle statement --excel"
sheet st.csv st-back.csv && figures st.csv st-back.csv

# --- 2. formula injection -------------------------------------------------
awk -F, 'BEGIN { OFS = "," }
NR > 1 && $2 == "Meadowbrook Realty" { $2 = "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" }
NR > 1 && $2 == "Hempstead Stores" { $2 = "+1" }
NR > 1 && $2 == "Bay Shore Savings" { $2 = "@SUM(1)" }
1' $T/settle/contracts.csv >contracts.csv
pay >pay-plain.csv
for mode in plain excel; do
	opt=; [ $mode = excel ] && opt=--excel
	dg-settle statement $opt --contracts contracts.csv pay-plain.csv >inj-$mode.csv ||
	    no "dg-settle statement $opt"
	sheet inj-$mode.csv inj-$mode-back.csv
done
n=$(formulas inj-plain.csv.xlsx)
if [ "$n" -gt 0 ]; then
	echo "statement without --excel: $n formula cells (the check can fail)"
else
	no "statement without --excel: no formula cell: the check cannot fail"
fi
n=$(formulas inj-excel.csv.xlsx)
if [ "$n" -eq 0 ]; then
	echo "statement with --excel: no formula cell"
else
	no "statement with --excel: $n formula cells"
fi
for name in '=HYPERLINK("http://x","y")' '+1' '@SUM(1)'; do
	python3 -c 'import csv, sys
names = {r[0] for r in csv.reader(open(sys.argv[1], newline=""))}
sys.exit(0 if sys.argv[2] in names else 1)' inj-excel-back.csv "$name" ||
	    no "participant $name did not come back as it was"
done
figures inj-excel.csv inj-excel-back.csv

# sites of those names, in baselines
awk -F, 'BEGIN { OFS = "," }
$1 == "H1" { print "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", $2, $3; print "+1", $2, $3; print "@SUM(1)", $2, $3; next } 1' \
    $T/cbl/hand-load.csv >inj-load.csv
dg-cbl --excel --events $T/cbl/hand-events.csv -o inj-cbl.csv inj-load.csv 2>/dev/null ||
    no "dg-cbl --excel"
sheet inj-cbl.csv inj-cbl-back.csv
n=$(formulas inj-cbl.csv.xlsx)
if [ "$n" -eq 0 ]; then
	echo "baselines with --excel: no formula cell"
else
	no "baselines with --excel: $n formula cells"
fi
figures inj-cbl.csv inj-cbl-back.csv

[ $fail -eq 0 ] && echo "ssconvert: all passed"
exit $fail
