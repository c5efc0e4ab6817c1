from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from benchmarks.peer_import import deflate_bomb_xlsx, huge_sheet_xlsx
from initiatives.models import Membership, Role
from matching import peer_import, tasks
from matching.models import PeerImport, PeerProfile
from peerlearn.models import AuditEntry, Organisation, OutboxEmail, User

from ..factories import MembershipFactory, OrganisationFactory, UserFactory

GOOD_AND_BAD = (
    "Email,Name,Organisation,Country,Position,Years_of_service,Languages,Challenges,"
    "Challenge_tags,Shoe size\n"
    "Nino@MoF.example.ge,Nino Beridze,Ministry of Finance,Georgia,Head of treasury,12,en;ka,"
    "Arrears keep growing,pfm,42\n"
    "not-an-email,Bad Email,Ministry of Finance,Georgia,,,,,,\n"
    "levan@mof.example.ge,Levan,Ministry of Finance,Georgia,,many,,,,\n"
    "nino@mof.example.ge,Nino again,,,,,,,,\n"
    "olena@treasury.example.ua,Olena,State Treasury,Ukraine,,,xx,,,\n"
    "armen@mof.example.am,Armen,Ministry of Finance,Armenia,Budget analyst,3,hy;RU,"
    "Commitments outrun cash,pfm;audit,\n"
)


@pytest.fixture
def jobs(django_capture_on_commit_callbacks):
    """Runs the jobs enqueued on commit, in this process (tasks are eager in tests)."""
    return django_capture_on_commit_callbacks


