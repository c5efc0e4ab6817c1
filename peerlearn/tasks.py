from celery import shared_task

from . import outbox
from .models import AuditEntry, OutboxEmail


@shared_task(name="peerlearn.send_email")
def send_email(*, email_id):
    outbox.deliver_batch(OutboxEmail.objects.filter(pk=email_id))


@shared_task(name="peerlearn.send_emails")
def send_emails(*, email_ids):
    """Send a batch of outbox rows over one mail connection."""
    return outbox.deliver_batch(OutboxEmail.objects.filter(pk__in=email_ids).order_by("pk"))


@shared_task(name="peerlearn.send_pending_emails")
def send_pending_emails():
    OutboxEmail.forget_expired_secrets()
    OutboxEmail.give_up_abandoned()
    return outbox.deliver_due()


@shared_task(name="peerlearn.delete_old_emails")
def delete_old_emails():
    return OutboxEmail.delete_expired()


@shared_task(name="peerlearn.delete_old_audit_entries")
def delete_old_audit_entries():
    return AuditEntry.delete_expired()
