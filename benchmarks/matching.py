"""Speed and quality benchmark of the matching engine on synthetic peers.

Run from the project root: ``python -m benchmarks.matching [--sizes 1000 4000 ...]``.

Synthetic peers are made deterministically (fixed seed).  Each peer is given one *planted
problem* out of a bank of public-sector reform problems (``banks.first``, the held-out
one in ``banks.held_out`` or the third, never tuned on, in ``banks.third``); its challenge
text is one of several paraphrases of that problem (different words, a few in French,
Spanish or Russian), mixed with boilerplate sentences that many peers write and with
personal context sentences.
Organisations are drawn from a small pool (so same-organisation conflicts happen), most peers
speak English and some only French, Spanish or Russian, and positions, tasks, backgrounds and
years of service are random, so they pull towards the wrong partner now and then.

Measures
--------
* time: wall-clock seconds of ``match``; cpu: its CPU seconds (user + system, both cores),
  which say more than wall time when other work shares the machine;
* memory: peak resident set size of a fresh child process running one ``match`` call, minus
  its resident size just before the call (``resource.getrusage`` ``ru_maxrss``), in MB, plus
  the total peak RSS of that process; RSS is what the 500 MB target is about;
* gap: ``MatchResult.gap``, the relative distance of the total to the certified upper bound;
* same problem: among peers that could share a group with a same-problem peer at all (at
  least one compatible peer with the same planted problem), the share whose group does
  contain one; for groups, "purity" is the mean share of a peer's group-mates with its
  problem;
* recall (small runs): for each planted problem P let m(P) be the size of a maximum
  matching in the graph of compatible peers that have problem P (pairs the constraints allow
  at the same time).  Recall = sum over P of min(f(P), 2 m(P)) / sum over P of 2 m(P), where
  f(P) counts peers with problem P whose group holds another peer with problem P.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import time
from dataclasses import dataclass
from functools import cache

import numpy as np

from benchmarks.banks.first import PROBLEMS
from benchmarks.banks.held_out import HELD_OUT_PROBLEMS
from benchmarks.banks.profiles import (
    BACKGROUNDS,
    BOILERPLATE,
    CONTEXT,
    COUNTRIES,
    INSTITUTIONS,
    POSITIONS,
    TASKS,
)
from benchmarks.banks.third import THIRD_PROBLEMS
from matching.engine import Constraints, MatchResult, Peer, match

BANKS = {"first": PROBLEMS, "held-out": HELD_OUT_PROBLEMS, "third": THIRD_PROBLEMS}


@dataclass(frozen=True)
class Synthetic:
    peers: list[Peer]
    problem: dict[str, int]


def make_peers(
    count: int, *, problems: int | None = None, seed: int = 7, bank: str = "first"
) -> Synthetic:
    """Deterministic synthetic peers, each with one planted problem (round robin, shuffled)."""
    rng = random.Random(seed)
    statements = BANKS[bank]
    chosen = list(range(len(statements)))[: problems or len(statements)]
    planted = [chosen[i % len(chosen)] for i in range(count)]
    rng.shuffle(planted)
    organisations = _organisations(rng, max(4, count // 12))
    peers = []
    for i, problem in enumerate(planted):
        peers.append(_peer(rng, i, statements, problem, organisations))
    return Synthetic(peers, {p.id: planted[i] for i, p in enumerate(peers)})


def _organisations(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names = []
    for i in range(count):
        country = rng.choice(COUNTRIES)
        names.append((f"{rng.choice(INSTITUTIONS)} of {country} {i}", country))
    return names


def _peer(rng: random.Random, i: int, statements, problem: int, organisations) -> Peer:
    area, paraphrases = statements[problem]
    sentences = rng.sample(BOILERPLATE, rng.choice([0, 1, 1, 2, 2, 3]))
    sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(paraphrases))
    if rng.random() < 0.5:
        template = rng.choice(CONTEXT)
        sentences.append(template.format(n=rng.randint(3, 90), year=rng.randint(1995, 2024)))
    organisation, country = rng.choice(organisations)
    tags = {area} | ({rng.choice(statements)[0]} if rng.random() < 0.3 else set())
    return Peer(
        id=f"peer{i}@example.org",
        challenges=" ".join(sentences),
        challenge_tags=frozenset(tags),
        position=rng.choice(POSITIONS),
        task=rng.choice(TASKS),
        years_of_service=None if rng.random() < 0.1 else rng.randint(1, 30),
        background=rng.choice(BACKGROUNDS),
        languages=_languages(rng),
        organisation=organisation,
        country=country,
    )


def _languages(rng: random.Random) -> frozenset[str]:
    roll = rng.random()
    if roll < 0.03:
        return frozenset()
    if roll < 0.15:
        return frozenset(rng.choice([["fr"], ["es"], ["ru"], ["fr", "es"]]))
    extra = rng.sample(["fr", "es", "ru", "pt", "ar"], rng.choice([0, 0, 1, 1, 2]))
    return frozenset(["en", *extra])


# ---------------------------------------------------------------------------
# Quality measures
# ---------------------------------------------------------------------------


def _compatible(a: Peer, b: Peer) -> bool:
    if a.organisation.casefold() == b.organisation.casefold() and a.organisation:
        return False
    return not (a.languages and b.languages and not a.languages & b.languages)


def same_problem_share(data: Synthetic, result: MatchResult) -> tuple[float, float]:
    """(share of able peers whose group holds a same-problem peer, mean group purity)."""
    by_problem = _by_problem(data)
    able = {
        p.id
        for group in by_problem.values()
        for p in group
        if any(q.id != p.id and _compatible(p, q) for q in group)
    }
    hits = 0
    purity = []
    for group in result.groups:
        for member in group.members:
            mates = [m for m in group.members if m != member]
            same = sum(data.problem[m] == data.problem[member] for m in mates)
            purity.append(same / len(mates))
            hits += member in able and same > 0
    return hits / max(1, len(able)), float(np.mean(purity)) if purity else 0.0


def planted_recall(data: Synthetic, result: MatchResult) -> float:
    """Share of the same-problem pairs the constraints allow that the matching found."""
    group_of = {m: i for i, g in enumerate(result.groups) for m in g.members}
    by_problem = _by_problem(data)
    found = possible = 0
    for group in by_problem.values():
        pairs = 2 * _max_matching(group)
        hits = sum(
            any(q.id != p.id and group_of.get(q.id, -1) == group_of.get(p.id, -2) for q in group)
            for p in group
        )
        found += min(hits, pairs)
        possible += pairs
    return found / possible if possible else 1.0


def _by_problem(data: Synthetic) -> dict[int, list[Peer]]:
    groups: dict[int, list[Peer]] = {}
    for peer in data.peers:
        groups.setdefault(data.problem[peer.id], []).append(peer)
    return groups


def _max_matching(group: list[Peer]) -> int:
    """Size of a maximum matching among compatible peers (exact search; sets are small)."""
    n = len(group)
    friends = [
        sum(1 << j for j in range(n) if j != i and _compatible(group[i], group[j]))
        for i in range(n)
    ]
    if n > 22:
        return _greedy_matching(friends)

    @cache
    def best(free: int) -> int:
        if free == 0:
            return 0
        first = (free & -free).bit_length() - 1
        rest = free & ~(1 << first)
        result = best(rest)
        options = friends[first] & rest
        while options:
            other = options & -options
            result = max(result, 1 + best(rest & ~other))
            options &= ~other
        return result

    return best((1 << n) - 1)


def _greedy_matching(friends: list[int]) -> int:
    free = (1 << len(friends)) - 1
    count = 0
    for i in sorted(range(len(friends)), key=lambda i: bin(friends[i]).count("1")):
        options = friends[i] & free
        if free >> i & 1 and options:
            other = options & -options
            free &= ~((1 << i) | other)
            count += 1
    return count


# ---------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------


def _measure(count: int, group_size: int, problems: int | None, seed: int, bank: str, queue):
    data = make_peers(count, problems=problems, seed=seed, bank=bank)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = match(data.peers, constraints=Constraints(group_size=group_size))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = after.ru_maxrss
    share, purity = same_problem_share(data, result)
    recall = planted_recall(data, result) if count <= 1000 else float("nan")
    sizes = sorted({len(g.members) for g in result.groups})
    queue.put(
        {
            "peers": count,
            "bank": bank,
            "k": group_size,
            "seconds": seconds,
            "cpu": cpu,
            "rss_delta": (peak - before.ru_maxrss) / 1024,
            "rss_peak": peak / 1024,
            "gap": result.gap,
            "share": share,
            "purity": purity,
            "recall": recall,
            "groups": len(result.groups),
            "unmatched": len(result.unmatched),
            "sizes": sizes,
        }
    )


def run_one(
    count: int, group_size: int = 2, problems: int | None = None, seed: int = 7, bank="first"
) -> dict:
    """Run one measurement in a fresh process so that peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    arguments = (count, group_size, problems, seed, bank, queue)
    process = context.Process(target=_measure, args=arguments)
    process.start()
    row = queue.get()
    process.join()
    return row


