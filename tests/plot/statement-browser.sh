#!/bin/sh
# statement-browser.sh: the HTML statements opened in a real browser.
#
# The sample portfolio's statements of July 2022 are written as HTML
# (dg-settle statement --format html, with dg-cbl's event days as charts
# and the runs' manifests at the foot), and those of two participants as
# PDF on A4 and on Letter (--format pdf --paper).  Headless Chromium
# (Debian's chromium, in a fresh profile) opens every HTML file and
# renders it to PDF (and the first to PNG);
# pdftotext (poppler-utils) reads each PDF back, and every figure of the
# participant's rows of the CSV statement must be in it as the CSV writes
# it, to the cent, and no other participant's (same-figures-pdf.py).  Each
# HTML file must stand alone (no script, no link, nothing fetched), hold
# one inline SVG per event day of its sites, and each PDF be of the paper
# asked for.  Skipped (77), saying so, without chromium, pdftotext or
# gnuplot.  About 30 s (Chromium takes about 1.5 s a page).
# DG_PLOT_KEEP=DIR keeps the screenshot there, to look at.
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
PATH="$build/cmd:$PATH"
export PATH
LC_ALL=C
export LC_ALL
unset TZ
for p in chromium:chromium pdftotext:poppler-utils pdfinfo:poppler-utils \
    gnuplot:gnuplot-nox python3:python3; do
	if ! command -v "${p%%:*}" >/dev/null 2>&1; then
		echo "SKIP: ${p%%:*} not found (Debian package ${p#*:})"
		exit 77
	fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-browser.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
T=$src/testdata
S=$T/sample
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cd "$tmp" || exit 99
# As scripts/monthly does: the baselines, and the same with every hour
# of the event days for the charts.
dg-cbl --sites "$S/sites.csv" --events "$T/settle/events-2022.csv" \
    "$S/load-2022-summer.csv" >cbl.csv 2>/dev/null || exit 99
dg-cbl --all-hours --sites "$S/sites.csv" --events "$T/settle/events-2022.csv" \
    "$S/load-2022-summer.csv" >days.csv 2>/dev/null || exit 99
dg-settle pay --programs "$T/settle/programs.csv" --sites "$S/sites.csv" \
    --rt-prices "$S/prices/20220720realtime_zone.csv" \
    --rt-prices "$S/prices/20221106realtime_zone.csv" \
    --events "$T/settle/events-2022.csv" --offers "$T/settle/offers-2022.csv" \
    --from 2022-07-01 --to 2022-07-31 \
    --manifest man-pay.csv -o pay.csv cbl.csv 2>/dev/null ||
    exit 99
dg-settle statement --contracts "$T/settle/contracts.csv" \
    --manifest man-st.csv -o st.csv pay.csv || exit 99
if ! dg-settle statement --contracts "$T/settle/contracts.csv" \
    --format html --cbl days.csv --hashes man-pay.csv --hashes man-st.csv \
    -o html pay.csv 2>err; then
	bad "dg-settle statement --format html: $(head -1 err)"
	exit 1
fi
# The PDFs of Meadowbrook Realty (LI01, LI02) and Smithtown Care (LI06):
# Chromium takes about 1.5 s a page.
grep -E '^(site|LI0[126]),' pay.csv >pay2.csv
for paper in a4 letter; do
	dg-settle statement --contracts "$T/settle/contracts.csv" \
	    --format pdf --paper $paper --cbl days.csv -o pdf-$paper pay2.csv \
	    2>err || bad "--format pdf --paper $paper: $(head -1 err)"
done

