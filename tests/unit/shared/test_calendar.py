"""The one session invite (matching's .ics and the reminder email's attachment): a valid one-event iCalendar."""

from datetime import UTC, datetime

from shared.calendar import escape, fold, session_invite, session_summary, unfold
from shared.timeutil import parse_rfc3339


def invite(**extra):
    args = {"session_id": "s-1", "starts_at": parse_rfc3339("2025-03-04T15:30:00+01:00"), "duration_minutes": 45,
            "summary": session_summary("Ada Lovelace", "Alan Turing"),
            "stamped_at": datetime(2025, 3, 1, 8, tzinfo=UTC)}
    return session_invite(**{**args, **extra})


def props(text: str) -> dict[str, str]:
    lines = [line for line in unfold(text) if line]
    return {line.split(":", 1)[0]: line.split(":", 1)[1] for line in lines if ":" in line}


def test_the_event_has_uid_utc_times_and_summary():
    found = props(invite())
    assert found["UID"] == "s-1@tandem"
    assert found["DTSTART"] == "20250304T143000Z"
    assert found["DTEND"] == "20250304T151500Z"
    assert found["DTSTAMP"] == "20250301T080000Z"
    assert found["SUMMARY"] == "Mentoring session: Ada Lovelace & Alan Turing"
    assert found["STATUS"] == "CONFIRMED"


def test_one_calendar_with_one_event_and_crlf_line_endings():
    text = invite()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "\n" not in text.replace("\r\n", "")


def test_a_cancelled_session_is_a_cancellation():
    found = props(invite(cancelled=True))
    assert found["METHOD"] == "CANCEL" and found["STATUS"] == "CANCELLED"


def test_text_values_are_escaped():
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert props(invite(description="Goals; next steps, review"))["DESCRIPTION"] == "Goals\\; next steps\\, review"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert "".join(unfold(folded)) == line


def test_no_description_without_agenda():
    assert "DESCRIPTION" not in props(invite(description=None))
