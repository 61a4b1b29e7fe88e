#!/usr/bin/env python3
"""Recompute the sums and ratios of the tables transcribed in this directory
and print every internal inconsistency of the source report, table by table.

Documentation, not a test: it always exits 0.  It reads only the CSV files
next to it (not the seed text) and uses exact decimal arithmetic.
"Agrees" means the recomputed value, rounded half-up to the number of
decimals the report printed, equals the printed value.

Usage: python3 check.py            (standard library only)
"""
import csv
import datetime
import os
from collections import OrderedDict
from decimal import Decimal, ROUND_HALF_UP, ROUND_FLOOR

HERE = os.path.dirname(os.path.abspath(__file__))
EDRP_PRICE = Decimal("500")  # USD/MWh, seed lines 477, 778, 820
FINDINGS = []                # (section, text): not explained by rounding
ROUNDED = []                 # (section, text): explained by printed rounding
SUSPECT = []                 # (section, text): no arithmetic rule broken,
                             # but looks like a copy/fill-down error


def read(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def D(s):
    return Decimal(s) if s not in ("", None) else None


def places(s):
    s = str(s)
    return len(s.split(".")[1]) if "." in s else 0


def rnd(x, p):
    return x.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP)


def agrees(computed, printed_text):
    return rnd(computed, places(printed_text)) == D(printed_text)


CUR = None


def section(title):
    global CUR
    CUR = title
    print()
    print("=" * 78)
    print(title)
    print("=" * 78)


def ok(msg):
    print("  ok        " + msg)


def bad(msg):
    print("  MISMATCH  " + msg)
    FINDINGS.append((CUR, msg))


def rounding(msg):
    print("  ROUNDING  " + msg)
    ROUNDED.append((CUR, msg))


def suspect(msg):
    print("  SUSPECT   " + msg)
    SUSPECT.append((CUR, msg))


def info(msg):
    print("  note      " + msg)


def show(x):
    """Short display of an exact value (at most 4 decimals)."""
    if x == x.to_integral_value():
        return str(x.quantize(Decimal(1)))
    y = x.normalize()
    if -y.as_tuple().exponent > 4:
        return "%s..." % rnd(x, 4)
    return str(y)


def cmp(label, computed, printed_text, bound=None, extra=""):
    """Compare an exact recomputation with a printed number.  bound: the
    largest difference the rounding of the printed inputs can explain."""
    if agrees(computed, printed_text):
        ok("%s: printed %s, recomputed %s%s" % (label, printed_text,
                                               show(computed), extra))
        return True
    diff = D(printed_text) - computed
    msg = ("%s: printed %s, recomputed %s (diff %s)%s"
           % (label, printed_text, show(computed), show(diff), extra))
    if bound is not None and abs(diff) <= bound:
        rounding(msg + "; within rounding (|diff| <= %s)" % show(bound))
    else:
        bad(msg + ("; NOT explained by rounding (bound %s)" % show(bound)
                   if bound is not None else ""))
    return False


def half(s):
    """Half a unit in the last printed place of s."""
    return Decimal(1).scaleb(-places(s)) / 2


# ---------------------------------------------------------------------------
STATED = {}
for r in read("stated-figures.csv"):
    STATED.setdefault((r["date"], r["quantity"]), r)


def stated(date, q):
    return STATED.get((date, q))


# Call windows as stated in the text, converted to the hour endings they
# cover (clock start hour + 1 .. clock end hour).  Lines 1994-1997, 2110,
# 2161-2162.
CALL_HE = {
    "2001-08-07": (range(16, 20), "3-7 p.m., line 1994"),
    "2001-08-08": (range(14, 20), "1-7 p.m., line 1995"),
    "2001-08-09": (range(12, 20), "11 a.m.-7 p.m., line 1996"),
    "2001-08-10": (range(14, 19), "1-6 p.m., line 1997"),
    "2002-04-17": (range(15, 18), "2-5 p.m., line 2110"),
    "2002-04-18": (range(13, 19), "noon-6 p.m., line 2110"),
    "2002-07-30": (range(14, 19), "1-6 p.m., line 2161"),
    "2002-08-14": (range(14, 19), "1-6 p.m., line 2162"),
}


