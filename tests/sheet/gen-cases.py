#!/usr/bin/env python3
"""gen-cases.py: writes the spreadsheet golden cases (tests/cases/PROG-sheet-*
and PROG-bad-sheet-*): each program's main input as a spreadsheet saves it.

Every case builds its input from a file under testdata/ with the filter
tests/sheet/sheet.awk (the transformation named by the case), so the cases
hold no data.  Accepted forms (BOM, CRLF, trailing blank lines, ';' with
decimal commas) must give output byte-identical to the plain file's;
rejected forms (thousands separators, a repeated header) must fail with one
line naming file:line: column, exit 65, and leave no -o file.  Excel's date
forms (M/D/YYYY H:MM, a 12-hour clock) are read (lib/dg_time.c); decimal
commas in a file delimited by ';' are read (lib/dg_csv.c).

The expected stdout/stderr/status are recorded by tests/golden.sh with
DG_GOLDEN_RECORD=1 and reviewed by hand.  usage: gen-cases.py (from the top)
"""
import os

# program: (source command writing the plain input to stdout,
#           time column, value column, command with IN for the input,
#           setup, cleanup)
P = {
    "pulse2kwh": dict(
        src="head -n 40 testdata/sample/pulses-2017-11.csv",
        t=2, v=3, big="123456",
        run="dg-pulse2kwh --sites testdata/sample/sites.csv TZ -o OUT IN",
    ),
    "cbl": dict(
        src="cat testdata/cbl/hand-load.csv",
        t=2, v=3, big="1234.5",
        run="dg-cbl --events testdata/cbl/hand-events.csv TZ -o OUT IN",
    ),
    "ucap": dict(
        setup="printf 'site,name,cmd_kw\\nX1,hand example,40.125\\n' >sites.csv\n"
              "printf 'event,program,date,start,end\\nT1,SCR,2017-07-19,14:00,15:00\\n' >ev.csv\n",
        src="printf 'site,time,load_kw\\nX1,2016-06-20T15:00:00-04:00,522.25\\n"
            "X1,2016-06-21T15:00:00-04:00,300.0\\nX1,2016-07-20T15:00:00-04:00,600.0\\n"
            "X1,2016-08-11T15:00:00-04:00,655.75\\nX1,2016-09-07T15:00:00-04:00,580.5\\n"
            "X1,2017-07-19T14:00:00-04:00,100.625\\n'",
        t=2, v=3, big="1522.25",
        run="dg-ucap --sites sites.csv --events ev.csv --apmd-months 6,7,8,9 "
            "--month 2017-07:2017-08 TZ -o OUT IN",
        cleanup="rm -f sites.csv ev.csv",
    ),
    "settle": dict(
        src="cat testdata/settle/cbl-2022.csv",
        t=5, v=10, big="1610.000",
        run="dg-settle pay --programs testdata/settle/programs.csv --zone LONGIL "
            "--rt-prices testdata/sample/prices/20220720realtime_zone.csv "
            "--rt-prices testdata/sample/prices/20221106realtime_zone.csv "
            "--offers testdata/settle/offers-2022.csv TZ -o OUT IN",
    ),
    "forecast": dict(
        src="awk -F, 'NR == 1 || ($1 == \"LI01\" && $2 >= \"2017-05-01T\" && $2 < \"2017-07-01T\")' "
            "testdata/sample/load-2017.csv",
        t=2, v=3, big="1212.5",
        run="dg-forecast fit --sites testdata/sample/sites.csv "
            "--weather testdata/sample/weather-2017.csv --asof 2017-07-01 TZ -o OUT IN",
    ),
    "fetch": dict(
        src="cat testdata/fetch/20170719damlbmp_zone.csv",
        t=1, v=4, big="1025.59", native=True,
        run="dg-fetch nyiso-dam --file IN TZ -o OUT",
    ),
    "gencost": dict(
        src="cat testdata/bid/forecast-2017-07-21.csv",
        t=2, v=3, big="1234.5",
        run="dg-gencost --generators testdata/sample/generators.csv "
            "--weather testdata/sample/weather-2017.csv TZ -o OUT IN",
    ),
    "blockopt": dict(
        src="dg-gencost --generators testdata/sample/generators.csv "
            "--weather testdata/sample/weather-2017.csv "
            "testdata/bid/forecast-2017-07-21.csv 2>/dev/null",
        t=2, v=6, big="1233.600",
        run="dg-blockopt --blocks 3 TZ -o OUT IN",
    ),
    "bid": dict(
        src="cat testdata/bid/blocks-2017-07-21.csv",
        t=1, v=6, big="1200", offsets=True,
        run="dg-bid --date 2017-07-21 --late --now 2017-07-21T10:00:00-04:00 TZ -o OUT IN",
    ),
    "schedule": dict(
        src="cat testdata/bid/blocks-2017-07-21.csv",
        t=1, v=7, big="1212.44", offsets=True,
        run="dg-schedule --date 2017-07-21 --blocks IN "
            "--prices testdata/sample/prices/20170721damlbmp_zone.csv "
            "--units testdata/bid/units-2017-07-21.csv "
            "--generators testdata/sample/generators.csv TZ -o OUT",
    ),
}

