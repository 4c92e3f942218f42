"""Six months of backfilled history through the real broker and store: the API places every figure in
the past it happened in, and the at-risk report lists the pairs the history made quiet or rated low."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import pytest

from shared.timeutil import to_rfc3339
from tests.integration.analytics import history as h
from tests.integration.analytics.support import history_when
from tests.integration.analytics.world import produce
from tests.support.http import Client, bearer


@pytest.fixture(scope="module")
def history(infra, analytics, admin) -> h.History:
    built = h.build(uuid.uuid4().hex[:8])
    produce(infra.kafka_bootstrap, built.events)
    history_when(admin, built)
    return built


def monday(moment) -> str:
    return (moment.date() - timedelta(days=moment.weekday())).isoformat()


def test_sessions_and_goals_land_in_the_weeks_they_happened(admin, history):
    base = f"/v1/programs/{history.program_id}/timeseries"
    weekly = admin.get(base, params={"metric": "sessions_completed", "interval": "week"}).json()["points"]
    assert weekly[0]["period_start"] == monday(history.starts) and len(weekly) == 27
    assert {p["period_start"]: p["value"] for p in weekly if p["value"]} == dict(
        Counter(monday(done) for done in history.completed_sessions))
    monthly = admin.get(base, params={"metric": "goals_completed", "interval": "month"}).json()["points"]
    months = (history.now.year - history.starts.year) * 12 + history.now.month - history.starts.month + 1
    assert len(monthly) == months and sum(p["value"] for p in monthly) == history.goals_completed > 0


def test_outcomes_compare_participants_with_their_colleagues(admin, history):
    found = admin.get(f"/v1/programs/{history.program_id}/outcomes").json()
    assert found["window"]["from"].startswith(history.starts.date().isoformat())
    assert (found["participants"]["people"], found["participants"]["promoted"], found["participants"]["left"]) == (
        36, 6, 1)
    assert (found["non_participants"]["people"], found["non_participants"]["promoted"],
            found["non_participants"]["left"]) == (21, 2, 3)


def test_the_at_risk_report_names_the_quiet_and_the_low_rated_pairs_page_by_page(admin, history):
    path = f"/v1/programs/{history.program_id}/at-risk-report"
    first = admin.get(path, params={"limit": 3}).json()
    rest = admin.get(path, params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 3 and rest["next_cursor"] is None and first["as_of"] == rest["as_of"]
    found = {p["mentorship_id"]: p for p in first["items"] + rest["items"]}
    assert {m: {s["signal"] for s in p["signals"]} for m, p in found.items()} == history.at_risk
    quiet = found[f"X-Eng-e3-{history.uid}"]
    assert (quiet["mentee_id"], quiet["mentee_name"], quiet["mentor_name"]) == (
        history.employee("Eng-e3"), history.names["Eng-e3"], history.names["Eng-m3"])
    assert quiet["days_without_session"] >= 40 and quiet["started_at"] < quiet["last_session_at"]
    assert quiet["last_session_at"] <= to_rfc3339(history.now - timedelta(days=40))


def test_the_at_risk_report_is_for_admins_and_refuses_what_it_does_not_know(analytics, admin, history):
    path = f"/v1/programs/{history.program_id}/at-risk-report"
    assert admin.get(path, params={"limit": 3, "sort": "x"}).status_code == 422
    bad = admin.get(path, params={"cursor": "bm90IGEgY3Vyc29y"})
    assert bad.status_code == 422 and bad.headers["Content-Type"] == "application/problem+json"
    assert Client(analytics.url, bearer("hr_admin")).get(path).status_code == 200
    assert Client(analytics.url, bearer("manager", employee_id=history.employee("Eng-m0"))).get(path).status_code == 403
    assert admin.get("/v1/programs/nope-404/at-risk-report").status_code == 404
