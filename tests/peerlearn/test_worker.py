"""A real Celery worker, on the configured broker (Redis when REDIS_URL is set), sends
outbox rows to a real SMTP server started here."""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction

from peerlearn import outbox
from peerlearn.celery import app as celery_app
from peerlearn.models import OutboxEmail
from peerlearn.tasks import send_email, send_pending_emails

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"

    def subjects_to(self, address):
        return [
            line.split(":", 1)[1].strip()
            for envelope in self.messages
            if address in envelope.rcpt_tos
            for line in envelope.content.decode().splitlines()
            if line.startswith("Subject:")
        ]

    def message_ids(self):
        """{subject: [Message-ID of each copy received]}"""
        received = {}
        for envelope in self.messages:
            message = message_from_bytes(envelope.content)
            received.setdefault(message["Subject"], []).append(message["Message-ID"])
        return received


class SlowInbox(Inbox):
    """Takes `held` in, then keeps the sender waiting for the reply until released:
    a worker that dies now has had its email taken but has not heard so."""

    def __init__(self, held):
        super().__init__()
        self.held = held
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        subject = message_from_bytes(envelope.content)["Subject"]
        if subject == self.held and not self.holding.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted"


def database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(inbox):
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    return controller


@pytest.fixture
def inbox():
    inbox = Inbox()
    controller = serve(inbox)
    yield inbox
    controller.stop()


def start_worker(inbox, queue, **env):
    """A Celery worker process on `queue`, sending to `inbox`; settings from `env`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(inbox.port),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "peerlearn",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def queue_name():
    """A queue of this test's own, so no other worker takes its jobs."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous


@pytest.fixture
def worker(inbox, queue_name):
    process = start_worker(inbox, queue_name)
    yield process
    stop(process)


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def queue(key, subject):
    with transaction.atomic():
        return outbox.queue_email(
            to="peer@example.org", kind="test", key=key, subject=subject, body="Hello"
        )


def test_worker_delivers_outbox_email_to_smtp_once(worker, inbox):
    email = queue("first", "Your match is ready")
    assert wait_for(lambda: inbox.subjects_to("peer@example.org"))

    send_email.delay(email_id=email.pk)
    send_pending_emails.delay()
    queue("marker", "Marker")
    assert wait_for(lambda: "Marker" in inbox.subjects_to("peer@example.org"))

    assert inbox.subjects_to("peer@example.org") == ["Your match is ready", "Marker"]
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert worker.poll() is None


@pytest.fixture
def slow_inbox():
    inbox = SlowInbox(held="Message 2")
    controller = serve(inbox)
    yield inbox
    inbox.released.set()
    controller.stop()


def test_worker_killed_mid_batch_loses_no_email(slow_inbox, queue_name):
    # As in production, the claim outlasts the SMTP timeout only just (both shortened).
    timeouts = {"EMAIL_TIMEOUT": "3", "OUTBOX_CLAIM_TIMEOUT": "4"}
    emails = [
        OutboxEmail.objects.create(
            to="peer@example.org", kind="test", key=f"batch-{n}", subject=f"Message {n}", body="Hi"
        )
        for n in range(1, 6)
    ]
    first = start_worker(slow_inbox, queue_name, **timeouts)
    send_pending_emails.delay()
    assert slow_inbox.holding.wait(timeout=60)
    first.kill()
    first.wait()
    slow_inbox.released.set()
    second = start_worker(slow_inbox, queue_name, **timeouts)

    try:
        assert wait_for(lambda: sweep_until_sent(len(emails)), seconds=90)
    finally:
        stop(second)

    received = slow_inbox.message_ids()
    assert sorted(received) == [email.subject for email in emails]
    for email in emails:
        assert set(received[email.subject]) == {email.message_id}
    assert [len(received[email.subject]) for email in emails] == [1, 2, 1, 1, 1]


def sweep_until_sent(count):
    """Ask a worker for the sweep; True once `count` rows are marked sent."""
    if OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == count:
        return True
    send_pending_emails.delay()
    time.sleep(1)
    return False


# --- mail: batches ---
def test_worker_sends_a_bulk_queue_in_batches_each_over_one_connection(queue_name):
    from .smtp_server import CountingInbox
    from .smtp_server import serve as serve_counting

    counting = CountingInbox()
    controller = serve_counting(counting)
    process = start_worker(counting, queue_name)
    count = outbox.SEND_BATCH + 5
    try:
        with transaction.atomic():
            emails = outbox.queue_templated_emails(
                kind="invitation",
                template="invitation",
                messages=[
                    (f"peer{n}@example.org", f"bulk-{n}", {"initiative": {"title": f"T{n}"}})
                    for n in range(count)
                ],
            )
        sent = OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT)
        assert wait_for(lambda: sent.count() == count, seconds=90)
        time.sleep(0.5)
    finally:
        stop(process)
        controller.stop()

    assert sorted(counting.message_ids()) == sorted(email.message_id for email in emails)
    assert counting.connections == 2  # one per send task of SEND_BATCH
