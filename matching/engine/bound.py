"""The certified upper bound on the total score, and so the gap to the best possible.

It comes from the matching linear relaxation on the candidate pairs, solved with HiGHS;
pairing also uses the relaxation's shares.  For pairs it bounds every pairing with as many
groups of three as the result has; for groups, every grouping with sizes
group_size - 1 .. group_size + 1, which is looser.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from itertools import combinations

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .neighbours import chunks, edges
from .rules import Rules
from .similarity import pair_similarity


@dataclass
class Relaxation:
    """Linear relaxation: candidate pairs, their shares x, peer prices y and the bound."""

    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    shares: np.ndarray
    bound: float
    set_load: np.ndarray  # per peer: z prices of the odd sets that hold it


_CHECK_ROUNDS = 4


def relax(vectors, rules: Rules, neighbours, reach, cap: float, cover: bool) -> Relaxation:
    """Solve the relaxation on candidate pairs, tightening it, and certify a bound.

    A grouping gives each pair of members a share x = 1 / (group size - 1), every peer's
    shares add up to at most 1 and x <= cap.  For any prices y >= 0 its total is at most
    sum(y) + cap * sum over compatible pairs of max(0, similarity - y_a - y_b); y comes from
    the relaxation and the sum runs over every compatible pair, candidate or not.

    With ``cover`` (pairs) every pair gets a tiny extra value so the shares cover all peers
    who can be paired, and odd cycles of half shares are cut off with the blossom rule
    "a set of 2r+1 peers holds at most r pairs" (z prices), which only pairings obey; a group
    of three is allowed for in ``pair_up``.  Pairs the candidates missed but the prices
    undervalue are added and the relaxation solved again (warm-started).  Round limits are
    counts, not clock time, so the same input always gives the same answer.
    """
    n = len(vectors)
    a, b, weight = edges(neighbours, vectors)
    program = _Program(n, cap, cover)
    program.add_pairs(a, b, weight)
    cuts_left = max(15, 150_000 // max(n, 1)) if cover else 0
    # Groups only need the bound, so one check suffices; pairs also use the shares.
    rounds = _CHECK_ROUNDS if cover else 1
    for check in range(rounds):
        program.solve()
        while cuts_left > 0:
            new_sets = [c for c in _odd_cycles(program.a, program.b, program.shares)
                        if frozenset(c) not in program.set_keys]  # fmt: skip
            if len(new_sets) * 20_000 < n:  # a handful of cycles barely moves the bound
                break
            # Every compatible pair inside a set becomes a candidate, so its z price counts.
            program.add_pairs(*_pairs_inside(vectors, rules, program, new_sets))
            program.add_sets(new_sets)
            before = program.objective
            program.solve()
            cuts_left -= 1
            if before - program.objective <= 1e-7 * abs(before) + 1e-9:
                break  # the cuts no longer tighten anything (e.g. many equal scores)
        collect = check + 1 < rounds
        excess, extra = _excess(vectors, rules, program, reach, collect)
        bound = program.bound(excess)
        if not collect or len(extra[0]) == 0 or excess <= 1e-4 * max(bound, 1e-9):
            break
        program.add_pairs(extra[0], extra[1], pair_similarity(vectors, extra[0], extra[1]))
    load = np.zeros(n)
    for members, price in zip(program.sets, program.set_prices.tolist(), strict=True):
        load[members] += price
    return Relaxation(program.a, program.b, program.weight, program.shares, bound, load)


class _Program:
    """The relaxation as a HiGHS model that grows by pairs (columns) and odd sets (rows)."""

    def __init__(self, n: int, cap: float, cover: bool) -> None:
        self.n, self.cap, self.cover = n, cap, cover
        self.highs = pair_model(n)
        self.a = np.zeros(0, dtype=np.int64)
        self.b = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0)
        self.where: dict[int, int] = {}
        self.sets: list[list[int]] = []
        self.set_columns: list[list[int]] = []
        self.set_keys: set[frozenset[int]] = set()
        self.solved = False
        self.objective = 0.0
        self.inside = sp.csr_matrix((0, 0))
        self.shares = np.zeros(0)
        self.prices = np.zeros(n)
        self.set_prices = np.zeros(0)

    def add_pairs(self, a: np.ndarray, b: np.ndarray, weight: np.ndarray) -> None:
        if len(a) == 0:
            return
        pairs = zip(a.tolist(), b.tolist(), strict=True)
        self.where.update({x * self.n + y: len(self.a) + e for e, (x, y) in enumerate(pairs)})
        self.a = np.concatenate([self.a, a])
        self.b = np.concatenate([self.b, b])
        self.weight = np.concatenate([self.weight, weight])
        value = np.maximum(weight, 0.0) + 1e-5 if self.cover else weight
        # With cap 1 the peer rows already bound every share.
        upper = highspy.kHighsInf if self.cap >= 1 else self.cap
        add_pair_columns(self.highs, a, b, -value, upper)

    def add_sets(self, sets: list[list[int]]) -> None:
        starts, columns = [], []
        for members in sets:
            starts.append(len(columns))
            inside = [
                self.where[x * self.n + y]
                for x, y in combinations(sorted(members), 2)
                if x * self.n + y in self.where
            ]
            self.set_columns.append(inside)
            columns += inside
        limits = np.array([(len(m) - 1) // 2 for m in sets], dtype=float)
        self.highs.addRows(
            len(sets), np.full(len(sets), -highspy.kHighsInf), limits, len(columns),
            np.array(starts, dtype=np.int32), np.array(columns, dtype=np.int32),
            np.ones(len(columns)),
        )  # fmt: skip
        self.sets += sets
        self.set_keys.update(frozenset(m) for m in sets)

    def solve(self) -> None:
        if len(self.a) == 0:
            self.shares = np.zeros(0)
            return
        # Interior point is quicker from scratch; later rounds restart simplex from its basis.
        self.highs.setOptionValue("solver", "simplex" if self.solved else "ipm")
        self.highs.run()
        self.solved = True
        solution = self.highs.getSolution()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("the matching relaxation could not be solved")
        self.shares = np.asarray(solution.col_value)
        self.objective = -self.highs.getInfo().objective_function_value
        duals = np.maximum(-np.asarray(solution.row_dual), 0.0)
        self.prices, self.set_prices = duals[: self.n], duals[self.n :]

    def bound(self, excess: float) -> float:
        """sum(y) + sum(r_S z_S) + cap * (candidate and non-candidate shortfalls)."""
        covered = self.prices[self.a] + self.prices[self.b] + self._set_cover()
        known = float(np.maximum(self.weight - covered, 0.0).sum())
        limits = np.array([(len(m) - 1) // 2 for m in self.sets], dtype=float)
        return float(self.prices.sum() + limits @ self.set_prices + self.cap * (known + excess))

    def _set_cover(self) -> np.ndarray:
        """z prices summed per pair, over the sets whose row holds that pair."""
        cover = np.zeros(len(self.a))
        for columns, price in zip(self.set_columns, self.set_prices.tolist(), strict=True):
            cover[columns] += price
        return cover


_HIGHS_LOCK = threading.Lock()


def pair_model(n):
    """A quiet HiGHS model with one row per peer: its shares add up to at most 1."""
    highs = _quiet_highs()
    highs.setOptionValue("random_seed", 0)
    empty = np.zeros(0, dtype=np.int32)
    highs.addRows(n, np.full(n, -highspy.kHighsInf), np.ones(n), 0, empty, empty, [])
    return highs


def add_pair_columns(highs, a, b, cost, upper):
    """One column per pair (a[i], b[i]), in the rows of both peers."""
    count = len(a)
    starts = np.arange(0, 2 * count, 2, dtype=np.int32)
    rows = np.column_stack([a, b]).ravel().astype(np.int32)
    highs.addCols(
        count,
        cost,
        np.zeros(count),
        np.full(count, upper),
        2 * count,
        starts,
        rows,
        np.ones(2 * count),
    )


def _quiet_highs() -> highspy.Highs:
    """A HiGHS model that prints nothing (its constructor writes a banner to stdout)."""
    with _HIGHS_LOCK:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    highs.setOptionValue("output_flag", False)
    return highs


def _pairs_inside(vectors, rules: Rules, program: _Program, odd_sets: list[list[int]]):
    """Compatible pairs inside the odd sets that are not candidates yet, with similarity."""
    n = len(vectors)
    keys = {
        x * n + y
        for members in odd_sets
        for x, y in combinations(sorted(members), 2)
        if x * n + y not in program.where
    }
    found = np.array(sorted(keys), dtype=np.int64)
    new_a, new_b = found // n, found % n
    keep = ~rules.pair_blocked(new_a, new_b)
    new_a, new_b = new_a[keep], new_b[keep]
    return new_a, new_b, pair_similarity(vectors, new_a, new_b)


def _odd_cycles(a: np.ndarray, b: np.ndarray, shares: np.ndarray) -> list[list[int]]:
    """Odd sets of peers holding more than (size - 1) / 2 pairs' worth of shares.

    Looked for among odd cycles of half shares and odd groups of peers linked by fractional
    shares (a quick, standard way to find violated blossom rules).
    """
    half = (shares > 0.25) & (shares < 0.75)
    links: dict[int, list[int]] = {}
    for x, y in zip(a[half].tolist(), b[half].tolist(), strict=True):
        links.setdefault(x, []).append(y)
        links.setdefault(y, []).append(x)
    found = [c for c in _cycles(links) if len(c) % 2 == 1 and 3 <= len(c) <= 15]
    fractional = (shares > 1e-6) & (shares < 1 - 1e-6)
    if not fractional.any():
        return found
    fa, fb, fx = a[fractional], b[fractional], shares[fractional]
    peers = np.unique(np.concatenate([fa, fb]))
    where = {p: i for i, p in enumerate(peers.tolist())}
    ia = np.array([where[p] for p in fa.tolist()])
    ib = np.array([where[p] for p in fb.tolist()])
    graph = sp.csr_matrix((np.ones(len(ia)), (ia, ib)), shape=(len(peers), len(peers)))
    count, label = connected_components(graph, directed=False)
    inside = np.bincount(label[ia], weights=fx, minlength=count)
    sizes = np.bincount(label, minlength=count)
    known = {frozenset(c) for c in found}
    for component in np.flatnonzero((sizes % 2 == 1) & (sizes <= 25)).tolist():
        if inside[component] > (sizes[component] - 1) / 2 + 1e-6:
            members = sorted(peers[label == component].tolist())
            if frozenset(members) not in known:
                found.append(members)
    return found


def _cycles(links: dict[int, list[int]]) -> list[list[int]]:
    """Walk each component of the half-share graph; a cycle comes back in order."""
    seen: set[int] = set()
    cycles = []
    for start in sorted(links):
        if start in seen:
            continue
        order = [start]
        seen.add(start)
        while True:
            step = [q for q in links[order[-1]] if q not in seen]
            if not step:
                break
            order.append(step[0])
            seen.add(step[0])
        if all(len(links[p]) == 2 for p in order):
            cycles.append(order)
        else:
            # Not a simple cycle (rare): its peers go to the leftover repair.
            cycles += [[p] for p in order]
    return cycles


def _excess(vectors, rules: Rules, program: _Program, reach: np.ndarray, collect: bool):
    """Sum of max(0, similarity - y_u - y_v) over compatible non-candidate pairs.

    A non-candidate pair is at most as similar as either peer's k-th nearest neighbour
    (``reach``), so only peers whose reach exceeds their price can hold one; the dense
    products are taken for those peers only.  With ``collect`` also returns the most
    undervalued of those pairs (at most 3 per peer).
    """
    n = len(vectors)
    a, b, prices = program.a, program.b, program.prices
    # float32 products: a margin in proportion to the vector lengths keeps the bound safe.
    lengths = np.sqrt(np.einsum("ij,ij->i", vectors, vectors, dtype=np.float64))
    short = lengths.astype(np.float32)
    margin = 2e-6 * float(lengths.max(initial=0.0)) ** 2
    slack = reach - prices
    rows = np.flatnonzero(slack + margin > (prices.min() if n else 0.0))
    rows = rows[np.argsort(-slack[rows], kind="stable")]
    candidates = sp.csr_matrix(
        (np.ones(2 * len(a), dtype=bool), (np.concatenate([a, b]), np.concatenate([b, a]))),
        shape=(n, n),
    )
    reduced = prices.astype(np.float32)
    total = 0.0
    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []
    for start, stop in chunks(len(rows), width=n):
        part = rows[start:stop]
        cols = np.flatnonzero(
            (prices < slack[part].max() + margin) & (slack + margin > prices[part].min())
        )
        scores = vectors[part] @ vectors[cols].T
        scores -= reduced[part, None]
        scores -= reduced[None, cols]
        scores += 2e-6 * np.outer(short[part], short[cols])
        np.copyto(scores, 0.0, where=rules.blocked(part, cols))
        near = candidates[part][:, cols].tocoo()
        scores[near.row, near.col] = 0.0
        np.maximum(scores, 0.0, out=scores)
        total += float(scores.sum(dtype=np.float64))
        if collect:
            found_rows, found_cols = _most_undervalued(scores)
            found_a.append(part[found_rows])
            found_b.append(cols[found_cols])
    if not found_a:
        return total / 2, (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    first_rows, first_cols = np.concatenate(found_a), np.concatenate(found_b)
    low, high = np.minimum(first_rows, first_cols), np.maximum(first_rows, first_cols)
    _, first = np.unique(low * n + high, return_index=True)
    return total / 2, (low[first], high[first])


def _most_undervalued(scores: np.ndarray, per_peer: int = 3):
    rows = np.flatnonzero((scores > 2e-5).any(axis=1))
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    part = scores[rows]
    keep = min(per_peer, part.shape[1])
    top = np.argpartition(part, part.shape[1] - keep, axis=1)[:, part.shape[1] - keep :]
    values = np.take_along_axis(part, top, axis=1)
    mask = values > 2e-5
    return np.repeat(rows, keep)[mask.ravel()], top[mask]
