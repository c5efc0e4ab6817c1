"""Groups of 3 to 6 peers, whose sizes stay within group_size - 1 .. group_size + 1."""

from __future__ import annotations

import heapq

import numpy as np

from .neighbours import nearest
from .similarity import pair_similarity, sum_over_pairs


def form_groups(vectors, rules, neighbours, seeds: list[list[int]], k: int):
    """Groups of k-1..k+1 peers (k = group_size >= 3) and the peers who could not be placed.

    Average-linkage merging along candidate links up to k; groups that stay too small are
    merged among themselves, added to groups with room, or completed by borrowing peers
    from full groups; then peers are moved and swapped while the total rises.
    """
    n = len(vectors)
    seed_of = {p: tuple(seed) for seed in seeds for p in seed}
    near = _neighbour_lists(n, neighbours)
    # A peer compatible with nobody cannot be in any group.
    alone = [p for p in range(n) if not near[p] and p not in seed_of]
    lonely = set(alone)
    singles = [[p] for p in range(n) if p not in seed_of and p not in lonely]
    units = [list(s) for s in seeds] + singles
    groups = _merge(units, vectors, rules, near, k)
    done = [g for g in groups if len(g) >= k - 1]
    small = [g for g in groups if len(g) < k - 1]
    if len(small) > 1:
        pool = np.array(sorted(p for g in small for p in g))
        pool_neighbours, _ = nearest(vectors, rules, neighbours.shape[1], pool)
        regrouped = _merge(small, vectors, rules, _neighbour_lists(n, pool_neighbours, pool), k)
        done += [g for g in regrouped if len(g) >= k - 1]
        small = [g for g in regrouped if len(g) < k - 1]
    state = _Groups(done, vectors, k)
    pinned = np.zeros(n, dtype=bool)
    pinned[list(seed_of)] = True
    units = []
    for group in small:
        units += list(dict.fromkeys(seed_of.get(p, (p,)) for p in group))
    alone += _place_units(state, [list(u) for u in units], rules, pinned)
    _improve(state, rules, near, pinned)
    return [m for m in state.members if m], alone


def _neighbour_lists(n: int, neighbours: np.ndarray, pool: np.ndarray | None = None):
    lists: list[list[int]] = [[] for _ in range(n)]
    rows = range(n) if pool is None else pool.tolist()
    for row, peer in enumerate(rows):
        lists[peer] = [j for j in neighbours[row].tolist() if j >= 0]
    return lists


def _merge(units: list[list[int]], vectors, rules, near: list[list[int]], limit: int):
    """Average-linkage merging of units along candidate links, never above `limit` peers."""
    members = {g: list(unit) for g, unit in enumerate(units)}
    owner = np.full(len(vectors), -1, dtype=np.int64)
    for g, unit in members.items():
        owner[unit] = g
    sums = {g: vectors[unit].sum(axis=0, dtype=np.float64) for g, unit in members.items()}
    version = dict.fromkeys(members, 0)
    heap: list[tuple[float, int, int, int, int]] = []

    def push_links(g: int) -> None:
        size = len(members[g])
        if size >= limit:
            return
        linked = {int(owner[j]) for i in members[g] for j in near[i]} - {g, -1}
        linked = sorted(h for h in linked if len(members[h]) + size <= limit)
        if not linked:
            return
        others = np.array([sums[h] for h in linked])
        sizes = np.array([len(members[h]) for h in linked])
        links = others @ sums[g] / (sizes * size)
        for h, link in zip(linked, links.tolist(), strict=True):
            heapq.heappush(heap, (-link, g, h, version[g], version[h]))

    for g in list(members):
        if len(members[g]) > 1:
            push_links(g)
    # Links between single peers are just their similarities: one heapify, not many pushes.
    heap += _single_links(units, near, vectors, limit)
    heapq.heapify(heap)
    while heap:
        _, g, h, seen_g, seen_h = heapq.heappop(heap)
        if g not in members or h not in members:
            continue
        if version[g] != seen_g or version[h] != seen_h:
            continue
        if len(members[g]) + len(members[h]) > limit:
            continue
        if rules.blocked(np.array(members[g]), np.array(members[h])).any():
            continue
        members[g].extend(members.pop(h))
        owner[members[g]] = g
        sums[g] += sums.pop(h)
        version[g] += 1
        push_links(g)
    return list(members.values())


