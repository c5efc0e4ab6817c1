import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import services
from initiatives.models import Role, Stage

from ..factories import (
    FacilitatorFactory,
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def funnel_row(page, step):
    table = page.get_by_role("table", name=re.compile("Peers at each step"))
    return table.get_by_role("row", name=re.compile(step))


def test_peer_learns_self_assesses_shares_back_and_the_dashboard_funnel_moves(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers", stage=Stage.DIFFUSION)
    facilitator = FacilitatorFactory(
        email="maria@network.example.org", name="Maria", organisation=initiative.organisation
    )
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    MembershipFactory(
        initiative=initiative,
        user=UserFactory(email="nino@mof.example.ge", name="Nino"),
        home_organisation=OrganisationFactory(name="Ministry of Finance"),
    )
    today = timezone.localdate()
    services.set_evaluation_point(
        initiative=initiative,
        round_="endline",
        by=facilitator,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        remind_every_days=0,
    )
    dashboard = f"{site}/initiatives/{initiative.pk}/dashboard/"

    board = new_page()
    blocked = []
    board.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in_with_code(board, site, "maria@network.example.org")
    board.goto(dashboard)
    expect(funnel_row(board, "Peers who achieved an objective")).to_contain_text("0")
    expect(funnel_row(board, "Peers who shared back home")).to_contain_text("0")
    submitted = board.get_by_role("row", name=re.compile("Self-assessments submitted")).first
    expect(submitted).to_contain_text("0")

    peer = new_page()
    sign_in_with_code(peer, site, "nino@mof.example.ge")
    peer.goto(f"{site}/initiatives/{initiative.pk}/learning/my-objectives/")
    peer.get_by_role("link", name="Set a learning objective").click()
    peer.get_by_label("Category").select_option(label="Technical knowledge")
    peer.get_by_label("What you mean to learn").fill("Run a monthly arrears report")
    peer.get_by_role("button", name="Save").click()
    expect(peer.get_by_text("Your learning objective is set.")).to_be_visible()
    peer.get_by_role("link", name=re.compile("Update")).click()
    peer.get_by_label("Status").select_option(label="Achieved")
    peer.get_by_role("button", name="Save").click()
    expect(peer.get_by_text("Your learning objective is changed.")).to_be_visible()
    peer.get_by_role("link", name="Your reflections").click()
    peer.get_by_role("link", name="Write a reflection").click()
    peer.get_by_label("Your reflection").fill("Seeing Chisinau's report made it concrete.")
    peer.get_by_role("button", name="Save").click()
    expect(peer.get_by_text("Your reflection is saved.")).to_be_visible()
    peer.goto(f"{site}/")
    peer.get_by_role("link", name="Complete your endline self-assessment.").click()
    rating = peer.get_by_role("group", name="Run a monthly arrears report")
    rating.get_by_label("5 – fully there").check()
    rating.get_by_label("From peers").check()
    peer.get_by_role("button", name="Submit").click()
    expect(peer.get_by_role("status")).to_contain_text("your self-assessment is submitted")
    peer.goto(f"{site}/initiatives/{initiative.pk}/diffusion/mine/report-back/")
    peer.get_by_label("Format").select_option(label="Presentation")
    peer.get_by_label("Title").fill("What the treasury visit taught us")
    peer.get_by_label("People in the audience").fill("25")
    peer.get_by_role("spinbutton", name=re.compile("Colleagues reached")).fill("18")
    peer.get_by_role("button", name="Record the report-back").click()
    expect(peer.get_by_text("Report-back recorded. Thank you for sharing.")).to_be_visible()

    board.goto(dashboard)
    expect(funnel_row(board, "Peers who achieved an objective")).to_contain_text("1")
    expect(funnel_row(board, "Peers who shared back home")).to_contain_text("1")
    expect(submitted).to_contain_text("1")
    chart = board.get_by_role("img", name=re.compile("peers at each step"))
    # decode() waits for the image to arrive, and fails if the SVG cannot be shown.
    assert chart.evaluate("image => image.decode().then(() => image.naturalWidth)") > 0
    assert blocked == []
