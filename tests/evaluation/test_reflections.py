import pytest
from django.urls import reverse

from evaluation.models import Reflection
from peerlearn.models import AuditEntry

from ..factories import MembershipFactory
from .factories import membership_of, objective, pair, reflection

pytestmark = pytest.mark.django_db


def _texts(response):
    return [r.text for r in response.context["page"]]


def test_peer_writes_a_private_reflection_about_an_objective(client, world):
    aim = objective(world)
    client.force_login(world.peer)

    response = client.post(
        reverse("evaluation:reflection_new", args=[world.initiative.pk]),
        {"text": "Sequencing matters.", "objective": aim.pk, "readers": "private"},
    )

    assert response.status_code == 302
    saved = Reflection.objects.get()
    assert (saved.objective, saved.shared_with_facilitators, saved.match) == (aim, False, None)
    assert saved.share_with_authoriser is False
    assert AuditEntry.objects.filter(action="evaluation.write_reflection").count() == 1


def test_reflection_too_long_is_refused_and_kept(client, world):
    client.force_login(world.peer)
    text = "x" * 5001

    response = client.post(
        reverse("evaluation:reflection_new", args=[world.initiative.pk]),
        {"text": text, "readers": "private"},
    )

    assert response.status_code == 200
    assert response.context["form"]["text"].value() == text
    assert not Reflection.objects.exists()


def test_form_offers_the_authoriser_checkbox(client, world):
    client.force_login(world.peer)

    response = client.get(reverse("evaluation:reflection_new", args=[world.initiative.pk]))

    assert "My authoriser may read this" in response.content.decode()


def test_peer_cannot_share_with_a_match_they_are_not_in(client, world):
    match = pair(world)
    outsider = MembershipFactory(initiative=world.initiative).user
    client.force_login(outsider)

    response = client.post(
        reverse("evaluation:reflection_new", args=[world.initiative.pk]),
        {"text": "Hello", "readers": f"match:{match.pk}"},
    )

    assert response.status_code == 200
    assert not Reflection.objects.exists()


def test_facilitators_never_see_a_private_reflection(client, world):
    match = pair(world)
    reflection(world, text="Private thoughts")
    reflection(world, text="For the facilitators", shared=True)
    reflection(world, user=world.peer_elsewhere, text="For our group", match=match)
    client.force_login(world.facilitator)

    response = client.get(reverse("evaluation:facilitator_reflections", args=[world.initiative.pk]))

    assert sorted(_texts(response)) == ["For our group", "For the facilitators"]
    assert "Private thoughts" not in response.content.decode()


def test_match_group_reads_a_multi_peer_reflection(client, world):
    match = pair(world)
    reflection(world, user=world.peer_elsewhere, text="For our group", match=match)
    reflection(world, user=world.peer_elsewhere, text="Just mine")
    client.force_login(world.peer)

    response = client.get(reverse("evaluation:reflections", args=[world.initiative.pk]))

    assert _texts(response) == ["For our group"]


def test_peer_of_another_match_never_sees_a_multi_peer_reflection(client, world):
    match = pair(world)
    reflection(world, text="For our group", match=match)
    outsider = MembershipFactory(initiative=world.initiative).user
    client.force_login(outsider)

    response = client.get(reverse("evaluation:reflections", args=[world.initiative.pk]))

    assert _texts(response) == []
    assert "For our group" not in response.content.decode()


def test_peer_writes_for_their_match_group(client, world):
    match = pair(world)
    client.force_login(world.peer)

    client.post(
        reverse("evaluation:reflection_new", args=[world.initiative.pk]),
        {"text": "What we learned", "readers": f"match:{match.pk}", "share_with_authoriser": "on"},
    )

    saved = Reflection.objects.get()
    assert (saved.match, saved.share_with_authoriser) == (match, True)
    assert saved.membership == membership_of(world, world.peer)


@pytest.mark.parametrize("count", [1, 30])
def test_reflection_lists_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    match = pair(world)
    aim = objective(world)
    for number in range(count):
        reflection(world, text=f"Note {number}", match=match, objective=aim)

    for person, name in (
        (world.peer, "evaluation:reflections"),
        (world.facilitator, "evaluation:facilitator_reflections"),
    ):
        client.force_login(person)
        with django_assert_max_num_queries(18):
            response = client.get(reverse(name, args=[world.initiative.pk]))
        assert len(response.context["page"]) == min(count, 25)
