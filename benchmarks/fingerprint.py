"""Everything the matching engine returns on fixed cases, as JSON, to compare two versions.

    python -m benchmarks.fingerprint before.json   # in a checkout of the old code
    python -m benchmarks.fingerprint after.json    # in the new one
    cmp before.json after.json

For a change that must not alter any result (a refactoring): groups, scores, reasons,
bounds, gaps, warnings and similarity matrices must come out byte for byte the same.
Floats are written with repr, so nothing is rounded.  About 20 s.
"""

import hashlib
import json
import sys
from dataclasses import asdict, replace

from benchmarks.matching import make_peers
from matching.engine import (
    Constraints,
    Weights,
    describe_group,
    explain,
    language_name,
    match,
    score_groups,
    similarities,
)

# name: peers, group size, planted problems (None: the whole bank), seed, bank
RUNS = {
    "pairs-15": (15, 2, 4, 7, "first"),
    "pairs-120-first-7": (120, 2, 30, 7, "first"),
    "pairs-120-first-4": (120, 2, 30, 4, "first"),
    "pairs-240-held-7": (240, 2, 60, 7, "held-out"),
    "pairs-120-held-1": (120, 2, 30, 1, "held-out"),
    "pairs-700": (700, 2, None, 3, "first"),
    "pairs-1000": (1000, 2, None, 7, "first"),
    "pairs-2000": (2000, 2, None, 7, "first"),
    "groups3-200": (200, 3, 50, 7, "first"),
    "groups4-300": (300, 4, 75, 7, "held-out"),
    "groups5-1600": (1600, 5, None, 7, "first"),
    "groups6-400": (400, 6, None, 2, "first"),
}


def result_data(result):
    return {
        "groups": [asdict(group) for group in result.groups],
        "unmatched": [asdict(item) for item in result.unmatched],
        "total": repr(result.total_score),
        "bound": repr(result.upper_bound),
        "gap": repr(result.gap),
        "warnings": result.warnings,
    }


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def peers_digest(peers):
    """The same peers give the same digest whatever the hash seed (sets are sorted)."""
    rows = [
        {key: sorted(value) if isinstance(value, frozenset) else value for key, value in row}
        for row in (asdict(peer).items() for peer in peers)
    ]
    return digest(json.dumps(rows).encode())


def benchmark_runs():
    cases = {}
    for name, (count, group_size, problems, seed, bank) in RUNS.items():
        data = make_peers(count, problems=problems, seed=seed, bank=bank)
        result = match(data.peers, constraints=Constraints(group_size=group_size))
        cases[name] = {"peers": peers_digest(data.peers), **result_data(result)}
        print(f"{name:20} total {result.total_score!r} gap {result.gap!r}", flush=True)
    return cases


def constrained_runs():
    """Every constraint, locked groups and odd weights on 60 peers; reasons and scores."""
    peers = make_peers(60, problems=15, seed=11).peers
    ids = [peer.id for peer in peers]
    peers[5] = replace(peers[5], languages=frozenset({"de"}), organisation=peers[6].organisation)
    together = (
        frozenset(ids[0:2]),
        frozenset(ids[1:3]),
        frozenset(ids[10:15]),
        frozenset({ids[20], "nobody"}),
    )
    apart = frozenset({frozenset(ids[30:32])})
    loose = Constraints(
        allow_same_organisation=True,
        require_shared_language=False,
        keep_together=together,
        keep_apart=apart,
        previous_pairs=frozenset({frozenset(ids[32:34])}),
        max_matches_per_peer=1,
        current_matches={ids[40]: 1, ids[41]: 2},
    )
    weights = Weights(1, 0, 0.3, 0.2, 0.1, 0.0)
    locked = [ids[50:53], [ids[55]]]
    groups = Constraints(group_size=4, keep_together=together, keep_apart=apart)
    return {
        "constraints-pairs": result_data(
            match(peers, weights=weights, constraints=loose, locked=locked)
        ),
        "constraints-groups": result_data(match(peers, constraints=groups, locked=locked)),
        "strict-pairs": result_data(match(peers)),
        "similarities": digest(similarities(peers, weights=weights).tobytes()),
        "score_groups": [asdict(g) for g in score_groups(peers, [ids[0:3], ids[3:5], ids[7:13]])],
        "explain": [explain(peers[i], peers[i + 1]) for i in range(0, 40, 2)],
        "describe": [describe_group(peers[i : i + 4]) for i in range(0, 40, 4)],
    }


def edge_cases():
    """No peers, peers who wrote no challenges or only one, many peers' similarities."""
    quiet = [replace(peer, challenges="") for peer in make_peers(30, seed=3).peers]
    one = [replace(quiet[4], challenges="Payroll arrears in town halls.")]
    one_written = quiet[:4] + one + quiet[5:]
    return {
        "empty": result_data(match([])),
        "no-challenges-30": result_data(match(quiet)),
        "one-challenge-30": result_data(match(one_written)),
        "one-challenge-30-groups": result_data(
            match(one_written, constraints=Constraints(group_size=3))
        ),
        "similarities-1700": digest(similarities(make_peers(1700, seed=5).peers).tobytes()),
        "languages": [language_name(code) for code in ["en", "FR", "pt-BR", "xx", ""]],
    }


def main(path):
    cases = {**benchmark_runs(), **constrained_runs(), **edge_cases()}
    with open(path, "w") as output:
        json.dump(cases, output, indent=1, sort_keys=True)
    print(f"{len(cases)} cases written to {path}")


if __name__ == "__main__":
    main(sys.argv[1])
