"""Published matches: follow them, end them, export them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peerlearn import audit
from peerlearn.spreadsheets import csv_response, xlsx_response

from .. import services
from ..forms import EndMatchForm
from ..models import Match
from .runs import _initiative, _match, _run, members_prefetch


@login_required
@require_GET
def published(request, pk):
    initiative = _initiative(request, pk)
    matches = (
        Match.objects.filter(
            run__initiative=initiative, status__in=[Match.Status.PUBLISHED, Match.Status.ENDED]
        )
        .select_related("run")
        .prefetch_related(members_prefetch())
        .order_by("-status", "-run__published_at", "number")  # live matches first
    )
    context = {"initiative": initiative, "matches": matches}
    return render(request, "matching/published.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def end_match(request, pk, match_pk):
    initiative = _initiative(request, pk)
    match = _match(initiative, match_pk)
    if match.status != Match.Status.PUBLISHED:
        messages.error(request, _("Only a published match can be ended."))
        return redirect("matching:published", pk=initiative.pk)
    form = EndMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.end_match(match=match, by=request.user, **form.cleaned_data)
        messages.success(request, _("The match has ended."))
        return redirect("matching:published", pk=initiative.pk)
    members = match.members.select_related("membership__user")
    context = {"initiative": initiative, "match": match, "members": members, "form": form}
    return render(request, "matching/end_match.html", context)


HEADER = ["group", "email", "name", "organisation", "score", "reasons"]


def export_rows(run):
    matches = run.matches.prefetch_related(members_prefetch())
    for match in matches:
        for member in match.members.all():
            user = member.membership.user
            organisation = member.membership.home_organisation
            row = [
                match.number,
                user.email,
                user.name,
                str(organisation or ""),
                round(match.score, 3),
                "; ".join(match.reason_sentences),
            ]
            yield row


@login_required
@require_GET
@audit.records_access()
def export_csv(request, pk, run_pk):
    run = _run(_initiative(request, pk), run_pk)
    return csv_response(filename=f"matches-{run.pk}.csv", header=HEADER, rows=export_rows(run))


@login_required
@require_GET
@audit.records_access()
def export_xlsx(request, pk, run_pk):
    run = _run(_initiative(request, pk), run_pk)
    return xlsx_response(
        filename=f"matches-{run.pk}.xlsx", title="Matches", header=HEADER, rows=export_rows(run)
    )
