"""Stage 3 pages: peers' objectives and reflections; the facilitators' learning tab."""

import datetime
import hashlib
import math
import re
from dataclasses import dataclass

import pygal
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from initiatives.road_map import Dimension, Scope, kept_a_while
from peerlearn import audit
from peerlearn.models import Organisation
from peerlearn.spreadsheets import csv_response, xlsx_response
from peerlearn.uploads import download
from surveys.forms import SurveyForm, initial_answers

from . import dashboard as dashboard_figures
from . import queries, services
from .forms import (
    CadenceForm,
    CategoryForm,
    DashboardFilterForm,
    EvaluationPointForm,
    ObjectiveFilterForm,
    ObjectiveForm,
    ReflectionForm,
    ReportNoteForm,
    ReportReplyForm,
    ReportScheduleForm,
    SelfAssessmentForm,
)
from .models import EvaluationPoint, Report
from .report_content import as_consented_now, build_content, render_pdf
from .report_content import body as report_body

PER_PAGE = 25


def _own_membership(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = get_object_or_404(
        Membership.objects.current(), initiative=initiative, user=request.user, role=Role.PEER
    )
    return initiative, membership


def _facilitated(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative


def _page(request, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _upload_limit():
    return {"max_upload_bytes": settings.MAX_UPLOAD_BYTES}


# --- a peer's objectives ---


@login_required
@require_GET
def objectives(request, pk):
    initiative, membership = _own_membership(request, pk)
    context = {
        "initiative": initiative,
        "page": _page(request, queries.objectives_of(membership)),
        "adoptable": queries.adoptable_by(membership)[:PER_PAGE],
    }
    return render(request, "evaluation/objectives.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request, pk):
    initiative, membership = _own_membership(request, pk)
    form = ObjectiveForm(request.POST or None, initiative=initiative, with_progress=False)
    if request.method == "POST" and form.is_valid():
        services.add_objective(
            initiative=initiative, by=request.user, membership=membership, **form.objective_fields()
        )
        messages.success(request, _("Your learning objective is set."))
        return redirect("evaluation:objectives", pk=initiative.pk)
    return render(
        request, "evaluation/objective_form.html", {"initiative": initiative, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, pk, objective_pk):
    initiative, membership = _own_membership(request, pk)
    objective = get_object_or_404(queries.objectives_of(membership), pk=objective_pk)
    form = ObjectiveForm(
        request.POST or None, request.FILES or None, instance=objective, initiative=initiative
    )
    if request.method == "POST" and form.is_valid():
        fields = form.objective_fields()
        services.change_objective(
            objective=objective,
            by=request.user,
            status=fields.pop("status"),
            upload=form.cleaned_data.get("upload") or None,
            **fields,
        )
        messages.success(request, _("Your learning objective is changed."))
        return redirect("evaluation:objectives", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "objective": objective, **_upload_limit()}
    return render(request, "evaluation/objective_form.html", context)


@login_required
@require_POST
def objective_adopt(request, pk, objective_pk):
    initiative, membership = _own_membership(request, pk)
    shared = get_object_or_404(queries.initiative_wide_objectives(initiative), pk=objective_pk)
    services.adopt_objective(objective=shared, membership=membership, by=request.user)
    messages.success(request, _("The objective is now one of yours."))
    return redirect("evaluation:objectives", pk=initiative.pk)


@login_required
@require_GET
def objective_evidence(request, pk, objective_pk):
    initiative, roles = initiative_for(
        request.user, pk, Role.PEER, Role.FACILITATOR, Role.AUTHORISER
    )
    objective = queries.readable_objective(initiative, request.user, roles, objective_pk)
    if objective is None or not objective.evidence_file:
        raise Http404
    try:
        return download(
            objective.evidence_file,
            filename=objective.evidence_name,
            content_type=objective.evidence_content_type,
        )
    except FileNotFoundError as gone:
        raise Http404 from gone


# --- the facilitators' learning tab ---


def _organisations(initiative):
    return (
        Organisation.objects.filter(memberships__initiative=initiative, memberships__role=Role.PEER)
        .distinct()
        .order_by("name")
    )


def _filtered(request, initiative):
    form = ObjectiveFilterForm(
        request.GET or None, initiative=initiative, organisations=_organisations(initiative)
    )
    return form, queries.objectives_in(initiative, **form.filters())


@login_required
@require_GET
def learning(request, pk):
    initiative = _facilitated(request, pk)
    form, rows = _filtered(request, initiative)
    context = {
        "initiative": initiative,
        "form": form,
        "page": _page(request, rows),
        "without_objective": queries.peers_without_objective(initiative).count(),
        "cadence": queries.cadence_of(initiative),
    }
    return render(request, "evaluation/learning.html", context)


def _export_header():
    return [
        _("peer"),
        _("home organisation"),
        _("category"),
        _("objective"),
        _("status"),
        _("status since"),
        _("evidence"),
        _("evidence link"),
    ]


def _export_rows(rows):
    for objective in rows:
        person = objective.membership.user
        yield [
            person.name or person.email,
            str(objective.membership.home_organisation or ""),
            objective.category_name,
            objective.description,
            objective.get_status_display(),
            objective.status_changed_on.isoformat(),
            objective.evidence,
            objective.evidence_url,
        ]


@login_required
@require_GET
@audit.records_access()
def objectives_csv(request, pk):
    initiative = _facilitated(request, pk)
    _form, rows = _filtered(request, initiative)
    return csv_response(
        filename=f"learning-objectives-{initiative.pk}.csv",
        header=_export_header(),
        rows=_export_rows(rows),
    )


@login_required
@require_GET
@audit.records_access()
def objectives_xlsx(request, pk):
    initiative = _facilitated(request, pk)
    _form, rows = _filtered(request, initiative)
    return xlsx_response(
        filename=f"learning-objectives-{initiative.pk}.xlsx",
        title=_("Learning objectives"),
        header=_export_header(),
        rows=_export_rows(rows),
    )


@login_required
@require_http_methods(["GET", "POST"])
def shared_objectives(request, pk):
    initiative = _facilitated(request, pk)
    form = ObjectiveForm(request.POST or None, initiative=initiative, with_progress=False)
    if request.method == "POST" and form.is_valid():
        services.add_objective(initiative=initiative, by=request.user, **form.objective_fields())
        messages.success(request, _("Peers can now adopt this objective."))
        return redirect("evaluation:shared_objectives", pk=initiative.pk)
    context = {
        "initiative": initiative,
        "form": form,
        "page": _page(request, queries.initiative_wide_objectives(initiative)),
    }
    return render(request, "evaluation/shared_objectives.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def categories(request, pk):
    initiative = _facilitated(request, pk)
    form = CategoryForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        services.add_category(initiative=initiative, by=request.user, **form.cleaned_data)
        messages.success(request, _("Peers can now choose this category."))
        return redirect("evaluation:categories", pk=initiative.pk)
    context = {
        "initiative": initiative,
        "form": form,
        "page": _page(request, queries.categories_of(initiative)),
    }
    return render(request, "evaluation/categories.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cadence(request, pk):
    initiative = _facilitated(request, pk)
    current = queries.cadence_of(initiative)
    form = CadenceForm(request.POST or None, initial={"every_days": current.every_days})
    if request.method == "POST" and form.is_valid():
        services.set_cadence(initiative=initiative, by=request.user, **form.cleaned_data)
        messages.success(request, _("The reflection prompts are set."))
        return redirect("evaluation:learning", pk=initiative.pk)
    return render(request, "evaluation/cadence.html", {"initiative": initiative, "form": form})


@login_required
@require_GET
def facilitator_reflections(request, pk):
    initiative = _facilitated(request, pk)
    rows = queries.reflections_for_facilitators(initiative)
    context = {"initiative": initiative, "page": _page(request, rows)}
    return render(request, "evaluation/facilitator_reflections.html", context)


# --- authorisers ---


@login_required
@require_GET
def authorised_objectives(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.AUTHORISER)
    rows = queries.objectives_authorised_by(initiative, request.user)
    context = {"initiative": initiative, "page": _page(request, rows)}
    return render(request, "evaluation/authorised_objectives.html", context)


# --- a peer's reflections ---


@login_required
@require_GET
def reflections(request, pk):
    initiative, membership = _own_membership(request, pk)
    context = {
        "initiative": initiative,
        "membership": membership,
        "page": _page(request, queries.reflections_for_peer(membership)),
    }
    return render(request, "evaluation/reflections.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_new(request, pk):
    initiative, membership = _own_membership(request, pk)
    form = ReflectionForm(
        request.POST or None,
        objectives=queries.objectives_of(membership),
        matches=queries.match_groups_of(membership),
    )
    if request.method == "POST" and form.is_valid():
        services.write_reflection(
            membership=membership, by=request.user, **form.reflection_fields()
        )
        messages.success(request, _("Your reflection is saved."))
        return redirect("evaluation:reflections", pk=initiative.pk)
    return render(
        request, "evaluation/reflection_form.html", {"initiative": initiative, "form": form}
    )


# --- dashboard ---


@dataclass(frozen=True)
class _Filtered:
    initiative: object
    form: object
    scope: object
    is_facilitator: bool


def _dashboard_scope(request, pk):
    """The initiative, the filter form and the scope it sets. Facilitators choose any home
    organisation or all; an authoriser sees one of their own, never another (404)."""
    initiative, roles = initiative_for(request.user, pk, Role.FACILITATOR, Role.AUTHORISER)
    is_facilitator = Role.FACILITATOR in roles
    data = request.GET.copy()
    if is_facilitator:
        organisations = queries.peer_organisations(initiative)
        default = None
    else:
        organisations = queries.organisations_authorised_by(initiative, request.user)
        own = {str(organisation.pk): organisation for organisation in organisations}
        chosen = data.get("organisation") or next(iter(own), None)
        if chosen not in own:
            raise Http404
        data["organisation"] = chosen
        default = own[chosen]
    form = DashboardFilterForm(
        data or None, organisations=organisations, limited=not is_facilitator
    )
    scope = Scope(initiative, default)
    if form.is_bound and form.is_valid():
        until = form.cleaned_data["until"]
        scope = Scope(
            initiative,
            form.cleaned_data["organisation"],
            start=form.cleaned_data["since"],
            end=until + datetime.timedelta(days=1) if until else None,
        )
    return _Filtered(initiative, form, scope, is_facilitator)


@login_required
@require_GET
def dashboard(request, pk):
    filtered = _dashboard_scope(request, pk)
    context = {
        "initiative": filtered.initiative,
        "form": filtered.form,
        "figures": _figures_shown(filtered),
        "is_facilitator": filtered.is_facilitator,
        "query": request.GET.urlencode(),
    }
    return render(request, "evaluation/dashboard.html", context)


def _figures_shown(filtered):
    """The dashboard's figures, charts and tables, as rendered at most
    DASHBOARD_CACHE_SECONDS ago for the same scope, kind of viewer and language."""
    scope = filtered.scope

    def rendered():
        context = {
            "initiative": filtered.initiative,
            "board": dashboard_figures.dashboard(scope, with_sources=filtered.is_facilitator),
            "is_facilitator": filtered.is_facilitator,
            "chart_query": dashboard_figures.scope_query(scope),
        }
        return render_to_string("evaluation/_dashboard_figures.html", context)

    key = dashboard_figures.scope_key(scope)
    return kept_a_while(
        filtered.initiative.pk,
        f"dashboard-page:{key}:{filtered.is_facilitator}:{get_language()}",
        settings.DASHBOARD_CACHE_SECONDS,
        rendered,
    )


def _export_name(filtered, extension):
    return f"evaluation-{filtered.initiative.pk}.{extension}"


@login_required
@require_GET
@audit.records_access()
def dashboard_csv(request, pk):
    filtered = _dashboard_scope(request, pk)
    board = dashboard_figures.dashboard(filtered.scope, with_sources=False)
    return csv_response(
        filename=_export_name(filtered, "csv"),
        header=dashboard_figures.export_header(),
        rows=dashboard_figures.export_rows(board),
    )


@login_required
@require_GET
@audit.records_access()
def dashboard_xlsx(request, pk):
    filtered = _dashboard_scope(request, pk)
    board = dashboard_figures.dashboard(filtered.scope, with_sources=False)
    return xlsx_response(
        filename=_export_name(filtered, "xlsx"),
        title=_("Evaluation"),
        header=dashboard_figures.export_header(),
        rows=dashboard_figures.export_rows(board),
    )


def _whole_number_axis(chart, values):
    """Ticks at whole numbers only: the figures are counts."""
    top = max([1, *values])
    step = max(1, math.ceil(top / 5))
    chart.range = (0, top)
    chart.y_labels = list(range(0, top + step, step))


def _svg(request, chart):
    """The chart as an image: its styles stay inside it, and pygal's script is dropped.
    A browser keeps it a minute, then asks again and gets "not modified" while the
    figures stay the same, so opening the dashboard again costs no chart bytes."""
    svg = re.sub(r"<script.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    # pygal names each drawing at random; an image is a document of its own, so one name
    # does for all, and the same figures give the same bytes.
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f-]{27}", "chart-figures", svg)
    etag = quote_etag(hashlib.md5(svg.encode(), usedforsecurity=False).hexdigest())
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        svg, content_type="image/svg+xml"
    )
    response.headers["ETag"] = etag
    patch_cache_control(response, private=True, max_age=60)
    return response


@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
@require_GET
def funnel_chart(request, pk):
    filtered = _dashboard_scope(request, pk)
    steps = dashboard_figures.funnel(
        filtered.scope, dashboard_figures.recent(filtered.scope).values
    )
    chart = pygal.HorizontalBar(
        show_legend=False,
        width=720,
        height=360,
        js=[],
        style=pygal.style.LightStyle,
        truncate_label=-1,
    )
    chart.title = _("Peers at each step of the chain")
    # A horizontal bar chart draws its first label at the bottom: reversed, the funnel
    # reads from the top.
    chart.x_labels = [str(step.label) for step in reversed(steps)]
    chart.add(_("Peers"), [step.value for step in reversed(steps)])
    _whole_number_axis(chart, [step.value for step in steps])
    return _svg(request, chart)


@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
@require_GET
def trend_chart(request, pk, dimension):
    if dimension not in Dimension.values:
        raise Http404
    filtered = _dashboard_scope(request, pk)
    series = dashboard_figures.recent(filtered.scope).series
    shown = dashboard_figures.trends(filtered.scope, [Dimension(dimension)], series=series)
    trend = shown[dimension]
    chart = pygal.Line(
        width=480,
        height=260,
        js=[],
        style=pygal.style.LightStyle,
        legend_at_bottom=True,
        x_label_rotation=30,
        truncate_label=-1,
        # Dots carry tooltips that need pygal's script (dropped): drawn only where a
        # line of one or two points would otherwise not show.
        show_dots=len(trend.periods) <= 2,
    )
    chart.title = str(Dimension(dimension).label)
    chart.x_labels = [period.short for period in trend.periods]
    for indicator, values in trend.lines:
        chart.add(str(indicator.label), values)
    _whole_number_axis(chart, [value for _indicator, values in trend.lines for value in values])
    return _svg(request, chart)


# --- self-assessments ---


def _round(round_):
    if round_ not in EvaluationPoint.Round.values:
        raise Http404
    return round_


@login_required
@require_GET
def self_assessment_timeline(request, pk):
    initiative = _facilitated(request, pk)
    context = {
        "initiative": initiative,
        "rounds": queries.timeline(initiative),
        "peers": initiative.memberships.peers().current().count(),
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/self_assessment_timeline.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_point(request, pk, round_):
    initiative = _facilitated(request, pk)
    point = queries.point_of(initiative, _round(round_)) or EvaluationPoint(
        initiative=initiative, round=round_
    )
    form = EvaluationPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        services.set_evaluation_point(
            initiative=initiative, round_=round_, by=request.user, **form.point_fields()
        )
        messages.success(request, _("The round's dates are saved."))
        return redirect("evaluation:self_assessment_timeline", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "point": point}
    return render(request, "evaluation/evaluation_point_form.html", context)


RESULT_ROWS_PER_PAGE = 50


def _results_readers(request, pk):
    """The initiative and the peers whose results the visitor may read: all of them for
    a facilitator, those of the organisations an authoriser authorises for."""
    initiative, roles = initiative_for(request.user, pk, Role.FACILITATOR, Role.AUTHORISER)
    if Role.FACILITATOR in roles:
        return initiative, initiative.memberships.peers().current(), True
    peers = Membership.objects.authorised_by(request.user).filter(initiative=initiative)
    return initiative, peers, False


@login_required
@require_GET
def self_assessment_results(request, pk):
    initiative, peers, is_facilitator = _results_readers(request, pk)
    results = queries.self_assessment_results(peers)
    context = {
        "initiative": initiative,
        "results": results,
        "page": Paginator(results.rows, RESULT_ROWS_PER_PAGE).get_page(request.GET.get("page")),
        "is_facilitator": is_facilitator,
    }
    return render(request, "evaluation/self_assessment_results.html", context)


# The chart is an image: its styles stay inside it, and pygal's script is dropped.
@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
@require_GET
def self_assessment_chart(request, pk):
    initiative, peers, _is_facilitator = _results_readers(request, pk)
    results = queries.self_assessment_results(peers)
    groups = [*results.organisations, results.overall]
    chart = pygal.Bar(show_legend=False, width=720, height=320, js=[], style=pygal.style.LightStyle)
    chart.title = _("Mean change from baseline to endline")
    chart.x_labels = [group.name for group in groups]
    chart.add(_("Mean change"), [group.mean_change for group in groups])
    svg = re.sub(r"<script.*?</script>", "", chart.render(is_unicode=True), flags=re.S)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_GET
@audit.records_access()
def self_assessment_csv(request, pk):
    initiative, peers, _is_facilitator = _results_readers(request, pk)
    header, rows = queries.results_export(queries.self_assessment_results(peers))
    return csv_response(filename=f"self-assessments-{initiative.pk}.csv", header=header, rows=rows)


@login_required
@require_GET
@audit.records_access()
def self_assessment_xlsx(request, pk):
    initiative, peers, _is_facilitator = _results_readers(request, pk)
    header, rows = queries.results_export(queries.self_assessment_results(peers))
    return xlsx_response(
        filename=f"self-assessments-{initiative.pk}.xlsx",
        title=_("Self-assessments"),
        header=header,
        rows=rows,
    )


@login_required
@require_GET
def self_assessments(request, pk):
    initiative, membership = _own_membership(request, pk)
    context = {
        "initiative": initiative,
        "rounds": queries.own_rounds(membership),
        "results": queries.self_assessment_results([membership]),
        "now": timezone.now(),
    }
    return render(request, "evaluation/self_assessments.html", context)


def _own_point(request, pk, round_):
    initiative, membership = _own_membership(request, pk)
    point = queries.point_of(initiative, _round(round_))
    if point is None:
        raise Http404
    return initiative, membership, point


def _round_forms(point, membership, response, data=None, draft=False, read_only=False):
    objectives = list(queries.objectives_of(membership).order_by("created_at", "pk"))
    questions = list(point.survey.questions.all())
    initial_ratings = SelfAssessmentForm.initial_from(objectives, queries.ratings_of(response))
    ratings = SelfAssessmentForm(
        data,
        objectives=objectives,
        draft=draft,
        read_only=read_only,
        initial=initial_ratings,
    )
    answers = SurveyForm(
        data,
        questions=questions,
        draft=draft,
        read_only=read_only,
        initial=initial_answers(questions, response, {}),
    )
    return ratings, answers


def _render_round(request, initiative, membership, point, forms=None, status=200):
    now = timezone.now()
    survey = point.survey
    response = survey.responses.filter(membership=membership).first()
    closed, not_open_yet = survey.is_closed(now), survey.not_open_yet(now)
    if forms is None:
        forms = _round_forms(point, membership, response, read_only=closed or not_open_yet)
    ratings, answers = forms
    context = {
        "initiative": initiative,
        "point": point,
        "survey": survey,
        "response": response,
        "ratings_form": ratings,
        "answers_form": answers,
        "closed": closed,
        "not_open_yet": not_open_yet,
        "has_errors": bool(ratings.errors or answers.errors),
    }
    return render(request, "evaluation/self_assessment_form.html", context, status=status)


@login_required
@require_GET
def self_assessment_round(request, pk, round_):
    initiative, membership, point = _own_point(request, pk, round_)
    return _render_round(request, initiative, membership, point)


def _posted(request, point, membership, draft):
    """The posted forms, or a redirect when the round is not open."""
    if not point.survey.is_open(timezone.now()):
        messages.error(request, _("The round is not open, so answers cannot be changed."))
        return None, redirect("evaluation:self_assessment_round", point.initiative_id, point.round)
    response = point.survey.responses.filter(membership=membership).first()
    return _round_forms(point, membership, response, data=request.POST, draft=draft), None


@login_required
@require_POST
def self_assessment_draft(request, pk, round_):
    initiative, membership, point = _own_point(request, pk, round_)
    forms, stop = _posted(request, point, membership, draft=True)
    if stop:
        return stop
    if point.survey.responses.submitted().filter(membership=membership).exists():
        messages.info(request, _("Your self-assessment is submitted; use Submit to change it."))
        return redirect("evaluation:self_assessment_round", initiative.pk, point.round)
    ratings, answers = forms
    if not all([ratings.is_valid(), answers.is_valid()]):
        return _render_round(request, initiative, membership, point, forms, status=400)
    services.save_self_assessment_draft(
        point=point, membership=membership, ratings=ratings.ratings(), answers=answers.answers()
    )
    messages.success(request, _("Your draft is saved. You can come back to it at any time."))
    return redirect("evaluation:self_assessment_round", initiative.pk, point.round)


@login_required
@require_POST
def self_assessment_submit(request, pk, round_):
    initiative, membership, point = _own_point(request, pk, round_)
    forms, stop = _posted(request, point, membership, draft=False)
    if stop:
        return stop
    ratings, answers = forms
    if not all([ratings.is_valid(), answers.is_valid()]):
        messages.error(request, _("Some answers are missing or need a correction."))
        return _render_round(request, initiative, membership, point, forms, status=400)
    services.submit_self_assessment(
        point=point,
        membership=membership,
        ratings=ratings.ratings(),
        answers=answers.answers(),
        questions=answers.questions,
    )
    messages.success(request, _("Thank you: your self-assessment is submitted."))
    return redirect("evaluation:self_assessments", initiative.pk)


# --- reports to authorisers ---


def _organisation_of(initiative, organisation_pk):
    """A home organisation with peers in `initiative` (else 404)."""
    return get_object_or_404(queries.reporting_organisations(initiative), pk=organisation_pk)


def _report_page(request, report, content, *, preview=False, reply_form=None):
    is_authoriser = Report.objects.authorised_by(request.user).filter(pk=report.pk).exists()
    context = {
        "report": report,
        "content": content,
        "body": report_body(content) if content else "",
        "preview": preview,
        "is_authoriser": is_authoriser,
        "reply_form": reply_form or (ReportReplyForm() if is_authoriser else None),
        "replies": list(report.replies.select_related("author")) if report.pk else [],
    }
    return render(request, "evaluation/reports/report.html", context)


@login_required
@require_GET
def reports(request, pk):
    initiative = _facilitated(request, pk)
    organisations = queries.organisations_to_report(initiative)
    rows = queries.reports_in(initiative)
    context = {
        "initiative": initiative,
        "schedule": queries.report_schedule_of(initiative),
        "organisations": organisations,
        "failed": rows.filter(status=Report.Status.FAILED),
        "page": _page(request, rows),
    }
    return render(request, "evaluation/reports/reports.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_schedule(request, pk):
    initiative = _facilitated(request, pk)
    current = queries.report_schedule_of(initiative)
    form = ReportScheduleForm(request.POST or None, initial={"cadence": current.cadence})
    if request.method == "POST" and form.is_valid():
        services.set_report_cadence(initiative=initiative, by=request.user, **form.cleaned_data)
        messages.success(request, _("The progress reports are set."))
        return redirect("evaluation:reports", pk=initiative.pk)
    context = {"initiative": initiative, "form": form}
    return render(request, "evaluation/reports/schedule.html", context)


@login_required
@require_GET
@audit.records_access("personal_data.view")
def report_preview(request, pk, organisation_pk):
    initiative = _facilitated(request, pk)
    organisation = _organisation_of(initiative, organisation_pk)
    schedule = queries.report_schedule_of(initiative)
    today = timezone.localdate()
    start, end = schedule.current_period(today, queries.stage_change_days(initiative))
    draft = Report(
        initiative=initiative, organisation=organisation, period_start=start, period_end=end
    )
    note = queries.open_notes(initiative).get(organisation.pk)
    content = build_content(
        initiative=initiative,
        organisation=organisation,
        start=start,
        end=end,
        note=note.text if note else "",
        previous=queries.previous_report(draft),
    )
    return _report_page(request, draft, content, preview=True)


@login_required
@require_http_methods(["GET", "POST"])
def report_note(request, pk, organisation_pk):
    initiative = _facilitated(request, pk)
    organisation = _organisation_of(initiative, organisation_pk)
    note = queries.open_notes(initiative).get(organisation.pk)
    form = ReportNoteForm(request.POST or None, initial={"text": note.text if note else ""})
    if request.method == "POST" and form.is_valid():
        services.write_report_note(
            initiative=initiative, organisation=organisation, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Your note will open the next report."))
        return redirect("evaluation:reports", pk=initiative.pk)
    context = {"initiative": initiative, "organisation": organisation, "form": form}
    return render(request, "evaluation/reports/note.html", context)


@login_required
@require_POST
def report_send_now(request, pk, organisation_pk):
    initiative = _facilitated(request, pk)
    organisation = _organisation_of(initiative, organisation_pk)
    if services.send_report_now(initiative=initiative, organisation=organisation, by=request.user):
        messages.success(request, _("The report is being built and sent."))
    else:
        messages.info(request, _("A report for these days has been sent already."))
    return redirect("evaluation:reports", pk=initiative.pk)


@login_required
@require_POST
def report_retry(request, pk, report_pk):
    initiative = _facilitated(request, pk)
    report = get_object_or_404(Report.objects.filter(initiative=initiative), pk=report_pk)
    if services.retry_report(report=report, by=request.user):
        messages.success(request, _("The report is being built again."))
    else:
        messages.info(request, _("That report has not failed."))
    return redirect("evaluation:reports", pk=initiative.pk)


@login_required
@require_GET
def my_reports(request):
    rows = queries.reports_for_authoriser(request.user)
    return render(request, "evaluation/reports/mine.html", {"page": _page(request, rows)})


def _readable_report(request, report_token):
    return get_object_or_404(
        Report.objects.readable_by(request.user).select_related("initiative", "organisation"),
        token=report_token,
    )


def _received_report(request, report_token):
    """A report the person receives as an authoriser (a facilitator: 403)."""
    report = _readable_report(request, report_token)
    if not Report.objects.authorised_by(request.user).filter(pk=report.pk).exists():
        raise PermissionDenied
    return report


@login_required
@require_GET
def report(request, report_token):
    report = _readable_report(request, report_token)
    response = _report_page(request, report, as_consented_now(report.content))
    audit.record_access(request, response, action="personal_data.view", target=report)
    return response


@login_required
@require_GET
def report_pdf(request, report_token):
    report = _readable_report(request, report_token)
    if not report.pdf:
        raise Http404
    consented = as_consented_now(report.content)
    if consented.get("reflections") != report.content.get("reflections"):
        # A peer withdrew their consent since it was built: the stored copy holds too much.
        response = HttpResponse(render_pdf(consented), content_type="application/pdf")
    else:
        stored = default_storage.open(report.pdf, "rb")
        response = FileResponse(stored, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="progress-report-{report.period_start:%Y-%m-%d}.pdf"'
    )
    audit.record_access(request, response, target=report)
    return response


@login_required
@require_POST
def report_acknowledge(request, report_token):
    report = _received_report(request, report_token)
    services.acknowledge_report(report=report, by=request.user)
    messages.success(request, _("Thank you: the facilitators can see you have read it."))
    return redirect("evaluation:report", report_token=report.token)


@login_required
@require_POST
def report_reply(request, report_token):
    report = _received_report(request, report_token)
    form = ReportReplyForm(request.POST)
    if form.is_valid():
        services.reply_to_report(report=report, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your reply is with the facilitators."))
        return redirect("evaluation:report", report_token=report.token)
    return _report_page(request, report, as_consented_now(report.content), reply_form=form)
