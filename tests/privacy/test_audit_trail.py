"""Who viewed or downloaded personal data in bulk, shown on the initiative's history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peerlearn.models import AuditEntry
from peerlearn.tasks import delete_old_audit_entries

from ..evaluation.factories import sent_report
from ..matching.factories import profile_world, published_run

EXPORTS = [
    ("initiatives:history_csv", {}),
    ("surveys:answers_csv", {}),
    ("contact:export_xlsx", {}),
    ("diffusion:report_backs_csv", {}),
    ("evaluation:objectives_xlsx", {}),
    ("evaluation:self_assessment_csv", {}),
]


@pytest.mark.parametrize(("name", "extra"), EXPORTS)
def test_every_download_of_peoples_data_is_in_the_history(client, world, name, extra):
    client.force_login(world.facilitator)

    response = client.get(reverse(name, kwargs={"pk": world.initiative.pk, **extra}))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="personal_data.export")
    assert (entry.actor, entry.initiative_id) == (world.facilitator, world.initiative.pk)
    assert entry.target_label in response["Content-Disposition"]
    history = client.get(reverse("initiatives:history", args=[world.initiative.pk])).text
    assert "Downloaded personal data" in history


def test_a_peer_list_export_is_in_the_history(client, world):
    profile_world(world)
    run = published_run(world.initiative, by=world.facilitator)
    client.force_login(world.facilitator)

    client.get(reverse("matching:export_csv", args=[world.initiative.pk, run.pk]))

    assert AuditEntry.objects.filter(
        action="personal_data.export", initiative_id=world.initiative.pk
    ).exists()


def test_a_refused_download_is_not_logged(client, world):
    client.force_login(world.peer)

    response = client.get(reverse("surveys:answers_csv", args=[world.initiative.pk]))

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="personal_data.").exists()


def test_an_authoriser_reading_a_report_and_its_pdf_is_in_the_history(client, world):
    report = sent_report(world)
    client.force_login(world.authoriser)

    client.get(reverse("evaluation:report", args=[report.token]))
    client.get(reverse("evaluation:report_pdf", args=[report.token]))

    entries = AuditEntry.objects.filter(actor=world.authoriser, initiative_id=world.initiative.pk)
    assert sorted(entries.values_list("action", flat=True)) == [
        "personal_data.export",
        "personal_data.view",
    ]


def test_audit_entries_older_than_the_retention_are_deleted(world, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = AuditEntry.objects.create(action="stage.move", at=timezone.now() - datetime.timedelta(31))
    recent = AuditEntry.objects.create(action="stage.move")

    assert delete_old_audit_entries.delay().get() == 1

    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
