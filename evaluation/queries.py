"""Reads of stage 3: objectives, reflections and what is due."""

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext

from initiatives.models import Initiative, Membership, Role, Stage, StageChange
from matching.models import Match
from peerlearn.models import Organisation
from surveys.models import Response, Survey

from .models import (
    EvaluationPoint,
    LearningObjective,
    ObjectiveCategory,
    ObjectiveRating,
    Reflection,
    ReflectionCadence,
    Report,
    ReportNote,
    ReportReply,
    ReportSchedule,
)


def _objectives():
    return LearningObjective.objects.select_related(
        "own_category", "membership__user", "membership__home_organisation", "adopted_from"
    )


def objectives_of(membership):
    return _objectives().filter(membership=membership)


def objectives_in(initiative, *, category="", status="", organisation=None):
    """The peers' objectives of `initiative`, filtered; `category` is a key or "own:<pk>"."""
    objectives = _objectives().filter(initiative=initiative).of_peers()
    if category.startswith("own:"):
        objectives = objectives.filter(own_category_id=category.removeprefix("own:"))
    elif category:
        objectives = objectives.filter(category=category)
    if status:
        objectives = objectives.filter(status=status)
    if organisation is not None:
        objectives = objectives.filter(membership__home_organisation=organisation)
    return objectives


def initiative_wide_objectives(initiative):
    return (
        _objectives()
        .filter(initiative=initiative)
        .initiative_wide()
        .annotate(adopted_count=Count("adoptions"))
        .order_by("-created_at", "-pk")
    )


def adoptable_by(membership):
    """Initiative-wide objectives `membership` has not adopted yet."""
    adopted = LearningObjective.objects.filter(membership=membership, adopted_from=OuterRef("pk"))
    return initiative_wide_objectives(membership.initiative).exclude(Exists(adopted))


def objectives_authorised_by(initiative, user):
    """Objectives of the peers whose home organisation `user` authorises for."""
    peers = Membership.objects.authorised_by(user).filter(initiative=initiative)
    return _objectives().filter(membership__in=peers)


def categories_of(initiative):
    return ObjectiveCategory.objects.filter(initiative=initiative)


def readable_objective(initiative, user, roles, objective_pk):
    """The peer objective `user` may read in `initiative` with `roles`, or None."""
    objectives = _objectives().filter(initiative=initiative, pk=objective_pk)
    if Role.FACILITATOR in roles:
        return objectives.first()
    readable = objectives.none()
    if Role.PEER in roles:
        readable = readable | objectives.filter(membership__user=user)
    if Role.AUTHORISER in roles:
        readable = readable | objectives.filter(
            membership__in=Membership.objects.authorised_by(user)
        )
    return readable.first()


def peers_without_objective(initiative):
    has_one = LearningObjective.objects.filter(membership=OuterRef("pk"))
    return (
        initiative.memberships.peers()
        .filter(status=Membership.Status.ACTIVE)
        .exclude(Exists(has_one))
    )


def without_objective(memberships):
    """Ids of `memberships` that have no learning objective."""
    having = set(
        LearningObjective.objects.filter(membership__in=memberships).values_list(
            "membership_id", flat=True
        )
    )
    return {m.pk for m in memberships} - having


# --- reflections ---


def _reflections():
    return Reflection.objects.select_related("membership__user", "objective", "match")


def reflections_for_peer(membership):
    return _reflections().filter(initiative=membership.initiative).readable_by_peer(membership)


def reflections_for_facilitators(initiative):
    return _reflections().filter(initiative=initiative).shared_with_facilitators()


def match_groups_of(membership):
    """The published matches whose members may read a multi-peer reflection of `membership`."""
    return Match.objects.filter(
        members__membership=membership, status=Match.Status.PUBLISHED
    ).order_by("number")


