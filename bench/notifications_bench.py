"""Notifications benchmark: `mentoring.mentorship.started` events -> manager emails at a local SMTP sink.

    python -m bench.notifications_bench [--quick] [--replicas 1 2]

Measures, against the real worker (Kafka consumer, store, dispatcher) and an aiosmtpd sink:
1. throughput: N events published at once -> emails received per second (end to end);
2. latency: a steady 50 events/s -> p50/p95/p99 from publish to SMTP receipt;
both with one worker and again with two worker replicas (each on a fresh database), and, as the
baseline in the same run, raw smtplib sending N comparable messages over one connection. Prints the
machine's load average before and after: the figures are only as quiet as the machine was.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import smtplib
import threading
import time
import uuid
from email.message import EmailMessage

import requests
from aiosmtpd.controller import Controller
from kafka import KafkaProducer
from pymongo import MongoClient

from bench.support import REPO, SECRET, infrastructure, local_stack, percentile, process, table
from services.notifications.domain.notices import notification_id
from shared.events import new_event

ID_HEADER = re.compile(rb"X-Tandem-Notification-Id:\s*([^\r\n]+)")


class Sink:
    """An SMTP sink that only notes when each notification arrived."""

    def __init__(self):
        self.count, self.arrivals, self._lock = 0, {}, threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        found = ID_HEADER.search(envelope.content)
        with self._lock:
            self.count += 1
            if found:  # the first arrival counts; a second one is a duplicate
                self.arrivals.setdefault(found.group(1).decode(), time.time())
        return "250 OK"

    def wait_distinct(self, count: int, timeout: float) -> float:
        """Until `count` distinct notifications arrived; when the last of them did."""
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(self.arrivals)} of {count} notifications arrived")
            time.sleep(0.05)
        return max(self.arrivals.values())

    def wait(self, count: int, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {self.count} of {count} mails arrived")
            time.sleep(0.05)
        return max(self.arrivals.values(), default=time.time())


def baseline(port: int, count: int, sink: Sink) -> float:
    """Raw smtplib over one connection: the ceiling for sending `count` similar messages."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "tandem@example.com", "boss@example.com", "Started"
    message.set_content("A report started a mentorship.\n" * 8)
    message.add_alternative("<p>A report started a mentorship.</p>" * 8, subtype="html")
    before, started = sink.count, time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for _ in range(count):
            smtp.send_message(message)
    sink.wait(before + count, 60)
    return count / (time.perf_counter() - started)


def profile(employee_id: str, manager_id: str | None) -> dict:
    return {"employee_id": employee_id, "version": 1, "name": f"Person {employee_id}",
            "email": f"{employee_id}@example.com", "title": None, "department": "Eng", "location": None,
            "timezone": "UTC", "languages": ["en"], "manager_id": manager_id, "grade": 5, "years_experience": None,
            "skills": [], "interests": [], "roles": ["mentee"], "mentor_capacity": 0,
            "availability_hours_per_month": None, "employment_status": "active",
            "updated_at": "2031-01-01T00:00:00Z"}


class Cast:
    """People and a program on the bus; started mentorships on demand, each to tell a manager."""

    def __init__(self, producer: KafkaProducer, run: str, mentees: int, managers: int):
        self.producer, self.run, self.mentees, self.managers = producer, run, mentees, managers

    def send(self, type_name: str, data: dict) -> None:
        event = new_event(type_name, data, source="/tandem/bench")
        self.producer.send(event.topic, key=event.key.encode(), value=event.to_json())

    def seed(self) -> int:
        self.send("mentoring.program.created", {"program_id": f"p-{self.run}", "name": "Bench cohort",
                                                "starts_on": "2031-01-01", "ends_on": "2031-12-31",
                                                "checkin_every_days": 14, "admin_id": None})
        people = [profile(f"b{i}-{self.run}", None) for i in range(self.managers)]
        people += [profile(f"e{i}-{self.run}", f"b{i % self.managers}-{self.run}") for i in range(self.mentees)]
        people.append(profile(f"mentor-{self.run}", None))
        for person in people:
            self.send("mentoring.profile.created", person)
        self.producer.flush()
        return len(people)

    def start(self, n: int, phase: str) -> str:
        """Publish one `mentorship.started`; returns the id of the manager notification it must cause."""
        mentee, manager = f"e{n % self.mentees}-{self.run}", f"b{n % self.mentees % self.managers}-{self.run}"
        mentorship_id = f"{phase}{n}-{self.run}"
        self.send("mentoring.mentorship.started", {
            "mentorship_id": mentorship_id, "program_id": f"p-{self.run}", "mentor_id": f"mentor-{self.run}",
            "mentee_id": mentee, "status": "active", "score": 0.9, "created_at": "2031-01-01T00:00:00Z",
            "started_at": "2031-01-02T00:00:00Z"})
        return notification_id("started", mentorship_id, manager)


