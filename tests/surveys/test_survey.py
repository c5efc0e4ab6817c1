import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from initiatives.models import Stage
from initiatives.road_map import next_steps, open_items
from matching.models import PeerProfile
from peerlearn.models import OutboxEmail
from surveys import queries, services
from surveys.models import Question, Response
from surveys.tasks import send_survey_reminders

from ..factories import MembershipFactory, OrganisationFactory
from .factories import open_survey_for

Field = Question.ProfileField


@pytest.fixture
def survey(world):
    return open_survey_for(world.initiative)


def question(survey, profile_field):
    return survey.questions.get(profile_field=profile_field)


def key(survey, profile_field):
    return f"q{question(survey, profile_field).pk}"


def complete_answers(survey):
    return {
        key(survey, Field.CHALLENGES): "Arrears pile up because commitments are not recorded.",
        key(survey, Field.CHALLENGE_TAGS): ["pfm", "audit"],
        key(survey, Field.POSITION): "Head of budget execution",
        key(survey, Field.YEARS_OF_SERVICE): "11",
        key(survey, Field.LANGUAGES): ["en", "ro"],
        key(survey, Field.TIME_ZONE): "UTC+2",
    }


def peer_membership(world):
    return world.initiative.memberships.get(user=world.peer)


def survey_url(world, name="survey"):
    return reverse(f"surveys:{name}", args=[world.initiative.pk])


# The default survey


def test_survey_is_created_from_the_default_questions_on_first_visit(client, world):
    client.force_login(world.facilitator)

    response = client.get(survey_url(world, "builder"))

    survey = world.initiative.surveys.get()
    assert response.status_code == 200
    assert survey.questions.count() == 11
    assert survey.questions.first().profile_field == Field.CHALLENGES
    assert survey.questions.first().required is True
    assert set(survey.questions.values_list("profile_field", flat=True)) == set(Field.values)


def test_survey_for_twice_keeps_one_survey(world):
    first = services.survey_for(initiative=world.initiative)

    second = services.survey_for(initiative=world.initiative)

    assert (first.pk, second.questions.count()) == (second.pk, 11)


# The builder


def test_builder_adds_question_at_the_end(client, world, survey):
    client.force_login(world.facilitator)

    response = client.post(
        survey_url(world, "add_question"),
        {"text": "Which tool helps you most?", "kind": "single_choice", "choices": "Excel\nERP\n"},
    )

    assert response.status_code == 302
    added = survey.questions.last()
    assert (added.text, added.position, added.choice_list) == (
        "Which tool helps you most?",
        12,
        ["Excel", "ERP"],
    )


def test_builder_refuses_a_choice_question_without_choices(client, world, survey):
    client.force_login(world.facilitator)

    response = client.post(
        survey_url(world, "add_question"), {"text": "Pick one", "kind": "single_choice"}
    )

    assert response.status_code == 200
    assert "at least two choices" in response.text
    assert 'value="Pick one"' in response.text
    assert survey.questions.count() == 11


def test_builder_edits_a_question(client, world, survey):
    first = survey.questions.first()
    client.force_login(world.facilitator)

    client.post(
        reverse("surveys:edit_question", args=[world.initiative.pk, first.pk]),
        {
            "text": "Your biggest problem?",
            "kind": "long_text",
            "required": "on",
            "profile_field": "challenges",
        },
    )

    first.refresh_from_db()
    assert (first.text, first.required) == ("Your biggest problem?", True)


def test_builder_moves_questions_up_and_down(client, world, survey):
    first, second, third = survey.questions.all()[:3]
    client.force_login(world.facilitator)

    client.post(reverse("surveys:move_question_down", args=[world.initiative.pk, first.pk]))
    client.post(reverse("surveys:move_question_up", args=[world.initiative.pk, third.pk]))

    assert list(survey.questions.values_list("pk", flat=True)[:3]) == [
        second.pk,
        third.pk,
        first.pk,
    ]


def test_moving_the_first_question_up_changes_nothing(client, world, survey):
    before = list(survey.questions.values_list("pk", flat=True))
    client.force_login(world.facilitator)

    client.post(reverse("surveys:move_question_up", args=[world.initiative.pk, before[0]]))

    assert list(survey.questions.values_list("pk", flat=True)) == before


def test_builder_deletes_a_question(client, world, survey):
    last = survey.questions.last()
    client.force_login(world.facilitator)

    client.post(reverse("surveys:delete_question", args=[world.initiative.pk, last.pk]))

    assert survey.questions.filter(pk=last.pk).exists() is False


