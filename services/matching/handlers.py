"""What matching does with the profiles and goals streams: keep its own view of people current.

Idempotent: versions guard every write, and departures find nothing left to do when replayed.
"""

from __future__ import annotations

from collections.abc import Callable

from services.matching import people
from services.matching.departures import ERASED, LEFT_COMPANY, Departures
from services.matching.repos import Repositories
from shared.events import Event


class PeopleHandlers:
    def __init__(self, repos_factory: Callable[[], Repositories]):
        self._repos = repos_factory

    def profile_changed(self, event: Event) -> None:
        """A newer profile replaces the stored one; someone terminated leaves every program."""
        repos = self._repos()
        repos.people.apply_profile(event.data)
        current = repos.people.get(event.data["employee_id"])
        if people.is_gone(current):  # also on a replayed old version: finishes an interrupted departure
            Departures(repos).leave_company(event.data["employee_id"], ERASED if current.get("erased")
                                            else LEFT_COMPANY)

    def profile_deleted(self, event: Event) -> None:
        """Erasure: personal data goes, enrollments are withdrawn and open mentorships end."""
        repos = self._repos()
        repos.people.apply_erasure(event.data["employee_id"], event.data["version"])
        current = repos.people.get(event.data["employee_id"])
        if people.is_gone(current):
            Departures(repos).leave_company(event.data["employee_id"], ERASED if current.get("erased")
                                            else LEFT_COMPANY)

    def goal_changed(self, event: Event) -> None:
        """Goal target skills feed scoring; progress times feed the stalled-goals signal."""
        repos = self._repos()
        person = repos.people.get(event.data["employee_id"])
        if person is not None and person.get("erased"):
            return  # an erased person's goals are not kept, even when their events are replayed
        previous = event.data.get("previous_progress")
        progressed = event.type != "mentoring.goal.progressed" or previous is None \
            or previous != event.data["progress"]
        repos.people.apply_goal(event.data, progressed)

    def table(self) -> dict[str, Callable[[Event], None]]:
        return {"mentoring.profile.created": self.profile_changed, "mentoring.profile.updated": self.profile_changed,
                "mentoring.profile.deleted": self.profile_deleted, "mentoring.goal.created": self.goal_changed,
                "mentoring.goal.progressed": self.goal_changed, "mentoring.goal.completed": self.goal_changed}


def handlers(repos_factory: Callable[[], Repositories]) -> dict[str, Callable[[Event], None]]:
    """HANDLERS for the worker's consumer: event type -> function."""
    return PeopleHandlers(repos_factory).table()
