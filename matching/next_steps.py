"""A peer's next steps: the survey, then their match (read from prefetched rows where the
page has them)."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.models import Role
from initiatives.next_steps import Step, register

from .models import Match


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


@register
def see_your_match(membership):
    seats = membership.match_memberships.all()
    if any(seat.match.status == Match.Status.PUBLISHED for seat in seats):
        yield Step(
            _("See who you are matched with."),
            reverse("matching:my_match", args=[membership.initiative_id]),
        )


@register
def rate_your_match(membership):
    for check_in in membership.match_check_ins.all():
        if check_in.sent_at and not check_in.answered_at:
            yield Step(
                _("Rate your match."),
                reverse("matching:check_in", args=[membership.initiative_id, check_in.pk]),
            )
            return
