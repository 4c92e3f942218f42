"""Reading the program dashboard as drawn in the browser: its charts' marks, tables and cards, and what
the browser itself complained about (shared by the dashboard's browser tests)."""

from __future__ import annotations

import json

from tests.e2e.browser.cdp import Browser

# every chart's bars and points as drawn: value, label and the size they take on screen
CHARTS = """JSON.stringify(Object.fromEntries([...document.querySelectorAll('svg[data-chart]')].map(svg =>
  [svg.dataset.chart, [...svg.querySelectorAll('rect.bar, circle.point')].map(mark => ({
    label: mark.dataset.label || null, value: Number(mark.dataset.value),
    height: mark.getBoundingClientRect().height, width: mark.getBoundingClientRect().width}))])))"""
TABLE = """JSON.stringify([...document.querySelectorAll('%s tbody tr')].map(row =>
  [...row.querySelectorAll('th, td')].map(cell => cell.textContent.trim())))"""
CARDS = """JSON.stringify(Object.fromEntries([...document.querySelectorAll('.card')].map(card =>
  [card.querySelector('.label').textContent, card.querySelector('.value').textContent])))"""


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
