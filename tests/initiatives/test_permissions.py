"""Who may open what: every URL of the site, for every kind of visitor."""

import pytest
from django.urls import get_resolver, reverse

from initiatives.models import Membership

ROLES = [
    "facilitator",
    "other_facilitator",
    "peer",
    "peer_other_initiative",
    "authoriser",
    "other_authoriser",
    "stranger",
    "anonymous",
]
LOGIN = 302  # anonymous visitors are sent to sign in

FACILITATOR_ONLY = {
    "facilitator": 200,
    "other_facilitator": 404,
    "peer": 403,
    "peer_other_initiative": 404,
    "authoriser": 403,
    "other_authoriser": 403,
    "stranger": 404,
    "anonymous": LOGIN,
}


def initiative_kwargs(world):
    return {"pk": world.initiative.pk}


def withdraw_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer_elsewhere)
    return {"pk": world.initiative.pk, "membership_pk": membership.pk}


def join_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer)
    membership.status = Membership.Status.INVITED
    membership.save()
    return {"membership_pk": membership.pk}


def invitation_kwargs(world):
    from initiatives.services import invite

    invitation = invite(
        initiative=world.initiative,
        email="new@example.org",
        role="peer",
        by=world.facilitator,
        home_organisation=world.home,
    )
    return {"token": invitation.token}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "home": ("get", None, dict.fromkeys(ROLES, 200)),
    "start_organisation": (
        "get",
        None,
        {**dict.fromkeys(ROLES, 403), "stranger": 200, "anonymous": LOGIN},
    ),
    "mailbox": ("get", None, dict.fromkeys(ROLES, 404)),
    "initiatives:create": (
        "get",
        None,
        {
            **dict.fromkeys(ROLES, 403),
            "facilitator": 200,
            "other_facilitator": 200,
            "anonymous": LOGIN,
        },
    ),
    "initiatives:detail": (
        "get",
        initiative_kwargs,
        {
            **FACILITATOR_ONLY,
            "peer": 200,
            "authoriser": 200,
            "other_authoriser": 200,
        },
    ),
    "initiatives:edit": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:road_map": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:people": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:invite": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:withdraw": ("post", withdraw_kwargs, {**FACILITATOR_ONLY, "facilitator": 302}),
    "initiatives:join": (
        "post",
        join_kwargs,
        {**dict.fromkeys(ROLES, 404), "peer": 302, "anonymous": LOGIN},
    ),
    "initiatives:invitation": ("get", invitation_kwargs, dict.fromkeys(ROLES, 200)),
}

CASES = [(name, role) for name in MATRIX for role in ROLES]


def our_url_names():
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace == "admin" or getattr(pattern, "app_name", None) in ("admin",):
            continue
        if hasattr(pattern, "url_patterns"):
            if str(pattern.pattern).startswith(("accounts/", "i18n/", "admin/")):
                continue
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
        client.force_login(getattr(world, role))

    response = getattr(client, method)(url)

    assert response.status_code == expected[role]
    if expected[role] == LOGIN and role == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_staff_only(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


@pytest.mark.parametrize(
    "name", ["account_login", "account_request_login_code", "account_reset_password"]
)
def test_account_pages_open_to_visitors(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
