"""What matching does with the profiles and goals streams: keep its own view of people current.

One line per event type; each handler calls a use case with the unit of work the idempotent
consumer (shared.consumer) opened for the batch.
"""

from __future__ import annotations

from services.matching.use_cases import directory
from services.matching.use_cases.ports import UnitOfWork
from shared.events import Event
from shared.events import catalog as ev


def profile_changed(event: Event, uow: UnitOfWork) -> None:
    directory.profile_changed(uow, event.data)


def profile_deleted(event: Event, uow: UnitOfWork) -> None:
    directory.profile_erased(uow, event.data["employee_id"], event.data["version"])


def goal_changed(event: Event, uow: UnitOfWork) -> None:
    """A progress event that did not move the progress leaves the goal's last-progress time alone."""
    previous = event.data.get("previous_progress")
    progressed = event.type != ev.GOAL_PROGRESSED.name or previous is None or previous != event.data["progress"]
    directory.goal_changed(uow, event.data, progressed)


EVENT_HANDLERS = {
    ev.PROFILE_CREATED: profile_changed,
    ev.PROFILE_UPDATED: profile_changed,
    ev.PROFILE_DELETED: profile_deleted,
    ev.GOAL_CREATED: goal_changed,
    ev.GOAL_PROGRESSED: goal_changed,
    ev.GOAL_COMPLETED: goal_changed,
}