def _single_links(units: list[list[int]], near: list[list[int]], vectors, limit: int):
    if limit < 2:
        return []
    single = {unit[0]: g for g, unit in enumerate(units) if len(unit) == 1}
    a = [p for p in single for q in near[p] if q in single]
    b = [q for p in single for q in near[p] if q in single]
    if not a:
        return []
    links = pair_similarity(vectors, np.array(a), np.array(b)).tolist()
    return [(-w, single[p], single[q], 0, 0) for p, q, w in zip(a, b, links, strict=True)]


class _Groups:
    """Groups under construction with the sums needed to score changes quickly."""

    def __init__(self, groups: list[list[int]], vectors: np.ndarray, k: int) -> None:
        self.vectors = vectors.astype(np.float64)
        self.norms = np.einsum("ij,ij->i", self.vectors, self.vectors)
        self.k = k
        self.members = [list(g) for g in groups]
        self.owner = np.full(len(vectors), -1, dtype=np.int64)
        self.sums = np.zeros((len(groups), vectors.shape[1]))
        self.pairsum = np.zeros(len(groups))
        self.size = np.array([len(g) for g in self.members], dtype=np.int64)
        self.touched: set[int] = set()
        for g, group in enumerate(self.members):
            self.owner[group] = g
            self.sums[g] = self.vectors[group].sum(axis=0)
            self.pairsum[g] = sum_over_pairs(self.sums[g], self.norms[group].sum())

    def sizes(self) -> np.ndarray:
        return self.size.copy()

    def add_group(self, group: list[int]) -> None:
        self.members.append(list(group))
        self.owner[group] = len(self.members) - 1
        total = self.vectors[group].sum(axis=0)
        self.sums = np.vstack([self.sums, total])
        self.pairsum = np.append(self.pairsum, sum_over_pairs(total, self.norms[group].sum()))
        self.size = np.append(self.size, len(group))

    def add(self, peer: int, g: int) -> None:
        self.pairsum[g] += self.vectors[peer] @ self.sums[g]
        self.sums[g] += self.vectors[peer]
        self.members[g].append(peer)
        self.size[g] += 1
        self.owner[peer] = g

    def remove(self, peer: int) -> None:
        g = int(self.owner[peer])
        self.sums[g] -= self.vectors[peer]
        self.pairsum[g] -= self.vectors[peer] @ self.sums[g]
        self.members[g].remove(peer)
        self.size[g] -= 1
        self.owner[peer] = -1


def _value(pairsum, size):
    """A group's share of the total: mean similarity per member, summed, halved."""
    return np.where(size > 1, pairsum / np.maximum(size - 1, 1), 0.0)


def _place_units(state: _Groups, units: list[list[int]], rules, pinned) -> list[int]:
    """Put small units into groups with room; build new groups from the rest if possible."""
    stranded = []
    for unit in sorted(units, key=len, reverse=True):
        if not _insert(state, unit, rules):
            stranded.append(unit)
    alone: list[int] = []
    while stranded:
        group = _gather(state, stranded, rules, pinned)
        if group is None:
            alone.extend(stranded.pop(0))
    return alone


def _insert(state: _Groups, unit: list[int], rules) -> bool:
    """Add the unit to the group where it raises the total most (or lowers it least)."""
    sizes = state.sizes()
    open_groups = np.flatnonzero((sizes + len(unit) <= state.k + 1) & (sizes > 0))
    if len(open_groups) == 0:
        return False
    unit_sum = state.vectors[unit].sum(axis=0)
    unit_pairs = sum_over_pairs(unit_sum, state.norms[unit].sum())
    pairs = state.pairsum[open_groups]
    before = _value(pairs, sizes[open_groups])
    after = _value(
        pairs + state.sums[open_groups] @ unit_sum + unit_pairs, sizes[open_groups] + len(unit)
    )
    members = np.array(unit)
    # Best first; compatibility is checked only until a group fits.
    for g in open_groups[np.argsort(-(after - before), kind="stable")].tolist():
        if not rules.blocked(members, np.array(state.members[g])).any():
            for peer in unit:
                state.add(peer, g)
            return True
    return False


