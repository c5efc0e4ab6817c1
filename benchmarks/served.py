"""What the served-site benchmarks (load, page_weight) share: a kept database holding a
5,000-peer initiative, a signed-in session per role, and gunicorn serving the site with
production settings on 127.0.0.1.

The database is DATABASE_URL's with ``_load`` appended. It is built once (a few minutes)
and reused by later runs; drop it to rebuild (``dropdb peerlearn_load``).
"""

import contextlib
import datetime
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PEERS = 5000
TITLE = "Load benchmark"


def load_database_url():
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1/peerlearn")
    if url.path.endswith("_load"):  # this process already points at it
        return url.geturl()
    if not url.scheme.startswith("postgres"):
        sys.exit("These benchmarks need PostgreSQL: set DATABASE_URL.")
    return urlunsplit(url._replace(path=f"{url.path.rstrip('/')}_load"))


def site_environment(**extra):
    """Production settings, but on the benchmark's database and this machine only."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peerlearn.settings",
        "DATABASE_URL": load_database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "load-benchmark-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def setup_django():
    """Point this process at the benchmark database (created if missing) and set up Django."""
    database = urlsplit(load_database_url())
    os.environ.update(site_environment())
    import django
    import psycopg2

    admin = urlunsplit(database._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        name = database.path.lstrip("/")
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def world():
    """The initiative and one user per role, built on first use."""
    from initiatives.models import Initiative

    initiative = Initiative.objects.filter(title=TITLE).first() or build_world()
    return initiative, people(initiative)


def people(initiative):
    from initiatives.models import Role

    members = initiative.memberships.select_related("user")
    peer = members.filter(role=Role.PEER, status="active").order_by("pk")[6]
    return {
        "facilitator": members.filter(role=Role.FACILITATOR).first().user,
        "peer": peer.user,
        "authoriser": members.filter(role=Role.AUTHORISER).first().user,
    }


def build_world():
    from django.db import connection
    from django.utils import timezone

    from benchmarks import dashboard
    from evaluation.models import Report
    from evaluation.report_content import build_content
    from initiatives.models import Membership, Role
    from peerlearn.models import User

    started = time.perf_counter()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=dashboard.DAYS)
    _facilitator, initiative, homes, memberships = dashboard.make_initiative(PEERS, today)
    initiative.title = TITLE
    initiative.save(update_fields=["title"])
    active, matches = dashboard.make_engagement(initiative, memberships, start)
    dashboard.make_contact(initiative, active, matches, start)
    dashboard.make_learning_and_diffusion(initiative, homes, active, start)
    user = User.objects.create(email="authoriser@bench.test", name="Authoriser")
    authoriser = Membership.objects.create(
        initiative=initiative,
        user=user,
        role=Role.AUTHORISER,
        status="active",
        home_organisation=homes[0],
    )
    authoriser.authorised_organisations.add(homes[0])
    end = today.replace(day=1)
    period_start = (end - datetime.timedelta(days=1)).replace(day=1)
    content = build_content(
        initiative=initiative, organisation=homes[0], start=period_start, end=end
    )
    Report.objects.create(
        initiative=initiative,
        organisation=homes[0],
        period_start=period_start,
        period_end=end,
        status=Report.Status.SENT,
        content=content,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built a {PEERS}-peer initiative in {time.perf_counter() - started:.0f} s")
    return initiative


def key_pages(initiative):
    """(role, page, path) for the pages each role opens most."""
    from django.urls import reverse

    from evaluation.models import Report
    from matching.models import MatchRun

    pk = initiative.pk
    run = MatchRun.objects.filter(initiative=initiative).latest("pk")
    report = Report.objects.filter(initiative=initiative).latest("pk")
    return [
        ("facilitator", "home", reverse("home")),
        ("facilitator", "initiative", reverse("initiatives:detail", args=[pk])),
        ("facilitator", "road map", reverse("initiatives:road_map", args=[pk])),
        ("facilitator", "people", reverse("initiatives:people", args=[pk])),
        ("facilitator", "match run", reverse("matching:run", args=[pk, run.pk])),
        ("facilitator", "dashboard", reverse("evaluation:dashboard", args=[pk])),
        ("peer", "home", reverse("home")),
        ("peer", "initiative", reverse("initiatives:detail", args=[pk])),
        ("peer", "survey", reverse("surveys:survey", args=[pk])),
        ("peer", "my match", reverse("matching:my_match", args=[pk])),
        ("authoriser", "home", reverse("home")),
        ("authoriser", "initiative", reverse("initiatives:detail", args=[pk])),
        ("authoriser", "my reports", reverse("evaluation:my_reports")),
        ("authoriser", "report", reverse("evaluation:report", args=[report.token])),
    ]


def session_cookies(users):
    """A signed-in session cookie per role, as after signing in and accepting the notices."""
    from django.conf import settings
    from django.test import Client

    from privacy.queries import notices_to_accept
    from privacy.services import accept_notice

    cookies = {}
    for role, user in users.items():
        for organisation in notices_to_accept(user):  # as they would on first sign-in
            accept_notice(person=user, organisation=organisation)
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookies[role] = f"{name}={client.cookies[name].value}"
    return cookies


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(workers):
    """Collect the static files into a temporary folder and serve the site from it; yields
    (base URL, the master process)."""
    with tempfile.TemporaryDirectory(prefix="peerlearn-static-") as static_root:
        port = free_port()
        env = site_environment(STATIC_ROOT=static_root, SITE_URL=f"http://127.0.0.1:{port}")
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                "peerlearn.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            yield base, server
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_until_up(base, server):
    for _ in range(200):
        if server.poll() is not None:
            sys.exit("gunicorn stopped")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not answer")


def cpu_seconds(server):
    """User + system CPU of gunicorn's master and workers so far."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    pids += children.read_text().split()
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / tick
