"""axe-core on every page of the permission matrix, as each kind of visitor sees it.

axe-core is vendored into tests/browser/assets (see the README there); the site never
loads it. The target is WCAG 2.2 AA: every A and AA rule of WCAG 2.0, 2.1 and 2.2, plus
axe's best practices.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import expect

from ..conftest import make_world
from ..matching.factories import add_surveyed_peers
from ..surveys.factories import open_survey_for
from ..test_permission_matrix import MATRIX
from .test_keyboard import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe.min.js"
# WCAG 2.2 AA, and axe's best practices (heading order, one main landmark...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# Fewer HTML pages than this means the matrix or the sign-in went wrong, not that all is well.
MINIMUM_PAGES = {"facilitator": 60, "peer": 25, "authoriser": 10, "stranger": 4}
RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}}).then(
    results => results.violations.map(violation => ({
        rule: violation.id,
        targets: violation.nodes.map(node => node.target.join(" ")),
    })))"""


class Visitor:
    """One signed-in browser page for `role`, in a world rebuilt only when a page's objects
    cannot be made beside those of the pages before (several are unique per person)."""

    def __init__(self, browser, site, role):
        # axe-core goes in as an inline script, which the site's CSP rightly refuses.
        self.context = browser.new_context(bypass_csp=True)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.site, self.role = site, role
        self.new_world()

    def new_world(self):
        self.world, self.built = make_world(), {None: None}
        # A few more surveyed peers, so lists and tables have rows to check.
        add_surveyed_peers(self.world.initiative, 4, organisation=self.world.home)
        self.context.clear_cookies()
        sign_in(self.page, self.site, getattr(self.world, self.role).email)

    def url(self, name, kwargs):
        if kwargs not in self.built:
            try:
                with transaction.atomic():
                    self.built[kwargs] = kwargs(self.world)
            except Exception:  # noqa: BLE001 - clashes with an earlier page's objects
                call_command("flush", interactive=False, verbosity=0)
                self.new_world()
                self.built[kwargs] = kwargs(self.world)
        return reverse(name, kwargs=self.built[kwargs])

    def violations(self, name, kwargs):
        """What axe finds on one page, as lines of "page: rule at target"; None for
        downloads, charts and other documents that are not HTML."""
        url = f"{self.site}{self.url(name, kwargs)}"
        if not self.page.request.get(url).headers.get("content-type", "").startswith("text/html"):
            return None
        return axe_violations(self.page, name, url)


def axe_violations(page, name, url):
    response = page.goto(url)
    if response.status != 200 or response.request.redirected_from is not None:
        return [f"{name} ({url}): answered {response.status} at {page.url}"]
    return run_axe(page, name)


@pytest.mark.parametrize("role", list(MINIMUM_PAGES))
def test_every_page_passes_axe_for(role, site, browser, transactional_db):
    visitor = Visitor(browser, site, role)
    pages = [
        (name, kwargs)
        for name, (method, kwargs, expected) in MATRIX.items()
        if method == "get" and expected[role] == 200
    ]

    checked = [visitor.violations(name, kwargs) for name, kwargs in pages]

    visitor.context.close()
    html_pages = [lines for lines in checked if lines is not None]
    violations = [line for lines in html_pages for line in lines]
    assert len(html_pages) >= MINIMUM_PAGES[role]
    assert violations == [], "\n".join(violations)


def test_sign_in_pages_pass_axe(site, browser, transactional_db):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    names = ["home", "account_login", "account_request_login_code", "account_reset_password"]
    names += ["account_signup"]  # the account pages sit outside the permission matrix

    violations = [
        line for name in names for line in axe_violations(page, name, f"{site}{reverse(name)}")
    ]

    context.close()
    assert violations == [], "\n".join(violations)


def run_axe(page, name):
    page.add_script_tag(path=AXE)
    return [
        f"{name} ({page.url}): {violation['rule']} at {target}"
        for violation in page.evaluate(RUN_AXE, AXE_TAGS)
        for target in violation["targets"]
    ]


def test_forms_showing_errors_pass_axe(site, browser, world):
    open_survey_for(world.initiative)
    context = browser.new_context(bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()

    sign_in(page, site, world.peer.email)
    page.goto(f"{site}{reverse('surveys:survey', kwargs={'pk': world.initiative.pk})}")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    violations = run_axe(page, "surveys:survey with errors")
    context.clear_cookies()
    sign_in(page, site, world.facilitator.email)
    page.goto(f"{site}{reverse('initiatives:invite', kwargs={'pk': world.initiative.pk})}")
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_be_visible()
    violations += run_axe(page, "initiatives:invite with errors")

    context.close()
    assert violations == [], "\n".join(violations)
