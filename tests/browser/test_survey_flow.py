import pytest
from playwright.sync_api import expect

from matching.models import PeerProfile

from ..factories import InitiativeFactory, MembershipFactory, UserFactory
from ..surveys.factories import open_survey_for
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_saves_a_draft_comes_back_and_submits(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers")
    open_survey_for(initiative)
    peer = MembershipFactory(
        initiative=initiative, user=UserFactory(email="nino@mof.example.ge", name="Nino")
    )
    page = new_page()
    sign_in_with_code(page, site, "nino@mof.example.ge")

    page.get_by_role("link", name="Complete the pre-event survey").click()
    challenges = page.get_by_label("Which challenges and problems are you facing")
    challenges.fill("Arrears in municipal payroll keep growing.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your draft has been saved")
    page.goto(f"{site}/")
    page.get_by_role("link", name="Complete the pre-event survey").click()
    expect(challenges).to_have_value("Arrears in municipal payroll keep growing.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Some answers are missing")
    expect(challenges).to_have_value("Arrears in municipal payroll keep growing.")
    page.get_by_label("What is your position?").fill("Head of payroll unit")
    page.get_by_label("What is your position?").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your draft has been saved")
    page.get_by_label("English").check()
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("status")).to_contain_text("your survey has been submitted")
    expect(page.get_by_text("You submitted your answers")).to_be_visible()
    profile = PeerProfile.objects.get(membership=peer)
    assert (profile.position, profile.languages) == ("Head of payroll unit", ["en"])
    page.goto(f"{site}/")
    expect(page.get_by_role("link", name="Complete the pre-event survey")).to_have_count(0)