# transformation: (kind, awk mode, description)
T = [
    ("sheet-bom", "ok", "bom", "a UTF-8 BOM before the header (Excel's \"CSV UTF-8\")"),
    ("sheet-crlf", "ok", "crlf", "CRLF line ends (Excel on Windows)"),
    ("sheet-trailing-blank", "ok", "blank", "blank lines after the last row"),
    ("sheet-semicolon-comma", "ok", "semicolon",
     "';' as the delimiter and decimal commas (a European locale)"),
    ("bad-sheet-thousands", "bad", "thousands",
     "a quoted value with a thousands separator (\"1,234.5\")"),
    ("bad-sheet-header-repeated", "bad", "header",
     "the header row again in the middle (two exports joined)"),
    ("sheet-excel-date", "ok", "usdate",
     "Excel's date format M/D/YYYY H:MM (7/14/2017 14:00), with --tz"),
    ("sheet-excel-ampm", "ok", "ampm",
     "Excel's YYYY-MM-DD h:MM:SS AM/PM (2017-07-14 2:00:00 PM), with --tz"),
]

for prog, p in P.items():
    for name, kind, mode, desc in T:
        if p.get("offsets") and mode in ("usdate", "ampm"):
            # reads another program's output, whose stamps carry offsets:
            # a naive stamp there is refused whatever its form
            name, kind = "bad-" + name, "bad"
        d = f"tests/cases/{prog}-{name}"
        os.makedirs(d, exist_ok=True)
        tz = "--tz America/New_York" if mode in ("usdate", "ampm") else ""
        if p.get("native") and mode in ("usdate", "ampm"):
            tz = ""
        awk = (f"awk -v mode={mode} -v t={p['t']} -v v={p['v']} -v big={p['big']} "
               f"-f \"$DG_TESTDATA/../tests/sheet/sheet.awk\"")
        run = p["run"].replace("TZ ", tz + " " if tz else "")
        lines = [f"# {prog}: its main input with {desc}.",
                 "# Generated by tests/sheet/gen-cases.py; the input is built from testdata/."]
        if kind == "ok":
            lines.append("# Accepted: the output must be byte-identical to the plain file's.")
        else:
            lines.append("# Rejected: one line naming file:line: column, status 65, no -o file.")
        lines.append(p.get("setup", "").rstrip("\n"))
        lines.append(f"{p['src']} >plain.csv")
        lines.append(f"{awk} plain.csv >in.csv")
        if kind == "ok":
            lines.append(run.replace("IN", "plain.csv").replace("OUT", "a.csv") + " 2>/dev/null")
            lines.append(run.replace("IN", "in.csv").replace("OUT", "b.csv"))
            lines.append("st=$?")
            lines.append("cmp a.csv b.csv && echo identical output")
        else:
            lines.append(run.replace("IN", "in.csv").replace("OUT", "out.csv"))
            lines.append("st=$?")
        lines.append("rm -f plain.csv in.csv a.csv b.csv")
        if p.get("cleanup"):
            lines.append(p["cleanup"])
        lines.append("exit $st")
        with open(f"{d}/cmd", "w") as f:
            f.write("\n".join(l for l in lines if l) + "\n")
