"""A real Celery worker, on the configured broker (Redis when REDIS_URL is set), sends
outbox rows to a real SMTP server started here."""

import os
import socket
import subprocess
import sys
import time
import uuid
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


@pytest.fixture
def inbox():
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def worker(inbox):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(inbox.port),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
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
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    yield process
    celery_app.conf.task_default_queue = previous
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


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
