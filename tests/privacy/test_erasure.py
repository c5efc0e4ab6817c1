"""Asking to be erased, confirming it, and what an erased person leaves behind."""

import datetime

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from contact.models import LibraryDocument, Post
from initiatives.models import Role
from matching.models import PeerProfile
from peerlearn.models import AuditEntry, OutboxEmail, User
from privacy import services
from privacy.models import ErasureRequest

from ..contact import factories as contact
from ..factories import MembershipFactory
from .factories import NAME, erased, renamed_peer


def test_a_peer_asks_to_be_erased_from_their_data_page(client, world, settings):
    settings.ERASURE_CONFIRM_DAYS = 10
    client.force_login(world.peer)

    your_data = client.get(reverse("privacy:your_data")).text
    page = client.get(reverse("privacy:erasure")).text
    response = client.post(reverse("privacy:erasure"))

    assert reverse("privacy:erasure") in your_data
    assert world.initiative.title in page
    request = ErasureRequest.objects.get(person=world.peer)
    assert request.status == ErasureRequest.Status.WAITING
    assert request.confirm_by == timezone.localdate() + datetime.timedelta(days=10)
    assert [c.initiative for c in request.confirmations.all()] == [world.initiative]
    shown = client.get(response.url).text
    assert "The facilitators are to confirm it by" in shown
    email = OutboxEmail.objects.get(kind="erasure_asked")
    assert email.to == world.facilitator.email
    assert "asked to be erased" in email.body
    assert reverse("privacy:initiative", args=[world.initiative.pk]) in email.body


def test_asking_twice_keeps_one_request(world):
    first = services.request_erasure(person=world.peer)

    assert services.request_erasure(person=world.peer) == first
    assert ErasureRequest.objects.count() == 1


def test_each_initiative_confirms_before_the_erasure_runs(
    client, world, django_capture_on_commit_callbacks
):
    MembershipFactory(initiative=world.other_initiative, user=world.peer)
    request = services.request_erasure(person=world.peer)
    here = request.confirmations.get(initiative=world.initiative)
    client.force_login(world.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:confirm_erasure", args=[world.initiative.pk, here.pk]),
            {"keep_files": ""},
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.WAITING
    there = request.confirmations.get(initiative=world.other_initiative)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm(confirmation=there, by=world.other_facilitator, keep_files=True)
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.ERASED
    assert request.keep_files is False  # one initiative chose to delete the files


def test_a_facilitator_sees_overdue_requests_flagged(client, world):
    request = services.request_erasure(person=world.peer)
    ErasureRequest.objects.filter(pk=request.pk).update(
        confirm_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(world.facilitator)

    page = client.get(reverse("privacy:initiative", args=[world.initiative.pk])).text

    assert "Overdue" in page
    assert "Confirm the erasure" in page


def test_the_requests_page_costs_the_same_whatever_the_number_of_requests(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.facilitator)
    services.request_erasure(person=world.peer)
    url = reverse("privacy:initiative", args=[world.initiative.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for user in (world.peer_elsewhere, world.authoriser, world.other_authoriser):
        services.request_erasure(person=user)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_person_cannot_confirm_their_own_erasure(client, world):
    MembershipFactory(initiative=world.initiative, user=world.facilitator, role=Role.PEER)
    request = services.request_erasure(person=world.facilitator)
    confirmation = request.confirmations.get()
    client.force_login(world.facilitator)

    response = client.get(
        reverse("privacy:confirm_erasure", args=[world.initiative.pk, confirmation.pk])
    )

    assert response.status_code == 403


def test_the_site_admin_confirms_for_every_initiative(world, django_capture_on_commit_callbacks):
    MembershipFactory(initiative=world.other_initiative, user=world.peer)
    admin = User.objects.create_superuser("admin@example.org")
    request = services.request_erasure(person=world.peer)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_as_admin(request=request, by=admin, keep_files=False)

    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.ERASED


def test_an_erased_persons_posts_read_a_former_peer_and_they_cannot_sign_in(
    client, world, django_capture_on_commit_callbacks
):
    peer = renamed_peer(world)
    match, _membership, _partner = contact.pair(world)
    contact.in_stage_two(world)
    contact.post_in(world, match=match, body="We cleared arrears in a year.")

    with django_capture_on_commit_callbacks(execute=True):
        erased(peer, by=world.facilitator)

    client.force_login(world.peer_elsewhere)
    page = client.get(reverse("contact:conversation", args=[world.initiative.pk, match.pk])).text
    assert "We cleared arrears in a year." in page
    assert "a former peer" in page
    assert NAME not in page
    peer.refresh_from_db()
    assert not peer.is_active
    assert not client.login(email="zofia.quintanilla@finances.example", password="x")


def test_files_go_unless_the_facilitator_keeps_them(world, django_capture_on_commit_callbacks):
    peer = renamed_peer(world)
    match = contact.pair(world)[0]
    post = contact.post_in(world, match=match, attachment=contact.notes_upload())
    document = contact.library_document(world)
    stored = [post.attachment.name, document.file.name]

    with django_capture_on_commit_callbacks(execute=True):
        erased(peer, by=world.facilitator, keep_files=False)

    post.refresh_from_db()
    assert post.attachment.name == ""
    assert not LibraryDocument.objects.filter(pk=document.pk).exists()
    assert not any(default_storage.exists(name) for name in stored)
    assert Post.objects.filter(pk=post.pk).exists()


def test_kept_files_stay_without_the_persons_name(world, django_capture_on_commit_callbacks):
    peer = renamed_peer(world)
    document = contact.library_document(world, upload=contact.pdf_upload("zofia-checklist.pdf"))

    with django_capture_on_commit_callbacks(execute=True):
        erased(peer, by=world.facilitator, keep_files=True)

    document.refresh_from_db()
    assert "zofia" not in document.file.name.lower()
    assert default_storage.exists(document.file.name)
    assert document.file.read().startswith(b"%PDF")


def test_erasing_twice_changes_nothing_more(world, django_capture_on_commit_callbacks):
    peer = renamed_peer(world)
    match = contact.pair(world)[0]
    contact.post_in(world, match=match, body="Peers helped me, a peer myself.")
    with django_capture_on_commit_callbacks(execute=True):
        request = erased(peer, by=world.facilitator)
    peer.refresh_from_db()
    before = (peer.name, peer.email, AuditEntry.objects.count(), OutboxEmail.objects.count())

    assert services.erase(request_id=request.pk) is False
    ErasureRequest.objects.filter(pk=request.pk).update(status=ErasureRequest.Status.CONFIRMED)
    from privacy.tasks import erase_person

    erase_person.delay(request_id=request.pk)  # the task run again on an erased person

    peer.refresh_from_db()
    assert (peer.name, peer.email) == before[:2]
    assert Post.objects.get().body == "Peers helped me, a peer myself."
    assert not PeerProfile.objects.filter(membership__user=peer).exists()
    assert ErasureRequest.objects.get(pk=request.pk).status == ErasureRequest.Status.ERASED


def test_the_admin_action_erases_keeping_files(client, world, django_capture_on_commit_callbacks):
    admin = User.objects.create_superuser("admin@example.org")
    request = services.request_erasure(person=world.peer)
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:privacy_erasurerequest_changelist"),
            {"action": "erase_keeping_files", "_selected_action": [request.pk]},
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.keep_files) == (ErasureRequest.Status.ERASED, True)
