import csv

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from matching import engine
from matching.engine.sentences import encoder
from matching.engine.similarity import meaning_vectors

from .tiny_model import write_tiny_model

# Made-up words: only the tiny model knows which of them mean the same.
SYNONYMS = {"zorblat": 0, "quimpex": 0, "travonel": 1, "sesquip": 1, "mirdan": 2, "fallox": 2}
HEADER = "email,name,organisation,challenges\n"


def peers_file(tmp_path):
    rows = [f"{word}@x.org,{word},Org {i},{word}\n" for i, word in enumerate(SYNONYMS)]
    path = tmp_path / "peers.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def groups_written(path):
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    return {row["email"].split("@")[0]: row["group"] for row in rows}


def test_match_file_with_model_uses_the_operators_exported_model(tmp_path):
    model = write_tiny_model(tmp_path / "model", SYNONYMS)
    out = tmp_path / "matches.csv"

    call_command("match_file", str(peers_file(tmp_path)), "--out", str(out), "--model", str(model))

    group = groups_written(out)
    assert group["zorblat"] == group["quimpex"]
    assert group["travonel"] == group["sesquip"]
    assert group["mirdan"] == group["fallox"]


def test_match_file_with_a_model_directory_lacking_its_files_says_which(tmp_path):
    (tmp_path / "empty").mkdir()

    with pytest.raises(CommandError, match="model.onnx is missing"):
        call_command(
            "match_file",
            str(peers_file(tmp_path)),
            "--out",
            str(tmp_path / "matches.csv"),
            "--model",
            str(tmp_path / "empty"),
        )


def test_match_file_with_a_model_that_is_not_a_directory_says_so(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        call_command(
            "match_file",
            str(peers_file(tmp_path)),
            "--out",
            str(tmp_path / "matches.csv"),
            "--model",
            str(tmp_path / "nowhere"),
        )


def test_the_model_directory_setting_is_used_when_no_directory_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHING_MODEL_DIR", str(write_tiny_model(tmp_path / "m", SYNONYMS)))
    peers = [engine.Peer(id=word, challenges=word) for word in SYNONYMS]

    result = engine.match(peers)

    together = {frozenset(group.members) for group in result.groups}
    assert together == {
        frozenset({"zorblat", "quimpex"}),
        frozenset({"travonel", "sesquip"}),
        frozenset({"mirdan", "fallox"}),
    }


def test_the_bundled_model_knows_a_problem_told_in_another_language():
    found = encoder()(
        [
            "Refunds of VAT to exporters take many months.",
            "Les remboursements de TVA aux exportateurs prennent des mois.",
            "Our hospitals run out of essential medicines.",
        ]
    )

    similarity = found @ found.T
    assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-4)
    assert similarity[0, 1] > similarity[0, 2] + 0.3


def test_boilerplate_reworded_by_each_peer_weighs_nothing():
    reworded = [
        "I work in the public sector of my country.",
        "I work in my country's public sector.",
        "I am employed in the public sector of my country.",
        "My job is in the public sector of my country.",
    ]
    problems = [
        "Refunds of VAT to exporters take many months.",
        "Our hospitals run out of essential medicines.",
        "Bus routes in the capital have not changed since 1990.",
        "Nobody uses the open data portal of the statistics office.",
    ] * 3
    texts = [f"{reworded[i % 4]} {problem}" for i, problem in enumerate(problems)]

    # The same vectors, up to the rounding of texts encoded in other batches.
    cosines = (meaning_vectors(texts) * meaning_vectors(problems)).sum(axis=1)
    assert cosines.min() > 0.999


def test_a_problem_a_few_peers_share_keeps_its_weight():
    problems = [
        "Refunds of VAT to exporters take many months.",
        "Our hospitals run out of essential medicines.",
    ] * 3
    texts = [f"{problem} Thank you." for problem in problems]

    vectors = meaning_vectors(texts)

    assert vectors[0] @ vectors[2] > 0.99
    assert vectors[0] @ vectors[1] < 0.6
