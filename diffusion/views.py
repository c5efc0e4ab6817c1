"""Stage 4 pages: peers plan and record how they share what they learned; facilitators
and authorisers follow it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from peerlearn import audit
from peerlearn.models import Organisation
from peerlearn.spreadsheets import csv_response, xlsx_response

from . import queries, services
from .forms import (
    ChangeStoryForm,
    CommitmentForm,
    CommunityForm,
    RecordReportBackForm,
    ReportBackFilterForm,
    ReportBackForm,
    SharingItemForm,
    VerifyStoryForm,
)

PER_PAGE = 50


def _own_membership(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = get_object_or_404(
        Membership.objects.current(), initiative=initiative, user=request.user, role=Role.PEER
    )
    return initiative, membership


def _facilitated(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


# --- the peer's page and plan ---


@login_required
@require_GET
def mine(request, pk):
    initiative, membership = _own_membership(request, pk)
    context = {
        "initiative": initiative,
        "plan": queries.plan_of(membership),
        "commitment": queries.commitment_of(membership),
        "page": _page(request, queries.report_backs_of(membership)),
    }
    return render(request, "diffusion/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_add(request, pk):
    initiative, membership = _own_membership(request, pk)
    form = SharingItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_sharing_item(membership=membership, by=request.user, **form.cleaned_data)
        messages.success(request, _("Added to your sharing plan."))
        return redirect("diffusion:mine", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "title": _("Plan how you will share")}
    return render(request, "diffusion/plan_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_item(request, pk, plan_item_pk):
    initiative, membership = _own_membership(request, pk)
    item = get_object_or_404(queries.plan_of(membership), pk=plan_item_pk)
    form = SharingItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.change_sharing_item(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your sharing plan is updated."))
        return redirect("diffusion:mine", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "title": _("Change a plan item")}
    return render(request, "diffusion/plan_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_back_add(request, pk):
    initiative, membership = _own_membership(request, pk)
    form = ReportBackForm(request.POST or None, plan=queries.plan_of(membership))
    if request.method == "POST" and form.is_valid():
        services.record_report_back(membership=membership, by=request.user, **form.cleaned_data)
        messages.success(request, _("Report-back recorded. Thank you for sharing."))
        return redirect("diffusion:mine", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "back": "diffusion:mine"}
    return render(request, "diffusion/report_back_form.html", context)


# --- plans, for facilitators and authorisers ---


@login_required
@require_GET
def index(request, pk):
    initiative, roles = initiative_for(request.user, pk, Role.FACILITATOR, Role.AUTHORISER)
    if Role.FACILITATOR in roles:
        items = queries.plans_in(initiative)
    else:
        items = queries.plans_authorised_by(initiative, request.user)
    context = {
        "initiative": initiative,
        "is_facilitator": Role.FACILITATOR in roles,
        "page": _page(request, items),
    }
    return render(request, "diffusion/index.html", context)


# --- report-backs, for facilitators ---


def _home_organisations(initiative):
    return (
        Organisation.objects.filter(memberships__initiative=initiative, memberships__role=Role.PEER)
        .distinct()
        .order_by("name")
    )


def _filtered(request, initiative):
    form = ReportBackFilterForm(request.GET or None, organisations=_home_organisations(initiative))
    return form, queries.report_backs_in(initiative, **form.filters())


@login_required
@require_GET
def report_backs(request, pk):
    initiative = _facilitated(request, pk)
    form, report_backs = _filtered(request, initiative)
    context = {"initiative": initiative, "form": form, "page": _page(request, report_backs)}
    return render(request, "diffusion/report_backs.html", context)


def _export_header():
    return [
        _("Date"),
        _("Peer"),
        _("Home organisation"),
        _("Format"),
        _("Title"),
        _("Summary"),
        _("People in the audience"),
        _("Colleagues reached"),
        _("Names of colleagues reached"),
        _("Plan item"),
    ]


def _export_rows(report_backs):
    for report_back in report_backs:
        membership = report_back.membership
        yield [
            report_back.held_on.isoformat(),
            membership.user.name or membership.user.email,
            membership.home_organisation.name if membership.home_organisation else "",
            report_back.get_format_display(),
            report_back.title,
            report_back.summary,
            report_back.audience_size,
            report_back.colleagues_reached,
            report_back.colleague_names,
            report_back.plan_item.what if report_back.plan_item else "",
        ]


@login_required
@require_GET
@audit.records_access()
def report_backs_csv(request, pk):
    initiative = _facilitated(request, pk)
    _form, report_backs = _filtered(request, initiative)
    return csv_response(
        filename=f"report-backs-{initiative.pk}.csv",
        header=_export_header(),
        rows=_export_rows(report_backs),
    )


@login_required
@require_GET
@audit.records_access()
def report_backs_xlsx(request, pk):
    initiative = _facilitated(request, pk)
    _form, report_backs = _filtered(request, initiative)
    return xlsx_response(
        filename=f"report-backs-{initiative.pk}.xlsx",
        title=_("Report-backs"),
        header=_export_header(),
        rows=_export_rows(report_backs),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_back_record(request, pk):
    initiative = _facilitated(request, pk)
    form = RecordReportBackForm(
        request.POST or None,
        peers=queries.current_peers(initiative),
        plan=queries.plans_in(initiative),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = data.pop("membership")
        services.record_report_back(membership=membership, by=request.user, **data)
        messages.success(request, _("Report-back recorded."))
        return redirect("diffusion:report_backs", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "back": "diffusion:report_backs"}
    return render(request, "diffusion/report_back_form.html", context)


# --- stories of change ---


def _story_reader(request, pk):
    return initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR, Role.AUTHORISER)


@login_required
@require_GET
def stories(request, pk):
    initiative, roles = _story_reader(request, pk)
    context = {
        "initiative": initiative,
        "is_facilitator": Role.FACILITATOR in roles,
        "may_write": bool(roles & {Role.PEER, Role.FACILITATOR}),
        "page": _page(request, queries.stories_for(initiative, request.user, roles)),
    }
    return render(request, "diffusion/stories.html", context)


@login_required
@require_GET
def story(request, pk, story_pk):
    initiative, roles = _story_reader(request, pk)
    found = get_object_or_404(queries.stories_for(initiative, request.user, roles), pk=story_pk)
    context = {
        "initiative": initiative,
        "story": found,
        "may_verify": Role.FACILITATOR in roles,
    }
    return render(request, "diffusion/story.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_add(request, pk):
    initiative, roles = initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR)
    peers = queries.current_peers(initiative)
    form = ChangeStoryForm(
        request.POST or None,
        peers=peers,
        initial={"peers": peers.filter(user=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        written = services.write_story(
            initiative=initiative, by=request.user, peers=data.pop("peers"), **data
        )
        messages.success(request, _("Story saved."))
        return redirect(written)
    return render(request, "diffusion/story_form.html", {"initiative": initiative, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def story_verify(request, pk, story_pk):
    initiative = _facilitated(request, pk)
    found = get_object_or_404(initiative.change_stories, pk=story_pk)
    initial = {"name": found.verified_by_name, "role": found.verified_by_role}
    form = VerifyStoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.verify_story(story=found, by=request.user, **form.cleaned_data)
        messages.success(request, _("The story is marked as verified."))
        return redirect(found)
    context = {"initiative": initiative, "story": found, "form": form}
    return render(request, "diffusion/story_verify.html", context)


# --- home commitments ---


def _commitments_reader(request, pk):
    return initiative_for(request.user, pk, Role.FACILITATOR, Role.AUTHORISER)


@login_required
@require_GET
def commitments(request, pk):
    initiative, roles = _commitments_reader(request, pk)
    peers = queries.commitments_for(initiative, request.user, roles)
    context = {
        "initiative": initiative,
        "is_facilitator": Role.FACILITATOR in roles,
        "is_authoriser": Role.AUTHORISER in roles,
        "page": _page(request, peers),
    }
    return render(request, "diffusion/commitments.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commitment(request, pk, membership_pk):
    initiative, roles = _commitments_reader(request, pk)
    peers = queries.commitments_for(initiative, request.user, roles)
    membership = get_object_or_404(peers, pk=membership_pk)
    current = queries.commitment_of(membership)
    form = CommitmentForm(
        request.POST or None,
        instance=current,
        initial=None if current else {"mandate": queries.mandate_from_contract(membership)},
    )
    if request.method == "POST" and form.is_valid():
        services.set_commitment(membership=membership, by=request.user, **form.cleaned_data)
        messages.success(request, _("The home organisation's commitment is saved."))
        return redirect("diffusion:commitments", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "peer": membership}
    return render(request, "diffusion/commitment_form.html", context)


@login_required
@require_POST
def commitment_countersign(request, pk, membership_pk):
    initiative, _roles = initiative_for(request.user, pk, Role.AUTHORISER)
    peers = queries.commitments_for(initiative, request.user, {Role.AUTHORISER})
    membership = get_object_or_404(peers.exclude(home_commitment=None), pk=membership_pk)
    services.countersign_commitment(commitment=membership.home_commitment, by=request.user)
    messages.success(request, _("You countersigned the commitment."))
    return redirect("diffusion:commitments", pk=initiative.pk)


# --- local communities of practice ---


@login_required
@require_GET
def communities(request, pk):
    initiative, roles = _story_reader(request, pk)
    context = {
        "initiative": initiative,
        "is_facilitator": Role.FACILITATOR in roles,
        "may_add": bool(roles & {Role.PEER, Role.FACILITATOR}),
        "page": _page(request, queries.communities_in(initiative)),
    }
    return render(request, "diffusion/communities.html", context)


def _community_form(request, initiative, instance=None):
    return CommunityForm(
        request.POST or None,
        instance=instance,
        peers=queries.current_peers(initiative),
        organisations=_home_organisations(initiative),
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_add(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR)
    form = _community_form(request, initiative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_community(
            initiative=initiative, by=request.user, peers=data.pop("peers"), **data
        )
        messages.success(request, _("Community added."))
        return redirect("diffusion:communities", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "title": _("Add a local community")}
    return render(request, "diffusion/community_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def community(request, pk, community_pk):
    """Its creator or a facilitator changes a community."""
    initiative, roles = initiative_for(request.user, pk, Role.PEER, Role.FACILITATOR)
    found = get_object_or_404(initiative.communities, pk=community_pk)
    if Role.FACILITATOR not in roles and found.created_by_id != request.user.pk:
        raise PermissionDenied
    form = _community_form(request, initiative, instance=found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.change_community(community=found, by=request.user, peers=data.pop("peers"), **data)
        messages.success(request, _("Community updated."))
        return redirect("diffusion:communities", pk=initiative.pk)
    context = {"initiative": initiative, "form": form, "title": found.name}
    return render(request, "diffusion/community_form.html", context)
