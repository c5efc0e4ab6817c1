"""Your data: what is held per initiative, the archive, corrections and the profile."""

import io
import json
import zipfile
from datetime import timedelta

from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from evaluation import services as evaluation_services
from peerlearn.models import OutboxEmail
from privacy import services, tasks
from privacy.models import CorrectionRequest, DataArchive
from tests.contact.factories import library_document
from tests.factories import InitiativeFactory, MembershipFactory

from .factories import correction_asked, membership_of, ready_archive


def write_things(world):
    library_document(world)
    evaluation_services.write_reflection(
        membership=membership_of(world, world.peer), by=world.peer, text="Sequencing matters"
    )


def test_page_shows_what_is_held_per_initiative(client, world):
    write_things(world)
    client.force_login(world.peer)

    page = client.get(reverse("privacy:your_data")).content.decode()

    assert world.peer.email in page
    assert world.initiative.title in page
    assert "Arrears checklist" in page
    assert "Sequencing matters" in page


def test_page_queries_do_not_grow_with_initiatives(client, world, django_assert_max_num_queries):
    write_things(world)
    client.force_login(world.peer)
    url = reverse("privacy:your_data")
    with django_assert_max_num_queries(80) as first:
        client.get(url)
    for _ in range(3):
        MembershipFactory(initiative=InitiativeFactory(), user=world.peer)

    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_archive_is_built_emailed_and_downloaded(client, world, django_capture_on_commit_callbacks):
    write_things(world)
    client.force_login(world.peer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:archive_request"))
    archive = DataArchive.objects.get(person=world.peer)
    email = OutboxEmail.objects.get(kind="privacy_archive")
    (sent,) = [message for message in mail.outbox if message.to == [world.peer.email]]
    download_url = reverse("privacy:archive_download", args=[archive.pk])
    response = client.get(download_url)
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(zipped.read("data.json"))

    assert archive.status == DataArchive.Status.READY
    assert archive.expires_at - archive.ready_at == timedelta(days=7)
    assert download_url in sent.body
    assert download_url not in email.body  # the link is blanked from the outbox once sent
    assert response["Content-Disposition"].startswith("attachment")
    assert "Sequencing matters" in json.dumps(data)
    assert any(name.startswith("files/") and name.endswith(".pdf") for name in zipped.namelist())
    assert "Download your archive" in client.get(reverse("privacy:your_data")).content.decode()


def test_archive_leaves_out_files_past_the_limit(world, settings):
    write_things(world)
    settings.PRIVACY_ARCHIVE_MAX_BYTES = 10

    archive = ready_archive(world)

    with default_storage.open(archive.path, "rb") as stored:
        zipped = zipfile.ZipFile(io.BytesIO(stored.read()))
    data = json.loads(zipped.read("data.json"))
    assert data["files_left_out"]
    assert zipped.namelist() == ["data.json"]


def test_someone_else_cannot_download_it(client, world):
    archive = ready_archive(world)
    client.force_login(world.peer_elsewhere)

    response = client.get(reverse("privacy:archive_download", args=[archive.pk]))

    assert response.status_code == 404


def test_expired_link_says_so_and_the_sweep_deletes_it(client, world):
    archive = ready_archive(world)
    DataArchive.objects.filter(pk=archive.pk).update(expires_at=timezone.now())
    client.force_login(world.peer)

    response = client.get(reverse("privacy:archive_download", args=[archive.pk]))
    deleted = tasks.delete_expired_archives()

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert deleted == 1
    assert not default_storage.exists(archive.path)
    assert not DataArchive.objects.exists()


def test_person_edits_their_name_and_language(client, world):
    client.force_login(world.peer)

    bad = client.post(reverse("profile"), {"name": "", "language": "fr"})
    client.post(reverse("profile"), {"name": "Ana Rusu", "language": "fr"})

    world.peer.refresh_from_db()
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    assert (world.peer.name, world.peer.language) == ("Ana Rusu", "fr")


def test_correction_is_asked_answered_and_the_person_told(client, world):
    client.force_login(world.peer)
    client.post(
        reverse("privacy:correction_new", args=[world.initiative.pk]),
        {"details": "My position is Head of Treasury"},
    )
    correction = CorrectionRequest.objects.get()
    client.force_login(world.facilitator)

    listed = client.get(reverse("privacy:corrections", args=[world.initiative.pk]))
    answer_url = reverse("privacy:correction_answer", args=[world.initiative.pk, correction.pk])
    refused = client.post(answer_url, {"status": "declined", "reply": ""})
    client.post(answer_url, {"status": "done", "reply": "Corrected in the peer list"})

    correction.refresh_from_db()
    told = OutboxEmail.objects.get(kind="privacy_correction_answered")
    assert "Head of Treasury" in listed.content.decode()
    assert "Say why you decline" in refused.content.decode()
    assert correction.status == CorrectionRequest.Status.DONE
    assert told.to == world.peer.email and "Corrected in the peer list" in told.body
    assert OutboxEmail.objects.filter(
        kind="privacy_correction_asked", to=world.facilitator.email
    ).exists()


def test_answered_request_cannot_be_answered_again(client, world):
    correction = correction_asked(world)
    services.answer_correction(request=correction, status="done", reply="", by=world.facilitator)
    client.force_login(world.facilitator)

    response = client.get(
        reverse("privacy:correction_answer", args=[world.initiative.pk, correction.pk])
    )

    assert response.status_code == 404


def test_corrections_list_queries_do_not_grow(client, world, django_assert_max_num_queries):
    correction_asked(world)
    client.force_login(world.facilitator)
    url = reverse("privacy:corrections", args=[world.initiative.pk])
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for number in range(3):
        correction_asked(world, details=f"Wrong {number}")

    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_progress_is_polled_while_the_archive_is_built(client, world):
    DataArchive.objects.create(person=world.peer, status=DataArchive.Status.BUILDING, progress=40)
    client.force_login(world.peer)

    page = client.get(reverse("privacy:your_data")).content.decode()
    poll = client.get(reverse("privacy:your_data"), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in page
    assert "40%" in poll.content.decode() and "<h1" not in poll.content.decode()