def curtailment():
    summary = read("curtailment-summary.csv")
    cols = read("curtailment-columns.csv")
    by_day = OrderedDict()
    for s in summary:
        tab, date = int(s["table"]), s["date"]
        section("Table %d: curtailment %s (MW by site and hour ending)"
                % (tab, date))
        sites = read("table%02d_%s_sites.csv" % (tab, date))
        totals = read("table%02d_%s_totals.csv" % (tab, date))
        hours = [int(t["hour_ending"]) for t in totals]
        names = list(OrderedDict.fromkeys(r["site"] for r in sites))
        by_day[date] = {n: [r["mw"] for r in sites if r["site"] == n]
                        for n in names}
        inferred = [c["hour_ending"] for c in cols
                    if int(c["table"]) == tab and c["label_as_printed"] == ""]
        if inferred:
            info("hour ending %s has no printed label; inferred from the "
                 "call window (see README)" % ", ".join(inferred))
        # call window vs columns
        he, why = CALL_HE[date]
        if list(he) == hours:
            ok("columns HE %d-%d match the stated call window (%s)"
               % (hours[0], hours[-1], why))
        else:
            bad("columns HE %d-%d (%d h) but the stated call window %s "
                "covers HE %d-%d (%d h)" % (hours[0], hours[-1], len(hours),
                                            why, he[0], he[-1], len(he)))
        # number of sites
        st = stated(date, "sites")
        if st:
            if int(st["value"]) == len(names):
                ok("%d site rows; text says %s (line %s)"
                   % (len(names), st["value"], st["source_line"]))
            else:
                bad("%d site rows but the text says %s sites (line %s)"
                    % (len(names), st["value"], st["source_line"]))
        # hourly totals
        hsite = max(half(r["mw"]) for r in sites)
        for t in totals:
            h = int(t["hour_ending"])
            vals = [D(r["mw"]) for r in sites if int(r["hour_ending"]) == h]
            cmp("HE %d total vs sum of %d site values" % (h, len(vals)),
                sum(vals), t["total_mw"],
                bound=hsite * len(vals) + half(t["total_mw"]))
        # daily totals
        mwh_txt, avg_txt = s["total_mwh"], s["average_mw"]
        tsum = sum(D(t["total_mw"]) for t in totals)
        allsum = sum(D(r["mw"]) for r in sites)
        cmp("Total MWh vs sum of the printed hourly totals", tsum, mwh_txt,
            bound=len(totals) * half(totals[0]["total_mw"]) + half(mwh_txt))
        cmp("Total MWh vs sum of all printed site values", allsum, mwh_txt,
            bound=len(sites) * hsite + half(mwh_txt))
        cmp("Average MW vs printed Total MWh / %d hours" % len(hours),
            D(mwh_txt) / len(hours), avg_txt,
            bound=half(mwh_txt) / len(hours) + half(avg_txt))
        cmp("Average MW vs sum of site values / %d hours" % len(hours),
            allsum / len(hours), avg_txt,
            bound=len(sites) * hsite / len(hours) + half(avg_txt))
        # stated in the text
        for q, printed, unit in (("energy", mwh_txt, "MWh"),
                                 ("average", avg_txt, "MW")):
            st = stated(date, q)
            if not st:
                continue
            if D(st["value"]) == D(printed):
                ok("text %s %s %s (line %s) equals the table"
                   % (q, st["value"], unit, st["source_line"]))
            else:
                bad("text %s %s %s (line %s) but the table prints %s"
                    % (q, st["value"], unit, st["source_line"], printed))
        st = stated(date, "hours")
        if st and int(st["value"]) != len(hours):
            bad("text says %s hours (line %s) but the table has %d hour "
                "columns and its average uses %d"
                % (st["value"], st["source_line"], len(hours), len(hours)))
        elif st:
            ok("text says %s hours (line %s)" % (st["value"], st["source_line"]))
        st = stated(date, "edrp_revenue")
        if st:
            en = stated(date, "energy")
            qual = st["qualifier"]
            for label, mwh in (("text MWh %s" % en["value"], D(en["value"])),
                               ("table MWh %s" % mwh_txt, D(mwh_txt))):
                val = mwh * EDRP_PRICE
                rev = D(st["value"])
                if qual == "more than":
                    good = val > rev
                    rel = "> %s" % rev
                else:
                    good = val == rev
                    rel = "= %s" % rev
                msg = ("revenue: %s x $500 = %s; text says %s%s (line %s)"
                       % (label, val, (qual + " ") if qual else "", rev,
                          st["source_line"]))
                (ok if good else bad)(msg)
        elif date in ("2001-08-10",):
            info("no EDRP revenue is stated for this day; 61.4 x $500 would "
                 "be %s" % (D(mwh_txt) * EDRP_PRICE))
        rs = stated(date, "call_period_restated")
        if rs:
            bad("line %s restates the call as '%s' although 2 p.m.-6 p.m. is "
                "4 hours; line 2162 says 1-6 p.m.; the table has %d columns "
                "HE %d-%d" % (rs["source_line"], rs["value"], len(hours),
                              hours[0], hours[-1]))
        imp = stated(date, "average_improvement_over_previous_day")
        if imp:
            prev = stated("2002-04-17", "average")
            printed_prev = [x for x in summary if x["date"] == "2002-04-17"][0]
            d_text = D(stated(date, "average")["value"]) - D(prev["value"])
            d_tab = D(avg_txt) - D(printed_prev["average_mw"])
            msg = ("text: 10.4 MW is 'a 2.3 MW improvement' (line %s); "
                   "10.4 - text Apr 17 average 8.5 = %s; 10.4 - table Apr 17 "
                   "average 8.1 = %s" % (imp["source_line"], d_text, d_tab))
            (ok if d_text == D(imp["value"]) else bad)(msg)
    # repeated value runs across days (2001 tables only: 3-decimal values)
    section("Tables 18-21: identical runs of site values on different days")
    days = [d for d in by_day if d.startswith("2001")]
    found = False
    for i, d1 in enumerate(days):
        for d2 in days[i + 1:]:
            for site in by_day[d1]:
                if site not in by_day[d2]:
                    continue
                a, b = by_day[d1][site], by_day[d2][site]
                best = (0, 0, 0)
                for x in range(len(a)):
                    for y in range(len(b)):
                        k = 0
                        while x + k < len(a) and y + k < len(b) \
                                and a[x + k] == b[y + k]:
                            k += 1
                        if k > best[0]:
                            best = (k, x, y)
                k, x, y = best
                if k >= 3:
                    found = True
                    suspect("%s: %d consecutive identical values on %s (col %d-) "
                        "and %s (col %d-): %s"
                        % (site, k, d1, x + 1, d2, y + 1,
                           " ".join(a[x:x + k])))
    if not found:
        ok("none")
    # winter 2001-2002 revenue
    section("EDRP revenue stated for winter 2001-2002 (line 2151)")
    w = stated("2001-11/2002-04", "edrp_revenue_winter_capability_period")
    r17 = D(stated("2002-04-17", "edrp_revenue")["value"])
    e18 = D(stated("2002-04-18", "energy")["value"]) * EDRP_PRICE
    e17 = D(stated("2002-04-17", "energy")["value"]) * EDRP_PRICE
    tot = r17 + e18
    (ok if tot > D(w["value"]) else bad)(
        "Apr 17 stated $%s + Apr 18 62.2 x $500 = $%s; text: more than $%s"
        % (r17, tot, w["value"]))
    info("with Apr 17 at 24.2 x $500 = $%s the sum would be $%s"
         % (e17, e17 + e18))


