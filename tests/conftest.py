from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType

from initiatives.models import Role
from peerlearn.celery import app as celery_app

from .factories import (
    FacilitatorFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from .migrations import migrate_to_latest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Real hashing is slow on purpose; tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # The manifest storage needs collectstatic; tests serve files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    # Sign-in limits count per email and address in the shared cache, so one test's
    # sign-ins would refuse the next test's; test_rate_limits.py checks them on their own.
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.fixture(autouse=True)
def eager_tasks(request):
    """Run tasks in-process, except in tests that start a real worker."""
    eager = "integration" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def world(db):
    """One initiative and everyone around it, plus people who must not see it."""
    return make_world()


def make_world():
    """The `world` fixture's people and initiatives, for tests that need a fresh one."""
    initiative = InitiativeFactory()
    facilitator = FacilitatorFactory(organisation=initiative.organisation)
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    home = OrganisationFactory(name="Ministry of Finance", country="Moldova")
    elsewhere = OrganisationFactory(name="State Treasury", country="Ukraine")
    peer = MembershipFactory(initiative=initiative, home_organisation=home).user
    peer_elsewhere = MembershipFactory(initiative=initiative, home_organisation=elsewhere).user
    authoriser = MembershipFactory(
        initiative=initiative, home_organisation=home, role=Role.AUTHORISER
    ).user
    other_authoriser = MembershipFactory(
        initiative=initiative, home_organisation=elsewhere, role=Role.AUTHORISER
    ).user
    other_initiative = InitiativeFactory()
    other_facilitator = FacilitatorFactory(organisation=other_initiative.organisation)
    return SimpleNamespace(
        other_initiative=other_initiative,
        initiative=initiative,
        home=home,
        elsewhere=elsewhere,
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        peer=peer,
        peer_elsewhere=peer_elsewhere,
        peer_other_initiative=MembershipFactory(initiative=other_initiative).user,
        authoriser=authoriser,
        other_authoriser=other_authoriser,
        stranger=UserFactory(),
    )


@pytest.fixture
def latest_schema_after():
    """For tests that migrate back: the database is at the latest schema again afterwards."""
    yield
    migrate_to_latest()
    ContentType.objects.clear_cache()  # a migration may have moved a content type


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    # Files stored during a test go to its own folder, never to var/uploads.
    settings.MEDIA_ROOT = tmp_path / "uploads"


# --- road map cache ---
@pytest.fixture(autouse=True)
def road_map_computed_afresh(settings):
    # Tests change the database directly; test_road_map_cache.py and
    # test_run_page_cache.py turn the caches on.
    settings.ROAD_MAP_CACHE_SECONDS = 0
    settings.MATCH_RUN_CACHE_SECONDS = 0


# --- dashboard and report caches ---
@pytest.fixture(autouse=True)
def figures_computed_afresh(settings):
    # Tests change the database directly; test_dashboard_cache.py turns the caches on.
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.REPORT_CACHE_SECONDS = 0


# --- personal data: notice gate ---


@pytest.fixture(autouse=True)
def notice_gate_off(request, settings):
    """Tests sign people in with force_login and go straight to their page; the gate
    to the privacy notice is tested on its own (tests marked `notice_gate`)."""
    settings.PRIVACY_NOTICE_GATE = "notice_gate" in request.keywords
