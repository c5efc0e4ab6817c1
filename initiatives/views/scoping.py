"""Stage 0 for facilitators: the scoping workspace, learning goals, risks and the summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import initiative_for
from ..forms.scoping import LearningGoalsForm, RiskForm, section_form
from ..models import Risk, Role
from ..models.scoping import SECTIONS, SECTIONS_BY_SLUG, Progress
from ..services import scoping as scoping_services
from ..services.scoping import scoping_for

TOP_RISKS = 5


def _facilitated(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative


@login_required
@require_GET
def scoping_overview(request, pk):
    initiative = _facilitated(request, pk)
    scoping = scoping_for(initiative)
    sections = [
        {
            "section": section,
            "progress": scoping.progress(section),
            "unanswered": scoping.unanswered_questions(section),
            "url": section.get_absolute_url_for(initiative),
        }
        for section in SECTIONS
    ]
    risk_counts = dict(
        initiative.risks.values_list("status").annotate(count=Count("pk")).order_by()
    )
    context = {
        "initiative": initiative,
        "sections": sections,
        "answered": sum(row["progress"] == Progress.ANSWERED for row in sections),
        "learning_goals": scoping.chosen_learning_goals(),
        "open_risks": risk_counts.get(Risk.Status.OPEN, 0),
        "mitigated_risks": risk_counts.get(Risk.Status.MITIGATED, 0),
        "Progress": Progress,
    }
    return render(request, "initiatives/scoping/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scoping_section(request, pk, slug):
    initiative = _facilitated(request, pk)
    section = SECTIONS_BY_SLUG.get(slug)
    if section is None:
        raise Http404
    scoping = scoping_for(initiative)
    form = section_form(section, request.POST or None, instance=scoping)
    position = SECTIONS.index(section)
    following = SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None
    next_url = (
        reverse("initiatives:scoping_section", args=[initiative.pk, following.slug])
        if following
        else reverse("initiatives:learning_goals", args=[initiative.pk])
    )
    if request.method == "POST" and form.is_valid():
        scoping_services.save_scoping_section(form=form, by=request.user)
        messages.success(request, _("“%(section)s” has been saved.") % {"section": section.title})
        if request.GET.get("then") == "next":
            return redirect(next_url)
        return redirect("initiatives:scoping", pk=initiative.pk)
    context = {
        "initiative": initiative,
        "section": section,
        "form": form,
        "number": position + 1,
        "total": len(SECTIONS),
        "next_section": following,
        "next_url": next_url,
    }
    return render(request, "initiatives/scoping/section.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def learning_goals(request, pk):
    initiative = _facilitated(request, pk)
    scoping = scoping_for(initiative)
    form = LearningGoalsForm(request.POST or None, scoping=scoping)
    if request.method == "POST" and form.is_valid():
        scoping_services.choose_learning_goals(form=form, by=request.user)
        messages.success(request, _("The learning goals have been saved."))
        return redirect("initiatives:scoping", pk=initiative.pk)
    context = {"initiative": initiative, "form": form}
    return render(request, "initiatives/scoping/learning_goals.html", context)


@login_required
@require_GET
def scoping_summary(request, pk):
    initiative = _facilitated(request, pk)
    scoping = scoping_for(initiative)
    context = {
        "initiative": initiative,
        "answers": [(section, _answers(scoping, section)) for section in SECTIONS],
        "learning_goals": scoping.chosen_learning_goals(),
        "top_risks": initiative.risks.open().select_related("owner")[:TOP_RISKS],
    }
    return render(request, "initiatives/scoping/summary.html", context)


def _answers(scoping, section):
    return [
        (q, scoping.lines(q.field) if q.one_per_line else getattr(scoping, q.field).strip())
        for q in section.questions
    ]


@login_required
@require_GET
def risks(request, pk):
    initiative = _facilitated(request, pk)
    scoping_for(initiative)
    context = {
        "initiative": initiative,
        "risks": initiative.risks.select_related("owner"),
        "Status": Risk.Status,
    }
    return render(request, "initiatives/risks/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def add_risk(request, pk):
    initiative = _facilitated(request, pk)
    form = RiskForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        scoping_services.save_risk(form=form, by=request.user)
        messages.success(request, _("The risk has been added."))
        return redirect("initiatives:risks", pk=initiative.pk)
    return render(request, "initiatives/risks/form.html", {"initiative": initiative, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit_risk(request, pk, risk_pk):
    initiative = _facilitated(request, pk)
    risk = get_object_or_404(initiative.risks, pk=risk_pk)
    form = RiskForm(request.POST or None, instance=risk, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        scoping_services.save_risk(form=form, by=request.user)
        messages.success(request, _("The risk has been saved."))
        return redirect("initiatives:risks", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "risk": risk}
    return render(request, "initiatives/risks/form.html", context)


@login_required
@require_POST
def close_risk(request, pk, risk_pk):
    initiative = _facilitated(request, pk)
    risk = get_object_or_404(initiative.risks, pk=risk_pk)
    scoping_services.close_risk(risk=risk, by=request.user)
    messages.success(request, _("The risk has been closed."))
    return redirect("initiatives:risks", pk=initiative.pk)
