"""What a peer sees: their match once published, and the check-in questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from initiatives.access import initiative_for
from initiatives.models import Membership, Role

from .. import services
from ..forms import CheckInForm
from ..models import Match, MatchCheckIn, MatchMember


def _own_membership(request, pk):
    initiative, _roles = initiative_for(request.user, pk, Role.PEER)
    membership = get_object_or_404(
        Membership.objects.current(), initiative=initiative, user=request.user, role=Role.PEER
    )
    return initiative, membership


@login_required
@require_GET
def my_match(request, pk):
    initiative, membership = _own_membership(request, pk)
    matches = (
        Match.objects.filter(members__membership=membership, status=Match.Status.PUBLISHED)
        .prefetch_related(
            _partners(membership),
        )
        .order_by("-run__published_at")
    )
    open_check_ins = MatchCheckIn.objects.filter(
        membership=membership, sent_at__isnull=False, answered_at__isnull=True
    )
    context = {"initiative": initiative, "matches": matches, "open_check_ins": open_check_ins}
    return render(request, "matching/my_match.html", context)


def _partners(membership):
    return Prefetch(
        "members",
        queryset=MatchMember.objects.exclude(membership=membership).select_related(
            "membership__user", "membership__home_organisation", "membership__profile"
        ),
        to_attr="partners",
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk, check_in_pk):
    initiative, membership = _own_membership(request, pk)
    check_in = get_object_or_404(
        MatchCheckIn, membership=membership, pk=check_in_pk, sent_at__isnull=False
    )
    form = CheckInForm(request.POST or None, instance=check_in)
    if request.method == "POST" and form.is_valid():
        services.answer_check_in(check_in=check_in, **form.cleaned_data)
        messages.success(request, _("Thank you. Your facilitators will read your answer."))
        return redirect("matching:my_match", pk=initiative.pk)
    context = {"initiative": initiative, "check_in": check_in, "form": form}
    return render(request, "matching/check_in.html", context)
