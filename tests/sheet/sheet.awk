# sheet.awk: turns a plain CSV into what a spreadsheet saves (for the
# spreadsheet golden cases, tests/sheet/gen-cases.py).  Variables:
#   mode   bom | crlf | blank | semicolon | thousands | header | usdate | ampm
#   t, v   the time column and a numeric value column (1-based)
#   big    the value written with a thousands separator (thousands)
# The input has no quoted fields with commas; the changed row is the first
# data row (line 2), except `header` (repeated after line 3).
BEGIN { FS = OFS = "," }
function us(s,   y, m, d, h, mi) {
	# 2017-07-14T14:00:00-04:00 or 07/14/2017 14:00[:00] -> 7/14/2017 14:00
	if (s ~ /^[0-9][0-9][0-9][0-9]-/) {
		y = substr(s, 1, 4); m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
		h = substr(s, 12, 2) + 0; mi = substr(s, 15, 2)
	} else {
		m = substr(s, 1, 2) + 0; d = substr(s, 4, 2) + 0; y = substr(s, 7, 4)
		h = substr(s, 12, 2) + 0; mi = substr(s, 15, 2)
	}
	return m "/" d "/" y " " h ":" mi
}
function ampm(s,   y, m, d, h, mi, ap) {
	# -> 2017-07-14 2:00:00 PM
	if (s ~ /^[0-9][0-9][0-9][0-9]-/) {
		y = substr(s, 1, 4); m = substr(s, 6, 2); d = substr(s, 9, 2)
	} else {
		m = substr(s, 1, 2); d = substr(s, 4, 2); y = substr(s, 7, 4)
	}
	h = substr(s, 12, 2) + 0; mi = substr(s, 15, 2)
	ap = h < 12 ? "AM" : "PM"
	h = h % 12; if (h == 0) h = 12
	return y "-" m "-" d " " h ":" mi ":00 " ap
}
{
	sub(/\r$/, "")
	line = $0
	if (mode == "bom" && NR == 1)
		line = "\357\273\277" line
	else if (mode == "crlf")
		line = line "\r"
	else if (mode == "semicolon") {
		line = ""
		for (i = 1; i <= NF; i++) {
			f = $i
			if (f ~ /^-?[0-9]+\.[0-9]+$/) sub(/\./, ",", f)
			if (f ~ /;/) f = "\"" f "\""
			line = line (i > 1 ? ";" : "") f
		}
	} else if (mode == "thousands" && NR == 2) {
		whole = big; sub(/\..*/, "", whole)
		frac = substr(big, length(whole) + 1)
		$v = "\"" substr(whole, 1, length(whole) - 3) "," substr(whole, length(whole) - 2) frac "\""
		line = $0
	} else if (mode == "usdate" && NR == 2) {
		$t = us($t); line = $0
	} else if (mode == "ampm" && NR == 2) {
		$t = ampm($t); line = $0
	}
	print line
	if (mode == "header" && NR == 3)
		print hdr
	if (NR == 1)
		hdr = $0
}
END {
	if (mode == "blank")
		printf "\n\n\n"
}
