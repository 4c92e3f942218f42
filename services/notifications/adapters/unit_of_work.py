"""NotificationsUnitOfWork: this service's repositories on one store session, and batched reactions.

The consumer applies a whole partition batch in one transaction. Handlers only `defer` their event to
a use case; `flush()` (before the commit) runs each use case once per run of consecutive events of its
kind, so a batch of 200 `mentorship.started` is a handful of `$in` reads and bulk writes, and events
still apply in their order. A use case that fails is reported against the first event of its run;
the consumer then applies the batch event by event, so only the poison one is dead-lettered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import groupby
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import ConnectionFailure, PyMongoError

from services.notifications.adapters.handoff import NoHandoff
from services.notifications.adapters.notifications import MongoNotifications
from services.notifications.adapters.people import MongoGoals, MongoPeople
from services.notifications.adapters.preferences import MongoPreferences
from services.notifications.adapters.program import MongoFeedback, MongoMentorships, MongoPrograms, MongoSessions
from services.notifications.domain.notices import TRACE
from services.notifications.use_cases.ports import Handoff
from shared import tracing
from shared.consumer import HandlerFailed, InfrastructureUnavailable
from shared.events import Event
from shared.events.envelope import thaw
from shared.unit_of_work import MongoUnitOfWork, is_transient

UseCase = Callable[[Any, Sequence[Mapping[str, Any]]], None]


class NotificationsUnitOfWork(MongoUnitOfWork):
    service = "notifications"

    def __init__(self, db: Database, session: ClientSession | None = None, handoff: Handoff | None = None):
        super().__init__(db, session)
        self.people, self.goals = MongoPeople(db, session), MongoGoals(db, session)
        self.programs, self.mentorships = MongoPrograms(db, session), MongoMentorships(db, session)
        self.sessions, self.feedback = MongoSessions(db, session), MongoFeedback(db, session)
        self.preferences, self.notifications = MongoPreferences(db, session), MongoNotifications(db, session)
        self.handoff: Handoff = handoff or NoHandoff()
        self._deferred: list[tuple[UseCase, Event, str | None]] = []

    def defer(self, use_case: UseCase, event: Event) -> None:
        """Apply `event` through `use_case` at `flush`, batched with its neighbours of the same kind; the
        trace it is handled in (the consumer's span for it) goes with it."""
        self._deferred.append((use_case, event, tracing.current_traceparent() or event.traceparent))

    def flush(self) -> None:
        deferred, self._deferred = self._deferred, []
        for use_case, events in _runs(deferred):
            try:
                use_case(self, [with_trace(e, trace) for e, trace in events])
            except (ConnectionFailure, InfrastructureUnavailable):
                raise
            except PyMongoError as exc:
                if is_transient(exc):
                    raise
                raise HandlerFailed(events[0][0], exc) from exc
            except Exception as exc:  # a use-case bug or bad data: found out event by event
                raise HandlerFailed(events[0][0], exc) from exc


def with_trace(event: Event, trace: str | None) -> dict:
    """The event's data, with the trace it was handled in (under `traceparent`, which no data schema
    uses), so what a batch use case issues for it joins that trace."""
    data = thaw(event.data)
    return {**data, TRACE: trace} if trace else data


Traced = tuple[Event, str | None]  # an event and the trace it was handled in


def _runs(deferred: list[tuple[UseCase, Event, str | None]]) -> Iterator[tuple[UseCase, list[Traced]]]:
    for use_case, run in groupby(deferred, key=lambda entry: entry[0]):
        yield use_case, [(event, trace) for _, event, trace in run]


def unit_of_work_with(handoff: Handoff | None) -> Callable[[Database, ClientSession], NotificationsUnitOfWork]:
    """What the shared consumer builds per batch: a unit of work that hands new notifications to `handoff`."""
    return lambda db, session: NotificationsUnitOfWork(db, session, handoff)
