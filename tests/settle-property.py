#!/usr/bin/env python3
"""settle-property.py: a property test of the monthly settlement.

Random small portfolios (a fixed seed) go through scripts/monthly (with
--cbl: the baselines are data here), then one input at a time gets a fault
(a file cut short, a typo in a name that refers to another file, a revised
price or reduction) and the month is run again with --restate.  The
invariant, checked against an oracle written from the rules of
dg-settle(1) with Python's decimal module (not from the C code):

  exit 0  => the statements are the oracle's, to the cent;
  exit !0 => the month's current version is untouched (byte for byte);
  and the oracle's "this input is an error" agrees with a non-zero exit.

usage: settle-property.py SRCDIR BUILDDIR [PORTFOLIOS [SEED]]
"""
import csv
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal, ROUND_HALF_UP

MONTH = "2022-07"
OFFSET = "-04:00"			# July: EDT
ZONES = ["LONGIL", "N.Y.C."]


def rnd(d, places):
    """Rounds once, half away from zero (dg-settle(1), Rounding)."""
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def stamp(day, hour):
    return "%s-%02dT%02d:00:00%s" % (MONTH, day, hour, OFFSET)


# --- the portfolio -----------------------------------------------------------

def portfolio(r):
    """A random portfolio: its files as {name: text} and the facts the
    generator chose (for the faults)."""
    nsites = r.randint(2, 5)
    sites = ["S%d" % (i + 1) for i in range(nsites)]
    zone = {s: r.choice(ZONES) for s in sites}
    progs = [
        # name, payer, priority, kind
        ("EDRP", "NYISO", 1, "strike"),
        ("SCR", "NYISO", 2, "floor"),
        ("LIPA", "LIPA", 4, "demand"),
    ]
    floor = Decimal(r.choice(["350.00", "500.00"]))
    credit = Decimal(r.choice(["6.43", "5.10"]))
    enrolled = {s: sorted(r.sample(["EDRP", "SCR", "LIPA"], r.randint(1, 3)))
                for s in sites}
    days = sorted(r.sample(range(18, 23), r.randint(1, 2)))
    events = []
    for i, day in enumerate(days):
        for p in ("EDRP", "SCR", "LIPA"):
            if r.random() < 0.7:
                start = r.choice([12, 13, 14])
                end = start + r.randint(2, 4)
                events.append(("%s-%d" % (p, i + 1), p, day, start, end))
    # an event of another month: its rows are not this month's
    events.append(("EDRP-8", "EDRP", None, 13, 15))
    files = {}
    files["programs.csv"] = (
        "program,payer,basis,priority,measure,floor_usd_per_mwh,lbmp,strike,"
        "strike_cap_usd_per_mwh,credit_usd_per_kw,months,hours\n"
        "EDRP,NYISO,energy,1,cbl,,rt,yes,500.00,,,\n"
        "SCR,NYISO,energy,2,cbl,%s,rt,no,,,,\n"
        "LIPA,LIPA,demand,4,cbl,,,,,%s,6-9,14-18\n" % (floor, credit))
    # curtailable_kw: the pledge the month's performance chart draws
    files["sites.csv"] = "site,zone,programs,curtailable_kw\n" + "".join(
        "%s,%s,%s,%d\n" % (s, zone[s], ";".join(enrolled[s]), 100 * (1 + i % 5))
        for i, s in enumerate(sites))
    ev = "event,program,date,start,end\n"
    for e in events:
        date = "%s-%02d" % (MONTH, e[2]) if e[2] else "2022-08-03"
        ev += "%s,%s,%s,%02d:00,%02d:00\n" % (e[0], e[1], date, e[3], e[4])
    files["events.csv"] = ev
    off = "site,program,strike_usd_per_mwh\n"
    for s in sites:
        if "EDRP" in enrolled[s]:
            off += "%s,EDRP,%s\n" % (s, r.choice(["300.00", "400.00", "450.50", "500.00"]))
    files["offers.csv"] = off
    con = "site,participant,share_pct,program\n"
    for s in sites:
        p = r.choice(["Alpha Co", "Beta Inc", "Gamma LLC"])
        con += "%s,%s,%s,\n" % (s, p, r.choice(["10", "12.5", "15", "20"]))
        if "LIPA" in enrolled[s] and r.random() < 0.5:
            con += "%s,%s,%s,LIPA\n" % (s, p, r.choice(["5", "10"]))
    files["contracts.csv"] = con
    # the baselines: each event's enrolled sites, its hours, sometimes an
    # hour after the call; reductions to 3 decimals, a few negative or
    # not measured
    rows = []
    for s in sites:
        for e in events:
            if e[1] not in enrolled[s]:
                continue
            day = e[2] or 3
            date_month = MONTH if e[2] else "2022-08"
            last = e[4] + (1 if r.random() < 0.3 else 0)
            for h in range(e[3], last):
                kw = Decimal(r.randint(-50000, 900000)) / 1000
                q = "ok"
                red = "%.3f" % kw
                if r.random() < 0.05:
                    red, q = "", "missing_actual"
                rows.append("%s,%s,%s,nyiso,%s-%02dT%02d:00:00%s,,,,,%s,,,,%s\n" % (
                    s, e[0], e[1], date_month, day, h, OFFSET, red, q))
    files["cbl.csv"] = ("site,event,program,method,time,cbl_kw,adjusted_cbl_kw,"
                        "actual_kw,gen_kw,reduction_kw,adjustment,window_days,"
                        "basis_days,quality\n" + "".join(rows))
    # the real-time prices: a native NYISO file for each day around the
    # calls, every zone, 5-minute intervals ending 00:05 ... 24:00, prices
    # to the cent
    for day in range(17, 24):
        lines = ['"Time Stamp","Name","PTID","LBMP ($/MWHr)"\n']
        for k in range(1, 289):
            t = k * 5
            d, hh, mm = (day, t // 60, t % 60) if t < 1440 else (day + 1, 0, 0)
            mon, dd = (7, d) if d <= 31 else (8, 1)
            for z in ZONES:
                p = Decimal(r.randint(-5000, 90000)) / 100
                lines.append('"%02d/%02d/2022 %02d:%02d:00","%s",1,%s\n' % (
                    mon, dd, hh, mm, z, p))
        files["prices/202207%02drealtime_zone.csv" % day] = "".join(lines)
    return files


# --- the oracle (dg-settle(1)) ----------------------------------------------

class Refused(Exception):
    pass


def read_csv(text, name, made_by_program):
    """Rows as dicts.  A file a program writes must end with a line end."""
    if made_by_program and text and not text.endswith("\n"):
        raise Refused("%s cut short" % name)
    return list(csv.DictReader(io.StringIO(text)))


_price_memo = {}


def hourly_prices(files):
    """zone, hour start (local 'YYYY-MM-DDTHH') -> price to 6 decimals:
    each 5-minute price holds from the stamp before to its own; an hour
    needs its 3600 s.  And the zones the files name."""
    prices, zones = {}, set()
    for name, text in sorted(files.items()):
        if name.startswith("prices/"):
            if text not in _price_memo:
                _price_memo[text] = file_prices(name, text)
            p, z = _price_memo[text]
            prices.update(p)
            zones |= z
    return prices, zones


def file_prices(name, text):
    """The hourly prices of one native file (its hours are its own)."""
    sums, cover, zones = {}, {}, set()
    for row in read_csv(text, name, True):
        zones.add(row["Name"])
        mdy, hms = row["Time Stamp"].split(" ")
        mon, day, _ = (int(x) for x in mdy.split("/"))
        hh, mm, _ = (int(x) for x in hms.split(":"))
        mins = hh * 60 + mm
        # the interval (end - 5 min, end]: 00:00 ends the day before's
        # last hour
        if mins == 0:
            mon, day, mins = (7, 31, 1440) if day == 1 else (mon, day - 1, 1440)
        key = (row["Name"], "2022-%02d-%02dT%02d" % (mon, day, (mins - 5) // 60))
        sums[key] = sums.get(key, Decimal(0)) + Decimal(row["LBMP ($/MWHr)"]) * 300
        cover[key] = cover.get(key, 0) + 300
    return {k: rnd(v / 3600, 6) for k, v in sums.items() if cover[k] == 3600}, zones


def oracle(files):
    """The statement rows the rules give: {(participant, month, row, site,
    program, payer): (payment, aggregator, participant)}, or Refused."""
    progs = {p["program"]: p for p in read_csv(files["programs.csv"], "programs", False)}
    sites = {s["site"]: s for s in read_csv(files["sites.csv"], "sites", False)}
    events = {e["event"]: e for e in read_csv(files["events.csv"], "events", False)}
    offers = {(o["site"], o["program"]): Decimal(o["strike_usd_per_mwh"])
              for o in read_csv(files["offers.csv"], "offers", False)}
    contracts = read_csv(files["contracts.csv"], "contracts", False)
    cbl = read_csv(files["cbl.csv"], "cbl", True)
    prices, zones = hourly_prices(files)
    # names: every name that refers to another file
    for e in events.values():
        if e["program"] not in progs:
            raise Refused("event program")
    for (s, p) in offers:
        if s not in sites or p not in progs:
            raise Refused("offer name")
    for c in contracts:
        if c["site"] not in sites or (c["program"] and c["program"] not in progs):
            raise Refused("contract name")
    # the month's calls and their rows
    calls = {k for k, e in events.items() if e["date"].startswith(MONTH)}
    kept = [r for r in cbl if r["event"] not in events or r["event"] in calls]
    if calls and not kept:
        raise Refused("calls without rows")
    lines = []		# (site, event, program, payer, month, payment)
    for site in sorted({r["site"] for r in kept}):
        if site not in sites:
            raise Refused("unknown site")
        zone = sites[site]["zone"]
        if zone not in zones:
            raise Refused("zone")
        rows = [r for r in kept if r["site"] == site]
        for r in rows:
            if r["event"] not in events:
                raise Refused("unknown event")
            if r["program"] != events[r["event"]]["program"]:
                raise Refused("program of the event")
        lines += settle_site(site, zone, rows, progs, events, offers, prices)
    return statements(lines, contracts)


def in_call(e, hour):
    return int(e["start"][:2]) <= hour < int(e["end"][:2])


def settle_site(site, zone, rows, progs, events, offers, prices):
    """The payment lines of one site (dg-settle(1), Payment rules)."""
    # one payer per site-hour within a payer (the exclusive group)
    paid_by = {}
    for r in sorted(rows, key=lambda r: (r["time"], int(progs[r["program"]]["priority"]), r["event"])):
        e = events[r["event"]]
        hour = int(r["time"][11:13])
        key = (r["time"], progs[r["program"]]["payer"])
        if not in_call(e, hour):
            continue
        if key in paid_by:
            r["lost"] = True
        else:
            paid_by[key] = r["program"]
    out = []
    for ev in sorted({r["event"] for r in rows}):
        er = [r for r in rows if r["event"] == ev]
        e = events[ev]
        pg = progs[e["program"]]
        month = e["date"][:7]
        line = (site, ev, e["program"], pg["payer"], month)
        # every row is a line (an unpaid one pays 0.00)
        out += [line + (Decimal("0.00"),) for r in er]
        if pg["basis"] == "demand":
            out.append(line + (demand_credit(er, e, pg),))
            continue
        for r in er:
            hour = int(r["time"][11:13])
            if not in_call(e, hour) or r.get("lost") or r["reduction_kw"] == "":
                continue
            kw = max(Decimal(r["reduction_kw"]), Decimal(0))
            rt = prices.get((zone, r["time"][:13]))
            if rt is None:
                raise Refused("missing price")
            if pg["strike"] == "yes":
                if (site, e["program"]) not in offers:
                    raise Refused("no offer")
                rate = offers[(site, e["program"])]
            else:
                rate = Decimal(pg["floor_usd_per_mwh"])
            price = max(rate, rt)
            out.append((site, ev, e["program"], pg["payer"], month,
                        rnd(kw / 1000 * price, 2)))
    return out


def demand_credit(rows, e, pg):
    """The mean reduction of the call's hours inside the program's hours
    (14-18), rounded to 3 decimals, never below zero, times the rate."""
    lo, hi = (int(x) for x in pg["hours"].split("-"))
    total, n = Decimal(0), 0
    for r in rows:
        hour = int(r["time"][11:13])
        if not in_call(e, hour) or not (lo <= hour < hi):
            continue
        n += 1
        if r.get("lost") or r["reduction_kw"] == "":
            continue
        total += max(Decimal(r["reduction_kw"]), Decimal(0))
    if n == 0:
        return None
    mean = max(rnd(total / n, 3), Decimal(0))
    return rnd(mean * Decimal(pg["credit_usd_per_kw"]), 2)


def statements(lines, contracts):
    """Statement rows: each line's share rounded once; totals are sums."""
    def contract(site, program):
        spec = [c for c in contracts if c["site"] == site and c["program"] == program]
        any_ = [c for c in contracts if c["site"] == site and not c["program"]]
        c = (spec or any_ or [None])[0]
        if c is None:
            raise Refused("no contract")
        return c["participant"], Decimal(c["share_pct"])
    acc = {}
    for site, ev, prog, payer, month, pay in lines:
        if pay is None:
            continue
        part, pct = contract(site, prog)
        k = (part, month, site, prog, payer, pct)
        acc[k] = acc.get(k, Decimal("0.00")) + pay
    rows = {}

    def add(key, pay, agg, pt):
        a = rows.get(key, (Decimal("0.00"),) * 3)
        rows[key] = (a[0] + pay, a[1] + agg, a[2] + pt)
    for (part, month, site, prog, payer, pct), pay in acc.items():
        agg = rnd(pay * pct / 100, 2)
        add((part, month, "line", site, prog, payer), pay, agg, pay - agg)
        add((part, month, "payer", "", "", payer), pay, agg, pay - agg)
        add((part, month, "participant", "", "", ""), pay, agg, pay - agg)
        add(("", month, "payer", "", "", payer), pay, agg, pay - agg)
        add(("", month, "portfolio", "", "", ""), pay, agg, pay - agg)
    return rows


def read_statements(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["participant"], r["month"], r["row"], r["site"], r["program"], r["payer"])
            rows[key] = (Decimal(r["payment_usd"]), Decimal(r["aggregator_usd"]),
                         Decimal(r["participant_usd"]))
    return rows


# --- faults -------------------------------------------------------------------

def cut(text, r, mid_line):
    """The text cut short: inside a line (no final line end) or after one."""
    lines = text.splitlines(keepends=True)
    k = r.randint(2, max(2, len(lines) - 1))
    head = "".join(lines[:k])
    if mid_line:
        return head + lines[k][:r.randint(1, max(1, len(lines[k]) - 2))] if k < len(lines) else head[:-1]
    return head


FAULTS = ["cut-cbl-mid", "cut-cbl-line", "cut-price-mid", "typo-event-program",
          "typo-offer-site", "typo-zone", "typo-contract-program", "typo-cbl-event",
          "price", "reduction"]


def fault(files, r, kind):
    """Input files with one fault of kind."""
    f = dict(files)
    day_file = "prices/202207%02drealtime_zone.csv" % r.randint(18, 22)
    if kind == "cut-cbl-mid":
        f["cbl.csv"] = cut(f["cbl.csv"], r, True)
    elif kind == "cut-cbl-line":
        f["cbl.csv"] = cut(f["cbl.csv"], r, False)
    elif kind == "cut-price-mid":
        f[day_file] = cut(f[day_file], r, True)
    elif kind == "typo-event-program":
        f["events.csv"] = f["events.csv"].replace(",EDRP,", ",EDRP2,", 1)
    elif kind == "typo-offer-site":
        f["offers.csv"] += "S9,EDRP,400.00\n"
    elif kind == "typo-zone":
        f["sites.csv"] = f["sites.csv"].replace(",LONGIL,", ",LONGI,", 1).replace(
            ",N.Y.C.,", ",NYC,", 1)
    elif kind == "typo-contract-program":
        f["contracts.csv"] += "S1,Alpha Co,10,LIPA2\n"
    elif kind == "typo-cbl-event":
        lines = f["cbl.csv"].splitlines(keepends=True)
        i = r.randint(1, len(lines) - 1)
        cells = lines[i].split(",")
        cells[1] += "X"
        lines[i] = ",".join(cells)
        f["cbl.csv"] = "".join(lines)
    elif kind == "price":
        lines = f[day_file].splitlines(keepends=True)
        i = r.randint(13 * 24 + 1, 18 * 24)	# 13:00-18:00
        cells = lines[i].split(",")
        cells[3] = "%s\n" % (Decimal(cells[3]) + Decimal(r.randint(1, 50000)) / 100)
        lines[i] = ",".join(cells)
        f[day_file] = "".join(lines)
    else:
        lines = f["cbl.csv"].splitlines(keepends=True)
        i = r.randint(1, len(lines) - 1)
        cells = lines[i].split(",")
        if cells[9]:
            cells[9] = "%.3f" % (Decimal(cells[9]) + Decimal(r.randint(1, 99999)) / 1000)
        lines[i] = ",".join(cells)
        f["cbl.csv"] = "".join(lines)
    return f


# --- the runs -----------------------------------------------------------------

def write(dirname, files):
    for name, text in files.items():
        path = os.path.join(dirname, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", newline="") as fp:
            fp.write(text)


def tree(path):
    """Every file under path with its bytes (links as their target)."""
    out = {}
    for root, dirs, names in os.walk(path):
        for n in names + dirs:
            p = os.path.join(root, n)
            if os.path.islink(p):
                out[os.path.relpath(p, path)] = "-> " + os.readlink(p)
            elif os.path.isfile(p):
                with open(p, "rb") as fp:
                    out[os.path.relpath(p, path)] = fp.read()
    return out


def monthly(src, work, *args):
    conf = os.path.join(work, "m.conf")
    with open(conf, "w") as fp:
        fp.write("OUT=out\nSITES=in/sites.csv\nPROGRAMS=in/programs.csv\n"
                 "CONTRACTS=in/contracts.csv\nEVENTS=in/events.csv\n"
                 "OFFERS=in/offers.csv\nRT_DIR=in/prices\n")
    p = subprocess.run([os.path.join(src, "scripts", "monthly"), "-c", conf, "-m", MONTH,
                        "--cbl", os.path.join(work, "in", "cbl.csv")] + list(args),
                       cwd=work, capture_output=True, text=True)
    return p.returncode, p.stderr


def expect(files):
    try:
        return oracle(files)
    except Refused as e:
        return e


def check(src, work, files, label, restate, failures):
    """Runs the month on files; checks the invariant.  True: accepted."""
    shutil.rmtree(os.path.join(work, "in"), ignore_errors=True)
    write(os.path.join(work, "in"), files)
    cur = os.path.join(work, "out", MONTH, "current")
    before = tree(os.path.join(work, "out", MONTH)) if os.path.exists(cur) else None
    st, err = monthly(src, work, *(["--restate"] if restate else []))
    want = expect(files)
    if st == 0:
        if isinstance(want, Refused):
            failures.append("%s: exit 0, the oracle refuses (%s)" % (label, want))
            return True
        got = read_statements(os.path.join(cur, "statements.csv"))
        if got != want:
            diff = sorted(set(got.items()) ^ set(want.items()))[:4]
            failures.append("%s: statements differ from the oracle: %s" % (label, diff))
        return True
    if before is not None and tree(os.path.join(work, "out", MONTH)) != before:
        failures.append("%s: exit %d and the month changed" % (label, st))
    if not isinstance(want, Refused) and (st != 65 or "differ" not in err):
        failures.append("%s: exit %d, the oracle accepts: %s" % (label, st, err.strip()[:300]))
    return False


def main():
    src, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20221207
    os.environ["PATH"] = os.path.join(build, "cmd") + os.pathsep + os.environ["PATH"]
    os.environ["LC_ALL"] = "C"
    os.environ.pop("TZ", None)
    r = random.Random(seed)
    failures, kinds = [], {}
    with tempfile.TemporaryDirectory(prefix="dg-property.") as tmp:
        for i in range(n):
            work = os.path.join(tmp, "p%d" % i)
            os.makedirs(work)
            files = portfolio(r)
            while isinstance(expect(files), Refused):
                files = portfolio(r)	# calls that apply to no site: again
            label = "portfolio %d (seed %d)" % (i, seed)
            if not check(src, work, files, label, False, failures):
                failures.append("%s: the good month was refused" % label)
                continue
            # the same inputs again: nothing changes
            st, _ = monthly(src, work)
            if st != 0 or os.readlink(os.path.join(work, "out", MONTH, "current")) != "v1":
                failures.append("%s: a run again with the same inputs: exit %d" % (label, st))
            kind = FAULTS[i % len(FAULTS)]
            bad = fault(files, r, kind)
            if kind in ("price", "reduction"):
                # changed inputs without --restate: refused, v1 kept
                before = tree(os.path.join(work, "out", MONTH))
                write(os.path.join(work, "in"), bad)
                st, _ = monthly(src, work)
                if st == 0 and expect(bad) != expect(files):
                    failures.append("%s: changed inputs accepted without --restate" % label)
                if st != 0 and tree(os.path.join(work, "out", MONTH)) != before:
                    failures.append("%s: a refused run changed the month" % label)
            accepted = check(src, work, bad, "%s, fault %s" % (label, kind), True, failures)
            kinds.setdefault(kind, [0, 0])[0 if accepted else 1] += 1
            shutil.rmtree(work)
    for k in sorted(kinds):
        print("%-22s accepted %d, refused %d" % (k, kinds[k][0], kinds[k][1]))
    for f in failures:
        print("FAIL:", f)
    print("settle-property: %d portfolios, %d failures" % (n, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