# One page per participant and month of the CSV, its portfolio rows aside.
n_csv=$(python3 -c '
import csv, sys
print(len({(r["participant"], r["month"])
           for r in csv.DictReader(open(sys.argv[1])) if r["participant"]}))' st.csv)
n_html=$(find html -name '*.html' | wc -l)
[ "$n_html" = "$n_csv" ] || bad "$n_html HTML files for $n_csv statements"

chrome() {	# chrome OUTPUT-OPTION... URL: headless, a fresh profile
	rm -rf "$tmp/profile"
	chromium --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
	    "$@" >/dev/null 2>&1
}

python3 -c '
import csv, re, sys
seen = []
for r in csv.DictReader(open(sys.argv[1])):
    k = (r["participant"], r["month"])
    if r["participant"] and k not in seen:
        seen.append(k)
        slug = re.sub("[^a-z0-9]+", "-", k[0].lower()).strip("-")
        print("\t".join(k + (slug,)))' st.csv >pm.txt
while IFS="$(printf '\t')" read -r who month slug; do
	f=$tmp/html/$slug-$month.html
	[ -f "$f" ] || { bad "$who $month: no $f"; continue; }
	# nothing fetched: no script, link, image or frame, no URL but the
	# SVG's namespaces
	if grep -qiE '<script|<link|<img|<iframe|src=|url\(|href="https?:' \
	    "$f"; then
		bad "$who $month: the page is not self-contained"
	fi
	if ! chrome --no-pdf-header-footer \
	    --print-to-pdf="$tmp/$slug-$month.pdf" "file://$f"; then
		bad "$who $month: chromium failed"
		continue
	fi
	if ! pdftotext -layout "$tmp/$slug-$month.pdf" "$tmp/$slug-$month.txt" ||
	    ! python3 "$src/tests/plot/same-figures-pdf.py" st.csv "$who" \
	    "$month" "$tmp/$slug-$month.txt"; then
		bad "$who $month: browser's PDF"
	fi
	for paper in a4 letter; do
		p=$tmp/pdf-$paper/$slug-$month.pdf
		[ -f "$p" ] || continue		# not in pay2.csv
		size=$(pdfinfo "$p" 2>/dev/null | sed -n 's/^Page size:.*(\(.*\))$/\1/p')
		case $paper:$size in
		a4:A4|letter:letter) ;;
		*) bad "$who $month: --paper $paper gave \"$size\"" ;;
		esac
		if ! pdftotext -layout "$p" "$p.txt" ||
		    ! python3 "$src/tests/plot/same-figures-pdf.py" st.csv \
		    "$who" "$month" "$p.txt" >/dev/null; then
			bad "$who $month: dg-settle's PDF on $paper"
		fi
	done
done <pm.txt
[ "$(find pdf-a4 pdf-letter -name '*.pdf' | wc -l)" = 4 ] ||
    bad "not the 4 PDFs of two participants on two papers"
# A page as a person sees it: Chromium's screenshot of Meadowbrook's.
f=$tmp/html/meadowbrook-realty-2022-07.html
chrome --hide-scrollbars --window-size=900,2200 --screenshot="$tmp/mr.png" \
    "file://$f" || bad "chromium: no screenshot"
head -c 8 "$tmp/mr.png" | od -c | grep -q 'P   N   G' ||
    bad "chromium's screenshot is not a PNG"
[ -n "${DG_PLOT_KEEP:-}" ] && cp "$tmp/mr.png" "$DG_PLOT_KEEP/statement.png"
# The charts: Meadowbrook Realty (LI01, LI02) in July has five event days
# (LI01 in the EDRP, SCR and LIPA calls of 2022-07-20, LI02 in the EDRP and
# SCR ones: the site's programs in sites.csv); each an inline SVG of its
# own ids.
f=html/meadowbrook-realty-2022-07.html
n=$(grep -c '<svg' "$f")
[ "$n" = 5 ] || bad "$f: $n charts, not 5"
n=$(grep -o "id=\"c[0-9]*-gnuplot_canvas\"" "$f" | sort -u | wc -l)
[ "$n" = 5 ] || bad "$f: the charts' ids are not their own"
echo "statements in a browser: $fail failed"
[ $fail -eq 0 ]
