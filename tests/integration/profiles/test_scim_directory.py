"""The SCIM adapters against the real store: the unique userName has the last word when writers race."""

import pytest
from pymongo import MongoClient

from services.profiles.adapters.indexes import INDEXES
from services.profiles.adapters.scim_directory import ProvisioningUnitOfWork
from services.profiles.domain import profiles
from services.profiles.domain.scim_errors import Uniqueness
from services.profiles.use_cases.people import profile_event
from shared.events import catalog as ev
from shared.mongo import Store
from tests.integration.profiles.conftest import person


@pytest.fixture
def uow(infra):
    Store(infra.mongodb_uri, infra.mongodb_db).ensure_indexes(INDEXES)
    client = MongoClient(infra.mongodb_uri)
    yield ProvisioningUnitOfWork(client[infra.mongodb_db])
    client.close()


def provisioned(employee_id: str, user_name_key: str, version: int = 1) -> dict:
    return {**profiles.with_defaults({**person(employee_id), "employee_id": employee_id}), "version": version,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "scim": {"user_name": user_name_key, "user_name_key": user_name_key}}


def test_a_user_name_taken_between_the_check_and_the_insert_is_a_uniqueness_conflict(uow, uid):
    first = provisioned(f"A{uid}", f"yara.{uid}@example.com")
    assert uow.people.insert(first, [profile_event(ev.PROFILE_CREATED, first)])
    assert uow.directory.holder_of(f"yara.{uid}@example.com") == f"A{uid}"
    racer = provisioned(f"B{uid}", f"yara.{uid}@example.com")
    with pytest.raises(Uniqueness):
        uow.people.insert(racer, [profile_event(ev.PROFILE_CREATED, racer)])
    assert uow.people.get(f"B{uid}") is None
    assert not uow.people.insert(first, [])  # the same person created twice is still the retry it was


def test_a_user_name_taken_between_the_check_and_the_update_is_a_uniqueness_conflict(uow, uid):
    first, second = provisioned(f"C{uid}", f"c.{uid}@example.com"), provisioned(f"D{uid}", f"d.{uid}@example.com")
    for profile in (first, second):
        assert uow.people.insert(profile, [profile_event(ev.PROFILE_CREATED, profile)])
    renamed = {**second, "version": 2, "scim": first["scim"]}
    with pytest.raises(Uniqueness):
        uow.people.update(f"D{uid}", 1, renamed, [profile_event(ev.PROFILE_UPDATED, renamed)])
    assert uow.people.get(f"D{uid}")["scim"]["user_name_key"] == f"d.{uid}@example.com"


def test_the_directory_pages_provisioned_people_only(uow, uid):
    natively = {**provisioned(f"F{uid}", "unused"), "department": f"Dept-{uid}"}
    del natively["scim"]
    uow.people.insert(natively, [])
    for n in range(3):
        profile = provisioned(f"G{uid}-{n}", f"g{n}.{uid}@example.com")
        uow.people.insert(profile, [])
    total, page = uow.directory.search(None, start=1, count=500)
    ids = [p["employee_id"] for p in page]
    assert {f"G{uid}-{n}" for n in range(3)} <= set(ids) and f"F{uid}" not in ids and total >= 3
    assert all("_outbox" not in p and "scim" in p for p in page)
