"""Pairs at risk, from analytics' own facts: silence against the check-in, latest ratings, stalled goals."""

from __future__ import annotations

import pytest

from services.analytics.domain.at_risk import pairs_at_risk
from services.analytics.domain.times import normalise
from services.analytics.use_cases import at_risk
from shared.errors import Invalid
from shared.timeutil import parse_rfc3339
from tests.unit.analytics import builders as b
from tests.unit.analytics.builders import at
from tests.unit.analytics.fakes import Projected

R = "R"  # checks in every 14 days: silent from 28 days on
AS_OF = parse_rfc3339(at(70))
MENTEES = ("Q", "N", "M", "L", "V", "G", "E", "P")


def pair(mid: str, mentee: str, started: int, *, status: str = "active") -> list:
    events = [b.mentorship("proposed", mid, R, "MR", mentee, created=at(0))]
    if status != "proposed":
        events.append(b.mentorship("active", mid, R, "MR", mentee, created=at(0), started=at(started)))
    if status == "ended":
        events.append(b.mentorship("ended", mid, R, "MR", mentee, created=at(0), started=at(started), ended=at(40)))
    return events


def held(mid: str, mentee: str, *days: int) -> list:
    return [b.session("completed", f"{mid}-S{d}", mid, R, "MR", mentee, completed=at(d)) for d in days]


def program_events() -> list:
    return [b.program(R), b.profile("MR", roles=("mentor",), name="Mira Mentor"),
            *(b.profile(m, name=f"Mentee {m}") for m in MENTEES), b.enrollment(R, "MR", "mentor"),
            *(b.enrollment(R, m, "mentee") for m in MENTEES),
            *pair("QUIET", "Q", 1), *held("QUIET", "Q", 5, 19),              # 51 days silent, goal stalled too
            b.goal("active", "GQ", "Q", 1, 0, at(2)), b.goal("active", "GQ", "Q", 2, 10, at(19)),
            *pair("NEVER", "N", 10),                                         # started 60 days ago, never met
            *pair("NEW", "M", 50),                                           # started 20 days ago: not yet
            *pair("LOW", "L", 1), *held("LOW", "L", 28, 42, 56, 66),         # the mentor's latest rating is 2
            b.feedback("FL1", "LOW", R, "L", 5, at(66)), b.feedback("FL2", "LOW", R, "MR", 2, at(66), "mentor"),
            *pair("RECOVERED", "V", 1), *held("RECOVERED", "V", 10, 50, 64),  # rated 1, then 4
            b.feedback("FV1", "RECOVERED", R, "V", 1, at(10)), b.feedback("FV2", "RECOVERED", R, "V", 4, at(64)),
            *pair("STALLED", "G", 1), *held("STALLED", "G", 43, 57),         # meets, but a goal has not moved
            b.goal("active", "G1", "G", 1, 0, at(2)), b.goal("active", "G1", "G", 2, 30, at(40)),
            b.goal("active", "G2", "G", 1, 0, at(2)), b.goal("completed", "G2", "G", 2, 100, at(20)),
            b.goal("active", "G3", "G", 1, 0, at(60)),
            *pair("ENDED", "E", 1, status="ended"), *pair("PROPOSED", "P", 1, status="proposed")]


@pytest.fixture(scope="module")
def projected() -> Projected:
    return Projected().apply(program_events())


def signals_of(found: list) -> dict:
    return {item["mentorship_id"]: {s["signal"]: s for s in item["signals"]} for item in found}


def test_silence_ratings_and_stalled_goals_flag_active_pairs_only(projected):
    found = signals_of(pairs_at_risk(projected.facts(R), AS_OF))
    assert set(found) == {"QUIET", "NEVER", "LOW", "STALLED"}  # not NEW, RECOVERED, ENDED or PROPOSED
    assert found["QUIET"]["no_session_for_days"]["days"] == 51 and set(found["QUIET"]) == {
        "no_session_for_days", "stalled_goals"}
    assert found["NEVER"] == {"no_session_for_days": {"signal": "no_session_for_days", "days": 60}}
    assert found["LOW"] == {"low_rating": {"signal": "low_rating", "rating": 2}}
    assert found["STALLED"] == {"stalled_goals": {"signal": "stalled_goals", "goal_ids": ["G1"]}}


def test_most_signals_first_then_the_longest_silence(projected):
    found = pairs_at_risk(projected.facts(R), AS_OF)
    assert [i["mentorship_id"] for i in found] == ["QUIET", "NEVER", "STALLED", "LOW"]
    quiet = found[0]
    assert (quiet["last_session_at"], quiet["sessions_completed"], quiet["started_at"]) == (
        normalise(at(19)), 2, normalise(at(1)))
    assert found[1]["last_session_at"] is None and found[1]["days_without_session"] == 60


def test_silence_counts_from_twice_the_check_in_interval(projected):
    facts = projected.facts(R)
    assert "NEW" not in signals_of(pairs_at_risk(facts, parse_rfc3339(at(77, 8))))  # 27 days and 23 hours
    assert "NEW" in signals_of(pairs_at_risk(facts, parse_rfc3339(at(78))))  # 28 days


def test_without_the_programs_cadence_silence_is_not_judged():
    facts = Projected().apply(program_events()[1:]).facts(R)  # no program.created yet
    found = signals_of(pairs_at_risk(facts, AS_OF))
    assert "NEVER" not in found and set(found["QUIET"]) == {"stalled_goals"}


def test_the_report_names_the_pairs_from_their_profiles_and_forgets_the_erased(projected):
    items = pairs_at_risk(projected.facts(R), AS_OF)
    named = {p["mentorship_id"]: p for p in at_risk.named(projected.unit_of_work(), items)}
    assert (named["LOW"]["mentee_id"], named["LOW"]["mentee_name"], named["LOW"]["mentor_name"]) == (
        "L", "Mentee L", "Mira Mentor")
    assert "mentee" not in named["LOW"] and named["LOW"]["mentee_department"] == "Engineering"
    erased = Projected().apply(program_events() + [b.deleted("Q", 2)])
    quiet = next(p for p in at_risk.named(erased.unit_of_work(), pairs_at_risk(erased.facts(R), AS_OF))
                 if p["mentorship_id"] == "QUIET")
    assert quiet["mentee_id"] is None and quiet["mentee_name"] is None and quiet["mentor_name"] == "Mira Mentor"


def test_the_at_risk_report_pages_in_mentorship_order(projected):
    report = {"at_risk": pairs_at_risk(projected.facts(R), AS_OF), "as_of": "then"}
    first = at_risk.page(projected.unit_of_work(), report, 3, None)
    assert [p["mentorship_id"] for p in first["items"]] == ["LOW", "NEVER", "QUIET"] and first["as_of"] == "then"
    rest = at_risk.page(projected.unit_of_work(), report, 3, first["next_cursor"])
    assert [p["mentorship_id"] for p in rest["items"]] == ["STALLED"] and rest["next_cursor"] is None
    with pytest.raises(Invalid):
        at_risk.page(projected.unit_of_work(), report, 3, "bm90IGEgY3Vyc29y")
