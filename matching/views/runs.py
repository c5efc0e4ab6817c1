"""The facilitator's Matching tab: start a run, adjust its proposal, publish it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from initiatives.access import initiative_for
from initiatives.models import Membership, Role

from .. import services
from ..forms import MoveMemberForm, RunSettingsForm, SwapMemberForm
from ..models import Match, MatchMember, MatchRun


def members_prefetch():
    return Prefetch(
        "members",
        queryset=MatchMember.objects.select_related(
            "membership__user", "membership__home_organisation", "membership__profile"
        ),
    )


def _initiative(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.FACILITATOR)
    return initiative


def _run(initiative, run_pk):
    return get_object_or_404(MatchRun, initiative=initiative, pk=run_pk)


def _match(initiative, match_pk):
    return get_object_or_404(
        Match.objects.select_related("run"), run__initiative=initiative, pk=match_pk
    )


def _member(initiative, member_pk):
    return get_object_or_404(
        MatchMember.objects.select_related("match__run"),
        match__run__initiative=initiative,
        pk=member_pk,
    )


def _index_page(request, initiative, form, status=200):
    context = {
        "initiative": initiative,
        "form": form,
        "runs": initiative.match_runs.select_related("created_by")[:20],
        "matchable": services.matchable_profiles(initiative).count(),
        "kept_apart": initiative.kept_apart.count(),
    }
    return render(request, "matching/index.html", context, status=status)


@login_required
@require_GET
def index(request, pk):
    initiative = _initiative(request, pk)
    return _index_page(request, initiative, RunSettingsForm())


@login_required
@require_POST
def start(request, pk):
    initiative = _initiative(request, pk)
    form = RunSettingsForm(request.POST)
    if not form.is_valid():
        return _index_page(request, initiative, form)
    run = services.start_run(initiative=initiative, by=request.user, settings=form.run_settings())
    messages.success(request, _("Matching has started."))
    return redirect(run)


def _run_page(request, initiative, run, error=""):
    matches = list(run.matches.prefetch_related(members_prefetch()))
    unmatched_ids = [item["membership"] for item in run.unmatched]
    people = Membership.objects.select_related("user", "home_organisation").in_bulk(unmatched_ids)
    unmatched = [(people.get(item["membership"]), item["reason"]) for item in run.unmatched]
    editable = run.status == MatchRun.Status.PROPOSED
    broken = services.broken_rules(run, matches) if editable else {}
    for match in matches:
        match.broken_rules = broken.get(match.pk, [])
    context = {
        "initiative": initiative,
        "run": run,
        "total_now": services.total_after_changes(run, matches),
        "matches": matches,
        "unmatched": unmatched,
        "editable": editable,
        "error": error,
    }
    return render(request, "matching/run.html", context)


@login_required
@require_GET
def run_detail(request, pk, run_pk):
    initiative = _initiative(request, pk)
    run = _run(initiative, run_pk)
    if request.htmx and run.is_working:
        return render(request, "matching/run.html#progress", {"initiative": initiative, "run": run})
    if request.htmx:
        return HttpResponseClientRefresh()
    return _run_page(request, initiative, run)


def _edit(request, change):
    try:
        change()
    except services.NotEditable as error:
        messages.error(request, str(error))


@login_required
@require_POST
def lock(request, pk, match_pk):
    initiative = _initiative(request, pk)
    match = _match(initiative, match_pk)
    _edit(request, lambda: services.set_locked(match=match, locked=True))
    return redirect(match.run)


@login_required
@require_POST
def unlock(request, pk, match_pk):
    initiative = _initiative(request, pk)
    match = _match(initiative, match_pk)
    _edit(request, lambda: services.set_locked(match=match, locked=False))
    return redirect(match.run)


@login_required
@require_POST
def move_member(request, pk, member_pk):
    initiative = _initiative(request, pk)
    member = _member(initiative, member_pk)
    run = member.match.run
    form = MoveMemberForm(request.POST, run=run, exclude=member.match)
    if not form.is_valid():
        return _run_page(request, initiative, run, error=_("Choose the match to move them to."))
    to_match = form.cleaned_data["to_match"]
    _edit(request, lambda: services.move_member(member=member, to_match=to_match))
    return redirect(run)


@login_required
@require_http_methods(["GET", "POST"])
def swap_member(request, pk, member_pk):
    initiative = _initiative(request, pk)
    member = _member(initiative, member_pk)
    run = member.match.run
    if request.method == "POST":
        form = SwapMemberForm(request.POST, member=member)
        if form.is_valid():
            other = form.cleaned_data["other"]
            _edit(request, lambda: services.swap_members(member=member, other=other))
            return redirect(run)
        messages.error(request, _("Choose someone in another match of this run."))
    matches = list(run.matches.prefetch_related(members_prefetch()))
    context = {"initiative": initiative, "run": run, "member": member, "matches": matches}
    return render(request, "matching/swap.html", context)


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    initiative = _initiative(request, pk)
    member = _member(initiative, member_pk)
    run = member.match.run
    _edit(request, lambda: services.remove_member(member=member))
    return redirect(run)


@login_required
@require_POST
def rerun(request, pk, run_pk):
    initiative = _initiative(request, pk)
    run = services.rerun(run=_run(initiative, run_pk), by=request.user)
    messages.success(request, _("Matching has started again; locked matches are kept."))
    return redirect(run)


@login_required
@require_POST
def publish(request, pk, run_pk):
    initiative = _initiative(request, pk)
    run = _run(initiative, run_pk)
    if run.status != MatchRun.Status.PROPOSED:
        messages.error(request, _("Only a proposal can be published."))
        return redirect(run)
    try:
        services.publish_matches(run=run, by=request.user)
    except services.NotEditable as error:
        messages.error(request, str(error))
        return redirect(run)
    messages.success(request, _("Matches published; peers have been told by email."))
    return redirect("matching:published", pk=initiative.pk)
