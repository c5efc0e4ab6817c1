"""Reads of stage 4, each in a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Sum

from initiatives.models import Membership, Role

from .models import ChangeStory, Community, HomeCommitment, ReportBack, SharingItem


def _with_people(queryset, prefix="membership__"):
    return queryset.select_related(f"{prefix}user", f"{prefix}home_organisation")


def plan_of(membership):
    return membership.sharing_items.all()


def plans_in(initiative):
    """Every peer's plan items, person by person."""
    items = SharingItem.objects.filter(membership__initiative=initiative)
    return _with_people(items).order_by(
        "membership__user__name", "membership__user__email", "planned_for", "pk"
    )


def plans_authorised_by(initiative, user):
    """The plan items of peers whose home organisation `user` authorises."""
    return plans_in(initiative).filter(membership__in=Membership.objects.authorised_by(user))


def report_backs_in(initiative, *, format=None, organisation=None, since=None, until=None):
    report_backs = _with_people(initiative.report_backs.select_related("plan_item"))
    if format:
        report_backs = report_backs.filter(format=format)
    if organisation:
        report_backs = report_backs.filter(membership__home_organisation=organisation)
    if since:
        report_backs = report_backs.filter(held_on__gte=since)
    if until:
        report_backs = report_backs.filter(held_on__lte=until)
    return report_backs


def report_backs_of(membership):
    return membership.report_backs.select_related("plan_item")


def stories_for(initiative, user, roles):
    """The stories a visitor may read: all of them for peers and facilitators, those
    concerning their organisations' peers for authorisers."""
    stories = initiative.change_stories.select_related("written_by").prefetch_related(
        Prefetch("peers", queryset=Membership.objects.select_related("user"))
    )
    if roles & {Role.PEER, Role.FACILITATOR}:
        return stories
    return stories.concerning(Membership.objects.authorised_by(user).filter(initiative=initiative))


def current_peers(initiative):
    return initiative.memberships.current().peers().by_name()


# --- home commitments ---


def commitments_for(initiative, user, roles):
    """Peers with their home commitment: every current peer for facilitators, those of
    the organisations they authorise for authorisers."""
    peers = initiative.memberships.current().peers()
    if Role.FACILITATOR not in roles:
        peers = peers.filter(pk__in=Membership.objects.authorised_by(user))
    return peers.select_related(
        "user", "home_organisation", "home_commitment", "home_commitment__countersigned_by"
    ).order_by("home_organisation__name", "user__name", "user__email")


def commitment_of(membership):
    try:
        return membership.home_commitment
    except HomeCommitment.DoesNotExist:
        return None


def mandate_from_contract(membership):
    """The home organisation's note on the peer's contract, to start the mandate from."""
    contract = getattr(membership, "peer_contract", None)
    return contract.mandate_note if contract else ""


def _report_back_missing(memberships):
    held = ReportBack.objects.filter(membership=OuterRef("pk"))
    return memberships.filter(home_commitment__report_back_required=True).exclude(Exists(held))


def missing_report_backs_among(memberships):
    """Those of `memberships` (a list) whose home organisation requires a report-back
    not yet recorded."""
    return _report_back_missing(Membership.objects.filter(pk__in=[m.pk for m in memberships]))


def missing_report_backs(initiative):
    """Current peers of `initiative` with a required report-back not yet recorded."""
    return _report_back_missing(initiative.memberships.current().peers())


# --- communities ---


def communities_in(initiative):
    return initiative.communities.select_related("home_organisation").prefetch_related(
        Prefetch("peers", queryset=Membership.objects.select_related("user"))
    )


# --- indicators ---


def _report_backs(scope):
    return scope.of_peers(ReportBack.objects.filter(initiative=scope.initiative))


def report_backs_held(scope):
    return scope.within(_report_backs(scope), "held_on").count()


def report_backs_held_per_month(scope):
    return scope.per_month(_report_backs(scope), "held_on")


def peers_shared_back(scope):
    return scope.count_peers(scope.within(_report_backs(scope), "held_on"))


def colleagues_reached(scope):
    held = scope.within(_report_backs(scope), "held_on")
    return held.aggregate(reached=Sum("colleagues_reached"))["reached"] or 0


def colleagues_reached_per_month(scope):
    return scope.per_month(_report_backs(scope), "held_on", Sum("colleagues_reached"))


def _stories(scope):
    stories = ChangeStory.objects.filter(initiative=scope.initiative)
    if scope.organisation is not None:
        concerned = Membership.objects.filter(
            change_stories=OuterRef("pk"), home_organisation=scope.organisation
        )
        stories = stories.filter(Exists(concerned))
    return stories


def stories_of_change(scope):
    return scope.within(_stories(scope), "written_at").count()


def stories_of_change_per_month(scope):
    return scope.per_month(_stories(scope), "written_at")


def _verified(scope):
    return _stories(scope).filter(verified_on__isnull=False)


def stories_verified(scope):
    return scope.within(_verified(scope), "verified_on").count()


def stories_verified_per_month(scope):
    return scope.per_month(_verified(scope), "verified_on")


def _communities(scope):
    communities = Community.objects.filter(initiative=scope.initiative)
    if scope.organisation is not None:
        communities = communities.filter(home_organisation=scope.organisation)
    return scope.within(communities, "founded_on")


def communities_founded(scope):
    return _communities(scope).count()


def communities_founded_per_month(scope):
    return scope.per_month(_communities(scope), "founded_on")


def community_members(scope):
    """Peers plus colleagues named, summed over the communities (one row per community)."""
    rows = (
        _communities(scope)
        .annotate(peer_count=Count("peers"))
        .values_list("peer_count", "colleagues")
    )
    return sum(
        peer_count + sum(1 for line in colleagues.splitlines() if line.strip())
        for peer_count, colleagues in rows
    )


def _countersigned(scope):
    commitments = HomeCommitment.objects.filter(
        membership__initiative=scope.initiative, countersigned_at__isnull=False
    )
    return scope.of_peers(commitments)


def commitments_countersigned(scope):
    return scope.within(_countersigned(scope), "countersigned_at").count()


def commitments_countersigned_per_month(scope):
    return scope.per_month(_countersigned(scope), "countersigned_at")
