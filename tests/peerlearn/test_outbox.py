from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from peerlearn import outbox
from peerlearn.models import OutboxEmail
from peerlearn.tasks import delete_old_emails, send_email, send_pending_emails


def queue(key="reminder:1:2027-01", kind="reminder", body="Body"):
    return outbox.queue_email(to="peer@example.org", kind=kind, key=key, subject="Hello", body=body)


def test_queue_email_twice_with_same_key_writes_one_row(db):
    first = queue()

    second = queue()

    assert second is None
    assert list(OutboxEmail.objects.values_list("pk", flat=True)) == [first.pk]


def test_send_email_task_run_twice_sends_once(db):
    email = queue()

    send_email(email_id=email.pk)
    send_email(email_id=email.pk)

    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.sent_at is not None


def test_send_email_for_vanished_row_does_nothing(db):
    send_email(email_id=12345)

    assert mail.outbox == []


def test_sweep_sends_only_what_is_due(db):
    queue("a")
    queue("b")
    send_pending_emails()

    again = send_pending_emails()

    assert len(mail.outbox) == 2
    assert again == 0


def test_failed_send_is_retried_then_given_up(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    email = queue()

    for _attempt in range(OutboxEmail.MAX_ATTEMPTS + 2):
        send_pending_emails()

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert email.attempts == OutboxEmail.MAX_ATTEMPTS
    assert email.last_error


def test_queued_email_is_sent_when_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()

    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_emails_queued_in_bulk_are_each_sent_once_after_commit(
    db, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://peerlearn.example.org"
    messages = [
        (f"peer{n}@example.org", f"invitation:test:{n}", {"initiative": {"title": f"T{n}"}})
        for n in range(outbox.SEND_BATCH + 1)
    ]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbox.queue_templated_emails(kind="invitation", template="invitation", messages=messages)
    send_pending_emails()

    assert len(callbacks) == 2  # one send task per batch of SEND_BATCH
    assert len(mail.outbox) == outbox.SEND_BATCH + 1
    assert mail.outbox[-1].to == [f"peer{outbox.SEND_BATCH}@example.org"]
    assert mail.outbox[0].subject == "You are invited to T0"


def test_a_retried_email_keeps_its_message_id(db, settings):
    email, other = queue("a"), queue("b")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    send_pending_emails()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    send_pending_emails()

    sent = [message.message()["Message-ID"] for message in mail.outbox]
    assert sent == [email.message_id, other.message_id]
    assert email.message_id != other.message_id


def test_sign_in_code_is_blanked_once_sent(db):
    code = queue("code", kind="account_login_code", body="Your code: ABCD-1234")
    reminder = queue("reminder")

    send_pending_emails()

    code.refresh_from_db()
    reminder.refresh_from_db()
    assert "ABCD-1234" in mail.outbox[0].body
    assert (code.status, code.subject, code.html) == ("sent", "Hello", "")
    assert code.body == OutboxEmail.REMOVED_NOTE
    assert reminder.body == "Body"


def test_demo_mailbox_shows_a_code_until_it_has_expired(client, db, settings):
    settings.SHOW_MAILBOX = True
    code = queue("code", kind="account_login_code", body="Your code: ABCD-1234")
    send_pending_emails()
    shown = client.get(reverse("mailbox")).text
    expired = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 1)
    OutboxEmail.objects.filter(pk=code.pk).update(sent_at=expired)

    send_pending_emails()

    assert "ABCD-1234" in shown
    page = client.get(reverse("mailbox")).text
    assert "ABCD-1234" not in page
    assert "Removed once sent: it held a sign-in code or link." in page


def test_an_email_whose_sender_died_on_its_last_attempt_shows_as_failed(db, settings):
    email, other = queue("last"), queue("earlier")
    long_ago = timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT + 1)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status="sending", claimed_at=long_ago, attempts=OutboxEmail.MAX_ATTEMPTS
    )
    OutboxEmail.objects.filter(pk=other.pk).update(status="sending", claimed_at=long_ago)

    send_pending_emails()

    email.refresh_from_db()
    other.refresh_from_db()
    assert (email.status, other.status) == ("failed", "sent")
    assert [message.subject for message in mail.outbox] == ["Hello"]


def test_old_sent_and_failed_emails_are_deleted_but_pending_ones_stay(db, settings):
    settings.OUTBOX_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=31)
    for status in ("sent", "failed", "pending"):
        email = outbox.queue_email(
            to="ana@example.org", kind="test", key=f"old:{status}", subject="Old", body="Old"
        )
        OutboxEmail.objects.filter(pk=email.pk).update(status=status, created_at=long_ago)
    outbox.queue_email(to="ana@example.org", kind="test", key="new", subject="New", body="New")

    deleted = delete_old_emails()

    assert deleted == 2
    assert sorted(OutboxEmail.objects.values_list("key", flat=True)) == ["new", "old:pending"]
