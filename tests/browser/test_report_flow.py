import re

import pytest
from playwright.sync_api import expect

from evaluation.models import Report
from initiatives.models import Role, Stage
from peerlearn.models import OutboxEmail

from ..factories import (
    FacilitatorFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_authoriser_acknowledges_and_comments_and_facilitator_sees_it(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers", stage=Stage.LEARNING_OUTCOMES)
    facilitator = FacilitatorFactory(
        email="maria@network.example.org", name="Maria", organisation=initiative.organisation
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    ministry = OrganisationFactory(name="Ministry of Finance", country="Georgia")
    MembershipFactory(
        initiative=initiative,
        home_organisation=ministry,
        user=UserFactory(email="nino@mof.example.ge", name="Nino Beridze"),
    )
    MembershipFactory(
        initiative=initiative,
        home_organisation=ministry,
        role=Role.AUTHORISER,
        user=UserFactory(email="giorgi@mof.example.ge", name="Giorgi"),
    )

    page = new_page()
    sign_in_with_code(page, site, "maria@network.example.org")
    page.get_by_role("link", name="Arrears reduction peers").click()
    page.get_by_role("link", name="Reports to authorisers").click()
    page.get_by_role("button", name="Send a report to Ministry of Finance (Georgia) now").click()
    expect(page.get_by_text("The report is being built and sent.")).to_be_visible()
    assert Report.objects.get().status == Report.Status.SENT
    body = OutboxEmail.objects.get(to="giorgi@mof.example.ge").body
    link = re.search(r"^(http\S+/reports/\S+/)$", body, re.MULTILINE).group(1)

    authoriser = new_page()
    blocked = []
    authoriser.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    authoriser.goto(link)
    sign_in_with_code(authoriser, site, "giorgi@mof.example.ge")
    authoriser.goto(link)
    expect(authoriser.get_by_role("heading", level=1)).to_have_text("Ministry of Finance (Georgia)")
    expect(authoriser.get_by_role("row", name=re.compile("Nino Beridze"))).to_be_visible()
    chart = authoriser.get_by_role("img", name="Participation: this period and the one before")
    assert chart.evaluate("image => image.decode().then(() => image.naturalWidth)") > 0
    authoriser.get_by_role("button", name="I have read this report").click()
    expect(authoriser.get_by_text("Acknowledged by Giorgi")).to_be_visible()
    authoriser.get_by_label("Your reply").fill("We will free Nino on Fridays for the pilot.")
    authoriser.get_by_role("button", name="Send your reply").click()
    expect(authoriser.get_by_text("Your reply is with the facilitators.")).to_be_visible()

    assert blocked == []

    page.reload()
    expect(page.get_by_text("We will free Nino on Fridays for the pilot.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Sent"))).to_contain_text("Giorgi")
