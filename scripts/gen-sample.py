#!/usr/bin/env python3
"""Generate the dgagg sample portfolio in testdata/sample/.

Usage:
    python3 scripts/gen-sample.py [--out DIR] [--prices-from DIR]

Writes sites.csv, generators.csv, weather-2017.csv, load-2017.csv and
pulses-2017-11.csv into DIR (default: testdata/sample next to this script's
parent directory).  Everything comes from one random.Random(20170701) drawn
in a fixed order, so two runs give byte-identical files.  Standard library
only.

The real NYISO price files under DIR/prices/ are not generated: they are
byte-identical copies of NYISO's public files (testdata/sample/README.md
gives their origin).  With --prices-from
(the directory that holds nyiso_dam_zone_2017/ and nyiso_rt_zone_2022/) the
script copies them again and checks they are identical; without it (or when
that directory does not exist) it leaves prices/ alone.

The portfolio is the 10 Long Island sites of the report's Table 8 (peak,
curtailed and installed DG kW as in the table); weather, loads and pulse
readings are synthetic.  testdata/sample/README.md documents every file,
every column and the defects planted in the pulse file.
"""

import argparse
import datetime as dt
import math
import os
import random
import shutil
import sys
from fractions import Fraction

SEED = 20170701
YEAR = 2017
STATION = "KISP"          # Long Island MacArthur (Islip): a label only
ZONE = "LONGIL"
PTID = 61762              # NYISO PTID of zone K (LONGIL), as in damlbmp_zone

UTC0 = dt.datetime(YEAR, 1, 1, 5, 0)      # 2017-01-01T00:00-05:00
NHOURS = 8760                             # 2017 is not a leap year

# ---------------------------------------------------------------------------
# US Eastern time without a tz database: DST from the second Sunday of March
# 02:00 EST (07:00 UTC) to the first Sunday of November 02:00 EDT (06:00 UTC).


def _nth_sunday(year, month, n):
    first = dt.date(year, month, 1)
    day = 1 + (6 - first.weekday()) % 7 + 7 * (n - 1)
    return day


def _dst_bounds_utc(year):
    start = dt.datetime(year, 3, _nth_sunday(year, 3, 2), 7, 0)
    end = dt.datetime(year, 11, _nth_sunday(year, 11, 1), 6, 0)
    return start, end


_DST = {YEAR: _dst_bounds_utc(YEAR)}


def to_local(utc):
    """Naive UTC datetime -> (naive local datetime, offset hours)."""
    bounds = _DST.get(utc.year)
    if bounds is None:
        bounds = _DST[utc.year] = _dst_bounds_utc(utc.year)
    off = -4 if bounds[0] <= utc < bounds[1] else -5
    return utc + dt.timedelta(hours=off), off


def iso_local(utc):
    loc, off = to_local(utc)
    return "%s%s" % (loc.strftime("%Y-%m-%dT%H:%M:%S"),
                     "-04:00" if off == -4 else "-05:00")


# NERC holidays 2017 (New Year's Day fell on a Sunday and is observed on
# Monday 2 January, NERC's rule for a Sunday holiday).
HOLIDAYS = {
    dt.date(2017, 1, 2),    # New Year's Day (observed)
    dt.date(2017, 5, 29),   # Memorial Day
    dt.date(2017, 7, 4),    # Independence Day
    dt.date(2017, 9, 4),    # Labor Day
    dt.date(2017, 11, 23),  # Thanksgiving Day
    dt.date(2017, 12, 25),  # Christmas Day
}


def day_type(d, holidays=HOLIDAYS):
    """'wd' for a business day, 'sat', or 'sun' (Sundays and holidays)."""
    if d in holidays or d.weekday() == 6:
        return "sun"
    if d.weekday() == 5:
        return "sat"
    return "wd"


# ---------------------------------------------------------------------------
# Portfolio: Table 8 of the report (site number, peak kW, curtailed kW,
# installed DG kW); names are invented labels.

