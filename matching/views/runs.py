"""The facilitator's Matching tab: start a run, adjust its proposal, publish it."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from initiatives.road_map import kept_a_while

from .. import queries, services
from ..forms import FindPeopleForm, MoveMemberForm, RunSettingsForm, SwapMemberForm
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
        "matchable": queries.matchable_profiles(initiative).count(),
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


MATCHES_PER_PAGE = 50
PEOPLE_PER_PAGE = 50


def _page(items, number, per_page):
    page = Paginator(items, per_page).get_page(number)
    page.object_list = list(page.object_list)
    return page


def _page_of_match(request, run):
    """The page that shows match number `?match=`, else the one asked for with `?page=`."""
    number = request.GET.get("match", "")
    if not number.isdigit():
        return request.GET.get("page")
    before = run.matches.filter(number__lt=int(number)).count()
    return before // MATCHES_PER_PAGE + 1


def run_at(match):
    """Where the run page shows `match`."""
    url = reverse("matching:run", args=[match.run.initiative_id, match.run_id])
    return f"{url}?match={match.number}#match-{match.number}"


def _run_page(request, initiative, run):
    matches = queries.matches_with_members(run)
    page = Paginator(matches, MATCHES_PER_PAGE).get_page(_page_of_match(request, run))
    editable = run.status == MatchRun.Status.PROPOSED
    unmatched_ids = [item["membership"] for item in run.unmatched]
    people = Membership.objects.select_related("user", "home_organisation").in_bulk(unmatched_ids)
    unmatched = [(people.get(item["membership"]), item["reason"]) for item in run.unmatched]
    context = {
        "initiative": initiative,
        "run": run,
        "total_now": queries.total_after_changes(run),
        "page": page,
        "too_small": queries.too_small(run) if editable else [],
        "unmatched": unmatched,
        "editable": editable,
    }
    if editable:
        _mark_problems(run, page)
    else:
        context["kept_matches"] = _kept_matches(request, context)
    return render(request, "matching/run.html", context)


def _mark_problems(run, page):
    page.object_list = list(page.object_list)
    broken = queries.broken_rules(run, page.object_list)
    for match in page.object_list:
        match.broken_rules = broken.get(match.pk, [])
        match.too_small = len(match.members.all()) < run.smallest_match


def _kept_matches(request, context):
    """The list of matches of a run no longer edited, as rendered a moment ago: it has no
    form, so it holds no CSRF token."""
    run = context["run"]
    asked = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    name = f"run-matches:{run.pk}:{get_language()}:{asked}"
    html = kept_a_while(
        run.initiative_id,
        name,
        settings.MATCH_RUN_CACHE_SECONDS,
        lambda: render_to_string("matching/run.html#matches", context, request),
    )
    return mark_safe(html)  # noqa: S308 (rendered by our own template, which escapes)


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
    _edit(request, lambda: services.set_locked(match=match, locked=True, by=request.user))
    return redirect(run_at(match))


@login_required
@require_POST
def unlock(request, pk, match_pk):
    initiative = _initiative(request, pk)
    match = _match(initiative, match_pk)
    _edit(request, lambda: services.set_locked(match=match, locked=False, by=request.user))
    return redirect(run_at(match))


def _choice_page(request, template, *, initiative, member, form, find, choices):
    """Where a facilitator picks where `member` goes, a page of `choices` at a time."""
    run = member.match.run
    context = {
        "initiative": initiative,
        "run": run,
        "member": member,
        "form": form,
        "find": find,
        "page": _page(choices, request.GET.get("page"), PEOPLE_PER_PAGE),
        "editable": run.status == MatchRun.Status.PROPOSED,
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def move_member(request, pk, member_pk):
    initiative = _initiative(request, pk)
    member = _member(initiative, member_pk)
    form = MoveMemberForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        to_match = form.cleaned_data["to_match"]
        _edit(
            request,
            lambda: services.move_member(member=member, to_match=to_match, by=request.user),
        )
        return redirect(run_at(to_match))
    find = FindPeopleForm(request.GET)
    targets = Match.objects.open_to(member).prefetch_related(members_prefetch())
    if find.text():
        targets = targets.with_member_named(find.text())
    return _choice_page(
        request,
        "matching/move.html",
        initiative=initiative,
        member=member,
        form=form,
        find=find,
        choices=targets,
    )


@login_required
@require_http_methods(["GET", "POST"])
def swap_member(request, pk, member_pk):
    initiative = _initiative(request, pk)
    member = _member(initiative, member_pk)
    form = SwapMemberForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        _edit(request, lambda: services.swap_members(member=member, other=other, by=request.user))
        return redirect(run_at(member.match))
    find = FindPeopleForm(request.GET)
    others = MatchMember.objects.swappable_with(member).select_related(
        "match", "membership__user", "membership__home_organisation", "membership__profile"
    )
    if find.text():
        others = others.named(find.text())
    return _choice_page(
        request,
        "matching/swap.html",
        initiative=initiative,
        member=member,
        form=form,
        find=find,
        choices=others.order_by("match__number", "membership__user__name", "pk"),
    )


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    initiative = _initiative(request, pk)
    member = _member(initiative, member_pk)
    back = run_at(member.match)
    _edit(request, lambda: services.remove_member(member=member, by=request.user))
    return redirect(back)


@login_required
@require_POST
def rerun(request, pk, run_pk):
    initiative = _initiative(request, pk)
    run = services.rerun(run=_run(initiative, run_pk), by=request.user)
    messages.success(request, _("Matching has started again; locked matches are kept."))
    return redirect(run)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk, run_pk):
    """GET asks to confirm (publishing emails every peer and cannot be undone); POST publishes."""
    initiative = _initiative(request, pk)
    run = _run(initiative, run_pk)
    if run.status != MatchRun.Status.PROPOSED:
        messages.error(request, _("Only a proposal can be published."))
        return redirect(run)
    refused = ""
    if request.method == "POST":
        try:
            services.publish_matches(run=run, by=request.user)
        except services.NotEditable as error:
            refused = str(error)
        else:
            messages.success(request, _("Matches published; peers have been told by email."))
            return redirect("matching:published", pk=initiative.pk)
    context = {
        "initiative": initiative,
        "run": run,
        "matches": run.matches.count(),
        "peers": queries.peers_to_tell(run),
        "too_small": queries.too_small(run),
        "refused": refused,
    }
    return render(request, "matching/publish.html", context)