# ---------------------------------------------------------------------------
def ratio_bound(num_txt, den_txt, printed_txt):
    """Largest |printed - num/den| explained by the rounding of the printed
    numerator, denominator and result."""
    n, d = D(num_txt), D(den_txt)
    hn, hd = half(num_txt), half(den_txt)
    q = n / d
    ext = [(n + a) / (d + b) for a in (-hn, hn) for b in (-hd, hd)]
    return max(abs(x - q) for x in ext) + half(printed_txt)


def table13():
    section("Table 13: shadow experiment summary (Jul-Oct 2002)")
    rows = {r["quantity"]: r for r in read("table13_shadow_summary.csv")}
    months = ["jul_2002", "aug_2002", "sep_2002", "oct_2002"]
    for q in ("Total Energy", "Total DA Energy Cost", "Total DA Revenue",
              "RT Reconciliation", "Total Energy Cost",
              "LIPA Delivery Charge ($55/MWh)"):
        r = rows[q]
        cmp("%s: Total column vs sum of months" % q,
            sum(D(r[m]) for m in months), r["total"],
            bound=4 * half(r["jul_2002"]) + half(r["total"]))
    E, C = rows["Total Energy"], rows["Total DA Energy Cost"]
    R, RT = rows["Total DA Revenue"], rows["RT Reconciliation"]
    TC, AC = rows["Total Energy Cost"], rows["Average Energy Cost"]
    L, AT = rows["LIPA Delivery Charge ($55/MWh)"], rows["Average Total Cost"]
    for m in months + ["total"]:
        cmp("%s Total Energy Cost = DA cost - DA revenue - RT reconciliation"
            % m, D(C[m]) - D(R[m]) - D(RT[m]), TC[m], bound=Decimal("2"))
    for m in months + ["total"]:
        cmp("%s Average Energy Cost = Total Energy Cost / Total Energy" % m,
            D(TC[m]) / D(E[m]), AC[m], bound=ratio_bound(TC[m], E[m], AC[m]),
            extra="; with the energy implied by LIPA/55 (%s): %s"
            % (rnd(D(L[m]) / 55, 2), rnd(D(TC[m]) / (D(L[m]) / 55), 4)))
    for m in months + ["total"]:
        cmp("%s LIPA Delivery = 55 x Total Energy" % m,
            D(E[m]) * 55, L[m], bound=55 * half(E[m]) + half(L[m]),
            extra="; implied energy LIPA/55 = %s" % rnd(D(L[m]) / 55, 2))
    for m in months + ["total"]:
        cmp("%s Average Total Cost = Average Energy Cost + 55" % m,
            D(AC[m]) + 55, AT[m], bound=half(AC[m]) + half(AT[m]))
        tot = str(D(TC[m]) + D(L[m]))
        cmp("%s Average Total Cost = (Energy Cost + LIPA) / Total Energy" % m,
            D(tot) / D(E[m]), AT[m], bound=ratio_bound(tot, E[m], AT[m]))
    info("text line 1657 calls $105.66/MWh 'the average energy cost'; in the "
         "table 105.66 is the Average Total Cost (energy cost 50.65)")
    info("line 1657 says energy cost includes the generating cost and the "
         "LIPA delivery charge; in the table 'Total Energy Cost' = DA cost - "
         "DA revenue - RT reconciliation, and LIPA is added only in 'Average "
         "Total Cost'")


