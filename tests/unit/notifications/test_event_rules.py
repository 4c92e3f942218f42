"""Which notifications an event produces: introductions, manager told of a start or a completed goal."""

from services.notifications.domain import rules
from services.notifications.domain.notices import notification_id
from tests.unit.notifications.fakes import shown

PEOPLE = {
    "mentor": {"name": "Mo Mentor", "manager_id": "boss-a"},
    "mentee": {"name": "Mia Mentee", "manager_id": "boss-b"},
    "boss-b": {"name": "Bea Boss"},
    "gone": {"erased": True},
}
MENTORSHIP = {"mentorship_id": "m1", "program_id": "p1", "mentor_id": "mentor", "mentee_id": "mentee",
              "status": "proposed", "reasons": ["shares skill: python", "same timezone"],
              "started_at": "2031-01-02T09:00:00Z"}
PROGRAMS = {"p1": {"name": "Spring cohort", "checkin_every_days": 14}}
PAIRS = {"m1": MENTORSHIP}


def test_a_proposal_introduces_mentor_and_mentee_to_each_other_with_the_reasons():
    notices = rules.introductions(MENTORSHIP, PEOPLE)
    by_recipient = {n.recipient_id: shown(n, people=PEOPLE, programs=PROGRAMS, mentorships=PAIRS) for n in notices}
    assert set(by_recipient) == {"mentor", "mentee"}
    assert by_recipient["mentee"]["partner_name"] == "Mo Mentor"
    assert by_recipient["mentor"]["partner_name"] == "Mia Mentee"
    assert by_recipient["mentee"]["reasons"] == ["shares skill: python", "same timezone"]
    assert notices[1].notification_id == "intro:m1:mentee"
    assert by_recipient["mentee"]["program_name"] == "Spring cohort"


def test_a_notice_names_people_by_id_only_and_keeps_no_name_of_its_own():
    for notice in rules.introductions(MENTORSHIP, PEOPLE):
        assert "Mo Mentor" not in str(notice) and "Mia Mentee" not in str(notice)
        assert set(notice.names) == {"mentor", "mentee"}


def test_the_same_occasion_always_gets_the_same_id_so_a_redelivery_is_a_duplicate():
    first = [n.notification_id for n in rules.introductions(MENTORSHIP, PEOPLE)]
    again = [n.notification_id for n in rules.introductions(dict(MENTORSHIP), {})]
    assert first == again


def test_an_erased_person_is_not_introduced_and_unknown_names_fall_back():
    notices = rules.introductions({**MENTORSHIP, "mentor_id": "gone", "mentee_id": "stranger"}, PEOPLE)
    assert [n.recipient_id for n in notices] == ["stranger"]
    facts = shown(notices[0], people=PEOPLE)
    assert facts["partner_name"] == "your mentor" and facts["recipient_name"] == "there"
    assert facts["program_name"] == "your mentoring program"


def test_the_mentees_manager_is_told_when_the_mentorship_starts():
    [notice] = rules.manager_on_start({**MENTORSHIP, "status": "active"}, PEOPLE)
    assert notice.recipient_id == "boss-b" and notice.kind == "mentorship_started"
    facts = shown(notice, people=PEOPLE, programs=PROGRAMS)
    assert {k: facts[k] for k in ("recipient_name", "report_name", "mentor_name", "program_name", "started_on")} == {
        "recipient_name": "Bea Boss", "report_name": "Mia Mentee", "mentor_name": "Mo Mentor",
        "program_name": "Spring cohort", "started_on": "2031-01-02"}


def test_no_manager_means_no_start_notice():
    people = {**PEOPLE, "mentee": {"name": "Mia", "manager_id": None}}
    assert rules.manager_on_start(MENTORSHIP, people) == []
    assert rules.manager_on_start(MENTORSHIP, {**PEOPLE, "boss-b": {"erased": True}}) == []


def test_a_completed_goal_tells_the_manager_counts_only():
    goal = {"goal_id": "g2", "employee_id": "mentee", "status": "completed", "progress": 100,
            "updated_at": "2031-02-01T10:00:00Z"}
    goals = [goal, {"goal_id": "g1", "status": "active", "progress": 40},
             {"goal_id": "g0", "status": "abandoned", "progress": 10}]
    [notice] = rules.manager_on_goal_completed(goal, PEOPLE, goals)
    assert notice.notification_id == notification_id("goal", "g2", "boss-b")
    facts = shown(notice, people=PEOPLE)
    assert {k: facts[k] for k in ("recipient_name", "report_name", "goals_completed", "goals_total",
                                  "completed_on")} == {"recipient_name": "Bea Boss", "report_name": "Mia Mentee",
                                                       "goals_completed": 1, "goals_total": 2,
                                                       "completed_on": "2031-02-01"}


def test_long_or_unusual_ids_are_hashed_but_stay_deterministic():
    long_id = notification_id("nudge", "m" * 100, "s" * 40, "e" * 64)
    assert long_id.startswith("nudge:") and len(long_id) <= 128
    assert long_id == notification_id("nudge", "m" * 100, "s" * 40, "e" * 64)
    assert notification_id("intro", "a b", "c") != notification_id("intro", "a", "b c")
