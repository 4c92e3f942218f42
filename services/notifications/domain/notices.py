"""A notice is one notification a rule decided to send: who gets it, why, and whom it is about.

A notice names people by id only (`about`: role -> employee id) and keeps only facts that are not
personal data (ids, counts, dates). Names, addresses and time zones are looked up when the message is
rendered, so it always shows what is known then, and an erased person is never in a stored copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

INTRODUCTION = "introduction"
MENTORSHIP_STARTED = "mentorship_started"
SESSION_REMINDER = "session_reminder"
CHECKIN_NUDGE = "checkin_nudge"
CHECKIN_ESCALATION = "checkin_escalation"
GOAL_COMPLETED = "goal_completed"
WEEKLY_DIGEST = "weekly_digest"

KINDS = (INTRODUCTION, MENTORSHIP_STARTED, SESSION_REMINDER, CHECKIN_NUDGE, CHECKIN_ESCALATION, GOAL_COMPLETED,
         WEEKLY_DIGEST)

# Sent to a manager or admin about someone else: these never carry anything but counts, dates and names.
ABOUT_OTHERS = frozenset({MENTORSHIP_STARTED, CHECKIN_ESCALATION, GOAL_COMPLETED, WEEKLY_DIGEST})

_SAFE_PART = re.compile(r"[A-Za-z0-9._-]+")
MAX_ID = 120  # event ids on the bus allow 128


TRACE = "traceparent"  # where a batch's data carries the event's trace context (see `of_event`)


def of_event(notices: list[Notice], data: Mapping[str, Any]) -> list[Notice]:
    """The notices an event called for, joined to its trace; none for history an admin backfilled."""
    if data.get("backfilled"):
        return []
    return [replace(n, traceparent=data.get(TRACE)) for n in notices]


@dataclass(frozen=True)
class Notice:
    """One (rule, recipient, occasion): its id is deterministic, so a second insert is a no-op."""

    notification_id: str
    recipient_id: str
    kind: str
    facts: Mapping[str, Any]
    program_id: str | None = None
    about: Mapping[str, str] = field(default_factory=dict)
    traceparent: str | None = None  # the trace of the event that called for it; its email joins that trace

    @property
    def names(self) -> list[str]:
        """Everyone the message would name, the recipient included (a digest names its reports)."""
        reports = [row["report_id"] for row in self.facts.get("reports", ())]
        return sorted({self.recipient_id, *self.about.values(), *reports})


def notification_id(rule: str, *occasion: object) -> str:
    """`rule:part:part...`, or `rule:<sha256>` when a part is long or has unusual characters."""
    parts = [str(p) for p in occasion]
    readable = ":".join([rule, *parts])
    if len(readable) <= MAX_ID and all(_SAFE_PART.fullmatch(p) for p in parts):
        return readable
    return f"{rule}:{hashlib.sha256(readable.encode()).hexdigest()[:40]}"


def display_name(person: Mapping[str, Any] | None, fallback: str) -> str:
    """A person's name, or a neutral stand-in when we do not know them (or they were erased)."""
    if not person or person.get("erased") or not person.get("name"):
        return fallback
    return str(person["name"])


def reachable(person: Mapping[str, Any] | None) -> bool:
    """Erased people get nothing more; people we have not heard of yet still get their inbox."""
    return not (person and person.get("erased"))
