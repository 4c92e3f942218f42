"""A mentoring session as an iCalendar (RFC 5545) event: the one rendering Tandem has.

Matching serves it at `GET /v1/sessions/{id}.ics`; notifications attaches it to the reminder email.
Both render it here, so a calendar client sees one event (same UID, PRODID and escaping) however it
arrived, and a later update (SEQUENCE) or cancellation replaces it. Private notes never go in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

PRODID = "-//Tandem//Mentoring sessions//EN"


def session_invite(*, session_id: str, starts_at: datetime, duration_minutes: int, summary: str,
                   stamped_at: datetime, description: str | None = None, cancelled: bool = False,
                   sequence: int = 0) -> str:
    """One VEVENT in a VCALENDAR: UID `<session_id>@tandem`, times in UTC, CRLF line ends, folded lines."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:CANCEL" if cancelled else "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:{session_id}@tandem", f"DTSTAMP:{utc(stamped_at)}", f"DTSTART:{utc(starts_at)}",
             f"DTEND:{utc(starts_at + timedelta(minutes=duration_minutes))}", f"SEQUENCE:{sequence}",
             f"SUMMARY:{escape(summary)}", *([f"DESCRIPTION:{escape(description)}"] if description else []),
             f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}", "TRANSP:OPAQUE",
             "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def session_summary(mentor_name: str, mentee_name: str) -> str:
    return f"Mentoring session: {mentor_name} & {mentee_name}"


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks."""
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
