"""How long a progress report to authorisers takes, for a large initiative.

Run from the project root (PostgreSQL from DATABASE_URL, as the tests use it):
``python -m benchmarks.reports [--organisations 100] [--peers 50] [--sample 5]``.

It creates a throw-away database (``bench_`` + the configured name, dropped at the end)
and writes one initiative at stage 4 with ``--organisations`` home organisations of
``--peers`` peers each (one authoriser each), two learning objectives per peer, a
reflection per peer (every third shared with the authoriser), event attendance, and
contacts (bulk inserts). Then, for ``--sample`` organisations, it prints the median
time and queries of: building the report's content (the snapshot), rendering the web
page of a built report (the Django test client, no network), and drawing its PDF.
Last it runs the beat sweep once with tasks run in this process, which builds and
queues every organisation's report, and prints the total and the time per report.
"""

import argparse
import datetime
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.pages import in_throwaway_database  # noqa: E402
from contact.models import Contact, ContactParticipant  # noqa: E402
from evaluation import services  # noqa: E402
from evaluation.models import LearningObjective, Reflection, Report, ReportSchedule  # noqa: E402
from evaluation.report_content import build_content, render_pdf  # noqa: E402
from initiatives.models import Attendance, Event, Initiative, Membership, Role, Stage  # noqa: E402
from peerlearn.celery import app as celery_app  # noqa: E402
from peerlearn.models import Organisation, OutboxEmail, TeamMembership, User  # noqa: E402

BATCH = 5000


def make_world(organisations, peers):
    network = Organisation.objects.create(name="Bench network", kind=Organisation.Kind.FACILITATING)
    facilitator = User.objects.create(email="facilitator@bench.test", name="Bench")
    TeamMembership.objects.create(user=facilitator, organisation=network)
    today = timezone.localdate()
    initiative = Initiative.objects.create(
        organisation=network,
        title="Bench",
        created_by=facilitator,
        stage=Stage.DIFFUSION,
        starts_on=today - datetime.timedelta(days=400),
    )
    ReportSchedule.objects.create(initiative=initiative, cadence=ReportSchedule.Cadence.MONTHLY)
    homes = Organisation.objects.bulk_create(
        Organisation(name=f"Ministry {n:03d}", country="Benchland") for n in range(organisations)
    )
    users = User.objects.bulk_create(
        (
            User(email=f"peer{o}-{n}@bench.test", name=f"Peer {o:03d}-{n:02d}")
            for o in range(organisations)
            for n in range(peers)
        ),
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        (
            Membership(
                initiative=initiative,
                user=user,
                role=Role.PEER,
                status="active",
                home_organisation=homes[index // peers],
            )
            for index, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    authoriser_users = User.objects.bulk_create(
        User(email=f"authoriser{o}@bench.test", name=f"Authoriser {o}")
        for o in range(organisations)
    )
    authorisers = Membership.objects.bulk_create(
        Membership(
            initiative=initiative,
            user=user,
            role=Role.AUTHORISER,
            status="active",
            home_organisation=home,
        )
        for user, home in zip(authoriser_users, homes, strict=True)
    )
    through = Membership.authorised_organisations.through
    through.objects.bulk_create(
        through(membership_id=membership.pk, organisation_id=home.pk)
        for membership, home in zip(authorisers, homes, strict=True)
    )
    last_month = today.replace(day=1) - datetime.timedelta(days=10)
    LearningObjective.objects.bulk_create(
        (
            LearningObjective(
                initiative=initiative,
                membership=membership,
                category="technical",
                description=f"Objective {k} of {membership.user_id}",
                status="achieved" if k else "in_progress",
                status_changed_on=last_month,
            )
            for membership in memberships
            for k in range(2)
        ),
        batch_size=BATCH,
    )
    reflections = Reflection.objects.bulk_create(
        (
            Reflection(
                initiative=initiative,
                membership=membership,
                text="What I learned from my peer this month. " * 5,
                share_with_authoriser=index % 3 == 0,
            )
            for index, membership in enumerate(memberships)
        ),
        batch_size=BATCH,
    )
    Reflection.objects.filter(pk__in=[r.pk for r in reflections]).update(
        written_at=timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(12)))
    )
    starts = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(9)))
    event = Event.objects.create(
        initiative=initiative,
        kind="training",
        title="Workshop",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
    )
    Attendance.objects.bulk_create(
        (
            Attendance(
                event=event, membership=m, present=True, recorded_by=facilitator, recorded_at=starts
            )
            for m in memberships
        ),
        batch_size=BATCH,
    )
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                initiative=initiative, happened_on=last_month, note="Call", logged_by=facilitator
            )
            for _ in memberships
        ),
        batch_size=BATCH,
    )
    ContactParticipant.objects.bulk_create(
        (
            ContactParticipant(contact=contact, membership=membership, status="confirmed")
            for contact, membership in zip(contacts, memberships, strict=True)
        ),
        batch_size=BATCH,
    )
    return facilitator, initiative, homes


def timed(action):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def run(organisations, peers, sample):
    facilitator, initiative, homes = make_world(organisations, peers)
    print(f"{organisations} organisations x {peers} peers ({organisations * peers} peers)")
    today = timezone.localdate()
    end = today.replace(day=1)
    start = (end - datetime.timedelta(days=1)).replace(day=1)
    client = Client()
    client.force_login(facilitator)
    rows = {"content": [], "page": [], "pdf": []}
    for home in homes[:sample]:
        content, seconds, queries = timed(
            lambda home=home: build_content(
                initiative=initiative, organisation=home, start=start, end=end
            )
        )
        rows["content"].append((seconds, queries))
        report = Report.objects.create(
            initiative=initiative,
            organisation=home,
            period_start=start,
            period_end=end,
            status=Report.Status.SENT,
            content=content,
        )
        url = reverse("evaluation:report", args=[report.token])
        client.get(url)
        response, seconds, queries = timed(lambda url=url: client.get(url))
        assert response.status_code == 200
        rows["page"].append((seconds, queries))
        _pdf, seconds, queries = timed(lambda content=content: render_pdf(content))
        rows["pdf"].append((seconds, queries))
        report.delete()
    for name, label in [
        ("content", "report content (snapshot)"),
        ("page", "web page of a built report"),
        ("pdf", "PDF of a report"),
    ]:
        seconds = statistics.median(s for s, _q in rows[name])
        queries = sorted({q for _s, q in rows[name]})
        print(f"{label:32} {seconds * 1000:8.0f} ms  queries {queries}")
    html = statistics.median(
        a[0] + b[0] for a, b in zip(rows["content"], rows["page"], strict=True)
    )
    print(f"{'HTML report (content + page)':32} {html * 1000:8.0f} ms")

    celery_app.conf.task_always_eager = True
    _created, seconds, queries = timed(lambda: services.create_due_reports(today=today))
    sent = Report.objects.filter(status=Report.Status.SENT).count()
    failed = Report.objects.filter(status=Report.Status.FAILED).count()
    print(
        f"sweep: {sent} reports sent, {failed} failed, {OutboxEmail.objects.count()} emails "
        f"queued in {seconds:.1f} s ({seconds / max(sent, 1) * 1000:.0f} ms and "
        f"{queries / max(sent, 1):.0f} queries per report, PDF included)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=100)
    parser.add_argument("--peers", type=int, default=50)
    parser.add_argument("--sample", type=int, default=5)
    args = parser.parse_args()
    in_throwaway_database(run, args.organisations, args.peers, args.sample)


if __name__ == "__main__":
    main()
