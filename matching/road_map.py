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


# --- personal data: records ---


@road_map.personal_records("matching", label=_("Your peer profile and matches"), order=20)
def matching_records(person):
    from surveys.profile import PROFILE_FIELDS

    from .models import PeerProfile

    profiles = road_map.records_from(
        PeerProfile.objects.filter(membership__user=person).select_related("membership"),
        title=lambda row: gettext("Peer profile"),
        fields=[field.name for field in PROFILE_FIELDS] + ["survey_completed_at"],
        initiative="membership.initiative_id",
    )
    members = MatchMember.objects.filter(membership__user=person).select_related("match__run")
    matches = [
        {
            "initiative_id": member.match.run.initiative_id,
            "title": gettext("Match"),
            "fields": {
                gettext("Status"): member.match.get_status_display(),
                gettext("Why you were matched"): list(member.match.reasons),
            },
            "files": [],
        }
        for member in members
    ]
    return profiles + matches


# --- personal data: erasure ---
road_map.anonymiser("matching", order=40)(personal_data.forget_person)
road_map.initiative_anonymiser("matching", order=40)(personal_data.anonymise_initiative)
