"""A person chooses their language when signing up, in their profile, and an invitation
is accepted in the language it was written in."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from initiatives import services
from initiatives.models import Invitation, Role
from peerlearn.models import User

from ..factories import MembershipFactory


@pytest.fixture(autouse=True)
def english_again_after():
    """The language a view activates stays active in the test's thread: put it back."""
    with translation.override("en"):
        yield


def test_sign_up_offers_the_language_being_read(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt"

    form = client.get(reverse("account_signup")).context["form"]

    assert form.fields["language"].initial == "pt"


def test_sign_up_keeps_the_chosen_language(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a-long-pass-1",
            "password2": "a-long-pass-1",
            "language": "ru",
        },
    )

    assert User.objects.get(email="newcomer@example.org").language == "ru"


def test_the_profile_changes_name_and_language(client, world):
    client.force_login(world.peer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(reverse("profile"), {"name": "Olga Petrova", "language": "ru"})
    page = client.get(reverse("profile"))

    person = User.objects.get(pk=world.peer.pk)
    assert (person.name, person.language) == ("Olga Petrova", "ru")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"  # not the switch's
    assert page.headers["Content-Language"] == "ru"


def test_the_profile_refuses_an_unknown_language_and_keeps_the_name(client, world):
    client.force_login(world.peer)

    response = client.post(reverse("profile"), {"name": "Olga Petrova", "language": "xx"})

    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert "Olga Petrova" in response.text


def test_an_invitation_is_written_in_the_inviter_s_language(world):
    with translation.override("fr"):
        invitation = services.invite(
            initiative=world.initiative,
            email="nouveau@example.org",
            role=Role.PEER,
            by=world.facilitator,
        )

    assert invitation.language == "fr"


def test_accepting_an_invitation_keeps_its_language(client, world):
    membership = MembershipFactory(initiative=world.initiative, status="invited")
    invitation = Invitation.objects.create(
        membership=membership, invited_by=world.facilitator, language="es"
    )

    page = client.get(invitation.get_absolute_url())
    client.post(invitation.get_absolute_url())

    assert page.headers["Content-Language"] == "es"
    assert User.objects.get(pk=membership.user.pk).language == "es"
