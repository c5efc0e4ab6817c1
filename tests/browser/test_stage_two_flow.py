import datetime
import re

import pytest
from playwright.sync_api import expect

from contact import services
from contact.models import ContactParticipant, Nudge
from initiatives.models import Stage
from matching.models import Match, MatchMember, MatchRun
from peerlearn.models import OutboxEmail

from ..factories import PASSWORD, InitiativeFactory, MembershipFactory, UserFactory
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NINO = "nino@mof.example.ge"
OLENA = "olena@treasury.example.ua"


def quiet_pair(initiative):
    """A match published seven weeks ago with nothing logged since."""
    run = MatchRun.objects.create(
        initiative=initiative,
        status=MatchRun.Status.PUBLISHED,
        published_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=50),
    )
    match = Match.objects.create(run=run, number=1, status=Match.Status.PUBLISHED)
    for email, name in [(NINO, "Nino Beridze"), (OLENA, "Olena Kovalenko")]:
        membership = MembershipFactory(
            initiative=initiative, user=UserFactory(email=email, name=name)
        )
        MatchMember.objects.create(match=match, membership=membership)
    return match


def test_nudged_peer_logs_a_contact_and_writes_and_the_partner_confirms(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers", stage=Stage.SUSTAINED_CONTACT)
    match = quiet_pair(initiative)
    services.nudge_quiet_matches()
    assert list(Nudge.objects.values_list("match", flat=True)) == [match.pk]
    body = OutboxEmail.objects.get(kind="contact_nudge", to=NINO).body
    link = re.search(r"^(http\S+/log/)$", body, re.MULTILINE).group(1)

    nino = new_page()
    nino.goto(link)
    nino.get_by_label("Email").fill(NINO)
    nino.get_by_label("Password").fill(PASSWORD)
    nino.get_by_role("button", name="Sign In").click()
    expect(nino.get_by_role("heading", level=1)).to_have_text("Log a contact")
    expect(nino.get_by_label("Olena Kovalenko")).to_be_checked()
    expect(nino.get_by_label("Kind")).to_have_value("call")
    nino.get_by_label("Note").fill("Call about registering invoices on receipt.")
    nino.get_by_role("button", name="Log the contact").click()
    expect(nino.get_by_role("status")).to_contain_text("Contact logged")
    nino.get_by_role("link", name="Your match conversation").click()
    nino.get_by_role("textbox", name="Message").fill(
        "Thanks for the call! I am sending our invoice register."
    )
    nino.get_by_role("button", name="Post the message").click()
    expect(nino.get_by_role("status")).to_contain_text("Your message is posted")

    olena = new_page()
    sign_in_with_code(olena, site, OLENA)
    olena.get_by_role("link", name="Arrears reduction peers").click()
    olena.goto(f"{site}/initiatives/{initiative.pk}/contacts/mine/")
    olena.get_by_role("link", name="Your match conversation").click()
    expect(olena.get_by_text("I am sending our invoice register.")).to_be_visible()
    expect(olena.get_by_text("Nino Beridze").first).to_be_visible()
    olena.go_back()
    expect(olena.get_by_text("Nino Beridze logged this contact with you.")).to_be_visible()
    expect(olena.get_by_text("Call about registering invoices on receipt.")).to_be_visible()
    olena.get_by_role("button", name="Confirm").click()

    expect(olena.get_by_role("status")).to_contain_text("the contact is confirmed")
    expect(olena.get_by_role("button", name="Confirm")).to_have_count(0)
    statuses = ContactParticipant.objects.values_list("membership__user__email", "status")
    assert sorted(statuses) == [(NINO, "confirmed"), (OLENA, "confirmed")]
