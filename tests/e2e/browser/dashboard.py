"""Reading the program dashboard as drawn in the browser: its charts' marks, tables and cards, and what
the browser itself complained about (shared by the dashboard's browser tests)."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.browser.cdp import Browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

# every chart's bars and points as drawn: value, label and the size they take on screen
CHARTS = """JSON.stringify(Object.fromEntries([...document.querySelectorAll('svg[data-chart]')].map(svg =>
  [svg.dataset.chart, [...svg.querySelectorAll('rect.bar, circle.point')].map(mark => ({
    label: mark.dataset.label || null, value: Number(mark.dataset.value),
    height: mark.getBoundingClientRect().height, width: mark.getBoundingClientRect().width}))])))"""
TABLE = """JSON.stringify([...document.querySelectorAll('%s tbody tr')].map(row =>
  [...row.querySelectorAll('th, td')].map(cell => cell.textContent.trim())))"""
CARDS = """JSON.stringify(Object.fromEntries([...document.querySelectorAll('.card')].map(card =>
  [card.querySelector('.label').textContent, card.querySelector('.value').textContent])))"""


@contextlib.contextmanager
def opened(chromium: str, url: str, screenshot: str) -> Iterator[Browser]:
    """A browser on the dashboard at `url`, loaded, with the page, console and network reported, and a
    full-page screenshot kept as tests/artifacts/`screenshot`."""
    browser = Browser(chromium)
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable")
        browser.call("Page.navigate", url=url)
        browser.wait_event("Page.loadEventFired")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        (ARTIFACTS / screenshot).write_bytes(base64.b64decode(shot["data"]))
        yield browser
    finally:
        browser.close()


def charts(browser: Browser) -> dict[str, list[dict]]:
    return json.loads(browser.evaluate(CHARTS))


def table(browser: Browser, selector: str) -> list[list[str]]:
    return json.loads(browser.evaluate(TABLE % selector))


def cards(browser: Browser) -> dict[str, str]:
    return json.loads(browser.evaluate(CARDS))


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


def drawn(marks: list[dict]) -> list[dict]:
    """The marks with a value that take up room on screen."""
    return [m for m in marks if m["value"] and m["height"] > 0 and m["width"] > 0]
