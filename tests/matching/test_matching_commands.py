import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


def match_file(tmp_path, content, name="peers.csv"):
    peers = tmp_path / name
    peers.write_bytes(content)
    out, err = StringIO(), StringIO()
    call_command(
        "match_file", str(peers), "--out", str(tmp_path / "matches.csv"), stdout=out, stderr=err
    )
    written = list(csv.DictReader((tmp_path / "matches.csv").open(encoding="utf-8")))
    return [row["email"] for row in written], err.getvalue()


def test_match_file_leaves_out_repeated_and_invalid_emails_saying_why(tmp_path):
    content = b"email,name\na@x.org,Ana\nA@X.org,Ana again\nnot-an-email,Bo\nc@x.org,Cy\n"

    emails, errors = match_file(tmp_path, content)

    assert sorted(emails) == ["a@x.org", "c@x.org"]
    assert "line 3: The same email is already on line 2. Left out." in errors
    assert "line 4: “not-an-email” is not an email address. Left out." in errors


def test_match_file_reads_latin_1_separated_by_semicolons(tmp_path):
    content = "email;name;challenges\nrene@x.org;René;Arriérés\nzoe@x.org;Zoé;Dette\n"

    emails, errors = match_file(tmp_path, content.encode("latin-1"))

    assert sorted(emails) == ["rene@x.org", "zoe@x.org"]
    assert "read as Western European" in errors


def test_match_file_with_a_malformed_file_says_why_without_traceback(tmp_path):
    peers = tmp_path / "peers.csv"
    peers.write_bytes(b'email,name\na@x.org,"Ana\nb@x.org,Bo\n')

    with pytest.raises(CommandError, match="Line 2: a quote mark"):
        call_command("match_file", str(peers), "--out", str(tmp_path / "out.csv"))


def test_match_file_with_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("match_file", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o.csv"))
