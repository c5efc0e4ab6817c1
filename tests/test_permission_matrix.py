"""Who may open what: every URL of the site, for every kind of visitor."""

import pytest
from django.urls import get_resolver, reverse

from .contact import matrix_contact
from .diffusion import matrix_diffusion
from .evaluation import matrix_evaluation
from .initiatives import matrix_core, matrix_foundation, matrix_scoping
from .matching import matrix_matching, matrix_peer_import
from .permissions import LOGIN, ROLES, visitor
from .privacy import matrix_erasure, matrix_privacy
from .surveys import matrix_surveys

MATRIX_MODULES = [
    matrix_core,
    matrix_scoping,
    matrix_peer_import,
    matrix_foundation,
    matrix_surveys,
    matrix_matching,
    matrix_contact,
    matrix_diffusion,
    matrix_evaluation,
    matrix_privacy,
    matrix_erasure,
]
MATRIX = {name: row for module in MATRIX_MODULES for name, row in module.MATRIX.items()}
CASES = [(name, role) for name in MATRIX for role in ROLES]


def our_url_names():
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        # Sign-in, the language switch and the admin are open by design or tested apart.
        if str(pattern.pattern).startswith(("accounts/", "i18n/", "admin/")):
            continue
        if hasattr(pattern, "url_patterns"):
            names.update(
                f"{namespace}:{p.name}" if namespace else p.name for p in pattern.url_patterns
            )
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_matrix_covers_every_url_of_the_site():
    assert our_url_names() == set(MATRIX)


@pytest.mark.parametrize(("name", "role"), CASES)
def test_permission(client, world, name, role):
    method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    if role != "anonymous":
        client.force_login(visitor(world, role))

    response = getattr(client, method)(url)

    assert response.status_code == expected[role]
    if expected[role] == LOGIN and role == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_staff_only(client, world, role):
    if role != "anonymous":
        client.force_login(visitor(world, role))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


@pytest.mark.parametrize(
    "name", ["account_login", "account_request_login_code", "account_reset_password"]
)
def test_account_pages_open_to_visitors(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
