"""The foundation's URLs in the permission matrix."""

from initiatives.models import Membership, Role
from initiatives.services import invite

from ..permissions import FACILITATOR_ONLY, LOGIN, MEMBERS, ROLES, initiative_kwargs


def withdraw_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer_elsewhere)
    return {"pk": world.initiative.pk, "membership_pk": membership.pk}


def join_kwargs(world):
    membership = world.initiative.memberships.get(user=world.peer)
    membership.status = Membership.Status.INVITED
    membership.save()
    return {"membership_pk": membership.pk}


def invitation_kwargs(world):
    invitation = invite(
        initiative=world.initiative,
        email="new@example.org",
        role=Role.PEER,
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
        {
            **dict.fromkeys(ROLES, 200),
            "facilitator": 403,
            "other_facilitator": 403,
            "anonymous": LOGIN,
        },
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
        MEMBERS,
    ),
    "initiatives:edit": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:road_map": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:history": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "initiatives:history_csv": ("get", initiative_kwargs, FACILITATOR_ONLY),
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

# --- content languages ---
MATRIX["profile"] = ("get", None, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN})
