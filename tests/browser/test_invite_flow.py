import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from peerlearn.models import OutboxEmail

from ..factories import FacilitatorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_code(page, site, email):
    page.goto(f"{site}/accounts/login/code/")
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Request Code").click()
    page.get_by_label("Code").wait_for()
    # The code as emailed: the outbox blanks it once sent.
    body = [message.body for message in mail.outbox if message.to == [email]][-1]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()


def test_facilitator_invites_peer_who_signs_in_and_sees_initiative(site, new_page):
    FacilitatorFactory(email="maria@network.example.org", name="Maria")
    facilitator = new_page()

    sign_in_with_code(facilitator, site, "maria@network.example.org")
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Welcome, Maria")
    facilitator.get_by_role("link", name="New initiative").first.click()
    facilitator.get_by_label("Title").fill("Arrears reduction peers")
    facilitator.get_by_label("Public financial management").check()
    facilitator.get_by_role("button", name="Save").click()
    expect(facilitator.get_by_role("heading", level=1)).to_have_text("Arrears reduction peers")
    facilitator.get_by_role("link", name="People").click()
    facilitator.get_by_label("Email address").fill("nino@mof.example.ge")
    facilitator.get_by_label("Full name").fill("Nino Beridze")
    facilitator.get_by_label("…or a new home organisation").fill("Ministry of Finance")
    facilitator.get_by_label("Country of the new organisation").fill("Georgia")
    facilitator.get_by_role("button", name="Send invitation").click()
    expect(facilitator.get_by_role("status")).to_contain_text("invitation has been sent")
    expect(facilitator.get_by_role("cell", name="Ministry of Finance (Georgia)")).to_be_visible()

    # The invitation as emailed: the outbox blanks its link once sent.
    assert OutboxEmail.objects.get(kind="invitation", to="nino@mof.example.ge").status == "sent"
    invitation = [message for message in mail.outbox if message.to == ["nino@mof.example.ge"]][-1]
    link = re.search(r"^(http\S+/invitations/\S+/)$", invitation.body, re.MULTILINE).group(1)
    peer = new_page()
    peer.goto(link)
    peer.get_by_role("button", name="Accept the invitation").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("Arrears reduction peers")
    peer.get_by_role("button", name="Sign out").click()
    sign_in_with_code(peer, site, "nino@mof.example.ge")

    expect(peer.get_by_role("heading", name="Your initiatives as a peer")).to_be_visible()
    peer.get_by_role("link", name="Arrears reduction peers").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("Arrears reduction peers")
