#!/usr/bin/env python3
"""same-figures-pdf.py: the figures of a participant's statement, rendered
by a browser and read back from the PDF's text (pdftotext -layout), are
those of the CSV statement, to the cent.

For each row of PARTICIPANT and MONTH in the CSV statement (the output of
dg-settle statement), some line of the text must hold the row's figures,
events, energy_mwh, payment_usd, share_pct (when the row has one),
aggregator_usd and participant_usd, one after the other as the CSV
writes them (1234.50 is not 1234.5), and for a site line its site and
program before them.  The portfolio's rows, and every other participant's
figures, must not be there.  Prints what it checked; exits 1 on the first
figure missing.

usage: same-figures-pdf.py STATEMENT.csv PARTICIPANT MONTH TEXT
"""
import csv
import sys


def want(row):
    figs = [row["events"], row["energy_mwh"], row["payment_usd"]]
    if row["share_pct"]:
        figs.append(row["share_pct"])
    figs += [row["aggregator_usd"], row["participant_usd"]]
    if row["row"] == "line":
        figs = [row["site"], row["program"], row["payer"]] + figs
    return figs


def found(tokens, figs):
    """Whether figs are a run of tokens."""
    n = len(figs)
    return any(tokens[i:i + n] == figs for i in range(len(tokens) - n + 1))


def main():
    path, who, month, text = sys.argv[1:5]
    lines = [ln.split() for ln in open(text, encoding="utf-8")]
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    mine = [r for r in rows if r["participant"] == who and r["month"] == month]
    if not mine:
        sys.exit("no rows of %s %s in %s" % (who, month, path))
    for r in mine:
        figs = want(r)
        if not any(found(tokens, figs) for tokens in lines):
            print("MISSING: %s %s row %s: %s" % (who, month, r["row"],
                                                 " ".join(figs)))
            sys.exit(1)
    others = [r for r in rows if r not in mine and r["row"] == "line"
              and r["participant"] != who]
    for r in others:
        if any(found(tokens, want(r)) for tokens in lines):
            print("OTHER: %s's line %s is in %s's statement"
                  % (r["participant"], " ".join(want(r)), who))
            sys.exit(1)
    print("%s %s: %d rows, every figure as in the CSV"
          % (who, month, len(mine)))


main()
