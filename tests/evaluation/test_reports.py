"""Progress reports to authorisers: claimed once, built once, sent once, never leaking."""

import datetime
import io
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import queries, services, tasks
from evaluation.models import Report, ReportReply, ReportSchedule
from evaluation.report_content import build_content, render_pdf
from initiatives import road_map
from initiatives.models import Role, Stage
from peerlearn import outbox
from peerlearn.models import OutboxEmail
from privacy import services as privacy_services
from privacy.models import ConsentKind
from tests.factories import MembershipFactory
from tests.peerlearn.test_worker import Inbox, serve

from .factories import membership_of, objective

TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def reporting(world):
    """The world's initiative in stage 3, reporting monthly since January."""
    initiative = world.initiative
    initiative.stage = Stage.LEARNING_OUTCOMES
    initiative.starts_on = datetime.date(2026, 1, 1)
    initiative.save(update_fields=["stage", "starts_on"])
    ReportSchedule.objects.create(initiative=initiative, cadence=ReportSchedule.Cadence.MONTHLY)
    return world


def sweep(capture, today=TODAY):
    with capture(execute=True):
        return services.create_due_reports(today=today)


def report_of(world, organisation):
    return Report.objects.get(initiative=world.initiative, organisation=organisation)


def send_now(world, capture, organisation=None):
    with capture(execute=True):
        return services.send_report_now(
            initiative=world.initiative,
            organisation=organisation or world.home,
            by=world.facilitator,
        )


