import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from diffusion.models import ChangeStory
from peerlearn.models import AuditEntry
from tests.factories import MembershipFactory

from .factories import membership_of, story


def _data(*peers, **changes):
    return {
        "title": "A new budget calendar",
        "what_changed": "The ministry now publishes its budget calendar in January.",
        "why_it_matters": "Line ministries can plan their requests.",
        "domain": "policy",
        "peers": [peer.pk for peer in peers],
        **changes,
    }


def test_peer_writes_a_story(client, world):
    peer = membership_of(world, world.peer)
    client.force_login(world.peer)

    response = client.post(reverse("diffusion:story_add", args=[world.initiative.pk]), _data(peer))

    written = ChangeStory.objects.get()
    assert response.url == written.get_absolute_url()
    assert list(written.peers.all()) == [peer]
    assert written.written_by == world.peer
    assert AuditEntry.objects.get(action="diffusion.story").data == {"domain": "policy"}


def test_story_form_offers_the_writer_as_concerned(client, world):
    client.force_login(world.peer)

    response = client.get(reverse("diffusion:story_add", args=[world.initiative.pk]))

    assert list(response.context["form"].initial["peers"]) == [membership_of(world, world.peer)]


def test_story_without_peers_is_refused_with_the_text_kept(client, world):
    client.force_login(world.facilitator)

    response = client.post(reverse("diffusion:story_add", args=[world.initiative.pk]), _data())

    assert response.status_code == 200
    assert response.context["form"].errors["peers"] == [
        "Choose at least one peer the story concerns."
    ]
    assert "Line ministries can plan their requests." in response.content.decode()
    assert ChangeStory.objects.count() == 0


def test_facilitator_verifies_a_story(client, world):
    written = story(world)
    client.force_login(world.facilitator)
    url = reverse("diffusion:story_verify", args=[world.initiative.pk, written.pk])

    client.post(url, {"name": "Maria Rusu", "role": "State secretary", "on": "2026-03-02"})

    written.refresh_from_db()
    assert written.verified_by_name == "Maria Rusu"
    assert written.verified_on == datetime.date(2026, 3, 2)
    assert AuditEntry.objects.get(action="diffusion.verify_story").actor == world.facilitator
    client.force_login(world.peer)
    page = client.get(written.get_absolute_url()).content.decode()
    assert "Verified by Maria Rusu (State secretary)" in page


def test_verification_in_the_future_is_refused(client, world):
    written = story(world)
    client.force_login(world.facilitator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("diffusion:story_verify", args=[world.initiative.pk, written.pk]),
        {"name": "Maria Rusu", "role": "State secretary", "on": tomorrow.isoformat()},
    )

    assert response.context["form"].errors["on"] == ["This date is in the future."]
    assert "Maria Rusu" in response.content.decode()
    written.refresh_from_db()
    assert not written.is_verified


def test_peer_cannot_verify(client, world):
    written = story(world)
    client.force_login(world.peer)

    response = client.post(
        reverse("diffusion:story_verify", args=[world.initiative.pk, written.pk]),
        {"name": "Me", "role": "Peer", "on": "2026-03-02"},
    )

    assert response.status_code == 403
    written.refresh_from_db()
    assert not written.is_verified


def test_other_peers_read_the_initiatives_stories(client, world):
    story(world, title="Arrears now reported monthly")
    client.force_login(world.peer_elsewhere)

    page = client.get(reverse("diffusion:stories", args=[world.initiative.pk])).content.decode()

    assert "Arrears now reported monthly" in page


def test_authoriser_sees_only_stories_of_their_organisations_peers(client, world):
    ours = story(world, title="Arrears now reported monthly")
    theirs = story(
        world, peers=[membership_of(world, world.peer_elsewhere)], title="Treasury goes digital"
    )
    client.force_login(world.authoriser)

    page = client.get(reverse("diffusion:stories", args=[world.initiative.pk])).content.decode()
    hidden = client.get(theirs.get_absolute_url())

    assert "Arrears now reported monthly" in page
    assert "Treasury goes digital" not in page
    assert hidden.status_code == 404
    assert client.get(ours.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_stories_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for number in range(count):
        peer = MembershipFactory(initiative=world.initiative)
        story(world, peers=[peer, membership_of(world, world.peer)], title=f"Story {number}")
    client.force_login(world.authoriser)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("diffusion:stories", args=[world.initiative.pk]))

    assert response.content.decode().count("Story ") == count
