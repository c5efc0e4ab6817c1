"""Keyboard-only journeys: after signing in, nothing but Tab, Shift+Tab, Enter, Space,
arrows and typing, for a peer, a facilitator and an authoriser."""

import re

import pytest
from playwright.sync_api import expect

from evaluation.models import Report
from initiatives.models import Role
from matching.models import MatchRun
from surveys.models import Response

from ..evaluation.factories import sent_report
from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory, UserFactory
from ..matching.factories import add_surveyed_peers
from ..surveys.factories import open_survey_for
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IS_FOCUSED = "element => element === document.activeElement"
FOCUS_RING = """() => {
    const style = getComputedStyle(document.activeElement);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== "none";
}"""


def sign_in(page, site, email):
    """Sign in (by mouse, as the other tests do) and wait for the page it leads to."""
    sign_in_with_code(page, site, email)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.wait_for_load_state()


def tab_to(page, target, *, limit=150):
    """Press Tab until `target` has the focus, and check that the focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate(IS_FOCUSED):
            assert page.evaluate(FOCUS_RING), f"no visible focus on {target}"
            return
    raise AssertionError(f"{target} is not reached by {limit} presses of Tab")


def skip_link_moves_focus_to_main(page):
    """The skip link is the first tab stop and Enter on it puts the focus on main."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate(IS_FOCUSED)
    assert page.evaluate(FOCUS_RING)
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.locator("main").evaluate(IS_FOCUSED)


def test_peer_completes_the_survey_by_keyboard(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers")
    open_survey_for(initiative)
    peer = MembershipFactory(
        initiative=initiative, user=UserFactory(email="nino@mof.example.ge", name="Nino")
    )
    page = new_page()
    sign_in(page, site, "nino@mof.example.ge")

    skip_link_moves_focus_to_main(page)
    tab_to(page, page.get_by_role("link", name="Complete the pre-event survey"))
    page.keyboard.press("Enter")
    challenges = page.get_by_label("Which challenges and problems are you facing")
    tab_to(page, challenges)
    page.keyboard.type("Arrears in municipal payroll keep growing.")
    position = page.get_by_label("What is your position?")
    tab_to(page, position)
    page.keyboard.type("Head of payroll unit")
    # Back and forth: Shift+Tab returns to the answer before.
    page.keyboard.press("Shift+Tab")
    assert not position.evaluate(IS_FOCUSED)
    tab_to(page, page.get_by_label("English"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Submit"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("your survey has been submitted")
    assert Response.objects.get(membership=peer).submitted_at is not None


def test_facilitator_runs_and_publishes_a_match_by_keyboard(site, new_page):
    facilitator = FacilitatorFactory(email="maria@network.example.org", name="Maria")
    initiative = InitiativeFactory(
        organisation=facilitator.facilitating_organisation, title="Payroll peers"
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    add_surveyed_peers(initiative, 6)
    page = new_page()
    sign_in(page, site, facilitator.email)

    skip_link_moves_focus_to_main(page)
    tab_to(page, page.get_by_role("link", name="Payroll peers").first)
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Matching", exact=True))
    page.keyboard.press("Enter")
    people = page.get_by_label("People per match")
    tab_to(page, people)
    page.keyboard.press("ArrowDown")
    expect(people).to_have_value("3")
    tab_to(page, page.get_by_role("button", name="Start matching"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Proposed matches")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Publish…"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Publish these matches?")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Publish and email the peers"))
    page.keyboard.press("Space")

    expect(page.get_by_role("status")).to_contain_text("Matches published")
    assert MatchRun.objects.get().status == MatchRun.Status.PUBLISHED


def test_authoriser_opens_and_reads_a_report_by_keyboard(site, new_page, world):
    report = sent_report(world)
    page = new_page()
    sign_in(page, site, world.authoriser.email)

    skip_link_moves_focus_to_main(page)
    tab_to(page, page.get_by_role("link", name="Your progress reports on them"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=str(world.home)))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(str(world.home))
    skip_link_moves_focus_to_main(page)
    tab_to(page, page.get_by_role("button", name="I have read this report"))
    page.keyboard.press("Enter")

    expect(page.get_by_text(re.compile("Acknowledged by"))).to_be_visible()
    report.refresh_from_db()
    assert report.acknowledged_by == world.authoriser
    assert Report.objects.count() == 1
