from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Role
from peerlearn.spreadsheets import csv_response, xlsx_response

from .. import surveys
from ..forms import QuestionForm, SurveyForm, SurveySettingsForm, initial_answers
from ..models import PeerProfile, Response


def _facilitated_survey(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative, surveys.survey_for(initiative=initiative)


def _builder(survey):
    return redirect("matching:builder", pk=survey.initiative_id)


# The facilitator builds the survey.


@login_required
@require_GET
def builder(request, pk):
    initiative, survey = _facilitated_survey(request, pk)
    context = {"initiative": initiative, "survey": survey, "questions": survey.questions.all()}
    return render(request, "matching/builder.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_settings(request, pk):
    initiative, survey = _facilitated_survey(request, pk)
    form = SurveySettingsForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The survey settings have been saved."))
        return _builder(survey)
    return render(
        request,
        "matching/settings.html",
        {"initiative": initiative, "survey": survey, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_question(request, pk):
    initiative, survey = _facilitated_survey(request, pk)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        surveys.add_question(survey=survey, **form.cleaned_data)
        messages.success(request, _("The question has been added."))
        return _builder(survey)
    context = {"initiative": initiative, "survey": survey, "form": form}
    return render(request, "matching/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit_question(request, pk, question_pk):
    initiative, survey = _facilitated_survey(request, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question has been saved."))
        return _builder(survey)
    context = {"initiative": initiative, "survey": survey, "form": form, "question": question}
    return render(request, "matching/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delete_question(request, pk, question_pk):
    """GET asks to confirm (the answers to it are lost); POST deletes."""
    initiative, survey = _facilitated_survey(request, pk)
    question = get_object_or_404(survey.questions, pk=question_pk)
    if request.method == "POST":
        question.delete()
        messages.success(request, _("The question has been deleted."))
        return _builder(survey)
    context = {
        "initiative": initiative,
        "question": question,
        "answered": surveys.answer_count(question=question),
    }
    return render(request, "matching/delete_question.html", context)


@login_required
@require_POST
def move_question_up(request, pk, question_pk):
    _initiative, survey = _facilitated_survey(request, pk)
    surveys.move_question(question=get_object_or_404(survey.questions, pk=question_pk), step=-1)
    return _builder(survey)


@login_required
@require_POST
def move_question_down(request, pk, question_pk):
    _initiative, survey = _facilitated_survey(request, pk)
    surveys.move_question(question=get_object_or_404(survey.questions, pk=question_pk), step=1)
    return _builder(survey)


@login_required
@require_GET
def preview(request, pk):
    initiative, survey = _facilitated_survey(request, pk)
    form = SurveyForm(questions=survey.questions.all(), read_only=True)
    context = {"initiative": initiative, "survey": survey, "form": form}
    return render(request, "matching/preview.html", context)


# The facilitator follows the answers.


@login_required
@require_GET
def results(request, pk):
    initiative, survey = _facilitated_survey(request, pk)
    overall, organisations = surveys.completion(survey=survey)
    rows = [
        (peer, response, surveys.response_status(response))
        for peer, response in surveys.peer_responses(survey=survey)
    ]
    context = {
        "initiative": initiative,
        "survey": survey,
        "overall": overall,
        "organisations": organisations,
        "rows": rows,
    }
    return render(request, "matching/results.html", context)


@login_required
@require_GET
def peer_answers(request, pk, membership_pk):
    initiative, survey = _facilitated_survey(request, pk)
    peer = get_object_or_404(
        initiative.memberships.peers().select_related("user", "home_organisation"),
        pk=membership_pk,
    )
    response = survey.responses.filter(membership=peer).first()
    answers = response.answers if response else {}
    items = [
        (question, surveys.readable_answer(question, answers.get(str(question.pk))))
        for question in survey.questions.all()
    ]
    context = {
        "initiative": initiative,
        "survey": survey,
        "peer": peer,
        "status": surveys.response_status(response),
        "response": response,
        "items": items,
    }
    return render(request, "matching/peer_answers.html", context)


def _export_name(survey, extension):
    return f"survey-{slugify(survey.initiative.title)[:60]}.{extension}"


@login_required
@require_GET
def export_csv(request, pk):
    _initiative, survey = _facilitated_survey(request, pk)
    header, rows = surveys.export_table(survey=survey)
    return csv_response(filename=_export_name(survey, "csv"), header=header, rows=rows)


@login_required
@require_GET
def export_xlsx(request, pk):
    _initiative, survey = _facilitated_survey(request, pk)
    header, rows = surveys.export_table(survey=survey)
    return xlsx_response(
        filename=_export_name(survey, "xlsx"), title="Answers", header=header, rows=rows
    )


# The peer answers.


def _peer_survey(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = initiative.memberships.peers().current().get(user=request.user)
    survey = surveys.survey_for(initiative=initiative)
    return initiative, survey, membership


def _render_survey(request, initiative, survey, membership, form=None, status=200):
    now = timezone.now()
    response = Response.objects.filter(survey=survey, membership=membership).first()
    closed, not_open_yet = survey.is_closed(now), survey.not_open_yet(now)
    if form is None:
        questions = list(survey.questions.all())
        profile = PeerProfile.objects.filter(membership=membership).first()
        form = SurveyForm(
            questions=questions,
            initial=initial_answers(questions, response, profile),
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
    return render(request, "matching/survey.html", context, status=status)


@login_required
@require_GET
def survey(request, pk):
    initiative, survey, membership = _peer_survey(request, pk)
    return _render_survey(request, initiative, survey, membership)


def _posted_form(request, initiative, survey, draft):
    """The posted answers, or a response to show instead when the survey is not open."""
    if not survey.is_open(timezone.now()):
        messages.error(request, _("The survey is not open, so answers cannot be changed."))
        return None, redirect("matching:survey", pk=initiative.pk)
    form = SurveyForm(request.POST, questions=survey.questions.all(), draft=draft)
    return form, None


@login_required
@require_POST
def save_draft(request, pk):
    initiative, survey, membership = _peer_survey(request, pk)
    form, stop = _posted_form(request, initiative, survey, draft=True)
    if stop:
        return stop
    if survey.responses.submitted().filter(membership=membership).exists():
        messages.info(request, _("Your survey is already submitted; use Submit to change it."))
        return redirect("matching:survey", pk=initiative.pk)
    if not form.is_valid():
        return _render_survey(request, initiative, survey, membership, form, status=400)
    surveys.save_draft(survey=survey, membership=membership, answers=form.answers())
    messages.success(request, _("Your draft has been saved. You can come back to it at any time."))
    return redirect("matching:survey", pk=initiative.pk)


@login_required
@require_POST
def submit(request, pk):
    initiative, survey, membership = _peer_survey(request, pk)
    form, stop = _posted_form(request, initiative, survey, draft=False)
    if stop:
        return stop
    if not form.is_valid():
        messages.error(request, _("Some answers are missing or need a correction."))
        return _render_survey(request, initiative, survey, membership, form, status=400)
    surveys.submit_survey(
        survey=survey, membership=membership, answers=form.answers(), questions=form.questions
    )
    messages.success(request, _("Thank you: your survey has been submitted."))
    return redirect("matching:survey", pk=initiative.pk)