def cadence_of(initiative):
    """The initiative's reflection cadence, unsaved (off) when never set."""
    cadence = ReflectionCadence.objects.filter(initiative=initiative).first()
    return cadence or ReflectionCadence(initiative=initiative, every_days=0)


def cadences_due():
    """Cadences that are on, of initiatives at stage 3 or later."""
    return ReflectionCadence.objects.filter(
        every_days__gt=0, initiative__stage__gte=Stage.LEARNING_OUTCOMES
    ).select_related("initiative")


# --- indicators ---


def objectives_achieved(scope):
    achieved = LearningObjective.objects.filter(
        initiative=scope.initiative, status=LearningObjective.Status.ACHIEVED
    ).of_peers()
    return scope.within(scope.of_peers(achieved), "status_changed_on").count()


def reflections_written(scope):
    written = Reflection.objects.filter(initiative=scope.initiative)
    return scope.within(scope.of_peers(written), "written_at").count()


def _achieved(scope):
    achieved = LearningObjective.objects.filter(
        initiative=scope.initiative, status=LearningObjective.Status.ACHIEVED
    ).of_peers()
    return scope.of_peers(achieved)


def objectives_achieved_per_month(scope):
    return scope.per_month(_achieved(scope), "status_changed_on")


def peers_achieved(scope):
    return scope.count_peers(scope.within(_achieved(scope), "status_changed_on"))


def _set(scope):
    objectives = LearningObjective.objects.filter(initiative=scope.initiative).of_peers()
    return scope.of_peers(objectives)


def objectives_set(scope):
    return scope.within(_set(scope), "created_at").count()


def objectives_set_per_month(scope):
    return scope.per_month(_set(scope), "created_at")


def reflections_written_per_month(scope):
    written = Reflection.objects.filter(initiative=scope.initiative)
    return scope.per_month(scope.of_peers(written), "written_at")


# --- dashboard ---


def peer_organisations(initiative):
    """The home organisations of the initiative's current peers, by name."""
    # One filter() call, so all three conditions hold for the same membership.
    return (
        Organisation.objects.filter(
            memberships__initiative=initiative,
            memberships__role=Role.PEER,
            memberships__status__in=[Membership.Status.ACTIVE, Membership.Status.INVITED],
        )
        .distinct()
        .order_by("name")
    )


def organisations_authorised_by(initiative, user):
    """The home organisations `user` is an active authoriser for in `initiative`."""
    return (
        Organisation.objects.filter(
            authorisers__initiative=initiative,
            authorisers__user=user,
            authorisers__role=Role.AUTHORISER,
            authorisers__status=Membership.Status.ACTIVE,
        )
        .distinct()
        .order_by("name")
    )


# --- self-assessments ---

ROUNDS = [
    EvaluationPoint.Round.BASELINE,
    EvaluationPoint.Round.MIDLINE,
    EvaluationPoint.Round.ENDLINE,
]


def points_of(initiative):
    """{round: point} of the initiative's timeline."""
    points = EvaluationPoint.objects.filter(initiative=initiative).select_related("survey")
    return {point.round: point for point in points}


def timeline(initiative):
    """Each round, its name, its point (or None) and how many current peers submitted it."""
    points = points_of(initiative)
    submitted = dict(
        Response.objects.submitted()
        .filter(
            survey__evaluation_point__initiative=initiative,
            membership__in=initiative.memberships.peers().current(),
        )
        .values("survey__evaluation_point__round")
        .annotate(count=Count("pk"))
        .values_list("survey__evaluation_point__round", "count")
    )
    return [
        (round_, round_.label, points.get(round_), submitted.get(round_, 0)) for round_ in ROUNDS
    ]


def point_of(initiative, round_):
    return (
        EvaluationPoint.objects.filter(initiative=initiative, round=round_)
        .select_related("survey", "initiative")
        .first()
    )


def points_open_on(day):
    return EvaluationPoint.objects.filter(opens_on__lte=day, closes_on__gte=day).select_related(
        "initiative", "survey"
    )


