"""Kafka stopped while HR writes profiles: writes succeed, and every event arrives later, in order per key."""

from tests.integration.profiles.conftest import person
from tests.support.kafka_tap import Tap


def test_writes_during_a_broker_outage_are_published_after_it_in_order(infra, hr, uid):
    infra.stop_kafka()
    try:
        for i in range(3):
            for grade in (3, 4, 5):  # three versions per person
                response = hr.put(f"/v1/profiles/K{uid}-{i}", json=person(f"{uid}{i}", grade=grade))
                assert response.status_code in (200, 201), response.text
        assert hr.get("/readyz").status_code == 503
    finally:
        infra.start_kafka()

    tap = Tap(infra.kafka_bootstrap, "mentoring.profiles")
    events = tap.wait_events(lambda e: e["subject"].startswith(f"K{uid}-"), 9, timeout=90)
    for i in range(3):
        mine = [e for e in events if e["subject"] == f"K{uid}-{i}"]
        assert [e["data"]["version"] for e in mine] == [1, 2, 3]
        assert [e["data"]["grade"] for e in mine] == [3, 4, 5]
    partitions = {r.partition for r in tap.records if r.key and r.key.decode().startswith(f"K{uid}-0")}
    assert len(partitions) == 1  # one key, one partition: that is what keeps its order
    tap.close()
