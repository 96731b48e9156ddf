#!/usr/bin/env python3
"""svg_map_check — reads a map SVG (services/reporter/map_svg.c) the way a
test should: by parsing it (xml.etree, stdlib only), never by comparing
strings with the renderer's own output.

    svg_map_check.py FILE|-                 print the summary as JSON
    svg_map_check.py FILE|- --get PATH      print one value of it
    svg_map_check.py --summary JSON --get PATH   the same from a printed summary

PATH names keys separated by "/", e.g. cells/7,8 or axis/y or arrows. A
string prints as is, a number as digits, anything else (or a missing key:
null) as compact JSON.

Exit 1 (the problems on stderr) when the document is not well-formed XML,
is not an SVG, does not hold exactly the 100 cells (impact, vertical) 1..10
once each, or a cell's marks (dots plus counted marker) disagree with its
count. From Python: summarise(data) -> (summary, problems).

The summary:
  kind, doc_title, title, subtitle, count_line   the texts
  axis {x, y}, ticks {x: [..], y: [..]}          axis labels and numbers
  bands {x: [..], y: [..]} (by data-from), band_ranges {x: {"1-2": text}}
  cells {"I,V": count}, total, cell_quadrant {"I,V": "I"},
  cell_colour {"I,V": "rojo"} (its data-colour), cell_hue {"I,V": family}
    (the checker's own reading of the fill's hue, hues.py: rojo, naranja,
    amarillo, verde, gris or otro), cell_fill {"I,V": "#rrggbb"}
  quadrants {"I": {colour, texts, fills, hues}}
  items {"I,V": [ids]} (the dots), dot_titles_match (each dot's <title> is
    its data-id), aggregates {"I,V": count}, represented {"I,V": n}
  arrows [[from "I,V", to "I,V", count, width class]], arrow_total,
    arrow_labels (count texts beside arrows), arrow_heads (arrows with a
    marker-end that resolves to a <marker> of the document)
  grid_oriented, ticks_aligned, marks_inside, arrows_oriented,
    quadrants_framed   where things are drawn (see geometry())
  new {"I,V": n}, closed {"I,V": n}, links {"I,V": href}
  legend [texts], elements (number of elements), scripts (number of
  <script> elements and on* attributes), external (references to anything
  outside the document), root {width, height, viewBox}
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hues import hue_family  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def classes(element):
    return (element.get("class") or "").split()


def text_of(element):
    return "".join(element.itertext()).strip()


def cell_key(element, prefix=""):
    return "%s,%s" % (element.get("data-%simpact" % prefix), element.get("data-%svertical" % prefix))


def parents_of(root):
    return {child: parent for parent in root.iter() for child in parent}


def summarise(data):
    problems = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return None, ["not well-formed XML: %s" % error]
    if root.tag != SVG + "svg":
        return None, ["the root is %s, not an SVG <svg>" % root.tag]
    parent = parents_of(root)
    elements = list(root.iter())
    by_class = {}
    for element in elements:
        for name in classes(element):
            by_class.setdefault(name, []).append(element)

    def one_text(name):
        found = by_class.get(name, [])
        return text_of(found[0]) if found else None

    def per_axis(name):
        out = {"x": [], "y": []}
        for element in by_class.get(name, []):
            out.setdefault(element.get("data-axis"), []).append(element)
        return out

    doc_title = next((text_of(e) for e in root if local(e.tag) == "title"), None)
    summary = {
        "kind": root.get("data-kind"),
        "doc_title": doc_title,
        "title": one_text("title"),
        "subtitle": one_text("subtitle"),
        "count_line": one_text("count"),
        "root": {"width": root.get("width"), "height": root.get("height"), "viewBox": root.get("viewBox")},
    }
    labels = per_axis("axis-label")
    summary["axis"] = {axis: text_of(found[0]) if found else None for axis, found in labels.items()}
    summary["ticks"] = {axis: [text_of(e) for e in found] for axis, found in per_axis("tick").items()}
    bands = per_axis("band")
    summary["bands"] = {axis: [text_of(e) for e in sorted(found, key=lambda e: int(e.get("data-from", "0")))]
                        for axis, found in bands.items()}
    summary["band_ranges"] = {axis: {"%s-%s" % (e.get("data-from"), e.get("data-to")): text_of(e) for e in found}
                              for axis, found in bands.items()}

    cells, cell_quadrant, cell_colour, cell_fill, cell_hue, links = {}, {}, {}, {}, {}, {}
    for element in by_class.get("cell", []):
        if local(element.tag) != "rect":
            continue
        key = cell_key(element)
        if key in cells:
            problems.append("cell %s twice" % key)
        try:
            cells[key] = int(element.get("data-count"))
        except (TypeError, ValueError):
            problems.append("cell %s has no numeric data-count" % key)
            cells[key] = 0
        cell_quadrant[key] = element.get("data-quadrant")
        cell_colour[key] = element.get("data-colour")
        cell_fill[key] = element.get("fill")
        cell_hue[key] = hue_family(element.get("fill"))
        link = parent.get(element)
        if link is not None and local(link.tag) == "a":
            links[key] = link.get("href") or link.get(XLINK + "href")
    expected = {"%d,%d" % (i, v) for i in range(1, 11) for v in range(1, 11)}
    if len(cells) != 100 or set(cells) != expected:
        problems.append("%d cells, not the 100 of a 10 x 10 grid" % len(cells))
    summary.update(cells=cells, total=sum(cells.values()), cell_quadrant=cell_quadrant, cell_colour=cell_colour,
                   cell_fill=cell_fill, cell_hue=cell_hue, links=links)

    quadrants = {}
    for element in by_class.get("quadrant", []):
        name = element.get("data-quadrant")
        fills = sorted({cell_fill[k] for k, q in cell_quadrant.items() if q == name})
        quadrants[name] = {
            "colour": element.get("data-colour"),
            "texts": [text_of(e) for e in element.iter() if local(e.tag) == "text"],
            "fills": fills,
            "hues": sorted({hue_family(f) for f in fills}),
        }
    summary["quadrants"] = quadrants

    items, titles_match = {}, True
    for element in by_class.get("item", []):
        if local(element.tag) != "circle":
            continue
        items.setdefault(cell_key(element), []).append(element.get("data-id"))
        title = next((text_of(e) for e in element if local(e.tag) == "title"), None)
        if element.get("data-id") is not None and title != element.get("data-id"):
            titles_match = False
    aggregates = {cell_key(e): int(e.get("data-count")) for e in by_class.get("aggregate", [])}
    represented = {}
    for key in set(items) | set(aggregates):
        represented[key] = len(items.get(key, [])) + aggregates.get(key, 0)
    for key, count in cells.items():
        if represented.get(key, 0) != count:
            problems.append("cell %s counts %d but its marks show %d" % (key, count, represented.get(key, 0)))
    summary.update(items=items, dot_titles_match=titles_match, aggregates=aggregates, represented=represented)

    markers = {e.get("id") for e in elements if local(e.tag) == "marker"}
    styles = " ".join(text_of(e) for e in elements if local(e.tag) == "style")
    arrows, heads = [], 0
    for element in by_class.get("move", []):
        width = next((c for c in classes(element) if re.fullmatch(r"w\d+", c)), None)
        arrows.append([cell_key(element, "from-"), cell_key(element, "to-"), int(element.get("data-count")), width])
        # The arrowhead: a marker-end on the element, an ancestor, or a
        # style rule for .move, naming a marker of this document.
        refs, node = [], element
        while node is not None:
            refs.append(node.get("marker-end") or "")
            node = parent.get(node)
        refs += re.findall(r"\.move[^{]*\{[^}]*marker-end:\s*(url\(#[^)]*\))", styles)
        if any(m in markers for ref in refs for m in re.findall(r"url\(#([^)]*)\)", ref)):
            heads += 1
    summary.update(arrows=arrows, arrow_total=sum(a[2] for a in arrows), arrow_heads=heads,
                   arrow_labels=sum(1 for g in by_class.get("move-counts", []) for e in g.iter()
                                    if local(e.tag) == "text"))
    summary.update(geometry(by_class, cells))
    summary["new"] = {cell_key(e): int(e.get("data-count")) for e in by_class.get("new", [])}
    summary["closed"] = {cell_key(e): int(e.get("data-count")) for e in by_class.get("closed", [])}
    summary["legend"] = [text_of(e) for g in by_class.get("legend", []) for e in g.iter()
                         if local(e.tag) == "text" and "badge-text" not in classes(e)
                         and "mark-text" not in classes(e)]
    summary["elements"] = len(elements)
    summary["scripts"] = sum(1 for e in elements if local(e.tag) == "script") + sum(
        1 for e in elements for name in e.attrib if local(name).lower().startswith("on"))
    external = []
    for e in elements:
        for name, value in e.attrib.items():
            if local(name) == "href" and local(e.tag) != "a" and not value.startswith("#"):
                external.append(value)
            external += [u for u in re.findall(r"url\(([^)]*)\)", value) if not u.startswith("#")]
    external += [u for u in re.findall(r"url\(([^)]*)\)", styles) if not u.startswith("#")]
    external += re.findall(r"@import", styles)
    summary["external"] = external
    return summary, problems


def number(element, name):
    try:
        return float(element.get(name))
    except (TypeError, ValueError):
        return float("nan")


def geometry(by_class, cells):
    """Where things are drawn, as booleans: grid_oriented (impact grows to
    the right, frequency/probability upwards, cells side by side), ticks_aligned
    (each number under or beside its column or row), marks_inside (each dot,
    counted marker, new and closed mark inside its cell), arrows_oriented (each
    arrow starts in or nearest its earlier cell and ends nearest its later
    one), quadrants_framed (each quadrant's frame around exactly its 25
    cells)."""
    box = {}
    for e in by_class.get("cell", []):
        x, y, w, h = (number(e, n) for n in ("x", "y", "width", "height"))
        box[cell_key(e)] = (x, y, x + w, y + h)
    if len(box) != 100 or set(box) != set(cells):
        return {"grid_oriented": False, "ticks_aligned": False, "marks_inside": False,
                "arrows_oriented": False, "quadrants_framed": False}

    def at(i, v):
        return box["%d,%d" % (i, v)]

    oriented = all(at(i, v)[2] == at(i + 1, v)[0] and at(i + 1, v)[1] == at(i, v)[1]
                   for i in range(1, 10) for v in range(1, 11))
    oriented = oriented and all(at(i, v + 1)[3] == at(i, v)[1] and at(i, v + 1)[0] == at(i, v)[0]
                                for i in range(1, 11) for v in range(1, 10))

    ticks = True
    for e in by_class.get("tick", []):
        score = int(text_of(e))
        x, y = number(e, "x"), number(e, "y")
        if e.get("data-axis") == "x":
            left, _, right, bottom = at(score, 1)
            ticks = ticks and left <= x <= right and y > bottom
        else:
            left, top, _, bottom = at(1, score)
            ticks = ticks and x < left and top <= y <= bottom
    for e in by_class.get("band", []):
        low, high = int(e.get("data-from")), int(e.get("data-to"))
        x, y = number(e, "x"), number(e, "y")
        if e.get("data-axis") == "x":
            ticks = ticks and at(low, 1)[0] <= x <= at(high, 1)[2] and y > at(1, 1)[3]
        else:
            ticks = ticks and at(1, high)[1] <= y <= at(1, low)[3] and x < at(1, 1)[0]

    def inside(key, x, y):
        left, top, right, bottom = box.get(key, (1, 1, 0, 0))
        return left <= x <= right and top <= y <= bottom

    marks = all(inside(cell_key(e), number(e, "cx"), number(e, "cy"))
                for e in by_class.get("item", []) if local(e.tag) == "circle")
    for name in ("aggregate", "new", "closed"):
        for g in by_class.get(name, []):
            for r in g.iter():
                if local(r.tag) == "rect":
                    x, y, w, h = (number(r, n) for n in ("x", "y", "width", "height"))
                    marks = marks and inside(cell_key(g), x, y) and inside(cell_key(g), x + w, y + h)

    def centre(key):
        left, top, right, bottom = box[key]
        return (left + right) / 2, (top + bottom) / 2

    def nearer(point, here, there):
        (px, py), (ax, ay), (bx, by) = point, centre(here), centre(there)
        return (px - ax) ** 2 + (py - ay) ** 2 < (px - bx) ** 2 + (py - by) ** 2

    arrows = True
    for e in by_class.get("move", []):
        start, end = (number(e, "x1"), number(e, "y1")), (number(e, "x2"), number(e, "y2"))
        source, target = cell_key(e, "from-"), cell_key(e, "to-")
        arrows = arrows and source in box and target in box and nearer(start, source, target) and nearer(
            end, target, source)

    framed = True
    quadrant_cells = {}
    for e in by_class.get("cell", []):
        quadrant_cells.setdefault(e.get("data-quadrant"), []).append(box[cell_key(e)])
    for g in by_class.get("quadrant", []):
        frame = next((r for r in g.iter() if local(r.tag) == "rect"), None)
        members = quadrant_cells.get(g.get("data-quadrant"), [])
        if frame is None or len(members) != 25:
            framed = False
            continue
        x, y, w, h = (number(frame, n) for n in ("x", "y", "width", "height"))
        union = (min(b[0] for b in members), min(b[1] for b in members),
                 max(b[2] for b in members), max(b[3] for b in members))
        framed = framed and all(abs(a - b) <= 4 for a, b in zip((x, y, x + w, y + h), union))
    return {"grid_oriented": oriented, "ticks_aligned": ticks, "marks_inside": marks,
            "arrows_oriented": arrows, "quadrants_framed": framed}


def get(summary, path):
    value = summary
    for key in path.split("/"):
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            value = None
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or not isinstance(value, int):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def main(argv):
    args = argv[1:]
    paths = []
    while "--get" in args:
        at = args.index("--get")
        paths.append(args[at + 1])
        del args[at:at + 2]
    if len(args) == 2 and args[0] == "--summary":
        with open(args[1], encoding="utf-8") as f:
            summary, problems = json.load(f), []
    elif len(args) == 1:
        data = sys.stdin.buffer.read() if args[0] == "-" else open(args[0], "rb").read()
        summary, problems = summarise(data)
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    for problem in problems:
        print("svg_map_check: %s" % problem, file=sys.stderr)
    if summary is not None:
        if paths:
            for path in paths:
                print(get(summary, path))
        else:
            print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
