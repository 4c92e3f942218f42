"""One notification through its channels: withdraw, wait, hold, send or retry — decided, never raised.

The inbox copy exists from the start; email and webhook go out when due, rendered from what is known
now. A message that names someone this service has not heard of yet waits (re-checked every
`recheck`, for at most `people_wait`), one about someone erased is withdrawn, quiet hours hold it
without spending an attempt, and a failure is retried with backoff unless it is permanent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from services.notifications.domain import delivery
from services.notifications.domain.composition import Known, attachments, unknown_people, withdrawal
from services.notifications.domain.delivery import RetryPolicy, SendResult
from services.notifications.domain.quiet_hours import quiet_until
from services.notifications.use_cases.composing import render, webhook_payload
from services.notifications.use_cases.ports import Doc, EmailChannel, Outcome, Renderer, WebhookChannel
from shared.timeutil import utcnow

log = logging.getLogger(__name__)


class Delivery:
    def __init__(self, email: EmailChannel, webhook: WebhookChannel, renderer: Renderer, policy: RetryPolicy, *,
                 people_wait: timedelta = timedelta(seconds=60), recheck: timedelta = timedelta(seconds=2),
                 clock: Callable[[], datetime] = utcnow,
                 count: Callable[[str, str], None] = lambda channel, outcome: None):
        self._email, self._webhook, self._renderer, self._policy = email, webhook, renderer, policy
        self._people_wait, self._recheck, self._clock, self._count = people_wait, recheck, clock, count

    def decide(self, doc: Doc, known: Known, prefs: Mapping[str, Any]) -> Outcome:
        """The notification's channels after this look at it, and when to look again."""
        try:
            return self._decide(doc, known, prefs)
        except Exception as exc:  # this notification fails alone; the batch goes on
            log.exception("notification %s could not be dispatched", doc.get("_id"))
            return self._failed(doc, exc)

    def _decide(self, doc: Doc, known: Known, prefs: Mapping[str, Any]) -> Outcome:
        now = self._clock()
        channels = {name: dict(state) for name, state in doc["channels"].items()}
        due = [name for name in delivery.PUSH_CHANNELS if name in channels and delivery.is_due(channels[name], now)]
        if due:
            reason = withdrawal(doc, known)
            if reason is not None:
                for name in due:
                    channels[name] = delivery.withdrawn(channels[name], now, reason)
                    self._count(name, "failed")
            elif unknown_people(doc, known) and now - doc["created_at"] < self._people_wait:
                return Outcome(doc["_id"], channels, now + self._recheck)
            else:
                self._push(doc, known, prefs, channels, due, now)
        return Outcome(doc["_id"], channels, delivery.next_dispatch(channels))

    def _push(self, doc: Doc, known: Known, prefs: Mapping[str, Any], channels: dict, due: list[str],
              now: datetime) -> None:
        person = known.people.get(doc["recipient_id"])
        hold = quiet_until(now, (person or {}).get("timezone"), prefs.get("quiet_hours"))
        if hold is not None:
            for name in due:
                channels[name] = delivery.held(channels[name], now, hold)
                self._count(name, "held")
            return
        message, facts = render(self._renderer, doc, known)
        outgoing = {"_id": doc["_id"], "kind": doc["kind"], "subject": message.subject, "text": message.text,
                    "html": message.html, "attachments": attachments(doc, known, facts),
                    "payload": webhook_payload(doc, message, facts), "traceparent": doc.get("traceparent")}
        for name in due:
            channels[name] = self._attempt(doc, name, channels[name], outgoing, person)

    def _attempt(self, doc: Doc, name: str, state: dict, outgoing: dict, person: Mapping | None) -> dict:
        try:
            sent = (self._email.send(outgoing, person) if name == "email"
                    else self._webhook.send(outgoing, state["url"]))
        except Exception as exc:  # an adapter bug or an input it did not foresee: this delivery only
            log.exception("%s channel raised for %s", name, doc["_id"])
            sent = SendResult(False, f"{name} channel error: {type(exc).__name__}: {exc}"[:300], permanent=True)
        new_state, ended = delivery.after_attempt(state, sent, self._clock(), self._policy)
        self._count(name, ended or "retried")
        if ended == "failed":
            log.warning("%s delivery of %s failed after %d attempts: %s", name, doc["_id"], new_state["attempts"],
                        sent.detail)
        return new_state

    def _failed(self, doc: Doc, exc: Exception) -> Outcome:
        """Every channel still open ends `failed` with the reason: the same input would fail the same."""
        reason = f"could not be prepared: {type(exc).__name__}: {exc}"[:300]
        now, channels = self._clock(), {}
        for name, state in (doc.get("channels") or {}).items():
            if isinstance(state, Mapping) and state.get("status") in delivery.OPEN:
                state, _ = delivery.after_attempt(state, SendResult(False, reason, permanent=True), now,
                                                  self._policy)
                self._count(name, "failed")
            channels[name] = state
        return Outcome(doc.get("_id"), channels, None)

    def idle(self) -> None:
        """Nothing to do: do not keep an SMTP connection open for nothing."""
        self._email.close()

    def close(self) -> None:
        self._email.close()
        self._webhook.close()
