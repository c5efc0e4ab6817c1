"""Where stage 2 plugs into the road map: its tab, the peers' step and its gate check."""

from django.urls import reverse
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

# --- library ---

tab("library", _("Library"), "contact:library", stage=Stage.SUSTAINED_CONTACT, order=35)
