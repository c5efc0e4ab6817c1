"""Where stage 2 plugs into the road map: its tab, the peers' step and its gate check."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Role, Stage
from initiatives.road_map import Step, gate_check, next_step_provider, tab

from . import queries


@gate_check(Stage.SUSTAINED_CONTACT)
def matches_in_touch(initiative):
    silent = queries.silent_matches(initiative).count()
    if silent:
        yield ngettext(
            "%(count)d published match has no contact logged yet.",
            "%(count)d published matches have no contact logged yet.",
            silent,
        ) % {"count": silent}


@next_step_provider
def log_a_contact(memberships):
    peers = [
        m
        for m in memberships
        if m.role == Role.PEER and m.initiative.stage >= Stage.SUSTAINED_CONTACT
    ]
    if not peers:
        return
    matched = queries.matched_peers(peers)
    for membership in peers:
        if membership.pk in matched:
            yield (
                membership,
                Step(
                    gettext("Log a contact with your match."),
                    reverse("contact:log", args=[membership.initiative_id]),
                ),
            )


tab("contacts", _("Contacts"), "contact:index", stage=Stage.SUSTAINED_CONTACT, order=30)


# --- momentum ---


@gate_check(Stage.SUSTAINED_CONTACT)
def matches_not_quiet(initiative):
    quiet = queries.quiet_matches(initiative, timezone.localdate()).count()
    if quiet:
        yield ngettext(
            "%(count)d published match has gone quiet.",
            "%(count)d published matches have gone quiet.",
            quiet,
        ) % {"count": quiet}
    open_help = queries.open_help_requests(initiative).count()
    if open_help:
        yield ngettext(
            "%(count)d request for help is still open.",
            "%(count)d requests for help are still open.",
            open_help,
        ) % {"count": open_help}


tab("momentum", _("Momentum"), "contact:momentum", stage=Stage.SUSTAINED_CONTACT, order=31)
