"""`make bench`: run every service's benchmark in turn; `--quick` for a short smoke run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

BENCHES = ("profiles_bench", "freshness_bench", "matching_bench", "notifications_bench", "analytics_bench",
           "idle_bench")


def main(argv: list[str]) -> int:
    failed = []
    for name in BENCHES:
        if importlib.util.find_spec(f"bench.{name}") is None:
            continue
        print(f"\n=== {name} " + "=" * (60 - len(name)), flush=True)
        # each bench in its own process: clean peak-RSS figures and no shared state
        if subprocess.run([sys.executable, "-m", f"bench.{name}", *argv]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that did not finish: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
