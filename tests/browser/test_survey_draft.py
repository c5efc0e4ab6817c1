import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory, UserFactory
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_opens_the_draft_survey_and_the_peer_is_told_by_email(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers")
    FacilitatorFactory(
        email="maria@network.example.org", name="Maria", organisation=initiative.organisation
    )
    MembershipFactory(
        initiative=initiative, user=UserFactory(email="nino@mof.example.ge", name="Nino")
    )
    builder = new_page()
    sign_in_with_code(builder, site, "maria@network.example.org")
    builder.goto(f"{site}/initiatives/{initiative.pk}/survey/builder/")
    expect(builder.get_by_text("This survey is a draft")).to_be_visible()
    builder.get_by_role("link", name="Add a question").click()
    builder.get_by_label("Question").first.fill("Which reform are you leading?")
    builder.get_by_role("button", name="Save").click()
    builder.get_by_role("link", name="Preview").click()
    expect(builder.get_by_text("Which reform are you leading?")).to_be_visible()

    peer = new_page()
    sign_in_with_code(peer, site, "nino@mof.example.ge")
    expect(peer.get_by_role("link", name="Complete the pre-event survey")).to_have_count(0)
    peer.goto(f"{site}/initiatives/{initiative.pk}/survey/")
    expect(peer.get_by_text("This survey is not open yet")).to_be_visible()
    expect(peer.get_by_role("button", name="Submit")).to_have_count(0)

    builder.get_by_role("link", name="Questions").click()
    builder.get_by_role("button", name="Open the survey to peers").click()
    expect(builder.get_by_role("status")).to_contain_text("1 peer is being told by email")
    expect(builder.get_by_text("Open to peers since")).to_be_visible()

    email = next(m for m in mail.outbox if m.to == ["nino@mof.example.ge"] and "open" in m.subject)
    link = re.search(r"^(http\S+/survey/)$", email.body, re.MULTILINE).group(1)
    peer.goto(link)
    peer.get_by_label("Which challenges and problems are you facing").fill("Payroll arrears.")
    peer.get_by_label("What is your position?").fill("Head of payroll unit")
    peer.get_by_label("English").check()
    peer.get_by_label("Which reform are you leading?").fill("Payroll")
    peer.get_by_role("button", name="Submit").click()
    expect(peer.get_by_role("status")).to_contain_text("your survey has been submitted")
