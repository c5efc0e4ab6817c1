"""Outbox rows keep no way in and nothing of an erased person once sent."""

from django.core import mail

from initiatives import services as initiative_services
from initiatives.models import Role
from peerlearn.models import OutboxEmail
from peerlearn.tasks import send_pending_emails

from .factories import EMAIL, erased, renamed_peer


def test_an_invitation_link_is_blanked_once_sent(world, settings):
    settings.SHOW_MAILBOX = False
    initiative_services.invite(
        initiative=world.initiative, email="new@example.org", role=Role.PEER, by=world.facilitator
    )

    send_pending_emails()

    link = "/invitations/"
    assert link in mail.outbox[0].body
    row = OutboxEmail.objects.get(kind="invitation")
    assert (row.status, row.body, row.html) == ("sent", OutboxEmail.REMOVED_NOTE, "")
    assert link not in row.body


def test_the_last_email_to_an_erased_person_leaves_no_trace(
    world, django_capture_on_commit_callbacks
):
    peer = renamed_peer(world)
    with django_capture_on_commit_callbacks(execute=True):
        erased(peer, by=world.facilitator)

    send_pending_emails()

    assert [message.to for message in mail.outbox if "erased" in message.subject] == [[EMAIL]]
    row = OutboxEmail.objects.get(kind="erasure_done")
    assert (row.status, row.subject, row.body) == ("sent", "", "")
    assert row.to != EMAIL
