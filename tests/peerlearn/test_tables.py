"""Reading uploaded tables within limits: pure Python, no database."""

import pytest

from benchmarks.peer_import import (
    deflate_bomb_xlsx,
    huge_sheet_xlsx,
    lying_sheet_xlsx,
    small_xlsx,
)
from peerlearn import tables


def problem(filename, content):
    with pytest.raises(tables.TableError) as raised:
        tables.read_table(filename, content)
    return raised.value.code, raised.value.params


def test_xlsx_declaring_a_huge_sheet_is_refused_with_its_size():
    assert problem("bomb.xlsx", huge_sheet_xlsx()) == (
        "sheet_too_big",
        {"rows": 1048576, "columns": 16384, "max_rows": 20000, "max_columns": 200},
    )


def test_deflate_bomb_is_refused_without_unpacking():
    assert problem("bomb.xlsx", deflate_bomb_xlsx(megabytes=64)) == ("unpacks_too_big", {"max": 30})


def test_sheet_holding_cells_beyond_its_declared_size_is_read_only_to_the_limits():
    table = tables.read_table("lying.xlsx", lying_sheet_xlsx())

    assert (table.header, table.rows) == (["email"], [(2, ["a@example.org"])])


def test_xlsx_rows_keep_their_sheet_line_numbers():
    content = small_xlsx([["email", "years"], ["a@x.org", 12.0], [], ["b@x.org", None]])

    table = tables.read_table("peers.xlsx", content)

    assert table.rows == [(2, ["a@x.org", "12"]), (4, ["b@x.org"])]


def test_damaged_xlsx_is_not_readable():
    assert problem("peers.xlsx", b"PK\x03\x04 not really") == ("not_xlsx", {})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"email,challenges\na@x.org,ok\nb@x.org," + b"x" * 131_073 + b"\n", "cell_too_long"),
        (b"email,challenges\na@x.org,ok\nb@x.org," + b"x" * 10_001 + b"\n", "cell_too_long"),
        (b'email,name\na@x.org,Ana\nb@x.org,"Ben\nc@x.org,Cy\n', "unclosed_quote"),
        (b"email,name\na@x.org,Ana\nb@x.org,B\x00en\n", "nul"),
        (b'email,name\na@x.org,Ana\nb@x.org,"Ben" Jr\n', "bad_quotes"),
    ],
)
def test_malformed_csv_names_the_line(content, expected):
    code, params = problem("peers.csv", content)

    assert (code, params["line"]) == (expected, 3)


def test_csv_in_windows_1252_is_read_and_says_so():
    content = "email;name\nrene@x.org;René Dupré\n".encode("cp1252")

    table = tables.read_table("peers.csv", content)

    assert (table.rows, table.encoding) == ([(2, ["rene@x.org", "René Dupré"])], "cp1252")


def test_csv_with_bytes_windows_1252_leaves_out_is_read_as_latin_1():
    table = tables.read_table("peers.csv", b"email,name\na@x.org,A\x81\n")

    assert (table.rows, table.encoding) == ([(2, ["a@x.org", "A\x81"])], "cp1252")


def test_csv_separated_by_semicolons_with_commas_in_cells():
    table = tables.read_table(
        "peers.csv", "\ufeffemail;challenges\na@x.org;late, unpaid\n".encode()
    )

    assert (table.header, table.rows) == (
        ["email", "challenges"],
        [(2, ["a@x.org", "late, unpaid"])],
    )


def test_csv_with_too_many_rows_is_refused():
    content = b"email\n" + b"a@x.org\n" * 20_001

    assert problem("peers.csv", content) == ("too_many_lines", {"max": 20000})


def test_empty_file_and_other_types_are_refused():
    assert [problem("a.csv", b"")[0], problem("a.txt", b"email")[0]] == ["empty", "file_type"]


def test_isolated_read_gives_the_same_table_as_in_process():
    content = small_xlsx([["email", "name"], ["a@x.org", "Ana"]])

    assert tables.read_isolated("peers.xlsx", content) == tables.read_table("peers.xlsx", content)


def test_isolated_read_over_its_memory_limit_is_refused():
    content = small_xlsx([["email", "name"], ["a@x.org", "Ana"]])

    with pytest.raises(tables.TableError) as raised:
        tables.read_isolated("peers.xlsx", content, memory=20 * 1024 * 1024)

    assert raised.value.code == "too_big"


def test_isolated_read_reports_problems_with_their_line():
    with pytest.raises(tables.TableError) as raised:
        tables.read_isolated("peers.csv", b"email\na@x.org\nb\x00\n")

    assert (raised.value.code, raised.value.params) == ("nul", {"line": 3})
