"""A person's language is kept: pages in a new browser and emails to them use it."""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from initiatives.models import Invitation
from peerlearn import outbox
from peerlearn.models import OutboxEmail, User

from ..factories import MembershipFactory


def test_signing_in_keeps_the_language_the_person_reads_in(client, world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world.peer.set_password("long enough password")
    world.peer.save()

    client.post(
        reverse("account_login"),
        {"login": world.peer.email, "password": "long enough password"},
        HTTP_ACCEPT_LANGUAGE="pt",
    )

    assert User.objects.get(pk=world.peer.pk).language == "pt"


def test_accepting_an_invitation_keeps_the_language_of_the_page(client, world):
    membership = MembershipFactory(initiative=world.initiative, status="invited")
    invitation = Invitation.objects.create(membership=membership, invited_by=world.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    client.post(invitation.get_absolute_url())

    assert User.objects.get(pk=membership.user.pk).language == "es"


def test_language_switch_is_kept_for_the_next_browser(client, world):
    client.force_login(world.peer)

    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    elsewhere = Client()
    elsewhere.force_login(world.peer)
    page = elsewhere.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert User.objects.get(pk=world.peer.pk).language == "ru"
    assert '<html lang="ru"' in page.text


def test_language_switch_refuses_an_unknown_language(client, world):
    world.peer.language = "fr"
    world.peer.save()
    client.force_login(world.peer)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert User.objects.get(pk=world.peer.pk).language == "fr"


def test_emails_are_written_in_each_recipient_s_language(world):
    world.peer.language = "ru"
    world.peer.save()
    world.peer_elsewhere.language = "fr"
    world.peer_elsewhere.save()
    context = {"initiative": world.initiative, "link": "https://peerlearn.example/x"}

    # Queued while someone works in English: each stored language wins over it.
    with translation.override("en"):
        outbox.queue_templated_emails(
            kind="test",
            template="invitation",
            messages=[
                (world.peer.email, "one", context),
                (world.peer_elsewhere.email, "two", context),
                ("nobody@example.org", "three", context),
            ],
        )
        outbox.queue_templated_email(
            to=world.peer.email, kind="test", key="four", template="invitation", context=context
        )

    subjects = dict(OutboxEmail.objects.values_list("key", "subject"))
    title = world.initiative.title
    assert subjects == {
        "one": f"Вы приглашены в инициативу «{title}»",
        "two": f"Vous êtes invité à {title}",
        "three": f"You are invited to {title}",
        "four": f"Вы приглашены в инициативу «{title}»",
    }


def test_anyone_may_switch_language_and_goes_back_where_they_were(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})

    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_language_switch_refuses_the_wrong_method(client):
    assert client.get(reverse("set_language")).status_code == 405
