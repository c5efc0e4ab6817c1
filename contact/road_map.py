"""Where stage 2 plugs into the road map: its tab, the peers' step and its gate check."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership, Role, Stage
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


# --- exchanges ---


@next_step_provider
def read_new_posts(memberships):
    peers = [m for m in memberships if m.role == Role.PEER and m.status == Membership.Status.ACTIVE]
    if not peers:
        return
    counts = queries.unread_counts(peers)
    for membership in peers:
        (in_conversation, match_id), on_board = counts[membership.pk]
        if in_conversation:
            yield (
                membership,
                Step(
                    ngettext(
                        "%(count)d new post in your match conversation.",
                        "%(count)d new posts in your match conversation.",
                        in_conversation,
                    )
                    % {"count": in_conversation},
                    reverse("contact:conversation", args=[membership.initiative_id, match_id]),
                ),
            )
        if on_board:
            yield (
                membership,
                Step(
                    ngettext(
                        "%(count)d new post on the board.",
                        "%(count)d new posts on the board.",
                        on_board,
                    )
                    % {"count": on_board},
                    reverse("contact:board", args=[membership.initiative_id]),
                ),
            )


tab("exchanges", _("Exchanges"), "contact:exchanges", stage=Stage.SUSTAINED_CONTACT, order=31)
