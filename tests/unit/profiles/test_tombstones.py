"""The relay's erasure tombstones: each after its acknowledged erasure, on its key, never out of order."""

from concurrent.futures import Future

from services.profiles.adapters.tombstones import ErasureTombstones
from services.profiles.domain import profiles
from services.profiles.use_cases.people import profile_event
from shared.events import catalog as ev
from shared.events import new_event
from tests.unit.profiles.conftest import body


def created(employee_id: str):
    profile = {**profiles.with_defaults({**body(), "employee_id": employee_id}), "version": 1,
               "updated_at": "2026-01-01T00:00:00Z"}
    return profile_event(ev.PROFILE_CREATED, profile)


def deleted(employee_id: str):
    return new_event(ev.PROFILE_DELETED, {"employee_id": employee_id, "version": 2}, source="/tandem/profiles")


class Broker:
    """Records what reaches it, in order: event types as published, `None` for a tombstone."""

    def __init__(self, refuse: set[str] = frozenset(), refuse_tombstones: bool = False):
        self.log: list[tuple[str, str | None]] = []
        self._refuse, self._refuse_tombstones = refuse, refuse_tombstones

    def publish(self, events) -> set[str]:
        acked = {e.id for e in events if e.id not in self._refuse}
        self.log += [(e.key, e.type) for e in events if e.id in acked]
        return acked

    def send(self, topic, key, value):
        assert (topic, value) == ("mentoring.profiles", None)
        future = Future()
        if self._refuse_tombstones:
            future.set_exception(TimeoutError("broker away"))
        else:
            self.log.append((key.decode(), None))
            future.set_result(None)
        return _Sent(future)


class _Sent:
    def __init__(self, future):
        self._future = future

    def get(self, timeout):
        return self._future.result(timeout)


def test_an_erasure_is_followed_by_its_tombstone_before_anything_after_it():
    broker = Broker()
    events = [created("E1"), deleted("E1"), created("E1"), created("E2")]
    published = ErasureTombstones(broker, broker.publish)(events)
    assert published == {e.id for e in events}
    assert broker.log == [("E1", "mentoring.profile.created"), ("E1", "mentoring.profile.deleted"), ("E1", None),
                          ("E1", "mentoring.profile.created"), ("E2", "mentoring.profile.created")]


def test_an_unacknowledged_tombstone_keeps_its_erasure_and_what_follows_for_next_round():
    broker = Broker(refuse_tombstones=True)
    first, erasure, rehire = created("E1"), deleted("E1"), created("E1")
    assert ErasureTombstones(broker, broker.publish)([first, erasure, rehire]) == {first.id}


def test_an_unacknowledged_erasure_gets_no_tombstone_yet():
    erasure = deleted("E1")
    broker = Broker(refuse={erasure.id})
    assert ErasureTombstones(broker, broker.publish)([erasure, created("E2")]) == set()
    assert broker.log == []
