"""Where matching plugs into the road map: its gate checks, peers' next steps and tabs.
(The survey's step, check and tab are surveys' own, in surveys/road_map.py.)"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Role, Stage
from initiatives.road_map import Step, fixed_at, gate_check, next_step_provider, tab

from . import personal_data, queries
from .models import Match, MatchMember


@gate_check(Stage.FOUNDATION)
def peers_matched(initiative):
    published = Match.objects.filter(
        run__initiative=initiative, status__in=[Match.Status.PUBLISHED, Match.Status.ENDED]
    )
    if not published.exists():
        yield fixed_at(
            gettext("No matches have been published to peers yet."), "matching:index", initiative
        )


def _peers(memberships):
    return [m for m in memberships if m.role == Role.PEER]


@next_step_provider
def see_your_match(memberships):
    matched = set(
        MatchMember.objects.filter(
            membership__in=_peers(memberships), match__status=Match.Status.PUBLISHED
        ).values_list("membership_id", flat=True)
    )
    for membership in memberships:
        if membership.pk in matched:
            yield (
                membership,
                Step(
                    gettext("See who you are matched with."),
                    reverse("matching:my_match", args=[membership.initiative_id]),
                ),
            )


tab("matching", _("Matching"), "matching:index", stage=Stage.FOUNDATION, order=22)


# --- indicators ---

road_map.indicator(
    "peers_matched",
    label=_("Peers matched"),
    definition=_(
        "Peers in a match published to them (or since ended), by the day its run was "
        "published; each peer counts once."
    ),
    objective=road_map.ChainObjective.ENGAGEMENT,
    funnel=30,
    source="matching:index",
)(queries.peers_matched)


# --- personal data: erasure ---
road_map.anonymiser("matching", order=40)(personal_data.forget_person)
road_map.initiative_anonymiser("matching", order=40)(personal_data.anonymise_initiative)
