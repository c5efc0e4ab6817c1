"""The survey's step on a peer's home page."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.models import Role
from initiatives.next_steps import Step, register


def _related(instance, name):
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


@register
def complete_survey(membership):
    if membership.role != Role.PEER:
        return
    survey = _related(membership.initiative, "survey")
    if survey is None or not survey.is_open(timezone.now()):
        return
    profile = _related(membership, "profile")
    if profile is not None and profile.survey_completed_at:
        return
    yield Step(
        _("Complete the pre-event survey"),
        reverse("matching:survey", args=[membership.initiative_id]),
    )
