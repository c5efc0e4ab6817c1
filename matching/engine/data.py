"""What the engine takes in (peers, weights, constraints) and gives back (groups, results)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Peer:
    """One public official taking part in the peer-learning programme."""

    id: str
    challenges: str = ""
    challenge_tags: frozenset[str] = frozenset()
    position: str = ""
    task: str = ""
    years_of_service: int | None = None
    background: str = ""
    languages: frozenset[str] = frozenset()
    organisation: str = ""
    country: str = ""


@dataclass(frozen=True)
class Weights:
    """How much each field counts; only the proportions matter. Challenges weigh most."""

    challenges: float = 0.6
    challenge_tags: float = 0.15
    position: float = 0.1
    task: float = 0.07
    years_of_service: float = 0.04
    background: float = 0.04

    def __post_init__(self) -> None:
        for name, value in self._items():
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name} must be a finite number >= 0, got {value!r}")

    def _items(self) -> list[tuple[str, float]]:
        return [(name, float(getattr(self, name))) for name in FIELDS]

    def shares(self) -> dict[str, float]:
        """Each field's share of the total weight (all zero if every weight is zero)."""
        items = self._items()
        top = max(value for _, value in items)
        if top <= 0:
            return {name: 0.0 for name, _ in items}
        scaled = [(name, value / top) for name, value in items]
        total = math.fsum(value for _, value in scaled)
        return {name: value / total for name, value in scaled}


FIELDS = ("challenges", "challenge_tags", "position", "task", "years_of_service", "background")


@dataclass(frozen=True)
class Constraints:
    """Rules every grouping must follow.

    ``group_size`` 2 means pairs (a group of three only for an odd peer out); 3..6 means
    groups whose sizes stay within ``group_size - 1 .. group_size + 1``.
    ``keep_apart`` and ``previous_pairs`` hold sets of ids that must never share a group.
    ``keep_together`` sets must end up in one group; when they cannot, a warning says why.
    Peers whose ``current_matches`` already reach ``max_matches_per_peer`` are left out.
    """

    group_size: int = 2
    allow_same_organisation: bool = False
    require_shared_language: bool = True
    keep_together: tuple[frozenset[str], ...] = ()
    keep_apart: frozenset[frozenset[str]] = frozenset()
    previous_pairs: frozenset[frozenset[str]] = frozenset()
    max_matches_per_peer: int | None = None
    current_matches: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 2 <= self.group_size <= 6:
            raise ValueError(f"group_size must be between 2 and 6, got {self.group_size}")


@dataclass(frozen=True)
class Group:
    """Peers put together, with a similarity score (about 0..1) and plain-words reasons."""

    members: tuple[str, ...]
    score: float
    reasons: list[str]
    locked: bool = False
    # The reasons as kinds and shared words (see ``reasons.reason_items``), to be said in
    # the reader's language.
    reason_items: tuple[dict, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    """A peer left out, with the reason in plain words."""

    peer_id: str
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """Groups, peers left out, and how close the total is to the best possible.

    ``total_score`` adds each group's mean pairwise score times half its size (a pair counts
    its score once), ``upper_bound`` is a certified bound on that total for any grouping that
    follows the constraints (for pairs: any pairing with at most as many groups of three as
    this result has), and ``gap`` is ``(upper_bound - total_score) / upper_bound``.
    ``warnings`` says which keep-together requests could not be honoured.
    """

    groups: list[Group]
    unmatched: list[Unmatched]
    total_score: float
    upper_bound: float
    gap: float
    warnings: list[str] = field(default_factory=list)
