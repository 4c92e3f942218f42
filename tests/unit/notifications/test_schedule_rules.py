"""What a job moment produces: reminders 24 h ahead (with the .ics), check-in nudges and escalations."""

from datetime import UTC, datetime, timedelta

from services.notifications.domain.composition import Known, attachments
from services.notifications.domain.schedule import (
    checkin_nudges,
    periods_missed,
    reminder_due,
    session_reminders,
)
from services.notifications.use_cases.issuing import notification_doc
from tests.unit.notifications.fakes import shown

T0 = datetime(2031, 1, 10, 9, 0, tzinfo=UTC)
PEOPLE = {"mentor": {"name": "Mo", "timezone": "Europe/Berlin"}, "mentee": {"name": "Mia", "timezone": "Asia/Tokyo"},
          "admin": {"name": "Ada Admin"}}
PROGRAMS = {"p1": {"name": "Cohort", "checkin_every_days": 14, "admin_id": "admin", "ends_on": "2031-12-31"}}


def session(starts: datetime, status: str = "scheduled") -> dict:
    return {"session_id": "s1", "mentorship_id": "m1", "program_id": "p1", "mentor_id": "mentor",
            "mentee_id": "mentee", "status": status, "scheduled_at": starts, "duration_minutes": 45}


def test_a_reminder_is_due_within_the_24_hours_before_the_session_only():
    assert reminder_due(session(T0 + timedelta(hours=24)), T0)
    assert reminder_due(session(T0 + timedelta(minutes=1)), T0)
    assert not reminder_due(session(T0 + timedelta(hours=24, seconds=1)), T0)
    assert not reminder_due(session(T0), T0)
    assert not reminder_due(session(T0 + timedelta(hours=2), status="cancelled"), T0)


def test_both_members_get_a_reminder_in_their_own_time_zone_with_the_invite():
    notices = session_reminders([session(T0 + timedelta(hours=20))], PEOPLE, T0)
    by = {n.recipient_id: n for n in notices}
    assert set(by) == {"mentor", "mentee"}
    assert by["mentor"].notification_id == "reminder:s1:mentor"
    assert shown(by["mentor"], people=PEOPLE)["local_start"] == "Saturday 11 January 2031, 06:00 (Europe/Berlin)"
    facts = shown(by["mentee"], people=PEOPLE, programs=PROGRAMS)
    assert facts["local_start"] == "Saturday 11 January 2031, 14:00 (Asia/Tokyo)" and facts["partner_name"] == "Mo"
    [invite] = attachments(notification_doc(by["mentee"], {}, T0, None), Known(PEOPLE, PROGRAMS), facts)
    assert invite["filename"] == "session.ics" and "UID:s1@tandem\r\n" in invite["content"]
    assert "DTSTART:20310111T050000Z" in invite["content"] and "DTEND:20310111T054500Z" in invite["content"]
    assert "SUMMARY:Mentoring session: Mo & Mia" in invite["content"]


def mentorship(started: datetime, **extra) -> dict:
    return {"mentorship_id": "m1", "program_id": "p1", "mentor_id": "mentor", "mentee_id": "mentee",
            "status": "active", "started_at": started, **extra}


def test_no_nudge_within_the_cadence():
    assert checkin_nudges([mentorship(T0)], PROGRAMS, PEOPLE, T0 + timedelta(days=13, hours=23)) == []


def test_the_pair_is_nudged_after_one_missed_period_and_the_admin_at_two():
    one = checkin_nudges([mentorship(T0)], PROGRAMS, PEOPLE, T0 + timedelta(days=14))
    assert sorted(n.recipient_id for n in one) == ["mentee", "mentor"]
    assert {n.notification_id for n in one} == {"nudge:m1:start-1:mentor", "nudge:m1:start-1:mentee"}
    two = checkin_nudges([mentorship(T0)], PROGRAMS, PEOPLE, T0 + timedelta(days=28))
    assert sorted(n.recipient_id for n in two) == ["admin", "mentee", "mentor"]
    [escalation] = [n for n in two if n.recipient_id == "admin"]
    assert escalation.kind == "checkin_escalation" and escalation.facts["days_since"] == 28
    three = checkin_nudges([mentorship(T0)], PROGRAMS, PEOPLE, T0 + timedelta(days=43))
    assert {n.notification_id for n in three} >= {escalation.notification_id, "nudge:m1:start-3:mentor"}


def test_a_completed_session_restarts_the_cadence():
    done = T0 + timedelta(days=20)
    pair = mentorship(T0, last_completed_at=done, last_completed_session_id="s9")
    assert checkin_nudges([pair], PROGRAMS, PEOPLE, T0 + timedelta(days=30)) == []
    later = checkin_nudges([pair], PROGRAMS, PEOPLE, done + timedelta(days=14))
    assert {n.notification_id for n in later} == {"nudge:m1:s9-1:mentor", "nudge:m1:s9-1:mentee"}
    assert later[0].facts["since_last_session"] is True


def test_ended_pairs_unknown_programs_and_finished_programs_are_left_alone():
    late = T0 + timedelta(days=60)
    assert checkin_nudges([mentorship(T0, status="ended")], PROGRAMS, PEOPLE, late) == []
    assert checkin_nudges([mentorship(T0, program_id="nope")], PROGRAMS, PEOPLE, late) == []
    over = {"p1": {**PROGRAMS["p1"], "ends_on": "2031-02-01"}}
    assert checkin_nudges([mentorship(T0)], over, PEOPLE, late) == []


def test_periods_missed_counts_whole_periods_only():
    assert periods_missed(T0, T0 - timedelta(days=1), 7) == 0
    assert periods_missed(T0, T0 + timedelta(days=6, hours=23), 7) == 0
    assert periods_missed(T0, T0 + timedelta(days=21), 7) == 3
