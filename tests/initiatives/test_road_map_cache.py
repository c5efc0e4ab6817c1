"""The initiative page may show a road map computed a moment ago, but never after a change
made through the site's forms; the road map page always computes it afresh."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from initiatives.models import Risk, Stage
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


def test_the_road_map_page_is_always_afresh(client, world, road_map_kept):
    client.force_login(world.facilitator)
    client.get(world.initiative.get_absolute_url())
    Risk.objects.create(initiative=world.initiative, description="Budget freeze")

    page = client.get(reverse("initiatives:road_map", args=[world.initiative.pk])).text

    assert "1 scoping risk is still open." in page


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
