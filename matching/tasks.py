from celery import shared_task
from django.utils import translation

from peerlearn.models import User

from . import peer_import, services
from .models import MatchRun, PeerImport


@shared_task(name="matching.run_matching")
def run_matching_task(*, run_id):
    run = MatchRun.objects.filter(pk=run_id).select_related("initiative").first()
    if run is not None:
        services.run_matching(run=run)


@shared_task(name="matching.check_peer_list")
def check_peer_list(*, import_id, language):
    found = PeerImport.objects.filter(pk=import_id).select_related("initiative").first()
    if found is not None:
        with translation.override(language):  # the row messages are in the uploader's language
            peer_import.check_list(peer_import=found)


@shared_task(name="matching.import_peer_list")
def import_peer_list(*, import_id, by_id, language):
    found = PeerImport.objects.filter(pk=import_id).select_related("initiative").first()
    if found is not None:
        with translation.override(language):  # the invitation emails speak it too
            peer_import.import_list(peer_import=found, by=User.objects.filter(pk=by_id).first())
