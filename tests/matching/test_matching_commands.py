import csv

from django.core.management import call_command

from matching import services
from matching.models import MatchRun

from ..factories import InitiativeFactory
from .factories import add_surveyed_peers

HEADER = (
    "email,name,organisation,country,position,years_of_service,background,languages,"
    "challenges,challenge_tags,task,wants_to_learn,can_offer\n"
)


def test_run_matching_prints_groups_and_gap(db, capsys):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)

    call_command("run_matching", str(initiative.pk), "--group-size", "2")

    output = capsys.readouterr().out
    assert MatchRun.objects.get().status == MatchRun.Status.PROPOSED
    assert output.count("(score ") == 2
    assert "gap " in output


def test_run_matching_second_round_gives_busy_peers_another_match(db, capsys):
    initiative = InitiativeFactory()
    add_surveyed_peers(initiative, 4)
    call_command("run_matching", str(initiative.pk))
    first = MatchRun.objects.get()
    services.publish_matches(run=first, by=None)

    call_command("run_matching", str(initiative.pk), "--matches-per-peer", "2")

    second = MatchRun.objects.exclude(pk=first.pk).get()
    assert (second.matches_per_peer, second.matches.count()) == (2, 2)


def test_match_file_writes_one_row_per_peer(tmp_path):
    peers = tmp_path / "peers.csv"
    rows = [
        "a@x.org,Ana,Treasury,MD,Head of budget,5,Economics,en;ro,Payroll arrears grow,pfm,"
        "Payroll,,\n",
        "b@x.org,Ben,Ministry,UA,Head of budget,7,Law,en,Payroll arrears are late,pfm,Payroll,,\n",
        "c@x.org,Cas,City,GE,Auditor,3,Audit,en,Audit findings ignored,audit,Audit,,\n",
        "d@x.org,Dan,Court,AM,Auditor,4,Audit,en,Audit findings not followed,audit,Audit,,\n",
    ]
    peers.write_text(HEADER + "".join(rows), encoding="utf-8")
    out = tmp_path / "matches.csv"

    call_command("match_file", str(peers), "--group-size", "2", "--out", str(out))

    written = list(csv.DictReader(out.open(encoding="utf-8")))
    groups = {row["email"]: row["group"] for row in written}
    assert list(written[0]) == ["group", "email", "score", "reasons"]
    assert groups["a@x.org"] == groups["b@x.org"]
    assert groups["c@x.org"] == groups["d@x.org"]
