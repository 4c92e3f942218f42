"""Event → projection update → rules → notifications. One dict says what reacts to what."""

from __future__ import annotations

from collections.abc import Callable

from services.notifications.domain import rules
from services.notifications.projections import Projections
from services.notifications.queue import DispatchQueue
from services.notifications.repository import NotificationRepository
from services.notifications.service import Notifier
from shared.events import Event
from shared.events.envelope import thaw

Handler = Callable[[Event], None]


def build_handlers(projections: Projections, repo: NotificationRepository, queue: DispatchQueue,
                   on_created: Callable[[], None] | None = None) -> dict[str, Handler]:
    notifier = Notifier(repo, queue, on_created)

    def notify(notices: list, people: dict) -> None:
        notifier.notify(notices, people, repair=True)  # a redelivery may find a notice recorded but not queued

    def on_profile(event: Event) -> None:
        projections.record_person(event.data)

    def on_profile_deleted(event: Event) -> None:
        projections.erase_person(event.data["employee_id"], event.data["version"])
        repo.erase(event.data["employee_id"])
        queue.erase(event.data["employee_id"])

    def on_program(event: Event) -> None:
        projections.record_program(event.data)

    def on_mentorship(event: Event) -> None:
        projections.record_mentorship(event.data)

    def on_proposed(event: Event) -> None:
        data = thaw(event.data)
        projections.record_mentorship(data)
        people = projections.people_by_id([data["mentor_id"], data["mentee_id"]])
        notify(rules.introductions(data, people, _program(data["program_id"])), people)

    def on_started(event: Event) -> None:
        data = thaw(event.data)
        projections.record_mentorship(data)
        people = with_manager(data["mentee_id"], data["mentor_id"])
        notify(rules.manager_on_start(data, people, _program(data["program_id"])), people)

    def on_session(event: Event) -> None:
        projections.record_session(event.data)

    def on_feedback(event: Event) -> None:
        projections.record_feedback(event.data)

    def on_goal(event: Event) -> None:
        projections.record_goal(event.data)

    def on_goal_completed(event: Event) -> None:
        data = thaw(event.data)
        projections.record_goal(data)
        people = with_manager(data["employee_id"])
        goals = projections.goals_of([data["employee_id"]])
        notify(rules.manager_on_goal_completed(data, people, goals), people)

    def with_manager(report_id: str, *others: str) -> dict:
        """These people and the report's manager, as this service knows them."""
        people = projections.people_by_id([report_id, *others])
        manager = (people.get(report_id) or {}).get("manager_id")
        return people | projections.people_by_id([manager] if manager else [])

    def _program(program_id: str) -> dict | None:
        return projections.programs_by_id([program_id]).get(program_id)

    return {
        "mentoring.profile.created": on_profile,
        "mentoring.profile.updated": on_profile,
        "mentoring.profile.deleted": on_profile_deleted,
        "mentoring.program.created": on_program,
        "mentoring.mentorship.proposed": on_proposed,
        "mentoring.mentorship.started": on_started,
        "mentoring.mentorship.declined": on_mentorship,
        "mentoring.mentorship.ended": on_mentorship,
        "mentoring.session.scheduled": on_session,
        "mentoring.session.completed": on_session,
        "mentoring.session.cancelled": on_session,
        "mentoring.feedback.submitted": on_feedback,
        "mentoring.goal.created": on_goal,
        "mentoring.goal.progressed": on_goal,
        "mentoring.goal.completed": on_goal_completed,
    }