def ratings_of(response):
    """{objective id: rating} of `response` (empty without one)."""
    if response is None:
        return {}
    return {rating.objective_id: rating for rating in response.objective_ratings.all()}


def own_rounds(membership):
    """The peer's rounds: [(point, response or None)], in timeline order."""
    points = list(
        EvaluationPoint.objects.filter(initiative=membership.initiative).select_related("survey")
    )
    responses = {
        response.survey_id: response
        for response in Response.objects.filter(
            membership=membership, survey__in=[point.survey_id for point in points]
        )
    }
    return [(point, responses.get(point.survey_id)) for point in points]


@dataclass
class ResultRow:
    """One peer's objective across the rounds (scores are None where not rated)."""

    membership_id: int
    peer: str
    organisation: str
    objective: str
    baseline: int | None = None
    midline: int | None = None
    endline: int | None = None

    @property
    def change(self):
        if self.baseline is None or self.endline is None:
            return None
        return self.endline - self.baseline


@dataclass
class GroupChange:
    name: str
    peers: int
    compared: int
    mean_change: float | None


@dataclass
class Results:
    rows: list
    organisations: list
    overall: GroupChange
    has_midline: bool
    ratings: int
    from_peers: int

    @property
    def from_peers_percent(self):
        return round(100 * self.from_peers / self.ratings) if self.ratings else None


def _mean(values):
    return round(sum(values) / len(values), 2) if values else None


def self_assessment_results(memberships):
    """Submitted ratings of `memberships` (peer memberships), compared round by round.

    One query: rows per peer and objective, the mean change (endline minus baseline,
    over objectives rated in both) per home organisation and overall, and how many of
    the ratings say the learning came from peers (alone or with other sources).
    """
    ratings = (
        ObjectiveRating.objects.filter(
            response__membership__in=memberships,
            response__submitted_at__isnull=False,
            response__survey__purpose=Survey.Purpose.SELF_ASSESSMENT,
            response__survey__round__in=ROUNDS,
        )
        .order_by(
            "response__membership__home_organisation__name",
            "response__membership__user__name",
            "response__membership__user__email",
            "response__membership_id",
            "objective__created_at",
            "objective_id",
        )
        .values_list(
            "response__membership_id",
            "response__membership__user__name",
            "response__membership__user__email",
            "response__membership__home_organisation__name",
            "objective_id",
            "objective__description",
            "response__survey__round",
            "score",
            "source",
        )
    )
    rows, total, from_peers = {}, 0, 0
    for (
        membership_id,
        name,
        email,
        organisation,
        objective_id,
        text,
        round_,
        score,
        source,
    ) in ratings:
        row = rows.get((membership_id, objective_id))
        if row is None:
            row = rows[(membership_id, objective_id)] = ResultRow(
                membership_id, name or email, organisation or "", text
            )
        setattr(row, round_, score)
        total += 1
        from_peers += source in ObjectiveRating.FROM_PEERS
    rows = list(rows.values())
    by_organisation = {}
    for row in rows:
        by_organisation.setdefault(row.organisation, []).append(row)
    organisations = [_group(name, group) for name, group in by_organisation.items()]
    return Results(
        rows=rows,
        organisations=organisations,
        overall=_group(gettext("The whole initiative"), rows),
        has_midline=any(row.midline is not None for row in rows),
        ratings=total,
        from_peers=from_peers,
    )


def _group(name, rows):
    changes = [
        row.endline - row.baseline
        for row in rows
        if row.baseline is not None and row.endline is not None
    ]
    peers = {row.membership_id for row in rows}
    return GroupChange(
        name=name or gettext("No organisation"),
        peers=len(peers),
        compared=len(changes),
        mean_change=_mean(changes),
    )


