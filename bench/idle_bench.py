"""Idle benchmark: what the whole `make up` stack costs while nobody uses it.

    python -m bench.idle_bench [--settle 60] [--seconds 60]

Uses the running `make up` stack, or starts one (seeded, as `make up` does) and stops it afterwards.
After it has settled, it sums the CPU time of every process of the stack (Kafka, the store, the
mail sink, each service's api with its gunicorn workers and its worker) over the window, as a share
of one core. The infrastructure's own share is the baseline of the same run. Goal: total < 5 %.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.support import REPO, table

HOME = REPO / ".tandem" / "dev"
TICKS = os.sysconf("SC_CLK_TCK")
INFRA = ("kafka", "mongo", "smtp")


def pids() -> dict[str, int]:
    """Each process `make up` recorded, by name (kafka, mongo, smtp, profiles-api, ...)."""
    found = {}
    for pid_file in sorted((HOME / "run").glob("*.pid")):
        try:
            found[pid_file.stem] = int(pid_file.read_text().strip())
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """The process and everything it started (gunicorn's workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (its exited children are not idle-stack cost)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def sample(groups: dict[str, int]) -> dict[str, dict[int, float]]:
    return {name: {p: cpu_seconds(p) for p in descendants(pid)} for name, pid in groups.items()}


def answers() -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen("http://127.0.0.1:8001/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=60.0, help="seconds to wait after the stack is up")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the measured window")
    parser.add_argument("--quick", action="store_true", help="settle 20 s, measure 30 s")
    args = parser.parse_args()
    settle, window = (20.0, 30.0) if args.quick else (args.settle, args.seconds)
    started_here = not answers()
    suite = [sys.executable, str(REPO / "deploy" / "local" / "suite.py")]
    if started_here:
        print("starting the stack as `make up` does ...", flush=True)
        subprocess.run([*suite, "up"], check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    try:
        time.sleep(settle)
        groups = pids()
        before, began = sample(groups), time.monotonic()
        time.sleep(window)
        after, elapsed = sample(groups), time.monotonic() - began
    finally:
        if started_here:
            subprocess.run([*suite, "down"], cwd=REPO, stdout=subprocess.DEVNULL)
    used = {name: sum(after[name][p] - before[name].get(p, 0.0) for p in after[name]) for name in groups}
    rows = [[name, f"{len(after[name])}", f"{used[name]:.2f}", f"{100 * used[name] / elapsed:.2f}"]
            for name in groups]
    infra = sum(v for k, v in used.items() if k in INFRA)
    total = sum(used.values())
    rows += [["infrastructure (baseline)", "", f"{infra:.2f}", f"{100 * infra / elapsed:.2f}"],
             ["whole stack", "", f"{total:.2f}", f"{100 * total / elapsed:.2f}"]]
    print(table(rows, ["process", "pids", f"cpu s in {elapsed:.0f} s", "% of one core"]))
    print(f"whole stack: {100 * total / elapsed:.2f} % of one core (goal < 5 %); services alone "
          f"{100 * (total - infra) / elapsed:.2f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
