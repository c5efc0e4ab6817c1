from django.core.management import call_command

from initiatives.models import Initiative, Role
from matching.models import MatchRun

from .factories import PeerProfileFactory


def test_load_demo_without_profiles_makes_no_run(db):
    call_command("load_demo")

    assert MatchRun.objects.count() == 0


def test_load_demo_with_profiles_publishes_one_run(db):
    call_command("load_demo")
    initiative = Initiative.objects.get()
    for membership in initiative.memberships.filter(role=Role.PEER):
        PeerProfileFactory(membership=membership)

    call_command("load_demo")
    call_command("load_demo")

    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.PUBLISHED
    assert run.matches.count() == 15
