"""Consents: given or withdrawn on "Your data", in effect at once where they apply."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from contact import services as contact_services
from evaluation import services as evaluation_services
from evaluation.models import ReportSchedule
from initiatives.models import Stage
from privacy import queries, services
from privacy.models import Consent, ConsentKind
from tests.contact.factories import library_document
from tests.evaluation.test_reports import report_of, send_now
from tests.factories import MembershipFactory, UserFactory
from tests.matching.factories import profile_world, published_run

from .factories import membership_of


@pytest.fixture
def reporting(world):
    """The world's initiative in stage 3, reporting monthly."""
    world.initiative.stage = Stage.LEARNING_OUTCOMES
    world.initiative.starts_on = datetime.date(2026, 1, 1)
    world.initiative.save(update_fields=["stage", "starts_on"])
    ReportSchedule.objects.create(
        initiative=world.initiative, cadence=ReportSchedule.Cadence.MONTHLY
    )
    return world


def give(person, kind):
    services.set_consent(person=person, kind=kind, given=True)


def test_defaults_share_nothing_beyond_the_contract(world):
    for kind in (
        ConsentKind.ANSWERS_TO_MATCHES,
        ConsentKind.REFLECTIONS_TO_AUTHORISER,
        ConsentKind.NAME_IN_LIBRARY,
    ):
        assert not queries.has_consent(world.peer, kind)
    assert queries.has_consent(world.peer, ConsentKind.OPTIONAL_EMAIL)


def test_withdrawal_is_kept_as_history(client, world):
    client.force_login(world.peer)
    kind = ConsentKind.NAME_IN_LIBRARY.value

    client.post(reverse("privacy:consent_give", args=[kind]))
    client.post(reverse("privacy:consent_withdraw", args=[kind]))

    history = list(Consent.objects.filter(person=world.peer).values_list("given", flat=True))
    assert history == [False, True]
    assert not queries.has_consent(world.peer, ConsentKind.NAME_IN_LIBRARY)


def test_unknown_kind_is_not_found(client, world):
    client.force_login(world.peer)

    response = client.post(reverse("privacy:consent_give", args=["sell_my_data"]))

    assert response.status_code == 404


def test_withdrawing_optional_email_unsubscribes(client, world):
    client.force_login(world.peer)

    client.post(reverse("privacy:consent_withdraw", args=[ConsentKind.OPTIONAL_EMAIL.value]))

    world.peer.refresh_from_db()
    assert not world.peer.wants_optional_email
    assert not queries.has_consent(world.peer, ConsentKind.OPTIONAL_EMAIL)


def test_consenting_takes_one_query_for_many(world, django_assert_num_queries):
    people = [UserFactory() for _ in range(5)]
    give(people[0], ConsentKind.NAME_IN_LIBRARY)
    give(people[1], ConsentKind.NAME_IN_LIBRARY)
    services.set_consent(person=people[1], kind=ConsentKind.NAME_IN_LIBRARY, given=False)

    with django_assert_num_queries(1):
        named = queries.consenting(people, ConsentKind.NAME_IN_LIBRARY)

    assert named == {people[0].pk}


def test_library_shows_a_peer_until_the_author_consents(client, world):
    library_document(world)
    client.force_login(world.peer_elsewhere)
    url = reverse("contact:library", args=[world.initiative.pk])

    before = client.get(url).content.decode()
    give(world.peer, ConsentKind.NAME_IN_LIBRARY)
    after = client.get(url).content.decode()

    assert "a peer" in before and world.peer.name not in before
    assert world.peer.name in after


def test_library_search_by_name_finds_only_consenting_authors(client, world):
    library_document(world)
    client.force_login(world.peer_elsewhere)
    url = reverse("contact:library", args=[world.initiative.pk])

    hidden = client.get(url, {"words": world.peer.name}).content.decode()
    give(world.peer, ConsentKind.NAME_IN_LIBRARY)
    found = client.get(url, {"words": world.peer.name}).content.decode()

    assert "Arrears checklist" not in hidden
    assert "Arrears checklist" in found


def test_match_page_hides_partner_answers_without_consent(client, world):
    profile_world(world)
    run = published_run(world.initiative)
    member = run.matches.get(members__membership__user=world.peer)
    partner = member.members.exclude(membership__user=world.peer).get().membership
    partner.profile.position = "Chief accountant"
    partner.profile.save()
    client.force_login(world.peer)
    url = reverse("matching:my_match", args=[world.initiative.pk])

    give(partner.user, ConsentKind.ANSWERS_TO_MATCHES)
    shown = client.get(url).content.decode()
    services.set_consent(person=partner.user, kind=ConsentKind.ANSWERS_TO_MATCHES, given=False)
    hidden = client.get(url).content.decode()

    reason = escape(member.reason_sentences[0])
    assert "Chief accountant" in shown and reason in shown
    assert "Chief accountant" not in hidden and reason not in hidden
    assert partner.user.email in hidden  # contact details are part of the contract


def test_report_drops_reflections_once_consent_is_withdrawn(
    reporting, client, django_capture_on_commit_callbacks
):
    give(reporting.peer, ConsentKind.REFLECTIONS_TO_AUTHORISER)
    evaluation_services.write_reflection(
        membership=membership_of(reporting, reporting.peer),
        by=reporting.peer,
        text="The accrual pilot works",
        share_with_authoriser=True,
    )
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)
    page_url = reverse("evaluation:report", args=[report.token])
    pdf_url = reverse("evaluation:report_pdf", args=[report.token])

    shown = client.get(page_url).content.decode()
    services.set_consent(
        person=reporting.peer, kind=ConsentKind.REFLECTIONS_TO_AUTHORISER, given=False
    )
    hidden = client.get(page_url).content.decode()
    pdf = PdfReader(io.BytesIO(client.get(pdf_url).content))
    pdf_text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())

    assert "The accrual pilot works" in shown
    assert "The accrual pilot works" not in hidden
    assert "accrual pilot" not in pdf_text
    assert "Ministry of Finance" in pdf_text  # the figures stay


def test_reflections_without_consent_never_enter_a_report(
    reporting, django_capture_on_commit_callbacks
):
    evaluation_services.write_reflection(
        membership=membership_of(reporting, reporting.peer),
        by=reporting.peer,
        text="The accrual pilot works",
        share_with_authoriser=True,
    )

    send_now(reporting, django_capture_on_commit_callbacks)

    assert "accrual pilot" not in str(report_of(reporting, reporting.home).content)


@pytest.mark.parametrize("consents", [False, True])
def test_optional_email_follows_the_consent(world, consents):
    person = MembershipFactory(initiative=world.initiative).user
    services.set_consent(person=person, kind=ConsentKind.OPTIONAL_EMAIL, given=consents)
    person.refresh_from_db()

    assert person.wants_optional_email is consents
    assert contact_services.optional_email_recipients([membership_of(world, person)]) == (
        [membership_of(world, person)] if consents else []
    )
