"""KPIs, breakdowns, time series, outcomes, export, access and gauges of a hand-computed program."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import requests

from tests.integration.analytics.support import summary_when
from tests.integration.analytics.world import EXPECTED_SUMMARY
from tests.support.http import Client, bearer
from tests.support.polling import wait_for


def test_summary_matches_the_hand_computed_figures(admin, world):
    found = summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    assert found["match_rate"] == 0.3333


def test_breakdown_by_department_and_small_groups_never_shown(admin, world):
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    by_department = admin.get(f"/v1/programs/{world.program_id}/breakdown?by=department").json()
    items = {i["group"]: i for i in by_department["items"]}
    assert by_department["by"] == "department" and set(items) == {f"Eng-{world.uid}", f"Fin-{world.uid}"}
    eng, fin = items[f"Eng-{world.uid}"], items[f"Fin-{world.uid}"]
    assert (eng["people"], eng["enrolled_mentees"], eng["matched_mentees"], eng["median_hours_to_match"]) == \
        (7, 5, 2, 36.0)
    assert (eng["sessions_completed"], eng["average_feedback_rating"], eng["mentor_utilization"]) == (2, 4.5, 0.75)
    assert (fin["people"], fin["match_rate"], fin["goals_total"], fin["goal_completion_rate"]) == (5, 0.25, 1, 0.0)
    # grades: 3 mentors at 9 are too few to show, so they and the 9 mentees at grade 4 become "other"
    by_grade = admin.get(f"/v1/programs/{world.program_id}/breakdown?by=grade").json()
    assert [(i["group"], i["people"]) for i in by_grade["items"]] == [("other", 12)]


def test_timeseries_buckets_by_week_and_month(admin, world):
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    weekly = admin.get(f"/v1/programs/{world.program_id}/timeseries?metric=sessions_completed&interval=week").json()
    assert weekly["interval"] == "week" and sum(p["value"] for p in weekly["points"]) == 3
    assert len(weekly["points"]) >= 2 and all(date.fromisoformat(p["period_start"]).weekday() == 0
                                              for p in weekly["points"])  # weeks start on Monday
    ratings = admin.get(f"/v1/programs/{world.program_id}/timeseries?metric=average_feedback_rating"
                        "&interval=month").json()["points"]
    assert [p["value"] for p in ratings if p["value"] is not None] == [4.0]
    assert admin.get(f"/v1/programs/{world.program_id}/timeseries?metric=bogus").status_code == 422


def test_outcomes_against_colleagues_of_the_same_departments(admin, world):
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    found = admin.get(f"/v1/programs/{world.program_id}/outcomes").json()
    assert found["departments"] == [f"Eng-{world.uid}", f"Fin-{world.uid}"]
    assert found["participants"] == {"people": 12, "promoted": 1, "promotion_rate": 0.0833, "left": 1,
                                     "attrition_rate": 0.0833, "suppressed": False}
    assert found["non_participants"] == {"people": 7, "promoted": 1, "promotion_rate": 0.1429, "left": 1,
                                         "attrition_rate": 0.1429, "suppressed": False}


def test_export_has_one_row_per_participant_and_no_private_text(admin, world):
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    response = admin.get(f"/v1/programs/{world.program_id}/export.csv")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = {r["employee_id"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert len(rows) == 12 and rows[world["e1"]]["matched"] == "yes" and rows[world["e1"]]["goals_completed"] == "1"
    assert rows[world["m1"]]["sessions_completed"] == "2" and rows[world["f4"]]["name"].endswith(world.uid)
    assert "private goal" not in response.text and "rating" not in response.text


def test_only_program_and_hr_admins_read_analytics(analytics, world):
    path = f"/v1/programs/{world.program_id}/summary"
    assert Client(analytics.url, bearer("hr_admin")).get(path).status_code == 200
    assert Client(analytics.url, bearer("employee", employee_id=world["e1"])).get(path).status_code == 403
    assert Client(analytics.url, bearer("manager", employee_id=world["m1"])).get(path).status_code == 403
    assert Client(analytics.url).get(path).status_code == 401
    assert Client(analytics.url, bearer("program_admin")).get("/v1/programs/nope-404/summary").status_code == 404
    bad = Client(analytics.url, bearer("program_admin")).get(f"/v1/programs/{world.program_id}/breakdown?by=x&y=1")
    assert bad.status_code == 422 and bad.headers["Content-Type"] == "application/problem+json"


def test_dashboard_takes_the_token_once_then_a_cookie(analytics, world):
    token = bearer("program_admin")["Authorization"].removeprefix("Bearer ")
    browser = requests.Session()
    first = browser.get(f"{analytics.url}/dashboard/programs/{world.program_id}?token={token}", allow_redirects=False)
    assert first.status_code == 303 and "token" not in first.headers["Location"]
    assert "HttpOnly" in first.headers["Set-Cookie"] and "SameSite=Strict" in first.headers["Set-Cookie"]
    page = browser.get(analytics.url + first.headers["Location"])
    assert page.status_code == 200 and f"Analytics program {world.uid}" in page.text
    assert 'data-chart="sessions-per-week"' in page.text and "https://" not in page.text
    download = browser.get(f"{analytics.url}/dashboard/programs/{world.program_id}/export.csv")
    assert download.status_code == 200 and download.text.startswith("program_id,employee_id,name")
    assert requests.get(f"{analytics.url}/dashboard/programs/{world.program_id}").status_code == 401
    employee = bearer("employee", employee_id=world["e1"])["Authorization"].removeprefix("Bearer ")
    assert requests.get(f"{analytics.url}/dashboard/programs/{world.program_id}?token={employee}").status_code == 403


def test_business_gauges_per_program_on_the_worker_and_api_metrics(analytics, admin, world):
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    worker, api = f"http://127.0.0.1:{analytics.env['METRICS_PORT']}/metrics", f"{analytics.url}/metrics"

    def gauge(name: str, url: str = worker):
        found = re.search(rf'{name}{{program="{world.program_id}"}} (\S+)', requests.get(url, timeout=5).text)
        return found and float(found.group(1))

    expected = {"tandem_program_active_mentorships": 2.0, "tandem_program_sessions_completed": 3.0,
                "tandem_program_goal_completion_ratio": 0.3333, "tandem_program_average_rating": 4.0}
    # the gauges are refreshed on their own period, so an earlier refresh may still show older figures
    wait_for(lambda: all(gauge(name) == value for name, value in expected.items()), timeout=60,
             message=f"program gauges {expected}")
    assert gauge("tandem_program_active_mentorships", api) == 2.0  # one multiprocess directory, one view
