import pytest
from playwright.sync_api import expect

from initiatives.models import Role

from ..factories import PASSWORD, FacilitatorFactory, InitiativeFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_answers_a_scoping_part_and_closes_a_risk(site, new_page):
    facilitator = FacilitatorFactory(email="maria@network.example.org", name="Maria")
    initiative = InitiativeFactory(
        organisation=facilitator.facilitating_organisation, title="Arrears peers"
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    page = new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill("maria@network.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.goto(f"{site}{initiative.get_absolute_url()}")
    page.get_by_role("link", name="Scoping").click()
    page.get_by_role("link", name="Theory of change").click()
    page.get_by_label("What are the goals of the reform?").fill("Fewer arrears\nTimely reports")
    page.get_by_label("By which means will these goals be reached?").fill("Paired coaching")
    page.get_by_label("What do you assume about how the means lead to the goals?").fill(
        "Heads of treasury give staff time"
    )
    page.get_by_role("button", name="Save and return to all parts").click()
    expect(page.get_by_role("status")).to_contain_text("“Theory of change” has been saved.")
    expect(page.locator(".scoping-section.answered")).to_contain_text("Theory of change")
    page.get_by_role("link", name="Risks", exact=True).click()
    page.get_by_role("button", name="Close").first.click()

    expect(page.get_by_role("status")).to_contain_text("The risk has been closed.")
    expect(page.get_by_role("cell", name="Closed")).to_have_count(1)
