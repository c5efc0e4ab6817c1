import factory
from django.utils import timezone

from initiatives.models import Role
from matching import services
from matching.models import Match, MatchMember, MatchRun, PeerProfile

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


def run_of_pairs(initiative, pairs, **settings):
    """A proposed run of `pairs` matches of two new peers, written straight to the database
    (no engine), for pages that must not grow with the run."""
    peers = add_surveyed_peers(initiative, pairs * 2)
    run = MatchRun.objects.create(
        initiative=initiative,
        status=MatchRun.Status.PROPOSED,
        progress=100,
        total_score=0.5 * pairs,
        upper_bound=0.5 * pairs,
        gap=0.0,
        **settings,
    )
    matches = Match.objects.bulk_create(
        Match(run=run, number=number, score=0.5, reasons=["Both speak English"])
        for number in range(1, pairs + 1)
    )
    MatchMember.objects.bulk_create(
        MatchMember(match=match, membership=peer)
        for number, match in enumerate(matches)
        for peer in peers[2 * number : 2 * number + 2]
    )
    return run
