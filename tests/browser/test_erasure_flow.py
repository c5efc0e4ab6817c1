import pytest
from django.urls import reverse
from playwright.sync_api import expect

from privacy.models import ErasureRequest

from ..conftest import make_world
from ..contact import factories as contact
from ..privacy.factories import EMAIL, NAME, renamed_peer
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_asks_erasure_facilitator_confirms_and_posts_read_a_former_peer(site, new_page):
    world = make_world()
    renamed_peer(world)
    match = contact.pair(world)[0]
    contact.in_stage_two(world)
    contact.post_in(world, match=match, body="Our arrears fell by half.")

    peer = new_page()
    sign_in_with_code(peer, site, EMAIL)
    peer.get_by_role("link", name="Your data", exact=True).first.click()
    peer.get_by_role("link", name="Erase my data").click()
    expect(peer.get_by_role("listitem").filter(has_text=world.initiative.title)).to_be_visible()
    peer.get_by_role("button", name="Ask to be erased").click()
    expect(peer.get_by_text("Your request to be erased has been sent.")).to_be_visible()

    facilitator = new_page()
    sign_in_with_code(facilitator, site, world.facilitator.email)
    facilitator.goto(site + reverse("initiatives:detail", args=[world.initiative.pk]))
    facilitator.get_by_role("link", name="Personal data").click()
    facilitator.get_by_role("link", name=f"Confirm the erasure ({NAME})").click()
    facilitator.get_by_label("Delete them").check()
    facilitator.get_by_role("button", name="Confirm the erasure").click()
    expect(facilitator.get_by_text("Confirmed: the person is being erased.")).to_be_visible()
    expect(facilitator.get_by_role("cell", name="a former peer")).to_be_visible()
    assert ErasureRequest.objects.get().status == ErasureRequest.Status.ERASED

    partner = new_page()
    sign_in_with_code(partner, site, world.peer_elsewhere.email)
    partner.goto(site + reverse("contact:conversation", args=[world.initiative.pk, match.pk]))
    post = partner.get_by_role("article").filter(has_text="Our arrears fell by half.")
    expect(post).to_contain_text("a former peer")
    expect(partner.get_by_text(NAME)).to_have_count(0)