def tables_9_to_12():
    section("Tables 11 and 12: self-generation hours and MWh (2002)")
    months = ["jul_2002", "aug_2002", "sep_2002", "oct_2002"]
    for name in ("table11_self_generation_hours", "table12_self_generation_mwh"):
        rows = read(name + ".csv")
        tot = read(name + "_totals.csv")[0]
        for m in months:
            cmp("%s %s Total vs sum of blocks" % (name[:7], m),
                sum(D(r[m]) for r in rows), tot[m])
    t12 = read("table12_self_generation_mwh_totals.csv")[0]
    s = sum(D(t12[m]) for m in months)
    (ok if s > 95 else bad)("Table 12 Jul-Oct total %s MWh; text line 1641 "
                            "'more than 95 MWh'" % s)
    h = read("table11_self_generation_hours.csv")
    e = read("table12_self_generation_mwh.csv")
    for rh, re_ in zip(h, e):
        for m in months[:2]:
            mw = D(re_[m]) / D(rh[m])
            (ok if mw >= 1 else bad)("%s %s: %s MWh / %s h = %s MW (blocks "
                                     "must be >= 1 MW, line 1572)"
                                     % (rh["block"], m, re_[m], rh[m],
                                        rnd(mw, 3)))
    bad("text line 1631 says 'six days: August 2 and 13-16' but lists 5 days")
    info("text line 1621 says Table 10 covers July-September; it has Jul-Oct. "
         "Lines 1621/1631 cite 'Table 3'/'Table 4' for Tables 10/11")


