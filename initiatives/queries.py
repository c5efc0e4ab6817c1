"""Reads that span models, for views and services of the core and stages 0 and 1."""

from django.db.models import Count

from .models import Attendance, Membership, PeerContract, Role, Scoping


def existing_scoping(initiative):
    """The initiative's scoping, or an unsaved empty one (reading never creates it)."""
    return Scoping.objects.filter(initiative=initiative).first() or Scoping(initiative=initiative)


def contract_or_none(membership):
    """The peer's contract, or None before they have one (no query when it is fetched)."""
    try:
        return membership.peer_contract
    except PeerContract.DoesNotExist:
        return None


# --- indicators ---


def peers_invited(scope):
    return scope.within(scope.peers(), "created_at").count()


def peers_invited_per_month(scope):
    return scope.per_month(scope.peers(), "created_at")


def _accepted(scope):
    return scope.peers().filter(status=Membership.Status.ACTIVE)


def peers_accepted(scope):
    return scope.within(_accepted(scope), "joined_at").count()


def peers_accepted_per_month(scope):
    return scope.per_month(_accepted(scope), "joined_at")


def peers_attended(scope):
    present = Attendance.objects.filter(event__initiative=scope.initiative, present=True)
    return scope.count_peers(scope.within(present, "event__starts_at"))


def _signed(scope):
    return PeerContract.objects.signed().filter(membership__initiative=scope.initiative)


def contracts_signed(scope):
    return scope.count_peers(scope.within(_signed(scope), "signed_at"))


def contracts_signed_per_month(scope):
    signed = _signed(scope).filter(membership__role=Role.PEER)
    signed = signed.exclude(membership__status=Membership.Status.WITHDRAWN)
    return scope.per_month(scope.of_peers(signed), "signed_at")


def authorised_summary(user):
    """How many peers `user` authorises, per initiative and home organisation: an
    authoriser of a large ministry sees a few lines here and the names page by page on
    each initiative's page."""
    return (
        Membership.objects.authorised_by(user)
        .values("initiative_id", "initiative__title", "home_organisation__name")
        .annotate(people=Count("pk"))
        .order_by("initiative__title", "initiative_id", "home_organisation__name")
    )
