"""The road map's stage gate.

Each stage's module registers checks that list what is still open in that stage
(unanswered questions, open risks, ...). Leaving a stage with open items is
allowed, but only with an acknowledgement that is recorded.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Stage

PURPOSES = {
    Stage.SCOPING: _(
        "Decide whether peer learning fits: the reform area, the theory of change, "
        "the people you need and what they should gain."
    ),
    Stage.FOUNDATION: _(
        "Bring the right people together: invite peers and their authorisers, survey "
        "them, match them and hold the first event."
    ),
    Stage.SUSTAINED_CONTACT: _(
        "Keep pairs and groups in touch after the first event: exchanges, visits, joint "
        "work, and nudges when things go quiet."
    ),
    Stage.LEARNING_OUTCOMES: _(
        "Make learning happen and show it: objectives, reflections and self-assessments."
    ),
    Stage.DIFFUSION: _(
        "Carry lessons home: report-back sessions, local communities and coalitions "
        "that change organisations."
    ),
}

_checks = defaultdict(list)


@dataclass(frozen=True)
class StageSummary:
    stage: Stage
    purpose: str
    open_items: list
    is_current: bool
    is_done: bool


def register_check(stage):
    """Decorator: `check(initiative)` returns the open items of `stage` as strings."""

    def register(check):
        _checks[stage].append(check)
        return check

    return register


def open_items(initiative, stage):
    return [str(item) for check in _checks[stage] for item in check(initiative)]


def items_to_acknowledge(initiative, to_stage):
    """Open items of every stage left behind by moving forward to `to_stage`."""
    return [
        item
        for stage in range(initiative.stage, to_stage)
        for item in open_items(initiative, Stage(stage))
    ]


def road_map(initiative):
    return [
        StageSummary(
            stage=stage,
            purpose=PURPOSES[stage],
            open_items=open_items(initiative, stage),
            is_current=stage == initiative.stage,
            is_done=stage < initiative.stage,
        )
        for stage in Stage
    ]
