"""Reads of stage 3: objectives, reflections and what is due."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone

from initiatives.models import Initiative, Membership, Role, Stage, StageChange
from matching.models import Match
from peerlearn.models import Organisation

from .models import (
    LearningObjective,
    ObjectiveCategory,
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


# --- reports to authorisers ---


def report_schedule_of(initiative):
    """The initiative's report schedule; unsaved, following the initiative's own report
    setting (monthly, else quarterly), when the facilitators never set one here."""
    schedule = ReportSchedule.objects.filter(initiative=initiative).first()
    if schedule is not None:
        return schedule
    monthly = initiative.report_cadence == Initiative.ReportCadence.MONTHLY
    cadence = ReportSchedule.Cadence.MONTHLY if monthly else ReportSchedule.Cadence.QUARTERLY
    return ReportSchedule(initiative=initiative, cadence=cadence)


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
    """The home organisations of the initiative's current peers."""
    return Organisation.objects.filter(
        memberships__initiative=initiative,
        memberships__role=Role.PEER,
        memberships__status__in=[Membership.Status.ACTIVE, Membership.Status.INVITED],
    ).distinct()


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
