#!/usr/bin/env python3
"""bench/dashboard_client.py — CLIENTS concurrent dashboard users for bench/dashboard.sh.

    dashboard_client.py URL USER PASSWORD PAGES_JSON [CLIENTS] [SECONDS]

Signs in once (POST /login, the session cookie), then runs CLIENTS threads
(default 20), each on its own keep-alive connection, asking for register pages
as fast as they are answered for SECONDS (default 20): each request is a page
of PAGES_JSON picked at random, a list of {"path": "/mupoi?...", "total": N}
with N the rows the filter must find (written from the load's design). The
latency of a request is measured by its client from just before the request is
sent to the last byte of the body read. Every answer must be 200 with
data-total N and min(N, 100) rows, else it counts as an error (so a broken page
cannot look fast). Before the clock starts, each register is asked for once
(the first asks wait for the first snapshot): cold_ms is the slowest of those.
Prints key=value lines; exits 1 on any error.
"""
import http.client
import json
import random
import re
import sys
import threading
import time
import urllib.parse

ROWS_PER_PAGE = 100
TOTAL = re.compile(rb'data-total="(\d+)"')


def sign_in(host, port, user, password):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    body = urllib.parse.urlencode({"usuario": user, "contrasena": password})
    connection.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    if response.status != 303 or not cookie.startswith("mot_session="):
        sys.exit(f"sign-in refused: {response.status}")
    return cookie.split(";")[0]


def fetch(connection, path, cookie):
    """(status, body, seconds) of one GET on a kept-alive connection."""
    start = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    return response.status, body, time.perf_counter() - start


def wrong(page, status, body):
    """Why an answer is not the page expected, or None."""
    if status != 200:
        return f"status {status}"
    found = TOTAL.search(body)
    if not found or int(found.group(1)) != page["total"]:
        return f"data-total {found.group(1).decode() if found else None}, expected {page['total']}"
    rows = body.count(b'<tr class="row"')
    if rows != min(page["total"], ROWS_PER_PAGE):
        return f"{rows} rows, expected {min(page['total'], ROWS_PER_PAGE)}"
    return None


def client(host, port, cookie, pages, stop_at, latencies, errors, seed):
    chooser = random.Random(seed)
    connection = http.client.HTTPConnection(host, port, timeout=60)
    while time.perf_counter() < stop_at:
        page = chooser.choice(pages)
        try:
            status, body, seconds = fetch(connection, page["path"], cookie)
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{page['path']}: {error}")
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=60)
            continue
        reason = wrong(page, status, body)
        if reason:
            errors.append(f"{page['path']}: {reason}")
        latencies.append(seconds)
    connection.close()


def percentile(ordered, fraction):
    """The nearest-rank percentile of a sorted list."""
    rank = max(1, int(-(-fraction * len(ordered) // 1)))
    return ordered[rank - 1]


def main():
    url, user, password, pages_file = sys.argv[1:5]
    clients = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    seconds = float(sys.argv[6]) if len(sys.argv) > 6 else 20.0
    target = urllib.parse.urlsplit(url)
    with open(pages_file, encoding="utf-8") as stream:
        pages = json.load(stream)
    cookie = sign_in(target.hostname, target.port, user, password)

    cold = 0.0
    warm = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
    for register in sorted({page["path"].split("?")[0] for page in pages}):
        page = next(p for p in pages if p["path"].split("?")[0] == register)
        status, body, took = fetch(warm, page["path"], cookie)
        reason = wrong(page, status, body)
        if reason:
            sys.exit(f"{page['path']}: {reason}")
        cold = max(cold, took)
    warm.close()

    latencies, errors = [], []
    start = time.perf_counter()
    stop_at = start + seconds
    threads = [threading.Thread(target=client, args=(target.hostname, target.port, cookie, pages, stop_at,
                                                      latencies, errors, k)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start

    ordered = sorted(latencies)
    print(f"clients={clients}")
    print(f"cold_ms={cold * 1000:.1f}")
    print(f"requests={len(ordered)}")
    print(f"errors={len(errors)}")
    for error in errors[:5]:
        print(f"error: {error}", file=sys.stderr)
    if ordered:
        print(f"requests_per_s={len(ordered) / elapsed:.0f}")
        for name, fraction in (("p50", 0.50), ("p90", 0.90), ("p99", 0.99)):
            print(f"{name}_ms={percentile(ordered, fraction) * 1000:.1f}")
        print(f"max_ms={ordered[-1] * 1000:.1f}")
    sys.exit(1 if errors or not ordered else 0)


if __name__ == "__main__":
    main()