def results_export(results):
    """Header and rows of the results for CSV and XLSX."""
    header = [
        gettext("peer"),
        gettext("home organisation"),
        gettext("objective"),
        gettext("baseline"),
        gettext("midline"),
        gettext("endline"),
        gettext("change"),
    ]
    rows = [
        [
            row.peer,
            row.organisation,
            row.objective,
            row.baseline,
            row.midline,
            row.endline,
            row.change,
        ]
        for row in results.rows
    ]
    return header, [["" if value is None else value for value in row] for row in rows]


def open_rounds_unsubmitted(memberships, now):
    """{membership id: [points]} of open rounds each peer has not submitted (two queries)."""
    points = [
        point
        for point in EvaluationPoint.objects.filter(
            initiative__in={m.initiative_id for m in memberships}
        ).select_related("survey")
        if point.survey.is_open(now)
    ]
    if not points:
        return {}
    submitted = set(
        Response.objects.submitted()
        .filter(membership__in=memberships, survey__in=[point.survey_id for point in points])
        .values_list("membership_id", "survey_id")
    )
    due = {}
    for membership in memberships:
        for point in points:
            if point.initiative_id == membership.initiative_id and (
                (membership.pk, point.survey_id) not in submitted
            ):
                due.setdefault(membership.pk, []).append(point)
    return due


# Indicators: each one query, whatever the number of peers.


def _submitted_ratings(scope):
    ratings = ObjectiveRating.objects.filter(
        response__survey__initiative=scope.initiative,
        response__survey__purpose=Survey.Purpose.SELF_ASSESSMENT,
        response__submitted_at__isnull=False,
    ).exclude(score=None)
    ratings = scope.of_peers(ratings, "response__membership")
    return scope.within(ratings, "response__submitted_at")


def _self_assessments(scope):
    responses = Response.objects.submitted().filter(
        survey__initiative=scope.initiative, survey__purpose=Survey.Purpose.SELF_ASSESSMENT
    )
    return scope.of_peers(responses)


def self_assessments_submitted(scope):
    return scope.within(_self_assessments(scope), "submitted_at").count()


def self_assessments_submitted_per_month(scope):
    return scope.per_month(_self_assessments(scope), "submitted_at")


def self_assessment_progress(scope):
    """Mean endline minus baseline score over objectives rated in both, the endline
    submitted in the period; 0 when nothing can be compared yet.

    One grouped query (per objective, its baseline and endline score side by side, for
    the objectives whose endline falls in the period); a correlated subquery per endline
    rating took a second for 500 peers."""
    rounds = [EvaluationPoint.Round.BASELINE, EvaluationPoint.Round.ENDLINE]
    ratings = ObjectiveRating.objects.filter(
        response__survey__initiative=scope.initiative,
        response__survey__purpose=Survey.Purpose.SELF_ASSESSMENT,
        response__submitted_at__isnull=False,
        response__survey__round__in=rounds,
    ).exclude(score=None)
    ratings = scope.of_peers(ratings, "response__membership")
    endlines = ratings.filter(response__survey__round=EvaluationPoint.Round.ENDLINE)
    in_period = scope.within(endlines, "response__submitted_at").values("objective")
    pairs = (
        ratings.filter(objective__in=in_period)
        .values("objective")
        .annotate(
            endline=Max("score", filter=Q(response__survey__round=rounds[1])),
            baseline=Max("score", filter=Q(response__survey__round=rounds[0])),
        )
        .filter(baseline__isnull=False)
    )
    mean = pairs.aggregate(mean=Avg(F("endline") - F("baseline")))["mean"]
    return round(float(mean), 2) if mean is not None else 0


def learning_from_peers(scope):
    """Per cent of submitted ratings whose learning came from peers (alone or with other
    sources); 0 without ratings."""
    counts = _submitted_ratings(scope).aggregate(
        total=Count("pk"), peers=Count("pk", filter=Q(source__in=ObjectiveRating.FROM_PEERS))
    )
    return round(100 * counts["peers"] / counts["total"]) if counts["total"] else 0


