"""Rules that depend on the clock: session reminders and check-in nudges, evaluated "as of" a moment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from services.notifications.domain.notices import (
    CHECKIN_ESCALATION,
    CHECKIN_NUDGE,
    SESSION_REMINDER,
    Attachment,
    Notice,
    display_name,
    notification_id,
    reachable,
)
from services.notifications.domain.quiet_hours import zone
from services.notifications.domain.rules import People, program_name
from shared.calendar import session_invite, session_summary

REMINDER_LEAD = timedelta(hours=24)
Programs = Mapping[str, Mapping[str, Any]]


def reminder_due(session: Mapping[str, Any], as_of: datetime, lead: timedelta = REMINDER_LEAD) -> bool:
    """A scheduled session starting within the next `lead` (24 h) of `as_of`."""
    starts = session.get("scheduled_at")
    return session.get("status") == "scheduled" and starts is not None and as_of < starts <= as_of + lead


def local_time(moment: datetime, timezone: str | None) -> str:
    """E.g. "Tuesday 14 January 2031, 15:00 (Europe/Berlin)" in the recipient's own zone."""
    tz = zone(timezone)
    return f"{moment.astimezone(tz):%A %d %B %Y, %H:%M} ({tz.key})"


def session_reminders(sessions: Iterable[Mapping[str, Any]], people: People, programs: Programs,
                      as_of: datetime, lead: timedelta = REMINDER_LEAD) -> list[Notice]:
    """Both members of each pair, 24 h before a session, with the session as an .ics invite."""
    notices = []
    for session in sessions:
        if not reminder_due(session, as_of, lead):
            continue
        names = {r: display_name(people.get(session[f"{r}_id"]), f"your {r}") for r in ("mentor", "mentee")}
        program = programs.get(session["program_id"])
        invite = session_invite(session_id=session["session_id"], starts_at=session["scheduled_at"],
                                duration_minutes=session["duration_minutes"],
                                summary=session_summary(names["mentor"], names["mentee"]),
                                description=f"Tandem mentoring session ({program_name(program)})", stamped_at=as_of)
        attachment = Attachment("session.ics", "text/calendar; method=PUBLISH", invite)
        for role, partner_role in (("mentor", "mentee"), ("mentee", "mentor")):
            recipient = session[f"{role}_id"]
            person = people.get(recipient)
            if not reachable(person):
                continue
            facts = {"recipient_name": display_name(person, "there"), "partner_name": names[partner_role],
                     "partner_role": partner_role, "program_name": program_name(program),
                     "starts_at": session["scheduled_at"].isoformat(),
                     "local_start": local_time(session["scheduled_at"], (person or {}).get("timezone")),
                     "duration_minutes": session["duration_minutes"], "session_id": session["session_id"]}
            notices.append(Notice(notification_id("reminder", session["session_id"], recipient), recipient,
                                  SESSION_REMINDER, facts, session["program_id"], (attachment,)))
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
        facts = _gap_facts(mentorship, program, people, anchor, as_of, every)
        notices += _pair_nudges(mentorship, people, facts, f"{anchor_key}-{missed}")
        admin = program.get("admin_id")
        if missed >= 2 and admin and reachable(people.get(admin)):
            notices.append(Notice(notification_id("escalation", mentorship["mentorship_id"], anchor_key, admin),
                                  admin, CHECKIN_ESCALATION,
                                  {**facts, "recipient_name": display_name(people.get(admin), "there")},
                                  mentorship["program_id"]))
    return notices


def _gap_facts(mentorship, program, people: People, anchor: datetime, as_of: datetime, every: int) -> dict:
    return {"mentor_name": display_name(people.get(mentorship["mentor_id"]), "the mentor"),
            "mentee_name": display_name(people.get(mentorship["mentee_id"]), "the mentee"),
            "program_name": program_name(program), "checkin_every_days": every,
            "days_since": (as_of - anchor).days, "since": anchor.date().isoformat(),
            "since_last_session": mentorship.get("last_completed_at") is not None}


def _pair_nudges(mentorship, people: People, facts: dict, occasion: str) -> list[Notice]:
    notices = []
    for role, partner_role in (("mentor", "mentee"), ("mentee", "mentor")):
        recipient = mentorship[f"{role}_id"]
        if not reachable(people.get(recipient)):
            continue
        own = {**facts, "recipient_name": display_name(people.get(recipient), "there"),
               "partner_name": facts[f"{partner_role}_name"]}
        notices.append(Notice(notification_id("nudge", mentorship["mentorship_id"], occasion, recipient),
                              recipient, CHECKIN_NUDGE, own, mentorship["program_id"]))
    return notices
