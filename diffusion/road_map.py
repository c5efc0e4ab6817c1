"""Where stage 4 plugs into the road map: its tabs, the peers' steps and its gate check."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership, Role, Stage
from initiatives.road_map import Step, next_step_provider, tab

from .models import SharingItem


def _peers_in_diffusion(memberships):
    return [
        m
        for m in memberships
        if m.role == Role.PEER
        and m.status == Membership.Status.ACTIVE
        and m.initiative.stage >= Stage.DIFFUSION
    ]


@next_step_provider
def plan_sharing(memberships):
    peers = _peers_in_diffusion(memberships)
    if not peers:
        return
    planned = set(
        SharingItem.objects.filter(membership__in=peers).values_list("membership_id", flat=True)
    )
    for membership in peers:
        if membership.pk not in planned:
            yield (
                membership,
                Step(
                    gettext("Plan how you will share what you learned."),
                    reverse("diffusion:plan_add", args=[membership.initiative_id]),
                ),
            )


tab("diffusion", _("Diffusion"), "diffusion:index", stage=Stage.DIFFUSION, order=50)
tab("report_backs", _("Report-backs"), "diffusion:report_backs", stage=Stage.DIFFUSION, order=51)
tab("stories", _("Stories of change"), "diffusion:stories", stage=Stage.DIFFUSION, order=52)
