"""Match runs: start, adjust, publish and end matches."""

from itertools import combinations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peerlearn import audit
from peerlearn.jobs import enqueue_on_commit
from peerlearn.outbox import absolute_url, queue_templated_email

from . import engine
from .models import KeptApart, Match, MatchMember, MatchRun, PeerProfile
from .queries import (
    current_matches,
    engine_peer,
    kept_apart_pairs,
    live_pairs,
    locked_groups,
    matchable_profiles,
    member_ids_by_match,
    previous_pairs,
    too_small,
)

audit.describe(
    **{
        "run.start": gettext_lazy("Started a matching run"),
        "run.finish": gettext_lazy("Matching run finished"),
        "run.publish": gettext_lazy("Published the matches"),
        "match.lock": gettext_lazy("Locked a match"),
        "match.unlock": gettext_lazy("Unlocked a match"),
        "match.move": gettext_lazy("Moved a peer to another match"),
        "match.swap": gettext_lazy("Swapped two peers"),
        "match.remove": gettext_lazy("Took a peer out of a match"),
        "match.end": gettext_lazy("Ended a match"),
        "apart.keep": gettext_lazy("Kept two peers apart"),
        "apart.allow": gettext_lazy("Allowed two peers together again"),
    }
)


def _run_label(run):
    return f"#{run.pk}"


def _match_label(match):
    """The people in a match: how facilitators know it."""
    names = match.members.select_related("membership__user").order_by("membership__user__name")
    return ", ".join(str(member.membership.user) for member in names)


def start_run(*, initiative, by, settings):
    """Create a run with `settings` (group_size, weights, allow_same_organisation,
    require_shared_language, matches_per_peer) and match in the background.

    Side effects: one MatchRun row (queued) and its audit entry; the
    `matching.run_matching` task enqueued after commit. If the job queue cannot
    take it, the run is marked failed.
    """
    from .tasks import run_matching_task

    with transaction.atomic():
        run = MatchRun.objects.create(initiative=initiative, created_by=by, **settings)
        audit.log(
            actor=by,
            action="run.start",
            target=run,
            target_label=_run_label(run),
            group_size=run.group_size,
            matches_per_peer=run.matches_per_peer,
        )
        enqueue_on_commit(
            run_matching_task, run_id=run.pk, if_unreachable=lambda: _not_started(run)
        )
    return run


def _not_started(run):
    MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.FAILED, error="The job queue could not be reached."
    )


def rerun(*, run, by):
    """A new run with the same settings that keeps the locked matches of the latest proposal.

    Side effects: as start_run.
    """
    settings = {
        "group_size": run.group_size,
        "weights": run.weights,
        "allow_same_organisation": run.allow_same_organisation,
        "require_shared_language": run.require_shared_language,
        "matches_per_peer": run.matches_per_peer,
    }
    return start_run(initiative=run.initiative, by=by, settings=settings)


def keep_apart(*, initiative, first, second, reason="", by=None):
    """Record that two peers must never share a match (in either order; once).

    Side effects: one KeptApart row and its audit entry, the first time.
    """
    first, second = sorted((first, second), key=lambda membership: membership.pk)
    with transaction.atomic():
        kept, created = KeptApart.objects.get_or_create(
            initiative=initiative,
            first=first,
            second=second,
            defaults={"reason": reason, "created_by": by},
        )
        if created:
            audit.log(actor=by, action="apart.keep", target=kept, target_label=_pair_label(kept))
    return kept


def allow_together(*, kept, by):
    """Two peers kept apart may be matched again. Side effects: deletes the row; an entry."""
    with transaction.atomic():
        audit.log(actor=by, action="apart.allow", target=kept, target_label=_pair_label(kept))
        kept.delete()


def _pair_label(kept):
    return f"{kept.first.user} · {kept.second.user}"


def run_matching(*, run):
    """Match the initiative's surveyed peers with the run's settings.

    Peers already in as many published matches as the run allows are left out, and
    nobody is put with a current partner; locked matches of the latest proposal are
    kept; peers kept apart, or whose match has ended, are never put together.
    Side effects: claims a queued run (a run already claimed is left alone); updates
    its progress; writes Match and MatchMember rows; the run ends proposed (or failed).
    """
    claimed = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, progress=5
    )
    if not claimed:
        return run
    run.refresh_from_db()
    try:
        result = _solve(run)
        _save_result(run, result)
    except Exception as error:  # the facilitator sees the run failed and can start another
        run.fail(error)
    return run


def _solve(run):
    initiative = run.initiative
    peers = [engine_peer(profile) for profile in matchable_profiles(initiative)]
    busy = current_matches(initiative)
    free = {peer.id for peer in peers if busy.get(peer.id, 0) < run.matches_per_peer}
    locked = [g for g in locked_groups(initiative, before=run) if set(g) <= free]
    constraints = engine.Constraints(
        group_size=run.group_size,
        allow_same_organisation=run.allow_same_organisation,
        require_shared_language=run.require_shared_language,
        keep_apart=kept_apart_pairs(initiative) | live_pairs(initiative),
        previous_pairs=previous_pairs(initiative),
        max_matches_per_peer=run.matches_per_peer,
        current_matches=busy,
    )
    run.set_progress(10)
    weights = engine.Weights(**run.weights)
    result = engine.match(peers, weights=weights, constraints=constraints, locked=locked)
    run.set_progress(90)
    return result


