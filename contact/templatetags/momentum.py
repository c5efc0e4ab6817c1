"""The peer's controls on their contacts page: ask for help, pause reminders."""

from django import template
from django.utils import timezone

from .. import queries
from ..forms import PauseNudgesForm

register = template.Library()


@register.inclusion_tag("contact/momentum_peer_controls.html")
def nudge_controls(membership):
    return {
        "membership": membership,
        "pause": queries.pause_of(membership, timezone.localdate()),
        "form": PauseNudgesForm(),
    }
