"""Sign-in backends that load the signed-in person with their seat on a facilitating team:
every page asks whether they facilitate, which would otherwise cost a query of its own."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import backends

from .models import User


class LoadsTeamSeat:
    def get_user(self, user_id):
        person = (
            User._default_manager.select_related("team_membership__organisation")
            .filter(pk=user_id)
            .first()
        )
        return person if person is not None and self.user_can_authenticate(person) else None


class ModelBackend(LoadsTeamSeat, backends.ModelBackend):
    pass


class AllauthBackend(LoadsTeamSeat, AuthenticationBackend):
    pass
