"""What a peer or authoriser is asked to do next; stage modules register their steps."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Membership

_providers = []


@dataclass(frozen=True)
class Step:
    text: str
    url: str = ""
    post: bool = False


def register(provider):
    """Decorator: `provider(membership)` yields Steps for that membership."""
    _providers.append(provider)
    return provider


def next_steps(membership):
    return [step for provider in _providers for step in provider(membership)]


@register
def confirm_participation(membership):
    if membership.status == Membership.Status.INVITED:
        yield Step(
            _("Confirm that you take part in %(initiative)s.")
            % {"initiative": membership.initiative},
            reverse("initiatives:join", args=[membership.pk]),
            post=True,
        )
