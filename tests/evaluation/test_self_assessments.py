import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import queries, services
from evaluation.models import EvaluationPoint, ObjectiveRating, SelfAssessmentRequest
from initiatives.road_map import Scope, indicators, next_steps
from peerlearn.models import OutboxEmail
from surveys import services as survey_services
from surveys.models import Question, Survey

from ..factories import MembershipFactory
from .factories import assessed, evaluation_point, membership_of, objective

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


def _day(days):
    return TODAY + datetime.timedelta(days=days)


def _fixed_point(world, round_="baseline", remind=7):
    return services.set_evaluation_point(
        initiative=world.initiative,
        round_=round_,
        by=world.facilitator,
        opens_on=TODAY,
        closes_on=_day(20),
        remind_every_days=remind,
    )


def _round_url(world, name, round_="baseline"):
    return reverse(f"evaluation:{name}", args=[world.initiative.pk, round_])


def _rating_fields(aim, score="", source="", comment=""):
    prefix = f"objective{aim.pk}_"
    return {f"{prefix}score": score, f"{prefix}source": source, f"{prefix}comment": comment}


# The timeline


def test_setting_a_point_opens_the_rounds_survey(world):
    point = _fixed_point(world, "midline")

    survey = Survey.objects.get(initiative=world.initiative, purpose="self_assessment")
    assert (point.survey, survey.round, survey.max_reminders) == (survey, "midline", 0)
    assert timezone.localtime(survey.opens_at).date() == TODAY
    assert timezone.localtime(survey.closes_at).date() == _day(21)


def test_changing_a_point_keeps_one_point_and_one_survey(client, world):
    _fixed_point(world)
    client.force_login(world.facilitator)

    response = client.post(
        reverse("evaluation:evaluation_point", args=[world.initiative.pk, "baseline"]),
        {"opens_on": "2026-04-01", "closes_on": "2026-04-15", "remind_every_days": "3"},
    )

    assert response.status_code == 302
    point = EvaluationPoint.objects.get()
    assert (point.opens_on, point.closes_on, point.remind_every_days) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 4, 15),
        3,
    )
    assert Survey.objects.filter(purpose="self_assessment").count() == 1


