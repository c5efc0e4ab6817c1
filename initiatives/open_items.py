"""Open items of the first two stages that the foundation itself can see."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Membership, Stage
from .stages import register_check


@register_check(Stage.SCOPING)
def initiative_described(initiative):
    if not initiative.description.strip():
        yield _("The initiative has no description yet.")
    if not initiative.reform_areas:
        yield _("No reform area has been chosen.")
    if not initiative.starts_on:
        yield _("No start date has been set.")


@register_check(Stage.FOUNDATION)
def people_on_board(initiative):
    memberships = initiative.memberships.current()
    peers = memberships.peers()
    if not peers.exists():
        yield _("No peer has been invited.")
        return
    waiting = peers.filter(status=Membership.Status.INVITED).count()
    if waiting:
        yield ngettext(
            "%(count)d invited peer has not accepted yet.",
            "%(count)d invited peers have not accepted yet.",
            waiting,
        ) % {"count": waiting}
    uncovered = (
        peers.exclude(home_organisation=None)
        .exclude(home_organisation__in=memberships.authorised_organisation_ids())
        .values("home_organisation")
        .distinct()
        .count()
    )
    if uncovered:
        yield ngettext(
            "%(count)d home organisation has no authoriser.",
            "%(count)d home organisations have no authoriser.",
            uncovered,
        ) % {"count": uncovered}
