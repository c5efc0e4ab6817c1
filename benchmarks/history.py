"""How slow the History page and its CSV are for an initiative with a long history.

Run from the project root (PostgreSQL from DATABASE_URL, as the tests use it):
``python -m benchmarks.history [--entries 100000] [--repeat 5]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end),
writes one initiative with ``--entries`` audit entries by 50 people, and as many again in
other initiatives (bulk inserts), and requests with the Django test client the first and
the last page, the page filtered by one person and by one change, and the whole history as
CSV. For each it prints the size in bytes, the median time of ``--repeat`` requests after
one warm-up (Django's time in this process: no network), the number of SQL queries, and
for the CSV the peak memory Python allocated while answering.
"""

import argparse
import os
import time
import tracemalloc
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.pages import in_throwaway_database, measure  # noqa: E402
from initiatives import services  # noqa: E402, F401  (describes the actions)
from initiatives.models import Initiative, Membership, Role  # noqa: E402
from matching import services as matching_services  # noqa: E402, F401
from peerlearn import audit  # noqa: E402
from peerlearn.models import AuditEntry, Organisation, TeamMembership, User  # noqa: E402

BATCH = 5000
PEOPLE = 50


def make_world():
    home = Organisation.objects.create(name="Bench network", kind=Organisation.Kind.FACILITATING)
    facilitator = User.objects.create(email="facilitator@bench.test", name="Bench")
    TeamMembership.objects.create(user=facilitator, organisation=home)
    initiatives = [
        Initiative.objects.create(organisation=home, title=f"Bench {n}", created_by=facilitator)
        for n in range(5)
    ]
    Membership.objects.create(
        initiative=initiatives[0],
        user=facilitator,
        role=Role.FACILITATOR,
        status=Membership.Status.ACTIVE,
    )
    people = User.objects.bulk_create(
        User(email=f"person{n}@bench.test", name=f"Aigerim Nurpeisova {n:02d}")
        for n in range(PEOPLE)
    )
    return facilitator, initiatives, people


def write_entries(initiatives, people, entries):
    """`entries` in the first initiative, as many spread over the others, a minute apart."""
    actions = [code for code, _name in audit.actions()]
    start = timezone.now() - timedelta(minutes=2 * entries)
    rows = (
        AuditEntry(
            at=start + timedelta(minutes=n),
            actor=people[n % len(people)],
            action=actions[n % len(actions)],
            target_label=f"Peer number {n} of the initiative",
            initiative_id=initiatives[0].pk if n % 2 else initiatives[1 + n % 4].pk,
            data={"changed": ["title", "venue"], "present": n % 30},
        )
        for n in range(2 * entries)
    )
    AuditEntry.objects.bulk_create(rows, batch_size=BATCH)


def peak_memory(client, url):
    tracemalloc.start()
    client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def benchmark(entries, repeat):
    started = time.perf_counter()
    facilitator, initiatives, people = make_world()
    write_entries(initiatives, people, entries)
    print(f"{2 * entries} entries written in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(facilitator)
    page = reverse("initiatives:history", args=[initiatives[0].pk])
    csv_url = reverse("initiatives:history_csv", args=[initiatives[0].pk])
    last = (entries - 1) // 50 + 1
    pages = [
        ("first page", page),
        ("last page", f"{page}?page={last}"),
        ("one person", f"{page}?person={people[1].pk}"),
        ("one change", f"{page}?action=stage.move"),
        ("CSV of every entry", csv_url),
    ]
    print(f"{'request':20} {'bytes':>11} {'median ms':>10} {'queries':>8}")
    for name, url in pages:
        size, seconds, queries = measure(client, url, repeat)
        print(f"{name:20} {size:11d} {seconds * 1000:10.1f} {queries:8d}")
    print(f"CSV peak Python memory: {peak_memory(client, csv_url) / 2**20:.1f} MiB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    in_throwaway_database(benchmark, options.entries, options.repeat)


if __name__ == "__main__":
    main()