def test_point_closing_before_it_opens_is_refused_and_kept(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("evaluation:evaluation_point", args=[world.initiative.pk, "endline"]),
        {"opens_on": "2026-04-15", "closes_on": "2026-04-01", "remind_every_days": "7"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "closes_on" in form.errors
    assert form["opens_on"].value() == "2026-04-15"
    assert not EvaluationPoint.objects.exists()


def test_point_with_a_bad_date_or_round_is_refused(client, world):
    client.force_login(world.facilitator)

    bad_date = client.post(
        reverse("evaluation:evaluation_point", args=[world.initiative.pk, "baseline"]),
        {"opens_on": "first of May", "closes_on": "2026-04-01", "remind_every_days": "700"},
    )
    bad_round = client.get(
        reverse("evaluation:evaluation_point", args=[world.initiative.pk, "someday"])
    )

    assert bad_date.status_code == 200
    assert set(bad_date.context["form"].errors) == {"opens_on", "remind_every_days"}
    assert bad_round.status_code == 404


def test_point_form_refuses_get_method_mismatch(client, world):
    client.force_login(world.facilitator)

    response = client.put(
        reverse("evaluation:evaluation_point", args=[world.initiative.pk, "baseline"])
    )

    assert response.status_code == 405


def test_timeline_shows_each_round_and_submissions(client, world):
    point = evaluation_point(world)
    aim = objective(world)
    assessed(point, membership_of(world, world.peer), {aim: (2, "peers")})
    client.force_login(world.facilitator)

    response = client.get(
        reverse("evaluation:self_assessment_timeline", args=[world.initiative.pk])
    )

    rounds = response.context["rounds"]
    assert [(r, p is not None, n) for r, _label, p, n in rounds] == [
        ("baseline", True, 1),
        ("midline", False, 0),
        ("endline", False, 0),
    ]
    assert "1 of 2" in response.content.decode()


# A peer's ratings


def test_peer_page_shows_objectives_and_extra_questions(client, world):
    point = evaluation_point(world)
    objective(world, description="Learn accrual accounting")
    survey_services.add_question(
        survey=point.survey, by=world.facilitator, text="What surprised you?"
    )
    client.force_login(world.peer)

    response = client.get(_round_url(world, "self_assessment_round"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Learn accrual accounting" in page
    assert "What surprised you?" in page
    assert "Save draft" in page


def test_draft_keeps_partial_ratings_unsubmitted(client, world):
    evaluation_point(world)
    aim = objective(world)
    client.force_login(world.peer)

    response = client.post(
        _round_url(world, "self_assessment_draft"), _rating_fields(aim, score="3")
    )

    assert response.status_code == 302
    rating = ObjectiveRating.objects.get()
    assert (rating.objective, rating.score, rating.source) == (aim, 3, "")
    assert rating.response.submitted_at is None


def test_submit_needs_a_score_and_a_source_and_keeps_what_was_typed(client, world):
    evaluation_point(world)
    aim = objective(world)
    client.force_login(world.peer)

    response = client.post(
        _round_url(world, "self_assessment_submit"),
        _rating_fields(aim, score="4", comment="Mostly from the Tbilisi visit"),
    )

    assert response.status_code == 400
    form = response.context["ratings_form"]
    assert list(form.errors) == [f"objective{aim.pk}_source"]
    assert form[f"objective{aim.pk}_comment"].value() == "Mostly from the Tbilisi visit"
    assert not ObjectiveRating.objects.exists()


def test_score_outside_one_to_five_is_refused(client, world):
    evaluation_point(world)
    aim = objective(world)
    client.force_login(world.peer)

    response = client.post(
        _round_url(world, "self_assessment_submit"), _rating_fields(aim, "7", "peers")
    )

    assert response.status_code == 400
    assert f"objective{aim.pk}_score" in response.context["ratings_form"].errors


def test_submit_saves_ratings_and_extra_answers(client, world):
    point = evaluation_point(world)
    aim = objective(world)
    question = survey_services.add_question(
        survey=point.survey,
        by=world.facilitator,
        text="What surprised you?",
        kind=Question.Kind.SHORT_TEXT,
        required=True,
    )
    client.force_login(world.peer)

    response = client.post(
        _round_url(world, "self_assessment_submit"),
        {**_rating_fields(aim, "4", "both", "Visit"), f"q{question.pk}": "The pace"},
    )

    assert response.status_code == 302
    rating = ObjectiveRating.objects.get()
    assert (rating.score, rating.source, rating.comment) == (4, "both", "Visit")
    assert rating.response.submitted_at is not None
    assert rating.response.answers == {str(question.pk): "The pace"}


def test_resubmitting_changes_the_same_rating(client, world):
    evaluation_point(world)
    aim = objective(world)
    client.force_login(world.peer)
    url = _round_url(world, "self_assessment_submit")

    client.post(url, _rating_fields(aim, "2", "other"))
    client.post(url, _rating_fields(aim, "3", "peers"))

    assert list(ObjectiveRating.objects.values_list("score", "source")) == [(3, "peers")]


def test_closed_round_is_read_only(client, world):
    point = evaluation_point(world, opens_in=-20, closes_in=-2)
    aim = objective(world)
    assessed(point, membership_of(world, world.peer), {aim: (2, "other")})
    client.force_login(world.peer)

    page = client.get(_round_url(world, "self_assessment_round"))
    posted = client.post(
        _round_url(world, "self_assessment_submit"), _rating_fields(aim, "5", "peers")
    )

    assert page.context["closed"] is True
    assert page.context["ratings_form"][f"objective{aim.pk}_score"].field.disabled
    assert "Save draft" not in page.content.decode()
    assert posted.status_code == 302
    assert ObjectiveRating.objects.get().score == 2


def test_round_not_planned_is_not_found(client, world):
    client.force_login(world.peer)

    response = client.get(_round_url(world, "self_assessment_round", "endline"))

    assert response.status_code == 404


def test_surveys_page_of_the_round_sends_peers_to_the_ratings(client, world):
    point = evaluation_point(world)
    client.force_login(world.peer)

    response = client.get(point.survey.url("survey"))

    assert response.status_code == 302
    assert response.url == _round_url(world, "self_assessment_round")


# Requests and reminders


def test_sweep_run_twice_requests_each_peer_once(world):
    point = _fixed_point(world)

    first = services.send_self_assessment_requests(today=TODAY)
    second = services.send_self_assessment_requests(today=TODAY)

    assert (first, second) == (2, 0)
    emails = OutboxEmail.objects.filter(kind="self_assessment_request")
    assert sorted(e.to for e in emails) == sorted([world.peer.email, world.peer_elsewhere.email])
    assert {e.key.rsplit(":", 1)[1] for e in emails} == {"0"}
    assert all(_round_url(world, "self_assessment_round") in e.body for e in emails)
    assert point.requests.count() == 2


def test_reminder_goes_only_to_peers_who_have_not_submitted(world):
    point = _fixed_point(world, remind=7)
    aim = objective(world)
    services.send_self_assessment_requests(today=TODAY)
    assessed(point, membership_of(world, world.peer), {aim: (3, "peers")})

    too_soon = services.send_self_assessment_requests(today=_day(6))
    reminded = services.send_self_assessment_requests(today=_day(7))
    again = services.send_self_assessment_requests(today=_day(8))

    assert (too_soon, reminded, again) == (0, 1, 0)
    reminder = OutboxEmail.objects.get(
        key=f"self-assessment:{point.pk}:{membership_of(world, world.peer_elsewhere).pk}:1"
    )
    assert reminder.subject.startswith("Reminder")


def test_each_reminder_number_goes_once_until_the_round_closes(world):
    point = _fixed_point(world, remind=7)
    peer = membership_of(world, world.peer_elsewhere)
    days = [0, 7, 7, 14, 15, 21, 28]

    for day in days:
        services.send_self_assessment_requests(today=_day(day))

    sent = SelfAssessmentRequest.objects.filter(point=point, membership=peer)
    assert sorted(sent.values_list("number", flat=True)) == [0, 1, 2]


def test_peer_found_late_gets_the_request_not_an_immediate_reminder(world):
    _fixed_point(world, remind=7)

    late = services.send_self_assessment_requests(today=_day(10))
    same_day = services.send_self_assessment_requests(today=_day(10))
    next_reminder = services.send_self_assessment_requests(today=_day(14))

    assert (late, same_day, next_reminder) == (2, 0, 2)


def test_no_request_before_opening_after_closing_or_to_withdrawn_peers(world):
    _fixed_point(world)
    membership_of(world, world.peer_elsewhere).withdraw()

    before = services.send_self_assessment_requests(today=_day(-1))
    after = services.send_self_assessment_requests(today=_day(21))
    during = services.send_self_assessment_requests(today=TODAY)

    assert (before, after, during) == (0, 0, 1)


def test_sweep_is_a_named_beat_task(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]

    assert "evaluation.send_self_assessment_requests" in entries


# Results


def _known_results(world):
    """Peer (home): 2 -> 4 on one objective, no endline on another; peer_elsewhere: 3 -> 2."""
    baseline = evaluation_point(world, "baseline")
    endline = evaluation_point(world, "endline")
    peer, other = membership_of(world, world.peer), membership_of(world, world.peer_elsewhere)
    aim, second = objective(world, description="Accruals"), objective(world, description="Audit")
    theirs = objective(world, user=world.peer_elsewhere, description="Arrears")
    assessed(baseline, peer, {aim: (2, "other"), second: (1, "other")})
    assessed(endline, peer, {aim: (4, "peers")})
    assessed(baseline, other, {theirs: (3, "other")})
    assessed(endline, other, {theirs: (2, "both")})
    return peer, other


def test_results_compare_baseline_with_endline_on_known_data(world):
    _known_results(world)

    results = queries.self_assessment_results(world.initiative.memberships.peers())

    by_objective = {row.objective: (row.baseline, row.endline, row.change) for row in results.rows}
    assert by_objective == {
        "Accruals": (2, 4, 2),
        "Audit": (1, None, None),
        "Arrears": (3, 2, -1),
    }
    assert {g.name: (g.peers, g.compared, g.mean_change) for g in results.organisations} == {
        "Ministry of Finance": (1, 1, 2.0),
        "State Treasury": (1, 1, -1.0),
    }
    assert (results.overall.compared, results.overall.mean_change) == (2, 0.5)
    assert (results.ratings, results.from_peers, results.from_peers_percent) == (5, 2, 40)
    assert results.has_midline is False


def test_results_without_endline_or_without_anything(world):
    baseline = evaluation_point(world, "baseline")
    aim = objective(world)
    empty = queries.self_assessment_results(world.initiative.memberships.peers())
    assessed(baseline, membership_of(world, world.peer), {aim: (2, "other")})

    only_baseline = queries.self_assessment_results(world.initiative.memberships.peers())

    assert (empty.rows, empty.overall.mean_change, empty.from_peers_percent) == ([], None, None)
    assert only_baseline.overall.mean_change is None
    assert only_baseline.rows[0].change is None


def test_midline_shows_when_present(client, world):
    _known_results(world)
    midline = evaluation_point(world, "midline")
    assessed(midline, membership_of(world, world.peer), {objective(world): (3, "peers")})
    client.force_login(world.facilitator)

    response = client.get(reverse("evaluation:self_assessment_results", args=[world.initiative.pk]))

    assert response.context["results"].has_midline is True
    assert "Midline" in response.content.decode()


def test_authoriser_sees_only_their_organisations_peers(client, world):
    _known_results(world)
    client.force_login(world.authoriser)

    response = client.get(reverse("evaluation:self_assessment_results", args=[world.initiative.pk]))
    export = client.get(reverse("evaluation:self_assessment_csv", args=[world.initiative.pk]))

    assert {row.objective for row in response.context["results"].rows} == {"Accruals", "Audit"}
    assert "Arrears" not in response.content.decode()
    assert "Arrears" not in export.content.decode()


def test_export_has_a_row_per_peer_and_objective(client, world):
    _known_results(world)
    client.force_login(world.facilitator)

    csv = client.get(reverse("evaluation:self_assessment_csv", args=[world.initiative.pk]))
    xlsx = client.get(reverse("evaluation:self_assessment_xlsx", args=[world.initiative.pk]))

    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "peer,home organisation,objective,baseline,midline,endline,change"
    assert len(lines) == 4
    assert any(line.endswith("Accruals,2,,4,2") for line in lines)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_chart_is_an_svg_without_script(client, world):
    _known_results(world)
    client.force_login(world.facilitator)

    response = client.get(reverse("evaluation:self_assessment_chart", args=[world.initiative.pk]))

    assert response["Content-Type"] == "image/svg+xml"
    assert "<script" not in response.content.decode()


def test_peer_sees_their_own_baseline_against_endline(client, world):
    _known_results(world)
    client.force_login(world.peer)

    response = client.get(reverse("evaluation:self_assessments", args=[world.initiative.pk]))

    assert {row.objective for row in response.context["results"].rows} == {"Accruals", "Audit"}
    assert "+2" in response.content.decode()


def _many_peers(world, count):
    baseline = evaluation_point(world, "baseline")
    endline = evaluation_point(world, "endline")
    for number in range(count):
        membership = MembershipFactory(initiative=world.initiative, home_organisation=world.home)
        aim = objective(world, user=membership.user, description=f"Aim {number}")
        assessed(baseline, membership, {aim: (2, "other")})
        assessed(endline, membership, {aim: (3, "peers")})


@pytest.mark.parametrize("count", [1, 25])
def test_results_pages_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    _many_peers(world, count)
    client.force_login(world.facilitator)
    urls = [
        reverse(f"evaluation:{name}", args=[world.initiative.pk])
        for name in ("self_assessment_results", "self_assessment_csv", "self_assessment_timeline")
    ]

    for url in urls:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    client.force_login(world.authoriser)
    with django_assert_max_num_queries(14):
        client.get(urls[0])


@pytest.mark.parametrize("count", [1, 25])
def test_peer_pages_queries_do_not_grow(client, world, count, django_assert_max_num_queries):
    evaluation_point(world)
    for number in range(count):
        objective(world, description=f"Aim {number}")
    client.force_login(world.peer)

    with django_assert_max_num_queries(14):
        assert client.get(_round_url(world, "self_assessment_round")).status_code == 200
    with django_assert_max_num_queries(14):
        client.get(reverse("evaluation:self_assessments", args=[world.initiative.pk]))


# Indicators


def test_indicators_on_known_data_respect_the_organisation(world):
    _known_results(world)
    names = ["self_assessments_submitted", "self_assessment_progress", "learning_from_peers"]

    everyone = indicators(Scope(world.initiative), names)
    home = indicators(Scope(world.initiative, organisation=world.home), names)

    assert everyone == {
        "self_assessments_submitted": 4,
        "self_assessment_progress": 0.5,
        "learning_from_peers": 40,
    }
    assert home == {
        "self_assessments_submitted": 2,
        "self_assessment_progress": 2.0,
        "learning_from_peers": 33,
    }


def test_indicators_respect_the_period_and_are_zero_when_empty(world):
    names = ["self_assessments_submitted", "self_assessment_progress", "learning_from_peers"]
    empty = indicators(Scope(world.initiative), names)
    _known_results(world)
    today = timezone.localdate()

    before = indicators(Scope(world.initiative, end=today), names)
    now = indicators(Scope(world.initiative, start=today), names)

    assert empty == before == dict.fromkeys(names, 0)
    assert (now["self_assessments_submitted"], now["self_assessment_progress"]) == (4, 0.5)


@pytest.mark.parametrize("count", [1, 25])
def test_indicator_queries_do_not_grow(world, count, django_assert_max_num_queries):
    _many_peers(world, count)
    names = ["self_assessments_submitted", "self_assessment_progress", "learning_from_peers"]

    with django_assert_max_num_queries(3):
        indicators(Scope(world.initiative, organisation=world.home), names)


# Next steps


def test_next_step_asks_for_the_open_unsubmitted_round_only(world):
    point = evaluation_point(world)
    evaluation_point(world, "endline", opens_in=30, closes_in=40)
    peer = membership_of(world, world.peer)
    aim = objective(world)

    before = [step.text for step in next_steps(peer)]
    assessed(point, peer, {aim: (2, "peers")})
    after = [step.text for step in next_steps(peer)]

    assert "Complete your baseline self-assessment." in before
    assert not [text for text in before if "endline" in text or "Self-assessment:" in text]
    assert "Complete your baseline self-assessment." not in after


def test_next_steps_for_many_peers_take_fixed_queries(world, django_assert_max_num_queries):
    evaluation_point(world)
    peers = [MembershipFactory(initiative=world.initiative) for _ in range(20)]
    from evaluation.road_map import complete_self_assessment

    with django_assert_max_num_queries(2):
        steps = list(complete_self_assessment(peers))

    assert len(steps) == 20
