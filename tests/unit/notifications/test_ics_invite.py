"""The .ics invite: one VEVENT, UID <session_id>@tandem, UTC times, escaped and folded per RFC 5545."""

from datetime import UTC, datetime

from services.notifications.domain.ics import escape_text, fold, session_invite

START = datetime(2031, 1, 14, 14, 0, tzinfo=UTC)


def test_the_invite_is_a_single_vevent_with_the_session_uid_and_times():
    text = session_invite("s-42", START, 90, "Mentoring session: Mo & Mia", stamped_at=START)
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert text.count("BEGIN:VEVENT") == 1
    assert "UID:s-42@tandem" in lines
    assert "DTSTART:20310114T140000Z" in lines and "DTEND:20310114T153000Z" in lines


def test_text_is_escaped():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_even_with_multibyte_characters():
    folded = fold("SUMMARY:" + "é" * 100)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(parts) == "SUMMARY:" + "é" * 100
