"""Surveys of any purpose and round work like the pre-event one, at their own paths."""

import pytest
from django.urls import reverse

from initiatives.road_map import next_steps
from matching.models import PeerProfile
from peerlearn.models import AuditEntry, OutboxEmail
from surveys import services
from surveys.models import Survey

from .factories import open_survey_for

BASELINE = "self_assessment-baseline"


def url(world, name, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"pk": world.initiative.pk, "key": BASELINE, **kwargs})


@pytest.fixture
def baseline(world):
    survey = open_survey_for(
        world.initiative, purpose=Survey.Purpose.SELF_ASSESSMENT, round_=Survey.Round.BASELINE
    )
    services.add_question(
        survey=survey, by=world.facilitator, text="How confident are you?", kind="scale"
    )
    return survey


def peer_membership(world):
    return world.initiative.memberships.get(user=world.peer)


def test_a_self_assessment_round_lives_beside_the_pre_event_survey(client, world, baseline):
    client.force_login(world.facilitator)

    builder = client.get(url(world, "builder"))
    pre_event = client.get(reverse("surveys:builder", args=[world.initiative.pk]))

    assert builder.status_code == 200
    assert "Self-assessment: Baseline of" in builder.text
    assert url(world, "add_question") in builder.text
    assert "How confident are you?" not in pre_event.text
    assert world.initiative.surveys.count() == 2


def test_a_new_round_starts_empty_and_titled_by_its_round(client, world):
    client.force_login(world.facilitator)

    client.get(reverse("surveys:builder", kwargs={"pk": world.initiative.pk, "key": "check_in"}))

    survey = world.initiative.surveys.get(purpose=Survey.Purpose.CHECK_IN)
    assert (survey.title, survey.round, survey.questions.count()) == ("Check-in", "", 0)


def test_submitting_a_self_assessment_leaves_the_profile_alone(client, world, baseline):
    question = baseline.questions.get()
    client.force_login(world.peer)

    response = client.post(url(world, "submit"), {f"q{question.pk}": "4"})

    assert response.status_code == 302
    assert response["Location"] == url(world, "survey")
    assert baseline.responses.get().answers == {str(question.pk): 4}
    assert PeerProfile.objects.exists() is False


def test_peer_is_asked_to_answer_each_open_survey(client, world, baseline):
    open_survey_for(world.initiative)
    client.force_login(world.peer)
    client.post(url(world, "submit"), {f"q{baseline.questions.get().pk}": "3"})

    steps = next_steps(peer_membership(world))

    assert [(step.text, step.url) for step in steps] == [
        (
            "Complete the pre-event survey",
            reverse("surveys:survey", args=[world.initiative.pk]),
        )
    ]


def test_peer_cannot_open_a_round_nobody_has_set_up(client, world):
    client.force_login(world.peer)

    response = client.get(url(world, "survey"))

    assert response.status_code == 404
    assert world.initiative.surveys.exists() is False


@pytest.mark.parametrize("key", ["pre_event", "self_assessment-later", "nothing"])
def test_unknown_survey_keys_are_not_pages(client, world, key):
    client.force_login(world.facilitator)

    response = client.get(f"/initiatives/{world.initiative.pk}/surveys/{key}/builder/")

    assert response.status_code == 404


def test_reminder_of_a_round_names_it_and_links_to_it(world, baseline):
    Survey.objects.filter(pk=baseline.pk).update(
        opens_at=baseline.created_at.replace(year=baseline.created_at.year - 1)
    )

    services.send_survey_reminders()

    email = OutboxEmail.objects.get(kind="survey_reminder", to=world.peer.email)
    assert url(world, "survey") in email.body
    assert "Self-assessment: Baseline" in email.subject


def test_export_of_a_round_is_named_after_it(client, world, baseline):
    client.force_login(world.facilitator)

    response = client.get(url(world, "answers_csv"))

    assert "survey-self_assessment-baseline-" in response["Content-Disposition"]


def test_peer_answers_of_a_round_are_not_the_pre_event_ones(client, world, baseline):
    membership = peer_membership(world)
    services.submit_survey(
        survey=baseline,
        membership=membership,
        answers={str(baseline.questions.get().pk): 5},
        questions=list(baseline.questions.all()),
    )
    client.force_login(world.facilitator)

    page = client.get(url(world, "peer_answers", membership_pk=membership.pk))

    assert page.status_code == 200
    assert "How confident are you?" in page.text


# The audit trail of survey edits


def actions(world):
    return list(
        AuditEntry.objects.of_initiative(world.initiative)
        .order_by("pk")
        .values_list("action", "actor__email", "data")
    )


def test_builder_edits_are_in_the_audit_trail(client, world):
    survey = services.survey_for(initiative=world.initiative)
    first, second = survey.questions.all()[:2]
    client.force_login(world.facilitator)
    builder = reverse("surveys:builder", args=[world.initiative.pk])
    base = builder.removesuffix("builder/")

    client.post(base + "questions/new/", {"text": "Anything else?", "kind": "long_text"})
    client.post(
        f"{base}questions/{first.pk}/edit/",
        {"text": "Your problem?", "kind": "long_text", "profile_field": "challenges"},
    )
    client.post(f"{base}questions/{second.pk}/up/")
    client.post(f"{base}questions/{second.pk}/delete/")
    client.post(
        base + "settings/",
        {"title": "Before we meet", "max_reminders": "1", "reminder_gap_days": "7"},
    )

    email = world.facilitator.email
    assert actions(world) == [
        ("survey.question_added", email, {"text": "Anything else?"}),
        # The default's versions in other languages translated the old text: dropped.
        (
            "survey.question_edited",
            email,
            {"changed": ["help_text", "required", "text", "translations"]},
        ),
        ("survey.question_moved", email, {"position": 1}),
        ("survey.question_deleted", email, {"text": second.text}),
        ("survey.settings_changed", email, {"changed": ["max_reminders", "title", "translations"]}),
    ]


def test_moving_the_first_question_up_logs_nothing(client, world):
    survey = services.survey_for(initiative=world.initiative)
    client.force_login(world.facilitator)

    client.post(
        reverse(
            "surveys:move_question_up",
            kwargs={"pk": world.initiative.pk, "question_pk": survey.questions.first().pk},
        )
    )

    assert actions(world) == []


def test_submitting_is_in_the_audit_trail_in_the_peers_name(client, world, baseline):
    client.force_login(world.peer)

    client.post(url(world, "submit"), {f"q{baseline.questions.get().pk}": "2"})

    assert actions(world)[-1] == ("survey.submitted", world.peer.email, {})