def table14_17():
    section("Table 14: portfolio summer 2003")
    cols = ["nyiso_scr", "nyiso_edrp", "lse_lipa", "lse_nypa",
            "lse_con_edison"]
    for r in read("table14_portfolio_summer_2003.csv"):
        s = sum(D(r[c]) for c in cols)
        info("%s: sum of programs %s, printed Total %s (the text, line 1856, "
             "says the total column is not a sum across rows)"
             % (r["row_as_printed"], s, r["total"]))
    t14 = read("table14_portfolio_summer_2003.csv")
    bad("Table 14 Total participants %s; line 1846 says 58 sites enrolled in "
        "five programs; line 2232 says 47 participants, 29.3 MW (Table 14 "
        "Total capacity %s MW); line 2237 says NYISO ICAP 21.6 MW enrolled "
        "(Table 14 NYISO SCR %s MW)"
        % (t14[1]["total"], t14[0]["total"], t14[0]["nyiso_scr"]))

    section("Table 15: EFORd (availability) values")
    t15 = {r["month"]: r for r in read("table15_eford_pct.csv")}
    cmp("Sep 2003 %s%% vs text line 1858 UCAP/ICAP 28.6/30.4 x 100"
        % t15["2003-09"]["eford_pct"], Decimal("28.6") / Decimal("30.4") * 100,
        t15["2003-09"]["eford_pct"])

    section("Table 16: InfoNode metering availability")
    rows = read("table16_infonode_availability_pct.csv")
    tot = read("table16_infonode_availability_pct_totals.csv")[0]
    cmp("Total vs mean of %d months" % len(rows),
        sum(D(r["availability_pct"]) for r in rows) / len(rows),
        tot["availability_pct"], bound=Decimal("1"))

    section("Table 17: generator reliability (ICAP x availability = UCAP)")
    rows = read("table17_generator_reliability.csv")
    n_round = n_floor = 0
    for r in rows:
        prod = D(r["icap_mw"]) * D(r["availability_pct"]) / 100
        p = places(r["ucap_mw"]) if places(r["ucap_mw"]) else 1
        p = max(p, 1)
        r_half = rnd(prod, p)
        r_floor = prod.quantize(Decimal(1).scaleb(-p), rounding=ROUND_FLOOR)
        u = D(r["ucap_mw"])
        if u == r_half:
            n_round += 1
        if u == r_floor:
            n_floor += 1
        if u != r_half and u == r_floor:
            info("SCR %s: ICAP %s x %s%% = %s; printed UCAP %s = truncated "
                 "(half-up rounding would give %s)"
                 % (r["scr_id"], r["icap_mw"], r["availability_pct"],
                    show(prod), r["ucap_mw"], r_half))
        elif u != r_floor:
            bad("SCR %s: ICAP %s x %s%% = %s; printed UCAP %s; neither "
                "rounded (%s) nor truncated (%s)"
                % (r["scr_id"], r["icap_mw"], r["availability_pct"],
                   show(prod), r["ucap_mw"], r_half, r_floor))
    (ok if n_floor == len(rows) else bad)(
        "UCAP = ICAP x availability truncated (not rounded) to 0.1 MW in %d "
        "of %d rows (half-up rounding fits only %d)"
        % (n_floor, len(rows), n_round))
    icap = sum(D(r["icap_mw"]) for r in rows)
    ucap = sum(D(r["ucap_mw"]) for r in rows)
    info("no totals row is printed; sums: ICAP %s MW, UCAP %s MW, ratio %s%%; "
         "text line 1858 (Sep 2003 NYISO report): ICAP 30.4, UCAP 28.6, 94%%"
         % (icap, ucap, rnd(ucap / icap * 100, 1)))
    cmp("sum of ICAP vs text line 1858 'total registered ICAP was 30.4 MW'",
        icap, "30.4")
    cmp("sum of UCAP vs text line 1858 'total UCAP ... was 28.6 MW'",
        ucap, "28.6")
    info("text line 1972: the table covers 'roughly three-quarters' of the "
         "curtailment capacity; ICAP sum %s / Table 14 total 37.8 MW = %s%%"
         % (icap, rnd(icap / Decimal("37.8") * 100, 1)))
    if len(rows) == 32:
        ok("32 SCRs listed; line 1910 says 32 sites are in the NYISO ICAP "
           "Market")
    ap = read("appendix_ucap_history_mw.csv")
    apd = {}
    for a in ap:
        apd.setdefault(a["scr_id"], []).append(a)
    diffs = []
    for r in rows:
        a = apd.get(r["scr_id"])
        if not a:
            diffs.append("%s (not in appendix)" % r["scr_id"])
            continue
        vals = sorted(set(x["sep_2003"] for x in a))
        if D(r["ucap_mw"]) not in [D(v) for v in vals if v]:
            diffs.append("%s: Table 17 UCAP %s, appendix Sep-03 %s"
                         % (r["scr_id"], r["ucap_mw"], "/".join(vals)))
    if diffs:
        bad("Table 17 UCAP differs from the appendix Sep-03 column for %d "
            "SCRs: %s" % (len(diffs), "; ".join(diffs)))
    extra = sorted(set(apd) - set(r["scr_id"] for r in rows))
    info("%d appendix SCR IDs are not in Table 17: %s"
         % (len(extra), " ".join(extra)))

    section("Appendix: UCAP history (MW) by resource")
    tot = read("appendix_ucap_history_mw_totals.csv")[0]
    for c in ["jun_2001", "sep_2001", "dec_2001", "mar_2002", "jun_2002",
              "sep_2002", "dec_2002", "mar_2003", "jun_2003", "sep_2003"]:
        cmp("%s Total vs sum of %d rows" % (c, len(ap)),
            sum(D(a[c]) for a in ap if a[c]), tot[c])
    cols = ["jun_2001", "sep_2001", "dec_2001", "mar_2002", "jun_2002",
            "sep_2002", "dec_2002", "mar_2003", "jun_2003", "sep_2003"]
    for a_, b_ in zip(cols, cols[1:]):
        if all(x[a_] == x[b_] for x in ap):
            suspect("columns %s and %s are identical in all %d rows"
                    % (a_, b_, len(ap)))
    for c in cols:
        run = [ap[0]]
        for prev_, cur_ in zip(ap, ap[1:] + [None]):
            if cur_ is not None and cur_[c] == prev_[c] and cur_[c]:
                run.append(cur_)
                continue
            if len(run) >= 3 and D(run[0][c]) >= Decimal("0.9"):
                suspect("%s: %d consecutive rows (SCR %s) all %s MW "
                        "(possible fill-down)" % (c, len(run), ",".join(
                            x["scr_id"] for x in run), run[0][c]))
            run = [cur_] if cur_ is not None else []
    bad("appendix Sep-03 total %s MW vs Table 17 UCAP sum %s MW and text line "
        "1858 (Sep 2003 UCAP 28.6 MW); appendix Jun-02 total %s MW vs text "
        "line 2157 (June 2002 UCAP 22.9 MW)"
        % (tot["sep_2003"], sum(D(r["ucap_mw"]) for r in
                                read("table17_generator_reliability.csv")),
           tot["jun_2002"]))
    dup = [k for k, v in apd.items() if len(v) > 1]
    if dup:
        info("SCR ID printed twice: %s (%s)" % (
            ", ".join(dup), "; ".join("%s/%s" % (x["edrp_id"], x["scr_id"])
                                      for k in dup for x in apd[k])))


