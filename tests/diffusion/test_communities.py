import pytest
from django.urls import reverse

from diffusion.models import Community
from peerlearn.models import AuditEntry
from tests.factories import MembershipFactory

from .factories import community, membership_of


def _data(world, *peers, **changes):
    return {
        "name": "Budget coalition",
        "home_organisation": world.home.pk,
        "description": "Officers from three ministries",
        "peers": [peer.pk for peer in peers],
        "colleagues": "Ana Popescu",
        "founded_on": "2026-02-01",
        **changes,
    }


def test_peer_adds_a_community(client, world):
    peer = membership_of(world, world.peer)
    client.force_login(world.peer)

    response = client.post(
        reverse("diffusion:community_add", args=[world.initiative.pk]), _data(world, peer)
    )

    assert response.status_code == 302
    added = Community.objects.get()
    assert list(added.peers.all()) == [peer]
    assert added.colleague_names == ["Ana Popescu"]
    assert AuditEntry.objects.get(action="diffusion.community").data == {"peers": 1}
    page = client.get(response.url).content.decode()
    assert "Budget coalition" in page
    assert "Ana Popescu" in page


def test_community_founded_in_the_future_is_refused(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("diffusion:community_add", args=[world.initiative.pk]),
        _data(world, founded_on="2999-01-01"),
    )

    assert response.context["form"].errors["founded_on"] == ["This date is in the future."]
    assert "Officers from three ministries" in response.content.decode()


def test_community_of_an_organisation_outside_the_initiative_is_refused(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("diffusion:community_add", args=[world.initiative.pk]),
        _data(world, home_organisation=world.other_initiative.organisation.pk),
    )

    assert "home_organisation" in response.context["form"].errors


def test_facilitator_changes_a_community(client, world):
    added = community(world)
    client.force_login(world.facilitator)

    client.post(
        reverse("diffusion:community", args=[world.initiative.pk, added.pk]),
        _data(world, membership_of(world, world.peer_elsewhere), name="Renamed"),
    )

    added.refresh_from_db()
    assert added.name == "Renamed"
    assert [m.user for m in added.peers.all()] == [world.peer_elsewhere]


def test_another_peer_cannot_change_a_community(client, world):
    added = community(world)
    client.force_login(world.peer_elsewhere)

    response = client.post(
        reverse("diffusion:community", args=[world.initiative.pk, added.pk]),
        _data(world, name="Taken over"),
    )

    assert response.status_code == 403
    added.refresh_from_db()
    assert added.name == "Arrears practitioners of Chisinau"


@pytest.mark.parametrize("count", [1, 30])
def test_communities_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for number in range(count):
        MembershipFactory(initiative=world.initiative)
        community(world, name=f"Community {number}")
    client.force_login(world.authoriser)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("diffusion:communities", args=[world.initiative.pk]))

    assert len(response.context["page"].object_list) == count
