"""Reads of the personal-data app."""

from django.db.models import F

from initiatives.models import Initiative

from .models import ErasureConfirmation, ErasureRequest


def open_request_of(person):
    return ErasureRequest.objects.open().filter(person=person).first()


def latest_request_of(person):
    return ErasureRequest.objects.filter(person=person).order_by("-asked_at").first()


def initiatives_to_confirm(person):
    """The initiatives whose facilitators would confirm `person`'s erasure."""
    return Initiative.objects.filter(memberships__user=person).distinct().order_by("title")


def confirmations_of(initiative):
    """The initiative's erasure requests, the waiting ones first (oldest deadline first)."""
    return (
        ErasureConfirmation.objects.filter(initiative=initiative)
        .select_related("request__person", "confirmed_by")
        .order_by(F("confirmed_at").asc(nulls_first=True), "request__confirm_by", "pk")
    )
