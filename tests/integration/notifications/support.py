"""Test doubles that are real servers: an SMTP server (aiosmtpd) and a webhook receiver (http.server),
plus a producer that plays the other services' part on the bus."""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from bson import json_util
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from pymongo import MongoClient

from shared.events import Event, new_event
from tests.support.infra import free_port
from tests.support.polling import wait_for, wait_while_progressing


@dataclass
class Mail:
    received_at: float
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def kind(self) -> str:
        return str(self.message["X-Tandem-Kind"])

    @property
    def notification_id(self) -> str:
        return str(self.message["X-Tandem-Notification-Id"])

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    def everything(self) -> str:
        """Every readable part, headers included, for privacy checks."""
        parts = [str(self.message["Subject"]), self.text, self.html]
        parts += [a.get_content() if isinstance(a.get_content(), str) else a.get_content().decode()
                  for a in self.message.iter_attachments()]
        return "\n".join(parts)


class MailSink:
    """An aiosmtpd handler that keeps every message and refuses chosen recipients with a given reply."""

    def __init__(self):
        self.mails: list[Mail] = []
        self.refusals: dict[str, str] = {}
        self._lock = threading.Lock()

    def refuse(self, address: str, reply: str) -> None:
        """E.g. refuse("x@example.com", "451 4.3.0 try again later") or "550 5.1.1 no such user"."""
        self.refusals[address.lower()] = reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd hook
        if address.lower() in self.refusals:
            return self.refusals[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.mails.append(Mail(time.time(), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str, kind: str | None = None) -> list[Mail]:
        with self._lock:
            return [m for m in self.mails if address in m.rcpt_tos and (kind is None or m.kind == kind)]

    def wait(self, address: str, count: int = 1, kind: str | None = None, timeout: float = 30) -> list[Mail]:
        return wait_for(lambda: len(found := self.to(address, kind)) >= count and found, timeout=timeout,
                        message=f"{count} {kind or 'any'} mail(s) to {address}")


    def wait_id(self, address: str, notification_id: str, timeout: float = 30) -> Mail:
        """The one mail of a given notification (e.g. one week's digest among others)."""
        def found():
            mails = [m for m in self.to(address) if m.notification_id == notification_id]
            return mails[0] if len(mails) == 1 else None

        return wait_for(found, timeout=timeout, message=f"mail {notification_id} to {address}")


@contextmanager
def smtp_sink() -> Iterator[MailSink]:
    """A real SMTP server (aiosmtpd) on a free port, keeping what it receives while the block runs; it offers
    SMTPUTF8, as the local sink and most relays do."""
    mail = MailSink()
    controller = Controller(mail, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=True)
    controller.start()
    mail.port = controller.port
    try:
        yield mail
    finally:
        controller.stop()


@dataclass
class Hook:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class HookReceiver:
    """A local HTTP server on 127.0.0.1 recording every POST; `statuses` chooses a reply per path."""

    def __init__(self):
        self.calls: list[Hook] = []
        self.statuses: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server hook
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.calls.append(Hook(self.path, dict(self.headers.items()), body))
                self.send_response(receiver.statuses.get(self.path, 204))
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def at(self, path: str) -> list[Hook]:
        return [c for c in self.calls if c.path == path]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Bus:
    """Plays matching's part: valid CloudEvents onto the topics, keyed by aggregate id."""

    def __init__(self, bootstrap: str):
        self.producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)

    def publish(self, type_name: str, data: dict, source: str = "/tandem/matching") -> Event:
        event = new_event(type_name, data, source=source)
        self.send(event)
        return event

    def send(self, event: Event) -> None:
        self.producer.send(event.topic, key=event.key.encode(), value=event.to_json()).get(timeout=15)

    def close(self) -> None:
        self.producer.close()


CONSUMED = ("mentoring.profiles", "mentoring.goals", "mentoring.programs", "mentoring.mentorships",
            "mentoring.sessions", "mentoring.feedback")


def wait_consumed(bootstrap: str, group: str = "notifications", topics=CONSUMED, timeout: float = 60) -> None:
    """Until the consumer group has committed everything published so far on `topics`; fails once its
    offsets have not moved for `timeout` seconds (a replay of a long history is slow, not stuck)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        ends = consumer.end_offsets(partitions)

        def consumed() -> int:
            committed = admin.list_group_offsets({group: None}).get(group, {})
            return sum(max(0, min(committed[tp].offset, ends[tp])) if tp in committed else 0 for tp in partitions)

        wait_while_progressing(consumed, sum(ends.values()), stall=timeout, interval=0.2,
                               message=f"group {group} to consume {topics}")
    finally:
        admin.close()
        consumer.close()


class Store:
    """Read-only peek at the service's collections: to wait until it has heard of people, and to check that
    an erased person left no trace."""

    def __init__(self, uri: str, db: str):
        self._db = MongoClient(uri, tz_aware=True)[db]

    def wait_known(self, *employee_ids: str, timeout: float = 30) -> None:
        def known():
            return self._db["notifications_people"].count_documents({"_id": {"$in": list(employee_ids)},
                                                                    "name": {"$ne": None}}) == len(employee_ids)

        wait_for(known, timeout=timeout, message=f"notifications to know {employee_ids}")

    def dump_notifications(self) -> str:
        """Every document of every notifications collection, as text (to look for what must not be there)."""
        names = [n for n in self._db.list_collection_names() if n.startswith("notifications_")]
        return "\n".join(json_util.dumps(doc) for name in names for doc in self._db[name].find())


def program(program_id: str, *, admin_id: str | None = None, every: int = 14, name: str = "Cohort") -> dict:
    return {"program_id": program_id, "name": name, "starts_on": "2030-01-01", "ends_on": "2035-12-31",
            "checkin_every_days": every, "admin_id": admin_id}


def mentorship(mentorship_id: str, program_id: str, mentor: str, mentee: str, status: str, **extra) -> dict:
    return {"mentorship_id": mentorship_id, "program_id": program_id, "mentor_id": mentor, "mentee_id": mentee,
            "status": status, "score": 0.8, "created_at": "2031-01-01T00:00:00Z", **extra}


def session(session_id: str, pair: dict, status: str, scheduled_at: str, **extra) -> dict:
    return {"session_id": session_id, "mentorship_id": pair["mentorship_id"], "program_id": pair["program_id"],
            "mentor_id": pair["mentor_id"], "mentee_id": pair["mentee_id"], "status": status,
            "scheduled_at": scheduled_at, "duration_minutes": 60, **extra}


def profile(employee_id: str, name: str, *, manager_id: str | None = None, timezone: str = "UTC") -> dict:
    """A `mentoring.profile.created` payload, as profiles would publish it (for casts too big to hire over HTTP)."""
    return {"employee_id": employee_id, "version": 1, "name": name, "email": f"{employee_id}@example.com",
            "title": None, "department": "Eng", "location": None, "timezone": timezone, "languages": ["en"],
            "manager_id": manager_id, "grade": 5, "years_experience": None, "skills": [], "interests": [],
            "roles": ["mentee"], "mentor_capacity": 0, "availability_hours_per_month": None,
            "employment_status": "active", "updated_at": "2031-01-01T00:00:00Z"}
