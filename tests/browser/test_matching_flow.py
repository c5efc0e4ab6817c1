import pytest
from playwright.sync_api import expect

from initiatives.models import Membership, Role
from matching.models import Match, MatchRun
from privacy.models import ConsentKind
from privacy.services import set_consent

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory
from ..matching.factories import add_surveyed_peers
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_matches_adjusts_and_publishes_then_peer_sees_match(site, new_page):
    facilitator = FacilitatorFactory(email="maria@network.example.org", name="Maria")
    initiative = InitiativeFactory(
        organisation=facilitator.facilitating_organisation, title="Payroll peers"
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    peers = add_surveyed_peers(initiative, 8)
    page = new_page()

    sign_in_with_code(page, site, facilitator.email)
    page.goto(f"{site}{initiative.get_absolute_url()}")
    page.get_by_role("link", name="Matching").click()
    page.get_by_label("People per match").select_option("2")
    page.get_by_role("button", name="Start matching").click()
    expect(page.get_by_role("heading", name="Proposed matches")).to_be_visible()
    expect(page.get_by_text("Why these peers").first).to_be_visible()
    page.get_by_role("button", name="Lock match 1").click()
    expect(page.get_by_role("button", name="Unlock match 1")).to_be_visible()

    # Moving one of a pair away leaves a match too small to publish.
    first, rest = Match.objects.get(number=2).members.all()
    page.get_by_role("link", name=f"Move… {first.membership.user}", exact=True).click()
    expect(
        page.get_by_role("button", name=f"Move {first.membership.user} to match 3")
    ).to_be_visible()
    expect(
        page.get_by_role("button", name=f"Move {first.membership.user} to match 1")
    ).to_have_count(0)
    page.get_by_role("button", name=f"Move {first.membership.user} to match 3").click()
    expect(page.get_by_text("This match has fewer than 2 people").first).to_be_visible()
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="Publish these matches?")).to_be_visible()
    expect(page.get_by_role("button", name="Publish and email the peers")).to_have_count(0)
    page.get_by_role("link", name="Match 2").click()
    page.get_by_role("link", name=f"Move… {rest.membership.user}", exact=True).click()
    page.get_by_role("button", name=f"Move {rest.membership.user} to match 4").click()
    expect(page.get_by_text("This match has fewer than 2 people")).to_have_count(0)

    # Swap, finding the other person by name.
    swapped = Match.objects.get(number=3).members.first()
    other = Match.objects.get(number=4).members.first()
    page.get_by_role("link", name=f"Swap… {swapped.membership.user}", exact=True).click()
    page.get_by_label("Find someone by name or email").fill(other.membership.user.name)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name=f"Swap with {other.membership.user}").click()
    expect(page.get_by_role("heading", name="Proposed matches")).to_be_visible()
    swapped.refresh_from_db()
    assert swapped.match.number == 4

    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_text("8 peers are emailed now")).to_be_visible()
    page.get_by_role("button", name="Publish and email the peers").click()
    expect(page.get_by_role("status")).to_contain_text("Matches published")

    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.PUBLISHED
    assert sorted(run.matches.values_list("number", flat=True)) == [1, 3, 4]
    peer = Membership.objects.get(pk=peers[0].pk)
    match = Match.objects.get(members__membership=peer)
    partner = match.members.exclude(membership=peer).first().membership.user
    for membership in peers:  # they agreed to show their answers to their matches
        set_consent(person=membership.user, kind=ConsentKind.ANSWERS_TO_MATCHES, given=True)
    reader = new_page()
    sign_in_with_code(reader, site, peer.user.email)
    reader.get_by_role("link", name="See who you are matched with.").click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Your match")
    expect(reader.get_by_text(partner.email).first).to_be_visible()
    expect(reader.get_by_role("heading", name="Why you were matched")).to_be_visible()
    expect(reader.get_by_text(match.reason_sentences[0])).to_be_visible()


def test_facilitator_keeps_two_peers_apart_and_matching_respects_it(site, new_page):
    facilitator = FacilitatorFactory(email="maria@network.example.org", name="Maria")
    initiative = InitiativeFactory(
        organisation=facilitator.facilitating_organisation, title="Payroll peers"
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    first, second = add_surveyed_peers(initiative, 2)
    page = new_page()

    sign_in_with_code(page, site, facilitator.email)
    page.goto(f"{site}{initiative.get_absolute_url()}")
    page.get_by_role("link", name="Matching").click()
    page.get_by_role("link", name="Peers kept apart (0 pairs)").click()
    page.get_by_label("Peer*", exact=True).select_option(str(first.pk))
    page.get_by_label("Never with").select_option(str(second.pk))
    page.get_by_label("Why (only facilitators see this)").fill("Manager and deputy")
    page.get_by_role("button", name="Keep apart").click()
    expect(page.get_by_role("status")).to_contain_text("will not be matched together")
    expect(page.get_by_role("cell", name="Manager and deputy")).to_be_visible()
    page.get_by_role("link", name="Back to matching").click()
    page.get_by_role("button", name="Start matching").click()
    expect(page.get_by_text("Status: Proposed")).to_be_visible()

    assert Match.objects.count() == 0
