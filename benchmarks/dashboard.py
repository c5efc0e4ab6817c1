"""How slow the evaluation dashboard is for a large initiative with two years of data.

Run from the project root (PostgreSQL from DATABASE_URL, as the tests use it):
``python -m benchmarks.dashboard [--peers 5000] [--repeat 5]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end)
and writes, with bulk inserts, one initiative at stage 4 whose ``--peers`` peers come
from 40 home organisations: invitations spread over two years, pre-event survey answers,
an event's attendance, published pairs, contacts every few weeks for two years (two
participants each), check-ins, posts, library documents, learning objectives (a third
achieved), reflections, report-backs, stories of change, communities and home
commitments. It then requests with the Django test client the dashboard (the whole
initiative, one home organisation, one period), its CSV export and its charts, and
prints for each the size in bytes, the median time of ``--repeat`` requests after one
warm-up (Django's time in this process: no network) and the number of SQL queries.
"""

import argparse
import datetime
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.pages import in_throwaway_database, measure  # noqa: E402
from contact.models import (  # noqa: E402
    Contact,
    ContactParticipant,
    LibraryDocument,
    MatchCheckIn,
    Post,
)
from diffusion.models import ChangeStory, Community, HomeCommitment, ReportBack  # noqa: E402
from evaluation.models import LearningObjective, Reflection  # noqa: E402
from initiatives.models import (  # noqa: E402
    Attendance,
    Event,
    Initiative,
    Membership,
    PeerContract,
    Role,
    Stage,
)
from initiatives.road_map import Scope, registered_indicators  # noqa: E402
from matching.models import Match, MatchMember, MatchRun  # noqa: E402
from peerlearn.models import Organisation, TeamMembership, User  # noqa: E402
from surveys.models import Response, Survey  # noqa: E402