def wait_known(db, count: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while db["notifications_people"].count_documents({}) < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the worker did not take in the profiles")
        time.sleep(0.2)


def throughput(cast: Cast, sink: Sink, events: int) -> dict:
    before, started = len(sink.arrivals), time.time()
    for n in range(events):
        cast.start(n, "t")
    cast.producer.flush()
    published = time.time()
    last = sink.wait_distinct(before + events, timeout=60 + events / 5)
    return {"events": events, "publish_s": published - started, "total_s": last - started,
            "emails_per_s": events / (last - started)}


def steady(cast: Cast, sink: Sink, rate: float, seconds: float) -> dict:
    sent: dict[str, float] = {}
    began, total = time.time(), int(rate * seconds)
    for n in range(total):
        delay = began + n / rate - time.time()
        if delay > 0:
            time.sleep(delay)
        sent[cast.start(n, "s")] = time.time()
    cast.producer.flush()
    deadline = time.monotonic() + 60 + total / 5
    while any(i not in sink.arrivals for i in sent) and time.monotonic() < deadline:
        time.sleep(0.05)
    latencies = [sink.arrivals[i] - t for i, t in sent.items() if i in sink.arrivals]
    return {"events": total, "received": len(latencies), "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95), "p99": percentile(latencies, 99), "max": max(latencies)}


def scenario(infra: dict[str, str], sink: Sink, replicas: int, events: int, seconds: float) -> tuple[dict, dict]:
    """A fresh database, the api and `replicas` workers; the burst, then the steady load."""
    run = uuid.uuid4().hex[:8]
    port = local_stack.free_port()
    env = {**infra, "MONGODB_DB": f"bench_notify_{run}", "AUTH_JWT_SECRET": SECRET, "PORT": str(port),
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "WARNING",
           "NOTIFY_JOB_EVERY_SECONDS": "3600", "NOTIFY_DISPATCH_POLL_SECONDS": "0.5"}
    python = [str(REPO / ".venv" / "bin" / "python"), "-m", "services.notifications"]
    with contextlib.ExitStack() as running:
        running.enter_context(process([*python, "api"], {**env, "METRICS_PORT": str(local_stack.free_port())},
                                      f"http://127.0.0.1:{port}/readyz"))
        for _ in range(replicas):
            running.enter_context(process([*python, "worker"], {**env, "METRICS_PORT": str(local_stack.free_port())}))
        requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).raise_for_status()
        producer = KafkaProducer(bootstrap_servers=infra["KAFKA_BOOTSTRAP_SERVERS"], acks="all", linger_ms=0)
        cast = Cast(producer, run, mentees=min(events, 2_000), managers=100)
        wait_known(MongoClient(infra["MONGODB_URI"])[env["MONGODB_DB"]], cast.seed())
        mails_before, distinct_before = sink.count, len(sink.arrivals)
        burst = throughput(cast, sink, events)
        paced = steady(cast, sink, 50.0, seconds)
        producer.close()
    burst["duplicates"] = (sink.count - mails_before) - (len(sink.arrivals) - distinct_before)
    return burst, paced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 events and 10 s of steady load")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2], help="worker replicas to measure")
    args = parser.parse_args()
    events, seconds = (1_000, 10.0) if args.quick else (10_000, 60.0)
    load_before = os.getloadavg()
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=local_stack.free_port())
    smtp.start()
    sink.port = smtp.port
    raw_rate = baseline(smtp.port, events, sink)
    with infrastructure() as infra:
        results = {replicas: scenario(infra, sink, replicas, events, seconds) for replicas in args.replicas}
    smtp.stop()
    print(table([[str(n), f"{events:,}", f"{raw_rate:,.0f}", f"{burst['emails_per_s']:,.0f}",
                  f"{burst['emails_per_s'] / raw_rate:.3f}", f"{burst['publish_s']:.1f}", f"{burst['total_s']:.1f}",
                  str(burst["duplicates"])] for n, (burst, _) in results.items()],
                ["workers", "events", "raw smtplib msg/s", "Tandem emails/s", "ratio", "publish s", "all delivered s",
                 "sent twice"]))
    print()
    print(table([[str(n), f"{paced['events']:,}", f"{paced['received']:,}", f"{paced['p50'] * 1000:.0f}",
                  f"{paced['p95'] * 1000:.0f}", f"{paced['p99'] * 1000:.0f}", f"{paced['max'] * 1000:.0f}"]
                 for n, (_, paced) in results.items()],
                ["workers", "events @50/s", "received", "p50 ms", "p95 ms", "p99 ms", "max ms"]))
    load_after = os.getloadavg()
    print(f"\nload average (1, 5, 15 min) before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}"
          f"; after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
