"""What a peer sees: their match once published."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from initiatives.access import initiative_for
from initiatives.models import Membership, Role

from ..models import Match, MatchMember


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
    context = {"initiative": initiative, "matches": matches}
    return render(request, "matching/my_match.html", context)


def _partners(membership):
    return Prefetch(
        "members",
        queryset=MatchMember.objects.exclude(membership=membership).select_related(
            "membership__user", "membership__home_organisation", "membership__profile"
        ),
        to_attr="partners",
    )
