"""The weekly manager digest: per report, sessions held, goal progress in %, next session — nothing private."""

from datetime import UTC, datetime, timedelta

from services.notifications.domain.digest import iso_week, weekly_digests
from tests.unit.notifications.fakes import shown

AS_OF = datetime(2031, 1, 13, 8, 0, tzinfo=UTC)  # Monday of 2031-W03
PEOPLE = {"mia": {"name": "Mia", "manager_id": "boss"}, "mo": {"name": "Mo", "manager_id": "boss"},
          "ann": {"name": "Ann", "manager_id": "other"}, "boss": {"name": "Bea"}, "other": {"name": "Oz"}}
MENTORSHIPS = [
    {"mentorship_id": "m1", "mentor_id": "mo", "mentee_id": "mia", "status": "active"},
    {"mentorship_id": "m2", "mentor_id": "mo", "mentee_id": "ann", "status": "ended"},
]
SESSIONS = [
    {"mentorship_id": "m1", "status": "completed", "completed_at": AS_OF - timedelta(days=2)},
    {"mentorship_id": "m1", "status": "completed", "completed_at": AS_OF - timedelta(days=20)},
    {"mentorship_id": "m1", "status": "scheduled", "scheduled_at": AS_OF + timedelta(days=9)},
    {"mentorship_id": "m1", "status": "scheduled", "scheduled_at": AS_OF + timedelta(days=2)},
    {"mentorship_id": "m1", "status": "cancelled", "scheduled_at": AS_OF + timedelta(days=1)},
]
GOALS = [{"employee_id": "mia", "status": "completed", "progress": 100},
         {"employee_id": "mia", "status": "active", "progress": 40},
         {"employee_id": "mia", "status": "abandoned", "progress": 5}]


def test_one_digest_per_manager_per_iso_week_covering_reports_in_active_mentorships():
    [digest] = weekly_digests(MENTORSHIPS, PEOPLE, SESSIONS, GOALS, AS_OF)
    assert (digest.recipient_id, digest.notification_id) == ("boss", "digest:boss:2031-W03")
    assert [r["name"] for r in shown(digest, people=PEOPLE)["reports"]] == ["Mia", "Mo"]  # Ann's pair has ended


def test_each_report_line_has_counts_percentages_and_the_next_session_only():
    [digest] = weekly_digests(MENTORSHIPS, PEOPLE, SESSIONS, GOALS, AS_OF)
    mia, mo = shown(digest, people=PEOPLE)["reports"]
    assert mia == {"report_id": "mia", "name": "Mia", "roles": ["mentee"], "sessions_held_this_week": 1,
                   "sessions_held_total": 2, "goals_total": 2, "goals_completed": 1, "goal_progress_pct": [100, 40],
                   "average_progress_pct": 70, "next_session": (AS_OF + timedelta(days=2)).isoformat()}
    assert mo["roles"] == ["mentor"] and mo["goals_total"] == 0 and mo["average_progress_pct"] is None


def test_a_manager_who_turned_digests_off_gets_none():
    assert weekly_digests(MENTORSHIPS, PEOPLE, SESSIONS, GOALS, AS_OF, digest_off={"boss"}) == []


def test_the_same_week_gives_the_same_id_and_the_next_week_a_new_one():
    ids = {weekly_digests(MENTORSHIPS, PEOPLE, SESSIONS, GOALS, AS_OF + timedelta(days=d))[0].notification_id
           for d in range(7)}
    assert ids == {"digest:boss:2031-W03"}
    assert iso_week(AS_OF + timedelta(days=7)) == "2031-W04"
    assert iso_week(datetime(2030, 12, 30, tzinfo=UTC)) == "2031-W01"  # ISO years differ from calendar years


def test_a_report_erased_after_the_digest_was_queued_is_left_out_of_it():
    [digest] = weekly_digests(MENTORSHIPS, PEOPLE, SESSIONS, GOALS, AS_OF)
    rows = shown(digest, people={**PEOPLE, "mia": {"erased": True}})["reports"]
    assert [r["name"] for r in rows] == ["Mo"] and "Mia" not in str(rows)