@transaction.atomic
def _save_result(run, result):
    groups = sorted(result.groups, key=lambda group: -group.score)
    matches = Match.objects.bulk_create(
        Match(
            run=run,
            number=number,
            score=group.score,
            reasons=list(group.reason_items),
            locked=group.locked,
        )
        for number, group in enumerate(groups, start=1)
    )
    MatchMember.objects.bulk_create(
        MatchMember(match=match, membership_id=int(peer_id))
        for match, group in zip(matches, groups, strict=True)
        for peer_id in group.members
    )
    run.unmatched = [
        {"membership": int(item.peer_id), "reason": item.reason} for item in result.unmatched
    ]
    run.total_score = result.total_score
    run.upper_bound = result.upper_bound
    run.gap = result.gap
    run.status = MatchRun.Status.PROPOSED
    run.progress = 100
    run.save(update_fields=["unmatched", "total_score", "upper_bound", "gap", "status", "progress"])
    audit.log(
        actor=None,
        action="run.finish",
        target=run,
        target_label=_run_label(run),
        matches=len(matches),
        unmatched=len(run.unmatched),
    )


def refresh_matches(*matches):
    """Score and reasons of matches again after their members changed; emptied ones go.

    Scored among all the initiative's surveyed peers with the run's weights, as the run
    scored its matches, so that the numbers stay comparable. The matches belong to one run.
    """
    members = {
        match: [str(pk) for pk in match.members.values_list("membership_id", flat=True)]
        for match in matches
    }
    for match in [match for match, ids in members.items() if not ids]:
        match.delete()
    scored = {match: ids for match, ids in members.items() if len(ids) >= 2}
    groups = _score_groups(matches[0].run, scored.values()) if scored else []
    for match, group in zip(scored, groups, strict=True):
        match.score, match.reasons = group.score, list(group.reason_items)
    for match, ids in members.items():
        if len(ids) == 1:
            match.score, match.reasons = 0.0, []
        if ids:
            match.save(update_fields=["score", "reasons"])


def _score_groups(run, groups):
    every_member = [member for group in groups for member in group]
    profiles = matchable_profiles(run.initiative) | PeerProfile.objects.filter(
        membership_id__in=every_member
    ).select_related("membership")
    peers = [engine_peer(profile) for profile in profiles.distinct()]
    weights = engine.Weights(**run.weights)
    return engine.score_groups(peers, list(groups), weights=weights)


class NotEditable(Exception):
    """A change the run's state or its locks do not allow; the message says why."""


class TooSmall(NotEditable):
    """Matches with fewer people than the run allows: the run cannot be published."""

    SHOWN = 20

    def __init__(self, *, numbers, smallest):
        self.numbers = numbers
        shown = ", ".join(str(number) for number in numbers[: self.SHOWN])
        if len(numbers) > self.SHOWN:
            shown += ", …"
        message = ngettext(
            "Match %(numbers)s has fewer than %(smallest)s people, and every match needs "
            "at least %(smallest)s to be published. Move someone into it, or move its "
            "member to another match, then publish.",
            "Matches %(numbers)s have fewer than %(smallest)s people, and every match needs "
            "at least %(smallest)s to be published. Move someone into them, or move their "
            "members to other matches, then publish.",
            len(numbers),
        ) % {"numbers": shown, "smallest": smallest}
        super().__init__(message)


def _hold_proposal(run_id):
    """Hold the run's row until the change commits (publishing and other edits wait).

    Raises NotEditable when the run is no longer a proposal.
    """
    held = MatchRun.objects.select_for_update().filter(pk=run_id, status=MatchRun.Status.PROPOSED)
    if not held.exists():
        raise NotEditable(_("This run has been published; its matches can no longer change."))


def _refuse_locked(*matches):
    """Raise NotEditable when one of `matches` is locked now (read again, under the hold)."""
    locked = (
        Match.objects.filter(pk__in=[match.pk for match in matches], locked=True)
        .order_by("number")
        .values_list("number", flat=True)
        .first()
    )
    if locked is not None:
        raise NotEditable(
            _("Match %(number)s is locked: unlock it to change who is in it.") % {"number": locked}
        )


@transaction.atomic
def set_locked(*, match, locked, by):
    """Lock a match (its members stay as they are, a re-run keeps it) or unlock it.

    Side effects: updates the match; one audit entry.
    """
    _hold_proposal(match.run_id)
    match.set_locked(locked)
    audit.log(
        actor=by,
        action="match.lock" if locked else "match.unlock",
        target=match,
        initiative=match.run.initiative_id,
        target_label=_match_label(match),
        match=match.number,
    )


def _log_member(member, action, by, **data):
    audit.log(
        actor=by,
        action=action,
        target=member.membership,
        target_label=str(member.membership.user),
        **data,
    )


