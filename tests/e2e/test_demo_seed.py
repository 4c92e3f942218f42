"""The demo seed as `make up` runs it (deploy/local/seed_demo.py), with a smaller company, against
profiles, matching and analytics as real processes: the dashboard a newcomer opens first has data in
every panel (weeks of sessions, goals completed, time to match, both outcome groups, the pairs at
risk), and a second run writes nothing.

The seed gets a broker and store of its own: its fixed ids and its thousands of events must not reach
the tests that replay every topic of the session's broker. A screenshot is kept under tests/artifacts/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import ExitStack

import pytest

from tests.e2e.browser import dashboard
from tests.support.http import Client, token
from tests.support.infra import REPO, start_infra
from tests.support.polling import wait_for
from tests.support.processes import running

SCRIPT = REPO / "deploy" / "local" / "seed_demo.py"
PEOPLE = 80  # the same story as make up's 420, at a fifth of its cost
ADMIN = token("hr_admin", "program_admin", sub="demo-admin")


@pytest.fixture(scope="module")
def services(tmp_path_factory, logs_dir):
    cleanups: list = []
    try:
        infra = start_infra(tmp_path_factory.mktemp("demo-stack"), cleanups)
        with ExitStack() as stack:
            yield {name: stack.enter_context(running(name, infra, logs_dir, ANALYTICS_REPORT_PAUSE_SECONDS="0.2"))
                   for name in ("profiles", "matching", "analytics")}
    finally:
        for cleanup in reversed(cleanups):
            cleanup()


def seed(services) -> tuple[list[str], dict[str, str]]:
    """Run the script as make up does; its lines, and its `NAME=value` lines by name."""
    args = [sys.executable, str(SCRIPT), "--token", ADMIN, "--people", str(PEOPLE),
            f"--profiles={services['profiles'].url}", f"--matching={services['matching'].url}"]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    return lines, dict(line.split("=", 1) for line in lines if line.startswith("DEMO_"))


def audited(services) -> int:
    """Entries in both backfill audit trails: every write the seed made is one."""
    total = 0
    for name in ("profiles", "matching"):
        client, cursor = Client(services[name].url, {"Authorization": f"Bearer {ADMIN}"}), None
        while True:
            page = client.get("/v1/backfills", params={"limit": 500, **({"cursor": cursor} if cursor else {})}).json()
            total, cursor = total + len(page["items"]), page.get("next_cursor")
            if not cursor:
                break
    return total


@pytest.fixture(scope="module")
def demo(services):
    lines, named = seed(services)
    assert [line for line in lines if line.startswith(("refused", "warning"))] == []
    program_id, made = named["DEMO_PROGRAM_ID"], json.loads(named["DEMO_COUNTS"])
    analytics = Client(services["analytics"].url, {"Authorization": f"Bearer {ADMIN}"})

    def projected() -> bool:  # the events reach analytics topic by topic; HR's changes come last
        summary = analytics.get(f"/v1/programs/{program_id}/summary").json()
        outcomes = analytics.get(f"/v1/programs/{program_id}/outcomes").json()
        return (summary.get("sessions_completed") == made["sessions_held"]
                and summary.get("goals_completed") == made["goals_completed"]
                and outcomes["participants"]["promoted"] + outcomes["participants"]["left"]
                + outcomes["non_participants"]["promoted"] + outcomes["non_participants"]["left"] == made["hr_changes"])

    wait_for(projected, timeout=120, interval=1, message="analytics to project the whole demo")
    return program_id, made


@pytest.fixture(scope="module")
def page(chromium, services, demo):
    url = f"{services['analytics'].url}/dashboard/programs/{demo[0]}?token={ADMIN}"
    with dashboard.opened(chromium, url, "demo-dashboard.png") as browser:
        yield browser


def test_the_demo_is_a_small_company_in_a_program_with_a_history(demo):
    _, made = demo
    assert 60 <= made["people"] <= PEOPLE and made["participants"] > 25 and made["pairs"] >= 12
    assert made["sessions_held"] > 5 * made["pairs"] and made["gone_quiet"] >= 1 and made["goals_completed"] >= 1


def test_every_panel_of_the_demo_dashboard_has_data(page, demo):
    _, made = demo
    cards, charts = dashboard.cards(page), dashboard.charts(page)
    assert cards["Median time to match"] not in ("0 h", "—") and cards["Goal completion"] != "0%"
    weeks = dashboard.drawn(charts["sessions-per-week"])
    assert len(weeks) >= 20 and sum(bar["value"] for bar in weeks) == made["sessions_held"]
    assert len(dashboard.drawn(charts["pairs-started-per-week"])) >= 3  # the three waves
    assert charts["goal-completion"][0]["value"] == made["goals_completed"]
    assert len(dashboard.drawn(charts["outcomes"])) == 4  # promoted and left, both groups
    groups = dashboard.table(page, "#outcomes")
    assert [row[0] for row in groups] == ["Participants", "Colleagues in the same departments, not in the program"]
    at_risk = dashboard.table(page, "#at-risk")
    assert cards["Pairs at risk"] == str(len(at_risk)) and any("no session for" in row[-1] for row in at_risk)
    assert dashboard.problems(page.events) == []


def test_a_second_seed_finds_the_demo_and_writes_nothing(services, demo):
    before = audited(services)
    lines, named = seed(services)
    assert named == {"DEMO_PROGRAM_ID": demo[0]} and any("nothing written" in line for line in lines)
    assert audited(services) == before
