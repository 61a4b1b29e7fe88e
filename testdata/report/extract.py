#!/usr/bin/env python3
"""Re-create the CSV files in this directory from the seed report text.

Documentation of provenance, not a build step.  Every number in the CSVs is
copied character for character from the cited line of the seed text; the
only changes are: thousands separators removed, "\\$" and "%" dropped,
and cells split on TAB.  Nothing is recomputed here (see check.py for
that).  Each table is located by fixed line numbers, and the title line is
asserted, so a different seed file makes this script stop.

Usage: python3 extract.py REPORT.txt [OUTDIR]
REPORT.txt is the plain-text extraction of the NREL report (NREL/SR-560-36662,
see doc/market-rules.md, Sources) whose line numbers the CSVs cite; the tree
does not hold it.  Standard library only.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

if len(sys.argv) < 2:
    sys.exit("usage: extract.py REPORT.txt [OUTDIR]")
SEED = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else HERE
with open(SEED, encoding="utf-8") as f:
    LINES = f.read().split("\n")


def line(n):
    """1-based line n of the seed, without the newline."""
    return LINES[n - 1]


def cells(n):
    return line(n).split("\t")


def expect(n, text):
    if line(n).strip() != text:
        sys.exit("line %d: expected %r, found %r" % (n, text, line(n)))


def num(s):
    """Printed number -> CSV text: drop thousands commas, '\\$', '$', '%'.
    Digits, sign and decimal places are kept exactly as printed."""
    s = s.strip().replace("\\$", "").replace("$", "").replace("%", "")
    s = s.replace(",", "")
    if s == "":
        return ""
    float(s)  # must be a number
    return s


def write(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


# ---------------------------------------------------------------------------
# Tables 18-25: curtailment by site and hour ending
# (table, date, title line, header line, first site line, last site line,
#  total line, MWh line, average line, hour endings, inferred hour endings)
CURT = [
    (18, "2001-08-07", 2005, "Table 18. Aug. 7, 2001, Curtailment (MW)",
     2008, 2009, 2017, 2018, 2019, 2020, [16, 17, 18, 19], {19}),
    (19, "2001-08-08", 2026, "Table 19. Aug. 8, 2001, Curtailment (MW)",
     2029, 2030, 2043, 2044, 2045, 2046, [14, 15, 16, 17, 18], set()),
    (20, "2001-08-09", 2052, "Table 20. Aug. 9, 2001, Curtailment (MW)",
     2055, 2056, 2071, 2072, 2073, 2074,
     [12, 13, 14, 15, 16, 17, 18, 19], {19}),
    (21, "2001-08-10", 2080, "Table 21. Aug. 10, 2001, Curtailment (MW)",
     2083, 2084, 2097, 2098, 2099, 2100, [14, 15, 16, 17, 18], set()),
    (22, "2002-04-17", 2114, "Table 22. April 17, 2002, Curtailment (MW)",
     2117, 2118, 2125, 2126, 2127, 2128, [15, 16, 17], set()),
    (23, "2002-04-18", 2134, "Table 23. April 18, 2002, Curtailment (MW)",
     2137, 2138, 2146, 2147, 2148, 2149, [13, 14, 15, 16, 17, 18], set()),
    (24, "2002-07-30", 2170, "Table 24. July 30, 2002, Curtailment (MW)",
     2173, 2174, 2188, 2189, 2190, 2191, [14, 15, 16, 17, 18], set()),
    (25, "2002-08-14", 2197, "Table 25. Aug. 14, 2002, Curtailment (MW)",
     2200, 2201, 2221, 2222, 2223, 2224, [14, 15, 16, 17, 18], set()),
]


def row_cells(n):
    """Cells of a table row with empty leading cells removed (Table 25
    rows start with an empty cell) and trailing empty cells removed."""
    c = cells(n)
    while c and c[0] == "":
        c = c[1:]
    while c and c[-1] == "":
        c = c[:-1]
    return c


summary = []
columns = []
for (tab, date, tl, title, hl, r0, r1, tot, mwh, avg, hours, inferred) in CURT:
    expect(tl, title)
    labels = [x for x in row_cells(hl) if x != "PTID"]
    printed = [h for h in hours if h not in inferred]
    if labels != ["%d:00" % h for h in printed]:
        sys.exit("table %d header %r does not match %r" % (tab, labels, printed))
    for i, h in enumerate(hours, 1):
        columns.append([tab, date, i, h,
                        "" if h in inferred else "%d:00" % h, hl])
    rows = []
    for n in range(r0, r1 + 1):
        c = row_cells(n)
        if len(c) != len(hours) + 1 or not c[0].startswith("ELE"):
            sys.exit("table %d line %d: bad row %r" % (tab, n, c))
        for h, v in zip(hours, c[1:]):
            rows.append([date, c[0], h, num(v)])
    write("table%02d_%s_sites.csv" % (tab, date),
          ["date", "site", "hour_ending", "mw"], rows)
    c = row_cells(tot)
    assert c[0] == "Total" and len(c) == len(hours) + 1, (tab, c)
    write("table%02d_%s_totals.csv" % (tab, date),
          ["date", "hour_ending", "total_mw"],
          [[date, h, num(v)] for h, v in zip(hours, c[1:])])
    cm = row_cells(mwh)
    ca = row_cells(avg)
    assert cm[0] == "Total MWh" and len(cm) == 2, cm
    assert ca[0] == "Average MW" and len(ca) == 2, ca
    summary.append([tab, date, num(cm[1]), num(ca[1]), mwh, avg])

write("curtailment-summary.csv",
      ["table", "date", "total_mwh", "average_mw",
       "source_line_total_mwh", "source_line_average_mw"], summary)
write("curtailment-columns.csv",
      ["table", "date", "column", "hour_ending", "label_as_printed",
       "source_line"], columns)

# ---------------------------------------------------------------------------
# Table 26: blackout summary (no hourly data)
expect(2266, "Table 26. Curtailment Results During the Aug. 15 and 16, 2003, Blackout")
rows = []
for n in range(2269, 2273):
    c = cells(n)
    rows.append([c[0], c[1], num(c[2]), num(c[3]) if len(c) > 3 else "", n])
write("table26_2003-08-15_16_blackout.csv",
      ["quantity", "unit", "aug_15_2003", "aug_16_2003", "source_line"], rows)

# ---------------------------------------------------------------------------
# Table 13: shadow experiment summary
expect(1659, "Table 13. Shadow Experiment Summary")
UNITS13 = {
    1662: ("Total Energy", "MWh"),
    1663: ("Total DA Energy Cost", "USD"),
    1664: ("Total DA Revenue", "USD"),
    1665: ("RT Reconciliation", "USD"),
    1666: ("Total Energy Cost", "USD"),
    1667: ("Average Energy Cost", "USD/MWh"),
    1668: ("LIPA Delivery Charge ($55/MWh)", "USD"),
    1669: ("Average Total Cost", "USD/MWh"),
}
assert cells(1661)[1:] == ["Jul", "Aug", "Sep", "Oct", "Total"], cells(1661)
rows = []
for n in range(1662, 1670):
    c = cells(n)
    assert len(c) == 6, c
    label, unit = UNITS13[n]
    rows.append([c[0].replace("\\$", "$"), label, unit]
                + [num(x) for x in c[1:]] + [n])
write("table13_shadow_summary.csv",
      ["row_as_printed", "quantity", "unit", "jul_2002", "aug_2002",
       "sep_2002", "oct_2002", "total", "source_line"], rows)

# ---------------------------------------------------------------------------
# Tables 9-12: shadow experiment bids, DAM prices, self-generation
expect(1614, "Table 9. Average Hourly Bid Prices (\\$/MWh)")
write("table09_bid_prices_usd_per_mwh.csv",
      ["block", "jul_2002", "aug_2002", "sep_2002", "oct_2002", "source_line"],
      [[cells(n)[0]] + [num(x) for x in cells(n)[1:]] + [n]
       for n in range(1617, 1620)])
expect(1623, "Table 10. Long Island Day-Ahead Prices (\\$/MWh)")
write("table10_li_dam_prices_usd_per_mwh.csv",
      ["month_2002", "min", "max", "avg", "source_line"],
      [[cells(n)[0]] + [num(x) for x in cells(n)[1:]] + [n]
       for n in range(1626, 1630)])
expect(1633, "Table 11. Hours of Self-Generation")
expect(1643, "Table 12. Megawatt-Hours of Self-Generation")
for tab, first, last, name, unit in ((11, 1636, 1639, "hours", "h"),
                                     (12, 1646, 1649, "mwh", "MWh")):
    rows = [[cells(n)[0]] + [num(x) for x in cells(n)[1:]] + [n]
            for n in range(first, last)]
    write("table%02d_self_generation_%s.csv" % (tab, name),
          ["block", "jul_2002", "aug_2002", "sep_2002", "oct_2002",
           "source_line"], rows)
    c = cells(last)
    assert c[0] == "Total", c
    write("table%02d_self_generation_%s_totals.csv" % (tab, name),
          ["row", "jul_2002", "aug_2002", "sep_2002", "oct_2002",
           "source_line"], [[c[0]] + [num(x) for x in c[1:]] + [last]])

# ---------------------------------------------------------------------------
# Table 14, 15, 16, 17 and the appendix (ICAP/UCAP)
expect(1848, "Table 14. Electrotek's Distributed Generation Portfolio")
assert cells(1850)[1:] == ["NYISO SCR", "NYISO EDRP", "LSE LIPA",
                           "LSE New York Power Authority", "LSE Con Edison",
                           "Total"], cells(1850)
rows = []
for n, unit in ((1851, "MW"), (1852, "count")):
    c = cells(n)
    rows.append([c[0], unit] + [num(x) for x in c[1:]] + [n])
write("table14_portfolio_summer_2003.csv",
      ["row_as_printed", "unit", "nyiso_scr", "nyiso_edrp", "lse_lipa",
       "lse_nypa", "lse_con_edison", "total", "source_line"], rows)

expect(1862, "Table 15. EFORd Values")
hdr = cells(1864)
val = cells(1865)
MON = {"Jun": "06", "Oct": "10", "Sep": "09"}
rows = []
for h, v in zip(hdr, val):
    m, y = h.split()
    rows.append([h, "%s-%s" % (y, MON[m]), num(v), 1865])
write("table15_eford_pct.csv",
      ["period_as_printed", "month", "eford_pct", "source_line"], rows)

expect(1926, "Table 16. InfoNode Metering Reliability")
rows = [[cells(n)[0], num(cells(n)[1]), n] for n in range(1929, 1942)]
write("table16_infonode_availability_pct.csv",
      ["month_as_printed", "availability_pct", "source_line"], rows)
write("table16_infonode_availability_pct_totals.csv",
      ["row_as_printed", "availability_pct", "source_line"],
      [[cells(1942)[0], num(cells(1942)[1]), 1942]])

expect(1952, "Table 17. Generator Reliability")
assert cells(1954) == ["SCR #", "Locality", "ICAP", "Availability", "UCAP"] * 2
rows_l, rows_r = [], []
for n in range(1955, 1971):
    c = cells(n)
    assert len(c) == 10, c
    rows_l.append([c[0], c[1], num(c[2]), num(c[3]), num(c[4]), n, "left"])
    rows_r.append([c[5], c[6], num(c[7]), num(c[8]), num(c[9]), n, "right"])
write("table17_generator_reliability.csv",
      ["scr_id", "locality", "icap_mw", "availability_pct", "ucap_mw",
       "source_line", "printed_half"], rows_l + rows_r)

expect(2520, "Appendix: Unforced Capacity Data")
AP_HDR = ["EDRP ID", "Zone", "SCR ID", "Jun-01", "Sep-01", "Dec-01", "Mar-02",
          "Jun-02", "Sep-02", "Dec-02", "Mar-03", "Jun-03", "Sep-03"]
assert cells(2522) == AP_HDR and cells(2559) == AP_HDR
rows = []
for n in list(range(2523, 2558)) + list(range(2560, 2588)):
    c = cells(n)
    assert len(c) == 13, (n, c)
    rows.append(c[0:3] + [num(x) for x in c[3:]] + [n])
write("appendix_ucap_history_mw.csv",
      ["edrp_id", "zone", "scr_id", "jun_2001", "sep_2001", "dec_2001",
       "mar_2002", "jun_2002", "sep_2002", "dec_2002", "mar_2003", "jun_2003",
       "sep_2003", "source_line"], rows)
c = cells(2588)
assert c[0] == "Total" and len(c) == 13, c
write("appendix_ucap_history_mw_totals.csv",
      ["row", "jun_2001", "sep_2001", "dec_2001", "mar_2002", "jun_2002",
       "sep_2002", "dec_2002", "mar_2003", "jun_2003", "sep_2003",
       "source_line"], [[c[0]] + [num(x) for x in c[3:]] + [2588]])

# ---------------------------------------------------------------------------
# Tables 27, 28, 29: load and weather forecast accuracy
expect(2349, "Table 27. Building Load Forecast Accuracy (June 2003)")
rows = []
for n in range(2353, 2361):
    c = cells(n)
    assert len(c) == 7, c
    rows.append([c[0]] + [num(x) for x in c[1:]] + [n])
H27 = ["building", "avg_hourly_real_kw", "avg_hourly_forecast_kw",
       "abs_err_avg_hourly_kw", "abs_err_max_hourly_kw", "err_avg_hourly_pct",
       "err_max_hourly_pct", "source_line"]
write("table27_load_forecast_accuracy_2003-06.csv", H27, rows)
c = cells(2361)
assert c[0] == "Total"
write("table27_load_forecast_accuracy_2003-06_totals.csv", H27,
      [[c[0]] + [num(x) for x in c[1:]] + [2361]])

expect(2373, "Table 28. Accuracy of Weather Forecast")
dates = cells(2376)[1:10]
assert dates == ["6/5", "6/6", "6/7", "6/8", "6/10", "6/11", "6/12", "6/13",
                 "6/14"], dates
rows = []
for hrs, fc, df in ((2377, 2378, 2379), (2380, 2381, 2382),
                    (2383, 2384, 2385)):
    ch, cf, cd = cells(hrs), cells(fc), cells(df)
    event = cf[11]
    real = num(cf[10])
    for i, d in enumerate(dates):
        mo, dy = d.split("/")
        rows.append([event, "2003-%02d-%02d" % (int(mo), int(dy)),
                     num(ch[1 + i]), num(cf[1 + i]), num(cd[1 + i]), real,
                     hrs, fc, df])
write("table28_weather_forecast_2003-06-15.csv",
      ["event_time", "forecast_date", "hours_before_event_hr",
       "forecast_temp_f", "difference_f", "real_temp_f",
       "source_line_hours", "source_line_forecast_and_real",
       "source_line_difference"], rows)

expect(2400, "Table 29. Effect of Weather Forecast on Building Load Forecast")
H29 = ["time", "tf_f", "tr_f", "ltf_kw", "ltr_kw", "lr_kw", "etf_kw",
       "etr_kw", "etf_pct", "etr_pct", "source_line"]
assert row_cells(2403) == ["TF", "TR", "LTf", "LTr", "LR", "Etf kW", "Etr kW",
                           "Etf %", "Etr %"], row_cells(2403)
rows = []
for n in range(2404, 2428):
    c = row_cells(n)
    assert len(c) == 10, c
    rows.append([c[0]] + [num(x) for x in c[1:]] + [n])
write("table29_2003-06-15_hourly.csv", H29, rows)
rows = []
for n in (2428, 2429):
    c = cells(n)
    assert c[1:6] == [""] * 5, c
    rows.append([c[0]] + [num(x) for x in c[6:10]] + [n])
write("table29_2003-06-15_summary.csv",
      ["row_as_printed", "etf_kw", "etr_kw", "etf_pct", "etr_pct",
       "source_line"], rows)

# ---------------------------------------------------------------------------
# Tables 6, 7, 8: reference
expect(795, "Table 6. Site Profiles")
UNITS6 = {798: "USD/site", 799: "USD/site", 800: "USD/MWh", 801: "MW",
          802: "USD/site", 803: "USD/site (unit not printed)",
          804: "USD/site"}
rows = []
for n in range(798, 805):
    c = cells(n)
    rows.append([c[0].replace("\\$", "$"), UNITS6[n], num(c[1]), num(c[2]), n])
write("table06_site_profiles.csv",
      ["row_as_printed", "unit", "two_750kw_turbine_site",
       "two_300kw_diesel_site", "source_line"], rows)

expect(828, "Table 7. One-Year Financial Summary")
c = cells(831)
assert c[0] == "Sites"
rows = [["Sites (printed cell)", "text"] + c[1:] + [831]]
for lab, idx in (("Sites", 0), ("Turbine sites", 2), ("Diesel sites", 4)):
    r = [lab + " (number taken from the Sites cell)", "count"]
    for x in c[1:]:
        r.append(x.replace(",", "").split()[idx])
    rows.append(r + [831])
for n in range(832, 837):
    c = cells(n)
    rows.append([c[0], "USD"] + [num(x) for x in c[1:]] + [n])
write("table07_one_year_financial_summary.csv",
      ["row", "unit", "portfolio_1_15mw_turbine_15mw_diesel",
       "portfolio_2_12mw_turbine_18mw_diesel",
       "portfolio_3_18mw_turbine_12mw_diesel", "source_line"], rows)

expect(1495, "Table 8. Participating Sites")
rows = [[num(x) for x in cells(n)] + [n] for n in range(1498, 1508)]
H8 = ["site_number", "peak_load_kw", "curtailed_kw", "installed_dg_kw",
      "source_line"]
write("table08_participating_sites.csv", H8, rows)
c = cells(1508)
assert c[0] == "Total"
write("table08_participating_sites_totals.csv",
      ["row"] + H8[1:], [[c[0]] + [num(x) for x in c[1:4]] + [1508]])

print("wrote CSV files to", OUT)
