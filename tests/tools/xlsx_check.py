#!/usr/bin/python3
"""xlsx_check — reads an .xlsx workbook with the standard library only (an
.xlsx is a zip of XML parts: ECMA-376) and prints what the tests check, as
one JSON object:

  sheets      the worksheets' names, in order
  header      the first sheet's row 1, as texts
  header_bold true when every header cell's font is bold
  rows        rows 2.. as objects {header text: value}: numbers as numbers
              (integers as integers), texts as texts, a number whose format
              is a date as "YYYY-MM-DD" (1900 date system), empty cells left
              out
  types       the same shape: "n" number, "s" shared string, "inline"
              inline string, "d" date (a number with a date format), "b"
              boolean, "str" formula text
  fills       the same shape, only for filled cells: the fill's hue family
              (hues.py: rojo, naranja, amarillo, verde, gris, otro)
  formats     the same shape, only for cells with a number format other than
              General: its format code
  pane        the first sheet's pane (ySplit, xSplit, topLeftCell, state),
              or null
  autofilter  the first sheet's autoFilter ref, or null
  widths      {header text: column width}, for columns given one

Exit 1 (with the reason on stderr) when the file is not a workbook.
"""
import datetime
import json
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hues import hue_family  # noqa: E402

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
R_ID = "{%s}id" % NS["r"]
# Built-in number formats that are dates (ECMA-376 part 1, 18.8.30).
BUILTIN_DATES = set(range(14, 23)) | set(range(45, 48))
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                   14: "mm-dd-yy", 49: "@"}


def column_index(ref):
    """"AH12" → 33 (0-based)."""
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def row_number(ref):
    return int(re.search(r"[0-9]+", ref).group(0))


def text_of(element):
    """The text of a <si> or <is>: its <t>, or its rich runs' <t>s joined."""
    return "".join(t.text or "" for t in element.iter("{%s}t" % NS["m"]))


class Styles:
    def __init__(self, root):
        self.num_formats = dict(BUILTIN_FORMATS)
        for fmt in root.findall("m:numFmts/m:numFmt", NS):
            self.num_formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
        self.fonts = [font.find("m:b", NS) is not None and font.find("m:b", NS).get("val", "1") not in ("0", "false")
                      for font in root.findall("m:fonts/m:font", NS)]
        self.fills = []
        for fill in root.findall("m:fills/m:fill", NS):
            pattern = fill.find("m:patternFill", NS)
            colour = pattern.find("m:fgColor", NS) if pattern is not None else None
            solid = pattern is not None and pattern.get("patternType") == "solid"
            self.fills.append(colour.get("rgb") if solid and colour is not None and colour.get("rgb") else None)
        self.xfs = root.findall("m:cellXfs/m:xf", NS)

    def xf(self, index):
        return self.xfs[index] if index < len(self.xfs) else None

    def fill(self, index):
        xf = self.xf(index)
        fill_id = int(xf.get("fillId", "0")) if xf is not None else 0
        return self.fills[fill_id] if fill_id < len(self.fills) else None

    def bold(self, index):
        xf = self.xf(index)
        font_id = int(xf.get("fontId", "0")) if xf is not None else 0
        return font_id < len(self.fonts) and self.fonts[font_id]

    def num_format(self, index):
        xf = self.xf(index)
        fmt_id = int(xf.get("numFmtId", "0")) if xf is not None else 0
        return fmt_id, self.num_formats.get(fmt_id, "#%d" % fmt_id)

    def is_date(self, index):
        fmt_id, code = self.num_format(index)
        if fmt_id in BUILTIN_DATES:
            return True
        bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code or "")
        return fmt_id >= 164 and re.search(r"[ymd]", bare, re.I) is not None


def first_sheet_path(book):
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    sheets = workbook.findall("m:sheets/m:sheet", NS)
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("rel:Relationship", NS)}
    target = targets[sheets[0].get(R_ID)]
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return [sheet.get("name") for sheet in sheets], path


