"""What reacts to what: every event this service consumes, and the use case it feeds. One page.

A handler defers its event to the use case; the unit of work runs each use case once per run of
consecutive events of its kind, inside the consumer's transaction for the partition batch.
"""

from __future__ import annotations

from services.notifications.adapters.unit_of_work import NotificationsUnitOfWork, UseCase
from services.notifications.use_cases import erasure, reactions, tracking
from shared.consumer import Handler
from shared.events import Event
from shared.events import catalog as ev


def batched(use_case: UseCase) -> Handler:
    def handle(event: Event, uow: NotificationsUnitOfWork) -> None:
        uow.defer(use_case, event)

    handle.__name__ = f"on_{use_case.__name__}"
    return handle


EVENT_HANDLERS: dict[ev.EventType, Handler] = {
    ev.PROFILE_CREATED: batched(tracking.record_profiles),
    ev.PROFILE_UPDATED: batched(tracking.record_profiles),
    ev.PROFILE_DELETED: batched(erasure.erase_people),
    ev.PROGRAM_CREATED: batched(tracking.record_programs),
    ev.MENTORSHIP_PROPOSED: batched(reactions.introduce_pairs),
    ev.MENTORSHIP_STARTED: batched(reactions.tell_managers_of_starts),
    ev.MENTORSHIP_DECLINED: batched(tracking.record_mentorships),
    ev.MENTORSHIP_ENDED: batched(tracking.record_mentorships),
    ev.SESSION_SCHEDULED: batched(tracking.record_sessions),
    ev.SESSION_COMPLETED: batched(tracking.record_sessions),
    ev.SESSION_CANCELLED: batched(tracking.record_sessions),
    ev.FEEDBACK_SUBMITTED: batched(tracking.record_feedback),
    ev.GOAL_CREATED: batched(tracking.record_goals),
    ev.GOAL_PROGRESSED: batched(tracking.record_goals),
    ev.GOAL_COMPLETED: batched(reactions.tell_managers_of_goals),
}
