"""Idempotent projections: duplicates and full replays change no figure; erasure keeps aggregates only."""

from __future__ import annotations

import json
import uuid

import pytest
from pymongo import MongoClient

from tests.integration.analytics.conftest import GROUP
from tests.integration.analytics.support import settled, summary_when
from tests.integration.analytics.world import EXPECTED_SUMMARY, produce
from tests.support.http import Client, bearer
from tests.support.polling import wait_for
from tests.support.processes import running


@pytest.fixture(scope="module")
def before(infra, admin, world) -> dict:
    """Every figure of the program once the first projection has settled."""
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    return settled(admin, infra.kafka_bootstrap, GROUP, world)


def test_every_event_delivered_twice_changes_no_figure(infra, admin, world, before):
    produce(infra.kafka_bootstrap, world.events)  # the same CloudEvents again, as a redelivery would
    assert settled(admin, infra.kafka_bootstrap, GROUP, world) == before


def test_replaying_every_topic_into_a_fresh_database_gives_identical_figures(infra, logs_dir, world, before):
    fresh_db, group = f"{infra.mongodb_db}_replay_{uuid.uuid4().hex[:6]}", f"analytics-replay-{uuid.uuid4().hex[:6]}"
    with running("analytics", infra, logs_dir, MONGODB_DB=fresh_db, ANALYTICS_CONSUMER_GROUP=group,
                 ANALYTICS_REPORT_PAUSE_SECONDS="0.2") as replica:
        client = Client(replica.url, bearer("program_admin"))
        assert settled(client, infra.kafka_bootstrap, group, world) == before


def test_erasure_keeps_every_figure_but_no_personal_data(infra, profiles, admin, world, before):
    hr = Client(profiles.url, bearer("hr_admin"))
    erased = hr.get(f"/v1/profiles/{world['e1']}").json()
    assert hr.delete(f"/v1/profiles/{world['e1']}").status_code == 204
    db = MongoClient(infra.mongodb_uri)[infra.mongodb_db]

    def analytics_text() -> str:
        return "".join(json.dumps(list(db[name].find({}, {"_id": 0})), default=str)
                       for name in db.list_collection_names() if name.startswith("analytics_"))

    wait_for(lambda: erased["email"] not in analytics_text(), timeout=60, message="personal data erased")
    text = analytics_text()
    assert erased["name"] not in text and erased["employee_id"] not in text
    assert settled(admin, infra.kafka_bootstrap, GROUP, world) == before
    export = admin.get(f"/v1/programs/{world.program_id}/export.csv").text
    assert erased["name"] not in export and "(erased)" in export and world["e1"] not in export
