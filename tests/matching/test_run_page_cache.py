"""The page of a published run may list its matches as they were a moment ago, but never
after a change made through the initiative's forms; a run still being edited is never kept."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from matching.models import PeerProfile

from .factories import add_surveyed_peers, profile_world, proposed_run, published_run


@pytest.fixture
def run_page_kept(settings):
    settings.MATCH_RUN_CACHE_SECONDS = 60
    yield
    cache.clear()


def test_a_change_through_a_form_shows_at_once_on_a_published_run(client, world, run_page_kept):
    profile_world(world)
    run = published_run(world.initiative)
    client.force_login(world.facilitator)
    client.get(run.get_absolute_url())
    PeerProfile.objects.filter(membership__initiative=world.initiative).update(position="Minister")

    kept = client.get(run.get_absolute_url()).text
    sent = client.post(
        reverse("matching:end_match", args=[world.initiative.pk, run.matches.first().pk]),
        {"kind": "discontinued", "reason": "One peer changed jobs"},
    )
    afresh = client.get(run.get_absolute_url()).text

    assert sent.status_code == 302
    assert "Minister" not in kept
    assert "Minister" in afresh


def test_a_run_being_edited_is_never_kept(client, world, run_page_kept):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)
    client.get(run.get_absolute_url())
    PeerProfile.objects.filter(membership__initiative=world.initiative).update(position="Minister")

    page = client.get(run.get_absolute_url()).text

    assert "Minister" in page


def test_published_run_page_queries_do_not_grow_with_matches(
    client, world, django_assert_max_num_queries
):
    profile_world(world)
    few_run = published_run(world.initiative)
    client.force_login(world.facilitator)
    with django_assert_max_num_queries(12) as few:
        client.get(few_run.get_absolute_url())
    add_surveyed_peers(world.initiative, 16)
    many_run = published_run(world.initiative, matches_per_peer=2)

    with django_assert_max_num_queries(12) as many:
        page = client.get(many_run.get_absolute_url()).text

    assert many_run.matches.count() >= 5
    assert page.count('<article class="card') == many_run.matches.count()
    assert len(many) == len(few)
