"""How big and how slow the facilitator's run pages are for a large run.

Run from the project root (PostgreSQL from DATABASE_URL, as the tests use it):
``python -m benchmarks.run_page [--peers 10000] [--repeat 5]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end),
writes one initiative with ``--peers`` surveyed peers and a proposed run that pairs them
all (bulk inserts, no engine), and requests with the Django test client: the run page
(first and last page of matches), the Move… and Swap… pages of one peer, and the publish
confirmation.  For each it prints the size in bytes, the median time of ``--repeat``
requests after one warm-up (the time Django takes to answer in this process: views,
queries, templates; no network), and the number of SQL queries.
"""

import argparse
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.pages import in_throwaway_database, measure  # noqa: E402
from initiatives.models import Initiative, Membership, Role  # noqa: E402
from matching.models import Match, MatchMember, MatchRun, PeerProfile  # noqa: E402
from peerlearn.models import Organisation, TeamMembership, User  # noqa: E402

BATCH = 2000
POSITIONS = ["Head of budget unit", "Treasury analyst", "Internal auditor", "Tax inspector"]
# As many and as long as the engine writes for a typical pair.
REASONS = [
    "Both are dealing with: arrears, payroll, commitment control, salaries, late payments",
    "Shared challenge areas: Public financial management, Budget execution",
    "Both work as Treasury analyst",
    "Similar experience: 8 and 11 years of service",
    "Both speak English and French",
]


def make_facilitator():
    """A facilitator of a new initiative."""
    home = Organisation.objects.create(name="Bench network", kind=Organisation.Kind.FACILITATING)
    user = User.objects.create(email="facilitator@bench.test", name="Bench")
    TeamMembership.objects.create(user=user, organisation=home)
    initiative = Initiative.objects.create(organisation=home, title="Bench", created_by=user)
    Membership.objects.create(
        initiative=initiative, user=user, role=Role.FACILITATOR, status=Membership.Status.ACTIVE
    )
    return user, initiative


def make_peers(initiative, count):
    homes = Organisation.objects.bulk_create(
        Organisation(name=f"Ministry of Finance and Economy {n}", country="Kazakhstan")
        for n in range(200)
    )
    users = User.objects.bulk_create(
        (
            User(email=f"peer{n}@ministry.bench.test", name=f"Aigerim Nurpeisova {n:05d}")
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        (
            Membership(
                initiative=initiative,
                user=user,
                role=Role.PEER,
                status=Membership.Status.ACTIVE,
                home_organisation=homes[n % len(homes)],
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    PeerProfile.objects.bulk_create(
        (
            PeerProfile(
                membership=membership,
                position=POSITIONS[n % len(POSITIONS)],
                languages=["en"],
                survey_completed_at=timezone.now(),
            )
            for n, membership in enumerate(memberships)
        ),
        batch_size=BATCH,
    )
    return memberships


def make_run(initiative, memberships):
    pairs = len(memberships) // 2
    run = MatchRun.objects.create(
        initiative=initiative,
        status=MatchRun.Status.PROPOSED,
        progress=100,
        total_score=0.5 * pairs,
        upper_bound=0.55 * pairs,
        gap=0.09,
    )
    matches = Match.objects.bulk_create(
        (Match(run=run, number=n + 1, score=0.5, reasons=REASONS) for n in range(pairs)),
        batch_size=BATCH,
    )
    MatchMember.objects.bulk_create(
        (
            MatchMember(match=match, membership=membership)
            for n, match in enumerate(matches)
            for membership in memberships[2 * n : 2 * n + 2]
        ),
        batch_size=BATCH,
    )
    return run


def pages(initiative, run):
    last = run.matches.order_by("-number").first()
    member = run.matches.get(number=1).members.first()
    args = [initiative.pk]
    return [
        ("run page, first 50 matches", run.get_absolute_url()),
        ("run page, last page", f"{run.get_absolute_url()}?match={last.number}"),
        ("Move… page of one peer", reverse("matching:move_member", args=[*args, member.pk])),
        ("Swap… page of one peer", reverse("matching:swap_member", args=[*args, member.pk])),
        ("publish confirmation", reverse("matching:publish", args=[*args, run.pk])),
    ]


def benchmark(peers, repeat):
    started = time.perf_counter()
    facilitator, initiative = make_facilitator()
    run = make_run(initiative, make_peers(initiative, peers))
    print(
        f"{peers} peers, {run.matches.count()} matches written in "
        f"{time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(facilitator)
    print(f"{'page':32} {'bytes':>9} {'median ms':>10} {'queries':>8}")
    for name, url in pages(initiative, run):
        size, seconds, queries = measure(client, url, repeat)
        print(f"{name:32} {size:9d} {seconds * 1000:10.1f} {queries:8d}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    in_throwaway_database(benchmark, options.peers, options.repeat)


if __name__ == "__main__":
    main()
