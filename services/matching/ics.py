"""A mentoring session as an iCalendar (RFC 5545) VEVENT; the scheduling email carries the same invite.

Pure, so the notifications service can copy the format for its reminder attachment.
Private notes never go into the invite.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from shared.timeutil import parse_rfc3339

PRODID = "-//Tandem//Mentoring//EN"


def session_invite(*, session_id: str, scheduled_at: str, duration_minutes: int, mentor_name: str,
                   mentee_name: str, agenda: str | None = None, status: str = "scheduled",
                   stamp: str | None = None, sequence: int = 0) -> str:
    """The session as a one-event VCALENDAR, CRLF line endings, lines folded at 75 octets."""
    start = parse_rfc3339(scheduled_at)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:CANCEL" if status == "cancelled" else "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:{session_id}@tandem", f"DTSTAMP:{_utc(parse_rfc3339(stamp) if stamp else start)}",
             f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + timedelta(minutes=duration_minutes))}",
             f"SEQUENCE:{sequence}",
             f"SUMMARY:{escape(f'Mentoring session: {mentor_name} & {mentee_name}')}",
             f"STATUS:{'CANCELLED' if status == 'cancelled' else 'CONFIRMED'}"]
    if agenda:
        lines.append(f"DESCRIPTION:{escape(agenda)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into chunks of at most `limit` octets, never splitting a UTF-8 character."""
    chunks: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        budget = limit if not chunks else limit - 1  # continuation lines start with a space
        if size + width > budget:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def unfold(text: str) -> Iterable[str]:
    """Content lines of an iCalendar text (for tests and readers)."""
    return text.replace("\r\n ", "").split("\r\n")
