"""The vocabulary of the permission matrix: who visits, and what they usually get.

Each area of the site lists its URLs in a `matrix_*.py` module beside its tests:
url name -> (method, kwargs builder or None, expected status per visitor).
tests/test_permission_matrix.py walks them all and fails on any URL left out.
"""

from initiatives import services
from initiatives.models import Role
from peerlearn.models import Organisation

ROLES = [
    "facilitator",
    "other_facilitator",
    "peer",
    "peer_other_initiative",
    "authoriser",
    "other_authoriser",
    "stranger",
    # Accounts that once could take over an organisation (tests/conftest.py, world).
    "invited_facilitator",
    "namesake",
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
    "invited_facilitator": 404,
    "namesake": 404,
    "anonymous": LOGIN,
}
MEMBERS = {**FACILITATOR_ONLY, "peer": 200, "authoriser": 200, "other_authoriser": 200}


def initiative_kwargs(world):
    return {"pk": world.initiative.pk}


def visitor(world, role):
    """The account visiting as `role`; the takeover visitors are made only when asked for."""
    if role == "invited_facilitator":
        return services.invite(
            initiative=world.initiative,
            email="joining@example.org",
            role=Role.FACILITATOR,
            by=world.facilitator,
        ).membership.user
    if role == "namesake":
        return namesake(world)
    return getattr(world, role)


def namesake(world):
    """A peer invited by another organisation whose typed home organisation is named
    like this initiative's facilitating organisation, in other letter case."""
    target = world.initiative.organisation
    home = Organisation.objects.home_organisation_named(target.name.upper(), target.country)
    invitation = services.invite(
        initiative=world.other_initiative,
        email="namesake@example.org",
        role=Role.PEER,
        by=world.other_facilitator,
        home_organisation=home,
    )
    services.accept_invitation(invitation=invitation, user=invitation.membership.user)
    return invitation.membership.user
