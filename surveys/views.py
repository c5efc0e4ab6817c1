"""Survey pages. Each takes the initiative `pk` and the survey `key` (purpose and round);
the pre-event survey's paths carry no key."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Role
from peerlearn import audit
from peerlearn.spreadsheets import csv_response, xlsx_response

from . import queries, road_map, services
from .forms import QuestionForm, SurveyForm, SurveySettingsForm, initial_answers
from .models import Survey, split_key

PRE_EVENT = Survey.Purpose.PRE_EVENT


def _survey(initiative, key):
    purpose, round_ = split_key(key)
    return services.survey_for(initiative=initiative, purpose=purpose, round_=round_)


def _facilitated_survey(request, pk, key):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative, _survey(initiative, key)


def _builder(survey):
    return redirect(survey.url("builder"))


# The facilitator builds the survey.


@login_required
@require_GET
def builder(request, pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    context = {"initiative": initiative, "survey": survey, "questions": survey.questions.all()}
    return render(request, "surveys/builder.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request, pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    form = SurveySettingsForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        services.change_settings(survey=survey, by=request.user, **form.fields_to_save())
        messages.success(request, _("The survey settings have been saved."))
        return _builder(survey)
    return render(
        request,
        "surveys/settings.html",
        {"initiative": initiative, "survey": survey, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_question(request, pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        services.add_question(survey=survey, by=request.user, **form.fields_to_save())
        messages.success(request, _("The question has been added."))
        return _builder(survey)
    context = {"initiative": initiative, "survey": survey, "form": form}
    return render(request, "surveys/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_question(request, pk, question_pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    question = get_object_or_404(survey.questions, pk=question_pk)
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        services.edit_question(question=question, by=request.user, **form.fields_to_save())
        messages.success(request, _("The question has been saved."))
        return _builder(survey)
    context = {"initiative": initiative, "survey": survey, "form": form, "question": question}
    return render(request, "surveys/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete_question(request, pk, question_pk, key=PRE_EVENT):
    """GET asks to confirm (the answers to it are lost); POST deletes."""
    initiative, survey = _facilitated_survey(request, pk, key)
    question = get_object_or_404(survey.questions, pk=question_pk)
    if request.method == "POST":
        services.delete_question(question=question, by=request.user)
        messages.success(request, _("The question has been deleted."))
        return _builder(survey)
    context = {
        "initiative": initiative,
        "survey": survey,
        "question": question,
        "answered": queries.answer_count(question=question),
    }
    return render(request, "surveys/delete_question.html", context)


def _move(request, pk, question_pk, key, step):
    _initiative, survey = _facilitated_survey(request, pk, key)
    question = get_object_or_404(survey.questions, pk=question_pk)
    services.move_question(question=question, step=step, by=request.user)
    return _builder(survey)


@login_required
@require_POST
def move_question_up(request, pk, question_pk, key=PRE_EVENT):
    return _move(request, pk, question_pk, key, -1)


@login_required
@require_POST
def move_question_down(request, pk, question_pk, key=PRE_EVENT):
    return _move(request, pk, question_pk, key, 1)


@login_required
@require_GET
def preview(request, pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    form = SurveyForm(questions=survey.questions.all(), read_only=True)
    context = {"initiative": initiative, "survey": survey, "form": form}
    return render(request, "surveys/preview.html", context)


@login_required
@require_POST
def open_survey(request, pk, key=PRE_EVENT):
    _initiative, survey = _facilitated_survey(request, pk, key)
    emailed = services.open_survey(survey=survey, by=request.user)
    if emailed is None:
        messages.info(request, _("The survey was already open to peers."))
    else:
        messages.success(
            request,
            ngettext(
                "The survey is open to peers; %(count)d peer is being told by email.",
                "The survey is open to peers; %(count)d peers are being told by email.",
                emailed,
            )
            % {"count": emailed},
        )
    return _builder(survey)


# The facilitator follows the answers.


@login_required
@require_GET
def results(request, pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    overall, organisations = queries.completion(survey=survey)
    rows = [
        (peer, response, queries.response_status(response))
        for peer, response in queries.peer_responses(survey=survey)
    ]
    context = {
        "initiative": initiative,
        "survey": survey,
        "overall": overall,
        "organisations": organisations,
        "rows": rows,
    }
    return render(request, "surveys/results.html", context)


@login_required
@require_GET
def peer_answers(request, pk, membership_pk, key=PRE_EVENT):
    initiative, survey = _facilitated_survey(request, pk, key)
    peer = get_object_or_404(
        initiative.memberships.peers().select_related("user", "home_organisation"),
        pk=membership_pk,
    )
    response = queries.response_of(survey=survey, membership=peer)
    answers = response.answers if response else {}
    items = [
        (question, queries.readable_answer(question, answers.get(str(question.pk))))
        for question in survey.questions.all()
    ]
    context = {
        "initiative": initiative,
        "survey": survey,
        "peer": peer,
        "status": queries.response_status(response),
        "response": response,
        "items": items,
    }
    return render(request, "surveys/peer_answers.html", context)


def _export_name(survey, extension):
    prefix = "survey" if survey.is_pre_event else f"survey-{survey.key}"
    return f"{prefix}-{slugify(survey.initiative.title)[:60]}.{extension}"


@login_required
@require_GET
@audit.records_access()
def export_csv(request, pk, key=PRE_EVENT):
    _initiative, survey = _facilitated_survey(request, pk, key)
    header, rows = queries.export_table(survey=survey)
    return csv_response(filename=_export_name(survey, "csv"), header=header, rows=rows)


@login_required
@require_GET
@audit.records_access()
def export_xlsx(request, pk, key=PRE_EVENT):
    _initiative, survey = _facilitated_survey(request, pk, key)
    header, rows = queries.export_table(survey=survey)
    return xlsx_response(
        filename=_export_name(survey, "xlsx"), title="Answers", header=header, rows=rows
    )


# The peer answers.


def _peer_survey(request, pk, key):
    """The pre-event survey exists once anyone opens it; the others once a facilitator has."""
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = initiative.memberships.peers().current().get(user=request.user)
    if key == PRE_EVENT:
        return initiative, _survey(initiative, key), membership
    purpose, round_ = split_key(key)
    survey = get_object_or_404(initiative.surveys, purpose=purpose, round=round_)
    return initiative, survey, membership


def _render_survey(request, initiative, survey, membership, form=None, status=200):
    if survey.is_draft:
        context = {"initiative": initiative, "survey": survey, "draft": True}
        return render(request, "surveys/survey.html", context, status=status)
    now = timezone.now()
    response = queries.response_of(survey=survey, membership=membership)
    closed, not_open_yet = survey.is_closed(now), survey.not_open_yet(now)
    if form is None:
        questions = list(survey.questions.all())
        known = road_map.known_answers(survey=survey, membership=membership)
        form = SurveyForm(
            questions=questions,
            initial=initial_answers(questions, response, known),
            read_only=closed or not_open_yet,
        )
    context = {
        "initiative": initiative,
        "survey": survey,
        "form": form,
        "response": response,
        "closed": closed,
        "not_open_yet": not_open_yet,
    }
    return render(request, "surveys/survey.html", context, status=status)


@login_required
@require_GET
def survey(request, pk, key=PRE_EVENT):
    initiative, survey, membership = _peer_survey(request, pk, key)
    if elsewhere := road_map.answer_page(survey):
        return redirect(elsewhere)
    return _render_survey(request, initiative, survey, membership)


def _posted_form(request, survey, draft):
    """The posted answers, or a response to show instead when the survey is not open."""
    if not survey.is_open(timezone.now()):
        messages.error(request, _("The survey is not open, so answers cannot be changed."))
        return None, redirect(survey.url("survey"))
    form = SurveyForm(request.POST, questions=survey.questions.all(), draft=draft)
    return form, None


@login_required
@require_POST
def save_draft(request, pk, key=PRE_EVENT):
    initiative, survey, membership = _peer_survey(request, pk, key)
    if elsewhere := road_map.answer_page(survey):
        return redirect(elsewhere)
    form, stop = _posted_form(request, survey, draft=True)
    if stop:
        return stop
    if survey.responses.submitted().filter(membership=membership).exists():
        messages.info(request, _("Your survey is already submitted; use Submit to change it."))
        return redirect(survey.url("survey"))
    if not form.is_valid():
        return _render_survey(request, initiative, survey, membership, form, status=400)
    services.save_draft(survey=survey, membership=membership, answers=form.answers())
    messages.success(request, _("Your draft has been saved. You can come back to it at any time."))
    return redirect(survey.url("survey"))


@login_required
@require_POST
def submit(request, pk, key=PRE_EVENT):
    initiative, survey, membership = _peer_survey(request, pk, key)
    if elsewhere := road_map.answer_page(survey):
        return redirect(elsewhere)
    form, stop = _posted_form(request, survey, draft=False)
    if stop:
        return stop
    if not form.is_valid():
        messages.error(request, _("Some answers are missing or need a correction."))
        return _render_survey(request, initiative, survey, membership, form, status=400)
    services.submit_survey(
        survey=survey, membership=membership, answers=form.answers(), questions=form.questions
    )
    messages.success(request, _("Thank you: your survey has been submitted."))
    return redirect(survey.url("survey"))
