"""dashboard_browser.py URL USER PASSWORD ARTEFACTS EXPECT.json — drives
headless Chromium through the dashboard and checks each page's DOM against
EXPECT (written by hand in tests/e2e/test_dashboard.sh), saving a
screenshot of each page into ARTEFACTS. Prints one line per check; exits 1
on the first failure.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser, Checks, log_in, row_ids  # noqa: E402

base, user, password, artefacts, expect_path = sys.argv[1:6]
expect = json.load(open(expect_path))
os.makedirs(artefacts, exist_ok=True)
check = Checks()


def shot(b, name):
    b.screenshot(os.path.join(artefacts, name + ".png"))


b = Browser(os.path.join(artefacts, "chromedriver.log"))
try:
    # --- login -----------------------------------------------------------
    b.get(base + "/mupoi")
    check("without a session the register sends to the login form", True, b.url().endswith("/login"))
    shot(b, "login")
    log_in(b, base, user, password + "x")
    b.until(lambda: b.find_all("#login-error"), "the login error shows")
    check("a wrong password is refused without saying which", "Usuario o contraseña incorrectos.",
          b.text(b.find("#login-error")))
    log_in(b, base, user, password)
    b.until(lambda: b.url() == base + "/", "the login leads to the home page")
    check("the right password opens the home page and names the account", True,
          user in b.text(b.find("header .who")))
    shot(b, "home")

    # --- MUPOI: rows, sorting, filters ---------------------------------------
    b.get(base + "/mupoi")
    check("the MUPOI shows the open problemáticas", sorted(expect["mupoi"]), sorted(row_ids(b)))
    check("the count says so", str(len(expect["mupoi"])), b.text(b.find("#count b")))
    shot(b, "mupoi")
    b.get(base + "/mupoi?orden=impacto&dir=desc")
    check("sorted by impact, highest first", expect["mupoi_by_impact_desc"], row_ids(b))
    b.get(base + "/mupoi?orden=frecuencia&dir=asc")
    check("sorted by frequency, lowest first", expect["mupoi_by_frequency_asc"], row_ids(b))
    b.get(base + "/mupoi")
    b.type(b.find("input[name=territorio]"), expect["territory"])
    b.click(b.find("#filter"))
    b.until(lambda: "territorio=" in b.url(), "the filter is applied")
    check("filtered by territory", expect["mupoi_in_territory"], row_ids(b))
    b.get(base + "/mupoi?cuadrante=1")
    check("filtered by quadrant I", expect["mupoi_quadrant_1"], row_ids(b))
    b.get(base + "/muro")
    check("the MURO shows the riesgos", expect["muro"], row_ids(b))
    shot(b, "muro")

    # --- the map ---------------------------------------------------------------
    b.get(base + "/mapa?tipo=mupoi")
    for cell in expect["map_cells"]:
        rect = b.find('svg rect.cell[data-impact="%d"][data-vertical="%d"]' % (cell[0], cell[1]))
        check("map cell %d,%d holds %d" % tuple(cell), str(cell[2]), b.attr(rect, "data-count"))
    check("the map's dots", len(expect["mupoi"]), len(b.find_all("svg circle.item")))
    shot(b, "mapa")
    link = b.find('a.cell-link[href="/mupoi?impacto=%d&vertical=%d"]' % tuple(expect["click_cell"][:2]))
    b.click(b.find('a.cell-link[href="/mupoi?impacto=%d&vertical=%d"] rect' % tuple(expect["click_cell"][:2])))
    b.until(lambda: "impacto=" in b.url(), "the cell's link is followed")
    check("the cell's register lists its items", expect["click_cell"][2], row_ids(b))
    del link
    b.get(base + "/mapa?tipo=mupoi&periodo=" + expect["period"])
    options = [b.text(o) for o in b.find_all("#periodo option")]
    check("the period selector offers the frozen month", True, expect["period"] in options)
    for cell in expect["period_cells"]:
        rect = b.find('svg rect.cell[data-impact="%d"][data-vertical="%d"]' % (cell[0], cell[1]))
        check("%s map cell %d,%d holds %d" % (expect["period"], cell[0], cell[1], cell[2]), str(cell[2]),
              b.attr(rect, "data-count"))
    shot(b, "mapa-periodo")

    # --- an item -------------------------------------------------------------
    item = expect["item"]
    b.get(base + "/item?id=" + item["id"])
    for fact, value in item["facts"].items():
        check("item %s" % fact, value, b.text(b.find('[data-fact="%s"] b' % fact)))
    periods = [b.attr(r, "data-period") for r in b.find_all("#positions tr.position")]
    check("its positions month by month", item["periods"], periods)
    trail = [b.attr(r, "data-what") for r in b.find_all("#trail tr.trail")]
    check("its trail starts with", item["trail_first"], trail[0] if trail else None)
    shot(b, "item")

    # --- obligations ------------------------------------------------------------
    b.get(base + "/obligaciones")
    overdue_ids = row_ids(b, "#overdue tr.row")
    check("the overdue action is on the overdue board (with October's undelivered reports)", True,
          all(i in overdue_ids for i in expect["overdue"]))
    check("and not due soon", [], [i for i in row_ids(b, "#due-soon tr.row") if i in expect["overdue"]])
    shot(b, "obligaciones")

    # --- a phone ---------------------------------------------------------------
    b.resize(390, 844)
    b.get(base + "/mupoi")
    b.until(lambda: b.script("return window.innerWidth") <= 420, "the window is phone-sized")
    check("the page body does not overflow sideways", True,
          b.script("return document.documentElement.scrollWidth <= window.innerWidth"))
    check("the table scrolls inside its box", True,
          b.script("var s=document.querySelector('.scroll'); return s.scrollWidth > s.clientWidth"))
    shot(b, "mupoi-telefono")
finally:
    b.quit()
print("%d passed, 0 failed" % check.count)
