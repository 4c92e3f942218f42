"""When an admin's occurred_at is acceptable, and where a derived moment lands: the pure rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.matching.domain import backfill
from shared.backfill import Stamp, occurred
from shared.errors import Invalid

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
MARCH = "2026-03-01T09:00:00.000000Z"
APRIL = "2026-04-01T09:00:00.000000Z"


def test_an_occurred_at_in_the_window_becomes_a_strict_backfilled_stamp_in_utc():
    stamp = occurred(datetime(2026, 3, 1, 10, tzinfo=timezone(timedelta(hours=1))), NOW)
    assert stamp == Stamp(MARCH, backfilled=True, strict=True)
    assert occurred(NOW + timedelta(minutes=5), NOW).at == "2026-06-01T12:05:00.000000Z"  # clock drift is fine


@pytest.mark.parametrize(("moment", "message"), [
    (NOW + timedelta(minutes=5, seconds=1), "must not be more than 5 minutes in the future"),
    (datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))), "in the future"),
    (datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC), "must not be before 2000-01-01"),
    (datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))), "must not be before 2000-01-01"),
])
def test_a_moment_in_the_future_or_before_2000_is_refused_without_overflowing(moment, message):
    with pytest.raises(Invalid) as raised:
        occurred(moment, NOW)
    assert message in raised.value.errors["occurred_at"][0]


def test_an_admins_moment_before_the_aggregates_history_is_refused_and_names_what_came_first():
    stamp = Stamp(MARCH, backfilled=True, strict=True)
    assert stamp.applied_to({"the proposal": MARCH, "the start": None}) == stamp  # the same moment is fine
    with pytest.raises(Invalid) as raised:
        stamp.applied_to({"the proposal": "2026-02-01T00:00:00Z", "the start": APRIL})
    assert raised.value.errors == {"occurred_at": [f"must not be before the start ({APRIL})"]}


def test_a_derived_moment_moves_up_to_the_latest_of_the_history_instead():
    leaving = Stamp(MARCH, backfilled=True)
    assert leaving.applied_to({"the proposal": "2026-02-01T00:00:00Z", "the start": APRIL}).at == APRIL
    assert Stamp(MARCH, True, strict=True).derived().applied_to({"the session's creation": APRIL}).at == APRIL


def test_a_live_stamp_is_now_whatever_the_history_says():
    now = Stamp("2026-01-01T00:00:00.000000Z")
    assert now.applied_to({"the start": APRIL}) is now


def test_each_aggregate_names_the_moments_its_next_step_must_follow():
    pair = {"created_at": MARCH, "started_at": APRIL}
    assert backfill.transition_history(pair, "accept") == {"the proposal": MARCH}
    assert backfill.transition_history(pair, "end") == {"the proposal": MARCH, "the start": APRIL}
    session = {"created_at": MARCH, "scheduled_at": APRIL}
    assert backfill.session_history(session, "complete") == {"the session's creation": MARCH,
                                                             "the session's start": APRIL}
    assert backfill.session_history(session, "cancel") == {"the session's creation": MARCH}
    assert backfill.proposal_history({"enrolled_at": MARCH}, {"enrolled_at": APRIL}) == {
        "the mentor's enrollment": MARCH, "the mentee's enrollment": APRIL}
    assert backfill.feedback_history(pair, session)["the session's start"] == APRIL
    assert backfill.enrollment_history(None) == {"the earlier withdrawal": None}
    assert backfill.enrollment_history({"withdrawn_at": APRIL}) == {"the earlier withdrawal": APRIL}


def test_a_backfilled_profile_dates_a_departure_by_its_own_time_and_a_live_one_by_now():
    now = "2026-06-01T12:00:00.000000Z"
    past = {"backfilled": True, "updated_at": "2025-12-01T08:00:00+01:00"}
    assert backfill.from_profile(past, now) == Stamp("2025-12-01T07:00:00.000000Z", backfilled=True)
    assert backfill.from_profile({"updated_at": "2025-12-01T08:00:00Z"}, now) == Stamp(now)
    assert backfill.from_profile({"backfilled": True, "updated_at": "yesterday"}, now) == Stamp(now)


def test_a_wave_includes_only_who_was_enrolled_by_its_moment():
    assert backfill.enrolled_by({"enrolled_at": MARCH}, APRIL)
    assert not backfill.enrolled_by({"enrolled_at": APRIL}, MARCH)
    assert backfill.enrolled_by({"enrolled_at": APRIL}, None)
