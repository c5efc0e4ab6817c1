"""The story of a match and of a peer: contacts and check-in answers, newest first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contact import services
from contact.models import MatchCheckIn
from initiatives import road_map

from ..factories import MembershipFactory
from .factories import logged_by_partner, membership_of, pair

TODAY = timezone.localdate


def history_url(world, match):
    return reverse("contact:match_history", args=[world.initiative.pk, match.pk])


def peer_url(world, membership):
    return reverse("contact:peer_history", args=[world.initiative.pk, membership.pk])


def answered(match, membership, *, comment, rating=3, days_ago=0):
    check_in = MatchCheckIn.objects.create(
        match=match,
        membership=membership,
        number=MatchCheckIn.objects.filter(match=match, membership=membership).count() + 1,
        due_at=timezone.now(),
        sent_at=timezone.now(),
    )
    services.answer_check_in(check_in=check_in, rating=rating, not_working=False, comment=comment)
    when = timezone.now() - datetime.timedelta(days=days_ago)
    MatchCheckIn.objects.filter(pk=check_in.pk).update(answered_at=when)
    return check_in


def story(world):
    """A call 5 days ago, the peer's answer 2 days ago, the partner's answer today."""
    match, peer, elsewhere = pair(world)
    logged_by_partner(world, match=match, note="Call about arrears", days_ago=5)
    answered(match, peer, comment="Useful so far", days_ago=2)
    answered(match, elsewhere, comment="My partner is slow to answer", rating=2)
    return match, peer, elsewhere


def test_facilitator_reads_a_matchs_story_newest_first(client, world):
    match, _peer, _elsewhere = story(world)
    client.force_login(world.facilitator)

    page = client.get(history_url(world, match)).content.decode()

    assert world.peer.email in page or world.peer.name in page
    assert (
        page.index("My partner is slow to answer")
        < page.index("Useful so far")
        < page.index("Call about arrears")
    )
    assert "Waiting for confirmation" in page


def test_member_reads_the_story_without_the_others_check_in_answers(client, world):
    match, _peer, _elsewhere = story(world)
    client.force_login(world.peer)

    page = client.get(history_url(world, match)).content.decode()

    assert "Call about arrears" in page
    assert "Useful so far" in page
    assert "My partner is slow to answer" not in page


def test_another_peer_of_the_initiative_cannot_read_a_matchs_story(client, world):
    match, _peer, _elsewhere = story(world)
    outsider = MembershipFactory(initiative=world.initiative)
    client.force_login(outsider.user)

    response = client.get(history_url(world, match))

    assert response.status_code == 404


def test_a_proposed_match_has_no_story(client, world):
    match, _peer, _elsewhere = pair(world)
    match.status = "proposed"
    match.save(update_fields=["status"])
    client.force_login(world.facilitator)

    response = client.get(history_url(world, match))

    assert response.status_code == 404


def test_match_history_refuses_post(client, world):
    match, _peer, _elsewhere = pair(world)
    client.force_login(world.facilitator)

    response = client.post(history_url(world, match))

    assert response.status_code == 405


def test_facilitator_reads_a_peers_story_across_matches(client, world):
    _match, peer, _elsewhere = story(world)
    services.log_contact(
        initiative=world.initiative,
        by=world.facilitator,
        participants=[peer],
        confirmed=[peer],
        kind="training",
        happened_on=TODAY(),
        note="Training on audits",
    )
    client.force_login(world.facilitator)

    page = client.get(peer_url(world, peer)).content.decode()

    assert "Training on audits" in page
    assert "Call about arrears" in page
    assert "Useful so far" in page
    assert "My partner is slow to answer" not in page


def test_peer_story_of_another_initiatives_peer_is_not_found(client, world):
    stranger = MembershipFactory(initiative=world.other_initiative)
    client.force_login(world.facilitator)

    response = client.get(peer_url(world, stranger))

    assert response.status_code == 404


def test_story_is_paginated(client, world):
    match, peer, _elsewhere = pair(world)
    for number in range(31):
        answered(match, peer, comment=f"Answer {number}", days_ago=number)
    client.force_login(world.facilitator)

    first = client.get(history_url(world, match))
    second = client.get(history_url(world, match), {"page": 2})

    assert len(first.context["entries"]) == 30
    assert [item.comment for _entry, item in second.context["entries"]] == ["Answer 30"]


def _many(world, count):
    match, peer, elsewhere = pair(world)
    for number in range(count):
        logged_by_partner(world, match=match, note=f"Call {number}")
        answered(match, peer, comment=f"Answer {number}")
    return match, peer


@pytest.mark.parametrize("count", [1, 12])
def test_match_history_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    match, _peer = _many(world, count)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(14):
        response = client.get(history_url(world, match))

    assert len(response.context["entries"]) == 2 * count


@pytest.mark.parametrize("count", [1, 12])
def test_peer_history_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    _match, peer = _many(world, count)
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(14):
        response = client.get(peer_url(world, peer))

    assert len(response.context["entries"]) == 2 * count


def test_published_matches_link_to_their_history(client, world):
    match, _peer, _elsewhere = pair(world)
    client.force_login(world.facilitator)

    page = client.get(reverse("matching:published", args=[world.initiative.pk])).content.decode()

    assert history_url(world, match) in page


def test_match_links_are_added_in_order():
    before = list(road_map._match_links)
    road_map.match_link("Notes", "contact:match_history")

    try:
        links = road_map.match_links(3, 7)
    finally:
        road_map._match_links[:] = before

    assert [label for label, _url in links][-2:] == ["History", "Notes"]
    assert links[-1][1] == reverse("contact:match_history", args=[3, 7])


def test_contacts_list_links_to_the_match_and_peer_stories(client, world):
    contact = logged_by_partner(world)
    client.force_login(world.facilitator)

    page = client.get(reverse("contact:index", args=[world.initiative.pk])).content.decode()

    assert history_url(world, contact.match) in page
    assert peer_url(world, membership_of(world, world.peer)) in page


def test_my_contacts_links_to_my_matchs_story(client, world):
    match, _peer, _elsewhere = pair(world)
    client.force_login(world.peer)

    page = client.get(reverse("contact:mine", args=[world.initiative.pk])).content.decode()

    assert history_url(world, match) in page
    assert "/contacts/peers/" not in page
