"""Reads of matching that pages and services share: who can be matched, what a run
holds, which rules a hand edit breaks."""

from itertools import combinations

from django.db.models import Count, F, Prefetch, Sum
from django.utils.translation import gettext as _

from initiatives.taxonomy import REFORM_AREA_NAMES
from surveys import profile as declared

from . import engine
from .models import Match, MatchMember, MatchRun, PeerProfile


def matchable_profiles(initiative):
    """Profiles of the initiative's current peers who completed the survey."""
    return (
        PeerProfile.objects.filter(
            membership__in=initiative.memberships.peers().current(),
            survey_completed_at__isnull=False,
        )
        .select_related("membership")
        .order_by("membership_id")
    )


def engine_peer(profile):
    membership = profile.membership
    values = declared.engine_values({name: getattr(profile, name) for name in declared.MATCHED})
    # Named in words, so the reasons a peer reads say "Procurement", not a code.
    values["challenge_tags"] = frozenset(
        str(REFORM_AREA_NAMES.get(tag, tag)) for tag in profile.challenge_tags
    )
    return engine.Peer(
        id=str(membership.pk), organisation=str(membership.home_organisation_id or ""), **values
    )


def member_ids_by_match(matches):
    groups = {}
    for match_pk, membership_pk in MatchMember.objects.filter(match__in=matches).values_list(
        "match_id", "membership_id"
    ):
        groups.setdefault(match_pk, []).append(str(membership_pk))
    return groups


def locked_groups(initiative, *, before):
    """Member ids of the locked matches of the latest proposed run other than `before`."""
    latest = (
        initiative.match_runs.filter(status=MatchRun.Status.PROPOSED).exclude(pk=before.pk).first()
    )
    if latest is None:
        return []
    return list(member_ids_by_match(latest.matches.filter(locked=True)).values())


def previous_pairs(initiative, *, among=None):
    """Every two peers who shared a match that has ended: they are not matched again.

    With `among` (membership ids), only pairs of those peers.
    """
    ended = Match.objects.filter(run__initiative=initiative, status=Match.Status.ENDED)
    if among is not None:
        ended = ended.filter(members__membership__in=among).distinct()
    return _pairs_in(ended)


def live_pairs(initiative, *, besides=None):
    """Every two peers who share a published match that has not ended (not of run `besides`)."""
    live = Match.objects.filter(run__initiative=initiative, status=Match.Status.PUBLISHED)
    if besides is not None:
        live = live.exclude(run=besides)
    return _pairs_in(live)


def _pairs_in(matches):
    return frozenset(
        frozenset(pair)
        for members in member_ids_by_match(matches).values()
        for pair in combinations(members, 2)
    )


def kept_apart_pairs(initiative, *, among=None):
    """The pairs of peers a facilitator asked never to match (with `among`: of those ids)."""
    kept = initiative.kept_apart.all()
    if among is not None:
        kept = kept.filter(first__in=among, second__in=among)
    return frozenset(
        frozenset((str(first), str(second)))
        for first, second in kept.values_list("first_id", "second_id")
    )


def current_matches(initiative, *, besides=None):
    """How many published, not ended matches each peer is in (not counting run `besides`)."""
    members = MatchMember.objects.filter(
        match__run__initiative=initiative, match__status=Match.Status.PUBLISHED
    )
    if besides is not None:
        members = members.exclude(match__run=besides)
    rows = members.values("membership_id").annotate(count=Count("pk"))
    return {str(row["membership_id"]): row["count"] for row in rows}


def matches_with_members(run):
    """The run's matches with their members, as the run page lists them and broken_rules
    reads them; each member has the `position` of their profile (None without one)."""
    members = MatchMember.objects.select_related(
        "membership__user", "membership__home_organisation", "membership__profile"
    ).annotate(position=F("membership__profile__position"))
    return run.matches.prefetch_related(Prefetch("members", queryset=members))


def total_after_changes(run):
    """The run's total as its matches stand now, or None while nobody has changed them.

    A match's score is the mean over its pairs of members; the run's total counts
    size / 2 of them per match, so it adds half the match's score per member.
    """
    per_member = MatchMember.objects.filter(match__run=run).aggregate(total=Sum("match__score"))
    total = (per_member["total"] or 0.0) / 2
    if run.total_score is None or abs(total - run.total_score) <= 5e-4:
        return None
    return total


def too_small(run):
    """Numbers of the run's matches with fewer people than the run allows, in order."""
    return list(
        run.matches.annotate(size=Count("members"))
        .filter(size__lt=run.smallest_match)
        .values_list("number", flat=True)
    )


def broken_rules(run, matches):
    """What each proposed match breaks of the run's rules, after changes by hand.

    `matches` (a page of them) have their members prefetched with membership and
    profile; only rules about those members are read. Returns {match pk: [sentence, ...]}
    for the matches that break something.
    """
    members = [member.membership_id for match in matches for member in match.members.all()]
    kept_apart = kept_apart_pairs(run.initiative, among=members)
    before = previous_pairs(run.initiative, among=members)
    found = {}
    for match in matches:
        pairs = combinations([member.membership for member in match.members.all()], 2)
        sentences = [_broken_rule(run, a, b, kept_apart, before) for a, b in pairs]
        if any(sentences):
            found[match.pk] = [sentence for sentence in sentences if sentence]
    return found


def _broken_rule(run, first, second, kept_apart, before):
    names = {"first": first.user, "second": second.user}
    pair = frozenset((str(first.pk), str(second.pk)))
    if pair in kept_apart:
        return _("%(first)s and %(second)s are to be kept apart.") % names
    if pair in before:
        return _("%(first)s and %(second)s were matched before.") % names
    home = first.home_organisation_id
    if home and home == second.home_organisation_id and not run.allow_same_organisation:
        return _("%(first)s and %(second)s are from the same home organisation.") % names
    spoken = [_languages(first), _languages(second)]
    if run.require_shared_language and all(spoken) and not spoken[0] & spoken[1]:
        return _("%(first)s and %(second)s share no language.") % names
    return None


def _languages(membership):
    profile = getattr(membership, "profile", None)
    return set(profile.languages or ()) if profile else set()


def peers_to_tell(run):
    """How many peers publishing `run` would email."""
    return MatchMember.objects.filter(match__run=run).values("membership").distinct().count()


# --- indicators ---


def _matched(scope):
    return MatchMember.objects.filter(
        match__run__initiative=scope.initiative,
        match__status__in=[Match.Status.PUBLISHED, Match.Status.ENDED],
    )


def peers_matched(scope):
    return scope.count_peers(scope.within(_matched(scope), "match__run__published_at"))
