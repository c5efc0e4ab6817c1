"""The email outbox: queue a message with the change that causes it; a task sends it."""

import logging
import smtplib
from contextlib import nullcontext

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .jobs import enqueue_on_commit
from .models import OutboxEmail, User

SEND_BATCH = 100
# Rows per INSERT and per id read-back when many emails are queued at once.
INSERT_BATCH = 1000

logger = logging.getLogger(__name__)


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


def languages_of(addresses):
    """{address: stored language} of the people these addresses belong to."""
    people = User.objects.filter(email__in=set(addresses)).exclude(language="")
    return dict(people.values_list("email", "language"))


def in_language(language):
    """Render in `language`, or in the active language when the person has none stored."""
    return translation.override(language) if language else nullcontext()


def queue_templated_email(*, to, kind, key, template, context, headers=None, attachments=None):
    """Queue an email rendered from templates/emails/<template>_subject.txt and _body.txt,
    in the language the recipient uses (the active one if PeerLearn does not know it)."""
    with in_language(languages_of([to]).get(to)):
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

    `messages` holds (to, key, context) or (to, key, context, headers) for each. Each
    template is loaded once; the rows are written with a few multi-row INSERTs that skip
    a key already queued (earlier, or twice in `messages`), so a repeated key is not
    queued twice and does not break the surrounding transaction.

    Side effects: one OutboxEmail row per new key; one send task per SEND_BATCH new
    rows, enqueued on commit (if the broker is down, the sweep sends them).
    Returns the new rows (with their ids), in the order given.
    """
    messages = list(messages)
    subject_template = get_template(f"emails/{template}_subject.txt")
    body_template = get_template(f"emails/{template}_body.txt")
    languages = languages_of(to for to, *_rest in messages)

    def rendered(to, key, context, headers):
        with in_language(languages.get(to)):
            return OutboxEmail(
                to=to,
                kind=kind,
                key=key,
                subject=" ".join(subject_template.render(context).split()),
                body=body_template.render(context),
                headers=headers[0] if headers else {},
            )

    return queue_emails(
        rendered(to, key, context, headers) for to, key, context, *headers in messages
    )


def queue_emails(emails):
    """Queue unsaved OutboxEmail rows at once, as queue_email would one by one.

    Side effects: one OutboxEmail row per new key (a repeated key is skipped); one
    send task per SEND_BATCH new rows, enqueued on commit. Returns the new rows.
    """
    emails = list(emails)
    for email in emails:
        email.key, email.subject = email.key[:200], email.subject[:250]
    OutboxEmail.objects.bulk_create(emails, batch_size=INSERT_BATCH, ignore_conflicts=True)
    # ON CONFLICT DO NOTHING returns no ids. Each row's Message-ID is new (made when
    # the object was), so the rows found by it are exactly the ones this call wrote.
    message_ids = [email.message_id for email in emails]
    written = {}
    for start in range(0, len(message_ids), INSERT_BATCH):
        written.update(
            OutboxEmail.objects.filter(
                message_id__in=message_ids[start : start + INSERT_BATCH]
            ).values_list("message_id", "pk")
        )
    new = []
    for email in emails:
        if email.message_id in written:
            email.pk = written[email.message_id]
            email._state.adding = False
            new.append(email)
    from .tasks import send_emails

    # One task per batch: enqueueing a task per email took longer than the insert.
    ids = [email.pk for email in new]
    for start in range(0, len(ids), SEND_BATCH):
        enqueue_on_commit(send_emails, email_ids=ids[start : start + SEND_BATCH])
    return new


def build_message(email):
    """The EmailMultiAlternatives for an outbox row, with its fixed Message-ID."""
    message = EmailMultiAlternatives(
        email.subject,
        email.body,
        to=[email.to],
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        with default_storage.open(attachment["path"], "rb") as stored:
            message.attach(attachment["name"], stored.read(), attachment["mimetype"])
    return message


class MailServerUnreachable(Exception):
    """No connection to the mail server: the rest of a batch waits for the sweep."""


class ConnectionDropped(Exception):
    """The mail server hung up (or said it is closing) while a message was being sent."""


# Failures after which the SMTP session is still usable (smtplib has reset it).
SESSION_KEPT = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
# Failures that mean the server hung up: reopen and try the message once more.
DROPPED = (smtplib.SMTPServerDisconnected, ConnectionError)
SMTP_CLOSING = 421


class Sender:
    """One mail connection (get_connection()) reused for many messages.

    Opened on the first message; when the server drops it (or answers 421, closing),
    reopened and the message tried once more; closed after any other failure except a
    refused recipient or message (the session is still good then). `opened` counts
    the connections made.
    """

    def __init__(self):
        self.connection = None
        self.opened = 0

    def open(self):
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:
            raise MailServerUnreachable(str(error) or repr(error)) from error
        self.connection = connection
        self.opened += 1

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # the server is gone already: nothing to tidy
                logger.debug("Mail connection closed with an error", exc_info=True)
            self.connection = None

    def send(self, message):
        if self.connection is None:
            self.open()
        try:
            self._send(message)
        except ConnectionDropped:
            self.open()
            self._send(message)

    def _send(self, message):
        try:
            self.connection.send_messages([message])
        except Exception as error:
            dropped = isinstance(error, DROPPED) or (
                getattr(error, "smtp_code", None) == SMTP_CLOSING
            )
            if dropped or not isinstance(error, SESSION_KEPT):
                self.close()
            if dropped:
                raise ConnectionDropped(str(error) or repr(error)) from error
            raise


def deliver(email):
    """Send one outbox row if it can be claimed; True when this call sent it.

    The claim is saved before the mail server is called, and every attempt carries
    the row's Message-ID (see OutboxEmail for what that guarantees).
    """
    if not email.claim():
        return False
    sender = Sender()
    try:
        sent = _send_claimed(email, sender)
    except MailServerUnreachable:
        return False
    finally:
        sender.close()
    if sent:
        email.mark_sent()
    return sent


def _send_claimed(email, sender):
    """Send a claimed row on `sender`; True if the server took it. A failure is saved
    on the row; MailServerUnreachable is raised again after that."""
    try:
        sender.send(build_message(email))
    except Exception as error:  # any transport failure: keep the row for a retry
        email.mark_failed(error)
        if isinstance(error, MailServerUnreachable):
            raise
        return False
    return True


def deliver_batch(emails):
    """Send the rows that can be claimed over one connection; returns how many were sent.

    Each row is claimed just before it is sent and marked sent or failed just after,
    as deliver() does, so one failure loses no other row and a worker that dies
    re-sends at most the message in flight. To halve the commits, marking one row sent
    and claiming the next are one transaction (both before the next is sent). If the
    server cannot be reached, the row being tried is marked failed and the rest stay
    pending for the sweep. Call it outside a transaction.
    """
    sender = Sender()
    sent, unmarked = 0, None
    try:
        for email in emails:
            with transaction.atomic():
                if unmarked is not None:
                    unmarked.mark_sent()
                claimed = email.claim()
            unmarked = None  # only once committed: a failed commit leaves it to finally
            if claimed and _send_claimed(email, sender):
                unmarked = email
                sent += 1
    except MailServerUnreachable:
        logger.warning("Mail server unreachable: %d sent, the rest left to the sweep", sent)
    finally:
        sender.close()
        if unmarked is not None:
            unmarked.mark_sent()
    return sent


def deliver_due(limit=200):
    """Send what is due, oldest first, over one connection; returns how many were sent."""
    return deliver_batch(OutboxEmail.due().order_by("created_at")[:limit])
