"""browser.py — a headless Chromium driven through chromedriver's WebDriver
HTTP API, with the Python standard library only (urllib).

Owns: starting chromedriver on a free loopback port, a session with
headless Chromium (--headless=new, --no-sandbox: the tests run as root),
and the few commands the dashboard tests need: navigate, find elements,
read text and attributes, type, click, run a line of JavaScript, resize,
take a screenshot. Extra Chromium flags (args) are added to its own, e.g.
the key a TLS test trusts. Every wait is a wait-until with a deadline, never a
fixed sleep. Chromium is never run under valgrind (only the services are).
"""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4a4a2c9c6a15"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    def __init__(self, log_path, timeout=60, width=1280, height=900, args=()):
        try:    # chromedriver reaches the browser's DevTools at "localhost"
            socket.gethostbyname("localhost")
        except OSError:
            raise RuntimeError("'localhost' does not resolve (no /etc/hosts?): chromedriver cannot reach "
                               "the browser") from None
        self.timeout = timeout
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(log_path, "ab")
        self.driver = subprocess.Popen(
            [os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"), "--port=%d" % self.port],
            stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        try:    # a browser that does not start must not leave its driver behind
            self.until(lambda: self._ready(), "chromedriver answers /status")
            caps = {"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--window-size=%d,%d" % (width, height)] + list(args)}}}}
            self.session = self._call("POST", "/session", caps)["sessionId"]
        except BaseException:
            self.driver.kill()
            self.driver.wait()
            self.log.close()
            raise

    def _ready(self):
        try:
            return self._call("GET", "/status", timeout=2)["ready"]
        except (OSError, urllib.error.URLError, ValueError):
            return False

    def _call(self, method, path, body=None, timeout=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout + 30) as answer:
                return json.loads(answer.read())["value"]
        except urllib.error.HTTPError as error:
            raise RuntimeError("%s %s: %s" % (method, path, error.read()[:500])) from None

    def _s(self, method, path, body=None):
        return self._call(method, "/session/%s%s" % (self.session, path), body)

    def until(self, predicate, what):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError("timed out waiting until " + what)

    def get(self, url):
        self._s("POST", "/url", {"url": url})

    def url(self):
        return self._s("GET", "/url")

    def find_all(self, css):
        return [e.get(ELEMENT) or next(iter(e.values())) for e in self._s("POST", "/elements", {"using": "css selector", "value": css})]

    def find(self, css):
        found = self.find_all(css)
        if not found:
            raise AssertionError("no element " + css + " on " + self.url())
        return found[0]

    def text(self, element):
        return self._s("GET", "/element/%s/text" % element)

    def attr(self, element, name):
        return self._s("GET", "/element/%s/attribute/%s" % (element, name))

    def type(self, element, text):
        self._s("POST", "/element/%s/clear" % element, {})
        self._s("POST", "/element/%s/value" % element, {"text": text})

    def click(self, element):
        self._s("POST", "/element/%s/click" % element, {})

    def script(self, source):
        return self._s("POST", "/execute/sync", {"script": source, "args": []})

    def resize(self, width, height):
        self._s("POST", "/window/rect", {"width": width, "height": height})

    def screenshot(self, path):
        with open(path, "wb") as out:
            out.write(base64.b64decode(self._s("GET", "/screenshot")))
        print("screenshot: " + path, flush=True)

    def quit(self):
        try:
            self._s("DELETE", "")
        except Exception:  # the session may be gone already
            pass
        self.driver.terminate()
        try:
            self.driver.wait(10)
        except subprocess.TimeoutExpired:
            self.driver.kill()
        self.log.close()


# ---- what the dashboard tests share ------------------------------------------

class Checks:
    """check(what, expected, actual): prints "ok: what", or FAIL and exits 1."""

    def __init__(self):
        self.count = 0

    def __call__(self, what, expected, actual):
        self.count += 1
        if expected != actual:
            print("FAIL: %s: expected %r, got %r" % (what, expected, actual), flush=True)
            sys.exit(1)
        print("ok: " + what, flush=True)


def row_ids(b, css="table.register tr.row"):
    """The data-id of each row the selector finds, in order."""
    return [b.attr(r, "data-id") for r in b.find_all(css)]


def log_in(b, base, name, secret):
    """Fills the login form at base and sends it."""
    b.get(base + "/login")
    b.type(b.find("#name"), name)
    b.type(b.find("#password"), secret)
    b.click(b.find("#login"))
