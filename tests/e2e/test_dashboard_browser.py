"""The program dashboard in a real headless Chromium: it loads with a token link, its SVG charts show
the seeded program's data, it prints, and the browser reports no console errors or failed requests.

People and goals come from the real profiles service; the program's events are produced as matching
publishes them (see tests/integration/analytics/world.py). A screenshot and a PDF of the printout are
kept under tests/artifacts/.
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import pytest

from tests.e2e.browser.cdp import Browser, chromium_path
from tests.integration.analytics import world as scenario
from tests.integration.analytics.support import summary_when
from tests.support.http import Client, bearer
from tests.support.processes import running

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

CHARTS = """JSON.stringify(Object.fromEntries([...document.querySelectorAll('svg[data-chart]')].map(svg =>
  [svg.dataset.chart, [...svg.querySelectorAll('rect.bar')].map(bar => ({
    label: bar.dataset.label || null, value: Number(bar.dataset.value),
    height: bar.getBoundingClientRect().height, width: bar.getBoundingClientRect().width}))])))"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.fail("chromium is not installed, and the dashboard must be checked in a real browser: "
                    "run `apt-get install -y chromium` (or `make browser`)")
    return path


@pytest.fixture(scope="module")
def seeded(infra, logs_dir):
    with running("profiles", infra, logs_dir) as profiles, \
            running("analytics", infra, logs_dir, ANALYTICS_REPORT_PAUSE_SECONDS="0.2") as analytics:
        world = scenario.build(Client(profiles.url, bearer("hr_admin")), infra.kafka_bootstrap, uuid.uuid4().hex[:8])
        summary_when(Client(analytics.url, bearer("program_admin")), world.program_id,
                     {"program_id": world.program_id, **scenario.EXPECTED_SUMMARY})
        yield analytics, world


def problems(events: list[dict]) -> list[str]:
    """Console errors, uncaught exceptions and failed or erroring requests the browser reported."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            found.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(f"console.{params['type']}: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method == "Network.loadingFailed":
            found.append(f"request failed: {params.get('errorText')}")
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            found.append(f"HTTP {params['response']['status']}: {params['response']['url']}")
    return found


def test_dashboard_renders_the_programs_charts_in_a_real_browser(chromium, seeded):
    analytics, world = seeded
    token = bearer("program_admin")["Authorization"].removeprefix("Bearer ")
    browser = Browser(chromium)
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable")
        browser.call("Page.navigate", url=f"{analytics.url}/dashboard/programs/{world.program_id}?token={token}")
        browser.wait_event("Page.loadEventFired")
        assert browser.evaluate("location.search") == ""  # the token left the address bar
        assert browser.evaluate("document.querySelector('h1').textContent") == f"Analytics program {world.uid}"
        charts = json.loads(browser.evaluate(CHARTS))

        sessions = charts["sessions-per-week"]
        assert sum(bar["value"] for bar in sessions) == 3 and len(sessions) >= 2
        assert all(bar["height"] > 0 and bar["width"] > 0 for bar in sessions if bar["value"])
        assert [bar["value"] for bar in charts["goal-completion"]] == [1, 2]
        assert [(bar["label"], bar["value"]) for bar in charts["feedback-distribution"]] == [
            ("1 ★", 0), ("2 ★", 0), ("3 ★", 1), ("4 ★", 1), ("5 ★", 1)]
        assert {bar["label"]: bar["value"] for bar in charts["department-sessions"]} == {
            f"Eng-{world.uid}": 2, f"Fin-{world.uid}": 1}
        cards = browser.evaluate("[...document.querySelectorAll('.card .value')].map(e => e.textContent)")
        assert cards[:3] == ["9", "33%", "2"]  # mentees, matched, active mentorships
        assert browser.evaluate("getComputedStyle(document.querySelector('.card')).borderTopLeftRadius") == "10px"

        ARTIFACTS.mkdir(exist_ok=True)
        shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        (ARTIFACTS / "dashboard.png").write_bytes(base64.b64decode(shot["data"]))

        browser.call("Emulation.setEmulatedMedia", media="print")
        assert browser.evaluate("getComputedStyle(document.querySelector('.actions')).display") == "none"
        pdf = base64.b64decode(browser.call("Page.printToPDF", printBackground=False)["data"])
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
        (ARTIFACTS / "dashboard-print.pdf").write_bytes(pdf)

        assert problems(browser.events) == []
    finally:
        browser.close()
