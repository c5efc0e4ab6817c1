"""The dashboard, its charts and downloads may show figures computed a moment ago, but
never after a change made through the site's forms, and never another scope's figures."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from initiatives.models import Membership

from ..factories import MembershipFactory
from .test_dashboard import chain_world, dashboard_url


@pytest.fixture
def figures_kept(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    yield
    cache.clear()


def funnel(response):
    """The peers at each step, as the page's table shows them."""
    table = response.text.split('id="funnel"')[1].split('id="dimensions"')[0]
    return [int(cell) for cell in re.findall(r'<td class="text-end">(\d+)</td>', table)]


def invited(response):
    return funnel(response)[0]


def test_a_change_through_a_form_shows_at_once(client, world, figures_kept):
    client.force_login(world.facilitator)
    first = invited(client.get(dashboard_url(world)))
    MembershipFactory(initiative=world.initiative, status=Membership.Status.INVITED)

    kept = invited(client.get(dashboard_url(world)))
    sent = client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {
            "email": "nino@mof.example.ge",
            "name": "Nino",
            "role": "peer",
            "home_organisation": world.home.pk,
        },
    )
    afresh = invited(client.get(dashboard_url(world)))

    assert sent.status_code == 302
    assert kept == first
    assert afresh == first + 2


def test_an_authoriser_never_gets_the_whole_initiatives_figures(client, world, figures_kept):
    chain_world(world)
    client.force_login(world.facilitator)
    client.get(dashboard_url(world))
    client.force_login(world.authoriser)

    response = client.get(dashboard_url(world))

    assert funnel(response) == [1, 1, 1, 1, 1, 1, 1]


def test_each_period_has_its_own_figures(client, world, figures_kept):
    chain_world(world)
    client.force_login(world.facilitator)
    client.get(dashboard_url(world))

    response = client.get(dashboard_url(world, since="2025-03-01", until="2025-06-30"))

    assert funnel(response) == [0, 0, 0, 0, 0, 1, 1]


@pytest.mark.parametrize("peers", [1, 40])
def test_the_dashboard_opened_again_counts_nothing_anew(
    client, world, peers, figures_kept, django_assert_max_num_queries
):
    chain_world(world)
    MembershipFactory.create_batch(peers, initiative=world.initiative)
    client.force_login(world.facilitator)
    client.get(dashboard_url(world))

    with django_assert_max_num_queries(6):
        page = client.get(dashboard_url(world))
    with django_assert_max_num_queries(6):
        chart = client.get(reverse("evaluation:funnel_chart", args=[world.initiative.pk]))

    assert (page.status_code, chart.status_code) == (200, 200)