def cell_value(cell, shared, styles):
    """(value, type) of a <c>; (None, None) when it holds nothing."""
    kind = cell.get("t", "n")
    style = int(cell.get("s", "0"))
    v = cell.find("m:v", NS)
    if kind == "inlineStr":
        inline = cell.find("m:is", NS)
        return (text_of(inline), "inline") if inline is not None else (None, None)
    if v is None or v.text is None:
        return None, None
    if kind == "s":
        return shared[int(v.text)], "s"
    if kind == "b":
        return v.text == "1", "b"
    if kind in ("str", "e"):
        return v.text, kind
    number = float(v.text)
    if styles.is_date(style):
        day = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(number))
        return day.isoformat(), "d"
    return (int(number) if number.is_integer() else number), "n"


def read(path):
    with zipfile.ZipFile(path) as book:
        names, sheet_path = first_sheet_path(book)
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ET.fromstring(book.read("xl/sharedStrings.xml"))
            shared = [text_of(si) for si in root.findall("m:si", NS)]
        styles = Styles(ET.fromstring(book.read("xl/styles.xml")))
        sheet = ET.fromstring(book.read(sheet_path))

    cells = {}          # (row, column) → <c>
    for cell in sheet.findall("m:sheetData/m:row/m:c", NS):
        ref = cell.get("r")
        cells[(row_number(ref), column_index(ref))] = cell
    width = max([c for _, c in cells] + [-1]) + 1
    last_row = max([r for r, _ in cells] + [0])

    header, header_bold = [], True
    for c in range(width):
        cell = cells.get((1, c))
        value, _ = cell_value(cell, shared, styles) if cell is not None else (None, None)
        header.append(value)
        header_bold = header_bold and cell is not None and styles.bold(int(cell.get("s", "0")))

    rows, types, fills, formats = [], [], [], []
    for r in range(2, last_row + 1):
        row, row_types, row_fills, row_formats = {}, {}, {}, {}
        for c in range(width):
            cell = cells.get((r, c))
            if cell is None:
                continue
            name = header[c] if c < len(header) and header[c] is not None else "#%d" % c
            style = int(cell.get("s", "0"))
            value, kind = cell_value(cell, shared, styles)
            if value is not None:
                row[name], row_types[name] = value, kind
            fill = styles.fill(style)
            if fill:
                row_fills[name] = hue_family(fill)
            fmt_id, code = styles.num_format(style)
            if fmt_id != 0:
                row_formats[name] = code
        rows.append(row)
        types.append(row_types)
        fills.append(row_fills)
        formats.append(row_formats)

    pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
    autofilter = sheet.find("m:autoFilter", NS)
    widths = {}
    for col in sheet.findall("m:cols/m:col", NS):
        for c in range(int(col.get("min")) - 1, int(col.get("max"))):
            if c < len(header) and header[c] is not None and col.get("width"):
                widths[header[c]] = float(col.get("width"))
    return {
        "sheets": names,
        "header": header,
        "header_bold": header_bold and width > 0,
        "rows": rows,
        "types": types,
        "fills": fills,
        "formats": formats,
        "pane": {k: pane.get(k) for k in ("ySplit", "xSplit", "topLeftCell", "state")} if pane is not None else None,
        "autofilter": autofilter.get("ref") if autofilter is not None else None,
        "widths": widths,
    }


def main():
    if len(sys.argv) != 2:
        print("usage: xlsx_check.py FILE.xlsx", file=sys.stderr)
        return 2
    try:
        summary = read(sys.argv[1])
    except (OSError, KeyError, IndexError, ValueError, zipfile.BadZipFile, ET.ParseError) as error:
        print("xlsx_check: %s is not a workbook: %s" % (sys.argv[1], error), file=sys.stderr)
        return 1
    json.dump(summary, sys.stdout, ensure_ascii=False, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
