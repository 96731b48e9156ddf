#!/usr/bin/python3
"""page_check — reads a dashboard page's HTML by parsing it (html.parser,
stdlib only), for the tests: what the page says, not how the code wrote it.

    page_check.py FILE    prints a JSON summary:
      title    the <title>
      links    every href, in order (entities decoded: "&amp;" is "&")
      table_links  {table id: [href]}: the links inside each table
      tables   {table id: [row]}: each <tr> holding <td data-column="…">
               cells, as {column: text}
      fields   {table id: {name: text}}: each <tr data-field="name">, its
               <td>'s text
      ids      {id: text}: the text of each element with an id (tables
               and void elements aside)
      options  {select name: [option text]}
      class_links  {class: [href]}: the links of each class
    Texts have their whitespace collapsed.
Exit 1 when the file has no <title>.
"""
import json
import sys
from html.parser import HTMLParser


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.in_title = "", False
        self.links, self.tables, self.fields, self.table_links, self.class_links = [], {}, {}, {}, {}
        self.table = None           # the id of the table being read
        self.row = None             # {column: text} of the row being read
        self.field = None           # the data-field of the row being read
        self.cell = None            # the column (or "field") being read
        self.text = []
        self.ids, self.open_ids = {}, []    # [(tag, id, [text])] of the elements being read
        self.options, self.select = {}, None

    VOID = {"input", "meta", "br", "img", "hr", "link"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "title":
            self.in_title = True
        if "id" in a and tag != "table" and tag not in self.VOID:
            self.open_ids.append((tag, a["id"], []))
        if tag == "select":
            self.select = a.get("name", "")
            self.options.setdefault(self.select, [])
        elif tag == "option" and self.select is not None:
            self.options[self.select].append("")
        if "href" in a and "class" in a:
            for name in a["class"].split():
                self.class_links.setdefault(name, []).append(a["href"])
        if "href" in a:
            self.links.append(a["href"])
            if self.table is not None:
                self.table_links.setdefault(self.table, []).append(a["href"])
        if tag == "table":
            self.table = a.get("id", "")
        elif tag == "tr" and self.table is not None:
            self.row, self.field = {}, a.get("data-field")
        elif tag == "td" and self.row is not None:
            self.cell = a.get("data-column") or ("=field" if self.field else None)
            self.text = []

    def handle_endtag(self, tag):
        if self.open_ids and self.open_ids[-1][0] == tag:
            _, name, text = self.open_ids.pop()
            self.ids[name] = " ".join("".join(text).split())
        if tag == "select":
            self.select = None
        if tag == "title":
            self.in_title = False
        elif tag == "td" and self.cell is not None:
            text = " ".join("".join(self.text).split())
            if self.cell == "=field":
                self.fields.setdefault(self.table, {})[self.field] = text
            else:
                self.row[self.cell] = text
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.tables.setdefault(self.table, []).append(self.row)
            self.row = self.field = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        for _, _, text in self.open_ids:
            text.append(data)
        if self.select is not None and self.options[self.select]:
            self.options[self.select][-1] += data
        if self.in_title:
            self.title += data
        if self.cell is not None:
            self.text.append(data)


def main(path):
    with open(path, encoding="utf-8") as f:
        page = Page()
        page.feed(f.read())
    if not page.title:
        print("not a page with a title", file=sys.stderr)
        return 1
    print(json.dumps({"title": page.title, "links": page.links, "tables": page.tables, "fields": page.fields,
                      "table_links": page.table_links, "ids": page.ids, "options": page.options,
                      "class_links": page.class_links},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