def ucap_examples():
    section("UCAP worked examples (lines 1758-1760, 1908, 1454-1456)")
    ex = {r["example"]: r for r in read("ucap-worked-examples.csv")}
    e = ex["200kW_four_hours"]
    ratios = [D(x) for x in e["hourly_ratio_as_stated"].split(";")]
    deliv = [D(x) for x in e["hourly_delivered_kw"].split(";")]
    calc = [min(d, D(e["icap_kw"])) / D(e["icap_kw"]) for d in deliv]
    (ok if calc == ratios else bad)(
        "hourly ratios min(nominated, actual)/nominated = %s, stated %s"
        % (" ".join(str(x) for x in calc), e["hourly_ratio_as_stated"]))
    mean = sum(ratios) / len(ratios)
    cmp("EFORd = mean of hourly ratios (exact %s)" % mean, mean,
        e["eford_as_stated"])
    info("UCAP is not printed for this example: 200 x %s = %s kW; with the "
         "printed 0.938 it would be %s kW" % (mean, 200 * mean,
                                              200 * Decimal("0.938")))
    e = ex["1MW_half_the_hours"]
    cmp("1 MW sold, full delivery in half the hours: UCAP",
        D(e["icap_kw"]) * Decimal("0.5"), e["ucap_kw_as_stated"])
    e = ex["1.5MW_sold_derated_to_1.2MW"]
    cmp("1.5 MW sold, UCAP 1.2 MW: shortfall to procure",
        D(e["icap_kw"]) - D(e["ucap_kw_as_stated"]), e["shortfall_kw_as_stated"])


def reference_tables():
    section("Table 6: site profiles")
    r = {x["source_line"]: x for x in read("table06_site_profiles.csv")}
    for c in ("two_750kw_turbine_site", "two_300kw_diesel_site"):
        s = sum(D(r[k][c]) for k in ("798", "799", "802", "803"))
        cmp("%s total = metering + permitting + installation + "
            "communication" % c, s, r["804"][c])
        per = D(r["804"][c]) / D(r["801"][c])
        info("%s cost per MW %s (text line 808: 53,750 turbine, 87,500 diesel)"
             % (c, per))

    section("Table 7: one-year financial summary")
    rows = {x["row"]: x for x in read("table07_one_year_financial_summary.csv")}
    for c in [k for k in rows["ICAP Revenue"] if k.startswith("portfolio")]:
        cmp("%s Total Revenue = ICAP + EDRP" % c[:11],
            D(rows["ICAP Revenue"][c]) + D(rows["EDRP Revenue"][c]),
            rows["Total Revenue"][c])
        cmp("%s Net Revenue = Total Revenue - Total Cost" % c[:11],
            D(rows["Total Revenue"][c]) - D(rows["Total Cost"][c]),
            rows["Net Revenue"][c])
        s = rows["Sites (number taken from the Sites cell)"][c]
        t = rows["Turbine sites (number taken from the Sites cell)"][c]
        d = rows["Diesel sites (number taken from the Sites cell)"][c]
        cmp("%s sites = turbine + diesel" % c[:11], D(t) + D(d), s)
        mw = D(t) * Decimal("0.8") + D(d) * Decimal("0.4")
        info("%s: %s turbine x 0.8 MW + %s diesel x 0.4 MW = %s MW (Table 6 "
             "curtailable load)" % (c[:11], t, d, mw))
    cmp("EDRP revenue = 25 h (line 824) x 30 MW x $500",
        25 * 30 * EDRP_PRICE, rows["EDRP Revenue"]["portfolio_1_15mw_turbine_15mw_diesel"])

    section("Table 8: participating sites")
    rows = read("table08_participating_sites.csv")
    tot = read("table08_participating_sites_totals.csv")[0]
    cmp("Curtailed total vs sum of 10 sites",
        sum(D(r["curtailed_kw"]) for r in rows), tot["curtailed_kw"])
    info("Peak load and installed DG totals are blank; sums would be %s kW and "
         "%s kW" % (sum(D(r["peak_load_kw"]) for r in rows),
                    sum(D(r["installed_dg_kw"]) for r in rows)))

    section("Table 26: blackout curtailment Aug 15-16 2003")
    rows = {r["quantity"]: r for r in read("table26_2003-08-15_16_blackout.csv")}
    g = rows["Total Energy Generated"]
    cmp("Total Energy for Both Days = Aug 15 + Aug 16",
        D(g["aug_15_2003"]) + D(g["aug_16_2003"]),
        rows["Total Energy for Both Days"]["aug_15_2003"])
    pk = rows["Peak Curtailment"]
    for day, hrs in (("aug_15_2003", 14), ("aug_16_2003", None)):
        need = D(g[day]) / D(pk[day])
        if hrs is None:
            info("%s: %s MWh at a peak of %s MW needs at least %s h (no call "
                 "hours are stated for Aug 16; line 2253 says the Saturday "
                 "call began at 9 a.m.)" % (day, g[day], pk[day], rnd(need, 2)))
        elif need > hrs:
            suspect("%s: %s MWh generated at a peak of %s MW needs at least %s h, "
                "but line 2242 gives the call as 9 a.m. to 11 p.m. (%d h): "
                "the energy counts generation outside the call (the blackout "
                "began Aug 14, line 2246) or beyond the curtailment"
                % (day, g[day], pk[day], rnd(need, 2), hrs))


