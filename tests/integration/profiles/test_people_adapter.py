"""The Mongo people adapter against the real store: bulk writes say which rows did not land."""

import pytest
from pymongo import MongoClient

from services.profiles.adapters.people import MongoPeople
from services.profiles.domain import profiles
from services.profiles.use_cases.people import profile_event
from shared.events import catalog as ev
from tests.integration.profiles.conftest import person


@pytest.fixture
def people(infra):
    client = MongoClient(infra.mongodb_uri)
    yield MongoPeople(client[infra.mongodb_db])
    client.close()


def stored_person(people: MongoPeople, employee_id: str, **fields) -> dict:
    profile = {**profiles.with_defaults({**person(employee_id), "employee_id": employee_id}), **fields,
               "version": 1, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
    assert people.insert(profile, [profile_event(ev.PROFILE_CREATED, profile)])
    return profile


def test_an_update_whose_version_check_matched_nothing_is_reported_not_counted(people, uid):
    first, second = stored_person(people, f"A{uid}"), stored_person(people, f"B{uid}")
    assert people.update(f"B{uid}", 1, {"version": 2, "grade": 3}, [])  # another writer got there first
    updates = [({**p, "grade": 9, "version": 2}, 1, [profile_event(ev.PROFILE_UPDATED, {**p, "version": 2})])
               for p in (first, second)]
    assert people.write_many([], updates) == {f"B{uid}"}
    assert people.get(f"A{uid}")["grade"] == 9
    assert (people.get(f"B{uid}")["grade"], people.get(f"B{uid}")["version"]) == (3, 2)


def test_an_insert_of_someone_who_exists_is_reported(people, uid):
    existing = stored_person(people, f"C{uid}")
    fresh = {**existing, "employee_id": f"D{uid}"}
    creates = [(p, [profile_event(ev.PROFILE_CREATED, p)]) for p in (existing, fresh)]
    assert people.write_many(creates, []) == {f"C{uid}"}
    assert people.get(f"D{uid}")["version"] == 1


def test_a_persons_versions_written_at_once_keep_all_their_events_in_order(scratch, uid):
    """An import of history writes a person's last version with the events of every version on the way."""
    people = MongoPeople(scratch)  # a database no worker relays, so the pending events stay to be read
    hired = stored_person(people, f"E{uid}")
    versions = [{**hired, "grade": grade, "version": version} for version, grade in ((2, 7), (3, 8))]
    events = [profile_event(ev.PROFILE_UPDATED, v, backfilled=True) for v in versions]
    assert people.write_many([], [(versions[-1], 1, events)]) == set()
    raw = scratch["profiles_people"].find_one({"_id": f"E{uid}"})
    pending = [(e["data"]["version"], e["data"].get("backfilled")) for e in raw["_outbox"]]
    assert pending == [(1, None), (2, True), (3, True)] and raw["grade"] == 8