def upload(client, world, name, content, jobs):
    """Upload a list; the check job runs as the upload commits."""
    client.force_login(world.facilitator)
    with jobs(execute=True):
        return client.post(
            reverse("matching:import_upload", args=[world.initiative.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )


def confirm(client, world, prepared, jobs):
    """Confirm a checked list; the import job runs as the confirmation commits."""
    with jobs(execute=True):
        return client.post(
            reverse("matching:import_confirm", args=[world.initiative.pk, prepared.pk])
        )


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    content = BytesIO()
    workbook.save(content)
    return content.getvalue()


def test_preview_shows_each_row_outcome_and_writes_nothing(client, world, jobs):
    peers_before = Membership.objects.count()

    response = upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)

    prepared = PeerImport.objects.get()
    assert response.url == reverse(
        "matching:import_preview", args=[world.initiative.pk, prepared.pk]
    )
    outcomes = [(entry["line"], entry["outcome"]) for entry in prepared.rows]
    assert outcomes == [
        (2, "new"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "new"),
    ]
    assert "is not an email address" in prepared.rows[1]["errors"][0]
    assert "Years of service" in prepared.rows[2]["errors"][0]
    assert "already on line 2" in prepared.rows[3]["errors"][0]
    assert "Unknown language code: xx" in prepared.rows[4]["errors"][0]
    assert Membership.objects.count() == peers_before
    assert OutboxEmail.objects.count() == 0
    page = client.get(response.url)
    assert page.status_code == 200
    assert "2 new, 0 already invited" in page.text


def test_confirm_imports_valid_rows_only(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    response = confirm(client, world, prepared, jobs)

    assert response.url == prepared.get_absolute_url()
    imported = Membership.objects.filter(
        initiative=world.initiative, user__email__in=["nino@mof.example.ge", "armen@mof.example.am"]
    )
    assert imported.count() == 2
    assert sorted(OutboxEmail.objects.filter(kind="invitation").values_list("to", flat=True)) == [
        "armen@mof.example.am",
        "nino@mof.example.ge",
    ]
    assert (
        User.objects.filter(email__in=["levan@mof.example.ge", "olena@treasury.example.ua"]).count()
        == 0
    )
    nino = PeerProfile.objects.get(membership__user__email="nino@mof.example.ge")
    assert (nino.position, nino.years_of_service, nino.languages) == (
        "Head of treasury",
        12,
        ["en", "ka"],
    )
    assert nino.challenge_tags == ["pfm"]
    assert nino.membership.home_organisation == Organisation.objects.get(
        name="Ministry of Finance", country="Georgia"
    )
    armen = PeerProfile.objects.get(membership__user__email="armen@mof.example.am")
    assert armen.languages == ["hy", "ru"]
    # Armen reads Russian (Armenian is not a language of the site): so is his invitation.
    assert armen.membership.user.language == "ru"
    assert OutboxEmail.objects.get(to="armen@mof.example.am").subject.startswith("Вы приглашены")
    assert PeerImport.objects.get().imported_at is not None
    assert not nino.membership.user.is_facilitator
    page = client.get(response.url)
    assert "2 peers invited." in page.text
    assert "0 peers already invited were updated." in page.text


def test_confirmed_import_is_in_the_initiative_history(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    confirm(client, world, prepared, jobs)

    entry = AuditEntry.objects.of_initiative(world.initiative).get(action="peers.imported")
    assert (entry.actor, entry.target_label, entry.data) == (
        world.facilitator,
        str(prepared),
        {"invited": 2, "updated": 0},
    )


def test_reimport_updates_without_duplicates_or_second_invitation(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    first = PeerImport.objects.get()
    confirm(client, world, first, jobs)
    changed = GOOD_AND_BAD.replace("Head of treasury", "Director of treasury")

    upload(client, world, "peers.csv", changed.encode(), jobs)
    second = PeerImport.objects.latest("pk")
    confirm(client, world, second, jobs)

    assert [entry["outcome"] for entry in second.rows if entry["outcome"] != "error"] == [
        "update",
        "update",
    ]
    assert Membership.objects.filter(user__email="nino@mof.example.ge").count() == 1
    assert OutboxEmail.objects.filter(kind="invitation", to="nino@mof.example.ge").count() == 1
    assert Organisation.objects.filter(name="Ministry of Finance", country="Georgia").count() == 1
    assert PeerProfile.objects.get(membership__user__email="nino@mof.example.ge").position == (
        "Director of treasury"
    )


def test_import_from_xlsx_matches_existing_peer_case_insensitively(client, world, jobs):
    existing = MembershipFactory(
        initiative=world.initiative, user=UserFactory(email="ion.rusu@mof.example.md")
    )
    content = xlsx(
        [
            ["EMAIL", "name", "organisation", "country", "years_of_service", "languages"],
            ["Ion.Rusu@MOF.example.md", "Ion Rusu", "Ministry of Finance", "Moldova", 8, "ro;ru"],
            ["aida@city.example.kz", "Aida", "City of Almaty", "Kazakhstan", None, "kk"],
            ["aida@city.example.kz", "Aida twice", "", "", None, ""],
            ["broken", "", "", "", "ten", ""],
        ]
    )

    upload(client, world, "peers.xlsx", content, jobs)
    prepared = PeerImport.objects.get()
    confirm(client, world, prepared, jobs)

    assert [entry["outcome"] for entry in prepared.rows] == ["update", "new", "error", "error"]
    assert OutboxEmail.objects.filter(kind="invitation").count() == 1
    assert PeerProfile.objects.get(membership=existing).years_of_service == 8
    assert PeerProfile.objects.get(membership__user__email="aida@city.example.kz").languages == [
        "kk"
    ]


def test_import_keeps_answers_of_a_peer_who_submitted_the_survey(client, world, jobs):
    membership = world.initiative.memberships.get(user=world.peer)
    PeerProfile.objects.create(
        membership=membership, position="Own words", survey_completed_at="2026-01-01T00:00Z"
    )
    content = f"email,position\n{world.peer.email},From the list\n".encode()

    upload(client, world, "peers.csv", content, jobs)
    prepared = PeerImport.objects.get()
    confirm(client, world, prepared, jobs)

    assert PeerProfile.objects.get(membership=membership).position == "Own words"


def test_list_without_email_column_fails_with_reason_and_upload_form(client, world, jobs):
    response = upload(client, world, "peers.csv", b"name,country\nAna,Moldova\n", jobs)

    page = client.get(response.url)
    assert "including “email”" in page.text
    assert 'name="file"' in page.text
    failed = PeerImport.objects.get()
    assert (failed.status, bytes(failed.content)) == (PeerImport.Status.FAILED, b"")


def test_upload_rejects_other_file_types(client, world, jobs):
    response = upload(client, world, "peers.pdf", b"%PDF", jobs)

    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.text


def test_upload_rejects_damaged_xlsx(client, world, jobs):
    response = upload(client, world, "peers.xlsx", b"not a zip", jobs)

    assert response.status_code == 200
    assert "not a readable Excel" in response.text


def test_confirm_twice_imports_once(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()
    confirm(client, world, prepared, jobs)

    response = confirm(client, world, prepared, jobs)

    assert OutboxEmail.objects.filter(kind="invitation").count() == 2
    assert "is not waiting to be imported" in client.get(response.url).text


def test_confirm_is_scoped_to_the_initiative(client, world):
    other = MembershipFactory(role=Role.FACILITATOR).initiative
    foreign = PeerImport.objects.create(initiative=other, filename="x.csv", rows=[])
    client.force_login(world.facilitator)

    response = client.post(
        reverse("matching:import_confirm", args=[world.initiative.pk, foreign.pk])
    )

    assert response.status_code == 404


def test_confirm_refuses_get(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    response = client.get(
        reverse("matching:import_confirm", args=[world.initiative.pk, prepared.pk])
    )

    assert response.status_code == 405


def test_preview_refuses_post(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    response = client.post(
        reverse("matching:import_preview", args=[world.initiative.pk, prepared.pk])
    )

    assert response.status_code == 405


@pytest.mark.parametrize("count", [1, 200])
def test_import_queries_grow_with_new_organisations_not_rows(
    world, count, django_assert_max_num_queries
):
    lines = ["email,name,organisation,country,languages,position"]
    for number in range(count):
        lines.append(
            f"peer{number}@list.example.org,Peer {number},Agency {number % 10},Chad,fr,Clerk"
        )
    prepared = peer_import.prepare(
        initiative=world.initiative,
        filename="big.csv",
        content="\n".join(lines).encode(),
        by=world.facilitator,
    )
    new_organisations = min(count, 10)
    audit_entry = 2  # its row, and its content type the first time
    emails = 2  # the invited people's languages, and the new outbox rows' ids

    with django_assert_max_num_queries(12 + audit_entry + emails + new_organisations):
        counts = peer_import.import_rows(peer_import=prepared, by=world.facilitator)

    assert counts == {"invited": count, "updated": 0}
    assert PeerProfile.objects.filter(position="Clerk").count() == count
    assert OutboxEmail.objects.filter(kind="invitation").count() == count


def test_reimport_of_two_hundred_rows_uses_few_queries(world, django_assert_max_num_queries):
    lines = ["email,position"] + [f"peer{n}@list.example.org,Clerk" for n in range(200)]
    content = "\n".join(lines).encode()
    first = peer_import.prepare(
        initiative=world.initiative, filename="a.csv", content=content, by=world.facilitator
    )
    peer_import.import_rows(peer_import=first, by=world.facilitator)
    again = peer_import.prepare(
        initiative=world.initiative,
        filename="a.csv",
        content=content.replace(b"Clerk", b"Officer"),
        by=world.facilitator,
    )

    with django_assert_max_num_queries(15):
        counts = peer_import.import_rows(peer_import=again, by=world.facilitator)

    assert counts == {"invited": 0, "updated": 200}
    assert PeerProfile.objects.filter(position="Officer").count() == 200


def test_import_peers_command_prints_summary_and_imports(world, tmp_path):
    path = tmp_path / "peers.csv"
    path.write_text(GOOD_AND_BAD)
    out = StringIO()

    call_command("import_peers", str(world.initiative.pk), str(path), stdout=out)

    assert "2 new, 0 to update, 4 with errors." in out.getvalue()
    assert "line 3: error not-an-email" in out.getvalue()
    assert OutboxEmail.objects.filter(kind="invitation").count() == 2


def test_people_page_links_to_the_import_at_its_usual_address(client, world):
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:people", args=[world.initiative.pk]))

    assert f'href="/initiatives/{world.initiative.pk}/people/import/"' in response.text


def test_people_page_lists_home_organisations_with_invite_authoriser_link(client, world):
    lonely = OrganisationFactory(name="Tax Service", country="Chad")
    MembershipFactory(initiative=world.initiative, home_organisation=lonely)
    client.force_login(world.facilitator)

    response = client.get(reverse("initiatives:people", args=[world.initiative.pk]))

    invite = reverse("initiatives:invite", args=[world.initiative.pk])
    assert f"{invite}?organisation={lonely.pk}" in response.text
    assert response.context["home_organisations"] == [
        (world.home, True),
        (world.elsewhere, True),
        (lonely, False),
    ]


def test_invite_form_prefills_organisation_for_authoriser(client, world):
    client.force_login(world.facilitator)

    response = client.get(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {"organisation": world.home.pk},
    )

    form = response.context["form"]
    assert (form["home_organisation"].value(), form["role"].value()) == (
        world.home.pk,
        "authoriser",
    )


def test_upload_refuses_other_methods(client, world):
    client.force_login(world.facilitator)

    response = client.put(reverse("matching:import_upload", args=[world.initiative.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (huge_sheet_xlsx(), "The first sheet spans 1048576 rows and 16384 columns"),
        (deflate_bomb_xlsx(megabytes=64), "This Excel file unpacks to more than 30 MB"),
    ],
)
def test_spreadsheet_bombs_are_refused_in_the_form(client, world, jobs, content, message):
    response = upload(client, world, "peers.xlsx", content, jobs)

    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert PeerImport.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"email,challenges\na@x.org,ok\nb@x.org," + b"x" * 131_073 + b"\n",
            "Line 3: a cell holds more than 10000 characters.",
        ),
        (
            b'email,name\na@x.org,Ana\nb@x.org,"Ben\nc@x.org,Cy\n',
            "Line 3: a quote mark (&quot;) opens a cell but never closes it.",
        ),
        (b"email,name\na@x.org,Ana\nb@x.org,B\x00en\n", "Line 3 holds a NUL character"),
    ],
)
def test_malformed_csv_fails_with_the_line_and_offers_the_form_again(
    client, world, jobs, content, message
):
    response = upload(client, world, "peers.csv", content, jobs)

    page = client.get(response.url)
    assert page.status_code == 200
    assert message in page.text
    assert 'name="file"' in page.text
    assert Membership.objects.filter(user__email="a@x.org").count() == 0


def test_latin_1_list_separated_by_semicolons_is_read_with_a_note(client, world, jobs):
    content = "Email;Name;Organisation;Country\nrene@x.org;René Dupré;Cour des comptes;France\n"

    response = upload(client, world, "peers.csv", content.encode("latin-1"), jobs)

    page = client.get(response.url)
    assert "read as Western European (Windows-1252)" in page.text
    assert PeerImport.objects.get().rows[0]["row"]["name"] == "René Dupré"


def test_list_over_ten_thousand_people_is_refused(client, world, jobs):
    content = "\n".join(["email"] + [f"p{n}@x.org" for n in range(10_001)]).encode()

    response = upload(client, world, "peers.csv", content, jobs)

    assert "A list can hold at most 10000 people." in client.get(response.url).text


def test_list_of_ten_thousand_people_is_checked(client, world, jobs):
    content = "\n".join(["email"] + [f"p{n}@x.org" for n in range(10_000)]).encode()

    upload(client, world, "peers.csv", content, jobs)

    assert peer_import.summary(PeerImport.objects.get().rows)["new"] == 10_000


def test_import_page_while_checking_refreshes_itself(client, world):
    checking = PeerImport.objects.create(
        initiative=world.initiative, filename="peers.csv", content=b"email\n"
    )
    client.force_login(world.facilitator)

    page = client.get(checking.get_absolute_url())
    fragment = client.get(checking.get_absolute_url(), headers={"HX-Request": "true"})

    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert "Checking the list" in page.text
    assert fragment.text.strip().startswith('<div id="import-progress"')


def test_import_page_once_done_asks_htmx_to_reload_it(client, world, jobs):
    response = upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)

    fragment = client.get(response.url, headers={"HX-Request": "true"})

    assert fragment.headers["HX-Refresh"] == "true"


@pytest.mark.parametrize("count", [1, 300])
def test_import_page_queries_do_not_grow_with_rows(
    client, world, jobs, count, django_assert_max_num_queries
):
    content = "\n".join(["email,name"] + [f"p{n}@x.org,P {n}" for n in range(count)]).encode()
    response = upload(client, world, "peers.csv", content, jobs)

    with django_assert_max_num_queries(8):
        page = client.get(response.url)

    assert page.text.count("New: will be invited") == count


def test_repeated_import_job_imports_once(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()
    confirm(client, world, prepared, jobs)

    tasks.import_peer_list(import_id=prepared.pk, by_id=world.facilitator.pk, language="en")

    assert OutboxEmail.objects.filter(kind="invitation").count() == 2
    assert Membership.objects.filter(user__email="nino@mof.example.ge").count() == 1


def test_failed_import_saves_nothing_and_can_be_tried_again(client, world, jobs):
    # An account stored before emails were kept in lower case: the import does not find
    # it, and the database refuses a second account for the same address.
    legacy = UserFactory(email="nino@mof.example.ge")
    User.objects.filter(pk=legacy.pk).update(email="NINO@MOF.EXAMPLE.GE")
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    response = confirm(client, world, prepared, jobs)

    prepared.refresh_from_db()
    assert prepared.status == PeerImport.Status.READY
    assert "The import failed, so nothing was saved." in client.get(response.url).text
    assert User.objects.filter(email="nino@mof.example.ge").count() == 0
    assert OutboxEmail.objects.count() == 0
    assert not AuditEntry.objects.filter(action="peers.imported").exists()
    User.objects.filter(pk=legacy.pk).update(email="nino@mof.example.ge")
    confirm(client, world, prepared, jobs)
    assert OutboxEmail.objects.filter(kind="invitation").count() == 2
    assert AuditEntry.objects.filter(action="peers.imported").count() == 1


def test_withdrawn_peer_on_a_list_is_invited_again(client, world, jobs):
    membership = world.initiative.memberships.get(user=world.peer)
    membership.withdraw()

    upload(client, world, "peers.csv", f"email\n{world.peer.email}\n".encode(), jobs)
    confirm(client, world, PeerImport.objects.get(), jobs)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.INVITED
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [world.peer.email]
    assert membership.invitations.count() == 1