def forecast_tables():
    section("Table 27: building load forecast accuracy, June 2003")
    rows = read("table27_load_forecast_accuracy_2003-06.csv")
    tot = read("table27_load_forecast_accuracy_2003-06_totals.csv")[0]
    for c in ("avg_hourly_real_kw", "avg_hourly_forecast_kw"):
        cmp("Total %s vs sum of 8 buildings" % c,
            sum(D(r[c]) for r in rows), tot[c], bound=Decimal("4.5"))
    for r in rows + [tot]:
        info("%s: avg abs error %s kW / real %s kW = %s%% (printed average %% "
             "%s); max %s kW / real = %s%% (printed max %% %s)"
             % (r["building"], r["abs_err_avg_hourly_kw"],
                r["avg_hourly_real_kw"],
                rnd(D(r["abs_err_avg_hourly_kw"]) / D(r["avg_hourly_real_kw"])
                    * 100, 2), r["err_avg_hourly_pct"],
                r["abs_err_max_hourly_kw"],
                rnd(D(r["abs_err_max_hourly_kw"]) / D(r["avg_hourly_real_kw"])
                    * 100, 2), r["err_max_hourly_pct"]))
    info("the % columns are not abs kW / average real kW (they are averages "
         "of hourly percentages); for the Total row 47/6075 = 0.77% vs 0.74% "
         "printed; line 2363 quotes 0.74% and 8.87%")

    section("Table 28: accuracy of weather forecast for June 15 2003")
    rows = read("table28_weather_forecast_2003-06-15.csv")
    for ev in ("15:00", "11:00", "7:00"):
        rs = [r for r in rows if r["event_time"] == ev]
        wrong = [r for r in rs if D(r["forecast_temp_f"]) - D(r["real_temp_f"])
                 != D(r["difference_f"])]
        implied = sorted(set(D(r["forecast_temp_f"]) - D(r["difference_f"])
                             for r in rs))
        if not wrong:
            ok("event %s: all 9 differences = forecast - real %s"
               % (ev, rs[0]["real_temp_f"]))
        else:
            bad("event %s: %d of 9 printed differences are not forecast - "
                "real (%s); forecast - difference gives real = %s in every "
                "column" % (ev, len(wrong), rs[0]["real_temp_f"],
                            ", ".join(str(x) for x in implied)))
    event_day = datetime.datetime(2003, 6, 15)
    offsets = OrderedDict()
    for r in rows:
        h, m = r["event_time"].split(":")
        ev = event_day + datetime.timedelta(hours=int(h), minutes=int(m))
        fc = datetime.datetime.fromisoformat(r["forecast_date"]) \
            + datetime.timedelta(hours=18)  # "forecast was made at 6 p.m."
        hrs = -int((ev - fc).total_seconds() // 3600)
        offsets.setdefault(r["forecast_date"], []).append(
            (r["event_time"], hrs, int(r["hours_before_event_hr"])))
    for fd, lst in offsets.items():
        diffs = set(p - c for _, c, p in lst)
        txt = ", ".join("%s: %d printed %d" % (e, c, p) for e, c, p in lst)
        if diffs == {0}:
            ok("forecast %s 18:00: hours before event agree (%s)" % (fd, txt))
        else:
            bad("forecast %s 18:00 (footnote line 2387): hours before event "
                "computed vs printed: %s (printed - computed = %s)"
                % (fd, txt, "/".join("%+d" % x for x in sorted(diffs))))
    info("line 2376 has no 6/9 column (forecast dates 6/5-6/8, 6/10-6/14)")

    section("Table 29: effect of weather forecast, June 15 2003 (hourly)")
    rows = read("table29_2003-06-15_hourly.csv")
    summ = {r["row_as_printed"]: r for r in read("table29_2003-06-15_summary.csv")}
    off = {}
    pct_bad = []
    for r in rows:
        lr = D(r["lr_kw"])
        for e, l, p in (("etf_kw", "ltf_kw", "etf_pct"),
                        ("etr_kw", "ltr_kw", "etr_pct")):
            calc = D(r[l]) - lr
            if abs(calc - D(r[e])) > Decimal("1.5"):
                bad("%s %s: %s - LR %s = %s, printed %s (beyond rounding)"
                    % (r["time"], e, r[l], r["lr_kw"], calc, r[e]))
            elif calc != D(r[e]):
                off.setdefault(e, []).append("%s %+d" % (r["time"],
                                                        D(r[e]) - calc))
            pc = D(r[e]) / lr * 100
            tol = Decimal("0.5") / lr * 100 + Decimal("0.005")
            if abs(pc - D(r[p])) > tol:
                pct_bad.append(r["time"])
                bad("%s %s: %s / LR %s = %s%%, printed %s%% (beyond "
                    "rounding, tol %s)" % (r["time"], p, r[e], r["lr_kw"],
                                           rnd(pc, 2), r[p], rnd(tol, 3)))
    for e in ("etf_kw", "etr_kw"):
        info("%s = %s - LR (model minus real, although lines 2443-2445 word "
             "it as real minus model) within 1 kW in all 24 rows; differs "
             "from the printed integers by 1 in %d rows (%s), i.e. the "
             "errors were computed from unrounded loads"
             % (e, "LTf" if e == "etf_kw" else "LTr", len(off.get(e, [])),
                ", ".join(off.get(e, []))))
    if not pct_bad:
        ok("Etf %/Etr % = E kW / LR x 100 within the rounding of E in all "
           "24 rows")
    for c in ("etf_kw", "etr_kw", "etf_pct", "etr_pct"):
        signed = [D(r[c]) for r in rows]
        absval = [abs(x) for x in signed]
        hk = Decimal("0.5") if c.endswith("_kw") else Decimal("0.005")
        cmp("abs max %s vs max |value| of the 24 printed rows" % c,
            max(absval), summ["abs max"][c], bound=hk + half(summ["abs max"][c]))
        mean_abs = sum(absval) / len(absval)
        mean_signed = sum(signed) / len(signed)
        pv = D(summ["abs ave"][c])
        b = hk + half(summ["abs ave"][c])
        if agrees(mean_abs, summ["abs ave"][c]) or \
                abs(mean_abs - pv) < abs(mean_signed - pv):
            cmp("abs ave %s vs mean |value|" % c, mean_abs, summ["abs ave"][c],
                bound=b)
        else:
            bad("abs ave %s: printed %s is not the mean of |values| (%s) but "
                "matches the mean of the SIGNED values (%s)%s"
                % (c, summ["abs ave"][c], show(mean_abs), show(mean_signed),
                   "" if abs(mean_signed - pv) <= b else " -- NOT even that"))
    cmp("text line 2455 'changes average 24-hours error by only 0.24%'",
        D(summ["abs ave"]["etr_pct"]) - D(summ["abs ave"]["etf_pct"]), "0.24")
    cmp("text line 2455 'change in maximum absolute error is only 0.06%'",
        D(summ["abs max"]["etr_pct"]) - D(summ["abs max"]["etf_pct"]), "0.06")
    t28 = read("table28_weather_forecast_2003-06-15.csv")
    for ev in ("15:00", "11:00", "7:00"):
        r28 = [r for r in t28 if r["event_time"] == ev]
        real = r28[0]["real_temp_f"]
        f613 = [r for r in r28 if r["forecast_date"] == "2003-06-13"][0]
        h = int(ev.split(":")[0])
        same = [r for r in rows if r["time"] == ev][0]
        prev = [r for r in rows if r["time"] == "%d:00" % (h - 1)][0]
        info("Table 28 event %s: real %s, 6/13 forecast %s | Table 29 at %s: "
             "TR %s TF %s | at %s: TR %s TF %s"
             % (ev, real, f613["forecast_temp_f"], ev, same["tr_f"],
                same["tf_f"], prev["time"], prev["tr_f"], prev["tf_f"]))
    info("June 15 2003 was a Sunday (a weekend day; line 2325)")


def main():
    curtailment()
    table13()
    tables_9_to_12()
    table14_17()
    ucap_examples()
    reference_tables()
    forecast_tables()
    for title, lst in (
            ("INCONSISTENCIES not explained by rounding", FINDINGS),
            ("SUSPECT values (no rule broken; look like copy/fill-down "
             "errors)", SUSPECT),
            ("DIFFERENCES explained by the rounding of printed values",
             ROUNDED)):
        print()
        print("=" * 78)
        print("SUMMARY: %d %s" % (len(lst), title))
        print("=" * 78)
        last = None
        for t, m in lst:
            if t != last:
                print(t)
                last = t
            print("  - " + m)

if __name__ == "__main__":
    main()
