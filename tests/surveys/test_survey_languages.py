"""Survey texts in several languages: defaults in every site language, facilitators'
own versions, each peer reading their language and the original otherwise."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from surveys import services
from surveys.models import Question, Response
from surveys.queries import export_table

from .factories import open_survey_for

Field = Question.ProfileField
CHALLENGES = "Which challenges and problems are you facing in your work right now?"
POSITION_HELP = "For example: head of the budget execution unit."


@pytest.fixture(autouse=True)
def set_up_in_english():
    """Rows are set up by someone reading English (a view's language stays active after it)."""
    with translation.override("en"):
        yield


def in_russian(message):
    with translation.override("ru"):
        return gettext(message)


def survey_url(world, name="survey"):
    return reverse(f"surveys:{name}", args=[world.initiative.pk])


def reading_in(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_default_questions_are_stored_in_every_site_language(world):
    survey = open_survey_for(world.initiative)

    question = survey.questions.get(profile_field=Field.CHALLENGES)

    assert question.text == CHALLENGES
    assert set(question.translations) == {"en", "fr", "es", "ru", "pt"}
    assert question.translations["ru"]["text"] == in_russian(CHALLENGES)
    assert in_russian(CHALLENGES) != CHALLENGES  # the catalogue has it: a real check


def test_a_russian_peer_reads_the_default_survey_in_russian(client, world):
    open_survey_for(world.initiative)
    client.force_login(reading_in(world.peer, "ru"))

    page = client.get(survey_url(world)).content.decode()

    assert in_russian(CHALLENGES) in page
    assert in_russian(POSITION_HELP) in page
    assert in_russian("Before we meet: your work and your challenges") in page
    assert CHALLENGES not in page


def test_the_facilitator_s_french_version_reaches_french_peers_only(client, world):
    survey = open_survey_for(world.initiative)
    client.force_login(world.facilitator)
    response = client.post(
        survey_url(world, "add_question"),
        {
            "text": "Which tool helped you most?",
            "kind": "single_choice",
            "choices": "A checklist\nA mentor",
            "text__fr": "Quel outil vous a le plus aidé ?",
            "choices__fr": "Une liste de contrôle\nUn mentor",
        },
    )
    assert response.status_code == 302
    question = survey.questions.get(text="Which tool helped you most?")
    french, english = world.peer, world.peer_elsewhere

    client.force_login(reading_in(french, "fr"))
    french_page = client.get(survey_url(world)).content.decode()
    client.force_login(reading_in(english, "en"))
    english_page = client.get(survey_url(world)).content.decode()

    assert "Quel outil vous a le plus aidé ?" in french_page
    assert "Une liste de contrôle" in french_page
    assert "Which tool helped you most?" not in french_page
    assert "Which tool helped you most?" in english_page
    assert "Quel outil" not in english_page
    assert question.translations["fr"] == {
        "text": "Quel outil vous a le plus aidé ?",
        "choices": "Une liste de contrôle\nUn mentor",
    }


def test_a_french_answer_is_kept_as_the_original_choice(client, world):
    survey = open_survey_for(world.initiative)
    question = services.add_question(
        survey=survey,
        by=world.facilitator,
        text="Which tool helped you most?",
        kind="single_choice",
        choices="A checklist\nA mentor",
        translations={"fr": {"choices": "Une liste de contrôle\nUn mentor"}},
    )
    client.force_login(reading_in(world.peer, "fr"))

    client.post(survey_url(world, "save_draft"), {f"q{question.pk}": "A mentor"})

    response = Response.objects.get(survey=survey, membership__user=world.peer)
    assert response.answers[str(question.pk)] == "A mentor"


def test_changing_the_original_drops_the_versions_that_translated_the_old_text(client, world):
    survey = open_survey_for(world.initiative)
    question = survey.questions.get(profile_field=Field.POSITION)
    client.force_login(world.facilitator)

    client.post(
        reverse(
            "surveys:edit_question", kwargs={"pk": world.initiative.pk, "question_pk": question.pk}
        ),
        {
            "text": "What is your job title?",
            "help_text": POSITION_HELP,
            "kind": "short_text",
            "required": "on",
            "profile_field": "position",
            "text__fr": "Quel est votre poste ?",
            # What the browser sends back unchanged from the form:
            "text__ru": question.translations["ru"]["text"],
            "help_text__ru": question.translations["ru"]["help_text"],
        },
    )

    question.refresh_from_db()
    assert question.translations["fr"]["text"] == "Quel est votre poste ?"
    assert "text" not in question.translations["ru"]  # still the old question's words
    assert question.translations["ru"]["help_text"] == in_russian(POSITION_HELP)


def test_the_builder_offers_the_other_languages_in_a_closed_block(client, world):
    open_survey_for(world.initiative)
    client.force_login(world.facilitator)

    page = client.get(survey_url(world, "add_question")).content.decode()

    assert "<details" in page
    assert 'name="text__fr"' in page
    assert 'name="text__en"' not in page  # the facilitator's own language is the original


def test_exports_keep_the_original_text(world):
    survey = open_survey_for(world.initiative)

    with translation.override("ru"):
        header, _rows = export_table(survey=survey)

    assert CHALLENGES in header


@pytest.mark.parametrize("questions", [2, 12])
def test_the_survey_page_costs_the_same_queries_in_any_language(
    client, world, django_assert_max_num_queries, questions
):
    survey = open_survey_for(world.initiative)
    for number in range(questions):
        services.add_question(
            survey=survey,
            by=world.facilitator,
            text=f"Question {number}",
            translations={"ru": {"text": f"Вопрос {number}"}},
        )
    client.force_login(reading_in(world.peer, "ru"))

    with django_assert_max_num_queries(20):
        page = client.get(survey_url(world)).content.decode()

    assert f"Вопрос {questions - 1}" in page
