"""Matching's URLs in the permission matrix."""

from matching import services

from ..permissions import FACILITATOR_ONLY
from .factories import profile_world, proposed_run, published_run

POSTED = {**FACILITATOR_ONLY, "facilitator": 302}
PEER_ONLY = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 200,
    "authoriser": 403,
    "other_authoriser": 403,
}


def initiative_kwargs(world):
    return {"pk": world.initiative.pk}


def run_kwargs(world):
    profile_world(world)
    run = proposed_run(world.initiative, world.facilitator)
    return {"pk": world.initiative.pk, "run_pk": run.pk}


def match_kwargs(world):
    run = proposed_run_of(world)
    return {"pk": world.initiative.pk, "match_pk": run.matches.first().pk}


def proposed_run_of(world):
    profile_world(world)
    return proposed_run(world.initiative, world.facilitator)


def published_match_kwargs(world):
    profile_world(world)
    run = published_run(world.initiative, world.facilitator)
    return {"pk": world.initiative.pk, "match_pk": run.matches.first().pk}


def member_kwargs(world):
    member = proposed_run_of(world).matches.first().members.first()
    return {"pk": world.initiative.pk, "member_pk": member.pk}


def kept_apart_kwargs(world):
    peers = world.initiative.memberships.filter(user__in=[world.peer, world.peer_elsewhere])
    kept = services.keep_apart(initiative=world.initiative, first=peers[0], second=peers[1])
    return {"pk": world.initiative.pk, "apart_pk": kept.pk}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "matching:index": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:start": ("post", initiative_kwargs, FACILITATOR_ONLY),
    "matching:run": ("get", run_kwargs, FACILITATOR_ONLY),
    "matching:rerun": ("post", run_kwargs, POSTED),
    "matching:publish": ("post", run_kwargs, POSTED),
    "matching:export_csv": ("get", run_kwargs, FACILITATOR_ONLY),
    "matching:export_xlsx": ("get", run_kwargs, FACILITATOR_ONLY),
    "matching:lock": ("post", match_kwargs, POSTED),
    "matching:unlock": ("post", match_kwargs, POSTED),
    "matching:end_match": ("get", published_match_kwargs, FACILITATOR_ONLY),
    "matching:move_member": ("post", member_kwargs, FACILITATOR_ONLY),
    "matching:remove_member": ("post", member_kwargs, POSTED),
    "matching:swap_member": ("get", member_kwargs, FACILITATOR_ONLY),
    "matching:published": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:kept_apart": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:remove_kept_apart": ("post", kept_apart_kwargs, POSTED),
    "matching:my_match": ("get", initiative_kwargs, PEER_ONLY),
}