def test_builder_delete_asks_to_confirm_and_deletes_nothing_yet(client, world, survey):
    asked = question(survey, Field.POSITION)
    services.save_draft(
        survey=survey,
        membership=peer_membership(world),
        answers={str(asked.pk): "Analyst"},
    )
    client.force_login(world.facilitator)

    response = client.get(reverse("surveys:delete_question", args=[world.initiative.pk, asked.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert asked.text in page
    assert "1 peer has answered it; that answer will no longer be shown or exported." in page
    assert "Deleting cannot be undone." in page
    assert survey.questions.filter(pk=asked.pk).exists()


def test_builder_links_to_the_delete_confirmation(client, world, survey):
    first = survey.questions.first()
    client.force_login(world.facilitator)

    page = client.get(survey_url(world, "builder")).content.decode()

    confirm = reverse("surveys:delete_question", args=[world.initiative.pk, first.pk])
    assert f'href="{confirm}"' in page


def test_builder_actions_refuse_get(client, world, survey):
    first = survey.questions.first()
    client.force_login(world.facilitator)

    statuses = [
        client.get(reverse(f"surveys:{name}", args=[world.initiative.pk, first.pk])).status_code
        for name in ("move_question_up", "move_question_down")
    ]
    put = client.put(reverse("surveys:delete_question", args=[world.initiative.pk, first.pk]))

    assert statuses == [405, 405]
    assert put.status_code == 405


def test_question_of_another_survey_is_not_found(client, world, survey):
    other = MembershipFactory()
    foreign = services.survey_for(initiative=other.initiative).questions.first()
    client.force_login(world.facilitator)

    response = client.post(
        reverse("surveys:delete_question", args=[world.initiative.pk, foreign.pk])
    )

    assert response.status_code == 404


def test_settings_save_dates_and_reminders(client, world, survey):
    client.force_login(world.facilitator)

    response = client.post(
        survey_url(world, "settings"),
        {
            "title": "Before we meet",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-01-31T18:00",
            "max_reminders": "2",
            "reminder_gap_days": "5",
        },
    )

    survey.refresh_from_db()
    assert response.status_code == 302
    assert (survey.title, survey.max_reminders, survey.reminder_gap_days) == (
        "Before we meet",
        2,
        5,
    )
    assert survey.closes_at.day == 31


def test_settings_refuse_closing_before_opening(client, world, survey):
    client.force_login(world.facilitator)

    response = client.post(
        survey_url(world, "settings"),
        {
            "title": "Before we meet",
            "opens_at": "2027-01-10T09:00",
            "closes_at": "2027-01-01T09:00",
            "max_reminders": "2",
            "reminder_gap_days": "5",
        },
    )

    assert response.status_code == 200
    assert "must close after it opens" in response.text


def test_preview_shows_the_peer_form_read_only(client, world, survey):
    client.force_login(world.facilitator)

    response = client.get(survey_url(world, "preview"))

    form = response.context["form"]
    assert all(field.disabled for field in form.fields.values())
    assert question(survey, Field.CHALLENGES).text in response.text


# The peer answers


def test_draft_saves_without_required_answers(client, world, survey):
    client.force_login(world.peer)

    response = client.post(
        survey_url(world, "save_draft"), {key(survey, Field.POSITION): "Analyst"}
    )

    saved = Response.objects.get(membership=peer_membership(world))
    assert response.status_code == 302
    assert (saved.answers, saved.submitted_at) == (
        {str(question(survey, Field.POSITION).pk): "Analyst"},
        None,
    )
    assert PeerProfile.objects.filter(membership=peer_membership(world)).exists() is False


def test_saved_draft_is_shown_when_the_peer_comes_back(client, world, survey):
    client.force_login(world.peer)
    client.post(survey_url(world, "save_draft"), {key(survey, Field.POSITION): "Analyst"})

    response = client.get(survey_url(world))

    assert 'value="Analyst"' in response.text
    assert "Draft saved" in response.text


def test_submit_with_a_missing_required_answer_keeps_every_answer(client, world, survey):
    answers = complete_answers(survey)
    del answers[key(survey, Field.CHALLENGES)]
    client.force_login(world.peer)

    response = client.post(survey_url(world, "submit"), answers)

    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {key(survey, Field.CHALLENGES)}
    assert 'value="Head of budget execution"' in response.text
    assert response.context["form"][key(survey, Field.CHALLENGE_TAGS)].value() == ["pfm", "audit"]
    assert Response.objects.filter(submitted_at__isnull=False).count() == 0


def test_submit_fills_the_profile(client, world, survey):
    client.force_login(world.peer)

    response = client.post(survey_url(world, "submit"), complete_answers(survey))

    profile = PeerProfile.objects.get(membership=peer_membership(world))
    assert response.status_code == 302
    assert profile.challenges == "Arrears pile up because commitments are not recorded."
    assert (profile.position, profile.years_of_service, profile.languages) == (
        "Head of budget execution",
        11,
        ["en", "ro"],
    )
    assert (profile.challenge_tags, profile.time_zone) == (["pfm", "audit"], "UTC+2")
    assert profile.survey_completed_at is not None
    assert "You submitted your answers" in client.get(survey_url(world)).text


def test_submit_refuses_a_bad_number(client, world, survey):
    answers = {**complete_answers(survey), key(survey, Field.YEARS_OF_SERVICE): "eleven"}
    client.force_login(world.peer)

    response = client.post(survey_url(world, "submit"), answers)

    assert response.status_code == 400
    assert 'value="eleven"' in response.text


def test_survey_is_prefilled_from_the_imported_profile(client, world, survey):
    PeerProfile.objects.create(
        membership=peer_membership(world), position="Treasury director", languages=["ru"]
    )
    client.force_login(world.peer)

    response = client.get(survey_url(world))

    form = response.context["form"]
    assert form.initial[key(survey, Field.POSITION)] == "Treasury director"
    assert form.initial[key(survey, Field.LANGUAGES)] == ["ru"]


def test_closed_survey_is_read_only(client, world, survey):
    survey.closes_at = timezone.now() - timedelta(hours=1)
    survey.save()
    client.force_login(world.peer)

    page = client.get(survey_url(world))
    posted = client.post(survey_url(world, "submit"), complete_answers(survey))

    assert all(field.disabled for field in page.context["form"].fields.values())
    assert "The survey is closed" in page.text
    assert posted.status_code == 302
    assert Response.objects.count() == 0


def test_survey_not_open_yet_says_when_it_opens(client, world, survey):
    survey.opens_at = timezone.now() + timedelta(days=3)
    survey.save()
    client.force_login(world.peer)

    page = client.get(survey_url(world))
    posted = client.post(survey_url(world, "save_draft"), {key(survey, Field.POSITION): "X"})

    assert "The survey opens on" in page.text
    assert posted.status_code == 302
    assert Response.objects.count() == 0


def test_survey_pages_refuse_the_wrong_method(client, world, survey):
    client.force_login(world.peer)

    statuses = [
        client.post(survey_url(world)).status_code,
        client.get(survey_url(world, "save_draft")).status_code,
        client.get(survey_url(world, "submit")).status_code,
    ]

    assert statuses == [405, 405, 405]


def test_next_step_asks_peer_to_complete_the_open_survey(client, world, survey):
    membership = peer_membership(world)
    before = [step.text for step in next_steps(membership)]
    client.force_login(world.peer)
    client.post(survey_url(world, "submit"), complete_answers(survey))
    membership.refresh_from_db()

    after = [step.text for step in next_steps(membership)]

    assert before == ["Complete the pre-event survey"]
    assert after == []


def test_next_step_is_hidden_while_the_survey_is_closed(world, survey):
    survey.closes_at = timezone.now() - timedelta(days=1)
    survey.save()

    steps = next_steps(peer_membership(world))

    assert steps == []


# Reminders


def open_survey_days_ago(survey, days, max_reminders=2, gap=3):
    survey.opens_at = timezone.now() - timedelta(days=days)
    survey.max_reminders = max_reminders
    survey.reminder_gap_days = gap
    survey.save()


def reminder_keys():
    return sorted(OutboxEmail.objects.filter(kind="survey_reminder").values_list("key", flat=True))


def test_reminder_sweep_twice_queues_each_reminder_once(world, survey):
    open_survey_days_ago(survey, 4)

    send_survey_reminders.delay()
    send_survey_reminders.delay()

    peers = sorted(world.initiative.memberships.peers().values_list("pk", flat=True))
    assert reminder_keys() == sorted(f"survey-reminder:{survey.pk}:{pk}:1" for pk in peers)


def test_reminders_wait_for_the_gap_and_stop_at_the_maximum(world, survey):
    open_survey_days_ago(survey, 4)
    membership = peer_membership(world)
    services.send_survey_reminders()

    services.send_survey_reminders()
    too_soon = OutboxEmail.objects.filter(key__endswith=f":{membership.pk}:2").count()
    Response.objects.update(last_reminded_at=timezone.now() - timedelta(days=3))
    services.send_survey_reminders()
    services.send_survey_reminders()
    Response.objects.update(last_reminded_at=timezone.now() - timedelta(days=30))
    services.send_survey_reminders()

    assert too_soon == 0
    keys = [k for k in reminder_keys() if k.split(":")[2] == str(membership.pk)]
    assert keys == [f"survey-reminder:{survey.pk}:{membership.pk}:{n}" for n in (1, 2)]


def test_no_reminder_before_the_first_gap_after_opening(world, survey):
    open_survey_days_ago(survey, 1)

    queued = services.send_survey_reminders()

    assert (queued, reminder_keys()) == (0, [])


def test_no_reminder_after_submission_or_closing(client, world, survey):
    open_survey_days_ago(survey, 10)
    client.force_login(world.peer)
    client.post(survey_url(world, "submit"), complete_answers(survey))
    services.send_survey_reminders()
    submitted = OutboxEmail.objects.filter(to=world.peer.email, kind="survey_reminder").count()
    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    Response.objects.update(last_reminded_at=timezone.now() - timedelta(days=30))

    after_close = services.send_survey_reminders()

    assert (submitted, after_close) == (0, 0)


def test_reminder_email_links_to_the_survey(world, survey):
    open_survey_days_ago(survey, 4)

    services.send_survey_reminders()

    email = OutboxEmail.objects.get(kind="survey_reminder", to=world.peer.email)
    assert survey_url(world) in email.body
    assert world.initiative.title in email.subject


# Following the answers


def submit_for(membership, survey, answers=None):
    services.submit_survey(
        survey=survey,
        membership=membership,
        answers=answers or {str(question(survey, Field.CHALLENGES).pk): "Payroll arrears"},
        questions=list(survey.questions.all()),
    )


def test_completion_counts_overall_and_per_organisation(client, world, survey):
    MembershipFactory(initiative=world.initiative, home_organisation=world.home)
    submit_for(peer_membership(world), survey)
    client.force_login(world.facilitator)

    response = client.get(survey_url(world, "results"))

    overall = response.context["overall"]
    assert (overall["peers"], overall["submitted"], overall["percent"]) == (3, 1, 33)
    assert [
        (entry["name"], entry["peers"], entry["submitted"], entry["percent"])
        for entry in response.context["organisations"]
    ] == [("Ministry of Finance (Moldova)", 2, 1, 50), ("State Treasury (Ukraine)", 1, 0, 0)]


def test_facilitator_reads_one_peers_answers(client, world, survey):
    submit_for(peer_membership(world), survey)
    client.force_login(world.facilitator)

    response = client.get(
        reverse("surveys:peer_answers", args=[world.initiative.pk, peer_membership(world).pk])
    )

    assert response.status_code == 200
    assert "Payroll arrears" in response.text


def test_csv_export_has_one_row_per_peer_and_one_column_per_question(client, world, survey):
    answers = {
        str(question(survey, Field.CHALLENGES).pk): "Payroll arrears",
        str(question(survey, Field.LANGUAGES).pk): ["en", "fr"],
        str(question(survey, Field.CHALLENGE_TAGS).pk): ["pfm"],
    }
    submit_for(peer_membership(world), survey, answers)
    client.force_login(world.facilitator)

    response = client.get(survey_url(world, "answers_csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Name", "Email", "Home organisation", "Status", "Submitted at"]
    assert rows[0][5:] == list(survey.questions.values_list("text", flat=True))
    assert len(rows) == 3
    peer_row = next(row for row in rows if row[1] == world.peer.email)
    assert peer_row[3] == "Submitted"
    assert peer_row[5:8] == ["Payroll arrears", "Public financial management", ""]
    assert peer_row[5 + 6] == "English; French"


def test_xlsx_export_holds_the_same_table(client, world, survey):
    submit_for(peer_membership(world), survey)
    client.force_login(world.facilitator)

    response = client.get(survey_url(world, "answers_xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = queries.export_table(survey=survey)
    assert rows[0] == header
    assert [[cell or "" for cell in row] for row in rows[1:]] == body


def add_peers(world, survey, count):
    for number in range(count):
        organisation = OrganisationFactory()
        membership = MembershipFactory(initiative=world.initiative, home_organisation=organisation)
        if number % 2:
            submit_for(membership, survey)


@pytest.mark.parametrize("page", ["results", "answers_csv", "answers_xlsx"])
def test_answer_pages_queries_do_not_grow_with_peers(
    client, world, survey, django_assert_max_num_queries, page
):
    client.force_login(world.facilitator)
    with django_assert_max_num_queries(20) as few:
        client.get(survey_url(world, page))

    add_peers(world, survey, 12)
    with django_assert_max_num_queries(20) as many:
        response = client.get(survey_url(world, page))

    assert response.status_code == 200
    assert len(many) == len(few)


def test_every_question_type_renders_and_keeps_its_answer(client, world, survey):
    kinds = {
        "single_choice": ("Excel\nERP", "ERP"),
        "multiple_choice": ("Calls\nVisits\nEmail", ["Calls", "Visits"]),
        "scale": ("", "4"),
        "yes_no": ("", "yes"),
        "reform_areas": ("", ["audit"]),
        "languages": ("", ["fr"]),
        "short_text": ("", "Short"),
        "long_text": ("", "Long\ntext"),
    }
    added = {
        kind: services.add_question(
            survey=survey, by=world.facilitator, text=f"A {kind} question", kind=kind, choices=c
        )
        for kind, (c, _answer) in kinds.items()
    }
    posted = {**complete_answers(survey)}
    posted.update({f"q{added[kind].pk}": answer for kind, (_c, answer) in kinds.items()})
    client.force_login(world.peer)

    page = client.get(survey_url(world))
    client.post(survey_url(world, "submit"), posted)

    saved = Response.objects.get().answers
    assert page.status_code == 200
    assert [saved[str(added[kind].pk)] for kind in kinds] == [
        "ERP",
        ["Calls", "Visits"],
        4,
        "yes",
        ["audit"],
        ["fr"],
        "Short",
        "Long\ntext",
    ]


def test_export_never_turns_an_answer_into_a_formula(client, world, survey):
    submit_for(
        peer_membership(world),
        survey,
        {str(question(survey, Field.CHALLENGES).pk): '=HYPERLINK("http://x.example")'},
    )
    client.force_login(world.facilitator)

    response = client.get(survey_url(world, "answers_xlsx"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x.example")' in cells


def test_builder_refuses_a_second_question_for_the_same_profile_field(client, world, survey):
    client.force_login(world.facilitator)

    response = client.post(
        survey_url(world, "add_question"),
        {"text": "Your job title?", "kind": "short_text", "profile_field": "position"},
    )

    assert response.status_code == 200
    assert "already fills this profile field" in response.text


def test_builder_refuses_a_type_that_cannot_fill_the_profile_field(client, world, survey):
    languages = question(survey, Field.LANGUAGES)
    client.force_login(world.facilitator)

    response = client.post(
        reverse("surveys:edit_question", args=[world.initiative.pk, languages.pk]),
        {"text": "Languages?", "kind": "short_text", "profile_field": "languages"},
    )

    assert response.status_code == 200
    assert "need the type" in response.text


def test_draft_after_submission_changes_nothing(client, world, survey):
    client.force_login(world.peer)
    client.post(survey_url(world, "submit"), complete_answers(survey))

    client.post(survey_url(world, "save_draft"), {key(survey, Field.POSITION): "Changed"})

    saved = Response.objects.get()
    assert saved.answers[str(question(survey, Field.POSITION).pk)] == "Head of budget execution"


def test_road_map_lists_peers_without_a_submitted_survey(world, survey):
    submit_for(peer_membership(world), survey)

    items = open_items(world.initiative, Stage.FOUNDATION)

    assert "1 peer has not submitted the pre-event survey." in items


def test_builder_forms_refuse_other_methods(client, world, survey):
    client.force_login(world.facilitator)

    statuses = [
        client.put(survey_url(world, "settings")).status_code,
        client.delete(survey_url(world, "add_question")).status_code,
    ]

    assert statuses == [405, 405]


def test_survey_dates_read_in_the_language_s_own_date_format(client, world, survey, settings):
    survey.closes_at = timezone.now().replace(year=2030, month=12, day=2, hour=12)
    survey.save()
    client.force_login(world.peer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    page = client.get(survey_url(world))

    assert "2 декабря 2030 г." in page.text
    assert "Декабрь" not in page.text
