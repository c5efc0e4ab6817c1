"""Reads of stage 3: objectives, reflections and what is due."""

from django.db.models import Count, Exists, OuterRef

from initiatives.models import Membership, Role, Stage
from matching.models import Match
from peerlearn.models import Organisation

from .models import LearningObjective, ObjectiveCategory, Reflection, ReflectionCadence


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
    return (
        Organisation.objects.filter(memberships__initiative=initiative, memberships__role=Role.PEER)
        .exclude(memberships__status=Membership.Status.WITHDRAWN)
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
