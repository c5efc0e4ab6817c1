"""Demo self-assessments: a baseline and an endline in the past, rated by most peers."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from evaluation.models import EvaluationPoint, LearningObjective, ObjectiveRating
from evaluation.services import set_evaluation_point
from initiatives.models import Membership, Role
from surveys.models import Response

Round = EvaluationPoint.Round
# (opens, closes) in days ago.
ROUNDS = {Round.BASELINE: (100, 86), Round.ENDLINE: (20, 6)}
COMMENTS = [
    "",
    "",
    "My pair walked me through their own rollout.",
    "Mostly from the site visit.",
    "A course at home helped as much as the group.",
    "",
]


def load_self_assessments(initiative):
    """Plan a baseline and an endline in the past and let most peers rate each of their
    learning objectives in both: the endline higher on average, a few lower.

    Idempotent: a round already on the timeline is kept, and a peer who already has a
    response to a round is left alone. Scores come from each objective's own seed, so a
    second run (or a run after new peers joined) tells the same story.
    Side effects: up to two EvaluationPoints with their surveys; Response and
    ObjectiveRating rows; audit entries for the points.
    """
    facilitator = (
        initiative.memberships.filter(role=Role.FACILITATOR).select_related("user").first()
    )
    by = facilitator.user if facilitator else None
    today = timezone.localdate()
    objectives = {}
    for objective in LearningObjective.objects.filter(
        initiative=initiative, membership__status=Membership.Status.ACTIVE
    ).order_by("pk"):
        objectives.setdefault(objective.membership_id, []).append(objective)
    with transaction.atomic():
        for round_, (opens, closes) in ROUNDS.items():
            point = EvaluationPoint.objects.filter(initiative=initiative, round=round_).first()
            if point is None:
                point = set_evaluation_point(
                    initiative=initiative,
                    round_=round_,
                    by=by,
                    opens_on=today - datetime.timedelta(days=opens),
                    closes_on=today - datetime.timedelta(days=closes),
                    remind_every_days=7,
                )
            _answer(point, objectives)


def _answer(point, objectives):
    answered = set(point.survey.responses.values_list("membership_id", flat=True))
    ratings = []
    for index, (membership_id, aims) in enumerate(sorted(objectives.items())):
        # One peer in eight skips the baseline, one in six the endline.
        skips = index % 8 == 7 if point.round == Round.BASELINE else index % 6 == 5
        if skips or membership_id in answered:
            continue
        submitted_at = timezone.make_aware(
            datetime.datetime.combine(point.opens_on, datetime.time(10))
        ) + datetime.timedelta(days=1 + index % 10, hours=index % 7)
        response = Response.objects.create(
            survey=point.survey, membership_id=membership_id, submitted_at=submitted_at
        )
        ratings += [_rating(response, aim, point.round) for aim in aims]
    ObjectiveRating.objects.bulk_create(ratings)


def _rating(response, objective, round_):
    seed = random.Random(objective.pk)
    # Most objectives move up one to three steps; about one in nine slips back one.
    slips = objective.pk % 9 == 4
    baseline = seed.choice([2, 3]) if slips else seed.choice([1, 1, 2, 2, 2, 3, 3])
    step = -1 if slips else seed.choice([0, 1, 1, 1, 2, 2, 2, 3])
    score = baseline if round_ == Round.BASELINE else min(5, baseline + step)
    source = seed.choice(["peers", "peers", "both", "both", "other"])
    comment = seed.choice(COMMENTS) if round_ == Round.ENDLINE else ""
    return ObjectiveRating(
        response=response, objective=objective, score=score, source=source, comment=comment
    )