def _print_row(row: dict) -> None:
    recall = "" if np.isnan(row["recall"]) else f"{row['recall']:.1%}"
    print(
        f"{row['peers']:>7} {row['bank']:>8} {row['k']:>3}"
        f" {row['seconds']:>8.2f} {row['cpu']:>7.2f}"
        f" {row['rss_delta']:>8.0f}"
        f" {row['rss_peak']:>8.0f} {row['gap']:>7.3%} {row['share']:>8.1%}"
        f" {row['purity']:>7.1%} {recall:>7} {row['unmatched']:>5}"
        f"  {','.join(map(str, row['sizes']))}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000, 10000, 20000])
    parser.add_argument(
        "--group-sizes",
        type=int,
        nargs="*",
        default=[10000],
        metavar="N",
        help="peer counts to run in groups of --group-size",
    )
    parser.add_argument("--group-size", type=int, default=5)
    parser.add_argument("--small", type=int, nargs="*", default=[120, 240])
    parser.add_argument(
        "--peers-per-problem",
        type=int,
        default=4,
        help="small runs: planted problems = peers / this number",
    )
    parser.add_argument(
        "--banks",
        nargs="*",
        choices=sorted(BANKS),
        default=["first", "held-out", "third"],
        help="small runs: statement banks to draw from (large runs use the first bank)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="*",
        default=[7],
        help="small runs: one row per seed, then the mean recall",
    )
    args = parser.parse_args(argv)
    print("time = wall seconds of match(), cpu = its CPU seconds (both cores count);")
    print("RSS = ru_maxrss of a fresh process (MB):")
    print("delta = peak during match minus before it; peak = whole process incl. imports.")
    print("same = peers with a same-problem group-mate among those the constraints allow;")
    print("purity = mean share of group-mates with the same planted problem.")
    print(
        f"{'peers':>7} {'bank':>8} {'k':>3} {'time s':>8} {'cpu s':>7} {'RSS dMB':>8}"
        f" {'peak MB':>8} {'gap':>7}"
        f" {'same':>8} {'purity':>7} {'recall':>7} {'left':>5}  sizes"
    )
    for bank in args.banks:
        for count in args.small:
            problems = max(2, count // args.peers_per_problem)
            rows = [run_one(count, 2, problems, seed, bank) for seed in args.seeds]
            for row in rows:
                _print_row(row)
            if len(rows) > 1:
                recalls = [row["recall"] for row in rows]
                print(
                    f"{count:>7} {bank:>8}: mean recall {np.mean(recalls):.1%},"
                    f" worst {min(recalls):.1%} over seeds {args.seeds}"
                )
    for count in args.sizes:
        _print_row(run_one(count, 2))
    for count in args.group_sizes:
        _print_row(run_one(count, args.group_size))


if __name__ == "__main__":
    main()
