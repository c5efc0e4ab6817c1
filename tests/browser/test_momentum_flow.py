import datetime
import re

import pytest
from playwright.sync_api import expect

from contact import services
from contact.models import InTouchMark
from initiatives.models import Role, Stage
from matching.models import Match, MatchMember, MatchRun
from peerlearn.models import OutboxEmail

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory, UserFactory
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def quiet_pair(initiative):
    run = MatchRun.objects.create(
        initiative=initiative,
        status=MatchRun.Status.PUBLISHED,
        published_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=45),
    )
    match = Match.objects.create(run=run, number=1, status=Match.Status.PUBLISHED)
    for email, name in [("nino@mof.example.ge", "Nino"), ("olena@treasury.example.ua", "Olena")]:
        membership = MembershipFactory(
            initiative=initiative, user=UserFactory(email=email, name=name)
        )
        MatchMember.objects.create(match=match, membership=membership)


def test_peer_says_in_touch_from_the_email_and_facilitator_sees_momentum(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers", stage=Stage.SUSTAINED_CONTACT)
    facilitator = FacilitatorFactory(
        email="maria@network.example.org", name="Maria", organisation=initiative.organisation
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    quiet_pair(initiative)
    services.nudge_quiet_matches()
    body = OutboxEmail.objects.get(to="nino@mof.example.ge").body
    link = re.search(r"^(http\S+/in-touch/)$", body, re.MULTILINE).group(1)

    peer = new_page()
    peer.goto(link)
    peer.get_by_role("button", name="Yes, we are in touch").click()
    expect(peer.get_by_text("Thank you: noted.")).to_be_visible()
    assert InTouchMark.objects.count() == 1

    page = new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in_with_code(page, site, "maria@network.example.org")
    page.get_by_role("link", name="Arrears reduction peers").click()
    page.get_by_role("link", name="Momentum").click()
    chart = page.get_by_role("img", name=re.compile("Bar chart of contacts"))
    expect(chart).to_be_visible()
    # decode() waits for the image to arrive, and fails if the SVG cannot be shown.
    assert chart.evaluate("image => image.decode().then(() => image.naturalWidth)") > 0
    expect(page.get_by_role("table").first).to_contain_text("Contacts")
    expect(page.get_by_text("In touch", exact=True).last).to_be_visible()
    assert blocked == []
