"""Analytics: projection throughput replaying mixed events against a raw consume-and-insert baseline,
and summary latency for a program of 20,000 participants.

    python -m bench.analytics_bench [--quick]

Prints figures; asserts nothing. The raw baseline reads the same topics with kafka-python and
bulk-inserts every event unchanged with pymongo; the projection is the real analytics worker process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from datetime import timedelta

import requests
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from pymongo import MongoClient
from pymongo.errors import BulkWriteError

from bench.support import SECRET, infrastructure, percentile, process, table
from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.pseudonyms import new_key
from services.analytics.use_cases.reports import rebuild as rebuild_reports
from shared.auth import issue_token
from shared.events import TOPICS, new_event
from shared.kafka import ensure_topics
from shared.timeutil import to_rfc3339, utcnow

DEPARTMENTS = ("Engineering", "Finance", "Sales", "Marketing", "People", "Product", "Legal", "Ops")


def program_events(total: int, participants: int) -> tuple[list, str]:
    """Mixed events of one big program and its people: profiles, enrollments, pairs, goals, then sessions."""
    start, pid = utcnow() - timedelta(days=120), f"bench-{uuid.uuid4().hex[:6]}"

    def at(days: float) -> str:
        return to_rfc3339(start + timedelta(days=days))

    def ev(kind: str, data: dict):
        return new_event(f"mentoring.{kind}", data, source="/tandem/bench")

    mentors = [f"m{i}" for i in range(participants * 3 // 10)]
    mentees = [f"e{i}" for i in range(participants - len(mentors))]
    out = [ev("program.created", {"program_id": pid, "name": "Bench program", "starts_on": at(0)[:10],
                                  "ends_on": at(365)[:10], "checkin_every_days": 14})]
    for i, emp in enumerate(mentors + mentees):
        role = "mentor" if emp.startswith("m") else "mentee"
        out.append(ev("profile.created", {
            "employee_id": emp, "version": 1, "name": f"Person {emp}", "email": f"{emp}@example.com",
            "department": DEPARTMENTS[i % len(DEPARTMENTS)], "timezone": "UTC", "languages": ["en"],
            "grade": 3 + i % 8, "skills": [], "roles": [role], "mentor_capacity": 3 if role == "mentor" else 0,
            "employment_status": "active", "updated_at": at(0)}))
        out.append(ev("enrollment.created", {"program_id": pid, "employee_id": emp, "role": role, "at": at(1)}))
    pairs = []
    for i, mentee in enumerate(mentees):
        goal = {"goal_id": f"g-{mentee}", "employee_id": mentee, "status": "active", "progress": 0, "version": 1,
                "updated_at": at(2)}
        out += [ev("goal.created", goal), ev("goal.progressed", {**goal, "progress": 40, "version": 2,
                                                                  "updated_at": at(30 + i % 60)})]
        if i % 10 < 8:
            pair = {"mentorship_id": f"x-{mentee}", "program_id": pid, "mentor_id": mentors[i % len(mentors)],
                    "mentee_id": mentee, "status": "proposed", "created_at": at(3)}
            out += [ev("mentorship.proposed", pair),
                    ev("mentorship.started", {**pair, "status": "active", "started_at": at(4 + i % 5)})]
            pairs.append(pair)
    return out + sessions(pairs, total - len(out), at, ev), pid


def sessions(pairs: list[dict], count: int, at, ev) -> list:
    """Scheduled and completed sessions round the pairs, with feedback after every other one."""
    out, n = [], 0
    while len(out) < count and pairs:
        pair = pairs[n % len(pairs)]
        data = {"session_id": f"s{n}", "mentorship_id": pair["mentorship_id"], "program_id": pair["program_id"],
                "mentor_id": pair["mentor_id"], "mentee_id": pair["mentee_id"], "status": "scheduled",
                "scheduled_at": at(10 + n % 100), "duration_minutes": 45}
        out += [ev("session.scheduled", data),
                ev("session.completed", {**data, "status": "completed", "completed_at": at(10 + n % 100)})]
        if n % 2:
            out.append(ev("feedback.submitted", {
                "feedback_id": f"f{n}", "mentorship_id": pair["mentorship_id"], "program_id": pair["program_id"],
                "author_id": pair["mentee_id"], "author_role": "mentee", "rating": 1 + n % 5,
                "submitted_at": at(10 + n % 100)}))
        n += 1
    return out[:count]


def produce(servers: str, events: list) -> float:
    producer = KafkaProducer(bootstrap_servers=servers, acks=1, linger_ms=20, batch_size=256 * 1024)
    started = time.perf_counter()
    for event in events:
        producer.send(event.topic, key=event.key.encode(), value=event.to_json())
    producer.flush()
    producer.close()
    return time.perf_counter() - started


def on_topics(servers: str) -> int:
    """How many events the topics hold (a reused broker may hold more than this run produced)."""
    probe = KafkaConsumer(bootstrap_servers=servers)
    try:
        partitions = [TopicPartition(t, p) for t in TOPICS for p in probe.partitions_for_topic(t) or ()]
        return sum(probe.end_offsets(partitions).values()) - sum(probe.beginning_offsets(partitions).values())
    finally:
        probe.close()


def raw_baseline(servers: str, mongo_uri: str, total: int) -> float:
    """Consume every event and insert_many it unchanged: the floor for any projection."""
    coll = MongoClient(mongo_uri)[f"bench_raw_{uuid.uuid4().hex[:6]}"]["events"]
    consumer = KafkaConsumer(bootstrap_servers=servers, group_id=f"bench-raw-{uuid.uuid4().hex[:6]}",
                             auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=2000)
    consumer.subscribe(list(TOPICS))
    started, seen = time.perf_counter(), 0
    while seen < total:
        for records in consumer.poll(timeout_ms=500).values():
            docs = [json.loads(r.value) for r in records]
            try:
                coll.insert_many(docs, ordered=False)
            except BulkWriteError:
                pass  # an event seen twice: the baseline does not care
            seen += len(docs)
        consumer.commit()
    consumer.close()
    return time.perf_counter() - started


def caught_up(servers: str, group: str, consumer: KafkaConsumer) -> bool:
    admin = KafkaAdminClient(bootstrap_servers=servers)
    try:
        committed = admin.list_group_offsets(group).get(group, {})
    finally:
        admin.close()
    partitions = [TopicPartition(t, p) for t in TOPICS for p in consumer.partitions_for_topic(t) or ()]
    ends = consumer.end_offsets(partitions)
    return all(end == 0 or (tp in committed and committed[tp].offset >= end) for tp, end in ends.items())


def project(env: dict[str, str], group: str) -> float:
    """Run the analytics worker until its consumer group has committed every event."""
    servers = env["KAFKA_BOOTSTRAP_SERVERS"]
    probe = KafkaConsumer(bootstrap_servers=servers)
    started = time.perf_counter()
    with process([sys.executable, "-m", "services.analytics", "worker"],
                 {**env, "ANALYTICS_CONSUMER_GROUP": group}) as worker:
        while not caught_up(servers, group, probe):
            if worker.poll() is not None:
                raise RuntimeError(f"the analytics worker exited ({worker.returncode}) before catching up")
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
    probe.close()
    return elapsed


def latencies(url: str, headers: dict, path: str, n: int) -> dict[str, float]:
    session, found = requests.Session(), []
    for _ in range(n):
        started = time.perf_counter()
        session.get(url + path, headers=headers, timeout=120).raise_for_status()
        found.append(time.perf_counter() - started)
    return {"p50_ms": percentile(found, 50) * 1000, "p95_ms": percentile(found, 95) * 1000}


def run(quick: bool) -> None:
    total, participants = (20_000, 2_000) if quick else (200_000, 20_000)
    events, program_id = program_events(total, participants)
    with infrastructure() as infra_env:
        servers, mongo_uri = infra_env["KAFKA_BOOTSTRAP_SERVERS"], infra_env["MONGODB_URI"]
        env = {**infra_env, "AUTH_JWT_SECRET": SECRET, "MONGODB_DB": f"tandem_bench_{uuid.uuid4().hex[:6]}",
               "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2", "LOG_LEVEL": "WARNING", "METRICS_PORT": "0",
               "ANALYTICS_PSEUDONYM_KEY": new_key()}
        ensure_topics([servers], TOPICS)
        produced = produce(servers, events)
        total = on_topics(servers)
        print(f"{len(events):,} mixed events of a {participants:,}-participant program produced in {produced:.1f} s; "
              f"replaying all {total:,} events on the topics")
        raw = raw_baseline(servers, mongo_uri, total)
        projected = project(env, f"bench-analytics-{uuid.uuid4().hex[:6]}")
        rows = [["raw consume + insert_many", f"{raw:.1f}", f"{total / raw:,.0f}", "1.00"],
                ["analytics projection (worker)", f"{projected:.1f}", f"{total / projected:,.0f}",
                 f"{raw / projected:.2f}"]]
        print(table(rows, ["replay", "seconds", "events/s", "throughput vs raw"]))
        report_latency(env, program_id, participants)


def report_latency(env: dict[str, str], program_id: str, participants: int) -> None:
    uow = AnalyticsUnitOfWork(MongoClient(env["MONGODB_URI"], tz_aware=True)[env["MONGODB_DB"]])
    started = time.perf_counter()
    rebuild_reports(uow, [program_id], 5)
    rebuild = time.perf_counter() - started
    headers = {"Authorization": "Bearer " + issue_token(SECRET, sub="bench", roles=["program_admin"])}
    url = "http://127.0.0.1:18004"
    with process([sys.executable, "-m", "services.analytics", "api"], {**env, "PORT": "18004"}, url + "/healthz"):
        summary = latencies(url, headers, f"/v1/programs/{program_id}/summary", 200)
        floor = latencies(url, headers, "/healthz", 200)
    print(f"\nsummary of a {participants:,}-participant program (200 sequential requests)")
    print(table([["GET /v1/programs/{id}/summary", f"{summary['p50_ms']:.1f}", f"{summary['p95_ms']:.1f}"],
                 ["GET /healthz (HTTP floor)", f"{floor['p50_ms']:.1f}", f"{floor['p95_ms']:.1f}"]],
                ["request", "p50 ms", "p95 ms"]))
    print(f"rebuilding that program's report from its facts (the worker does this after changes): {rebuild:.1f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 events and a 2,000-participant program")
    run(parser.parse_args(argv).quick)


if __name__ == "__main__":
    main()
