"""The vocabulary of the permission matrix: who visits, and what they usually get.

Each area of the site lists its URLs in a `matrix_*.py` module beside its tests:
url name -> (method, kwargs builder or None, expected status per visitor).
tests/test_permission_matrix.py walks them all and fails on any URL left out.
"""

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
MEMBERS = {**FACILITATOR_ONLY, "peer": 200, "authoriser": 200, "other_authoriser": 200}


def initiative_kwargs(world):
    return {"pk": world.initiative.pk}