SITES = [
    # id, name, peak, curtailed, installed, pulse_kwh, bits, programs, cmd_kw, archetype
    ("LI01", "Garden City office tower", 800, 800, 1500, "0.25", 16, "SCR;EDRP;LIPA", 40, "office"),
    ("LI02", "Hauppauge corporate campus", 880, 880, 1500, "1.2", 32, "SCR;EDRP", 0, "office"),
    ("LI03", "Hempstead department store", 500, 500, 750, "0.6", 16, "SCR;EDRP", 25, "retail"),
    ("LI04", "Deer Park aggregate and block plant", 500, 500, 1000, "0.36", 16, "SCR;EDRP", 50, "industrial"),
    ("LI05", "Bay Shore bank branch", 100, 100, 200, "0.1", 16, "EDRP", 0, "smalloffice"),
    ("LI06", "Smithtown nursing home", 500, 500, 1000, "0.6", 16, "SCR;EDRP;LIPA", 30, "care"),
    ("LI07", "Huntington supermarket", 230, 230, 435, "0.144", 32, "SCR;EDRP", 15, "grocery"),
    ("LI08", "Floral Park medical office", 100, 100, 200, "0.072", 16, "EDRP", 5, "smalloffice"),
    ("LI09", "Islip telephone exchange", 100, 100, 200, "0.1", 16, "SCR", 0, "telecom"),
    ("LI10", "Melville office building", 500, 500, 750, "0.48", 16, "SCR;EDRP;LIPA", 20, "office"),
]
DRIFT_SITE = "LI10"       # tenant growth: +10 % from January to December

