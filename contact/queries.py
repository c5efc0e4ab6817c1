"""Reads of stage 2: a peer's match partners and contacts, an initiative's contacts."""

from django.db.models import Exists, OuterRef, Prefetch

from initiatives.models import Membership
from matching.models import Match, MatchMember

from .models import Contact, ContactParticipant


def published_matches_of(membership):
    return Match.objects.filter(members__membership=membership, status=Match.Status.PUBLISHED)


def partners_of(membership):
    """The memberships sharing a published match with `membership`, by name."""
    return (
        Membership.objects.current()
        .filter(match_memberships__match__in=published_matches_of(membership))
        .exclude(pk=membership.pk)
        .select_related("user")
        .distinct()
        .order_by("user__name", "user__email")
    )


def match_of(membership, partners):
    """The published match of `membership` shared with the most of `partners`."""
    matches = published_matches_of(membership).prefetch_related("members")
    return max(
        matches,
        key=lambda match: sum(
            m.membership_id in {p.pk for p in partners} for m in match.members.all()
        ),
        default=None,
    )


def _participants():
    return Prefetch(
        "participants",
        queryset=ContactParticipant.objects.select_related(
            "membership__user", "membership__home_organisation"
        ),
    )


def contacts_of(membership):
    """The contacts `membership` took part in, newest first, with everyone's status."""
    return (
        Contact.objects.filter(participants__membership=membership)
        .select_related("match", "host_organisation", "logged_by")
        .prefetch_related(_participants())
    )


def contacts_in(
    initiative, *, kind="", organisation=None, match_number=None, since=None, until=None
):
    """The initiative's contacts, newest first, narrowed by the facilitator's filters."""
    contacts = Contact.objects.filter(initiative=initiative)
    if kind:
        contacts = contacts.filter(kind=kind)
    if organisation is not None:
        took_part = ContactParticipant.objects.filter(
            contact=OuterRef("pk"), membership__home_organisation=organisation
        )
        contacts = contacts.filter(Exists(took_part))
    if match_number is not None:
        contacts = contacts.filter(match__number=match_number)
    if since is not None:
        contacts = contacts.filter(happened_on__gte=since)
    if until is not None:
        contacts = contacts.filter(happened_on__lte=until)
    return contacts.select_related("match", "host_organisation", "logged_by").prefetch_related(
        _participants()
    )


def silent_matches(initiative):
    """Published matches of the initiative with no contact logged yet."""
    return Match.objects.filter(
        run__initiative=initiative, status=Match.Status.PUBLISHED, contacts__isnull=True
    )


def matched_peers(memberships):
    """Ids of `memberships` that are in a published match."""
    return set(
        MatchMember.objects.filter(
            membership__in=memberships, match__status=Match.Status.PUBLISHED
        ).values_list("membership_id", flat=True)
    )
