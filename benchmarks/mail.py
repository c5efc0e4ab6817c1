"""How fast the outbox queues and delivers a mass email: `python -m benchmarks.mail`.

Run from the project root (PostgreSQL from DATABASE_URL and Redis from REDIS_URL, as
the tests use them): ``python -m benchmarks.mail [--emails 10000] [--concurrency 2]
[--give-up 180] [--one-by-one]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end),
starts an SMTP server (aiosmtpd) on 127.0.0.1 only, and one Celery worker with
``--concurrency`` processes on a queue of its own on the Redis broker, sending to that
server. After one warm-up email (so the worker is up), it queues ``--emails`` invitation
emails in one transaction with ``queue_templated_emails`` (``--one-by-one``: with
``queue_templated_email`` in a loop, as before) and prints the time to render and insert,
to commit and enqueue the send tasks, then the time until the server has received them
all, messages per second, the connections the server saw, and whether exactly as many
were delivered as queued (each Message-ID once, every row marked sent). It gives up
after ``--give-up`` seconds.
"""

import argparse
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from email.parser import BytesHeaderParser

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import SMTP  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from benchmarks.pages import in_throwaway_database  # noqa: E402
from peerlearn import outbox  # noqa: E402
from peerlearn.celery import app as celery_app  # noqa: E402
from peerlearn.models import OutboxEmail  # noqa: E402


class Inbox:
    """Counts messages, their Message-IDs and the connections made to it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.message_ids = []
        self.connections = 0

    async def handle_DATA(self, server, session, envelope):
        message_id = BytesHeaderParser().parsebytes(envelope.content)["Message-ID"]
        with self.lock:
            self.message_ids.append(message_id)
        return "250 Message accepted"

    def received(self):
        with self.lock:
            return len(self.message_ids)


class CountingSMTP(SMTP):
    def connection_made(self, transport):
        self.event_handler.connections += 1
        super().connection_made(transport)


class CountingController(Controller):
    def factory(self):
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(port, queue, concurrency):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    command = [sys.executable, "-m", "celery", "-A", "peerlearn", "worker"]
    command += [f"--concurrency={concurrency}", "--pool=prefork", "-Q", queue]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--loglevel=WARNING"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def messages(count):
    return [
        (
            f"peer{n}@bench.test",
            f"invitation:bench:{n}",
            {
                "initiative": {"title": f"Procurement reform network {n % 7}"},
                "inviter": {"name": "Bench facilitator"},
                "link": f"{settings.SITE_URL}/invitations/{n}/",
            },
        )
        for n in range(count)
    ]


def queue(batch, one_by_one):
    """Seconds to render and insert, and to commit and enqueue."""
    started = time.perf_counter()
    with transaction.atomic():
        if one_by_one:
            for to, key, context in batch:
                outbox.queue_templated_email(
                    to=to, kind="invitation", key=key, template="invitation", context=context
                )
        else:
            outbox.queue_templated_emails(kind="invitation", template="invitation", messages=batch)
        inserted = time.perf_counter()
    committed = time.perf_counter()
    return inserted - started, committed - inserted


def benchmark(options):
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    inbox = Inbox()
    port = free_port()
    controller = CountingController(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    queue_name = f"bench-mail-{uuid.uuid4().hex[:8]}"
    celery_app.conf.task_default_queue = queue_name
    worker = start_worker(port, queue_name, options.concurrency)
    try:
        with transaction.atomic():
            outbox.queue_email(to="warm@bench.test", kind="t", key="warm-up", subject="W", body="W")
        if not wait_for(lambda: inbox.received() == 1, options.give_up):
            print("the worker did not start: gave up")
            return
        inbox.message_ids.clear()
        inbox.connections = 0
        batch = messages(options.emails)

        insert_time, commit_time = queue(batch, options.one_by_one)
        queued_at = time.perf_counter()
        queued = OutboxEmail.objects.exclude(key="warm-up").count()
        print(f"emails queued:        {queued}")
        print(f"render and insert:    {insert_time:.2f} s")
        print(f"commit and enqueue:   {commit_time:.2f} s")
        print(f"queue time:           {insert_time + commit_time:.2f} s")

        done = wait_for(lambda: inbox.received() >= queued, options.give_up)
        delivery = time.perf_counter() - queued_at
        if not done:
            print(f"gave up after {options.give_up} s with {inbox.received()} delivered")
        wait_for(lambda: False, 2)  # anything sent twice arrives now
        sent = OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).exclude(key="warm-up")
        expected = set(
            OutboxEmail.objects.exclude(key="warm-up").values_list("message_id", flat=True)
        )
        received = inbox.message_ids
        exact = len(received) == queued and set(received) == expected
        print(f"delivery time:        {delivery:.2f} s")
        print(f"messages per second:  {inbox.received() / delivery:.0f}")
        print(f"SMTP connections:     {inbox.connections}")
        print(f"delivered:            {len(received)} ({len(set(received))} distinct)")
        print(f"rows marked sent:     {sent.count()}")
        print(f"delivered == queued:  {exact}")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        controller.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--give-up", type=int, default=180)
    parser.add_argument("--one-by-one", action="store_true")
    options = parser.parse_args()
    in_throwaway_database(benchmark, options)


if __name__ == "__main__":
    main()
