"""The pseudonym key comes from configuration: what the worker accepts, and how facts are re-keyed."""

from __future__ import annotations

import pytest

from services.analytics.domain.pseudonyms import InvalidKey, Pseudonyms, new_key, rekeyed
from services.analytics.entrypoints.worker import loops
from services.analytics.settings import AnalyticsSettings
from shared.config import load_config
from shared.mongo import Store
from shared.worker import WorkerContext


def worker_context(**settings) -> WorkerContext:
    config = load_config("analytics", environ={}).with_overrides(settings)
    return WorkerContext(config=config, store=Store("mongodb://127.0.0.1:9/", "unused"), holder="test")


def test_the_worker_refuses_to_start_without_a_key_and_says_which_variable_to_set():
    with pytest.raises(SystemExit) as refused:
        loops(worker_context(pseudonym_key=""))
    assert "ANALYTICS_PSEUDONYM_KEY is not set" in str(refused.value)


@pytest.mark.parametrize("key", ["not-hex-" * 8, "ab" * 16])
def test_the_worker_refuses_a_key_that_is_not_hex_or_too_short(key):
    with pytest.raises(SystemExit) as refused:
        loops(worker_context(pseudonym_key=key))
    assert "ANALYTICS_PSEUDONYM_KEY must" in str(refused.value)
    with pytest.raises(InvalidKey):
        Pseudonyms(key)


def test_the_key_is_read_from_the_environment_and_never_shown():
    key = new_key()
    settings = AnalyticsSettings.load(load_config("analytics", environ={}), environ={"ANALYTICS_PSEUDONYM_KEY": key})
    assert settings.pseudonym_key == key and key not in repr(settings)


def test_the_fingerprint_names_the_key_without_being_a_pseudonym_under_it():
    key = new_key()
    same, other = Pseudonyms(key), Pseudonyms(new_key())
    assert same.fingerprint == Pseudonyms(key).fingerprint != other.fingerprint
    assert same.fingerprint.removeprefix("p-") not in same("pseudonym key fingerprint")


def test_rekeying_replaces_the_pseudonyms_of_a_fact_and_of_its_id():
    doc = {"_id": "P:p-old:mentee:2025-03-03T09:00:00Z:enrolled", "person": "p-old", "program_id": "P"}
    assert rekeyed(doc, ("person",), {"p-old": "p-new"}) == \
        {"_id": "P:p-new:mentee:2025-03-03T09:00:00Z:enrolled", "person": "p-new", "program_id": "P"}
    pair = {"_id": "X1:active", "mentor": "p-a", "mentee": "p-b"}
    assert rekeyed(pair, ("mentor", "mentee"), {"p-b": "p-c"}) == {"_id": "X1:active", "mentor": "p-a", "mentee": "p-c"}
