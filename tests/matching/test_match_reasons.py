from django.utils import translation

from matching import engine
from matching.reasons import reason_sentence


def test_a_reason_is_the_phrase_both_peers_wrote_not_a_word_list():
    a = engine.Peer("a", challenges="Our municipal payroll arrears are growing.")
    b = engine.Peer("b", challenges="Payroll arrears in the ministry, again.")

    items = engine.reason_items([a, b])

    assert items[0] == {"kind": "challenge", "what": "payroll arrears", "everyone": False}
    assert reason_sentence(items[0]) == "Both are dealing with payroll arrears"


def test_a_group_reason_speaks_of_all_members():
    group = [engine.Peer(p, challenges=f"Delays in VAT refunds to exporters, {p}.") for p in "abc"]

    sentences = [reason_sentence(item) for item in engine.reason_items(group)]

    assert sentences == ["All are dealing with delays in VAT refunds to exporters"]


def test_reasons_are_said_in_the_readers_language():
    a = engine.Peer("a", languages=frozenset({"fr", "en"}), years_of_service=4)
    b = engine.Peer("b", languages=frozenset({"fr"}), years_of_service=4)
    items = engine.reason_items([a, b])

    with translation.override("fr"):
        sentences = [reason_sentence(item) for item in items]

    assert "français" in sentences[-1].casefold()
    assert "Both have 4 years of service" in [reason_sentence(item) for item in items]


def test_reasons_stored_as_sentences_by_older_runs_are_shown_as_they_are():
    assert reason_sentence("Both speak English") == "Both speak English"
