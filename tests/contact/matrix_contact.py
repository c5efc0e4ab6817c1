"""The contact app's URLs in the permission matrix."""

from contact.models import ContactParticipant

from ..permissions import FACILITATOR_ONLY, initiative_kwargs
from .factories import (
    conversation_kwargs,
    logged_by_partner,
    own_post_kwargs,
    pair,
    partner_post_kwargs,
)

PEER_ONLY = {
    **FACILITATOR_ONLY,
    "facilitator": 403,
    "peer": 200,
    "authoriser": 403,
    "other_authoriser": 403,
}
PEER_POSTS = {**PEER_ONLY, "peer": 302}


def paired_kwargs(world):
    pair(world)
    return initiative_kwargs(world)


def pending_kwargs(world):
    contact = logged_by_partner(world)
    participant = ContactParticipant.objects.get(contact=contact, membership__user=world.peer)
    return {"pk": world.initiative.pk, "participant_pk": participant.pk}


# url name: (method, kwargs, expected status per visitor)
MATRIX = {
    "contact:index": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "contact:export_csv": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "contact:export_xlsx": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "contact:log_group": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "contact:mine": ("get", initiative_kwargs, PEER_ONLY),
    "contact:log": ("get", paired_kwargs, PEER_ONLY),
    "contact:confirm": ("post", pending_kwargs, PEER_POSTS),
    "contact:decline": ("post", pending_kwargs, PEER_POSTS),
}

# --- exchanges ---

# Peers and facilitators take part; authorisers do not see exchanges.
EXCHANGE_READERS = {**FACILITATOR_ONLY, "peer": 200}
# Only the author edits or deletes a post (here the peer's).
AUTHOR_ONLY = {**EXCHANGE_READERS, "facilitator": 404}

MATRIX |= {
    "contact:exchanges": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "contact:board": ("get", initiative_kwargs, EXCHANGE_READERS),
    # An empty post answers with the page and the form's message.
    "contact:board_post": ("post", initiative_kwargs, EXCHANGE_READERS),
    "contact:conversation": ("get", conversation_kwargs, EXCHANGE_READERS),
    "contact:conversation_post": ("post", conversation_kwargs, EXCHANGE_READERS),
    "contact:post_emails": ("get", initiative_kwargs, EXCHANGE_READERS),
    "contact:reply": ("get", partner_post_kwargs, EXCHANGE_READERS),
    "contact:attachment": ("get", partner_post_kwargs, EXCHANGE_READERS),
    "contact:edit_post": ("get", own_post_kwargs, AUTHOR_ONLY),
    "contact:delete_post": ("get", own_post_kwargs, AUTHOR_ONLY),
    "contact:hide_post": ("get", own_post_kwargs, FACILITATOR_ONLY),
}
