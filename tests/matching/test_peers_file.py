import io

import pytest

from matching.engine import Constraints, Peer, match
from matching.peers_file import read_peers, write_matches

HEADER = (
    "email,name,organisation,country,position,years_of_service,background,languages,"
    "challenges,challenge_tags,task,wants_to_learn,can_offer\n"
)


def _write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "peers.csv"
    path.write_text(text, encoding=encoding)
    return path


def test_read_peers_all_columns(tmp_path):
    path = _write(
        tmp_path,
        HEADER + "Ana@Example.org,Ana,Ministry of Finance,Moldova,Head of Budget,12,economics,"
        'en;fr,"Arrears in municipal payroll. Late salaries.",budget; payroll,cash management,'
        "x,y\n",
    )
    [peer] = read_peers(path)
    assert peer.id == "ana@example.org"
    assert peer.organisation == "Ministry of Finance"
    assert peer.country == "Moldova"
    assert peer.position == "Head of Budget"
    assert peer.years_of_service == 12
    assert peer.languages == frozenset({"en", "fr"})
    assert peer.challenge_tags == frozenset({"budget", "payroll"})
    assert peer.challenges.startswith("Arrears")
    assert peer.task == "cash management"


def test_read_peers_headers_case_insensitive_and_extra_columns(tmp_path):
    path = _write(tmp_path, "EMAIL,Shoe Size,Position\nbo@example.org,44,Auditor\n")
    [peer] = read_peers(path)
    assert peer.id == "bo@example.org"
    assert peer.position == "Auditor"


def test_read_peers_with_bom(tmp_path):
    path = _write(tmp_path, "email,challenges\nzoe@example.org,Réforme fiscale\n", "utf-8-sig")
    [peer] = read_peers(path)
    assert peer.id == "zoe@example.org"
    assert peer.challenges == "Réforme fiscale"


def test_read_peers_from_binary_file_with_bom():
    data = "\ufeffEmail,Languages\nmo@example.org,RU\n".encode()
    [peer] = read_peers(io.BytesIO(data))
    assert peer.languages == frozenset({"ru"})


def test_read_peers_bad_years_become_none(tmp_path):
    path = _write(tmp_path, "email,years_of_service\na@x.org,many\nb@x.org,-3\nc@x.org,7.0\n")
    assert [p.years_of_service for p in read_peers(path)] == [None, None, 7]


def test_read_peers_missing_email_column_names_line(tmp_path):
    path = _write(tmp_path, "name,position\nAna,Head\n")
    with pytest.raises(ValueError, match="line 1"):
        read_peers(path)


def test_read_peers_row_without_email_names_line(tmp_path):
    path = _write(tmp_path, "email,name\na@x.org,A\n,B\n")
    with pytest.raises(ValueError, match="line 3: no email"):
        read_peers(path)


def test_read_peers_skips_blank_lines(tmp_path):
    path = _write(tmp_path, "email\na@x.org\n\n,\nb@x.org\n")
    assert [p.id for p in read_peers(path)] == ["a@x.org", "b@x.org"]


def test_write_matches_round_trip(tmp_path):
    peers = [
        Peer("a@x.org", challenges="Late salaries for city staff.", organisation="A"),
        Peer("b@x.org", challenges="Arrears in municipal payroll.", organisation="B"),
        Peer("c@x.org", challenges="Tax refunds are slow.", organisation="C"),
    ]
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        handle.write("email,challenges,organisation\n")
        for peer in peers:
            handle.write(f'{peer.id},"{peer.challenges}",{peer.organisation}\n')
    loaded = read_peers(source)
    assert loaded == peers
    result = match(loaded, constraints=Constraints(allow_same_organisation=False))
    target = tmp_path / "out.csv"
    write_matches(result, target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "group,email,score,reasons"
    rows = [line.split(",", 3) for line in lines[1:]]
    assert sorted(row[1] for row in rows) == ["a@x.org", "b@x.org", "c@x.org"]
    assert all(row[0] == "1" for row in rows)
    assert all(float(row[2]) >= 0 for row in rows)


def test_write_matches_unmatched_have_empty_group_and_reason():
    result = match([Peer("solo@x.org")])
    out = io.StringIO()
    write_matches(result, out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith(",solo@x.org,,")
    assert "No other peer" in lines[1]
