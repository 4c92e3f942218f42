"""Profiles API throughput and latency against a bare Flask + pymongo baseline; what tracing costs, off and on;
bulk import rows/s.

    python -m bench.profiles_bench [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid

import requests

from bench.support import SECRET, infrastructure, load, otlp_collector, process, table
from shared.auth import issue_token

CONCURRENCY = 8
ROUNDS = 5  # tandem and the baseline take turns this many times per operation


def person(i: int, grade: int = 5) -> dict:
    return {"name": f"Person {i}", "email": f"p{i}@example.com", "department": ["Engineering", "Finance"][i % 2],
            "grade": grade, "roles": ["mentee"], "skills": [{"name": "python", "level": 1 + i % 5}],
            "timezone": "Europe/Berlin", "languages": ["en", "de"]}


def run(quick: bool) -> None:
    n_requests, n_people, import_rows = (400, 200, 10_000) if quick else (3_000, 1_000, 100_000)
    with infrastructure() as infra_env:
        env = {**infra_env, "AUTH_JWT_SECRET": SECRET, "MONGODB_DB": f"tandem_bench_{uuid.uuid4().hex[:6]}",
               "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2", "LOG_LEVEL": "WARNING"}
        tandem, bare = "http://127.0.0.1:18001", "http://127.0.0.1:18091"
        headers = {"Authorization": "Bearer " + issue_token(SECRET, sub="bench", roles=["hr_admin"])}
        with process([sys.executable, "-m", "services.profiles", "api"], {**env, "PORT": "18001"},
                     tandem + "/healthz"), \
             process([sys.executable, "-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4", "-b",
                      "127.0.0.1:18091", "bench.profiles_baseline_app:create_app()"], env):
            _wait(bare)
            rows = _api_rows(tandem, bare, headers, n_people, n_requests)
            print(f"{n_requests} requests per row in {ROUNDS} alternating rounds, {CONCURRENCY} client threads, "
                  "2 gunicorn workers each")
            print(table(rows, ["operation", "tandem req/s", "baseline req/s", "ratio", "tandem p50 ms",
                                  "tandem p99 ms", "baseline p50 ms", "baseline p99 ms"]))
            _tracing_rows(env, tandem, headers, n_people, n_requests)
            _bulk_import(tandem, headers, import_rows)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(url + "/people/none", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("baseline did not start")


def _api_rows(tandem: str, bare: str, headers: dict, n_people: int, n_requests: int) -> list[list[str]]:
    seed = [{"employee_id": f"B{i}", **person(i)} for i in range(n_people)]
    requests.post(tandem + "/v1/profiles:import", json=seed, headers=headers, timeout=120).raise_for_status()
    for i in range(n_people):
        requests.put(f"{bare}/people/B{i}", json=person(i), timeout=10)

    def put_b(s, i):
        s.put(f"{bare}/people/B{i % n_people}", json=person(i, 5 + (i // n_people) % 2 + 1)).raise_for_status()

    def get_b(s, i):
        s.get(f"{bare}/people/B{i % n_people}").raise_for_status()

    return [_row("PUT profile", *_paired(put_profile(tandem, headers, n_people), put_b, n_requests)),
            _row("GET profile", *_paired(get_profile(tandem, headers, n_people), get_b, n_requests))]


def put_profile(base: str, headers: dict, n_people: int):
    """PUTs alternate the grade so every call is a real change (a version and an event), not a no-op."""
    def call(s, i):
        grade = 5 + (i // n_people) % 2 + 1
        s.put(f"{base}/v1/profiles/B{i % n_people}", json=person(i, grade), headers=headers).raise_for_status()
    return call


def get_profile(base: str, headers: dict, n_people: int):
    return lambda s, i: s.get(f"{base}/v1/profiles/B{i % n_people}", headers=headers).raise_for_status()


def _tracing_rows(env: dict, tandem: str, headers: dict, n_people: int, n_requests: int) -> None:
    """The same API with OpenTelemetry exporting every span to a collector, against it with tracing off (the
    default: nothing of OpenTelemetry is imported, so "off" is the main table's Tandem row)."""
    traced = "http://127.0.0.1:18002"
    with otlp_collector() as (endpoint, exports), \
         process([sys.executable, "-m", "services.profiles", "api"],
                 {**env, "PORT": "18002", "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_SERVICE_NAME": "profiles",
                  "OTEL_BSP_SCHEDULE_DELAY": "500"}, traced + "/healthz"):
        def elsewhere(call):  # the same people, other names: each side's PUT is a change, never the other's echo
            return lambda s, i: call(s, i + 1_000_000)

        rows = [_row(f"{name} profile", *_paired(make(traced, headers, n_people),
                                                 elsewhere(make(tandem, headers, n_people)), n_requests))
                for name, make in (("PUT", put_profile), ("GET", get_profile))]
        time.sleep(1.5)  # the last batch of spans
    print("\ntracing: on (OTLP/HTTP to a local collector, every request sampled) against off")
    print(table(rows, ["operation", "on req/s", "off req/s", "ratio", "on p50 ms", "on p99 ms", "off p50 ms",
                       "off p99 ms"]))
    print(f"collector received {len(exports)} exports, {sum(exports) / 1e6:.1f} MB of spans")


def _paired(ours, base, total: int) -> tuple[dict, dict]:
    """Both sides in alternating rounds, so a change in the machine's load reaches both alike; rates over
    all rounds, latencies the median of the rounds' percentiles."""
    each, rounds = total // ROUNDS, ([], [])
    for r in range(ROUNDS):
        for call, results in ((ours, rounds[0]), (base, rounds[1])):
            offset = r * each
            results.append(load(lambda s, i, call=call, offset=offset: call(s, i + offset), requests_total=each,
                                concurrency=CONCURRENCY))
    return _merged(rounds[0], each), _merged(rounds[1], each)


def _merged(results: list[dict], each: int) -> dict:
    elapsed = sum(each / r["rps"] for r in results)
    return {"rps": each * len(results) / elapsed, "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results)}


def _row(name: str, ours: dict, base: dict) -> list[str]:
    return [name, f"{ours['rps']:.0f}", f"{base['rps']:.0f}", f"{ours['rps'] / base['rps']:.2f}",
            f"{ours['p50_ms']:.1f}", f"{ours['p99_ms']:.1f}", f"{base['p50_ms']:.1f}", f"{base['p99_ms']:.1f}"]


def _bulk_import(tandem: str, headers: dict, total: int) -> None:
    tag = uuid.uuid4().hex[:6]
    started, created = time.perf_counter(), 0
    for chunk in range(0, total, 10_000):
        rows = [{"employee_id": f"I{tag}-{i}", **person(i)} for i in range(chunk, min(total, chunk + 10_000))]
        result = requests.post(tandem + "/v1/profiles:import", json=rows, headers=headers, timeout=600).json()
        created += result["created"]
    elapsed = time.perf_counter() - started
    print(f"\nbulk import: {created:,} profiles in {elapsed:.1f} s = {created / elapsed:,.0f} rows/s "
          f"(10,000 rows per call, validated, with outbox events)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    run(parser.parse_args(argv).quick)


if __name__ == "__main__":
    main()
