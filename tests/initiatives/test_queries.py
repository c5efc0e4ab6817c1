"""Pages must not issue more queries as rows grow: each is measured with 1 and many rows."""

import pytest
from django.urls import reverse

from initiatives.models import Role

from ..factories import InitiativeFactory, MembershipFactory, OrganisationFactory


def add_peers(world, count):
    for _number in range(count):
        organisation = OrganisationFactory()
        MembershipFactory(initiative=world.initiative, home_organisation=organisation)
        MembershipFactory(
            initiative=world.initiative,
            home_organisation=organisation,
            role=Role.AUTHORISER,
        )
        MembershipFactory(initiative=world.initiative, home_organisation=world.home)


def add_initiatives(world, count):
    for _number in range(count):
        initiative = InitiativeFactory(organisation=world.facilitator.facilitating_organisation)
        MembershipFactory(initiative=initiative)
        MembershipFactory(initiative=initiative, user=world.peer)


PAGES = {
    "facilitator home": ("facilitator", lambda w: reverse("home")),
    "peer home": ("peer", lambda w: reverse("home")),
    "authoriser home": ("authoriser", lambda w: reverse("home")),
    "people": ("facilitator", lambda w: reverse("initiatives:people", args=[w.initiative.pk])),
    "road map": ("facilitator", lambda w: reverse("initiatives:road_map", args=[w.initiative.pk])),
    "facilitator detail": ("facilitator", lambda w: w.initiative.get_absolute_url()),
    "authoriser detail": ("authoriser", lambda w: w.initiative.get_absolute_url()),
}


def count_queries(client, world, django_assert_max_num_queries, page, ceiling):
    role, url = PAGES[page]
    client.force_login(getattr(world, role))
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(url(world))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries, page):
    few = count_queries(client, world, django_assert_max_num_queries, page, 30)

    add_peers(world, 15)
    add_initiatives(world, 8)
    many = count_queries(client, world, django_assert_max_num_queries, page, 30)

    assert many == few
