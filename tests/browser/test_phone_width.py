"""Every page fits a phone: at 375 px nothing scrolls sideways, for every role.

Each test builds the permission matrix's world once, signs one visitor in and walks every
GET page of the matrix that answers 200 for them in one browser page at 375×812.
Downloads (CSV, XLSX, PDF, calendar files) and charts are not pages and are skipped by
their content type.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ..contact import factories as contact_factories
from ..contact import matrix_contact
from ..matching import matrix_matching
from ..permissions import visitor
from ..test_permission_matrix import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}

# The widest elements of a page, to say what to fix when it is too wide.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > limit + 1)
    .slice(-3)
    .map((el) => {
      const right = Math.round(el.getBoundingClientRect().right);
      return `${el.tagName.toLowerCase()}.${el.className} ${right}px`;
    });
}"""


def phone_page(browser, site, user):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])
    return context, context.new_page()


def too_wide_pages(page, site, urls):
    """[(url, scrollWidth, widest elements)] for each HTML page wider than the viewport."""
    too_wide = []
    for url in urls:
        probe = page.request.get(site + url, max_redirects=0)
        assert probe.status == 200, f"{url} answered {probe.status}"
        if not probe.headers.get("content-type", "").startswith("text/html"):
            continue
        page.goto(site + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append((url, width, page.evaluate(WIDEST)))
    return too_wide


def pages_for(world, role):
    """The role's 200 pages; each kwargs builder runs once, its rows shared by its pages."""
    built = {}
    urls = []
    for name, (method, kwargs, expected) in MATRIX.items():
        if method == "get" and expected[role] == 200:
            if kwargs is not None and kwargs not in built:
                built[kwargs] = kwargs(world)
            urls.append(reverse(name, kwargs=built[kwargs] if kwargs else None))
    return urls


@pytest.fixture
def shared_world_rows(monkeypatch):
    """The matrix builds a fresh world per URL; here one world serves every page, so the
    builders that add the peers' profiles or pair them do it once and share the rows."""

    def once(build):
        made = {}

        def build_once(world, *args, **kwargs):
            if id(world) not in made:
                made[id(world)] = build(world, *args, **kwargs)
            return made[id(world)]

        return build_once

    paired = once(contact_factories.pair)
    monkeypatch.setattr(contact_factories, "pair", paired)
    monkeypatch.setattr(matrix_contact, "pair", paired)
    monkeypatch.setattr(matrix_contact, "nudged", once(matrix_contact.nudged))
    for build in ("profile_world", "proposed_run", "published_run"):
        monkeypatch.setattr(matrix_matching, build, once(getattr(matrix_matching, build)))


@pytest.mark.usefixtures("shared_world_rows")
@pytest.mark.parametrize("role", ["facilitator", "peer", "authoriser", "stranger"])
def test_every_page_fits_a_phone_for_role(browser, site, world, role):
    user = visitor(world, role)
    urls = pages_for(world, role)
    context, page = phone_page(browser, site, user)

    too_wide = too_wide_pages(page, site, urls)

    context.close()
    assert too_wide == []


def test_every_page_fits_a_phone_signed_out(browser, site, db):
    urls = [
        reverse(name)
        for name in (
            "account_login",
            "account_request_login_code",
            "account_reset_password",
            "home",
        )
    ]
    context, page = phone_page(browser, site, None)

    too_wide = too_wide_pages(page, site, urls)

    context.close()
    assert too_wide == []
