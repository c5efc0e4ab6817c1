"""Every change to runs and matches leaves one entry in the initiative's history."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from initiatives.models import Role
from matching import services
from matching.models import KeptApart, MatchRun
from peerlearn import audit
from peerlearn.models import AuditEntry

from .factories import profile_world, proposed_run, published_run


def url(name, world, **kwargs):
    return reverse(f"matching:{name}", kwargs={"pk": world.initiative.pk, **kwargs})


def peer(world, user):
    return world.initiative.memberships.get(user=user, role=Role.PEER)


def start(client, world):
    client.post(
        url("start", world),
        {
            "group_size": "2",
            **dict.fromkeys(["challenges", "challenge_tags", "position", "task"], "10"),
            **dict.fromkeys(["years_of_service", "background"], "5"),
        },
    )
    return world.facilitator, MatchRun.objects.get()


def publish(client, world):
    run = proposed_run(world.initiative)
    client.post(url("publish", world, run_pk=run.pk))
    return world.facilitator, run


def lock(client, world):
    match = proposed_run(world.initiative).matches.first()
    client.post(url("lock", world, match_pk=match.pk))
    return world.facilitator, match


def unlock(client, world):
    match = proposed_run(world.initiative).matches.first()
    match.set_locked(True)
    client.post(url("unlock", world, match_pk=match.pk))
    return world.facilitator, match


def move(client, world):
    first, second = proposed_run(world.initiative).matches.all()
    member = first.members.first()
    client.post(url("move_member", world, member_pk=member.pk), {"to_match": second.pk})
    return world.facilitator, member.membership


def swap(client, world):
    first, second = proposed_run(world.initiative).matches.all()
    member = first.members.first()
    other = second.members.first()
    client.post(url("swap_member", world, member_pk=member.pk), {"other": other.pk})
    return world.facilitator, member.membership


def remove(client, world):
    member = proposed_run(world.initiative).matches.first().members.first()
    client.post(url("remove_member", world, member_pk=member.pk))
    return world.facilitator, member.membership


def end(client, world):
    match = published_run(world.initiative).matches.first()
    client.post(url("end_match", world, match_pk=match.pk), {"kind": "completed", "reason": "Done"})
    return world.facilitator, match


def keep_apart(client, world):
    first, second = peer(world, world.peer), peer(world, world.peer_elsewhere)
    client.post(url("kept_apart", world), {"first": first.pk, "second": second.pk})
    return world.facilitator, KeptApart.objects.get()


def allow_together(client, world):
    kept = services.keep_apart(
        initiative=world.initiative,
        first=peer(world, world.peer),
        second=peer(world, world.peer_elsewhere),
    )
    client.post(url("remove_kept_apart", world, apart_pk=kept.pk))
    return world.facilitator, kept


CASES = {
    "run.start": start,
    "run.publish": publish,
    "match.lock": lock,
    "match.unlock": unlock,
    "match.move": move,
    "match.swap": swap,
    "match.remove": remove,
    "match.end": end,
    "apart.keep": keep_apart,
    "apart.allow": allow_together,
}


@pytest.mark.parametrize("action", CASES)
def test_each_change_leaves_one_entry_naming_who_what_and_where(
    client, world, action, django_capture_on_commit_callbacks
):
    profile_world(world)
    client.force_login(world.facilitator)

    with django_capture_on_commit_callbacks(execute=True):
        actor, target = CASES[action](client, world)

    entry = AuditEntry.objects.get(action=action)
    assert (entry.actor, entry.target_type, entry.target_id, entry.initiative_id) == (
        actor,
        ContentType.objects.get_for_model(target),
        str(target.pk),
        world.initiative.pk,
    )
    assert audit.label(action) != action


def test_a_finished_run_is_logged_without_a_person(world):
    profile_world(world)

    run = proposed_run(world.initiative)

    entry = AuditEntry.objects.get(action="run.finish")
    assert (entry.actor, entry.target_id, entry.data) == (
        None,
        str(run.pk),
        {"matches": run.matches.count(), "unmatched": len(run.unmatched)},
    )


def test_moving_a_peer_names_them_and_both_matches(client, world):
    profile_world(world)
    first, second = proposed_run(world.initiative).matches.all()
    member = first.members.first()

    services.move_member(member=member, to_match=second, by=world.facilitator)

    entry = AuditEntry.objects.get(action="match.move")
    assert (entry.target_label, entry.data) == (
        str(member.membership.user),
        {"from_match": first.number, "to_match": second.number},
    )


def test_a_refused_edit_leaves_no_entry(world):
    profile_world(world)
    match = published_run(world.initiative).matches.first()

    with pytest.raises(services.NotEditable):
        services.set_locked(match=match, locked=True, by=world.facilitator)

    assert not AuditEntry.objects.filter(action="match.lock").exists()
