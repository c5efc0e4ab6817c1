from itertools import combinations

import pytest

from benchmarks.banks.first import PROBLEMS
from initiatives import road_map
from initiatives.models import Stage
from matching import queries, services
from matching.models import Match, MatchMember, MatchRun, default_weights
from peerlearn.models import OutboxEmail

from ..factories import InitiativeFactory, OrganisationFactory
from .factories import add_surveyed_peers, proposed_run, published_run, run_of_pairs


def member_sets(run):
    return [
        {member.membership_id for member in match.members.all()}
        for match in run.matches.prefetch_related("members")
    ]


def test_start_run_matches_on_commit(db, django_capture_on_commit_callbacks):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)

    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(
            initiative=initiative,
            by=None,
            settings={"group_size": 2, "allow_same_organisation": False},
        )

    run.refresh_from_db()
    assert (run.status, run.progress, run.matches.count()) == (MatchRun.Status.PROPOSED, 100, 2)


def test_run_matching_never_pairs_two_of_one_organisation(db):
    initiative = InitiativeFactory()
    ministry, treasury = OrganisationFactory(), OrganisationFactory()
    add_surveyed_peers(initiative, 3, organisation=ministry)
    add_surveyed_peers(initiative, 3, organisation=treasury)

    run = proposed_run(initiative)

    organisations = [
        {member.membership.home_organisation_id for member in match.members.all()}
        for match in run.matches.prefetch_related("members__membership")
    ]
    assert organisations == [{ministry.pk, treasury.pk}] * 3


def test_run_matching_leaves_out_peers_without_a_completed_survey(db):
    initiative = InitiativeFactory()
    peers = add_surveyed_peers(initiative, 4)
    peers[0].profile.survey_completed_at = None
    peers[0].profile.save()

    run = proposed_run(initiative)

    matched = set().union(*member_sets(run))
    assert peers[0].pk not in matched
    assert len(matched) == 3


def test_run_matching_a_second_time_changes_nothing(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative)

    services.run_matching(run=run)

    assert run.matches.count() == 2


def test_rerun_keeps_the_locked_match(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 8)
    run = proposed_run(initiative)
    locked = run.matches.last()
    services.set_locked(match=locked, locked=True, by=None)
    kept = {member.membership_id for member in locked.members.all()}

    new_run = services.rerun(run=run, by=None)
    services.run_matching(run=new_run)

    assert kept in member_sets(new_run)
    assert new_run.matches.filter(locked=True).count() == 1


def test_move_member_changes_both_matches(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative)
    first, second = run.matches.all()
    member = first.members.first()

    services.move_member(member=member, to_match=second, by=None)

    assert (first.members.count(), second.members.count()) == (1, 3)
    assert member.membership_id in {m.membership_id for m in second.members.all()}


def test_moving_a_member_there_and_back_gives_the_scores_of_the_run(db):
    initiative = InitiativeFactory()
    for number, peer in enumerate(add_surveyed_peers(initiative, 24)):
        area, statements = PROBLEMS[number // 2]
        peer.profile.challenges = statements[number % 2]
        peer.profile.challenge_tags = [area]
        peer.profile.save()
    run = proposed_run(initiative, weights={**default_weights(), "position": 0})
    first, second = list(run.matches.all())[:2]
    scores = (first.score, second.score)
    member = first.members.first()

    services.move_member(member=member, to_match=second, by=None)
    services.move_member(member=MatchMember.objects.get(pk=member.pk), to_match=first, by=None)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.score, second.score) == pytest.approx(scores, abs=1e-6)


def test_swap_members_exchanges_two_peers_between_matches(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative)
    first, second = run.matches.all()
    member, other = first.members.first(), second.members.first()
    stays = first.members.exclude(pk=member.pk).get().membership_id

    services.swap_members(member=member, other=other, by=None)

    assert {m.membership_id for m in first.members.all()} == {stays, other.membership_id}
    assert member.membership_id in {m.membership_id for m in second.members.all()}