def _gather(state: _Groups, stranded: list[list[int]], rules, pinned) -> list[int] | None:
    """Build one new group from stranded units, borrowing peers from full groups if needed."""
    k = state.k
    group = list(stranded[0])
    used = [0]
    flat = np.array([p for unit in stranded for p in unit])
    owner = np.repeat(np.arange(len(stranded)), [len(unit) for unit in stranded])
    fits = np.ones(len(stranded), dtype=bool)
    fits[0] = False
    added = group
    while len(group) < k:
        # Units clashing with the members just added drop out, all at once.
        clash = np.zeros(len(stranded), dtype=bool)
        np.logical_or.at(clash, owner, rules.blocked(np.array(added), flat).any(axis=0))
        fits &= ~clash
        sizes = np.array([len(unit) for unit in stranded])
        options = np.flatnonzero(fits & (sizes + len(group) <= k))
        if len(options) == 0:
            break
        i = int(options[0])
        fits[i] = False
        added = list(stranded[i])
        group += added
        used.append(i)
    borrowed: list[tuple[int, int]] = []
    while len(group) < k - 1:
        peer = _best_to_borrow(state, group, rules, pinned)
        if peer is None:
            for lender, home in borrowed:
                state.add(lender, home)
            return None
        borrowed.append((peer, int(state.owner[peer])))
        state.remove(peer)
        group.append(peer)
    for i in sorted(used, reverse=True):
        stranded.pop(i)
    state.add_group(group)
    return group


def _best_to_borrow(state: _Groups, group: list[int], rules, pinned) -> int | None:
    sizes = state.sizes()
    owners = state.owner
    candidates = np.flatnonzero((owners >= 0) & ~pinned)
    candidates = candidates[sizes[owners[candidates]] >= state.k]
    if len(candidates) == 0:
        return None
    fits = ~rules.blocked(np.array(group), candidates).any(axis=0)
    candidates = candidates[fits]
    if len(candidates) == 0:
        return None
    link = state.vectors[candidates] @ state.vectors[group].sum(axis=0)
    return int(candidates[int(np.argmax(link))])


def _improve(state: _Groups, rules, near, pinned, passes: int = 2) -> None:
    """Move or swap single peers between groups while the total rises (a few passes).

    After the first pass only peers near a group that changed are looked at again.
    """
    todo = range(len(state.owner))
    for number in range(passes):
        state.touched = set()
        for peer in todo:
            if not pinned[peer] and state.owner[peer] >= 0:
                _improve_peer(state, rules, near[peer], pinned, peer)
        if not state.touched or number == passes - 1:
            return
        todo = [
            p
            for p in range(len(state.owner))
            if int(state.owner[p]) in state.touched
            or any(int(state.owner[q]) in state.touched for q in near[p])
        ]


def _improve_peer(state: _Groups, rules, near: list[int], pinned, peer: int) -> int:
    k = state.k
    home = int(state.owner[peer])
    others = sorted({int(state.owner[q]) for q in near} - {home, -1})
    if not others:
        return 0
    vec = state.vectors[peer]
    home_size = len(state.members[home])
    home_pairs = state.pairsum[home]
    inside = vec @ state.sums[home] - state.norms[peer]
    options: list[tuple[float, int, int]] = []
    sizes = state.size[others]
    pairs = state.pairsum[others]
    if home_size - 1 >= k - 1:
        joined = (pairs + state.sums[others] @ vec) / sizes
        delta = _value(home_pairs - inside, home_size - 1) - home_pairs / (home_size - 1)
        delta = delta + joined - pairs / (sizes - 1)
        room = sizes + 1 <= k + 1
        options += [(d, g, -1) for d, g, ok in zip(delta, others, room, strict=True) if ok]
    swaps = [q for g in others for q in state.members[g] if not pinned[q]]
    if swaps:
        q = np.array(swaps)
        groups = state.owner[q]
        q_vecs = state.vectors[q]
        q_peer = q_vecs @ vec
        q_sums = np.einsum("ij,ij->i", q_vecs, state.sums[groups])
        q_home = q_vecs @ state.sums[home]
        new_home = home_pairs - inside + q_home - q_peer
        new_away = (
            state.pairsum[groups] - (q_sums - state.norms[q]) + (state.sums[groups] @ vec - q_peer)
        )
        away_sizes = state.size[groups]
        delta = (new_home - home_pairs) / (home_size - 1)
        delta = delta + (new_away - state.pairsum[groups]) / (away_sizes - 1)
        options += list(zip(delta.tolist(), groups.tolist(), q.tolist(), strict=True))
    options = sorted((o for o in options if o[0] > 1e-9), reverse=True)[:6]
    for _, target, other in options:
        if _try_change(state, rules, peer, home, target, other):
            return 1
    return 0


def _try_change(state: _Groups, rules, peer: int, home: int, target: int, other: int) -> bool:
    away = [m for m in state.members[target] if m != other]
    if not rules.fits(peer, away):
        return False
    if other >= 0 and not rules.fits(other, [m for m in state.members[home] if m != peer]):
        return False
    state.remove(peer)
    if other >= 0:
        state.remove(other)
        state.add(other, home)
    state.add(peer, target)
    state.touched.update((home, target))
    return True
