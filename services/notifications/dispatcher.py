"""The dispatcher: wins queued rounds, fills the inbox, holds through quiet hours, sends, retries, records.

A round is won by inserting its claim, so replicas never work on one notification at once. The
winner writes inbox copies, then attempt records (a final one with its `mentoring.notification.*`
event), then the next round (a retry after backoff, or the end of quiet hours) as a timer, and
only then drops the finished round from the queue.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.notifications.channels.mail import EmailSender
from services.notifications.channels.webhook import WebhookSender
from services.notifications.domain import delivery
from services.notifications.domain.delivery import SendResult
from services.notifications.domain.quiet_hours import quiet_until
from services.notifications.messages import render, webhook_payload
from services.notifications.metrics import NOTIFICATIONS
from services.notifications.projections import Projections
from services.notifications.queue import DispatchQueue, entry_for
from services.notifications.repository import NotificationRepository
from services.notifications.service import attempt_record, contact_of, inbox_item
from services.notifications.settings import NotifySettings
from shared.timeutil import utcnow

log = logging.getLogger(__name__)

LOOK_AGAIN_AFTER = timedelta(seconds=5)  # a round others hold longer than this is checked, not just skipped


@dataclass
class Round:
    """What the won rounds of one pass produced; written together, in a crash-safe order."""

    inbox: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    later: list[dict[str, Any]] = field(default_factory=list)


class Dispatcher:
    def __init__(self, repo: NotificationRepository, queue: DispatchQueue, projections: Projections,
                 email: EmailSender, webhook: WebhookSender, settings: NotifySettings,
                 clock: Callable[[], datetime] = utcnow):
        self._repo, self._queue, self._projections = repo, queue, projections
        self._email, self._webhook = email, webhook
        self._settings, self._policy, self._clock = settings, settings.retry, clock

    def run_once(self) -> int:
        """One pass over the head of the queue; returns how many rounds this dispatcher won."""
        now = self._clock()
        self._queue.release_timers(now)
        won = self._claim(self._queue.head(2 * self._settings.dispatch_batch), now)
        if not won:
            self._email.close()  # idle: do not keep an SMTP connection open for nothing
            return 0
        result = Round()
        for entry in self._with_contacts(won):
            try:
                self._dispatch(entry, result)
            except Exception as exc:  # this notification fails alone; the loop and the batch go on
                log.exception("notification %s could not be dispatched", entry["notification_id"])
                self._fail_alone(entry, exc, result)
        self._repo.add_to_inbox(result.inbox)
        self._queue.finish(result.records, result.later, [e["_id"] for e in won])
        return len(won)

    def _claim(self, head: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
        random.shuffle(head)  # replicas reading the same head then split it instead of colliding in order
        head = head[:self._settings.dispatch_batch]
        until = now + timedelta(seconds=self._settings.claim_seconds)
        won_ids = self._queue.claim(head, until)
        won = [e for e in head if e["_id"] in won_ids]
        lost = [e for e in head if e["_id"] not in won_ids and e["due"] < now - LOOK_AGAIN_AFTER]
        stuck = now - timedelta(seconds=self._settings.claim_seconds)
        for entry in lost:  # held by another dispatcher for a while: a stale copy, or a stopped claimer?
            if self._queue.is_stale_copy(entry):
                self._queue.drop(entry)
            elif entry["due"] < stuck and self._queue.take_over(entry, now, until):
                log.warning("took over %s from a dispatcher that stopped", entry["_id"])
                won.append({**entry, "taken_over": True})
        return won

    def _with_contacts(self, won: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each recipient as known now: their current address (a notice may predate their profile, as
        topics are not ordered against each other), and nothing more for the erased. An erasure that
        landed while another round of theirs was being worked on left that round's writes behind;
        they go now."""
        people = self._projections.people_by_id({e["recipient_id"] for e in won})
        ready, erased = [], set()
        for entry in won:
            person = people.get(entry["recipient_id"])
            if person is not None and person.get("erased"):
                erased.add(entry["recipient_id"])
                continue
            ready.append({**entry, "contact": contact_of(person)} if person else entry)
        for employee_id in erased:
            self._repo.erase(employee_id)
            self._queue.erase(employee_id)
        return ready

    def _dispatch(self, entry: dict[str, Any], result: Round) -> None:
        channels, now = dict(entry["channels"]), self._clock()
        message = render(entry["kind"], entry["facts"])
        if channels.get("inbox", {}).get("status") == "pending":
            channels["inbox"] = self._adopted(entry, "inbox", channels["inbox"]) or self._to_inbox(
                entry, message, now, result)
        contact = entry.get("contact") or {}
        hold = quiet_until(now, contact.get("timezone"), entry.get("quiet_hours"))
        for name in delivery.PUSH_CHANNELS:
            state = channels.get(name)
            if state is None or not delivery.is_due(state, now):
                continue
            if hold is not None:
                channels[name] = delivery.held(state, now, hold)
                NOTIFICATIONS.labels(name, "held").inc()
                continue
            channels[name] = self._adopted(entry, name, state) or self._attempt(entry, name, state, message,
                                                                               result)
        due = delivery.next_dispatch(channels)
        if due is not None:
            result.later.append(entry_for(entry, entry["round"] + 1, due, channels))

    def _fail_alone(self, entry: dict[str, Any], exc: Exception, result: Round) -> None:
        """Every channel still open ends `failed` with the reason: retrying the same input fails the same."""
        reason = f"could not be prepared: {type(exc).__name__}: {exc}"[:300]
        for name, state in entry["channels"].items():
            if state["status"] in delivery.OPEN:
                failed, ended = delivery.after_attempt(state, SendResult(False, reason, permanent=True),
                                                       self._clock(), self._policy)
                result.records.append(attempt_record(entry, name, failed, ended))
                NOTIFICATIONS.labels(name, "failed").inc()

    def _to_inbox(self, entry: Mapping[str, Any], message, now: datetime, result: Round) -> dict[str, Any]:
        state = delivery.delivered_in_inbox(now)
        result.inbox.append(inbox_item(entry, message, now))
        result.records.append(attempt_record(entry, "inbox", state, "delivered"))
        NOTIFICATIONS.labels("inbox", "delivered").inc()
        return state

    def _adopted(self, entry: Mapping[str, Any], name: str, state: Mapping[str, Any]) -> dict[str, Any] | None:
        """After a takeover, an attempt the stopped dispatcher already recorded is not made again."""
        if not entry.get("taken_over"):
            return None
        earlier = self._queue.recorded(f"{entry['notification_id']}:{name}:{state['attempts'] + 1}")
        return dict(earlier["state"]) if earlier else None

    def _attempt(self, entry: Mapping[str, Any], name: str, state: Mapping[str, Any], message,
                 result: Round) -> dict[str, Any]:
        outgoing = {"_id": entry["notification_id"], "kind": entry["kind"], "subject": message.subject,
                    "text": message.text, "html": message.html, "attachments": entry.get("attachments", []),
                    "payload": webhook_payload(entry, message)}
        try:
            sent = (self._email.send(outgoing, entry.get("contact")) if name == "email"
                    else self._webhook.send(outgoing, state["url"]))
        except Exception as exc:  # an adapter bug or an input it did not foresee: this delivery only
            log.exception("%s channel raised for %s", name, entry["notification_id"])
            sent = SendResult(False, f"{name} channel error: {type(exc).__name__}: {exc}"[:300], permanent=True)
        new_state, ended = delivery.after_attempt(state, sent, self._clock(), self._policy)
        result.records.append(attempt_record(entry, name, new_state, ended))
        NOTIFICATIONS.labels(name, ended or "retried").inc()
        if ended == "failed":
            log.warning("%s delivery of %s failed after %d attempts: %s", name, entry["notification_id"],
                        new_state["attempts"], sent.detail)
        return new_state

    def close(self) -> None:
        self._email.close()
        self._webhook.close()
