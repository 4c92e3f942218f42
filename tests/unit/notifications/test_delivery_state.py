"""Backoff schedule and the life of a delivery: retried, then delivered or failed, held in quiet hours."""

from datetime import UTC, datetime, timedelta

from services.notifications.domain import delivery
from services.notifications.domain.delivery import RetryPolicy, SendResult

NOW = datetime(2031, 1, 10, 9, 0, tzinfo=UTC)


def test_backoff_doubles_from_the_base_and_is_capped():
    policy = RetryPolicy(base_seconds=30, factor=2, max_delay_seconds=100, max_attempts=5)
    assert policy.schedule() == [30, 60, 100, 100]
    assert RetryPolicy(base_seconds=0.2, factor=3, max_attempts=3).schedule() == [0.2, 0.6000000000000001]


def test_a_transient_failure_is_retried_after_the_backoff():
    state, ended = delivery.after_attempt(delivery.pending(NOW), SendResult(False, "451 try later"), NOW,
                                          RetryPolicy(base_seconds=30))
    assert ended is None and state["status"] == "pending" and state["attempts"] == 1
    assert state["next_at"] == NOW + timedelta(seconds=30)
    assert state["log"][-1]["outcome"] == "retrying"


def test_the_last_allowed_attempt_fails_for_good_with_the_reason():
    policy = RetryPolicy(base_seconds=1, max_attempts=3)
    state = delivery.pending(NOW)
    outcomes = []
    for _ in range(3):
        state, ended = delivery.after_attempt(state, SendResult(False, "451 busy"), NOW, policy)
        outcomes.append(ended)
    assert outcomes == [None, None, "failed"]
    assert state["status"] == "failed" and state["reason"] == "451 busy" and state["next_at"] is None
    assert [e["outcome"] for e in state["log"]] == ["retrying", "retrying", "failed"]


def test_a_permanent_failure_is_not_retried():
    state, ended = delivery.after_attempt(delivery.pending(NOW), SendResult(False, "550 no such user", True),
                                          NOW, RetryPolicy())
    assert ended == "failed" and state["attempts"] == 1


def test_success_ends_the_delivery():
    state, ended = delivery.after_attempt(delivery.pending(NOW), SendResult(True, "ok"), NOW, RetryPolicy())
    assert ended == "delivered" and state["delivered_at"] == NOW and delivery.next_dispatch({"e": state}) is None


def test_holding_spends_no_attempt_and_waits_until_quiet_hours_end():
    until = NOW + timedelta(hours=3)
    state = delivery.held(delivery.pending(NOW), NOW, until)
    assert state["status"] == "held" and state["attempts"] == 0 and state["next_at"] == until
    assert not delivery.is_due(state, NOW) and delivery.is_due(state, until)
    assert delivery.next_dispatch({"email": state, "inbox": delivery.delivered_in_inbox(NOW)}) == until
