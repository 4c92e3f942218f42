"""The program dashboard in a real headless Chromium, telling six months of a program's story: it loads
with a token link, every panel has data on screen (weeks of sessions, goals completed, matching in
waves, outcomes of both groups side by side, the pairs at risk), it prints, and the browser reports no
console errors or failed requests.

The history is built by the test, not by the demo seed: six months of events as the migration
backfill publishes them (data times in the past, `backfilled: true`; tests/integration/analytics/
history.py), produced to the real broker for the real analytics service. A screenshot and a PDF of the
printout are kept under tests/artifacts/.
"""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from tests.e2e.browser.dashboard import ARTIFACTS, CARDS, CHARTS, TABLE, drawn, opened, problems
from tests.integration.analytics import history as h
from tests.integration.analytics.support import history_when
from tests.integration.analytics.world import produce
from tests.support.http import Client, bearer
from tests.support.processes import running


@pytest.fixture(scope="module")
def seeded(infra, logs_dir):
    with running("analytics", infra, logs_dir, ANALYTICS_REPORT_PAUSE_SECONDS="0.2") as analytics:
        history = h.build(uuid.uuid4().hex[:8])
        produce(infra.kafka_bootstrap, history.events)
        history_when(Client(analytics.url, bearer("program_admin")), history)
        yield analytics, history


@pytest.fixture(scope="module")
def page(chromium, seeded):
    analytics, history = seeded
    token = bearer("program_admin")["Authorization"].removeprefix("Bearer ")
    url = f"{analytics.url}/dashboard/programs/{history.program_id}?token={token}"
    with opened(chromium, url, "dashboard.png") as browser:
        yield browser, history


def test_the_token_leaves_the_address_bar_and_the_cards_tell_the_headline(page):
    browser, history = page
    assert browser.evaluate("location.search") == ""
    assert browser.evaluate("document.querySelector('h1').textContent") == f"Six months {history.uid}"
    cards = json.loads(browser.evaluate(CARDS))
    assert cards["Mentees enrolled"] == str(len(history.hours_to_match)) and cards["Match rate"] == "100%"
    assert cards["Median time to match"] == f"{history.median_hours_to_match():,.0f} h"
    assert cards["Pairs at risk"] == str(len(history.at_risk))
    assert browser.evaluate("getComputedStyle(document.querySelector('.card')).borderTopLeftRadius") == "10px"


def test_weeks_of_activity_and_goals_completed_over_them(page):
    browser, history = page
    charts = json.loads(browser.evaluate(CHARTS))
    weeks = charts["sessions-per-week"]
    busy = [i for i, bar in enumerate(weeks) if bar in drawn(weeks)]
    assert len(weeks) == 27 and len(busy) >= 20 and busy[-1] - busy[0] >= 20  # spread over the months
    assert sum(bar["value"] for bar in weeks) == len(history.completed_sessions)
    done, rest = charts["goal-completion"]
    assert done["value"] == history.goals_completed > 0 and done["width"] > 0 and rest["width"] > 0
    assert charts["goals-completed-over-time"][-1]["value"] == history.goals_completed
    assert len(drawn(charts["pairs-started-per-week"])) >= 3  # the waves
    assert sum(bar["value"] for bar in charts["time-to-match"]) == len(history.hours_to_match)
    assert len(drawn(charts["feedback-distribution"])) >= 3 and len(drawn(charts["mentor-load"])) >= 1


def test_outcomes_show_both_groups_side_by_side_with_their_sizes(page):
    browser, history = page
    bars = drawn(json.loads(browser.evaluate(CHARTS))["outcomes"])
    participants, colleagues = history.group_sizes()
    assert [bar["label"] for bar in bars] == [
        f"Promoted · Participants · {participants} people", f"Promoted · Colleagues not in the program · "
        f"{colleagues} people", f"Left the company · Participants · {participants} people",
        f"Left the company · Colleagues not in the program · {colleagues} people"]
    rows = json.loads(browser.evaluate(TABLE % "#outcomes"))
    assert [row[:2] for row in rows] == [["Participants", str(participants)],
                                         ["Colleagues in the same departments, not in the program", str(colleagues)]]
    assert "not shown" not in browser.evaluate("document.querySelector('#outcomes').textContent")


def test_the_pairs_at_risk_are_listed_with_why(page):
    browser, history = page
    rows = json.loads(browser.evaluate(TABLE % "#at-risk"))
    assert len(rows) == len(history.at_risk)
    by_mentee = {row[0]: row[-1] for row in rows}
    for short in ("Eng-e3", "Fin-e3", "Ops-e3"):
        assert "no session for" in by_mentee[history.names[short]] and "unchanged for 30+ days" in by_mentee[
            history.names[short]]
    assert by_mentee[history.names["Eng-e1"]] == "latest rating 2 ★"
    shown = browser.evaluate("document.querySelector('#at-risk table').getBoundingClientRect().height")
    assert shown > 100


def test_it_prints_and_the_browser_saw_no_error(page):
    browser, _ = page
    browser.call("Emulation.setEmulatedMedia", media="print")
    assert browser.evaluate("getComputedStyle(document.querySelector('.actions')).display") == "none"
    pdf = base64.b64decode(browser.call("Page.printToPDF", printBackground=False)["data"])
    assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
    (ARTIFACTS / "dashboard-print.pdf").write_bytes(pdf)
    assert problems(browser.events) == []
