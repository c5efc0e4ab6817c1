"""The entry points: match, similarities and score_groups, which put the other modules together."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .bound import relax
from .data import Constraints, Group, MatchResult, Peer, Unmatched, Weights
from .groups import form_groups
from .neighbours import nearest
from .pairing import pair_up
from .reasons import in_english, listed, reason_items
from .rules import Rules
from .similarity import embed, peer_matrix, sum_over_pairs
from .texts import TextContext

_PAIR_NEIGHBOURS = 10
_GROUP_NEIGHBOURS = 15


def match(
    peers: Sequence[Peer],
    *,
    weights: Weights = Weights(),
    constraints: Constraints = Constraints(),
    locked: Sequence[Sequence[str]] = (),
    model_dir: str | None = None,
) -> MatchResult:
    """Put peers into pairs (``group_size`` 2) or groups of 3 to 6 with the most in common.

    ``locked`` groups are kept exactly as given and their members take no further part.
    Constraints are never broken; every peer who can be placed is placed, and the others are
    listed in ``unmatched`` with the reason.  The same input always gives the same result.
    Groups are made from each peer's 10 (pairs) or 15 (groups) most similar compatible peers.
    ``model_dir`` names an exported sentence model (see ``sentences.encoder``).
    """
    peers = list(peers)
    index = _index(peers)
    fixed = _locked_groups(locked, index)
    context = TextContext(peers)
    matrix = peer_matrix(peers, weights, context, model_dir)
    vectors = embed(matrix) if peers else np.zeros((0, 1))
    taken = {i for group in fixed for i in group}
    unmatched = _capped(peers, constraints, taken)
    active = [i for i in range(len(peers)) if i not in taken and peers[i].id not in unmatched]
    warnings: list[str] = []
    seeds = _keep_together(peers, active, index, constraints, warnings)
    k = constraints.group_size
    kept = [(group, True) for group in fixed]
    if k == 2:
        kept += [(seed, False) for seed in seeds]
        seeded = {i for seed in seeds for i in seed}
        run = [i for i in active if i not in seeded]
    else:
        run = active
    groups, alone, bound = _run(peers, vectors, run, seeds, constraints)
    for peer, reason in alone:
        unmatched[peers[peer].id] = reason
    all_groups = kept + [(g, False) for g in groups]
    extra = sum(_group_value(vectors, g) for g, _ in kept)
    return _result(peers, vectors, context, all_groups, unmatched, bound + extra, warnings)


def similarities(
    peers: Sequence[Peer], *, weights: Weights = Weights(), model_dir: str | None = None
) -> np.ndarray:
    """Similarity of every pair of peers as a dense matrix (for small lists: n x n numbers).

    These are the numbers ``match`` maximises; the diagonal is meaningless.
    """
    peers = list(peers)
    if not peers:
        return np.zeros((0, 0))
    matrix = peer_matrix(peers, weights, TextContext(peers), model_dir)
    vectors = embed(matrix).astype(np.float64)
    return vectors @ vectors.T


def _run(peers, vectors, run: list[int], seeds, constraints: Constraints):
    """Group the peers listed in `run`; returns groups, (peer, reason) left out and the bound."""
    k = constraints.group_size
    if not run:
        return [], [], 0.0
    rules = Rules([peers[i] for i in run], constraints)
    local = vectors[run]
    size = _PAIR_NEIGHBOURS if k == 2 else _GROUP_NEIGHBOURS
    neighbours, similarity = nearest(local, rules, size)
    # Similarity of each peer's k-th neighbour; -inf when every compatible peer is a neighbour.
    reach = np.where((neighbours >= 0).all(axis=1), similarity.min(axis=1), -np.inf)
    position = {peer: i for i, peer in enumerate(run)}
    if k == 2:
        groups, alone, bound = pair_up(local, rules, neighbours, reach)
    else:
        local_seeds = [[position[p] for p in seed] for seed in seeds]
        groups, alone = form_groups(local, rules, neighbours, local_seeds, k)
        cap = 1.0 if k <= 3 else 1.0 / (k - 2)
        bound = relax(local, rules, neighbours, reach, cap, cover=False).bound
    reasons = [(run[p], _alone_reason(rules, neighbours, p, k)) for p in alone]
    return [[run[p] for p in g] for g in groups], reasons, bound


def _alone_reason(rules: Rules, neighbours: np.ndarray, peer: int, k: int) -> str:
    if (neighbours[peer] < 0).all():
        return rules.why_alone(peer)
    if k == 2:
        return "Every compatible peer is already in a group that cannot take one more member."
    return f"Could not be placed in a group of {k - 1} to {k + 1} peers who are all compatible."


def _index(peers: Sequence[Peer]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, peer in enumerate(peers):
        if peer.id in index:
            raise ValueError(f"peer id {peer.id!r} appears more than once")
        index[peer.id] = i
    return index


def _locked_groups(locked: Sequence[Sequence[str]], index: dict[str, int]) -> list[list[int]]:
    groups: list[list[int]] = []
    seen: set[str] = set()
    for group in locked:
        ids = list(dict.fromkeys(group))
        for peer_id in ids:
            if peer_id not in index:
                raise ValueError(f"locked group names unknown peer {peer_id!r}")
            if peer_id in seen:
                raise ValueError(f"peer {peer_id!r} is in more than one locked group")
        seen.update(ids)
        if ids:
            groups.append(sorted(index[i] for i in ids))
    return groups


def _capped(peers: Sequence[Peer], constraints: Constraints, taken: set[int]) -> dict[str, str]:
    limit = constraints.max_matches_per_peer
    unmatched: dict[str, str] = {}
    if limit is None:
        return unmatched
    for i, peer in enumerate(peers):
        count = constraints.current_matches.get(peer.id, 0)
        if i not in taken and count >= limit:
            matches = "match" if count == 1 else "matches"
            unmatched[peer.id] = f"Already in {count} {matches}; the limit is {limit}."
    return unmatched


def _keep_together(peers, active, index, constraints: Constraints, warnings) -> list[list[int]]:
    """Sets of peers that must share a group, merged when they overlap and checked."""
    if not constraints.keep_together:
        return []
    allowed = set(active)
    parent = {i: i for i in active}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ids in constraints.keep_together:
        members = []
        for peer_id in sorted(ids):
            if peer_id in index and index[peer_id] in allowed:
                members.append(index[peer_id])
            else:
                warnings.append(f"Cannot keep {peer_id} with the others: not available to match.")
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    units: dict[int, list[int]] = {}
    for i in active:
        units.setdefault(root(i), []).append(i)
    largest = 3 if constraints.group_size == 2 else constraints.group_size + 1
    rules = Rules(peers, constraints)
    seeds = []
    for unit in units.values():
        if len(unit) < 2:
            continue
        names = listed([peers[i].id for i in unit])
        if len(unit) > largest:
            warnings.append(f"Cannot keep {names} together: a group has at most {largest} peers.")
        elif rules.blocked(np.array(unit), np.array(unit))[~np.eye(len(unit), dtype=bool)].any():
            warnings.append(f"Cannot keep {names} together: that would break a constraint.")
        else:
            seeds.append(unit)
    return seeds


def score_groups(
    peers: Sequence[Peer],
    groups: Sequence[Sequence[str]],
    *,
    weights: Weights = Weights(),
    model_dir: str | None = None,
) -> list[Group]:
    """Score and reasons of the given groups (peer ids), judged among all ``peers``.

    The numbers are those ``match`` gives for the same peers and weights, so a group a
    facilitator changed by hand is scored on the same scale as the rest.
    """
    peers = list(peers)
    index = _index(peers)
    context = TextContext(peers)
    vectors = embed(peer_matrix(peers, weights, context, model_dir))
    return [
        _scored(peers, vectors, context, sorted(index[i] for i in group), locked=False)
        for group in groups
    ]


def _scored(peers, vectors, context, members: list[int], locked: bool, value=None) -> Group:
    pairs = len(members) * (len(members) - 1) / 2
    value = _group_value(vectors, members) if value is None else value
    score = value * (len(members) - 1) / pairs if pairs else 0.0
    items = reason_items([peers[i] for i in members], context=context)
    return Group(
        members=tuple(peers[i].id for i in members),
        score=round(score, 6),
        reasons=[in_english(item) for item in items],
        reason_items=tuple(items),
        locked=locked,
    )


def _group_value(vectors: np.ndarray, group: Sequence[int]) -> float:
    if len(group) < 2:
        return 0.0
    part = vectors[list(group)].astype(np.float64)
    return sum_over_pairs(part.sum(axis=0), float(np.einsum("ij,ij->", part, part))) / (
        len(group) - 1
    )


def _result(peers, vectors, context, groups, unmatched, bound, warnings) -> MatchResult:
    made = []
    total = 0.0
    ordered = sorted(groups, key=lambda item: (not item[1], min(item[0]) if item[0] else 0))
    for group, is_locked in ordered:
        members = sorted(group)
        value = _group_value(vectors, members)
        total += value
        made.append(_scored(peers, vectors, context, members, is_locked, value))
    bound = max(bound, total)
    # Differences below 1e-5 per peer (the tie-breaking bonus in the relaxation) count as none.
    close = bound - total <= 1e-5 * max(len(peers), 1)
    gap = 0.0 if close or bound <= 0 else min(1.0, (bound - total) / bound)
    left = [Unmatched(peer_id, reason) for peer_id, reason in unmatched.items()]
    order = {peer.id: i for i, peer in enumerate(peers)}
    left.sort(key=lambda u: order[u.peer_id])
    return MatchResult(made, left, total, bound, gap, warnings)
