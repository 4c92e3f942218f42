"""Mentorships and sessions are insert-only status facts; folding them gives the current state in any order."""

from datetime import UTC, datetime
from itertools import permutations

from services.notifications.adapters.bulk import fold
from services.notifications.adapters.program import MENTORSHIP_RANK, SESSION_RANK

START = datetime(2031, 1, 2, tzinfo=UTC)
FACTS = [
    {"_id": "m1:proposed", "mentorship_id": "m1", "status": "proposed", "reasons": ["same team"], "started_at": None},
    {"_id": "m1:active", "mentorship_id": "m1", "status": "active", "reasons": [], "started_at": START},
    {"_id": "m1:ended", "mentorship_id": "m1", "status": "ended", "reasons": [], "started_at": None},
]


def test_the_furthest_status_wins_whatever_order_the_facts_arrived_in():
    for order in permutations(FACTS):
        [pair] = fold(order, "mentorship_id", MENTORSHIP_RANK).values()
        assert pair["status"] == "ended"
        assert pair["reasons"] == ["same team"] and pair["started_at"] == START  # nothing known is forgotten


def test_an_active_pair_stays_active_until_a_later_fact():
    [pair] = fold(FACTS[:2], "mentorship_id", MENTORSHIP_RANK).values()
    assert pair["status"] == "active"


def test_a_cancelled_session_is_no_longer_scheduled():
    facts = [{"_id": "s1:cancelled", "session_id": "s1", "status": "cancelled"},
             {"_id": "s1:scheduled", "session_id": "s1", "status": "scheduled"},
             {"_id": "s2:scheduled", "session_id": "s2", "status": "scheduled"}]
    assert {s["session_id"]: s["status"] for s in fold(facts, "session_id", SESSION_RANK).values()} == {
        "s1": "cancelled", "s2": "scheduled"}
