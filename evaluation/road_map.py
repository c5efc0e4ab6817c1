"""Where stage 3 plugs into the road map: its tab, the peers' step, its gate check and
the indicators it measures."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from initiatives import road_map
from initiatives.models import Membership, Role, Stage
from initiatives.road_map import (
    ChainObjective,
    Dimension,
    Step,
    anonymiser,
    fixed_at,
    gate_check,
    indicator,
    initiative_anonymiser,
    next_step_provider,
    tab,
)
from surveys.models import Survey
from surveys.road_map import answered_elsewhere

from . import personal_data, queries
from .models import EvaluationPoint


@gate_check(Stage.LEARNING_OUTCOMES)
def peers_have_objectives(initiative):
    missing = queries.peers_without_objective(initiative).count()
    if missing:
        text = ngettext(
            "%(count)d peer has no learning objective yet.",
            "%(count)d peers have no learning objective yet.",
            missing,
        ) % {"count": missing}
        yield fixed_at(text, "evaluation:learning", initiative)


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
    source="evaluation:learning",
    series=queries.objectives_achieved_per_month,
)(queries.objectives_achieved)
indicator(
    "reflections_written",
    label=_("Reflections written"),
    definition=_("Reflections peers wrote in the period, private ones included (only counted)."),
    objective=ChainObjective.LEARNING,
    dimension=Dimension.REFLECTION,
    source="evaluation:facilitator_reflections",
    series=queries.reflections_written_per_month,
)(queries.reflections_written)

tab("learning", _("Learning"), "evaluation:learning", stage=Stage.LEARNING_OUTCOMES, order=40)


# --- indicators ---

indicator(
    "objectives_set",
    label=_("Learning objectives set"),
    definition=_("Learning objectives peers set or adopted in the period."),
    objective=ChainObjective.LEARNING,
    source="evaluation:learning",
    series=queries.objectives_set_per_month,
)(queries.objectives_set)
indicator(
    "peers_achieved",
    label=_("Peers who achieved an objective"),
    definition=_(
        "Peers with at least one learning objective whose status became achieved in the period."
    ),
    objective=ChainObjective.LEARNING,
    funnel=60,
    source="evaluation:learning",
)(queries.peers_achieved)

# --- dashboard ---

tab("dashboard", _("Evaluation"), "evaluation:dashboard", order=2)


# --- self-assessments ---


@answered_elsewhere(Survey.Purpose.SELF_ASSESSMENT)
def self_assessment_page(survey):
    """A round on the timeline is answered on evaluation's page, with the ratings."""
    point = EvaluationPoint.objects.filter(survey=survey).first()
    if point is None:
        return None
    return reverse("evaluation:self_assessment_round", args=[survey.initiative_id, point.round])


def _complete_text(point):
    texts = {
        EvaluationPoint.Round.BASELINE: gettext("Complete your baseline self-assessment."),
        EvaluationPoint.Round.MIDLINE: gettext("Complete your midline self-assessment."),
        EvaluationPoint.Round.ENDLINE: gettext("Complete your endline self-assessment."),
    }
    return texts[point.round]


@next_step_provider
def complete_self_assessment(memberships):
    peers = [m for m in memberships if m.role == Role.PEER and m.status == Membership.Status.ACTIVE]
    if not peers:
        return
    due = queries.open_rounds_unsubmitted(peers, timezone.now())
    for membership in peers:
        for point in due.get(membership.pk, []):
            yield (
                membership,
                Step(
                    _complete_text(point),
                    reverse(
                        "evaluation:self_assessment_round",
                        args=[membership.initiative_id, point.round],
                    ),
                ),
            )


indicator(
    "self_assessments_submitted",
    label=_("Self-assessments submitted"),
    definition=_(
        "Self-assessments (baseline, midline or endline) that peers submitted in the period."
    ),
    objective=ChainObjective.LEARNING,
    dimension=Dimension.REFLECTION,
    source="evaluation:self_assessment_results",
    series=queries.self_assessments_submitted_per_month,
)(queries.self_assessments_submitted)
indicator(
    "self_assessment_progress",
    label=_("Progress peers see in their learning"),
    definition=_(
        "The mean change, on a scale of 1 to 5, from a peer's baseline rating of a learning "
        "objective to their endline rating of it, over objectives rated in both rounds, for "
        "endlines submitted in the period (0 while nothing can be compared)."
    ),
    objective=ChainObjective.LEARNING,
    dimension=Dimension.APPLICATION,
    source="evaluation:self_assessment_results",
)(queries.self_assessment_progress)
indicator(
    "learning_from_peers",
    label=_("Learning that came from peers"),
    definition=_(
        "Per cent of the objective ratings in self-assessments submitted in the period "
        "whose learning came from peers, alone or with other sources (0 without ratings)."
    ),
    objective=ChainObjective.LEARNING,
    dimension=Dimension.GENERATING,
    source="evaluation:self_assessment_results",
)(queries.learning_from_peers)


# --- reports to authorisers ---
tab(
    "reports",
    _("Reports to authorisers"),
    "evaluation:reports",
    stage=Stage.LEARNING_OUTCOMES,
    order=45,
)


# --- personal data: records ---


@road_map.personal_records("learning", label=_("Your objectives and reflections"), order=40)
def learning_records(person):
    from .models import LearningObjective, ObjectiveRating, Reflection, ReportReply

    return (
        road_map.records_from(
            LearningObjective.objects.filter(membership__user=person),
            title=lambda row: gettext("Learning objective"),
            fields=["description", "status", "status_changed_on", "evidence", "evidence_url"],
            files=["evidence_file"],
        )
        + road_map.records_from(
            Reflection.objects.filter(membership__user=person),
            title=lambda row: gettext("Reflection"),
            fields=["text", "shared_with_facilitators", "share_with_authoriser", "written_at"],
        )
        + road_map.records_from(
            ObjectiveRating.objects.filter(objective__membership__user=person).select_related(
                "objective"
            ),
            title=lambda row: gettext("Self-assessment of an objective"),
            fields=["score", "source", "comment"],
            initiative="objective.initiative_id",
        )
        + road_map.records_from(
            ReportReply.objects.filter(author=person).select_related("report"),
            title=lambda row: gettext("Reply to a report"),
            fields=["kind", "text", "due_on", "written_at"],
            initiative="report.initiative_id",
        )
    )


# --- personal data: erasure ---
anonymiser("evaluation", order=60)(personal_data.forget_person)
initiative_anonymiser("evaluation", order=60)(personal_data.anonymise_initiative)
