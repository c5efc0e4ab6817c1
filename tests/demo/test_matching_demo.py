from django.core.management import call_command

from matching.models import Match, MatchRun


def test_load_demo_publishes_one_run_of_the_surveyed_peers(db):
    call_command("load_demo")
    call_command("load_demo")

    run = MatchRun.objects.get(initiative__title="Budget Execution Community of Practice 2027")
    assert run.status == MatchRun.Status.PUBLISHED
    matched = Match.objects.filter(run=run).values_list("members__membership", flat=True)
    assert len(matched) == len(set(matched)) == 22
    assert all(match.reasons for match in run.matches.all())
