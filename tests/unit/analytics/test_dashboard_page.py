"""The dashboard's charts and page model, rendered from a report (no server)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, render_template

from services.analytics.domain.report import build_report
from services.analytics.entrypoints.dashboard.charts import bar_chart, share_bar
from services.analytics.entrypoints.dashboard.comparison import comparison_bars
from services.analytics.entrypoints.dashboard.page import AT_RISK_FIRST, page_model
from services.analytics.entrypoints.dashboard.panels import at_risk_rows, outcome_rows
from services.analytics.entrypoints.dashboard.trend import line_chart, running_total
from services.analytics.entrypoints.dashboard.views import bp
from services.analytics.use_cases import at_risk
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, P

PROJECTED = Projected().apply(scenario.events())
REPORT = build_report(PROJECTED.facts(P), 2, AS_OF)


def test_bars_carry_their_values_and_labels_are_escaped():
    svg = str(bar_chart("x", "Title <b>", [("<script>", 3), ("b", 1.5)]))
    assert 'data-value="3"' in svg and 'data-value="1.5"' in svg and svg.count('class="bar"') == 2
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_empty_chart_says_so_instead_of_drawing_nothing():
    assert "no data yet" in str(bar_chart("x", "t", [("a", 0)]))


def test_share_bar_splits_done_and_rest():
    svg = str(share_bar("g", "Goals", 1, 4, "completed", "open"))
    assert 'data-value="1"' in svg and 'data-value="3"' in svg and "25%" in svg


def test_a_running_total_is_drawn_as_a_line_of_points():
    assert running_total([("a", 1), ("b", 0), ("c", 2), ("d", None)]) == [("a", 1), ("b", 1), ("c", 3), ("d", 3)]
    svg = str(line_chart("t", "Total", running_total([("w1", 1), ("w2", 2)])))
    assert svg.count('class="point"') == 2 and 'data-value="3"' in svg and "<polyline" in svg


def test_outcomes_side_by_side_and_a_small_group_shows_its_size_only():
    outcomes = {"min_group_size": 5, "participants": {"people": 40, "promoted": 8, "promotion_rate": 0.2, "left": 2,
                                                      "attrition_rate": 0.05, "suppressed": False},
                "non_participants": {"people": 3, "promoted": None, "promotion_rate": None, "left": None,
                                     "attrition_rate": None, "suppressed": True}}
    rows = outcome_rows(outcomes)
    assert rows[0] == ("Promoted", "Participants · 40 people", 0.2, "20% (8)")
    assert rows[1] == ("Promoted", "Colleagues not in the program · 3 people", None, "fewer than 5 people: not shown")
    svg = str(comparison_bars("outcomes", "Outcomes", rows))
    assert svg.count('class="bar') == 2 and svg.count("not shown") == 2  # bars for the participants only


def test_cards_say_each_headline_figure():
    cards = {c["label"]: (c["value"], c["note"]) for c in page_model(REPORT, [])["cards"]}
    assert cards["Mentees enrolled"] == ("5", "and 3 mentors") and cards["Match rate"][0] == "60%"
    assert cards["Median time to match"] == ("75 h", "3.1 days, enrollment to start")
    assert cards["Sessions per pair-month"] == ("1.11", "4 sessions held")
    assert cards["Goal completion"] == ("33%", "1 of 3 goals") and cards["Average rating"][0] == "4.00"
    assert cards["Pairs at risk"] == ("1", "of 2 active")


def test_page_model_of_the_scenario():
    named = at_risk.named(PROJECTED.unit_of_work(), REPORT["at_risk"])
    model = page_model(REPORT, named)
    assert model["title"] == "Program P" and len(model["at_risk"]) == 1
    assert str(model["charts"]["sessions"]).count('class="bar') == 8  # the last one "so far"
    assert 'data-label="4 ★" data-value="2"' in str(model["charts"]["ratings"])  # FB2 and FB4
    assert 'data-label="full" data-value="2"' in str(model["charts"]["load"])
    # X1 (M1 and A): last session on day 14, 28 days before AS_OF with a 14-day check-in
    assert at_risk_rows(named) == [{"mentee": "Name A", "department": "Engineering", "mentor": "Name M1",
                                    "started": "5 Mar 2025", "last_session": "17 Mar 2025", "sessions": 2,
                                    "signals": ["no session for 28 days"]}]


def rendered(report: dict, named: list) -> str:
    app = Flask(__name__)
    app.register_blueprint(bp)
    with app.test_request_context():
        return render_template("analytics/dashboard.html", **page_model(report, named))


def test_the_most_urgent_pairs_are_listed_and_the_others_fold_away():
    named = at_risk.named(PROJECTED.unit_of_work(), REPORT["at_risk"]) * (AT_RISK_FIRST + 2)
    html = rendered({**REPORT, "at_risk": REPORT["at_risk"] * (AT_RISK_FIRST + 2)}, named)
    shown, folded = html.split("<details>")
    assert shown.count("no session for 28 days") == AT_RISK_FIRST and folded.count("no session for 28 days") == 2
    assert "2 more pairs at risk" in folded and '<span class="count">14</span>' in shown


def test_the_week_still_running_is_drawn_lighter():
    svg = str(page_model(REPORT, [])["charts"]["sessions"])  # AS_OF is Monday 14 April: that week has begun
    assert svg.count("bar so-far") == 1 and 'data-label="14 Apr"' in svg.split("bar so-far")[1]
    ended = build_report(PROJECTED.facts(P), 2, datetime(2025, 9, 20, tzinfo=UTC))  # the program ended 31 August
    assert "so-far" not in str(page_model(ended, [])["charts"]["sessions"])
