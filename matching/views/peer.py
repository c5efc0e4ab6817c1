"""What a peer sees: their match once published."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from initiatives.access import initiative_for
from initiatives.models import Membership, Role
from privacy.models import ConsentKind
from privacy.queries import consenting

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
    matches = list(matches)
    partners = [member.membership.user_id for match in matches for member in match.partners]
    sharing = consenting(partners, ConsentKind.ANSWERS_TO_MATCHES)
    for match in matches:
        # The reasons quote every member's answers: shown only if all partners agree.
        match.reasons_shown = all(m.membership.user_id in sharing for m in match.partners)
    context = {"initiative": initiative, "matches": matches, "sharing": sharing}
    return render(request, "matching/my_match.html", context)


def _partners(membership):
    return Prefetch(
        "members",
        queryset=MatchMember.objects.exclude(membership=membership).select_related(
            "membership__user", "membership__home_organisation", "membership__profile"
        ),
        to_attr="partners",
    )