def test_swap_within_one_match_is_refused(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    match = proposed_run(initiative).matches.first()
    member, other = match.members.all()

    with pytest.raises(services.NotEditable):
        services.swap_members(member=member, other=other, by=None)

    assert set(match.members.values_list("pk", flat=True)) == {member.pk, other.pk}


def test_remove_member_lists_the_peer_as_unmatched(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative)
    member = run.matches.first().members.first()

    services.remove_member(member=member, by=None)

    run.refresh_from_db()
    assert MatchMember.objects.filter(match__run=run).count() == 3
    assert [item["membership"] for item in run.unmatched] == [member.membership_id]


def test_remove_last_member_deletes_the_match(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative)
    match = run.matches.first()
    first, second = match.members.all()

    services.remove_member(member=first, by=None)
    services.remove_member(member=second, by=None)

    assert run.matches.count() == 1


def test_publish_queues_one_email_per_peer_once(db):
    initiative = InitiativeFactory()
    peers = add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative)

    first = services.publish_matches(run=run, by=None)
    second = services.publish_matches(run=run, by=None)

    emails = OutboxEmail.objects.filter(kind="match_published")
    assert (first, second) == (4, 0)
    assert sorted(emails.values_list("to", flat=True)) == sorted(p.user.email for p in peers)
    assert f"/initiatives/{initiative.pk}/my-match/" in emails.first().body
    assert set(run.matches.values_list("status", flat=True)) == {Match.Status.PUBLISHED}


