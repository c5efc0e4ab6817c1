"""The erasure and retention pages in the permission matrix."""

from privacy import services

from ..permissions import FACILITATOR_ONLY, LOGIN, initiative_kwargs

SIGNED_IN = {role: 200 for role in FACILITATOR_ONLY} | {"anonymous": LOGIN}


def confirmation_kwargs(world):
    """A request by the other peer, waiting for the world's initiative to confirm it."""
    request = services.request_erasure(person=world.peer_elsewhere)
    confirmation = request.confirmations.get(initiative=world.initiative)
    return {"pk": world.initiative.pk, "confirmation_pk": confirmation.pk}


MATRIX = {
    "privacy:erasure": ("get", None, SIGNED_IN),
    "privacy:initiative": ("get", initiative_kwargs, FACILITATOR_ONLY),
    # An empty form: the page comes back with the error (nothing is closed).
    "privacy:close": ("post", initiative_kwargs, FACILITATOR_ONLY),
    "privacy:confirm_erasure": ("get", confirmation_kwargs, FACILITATOR_ONLY),
}
