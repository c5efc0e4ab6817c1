"""Many emails: queued with a few inserts, sent over one connection to a real SMTP server."""

import pytest
from django.db import transaction

from peerlearn import outbox
from peerlearn.models import OutboxEmail
from peerlearn.tasks import send_emails, send_pending_emails

from .smtp_server import CountingInbox, free_port, serve


def messages(count, prefix="invitation:bulk"):
    return [
        (f"peer{n}@example.org", f"{prefix}:{n}", {"initiative": {"title": f"T{n}"}})
        for n in range(count)
    ]


def queue_rows(*subjects_and_addresses):
    return [
        OutboxEmail.objects.create(
            to=to, kind="test", key=f"k-{subject}", subject=subject, body="Hi"
        )
        for subject, to in subjects_and_addresses
    ]


@pytest.fixture
def smtp(settings):
    """Point Django's SMTP backend at a counting server; yields a function that starts
    one with the given CountingInbox options."""
    controllers = []

    def start(**options):
        inbox = CountingInbox(**options)
        controllers.append(serve(inbox))
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
            "127.0.0.1",
            inbox.port,
            5,
        )
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def test_queue_templated_emails_twice_with_same_keys_writes_one_row_each(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = outbox.queue_templated_emails(
            kind="invitation", template="invitation", messages=messages(3)
        )
        again = outbox.queue_templated_emails(
            kind="invitation", template="invitation", messages=messages(4)
        )

    assert [email.key for email in again] == ["invitation:bulk:3"]
    assert sorted(OutboxEmail.objects.values_list("key", flat=True)) == [
        f"invitation:bulk:{n}" for n in range(4)
    ]
    assert {email.pk for email in first} | {again[0].pk} == set(
        OutboxEmail.objects.values_list("pk", flat=True)
    )
    assert len(callbacks) == 2  # one send task per call that wrote rows


def test_queue_templated_emails_with_a_key_twice_in_one_call_writes_it_once(db):
    repeated = messages(2) + messages(1)

    new = outbox.queue_templated_emails(kind="invitation", template="invitation", messages=repeated)

    assert len(new) == 2
    assert OutboxEmail.objects.count() == 2


def test_queue_templated_emails_with_an_old_key_keeps_the_transaction_usable(db):
    outbox.queue_email(to="a@example.org", kind="t", key="invitation:bulk:0", subject="S", body="B")

    with transaction.atomic():
        outbox.queue_templated_emails(
            kind="invitation", template="invitation", messages=messages(2)
        )
        OutboxEmail.objects.create(to="b@example.org", kind="t", key="after", subject="S", body="B")

    assert OutboxEmail.objects.count() == 3
    assert OutboxEmail.objects.get(key="invitation:bulk:0").subject == "S"


def test_emails_queued_in_bulk_are_rolled_back_with_the_change(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue_templated_emails(
            kind="invitation", template="invitation", messages=messages(2)
        )
        raise RuntimeError

    assert OutboxEmail.objects.count() == 0


def test_batch_is_sent_over_one_connection(db, smtp):
    inbox = smtp()
    rows = queue_rows(*[(f"Message {n}", f"peer{n}@example.org") for n in range(5)])

    sent = send_emails(email_ids=[row.pk for row in rows])

    assert sent == 5
    assert inbox.connections == 1
    assert inbox.subjects() == [f"Message {n}" for n in range(5)]
    assert inbox.message_ids() == [row.message_id for row in rows]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_batch_run_twice_sends_each_email_once(db, smtp):
    inbox = smtp()
    rows = queue_rows(("One", "a@example.org"), ("Two", "b@example.org"))

    send_emails(email_ids=[row.pk for row in rows])
    send_emails(email_ids=[row.pk for row in rows])

    assert inbox.subjects() == ["One", "Two"]


def test_refused_recipient_does_not_stop_the_rest_of_the_batch(db, smtp):
    inbox = smtp(refuse={"nobody@example.org"})
    rows = queue_rows(
        ("One", "a@example.org"), ("Two", "nobody@example.org"), ("Three", "c@example.org")
    )

    send_emails(email_ids=[row.pk for row in rows])

    assert inbox.subjects() == ["One", "Three"]
    assert inbox.connections == 1
    refused = OutboxEmail.objects.get(pk=rows[1].pk)
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert "nobody@example.org" in refused.last_error
    assert OutboxEmail.objects.filter(status="sent").count() == 2


def test_dropped_connection_is_reopened_and_the_message_sent(db, smtp):
    inbox = smtp(hang_up_on={"Two"})
    rows = queue_rows(
        ("One", "a@example.org"), ("Two", "b@example.org"), ("Three", "c@example.org")
    )

    send_emails(email_ids=[row.pk for row in rows])

    assert inbox.subjects() == ["One", "Two", "Three"]
    assert inbox.connections == 2
    assert inbox.message_ids() == [row.message_id for row in rows]
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_unreachable_server_leaves_the_rest_of_the_batch_to_the_sweep(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    rows = queue_rows(("One", "a@example.org"), ("Two", "b@example.org"))

    send_emails(email_ids=[row.pk for row in rows])

    first, second = (OutboxEmail.objects.get(pk=row.pk) for row in rows)
    assert (first.status, first.attempts) == ("pending", 1)
    assert first.last_error
    assert (second.status, second.attempts) == ("pending", 0)


def test_sweep_sends_what_is_due_over_one_connection(db, smtp):
    inbox = smtp()
    queue_rows(*[(f"Message {n}", f"peer{n}@example.org") for n in range(3)])

    assert send_pending_emails() == 3

    assert inbox.connections == 1
    assert len(inbox.messages) == 3
