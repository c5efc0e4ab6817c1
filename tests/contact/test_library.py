"""The knowledge library: members add files and links, read, search and download them."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contact.models import LibraryDocument
from peerlearn.models import AuditEntry
from privacy.models import ConsentKind
from privacy.services import set_consent

from ..factories import MembershipFactory, UserFactory
from .factories import PDF, in_stage_two, library_document, membership_of, pdf_upload

WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 400


def _url(name, world, document=None):
    args = [world.initiative.pk] + ([document.pk] if document else [])
    return reverse(f"contact:{name}", args=args)


def _form(**changes):
    return {
        "title": "Municipal arrears: a case note",
        "description": "How Chisinau cleared its payroll arrears in a year.",
        "kind": "case_note",
        "reform_area": "pfm",
        "language": "en",
        "dated": "2026-02-14",
        **changes,
    }


def _add(client, world, user=None, **changes):
    client.force_login(user or world.peer)
    data = _form(authors=[membership_of(world, world.peer).pk], **changes)
    return client.post(_url("library_add", world), data)


def _titles(response):
    return [document.title for document in response.context["page"].object_list]


def test_peer_adds_a_file_kept_in_storage_with_its_checked_type(client, world):
    response = _add(client, world, upload=pdf_upload("Arrears note.pdf"))

    document = LibraryDocument.objects.get()
    assert response.url == _url("library_document", world, document)
    assert (document.content_type, document.original_name, document.size) == (
        "application/pdf",
        "Arrears note.pdf",
        len(PDF),
    )
    assert document.file.name.startswith("contact/librarydocument/")
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == PDF
    assert list(document.authors.all()) == [membership_of(world, world.peer)]
    assert document.added_by == world.peer
    entry = AuditEntry.objects.get(action="contact.add_document")
    assert (entry.actor, entry.initiative_id, entry.data) == (
        world.peer,
        world.initiative.pk,
        {"kind": "case_note", "link": False},
    )


def test_program_named_as_a_pdf_is_refused_and_what_was_typed_stays(client, world):
    upload = SimpleUploadedFile("report.pdf", WINDOWS_PROGRAM)

    response = _add(client, world, upload=upload)

    assert response.status_code == 200
    page = response.content.decode()
    assert "“report.pdf” is not a PDF, Office document, image or plain text file" in page
    assert 'value="Municipal arrears: a case note"' in page
    assert "How Chisinau cleared its payroll arrears in a year." in page
    assert not LibraryDocument.objects.exists()


def test_peer_adds_a_link_that_opens_from_its_page_and_has_nothing_to_download(client, world):
    _add(client, world, url="https://example.org/arrears")

    document = LibraryDocument.objects.get()
    page = client.get(_url("library_document", world, document)).content.decode()
    assert document.url == "https://example.org/arrears"
    assert not document.file
    assert 'href="https://example.org/arrears"' in page
    assert client.get(_url("library_download", world, document)).status_code == 404


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/note.pdf"])
def test_link_other_than_http_is_refused(client, world, url):
    response = _add(client, world, url=url)

    assert "Give a web address that starts with http:// or https://." in (response.content.decode())
    assert not LibraryDocument.objects.exists()


def test_a_file_and_a_link_together_or_neither_are_refused(client, world):
    both = _add(client, world, url="https://example.org/a", upload=pdf_upload())
    neither = _add(client, world)

    assert "Choose a file or give a link, not both." in both.content.decode()
    assert "Choose a file or give a link." in neither.content.decode()
    assert not LibraryDocument.objects.exists()


def test_add_form_ticks_the_peer_as_author(client, world):
    client.force_login(world.peer)

    response = client.get(_url("library_add", world))

    assert list(response.context["form"].initial["authors"]) == [membership_of(world, world.peer)]


def test_facilitator_adds_guidance_with_no_peer_author(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        _url("library_add", world), _form(kind="guidance", url="https://example.org/guide")
    )

    assert response.status_code == 302
    document = LibraryDocument.objects.get()
    assert (document.kind, list(document.authors.all())) == ("guidance", [])


def test_download_is_an_attachment_with_its_type_in_a_sandbox(client, world):
    document = library_document(world, upload=pdf_upload("Arrears note.pdf"))
    client.force_login(world.peer_elsewhere)

    response = client.get(_url("library_download", world, document))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Arrears note.pdf"'
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == PDF


def test_peer_of_another_initiative_never_downloads(client, world):
    document = library_document(world)
    client.force_login(world.peer_other_initiative)

    response = client.get(_url("library_download", world, document))

    assert response.status_code == 404


def test_authoriser_reads_only_what_peers_they_authorise_for_wrote(client, world):
    library_document(world, title="By our peer")
    library_document(
        world,
        title="From the treasury",
        by=world.peer_elsewhere,
        authors=[membership_of(world, world.peer_elsewhere)],
    )
    named_in_library(world.peer)
    client.force_login(world.authoriser)

    response = client.get(_url("library", world))

    assert _titles(response) == ["By our peer"]
    assert list(response.context["form"].fields["author"].queryset) == [
        membership_of(world, world.peer)
    ]


def named_in_library(*people):
    for person in people:
        set_consent(person=person, kind=ConsentKind.NAME_IN_LIBRARY, given=True)


def _searchable(world):
    world.peer.name = "Ana Rusu"
    world.peer.save(update_fields=["name"])
    named_in_library(world.peer, world.peer_elsewhere)
    elsewhere = membership_of(world, world.peer_elsewhere)
    library_document(world, title="Payroll arrears", reform_area="pfm", language="en")
    library_document(
        world,
        title="Tender template",
        description="Open procurement in small municipalities",
        kind="report",
        reform_area="procurement",
        language="fr",
        authors=[elsewhere],
        dated=datetime.date(2026, 4, 1),
    )
    library_document(
        world,
        title="Audit plan",
        kind="assessment",
        language="other",
        url="https://example.org/audit",
        authors=[],
        dated=datetime.date(2026, 5, 1),
    )
    return elsewhere


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({}, ["Audit plan", "Tender template", "Payroll arrears"]),
        ({"words": "arrears"}, ["Payroll arrears"]),
        ({"words": "MUNICIPALITIES open"}, ["Tender template"]),
        ({"words": "rusu"}, ["Payroll arrears"]),
        ({"words": "rusu tender"}, []),
        ({"kind": "assessment"}, ["Audit plan"]),
        ({"reform_area": "procurement"}, ["Tender template"]),
        ({"language": "other"}, ["Audit plan"]),
        ({"language": "en", "kind": "template"}, ["Payroll arrears"]),
    ],
)
def test_search_and_filters(client, world, query, titles):
    _searchable(world)
    client.force_login(world.facilitator)

    response = client.get(_url("library", world), query)

    assert _titles(response) == titles


def test_filter_by_author(client, world):
    elsewhere = _searchable(world)
    client.force_login(world.peer)

    response = client.get(_url("library", world), {"author": elsewhere.pk})

    assert _titles(response) == ["Tender template"]


def test_unknown_filter_value_says_so_and_lists_everything(client, world):
    _searchable(world)
    client.force_login(world.peer)

    response = client.get(_url("library", world), {"kind": "novel"})

    assert len(_titles(response)) == 3
    assert "Select a valid choice." in response.content.decode()


def test_library_pages_hold_25_documents_newest_first(client, world):
    for day in range(1, 27):
        library_document(
            world,
            title=f"Note {day}",
            url="https://example.org/n",
            dated=datetime.date(2026, 1, day),
        )
    client.force_login(world.peer)

    first = client.get(_url("library", world))
    second = client.get(_url("library", world), {"page": 2})

    assert _titles(first)[:2] == ["Note 26", "Note 25"]
    assert len(_titles(first)) == 25
    assert _titles(second) == ["Note 1"]


def _many_documents(world, count):
    authors = [membership_of(world, world.peer), membership_of(world, world.peer_elsewhere)]
    authors += [MembershipFactory(initiative=world.initiative) for _ in range(2)]
    for number in range(count):
        library_document(world, title=f"Note {number}", authors=authors)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["facilitator", "peer", "authoriser"])
def test_library_queries_do_not_grow_with_documents_and_authors(client, world, role):
    client.force_login(getattr(world, role))
    _many_documents(world, 1)
    one = _queries(client, _url("library", world))
    _many_documents(world, 24)

    many = _queries(client, _url("library", world))
    many_found = _queries(client, _url("library", world) + "?words=note&kind=template")

    assert many == many_found == one
    assert one <= 12


def test_document_page_shows_every_author(client, world):
    world.peer.name = "Ana Rusu"
    world.peer.save(update_fields=["name"])
    world.peer_elsewhere.name = "Oleh Koval"
    world.peer_elsewhere.save(update_fields=["name"])
    named_in_library(world.peer, world.peer_elsewhere)
    document = library_document(
        world,
        authors=[membership_of(world, world.peer), membership_of(world, world.peer_elsewhere)],
    )
    client.force_login(world.authoriser)

    page = client.get(_url("library_document", world, document)).content.decode()

    assert "Ana Rusu, Oleh Koval" in page
    assert _url("library_edit", world, document) not in page


def test_adder_changes_their_document_and_the_change_is_audited(client, world):
    document = library_document(world)
    client.force_login(world.peer)

    response = client.post(
        _url("library_edit", world, document),
        _form(title="Arrears checklist, second edition", authors=[]),
    )

    document.refresh_from_db()
    assert response.status_code == 302
    assert document.title == "Arrears checklist, second edition"
    assert document.original_name == "arrears-note.pdf"  # no new file: the old one stays
    entry = AuditEntry.objects.get(action="contact.change_document")
    assert set(entry.data["changed"]) >= {"title", "authors"}


def test_new_file_replaces_the_old_one_in_storage(
    client, world, django_capture_on_commit_callbacks
):
    document = library_document(world)
    old = document.file.name
    client.force_login(world.facilitator)
    text = SimpleUploadedFile("checklist.txt", b"1. Count the arrears\n2. Plan\n")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("library_edit", world, document), _form(upload=text))

    document.refresh_from_db()
    assert (document.original_name, document.content_type) == ("checklist.txt", "text/plain")
    assert not default_storage.exists(old)
    assert default_storage.exists(document.file.name)


def test_a_file_turns_into_a_link_and_leaves_storage(
    client, world, django_capture_on_commit_callbacks
):
    document = library_document(world)
    old = document.file.name
    client.force_login(world.peer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("library_edit", world, document), _form(url="https://example.org/new"))

    document.refresh_from_db()
    assert (document.url, document.file.name, document.size) == (
        "https://example.org/new",
        "",
        None,
    )
    assert not default_storage.exists(old)


def test_other_peer_may_not_change_or_delete_a_document(client, world):
    document = library_document(world)
    client.force_login(world.peer_elsewhere)

    edit = client.post(_url("library_edit", world, document), _form(title="Mine now"))
    delete = client.post(_url("library_delete", world, document))

    assert (edit.status_code, delete.status_code) == (403, 403)
    document.refresh_from_db()
    assert document.title == "Arrears checklist"


def test_authoriser_may_not_add_change_or_delete(client, world):
    document = library_document(world)
    client.force_login(world.authoriser)

    statuses = [
        client.post(_url("library_add", world), _form(url="https://example.org")).status_code,
        client.post(_url("library_edit", world, document), _form()).status_code,
        client.post(_url("library_delete", world, document)).status_code,
    ]

    assert statuses == [403, 403, 403]


def test_facilitator_deletes_a_document_and_its_file(
    client, world, django_capture_on_commit_callbacks
):
    document = library_document(world)
    stored = document.file.name
    client.force_login(world.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("library_delete", world, document))

    assert response.url == _url("library", world)
    assert not LibraryDocument.objects.exists()
    assert not default_storage.exists(stored)
    assert AuditEntry.objects.get(action="contact.delete_document").actor == world.facilitator


def test_library_pages_refuse_other_methods(client, world):
    document = library_document(world)
    client.force_login(world.facilitator)

    statuses = [
        client.post(_url("library", world)).status_code,
        client.post(_url("library_document", world, document)).status_code,
        client.post(_url("library_download", world, document)).status_code,
    ]

    assert statuses == [405, 405, 405]


def test_library_tab_shows_in_the_initiative_navigation(client, world):
    client.force_login(world.facilitator)

    page = client.get(reverse("initiatives:detail", args=[world.initiative.pk])).content.decode()

    assert f'href="{_url("library", world)}"' in page


def test_stranger_account_sees_no_library(client, world):
    client.force_login(UserFactory())

    assert client.get(_url("library", world)).status_code == 404


@pytest.mark.parametrize("role", ["peer", "authoriser"])
def test_members_find_the_library_on_the_initiative_page_in_stage_two(client, world, role):
    client.force_login(getattr(world, role))
    before = client.get(reverse("initiatives:detail", args=[world.initiative.pk]))
    in_stage_two(world)

    after = client.get(reverse("initiatives:detail", args=[world.initiative.pk]))

    link = f'href="{_url("library", world)}"'
    assert (link in before.content.decode(), link in after.content.decode()) == (False, True)


def test_file_over_the_limit_is_refused_through_the_page(client, world, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    upload = SimpleUploadedFile("notes.txt", b"plain words\n" * 200)

    response = _add(client, world, upload=upload)

    page = response.content.decode()
    assert "“notes.txt” is 2.3\xa0KB; files can be at most 1.0\xa0KB." in page
    assert 'value="Municipal arrears: a case note"' in page
    assert not LibraryDocument.objects.exists()
