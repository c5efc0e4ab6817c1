"""The interface in French, Spanish, Russian and Portuguese: every page, and the switch."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .permissions import ROLES, visitor
from .test_permission_matrix import MATRIX

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PAGES = [
    (name, next(role for role in ROLES if expected[role] == 200))
    for name, (method, _kwargs, expected) in MATRIX.items()
    if method == "get" and 200 in expected.values()
]


def translated(language, text):
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_catalogue_translates_the_interface(language):
    for text in ["New initiative", "Sign out", "Matching", "Peers kept apart", "Save draft"]:
        assert translated(language, text) != text


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize(("name", "role"), PAGES)
def test_every_page_opens_in_every_language(client, world, language, name, role):
    _method, kwargs, _expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    if role != "anonymous":
        client.force_login(visitor(world, role))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(url)

    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert f'<html lang="{language}">' in response.content.decode()


def test_choosing_french_in_the_footer_turns_the_pages_french(client, world):
    client.force_login(world.facilitator)

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(reverse("home")).content.decode()

    assert translated("fr", "New initiative") in page
    assert translated("fr", "Sign out") in page
