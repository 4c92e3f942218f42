"""The pseudonym key comes from ANALYTICS_PSEUDONYM_KEY, never from the database it protects.

A database that still holds the random key older releases kept in `analytics_settings` gets its facts
re-keyed and the key deleted, with the same figures; a worker without a key does not start.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid

import pytest

from services.analytics.adapters import pseudonym_key
from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.kpis import summary
from services.analytics.domain.pseudonyms import Pseudonyms, new_key
from services.analytics.entrypoints.handlers import EVENT_HANDLERS
from services.analytics.use_cases.rebuilds import Changes
from services.analytics.use_cases.reports import load_facts
from shared.consumer import handler_table
from shared.mongo import Store
from shared.unit_of_work import transaction
from tests.support.infra import TEST_PSEUDONYM_KEY
from tests.support.polling import wait_for
from tests.support.processes import ServiceProcess
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.scenario import AS_OF, EXPECTED_SUMMARY, P

HANDLERS = handler_table(EVENT_HANDLERS)


@pytest.fixture
def store(infra, uid):
    store = Store(infra.mongodb_uri, f"{infra.mongodb_db}_keys_{uid}")
    yield store
    store.client.drop_database(store.db.name)
    store.close()


def project(store: Store, pseudonyms: Pseudonyms, events: list, batch: int = 50) -> None:
    make = functools.partial(AnalyticsUnitOfWork, pseudonymise=pseudonyms, changes=Changes())
    for start in range(0, len(events), batch):
        with transaction(store, make) as uow:
            for event in events[start:start + batch]:
                if event.type in HANDLERS:
                    HANDLERS[event.type](event, uow)


def stored_text(store: Store) -> str:
    return "".join(json.dumps(list(store.db[name].find()), default=str)
                   for name in store.db.list_collection_names() if name.startswith("analytics_"))


def test_a_key_kept_in_the_database_is_deleted_and_its_facts_re_keyed_with_the_same_figures(store, caplog):
    legacy = new_key()
    store.db["analytics_settings"].insert_one({"_id": "pseudonym_key", "key": legacy})
    project(store, Pseudonyms(legacy), scenario.events() + [b.deleted("F", 3)])
    configured = Pseudonyms(new_key())
    with caplog.at_level(logging.WARNING):
        pseudonym_key.settle(store, configured)
    assert list(store.db["analytics_settings"].find()) == [{"_id": "pseudonym_key",
                                                            "fingerprint": configured.fingerprint}]
    assert [r.getMessage() for r in caplog.records if "analytics_settings" in r.getMessage()] == [
        "deleted the pseudonym key stored in analytics_settings (the key is ANALYTICS_PSEUDONYM_KEY now); "
        "re-keyed the facts of 17 people"]  # the 18 people of the scenario but F, who was erased
    text = stored_text(store)
    assert legacy not in text and Pseudonyms(legacy)("A") not in text and configured("A") in text
    assert configured("F") not in text  # erased: nobody can tell which old pseudonym was theirs
    assert summary(load_facts(AnalyticsUnitOfWork(store.db).facts, [P])[P], AS_OF) == EXPECTED_SUMMARY
    project(store, configured, [b.profile("A", 4, grade=7, when=b.at(41))])  # new facts join the re-keyed
    assert {d["person"] for d in store.db["analytics_people"].find({"employee_id": "A"})} == {configured("A")}


def test_a_restart_with_the_same_key_changes_nothing(store, caplog):
    configured = Pseudonyms(new_key())
    pseudonym_key.settle(store, configured)  # a fresh database: the fingerprint only
    project(store, configured, scenario.events())
    before = stored_text(store)
    with caplog.at_level(logging.WARNING):
        pseudonym_key.settle(store, configured)
    assert stored_text(store) == before and not caplog.records


def test_the_running_worker_keeps_no_key_in_the_database(infra, analytics, world):
    """The package's worker was given ANALYTICS_PSEUDONYM_KEY: facts are under it, the database holds none."""
    from pymongo import MongoClient

    db = MongoClient(infra.mongodb_uri)[infra.mongodb_db]
    person = Pseudonyms(TEST_PSEUDONYM_KEY)(world["e2"])
    wait_for(lambda: db["analytics_people"].find_one({"person": person}), timeout=60,
             message="e2's profile projected under the configured key")
    kept = db["analytics_settings"].find_one({"_id": "pseudonym_key"})
    assert "key" not in kept and kept["fingerprint"] == Pseudonyms(TEST_PSEUDONYM_KEY).fingerprint


def test_a_worker_without_a_key_does_not_start_and_says_why(infra, tmp_path):
    worker = ServiceProcess("analytics", infra, tmp_path, ANALYTICS_PSEUDONYM_KEY="",
                            MONGODB_DB=f"{infra.mongodb_db}_nokey_{uuid.uuid4().hex[:6]}")
    try:
        worker.start("worker")
        process = worker.procs["worker"]
        wait_for(lambda: process.poll() is not None, timeout=60, message="the worker without a key exits")
        log = (tmp_path / "analytics-worker.log").read_text()
        assert process.returncode != 0 and "ANALYTICS_PSEUDONYM_KEY is not set" in log and "Traceback" not in log
    finally:
        worker.stop()
