"""How slow the momentum page is for a large initiative in sustained contact.

Run from the project root (PostgreSQL from DATABASE_URL, as the tests use it):
``python -m benchmarks.momentum [--peers 5000] [--contacts 50000] [--repeat 5]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end),
writes one initiative at stage 2 with ``--peers`` peers in published pairs and
``--contacts`` contacts spread over the last 18 months (two participants each, a tenth
declined by one of them), "in touch" marks, help requests and notes (bulk inserts), and
requests with the Django test client the first page, a later page, the quiet matches
only, and the chart. For each it prints the size in bytes, the median time of
``--repeat`` requests after one warm-up (Django's time in this process: no network) and
the number of SQL queries. Then it times one run of the nudge sweep.
"""

import argparse
import os
import time
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.pages import in_throwaway_database, measure  # noqa: E402
from contact import services  # noqa: E402
from contact.models import (  # noqa: E402
    Contact,
    ContactParticipant,
    HelpRequest,
    InTouchMark,
    MatchNote,
    Nudge,
)
from initiatives.models import Initiative, Membership, Role, Stage  # noqa: E402
from matching.models import Match, MatchMember, MatchRun  # noqa: E402
from peerlearn.models import Organisation, TeamMembership, User  # noqa: E402

BATCH = 5000


def make_initiative(peers):
    network = Organisation.objects.create(name="Bench network", kind=Organisation.Kind.FACILITATING)
    facilitator = User.objects.create(email="facilitator@bench.test", name="Bench")
    TeamMembership.objects.create(user=facilitator, organisation=network)
    initiative = Initiative.objects.create(
        organisation=network,
        title="Bench",
        created_by=facilitator,
        stage=Stage.SUSTAINED_CONTACT,
    )
    Membership.objects.create(
        initiative=initiative, user=facilitator, role=Role.FACILITATOR, status="active"
    )
    users = User.objects.bulk_create(
        (User(email=f"peer{n}@bench.test", name=f"Peer {n:05d}") for n in range(peers)),
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        (
            Membership(initiative=initiative, user=user, role=Role.PEER, status="active")
            for user in users
        ),
        batch_size=BATCH,
    )
    return facilitator, initiative, memberships


def make_matches(initiative, memberships):
    published = timezone.now() - timedelta(days=540)
    run = MatchRun.objects.create(
        initiative=initiative, status=MatchRun.Status.PUBLISHED, published_at=published
    )
    matches = Match.objects.bulk_create(
        (
            Match(run=run, number=n + 1, status=Match.Status.PUBLISHED)
            for n in range(len(memberships) // 2)
        ),
        batch_size=BATCH,
    )
    MatchMember.objects.bulk_create(
        (
            MatchMember(match=match, membership=memberships[2 * n + side])
            for n, match in enumerate(matches)
            for side in (0, 1)
        ),
        batch_size=BATCH,
    )
    return matches


def make_contacts(initiative, memberships, matches, count):
    today = timezone.localdate()
    # Most pairs keep in touch; every fifth pair has had nothing for months.
    active = [n for n in range(len(matches)) if n % 5]
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                initiative=initiative,
                match=matches[active[n % len(active)]],
                kind="call",
                happened_on=today - timedelta(days=(n * 7) % 540),
                note=f"Call {n}",
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    ContactParticipant.objects.bulk_create(
        (
            ContactParticipant(
                contact=contact,
                membership=memberships[2 * active[n % len(active)] + side],
                status="declined" if side and n % 10 == 0 else "confirmed",
            )
            for n, contact in enumerate(contacts)
            for side in (0, 1)
        ),
        batch_size=BATCH,
    )


def make_signals(facilitator, memberships, matches):
    nudges = Nudge.objects.bulk_create(
        Nudge(match=match, kind=Nudge.Kind.MEMBERS, spell=timezone.localdate() - timedelta(days=60))
        for match in matches[::10]
    )
    InTouchMark.objects.bulk_create(
        InTouchMark(
            match=nudge.match, membership=memberships[2 * (nudge.match.number - 1)], nudge=nudge
        )
        for nudge in nudges[::2]
    )
    HelpRequest.objects.bulk_create(
        HelpRequest(match=match, membership=memberships[2 * (match.number - 1)], text="Help")
        for match in matches[::50]
    )
    MatchNote.objects.bulk_create(
        MatchNote(match=match, author=facilitator, text="Spoke to both") for match in matches[::7]
    )


def benchmark(peers, contacts, repeat):
    started = time.perf_counter()
    facilitator, initiative, memberships = make_initiative(peers)
    matches = make_matches(initiative, memberships)
    make_contacts(initiative, memberships, matches, contacts)
    make_signals(facilitator, memberships, matches)
    print(
        f"{peers} peers, {len(matches)} matches, {contacts} contacts written"
        f" in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(facilitator)
    page = reverse("contact:momentum", args=[initiative.pk])
    pages = [
        ("first page", page),
        ("page 30", f"{page}?page=30"),
        ("quiet only", f"{page}?state=quiet"),
        ("chart (SVG)", reverse("contact:momentum_chart", args=[initiative.pk])),
    ]
    print(f"{'request':20} {'bytes':>11} {'median ms':>10} {'queries':>8}")
    for name, url in pages:
        size, seconds, queries = measure(client, url, repeat)
        print(f"{name:20} {size:11d} {seconds * 1000:10.1f} {queries:8d}")
    started = time.perf_counter()
    made = services.nudge_quiet_matches()
    print(f"nudge sweep: {made} nudges in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    made = services.nudge_quiet_matches()
    print(f"nudge sweep again: {made} nudges in {time.perf_counter() - started:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=5000)
    parser.add_argument("--contacts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    in_throwaway_database(benchmark, options.peers, options.contacts, options.repeat)


if __name__ == "__main__":
    main()
