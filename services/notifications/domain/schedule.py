"""Rules that depend on the clock: session reminders and check-in nudges, evaluated "as of" a moment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from services.notifications.domain.notices import (
    CHECKIN_ESCALATION,
    CHECKIN_NUDGE,
    SESSION_REMINDER,
    Notice,
    notification_id,
    reachable,
)
from services.notifications.domain.rules import People

REMINDER_LEAD = timedelta(hours=24)
Programs = Mapping[str, Mapping[str, Any]]
PAIR = (("mentor", "mentee"), ("mentee", "mentor"))


def reminder_due(session: Mapping[str, Any], as_of: datetime, lead: timedelta = REMINDER_LEAD) -> bool:
    """A scheduled session starting within the next `lead` (24 h) of `as_of`."""
    starts = session.get("scheduled_at")
    return session.get("status") == "scheduled" and starts is not None and as_of < starts <= as_of + lead


def session_reminders(sessions: Iterable[Mapping[str, Any]], people: People, as_of: datetime,
                      lead: timedelta = REMINDER_LEAD) -> list[Notice]:
    """Both members of each pair, 24 h before a session (the .ics invite is rendered with the message)."""
    notices = []
    for session in sessions:
        if not reminder_due(session, as_of, lead):
            continue
        pair = {"mentor": session["mentor_id"], "mentee": session["mentee_id"]}
        facts = {"session_id": session["session_id"], "mentorship_id": session["mentorship_id"],
                 "starts_at": session["scheduled_at"].isoformat(), "duration_minutes": session["duration_minutes"],
                 "stamped_at": as_of.isoformat()}
        for role, partner_role in PAIR:
            if reachable(people.get(pair[role])):
                notices.append(Notice(notification_id("reminder", session["session_id"], pair[role]), pair[role],
                                      SESSION_REMINDER, {**facts, "partner_role": partner_role},
                                      session["program_id"], {"partner": pair[partner_role], **pair}))
    return notices


def checkin_anchor(mentorship: Mapping[str, Any]) -> tuple[datetime | None, str]:
    """Since when the pair's cadence runs: the last completed session, else the start."""
    if mentorship.get("last_completed_at") is not None:
        return mentorship["last_completed_at"], str(mentorship.get("last_completed_session_id") or "session")
    return mentorship.get("started_at"), "start"


def periods_missed(anchor: datetime, as_of: datetime, every_days: int) -> int:
    """Whole check-in periods elapsed since the anchor with no completed session."""
    if as_of <= anchor:
        return 0
    return int((as_of - anchor) / timedelta(days=every_days))


def _program_over(program: Mapping[str, Any], as_of: datetime) -> bool:
    try:
        return as_of.date() > date.fromisoformat(str(program.get("ends_on"))[:10])
    except ValueError:
        return False


def checkin_nudges(mentorships: Iterable[Mapping[str, Any]], programs: Programs, people: People,
                   as_of: datetime) -> list[Notice]:
    """Pair nudged once per missed period; the program admin told once the gap reaches twice the cadence."""
    notices = []
    for mentorship in mentorships:
        program = programs.get(mentorship.get("program_id"))
        anchor, anchor_key = checkin_anchor(mentorship)
        if mentorship.get("status") != "active" or not program or anchor is None or _program_over(program, as_of):
            continue
        every = int(program["checkin_every_days"])
        missed = periods_missed(anchor, as_of, every)
        if missed < 1:
            continue
        facts = {"checkin_every_days": every, "days_since": (as_of - anchor).days, "since": anchor.date().isoformat(),
                 "since_last_session": mentorship.get("last_completed_at") is not None}
        notices += _pair_nudges(mentorship, people, facts, f"{anchor_key}-{missed}")
        admin = program.get("admin_id")
        if missed >= 2 and admin and reachable(people.get(admin)):
            notices.append(Notice(notification_id("escalation", mentorship["mentorship_id"], anchor_key, admin),
                                  admin, CHECKIN_ESCALATION, facts, mentorship["program_id"], _pair_of(mentorship)))
    return notices


def _pair_of(mentorship: Mapping[str, Any]) -> dict[str, str]:
    return {"mentor": mentorship["mentor_id"], "mentee": mentorship["mentee_id"]}


def _pair_nudges(mentorship, people: People, facts: dict, occasion: str) -> list[Notice]:
    pair, notices = _pair_of(mentorship), []
    for role, partner_role in PAIR:
        if reachable(people.get(pair[role])):
            notices.append(Notice(notification_id("nudge", mentorship["mentorship_id"], occasion, pair[role]),
                                  pair[role], CHECKIN_NUDGE, {**facts, "partner_role": partner_role},
                                  mentorship["program_id"], {"partner": pair[partner_role], **pair}))
    return notices
