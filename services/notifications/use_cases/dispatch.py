"""The dispatcher: sends every due notification at most once, in batches, and never leaves one stuck.

**The model.** One document per notification holds each channel's delivery state (pending → held →
delivered | failed, with its attempt log) and `due`: when a dispatcher must look at it next. A
document without `due` has ended on every channel; every other one is due in the future, due now,
or claimed by a dispatcher until its lease ends. Nothing else describes a delivery.

**Claiming: a lease, in batches.** A dispatcher reads the ids of up to `batch` notifications with
`due <= now` (an index range), then claims them with one `update_many` conditioned on `due <= now`
again, setting a fresh token and `due = now + lease`; it reads back what carries its token. The
condition makes each document's claim atomic: of two dispatchers racing for a notification, one
update matches. While claimed, a notification is due only when the lease ends, so nobody else takes
it unless its claimer stopped. Notifications the consumer creates in this process are stored already
claimed for this process's dispatcher (in the consumer's transaction) and handed over in memory
after the commit (`handoff`): no claim round trip and no poll delay.

**Sending, then recording.** A batch is worked through in groups: the group's people, programs, pairs
and preferences are read as they are now (names, addresses, quiet hours, erasure), each notification
is decided (`delivering`) and sent, and the group's outcomes are written in one transaction: a bulk
update of the documents, each conditioned on still carrying this claim's token (it releases the
claim and sets the next `due` or removes it), and one outbox document with the events of the
channels that ended. If an update does not match — the lease ran out and another dispatcher took
the notification — nothing is committed, and what is still held is recorded without it.

**At most once.** A delivery is attempted only under a live claim, and recording moves `due` past
the attempt, so a second attempt needs the first claim to have ended unrecorded. A dispatcher sends
nothing once its lease is within `margin` of its end (it releases the rest), so that happens only if
its process dies, or loses the store, between an SMTP server accepting a message and the group's
record: at most one group, resent with the same `Message-ID`, by which mail systems know the copy.
Replays, repeated jobs and more replicas add nothing: a notification's id is its (rule, recipient,
occasion) and is inserted once.

**Never stuck.** Every document has ended or has a `due` some dispatcher reaches: its next retry or
the end of quiet hours, a recheck while a person it names is not known yet (bounded: after
`people_wait` it goes out with what is known), or the end of a stopped dispatcher's lease. Anything
that cannot be prepared or sent — a template value, an address, a webhook's answer — ends that
notification's open channels `failed` with the reason; the loop and the batch go on.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.notifications.domain.delivery import unannounced
from services.notifications.use_cases.composing import known_for
from services.notifications.use_cases.delivering import Delivery
from services.notifications.use_cases.ports import Claim, Doc, Outcome, UnitOfWork
from shared.events import Event, new_event
from shared.events import catalog as ev
from shared.timeutil import utcnow

log = logging.getLogger(__name__)

SOURCE = "/tandem/notifications"
Taken = tuple[Claim, list[Doc]]


@dataclass(frozen=True)
class DispatchPace:
    batch: int = 200
    group: int = 50
    lease: timedelta = timedelta(seconds=120)

    @property
    def margin(self) -> timedelta:
        """Stop sending this long before a lease ends, so the record lands while it still holds."""
        return min(timedelta(seconds=30), self.lease / 4)


class Dispatcher:
    def __init__(self, uow: UnitOfWork, delivery: Delivery, pace: DispatchPace,
                 take: Callable[[], Taken | None] = lambda: None, clock: Callable[[], datetime] = utcnow,
                 count: Callable[[str, str], None] = lambda channel, outcome: None):
        self._uow, self._delivery, self._pace, self._take = uow, delivery, pace, take
        self._clock, self._count = clock, count
        self._batch = pace.batch  # halved while claims take too long for the lease, so work always gets done

    def run_once(self) -> int:
        """Work one batch (handed over, or claimed from the store); returns how many notifications."""
        taken = self._take() or self._claim()
        if taken is None:
            self._delivery.idle()
            return 0
        claim, docs = taken
        for start in range(0, len(docs), self._pace.group):
            now = self._clock()
            if now >= claim.until - self._pace.margin:
                self._release(claim, docs[start:], now, worked=start)
                break
            self._work(claim, docs[start:start + self._pace.group])
        else:
            self._batch = min(self._pace.batch, self._batch * 2)
        return len(docs)

    def _claim(self) -> Taken | None:
        now = self._clock()
        claim = Claim(uuid.uuid4().hex, now + self._pace.lease)
        docs = self._uow.notifications.claim_due(now, claim, self._batch)
        return (claim, docs) if docs else None

    def _release(self, claim: Claim, rest: list[Doc], now: datetime, worked: int) -> None:
        """The lease is nearly over: send nothing more, give the rest back, claim less next time."""
        log.warning("lease nearly over after %d notifications; releasing %d", worked, len(rest))
        self._uow.notifications.release(claim, [d["_id"] for d in rest], now)
        self._batch = max(1, self._batch // 2)

    def _work(self, claim: Claim, docs: list[Doc]) -> None:
        known = known_for(self._uow, docs)
        prefs = self._uow.preferences.of({d["recipient_id"] for d in docs})
        outcomes, events = [], []
        for doc in docs:
            if known.erased(doc["recipient_id"]):
                continue  # erased meanwhile: the erasure removed their notifications
            outcome = self._delivery.decide(doc, known, prefs.get(doc["recipient_id"], {}))
            outcome, told = self._announce(doc, outcome)
            outcomes.append(outcome)
            events += told
        self._uow.notifications.record(claim, outcomes, events)

    def _announce(self, doc: Doc, outcome: Outcome) -> tuple[Outcome, list[Event]]:
        """The delivered/failed event of each channel that ended, recorded with the outcome."""
        channels, events = dict(outcome.channels), []
        for name in unannounced(channels):
            channels[name] = {**channels[name], "announced": True}
            try:
                events.append(outcome_event(doc, name, channels[name]))
            except Exception:  # an id the bus would refuse: the delivery stands, its event cannot
                log.exception("no outcome event for %s on %s", doc.get("_id"), name)
            if name == "inbox":
                self._count(name, channels[name]["status"])
        return Outcome(outcome.notification_id, channels, outcome.due), events


def outcome_event(doc: Mapping[str, Any], channel: str, state: Mapping[str, Any]) -> Event:
    """`mentoring.notification.delivered|failed`, keyed by the recipient."""
    kind = ev.NOTIFICATION_DELIVERED if state["status"] == "delivered" else ev.NOTIFICATION_FAILED
    data = {"notification_id": doc["_id"], "recipient_id": doc["recipient_id"], "kind": doc["kind"],
            "channel": channel, "status": state["status"], "attempts": state["attempts"],
            "reason": state.get("reason"), "program_id": doc.get("program_id")}
    return new_event(kind, data, source=SOURCE)
