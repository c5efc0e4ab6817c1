"""Who may share a group: the constraints, which are never broken."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from itertools import combinations

import numpy as np

from .data import Constraints, Peer
from .texts import normalise


class Rules:
    """Compatibility of the peers taking part in one run, indexed 0..n-1.

    Two peers may share a group only if they are from different organisations (unless
    allowed; compared case-insensitively, an empty organisation is unknown and never
    conflicts), share at least one language when required (a peer with no languages given
    is treated as unknown and does not block anyone), are not kept apart and were not
    matched before.
    """

    def __init__(self, peers: Sequence[Peer], constraints: Constraints) -> None:
        self.n = len(peers)
        index = {peer.id: i for i, peer in enumerate(peers)}
        self.check_organisation = not constraints.allow_same_organisation
        self.organisation = _codes([normalise(p.organisation).strip() for p in peers])
        self.check_language = constraints.require_shared_language
        self.languages = _language_bits(peers)
        self.forbidden: dict[int, set[int]] = {}
        for ids in (*constraints.keep_apart, *constraints.previous_pairs):
            members = sorted(index[i] for i in ids if i in index)
            for a, b in combinations(members, 2):
                self.forbidden.setdefault(a, set()).add(b)
                self.forbidden.setdefault(b, set()).add(a)

    def blocked(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Boolean matrix: True where peer rows[i] may not be grouped with peer cols[j]."""
        everyone = len(cols) == self.n and bool((cols == np.arange(self.n)).all())
        if self.check_organisation:
            mine = self.organisation[rows]
            blocked = mine[:, None] == self.organisation[cols][None, :]
            blocked[mine < 0] = False
        else:
            blocked = np.zeros((len(rows), len(cols)), dtype=bool)
        if self.check_language:
            if self.languages.shape[1] == 1:
                shared = self.languages[rows, 0][:, None] & self.languages[cols, 0][None, :]
                blocked |= shared == 0
            else:
                shared = self.languages[rows][:, None, :] & self.languages[cols][None, :, :]
                blocked |= ~shared.any(axis=2)
        if everyone:
            blocked[np.arange(len(rows)), rows] = True
        else:
            blocked |= rows[:, None] == cols[None, :]
        for i, row in enumerate(rows.tolist()):
            if row in self.forbidden:
                partners = list(self.forbidden[row])
                if everyone:
                    blocked[i, partners] = True
                else:
                    blocked[i] |= np.isin(cols, partners)
        return blocked

    def pair_blocked(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Elementwise: True where peer x[i] may not be grouped with peer y[i]."""
        blocked = x == y
        if self.check_organisation:
            blocked |= (self.organisation[x] == self.organisation[y]) & (self.organisation[x] >= 0)
        if self.check_language:
            blocked |= ~(self.languages[x] & self.languages[y]).any(axis=1)
        if self.forbidden:
            for i in np.flatnonzero(np.isin(x, list(self.forbidden))).tolist():
                blocked[i] |= int(y[i]) in self.forbidden[int(x[i])]
        return blocked

    def fits(self, peer: int, members: Sequence[int]) -> bool:
        """True if the peer may join a group with all these members."""
        if not members:
            return True
        return not self.blocked(np.array([peer]), np.asarray(members)).any()

    def why_alone(self, peer: int) -> str:
        """Plain words on why nobody is compatible with this peer."""
        if self.n <= 1:
            return "No other peer is available to match with."
        others = np.array([i for i in range(self.n) if i != peer])
        row = np.array([peer])
        causes = []
        if self.check_organisation and self.organisation[peer] >= 0:
            same = int((self.organisation[others] == self.organisation[peer]).sum())
            if same:
                causes.append(f"{same} from the same organisation")
        if self.check_language:
            shared = (self.languages[row][:, None, :] & self.languages[others][None]).any(axis=2)
            if (~shared).sum():
                causes.append(f"{int((~shared).sum())} share no language with them")
        if self.forbidden.get(peer):
            count = len(self.forbidden[peer])
            causes.append(f"{count} matched before or to be kept apart")
        detail = "; ".join(causes) if causes else "constraints"
        return f"No compatible peer among the {len(others)} others ({detail})."


def _codes(values: Sequence[str]) -> np.ndarray:
    """Integer code per value; empty values get -1 (unknown, never conflicts)."""
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) if v else -1 for v in values], dtype=np.int32)


@cache
def language_code(code: str) -> str:
    """The language of a code, lower-case and without its region ("pt-BR" -> "pt")."""
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]


def _language_bits(peers: Sequence[Peer]) -> np.ndarray:
    """One bit per language; a peer with no languages given gets every bit (unknown)."""
    codes = sorted({language_code(c) for p in peers for c in p.languages} - {""})
    bit = {code: i for i, code in enumerate(codes)}
    words = max(1, math.ceil(len(codes) / 64))
    bits = np.zeros((len(peers), words), dtype=np.uint64)
    for i, peer in enumerate(peers):
        known = {language_code(c) for c in peer.languages} - {""}
        if not known:
            bits[i] = np.iinfo(np.uint64).max
        for code in known:
            bits[i, bit[code] // 64] |= np.uint64(1 << (bit[code] % 64))
    # The narrowest type that holds every bit keeps the compatibility masks cheap.
    for narrow in (np.uint8, np.uint16, np.uint32):
        if len(codes) <= np.iinfo(narrow).bits:
            return (bits & np.uint64(np.iinfo(narrow).max)).astype(narrow)
    return bits
