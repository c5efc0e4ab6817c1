"""What a user waits for: ``manage.py match_file`` end to end, start-up included.

Run from the project root: ``python -m benchmarks.match_file [--sizes 10000] [--group-size 5]``.

Writes the synthetic peers of ``benchmarks.matching`` (first bank, seed 7) to a CSV file,
runs the real command in a fresh process under ``/usr/bin/time -v`` when it exists, and
prints wall seconds, CPU seconds and the peak resident set size of the whole command.
Challenge areas are left out of the file: the bank's areas are not the site's codes.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.matching import make_peers


def write_peers(count: int, path: Path, *, seed: int = 7, bank: str = "first") -> None:
    peers = make_peers(count, problems=None, seed=seed, bank=bank).peers
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["email", "name", "organisation", "country", "position", "years_of_service"]
            + ["background", "languages", "challenges", "task"]
        )
        for peer in peers:
            writer.writerow(
                [peer.id, peer.id.split("@")[0], peer.organisation, peer.country]
                + [peer.position, peer.years_of_service or "", peer.background]
                + [";".join(sorted(peer.languages)), peer.challenges]
                + [peer.task]
            )


def run_command(peers: Path, out: Path, group_size: int, extra: list[str]) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one ``match_file`` run."""
    command = [sys.executable, "manage.py", "match_file", str(peers), "--out", str(out)]
    command += ["--group-size", str(group_size), *extra]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        command = [timer, "-v", *command]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    row = {"seconds": seconds, "rss": float("nan"), "cpu": float("nan"), "said": done.stdout}
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if peak:
        row["rss"] = int(peak.group(1)) / 1024
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    if user and system:
        row["cpu"] = float(user.group(1)) + float(system.group(1))
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10000])
    parser.add_argument("--group-sizes", type=int, nargs="*", default=[2, 5])
    parser.add_argument("--model", help="model directory passed on to match_file --model")
    args = parser.parse_args(argv)
    extra = ["--model", args.model] if args.model else []
    print("whole command, start-up included; RSS = peak resident set size (MB)")
    print(f"{'peers':>7} {'k':>3} {'wall s':>8} {'cpu s':>7} {'RSS MB':>8}  output")
    with tempfile.TemporaryDirectory() as folder:
        for count in args.sizes:
            peers = Path(folder) / f"peers{count}.csv"
            write_peers(count, peers)
            for k in args.group_sizes:
                row = run_command(peers, Path(folder) / "out.csv", k, extra)
                print(
                    f"{count:>7} {k:>3} {row['seconds']:>8.2f} {row['cpu']:>7.2f}"
                    f" {row['rss']:>8.0f}  {row['said'].strip()}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
