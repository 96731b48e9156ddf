#!/usr/bin/env python3
"""report_html_check — reads the monthly report's HTML (services/reporter/
monthly_html.c) the way a test should: by parsing it (html.parser, stdlib
only), not by comparing strings with the renderer's output.

    report_html_check.py FILE    prints a JSON summary:
      title                the document's <title>
      figures {"problematicas.total": 1, ...}   every data-figure card's number
      quadrants {"problematicas-cuadrantes": {"I": {"anterior": "1", "actual": "0"}}}
      tables [ids]         the tables, in order
      rows {table id: number of body rows}
      svgs                 inline <svg> documents
      scripts              <script> elements (there must be none)
      external             src/href attributes pointing outside the document
Exit 1 when the file is not HTML with a <title>.
"""
import json
import re
import sys
from html.parser import HTMLParser


class Report(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.in_title = "", False
        self.figures, self.figure, self.in_b = {}, None, False
        self.quadrants, self.table, self.quadrant, self.month = {}, None, None, None
        self.tables, self.rows, self.in_tbody = [], {}, False
        self.svgs = self.scripts = self.external = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self.in_title = True
        elif tag == "svg":
            self.svgs += 1
        elif tag == "script":
            self.scripts += 1
        elif tag == "table":
            self.table = a.get("id")
            self.tables.append(self.table)
            self.rows[self.table] = 0
        elif tag == "tbody":
            self.in_tbody = True
        elif tag == "tr" and self.in_tbody:
            self.rows[self.table] += 1
            self.quadrant = a.get("data-quadrant")
        elif tag == "td" and self.quadrant:
            self.month = a.get("data-month")
        elif tag == "div" and "data-figure" in a:
            self.figure = a["data-figure"]
        elif tag == "b" and self.figure:
            self.in_b = True
        for name in ("src", "href"):
            value = a.get(name) or ""
            if re.match(r"^(https?:)?//", value):
                self.external += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "b":
            self.in_b = False
        elif tag == "div":
            self.figure = None
        elif tag == "td":
            self.month = None
        elif tag == "tbody":
            self.in_tbody = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.in_b and self.figure:
            self.figures[self.figure] = int(data)
        if self.month and self.quadrant and data.strip():
            self.quadrants.setdefault(self.table, {}).setdefault(self.quadrant, {})[self.month] = data.strip()


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    report = Report()
    report.feed(text)
    if not report.title:
        print("not an HTML report with a title", file=sys.stderr)
        return 1
    print(json.dumps({"title": report.title, "figures": report.figures, "quadrants": report.quadrants,
                      "tables": report.tables, "rows": report.rows, "svgs": report.svgs,
                      "scripts": report.scripts, "external": report.external}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
