"""How long a request waits on Redis while it is down: `python -m benchmarks.outage`.

Prints the time to enqueue a job and to use the cache (as a sign-in rate limit does)
against a port where nothing listens (connection refused) and against an address that
never answers (a firewall dropping packets), first call and then per call.
"""

import contextlib
import os
import socket
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")

import django  # noqa: E402

django.setup()


from peerlearn import jobs  # noqa: E402
from peerlearn.cache import RedisCacheWithFallback  # noqa: E402
from peerlearn.celery import app  # noqa: E402
from peerlearn.settings import REDIS_BROKER_OPTIONS, redis_cache  # noqa: E402
from peerlearn.tasks import send_email  # noqa: E402


def silent_server():
    """A port that takes connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(100)
    return listener, f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


SILENT, SILENT_URL = silent_server()
OUTAGES = {"refused": "redis://127.0.0.1:1/0", "silent": SILENT_URL}
CALLS = 20
GIVE_UP_AFTER = 20


def timed(function, calls):
    """Seconds for the first call, and then for each of `calls` more."""
    start = time.perf_counter()
    function()
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _call in range(calls):
        function()
    return first, (time.perf_counter() - start) / calls


def timed_once(function, give_up_after):
    """Seconds for one call, or None if it had not returned after `give_up_after`."""
    worker = threading.Thread(target=function, daemon=True)
    start = time.perf_counter()
    worker.start()
    worker.join(give_up_after)
    return None if worker.is_alive() else time.perf_counter() - start


def point_broker_at(url, transport_options):
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None


def sign_in_cache_calls(cache):
    # What one rate-limited sign-in does: lock, read the count, write it, unlock.
    cache.add("count:lock", 1)
    cache.get("count")
    cache.set("count", [1])
    cache.delete("count:lock")


def main():
    row("Redis", "what", "first call", "then, each")
    for name, url in OUTAGES.items():
        point_broker_at(url, {})
        before = timed_once(_delay_as_before, GIVE_UP_AFTER)
        shown = f"> {GIVE_UP_AFTER} s" if before is None else ms(before)
        row(name, "enqueue, Celery's defaults (before: then a 500)", shown, "")
        point_broker_at(url, REDIS_BROKER_OPTIONS)
        jobs._broker_down_until = 0.0
        first, then = timed(lambda: jobs.enqueue(send_email, email_id=0), CALLS)
        row(name, "enqueue through peerlearn.jobs (now)", ms(first), ms(then))
        config = redis_cache(url)
        cache = RedisCacheWithFallback(config["LOCATION"], config)
        first, then = timed(lambda cache=cache: sign_in_cache_calls(cache), CALLS)
        row(name, "one sign-in's rate-limit cache calls (now)", ms(first), ms(then))
    return 0


def row(*cells):
    print(f"{cells[0]:<8} {cells[1]:<48} {cells[2]:>11} {cells[3]:>11}")


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def _delay_as_before():
    with contextlib.suppress(Exception):  # what a request used to turn into a 500
        send_email.delay(email_id=0)


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)
    sys.exit(main())
