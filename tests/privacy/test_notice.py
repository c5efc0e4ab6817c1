"""The privacy notice: accepted on first sign-in and after a material change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy import queries, services
from privacy.models import ConsentKind, NoticeAcceptance
from tests.factories import InitiativeFactory, MembershipFactory

pytestmark = pytest.mark.notice_gate


def home_page(client):
    return client.get(reverse("home"))


def accept(client, world, consents=()):
    url = reverse("privacy:notice_accept", args=[world.initiative.organisation_id])
    return client.post(url, {"consents": list(consents), "next": "/"})


def test_first_page_after_sign_in_is_the_notice(client, world):
    client.force_login(world.peer)

    response = home_page(client)

    assert response.status_code == 302
    assert response.url.startswith(reverse("privacy:notice"))
    page = client.get(response.url).content.decode()
    assert world.initiative.organisation.name in page
    assert "I have read the notice and accept it" in page


def test_accepting_keeps_version_and_time_and_lets_the_person_in(client, world):
    client.force_login(world.peer)

    response = accept(client, world, [ConsentKind.NAME_IN_LIBRARY])

    acceptance = NoticeAcceptance.objects.get(person=world.peer)
    assert response.url == "/"
    assert acceptance.version == 0 and acceptance.accepted_at
    assert home_page(client).status_code == 200
    assert queries.has_consent(world.peer, ConsentKind.NAME_IN_LIBRARY)
    assert not queries.has_consent(world.peer, ConsentKind.ANSWERS_TO_MATCHES)


def test_sign_out_static_and_language_stay_open(client, world):
    client.force_login(world.peer)

    assert client.get(reverse("account_logout")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "fr"}).status_code == 302


def test_material_change_asks_again_a_minor_one_does_not(client, world):
    client.force_login(world.peer)
    accept(client, world)
    organisation = world.initiative.organisation

    services.write_notice(
        organisation=organisation, text="Clearer words", material=False, by=world.facilitator
    )
    assert home_page(client).status_code == 200

    services.write_notice(
        organisation=organisation, text="We now keep X", material=True, by=world.facilitator
    )
    response = home_page(client)
    assert response.status_code == 302
    assert "We now keep X" in client.get(response.url).content.decode()
    accept(client, world)
    assert home_page(client).status_code == 200
    assert list(
        NoticeAcceptance.objects.filter(person=world.peer).values_list("version", flat=True)
    ) == [2, 0]


def test_each_organisation_notice_is_accepted(client, world):
    second = InitiativeFactory()
    MembershipFactory(initiative=second, user=world.peer)
    client.force_login(world.peer)

    accept(client, world)
    response = home_page(client)

    assert response.status_code == 302
    assert second.organisation.name in client.get(response.url).content.decode()


def test_facilitator_writes_a_new_version(client, world):
    client.force_login(world.facilitator)
    accept(client, world)
    url = reverse("privacy:notice_edit")

    page = client.get(url).content.decode()
    response = client.post(url, {"text": "Our own notice", "material": "on"})

    assert "default text" in page
    assert response.status_code == 302
    assert queries.current_notice(world.initiative.organisation).text == "Our own notice"
    assert home_page(client).status_code == 302  # material: the author accepts it too


def test_empty_notice_is_refused_with_a_message(client, world):
    client.force_login(world.facilitator)
    accept(client, world)

    response = client.post(reverse("privacy:notice_edit"), {"text": "", "material": "on"})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_gate_costs_one_query_per_page(client, world, django_assert_max_num_queries):
    client.force_login(world.peer)
    accept(client, world)
    with django_assert_max_num_queries(30) as captured:
        home_page(client)
    gate = [q for q in captured.captured_queries if "privacy_noticeacceptance" in q["sql"]]
    assert len(gate) == 1


@pytest.fixture
def pages_keep_for_a_minute(settings):
    settings.ROAD_MAP_CACHE_SECONDS = 60
    yield
    cache.clear()


def test_accepted_notices_cost_no_query_until_a_material_change(
    client, world, pages_keep_for_a_minute, django_capture_on_commit_callbacks
):
    client.force_login(world.peer)
    accept(client, world)
    home_page(client)

    with CaptureQueriesContext(connection) as kept:
        assert home_page(client).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.write_notice(
            organisation=world.initiative.organisation,
            text="We now keep answers longer",
            material=True,
            by=world.facilitator,
        )
    asked = home_page(client)

    assert not any("privacy_noticeacceptance" in query["sql"] for query in kept.captured_queries)
    assert asked.status_code == 302
    assert asked.url.startswith(reverse("privacy:notice"))
