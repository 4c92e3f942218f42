"""What analytics does with each event on the bus: one page, event type -> handler(event, uow).

Each handler turns the event into its fact (domain/facts.py) and hands it to the projection use case.
Types not listed (matching runs, notification outcomes) are skipped by the shared consumer.
"""

from __future__ import annotations

from services.analytics.domain import facts as f
from services.analytics.use_cases import projection
from services.analytics.use_cases.ports import UnitOfWork
from shared.events import Event
from shared.events import catalog as ev


def profile_changed(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.profile_fact(event, uow.pseudonymise))


def profile_deleted(event: Event, uow: UnitOfWork) -> None:
    projection.erase(uow, f.erasure(event, uow.pseudonymise))


def goal_changed(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.goal_fact(event, uow.pseudonymise))


def program_created(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.program_fact(event))


def enrolled(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.enrollment_fact(event, uow.pseudonymise, "enrolled"))


def withdrew(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.enrollment_fact(event, uow.pseudonymise, "withdrawn"))


def mentorship_changed(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.mentorship_fact(event, uow.pseudonymise))


def session_changed(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.session_fact(event, uow.pseudonymise))


def feedback_submitted(event: Event, uow: UnitOfWork) -> None:
    projection.record(uow, f.feedback_fact(event, uow.pseudonymise))


EVENT_HANDLERS = {
    ev.PROFILE_CREATED: profile_changed,
    ev.PROFILE_UPDATED: profile_changed,
    ev.PROFILE_DELETED: profile_deleted,
    ev.GOAL_CREATED: goal_changed,
    ev.GOAL_PROGRESSED: goal_changed,
    ev.GOAL_COMPLETED: goal_changed,
    ev.PROGRAM_CREATED: program_created,
    ev.ENROLLMENT_CREATED: enrolled,
    ev.ENROLLMENT_WITHDRAWN: withdrew,
    ev.MENTORSHIP_PROPOSED: mentorship_changed,
    ev.MENTORSHIP_STARTED: mentorship_changed,
    ev.MENTORSHIP_DECLINED: mentorship_changed,
    ev.MENTORSHIP_ENDED: mentorship_changed,
    ev.SESSION_SCHEDULED: session_changed,
    ev.SESSION_COMPLETED: session_changed,
    ev.SESSION_CANCELLED: session_changed,
    ev.FEEDBACK_SUBMITTED: feedback_submitted,
}
