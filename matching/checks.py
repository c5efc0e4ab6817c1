"""Open items of the foundational stage that matching can see."""

from django.utils.translation import gettext as _

from initiatives.models import Stage
from initiatives.stages import register_check

from .models import Match


@register_check(Stage.FOUNDATION)
def peers_matched(initiative):
    published = Match.objects.filter(
        run__initiative=initiative, status__in=[Match.Status.PUBLISHED, Match.Status.ENDED]
    )
    if not published.exists():
        yield _("No matches have been published to peers yet.")
