"""At-risk signals: no recent session, a low rating, stalled goals — each measured at `as_of`."""

from datetime import UTC, datetime

from services.matching.domain.at_risk import PairHistory, signals

AS_OF = datetime(2025, 6, 1, tzinfo=UTC)
STARTED = "2025-01-01T09:00:00Z"


def kinds(found):
    return [s["signal"] for s in found]


def test_a_healthy_pair_raises_nothing():
    history = PairHistory(started_at=STARTED, completed_sessions_at=["2025-05-25T10:00:00Z"], ratings=[(4, STARTED)],
                          mentee_goals=[{"goal_id": "g", "status": "active", "progressed_at": "2025-05-20T00:00:00Z"}])
    assert signals(history, 14, AS_OF) == []


def test_no_session_counts_from_the_start_when_none_was_held():
    found = signals(PairHistory(started_at="2025-05-03T00:00:00Z"), 14, AS_OF)
    assert found == [{"signal": "no_session_for_days", "days": 29}]


def test_no_session_fires_at_twice_the_checkin_interval_not_before():
    last = "2025-05-04T00:00:00Z"  # 28 days before AS_OF
    assert kinds(signals(PairHistory(STARTED, [last]), 14, AS_OF)) == ["no_session_for_days"]
    assert signals(PairHistory(STARTED, [last]), 15, AS_OF) == []


def test_sessions_after_as_of_do_not_count():
    history = PairHistory(STARTED, ["2025-05-30T00:00:00Z"])
    assert kinds(signals(history, 14, datetime(2025, 3, 1, tzinfo=UTC))) == ["no_session_for_days"]


def test_a_rating_of_two_or_less_is_a_signal():
    recent = ["2025-05-30T00:00:00Z"]
    assert signals(PairHistory(STARTED, recent, ratings=[(5, STARTED), (3, STARTED)]), 14, AS_OF) == []
    found = signals(PairHistory(STARTED, recent, ratings=[(5, STARTED), (2, STARTED), (1, STARTED)]), 14, AS_OF)
    assert found == [{"signal": "low_rating", "rating": 1}]


def test_a_rating_given_after_as_of_is_not_seen_yet():
    history = PairHistory(STARTED, ["2025-05-30T00:00:00Z"], ratings=[(1, "2025-06-02T00:00:00Z")])
    assert signals(history, 14, AS_OF) == []


def test_active_goals_without_progress_for_30_days_are_stalled():
    goals = [{"goal_id": "old", "status": "active", "progressed_at": "2025-04-01T00:00:00Z"},
             {"goal_id": "fresh", "status": "active", "progressed_at": "2025-05-15T00:00:00Z"},
             {"goal_id": "done", "status": "completed", "progressed_at": "2025-01-01T00:00:00Z"}]
    found = signals(PairHistory(STARTED, ["2025-05-30T00:00:00Z"], mentee_goals=goals), 14, AS_OF)
    assert found == [{"signal": "stalled_goals", "goal_ids": ["old"]}]


def test_all_signals_come_in_a_fixed_order():
    goals = [{"goal_id": "g", "status": "active", "progressed_at": "2025-01-01T00:00:00Z"}]
    found = signals(PairHistory(STARTED, ratings=[(2, STARTED)], mentee_goals=goals), 7, AS_OF)
    assert kinds(found) == ["no_session_for_days", "low_rating", "stalled_goals"]
