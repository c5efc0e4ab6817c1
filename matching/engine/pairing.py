"""Pairs, with a group of three for an odd peer out."""

from __future__ import annotations

import highspy
import numpy as np

from .bound import Relaxation, add_pair_columns, pair_model, relax
from .neighbours import chunks
from .rules import Rules
from .similarity import pair_similarity

_MIP_LIMIT = 600
_MIP_NODES = 2000


def pair_up(vectors: np.ndarray, rules: Rules, neighbours: np.ndarray, reach: np.ndarray):
    """Pairs (and odd-one-out threes), the peers who could not be placed, and the bound.

    The relaxation (see ``bound``) is solved first; for up to 600 peers the pairing is then
    solved as an integer program on its pairs plus every compatible pair of a peer it leaves
    out (as many peers paired as possible, then the highest total); otherwise pairs are taken
    greedily by their share in the relaxation.  Leftovers are paired directly or through an
    augmenting path, partners are swapped between pairs while that helps, and an odd peer
    out joins the best compatible pair as a group of three.
    """
    relaxation = relax(vectors, rules, neighbours, reach, 1.0, cover=True)
    exact = None
    if len(vectors) <= _MIP_LIMIT:
        exact = _integral_pairs(vectors, rules, relaxation)
    groups, leftovers = exact if exact is not None else _round(relaxation, vectors)
    leftovers = _augment(groups, leftovers, vectors, rules, neighbours)
    groups = _swap_partners(groups, vectors, rules, relaxation)
    alone = _place_leftovers(groups, leftovers, vectors, rules)
    # The bound is for pairings; each group of three can add at most half a pair's value,
    # and at most half the odd-set prices of the sets that hold it.
    threes = sum(len(g) == 3 for g in groups)
    slack = 0.5 * max(float(relaxation.weight.max(initial=0.0)), 0.0) * threes
    return groups, alone, relaxation.bound + min(slack, _three_allowance(relaxation, threes))


