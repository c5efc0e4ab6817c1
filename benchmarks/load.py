"""How fast the key pages of each role are under load, served as in production.

Run from the project root (PostgreSQL from DATABASE_URL, Redis from REDIS_URL):
``python -m benchmarks.load [--clients 10] [--requests 200] [--seconds 30] [--workers N]
[--only facilitator:people ...]``.

On first run it builds a 5,000-peer initiative (two years of data, see
benchmarks/dashboard.py) in the database DATABASE_URL + ``_load``, kept for later runs.
It collects the static files, starts gunicorn on 127.0.0.1 with DEBUG=0 (``--workers``,
default two per core), signs in a facilitator, a peer and an authoriser, and for each key
page sends ``--requests`` requests from ``--clients`` concurrent clients (stopping after
``--seconds``). It prints requests per second, the 50th, 95th and 99th percentile times,
errors (any answer but 200) and the CPU time gunicorn spent per request.
"""

import argparse
import http.client
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from benchmarks import served


def fetch(base, path, cookie):
    """Seconds the page took and its status."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - started, response.status
    except OSError:
        return time.perf_counter() - started, 0
    finally:
        connection.close()


def hammer(base, path, cookie, clients, requests, seconds):
    """Times and statuses of `requests` requests from `clients` threads, within `seconds`."""
    deadline = time.monotonic() + seconds
    left = iter(range(requests))
    lock = threading.Lock()
    results = []

    def client():
        while time.monotonic() < deadline:
            with lock:
                if next(left, None) is None:
                    return
            results.append(fetch(base, path, cookie))

    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(client)
    return results


def percentile(times, share):
    return sorted(times)[min(len(times) - 1, int(len(times) * share))]


def run(options):
    served.setup_django()
    initiative, users = served.world()
    cookies = served.session_cookies(users)
    pages = [
        (role, name, path)
        for role, name, path in served.key_pages(initiative)
        if not options.only or f"{role}:{name}" in options.only
    ]
    print(
        f"{served.PEERS} peers, {options.clients} clients, {options.workers} gunicorn workers,"
        f" up to {options.requests} requests or {options.seconds} s per page"
    )
    header = f"{'role':12} {'page':12} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(f"{header} {'errors':>6} {'CPU ms/req':>10}")
    with served.gunicorn(options.workers) as (base, server):
        for role, name, path in pages:
            # Concurrent, so that every worker has loaded its templates and modules.
            warm = hammer(base, path, cookies[role], options.clients, options.workers * 5, 30)
            statuses = {status for _seconds, status in warm}
            if statuses != {200}:
                print(f"{role:12} {name:12} answers {sorted(statuses)}")
                continue
            cpu = served.cpu_seconds(server)
            started = time.perf_counter()
            results = hammer(
                base, path, cookies[role], options.clients, options.requests, options.seconds
            )
            elapsed = time.perf_counter() - started
            cpu = served.cpu_seconds(server) - cpu
            times = [seconds * 1000 for seconds, _status in results]
            errors = sum(status != 200 for _seconds, status in results)
            print(
                f"{role:12} {name:12} {len(results) / elapsed:6.1f}"
                f" {statistics.median(times):7.0f} {percentile(times, 0.95):7.0f}"
                f" {percentile(times, 0.99):7.0f} {errors:6d}"
                f" {cpu * 1000 / len(results):10.0f}"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--only", nargs="*", help='pages such as "peer:home" (default: all)')
    run(parser.parse_args())


if __name__ == "__main__":
    main()
