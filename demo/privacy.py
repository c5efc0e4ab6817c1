"""The demo's people agreed to what goes beyond the contract, so the pages show what they
would show in an initiative whose peers said yes (their notice is still to accept)."""

from initiatives.models import Membership
from peerlearn.models import User
from privacy import services
from privacy.models import ConsentKind

GIVEN = [
    ConsentKind.ANSWERS_TO_MATCHES,
    ConsentKind.REFLECTIONS_TO_AUTHORISER,
    ConsentKind.NAME_IN_LIBRARY,
]


def load_consents(initiatives):
    people = User.objects.filter(
        pk__in=Membership.objects.filter(initiative__in=initiatives).values("user")
    )
    for person in people:
        for kind in GIVEN:
            services.set_consent(person=person, kind=kind, given=True)
