"""The initiative page and the road map page may show a road map computed a moment ago, but
never after a change made through the initiative's forms; moving stage checks afresh."""

import pytest
from django.core.cache import cache
from django.urls import resolve, reverse

from initiatives.models import Membership, Risk, Stage
from initiatives.road_map import summaries
from tests.surveys.factories import open_survey_for


@pytest.fixture
def road_map_kept(settings):
    settings.ROAD_MAP_CACHE_SECONDS = 60
    yield
    cache.clear()


def test_a_change_through_a_form_shows_at_once(client, world, road_map_kept):
    client.force_login(world.facilitator)
    page = world.initiative.get_absolute_url()
    client.get(page)
    Risk.objects.create(initiative=world.initiative, description="Budget freeze")

    kept = client.get(page).text
    sent = client.post(
        reverse("initiatives:add_risk", args=[world.initiative.pk]),
        {"stage": Stage.SCOPING, "description": "Elections", "status": "open"},
    )
    afresh = client.get(page).text

    assert sent.status_code == 302
    assert "scoping risks are still open" not in kept
    assert "2 scoping risks are still open." in afresh


def test_a_change_through_an_open_items_link_shows_at_once_on_the_road_map(
    client, world, road_map_kept
):
    client.force_login(world.facilitator)
    page = reverse("initiatives:road_map", args=[world.initiative.pk])
    client.get(page)
    Risk.objects.create(initiative=world.initiative, description="Budget freeze")

    kept = client.get(page).text
    sent = client.post(
        reverse("initiatives:add_risk", args=[world.initiative.pk]),
        {"stage": Stage.SCOPING, "description": "Elections", "status": "open"},
    )
    afresh = client.get(page).text

    assert sent.status_code == 302
    assert "scoping risks are still open" not in kept
    assert "2 scoping risks are still open." in afresh


def test_a_peers_next_steps_are_kept_until_a_form_is_sent(client, world, road_map_kept):
    survey = open_survey_for(world.initiative)
    client.force_login(world.peer)
    link = survey.url("survey")
    shown = client.get(reverse("home")).text
    survey.opened_at = None
    survey.save(update_fields=["opened_at"])

    kept = client.get(reverse("home")).text
    sent = client.post(reverse("profile"), {"name": "Ana Peer", "language": "en"})
    afresh = client.get(reverse("home")).text

    assert sent.status_code == 302
    assert link in shown and link in kept
    assert link not in afresh


def test_a_facilitators_change_shows_in_peers_next_steps_at_once(client, world, road_map_kept):
    survey = open_survey_for(world.initiative)
    client.force_login(world.peer)
    link = survey.url("survey")
    shown = client.get(world.initiative.get_absolute_url()).text

    client.force_login(world.facilitator)
    client.post(
        reverse("initiatives:add_risk", args=[world.initiative.pk]),
        {"stage": Stage.SCOPING, "description": "Elections", "status": "open"},
    )
    survey.opened_at = None
    survey.save(update_fields=["opened_at"])
    client.force_login(world.peer)
    afresh = client.get(world.initiative.get_absolute_url()).text

    assert link in shown
    assert link not in afresh


def test_moving_stage_checks_open_items_afresh(client, world, road_map_kept):
    client.force_login(world.facilitator)
    page = reverse("initiatives:road_map", args=[world.initiative.pk])
    client.get(page)
    Risk.objects.create(initiative=world.initiative, description="Budget freeze")

    refused = client.post(page, {"stage": Stage.FOUNDATION})
    afresh = client.get(page).text

    assert refused.status_code == 200
    assert "1 scoping risk is still open." in refused.text
    assert "1 scoping risk is still open." in afresh


def test_every_open_items_link_leads_to_a_page_whose_forms_forget_the_road_map(world):
    items = [item for summary in summaries(world.initiative) for item in summary.open_items]

    routes = {str(resolve(item.url).route) for item in items if item.url}

    assert len(routes) >= 5
    assert [route for route in routes if not route.startswith("initiatives/<int:pk>/")] == []


def test_the_people_page_is_kept_until_a_form_is_sent_on_the_initiatives_pages(
    client, world, road_map_kept, django_assert_max_num_queries
):
    client.force_login(world.facilitator)
    people = reverse("initiatives:people", args=[world.initiative.pk])
    client.get(people)
    Membership.objects.filter(user=world.peer).update(status=Membership.Status.WITHDRAWN)

    with django_assert_max_num_queries(4):
        kept = client.get(people).text
    sent = client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {
            "email": "nino@mof.example.ge",
            "name": "Nino Beridze",
            "role": "peer",
            "home_organisation": world.home.pk,
        },
    )
    afresh = client.get(people).text

    assert sent.status_code == 302
    assert f'Withdraw…<span class="visually-hidden"> {world.peer}' in kept
    assert f'Withdraw…<span class="visually-hidden"> {world.peer}' not in afresh
    assert "nino@mof.example.ge" in afresh
