import factory
from django.utils import timezone

from initiatives.models import Role
from matching import services
from matching.models import MatchRun, PeerProfile

from ..factories import MembershipFactory, OrganisationFactory

CHALLENGES = [
    "Arrears in municipal payroll keep growing and salaries are paid late.",
    "Procurement plans are late and tenders are challenged in court.",
    "Budget execution reports are not trusted by the parliament.",
    "Internal audit findings are never followed up by management.",
]


class PeerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerProfile

    membership = factory.SubFactory(MembershipFactory)
    challenges = factory.Sequence(lambda n: CHALLENGES[n % len(CHALLENGES)])
    challenge_tags = ["pfm"]
    position = "Head of the budget unit"
    task = "Payroll reform"
    years_of_service = 8
    background = "Economics"
    languages = ["en"]
    survey_completed_at = factory.LazyFunction(timezone.now)


def add_surveyed_peers(initiative, count, organisation=None):
    """`count` peers with completed profiles, each in their own home organisation."""
    return [
        PeerProfileFactory(
            membership=MembershipFactory(
                initiative=initiative,
                role=Role.PEER,
                home_organisation=organisation or OrganisationFactory(),
            )
        ).membership
        for _number in range(count)
    ]


def proposed_run(initiative, by=None, **settings):
    """A run matched right away, as the worker would."""
    run = MatchRun.objects.create(initiative=initiative, created_by=by, **settings)
    return services.run_matching(run=run)


def published_run(initiative, by=None, **settings):
    run = proposed_run(initiative, by, **settings)
    services.publish_matches(run=run, by=by)
    run.refresh_from_db()
    return run


def profile_world(world):
    """Profiles for the world's two peers plus two more, so every peer can be matched."""
    for user in (world.peer, world.peer_elsewhere):
        PeerProfileFactory(membership=world.initiative.memberships.get(user=user))
    add_surveyed_peers(world.initiative, 2)
