import pytest

from ..migrations import migrate

BEFORE = [("matching", "0003_second_round_and_kept_apart")]
AFTER = [("matching", "0005_one_number_per_match")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_existing_matches_are_numbered_best_score_first_per_run():
    old = migrate(BEFORE)
    Organisation = old.get_model("peerlearn", "Organisation")
    Initiative = old.get_model("initiatives", "Initiative")
    MatchRun = old.get_model("matching", "MatchRun")
    Match = old.get_model("matching", "Match")
    initiative = Initiative.objects.create(
        organisation=Organisation.objects.create(name="Network"), title="Old runs"
    )
    runs = [MatchRun.objects.create(initiative=initiative) for _ in range(2)]
    scores = {runs[0]: [0.2, 0.9, 0.5], runs[1]: [0.4, 0.7]}
    made = {
        (run.pk, score): Match.objects.create(run=run, score=score).pk
        for run, listed in scores.items()
        for score in listed
    }

    new = migrate(AFTER)

    numbers = dict(new.get_model("matching", "Match").objects.values_list("pk", "number"))
    assert [numbers[made[(runs[0].pk, s)]] for s in (0.9, 0.5, 0.2)] == [1, 2, 3]
    assert [numbers[made[(runs[1].pk, s)]] for s in (0.7, 0.4)] == [1, 2]