BATCH = 5000
DAYS = 730
ORGANISATIONS = 40


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def make_initiative(peers, today):
    start = today - datetime.timedelta(days=DAYS)
    network = Organisation.objects.create(name="Bench network", kind=Organisation.Kind.FACILITATING)
    facilitator = User.objects.create(email="facilitator@bench.test", name="Bench")
    TeamMembership.objects.create(user=facilitator, organisation=network)
    initiative = Initiative.objects.create(
        organisation=network,
        title="Bench",
        created_by=facilitator,
        stage=Stage.DIFFUSION,
        starts_on=start,
    )
    Membership.objects.create(
        initiative=initiative, user=facilitator, role=Role.FACILITATOR, status="active"
    )
    homes = Organisation.objects.bulk_create(
        Organisation(name=f"Ministry {n:02d}", kind=Organisation.Kind.MINISTRY)
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
                status="active" if n % 10 else "invited",
                home_organisation=homes[n % ORGANISATIONS],
                joined_at=_at(start + datetime.timedelta(days=n % 60)) if n % 10 else None,
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    # Invitations over the first months (created_at is set on insert).
    for n in range(0, 60, 5):
        Membership.objects.filter(
            pk__in=[m.pk for m in memberships[n::60]],
        ).update(created_at=_at(start + datetime.timedelta(days=n)))
    return facilitator, initiative, homes, memberships


def make_engagement(initiative, memberships, start):
    survey = Survey.objects.create(
        initiative=initiative, purpose=Survey.Purpose.PRE_EVENT, title="Before we meet"
    )
    Response.objects.bulk_create(
        (
            Response(survey=survey, membership=m, submitted_at=_at(start))
            for n, m in enumerate(memberships)
            if n % 10 and n % 7
        ),
        batch_size=BATCH,
    )
    PeerContract.objects.bulk_create(
        (
            PeerContract(membership=m, signed_text="I will", signed_at=_at(start))
            for n, m in enumerate(memberships)
            if n % 10
        ),
        batch_size=BATCH,
    )
    event = Event.objects.create(
        initiative=initiative,
        kind="large_group",
        title="Kick-off",
        starts_at=_at(start + datetime.timedelta(days=70)),
        ends_at=_at(start + datetime.timedelta(days=71)),
    )
    Attendance.objects.bulk_create(
        (
            Attendance(event=event, membership=m, present=bool(n % 4), recorded_at=_at(start))
            for n, m in enumerate(memberships)
            if n % 10
        ),
        batch_size=BATCH,
    )
    run = MatchRun.objects.create(
        initiative=initiative,
        status=MatchRun.Status.PUBLISHED,
        published_at=_at(start + datetime.timedelta(days=65)),
    )
    active = [m for n, m in enumerate(memberships) if n % 10]
    matches = Match.objects.bulk_create(
        (
            Match(run=run, number=n + 1, status=Match.Status.PUBLISHED)
            for n in range(len(active) // 2)
        ),
        batch_size=BATCH,
    )
    MatchMember.objects.bulk_create(
        (
            MatchMember(match=match, membership=active[2 * n + side])
            for n, match in enumerate(matches)
            for side in (0, 1)
        ),
        batch_size=BATCH,
    )
    return active, matches


def make_contact(initiative, active, matches, start):
    # A pair meets every three weeks from the event on; every third pair stops after
    # two months, so sustained contact is well short of matched.
    contacts = []
    pairs = []
    for n, match in enumerate(matches):
        last = 60 if n % 3 == 0 else DAYS - 80
        for day in range(80, 80 + last, 21):
            contacts.append(
                Contact(
                    initiative=initiative,
                    match=match,
                    happened_on=start + datetime.timedelta(days=day + n % 7),
                    note="Call",
                )
            )
            pairs.append(n)
    contacts = Contact.objects.bulk_create(contacts, batch_size=BATCH)
    ContactParticipant.objects.bulk_create(
        (
            ContactParticipant(contact=c, membership=active[2 * n + side], status="confirmed")
            for c, n in zip(contacts, pairs, strict=True)
            for side in (0, 1)
        ),
        batch_size=BATCH,
    )
    MatchCheckIn.objects.bulk_create(
        (
            MatchCheckIn(
                match=match,
                membership=active[2 * n],
                number=k,
                due_at=_at(start + datetime.timedelta(days=100 * k)),
                sent_at=_at(start + datetime.timedelta(days=100 * k)),
                answered_at=_at(start + datetime.timedelta(days=100 * k + 2)),
                rating=4,
            )
            for n, match in enumerate(matches)
            for k in (1, 2, 3)
        ),
        batch_size=BATCH,
    )
    Post.objects.bulk_create(
        (
            Post(
                initiative=initiative,
                match=match,
                author_id=active[2 * n].user_id,
                body="Hello",
                created_at=_at(start + datetime.timedelta(days=90 + (n * 11 + k * 97) % 600)),
            )
            for n, match in enumerate(matches)
            for k in range(4)
        ),
        batch_size=BATCH,
    )
    documents = LibraryDocument.objects.bulk_create(
        LibraryDocument(
            initiative=initiative,
            title=f"Note {n}",
            url="https://example.org/note",
            dated=start + datetime.timedelta(days=100 + n),
        )
        for n in range(300)
    )
    LibraryDocument.authors.through.objects.bulk_create(
        LibraryDocument.authors.through(
            librarydocument_id=d.pk, membership_id=active[n % len(active)].pk
        )
        for n, d in enumerate(documents)
    )


def make_learning_and_diffusion(initiative, homes, active, start):
    LearningObjective.objects.bulk_create(
        (
            LearningObjective(
                initiative=initiative,
                membership=m,
                category="technical",
                description="Learn",
                status="achieved" if n % 3 == 0 else "in_progress",
                status_changed_on=start + datetime.timedelta(days=200 + n % 400),
            )
            for n, m in enumerate(active)
            for _k in (1, 2)
        ),
        batch_size=BATCH,
    )
    Reflection.objects.bulk_create(
        (Reflection(initiative=initiative, membership=m, text="I learned") for m in active[::2]),
        batch_size=BATCH,
    )
    ReportBack.objects.bulk_create(
        (
            ReportBack(
                initiative=initiative,
                membership=m,
                held_on=start + datetime.timedelta(days=400 + n % 300),
                format="presentation",
                title="Back home",
                audience_size=20,
                colleagues_reached=15,
            )
            for n, m in enumerate(active)
            if n % 6 == 0
        ),
        batch_size=BATCH,
    )
    stories = ChangeStory.objects.bulk_create(
        ChangeStory(
            initiative=initiative,
            title=f"Story {n}",
            what_changed="Monthly arrears reports",
            why_it_matters="Seen before they grow",
            domain="processes",
            verified_on=start + datetime.timedelta(days=600) if n % 2 else None,
        )
        for n in range(200)
    )
    ChangeStory.peers.through.objects.bulk_create(
        ChangeStory.peers.through(changestory_id=s.pk, membership_id=active[n * 7 % len(active)].pk)
        for n, s in enumerate(stories)
    )
    communities = Community.objects.bulk_create(
        Community(
            initiative=initiative,
            name=f"Circle {n}",
            home_organisation=homes[n % ORGANISATIONS],
            colleagues="Ana\nIon\nMaria",
            founded_on=start + datetime.timedelta(days=450 + n),
        )
        for n in range(80)
    )
    Community.peers.through.objects.bulk_create(
        Community.peers.through(
            community_id=c.pk, membership_id=active[(n * 11 + k) % len(active)].pk
        )
        for n, c in enumerate(communities)
        for k in range(5)
    )
    HomeCommitment.objects.bulk_create(
        (
            HomeCommitment(
                membership=m,
                mandate="Bring it home",
                countersigned_at=_at(start + datetime.timedelta(days=30 + n % 60)),
            )
            for n, m in enumerate(active)
            if n % 2
        ),
        batch_size=BATCH,
    )


def benchmark(peers, repeat, profile):
    started = time.perf_counter()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS)
    facilitator, initiative, homes, memberships = make_initiative(peers, today)
    active, matches = make_engagement(initiative, memberships, start)
    make_contact(initiative, active, matches, start)
    make_learning_and_diffusion(initiative, homes, active, start)
    # As autovacuum would after a load: without statistics the planner takes the new
    # tables for empty and joins them in nested loops.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{peers} peers, {len(matches)} matches, {Contact.objects.count()} contacts,"
        f" two years, written in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(facilitator)
    pk = initiative.pk
    page = reverse("evaluation:dashboard", args=[pk])
    year = f"since={today - datetime.timedelta(days=365)}&until={today}"
    pages = [
        ("dashboard", page),
        ("one organisation", f"{page}?organisation={homes[3].pk}"),
        ("last year", f"{page}?{year}"),
        ("CSV export", reverse("evaluation:dashboard_csv", args=[pk])),
        ("funnel chart", reverse("evaluation:funnel_chart", args=[pk])),
        ("trend chart", reverse("evaluation:trend_chart", args=[pk, "interaction"])),
    ]
    print(f"{'request':20} {'bytes':>11} {'median ms':>10} {'queries':>8}")
    for name, url in pages[: 1 if profile else None]:
        size, seconds, queries = measure(client, url, repeat)
        print(f"{name:20} {size:11d} {seconds * 1000:10.1f} {queries:8d}")
    if profile:
        scope = Scope(initiative)
        for entry in registered_indicators():
            started = time.perf_counter()
            entry.measure(scope)
            print(f"  {entry.name:28} {(time.perf_counter() - started) * 1000:8.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="time each indicator too")
    options = parser.parse_args()
    in_throwaway_database(benchmark, options.peers, options.repeat, options.profile)


if __name__ == "__main__":
    main()
