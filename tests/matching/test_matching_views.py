import csv
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from initiatives.models import Membership, Role
from matching import services
from matching.models import Match, MatchRun
from peerlearn.models import OutboxEmail
from privacy.models import ConsentKind
from privacy.services import set_consent

from ..factories import OrganisationFactory
from .factories import (
    add_surveyed_peers,
    profile_world,
    proposed_run,
    published_run,
    run_of_pairs,
)


def url(name, world, **kwargs):
    return reverse(f"matching:{name}", kwargs={"pk": world.initiative.pk, **kwargs})


def own_membership(world, user):
    return world.initiative.memberships.get(user=user, role=Role.PEER)


def start_data(**changes):
    data = {
        "group_size": "2",
        "require_shared_language": "on",
        "challenges": "50",
        "challenge_tags": "15",
        "position": "15",
        "task": "10",
        "years_of_service": "5",
        "background": "5",
    }
    return {**data, **changes}


def test_index_shows_the_settings_form(client, world):
    client.force_login(world.facilitator)

    response = client.get(url("index", world))

    assert response.status_code == 200
    assert "Weight of shared challenges and problems" in response.content.decode()


def test_start_runs_matching_and_shows_the_proposal(
    client, world, django_capture_on_commit_callbacks
):
    profile_world(world)
    client.force_login(world.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url("start", world), start_data())

    run = MatchRun.objects.get()
    page = client.get(started.url).content.decode()
    assert (run.status, run.weights["challenges"]) == (MatchRun.Status.PROPOSED, 50)
    assert "Proposed matches" in page
    assert run.matches.first().reason_sentences[0] in page
    assert "Gap to the best possible" in page


def test_start_with_all_weights_zero_shows_the_error_and_keeps_input(client, world):
    client.force_login(world.facilitator)
    zeros = dict.fromkeys(
        ["challenges", "challenge_tags", "position", "task", "years_of_service", "background"],
        "0",
    )

    response = client.post(url("start", world), start_data(group_size="3", **zeros))

    page = response.content.decode()
    assert response.status_code == 200
    assert "At least one weight must be above zero." in page
    assert '<option value="3" selected>' in page
    assert MatchRun.objects.count() == 0


def test_start_with_bad_group_size_is_refused(client, world):
    client.force_login(world.facilitator)

    response = client.post(url("start", world), start_data(group_size="9"))

    assert response.status_code == 200
    assert MatchRun.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "method", "kwargs"),
    [
        ("index", "post", lambda run: {}),
        ("start", "get", lambda run: {}),
        ("run", "post", lambda run: {"run_pk": run.pk}),
        ("publish", "put", lambda run: {"run_pk": run.pk}),
        ("rerun", "get", lambda run: {"run_pk": run.pk}),
        ("lock", "get", lambda run: {"match_pk": run.matches.first().pk}),
        ("move_member", "put", lambda run: {"member_pk": run.matches.first().members.first().pk}),
        ("published", "post", lambda run: {}),
        ("export_csv", "post", lambda run: {"run_pk": run.pk}),
        ("my_match", "post", lambda run: {}),
        ("end_match", "put", lambda run: {"match_pk": run.matches.first().pk}),
    ],
)
def test_wrong_method_is_refused(client, world, name, method, kwargs):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.peer if name == "my_match" else world.facilitator)

    response = getattr(client, method)(url(name, world, **kwargs(run)))

    assert response.status_code == 405


def test_run_page_while_running_refreshes_itself(client, world):
    run = MatchRun.objects.create(initiative=world.initiative)
    client.force_login(world.facilitator)

    response = client.get(run.get_absolute_url())

    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'hx-trigger="every 2s"' in page


def test_run_progress_partial_for_htmx(client, world):
    run = MatchRun.objects.create(initiative=world.initiative, progress=10)
    client.force_login(world.facilitator)

    response = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.strip().startswith('<div id="run-progress"')
    assert "<h1>" not in page


def test_run_progress_partial_reloads_when_done(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    response = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})

    assert response.headers["HX-Refresh"] == "true"


