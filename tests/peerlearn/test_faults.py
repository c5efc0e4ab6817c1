"""Faults outside the site (Redis down, a database restart) must not become error pages.

Redis is really down here: the cache and the job queue point at a port where nothing
listens, and the requests commit for real (transactional tests), so the jobs are
published after commit exactly as on the live site.
"""

from uuid import uuid4

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.client import RequestFactory
from django.urls import reverse

from matching.models import MatchRun
from peerlearn import jobs
from peerlearn import settings as site_settings
from peerlearn.celery import app as celery_app
from peerlearn.models import OutboxEmail

from ..factories import PASSWORD, UserFactory
from ..matching.factories import profile_world

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def forget_broker_connections():
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache and the job queue as configured for Redis, on a port with no Redis."""
    monkeypatch.setattr(jobs, "_broker_down_until", 0.0)  # what earlier tests saw is forgotten
    settings.CACHES = {"default": site_settings.redis_cache(NOBODY_LISTENS)}
    conf = celery_app.conf
    previous = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    conf.broker_url = NOBODY_LISTENS
    conf.broker_transport_options = site_settings.REDIS_BROKER_OPTIONS
    conf.task_always_eager = False
    forget_broker_connections()
    yield
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = previous
    forget_broker_connections()


@pytest.mark.django_db(transaction=True)
def test_sign_in_code_with_redis_down_is_queued_once_and_the_page_answers(client, redis_down):
    user = UserFactory(email="peer@example.org")

    response = client.post(reverse("account_request_login_code"), {"email": user.email})

    assert response.status_code == 302
    assert response.url == reverse("account_confirm_login_code")
    emails = OutboxEmail.objects.filter(to=user.email, kind="account_login_code")
    assert [email.status for email in emails] == [OutboxEmail.Status.PENDING]


@pytest.mark.django_db(transaction=True)
def test_sign_in_limits_still_count_with_redis_down(client, redis_down, settings):
    del settings.ACCOUNT_RATE_LIMITS  # the defaults, as on the live site
    email = f"limit-{uuid4().hex}@example.org"
    UserFactory(email=email)

    responses = []
    for _attempt in range(4):
        client.logout()
        responses.append(client.post(reverse("account_request_login_code"), {"email": email}))

    assert [r.status_code for r in responses[:3]] == [302] * 3
    assert "Too many failed login attempts. Try again later." in responses[3].text
    assert OutboxEmail.objects.filter(to=email, kind="account_login_code").count() == 3


@pytest.mark.django_db(transaction=True)
def test_sign_in_with_password_with_redis_down(client, redis_down, settings):
    del settings.ACCOUNT_RATE_LIMITS
    user = UserFactory(email="facilitator@example.org")

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.django_db(transaction=True)
def test_invite_with_redis_down_answers_and_queues_one_email(client, world, redis_down):
    client.force_login(world.facilitator)

    response = client.post(
        reverse("initiatives:invite", args=[world.initiative.pk]),
        {"email": "nino@example.org", "role": "peer", "home_organisation": world.home.pk},
    )

    assert response.status_code == 302
    assert OutboxEmail.objects.filter(to="nino@example.org").count() == 1
    people = client.get(response.url)
    assert "An invitation has been sent to nino@example.org." in people.text


@pytest.mark.django_db(transaction=True)
def test_match_run_that_cannot_be_queued_says_it_failed(client, world, redis_down):
    profile_world(world)
    client.force_login(world.facilitator)

    started = client.post(
        reverse("matching:start", args=[world.initiative.pk]),
        {
            "group_size": "2",
            "require_shared_language": "on",
            "challenges": "50",
            "challenge_tags": "15",
            "position": "15",
            "task": "10",
            "years_of_service": "5",
            "background": "5",
        },
    )

    assert started.status_code == 302
    assert MatchRun.objects.get().status == MatchRun.Status.FAILED
    assert "This run failed. Start another one" in client.get(started.url).text


def kill_this_process_database_connection():
    """What a database restart does to a web worker's kept connection (SQLite, which
    has no server, loses it by closing the file handle behind Django's back)."""
    if connection.vendor != "postgresql":
        connection.connection.close()
        return
    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"],
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_first_request_after_a_database_restart_answers(client, world):
    client.force_login(world.peer)
    environ = RequestFactory().get(reverse("home")).environ
    environ["HTTP_COOKIE"] = f"sessionid={client.cookies['sessionid'].value}"
    connection.ensure_connection()
    kill_this_process_database_connection()
    statuses = []

    WSGIHandler()(environ, lambda status, headers: statuses.append(status))

    assert statuses == ["200 OK"]


def test_pages_refuse_browser_features_they_do_not_use(client, db):
    response = client.get(reverse("account_login"))

    policy = response.headers["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy
