from celery import shared_task

from .services import contracts, events


@shared_task(name="initiatives.send_contract_reminders")
def send_contract_reminders():
    return contracts.send_contract_reminders()


@shared_task(name="initiatives.send_engagement_invitations")
def send_engagement_invitations():
    return events.send_engagement_invitations()