# Occupancy (0..1) by local clock hour 0..23, for business days, Saturdays,
# Sundays/holidays.
_OFFICE_WD = [0, 0, 0, 0, 0, 0, .20, .60, .92, 1, 1, 1, 1, 1, 1, 1, 1, .95, .70, .40, .20, .08, 0, 0]
_OFFICE_SAT = [0, 0, 0, 0, 0, 0, 0, .05, .15, .20, .20, .20, .20, .15, .10, .05, 0, 0, 0, 0, 0, 0, 0, 0]
_ZERO = [0] * 24
_RETAIL_WD = [0, 0, 0, 0, 0, 0, 0, .10, .45, .85, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, .60, .10, 0]
_RETAIL_SUN = [0, 0, 0, 0, 0, 0, 0, 0, .10, .40, .75, .85, .85, .85, .85, .85, .85, .85, .60, .20, 0, 0, 0, 0]
_IND_WD = [0, 0, 0, 0, 0, .20, .85, 1, 1, 1, 1, 1, 1, 1, 1, .95, .90, .90, .90, .90, .90, .80, .30, 0]
_IND_SAT = [0, 0, 0, 0, 0, 0, .30, .60, .60, .60, .60, .60, .50, .20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
_CARE = [.25, .20, .20, .20, .25, .40, .70, .85, .95, 1, 1, 1, 1, .95, .95, .90, .90, .95, .90, .80, .70, .55, .40, .30]
_GROCERY = [.10, .10, .10, .10, .10, .15, .50, .85, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, .95, .80, .40, .15]

ARCHETYPES = {
    # base: always-on share; occ: occupancy share; cool: per degF above
    # tbal (scaled by unocc + (1-unocc)*occupancy); heat: per degF below theat;
    # sd: hourly noise (AR(1)); sdd: day-to-day noise.  All in "raw units",
    # scaled to the site's Table 8 peak afterwards.
    "office": dict(base=.26, occ=.34, cool=.0125, unocc=.25, tbal=62.0, heat=.0020, theat=45.0,
                   wd=_OFFICE_WD, sat=_OFFICE_SAT, sun=_ZERO, sd=0.031, sdd=0.019),
    "smalloffice": dict(base=.22, occ=.40, cool=.0120, unocc=.20, tbal=63.0, heat=.0030, theat=45.0,
                        wd=_OFFICE_WD, sat=_OFFICE_SAT, sun=_ZERO, sd=0.036, sdd=0.020),
    "retail": dict(base=.30, occ=.36, cool=.0105, unocc=.30, tbal=60.0, heat=.0015, theat=45.0,
                   wd=_RETAIL_WD, sat=_RETAIL_WD, sun=_RETAIL_SUN, sd=0.034, sdd=0.019),
    "industrial": dict(base=.18, occ=.55, cool=.0080, unocc=.40, tbal=62.0, heat=.0015, theat=40.0,
                       wd=_IND_WD, sat=_IND_SAT, sun=_ZERO, sd=0.022, sdd=0.014),
    "care": dict(base=.42, occ=.16, cool=.0110, unocc=.60, tbal=62.0, heat=.0030, theat=45.0,
                 wd=_CARE, sat=_CARE, sun=_CARE, sd=0.027, sdd=0.016),
    "grocery": dict(base=.44, occ=.22, cool=.0095, unocc=.70, tbal=58.0, heat=.0010, theat=40.0,
                    wd=_GROCERY, sat=_GROCERY, sun=_GROCERY, sd=0.025, sdd=0.016),
    "telecom": dict(base=.62, occ=.04, cool=.0095, unocc=1.0, tbal=60.0, heat=.0, theat=40.0,
                    wd=_OFFICE_WD, sat=_ZERO, sun=_ZERO, sd=0.020, sdd=0.013),
}

# Generators (12 units at 10 sites, as the report's section 5 counts them:
# "Ten facilities with 12 backup generators").  The process load at LI04 is
# the cement-plant case of the DER slides.
GEN_COLUMNS = ["site", "gen", "kind", "capacity_kw",
               "hr_25_btu_per_kwh", "hr_50_btu_per_kwh", "hr_75_btu_per_kwh", "hr_100_btu_per_kwh",
               "fuel_usd_per_mmbtu", "om_usd_per_mwh", "start_usd", "min_run_h", "max_run_h_day",
               "permit_h_year", "derate_pct_per_f", "derate_base_f", "priority", "curtail_usd_per_mwh"]

GENERATORS = [
    # site, gen, kind, kW, hr25, hr50, hr75, hr100, fuel, om, start, minrun, maxday, permit, derate, base, prio, curtail
    ("LI01", "G1", "gas-turbine", 750, 23400, 16600, 14100, 12600, "4.85", "8.50", "95.00", 2, 8, 1000, "0.35", 59, 1, ""),
    ("LI01", "G2", "gas-turbine", 750, 23400, 16600, 14100, 12600, "4.85", "8.50", "95.00", 2, 8, 1000, "0.35", 59, 2, ""),
    ("LI02", "G1", "gas-turbine", 750, 24600, 17300, 14600, 13100, "5.10", "9.00", "110.00", 2, 8, 1000, "0.38", 59, 1, ""),
    ("LI02", "G2", "gas-turbine", 750, 24600, 17300, 14600, 13100, "5.10", "9.00", "110.00", 2, 8, 1000, "0.38", 59, 2, ""),
    ("LI03", "G1", "gas-turbine", 750, 22100, 15800, 13400, 12000, "5.40", "8.00", "90.00", 2, 6, 750, "0.32", 59, 1, ""),
    ("LI04", "L1", "load", 150, "", "", "", "", "", "", "", 1, 4, "", "", "", 1, "85.00"),
    ("LI04", "G1", "diesel", 1000, 12600, 10800, 10050, 9700, "12.40", "14.00", "35.00", 1, 6, 300, "0.05", 86, 2, ""),
    ("LI05", "G1", "diesel", 200, 13500, 11700, 10700, 10300, "13.60", "22.00", "20.00", 1, 6, 300, "0.10", 77, 1, ""),
    ("LI06", "G1", "gas-recip", 1000, 13300, 11200, 10350, 9900, "5.60", "16.00", "45.00", 1, 8, 500, "0.15", 77, 1, ""),
    ("LI07", "G1", "diesel", 435, 13100, 11350, 10450, 10050, "13.10", "18.00", "25.00", 1, 6, 300, "0.08", 86, 1, ""),
    ("LI08", "G1", "diesel", 200, 13800, 11900, 10900, 10500, "13.80", "22.00", "20.00", 1, 6, 250, "0.10", 77, 1, ""),
    ("LI09", "G1", "diesel", 200, 13300, 11550, 10600, 10200, "13.50", "21.00", "20.00", 1, 6, 500, "0.00", 90, 1, ""),
    ("LI10", "G1", "gas-turbine", 750, 23000, 16300, 13800, 12400, "5.25", "8.50", "95.00", 2, 6, 750, "0.34", 59, 1, ""),
]

# Heat waves: local date -> target afternoon maximum (degF).
HEAT_WAVES = {
    dt.date(2017, 6, 12): 91.0, dt.date(2017, 6, 13): 94.0,
    dt.date(2017, 7, 12): 90.5, dt.date(2017, 7, 13): 93.5, dt.date(2017, 7, 14): 91.0,
    dt.date(2017, 7, 19): 92.0, dt.date(2017, 7, 20): 95.5, dt.date(2017, 7, 21): 97.0,
    dt.date(2017, 7, 22): 93.0,
    dt.date(2017, 8, 1): 90.5, dt.date(2017, 8, 2): 93.0, dt.date(2017, 8, 3): 91.5,
    dt.date(2017, 8, 21): 91.0, dt.date(2017, 8, 22): 94.5,
}

# Pulse file: November 2017, 5-minute readings.
PULSE_START = dt.datetime(2017, 11, 1, 4, 0)     # 2017-11-01T00:00-04:00
PULSE_END = dt.datetime(2017, 12, 1, 5, 0)       # 2017-12-01T00:00-05:00
STEP = dt.timedelta(minutes=5)

# Planted defects (local stamps; see README.md).
LI07_RESET = "2017-11-14T10:35:00-05:00"   # reading is 0, counts from 0 after
LI03_GAP_FROM = "2017-11-20T10:00:00-05:00"
LI03_GAP_TO = "2017-11-20T11:55:00-05:00"   # inclusive: 24 readings absent
LI02_DUP = "2017-11-09T08:15:00-05:00"      # row written twice
LI09_SWAP = "2017-11-16T14:25:00-05:00"     # this and the next reading swapped
LI06_SKEW_DAY = "2017-11-08"                # every reading that day a few s late


# ---------------------------------------------------------------------------

def hours_utc():
    return [UTC0 + dt.timedelta(hours=i) for i in range(NHOURS)]


# Monthly mean temperature (degF) aimed at Long Island (Islip) normals,
# January ~33 and July ~76; the seasonal curve is the 2-harmonic Fourier
# series through these 12 mid-month values.
MONTHLY_NORMALS = [33.0, 34.5, 41.0, 50.5, 60.0, 69.5, 76.0, 75.0, 68.0, 57.5, 48.0, 38.0]


def _harmonics(vals, nh=2):
    n = len(vals)
    coef = [sum(vals) / n]
    for k in range(1, nh + 1):
        a = 2.0 / n * sum(v * math.cos(2 * math.pi * k * (m + 0.5) / n) for m, v in enumerate(vals))
        b = 2.0 / n * sum(v * math.sin(2 * math.pi * k * (m + 0.5) / n) for m, v in enumerate(vals))
        coef.append((a, b))
    return coef


_SEASON = _harmonics(MONTHLY_NORMALS)


def seasonal_mean(x):
    """Daily mean temperature, x in days since 2017-01-01T00:00 EST."""
    t = x / 365.0
    v = _SEASON[0]
    for k, (a, b) in enumerate(_SEASON[1:], 1):
        v += a * math.cos(2 * math.pi * k * t) + b * math.sin(2 * math.pi * k * t)
    return v


def diurnal_halfrange(x):
    return (8.5 + 0.8 * math.cos(4 * math.pi * (x - 105.0) / 365.0)
            - 0.4 * math.cos(2 * math.pi * (x - 19.5) / 365.0))


def diurnal_shape(h):
    """-1 at 05:00, +1 at 15:00, cosine between (local clock hour h)."""
    if 5 <= h <= 15:
        return -math.cos(math.pi * (h - 5) / 10.0)
    s = (h - 15) % 24
    return math.cos(math.pi * s / 14.0)


def rh_from(t_f, td_f):
    t = (t_f - 32) / 1.8
    td = (td_f - 32) / 1.8
    return 100.0 * math.exp(17.625 * td / (243.04 + td)) / math.exp(17.625 * t / (243.04 + t))


def gen_weather(rng, hours, year=YEAR, heat_waves=HEAT_WAVES):
    """Return list of (iso, temp_f str, rh_pct str) per hour of hours (the
    hours of the whole year `year`, which must have 365 days)."""
    utc0 = dt.datetime(year, 1, 1, 5, 0)
    ndays = 367                          # daily values at noon, index d+1 for day d (-1..365)
    amp_fac = [0.0] * ndays
    anom = [0.0] * ndays
    dep = [0.0] * ndays
    phi_d = 0.70
    prev = 0.0
    prev_dp = 0.0
    for k in range(ndays):
        d = k - 1
        date = dt.date(year, 1, 1) + dt.timedelta(days=d)
        xn = d + 0.5
        sd = 5.5 + 2.0 * math.cos(2 * math.pi * (xn - 19.5) / 365.0)
        a = phi_d * prev + sd * math.sqrt(1 - phi_d * phi_d) * rng.gauss(0, 1)
        c = 0.55 + 0.65 * rng.random()       # cloudiness: small range on grey days
        dp_noise = 0.6 * prev_dp + 3.0 * math.sqrt(1 - 0.36) * rng.gauss(0, 1)
        if date in heat_waves:
            c = 1.10
            x15 = d + 15.0 / 24.0
            a = heat_waves[date] - seasonal_mean(x15) - c * diurnal_halfrange(x15)
            dp_noise = -1.0
        elif 5 <= date.month <= 9 and a > 4.5:
            a = 4.5 + 0.3 * (a - 4.5)        # keep 90 F afternoons for the heat waves
        anom[k] = a
        amp_fac[k] = c
        # dewpoint depression below the daily mean: humid on grey days
        dep[k] = 12.5 + 6.0 * (c - 0.90) + dp_noise
        prev = a
        prev_dp = dp_noise
    out = []
    e_t = 0.0
    e_d = 0.0
    for u in hours:
        loc, _ = to_local(u)
        x = (u - utc0).total_seconds() / 86400.0
        k = int(math.floor(x - 0.5)) + 1
        w = (x - 0.5) - (k - 1)
        # the anomaly is interpolated between noons, but a heat-wave day
        # holds its own value through the afternoon
        a = anom[k] * (1 - w) + anom[k + 1] * w
        dp = dep[k] * (1 - w) + dep[k + 1] * w
        kd = loc.date().toordinal() - dt.date(year, 1, 1).toordinal() + 1
        if loc.date() in heat_waves:
            b = min(1.0, max(0.0, (loc.hour - 6) / 4.0)) * min(1.0, max(0.0, (22 - loc.hour) / 4.0))
            a = anom[kd] * b + a * (1 - b)
        c = amp_fac[kd]
        e_t = 0.85 * e_t + 0.9 * math.sqrt(1 - 0.85 ** 2) * rng.gauss(0, 1)
        e_d = 0.80 * e_d + 1.2 * math.sqrt(1 - 0.80 ** 2) * rng.gauss(0, 1)
        mean = seasonal_mean(x) + a
        temp = mean + c * diurnal_halfrange(x) * diurnal_shape(loc.hour) + e_t
        td = mean - dp + e_d
        rh = rh_from(temp, td)
        rh = min(100.0, max(15.0, rh))
        out.append((iso_local(u), "%.1f" % temp, "%d" % int(round(rh))))
    return out


def gen_loads(rng, hours, temps, rhs, holidays=HOLIDAYS):
    """Return {site: [load_kw str]} driven by the rounded weather values."""
    locs = [to_local(u)[0] for u in hours]
    dtypes = [day_type(l.date(), holidays) for l in locs]
    nhours = len(hours)
    loads = {}
    for (sid, _name, peak, _curt, _inst, _p, _b, _prog, _cmd, arch) in SITES:
        p = ARCHETYPES[arch]
        # per-site variations of the archetype
        base = p["base"] * (0.92 + 0.16 * rng.random())
        occ_amp = p["occ"] * (0.92 + 0.16 * rng.random())
        cool = p["cool"] * (0.90 + 0.20 * rng.random())
        tbal = p["tbal"] + rng.uniform(-1.5, 1.5)
        raw = []
        e = 0.0
        day_eps = 0.0
        last_day = None
        t_prev = temps[0]
        for i, loc in enumerate(locs):
            if loc.date() != last_day:
                last_day = loc.date()
                day_eps = p["sdd"] * rng.gauss(0, 1)
            prof = p[dtypes[i]]
            occ = prof[loc.hour]
            t = temps[i]
            teff = 0.8 * t + 0.2 * t_prev
            t_prev = t
            cdd = max(0.0, teff - tbal)
            hdd = max(0.0, p["theat"] - teff)
            latent = 1.0 + 0.004 * (rhs[i] - 60.0) if cdd > 0 else 1.0
            val = (base + occ_amp * occ
                   + cool * cdd * latent * (p["unocc"] + (1 - p["unocc"]) * occ)
                   + p["heat"] * hdd)
            if sid == DRIFT_SITE:
                val *= 0.95 + 0.10 * i / (nhours - 1)
            e = 0.6 * e + p["sd"] * math.sqrt(1 - 0.36) * rng.gauss(0, 1)
            raw.append(val * (1.0 + day_eps + e))
        target = peak * rng.uniform(0.975, 1.01)
        f = target / max(raw)
        loads[sid] = ["%.1f" % (v * f) for v in raw]
    return loads


def gen_pulses(rng, loads):
    """Return list of (site, time str, pulses int) rows, with the defects."""
    stamps = []
    t = PULSE_START
    while t <= PULSE_END:
        stamps.append(t)
        t += STEP
    hour_of = [int((s - UTC0).total_seconds() // 3600) for s in stamps]
    rows = []
    info = {}
    for (sid, _name, _peak, _c, _i, pulse_s, bits, _prog, _cmd, _arch) in SITES:
        pk = Fraction(pulse_s)
        mod = 1 << bits
        kw = [Fraction(v) for v in loads[sid]]     # exact decimal kW
        if sid == "LI05":
            start = 65000 + rng.randrange(0, 300)
        elif bits == 32:
            start = rng.randrange(1000000, 2000000000)
        else:
            start = rng.randrange(0, mod)
        info[sid] = start
        energy = Fraction(0)           # kWh since the first reading
        reset_base = None              # pulses emitted before the reset
        site_rows = []
        for k, s in enumerate(stamps):
            stamp = iso_local(s)
            e_at = energy
            label = stamp
            if sid == "LI06" and stamp.startswith(LI06_SKEW_DAY):
                sec = 2 + rng.randrange(0, 9)             # 2..10 s late
                e_at = energy + kw[hour_of[k]] * Fraction(sec, 3600)
                label = iso_local(s + dt.timedelta(seconds=sec))
            emitted = math.floor(e_at / pk)             # pulses the meter has sent
            if sid == "LI07" and stamp == LI07_RESET:
                reset_base = emitted
            if reset_base is not None:
                count = (emitted - reset_base) % mod
            else:
                count = (start + emitted) % mod
            site_rows.append((sid, label, count))
            if k + 1 < len(stamps):
                energy += kw[hour_of[k]] * Fraction(5, 60)
        # defects
        if sid == "LI03":
            site_rows = [r for r in site_rows
                         if not (LI03_GAP_FROM <= r[1] <= LI03_GAP_TO)]
        if sid == "LI02":
            j = [r[1] for r in site_rows].index(LI02_DUP)
            site_rows.insert(j + 1, site_rows[j])
        if sid == "LI09":
            j = [r[1] for r in site_rows].index(LI09_SWAP)
            site_rows[j], site_rows[j + 1] = site_rows[j + 1], site_rows[j]
        rows.extend(site_rows)
    return rows, info


# ---------------------------------------------------------------------------
# Summer 2022: the same weather and load models run on 2022, with their own
# random stream (so that the 2017 files above stay byte-identical), for the
# monthly settlement of July 2022 at the real NYISO real-time prices.  The
# whole year is modelled (the seasonal curve, the AR processes and each
# site's scaling to its Table 8 peak run over it); only May-July are written.
# On the event days of the events file the enrolled sites curtail.

SEED_2022 = 20220720
YEAR_2022 = 2022
SUMMER_2022 = (dt.date(2022, 5, 1), dt.date(2022, 7, 31))     # inclusive

# NERC holidays 2022 (New Year's Day fell on a Saturday: not observed;
# Christmas on a Sunday: observed on Monday 26 December).
HOLIDAYS_2022 = {
    dt.date(2022, 5, 30),   # Memorial Day
    dt.date(2022, 7, 4),    # Independence Day
    dt.date(2022, 9, 5),    # Labor Day
    dt.date(2022, 11, 24),  # Thanksgiving Day
    dt.date(2022, 12, 26),  # Christmas Day (observed)
}

# The heat wave of the event day 2022-07-20 (synthetic temperatures, timed
# like the late-July 2022 heat wave during which the real prices of that
# day reached 2,505.83 $/MWh on Long Island).
HEAT_WAVES_2022 = {
    dt.date(2022, 7, 19): 91.5, dt.date(2022, 7, 20): 96.0, dt.date(2022, 7, 21): 94.5,
    dt.date(2022, 7, 22): 93.0, dt.date(2022, 7, 23): 94.0, dt.date(2022, 7, 24): 95.5,
}

# Curtailment on an event day: during the site's event hours its generators
# carry the load above the contract minimum, so the meter reads
# cmd_kw + a residual (circuits not on the generator's bus, the transfer
# switch's controls), RESIDUAL of the uncurtailed load, never more than the
# uncurtailed load.  Two sites perform imperfectly:
LATE_START = ("LI03", 15)        # starts 15 minutes late: first hour partly curtailed
GEN_TRIP = ("LI07", 15, 20)      # the diesel trips in the hour of 15:00 for 20 minutes
RESIDUAL = (0.004, 0.025)        # uniform fraction of the uncurtailed load


# Strike offers of 2022 (no random draw): a site offers one strike price,
# $/MWh, in every energy program with strikes it is enrolled in (EDRP, SCR).
# The EDRP figures and LI09's SCR figure are those of
# testdata/settle/offers-2022.csv (hand-made); the SCR figures of the sites
# also in EDRP repeat their EDRP offer.  dg-settle asks for the offer of
# every program of a site's lines, also of lines another program pays.
STRIKES_2022 = {"LI01": "350.00", "LI02": "400.00", "LI03": "500.00", "LI04": "275.50",
                "LI05": "500.00", "LI06": "385.25", "LI07": "450.00", "LI08": "500.00",
                "LI09": "300.00", "LI10": "395.00"}


def offers_2022():
    rows = []
    for s in SITES:
        for prog in ("EDRP", "SCR"):
            if prog in s[7].split(";"):
                rows.append((s[0], prog, STRIKES_2022[s[0]]))
    return rows


def read_events(path):
    """The calls of the events file (event, program, date, start, end)."""
    import csv
    out = []
    with open(path, newline="", encoding="ascii") as f:
        for row in csv.DictReader(f):
            date = dt.date.fromisoformat(row["date"])
            start = int(row["start"].split(":")[0])
            end = int(row["end"].split(":")[0])
            out.append((row["event"], row["program"], date, start, end))
    return out


def curtail_hours(events):
    """{site: {date: sorted local clock hours}}: the hours each site
    curtails, the union of the hours of the calls of its programs that fall
    in SUMMER_2022."""
    out = {}
    for (sid, _n, _pk, _c, _i, _p, _b, progs, _cmd, _a) in SITES:
        enrolled = progs.upper().split(";")
        for (_ev, prog, date, start, end) in events:
            if not (SUMMER_2022[0] <= date <= SUMMER_2022[1]):
                continue
            if prog.upper() not in enrolled:
                continue
            out.setdefault(sid, {}).setdefault(date, set()).update(range(start, end))
    return {s: {d: sorted(h) for d, h in days.items()} for s, days in out.items()}


def gen_summer_2022(rng, events):
    """Return (weather rows, load rows) for SUMMER_2022, with curtailment."""
    hours = [dt.datetime(YEAR_2022, 1, 1, 5, 0) + dt.timedelta(hours=i) for i in range(8760)]
    wx = gen_weather(rng, hours, YEAR_2022, HEAT_WAVES_2022)
    temps = [float(w[1]) for w in wx]
    rhs = [float(w[2]) for w in wx]
    loads = gen_loads(rng, hours, temps, rhs, HOLIDAYS_2022)
    locs = [to_local(u)[0] for u in hours]
    keep = [i for i, l in enumerate(locs) if SUMMER_2022[0] <= l.date() <= SUMMER_2022[1]]
    cut = curtail_hours(events)
    cmd = {s[0]: s[8] for s in SITES}
    load_rows = []
    for s in SITES:
        sid = s[0]
        days = cut.get(sid, {})
        for i in keep:
            v = loads[sid][i]
            hrs = days.get(locs[i].date())
            if hrs and locs[i].hour in hrs:
                full = float(v)
                cur = min(full, cmd[sid] + full * rng.uniform(*RESIDUAL))
                if sid == LATE_START[0] and locs[i].hour == hrs[0]:
                    m = LATE_START[1]
                    cur = (m * full + (60 - m) * cur) / 60.0
                if sid == GEN_TRIP[0] and locs[i].hour == GEN_TRIP[1]:
                    m = GEN_TRIP[2]
                    cur = (m * full + (60 - m) * cur) / 60.0
                v = "%.1f" % cur
            load_rows.append((sid, wx[i][0], v))
    wx_rows = [(STATION,) + wx[i] for i in keep]
    return wx_rows, load_rows


def write_csv(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")
    os.replace(tmp, path)


PRICE_FILES = (
    [("nyiso_dam_zone_2017", "20170312damlbmp_zone.csv"),
     ("nyiso_dam_zone_2017", "20171105damlbmp_zone.csv")]
    + [("nyiso_dam_zone_2017", "2017%02d%02ddamlbmp_zone.csv" % (m, d))
       for m, n in ((7, 31), (8, 31)) for d in range(1, n + 1)]
    + [("nyiso_rt_zone_2022", f) for f in
       ("20220313realtime_zone.csv", "20220720realtime_zone.csv", "20221106realtime_zone.csv")]
    + [("nyiso_dam_zone_2017", "PROVENANCE.md", "PROVENANCE-dam.md"),
       ("nyiso_rt_zone_2022", "PROVENANCE.md", "PROVENANCE-rt.md")]
)


def copy_prices(src, out):
    dst = os.path.join(out, "prices")
    os.makedirs(dst, exist_ok=True)
    for entry in PRICE_FILES:
        d, name = entry[0], entry[1]
        target = entry[2] if len(entry) > 2 else name
        s = os.path.join(src, d, name)
        t = os.path.join(dst, target)
        shutil.copyfile(s, t)
        with open(s, "rb") as a, open(t, "rb") as b:
            if a.read() != b.read():
                sys.exit("gen-sample: copy of %s differs" % s)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="generate testdata/sample")
    ap.add_argument("--out", default=os.path.join(here, "..", "testdata", "sample"))
    ap.add_argument("--prices-from", default=None,
                    help="directory holding nyiso_dam_zone_2017/ and nyiso_rt_zone_2022/")
    ap.add_argument("--events-2022",
                    default=os.path.join(here, "..", "testdata", "settle", "events-2022.csv"),
                    help="the calls of 2022 (dg-cbl's events format); the sites curtail in those of summer 2022")
    args = ap.parse_args()
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)

    # sites.csv
    write_csv(os.path.join(out, "sites.csv"),
              ["site", "name", "rto", "zone", "ptid", "peak_kw", "curtailable_kw", "installed_kw",
               "pulse_kwh", "counter_bits", "station", "programs", "cmd_kw"],
              [(s[0], s[1], "NYISO", ZONE, PTID, s[2], s[3], s[4], s[5], s[6], STATION, s[7], s[8])
               for s in SITES])

    # generators.csv
    for s in SITES:
        cap = sum(g[3] for g in GENERATORS if g[0] == s[0] and g[2] != "load")
        if cap != s[4]:
            sys.exit("gen-sample: %s: generators %d kW, Table 8 says %d" % (s[0], cap, s[4]))
    write_csv(os.path.join(out, "generators.csv"), GEN_COLUMNS, GENERATORS)

    # weather-2017.csv
    hours = hours_utc()
    wx = gen_weather(rng, hours)
    write_csv(os.path.join(out, "weather-2017.csv"), ["station", "time", "temp_f", "rh_pct"],
              [(STATION, t, tf, rh) for (t, tf, rh) in wx])

    # load-2017.csv
    temps = [float(w[1]) for w in wx]
    rhs = [float(w[2]) for w in wx]
    loads = gen_loads(rng, hours, temps, rhs)
    stamps = [w[0] for w in wx]
    write_csv(os.path.join(out, "load-2017.csv"), ["site", "time", "load_kw"],
              [(s[0], stamps[i], loads[s[0]][i]) for s in SITES for i in range(NHOURS)])

    # pulses-2017-11.csv
    rows, _ = gen_pulses(rng, loads)
    write_csv(os.path.join(out, "pulses-2017-11.csv"), ["site", "time", "pulses"], rows)

    # Summer 2022 (a separate random stream: the files above do not change).
    events = read_events(args.events_2022)
    wx22, load22 = gen_summer_2022(random.Random(SEED_2022), events)
    write_csv(os.path.join(out, "weather-2022-summer.csv"), ["station", "time", "temp_f", "rh_pct"],
              wx22)
    write_csv(os.path.join(out, "load-2022-summer.csv"), ["site", "time", "load_kw"], load22)
    write_csv(os.path.join(out, "offers-2022.csv"), ["site", "program", "strike_usd_per_mwh"],
              offers_2022())

    if args.prices_from:
        if os.path.isdir(args.prices_from):
            copy_prices(args.prices_from, out)
        else:
            print("gen-sample: %s: no such directory; prices/ left as is" % args.prices_from,
                  file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
