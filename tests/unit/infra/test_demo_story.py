"""The demo's story (deploy/local/demo_story.py): six months that give every dashboard panel something to say."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "deploy" / "local"))

import demo_story as story  # noqa: E402

NOW = datetime(2031, 6, 2, 10, 0, tzinfo=UTC)
TIMELINE = story.Timeline.ending(NOW)


def company(seed: int = 7) -> story.Company:
    return story.company(random.Random(seed), 420, TIMELINE)


def rate(found: story.Company, kind: str, participants: bool) -> float:
    group = [p["employee_id"] for p in found.staff if (p["employee_id"] in found.participants) == participants]
    changed = {c.employee_id for c in found.changes if c.kind == kind}
    return len(changed & set(group)) / len(group)


def test_the_same_seed_tells_the_same_story():
    first, second = company(), company()
    assert first.staff == second.staff and first.participants == second.participants
    assert first.changes == second.changes


def test_people_enroll_in_three_waves_and_enough_stay_out_to_compare_with():
    found = company()
    waves = [sum(1 for w in found.participants.values() if w == n) for n in range(3)]
    assert waves[0] > waves[1] > waves[2] > 0
    outside = [p for p in found.staff if p["employee_id"] not in found.participants]
    assert len(outside) >= 100 and {p["department"] for p in outside} == set(story.DEPARTMENTS)


def test_participants_are_promoted_more_and_leave_less_and_both_sides_have_some_of_each():
    found = company()
    assert rate(found, "promotion", True) > 1.5 * rate(found, "promotion", False) > 0
    assert 0 < rate(found, "leaver", True) < rate(found, "leaver", False)
    assert all(TIMELINE.starts < c.at < NOW for c in found.changes)


def test_a_pair_meets_in_time_order_within_its_months():
    rng = random.Random(11)
    for _ in range(200):
        started = TIMELINE.starts + timedelta(days=rng.randint(5, 120))
        plan = story.pair_plan(rng, started, TIMELINE, None)
        held = [s.scheduled_at for s in plan.sessions if s.outcome != "upcoming"]
        assert held == sorted(held) and all(started < at < NOW for at in held)
        if plan.quiet:
            assert not held or NOW - held[-1] >= timedelta(days=36)
            assert all(s.outcome != "upcoming" for s in plan.sessions)
        if plan.ended_at:
            assert all(at < plan.ended_at for at in held) and plan.end_reason


def test_some_pairs_go_quiet_some_end_and_most_goals_move():
    rng = random.Random(5)
    plans = [story.pair_plan(rng, TIMELINE.starts + timedelta(days=7), TIMELINE, None, quiet=story.goes_quiet(n))
             for n in range(300)]
    assert sum(p.quiet for p in plans) == len(range(3, 300, 14)) and 5 <= sum(bool(p.ended_at) for p in plans) <= 40
    steps = [story.goal_progress(p, 10) for p in plans]
    assert all([v for _, v in s] == sorted(v for _, v in s) and all(v <= 100 for _, v in s) for s in steps)
    completed = sum(1 for s in steps if s and s[-1][1] == 100)
    assert 0.2 * len(plans) < completed < 0.9 * len(plans)


def test_a_leavers_pair_stops_meeting_when_they_leave():
    rng, leaves = random.Random(2), TIMELINE.starts + timedelta(days=90)
    plan = story.pair_plan(rng, TIMELINE.starts + timedelta(days=7), TIMELINE, leaves)
    assert all(s.scheduled_at < leaves for s in plan.sessions)


def test_even_a_small_demo_has_pairs_gone_quiet():
    assert [n for n in range(20) if story.goes_quiet(n)] == [3, 17]


def test_a_pair_that_goes_on_met_within_the_check_in_interval_and_meets_again_soon():
    rng = random.Random(3)
    for _ in range(200):
        plan = story.pair_plan(rng, TIMELINE.starts + timedelta(days=rng.randint(5, 100)), TIMELINE, None, quiet=False)
        if plan.ended_at:
            continue
        held = [s.scheduled_at for s in plan.sessions if s.outcome == "completed"]
        assert NOW - held[-1] < timedelta(days=story.CADENCE_DAYS)  # the notifications' nudge stays away
        assert [s.scheduled_at for s in plan.sessions] == sorted(s.scheduled_at for s in plan.sessions)
        assert plan.sessions[-1].outcome == "upcoming" and plan.sessions[-1].scheduled_at > NOW
