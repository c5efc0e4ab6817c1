"""Where stage 4 plugs into the road map: its tabs, the peers' steps and its gate check."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership, Role, Stage
from initiatives.road_map import Step, gate_check, next_step_provider, tab

from . import queries
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


# --- home commitments ---


@next_step_provider
def record_report_back(memberships):
    peers = _peers_in_diffusion(memberships)
    if not peers:
        return
    missing = set(queries.missing_report_backs_among(peers).values_list("pk", flat=True))
    for membership in peers:
        if membership.pk in missing:
            yield (
                membership,
                Step(
                    gettext("Record your report-back."),
                    reverse("diffusion:report_back_add", args=[membership.initiative_id]),
                ),
            )


@gate_check(Stage.DIFFUSION)
def report_backs_held(initiative):
    missing = queries.missing_report_backs(initiative).count()
    if missing:
        yield ngettext(
            "%(count)d peer has a required report-back not yet held.",
            "%(count)d peers have a required report-back not yet held.",
            missing,
        ) % {"count": missing}


tab("commitments", _("Home commitments"), "diffusion:commitments", stage=Stage.DIFFUSION, order=53)
tab("communities", _("Communities"), "diffusion:communities", stage=Stage.DIFFUSION, order=54)