def _integral_pairs(vectors, rules: Rules, relaxation: Relaxation):
    """The best pairing that leaves the fewest peers out, as an integer program (small sets).

    Pairs are the relaxation's pairs plus every compatible pair of a peer the relaxation
    leaves unpaired; each pair is worth a bonus of 1 plus its similarity, so as many peers
    as possible are paired and, among such pairings, the total similarity is the highest.
    Limited by a node count, not clock time; None if not solved.
    """
    n = len(vectors)
    a, b = relaxation.a, relaxation.b
    covered = np.zeros(n, dtype=bool)
    covered[a[relaxation.shares > 0.5]] = covered[b[relaxation.shares > 0.5]] = True
    lonely = np.flatnonzero(~covered)
    if len(lonely):
        everyone = np.arange(n)
        friends = ~rules.blocked(lonely, everyone)
        rows, cols = np.nonzero(friends)
        low = np.minimum(lonely[rows], cols)
        high = np.maximum(lonely[rows], cols)
        known = set((a * n + b).tolist())
        keys = np.unique(low * n + high)
        keys = np.array([k for k in keys.tolist() if k not in known], dtype=np.int64)
        a = np.concatenate([a, keys // n])
        b = np.concatenate([b, keys % n])
    weight = pair_similarity(vectors, a, b)
    count = len(a)
    if count == 0:
        return None
    highs = pair_model(n)
    highs.setOptionValue("mip_max_nodes", _MIP_NODES)
    highs.setOptionValue("mip_rel_gap", 1e-9)
    add_pair_columns(highs, a, b, -(1.0 + weight), 1.0)
    highs.changeColsIntegrality(
        count, np.arange(count, dtype=np.int32),
        np.full(count, highspy.HighsVarType.kInteger),
    )  # fmt: skip
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    chosen = np.flatnonzero(np.asarray(highs.getSolution().col_value) > 0.5)
    free = np.ones(n, dtype=bool)
    groups = []
    for x, y in zip(a[chosen].tolist(), b[chosen].tolist(), strict=True):
        groups.append([x, y])
        free[x] = free[y] = False
    return groups, np.flatnonzero(free).tolist()


def _three_allowance(relaxation: Relaxation, threes: int) -> float:
    """How much ``threes`` disjoint groups of three can add to the blossom-cut bound.

    A group of three has share 1/2 on each of its pairs, so it fits the peer rows; only an
    odd set S that holds all three members can exceed its limit r_S, and by at most 1/2
    (2p + 3t <= 2 r_S + 1 gives p + 3t/2 <= r_S + 1/2).  So the threes add at most half the
    z prices of the sets holding one of them, at most half of sum over threes T of
    min(Z(v) for v in T), with Z(v) the z prices of the sets holding peer v.  The j-th
    largest of those minima is at most the (3j)-th largest Z(v), which gives the bound.
    """
    if threes <= 0:
        return 0.0
    load = np.sort(relaxation.set_load)[::-1]
    return 0.5 * float(load[2::3][:threes].sum())


def _round(relaxation: Relaxation, vectors: np.ndarray):
    """Pairs taken greedily by their share in the relaxation, then by similarity.

    Whole shares come first, so an integral relaxation is followed exactly; pairs of a
    cycle of half shares are taken as far as they go.
    """
    n = len(vectors)
    order = np.lexsort((relaxation.b, relaxation.a, -relaxation.weight, -relaxation.shares))
    useful = order[relaxation.shares[order] > 0.25]
    free = np.ones(n, dtype=bool)
    groups = []
    for x, y in zip(relaxation.a[useful].tolist(), relaxation.b[useful].tolist(), strict=True):
        if free[x] and free[y]:
            groups.append([x, y])
            free[x] = free[y] = False
    return groups, np.flatnonzero(free).tolist()


def _swap_partners(groups, vectors, rules: Rules, relaxation: Relaxation, passes: int = 6):
    """Swap partners between two pairs, (u, pu) + (v, pv) -> (u, v) + (pu, pv), while it helps."""
    n = len(vectors)
    pairs = [g for g in groups if len(g) == 2]
    others = [g for g in groups if len(g) != 2]
    partner = np.full(n, -1, dtype=np.int64)
    for x, y in pairs:
        partner[x], partner[y] = y, x
    u, v, weight = relaxation.a, relaxation.b, relaxation.weight
    for _ in range(passes):
        paired = np.flatnonzero(partner >= 0)
        held = np.zeros(n)
        held[paired] = pair_similarity(vectors, paired, partner[paired])
        open_ = (partner[u] >= 0) & (partner[v] >= 0) & (partner[u] != v)
        eu, ev, ew = u[open_], v[open_], weight[open_]
        pu, pv = partner[eu], partner[ev]
        gain = ew + pair_similarity(vectors, pu, pv) - held[eu] - held[ev]
        good = (gain > 1e-9) & ~rules.pair_blocked(pu, pv)
        changed = 0
        touched = np.zeros(n, dtype=bool)
        for e in np.flatnonzero(good)[np.argsort(-gain[good], kind="stable")].tolist():
            four = [eu[e], ev[e], pu[e], pv[e]]
            if touched[four].any():
                continue
            touched[four] = True
            partner[eu[e]], partner[ev[e]] = ev[e], eu[e]
            partner[pu[e]], partner[pv[e]] = pv[e], pu[e]
            changed += 1
        if not changed:
            break
    swapped = [[x, int(partner[x])] for x in range(n) if 0 <= x < partner[x]]
    return swapped + others


def _augment(groups, leftovers, vectors, rules, neighbours) -> list[int]:
    """Pair leftovers directly or through a pair (u-a, b-v instead of a-b), best first."""
    if len(leftovers) < 2:
        return list(leftovers)
    free = set(leftovers)
    partner = {}
    for group in groups:
        if len(group) == 2:
            partner[group[0]], partner[group[1]] = group[1], group[0]
    options: list[tuple[float, int, int, int, int]] = []
    people = np.array(sorted(free))
    for start, stop in chunks(len(people)):
        direct = (vectors[people[start:stop]] @ vectors[people].T).astype(np.float64)
        direct[rules.blocked(people[start:stop], people)] = -np.inf
        keep = min(len(people), 10)
        best = np.argpartition(-direct, keep - 1, axis=1)[:, :keep]
        for row, cols in enumerate(best.tolist()):
            for col in cols:
                if np.isfinite(direct[row, col]) and start + row < col:
                    pair = (int(people[start + row]), -1, -1, int(people[col]))
                    options.append((float(direct[row, col]), *pair))
    for u in people.tolist():
        for a in neighbours[u].tolist():
            b = partner.get(a, -1)
            for v in neighbours[b].tolist() if b >= 0 else []:
                if v in free and v != u:
                    value = _similarity(vectors, u, a) + _similarity(vectors, b, v)
                    options.append((value - _similarity(vectors, a, b), u, a, b, v))
    options.sort(key=lambda o: (-o[0], o[1:]))
    for _, u, a, b, v in options:
        if u not in free or v not in free or (a >= 0 and partner.get(a) != b):
            continue
        if a < 0:
            groups.append([u, v])
        else:
            group = next(g for g in groups if len(g) == 2 and a in g and b in g)
            group[:] = [u, a]
            groups.append([b, v])
            partner.update({u: a, a: u, b: v, v: b})
        partner.update({u: v, v: u} if a < 0 else {})
        free -= {u, v}
    return [p for p in leftovers if p in free]


def _similarity(vectors: np.ndarray, a: int, b: int) -> float:
    return float(np.dot(vectors[a].astype(np.float64), vectors[b].astype(np.float64)))


def _place_leftovers(groups: list[list[int]], leftovers: list[int], vectors, rules) -> list[int]:
    """Pair leftovers together, or add them to a pair as a third; return who stays alone."""
    leftovers = _pair_leftovers(groups, leftovers, vectors, rules)
    alone = []
    everyone = np.arange(len(vectors))
    for peer in leftovers:
        friends = set(everyone[~rules.blocked(np.array([peer]), everyone)[0]].tolist())
        if not friends:
            alone.append(peer)
            continue
        near = [g for g in groups if friends.intersection(g)]
        placed = (
            _join_pair(groups, peer, vectors, rules)
            or _take_from_three(groups, near, peer, friends)
            or _swap_into_pair(groups, near, peer, vectors, rules, friends)
        )
        if not placed:
            alone.append(peer)
    return alone


def _pair_leftovers(groups, leftovers, vectors, rules) -> list[int]:
    if len(leftovers) < 2:
        return list(leftovers)
    people = np.array(leftovers)
    free = np.ones(len(people), dtype=bool)
    # In turn, each free leftover takes its most similar free compatible leftover.
    for i in range(len(people)):
        if not free[i]:
            continue
        free[i] = False
        others = np.flatnonzero(free)
        if len(others) == 0:
            free[i] = True
            break
        scores = vectors[people[others]] @ vectors[people[i]]
        scores[rules.blocked(people[i : i + 1], people[others])[0]] = -np.inf
        best = int(np.argmax(scores))
        if np.isfinite(scores[best]):
            groups.append([int(people[i]), int(people[others[best]])])
            free[others[best]] = False
        else:
            free[i] = True
    return [int(p) for p in people[free]]


def _join_pair(groups, peer, vectors, rules) -> bool:
    """Add the peer to the pair where it fits best (most gain, or least loss)."""
    pairs = [g for g in groups if len(g) == 2]
    if not pairs:
        return False
    members = np.array(pairs)
    fits = ~rules.blocked(np.array([peer]), members.ravel()).reshape(-1, 2).any(axis=1)
    if not fits.any():
        return False
    mine = vectors[members] @ vectors[peer]
    theirs = np.einsum("ij,ij->i", vectors[members[:, 0]], vectors[members[:, 1]])
    gain = np.where(fits, mine.sum(axis=1) - theirs, -np.inf)
    pairs[int(np.argmax(gain))].append(peer)
    return True


def _take_from_three(groups, near, peer, friends) -> bool:
    """Pair the peer with a member of a group of three, which stays a pair."""
    for group in near:
        if len(group) == 3:
            for member in group:
                if member in friends:
                    group.remove(member)
                    groups.append([peer, member])
                    return True
    return False


def _swap_into_pair(groups, near, peer, vectors, rules, friends) -> bool:
    """Pair the peer with a compatible paired peer whose partner can join another pair."""
    for group in [g for g in near if len(g) == 2]:
        for member in [m for m in group if m in friends]:
            other = group[0] if group[1] == member else group[1]
            group[:] = [peer, member]
            if _join_pair([g for g in groups if g is not group], other, vectors, rules):
                return True
            group[:] = [member, other]
    return False
