from celery import shared_task

from . import outbox
from .models import OutboxEmail


@shared_task(name="peerlearn.send_email")
def send_email(*, email_id):
    email = OutboxEmail.objects.filter(pk=email_id).first()
    if email is not None:
        outbox.deliver(email)


@shared_task(name="peerlearn.send_emails")
def send_emails(*, email_ids):
    for email in OutboxEmail.objects.filter(pk__in=email_ids).order_by("pk"):
        outbox.deliver(email)


@shared_task(name="peerlearn.send_pending_emails")
def send_pending_emails():
    OutboxEmail.forget_expired_secrets()
    OutboxEmail.give_up_abandoned()
    return outbox.deliver_due()


@shared_task(name="peerlearn.delete_old_emails")
def delete_old_emails():
    return OutboxEmail.delete_expired()
