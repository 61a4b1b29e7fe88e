#!/usr/bin/env python3
"""nyiso-cbl.py: an independent NYISO weekday average-day CBL of the five
real sites in testdata/meter/, read from the raw exports, to check dg-import
and dg-cbl against (tests/cases/import-real-sites-cbl).

Written from the rules as dg-cbl(1) states them, not from the C code:
  - each raw row is the kWh of the 15 minutes ENDING at its stamp, in EST
    (UTC-05:00) all year; the market's hours are New York time (EDT,
    UTC-04:00, on every day used here);
  - an hour's kW is the sum of its four quarter-hour kWh (kWh in an hour =
    mean kW); an hour with fewer than four readings is missing;
  - weekday event on day D, hours S..E-1: walk back from D-1 over 30 days;
    like days are Monday-Friday but NERC holidays (Memorial Day, 2017-05-29);
    a day with any event hour missing is skipped; the low-usage threshold
    is 25 % of the highest event-hour load over the like days of the 30-day
    look-back; a day whose mean event-hour load (ADEPU) is below it is
    skipped; the window is the first 10 days kept, the basis its 5 days of
    highest ADEPU (equal: the more recent); CBL(h) = mean of the basis days'
    load in hour h;
  - reduction = CBL - actual, each printed with three decimals.
Prints, per site and hour, site,time,cbl_kw,actual_kw,reduction_kw; then
compares with dg-cbl's output on standard input and says "agree: N rows"
or the first difference (exit 1).
"""
import csv
import datetime as dt
import sys
from decimal import Decimal, ROUND_HALF_UP

SITES = ["site_1", "site_2", "site_3", "site_5", "site_6"]
EVENT_DAY = dt.date(2017, 6, 13)
START, END = 14, 18
HOLIDAYS = {dt.date(2017, 5, 29)}
EST = dt.timezone(dt.timedelta(hours=-5))
EDT = dt.timezone(dt.timedelta(hours=-4))


def hourly(path):
    q = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            end = dt.datetime.strptime(row["HE (EST)"], "%Y-%m-%d %H:%M:%S")
            start = end.replace(tzinfo=EST) - dt.timedelta(minutes=15)
            local = start.astimezone(EDT)
            key = (local.date(), local.hour)
            q.setdefault(key, []).append(Decimal(row["kWH"]))
    return {k: sum(v) for k, v in q.items() if len(v) == 4}


def r3(x):
    return x.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def cbl(load):
    hours = range(START, END)
    like = []
    for k in range(1, 31):
        d = EVENT_DAY - dt.timedelta(days=k)
        if d.weekday() < 5 and d not in HOLIDAYS:
            like.append(d)
    peak = max((load[(d, h)] for d in like for h in hours if (d, h) in load),
               default=Decimal(0))
    threshold = Decimal("0.25") * peak
    window = []
    for d in like:
        if not all((d, h) in load for h in hours):
            continue
        adepu = sum(load[(d, h)] for h in hours) / len(hours)
        if adepu < threshold:
            continue
        window.append((adepu, d))
        if len(window) == 10:
            break
    basis = sorted(window, key=lambda x: (x[0], x[1]), reverse=True)[:5]
    return {h: sum(load[(d, h)] for _, d in basis) / len(basis) for h in hours}


def main():
    want = {}
    for s in SITES:
        load = hourly(f"{sys.argv[1]}/{s}.csv")
        c = cbl(load)
        for h in range(START, END):
            t = f"{EVENT_DAY}T{h:02d}:00:00-04:00"
            a = load[(EVENT_DAY, h)]
            want[(s, t)] = (r3(c[h]), r3(a), r3(c[h]) - r3(a))
    n = 0
    for row in csv.DictReader(sys.stdin):
        key = (row["site"], row["time"])
        got = (Decimal(row["cbl_kw"]), Decimal(row["actual_kw"]),
               Decimal(row["reduction_kw"]))
        if key not in want or want.pop(key) != got:
            print(f"differs at {key}: dg-cbl {got}")
            return 1
        n += 1
    if want:
        print(f"dg-cbl lacks {sorted(want)[0]}")
        return 1
    print(f"agree: {n} rows")
    return 0


sys.exit(main())
