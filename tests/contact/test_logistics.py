"""Logistics requests: a peer asks the facilitators for support and follows its status."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from contact import services
from contact.models import LogisticsRequest
from initiatives.models import Stage
from initiatives.road_map import open_items
from peerlearn import audit
from peerlearn.models import AuditEntry, OutboxEmail

from ..factories import MembershipFactory
from .factories import in_stage_two, membership_of, pair

TODAY = timezone.localdate


def url(name, world, **kwargs):
    return reverse(f"contact:{name}", kwargs={"pk": world.initiative.pk, **kwargs})


def asked(world, *, details="A meeting room for ten people", kind="venue", membership=None):
    membership = membership or membership_of(world, world.peer)
    return services.request_logistics(
        membership=membership, by=membership.user, kind=kind, details=details
    )


def test_peer_asks_for_a_venue_for_their_match(client, world):
    match, _peer, _elsewhere = pair(world)
    client.force_login(world.peer)
    needed = TODAY() + datetime.timedelta(days=10)

    response = client.post(
        url("logistics_new", world),
        {
            "kind": "venue",
            "details": "A room in Lisbon for our joint workshop",
            "match": match.pk,
            "needed_on": needed.isoformat(),
        },
    )

    assert response.url == url("logistics_mine", world)
    asked_for = LogisticsRequest.objects.get()
    assert (asked_for.status, asked_for.match, asked_for.needed_on) == ("open", match, needed)
    assert AuditEntry.objects.get(action="contact.request_logistics").actor == world.peer
    page = client.get(url("logistics_mine", world)).content.decode()
    assert "A room in Lisbon for our joint workshop" in page
    assert "Open" in page


def test_request_without_details_says_so_and_keeps_the_date(client, world):
    client.force_login(world.peer)
    needed = (TODAY() + datetime.timedelta(days=3)).isoformat()

    response = client.post(
        url("logistics_new", world), {"kind": "travel", "details": " ", "needed_on": needed}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Say what you need." in page
    assert needed in page
    assert LogisticsRequest.objects.count() == 0


def test_request_too_long_or_in_the_past_keeps_the_text(client, world):
    client.force_login(world.peer)
    details = "Interpreters for the visit. " + "x" * 2000

    response = client.post(
        url("logistics_new", world),
        {"kind": "interpretation", "details": details, "needed_on": "2001-01-01"},
    )

    page = response.content.decode()
    assert "Ensure this value has at most 2000 characters" in page
    assert "The date needed cannot be in the past." in page
    assert "Interpreters for the visit." in page
    assert LogisticsRequest.objects.count() == 0


def test_peer_cannot_name_a_match_they_are_not_in(client, world):
    match, _peer, _elsewhere = pair(world)
    outsider = MembershipFactory(initiative=world.initiative)
    client.force_login(outsider.user)

    response = client.post(
        url("logistics_new", world), {"kind": "other", "details": "Help", "match": match.pk}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert LogisticsRequest.objects.count() == 0


def test_facilitator_moves_a_request_and_the_peer_is_told(client, world):
    request = asked(world)
    client.force_login(world.facilitator)

    response = client.post(
        url("logistics_request", world, request_pk=request.pk),
        {"status": "in_progress", "note": "Booking the ministry's room"},
    )

    request.refresh_from_db()
    assert response.url == url("logistics_index", world)
    assert request.status == "in_progress"
    email = OutboxEmail.objects.get(kind="logistics_update")
    assert email.to == world.peer.email
    assert "In progress" in email.subject
    assert "Booking the ministry's room" in email.body
    entry = AuditEntry.objects.get(action="contact.update_logistics")
    assert (entry.actor, entry.data["status"], entry.initiative_id) == (
        world.facilitator,
        "in_progress",
        world.initiative.pk,
    )
    assert audit.label("contact.update_logistics") != "contact.update_logistics"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Status changed; the peer has been told by email."
    ]


def test_each_status_change_sends_its_own_email(world):
    request = asked(world)

    for status in ("in_progress", "done", "in_progress"):
        services.update_logistics_request(request=request, by=world.facilitator, status=status)

    keys = list(OutboxEmail.objects.filter(kind="logistics_update").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 3
    assert list(request.updates.values_list("status", flat=True)) == [
        "in_progress",
        "done",
        "in_progress",
    ]


def test_declining_without_a_reason_says_so(client, world):
    request = asked(world)
    client.force_login(world.facilitator)

    response = client.post(
        url("logistics_request", world, request_pk=request.pk), {"status": "declined"}
    )

    assert response.status_code == 200
    assert "Say why you decline this request." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "open"
    assert OutboxEmail.objects.filter(kind="logistics_update").count() == 0


def test_declining_with_a_reason_shows_it_to_the_peer(client, world):
    request = asked(world)
    services.update_logistics_request(
        request=request, by=world.facilitator, status="declined", note="No travel budget left"
    )
    client.force_login(world.peer)

    page = client.get(url("logistics_mine", world)).content.decode()

    assert "Declined" in page
    assert "No travel budget left" in page


def test_the_same_status_cannot_be_chosen_again(client, world):
    request = asked(world)
    client.force_login(world.facilitator)

    response = client.post(
        url("logistics_request", world, request_pk=request.pk), {"status": "open"}
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_peer_cannot_change_a_status(client, world):
    request = asked(world)
    client.force_login(world.peer)

    response = client.post(
        url("logistics_request", world, request_pk=request.pk), {"status": "done"}
    )

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "open"


def test_another_initiatives_request_is_not_found(client, world):
    other = asked(world, membership=MembershipFactory(initiative=world.other_initiative))
    client.force_login(world.facilitator)

    response = client.get(url("logistics_request", world, request_pk=other.pk))

    assert response.status_code == 404


def test_peer_sees_only_their_own_requests(client, world):
    asked(world, details="My own request")
    asked(world, details="Someone else's", membership=membership_of(world, world.peer_elsewhere))
    client.force_login(world.peer)

    page = client.get(url("logistics_mine", world)).content.decode()

    assert "My own request" in page
    assert "Someone else's" not in page


def test_logistics_lists_refuse_post(client, world):
    client.force_login(world.facilitator)

    response = client.post(url("logistics_index", world))

    assert response.status_code == 405


def test_facilitator_list_shows_open_requests_first_and_filters(client, world):
    done = asked(world, details="Old booking")
    services.update_logistics_request(request=done, by=world.facilitator, status="done")
    asked(world, details="Video link please", kind="video_link")
    client.force_login(world.facilitator)

    def listed(**filters):
        response = client.get(url("logistics_index", world), filters)
        return [found.details for found in response.context["page"].object_list]

    assert listed() == ["Video link please", "Old booking"]
    assert listed(status="done") == ["Old booking"]
    assert listed(kind="video_link") == ["Video link please"]


def test_bad_filter_says_why_and_lists_all(client, world):
    asked(world)
    client.force_login(world.facilitator)

    response = client.get(url("logistics_index", world), {"status": "lost"})

    assert "Select a valid choice." in response.content.decode()
    assert len(response.context["page"].object_list) == 1


def _many(world, count):
    peers = [membership_of(world, world.peer)] + [
        MembershipFactory(initiative=world.initiative) for _ in range(2)
    ]
    for number in range(count):
        request = asked(world, details=f"Request {number}", membership=peers[number % 3])
        services.update_logistics_request(
            request=request, by=world.facilitator, status="in_progress", note="On it"
        )


@pytest.mark.parametrize("count", [1, 31])
def test_facilitator_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    _many(world, count)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(12):
        response = client.get(url("logistics_index", world))

    assert len(response.context["page"].object_list) == min(count, 30)


@pytest.mark.parametrize("count", [1, 31])
def test_peer_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for number in range(count):
        request = asked(world, details=f"Request {number}")
        services.update_logistics_request(request=request, by=world.facilitator, status="done")
    client.force_login(world.peer)

    with django_assert_max_num_queries(12):
        response = client.get(url("logistics_mine", world))

    assert len(response.context["page"].object_list) == min(count, 30)


def test_gate_lists_requests_still_open(world):
    in_stage_two(world)
    first, second = asked(world), asked(world, kind="travel")
    services.update_logistics_request(request=first, by=world.facilitator, status="in_progress")

    before = open_items(world.initiative, Stage.SUSTAINED_CONTACT)
    services.update_logistics_request(request=first, by=world.facilitator, status="done")
    services.update_logistics_request(
        request=second, by=world.facilitator, status="declined", note="No"
    )
    after = open_items(world.initiative, Stage.SUSTAINED_CONTACT)

    assert "2 logistics requests are still open." in before
    assert [item for item in after if "logistics" in item] == []


def test_requests_tab_shows_in_the_initiative_navigation(client, world):
    client.force_login(world.facilitator)

    page = client.get(reverse("initiatives:detail", args=[world.initiative.pk])).content.decode()

    assert url("logistics_index", world) in page