# --- reports to authorisers ---


def report_schedule_of(initiative):
    """The initiative's report schedule; unsaved and quarterly when the facilitators never
    set one."""
    schedule = ReportSchedule.objects.filter(initiative=initiative).first()
    return schedule or ReportSchedule(
        initiative=initiative, cadence=ReportSchedule.Cadence.QUARTERLY
    )


def stage_change_days(initiative):
    return sorted(
        timezone.localtime(changed_at).date()
        for changed_at in StageChange.objects.filter(initiative=initiative).values_list(
            "changed_at", flat=True
        )
    )


def report_schedules():
    """(initiative, schedule, stage change days) of every initiative with peers, in bulk."""
    initiatives = Initiative.objects.filter(
        stage__gte=Stage.FOUNDATION, memberships__role=Role.PEER
    ).distinct()
    schedules = {s.initiative_id: s for s in ReportSchedule.objects.all()}
    changes = {}
    for initiative_id, changed_at in StageChange.objects.values_list("initiative_id", "changed_at"):
        changes.setdefault(initiative_id, []).append(timezone.localtime(changed_at).date())
    for initiative in initiatives:
        schedule = schedules.get(initiative.pk) or report_schedule_of(initiative)
        schedule.initiative = initiative
        yield initiative, schedule, sorted(changes.get(initiative.pk, []))


def reporting_organisations(initiative):
    """The home organisations a report goes to: those of the initiative's current peers."""
    return peer_organisations(initiative)


def organisations_to_report(initiative):
    """The reporting organisations, each with its waiting note and whether it has an
    authoriser to read its reports."""
    notes = open_notes(initiative)
    authorised = initiative.memberships.authorised_organisation_ids()
    organisations = list(reporting_organisations(initiative))
    for organisation in organisations:
        organisation.open_note = notes.get(organisation.pk)
        organisation.has_authoriser = organisation.pk in authorised
    return organisations


def authoriser_languages(*, initiative, organisation):
    """The stored languages of the organisation's active authorisers in the initiative."""
    return list(
        Membership.objects.filter(
            initiative=initiative,
            role=Role.AUTHORISER,
            status=Membership.Status.ACTIVE,
            authorised_organisations=organisation,
        )
        .exclude(user__language="")
        .values_list("user__language", flat=True)
    )


def authorisers_of(report):
    """Active authoriser memberships of the report's organisation in its initiative."""
    return (
        Membership.objects.filter(
            initiative=report.initiative,
            role=Role.AUTHORISER,
            status=Membership.Status.ACTIVE,
            authorised_organisations=report.organisation,
        )
        .select_related("user")
        .distinct()
    )


def previous_report(report):
    """The organisation's last sent report before this one, or None."""
    return (
        Report.objects.filter(
            initiative=report.initiative_id,
            organisation=report.organisation_id,
            status=Report.Status.SENT,
            period_end__lte=report.period_start,
        )
        .exclude(pk=report.pk)
        .order_by("-period_end", "-pk")
        .first()
    )


def reports_in(initiative):
    """The initiative's reports, newest first, with replies for the facilitators' list."""
    return (
        Report.objects.filter(initiative=initiative)
        .select_related("organisation", "acknowledged_by")
        .prefetch_related(
            Prefetch("replies", queryset=ReportReply.objects.select_related("author"))
        )
        .defer("content")
    )


def reports_for_authoriser(user):
    """Every sent report this person receives as an authoriser, across initiatives."""
    return (
        Report.objects.authorised_by(user)
        .filter(status=Report.Status.SENT)
        .select_related("initiative", "organisation")
        .defer("content")
        .order_by("-period_end", "pk")
    )


def open_notes(initiative):
    """{organisation id: the personal note waiting for its next report}."""
    notes = ReportNote.objects.filter(initiative=initiative, report__isnull=True)
    return {note.organisation_id: note for note in notes}
