import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from diffusion.models import SharingItem
from peerlearn.models import AuditEntry
from tests.factories import MembershipFactory

from .factories import in_stage_four, membership_of, plan_item

NEXT_WEEK = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def _item_data(**changes):
    return {
        "what": "How the treasury plans cash",
        "audience": "My unit",
        "means": "A team meeting",
        "planned_for": NEXT_WEEK,
        "status": "planned",
        **changes,
    }


def test_peer_adds_an_item_to_their_plan(client, world):
    client.force_login(world.peer)

    response = client.post(reverse("diffusion:plan_add", args=[world.initiative.pk]), _item_data())

    assert response.status_code == 302
    item = SharingItem.objects.get()
    assert item.membership == membership_of(world, world.peer)
    assert item.audience == "My unit"
    assert AuditEntry.objects.get(action="diffusion.plan_item").actor == world.peer
    page = client.get(response.url).content.decode()
    assert "How the treasury plans cash" in page


def test_plan_item_without_what_keeps_the_rest(client, world):
    client.force_login(world.peer)

    response = client.post(
        reverse("diffusion:plan_add", args=[world.initiative.pk]), _item_data(what="")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["what"]
    assert "A team meeting" in response.content.decode()
    assert SharingItem.objects.count() == 0


def test_peer_marks_an_item_done(client, world):
    item = plan_item(world)
    client.force_login(world.peer)

    client.post(
        reverse("diffusion:plan_item", args=[world.initiative.pk, item.pk]),
        _item_data(what=item.what, status="done"),
    )

    item.refresh_from_db()
    assert item.status == SharingItem.Status.DONE
    assert AuditEntry.objects.get(action="diffusion.change_plan_item").data == {"status": "done"}


def test_peer_cannot_open_another_peers_item(client, world):
    item = plan_item(world, user=world.peer_elsewhere)
    client.force_login(world.peer)

    response = client.get(reverse("diffusion:plan_item", args=[world.initiative.pk, item.pk]))

    assert response.status_code == 404


def test_peer_page_refuses_post(client, world):
    client.force_login(world.peer)

    response = client.post(reverse("diffusion:mine", args=[world.initiative.pk]))

    assert response.status_code == 405


def test_facilitator_sees_every_plan(client, world):
    plan_item(world, what="Checklist talk")
    plan_item(world, user=world.peer_elsewhere, what="Treasury memo")
    client.force_login(world.facilitator)

    page = client.get(reverse("diffusion:index", args=[world.initiative.pk])).content.decode()

    assert "Checklist talk" in page
    assert "Treasury memo" in page


def test_authoriser_sees_only_their_organisations_plans(client, world):
    plan_item(world, what="Checklist talk")
    plan_item(world, user=world.peer_elsewhere, what="Treasury memo")
    client.force_login(world.authoriser)

    page = client.get(reverse("diffusion:index", args=[world.initiative.pk])).content.decode()

    assert "Checklist talk" in page
    assert "Treasury memo" not in page
    assert "/mine/plan/" not in page  # read-only


@pytest.mark.parametrize("count", [1, 30])
def test_plans_list_queries_do_not_grow(client, world, django_assert_max_num_queries, count):
    for number in range(count):
        peer = MembershipFactory(initiative=world.initiative)
        plan_item(world, user=peer.user, what=f"Talk {number}")
    client.force_login(world.facilitator)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("diffusion:index", args=[world.initiative.pk]))

    assert len(response.context["page"].object_list) == count


def test_peer_in_stage_four_is_asked_to_plan(client, world):
    in_stage_four(world)
    client.force_login(world.peer)

    page = client.get(reverse("home")).content.decode()

    assert "Plan how you will share what you learned." in page
    assert reverse("diffusion:plan_add", args=[world.initiative.pk]) in page


def test_peer_with_a_plan_is_not_asked_to_plan(client, world):
    in_stage_four(world)
    plan_item(world)
    client.force_login(world.peer)

    page = client.get(reverse("home")).content.decode()

    assert "Plan how you will share what you learned." not in page


def test_facilitator_has_a_diffusion_tab(client, world):
    client.force_login(world.facilitator)

    page = client.get(reverse("initiatives:detail", args=[world.initiative.pk])).content.decode()

    assert reverse("diffusion:index", args=[world.initiative.pk]) in page
