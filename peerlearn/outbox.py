"""The email outbox: queue a message with the change that causes it; a task sends it."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .jobs import enqueue_on_commit
from .models import OutboxEmail

SEND_BATCH = 100


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def queue_email(*, to, kind, key, subject, body, html="", headers=None, attachments=None):
    """Write an outbox row and send it after the surrounding transaction commits.

    `headers`: extra headers to send (see peerlearn.subscriptions for optional email).
    `attachments`: [{"path", "name", "mimetype"}] of files in default_storage.

    Side effects: one OutboxEmail row (none if `key` was already queued); a
    send task enqueued on commit (if the broker is down, the sweep sends it).
    Returns the row, or None for a repeat key.
    """
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                to=to,
                kind=kind,
                key=key[:200],
                subject=subject[:250],
                body=body,
                html=html,
                headers=headers or {},
                attachments=attachments or [],
            )
    except IntegrityError:
        return None
    from .tasks import send_email

    enqueue_on_commit(send_email, email_id=email.pk)
    return email


def queue_templated_email(*, to, kind, key, template, context, headers=None, attachments=None):
    """Queue an email rendered from templates/emails/<template>_subject.txt and _body.txt."""
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    return queue_email(
        to=to,
        kind=kind,
        key=key,
        subject=subject,
        body=body,
        headers=headers,
        attachments=attachments,
    )


def queue_templated_emails(*, kind, template, messages):
    """Queue many emails at once, as queue_templated_email would one by one.

    `messages` holds (to, key, context) or (to, key, context, headers) for each; the
    keys must be new. Side
    effects: one OutboxEmail row per message (one insert); a send task per row
    enqueued on commit.
    """
    emails = OutboxEmail.objects.bulk_create(
        OutboxEmail(
            to=to,
            kind=kind,
            key=key[:200],
            subject=" ".join(render_to_string(f"emails/{template}_subject.txt", context).split())[
                :250
            ],
            body=render_to_string(f"emails/{template}_body.txt", context),
            headers=headers[0] if headers else {},
        )
        for to, key, context, *headers in messages
    )
    ids = [email.pk for email in emails]
    from .tasks import send_emails

    # One task per batch: enqueueing a task per email took longer than the import.
    for start in range(0, len(ids), SEND_BATCH):
        enqueue_on_commit(send_emails, email_ids=ids[start : start + SEND_BATCH])
    return emails


def deliver(email):
    """Send one outbox row if it can be claimed; True when this call sent it.

    The claim is saved before the mail server is called, and every attempt carries
    the row's Message-ID (see OutboxEmail for what that guarantees).
    """
    if not email.claim():
        return False
    message = EmailMultiAlternatives(
        email.subject,
        email.body,
        to=[email.to],
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        for attachment in email.attachments:
            with default_storage.open(attachment["path"], "rb") as stored:
                message.attach(attachment["name"], stored.read(), attachment["mimetype"])
        message.send()
    except Exception as error:  # any transport failure: keep the row for a retry
        email.mark_failed(error)
        return False
    email.mark_sent()
    return True


def deliver_due(limit=200):
    """Send what is due, oldest first; returns how many were sent."""
    return sum(deliver(email) for email in OutboxEmail.due().order_by("created_at")[:limit])
