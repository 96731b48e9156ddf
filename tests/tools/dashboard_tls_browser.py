"""dashboard_tls_browser.py URL USER PASSWORD ARTEFACTS SPKI ID... — headless
Chromium once through the dashboard over HTTPS (tests/e2e/test_dashboard_tls.sh).

Chromium trusts the one server key whose SubjectPublicKeyInfo hashes
(SHA-256, base64) to SPKI (--ignore-certificate-errors-spki-list): any
other certificate still fails, so the page loads only from the configured
key. Checks: the login form loads over https:; signing in leads to the home
page; the MUPOI's rows are the IDs (any order); the session cookie is not
readable by the page's scripts (HttpOnly). A screenshot of the login and
the register in ARTEFACTS (tls-*.png). Prints one line per check; exits 1
on the first failure.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser, Checks, log_in, row_ids  # noqa: E402

base, user, password, artefacts, spki = sys.argv[1:6]
expected_ids = sorted(sys.argv[6:])
os.makedirs(artefacts, exist_ok=True)
check = Checks()

b = Browser(os.path.join(artefacts, "chromedriver-tls.log"), args=["--ignore-certificate-errors-spki-list=" + spki])
try:
    b.get(base + "/login")
    b.until(lambda: b.find_all("#login"), "the login form loads")
    check("the login form came over HTTPS", "https:", b.script("return location.protocol"))
    b.screenshot(os.path.join(artefacts, "tls-login.png"))
    log_in(b, base, user, password)
    b.until(lambda: b.url() == base + "/", "the login leads to the home page")
    check("signing in over HTTPS opens the home page", True, user in b.text(b.find("header .who")))
    check("the session cookie is HttpOnly (scripts do not see it)", False,
          "mot_session" in b.script("return document.cookie"))
    b.get(base + "/mupoi")
    b.until(lambda: b.find_all("table.register"), "the MUPOI loads")
    check("the MUPOI over HTTPS shows the problemáticas", expected_ids, sorted(row_ids(b)))
    b.screenshot(os.path.join(artefacts, "tls-mupoi.png"))
finally:
    b.quit()
print("%d passed, 0 failed" % check.count)
