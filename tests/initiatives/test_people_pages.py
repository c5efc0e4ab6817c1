"""An initiative of thousands of peers lists its members fifty at a time."""

from django.urls import reverse

from initiatives.models import Membership
from initiatives.views.core import PEOPLE_PER_PAGE
from peerlearn.models import User

from ..factories import OrganisationFactory, UserFactory


def add_peers(world, count):
    users = User.objects.bulk_create(
        User(email=f"many{n:04d}@example.org", name=f"Many {n:04d}") for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(initiative=world.initiative, user=user, home_organisation=world.home)
        for user in users
    )


def test_people_are_listed_a_page_at_a_time(client, world):
    add_peers(world, PEOPLE_PER_PAGE + 5)
    client.force_login(world.facilitator)
    people = reverse("initiatives:people", args=[world.initiative.pk])

    first = client.get(people).text
    last = client.get(f"{people}?page=2").text

    assert "many0000@example.org" in first
    assert "many0054@example.org" not in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2"' in first
    assert "many0054@example.org" in last
    assert "many0000@example.org" not in last


def test_a_home_organisation_is_listed_once_and_not_for_withdrawn_peers(client, world):
    add_peers(world, 3)
    left = OrganisationFactory(name="Ministry of Departed Peers")
    Membership.objects.create(
        initiative=world.initiative,
        user=UserFactory(),
        home_organisation=left,
        status=Membership.Status.WITHDRAWN,
    )
    client.force_login(world.facilitator)

    page = client.get(reverse("initiatives:people", args=[world.initiative.pk])).text

    assert page.count(f'id="home-organisation-{world.home.pk}"') == 1
    assert f'id="home-organisation-{world.elsewhere.pk}"' in page
    assert f'id="home-organisation-{left.pk}"' not in page