@transaction.atomic
def move_member(*, member, to_match, by):
    """Move one peer to another match of the same run; locked matches stay as they are.

    Side effects: updates the member row; recomputes both matches' scores and reasons
    (an emptied match is deleted); one audit entry. Raises NotEditable.
    """
    _hold_proposal(member.match.run_id)
    member.refresh_from_db(fields=["match"])
    source = member.match
    if to_match.run_id != source.run_id or to_match.pk == source.pk:
        raise NotEditable(_("Choose another match of the same run."))
    _refuse_locked(source, to_match)
    member.match = to_match
    member.save(update_fields=["match"])
    _log_member(member, "match.move", by, from_match=source.number, to_match=to_match.number)
    refresh_matches(source, to_match)


@transaction.atomic
def swap_members(*, member, other, by):
    """Exchange two peers of different matches of the same run; locked matches stay.

    Side effects: updates both member rows; recomputes both matches' scores and reasons;
    one audit entry. Raises NotEditable.
    """
    _hold_proposal(member.match.run_id)
    member.refresh_from_db(fields=["match"])
    other.refresh_from_db(fields=["match"])
    first, second = member.match, other.match
    if second.run_id != first.run_id or second.pk == first.pk:
        raise NotEditable(_("Choose someone in another match of the same run."))
    _refuse_locked(first, second)
    member.match, other.match = second, first
    member.save(update_fields=["match"])
    other.save(update_fields=["match"])
    audit.log(
        actor=by,
        action="match.swap",
        target=member.membership,
        target_label=f"{member.membership.user} ⇄ {other.membership.user}",
        matches=[first.number, second.number],
    )
    refresh_matches(first, second)


@transaction.atomic
def remove_member(*, member, by):
    """Take one peer out of their match (not a locked one); they are listed as unmatched.

    Side effects: deletes the member row; recomputes the match (deleted when empty);
    adds the peer to the run's unmatched list; one audit entry. Raises NotEditable.
    """
    _hold_proposal(member.match.run_id)
    member.refresh_from_db(fields=["match"])
    match = member.match
    _refuse_locked(match)
    _log_member(member, "match.remove", by, from_match=match.number)
    member.delete()
    refresh_matches(match)
    run = MatchRun.objects.get(pk=match.run_id)
    run.unmatched = [
        *run.unmatched,
        {"membership": member.membership_id, "reason": _("Taken out by a facilitator.")},
    ]
    run.save(update_fields=["unmatched"])


def publish_matches(*, run, by):
    """Publish a proposed run: peers can see their match and are told by email.

    Side effects: the run and its matches become published; one email per matched
    peer through the outbox (none again if published twice); one audit entry. Returns how many
    emails were queued. Raises TooSmall when a match has fewer people than the run
    allows (a pair left with one peer after an edit, say), and NotEditable when
    another proposal, published since, took a peer of this run to the number of
    matches the run allows, or put two of its members together already.
    """
    with transaction.atomic():
        try:
            _hold_proposal(run.pk)
        except NotEditable:
            return 0
        small = too_small(run)
        if small:
            raise TooSmall(numbers=small, smallest=run.smallest_match)
        if _clashes_with_published(run):
            raise NotEditable(
                _(
                    "Since this proposal was made, other matches were published for some of "
                    "these peers. Re-run, then publish."
                )
            )
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.PUBLISHED, published_at=timezone.now()
        )
        run.refresh_from_db()
        run.matches.update(status=Match.Status.PUBLISHED)
        link = absolute_url(reverse("matching:my_match", args=[run.initiative_id]))
        queued = 0
        for member in _members_of(run.matches.all()):
            queued += _tell_member(member, run, link) is not None
        audit.log(
            actor=by,
            action="run.publish",
            target=run,
            target_label=_run_label(run),
            matches=run.matches.count(),
            emails=queued,
        )
    return queued


def _clashes_with_published(run):
    busy = current_matches(run.initiative, besides=run)
    proposed = member_ids_by_match(run.matches.all()).values()
    if any(busy.get(member, 0) >= run.matches_per_peer for g in proposed for member in g):
        return True
    live = live_pairs(run.initiative, besides=run)
    return any(frozenset(pair) in live for g in proposed for pair in combinations(g, 2))


def _members_of(matches):
    return MatchMember.objects.filter(match__in=matches).select_related(
        "match", "membership__user", "membership__initiative"
    )


def _tell_member(member, run, link):
    return queue_templated_email(
        to=member.membership.user.email,
        kind="match_published",
        key=f"match-published:{member.match_id}:{member.membership_id}",
        template="match_published",
        context={
            "initiative": member.membership.initiative,
            "person": member.membership.user,
            "link": link,
        },
    )


def end_match(*, match, kind, reason, by):
    """End a published match as completed or discontinued.

    Side effects: updates the match; its two peers are never matched together again;
    one audit entry.
    """
    with transaction.atomic():
        match.end(kind=kind, reason=reason, when=timezone.now())
        audit.log(
            actor=by,
            action="match.end",
            target=match,
            initiative=match.run.initiative_id,
            target_label=_match_label(match),
            match=match.number,
            kind=kind,
        )
