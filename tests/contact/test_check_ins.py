"""Check-ins: "how is your match going?", asked by a sweep, answered by peers, read by
facilitators on the contacts page."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from contact import services
from contact.models import MatchCheckIn
from initiatives.road_map import next_steps
from matching.models import Match, MatchMember
from matching.services import end_match
from peerlearn import audit
from peerlearn.models import AuditEntry, OutboxEmail

from ..factories import InitiativeFactory, MembershipFactory
from ..matching.factories import add_surveyed_peers, published_run
from .factories import membership_of, pair


def asked(world):
    """The world's pair, asked their first check-in; returns the world's peer's check-in."""
    match, peer, _elsewhere = pair(world)
    services.send_match_check_ins(now=match.run.published_at + services.FIRST_CHECK_IN_AFTER)
    return MatchCheckIn.objects.get(membership=peer)


def check_in_url(world, check_in):
    return reverse("contact:check_in", args=[world.initiative.pk, check_in.pk])


def test_check_in_sweep_twice_queues_one_email_per_step(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = published_run(initiative)
    first_due = run.published_at + timedelta(days=30, minutes=1)
    second_due = first_due + timedelta(days=60)

    counts = [
        services.send_match_check_ins(now=first_due - timedelta(days=2)),
        services.send_match_check_ins(now=first_due),
        services.send_match_check_ins(now=first_due),
        services.send_match_check_ins(now=second_due),
        services.send_match_check_ins(now=second_due),
    ]

    assert counts == [0, 4, 0, 4, 0]
    assert OutboxEmail.objects.filter(kind="match_check_in").count() == 8
    assert sorted(set(MatchCheckIn.objects.values_list("number", flat=True))) == [1, 2]


def test_check_in_sweep_skips_ended_matches(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 2)
    run = published_run(initiative)
    end_match(match=run.matches.get(), kind=Match.EndKind.COMPLETED, reason="Done", by=None)

    created = services.send_match_check_ins(now=timezone.now() + timedelta(days=31))

    assert created == 0


def test_check_in_number_due_follows_the_schedule():
    published = timezone.now()

    numbers = [
        services.check_in_number_due(published, published + timedelta(days=days))
        for days in (29, 30, 89, 90, 150)
    ]

    assert numbers == [0, 1, 1, 2, 3]


def test_check_in_email_keeps_the_link_peers_already_have(world):
    check_in = asked(world)

    email = OutboxEmail.objects.get(kind="match_check_in", to=world.peer.email)

    old_path = f"/initiatives/{world.initiative.pk}/my-match/check-ins/{check_in.pk}/"
    assert check_in_url(world, check_in) == old_path
    assert old_path in email.body


def test_check_in_email_links_to_the_contact_form_filled_with_that_match(client, world):
    check_in = asked(world)
    second = Match.objects.create(run=check_in.match.run, number=2, status="published")
    MatchMember.objects.create(match=second, membership=check_in.membership)
    MatchMember.objects.create(
        match=second, membership=MembershipFactory(initiative=world.initiative)
    )
    email = OutboxEmail.objects.get(kind="match_check_in", to=world.peer.email)
    link = re.search(r"http\S+/contacts/log/\S*", email.body).group(0)
    client.force_login(world.peer)

    form = client.get(link.removeprefix(settings.SITE_URL)).context["form"]

    assert [m.user for m in form.initial["participants"]] == [world.peer_elsewhere]


def test_peer_answers_a_check_in(client, world):
    check_in = asked(world)
    client.force_login(world.peer)

    response = client.post(
        check_in_url(world, check_in),
        {"rating": "2", "not_working": "on", "comment": "We never found a time."},
    )

    check_in.refresh_from_db()
    assert response.url == reverse("matching:my_match", args=[world.initiative.pk])
    assert (check_in.rating, check_in.not_working) == (2, True)
    entry = AuditEntry.objects.get(action="check_in.answer")
    assert (entry.actor, entry.target_type, entry.target_id, entry.initiative_id) == (
        world.peer,
        ContentType.objects.get_for_model(MatchCheckIn),
        str(check_in.pk),
        world.initiative.pk,
    )
    assert audit.label("check_in.answer") == "Answered a check-in"


def test_check_in_without_rating_keeps_the_comment(client, world):
    check_in = asked(world)
    client.force_login(world.peer)

    response = client.post(check_in_url(world, check_in), {"comment": "Half written"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert "Half written" in response.content.decode()
    check_in.refresh_from_db()
    assert check_in.answered_at is None


def test_another_peers_check_in_is_not_found(client, world):
    asked(world)
    theirs = MatchCheckIn.objects.get(membership=membership_of(world, world.peer_elsewhere))
    client.force_login(world.peer)

    response = client.get(check_in_url(world, theirs))

    assert response.status_code == 404


def test_check_in_refuses_put(client, world):
    check_in = asked(world)
    client.force_login(world.peer)

    response = client.put(check_in_url(world, check_in))

    assert response.status_code == 405


def test_home_page_asks_to_rate_the_match(client, world):
    check_in = asked(world)
    client.force_login(world.peer)

    page = client.get(reverse("home")).content.decode()

    assert "Rate your match." in page
    assert check_in_url(world, check_in) in page


def test_answered_check_in_is_no_longer_a_next_step(world):
    check_in = asked(world)

    services.answer_check_in(check_in=check_in, rating=4, not_working=False, comment="")

    steps = next_steps(membership_of(world, world.peer))
    assert "Rate your match." not in [step.text for step in steps]


def test_my_contacts_page_asks_for_open_check_ins(client, world):
    check_in = asked(world)
    client.force_login(world.peer)

    page = client.get(reverse("contact:mine", args=[world.initiative.pk])).content.decode()

    assert "Tell us how your match is going" in page
    assert check_in_url(world, check_in) in page


def test_contacts_page_shows_matches_said_not_to_work_first(client, world):
    check_in = asked(world)
    services.answer_check_in(check_in=check_in, rating=1, not_working=True, comment="Silent")
    client.force_login(world.facilitator)

    page = client.get(reverse("contact:index", args=[world.initiative.pk])).content.decode()

    box = page.index("Matches a member says are not working")
    assert box < page.index("Log a group activity or site visit")
    assert "says the match is not working" in page
    assert "Silent" in page
    history = reverse("contact:match_history", args=[world.initiative.pk, check_in.match_id])
    assert history in page[box:]


def test_contacts_page_leaves_out_good_answers(client, world):
    check_in = asked(world)
    services.answer_check_in(check_in=check_in, rating=4, not_working=False, comment="Fine")
    client.force_login(world.facilitator)

    page = client.get(reverse("contact:index", args=[world.initiative.pk])).content.decode()

    assert "Matches a member says are not working" not in page


@pytest.mark.parametrize("count", [1, 12])
def test_contacts_page_queries_do_not_grow_with_flagged_check_ins(
    client, world, django_assert_max_num_queries, count
):
    check_in = asked(world)
    services.answer_check_in(check_in=check_in, rating=2, not_working=False, comment="")
    for number in range(2, count + 1):
        MatchCheckIn.objects.create(
            match=check_in.match,
            membership=check_in.membership,
            number=number,
            due_at=timezone.now(),
            sent_at=timezone.now(),
            answered_at=timezone.now(),
            not_working=True,
        )
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("contact:index", args=[world.initiative.pk]))

    assert len(response.context["flagged"]) == min(count, 5)
