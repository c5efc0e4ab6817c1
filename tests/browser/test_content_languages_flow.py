import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from surveys.models import Response
from surveys.services import survey_for

from ..factories import FacilitatorFactory, InitiativeFactory, MembershipFactory, UserFactory
from .test_invite_flow import sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_french(message):
    with translation.override("fr"):
        return gettext(message)


def test_facilitator_adds_a_french_question_that_a_french_peer_answers(site, new_page):
    initiative = InitiativeFactory(title="Arrears reduction peers")
    facilitator = FacilitatorFactory(
        email="maria@network.example.org", name="Maria", organisation=initiative.organisation
    )
    MembershipFactory(initiative=initiative, user=facilitator, role="facilitator")
    survey = survey_for(initiative=initiative)
    peer = MembershipFactory(
        initiative=initiative,
        user=UserFactory(email="claire@finances.example.fr", name="Claire", language="fr"),
    )
    builder = new_page()
    sign_in_with_code(builder, site, "maria@network.example.org")

    builder.goto(f"{site}/initiatives/{initiative.pk}/survey/questions/new/")
    builder.get_by_label("Question").first.fill("Which tool helped you most?")
    builder.get_by_text("Other languages").click()
    builder.get_by_label("Question (French)").fill("Quel outil vous a le plus aidé ?")
    builder.get_by_role("button", name="Save").click()
    expect(builder.get_by_text("Which tool helped you most?").first).to_be_visible()
    builder.get_by_role("button", name="Open the survey to peers").click()
    expect(builder.get_by_text("Open to peers since")).to_be_visible()

    answering = new_page()
    sign_in_with_code(answering, site, "claire@finances.example.fr")
    answering.goto(f"{site}/initiatives/{initiative.pk}/survey/")
    french = answering.get_by_label("Quel outil vous a le plus aidé ?")
    french.fill("Un tableau de suivi des arriérés.")
    answering.get_by_role("button", name=in_french("Save draft")).click()

    expect(french).to_have_value("Un tableau de suivi des arriérés.")
    expect(answering.get_by_text("Which tool helped you most?")).to_have_count(0)
    question = survey.questions.get(text="Which tool helped you most?")
    response = Response.objects.get(survey=survey, membership=peer)
    assert response.answers[str(question.pk)] == "Un tableau de suivi des arriérés."
