"""Bulk import's URLs in the permission matrix."""

from matching.peer_import import prepare

from ..permissions import FACILITATOR_ONLY, initiative_kwargs


def import_kwargs(world):
    prepared = prepare(
        initiative=world.initiative,
        filename="peers.csv",
        content=b"email\nnew.peer@example.org\n",
        by=world.facilitator,
    )
    return {"pk": world.initiative.pk, "import_pk": prepared.pk}


MATRIX = {
    "matching:import_upload": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "matching:import_preview": ("get", import_kwargs, FACILITATOR_ONLY),
    "matching:import_confirm": ("post", import_kwargs, {**FACILITATOR_ONLY, "facilitator": 302}),
}
