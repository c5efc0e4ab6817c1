"""Closing an initiative, and the sweep that anonymises it once its retention is over."""

import datetime

from django.urls import reverse
from django.utils import timezone

from evaluation.models import Reflection, Report
from initiatives import road_map
from initiatives.models import Initiative
from initiatives.models.initiative import months_after
from privacy import services
from privacy.tasks import anonymise_closed_initiatives

from .factories import NAME, everywhere, mentions


def test_a_facilitator_closes_an_initiative_with_a_retention_period(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("privacy:close", args=[world.initiative.pk]), {"retention_months": "6"}
    )

    world.initiative.refresh_from_db()
    assert response.status_code == 302
    assert world.initiative.closed_at is not None
    assert world.initiative.retention_months == 6
    day = world.initiative.anonymise_on
    assert day == months_after(world.initiative.closed_at, 6)
    detail = client.get(reverse("initiatives:detail", args=[world.initiative.pk])).text
    assert "its personal data will be anonymised on" in detail


def test_a_wrong_retention_is_explained_and_nothing_closes(client, world):
    client.force_login(world.facilitator)

    for typed in ("", "-1", "500", "soon"):
        response = client.post(
            reverse("privacy:close", args=[world.initiative.pk]), {"retention_months": typed}
        )
        assert response.status_code == 200
        assert 'class="invalid-feedback' in response.text

    world.initiative.refresh_from_db()
    assert world.initiative.closed_at is None


def test_months_after_keeps_to_the_end_of_a_shorter_month():
    moment = datetime.datetime(2026, 1, 31, 9, tzinfo=datetime.UTC)

    assert months_after(moment, 1) == datetime.datetime(2026, 2, 28, 9, tzinfo=datetime.UTC)
    assert months_after(moment, 13).date() == datetime.date(2027, 2, 28)


def test_the_sweep_anonymises_a_closed_initiative_once_its_retention_is_over(
    world, django_capture_on_commit_callbacks
):
    everywhere(world)
    figures = road_map.indicators(world.initiative)
    services.close_initiative(initiative=world.initiative, by=world.facilitator, retention_months=3)
    closed_at = Initiative.objects.get(pk=world.initiative.pk).closed_at

    assert services.anonymise_due_initiatives(now=closed_at + datetime.timedelta(days=80)) == 0
    later = months_after(closed_at, 3) + datetime.timedelta(minutes=1)
    assert services.anonymise_due_initiatives(now=later) == 1
    assert services.anonymise_due_initiatives(now=later) == 0  # claimed once only

    initiative = Initiative.objects.get(pk=world.initiative.pk)
    assert initiative.personal_data_anonymised_at == later
    assert road_map.indicators(initiative) == figures
    assert not initiative.memberships.filter(user__name=NAME).exists()
    assert set(Reflection.objects.values_list("text", flat=True)) == {""}
    assert NAME not in str(Report.objects.get().content)
    # What stays of the person is outside the initiative: their account and their email.
    assert {table for table, _column, _term in mentions([NAME])} <= {
        "peerlearn_user",
        "peerlearn_outboxemail",
        "peerlearn_auditentry",
    }


def test_the_daily_task_leaves_open_and_recent_initiatives_alone(world):
    services.close_initiative(
        initiative=world.other_initiative, by=world.other_facilitator, retention_months=1
    )

    assert anonymise_closed_initiatives.delay().get() == 0
    Initiative.objects.filter(pk=world.other_initiative.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=40)
    )
    assert anonymise_closed_initiatives.delay().get() == 1
    assert Initiative.objects.get(pk=world.initiative.pk).personal_data_anonymised_at is None
