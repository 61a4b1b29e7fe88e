#!/usr/bin/env python3
"""same-figures.py OURS BACK: BACK (a CSV a spreadsheet saved after opening
OURS, a dg- program's output) has OURS's figures.

Same header, same rows; field by field, the same text, or:
  - numbers: the same binary double (a spreadsheet holds doubles: it writes
    412.98 back as 412.98 or 412.98000000000000001, 0.212900 as 0.2129),
    and the number in OURS has at most 15 significant digits, so that the
    shortest decimal of BACK's double that dg-csv reads (dgagg(7),
    SPREADSHEETS) is OURS's value;
  - a month YYYY-MM in OURS: the first day of that month in BACK, as a date
    YYYY/MM/DD (Gnumeric's), M/D/YYYY or YYYY-MM-DD;
  - a text field OURS neutralized for a spreadsheet ("'=...": the
    apostrophe before = + - @): the text without it (Gnumeric takes the
    apostrophe as its mark for text).
Exit 1 naming the first difference.
"""
import csv
import re
import sys
from decimal import Decimal, InvalidOperation


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f))


def number(s):
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", s):
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def same(a, b):
    if a == b:
        return True
    x, y = number(a), number(b)
    if x is not None and y is not None:
        digits = len(str(abs(x)).replace(".", "").strip("0"))
        return float(x) == float(y) and digits <= 15
    m = re.fullmatch(r"(\d{4})-(\d{2})", a)
    if m:
        y, mo = m.group(1), m.group(2)
        return b in (f"{y}/{mo}/01", f"{int(mo)}/1/{y}", f"{y}-{mo}-01")
    if len(a) > 1 and a[0] == "'" and a[1] in "=+-@\t\r":
        return a[1:] == b
    return False


def main():
    a, b = rows(sys.argv[1]), rows(sys.argv[2])
    if len(a) != len(b):
        print(f"same-figures: {len(a)} rows, {len(b)} back")
        return 1
    for i, (ra, rb) in enumerate(zip(a, b), 1):
        if len(ra) != len(rb):
            print(f"same-figures: line {i}: {len(ra)} fields, {len(rb)} back")
            return 1
        for j, (fa, fb) in enumerate(zip(ra, rb)):
            if not same(fa, fb):
                print(f"same-figures: line {i}, column {a[0][j]}: {fa!r} came back as {fb!r}")
                return 1
    print(f"same figures: {len(a) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
