"""A list checked and imported by a real Celery worker, invitations sent to a real SMTP server."""

import pytest

from initiatives.models import Role
from matching import peer_import
from matching.models import PeerImport
from peerlearn.tasks import send_pending_emails

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory
from ..peerlearn import test_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


# The real worker and SMTP server of the outbox test, shared rather than rebuilt.
inbox = test_worker.inbox
queue_name = test_worker.queue_name
worker = test_worker.worker
wait_for = test_worker.wait_for


def status_of(prepared):
    return PeerImport.objects.values_list("status", flat=True).get(pk=prepared.pk)


def test_worker_checks_then_imports_a_list_and_peers_get_their_invitation(worker, inbox):
    initiative = InitiativeFactory()
    facilitator = FacilitatorFactory(organisation=initiative.organisation)
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    content = b"email,name\nana@list.example.org,Ana\nbo@list.example.org,Bo\n"

    prepared = peer_import.start_check(
        initiative=initiative, filename="peers.csv", content=content, by=facilitator
    )
    assert wait_for(lambda: status_of(prepared) == PeerImport.Status.READY)
    prepared.refresh_from_db()
    peer_import.start_import(peer_import=prepared, by=facilitator)
    assert wait_for(lambda: status_of(prepared) == PeerImport.Status.IMPORTED)
    # The worker enqueues each send on its own default queue, not this test's; the
    # sweep beat runs every minute sends what is due, here at once.
    send_pending_emails.delay()
    assert wait_for(lambda: len(inbox.messages) == 2)

    prepared.refresh_from_db()
    assert (prepared.invited_count, prepared.updated_count) == (2, 0)
    assert inbox.subjects_to("ana@list.example.org") == [f"You are invited to {initiative.title}"]
    assert worker.poll() is None
