"""Scheduled jobs (reminders, nudges, digests), run by the worker on the real clock or on demand "as of".

A job only gathers projections and hands them to the pure rules; notification ids make a second
run for the same period (or a concurrent one on another replica) create nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.notifications.domain.digest import weekly_digests
from services.notifications.domain.notices import Notice
from services.notifications.domain.schedule import checkin_nudges, session_reminders
from services.notifications.projections import Projections
from services.notifications.queue import DispatchQueue
from services.notifications.repository import NotificationRepository
from services.notifications.service import Notifier

JOBS = ("reminders", "nudges", "digests")
Found = tuple[list[Notice], dict[str, dict[str, Any]]]  # the notices, and the people they concern


@dataclass(frozen=True)
class JobReport:
    job: str
    as_of: datetime
    created: int
    already_sent: int


class JobRunner:
    def __init__(self, projections: Projections, repo: NotificationRepository, queue: DispatchQueue,
                 reminder_lead: timedelta = timedelta(hours=24), on_created: Callable[[], None] | None = None):
        self._projections, self._repo, self._lead = projections, repo, reminder_lead
        self._notifier = Notifier(repo, queue, on_created)

    def run(self, job: str, as_of: datetime) -> JobReport:
        notices, people = {"reminders": self.reminders, "nudges": self.nudges, "digests": self.digests}[job](as_of)
        created = self._notifier.notify(notices, people)
        return JobReport(job, as_of, created, len(notices) - created)

    def reminders(self, as_of: datetime) -> Found:
        sessions = self._projections.sessions_starting(as_of, as_of + self._lead)
        people = self._projections.people_by_id(s[f"{r}_id"] for s in sessions for r in ("mentor", "mentee"))
        programs = self._projections.programs_by_id(s["program_id"] for s in sessions)
        return session_reminders(sessions, people, programs, as_of, self._lead), people

    def nudges(self, as_of: datetime) -> Found:
        mentorships = self._projections.active_mentorships()
        programs = self._projections.programs_by_id(m.get("program_id") for m in mentorships)
        ids = [m[f"{r}_id"] for m in mentorships for r in ("mentor", "mentee")]
        ids += [p["admin_id"] for p in programs.values() if p.get("admin_id")]
        people = self._projections.people_by_id(ids)
        return checkin_nudges(mentorships, programs, people, as_of), people

    def digests(self, as_of: datetime) -> Found:
        mentorships = self._projections.active_mentorships()
        participants = {m[f"{r}_id"] for m in mentorships for r in ("mentor", "mentee")}
        people = self._projections.people_by_id(participants)
        managers = {person.get("manager_id") for person in people.values()} - {None}
        people |= self._projections.people_by_id(managers)
        sessions = self._projections.sessions_of(m["_id"] for m in mentorships)
        goals = self._projections.goals_of(participants)
        return weekly_digests(mentorships, people, sessions, goals, as_of, self._repo.digest_off()), people
