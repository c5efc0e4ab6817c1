"""How slow the self-assessment results, indicators and sweep are for a large initiative.

Run from the project root (PostgreSQL from DATABASE_URL, as the tests use it):
``python -m benchmarks.self_assessments [--peers 5000] [--objectives 3] [--repeat 5]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end),
writes one initiative with ``--peers`` peers in 40 home organisations, ``--objectives``
learning objectives each, and a submitted baseline and endline rating of every objective
(bulk inserts, then ANALYZE). It prints, for the facilitator's results page (first and a
later page), the CSV export, the chart and an authoriser's page, the size, the median time of
``--repeat`` requests after one warm-up and the number of SQL queries; then the time and
queries of the three indicators, and one and a second run of the request sweep for a
round that opens today (every peer gets a request, then nothing).
"""

import argparse
import os
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.pages import in_throwaway_database, measure  # noqa: E402
from evaluation import services  # noqa: E402
from evaluation.models import LearningObjective, ObjectiveRating  # noqa: E402
from initiatives.models import Initiative, Membership, Role, Stage  # noqa: E402
from initiatives.road_map import Scope, indicators  # noqa: E402
from peerlearn.models import Organisation, TeamMembership, User  # noqa: E402
from surveys.models import Response  # noqa: E402

BATCH = 5000
ORGANISATIONS = 40
NAMES = ["self_assessments_submitted", "self_assessment_progress", "learning_from_peers"]


def make_initiative(peers, objectives):
    network = Organisation.objects.create(name="Bench network", kind=Organisation.Kind.FACILITATING)
    facilitator = User.objects.create(email="facilitator@bench.test", name="Bench")
    TeamMembership.objects.create(user=facilitator, organisation=network)
    initiative = Initiative.objects.create(
        organisation=network, title="Bench", created_by=facilitator, stage=Stage.LEARNING_OUTCOMES
    )
    Membership.objects.create(
        initiative=initiative, user=facilitator, role=Role.FACILITATOR, status="active"
    )
    homes = Organisation.objects.bulk_create(
        Organisation(name=f"Ministry {n:02d}", kind=Organisation.Kind.MINISTRY, country="Moldova")
        for n in range(ORGANISATIONS)
    )
    users = User.objects.bulk_create(
        (User(email=f"peer{n}@bench.test", name=f"Peer {n:05d}") for n in range(peers)),
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        (
            Membership(
                initiative=initiative,
                user=user,
                role=Role.PEER,
                status="active",
                home_organisation=homes[n % ORGANISATIONS],
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    authoriser = User.objects.create(email="authoriser@bench.test", name="Authoriser")
    authorising = Membership.objects.create(
        initiative=initiative,
        user=authoriser,
        role=Role.AUTHORISER,
        status="active",
        home_organisation=homes[0],
    )
    authorising.authorised_organisations.add(homes[0])
    aims = LearningObjective.objects.bulk_create(
        (
            LearningObjective(
                initiative=initiative,
                membership=membership,
                category="technical",
                description=f"Objective {k} of {membership.user.name}",
                status_changed_on=timezone.localdate(),
            )
            for membership in memberships
            for k in range(objectives)
        ),
        batch_size=BATCH,
    )
    return facilitator, authoriser, initiative, memberships, aims


def make_ratings(facilitator, initiative, memberships, aims):
    today = timezone.localdate()
    points = [
        services.set_evaluation_point(
            initiative=initiative,
            round_=round_,
            by=facilitator,
            opens_on=today - timedelta(days=opens),
            closes_on=today - timedelta(days=opens - 14),
            remind_every_days=7,
        )
        for round_, opens in (("baseline", 400), ("endline", 30))
    ]
    by_membership = {}
    for aim in aims:
        by_membership.setdefault(aim.membership_id, []).append(aim)
    for number, point in enumerate(points):
        responses = Response.objects.bulk_create(
            (
                Response(
                    survey=point.survey,
                    membership=membership,
                    submitted_at=timezone.now() - timedelta(days=390 - 370 * number),
                )
                for membership in memberships
            ),
            batch_size=BATCH,
        )
        ObjectiveRating.objects.bulk_create(
            (
                ObjectiveRating(
                    response=response,
                    objective=aim,
                    score=min(5, 1 + aim.pk % 3 + number * (aim.pk % 4)),
                    source=("peers", "both", "other")[aim.pk % 3],
                )
                for response in responses
                for aim in by_membership[response.membership_id]
            ),
            batch_size=BATCH,
        )


def benchmark(peers, objectives, repeat):
    started = time.perf_counter()
    facilitator, authoriser, initiative, memberships, aims = make_initiative(peers, objectives)
    make_ratings(facilitator, initiative, memberships, aims)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after bulk loads
    print(
        f"{peers} peers, {len(aims)} objectives, {2 * len(aims)} ratings written"
        f" in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(facilitator)
    results = reverse("evaluation:self_assessment_results", args=[initiative.pk])
    pages = [
        ("results, first page", results),
        ("results, page 30", f"{results}?page=30"),
        ("results CSV", reverse("evaluation:self_assessment_csv", args=[initiative.pk])),
        ("chart (SVG)", reverse("evaluation:self_assessment_chart", args=[initiative.pk])),
    ]
    print(f"{'request':24} {'bytes':>11} {'median ms':>10} {'queries':>8}")
    for name, url in pages:
        size, seconds, queries = measure(client, url, repeat)
        print(f"{name:24} {size:11d} {seconds * 1000:10.1f} {queries:8d}")
    client.force_login(authoriser)
    size, seconds, queries = measure(client, results, repeat)
    print(f"{'authoriser results':24} {size:11d} {seconds * 1000:10.1f} {queries:8d}")
    for label, scope in (
        ("indicators, initiative", Scope(initiative)),
        ("indicators, one org", Scope(initiative, organisation=memberships[0].home_organisation)),
    ):
        for name in NAMES:
            indicators(scope, [name])  # warm-up
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                values = indicators(scope, [name])
                seconds = time.perf_counter() - started
            print(f"{label}: {values} in {seconds * 1000:.1f} ms, {len(captured)} queries")
    today = timezone.localdate()
    services.set_evaluation_point(
        initiative=initiative,
        round_="midline",
        by=facilitator,
        opens_on=today,
        closes_on=today + timedelta(days=14),
        remind_every_days=7,
    )
    for run in ("request sweep", "request sweep again"):
        started = time.perf_counter()
        sent = services.send_self_assessment_requests(today=today)
        print(f"{run}: {sent} requests queued in {time.perf_counter() - started:.1f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=5000)
    parser.add_argument("--objectives", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    in_throwaway_database(benchmark, options.peers, options.objectives, options.repeat)


if __name__ == "__main__":
    main()
