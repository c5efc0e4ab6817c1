"""A new survey is a draft until a facilitator opens it; opening it tells the peers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Membership, Role, Stage
from initiatives.road_map import next_steps, open_items
from initiatives.services import invite
from peerlearn.models import AuditEntry, OutboxEmail
from surveys import services
from surveys.models import Response

from ..factories import MembershipFactory


def url(world, name="survey"):
    return reverse(f"surveys:{name}", args=[world.initiative.pk])


@pytest.fixture
def draft(world):
    return services.survey_for(initiative=world.initiative)


def open_it(client, world):
    client.force_login(world.facilitator)
    return client.post(url(world, "open"), follow=True)


def test_a_new_survey_is_a_draft_peers_cannot_see_or_answer(client, world, draft):
    client.force_login(world.peer)

    page = client.get(url(world))
    posted = client.post(url(world, "submit"), {})

    assert page.status_code == 200
    assert "This survey is not open yet" in page.text
    assert draft.questions.first().text not in page.text
    assert posted.status_code == 302
    assert Response.objects.count() == 0
    assert next_steps(world.initiative.memberships.get(user=world.peer)) == []


def test_the_facilitator_sees_the_draft_and_opens_it_deliberately(client, world, draft):
    client.force_login(world.facilitator)

    builder = client.get(url(world, "builder"))
    asked = client.get(url(world, "open"))

    assert "This survey is a draft" in builder.text
    assert asked.status_code == 405
    assert "The pre-event survey is a draft: open it to peers." in [
        str(item) for item in open_items(world.initiative, Stage.FOUNDATION)
    ]


def test_opening_emails_every_invited_or_joined_peer_once(client, world, draft):
    invited = MembershipFactory(initiative=world.initiative, status=Membership.Status.INVITED)
    MembershipFactory(initiative=world.initiative, status=Membership.Status.WITHDRAWN)
    draft.closes_at = timezone.now() + timedelta(days=10)
    draft.save()

    page = open_it(client, world)
    again = open_it(client, world)

    emails = OutboxEmail.objects.filter(kind="survey_opened")
    assert "2 peers are being told by email" not in page.text
    assert "3 peers are being told by email" in page.text
    assert "already open" in again.text
    assert sorted(emails.values_list("to", flat=True)) == sorted(
        [world.peer.email, world.peer_elsewhere.email, invited.user.email]
    )
    body = emails.get(to=world.peer.email).body
    assert url(world) in body
    assert "Please answer by" in body
    assert "Accept your invitation first" in emails.get(to=invited.user.email).body
    assert "Accept your invitation first" not in body
    assert AuditEntry.objects.filter(action="survey.opened").count() == 1


def test_once_open_peers_answer_and_are_asked_to(client, world, draft):
    open_it(client, world)
    client.force_login(world.peer)

    page = client.get(url(world))

    assert "This survey is not open yet" not in page.text
    assert draft.questions.first().text in page.text
    assert [
        step.text for step in next_steps(world.initiative.memberships.get(user=world.peer))
    ] == ["Complete the pre-event survey"]


def test_an_invitation_mentions_the_survey_only_once_it_is_open(client, world, draft):
    before = invite(
        initiative=world.initiative,
        email="early@mof.example.ge",
        role=Role.PEER,
        by=world.facilitator,
    )
    open_it(client, world)
    after = invite(
        initiative=world.initiative,
        email="late@mof.example.ge",
        role=Role.PEER,
        by=world.facilitator,
    )
    authoriser = invite(
        initiative=world.initiative,
        email="boss@mof.example.ge",
        role=Role.AUTHORISER,
        by=world.facilitator,
    )

    def body(invitation):
        return OutboxEmail.objects.get(key=f"invitation:{invitation.pk}").body

    assert "pre-event survey is open" not in body(before)
    assert "pre-event survey is open" in body(after)
    assert "pre-event survey is open" not in body(authoriser)
