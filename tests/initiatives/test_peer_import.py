from io import BytesIO, StringIO

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from initiatives import peer_import
from initiatives.models import Membership, PeerImport, Role
from matching.models import PeerProfile
from peerlearn.models import Organisation, OutboxEmail, User

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
            reverse("initiatives:import_upload", args=[world.initiative.pk]),
            {"file": SimpleUploadedFile(name, content)},
        )


def confirm(client, world, prepared, jobs):
    """Confirm a checked list; the import job runs as the confirmation commits."""
    with jobs(execute=True):
        return client.post(
            reverse("initiatives:import_confirm", args=[world.initiative.pk, prepared.pk])
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
        "initiatives:import_preview", args=[world.initiative.pk, prepared.pk]
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
    assert PeerImport.objects.get().imported_at is not None
    assert nino.membership.user.organisation is None
    page = client.get(response.url)
    assert "2 peers invited, 0 already invited peers updated." in page.text


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
        reverse("initiatives:import_confirm", args=[world.initiative.pk, foreign.pk])
    )

    assert response.status_code == 404


def test_confirm_refuses_get(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    response = client.get(
        reverse("initiatives:import_confirm", args=[world.initiative.pk, prepared.pk])
    )

    assert response.status_code == 405


def test_preview_refuses_post(client, world, jobs):
    upload(client, world, "peers.csv", GOOD_AND_BAD.encode(), jobs)
    prepared = PeerImport.objects.get()

    response = client.post(
        reverse("initiatives:import_preview", args=[world.initiative.pk, prepared.pk])
    )

    assert response.status_code == 405


def test_two_hundred_rows_import_in_bounded_queries(world, django_assert_max_num_queries):
    lines = ["email,name,organisation,country,languages,position"]
    for number in range(200):
        lines.append(
            f"peer{number}@list.example.org,Peer {number},Agency {number % 10},Chad,fr,Clerk"
        )
    prepared = peer_import.prepare(
        initiative=world.initiative,
        filename="big.csv",
        content="\n".join(lines).encode(),
        by=world.facilitator,
    )

    with django_assert_max_num_queries(200 * 16):
        counts = peer_import.import_rows(peer_import=prepared, by=world.facilitator)

    assert counts == {"invited": 200, "updated": 0}
    assert PeerProfile.objects.filter(position="Clerk").count() == 200


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


def test_people_page_lists_home_organisations_with_invite_authoriser_link(client, world):
    lonely = OrganisationFactory(name="Tax Service", country="Chad")
    MembershipFactory(initiative=world.initiative, user=UserFactory(organisation=lonely))
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

    response = client.put(reverse("initiatives:import_upload", args=[world.initiative.pk]))

    assert response.status_code == 405