def pdf_text(report):
    from django.core.files.storage import default_storage

    with default_storage.open(report.pdf, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    # Table cells wrap their text over lines.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


# --- exactly once ---


def test_sweep_run_twice_creates_each_report_once(reporting, django_capture_on_commit_callbacks):
    first = sweep(django_capture_on_commit_callbacks)
    second = sweep(django_capture_on_commit_callbacks)

    assert (first, second) == (2, 0)
    reports = Report.objects.filter(initiative=reporting.initiative)
    assert sorted(r.organisation.name for r in reports) == ["Ministry of Finance", "State Treasury"]
    assert {(r.period_start, r.period_end, r.status) for r in reports} == {
        (datetime.date(2026, 5, 1), datetime.date(2026, 6, 1), Report.Status.SENT)
    }
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == sorted(
        [reporting.authoriser.email, reporting.other_authoriser.email]
    )


def test_build_task_run_twice_sends_nothing_twice(reporting, django_capture_on_commit_callbacks):
    sweep(django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)

    again = tasks.build_report(report_id=report.pk)
    # A worker that died after sending: the row is claimed again and built again.
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = tasks.build_report(report_id=report.pk)

    assert (again, rebuilt) == (False, True)
    assert OutboxEmail.objects.filter(to=reporting.authoriser.email).count() == 1


def test_rebuilt_report_keeps_one_pdf(reporting, django_capture_on_commit_callbacks):
    sweep(django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    first = report.pdf

    Report.objects.filter(pk=report.pk).update(status=Report.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.build_report(report_id=report.pk)

    report.refresh_from_db()
    assert report.pdf != first
    assert default_storage.exists(report.pdf)
    assert not default_storage.exists(first)


def test_sweep_with_cadence_off_creates_nothing(reporting, django_capture_on_commit_callbacks):
    services.set_report_cadence(
        initiative=reporting.initiative, by=reporting.facilitator, cadence="off"
    )

    assert sweep(django_capture_on_commit_callbacks) == 0


def test_sweep_at_each_stage_change_reports_the_stage_just_left(
    reporting, django_capture_on_commit_callbacks
):
    from initiatives.models import StageChange

    ReportSchedule.objects.filter(initiative=reporting.initiative).update(cadence="stage")
    change = StageChange.objects.create(
        initiative=reporting.initiative, from_stage=2, to_stage=3, changed_by=reporting.facilitator
    )
    changed_on = timezone.localtime(change.changed_at).date()

    created = sweep(django_capture_on_commit_callbacks, today=changed_on)

    assert created == 2
    assert set(Report.objects.values_list("period_start", "period_end")) == {
        (datetime.date(2026, 1, 1), changed_on)
    }


def test_failure_in_one_report_does_not_stop_the_others(
    reporting, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(scope):
        if scope.organisation == reporting.elsewhere:
            raise RuntimeError("the treasury's figures are broken")
        return []

    sections = [*road_map._report_sections, road_map.ReportSection("broken", "Broken", broken, 1)]
    monkeypatch.setattr(road_map, "_report_sections", sections)

    sweep(django_capture_on_commit_callbacks)

    failed = report_of(reporting, reporting.elsewhere)
    assert report_of(reporting, reporting.home).status == Report.Status.SENT
    assert failed.status == Report.Status.FAILED
    assert "the treasury's figures are broken" in failed.error
    assert not OutboxEmail.objects.filter(to=reporting.other_authoriser.email).exists()


def test_failed_report_is_retried_from_the_facilitators_page(
    reporting, client, django_capture_on_commit_callbacks
):
    sweep(django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.elsewhere)
    report.mark_failed("the broker went away")
    client.force_login(reporting.facilitator)
    page = client.get(reverse("evaluation:reports", args=[reporting.initiative.pk]))
    OutboxEmail.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluation:report_retry", args=[reporting.initiative.pk, report.pk])
        )

    assert "the broker went away" in page.content.decode()
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SENT
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == [
        reporting.other_authoriser.email
    ]


# --- what the report holds ---


def test_pdf_holds_the_organisations_figures(reporting, django_capture_on_commit_callbacks):
    objective(reporting, description="Learn accrual accounting")
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)

    text = pdf_text(report)

    assert "Ministry of Finance" in text
    assert str(reporting.peer) in text
    assert "Learn accrual accounting" in text
    for figure in report.content["indicators"]:
        assert figure["label"][:20] in text
    assert str(reporting.peer_elsewhere) not in text


def test_report_never_shows_a_reflection_not_shared_with_the_authoriser(
    reporting, client, django_capture_on_commit_callbacks
):
    membership = membership_of(reporting, reporting.peer)
    privacy_services.set_consent(
        person=reporting.peer, kind=ConsentKind.REFLECTIONS_TO_AUTHORISER, given=True
    )
    services.write_reflection(
        membership=membership, by=reporting.peer, text="Private: my boss is wrong", shared=True
    )
    services.write_reflection(
        membership=membership,
        by=reporting.peer,
        text="Shared: the accrual pilot works",
        share_with_authoriser=True,
    )
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)

    page = client.get(reverse("evaluation:report", args=[report.token])).content.decode()

    for text in (page, pdf_text(report), str(report.content), mail.outbox[0].body):
        assert "my boss is wrong" not in text
    assert "the accrual pilot works" in page
    assert "the accrual pilot works" in pdf_text(report)


def test_report_compares_with_the_initiative_without_naming_other_peers(
    reporting, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)

    content = str(report.content)

    assert str(reporting.peer) in content
    assert str(reporting.peer_elsewhere) not in content
    assert reporting.peer_elsewhere.email not in content
    assert "State Treasury" not in content


def test_report_content_stays_as_built(reporting, client, django_capture_on_commit_callbacks):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    objective(reporting, description="Added after the report")
    client.force_login(reporting.authoriser)

    page = client.get(reverse("evaluation:report", args=[report.token])).content.decode()

    assert "Added after the report" not in page


def test_facilitators_note_opens_the_next_report_only(
    reporting, client, django_capture_on_commit_callbacks
):
    client.force_login(reporting.facilitator)
    client.post(
        reverse("evaluation:report_note", args=[reporting.initiative.pk, reporting.home.pk]),
        {"text": "Thank you for freeing Ana on Fridays."},
    )
    preview = client.get(
        reverse("evaluation:report_preview", args=[reporting.initiative.pk, reporting.home.pk])
    )

    send_now(reporting, django_capture_on_commit_callbacks)

    assert "Thank you for freeing Ana on Fridays." in preview.content.decode()
    assert report_of(reporting, reporting.home).content["note"] == (
        "Thank you for freeing Ana on Fridays."
    )
    assert queries.open_notes(reporting.initiative) == {}


def test_preview_sends_nothing(reporting, client):
    client.force_login(reporting.facilitator)

    response = client.get(
        reverse("evaluation:report_preview", args=[reporting.initiative.pk, reporting.home.pk])
    )

    assert response.status_code == 200
    assert "Ministry of Finance" in response.content.decode()
    assert Report.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


def test_build_content_queries_do_not_grow_with_peers(reporting):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            build_content(
                initiative=reporting.initiative,
                organisation=reporting.home,
                start=TODAY.replace(day=1),
                end=TODAY,
            )
        return len(captured)

    one = count_queries()
    for _ in range(12):
        peer = MembershipFactory(initiative=reporting.initiative, home_organisation=reporting.home)
        objective(reporting, user=peer.user)
    many = count_queries()

    assert many == one


def test_authorisers_list_queries_do_not_grow_with_reports(
    reporting, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    client.force_login(reporting.authoriser)
    with django_assert_max_num_queries(12):
        one = client.get(reverse("evaluation:my_reports"))
    for month in range(1, 6):
        sweep(django_capture_on_commit_callbacks, today=datetime.date(2026, month, 15))

    with django_assert_max_num_queries(12):
        many = client.get(reverse("evaluation:my_reports"))

    assert one.status_code == many.status_code == 200
    assert many.content.decode().count("/reports/") > one.content.decode().count("/reports/")


def test_facilitators_list_queries_do_not_grow_with_reports(
    reporting, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(reporting.facilitator)
    send_now(reporting, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20):
        client.get(reverse("evaluation:reports", args=[reporting.initiative.pk]))
    for month in range(1, 6):
        sweep(django_capture_on_commit_callbacks, today=datetime.date(2026, month, 15))

    with django_assert_max_num_queries(20):
        response = client.get(reverse("evaluation:reports", args=[reporting.initiative.pk]))

    assert response.status_code == 200


# --- who may read it ---


def test_other_organisations_authoriser_gets_404(
    reporting, client, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.other_authoriser)

    pages = [
        client.get(reverse("evaluation:report", args=[report.token])),
        client.get(reverse("evaluation:report_pdf", args=[report.token])),
        client.post(reverse("evaluation:report_acknowledge", args=[report.token])),
    ]

    assert [page.status_code for page in pages] == [404, 404, 404]


def test_withdrawn_authoriser_can_no_longer_read_the_report(
    reporting, client, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    reporting.initiative.memberships.get(user=reporting.authoriser).withdraw()
    client.force_login(reporting.authoriser)

    response = client.get(reverse("evaluation:report", args=[report.token]))

    assert response.status_code == 404


def test_authoriser_reads_the_pdf(reporting, client, django_capture_on_commit_callbacks):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)

    response = client.get(reverse("evaluation:report_pdf", args=[report.token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- acknowledgements and replies ---


def test_authoriser_acknowledges_and_replies_and_the_reply_opens_the_next_report(
    reporting, client, django_capture_on_commit_callbacks
):
    sweep(django_capture_on_commit_callbacks, today=datetime.date(2026, 5, 10))
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)

    client.post(reverse("evaluation:report_acknowledge", args=[report.token]))
    response = client.post(
        reverse("evaluation:report_reply", args=[report.token]),
        {"kind": "commitment", "text": "Report-back scheduled", "due_on": "2026-07-01"},
    )
    sweep(django_capture_on_commit_callbacks, today=datetime.date(2026, 6, 10))

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_by == reporting.authoriser
    assert ReportReply.objects.get().kind == "commitment"
    following = Report.objects.get(
        organisation=reporting.home, period_start=datetime.date(2026, 5, 1)
    )
    assert [reply["text"] for reply in following.content["replies"]] == ["Report-back scheduled"]
    client.force_login(reporting.facilitator)
    page = client.get(reverse("evaluation:reports", args=[reporting.initiative.pk]))
    assert "Report-back scheduled" in page.content.decode()


def test_reply_without_text_keeps_what_was_typed(
    reporting, client, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)

    response = client.post(
        reverse("evaluation:report_reply", args=[report.token]),
        {"kind": "comment", "text": "", "due_on": "2026-07-01"},
    )

    assert response.status_code == 200
    assert "Write your reply." in response.content.decode()
    assert "Only a commitment has a date." in response.content.decode()
    assert ReportReply.objects.count() == 0


def test_facilitator_cannot_acknowledge_for_the_authoriser(
    reporting, client, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.facilitator)

    response = client.post(reverse("evaluation:report_acknowledge", args=[report.token]))

    assert response.status_code == 403


def test_send_now_twice_on_one_day_sends_one_report(
    reporting, client, django_capture_on_commit_callbacks
):
    client.force_login(reporting.facilitator)
    url = reverse("evaluation:report_send_now", args=[reporting.initiative.pk, reporting.home.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)

    assert Report.objects.count() == 1
    assert OutboxEmail.objects.count() == 1


# --- the email ---


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = serve(inbox)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = inbox.port
    yield inbox
    controller.stop()


def test_email_reaches_smtp_with_the_pdf_attached(
    reporting, smtp, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)

    outbox.deliver_due()

    [envelope] = smtp.messages
    message = message_from_bytes(envelope.content)
    assert envelope.rcpt_tos == [reporting.authoriser.email]
    assert "Ministry of Finance" in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    body = parts["text/plain"].get_payload(decode=True).decode()
    assert reverse("evaluation:report", args=[report.token]) in body
    attached = parts["application/pdf"].get_payload(decode=True)
    reader = PdfReader(io.BytesIO(attached))
    assert "Ministry of Finance" in " ".join(page.extract_text() for page in reader.pages)


def test_email_is_written_in_the_initiatives_language(
    reporting, django_capture_on_commit_callbacks
):
    reporting.initiative.languages = ["fr"]
    reporting.initiative.save(update_fields=["languages"])

    send_now(reporting, django_capture_on_commit_callbacks)

    assert report_of(reporting, reporting.home).language == "fr"


def test_render_pdf_refuses_to_fetch_anything(reporting):
    content = build_content(
        initiative=reporting.initiative,
        organisation=reporting.home,
        start=TODAY.replace(day=1),
        end=TODAY,
    )
    content["note"] = '<img src="http://example.org/x.png">'

    pdf = render_pdf(content)

    assert pdf.startswith(b"%PDF")


def test_an_authoriser_of_two_organisations_gets_one_email_each(
    reporting, django_capture_on_commit_callbacks
):
    MembershipFactory(
        initiative=reporting.initiative,
        role=Role.AUTHORISER,
        home_organisation=reporting.home,
        authorises=[reporting.home, reporting.elsewhere],
    )

    sweep(django_capture_on_commit_callbacks)

    assert OutboxEmail.objects.count() == 4


def test_sweep_takes_up_a_report_whose_worker_died(reporting, django_capture_on_commit_callbacks):
    sweep(django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.BUILDING, claimed_at=long_ago, content={}
    )

    sweep(django_capture_on_commit_callbacks)

    report.refresh_from_db()
    assert report.status == Report.Status.SENT
    assert report.content["organisation"] == "Ministry of Finance (Moldova)"
    assert OutboxEmail.objects.filter(to=reporting.authoriser.email).count() == 1


def test_report_being_built_by_a_live_worker_is_left_alone(
    reporting, django_capture_on_commit_callbacks
):
    sweep(django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.BUILDING, claimed_at=timezone.now()
    )

    built = tasks.build_report(report_id=report.pk)

    assert built is False
    report.refresh_from_db()
    assert report.status == Report.Status.BUILDING


def test_facilitator_sees_an_organisation_whose_reports_reach_nobody(reporting, client):
    lonely = MembershipFactory(initiative=reporting.initiative).home_organisation
    client.force_login(reporting.facilitator)

    response = client.get(reverse("evaluation:reports", args=[reporting.initiative.pk]))

    rows = [row for row in response.content.decode().split("<tr>") if "No authoriser yet" in row]
    assert len(rows) == 1
    assert lonely.name in rows[0]


def test_report_is_written_in_its_authorisers_language(
    reporting, django_capture_on_commit_callbacks
):
    reporting.authoriser.language = "ru"
    reporting.authoriser.save()
    reporting.other_authoriser.language = "pt"
    reporting.other_authoriser.save()

    sweep(django_capture_on_commit_callbacks)

    assert report_of(reporting, reporting.home).language == "ru"
    to_home = OutboxEmail.objects.get(to=reporting.authoriser.email)
    elsewhere = OutboxEmail.objects.get(to=reporting.other_authoriser.email)
    assert to_home.subject.startswith("Отчёт о ходе работы")
    assert elsewhere.subject.startswith("Relatório de progresso")


# --- the page's body, rendered earlier for the same content ---
# A report's page may reuse its body rendered earlier, but shows at once what its forms
# change and a consent withdrawn since; its queries do not grow with the report's rows.


@pytest.fixture
def bodies_kept(settings):
    settings.REPORT_CACHE_SECONDS = 3600
    yield
    cache.clear()


def page_of(client, report):
    return client.get(reverse("evaluation:report", args=[report.token])).text


def test_acknowledging_and_replying_show_at_once(
    reporting, client, bodies_kept, django_capture_on_commit_callbacks
):
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)
    before = page_of(client, report)

    client.post(reverse("evaluation:report_acknowledge", args=[report.token]))
    client.post(
        reverse("evaluation:report_reply", args=[report.token]),
        {"kind": "comment", "text": "Thank you, noted", "due_on": ""},
    )
    after = page_of(client, report)

    assert "I have read this report" in before
    assert "Acknowledged by" in after
    assert "Thank you, noted" in after


def test_a_consent_withdrawn_since_shows_at_once(
    reporting, client, bodies_kept, django_capture_on_commit_callbacks
):
    privacy_services.set_consent(
        person=reporting.peer, kind=ConsentKind.REFLECTIONS_TO_AUTHORISER, given=True
    )
    services.write_reflection(
        membership=membership_of(reporting, reporting.peer),
        by=reporting.peer,
        text="The accrual pilot works",
        share_with_authoriser=True,
    )
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)
    shared = page_of(client, report)

    privacy_services.set_consent(
        person=reporting.peer, kind=ConsentKind.REFLECTIONS_TO_AUTHORISER, given=False
    )
    withdrawn = page_of(client, report)

    assert "The accrual pilot works" in shared
    assert "The accrual pilot works" not in withdrawn


@pytest.mark.parametrize("peers", [1, 12])
def test_report_page_queries_do_not_grow_with_its_rows(
    reporting, client, peers, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(peers):
        peer = MembershipFactory(initiative=reporting.initiative, home_organisation=reporting.home)
        objective(reporting, user=peer.user)
    send_now(reporting, django_capture_on_commit_callbacks)
    report = report_of(reporting, reporting.home)
    client.force_login(reporting.authoriser)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluation:report", args=[report.token]))

    assert response.status_code == 200
    assert len(report.content["peers"]) == peers + 1
