"""The diffusion app's URLs in the permission matrix."""

from ..permissions import FACILITATOR_ONLY, MEMBERS, initiative_kwargs
from .factories import commitment, community, membership_of, plan_item, story

PEER_ONLY = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 200,
    "authoriser": 403,
    "other_authoriser": 403,
}
FACILITATORS_AND_AUTHORISERS = {**FACILITATOR_ONLY, "authoriser": 200, "other_authoriser": 200}
PEERS_AND_FACILITATORS = {**FACILITATOR_ONLY, "peer": 200}
# A story about the world's peer: the other organisation's authoriser does not see it.
STORY_READERS = {**MEMBERS, "other_authoriser": 404}


def item_kwargs(world):
    return {"pk": world.initiative.pk, "plan_item_pk": plan_item(world).pk}


def story_kwargs(world):
    return {"pk": world.initiative.pk, "story_pk": story(world).pk}


# The world's peer is from the authoriser's organisation, not the other authoriser's.
THEIR_AUTHORISER = {**FACILITATORS_AND_AUTHORISERS, "other_authoriser": 404}
COUNTERSIGNS = {**FACILITATOR_ONLY, "facilitator": 403, "authoriser": 302, "other_authoriser": 404}
COMMUNITY_EDITORS = {**PEERS_AND_FACILITATORS, "authoriser": 403, "other_authoriser": 403}


def peer_kwargs(world):
    return {"pk": world.initiative.pk, "membership_pk": membership_of(world, world.peer).pk}


def commitment_kwargs(world):
    commitment(world)
    return peer_kwargs(world)


def community_kwargs(world):
    return {"pk": world.initiative.pk, "community_pk": community(world).pk}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "diffusion:index": ("get", initiative_kwargs, FACILITATORS_AND_AUTHORISERS),
    "diffusion:mine": ("get", initiative_kwargs, PEER_ONLY),
    "diffusion:plan_add": ("get", initiative_kwargs, PEER_ONLY),
    "diffusion:plan_item": ("get", item_kwargs, PEER_ONLY),
    "diffusion:report_back_add": ("get", initiative_kwargs, PEER_ONLY),
    "diffusion:report_backs": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "diffusion:report_backs_csv": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "diffusion:report_backs_xlsx": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "diffusion:report_back_record": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "diffusion:stories": ("get", initiative_kwargs, MEMBERS),
    "diffusion:story_add": ("get", initiative_kwargs, PEERS_AND_FACILITATORS),
    "diffusion:story": ("get", story_kwargs, STORY_READERS),
    "diffusion:story_verify": ("get", story_kwargs, FACILITATOR_ONLY),
    "diffusion:commitments": ("get", initiative_kwargs, FACILITATORS_AND_AUTHORISERS),
    "diffusion:commitment": ("get", peer_kwargs, THEIR_AUTHORISER),
    "diffusion:commitment_countersign": ("post", commitment_kwargs, COUNTERSIGNS),
    "diffusion:communities": ("get", initiative_kwargs, MEMBERS),
    "diffusion:community_add": ("get", initiative_kwargs, PEERS_AND_FACILITATORS),
    "diffusion:community": ("get", community_kwargs, COMMUNITY_EDITORS),
}
