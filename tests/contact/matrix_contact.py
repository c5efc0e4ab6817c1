"""The contact app's URLs in the permission matrix."""

from contact import services
from contact.models import ContactParticipant, MatchCheckIn
from peerlearn.subscriptions import unsubscribe_url

from ..permissions import FACILITATOR_ONLY, LOGIN, initiative_kwargs
from .factories import (
    conversation_kwargs,
    document_kwargs,
    help_requested,
    logged_by_partner,
    nudged,
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


# --- check-ins and histories ---

MATCH_MEMBERS = {**FACILITATOR_ONLY, "peer": 200}


def check_in_kwargs(world):
    match, peer, _elsewhere = pair(world)
    services.send_match_check_ins(now=match.run.published_at + services.FIRST_CHECK_IN_AFTER)
    check_in = MatchCheckIn.objects.get(membership=peer)
    return {"pk": world.initiative.pk, "check_in_pk": check_in.pk}


def match_kwargs(world):
    match, _peer, _elsewhere = pair(world)
    return {"pk": world.initiative.pk, "match_pk": match.pk}


def peer_kwargs(world):
    _match, peer, _elsewhere = pair(world)
    return {"pk": world.initiative.pk, "membership_pk": peer.pk}


# --- logistics requests ---


def logistics_kwargs(world):
    peer = world.initiative.memberships.get(user=world.peer, role="peer")
    asked = services.request_logistics(
        membership=peer, by=world.peer, kind="venue", details="A room for 10"
    )
    return {"pk": world.initiative.pk, "request_pk": asked.pk}


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
    "contact:check_in": ("get", check_in_kwargs, PEER_ONLY),
    "contact:match_history": ("get", match_kwargs, MATCH_MEMBERS),
    "contact:peer_history": ("get", peer_kwargs, FACILITATOR_ONLY),
    "contact:logistics_index": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "contact:logistics_request": ("get", logistics_kwargs, FACILITATOR_ONLY),
    "contact:logistics_mine": ("get", initiative_kwargs, PEER_ONLY),
    "contact:logistics_new": ("get", initiative_kwargs, PEER_ONLY),
}

# --- library ---

LIBRARY_READERS = {**FACILITATOR_ONLY, "peer": 200, "authoriser": 200, "other_authoriser": 200}
# The document is the peer's: the authoriser of another organisation does not see it.
DOCUMENT_READERS = {**LIBRARY_READERS, "other_authoriser": 404}
LIBRARY_WRITERS = {**FACILITATOR_ONLY, "peer": 200}

MATRIX |= {
    "contact:library": ("get", initiative_kwargs, LIBRARY_READERS),
    "contact:library_add": ("get", initiative_kwargs, LIBRARY_WRITERS),
    "contact:library_document": ("get", document_kwargs, DOCUMENT_READERS),
    "contact:library_download": ("get", document_kwargs, DOCUMENT_READERS),
    "contact:library_edit": ("get", document_kwargs, LIBRARY_WRITERS),
    "contact:library_delete": ("get", document_kwargs, LIBRARY_WRITERS),
}


# --- momentum ---

EVERYONE = {role: 200 for role in PEER_ONLY}
SIGNED_IN = {**{role: 200 for role in PEER_ONLY}, "anonymous": LOGIN}
FACILITATOR_POSTS = {**FACILITATOR_ONLY, "facilitator": 302}


def match_kwargs(world):
    match = pair(world)[0]
    return {"pk": world.initiative.pk, "match_pk": match.pk}


def help_kwargs(world):
    return {"pk": world.initiative.pk, "help_pk": help_requested(world).pk}


def nudge_token(purpose):
    def kwargs(world):
        nudge, membership = nudged(world)
        link = services.nudge_link(nudge=nudge, membership=membership, purpose=purpose)
        return {f"{purpose}_token": link.rstrip("/").split("/")[-2]}

    return kwargs


def unsubscribe_kwargs(world):
    return {"unsubscribe_token": unsubscribe_url(world.peer).rstrip("/").split("/")[-1]}


MATRIX.update(
    {
        "contact:momentum": ("get", initiative_kwargs, FACILITATOR_ONLY),
        "contact:momentum_chart": ("get", initiative_kwargs, FACILITATOR_ONLY),
        "contact:nudge_now": ("post", match_kwargs, FACILITATOR_POSTS),
        "contact:match_note": ("get", match_kwargs, FACILITATOR_ONLY),
        "contact:resolve_help": ("get", help_kwargs, FACILITATOR_ONLY),
        "contact:ask_help": ("get", paired_kwargs, PEER_ONLY),
        "contact:pause_nudges": ("post", initiative_kwargs, PEER_POSTS),
        "contact:resume_nudges": ("post", initiative_kwargs, PEER_POSTS),
        # The links in a nudge work without signing in; the log link leads to the form.
        "contact:nudge_log": ("get", nudge_token("log"), {role: 302 for role in PEER_ONLY}),
        "contact:nudge_in_touch": ("get", nudge_token("in_touch"), EVERYONE),
        "contact:nudge_help": ("get", nudge_token("help"), EVERYONE),
        # Optional email (peerlearn): the one-click link, and the signed-in choice.
        "unsubscribe": ("get", unsubscribe_kwargs, EVERYONE),
        "email_preferences": ("get", None, SIGNED_IN),
        "email_subscribe": (
            "post",
            None,
            {**SIGNED_IN, **{r: 302 for r in PEER_ONLY if r != "anonymous"}},
        ),
        "email_unsubscribe": (
            "post",
            None,
            {**SIGNED_IN, **{r: 302 for r in PEER_ONLY if r != "anonymous"}},
        ),
    }
)

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
