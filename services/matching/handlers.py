"""What matching does with the profiles and goals streams: keep its own view of people current.

Idempotent: versions guard every write, and departures find nothing left to do when replayed.
"""

from __future__ import annotations

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.departures import ERASED, LEFT_COMPANY, Departures
from services.matching.domain import people
from shared.events import Event
from shared.events import catalog as ev


class PeopleHandlers:
    def profile_changed(self, event: Event, repos: MatchingUnitOfWork) -> None:
        """A newer profile replaces the stored one; someone terminated leaves every program."""
        repos.people.apply_profile(event.data)
        current = repos.people.get(event.data["employee_id"])
        if people.is_gone(current):  # also on a replayed old version: finishes an interrupted departure
            Departures(repos).leave_company(event.data["employee_id"], ERASED if current.get("erased")
                                            else LEFT_COMPANY)

    def profile_deleted(self, event: Event, repos: MatchingUnitOfWork) -> None:
        """Erasure: personal data goes, enrollments are withdrawn and open mentorships end."""
        repos.people.apply_erasure(event.data["employee_id"], event.data["version"])
        current = repos.people.get(event.data["employee_id"])
        if people.is_gone(current):
            Departures(repos).leave_company(event.data["employee_id"], ERASED if current.get("erased")
                                            else LEFT_COMPANY)

    def goal_changed(self, event: Event, repos: MatchingUnitOfWork) -> None:
        """Goal target skills feed scoring; progress times feed the stalled-goals signal."""
        person = repos.people.get(event.data["employee_id"])
        if person is not None and person.get("erased"):
            return  # an erased person's goals are not kept, even when their events are replayed
        previous = event.data.get("previous_progress")
        progressed = event.type != ev.GOAL_PROGRESSED.name or previous is None \
            or previous != event.data["progress"]
        repos.people.apply_goal(event.data, progressed)


_people = PeopleHandlers()
EVENT_HANDLERS = {ev.PROFILE_CREATED: _people.profile_changed, ev.PROFILE_UPDATED: _people.profile_changed,
                  ev.PROFILE_DELETED: _people.profile_deleted, ev.GOAL_CREATED: _people.goal_changed,
                  ev.GOAL_PROGRESSED: _people.goal_changed, ev.GOAL_COMPLETED: _people.goal_changed}
