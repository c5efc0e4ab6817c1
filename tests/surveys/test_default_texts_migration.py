import pytest
from django.utils import translation
from django.utils.translation import gettext

from ..migrations import migrate

BEFORE = [
    ("surveys", "0003_texts_in_several_languages"),
    ("initiatives", "0007_content_in_several_languages"),
]
AFTER = [
    ("surveys", "0004_default_texts_in_every_language"),
    ("initiatives", "0008_default_texts_in_every_language"),
]
CHALLENGES = "Which challenges and problems are you facing in your work right now?"
RISK = "Nobody can say clearly what the peers are meant to gain."


def in_russian(message):
    with translation.override("ru"):
        return gettext(message)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_english_defaults_made_earlier_get_every_language_and_edited_texts_do_not():
    old = migrate(BEFORE, latest=["peerlearn"])
    initiative = old.get_model("initiatives", "Initiative").objects.create(
        organisation=old.get_model("peerlearn", "Organisation").objects.create(name="Network"),
        title="Earlier",
    )
    survey = old.get_model("surveys", "Survey").objects.create(
        initiative=initiative, purpose="pre_event", title="Our own title"
    )
    Question = old.get_model("surveys", "Question")
    Question.objects.create(survey=survey, text=CHALLENGES, profile_field="challenges")
    Question.objects.create(survey=survey, text="Your post?", profile_field="position")
    old.get_model("initiatives", "Risk").objects.create(
        initiative=initiative, seed_key="unclear-purpose", description=RISK, mitigation="Ours."
    )

    new = migrate(AFTER, latest=["peerlearn"])

    questions = new.get_model("surveys", "Question").objects.order_by("pk")
    risk = new.get_model("initiatives", "Risk").objects.get()
    assert questions[0].translations["ru"] == {"text": in_russian(CHALLENGES)}
    assert questions[1].translations == {}
    assert new.get_model("surveys", "Survey").objects.get().translations == {}
    assert risk.translations["ru"] == {"description": in_russian(RISK)}
