"""A session as an iCalendar (RFC 5545) VEVENT, so mail clients offer to add it to the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

PRODID = "-//Tandem//Mentoring sessions//EN"


def escape_text(value: str) -> str:
    """TEXT values escape backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_invite(session_id: str, starts_at: datetime, duration_minutes: int, summary: str, *,
                   description: str = "", stamped_at: datetime) -> str:
    """One VEVENT in a VCALENDAR, UID `<session_id>@tandem`, times in UTC, CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{session_id}@tandem",
        f"DTSTAMP:{_stamp(stamped_at)}",
        f"DTSTART:{_stamp(starts_at)}",
        f"DTEND:{_stamp(starts_at + timedelta(minutes=duration_minutes))}",
        f"SUMMARY:{escape_text(summary)}",
        *([f"DESCRIPTION:{escape_text(description)}"] if description else []),
        "STATUS:CONFIRMED", "SEQUENCE:0", "TRANSP:OPAQUE",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
