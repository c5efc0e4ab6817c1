import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import services
from evaluation.models import ObjectiveRating
from initiatives.models import Role

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory, UserFactory
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_peer_rates_objectives_saves_a_draft_and_submits(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers")
    facilitator = FacilitatorFactory(organisation=initiative.organisation)
    MembershipFactory(initiative=initiative, user=facilitator, role=Role.FACILITATOR)
    peer = MembershipFactory(
        initiative=initiative, user=UserFactory(email="nino@mof.example.ge", name="Nino")
    )
    for aim in ("Accrual accounting", "Arrears control"):
        services.add_objective(
            initiative=initiative,
            by=peer.user,
            membership=peer,
            category="technical",
            description=aim,
        )
    today = timezone.localdate()
    services.set_evaluation_point(
        initiative=initiative,
        round_="baseline",
        by=facilitator,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
        remind_every_days=7,
    )
    page = new_page()
    sign_in_with_code(page, site, "nino@mof.example.ge")

    page.get_by_role("link", name="Complete your baseline self-assessment.").click()
    accruals = page.get_by_role("group", name="Accrual accounting")
    accruals.get_by_label("3 – half way").check()
    accruals.get_by_label("Comment (optional)").fill("My pair showed me their ledger.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Your draft is saved")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("Some answers are missing")
    expect(accruals.get_by_label("Comment (optional)")).to_have_value(
        "My pair showed me their ledger."
    )
    accruals.get_by_label("From peers").check()
    arrears = page.get_by_role("group", name="Arrears control")
    arrears.get_by_label("1 – not started").check()
    arrears.get_by_label("Both").check()
    page.get_by_role("button", name="Submit").click()

    expect(page.get_by_role("status")).to_contain_text("your self-assessment is submitted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessments")
    ratings = ObjectiveRating.objects.order_by("objective__description")
    assert [(r.score, r.source) for r in ratings] == [(3, "peers"), (1, "both")]
    page.goto(f"{site}/")
    expect(page.get_by_role("link", name="Complete your baseline self-assessment.")).to_have_count(
        0
    )
