"""Open items of the foundational stage that the survey and matching can see."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from initiatives.models import Stage
from initiatives.stages import register_check

from .models import Match, Survey


@register_check(Stage.FOUNDATION)
def peers_matched(initiative):
    published = Match.objects.filter(
        run__initiative=initiative, status__in=[Match.Status.PUBLISHED, Match.Status.ENDED]
    )
    if not published.exists():
        yield _("No matches have been published to peers yet.")


@register_check(Stage.FOUNDATION)
def survey_answered(initiative):
    survey = Survey.objects.filter(initiative=initiative).first()
    if survey is None:
        yield _("The pre-event survey has not been set up.")
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
