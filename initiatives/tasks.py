from celery import shared_task
from django.utils import translation

from peerlearn.models import User

from . import contracts, events, peer_import
from .models import PeerImport


@shared_task(name="initiatives.send_contract_reminders")
def send_contract_reminders():
    return contracts.send_contract_reminders()


@shared_task(name="initiatives.send_engagement_invitations")
def send_engagement_invitations():
    return events.send_engagement_invitations()


@shared_task(name="initiatives.check_peer_list")
def check_peer_list(*, import_id, language):
    found = PeerImport.objects.filter(pk=import_id).select_related("initiative").first()
    if found is not None:
        with translation.override(language):  # the row messages are in the uploader's language
            peer_import.check_list(peer_import=found)


@shared_task(name="initiatives.import_peer_list")
def import_peer_list(*, import_id, by_id, language):
    found = PeerImport.objects.filter(pk=import_id).select_related("initiative").first()
    if found is not None:
        with translation.override(language):  # the invitation emails speak it too
            peer_import.import_list(peer_import=found, by=User.objects.filter(pk=by_id).first())
