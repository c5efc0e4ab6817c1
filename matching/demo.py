"""Demo data for matching: a published run once the demo peers have profiles."""

from . import services
from .models import MatchRun


def publish_demo_matches(initiative, facilitator):
    """Match and publish the demo peers once; nothing when they have no profiles yet.

    Side effects: at most one MatchRun with its matches, published (emails in the outbox).
    """
    if initiative.match_runs.exists() or not services.matchable_profiles(initiative).exists():
        return None
    run = MatchRun.objects.create(initiative=initiative, created_by=facilitator)
    services.run_matching(run=run)
    if run.status == MatchRun.Status.PROPOSED:
        services.publish_matches(run=run, by=facilitator)
    return run
