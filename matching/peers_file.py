"""Read peers from a CSV file and write matches back out (pure Python, no Django).

Import columns (headers are case-insensitive, extra columns are ignored, only ``email`` is
required): email, name, organisation, country, then the profile fields that surveys.profile
declares as imported (lists such as languages and challenge_tags separated by ";").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from matching.engine import MatchResult, Peer
from surveys import profile

# Who the peer is, then the declared profile fields a list may hold.
COLUMNS = ("email", "name", "organisation", "country", *profile.IMPORTED)
# Of those, the ones that fill the peer profile.
PROFILE_COLUMNS = profile.IMPORTED

OUTPUT_COLUMNS = ("group", "email", "score", "reasons")


def read_peers(path_or_file: str | Path | IO[str] | IO[bytes]) -> list[Peer]:
    """Peers from a CSV file (UTF-8, with or without BOM); the peer id is the email, lower case.

    Raises ValueError naming the line when the email column is missing or a row has no email.
    """
    with _opened(path_or_file, "r") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError("line 1: the file is empty; expected a header with an email column")
        names = [_header(cell) for cell in header]
        if "email" not in names:
            raise ValueError("line 1: no 'email' column in the header")
        peers = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            record = {name: value for name, value in zip(names, row, strict=False) if name}
            peers.append(_peer(record, reader.line_num))
    return peers


def write_matches(result: MatchResult, path_or_file: str | Path | IO[str]) -> None:
    """One row per peer: group number (from 1, empty when unmatched), email, score, reasons."""
    with _opened(path_or_file, "w") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for number, group in enumerate(result.groups, start=1):
            reasons = "; ".join(group.reasons)
            for email in group.members:
                writer.writerow([number, email, f"{group.score:.3f}", reasons])
        for peer in result.unmatched:
            writer.writerow(["", peer.peer_id, "", peer.reason])


def _header(cell: str) -> str:
    name = cell.strip().lstrip("\ufeff").strip().lower().replace(" ", "_")
    return name if name in COLUMNS else ""


def _peer(record: dict[str, str], line: int) -> Peer:
    email = record.get("email", "").strip().lower()
    if not email:
        raise ValueError(f"line {line}: no email")
    values = {name: _parsed(profile.BY_NAME[name], record) for name in profile.MATCHED}
    values["languages"] = [code.lower() for code in values["languages"]]
    return Peer(
        id=email,
        organisation=_text(record, "organisation"),
        country=_text(record, "country"),
        **profile.engine_values(values),
    )


def peer_from_row(row: dict) -> Peer:
    """A Peer from a row already cleaned by the peer import (lists as lists, years as int)."""
    return Peer(
        id=row["email"],
        organisation=row["organisation"],
        country=row["country"],
        **profile.engine_values(row),
    )


def _parsed(field: profile.ProfileField, record: dict[str, str]):
    if field.kind == profile.CODES:
        return _split(record.get(field.name, ""))
    if field.kind == profile.NUMBER:
        return _years(record.get(field.name, ""))
    return _text(record, field.name)


def _text(record: dict[str, str], name: str) -> str:
    return record.get(name, "").strip()


def _split(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(";") if part.strip())


def _years(value: str) -> int | None:
    try:
        years = int(float(value.strip()))
    except (ValueError, OverflowError):
        return None
    return years if years >= 0 else None


@contextmanager
def _opened(path_or_file, mode: str) -> Iterator[IO[str]]:
    """A text handle for a path or an open file; bytes are decoded as UTF-8 (BOM allowed)."""
    if isinstance(path_or_file, str | Path):
        encoding = "utf-8-sig" if mode == "r" else "utf-8"
        with open(path_or_file, mode, encoding=encoding, newline="") as handle:
            yield handle
        return
    if mode == "r" and isinstance(path_or_file.read(0), bytes):
        text = io.TextIOWrapper(path_or_file, encoding="utf-8-sig", newline="")
        try:
            yield text
        finally:
            text.detach()  # leave the caller's file open
        return
    yield path_or_file
