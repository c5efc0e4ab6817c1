import pytest
from playwright.sync_api import expect

from contact import services as contact_services
from initiatives.models import Membership, Stage

from ..contact.factories import pdf_upload
from ..factories import InitiativeFactory, MembershipFactory, UserFactory
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.notice_gate, pytest.mark.django_db(transaction=True)]


def accept_notice(page, *, consent=None):
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy notice of")
    if consent:
        page.get_by_label(consent).check()
    page.get_by_role("button", name="I have read the notice and accept it").click()


def test_peer_accepts_notice_then_withdraws_name_in_library(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers", stage=Stage.SUSTAINED_CONTACT)
    author = MembershipFactory(
        initiative=initiative, user=UserFactory(email="nino@mof.example.ge", name="Nino Beridze")
    )
    MembershipFactory(
        initiative=initiative, user=UserFactory(email="oleh@treasury.example.ua", name="Oleh")
    )
    Membership.objects.filter(initiative=initiative).update(status=Membership.Status.ACTIVE)
    contact_services.add_document(
        initiative=initiative,
        by=author.user,
        authors=[author],
        upload=pdf_upload(),
        title="Arrears checklist",
        kind="template",
        dated="2026-03-01",
    )
    named = "Show my name on documents in the knowledge library"

    peer = new_page()
    sign_in_with_code(peer, site, "nino@mof.example.ge")
    accept_notice(peer, consent=named)
    expect(peer.get_by_role("status")).to_contain_text("you accepted the privacy notice")

    reader = new_page()
    sign_in_with_code(reader, site, "oleh@treasury.example.ua")
    accept_notice(reader)
    library = f"{site}/initiatives/{initiative.pk}/library/"
    reader.goto(library)
    expect(reader.get_by_role("cell", name="Nino Beridze")).to_be_visible()

    peer.get_by_role("link", name="Your data").click()
    expect(peer.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(peer.get_by_text("Arrears checklist").first).to_be_attached()
    peer.get_by_role("button", name=f"Withdraw: {named}").click()
    expect(peer.get_by_role("status")).to_contain_text("Consent withdrawn")

    reader.goto(library)
    expect(reader.get_by_role("cell", name="a peer")).to_be_visible()
    expect(reader.get_by_text("Nino Beridze")).to_have_count(0)
