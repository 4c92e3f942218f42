"""Scheduled jobs (reminders, nudges, digests), run by the worker on the real clock or on demand "as of".

A job gathers projections and hands them to the pure rules; notification ids make a second run for
the same period (or a concurrent one on another replica) create nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.notifications.domain.digest import weekly_digests
from services.notifications.domain.notices import Notice
from services.notifications.domain.schedule import checkin_nudges, session_reminders
from services.notifications.use_cases.issuing import issue
from services.notifications.use_cases.ports import Doc, UnitOfWork
from services.notifications.use_cases.reactions import with_managers

JOBS = ("reminders", "nudges", "digests")
PAIR_ROLES = ("mentor", "mentee")


@dataclass(frozen=True)
class JobReport:
    job: str
    as_of: datetime
    created: int
    already_sent: int


def run_job(uow: UnitOfWork, job: str, as_of: datetime, reminder_lead: timedelta = timedelta(hours=24)) -> JobReport:
    """Create the job's notifications due as of `as_of`; say how many were new."""
    finders: dict[str, Callable[[], list[Notice]]] = {
        "reminders": lambda: reminders(uow, as_of, reminder_lead), "nudges": lambda: nudges(uow, as_of),
        "digests": lambda: digests(uow, as_of)}
    notices = list({n.notification_id: n for n in finders[job]()}.values())
    created = issue(uow, notices)
    return JobReport(job, as_of, created, len(notices) - created)


def reminders(uow: UnitOfWork, as_of: datetime, lead: timedelta) -> list[Notice]:
    sessions = uow.sessions.starting(as_of, as_of + lead)
    people = uow.people.by_id(s[f"{role}_id"] for s in sessions for role in PAIR_ROLES)
    return session_reminders(sessions, people, as_of, lead)


def nudges(uow: UnitOfWork, as_of: datetime) -> list[Notice]:
    pairs = active_pairs(uow)
    programs = uow.programs.by_id(m.get("program_id") for m in pairs)
    admins = [p["admin_id"] for p in programs.values() if p.get("admin_id")]
    people = uow.people.by_id([*(m[f"{role}_id"] for m in pairs for role in PAIR_ROLES), *admins])
    return checkin_nudges(pairs, programs, people, as_of)


def digests(uow: UnitOfWork, as_of: datetime) -> list[Notice]:
    pairs = active_pairs(uow)
    participants = {m[f"{role}_id"] for m in pairs for role in PAIR_ROLES}
    people = with_managers(uow, participants)
    sessions = uow.sessions.of_mentorships(m["mentorship_id"] for m in pairs)
    return weekly_digests(pairs, people, sessions, uow.goals.of(participants), as_of, uow.preferences.digest_off())


def active_pairs(uow: UnitOfWork) -> list[Doc]:
    """Active mentorships, each with its last completed session (if any): the check-in anchor."""
    pairs = uow.mentorships.active()
    last: dict[str, Doc] = {}
    for session in uow.sessions.of_mentorships(m["mentorship_id"] for m in pairs):
        done = session.get("completed_at") or session.get("scheduled_at")
        mine = last.get(session["mentorship_id"])
        if session["status"] == "completed" and (mine is None or done > mine["last_completed_at"]):
            last[session["mentorship_id"]] = {"last_completed_at": done,
                                              "last_completed_session_id": session["session_id"]}
    return [{**m, **last.get(m["mentorship_id"], {})} for m in pairs]