def test_published_matches_cannot_be_changed(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = published_run(initiative)
    member = run.matches.first().members.first()

    try:
        services.remove_member(member=member, by=None)
    except services.NotEditable:
        refused = True

    assert refused
    assert MatchMember.objects.filter(match__run=run).count() == 4


def test_discontinued_peers_are_never_paired_again(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = published_run(initiative)
    for match in run.matches.all():
        services.end_match(match=match, kind=Match.EndKind.DISCONTINUED, reason="No time", by=None)
    old_pairs = {frozenset(pair) for group in member_sets(run) for pair in combinations(group, 2)}

    new_run = proposed_run(initiative)

    new_pairs = {
        frozenset(pair) for group in member_sets(new_run) for pair in combinations(group, 2)
    }
    assert len(new_pairs) == 2
    assert new_pairs & old_pairs == set()


def test_peers_in_a_live_match_are_not_matched_again(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    published_run(initiative)

    new_run = proposed_run(initiative)

    assert (new_run.matches.count(), len(new_run.unmatched)) == (0, 4)


def test_publish_refuses_peers_already_in_a_published_match(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    first = proposed_run(initiative)
    second = proposed_run(initiative)
    services.publish_matches(run=first, by=None)

    try:
        services.publish_matches(run=second, by=None)
    except services.NotEditable:
        refused = True

    second.refresh_from_db()
    assert refused
    assert second.status == MatchRun.Status.PROPOSED
    assert OutboxEmail.objects.filter(kind="match_published").count() == 4


def test_run_matching_without_surveyed_peers_proposes_nothing(db):
    initiative = InitiativeFactory()

    run = proposed_run(initiative)

    assert (run.status, run.matches.count(), run.unmatched) == (MatchRun.Status.PROPOSED, 0, [])


def test_run_matching_failure_marks_the_run_failed(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 2)

    run = proposed_run(initiative, weights={"challenges": -1})

    assert run.status == MatchRun.Status.FAILED
    assert run.error


def test_foundation_stays_open_until_matches_are_published(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 2)
    before = road_map.open_items(initiative, Stage.FOUNDATION)

    published_run(initiative)

    after = road_map.open_items(initiative, Stage.FOUNDATION)
    assert "No matches have been published to peers yet." in before
    assert "No matches have been published to peers yet." not in after


def test_locks_of_an_older_proposal_skip_peers_published_since(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    older = proposed_run(initiative)
    services.set_locked(match=older.matches.first(), locked=True, by=None)
    services.publish_matches(
        run=services.run_matching(run=services.rerun(run=older, by=None)), by=None
    )

    newest = proposed_run(initiative)

    assert newest.matches.count() == 0


def pairs_of(run):
    return {frozenset(pair) for group in member_sets(run) for pair in combinations(group, 2)}


def test_second_round_matches_busy_peers_with_new_partners(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 6)
    first = published_run(initiative)

    second = proposed_run(initiative, matches_per_peer=2)

    assert (second.matches.count(), second.unmatched) == (3, [])
    assert pairs_of(second) & pairs_of(first) == set()


def test_second_round_leaves_out_peers_at_their_limit(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    published_run(initiative)
    published_run(initiative, matches_per_peer=2)

    third = proposed_run(initiative, matches_per_peer=2)

    assert third.matches.count() == 0
    assert {item["reason"] for item in third.unmatched} == {"Already in 2 matches; the limit is 2."}


def test_peers_kept_apart_are_never_matched_together(db):
    initiative = InitiativeFactory()
    peers = {peer.pk: peer for peer in add_surveyed_peers(initiative, 4)}
    preferred = pairs_of(proposed_run(initiative))
    for pair in preferred:
        first, second = sorted(pair, reverse=True)
        services.keep_apart(initiative=initiative, first=peers[first], second=peers[second])

    run = proposed_run(initiative)

    assert run.matches.count() == 2
    assert pairs_of(run) & preferred == set()


def test_keep_apart_twice_records_the_pair_once(db):
    initiative = InitiativeFactory()
    first, second = add_surveyed_peers(initiative, 2)

    services.keep_apart(initiative=initiative, first=first, second=second)
    services.keep_apart(initiative=initiative, first=second, second=first)

    assert initiative.kept_apart.count() == 1
    assert proposed_run(initiative).matches.count() == 0


def test_publish_refuses_a_second_round_repeating_a_partner_published_since(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    first = proposed_run(initiative, matches_per_peer=2)
    second = proposed_run(initiative, matches_per_peer=2)
    services.publish_matches(run=first, by=None)
    shared = pairs_of(first) & pairs_of(second)

    try:
        services.publish_matches(run=second, by=None)
        refused = False
    except services.NotEditable:
        refused = True

    assert shared  # the same settings give the same proposal
    assert refused


def test_rerun_keeps_the_number_of_matches_a_peer_may_be_in(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    run = proposed_run(initiative, matches_per_peer=3)

    again = services.rerun(run=run, by=None)

    assert again.matches_per_peer == 3


def test_run_numbers_its_matches_best_score_first(db):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 8)

    run = proposed_run(initiative)

    matches = list(run.matches.all())
    assert [match.number for match in matches] == [1, 2, 3, 4]
    assert [match.score for match in matches] == sorted((m.score for m in matches), reverse=True)


def test_edits_keep_match_numbers(db):
    initiative = InitiativeFactory()
    run = run_of_pairs(initiative, 3)
    first, second, third = run.matches.all()

    services.swap_members(member=first.members.first(), other=third.members.first(), by=None)
    services.move_member(member=second.members.first(), to_match=third, by=None)

    assert list(run.matches.values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("into_locked", [True, False])
def test_move_refuses_a_locked_match_either_way(db, into_locked):
    run = run_of_pairs(InitiativeFactory(), 2)
    first, second = run.matches.all()
    services.set_locked(match=second if into_locked else first, locked=True, by=None)
    member = first.members.first()

    with pytest.raises(services.NotEditable, match="is locked"):
        services.move_member(member=member, to_match=second, by=None)

    assert (first.members.count(), second.members.count()) == (2, 2)


def test_swap_refuses_a_locked_match(db):
    run = run_of_pairs(InitiativeFactory(), 2)
    first, second = run.matches.all()
    services.set_locked(match=second, locked=True, by=None)

    with pytest.raises(services.NotEditable, match="Match 2 is locked"):
        services.swap_members(member=first.members.first(), other=second.members.first(), by=None)

    assert second.members.count() == 2


def test_remove_refuses_a_member_of_a_locked_match(db):
    run = run_of_pairs(InitiativeFactory(), 1)
    match = run.matches.get()
    services.set_locked(match=match, locked=True, by=None)

    with pytest.raises(services.NotEditable, match="Match 1 is locked"):
        services.remove_member(member=match.members.first(), by=None)

    assert match.members.count() == 2


def test_publish_refuses_matches_below_the_smallest_size_and_names_them(db):
    initiative = InitiativeFactory()
    run = run_of_pairs(initiative, 3)
    first, second, third = run.matches.all()
    services.move_member(member=second.members.first(), to_match=third, by=None)

    with pytest.raises(services.TooSmall) as refused:
        services.publish_matches(run=run, by=None)

    run.refresh_from_db()
    assert refused.value.numbers == [2]
    assert str(refused.value).startswith("Match 2 has fewer than 2 people")
    assert run.status == MatchRun.Status.PROPOSED
    assert OutboxEmail.objects.count() == 0


def test_smallest_match_follows_the_group_size(db):
    sizes = [MatchRun(group_size=size).smallest_match for size in (2, 3, 4, 6)]

    assert sizes == [2, 2, 3, 5]


def test_total_after_changes_counts_half_a_score_per_member(db):
    run = run_of_pairs(InitiativeFactory(), 2)
    first, second = run.matches.all()
    unchanged = queries.total_after_changes(run)
    Match.objects.filter(pk=first.pk).update(score=0.9)

    changed = queries.total_after_changes(run)

    assert unchanged is None
    assert changed == pytest.approx(0.9 + 0.5)