def test_lock_and_unlock_a_match(client, world):
    profile_world(world)
    match = proposed_run(world.initiative).matches.first()
    client.force_login(world.facilitator)

    client.post(url("lock", world, match_pk=match.pk))
    match.refresh_from_db()
    locked = match.locked
    client.post(url("unlock", world, match_pk=match.pk))
    match.refresh_from_db()

    assert (locked, match.locked) == (True, False)


def test_rerun_keeps_the_locked_match_through_the_browser(
    client, world, django_capture_on_commit_callbacks
):
    profile_world(world)
    run = proposed_run(world.initiative)
    match = run.matches.first()
    kept = set(match.members.values_list("membership_id", flat=True))
    client.force_login(world.facilitator)
    client.post(url("lock", world, match_pk=match.pk))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("rerun", world, run_pk=run.pk))

    new_run = MatchRun.objects.exclude(pk=run.pk).get()
    locked = new_run.matches.get(locked=True)
    assert response.url == new_run.get_absolute_url()
    assert set(locked.members.values_list("membership_id", flat=True)) == kept


def test_move_member_to_another_match(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    member = first.members.first()
    client.force_login(world.facilitator)

    response = client.post(url("move_member", world, member_pk=member.pk), {"to_match": second.pk})

    member.refresh_from_db()
    assert response.url == f"{run.get_absolute_url()}?match={second.number}#match-{second.number}"
    assert member.match_id == second.pk


def test_move_member_to_an_unknown_match_shows_an_error(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    member = run.matches.first().members.first()
    client.force_login(world.facilitator)

    response = client.post(url("move_member", world, member_pk=member.pk), {"to_match": "999"})

    member.refresh_from_db()
    assert response.status_code == 200
    assert "Choose one of the matches listed" in response.content.decode()
    assert member.match.run_id == run.pk


def test_swap_a_member_from_the_swap_page(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    member, other = first.members.first(), second.members.first()
    client.force_login(world.facilitator)

    before = client.get(run.get_absolute_url()).content.decode()
    page = client.get(url("swap_member", world, member_pk=member.pk)).content.decode()
    response = client.post(url("swap_member", world, member_pk=member.pk), {"other": other.pk})

    member.refresh_from_db()
    other.refresh_from_db()
    after = client.get(response.url).content.decode()
    assert f"Swap with {other.membership.user}" in page
    assert (member.match_id, other.match_id) == (second.pk, first.pk)
    assert "Total score after your changes" not in before
    assert "Total score after your changes" in after


def test_swap_with_someone_in_the_same_match_shows_an_error(client, world):
    profile_world(world)
    match = proposed_run(world.initiative).matches.first()
    member, other = match.members.all()
    client.force_login(world.facilitator)

    response = client.post(url("swap_member", world, member_pk=member.pk), {"other": other.pk})

    assert response.status_code == 200
    assert "Choose someone listed: in another match of this run" in response.content.decode()
    assert set(match.members.values_list("pk", flat=True)) == {member.pk, other.pk}


def test_swap_page_queries_do_not_grow_with_matches(client, world, django_assert_max_num_queries):
    profile_world(world)
    few_run = proposed_run(world.initiative)
    page = url("swap_member", world, member_pk=few_run.matches.first().members.first().pk)
    few = count_queries(client, world.facilitator, page, django_assert_max_num_queries)
    add_surveyed_peers(world.initiative, 16)
    many_run = proposed_run(world.initiative)
    page = url("swap_member", world, member_pk=many_run.matches.first().members.first().pk)

    many = count_queries(client, world.facilitator, page, django_assert_max_num_queries)

    assert many_run.matches.count() == 10
    assert many == few


def test_moving_two_colleagues_together_shows_the_broken_rule(client, world):
    ministry, treasury = OrganisationFactory(), OrganisationFactory()
    add_surveyed_peers(world.initiative, 2, organisation=ministry)
    add_surveyed_peers(world.initiative, 2, organisation=treasury)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    moved = first.members.get(membership__home_organisation=ministry)
    client.force_login(world.facilitator)
    before = client.get(run.get_absolute_url()).content.decode()

    client.post(url("move_member", world, member_pk=moved.pk), {"to_match": second.pk})

    page = client.get(run.get_absolute_url()).content.decode()
    assert "breaks the run's rules" not in before
    assert "breaks the run's rules" in page
    assert "are from the same home organisation." in page


def test_swapping_peers_kept_apart_together_shows_the_broken_rule(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    member, other = first.members.first(), second.members.first()
    partner = second.members.exclude(pk=other.pk).get()
    services.keep_apart(
        initiative=world.initiative, first=member.membership, second=partner.membership
    )
    client.force_login(world.facilitator)

    client.post(url("swap_member", world, member_pk=member.pk), {"other": other.pk})

    page = client.get(run.get_absolute_url()).content.decode()
    assert "are to be kept apart." in page


def test_remove_member_shows_them_as_unmatched(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    member = run.matches.first().members.first()
    client.force_login(world.facilitator)

    response = client.post(url("remove_member", world, member_pk=member.pk), follow=True)

    page = response.content.decode()
    assert "Peers not matched" in page
    assert "Taken out by a facilitator." in page


def test_publish_tells_each_peer_once(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    first = client.post(url("publish", world, run_pk=run.pk))
    client.post(url("publish", world, run_pk=run.pk))

    run.refresh_from_db()
    assert first.url == url("published", world)
    assert run.status == MatchRun.Status.PUBLISHED
    assert OutboxEmail.objects.filter(kind="match_published").count() == 4


def test_changes_after_publish_are_refused_with_a_message(client, world):
    profile_world(world)
    run = published_run(world.initiative)
    match = run.matches.first()
    client.force_login(world.facilitator)

    response = client.post(url("lock", world, match_pk=match.pk), follow=True)

    match.refresh_from_db()
    assert "can no longer change" in response.content.decode()
    assert match.locked is False


def test_peer_sees_the_match_only_after_publish(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    for membership in Membership.objects.filter(initiative=world.initiative):
        set_consent(person=membership.user, kind=ConsentKind.ANSWERS_TO_MATCHES, given=True)
    client.force_login(world.peer)
    before = client.get(url("my_match", world)).content.decode()

    services.publish_matches(run=run, by=world.facilitator)
    after = client.get(url("my_match", world)).content.decode()

    member = run.matches.get(members__membership=own_membership(world, world.peer))
    partner = member.members.exclude(membership__user=world.peer).get().membership.user
    assert "has not been published yet" in before
    assert partner.email not in before
    assert partner.email in after
    assert member.reason_sentences[0] in after


def test_next_steps_lead_to_the_match(client, world):
    profile_world(world)
    published_run(world.initiative)
    client.force_login(world.peer)

    page = client.get(reverse("home")).content.decode()

    assert "See who you are matched with." in page


def test_end_match_as_discontinued(client, world):
    profile_world(world)
    match = published_run(world.initiative).matches.first()
    client.force_login(world.facilitator)

    response = client.post(
        url("end_match", world, match_pk=match.pk),
        {"kind": "discontinued", "reason": "One peer changed jobs"},
    )

    match.refresh_from_db()
    assert response.url == url("published", world)
    assert (match.status, match.end_kind) == (Match.Status.ENDED, "discontinued")


def test_end_match_without_reason_shows_the_error(client, world):
    profile_world(world)
    match = published_run(world.initiative).matches.first()
    client.force_login(world.facilitator)

    response = client.post(url("end_match", world, match_pk=match.pk), {"kind": "completed"})

    match.refresh_from_db()
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert match.status == Match.Status.PUBLISHED


def test_export_csv_lists_one_row_per_peer(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    response = client.get(url("export_csv", world, run_pk=run.pk))

    rows = list(csv.reader(StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["group", "email", "name", "organisation", "score", "reasons"]
    assert sorted(row[0] for row in rows[1:]) == ["1", "1", "2", "2"]
    assert world.peer.email in {row[1] for row in rows[1:]}


def test_export_xlsx_lists_one_row_per_peer(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    response = client.get(url("export_xlsx", world, run_pk=run.pk))

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("group", "email", "name", "organisation", "score", "reasons")
    assert len(rows) == 5
    assert rows[1][5] == "; ".join(run.matches.first().reason_sentences)


def count_queries(client, user, page, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(40) as captured:
        response = client.get(page)
    assert response.status_code == 200
    return len(captured)


def test_run_page_queries_do_not_grow_with_matches(client, world, django_assert_max_num_queries):
    profile_world(world)
    few_run = proposed_run(world.initiative)
    few_run.unmatched = [
        {"membership": few_run.matches.first().members.first().membership_id, "reason": "test"}
    ]
    few_run.save()
    few = count_queries(
        client, world.facilitator, few_run.get_absolute_url(), django_assert_max_num_queries
    )
    add_surveyed_peers(world.initiative, 16)
    many_run = proposed_run(world.initiative)
    many_run.unmatched = [
        {"membership": m.membership_id, "reason": "test"}
        for m in many_run.matches.first().members.all()
    ]
    many_run.save()

    many = count_queries(
        client, world.facilitator, many_run.get_absolute_url(), django_assert_max_num_queries
    )

    assert many_run.matches.count() == 10
    assert many == few


def test_published_list_queries_do_not_grow_with_matches(
    client, world, django_assert_max_num_queries
):
    profile_world(world)
    published_run(world.initiative)
    page = url("published", world)
    few = count_queries(client, world.facilitator, page, django_assert_max_num_queries)
    add_surveyed_peers(world.initiative, 16)
    published_run(world.initiative)

    many = count_queries(client, world.facilitator, page, django_assert_max_num_queries)

    assert Match.objects.filter(status=Match.Status.PUBLISHED).count() == 10
    assert many == few


def test_export_keeps_formulas_as_text(client, world):
    profile_world(world)
    world.peer.name = "=HYPERLINK(1)"
    world.peer.save()
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    response = client.get(url("export_csv", world, run_pk=run.pk))

    names = [row[2] for row in csv.reader(StringIO(response.content.decode()))]
    assert "'=HYPERLINK(1)" in names


def test_second_round_from_the_browser_matches_peers_again(
    client, world, django_capture_on_commit_callbacks
):
    profile_world(world)
    first = published_run(world.initiative)
    client.force_login(world.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url("start", world), start_data(matches_per_peer="2"))

    second = MatchRun.objects.exclude(pk=first.pk).get()
    page = client.get(started.url).content.decode()
    assert (second.matches_per_peer, second.matches.count()) == (2, 2)
    assert "Proposed matches" in page


def test_start_with_default_settings_leaves_out_peers_in_a_published_match(
    client, world, django_capture_on_commit_callbacks
):
    profile_world(world)
    first = published_run(world.initiative)
    client.force_login(world.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url("start", world), start_data())

    second = MatchRun.objects.exclude(pk=first.pk).get()
    assert (second.matches_per_peer, second.matches.count()) == (1, 0)
    assert "Already in 1 match; the limit is 1." in client.get(started.url).content.decode()


def kept_apart_data(world, first, second, reason=""):
    return {
        "first": own_membership(world, first).pk,
        "second": own_membership(world, second).pk,
        "reason": reason,
    }


def test_keep_two_peers_apart_lists_them(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        url("kept_apart", world),
        kept_apart_data(world, world.peer, world.peer_elsewhere, "Same reform team"),
        follow=True,
    )

    page = response.content.decode()
    kept = world.initiative.kept_apart.get()
    assert {kept.first.user, kept.second.user} == {world.peer, world.peer_elsewhere}
    assert "These two peers will not be matched together." in page
    assert "Same reform team" in page
    index = client.get(url("index", world)).content.decode()
    assert "Peers kept apart (1 pair)" in index


def test_keep_a_peer_apart_from_themselves_shows_the_error_and_keeps_input(client, world):
    client.force_login(world.facilitator)

    response = client.post(
        url("kept_apart", world),
        kept_apart_data(world, world.peer, world.peer, "Typed reason"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose two different peers." in page
    assert 'value="Typed reason"' in page
    assert world.initiative.kept_apart.count() == 0


def test_keep_apart_twice_shows_that_they_are_apart_already(client, world):
    client.force_login(world.facilitator)
    client.post(url("kept_apart", world), kept_apart_data(world, world.peer, world.peer_elsewhere))

    response = client.post(
        url("kept_apart", world), kept_apart_data(world, world.peer_elsewhere, world.peer)
    )

    assert "These two peers are kept apart already." in response.content.decode()
    assert world.initiative.kept_apart.count() == 1


def test_keep_apart_refuses_a_peer_of_another_initiative(client, world):
    client.force_login(world.facilitator)
    data = kept_apart_data(world, world.peer, world.peer_elsewhere)
    data["second"] = world.peer_other_initiative.memberships.get().pk

    response = client.post(url("kept_apart", world), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert world.initiative.kept_apart.count() == 0


def test_allow_together_again_removes_the_pair(client, world):
    client.force_login(world.facilitator)
    client.post(url("kept_apart", world), kept_apart_data(world, world.peer, world.peer_elsewhere))
    kept = world.initiative.kept_apart.get()

    response = client.post(url("remove_kept_apart", world, apart_pk=kept.pk), follow=True)

    assert "These two peers can be matched together again." in response.content.decode()
    assert world.initiative.kept_apart.count() == 0


def test_kept_apart_page_queries_do_not_grow_with_pairs(
    client, world, django_assert_max_num_queries
):
    peers = add_surveyed_peers(world.initiative, 12)
    services.keep_apart(initiative=world.initiative, first=peers[0], second=peers[1])
    page = url("kept_apart", world)
    few = count_queries(client, world.facilitator, page, django_assert_max_num_queries)
    for first, second in zip(peers[2::2], peers[3::2], strict=True):
        services.keep_apart(initiative=world.initiative, first=first, second=second)

    many = count_queries(client, world.facilitator, page, django_assert_max_num_queries)

    assert world.initiative.kept_apart.count() == 6
    assert many == few


# The run page and its choice pages stay the same size however many peers a run has.


def get_counted(client, user, page, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(40) as captured:
        response = client.get(page)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def move_links(page):
    return page.count("Move…<span")


def test_run_page_lists_a_page_of_matches_with_fixed_queries(
    client, world, django_assert_max_num_queries
):
    few_run = run_of_pairs(world.initiative, 1)
    few_page, few = get_counted(
        client, world.facilitator, few_run.get_absolute_url(), django_assert_max_num_queries
    )
    many_run = run_of_pairs(world.initiative, 60)

    many_page, many = get_counted(
        client, world.facilitator, many_run.get_absolute_url(), django_assert_max_num_queries
    )

    assert many == few
    assert (move_links(few_page), move_links(many_page)) == (2, 100)
    assert many_page.count("<option") == few_page.count("<option")
    assert "Page 1 of 2" in many_page
    assert 'id="match-50"' in many_page
    assert 'id="match-51"' not in many_page


def test_run_page_opens_at_the_page_of_a_match_number(client, world):
    run = run_of_pairs(world.initiative, 60)
    client.force_login(world.facilitator)

    page = client.get(f"{run.get_absolute_url()}?match=55").content.decode()

    assert "Page 2 of 2" in page
    assert 'id="match-55"' in page
    assert 'id="match-1"' not in page


def member_page(client, world, view, pairs, django_assert_max_num_queries):
    """The Move… or Swap… page of a member of a new run of `pairs` pairs, and its queries."""
    member = run_of_pairs(world.initiative, pairs).matches.first().members.first()
    return get_counted(
        client,
        world.facilitator,
        url(view, world, member_pk=member.pk),
        django_assert_max_num_queries,
    )


def test_move_page_lists_a_page_of_targets_with_fixed_queries(
    client, world, django_assert_max_num_queries
):
    few_page, few = member_page(client, world, "move_member", 2, django_assert_max_num_queries)

    many_page, many = member_page(client, world, "move_member", 60, django_assert_max_num_queries)

    assert many == few
    assert (few_page.count('name="to_match"'), many_page.count('name="to_match"')) == (1, 50)
    assert "Page 1 of 2" in many_page


def test_swap_page_lists_a_page_of_people_with_fixed_queries(
    client, world, django_assert_max_num_queries
):
    few_page, few = member_page(client, world, "swap_member", 2, django_assert_max_num_queries)

    many_page, many = member_page(client, world, "swap_member", 60, django_assert_max_num_queries)

    assert many == few
    assert (few_page.count('name="other"'), many_page.count('name="other"')) == (2, 50)


def test_move_page_finds_a_match_by_a_members_name(client, world):
    run = run_of_pairs(world.initiative, 8)
    member = run.matches.get(number=1).members.first()
    wanted = run.matches.get(number=7).members.first().membership.user
    wanted.name = "Zinaida Wanted"
    wanted.save()
    client.force_login(world.facilitator)

    page = client.get(
        url("move_member", world, member_pk=member.pk), {"q": "zinaida"}
    ).content.decode()

    assert f"Move {member.membership.user} to match 7" in page
    assert page.count('name="to_match"') == 1
    assert 'value="zinaida"' in page


def test_swap_page_finds_people_by_name(client, world):
    run = run_of_pairs(world.initiative, 8)
    member = run.matches.get(number=1).members.first()
    wanted = run.matches.get(number=4).members.first().membership.user
    wanted.name = "Zinaida Wanted"
    wanted.save()
    client.force_login(world.facilitator)

    page = client.get(
        url("swap_member", world, member_pk=member.pk), {"q": "Wanted"}
    ).content.decode()

    assert "Swap with Zinaida Wanted" in page
    assert page.count('name="other"') == 1


# Locked matches keep their members.


def test_locked_match_is_not_offered_and_refuses_members(client, world):
    run = run_of_pairs(world.initiative, 3)
    first, locked, third = run.matches.all()
    services.set_locked(match=locked, locked=True, by=None)
    member = first.members.first()
    locked_names = [m.membership.user.name for m in locked.members.all()]
    client.force_login(world.facilitator)

    move_page = client.get(url("move_member", world, member_pk=member.pk)).content.decode()
    swap_page = client.get(url("swap_member", world, member_pk=member.pk)).content.decode()
    response = client.post(url("move_member", world, member_pk=member.pk), {"to_match": locked.pk})

    member.refresh_from_db()
    assert f"to match {third.number}" in move_page
    assert f"to match {locked.number}" not in move_page
    assert not any(f"Swap with {name}" in swap_page for name in locked_names)
    assert "a locked match takes nobody in" in response.content.decode()
    assert (member.match_id, locked.members.count()) == (first.pk, 2)


def test_members_of_a_locked_match_stay_put(client, world):
    run = run_of_pairs(world.initiative, 2)
    locked, other = run.matches.all()
    services.set_locked(match=locked, locked=True, by=None)
    member = locked.members.first()
    client.force_login(world.facilitator)

    run_page = client.get(run.get_absolute_url()).content.decode()
    move_page = client.get(url("move_member", world, member_pk=member.pk)).content.decode()
    removed = client.post(url("remove_member", world, member_pk=member.pk), follow=True)
    swapped = client.post(
        url("swap_member", world, member_pk=member.pk),
        {"other": other.members.first().pk},
        follow=True,
    )

    assert move_links(run_page) == 2  # only the unlocked match's two members
    assert "Match 1 is locked: unlock it to change who is in it." in move_page
    assert "Match 1 is locked: unlock it to change who is in it." in removed.content.decode()
    assert "Match 1 is locked: unlock it to change who is in it." in swapped.content.decode()
    member.refresh_from_db()
    assert (member.match_id, locked.members.count()) == (locked.pk, 2)


# Publishing asks first, and refuses matches that are too small.


def test_publish_asks_to_confirm_and_changes_nothing_yet(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    response = client.get(url("publish", world, run_pk=run.pk))

    page = response.content.decode()
    run.refresh_from_db()
    assert response.status_code == 200
    assert "4 peers are emailed now" in page
    assert "Publishing cannot be undone" in page
    assert "Publish and email the peers" in page
    assert run.status == MatchRun.Status.PROPOSED
    assert OutboxEmail.objects.count() == 0


def test_run_page_links_to_the_publish_confirmation(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    client.force_login(world.facilitator)

    page = client.get(run.get_absolute_url()).content.decode()

    confirm = url("publish", world, run_pk=run.pk)
    assert f'href="{confirm}"' in page
    assert f'action="{confirm}"' not in page


def test_moving_the_last_but_one_member_out_blocks_publishing_with_the_reason(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    client.force_login(world.facilitator)
    client.post(
        url("move_member", world, member_pk=first.members.first().pk), {"to_match": second.pk}
    )

    run_page = client.get(run.get_absolute_url()).content.decode()
    confirm = client.get(url("publish", world, run_pk=run.pk)).content.decode()
    response = client.post(url("publish", world, run_pk=run.pk))

    refused = response.content.decode()
    run.refresh_from_db()
    assert "This match has fewer than 2 people: it cannot be published as it is." in run_page
    assert f"Match {first.number}</a>" in confirm
    assert "Publish and email the peers" not in confirm
    assert (
        f"Match {first.number} has fewer than 2 people, and every match needs at least 2 "
        "to be published." in refused
    )
    assert run.status == MatchRun.Status.PROPOSED
    assert OutboxEmail.objects.filter(kind="match_published").count() == 0


def test_publish_after_the_last_member_is_moved_out_works(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    client.force_login(world.facilitator)
    for member in list(first.members.all()):
        client.post(url("move_member", world, member_pk=member.pk), {"to_match": second.pk})

    response = client.post(url("publish", world, run_pk=run.pk))

    assert response.url == url("published", world)
    assert OutboxEmail.objects.filter(kind="match_published").count() == 4


# Match numbers are given once.


def row_with(page, text):
    return next(row for row in page.split("<tr>") if text in row)


def test_match_numbers_stay_after_an_edit_and_on_the_published_page(client, world):
    profile_world(world)
    run = proposed_run(world.initiative)
    first, second = run.matches.all()
    member, other = first.members.first(), second.members.first()
    client.force_login(world.facilitator)
    client.post(url("swap_member", world, member_pk=member.pk), {"other": other.pk})
    # As if the swap had made the second match the better one.
    Match.objects.filter(pk=second.pk).update(score=first.score + 1)

    run_page = client.get(run.get_absolute_url()).content.decode()
    client.post(url("publish", world, run_pk=run.pk))
    published_page = client.get(url("published", world)).content.decode()

    assert (first.number, second.number) == (1, 2)
    assert run_page.index('id="match-1"') < run_page.index('id="match-2"')
    heading = run_page[
        run_page.index('id="match-2"') : run_page.index("</table>", run_page.index('id="match-2"'))
    ]
    assert str(member.membership.user.name) in heading
    assert '<th scope="row">2</th>' in row_with(published_page, str(member.membership.user))
    assert '<th scope="row">1</th>' in row_with(published_page, str(other.membership.user))


def test_taking_a_peer_out_is_offered_on_their_move_page_not_on_the_run_page(client, world):
    run = run_of_pairs(world.initiative, 2)
    member = run.matches.first().members.first()
    remove = url("remove_member", world, member_pk=member.pk)
    client.force_login(world.facilitator)

    run_page = client.get(run.get_absolute_url()).content.decode()
    move_page = client.get(url("move_member", world, member_pk=member.pk)).content.decode()

    assert f'action="{remove}"' not in run_page
    assert f'action="{remove}"' in move_page
    assert f"Take {member.membership.user} out of the matches" in move_page
