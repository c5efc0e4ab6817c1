"""Where matching plugs into the road map: its gate checks, peers' next steps and tabs."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Role, Stage
from initiatives.road_map import Step, gate_check, next_step_provider, tab

from .models import Match, MatchCheckIn, MatchMember, PeerProfile, Survey


@gate_check(Stage.FOUNDATION)
def peers_matched(initiative):
    published = Match.objects.filter(
        run__initiative=initiative, status__in=[Match.Status.PUBLISHED, Match.Status.ENDED]
    )
    if not published.exists():
        yield gettext("No matches have been published to peers yet.")


@gate_check(Stage.FOUNDATION)
def survey_answered(initiative):
    survey = Survey.objects.filter(initiative=initiative).first()
    if survey is None:
        yield gettext("The pre-event survey has not been set up.")
        return
    peers = initiative.memberships.peers().current()
    submitted = survey.responses.submitted().filter(membership=OuterRef("pk"))
    missing = peers.exclude(Exists(submitted)).count()
    if missing:
        yield ngettext(
            "%(count)d peer has not submitted the pre-event survey.",
            "%(count)d peers have not submitted the pre-event survey.",
            missing,
        ) % {"count": missing}


def _peers(memberships):
    return [m for m in memberships if m.role == Role.PEER]


@next_step_provider
def complete_survey(memberships):
    peers = _peers(memberships)
    if not peers:
        return
    now = timezone.now()
    surveys = {
        survey.initiative_id: survey
        for survey in Survey.objects.filter(initiative__in={m.initiative_id for m in peers})
    }
    completed = set(
        PeerProfile.objects.filter(
            membership__in=peers, survey_completed_at__isnull=False
        ).values_list("membership_id", flat=True)
    )
    for membership in peers:
        survey = surveys.get(membership.initiative_id)
        if survey and survey.is_open(now) and membership.pk not in completed:
            yield (
                membership,
                Step(
                    gettext("Complete the pre-event survey"),
                    reverse("matching:survey", args=[membership.initiative_id]),
                ),
            )


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


@next_step_provider
def rate_your_match(memberships):
    waiting = {}
    for check_in in MatchCheckIn.objects.filter(
        membership__in=_peers(memberships), sent_at__isnull=False, answered_at=None
    ):
        waiting.setdefault(check_in.membership_id, check_in)
    for membership in memberships:
        check_in = waiting.get(membership.pk)
        if check_in:
            yield (
                membership,
                Step(
                    gettext("Rate your match."),
                    reverse("matching:check_in", args=[membership.initiative_id, check_in.pk]),
                ),
            )


tab("survey", _("Survey"), "matching:builder", stage=Stage.FOUNDATION, order=21)
tab("matching", _("Matching"), "matching:index", stage=Stage.FOUNDATION, order=22)
