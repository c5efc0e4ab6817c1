import pytest
from playwright.sync_api import expect

from initiatives.models import Role

from ..factories import (
    FacilitatorFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_signs_authoriser_countersigns_facilitator_sees_it(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers")
    facilitator = FacilitatorFactory(
        email="maria@network.example.org", name="Maria", organisation=initiative.organisation
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    ministry = OrganisationFactory(name="Ministry of Finance", country="Georgia")
    MembershipFactory(
        initiative=initiative,
        user=UserFactory(email="nino@mof.example.ge", name="Nino Beridze"),
        home_organisation=ministry,
    )
    MembershipFactory(
        initiative=initiative,
        user=UserFactory(email="director@mof.example.ge", name="Director"),
        home_organisation=ministry,
        role=Role.AUTHORISER,
    )

    peer = new_page()
    sign_in_with_code(peer, site, "nino@mof.example.ge")
    peer.get_by_role("link", name="Arrears reduction peers").click()
    peer.get_by_role("link", name="Your peer contract").click()
    peer.get_by_role("button", name="Sign the contract").click()
    expect(peer.get_by_text("Type your full name to sign.")).to_be_visible()
    peer.get_by_label("I commit to the above.").check()
    peer.get_by_label("Your full name").fill("Nino Beridze")
    peer.get_by_role("button", name="Sign the contract").click()
    expect(peer.get_by_role("status")).to_contain_text("your peer contract is signed")

    authoriser = new_page()
    sign_in_with_code(authoriser, site, "director@mof.example.ge")
    authoriser.get_by_role("link", name="Nino Beridze in Arrears reduction peers").click()
    authoriser.get_by_label("Note from the home organisation").fill(
        "Present the lessons to the budget department in June."
    )
    authoriser.get_by_role("button", name="Countersign for my organisation").click()
    expect(authoriser.get_by_role("status")).to_contain_text("You have countersigned")

    facilitator_page = new_page()
    sign_in_with_code(facilitator_page, site, "maria@network.example.org")
    facilitator_page.get_by_role("link", name="Arrears reduction peers").click()
    facilitator_page.get_by_role("link", name="Contracts").click()
    row = facilitator_page.get_by_role("row", name="Nino Beridze")
    expect(row).to_contain_text("Countersigned")
    expect(row).to_contain_text("Present the lessons to the budget department in June.")
