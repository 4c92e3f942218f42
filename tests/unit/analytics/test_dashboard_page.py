"""The dashboard's charts and page model, rendered from a report (no server)."""

from __future__ import annotations

from services.analytics.domain.report import build_report
from services.analytics.entrypoints.dashboard.charts import bar_chart, share_bar
from services.analytics.entrypoints.dashboard.page import page_model
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, P


def test_bars_carry_their_values_and_labels_are_escaped():
    svg = str(bar_chart("x", "Title <b>", [("<script>", 3), ("b", 1.5)]))
    assert 'data-value="3"' in svg and 'data-value="1.5"' in svg and svg.count('class="bar"') == 2
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_empty_chart_says_so_instead_of_drawing_nothing():
    assert "no data yet" in str(bar_chart("x", "t", [("a", 0)]))


def test_share_bar_splits_done_and_rest():
    svg = str(share_bar("g", "Goals", 1, 4, "completed", "open"))
    assert 'data-value="1"' in svg and 'data-value="3"' in svg and "25%" in svg


def test_page_model_of_the_scenario():
    model = page_model(build_report(Projected().apply(scenario.events()).facts(P), 2, AS_OF))
    assert model["title"] == "Program P"
    assert {c["label"]: c["value"] for c in model["cards"]}["Matched"] == "60%"
    assert str(model["charts"]["sessions"]).count('class="bar"') == 8
    assert 'data-label="4 ★" data-value="2"' in str(model["charts"]["ratings"])  # FB2 and FB4
