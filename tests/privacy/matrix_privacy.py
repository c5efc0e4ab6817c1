"""The personal-data app's URLs in the permission matrix."""

from privacy.models import ConsentKind

from ..permissions import FACILITATOR_ONLY, LOGIN, MEMBERS, ROLES, initiative_kwargs
from .factories import correction_asked, ready_archive

SIGNED_IN = {role: 200 for role in ROLES} | {"anonymous": LOGIN}
SIGNED_IN_POSTS = {role: 302 for role in ROLES} | {"anonymous": LOGIN}
# Members of the organisation's initiatives accept its notice; others find no notice.
NOTICE_READERS = {
    **{role: 404 for role in ROLES},
    "facilitator": 302,
    "peer": 302,
    "authoriser": 302,
    "other_authoriser": 302,
    "invited_facilitator": 302,
    "anonymous": LOGIN,
}
TEAM_ONLY = {
    **{role: 403 for role in ROLES},
    "facilitator": 200,
    "other_facilitator": 200,
    "anonymous": LOGIN,
}
OWNER_ONLY = {**{role: 404 for role in ROLES}, "peer": 200, "anonymous": LOGIN}


def organisation_kwargs(world):
    return {"organisation_pk": world.initiative.organisation_id}


def consent_kwargs(world):
    return {"kind": ConsentKind.NAME_IN_LIBRARY.value}


def archive_kwargs(world):
    return {"archive_pk": ready_archive(world).pk}


def correction_kwargs(world):
    return {"pk": world.initiative.pk, "correction_pk": correction_asked(world).pk}


MATRIX = {
    "privacy:notice": ("get", None, SIGNED_IN),
    "privacy:notice_accept": ("post", organisation_kwargs, NOTICE_READERS),
    "privacy:notice_edit": ("get", None, TEAM_ONLY),
    "privacy:your_data": ("get", None, SIGNED_IN),
    "privacy:consent_give": ("post", consent_kwargs, SIGNED_IN_POSTS),
    "privacy:consent_withdraw": ("post", consent_kwargs, SIGNED_IN_POSTS),
    "privacy:archive_request": ("post", None, SIGNED_IN_POSTS),
    "privacy:archive_download": ("get", archive_kwargs, OWNER_ONLY),
    "privacy:correction_new": ("get", initiative_kwargs, MEMBERS),
    "privacy:corrections": ("get", initiative_kwargs, FACILITATOR_ONLY),
    "privacy:correction_answer": ("get", correction_kwargs, FACILITATOR_ONLY),
}
