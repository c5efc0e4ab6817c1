"""A person's language is kept: pages in a new browser and emails to them use it."""

from django.test import Client
from django.urls import reverse

from peerlearn.models import User


def test_first_visit_keeps_the_language_the_person_sees(client, world):
    client.force_login(world.peer)

    client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="pt")

    assert User.objects.get(pk=world.peer.pk).language == "pt"


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
