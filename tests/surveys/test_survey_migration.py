import pytest
from django.db import connection

from ..migrations import migrate

BEFORE = [("matching", "0006_peer_import_moves_in"), ("initiatives", "0005_peer_import_moves_out")]
AFTER = [("surveys", "0002_own_tables_purpose_and_round")]


def old_survey_with_answers(old):
    """A survey as matching kept it: two questions, a submitted response and a profile."""
    Organisation = old.get_model("peerlearn", "Organisation")
    User = old.get_model("peerlearn", "User")
    Initiative = old.get_model("initiatives", "Initiative")
    Membership = old.get_model("initiatives", "Membership")
    initiative = Initiative.objects.create(
        organisation=Organisation.objects.create(name="Network"), title="Old survey"
    )
    membership = Membership.objects.create(
        initiative=initiative, user=User.objects.create(email="peer@example.org"), role="peer"
    )
    survey = old.get_model("matching", "Survey").objects.create(
        initiative=initiative, title="Before we meet", max_reminders=2
    )
    Question = old.get_model("matching", "Question")
    first = Question.objects.create(survey=survey, position=1, text="Challenges?")
    Question.objects.create(survey=survey, position=2, text="Position?", profile_field="position")
    old.get_model("matching", "Response").objects.create(
        survey=survey, membership=membership, answers={str(first.pk): "Arrears"}
    )
    old.get_model("matching", "PeerProfile").objects.create(
        membership=membership, challenges="Arrears"
    )
    return initiative, survey, first


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_surveys_move_to_their_app_with_every_row():
    initiative, survey, first = old_survey_with_answers(migrate(BEFORE, latest=["peerlearn"]))

    new = migrate(AFTER, latest=["peerlearn"])

    moved = new.get_model("surveys", "Survey").objects.get()
    response = new.get_model("surveys", "Response").objects.get()
    assert (moved.pk, moved.title, moved.max_reminders) == (survey.pk, "Before we meet", 2)
    assert (moved.initiative_id, moved.purpose, moved.round) == (initiative.pk, "pre_event", "")
    assert list(moved.questions.values_list("text", flat=True)) == ["Challenges?", "Position?"]
    assert response.answers == {str(first.pk): "Arrears"}
    assert new.get_model("matching", "PeerProfile").objects.get().challenges == "Arrears"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_moved_tables_take_new_rows_and_a_second_purpose():
    initiative, survey, _first = old_survey_with_answers(migrate(BEFORE, latest=["peerlearn"]))

    new = migrate(AFTER, latest=["peerlearn"])

    Survey = new.get_model("surveys", "Survey")
    added = Survey.objects.create(
        initiative_id=initiative.pk, purpose="self_assessment", round="baseline", title="Baseline"
    )
    tables = set(connection.introspection.table_names())
    assert Survey.objects.filter(initiative_id=initiative.pk).count() == 2
    assert added.pk > survey.pk
    assert {"surveys_survey", "surveys_question", "surveys_response"} <= tables
    assert "matching_survey" not in tables


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_surveys_that_existed_before_drafts_stay_open():
    old = migrate(AFTER, latest=["peerlearn", "initiatives"])
    Organisation = old.get_model("peerlearn", "Organisation")
    initiative = old.get_model("initiatives", "Initiative").objects.create(
        organisation=Organisation.objects.create(name="Network"), title="Open already"
    )
    survey = old.get_model("surveys", "Survey").objects.create(
        initiative=initiative, purpose="pre_event", title="Before we meet"
    )

    new = migrate(
        [("surveys", "0005_survey_drafts_opened_deliberately")], latest=["peerlearn", "initiatives"]
    )

    opened = new.get_model("surveys", "Survey").objects.get(pk=survey.pk)
    assert opened.opened_at == survey.created_at
