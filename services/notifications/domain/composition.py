"""What a stored notification says now: its template's values, from the people and program as known.

A notification keeps ids and non-personal facts; names, the program's name, the match's reasons and
the recipient's time zone are read from this service's projections whenever the message is rendered
(sent, or shown in the inbox). Someone not heard of yet, or erased, is shown by a neutral stand-in;
`withdrawal` says when a message must not go out at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notifications.domain import notices as n
from services.notifications.domain.notices import display_name
from services.notifications.domain.quiet_hours import zone
from shared.calendar import session_invite, session_summary

Doc = Mapping[str, Any]
STAND_INS = {"mentor": "the mentor", "mentee": "the mentee", "report": "your report"}


@dataclass(frozen=True)
class Known:
    """The projections a batch of notifications refers to, by id (mentorships and sessions folded)."""

    people: Mapping[str, Doc] = field(default_factory=dict)
    programs: Mapping[str, Doc] = field(default_factory=dict)
    mentorships: Mapping[str, Doc] = field(default_factory=dict)
    sessions: Mapping[str, Doc] = field(default_factory=dict)

    def name(self, employee_id: str | None, fallback: str) -> str:
        return display_name(self.people.get(employee_id or ""), fallback)

    def erased(self, employee_id: str) -> bool:
        return bool(self.people.get(employee_id, {}).get("erased"))


def program_name(program: Doc | None) -> str:
    return str(program["name"]) if program and program.get("name") else "your mentoring program"


def local_time(moment: datetime, timezone: str | None) -> str:
    """E.g. "Tuesday 14 January 2031, 15:00 (Europe/Berlin)" in the recipient's own zone."""
    tz = zone(timezone)
    return f"{moment.astimezone(tz):%A %d %B %Y, %H:%M} ({tz.key})"


def template_facts(note: Doc, known: Known) -> dict[str, Any]:
    """The values the kind's templates show, as known now."""
    about, facts = note.get("about", {}), dict(note.get("facts", {}))
    names = {role: known.name(person, _stand_in(role, facts)) for role, person in about.items()}
    shown = {**facts, "recipient_name": known.name(note["recipient_id"], "there"),
             "program_name": program_name(known.programs.get(note.get("program_id") or ""))}
    return _BY_KIND.get(note["kind"], _plain)(note, known, shown, names)


def _stand_in(role: str, facts: Mapping[str, Any]) -> str:
    if role == "partner":
        return f"your {facts.get('partner_role', 'partner')}"
    return STAND_INS.get(role, "a colleague")


def _introduction(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    mentorship = known.mentorships.get(shown.get("mentorship_id", ""), {})
    return {**shown, "partner_name": names["partner"], "reasons": list(mentorship.get("reasons") or [])}


def _started(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    return {**shown, "report_name": names["report"], "mentor_name": names.get("mentor", "a mentor")}


def _reminder(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    starts = datetime.fromisoformat(shown["starts_at"])
    zone_name = known.people.get(note["recipient_id"], {}).get("timezone")
    return {**shown, "partner_name": names["partner"], "local_start": local_time(starts, zone_name)}


def _gap(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    return {**shown, "mentor_name": names["mentor"], "mentee_name": names["mentee"],
            **({"partner_name": names["partner"]} if "partner" in names else {})}


def _goal(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    return {**shown, "report_name": names["report"]}


def _digest(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    rows = [{**row, "name": known.name(row["report_id"], "a report")} for row in shown.get("reports", [])
            if not known.erased(row["report_id"])]
    return {**shown, "reports": sorted(rows, key=lambda row: row["name"])}


def _plain(note: Doc, known: Known, shown: dict, names: dict) -> dict:
    return {**shown, **{f"{role}_name": name for role, name in names.items()}}


_BY_KIND: dict[str, Callable[[Doc, Known, dict, dict], dict]] = {
    n.INTRODUCTION: _introduction, n.MENTORSHIP_STARTED: _started, n.SESSION_REMINDER: _reminder,
    n.CHECKIN_NUDGE: _gap, n.CHECKIN_ESCALATION: _gap, n.GOAL_COMPLETED: _goal, n.WEEKLY_DIGEST: _digest,
}


def unknown_people(note: Doc, known: Known) -> list[str]:
    """People the message names whom this service has not heard of yet (topics are not ordered
    against each other, so a notice can arrive before a profile)."""
    return [person for person in note.get("names", []) if person not in known.people]


def withdrawal(note: Doc, known: Known) -> str | None:
    """Why this message must not go out any more, if it must not."""
    if note["kind"] == n.WEEKLY_DIGEST:
        rows = note.get("facts", {}).get("reports", [])
        return "withdrawn: every report it covered was erased" if rows and all(
            known.erased(row["report_id"]) for row in rows) else None
    if any(known.erased(person) for person in note.get("about", {}).values()):
        return "withdrawn: a person it is about was erased"
    session = known.sessions.get(note.get("facts", {}).get("session_id", ""))
    if note["kind"] == n.SESSION_REMINDER and session and session.get("status") != "scheduled":
        return f"withdrawn: the session was {session.get('status')}"
    return None


def attachments(note: Doc, known: Known, shown: Mapping[str, Any]) -> list[dict[str, str]]:
    """A reminder carries the session as the one iCalendar invite Tandem renders (shared.calendar)."""
    if note["kind"] != n.SESSION_REMINDER:
        return []
    about = note.get("about", {})
    summary = session_summary(known.name(about.get("mentor"), "your mentor"),
                              known.name(about.get("mentee"), "your mentee"))
    invite = session_invite(session_id=shown["session_id"], starts_at=datetime.fromisoformat(shown["starts_at"]),
                            duration_minutes=shown["duration_minutes"], summary=summary,
                            description=f"Tandem mentoring session ({shown['program_name']})",
                            stamped_at=datetime.fromisoformat(shown["stamped_at"]))
    return [{"filename": "session.ics", "content_type": "text/calendar; method=PUBLISH", "content": invite}]
