"""Reads that span models, for views and services of the core and stages 0 and 1."""

from .models import PeerContract, Scoping


def existing_scoping(initiative):
    """The initiative's scoping, or an unsaved empty one (reading never creates it)."""
    return Scoping.objects.filter(initiative=initiative).first() or Scoping(initiative=initiative)


def contract_or_none(membership):
    """The peer's contract, or None before they have one (no query when it is fetched)."""
    try:
        return membership.peer_contract
    except PeerContract.DoesNotExist:
        return None
