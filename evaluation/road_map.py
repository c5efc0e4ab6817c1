"""Where stage 3 plugs into the road map: its tab, the peers' step, its gate check and
the indicators it measures."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives.models import Membership, Role, Stage
from initiatives.road_map import (
    ChainObjective,
    Dimension,
    Step,
    gate_check,
    indicator,
    next_step_provider,
    tab,
)

from . import queries


@gate_check(Stage.LEARNING_OUTCOMES)
def peers_have_objectives(initiative):
    missing = queries.peers_without_objective(initiative).count()
    if missing:
        yield ngettext(
            "%(count)d peer has no learning objective yet.",
            "%(count)d peers have no learning objective yet.",
            missing,
        ) % {"count": missing}


@next_step_provider
def set_objectives(memberships):
    peers = [
        m
        for m in memberships
        if m.role == Role.PEER
        and m.status == Membership.Status.ACTIVE
        and m.initiative.stage >= Stage.LEARNING_OUTCOMES
    ]
    if not peers:
        return
    missing = queries.without_objective(peers)
    for membership in peers:
        if membership.pk in missing:
            yield (
                membership,
                Step(
                    gettext("Set your learning objectives."),
                    reverse("evaluation:objectives", args=[membership.initiative_id]),
                ),
            )


indicator(
    "objectives_achieved",
    label=_("Learning objectives achieved"),
    definition=_(
        "Peers' learning objectives whose status became achieved in the period "
        "(initiative-wide objectives count once per peer who adopted them)."
    ),
    objective=ChainObjective.LEARNING,
    dimension=Dimension.APPLICATION,
)(queries.objectives_achieved)
indicator(
    "reflections_written",
    label=_("Reflections written"),
    definition=_("Reflections peers wrote in the period, private ones included (only counted)."),
    objective=ChainObjective.LEARNING,
    dimension=Dimension.REFLECTION,
)(queries.reflections_written)

tab("learning", _("Learning"), "evaluation:learning", stage=Stage.LEARNING_OUTCOMES, order=40)

# --- reports to authorisers ---
tab(
    "reports",
    _("Reports to authorisers"),
    "evaluation:reports",
    stage=Stage.LEARNING_OUTCOMES,
    order=45,
)
