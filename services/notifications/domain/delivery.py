"""The life of one delivery on one channel: pending → (held) → delivered | failed, with backoff between tries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

OPEN = ("pending", "held")  # still to be delivered
FINAL = ("delivered", "failed")
PUSH_CHANNELS = ("email", "webhook")  # inbox delivery is immediate and never held


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: base, base*factor, base*factor², ... capped; `max_attempts` tries in all."""

    base_seconds: float = 30.0
    factor: float = 2.0
    max_delay_seconds: float = 3600.0
    max_attempts: int = 5

    def delay(self, attempts_made: int) -> float:
        """Seconds to wait after the `attempts_made`-th failed try."""
        return min(self.max_delay_seconds, self.base_seconds * self.factor ** max(0, attempts_made - 1))

    def schedule(self) -> list[float]:
        """Every wait between the first and the last try."""
        return [self.delay(n) for n in range(1, self.max_attempts)]


@dataclass(frozen=True)
class SendResult:
    """What a channel adapter reports; `permanent` failures are not retried (e.g. SMTP 5xx)."""

    ok: bool
    detail: str = ""
    permanent: bool = False


def pending(now: datetime) -> dict[str, Any]:
    return {"status": "pending", "attempts": 0, "next_at": now, "log": []}


def delivered_in_inbox(now: datetime) -> dict[str, Any]:
    """The inbox copy exists as soon as the notification does (it is rendered when it is read)."""
    return {"status": "delivered", "attempts": 1, "next_at": None, "delivered_at": now,
            "log": [{"at": now, "attempt": 1, "outcome": "delivered", "detail": "in the inbox"}]}


def withdrawn(state: Mapping[str, Any], now: datetime, reason: str) -> dict[str, Any]:
    """Ended without a try: what it would say may no longer be said (e.g. it names an erased person)."""
    entry = {"at": now, "attempt": state["attempts"], "outcome": "failed", "detail": reason}
    return {**state, "status": "failed", "next_at": None, "reason": reason, "log": [*state["log"], entry]}


def unannounced(channels: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Channels that ended but whose `mentoring.notification.*` event has not been recorded yet."""
    return [name for name, state in channels.items() if state["status"] in FINAL and not state.get("announced")]


def held(state: Mapping[str, Any], now: datetime, until: datetime) -> dict[str, Any]:
    """Quiet hours: no attempt is spent; the delivery waits until they end."""
    entry = {"at": now, "attempt": state["attempts"], "outcome": "held",
             "detail": f"quiet hours until {until.isoformat()}"}
    return {**state, "status": "held", "next_at": until, "log": [*state["log"], entry]}


def after_attempt(state: Mapping[str, Any], result: SendResult, now: datetime,
                  policy: RetryPolicy) -> tuple[dict[str, Any], str | None]:
    """The state after one try, and "delivered"/"failed" when the delivery just ended."""
    attempt = state["attempts"] + 1
    if result.ok:
        entry = {"at": now, "attempt": attempt, "outcome": "delivered", "detail": result.detail}
        return {**state, "status": "delivered", "attempts": attempt, "next_at": None, "delivered_at": now,
                "log": [*state["log"], entry]}, "delivered"
    if result.permanent or attempt >= policy.max_attempts:
        entry = {"at": now, "attempt": attempt, "outcome": "failed", "detail": result.detail}
        return {**state, "status": "failed", "attempts": attempt, "next_at": None, "reason": result.detail,
                "log": [*state["log"], entry]}, "failed"
    retry_at = now + timedelta(seconds=policy.delay(attempt))
    entry = {"at": now, "attempt": attempt, "outcome": "retrying", "detail": result.detail, "retry_at": retry_at}
    return {**state, "status": "pending", "attempts": attempt, "next_at": retry_at,
            "log": [*state["log"], entry]}, None


def next_dispatch(channels: Mapping[str, Mapping[str, Any]]) -> datetime | None:
    """When the dispatcher should look at this notification again (None: every delivery has ended)."""
    due = [c["next_at"] for c in channels.values() if c["status"] in OPEN and c.get("next_at") is not None]
    return min(due) if due else None



def is_due(state: Mapping[str, Any], now: datetime) -> bool:
    return state["status"] in OPEN and state.get("next_at") is not None and state["next_at"] <= now
