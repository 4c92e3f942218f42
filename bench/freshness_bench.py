"""Freshness benchmark: how soon a profile HR just wrote can be enrolled in a program, at scale.

    python -m bench.freshness_bench [--quick]

Against the real profiles and matching services (api + worker each) on a private local stack:
a new profile's PUT returns, then an admin enrolls the person, retrying while matching answers
"not heard of yet" (404/409). Measured first on an empty store (the baseline of the same run), then
again with 100,000 profiles imported (10,000 with --quick).
"""

from __future__ import annotations

import argparse
import time
import uuid

import requests
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from bench.support import REPO, SECRET, infrastructure, local_stack, percentile, process, table
from shared.auth import issue_token
from shared.events import catalog as ev

PROBES = 40
IMPORT_CHUNK = 10_000


def person(employee_id: str) -> dict:
    return {"name": f"Person {employee_id}", "email": f"{employee_id}@example.com", "department": "Eng",
            "grade": 5, "roles": ["mentee"]}


class Suite:
    def __init__(self, profiles: str, matching: str):
        self.profiles, self.matching = profiles, matching
        self.http = requests.Session()
        token = issue_token(SECRET, sub="bench", roles=["hr_admin", "program_admin"])
        self.http.headers["Authorization"] = f"Bearer {token}"

    def program(self) -> str:
        body = {"name": f"Freshness {uuid.uuid4().hex[:6]}", "starts_on": "2031-01-01", "ends_on": "2031-12-31",
                "checkin_every_days": 14}
        response = self.http.post(f"{self.matching}/v1/programs", json=body, timeout=30)
        response.raise_for_status()
        return response.json()["program_id"]

    def probe(self, program_id: str, employee_id: str, timeout: float = 120) -> float:
        """Seconds from the PUT returning to the first successful enrollment."""
        put = self.http.put(f"{self.profiles}/v1/profiles/{employee_id}", json=person(employee_id), timeout=30)
        put.raise_for_status()
        written, deadline = time.perf_counter(), time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.http.post(f"{self.matching}/v1/programs/{program_id}/enrollments",
                                    json={"employee_id": employee_id, "role": "mentee"}, timeout=30)
            if answer.status_code == 201:
                return time.perf_counter() - written
            if answer.status_code not in (404, 409):
                raise RuntimeError(f"enrollment answered {answer.status_code}: {answer.text[:300]}")
            time.sleep(0.02)
        raise RuntimeError(f"{employee_id} was not enrollable within {timeout:.0f} s")

    def probes(self, program_id: str, run: str) -> list[float]:
        return [self.probe(program_id, f"fresh-{run}-{n}") for n in range(PROBES)]

    def import_people(self, count: int, run: str) -> float:
        started = time.perf_counter()
        for start in range(0, count, IMPORT_CHUNK):
            rows = [{"employee_id": f"bulk-{run}-{n}", **person(f"bulk-{run}-{n}")}
                    for n in range(start, min(count, start + IMPORT_CHUNK))]
            answer = self.http.post(f"{self.profiles}/v1/profiles:import", json=rows, timeout=600)
            answer.raise_for_status()
            assert not answer.json()["failed"], answer.json()["failed"][:3]
        return count / (time.perf_counter() - started)


def caught_up(servers: str, group: str, topic: str, events: int) -> bool:
    """The group has consumed the topic, and the topic holds at least `events` (the relay has published them)."""
    admin, probe = KafkaAdminClient(bootstrap_servers=servers), KafkaConsumer(bootstrap_servers=servers)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
        partitions = [TopicPartition(topic, p) for p in probe.partitions_for_topic(topic) or ()]
        ends = probe.end_offsets(partitions)
        return bool(partitions) and sum(ends.values()) >= events and \
            all(tp in committed and committed[tp].offset >= end for tp, end in ends.items())
    finally:
        admin.close()
        probe.close()


def wait_caught_up(servers: str, events: int, timeout: float) -> float:
    started, deadline = time.perf_counter(), time.monotonic() + timeout
    while not caught_up(servers, "matching", ev.PROFILES.name, events):
        if time.monotonic() > deadline:
            raise RuntimeError("matching did not take in the imported profiles in time")
        time.sleep(1)
    return time.perf_counter() - started


def summary(label: str, seconds: list[float]) -> list[str]:
    return [label, f"{len(seconds)}", f"{percentile(seconds, 50) * 1000:.0f}", f"{percentile(seconds, 95) * 1000:.0f}",
            f"{max(seconds) * 1000:.0f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 profiles instead of 100,000")
    args = parser.parse_args()
    people, run = (10_000 if args.quick else 100_000), uuid.uuid4().hex[:6]
    with infrastructure() as infra:
        env = {**infra, "MONGODB_DB": f"bench_fresh_{run}", "AUTH_JWT_SECRET": SECRET, "LOG_LEVEL": "WARNING",
               "WEB_CONCURRENCY": "2", "OUTBOX_POLL_SECONDS": "0.5"}
        ports = {name: local_stack.free_port() for name in ("profiles", "matching")}
        python = [str(REPO / ".venv" / "bin" / "python"), "-m"]
        with (process([*python, "services.profiles", "api"], {**env, "PORT": str(ports["profiles"]),
                                                              "METRICS_PORT": "0"},
                      f"http://127.0.0.1:{ports['profiles']}/readyz"),
              process([*python, "services.profiles", "worker"], {**env, "METRICS_PORT": "0"}),
              process([*python, "services.matching", "api"], {**env, "PORT": str(ports["matching"]),
                                                              "METRICS_PORT": "0"},
                      f"http://127.0.0.1:{ports['matching']}/readyz"),
              process([*python, "services.matching", "worker"], {**env, "METRICS_PORT": "0"})):
            suite = Suite(f"http://127.0.0.1:{ports['profiles']}", f"http://127.0.0.1:{ports['matching']}")
            program_id = suite.program()
            empty = suite.probes(program_id, f"{run}a")
            rate = suite.import_people(people, run)
            catch_up = wait_caught_up(infra["KAFKA_BOOTSTRAP_SERVERS"], people + PROBES, timeout=3600)
            full = suite.probes(program_id, f"{run}b")
    print(f"imported {people:,} profiles at {rate:,.0f} rows/s; every event published and taken in by matching"
          f" {catch_up:.0f} s after the last import call")
    print(table([summary("empty store (baseline)", empty), summary(f"{people:,} profiles", full)],
                ["store", "probes", "p50 ms", "p95 ms", "max ms"]))
    print(f"p95 ratio, {people:,} profiles / empty: {percentile(full, 95) / percentile(empty, 95):.2f}"
          "  (goal: p95 < 2,000 ms)")


if __name__ == "__main__":
    main()
