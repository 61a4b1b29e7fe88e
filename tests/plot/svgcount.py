#!/usr/bin/env python3
"""svgcount.py: what a chart drawn by gnuplot's SVG terminal holds, for the
tests of dg-plot.

Parses the SVG with xml.etree (a file that is not well-formed XML fails
here), then prints one line per text that is not a number (the title, the
axis labels, the tick labels of the time axis, the notes), and one line per
series (gnuplot's group "gnuplot_plot_N"): its key label and what it draws,
the key's own sample left out:

    series N: LABEL: lines S subpaths V vertices, M markers, P polygons
    (Q points)

A line of k points is one subpath of k vertices; a gap starts a new
subpath (a bid block is a segment of 2 vertices per hour).  A bar is a
polygon of 4 points; a band of k points is one polygon of 2k points.

usage: svgcount.py FILE.svg
"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
NUM = re.compile(r"^\s*-?[0-9][0-9.]*\s*$")


def texts(el):
    """The text of every <text> under el, in document order."""
    out = []
    for t in el.iter(NS + "text"):
        s = "".join(t.itertext()).strip()
        if s:
            out.append(s)
    return out


def subpaths(d):
    """The vertex counts of each subpath of a path's d attribute."""
    out = []
    for part in d.split("M")[1:]:
        out.append(1 + part.count("L"))
    return out


def series(g):
    label = texts(g)
    subs = []
    for p in g.iter(NS + "path"):
        subs.extend(subpaths(p.get("d", "")))
    polys = [len(p.get("points", "").split())
             for p in g.iter(NS + "polygon")]
    marks = len(list(g.iter(NS + "use")))
    if label:
        # the key's sample comes first: a segment, a marker, or a box
        # (drawn as a polygon and its border path)
        if polys:
            polys = polys[1:]
            if subs and len(subs) > len(polys):
                subs = subs[1:]
        elif subs:
            subs = subs[1:]
        if marks:
            marks -= 1
    # bars: each polygon has its border as a closed path of 5 vertices
    if polys and all(n == 4 for n in polys):
        subs = [s for s in subs if s != 5]
    return (label[0] if label else ""), subs, marks, polys


def main():
    root = ET.parse(sys.argv[1]).getroot()
    # fill patterns are drawn with paths of their own: not the data's
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == NS + "defs":
                parent.remove(child)
    plots = [g for g in root.iter(NS + "g")
             if re.match(r"gnuplot_plot_\d+$", g.get("id", ""))]
    inside = set()
    for g in plots:
        for t in g.iter(NS + "text"):
            inside.add(t)
    for t in root.iter(NS + "text"):
        s = "".join(t.itertext()).strip()
        if t not in inside and s and not NUM.match(s):
            print("text: " + s)
    for i, g in enumerate(plots, 1):
        label, subs, marks, polys = series(g)
        print("series %d: %s: lines %d subpaths %d vertices, %d markers, "
              "%d polygons (%d points)" % (i, label, len(subs), sum(subs),
                                           marks, len(polys), sum(polys)))


main()
